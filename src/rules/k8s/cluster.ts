/** Checks on cluster objects that are not workloads: RBAC roles and bindings, Services. */
import type { Finding } from '../../types.js'
import { K8S } from './meta.js'
import { labelsOf, type K8sObject } from './objects.js'
import type { CheckContext } from './containers.js'
import { podPorts, sameNamespace, type StreamIndex } from './workloads.js'
import { controllerLabelFits, controllerOwnsLabel } from './controller-labels.js'
import { setOwn } from '../../util/lookup-table.js'

/**
 * API groups the Kubernetes API server serves itself (`""` is the core group). Groups that merely
 * end in `.k8s.io` (`gateway.networking.k8s.io`, `metrics.k8s.io`) come from CRDs or aggregated APIs.
 */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'extensions', 'rbac.authorization.k8s.io', 'admissionregistration.k8s.io',
  'certificates.k8s.io', 'networking.k8s.io', 'storage.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io',
  'flowcontrol.apiserver.k8s.io', 'node.k8s.io', 'scheduling.k8s.io', 'resource.k8s.io', 'apiextensions.k8s.io',
  'apiregistration.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'internal.apiserver.k8s.io', 'storagemigration.k8s.io'
])
const READ_VERBS = new Set(['get', 'list', 'watch'])

/**
 * Resources whose every verb gives more than a controller of ordinary objects needs: Secrets and
 * tokens, a shell or a port in a running pod, impersonation, RBAC itself, nodes, certificates,
 * admission webhooks and policies, cluster-wide storage and API definitions, namespaces (whose
 * deletion takes everything in them).
 */
const SENSITIVE_RESOURCES = new Set([
  'secrets', 'pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers', 'serviceaccounts', 'serviceaccounts/token',
  'users', 'groups', 'userextras', 'roles', 'clusterroles', 'rolebindings', 'clusterrolebindings', 'nodes', 'nodes/proxy',
  'certificatesigningrequests', 'certificatesigningrequests/approval', 'signers', 'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'persistentvolumes',
  'customresourcedefinitions', 'apiservices', 'namespaces', 'podsecuritypolicies'
])

// Subresources that a `resources` entry of `*` slash name grants on every resource carrying one,
// where that is as much as the sensitive resources above: a shell, a console or a port in any pod,
// the kubelet's API, any service account's token, a new container in a running pod, the approval of any certificate.
const SENSITIVE_SUBRESOURCES: ReadonlyMap<string, string> = new Map([
  ['exec', 'commands in any running container (`pods/exec`)'],
  ['attach', 'the console of any running container (`pods/attach`)'],
  ['portforward', 'any port of any pod (`pods/portforward`)'],
  ['proxy', "the kubelet's API and any pod's or Service's ports through the API server (`nodes/proxy` runs commands in the node's pods)"],
  ['token', 'a token of any service account (`serviceaccounts/token`)'],
  ['ephemeralcontainers', 'a new container in any running pod (`pods/ephemeralcontainers`)'],
  ['approval', 'the approval of any certificate request (`certificatesigningrequests/approval`), so a certificate for any identity']
])

// What the ordinary subresources change, for the message of an entry limited to such subresources of every resource.
const ORDINARY_SUBRESOURCES: ReadonlyMap<string, string> = new Map([
  ['status', 'reports state and changes no workload'],
  ['finalizers', "only holds or releases an object's deletion"],
  ['scale', 'changes replica counts, not what runs'],
  ['eviction', "evicts pods while honouring their PodDisruptionBudgets (what `delete` on pods does without them)"]
])

// The subresource an entry of `*` slash name (`*` + `/exec`) grants on every resource, or undefined for any other entry.
const everyResourceSubresource = (resource: string): string | undefined => (resource.startsWith('*/') && resource.length > 2 ? resource.slice(2).toLowerCase() : undefined)

/** HTTP methods that only read a non-resource URL: RBAC's verb for such a request is its lowercased method. */
const NON_RESOURCE_READ_VERBS = new Set(['get', 'head', 'options'])

/**
 * The severity of a `nonResourceURLs` entry holding a wildcard, with why. Such URLs are the API
 * server's own endpoints, no API object: discovery, `/healthz`, `/metrics`, `/logs` (files of the
 * control-plane host's /var/log), `/debug/pprof` (profiles) and `PUT /debug/flags/v` (the server's
 * log verbosity). Medium: none of them reaches an API object, a workload or a credential.
 */
