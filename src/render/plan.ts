/**
 * The plan document: the step-by-step remediation plan for a change, with how to verify each
 * step and how to roll the change back. Built from the findings when no model runs, and
 * rendered the same way whoever wrote it.
 */
import type { ChangeSet, ChecklistResult, Finding, Persona } from '../types.js'
import { SEVERITY_RANK } from '../types.js'
import type { PlanDocument, PlanStep } from './plan-types.js'
import { cellMessage, cellText, mdCode, mdMessage } from './escape.js'
import { planTextOf } from '../rules/registry.js'

const STATUS_ICON: Record<ChecklistResult['status'], string> = { pass: '✅', warn: '⚠️', fail: '❌', 'n/a': '➖', unknown: '❔' }
export { STATUS_ICON }

export interface PlanInput {
  persona: Persona
  change: ChangeSet
  findings: Finding[]
  checklist: ChecklistResult[]
}

export function buildDeterministicPlan(input: PlanInput): PlanDocument {
  const categories = new Set(input.persona.checklist.flatMap((i) => i.categories))
  const own = input.findings
    .filter((f) => categories.size === 0 || categories.has(f.category))
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.path.localeCompare(b.path) || a.line - b.line)
  const kindOf = new Map(input.change.files.map((f) => [f.path, f.kind]))
  const kinds = [...new Set(input.change.files.filter((f) => f.kind !== 'other').map((f) => f.kind))]

  const files = new Map<string, string[]>()
  for (const f of own) {
    const list = files.get(f.path) ?? []
    const what = `line ${f.line}: ${f.remediation ?? f.message} (\`${f.ruleId}\`, ${f.severity})`
    if (!list.includes(what)) list.push(what)
    files.set(f.path, list)
  }

  // One step per rule and file, most severe first: a reader fixes the dangerous things first.
  // Low and info findings of a file share one closing step, so the plan stays readable.
  const steps: PlanStep[] = []
  const seen = new Set<string>()
  const minor = new Map<string, Finding[]>()
  for (const f of own) {
    if (f.severity === 'low' || f.severity === 'info') {
      minor.set(f.path, [...(minor.get(f.path) ?? []), f])
      continue
    }
    const key = `${f.ruleId}\u0000${f.path}`
    if (seen.has(key)) continue
    seen.add(key)
    const lines = own.filter((x) => x.ruleId === f.ruleId && x.path === f.path).map((x) => x.line)
    const kind = kindOf.get(f.path) ?? 'other'
    steps.push({
      title: `${f.severity === 'critical' || f.severity === 'high' ? 'Fix' : 'Address'} ${f.ruleId} in ${f.path}`,
      detail: `${f.remediation ?? f.message} (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')})`,
      verify: f.category === 'secrets'
        ? `rotate the credential first (it is in the git history), then re-run Preflight: no \`${f.ruleId}\` in ${f.path}`
        : `${planTextOf(kind).verify}; re-run Preflight: no \`${f.ruleId}\` in ${f.path}`
    })
  }

  for (const [path, list] of minor) {
    const kind = kindOf.get(path) ?? 'other'
    const rules = [...new Set(list.map((f) => f.ruleId))]
    steps.push({
      title: `Harden ${path} (${list.length} low-severity finding${list.length === 1 ? '' : 's'})`,
      detail: rules.map((id) => `\`${id}\` (line ${list.filter((f) => f.ruleId === id).map((f) => f.line).join(', ')})`).join('; '),
      verify: `${planTextOf(kind).verify}; re-run Preflight: none of these rules in ${path}`
    })
  }

  const failing = input.checklist.filter((c) => c.status === 'fail' || c.status === 'warn')
  const unknown = input.checklist.filter((c) => c.status === 'unknown')
  const changedPaths = input.change.files.map((f) => f.path)
  return {
    title: `Plan for ${input.change.number ? `PR #${input.change.number}` : 'this change'} — ${input.persona.displayName}`,
    context: [
      input.change.title ? `Change: ${input.change.title}` : 'Change: (no title)',
      `Files changed: ${changedPaths.length} (${kinds.length ? kinds.join(', ') : 'no infrastructure files'})`,
      `Checklist: ${summarizeStatuses(input.checklist)}`
    ],
    assumptions: [
      'This plan is built from deterministic rules; it covers what the rules can see in the changed files, not intent or runtime behaviour.',
      'Findings anywhere in a changed file are included, also on lines this change did not touch.',
      ...(unknown.length ? [`Items the rules could not decide: ${unknown.map((u) => u.item).join(', ')}.`] : [])
    ],
    files: [...files].map(([path, changes]) => ({ path, changes })),
    steps,
    rollback: kinds.length ? kinds.map((k) => planTextOf(k).rollback) : [planTextOf('other').rollback],
    verification: [
      ...kinds.map((k) => `${k}: ${planTextOf(k).verify}.`),
      'Re-run Preflight on the updated branch: the checklist shows no ❌.'
    ],
    risks: failing.slice(0, 6).map((c) => `${c.question} — ${c.status}: ${c.evidence[0] ?? ''}`),
    openQuestion: undefined
  }
}

function summarizeStatuses(items: ChecklistResult[]): string {
  const counts = new Map<string, number>()
  for (const i of items) counts.set(i.status, (counts.get(i.status) ?? 0) + 1)
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no items'
}

/**
 * Markdown for the plan document (written to `plan-path` and into the job summary). Its text is
 * built from rules (names from the PR inside backticks) or written by the model: all of it is
 * escaped as a finding message, one line per entry.
 */
export function renderPlan(plan: PlanDocument, checklist: ChecklistResult[]): string {
  const t = (s: string): string => mdMessage(s)
  const out: string[] = [`# ${t(plan.title)}`, '']
  out.push('## Context and assumptions', '', ...plan.context.map((c) => `- ${t(c)}`), ...plan.assumptions.map((a) => `- Assumption: ${t(a)}`), '')
  out.push('## Files to change', '')
  if (plan.files.length === 0) out.push('Nothing to change: no finding in this persona\'s categories.', '')
  for (const f of plan.files) out.push(`- ${mdCode(f.path)}`, ...f.changes.map((c) => `  - ${t(c)}`))
  if (plan.files.length) out.push('')
  out.push('## Steps', '')
  if (plan.steps.length === 0) out.push('No remediation steps.', '')
  plan.steps.forEach((s, i) => out.push(`${i + 1}. **${t(s.title)}** — ${t(s.detail)}`, `   - Verify: ${t(s.verify)}`))
  if (plan.steps.length) out.push('')
  out.push('## Rollback plan', '', ...plan.rollback.map((r) => `- ${t(r)}`), '')
  out.push('## Verification', '', ...plan.verification.map((v) => `- ${t(v)}`), '')
  if (plan.risks.length) out.push('## Risks', '', ...plan.risks.map((r) => `- ${t(r)}`), '')
  if (plan.openQuestion) out.push('## Open question for the author', '', t(plan.openQuestion), '')
  out.push('## Checklist', '', ...checklistTable(checklist), '')
  return out.join('\n')
}

export function checklistTable(items: ChecklistResult[]): string[] {
  if (items.length === 0) return ['_No checklist items._']
  return [
    '| | Item | Categories | Status | Evidence |',
    '|---|---|---|---|---|',
    ...items.map((i) => `| ${STATUS_ICON[i.status]} | ${cellText(i.question)} | ${cellText(i.categories.join(', '))} | ${i.status} | ${cellMessage(i.evidence.slice(0, 3).join('; '))} |`)
  ]
}
