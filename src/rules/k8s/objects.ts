/**
 * Finds Kubernetes objects in parsed YAML documents (including the items of a `List`) and the
 * pod specs, labels and containers inside workloads.
 */
import type { Node } from '../parse/yaml.js'
import { isMap } from '../parse/yaml.js'
import type { DocView } from './view.js'
import { setOwn } from '../../util/lookup-table.js'
import { commandOnlyIdles, isPauseImage } from '../container-common.js'

export interface K8sObject {
  kind: string
  name: string
  namespace?: string
  node: Node
  view: DocView
  /**
   * The pod spec once `podSpecOf` has read it (null: none): the folder index, every check pass and
   * the cost pass ask for it, and it depends only on the object's kind and node.
   */
  podSpec?: PodSpec | null
}

export interface PodSpec {
  node: Node
  /** Line of the `spec:` key that holds the pod spec (the place to add pod-level settings). */
  line: number
  /** Labels the pods carry (template metadata, or the Pod's own metadata). */
  labels: Record<string, string>
  /** Whether the pods carry no labels at all (no `labels:`, or an empty map): no Service can select them. */
  unlabeled: boolean
  /** Jobs, CronJobs and run-to-completion Pods: no probes expected. */
  runToCompletion: boolean
  /** What its containers declare as ports, read once when a check first asks (see `podPorts` in workloads.ts). */
  ports?: PodPorts
}

/** What the containers of a pod declare: whether any declares a port, every declared port's number and name, and those of the ports not named for metrics. */
export interface PodPorts {
  anyDeclared: boolean
  /**
   * The number and name of each declared port not named as a metrics port (see `isMetricsPortName`
   * in workloads.ts); a `ports:` given as text (a template's) is one entry with neither.
   */
  otherPorts: string[][]
  /**
   * The number and name of each declared port, not named for metrics, that its own container's
   * liveness, readiness or startup probe names (by number or name): the kubelet calls it, perhaps
   * nobody else (see `servesNoCaller` in workloads.ts). Not in `otherPorts`.
   */
  probedPorts: string[][]
  keys: Set<string>
  /** The number and name of each metrics port (see `isMetricsPortName`) a container that keeps running declares: an init container's stops before the pod serves. */
  metricsKeys: Set<string>
}

export interface Container {
  node: Node
  name: string
  init: boolean
  /** Line of the container entry (its first key). */
  line: number
}

/** Whether a container entry asks to keep running beside the app (`restartPolicy: Always`): on an init container, a sidecar. */
export const restartsAlways = (v: DocView, node: Node | undefined): boolean => v.str(v.get(node, 'restartPolicy')) === 'Always'

/** A container that runs while the pod serves: an app container, or a sidecar. */
export const keepsRunning = (v: DocView, c: Container): boolean => !c.init || restartsAlways(v, c.node)

/**
 * A container running the Kubernetes pause image (see `isPauseImage`): a placeholder that holds
 * the pod's place and requests, not a workload, so the rules on an app's health, resources and
 * user have nothing to say about it.
 */
export function runsPauseImage(v: DocView, c: Container): boolean {
  return isPauseImage(v.str(v.get(c.node, 'image')) ?? '')
}

/**
 * A container that only holds a place: the pause image, or any image whose whole command idles
 * (see `onlyIdles`, an image pre-puller's `sleep infinity`). The probe rules have nothing to say
 * about it: nothing to hang or serve.
 */
export function holdsPlaceOnly(v: DocView, c: Container): boolean {
  return runsPauseImage(v, c) || onlyIdles(v, c)
}

/**
 * A container that uses next to no CPU or memory, so the resource rules have nothing to say about
 * it: the pause image, or an app container whose whole command idles beside another app container
 * that does the pod's work (an image pre-puller). A lone idle container is rather a shell people
 * `kubectl exec` into: what they run there uses its resources.
 */
export function usesNoResources(v: DocView, pod: PodSpec, c: Container): boolean {
  if (runsPauseImage(v, c)) return true
  if (c.init || !onlyIdles(v, c)) return false
  return containersOf(v, pod).some((other) => !other.init && other.node !== c.node && !holdsPlaceOnly(v, other))
}

/**
 * Whether a container's whole command only idles (see `commandOnlyIdles`). No `command:` runs the
 * image's own entrypoint: not idle whatever the `args:`.
 */
function onlyIdles(v: DocView, c: Container): boolean {
  const words = (key: string): (string | undefined)[] => v.items(v.get(c.node, key)).map((item) => v.str(item))
  return commandOnlyIdles(words('command'), words('args'))
}

/** Kinds whose pod spec sits at `spec.template.spec`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'])

/** Every object of a document: the document itself, or the items of a List. */
export function objectsOf(view: DocView, root: Node | undefined): K8sObject[] {
  const node = view.deref(root)
  if (!isMap(node)) return []
  const kind = view.str(view.get(node, 'kind'))
  if (!kind) return []
  if (/List$/.test(kind) && view.get(node, 'items') !== undefined) {
    return view.items(view.get(node, 'items')).flatMap((item) => objectsOf(view, item))
  }
  const metadata = view.get(node, 'metadata')
  return [
    {
      kind,
      name: view.str(view.get(metadata, 'name')) ?? '(unnamed)',
      namespace: view.str(view.get(metadata, 'namespace')),
      node,
      view
    }
  ]
}

