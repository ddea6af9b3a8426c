/**
 * The `/agent` comment command, read from a comment body (untrusted text) without I/O, and the
 * "did you mean" suggestion for a name that matches no persona. Nothing here throws.
 */
import type { Persona } from '../types.js'

export type AgentCommand =
  /** `/agent help`, `/agent list` or a bare `/agent`: list the personas. */
  | { kind: 'help' }
  /** `/agent <name> [question]`: `name` is lower-case `[a-z0-9-]`, not yet checked against the personas. */
  | { kind: 'run'; name: string; question?: string }
  /** `/agent <token>` where the token holds no usable name (only punctuation, emoji, …). */
  | { kind: 'invalid'; token: string }

/** Longest name kept; persona slugs are far shorter. */
export const MAX_NAME_CHARS = 64
/** Longest question passed on; the rest of a huge comment is dropped. */
export const MAX_QUESTION_CHARS = 4000
/** Longest invalid token echoed back (after display cleaning). */
const MAX_TOKEN_CHARS = 40

const COMMAND_LINE = /^[ \t]*\/agent(?=$|[ \t])(.*)$/
const FENCE = /^[ \t]{0,3}(```|~~~)/
const HELP_WORDS = new Set(['help', 'list', '--help', '-h', '?'])

/**
 * The first line that starts with `/agent` (leading blanks allowed, not inside a fenced code
 * block, not in a `>` quote) is the command; the rest of that line after the name, and every
 * following line, is the question. Undefined when the body holds no command.
 */
export function parseAgentCommand(body: unknown): AgentCommand | undefined {
  if (typeof body !== 'string') return undefined
  const lines = body.replace(/\r\n?/g, '\n').split('\n')
  let fenced = false
  for (let i = 0; i < lines.length; i++) {
    if (FENCE.test(lines[i])) {
      fenced = !fenced
      continue
    }
    if (fenced) continue
    const match = COMMAND_LINE.exec(lines[i])
    if (!match) continue
    const rest = [match[1], ...lines.slice(i + 1)].join('\n').trim()
    return commandFrom(rest)
  }
  return undefined
}

function commandFrom(rest: string): AgentCommand {
  const token = /^\S*/.exec(rest)?.[0] ?? ''
  if (!token || HELP_WORDS.has(token.toLowerCase())) return { kind: 'help' }
  const name = normalizeName(token)
  if (!name) return { kind: 'invalid', token: displayToken(token) }
  const question = rest.slice(token.length).trim().slice(0, MAX_QUESTION_CHARS).trim()
  return question ? { kind: 'run', name, question } : { kind: 'run', name }
}

/** Lower case, `_` as `-`, a leading `@` or trailing punctuation dropped: `@SRE,` → `sre`. */
export function normalizeName(token: string): string {
  return token
    .toLowerCase()
    .replace(/_/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/^-+|(?<!-)-+$/g, '')
    .slice(0, MAX_NAME_CHARS)
    .replace(/(?<!-)-+$/, '')
}

/** A token safe to show inside inline code: no backticks, no control characters, short. */
function displayToken(token: string): string {
  const clean = token.replace(/[`\p{Cc}]/gu, '')
  return clean.length > MAX_TOKEN_CHARS ? `${clean.slice(0, MAX_TOKEN_CHARS)}…` : clean
}

// ── Did you mean ──────────────────────────────────────────────────────────────────────────────

export interface Suggestion {
  persona: Persona
  /** The name or alias that was close. */
  matched: string
}

/**
 * The persona whose name or alias is closest to `name`: a key it is a prefix of (`arch` →
 * `architect`), else the smallest edit distance within a third of the longer word (at least 1,
 * at most 3). Ties go to the shorter key, then alphabetical order, so the answer is stable.
 */
export function suggestPersona(name: string, personas: readonly Persona[]): Suggestion | undefined {
  const wanted = normalizeName(name)
  if (!wanted) return undefined
  const keys = personas.flatMap((p) => [p.name, ...p.aliases].map((key) => ({ persona: p, key })))
  const byKey = (a: { key: string }, b: { key: string }) => a.key.length - b.key.length || a.key.localeCompare(b.key)

  if (wanted.length >= 2) {
    const prefixed = keys.filter((k) => k.key.startsWith(wanted)).sort(byKey)[0]
    if (prefixed) return { persona: prefixed.persona, matched: prefixed.key }
  }
  let best: { persona: Persona; key: string; distance: number } | undefined
  for (const k of [...keys].sort(byKey)) {
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(k.key.length, wanted.length) / 3)))
    const distance = editDistance(wanted, k.key, limit)
    if (distance <= limit && (!best || distance < best.distance)) best = { ...k, distance }
  }
  return best ? { persona: best.persona, matched: best.key } : undefined
}

/**
 * Levenshtein distance (insert, delete, substitute; an adjacent swap counts as one edit), cut
 * short once it is sure to exceed `limit` (it then returns `limit + 1`).
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let prevPrev: number[] = []
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2] + 1)
      row.push(d)
      rowMin = Math.min(rowMin, d)
    }
    if (rowMin > limit) return limit + 1
    prevPrev = prev
    prev = row
  }
  return prev[b.length] > limit ? limit + 1 : prev[b.length]
}
