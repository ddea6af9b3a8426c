/**
 * The cost section of the summary, from an Infracost report: the monthly total, its change and
 * the resources that change (or cost) most. Resource names come from the pull request's code, so
 * they go through the code-span escaper like any untrusted text.
 */
import type { CostReport } from '../types.js'
import { formatMoney } from '../import/decimal.js'
import { cellCode } from './escape.js'

export function renderCostSection(report: CostReport): string[] {
  const money = (v: bigint, signed = false) => formatMoney(v, report.currency, signed)
  const change =
    report.diffMonthly !== undefined
      ? ` (${money(report.diffMonthly, true)}${report.pastMonthly !== undefined ? ` from ${money(report.pastMonthly)}` : ''})`
      : ''
  const out = [`**Cost (Infracost):** ${money(report.monthly)} a month${change}`]
  if (report.top.length) {
    const withDiff = report.top.some((t) => t.diff !== undefined)
    out.push('', withDiff ? '| Resource | Monthly | Change |' : '| Resource | Monthly |', withDiff ? '|---|---:|---:|' : '|---|---:|')
    for (const t of report.top) {
      const row = `| ${cellCode(t.name)} | ${money(t.monthly)} |`
      out.push(withDiff ? `${row} ${t.diff !== undefined ? money(t.diff, true) : '—'} |` : row)
    }
  }
  return out
}
