/** Plain reports for the CLI: scan as Markdown, review as the JSON contract of DESIGN.md. */
import type { FileNote, Finding, ReviewResult } from '../types.js'
import type { TreeFile } from '../changes/tree.js'
import { SEVERITY_ICON } from './comment.js'
import { cellCode, cellMessage, mdCode, mdText } from './escape.js'
import { countBySeverity } from './summary.js'

export function renderScanMarkdown(findings: Finding[], files: TreeFile[], notes: FileNote[]): string {
  const out = [`# Preflight scan`, '', `${files.length} files, findings: ${countBySeverity(findings)}`, '']
  const byPath = new Map<string, Finding[]>()
  for (const f of findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f])
  for (const [path, list] of byPath) {
    out.push(`## ${mdCode(path)}`, '', '| | Line | Rule | Message | Fix |', '|---|---|---|---|---|')
    for (const f of list) out.push(`| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${f.line} | ${cellCode(f.ruleId)} | ${cellMessage(f.message)} | ${cellMessage(f.remediation ?? '')} |`)
    out.push('')
  }
  if (notes.length) out.push('## Notes', '', ...notes.map((n) => `- ${mdCode(n.path)} — ${n.reason}: ${mdText(n.message)}`), '')
  return out.join('\n')
}

/** `preflight review --format json`, exactly the shape DESIGN.md fixes (plus verdict and notes). */
export function reviewJson(result: ReviewResult, plan: string, summary: string): object {
  return {
    verdict: result.verdict,
    agents: result.agents.map((a) => ({ name: a.agent.persona.name, reason: a.agent.reason })),
    findings: result.findings,
    comments: result.comments.map((c) => ({ path: c.path, line: c.line, ...(c.startLine ? { startLine: c.startLine } : {}), body: c.body })),
    checklist: result.agents.flatMap((a) =>
      a.checklist.map((c) => ({ agent: c.agent, item: c.item, question: c.question, categories: c.categories, topics: c.topics ?? [], status: c.status, evidence: c.evidence }))
    ),
    plan,
    summary,
    usage: {
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      cacheReadTokens: result.usage.cacheReadTokens,
      cacheWriteTokens: result.usage.cacheWriteTokens,
      costUsd: result.usage.costUsd
    },
    notes: [...result.notes.map((n) => n.message), ...result.messages]
  }
}
