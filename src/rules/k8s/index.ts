/**
 * Rules for Kubernetes manifests (plain or rendered from Helm): every document of the stream is
 * read with positions, so each finding points at the offending key or at the object that lacks
 * a setting. Raw Helm templates are classified `helm` and never reach this analyzer.
 */
import type { Finding, SourceFile } from '../../types.js'
import { costKubernetes } from '../../cost/kubernetes.js'
import { defineLanguage } from '../language.js'
import { checkReporter, reporterFor, type Check, type CheckReporter, type Report } from '../rule.js'
import { checkEnv, checkImage, checkProbes, checkResources, checkSecurityContext, type CheckContext } from './containers.js'
import { checkBinding, checkExposure, checkRole, checkSelector } from './cluster.js'
import { K8S } from './meta.js'
import { buildManifestSets, contextPathsFor, parseManifest, type ManifestSets } from './folder.js'
import { folderOf } from '../../util/paths.js'
import { containersOf, isBuiltInApi, podSpecOf, type Container, type K8sObject, type PodSpec } from './objects.js'
import { isFragment, isSelectorlessPatch, keepOnPartial, UNPLACED, type Placement } from './patches.js'
import { checkHostNamespaces, checkNetworkPolicy, checkPersistentVolume, checkSeccomp, checkTokenAutomount, checkUser, checkVolumes } from './pod.js'
import { checkReplication, checkRollout, indexStream, type StreamIndex } from './workloads.js'

export const kubernetesRules = Object.values(K8S)
export { buildManifestSets, contextPathsFor, type ManifestSets } from './folder.js'

/**
 * What a check walks: one object of the stream, seen in one of three passes. A cluster object
 * (RBAC, Service, PersistentVolume) is seen once as itself; a workload once per container, then
 * once as its pod. Each check acts in the passes it is written for and returns nothing in the others.
 */
export type K8sSubject = { ctx: CheckContext } & ObjectInPass
type ObjectInPass = { obj: K8sObject; stream: StreamIndex } & (
  | { pass: 'object' }
  | { pass: 'container'; pod: PodSpec; container: Container }
  | { pass: 'pod'; pod: PodSpec; containers: Container[] }
)

/** Kinds checked as themselves; any other kind is checked through its pod template, if it has one. */
const CLUSTER_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Service', 'PersistentVolume'])

/** What a check returns in a pass it does not act in: one shared, frozen empty list, not a new one per call. */
const NONE: Finding[] = Object.freeze([]) as unknown as Finding[]

const ofKinds =
  (kinds: readonly string[], check: (ctx: CheckContext, obj: K8sObject, stream: StreamIndex) => Finding[]) =>
  (s: K8sSubject): Finding[] =>
    s.pass === 'object' && kinds.includes(s.obj.kind) ? check(s.ctx, s.obj, s.stream) : NONE
const perContainer =
  (check: (ctx: CheckContext, obj: K8sObject, pod: PodSpec, c: Container, stream: StreamIndex) => Finding[]) =>
  (s: K8sSubject): Finding[] =>
    s.pass === 'container' ? check(s.ctx, s.obj, s.pod, s.container, s.stream) : NONE
const perPod =
  (check: (ctx: CheckContext, obj: K8sObject, pod: PodSpec, containers: Container[], stream: StreamIndex) => Finding[]) =>
  (s: K8sSubject): Finding[] =>
    s.pass === 'pod' ? check(s.ctx, s.obj, s.pod, s.containers, s.stream) : NONE

/**
 * The checks, each with the rules it may report (its context's `report` refuses any other), in
 * the order they run on a container, a pod and a cluster object.
 */
