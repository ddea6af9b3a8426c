/** Rule-tester cases for the docker-compose rules: minimal files written for these tests. */
import type { CaseTable } from '../../helpers/rule-tester.js'

/** A service that passes every compose rule; cases change one thing. */
const svc = (extra = '', name = 'api'): string =>
  `services:\n  ${name}:\n    image: example/api:1.4.2\n    restart: unless-stopped\n    healthcheck:\n      test: ["CMD", "/app/health"]\n    deploy:\n      resources:\n        limits:\n          cpus: "0.5"\n          memory: 256M\n${extra}`

/** docker-compose.override.yml is merged onto docker-compose.yml by Compose itself: its services are partial. */
const OVERRIDE = {
  name: 'override file merged onto the base compose file',
  files: { 'docker-compose.override.yml': 'services:\n  api:\n    environment:\n      LOG_LEVEL: debug\n', 'docker-compose.yml': svc() }
}

/**
 * Dev, test and CI overlays passed after the base (`docker compose -f docker-compose.yml -f
 * docker-compose.dev.yml up`): services without an image or a build only add to the base's.
 */
const overlay = (path: string) => ({
  name: `overlay ${path} extending the base`,
  files: { [path]: 'services:\n  api:\n    ports:\n      - "127.0.0.1:9229:9229"\n    volumes:\n      - ./src:/app/src\n    command: npm run dev\n', 'docker-compose.yml': svc() }
})
const OVERLAYS = ['docker-compose.dev.yml', 'compose.test.yaml', 'docker-compose.ci.yml'].map(overlay)
/** A dev overlay that also adds a service of its own: that one is whole and judged. */
const OVERLAY_WITH_OWN_SERVICE = {
  name: 'overlay adding a service with its own image',
  files: { 'docker-compose.dev.yml': 'services:\n  api:\n    command: npm run dev\n  mailhog:\n    image: mailhog/mailhog:v1.0.1\n', 'docker-compose.yml': svc() }
}

/** An init task (a `chown` of a volume) and a complete service that waits for it under `condition`. */
const awaitedInit = (condition: string): string =>
  'services:\n  init:\n    image: busybox:1.36\n    command: ["sh", "-c", "chown -R 1000:1000 /data"]\n    volumes:\n      - ./data:/data\n' +
  '  app:\n    image: example/app:2.0.1\n    restart: unless-stopped\n    healthcheck:\n      test: ["CMD", "/app/health"]\n' +
  '    deploy:\n      resources:\n        limits:\n          cpus: "0.5"\n          memory: 256M\n' +
  `    depends_on:\n      init:\n        condition: ${condition}\n`
const INIT_TASK = { name: 'an init task another service waits to complete (service_completed_successfully)', code: awaitedInit('service_completed_successfully') }
const INIT_STARTED = { name: 'a service another waits only to start is long-running', code: awaitedInit('service_started') }

/** A test stack's services: a test runner and the app it tests, which sets no memory limit (line 5). */
const TEST_STACK = 'services:\n  tests:\n    image: example/tests:1.0.2\n    mem_limit: 128m\n  app:\n    image: example/app:1.4.2\n    ports: ["8080"]\n'
/** A Docker Hub autotest stack: the `sut` runner built from ./tests/ and the app it tests, with a demo login. */
/** A one-shot tool container (zammad's ollama-init): `alpine/curl` with `restart: "no"` running one command. */
const TOOL_ONCE = 'services:\n  ollama-init:\n    image: alpine/curl\n    entrypoint: ["/bin/sh", "-c"]\n    command:\n      - |\n        curl --location http://ollama:11434/api/pull --data \'{"name": "llama3.2"}\'\n    restart: "no"\n    depends_on:\n      - ollama\n'
/**
 * A Docker socket proxy the app depends on: `alpine/socat` with `restart: "no"` listening for good (`fork`).
 * The app sets its limits and healthcheck, so only the proxy (line 10) is reported.
 */
const SOCAT_PROXY = 'services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    restart: unless-stopped\n    depends_on: [docker-proxy]\n    mem_limit: 256m\n    cpus: 0.5\n    healthcheck:\n      test: ["CMD", "true"]\n  docker-proxy:\n    image: alpine/socat\n    restart: "no"\n    command: tcp-listen:2375,fork,reuseaddr unix-connect:/var/run/docker.sock\n'
/** `TOOL_ONCE` with an app depending on the tool container (line 11), which it then serves while it runs. */
const TOOL_DEPENDED_ON = TOOL_ONCE + '  app:\n    image: example/app:1.4.2\n    depends_on: [ollama-init]\n'
const SUT_STACK = 'services:\n  sut:\n    build: ./tests/\n    depends_on: [db]\n  db:\n    image: postgres:16.2\n    environment:\n      POSTGRES_USER: "postgres"\n      POSTGRES_PASSWORD: "postgres"\n'

