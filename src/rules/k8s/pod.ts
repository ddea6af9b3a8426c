/** Pod-level checks: user identity, host namespaces, hostPath volumes. */
import type { Finding, RuleMeta } from '../../types.js'
import { isSeq, type Node } from '../parse/yaml.js'
import { K8S } from './meta.js'
import { containersOf, isFalse, isTrue, keepsRunning, labelsOf, numberAt, runsPauseImage, type Container, type K8sObject, type PodSpec } from './objects.js'
import type { CheckContext } from './containers.js'
import type { DocView } from './view.js'
import { selectorMatches } from './selectors.js'
import { sameNamespace, type StreamIndex } from './workloads.js'
import { capabilityName, declaredNonRootUser, officialStepDown, type ImageUser, type StepDown } from '../container-common.js'
import { nodePluginClause, nodePluginNeed, type NodePluginNeed } from '../node-plugin.js'
import { fixedSysctlParameters, sysctlImageAccepted } from '../node-sysctl.js'
import { admissionRejection, PSS, unlessRejected } from './pod-security.js'

const CONFINED = /^(RuntimeDefault|Localhost)$/
/** The pre-1.19 annotations, still honoured by older clusters and some admission controllers. */
const CONFINED_ANNOTATION = /^(runtime\/default|docker\/default|localhost\/.+)$/

/**
 * One finding per pod: confined when the pod, or every container, names a RuntimeDefault/Localhost
 * profile. Low when the namespace's Pod Security rejects the pod: baseline refuses an explicit
 * Unconfined profile, restricted any pod left unconfined.
 */
export function checkSeccomp(ctx: CheckContext, obj: K8sObject, pod: PodSpec, containers: Container[], stream?: StreamIndex): Finding[] {
  const v = obj.view
  const typeOf = (sc: Node | undefined): string | undefined => v.str(v.at(sc, ['seccompProfile', 'type']))
  const podSc = v.get(pod.node, 'securityContext')
  const podType = typeOf(podSc)
  const annotations = [v.at(obj.node, ['metadata', 'annotations']), v.at(obj.node, ['spec', 'template', 'metadata', 'annotations'])]
  const annotated = annotations.some((a) => CONFINED_ANNOTATION.test(v.str(v.get(a, 'seccomp.security.alpha.kubernetes.io/pod')) ?? ''))
  const unconfined = containers.filter((c) => {
    const own = typeOf(v.get(c.node, 'securityContext'))
    return !CONFINED.test(own ?? podType ?? (annotated ? 'RuntimeDefault' : ''))
  })
  if (unconfined.length === 0) return []
  const names = unconfined.map((c) => `\`${c.name}\``).join(', ')
  const explicitlyUnconfined = podType === 'Unconfined' || containers.some((c) => typeOf(v.get(c.node, 'securityContext')) === 'Unconfined')
  const admission = admissionRejection(stream, obj, pod, explicitlyUnconfined ? PSS.seccompNotUnconfined : PSS.seccompConfined)
  if (podType === 'Unconfined') {
    const line = v.keyLine(v.get(podSc, 'seccompProfile'), 'type')
    return [ctx.report(K8S.noSeccompProfile, line, ...unlessRejected(`hardening: ${obj.kind} \`${obj.name}\` sets the seccomp profile to Unconfined (containers ${names})`, admission))]
  }
  const line = podSc !== undefined ? v.keyLine(pod.node, 'securityContext') : pod.line
  return [ctx.report(K8S.noSeccompProfile, line, ...unlessRejected(`hardening: ${obj.kind} \`${obj.name}\` sets no RuntimeDefault seccomp profile for containers ${names}`, admission))]
}

/**
 * The token is most likely unused when the pod runs as the `default` service account (pods that
 * call the API normally get their own account with a role) and nothing switched automount off.
 */
export function checkTokenAutomount(ctx: CheckContext, obj: K8sObject, pod: PodSpec, stream: StreamIndex): Finding[] {
  const v = obj.view
  const automount = v.str(v.get(pod.node, 'automountServiceAccountToken'))?.toLowerCase()
  if (automount === 'false') return []
  const account = v.str(v.get(pod.node, 'serviceAccountName')) ?? v.str(v.get(pod.node, 'serviceAccount')) ?? 'default'
  if (account !== 'default') return []
  if (automount === undefined && stream.serviceAccounts.some((sa) => sa.name === 'default' && sa.automount === false && sameNamespace(sa.namespace, obj.namespace))) return []
  const line = automount !== undefined ? v.keyLine(pod.node, 'automountServiceAccountToken') : pod.line
  return [
    ctx.report(K8S.serviceAccountTokenAutomount, line, `hardening: ${obj.kind} \`${obj.name}\` runs as the default service account and leaves its API token automounted; set \`automountServiceAccountToken: false\` unless it calls the Kubernetes API`)
  ]
}

