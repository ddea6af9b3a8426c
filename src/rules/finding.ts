/**
 * The one way a rule builds a finding: category and severity always come from the rule's meta,
 * so a finding can never disagree with the catalogue.
 */
import type { Finding, RuleMeta } from '../types.js'

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
