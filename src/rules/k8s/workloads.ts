/**
 * Workload-level checks (Deployment, StatefulSet, DaemonSet): replicas, disruption budgets,
 * spreading, rollout strategy and revision history. PodDisruptionBudgets and autoscalers are
 * looked up among the other objects of the same file.
 */
import type { Finding } from '../../types.js'
import type { Node } from '../parse/yaml.js'
import { isMap, isSeq } from '../parse/yaml.js'
import { K8S } from './meta.js'
import { containersOf, isBuiltInApi, isTrue, keepsRunning, labelsOf, numberAt, podSpecOf, restartsAlways, type Container, type K8sObject, type PodPorts, type PodSpec } from './objects.js'
import { isSingleInstanceDatastore } from '../container-common.js'
import type { DocView } from './view.js'
import { readSelector, selectorMatches, type LabelSelector } from './selectors.js'
import type { CheckContext } from './containers.js'
import { lineText, replaceScalarOnLine } from './view.js'
import { podSecurityOf, type PodSecurityIndex } from './pod-security.js'

/** What the other objects of the manifest set (the file, or its folder) say about a workload. */
export interface StreamIndex {
  /** How messages name the set the lookups covered: "this file" or "its folder". */
  scope: string
  budgets: { namespace?: string; selector: LabelSelector }[]
  autoscalers: { namespace?: string; kind: string; name: string; minReplicas: number }[]
  networkPolicies: { namespace?: string; selector: LabelSelector }[]
  serviceAccounts: { namespace?: string; name: string; automount?: boolean }[]
  /** Services an Ingress routes to (instance-mode ingress controllers need them to be NodePort). */
  ingressBackends: { namespace?: string; name: string }[]
  /** Labels of the pods every workload of the set runs, with the workload and its pod spec (for what its controller adds, and the ports it declares). */
  pods: { namespace?: string; labels: Record<string, string>; workload: K8sObject; spec: PodSpec }[]
  /** Selectors of the Services of the set (those with a selector), with their ports and whether they are headless (`clusterIP: None`). */
  services: { namespace?: string; name: string; selector: Record<string, string>; ports: ServicePort[]; headless: boolean }[]
  /**
   * Custom resources shaped like what an operator turns into pods (a spec with replicas,
   * instances, members, an image or a version): the pods of those carry labels no manifest shows.
   */
  operatorWorkloads: { namespace?: string; kind: string }[]
  /** The PersistentVolumeClaims of the set by name, with their namespace and the access modes they ask for. */
  claims: Map<string, { namespace?: string; accessModes: string[] }[]>
  /** Image names a kustomization deploying the set pins (`images: [{name, newTag | digest}]`). */
  pinnedImages: Set<string>
  /** Image names a kustomization deploying the set lists under `images:` as a slot the build fills in (see `imageSlotNames` in folder.ts). */
  imageSlots: Set<string>
  /** Whether a kustomization builds the set: one in its folder, or one that includes the folder. */
  kustomized: boolean
  /** The Pod Security levels the set's Namespaces enforce, and the namespaces its objects are deployed to. */
  podSecurity: PodSecurityIndex
}

/**
 * A port of a Service: its name, and the pod port it targets (`targetPort`, else `port`: a number
 * or a port name; '' when unreadable). Whether it reaches callers depends on the pod (see `reachAt`).
 */
export interface ServicePort {
  name?: string
  target: string
}

/** Spec keys by which a custom resource asks its operator for pods. */
const OPERATOR_WORKLOAD_KEYS = ['replicas', 'instances', 'numberOfInstances', 'members', 'nodeSets', 'image', 'version', 'size']

