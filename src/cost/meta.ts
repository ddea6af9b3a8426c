/** The cost rules: ids `cost/<slug>`, category `cost`, each with what it checks and how to fix it. */
import type { Finding, RuleMeta } from '../types.js'
import { defineRule, reporterFor } from '../rules/rule.js'
import { money, type AssumptionKey, type CostLine } from './estimate.js'
import { lookupTable } from '../util/lookup-table.js'

/** Every cost rule is of category `cost`; its kind says which files it prices. */
const rule = ({ kind, ...spec }: Omit<RuleMeta, 'category'>): RuleMeta => defineRule(kind, { category: 'cost', ...spec })

export const COST = {
  gp2: rule({
    id: 'cost/ebs-gp2',
    kind: 'any',
    severity: 'low',
    topics: ['cost-sizing'],
    title: 'gp2 volume where gp3 is 20% cheaper',
    description: 'gp3 costs 20% less per GB-month than gp2 and includes a 3,000 IOPS / 125 MB/s baseline whatever the size.',
    remediation: 'Change the volume type to `gp3` (an online modification, no downtime).'
  }),
  oversized: rule({
    id: 'cost/oversized-instance',
    kind: 'any',
    severity: 'medium',
    topics: ['cost-sizing'],
    title: 'Very large or specialised instance size',
    description: 'Sizes of 8xlarge and above, bare metal, memory-optimised x1 and GPU families are the most expensive of their kind; the figure shows the saving of one size down.',
    remediation: 'Check measured CPU and memory use; move one size down (or to a general-purpose family) when the headroom is not used.'
  }),
  nonProdDb: rule({
    id: 'cost/nonprod-db-always-on',
    kind: 'any',
    severity: 'medium',
    topics: ['cost-waste'],
    title: 'Non-production database running around the clock',
    description: 'A development, test or staging database with no stop schedule is billed 730 hours a month; office hours need about 217.',
    remediation: 'Stop it outside working hours (an EventBridge Scheduler rule calling StopDBInstance/StartDBInstance, or Instance Scheduler), or use a serverless option that scales to zero.'
  }),
  natPerAz: rule({
    id: 'cost/nat-gateway-per-az',
    kind: 'any',
    severity: 'low',
    topics: ['cost-waste'],
    title: 'One NAT gateway per availability zone outside production',
    description: 'Each NAT gateway is billed by the hour; a non-production network rarely needs zone-redundant egress.',
    remediation: 'Share one NAT gateway across the private subnets (e.g. `single_nat_gateway = true` in the VPC module).'
  }),
  logRetention: rule({
    id: 'cost/log-group-no-retention',
    kind: 'any',
    severity: 'low',
    topics: ['cost-waste', 'logging'],
    title: 'Log group kept forever',
    description: 'Without a retention period every log line is stored, and billed, indefinitely: storage grows every month.',
    remediation: 'Set a retention period (e.g. 30 days; longer only where an audit requires it).'
  }),
  s3Lifecycle: rule({
    id: 'cost/s3-no-lifecycle',
    kind: 'any',
    severity: 'low',
    topics: ['cost-waste'],
    title: 'Bucket without a lifecycle rule',
    description: 'Without a lifecycle rule objects stay in S3 Standard forever, old versions and incomplete uploads included.',
    remediation: 'Add a lifecycle configuration: transition to Standard-IA or Glacier after 30–90 days, expire old versions, abort incomplete multipart uploads.'
  }),
  k8sNoLimits: rule({
    id: 'cost/k8s-no-limits',
    kind: 'kubernetes',
    severity: 'low',
    topics: ['resource-limits', 'cost-sizing'],
    title: 'Container without resource limits',
    description: 'A container without limits can take a node\u2019s spare capacity, which makes bin-packing and the cluster size unpredictable. Not reported for the Kubernetes pause image, nor for a container whose whole command only idles (`sleep infinity`, a `sleep` of an hour or more, `tail -f /dev/null`, after nothing but `echo`s) beside a container that works (an image pre-puller): either uses next to no CPU or memory. A lone idle container is a shell to `kubectl exec` into, whose commands use its resources.',
    remediation: 'Set `resources.limits` for memory (and CPU where throttling is acceptable) close to the measured peak.'
  }),
  k8sRequestGap: rule({
    id: 'cost/k8s-request-limit-gap',
    kind: 'kubernetes',
    severity: 'low',
    topics: ['cost-sizing'],
    title: 'Requests far from limits',
    description: 'Requests above limits are rejected by the API server; limits four or more times the requests overcommit nodes and hide the real size of the workload.',
    remediation: 'Set requests to the measured typical use and limits within 2× of them.'
  }),
  k8sFixedReplicas: rule({
    id: 'cost/k8s-fixed-replicas',
    kind: 'kubernetes',
    severity: 'low',
    topics: ['autoscaling', 'cost-sizing'],
    title: 'Many fixed replicas without an autoscaler',
    description: 'Five or more replicas with no HorizontalPodAutoscaler run at peak size all the time. StatefulSets are left out: their replicas are the members of a cluster, not load to follow; so are capacity placeholders running only the Kubernetes pause image, whose replicas are the capacity they hold.',
    remediation: 'Add a HorizontalPodAutoscaler (minReplicas 2, a CPU or request-rate target) and drop the fixed `replicas`.'
  }),
  nonProdWarm: rule({
    id: 'cost/nonprod-warm-capacity',
    kind: 'any',
    severity: 'low',
    topics: ['cost-waste'],
    title: 'Warm capacity kept outside production',
    description: 'Cloud Run minimum instances and Lambda provisioned concurrency are billed while idle; non-production traffic rarely needs them.',
    remediation: 'Set the minimum instances / provisioned concurrency to 0 outside production.'
  })
} as const

