/**
 * Pod Security Admission: a Namespace labelled `pod-security.kubernetes.io/enforce: baseline` or
 * `restricted` makes the API server reject every pod of it that breaks that level. A finding on
 * something the level forbids then describes a pod that never runs (the manifest fails to deploy
 * as written), so the rules report it as low and say why. This module reads the levels of the
 * Namespaces a manifest set defines and decides, in one place, the level an object's pods meet.
 */
import type { K8sObject, PodSpec } from './objects.js'
import type { DocView } from './view.js'
import type { StreamIndex } from './workloads.js'
import type { Node } from '../parse/yaml.js'
import type { FindingExtra } from '../rule.js'

/** The Pod Security levels that reject pods (`privileged` allows everything). */
export type EnforceLevel = 'baseline' | 'restricted'

/** What a manifest set says about Pod Security enforcement. */
export interface PodSecurityIndex {
  /** Namespaces of the set whose `enforce` label is `baseline` or `restricted`, by name. */
  enforced: ReadonlyMap<string, EnforceLevel>
  /**
   * The namespace an object is deployed to when the build, not its own metadata, decides it:
   * its kustomization's `namespace`, or the base object a strategic-merge patch changes.
   */
  deployedTo: ReadonlyMap<K8sObject, string>
}

export const NO_POD_SECURITY: PodSecurityIndex = { enforced: new Map(), deployedTo: new Map() }

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce'

/**
 * The level a Namespace's labels enforce. Only the exact values count: `privileged`, a template
 * or variable left in the text, or anything else leaves the rules as they are.
 */
export function enforceLevelOf(labels: ReadonlyMap<string, string>): EnforceLevel | undefined {
  const value = labels.get(ENFORCE_LABEL)
  return value === 'baseline' || value === 'restricted' ? value : undefined
}

/**
 * The labels a Namespace object (or a patch of one) writes: value `null` (a strategic-merge
 * patch removing the label) is kept as undefined so a merge can delete it.
 */
export function namespaceLabels(obj: K8sObject): Map<string, string | undefined> {
  const v = obj.view
  const out = new Map<string, string | undefined>()
  for (const e of v.entries(v.at(obj.node, ['metadata', 'labels']))) out.set(e.key, v.str(e.value))
  return out
}

/** The enforced levels of the Namespace objects of a list (a file, read on its own). */
export function podSecurityOf(objects: readonly K8sObject[]): PodSecurityIndex {
  const enforced = new Map<string, EnforceLevel>()
  for (const obj of objects) {
    if (obj.kind !== 'Namespace') continue
    const labels = new Map([...namespaceLabels(obj)].filter((e): e is [string, string] => e[1] !== undefined))
    const level = enforceLevelOf(labels)
    if (level) enforced.set(obj.name, level)
  }
  return { enforced, deployedTo: new Map() }
}

/**
 * The Pod Security level enforced on the namespace this object's pods are created in: the
 * namespace the build gives it, else its own `metadata.namespace`; undefined when that
 * namespace is unknown, not a Namespace of the set, or enforces nothing that rejects pods.
 */
export function enforcedLevelOf(stream: StreamIndex | undefined, obj: K8sObject): EnforceLevel | undefined {
  const psa = stream?.podSecurity
  if (!psa || psa.enforced.size === 0) return undefined
  const namespace = psa.deployedTo.get(obj) ?? obj.namespace
  return namespace === undefined ? undefined : psa.enforced.get(namespace)
}

/**
 * Capabilities the baseline level lets a container add; any other is rejected. The restricted
 * level allows only NET_BIND_SERVICE.
 */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'])

/** The requirement adding a capability (by its kernel name, without `CAP_`) breaks, if any. */
export function capabilityRequirement(name: string): PodSecurityRequirement | undefined {
  if (!BASELINE_CAPABILITIES.has(name)) return { level: 'baseline' }
  return name === 'NET_BIND_SERVICE' ? undefined : { level: 'restricted', linuxOnly: true }
}

/**
 * What a Pod Security check asks of a pod, and the least level that enforces it. `linuxOnly`:
 * since Kubernetes 1.25 the restricted level skips it for pods with `spec.os.name: windows`.
 */
export type PodSecurityRequirement = { level: EnforceLevel; linuxOnly?: boolean }

/** The requirements the rules report breaking, as the Pod Security Standards define them. */
export const PSS = {
  /** No `privileged: true` container (baseline). */
  notPrivileged: { level: 'baseline' },
  /** No `hostNetwork`, `hostPID` or `hostIPC` (baseline). */
  noHostNamespaces: { level: 'baseline' },
  /** No hostPath volume (baseline). */
  noHostPath: { level: 'baseline' },
  /** No seccomp profile explicitly `Unconfined` (baseline). */
  seccompNotUnconfined: { level: 'baseline' },
  /** `runAsNonRoot: true` on the pod or every container, and no `runAsUser: 0` (restricted). */
  nonRoot: { level: 'restricted' },
  /** `allowPrivilegeEscalation: false` on every container (restricted, Linux pods). */
  noEscalation: { level: 'restricted', linuxOnly: true },
  /** Every container drops ALL capabilities (restricted, Linux pods). */
  dropAll: { level: 'restricted', linuxOnly: true },
  /** A RuntimeDefault or Localhost seccomp profile on the pod or every container (restricted, Linux pods). */
  seccompConfined: { level: 'restricted', linuxOnly: true }
} as const satisfies Record<string, PodSecurityRequirement>

/**
 * Why a finding that breaks `requirement` describes a pod the namespace's Pod Security rejects
 * (to end the message as `(low: …)`), or undefined when the enforced level allows it or none is known.
 */
export function admissionRejection(stream: StreamIndex | undefined, obj: K8sObject, pod: PodSpec, requirement: PodSecurityRequirement): string | undefined {
  const level = enforcedLevelOf(stream, obj)
  if (level === undefined || (requirement.level === 'restricted' && level !== 'restricted')) return undefined
  if (requirement.linuxOnly && level === 'restricted' && runsWindowsOs(obj.view, pod.node)) return undefined
  const namespace = stream?.podSecurity.deployedTo.get(obj) ?? obj.namespace
  return `namespace \`${namespace}\` has Pod Security \`enforce: ${level}\`, which rejects the pod, so it never runs; the manifest fails to deploy as written`
}

/**
 * A finding's message and extras as `report` takes them: unchanged without `why`, else low and
 * ending with why the pod is rejected.
 */
export function unlessRejected(message: string, why: string | undefined, extra: FindingExtra = {}): [string, FindingExtra] {
  return why === undefined ? [message, extra] : [`${message} (low: ${why})`, { ...extra, severity: 'low' }]
}

/** A pod declaring `spec.os.name: windows`, the field Pod Security reads (not the node selector). */
function runsWindowsOs(v: DocView, pod: Node): boolean {
  return v.str(v.at(pod, ['os', 'name'])) === 'windows'
}