export function indexStream(objects: K8sObject[], scope = 'this file'): StreamIndex {
  const index: StreamIndex = { scope, budgets: [], autoscalers: [], networkPolicies: [], serviceAccounts: [], ingressBackends: [], pods: [], services: [], operatorWorkloads: [], claims: new Map(), pinnedImages: new Set(), imageSlots: new Set(), kustomized: false, podSecurity: podSecurityOf(objects) }
  for (const obj of objects) {
    const v = obj.view
    const pod = podSpecOf(obj)
    if (pod) index.pods.push({ namespace: obj.namespace, labels: pod.labels, workload: obj, spec: pod })
    else if (!isBuiltInApi(v.str(v.get(obj.node, 'apiVersion'))) && isMap(v.get(obj.node, 'spec'))) {
      const spec = v.get(obj.node, 'spec')
      if (OPERATOR_WORKLOAD_KEYS.some((k) => v.get(spec, k) !== undefined)) index.operatorWorkloads.push({ namespace: obj.namespace, kind: obj.kind })
    }
    if (obj.kind === 'Service') {
      const selector = labelsOf(v, v.at(obj.node, ['spec', 'selector']))
      if (Object.keys(selector).length) {
        const ports = v.items(v.at(obj.node, ['spec', 'ports'])).map((p) => ({ name: v.str(v.get(p, 'name')), target: (v.str(v.get(p, 'targetPort')) ?? v.str(v.get(p, 'port')) ?? '').trim() }))
        const headless = v.str(v.at(obj.node, ['spec', 'clusterIP']))?.trim() === 'None'
        index.services.push({ namespace: obj.namespace, name: obj.name, selector, ports, headless })
      }
    } else if (obj.kind === 'Ingress') {
      const spec = v.get(obj.node, 'spec')
      const backends = [v.get(spec, 'defaultBackend'), v.get(spec, 'backend')]
      for (const rule of v.items(v.get(spec, 'rules'))) for (const p of v.items(v.at(rule, ['http', 'paths']))) backends.push(v.get(p, 'backend'))
      for (const b of backends) {
        const name = v.str(v.at(b, ['service', 'name'])) ?? v.str(v.get(b, 'serviceName'))
        if (name) index.ingressBackends.push({ namespace: obj.namespace, name })
      }
    } else if (obj.kind === 'NetworkPolicy') {
      // An empty or absent podSelector selects every pod of the namespace.
      const selector = readSelector(v, v.at(obj.node, ['spec', 'podSelector'])) ?? { matchLabels: {}, expressions: [] }
      index.networkPolicies.push({ namespace: obj.namespace, selector })
    } else if (obj.kind === 'ServiceAccount') {
      const automount = v.str(v.get(obj.node, 'automountServiceAccountToken'))?.toLowerCase()
      index.serviceAccounts.push({ namespace: obj.namespace, name: obj.name, automount: automount === undefined ? undefined : automount === 'true' })
    } else if (obj.kind === 'PersistentVolumeClaim') {
      const accessModes = v.items(v.at(obj.node, ['spec', 'accessModes'])).map((m) => v.str(m) ?? '')
      const named = index.claims.get(obj.name)
      if (named) named.push({ namespace: obj.namespace, accessModes })
      else index.claims.set(obj.name, [{ namespace: obj.namespace, accessModes }])
    } else if (obj.kind === 'PodDisruptionBudget') {
      const selector = readSelector(v, v.at(obj.node, ['spec', 'selector']))
      if (selector) index.budgets.push({ namespace: obj.namespace, selector })
    } else if (obj.kind === 'ScaledObject' && /^keda\.sh\//.test(v.str(v.get(obj.node, 'apiVersion')) ?? '')) {
      // KEDA drives an HPA of its own for the target (a Deployment unless it says otherwise); it may scale to zero.
      const spec = v.get(obj.node, 'spec')
      const target = v.get(spec, 'scaleTargetRef')
      index.autoscalers.push({ namespace: obj.namespace, kind: v.str(v.get(target, 'kind')) ?? 'Deployment', name: v.str(v.get(target, 'name')) ?? '', minReplicas: numberAt(v, v.get(spec, 'minReplicaCount')) ?? 0 })
    } else if (obj.kind === 'Rollout' && /^argoproj\.io\//.test(v.str(v.get(obj.node, 'apiVersion')) ?? '')) {
      // Argo Rollouts writes its canary and stable Services into the ALB Ingress it names: they are that Ingress's backends.
      const strategy = v.at(obj.node, ['spec', 'strategy'])
      for (const mode of ['canary', 'blueGreen']) {
        const plan = v.get(strategy, mode)
        if (v.at(plan, ['trafficRouting', 'alb']) === undefined) continue
        for (const key of ['canaryService', 'stableService', 'activeService', 'previewService']) {
          const name = v.str(v.get(plan, key))
          if (name) index.ingressBackends.push({ namespace: obj.namespace, name })
        }
      }
    } else if (obj.kind === 'HorizontalPodAutoscaler') {
      const spec = v.get(obj.node, 'spec')
      const target = v.get(spec, 'scaleTargetRef')
      index.autoscalers.push({
        namespace: obj.namespace,
        kind: v.str(v.get(target, 'kind')) ?? '',
        name: v.str(v.get(target, 'name')) ?? '',
        minReplicas: numberAt(v, v.get(spec, 'minReplicas')) ?? 1
      })
    }
  }
  return index
}

