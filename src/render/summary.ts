/**
 * The summary: the sticky PR comment, the job summary and `preflight review --format markdown`
 * all render from here. Short and stable: verdict and why, "Fix first", the model's summary,
 * one checklist merged across personas, the rest collapsed, the first plan steps. Every section
 * has a character budget and is a closed block (tables, `<details>`), so cutting whole sections
 * keeps the Markdown valid; the same result always renders the same text. Secrets are masked by
 * the caller through `redact`; the hidden markers go first (`summaryHeader` in markers.ts).
 */
import type { ChecklistResult, Finding, ReviewComment, ReviewResult, Severity } from '../types.js'
import { SEVERITIES, SEVERITY_RANK } from '../types.js'
import type { ModelComment } from '../llm/types.js'
import { countedFindings } from '../checklist/verdict.js'
import { STATUS_ICON, renderPlan } from './plan.js'
import { SEVERITY_ICON, ruleLink } from './comment.js'
import { renderCostSection } from './cost.js'
import { cellCode, cellMessage, cellText, clip, fileLink, htmlText, mdBlock, mdCode, mdMessage, mdText } from './escape.js'

const VERDICT_ICON = { pass: '✅', warn: '⚠️', fail: '❌', skipped: '⏭️' } as const

/** Never more than this in the sticky comment (GitHub's limit is 65,536), hidden state excluded. */
export const MAX_SUMMARY_CHARS = 52_000
/** Character budgets of the sections, so a typical pull request stays well under 12,000. */
const BUDGET = { fixFirst: 1_500, model: 2_000, answer: 3_000, checklist: 4_000, rest: 5_000, notes: 1_500, messages: 1_500, plan: 1_500 }
/** Untrusted strings are cut to these lengths before escaping. */
const CLIP = { message: 300, path: 200, evidence: 200, question: 200 }

export interface SummaryExtras {
  /** Inline comments GitHub refused; they are listed here instead. */
  failedComments?: ReviewComment[]
  postedComments?: number
  duplicateComments?: number
  /** Link base for evidence: `https://github.com/o/r/blob/<sha>`. */
  blobUrl?: string
  /** Link to this run's job summary, where the full plan is. */
  jobSummaryUrl?: string
  /** The run is read-only (fork PR): results are in annotations and here. */
  readOnly?: boolean
  /** A note at the top, e.g. "incremental review since abc1234". */
  headline?: string
  /** Overrides MAX_SUMMARY_CHARS (tests, other hosts). */
  maxChars?: number
}

export function countBySeverity(findings: readonly Finding[]): string {
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as [Severity, number]).filter(([, n]) => n > 0)
  return counts.length ? counts.map(([s, n]) => `${n} ${s}`).join(', ') : 'none'
}

/** Most severe first, then by place: the one order every list of findings uses. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.line - b.line ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  )
}

const findingKey = (f: Finding): string => `${f.path}\0${f.line}\0${f.ruleId}\0${f.message}`

interface Section {
  lines: string[]
  /** Lower is dropped first when the whole does not fit. */
  priority: number
}