export const kubernetesChecks: Check<K8sSubject, Finding[]>[] = [
  { rules: [K8S.noLivenessProbe, K8S.noReadinessProbe], run: perContainer((ctx, obj, pod, c, stream) => checkProbes(ctx, obj, pod, c, stream)) },
  { rules: [K8S.noCpuRequests, K8S.noCpuLimits, K8S.noMemoryRequests, K8S.noMemoryLimits], run: perContainer((ctx, obj, pod, c) => checkResources(ctx, obj, pod, c)) },
  { rules: [K8S.imageMissing, K8S.imageLatest], run: perContainer((ctx, obj, _pod, c, stream) => checkImage(ctx, obj, c, stream)) },
  {
    rules: [
      K8S.privileged,
      K8S.privilegeEscalationAllowed,
      K8S.privilegeEscalationNotDisabled,
      K8S.dangerousCapability,
      K8S.netRawCapability,
      K8S.capabilitiesNotDropped,
      K8S.writableRootFilesystem
    ],
    run: perContainer((ctx, obj, pod, c, stream) => checkSecurityContext(ctx, obj, pod, c, stream))
  },
  { rules: [K8S.literalSecretEnv, K8S.secretInEnv], run: perContainer((ctx, obj, _pod, c) => checkEnv(ctx, obj, c)) },
  { rules: [K8S.runAsRoot, K8S.runAsNonRootNotSet], run: perPod((ctx, obj, pod, containers, stream) => checkUser(ctx, obj, pod, containers, stream)) },
  { rules: [K8S.hostNetwork, K8S.hostPid, K8S.hostIpc], run: perPod((ctx, obj, pod, containers, stream) => checkHostNamespaces(ctx, obj, pod, containers, stream)) },
  {
    // Host paths of a pod's volumes, and of a PersistentVolume (a host path for whoever claims it).
    rules: [K8S.runtimeSocketMount, K8S.hostPathVolume],
    run: (s) => (s.pass === 'pod' ? checkVolumes(s.ctx, s.obj, s.pod, s.stream) : s.pass === 'object' && s.obj.kind === 'PersistentVolume' ? checkPersistentVolume(s.ctx, s.obj) : NONE)
  },
  { rules: [K8S.noSeccompProfile], run: perPod((ctx, obj, pod, containers, stream) => checkSeccomp(ctx, obj, pod, containers, stream)) },
  { rules: [K8S.serviceAccountTokenAutomount], run: perPod((ctx, obj, pod, _containers, stream) => checkTokenAutomount(ctx, obj, pod, stream)) },
  { rules: [K8S.noNetworkPolicy], run: perPod((ctx, obj, pod, _containers, stream) => checkNetworkPolicy(ctx, obj, pod, stream)) },
  { rules: [K8S.singleReplica, K8S.noPodDisruptionBudget, K8S.noAntiAffinity], run: perPod((ctx, obj, pod, _containers, stream) => checkReplication(ctx, obj, pod, stream)) },
  { rules: [K8S.recreateStrategy, K8S.noMinReadySeconds, K8S.noRevisionHistory], run: perPod((ctx, obj, pod, containers, stream) => checkRollout(ctx, obj, pod, containers, stream)) },
  { rules: [K8S.rbacWildcard], run: ofKinds(['Role', 'ClusterRole'], checkRole) },
  { rules: [K8S.clusterAdminBinding], run: ofKinds(['RoleBinding', 'ClusterRoleBinding'], checkBinding) },
  { rules: [K8S.serviceSelectsNoPods], run: ofKinds(['Service'], checkSelector) },
  { rules: [K8S.nodePort, K8S.openLoadBalancer], run: ofKinds(['Service'], checkExposure) }
]

/**
 * Throws ParseError on invalid YAML or on an alias bomb. With `sets` (built once by the engine
 * for the whole file list), cross-object rules see every manifest of the file's folder.
 */
export function analyzeKubernetes(file: SourceFile, sets?: ManifestSets, report: Report = reporterFor(kubernetesRules, file.path, 'kubernetes')): Finding[] {
  const objects = sets?.parsed.get(file.path)?.objects ?? parseManifest(file.content).objects
  const ctx = fileContext(file, report, sets?.unlisted.get(file.path))
  const stream = sets?.byFolder.get(folderOf(file.path)) ?? indexStream(objects)
  // ConfigMap data a controller reads (a helper pod's template) is partial like a patch: what it
  // sets holds for the pods made from it, what it leaves out (service account, probes) is the controller's.
  const listedPatch = (sets?.patches.has(file.path) ?? false) || (sets?.generatorData.has(file.path) ?? false)
  const placement = placementOf(file.path, sets)
  // The lines only a partial object's findings are judged against: split when one is met.
  let lines: string[] | undefined
  const linesOf = (): string[] => (lines ??= file.content.split(/\r\n?|\n/))
  const out: Finding[] = []
  for (const obj of objects) analyzeObject(ctx, obj, stream, listedPatch, placement, linesOf, out)
  return out
}