/** Long-running workloads only: a Job's pods are short-lived and rarely serve connections. */
const SERVING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod'])

export function checkNetworkPolicy(ctx: CheckContext, obj: K8sObject, pod: PodSpec, stream: StreamIndex): Finding[] {
  if (!SERVING_KINDS.has(obj.kind) || pod.runToCompletion) return []
  const v = obj.view
  // Host-network pods are outside the reach of NetworkPolicies anyway.
  if (isTrue(v, v.get(pod.node, 'hostNetwork'))) return []
  const covered = stream.networkPolicies.some((p) => sameNamespace(p.namespace, obj.namespace) && selectorMatches(p.selector, pod.labels))
  if (covered) return []
  const line = v.keyLine(v.get(obj.node, 'metadata'), 'name')
  return [ctx.report(K8S.noNetworkPolicy, line, `hardening: no NetworkPolicy in ${stream.scope} selects the pods of ${obj.kind} \`${obj.name}\``)]
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
  // The pause image declares a non-root user of its own (65535).
  if (runsPauseImage(v, c)) return undefined
  const nonRootOwner = v.get(sc, 'runAsNonRoot') !== undefined ? sc : v.get(podSc, 'runAsNonRoot') !== undefined ? podSc : undefined
  if (nonRootOwner !== undefined && isTrue(v, v.get(nonRootOwner, 'runAsNonRoot'))) return undefined
  const line = nonRootOwner !== undefined ? v.keyLine(nonRootOwner, 'runAsNonRoot') : c.line
  return { meta: K8S.runAsNonRootNotSet, line, why: ['may run as root (no non-zero `runAsUser`, no `runAsNonRoot: true`)', 'may run as root (no non-zero `runAsUser`, no `runAsNonRoot: true`)'] }
}

/**
 * Why a container is a CNI/CSI node plugin (see ../node-plugin.ts), read from its volume mounts
 * and the pod's hostPath volumes they name; undefined when it is not one.
 */
export function containerNodePluginNeed(v: DocView, pod: PodSpec, c: Container): NodePluginNeed | undefined {
  const hostPaths = hostPathVolumes(v, pod)
  const mounts = v.items(v.get(c.node, 'volumeMounts')).map((m) => ({ hostPath: hostPaths.get(v.str(v.get(m, 'name')) ?? ''), propagation: v.str(v.get(m, 'mountPropagation')) }))
  return nodePluginNeed(mounts)
}

/**
 * One finding per offending line, naming every container it applies to. Low under a namespace
 * enforcing Pod Security `restricted`, which rejects a pod that may run as root.
 */
