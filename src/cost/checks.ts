/**
 * The cost checks on plain values, shared by the Terraform, CloudFormation and Kubernetes
 * readers: each prices a resource (a cost line) and reports findings with their monthly figures.
 */
import { oversizedReason } from '../rules/terraform/instances.js'
import {
  azureHourly,
  cacheHourly,
  cloudSqlHourly,
  ec2Hourly,
  engineOf,
  gceHourly,
  hourlyToMonthly,
  money,
  OFFICE_HOURS_PER_MONTH,
  oneSizeDown,
  rdsTable,
  type AssumptionKey,
  type CostLine
} from './estimate.js'
import { CLOUDWATCH_LOGS, EBS, EC2_HOURLY, ELASTICACHE_HOURLY, HOURS_PER_MONTH, LOAD_BALANCER_HOURLY, NAT_GATEWAY, RDS_STORAGE_GB_MONTH, S3_GB_MONTH } from './prices.js'
import type { LookupTable } from '../util/lookup-table.js'
import { COST, offerSaving, price, report, usd, type CostPlace, type CostSink } from './meta.js'

/** The file, the line of the resource header and the resource's name (`aws_instance.web`, `AWS::EC2::Instance Web`). */
export type Where = CostPlace

/** Names that say a workload really needs accelerators. */
const GPU_WORKLOAD = /gpu|cuda|ml|train|infer|render|model|ai([^a-z]|$)/i

/** Why an instance size deserves a look, or undefined. */
export function oversizedWhy(type: string, name: string): string | undefined {
  const family = /^(?:db\.|cache\.)?([a-z0-9-]+)\./.exec(type)?.[1] ?? ''
  const gpu = /^(p[2-5]|g[3-6])[a-z0-9]*$/.test(family)
  if (gpu && GPU_WORKLOAD.test(name)) return undefined
  if (/^g[3-6][a-z0-9]*$/.test(family)) return `\`${family}\` is a GPU family and nothing in the name says the workload uses GPUs`
  return oversizedReason(type)
}

export interface ComputeInput extends Where {
  type: string
  typeLine: number
  count: number
  /** The resource name and other identifying texts, for the GPU-name test. */
  name: string
  cloud: 'aws' | 'gcp' | 'azure'
}

/** An EC2 / Compute Engine / Azure VM: priced, and questioned when oversized. */
export function checkCompute(sink: CostSink, c: ComputeInput): CostLine | undefined {
  const hourly = c.cloud === 'aws' ? ec2Hourly(c.type) : c.cloud === 'gcp' ? gceHourly(c.type) : azureHourly(c.type)
  const line =
    hourly === undefined
      ? undefined
      : price(sink, c, hourlyToMonthly(hourly, c.count), `${countText(c.count)}${c.type} at ${rate(hourly)}/h × ${HOURS_PER_MONTH} h`)
  if (c.cloud === 'aws') checkOversized(sink, c, EC2_HOURLY, hourly, line)
  return line
}

function countText(count: number): string {
  return count === 1 ? '' : `${count} × `
}

function rate(hourly: number): string {
  return `$${Number(hourly.toFixed(6))}`
}

function checkOversized(sink: CostSink, c: ComputeInput, table: LookupTable<number>, hourly: number | undefined, line: CostLine | undefined, multiplier = 1): void {
  const why = oversizedWhy(c.type, c.name)
  if (!why) return
  const smaller = oneSizeDown(c.type, table)
  const smallerHourly = smaller ? table[smaller] : undefined
  if (hourly !== undefined && smaller && smallerHourly !== undefined) {
    const cost = hourlyToMonthly(hourly * multiplier, c.count)
    const saving = money(cost - hourlyToMonthly(smallerHourly * multiplier, c.count))
    report(sink, COST.oversized, c.path, c.typeLine, `${c.resource} uses \`${c.type}\` (${usd(cost)}/month): ${why}. One size down, \`${smaller}\`, saves ${usd(saving)}/month.`, { monthlyCostUsd: cost, monthlySavingUsd: saving, assumptions: ['hours'] })
    offerSaving(line, saving)
  } else {
    report(sink, COST.oversized, c.path, c.typeLine, `${c.resource} uses \`${c.type}\`: ${why}.`, hourly !== undefined ? { monthlyCostUsd: hourlyToMonthly(hourly * multiplier, c.count) } : {})
  }
}

export interface VolumeInput extends Where {
  type: string
  typeLine: number
  sizeGb?: number
  iops?: number
  throughput?: number
  count: number
}

