/**
 * The cost audit as Markdown: totals, top savings, what changed since the last audit, findings
 * grouped by file (collapsed when long), the personas' view, assumptions and skipped files.
 * Pure: the same data always renders the same text (no clock, no timing).
 */
import type { FileNote, Finding } from '../types.js'
import { SEVERITY_RANK } from '../types.js'
import type { TreeFile } from '../changes/tree.js'
import type { Estimate } from '../cost/estimate.js'
import { cellCode, cellMessage, fileLink, htmlText, mdBlock, mdCode, mdMessage } from './escape.js'
import { STATUS_ICON } from './plan.js'

export interface AuditNarrative {
  /** Persona display name. */
  persona: string
  /** Markdown written by the persona (rules-based or from the model); rendered as data. */
  text: string
  source: 'rules' | 'model'
}

export interface AuditChanges {
  added: Pick<Finding, 'ruleId' | 'path' | 'line' | 'message' | 'monthlySavingUsd'>[]
  fixed: { ruleId: string; path: string; message: string }[]
  /** When the previous audit ran, as it recorded it. */
  previousAt?: string
}

export interface AuditReportOptions {
  title?: string
  narratives?: AuditNarrative[]
  changes?: AuditChanges
  /** Base URL for links to files (`…/blob/<sha>`); plain paths without it. */
  blobUrl?: string
  /** Files with more findings than this are collapsed. */
  collapseAbove?: number
}

export interface AuditReportInput {
  findings: Finding[]
  files: TreeFile[]
  notes: FileNote[]
  stats: { files: number; findings: number }
  estimate: Estimate
}

export const DISCLAIMER = 'Estimates use public list prices, on-demand, before discounts, taxes and free tiers, with the assumptions listed below: an order of magnitude to prioritise work, never a bill.'

const money = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
/** Untrusted text (messages, resource names, bases) for a table cell or a line. */
const text = (s: string): string => cellMessage(s)

/** A file:line reference, linked when a blob URL is known; safe in a table cell and in prose. */
function where(f: { path: string; line: number }, blobUrl?: string): string {
  return blobUrl ? fileLink(blobUrl, f.path, f.line, undefined, true) : cellCode(`${f.path}:${f.line}`)
}

const NARRATIVE_ITEM = new RegExp(`^- (${Object.values(STATUS_ICON).join('|')}) \\*\\*(pass|warn|fail|n/a|unknown)\\*\\* — (.*)$`, 'u')

/**
 * A persona's narrative as data: the rules narrative's list shape (icon, status, text) and plain
 * numbered or bulleted lines keep their shape, and all their text is escaped; any other line is
 * escaped prose.
 */
function narrative(textIn: string): string {
  return textIn
    .trim()
    .split(/\r?\n/)
    .map((line) => {
      const m = NARRATIVE_ITEM.exec(line)
      if (m) return `- ${m[1]} **${m[2]}** — ${mdMessage(m[3])}`
      // Numbered and bulleted lists keep their shape; their text is escaped like the rest.
      const numbered = /^(\d{1,3})\. (.*)$/.exec(line)
      if (numbered) return `${numbered[1]}. ${mdMessage(numbered[2])}`
      const bullet = /^[-*] (.*)$/.exec(line)
      if (bullet) return `- ${mdMessage(bullet[1])}`
      return mdBlock(line)
    })
    .join('\n')
}

export function isCleanAudit(input: AuditReportInput): boolean {
  return input.findings.length === 0
}