export const costRules: RuleMeta[] = Object.values(COST)

/** Scan findings that a cost finding at the same place restates with figures. */
export const SUPERSEDED_BY = lookupTable<string>({
  'tf/aws-ebs-gp2': 'cost/ebs-gp2',
  'tf/aws-oversized-instance': 'cost/oversized-instance'
})

/**
 * A cost finding without figures that a rule of the file's kind always reports too, in the same
 * object: `cost/k8s-no-limits` (a container with no limits at all) gets `k8s/no-memory-limits` at
 * the container or inside it. The cost pass alone (an audit's estimate) still reports it.
 */
const RESTATED_BY = lookupTable<string>({
  'cost/k8s-no-limits': 'k8s/no-memory-limits'
})

/** The rules `withoutRestated` looks at (ids always hold a `/`, so no Object.prototype name is among them). */
const SUPERSEDED = new Map(Object.entries(SUPERSEDED_BY))
const SUPERSEDING = new Set(SUPERSEDED.values())
const RESTATED = new Map(Object.entries(RESTATED_BY))
const RESTATING = new Set(RESTATED.values())
/** A finding of one of these rules may be dropped. */
const DROPPABLE = new Set([...SUPERSEDED.keys(), ...RESTATED.keys()])

/** One finding per problem and place: the scan's or the cost rule's, whichever says more. */
export function withoutRestated(findings: Finding[]): Finding[] {
  // Most files hold neither kind of rule: no keys to build.
  if (!findings.some((f) => DROPPABLE.has(f.ruleId))) return findings
  // Keys only for the findings a lookup below can ask for: cost findings of a superseding rule,
  // lines of the restated rules and of the rules restating them.
  const costAt = new Set<string>()
  for (const f of findings) if (f.category === 'cost' && SUPERSEDING.has(f.ruleId)) costAt.add(`${f.ruleId}\u0000${f.path}\u0000${f.line}`)
  let lines: Map<string, number[]> | undefined
  return findings.filter((f) => {
    const by = SUPERSEDED.get(f.ruleId)
    if (by && costAt.has(`${by}\u0000${f.path}\u0000${f.line}`)) return false
    const rule = RESTATED.get(f.ruleId)
    if (!(rule && f.monthlyCostUsd === undefined && f.monthlySavingUsd === undefined)) return true
    lines ??= linesByRuleAndPath(findings.filter((x) => RESTATED.has(x.ruleId) || RESTATING.has(x.ruleId)))
    return !restatedBelow(lines, f, rule)
  })
}

