/**
 * Rules for Kubernetes manifests (plain or rendered from Helm): every document of the stream is
 * read with positions, so each finding points at the offending key or at the object that lacks
 * a setting. Raw Helm templates are classified `helm` and never reach this analyzer.
 */
import type { Finding, RuleMeta, SourceFile } from '../types.js'
import { checkContainer, type CheckContext } from './k8s/containers.js'
import { checkBinding, checkRole, checkService } from './k8s/cluster.js'
import { K8S } from './k8s/meta.js'
import { folderOf, parseManifest, type ManifestSets } from './k8s/folder.js'
import { containersOf, podSpecOf, type K8sObject } from './k8s/objects.js'
import { checkPersistentVolume, checkPod } from './k8s/pod.js'
import { checkWorkload, indexStream } from './k8s/workloads.js'

export const kubernetesRules: RuleMeta[] = Object.values(K8S)
export { buildManifestSets, contextPathsFor, type ManifestSets } from './k8s/folder.js'

/**
 * Throws ParseError on invalid YAML or on an alias bomb. With `sets` (built once by the engine
 * for the whole file list), cross-object rules see every manifest of the file's folder.
 */
export function analyzeKubernetes(file: SourceFile, sets?: ManifestSets): Finding[] {
  const objects = sets?.parsed.get(file.path)?.objects ?? parseManifest(file.content).objects
  const ctx: CheckContext = { path: file.path, content: file.content }
  const stream = sets?.byFolder.get(folderOf(file.path)) ?? indexStream(objects)
  return objects.flatMap((obj) => analyzeObject(ctx, obj, stream))
}

function analyzeObject(ctx: CheckContext, obj: K8sObject, stream: ReturnType<typeof indexStream>): Finding[] {
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
  return [
    ...containers.flatMap((c) => checkContainer(ctx, obj, pod, c, stream)),
    ...checkPod(ctx, obj, pod, containers, stream),
    ...checkWorkload(ctx, obj, pod, stream)
  ]
}
