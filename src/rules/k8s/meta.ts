/** The catalogue of Kubernetes rules. Categories follow what KICS assigns to the same checks. */
import { defineRules } from '../rule.js'

/**
 * When a workload serves no caller in view, for the rules that assume it serves traffic
 * (`k8s/single-replica`, `k8s/recreate-strategy`; see `servesNoCaller` in workloads.ts).
 */
const NO_CALLER_IN_VIEW =
  'no Service of the set selects the pods but one that only exposes metrics (named `*-metrics`, or whose ports are all named `metrics`, `http-metrics`, `https-metrics` or `prometheus`, or, for a Service whose name has the word `metrics` (`operator-metrics-service`), target, by name or number, a port so named that a running container of the pod declares under no other name, whatever the Service port is called) or that reaches them nowhere (outside a kustomization, whose patches may add ports, and not a headless Service, which publishes the pods\' addresses whatever its ports: every port of it targets by name a port that no container or sidecar of the pod declares, which Kubernetes cannot resolve; a numeric `targetPort`, or none, may reach an undeclared port and counts), and every port the containers declare is a metrics one (so named, or a target of such a Service) or one only their own probes call (a `probes` or `healthz` port, when such a Service selects the pods), or the pod template carries no labels outside a kustomization, so no Service can select it.'

/**
 * What the rules say about Pod Security Admission (see ./pod-security.ts): a pod its namespace's
 * `enforce` level forbids is rejected, never runs.
 */
const rejectedAt = (levels: string, lead = 'Low when'): string =>
  ` ${lead} the pod's namespace is a Namespace of the same folder or kustomization build whose label \`pod-security.kubernetes.io/enforce\` is ${levels}: Pod Security Admission rejects the pod, so it never runs and the manifest fails to deploy as written.`
const BASELINE_REJECTS = rejectedAt('`baseline` or `restricted`')
const RESTRICTED_REJECTS = rejectedAt('`restricted`')
/** For rules already low: the message says why the pod never runs. */
const RESTRICTED_REJECTS_SAID = rejectedAt('`restricted`', 'The message says so when')

