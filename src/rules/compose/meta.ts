/** The catalogue of docker-compose rules. */
import { defineRules } from '../rule.js'

export const R = defineRules('compose', {
  noHealthcheck: {
    id: 'compose/no-healthcheck',
    category: 'slo',
    topics: ['health-checks'],
    severity: 'low',
    title: 'Service without healthcheck',
    description: 'Without a healthcheck, `depends_on: condition: service_healthy` cannot work and a hung container is never reported unhealthy. Not reported when the image is built beside the file (by `build:`, or as the repository\'s own `owner/name` image) from a Dockerfile declaring a HEALTHCHECK, nor for a one-shot task.',
    remediation: 'Add `healthcheck:` with a `test` that probes the service, plus `interval`, `timeout` and `retries`.',
    refs: { kics: 'dockerCompose/healthcheck_not_set' }
  },
  healthcheckDisabled: {
    id: 'compose/healthcheck-disabled',
    category: 'slo',
    topics: ['health-checks'],
    // Low, not info: a disabled check hides a dead container from restarts and dependants.
    severity: 'low',
    title: 'Healthcheck explicitly disabled',
    description: "`disable: true` or `test: [\"NONE\"]` turns off the image's own healthcheck; make sure something else watches the service.",
    remediation: 'Define a `healthcheck.test` for the service, or document why none is wanted.',
    refs: { kics: 'dockerCompose/healthcheck_not_set' }
  },
  noMemoryLimit: {
    id: 'compose/no-memory-limit',
    category: 'cost',
    topics: ['resource-limits'],
    severity: 'medium',
    title: 'Service without memory limit',
    description: 'A container without a memory limit can take all of the host memory and starve its neighbours. Low for a JVM whose environment caps its heap (`-Xmx` in `JAVA_OPTS`, `ES_JAVA_OPTS`, …): only the memory beyond the heap is unbounded. Low too for a one-shot task, which holds memory only while it runs: a service another waits for with `condition: service_completed_successfully`, a test runner nothing depends on (a profile alone says nothing: it may hold long-running workers), or a command-line tool\'s container (`alpine/curl`, `amazon/aws-cli`…) with `restart: "no"` running one command, which nothing depends on.',
    remediation: 'Set `deploy.resources.limits.memory` (or `mem_limit` in the v2 format).',
    refs: { kics: 'dockerCompose/memory_not_limited' }
  },
  noCpuLimit: {
    id: 'compose/no-cpu-limit',
    category: 'cost',
    topics: ['resource-limits'],
    severity: 'low',
    title: 'Service without CPU limit',
    description: 'A container without a CPU limit can use every core of the host.',
    remediation: 'Set `deploy.resources.limits.cpus` (or `cpus` in the v2 format).',
    refs: { kics: 'dockerCompose/cpus_not_limited' }
  },
  privileged: {
    id: 'compose/privileged',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Privileged container',
    description: 'A privileged container has every capability and access to host devices; escaping to the host is trivial.',
    remediation: 'Set `privileged: false` and grant only the capabilities needed with `cap_add`.',
    refs: { kics: 'dockerCompose/privileged_containers_enabled' }
  },
  dockerSocket: {
    id: 'compose/docker-socket',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Docker (or other container runtime) socket mounted',
    description: 'Access to the Docker socket (or containerd, CRI-O, Podman socket) is root access to the host: it can start a privileged container that mounts the host root.',
    remediation: 'Remove the socket mount; if the service must talk to Docker, put a filtering socket proxy in between.',
    refs: { kics: 'dockerCompose/docker_socket_mounted_in_container' }
  },
  hostSystemMount: {
    id: 'compose/host-system-mount',
    category: 'security',
    topics: ['least-privilege'],
    // High when writable; a read-only mount of a directory holding host secrets is reported as medium.
    severity: 'high',
    title: 'Host system directory mounted',
    description:
      'A bind mount of the host root, `/etc`, `/root`, `/home` or the Docker/kubelet state lets the container read host secrets (password hashes, SSH keys, other containers\' data); mounted writable, these and `/usr`, `/boot`, `/dev`, `/proc`, `/sys`, `/var`, `/run` let it take the host over. Read-only `/proc`, `/sys` or `/dev` (metrics agents) and single files such as `/etc/localtime` are not reported.',
    remediation: 'Mount only the file or subdirectory the service needs, read-only (`:ro`), or use a named volume.',
    refs: { kics: 'dockerCompose/volume_has_sensitive_host_directory' }
  },
  securityProfileDisabled: {
    id: 'compose/security-profile-disabled',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'Seccomp, AppArmor or SELinux confinement turned off',
    description: '`security_opt` with `seccomp:unconfined`, `apparmor:unconfined` or `label:disable` removes the kernel filters that block most container escapes. Low on a service that runs privileged or mounts a container runtime\'s socket (each reported on its own): it holds the host already.',
    remediation: 'Remove the option, or give a custom profile that allows only the extra system calls the service needs (`seccomp:./profile.json`).',
    refs: { kics: 'dockerCompose/default_seccomp_profile_disabled' }
  },
  portAllInterfaces: {
    id: 'compose/port-all-interfaces',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'medium',
    title: 'Port published on all interfaces',
    description: 'A port without a host IP is published on every interface of the host (0.0.0.0), bypassing host firewalls such as ufw. Low on the standard web ports (host port 80 or 443): a web entry point such as a reverse proxy is published there to be reached, so no loopback binding is suggested; likewise on a mail server\'s SMTP, submission, IMAP and POP3 ports (25, 465, 587, 143, 993, 110, 995) and a TURN server\'s (3478, 5349), when the service\'s image names such a server. A host address given by a variable is not reported, nor one variable holding address and host port whose default binds a specific address (`"${REDIS_PORT:-127.0.0.1:7654}:6379"`).',
    remediation: 'Bind to the interface that needs it, e.g. `"127.0.0.1:8080:80"` or `host_ip: 127.0.0.1` in the long syntax.',
    refs: { kics: 'dockerCompose/container_traffic_not_bound_to_host_interface' }
  },
  secretInEnvironment: {
    id: 'compose/secret-in-environment',
    category: 'secrets',
    topics: ['secret-storage', 'secret-exposure'],
    severity: 'high',
    title: 'Secret literal in environment',
    description: 'A credential written into the compose file is readable by everyone with the repository and shows in `docker inspect`. In a stack deployed to a shared host, medium when the value is the name of the service or its image, or the same as the user name beside it (`POSTGRES_USER`): a guess anyone would try first rather than a secret someone chose.',
    remediation: 'Use `${VAR}` interpolation from an untracked .env file, `env_file`, or compose `secrets:`.'
  },
  defaultCredential: {
    id: 'compose/default-credential-in-environment',
    category: 'secrets',
    topics: ['secret-storage'],
    severity: 'medium',
    title: 'Demo or default credential in a compose file not made for shared hosts',
    description:
      'A credential is set to a value anyone would guess (the image name, the user name, `root`, `example`, …) or to a word typed for a demo, in a compose file that is neither a Swarm stack nor a production file. That is the usual setup of a local development stack and not a leak; it becomes one when the file, or the habit, reaches a shared host. The message calls the file local only on evidence: a dev, test, example or demo word in its name or a test, example or dev-environment path, a service built from the checkout (`build:`), or the checkout (`.`, `./src`) bind-mounted into a service; otherwise it says nothing marks the file either way, and that deployed as it is, the value is the credential.',
    remediation: 'Read it from an untracked .env file (`${POSTGRES_PASSWORD:?set it in .env}`) so no environment runs with the guessable value by accident.'
  },
  noRestartPolicy: {
    id: 'compose/no-restart-policy',
    category: 'slo',
    topics: ['redundancy'],
    severity: 'low',
    title: 'Service without restart policy',
    description: 'Without `restart`, a crashed container stays down until someone starts it again. Not reported for a one-shot task (a test runner, a profiled tool, a service another waits for with `condition: service_completed_successfully`, a command-line tool\'s container with `restart: "no"` running one command, which nothing depends on).',
    remediation: 'Set `restart: unless-stopped` (or `deploy.restart_policy` for Swarm).'
  },
  networkModeHost: {
    id: 'compose/network-mode-host',
    category: 'security',
    topics: ['network-exposure', 'least-privilege'],
    severity: 'medium',
    title: 'Host network mode',
    description: "`network_mode: host` shares the host's network stack: the container can bind any host port and reach services listening on localhost. Low on a service that runs privileged or mounts a container runtime's socket (each reported on its own): it reaches the host already.",
    remediation: 'Use a bridge network and publish only the ports needed.',
    refs: { kics: 'dockerCompose/shared_host_network_namespace' }
  },
  hostNamespace: {
    id: 'compose/host-namespace',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'Host PID, IPC or user namespace',
    description: '`pid: host` or `ipc: host` lets the container see and signal host processes or read host shared memory; `userns_mode: host` undoes the daemon\'s user remapping for it.',
    remediation: 'Remove `pid: host` / `ipc: host` / `userns_mode: host` unless the service is a host agent that truly needs them.',
    refs: { kics: ['dockerCompose/host_namespace_is_shared', 'dockerCompose/shared_host_ipc_namespace', 'dockerCompose/shared_host_user_namespace'] }
  },
  dangerousCapability: {
    id: 'compose/dangerous-capability',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Dangerous capability added',
    description: '`cap_add` with ALL, SYS_ADMIN, SYS_MODULE, SYS_RAWIO, SYS_TIME, DAC_READ_SEARCH or BPF gives the container power over the host itself (mounts, kernel modules, devices, the clock, any file). Low when the service is also `privileged: true`: it holds every capability already, and the privileged finding is reported on its own.',
    remediation: 'Add only the narrow capabilities the service needs (e.g. `NET_BIND_SERVICE`).'
  },
  imageLatest: {
    id: 'compose/image-latest',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'medium',
    title: 'Image uses :latest or no tag',
    description: 'An image without a tag, or tagged `latest`, can change between two `docker compose pull`s.',
    remediation: 'Pin the image to a version tag (and ideally a digest), e.g. `postgres:16.2`.'
  }
})
