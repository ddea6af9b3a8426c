/**
 * The arithmetic of the offline estimate: price look-ups, size ladders, money rounding, and the
 * totals of a set of priced resources. Everything here is pure; amounts are summed in whole cents
 * so that any split of the resources (shards) adds up to exactly the same total.
 */
import {
  AZURE_VM_HOURLY,
  CLOUD_SQL,
  EC2_HOURLY,
  ELASTICACHE_HOURLY,
  GCE_HOURLY,
  HOURS_PER_MONTH,
  PRICE_SNAPSHOT,
  RDS_MYSQL_HOURLY,
  RDS_POSTGRES_HOURLY
} from './prices.js'
import type { LookupTable } from '../util/lookup-table.js'

/** One priced thing: a resource (or workload) and what it costs per month at list price. */
export interface CostLine {
  path: string
  line: number
  /** `aws_instance.web`, `Deployment/api`, `AWS::EC2::Instance WebServer`. */
  resource: string
  monthlyCostUsd: number
  /** The largest saving any finding offers on this resource (savings on one resource overlap). */
  monthlySavingUsd: number
  /** How the figure was reached, e.g. `2 × m5.large at $0.096/h × 730 h`. */
  basis: string
}

export interface Estimate {
  monthlyCostUsd: number
  monthlySavingUsd: number
  assumptions: string[]
  resources: CostLine[]
}

/** Rounds to cents, half up; `toPrecision` first so 0.525 stored as 0.52499… still rounds up. */
export function money(usd: number): number {
  const cents = usd * 100
  // Fast path, same result: rounding `cents` to 12 significant digits moves it by at most
  // 0.5e-11 × |cents| (plus the parse's 2^-53), so when it lies further than 1e-10 × |cents| from
  // the next half-cent both round to the same whole cent (the sign of a zero result included).
  // Near a half (1.005 → 100.49999…), at zero (-0 must give +0), non-finite or huge amounts, the
  // decimal rounding decides as before.
  const fromHalf = Math.abs(cents - Math.floor(cents) - 0.5)
  if (fromHalf > Math.abs(cents) * 1e-10 && cents !== 0) return Math.round(cents) / 100
  return Math.round(Number(cents.toPrecision(12))) / 100
}

/** Sums money amounts exactly (in cents). */
export function sumMoney(amounts: number[]): number {
  let cents = 0
  for (const a of amounts) cents += Math.round(a * 100)
  return cents / 100
}

export const hourlyToMonthly = (hourly: number, count = 1): number => money(hourly * HOURS_PER_MONTH * count)

/** Size names from small to large; `N xlarge` sorts by N. */
const SIZE_ORDER = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge']

function sizeRank(size: string): number {
  const i = SIZE_ORDER.indexOf(size)
  if (i >= 0) return i
  const m = /^(\d+)xlarge$/.exec(size)
  return m ? SIZE_ORDER.length + Number(m[1]) : -1
}

function splitType(type: string): { prefix: string; family: string; size: string } | undefined {
  const m = /^((?:db|cache)\.)?([a-z0-9-]+)\.([a-z0-9]+)$/.exec(type)
  return m ? { prefix: m[1] ?? '', family: m[2]!, size: m[3]! } : undefined
}

/** The next smaller size of the same family that the table prices, or undefined. */
export function oneSizeDown(type: string, table: LookupTable<number>): string | undefined {
  const parts = splitType(type)
  if (!parts) return undefined
  const own = sizeRank(parts.size)
  // A candidate of the same prefix and family spells `<prefix><family>.<size>`: other keys are passed over without the regex.
  const head = `${parts.prefix}${parts.family}.`
  let best: { type: string; rank: number } | undefined
  for (const candidate of Object.keys(table)) {
    if (!candidate.startsWith(head)) continue
    const c = splitType(candidate)
    if (!c || c.prefix !== parts.prefix || c.family !== parts.family) continue
    const rank = sizeRank(c.size)
    if (rank < own && (!best || rank > best.rank)) best = { type: candidate, rank }
  }
  return best?.type
}

export type DbEngine = 'mysql' | 'postgres' | 'other'

export function engineOf(engine: string | undefined): DbEngine {
  if (!engine) return 'other'
  if (/postgres/i.test(engine)) return 'postgres'
  if (/mysql|mariadb/i.test(engine)) return 'mysql'
  return 'other'
}

/** The RDS table for an engine; engines without a table of their own are priced as MySQL. */
export function rdsTable(engine: DbEngine): LookupTable<number> {
  return engine === 'postgres' ? RDS_POSTGRES_HOURLY : RDS_MYSQL_HOURLY
}

export const ec2Hourly = (type: string): number | undefined => EC2_HOURLY[type]
export const cacheHourly = (type: string): number | undefined => ELASTICACHE_HOURLY[type]
export const gceHourly = (type: string): number | undefined => GCE_HOURLY[type]
export const azureHourly = (size: string): number | undefined => AZURE_VM_HOURLY[size]