export function renderAuditReport(input: AuditReportInput, options: AuditReportOptions = {}): string {
  const { findings, estimate } = input
  const out: string[] = [`## ${options.title ?? 'Preflight cost audit'}`, '']
  const costFindings = findings.filter((f) => f.category === 'cost')
  out.push(
    `**Estimated monthly cost:** ${money(estimate.monthlyCostUsd)} across ${estimate.resources.length} priced resource(s) · **possible saving:** ${money(estimate.monthlySavingUsd)}/month · ${findings.length} finding(s), ${costFindings.length} on cost, in ${input.stats.files} file(s)`,
    '',
    `> ${DISCLAIMER}`,
    ''
  )
  if (isCleanAudit(input)) out.push('**Nothing to report:** no finding in the files audited.', '')

  if (options.changes) out.push(...renderChanges(options.changes, options.blobUrl))

  const savings = costFindings.filter((f) => (f.monthlySavingUsd ?? 0) > 0).sort((a, b) => (b.monthlySavingUsd ?? 0) - (a.monthlySavingUsd ?? 0) || a.path.localeCompare(b.path) || a.line - b.line)
  if (savings.length) {
    out.push('### Top savings', '', '| Saving / month | Cost / month | Rule | Where | What |', '|---:|---:|---|---|---|')
    for (const f of savings.slice(0, 10)) {
      out.push(`| ${money(f.monthlySavingUsd ?? 0)} | ${f.monthlyCostUsd !== undefined ? money(f.monthlyCostUsd) : '—'} | ${cellCode(f.ruleId)} | ${where(f, options.blobUrl)} | ${text(f.message)} |`)
    }
    if (savings.length > 10) out.push('', `…and ${savings.length - 10} more saving(s) in the findings below.`)
    out.push('', 'Savings on one resource overlap (a smaller size and a stop schedule); the total counts the largest per resource.', '')
  }

  if (estimate.resources.length) {
    out.push(`<details><summary>Priced resources (${estimate.resources.length})</summary>`, '', '| Cost / month | Resource | Where | Basis |', '|---:|---|---|---|')
    for (const r of [...estimate.resources].sort((a, b) => b.monthlyCostUsd - a.monthlyCostUsd || a.path.localeCompare(b.path) || a.line - b.line)) {
      out.push(`| ${money(r.monthlyCostUsd)} | ${text(r.resource)} | ${where(r, options.blobUrl)} | ${text(r.basis)} |`)
    }
    out.push('', '</details>', '')
  }

  if (findings.length) out.push(...renderByFile(findings, options))

  if (options.narratives?.length) {
    out.push('### Personas', '')
    for (const n of options.narratives) {
      out.push(`**${text(n.persona)}**${n.source === 'model' ? ' (model)' : ''}`, '', narrative(n.text), '')
    }
  }

  out.push('### Assumptions', '', ...estimate.assumptions.map((a) => `- ${mdMessage(a)}`), '')

  const skipped = input.notes.filter((n) => n.reason !== 'ignored')
  if (skipped.length) {
    out.push(`<details><summary>Files not analyzed (${skipped.length})</summary>`, '', ...skipped.map((n) => `- ${text(n.message)}`), '', '</details>', '')
  }
  return out.join('\n').trimEnd() + '\n'
}

function renderChanges(changes: AuditChanges, blobUrl?: string): string[] {
  const out = [`### Since the last audit${changes.previousAt ? ` (${mdMessage(changes.previousAt)})` : ''}`, '']
  if (!changes.added.length && !changes.fixed.length) return [...out, 'No new finding and nothing fixed.', '']
  out.push(`**New (${changes.added.length})**${changes.added.length ? '' : ': none'}`, '')
  for (const f of changes.added.slice(0, 30)) out.push(`- ${mdCode(f.ruleId)} ${where(f, blobUrl)}: ${text(f.message)}`)
  if (changes.added.length > 30) out.push(`- …and ${changes.added.length - 30} more`)
  out.push('', `**Fixed (${changes.fixed.length})**${changes.fixed.length ? '' : ': none'}`, '')
  for (const f of changes.fixed.slice(0, 30)) out.push(`- ${mdCode(f.ruleId)} ${mdCode(f.path)}: ${text(f.message)}`)
  if (changes.fixed.length > 30) out.push(`- …and ${changes.fixed.length - 30} more`)
  return [...out, '']
}

function renderByFile(findings: Finding[], options: AuditReportOptions): string[] {
  const limit = options.collapseAbove ?? 5
  const byFile = new Map<string, Finding[]>()
  for (const f of findings) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f])
  const out = ['### Findings by file', '']
  const collapseAll = findings.length > 40
  for (const [path, list] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const saving = list.reduce((s, f) => s + (f.monthlySavingUsd ?? 0), 0)
    const head = `${mdCode(path)} — ${list.length} finding(s)${saving > 0 ? `, up to ${money(saving)}/month` : ''}`
    const rows = [...list]
      .sort((a, b) => a.line - b.line || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])
          .map((f) => `- ${where(f, options.blobUrl)} **${f.severity}** ${mdCode(f.ruleId)}: ${text(f.message)}${f.monthlySavingUsd ? ` _(saves ${money(f.monthlySavingUsd)}/month)_` : ''}`)
    if (collapseAll || list.length > limit) out.push(`<details><summary>${htmlText(`${path} — ${list.length} finding(s)${saving > 0 ? `, up to ${money(saving)}/month` : ''}`)}</summary>`, '', ...rows, '', '</details>', '')
    else out.push(`**${head}**`, '', ...rows, '')
  }
  return out
}