export function checkUser(ctx: CheckContext, obj: K8sObject, pod: PodSpec, containers: Container[], stream?: StreamIndex): Finding[] {
  const v = obj.view
  const admission = admissionRejection(stream, obj, pod, PSS.nonRoot)
  const podSc = v.get(pod.node, 'securityContext')
  // The containers each offending line applies to, kept as containers: a pod of many same-named
  // containers (a broken or hostile manifest) must not make every group hold all of them.
  const groups = new Map<string, { verdict: UserVerdict; fixers: Container[] }>()
  for (const c of containers) {
    const verdict = userVerdict(v, podSc, c)
    if (!verdict) continue
    const key = `${verdict.meta.id}:${verdict.line}`
    const group = groups.get(key) ?? { verdict, fixers: [] }
    group.fixers.push(c)
    groups.set(key, group)
  }
  return [...groups.values()].map(({ verdict, fixers }) => {
    const names = fixers.map((c) => c.name)
    const one = names.length === 1
    const who = one ? `container \`${names[0]}\`` : `containers ${names.map((n) => `\`${n}\``).join(', ')}`
    const message = `${who} of ${obj.kind} \`${obj.name}\` ${verdict.why[one ? 0 : 1]}`
    if (admission) return ctx.report(verdict.meta, verdict.line, ...unlessRejected(message, admission))
    // Official database images start as root only to prepare their data folder, then step down to their own user.
    const stepDowns = verdict.meta === K8S.runAsNonRootNotSet ? everyStepDown(v, fixers) : undefined
    if (stepDowns) return ctx.report(verdict.meta, verdict.line, `${message} (low: ${stepDownClause(stepDowns)})`, { severity: 'low' })
    // Images whose Dockerfile ends on a non-root USER run as it unless the spec says otherwise.
    const imageUsers = verdict.meta === K8S.runAsNonRootNotSet ? everyImageUser(v, fixers) : undefined
    if (imageUsers) return ctx.report(verdict.meta, verdict.line, `${message} (low: ${imageUserClause(imageUsers)})`, { severity: 'low' })
    if (verdict.meta === K8S.runAsRoot && fixers.every((c) => onlyFixesOwnership(v, c))) {
      return ctx.report(verdict.meta, verdict.line, `${message}, only to change file ownership before the app starts (medium: \`fsGroup\` in the pod's securityContext does that without root)`, { severity: 'medium' })
    }
    const alsoPrivileged = `${one ? 'it is' : 'they are'} also privileged, which gives the node already and is reported on its own`
    // A privileged container holds the node whatever its user (reported critical on its own): root adds little.
    if (verdict.meta === K8S.runAsRoot && fixers.every((c) => isTrue(v, v.get(v.get(c.node, 'securityContext'), 'privileged')))) {
      return ctx.report(verdict.meta, verdict.line, `${message} (medium: ${alsoPrivileged})`, { severity: 'medium' })
    }
    // A user that may be root adds less, but that leans on the privileged finding, so only where it
    // is reported at full severity (not a node plugin's or a sysctl init's).
    if (verdict.meta === K8S.runAsNonRootNotSet && fixers.every((c) => privilegedAtFullSeverity(v, pod, c))) {
      return ctx.report(verdict.meta, verdict.line, `${message} (low: ${alsoPrivileged})`, { severity: 'low' })
    }
    // Read only for UID 0: the may-run-as-root verdict covers most containers of a big pod.
    const needs = verdict.meta === K8S.runAsRoot ? fixers.map((c) => containerNodePluginNeed(v, pod, c)) : [undefined]
    if (needs.every((n) => n !== undefined)) {
      return ctx.report(verdict.meta, verdict.line, `${message} (medium: ${nodePluginClause(needs[0]!)})`, { severity: 'medium' })
    }
    // Root with no capabilities and no way to gain any holds little beyond the files it can reach.
    if (verdict.meta === K8S.runAsRoot && !sharesHost(v, pod) && fixers.every((c) => holdsNoPowers(v, c) && !writesHostPath(v, pod, c))) {
      const none = one ? 'it drops every capability, adds none and cannot escalate' : 'they drop every capability, add none and cannot escalate'
      return ctx.report(verdict.meta, verdict.line, `${message} (medium: ${none})`, { severity: 'medium' })
    }
    return ctx.report(verdict.meta, verdict.line, message)
  })
}

/**
 * The step-down of a container that runs a Docker Hub official server image through the image's own
 * entrypoint (see `officialStepDown`): no `command:`, which would replace the entrypoint, and
 * `args:`, if any, a list of plain words the entrypoint still reads as its server. Undefined otherwise.
 */
function containerStepDown(v: DocView, c: Container): StepDown | undefined {
  const image = v.str(v.get(c.node, 'image'))
  if (image === undefined || v.get(c.node, 'command') !== undefined) return undefined
  const argsNode = v.get(c.node, 'args')
  if (argsNode === undefined) return officialStepDown(image, undefined)
  if (!isSeq(argsNode)) return undefined
  const args = v.items(argsNode).map((item) => v.str(item))
  if (args.some((a) => a === undefined)) return undefined
  return officialStepDown(image, args.length === 0 ? undefined : (args as string[]))
}

/** The step-down of each container, or undefined as soon as one has none. */
function everyStepDown(v: DocView, containers: readonly Container[]): StepDown[] | undefined {
  const out: StepDown[] = []
  for (const c of containers) {
    const stepDown = containerStepDown(v, c)
    if (stepDown === undefined) return undefined
    out.push(stepDown)
  }
  return out
}

/** Programs that run a command as another user: set-user-ID tools, by which a non-root process may become root. */
const USER_SWITCHERS = new Set(['sudo', 'su', 'doas', 'runuser', 'setpriv', 'gosu', 'su-exec', 'chroot'])

/**
 * Whether a container's `command:` and `args:` may switch user: some word of them names a
 * `USER_SWITCHERS` tool (`/bin/sh -c "sudo …"` included), or they are no list of plain words (a
 * template's text). Another program started by a `command:` otherwise runs as the image's user.
 */
