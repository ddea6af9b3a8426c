/** Container-level checks: probes, resources, image, security context, environment. */
import type { Finding } from '../../types.js'
import type { Node } from '../parse/yaml.js'
import { isMap } from '../parse/yaml.js'
import type { Report } from '../rule.js'
import { HOST_KERNEL_CAPABILITIES, capabilityName, envSecretLiteral, mutableImageReason, parseImageRef } from '../container-common.js'
import { WELL_KNOWN_DEFAULT, accessKeyIdStore, asksToReplace, classifyKey, isDefaultPassword, keyWords, loginBeside, looksRandom, namesSecretKeyOf } from '../secrets/keys.js'
import { K8S } from './meta.js'
import { holdsPlaceOnly, isBuiltInApi, isTrue, numberAt, runsPauseImage, usesNoResources, type Container, type K8sObject, type PodSpec } from './objects.js'
import { lineText, replaceScalarOnLine, type DocView } from './view.js'
import { servedByService, unroutedContainer, type StreamIndex } from './workloads.js'
import { containerNodePluginNeed, initContainerSysctls } from './pod.js'
import { nodePluginClause } from '../node-plugin.js'
import { sysctlClause } from '../node-sysctl.js'
import { admissionRejection, capabilityRequirement, PSS, unlessRejected, type PodSecurityRequirement } from './pod-security.js'

export interface CheckContext {
  path: string
  content: string
  /** Builds each finding; refuses the rules its check does not declare. */
  report: Report
  /** The kustomization of the file's folder when it leaves the file out and none in view names it: that build does not deploy it. */
  leftOutBy?: string
}

const label = (c: Container): string => `${c.init ? 'init container' : 'container'} \`${c.name}\``

export function checkProbes(ctx: CheckContext, obj: K8sObject, pod: PodSpec, c: Container, stream?: StreamIndex): Finding[] {
  const v = obj.view
  // The pause image's one process waits for a signal, an idle command only sleeps: nothing to hang, nothing to serve.
  if (c.init || pod.runToCompletion || holdsPlaceOnly(v, c)) return []
  const out: Finding[] = []
  if (v.get(c.node, 'livenessProbe') === undefined) {
    const message = `${label(c)} of ${obj.kind} \`${obj.name}\` has no liveness probe`
    // Its readiness probe already takes a hung container out of traffic: only the restart is missing.
    out.push(
      v.get(c.node, 'readinessProbe') !== undefined
        ? ctx.report(K8S.noLivenessProbe, c.line, `${message} (it has a readiness probe, so a hung container is taken out of traffic, only not restarted: low)`, { severity: 'low' })
        : ctx.report(K8S.noLivenessProbe, c.line, message)
    )
  }
  // Readiness only gates Service traffic: pods no Service of the set routes to need none.
  // Knative Serving gives a container without one a TCP readiness probe of its own.
  const knative = v.str(v.get(obj.node, 'apiVersion'))?.startsWith('serving.knative.dev/') === true
  if (v.get(c.node, 'readinessProbe') === undefined && !knative && servedByService(stream, obj, pod) !== false) {
    const message = `${label(c)} of ${obj.kind} \`${obj.name}\` has no readiness probe`
    const unrouted = unroutedContainer(stream, obj, pod, c)
    // The Services target only its neighbours' ports (a config reloader beside the server): it gets none of their traffic.
    if (unrouted === 'other-containers') return out
    out.push(
      unrouted === 'unlabeled'
        ? ctx.report(K8S.noReadinessProbe, c.line, `${message} (low: its pod carries no labels, so no Service can select it and readiness gates no traffic${obj.kind === 'Pod' ? '; a bare Pod has no rollout to hold back either' : ''})`, { severity: 'low' })
        : unrouted === 'no-service'
        ? ctx.report(K8S.noReadinessProbe, c.line, `${message} (low: no container of the pod declares a port and no Service in ${stream?.scope ?? 'this file'} routes to it; a Service elsewhere could still target a port it does not declare)`, {
            severity: 'low'
          })
        : ctx.report(K8S.noReadinessProbe, c.line, message)
    )
  }
  return out
}

