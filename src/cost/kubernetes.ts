/**
 * Cost of Kubernetes manifests: requested capacity priced per workload, containers without
 * limits or with requests far from limits, and fixed high replica counts with no autoscaler in
 * the same stream.
 */
import type { Document } from 'yaml'
import { getIn, isMap, isScalar, isSeq, pairOf, parseYaml, toPlain, type YamlFile } from '../rules/parse/yaml.js'
import { FARGATE, HOURS_PER_MONTH } from './prices.js'
import { looksNonProduction, money } from './estimate.js'
import { COST, newSink, offerSaving, price, report, usd, type CostSink } from './meta.js'
import { parseCpu, parseMemoryGib } from './terraform.js'
import { lookupTable } from '../util/lookup-table.js'
import { commandOnlyIdles, isPauseImage } from '../rules/container-common.js'

const POD_SPEC = lookupTable<string[]>({
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec']
})
/** Workloads whose replica count is theirs to set (and so can be priced and autoscaled). */
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet'])

export const FIXED_REPLICAS_THRESHOLD = 5
const HPA_FLOOR = 2
const GAP_FACTOR = 4

type Plain = Record<string, unknown>
const obj = (v: unknown): Plain | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Plain) : undefined)
const text = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined)

/**
 * Reads of a document's plain form, the values `toPlain` gives (an object per map, an array per
 * sequence, a scalar's value), by key. Most documents are read from their nodes in place: the
 * cost pass reads a few fields, and converting every document whole was most of its time.
 */
export interface PlainReader {
  /** The value under `key` when `v` is a map, else undefined. */
  field(v: unknown, key: string): unknown
  /** A string or number value as text. */
  text(v: unknown): string | undefined
  number(v: unknown): number | undefined
  isMap(v: unknown): boolean
  /** The items of a sequence. */
  items(v: unknown): readonly unknown[] | undefined
  isEmptyMap(v: unknown): boolean
}

/** Reads a document converted by `toPlain`. */
export const FROM_PLAIN: PlainReader = {
  field: (v, key) => obj(v)?.[key],
  text,
  number: (v) => (typeof v === 'number' ? v : undefined),
  isMap: (v) => obj(v) !== undefined,
  items: (v) => (Array.isArray(v) ? v : undefined),
  isEmptyMap: (v) => obj(v) !== undefined && Object.keys(v as Plain).length === 0
}

/** A scalar node's value (what `toPlain` makes of it); any other node as it is. */
const valueOf = (node: unknown): unknown => (isScalar(node) ? node.value : node)

/** The property name `toPlain` gives a scalar or empty key: its value as text, '' for null. */
const keyText = (key: unknown): string | undefined => (key === null ? '' : isScalar(key) ? (key.value === null ? '' : String(key.value)) : undefined)

/**
 * Reads the nodes of a document that `convertsOneToOne` accepted, giving what `FROM_PLAIN` gives
 * on its `toPlain` form, for any key but the names of Object.prototype members (which the
 * converted form inherits; the cost pass asks for none). There each map pair became one property
 * named by its key (see keyText; the last pair of a key wins, as duplicate keys are allowed, and
 * there is no merge key), each sequence an array of its items, each scalar its value, and an
 * empty value null.
 */
export const FROM_NODES: PlainReader = {
  field: (v, key) => {
    if (!isMap(v)) return undefined
    const pairs = v.items
    for (let i = pairs.length - 1; i >= 0; i--) {
      if (keyText(pairs[i]!.key) === key) return valueOf(pairs[i]!.value)
    }
    return undefined
  },
  text,
  number: (v) => (typeof v === 'number' ? v : undefined),
  isMap: (v) => isMap(v),
  items: (v) => (isSeq(v) ? v.items.map(valueOf) : undefined),
  isEmptyMap: (v) => isMap(v) && v.items.length === 0
}

/** Deepest nesting read in place; a deeper document is converted whole, as before (where its conversion may run out of stack). */
const MAX_IN_PLACE_DEPTH = 100

/**
 * True when a collection's nodes convert one to one (see FROM_NODES) and `toPlain` could not fail
 * on them: untagged maps with scalar (or empty) keys, untagged sequences and scalars only; no alias
 * (whose expansion is capped), no nesting deeper than the bound. A tagged collection is left to the
 * whole conversion: `!!set` is a map node that converts to a Set, `!!omap` a sequence that converts
 * to a Map. Scalars are not looked into: whatever value a scalar node holds, `toPlain` gives it as is.
 */