function maySwitchUser(v: DocView, c: Container): boolean {
  for (const key of ['command', 'args']) {
    const node = v.get(c.node, key)
    if (node === undefined) continue
    if (!isSeq(node)) return true
    for (const item of v.items(node)) {
      const text = v.str(item)
      if (text === undefined) return true
      if (text.split(/[\s;&|()`$]+/).some((w) => USER_SWITCHERS.has(w.slice(w.lastIndexOf('/') + 1)))) return true
    }
  }
  return false
}

/**
 * The non-root user each container's image declares (see `declaredNonRootUser`), or undefined as
 * soon as one has none or its `command:` or `args:` may switch user (see `maySwitchUser`): a
 * `command:` replaces the program, not the user it runs as.
 */
function everyImageUser(v: DocView, containers: readonly Container[]): ImageUser[] | undefined {
  const out: ImageUser[] = []
  for (const c of containers) {
    const image = v.str(v.get(c.node, 'image'))
    const user = image === undefined || (v.get(c.node, 'command') !== undefined && maySwitchUser(v, c)) ? undefined : declaredNonRootUser(image)
    if (user === undefined) return undefined
    out.push(user)
  }
  return out
}

/** Why containers whose image declares a non-root user are low: which image and user, and that nothing holds it to that. */
function imageUserClause(users: readonly ImageUser[]): string {
  const images = [...new Set(users.map((u) => `\`${u.image}\``))].join(', ')
  const uids = [...new Set(users.map((u) => `\`${u.user}\``))].join(', ')
  const subject =
    users.length === 1
      ? `its image ${images} declares the non-root user ${uids} in its Dockerfile, and no \`runAsUser\` here changes it (a \`command:\` runs as that user too)`
      : `their images ${images} declare the non-root users ${uids} in their Dockerfiles, and no \`runAsUser\` here changes them (a \`command:\` runs as that user too)`
  return `${subject}; nothing in the spec enforces it: another tag of the image, or a rebuilt one, may not`
}

/** Why containers whose official image steps down from root are low: what the entrypoint does, and that nothing holds it to that. */
function stepDownClause(stepDowns: readonly StepDown[]): string {
  const images = [...new Set(stepDowns.map((s) => s.image))]
  const users = [...new Set(stepDowns.map((s) => s.user))]
  const spans = (names: string[]): string => names.map((n) => `\`${n}\``).join(', ')
  const what =
    stepDowns.length === 1
      ? `its image is Docker Hub's official ${spans(images)}, whose entrypoint starts as root only to prepare the data folder, then runs the server as the image's own user ${spans(users)}`
      : `their images are Docker Hub's official ${spans(images)}, whose entrypoints start as root only to prepare the data folder, then run the server as the image's own user (${spans(users)})`
  return `${what}; nothing in the spec enforces it: another entrypoint, or a shell opened with \`kubectl exec\`, still gets root`
}

/**
 * A container whose own security context (capabilities are per container) drops ALL capabilities,
 * adds none back, sets `allowPrivilegeEscalation: false` and is not privileged. The Helm values
 * twin is `holdsNoPowers` in ../helm/values.ts: keep them in step.
 */
function holdsNoPowers(v: DocView, c: Container): boolean {
  const sc = v.get(c.node, 'securityContext')
  if (isTrue(v, v.get(sc, 'privileged')) || !isFalse(v, v.get(sc, 'allowPrivilegeEscalation'))) return false
  const capabilities = v.get(sc, 'capabilities')
  const add = v.get(capabilities, 'add')
  // Anything under `add` but an empty list (a list, or a templated string) may give a capability back.
  if (add !== undefined && (v.items(add).length > 0 || (v.str(add) ?? '').trim() !== '')) return false
  return v.items(v.get(capabilities, 'drop')).some((cap) => capabilityName(v.str(cap) ?? '') === 'ALL')
}

/** A pod in the host's PID, IPC or network namespace: root there reaches the host's processes or ports. */
function sharesHost(v: DocView, pod: PodSpec): boolean {
  return ['hostPID', 'hostIPC', 'hostNetwork'].some((key) => isTrue(v, v.get(pod.node, key)))
}

/**
 * Whether the container mounts a host path without `readOnly: true`: root needs no capability to
 * write the host's root-owned files there.
 */
function writesHostPath(v: DocView, pod: PodSpec, c: Container): boolean {
  const hostPaths = hostPathVolumes(v, pod)
  return v.items(v.get(c.node, 'volumeMounts')).some((m) => hostPaths.has(v.str(v.get(m, 'name')) ?? '') && !isTrue(v, v.get(m, 'readOnly')))
}

/** The pod's hostPath volumes: name → host path. */
function hostPathVolumes(v: DocView, pod: PodSpec): Map<string, string> {
  const hostPaths = new Map<string, string>()
  for (const volume of v.items(v.get(pod.node, 'volumes'))) {
    const name = v.str(v.get(volume, 'name'))
    const hostPath = v.str(v.get(v.get(volume, 'hostPath'), 'path'))
    if (name !== undefined && hostPath !== undefined) hostPaths.set(name, hostPath)
  }
  return hostPaths
}

/** Commands an init container runs to prepare a volume's files, and nothing else. */
const OWNERSHIP_COMMANDS = new Set(['chown', 'chmod', 'chgrp', 'mkdir', 'setfacl', 'ls', 'echo', 'true'])

/**
 * An init container whose command only changes file ownership or modes (`chown 1000:1000 /data`),
 * directly or through `sh -c`: it needs root for exactly that and exits before the app starts.
 */
function onlyFixesOwnership(v: DocView, c: Container): boolean {
  if (!c.init) return false
  const words = [...v.items(v.get(c.node, 'command')), ...v.items(v.get(c.node, 'args'))].map((item) => v.str(item))
  if (words.length === 0 || words.some((w) => w === undefined)) return false
  const text = (words as string[]).join(' ').replace(/^\s*(?:\/bin\/)?(?:ba|a)?sh\s+-e?c\s+/, '').replace(/&&|\|\|/g, ';')
  // A pipe, a background job, a substitution or a redirection runs or feeds something else.
  if (/[|&`$<>()]/.test(text)) return false
  const steps = text.split(/[;\n]/).map((part) => part.trim()).filter((part) => part !== '')
  return steps.length > 0 && steps.every((step) => OWNERSHIP_COMMANDS.has(step.split(/\s+/)[0].replace(/^.*\//, '')))
}

/** What a privileged init container that only runs fixed `sysctl -w` commands sets, and from which image. */
export interface InitSysctls {
  keys: string[]
  image: string
}

/**
 * The kernel parameters an init container sets and its image, when fixed `sysctl -w` commands are
 * all it runs (see ../node-sysctl.ts), the image is one that judgement accepts, and it serves
 * nothing: no ports, and not a sidecar (`restartPolicy: Always` keeps it running beside the app).
 * Undefined otherwise.
 */
export function initContainerSysctls(v: DocView, c: Container): InitSysctls | undefined {
  if (keepsRunning(v, c)) return undefined
  const image = v.str(v.get(c.node, 'image'))?.trim()
  if (!sysctlImageAccepted(image)) return undefined
  const ports = v.get(c.node, 'ports')
  if (ports !== undefined && (v.items(ports).length > 0 || (v.str(ports) ?? '').trim() !== '')) return undefined
  const wordsOf = (key: string): string[] | undefined => {
    const node = v.get(c.node, key)
    if (node === undefined) return []
    const words = v.items(node).map((item) => v.str(item))
    // A command given as one string, or with a non-string item, is not one Kubernetes runs as written.
    return words.length === 0 || words.some((w) => w === undefined) ? undefined : (words as string[])
  }
  const command = wordsOf('command')
  const args = wordsOf('args')
  const keys = command && args ? fixedSysctlParameters(command, args) : undefined
  return keys && image ? { keys, image } : undefined
}

const HOST_NAMESPACES = [
  { key: 'hostNetwork', meta: K8S.hostNetwork, what: 'the host network' },
  { key: 'hostPID', meta: K8S.hostPid, what: 'the host PID namespace' },
  { key: 'hostIPC', meta: K8S.hostIpc, what: 'the host IPC namespace' }
] as const

export function checkHostNamespaces(ctx: CheckContext, obj: K8sObject, pod: PodSpec, containers: Container[], stream?: StreamIndex): Finding[] {
  const v = obj.view
  const out: Finding[] = []
  // Baseline Pod Security rejects a pod sharing any host namespace: it never runs.
  const admission = admissionRejection(stream, obj, pod, PSS.noHostNamespaces)
  // A privileged container already holds the node (reported critical on its own): sharing a host
  // namespace beside it adds little, so it is medium and says which container.
  const privileged = containers.find((c) => isTrue(v, v.get(v.get(c.node, 'securityContext'), 'privileged')))
  for (const h of HOST_NAMESPACES) {
    if (!isTrue(v, v.get(pod.node, h.key))) continue
    const message = `${obj.kind} \`${obj.name}\` shares ${h.what}`
    // No suggestion: node agents (CNI, exporters) may truly need the host namespace.
    out.push(
      admission
        ? ctx.report(h.meta, v.keyLine(pod.node, h.key), ...unlessRejected(message, admission))
        : privileged
        ? ctx.report(h.meta, v.keyLine(pod.node, h.key), `${message} (medium: its container \`${privileged.name}\` is privileged, which gives it the node already and is reported on its own)`, { severity: 'medium' })
        : ctx.report(h.meta, v.keyLine(pod.node, h.key), message)
    )
  }
  return out
}

/** Sockets (and the directories holding them) through which a pod can drive the container runtime. */
const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd)\.sock$|^\/(var\/)?run\/?$|^\/(var\/)?run\/(docker|containerd|crio)\/?$/

export function isRuntimeSocketPath(p: string): boolean {
  return RUNTIME_SOCKET.test(p.trim())
}

export function checkVolumes(ctx: CheckContext, obj: K8sObject, pod: PodSpec, stream?: StreamIndex): Finding[] {
  const v = obj.view
  const out: Finding[] = []
  // Baseline Pod Security rejects a pod with any hostPath volume: it never mounts it.
  const admission = admissionRejection(stream, obj, pod, PSS.noHostPath)
  for (const volume of v.items(v.get(pod.node, 'volumes'))) {
    const hostPath = v.get(volume, 'hostPath')
    if (hostPath === undefined) continue
    const volumeName = v.str(v.get(volume, 'name')) ?? '(unnamed)'
    const own = admission ? undefined : (ownHostFolder(obj, pod, volume, volumeName) ?? privilegedMountersOnly(obj, pod, volume, volumeName))
    const finding = hostPathFinding(ctx, obj, hostPath, `volume \`${volumeName}\` of ${obj.kind} \`${obj.name}\``, admission, own)
    if (finding) out.push(finding)
  }
  return out
}

/**
 * Host folders that hold the node's own system, its credentials or its container runtime's state
 * (and the broad parents of such folders): a node plugin or agent mounting one keeps the finding's
 * severity. Each one, or anything below it.
 */
const SYSTEM_HOST_TREES = ['/etc', '/root', '/home', '/proc', '/sys', '/dev', '/boot', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/var/lib/docker', '/var/lib/containerd', '/var/lib/kubelet/pki', '/var/lib/etcd', '/var/log']
/**
 * The folders of the runtime folder (`/run`, also reached as `/var/run`) that belong to the node's
 * system: container runtimes and their state, systemd, D-Bus, udev, network namespaces, locks,
 * users' sessions, logging, secrets, Open vSwitch and libvirt. Other folders there are a service's own.
 */
const SYSTEM_RUN_FOLDERS = ['docker', 'containerd', 'crio', 'cri-dockerd', 'runc', 'crun', 'podman', 'k3s', 'systemd', 'dbus', 'udev', 'netns', 'lock', 'user', 'log', 'mount', 'secrets', 'openvswitch', 'libvirt', 'sshd', 'utmp', 'xtables.lock']
const SYSTEM_RUN_TREES = ['/run', '/var/run'].flatMap((run) => SYSTEM_RUN_FOLDERS.map((folder) => `${run}/${folder}`))
/**
 * Further trees that a DaemonSet asking for `DirectoryOrCreate` does not make its own: the
 * kubelet's whole state (pods' volumes and tokens, plugins), k3s/RKE's, CNI's configuration and
 * binaries, the control plane's configuration and the runtimes' state. The `type` is the author's
 * to write, so it says nothing about whose folder these are. (A recognised CNI/CSI node plugin is
 * judged on `SYSTEM_HOST_TREES` alone: it needs, say, `/var/lib/kubelet/pods` or `/opt/cni/bin`.)
 */
const NODE_AGENT_SYSTEM_TREES = ['/var/lib/kubelet', '/var/lib/rancher', '/var/lib/cni', '/opt/cni', '/etc/kubernetes', '/var/lib/containerd', '/var/lib/docker']
/** Folders that are system paths themselves but whose subfolders may be a plugin's own (`/var/lib/longhorn`, `/var/run/ztunnel`). */
const SYSTEM_HOST_PARENTS = new Set(['/', '/var', '/var/lib', '/var/lib/kubelet', '/var/cache', '/var/spool', '/var/opt', '/var/local', '/opt', '/mnt', '/media', '/srv', '/run', '/var/run', '/tmp', '/var/tmp'])

/** A host path without its trailing slashes. */
function trimmedHostPath(hostPath: string): string {
  // Trailing slashes trimmed by hand: a `/+$` pattern backtracks on long runs of slashes.
  const trimmed = hostPath.trim()
  let end = trimmed.length
  while (end > 1 && trimmed[end - 1] === '/') end--
  return trimmed.slice(0, end)
}

/** Whether a host path is one of the node's system paths (see `SYSTEM_HOST_TREES`); an unset or relative path counts as one. */
function isSystemHostPath(hostPath: string): boolean {
  const p = trimmedHostPath(hostPath)
  if (!p.startsWith('/') || p.split('/').some((part) => part === '..') || SYSTEM_HOST_PARENTS.has(p)) return true
  return [...SYSTEM_HOST_TREES, ...SYSTEM_RUN_TREES].some((root) => p === root || p.startsWith(`${root}/`))
}

/**
 * Why a hostPath volume outside the node's system paths is the own folder of what mounts it, or
 * undefined when it is not known to be (or the path is a system one):
 * - a CNI/CSI node-plugin container (as the privileged-container rule classifies it, see
 *   `containerNodePluginNeed`), privileged or not, mounts it: the plugin's own data on the node
 *   (`/var/lib/longhorn`);
 * - a DaemonSet (a node agent, one pod per node) asks the kubelet to create it when it is missing
 *   (`type: DirectoryOrCreate`), below a top-level folder: a folder made for the agent
 *   (`/var/run/ztunnel`), not host data it was written to read.
 */
function ownHostFolder(obj: K8sObject, pod: PodSpec, volume: Node, volumeName: string): string | undefined {
  const v = obj.view
  const hostPath = v.get(volume, 'hostPath')
  const path = v.str(v.get(hostPath, 'path')) ?? ''
  if (isSystemHostPath(path)) return undefined
  const mounters = containersOf(v, pod).filter((c) => v.items(v.get(c.node, 'volumeMounts')).some((m) => v.str(v.get(m, 'name')) === volumeName))
  const outside = "outside the node's system paths, this folder is that plugin's own data on the node"
  // The privileged plugin first: its message says its privilege is reported on its own.
  const plugins = mounters.map((c) => ({ c, need: containerNodePluginNeed(v, pod, c), privileged: isTrue(v, v.get(v.get(c.node, 'securityContext'), 'privileged')) })).filter((p) => p.need !== undefined)
  const plugin = plugins.find((p) => p.privileged) ?? plugins[0]
  if (plugin) {
    return plugin.privileged
      ? `the privileged container \`${plugin.c.name}\` mounting it is ${nodePluginClause(plugin.need!)}, and its privilege is reported on its own; ${outside}`
      : `the container \`${plugin.c.name}\` mounting it is ${nodePluginClause(plugin.need!)}; ${outside}`
  }
  const parts = trimmedHostPath(path).split('/').filter((part) => part !== '')
  const trimmed = `/${parts.join('/')}`
  if (NODE_AGENT_SYSTEM_TREES.some((root) => trimmed === root || trimmed.startsWith(`${root}/`))) return undefined
  if (obj.kind === 'DaemonSet' && mounters.length > 0 && parts.length >= 2 && v.str(v.get(hostPath, 'type')) === 'DirectoryOrCreate') {
    const named = agentNameOfFolder(obj, parts[parts.length - 1]!)
    if (named === undefined) return undefined
    return `DaemonSet \`${obj.name}\` is a node agent that has the kubelet create this folder when it is missing (\`type: DirectoryOrCreate\`), and the folder is named after its ${named}; outside the node's system paths, it is a folder made for that agent, not the host's own data`
  }
  return undefined
}

/**
 * Whether a container is privileged and k8s/privileged-container reports it at full severity: not a
 * CNI/CSI node plugin (`containerNodePluginNeed`) nor an init container only running `sysctl -w`
 * (`initContainerSysctls`), which that rule lowers to medium. Only then may another finding of the
 * container lean on the privileged one to say the rest.
 */
function privilegedAtFullSeverity(v: DocView, pod: PodSpec, c: Container): boolean {
  if (!isTrue(v, v.get(v.get(c.node, 'securityContext'), 'privileged'))) return false
  return containerNodePluginNeed(v, pod, c) === undefined && initContainerSysctls(v, c) === undefined
}

/** A path left for the author to fill in (`<dataDirHostPath>`, `${DATA_DIR}`, `{{ .Values.dir }}`): no path of the node as written. */
const PLACEHOLDER_PATH = /^\s*(?:<[^<>]+>|\$\{[^{}]+\}|\{\{[^{}]+\}\})\s*$/

/**
 * Why a hostPath volume outside the node's system paths (or a placeholder for one) adds little: every
 * container mounting it is privileged, which holds the whole node already (any device, any mount)
 * and is reported critical on its own (`privilegedAtFullSeverity`: not where that finding is lowered), as k8s/run-as-root lowers beside it. System paths keep their severity.
 */
function privilegedMountersOnly(obj: K8sObject, pod: PodSpec, volume: Node, volumeName: string): string | undefined {
  const v = obj.view
  const path = v.str(v.get(v.get(volume, 'hostPath'), 'path')) ?? ''
  const placeholder = PLACEHOLDER_PATH.test(path)
  if (!placeholder && isSystemHostPath(path)) return undefined
  const mounters = containersOf(v, pod).filter((c) => v.items(v.get(c.node, 'volumeMounts')).some((m) => v.str(v.get(m, 'name')) === volumeName))
  if (!mounters.length || !mounters.every((c) => privilegedAtFullSeverity(v, pod, c))) return undefined
  const who = mounters.length === 1 ? `the container \`${mounters[0]!.name}\` mounting it is privileged` : `every container mounting it (${mounters.map((c) => `\`${c.name}\``).join(', ')}) is privileged`
  const where = placeholder ? 'the path is a placeholder to be filled in, not one of the node\'s system paths as written' : "the path is outside the node's system paths"
  return `${who}, which gives it the node already and is reported on its own; ${where}`
}

/**
 * What of a DaemonSet the last part of a host folder is named after (`name \`ztunnel\``), or
 * undefined: its name, or its pod template's or its own `app`/`app.kubernetes.io/name` label,
 * case-insensitively, either holding the other (`/var/run/ztunnel` for `istio-ztunnel`,
 * `/var/lib/agent-data` for `agent`). A folder the agent is not named by may be any other
 * software's, whatever `type` the author wrote.
 */
