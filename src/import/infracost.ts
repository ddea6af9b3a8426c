/**
 * Infracost import: the JSON of `infracost breakdown --format json` or `infracost diff --format
 * json` becomes a cost report (monthly total, its change, the resources that cost or add most)
 * and, past the repository's cost thresholds, a finding that warns. Amounts stay exact decimals
 * (src/import/decimal.ts) so the summary shows Infracost's totals to the cent.
 */
import type { InfracostLine, CostReport, FileNote, Finding } from '../types.js'
export type { InfracostLine, CostReport } from '../types.js'
import type { CostSettings } from '../settings/types.js'
import { formatMoney, parseDecimal, toNumber } from './decimal.js'
import { IMPORT_RULES } from './rules.js'

type Json = Record<string, unknown>
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

const sum = (values: (bigint | undefined)[]): bigint | undefined =>
  values.every((v) => v === undefined) ? undefined : values.reduce<bigint>((a, v) => a + (v ?? 0n), 0n)

/** Parses Infracost's JSON (format version 0.2); problems become a note naming the file. */
export function importInfracost(text: string, file: string): { report?: CostReport; notes: FileNote[] } {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    return { notes: [{ path: file, reason: 'parse', message: `${file}: not valid JSON, cost not imported (${(e as Error).message})` }] }
  }
  if (!isObj(doc) || !Array.isArray(doc.projects)) {
    return { notes: [{ path: file, reason: 'parse', message: `${file}: not Infracost JSON (no \`projects\` array), cost not imported` }] }
  }
  const notes: FileNote[] = []
  const version = str(doc.version)
  if (version && !/^0\.2(\.|$)/.test(version)) notes.push({ path: file, reason: 'parse', message: `${file}: Infracost format ${version} is not 0.2; read as 0.2` })

  const projects: CostReport['projects'] = []
  const lines: InfracostLine[] = []
  const projectTotals: (bigint | undefined)[] = []
  const projectPast: (bigint | undefined)[] = []
  const projectDiff: (bigint | undefined)[] = []
  for (const p of doc.projects) {
    if (!isObj(p)) continue
    const meta = isObj(p.metadata) ? p.metadata : {}
    const name = str(p.name) ?? str(meta.path) ?? 'project'
    projects.push({ name, path: str(meta.vcsSubPath) ?? str(meta.path) ?? '' })
    const breakdown = isObj(p.breakdown) ? p.breakdown : {}
    const past = isObj(p.pastBreakdown) ? p.pastBreakdown : undefined
    const diff = isObj(p.diff) ? p.diff : undefined
    projectTotals.push(parseDecimal(breakdown.totalMonthlyCost))
    projectPast.push(past ? parseDecimal(past.totalMonthlyCost) : undefined)
    projectDiff.push(diff ? parseDecimal(diff.totalMonthlyCost) : undefined)
    const diffByName = new Map<string, bigint>()
    for (const r of Array.isArray(diff?.resources) ? diff.resources : []) {
      const amount = isObj(r) ? parseDecimal(r.monthlyCost) : undefined
      if (isObj(r) && amount !== undefined && str(r.name)) diffByName.set(r.name as string, amount)
    }
    for (const r of Array.isArray(breakdown.resources) ? breakdown.resources : []) {
      if (!isObj(r) || !str(r.name)) continue
      const line: InfracostLine = { name: r.name as string, project: name, monthly: parseDecimal(r.monthlyCost) ?? 0n }
      const d = diffByName.get(line.name)
      if (d !== undefined) line.diff = d
      lines.push(line)
    }
  }

  const monthly = parseDecimal(doc.totalMonthlyCost) ?? sum(projectTotals)
  if (monthly === undefined) {
    notes.push({ path: file, reason: 'parse', message: `${file}: no monthly total in the Infracost JSON, cost not imported` })
    return { notes }
  }
  const pastMonthly = parseDecimal(doc.pastTotalMonthlyCost) ?? sum(projectPast)
  const diffMonthly = parseDecimal(doc.diffTotalMonthlyCost) ?? sum(projectDiff) ?? (pastMonthly !== undefined ? monthly - pastMonthly : undefined)
  const withDiff = lines.some((l) => l.diff !== undefined)
  const magnitude = (l: InfracostLine) => {
    const v = withDiff ? (l.diff ?? 0n) : l.monthly
    return v < 0n ? -v : v
  }
  const top = lines
    .filter((l) => magnitude(l) > 0n)
    .sort((a, b) => (magnitude(b) > magnitude(a) ? 1 : magnitude(b) < magnitude(a) ? -1 : a.name.localeCompare(b.name)))
    .slice(0, 5)
  const metadata = isObj(doc.metadata) ? doc.metadata : {}
  const report: CostReport = {
    file,
    // A currency code is printed in the summary: take only the shape ISO 4217 gives it.
    currency: /^[A-Z]{3}$/.test(str(doc.currency) ?? '') ? (doc.currency as string) : 'USD',
    command: str(metadata.infracostCommand) ?? (withDiff ? 'diff' : 'breakdown'),
    monthly,
    projects,
    top
  }
  if (pastMonthly !== undefined) report.pastMonthly = pastMonthly
  if (diffMonthly !== undefined) report.diffMonthly = diffMonthly
  return { report, notes }
}