const RESOURCE_RULES = [
  { section: 'requests', resource: 'cpu', meta: K8S.noCpuRequests },
  { section: 'limits', resource: 'cpu', meta: K8S.noCpuLimits },
  { section: 'requests', resource: 'memory', meta: K8S.noMemoryRequests },
  { section: 'limits', resource: 'memory', meta: K8S.noMemoryLimits }
] as const

export function checkResources(ctx: CheckContext, obj: K8sObject, pod: PodSpec, c: Container): Finding[] {
  const v = obj.view
  // The pause image or an idle sidecar uses next to no CPU or memory, and never more: its requests, when set, only hold capacity.
  if (usesNoResources(v, pod, c)) return []
  const resources = v.get(c.node, 'resources')
  const out: Finding[] = []
  for (const r of RESOURCE_RULES) {
    const section = v.get(resources, r.section)
    if (v.str(v.get(section, r.resource)) !== undefined) continue
    // Point at the most specific place that exists: `limits:`/`requests:`, `resources:`, the container.
    const line = section !== undefined ? v.keyLine(resources, r.section) : resources !== undefined ? v.keyLine(c.node, 'resources') : c.line
    const limit = r.section === 'requests' ? v.str(v.get(v.get(resources, 'limits'), r.resource)) : undefined
    if (limit !== undefined) {
      // The API server copies a missing request from the limit: the pod is placed, but it
      // reserves its peak. True and worth a word for cost, not the scheduling risk of no request.
      out.push(
        ctx.report(r.meta, line, `${label(c)} of ${obj.kind} \`${obj.name}\` sets no ${r.resource} request, so Kubernetes reserves its whole limit (\`${limit}\`) on the node`, {
          severity: 'low',
          remediation: `Set \`resources.requests.${r.resource}\` to the steady-state need so the node capacity above it stays available to other pods.`
        })
      )
      continue
    }
    if (c.init && r.section === 'requests') {
      // The scheduler reserves the larger of the biggest init container's request and the app containers' sum:
      // a missing request here hides a need only when it is above what the app containers ask for.
      out.push(
        ctx.report(r.meta, line, `${label(c)} of ${obj.kind} \`${obj.name}\` sets no ${r.resource} request; the pod reserves the larger of its init containers' requests and the sum of its app containers', so this matters only where this step needs more than the app containers ask for (low)`, {
          severity: 'low'
        })
      )
      continue
    }
    out.push(ctx.report(r.meta, line, `${label(c)} of ${obj.kind} \`${obj.name}\` sets no ${r.resource} ${r.section === 'limits' ? 'limit' : 'request'}`))
  }
  return out
}