/** An EBS volume (or an instance's block device): priced when its size is known; gp2 questioned. */
export function checkVolume(sink: CostSink, v: VolumeInput): CostLine | undefined {
  const perGb = EBS.gbMonth[v.type]
  let line: CostLine | undefined
  if (perGb !== undefined && v.sizeGb !== undefined) {
    let monthly = v.sizeGb * perGb
    let basis = `${countText(v.count)}${v.sizeGb} GB ${v.type} at $${perGb}/GB-month`
    if (v.type === 'gp3') {
      const extraIops = Math.max(0, (v.iops ?? 0) - EBS.gp3FreeIops)
      const extraThroughput = Math.max(0, (v.throughput ?? 0) - EBS.gp3FreeThroughput)
      monthly += extraIops * EBS.gp3IopsMonth + extraThroughput * EBS.gp3ThroughputMonth
      if (extraIops) basis += ` + ${extraIops} IOPS at $${EBS.gp3IopsMonth}`
      if (extraThroughput) basis += ` + ${extraThroughput} MB/s at $${EBS.gp3ThroughputMonth}`
    } else if ((v.type === 'io1' || v.type === 'io2') && v.iops) {
      monthly += v.iops * EBS.piopsMonth
      basis += ` + ${v.iops} IOPS at $${EBS.piopsMonth}`
    }
    line = price(sink, v, monthly * v.count, basis)
  }
  if (v.type === 'gp2') {
    if (v.sizeGb !== undefined) {
      const cost = money(v.sizeGb * EBS.gbMonth.gp2! * v.count)
      const saving = money(cost - v.sizeGb * EBS.gbMonth.gp3! * v.count)
      report(sink, COST.gp2, v.path, v.typeLine, `${v.resource} is gp2 (${usd(cost)}/month for ${v.sizeGb} GB); gp3 saves ${usd(saving)}/month.`, { monthlyCostUsd: cost, monthlySavingUsd: saving })
      offerSaving(line, saving)
    } else {
      report(sink, COST.gp2, v.path, v.typeLine, `${v.resource} is gp2; gp3 costs 20% less per GB-month.`)
    }
  }
  return line
}

export interface DatabaseInput extends Where {
  cls: string
  classLine: number
  engine?: string
  multiAz: boolean
  storageGb?: number
  storageType?: string
  count: number
  nonProduction: boolean
  hasStopSchedule: boolean
  name: string
}

/** An RDS instance: instance hours (×2 Multi-AZ) plus storage; oversized and always-on non-production questioned. */
export function checkDatabase(sink: CostSink, d: DatabaseInput): CostLine | undefined {
  const engine = engineOf(d.engine)
  const table = rdsTable(engine)
  const single = table[d.cls]
  const azFactor = d.multiAz ? 2 : 1
  let line: CostLine | undefined
  const assumptions: AssumptionKey[] = []
  if (d.multiAz) assumptions.push('multiAz')
  if (engine === 'other') assumptions.push('otherEngines')
  if (single !== undefined) {
    const instance = hourlyToMonthly(single * azFactor, d.count)
    const perGb = RDS_STORAGE_GB_MONTH[d.storageType ?? 'gp2'] ?? RDS_STORAGE_GB_MONTH.gp2!
    const storage = d.storageGb !== undefined ? money(d.storageGb * perGb * azFactor * d.count) : 0
    const basis = `${countText(d.count)}${d.cls}${d.multiAz ? ' Multi-AZ' : ''} at ${rate(single * azFactor)}/h × ${HOURS_PER_MONTH} h${d.storageGb !== undefined ? ` + ${d.storageGb} GB storage at $${perGb}/GB-month${d.multiAz ? ' × 2' : ''}` : ''}`
    line = price(sink, d, instance + storage, basis, assumptions)
  }
  checkOversized(sink, { path: d.path, line: d.line, resource: d.resource, type: d.cls, typeLine: d.classLine, count: d.count, name: d.name, cloud: 'aws' }, table, single, line, azFactor)
  if (d.nonProduction && !d.hasStopSchedule && !/serverless/.test(d.cls)) {
    if (single !== undefined) {
      const hourly = single * azFactor * d.count
      const cost = hourlyToMonthly(hourly)
      const saving = money(hourly * (HOURS_PER_MONTH - OFFICE_HOURS_PER_MONTH))
      report(sink, COST.nonProdDb, d.path, d.line, `${d.resource} looks non-production and runs all month (${usd(cost)}/month for the instance); stopped outside office hours it saves ${usd(saving)}/month.`, { monthlyCostUsd: cost, monthlySavingUsd: saving, assumptions: ['officeHours', ...assumptions] })
      offerSaving(line, saving)
    } else {
      report(sink, COST.nonProdDb, d.path, d.line, `${d.resource} looks non-production and runs all month with no stop schedule.`)
    }
  }
  return line
}

export interface CacheInput extends Where {
  nodeType: string
  typeLine: number
  nodes: number
  name: string
}

