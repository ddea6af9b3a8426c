/**
 * The catalogue of Helm rules: checks on a chart's `values.yaml` defaults, used when the chart's
 * templates cannot be rendered (no `helm` binary, or the render failed). Rendered charts are
 * judged by the Kubernetes rules instead.
 */
import { defineRules } from '../rule.js'

export const HELM = defineRules('helm', {
  valuesImageLatest: {
    id: 'helm/values-image-latest',
    category: 'immutability',
    topics: ['immutable-artifacts', 'rollback-path'],
    severity: 'medium',
    title: 'Chart default image uses `latest`',
    description: 'The chart installs the `latest` tag unless the installer overrides it: two installs of the same chart version can run different code, and a rollback may not restore the old one. Low when the templates (read, not rendered) write it only inside `if`/`with` blocks whose conditions are false with the chart\'s defaults (an optional init container switched off), or only into objects wrapped in an `if` on a feature switch whose default is the boolean `false` (alone or in an `and`: a Job of an enterprise feature switched off); low too when they write it only into objects annotated `helm.sh/hook: test`, which only `helm test` creates.',
    remediation: 'Default `image.tag` to a version (or leave it empty so the chart uses its `appVersion`), or pin a digest.',
    refs: { checkov: 'CKV_K8S_14', kics: 'k8s/invalid_image', trivy: 'AVD-KSV-0013' }
  },
  valuesPrivileged: {
    id: 'helm/values-privileged',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'critical',
    title: 'Chart runs privileged containers by default',
    description: 'A `privileged: true` default gives the chart\'s containers every capability and the host devices unless the installer switches it off. Low when the templates (read, not rendered) write it only inside `if`/`with` blocks whose conditions are false with the chart\'s defaults, counting the blocks around each `include` of the helper that writes it (an optional init container switched off) and an `if` around the whole object on a feature switch whose default is the boolean `false` (alone or in an `and`); medium when they write it only into containers of CNI/CSI node plugins (mounting the host\'s CNI folders, BPF filesystem or the kubelet\'s volume plugin folders, or a volume with `mountPropagation: Bidirectional`), which need it by design, or only into init containers of their own `initContainers:` list whose literal command runs nothing but fixed `sysctl -w` on resource sizes and limits (serving no port), from an image (literal, or `.Values` references the defaults fill in) pinned by digest, a Docker Hub official image, the Kubernetes registry or a distribution\'s base image.',
    remediation: 'Default `privileged` to false and add only the capabilities the container needs.',
    refs: { checkov: 'CKV_K8S_16', kics: 'k8s/container_is_privileged', trivy: 'AVD-KSV-0017' }
  },
  valuesRunAsRoot: {
    id: 'helm/values-run-as-root',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Chart runs as root (UID 0) by default',
    description: 'A `runAsUser: 0` default runs the chart\'s containers as root unless the installer overrides it. Low when the templates (read, not rendered) write it only inside `if`/`with` blocks of its object whose conditions are false with the chart\'s defaults, counting the blocks around each `include` of the helper that writes it (an optional init container switched off) and an `if` around the whole object on a feature switch whose default is the boolean `false` (alone or in an `and`); medium when they write it only into DaemonSets whose pods mount host paths (node agents, for which root is how they read the host\'s files), or only into containers of CNI/CSI node plugins (mounting the host\'s CNI folders, BPF filesystem or the kubelet\'s volume plugin folders, or a volume with `mountPropagation: Bidirectional`), which need it by design, or when its security context (or, for a pod-level context without capabilities, the container security context beside it) drops ALL capabilities, adds none back and sets `allowPrivilegeEscalation: false` (root then holds little beyond the files it can reach).',
    remediation: 'Default `runAsUser` to a non-zero UID and set `runAsNonRoot: true`; document the override for installs that truly need root.',
    refs: { checkov: 'CKV_K8S_23', kics: 'k8s/containers_running_as_root', trivy: 'AVD-KSV-0012' }
  },
  valuesEmptySecurityContext: {
    id: 'helm/values-empty-security-context',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'low',
    title: 'Chart leaves the security context empty by default (hardening)',
    description: 'Hardening: an empty `securityContext`/`podSecurityContext` default means the pods run with the image user and the runtime defaults (capabilities, writable root filesystem, no seccomp) unless the chart\'s templates fill the empty value in (read only when the chart is rendered) or the installer does. Not reported for Windows charts (`windowsOptions`), where those settings do not apply.',
    remediation: 'Give the chart safe defaults: `runAsNonRoot: true`, `allowPrivilegeEscalation: false`, `capabilities.drop: [ALL]`, `seccompProfile.type: RuntimeDefault`.'
  },
  valuesNoResources: {
    id: 'helm/values-no-resources',
    category: 'cost',
    topics: ['resource-limits', 'cost-sizing'],
    severity: 'low',
    title: 'Chart sets no resource requests or limits by default',
    description: 'An empty `resources` default installs containers without requests or limits unless the installer sets them, so the scheduler cannot place them by their needs and one pod can starve its node.',
    remediation: 'Default `resources.requests` (cpu, memory) and `resources.limits.memory` to what the workload needs at steady state.',
    refs: { checkov: ['CKV_K8S_10', 'CKV_K8S_12'], kics: 'k8s/memory_requests_not_defined', trivy: ['AVD-KSV-0015', 'AVD-KSV-0016'] }
  },
  valuesProbeDisabled: {
    id: 'helm/values-probe-disabled',
    category: 'slo',
    topics: ['health-checks'],
    severity: 'medium',
    title: 'Chart disables a health probe by default',
    description: 'A liveness or readiness probe switched off (or left empty) in the chart defaults means a hung or not-yet-ready pod keeps receiving traffic unless the installer turns it on. Low for a liveness probe when the readiness probe beside it (same values block) is enabled, with settings and no `enabled: false`: a hung pod is taken out of traffic, only not restarted. Not reported when the same block sets a custom probe with a handler in its place (`customReadinessProbe: {exec: …}`), which the templates render instead (for the chart\'s own top-level probe, when its templates name the custom key).',
    remediation: 'Enable the probe by default with a check that reflects the process health.',
    refs: { checkov: ['CKV_K8S_8', 'CKV_K8S_9'] }
  }
})