function convertsOneToOne(node: unknown, depth: number): boolean {
  if (depth >= MAX_IN_PLACE_DEPTH) return false
  if ((isMap(node) || isSeq(node)) && node.tag) return false
  if (isMap(node)) {
    const pairs = node.items
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i]!
      if (pair.key !== null && !isScalar(pair.key)) return false
      const value = pair.value
      if (value !== null && !isScalar(value) && !convertsOneToOne(value, depth + 1)) return false
    }
    return true
  }
  if (isSeq(node)) {
    const items = node.items
    for (let i = 0; i < items.length; i++) {
      const item = items[i]
      if (item !== null && !isScalar(item) && !convertsOneToOne(item, depth + 1)) return false
    }
    return true
  }
  return false
}

/** The YAML 1.1 merge key `<<` (in the 1.1 schema, or by option): its pairs copy another map's. */
const MERGE_TAG = 'tag:yaml.org,2002:merge'

/** The core schema without a merge key and with integers as numbers: every scalar's value is a string, number, boolean or null. */
function plainScalars(d: Document.Parsed): boolean {
  if (d.schema.name !== 'core' || d.options.intAsBigInt) return false
  for (const tag of d.schema.tags) if (tag.tag === MERGE_TAG) return false
  return true
}

/** How to read a document's plain values, and the root to read them from (exported for its tests). */
export function plainOf(d: Document.Parsed): { read: PlainReader; root: unknown } {
  if (plainScalars(d) && convertsOneToOne(d.contents, 0)) return { read: FROM_NODES, root: d.contents }
  return { read: FROM_PLAIN, root: toPlain(d) }
}

interface Doc {
  kind: string
  name: string
  read: PlainReader
  /** The document's root as `read` reads it. */
  plain: unknown
  node: unknown
}

/**
 * `parsed` is the stream as the rule analysis already parsed it (parsed once per run).
 * `listedPatch`: a kustomization applies the file as a patch, so what it leaves out (limits) is
 * its base's, as for a workload whose containers name no image.
 */
export function costKubernetes(path: string, content: string, parsed?: YamlFile, listedPatch = false): CostSink {
  const yaml = parsed ?? parseYaml(content)
  const sink = newSink()
  const docs: Doc[] = []
  for (const d of yaml.docs) {
    if (!isMap(d.contents)) continue
    const { read, root } = plainOf(d)
    const kind = read.text(read.field(root, 'kind'))
    if (!read.isMap(root) || !kind) continue
    docs.push({ kind, name: read.text(read.field(read.field(root, 'metadata'), 'name')) ?? '', read, plain: root, node: d.contents })
  }
  // Autoscalers (HPA, KEDA) anywhere in the stream, by the workload they target.
  const scaled = new Set<string>()
  for (const d of docs) {
    if (d.kind === 'HorizontalPodAutoscaler' || d.kind === 'ScaledObject') {
      const { read } = d
      const target = read.field(read.field(d.plain, 'spec'), 'scaleTargetRef')
      scaled.add(`${read.text(read.field(target, 'kind')) ?? 'Deployment'}/${read.text(read.field(target, 'name')) ?? ''}`)
    }
  }
  for (const d of docs) {
    const podPath = POD_SPEC[d.kind]
    if (podPath) workload(sink, yaml, path, d, podPath, scaled, listedPatch)
  }
  return sink
}

