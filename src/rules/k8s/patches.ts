/**
 * Partial objects: a kustomize patch (a file a kustomization lists under `patches` or
 * `patchesStrategicMerge`, or an apps/v1 workload with no selector and a container with no image,
 * or containers of a name and an image only, or in a file its folder's kustomization leaves out)
 * or a workload whose containers name no image is merged onto a base
 * that is not in the file. What such an object leaves out comes from the base, so rules that
 * report a missing setting stay quiet on it; what it sets explicitly is still judged.
 */
import type { Finding } from '../../types.js'
import type { Container, K8sObject } from './objects.js'

/** Rules that only ever report something absent: meaningless on a partial object. */
const ABSENCE_ONLY = new Set([
  'k8s/no-liveness-probe',
  'k8s/no-readiness-probe',
  'k8s/no-pod-disruption-budget',
  'k8s/no-pod-anti-affinity',
  'k8s/no-cpu-requests',
  'k8s/no-cpu-limits',
  'k8s/no-memory-requests',
  'k8s/no-memory-limits',
  'k8s/capabilities-not-dropped',
  'k8s/no-seccomp-profile',
  'k8s/no-network-policy',
  'k8s/privilege-escalation-not-disabled',
  'k8s/run-as-non-root-not-set'
])

/**
 * Rules that report either an absent setting or a bad value written in the file: on a partial
 * object they count only when the finding's line holds the setting itself.
 */
const SETTING_OF: Record<string, RegExp> = {
  'k8s/single-replica': /\breplicas\s*:/,
  'k8s/writable-root-filesystem': /\breadOnlyRootFilesystem\s*:/,
  'k8s/service-account-token-automount': /\bautomountServiceAccountToken\s*:/,
  'k8s/no-revision-history': /\brevisionHistoryLimit\s*:/,
  'k8s/no-min-ready-seconds': /\bminReadySeconds\s*:/
}

/**
 * A workload object written as a fragment: none of its (non-init) containers names an image,
 * which the API server would refuse for a whole object. `k8s/image-missing` still says so.
 */
export function isFragment(obj: K8sObject, containers: readonly Container[]): boolean {
  const app = containers.filter((c) => !c.init)
  return app.length > 0 && app.every((c) => obj.view.get(c.node, 'image') === undefined)
}

/** Workload kinds whose apps/v1 form requires `spec.selector` (older API versions derived it from the template labels). */
const SELECTOR_REQUIRED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'])

/** Where a manifest file stands with the kustomizations in view. */
export interface Placement {
  /** A kustomization names the file under `resources` (or `bases`): kustomize builds it as an object, and may fill its selector (`labels`, `commonLabels`). */
  asResource: boolean
  /** The kustomization of its folder leaves it out and none in view names it. */
  leftOut: boolean
}

/** Where a file stands when no kustomization is in view. */
export const UNPLACED: Placement = { asResource: false, leftOut: false }

/**
 * A strategic-merge patch by its shape, whether or not a kustomization names it (kubebuilder
 * scaffolds leave theirs commented out): an apps/v1 workload with no `spec.selector`, which the
 * API server refuses, and a container with no image, which the base it merges onto supplies.
 * Unless a kustomization builds the file as a resource, also one whose containers hold nothing
 * but `name` and `image` (a patch setting the image), or one its folder's kustomization leaves out.
 */
export function isSelectorlessPatch(obj: K8sObject, containers: readonly Container[], placement: Placement = UNPLACED): boolean {
  const v = obj.view
  if (!SELECTOR_REQUIRED.has(obj.kind) || v.str(v.get(obj.node, 'apiVersion')) !== 'apps/v1') return false
  if (v.get(v.get(obj.node, 'spec'), 'selector') !== undefined) return false
  const app = containers.filter((c) => !c.init)
  if (app.some((c) => v.get(c.node, 'image') === undefined)) return true
  if (placement.asResource) return false
  return placement.leftOut || (app.length > 0 && app.every((c) => v.entries(c.node).every((e) => e.key === 'name' || e.key === 'image')))
}

/**
 * The findings that stand on a partial object. `patch`: the object is a patch by a
 * kustomization's word or by its shape, so even the missing image is the base's.
 */
export function keepOnPartial(findings: Finding[], lines: readonly string[], patch: boolean): Finding[] {
  return findings.filter((f) => {
    if (ABSENCE_ONLY.has(f.ruleId)) return false
    if (f.ruleId === 'k8s/image-missing') return !patch
    const setting = SETTING_OF[f.ruleId]
    return !setting || setting.test(lines[f.line - 1] ?? '')
  })
}
