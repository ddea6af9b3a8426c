/**
 * Rules for Kubernetes manifests (plain or rendered from Helm): every document of the stream is
 * read with positions, so each finding points at the offending key or at the object that lacks
 * a setting. Raw Helm templates are classified `helm` and never reach this analyzer.
 */
import type { Finding, RuleMeta, SourceFile } from '../types.js'
import { assertNoAliasBomb, parseYaml } from './yaml.js'
import { checkContainer, type CheckContext } from './k8s/containers.js'
import { checkBinding, checkRole, checkService } from './k8s/cluster.js'
import { K8S } from './k8s/meta.js'
import { containersOf, objectsOf, podSpecOf, type K8sObject } from './k8s/objects.js'
import { checkPersistentVolume, checkPod } from './k8s/pod.js'
import { docView } from './k8s/view.js'
import { checkWorkload, indexStream } from './k8s/workloads.js'

export const kubernetesRules: RuleMeta[] = Object.values(K8S)

/** Throws ParseError on invalid YAML or on an alias bomb. */
export function analyzeKubernetes(file: SourceFile): Finding[] {
  const yaml = parseYaml(file.content)
  const objects: K8sObject[] = []
  for (const doc of yaml.docs) {
    // An alias bomb becomes a ParseError before any walk.
    assertNoAliasBomb(yaml, doc)
    objects.push(...objectsOf(docView(yaml, doc), doc.contents ?? undefined))
  }
  const ctx: CheckContext = { path: file.path, content: file.content }
  const stream = indexStream(objects)
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
      return checkService(ctx, obj)
    case 'PersistentVolume':
      return checkPersistentVolume(ctx, obj)
  }
  const pod = podSpecOf(obj)
  if (!pod) return []
  const containers = containersOf(obj.view, pod)
  return [
    ...containers.flatMap((c) => checkContainer(ctx, obj, pod, c)),
    ...checkPod(ctx, obj, pod, containers),
    ...checkWorkload(ctx, obj, pod, stream)
  ]
}