function nonResourceReach(urls: (string | undefined)[], verbs: string[]): { severity: 'medium'; why: string } {
  const every = urls.some((url) => url === '*' || url === '/*')
  const writes = verbs.some((verb) => !NON_RESOURCE_READ_VERBS.has(verb))
  // The one write such URLs take changes how much the server logs; no object, workload or credential: medium as reads are.
  if (every && writes) {
    return { severity: 'medium', why: "medium, as it reaches no API object, but it grants writes on every non-resource URL of the API server, present and future: `PUT /debug/flags/v` sets the server's log verbosity, beside reading `/logs` (the control-plane host's log files), `/debug/pprof` and `/metrics`" }
  }
  if (every) return { severity: 'medium', why: "medium, as it only reads non-resource URLs, but every one: `/logs` (the control-plane host's log files), `/debug/pprof` (the server's profiles), `/metrics` and discovery, no API object" }
  const named = urls.filter((url): url is string => url !== undefined)
  return { severity: 'medium', why: `medium, as it is limited to the non-resource ${plural(named.length, 'URL')} ${quoted(named)} of the API server, no API object` }
}

/**
 * Only named status subresources (`ingresses/status`; not the status of every resource): what a controller reports,
 * not what runs. The API server serves a status subresource get, update and patch only.
 */
const onlyStatus = (resources: (string | undefined)[]): boolean =>
  resources.length > 0 && resources.every((r) => r !== undefined && !r.startsWith('*') && r.toLowerCase().endsWith('/status'))

/**
 * Status subresources whose content the cluster acts on: a Service's load-balancer address
 * (traffic to it is sent there), a pod's IPs (its Service endpoints follow them), a node's
 * addresses (where the API server reaches its kubelet), an Ingress's or a Gateway's addresses
 * (external-dns publishes DNS records pointing there, load-balancer controllers read them), and
 * an HTTPRoute's accepted parents (external-dns publishes a route's hosts on the Gateways its
 * status names). Writing them steers traffic.
 */
const STEERING_STATUS = new Set(['services/status', 'pods/status', 'nodes/status', 'ingresses/status', 'gateways/status', 'httproutes/status'])

/**
 * Cluster-scoped resources of the built-in API groups, by group: a Role's rules match requests
 * in its own namespace only, and these are never requested in a namespace, so a Role grants
 * nothing on them. `namespaces` is not among them: a request for a Namespace object carries its
 * own name as the namespace, so a Role in it reaches that one Namespace.
 */
const CLUSTER_SCOPED: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    '': ['nodes', 'persistentvolumes', 'componentstatuses'],
    'rbac.authorization.k8s.io': ['clusterroles', 'clusterrolebindings'],
    'certificates.k8s.io': ['certificatesigningrequests', 'clustertrustbundles'],
    'admissionregistration.k8s.io': ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'],
    'apiextensions.k8s.io': ['customresourcedefinitions'],
    'apiregistration.k8s.io': ['apiservices'],
    'storage.k8s.io': ['storageclasses', 'csidrivers', 'csinodes', 'volumeattachments', 'volumeattributesclasses'],
    'scheduling.k8s.io': ['priorityclasses'],
    'node.k8s.io': ['runtimeclasses'],
    'networking.k8s.io': ['ingressclasses', 'ipaddresses', 'servicecidrs'],
    'flowcontrol.apiserver.k8s.io': ['flowschemas', 'prioritylevelconfigurations'],
    'policy': ['podsecuritypolicies'],
    'authentication.k8s.io': ['tokenreviews', 'selfsubjectreviews'],
    'authorization.k8s.io': ['subjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    'resource.k8s.io': ['deviceclasses', 'resourceslices'],
    'internal.apiserver.k8s.io': ['storageversions'],
    'storagemigration.k8s.io': ['storageversionmigrations']
  }).map(([group, names]) => [group, new Set(names)])
)

/**
 * The resources of a Role's entry it cannot grant, split from the rest: a resource (or a
 * subresource of one) that a group of the entry serves cluster-scoped. Only when every group is
 * a literal built-in one (no built-in group serves a namespaced resource of such a name); a
 * custom group may.
 */