/** Port names by which a Service or a container offers only metrics for a scraper to read. */
const METRICS_PORT_NAMES = new Set(['metrics', 'http-metrics', 'https-metrics', 'prometheus'])

/** Whether a port name (a Service's, a container's, or a `targetPort` naming one) names a metrics port. */
export const isMetricsPortName = (name: string | undefined): boolean => name !== undefined && METRICS_PORT_NAMES.has(name.trim().toLowerCase())

/**
 * A literal port name as Kubernetes takes it (an IANA service name): at most 15 lowercase letters,
 * digits and single inner hyphens, with a letter. Not a number, nor a template's or a script's
 * placeholder.
 */
const PORT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const isPortName = (text: string): boolean => text.length <= 15 && PORT_NAME.test(text) && /[a-z]/.test(text)

/** What a Service's port reaches at a pod: see `reachAt`. */
type PortReach = 'nowhere' | 'metrics' | 'metrics-by-target' | 'unnamed' | 'other'

/** How a Service reaches the pods of one workload: whether it brings them callers, and what the message says of its ports when it does not. */
interface ServiceReach {
  name: string
  callers: boolean
  /** No port of it reaches the pod: every one targets by name a port the pod does not declare. */
  nowhere: boolean
  /** Ports counted as metrics by the container port they target only (`https` targeting `metrics`), as `port → target`. */
  byTarget: { port: string; target: string }[]
  /** The named targets of its ports that the pod does not declare. */
  deadTargets: string[]
}

/**
 * How a Service reaches a pod (`names`: the port names it can resolve to there, see `resolvablePortNames`;
 * undefined when they may not all be in view). A port of a Service with a cluster IP reaches
 * nothing when it targets by name a port the pod does not declare: Kubernetes cannot resolve the
 * name, so no traffic is forwarded to the pod through it (a headless Service still publishes the
 * pod's address, so its ports always count). A number (or no `targetPort`) may reach a port no
 * container declares: it counts. A port is a metrics one when named as such (by its own name, else
 * the container port name it targets) or, in a Service named for metrics (`…-metrics-service`),
 * when it targets a metrics port the pod's running containers declare (by name or number) and
 * declare under no other name, whatever the port is called. The Service brings no callers when none
 * of its ports (at least one) reaches the pod, or when those that do are all metrics ones, or,
 * where some go unnamed (a bare number) and none is named otherwise, it is named `*-metrics`. A
 * port named anything else (`http`) is served whatever the Service is called. Only a metrics
 * scraper calls a metrics Service; it makes no caller wait on the pods it selects.
 */
function reachAt(service: StreamIndex['services'][number], ports: PodPorts, names: Set<string> | undefined): ServiceReach {
  // A headless Service publishes the pod's address whatever its ports resolve to: callers reach it by DNS.
  const resolvable = service.headless ? undefined : names
  // Its name says metrics too (`operator-metrics-service`), so a port called otherwise is the metrics
  // one it targets: an app whose API port is named for metrics (Pushgateway's, Loki's) has a Service
  // named for the app.
  const namedForMetrics = service.name.toLowerCase().split(/[-_.]/).includes('metrics')
  const alsoServed = new Set(ports.otherPorts.flat())
  const reach = service.ports.map((p): PortReach => {
    if (resolvable !== undefined && isPortName(p.target) && !resolvable.has(p.target)) return 'nowhere'
    const label = p.name ?? p.target
    if (isMetricsPortName(label)) return 'metrics'
    if (namedForMetrics && ports.metricsKeys.has(p.target) && !alsoServed.has(p.target)) return 'metrics-by-target'
    return /^\d*$/.test(label.trim()) ? 'unnamed' : 'other'
  })
  const live = reach.filter((r) => r !== 'nowhere')
  const metricsOnly = live.length > 0 && !live.includes('other') && (!live.includes('unnamed') || /-metrics$/i.test(service.name))
  const nowhere = reach.length > 0 && live.length === 0
  return {
    name: service.name,
    callers: !metricsOnly && !nowhere,
    nowhere,
    byTarget: service.ports.filter((_, i) => reach[i] === 'metrics-by-target').map((p) => ({ port: p.name ?? p.target, target: p.target })),
    deadTargets: [...new Set(service.ports.filter((_, i) => reach[i] === 'nowhere').map((p) => p.target))]
  }
}

