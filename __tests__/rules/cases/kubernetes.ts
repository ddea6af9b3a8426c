/** Rule-tester cases for the Kubernetes manifest rules: minimal manifests written for these tests. */
import type { CaseTable, InvalidCase } from '../../helpers/rule-tester.js'
import { edit, lineOf } from './util.js'
import { escapeRegExp } from '../../../src/util/regex.js'

/** The body of a made-up certificate (base64 text, 4-space indented): only its PEM label matters here. */
const CERT_BODY = Array.from({ length: 4 }, (_, i) => `    MIIC${Buffer.from(`made-up certificate line ${i} for a Secret test`).toString('base64').slice(0, 56)}\n`).join('')

/** A PodSecurityPolicy someone gave \`containers\`: a built-in kind that never runs pods. */
const POLICY_WITH_CONTAINERS = `apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: restricted
spec:
  containers:
    - name: probe
      image: busybox:1.36
      securityContext:
        capabilities:
          add: [NET_RAW]
`

/** A Knative Service: a custom resource with Kubernetes' `Service` name and a pod template. */
const KNATIVE_PRIVILEGED = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
        - image: registry.example.com/hello:1.2.0
          securityContext:
            privileged: true
`

/** A kind no table knows (a custom resource, or a misspelt Pod) whose spec holds containers. */
const UNKNOWN_KIND_ESCALATION = `apiVersion: v1
kind: PodLike
metadata:
  name: worker
spec:
  containers:
    - name: worker
      image: registry.example.com/worker:1.4.2
      securityContext:
        allowPrivilegeEscalation: true
`

/** A Deployment that passes every rule, with its PodDisruptionBudget and NetworkPolicy. */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 3
  minReadySeconds: 10
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    app: api
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
          livenessProbe:
            httpGet: { path: /healthz, port: 8080 }
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          ports:
            - containerPort: 8080
`
const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: api
`
const NETPOL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: web
`
/** A namespace-wide default-deny policy: its empty podSelector selects every pod of the namespace. */
const DENY_ALL = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n'
/** The Deployment with its companions in one file. */
const full = (deployment: string): string => `${deployment}---\n${PDB}---\n${NETPOL}`
const CLEAN = full(DEPLOYMENT)
/** The clean set with an init container that only copies a file and sets no resources. */
const INIT_NO_REQUESTS = full(edit(DEPLOYMENT, ['      containers:\n', '      initContainers:\n        - name: copy-config\n          image: registry.example.com/tools:1.2.0\n          command: [cp, /config/app.yaml, /data/app.yaml]\n      containers:\n']))
/** The clean set with one edit to the Deployment. */
const withEdit = (...pairs: [string, string][]): string => full(edit(DEPLOYMENT, ...pairs))

const SEC_CTX = '          securityContext:\n            allowPrivilegeEscalation: false\n'

const service = (extra: string, selector = 'app: api'): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n${extra}  selector:\n    ${selector}\n  ports:\n    - port: 80\n      targetPort: 8080\n`

const privileged = withEdit(['            allowPrivilegeEscalation: false\n', '            allowPrivilegeEscalation: false\n            privileged: true\n'])
const escalation = withEdit(['allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'])
/** `escalation` with more edits to its Deployment (the escalation line stays where it is). */
const escalationWith = (...pairs: [string, string][]): string => withEdit(['allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'], ...pairs)
const noEscalationSetting = withEdit([SEC_CTX, '          securityContext:\n'])
const runAsRoot = withEdit([SEC_CTX, SEC_CTX + '            runAsUser: 0\n'])
const noNonRoot = withEdit(['        runAsNonRoot: true\n', ''])
/** `noNonRoot` running another image, with extra container keys after `image:` (`command:`, `args:`). */
const noNonRootImage = (image: string, extra = ''): string => edit(noNonRoot, ['image: registry.example.com/api:1.4.2\n', `image: ${image}\n${extra}`])
const sysAdmin = withEdit(['              drop: [ALL]\n', '              drop: [ALL]\n              add: [SYS_ADMIN]\n'])
/** SYS_ADMIN added to a container that is privileged as well. */
const privilegedSysAdmin = withEdit(['              drop: [ALL]\n', '              drop: [ALL]\n              add: [SYS_ADMIN]\n'], ['            allowPrivilegeEscalation: false\n', '            privileged: true\n'])
const hostClock = withEdit(['              drop: [ALL]\n', '              drop: [ALL]\n              add:\n                - NET_BIND_SERVICE\n                - CAP_SYS_TIME\n                - dac_read_search\n'])
/** NET_ADMIN acts in the pod's own network namespace (what mesh init containers need). */
const netAdmin = withEdit(['              drop: [ALL]\n', '              drop: [ALL]\n              add: [NET_ADMIN]\n'])
const netRaw = withEdit(['              drop: [ALL]\n', '              drop: [ALL]\n              add: [NET_RAW]\n'])
/** NET_RAW added to a container that drops nothing, with `others` beside it (`hostNetwork` on the pod when asked). */
const netRawKept = (others: string[] = [], hostNetwork = false): string =>
  withEdit(['              drop: [ALL]\n', `              add: [${[...others, 'NET_RAW'].join(', ')}]\n`], ...(hostNetwork ? [['      containers:\n', '      hostNetwork: true\n      containers:\n'] as [string, string]] : []))
const noDrop = withEdit(['            capabilities:\n              drop: [ALL]\n', ''])
const noSeccomp = withEdit(['        seccompProfile:\n          type: RuntimeDefault\n', ''])
const automount = withEdit(['      automountServiceAccountToken: false\n', ''])
const writableRoot = withEdit(['            readOnlyRootFilesystem: true\n', ''])
const noLiveness = withEdit(['          livenessProbe:\n            httpGet: { path: /healthz, port: 8080 }\n', ''])
const noReadiness = withEdit(['          readinessProbe:\n            httpGet: { path: /ready, port: 8080 }\n', ''])
const noProbes = withEdit(['          livenessProbe:\n            httpGet: { path: /healthz, port: 8080 }\n          readinessProbe:\n            httpGet: { path: /ready, port: 8080 }\n', ''])
const noCpuReq = withEdit(['            requests:\n              cpu: 100m\n', '            requests:\n'])
const noCpuLim = withEdit(['            limits:\n              cpu: 500m\n', '            limits:\n'])
const noMemReq = withEdit(['              cpu: 100m\n              memory: 128Mi\n', '              cpu: 100m\n'])
/** Only limits: the API server copies each missing request from its limit. */
const limitsOnly = withEdit(['            requests:\n              cpu: 100m\n              memory: 128Mi\n', ''])
/** No resources at all: nothing is reserved for the container. */
const noResources = withEdit(['          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              cpu: 500m\n              memory: 256Mi\n', ''])
const noMemLim = withEdit(['              cpu: 500m\n              memory: 256Mi\n', '              cpu: 500m\n'])
const latest = withEdit(['api:1.4.2', 'api:latest'])
const noImage = withEdit(['          image: registry.example.com/api:1.4.2\n', ''])
const oneReplica = withEdit(['replicas: 3', 'replicas: 1'])
/** A claim of the `shop` namespace with the given access mode. */
const claim = (name: string, mode: string): string =>
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  accessModes: [${mode}]\n  resources:\n    requests:\n      storage: 1Gi\n`
/** `oneReplica` whose pods mount the claim `api-data` by name. */
const oneReplicaClaim = edit(oneReplica, ['      containers:\n', '      volumes:\n        - name: data\n          persistentVolumeClaim:\n            claimName: api-data\n      containers:\n'])
/** `oneReplica` running another image as its app container. */
const oneReplicaImage = (image: string): string => edit(oneReplica, ['image: registry.example.com/api:1.4.2', `image: ${image}`])
const noAffinity = withEdit([
  '      affinity:\n        podAntiAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n            - weight: 100\n              podAffinityTerm:\n                topologyKey: kubernetes.io/hostname\n                labelSelector:\n                  matchLabels:\n                    app: api\n',
  ''
])
const recreate = withEdit(['type: RollingUpdate', 'type: Recreate'])
const recreateHostPort = withEdit(['type: RollingUpdate', 'type: Recreate'], ['replicas: 3', 'replicas: 4'], ['            - containerPort: 8080\n', '            - containerPort: 8080\n              hostPort: 8080\n'])
const recreateWithClaim = withEdit(['type: RollingUpdate', 'type: Recreate'], ['      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      volumes:\n        - name: data\n          persistentVolumeClaim:\n            claimName: api-data\n'])
/**
 * A controller (or queue worker) Deployment: one replica, a Recreate rollout, no container port
 * and no Service. It serves no caller; `extra` is added to its container.
 */
