/**
 * Which inline comments a review posts: findings grouped per (file, resource), anchored on the
 * group's first changed line, model remarks merged into the thread of the line they point at,
 * never two threads on one line, nothing inline below `min-inline-severity`, and what changed
 * since the previous run (comments to edit in place, comments now fixed).
 */
import type { FileKind, Finding, InlineUpdate, ReviewComment, Severity } from '../types.js'
import { SEVERITY_RANK } from '../types.js'
import type { ModelComment } from '../llm/types.js'
import { bodyHash, fingerprint, groupFingerprint } from './markers.js'
import { bySeverity, renderGroupComment, type CommentGroup } from './comment.js'

export interface InlineInput {
  /** Findings on the changed files; suppressed ones are never commented. */
  findings: Finding[]
  /** Model comments, with the model that wrote them, in the order the personas ran. */
  modelComments: { comment: ModelComment; model: string }[]
  /** Per path, the new-side lines a comment may be anchored to. */
  commentable: Map<string, Set<number>>
  /** Per path, the lines this change (or this push, when incremental) added. */
  added: Map<string, Set<number>>
  /** Per path, the file at head and its kind, to find the enclosing resource of a line. */
  files: Map<string, { kind: FileKind; content?: string }>
  minSeverity: Severity
  maxComments?: number
  /** Fingerprint → body hash of the groups an earlier run posted (from the summary's state). */
  previous?: Record<string, string>
}

export interface InlinePlan {
  comments: ReviewComment[]
  /** Findings that cannot be commented (not on a changed, commentable line, or above the cap). */
  unanchored: Finding[]
  /** Findings of groups entirely below `min-inline-severity`. */
  belowInline: Finding[]
  /** Model comments outside the diff, below the threshold or above the cap. */
  modelOutside: ModelComment[]
  /** Groups over the cap of inline comments. */
  overflow: number
  updates: InlineUpdate[]
  fixed: string[]
  state: Record<string, string>
  /** What each comment (by fingerprint) is made of. */
  sources: Record<string, { findings: Finding[]; model: ModelComment[] }>
}

/** A finding's resource: its own `resource`, else the enclosing block found in the file. */
export interface ResourceKey {
  key: string
  label?: string
}

const YAML_KINDS: ReadonlySet<FileKind> = new Set(['kubernetes', 'helm', 'compose', 'workflow', 'cloudformation'])

/** `lines`: the content already split, when the caller looks up many findings of one file. */
export function resourceKeyOf(f: Finding, file?: { kind: FileKind; content?: string; lines?: string[] }): ResourceKey {
  if (f.resource) return { key: `resource:${f.resource}`, label: f.resource }
  const lines = file?.lines ?? file?.content?.split(/\r?\n/)
  if (!lines || f.line < 1 || f.line > lines.length) return { key: `line:${f.line}` }
  if (file?.kind === 'terraform') return terraformBlock(lines, f.line) ?? { key: `line:${f.line}` }
  if (file?.kind === 'dockerfile') return dockerStage(lines, f.line)
  if (file && YAML_KINDS.has(file.kind)) return yamlBlock(lines, f.line, file.kind) ?? { key: `line:${f.line}` }
  return { key: `line:${f.line}` }
}

