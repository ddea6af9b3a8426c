/** Rules for workflow files. (Filled in by the workflow analyzer work.) */
import type { Finding, RuleMeta, SourceFile } from '../types.js'

export const workflowRules: RuleMeta[] = []

export function analyzeWorkflow(_file: SourceFile): Finding[] | Promise<Finding[]> {
  return []
}