export const K8S = defineRules('kubernetes', {
  // ── Availability (slo) ──────────────────────────────────────────────────────────────────
  noLivenessProbe: {
    id: 'k8s/no-liveness-probe',
    category: 'slo',
    topics: ['health-checks'],
    severity: 'medium',
    title: 'Container without liveness probe',
    description: 'Without a liveness probe a hung process keeps its pod Running and is never restarted. Low when the container has a readiness probe: a hung container is taken out of Service traffic, only not restarted. Not reported for the Kubernetes pause image (a capacity placeholder), whose one process only waits for a signal, nor for a container whose whole command only idles (`sleep infinity`, a `sleep` of an hour or more, `tail -f /dev/null`, after nothing but `echo`s and other one-shot notes such as `hostname >> /data/host.txt`: an image pre-puller).',
    remediation: 'Add a `livenessProbe` (httpGet, tcpSocket, grpc or exec) that fails when the process is stuck.',
    refs: { checkov: 'CKV_K8S_8', kics: 'k8s/liveness_probe_is_not_defined' }
  },
  noReadinessProbe: {
    id: 'k8s/no-readiness-probe',
    category: 'slo',
    topics: ['health-checks', 'rollout-strategy'],
    severity: 'medium',
    title: 'Container without readiness probe',
    description: 'Without a readiness probe a pod receives traffic as soon as it starts, before it can serve it, and a rollout cannot tell a broken version from a good one. Not reported for the Kubernetes pause image (a capacity placeholder), which serves nothing, nor for a container whose whole command only idles (`sleep infinity`, a `sleep` of an hour or more, `tail -f /dev/null`, after nothing but `echo`s and other one-shot notes such as `hostname >> /data/host.txt`: an image pre-puller), nor for a container that declares no `containerPort` when every Service of the set that selects its pod targets only ports other containers of the pod declare (by name or number: a config reloader beside the server). Low when no container of the pod declares a port and no Service of the set selects it (a controller or worker): a Service elsewhere could still target a port the container does not declare. Low too, whatever its ports, for a Pod or a built-in workload\'s pod template whose metadata gives it no labels, outside a kustomization (whose `labels:` may add some): no Service can select it, and a bare Pod has no rollout to hold back. An operator labels the pods of a custom resource itself.',
    remediation: 'Add a `readinessProbe` that succeeds only when the container can serve requests.',
    refs: { checkov: 'CKV_K8S_9', kics: 'k8s/readiness_probe_is_not_configured' }
  },
  singleReplica: {
    id: 'k8s/single-replica',
    category: 'slo',
    topics: ['redundancy'],
    severity: 'medium',
    title: 'Workload runs a single replica',
    description: 'With one replica every node drain, eviction or rollout makes the workload unavailable. Low when the pod template mounts a PersistentVolumeClaim by name that no claim of the set shares across nodes (`ReadWriteMany`, `ReadOnlyMany`; a claim the set does not show is taken as `ReadWriteOnce`): every replica would mount that one volume, so a second could not run beside the first. The `replicas: 2` suggestion is offered only for a Deployment with no claimed volume, no `Recreate` rollout and no app container of a single-instance datastore image (`postgres`, `postgresql`, `mysql`, `mariadb`, `redis`, `valkey`, `mongo`, `mongodb`, from any registry), whose second pod would be a second, independent database behind the same Service. Low, with no suggestion, when the workload serves no caller in view (a controller or worker, which a drain or rollout only pauses), and a second copy would double its work or need leader election: ' + NO_CALLER_IN_VIEW,
    remediation: 'Run at least two replicas (or let a HorizontalPodAutoscaler with `minReplicas: 2` manage them).'
  },
  noPodDisruptionBudget: {
    id: 'k8s/no-pod-disruption-budget',
    category: 'slo',
    topics: ['redundancy', 'rollout-strategy'],
    severity: 'low',
    title: 'Replicated workload without PodDisruptionBudget',
    description: 'Without a PodDisruptionBudget a node drain may evict all replicas at once. PodDisruptionBudgets among the manifests deployed together (same folder, kustomization or rendered chart) count.',
    remediation: 'Add a PodDisruptionBudget (`minAvailable` or `maxUnavailable`) whose selector matches the pod labels.',
    refs: { kics: ['k8s/deployment_without_pod_disruption_budget', 'k8s/statefulset_without_pod_disruption_budget'] }
  },
  noAntiAffinity: {
    id: 'k8s/no-pod-anti-affinity',
    category: 'slo',
    topics: ['redundancy'],
    severity: 'low',
    title: 'Replicas may be scheduled on the same node',
    description: 'Without pod anti-affinity (matching the pod labels) or topology spread constraints, all replicas can land on one node or zone and fail together.',
    remediation: 'Add `affinity.podAntiAffinity` with a label selector matching the pod labels, or `topologySpreadConstraints`.',
    refs: { kics: 'k8s/deployment_has_no_pod_anti_affinity' }
  },

  // ── Cost (resource requests and limits) ──────────────────────────────────────────────────
  noCpuRequests: {
    id: 'k8s/no-cpu-requests',
    category: 'cost',
    topics: ['resource-limits', 'cost-sizing'],
    severity: 'medium',
    title: 'Container without CPU request',
    description: 'Without a CPU request the scheduler cannot place the pod by its needs and capacity planning is guesswork. Not reported for the Kubernetes pause image (a capacity placeholder), nor for a container whose whole command only idles (`sleep infinity`, a `sleep` of an hour or more, `tail -f /dev/null`, after nothing but `echo`s) beside an app container that works (an image pre-puller): either uses next to no CPU or memory. A lone idle container is a shell to `kubectl exec` into, whose commands use its resources: reported. Low for an init container: the pod reserves the larger of its init containers\' requests and the sum of its app containers\', so its own matters only above that sum.',
    remediation: 'Set `resources.requests.cpu` to the CPU the container needs at steady state.',
    refs: { checkov: 'CKV_K8S_10', kics: 'k8s/cpu_requests_not_set', trivy: 'AVD-KSV-0015' }
  },
  noCpuLimits: {
    id: 'k8s/no-cpu-limits',
    category: 'cost',
    topics: ['resource-limits'],
    severity: 'low',
    title: 'Container without CPU limit',
    description: 'Without a CPU limit one container can take all the CPU of its node. Not reported for the Kubernetes pause image (a capacity placeholder), nor for a container whose whole command only idles (`sleep infinity`, a `sleep` of an hour or more, `tail -f /dev/null`, after nothing but `echo`s) beside an app container that works (an image pre-puller): either uses next to no CPU or memory. A lone idle container is a shell to `kubectl exec` into, whose commands use its resources: reported.',
    remediation: 'Set `resources.limits.cpu`.',
    refs: { checkov: 'CKV_K8S_11', kics: 'k8s/cpu_limits_not_set', trivy: 'AVD-KSV-0011' }
  },
  noMemoryRequests: {
    id: 'k8s/no-memory-requests',
    category: 'cost',
    topics: ['resource-limits', 'cost-sizing'],
    severity: 'medium',
    title: 'Container without memory request',
    description: 'Without a memory request the pod can be scheduled on a node that cannot hold it and is among the first evicted under pressure. Not reported for the Kubernetes pause image (a capacity placeholder), nor for a container whose whole command only idles (`sleep infinity`, a `sleep` of an hour or more, `tail -f /dev/null`, after nothing but `echo`s) beside an app container that works (an image pre-puller): either uses next to no CPU or memory. A lone idle container is a shell to `kubectl exec` into, whose commands use its resources: reported. Low for an init container: the pod reserves the larger of its init containers\' requests and the sum of its app containers\', so its own matters only above that sum.',
    remediation: 'Set `resources.requests.memory` to the memory the container needs.',
    refs: { checkov: 'CKV_K8S_12', kics: 'k8s/memory_requests_not_defined', trivy: 'AVD-KSV-0016' }
  },
  noMemoryLimits: {
    id: 'k8s/no-memory-limits',
    category: 'cost',
    topics: ['resource-limits'],
    severity: 'medium',
    title: 'Container without memory limit',
    description: 'Without a memory limit a leaking container can exhaust its node and take its neighbours down. Not reported for the Kubernetes pause image (a capacity placeholder), nor for a container whose whole command only idles (`sleep infinity`, a `sleep` of an hour or more, `tail -f /dev/null`, after nothing but `echo`s) beside an app container that works (an image pre-puller): either uses next to no CPU or memory. A lone idle container is a shell to `kubectl exec` into, whose commands use its resources: reported.',
    remediation: 'Set `resources.limits.memory`.',
    refs: { checkov: 'CKV_K8S_13', kics: 'k8s/memory_limits_not_defined', trivy: 'AVD-KSV-0018' }
  },

  // ── Immutability ─────────────────────────────────────────────────────────────────────────
  imageLatest: {
    id: 'k8s/image-latest',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'medium',
    title: 'Image uses `latest` or no tag',
    description: 'A `latest` or missing tag resolves to whatever was pushed last: deployments are not reproducible and a rollback may not restore the old code. Low for the Kubernetes pause image, a placeholder whose versions behave alike. Info for a bare one-word image (no registry or namespace, such as `controller`) that a kustomization deploying it (in its folder, or one including it) lists under `images:` without renaming it to another repository: a slot the build fills in with `kustomize edit set image`. Info too for kubebuilder\'s (and operator-sdk\'s) scaffold without that entry: image `controller` in the Deployment `controller-manager` of a folder a kustomization builds, which the project\'s Makefile sets with `kustomize edit set image controller=…` before building.',
    remediation: 'Pin the image to a version tag, or better to a digest (`image@sha256:…`).',
    refs: { checkov: 'CKV_K8S_14', kics: 'k8s/invalid_image', trivy: 'AVD-KSV-0013' }
  },
  imageMissing: {
    id: 'k8s/image-missing',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'medium',
    title: 'Container without image',
    description: 'A container without `image` cannot run as written; whatever fills it in later is not reviewed here.',
    remediation: 'Set `image` to a pinned reference (`name:version` or `name@sha256:…`).',
    refs: { kics: 'k8s/invalid_image' }
  },

  // ── Security: container level ────────────────────────────────────────────────────────────
  privileged: {
    id: 'k8s/privileged-container',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'critical',
    title: 'Privileged container',
    description: 'A privileged container has every capability and access to the host devices: a compromise of it is a compromise of the node. Medium for a CNI/CSI node plugin, whose container mounts a host path of `/opt/cni/bin`, `/etc/cni/net.d`, `/var/lib/cni` or `/sys/fs/bpf`, or a volume with `mountPropagation: Bidirectional` (such plugins need it by design), or of a storage plugin mounting the kubelet\'s plugin folders (`/usr/libexec/kubernetes/kubelet-plugins/volume/exec` for FlexVolume, `/var/lib/kubelet/plugins` or `/var/lib/kubelet/plugins_registry` for CSI). Medium too for an init container that serves no port and only runs fixed `sysctl -w key=value` commands (directly or as a `sh -c` script with no pipe, substitution, redirection or other command) on parameters of an allow-list of resource sizes and limits (such as `vm.max_map_count`, `vm.swappiness`, `fs.inotify.max_user_watches`, `fs.file-max`, the IPC limits, `net.core.somaxconn`, socket buffers, TCP keepalive and the local port range; not a setting that switches a host protection, like `net.core.bpf_jit_harden` or `vm.unprivileged_userfaultfd`), as the Elasticsearch set-up of `vm.max_map_count` does, from an image pinned by digest, a Docker Hub official image (`busybox`, `alpine`…), the Kubernetes registry or a distribution\'s base image: the message names the image.' + BASELINE_REJECTS,
    remediation: 'Set `privileged: false` and grant only the specific capabilities the container needs.',
    refs: { checkov: 'CKV_K8S_16', kics: 'k8s/container_is_privileged', trivy: 'AVD-KSV-0017' }
  },
  privilegeEscalationAllowed: {
    id: 'k8s/privilege-escalation-allowed',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Privilege escalation allowed',
    description: '`allowPrivilegeEscalation: true` lets a process gain more privileges than its parent (setuid binaries, file capabilities). Low when the container adds `SYS_ADMIN`, beside which the API server refuses `allowPrivilegeEscalation: false`, or when it runs as UID 0 (its own `runAsUser`, else the pod\'s) and drops ALL capabilities: root already holds its whole fixed capability set, which nothing raises further; the capability and the root user are reported on their own.' + RESTRICTED_REJECTS,
    remediation: 'Set `allowPrivilegeEscalation: false`.',
    refs: { checkov: 'CKV_K8S_20', kics: 'k8s/privilege_escalation_allowed', trivy: 'AVD-KSV-0001' }
  },
  privilegeEscalationNotDisabled: {
    id: 'k8s/privilege-escalation-not-disabled',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'low',
    title: 'Privilege escalation not disabled',
    description: '`allowPrivilegeEscalation` defaults to true; it should be switched off explicitly.' + RESTRICTED_REJECTS_SAID,
    remediation: 'Add `securityContext.allowPrivilegeEscalation: false` to the container.',
    refs: { checkov: 'CKV_K8S_20', trivy: 'AVD-KSV-0001' }
  },
  runAsRoot: {
    id: 'k8s/run-as-root',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Container runs as root (UID 0)',
    description: '`runAsUser: 0` runs the container as root; a container escape then starts from root. Medium when the container is also privileged (it holds the node already, and the privileged finding says so) or when an init container runs as root only to change file ownership, or for a CNI/CSI node plugin, whose container mounts a host path of `/opt/cni/bin`, `/etc/cni/net.d`, `/var/lib/cni`, `/sys/fs/bpf` or the kubelet\'s volume plugin folders, or a volume with `mountPropagation: Bidirectional` (such plugins need it by design), or when its own security context drops ALL capabilities, adds none back and sets `allowPrivilegeEscalation: false` (root then holds little beyond the files it can reach).' + RESTRICTED_REJECTS,
    remediation: 'Run as a non-zero UID (`runAsUser: 10001`) and set `runAsNonRoot: true`.',
    refs: { checkov: 'CKV_K8S_23', kics: 'k8s/containers_running_as_root', trivy: 'AVD-KSV-0012' }
  },
  runAsNonRootNotSet: {
    id: 'k8s/run-as-non-root-not-set',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'Container may run as root',
    description: 'Neither a non-zero `runAsUser` nor `runAsNonRoot: true` is set at pod or container level, so the container runs as whatever user the image declares, often root. Not reported for the Kubernetes pause image, which declares user 65535. Low for a Docker Hub official server image whose entrypoint starts as root only to prepare the data folder and then re-runs the server as the image\'s own user through `gosu`/`su-exec` (`postgres`, `redis`, `mysql`, `mariadb`, `mongo`, `rabbitmq`), when no `command:` replaces that entrypoint and any `args:` still start the server (options, or the server\'s own command): the server does not run as root, though nothing in the spec enforces it. Low too for an image whose own Dockerfile declares a non-root user (`grafana/grafana`, `grafana/grafana-oss`, `grafana/grafana-enterprise` from 5.1 on, or `latest`: UID 472; `n8nio/n8n` from 1.0 on, or `latest`: `node`; any of Kubeflow\'s notebook servers, `ghcr.io/kubeflow/kubeflow/notebook-servers/*` or on Docker Hub `kubeflownotebookswg/` `jupyter*`, `codeserver*`, `rstudio*` (not its web apps): UID 1000), unless a `command:` runs a tool that switches user (`sudo`, `su`, `su-exec`…): a `command:` replaces the program, not the user it runs as. Low also for a privileged container, which holds the node whatever its user and is reported on its own (`k8s/privileged-container`), where that finding keeps its full severity (not a CNI/CSI node plugin or an init container only running `sysctl -w`).' + RESTRICTED_REJECTS,
    remediation: 'Set `securityContext.runAsNonRoot: true` (pod or container level) and a non-zero `runAsUser`.',
    refs: { checkov: 'CKV_K8S_23', kics: 'k8s/containers_running_as_root', trivy: 'AVD-KSV-0012' }
  },
  dangerousCapability: {
    id: 'k8s/dangerous-capability',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Container adds a capability that reaches the host kernel',
    description: 'ALL, SYS_ADMIN, SYS_MODULE, SYS_RAWIO, SYS_TIME, DAC_READ_SEARCH or BPF act on the host itself (mounts, kernel modules, devices, the clock, any file), not just the container. Low when the same container is privileged: it holds every capability already, and the privileged finding is reported on its own.' + BASELINE_REJECTS,
    remediation: 'Remove the capability from `capabilities.add`; drop ALL and add back only narrow ones such as NET_BIND_SERVICE.',
    refs: { checkov: 'CKV_K8S_39', kics: 'k8s/containers_with_sys_admin_capabilities', trivy: ['AVD-KSV-0005', 'AVD-KSV-0022'] }
  },
  capabilitiesNotDropped: {
    id: 'k8s/capabilities-not-dropped',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'low',
    title: 'Container keeps the default capabilities (hardening)',
    description:
      'Hardening: a container that does not drop ALL capabilities keeps the runtime defaults, including NET_RAW (crafted packets, ARP/DNS spoofing on the pod network) and CHOWN, SETUID and friends that most services never use.' + RESTRICTED_REJECTS_SAID,
    remediation: 'Add `securityContext.capabilities.drop: [ALL]` and add back only what the process needs (e.g. `NET_BIND_SERVICE`).',
    refs: { checkov: ['CKV_K8S_37', 'CKV_K8S_28'], kics: ['k8s/no_drop_capabilities_for_containers', 'k8s/net_raw_capabilities_not_being_dropped'], trivy: 'AVD-KSV-0003' }
  },
  netRawCapability: {
    id: 'k8s/net-raw-capability',
    category: 'security',
    topics: ['least-privilege', 'network-exposure'],
    severity: 'medium',
    title: 'Container adds the NET_RAW capability',
    description:
      'NET_RAW lets a process craft raw packets: spoof ARP or DNS answers to other pods on the node, or scan the network. Few workloads other than ping-like tools need it. Low when the container is privileged, adds SYS_ADMIN or ALL, or adds NET_ADMIN on a `hostNetwork` pod: each a larger power reported on its own.' + BASELINE_REJECTS,
    remediation: 'Remove NET_RAW from `capabilities.add`; drop ALL and add back only what is needed.',
    refs: { checkov: 'CKV_K8S_28', kics: 'k8s/net_raw_capabilities_not_being_dropped' }
  },
  noSeccompProfile: {
    id: 'k8s/no-seccomp-profile',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'low',
    title: 'Pod without a seccomp profile (hardening)',
    description:
      'Hardening: without `seccompProfile: RuntimeDefault` (or a Localhost profile) containers run Unconfined on most clusters, so every system call, including rarely needed ones used in kernel exploits, is open to them.' +
      rejectedAt('`restricted` (or `baseline`, for a profile set to Unconfined)', 'The message says so when'),
    remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or on every container).',
    refs: { checkov: 'CKV_K8S_31', kics: 'k8s/seccomp_profile_is_not_configured', trivy: ['AVD-KSV-0030', 'AVD-KSV-0104'] }
  },
  serviceAccountTokenAutomount: {
    id: 'k8s/service-account-token-automount',
    category: 'security',
    topics: ['least-privilege', 'secret-exposure'],
    severity: 'low',
    title: 'Service-account token mounted where it is likely unused (hardening)',
    description:
      'Hardening: a pod that runs as the default service account usually never calls the Kubernetes API, yet gets a token mounted; whoever compromises the container can use it against the API server.',
    remediation: 'Set `automountServiceAccountToken: false` on the pod (or on its ServiceAccount); give pods that need the API their own ServiceAccount.',
    refs: { checkov: 'CKV_K8S_38', kics: 'k8s/service_account_token_automount_not_disabled', trivy: 'AVD-KSV-0036' }
  },
  noNetworkPolicy: {
    id: 'k8s/no-network-policy',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'low',
    title: 'No NetworkPolicy selects the pods (hardening)',
    description:
      'Hardening: no NetworkPolicy among the manifests deployed together with the workload selects its pods, so unless a policy applied elsewhere covers the namespace, every pod of the cluster can reach them.',
    remediation: 'Add a NetworkPolicy whose `podSelector` matches the pods and allows only the clients and ports they serve (or a default-deny policy for the namespace).'
  },
  writableRootFilesystem: {
    id: 'k8s/writable-root-filesystem',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'low',
    title: 'Root filesystem is writable',
    description: 'A writable root filesystem lets an attacker drop tools or change binaries inside the container.',
    remediation: 'Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the app must write.',
    refs: { checkov: 'CKV_K8S_22', trivy: 'AVD-KSV-0014' }
  },

  // ── Secrets ──────────────────────────────────────────────────────────────────────────────
  literalSecretEnv: {
    id: 'k8s/secret-literal-env',
    category: 'secrets',
    topics: ['secret-storage', 'secret-exposure'],
    severity: 'high',
    title: 'Secret as a literal environment value',
    description: 'A credential written into the manifest is in the repository history and readable by anyone who can read the workload. The access key of an access/secret key pair is its login and not reported when it is a short lower-case name and the secret key of the same store beside it is reported as a literal (`MINIO_ACCESS_KEY: tempo` beside `MINIO_SECRET_KEY: …`). Medium for a well-known default (`admin`, `p@ssw0rd`) and a password equal to the login beside it. Low for at most three lower-case words with no digit under a name that says what owns a Secret object (operator, controller, TLS, certificate, registry, pull, image, kubeconfig: `OPERATOR_SECRET: operator`), which more likely name that object than hold a secret; a signing secret (`JWT_SECRET`, `SESSION_SECRET`) keeps its severity.',
    remediation: 'Move the value into a Secret (or an external secret store) and reference it; rotate the exposed value.'
  },
  secretInEnv: {
    id: 'k8s/secret-in-env',
    category: 'secrets',
    topics: ['secret-exposure'],
    severity: 'low',
    title: 'Secret exposed through environment variables',
    description: 'Secrets in environment variables leak through crash dumps, `/proc`, child processes and logging of the environment; mounted files are safer.',
    remediation: 'Mount the Secret as a volume and read it from a file instead of `secretKeyRef` / `envFrom.secretRef`.',
    refs: { checkov: 'CKV_K8S_35', kics: 'k8s/secrets_as_environment_variables' }
  },

  // ── Security: pod level ──────────────────────────────────────────────────────────────────
  hostNetwork: {
    id: 'k8s/host-network',
    category: 'security',
    topics: ['network-exposure', 'least-privilege'],
    severity: 'high',
    title: 'Pod shares the host network',
    description: '`hostNetwork: true` gives the pod the node network stack: it can reach node-local services and sniff traffic.' + BASELINE_REJECTS,
    remediation: 'Remove `hostNetwork: true`; expose ports through a Service.',
    refs: { checkov: 'CKV_K8S_19', kics: 'k8s/shared_host_network_namespace', trivy: 'AVD-KSV-0009' }
  },
  hostPid: {
    id: 'k8s/host-pid',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Pod shares the host PID namespace',
    description: '`hostPID: true` lets the pod see and signal every process on the node.' + BASELINE_REJECTS,
    remediation: 'Remove `hostPID: true`.',
    refs: { checkov: 'CKV_K8S_17', kics: 'k8s/shared_host_pid_namespace', trivy: 'AVD-KSV-0010' }
  },
  hostIpc: {
    id: 'k8s/host-ipc',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Pod shares the host IPC namespace',
    description: '`hostIPC: true` lets the pod read shared memory of every process on the node.' + BASELINE_REJECTS,
    remediation: 'Remove `hostIPC: true`.',
    refs: { checkov: 'CKV_K8S_18', kics: 'k8s/shared_host_ipc_namespace', trivy: 'AVD-KSV-0008' }
  },
  hostPathVolume: {
    id: 'k8s/host-path-volume',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'hostPath volume outside kube-system',
    description: 'A hostPath volume exposes the node filesystem to the pod; outside system components this is rarely needed and often a way out of the container. Low when the path is not one of the node\'s system paths (`/`, `/etc`, `/root`, `/home`, `/proc`, `/sys`, `/dev`, `/boot`, `/usr`, `/bin`, `/sbin`, `/lib`, `/var/log`, the container runtime\'s and the kubelet\'s credentials folders, the folders of `/run` or `/var/run` that belong to the system (container runtimes, systemd, D-Bus, udev, network namespaces, locks, secrets, Open vSwitch…), or a broad parent such as `/var/lib`, `/var/cache`, `/run`, `/var/run`, `/opt` or `/tmp`) and either a container mounting it is a CNI/CSI node plugin, privileged or not (as `k8s/privileged-container` classifies it: a `Bidirectional` mount, a CNI, kubelet volume plugin or BPF folder of the host), or a DaemonSet, a node agent, mounts it with `type: DirectoryOrCreate` below a top-level folder, the folder\'s last part named after the DaemonSet\'s name or its `app`/`app.kubernetes.io/name` label (case-insensitive, one holding the other: `/var/run/<agent>`), and outside the kubelet\'s, k3s/RKE\'s (`/var/lib/rancher`), CNI\'s (`/var/lib/cni`, `/opt/cni`), `/etc/kubernetes` and the runtimes\' trees, since the `type` is the author\'s to write: the folder is the plugin\'s or agent\'s own, and any privilege is reported on its own. Low too when every container mounting a path outside those system paths (or a placeholder such as `<dataDirHostPath>`) is privileged and reported critical on its own (not a node plugin or an init container only running `sysctl -w`, whose privilege is medium): that holds the whole node already.' + BASELINE_REJECTS,
    remediation: 'Use a PersistentVolumeClaim, `emptyDir`, ConfigMap or Secret volume instead of `hostPath`.',
    refs: { kics: 'k8s/non_kube_system_pod_with_host_mount', trivy: 'AVD-KSV-0023' }
  },
  runtimeSocketMount: {
    id: 'k8s/container-runtime-socket-mount',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'critical',
    title: 'Container runtime socket mounted',
    description: 'Mounting the Docker/containerd/CRI-O socket lets the pod start privileged containers on the node: full node takeover.' + BASELINE_REJECTS,
    remediation: 'Do not mount the runtime socket; build images with a daemonless builder (kaniko, buildah) instead.',
    refs: { checkov: 'CKV_K8S_27', kics: 'k8s/docker_daemon_socket_is_exposed_to_containers', trivy: 'AVD-KSV-0006' }
  },

  // ── Rollback ─────────────────────────────────────────────────────────────────────────────
  recreateStrategy: {
    id: 'k8s/recreate-strategy',
    category: 'rollback',
    topics: ['rollout-strategy'],
    severity: 'medium',
    title: 'Deployment uses the Recreate strategy',
    description: '`Recreate` stops every old pod before starting new ones: each rollout and each rollback is an outage. A single replica holding a volume claim or bound to a host port cannot run twice side by side, so Recreate is not reported for it. Low when the Deployment serves no caller in view (a controller or worker, which a rollout only pauses), and Recreate keeps two copies from running at once: ' + NO_CALLER_IN_VIEW,
    remediation: 'Use `strategy.type: RollingUpdate` (with `maxUnavailable`/`maxSurge`) unless old and new versions truly cannot run side by side.'
  },
  noRevisionHistory: {
    id: 'k8s/no-revision-history',
    category: 'rollback',
    topics: ['rollback-path'],
    severity: 'medium',
    title: 'No revision history kept',
    description: '`revisionHistoryLimit: 0` deletes old ReplicaSets/revisions, so `kubectl rollout undo` has nothing to go back to.',
    remediation: 'Keep a few revisions (`revisionHistoryLimit: 3` or more; the default is 10).'
  },
  noMinReadySeconds: {
    id: 'k8s/no-min-ready-seconds',
    category: 'rollback',
    topics: ['rollout-strategy'],
    severity: 'low',
    title: 'Deployment without minReadySeconds',
    description: 'With `minReadySeconds` 0 a pod counts as available the moment it is ready, so a version that crashes shortly after start can roll out completely before anyone notices.',
    remediation: 'Set `minReadySeconds` (e.g. 10–30) so new pods must stay ready for a while before the rollout continues.'
  },

  // ── RBAC ─────────────────────────────────────────────────────────────────────────────────
  rbacWildcard: {
    id: 'k8s/rbac-wildcard',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'RBAC rule with a wildcard',
    description: '`*` in verbs, resources, apiGroups or nonResourceURLs grants every present and future permission of that kind; a resource `*/x` is subresource x of every resource. High when the rule reaches every API group, every resource of the core group (pods, Secrets, service accounts), a sensitive resource (Secrets, pods/exec, service account tokens, impersonation, RBAC, nodes, certificate approval, admission webhooks, persistent volumes, CRDs, namespaces), writes on every resource of a built-in group, or every verb on every resource, a sensitive subresource of every resource (`*/exec`, `*/attach`, `*/portforward`, `*/proxy`, `*/token`, `*/ephemeralcontainers`, `*/approval`, whatever the verbs); low when every resource it names is a named status subresource (`deployments/status`: a status subresource serves only get, update and patch, which report state), unless one is `pods/status`, `services/status`, `nodes/status`, `ingresses/status`, `gateways/status` or `httproutes/status`, whose content steers traffic (medium: external-dns and load-balancer controllers act on an Ingress\'s, a Gateway\'s or a route\'s status); medium when it is limited to read-only verbs, to other subresources of every resource (`*/finalizers`, `*/status`, `*/scale`, `*/eviction`, the message saying what each changes), to non-resource URLs (no API object: every one still includes reading `/logs` and `/debug/pprof`, and writing `PUT /debug/flags/v`, the API server\'s log verbosity), to custom (non-built-in) API groups, or to named ordinary resources (every verb on `statefulsets` or `services`: what a controller of those resources needs anyway). A namespaced Role\'s wildcard reaches its own namespace only: medium, unless that namespace is a system one (`kube-system`, `kube-public`, `kube-node-lease`); a Role is judged without the cluster-scoped resources of built-in groups it names (`persistentvolumes`, `nodes`, `clusterroles`, `storageclasses`, webhook configurations, CRDs…), which it cannot grant, and the message says so; naming only such resources it grants nothing: info. Low at most in a file its folder\'s kustomization leaves out and no kustomization in view names in any field (a scaffold\'s commented-out `# - role.yaml`): that build does not create it, but `kubectl apply -f` on the folder still would, and whoever writes the kustomization chooses what it leaves out; a folder with no kustomization in view, one whose kustomization does not parse or lists a pattern, keeps every file.',
    remediation: 'List the exact apiGroups, resources and verbs the subject needs.',
    refs: { checkov: 'CKV_K8S_49', kics: 'k8s/rbac_wildcard_in_rule', trivy: ['AVD-KSV-0044', 'AVD-KSV-0045', 'AVD-KSV-0046'] }
  },
  clusterAdminBinding: {
    id: 'k8s/cluster-admin-binding',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Binding to cluster-admin',
    description: 'Binding a subject to `cluster-admin` gives it full control of the cluster. A RoleBinding to it grants every right in its own namespace only, and is reported as medium. Low in a file its folder\'s kustomization leaves out and no kustomization in view names: that build does not create it, but `kubectl apply -f` on the folder still would, and whoever writes the kustomization chooses what it leaves out.',
    remediation: 'Bind a Role or ClusterRole with only the permissions the subject needs.',
    refs: { kics: 'k8s/cluster_admin_role_binding_with_super_user_permissions', trivy: 'AVD-KSV-0111' }
  },

  // ── Services ─────────────────────────────────────────────────────────────────────────────
  openLoadBalancer: {
    id: 'k8s/load-balancer-open',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'low',
    title: 'LoadBalancer Service without source ranges',
    description: 'A `LoadBalancer` Service without `loadBalancerSourceRanges` (and not marked internal) is reachable from the whole internet.',
    remediation: 'Set `spec.loadBalancerSourceRanges` to the client CIDRs, or use an internal load balancer.',
    refs: { kics: 'k8s/service_with_external_load_balancer' }
  },
  serviceSelectsNoPods: {
    id: 'k8s/service-selects-no-pods',
    category: 'slo',
    topics: ['availability-target', 'health-checks'],
    severity: 'medium',
    title: 'Service selector matches none of the pods deployed with it',
    description:
      'The selector of a Service matches the pod labels of none of the workloads in its manifest set (its folder, or the rendered chart), usually a typo or a label renamed on one side only: the Service gets no endpoints and every request to it fails. Labels the workload\'s controller adds to its pods count when the template does not set them: a StatefulSet\'s `statefulset.kubernetes.io/pod-name` (`<name>-<ordinal>`, the ordinal within its replicas) and `apps.kubernetes.io/pod-index`, `controller-revision-hash` (StatefulSet, DaemonSet), `pod-template-hash` (Deployment), a Job\'s `job-name`. Low when the Service targets its ports by name, a workload of the set declares every one of those names and its labels lack the selector\'s keys without contradicting any: the app or its operator may label its own pod at run time (a leader, a recovery backend).',
    remediation: 'Make `spec.selector` equal to labels the target pods carry (`spec.template.metadata.labels` of the workload).'
  },
  nodePort: {
    id: 'k8s/node-port-service',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'low',
    title: 'NodePort Service',
    description: 'A `NodePort` Service opens the port on every node, bypassing the load balancer and its access controls.',
    remediation: 'Use `ClusterIP` behind an Ingress or a `LoadBalancer` with source ranges.',
    refs: { kics: 'k8s/service_type_is_nodeport' }
  }
})

export type K8sRuleKey = keyof typeof K8S