/** The top-level block (`resource "aws_s3_bucket" "logs" {`) a Terraform line belongs to. */
function terraformBlock(lines: string[], line: number): ResourceKey | undefined {
  for (let i = line - 1; i >= 0; i--) {
    const m = /^([A-Za-z_][\w-]*(?:\s+"[^"\n]*"|\s+[A-Za-z_][\w-]*){0,3})\s*\{/.exec(lines[i])
    if (m) return { key: `tf:${m[1].replace(/\s+/g, ' ')}`, label: m[1].replace(/\s+/g, ' ') }
  }
  return undefined
}

/** The build stage (`FROM …`) a Dockerfile line belongs to. */
function dockerStage(lines: string[], line: number): ResourceKey {
  for (let i = line - 1; i >= 0; i--) {
    const m = /^\s*FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(lines[i])
    if (m) return { key: `stage:${i}:${m[2] ?? m[1]}`, label: m[2] ?? m[1] }
  }
  return { key: 'stage:none' }
}

const indentOf = (s: string): number => s.length - s.trimStart().length
const isListItem = (s: string): boolean => /^\s*-(\s|$)/.test(s)
const isSkippable = (s: string): boolean => s.trim() === '' || s.trimStart().startsWith('#')

/**
 * The YAML node a line belongs to, by indentation: a container, step or other list item when
 * there is one (the outermost), a compose service / workflow job / CloudFormation resource by
 * its key, else the document. The key is the chain of ancestor lines, so it survives lines
 * moving; documents of a multi-document file are told apart by their index.
 */
function yamlBlock(lines: string[], line: number, kind: FileKind): ResourceKey | undefined {
  const starts = documentStarts(lines)
  // The last document start at or before the line (binary search: files may hold many documents).
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid] <= line - 1) lo = mid
    else hi = mid - 1
  }
  const docIndex = lo
  const docStart = starts[docIndex]
  const chain: string[] = []
  let indent = Number.POSITIVE_INFINITY
  for (let i = line - 1; i >= docStart; i--) {
    const text = lines[i]
    if (isSkippable(text)) continue
    const ind = indentOf(text)
    if (i === line - 1 || ind < indent) {
      chain.unshift(text.trim())
      indent = ind
      if (ind === 0) break
    }
  }
  if (chain.length === 0) return undefined
  const doc = `yaml:${docIndex}`
  const pick = (n: number): ResourceKey => {
    const text = chain[n].replace(/^-\s*/, '').trimEnd().replace(/:$/, '').trimEnd().replace(/\{$/, '').trimEnd()
    // `- name: web` is the container/step `web`.
    const label = /^name:\s*(\S.*)$/.exec(text)?.[1].replace(/^["']|["']$/g, '') ?? text
    return { key: `${doc}:${chain.slice(0, n + 1).join(' > ')}`, label }
  }
  const resourcesAt = chain.findIndex((c) => /^"?Resources"?\s*:/.test(c))
  if (kind === 'cloudformation' && resourcesAt >= 0 && chain.length > resourcesAt + 1) return pick(resourcesAt + 1)
  const item = chain.findIndex(isListItem)
  if (item >= 0) return pick(item)
  const top = chain[0].split(':')[0]
  if ((kind === 'compose' && top === 'services') || (kind === 'workflow' && top === 'jobs')) return chain.length > 1 ? pick(1) : pick(0)
  // Kubernetes-like documents: everything outside a container is about the document itself.
  return { key: doc, label: documentName(lines, docStart) }
}

/** Where each YAML document of a file starts (0-based line index), computed once per file. */
const DOC_STARTS = new WeakMap<string[], number[]>()
function documentStarts(lines: string[]): number[] {
  let starts = DOC_STARTS.get(lines)
  if (!starts) {
    starts = [0]
    for (let i = 0; i < lines.length; i++) if (/^---(\s|$)/.test(lines[i])) starts.push(i + 1)
    DOC_STARTS.set(lines, starts)
  }
  return starts
}

const DOC_NAMES = new WeakMap<string[], Map<number, string | undefined>>()

/** `Deployment/web` from a Kubernetes document's `kind` and `metadata.name`, when both are plain (cached per document). */
function documentName(lines: string[], docStart: number): string | undefined {
  let names = DOC_NAMES.get(lines)
  if (!names) DOC_NAMES.set(lines, (names = new Map()))
  if (!names.has(docStart)) names.set(docStart, readDocumentName(lines, docStart))
  return names.get(docStart)
}

function readDocumentName(lines: string[], docStart: number): string | undefined {
  let kind: string | undefined
  let name: string | undefined
  let inMetadata = false
  for (let i = docStart; i < lines.length && !/^---(\s|$)/.test(lines[i]); i++) {
    const text = lines[i]
    if (/^kind:\s*(\S+)/.test(text)) kind = /^kind:\s*(\S+)/.exec(text)?.[1]
    if (/^\S/.test(text)) inMetadata = /^metadata:\s*$/.test(text)
    else if (inMetadata && name === undefined) {
      const m = /^\s{1,4}name:\s*(\S+)\s*$/.exec(text)
      if (m) name = m[1].replace(/^["']|["']$/g, '')
    }
  }
  return kind && name ? `${kind}/${name}` : undefined
}

interface Group {
  path: string
  key: string
  label?: string
  findings: Finding[]
  model: { comment: ModelComment; model: string }[]
  anchor: number
  /** Final comment range (startLine..line). */
  line: number
  startLine?: number
  suggestion?: string
}

const worstOf = (g: Group): number =>
  Math.max(-1, ...g.findings.map((f) => SEVERITY_RANK[f.severity]), ...g.model.map((m) => SEVERITY_RANK[m.comment.severity]))

export function planInlineComments(input: InlineInput): InlinePlan {
  const unanchored: Finding[] = []
  const belowInline: Finding[] = []
  const modelOutside: ModelComment[] = []
  const threshold = SEVERITY_RANK[input.minSeverity]

  // 1. Anchorable findings, grouped per (path, resource); every group's identity is computed even
  //    for findings that cannot be commented, so a comment is only called fixed when its problems
  //    are really gone.
  const allIdentities = new Set<string>()
  const byKey = new Map<string, Group>()
  // Each file is split once, however many findings it has.
  const split = new Map<string, { kind: FileKind; lines?: string[] }>()
  const fileOf = (path: string) => {
    let file = split.get(path)
    if (!file) {
      const f = input.files.get(path)
      file = f ? { kind: f.kind, lines: f.content?.split(/\r?\n/) } : undefined
      if (file) split.set(path, file)
    }
    return file
  }
  for (const f of input.findings) {
    if (f.suppressed) continue
    const rk = resourceKeyOf(f, fileOf(f.path))
    const fp = groupFingerprint(f.path, rk.key)
    allIdentities.add(fp)
    if (!anchorable(f, input)) {
      unanchored.push(f)
      continue
    }
    const id = `${f.path}\u0000${rk.key}`
    const g = byKey.get(id) ?? { path: f.path, key: rk.key, label: rk.label, findings: [], model: [], anchor: f.line, line: f.line }
    g.findings.push(f)
    g.anchor = Math.min(g.anchor, f.line)
    byKey.set(id, g)
  }

  // 2. Groups below the threshold go to the summary; the rest merge when they share an anchor.
  for (const g of byKey.values()) g.line = g.anchor
  const byLine = new Map<string, Group>()
  for (const g of [...byKey.values()].sort(compareGroups)) {
    if (worstOf(g) < threshold) {
      belowInline.push(...g.findings)
      continue
    }
    const at = `${g.path}\u0000${g.anchor}`
    const same = byLine.get(at)
    if (same) {
      same.findings.push(...g.findings)
      same.key = `${same.key} + ${g.key}`
      same.label = same.label && g.label ? `${same.label}, ${g.label}` : (same.label ?? g.label)
    } else {
      byLine.set(at, g)
    }
  }
  const groups = [...byLine.values()]

  // 3. One combined suggestion per group where its mechanical fixes are contiguous, when its
  //    range does not end on a line another thread uses.
  const used = new Set(groups.map((g) => `${g.path}\u0000${g.line}`))
  for (const g of groups.sort(compareGroups)) {
    const combined = combineSuggestions(g, input)
    if (!combined) continue
    const end = `${g.path}\u0000${combined.end}`
    if (combined.end !== g.line && used.has(end)) continue
    used.delete(`${g.path}\u0000${g.line}`)
    used.add(end)
    g.line = combined.end
    g.startLine = combined.start < combined.end ? combined.start : undefined
    g.suggestion = combined.text
  }

  // 4. Model comments join the thread on their line, or start one; never a second thread there.
  const threadAt = new Map(groups.map((g) => [`${g.path}\u0000${g.line}`, g]))
  for (const m of input.modelComments) {
    const c = m.comment
    if (!input.commentable.get(c.path)?.has(c.line) || !input.added.get(c.path)?.has(c.line)) {
      modelOutside.push(c)
      continue
    }
    const at = `${c.path}\u0000${c.line}`
    const thread = threadAt.get(at)
    if (thread) {
      // The same remark from two personas is shown once.
      if (!thread.model.some((x) => x.comment.body === c.body)) thread.model.push(m)
      continue
    }
    if (SEVERITY_RANK[c.severity] < threshold) {
      modelOutside.push(c)
      continue
    }
    const g: Group = { path: c.path, key: `model:${c.line}`, findings: [], model: [m], anchor: c.line, line: c.line }
    if (c.suggestion !== undefined) g.suggestion = c.suggestion.replace(/\n$/, '')
    groups.push(g)
    threadAt.set(at, g)
  }

  // 5. Most severe first up to the cap; the rest are listed in the summary.
  const ranked = [...groups].sort((a, b) => worstOf(b) - worstOf(a) || compareGroups(a, b))
  const limit = input.maxComments ?? Number.POSITIVE_INFINITY
  const kept = ranked.slice(0, limit).sort(compareGroups)
  const over = ranked.slice(kept.length)
  for (const g of over) {
    unanchored.push(...g.findings)
    modelOutside.push(...g.model.map((m) => m.comment))
  }

  // Only rule groups are tracked across runs: a model remark that is not repeated (the model did
  // not run again) is not "fixed".
  const ruleComments = kept.filter((g) => g.findings.length > 0).map(toComment)
  const comments = kept.map(toComment)
  const sources: InlinePlan['sources'] = {}
  kept.forEach((g, i) => {
    sources[comments[i].fingerprint] = { findings: g.findings, model: g.model.map((m) => m.comment) }
  })
  for (const c of ruleComments) allIdentities.add(c.fingerprint)
  const previous = input.previous ?? {}
  const updates: InlineUpdate[] = []
  const state: Record<string, string> = {}
  for (const [fp, hash] of Object.entries(previous)) if (allIdentities.has(fp)) state[fp] = hash
  for (const c of ruleComments) {
    const hash = bodyHash(c.body)
    if (previous[c.fingerprint] !== undefined && previous[c.fingerprint] !== hash) updates.push({ fingerprint: c.fingerprint, body: c.body })
    state[c.fingerprint] = hash
  }
  const fixed = Object.keys(previous).filter((fp) => !allIdentities.has(fp)).sort()
  return { comments, unanchored, belowInline, modelOutside, overflow: over.length, updates, fixed, state: sortKeys(state), sources }
}

/** A finding can carry an inline comment when a line of its span was added and its line is commentable. */
function anchorable(f: Finding, input: InlineInput): boolean {
  const lines = input.commentable.get(f.path)
  const fresh = input.added.get(f.path)
  if (!lines?.has(f.line) || !fresh) return false
  for (let l = f.line; l <= (f.endLine ?? f.line); l++) if (fresh.has(l)) return true
  return false
}

/**
 * The group's mechanical fixes as one replacement: their spans must not overlap and must follow
 * each other without a gap (identical fixes count once). The range starts at the group's anchor:
 * unchanged lines between the anchor and the first fix are kept as they are, from the file.
 */
function combineSuggestions(g: Group, input: InlineInput): { start: number; end: number; text: string } | undefined {
  const seen = new Set<string>()
  const fixes = g.findings
    .filter((f) => f.suggestion !== undefined)
    .map((f) => ({ start: f.line, end: f.endLine ?? f.line, text: (f.suggestion as string).replace(/\n$/, '') }))
    .filter((x) => {
      const id = `${x.start}:${x.end}:${x.text}`
      if (seen.has(id)) return false
      seen.add(id)
      return true
    })
    .sort((a, b) => a.start - b.start)
  if (fixes.length === 0) return undefined
  for (let i = 1; i < fixes.length; i++) if (fixes[i].start !== fixes[i - 1].end + 1) return undefined
  const start = Math.min(g.anchor, fixes[0].start)
  const end = fixes[fixes.length - 1].end
  const commentable = input.commentable.get(g.path)
  for (let l = start; l <= end; l++) if (!commentable?.has(l)) return undefined
  let lead = ''
  if (start < fixes[0].start) {
    const lines = input.files.get(g.path)?.content?.split(/\r?\n/)
    if (!lines || fixes[0].start - start > 20) return undefined
    lead = lines.slice(start - 1, fixes[0].start - 1).join('\n') + '\n'
  }
  return { start, end, text: lead + fixes.map((x) => x.text).join('\n') }
}

function toComment(g: Group): ReviewComment {
  const fp = g.findings.length ? groupFingerprint(g.path, g.key) : fingerprint(`model:${g.model[0].comment.category}`, g.path, g.model[0].comment.body)
  const view: CommentGroup = { path: g.path, label: g.label, findings: g.findings, model: g.model, suggestion: g.suggestion, fingerprint: fp }
  const previousFingerprints = [
    ...g.findings.map((f) => fingerprint(f.ruleId, f.path, f.message)),
    ...g.model.map((m) => fingerprint(`model:${m.comment.category}`, m.comment.path, m.comment.body))
  ].filter((x) => x !== fp)
  const severities = [...g.findings, ...g.model.map((m) => m.comment)].sort(bySeverity)
  return {
    path: g.path,
    line: g.line,
    startLine: g.startLine,
    body: renderGroupComment(view),
    fingerprint: fp,
    severity: severities[0]?.severity ?? 'info',
    previousFingerprints: [...new Set(previousFingerprints)].sort()
  }
}

function compareGroups(a: { path: string; line: number }, b: { path: string; line: number }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
