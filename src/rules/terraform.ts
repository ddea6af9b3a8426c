/** Rules for terraform files. (Filled in by the terraform analyzer work.) */
import type { Finding, RuleMeta, SourceFile } from '../types.js'

export const terraformRules: RuleMeta[] = []

export function analyzeTerraform(_file: SourceFile): Finding[] | Promise<Finding[]> {
  return []
}
