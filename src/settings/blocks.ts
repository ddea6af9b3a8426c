/**
 * The lines a block covers, found from the file text alone: a suppression above a resource,
 * container, job, step or stage covers that block. Rules report one line per finding, so this
 * is how a comment above `resource "…" {` reaches a finding on an attribute inside it.
 * YAML by indentation, HCL by brackets, Dockerfile by stage or instruction.
 */
import type { FileKind } from '../types.js'

export type LineRange = [start: number, end: number]

const YAML_KINDS = new Set<FileKind>(['kubernetes', 'helm', 'compose', 'workflow', 'cloudformation'])

/** True for a line that holds only a comment (or nothing). */
export function isCommentOrBlank(line: string): boolean {
  const t = line.trim()
  return t === '' || t.startsWith('#') || t.startsWith('//')
}

/** The block that starts at 1-based `line` (just that line when it opens none). */
export function blockAt(kind: FileKind, path: string, lines: string[], line: number): LineRange {
  if (line < 1 || line > lines.length) return [line, line]
  if (kind === 'terraform' && !path.endsWith('.json')) return hclBlock(lines, line)
  if (kind === 'dockerfile') return dockerfileBlock(lines, line)
  if (YAML_KINDS.has(kind) || /\.ya?ml$/i.test(path)) return yamlBlock(lines, line)
  return [line, line]
}

/** The top-level HCL block (`resource`, `module`, …) around `line`, if it is inside one. */
export function enclosingHclBlock(lines: string[], line: number): LineRange | undefined {
  const depths = hclDepths(lines)
  for (let start = line; start >= 1; start--) {
    if (depths[start - 1] === 0 && opens(lines, depths, start)) {
      const range = hclBlock(lines, start)
      return range[1] >= line ? range : undefined
    }
  }
  return undefined
}

function opens(lines: string[], depths: number[], line: number): boolean {
  return (depths[line] ?? 0) > (depths[line - 1] ?? 0) || /[{[(]\s*$/.test(stripHclComment(lines[line - 1] ?? ''))
}

// ── YAML ───────────────────────────────────────────────────────────────────────────────────

function indentOf(line: string): number {
  return line.length - line.trimStart().length
}

function yamlBlock(lines: string[], line: number): LineRange {
  const first = lines[line - 1]!
  const indent = indentOf(first)
  // The first line of a document (a Kubernetes manifest, a compose file): the block is the document.
  if (indent === 0 && startsDocument(lines, line)) {
    let end = line
    for (let n = line + 1; n <= lines.length && !/^(---|\.\.\.)(\s|$)/.test(lines[n - 1]!); n++) if (!isCommentOrBlank(lines[n - 1]!)) end = n
    return [line, end]
  }
  const isItem = /^-(\s|$)/.test(first.trimStart())
  // `key:` with nothing after opens a mapping or a sequence, which YAML may write at the key's
  // own indentation (`steps:\n- run: …`).
  const code = first.slice(0, commentStart(first, false) ?? first.length)
  const opensCompact = !isItem && /:[ \t]*$/.test(code)
  let end = line
  for (let n = line + 1; n <= lines.length; n++) {
    const text = lines[n - 1]!
    if (/^(---|\.\.\.)\s*$/.test(text)) break
    if (isCommentOrBlank(text)) continue
    const i = indentOf(text)
    if (i > indent || (opensCompact && i === indent && /^-(\s|$)/.test(text.trimStart()))) end = n
    else break
  }
  return [line, end]
}

function startsDocument(lines: string[], line: number): boolean {
  for (let n = line - 1; n >= 1; n--) {
    const text = lines[n - 1]!
    if (/^---(\s|$)/.test(text)) return true
    if (!isCommentOrBlank(text)) return false
  }
  return true
}

// ── HCL ────────────────────────────────────────────────────────────────────────────────────

/** Bracket depth at the start of each line (index 0 = line 1), skipping strings, comments, heredocs. */
function hclDepths(lines: string[]): number[] {
  const depths: number[] = []
  let depth = 0
  let heredoc: string | undefined
  let blockComment = false
  for (const raw of lines) {
    depths.push(depth)
    if (heredoc) {
      if (raw.trim() === heredoc) heredoc = undefined
      continue
    }
    let inString = false
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i]!
      if (blockComment) {
        if (c === '*' && raw[i + 1] === '/') {
          blockComment = false
          i++
        }
        continue
      }
      if (inString) {
        if (c === '\\') i++
        else if (c === '"') inString = false
        continue
      }
      if (c === '"') inString = true
      else if (c === '#' || (c === '/' && raw[i + 1] === '/')) break
      else if (c === '/' && raw[i + 1] === '*') {
        blockComment = true
        i++
      } else if (c === '<' && raw[i + 1] === '<') {
        const m = /^<<-?\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(raw.slice(i))
        if (m) {
          heredoc = m[1]
          break
        }
      } else if (c === '{' || c === '[' || c === '(') depth++
      else if (c === '}' || c === ']' || c === ')') depth = Math.max(0, depth - 1)
    }
  }
  depths.push(depth)
  return depths
}

function stripHclComment(line: string): string {
  const at = commentStart(line, true)
  // Only a comment after code: a line that is all comment is kept as it was.
  return at === undefined || at === 0 ? line : line.slice(0, at - 1)
}

function hclBlock(lines: string[], line: number): LineRange {
  const depths = hclDepths(lines)
  const base = depths[line - 1]!
  if ((depths[line] ?? base) <= base) return [line, line]
  for (let n = line + 1; n <= lines.length; n++) if (depths[n]! <= base) return [line, n]
  return [line, lines.length]
}

// ── Dockerfile ─────────────────────────────────────────────────────────────────────────────

function dockerfileBlock(lines: string[], line: number): LineRange {
  const isFrom = (text: string) => /^\s*FROM\s/i.test(text)
  if (isFrom(lines[line - 1]!)) {
    let end = line
    for (let n = line + 1; n <= lines.length && !isFrom(lines[n - 1]!); n++) if (!isCommentOrBlank(lines[n - 1]!)) end = n
    return [line, end]
  }
  // One instruction, with its continuation lines (comment lines inside it do not end it).
  let end = line
  let n = line
  while (n <= lines.length && /\\\s*$/.test(lines[n - 1]!)) {
    n++
    while (n <= lines.length && /^\s*#/.test(lines[n - 1]!)) n++
    end = Math.min(n, lines.length)
  }
  return [line, end]
}

/**
 * Where a comment starts: the first `#` (or `//` in HCL) at the start of the line or after
 * whitespace. A scan, not a regex: the line is PR text and a backtracking pattern would let it
 * stall the run.
 */
export function commentStart(line: string, slashes: boolean): number | undefined {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    const opens = c === '#' || (slashes && c === '/' && line[i + 1] === '/')
    if (opens && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return i
  }
  return undefined
}
