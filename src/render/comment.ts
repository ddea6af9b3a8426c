/**
 * Inline review comment bodies: one comment per (file, resource), listing its problems most
 * severe first, with at most one combined suggestion, and the model's remarks on the same line.
 * Every untrusted string goes through render/escape.ts; the fingerprint marker is the last line.
 */
import type { Finding, Severity } from '../types.js'
import { SEVERITY_RANK } from '../types.js'
import type { ModelComment } from '../llm/types.js'
import { fingerprintMarker } from './markers.js'
import { cellCode, clip, fencedBlock, mdBlock, mdCode, mdMessage } from './escape.js'

export const SEVERITY_ICON: Record<Severity, string> = {
  critical: '🛑',
  high: '🔴',
  medium: '🟠',
  low: '🟡',
  info: '🔵'
}

export const RULES_DOC_URL = 'https://github.com/preflight-dev/preflight/blob/main/docs/rules.md'

/** At most this many problems are listed in one comment; the rest are counted. */
const MAX_PROBLEMS_PER_COMMENT = 15
/**
 * Bounds on untrusted text in a comment, so a body never nears GitHub's 65,536 limit (where
 * delivery would cut it and lose the fingerprint marker on its last line).
 */
const CLIP = { message: 1_000, remediation: 600, label: 200, model: 4_000 }
/** The listed problems and remarks of one comment, escaped, stay under this. */
const MAX_LISTED_CHARS = 30_000
/** A suggestion cannot be shortened (it must commit exactly): above this it is left out. */
const MAX_SUGGESTION_CHARS = 20_000

/** GitHub's heading anchor for a rule id in docs/rules.md (`### \`tf/aws-x\``). */
export function anchorOf(ruleId: string): string {
  return ruleId.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')
}

/**
 * The documentation link of a finding's rule: its own `helpUri` when that is a plain https URL
 * (imported results are untrusted), else the rule catalogue.
 */
export function ruleUrl(f: Pick<Finding, 'ruleId' | 'helpUri'>): string {
  if (f.helpUri && /^https:\/\/[A-Za-z0-9.-]+(?:\/[A-Za-z0-9._~%!$&'*+,;=:@/?#-]*)?$/.test(f.helpUri) && !/[()]/.test(f.helpUri)) return f.helpUri
  // An imported id of absurd length is no heading of the catalogue: link the catalogue itself.
  return f.ruleId.length > CLIP.label ? RULES_DOC_URL : `${RULES_DOC_URL}#${anchorOf(f.ruleId)}`
}

/** `[`rule-id`](link)`: the id as code, the link checked. */
export function ruleLink(f: Pick<Finding, 'ruleId' | 'helpUri'>, inCell = false): string {
  return `[${(inCell ? cellCode : mdCode)(clip(f.ruleId, CLIP.label))}](${ruleUrl(f)})`
}

export function bySeverity<T extends { severity: Severity }>(a: T, b: T): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]
}

/** What one inline comment is made of. */
export interface CommentGroup {
  path: string
  /** The resource, container, job or step, as shown to the reader (untrusted); absent when unknown. */
  label?: string
  findings: Finding[]
  model: { comment: ModelComment; model: string }[]
  /** The combined suggestion replacing the comment's lines (no final newline), when there is one. */
  suggestion?: string
  fingerprint: string
}

/** One problem as a list item: icon, severity, message, fix, rule link. */
export function findingItem(f: Finding): string {
  const fix = f.remediation ? ` **Fix:** ${mdMessage(clip(f.remediation, CLIP.remediation))}` : ''
  return `- ${SEVERITY_ICON[f.severity]} **${f.severity}** ${mdMessage(clip(f.message, CLIP.message))}${fix} (${ruleLink(f)})`
}

/** The body of a grouped inline comment; the fingerprint marker is its last line. */
export function renderGroupComment(g: CommentGroup): string {
  const findings = [...g.findings].sort((a, b) => bySeverity(a, b) || a.line - b.line || a.ruleId.localeCompare(b.ruleId))
  const model = [...g.model].sort((a, b) => bySeverity(a.comment, b.comment) || a.comment.body.localeCompare(b.comment.body))
  const worst = [...findings.map((f) => f.severity), ...model.map((m) => m.comment.severity)].sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a])[0] ?? 'info'
  const count = findings.length + model.length
  const what = g.label ? ` in ${mdCode(clip(g.label, CLIP.label))}` : ''
  const parts: string[] = [`${SEVERITY_ICON[worst]} **${count} problem${count === 1 ? '' : 's'}${what}**, most severe first`]
  // Problems, then the model's remarks, while they fit in the budget; the rest is counted.
  let used = 0
  const fits = (text: string): boolean => (used + text.length <= MAX_LISTED_CHARS ? ((used += text.length), true) : false)
  if (findings.length) {
    const shown: string[] = []
    for (const f of findings.slice(0, MAX_PROBLEMS_PER_COMMENT)) {
      const item = findingItem(f)
      if (!fits(item)) break
      shown.push(item)
    }
    if (findings.length > shown.length) shown.push(`- … and ${findings.length - shown.length} more on this resource (\`preflight scan\` lists every finding)`)
    parts.push(shown.join('\n'))
  }
  let modelLeft = model.length
  for (const m of model) {
    const remark = `${SEVERITY_ICON[m.comment.severity]} **${m.comment.severity} · ${m.comment.category}**, from the persona review (model ${mdCode(clip(m.model, CLIP.label))}):\n\n${mdBlock(clip(m.comment.body, CLIP.model))}`
    if (!fits(remark)) break
    parts.push(remark)
    modelLeft--
  }
  if (modelLeft) parts.push(`… and ${modelLeft} more remark${modelLeft === 1 ? '' : 's'} of the persona review, left out for length`)
  if (g.suggestion !== undefined && g.suggestion.length <= MAX_SUGGESTION_CHARS) parts.push(fencedBlock(g.suggestion, 'suggestion'))
  const sources = [findings.length ? 'rules' : '', model.length ? 'persona review (model)' : ''].filter(Boolean).join(' + ')
  parts.push(`<sub>Preflight · ${sources}</sub>`)
  parts.push(fingerprintMarker(g.fingerprint))
  return parts.join('\n\n')
}