const controller = (extra = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dns-sync\n  namespace: ops\nspec:\n  replicas: 1\n  strategy:\n    type: Recreate\n  selector:\n    matchLabels:\n      app: dns-sync\n  template:\n    metadata:\n      labels:\n        app: dns-sync\n    spec:\n      containers:\n        - name: sync\n          image: registry.example.com/dns-sync:0.9.1\n          args: [--interval=1m]\n${extra}`
/** A Service of the `ops` namespace selecting `app: <app>` and targeting `targetPort`. */
const opsService = (app: string, targetPort: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: ops\nspec:\n  selector:\n    app: ${app}\n  ports:\n    - port: 443\n      targetPort: ${targetPort}\n`
/**
 * An exporter pod: the server declares `http` (19115) and has probes; beside it a config reloader
 * that declares no port and has no readiness probe, and a Service targeting `targetPort`.
 */
const exporterWithReloader = (targetPort: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: exporter\n  namespace: ops\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: exporter\n  template:\n    metadata:\n      labels:\n        app: exporter\n    spec:\n      containers:\n        - name: server\n          image: registry.example.com/exporter:0.28.0\n          ports:\n            - containerPort: 19115\n              name: http\n          livenessProbe:\n            httpGet: { path: /health, port: http }\n          readinessProbe:\n            httpGet: { path: /health, port: http }\n        - name: reloader\n          image: registry.example.com/config-reload:0.15.0\n          args: [--webhook-url=http://localhost:19115/-/reload]\n---\n${opsService('exporter', targetPort)}`
/** A Service of the `ops` namespace named `name`, selecting `app: <app>` through one port named `portName` (none when empty). */
const metricsService = (name: string, app: string, portName: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ops\nspec:\n  selector:\n    app: ${app}\n  ports:\n    - ${portName ? `name: ${portName}\n      ` : ''}port: 9001\n      targetPort: 9001\n`
/** The controller's container declaring a `metrics` port (9001) and a `probes` port (9090) its probes call as `probe` (by name or number). */
const probedController = (probe: string): string =>
  controller(`          ports:\n            - name: metrics\n              containerPort: 9001\n            - name: probes\n              containerPort: 9090\n          livenessProbe:\n            httpGet: { path: /healthz/, port: ${probe} }\n          readinessProbe:\n            httpGet: { path: /readyz/, port: ${probe} }\n`)
/** A Service of the `ops` namespace named `name`, selecting the controller's pods through one port named `portName` (8443) that targets `targetPort`. */
const controllerService = (name: string, portName: string, targetPort: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ops\nspec:\n  selector:\n    app: dns-sync\n  ports:\n    - name: ${portName}\n      port: 8443\n      targetPort: ${targetPort}\n`
/**
 * A leader-elected operator as a chart renders it (Kong's gateway-operator): a `metrics` and a
 * probed `probes` port; a metrics Service whose port is named `https` but targets `metrics`, and a
 * Service targeting `https`, which no container declares. `webTarget` replaces that target.
 */
const operatorServices = (webTarget = 'https'): string =>
  `${probedController('probes')}---\n${controllerService('dns-sync-metrics-service', 'https', 'metrics')}---\n${controllerService('dns-sync', 'https', webTarget)}`
/** The controller's container declaring one port named `name`. */
const controllerPort = (name: string): string => controller(`          ports:\n            - name: ${name}\n              containerPort: 9001\n`)
/** A custom resource (an Agones GameServer) whose pod template carries no labels: its operator adds its own. */
const GAME_SERVER =
  'apiVersion: agones.dev/v1\nkind: GameServer\nmetadata:\n  name: game\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/game-server:0.3\n          livenessProbe:\n            tcpSocket: { port: 7654 }\n          ports:\n            - containerPort: 7654\n'
/** A bare Pod serving port 80, with probes but no readiness one; `labels` is its metadata's labels block (none when empty). */
const barePod = (labels = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: volume-test\n  namespace: default\n${labels}spec:\n  containers:\n    - name: web\n      image: nginx:1.27-alpine\n      livenessProbe:\n        exec:\n          command: [ls, /data]\n      ports:\n        - containerPort: 80\n`
/** The line of the reloader container in `exporterWithReloader`. */
const RELOADER_LINE = lineOf(exporterWithReloader('http'), '- name: reloader')
const untagged = withEdit(['image: registry.example.com/api:1.4.2', 'image: nginx'])
/** A kubebuilder-style manager Deployment (named `name`) running `image`. */
const manager = (image: string, name = 'controller-manager'): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: system\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      control-plane: ${name}\n  template:\n    metadata:\n      labels:\n        control-plane: ${name}\n    spec:\n      containers:\n        - name: manager\n          command: [/manager]\n          image: ${image}\n`
/** A kustomization listing `resources`, with extra text (an `images:` list) after them. */
const kustomization = (resources: string[], extra = ''): string =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}${extra}`
/** The line of `image:` in a `manager` Deployment. */
const MANAGER_IMAGE_LINE = lineOf(manager('x'), 'image: x')
const noHistory = withEdit(['revisionHistoryLimit: 5', 'revisionHistoryLimit: 0'])
const noMinReady = withEdit(['  minReadySeconds: 10\n', ''])
const literalEnv = withEdit(['              drop: [ALL]\n', '              drop: [ALL]\n          env:\n            - name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R\n'])
const secretRefEnv = withEdit(['              drop: [ALL]\n', '              drop: [ALL]\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: api-db\n                  key: password\n'])
const hostNet = withEdit(['      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      hostNetwork: true\n      hostPID: true\n      hostIPC: true\n'])
/** A Deployment whose init container runs the given command as root (line 13: its `runAsUser: 0`). */
const ownershipInit = (command: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: prepare\n          image: registry.example.com/tools:1.2\n          command: ${command}\n          securityContext:\n            runAsUser: 0\n      containers:\n        - name: app\n          image: registry.example.com/shop:2.0\n          securityContext:\n            runAsUser: 10001\n`
/** A CNI DaemonSet: an init container (`install`, with the given security context) copying binaries into the host's CNI folder. */
const cniInstaller = (securityContext: string, hostPath = '/opt/cni/bin') =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: net-node\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: install\n          image: registry.example.com/net-cni:2.3\n          securityContext:\n            ${securityContext}\n          volumeMounts:\n            - name: cni-bin\n              mountPath: /host/opt/cni/bin\n      containers:\n        - name: agent\n          image: registry.example.com/net-agent:2.3\n          securityContext:\n            runAsUser: 10001\n      volumes:\n        - name: cni-bin\n          hostPath:\n            path: ${hostPath}\n`
/** A CSI node driver whose privileged container propagates a mount back to the host. */
const csiNodeDriver = (propagation: string) =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: csi-node\nspec:\n  template:\n    spec:\n      containers:\n        - name: driver\n          image: registry.example.com/csi-node:1.0\n          securityContext:\n            privileged: true\n          volumeMounts:\n            - name: pods\n              mountPath: /var/lib/kubelet/pods\n              mountPropagation: ${propagation}\n      volumes:\n        - name: pods\n          hostPath:\n            path: /var/lib/kubelet/pods\n`
/** A storage manager DaemonSet: a privileged container mounting its data folder (`hostPath`) with Bidirectional propagation, and the host's /etc. */
const storageManager = (hostPath: string, securityContext = 'privileged: true', propagation = 'Bidirectional'): string =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: storage-manager\n  namespace: storage-system\nspec:\n  template:\n    spec:\n      containers:\n        - name: manager\n          image: registry.example.com/storage-manager:1.6\n          securityContext:\n            ${securityContext}\n          volumeMounts:\n            - name: data\n              mountPath: /var/lib/storage/\n              mountPropagation: ${propagation}\n            - name: etc\n              mountPath: /host/etc/\n        - name: exporter\n          image: registry.example.com/storage-exporter:1.6\n          volumeMounts:\n            - name: logs\n              mountPath: /logs\n      volumes:\n        - name: data\n          hostPath:\n            path: "${hostPath}"\n        - name: etc\n          hostPath:\n            path: /etc/\n        - name: logs\n          hostPath:\n            path: /var/lib/storage-logs\n`
/** An unprivileged DaemonSet mounting one hostPath volume of the given path and type (none when empty). */
const nodeAgent = (hostPath: string, type = 'DirectoryOrCreate'): string =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: mesh-agent\n  namespace: mesh-system\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: registry.example.com/mesh-agent:1.2\n          securityContext:\n            allowPrivilegeEscalation: false\n          volumeMounts:\n            - name: sock\n              mountPath: /var/run/mesh-agent\n      volumes:\n        - name: sock\n          hostPath:\n            path: ${hostPath}\n${type ? `            type: ${type}\n` : ''}`
/** A Deployment whose privileged init container (`tune`, with these extra keys, from `image`) runs the given command (line 11: its `privileged: true`). */
const sysctlInit = (command: string, extra = '', image = 'busybox:1.36'): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: search\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: tune\n          securityContext:\n            privileged: true\n          image: ${image}\n${command ? `          command: ${command}\n` : ''}${extra}      containers:\n        - name: search\n          image: registry.example.com/search:8.1\n`
const SYSCTL_PRIVILEGED_LINE = 11
/** `sysctlInit` whose init container also mounts a data folder of the node (`/srv/es-data`, volume `data`). */
const sysctlInitMountingData = (command: string): string =>
  sysctlInit(command, '          volumeMounts:\n            - {name: data, mountPath: /host-data}\n') + '      volumes:\n        - name: data\n          hostPath:\n            path: /srv/es-data\n'
/** The same privileged `sysctl -w` run by the main container, for the whole life of the pod. */
const sysctlMain = sysctlInit('["sysctl", "-w", "vm.max_map_count=262144"]').replace('      initContainers:\n        - name: tune\n', '      containers:\n        - name: tune\n').replace('      containers:\n        - name: search\n', '        - name: search\n')
/** A Deployment that holds capacity with the given image (the autoscaling demos' `inflate`), requesting CPU only. */
const placeholder = (image: string, name = 'inflate'): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: inflate\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: ${image}\n          resources:\n            requests:\n              cpu: 1\n`
const PLACEHOLDER_CONTAINER_LINE = 10
/** Pause images as registries publish them, each a placeholder. */
const PAUSE_IMAGES = ['public.ecr.aws/eks-distro/kubernetes/pause:3.10', 'registry.k8s.io/pause:3.9', 'k8s.gcr.io/pause-amd64:3.1', 'gcr.io/google_containers/pause:2.0', 'mcr.microsoft.com/oss/kubernetes/pause:3.6']
/** Look-alikes that are other images: a container named pause, a pause image of another registry or folder. */
const NOT_PAUSE = [
  { what: 'a container named pause running another image', code: placeholder('registry.example.com/shop:2.0', 'pause') },
  { what: 'an image called pause in another registry', code: placeholder('registry.example.com/kubernetes/pause:3.10') },
  { what: 'another image in the pause folder of a registry', code: placeholder('registry.k8s.io/pause-helper:1.0') }
]
/** The capacity Deployment running an ordinary image under the given `command:` (and `args:`). */
const idler = (command: string, args?: string): string =>
  placeholder('registry.example.com/share-manager:1.6.0').replace('          resources:\n', `          command: ${command}\n${args ? `          args: ${args}\n` : ''}          resources:\n`)
/** The idle container of `idler` beside an app container that does the pod's work (an image pre-puller's place). */
const idleSidecar = (command: string): string =>
  idler(command) + '        - name: manager\n          image: registry.example.com/manager:1.6.0\n          resources:\n            requests:\n              cpu: 1\n              memory: 1Gi\n            limits:\n              cpu: 1\n              memory: 1Gi\n'
/** Commands that only idle: an image pre-puller keeps its image on the node this way. */
const IDLE_COMMANDS = [
  '["sh", "-c", "echo share-manager image pulled && sleep infinity"]',
  '[sleep, infinity]',
  '["/bin/sh", "-c", "sleep 86400"]',
  '[tail, -f, /dev/null]',
  '[/bin/sleep, 2d]',
  '[sleep, 7200]',
  '["/bin/bash", "-ec", "echo ready; exec sleep infinity"]'
]
/** Commands that run a program besides (or instead of) the sleep, or sleep only briefly. */
const NOT_IDLE = [
  { what: 'a program after a short sleep', code: idler('["sh", "-c", "sleep 5 && exec /app/server"]') },
  { what: 'a program before the sleep', code: idler('["sh", "-c", "/app/warmup; sleep infinity"]') },
  { what: 'an agent in the background', code: idler('["sh", "-c", "/app/agent & sleep infinity"]') },
  { what: 'a substitution in the echo', code: idler('["sh", "-c", "echo $(/app/register) && sleep infinity"]') },
  { what: 'a one-minute sleep', code: idler('[sleep, "60"]') },
  { what: 'the image entrypoint given sleep as args', code: placeholder('registry.example.com/share-manager:1.6.0').replace('          resources:\n', '          args: [sleep, infinity]\n          resources:\n') }
]
/** A privileged init container that runs as root to set a kernel parameter of the node. */
const privilegedRootInit = ownershipInit('["sh", "-c", "sysctl -w vm.max_map_count=262144"]').replace('          securityContext:\n            runAsUser: 0\n', '          securityContext:\n            privileged: true\n            runAsUser: 0\n')
/** UID 0 set for the whole pod, one container of which is privileged. */
const podRootBesidePrivileged =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      securityContext:\n        runAsUser: 0\n      initContainers:\n        - name: tune\n          image: registry.example.com/tools:1.2\n          securityContext:\n            privileged: true\n      containers:\n        - name: app\n          image: registry.example.com/shop:2.0\n'
/** The clean Deployment as UID 0 without its capability drop. */
const rootKeepingCapabilities = withEdit([SEC_CTX, SEC_CTX + '            runAsUser: 0\n'], ['            capabilities:\n              drop: [ALL]\n', ''])
/** The clean Deployment as UID 0 with no `allowPrivilegeEscalation: false`. */
const rootMayEscalate = withEdit([SEC_CTX, '          securityContext:\n            runAsUser: 0\n'])
/** A container security context that drops every capability and cannot escalate. */
const POWERLESS_SC = '          securityContext:\n            allowPrivilegeEscalation: false\n            capabilities:\n              drop: [all]\n'
/** UID 0 set for the whole pod; the init container drops every capability, the app container has the given context. */
const podRootPowerless = (appSecurityContext: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      securityContext:\n        runAsUser: 0\n      initContainers:\n        - name: migrate\n          image: registry.example.com/shop:2.0\n${POWERLESS_SC}      containers:\n        - name: app\n          image: registry.example.com/shop:2.0\n${appSecurityContext}`
/** A root container that drops every capability and cannot escalate, with pod settings and mounts given. */
const powerlessRootWith = (podExtra: string, mounts: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n${podExtra}      containers:\n        - name: agent\n          image: registry.example.com/agent:1.0\n          securityContext:\n            runAsUser: 0\n            allowPrivilegeEscalation: false\n            capabilities:\n              drop: [ALL]\n${mounts}`
const READ_ONLY_LOGS = '          volumeMounts:\n            - name: logs\n              mountPath: /host/logs\n              readOnly: true\n'
const HOST_LOGS = '      volumes:\n        - name: logs\n          hostPath:\n            path: /var/log\n'
const hostNetPrivileged = hostNet.replace('            allowPrivilegeEscalation: false\n', '            privileged: true\n')
const VOLUME_AT = '              drop: [ALL]\n'
const hostPathVol = withEdit([VOLUME_AT, VOLUME_AT + '      volumes:\n        - name: logs\n          hostPath:\n            path: /var/log\n'])
const sockVol = withEdit([VOLUME_AT, VOLUME_AT + '      volumes:\n        - name: sock\n          hostPath:\n            path: /var/run/docker.sock\n'])

const noPdb = full(DEPLOYMENT).replace(`---\n${PDB}`, '')
const noNetpol = full(DEPLOYMENT).replace(`---\n${NETPOL}`, '').replace(/---\n$/, '')

/** A Service of namespace `data` selecting `selector` (YAML lines at 4 spaces) on port 6379, targeted by `targetPort`. */
const dataService = (selector: string, targetPort = 'redis'): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: cache-0\n  namespace: data\nspec:\n  selector:\n${selector}  ports:\n    - port: 6379\n      targetPort: ${targetPort}\n`
/** A workload of namespace `data` whose pods carry `app: cache` and declare port 6379 named `redis` (`extraSpec`: more spec lines at 2 spaces). */
const cacheWorkload = (kind: string, extraSpec = ''): string =>
  `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: cache\n  namespace: data\nspec:\n${extraSpec}  selector:\n    matchLabels:\n      app: cache\n  template:\n    metadata:\n      labels:\n        app: cache\n    spec:\n      containers:\n        - name: redis\n          image: redis:7.2\n          ports:\n            - containerPort: 6379\n              name: redis\n`
const cacheSet = cacheWorkload('StatefulSet', '  replicas: 3\n')
const ROLE = (rule: string): string => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules:\n${rule}`
/** A namespaced Role (in `namespace` when given) with these rules. */
const NS_ROLE = (namespace: string | undefined, rule: string): string =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: tenant\n${namespace ? `  namespace: ${namespace}\n` : ''}rules:\n${rule}`
/** A ClusterRole granting every verb on namespaces: high wherever it is deployed. */
const NAMESPACE_ADMIN = ROLE('  - apiGroups: [""]\n    resources: [namespaces]\n    verbs: ["*"]\n')
/** A kustomization whose resources leave `role.yaml` out, as a kubebuilder scaffold comments it out. */
const WITHOUT_ROLE = kustomization(['binding.yaml']).replace('resources:\n', 'resources:\n# - role.yaml\n')
const BINDING = (role: string): string =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ops\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ${role}\nsubjects:\n  - kind: Group\n    name: ops\n    apiGroup: rbac.authorization.k8s.io\n`

/** A CRD whose OpenAPI schema describes `secretKeyRef`: a schema, not a container reading a Secret. */
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            env:
              type: array
              items:
                type: object
                properties:
                  name:
                    type: string
                  valueFrom:
                    type: object
                    properties:
                      secretKeyRef:
                        type: object
                        properties:
                          name:
                            type: string
                          key:
                            type: string
`

/** A chart template whose first Secret reaches the container as an env var only when files are switched off. */
const CHART_ENV = [
  'apiVersion: batch/v1',
  'kind: CronJob',
  'metadata:',
  '  name: {{ .Release.Name }}-sync',
  'spec:',
  '  schedule: "@hourly"',
  '  jobTemplate:',
  '    spec:',
  '      template:',
  '        spec:',
  '          containers:',
  '            - name: sync',
  '              image: registry.example.com/sync:1.2.3',
  '              env:',
  '                {{- if .Values.useSecretFiles }}',
  '                - name: DB_PASSWORD_FILE',
  '                  value: /secrets/db-password',
  '                {{- else }}',
  '                - name: DB_PASSWORD',
  '                  valueFrom:',
  '                    secretKeyRef:',
  '                      name: api-db',
  '                      key: password',
  '                {{- end }}',
  '                - name: API_TOKEN',
  '                  valueFrom:',
  '                    secretKeyRef:',
  '                      name: api-token',
  '                      key: token',
  ''
].join('\n')
/** An Argo Workflow: its container is not a pod template the manifest rules model, but the generic scan reads its env. */
const WORKFLOW = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: nightly
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: registry.example.com/job:1.0.0
        env:
          - name: DB_PASSWORD
            valueFrom:
              secretKeyRef:
                name: api-db
                key: password
`

/** A batch Job: runs to completion, so probes, replicas and disruption budgets do not apply. */
const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
spec:
  template:
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: migrate
          image: registry.example.com/migrate:1.4.2
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
`
const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: api
  minReplicas: 3
  maxReplicas: 10
`
/** Replicas left to the autoscaler: no \`replicas\` in the Deployment. */
const autoscaled = full(edit(DEPLOYMENT, ['  replicas: 3\n', ''])) + '---\n' + HPA

/** A kustomize overlay whose patch only raises a memory limit: the base supplies image, probes and requests. */
const PATCH = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          resources:\n            limits:\n              memory: 1Gi\n'
const overlay = (field: 'patches' | 'patchesStrategicMerge') => ({
  name: `kustomize patch listed under ${field}`,
  files: {
    'overlays/prod/memory.yaml': PATCH,
    'overlays/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\n${field === 'patches' ? 'patches:\n  - path: memory.yaml\n' : 'patchesStrategicMerge:\n  - memory.yaml\n'}`
  }
})

/** The same patch named bare under `patches` (no `path:`), pinning an image: still a partial object. */
const BARE_PATCH_OVERLAY = {
  name: 'kustomize patch named bare under patches, with an image',
  files: {
    'overlays/prod/image.yaml': PATCH.replace('          resources:', '          image: registry.example/api:1.2.3\n          resources:'),
    'overlays/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\npatches:\n  - image.yaml\n'
  }
}

/** A patch of the same overlay that also sets something risky: what a patch writes is still judged. */
const riskyOverlay = (setting: string) => {
  const patch = PATCH.replace('          resources:', `${setting}          resources:`)
  return { patch, files: { ...overlay('patches').files, 'overlays/prod/memory.yaml': patch }, path: 'overlays/prod/memory.yaml' }
}
const PRIVILEGED_PATCH = riskyOverlay('          securityContext:\n            privileged: true\n')
/** A fragment no kustomization in sight names: its containers have no image, so it is completed elsewhere. */
const FRAGMENT = PATCH
/** The same fragment with the selector apps/v1 requires: a whole Deployment, so its missing image is a real error. */
const FRAGMENT_WITH_SELECTOR = PATCH.replace('spec:\n  template:', 'spec:\n  selector:\n    matchLabels:\n      app: api\n  template:')

/**
 * A scaffolded patch that adds a sidecar with its own image and only overlays the main
 * container's args; no selector, and its kustomization names it only in a comment.
 */
const SIDECAR_PATCH = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller\nspec:\n  template:\n    spec:\n      containers:\n        - name: proxy\n          image: registry.example/proxy:0.4.0\n          ports:\n            - containerPort: 8443\n        - name: controller\n          args: [--metrics-addr=127.0.0.1:8080]\n'
const SIDECAR_PATCH_COMMENTED = {
  name: 'a patch by its shape (no selector, a container with no image), named only in a comment',
  files: {
    'config/default/proxy_patch.yaml': SIDECAR_PATCH,
    'config/default/kustomization.yaml': 'resources:\n  - ../manager\npatchesStrategicMerge:\n# - proxy_patch.yaml\n  - audit_patch.yaml\n'
  }
}
/** A selector-less apps/v1 Deployment whose one container holds `container` (a kubebuilder image patch holds a name and an image only). */
const selectorless = (container: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller-manager\nspec:\n  template:\n    spec:\n      containers:\n${container}`
const IMAGE_ONLY = selectorless('        - name: manager\n          image: registry.example/manager:1.2.0\n')
const WITH_ARGS = selectorless('        - name: manager\n          image: registry.example/manager:1.2.0\n          args: [--leader-elect]\n')
/** A kustomization that names its patch only in a comment, as kubebuilder's scaffold does. */
const COMMENTED_PATCH = 'bases:\n  - ../manager\n#patchesStrategicMerge:\n#- manager_patch.yaml\n'
/** The same two containers in a Deployment with a selector: a whole object, whose unnamed image stays an error. */
const SIDECAR_WHOLE = SIDECAR_PATCH.replace('spec:\n  template:', 'spec:\n  selector:\n    matchLabels:\n      app: controller\n  template:')

/**
 * A JSON 6902 patch that adds the liveness probe, listed by an overlay: kustomize applies it, but
 * the base as written still lacks the probe, so the base's finding stays (the patch file itself
 * holds no object). An inline `patch: |` adds nothing to read either.
 */
const jsonPatchOverlay = (base: string) => ({
  name: 'base whose probe only a JSON 6902 patch of an overlay adds',
  files: {
    'base/api.yaml': base,
    'base/kustomization.yaml': 'resources:\n  - api.yaml\n',
    'overlays/prod/kustomization.yaml':
      'resources:\n  - ../../base\npatchesJson6902:\n  - target: {group: apps, version: v1, kind: Deployment, name: api}\n    path: probe.yaml\npatches:\n  - target: {kind: Deployment}\n    patch: |-\n      - op: replace\n        path: /spec/replicas\n        value: 4\n',
    'overlays/prod/probe.yaml': '- op: add\n  path: /spec/template/spec/containers/0/livenessProbe\n  value:\n    httpGet: {path: /healthz, port: 8080}\n'
  }
})

const CONTAINER_LINE = lineOf(CLEAN, '- name: api')
/** The container's own securityContext (the pod's is less indented). */
const CONTAINER_SEC = '          securityContext:'

/** A Namespace with Pod Security labels, each given as `mode: level` (`enforce: baseline`). */
const psaNamespace = (name: string, ...labels: string[]): string =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n${labels.map((l) => `    pod-security.kubernetes.io/${l}\n`).join('')}`
/** A manifest of namespace `shop` after a Namespace with these Pod Security labels, in one file. */
const inNamespace = (manifest: string, namespace: string, ...labels: string[]): string => `${psaNamespace(namespace, ...labels)}---\n${manifest}`
/** How a finding on a pod that Pod Security rejects ends. */
const rejectedBy = (level: string, namespace = 'shop'): RegExp =>
  new RegExp(`\\(low: namespace \`${namespace}\` has Pod Security \`enforce: ${level}\`, which rejects the pod, so it never runs; the manifest fails to deploy as written\\)$`)
/**
 * The eks-workshop shape: a base deploying Namespace `pss` and a Deployment (namespace from its
 * kustomization), and an overlay whose patches label the Namespace and make the container
 * privileged. `patchNamespace: false` leaves the Namespace unlabelled; `privilegedBase` puts the
 * privileged container in the base instead.
 */
const psaOverlay = ({ patchNamespace = true, privilegedBase = false, level = 'baseline' } = {}): Record<string, string> => {
  const privileged = '          securityContext:\n            privileged: true\n            runAsUser: 0\n'
  const base = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pss\nspec:\n  selector:\n    matchLabels:\n      app: pss\n  template:\n    metadata:\n      labels:\n        app: pss\n    spec:\n      containers:\n        - name: pss\n          image: registry.example.com/pss:1.2.1\n${privilegedBase ? privileged : ''}`
  const files: Record<string, string> = {
    'psa/base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: pss\nresources:\n  - namespace.yaml\n  - deployment.yaml\n',
    'psa/base/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: pss\n',
    'psa/base/deployment.yaml': base,
    'psa/overlay/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\npatches:\n${patchNamespace ? '  - path: namespace.yaml\n' : ''}${privilegedBase ? '' : '  - path: deployment.yaml\n'}`,
    'psa/overlay/namespace.yaml': psaNamespace('pss', `enforce: ${level}`, `warn: ${level}`)
  }
  if (!privilegedBase) files['psa/overlay/deployment.yaml'] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pss\nspec:\n  template:\n    spec:\n      containers:\n        - name: pss\n${privileged}`
  return files
}
const PSA_PATCH_LINE = 11
const unconfinedSeccomp = withEdit(['type: RuntimeDefault', 'type: Unconfined'])
/** Cases of each rule about pods a namespace's Pod Security `enforce` label rejects (or lets through). */
const POD_SECURITY_CASES: Record<string, InvalidCase[]> = {
  'k8s/privileged-container': [
    { name: 'a Namespace enforcing baseline in the same file rejects the pod: low, saying why', code: inNamespace(privileged, 'shop', 'enforce: baseline'), errors: [{ line: lineOf(inNamespace(privileged, 'shop', 'enforce: baseline'), 'privileged: true'), severity: 'low', message: rejectedBy('baseline') }] },
    { name: 'a Namespace enforcing restricted in a file of the same folder: low', files: { 'k8s/namespace.yaml': psaNamespace('shop', 'enforce: restricted'), 'k8s/app.yaml': privileged }, errors: [{ path: 'k8s/app.yaml', line: lineOf(privileged, 'privileged: true'), severity: 'low', message: rejectedBy('restricted') }] },
    { name: 'an overlay patching the Namespace with enforce: baseline and the Deployment privileged: low', files: psaOverlay(), errors: [{ path: 'psa/overlay/deployment.yaml', line: PSA_PATCH_LINE, severity: 'low', message: rejectedBy('baseline', 'pss') }] },
    { name: 'the same overlay without the Namespace patch: critical', files: psaOverlay({ patchNamespace: false }), errors: [{ path: 'psa/overlay/deployment.yaml', line: PSA_PATCH_LINE, severity: 'critical' }] },
    { name: 'a base whose overlay labels the Namespace deploys unlabelled on its own: critical', files: psaOverlay({ privilegedBase: true }), errors: [{ path: 'psa/base/deployment.yaml', line: 18, severity: 'critical' }] },
    { name: 'an overlay labelling the Namespace enforce: privileged: critical', files: psaOverlay({ level: 'privileged' }), errors: [{ path: 'psa/overlay/deployment.yaml', line: PSA_PATCH_LINE, severity: 'critical' }] },
    { name: 'warn and audit only (they do not block): critical', code: inNamespace(privileged, 'shop', 'warn: baseline', 'audit: restricted'), errors: [{ line: lineOf(inNamespace(privileged, 'shop', 'warn: baseline', 'audit: restricted'), 'privileged: true'), severity: 'critical' }] },
    { name: 'another namespace enforces baseline: critical', code: inNamespace(privileged, 'other', 'enforce: baseline'), errors: [{ line: lineOf(inNamespace(privileged, 'other', 'enforce: baseline'), 'privileged: true'), severity: 'critical' }] },
    { name: 'enforce: privileged: critical', code: inNamespace(privileged, 'shop', 'enforce: privileged'), errors: [{ line: lineOf(inNamespace(privileged, 'shop', 'enforce: privileged'), 'privileged: true'), severity: 'critical' }] },
    { name: 'an enforce level left to a variable: critical', code: inNamespace(privileged, 'shop', 'enforce: ${PSA_LEVEL}'), errors: [{ line: lineOf(inNamespace(privileged, 'shop', 'enforce: ${PSA_LEVEL}'), 'privileged: true'), severity: 'critical' }] }
  ],
  'k8s/run-as-root': [
    { name: 'UID 0 in a namespace enforcing restricted: low, saying why', code: inNamespace(rootKeepingCapabilities, 'shop', 'enforce: restricted', 'enforce-version: v1.29'), errors: [{ line: lineOf(inNamespace(rootKeepingCapabilities, 'shop', 'enforce: restricted', 'enforce-version: v1.29'), 'runAsUser: 0'), severity: 'low', message: rejectedBy('restricted') }] },
    { name: 'UID 0 in a namespace enforcing baseline, which allows root: high', code: inNamespace(rootKeepingCapabilities, 'shop', 'enforce: baseline'), errors: [{ line: lineOf(inNamespace(rootKeepingCapabilities, 'shop', 'enforce: baseline'), 'runAsUser: 0'), severity: 'high', message: /runs as UID 0 \(root\)$/ }] }
  ],
  'k8s/run-as-non-root-not-set': [{ name: 'in a namespace enforcing restricted: low', code: inNamespace(noNonRoot, 'shop', 'enforce: restricted'), errors: [{ line: lineOf(inNamespace(noNonRoot, 'shop', 'enforce: restricted'), '- name: api'), severity: 'low', message: rejectedBy('restricted') }] }],
  'k8s/privilege-escalation-allowed': [
    { name: 'in a namespace enforcing restricted: low', code: inNamespace(escalation, 'shop', 'enforce: restricted'), errors: [{ line: lineOf(inNamespace(escalation, 'shop', 'enforce: restricted'), 'allowPrivilegeEscalation: true'), severity: 'low', message: rejectedBy('restricted') }] },
    { name: 'in a namespace enforcing baseline, which allows it: high', code: inNamespace(escalation, 'shop', 'enforce: baseline'), errors: [{ line: lineOf(inNamespace(escalation, 'shop', 'enforce: baseline'), 'allowPrivilegeEscalation: true'), severity: 'high', message: /allows privilege escalation$/ }] }
  ],
  'k8s/dangerous-capability': [{ name: 'SYS_ADMIN in a namespace enforcing baseline: low', code: inNamespace(sysAdmin, 'shop', 'enforce: baseline'), errors: [{ line: lineOf(inNamespace(sysAdmin, 'shop', 'enforce: baseline'), 'add: [SYS_ADMIN]'), severity: 'low', message: rejectedBy('baseline') }] }],
  'k8s/capabilities-not-dropped': [
    { name: 'in a namespace enforcing restricted: saying the pod is rejected', code: inNamespace(noDrop, 'shop', 'enforce: restricted'), errors: [{ line: lineOf(inNamespace(noDrop, 'shop', 'enforce: restricted'), CONTAINER_SEC), message: rejectedBy('restricted') }] },
    {
      name: 'a Windows pod, which restricted does not ask to drop capabilities: unchanged',
      code: inNamespace(edit(noDrop, ['      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      os:\n        name: windows\n']), 'shop', 'enforce: restricted'),
      errors: [{ line: lineOf(inNamespace(noDrop, 'shop', 'enforce: restricted'), CONTAINER_SEC) + 2, message: /\(NET_RAW among them under containerd and Docker\)$/ }]
    }
  ],
  'k8s/no-seccomp-profile': [
    { name: 'no profile in a namespace enforcing restricted: saying the pod is rejected', code: inNamespace(noSeccomp, 'shop', 'enforce: restricted'), errors: [{ line: lineOf(inNamespace(noSeccomp, 'shop', 'enforce: restricted'), '      securityContext:'), message: rejectedBy('restricted') }] },
    { name: 'no profile in a namespace enforcing baseline, which allows that: unchanged', code: inNamespace(noSeccomp, 'shop', 'enforce: baseline'), errors: [{ line: lineOf(inNamespace(noSeccomp, 'shop', 'enforce: baseline'), '      securityContext:'), message: /for containers `api`$/ }] },
    { name: 'Unconfined in a namespace enforcing baseline: saying the pod is rejected', code: inNamespace(unconfinedSeccomp, 'shop', 'enforce: baseline'), errors: [{ line: lineOf(inNamespace(unconfinedSeccomp, 'shop', 'enforce: baseline'), 'type: Unconfined'), message: rejectedBy('baseline') }] }
  ],
  'k8s/host-network': [{ name: 'in a namespace enforcing baseline: low', code: inNamespace(hostNet, 'shop', 'enforce: baseline'), errors: [{ line: lineOf(inNamespace(hostNet, 'shop', 'enforce: baseline'), 'hostNetwork'), severity: 'low', message: rejectedBy('baseline') }] }],
  'k8s/host-path-volume': [{ name: 'in a namespace enforcing baseline: low', code: inNamespace(hostPathVol, 'shop', 'enforce: baseline'), errors: [{ line: lineOf(inNamespace(hostPathVol, 'shop', 'enforce: baseline'), 'path: /var/log'), severity: 'low', message: rejectedBy('baseline') }] }]
}
export const kubernetesCases: CaseTable = {
  'k8s/no-liveness-probe': {
    valid: [
      overlay('patches'),
      overlay('patchesStrategicMerge'),
      BARE_PATCH_OVERLAY,
      { name: 'fragment without image', code: FRAGMENT },
      SIDECAR_PATCH_COMMENTED,
      { name: 'a selector-less Deployment whose container holds a name and an image only: a patch setting the image', code: IMAGE_ONLY },
      { name: "a selector-less Deployment its folder's kustomization names only in a comment: a patch", files: { 'config/default/manager_patch.yaml': WITH_ARGS, 'config/default/kustomization.yaml': COMMENTED_PATCH } },
      { code: CLEAN },
      { name: 'batch Job', code: JOB },
      ...PAUSE_IMAGES.map((image) => ({ name: `a capacity placeholder running the pause image ${image}`, code: placeholder(image) })),
      ...IDLE_COMMANDS.map((command) => ({ name: `a container that only idles: ${command}`, code: idler(command) })),
      { name: 'a shell given its idle script through args', code: idler('[sh, -c]', '["sleep infinity"]') }
    ],
    invalid: [
      { code: noLiveness, errors: [{ line: CONTAINER_LINE, severity: 'low', message: /has no liveness probe \(it has a readiness probe, so a hung container is taken out of traffic, only not restarted: low\)$/ }] },
      { name: 'neither probe: medium', code: noProbes, errors: [{ line: CONTAINER_LINE, severity: 'medium', message: /has no liveness probe$/ }] },
      { name: "a Go test's input in a test double's folder (fake/data/): info", path: 'controller/proxy-injector/fake/data/pod.yaml', code: noProbes, errors: [{ line: CONTAINER_LINE, severity: 'info', message: /test or fixture path/ }] },
      {
        name: 'a selector-less Deployment of a name and an image that a kustomization builds as a resource, its labels filling the selector: a whole object',
        files: { 'k8s/manager.yaml': IMAGE_ONLY, 'k8s/kustomization.yaml': kustomization(['manager.yaml'], 'commonLabels:\n  app: manager\n') },
        errors: [{ path: 'k8s/manager.yaml', line: lineOf(IMAGE_ONLY, '- name: manager'), severity: 'medium' }]
      },
      { name: 'a selector-less Deployment with more than a name and an image, no kustomization in view: a whole object', code: WITH_ARGS, errors: [{ line: lineOf(WITH_ARGS, '- name: manager'), severity: 'medium' }] },
      { ...jsonPatchOverlay(noLiveness), errors: [{ path: 'base/api.yaml', line: CONTAINER_LINE }] },
      ...NOT_PAUSE.map(({ what, code }) => ({ name: `${what}: reported`, code, errors: [{ line: PLACEHOLDER_CONTAINER_LINE }] })),
      ...NOT_IDLE.map(({ what, code }) => ({ name: `not idle, ${what}: reported`, code, errors: [{ line: PLACEHOLDER_CONTAINER_LINE }] }))
    ]
  },
  'k8s/no-readiness-probe': {
    valid: [
      overlay('patches'),
      overlay('patchesStrategicMerge'),
      BARE_PATCH_OVERLAY,
      { code: CLEAN },
      { name: 'batch Job', code: JOB },
      { name: 'Knative adds a TCP readiness probe of its own', code: KNATIVE_PRIVILEGED },
      { name: 'a portless config reloader whose pod\'s Service targets only the server\'s named port', code: exporterWithReloader('http') },
      { name: 'a portless config reloader whose pod\'s Service targets only the server\'s port number', code: exporterWithReloader('19115') },
      ...PAUSE_IMAGES.map((image) => ({ name: `a capacity placeholder running the pause image ${image}`, code: placeholder(image) })),
      ...IDLE_COMMANDS.map((command) => ({ name: `a container that only idles: ${command}`, code: idler(command) }))
    ],
    invalid: [
      { code: noReadiness, errors: [{ line: CONTAINER_LINE, severity: 'medium' }] },
      ...NOT_PAUSE.map(({ what, code }) => ({ name: `${what}: reported`, code, errors: [{ line: PLACEHOLDER_CONTAINER_LINE }] })),
      ...NOT_IDLE.map(({ what, code }) => ({ name: `not idle, ${what}: reported`, code, errors: [{ line: PLACEHOLDER_CONTAINER_LINE }] })),
      {
        name: 'a portless container whose pod\'s Service targets a port no container declares: medium (it may be that container\'s)',
        code: exporterWithReloader('8080'),
        errors: [{ line: RELOADER_LINE, severity: 'medium', message: 'container `reloader` of Deployment `exporter` has no readiness probe' }]
      },
      {
        name: 'a controller with no port and no Service in view: low, saying no Service in view routes to it',
        code: controller(),
        errors: [{ line: lineOf(controller(), '- name: sync'), severity: 'low', message: /has no readiness probe \(low: no container of the pod declares a port and no Service in .+ routes to it; a Service elsewhere could still target a port it does not declare\)$/ }]
      },
      {
        name: 'a bare Pod without labels: low whatever its ports, no Service can select it and it has no rollout',
        code: barePod(),
        errors: [{ line: lineOf(barePod(), '- name: web'), severity: 'low', message: 'container `web` of Pod `volume-test` has no readiness probe (low: its pod carries no labels, so no Service can select it and readiness gates no traffic; a bare Pod has no rollout to hold back either)' }]
      },
      { name: 'a bare Pod with an empty labels map: low', code: barePod('  labels: {}\n'), errors: [{ line: lineOf(barePod('  labels: {}\n'), '- name: web'), severity: 'low' }] },
      {
        name: "a custom resource's pod template without labels: medium, its operator labels the pods",
        code: GAME_SERVER,
        errors: [{ line: lineOf(GAME_SERVER, '- name: web'), severity: 'medium' }]
      },
      { name: 'a bare Pod with labels: medium, a Service elsewhere may select it', code: barePod('  labels:\n    app: web\n'), errors: [{ line: lineOf(barePod('  labels:\n    app: web\n'), '- name: web'), severity: 'medium' }] },
      {
        name: 'a bare Pod without labels that a kustomization deploys: medium, its labels transformer may add some',
        files: { 'k8s/pod.yaml': barePod(), 'k8s/kustomization.yaml': kustomization(['pod.yaml'], 'labels:\n  - pairs:\n      app: web\n') },
        errors: [{ path: 'k8s/pod.yaml', line: lineOf(barePod(), '- name: web'), severity: 'medium' }]
      },
      {
        name: 'a portless sidecar beside a container with a port, no Service in view: medium, unchanged',
        code: exporterWithReloader('http').split('---\n')[0]!,
        errors: [{ line: RELOADER_LINE, severity: 'medium' }]
      }
    ]
  },
  'k8s/single-replica': {
    valid: [
      { code: CLEAN },
      { name: 'replicas left to an HPA', code: autoscaled },
      { name: 'batch Job', code: JOB },
      {
        name: 'one replica declared, a KEDA ScaledObject owns the count',
        code: oneReplica + '---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: api-scaler\n  namespace: shop\nspec:\n  scaleTargetRef:\n    name: api\n  maxReplicaCount: 5\n  triggers:\n    - type: cpu\n      metadata:\n        value: "60"\n'
      }
    ],
    invalid: [
      { name: 'a stateless Deployment: medium, with the fix', code: oneReplica, errors: [{ line: lineOf(oneReplica, 'replicas: 1'), severity: 'medium', suggestion: '  replicas: 2' }] },
      {
        name: 'a StatefulSet mounting a ReadWriteOnce claim by name: low, a second replica could not share it',
        code: `${oneReplicaClaim.replace('kind: Deployment', 'kind: StatefulSet')}---\n${claim('api-data', 'ReadWriteOnce')}`,
        errors: [
          {
            line: lineOf(oneReplica, 'replicas: 1'),
            severity: 'low',
            suggestion: null,
            message: /^StatefulSet `api` runs a single replica \(low: its pod template mounts the claim `api-data` by name, so every replica would mount that one volume; the claim is `ReadWriteOnce`, whose volume attaches to one node at a time/
          }
        ]
      },
      {
        name: 'a Deployment mounting a claim the set does not show: low, taken as ReadWriteOnce',
        code: oneReplicaClaim,
        errors: [{ line: lineOf(oneReplica, 'replicas: 1'), severity: 'low', suggestion: null, message: /the claim is not in the set, so taken as `ReadWriteOnce`, the usual mode/ }]
      },
      {
        name: 'a claim of the folder shared across nodes (ReadWriteMany): medium, no fix',
        files: { 'k8s/api.yaml': oneReplicaClaim, 'k8s/claim.yaml': claim('api-data', 'ReadWriteMany') },
        errors: [{ path: 'k8s/api.yaml', line: lineOf(oneReplica, 'replicas: 1'), severity: 'medium', suggestion: null, message: 'Deployment `api` runs a single replica' }]
      },
      {
        name: 'a ReadWriteMany claim of another namespace does not count: low',
        files: { 'k8s/api.yaml': oneReplicaClaim, 'k8s/claim.yaml': claim('api-data', 'ReadWriteMany').replace('namespace: shop', 'namespace: other') },
        errors: [{ path: 'k8s/api.yaml', line: lineOf(oneReplica, 'replicas: 1'), severity: 'low' }]
      },
      ...['postgres:15-alpine', 'redis:alpine', 'docker.io/bitnami/mongodb:7.0', 'mariadb:11'].map((image) => ({
        name: `a single-instance datastore (${image}): reported, but no \`replicas: 2\` (a second, independent database behind the Service)`,
        code: oneReplicaImage(image),
        errors: [{ line: lineOf(oneReplica, 'replicas: 1'), severity: 'medium' as const, suggestion: null }]
      })),
      {
        name: 'a datastore image only in an init container (a wait loop): the fix is offered',
        code: edit(oneReplica, ['      containers:\n', '      initContainers:\n        - name: wait-db\n          image: postgres:16\n          command: [sh, -c, "until pg_isready -h db; do sleep 2; done"]\n      containers:\n']),
        errors: [{ line: lineOf(oneReplica, 'replicas: 1'), severity: 'medium', suggestion: '  replicas: 2' }]
      },
      {
        name: 'a controller with no port and no Service in view: low, no `replicas: 2` (a second copy doubles its work)',
        code: controller(),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'low', suggestion: null, message: /^Deployment `dns-sync` runs a single replica \(low: no container declares a port and no Service in .+ selects its pods, so it serves no caller in view/ }]
      },
      {
        name: "a portless Deployment on the host's network serves at the node's address: medium",
        code: controller().replace('    spec:\n      containers:\n', '    spec:\n      hostNetwork: true\n      containers:\n'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a portless Deployment a Service of the set selects: medium, unchanged',
        code: controller().replace('type: Recreate', 'type: RollingUpdate') + '---\n' + opsService('dns-sync', '8080'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium', suggestion: '  replicas: 2' }]
      },
      {
        name: 'a controller whose only Service exposes a port named metrics: low, naming that Service',
        code: controller() + '---\n' + metricsService('dns-sync-stats', 'dns-sync', 'metrics'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'low', suggestion: null, message: /\(low: the only Services in .+ selecting its pods \(`dns-sync-stats`\) expose metrics and its containers declare no port but a metrics one, so it serves no caller in view but a metrics scraper/ }]
      },
      {
        name: 'a controller whose only Service is named *-metrics: low',
        code: controller() + '---\n' + metricsService('dns-sync-metrics', 'dns-sync', ''),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'low', suggestion: null }]
      },
      {
        name: 'a controller declaring only an http-metrics port, no Service: low',
        code: controllerPort('http-metrics'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'low', suggestion: null, message: /\(low: no Service in .+ selects its pods and its containers declare no port but a metrics one, so it serves no caller in view but a metrics scraper, for which a pause only leaves a gap/ }]
      },
      {
        name: 'a StatefulSet whose one unnamed port is the target of its only Service, a metrics one: low',
        code: controller(`          ports:\n            - containerPort: 9001\n`).replace('kind: Deployment', 'kind: StatefulSet').replace('  strategy:\n    type: Recreate\n', '') + '---\n' + metricsService('app-metrics', 'dns-sync', 'metrics'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'low', message: /\(low: the only Services in .+ selecting its pods \(`app-metrics`\) expose metrics/ }]
      },
      {
        name: 'an unnamed port beside the one a metrics Service targets: medium, it may serve callers',
        code: controller(`          ports:\n            - containerPort: 9001\n            - containerPort: 8080\n`) + '---\n' + metricsService('app-metrics', 'dns-sync', 'metrics'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a Service named *-metrics whose port is named http: served whatever it is called, medium',
        code: controller() + '---\n' + metricsService('dns-sync-metrics', 'dns-sync', 'http'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: "an operator whose only other port is its probes' (by name), its only Service a metrics one: low, naming the port",
        code: probedController('probes') + '---\n' + metricsService('dns-sync-metrics', 'dns-sync', 'metrics'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'low', suggestion: null, message: /and its containers declare no port but a metrics one and `probes`, which only their own probes call \(the kubelet's health checks\), so it serves no caller in view/ }]
      },
      {
        name: "the probes' port called by number: low too",
        code: probedController('9090') + '---\n' + metricsService('dns-sync-metrics', 'dns-sync', 'metrics'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'low', suggestion: null }]
      },
      {
        name: "a probed port named http beside a metrics Service: medium (an Ingress's Service out of view may route to it)",
        code: probedController('probes').replace(/name: probes/g, 'name: http').replace(/port: probes/g, 'port: http') + '---\n' + metricsService('dns-sync-metrics', 'dns-sync', 'metrics'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: "a probed port with no Service in view: medium (a Service elsewhere may route to a web server's probed port)",
        code: probedController('probes'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a probed port a Service of the set targets: medium, it serves callers',
        code: probedController('probes').replace('type: Recreate', 'type: RollingUpdate') + '---\n' + metricsService('dns-sync-metrics', 'dns-sync', 'metrics') + '---\n' + opsService('dns-sync', 'probes'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a port the probes do not call beside the probed one: medium',
        code: probedController('metrics') + '---\n' + metricsService('dns-sync-metrics', 'dns-sync', 'metrics'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a controller declaring a port named http: medium, it may serve callers',
        code: controllerPort('http'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a metrics Service beside a Service on another port: medium',
        code: controller().replace('type: Recreate', 'type: RollingUpdate') + '---\n' + metricsService('dns-sync-metrics', 'dns-sync', 'metrics') + '---\n' + metricsService('dns-sync-api', 'dns-sync', 'grpc'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'an operator whose metrics Service calls its port https but targets metrics, and whose other Service targets a port name no container declares: low, saying both',
        code: operatorServices(),
        errors: [
          {
            line: lineOf(controller(), 'replicas: 1'),
            severity: 'low',
            suggestion: null,
            message:
              /\(low: the only Services in .+ selecting its pods \(`dns-sync-metrics-service`: its port `https` targets the metrics port `metrics` of its containers; `dns-sync`: its `targetPort: https` names a port no container of the pod declares, which Kubernetes cannot resolve\) expose metrics or route nowhere and its containers declare no port but a metrics one and `probes`, which only their own probes call/
          }
        ]
      },
      {
        name: 'a Service named for metrics whose port named https targets the metrics port: low, a metrics Service whatever its port is called',
        code: probedController('probes') + '---\n' + controllerService('dns-sync-metrics', 'https', 'metrics'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'low', message: /\(low: the only Services in .+ selecting its pods \(`dns-sync-metrics`: its port `https` targets the metrics port `metrics` of its containers\) expose metrics and/ }]
      },
      {
        name: 'the same targeting the metrics port by number: low',
        code: probedController('probes') + '---\n' + controllerService('dns-sync-metrics', 'https', '9001'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'low', message: /`dns-sync-metrics`: its port `https` targets the metrics port `9001` of its containers/ }]
      },
      {
        name: 'a Service named for the app whose http port targets a port named metrics (a Pushgateway, whose API is that port): medium',
        code: probedController('probes') + '---\n' + controllerService('pushgateway', 'http', 'metrics'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a Service named for metrics targeting a port number its container also declares under another name: medium',
        code: controller(`          ports:\n            - name: metrics\n              containerPort: 9001\n            - name: http\n              containerPort: 9001\n`) + '---\n' + controllerService('dns-sync-metrics', 'https', '9001'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'the only Service targets a port name the portless pod does not declare: low, it routes nowhere',
        code: controller() + '---\n' + controllerService('dns-sync', 'http', 'http'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'low', message: /\(low: the only Services in .+ selecting its pods \(`dns-sync`: its `targetPort: http` names a port no container of the pod declares, which Kubernetes cannot resolve\) route nowhere and its containers declare no port, so it serves no caller in view: a controller/ }]
      },
      {
        name: 'a headless Service targeting a port name the pod does not declare still publishes the pod by DNS: medium',
        code: controller() + '---\n' + controllerService('dns-sync', 'http', 'http').replace('spec:\n  selector:', 'spec:\n  clusterIP: None\n  selector:'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'the same with the unresolvable Service fixed to a number, which may reach an undeclared port: medium',
        code: operatorServices('8443'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a Service with no targetPort reaches its port number, declared or not: medium',
        code: probedController('probes') + '---\n' + controllerService('dns-sync', 'https', 'x').replace('      targetPort: x\n', ''),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'the unresolvable Service beside a metrics one whose https port targets a number no container declares: medium',
        code: operatorServices().replace('targetPort: metrics', 'targetPort: 9443'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a Service targeting by name a port the pod does declare (https): medium, it serves callers',
        code: controller(`          ports:\n            - name: metrics\n              containerPort: 9001\n            - name: https\n              containerPort: 8443\n`) + '---\n' + controllerService('dns-sync-metrics-service', 'https', 'metrics') + '---\n' + controllerService('dns-sync', 'https', 'https'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a port named https targeting the metrics port of an init container, and so nothing running: medium',
        code:
          controller().replace('      containers:\n', '      initContainers:\n        - name: warm\n          image: registry.example.com/warm:1\n          ports:\n            - name: metrics\n              containerPort: 9001\n      containers:\n') +
          '---\n' +
          controllerService('dns-sync-metrics', 'https', '9001'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'the port name declared by a sidecar (an init container that keeps running): medium, it resolves',
        code: operatorServices().replace(
          '      containers:\n',
          '      initContainers:\n        - name: proxy\n          image: registry.example.com/rbac-proxy:0.18\n          restartPolicy: Always\n          ports:\n            - name: https\n              containerPort: 8443\n      containers:\n'
        ),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a kustomization builds the set: its patches may add the port the Service names, medium',
        files: { 'k8s/app.yaml': operatorServices(), 'k8s/kustomization.yaml': kustomization(['app.yaml']) },
        errors: [{ path: 'k8s/app.yaml', line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'a target that is no literal port name (a placeholder) is not read as unresolvable: medium',
        code: operatorServices('__WEB_PORT__'),
        errors: [{ line: lineOf(controller(), 'replicas: 1'), severity: 'medium' }]
      },
      {
        name: 'kustomize patch setting one replica',
        files: { ...overlay('patches').files, 'overlays/prod/memory.yaml': PATCH.replace('spec:\n  template:', 'spec:\n  replicas: 1\n  template:') },
        errors: [{ path: 'overlays/prod/memory.yaml', line: 6 }]
      }
    ]
  },
  'k8s/no-pod-disruption-budget': {
    valid: [
      { code: CLEAN },
      { name: 'PDB in another file of the manifest folder', files: { 'k8s/deploy.yaml': noPdb, 'k8s/pdb.yaml': PDB } },
      { name: 'PDB in an unchanged sibling read as context', files: { 'k8s/deploy.yaml': noPdb, 'k8s/pdb.yaml': PDB }, contextOnly: ['k8s/pdb.yaml'] },
      { name: 'unchanged sibling read as context is never reported on', files: { 'k8s/netpol.yaml': NETPOL, 'k8s/deploy.yaml': noPdb }, contextOnly: ['k8s/deploy.yaml'] },
      { name: 'single replica (a budget cannot help)', code: edit(noPdb, ['replicas: 3', 'replicas: 1']) },
      { name: 'batch Job', code: JOB }
    ],
    invalid: [{ code: noPdb, errors: [{ line: lineOf(noPdb, 'matchLabels:') }] }]
  },
  'k8s/no-pod-anti-affinity': {
    valid: [{ name: 'topology spread constraints', code: edit(noAffinity, ['      containers:\n', '      topologySpreadConstraints:\n        - maxSkew: 1\n          topologyKey: kubernetes.io/hostname\n          whenUnsatisfiable: ScheduleAnyway\n          labelSelector:\n            matchLabels:\n              app: api\n      containers:\n']) }, { code: CLEAN }],
    invalid: [{ code: noAffinity, errors: [{ line: lineOf(noAffinity, '    spec:') }] }]
  },
  'k8s/no-cpu-requests': {
    valid: [overlay('patches'), overlay('patchesStrategicMerge'), BARE_PATCH_OVERLAY, { code: CLEAN }, { name: 'the pause image with no resources at all', code: placeholder(PAUSE_IMAGES[1]!).replace(/ {10}resources:\n.*$/s, '') }, { name: 'an idle pre-puller with no resources beside a working container', code: idleSidecar('[sleep, infinity]').replace(/ {10}resources:\n {12}requests:\n {14}cpu: 1\n/, '') }],
    invalid: [
      { name: 'limit set: the request defaults to it (low, says so)', code: noCpuReq, errors: [{ line: lineOf(noCpuReq, 'requests:'), severity: 'low', message: /reserves its whole limit \(`500m`\)/ }] },
      { name: 'no resources at all', code: noResources, errors: [{ line: CONTAINER_LINE, severity: 'medium', message: /sets no cpu request$/ }] },
      {
        name: "an init container with no requests: low, the app containers' sum is what the pod reserves",
        code: INIT_NO_REQUESTS,
        errors: [{ line: lineOf(INIT_NO_REQUESTS, '- name: copy-config'), severity: 'low', message: /^init container `copy-config` of Deployment `api` sets no cpu request; the pod reserves the larger of its init containers' requests/ }]
      }
    ]
  },
  'k8s/no-cpu-limits': {
    valid: [
      { code: CLEAN },
      ...PAUSE_IMAGES.map((image) => ({ name: `the pause image ${image}: nothing to throttle`, code: placeholder(image) })),
      ...IDLE_COMMANDS.map((command) => ({ name: `a container that only idles beside a working one (${command}): nothing to throttle`, code: idleSidecar(command) }))
    ],
    invalid: [
      { code: noCpuLim, errors: [{ line: lineOf(noCpuLim, 'limits:') }] },
      ...NOT_PAUSE.map(({ what, code }) => ({ name: `${what}: reported`, code, errors: [{ line: lineOf(code, 'resources:') }] })),
      { name: 'a lone idle container, a shell to exec into: reported', code: idler('[sleep, infinity]'), errors: [{ line: lineOf(idler('[sleep, infinity]'), 'resources:') }] },
      ...NOT_IDLE.map(({ what, code }) => ({ name: `not idle, ${what}: reported`, code, errors: [{ line: lineOf(code, 'resources:') }] }))
    ]
  },
  'k8s/no-memory-requests': {
    valid: [
      overlay('patches'),
      overlay('patchesStrategicMerge'),
      BARE_PATCH_OVERLAY,
      { code: CLEAN },
      ...PAUSE_IMAGES.map((image) => ({ name: `the pause image ${image}`, code: placeholder(image) })),
      ...IDLE_COMMANDS.map((command) => ({ name: `a container that only idles beside a working one (${command})`, code: idleSidecar(command) }))
    ],
    invalid: [
      ...NOT_PAUSE.map(({ what, code }) => ({ name: `${what}: reported`, code, errors: [{ line: lineOf(code, 'requests:'), severity: 'medium' as const }] })),
      { name: 'a lone idle container, a shell to exec into: reported', code: idler('[sleep, infinity]'), errors: [{ line: lineOf(idler('[sleep, infinity]'), 'requests:'), severity: 'medium' }] },
      ...NOT_IDLE.map(({ what, code }) => ({ name: `not idle, ${what}: reported`, code, errors: [{ line: lineOf(code, 'requests:'), severity: 'medium' as const }] })),
      { name: 'limit set: the request defaults to it', code: noMemReq, errors: [{ line: lineOf(noMemReq, 'requests:'), severity: 'low', message: /reserves its whole limit \(`256Mi`\)/ }] },
      { name: 'no requests section, limits only', code: limitsOnly, errors: [{ line: lineOf(limitsOnly, 'resources:'), severity: 'low' }] },
      { name: 'no resources at all', code: noResources, errors: [{ line: CONTAINER_LINE, severity: 'medium' }] },
      { name: 'an init container with no requests: low', code: INIT_NO_REQUESTS, errors: [{ line: lineOf(INIT_NO_REQUESTS, '- name: copy-config'), severity: 'low', message: /sets no memory request; the pod reserves/ }] }
    ]
  },
  'k8s/no-memory-limits': {
    valid: [
      { code: CLEAN },
      ...PAUSE_IMAGES.map((image) => ({ name: `the pause image ${image}: constant tiny memory`, code: placeholder(image) })),
      ...IDLE_COMMANDS.map((command) => ({ name: `a container that only idles beside a working one (${command}): constant tiny memory`, code: idleSidecar(command) }))
    ],
    invalid: [
      { code: noMemLim, errors: [{ line: lineOf(noMemLim, 'limits:') }] },
      ...NOT_PAUSE.map(({ what, code }) => ({ name: `${what}: reported`, code, errors: [{ line: lineOf(code, 'resources:') }] })),
      { name: 'a lone idle container, a shell to exec into: reported', code: idler('[sleep, infinity]'), errors: [{ line: lineOf(idler('[sleep, infinity]'), 'resources:') }] },
      ...NOT_IDLE.map(({ what, code }) => ({ name: `not idle, ${what}: reported`, code, errors: [{ line: lineOf(code, 'resources:') }] }))
    ]
  },
  'k8s/image-latest': {
    valid: [
      { code: CLEAN },
      { name: 'latest tag pinned by digest', code: withEdit(['api:1.4.2', 'api:latest@sha256:' + 'ab'.repeat(32)]) },
      { name: 'a token a script replaces before apply', code: withEdit(['image: registry.example.com/api:1.4.2', 'image: "{IMAGE}"']) },
      { name: 'a double-underscore token', code: withEdit(['image: registry.example.com/api:1.4.2', 'image: __API_IMAGE__']) },
      {
        name: 'the kustomization deploying it sets the tag',
        files: {
          'deploy/app.yaml': withEdit(['image: registry.example.com/api:1.4.2', 'image: registry.example.com/api']),
          'deploy/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - app.yaml\nimages:\n  - name: registry.example.com/api\n    newTag: 1.4.2\n'
        }
      }
    ],
    invalid: [
      {
        name: 'a kustomization that sets the tag to latest pins nothing',
        files: {
          'deploy/app.yaml': withEdit(['image: registry.example.com/api:1.4.2', 'image: registry.example.com/api']),
          'deploy/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - app.yaml\nimages:\n  - name: registry.example.com/api\n    newTag: latest\n'
        },
        errors: [{ path: 'deploy/app.yaml', line: lineOf(withEdit(['image: registry.example.com/api:1.4.2', 'image: registry.example.com/api']), 'image: registry.example.com/api') }]
      },
      { code: latest, errors: [{ line: lineOf(latest, 'api:latest') }] },
      { name: 'a bare image name is untagged, not a token', code: untagged, errors: [{ line: lineOf(untagged, 'image: nginx') }] },
      {
        name: "kubebuilder's images: slot in the base's own kustomization: info, a placeholder the build replaces",
        files: {
          'config/manager/manager.yaml': manager('controller:latest'),
          'config/manager/kustomization.yaml': kustomization(['manager.yaml'], 'images:\n  - name: controller\n    newName: controller\n    newTag: latest\n')
        },
        errors: [{ path: 'config/manager/manager.yaml', line: MANAGER_IMAGE_LINE, severity: 'info', message: /uses the `latest` tag\. Info: it is a placeholder the build replaces: a kustomization deploying it lists `controller` under `images:`/ }]
      },
      {
        name: 'an images: slot in the kustomization that includes the base: info',
        files: { 'deploy/base/app.yaml': manager('controller', 'app'), 'deploy/base/kustomization.yaml': kustomization(['app.yaml']), 'deploy/prod/kustomization.yaml': kustomization(['../base'], 'images:\n  - name: controller\n') },
        errors: [{ path: 'deploy/base/app.yaml', line: MANAGER_IMAGE_LINE, severity: 'info', message: /uses no tag \(implicitly `latest`\)\. Info: it is a placeholder the build replaces: a kustomization deploying it lists `controller` under `images:`/ }]
      },
      {
        name: 'a Docker Hub image named in images: and kept at latest is deployed as written: medium',
        files: { 'deploy/app.yaml': manager('nginx:latest', 'web'), 'deploy/kustomization.yaml': kustomization(['app.yaml'], 'images:\n  - name: nginx\n    newTag: latest\n') },
        errors: [{ path: 'deploy/app.yaml', line: MANAGER_IMAGE_LINE, severity: 'medium' }]
      },
      {
        name: "kubebuilder's scaffold with no images: entry yet (the Makefile adds it): info",
        files: { 'config/manager/manager.yaml': manager('controller:latest'), 'config/manager/kustomization.yaml': kustomization(['manager.yaml']) },
        errors: [{ path: 'config/manager/manager.yaml', line: MANAGER_IMAGE_LINE, severity: 'info', message: /Info: it is a placeholder the build replaces: `controller` in the Deployment `controller-manager` of a kustomize base is kubebuilder's scaffold image/ }]
      },
      { name: 'the same Deployment with no kustomization in sight: medium', path: 'config/manager/manager.yaml', code: manager('controller:latest'), errors: [{ line: MANAGER_IMAGE_LINE, severity: 'medium' }] },
      {
        name: 'image controller in a Deployment of another name, no images: entry: medium',
        files: { 'deploy/app.yaml': manager('controller:latest', 'controller'), 'deploy/kustomization.yaml': kustomization(['app.yaml']) },
        errors: [{ path: 'deploy/app.yaml', line: MANAGER_IMAGE_LINE, severity: 'medium' }]
      },
      {
        name: 'a registry image with an images: entry of its name: medium (no placeholder)',
        files: { 'deploy/app.yaml': manager('registry.example.com/app:latest', 'app'), 'deploy/kustomization.yaml': kustomization(['app.yaml'], 'images:\n  - name: registry.example.com/app\n') },
        errors: [{ path: 'deploy/app.yaml', line: MANAGER_IMAGE_LINE, severity: 'medium' }]
      },
      {
        name: 'an images: entry that renames it to another repository deploys that one, tag unchanged: medium',
        files: { 'deploy/app.yaml': manager('app:latest', 'app'), 'deploy/kustomization.yaml': kustomization(['app.yaml'], 'images:\n  - name: app\n    newName: ghcr.io/example/app\n') },
        errors: [{ path: 'deploy/app.yaml', line: MANAGER_IMAGE_LINE, severity: 'medium' }]
      },
      {
        name: 'a bare image with a kustomization but no images: entry: medium',
        files: { 'deploy/app.yaml': manager('app:latest', 'app'), 'deploy/kustomization.yaml': kustomization(['app.yaml']) },
        errors: [{ path: 'deploy/app.yaml', line: MANAGER_IMAGE_LINE, severity: 'medium' }]
      },
      {
        name: 'the pause image without a tag: low, a placeholder whose versions behave alike',
        code: withEdit(['image: registry.example.com/api:1.4.2', 'image: registry.k8s.io/pause']),
        errors: [{ line: lineOf(withEdit(['image: registry.example.com/api:1.4.2', 'image: registry.k8s.io/pause']), 'registry.k8s.io/pause'), severity: 'low', message: /Kubernetes pause image/ }]
      }
    ]
  },
  'k8s/image-missing': {
    valid: [
      overlay('patches'),
      overlay('patchesStrategicMerge'),
      BARE_PATCH_OVERLAY,
      SIDECAR_PATCH_COMMENTED,
      { name: 'fragment without image or selector, no kustomization in sight', code: FRAGMENT },
      { code: CLEAN },
      {
        name: 'a kubeadm patch under patches/: a partial static pod',
        path: 'kind/patches/kube-controller-manager.yaml',
        code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-controller-manager\n  namespace: kube-system\nspec:\n  containers:\n    - name: kube-controller-manager\n      resources:\n        requests:\n          cpu: 50m\n'
      },
      {
        name: "an operator's custom resource whose pod template only tunes the container it runs",
        code: 'apiVersion: db.example.com/v1\nkind: Pooler\nmetadata:\n  name: orders-pooler\nspec:\n  instances: 2\n  template:\n    spec:\n      containers:\n        - name: pooler\n          resources:\n            limits:\n              memory: 256Mi\n'
      }
    ],
    invalid: [
      { code: noImage, errors: [{ line: CONTAINER_LINE }] },
      { name: 'fragment with a selector: a whole Deployment, still said to have no image', code: FRAGMENT_WITH_SELECTOR, errors: [{ line: lineOf(FRAGMENT_WITH_SELECTOR, '- name: api') }] },
      { name: 'a sidecar beside an imageless container in a Deployment with a selector', code: SIDECAR_WHOLE, errors: [{ line: lineOf(SIDECAR_WHOLE, '- name: controller') }] },
      { name: 'an extensions/v1beta1 Deployment derived its selector: no selector is no patch', code: FRAGMENT.replace('apps/v1', 'extensions/v1beta1'), errors: [{ line: lineOf(FRAGMENT, '- name: api') }] }
    ]
  },
  'k8s/privileged-container': {
    valid: [{ code: CLEAN }],
    invalid: [...POD_SECURITY_CASES['k8s/privileged-container'], 
      { code: privileged, errors: [{ line: lineOf(privileged, 'privileged: true'), severity: 'critical' }] },
      { name: "a custom resource named like a built-in kind (Knative's Service runs pods)", code: KNATIVE_PRIVILEGED, errors: [{ line: lineOf(KNATIVE_PRIVILEGED, 'privileged: true') }] },
      { name: 'kustomize patch that makes the container privileged', files: PRIVILEGED_PATCH.files, errors: [{ path: PRIVILEGED_PATCH.path, line: lineOf(PRIVILEGED_PATCH.patch, 'privileged: true') }] },
      {
        name: "a CNI installer mounting the host's CNI folder: medium, saying why",
        code: cniInstaller('privileged: true'),
        errors: [{ line: lineOf(cniInstaller('privileged: true'), 'privileged: true'), severity: 'medium', message: /runs privileged \(medium: a CNI\/CSI node plugin, which needs it to write the host's CNI folders\)$/ }]
      },
      {
        name: 'a CNI container mounting the BPF filesystem: medium',
        code: cniInstaller('privileged: true', '/sys/fs/bpf'),
        errors: [{ line: lineOf(cniInstaller('privileged: true'), 'privileged: true'), severity: 'medium', message: /needs it to mount the BPF filesystem\)$/ }]
      },
      {
        name: 'a CSI node driver with a Bidirectional mount: medium',
        code: csiNodeDriver('Bidirectional'),
        errors: [{ line: lineOf(csiNodeDriver('Bidirectional'), 'privileged: true'), severity: 'medium', message: /needs it to propagate mounts back to the host\)$/ }]
      },
      { name: 'the same driver receiving mounts from the host only: critical', code: csiNodeDriver('HostToContainer'), errors: [{ line: lineOf(csiNodeDriver('HostToContainer'), 'privileged: true'), severity: 'critical' }] },
      { name: 'a privileged container mounting another host folder: critical', code: cniInstaller('privileged: true', '/var/log'), errors: [{ line: lineOf(cniInstaller('privileged: true'), 'privileged: true'), severity: 'critical' }] },
      ...['/usr/libexec/kubernetes/kubelet-plugins/volume/exec/', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/example.com~nfs', '/var/lib/kubelet/plugins/csi.example.com', '/var/lib/kubelet/plugins_registry'].map((hostPath) => ({
        name: `a storage node plugin mounting the kubelet's plugin folder ${hostPath}: medium, saying why`,
        code: cniInstaller('privileged: true', hostPath),
        errors: [{ line: lineOf(cniInstaller('privileged: true'), 'privileged: true'), severity: 'medium' as const, message: /runs privileged \(medium: a CNI\/CSI node plugin, which needs it to write the kubelet's volume plugin folders \(FlexVolume drivers, CSI node sockets\)\)$/ }]
      })),
      ...['/var/lib/kubelet', '/usr/libexec/kubernetes', '/var/lib/kubelet/plugins-old'].map((hostPath) => ({
        name: `a privileged container mounting ${hostPath}, above or beside the plugin folders: critical`,
        code: cniInstaller('privileged: true', hostPath),
        errors: [{ line: lineOf(cniInstaller('privileged: true'), 'privileged: true'), severity: 'critical' as const }]
      })),
      {
        name: 'an init container that only sets vm.max_map_count (the Elasticsearch set-up): medium, saying why',
        code: sysctlInit('["sysctl", "-w", "vm.max_map_count=262144"]'),
        errors: [
          {
            line: SYSCTL_PRIVILEGED_LINE,
            severity: 'medium',
            message:
              /^init container `tune` of Deployment `search` runs privileged \(medium: it only sets `vm.max_map_count` with a fixed `sysctl -w` from image `busybox:1.36` and exits before the app starts, node-wide parameters that the pod's `securityContext.sysctls` cannot set\)$/
          }
        ]
      },
      ...[
        '["sh", "-c", "sysctl -w vm.max_map_count=262144 && sysctl -w fs.inotify.max_user_watches=524288"]',
        '["/bin/sh", "-c"]\n          args: ["sysctl -w vm.max_map_count=262144; sysctl -q -w fs.file-max=65536"]',
        '["/sbin/sysctl", "-w", "vm.max_map_count=262144", "vm.swappiness=1"]'
      ].map((command) => ({
        name: `fixed sysctl -w commands only (${command}): medium`,
        code: sysctlInit(command),
        errors: [{ line: SYSCTL_PRIVILEGED_LINE, severity: 'medium' as const, message: /only sets `vm.max_map_count`, `(fs|vm)\.[\w.-]+` with a fixed `sysctl -w`/ }]
      })),
      {
        name: "a namespaced parameter: medium, pointing at the pod's securityContext.sysctls",
        code: sysctlInit('["sh", "-c", "sysctl -w net.core.somaxconn=1024"]'),
        errors: [
          {
            line: SYSCTL_PRIVILEGED_LINE,
            severity: 'medium',
            message: /only sets `net.core.somaxconn` .*; `net.core.somaxconn` belongs to the pod's own network or IPC namespace, which its `securityContext.sysctls` can set without privilege \(once the kubelet allows it with `--allowed-unsafe-sysctls` when Kubernetes does not count it safe\)\)$/
          }
        ]
      },
      {
        name: 'a node-wide network buffer limit: medium, claiming it cannot go in the pod',
        code: sysctlInit('["sysctl", "-w", "net.core.rmem_max=16777216"]'),
        errors: [{ line: SYSCTL_PRIVILEGED_LINE, severity: 'medium', message: /only sets `net.core.rmem_max` .*, node-wide parameters that the pod's `securityContext.sysctls` cannot set\)$/ }]
      },
      ...[
        { what: 'the Kubernetes registry', image: 'registry.k8s.io/e2e-test-images/busybox:1.29' },
        { what: 'a third-party image pinned by digest', image: `ghcr.io/someone/tools@sha256:${'a'.repeat(64)}` },
        { what: 'Docker Hub official image by its full name', image: 'docker.io/library/alpine:3.20' }
      ].map(({ what, image }) => ({
        name: `a sysctl init container from ${what}: medium, naming it`,
        code: sysctlInit('["sysctl", "-w", "vm.max_map_count=262144"]', '', image),
        errors: [{ line: SYSCTL_PRIVILEGED_LINE, severity: 'medium' as const, message: new RegExp(`from image \`${escapeRegExp(image)}\``) }]
      })),
      ...[
        { what: 'a third-party image pinned by a tag', image: 'ghcr.io/someone/tools:1.0' },
        { what: 'a private registry image', image: 'registry.example.com/tools:1.2' },
        { what: 'a Docker Hub user image', image: 'someone/sysctl:latest' }
      ].map(({ what, image }) => ({
        name: `the same sysctl init container from ${what}: critical`,
        code: sysctlInit('["sysctl", "-w", "vm.max_map_count=262144"]', '', image),
        errors: [{ line: SYSCTL_PRIVILEGED_LINE, severity: 'critical' as const }]
      })),
      {
        name: 'no image at all: critical',
        code: sysctlInit('["sysctl", "-w", "vm.max_map_count=262144"]').replace('          image: busybox:1.36\n', ''),
        errors: [{ line: SYSCTL_PRIVILEGED_LINE, severity: 'critical' }]
      },
      ...[
        { what: 'a script', command: '["sh", "-c", "/scripts/tune.sh"]' },
        { what: 'a pipe', command: '["sh", "-c", "sysctl -w vm.max_map_count=262144 | tee /tmp/done"]' },
        { what: 'a substitution', command: '["sh", "-c", "sysctl -w vm.max_map_count=$(cat /config/count)"]' },
        { what: 'a substitution in double quotes', command: '["sh", "-c", "sysctl -w vm.max_map_count=\\"$COUNT\\""]' },
        { what: 'a redirection', command: '["sh", "-c", "sysctl -w vm.max_map_count=262144 > /dev/termination-log"]' },
        { what: 'another command chained', command: '["sh", "-c", "sysctl -w vm.max_map_count=262144 && ./start"]' },
        { what: 'a fallback command', command: '["sh", "-c", "sysctl -w vm.max_map_count=262144 || true"]' },
        { what: 'a read, not a write', command: '["sysctl", "vm.max_map_count"]' },
        { what: 'a parameter that makes the kernel run a program', command: '["sysctl", "-w", "kernel.core_pattern=core"]' },
        { what: 'a parameter that lowers a host protection', command: '["sysctl", "-w", "vm.mmap_min_addr=0"]' },
        { what: 'BPF JIT hardening switched off', command: '["sysctl", "-w", "net.core.bpf_jit_harden=0"]' },
        { what: 'userfaultfd opened to unprivileged users', command: '["sysctl", "-w", "vm.unprivileged_userfaultfd=1"]' },
        { what: 'both, as in the review (net.core.bpf_jit_harden=0 vm.unprivileged_userfaultfd=1)', command: '["sysctl", "-w", "net.core.bpf_jit_harden=0", "vm.unprivileged_userfaultfd=1"]' },
        { what: 'routing switched on', command: '["sh", "-c", "sysctl -w net.ipv4.ip_forward=1"]' },
        { what: 'a resource parameter and a protection together', command: '["sysctl", "-w", "vm.max_map_count=262144", "net.ipv4.tcp_syncookies=0"]' },
        { what: 'no command (the image entrypoint runs)', command: '' }
      ].map(({ what, command }) => ({
        name: `a privileged init container running ${what}: critical`,
        code: sysctlInit(command),
        errors: [{ line: SYSCTL_PRIVILEGED_LINE, severity: 'critical' as const }]
      })),
      {
        name: 'a sysctl init container that also serves a port: critical',
        code: sysctlInit('["sysctl", "-w", "vm.max_map_count=262144"]', '          ports:\n            - containerPort: 9000\n'),
        errors: [{ line: SYSCTL_PRIVILEGED_LINE, severity: 'critical' }]
      },
      {
        name: 'a sidecar (restartPolicy: Always) running sysctl: critical',
        code: sysctlInit('["sysctl", "-w", "vm.max_map_count=262144"]', '          restartPolicy: Always\n'),
        errors: [{ line: SYSCTL_PRIVILEGED_LINE, severity: 'critical' }]
      },
      { name: 'a privileged main container running sysctl: critical', code: sysctlMain, errors: [{ line: lineOf(sysctlMain, 'privileged: true'), severity: 'critical' }] }
    ]
  },
  'k8s/privilege-escalation-allowed': {
    valid: [{ code: CLEAN }],
    invalid: [...POD_SECURITY_CASES['k8s/privilege-escalation-allowed'], 
      { code: escalation, errors: [{ line: lineOf(escalation, 'allowPrivilegeEscalation: true'), severity: 'high' }] },
      {
        name: 'a container adding SYS_ADMIN, beside which false is refused: low, naming the capability finding',
        code: escalationWith(['              drop: [ALL]\n', '              drop: [ALL]\n              add: [NET_ADMIN, CAP_SYS_ADMIN]\n']),
        errors: [{ line: lineOf(escalation, 'allowPrivilegeEscalation: true'), severity: 'low', message: /allows privilege escalation \(it adds SYS_ADMIN, beside which the API server refuses `allowPrivilegeEscalation: false` \(the capability is reported on its own, k8s\/dangerous-capability\): low\)$/ }]
      },
      {
        name: "root by the pod's runAsUser with ALL capabilities dropped and some added back: low, naming the root and capability findings",
        code: escalationWith(['        runAsNonRoot: true\n', '        runAsUser: 0\n'], ['              drop: [ALL]\n', '              drop: [ALL]\n              add: [NET_ADMIN, NET_RAW]\n']),
        errors: [{ line: lineOf(escalation, 'allowPrivilegeEscalation: true'), severity: 'low', message: /\(it runs as UID 0 \(root\) with a fixed capability set \(it drops ALL\), so a setuid binary or file capability raises it no further; root and the capabilities it adds are reported on their own \(k8s\/run-as-root and the capability rules\): low\)$/ }]
      },
      {
        name: 'its own runAsUser 0 with ALL dropped: low',
        code: escalationWith(['            readOnlyRootFilesystem: true\n', '            readOnlyRootFilesystem: true\n            runAsUser: 0\n']),
        errors: [{ line: lineOf(escalation, 'allowPrivilegeEscalation: true'), severity: 'low', message: /root is reported on its own \(k8s\/run-as-root\): low\)$/ }]
      },
      {
        name: 'root adding SYS_ADMIN: low, giving both reasons',
        code: escalationWith(['            readOnlyRootFilesystem: true\n', '            readOnlyRootFilesystem: true\n            runAsUser: 0\n'], ['              drop: [ALL]\n', '              drop: [ALL]\n              add: [SYS_ADMIN]\n']),
        errors: [{ line: lineOf(escalation, 'allowPrivilegeEscalation: true'), severity: 'low', message: /\(it adds SYS_ADMIN, .+ k8s\/dangerous-capability\); it runs as UID 0 \(root\) .+ reported on their own \(k8s\/run-as-root and the capability rules\): low\)$/ }]
      },
      ...[
        ['root keeping the runtime default capabilities', [['            readOnlyRootFilesystem: true\n', '            readOnlyRootFilesystem: true\n            runAsUser: 0\n'], ['              drop: [ALL]\n', '              drop: [NET_RAW]\n']]],
        ["a container whose own non-root user overrides the pod's root", [['        runAsNonRoot: true\n', '        runAsUser: 0\n'], ['            readOnlyRootFilesystem: true\n', '            readOnlyRootFilesystem: true\n            runAsUser: 10001\n']]],
        ['a user the image chooses (no runAsUser)', []]
      ].map(([what, pairs]) => ({
        name: `${what as string}, which may escalate: high`,
        code: escalationWith(...(pairs as [string, string][])),
        errors: [{ line: lineOf(escalation, 'allowPrivilegeEscalation: true'), severity: 'high' as const, message: /allows privilege escalation$/ }]
      })),
      { name: 'a kind Preflight does not know, with containers, is read as a pod', code: UNKNOWN_KIND_ESCALATION, errors: [{ line: lineOf(UNKNOWN_KIND_ESCALATION, 'allowPrivilegeEscalation: true') }] }
    ]
  },
  'k8s/privilege-escalation-not-disabled': {
    valid: [
      { code: CLEAN },
      { name: 'a privileged container escalates by definition (the privileged rule reports it)', code: withEdit([SEC_CTX, '          securityContext:\n            privileged: true\n']) }
    ],
    invalid: [{ code: noEscalationSetting, errors: [{ line: lineOf(noEscalationSetting, CONTAINER_SEC) }] }]
  },
  'k8s/run-as-root': {
    valid: [
      { code: CLEAN },
      { name: 'pod default root, container overrides with a user', code: withEdit(['        runAsNonRoot: true\n', '        runAsUser: 0\n'], [SEC_CTX, SEC_CTX + '            runAsUser: 10001\n']) }
    ],
    invalid: [...POD_SECURITY_CASES['k8s/run-as-root'], 
      { code: rootKeepingCapabilities, errors: [{ line: lineOf(rootKeepingCapabilities, 'runAsUser: 0'), severity: 'high', message: /runs as UID 0 \(root\)$/ }] },
      {
        name: 'UID 0 on a container that drops ALL capabilities, adds none and cannot escalate: medium, saying why',
        code: runAsRoot,
        errors: [{ line: lineOf(runAsRoot, 'runAsUser: 0'), severity: 'medium', message: /container `api` of Deployment `api` runs as UID 0 \(root\) \(medium: it drops every capability, adds none and cannot escalate\)$/ }]
      },
      ...['[NET_ADMIN]', '[SYS_ADMIN]', 'NET_BIND_SERVICE'].map((add) => ({
        name: `UID 0 dropping ALL but adding ${add} back: high`,
        code: withEdit([SEC_CTX, SEC_CTX + '            runAsUser: 0\n'], ['              drop: [ALL]\n', `              drop: [ALL]\n              add: ${add}\n`]),
        errors: [{ line: lineOf(runAsRoot, 'runAsUser: 0'), severity: 'high' as const }]
      })),
      {
        name: 'UID 0 dropping ALL without `allowPrivilegeEscalation: false`: high',
        code: rootMayEscalate,
        errors: [{ line: lineOf(rootMayEscalate, 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: 'a pod-level UID 0 over two containers that both drop every capability and cannot escalate: medium, in the plural',
        code: podRootPowerless(POWERLESS_SC),
        errors: [{ line: lineOf(podRootPowerless(POWERLESS_SC), 'runAsUser: 0'), severity: 'medium', message: /containers `migrate`, `app` of Deployment `shop` run as UID 0 \(root\) \(medium: they drop every capability, add none and cannot escalate\)$/ }]
      },
      ...[
        { what: 'a host path mounted writable', pod: HOST_LOGS, mounts: '          volumeMounts:\n            - name: logs\n              mountPath: /host/logs\n' },
        { what: "the host's PID namespace", pod: '      hostPID: true\n', mounts: '' }
      ].map(({ what, pod, mounts }) => ({
        name: `UID 0 without capabilities but with ${what}: high (root needs no capability there)`,
        code: powerlessRootWith(pod, mounts),
        errors: [{ line: lineOf(powerlessRootWith(pod, mounts), 'runAsUser: 0'), severity: 'high' as const }]
      })),
      {
        name: 'UID 0 without capabilities and a host path mounted read-only: medium',
        code: powerlessRootWith(HOST_LOGS, READ_ONLY_LOGS),
        errors: [{ line: lineOf(powerlessRootWith(HOST_LOGS, READ_ONLY_LOGS), 'runAsUser: 0'), severity: 'medium' }]
      },
      {
        name: 'a pod-level UID 0 over two containers, one of which keeps its capabilities: high',
        code: podRootPowerless('          securityContext:\n            allowPrivilegeEscalation: false\n'),
        errors: [{ line: lineOf(podRootPowerless(POWERLESS_SC), 'runAsUser: 0'), severity: 'high', message: /run as UID 0 \(root\)$/ }]
      },
      { name: 'an init container that only changes ownership of a volume: medium, naming fsGroup', code: ownershipInit('["sh", "-c", "mkdir -p /data/cache && chown -R 1000:1000 /data"]'), errors: [{ line: 13, severity: 'medium', message: /only to change file ownership.*fsGroup/ }] },
      { name: 'an init container that also runs something else: high', code: ownershipInit('["sh", "-c", "chown 1000 /data && ./migrate"]'), errors: [{ line: 13, severity: 'high' }] },
      ...['chown 1000 /data | sh', 'chown 1000 /data & ./migrate', 'chown $(curl -s http://cfg.example) /data', 'chown 1000 /data > /etc/motd'].map((command) => ({
        name: `ownership change beside a pipe, a background job, a substitution or a redirection (${command}): high`,
        code: ownershipInit(`["sh", "-c", "${command}"]`),
        errors: [{ line: 13, severity: 'high' as const }]
      })),
      {
        name: 'UID 0 on a privileged container: medium, as the privileged finding covers it',
        code: privilegedRootInit,
        errors: [{ line: lineOf(privilegedRootInit, 'runAsUser: 0'), severity: 'medium', message: /runs as UID 0 \(root\) \(medium: it is also privileged, which gives the node already and is reported on its own\)$/ }]
      },
      {
        name: "UID 0 for a CNI installer mounting the host's CNI folder: medium, saying why",
        code: cniInstaller('runAsUser: 0'),
        errors: [{ line: lineOf(cniInstaller('runAsUser: 0'), 'runAsUser: 0'), severity: 'medium', message: /runs as UID 0 \(root\) \(medium: a CNI\/CSI node plugin, which needs it to write the host's CNI folders\)$/ }]
      },
      { name: 'UID 0 for the same container mounting another host folder: high', code: cniInstaller('runAsUser: 0', '/srv/data'), errors: [{ line: lineOf(cniInstaller('runAsUser: 0'), 'runAsUser: 0'), severity: 'high' }] },
      {
        name: 'UID 0 for a FlexVolume driver installer: medium, saying why',
        code: cniInstaller('runAsUser: 0', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/'),
        errors: [{ line: lineOf(cniInstaller('runAsUser: 0'), 'runAsUser: 0'), severity: 'medium', message: /\(medium: a CNI\/CSI node plugin, which needs it to write the kubelet's volume plugin folders/ }]
      },
      {
        name: 'the pause image told to run as UID 0: still high (the spec overrides its image user)',
        code: placeholder(PAUSE_IMAGES[0]!).replace('          resources:\n', '          securityContext:\n            runAsUser: 0\n          resources:\n'),
        errors: [{ line: PLACEHOLDER_CONTAINER_LINE + 3, severity: 'high' }]
      },
      {
        name: 'a pod-level UID 0 shared by a privileged and an unprivileged container: high',
        code: podRootBesidePrivileged,
        errors: [{ line: lineOf(podRootBesidePrivileged, 'runAsUser: 0'), severity: 'high', message: /containers `tune`, `app` of Deployment `shop` run as UID 0 \(root\)$/ }]
      }
    ]
  },
  'k8s/run-as-non-root-not-set': {
    valid: [
      { code: CLEAN },
      { name: 'non-root UID on the container', code: withEdit(['        runAsNonRoot: true\n', ''], [SEC_CTX, SEC_CTX + '            runAsUser: 10001\n']) },
      ...PAUSE_IMAGES.map((image) => ({ name: `the pause image ${image} (its image user is 65535)`, code: placeholder(image) }))
    ],
    invalid: [
      ...POD_SECURITY_CASES['k8s/run-as-non-root-not-set'],
      { code: noNonRoot, errors: [{ line: lineOf(noNonRoot, '- name: api') }] },
      {
        name: 'a privileged container that may run as root: low, its privilege is reported on its own',
        code: edit(noNonRoot, ['            allowPrivilegeEscalation: false\n', '            allowPrivilegeEscalation: false\n            privileged: true\n']),
        errors: [{ line: lineOf(noNonRoot, '- name: api'), severity: 'low', message: /may run as root .*\(low: it is also privileged, which gives the node already/ }]
      },
      {
        name: 'a privileged CNI installer (its privilege reported medium as a node plugin) that may run as root: medium',
        code: cniInstaller('privileged: true'),
        errors: [{ line: lineOf(cniInstaller('privileged: true'), '- name: install'), severity: 'medium' }]
      },
      {
        name: 'privileged: false keeps it medium',
        code: edit(noNonRoot, ['            allowPrivilegeEscalation: false\n', '            allowPrivilegeEscalation: false\n            privileged: false\n']),
        errors: [{ line: lineOf(noNonRoot, '- name: api'), severity: 'medium' }]
      },
      ...NOT_PAUSE.map(({ what, code }) => ({ name: `${what}: reported`, code, errors: [{ line: PLACEHOLDER_CONTAINER_LINE }] })),
      ...[
        ['postgres:15-alpine', '', 'postgres', 'postgres'],
        ['docker.io/library/redis:7.2', '', 'redis', 'redis'],
        ['mirror.gcr.io/mariadb:11', '', 'mariadb', 'mysql'],
        ['mongo:7', "          args: ['--replSet', rs0]\n", 'mongo', 'mongodb'],
        ['postgres:16', "          args: [postgres, -c, max_connections=200]\n", 'postgres', 'postgres'],
        ['rabbitmq:3-management', '', 'rabbitmq', 'rabbitmq']
      ].map(([image, extra, name, user]) => ({
        name: `the official ${image} image${extra ? ' with server args' : ''}: low, its entrypoint steps down to \`${user}\``,
        code: noNonRootImage(image!, extra),
        errors: [
          {
            line: lineOf(noNonRoot, '- name: api'),
            severity: 'low' as const,
            message: new RegExp(`may run as root \\(.*\\) \\(low: its image is Docker Hub's official \`${name}\`, whose entrypoint starts as root only to prepare the data folder, then runs the server as the image's own user \`${user}\`; nothing in the spec enforces it`)
          }
        ]
      })),
      ...[
        ['postgres:15-alpine', '          command: [docker-entrypoint.sh, postgres]\n', 'a `command:` replaces the entrypoint'],
        ['redis:7', '          args: [sh, -c, redis-server]\n', 'args that start another program'],
        ['bitnami/postgresql:16', '', 'a non-official image of the same software'],
        ['ghcr.io/example/postgres:16', '', 'a registry image named like one'],
        ['nginx:1.27', '', 'an official image with no step-down'],
        ['grafana/grafana:5.0.4', '', 'Grafana before 5.1 (root, then UID 104)'],
        ['grafana/grafana:7.1.0', '          command: [/bin/sh, -c, "sudo /run.sh"]\n', 'Grafana with a `command:` through sudo'],
        ['n8nio/n8n:0.236.3', '', 'n8n before 1.0 (root, then su-exec)'],
        ['n8nio/n8n:1.22.6', '          command: [su-exec, root, n8n]\n', 'n8n with a `command:` through su-exec'],
        ['grafana/grafana@sha256:' + 'ab'.repeat(32), '', 'Grafana by digest alone (no release to read)'],
        ['ghcr.io/example/grafana:7.1.0', '', 'another registry image named grafana'],
        ['ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter:v1.9.0', '          command: [sudo, start.sh]\n', 'a Kubeflow notebook server with a `command:` through sudo'],
        ['ghcr.io/kubeflow/kubeflow/notebook-servers', '', 'the folder itself, no image of the family'],
        ['docker.io/kubeflownotebookswg-fork/jupyter:v1.8.0', '', 'a namespace only starting like the family'],
        ['docker.io/kubeflownotebookswg/jupyter-web-app:v1.9.2', '', "Kubeflow's notebook web app from the notebook servers' namespace (runs as root)"],
        ['kubeflownotebookswg/centraldashboard:v1.8.0', '', "Kubeflow's dashboard from the same namespace"]
      ].map(([image, extra, what]) => ({ name: `${what} (${image}): medium`, code: noNonRootImage(image!, extra), errors: [{ line: lineOf(noNonRoot, '- name: api'), severity: 'medium' as const }] })),
      ...['grafana/grafana:7.1.0', 'docker.io/grafana/grafana-oss:10.4.2-ubuntu', 'grafana/grafana-enterprise', 'grafana/grafana:5.1.0'].map((image) => ({
        name: `${image}, whose Dockerfile declares UID 472: low, saying so`,
        code: noNonRootImage(image),
        errors: [
          {
            line: lineOf(noNonRoot, '- name: api'),
            severity: 'low' as const,
            message: new RegExp(`may run as root \\(.*\\) \\(low: its image \`${escapeRegExp(image.replace(/^docker\.io\//, '').replace(/:.*$/, ''))}\` declares the non-root user \`472\` in its Dockerfile, and no \`runAsUser\` here changes it \\(a \`command:\` runs as that user too\\); nothing in the spec enforces it`)
          }
        ]
      })),
      ...[
        ['grafana/grafana:7.1.0', '          command: [/bin/sh, -c, /run.sh]\n', '472', 'Grafana with a `command:` (which runs as its user too)'],
        ['n8nio/n8n', '          command: [/bin/sh]\n          args: [-c, sleep 5; n8n start]\n', 'node', "n8n (1.0 on, or latest), whose Dockerfile declares `node`, started through sh"],
        ['docker.io/n8nio/n8n:1.22.6', '', 'node', 'n8n 1.22.6'],
        ['ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter:latest', '', '1000', "a Kubeflow notebook server, whose base image declares `$NB_UID`"],
        ['kubeflownotebookswg/jupyter-pytorch-cuda-full:v1.8.0', '', '1000', 'a Kubeflow notebook server from Docker Hub']
      ].map(([image, extra, user, what]) => ({
        name: `${what}: low, saying so`,
        code: noNonRootImage(image!, extra),
        errors: [{ line: lineOf(noNonRoot, '- name: api'), severity: 'low' as const, message: new RegExp(`declares the non-root user \`${user}\` in its Dockerfile, and no \`runAsUser\` here changes it`) }]
      }))
    ]
  },
  'k8s/dangerous-capability': {
    valid: [{ code: CLEAN }, { name: 'NET_ADMIN stays in the pod network namespace', code: netAdmin }],
    invalid: [...POD_SECURITY_CASES['k8s/dangerous-capability'], 
      { code: sysAdmin, errors: [{ line: lineOf(sysAdmin, 'add: [SYS_ADMIN]'), severity: 'high' }] },
      {
        name: 'beside privileged: true in the same container, which holds every capability: low, saying so',
        code: privilegedSysAdmin,
        errors: [{ line: lineOf(privilegedSysAdmin, 'add: [SYS_ADMIN]'), severity: 'low', message: /adds the SYS_ADMIN capability \(.*\) \(low: it is also privileged, which grants every capability and is reported on its own\)$/ }]
      },
      {
        name: 'host clock and file-handle capabilities, CAP_ prefix and lower case',
        code: hostClock,
        errors: [
          { line: lineOf(hostClock, '- CAP_SYS_TIME'), severity: 'medium', message: /SYS_TIME capability \(sets the host clock/ },
          { line: lineOf(hostClock, '- dac_read_search'), message: /DAC_READ_SEARCH/ }
        ]
      }
    ]
  },
  'k8s/capabilities-not-dropped': {
    valid: [{ code: CLEAN }],
    invalid: [...POD_SECURITY_CASES['k8s/capabilities-not-dropped'], { code: noDrop, errors: [{ line: lineOf(noDrop, CONTAINER_SEC), message: /^hardening: / }] }]
  },
  'k8s/net-raw-capability': {
    valid: [{ code: CLEAN }, { name: 'a built-in non-workload kind with containers (malformed policy object)', code: POLICY_WITH_CONTAINERS }],
    invalid: [
      { name: 'added back after dropping ALL: medium, CRI-O (OpenShift) leaves NET_RAW out of its defaults', code: netRaw, errors: [{ line: lineOf(netRaw, 'add: [NET_RAW]'), severity: 'medium', message: 'container `api` of Deployment `api` adds the NET_RAW capability' }] },
      { name: 'added back after dropping ALL beside NET_ADMIN, no runtime default: medium', code: edit(netRaw, ['add: [NET_RAW]', 'add: [NET_ADMIN, NET_RAW]']), errors: [{ line: lineOf(netRaw, 'add: [NET_RAW]'), severity: 'medium' }] },
      { name: 'added to a container that drops nothing: medium', code: netRawKept(), errors: [{ line: lineOf(netRawKept(), 'add: [NET_RAW]'), severity: 'medium' }] },
      { name: 'beside SYS_ADMIN: low, the larger power reported on its own', code: netRawKept(['SYS_ADMIN']), errors: [{ line: lineOf(netRawKept(['SYS_ADMIN']), 'NET_RAW]'), severity: 'low', message: /\(low: it also adds SYS_ADMIN, a larger power over the node, reported on its own/ }] },
      { name: 'beside NET_ADMIN on the host network: low', code: netRawKept(['NET_ADMIN'], true), errors: [{ line: lineOf(netRawKept(['NET_ADMIN'], true), 'NET_RAW]'), severity: 'low', message: /NET_ADMIN on the host's network/ }] },
      { name: 'in a privileged container: low', code: netRawKept().replace('allowPrivilegeEscalation: false', 'privileged: true'), errors: [{ line: lineOf(netRawKept(), 'add: [NET_RAW]'), severity: 'low', message: /\(low: it is also privileged, which grants every capability/ }] },
      { name: "beside NET_ADMIN in the pod's own network: medium", code: netRawKept(['NET_ADMIN']), errors: [{ line: lineOf(netRawKept(['NET_ADMIN']), 'NET_RAW]'), severity: 'medium' }] }
    ]
  },
  'k8s/no-seccomp-profile': {
    valid: [{ code: CLEAN }, { name: 'a built-in non-workload kind with containers (malformed policy object)', code: POLICY_WITH_CONTAINERS }],
    invalid: [...POD_SECURITY_CASES['k8s/no-seccomp-profile'], { code: noSeccomp, errors: [{ line: lineOf(noSeccomp, '      securityContext:'), message: /^hardening: / }] }]
  },
  'k8s/service-account-token-automount': {
    valid: [{ code: CLEAN }],
    invalid: [{ code: automount, errors: [{ line: lineOf(automount, '    spec:') }] }]
  },
  'k8s/no-network-policy': {
    valid: [
      { code: CLEAN },
      { name: 'NetworkPolicy in another file of the manifest folder', files: { 'k8s/deploy.yaml': noNetpol, 'k8s/netpol.yaml': NETPOL } },
      { name: 'namespace default-deny policy selecting every pod', files: { 'k8s/deploy.yaml': noNetpol, 'k8s/deny.yaml': DENY_ALL } }
    ],
    invalid: [
      { code: noNetpol, errors: [{ line: 4, message: /^hardening: / }] },
      { name: 'policy of another namespace does not count', files: { 'k8s/deploy.yaml': noNetpol, 'k8s/netpol.yaml': NETPOL.replace('namespace: shop', 'namespace: billing') }, errors: [{ path: 'k8s/deploy.yaml', line: 4 }] }
    ]
  },
  'k8s/writable-root-filesystem': {
    valid: [{ code: CLEAN }, { name: 'a pod pinned to Windows nodes (no read-only root filesystem there)', code: writableRoot.replace('        runAsNonRoot: true\n', '        runAsNonRoot: true\n      nodeSelector:\n        kubernetes.io/os: windows\n') }],
    invalid: [{ code: writableRoot, errors: [{ line: lineOf(writableRoot, CONTAINER_SEC) }] }]
  },
  'k8s/secret-literal-env': {
    valid: [
      { code: CLEAN },
      { name: 'value from a secretKeyRef', code: secretRefEnv },
      { name: 'placeholder', code: literalEnv.replace('value: Zq8vLm2Kp9Xw4R', 'value: changeme') },
      { name: 'a comment on the entry asks for the real value', code: literalEnv.replace('- name: DB_PASSWORD\n', '- name: DB_PASSWORD            #REQUIRED - replace with your database password\n') },
      { name: 'angle-bracket placeholder', code: literalEnv.replace('value: Zq8vLm2Kp9Xw4R', 'value: "<password>"') },
      { name: 'a masked value', code: literalEnv.replace('value: Zq8vLm2Kp9Xw4R', 'value: "***"') },
      { name: 'placeholder password in a URL', code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: DATABASE_URL\n              value: postgres://app:changeme@db/app') },
      { name: 'INSERT_… placeholder', code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: CLUSTER_TOKEN\n              value: INSERT_CLUSTER_TOKEN') },
      { name: 'value that says it is fake', code: literalEnv.replace('value: Zq8vLm2Kp9Xw4R', 'value: fake_password') },
      { name: 'MySQL switch named like a password', code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: MYSQL_RANDOM_ROOT_PASSWORD\n              value: "yes"') },
      { name: 'dependent variable expansion', code: literalEnv.replace('value: Zq8vLm2Kp9Xw4R', 'value: $(VAULT_DB_PASSWORD)') },
      { name: 'path to a mounted secret file', code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: DB_PASSWORD_FILE\n              value: /run/secrets/db') },
      { name: 'a count of model tokens', code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', "- name: MAX_PROMPT_TOKENS\n              value: '4096'") },
      { name: 'vendor prefix and a made-up word', code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: VENDOR_API_KEY\n              value: "vnd-APIKEY"') },
      { name: "the variable's own name as its value", code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: HUB_TOKEN\n              value: "HUB_TOKEN"') },
      { name: 'path to a mounted key file', code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: GOOGLE_APPLICATION_CREDENTIALS\n              value: /etc/gcp/sa.json') }
    ],
    invalid: [
      {
        name: 'a GPG private key (only GPG_KEY, a key fingerprint in official images, is public)',
        code: literalEnv.replace('- name: DB_PASSWORD\n', '- name: GPG_PRIVATE_KEY\n'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R') }]
      },
      {
        name: "MinIO's documented root password: medium, saying it is a well-known default",
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: MINIO_ROOT_PASSWORD\n              value: minio123'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R'), severity: 'medium', message: /a well-known default anyone would try first/ }]
      },
      {
        name: 'a short or numeric value under a password name is a weak password written in the manifest',
        code: literalEnv.replace('value: Zq8vLm2Kp9Xw4R', "value: '1234'\n            - name: SST_PASSWORD\n              value: sst"),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R') }, { line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R') + 2 }]
      },
      { code: literalEnv, errors: [{ line: lineOf(literalEnv, 'value: Zq8v'), severity: 'high' }] },
      {
        name: "an access key beside its secret key is the pair's login: only the secret key is reported",
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: MINIO_ACCESS_KEY\n              value: tempo\n            - name: MINIO_SECRET_KEY\n              value: Zq8vLm2Kp9Xw4R'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R') + 2, severity: 'high' }]
      },
      ...[
        ['MINIO_ACCESS_KEY', 'tempo', 'MINIO_SECRET_KEY', '"$(MINIO_SECRET)"', 'its secret key a reference'],
        ['S3_ACCESS_KEY', 'tempo', 'S3_SECRET_KEY', '"<your-secret-key>"', 'its secret key a placeholder'],
        ['ACCESS_KEY', 'whiskeytango', 'SECRET_KEY', 'Zq8vLm2Kp9Xw4R', 'no store named (an application secret key beside an API access key)']
      ].map(([access, accessValue, secret, secretValue, what]) => ({
        name: `an access key stays reported when the pair is not reported at its secret key: ${what}`,
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', `- name: ${access}\n              value: ${accessValue}\n            - name: ${secret}\n              value: ${secretValue}`),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R'), severity: 'high' as const }, ...(what.startsWith('no store') ? [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R') + 2, severity: 'high' as const }] : [])]
      })),
      {
        name: "a store's access key set to a well-known default beside a stand-in secret key (a quick start's admin/password): medium",
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: MINIO_ACCESS_KEY\n              value: admin\n            - name: MINIO_SECRET_KEY\n              value: password'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R'), severity: 'medium', message: /MINIO_ACCESS_KEY` to a literal value, a well-known default/ }]
      },
      {
        name: 'a random-looking access key beside its secret key is still reported',
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: S3_ACCESS_KEY\n              value: Xk9mQ2pL7vR4nT8wZ3\n            - name: S3_SECRET_KEY\n              value: Zq8vLm2Kp9Xw4R'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R'), severity: 'high' }, { line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R') + 2, severity: 'high' }]
      },
      {
        name: "lower-case words under a name saying what owns a Secret: more likely the object's name, low",
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: OPERATOR_SECRET\n              value: operator'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R'), severity: 'low', message: /more likely names the Secret object it keeps/ }]
      },
      ...[
        ['SESSION_SECRET', 'value: cookie2secret'],
        ['SESSION_SECRET', 'value: Xk9mP2vLq8Rw7TzQ'],
        ['JWT_SECRET', 'value: correct-horse-battery-staple'],
        ['GITHUB_WEBHOOK_SECRET', 'value: acmewebhooksigningkey'],
        ['OPERATOR_SECRET', 'value: operator2024'],
        ['STORAGE_SECRET', 'value: supersecretstoragekey']
      ].map(([name, value]) => ({
        name: `a signing secret, or more words than an object's name (${name}: ${value}): high`,
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', `- name: ${name}\n              ${value}`),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R'), severity: 'high' as const }]
      })),
      {
        name: 'lower-case words under a password name stay high',
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: OPERATOR_PASSWORD\n              value: operator-lake'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R'), severity: 'high' }]
      },
      {
        name: 'a typed password equal to the user name beside it: a default login, medium',
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: POSTGRES_PASSWORD\n              value: ledger\n            - name: POSTGRES_USER\n              value: ledger'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R'), severity: 'medium', message: /^(?!.*`ledger`).*sets `POSTGRES_PASSWORD` to a literal value, the same as `POSTGRES_USER` beside it \(a default login\)$/ }]
      },
      {
        name: 'a generated value reused as the database name stays high',
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: POSTGRES_PASSWORD\n              value: Zq8vLm2Kp9Xw4R\n            - name: POSTGRES_DB\n              value: Zq8vLm2Kp9Xw4R'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R'), severity: 'high' }]
      },
      {
        name: 'a typed password beside a different user name stays high',
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: POSTGRES_PASSWORD\n              value: harbourlights\n            - name: POSTGRES_USER\n              value: ledger'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8vLm2Kp9Xw4R'), severity: 'high' }]
      },
      {
        name: 'real password in a URL',
        code: literalEnv.replace('- name: DB_PASSWORD\n              value: Zq8vLm2Kp9Xw4R', '- name: DATABASE_URL\n              value: postgres://app:Zq8vLm2Kp9Xw4R@db/app'),
        errors: [{ line: lineOf(literalEnv, 'value: Zq8v') }]
      }
    ]
  },
  'k8s/secret-in-env': {
    valid: [{ code: CLEAN }, { name: 'CRD schema describing secretKeyRef', path: 'k8s/crd.yaml', code: CRD }],
    invalid: [{ code: secretRefEnv, errors: [{ line: lineOf(secretRefEnv, 'secretKeyRef') }] }]
  },
  'k8s/host-network': {
    valid: [{ code: CLEAN }],
    invalid: [...POD_SECURITY_CASES['k8s/host-network'], 
      { code: hostNet, errors: [{ line: lineOf(hostNet, 'hostNetwork'), severity: 'high' }] },
      { name: 'beside a privileged container (which holds the node already): medium, naming it', code: hostNetPrivileged, errors: [{ line: lineOf(hostNetPrivileged, 'hostNetwork'), severity: 'medium', message: /its container `api` is privileged/ }] }
    ]
  },
  'k8s/host-pid': {
    valid: [{ code: CLEAN }],
    invalid: [
      { code: hostNet, errors: [{ line: lineOf(hostNet, 'hostPID'), severity: 'high' }] },
      { name: 'beside a privileged container: medium', code: hostNetPrivileged, errors: [{ line: lineOf(hostNetPrivileged, 'hostPID'), severity: 'medium' }] }
    ]
  },
  'k8s/host-ipc': {
    valid: [{ code: CLEAN }],
    invalid: [{ code: hostNet, errors: [{ line: lineOf(hostNet, 'hostIPC') }] }]
  },
  'k8s/host-path-volume': {
    valid: [{ code: CLEAN }, { name: 'system component in kube-system', code: hostPathVol.replace(/namespace: shop/g, 'namespace: kube-system') }],
    invalid: [
      ...POD_SECURITY_CASES['k8s/host-path-volume'],
      { code: hostPathVol, errors: [{ line: lineOf(hostPathVol, 'path: /var/log') }] },
      {
        name: "a privileged storage node plugin's own data folder: low; the host's /etc it also mounts and a folder only its unprivileged neighbour mounts stay medium",
        code: storageManager('/var/lib/storage/'),
        errors: [
          {
            line: lineOf(storageManager('/var/lib/storage/'), 'path: "/var/lib/storage/"'),
            severity: 'low',
            message: "volume `data` of DaemonSet `storage-manager` mounts host path `/var/lib/storage/` (low: the privileged container `manager` mounting it is a CNI/CSI node plugin, which needs it to propagate mounts back to the host, and its privilege is reported on its own; outside the node's system paths, this folder is that plugin's own data on the node)"
          },
          { line: lineOf(storageManager('/var/lib/storage/'), 'path: /etc/'), severity: 'medium' },
          { line: lineOf(storageManager('/var/lib/storage/'), 'path: /var/lib/storage-logs'), severity: 'medium' }
        ]
      },
      {
        name: "a CSI node driver's kubelet pods folder: low",
        code: csiNodeDriver('Bidirectional'),
        errors: [{ line: lineOf(csiNodeDriver('Bidirectional'), 'path: /var/lib/kubelet/pods'), severity: 'low' }]
      },
      ...['/', '/var/lib', '/usr/local/bin', '/root/.ssh', '/var/lib/containerd', '/var/lib/etcd', '/var/log/pods'].map((path) => ({
        name: `a node plugin mounting the system path ${path}: medium`,
        code: storageManager(path),
        errors: [
          { line: lineOf(storageManager(path), `path: "${path}"`), severity: 'medium' as const },
          { line: lineOf(storageManager(path), 'path: /etc/'), severity: 'medium' as const },
          { line: lineOf(storageManager(path), 'path: /var/lib/storage-logs'), severity: 'medium' as const }
        ]
      })),
      {
        name: "an unprivileged storage node plugin's own data folder: low like a privileged one, not naming a privilege",
        code: storageManager('/var/lib/storage/', 'runAsUser: 0'),
        errors: [
          {
            line: lineOf(storageManager('/var/lib/storage/'), 'path: "/var/lib/storage/"'),
            severity: 'low',
            message: "volume `data` of DaemonSet `storage-manager` mounts host path `/var/lib/storage/` (low: the container `manager` mounting it is a CNI/CSI node plugin, which needs it to propagate mounts back to the host; outside the node's system paths, this folder is that plugin's own data on the node)"
          },
          { line: lineOf(storageManager('/var/lib/storage/'), 'path: /etc/'), severity: 'medium' },
          { line: lineOf(storageManager('/var/lib/storage/'), 'path: /var/lib/storage-logs'), severity: 'medium' }
        ]
      },
      ...['/var/run/mesh-agent', '/run/mesh-agent/', '/var/lib/mesh-agent', '/opt/mesh/agent'].map((path) => ({
        name: `a node agent (DaemonSet, unprivileged) that has its own folder ${path} created: low`,
        code: nodeAgent(path),
        errors: [{ line: lineOf(nodeAgent(path), `path: ${path}`), severity: 'low' as const, message: /\(low: DaemonSet `mesh-agent` is a node agent that has the kubelet create this folder when it is missing \(`type: DirectoryOrCreate`\), and the folder is named after its name `mesh-agent`; outside the node's system paths, it is a folder made for that agent, not the host's own data\)$/ }]
      })),
      {
        name: "a node agent's DirectoryOrCreate folder named after its app label, not its name: low, naming the label",
        code: nodeAgent('/var/lib/meshd').replace('    spec:\n      containers:', '    metadata:\n      labels:\n        app.kubernetes.io/name: MeshD\n    spec:\n      containers:'),
        errors: [{ line: lineOf(nodeAgent('/var/lib/meshd'), 'path: /var/lib/meshd') + 3, severity: 'low', message: /named after its `app\.kubernetes\.io\/name` label `MeshD`;/ }]
      },
      ...[
        ["the host's network namespaces", nodeAgent('/var/run/netns')],
        ['/tmp', nodeAgent('/tmp')],
        ['/var/cache, which other software of the node shares', nodeAgent('/var/cache')],
        ["systemd's runtime folder", nodeAgent('/run/systemd/agent')],
        ['the D-Bus folder', nodeAgent('/var/run/dbus')],
        ['a folder of /etc', nodeAgent('/etc/mesh-agent')],
        ['/var/lib', nodeAgent('/var/lib')],
        ['a top-level folder', nodeAgent('/mesh-agent')],
        ['a folder that must exist already (type Directory)', nodeAgent('/var/run/mesh-agent', 'Directory')],
        ['a folder with no type', nodeAgent('/var/run/mesh-agent', '')],
        ['a Deployment, no node agent', nodeAgent('/var/run/mesh-agent').replace('kind: DaemonSet', 'kind: Deployment')],
        // The type is the author's to write: the kubelet's, k3s's, CNI's and the control plane's folders stay the node's.
        ["the kubelet's pods folder", nodeAgent('/var/lib/kubelet/pods')],
        ["the kubelet's folder named after the agent", nodeAgent('/var/lib/kubelet/mesh-agent')],
        ["k3s's state", nodeAgent('/var/lib/rancher/k3s')],
        ['a folder of another program, not named after the agent', nodeAgent('/var/lib/postgresql')]
      ].map(([what, code]) => ({ name: `a node agent's DirectoryOrCreate mount of ${what}: medium`, code, errors: [{ line: lineOf(code, 'path: /'), severity: 'medium' as const }] })),
      ...[
        ['a privileged container that is no node plugin', 'privileged: true', 'HostToContainer']
      ].map(([what, securityContext, propagation]) => ({
        name: `${what} mounting a data folder: low, its privilege holding the node already`,
        code: storageManager('/var/lib/storage/', securityContext, propagation),
        errors: [
          {
            line: lineOf(storageManager('/var/lib/storage/'), 'path: "/var/lib/storage/"'),
            severity: 'low' as const,
            message: "volume `data` of DaemonSet `storage-manager` mounts host path `/var/lib/storage/` (low: the container `manager` mounting it is privileged, which gives it the node already and is reported on its own; the path is outside the node's system paths)"
          },
          { line: lineOf(storageManager('/var/lib/storage/'), 'path: /etc/'), severity: 'medium' as const },
          { line: lineOf(storageManager('/var/lib/storage/'), 'path: /var/lib/storage-logs'), severity: 'medium' as const }
        ]
      })),
      {
        name: 'a privileged container mounting a placeholder path: low, saying it is a placeholder; its /dev stays medium',
        code: storageManager('<dataDirHostPath>', 'privileged: true', 'HostToContainer').replace('path: /etc/', 'path: /dev'),
        errors: [
          { line: lineOf(storageManager('<dataDirHostPath>'), 'path: "<dataDirHostPath>"'), severity: 'low', message: /\(low: the container `manager` mounting it is privileged, which gives it the node already and is reported on its own; the path is a placeholder to be filled in/ },
          { line: lineOf(storageManager('<dataDirHostPath>'), 'path: /etc/'), severity: 'medium' },
          { line: lineOf(storageManager('<dataDirHostPath>'), 'path: /var/lib/storage-logs'), severity: 'medium' }
        ]
      },
      {
        name: 'mounted only by a privileged sysctl-only init container, whose privileged finding is itself medium: medium',
        code: sysctlInitMountingData('["sysctl", "-w", "vm.max_map_count=262144"]'),
        errors: [{ line: lineOf(sysctlInitMountingData('[]'), 'path: /srv/es-data'), severity: 'medium', message: 'volume `data` of Deployment `search` mounts host path `/srv/es-data`' }]
      },
      {
        name: 'mounted only by a privileged init container doing more than sysctl, reported critical: low',
        code: sysctlInitMountingData('["sh", "-c", "sysctl -w vm.max_map_count=262144 && chown -R 1000 /host-data"]'),
        errors: [{ line: lineOf(sysctlInitMountingData('[]'), 'path: /srv/es-data'), severity: 'low', message: /\(low: the container `tune` mounting it is privileged, which gives it the node already/ }]
      }
    ]
  },
  'k8s/container-runtime-socket-mount': {
    valid: [{ code: CLEAN }],
    invalid: [{ code: sockVol, errors: [{ line: lineOf(sockVol, 'path: /var/run/docker.sock'), severity: 'critical' }] }]
  },
  'k8s/recreate-strategy': {
    valid: [
      { code: CLEAN },
      {
        name: 'one replica holding a volume claim cannot run twice side by side',
        code: withEdit(['type: RollingUpdate', 'type: Recreate'], ['replicas: 3', 'replicas: 1'], ['      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      volumes:\n        - name: data\n          persistentVolumeClaim:\n            claimName: api-data\n'])
      }
    ],
    invalid: [
      { code: recreate, errors: [{ line: lineOf(recreate, 'type: Recreate'), severity: 'medium' }] },
      {
        name: 'a controller with no port and no Service in view: low, it serves no caller in view',
        code: controller(),
        errors: [{ line: lineOf(controller(), 'type: Recreate'), severity: 'low', message: /^Deployment `dns-sync` uses the Recreate strategy: every rollout stops all pods first \(low: no container declares a port and no Service in .+ selects its pods, so it serves no caller in view: a controller or worker, which a rollout or a drain pauses\)$/ }]
      },
      {
        name: 'a portless Deployment a Service of the set selects: medium',
        code: controller() + '---\n' + opsService('dns-sync', '8080'),
        errors: [{ line: lineOf(controller(), 'type: Recreate'), severity: 'medium' }]
      },
      {
        name: 'a controller whose only Service exposes metrics: low, it serves no caller in view but a scraper',
        code: controller() + '---\n' + metricsService('dns-sync-metrics', 'dns-sync', 'metrics'),
        errors: [{ line: lineOf(controller(), 'type: Recreate'), severity: 'low', message: /\(low: the only Services in .+ selecting its pods \(`dns-sync-metrics`\) expose metrics/ }]
      },
      {
        name: "an operator whose only other port is its probes', its only Service a metrics one: low",
        code: probedController('probes') + '---\n' + metricsService('dns-sync-metrics', 'dns-sync', 'metrics'),
        errors: [{ line: lineOf(controller(), 'type: Recreate'), severity: 'low', message: /declare no port but a metrics one and `probes`, which only their own probes call/ }]
      },
      {
        name: 'an operator whose metrics Service calls its port https, its other Service targeting a port name no container declares: low',
        code: operatorServices(),
        errors: [{ line: lineOf(controller(), 'type: Recreate'), severity: 'low', message: /`dns-sync-metrics-service`: its port `https` targets the metrics port `metrics` of its containers; `dns-sync`: its `targetPort: https` names a port no container of the pod declares, which Kubernetes cannot resolve\) expose metrics or route nowhere/ }]
      },
      {
        name: 'the other Service targeting a number, which may reach an undeclared port: medium',
        code: operatorServices('8443'),
        errors: [{ line: lineOf(controller(), 'type: Recreate'), severity: 'medium' }]
      },
      {
        name: 'the other Service targeting a port name the pod declares: medium',
        code: operatorServices().replace('            - name: probes\n', '            - name: https\n              containerPort: 8443\n            - name: probes\n'),
        errors: [{ line: lineOf(controller(), 'type: Recreate'), severity: 'medium' }]
      },
      {
        name: 'a controller declaring only a port named prometheus, no Service: low',
        code: controllerPort('prometheus'),
        errors: [{ line: lineOf(controller(), 'type: Recreate'), severity: 'low' }]
      },
      {
        name: 'a controller declaring a port named web: medium',
        code: controllerPort('web'),
        errors: [{ line: lineOf(controller(), 'type: Recreate'), severity: 'medium' }]
      },
      {
        name: 'four replicas on a host port roll across nodes',
        code: recreateHostPort,
        errors: [{ line: lineOf(recreateHostPort, 'type: Recreate') }]
      },
      {
        name: 'three replicas sharing a claim run side by side already',
        code: recreateWithClaim,
        errors: [{ line: lineOf(recreateWithClaim, 'type: Recreate') }]
      }
    ]
  },
  'k8s/no-revision-history': {
    valid: [{ code: CLEAN }],
    invalid: [{ code: noHistory, errors: [{ line: lineOf(noHistory, 'revisionHistoryLimit: 0') }] }]
  },
  'k8s/no-min-ready-seconds': {
    valid: [{ code: CLEAN }],
    invalid: [{ code: noMinReady, errors: [{ line: lineOf(noMinReady, 'spec:') }] }]
  },
  'k8s/rbac-wildcard': {
    valid: [
      { code: ROLE('  - apiGroups: [""]\n    resources: [pods]\n    verbs: [get, list]\n') },
      { name: 'named non-resource URLs, read-only (health and version)', code: ROLE('  - nonResourceURLs: [/healthz, /version]\n    verbs: [get]\n') }
    ],
    invalid: [
      {
        name: 'every verb on every non-resource URL: medium (no API object), naming what writes reach, not "no API group"',
        code: ROLE("  - nonResourceURLs: ['*']\n    verbs: ['*']\n"),
        errors: [{ line: 6, severity: 'medium', message: /^ClusterRole `reader` grants `\*` in nonResourceURLs and verbs: medium, as it reaches no API object, but it grants writes on every non-resource URL of the API server.*`PUT \/debug\/flags\/v`/ }]
      },
      {
        name: 'reads on every non-resource URL: medium, naming /logs and /debug/pprof',
        code: ROLE("  - nonResourceURLs: ['*']\n    verbs: [get, head]\n"),
        errors: [{ line: 6, severity: 'medium', message: /grants `\*` in nonResourceURLs: medium, as it only reads non-resource URLs, but every one: `\/logs`.*`\/debug\/pprof`/ }]
      },
      { name: 'every verb on a named non-resource URL: medium, naming it', code: ROLE("  - nonResourceURLs: [/metrics]\n    verbs: ['*']\n"), errors: [{ line: 6, severity: 'medium', message: /limited to the non-resource URL `\/metrics` of the API server, no API object$/ }] },
      {
        name: "finalizers of every resource in every group: medium, saying it is that subresource of every resource",
        code: ROLE("  - apiGroups: ['*']\n    resources: ['*/finalizers']\n    verbs: [update]\n"),
        errors: [{ line: 6, severity: 'medium', message: /grants `\*` in apiGroups and resources: medium, as it is limited to the `finalizers` subresource of every resource in every API group: `finalizers` only holds or releases/ }]
      },
      {
        name: 'status and scale of every resource of the core group: medium, each named',
        code: ROLE('  - apiGroups: [""]\n    resources: ["*/status", "*/scale"]\n    verbs: [update, patch]\n'),
        errors: [{ line: 6, severity: 'medium', message: /grants `\*` in resources: .*`status`, `scale` subresources of every resource: `status` reports state.*; `scale` changes replica counts/ }]
      },
      {
        name: 'exec of every resource: high (as pods/exec), even in one named group',
        code: ROLE('  - apiGroups: [""]\n    resources: ["*/exec"]\n    verbs: [create]\n  - apiGroups: ["*"]\n    resources: ["*/token"]\n    verbs: [create]\n'),
        errors: [
          { line: 6, severity: 'high', message: /grants `\*` in resources: it reaches the `exec` subresource of every resource, so commands in any running container/ },
          { line: 9, severity: 'high', message: /the `token` subresource of every resource, so a token of any service account/ }
        ]
      },
      { name: 'every resource of the core group, read-only: Secrets included', code: ROLE('  - apiGroups: [""]\n    resources: ["*"]\n    verbs: [get]\n'), errors: [{ line: 6, severity: 'high', message: /grants `\*` in resources: it reaches the core API group/ }] },
      {
        name: 'every group, every resource, every verb: one finding for the entry, naming the three wildcards',
        code: ROLE('  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n'),
        errors: [{ line: 6, severity: 'high', message: /grants `\*` in apiGroups, resources and verbs: it reaches every API group/ }]
      },
      {
        name: 'two entries with wildcards: one finding each, at its entry',
        code: ROLE('  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: [get, list]\n  - apiGroups: [""]\n    resources: [secrets]\n    verbs: ["*"]\n'),
        errors: [
          { line: 6, severity: 'high', message: /grants `\*` in apiGroups and resources: / },
          { line: 9, severity: 'high', message: /grants `\*` in verbs: / }
        ]
      },
      {
        name: 'every API group but named ordinary resources: medium, saying so; named Secrets in every group stay high',
        code: ROLE('  - apiGroups: ["*"]\n    resources: [deployments, services]\n    verbs: [get, list, create, update, delete]\n  - apiGroups: ["*"]\n    resources: [secrets]\n    verbs: [get]\n'),
        errors: [
          { line: 6, severity: 'medium', message: /grants `\*` in apiGroups: medium, as it names its resources \(`deployments`, `services`\) in every API group/ },
          { line: 9, severity: 'high', message: /it reaches Secrets/ }
        ]
      },
      {
        name: "every verb on named ordinary resources of built-in groups (a controller's own objects): medium",
        code: ROLE('  - apiGroups: [apps]\n    resources: [deployments, replicasets]\n    verbs: ["*"]\n  - apiGroups: [""]\n    resources: [services, configmaps]\n    verbs: ["*"]\n'),
        errors: [
          { line: 6, severity: 'medium', message: /medium, as it names its resources \(`deployments`, `replicasets`\).*a controller of those resources needs/ },
          { line: 9, severity: 'medium', message: /names its resources \(`services`, `configmaps`\)/ }
        ]
      },
      {
        name: 'every verb on named sensitive resources of built-in groups: high',
        code: ROLE('  - apiGroups: [""]\n    resources: [configmaps, secrets]\n    verbs: ["*"]\n  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [rolebindings]\n    verbs: ["*"]\n  - apiGroups: [""]\n    resources: [pods, pods/exec]\n    verbs: ["*"]\n'),
        errors: [
          { line: 6, severity: 'high', message: /: it reaches Secrets$/ },
          { line: 9, severity: 'high', message: /it reaches the sensitive resource `rolebindings`/ },
          { line: 12, severity: 'high', message: /it reaches the sensitive resource `pods\/exec`/ }
        ]
      },
      { name: 'writes on every resource of a built-in group: high', code: ROLE('  - apiGroups: [apps]\n    resources: ["*"]\n    verbs: [create, update]\n'), errors: [{ line: 6, severity: 'high', message: /writes on every resource of the built-in API group `apps`/ }] },
      {
        name: "every verb on every resource of custom groups only (an operator's own resources): medium, saying what to check",
        code: ROLE('  - apiGroups: [backup.example.io, restore.example.io]\n    resources: ["*"]\n    verbs: ["*"]\n'),
        errors: [{ line: 6, severity: 'medium', message: /in resources and verbs: medium, as it is limited to the API groups `backup\.example\.io`, `restore\.example\.io`.*check that none of them creates workloads/ }]
      },
      { name: 'every verb on every resource of a custom group and the core group: high', code: ROLE('  - apiGroups: ["", backup.example.io]\n    resources: ["*"]\n    verbs: ["*"]\n'), errors: [{ line: 6, severity: 'high', message: /it grants every verb on every resource/ }] },
      { name: 'read-only on every resource of a custom group: medium', code: ROLE('  - apiGroups: [mesh.example.io]\n    resources: ["*"]\n    verbs: [get, list, watch]\n'), errors: [{ line: 6, severity: 'medium', message: /read-only verbs/ }] },
      {
        name: 'writes on every resource of custom groups only: medium',
        code: ROLE('  - apiGroups: [mesh.example.io, gateway.networking.k8s.io]\n    resources: ["*"]\n    verbs: [get, create, delete]\n'),
        errors: [{ line: 6, severity: 'medium', message: /not build in/ }]
      },
      { name: 'every verb on named custom resources: medium', code: ROLE('  - apiGroups: [jobs.example.io]\n    resources: [runs, runs/status]\n    verbs: ["*"]\n'), errors: [{ line: 6, severity: 'medium' }] },
      { name: 'read-only on every resource of a built-in group other than core: medium', code: ROLE('  - apiGroups: [apps]\n    resources: ["*"]\n    verbs: [list]\n'), errors: [{ line: 6, severity: 'medium' }] },
      {
        name: 'every verb on a status subresource of a built-in group: low, as status takes get, update and patch only',
        code: ROLE('  - apiGroups: [apps]\n    resources: [deployments/status]\n    verbs: ["*"]\n'),
        errors: [{ line: 6, severity: 'low', message: /status subresources \(`deployments\/status`\) \(a status subresource serves only get, update and patch, .*: low\.\)$/ }]
      },
      ...[['networking.k8s.io', 'ingresses/status'], ['gateway.networking.k8s.io', 'gateways/status'], ['gateway.networking.k8s.io', 'httproutes/status']].map(([group, resource]) => ({
        name: `every verb on ${resource} (addresses external-dns and load-balancer controllers act on): medium, saying it steers traffic`,
        code: ROLE(`  - apiGroups: [${group}]\n    resources: [${resource}]\n    verbs: ["*"]\n`),
        errors: [{ line: 6, severity: 'medium' as const, message: new RegExp(`but what \`${resource.replace('/', '\\/')}\` reports steers traffic .*external-dns publishes\\)$`) }]
      })),
      { name: "every verb on a custom resource's status only: low", code: ROLE('  - apiGroups: [jobs.example.io]\n    resources: [runs/status, batches/status]\n    verbs: ["*"]\n'), errors: [{ line: 6, severity: 'low' }] },
      {
        name: "every verb on a pod's status (its IPs, which its Service endpoints follow): medium, saying it steers traffic",
        code: ROLE('  - apiGroups: [""]\n    resources: [pods/status]\n    verbs: ["*"]\n'),
        errors: [{ line: 6, severity: 'medium', message: /status subresources \(`pods\/status`\), but what `pods\/status` reports steers traffic/ }]
      },
      {
        name: 'a Role with every verb on persistentvolumes and claims: judged on the claims alone, naming the cluster-scoped one it cannot grant',
        code: NS_ROLE('team-a', '  - apiGroups: [""]\n    resources: [persistentvolumes, persistentvolumeclaims]\n    verbs: ["*"]\n'),
        errors: [{ line: 7, severity: 'medium', message: /names its resources \(`persistentvolumeclaims`\), none of them .*; it also names the cluster-scoped resource `persistentvolumes`, which a Role cannot grant$/ }]
      },
      {
        name: 'a Role naming only cluster-scoped resources: info, it grants nothing',
        code: NS_ROLE('team-a', '  - apiGroups: ["", storage.k8s.io]\n    resources: [nodes, storageclasses]\n    verbs: ["*"]\n'),
        errors: [{ line: 7, severity: 'info', message: /it names only the cluster-scoped resources `nodes`, `storageclasses`, which a Role cannot grant \(.*so the entry grants nothing: info\.\)$/ }]
      },
      { name: 'a ClusterRole with every verb on persistentvolumes: high', code: ROLE('  - apiGroups: [""]\n    resources: [persistentvolumes]\n    verbs: ["*"]\n'), errors: [{ line: 6, severity: 'high', message: /sensitive resource `persistentvolumes`/ }] },
      {
        name: "a Role on a custom group's resource named like a cluster-scoped one: judged, not dropped",
        code: NS_ROLE('team-a', '  - apiGroups: [fleet.example.io]\n    resources: [nodes]\n    verbs: ["*"]\n'),
        errors: [{ line: 7, severity: 'medium', message: /API group `fleet\.example\.io`/ }]
      },
      {
        name: 'a Role with every verb on namespaces: it reaches its own Namespace object, so medium as any Role',
        code: NS_ROLE('team-a', '  - apiGroups: [""]\n    resources: [namespaces]\n    verbs: ["*"]\n'),
        errors: [{ line: 7, severity: 'medium', message: /sensitive resource `namespaces` \(medium, as a Role grants it in namespace `team-a` only/ }]
      },
      {
        name: "a namespaced Role with every verb on every resource (a tenant's namespace admin): medium, saying it stays in its namespace",
        code: NS_ROLE('team-a', '  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n'),
        errors: [{ line: 7, severity: 'medium', message: /it reaches every API group, the built-in ones included \(medium, as a Role grants it in namespace `team-a` only: no other namespace and no cluster-wide resource\)$/ }]
      },
      {
        name: 'a Role with no namespace of its own, read-only on every core resource: medium',
        code: NS_ROLE(undefined, '  - apiGroups: [""]\n    resources: ["*"]\n    verbs: [get, list, watch]\n'),
        errors: [{ line: 6, severity: 'medium', message: /core API group .*in its own namespace only/ }]
      },
      {
        name: 'a Role in kube-system (the control plane\'s namespace): high',
        code: NS_ROLE('kube-system', '  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n'),
        errors: [{ line: 7, severity: 'high', message: /every API group, the built-in ones included$/ }]
      },
      { name: 'a Role in kube-node-lease: high', code: NS_ROLE('kube-node-lease', '  - apiGroups: [""]\n    resources: ["*"]\n    verbs: [get]\n'), errors: [{ line: 7, severity: 'high' }] },
      {
        name: "a file its folder's kustomization leaves out and no kustomization names: low (still counted), saying that build does not create it",
        files: { 'rbac/kustomization.yaml': WITHOUT_ROLE, 'rbac/binding.yaml': BINDING('reader'), 'rbac/role.yaml': NAMESPACE_ADMIN },
        errors: [{ path: 'rbac/role.yaml', line: 6, severity: 'low', message: /sensitive resource `namespaces` \(`rbac\/kustomization\.yaml` leaves this file out and no kustomization in view names it, so that build does not create it, though `kubectl apply -f` on the folder would: low\.\)$/ }]
      },
      { name: 'the same file listed by its kustomization: high', files: { 'rbac/kustomization.yaml': kustomization(['role.yaml']), 'rbac/role.yaml': NAMESPACE_ADMIN }, errors: [{ path: 'rbac/role.yaml', line: 6, severity: 'high' }] },
      {
        name: 'the same file listed by its kustomization under a name holding `=`: high',
        files: { 'rbac/kustomization.yaml': kustomization(['binding.yaml', 'role=admin.yaml']), 'rbac/binding.yaml': BINDING('reader'), 'rbac/role=admin.yaml': NAMESPACE_ADMIN },
        errors: [{ path: 'rbac/role=admin.yaml', line: 6, severity: 'high' }]
      },
      {
        name: "left out by its folder's kustomization but named by a parent's: high",
        files: { 'config/kustomization.yaml': kustomization(['rbac', 'rbac/role.yaml']), 'config/rbac/kustomization.yaml': WITHOUT_ROLE, 'config/rbac/binding.yaml': BINDING('reader'), 'config/rbac/role.yaml': NAMESPACE_ADMIN },
        errors: [{ path: 'config/rbac/role.yaml', line: 6, severity: 'high' }]
      },
      {
        name: 'in a folder a parent includes as a directory, with no kustomization of its own: high',
        files: { 'config/kustomization.yaml': kustomization(['rbac']), 'config/rbac/role.yaml': NAMESPACE_ADMIN },
        errors: [{ path: 'config/rbac/role.yaml', line: 6, severity: 'high' }]
      },
      {
        name: 'in a component its folder lists: high',
        files: {
          'config/kustomization.yaml': kustomization(['binding.yaml'], 'components:\n  - ../extra\n'),
          'config/binding.yaml': BINDING('reader'),
          'extra/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - role.yaml\n',
          'extra/role.yaml': NAMESPACE_ADMIN
        },
        errors: [{ path: 'extra/role.yaml', line: 6, severity: 'high' }]
      },
      { name: 'a kustomization listing a pattern: high', files: { 'rbac/kustomization.yaml': kustomization(["'*.yaml'"]), 'rbac/role.yaml': NAMESPACE_ADMIN }, errors: [{ path: 'rbac/role.yaml', line: 6, severity: 'high' }] },
      { name: 'a kustomization that does not parse: high', files: { 'rbac/kustomization.yaml': 'resources: [role.yaml\n', 'rbac/role.yaml': NAMESPACE_ADMIN }, errors: [{ path: 'rbac/role.yaml', line: 6, severity: 'high' }] }
    ]
  },
  'k8s/cluster-admin-binding': {
    valid: [{ code: BINDING('reader') }],
    invalid: [
      { code: BINDING('cluster-admin'), errors: [{ line: 8, severity: 'high' }] },
      {
        name: "a RoleBinding to cluster-admin: every right in its namespace only, medium",
        code: BINDING('cluster-admin').replace('kind: ClusterRoleBinding\nmetadata:\n  name: ops\n', 'kind: RoleBinding\nmetadata:\n  name: ops\n  namespace: team-a\n'),
        errors: [{ line: 9, severity: 'medium', message: /in namespace `team-a`/ }]
      },
      {
        name: "a binding its folder's kustomization leaves out: low, still counted (a kustomization listing another file is the author's to write, and `kubectl apply -f` still applies it)",
        files: { 'rbac/kustomization.yaml': kustomization(['role.yaml']), 'rbac/role.yaml': ROLE('  - apiGroups: [""]\n    resources: [pods]\n    verbs: [get]\n'), 'rbac/binding.yaml': BINDING('cluster-admin') },
        errors: [{ path: 'rbac/binding.yaml', line: 8, severity: 'low', message: /grants cluster-admin \(`rbac\/kustomization\.yaml` leaves this file out .*kubectl apply -f.*: low\.\)$/ }]
      }
    ]
  },
  'k8s/load-balancer-open': {
    valid: [
      { name: 'a LoadBalancer stub with no port exposes nothing', code: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: dns-stub\nspec:\n  type: LoadBalancer\nstatus:\n  loadBalancer:\n    ingress:\n      - ip: 10.0.0.53\n' },
      { code: service('  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n') + '---\n' + CLEAN },
      { name: 'GKE internal load balancer', code: service('  type: LoadBalancer\n').replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    networking.gke.io/load-balancer-type: "Internal"\n') + '---\n' + CLEAN },
      { name: 'Azure internal load balancer', code: service('  type: LoadBalancer\n').replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    service.beta.kubernetes.io/azure-load-balancer-internal: "true"\n') + '---\n' + CLEAN },
      { name: 'internal load balancer', code: service('  type: LoadBalancer\n').replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-internal: "true"\n') + '---\n' + CLEAN }
    ],
    invalid: [{ code: service('  type: LoadBalancer\n') + '---\n' + CLEAN, errors: [{ line: 7 }] }]
  },
  'k8s/service-selects-no-pods': {
    valid: [
      { name: 'Service without a selector (endpoints managed elsewhere)', code: service('').replace('  selector:\n    app: api\n', '') + '---\n' + CLEAN },
      { code: service('') + '---\n' + CLEAN },
      { name: 'pods deployed by another file of the folder', files: { 'k8s/service.yaml': service(''), 'k8s/deploy.yaml': CLEAN } },
      {
        name: "a Service for another namespace's pods beside a base whose kustomization sets its namespace",
        files: {
          'base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: catalog\nresources:\n  - deployment.yaml\n',
          'base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: catalog\nspec:\n  selector:\n    matchLabels:\n      app: catalog\n  template:\n    metadata:\n      labels:\n        app: catalog\n    spec:\n      containers:\n        - name: catalog\n          image: registry.example.com/catalog:1.0.0\n',
          'overlay/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\n  - service.yaml\n',
          'overlay/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web-nlb\n  namespace: web\nspec:\n  ports:\n    - port: 80\n  selector:\n    app: web\n'
        }
      },
      {
        name: "a Service for another namespace's pods beside a kustomization whose patch has no namespace",
        files: {
          'overlay/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - service.yaml\npatches:\n  - path: deployment.yaml\n',
          'overlay/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web-nlb\n  namespace: web\nspec:\n  ports:\n    - port: 80\n  selector:\n    app: web\n',
          'overlay/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: catalog\nspec:\n  template:\n    metadata:\n      labels:\n        tier: db\n    spec:\n      containers:\n        - name: catalog\n          env:\n            - name: MODE\n              value: fast\n'
        }
      },
      { name: 'no workload in the folder to compare with', code: service('', 'app: external') },
      {
        name: "kube-system's control-plane pods are the cluster's own",
        code: service('', 'component: kube-scheduler').replace('namespace: shop', 'namespace: kube-system') + '---\n' + CLEAN.replace(/namespace: shop/g, 'namespace: kube-system')
      },
      {
        name: "an operator's database cluster beside it runs the selected pods",
        code: service('', 'cluster-name: orders-db') + '---\n' + CLEAN + '---\napiVersion: db.example.com/v1\nkind: DatabaseCluster\nmetadata:\n  name: orders-db\nspec:\n  numberOfInstances: 2\n'
      },
      { name: "one StatefulSet pod by the name its controller labels it with (ordinal below replicas)", code: dataService('    app: cache\n    statefulset.kubernetes.io/pod-name: cache-2\n') + '---\n' + cacheSet },
      { name: "one StatefulSet pod by its index label, counted from spec.ordinals.start", code: dataService('    apps.kubernetes.io/pod-index: "4"\n') + '---\n' + cacheWorkload('StatefulSet', '  replicas: 2\n  ordinals:\n    start: 3\n') },
      { name: "a StatefulSet pod name beyond the literal replicas, but an autoscaler sets them", code: dataService('    statefulset.kubernetes.io/pod-name: cache-7\n') + '---\n' + cacheSet + '---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: cache\n  namespace: data\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: StatefulSet\n    name: cache\n  minReplicas: 3\n  maxReplicas: 9\n' },
      { name: "a Deployment's pods by their pod-template-hash", code: dataService('    app: cache\n    pod-template-hash: 6d4cf56db6\n') + '---\n' + cacheWorkload('Deployment') }
    ],
    invalid: [
      {
        name: 'a StatefulSet pod name at an ordinal its replicas never reach',
        code: dataService('    app: cache\n    statefulset.kubernetes.io/pod-name: cache-3\n') + '---\n' + cacheSet,
        errors: [{ line: 7, severity: 'medium', message: /selects `app=cache, statefulset\.kubernetes\.io\/pod-name=cache-3`, which no pod/ }]
      },
      { name: "another StatefulSet's pod name", code: dataService('    statefulset.kubernetes.io/pod-name: queue-0\n') + '---\n' + cacheSet, errors: [{ line: 7, severity: 'medium' }] },
      { name: "pod-template-hash on a StatefulSet's pods (a Deployment's label), targeting the port by number", code: dataService('    app: cache\n    pod-template-hash: 6d4cf56db6\n', '6379') + '---\n' + cacheSet, errors: [{ line: 7, severity: 'medium' }] },
      {
        name: 'a label no template sets, on pods that declare the port it targets by name: low, saying they may get it at run time',
        code: dataService('    example.io/role: recovery\n') + '---\n' + cacheSet,
        errors: [{ line: 7, severity: 'low', message: /which no pod of the workloads in .* carries \(low: the pods of StatefulSet `cache` declare the port `redis` it targets by name and lack only the selector's labels, which they may get at run time\)$/ }]
      },
      { name: 'the same selector, targeting the port by number: medium', code: dataService('    example.io/role: recovery\n', '6379') + '---\n' + cacheSet, errors: [{ line: 7, severity: 'medium' }] },
      {
        name: 'the port by name, but the missing label names what the pods are (app.kubernetes.io/name for app): a selector written wrong, medium',
        code: dataService('    app.kubernetes.io/name: cache\n') + '---\n' + cacheSet,
        errors: [{ line: 7, severity: 'medium' }]
      },
      { name: 'the port by name, but the pods set another value of a selected label: medium', code: dataService('    app: cache-primary\n    example.io/role: recovery\n') + '---\n' + cacheSet, errors: [{ line: 7, severity: 'medium' }] },
      { code: service('', 'app: apii') + '---\n' + CLEAN, errors: [{ line: 7 }] },
      {
        name: "a Service of the base's namespace whose selector matches none of its pods",
        files: {
          'base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: catalog\nresources:\n  - deployment.yaml\n',
          'base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: catalog\nspec:\n  selector:\n    matchLabels:\n      app: catalog\n  template:\n    metadata:\n      labels:\n        app: catalog\n    spec:\n      containers:\n        - name: catalog\n          image: registry.example.com/catalog:1.0.0\n',
          'overlay/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\n  - service.yaml\n',
          'overlay/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: catalog\n  namespace: catalog\nspec:\n  ports:\n    - port: 80\n  selector:\n    app: catalogue\n'
        },
        errors: [{ path: 'overlay/service.yaml', line: 9 }]
      },
      {
        name: 'a custom resource that asks for no pods (a certificate) does not explain the selector',
        code: service('', 'app: apii') + '---\n' + CLEAN + '---\napiVersion: certs.example.com/v1\nkind: Certificate\nmetadata:\n  name: api-tls\nspec:\n  secretName: api-tls\n',
        errors: [{ line: 7 }]
      }
    ]
  },
  'k8s/node-port-service': {
    valid: [
      { code: service('  type: ClusterIP\n') + '---\n' + CLEAN },
      {
        name: "a Rollout's canary Service, which it writes into the ALB Ingress it names",
        code:
          service('  type: NodePort\n').replace('name: api\n', 'name: api-canary\n') +
          '---\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.0\n  strategy:\n    canary:\n      canaryService: api-canary\n      stableService: api-stable\n      trafficRouting:\n        alb:\n          ingress: api\n          servicePort: 80\n'
      }
    ],
    invalid: [{ code: service('  type: NodePort\n') + '---\n' + CLEAN, errors: [{ line: 7 }] }]
  },
  'secrets/k8s-secret-data': {
    valid: [
      { name: "a load test's stand-in, foo with its o's drawn out (base64)", path: 'load-test/kubeburner/secret.yaml', code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: load-1\ntype: Opaque\ndata:\n  password: Zm9vb29vb29vb29vb29vbwo=\n' },
      { name: 'Secret without data (filled at deploy time)', code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-db\ntype: Opaque\n' },
      { name: 'placeholder after base64 decoding', code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-db\ndata:\n  password: ${Buffer.from('changeme').toString('base64')}\n` },
      { name: "the Kubernetes documentation's sample password after decoding", code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\ndata:\n  password: ${Buffer.from('1f2d1e2e67df').toString('base64')}\n` },
      { name: 'a numbered `value` word after decoding (line breaks included)', code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\ndata:\n  secret-key: ${Buffer.from('value-2\r\n\r\n').toString('base64')}\n` },
      { name: 'empty values', code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-db\nstringData:\n  password: ""\n' },
      { name: 'ConfigMap with a key name that refers to a secret', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  passwordKey: admin-password\n  existingSecret: api-db\n' },
      {
        name: 'entries that hold who or where, not a credential',
        code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: storage\ndata:\n  bucketnames: ${Buffer.from('logs').toString('base64')}\n  access_key_id: ${Buffer.from('loki-writer').toString('base64')}\n  username: ${Buffer.from('backup-agent').toString('base64')}\n  apiAddress: ${Buffer.from('tcp://storage:5705').toString('base64')}\n  accountname: ${Buffer.from('acmestorage').toString('base64')}\n  auth.username_in: ${Buffer.from('target-user').toString('base64')}\n`
      },
      {
        name: "1Password references in block scalars, resolved by the operator",
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: op\nstringData:\n  token: |-\n    op://operations/1password/OP_SERVICE_ACCOUNT_TOKEN\n'
      },
      {
        name: "an Argo CD repository's SSH address names no password",
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: repo\n  labels:\n    argocd.argoproj.io/secret-type: repository\nstringData:\n  type: git\n  url: git@github.com:acme/k8s-lessons.git\n'
      },
      {
        name: 'OIDC settings beside the client secret: audience and issuer URL are no secrets',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: oidc\nstringData:\n  audience: gateway\n  issuerUrl: http://issuer.auth.svc:4444/\n'
      },
      {
        name: 'chart template actions inside data are code, not entries',
        files: {
          'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
          'charts/web/templates/secret.yaml':
            'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-web\ntype: Opaque\ndata:\n  {{- range $name, $token := .Values.apiTokens }}\n  {{ $name }}: {{ $token | b64enc | quote }}\n  {{- end }}\n  {{- $tls := genSelfSignedCert "web" nil nil 365 }}\n  {{- $spare := list }}\n  tls.key: {{ $tls.Key | b64enc | quote }}\n',
          'k8s/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n'
        }
      },
      {
        name: 'a certificate (public) under a .crt entry',
        code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\nstringData:\n  web.crt: |\n    -----BEGIN CERTIFICATE-----\n${CERT_BODY}    -----END CERTIFICATE-----\n  ca.pem: ${Buffer.from('-----BEGIN CERTIFICATE-----\n' + CERT_BODY + '-----END CERTIFICATE-----\n').toString('base64')}\n`
      },
      {
        name: 'a documented TLS key shortened with an ellipsis line',
        code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\nstringData:\n  tls.key: |\n    -----BEGIN RSA PRIVATE KEY-----\n${CERT_BODY.split('\n')[0]}\n    ...\n${CERT_BODY.split('\n')[1]}\n    -----END RSA PRIVATE KEY-----\n`
      },
      {
        name: 'a token-type setting holding an auth scheme name',
        code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ndata:\n  upstream-token-type: ${Buffer.from('Bearer').toString('base64')}\n`
      },
      {
        name: 'foo/bar placeholders after decoding',
        code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: roles\ndata:\n  password: ${Buffer.from('foobar').toString('base64')}\n  password2: ${Buffer.from('foobar_v2').toString('base64')}\n`
      },
      {
        name: 'whole config files with no credential in them (plain blocks)',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: pipeline\nstringData:\n  roles.yml: |-\n    writer_role:\n      cluster: [ "monitor" ]\n      indices:\n        - names: [ "app-*" ]\n          privileges: [ "write", "create_index" ]\n  beats.conf: |-\n    input {\n      beats { port => 5044 }\n    }\n'
      },
      {
        name: 'a config block whose client secret is base64 of a stand-in (an identity provider set up for local development)',
        code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: idp\nstringData:\n  idp.yaml: |\n    issuer: http://{{ .Values.host }}/idp\n    clients:\n      - id: local-dev\n        secret: ${Buffer.from('sample-client-secret').toString('base64')}\n`
      },
      {
        name: 'an access key (the login of an S3 or MinIO store) beside its secret key',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: artifacts\nstringData:\n  accesskey: minio\n  secretkey: \'{{ .Values.s3.secretKey }}\'\n'
      },
      {
        name: 'a data value written as plain text that is a stand-in word (it decodes to bytes no one typed)',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  root_password: changeme\n'
      },
      {
        name: 'config file rendered from chart values (templated block)',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: exporter\nstringData:\n  my.cnf: |\n    [client]\n    user={{ .Values.db.user }}\n    password={{ .Values.db.pass }}\n'
      }
    ],
    invalid: [
      { name: 'a well-known password with a count after it (password1234): medium', code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: webhook-keystore\ntype: Opaque\ndata:\n  password: cGFzc3dvcmQxMjM0\n', errors: [{ line: 7, severity: 'medium', message: /well-known default/ }] },
      { name: 'the same word with another number (password4217): high', code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: webhook-keystore\ntype: Opaque\ndata:\n  password: cGFzc3dvcmQ0MjE3\n', errors: [{ line: 7, severity: 'high' }] },
      { name: 'a password starting with ! in a block scalar is no reference', code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: op\nstringData:\n  db-password: |-\n    !Xk9mP2vLq7Zr3xT1\n', errors: [{ line: 6 }] },
      { name: 'a reference and a literal in one block', code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: op\nstringData:\n  token: |-\n    op://operations/1password/OP_TOKEN\n    Kq8vLm3nP0vR7tYxW2zQ\n', errors: [{ line: 6 }] },
      {
        name: 'a password of default words in a Secret: medium; a signing key of the same words stays high',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  DB_PASSWORD: rootsecretpassword\n  JWT_SECRET: defaultsecret\n',
        errors: [{ line: 6, severity: 'medium', message: /a well-known default/ }, { line: 7, severity: 'high' }]
      },
      {
        name: 'a chart Secret rendered only in development mode (off with the defaults): medium, saying what must be set',
        files: {
          'charts/idp/Chart.yaml': 'apiVersion: v2\nname: idp\nversion: 1.0.0\n',
          'charts/idp/values.yaml': 'development: false\n',
          'charts/idp/templates/secret.yaml': '{{- if .Values.development }}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: idp-dev\nstringData:\n  client-secret: Qx7vN2pLk9RtW4mZ8sJd\n{{- end }}\n',
          'k8s/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: idp\n'
        },
        errors: [{ path: 'charts/idp/templates/secret.yaml', line: 7, severity: 'medium', message: /\(medium: the template renders this only when `development` is set, not with the chart's defaults\)/ }]
      },
      {
        name: "a well-known password (medium) in the `else` of a switch on by default: low, its own severity note replaced",
        files: {
          'charts/store/Chart.yaml': 'apiVersion: v2\nname: store\nversion: 1.0.0\n',
          'charts/store/values.yaml': 'auth:\n  existingSecret: store-auth\n',
          'charts/store/templates/secret.yaml': '{{- if .Values.auth.existingSecret }}\n# the user\'s own Secret is used\n{{- else }}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: store-root\nstringData:\n  root-password: minio123\n{{- end }}\n',
          'k8s/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: store\n'
        },
        errors: [{ path: 'charts/store/templates/secret.yaml', line: 9, severity: 'low', message: /not a secret someone chose\. \(low: the template renders this only when `auth\.existingSecret` is empty, not with the chart's defaults\)$/ }]
      },
      { name: "MinIO's documented default (minio123) in stringData: medium", code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: store\nstringData:\n  access_key_id: minio\n  access_key_secret: minio123\n', errors: [{ line: 7, severity: 'medium', message: /well-known default anyone would try first/ }] },
      { code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-db\ntype: Opaque\nstringData:\n  password: Zq8vLm2Kp9Xw4R\n', errors: [{ line: 7, severity: 'high' }] },
      {
        name: 'an access key beside its secret key: only the secret key is reported',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: artifacts\nstringData:\n  accesskey: minio\n  secretkey: Zq8vLm2Kp9Xw4RtY7b\n',
        errors: [{ line: 7, severity: 'high' }]
      },
      {
        name: "an account key under an access-key name beside another store's secret key (a `${VAR}`): reported",
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: storage\nstringData:\n  AZURE_STORAGE_ACCOUNT: prodstore\n  AZURE_STORAGE_ACCESS_KEY: "q3Z9vN2kT8wL5xR1mB7cY4hJ6dF0gS2aE8uI3oP5tK9nQ1wV7zX4cB6mN8lK2jH5gF3dS1aQ9wE7rT4yU6iO0pA=="\n  S3_SECRET_KEY: "${S3_SECRET_KEY}"\n',
        errors: [{ line: 7, severity: 'high' }]
      },
      {
        name: 'a long random access key beside its own secret key: a key whatever its name',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: storage\nstringData:\n  ACCESS_KEY: q3Z9vN2kT8wL5xR1mB7cY4hJ6dF0gS2aE8u\n  SECRET_KEY: Zq8vLm2Kp9Xw4RtY7b\n',
        errors: [{ line: 6, severity: 'high' }, { line: 7, severity: 'high' }]
      },
      {
        name: 'an access key beside the literal secret key of the same store (`S3_`): only the secret key is reported',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: storage\nstringData:\n  S3_ACCESS_KEY: Zq8vLm2Kp9Xw4RtY7b\n  S3_SECRET_ACCESS_KEY: Qx7vN2pLk9RtW4mZ8sJd\n',
        errors: [{ line: 7, severity: 'high' }]
      },
      {
        name: 'a random-looking access key beside its secret key held in a `${VAR}`: reported',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: storage\nstringData:\n  S3_ACCESS_KEY: Zq8vLm2Kp9Xw4RtY7b\n  S3_SECRET_KEY: "${S3_SECRET_KEY}"\n',
        errors: [{ line: 6, severity: 'high' }]
      },
      {
        name: 'a random password reused as the database name: generated, not a default login (high)',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\nstringData:\n  POSTGRES_DB: "Xk9mP2vLq8Rw"\n  POSTGRES_PASSWORD: "Xk9mP2vLq8Rw"\n',
        errors: [{ line: 8, severity: 'high', message: /^(?!.*default login)/ }]
      },
      {
        name: 'an access key without a secret key beside it is still reported',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: artifacts\nstringData:\n  accessKey: Zq8vLm2Kp9Xw4RtY7b\n',
        errors: [{ line: 6, severity: 'high' }]
      },
      {
        name: 'plain text under `data` (it decodes to bytes no one typed) is judged as written: a well-known password, medium',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  root_password: password\n',
        errors: [{ line: 7, severity: 'medium', message: /well-known default anyone would try first/ }]
      },
      {
        name: 'a password equal to the user and database names of the same Secret: medium, saying which',
        code: `apiVersion: v1\nkind: Secret\ntype: Opaque\nmetadata:\n  name: app-db\ndata:\n  POSTGRES_USER: ${Buffer.from('ledger').toString('base64')}\n  POSTGRES_PASSWORD: ${Buffer.from('ledger').toString('base64')}\n  POSTGRES_DB: ${Buffer.from('ledger').toString('base64')}\n`,
        errors: [{ line: 8, severity: 'medium', message: /the same as `POSTGRES_USER` beside it/ }]
      },
      {
        name: 'a password equal to the database name only: medium',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-db\nstringData:\n  database: ledger\n  password: ledger\n',
        errors: [{ line: 7, severity: 'medium', message: /the same as `database` beside it/ }]
      },
      {
        name: 'a plain config block that writes a literal password',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: pipeline\nstringData:\n  output.conf: |-\n    output {\n      sink {\n        user => "writer"\n        password => "Zq8vLm2Kp9Xw4R"\n      }\n    }\n',
        errors: [{ line: 6, severity: 'high' }]
      },
      {
        name: 'a plain block under a credential-named entry',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  credentials: |\n    [default]\n    region = eu-west-1\n    role = Zq8vLm2Kp9Xw4RtY7b\n',
        errors: [{ line: 6 }]
      },
      {
        name: 'a literal entry with a templated name, beside template actions',
        files: {
          'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
          'charts/web/templates/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-web\ndata:\n  {{- $spare := list }}\n  {{ .Release.Name }}-token: ${Buffer.from('Zq8vLm2Kp9Xw4RtY7b').toString('base64')}\n`,
          'k8s/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n'
        },
        errors: [{ path: 'charts/web/templates/secret.yaml', line: 7 }]
      },
      {
        name: 'a token-type setting whose value is random-looking',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  session-token-type: Zq8vLm2Kp9Xw4RtY7b\n',
        errors: [{ line: 6 }]
      },
      { name: 'base64 data', code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-db\ndata:\n  password: ${Buffer.from('Zq8vLm2Kp9Xw4R').toString('base64')}\n`, errors: [{ line: 6 }] },
      {
        name: 'the password entry beside a username entry: only the password is reported',
        code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-db\ndata:\n  username: ${Buffer.from('app').toString('base64')}\n  password: ${Buffer.from('Zq8vLm2Kp9Xw4R').toString('base64')}\n`,
        errors: [{ line: 7 }]
      },
      {
        name: 'a random value under a setting-like name, and a URL that carries a password',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  signing: Zq8vLm2Kp9Xw4RtY7b\n  brokerUrl: amqp://app:Zq8vLm2Kp9Xw4R@mq:5672/\n',
        errors: [{ line: 6 }, { line: 7 }]
      },
      {
        name: 'templated JSON block with a literal password',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  config.json: |\n    {\n      "host": "{{ .Values.db.host }}",\n      "password": "Vq83kLz0pQw7xN2r"\n    }\n',
        errors: [{ line: 6 }]
      },
      {
        name: 'templated XML block with a literal password',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  settings.xml: |\n    <server>\n      <host>{{ .Values.db.host }}</host>\n      <password>Vq83kLz0pQw7xN2r</password>\n    </server>\n',
        errors: [{ line: 6 }]
      },
      {
        name: 'templated block that still writes a literal password',
        code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: exporter\nstringData:\n  my.cnf: |\n    [client]\n    user={{ .Values.db.user }}\n    password=Zq8vLm2Kp9Xw4R\n',
        errors: [{ line: 6 }]
      }
    ]
  },
  'secrets/k8s-secret-env-var': {
    // In a workload the manifest rules model, k8s/secret-in-env reports the same line instead.
    valid: [{ name: 'Deployment: reported once, by k8s/secret-in-env', code: secretRefEnv }, { name: 'CRD schema describing secretKeyRef', path: 'k8s/crd.yaml', code: CRD }],
    invalid: [
      { name: 'container of a kind the manifest rules do not model', code: WORKFLOW, errors: [{ line: lineOf(WORKFLOW, 'secretKeyRef'), severity: 'low' }] },
      {
        name: "chart template: the env read sits in the `else` of a files switch on by default, so a default install mounts files (info); an unguarded one stays low",
        files: {
          'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 1.0.0\n',
          'charts/api/values.yaml': 'useSecretFiles: true\nextraSecret: ""\n',
          'charts/api/templates/deployment.yaml': CHART_ENV,
          'k8s/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: api\n'
        },
        errors: [
          { path: 'charts/api/templates/deployment.yaml', line: lineOf(CHART_ENV, 'name: api-db') - 1, severity: 'info', message: /\(info: the template renders this only when `useSecretFiles` is empty, not with the chart's defaults\)/ },
          { path: 'charts/api/templates/deployment.yaml', line: lineOf(CHART_ENV, 'name: api-token') - 1, severity: 'low' }
        ]
      }
    ]
  }
}