export function checkCache(sink: CostSink, c: CacheInput): CostLine | undefined {
  const hourly = cacheHourly(c.nodeType)
  const line =
    hourly === undefined
      ? undefined
      : price(sink, c, hourlyToMonthly(hourly, c.nodes), `${countText(c.nodes)}${c.nodeType} at ${rate(hourly)}/h × ${HOURS_PER_MONTH} h`)
  checkOversized(sink, { path: c.path, line: c.line, resource: c.resource, type: c.nodeType, typeLine: c.typeLine, count: c.nodes, name: c.name, cloud: 'aws' }, ELASTICACHE_HOURLY, hourly, line)
  return line
}

/** NAT gateways of one file: each priced; more than one outside production questioned. */
export function checkNatGateways(sink: CostSink, nats: (Where & { count: number })[], nonProduction: boolean): void {
  let firstLine: CostLine | undefined
  let total = 0
  for (const n of nats) {
    const line = price(sink, n, hourlyToMonthly(NAT_GATEWAY.hourly, n.count), `${countText(n.count)}NAT gateway at $${NAT_GATEWAY.hourly}/h × ${HOURS_PER_MONTH} h (data processing not estimated)`)
    firstLine ??= line
    total += n.count
  }
  const first = nats[0]
  if (!first || total < 2 || !nonProduction) return
  const cost = hourlyToMonthly(NAT_GATEWAY.hourly, total)
  const saving = hourlyToMonthly(NAT_GATEWAY.hourly, total - 1)
  report(sink, COST.natPerAz, first.path, first.line, `${total} NAT gateways in a non-production network (${usd(cost)}/month before data processing); sharing one saves ${usd(saving)}/month.`, { monthlyCostUsd: cost, monthlySavingUsd: saving, assumptions: ['nat', 'usage'] })
  offerSaving(firstLine, saving)
}

/** Load balancer hours (capacity units are usage and not estimated). */
export function checkLoadBalancer(sink: CostSink, w: Where & { lbType: keyof typeof LOAD_BALANCER_HOURLY }): CostLine {
  const hourly = LOAD_BALANCER_HOURLY[w.lbType]
  return price(sink, w, hourlyToMonthly(hourly), `${w.lbType} load balancer at $${hourly}/h × ${HOURS_PER_MONTH} h (capacity units not estimated)`)
}

/** Assumed monthly ingestion of a log group, and the months of growth the figure shows. */
export const ASSUMED_LOG_GB_PER_MONTH = 10
const LOG_MONTHS = 12

/** A log group kept forever: the storage it reaches after a year against 30-day retention. */
export function checkLogGroup(sink: CostSink, w: Where, reportLine: number, setToZero: boolean): void {
  const stored = ASSUMED_LOG_GB_PER_MONTH * LOG_MONTHS
  const cost = money(stored * CLOUDWATCH_LOGS.storageGbMonth)
  const saving = money(cost - ASSUMED_LOG_GB_PER_MONTH * CLOUDWATCH_LOGS.storageGbMonth)
  const line = price(sink, w, cost, `${stored} GB stored after ${LOG_MONTHS} months at $${CLOUDWATCH_LOGS.storageGbMonth}/GB-month (assumed ${ASSUMED_LOG_GB_PER_MONTH} GB/month ingested)`, ['logs'])
  const what = setToZero ? 'sets retention to 0 (never expire)' : 'has no retention period'
  report(sink, COST.logRetention, w.path, reportLine, `${w.resource} ${what}: at an assumed ${ASSUMED_LOG_GB_PER_MONTH} GB a month its storage reaches ${usd(cost)}/month after a year and keeps growing; 30-day retention holds it near ${usd(cost - saving)}.`, { monthlyCostUsd: cost, monthlySavingUsd: saving, assumptions: ['logs'] })
  offerSaving(line, saving)
}

export const ASSUMED_BUCKET_GB = 100

/** A bucket without a lifecycle rule: an assumed size in Standard, half of it movable to Standard-IA. */
export function checkBucket(sink: CostSink, w: Where): void {
  const cost = money(ASSUMED_BUCKET_GB * S3_GB_MONTH.STANDARD!)
  const saving = money((ASSUMED_BUCKET_GB / 2) * (S3_GB_MONTH.STANDARD! - S3_GB_MONTH.STANDARD_IA!))
  const line = price(sink, w, cost, `assumed ${ASSUMED_BUCKET_GB} GB in S3 Standard at $${S3_GB_MONTH.STANDARD}/GB-month`, ['s3'])
  report(sink, COST.s3Lifecycle, w.path, w.line, `${w.resource} has no lifecycle rule: at an assumed ${ASSUMED_BUCKET_GB} GB (${usd(cost)}/month), moving the half not read after 30 days to Standard-IA saves ${usd(saving)}/month, and old versions and incomplete uploads are never removed.`, { monthlyCostUsd: cost, monthlySavingUsd: saving, assumptions: ['s3'] })
  offerSaving(line, saving)
}

export { cloudSqlHourly }
