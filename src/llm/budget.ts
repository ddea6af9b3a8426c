/**
 * The token budget: how many tokens a prompt holds, and which parts of the diff fit.
 *
 * The diff is packed risk-first, whole hunks only: hunks holding a high or critical finding,
 * then workflow files, then files about IAM, network or secrets, then the rest. What does not
 * fit is named in a note, so the reader knows what the model did not see. A 300-file change
 * still gets a review: of the riskiest hunks that fit.
 */
import type { ChangedFile, Finding } from '../types.js'
import { SEVERITY_RANK } from '../types.js'
import { fileHeader, hunkViews, lineRanges } from './diff-view.js'
import type { HunkView } from './diff-view.js'

export type Estimate = (text: string) => number

/** Characters per token of the local estimate, and the margin added on top of it. */
const CHARS_PER_TOKEN = 3.5
const SAFETY_MARGIN = 1.15

/** A local token estimate for when the count endpoint is not available: chars/3.5 plus 15%. */
export function estimateTokens(text: string): number {
  return Math.ceil((text.length / CHARS_PER_TOKEN) * SAFETY_MARGIN)
}

/** Paths or hunk text that make a change security-sensitive. */
const SENSITIVE =
  /iam|polic(y|ies)|security[_-]?group|secret|firewall|ingress|egress|cidr|0\.0\.0\.0|\brole|rbac|kms|password|token|credential|network|vpc|subnet|acl|permission|public/i

export type RiskTier = 0 | 1 | 2 | 3

export const TIER_LABEL: Record<RiskTier, string> = {
  0: 'holds a high or critical finding',
  1: 'workflow',
  2: 'IAM, network or secrets',
  3: 'other'
}

export interface PackedFile {
  path: string
  kind: ChangedFile['kind']
  status: ChangedFile['status']
  previousPath?: string
  /** Included hunks, in file order. */
  hunks: HunkView[]
  totalHunks: number
}

export interface OmittedFile {
  path: string
  /** Hunks left out of this file. */
  hunks: number
  totalHunks: number
  /** Why the file has nothing to show: no patch (binary, too large) rather than no room. */
  noDiff?: boolean
}

export interface PackedDiff {
  /** Files with at least one included hunk, riskiest first. */
  files: PackedFile[]
  omitted: OmittedFile[]
  /** The rendered diff (what goes inside the untrusted diff block). */
  text: string
  /** Estimated tokens of `text`. */
  tokens: number
  /** "not reviewed by the model: …" when anything was left out. */
  note?: string
}

interface Candidate {
  fileIndex: number
  hunk: HunkView
  tier: RiskTier
  /** Worst finding severity inside the hunk, -1 without one. */
  worst: number
}

/** The risk tier of one hunk (lower is riskier). */
export function riskTier(file: Pick<ChangedFile, 'path' | 'kind'>, hunk: Pick<HunkView, 'newStart' | 'newEnd' | 'text'>, findings: Finding[]): { tier: RiskTier; worst: number } {
  const inside = findings.filter((f) => f.path === file.path && f.line <= hunk.newEnd && (f.endLine ?? f.line) >= hunk.newStart)
  const worst = Math.max(-1, ...inside.map((f) => SEVERITY_RANK[f.severity]))
  if (worst >= SEVERITY_RANK.high) return { tier: 0, worst }
  if (file.kind === 'workflow') return { tier: 1, worst }
  if (SENSITIVE.test(file.path) || SENSITIVE.test(hunk.text)) return { tier: 2, worst }
  return { tier: 3, worst }
}

/** Renders the included hunks, one section per file. */
export function renderPacked(files: PackedFile[]): string {
  return files
    .map((f) => {
      const lines = f.hunks.flatMap((h) => h.lines)
      const shown = f.hunks.length < f.totalHunks ? ` (${f.hunks.length} of ${f.totalHunks} hunks shown)` : ''
      const commentable = lines.length ? `commentable lines: ${lineRanges(lines)}${shown}\n` : `no commentable lines${shown}\n`
      return fileHeader(f) + commentable + f.hunks.map((h) => h.text).join('')
    })
    .join('\n')
}

/**
 * Packs the diff into `budgetTokens` (as counted by `estimate`), riskiest hunks first, whole
 * hunks only. Pure: no API call, no I/O.
 */