/** Where a file stands with the kustomizations of the list (none without the folder's sets). */
function placementOf(path: string, sets: ManifestSets | undefined): Placement {
  return sets ? { asResource: sets.asResources.has(path), leftOut: sets.unlisted.has(path) } : UNPLACED
}

/** The context every check of a file sees; its report accepts only the running check's rules (`checks` runs each check). */
interface FileContext extends CheckContext {
  checks: CheckReporter
}

function fileContext(file: SourceFile, report: Report, leftOutBy: string | undefined): FileContext {
  const checks = checkReporter(report, 'kubernetes')
  return { path: file.path, content: file.content, report: checks.report, checks, leftOutBy }
}

/**
 * Runs every check on one subject, adding what they find to `into`. One subject per pass and one
 * context per file, narrowed to each check's rules in turn: this runs for every check of every
 * container, and a copy per check (a spread of a subject of changing shape) cost more than most
 * checks. Checks use the subject and context while they run and never keep them.
 */
function runAll(ctx: FileContext, subject: K8sSubject, into: Finding[]): void {
  for (let i = 0; i < kubernetesChecks.length; i++) {
    const found = ctx.checks.run(kubernetesChecks[i]!, subject)
    for (let k = 0; k < found.length; k++) into.push(found[k]!)
  }
}

/** Adds the findings on one object to `out`. */
function analyzeObject(ctx: FileContext, obj: K8sObject, stream: StreamIndex, listedPatch: boolean, placement: Placement, linesOf: () => readonly string[], out: Finding[]): void {
  // Only Kubernetes' own kinds: a custom resource may reuse a name (Knative's `Service` runs pods).
  if (CLUSTER_KINDS.has(obj.kind) && isBuiltInApi(obj.view.str(obj.view.get(obj.node, 'apiVersion')))) return runAll(ctx, { ctx, pass: 'object', obj, stream }, out)
  const pod = podSpecOf(obj)
  if (!pod) return
  const containers = containersOf(obj.view, pod)
  const findings: Finding[] = []
  for (const container of containers) runAll(ctx, { ctx, pass: 'container', obj, stream, pod, container }, findings)
  runAll(ctx, { ctx, pass: 'pod', obj, stream, pod, containers }, findings)
  // A patch or fragment is merged onto a base elsewhere: what it leaves out is the base's.
  const patch = listedPatch || isSelectorlessPatch(obj, containers, placement)
  const kept = patch || isFragment(obj, containers) ? keepOnPartial(findings, linesOf(), patch) : findings
  for (const f of kept) out.push(f)
}

/** A workload that is a strategic-merge patch by its shape (no selector; see `isSelectorlessPatch`). */
function isShapedPatch(obj: K8sObject, placement: Placement): boolean {
  const pod = podSpecOf(obj)
  return pod !== undefined && isSelectorlessPatch(obj, containersOf(obj.view, pod), placement)
}

export const kubernetes = defineLanguage<ManifestSets>({
  kind: 'kubernetes',
  rules: kubernetesRules,
  checks: kubernetesChecks,
  analyze: (file, report, sets) => analyzeKubernetes(file, sets, report),
  // Cross-object rules (PDB, HPA, NetworkPolicy, Service selectors) see every manifest of the folder.
  buildContext: buildManifestSets,
  contextPaths: contextPathsFor,
  // A file holding a patch by its shape is partial for cost too: its missing limits are the base's.
  cost: (file, sets) => {
    // Parsed once: from the folder's sets, or here, and handed to the cost pass either way.
    const parsed = sets?.parsed.get(file.path) ?? parseManifest(file.content)
    const partial = (sets?.patches.has(file.path) ?? false) || (sets?.generatorData.has(file.path) ?? false) || parsed.objects.some((obj) => isShapedPatch(obj, placementOf(file.path, sets)))
    return costKubernetes(file.path, file.content, parsed.yaml, partial)
  },
  plan: {
    verify: '`kubectl diff -f <file>` shows only the intended fields; after apply, `kubectl rollout status` completes',
    rollback: 'Run `kubectl rollout undo deployment/<name>` (or re-apply the previous manifest); keep `revisionHistoryLimit` above zero so an older ReplicaSet exists.'
  },
  secretsDialect: 'yaml'
})
