/** Checks on cluster objects that are not workloads: RBAC roles and bindings, Services. */
import type { Finding } from '../../types.js'
import { K8S } from './meta.js'
import { labelsOf, type K8sObject } from './objects.js'
import type { CheckContext } from './containers.js'
import { sameNamespace, type StreamIndex } from './workloads.js'

export function checkRole(ctx: CheckContext, obj: K8sObject): Finding[] {
  const v = obj.view
  const out: Finding[] = []
  for (const rule of v.items(v.get(obj.node, 'rules'))) {
    for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
      const wildcard = v.items(v.get(rule, field)).find((item) => v.str(item) === '*')
      if (wildcard) out.push(ctx.report(K8S.rbacWildcard, v.line(wildcard), `${obj.kind} \`${obj.name}\` grants \`*\` in ${field}`))
    }
  }
  return out
}

export function checkBinding(ctx: CheckContext, obj: K8sObject): Finding[] {
  const v = obj.view
  const roleRef = v.get(obj.node, 'roleRef')
  if (v.str(v.get(roleRef, 'name')) !== 'cluster-admin') return []
  return [ctx.report(K8S.clusterAdminBinding, v.keyLine(roleRef, 'name'), `${obj.kind} \`${obj.name}\` grants cluster-admin`)]
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

/**
 * Only judged when the set holds workloads of the Service's namespace: a Service kept apart from
 * its pods (another folder, another repository) cannot be checked here.
 */
export function checkSelector(ctx: CheckContext, obj: K8sObject, stream?: StreamIndex): Finding[] {
  const v = obj.view
  const spec = v.get(obj.node, 'spec')
  const selector = labelsOf(v, v.get(spec, 'selector'))
  if (!stream || Object.keys(selector).length === 0 || v.str(v.get(spec, 'type')) === 'ExternalName') return []
  const pods = stream.pods.filter((p) => sameNamespace(p.namespace, obj.namespace))
  if (pods.length === 0) return []
  if (pods.some((p) => Object.entries(selector).every(([k, val]) => p.labels[k] === val))) return []
  // An operator's custom resource beside it (a database cluster, a broker) runs pods whose labels the operator sets.
  if (stream.operatorWorkloads.some((w) => sameNamespace(w.namespace, obj.namespace))) return []
  const wanted = Object.entries(selector).map(([k, val]) => `${k}=${val}`).join(', ')
  return [ctx.report(K8S.serviceSelectsNoPods, v.keyLine(spec, 'selector'), `Service \`${obj.name}\` selects \`${wanted}\`, which no pod of the workloads in ${stream.scope} carries`)]
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
  const ranges = v.items(v.get(spec, 'loadBalancerSourceRanges')).map((r) => v.str(r) ?? '')
  if (ranges.length > 0 && !ranges.some((r) => r === '0.0.0.0/0' || r === '::/0')) return []
  const annotations: Record<string, string> = {}
  for (const e of v.entries(v.at(obj.node, ['metadata', 'annotations']))) annotations[e.key] = v.str(e.value) ?? ''
  if (isRestrictedByAnnotation(annotations)) return []
  return [ctx.report(K8S.openLoadBalancer, v.keyLine(spec, 'type'), `Service \`${obj.name}\` is a LoadBalancer open to any source`)]
}