function workload(sink: CostSink, yaml: YamlFile, path: string, d: Doc, podPath: string[], scaled: Set<string>, listedPatch: boolean): void {
  const podNode = getIn(d.node, podPath)
  const containers = getIn(podNode, ['containers'])
  if (!isSeq(containers)) return
  const resource = `${d.kind}/${d.name || '(unnamed)'}`
  const { read } = d
  let podPlain: unknown = d.plain
  for (const key of podPath) podPlain = read.field(podPlain, key)
  const plainList = read.items(read.field(podPlain, 'containers')) ?? []
  const partial = listedPatch || (plainList.length > 0 && plainList.every((c) => read.field(c, 'image') === undefined))
  let cpu = 0
  let mem = 0
  let priced = false
  // Every container the pause image: a capacity placeholder, whose replicas are the capacity it holds, not load to follow.
  const placeholder = plainList.length > 0 && plainList.every((c) => isPauseImage(read.text(read.field(c, 'image')) ?? ''))
  // An idle container beside one that works is an image pre-puller; alone, a shell to `kubectl exec` into (see `usesNoResources` in the k8s rules).
  const words = (c: unknown, key: string): (string | undefined)[] => (read.items(read.field(c, key)) ?? []).map((item) => read.text(item))
  const idle = plainList.map((c) => isPauseImage(read.text(read.field(c, 'image')) ?? '') || commandOnlyIdles(words(c, 'command'), words(c, 'args')))
  const anyWorking = (but: number): boolean => idle.some((isIdle, j) => !isIdle && j !== but)
  containers.items.forEach((c, i) => {
    const plain = plainList[i]
    const cname = read.text(read.field(plain, 'name')) ?? `#${i + 1}`
    const line = yaml.lineOf(c)
    const resources = read.field(plain, 'resources')
    const requests = read.field(resources, 'requests')
    const limits = read.field(resources, 'limits')
    const reqCpu = parseCpu(read.text(read.field(requests, 'cpu')))
    const reqMem = parseMemoryGib(read.text(read.field(requests, 'memory')))
    if (reqCpu !== undefined || reqMem !== undefined) priced = true
    cpu += reqCpu ?? 0
    mem += reqMem ?? 0
    if (!read.isMap(limits) || read.isEmptyMap(limits)) {
      // The pause image, or an idle container beside a working one, uses next to no CPU or memory: no limit to set (its requests still cost).
      const pause = isPauseImage(read.text(read.field(plain, 'image')) ?? '') || (idle[i] === true && anyWorking(i))
      if (!partial && !pause) report(sink, COST.k8sNoLimits, path, line, `${resource} container \`${cname}\` has no resource limits.`)
      return
    }
    const limCpu = parseCpu(read.text(read.field(limits, 'cpu')))
    const limMem = parseMemoryGib(read.text(read.field(limits, 'memory')))
    const gaps: string[] = []
    for (const [what, req, lim] of [['CPU', reqCpu, limCpu], ['memory', reqMem, limMem]] as const) {
      if (req === undefined || lim === undefined || req <= 0) continue
      if (req > lim) gaps.push(`${what} requests are above its limit (the API server rejects this)`)
      else if (lim >= req * GAP_FACTOR) gaps.push(`${what} limit is ${Number((lim / req).toFixed(1))}× its request`)
    }
    if (gaps.length) report(sink, COST.k8sRequestGap, path, line, `${resource} container \`${cname}\`: ${gaps.join('; ')}.`)
  })
  if (!SCALABLE.has(d.kind)) return
  const spec = getIn(d.node, ['spec'])
  const replicasPair = pairOf(spec, 'replicas')
  const replicasRaw = read.field(read.field(d.plain, 'spec'), 'replicas')
  const replicas = read.number(replicasRaw) ?? (replicasRaw === undefined ? 1 : undefined)
  if (replicas === undefined) return
  const perReplica = money((cpu * FARGATE.vcpuHour + mem * FARGATE.gbHour) * HOURS_PER_MONTH)
  const line = priced
    ? price(sink, { path, line: yaml.lineOf(d.node), resource }, perReplica * replicas, `${replicas} replica(s) × (${Number(cpu.toFixed(3))} vCPU at $${FARGATE.vcpuHour} + ${Number(mem.toFixed(3))} GB at $${FARGATE.gbHour})/h × ${HOURS_PER_MONTH} h`, ['k8s'])
    : undefined
  // A StatefulSet's replicas are members of a cluster (a database, a broker, Redis Cluster): their
  // number is the cluster's shape, not load an autoscaler could follow; a placeholder's hold capacity.
  if (replicas >= FIXED_REPLICAS_THRESHOLD && d.kind !== 'StatefulSet' && !placeholder && !scaled.has(`${d.kind}/${d.name}`) && replicasPair) {
    const where = yaml.lineOf(replicasPair.key)
    const nonProd = looksNonProduction(path, d.name, read.text(read.field(read.field(d.plain, 'metadata'), 'namespace'))) ? ' (outside production, too)' : ''
    if (line) {
      const saving = money(perReplica * (replicas - HPA_FLOOR) * 0.5)
      report(sink, COST.k8sFixedReplicas, path, where, `${resource} runs ${replicas} fixed replicas${nonProd} with no HorizontalPodAutoscaler (${usd(line.monthlyCostUsd)}/month requested); autoscaling from ${HPA_FLOOR} saves about ${usd(saving)}/month.`, { monthlyCostUsd: line.monthlyCostUsd, monthlySavingUsd: saving, assumptions: ['k8s', 'hpa'] })
      offerSaving(line, saving)
    } else {
      report(sink, COST.k8sFixedReplicas, path, where, `${resource} runs ${replicas} fixed replicas${nonProd} with no HorizontalPodAutoscaler.`)
    }
  }
}
