/** Rule-tester cases for the Helm chart values rules (no `helm` binary: the chart's defaults are checked). */
import type { CaseTable } from '../../helpers/rule-tester.js'
import { lineOf } from './util.js'

const CHART_YAML = 'apiVersion: v2\nname: app\nversion: 0.1.0\n'
const TEMPLATE = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n'
/** A chart with these values; findings land on `charts/app/values.yaml`. */
const chart = (values: string) => ({
  files: { 'charts/app/values.yaml': values, 'charts/app/Chart.yaml': CHART_YAML, 'charts/app/templates/deployment.yaml': TEMPLATE }
})

/** A chart with these values and more files of its own (templates, helpers, `files/`). */
const chartWith = (values: string, more: Record<string, string>) => ({ files: { ...chart(values).files, ...more } })

/** A pod template whose security contexts fall back to hardened settings when the values are empty. */
const FALLBACK_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      securityContext:
      {{- if .Values.podSecurityContext }}
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      {{- else }}
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      {{- end }}
      containers:
        - name: app
          image: registry.example.com/app:1.4.2
          securityContext:
            {{- toYaml (.Values.securityContext | default (dict "allowPrivilegeEscalation" false)) | nindent 12 }}
`
/** A helper that uses the component's probe, else a TCP check of its own. */
const PROBE_HELPER = `{{- define "app.workerReadiness" -}}
{{- with .Values.worker.readinessProbe }}
readinessProbe:
  {{- toYaml . | nindent 2 }}
{{- else }}
readinessProbe:
  tcpSocket:
    port: 8080
{{- end }}
{{- end -}}
`
/** A container the mesh's injector replaces (probes included): only an override is rendered. */
const INJECTED_GATEWAY = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: proxy
          image: auto
          env:
            - name: MODE
              value: gateway
          {{- with .Values.readinessProbe }}
          readinessProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
`
const RENDERED_PROBE = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          readinessProbe:\n            {{- toYaml .Values.readinessProbe | nindent 12 }}\n'

/** Values of an optional root init container whose fixes are all off by default. */
const FIXER_VALUES = 'fixer:\n  securityContext:\n    runAsUser: 0\n  fixes:\n    sysfs: false\n    procfs: false\n  extraCommands: []\n'
/** A Deployment that renders the root init container only when a fix is switched on (through variables, as charts do). */
const FIXER_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      {{- $fixes := .Values.fixer.fixes -}}
      {{- $anyFix := or $fixes.sysfs $fixes.procfs (not (empty .Values.fixer.extraCommands)) -}}
      {{- if $anyFix }}
      initContainers:
        - name: fix-permissions
          image: registry.example.com/tools:1.0
          securityContext:
            {{- toYaml .Values.fixer.securityContext | nindent 12 }}
      {{- end }}
      containers:
        - name: app
          image: registry.example.com/app:1.4.2
`
/** A node agent: a DaemonSet whose pods mount the host's /proc, with the values' pod security context. */
const HOST_AGENT = `apiVersion: apps/v1
kind: DaemonSet
spec:
  template:
    spec:
      {{- if .Values.agent.securityContext }}
      securityContext:
        {{- toYaml .Values.agent.securityContext | nindent 8 }}
      {{- end }}
      containers:
        - name: agent
          image: registry.example.com/agent:7.1
      volumes:
        - name: proc
          hostPath:
            path: /proc
