/**
 * Rules for Kubernetes manifests (plain or rendered from Helm): every document of the stream is
 * read with positions, so each finding points at the offending key or at the object that lacks
 * a setting. Raw Helm templates are classified `helm` and never reach this analyzer.
 */
import type { Finding, SourceFile } from '../../types.js'
import { costKubernetes } from '../../cost/kubernetes.js'
import { defineLanguage } from '../language.js'
import { reporterFor, type Report } from '../rule.js'
import { checkContainer, type CheckContext } from './containers.js'
import { checkBinding, checkRole, checkService } from './cluster.js'
import { K8S } from './meta.js'
import { buildManifestSets, contextPathsFor, folderOf, parseManifest, type ManifestSets } from './folder.js'
import { containersOf, podSpecOf, type K8sObject } from './objects.js'
import { isFragment, keepOnPartial } from './patches.js'
import { checkPersistentVolume, checkPod } from './pod.js'
import { checkWorkload, indexStream } from './workloads.js'

export const kubernetesRules = Object.values(K8S)
export { buildManifestSets, contextPathsFor, type ManifestSets } from './folder.js'

/**
 * Throws ParseError on invalid YAML or on an alias bomb. With `sets` (built once by the engine
 * for the whole file list), cross-object rules see every manifest of the file's folder.
 */
export function analyzeKubernetes(file: SourceFile, sets?: ManifestSets, report: Report = reporterFor(kubernetesRules, file.path, 'kubernetes')): Finding[] {
  const objects = sets?.parsed.get(file.path)?.objects ?? parseManifest(file.content).objects
  const ctx: CheckContext = { path: file.path, content: file.content, report }
  const stream = sets?.byFolder.get(folderOf(file.path)) ?? indexStream(objects)
  const listedPatch = sets?.patches.has(file.path) ?? false
  const lines = file.content.split(/\r\n?|\n/)
  return objects.flatMap((obj) => analyzeObject(ctx, obj, stream, listedPatch, lines))
}

function analyzeObject(ctx: CheckContext, obj: K8sObject, stream: ReturnType<typeof indexStream>, listedPatch: boolean, lines: readonly string[]): Finding[] {
  switch (obj.kind) {
    case 'Role':
    case 'ClusterRole':
      return checkRole(ctx, obj)
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return checkBinding(ctx, obj)
    case 'Service':
      return checkService(ctx, obj, stream)
    case 'PersistentVolume':
      return checkPersistentVolume(ctx, obj)
  }
  const pod = podSpecOf(obj)
  if (!pod) return []
  const containers = containersOf(obj.view, pod)
  const findings = [
    ...containers.flatMap((c) => checkContainer(ctx, obj, pod, c, stream)),
    ...checkPod(ctx, obj, pod, containers, stream),
    ...checkWorkload(ctx, obj, pod, stream)
  ]
  // A patch or fragment is merged onto a base elsewhere: what it leaves out is the base's.
  return listedPatch || isFragment(obj, containers) ? keepOnPartial(findings, lines, listedPatch) : findings
}

export const kubernetes = defineLanguage<ManifestSets>({
  kind: 'kubernetes',
  rules: kubernetesRules,
  analyze: (file, report, sets) => analyzeKubernetes(file, sets, report),
  // Cross-object rules (PDB, HPA, NetworkPolicy, Service selectors) see every manifest of the folder.
  buildContext: buildManifestSets,
  contextPaths: contextPathsFor,
  cost: (file, sets) => costKubernetes(file.path, file.content, sets?.parsed.get(file.path)?.yaml),
  plan: {
    verify: '`kubectl diff -f <file>` shows only the intended fields; after apply, `kubectl rollout status` completes',
    rollback: 'Run `kubectl rollout undo deployment/<name>` (or re-apply the previous manifest); keep `revisionHistoryLimit` above zero so an older ReplicaSet exists.'
  },
  secretsDialect: 'yaml'
})