/** Cloud SQL tier → $/hour: shared-core tiers, or `db-custom-<vCPU>-<MiB>`. */
export function cloudSqlHourly(tier: string): number | undefined {
  const shared = CLOUD_SQL.shared[tier]
  if (shared !== undefined) return shared
  const m = /^db-custom-(\d+)-(\d+)$/.exec(tier)
  if (!m) return undefined
  return Number(m[1]) * CLOUD_SQL.vcpuHour + (Number(m[2]) / 1024) * CLOUD_SQL.gbHour
}

/** Words that mark something as not production. */
const NON_PRODUCTION = /(^|[^a-z0-9])(dev|devel|develop|development|test|testing|tst|stage|staging|stg|qa|uat|sandbox|sbx|nonprod|non-prod|preview|demo)([^a-z0-9]|$)/i

/** True when any of the texts (names, identifiers, tag values, the path) says non-production. */
export function looksNonProduction(...texts: (string | undefined)[]): boolean {
  return texts.some((t) => t !== undefined && NON_PRODUCTION.test(t))
}

/** Words that mark a production context; they win over a non-production path segment. */
const PRODUCTION = /(^|[^a-z0-9])(prod|production|prd|live)([^a-z0-9]|$)/i
export function looksProduction(...texts: (string | undefined)[]): boolean {
  return texts.some((t) => t !== undefined && PRODUCTION.test(t))
}

/** Hours a non-production resource needs when it runs 50 hours a week (office hours). */
export const OFFICE_HOURS_PER_WEEK = 50
export const OFFICE_HOURS_PER_MONTH = (OFFICE_HOURS_PER_WEEK * HOURS_PER_MONTH) / (24 * 7)

/**
 * Every assumption an estimate may rest on, in the order they are listed. Lines record the keys
 * they use; the estimate lists the ones that were used (the general ones always).
 */
export const ASSUMPTIONS = {
  general: `List prices, on-demand, before discounts (savings plans, reserved capacity, credits), taxes and free tiers: an estimate, never a bill. Prices: ${PRICE_SNAPSHOT.aws}; ${PRICE_SNAPSHOT.gcp}; ${PRICE_SNAPSHOT.azure}.`,
  hours: `Always-on resources run ${HOURS_PER_MONTH} hours a month.`,
  usage: 'Usage-based charges (data transfer, requests, load balancer capacity units, NAT data processing, snapshots) are not estimated.',
  officeHours: `A non-production resource on a stop schedule runs ${OFFICE_HOURS_PER_WEEK} hours a week (${OFFICE_HOURS_PER_MONTH.toFixed(1)} hours a month).`,
  multiAz: 'Multi-AZ databases cost twice the single-AZ instance and storage price.',
  otherEngines: 'RDS engines other than MySQL, MariaDB and PostgreSQL are priced at the MySQL rate (licence-included engines cost more).',
  logs: 'A log group without retention ingests 10 GB a month; the figure is its storage after 12 months (120 GB) against 30-day retention (10 GB).',
  s3: 'A bucket without a lifecycle rule holds 100 GB in S3 Standard, half of it not read after 30 days (movable to Standard-IA).',
  k8s: 'Kubernetes requests are priced as Fargate capacity (per vCPU-hour and GB-hour); nodes you run yourself cost differently.',
  hpa: 'With an autoscaler, replicas above a floor of 2 are needed half of the time.',
  lambda: 'Lambda provisioned concurrency uses the function memory when it is written in the same file, otherwise 128 MB (the default).',
  cloudRun: 'A Cloud Run minimum instance idles with 1 vCPU and 512 MiB unless the file says otherwise.',
  nat: 'One NAT gateway can serve every private subnet of a non-production network.'
} as const
export type AssumptionKey = keyof typeof ASSUMPTIONS
const ASSUMPTION_ORDER = Object.keys(ASSUMPTIONS) as AssumptionKey[]
const ALWAYS: AssumptionKey[] = ['general', 'hours', 'usage']

/** The assumption texts for a set of keys, in catalogue order. */
export function assumptionTexts(keys: Iterable<AssumptionKey>): string[] {
  const used = new Set<AssumptionKey>([...ALWAYS, ...keys])
  return ASSUMPTION_ORDER.filter((k) => used.has(k)).map((k) => ASSUMPTIONS[k])
}

export function compareCostLines(a: CostLine, b: CostLine): number {
  return a.path.localeCompare(b.path) || a.line - b.line || a.resource.localeCompare(b.resource)
}

/** Totals of a set of priced resources; the order of `lines` does not matter. */
export function summarize(lines: CostLine[], assumptions: string[]): Estimate {
  const resources = [...lines].sort(compareCostLines)
  return {
    monthlyCostUsd: sumMoney(resources.map((l) => l.monthlyCostUsd)),
    monthlySavingUsd: sumMoney(resources.map((l) => l.monthlySavingUsd)),
    assumptions: sortAssumptions(assumptions),
    resources
  }
}

/** Assumption texts deduplicated and in catalogue order (unknown texts last, sorted). */
export function sortAssumptions(texts: string[]): string[] {
  const order = new Map<string, number>(ASSUMPTION_ORDER.map((k, i) => [ASSUMPTIONS[k], i]))
  return [...new Set(texts)].sort((a, b) => (order.get(a) ?? 999) - (order.get(b) ?? 999) || a.localeCompare(b))
}