function splitClusterScoped(groups: (string | undefined)[], resources: (string | undefined)[]): { kept: (string | undefined)[]; dropped: string[] } {
  const kept: (string | undefined)[] = []
  const dropped: string[] = []
  const builtIn = groups.length > 0 && groups.every((g) => g !== undefined && BUILT_IN_GROUPS.has(g))
  const scoped = (r: string): boolean => groups.some((g) => CLUSTER_SCOPED.get(g!)?.has(r.toLowerCase().split('/')[0]!) === true)
  for (const r of resources) {
    if (builtIn && r !== undefined && scoped(r)) dropped.push(r)
    else kept.push(r)
  }
  return { kept, dropped }
}

const quoted = (names: string[]): string => names.map((n) => `\`${n}\``).join(', ')
const plural = (n: number, word: string): string => (n > 1 ? `${word}s` : word)

/**
 * The severity of a rule entry holding a wildcard, with why. High when it reaches every API
 * group with resources not all named (or groups that are not literal), every verb on every resource, every resource of the
 * core group (pods, Secrets, service accounts), a sensitive resource, or writes on every resource
 * of a built-in group. Medium when what it grants is limited: no group, custom groups only,
 * read-only verbs, status subresources, or named ordinary resources of built-in groups (the
 * verbs a controller of those resources needs anyway).
 */
function wildcardReach(groups: (string | undefined)[], resources: (string | undefined)[], verbs: string[]): Reach {
  const high = (why: string) => ({ severity: 'high' as const, why })
  const medium = (why: string) => ({ severity: 'medium' as const, why: `medium, as ${why}` })
  const writes = verbs.some((verb) => !READ_VERBS.has(verb))
  // Every group but literal resources: what it reaches is those resources, wherever they are served.
  const everyGroup = groups.includes('*')
  if (everyGroup && (resources.length === 0 || resources.includes('*') || resources.includes(undefined))) return high('it reaches every API group, the built-in ones included')
  const named = groups.filter((g): g is string => g !== undefined)
  if (!everyGroup && named.length < groups.length) return high('its API groups are not all literal, so what it reaches is not known')
  if (!everyGroup && named.length === 0) return medium('it names no API group, so it matches no resource')
  // Whatever the verbs and groups, a status subresource only reports state: `*` adds nothing beyond get, update and patch.
  if (onlyStatus(resources) && !resources.some((r) => STEERING_STATUS.has(r!.toLowerCase()))) {
    const names = resources as string[]
    return { severity: 'low', why: `it is limited to status subresources (${quoted(names)}) (a status subresource serves only get, update and patch, which report state and change no workload: low.)` }
  }
  // Writes on a status that steers traffic, in a built-in group or a CRD's (Gateway API): said so, whatever the group.
  if (onlyStatus(resources) && writes) {
    const names = resources as string[]
    const steering = names.filter((r) => STEERING_STATUS.has(r.toLowerCase()))
    return medium(`it is limited to status subresources (${quoted(names)}), but what ${quoted(steering)} ${steering.length > 1 ? 'report steers' : 'reports steers'} traffic (a Service's load-balancer address, a pod's IPs its endpoints follow, a node's addresses, an Ingress's or a Gateway's addresses and a route's accepted Gateways, which external-dns publishes)`)
  }
  const builtIn = everyGroup ? [...BUILT_IN_GROUPS] : named.filter((g) => BUILT_IN_GROUPS.has(g))
  // Only custom groups (an operator's own resources): medium however wide the verbs.
  if (builtIn.length === 0) {
    if (!writes) return medium('it is limited to read-only verbs (get, list, watch)')
    return medium(`it is limited to the API ${plural(named.length, 'group')} ${quoted(named)}, which Kubernetes does not build in (custom resources or an aggregated API; still check that none of them creates workloads)`)
  }
  if (resources.includes('*')) {
    if (verbs.includes('*')) return high('it grants every verb on every resource of its API groups')
    if (builtIn.includes('')) return high('it reaches the core API group (pods, Secrets, service accounts)')
    if (writes) return high(`it allows writes on every resource of the built-in API ${plural(builtIn.length, 'group')} ${quoted(builtIn)}`)
    return medium('it is limited to read-only verbs (get, list, watch)')
  }
  if (resources.includes(undefined)) return high('its resources are not all literal, so what it reaches is not known')
  const names = resources.filter((r): r is string => r !== undefined)
  if (names.length === 0) return medium('it names no resource, so it matches none')
  const sensitive = names.filter((r) => SENSITIVE_RESOURCES.has(r.toLowerCase()))
  if (sensitive.length > 0) return high(sensitive.length === 1 && sensitive[0] === 'secrets' ? 'it reaches Secrets' : `it reaches the sensitive ${plural(sensitive.length, 'resource')} ${quoted(sensitive)}`)
  // `*/exec` is the `exec` subresource of every resource of its groups: judged by that subresource.
  const subresources = names.map(everyResourceSubresource)
  const sensitiveSub = subresources.find((sub) => sub !== undefined && SENSITIVE_SUBRESOURCES.has(sub))
  if (sensitiveSub !== undefined) return high(`it reaches the \`${sensitiveSub}\` subresource of every resource, so ${SENSITIVE_SUBRESOURCES.get(sensitiveSub)!}`)
  if (!writes) return medium('it is limited to read-only verbs (get, list, watch)')
  const where = everyGroup ? ' in every API group' : ''
  if (subresources.every((sub) => sub !== undefined)) {
    const subs = [...new Set(subresources as string[])]
    const does = subs.map((sub) => `\`${sub}\` ${ORDINARY_SUBRESOURCES.get(sub) ?? 'is no Secret, exec, proxy, token or approval subresource'}`).join('; ')
    return medium(`it is limited to the ${quoted(subs)} ${plural(subs.length, 'subresource')} of every resource${where}: ${does}`)
  }
  return medium(`it names its resources (${quoted(names)})${where}, none of them Secrets, RBAC, nodes or another sensitive one: the verbs a controller of those resources needs anyway`)
}