/**
 * Findings for costs past the repository's thresholds (`cost.warn-total-usd`,
 * `warn-increase-usd`, `warn-increase-percent`); anchored on the first project's folder.
 */
export function costThresholdFindings(report: CostReport, cost: CostSettings): Finding[] {
  const out: Finding[] = []
  const where = report.projects[0]?.path.replace(/^\.\/+/, '').replace(/(?<!\/)\/+$/, '') || '.'
  const make = (ruleId: string, message: string): Finding => {
    const meta = IMPORT_RULES.find((r) => r.id === ruleId)!
    return { ruleId, category: meta.category, severity: meta.severity, path: where, line: 1, message, remediation: meta.remediation, source: 'infracost' }
  }
  const total = toNumber(report.monthly)
  if (cost.warnTotalUsd !== undefined && total > cost.warnTotalUsd) {
    out.push(make('infracost/monthly-total', `Infracost estimates ${formatMoney(report.monthly, report.currency)} a month, above the repository's limit of ${formatMoney(BigInt(Math.round(cost.warnTotalUsd * 100)) * 10n ** 10n)}.`))
  }
  const increase = report.diffMonthly !== undefined ? toNumber(report.diffMonthly) : undefined
  if (increase !== undefined && increase > 0) {
    const past = report.pastMonthly !== undefined ? toNumber(report.pastMonthly) : undefined
    const percent = past !== undefined && past > 0 ? (increase / past) * 100 : undefined
    const overUsd = cost.warnIncreaseUsd !== undefined && increase > cost.warnIncreaseUsd
    const overPercent = cost.warnIncreasePercent !== undefined && (percent === undefined ? past === 0 : percent > cost.warnIncreasePercent)
    if (overUsd || overPercent) {
      const pct = percent !== undefined ? ` (+${percent.toFixed(1)}%)` : past === 0 ? ' (from nothing)' : ''
      const limits = [
        cost.warnIncreaseUsd !== undefined ? `${formatMoney(BigInt(Math.round(cost.warnIncreaseUsd * 100)) * 10n ** 10n)} a month` : undefined,
        cost.warnIncreasePercent !== undefined ? `${cost.warnIncreasePercent}%` : undefined
      ]
        .filter(Boolean)
        .join(' or ')
      out.push(make('infracost/monthly-increase', `This change adds ${formatMoney(report.diffMonthly as bigint, report.currency, true)} a month${pct} by Infracost's estimate, above the repository's limit of ${limits}.`))
    }
  }
  return out
}
