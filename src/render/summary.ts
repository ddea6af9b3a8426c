/**
 * The summary: the sticky PR comment, the job summary and `preflight review --format markdown`
 * all render from here. Secrets are masked by the caller through `redact` on the final text.
 */
import type { Finding, ReviewComment, Severity } from '../types.js'
import { SEVERITIES } from '../types.js'
import type { ReviewResult } from '../modes/pipeline.js'
import { checklistTable, renderPlan } from './plan.js'
import { SEVERITY_ICON } from './comment.js'
import { cell, sanitizeModelText } from './sanitize.js'

const VERDICT_ICON = { pass: '✅', warn: '⚠️', fail: '❌', skipped: '⏭️' } as const

export interface SummaryExtras {
  /** Inline comments GitHub refused; they are listed here instead. */
  failedComments?: ReviewComment[]
  postedComments?: number
  duplicateComments?: number
  /** Link base for evidence: `https://github.com/o/r/blob/<sha>`. */
  blobUrl?: string
  /** The run is read-only (fork PR): results are in annotations and here. */
  readOnly?: boolean
  /** A note at the top, e.g. "incremental review since abc1234". */
  headline?: string
}

export function countBySeverity(findings: Finding[]): string {
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as [Severity, number]).filter(([, n]) => n > 0)
  return counts.length ? counts.map(([s, n]) => `${n} ${s}`).join(', ') : 'none'
}

export function renderSummary(result: ReviewResult, extras: SummaryExtras = {}): string {
  const out: string[] = []
  out.push(`## 🛫 Preflight — ${VERDICT_ICON[result.verdict]} ${result.verdict}`, '')
  const cost = result.usage.costUsd > 0 || result.usage.inputTokens > 0
    ? `model cost ≈ $${result.usage.costUsd.toFixed(4)} (${result.usage.inputTokens} in / ${result.usage.outputTokens} out tokens, ${result.usage.cacheReadTokens} cached)`
    : 'deterministic review (no model)'
  out.push(`**Findings on changed files:** ${countBySeverity(result.findings)} · **Personas:** ${result.agents.map((a) => a.agent.persona.name).join(', ') || 'none'} · ${cost}`)
  if (extras.headline) out.push('', `> ${extras.headline}`)
  if (extras.readOnly) out.push('', '> This run had a read-only token (e.g. a pull request from a fork): results are in the job summary and annotations only.')
  if (extras.postedComments !== undefined) {
    // Only totals that stay the same on a re-run, so an unchanged pull request costs no write.
    const onDiff = extras.postedComments + (extras.duplicateComments ?? 0)
    out.push('', `Inline comments on the diff: ${onDiff}${extras.failedComments?.length ? `; ${extras.failedComments.length} could not be anchored (listed below)` : ''}.`)
  }
  out.push('')

  if (result.agents.length === 0) {
    out.push(result.verdict === 'skipped' ? 'No infrastructure file changed: nothing for the personas to review.' : 'No persona matched this change.', '')
  } else {
    out.push('### Personas', '')
    for (const a of result.agents) out.push(`- **${a.agent.persona.displayName}** (\`${a.agent.persona.name}\`) — ${sanitizeModelText(a.agent.reason)}`)
    out.push('')
  }

  for (const a of result.agents) {
    out.push(`### Checklist — ${a.agent.persona.displayName}`, '')
    if (a.answer) out.push('**Answer**', '', sanitizeModelText(a.answer), '')
    if (a.modelSummary) out.push(sanitizeModelText(a.modelSummary), '')
    out.push(...checklistTable(linkEvidence(a.checklist, extras.blobUrl)), '')
  }

  const unanchored = [...result.unanchored]
  const failed = extras.failedComments ?? []
  if (unanchored.length || failed.length || result.unanchoredModel.length) {
    const n = unanchored.length + failed.length + result.unanchoredModel.length
    out.push(`<details><summary>Findings not on lines this change touched, or not commentable (${n})</summary>`, '')
    out.push('| | Rule | Where | Message |', '|---|---|---|---|')
    for (const f of unanchored.slice(0, 100)) out.push(`| ${SEVERITY_ICON[f.severity]} | \`${f.ruleId}\` | ${where(f.path, f.line, extras.blobUrl)} | ${cell(f.message)} |`)
    for (const c of failed.slice(0, 50)) out.push(`| ${SEVERITY_ICON[c.severity]} | comment | ${where(c.path, c.line, extras.blobUrl)} | ${cell(firstLine(c.body))} |`)
    for (const c of result.unanchoredModel.slice(0, 50)) out.push(`| ${SEVERITY_ICON[c.severity]} | persona | ${where(c.path, c.line, extras.blobUrl)} | ${cell(sanitizeModelText(c.body))} |`)
    if (unanchored.length > 100) out.push('', `… and ${unanchored.length - 100} more.`)
    out.push('', '</details>', '')
  }

  if (result.notes.length) {
    out.push(`<details><summary>Files skipped or not fully analyzed (${result.notes.length})</summary>`, '')
    for (const n of result.notes.slice(0, 100)) out.push(`- \`${n.path}\` — ${n.reason}: ${cell(n.message)}`)
    out.push('', '</details>', '')
  }
  if (result.messages.length) {
    out.push('**Notes**', '', ...result.messages.map((m) => `- ${sanitizeModelText(m)}`), '')
  }
  for (const a of result.agents) {
    out.push(`<details><summary>Plan — ${a.agent.persona.displayName}</summary>`, '', renderPlan(a.plan, a.checklist), '</details>', '')
  }
  return out.join('\n')
}

function firstLine(body: string): string {
  return body.split('\n')[0].replace(/^\S+\s+/, '')
}

function where(path: string, line: number, blobUrl?: string): string {
  return blobUrl ? `[${path}:${line}](${blobUrl}/${encodeURI(path)}#L${line})` : `\`${path}:${line}\``
}

function linkEvidence<T extends { evidence: string[] }>(items: T[], blobUrl?: string): T[] {
  if (!blobUrl) return items
  return items.map((i) => ({
    ...i,
    evidence: i.evidence.map((e) => e.replace(/ at (\S+):(\d+)/, (_m, p: string, l: string) => ` at [${p}:${l}](${blobUrl}/${encodeURI(p)}#L${l})`))
  }))
}