/** How far a rule entry reaches, with why (the message's second half). */
interface Reach {
  severity: 'high' | 'medium' | 'low' | 'info'
  why: string
}

/** Namespaces the cluster's own components run in: a Role there reaches the control plane's pods and tokens. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease'])

/**
 * A Role's rules apply in its own namespace only (no other namespace, no cluster-wide resource):
 * a high reach becomes medium, saying so, unless the namespace is a system one.
 */
function namespacedReach(obj: K8sObject, reach: Reach): Reach {
  if (obj.kind !== 'Role' || reach.severity !== 'high' || (obj.namespace && SYSTEM_NAMESPACES.has(obj.namespace))) return reach
  const where = obj.namespace ? `namespace \`${obj.namespace}\`` : 'its own namespace'
  return { severity: 'medium', why: `${reach.why} (medium, as a Role grants it in ${where} only: no other namespace and no cluster-wide resource)` }
}

/**
 * What an entry of resources reaches. A Role's entry is judged on the resources it can grant:
 * cluster-scoped ones are left out, and said so; with none left it grants nothing (info).
 */
function resourceReach(obj: K8sObject, groups: (string | undefined)[], resources: (string | undefined)[], verbs: string[]): Reach {
  const { kept, dropped } = obj.kind === 'Role' ? splitClusterScoped(groups, resources) : { kept: resources, dropped: [] }
  if (dropped.length === 0) return namespacedReach(obj, wildcardReach(groups, resources, verbs))
  const scoped = `the cluster-scoped ${plural(dropped.length, 'resource')} ${quoted(dropped)}, which a Role cannot grant`
  if (kept.length === 0) return { severity: 'info', why: `it names only ${scoped} (a Role's rules apply in its namespace only, so the entry grants nothing: info.)` }
  const reach = namespacedReach(obj, wildcardReach(groups, kept, verbs))
  return { severity: reach.severity, why: `${reach.why}; it also names ${scoped}` }
}

/**
 * An RBAC finding on a file its folder's kustomization leaves out (and no other kustomization in
 * view names): that build does not create the object, so the grant is low at most, saying why.
 * Not info: whoever adds the kustomization decides what it leaves out, and `kubectl apply -f` on
 * the folder still applies the file.
 */
function reportGrant(ctx: CheckContext, rule: typeof K8S.rbacWildcard | typeof K8S.clusterAdminBinding, line: number, message: string, severity?: Reach['severity']): Finding {
  if (ctx.leftOutBy === undefined) return ctx.report(rule, line, message, severity ? { severity } : {})
  const lowered = severity === 'info' ? 'info' : 'low'
  const why = `\`${ctx.leftOutBy}\` leaves this file out and no kustomization in view names it, so that build does not create it, though \`kubectl apply -f\` on the folder would`
  return ctx.report(rule, line, `${message} (${why}: ${lowered}.)`, { severity: lowered })
}

