/** Rules for kubernetes files. (Filled in by the kubernetes analyzer work.) */
import type { Finding, RuleMeta, SourceFile } from '../types.js'

export const kubernetesRules: RuleMeta[] = []

export function analyzeKubernetes(_file: SourceFile): Finding[] | Promise<Finding[]> {
  return []
}
