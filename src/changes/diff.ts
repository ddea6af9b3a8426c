/**
 * Unified diffs: parsing, and which new-side lines can carry a review comment.
 *
 * Two input shapes: GitHub's `files[].patch` (hunks only, from the first `@@`), and the full
 * output of `git diff`, which `parseGitDiff` cuts into per-file entries whose `patch` has that
 * same hunks-only shape. Both parsers are tolerant: garbage is skipped, nothing throws.
 */
import type { ChangeStatus } from '../types.js'

export interface Hunk {
  oldStart: number
  oldLines: number
  newStart: number
  newLines: number
  /** New-side line numbers of added lines. */
  added: number[]
  /** New-side line numbers of context lines. */
  context: number[]
}

export interface FileDiff {
  path: string
  previousPath?: string
  status: ChangeStatus
  /** The hunks of this file as text, starting at the first `@@`; absent for binary files. */
  patch?: string
  binary: boolean
}

/** One body line of a hunk, with its line number on each side it exists on. */
export interface PatchLine {
  type: 'add' | 'delete' | 'context'
  /** The line without its `+`/`-`/` ` marker (and without a trailing `\r`). */
  text: string
  oldLine?: number
  newLine?: number
  /** Index of the hunk (0-based) this line belongs to. */
  hunk: number
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/

interface ParsedPatch {
  hunks: Hunk[]
  lines: PatchLine[]
}

/**
 * Walks a hunks-only patch. A hunk ends when its header's line counts are used up (or at the
 * next header); lines outside a hunk are ignored, so a patch with trailing junk or a whole
 * `git diff` still yields the right numbers.
 */
function walkPatch(patch: string): ParsedPatch {
  const hunks: Hunk[] = []
  const lines: PatchLine[] = []
  if (typeof patch !== 'string' || patch === '') return { hunks, lines }
  let hunk: Hunk | undefined
  let oldLeft = 0
  let newLeft = 0
  let oldNo = 0
  let newNo = 0
  for (const raw of patch.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    const header = HUNK_HEADER.exec(line)
    if (header) {
      const oldStart = Number(header[1])
      const oldLines = header[2] === undefined ? 1 : Number(header[2])
      const newStart = Number(header[3])
      const newLines = header[4] === undefined ? 1 : Number(header[4])
      hunk = { oldStart, oldLines, newStart, newLines, added: [], context: [] }
      hunks.push(hunk)
      oldLeft = oldLines
      newLeft = newLines
      // An empty side (`-0,0` / `+0,0`) starts "after line 0"; numbering then begins at 1.
      oldNo = oldLines === 0 ? oldStart + 1 : oldStart
      newNo = newLines === 0 ? newStart + 1 : newStart
      continue
    }
    if (!hunk || (oldLeft <= 0 && newLeft <= 0)) continue
    const marker = line.charAt(0)
    const text = line.slice(1)
    const index = hunks.length - 1
    if (marker === '\\') continue // "\ No newline at end of file"
    // Some tools strip the single space of an empty context line; accept a bare empty line.
    if ((marker === ' ' || line === '') && oldLeft > 0 && newLeft > 0) {
      hunk.context.push(newNo)
      lines.push({ type: 'context', text, oldLine: oldNo, newLine: newNo, hunk: index })
      oldNo++
      newNo++
      oldLeft--
      newLeft--
    } else if (marker === '+' && newLeft > 0) {
      hunk.added.push(newNo)
      lines.push({ type: 'add', text, newLine: newNo, hunk: index })
      newNo++
      newLeft--
    } else if (marker === '-' && oldLeft > 0) {
      lines.push({ type: 'delete', text, oldLine: oldNo, hunk: index })
      oldNo++
      oldLeft--
    } else {
      // Not a line this hunk can hold: the hunk is over (truncated or malformed).
      oldLeft = 0
      newLeft = 0
    }
  }
  return { hunks, lines }
}

/** Hunks of a GitHub-style patch, with new-side line numbers; `[]` for empty or garbage input. */
export function parsePatch(patch: string): Hunk[] {
  return walkPatch(patch).hunks
}

/** Every body line of a patch, in order, with old/new line numbers. */
export function patchLines(patch: string | undefined): PatchLine[] {
  return walkPatch(patch ?? '').lines
}

/** New-side text of the lines a patch shows (added and context), by new-side line number. */
export function newSideText(patch: string | undefined): Map<number, string> {
  const out = new Map<number, string>()
  for (const l of patchLines(patch)) if (l.newLine !== undefined) out.set(l.newLine, l.text)
  return out
}

/** Lines a review comment may be anchored to (added or context lines of a hunk, new side). */
export function commentableLines(patch: string | undefined): Set<number> {
  const out = new Set<number>()
  for (const h of parsePatch(patch ?? '')) for (const l of [...h.added, ...h.context]) out.add(l)
  return out
}

/** New-side line numbers that the change adds. */
export function addedLines(patch: string | undefined): Set<number> {
  const out = new Set<number>()
  for (const h of parsePatch(patch ?? '')) for (const l of h.added) out.add(l)
  return out
}

// ── git diff ─────────────────────────────────────────────────────────────────────────────────

interface FileHeader {
  gitLine?: { a?: string; b?: string }
  minus?: string | null
  plus?: string | null
  renameFrom?: string
  renameTo?: string
  copyFrom?: string
  copyTo?: string
  isNew: boolean
  isDeleted: boolean
  modeChanged: boolean
  binary: boolean
}

/**
 * Splits the output of `git diff` into one entry per file. Expects the default `a/` and `b/`
 * prefixes (the loader passes them explicitly); paths may be C-quoted by git.
 */
export function parseGitDiff(text: string): FileDiff[] {
  if (typeof text !== 'string' || text === '') return []
  const out: FileDiff[] = []
  const rows = text.split('\n')
  let i = 0
  while (i < rows.length) {
    if (!rows[i].startsWith('diff --git ')) {
      i++
      continue
    }
    const start = i
    i++
    while (i < rows.length && !rows[i].startsWith('diff --git ')) i++
    const entry = parseFileBlock(rows.slice(start, i))
    if (entry) out.push(entry)
  }
  return out
}

function parseFileBlock(rows: string[]): FileDiff | undefined {
  const header: FileHeader = { isNew: false, isDeleted: false, modeChanged: false, binary: false }
  header.gitLine = splitGitLine(stripCr(rows[0]).slice('diff --git '.length))
  let body = rows.length
  for (let j = 1; j < rows.length; j++) {
    const row = stripCr(rows[j])
    if (row.startsWith('@@ ')) {
      body = j
      break
    }
    if (row.startsWith('new file mode')) header.isNew = true
    else if (row.startsWith('deleted file mode')) header.isDeleted = true
    else if (row.startsWith('old mode') || row.startsWith('new mode')) header.modeChanged = true
    else if (row.startsWith('rename from ')) header.renameFrom = gitPath(row.slice(12), false)
    else if (row.startsWith('rename to ')) header.renameTo = gitPath(row.slice(10), false)
    else if (row.startsWith('copy from ')) header.copyFrom = gitPath(row.slice(10), false)
    else if (row.startsWith('copy to ')) header.copyTo = gitPath(row.slice(8), false)
    else if (row.startsWith('--- ')) header.minus = sidePath(row.slice(4), 'a/')
    else if (row.startsWith('+++ ')) header.plus = sidePath(row.slice(4), 'b/')
    else if (row.startsWith('Binary files ') || row === 'GIT binary patch') header.binary = true
  }
  const patch = header.binary ? undefined : joinPatch(rows.slice(body))

  const oldPath = header.renameFrom ?? header.copyFrom ?? header.minus ?? header.gitLine?.a
  const newPath = header.renameTo ?? header.copyTo ?? header.plus ?? header.gitLine?.b
  const path = header.isDeleted ? (oldPath ?? newPath) : (newPath ?? oldPath)
  if (!path) return undefined

  let status: ChangeStatus
  if (header.isNew) status = 'added'
  else if (header.isDeleted) status = 'removed'
  else if (header.renameFrom !== undefined || header.renameTo !== undefined) status = 'renamed'
  else if (header.copyFrom !== undefined || header.copyTo !== undefined) status = 'copied'
  else if (header.modeChanged && !patch && !header.binary) status = 'changed'
  else status = 'modified'

  const entry: FileDiff = { path, status, binary: header.binary }
  if ((status === 'renamed' || status === 'copied') && oldPath && oldPath !== path) entry.previousPath = oldPath
  if (patch) entry.patch = patch
  return entry
}

/** The hunk lines as GitHub shows them: from the first `@@`, without a trailing newline. */
function joinPatch(rows: string[]): string | undefined {
  let end = rows.length
  while (end > 0 && rows[end - 1] === '') end--
  if (end === 0) return undefined
  return rows.slice(0, end).join('\n')
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s
}

/** A `---`/`+++` path: `/dev/null` is null; git adds a tab after names that contain a space. */
function sidePath(raw: string, prefix: string): string | null | undefined {
  const value = raw.replace(/\t$/, '')
  if (value === '/dev/null') return null
  return gitPath(value, true, prefix)
}

/** Unquotes a C-quoted git path and removes the side prefix. */
function gitPath(raw: string, prefixed: boolean, prefix = ''): string | undefined {
  const value = raw.startsWith('"') ? unquoteC(raw) : raw
  if (value === undefined) return undefined
  if (!prefixed) return value
  return value.startsWith(prefix) ? value.slice(prefix.length) : value
}

/**
 * The two paths of `diff --git a/X b/Y`. Unquoted names may contain spaces, which makes the
 * line ambiguous; when both names are equal (every change but a rename or copy) the line is
 * `a/P b/P` and P is recovered from its length, as git itself does.
 */
function splitGitLine(rest: string): { a?: string; b?: string } {
  if (rest.startsWith('"')) {
    const a = readQuoted(rest)
    if (!a) return {}
    const tail = rest.slice(a.length).trimStart()
    const b = tail.startsWith('"') ? unquoteC(tail) : tail
    return { a: stripPrefix(unquoteC(a), 'a/'), b: stripPrefix(b, 'b/') }
  }
  if (rest.endsWith('"')) {
    const q = rest.lastIndexOf(' "')
    if (q > 0) return { a: stripPrefix(rest.slice(0, q), 'a/'), b: stripPrefix(unquoteC(rest.slice(q + 1)), 'b/') }
  }
  if ((rest.length - 1) % 2 === 0) {
    const half = (rest.length - 1) / 2
    const a = rest.slice(0, half)
    const b = rest.slice(half + 1)
    if (rest.charAt(half) === ' ' && a.startsWith('a/') && b.startsWith('b/') && a.slice(2) === b.slice(2)) {
      return { a: a.slice(2), b: b.slice(2) }
    }
  }
  const sep = rest.indexOf(' b/')
  if (sep > 0) return { a: stripPrefix(rest.slice(0, sep), 'a/'), b: rest.slice(sep + 3) }
  return {}
}

function stripPrefix(value: string | undefined, prefix: string): string | undefined {
  if (value === undefined) return undefined
  return value.startsWith(prefix) ? value.slice(prefix.length) : value
}

/** The leading `"…"` token of a string, quotes included, or undefined if it is not closed. */
function readQuoted(s: string): string | undefined {
  for (let k = 1; k < s.length; k++) {
    if (s[k] === '\\') k++
    else if (s[k] === '"') return s.slice(0, k + 1)
  }
  return undefined
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 }

/** Decodes git's C-style quoting (`"dir/caf\303\251 \"x\".txt"`), octal escapes as UTF-8 bytes. */
export function unquoteC(quoted: string): string | undefined {
  const token = readQuoted(quoted)
  if (!token) return undefined
  const bytes: number[] = []
  const inner = token.slice(1, -1)
  for (let k = 0; k < inner.length; k++) {
    const ch = String.fromCodePoint(inner.codePointAt(k)!)
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'))
      k += ch.length - 1
      continue
    }
    const next = inner[k + 1]
    const octal = /^[0-7]{3}/.exec(inner.slice(k + 1, k + 4))
    if (octal) {
      bytes.push(parseInt(octal[0], 8))
      k += 3
    } else if (next !== undefined && next in C_ESCAPES) {
      bytes.push(C_ESCAPES[next])
      k += 1
    } else {
      bytes.push(92)
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

/**
 * The patch git would show for a file created with this content (all lines added), for files
 * that are not in the index yet. Undefined for an empty file, which has no hunk.
 */
export function patchForNewFile(content: string): string | undefined {
  if (content === '') return undefined
  const endsWithNewline = content.endsWith('\n')
  const lines = (endsWithNewline ? content.slice(0, -1) : content).split('\n')
  const body = lines.map((l) => `+${l}`)
  if (!endsWithNewline) body.push('\\ No newline at end of file')
  return [`@@ -0,0 +1${lines.length === 1 ? '' : `,${lines.length}`} @@`, ...body].join('\n')
}