`
const AGENT_VALUES = 'agent:\n  securityContext:\n    runAsUser: 0\n'

/** Values of a node plugin's container security context (set by each case). */
const PLUGIN_VALUES = (setting: string) => `plugin:\n  securityContext:\n    ${setting}\n`
/** A helper rendering a CNI installer init container that copies binaries into the host's CNI folder. */
const CNI_INSTALLER_HELPER = `{{- define "net.installCni" -}}
- name: install-cni
  image: registry.example.com/net-cni:2.3
  securityContext: {{- toYaml .Values.plugin.securityContext | nindent 4 }}
  volumeMounts:
    - name: cni-bin
      mountPath: /host/opt/cni/bin
{{- end -}}
`
/** A DaemonSet including the CNI installer and mounting the host's CNI folder. */
const CNI_DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
spec:
  template:
    spec:
      initContainers:
        {{- include "net.installCni" . | nindent 8 }}
      containers:
        - name: agent
          image: registry.example.com/net-agent:2.3
      volumes:
        - name: cni-bin
          hostPath:
            path: /opt/cni/bin
`
/** A CSI node driver whose container propagates its mounts back to the host. */
const CSI_DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
spec:
  template:
    spec:
      containers:
        - name: driver
          image: registry.example.com/csi-node:1.0
          {{- with .Values.plugin.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: pods
              mountPath: /var/lib/kubelet/pods
              mountPropagation: Bidirectional
        - name: registrar
          image: registry.example.com/csi-registrar:1.0
      volumes:
        - name: pods
          hostPath:
            path: /var/lib/kubelet/pods
`
/** Values of an init container's security context, which the StatefulSet below writes into its `sysctl` init container. */
const SYSCTL_VALUES = 'sysctlInit:\n  securityContext:\n    runAsUser: 0\n    privileged: true\n'
/** Values naming the sysctl init container's image by repository and tag, as charts do. */
const SYSCTL_IMAGE_VALUES = (repository: string) => `sysctlImage:\n  repository: ${repository}\n  tag: "1.36"\n`
/** A search StatefulSet whose init container (in `list`, from `image`) runs `command` with the values' security context. */
const sysctlStatefulSet = (command: string, list = 'initContainers', image = 'busybox:1.36') => `apiVersion: apps/v1
kind: StatefulSet
spec:
  template:
    spec:
      ${list}:
      - name: sysctl
        image: ${image}
        securityContext:
          {{- toYaml .Values.sysctlInit.securityContext | nindent 10 }}
        command: ${command}
      containers:
      - name: search
        image: registry.example.com/search:8.1
`
/** A FlexVolume driver installer whose container mounts the kubelet's plugin folder at the same path. */
const FLEX_DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
spec:
  template:
    spec:
      containers:
        - name: flex-deploy
          image: registry.example.com/flex-installer:1.0
          securityContext:
            {{- toYaml .Values.plugin.securityContext | nindent 12 }}
          volumeMounts:
            - name: flexvolume
              mountPath: /usr/libexec/kubernetes/kubelet-plugins/volume/exec
      volumes:
        - name: flexvolume
          hostPath:
            path: /usr/libexec/kubernetes/kubelet-plugins/volume/exec
`
/** Values of a privileged init container that waits for a proxy, switched on by a flag off by default. */
const WAITER_VALUES = 'waitForProxy: false\nwaiter:\n  securityContext:\n    enabled: true\n    privileged: true\n'
/** A helper rendering the waiter init container (its own guard is true by default). */
const WAITER_HELPER = `{{- define "app.waiterInit" -}}
- name: wait-for-proxy
  image: registry.example.com/tools:1.0
  {{- if .Values.waiter.securityContext.enabled }}
  securityContext: {{- omit .Values.waiter.securityContext "enabled" | toYaml | nindent 4 }}
  {{- end }}
{{- end -}}
`
/** The waiter helper with its image tag read from the values. */
const WAITER_IMAGE_HELPER = WAITER_HELPER.replace('image: registry.example.com/tools:1.0', 'image: "registry.example.com/tools:{{ .Values.waiter.image.tag }}"')
/** A DaemonSet that includes the waiter only when `waitForProxy` is set. */
const WAITER_DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
spec:
  template:
    spec:
      initContainers:
        {{- if .Values.waitForProxy }}
        {{- include "app.waiterInit" . | nindent 8 }}
        {{- end }}
      containers:
        - name: agent
          image: registry.example.com/agent:7.1
`

const CLEAN = `image:
  repository: registry.example.com/app
  tag: 1.4.2
podSecurityContext:
  runAsNonRoot: true
securityContext:
  runAsUser: 10001
  privileged: false
resources:
  limits:
    memory: 256Mi
livenessProbe:
  httpGet:
    path: /healthz
    port: http
readinessProbe:
  httpGet:
    path: /ready
    port: http
`
const LATEST = CLEAN.replace('tag: 1.4.2', 'tag: latest')
const SIDE_LATEST = CLEAN + 'sidecar:\n  image: registry.example.com/proxy:latest\n'
const EMPTY_CTX = CLEAN.replace('podSecurityContext:\n  runAsNonRoot: true\n', 'podSecurityContext: {}\n')
const NO_RESOURCES = CLEAN.replace('resources:\n  limits:\n    memory: 256Mi\n', 'resources: {}\n')
const PRIVILEGED = CLEAN.replace('privileged: false', 'privileged: true')
const ROOT = CLEAN.replace('runAsUser: 10001', 'runAsUser: 0')
const ROOT_PRIVILEGED = PRIVILEGED.replace('runAsUser: 10001', 'runAsUser: 0')
/** A container security context as UID 0 that drops ALL capabilities and cannot escalate. */
const ROOT_POWERLESS = ROOT.replace('  privileged: false\n', '  privileged: false\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: [ALL]\n')
/** The same, adding host-reaching capabilities back. */
const ROOT_ADDS_BACK = ROOT_POWERLESS.replace('    drop: [ALL]\n', '    drop: [ALL]\n    add: [NET_ADMIN, NET_RAW, SYS_ADMIN]\n')
/** A component whose pod-level context sets UID 0 beside a container context with the given settings. */
const POD_ROOT = (containerContext: string): string =>
  CLEAN + `agent:\n  podSecurityContext:\n    runAsUser: 0\n  containerSecurityContext:\n${containerContext}  resources:\n    limits:\n      memory: 128Mi\n`
const POWERLESS_CONTAINER = '    readOnlyRootFilesystem: true\n    allowPrivilegeEscalation: false\n    capabilities:\n      drop: [ALL]\n'
/** Top-level: UID 0 in the pod context, the capability drop in the `securityContext` beside it. */
const TOP_POD_ROOT = CLEAN.replace('podSecurityContext:\n  runAsNonRoot: true\nsecurityContext:\n  runAsUser: 10001\n  privileged: false\n', 'podSecurityContext:\n  runAsUser: 0\nsecurityContext:\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: [all]\n')
const NO_LIVENESS = CLEAN.replace('livenessProbe:\n  httpGet:\n    path: /healthz\n    port: http\n', 'livenessProbe:\n  enabled: false\n')
/** A component whose readiness probe is switched on by `enabled: true` and whose liveness probe is off. */
const SERVER_PROBES = CLEAN + 'server:\n  readinessProbe:\n    enabled: true\n    port: 8200\n  livenessProbe:\n    enabled: false\n'
const NO_PROBES = NO_LIVENESS.replace('readinessProbe:\n  httpGet:\n    path: /ready\n    port: http\n', 'readinessProbe:\n  enabled: false\n')
const EMPTY_READINESS = CLEAN.replace('readinessProbe:\n  httpGet:\n    path: /ready\n    port: http\n', 'readinessProbe: {}\n')
const PRESET_NONE = CLEAN + 'worker:\n  resourcesPreset: none\n  resources: {}\n'
const DISABLED_COMPONENT = CLEAN + 'metrics:\n  enabled: false\n  image:\n    tag: latest\n  resources: {}\n'

/** Values of a `helm test` pod's image. */
const TEST_IMAGE_VALUES = CLEAN + 'test:\n  image:\n    repository: busybox\n    tag: latest\n'
/** A pod that `helm test` creates (hook annotation `hooks`), running the test image. */
const testPod = (hooks: string): string => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: probe
---
apiVersion: v1
kind: Pod
metadata:
  name: probe
  annotations:
    "helm.sh/hook": ${hooks}
    "helm.sh/hook-delete-policy": hook-succeeded
spec:
  containers:
    - name: wget
      image: "{{ .Values.test.image.repository }}:{{ .Values.test.image.tag }}"
      command: ['wget', 'app:8080/healthz']
  restartPolicy: Never
`
/** Values of a Job's kubectl image, the Job switched by `enterprise.enabled` (default `enterprise`) beside `tokenJob.enable`. */
const switchedJobValues = (enterprise: string): string => CLEAN + `enterprise:\n  enabled: ${enterprise}\ntokenJob:\n  enable: true\napiKey: ""\nkubectlImage:\n  repository: bitnami/kubectl\n  tag: latest\n`
/** A Job wrapped whole in an `if` on `condition`, opened before its `kind:` line. */
const wrappedJob = (condition: string): string => `{{- if ${condition} -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: tokens
spec:
  template:
    spec:
      containers:
        - name: kubectl
          image: {{ .Values.kubectlImage.repository }}:{{ .Values.kubectlImage.tag }}
      restartPolicy: OnFailure
{{- end }}
`

export const helmCases: CaseTable = {
  'helm/values-image-latest': {
    valid: [
      chart(CLEAN),
      { name: 'component switched off by default', ...chart(DISABLED_COMPONENT) },
      { name: 'empty tag falls back to the chart appVersion', ...chart(CLEAN.replace('tag: 1.4.2', 'tag: ""')) },
      { name: 'latest in a comment', ...chart(CLEAN.replace('tag: 1.4.2', 'tag: 1.4.2 # never use latest')) }
    ],
    invalid: [
      { ...chart(LATEST), errors: [{ line: lineOf(LATEST, 'tag: latest'), severity: 'medium' }] },
      { name: 'image with a latest tag', ...chart(SIDE_LATEST), errors: [{ line: lineOf(SIDE_LATEST, 'image: registry.example.com/proxy') }] },
      {
        name: 'the image of a helper included only inside an `if` false with the defaults: low',
        ...chartWith(CLEAN + WAITER_VALUES + '  image:\n    tag: latest\n', { 'charts/app/templates/_init.tpl': WAITER_IMAGE_HELPER, 'charts/app/templates/daemonset.yaml': WAITER_DAEMONSET }),
        errors: [{ line: lineOf(CLEAN + WAITER_VALUES + '  image:\n    tag: latest\n', '    tag: latest'), severity: 'low', message: /applies only when `waitForProxy` is set$/ }]
      },
      {
        name: 'the image of a pod only `helm test` creates (hook `test`): low, saying it runs only under helm test',
        ...chartWith(TEST_IMAGE_VALUES, { 'charts/app/templates/tests/test-probe.yaml': testPod('test') }),
        errors: [{ line: lineOf(TEST_IMAGE_VALUES, '    tag: latest'), severity: 'low', message: /only into objects annotated `helm\.sh\/hook: test`: low, as the image runs only under `helm test`/ }]
      },
      {
        name: "Helm 2's quoted `test-success` hook: low",
        ...chartWith(TEST_IMAGE_VALUES, { 'charts/app/templates/tests/test-probe.yaml': testPod('"test-success"') }),
        errors: [{ line: lineOf(TEST_IMAGE_VALUES, '    tag: latest'), severity: 'low' }]
      },
      {
        name: 'a hook that also runs on install (`pre-install,test`): medium',
        ...chartWith(TEST_IMAGE_VALUES, { 'charts/app/templates/tests/test-probe.yaml': testPod('pre-install,test') }),
        errors: [{ line: lineOf(TEST_IMAGE_VALUES, '    tag: latest'), severity: 'medium' }]
      },
      {
        name: 'the test image also written into an object every install creates: medium',
        ...chartWith(TEST_IMAGE_VALUES, {
          'charts/app/templates/tests/test-probe.yaml': testPod('test'),
          'charts/app/templates/warmup.yaml': 'apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - name: warmup\n          image: "busybox:{{ .Values.test.image.tag }}"\n'
        }),
        errors: [{ line: lineOf(TEST_IMAGE_VALUES, '    tag: latest'), severity: 'medium' }]
      },
      {
        name: 'a Job wrapped whole (before `kind:`) in an `and` of switches, one false by default: low',
        ...chartWith(switchedJobValues('false'), { 'charts/app/templates/token-job.yaml': wrappedJob('and .Values.enterprise.enabled .Values.tokenJob.enable') }),
        errors: [{ line: lineOf(switchedJobValues('false'), '  tag: latest'), severity: 'low', message: /applies only when `enterprise\.enabled` and `tokenJob\.enable` are set$/ }]
      },
      {
        name: 'a Job wrapped whole in one switch false by default: low',
        ...chartWith(switchedJobValues('false'), { 'charts/app/templates/token-job.yaml': wrappedJob('.Values.enterprise.enabled') }),
        errors: [{ line: lineOf(switchedJobValues('false'), '  tag: latest'), severity: 'low', message: /applies only when `enterprise\.enabled` is set$/ }]
      },
      {
        name: 'the same switch true by default: medium',
        ...chartWith(switchedJobValues('true'), { 'charts/app/templates/token-job.yaml': wrappedJob('and .Values.enterprise.enabled .Values.tokenJob.enable') }),
        errors: [{ line: lineOf(switchedJobValues('true'), '  tag: latest'), severity: 'medium' }]
      },
      {
        name: 'a whole-object `if` on a required input (an empty string by default), not a switch: medium',
        ...chartWith(switchedJobValues('true'), { 'charts/app/templates/token-job.yaml': wrappedJob('.Values.apiKey') }),
        errors: [{ line: lineOf(switchedJobValues('true'), '  tag: latest'), severity: 'medium' }]
      },
      {
        name: 'a whole-object `if` on a switch written as the string "false": not the boolean, medium',
        ...chartWith(switchedJobValues('"false"'), { 'charts/app/templates/token-job.yaml': wrappedJob('.Values.enterprise.enabled') }),
        errors: [{ line: lineOf(switchedJobValues('"false"'), '  tag: latest'), severity: 'medium' }]
      },
      {
        name: 'the same helper included with the flag on by default: medium',
        ...chartWith(CLEAN + WAITER_VALUES.replace('waitForProxy: false', 'waitForProxy: true') + '  image:\n    tag: latest\n', { 'charts/app/templates/_init.tpl': WAITER_IMAGE_HELPER, 'charts/app/templates/daemonset.yaml': WAITER_DAEMONSET }),
        errors: [{ line: lineOf(CLEAN + WAITER_VALUES + '  image:\n    tag: latest\n', '    tag: latest'), severity: 'medium' }]
      }
    ]
  },
  'helm/values-empty-security-context': {
    valid: [
      chart(CLEAN),
      {
        name: 'the templates fall back to hardened contexts when the values are empty',
        ...chartWith(EMPTY_CTX.replace('securityContext:\n  runAsUser: 10001\n  privileged: false\n', 'securityContext: {}\n'), { 'charts/app/templates/deployment.yaml': FALLBACK_DEPLOYMENT })
      },
      {
        name: 'the template reads the value through `default` with a filled fallback',
        ...chartWith(CLEAN + 'job:\n  securityContext: {}\n', {
          'charts/app/templates/job.yaml': 'securityContext:\n  {{- toYaml (default (dict "runAsNonRoot" true) .Values.job.securityContext) | nindent 2 }}\n'
        })
      },
      {
        name: 'a template under files/ falls back to its own context',
        ...chartWith(CLEAN + 'proxy:\n  securityContext: {}\n', {
          'charts/app/files/proxy-patch.yaml': 'spec:\n  securityContext:\n  {{- if .Values.proxy.securityContext }}\n    {{- toYaml .Values.proxy.securityContext | nindent 4 }}\n  {{- else }}\n    runAsNonRoot: true\n  {{- end }}\n'
        })
      },
      {
        name: 'defaults the chart moves up to .Values itself',
        ...chartWith(CLEAN + 'shipped:\n  sidecarSecurityContext: {}\n', {
          'charts/app/templates/_defaults.tpl': '{{- $shipped := $.Values.shipped }}\n{{- $_ := unset $.Values "shipped" }}\n{{- $b := set $ "Values" (mustMergeOverwrite $shipped $.Values) }}\n',
          'charts/app/templates/sidecar.yaml': 'securityContext:\n{{- if .Values.sidecarSecurityContext }}\n  {{- toYaml .Values.sidecarSecurityContext | nindent 2 }}\n{{- else }}\n  readOnlyRootFilesystem: true\n{{- end }}\n'
        })
      },
      {
        name: 'Windows HostProcess chart: the Linux settings do not apply',
        ...chart(CLEAN.replace('podSecurityContext:\n  runAsNonRoot: true\n', 'podSecurityContext:\n  windowsOptions:\n    hostProcess: true\n    runAsUserName: "NT AUTHORITY\\\\system"\n').replace('securityContext:\n  runAsUser: 10001\n  privileged: false\n', 'securityContext: {}\n'))
      }
    ],
    invalid: [
      {
        name: "written into an operator's custom resource: low, saying the operator decides",
        ...chartWith(CLEAN + 'cluster:\n  securityContext: {}\n', {
          'charts/app/templates/cluster.yaml': 'apiVersion: postgres.example.io/v1\nkind: Cluster\nspec:\n  securityContext:\n    {{- toYaml .Values.cluster.securityContext | nindent 4 }}\n'
        }),
        errors: [{ line: lineOf(CLEAN + 'cluster:\n  securityContext: {}\n', '  securityContext: {}'), severity: 'low', message: /custom resource, whose operator decides/ }]
      },
      { ...chart(EMPTY_CTX), name: 'the pod context is empty, the container context sets the user', errors: [{ line: 4, message: /^hardening: .*no seccomp profile or fsGroup.*sets a non-root user/ }] },
      {
        ...chart(EMPTY_CTX.replace('securityContext:\n  runAsUser: 10001\n', 'securityContext:\n  runAsUser: 10001\n  seccompProfile:\n    type: RuntimeDefault\n')),
        name: 'the pod context is empty and the container context beside it sets the seccomp profile: only fsGroup is missing',
        errors: [{ line: 4, message: /no fsGroup of its own \(a container security context beside it sets the seccomp profile\)/ }]
      },
      {
        name: 'the container context is empty, the pod context sets the user',
        ...chart(CLEAN.replace('securityContext:\n  runAsUser: 10001\n  privileged: false\n', 'securityContext: {}\n')),
        errors: [{ line: 6, message: /^hardening: .*no capability drop, seccomp profile or privilege-escalation setting.*sets a non-root user/ }]
      },
      {
        name: 'every context empty: the image user runs',
        ...chart(EMPTY_CTX.replace('securityContext:\n  runAsUser: 10001\n  privileged: false\n', 'securityContext: {}\n')),
        errors: [{ line: 4, message: /image user/ }, { line: 5, message: /image user/ }]
      },
      {
        name: 'only one of the contexts has a fallback in the templates',
        ...chartWith(EMPTY_CTX, { 'charts/app/templates/deployment.yaml': FALLBACK_DEPLOYMENT.replace('{{- else }}\n        runAsNonRoot: true\n        seccompProfile:\n          type: RuntimeDefault\n', '') }),
        errors: [{ line: 4 }]
      },
      {
        name: 'a `default` whose fallback is an empty map',
        ...chartWith(CLEAN + 'job:\n  securityContext: {}\n', { 'charts/app/templates/job.yaml': 'securityContext:\n  {{- toYaml (.Values.job.securityContext | default dict) | nindent 2 }}\n' }),
        errors: [{ line: lineOf(CLEAN + 'job:\n  securityContext: {}\n', '  securityContext: {}') }]
      },
      {
        name: 'a template renders the whole component map, context included',
        ...chartWith(CLEAN + 'proxy:\n  securityContext: {}\n', {
          'charts/app/templates/proxy.yaml': 'spec:\n  {{- toYaml .Values.proxy | nindent 2 }}\n',
          'charts/app/files/proxy-patch.yaml': 'spec:\n  securityContext:\n  {{- if .Values.proxy.securityContext }}\n    {{- toYaml .Values.proxy.securityContext | nindent 4 }}\n  {{- else }}\n    runAsNonRoot: true\n  {{- end }}\n'
        }),
        errors: [{ line: lineOf(CLEAN + 'proxy:\n  securityContext: {}\n', '  securityContext: {}') }]
      }
    ]
  },
  'helm/values-no-resources': {
    valid: [
      chart(CLEAN),
      { name: 'component switched off by default', ...chart(DISABLED_COMPONENT.replace('  image:\n    tag: latest\n', '')) },
      { name: 'a sizing preset beside the empty resources gives requests and limits', ...chart(CLEAN + 'worker:\n  resourcesPreset: "medium"\n  resources: {}\n') }
    ],
    invalid: [
      { ...chart(NO_RESOURCES), errors: [{ line: lineOf(NO_RESOURCES, 'resources: {}') }] },
      { name: 'the preset `none` sizes nothing', ...chart(PRESET_NONE), errors: [{ line: lineOf(PRESET_NONE, '  resources: {}') }] }
    ]
  },
  'helm/values-privileged': {
    valid: [chart(CLEAN), { name: 'privileged outside a securityContext', ...chart(CLEAN + 'rbac:\n  privileged: true\n') }],
    invalid: [
      { ...chart(PRIVILEGED), errors: [{ line: lineOf(PRIVILEGED, 'privileged: true'), severity: 'critical' }] },
      { name: 'with `runAsUser: 0` beside it: still critical', ...chart(ROOT_PRIVILEGED), errors: [{ line: lineOf(ROOT_PRIVILEGED, 'privileged: true'), severity: 'critical' }] },
      {
        name: 'written only into a CSI node driver with a Bidirectional mount: medium, saying why',
        ...chartWith(CLEAN + PLUGIN_VALUES('privileged: true'), { 'charts/app/templates/daemonset.yaml': CSI_DAEMONSET }),
        errors: [{ line: lineOf(CLEAN + PLUGIN_VALUES('privileged: true'), '    privileged: true'), severity: 'medium', message: /a CNI\/CSI node plugin, which needs it to propagate mounts back to the host$/ }]
      },
      {
        name: 'the same container without the Bidirectional mount: critical',
        ...chartWith(CLEAN + PLUGIN_VALUES('privileged: true'), { 'charts/app/templates/daemonset.yaml': CSI_DAEMONSET.replace('              mountPropagation: Bidirectional\n', '') }),
        errors: [{ line: lineOf(CLEAN + PLUGIN_VALUES('privileged: true'), '    privileged: true'), severity: 'critical' }]
      },
      {
        name: "written only into a FlexVolume installer mounting the kubelet's plugin folder: medium",
        ...chartWith(CLEAN + PLUGIN_VALUES('privileged: true'), { 'charts/app/templates/daemonset.yaml': FLEX_DAEMONSET }),
        errors: [{ line: lineOf(CLEAN + PLUGIN_VALUES('privileged: true'), '    privileged: true'), severity: 'medium', message: /needs it to write the kubelet's volume plugin folders \(FlexVolume drivers, CSI node sockets\)$/ }]
      },
      ...[
        '["sysctl", "-w", "vm.max_map_count=262144"]',
        '\n          - sh\n          - -c\n          - sysctl -w vm.max_map_count=262144 && sysctl -w fs.file-max=65536'
      ].map((command) => ({
        name: `written only into an init container running fixed sysctl -w commands (${command.trim()}): medium, saying why`,
        ...chartWith(CLEAN + SYSCTL_VALUES, { 'charts/app/templates/statefulset.yaml': sysctlStatefulSet(command) }),
        errors: [
          {
            line: lineOf(CLEAN + SYSCTL_VALUES, '    privileged: true'),
            severity: 'medium' as const,
            message: /^chart default `sysctlInit\.securityContext\.privileged` runs the containers privileged: medium, as the templates write it only into an init container that only sets `vm\.max_map_count`.* with a fixed `sysctl -w` from image `busybox:1\.36` and exits before the app starts, node-wide parameters that the pod's `securityContext\.sysctls` cannot set$/
          }
        ]
      })),
      {
        name: 'the init container image made of .Values references to a common base: medium, naming the image the defaults render',
        ...chartWith(CLEAN + SYSCTL_VALUES + SYSCTL_IMAGE_VALUES('docker.io/library/busybox'), {
          'charts/app/templates/statefulset.yaml': sysctlStatefulSet('["sysctl", "-w", "vm.max_map_count=262144"]', 'initContainers', '"{{ .Values.sysctlImage.repository }}:{{ .Values.sysctlImage.tag }}"')
        }),
        errors: [{ line: lineOf(CLEAN + SYSCTL_VALUES, '    privileged: true'), severity: 'medium', message: /from image `docker\.io\/library\/busybox:1\.36` and exits/ }]
      },
      ...[
        { what: 'a third-party image pinned by a tag', values: '', image: 'ghcr.io/someone/tools:1.0' },
        { what: '.Values references to a third-party repository', values: SYSCTL_IMAGE_VALUES('ghcr.io/someone/tools'), image: '"{{ .Values.sysctlImage.repository }}:{{ .Values.sysctlImage.tag }}"' },
        { what: 'a reference the defaults do not fill in', values: '', image: '"{{ .Values.sysctlImage.repository }}:1.36"' },
        { what: 'a helper', values: '', image: '{{ include "app.sysctlImage" . }}' }
      ].map(({ what, values, image }) => ({
        name: `an init container running fixed sysctl -w from ${what}: critical`,
        ...chartWith(CLEAN + SYSCTL_VALUES + values, { 'charts/app/templates/statefulset.yaml': sysctlStatefulSet('["sysctl", "-w", "vm.max_map_count=262144"]', 'initContainers', image) }),
        errors: [{ line: lineOf(CLEAN + SYSCTL_VALUES, '    privileged: true'), severity: 'critical' as const }]
      })),
      ...[
        { what: 'a value the template puts into the command', command: '["sysctl", "-w", "vm.max_map_count={{ .Values.sysctlInit.count }}"]', list: 'initContainers' },
        { what: 'a script', command: '["sh", "-c", "/scripts/sysctl.sh"]', list: 'initContainers' },
        { what: 'a sysctl chained with another command', command: '["sh", "-c", "sysctl -w vm.max_map_count=262144 && touch /tmp/done"]', list: 'initContainers' },
        { what: 'fixed sysctl -w, but as a main container', command: '["sysctl", "-w", "vm.max_map_count=262144"]', list: 'containers' },
        { what: 'BPF JIT hardening switched off', command: '["sysctl", "-w", "net.core.bpf_jit_harden=0"]', list: 'initContainers' },
        { what: 'userfaultfd opened to unprivileged users', command: '["sysctl", "-w", "vm.max_map_count=262144", "vm.unprivileged_userfaultfd=1"]', list: 'initContainers' }
      ].map(({ what, command, list }) => ({
        name: `written into a container running ${what}: critical`,
        ...chartWith(CLEAN + SYSCTL_VALUES, { 'charts/app/templates/statefulset.yaml': sysctlStatefulSet(command, list) }),
        errors: [{ line: lineOf(CLEAN + SYSCTL_VALUES, '    privileged: true'), severity: 'critical' as const }]
      })),
      {
        name: 'in a helper for a CNI installer mounting the host CNI folder: medium',
        ...chartWith(CLEAN + PLUGIN_VALUES('privileged: true'), { 'charts/app/templates/_cni.tpl': CNI_INSTALLER_HELPER, 'charts/app/templates/daemonset.yaml': CNI_DAEMONSET }),
        errors: [{ line: lineOf(CLEAN + PLUGIN_VALUES('privileged: true'), '    privileged: true'), severity: 'medium', message: /needs it to write the host's CNI folders$/ }]
      },
      {
        name: 'in a helper included only inside an `if` false with the defaults: low, naming what must be set',
        ...chartWith(CLEAN + WAITER_VALUES, { 'charts/app/templates/_init.tpl': WAITER_HELPER, 'charts/app/templates/daemonset.yaml': WAITER_DAEMONSET }),
        errors: [{ line: lineOf(CLEAN + WAITER_VALUES, '    privileged: true'), severity: 'low', message: /low, as it applies only when `waitForProxy` is set$/ }]
      },
      {
        name: 'the same helper included with the flag on by default: critical',
        ...chartWith(CLEAN + WAITER_VALUES.replace('waitForProxy: false', 'waitForProxy: true'), { 'charts/app/templates/_init.tpl': WAITER_HELPER, 'charts/app/templates/daemonset.yaml': WAITER_DAEMONSET }),
        errors: [{ line: lineOf(CLEAN + WAITER_VALUES, '    privileged: true'), severity: 'critical' }]
      },
      {
        name: 'the helper also included outside any condition: critical',
        ...chartWith(CLEAN + WAITER_VALUES, {
          'charts/app/templates/_init.tpl': WAITER_HELPER,
          'charts/app/templates/daemonset.yaml': WAITER_DAEMONSET,
          'charts/app/templates/job.yaml': 'apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      initContainers:\n        {{- include "app.waiterInit" . | nindent 8 }}\n'
        }),
        errors: [{ line: lineOf(CLEAN + WAITER_VALUES, '    privileged: true'), severity: 'critical' }]
      },
      {
        name: 'a helper included nowhere the chart shows: critical',
        ...chartWith(CLEAN + WAITER_VALUES, { 'charts/app/templates/_init.tpl': WAITER_HELPER }),
        errors: [{ line: lineOf(CLEAN + WAITER_VALUES, '    privileged: true'), severity: 'critical' }]
      },
      {
        name: 'a template including a helper by a computed name (maybe this one): critical',
        ...chartWith(CLEAN + WAITER_VALUES, {
          'charts/app/templates/_init.tpl': WAITER_HELPER,
          'charts/app/templates/daemonset.yaml': WAITER_DAEMONSET,
          'charts/app/templates/job.yaml': 'apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      initContainers:\n        {{- include (printf "app.%sInit" .Values.initName) . | nindent 8 }}\n'
        }),
        errors: [{ line: lineOf(CLEAN + WAITER_VALUES, '    privileged: true'), severity: 'critical' }]
      },
      {
        name: "a helper whose name spells the value's path (a string, not a read): low",
        ...chartWith(CLEAN + WAITER_VALUES, {
          'charts/app/templates/_init.tpl': WAITER_HELPER.replace('"app.waiterInit"', '"app.waiter.securityContext"'),
          'charts/app/templates/daemonset.yaml': WAITER_DAEMONSET.replace('"app.waiterInit"', '"app.waiter.securityContext"')
        }),
        errors: [{ line: lineOf(CLEAN + WAITER_VALUES, '    privileged: true'), severity: 'low' }]
      },
      {
        name: 'a helper included from another helper that the DaemonSet includes under the false flag: low',
        ...chartWith(CLEAN + WAITER_VALUES, {
          'charts/app/templates/_init.tpl': WAITER_HELPER + '{{- define "app.initContainers" -}}\n{{ include "app.waiterInit" . }}\n{{- end -}}\n',
          'charts/app/templates/daemonset.yaml': WAITER_DAEMONSET.replace('"app.waiterInit"', '"app.initContainers"')
        }),
        errors: [{ line: lineOf(CLEAN + WAITER_VALUES, '    privileged: true'), severity: 'low', message: /`waitForProxy` is set$/ }]
      }
    ]
  },
  'helm/values-run-as-root': {
    valid: [chart(CLEAN)],
    invalid: [
      { ...chart(ROOT), errors: [{ line: lineOf(ROOT, 'runAsUser: 0'), severity: 'high' }] },
      {
        name: 'beside `privileged: true` in the same security context: medium, as privileged is reported on its own',
        ...chart(ROOT_PRIVILEGED),
        errors: [{ line: lineOf(ROOT_PRIVILEGED, 'runAsUser: 0'), severity: 'medium', message: /\(medium: it is also privileged, which gives the node already and is reported on its own\)$/ }]
      },
      {
        name: 'a container context as UID 0 that drops ALL capabilities, adds none and cannot escalate: medium, saying why',
        ...chart(ROOT_POWERLESS),
        errors: [{ line: lineOf(ROOT_POWERLESS, 'runAsUser: 0'), severity: 'medium', message: /run as root \(medium: it drops every capability, adds none and cannot escalate\)$/ }]
      },
      {
        name: 'the same context adding NET_ADMIN, NET_RAW and SYS_ADMIN back: high',
        ...chart(ROOT_ADDS_BACK),
        errors: [{ line: lineOf(ROOT_ADDS_BACK, 'runAsUser: 0'), severity: 'high', message: /run as root$/ }]
      },
      {
        name: 'the same context without `allowPrivilegeEscalation: false`: high',
        ...chart(ROOT_POWERLESS.replace('  allowPrivilegeEscalation: false\n', '')),
        errors: [{ line: lineOf(ROOT_POWERLESS, 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: 'a pod context as UID 0 beside a `containerSecurityContext` that drops ALL and cannot escalate: medium, naming it',
        ...chart(POD_ROOT(POWERLESS_CONTAINER)),
        errors: [{ line: lineOf(POD_ROOT(POWERLESS_CONTAINER), 'runAsUser: 0'), severity: 'medium', message: /\(medium: the container security context `agent\.containerSecurityContext` beside it drops every capability, adds none and cannot escalate\)$/ }]
      },
      {
        name: 'a pod context as UID 0 beside a container context switched off (`enabled: false`, not rendered): high',
        ...chart(POD_ROOT('    enabled: false\n' + POWERLESS_CONTAINER)),
        errors: [{ line: lineOf(POD_ROOT(POWERLESS_CONTAINER), 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: 'a top-level pod context as UID 0 beside a `securityContext` that drops all and cannot escalate: medium',
        ...chart(TOP_POD_ROOT),
        errors: [{ line: lineOf(TOP_POD_ROOT, 'runAsUser: 0'), severity: 'medium', message: /`securityContext` beside it drops every capability/ }]
      },
      {
        name: 'a pod context as UID 0 beside a container context that may escalate: high',
        ...chart(POD_ROOT(POWERLESS_CONTAINER.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'))),
        errors: [{ line: lineOf(POD_ROOT(POWERLESS_CONTAINER), 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: "a pod context as UID 0 whose only capability drop is another component's: high",
        ...chart(CLEAN.replace('podSecurityContext:\n  runAsNonRoot: true\n', 'podSecurityContext:\n  runAsUser: 0\n') + 'worker:\n  containerSecurityContext:\n' + POWERLESS_CONTAINER),
        errors: [{ line: lineOf(CLEAN.replace('podSecurityContext:\n  runAsNonRoot: true\n', 'podSecurityContext:\n  runAsUser: 0\n'), 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: '`privileged: true` in another security context of the values: still high',
        ...chart(ROOT + WAITER_VALUES),
        errors: [{ line: lineOf(ROOT, 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: 'rendered only inside an `if` false with the defaults (through variables, `or`, `not (empty …)`): low, naming what must be set',
        ...chartWith(CLEAN + FIXER_VALUES, { 'charts/app/templates/deployment.yaml': FIXER_DEPLOYMENT }),
        errors: [{ line: lineOf(CLEAN + FIXER_VALUES, 'runAsUser: 0'), severity: 'low', message: /low, as it applies only when `fixer\.fixes\.sysfs`, `fixer\.fixes\.procfs` or `fixer\.extraCommands` is set$/ }]
      },
      {
        name: 'the same template with a fix switched on by default: high',
        ...chartWith(CLEAN + FIXER_VALUES.replace('sysfs: false', 'sysfs: true'), { 'charts/app/templates/deployment.yaml': FIXER_DEPLOYMENT }),
        errors: [{ line: lineOf(CLEAN + FIXER_VALUES, 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: 'a condition of a shape not read (`eq`) counts as true: high',
        ...chartWith(CLEAN + FIXER_VALUES, { 'charts/app/templates/deployment.yaml': FIXER_DEPLOYMENT.replace('{{- if $anyFix }}', '{{- if eq .Values.mode "fix" }}') }),
        errors: [{ line: lineOf(CLEAN + FIXER_VALUES, 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: 'one use guarded by a false condition, another rendered always: high',
        ...chartWith(CLEAN + FIXER_VALUES, {
          'charts/app/templates/deployment.yaml': FIXER_DEPLOYMENT,
          'charts/app/templates/job.yaml': 'apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      securityContext:\n        {{- toYaml .Values.fixer.securityContext | nindent 8 }}\n'
        }),
        errors: [{ line: lineOf(CLEAN + FIXER_VALUES, 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: 'a condition around the whole object (an input every install gives) does not count: high',
        ...chartWith(CLEAN + FIXER_VALUES + 'apiKey: ""\n', {
          'charts/app/templates/deployment.yaml': '{{- if .Values.apiKey }}\n' + FIXER_DEPLOYMENT.replace('{{- if $anyFix }}', '{{- if true }}') + '{{- end }}\n'
        }),
        errors: [{ line: lineOf(CLEAN + FIXER_VALUES, 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: "in the `else` part of an `if` true by default: low, as it applies only when that value is empty",
        ...chartWith(CLEAN + FIXER_VALUES + 'rootless: true\n', {
          'charts/app/templates/deployment.yaml': FIXER_DEPLOYMENT.replace('{{- if $anyFix }}', '{{- if .Values.rootless }}\n      initContainers: []\n      {{- else }}')
        }),
        errors: [{ line: lineOf(CLEAN + FIXER_VALUES, 'runAsUser: 0'), severity: 'low', message: /applies only when `rootless` is empty$/ }]
      },
      {
        name: 'also read through a helper given `.Values` (a route not followed): high',
        ...chartWith(CLEAN + FIXER_VALUES, {
          'charts/app/templates/deployment.yaml': FIXER_DEPLOYMENT,
          'charts/app/templates/_helpers.tpl': '{{- define "app.fixerContext" -}}\n{{ toYaml .fixer.securityContext }}\n{{- end -}}\n',
          'charts/app/templates/job.yaml': 'apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      securityContext:\n        {{- include "app.fixerContext" .Values | nindent 8 }}\n'
        }),
        errors: [{ line: lineOf(CLEAN + FIXER_VALUES, 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: 'in a helper included only inside an `if` false with the defaults: low',
        ...chartWith(CLEAN + WAITER_VALUES.replace('privileged: true', 'runAsUser: 0'), { 'charts/app/templates/_init.tpl': WAITER_HELPER, 'charts/app/templates/daemonset.yaml': WAITER_DAEMONSET }),
        errors: [{ line: lineOf(CLEAN + WAITER_VALUES.replace('privileged: true', 'runAsUser: 0'), 'runAsUser: 0'), severity: 'low', message: /applies only when `waitForProxy` is set$/ }]
      },
      {
        name: 'in a helper for a CNI installer that writes the host CNI folder: medium, saying why',
        ...chartWith(CLEAN + PLUGIN_VALUES('runAsUser: 0'), { 'charts/app/templates/_cni.tpl': CNI_INSTALLER_HELPER, 'charts/app/templates/daemonset.yaml': CNI_DAEMONSET }),
        errors: [{ line: lineOf(CLEAN + PLUGIN_VALUES('runAsUser: 0'), 'runAsUser: 0'), severity: 'medium', message: /UID 0: medium, as the templates write it only into a CNI\/CSI node plugin, which needs it to write the host's CNI folders$/ }]
      },
      {
        name: 'the same installer mounting a folder of its own: high',
        ...chartWith(CLEAN + PLUGIN_VALUES('runAsUser: 0'), { 'charts/app/templates/_cni.tpl': CNI_INSTALLER_HELPER.replace('/host/opt/cni/bin', '/data'), 'charts/app/templates/daemonset.yaml': CNI_DAEMONSET.replace('/opt/cni/bin', '/srv/data') }),
        errors: [{ line: lineOf(CLEAN + PLUGIN_VALUES('runAsUser: 0'), 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: "written only into a DaemonSet whose pods mount host paths (a node agent): medium, saying why",
        ...chartWith(CLEAN + AGENT_VALUES, { 'charts/app/templates/daemonset.yaml': HOST_AGENT }),
        errors: [{ line: lineOf(CLEAN + AGENT_VALUES, 'runAsUser: 0'), severity: 'medium', message: /medium, as the templates write it only into DaemonSets whose pods mount host paths \(a node agent/ }]
      },
      {
        name: 'a DaemonSet that mounts no host path: high',
        ...chartWith(CLEAN + AGENT_VALUES, { 'charts/app/templates/daemonset.yaml': HOST_AGENT.replace(/ {6}volumes:[^]*$/, '') }),
        errors: [{ line: lineOf(CLEAN + AGENT_VALUES, 'runAsUser: 0'), severity: 'high' }]
      },
      {
        name: 'written into a host-mounting DaemonSet and a Deployment: high',
        ...chartWith(CLEAN + AGENT_VALUES, {
          'charts/app/templates/daemonset.yaml': HOST_AGENT,
          'charts/app/templates/deployment.yaml': HOST_AGENT.replace('kind: DaemonSet', 'kind: Deployment').replace(/ {6}volumes:[^]*$/, '')
        }),
        errors: [{ line: lineOf(CLEAN + AGENT_VALUES, 'runAsUser: 0'), severity: 'high' }]
      }
    ]
  },
  'helm/values-probe-disabled': {
    valid: [
      chart(CLEAN),
      {
        name: 'a helper falls back to a probe of its own when the component leaves it empty',
        ...chartWith(CLEAN + 'worker:\n  readinessProbe: {}\n', { 'charts/app/templates/_helpers.tpl': PROBE_HELPER })
      },
      { name: 'the probe of a container the mesh injects', ...chartWith(EMPTY_READINESS, { 'charts/app/templates/gateway.yaml': INJECTED_GATEWAY }) },
      {
        name: "an empty probe read through a variable, and the key written only into a custom resource",
        ...chartWith(EMPTY_READINESS, {
          'charts/app/templates/collector.yaml': '{{- $c := .Values }}\napiVersion: telemetry.example.io/v1\nkind: Collector\nspec:\n  {{- with $c.readinessProbe }}\n  readinessProbe:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\n'
        })
      },
      {
        name: 'defaults read whole and merged into each custom resource, whose probe key the template writes',
        ...chartWith(CLEAN + 'defaultCRConfig:\n  livenessProbe: {}\n', {
          'charts/app/templates/collector.yaml':
            '{{- range $name, $c := .Values.collectors }}\n{{- $c = mergeOverwrite (deepCopy $.Values.defaultCRConfig) $c }}\n---\napiVersion: telemetry.example.io/v1\nkind: Collector\nspec:\n  {{- with $c.livenessProbe }}\n  livenessProbe:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\n{{- end }}\n'
        })
      },
      {
        name: 'probes switched off beside custom probes the templates render instead',
        ...chart('zookeeper:\n  livenessProbe:\n    enabled: false\n  readinessProbe:\n    enabled: false\n  customLivenessProbe:\n    exec:\n      command: [/bin/sh, -c, "echo ruok | nc 127.0.0.1 2181"]\n  customReadinessProbe:\n    exec:\n      command: [/bin/sh, -c, "echo ruok | nc 127.0.0.1 2181"]\n')
      },
      {
        name: "an empty probe written into an operator's custom resource (the operator builds the probe)",
        ...chartWith(EMPTY_READINESS, { 'charts/app/templates/collector.yaml': 'apiVersion: telemetry.example.io/v1\nkind: Collector\nspec:\n  readinessProbe:\n    {{- toYaml .Values.readinessProbe | nindent 4 }}\n' })
      }
    ],
    invalid: [
      {
        name: 'liveness off beside an enabled readiness probe: low',
        ...chart(NO_LIVENESS),
        errors: [{ line: lineOf(NO_LIVENESS, 'livenessProbe:'), severity: 'low', message: /^chart default `livenessProbe` is disabled \(the readiness probe beside it is enabled, .*: low\)$/ }]
      },
      {
        name: "a component's liveness off beside its readiness probe switched on by `enabled: true`: low",
        ...chart(SERVER_PROBES),
        errors: [{ line: lineOf(SERVER_PROBES, '  livenessProbe:'), severity: 'low' }]
      },
      {
        name: 'custom probes that are switched off too, with no handler: both medium',
        ...chart('zookeeper:\n  livenessProbe:\n    enabled: false\n  readinessProbe:\n    enabled: false\n  customLivenessProbe:\n    enabled: false\n  customReadinessProbe:\n    enabled: false\n'),
        errors: [{ line: 2, severity: 'medium' }, { line: 4, severity: 'medium' }]
      },
      {
        name: "the chart's own probe off beside a custom one its templates never name: medium",
        ...chartWith('livenessProbe:\n  enabled: false\ncustomLivenessProbe:\n  exec:\n    command: [/bin/true]\nreadinessProbe:\n  httpGet:\n    path: /ready\n    port: http\n', { 'charts/app/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app:1.0.0\n          {{- if .Values.livenessProbe.enabled }}\n          livenessProbe: {{- toYaml .Values.livenessProbe | nindent 12 }}\n          {{- end }}\n' }),
        errors: [{ line: 1, severity: 'low' }]
      },
      {
        name: 'liveness and readiness both off: both medium',
        ...chart(NO_PROBES),
        errors: [
          { line: lineOf(NO_PROBES, 'livenessProbe:'), severity: 'medium', message: /^chart default `livenessProbe` is disabled$/ },
          { line: lineOf(NO_PROBES, 'readinessProbe:'), severity: 'medium' }
        ]
      },
      { name: 'empty probe, no template reads it', ...chart(EMPTY_READINESS), errors: [{ line: lineOf(EMPTY_READINESS, 'readinessProbe: {}'), message: /^chart default `readinessProbe` is empty: unless the templates fall back/ }] },
      {
        name: 'read through a variable into a Deployment: still reported',
        ...chartWith(EMPTY_READINESS, {
          'charts/app/templates/deployment.yaml': '{{- $c := .Values }}\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          {{- with $c.readinessProbe }}\n          readinessProbe:\n            {{- toYaml . | nindent 12 }}\n          {{- end }}\n'
        }),
        errors: [{ line: lineOf(EMPTY_READINESS, 'readinessProbe: {}') }]
      },
      {
        name: 'a template renders the empty probe as is',
        ...chartWith(EMPTY_READINESS, { 'charts/app/templates/deployment.yaml': RENDERED_PROBE }),
        errors: [{ line: lineOf(EMPTY_READINESS, 'readinessProbe: {}'), message: /without a fallback: the containers get no readiness probe/ }]
      },
      {
        name: 'a `with` without else on an ordinary container',
        ...chartWith(EMPTY_READINESS, { 'charts/app/templates/gateway.yaml': INJECTED_GATEWAY.replace('image: auto', 'image: registry.example.com/proxy:2.1') }),
        errors: [{ line: lineOf(EMPTY_READINESS, 'readinessProbe: {}') }]
      }
    ]
  }
}