export function checkRole(ctx: CheckContext, obj: K8sObject): Finding[] {
  const v = obj.view
  const out: Finding[] = []
  for (const rule of v.items(v.get(obj.node, 'rules'))) {
    const listed = (field: string): (string | undefined)[] => v.items(v.get(rule, field)).map((item) => v.str(item))
    const groups = listed('apiGroups')
    const resources = listed('resources')
    const verbs = listed('verbs').filter((verb): verb is string => verb !== undefined).map((verb) => verb.toLowerCase())
    const urls = listed('nonResourceURLs')
    // One finding per rule entry, naming every field it wildcards: the fields together say what it reaches.
    // `*/status` in resources is a wildcard too: that subresource of every resource.
    const isWildcard = (field: string, item: string | undefined): boolean => item === '*' || (field === 'resources' && item !== undefined && everyResourceSubresource(item) !== undefined)
    const wildcarded = (['apiGroups', 'resources', 'nonResourceURLs', 'verbs'] as const).filter((field) => listed(field).some((item) => isWildcard(field, item)))
    if (wildcarded.length === 0) continue
    // The API server refuses an entry with both: one naming URLs and no resource grants those URLs only.
    const reach = urls.length > 0 && groups.length === 0 && resources.length === 0 ? nonResourceReach(urls, verbs) : resourceReach(obj, groups, resources, verbs)
    const fields = wildcarded.length === 1 ? wildcarded[0] : `${wildcarded.slice(0, -1).join(', ')} and ${wildcarded[wildcarded.length - 1]}`
    const what = `${obj.kind} \`${obj.name}\` grants \`*\` in ${fields}`
    out.push(reportGrant(ctx, K8S.rbacWildcard, v.line(rule), `${what}: ${reach.why}`, reach.severity))
  }
  return out
}

export function checkBinding(ctx: CheckContext, obj: K8sObject): Finding[] {
  const v = obj.view
  const roleRef = v.get(obj.node, 'roleRef')
  if (v.str(v.get(roleRef, 'name')) !== 'cluster-admin') return []
  // A RoleBinding grants a ClusterRole's rules in its own namespace only: every right there, none beyond.
  if (obj.kind === 'RoleBinding') {
    const where = obj.namespace ? `namespace \`${obj.namespace}\`` : 'its namespace'
    return [reportGrant(ctx, K8S.clusterAdminBinding, v.keyLine(roleRef, 'name'), `RoleBinding \`${obj.name}\` grants cluster-admin's rules in ${where}: every right there (medium, as a RoleBinding reaches no other namespace and no cluster-wide resource)`, 'medium')]
  }
  return [reportGrant(ctx, K8S.clusterAdminBinding, v.keyLine(roleRef, 'name'), `${obj.kind} \`${obj.name}\` grants cluster-admin`)]
}

/** Annotations by which cloud providers keep a LoadBalancer off the internet or restrict it. */
function isRestrictedByAnnotation(annotations: Record<string, string>): boolean {
  return Object.entries(annotations).some(([key, value]) => {
    const k = key.toLowerCase()
    const val = value.trim().toLowerCase()
    if (k.endsWith('load-balancer-source-ranges')) return val !== '' && !val.includes('0.0.0.0/0')
    if (k.endsWith('load-balancer-internal')) return val !== '' && val !== 'false'
    if (k.endsWith('load-balancer-scheme') || k.endsWith('load-balancer-type')) return val === 'internal'
    return false
  })
}

/** Labels that say what a pod is, set in its template by whoever writes the Service too: never added at run time. */
const IDENTITY_LABEL = /^(?:app|name|component|tier|k8s-app|release|instance|version|run|app\.kubernetes\.io\/[\w.-]+|helm\.sh\/chart)$/

/**
 * Only judged when the set holds workloads of the Service's namespace: a Service kept apart from
 * its pods (another folder, another repository) cannot be checked here.
 */