/** Sorted lines of each rule's findings in each file. */
function linesByRuleAndPath(findings: Finding[]): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (const f of findings) {
    const key = `${f.ruleId}\u0000${f.path}`
    const list = out.get(key)
    if (list) list.push(f.line)
    else out.set(key, [f.line])
  }
  for (const list of out.values()) list.sort((a, b) => a - b)
  return out
}

/** Index of the first element of a sorted list that is at least `value`. */
function firstAtLeast(sorted: number[], value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid] < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** A `rule` finding at or below `f`'s line and before the next finding of `f`'s own rule (the next object) in the file. */
function restatedBelow(lines: Map<string, number[]>, f: Finding, rule: string): boolean {
  const own = lines.get(`${f.ruleId}\u0000${f.path}`) ?? []
  const next = own[firstAtLeast(own, f.line + 1)] ?? Infinity
  const restating = lines.get(`${rule}\u0000${f.path}`) ?? []
  const at = restating[firstAtLeast(restating, f.line)]
  return at !== undefined && at < next
}

/** Collects the findings and priced resources of one file. */
export interface CostSink {
  findings: Finding[]
  lines: CostLine[]
  assumptions: Set<AssumptionKey>
}

export function newSink(): CostSink {
  return { findings: [], lines: [], assumptions: new Set() }
}

export interface CostFindingOptions {
  monthlyCostUsd?: number
  monthlySavingUsd?: number
  endLine?: number
  suggestion?: string
  remediation?: string
  assumptions?: AssumptionKey[]
}

export function report(sink: CostSink, meta: RuleMeta, path: string, line: number, message: string, options: CostFindingOptions = {}): Finding {
  const f = reporterFor(costRules, path, 'cost')(meta, line, message, {
    endLine: options.endLine,
    suggestion: options.suggestion,
    remediation: options.remediation,
    monthlyCostUsd: options.monthlyCostUsd !== undefined ? money(options.monthlyCostUsd) : undefined,
    monthlySavingUsd: options.monthlySavingUsd !== undefined ? money(options.monthlySavingUsd) : undefined
  })
  for (const a of options.assumptions ?? []) sink.assumptions.add(a)
  sink.findings.push(f)
  return f
}

/** Where a cost line or finding sits: the file, the resource's header line and its name. */
export interface CostPlace {
  path: string
  line: number
  /** `aws_instance.web`, `Deployment/api`, `AWS::EC2::Instance WebServer`. */
  resource: string
}

/**
 * A priced resource at `at`; returns it so findings on the same resource can raise its saving.
 * Built field by field (not spread from `at`, which may carry more): the key order is the
 * contract's (path, line, resource, monthlyCostUsd, basis, monthlySavingUsd).
 */
export function price(sink: CostSink, at: CostPlace, monthlyCostUsd: number, basis: string, assumptions?: readonly AssumptionKey[]): CostLine {
  const entry: CostLine = { path: at.path, line: at.line, resource: at.resource, monthlyCostUsd: money(monthlyCostUsd), basis, monthlySavingUsd: 0 }
  if (assumptions) for (const a of assumptions) sink.assumptions.add(a)
  sink.lines.push(entry)
  return entry
}

/** Savings on one resource overlap (a smaller size and a stop schedule), so the largest one counts. */
export function offerSaving(line: CostLine | undefined, saving: number): void {
  if (line) line.monthlySavingUsd = Math.max(line.monthlySavingUsd, money(saving))
}

export const usd = (n: number): string => `$${n.toFixed(2)}`