/** Why an image reference is not pinned, or undefined when it is, or when it is filled in before apply. */
export function imageProblem(ref: string): 'latest' | 'untagged' | undefined {
  const image = ref.trim()
  // Substituted later (envsubst, kustomize, Skaffold, a `sed` of `{IMAGE}`, `__IMAGE__` or
  // `<image>` before apply): nothing to judge here.
  if (image === '' || /\$\(|\$\{|\{\{/.test(image) || /^(?:\{[\w.-]+\}|__[\w.-]+__|<[^<>]+>|%[\w.-]+%)$/.test(image)) return undefined
  return mutableImageReason(parseImageRef(image))
}

export function checkImage(ctx: CheckContext, obj: K8sObject, c: Container, stream?: StreamIndex): Finding[] {
  const v = obj.view
  const imageNode = v.get(c.node, 'image')
  const image = v.str(imageNode)
  if (image === undefined) {
    // An operator's custom resource (a connection pooler, a database) fills in its own image.
    if (!isBuiltInApi(v.str(v.get(obj.node, 'apiVersion')))) return []
    return [ctx.report(K8S.imageMissing, c.line, `${label(c)} of ${obj.kind} \`${obj.name}\` has no image`)]
  }
  const problem = imageProblem(image)
  if (!problem) return []
  const name = parseImageRef(image).name
  // A kustomization deploying this set sets the tag (`images: [{name, newTag}]`): what is applied is pinned.
  if (stream?.pinnedImages.has(name)) return []
  const what = problem === 'latest' ? 'the `latest` tag' : 'no tag (implicitly `latest`)'
  const line = v.keyLine(c.node, 'image')
  const placeholder = buildPlaceholder(obj, name, stream)
  if (placeholder) return [ctx.report(K8S.imageLatest, line, `${label(c)} image \`${image}\` uses ${what}. Info: it is a placeholder the build replaces: ${placeholder}`, { severity: 'info' })]
  // The pause image only holds its place: whichever version is pulled, nothing it runs differs.
  if (runsPauseImage(v, c)) return [ctx.report(K8S.imageLatest, line, `${label(c)} image \`${image}\` uses ${what}. Low: it is the Kubernetes pause image, a placeholder that runs nothing of its own, so a different version changes no behaviour`, { severity: 'low' })]
  return [ctx.report(K8S.imageLatest, line, `${label(c)} image \`${image}\` uses ${what}`)]
}

/**
 * Why a bare one-word image (no registry, no namespace: `controller`) is a placeholder that the
 * build of a kustomize base replaces, or undefined when nothing shows it is. Either a kustomization
 * deploying the set keeps an `images:` slot for that name, or it is kubebuilder's scaffold (also
 * operator-sdk's): image `controller` in the Deployment `controller-manager` of a kustomize base,
 * whose Makefile and release scripts run `kustomize edit set image controller=…` before building.
 */
function buildPlaceholder(obj: K8sObject, name: string, stream: StreamIndex | undefined): string | undefined {
  if (name.includes('/') || stream === undefined) return undefined
  if (stream.imageSlots.has(name)) return `a kustomization deploying it lists \`${name}\` under \`images:\`, the entry \`kustomize edit set image ${name}=…\` fills in`
  if (name === 'controller' && obj.kind === 'Deployment' && obj.name === 'controller-manager' && stream.kustomized) {
    return "`controller` in the Deployment `controller-manager` of a kustomize base is kubebuilder's scaffold image, which the project's build sets with `kustomize edit set image controller=…`"
  }
  return undefined
}

/** A pod pinned to Windows nodes (`spec.os.name`, or the `kubernetes.io/os` node selector). */
function runsOnWindows(obj: K8sObject, pod: PodSpec): boolean {
  const v = obj.view
  return v.str(v.at(pod.node, ['os', 'name'])) === 'windows' || v.str(v.get(v.get(pod.node, 'nodeSelector'), 'kubernetes.io/os')) === 'windows'
}

/**
 * `pod` is the object's pod spec (`podSpecOf(obj)`), read once by the caller for all its containers.
 * What the namespace's Pod Security rejects is low (the pod never runs), with the reason.
 */
export function checkSecurityContext(ctx: CheckContext, obj: K8sObject, pod: PodSpec, c: Container, stream?: StreamIndex): Finding[] {
  const v = obj.view
  const rejected = (requirement: PodSecurityRequirement): string | undefined => admissionRejection(stream, obj, pod, requirement)
  const sc = v.get(c.node, 'securityContext')
  const scLine = sc !== undefined ? v.keyLine(c.node, 'securityContext') : c.line
  const out: Finding[] = []

  const privileged = isTrue(v, v.get(sc, 'privileged'))
  if (privileged) {
    const line = v.keyLine(sc, 'privileged')
    const suggestion = replaceScalarOnLine(lineText(ctx.content, line), 'privileged', /^true$/i, 'false')
    const need = containerNodePluginNeed(v, pod, c)
    const sysctls = need ? undefined : initContainerSysctls(v, c)
    const subject = `${label(c)} of ${obj.kind} \`${obj.name}\` runs privileged`
    const why = need ? nodePluginClause(need) : sysctls ? `it ${sysctlClause(sysctls.keys, [sysctls.image])}` : undefined
    const admission = rejected(PSS.notPrivileged)
    if (admission) out.push(ctx.report(K8S.privileged, line, ...unlessRejected(subject, admission, { suggestion })))
    else out.push(why ? ctx.report(K8S.privileged, line, `${subject} (medium: ${why})`, { suggestion, severity: 'medium' }) : ctx.report(K8S.privileged, line, subject, { suggestion }))
  }

  const escalation = v.get(sc, 'allowPrivilegeEscalation')
  if (isTrue(v, escalation)) {
    const line = v.keyLine(sc, 'allowPrivilegeEscalation')
    const suggestion = replaceScalarOnLine(lineText(ctx.content, line), 'allowPrivilegeEscalation', /^true$/i, 'false')
    const subject = `${label(c)} allows privilege escalation`
    const admission = rejected(PSS.noEscalation)
    const moot = admission ? undefined : escalationMoot(v, pod, c)
    out.push(moot ? ctx.report(K8S.privilegeEscalationAllowed, line, `${subject} (${moot}: low)`, { suggestion, severity: 'low' }) : ctx.report(K8S.privilegeEscalationAllowed, line, ...unlessRejected(subject, admission, { suggestion })))
  } else if (v.str(escalation) === undefined && !privileged) {
    // A privileged container escalates by definition, and the API server refuses `false` beside it: the privileged finding says it all.
    out.push(ctx.report(K8S.privilegeEscalationNotDisabled, scLine, ...unlessRejected(`${label(c)} does not set \`allowPrivilegeEscalation: false\``, rejected(PSS.noEscalation))))
  }

  const capName = (cap: Node): string => capabilityName(v.str(cap) ?? '')
  const added = new Set(v.items(v.at(sc, ['capabilities', 'add'])).map(capName))
  const dropped = new Set(v.items(v.at(sc, ['capabilities', 'drop'])).map(capName))
  for (const cap of v.items(v.at(sc, ['capabilities', 'add']))) {
    const name = capName(cap)
    const reach = HOST_KERNEL_CAPABILITIES.get(name)
    const requirement = capabilityRequirement(name)
    const admission = requirement && rejected(requirement)
    if (reach) {
      const message = `${label(c)} adds the ${name} capability (${reach.does})`
      // A privileged container holds every capability already: adding one changes nothing, and the privileged finding says so.
      if (privileged && !admission) out.push(ctx.report(K8S.dangerousCapability, v.line(cap), `${message} (low: it is also privileged, which grants every capability and is reported on its own)`, { severity: 'low' }))
      else out.push(ctx.report(K8S.dangerousCapability, v.line(cap), ...unlessRejected(message, admission, { severity: reach.severity })))
    } else if (name === 'NET_RAW') {
      const subject = `${label(c)} of ${obj.kind} \`${obj.name}\` adds the NET_RAW capability`
      const moot = admission ? undefined : netRawMoot(privileged, added, isTrue(v, v.get(pod.node, 'hostNetwork')))
      out.push(moot ? ctx.report(K8S.netRawCapability, v.line(cap), `${subject} (low: ${moot})`, { severity: 'low' }) : ctx.report(K8S.netRawCapability, v.line(cap), ...unlessRejected(subject, admission)))
    }
  }
  // A privileged container has every capability whatever it drops: that finding says more.
  if (!dropped.has('ALL') && !isTrue(v, v.get(sc, 'privileged'))) {
    const capabilities = v.get(sc, 'capabilities')
    const line = capabilities !== undefined ? v.keyLine(sc, 'capabilities') : scLine
    // containerd and Docker keep NET_RAW among their defaults; CRI-O has not since 1.18.
    const netRaw = dropped.has('NET_RAW') ? '' : ' (NET_RAW among them under containerd and Docker)'
    const message = `hardening: ${label(c)} of ${obj.kind} \`${obj.name}\` does not drop ALL capabilities, so it keeps the runtime defaults${netRaw}`
    out.push(ctx.report(K8S.capabilitiesNotDropped, line, ...unlessRejected(message, rejected(PSS.dropAll))))
  }

  // Windows containers have no read-only root filesystem to ask for.
  if (!isTrue(v, v.get(sc, 'readOnlyRootFilesystem')) && !runsOnWindows(obj, pod)) {
    const line = v.pair(sc, 'readOnlyRootFilesystem') ? v.keyLine(sc, 'readOnlyRootFilesystem') : scLine
    out.push(ctx.report(K8S.writableRootFilesystem, line, `${label(c)} has a writable root filesystem`))
  }
  return out
}

/**
 * Why adding NET_RAW gives a container little it would not have anyway, or undefined: it is
 * privileged, or adds SYS_ADMIN (or ALL), or adds NET_ADMIN on the host's network: each a larger
 * power over the node, reported on its own. Dropping ALL and adding back only NET_RAW (and other
 * defaults of containerd and Docker) is no such case: CRI-O (OpenShift) has left NET_RAW out of its
 * defaults since 1.18, so there the container holds more than a default one.
 */
function netRawMoot(privileged: boolean, added: ReadonlySet<string>, hostNetwork: boolean): string | undefined {
  if (privileged) return 'it is also privileged, which grants every capability and is reported on its own'
  const larger = ['ALL', 'SYS_ADMIN'].find((cap) => added.has(cap))
  if (larger) return `it also adds ${larger}, a larger power over the node, reported on its own by k8s/dangerous-capability`
  if (added.has('NET_ADMIN') && hostNetwork) return "it also adds NET_ADMIN on the host's network (`hostNetwork: true`, reported on its own), which lets it reconfigure the node's network: more than raw packets"
  return undefined
}

/**
 * Why `allowPrivilegeEscalation: true` gives a container nothing more, or undefined when it may:
 * - it adds SYS_ADMIN, beside which the API server refuses `allowPrivilegeEscalation: false`;
 * - it runs as UID 0 (its own `runAsUser`, else the pod's) and drops ALL capabilities: root
 *   already holds every capability of its fixed set, and a setuid binary or file capability
 *   cannot raise it past that set. Root and the capabilities it adds are reported on their own.
 */
function escalationMoot(v: DocView, pod: PodSpec, c: Container): string | undefined {
  const sc = v.get(c.node, 'securityContext')
  const capabilities = v.get(sc, 'capabilities')
  const added = v.items(v.get(capabilities, 'add')).map((cap) => capabilityName(v.str(cap) ?? ''))
  const reasons: string[] = []
  if (added.includes('SYS_ADMIN')) reasons.push('it adds SYS_ADMIN, beside which the API server refuses `allowPrivilegeEscalation: false` (the capability is reported on its own, k8s/dangerous-capability)')
  const podSc = v.get(pod.node, 'securityContext')
  const uidOwner = v.get(sc, 'runAsUser') !== undefined ? sc : v.get(podSc, 'runAsUser') !== undefined ? podSc : undefined
  const root = uidOwner !== undefined && numberAt(v, v.get(uidOwner, 'runAsUser')) === 0
  if (root && v.items(v.get(capabilities, 'drop')).some((cap) => capabilityName(v.str(cap) ?? '') === 'ALL')) {
    const reported = added.length > 0 ? 'root and the capabilities it adds are reported on their own (k8s/run-as-root and the capability rules)' : 'root is reported on its own (k8s/run-as-root)'
    reasons.push(`it runs as UID 0 (root) with a fixed capability set (it drops ALL), so a setuid binary or file capability raises it no further; ${reported}`)
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined
}

/** Whether a comment on the entry's lines asks for the real value: what it holds is a stand-in. */
function askedToReplace(content: string, lines: (number | undefined)[]): boolean {
  return lines.some((line) => line !== undefined && asksToReplace(lineText(content, line)))
}

/** The container's `env` entries that hold a literal `value`, as name and value. */
function literalEnv(v: DocView, env: Node[]): { key: string; value: string }[] {
  return env.flatMap((e) => {
    const [key, value] = [v.str(v.get(e, 'name')), v.str(v.get(e, 'value'))]
    return key !== undefined && value !== undefined ? [{ key, value }] : []
  })
}

/** What a Secret object holding its state or credentials belongs to (`OPERATOR_SECRET`, `TLS_SECRET`), never what signs or encrypts. */
const SECRET_OWNER_WORDS = new Set(['operator', 'controller', 'tls', 'cert', 'certs', 'certificate', 'ca', 'registry', 'pull', 'image', 'kubeconfig'])

/**
 * `MINIO_ACCESS_KEY: tempo` beside `MINIO_SECRET_KEY: …`: the access key of a pair is its login when
 * it is a short typed name and the store's secret key beside it (same prefix, not empty) is itself
 * reported as a literal; then the pair is reported once, at the secret key. A random-looking or
 * AWS-shaped id, or a pair whose secret key is a reference or stand-in, keeps its finding.
 */
function loginHalf(name: string, value: string, literals: { key: string; value: string }[]): boolean {
  const store = accessKeyIdStore(name)
  if (!store || !/^[a-z][a-z0-9_-]{1,19}$/.test(value) || looksRandom(value)) return false
  return literals.some((e) => {
    if (!namesSecretKeyOf(e.key, store)) return false
    const partner = envSecretLiteral(e.key, e.value)
    return partner !== undefined && !partner.standIn
  })
}

/**
 * `OPERATOR_SECRET: operator`, `TLS_SECRET: ingress-tls`: a name ending in `SECRET` whose other
 * words name what owns a Secret object, set to at most three lower-case words with no digit, the
 * shape of an object's name: the Secret to read or write, more likely than a secret itself. A
 * signing secret (`JWT_SECRET`, `SESSION_SECRET`, `WEBHOOK_SECRET`) of lower-case words is a passphrase.
 */
function mayNameSecretObject(name: string, value: string): boolean {
  const words = keyWords(name)
  if (words.length < 2 || words[words.length - 1] !== 'secret' || !words.slice(0, -1).every((w) => SECRET_OWNER_WORDS.has(w))) return false
  return value.length <= 63 && /^[a-z]+(?:-[a-z]+){0,2}$/.test(value)
}

export function checkEnv(ctx: CheckContext, obj: K8sObject, c: Container): Finding[] {
  const v = obj.view
  const out: Finding[] = []
  const env = v.items(v.get(c.node, 'env'))
  // Built for the first literal password only: most containers set none.
  let literals: { key: string; value: string }[] | undefined
  for (const entry of env) {
    const name = v.str(v.get(entry, 'name')) ?? ''
    const value = v.str(v.get(entry, 'value'))
    const valueLine = v.keyLine(entry, 'value')
    const literal = envSecretLiteral(name, value)
    if (value !== undefined && literal !== undefined && !literal.standIn && !askedToReplace(ctx.content, [v.keyLine(entry, 'name'), valueLine]) && !loginHalf(name, value, (literals ??= literalEnv(v, env)))) {
      const password = classifyKey(name) === 'password'
      // `minio123`, `admin`: a default anyone tries first, as in a Secret or a values file; so is a
      // store's access key (its login) set to one (`MINIO_ACCESS_KEY: admin`).
      const wellKnown = (password || accessKeyIdStore(name) !== undefined) && isDefaultPassword(value)
      // `POSTGRES_PASSWORD: app` beside `POSTGRES_USER: app`: a default login, as in a Secret.
      const login = password && !wellKnown ? loginBeside(name, value, (literals ??= literalEnv(v, env))) : undefined
      const why = wellKnown ? WELL_KNOWN_DEFAULT : login ? `the same as \`${login}\` beside it (a default login)` : undefined
      if (why === undefined && mayNameSecretObject(name, value)) {
        out.push(ctx.report(K8S.literalSecretEnv, valueLine, `${label(c)} sets \`${name}\` to a plain lower-case name, which more likely names the Secret object it keeps than holds a secret (low)`, { severity: 'low' }))
        continue
      }
      out.push(ctx.report(K8S.literalSecretEnv, valueLine, `${label(c)} sets \`${name}\` to a literal value${why ? `, ${why}` : ''}`, why ? { severity: 'medium' } : undefined))
    }
    const valueFrom = v.get(entry, 'valueFrom')
    if (v.get(valueFrom, 'secretKeyRef') !== undefined) {
      out.push(ctx.report(K8S.secretInEnv, v.keyLine(valueFrom, 'secretKeyRef'), `${label(c)} reads secret into environment variable \`${name}\``))
    }
  }
  for (const source of v.items(v.get(c.node, 'envFrom'))) {
    if (!isMap(source) || v.get(source, 'secretRef') === undefined) continue
    const secretName = v.str(v.at(source as Node, ['secretRef', 'name'])) ?? '(unnamed)'
    out.push(ctx.report(K8S.secretInEnv, v.keyLine(source, 'secretRef'), `${label(c)} loads every key of secret \`${secretName}\` into its environment`))
  }
  return out
}