/** Namespaces match when equal, or when either side leaves it to the apply context. */
export const sameNamespace = (a?: string, b?: string): boolean => a === undefined || b === undefined || a === b

const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet'])

/**
 * Whether some Service of the set routes to the pods: `false` only when the set has Services of
 * the namespace and none selects them (a queue worker next to the web Services), else unknown.
 */
export function servedByService(stream: StreamIndex | undefined, obj: K8sObject, pod: PodSpec): boolean | undefined {
  // One pass, no list of the namespace's Services: asked for every container of every pod.
  let anyInNamespace = false
  for (const s of stream?.services ?? []) {
    if (!sameNamespace(s.namespace, obj.namespace)) continue
    anyInNamespace = true
    if (selectsPod(s, pod)) return true
  }
  return anyInNamespace ? false : undefined
}

/** Whether a Service's selector picks the pod's labels. */
const selectsPod = (service: { selector: Record<string, string> }, pod: PodSpec): boolean => Object.entries(service.selector).every(([k, val]) => pod.labels[k] === val)

/**
 * Whether a container declares a port it listens on (a `ports:` entry with a `containerPort`).
 * A `ports:` value that is no list but some text (a template's) may hold ports: taken as declaring.
 */
export function declaresPort(v: DocView, c: Container): boolean {
  const ports = v.get(c.node, 'ports')
  if (isSeq(ports)) return v.items(ports).some((p) => v.get(p, 'containerPort') !== undefined)
  return ports !== undefined && (v.str(ports)?.trim() ?? '') !== ''
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe']
/** Names of ports kept for the kubelet's probes. */
const PROBE_PORT_NAME = /^(?:probes?|healthz?|health[-_]?(?:check|port|probe)|liveness|readiness)$/i
const PROBE_HANDLERS = ['httpGet', 'tcpSocket', 'grpc']

/** The ports (numbers or names, as written) a container's own probes call. */
function probedPortKeys(v: DocView, c: Container): Set<string> {
  const keys = new Set<string>()
  for (const probe of PROBES) {
    for (const handler of PROBE_HANDLERS) {
      const port = v.str(v.at(c.node, [probe, handler, 'port']))?.trim()
      if (port) keys.add(port)
    }
  }
  return keys
}

/** The ports a pod's containers declare, kept on the pod: a pod of many portless containers would otherwise be read once per container. */
export function podPorts(v: DocView, pod: PodSpec): PodPorts {
  if (pod.ports) return pod.ports
  const found: PodPorts = { anyDeclared: false, keys: new Set(), otherPorts: [], probedPorts: [], metricsKeys: new Set() }
  for (const c of containersOf(v, pod)) {
    if (!declaresPort(v, c)) continue
    found.anyDeclared = true
    const ports = v.get(c.node, 'ports')
    // Ports given as text (a template's) may be anything: no Service target can tell them apart.
    if (!isSeq(ports)) found.otherPorts.push([])
    const probed = probedPortKeys(v, c)
    for (const p of v.items(ports)) {
      if (v.get(p, 'containerPort') === undefined) continue
      const keys = [v.str(v.get(p, 'containerPort')), v.str(v.get(p, 'name'))].map((key) => key?.trim() ?? '').filter((key) => key !== '')
      for (const key of keys) found.keys.add(key)
      if (isMetricsPortName(v.str(v.get(p, 'name')))) {
        if (keepsRunning(v, c)) for (const key of keys) found.metricsKeys.add(key)
        continue
      }
      // A port named for the probes (`probes`, `healthz`): the kubelet is its caller. A probed `http` port may serve traffic too.
      if (keys.some((key) => probed.has(key)) && PROBE_PORT_NAME.test(v.str(v.get(p, 'name'))?.trim() ?? '')) found.probedPorts.push(keys)
      else found.otherPorts.push(keys)
    }
  }
  pod.ports = found
  return found
}

/**
 * The port names a Service's named `targetPort` can resolve to at a pod: those its containers and
 * its sidecars (init containers with `restartPolicy: Always`) declare, the only ones Kubernetes
 * looks up. Read only where a Service selects the pod (`servesNoCaller`). Undefined as soon as one
 * may be out of sight: containers, a container, its ports or a port given as anything but a literal
 * (a template's text, a YAML merge key), or a port name that is no literal port name (a
 * placeholder).
 */
function resolvablePortNames(v: DocView, pod: PodSpec): Set<string> | undefined {
  const names = new Set<string>()
  for (const key of ['containers', 'initContainers']) {
    const list = v.get(pod.node, key)
    if (list === undefined) continue
    if (!isSeq(list)) return undefined
    for (const node of v.items(list)) {
      if (!isMap(node) || v.pair(node, '<<')) return undefined
      if (key === 'initContainers' && !restartsAlways(v, node)) continue
      const ports = v.get(node, 'ports')
      if (ports === undefined) continue
      if (!isSeq(ports)) return undefined
      for (const port of v.items(ports)) {
        if (!isMap(port) || v.pair(port, '<<')) return undefined
        if (v.get(port, 'name') === undefined) continue
        const name = v.str(v.get(port, 'name'))?.trim() ?? ''
        if (!isPortName(name)) return undefined
        names.add(name)
      }
    }
  }
  return names
}

/**
 * Whether no Service can select the pods: their metadata gives them no labels, and no kustomization
 * deploys the set (its `labels:` or `commonLabels:` may add some).
 */
const unselectable = (stream: StreamIndex | undefined, pod: PodSpec): boolean => pod.unlabeled && stream?.kustomized !== true

/**
 * Why Service traffic does not reach a container, as far as the set shows: `unlabeled` when the
 * pod carries no labels (see `unselectable`), whatever ports it declares; for a container that
 * declares no port, `other-containers` when Services of the set select the pod and every port
 * they target is one another container of the pod declares (by number or name: a config reloader
 * beside the server), `no-service` when no container of the pod declares a port and no Service of
 * the set selects it (a controller or worker; a Service outside the set could still target an
 * undeclared port). Undefined otherwise. The ports the pod declares are all other containers'
 * then, since this one declares none.
 */
export function unroutedContainer(stream: StreamIndex | undefined, obj: K8sObject, pod: PodSpec, c: Container): 'unlabeled' | 'other-containers' | 'no-service' | undefined {
  if (unselectable(stream, pod)) return 'unlabeled'
  const v = obj.view
  if (declaresPort(v, c)) return undefined
  const ports = podPorts(v, pod)
  const selecting = (stream?.services ?? []).filter((s) => sameNamespace(s.namespace, obj.namespace) && selectsPod(s, pod))
  if (selecting.length === 0) return ports.anyDeclared ? undefined : 'no-service'
  const elsewhere = selecting.every((s) => s.ports.length > 0 && s.ports.every((p) => ports.keys.has(p.target)))
  return elsewhere ? 'other-containers' : undefined
}

/**
 * Why a workload serves no caller in view (see `servesNoCaller`): the Services selecting it, when
 * they only expose metrics or reach it nowhere, and whether its containers declare any port.
 */
type NoCaller = { why: 'unlabeled' } | { why: 'no-port' } | { why: 'no-caller-services'; services: ServiceReach[]; probed: string[]; anyDeclared: boolean }

/**
 * Why a workload serves no caller the set shows, or undefined when it may: its pods carry no
 * labels (see `unselectable`); or no Service of the set selecting its pods brings them callers (it
 * only exposes metrics or reaches them nowhere, see `reachAt`) and every port its containers
 * declare is a metrics one, by its name or as the target of such a Service (a controller or a
 * queue worker, perhaps scraped for metrics), or one only its own container's probes call (an
 * operator's `probes` port: the kubelet is its one caller). A probed port counts so only when such
 * a Service of the set selects the pods and none targets it: with no Service in view, one
 * elsewhere may well route to a web server's probed `http` port. A Service targeting a port name
 * the pod does not declare is read as reaching nothing only outside a kustomization, whose patches
 * may add the container or port it names. A rollout or a drain pauses its work; no request fails.
 */
export function servesNoCaller(stream: StreamIndex | undefined, obj: K8sObject, pod: PodSpec): NoCaller | undefined {
  // On the host's network a pod serves at the node's address whatever it declares.
  if (isTrue(obj.view, obj.view.get(pod.node, 'hostNetwork'))) return undefined
  if (unselectable(stream, pod)) return { why: 'unlabeled' }
  const selecting = (stream?.services ?? []).filter((s) => sameNamespace(s.namespace, obj.namespace) && selectsPod(s, pod))
  const ports = podPorts(obj.view, pod)
  const names = stream?.kustomized === true || selecting.length === 0 ? undefined : resolvablePortNames(obj.view, pod)
  const reached = selecting.map((s) => reachAt(s, ports, names))
  if (reached.some((r) => r.callers)) return undefined
  const scraped = new Set(selecting.flatMap((s) => s.ports.map((p) => p.target)))
  if (ports.otherPorts.some((keys) => !keys.some((key) => scraped.has(key)))) return undefined
  const probed = ports.probedPorts.filter((keys) => !keys.some((key) => scraped.has(key)))
  if (probed.length > 0 && selecting.length === 0) return undefined
  // Named by its name where it has one (`probes`), else its number.
  const probedNames = probed.map((keys) => keys[keys.length - 1])
  const services = reached.filter((r, i) => reached.findIndex((other) => other.name === r.name) === i)
  return selecting.length > 0 || ports.anyDeclared ? { why: 'no-caller-services', services, probed: probedNames, anyDeclared: ports.anyDeclared } : { why: 'no-port' }
}

/** Why a workload serving no caller in view is low, for the messages of the rules that assume it serves traffic. */
function noCallerClause(noCaller: NoCaller, stream: StreamIndex | undefined): string {
  const scope = stream?.scope ?? 'this file'
  const paused = 'a controller or worker, which a rollout or a drain pauses'
  if (noCaller.why === 'unlabeled') return `its pods carry no labels, so no Service can select them and it serves no caller in view: ${paused}`
  if (noCaller.why === 'no-port') return `no container declares a port and no Service in ${scope} selects its pods, so it serves no caller in view: ${paused}`
  const exposing = noCaller.services.some((s) => !s.nowhere)
  const services = noCaller.services.length > 0 ? `the only Services in ${scope} selecting its pods (${servicesFound(noCaller.services)}) ${!exposing ? 'route nowhere' : noCaller.services.some((s) => s.nowhere) ? 'expose metrics or route nowhere' : 'expose metrics'}` : `no Service in ${scope} selects its pods`
  // Services that all route nowhere, to a pod that declares no port: no scraper in view either.
  if (!exposing && noCaller.services.length > 0 && !noCaller.anyDeclared) return `${services} and its containers declare no port, so it serves no caller in view: ${paused}`
  const declared =
    noCaller.probed.length > 0
      ? `its containers declare no port but a metrics one and ${noCaller.probed.map((n) => `\`${n}\``).join(', ')}, which only their own probes call (the kubelet's health checks)`
      : 'its containers declare no port but a metrics one'
  return `${services} and ${declared}, so it serves no caller in view but a metrics scraper, for which a pause only leaves a gap: ${paused}`
}

