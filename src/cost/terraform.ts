/**
 * Cost of a Terraform file: its resources are read from the HCL model (src/rules/parse/hcl.ts, the same
 * parse the rules use), priced, and checked. Values that are not literals are not guessed.
 */
import { parseTerraformFile } from '../rules/terraform/parse-file.js'
import { blocksOf, boolValue, isExpr, isObject, numberValue, stringValue, type HclBlock, type HclFile, type HclValue } from '../rules/parse/hcl.js'
import { CLOUD_RUN_IDLE, HOURS_PER_MONTH, LAMBDA } from './prices.js'
import { cloudSqlHourly, hourlyToMonthly, looksNonProduction, looksProduction, money, OFFICE_HOURS_PER_MONTH } from './estimate.js'
import { checkBucket, checkCache, checkCompute, checkDatabase, checkLoadBalancer, checkLogGroup, checkNatGateways, checkVolume, type Where } from './checks.js'
import { COST, newSink, offerSaving, price, report, usd, type CostSink } from './meta.js'
import { lookupTable } from '../util/lookup-table.js'
import { referenceTo } from '../rules/terraform/context.js'

interface TfResource {
  type: string
  name: string
  block: HclBlock
}

const str = (b: HclBlock, name: string): string | undefined => stringValue(b.attributes[name]?.value)
const num = (b: HclBlock, name: string): number | undefined => numberValue(b.attributes[name]?.value)

/** `count` when literal, else 1 (a `for_each` or computed count is not guessed). */
function countOf(b: HclBlock): number {
  const n = num(b, 'count')
  return n !== undefined && n >= 0 ? n : 1
}

