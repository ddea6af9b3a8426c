/** Rules for compose files. (Filled in by the compose analyzer work.) */
import type { Finding, RuleMeta, SourceFile } from '../types.js'

export const composeRules: RuleMeta[] = []

export function analyzeCompose(_file: SourceFile): Finding[] | Promise<Finding[]> {
  return []
}