export function renderSummary(result: ReviewResult, extras: SummaryExtras = {}): string {
  const sections: Section[] = []
  const counted = countedFindings(result.findings).sort(compareFindings)
  const where = (path: string, line: number, inCell = false): string =>
    extras.blobUrl ? fileLink(extras.blobUrl, clip(path, CLIP.path), line, undefined, inCell) : (inCell ? cellCode : mdCode)(`${clip(path, CLIP.path)}:${line}`)

  // Verdict, why, counts: never dropped.
  const head = [`## 🛫 Preflight — ${VERDICT_ICON[result.verdict]} ${result.verdict}`, '', `**${mdText(capitalise(result.verdictReason))}.**`, '']
  const info = result.findings.filter((f) => f.severity === 'info' && !f.suppressed).length
  const suppressed = (result.suppressed?.length ?? 0) + result.findings.filter((f) => f.suppressed).length
  const cost = result.usage.costUsd > 0 || result.usage.inputTokens > 0
    ? `model cost ≈ $${result.usage.costUsd.toFixed(4)} (${result.usage.inputTokens} in / ${result.usage.outputTokens} out tokens, ${result.usage.cacheReadTokens} cached)`
    : 'deterministic review (no model)'
  const extra = [info ? `${info} info` : '', suppressed ? `${suppressed} suppressed` : ''].filter(Boolean).join(', ')
  head.push(`Findings: ${countBySeverity(counted)}${extra ? ` (not counted: ${extra})` : ''} · Personas: ${result.agents.map((a) => mdText(a.agent.persona.name)).join(', ') || 'none'} · ${cost}`)
  if (extras.postedComments !== undefined) {
    // Only totals that stay the same on a re-run, so an unchanged pull request costs no write.
    const onDiff = extras.postedComments + (extras.duplicateComments ?? 0)
    head.push('', `Inline comments on the diff: ${onDiff}${extras.failedComments?.length ? `; ${extras.failedComments.length} could not be anchored (listed below)` : ''}.`)
  }
  if (extras.headline) head.push('', `> ${mdText(extras.headline)}`)
  if (extras.readOnly) head.push('', '> This run had a read-only token (e.g. a pull request from a fork): results are in the job summary and annotations only.')
  sections.push({ lines: head, priority: 100 })

  if (counted.length) {
    // Within a severity, what the change itself touched comes first: a finding commented on the diff
    // is about the lines under review, one elsewhere in a changed file may predate them.
    const onDiff = new Set(Object.values(result.commentSources).flatMap((s) => s.findings.map(findingKey)))
    const first = [...counted].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || Number(onDiff.has(findingKey(b))) - Number(onDiff.has(findingKey(a))) || compareFindings(a, b))
    const items = first.slice(0, 3).map((f, i) => `${i + 1}. ${SEVERITY_ICON[f.severity]} **${f.severity}** ${mdMessage(clip(f.message, CLIP.message))} — ${where(f.path, f.line)} (${ruleLink(f)})`)
    sections.push({ lines: ['### Fix first', '', ...fitLines(items, BUDGET.fixFirst)], priority: 90 })
  }

  if (result.cost) sections.push({ lines: renderCostSection(result.cost), priority: 65 })

  const modelSummaries = result.agents.filter((a) => a.modelSummary?.trim())
  if (modelSummaries.length) {
    const lines = ['### Persona review (model)', '']
    const seen = new Set<string>()
    for (const a of modelSummaries) {
      const text = (a.modelSummary as string).trim()
      if (seen.has(text)) continue
      seen.add(text)
      lines.push(`**${mdText(a.agent.persona.displayName)}:** ${mdBlock(clip(text, BUDGET.model / 2))}`, '')
    }
    sections.push({ lines: fitLines(lines, BUDGET.model), priority: 70 })
  }
  const answers = result.agents.filter((a) => a.answer?.trim())
  if (answers.length) {
    const lines = answers.flatMap((a) => [`**Answer** (${mdText(a.agent.persona.displayName)})`, '', mdBlock(clip((a.answer as string).trim(), BUDGET.answer)), ''])
    sections.push({ lines, priority: 80 })
  }

  const checklist = mergedChecklist(result.agents.map((a) => ({ persona: a.agent.persona.displayName, items: a.checklist })))
  if (checklist.length) {
    sections.push({ lines: ['### Checklist', '', ...boundedTable(['', 'Question', 'Asked by', 'Evidence'], checklist, BUDGET.checklist)], priority: 60 })
  }

  const rest = restRows(result, extras.failedComments ?? [], (p, l) => where(p, l, true))
  if (rest.rows.length) {
    sections.push({
      lines: [
        `<details><summary>${htmlText(`Not posted inline (${rest.rows.length}): outside the changed lines, below the inline severity threshold, or over the comment limit`)}</summary>`,
        '',
        ...boundedTable(['', 'Rule', 'Where', 'Message'], rest.rows, BUDGET.rest),
        '',
        '</details>'
      ],
      priority: 50
    })
  }

  if (result.notes.length) {
    const notes = [...result.notes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((n) => `- ${mdCode(clip(n.path, CLIP.path))} — ${n.reason}: ${mdText(clip(n.message, CLIP.message))}`)
    sections.push({
      lines: [`<details><summary>Files skipped or not fully analysed (${result.notes.length})</summary>`, '', ...fitLines(notes, BUDGET.notes), '', '</details>'],
      priority: 40
    })
  }
  if (result.messages.length) {
    sections.push({ lines: ['**Notes**', '', ...fitLines(result.messages.map((m) => `- ${mdText(clip(m, CLIP.message))}`), BUDGET.messages)], priority: 45 })
  }

  const steps = mergedSteps(result)
  if (steps.length) {
    const shown = steps.slice(0, 3).map((s, i) => `${i + 1}. **${mdMessage(clip(s.title, CLIP.message))}** — ${mdMessage(clip(s.detail, CLIP.message))}`)
    const whereFull = extras.jobSummaryUrl ? `[the run's job summary](${extras.jobSummaryUrl})` : 'the job summary'
    sections.push({
      lines: ['### Plan', '', ...fitLines(shown, BUDGET.plan), '', `${steps.length > 3 ? `${steps.length - 3} more step${steps.length - 3 === 1 ? '' : 's'}, the` : 'The'} rollback and the verification are in ${whereFull} and the plan file.`],
      priority: 55
    })
  }

  return assemble(sections, extras.maxChars ?? MAX_SUMMARY_CHARS)
}

/** Joins the sections in order, dropping the lowest-priority ones until the whole fits. */
function assemble(sections: Section[], maxChars: number): string {
  const render = (list: Section[]) => list.map((s) => s.lines.join('\n')).join('\n\n') + '\n'
  let kept = [...sections]
  let out = render(kept)
  const note = '_Shortened to fit in one comment: the job summary has the rest._'
  while (out.length > maxChars && kept.length > 1) {
    const lowest = kept.reduce((m, s) => (s.priority < m.priority ? s : m))
    kept = kept.filter((s) => s !== lowest)
    out = render([...kept, { lines: [note], priority: 0 }])
  }
  // The head alone is over budget only with absurd input: cut it at a line boundary.
  if (out.length > maxChars) out = out.slice(0, out.lastIndexOf('\n', maxChars - note.length - 2)) + `\n\n${note}\n`
  return out
}

