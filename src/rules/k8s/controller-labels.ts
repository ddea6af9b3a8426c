/** Labels Kubernetes' own controllers add to the pods they create, beyond their template's: a Service may select by them. */
import { numberAt, type K8sObject } from './objects.js'

const isOrdinal = (text: string): boolean => /^\d{1,9}$/.test(text)

/** The label keys each kind's controller sets on its pods (see `controllerLabelFits` for their values). */
const CONTROLLER_KEYS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['StatefulSet', new Set(['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'controller-revision-hash'])],
  ['DaemonSet', new Set(['controller-revision-hash', 'pod-template-generation'])],
  ['Deployment', new Set(['pod-template-hash'])],
  ['Rollout', new Set(['rollouts-pod-template-hash'])],
  ['Job', new Set(['job-name', 'batch.kubernetes.io/job-name', 'batch.kubernetes.io/job-completion-index', 'controller-uid', 'batch.kubernetes.io/controller-uid'])]
])

/** Whether the workload's controller sets this label key on its pods, whatever the template says: no one else gives it a value. */
export const controllerOwnsLabel = (workload: K8sObject, key: string): boolean => CONTROLLER_KEYS.get(workload.kind)?.has(key) === true

/**
 * Whether an ordinal fits a StatefulSet's pods: from `spec.ordinals.start` (0 by default) up to
 * the replica count (1 when absent); any when the count is not a literal or an autoscaler sets it.
 */
function ordinalFits(workload: K8sObject, ordinal: string, scaled: boolean): boolean {
  if (!isOrdinal(ordinal)) return false
  const v = workload.view
  const spec = v.get(workload.node, 'spec')
  const start = numberAt(v, v.at(spec, ['ordinals', 'start'])) ?? 0
  const n = Number(ordinal)
  if (n < start) return false
  const written = v.get(spec, 'replicas')
  const replicas = written === undefined ? 1 : numberAt(v, written)
  return scaled || replicas === undefined || n < start + replicas
}

/**
 * Whether `key: value` is a label the workload's controller puts on some pod it creates, when its
 * template does not set that key. StatefulSet pods get their name `<set>-<ordinal>`
 * (`statefulset.kubernetes.io/pod-name`), their ordinal (`apps.kubernetes.io/pod-index`) and
 * `controller-revision-hash`; DaemonSet pods `controller-revision-hash` and
 * `pod-template-generation`; a Deployment's pods `pod-template-hash` (an Argo Rollout's
 * `rollouts-pod-template-hash`); a Job's pods its name (`job-name`, `batch.kubernetes.io/job-name`),
 * `controller-uid` and, indexed, `batch.kubernetes.io/job-completion-index`. Hashes, uids and
 * generations are computed at run time, so any value fits them. `scaled`: an autoscaler sets the
 * replica count, so any ordinal fits.
 */
export function controllerLabelFits(workload: K8sObject, key: string, value: string, scaled: boolean): boolean {
  if (!controllerOwnsLabel(workload, key)) return false
  switch (workload.kind) {
    case 'StatefulSet':
      if (key === 'statefulset.kubernetes.io/pod-name') return value.startsWith(`${workload.name}-`) && ordinalFits(workload, value.slice(workload.name.length + 1), scaled)
      if (key === 'apps.kubernetes.io/pod-index') return ordinalFits(workload, value, scaled)
      return true
    case 'DaemonSet':
      return key !== 'pod-template-generation' || isOrdinal(value)
    case 'Job':
      if (key === 'job-name' || key === 'batch.kubernetes.io/job-name') return value === workload.name
      return key !== 'batch.kubernetes.io/job-completion-index' || isOrdinal(value)
    default:
      return true
  }
}