function agentNameOfFolder(obj: K8sObject, folder: string): string | undefined {
  const v = obj.view
  const f = folder.toLowerCase()
  const labels = [labelsOf(v, v.at(obj.node, ['spec', 'template', 'metadata', 'labels'])), labelsOf(v, v.at(obj.node, ['metadata', 'labels']))]
  const candidates: [string, string | undefined][] = [
    ['name', obj.name],
    ...labels.flatMap((l) => (['app', 'app.kubernetes.io/name'] as const).map((key): [string, string | undefined] => [`\`${key}\` label`, Object.hasOwn(l, key) ? l[key] : undefined]))
  ]
  // Three characters at least on the shorter side, so that `/x/a` does not match every agent with an `a`.
  const fits = (name: string): boolean => {
    const n = name.toLowerCase()
    const shorter = Math.min(n.length, f.length)
    return shorter >= 3 && (f.includes(n) || n.includes(f))
  }
  const hit = candidates.find(([, name]) => name !== undefined && fits(name))
  return hit ? `${hit[0]} \`${hit[1]}\`` : undefined
}

/** A PersistentVolume backed by a node directory is a hostPath mount for whoever claims it. */
export function checkPersistentVolume(ctx: CheckContext, obj: K8sObject): Finding[] {
  const hostPath = obj.view.at(obj.node, ['spec', 'hostPath'])
  if (hostPath === undefined) return []
  const finding = hostPathFinding(ctx, obj, hostPath, `PersistentVolume \`${obj.name}\``)
  return finding ? [finding] : []
}

/** `admission`: why the pod mounting it is rejected at admission, if it is; `own`: why the folder is the own folder of the plugin or agent mounting it (see `ownHostFolder`). */
function hostPathFinding(ctx: CheckContext, obj: K8sObject, hostPath: Node, subject: string, admission?: string, own?: string): Finding | undefined {
  const v = obj.view
  const p = v.str(v.get(hostPath, 'path')) ?? ''
  const line = v.pair(hostPath, 'path') ? v.keyLine(hostPath, 'path') : v.line(hostPath)
  if (isRuntimeSocketPath(p)) {
    return ctx.report(K8S.runtimeSocketMount, line, ...unlessRejected(`${subject} mounts the container runtime socket \`${p}\` from the host`, admission))
  }
  // System components in kube-system legitimately read node directories (log shippers, CNI).
  if (obj.namespace === 'kube-system') return undefined
  const message = `${subject} mounts host path \`${p || '(unset)'}\``
  if (own) return ctx.report(K8S.hostPathVolume, line, `${message} (low: ${own})`, { severity: 'low' })
  return ctx.report(K8S.hostPathVolume, line, ...unlessRejected(message, admission))
}