export function checkSelector(ctx: CheckContext, obj: K8sObject, stream?: StreamIndex): Finding[] {
  const v = obj.view
  const spec = v.get(obj.node, 'spec')
  const selector = labelsOf(v, v.get(spec, 'selector'))
  if (!stream || Object.keys(selector).length === 0 || v.str(v.get(spec, 'type')) === 'ExternalName') return []
  // kube-system's pods are the cluster's own (kubeadm's static control-plane pods, DNS): no manifest here shows them.
  if (obj.namespace === 'kube-system') return []
  const pods = stream.pods.filter((p) => sameNamespace(p.namespace, obj.namespace))
  if (pods.length === 0) return []
  const wanted = Object.entries(selector)
  // A label the template leaves out may be one the workload's controller adds (a StatefulSet pod's name, a Deployment's `pod-template-hash`).
  const scaled = (w: K8sObject): boolean => stream.autoscalers.some((a) => a.kind === w.kind && a.name === w.name && sameNamespace(a.namespace, w.namespace))
  const carries = (p: StreamIndex['pods'][number], key: string, val: string): boolean =>
    p.labels[key] === val || (p.labels[key] === undefined && controllerLabelFits(p.workload, key, val, scaled(p.workload)))
  if (pods.some((p) => wanted.every(([k, val]) => carries(p, k, val)))) return []
  // An operator's custom resource beside it (a database cluster, a broker) runs pods whose labels the operator sets.
  if (stream.operatorWorkloads.some((w) => sameNamespace(w.namespace, obj.namespace))) return []
  const line = v.keyLine(spec, 'selector')
  const message = `Service \`${obj.name}\` selects \`${wanted.map(([k, val]) => `${k}=${val}`).join(', ')}\`, which no pod of the workloads in ${stream.scope} carries`
  // The ports it targets by name are ones a workload's pods declare, and their labels only lack the selector's:
  // the app or its operator labels its own pod at run time (a leader, a recovery backend).
  const namedPorts = [...new Set(v.items(v.get(spec, 'ports')).map((p) => v.str(v.get(p, 'targetPort'))?.trim() ?? ''))].filter((t) => t !== '' && !/^\d+$/.test(t))
  // A missing label that names what the pods are (`app`, `app.kubernetes.io/name`) is a selector written wrong, not a run-time label.
  const runTimeLabel = (p: StreamIndex['pods'][number], k: string): boolean => p.labels[k] === undefined && !controllerOwnsLabel(p.workload, k) && !IDENTITY_LABEL.test(k)
  const declaring = namedPorts.length === 0 ? undefined : pods.find((p) => wanted.every(([k, val]) => p.labels[k] === val || runTimeLabel(p, k)) && namedPorts.every((t) => podPorts(p.workload.view, p.spec).keys.has(t)))
  if (declaring) {
    const ports = `${namedPorts.length > 1 ? 'ports' : 'port'} ${namedPorts.map((t) => `\`${t}\``).join(', ')}`
    const why = `low: the pods of ${declaring.workload.kind} \`${declaring.workload.name}\` declare the ${ports} it targets by name and lack only the selector's labels, which they may get at run time`
    return [ctx.report(K8S.serviceSelectsNoPods, line, `${message} (${why})`, { severity: 'low' })]
  }
  return [ctx.report(K8S.serviceSelectsNoPods, line, message)]
}

export function checkExposure(ctx: CheckContext, obj: K8sObject, stream?: StreamIndex): Finding[] {
  const v = obj.view
  const spec = v.get(obj.node, 'spec')
  const type = v.str(v.get(spec, 'type'))
  if (type === 'NodePort') {
    // The backend of an Ingress in the same set: GKE and other instance-mode controllers route through the node port.
    if (stream?.ingressBackends.some((b) => b.name === obj.name && sameNamespace(b.namespace, obj.namespace))) return []
    return [ctx.report(K8S.nodePort, v.keyLine(spec, 'type'), `Service \`${obj.name}\` is of type NodePort`)]
  }
  if (type !== 'LoadBalancer') return []
  // No port, nothing exposed (a stub whose status a test writes by hand).
  if (v.items(v.get(spec, 'ports')).length === 0) return []
  const ranges = v.items(v.get(spec, 'loadBalancerSourceRanges')).map((r) => v.str(r) ?? '')
  if (ranges.length > 0 && !ranges.some((r) => r === '0.0.0.0/0' || r === '::/0')) return []
  const annotations: Record<string, string> = {}
  for (const e of v.entries(v.at(obj.node, ['metadata', 'annotations']))) setOwn(annotations, e.key, v.str(e.value) ?? '')
  if (isRestrictedByAnnotation(annotations)) return []
  return [ctx.report(K8S.openLoadBalancer, v.keyLine(spec, 'type'), `Service \`${obj.name}\` is a LoadBalancer open to any source`)]
}