/**
 * The Services of a no-caller message, each with what was found of its ports when more than its
 * metrics names: a port that targets a metrics port under another name, a named target the pod
 * does not declare.
 */
function servicesFound(services: ServiceReach[]): string {
  const quoted = (names: string[]): string => names.map((n) => `\`${n}\``).join(', ')
  const described = services.map((s) => {
    const found = [
      ...s.byTarget.map((p) => `its port \`${p.port}\` targets the metrics port \`${p.target}\` of its containers`),
      ...(s.deadTargets.length > 0
        ? [`${s.deadTargets.length > 1 ? `its \`targetPort\`s ${quoted(s.deadTargets)} name ports` : `its \`targetPort: ${s.deadTargets[0]}\` names a port`} no container of the pod declares, which Kubernetes cannot resolve`]
        : [])
    ]
    return found.length > 0 ? `\`${s.name}\`: ${found.join(', and ')}` : `\`${s.name}\``
  })
  return described.join(services.some((s) => s.byTarget.length > 0 || s.deadTargets.length > 0) ? '; ' : ', ')
}

/** Replicas, disruption budget and spreading of a Deployment or StatefulSet. */
export function checkReplication(ctx: CheckContext, obj: K8sObject, pod: PodSpec, stream: StreamIndex): Finding[] {
  if (!REPLICATED_KINDS.has(obj.kind)) return []
  const v = obj.view
  const spec = v.get(obj.node, 'spec')
  const hpa = stream.autoscalers.find((a) => a.kind === obj.kind && a.name === obj.name && sameNamespace(a.namespace, obj.namespace))
  const declared = numberAt(v, v.get(spec, 'replicas'))
  // An autoscaler owns the replica count; its minimum is what the workload can drop to.
  const replicas = hpa ? hpa.minReplicas : declared
  const out: Finding[] = []

  if (!hpa && declared === 1) {
    const line = v.keyLine(spec, 'replicas')
    const message = `${obj.kind} \`${obj.name}\` runs a single replica`
    const writer = singleWriterClaim(obj, pod, stream)
    const noCaller = writer ? undefined : servesNoCaller(stream, obj, pod)
    out.push(
      writer
        ? ctx.report(K8S.singleReplica, line, `${message} (low: ${singleWriterClause(writer)})`, { severity: 'low' })
        : noCaller
          ? // A second copy of a worker doubles its work (a load generator's output) and may need leader election.
            ctx.report(K8S.singleReplica, line, `${message} (low: ${noCallerClause(noCaller, stream)})`, { severity: 'low' })
          : ctx.report(K8S.singleReplica, line, message, {
            suggestion: canSuggestTwoReplicas(obj, pod) ? replaceScalarOnLine(lineText(ctx.content, line), 'replicas', /^1$/, '2') : undefined
          })
    )
  }
  if (replicas === undefined || replicas < 2) return out

  const selectorLabels = readSelector(v, v.get(spec, 'selector'))?.matchLabels ?? {}
  const covered = stream.budgets.some(
    (b) => sameNamespace(b.namespace, obj.namespace) && (selectorMatches(b.selector, pod.labels) || selectorMatches(b.selector, selectorLabels))
  )
  if (!covered) {
    const selector = v.get(spec, 'selector')
    const line = v.pair(selector, 'matchLabels') ? v.keyLine(selector, 'matchLabels') : v.keyLine(spec, 'selector')
    out.push(ctx.report(K8S.noPodDisruptionBudget, line, `${obj.kind} \`${obj.name}\` (${replicas} replicas) has no PodDisruptionBudget in ${stream.scope}`))
  }
  out.push(...checkSpreading(ctx, obj, pod, replicas))
  return out
}

/**
 * Doubling the replicas is a safe mechanical fix only for a stateless Deployment: a StatefulSet,
 * a pod with a claimed volume or a `Recreate` rollout usually cannot run two copies side by side,
 * and a second pod of a single-instance datastore (`postgres`, `redis`…) behind the same Service
 * is a second, empty database that gets half the connections.
 */
function canSuggestTwoReplicas(obj: K8sObject, pod: PodSpec): boolean {
  const v = obj.view
  if (obj.kind !== 'Deployment') return false
  if (v.str(v.at(obj.node, ['spec', 'strategy', 'type'])) === 'Recreate') return false
  if (containersOf(v, pod).some((c) => !c.init && isSingleInstanceDatastore(v.str(v.get(c.node, 'image')) ?? ''))) return false
  return claimVolumes(v, pod).length === 0
}

/** The `persistentVolumeClaim` sources of the pod's volumes: claims every replica of the workload mounts alike. */
function claimVolumes(v: DocView, pod: PodSpec): Node[] {
  return v
    .items(v.get(pod.node, 'volumes'))
    .map((vol) => v.get(vol, 'persistentVolumeClaim'))
    .filter((claim): claim is Node => claim !== undefined)
}

/** A claim that keeps a workload to one pod: its name, and the access modes the set shows for it (undefined: the claim is not in the set). */
interface WriterClaim {
  name: string
  accessModes?: string[]
}

/** Access modes under which pods on several nodes mount one volume. */
const SHARED_ACCESS = new Set(['ReadWriteMany', 'ReadOnlyMany'])

/**
 * The claim that keeps a Deployment or StatefulSet to a single pod: one its pod template mounts by
 * a fixed name (not a template expression), so every replica would mount that same volume, and
 * that no claim of the set shares across nodes (`ReadWriteMany`, `ReadOnlyMany`). A claim the set
 * does not show is taken as ReadWriteOnce, the usual mode. Undefined when there is none.
 */
function singleWriterClaim(obj: K8sObject, pod: PodSpec, stream: StreamIndex): WriterClaim | undefined {
  const v = obj.view
  for (const source of claimVolumes(v, pod)) {
    const name = v.str(v.get(source, 'claimName'))?.trim()
    if (name === undefined || name === '' || /\{\{|\$[({]/.test(name)) continue
    const declared = stream.claims.get(name)?.find((c) => sameNamespace(c.namespace, obj.namespace))
    if (declared?.accessModes.some((mode) => SHARED_ACCESS.has(mode))) continue
    return { name, accessModes: declared?.accessModes }
  }
  return undefined
}

/** Why a single replica mounting a claim by name is low: a second one could not work beside it. */
function singleWriterClause(claim: WriterClaim): string {
  const modes = claim.accessModes?.length ? `is ${claim.accessModes.map((m) => `\`${m}\``).join(', ')}` : 'is not in the set, so taken as `ReadWriteOnce`, the usual mode'
  return `its pod template mounts the claim \`${claim.name}\` by name, so every replica would mount that one volume; the claim ${modes}, whose volume attaches to one node at a time, and one data folder takes one writer. More replicas need a claim per pod (a StatefulSet's \`volumeClaimTemplates\`) and replication the application does itself`
}

function checkSpreading(ctx: CheckContext, obj: K8sObject, pod: PodSpec, replicas: number): Finding[] {
  const v = obj.view
  if (v.items(v.get(pod.node, 'topologySpreadConstraints')).length > 0) return []
  const antiAffinity = v.at(pod.node, ['affinity', 'podAntiAffinity'])
  const terms: Node[] = [
    ...v.items(v.get(antiAffinity, 'requiredDuringSchedulingIgnoredDuringExecution')),
    ...v.items(v.get(antiAffinity, 'preferredDuringSchedulingIgnoredDuringExecution')).map((p) => v.get(p, 'podAffinityTerm'))
  ].filter((t): t is Node => isMap(t))
  const selects = (term: Node): boolean => {
    const sel = readSelector(v, v.get(term, 'labelSelector'))
    return sel !== undefined && selectorMatches(sel, pod.labels)
  }
  if (terms.some(selects)) return []
  if (terms.length > 0) {
    const selector = v.get(terms[0], 'labelSelector')
    const line = v.pair(selector, 'matchLabels')
      ? v.keyLine(selector, 'matchLabels')
      : v.pair(selector, 'matchExpressions')
        ? v.keyLine(selector, 'matchExpressions')
        : v.line(terms[0])
    return [ctx.report(K8S.noAntiAffinity, line, `pod anti-affinity of ${obj.kind} \`${obj.name}\` does not select its own pods, so replicas are not spread`)]
  }
  return [ctx.report(K8S.noAntiAffinity, pod.line, `${obj.kind} \`${obj.name}\` (${replicas} replicas) has no pod anti-affinity or topology spread constraints`)]
}

/**
 * A single pod that cannot run twice side by side, so Recreate is how it must roll out: one
 * replica holding a volume claim (ReadWriteOnce, the usual access mode, attaches to one node at a
 * time, and two database processes must not share a data directory) or bound to a host port (a
 * second pod on the same node cannot bind it). With more replicas a rolling update works.
 */
function singleWriter(obj: K8sObject, pod: PodSpec, containers: Container[]): boolean {
  const v = obj.view
  const replicas = numberAt(v, v.get(v.get(obj.node, 'spec'), 'replicas'))
  const claims = claimVolumes(v, pod).length > 0
  const hostPort = containers.some((c) => v.items(v.get(c.node, 'ports')).some((p) => v.get(p, 'hostPort') !== undefined))
  return (hostPort || claims) && (replicas === undefined || replicas <= 1)
}

export function checkRollout(ctx: CheckContext, obj: K8sObject, pod: PodSpec, containers: Container[], stream?: StreamIndex): Finding[] {
  const v = obj.view
  const spec = v.get(obj.node, 'spec')
  const out: Finding[] = []
  if (obj.kind === 'Deployment') {
    const strategy = v.get(spec, 'strategy')
    if (v.str(v.get(strategy, 'type')) === 'Recreate' && !singleWriter(obj, pod, containers)) {
      const message = `Deployment \`${obj.name}\` uses the Recreate strategy: every rollout stops all pods first`
      const noCaller = servesNoCaller(stream, obj, pod)
      out.push(
        noCaller
          ? ctx.report(K8S.recreateStrategy, v.keyLine(strategy, 'type'), `${message} (low: ${noCallerClause(noCaller, stream)})`, { severity: 'low' })
          : ctx.report(K8S.recreateStrategy, v.keyLine(strategy, 'type'), message)
      )
    }
    if (v.get(spec, 'minReadySeconds') === undefined) {
      out.push(ctx.report(K8S.noMinReadySeconds, v.keyLine(obj.node, 'spec'), `Deployment \`${obj.name}\` sets no \`minReadySeconds\``))
    }
  }
  if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(obj.kind) && numberAt(v, v.get(spec, 'revisionHistoryLimit')) === 0) {
    out.push(ctx.report(K8S.noRevisionHistory, v.keyLine(spec, 'revisionHistoryLimit'), `${obj.kind} \`${obj.name}\` keeps no revision history to roll back to`))
  }
  return out
}