export function packDiff(files: ChangedFile[], findings: Finding[], budgetTokens: number, estimate: Estimate = estimateTokens): PackedDiff {
  const views = files.map((f) => hunkViews(f.patch))
  const candidates: Candidate[] = []
  views.forEach((hunks, fileIndex) => {
    for (const hunk of hunks) candidates.push({ fileIndex, hunk, ...riskTier(files[fileIndex], hunk, findings) })
  })
  // Stable: ties keep file order, then hunk order.
  candidates.sort((a, b) => a.tier - b.tier || b.worst - a.worst || a.fileIndex - b.fileIndex || a.hunk.index - b.hunk.index)

  const chosen = new Map<number, HunkView[]>()
  const order: number[] = []
  const picked: Candidate[] = []
  let used = 0
  for (const c of candidates) {
    const header = chosen.has(c.fileIndex) ? 0 : estimate(fileHeader(files[c.fileIndex]) + 'commentable lines: 0000-0000, 0000-0000\n\n')
    const cost = estimate(c.hunk.text) + header
    if (used + cost > budgetTokens) continue
    used += cost
    if (!chosen.has(c.fileIndex)) {
      chosen.set(c.fileIndex, [])
      order.push(c.fileIndex)
    }
    chosen.get(c.fileIndex)!.push(c.hunk)
    picked.push(c)
  }

  const build = (): PackedFile[] =>
    order
      .filter((i) => (chosen.get(i)?.length ?? 0) > 0)
      .map((i) => ({
        path: files[i].path,
        kind: files[i].kind,
        status: files[i].status,
        ...(files[i].previousPath ? { previousPath: files[i].previousPath } : {}),
        hunks: [...chosen.get(i)!].sort((a, b) => a.index - b.index),
        totalHunks: views[i].length
      }))

  // The per-file allowance above is an estimate; drop the last hunks picked until the real text fits.
  let packed = build()
  let text = renderPacked(packed)
  while (picked.length && estimate(text) > budgetTokens) {
    const last = picked.pop()!
    const list = chosen.get(last.fileIndex)!
    list.splice(list.indexOf(last.hunk), 1)
    packed = build()
    text = renderPacked(packed)
  }

  const omitted: OmittedFile[] = []
  files.forEach((f, i) => {
    const total = views[i].length
    const included = chosen.get(i)?.length ?? 0
    if (total === 0 && f.status !== 'removed') omitted.push({ path: f.path, hunks: 0, totalHunks: 0, noDiff: true })
    else if (included < total) omitted.push({ path: f.path, hunks: total - included, totalHunks: total })
  })
  return { files: packed, omitted, text, tokens: text ? estimate(text) : 0, note: omissionNote(omitted) }
}

const NOTE_LIST_LIMIT = 20

/** "not reviewed by the model: a.tf (3 hunks), b.yml (1 of 4 hunks), …; no diff available: c.bin". */
export function omissionNote(omitted: OmittedFile[]): string | undefined {
  const cut = omitted.filter((o) => !o.noDiff)
  const noDiff = omitted.filter((o) => o.noDiff)
  const parts: string[] = []
  if (cut.length) {
    const shown = cut.slice(0, NOTE_LIST_LIMIT).map((o) => {
      const n = o.hunks === o.totalHunks ? `${o.hunks} hunk${o.hunks === 1 ? '' : 's'}` : `${o.hunks} of ${o.totalHunks} hunks`
      return `${o.path} (${n})`
    })
    if (cut.length > NOTE_LIST_LIMIT) shown.push(`… and ${cut.length - NOTE_LIST_LIMIT} more files`)
    parts.push(`not reviewed by the model (token budget): ${shown.join(', ')}`)
  }
  if (noDiff.length) {
    const shown = noDiff.slice(0, NOTE_LIST_LIMIT).map((o) => o.path)
    if (noDiff.length > NOTE_LIST_LIMIT) shown.push(`… and ${noDiff.length - NOTE_LIST_LIMIT} more`)
    parts.push(`no diff available to the model: ${shown.join(', ')}`)
  }
  return parts.length ? parts.join('; ') : undefined
}

/** Tokens the prompt may use: the configured cap, within the model's window minus the output. */
export function inputLimit(maxInputTokens: number, contextWindow: number, maxOutputTokens: number): number {
  return Math.max(0, Math.min(maxInputTokens, contextWindow - maxOutputTokens))
}

// ── Whole files: the post-change content of each changed infrastructure file ─────────────────

/**
 * One changed file in full, numbered: `+` marks a line the change added, `!` a line that
 * already carries a rule comment. Only lines in the diff are commentable (GitHub's rule).
 */
