/** Rules for dockerfile files. (Filled in by the dockerfile analyzer work.) */
import type { Finding, RuleMeta, SourceFile } from '../types.js'

export const dockerfileRules: RuleMeta[] = []

export function analyzeDockerfile(_file: SourceFile): Finding[] | Promise<Finding[]> {
  return []
}
