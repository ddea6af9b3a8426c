/**
 * Builds findings from a rule's meta, so a finding's category and severity always match the
 * catalogue. Shared by the Kubernetes and CloudFormation analyzers.
 */
import type { Finding, RuleMeta } from '../../types.js'

export interface FindingExtra {
  endLine?: number
  suggestion?: string
  /** Overrides the rule's generic remediation with a more specific one. */
  remediation?: string
}

export function makeFinding(meta: RuleMeta, path: string, line: number, message: string, extra: FindingExtra = {}): Finding {
  const f: Finding = {
    ruleId: meta.id,
    category: meta.category,
    severity: meta.severity,
    path,
    line,
    message,
    remediation: extra.remediation ?? meta.remediation
  }
  if (extra.endLine !== undefined && extra.endLine > line) f.endLine = extra.endLine
  if (extra.suggestion !== undefined) f.suggestion = extra.suggestion
  return f
}
