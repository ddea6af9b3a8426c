/** Rules for cloudformation files. (Filled in by the cloudformation analyzer work.) */
import type { Finding, RuleMeta, SourceFile } from '../types.js'

export const cloudformationRules: RuleMeta[] = []

export function analyzeCloudformation(_file: SourceFile): Finding[] | Promise<Finding[]> {
  return []
}