export function renderWholeFile(file: ChangedFile, commentable: Set<number>, added: Set<number>, commented: Set<number>): string {
  const lines = (file.content ?? '').replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n')
  const width = String(lines.length).length
  const head = [
    fileHeader(file).trimEnd() + ' — whole file after the change',
    commentable.size ? `commentable lines: ${lineRanges(commentable)}` : 'no commentable lines',
    ...(commented.size ? [`lines that already carry a rule comment (marked !): ${lineRanges(commented)}`] : [])
  ]
  const body = lines.map((text, i) => `${String(i + 1).padStart(width)} ${added.has(i + 1) ? '+' : ' '}${commented.has(i + 1) ? '!' : ' '} ${text}`)
  return `${head.join('\n')}\n${body.join('\n')}\n`
}

export interface EvidenceFiles {
  /** The rendered files: whole where they fit, else their hunks. */
  text: string
  tokens: number
  /** Paths shown whole. */
  whole: string[]
  /** The hunk packing underneath (what did not fit, in hunks). */
  packed: PackedDiff
}

/**
 * The diff packed risk-first (see `packDiff`), then, riskiest file first, each infrastructure
 * file replaced by its whole post-change content while the budget allows. A file that does not
 * fit whole keeps its hunks.
 */
export function packWholeFiles(
  files: ChangedFile[],
  findings: Finding[],
  budgetTokens: number,
  lines: { commentable: Map<string, Set<number>>; added: Map<string, Set<number>>; commented: Map<string, Set<number>> },
  estimate: Estimate = estimateTokens
): EvidenceFiles {
  const packed = packDiff(files, findings, budgetTokens, estimate)
  const sections = new Map<string, string>(packed.files.map((f) => [f.path, renderPacked([f])]))
  const order = packed.files.map((f) => f.path)
  let used = estimate([...sections.values()].join('\n'))
  const whole: string[] = []
  const byPath = new Map(files.map((f) => [f.path, f]))
  // Files with a diff first (risk order), then changed files the hunks could not show at all.
  const candidates = [...order, ...files.map((f) => f.path).filter((p) => !sections.has(p))]
  for (const path of candidates) {
    const file = byPath.get(path)
    if (!file || file.kind === 'other' || file.status === 'removed' || file.content === undefined || file.content.includes('\u0000')) continue
    const text = renderWholeFile(file, lines.commentable.get(path) ?? new Set(), lines.added.get(path) ?? new Set(), lines.commented.get(path) ?? new Set())
    const before = sections.has(path) ? estimate(sections.get(path)!) : 0
    const extra = estimate(text) - before
    if (used + extra > budgetTokens) continue
    used += extra
    sections.set(path, text)
    if (!order.includes(path)) order.push(path)
    whole.push(path)
  }
  const text = order.map((p) => sections.get(p)!).join('\n')
  const stillOmitted = packed.omitted.filter((o) => !whole.includes(o.path))
  return { text, tokens: text ? estimate(text) : 0, whole, packed: { ...packed, omitted: stillOmitted, note: omissionNote(stillOmitted) } }
}

// ── The repository's paths ─────────────────────────────────────────────────────────────────

export const MAX_REPOSITORY_PATHS = 500

function folderOf(path: string): string[] {
  const parts = path.split('/')
  parts.pop()
  return parts
}

/** Segments between two folders through their common parent. */
function folderDistance(a: string[], b: string[]): number {
  let common = 0
  while (common < a.length && common < b.length && a[common] === b[common]) common++
  return a.length - common + (b.length - common)
}

/**
 * At most `cap` repository paths, nearest folders first: by the folder distance to the closest
 * changed file, then by path. Changed files themselves are left out (they are shown).
 */
export function nearestPaths(all: readonly string[], changed: readonly string[], cap = MAX_REPOSITORY_PATHS): { paths: string[]; total: number } {
  const changedSet = new Set(changed)
  const folders = [...new Set(changed.map((p) => folderOf(p).join('/')))].map((f) => (f ? f.split('/') : []))
  const others = [...new Set(all)].filter((p) => !changedSet.has(p))
  const distance = (p: string): number => {
    const f = folderOf(p)
    return folders.length ? Math.min(...folders.map((c) => folderDistance(f, c))) : f.length
  }
  const ranked = others.map((p) => ({ p, d: distance(p) })).sort((a, b) => a.d - b.d || (a.p < b.p ? -1 : a.p > b.p ? 1 : 0))
  return { paths: ranked.slice(0, Math.max(0, cap)).map((r) => r.p), total: others.length }
}
