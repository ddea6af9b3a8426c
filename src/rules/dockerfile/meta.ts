/** The catalogue of Dockerfile rules. */
import { defineRules } from '../rule.js'

export const R = defineRules('dockerfile', {
  baseImageLatest: {
    id: 'dockerfile/base-image-latest',
    category: 'immutability',
    topics: ['immutable-artifacts', 'supply-chain'],
    severity: 'medium',
    title: 'Base image uses :latest or no tag',
    description: 'A `FROM` image without a tag, or tagged `latest`, resolves to whatever was pushed last, so the same Dockerfile builds different images over time. Info when the image is a one-word name (no registry, no namespace, not a well-known Docker Hub official image) that the analysed files build themselves: a stage another Dockerfile names (`FROM … AS app-base`, not a stage that only renames the official image of its name) or a tag a Makefile or shell script gives `docker build`/`podman build` (`-t app-base`, `--tag=app-base:latest`), unless that build builds the Dockerfile itself (`docker build -t varnish varnish/` with `FROM varnish` there pulls the registry\'s image). The tag then names the project\'s own last build; in a pull request that does not include those files, nothing is known to be local. Info too when the repository name has an upper-case letter (`FROM BASEIMAGE`): no registry holds such a name, so it is a placeholder a build step replaces (a Makefile `sed`), not an image resolving to `latest`.',
    remediation: 'Pin the base image to an explicit version tag (and ideally a digest), e.g. `FROM node:20.11-alpine`.',
    refs: { kics: 'dockerfile/image_version_using_latest', hadolint: ['DL3007', 'DL3006'], checkov: 'CKV_DOCKER_7', trivy: 'AVD-DS-0001' }
  },
  baseImageNoDigest: {
    id: 'dockerfile/base-image-no-digest',
    category: 'immutability',
    topics: ['immutable-artifacts', 'supply-chain'],
    severity: 'info',
    title: 'Base image not pinned by digest',
    description: 'Tags can be moved; only a digest names one exact image.',
    remediation: 'Append the digest of the tested image: `FROM image:tag@sha256:…` (a bot such as Renovate can keep it current).'
  },
  aptUnpinned: {
    id: 'dockerfile/apt-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'apt-get install without version pins',
    description: 'Packages installed without `name=version` take whatever the mirror serves at build time.',
    remediation: 'Pin each package: `apt-get install -y curl=7.88.1-10+deb12u5`.',
    refs: { kics: 'dockerfile/apt_get_install_pin_version_not_defined', hadolint: 'DL3008' }
  },
  apkUnpinned: {
    id: 'dockerfile/apk-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'apk add without version pins',
    description: 'Packages added without `name=version` take whatever the repository serves at build time.',
    remediation: 'Pin each package: `apk add --no-cache curl=8.5.0-r0`.',
    refs: { kics: 'dockerfile/unpinned_package_version_in_apk_add', hadolint: 'DL3018' }
  },
  yumUnpinned: {
    id: 'dockerfile/yum-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'yum/dnf install without version pins',
    description: 'Packages installed without `name-version` take whatever the repository serves at build time.',
    remediation: 'Pin each package: `dnf install -y curl-7.76.1`.',
    refs: { kics: 'dockerfile/yum_install_without_version', hadolint: 'DL3033' }
  },
  zypperUnpinned: {
    id: 'dockerfile/zypper-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'zypper install without version pins',
    description: 'Packages installed without a version take whatever the repository serves at build time.',
    remediation: 'Pin each package: `zypper install -y curl=8.6.0`.',
    refs: { kics: 'dockerfile/zypper_install_without_version', hadolint: 'DL3037' }
  },
  gemUnpinned: {
    id: 'dockerfile/gem-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts', 'supply-chain'],
    severity: 'low',
    title: 'gem install without a version',
    description: 'A gem named without a version resolves to its newest release at build time, so two builds of the same Dockerfile can differ.',
    remediation: 'Name the version: `gem install bundler -v 2.5.6` (or `bundler:2.5.6`), or install from a Gemfile with its Gemfile.lock.',
    refs: { kics: 'dockerfile/gem_install_without_version', hadolint: 'DL3028' }
  },
  pipUnpinned: {
    id: 'dockerfile/pip-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts', 'supply-chain'],
    severity: 'medium',
    title: 'pip install without == pins',
    description: 'Python packages named without an exact version resolve to the newest release at build time. Low in a stage the final image neither is built from nor copies from (`COPY --from`, `RUN --mount=from=`), such as a `dev` target: what it installs ships in no image built from the file\'s final stage.',
    remediation: 'Pin with `package==1.2.3`, or install from a requirements file (ideally with `--require-hashes`).',
    refs: { kics: 'dockerfile/unpinned_package_version_in_pip_install', hadolint: 'DL3013' }
  },
  npmUnpinned: {
    id: 'dockerfile/npm-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts', 'supply-chain'],
    severity: 'medium',
    title: 'npm install of packages without versions',
    description: 'Packages named without `@version` resolve to the newest release at build time. Low in a stage the final image neither is built from nor copies from (`COPY --from`, `RUN --mount=from=`), such as a `dev` target: what it installs ships in no image built from the file\'s final stage.',
    remediation: 'Name an exact version (`npm install -g typescript@5.4.5`) or add the package to package.json and its lockfile.',
    refs: { kics: 'dockerfile/npm_install_without_pinned_version', hadolint: 'DL3016' }
  },
  npmInstallNotCi: {
    id: 'dockerfile/npm-install-not-ci',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: '`npm install` instead of `npm ci`',
    description: '`npm install` may update the lockfile and pick newer versions; `npm ci` installs exactly what package-lock.json records and fails when it is out of date.',
    remediation: 'Copy package-lock.json into the image and run `npm ci` (with `--omit=dev` for production images).'
  },
  packageUpgrade: {
    id: 'dockerfile/package-upgrade',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'Upgrade of all OS packages during the build',
    description: '`apt-get upgrade`, `apk upgrade` or `yum update` pulls whatever is newest at build time, so rebuilding the same commit gives a different image.',
    remediation: 'Move to a newer base image tag instead of upgrading in place, or pin the packages that need a fix.',
    refs: { hadolint: 'DL3005' }
  },
  rootUser: {
    id: 'dockerfile/root-user',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Final image runs as root',
    description: 'The last `USER` of the final stage is root, so a compromised process has root inside the container. Medium for a cron image (the program its command runs is `cron` or `crond`, or it installs one, exposes no port and starts through an entrypoint script): the daemon needs root to start each job as its crontab\'s user, so what to check is the user each job runs as. Low when the command starts the daemon itself, the image exposes no port, and every crontab the Dockerfile writes belongs to a non-root user (written to `/var/spool/cron/crontabs/<user>` or `/var/spool/cron/<user>`, installed with `crontab -u <user>`, or system crontab lines, written out in the Dockerfile, naming such a user): root then holds only a daemon that listens on nothing. Low too for a base image: its folder or file is named `base` (`base/Dockerfile`, `python-base/Dockerfile`, `Dockerfile.base`) and its final stage sets no CMD, ENTRYPOINT or EXPOSE, so what runs is an image built on it, whose own USER decides. Low as well when its command runs `gosu` or `su-exec` (or `sudo -u`, `runuser -u`, `chpst -u`, `setpriv --reuid`, `s6-setuidgid`) for a user other than root, or its ENTRYPOINT (without one, its CMD) is a script and it installs one: the entrypoint starts as root to prepare the container, then runs the main process as the unprivileged user it names (the official database images\' way).',
    remediation: 'Create an unprivileged user and switch to it at the end: `USER app` (or a numeric uid such as `USER 10001`).',
    refs: { kics: 'dockerfile/last_user_is_root', hadolint: 'DL3002', checkov: 'CKV_DOCKER_8', trivy: 'AVD-DS-0002' }
  },
  noUser: {
    id: 'dockerfile/no-user',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'Final stage sets no USER',
    description: 'Without a `USER` instruction the container runs as the base image user: root for OS and language base images (and for any image the file RUNs steps on). A file that only adds files to an application image inherits that image\'s user, so it is reported as info. Low when the command of the image runs `gosu` or `su-exec` (or `sudo -u`, `runuser -u`, `chpst -u`, `setpriv --reuid`, `s6-setuidgid`) for a user other than root, or its ENTRYPOINT (without one, its CMD) is a script (`docker-entrypoint.sh`) and it installs one (a package, a download, a COPY from its image): the official database images\' way, whose entrypoint re-runs the main process through it as an unprivileged user. Low as well when the command runs a test suite (`cypress run`, `playwright test`, `pytest`, `go test`, `npm test`, `jest`, …) and the image exposes no port: a one-shot test runner, not a service; so is a packaging container whose command only makes a folder and moves or copies files into it (`mkdir -p /output && mv lambda.zip /output/`) and that exposes no port. Low also for a toolbox image: a final stage (with the local stages it is built on) on a language-runtime or OS base (or the Docker image\'s CLI variant, `docker:…-cli`), not a server image such as nginx, httpd or the Docker daemon\'s whose own CMD starts a service, that declares no CMD, ENTRYPOINT or EXPOSE (an empty `CMD []` or `ENTRYPOINT []` clears the base\'s command and sets none), so what runs in it is the command `docker run` or a CI job gives. Not reported for a scratch image that only carries files: no command, or a command naming an archive or app package the image copies in (`ENTRYPOINT ["/app.apk"]`, an image built to be exported with `docker build --output`).',
    remediation: 'Add `USER <non-root user>` after the last step that needs root.',
    refs: { kics: 'dockerfile/missing_user_instruction', checkov: 'CKV_DOCKER_3', trivy: 'AVD-DS-0002' }
  },
  sudo: {
    id: 'dockerfile/sudo',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'sudo in RUN',
    description: 'Build steps already run as the current USER; `sudo` adds an unpredictable TTY/signal layer and suggests sudo is installed in the image. Low when every `sudo` of the RUN runs its step as a named user other than root (`sudo -u app …`): nothing is raised, and `USER` around the step would do the same.',
    remediation: 'Drop `sudo`; switch with `USER root` for the steps that need it and back to the unprivileged user afterwards.',
    refs: { kics: 'dockerfile/run_using_sudo', hadolint: 'DL3004', trivy: 'AVD-DS-0010' }
  },
  addInsteadOfCopy: {
    id: 'dockerfile/add-instead-of-copy',
    category: 'security',
    topics: ['supply-chain'],
    severity: 'low',
    title: 'ADD used where COPY would do',
    description: '`ADD` also fetches URLs and unpacks archives; for plain local files that hidden behaviour is a surprise waiting to happen.',
    remediation: 'Use `COPY` for local files and directories.',
    refs: { kics: 'dockerfile/add_instead_of_copy', hadolint: 'DL3020', checkov: 'CKV_DOCKER_4', trivy: 'AVD-DS-0005' }
  },
  addRemoteUrl: {
    id: 'dockerfile/add-remote-url',
    category: 'security',
    topics: ['supply-chain'],
    severity: 'medium',
    title: 'ADD downloads a URL without a checksum',
    description: '`ADD <url>` pulls remote content into the image with no integrity check, so a changed or compromised file is built in silently.',
    remediation: 'Add `--checksum=sha256:<digest>` to the ADD, or download with curl and verify the checksum in the same RUN.'
  },
  curlPipeShell: {
    id: 'dockerfile/curl-pipe-shell',
    category: 'security',
    topics: ['supply-chain'],
    severity: 'high',
    title: 'Remote script piped into a shell',
    description: '`curl … | sh` runs whatever the server returns at build time, unverified.',
    remediation: 'Download the script to a file, verify its checksum or signature, then run it.'
  },
  exposeSsh: {
    id: 'dockerfile/expose-ssh',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'medium',
    title: 'EXPOSE 22',
    description: 'Exposing SSH suggests an SSH daemon in the container, which widens the attack surface; use `docker exec`/`kubectl exec` instead.',
    remediation: 'Remove port 22 from EXPOSE and do not run sshd in the image.',
    refs: { kics: 'dockerfile/exposing_port_22', checkov: 'CKV_DOCKER_1', trivy: 'AVD-DS-0004' }
  },
  secretInEnv: {
    id: 'dockerfile/secret-in-env',
    category: 'secrets',
    topics: ['secret-storage', 'secret-exposure'],
    severity: 'high',
    title: 'Secret literal in ENV or ARG',
    description: 'ENV values are stored in the image config and ARG defaults in its history; anyone who can pull the image can read them.',
    remediation: 'Remove the literal; pass the secret at run time (orchestrator secret, env var) or at build time with `RUN --mount=type=secret`.',
    refs: { trivy: 'AVD-DS-0031' }
  },
  noHealthcheck: {
    id: 'dockerfile/no-healthcheck',
    category: 'slo',
    topics: ['health-checks'],
    severity: 'low',
    title: 'No HEALTHCHECK in the final image',
    description: 'Without a healthcheck, Docker and Swarm cannot tell a hung container from a healthy one, so it is never restarted or taken out of rotation.',
    remediation: 'Add a `HEALTHCHECK CMD …` that probes the service (or `HEALTHCHECK NONE` when the orchestrator probes it instead).',
    refs: { kics: 'dockerfile/healthcheck_instruction_missing', checkov: 'CKV_DOCKER_2', trivy: 'AVD-DS-0026' }
  },
  // Category slo: with a shell as PID 1, SIGTERM never reaches the application, so every stop
  // waits out the grace period and then kills the process mid-request (dropped requests and
  // slow rollouts on every deploy).
  shellFormCommand: {
    id: 'dockerfile/shell-form-command',
    category: 'slo',
    topics: ['rollout-strategy'],
    severity: 'low',
    title: 'CMD/ENTRYPOINT in shell form',
    description: 'In shell form `/bin/sh -c` is PID 1 and does not forward SIGTERM, so the application cannot shut down gracefully and is killed after the stop timeout.',
    remediation: 'Use the exec form, `CMD ["executable", "arg"]`, or start the command with `exec`.',
    refs: { hadolint: 'DL3025', kics: 'dockerfile/not_using_json_in_cmd_and_entrypoint_arguments' }
  },
  // A different claim from the shell form's: the container does not start at all.
  execFormNotJson: {
    id: 'dockerfile/exec-form-not-json',
    category: 'slo',
    topics: ['rollout-strategy'],
    severity: 'medium',
    title: 'CMD/ENTRYPOINT in brackets that are not JSON',
    description: 'Brackets whose items are not double-quoted (`[python, app.py]`, `[\'node\', \'app.js\']`) are not the exec form: Docker runs the text through `/bin/sh -c`, the shell reads `[` as the test command, and the container exits at once.',
    remediation: 'Quote every item with double quotes: `CMD ["python", "app.py"]`.',
    refs: { hadolint: 'DL3025', kics: 'dockerfile/not_using_json_in_cmd_and_entrypoint_arguments' }
  },
  aptCache: {
    id: 'dockerfile/apt-lists-not-deleted',
    category: 'cost',
    topics: ['cost-waste'],
    severity: 'low',
    title: 'apt lists left in the image',
    description: 'apt package lists that are not removed in the same RUN stay in the layer and grow every image pull and push.',
    remediation: 'End the same RUN with `&& rm -rf /var/lib/apt/lists/*`.',
    refs: { kics: 'dockerfile/apt_get_install_lists_were_not_deleted', hadolint: 'DL3009' }
  },
  apkCache: {
    id: 'dockerfile/apk-cache',
    category: 'cost',
    topics: ['cost-waste'],
    severity: 'low',
    title: 'apk add without --no-cache',
    description: 'The apk index cache stays in the layer unless `--no-cache` is given.',
    remediation: 'Use `apk add --no-cache …`.',
    refs: { kics: 'dockerfile/apk_add_using_local_cache_path', hadolint: 'DL3019', trivy: 'AVD-DS-0025' }
  },
  pipCache: {
    id: 'dockerfile/pip-cache',
    category: 'cost',
    topics: ['cost-waste'],
    severity: 'low',
    title: 'pip install without --no-cache-dir',
    description: "pip's download cache stays in the layer unless `--no-cache-dir` is given.",
    remediation: 'Use `pip install --no-cache-dir …` (or `ENV PIP_NO_CACHE_DIR=1`).',
    refs: { kics: 'dockerfile/pip_install_keeping_cached_packages', hadolint: 'DL3042' }
  },
  yumCache: {
    id: 'dockerfile/yum-cache',
    category: 'cost',
    topics: ['cost-waste'],
    severity: 'low',
    title: 'yum/dnf install without clean',
    description: 'The yum/dnf metadata and package cache stay in the layer unless cleaned in the same RUN.',
    remediation: 'End the same RUN with `&& yum clean all` (or `dnf clean all`).',
    refs: { kics: 'dockerfile/yum_clean_all_missing', hadolint: 'DL3032', trivy: 'AVD-DS-0015' }
  },
  workdirRelative: {
    id: 'dockerfile/workdir-relative',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'Relative WORKDIR',
    description: "A relative WORKDIR depends on the previous WORKDIR, possibly the base image's, which can change with the base image.",
    remediation: 'Use an absolute path, e.g. `WORKDIR /app`.',
    refs: { kics: 'dockerfile/workdir_path_not_absolute', hadolint: 'DL3000', checkov: 'CKV_DOCKER_10', trivy: 'AVD-DS-0009' }
  }
})