/** Literal string values of `tags` (and `labels` on Google resources). */
function tagTexts(b: HclBlock): string[] {
  const out: string[] = []
  for (const key of ['tags', 'labels', 'tags_all']) {
    const v = b.attributes[key]?.value
    if (isObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out.push(`${k}=${x}`)
  }
  return out
}

const NAME_ATTRIBUTES = ['name', 'identifier', 'db_name', 'cluster_identifier', 'function_name', 'replication_group_id', 'cluster_id']

/** The texts that name a resource: its label, name-like attributes and tag values. */
function nameTexts(r: TfResource): string[] {
  const out = [r.name]
  for (const key of NAME_ATTRIBUTES) {
    const n = str(r.block, key)
    if (n !== undefined) out.push(n)
  }
  for (const t of tagTexts(r.block)) out.push(t)
  return out
}

function isNonProduction(path: string, r: TfResource, names = nameTexts(r)): boolean {
  if (looksProduction(...names)) return false
  return looksNonProduction(path, ...names)
}

const STOP_SCHEDULE = /StopDBInstance|stop-db-instance|stopDBInstance|instance[-_ ]?scheduler|auto[-_]?stop|office[-_]?hours/i

/** A tag named like a stop schedule; the file's own text is asked separately (once per file, see costTerraform). */
function hasScheduleTag(r: TfResource): boolean {
  return tagTexts(r.block).some((t) => /schedule|auto.?stop|office.?hours/i.test(t.split('=')[0] ?? ''))
}

function refersTo(v: HclValue | undefined, reference: RegExp): boolean {
  return isExpr(v) && reference.test(v.expr)
}

function resourcesOf(file: HclFile): TfResource[] {
  const out: TfResource[] = []
  for (const b of file.blocks) if (b.type === 'resource' && b.labels.length >= 2) out.push({ type: b.labels[0]!, name: b.labels[1]!, block: b })
  return out
}

/** An instance's block-device kinds, with the words its cost lines name them by. */
const BLOCK_DEVICES = [
  ['root_block_device', 'root block device'],
  ['ebs_block_device', 'ebs block device']
] as const

/** `parsed` is the file's model as written when the rule analysis already has it (parsed once per run). */
export async function costTerraform(path: string, content: string, parsed?: HclFile): Promise<CostSink> {
  const file = parsed ?? (await parseTerraformFile(path, content))
  const sink = newSink()
  const resources = resourcesOf(file)
  const where = (r: TfResource): Where => ({ path, line: r.block.line, resource: `${r.type}.${r.name}` })
  const nats: (Where & { count: number })[] = []
  let natNonProduction = false
  // Whether the file's text mentions a stop schedule: the same for every database of the file, so asked once.
  let contentStops: boolean | undefined
  const hasStopSchedule = (r: TfResource): boolean => hasScheduleTag(r) || (contentStops ??= STOP_SCHEDULE.test(content))
  // Inputs of the checks are written out field by field: object spreads cost more than the checks.
  for (const r of resources) {
    const b = r.block
    const w = where(r)
    switch (r.type) {
      case 'aws_instance': {
        const type = b.attributes.instance_type
        if (type && typeof type.value === 'string') checkCompute(sink, { path, line: w.line, resource: w.resource, type: type.value, typeLine: type.line, count: countOf(b), name: nameTexts(r).join(' '), cloud: 'aws' })
        for (const [kind, words] of BLOCK_DEVICES) {
          for (const dev of blocksOf(b, kind)) volume(sink, { path, line: w.line, resource: `${w.resource} ${words}` }, dev, 'volume_type', 'volume_size', countOf(b))
        }
        break
      }
      case 'aws_ebs_volume':
        volume(sink, w, b, 'type', 'size', countOf(b))
        break
      case 'aws_launch_template':
        // Not running by itself: only the gp2 question, no price.
        for (const m of blocksOf(b, 'block_device_mappings')) {
          for (const ebs of blocksOf(m, 'ebs')) {
            const t = ebs.attributes.volume_type
            if (t && t.value === 'gp2') report(sink, COST.gp2, path, t.line, `${w.resource} launches gp2 volumes; gp3 costs 20% less per GB-month.`)
          }
        }
        break
      case 'aws_db_instance': {
        const cls = b.attributes.instance_class
        if (!cls || typeof cls.value !== 'string') break
        const names = nameTexts(r)
        checkDatabase(sink, {
          path,
          line: w.line,
          resource: w.resource,
          cls: cls.value,
          classLine: cls.line,
          engine: str(b, 'engine'),
          multiAz: boolValue(b.attributes.multi_az?.value) === true,
          storageGb: num(b, 'allocated_storage'),
          storageType: str(b, 'storage_type'),
          count: countOf(b),
          nonProduction: isNonProduction(path, r, names),
          hasStopSchedule: hasStopSchedule(r),
          name: names.join(' ')
        })
        break
      }
      case 'aws_elasticache_cluster':
      case 'aws_elasticache_replication_group': {
        const t = b.attributes.node_type
        if (!t || typeof t.value !== 'string') break
        const groups = num(b, 'num_node_groups')
        const nodes = num(b, 'num_cache_nodes') ?? num(b, 'num_cache_clusters') ?? (groups !== undefined ? groups * ((num(b, 'replicas_per_node_group') ?? 0) + 1) : 1)
        checkCache(sink, { path, line: w.line, resource: w.resource, nodeType: t.value, typeLine: t.line, nodes: nodes * countOf(b), name: nameTexts(r).join(' ') })
        break
      }
      case 'aws_nat_gateway':
        nats.push({ path, line: w.line, resource: w.resource, count: countOf(b) })
        if (isNonProduction(path, r)) natNonProduction = true
        break
      case 'aws_lb':
      case 'aws_alb': {
        const t = str(b, 'load_balancer_type') ?? 'application'
        if (t === 'application' || t === 'network' || t === 'gateway') checkLoadBalancer(sink, { path, line: w.line, resource: w.resource, lbType: t })
        break
      }
      case 'aws_elb':
        checkLoadBalancer(sink, { path, line: w.line, resource: w.resource, lbType: 'classic' })
        break
      case 'aws_cloudwatch_log_group': {
        const a = b.attributes.retention_in_days
        if (!a) checkLogGroup(sink, w, b.line, false)
        else if (numberValue(a.value) === 0) checkLogGroup(sink, w, a.line, true)
        break
      }
      case 'aws_s3_bucket': {
        const inline = blocksOf(b, 'lifecycle_rule').length > 0
        // The bucket's reference pattern is built once, and only when the file has a lifecycle configuration.
        let reference: RegExp | undefined
        const separate = resources.some((o) => o.type === 'aws_s3_bucket_lifecycle_configuration' && refersTo(o.block.attributes.bucket?.value, (reference ??= referenceTo(r.type, r.name))))
        if (!inline && !separate) checkBucket(sink, w)
        break
      }
      case 'aws_lambda_provisioned_concurrency_config':
        lambdaWarm(sink, w, r, resources, isNonProduction(path, r))
        break
      case 'google_cloud_run_v2_service':
        cloudRunWarm(sink, w, r, isNonProduction(path, r))
        break
      case 'google_compute_instance': {
        const t = b.attributes.machine_type
        if (t && typeof t.value === 'string') checkCompute(sink, { path, line: w.line, resource: w.resource, type: t.value, typeLine: t.line, count: countOf(b), name: r.name, cloud: 'gcp' })
        break
      }
      case 'google_sql_database_instance':
        cloudSql(sink, w, r, isNonProduction(path, r), hasStopSchedule(r))
        break
      case 'azurerm_linux_virtual_machine':
      case 'azurerm_windows_virtual_machine': {
        const t = b.attributes.size
        if (t && typeof t.value === 'string') checkCompute(sink, { path, line: w.line, resource: w.resource, type: t.value, typeLine: t.line, count: countOf(b), name: r.name, cloud: 'azure' })
        break
      }
    }
  }
  // Non-production is a property of the network, so the path or any gateway's name decides.
  checkNatGateways(sink, nats, natNonProduction || (nats.length > 0 && looksNonProduction(path) && !looksProduction(path)))
  return sink
}

function volume(sink: CostSink, w: Where, b: HclBlock, typeKey: string, sizeKey: string, count: number): void {
  const t = b.attributes[typeKey]
  if (!t || typeof t.value !== 'string') return
  checkVolume(sink, { path: w.path, line: w.line, resource: w.resource, type: t.value, typeLine: t.line, sizeGb: num(b, sizeKey), iops: num(b, 'iops'), throughput: num(b, 'throughput'), count })
}

function lambdaWarm(sink: CostSink, w: Where, r: TfResource, all: TfResource[], nonProduction: boolean): void {
  const a = r.block.attributes.provisioned_concurrent_executions
  const units = numberValue(a?.value)
  if (!a || units === undefined || units <= 0) return
  const target = r.block.attributes.function_name?.value
  const fn = isExpr(target) ? all.find((o) => o.type === 'aws_lambda_function' && referenceTo(o.type, o.name).test(target.expr)) : undefined
  const memoryMb = (fn && num(fn.block, 'memory_size')) || 128
  const gb = memoryMb / 1024
  const cost = money(units * gb * LAMBDA.provisionedGbSecond * HOURS_PER_MONTH * 3600)
  const line = price(sink, w, cost, `${units} × ${memoryMb} MB provisioned at $${LAMBDA.provisionedGbSecond}/GB-s × ${HOURS_PER_MONTH} h`, ['lambda'])
  if (!nonProduction) return
  report(sink, COST.nonProdWarm, w.path, a.line, `${w.resource} keeps ${units} Lambda execution environment(s) warm outside production (${usd(cost)}/month); 0 saves all of it.`, { monthlyCostUsd: cost, monthlySavingUsd: cost, assumptions: ['lambda'] })
  offerSaving(line, cost)
}

/** `"1"`, `"2"`, `"1000m"` → vCPU; `"512Mi"`, `"1Gi"` → GiB. */
export function parseCpu(v: string | number | undefined): number | undefined {
  if (typeof v === 'number') return v
  if (!v) return undefined
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(v.trim())
  return m ? Number(m[1]) / (m[2] ? 1000 : 1) : undefined
}

const MEMORY_UNITS = lookupTable<number>({ '': 1 / 1024 ** 3, k: 1e3 / 1024 ** 3, K: 1e3 / 1024 ** 3, Ki: 1 / 1024 ** 2, M: 1e6 / 1024 ** 3, Mi: 1 / 1024, G: 1e9 / 1024 ** 3, Gi: 1, T: 1e12 / 1024 ** 3, Ti: 1024 })

export function parseMemoryGib(v: string | number | undefined): number | undefined {
  if (typeof v === 'number') return v / 1024 ** 3
  if (!v) return undefined
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(v.trim())
  return m ? Number(m[1]) * MEMORY_UNITS[m[2] ?? '']! : undefined
}

function cloudRunWarm(sink: CostSink, w: Where, r: TfResource, nonProduction: boolean): void {
  const template = blocksOf(r.block, 'template')[0]
  const scaling = template ? blocksOf(template, 'scaling')[0] : undefined
  const a = scaling?.attributes.min_instance_count
  const min = numberValue(a?.value)
  if (!a || min === undefined || min <= 0) return
  const limits = template ? blocksOf(template, 'containers').flatMap((c) => blocksOf(c, 'resources')).map((res) => res.attributes.limits?.value).find(isObject) : undefined
  const cpu = parseCpu(stringValue(limits?.cpu) ?? numberValue(limits?.cpu)) ?? 1
  const mem = parseMemoryGib(stringValue(limits?.memory)) ?? 0.5
  const seconds = HOURS_PER_MONTH * 3600
  const cost = money(min * seconds * (cpu * CLOUD_RUN_IDLE.vcpuSecond + mem * CLOUD_RUN_IDLE.gibSecond))
  const line = price(sink, w, cost, `${min} idle minimum instance(s) of ${cpu} vCPU / ${Number(mem.toFixed(3))} GiB × ${HOURS_PER_MONTH} h`, ['cloudRun'])
  if (!nonProduction) return
  report(sink, COST.nonProdWarm, w.path, a.line, `${w.resource} keeps ${min} Cloud Run instance(s) warm outside production (${usd(cost)}/month idle); \`min_instance_count = 0\` saves it.`, { monthlyCostUsd: cost, monthlySavingUsd: cost, assumptions: ['cloudRun'] })
  offerSaving(line, cost)
}

function cloudSql(sink: CostSink, w: Where, r: TfResource, nonProduction: boolean, scheduled: boolean): void {
  const settings = blocksOf(r.block, 'settings')[0]
  const tier = settings?.attributes.tier
  if (!tier || typeof tier.value !== 'string') return
  const hourly = cloudSqlHourly(tier.value)
  if (hourly === undefined) return
  const ha = str(settings!, 'availability_type') === 'REGIONAL' ? 2 : 1
  const cost = hourlyToMonthly(hourly * ha)
  const line = price(sink, w, cost, `${tier.value}${ha === 2 ? ' regional (HA)' : ''} at $${Number((hourly * ha).toFixed(6))}/h × ${HOURS_PER_MONTH} h (storage not estimated)`)
  if (!nonProduction || scheduled) return
  const saving = money(hourly * ha * (HOURS_PER_MONTH - OFFICE_HOURS_PER_MONTH))
  report(sink, COST.nonProdDb, w.path, w.line, `${w.resource} looks non-production and runs all month (${usd(cost)}/month); stopped outside office hours (activation policy NEVER) it saves ${usd(saving)}/month.`, { monthlyCostUsd: cost, monthlySavingUsd: saving, assumptions: ['officeHours'] })
  offerSaving(line, saving)
}
