/** Pod-level checks: user identity, host namespaces, hostPath volumes. */
import type { Finding, RuleMeta } from '../../types.js'
import type { Node } from '../yaml.js'
import { makeFinding } from './finding.js'
import { K8S } from './meta.js'
import { isTrue, numberAt, type Container, type K8sObject, type PodSpec } from './objects.js'
import type { CheckContext } from './containers.js'
import type { DocView } from './view.js'

export function checkPod(ctx: CheckContext, obj: K8sObject, pod: PodSpec, containers: Container[]): Finding[] {
  return [...checkUser(ctx, obj, pod, containers), ...checkHostNamespaces(ctx, obj, pod), ...checkVolumes(ctx, obj, pod)]
}

interface UserVerdict {
  meta: RuleMeta
  line: number
  /** Predicate after the subject, singular and plural. */
  why: [string, string]
}

/**
 * The effective user of a container (container settings override the pod's): a non-zero
 * `runAsUser` is fine whatever `runAsNonRoot` says; UID 0 is root; with no UID at all only
 * `runAsNonRoot: true` keeps the image's root user out.
 */
function userVerdict(v: DocView, podSc: Node | undefined, c: Container): UserVerdict | undefined {
  const sc = v.get(c.node, 'securityContext')
  const uidOwner = v.get(sc, 'runAsUser') !== undefined ? sc : v.get(podSc, 'runAsUser') !== undefined ? podSc : undefined
  if (uidOwner !== undefined) {
    const uid = numberAt(v, v.get(uidOwner, 'runAsUser'))
    if (uid !== 0) return undefined
    return { meta: K8S.runAsRoot, line: v.keyLine(uidOwner, 'runAsUser'), why: ['runs as UID 0 (root)', 'run as UID 0 (root)'] }
  }
  const nonRootOwner = v.get(sc, 'runAsNonRoot') !== undefined ? sc : v.get(podSc, 'runAsNonRoot') !== undefined ? podSc : undefined
  if (nonRootOwner !== undefined && isTrue(v, v.get(nonRootOwner, 'runAsNonRoot'))) return undefined
  const line = nonRootOwner !== undefined ? v.keyLine(nonRootOwner, 'runAsNonRoot') : c.line
  return { meta: K8S.runAsNonRootNotSet, line, why: ['may run as root (no non-zero `runAsUser`, no `runAsNonRoot: true`)', 'may run as root (no non-zero `runAsUser`, no `runAsNonRoot: true`)'] }
}

/** One finding per offending line, naming every container it applies to. */
function checkUser(ctx: CheckContext, obj: K8sObject, pod: PodSpec, containers: Container[]): Finding[] {
  const v = obj.view
  const podSc = v.get(pod.node, 'securityContext')
  const groups = new Map<string, { verdict: UserVerdict; names: string[] }>()
  for (const c of containers) {
    const verdict = userVerdict(v, podSc, c)
    if (!verdict) continue
    const key = `${verdict.meta.id}:${verdict.line}`
    const group = groups.get(key) ?? { verdict, names: [] }
    group.names.push(c.name)
    groups.set(key, group)
  }
  return [...groups.values()].map(({ verdict, names }) => {
    const one = names.length === 1
    const who = one ? `container \`${names[0]}\`` : `containers ${names.map((n) => `\`${n}\``).join(', ')}`
    return makeFinding(verdict.meta, ctx.path, verdict.line, `${who} of ${obj.kind} \`${obj.name}\` ${verdict.why[one ? 0 : 1]}`)
  })
}

const HOST_NAMESPACES = [
  { key: 'hostNetwork', meta: K8S.hostNetwork, what: 'the host network' },
  { key: 'hostPID', meta: K8S.hostPid, what: 'the host PID namespace' },
  { key: 'hostIPC', meta: K8S.hostIpc, what: 'the host IPC namespace' }
] as const

function checkHostNamespaces(ctx: CheckContext, obj: K8sObject, pod: PodSpec): Finding[] {
  const v = obj.view
  const out: Finding[] = []
  for (const h of HOST_NAMESPACES) {
    if (!isTrue(v, v.get(pod.node, h.key))) continue
    // No suggestion: node agents (CNI, exporters) may truly need the host namespace.
    out.push(makeFinding(h.meta, ctx.path, v.keyLine(pod.node, h.key), `${obj.kind} \`${obj.name}\` shares ${h.what}`))
  }
  return out
}

/** Sockets (and the directories holding them) through which a pod can drive the container runtime. */
const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd)\.sock$|^\/(var\/)?run\/?$|^\/(var\/)?run\/(docker|containerd|crio)\/?$/

export function isRuntimeSocketPath(p: string): boolean {
  return RUNTIME_SOCKET.test(p.trim())
}

function checkVolumes(ctx: CheckContext, obj: K8sObject, pod: PodSpec): Finding[] {
  const v = obj.view
  const out: Finding[] = []
  for (const volume of v.items(v.get(pod.node, 'volumes'))) {
    const hostPath = v.get(volume, 'hostPath')
    if (hostPath === undefined) continue
    const volumeName = v.str(v.get(volume, 'name')) ?? '(unnamed)'
    const finding = hostPathFinding(ctx, obj, hostPath, `volume \`${volumeName}\` of ${obj.kind} \`${obj.name}\``)
    if (finding) out.push(finding)
  }
  return out
}

/** A PersistentVolume backed by a node directory is a hostPath mount for whoever claims it. */
export function checkPersistentVolume(ctx: CheckContext, obj: K8sObject): Finding[] {
  const hostPath = obj.view.at(obj.node, ['spec', 'hostPath'])
  if (hostPath === undefined) return []
  const finding = hostPathFinding(ctx, obj, hostPath, `PersistentVolume \`${obj.name}\``)
  return finding ? [finding] : []
}

function hostPathFinding(ctx: CheckContext, obj: K8sObject, hostPath: Node, subject: string): Finding | undefined {
  const v = obj.view
  const p = v.str(v.get(hostPath, 'path')) ?? ''
  const line = v.pair(hostPath, 'path') ? v.keyLine(hostPath, 'path') : v.line(hostPath)
  if (isRuntimeSocketPath(p)) {
    return makeFinding(K8S.runtimeSocketMount, ctx.path, line, `${subject} mounts the container runtime socket \`${p}\` from the host`)
  }
  // System components in kube-system legitimately read node directories (log shippers, CNI).
  if (obj.namespace === 'kube-system') return undefined
  return makeFinding(K8S.hostPathVolume, ctx.path, line, `${subject} mounts host path \`${p || '(unset)'}\``)
}