/** The repository's own image, run by the compose file beside the Dockerfile that builds it. */
const OWN_IMAGE_COMPOSE = 'services:\n  emulator:\n    image: acme/cloud-emulator\n    ports:\n      - "127.0.0.1:4566:4566"\n'
const dockerfileWith = (healthcheck: string): string => `FROM python:3.12-slim\nCOPY emulator/ /opt/emulator/\n${healthcheck}ENTRYPOINT ["/opt/emulator/run"]\n`
const HEALTHY_DOCKERFILE = dockerfileWith('HEALTHCHECK --interval=10s CMD ["/opt/emulator/health"]\n')
const OWN_IMAGE = (repository: string, dockerfile: string) => ({ repository, files: { 'docker-compose.yml': OWN_IMAGE_COMPOSE, Dockerfile: dockerfile } })

export const composeCases: CaseTable = {
  'compose/dangerous-capability': {
    valid: [{ code: svc('    cap_add:\n      - NET_BIND_SERVICE\n') }],
    invalid: [
      { code: svc('    cap_add:\n      - SYS_ADMIN\n      - NET_BIND_SERVICE\n'), errors: [{ line: 13, severity: 'high', message: /SYS_ADMIN/ }] },
      { name: 'CAP_ prefix and ALL', code: svc('    cap_add:\n      - CAP_SYS_MODULE\n      - all\n'), errors: [{ line: 13 }, { line: 14 }] },
      { name: 'host clock', code: svc('    cap_add:\n      - SYS_TIME\n      - NET_ADMIN\n'), errors: [{ line: 13, severity: 'medium', message: /SYS_TIME` \(sets the host clock/ }] },
      {
        name: 'beside privileged: true, which grants every capability: low, saying so',
        code: svc('    privileged: true\n    cap_add:\n      - SYS_ADMIN\n'),
        errors: [{ line: 14, severity: 'low', message: /SYS_ADMIN` \(.*\) \(low: it is also privileged, which grants every capability and is reported on its own\)$/ }]
      }
    ]
  },
  'compose/default-credential-in-environment': {
    valid: [
      { name: "a registry's token issuer and service: the names its tokens are signed for", path: 'docker-compose.swarm.yml', code: svc('    environment:\n      - REGISTRY_AUTH_TOKEN_SERVICE=container_registry\n      - REGISTRY_AUTH_TOKEN_ISSUER=gitlab-issuer\n', 'registry') },
      { name: 'generated-looking value (the high rule)', code: svc('    environment:\n      DB_PASSWORD: Zq8vLm2Kp9Xw\n') },
      { name: 'reference to the shell environment', code: svc('    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n') },
      { name: 'Swarm stack file: no value is a local default', path: 'stack.yml', code: svc('    environment:\n      DB_PASSWORD: admin\n') }
    ],
    invalid: [
      {
        name: 'a trivial run of digits is a demo value too',
        code: svc('    environment:\n      MYSQL_ROOT_PASSWORD: 123456\n'),
        errors: [{ line: 13, severity: 'medium', message: /a demo value \(a trivial run of digits anyone would guess\)/ }]
      },
      {
        name: 'nothing marks the file as local: the message does not call it local',
        code: svc('    environment:\n      DB_PASSWORD: admin\n'),
        errors: [{ line: 13, severity: 'medium', message: /a demo value \(a placeholder word\) in a compose file that nothing marks as local .*deployed as it is, that value is the credential$/ }]
      },
      {
        name: 'a service built from the checkout: local, saying why',
        code: svc('    build: .\n    environment:\n      DB_PASSWORD: admin\n'),
        errors: [{ line: 14, severity: 'medium', message: /in a local compose file \(it builds `api` from the checkout\)$/ }]
      },
      {
        name: 'the checkout bind-mounted into a service: local, saying why',
        code: svc('    volumes:\n      - ./:/usr/src/app\n    environment:\n      DB_PASSWORD: admin\n'),
        errors: [{ line: 15, severity: 'medium', message: /in a local compose file \(it mounts `\.\/` of the checkout into `api`\)$/ }]
      },
      {
        name: 'a dev word in the file name: local, saying why',
        path: 'compose.dev.yaml',
        code: svc('    environment:\n      DB_PASSWORD: admin\n'),
        errors: [{ line: 13, severity: 'medium', message: /in a local compose file \(by the `dev` in its name\)$/ }]
      },
      {
        name: 'a dummy AWS key in the environment of LocalStack, an emulator that accepts any key: low, saying why',
        path: 'rtcstats/localstack/localstack.yml',
        code: 'services:\n  localstack:\n    image: localstack/localstack\n    environment:\n      - SERVICES=s3,dynamodb\n      - AWS_ACCESS_KEY_ID=dummy\n      - AWS_SECRET_ACCESS_KEY=dummy\n',
        errors: [{ line: 7, severity: 'low', message: /LocalStack, a local AWS emulator, which holds only what it keeps on this machine: the value guards no account of the cloud \(low\)$/ }]
      },
      {
        name: 'a Cloud SDK image running a datastore emulator: low',
        code: 'services:\n  datastore:\n    image: gcr.io/google.com/cloudsdktool/google-cloud-cli:emulators\n    command: gcloud beta emulators datastore start --host-port=0.0.0.0:8081\n    environment:\n      GOOGLE_CLOUD_PASSWORD: secret\n',
        errors: [{ line: 6, severity: 'low', message: /a Cloud SDK emulator/ }]
      },
      {
        name: 'the same dummy key given to the app beside the emulator: not the emulator, medium',
        code: 'services:\n  app:\n    image: example/app:1.0\n    environment:\n      AWS_SECRET_ACCESS_KEY: dummy\n  localstack:\n    image: localstack/localstack:3.4\n',
        errors: [{ line: 5, severity: 'medium' }]
      },
      {
        name: "another cloud's credential in LocalStack's environment: LocalStack checks no Azure key, but that one may be real, medium",
        code: 'services:\n  aws:\n    image: localstack/localstack:3\n    environment:\n      AWS_SECRET_ACCESS_KEY: test\n      AZURE_CLIENT_SECRET: admin\n',
        errors: [
          { line: 5, severity: 'low', message: /LocalStack, a local AWS emulator/ },
          { line: 6, severity: 'medium' }
        ]
      },
      {
        name: "an AWS key in Azurite's environment (registry, tag and digest read by the shared image helper): medium; its own account key low",
        code: 'services:\n  storage:\n    image: mcr.microsoft.com/azure-storage/azurite:3.31.0@sha256:' + 'a'.repeat(64) + '\n    environment:\n      AZURE_STORAGE_KEY: test\n      AWS_SECRET_ACCESS_KEY: test\n',
        errors: [
          { line: 5, severity: 'low', message: /Azurite, a local Azure Storage emulator/ },
          { line: 6, severity: 'medium' }
        ]
      },
      {
        name: 'a Google credential given to fake-gcs-server from docker.io: low; an AWS one beside it: medium',
        code: 'services:\n  gcs:\n    image: docker.io/fsouza/fake-gcs-server:1.49\n    environment:\n      GOOGLE_CLOUD_PASSWORD: secret\n      AWS_SECRET_ACCESS_KEY: test\n',
        errors: [
          { line: 5, severity: 'low', message: /fake-gcs-server/ },
          { line: 6, severity: 'medium' }
        ]
      },
      {
        name: "a demo value of LocalStack's own auth token, a key of its vendor: medium",
        code: 'services:\n  localstack:\n    image: localstack/localstack-pro\n    environment:\n      LOCALSTACK_AUTH_TOKEN: changeme\n',
        errors: [{ line: 5, severity: 'medium' }]
      },
      {
        name: 'a Cloud SDK image used as a CLI, not an emulator: medium',
        code: 'services:\n  cli:\n    image: google/cloud-sdk:470.0.0\n    command: gcloud storage ls\n    environment:\n      GOOGLE_CLOUD_PASSWORD: secret\n',
        errors: [{ line: 6, severity: 'medium' }]
      },
      { name: 'password equal to the user name', code: svc('    environment:\n      DB_USER: shopkeeper\n      DB_PASSWORD: shopkeeper\n'), errors: [{ line: 14, message: /the same as `DB_USER`/ }] },
      {
        name: 'in a test stack with a `sut` service: info, saying so',
        path: 'result/docker-compose.yml',
        code: SUT_STACK,
        errors: [{ line: 9, severity: 'info', message: /the same as `POSTGRES_USER`\) in a local compose file \(it builds `sut` from the checkout\) \(In a compose test stack, whose `sut` service is the test runner of Docker Hub's automated tests: reported for information\.\)$/ }]
      },
      { name: 'in a CI stack by its file name (docker-compose.ci.yml): info', path: 'docker-compose.ci.yml', code: SUT_STACK.replace('sut', 'runner'), errors: [{ line: 9, severity: 'info', message: /by the `ci` segment of its file name/ }] },
      { name: "in an integration test's stack by its folder: info", path: 'integration/clusters/single-stateful/compose.yml', code: SUT_STACK.replace('sut', 'runner'), errors: [{ line: 9, severity: 'info', message: /by the `integration` folder it sits in/ }] },
      { name: 'in a stage named integration: kept', path: 'deploy/integration/docker-compose.yml', code: SUT_STACK.replace('sut', 'runner'), errors: [{ line: 9, severity: 'medium' }] },
      { name: 'password in a URL', code: svc('    environment:\n      DATABASE_URL: postgres://app:example@db/app\n'), errors: [{ line: 13, message: /URL of `DATABASE_URL`/ }] },
      {
        name: 'a masked value and a bracketed stand-in',
        code: svc('    environment:\n      DB_PASSWORD: "***"\n      APP_SECRET: "<your-secret>"\n'),
        errors: [
          { line: 13, severity: 'medium', message: /a stand-in to be replaced/ },
          { line: 14, severity: 'medium', message: /a stand-in to be replaced/ }
        ]
      }
    ]
  },
  'compose/docker-socket': {
    valid: [{ code: svc('    volumes:\n      - ./data:/data\n') }],
    invalid: [
      { code: svc('    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n'), errors: [{ line: 13, severity: 'high' }] },
      { name: 'long syntax', code: svc('    volumes:\n      - type: bind\n        source: /var/run/docker.sock\n        target: /var/run/docker.sock\n'), errors: [{ line: 13 }] },
      { name: 'containerd socket', code: svc('    volumes:\n      - /run/containerd/containerd.sock:/run/containerd/containerd.sock\n'), errors: [{ line: 13, message: /containerd container runtime socket/ }] },
      { name: 'the host /var/run read-only still reaches the socket', code: svc('    volumes:\n      - /var/run:/var/run:ro\n'), errors: [{ line: 13, severity: 'high', message: /a read-only mount does not stop it/ }] }
    ]
  },
  'compose/host-system-mount': {
    valid: [
      { code: svc('    volumes:\n      - ./data:/data\n      - data:/var/lib/app\n') },
      { name: 'single host files and read-only metrics mounts', code: svc('    volumes:\n      - /etc/localtime:/etc/localtime:ro\n      - /proc:/host/proc:ro\n      - /sys:/host/sys:ro,rslave\n      - /var/log/app:/logs\n') },
      { name: 'path from the environment', code: svc('    volumes:\n      - ${HOST_DIR}:/data\n') },
      { name: 'docker socket (its own rule)', code: svc('    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n') },
      { name: 'anonymous volumes at container paths (one path, no host side)', code: svc('    volumes:\n      - /var/lib/docker\n      - /etc\n') },
      { name: 'long syntax named volume', code: svc('    volumes:\n      - type: volume\n        source: etc\n        target: /etc\n') }
    ],
    invalid: [
      { code: svc('    volumes:\n      - /etc:/host/etc\n'), errors: [{ line: 13, severity: 'high', message: /host's `\/etc` writable/ }] },
      { name: 'host root read-only is still a secret leak', code: svc('    volumes:\n      - /:/rootfs:ro\n'), errors: [{ line: 13, severity: 'medium', message: /host root filesystem read-only/ }] },
      { name: 'writable /proc, trailing slash', code: svc('    volumes:\n      - /proc/:/host/proc\n'), errors: [{ line: 13, severity: 'high' }] },
      {
        name: 'long syntax, read_only honoured',
        code: svc('    volumes:\n      - type: bind\n        source: /var/lib/docker\n        target: /docker\n        read_only: true\n      - type: bind\n        source: /dev\n        target: /dev\n'),
        errors: [{ line: 13, severity: 'medium' }, { line: 17, severity: 'high' }]
      }
    ]
  },
  'compose/security-profile-disabled': {
    valid: [{ code: svc('    security_opt:\n      - no-new-privileges:true\n      - seccomp:./seccomp.json\n') }],
    invalid: [
      { code: svc('    security_opt:\n      - seccomp:unconfined\n'), errors: [{ line: 13, severity: 'medium', message: /seccomp:unconfined/ }] },
      { name: 'apparmor and SELinux label, = form', code: svc('    security_opt:\n      - apparmor=unconfined\n      - label:disable\n'), errors: [{ line: 13 }, { line: 14 }] },
      { name: 'privileged: false does not lower it', code: svc('    privileged: false\n    security_opt:\n      - seccomp:unconfined\n'), errors: [{ line: 14, severity: 'medium' }] },
      {
        name: 'a privileged service (reported on its own): low',
        code: svc('    privileged: true\n    security_opt:\n      - label:disable\n'),
        errors: [{ line: 14, severity: 'low', message: /`label:disable` \(the service runs privileged, reported on its own, .*: low\.\)$/ }]
      },
      {
        name: 'a service holding the Docker socket (reported on its own): low',
        code: svc('    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n    security_opt:\n      - label=disable\n'),
        errors: [{ line: 15, severity: 'low', message: /holds the container runtime's socket, reported on its own,.*: low\.\)$/ }]
      }
    ]
  },
  'compose/healthcheck-disabled': {
    valid: [{ code: svc() }],
    invalid: [
      { code: 'services:\n  api:\n    image: example/api:1.4.2\n    healthcheck:\n      disable: true\n', errors: [{ line: 5 }] },
      { name: 'test NONE', code: 'services:\n  api:\n    image: example/api:1.4.2\n    healthcheck:\n      test: ["NONE"]\n', errors: [{ line: 5 }] }
    ]
  },
  'compose/host-namespace': {
    valid: [{ code: svc('    pid: "service:db"\n') }],
    invalid: [
      { code: svc('    pid: host\n    ipc: host\n'), errors: [{ line: 12, message: /PID/ }, { line: 13, message: /IPC/ }] },
      { name: 'user namespace', code: svc('    userns_mode: host\n'), errors: [{ line: 12, message: /userns_mode: host/ }] }
    ]
  },
  'compose/image-latest': {
    valid: [
      { code: svc() },
      { name: 'image named by a build', code: 'services:\n  api:\n    build: .\n    image: example/api\n' },
      { name: 'tag from a variable', code: 'services:\n  api:\n    image: example/api:${TAG}\n' }
    ],
    invalid: [
      { code: 'services:\n  api:\n    image: example/api:latest\n', errors: [{ line: 3, message: /latest/ }] },
      { name: 'no tag', code: 'services:\n  api:\n    image: redis\n', errors: [{ line: 3 }] },
      {
        name: "a dev container's stack: low, saying why",
        path: '.devcontainer/docker-compose.yml',
        code: 'services:\n  tika:\n    image: apache/tika:latest\n',
        errors: [{ line: 3, severity: 'low', message: /\(In a local development setup, where a moving version changes only a developer's workspace: low\.\)$/ }]
      },
      { name: 'a stack outside a dev setup stays medium', path: 'deploy/docker-compose.yml', code: 'services:\n  tika:\n    image: apache/tika:latest\n', errors: [{ line: 3, severity: 'medium' }] }
    ]
  },
  'compose/network-mode-host': {
    valid: [{ code: svc('    network_mode: bridge\n') }],
    invalid: [
      { code: svc('    network_mode: host\n'), errors: [{ line: 12, severity: 'medium' }] },
      { name: 'a read-only bind of another host path does not lower it', code: svc('    volumes:\n      - /etc/app:/etc/app:ro\n    network_mode: host\n'), errors: [{ line: 14, severity: 'medium' }] },
      { name: 'a privileged service (reported on its own): low', code: svc('    privileged: true\n    network_mode: host\n'), errors: [{ line: 13, severity: 'low', message: /host network \(the service runs privileged, reported on its own,.*: low\.\)$/ }] },
      {
        name: "a service binding containerd's socket, long syntax (reported on its own): low",
        code: svc('    volumes:\n      - type: bind\n        source: /run/containerd/containerd.sock\n        target: /run/containerd/containerd.sock\n    network_mode: host\n'),
        errors: [{ line: 16, severity: 'low', message: /holds the container runtime's socket/ }]
      }
    ]
  },
  'compose/no-cpu-limit': {
    valid: [OVERRIDE, ...OVERLAYS, { code: svc() }, { name: 'cpus at service level', code: 'services:\n  api:\n    image: example/api:1.4.2\n    cpus: 0.5\n' }],
    invalid: [
      { code: 'services:\n  api:\n    image: example/api:1.4.2\n    mem_limit: 256m\n', errors: [{ line: 2 }] },
      { ...INIT_TASK, errors: [{ line: 2, severity: 'info', message: /no CPU limit \(a one-shot task another service waits to complete/ }] },
      { ...INIT_STARTED, errors: [{ line: 2, severity: 'low', message: 'service `init` has no CPU limit' }] },
      { name: 'a socket proxy the app depends on, in a socat image told not to restart, is long-running: low', code: SOCAT_PROXY, errors: [{ line: 10, severity: 'low', message: 'service `docker-proxy` has no CPU limit' }] }
    ]
  },
  'compose/no-healthcheck': {
    valid: [OVERRIDE, ...OVERLAYS,
      { name: 'named override file alone in the change', path: 'compose.dev.override.yaml', code: 'services:\n  api:\n    image: example/api:1.4.3\n' },
      { code: svc() },
      { name: 'one-shot sut test runner', code: 'services:\n  sut:\n    image: example/tests:1.0\n' },
      { name: 'a tool container told not to restart, running one command', code: TOOL_ONCE },
      { name: 'one-shot tool behind a profile', code: 'services:\n  migrate:\n    image: example/migrate:1.0\n    profiles: [tools]\n' },
      INIT_TASK,
      { name: "the repository's own image, whose Dockerfile beside the file declares a HEALTHCHECK", ...OWN_IMAGE('Acme/cloud-emulator', HEALTHY_DOCKERFILE) },
      {
        name: 'built from the Dockerfile beside the file, which declares a HEALTHCHECK in the stage the final one is built on',
        files: {
          'deploy/compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: web.Dockerfile\n',
          'deploy/web.Dockerfile': 'FROM node:20.11 AS base\nHEALTHCHECK CMD ["node", "health.js"]\nFROM base\nCOPY . /srv\n'
        }
      }
    ],
    invalid: [
      { code: 'services:\n  api:\n    image: example/api:1.4.2\n', errors: [{ line: 2 }] },
      { ...INIT_STARTED, errors: [{ line: 2 }] },
      { name: 'a socket proxy the app depends on, in a socat image told not to restart, is long-running', code: SOCAT_PROXY, errors: [{ line: 10 }] },
      { name: 'a tool container another service depends on is no one-shot', code: TOOL_DEPENDED_ON, errors: [{ line: 2 }, { line: 11 }] },
      { name: "an image that is not the repository's own", ...OWN_IMAGE('acme/cloud-emulator-docs', HEALTHY_DOCKERFILE), errors: [{ line: 2 }] },
      { name: "the repository's own image, but its Dockerfile declares no HEALTHCHECK", ...OWN_IMAGE('acme/cloud-emulator', dockerfileWith('')), errors: [{ line: 2 }] },
      { name: "the repository's own image, but its Dockerfile turns the check off", ...OWN_IMAGE('acme/cloud-emulator', dockerfileWith('HEALTHCHECK NONE\n')), errors: [{ line: 2 }] },
      {
        name: 'built from a Dockerfile that declares no HEALTHCHECK',
        files: { 'compose.yaml': 'services:\n  web:\n    build: .\n', Dockerfile: 'FROM node:20.11\nCOPY . /srv\nCMD ["node", "/srv/server.js"]\n' },
        errors: [{ line: 2 }]
      },
      { ...OVERLAY_WITH_OWN_SERVICE, errors: [{ line: 4, message: 'service `mailhog` sets no healthcheck (unless its image declares a HEALTHCHECK, which Compose then uses)' }] },
      { name: 'the base file itself is whole, even a service without an image', code: 'services:\n  api:\n    build: .\n  worker:\n    command: run\n', errors: [{ line: 2 }, { line: 4 }] }
    ]
  },
  'compose/no-memory-limit': {
    valid: [OVERRIDE, ...OVERLAYS, { code: svc() }, { name: 'mem_limit', code: 'services:\n  api:\n    image: example/api:1.4.2\n    mem_limit: 256m\n' }],
    invalid: [
      { code: 'services:\n  api:\n    image: example/api:1.4.2\n    deploy:\n      resources:\n        limits:\n          cpus: "1"\n', errors: [{ line: 6 }] },
      {
        name: 'a JVM whose heap the environment caps: low, naming the flag',
        code: 'services:\n  search:\n    image: example/search:8.1\n    environment:\n      - discovery.type=single-node\n      - ES_JAVA_OPTS=-Xms256m -Xmx256m\n',
        errors: [{ line: 2, severity: 'low', message: /its JVM heap is capped \(`-Xmx256m` in `ES_JAVA_OPTS`\)/ }]
      },
      {
        name: 'a heap size from a variable caps nothing known: medium',
        code: 'services:\n  search:\n    image: example/search:8.1\n    environment:\n      JAVA_OPTS: "-Xmx${HEAP}"\n',
        errors: [{ line: 2, severity: 'medium' }]
      },
      ...['docker-compose.test.yml', 'compose.ci.yaml', 'docker-compose-e2e.yml', 'stack.e2e.yml'].map((path) => ({
        name: `a test stack by its file name (${path}): info, saying so`,
        path,
        code: TEST_STACK,
        errors: [{ line: 5, severity: 'info' as const, message: /^service `app` has no memory limit \(In a compose test stack, by the `(test|ci|e2e)` segment of its file name: reported for information\.\)$/ }]
      })),
      {
        name: "a test stack by its `sut` service (Docker Hub's automated tests): info, saying so",
        path: 'result/docker-compose.yml',
        code: SUT_STACK,
        errors: [
          { line: 2, severity: 'info', message: /\(In a compose test stack, whose `sut` service is the test runner of Docker Hub's automated tests: reported/ },
          { line: 5, severity: 'info' }
        ]
      },
      { name: 'a name with `test` inside a word (`contest`) is no test stack: medium', path: 'contest/docker-compose.contest.yml', code: TEST_STACK, errors: [{ line: 5, severity: 'medium' }] },
      { name: 'in a test tree: the test path says so first', path: 'tests/docker-compose.test.yml', code: TEST_STACK, errors: [{ line: 5, severity: 'info', message: /\(In a test or fixture path: reported for information\.\)$/ }] },
      { ...INIT_TASK, errors: [{ line: 2, severity: 'low', message: 'service `init` has no memory limit (a one-shot task another service waits to complete, so only while it runs)' }] },
      {
        name: 'a long-running worker behind a profile (a Kafka consumer of an optional feature): medium, a profile says nothing of how long it runs',
        code: 'services:\n  outcomes-consumer:\n    image: example/snuba:24.1\n    command: rust-consumer --storage outcomes_raw\n    profiles:\n      - feature-complete\n',
        errors: [{ line: 2, severity: 'medium', message: 'service `outcomes-consumer` has no memory limit' }]
      },
      { ...INIT_STARTED, errors: [{ line: 2, severity: 'medium', message: 'service `init` has no memory limit' }] },
      { name: 'a tool container told not to restart, running one command: low, saying why', code: TOOL_ONCE, errors: [{ line: 2, severity: 'low', message: 'service `ollama-init` has no memory limit (a one-shot task: `restart: "no"` and the tool image `alpine/curl` running one command, which exits, so only while it runs)' }] },
      { name: 'an app image told not to restart: medium', code: TOOL_ONCE.replace('image: alpine/curl', 'image: example/api:1.4.2'), errors: [{ line: 2, severity: 'medium' }] },
      { name: 'a tool container that may restart: medium', code: TOOL_ONCE.replace('restart: "no"', 'restart: on-failure'), errors: [{ line: 2, severity: 'medium' }] },
      { name: 'a socket proxy the app depends on, in a socat image told not to restart: medium', code: SOCAT_PROXY, errors: [{ line: 10, severity: 'medium', message: 'service `docker-proxy` has no memory limit' }] },
      { name: 'socat alone, nothing depending on it, may listen for good: medium', code: SOCAT_PROXY.replace('    depends_on: [docker-proxy]\n', ''), errors: [{ line: 9, severity: 'medium' }] },
      { name: 'a shell image (busybox) told not to restart runs anything, a server too: medium', code: TOOL_ONCE.replace('image: alpine/curl', 'image: busybox:1.36'), errors: [{ line: 2, severity: 'medium' }] },
      { name: 'a tool container another service depends on serves it while it runs: medium', code: TOOL_DEPENDED_ON, errors: [{ line: 2, severity: 'medium' }, { line: 11, severity: 'medium' }] }
    ]
  },
  'compose/no-restart-policy': {
    valid: [OVERRIDE, ...OVERLAYS, 
      { code: svc() },
      { name: 'swarm stack file restarts by default', path: 'docker-stack.yml', code: 'services:\n  api:\n    image: example/api:1.4.2\n' },
      { name: 'a test runner that nothing depends on runs once', code: 'services:\n  web:\n    image: example/web:1.4.2\n    restart: unless-stopped\n  webTests:\n    image: example/web-tests:1.4.2\n    depends_on:\n      - web\n' },
      INIT_TASK
    ],
    invalid: [
      { code: 'services:\n  api:\n    image: example/api:1.4.2\n', errors: [{ line: 2 }] },
      { ...INIT_STARTED, errors: [{ line: 2 }] },
      { name: 'a test environment (singular -test) is a service', code: 'services:\n  app-test:\n    image: example/app:1.4.2\n', errors: [{ line: 2 }] },
      { name: 'a service named like a test runner that others depend on is a service', code: 'services:\n  stub-test:\n    image: example/stub:1.0.1\n  api:\n    image: example/api:1.4.2\n    restart: always\n    depends_on: [stub-test]\n', errors: [{ line: 2 }] }
    ]
  },
  'compose/port-all-interfaces': {
    valid: [
      { code: svc('    ports:\n      - "127.0.0.1:8080:80"\n') },
      { name: 'long syntax bound to loopback', code: svc('    ports:\n      - target: 80\n        published: 8080\n        host_ip: 127.0.0.1\n') },
      { name: 'IPv6 loopback', code: svc('    ports:\n      - "[::1]:8080:80"\n') },
      { name: 'address from a variable', code: svc('    ports:\n      - "${BIND_ADDRESS:-127.0.0.1}:8080:80"\n') },
      { name: 'one variable holding address and host port, defaulting to loopback', code: svc('    ports:\n      - "${REDIS_PORT:-127.0.0.1:7654}:6379"\n') },
      { name: 'one variable holding address and host port, defaulting (when unset) to a private address', code: svc('    ports:\n      - "${DB_PORT-10.0.0.5:5432}:5432/tcp"\n') }
    ],
    invalid: [
      { code: svc('    ports:\n      - "8080:80"\n'), errors: [{ line: 13, suggestion: '      - "127.0.0.1:8080:80"' }] },
      { name: 'explicit 0.0.0.0', code: svc('    ports:\n      - 0.0.0.0:8443:443\n'), errors: [{ line: 13 }] },
      { name: 'a host port from a variable with no default (nothing says which address)', code: svc('    ports:\n      - "${REDIS_PORT}:6379"\n'), errors: [{ line: 13, severity: 'medium' }] },
      { name: 'a variable defaulting to a host port alone', code: svc('    ports:\n      - "${REDIS_PORT:-7654}:6379"\n'), errors: [{ line: 13, severity: 'medium' }] },
      { name: 'a variable defaulting to all interfaces', code: svc('    ports:\n      - "${REDIS_PORT:-0.0.0.0:7654}:6379"\n'), errors: [{ line: 13, severity: 'medium' }] },
      {
        name: 'a reverse proxy on the standard web ports: low, a web entry point, with no loopback suggestion',
        code: svc('    ports:\n      - 80:80\n      - "443:443"\n'),
        errors: [
          { line: 13, severity: 'low', message: /on the standard web port 80: a web entry point, meant to be reached from the network \(low\)/, suggestion: null },
          { line: 14, severity: 'low', message: /standard web port 443/, suggestion: null }
        ]
      },
      { name: 'long syntax on port 443: low', code: svc('    ports:\n      - target: 8443\n        published: 443\n'), errors: [{ line: 14, severity: 'low', message: /publishes container port 8443 on all host interfaces, on the standard web port 443/ }] },
      { name: 'a web port inside the container only (host port 8080): medium', code: svc('    ports:\n      - "8080:443"\n'), errors: [{ line: 13, severity: 'medium' }] },
      {
        name: "a mail server's SMTP, submission and IMAP ports: low, entry points of a mail server",
        code: 'services:\n  mailserver:\n    image: ghcr.io/docker-mailserver/docker-mailserver:15.1\n    ports:\n      - "25:25"\n      - "587:587"\n      - target: 993\n        published: 993\n',
        errors: [
          { line: 5, severity: 'low', message: /on port 25 of a mail server \(image `docker-mailserver`\): meant to be reached from the network \(low\)/, suggestion: null },
          { line: 6, severity: 'low' },
          { line: 8, severity: 'low', message: /container port 993 on all host interfaces, on port 993 of a mail server/ }
        ]
      },
      { name: "a TURN server's port: low", code: 'services:\n  turn:\n    image: coturn/coturn:4.6\n    ports:\n      - "3478:3478/udp"\n', errors: [{ line: 5, severity: 'low', message: /port 3478 of a TURN server/ }] },
      { name: 'a mail port on an image that is no mail server: medium', code: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "25:5432"\n', errors: [{ line: 5, severity: 'medium' }] },
      { name: "a mail catcher's web interface published on host port 25: medium", code: 'services:\n  mail:\n    image: mailhog/mailhog:v1.0.1\n    ports:\n      - "25:8025"\n', errors: [{ line: 5, severity: 'medium' }] },
      { name: "a mail server's admin port: medium", code: 'services:\n  mail:\n    image: mailcow/dovecot:2.3\n    ports:\n      - "8080:8080"\n', errors: [{ line: 5, severity: 'medium' }] },
      { name: 'in a test stack (docker-compose.test.yml): info', path: 'docker-compose.test.yml', code: TEST_STACK, errors: [{ line: 7, severity: 'info', message: /In a compose test stack/ }] }
    ]
  },
  'compose/privileged': {
    valid: [{ code: svc('    privileged: false\n') }],
    invalid: [
      { code: svc('    privileged: true\n'), errors: [{ line: 12, severity: 'high', suggestion: '    privileged: false' }] },
      { name: 'set in an override file: what an override sets is judged', path: 'compose.override.yaml', code: 'services:\n  api:\n    privileged: true\n', errors: [{ line: 3 }] },
      { name: 'set in a dev overlay: what an overlay sets is judged', path: 'docker-compose.dev.yml', code: 'services:\n  api:\n    privileged: true\n', errors: [{ line: 3 }] }
    ]
  },
  'compose/secret-in-environment': {
    valid: [
      { name: 'value from the shell', code: svc('    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n      LOG_LEVEL: debug\n') },
      { name: 'name only in list form', code: svc('    environment:\n      - AWS_SECRET_ACCESS_KEY\n') },
      { name: 'path to a secret file', code: svc('    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db\n') },
      { name: 'empty value', code: svc('    environment:\n      DB_PASSWORD: ""\n') },
      { name: 'numeric setting', code: svc('    environment:\n      - PASSWORD_MIN_LENGTH=12\n') },
      { name: 'boolean switch', code: svc('    environment:\n      REDIS_PASSWORD_ENABLED: "false"\n') },
      { name: 'placeholder', code: svc('    environment:\n      DB_PASSWORD: changeme\n') },
      { name: 'MySQL switches named like passwords', code: svc('    environment:\n      MYSQL_RANDOM_ROOT_PASSWORD: "yes"\n      MYSQL_ALLOW_EMPTY_PASSWORD: "yes"\n') },
      { name: 'relative path to a secret file', code: svc('    environment:\n      DB_PASSWORD: secrets/db_password.txt\n') },
      { name: 'a count of model tokens', code: svc('    environment:\n      MAX_TOKENS: "4096"\n') },
      { name: 'a masked value and a bracketed stand-in (a demo value, the medium rule)', code: svc('    environment:\n      DB_PASSWORD: "***"\n      APP_SECRET: "<your-secret>"\n') }
    ],
    invalid: [
      { code: svc('    environment:\n      DB_PASSWORD: Zq8vLm2Kp9Xw\n'), errors: [{ line: 13, severity: 'high' }] },
      { name: 'list form', code: svc('    environment:\n      - SECRET_KEY=Zq8vLm2Kp9Xw4R\n'), errors: [{ line: 13 }] },
      {
        name: "Swarm stack: a password equal to the service's image name is the image's default, medium",
        path: 'docker-stack.yml',
        code: 'services:\n  store:\n    image: registry.example.com/mariadb:11.4\n    environment:\n      MARIADB_PASSWORD: "mariadb"\n',
        errors: [{ line: 5, severity: 'medium', message: /^(?!.*`mariadb`).*a guessable value: the name of the service's image, the first guess against it/ }]
      },
      {
        name: "Swarm stack: a password equal to the service's name, medium",
        path: 'docker-stack.yml',
        code: 'services:\n  keydb:\n    image: example/cache:7.2\n    environment:\n      - CACHE_PASSWORD=keydb\n',
        errors: [{ line: 5, severity: 'medium', message: /^(?!.*`keydb`).*a guessable value: the name of the service, the first guess against it/ }]
      },
      { name: 'Swarm stack: a chosen password beside the same image stays high', path: 'docker-stack.yml', code: 'services:\n  store:\n    image: mariadb:11.4\n    environment:\n      MARIADB_PASSWORD: Ledger-Vault-7731\n', errors: [{ line: 5, severity: 'high' }] },
      {
        name: 'Swarm stack: a password equal to the user name beside it is a default login, medium',
        path: 'stack.yml',
        code: 'services:\n  db:\n    image: postgres\n    environment:\n      - POSTGRES_USER=ledger\n      - POSTGRES_PASSWORD=ledger\n',
        errors: [{ line: 6, severity: 'medium', message: /^(?!.*`ledger`).*the same as `POSTGRES_USER` beside it \(a default login\)$/ }]
      },
      {
        // The path lowers it to info, so the message no longer names the severity it had.
        name: 'Swarm stack in a test tree: the default login reported for information, not called medium',
        path: 'tests/stack.yml',
        code: 'services:\n  db:\n    image: postgres\n    environment:\n      - POSTGRES_USER=ledger\n      - POSTGRES_PASSWORD=ledger\n',
        errors: [{ line: 6, severity: 'info', message: /beside it \(a default login\) \(In a test, example or documentation path: reported for information\.\)$/ }]
      },
      {
        name: 'Swarm stack: a chosen password beside a user name stays high',
        path: 'stack.yml',
        code: 'services:\n  db:\n    image: postgres\n    environment:\n      - POSTGRES_USER=ledger\n      - POSTGRES_PASSWORD=Ledger-Vault-7731\n',
        errors: [{ line: 6, severity: 'high' }]
      }
    ]
  }
}
