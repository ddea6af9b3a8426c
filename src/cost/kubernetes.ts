/**
 * Cost of Kubernetes manifests: requested capacity priced per workload, containers without
 * limits or with requests far from limits, and fixed high replica counts with no autoscaler in
 * the same stream.
 */
import { getIn, isMap, isSeq, pairOf, parseYaml, toPlain, type YamlFile } from '../rules/parse/yaml.js'
import { FARGATE, HOURS_PER_MONTH } from './prices.js'
import { looksNonProduction, money } from './estimate.js'
import { COST, newSink, offerSaving, price, report, usd, type CostSink } from './meta.js'
import { parseCpu, parseMemoryGib } from './terraform.js'
import { lookupTable } from '../util/lookup-table.js'

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

interface Doc {
  kind: string
  name: string
  plain: Plain
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
    const plain = obj(toPlain(d))
    const kind = text(plain?.kind)
    if (!plain || !kind) continue
    docs.push({ kind, name: text(obj(plain.metadata)?.name) ?? '', plain, node: d.contents })
  }
  // Autoscalers (HPA, KEDA) anywhere in the stream, by the workload they target.
  const scaled = new Set<string>()
  for (const d of docs) {
    if (d.kind === 'HorizontalPodAutoscaler' || d.kind === 'ScaledObject') {
      const target = obj(obj(d.plain.spec)?.scaleTargetRef)
      scaled.add(`${text(target?.kind) ?? 'Deployment'}/${text(target?.name) ?? ''}`)
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
  let podPlain: unknown = d.plain
  for (const key of podPath) podPlain = obj(podPlain)?.[key]
  const containersPlain = obj(podPlain)?.containers
  const plainList = Array.isArray(containersPlain) ? containersPlain : []
  const partial = listedPatch || (plainList.length > 0 && plainList.every((c) => obj(c)?.image === undefined))
  let cpu = 0
  let mem = 0
  let priced = false
  containers.items.forEach((c, i) => {
    const plain = obj(plainList[i])
    const cname = text(plain?.name) ?? `#${i + 1}`
    const line = yaml.lineOf(c)
    const resources = obj(plain?.resources)
    const requests = obj(resources?.requests)
    const limits = obj(resources?.limits)
    const reqCpu = parseCpu(text(requests?.cpu))
    const reqMem = parseMemoryGib(text(requests?.memory))
    if (reqCpu !== undefined || reqMem !== undefined) priced = true
    cpu += reqCpu ?? 0
    mem += reqMem ?? 0
    if (!limits || Object.keys(limits).length === 0) {
      if (!partial) report(sink, COST.k8sNoLimits, path, line, `${resource} container \`${cname}\` has no resource limits.`)
      return
    }
    const limCpu = parseCpu(text(limits.cpu))
    const limMem = parseMemoryGib(text(limits.memory))
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
  const replicasRaw = obj(d.plain.spec)?.replicas
  const replicas = typeof replicasRaw === 'number' ? replicasRaw : replicasRaw === undefined ? 1 : undefined
  if (replicas === undefined) return
  const perReplica = money((cpu * FARGATE.vcpuHour + mem * FARGATE.gbHour) * HOURS_PER_MONTH)
  const line = priced
    ? price(sink, { path, line: yaml.lineOf(d.node), resource, monthlyCostUsd: perReplica * replicas, basis: `${replicas} replica(s) × (${Number(cpu.toFixed(3))} vCPU at $${FARGATE.vcpuHour} + ${Number(mem.toFixed(3))} GB at $${FARGATE.gbHour})/h × ${HOURS_PER_MONTH} h` }, ['k8s'])
    : undefined
  // A StatefulSet's replicas are members of a cluster (a database, a broker, Redis Cluster): their
  // number is the cluster's shape, not load an autoscaler could follow.
  if (replicas >= FIXED_REPLICAS_THRESHOLD && d.kind !== 'StatefulSet' && !scaled.has(`${d.kind}/${d.name}`) && replicasPair) {
    const where = yaml.lineOf(replicasPair.key)
    const nonProd = looksNonProduction(path, d.name, text(obj(d.plain.metadata)?.namespace)) ? ' (outside production, too)' : ''
    if (line) {
      const saving = money(perReplica * (replicas - HPA_FLOOR) * 0.5)
      report(sink, COST.k8sFixedReplicas, path, where, `${resource} runs ${replicas} fixed replicas${nonProd} with no HorizontalPodAutoscaler (${usd(line.monthlyCostUsd)}/month requested); autoscaling from ${HPA_FLOOR} saves about ${usd(saving)}/month.`, { monthlyCostUsd: line.monthlyCostUsd, monthlySavingUsd: saving, assumptions: ['k8s', 'hpa'] })
      offerSaving(line, saving)
    } else {
      report(sink, COST.k8sFixedReplicas, path, where, `${resource} runs ${replicas} fixed replicas${nonProd} with no HorizontalPodAutoscaler.`)
    }
  }
}