/** Lines that fit in `maxChars`, and a last line saying how many were left out. */
function fitLines(lines: string[], maxChars: number): string[] {
  const out: string[] = []
  let used = 0
  for (const [i, l] of lines.entries()) {
    if (used + l.length + 1 > maxChars && out.length) {
      out.push(`- … and ${lines.length - i} more in the job summary`)
      break
    }
    out.push(l)
    used += l.length + 1
  }
  return out
}

/** A GFM table of rows (cells already escaped for a cell) that fits in `maxChars`. */
function boundedTable(header: string[], rows: string[][], maxChars: number): string[] {
  const out = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`]
  let used = out.join('\n').length
  let shown = 0
  for (const r of rows) {
    const line = `| ${r.join(' | ')} |`
    if (used + line.length + 1 > maxChars && shown > 0) break
    out.push(line)
    used += line.length + 1
    shown++
  }
  if (shown < rows.length) out.push('', `… and ${rows.length - shown} more in the job summary.`)
  return out
}

const STATUS_ORDER: Record<ChecklistResult['status'], number> = { fail: 0, warn: 1, unknown: 2, pass: 3, 'n/a': 4 }

/** One row per question, whichever personas ask it (worst status wins), failing rows first. */
export function mergedChecklist(perPersona: { persona: string; items: ChecklistResult[] }[]): string[][] {
  const rows = new Map<string, { item: ChecklistResult; askedBy: string[]; order: number }>()
  let order = 0
  for (const p of perPersona) {
    for (const item of p.items) {
      const key = item.question.trim().toLowerCase().replace(/\s+/g, ' ')
      const row = rows.get(key)
      if (!row) rows.set(key, { item, askedBy: [p.persona], order: order++ })
      else {
        if (!row.askedBy.includes(p.persona)) row.askedBy.push(p.persona)
        if (STATUS_ORDER[item.status] < STATUS_ORDER[row.item.status]) row.item = { ...item, evidence: [...item.evidence] }
      }
    }
  }
  return [...rows.values()]
    .sort((a, b) => STATUS_ORDER[a.item.status] - STATUS_ORDER[b.item.status] || a.order - b.order)
    .map(({ item, askedBy }) => [
      `${STATUS_ICON[item.status]} ${item.status}`,
      cellText(clip(item.question, CLIP.question)),
      cellText(askedBy.join(', ')),
      cellMessage(clip(item.evidence.slice(0, 2).join('; '), CLIP.evidence))
    ])
}

/** The rows of the collapsed list: findings not posted inline, refused comments, model remarks. */
function restRows(result: ReviewResult, failed: ReviewComment[], where: (path: string, line: number) => string): { rows: string[][] } {
  const findings: Finding[] = [...countedFindings(result.unanchored), ...countedFindings(result.belowInline)]
  const model: ModelComment[] = [...result.unanchoredModel]
  for (const c of failed) {
    const source = result.commentSources[c.fingerprint]
    if (source) {
      findings.push(...source.findings)
      model.push(...source.model)
    }
  }
  const seen = new Set<Finding>()
  const rows = findings
    .filter((f) => (seen.has(f) ? false : (seen.add(f), true)))
    .sort(compareFindings)
    .map((f) => [`${SEVERITY_ICON[f.severity]} ${f.severity}`, ruleLink(f, true), where(f.path, f.line), cellMessage(clip(f.message, CLIP.message))])
  const modelRows = [...model]
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || (a.body < b.body ? -1 : 1))
    .map((c) => [`${SEVERITY_ICON[c.severity]} ${c.severity}`, 'persona (model)', where(c.path, c.line), cellText(clip(c.body, CLIP.message))])
  return { rows: [...rows, ...modelRows] }
}

/** Plan steps of every persona, each once, in persona order. */
function mergedSteps(result: ReviewResult): { title: string; detail: string }[] {
  const seen = new Set<string>()
  const out: { title: string; detail: string }[] = []
  for (const a of result.agents) {
    for (const s of a.plan.steps) {
      if (seen.has(s.title)) continue
      seen.add(s.title)
      out.push(s)
    }
  }
  return out
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s
}

/**
 * The job summary: the summary, then every persona's full plan (the sticky comment shows only
 * the first steps). Its own budget is GitHub's 1 MiB step-summary limit, far above this.
 */
export function renderJobSummary(summary: string, result: ReviewResult): string {
  const plans = result.agents.map((a) => `<details><summary>${htmlText(`Plan — ${a.agent.persona.displayName}`)}</summary>\n\n${renderPlan(a.plan, a.checklist)}\n</details>`)
  return [summary.trimEnd(), ...plans].join('\n\n') + '\n'
}
