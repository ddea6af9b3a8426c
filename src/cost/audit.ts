/**
 * The audit of a whole tree: every rule plus the cost analysis, with the offline estimate and the
 * report. Shards split the files by a stable hash of the path; `mergeAuditShards` puts their JSON
 * back together into exactly what one unsharded run gives (timing aside).
 */
import { createHash } from 'node:crypto'
import type { FileNote, Finding } from '../types.js'
import { readTree, type TreeFile } from '../changes/tree.js'
import { analyzeFiles, compareFindings, prepareAnalysis } from '../rules/index.js'
import { redactDeep } from '../redact.js'
import { renderAuditReport, type AuditReportOptions } from '../render/audit-report.js'
import { analyzeCost } from './index.js'
import { summarize, type Estimate } from './estimate.js'

export interface AuditStats {
  files: number
  findings: number
  ms: number
  shard?: { index: number; total: number }
}

export interface AuditResult {
  findings: Finding[]
  files: TreeFile[]
  notes: FileNote[]
  stats: AuditStats
  estimate: Estimate
  report: string
}

export interface AuditOptions {
  pathsIgnore?: string[]
  shardIndex?: number
  shardTotal?: number
  report?: AuditReportOptions
}

/** FNV-1a (32 bit) of the path: stable across runs, platforms and Node versions. */
export function shardOf(path: string, total: number): number {
  let hash = 0x811c9dc5
  for (const byte of Buffer.from(path, 'utf8')) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash % total
}

function uniqueNotes(notes: FileNote[]): FileNote[] {
  const seen = new Set<string>()
  const out: FileNote[] = []
  for (const n of notes) {
    const key = `${n.path}\u0000${n.reason}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(n)
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.reason.localeCompare(b.reason))
}

export async function auditTree(root: string, options: AuditOptions = {}): Promise<AuditResult> {
  const started = performance.now()
  const total = options.shardTotal ?? 1
  const index = options.shardIndex ?? 0
  const select = total > 1 ? (path: string) => shardOf(path, total) === index : undefined
  prepareAnalysis()
  const tree = await readTree(root, { pathsIgnore: options.pathsIgnore, select })
  const analysis = await analyzeFiles(tree.files)
  const cost = await analyzeCost(tree.files)
  // The scan already holds the cost findings (each language prices its files); the cost pass adds the estimate.
  const findings = [...analysis.findings].sort(compareFindings)
  const body = {
    findings,
    files: [...tree.listed].sort((a, b) => a.path.localeCompare(b.path)),
    notes: uniqueNotes([...tree.notes, ...analysis.notes, ...cost.notes]),
    stats: { files: tree.listed.length, findings: findings.length, ms: 0, ...(total > 1 ? { shard: { index, total } } : {}) } as AuditStats,
    estimate: summarize(cost.lines, cost.assumptions)
  }
  // Redact the data first and render the report from it, so a merge of shards renders the same.
  const safe = redactDeep(body, analysis.secrets)
  safe.stats.ms = Math.round(performance.now() - started)
  return { ...safe, report: renderAuditReport(safe, options.report) }
}

/** Merges the JSON of every shard of one audit into the result of an unsharded run. */
export function mergeAuditShards(shards: AuditResult[], report?: AuditReportOptions): AuditResult {
  const byPath = new Map<string, TreeFile>()
  for (const s of shards) for (const f of s.files) byPath.set(f.path, f)
  const findings = shards.flatMap((s) => s.findings).sort(compareFindings)
  const files = [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path))
  const estimate = summarize(
    shards.flatMap((s) => s.estimate.resources),
    shards.flatMap((s) => s.estimate.assumptions)
  )
  const body = {
    findings,
    files,
    notes: uniqueNotes(shards.flatMap((s) => s.notes)),
    stats: { files: files.length, findings: findings.length, ms: Math.max(0, ...shards.map((s) => s.stats.ms)) },
    estimate
  }
  return { ...body, report: renderAuditReport(body, report) }
}

/** Checks that a parsed JSON value looks like an audit result; returns a problem or undefined. */
export function auditShapeProblem(value: unknown): string | undefined {
  const v = value as Partial<AuditResult> | null
  if (!v || typeof v !== 'object') return 'not a JSON object'
  if (!Array.isArray(v.findings)) return 'no `findings` list'
  if (!Array.isArray(v.files)) return 'no `files` list'
  if (!v.estimate || !Array.isArray(v.estimate.resources) || !Array.isArray(v.estimate.assumptions)) return 'no `estimate` with `resources` and `assumptions`'
  if (!Array.isArray(v.notes)) return 'no `notes` list'
  return undefined
}

/**
 * A finding's identity across audits: rule, path and the message with numbers and quoted
 * values folded, so moving lines or a new price snapshot does not make it "new".
 */
export function auditFingerprint(f: Pick<Finding, 'ruleId' | 'path' | 'message'>): string {
  const normalized = f.message
    .replace(/\$\d[\d,]*(\.\d+)?/g, '$#')
    .replace(/\b\d+(\.\d+)?\b/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
  return createHash('sha256').update(`${f.ruleId}\n${f.path}\n${normalized}`).digest('hex').slice(0, 12)
}
