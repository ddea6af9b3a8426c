/** Inline review comment bodies, for deterministic findings and for the model's comments. */
import type { Finding, ReviewComment, Severity } from '../types.js'
import type { ModelComment } from '../llm/types.js'
import { fingerprint, fingerprintMarker } from './markers.js'
import { sanitizeModelText } from './sanitize.js'

export const SEVERITY_ICON: Record<Severity, string> = {
  critical: '🛑',
  high: '🔴',
  medium: '🟠',
  low: '🟡',
  info: '🔵'
}

export const RULES_DOC_URL = 'https://github.com/preflight-dev/preflight/blob/main/docs/rules.md'

/** `withSuggestion`: every line of the finding's span can carry the suggestion block. */
export function commentForFinding(f: Finding, withSuggestion: boolean): ReviewComment {
  const parts = [`${SEVERITY_ICON[f.severity]} **${f.severity} · ${f.category}** — ${f.message}`]
  if (f.remediation) parts.push(`**Fix:** ${f.remediation}`)
  const useSuggestion = withSuggestion && f.suggestion !== undefined
  if (useSuggestion) parts.push('```suggestion\n' + f.suggestion!.replace(/\n$/, '') + '\n```')
  parts.push(`<sub>Rule [\`${f.ruleId}\`](${RULES_DOC_URL}#${anchorOf(f.ruleId)}) · Preflight</sub>`)
  const fp = fingerprint(f.ruleId, f.path, f.message)
  parts.push(fingerprintMarker(fp))
  const multi = useSuggestion && f.endLine !== undefined && f.endLine > f.line
  return {
    path: f.path,
    line: multi ? (f.endLine as number) : f.line,
    startLine: multi ? f.line : undefined,
    body: parts.join('\n\n'),
    fingerprint: fp,
    severity: f.severity
  }
}

export function commentForModel(c: ModelComment, model: string): ReviewComment {
  const parts = [`${SEVERITY_ICON[c.severity]} **${c.severity} · ${c.category}** — ${sanitizeModelText(c.body)}`]
  if (c.suggestion !== undefined) parts.push('```suggestion\n' + sanitizeModelText(c.suggestion).replace(/\n$/, '') + '\n```')
  parts.push(`<sub>Persona review (${model}) · Preflight</sub>`)
  const fp = fingerprint(`model:${c.category}`, c.path, c.body)
  parts.push(fingerprintMarker(fp))
  return { path: c.path, line: c.line, body: parts.join('\n\n'), fingerprint: fp, severity: c.severity }
}

/** GitHub's heading anchor for a rule id in docs/rules.md (`### \`tf/aws-x\``). */
export function anchorOf(ruleId: string): string {
  return ruleId.toLowerCase().replace(/[^a-z0-9 -]/g, '')
}