/** The pod spec of a workload (or of any object with a pod template), or undefined. Read once per object. */
export function podSpecOf(obj: K8sObject): PodSpec | undefined {
  if (obj.podSpec === undefined) obj.podSpec = readPodSpec(obj) ?? null
  return obj.podSpec ?? undefined
}

function readPodSpec(obj: K8sObject): PodSpec | undefined {
  const v = obj.view
  const spec = v.get(obj.node, 'spec')
  if (obj.kind === 'Pod') {
    if (!isMap(spec)) return undefined
    const restart = v.str(v.get(spec, 'restartPolicy'))
    return {
      node: spec,
      line: v.keyLine(obj.node, 'spec'),
      ...labelling(v, v.get(obj.node, 'metadata')),
      runToCompletion: restart === 'Never' || restart === 'OnFailure'
    }
  }
  if (obj.kind === 'CronJob') return templateSpec(v, v.at(spec, ['jobTemplate', 'spec']), true)
  if (TEMPLATE_KINDS.has(obj.kind)) return templateSpec(v, spec, obj.kind === 'Job')
  // Other kinds with a pod template (Knative, Argo Rollouts, …): recognised by their containers.
  // Not a kind Kubernetes defines without pods (a policy, a quota, …), even when a malformed
  // manifest gives it `containers`.
  if (POD_LESS_KINDS.has(obj.kind) && isBuiltInApi(v.str(v.get(obj.node, 'apiVersion')))) return undefined
  const viaTemplate = templateSpec(v, spec, false)
  // An operator labels the pods it makes of a custom resource's template as it needs.
  if (viaTemplate && v.get(viaTemplate.node, 'containers') !== undefined) return { ...viaTemplate, unlabeled: false }
  if (isMap(spec) && v.get(spec, 'containers') !== undefined) {
    return { node: spec, line: v.keyLine(obj.node, 'spec'), ...labelling(v, v.get(obj.node, 'metadata')), runToCompletion: false, unlabeled: false }
  }
  return undefined
}

/** `v1`, `apps/v1`, `policy/v1beta1`, `networking.k8s.io/v1`, …: an API group Kubernetes itself serves. */
export function isBuiltInApi(apiVersion: string | undefined): boolean {
  if (!apiVersion) return false
  const slash = apiVersion.indexOf('/')
  if (slash < 0) return true
  const group = apiVersion.slice(0, slash)
  return group === 'apps' || group === 'batch' || group === 'policy' || group === 'extensions' || group === 'autoscaling' || group.endsWith('.k8s.io')
}

/** Built-in kinds that never run pods themselves (`Service` is left out: Knative's has a pod template). */
const POD_LESS_KINDS = new Set([
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'LimitRange',
  'ResourceQuota',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Namespace',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'Ingress',
  'HorizontalPodAutoscaler',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'CustomResourceDefinition'
])

function templateSpec(v: DocView, spec: Node | undefined, runToCompletion: boolean): PodSpec | undefined {
  const template = v.get(spec, 'template')
  const podSpec = v.get(template, 'spec')
  if (!isMap(podSpec)) return undefined
  return {
    node: podSpec,
    line: v.keyLine(template, 'spec'),
    ...labelling(v, v.get(template, 'metadata')),
    runToCompletion
  }
}

/**
 * The labels a pod's metadata gives it, and whether it gives none: no `labels:` key, or one holding
 * an empty map. A `labels:` value of another shape (text, a list) may still stand for some.
 */
function labelling(v: DocView, metadata: Node | undefined): { labels: Record<string, string>; unlabeled: boolean } {
  const node = v.get(metadata, 'labels')
  const labels = labelsOf(v, node)
  return { labels, unlabeled: node === undefined || (isMap(node) && v.entries(node).length === 0) }
}

export function labelsOf(v: DocView, node: Node | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of v.entries(node)) {
    const value = v.str(e.value)
    if (value !== undefined) setOwn(out, e.key, value)
  }
  return out
}

/** Containers and init containers of a pod spec. */
export function containersOf(v: DocView, podSpec: PodSpec): Container[] {
  const out: Container[] = []
  for (const [key, init] of [['initContainers', true], ['containers', false]] as const) {
    v.items(v.get(podSpec.node, key)).forEach((node, i) => {
      if (!isMap(node)) return
      out.push({ node, name: v.str(v.get(node, 'name')) ?? `#${i + 1}`, init, line: v.line(node) })
    })
  }
  return out
}

/** A numeric scalar (e.g. `replicas`), or undefined when absent or not a number. */
export function numberAt(v: DocView, node: Node | undefined): number | undefined {
  const s = v.str(node)
  if (s === undefined || !/^-?\d+$/.test(s.trim())) return undefined
  return Number(s)
}

/** True for a YAML boolean true (or the string "true"). */
export function isTrue(v: DocView, node: Node | undefined): boolean {
  return v.str(node)?.toLowerCase() === 'true'
}

export function isFalse(v: DocView, node: Node | undefined): boolean {
  return v.str(node)?.toLowerCase() === 'false'
}
