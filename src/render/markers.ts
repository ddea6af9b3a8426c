/**
 * Hidden HTML-comment markers that let a run find what an earlier run posted: the sticky
 * summary, the review state kept in it, and one fingerprint per inline comment.
 *
 * They are read ONLY at the fixed places Preflight writes them, never searched for in a body:
 * - summary: the summary marker is line 1 and the state marker line 2;
 * - inline comment: the fingerprint marker is the last line.
 * Untrusted text is escaped (render/escape.ts) so it cannot open a comment anyway; reading from
 * fixed positions means a forged marker elsewhere in a body is never taken for ours either.
 * Summaries written before this layout (marker on line 1, state marker as the last line) are
 * still read, so an upgrade does not lose the state.
 */
import { createHash } from 'node:crypto'

export const SUMMARY_MARKER = '<!-- preflight:summary -->'

/** What a run remembers for the next one, carried in the summary comment. */
export interface SummaryState {
  /** Head commit the last complete review looked at (for incremental review on `synchronize`). */
  lastReviewedSha?: string
  /**
   * Inline comment groups posted so far: fingerprint → hash of the body last rendered for it, so
   * a later run knows which comments to edit in place and which are now fixed.
   */
  inline?: Record<string, string>
  [key: string]: unknown
}

const STATE_LINE_RE = /^<!-- preflight:state (\{.*\}) -->$/
const FINGERPRINT_LINE_RE = /^<!-- preflight:fp ([0-9a-f]{8,64}) -->$/

function lines(body: string | null | undefined): string[] {
  return (body ?? '').replace(/\r\n/g, '\n').split('\n')
}

/** True when the body starts with the summary marker (Preflight always writes it first). */
export function hasSummaryMarker(body: string | null | undefined): boolean {
  return (body ?? '').startsWith(SUMMARY_MARKER)
}

/**
 * `<!-- preflight:state {...} -->`. `<` and `>` only occur inside JSON strings, so escaping them
 * as `\u003c`/`\u003e` keeps the JSON valid and makes `-->` impossible inside the comment; line
 * separators are escaped too so the marker stays one line.
 */
export function stateMarker(state: SummaryState): string {
  const json = JSON.stringify(state)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
  return `<!-- preflight:state ${json} -->`
}

function parseStateLine(line: string | undefined): SummaryState | undefined {
  const match = STATE_LINE_RE.exec(line ?? '')
  if (!match) return undefined
  try {
    const value: unknown = JSON.parse(match[1])
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as SummaryState) : undefined
  } catch {
    return undefined
  }
}

/**
 * The state of a summary comment: line 2 when line 1 is the summary marker; for a summary of the
 * previous layout (no state on line 2), its last line. Nothing else in the body is looked at.
 */
export function parseStateMarker(body: string | null | undefined): SummaryState | undefined {
  const all = lines(body)
  if (all[0] !== SUMMARY_MARKER) return parseStateLine(all[0]) // a bare state marker (tests, tooling)
  const current = parseStateLine(all[1])
  if (current) return current
  if (STATE_LINE_RE.test(all[1] ?? '')) return undefined // ours, but unreadable: no legacy fallback
  let last = all.length - 1
  while (last > 1 && all[last].trim() === '') last--
  return last > 1 ? parseStateLine(all[last].trim()) : undefined
}

/** The first two lines of every summary Preflight writes: the marker, then the state. */
export function summaryHeader(state: SummaryState): string {
  return `${SUMMARY_MARKER}\n${stateMarker(state)}`
}

export function fingerprintMarker(fp: string): string {
  return `<!-- preflight:fp ${fp} -->`
}

/** The fingerprint of an inline comment: its last non-empty line, and only that line. */
export function parseFingerprint(body: string | null | undefined): string | undefined {
  const all = lines(body)
  let last = all.length - 1
  while (last > 0 && all[last].trim() === '') last--
  return FINGERPRINT_LINE_RE.exec(all[last]?.trim() ?? '')?.[1]
}

/**
 * A short stable id for a comment: rule, path and the whitespace-normalized snippet it points
 * at. The line number is left out so the comment is still recognised after lines move. This is
 * the per-finding id of earlier versions; grouped comments use `groupFingerprint`.
 */
export function fingerprint(ruleId: string, path: string, snippet: string): string {
  const normalized = snippet.replace(/\s+/g, ' ').trim()
  return createHash('sha256').update(`${ruleId}\n${path}\n${normalized}`).digest('hex').slice(0, 16)
}

/** Identity of a grouped inline comment across runs: the file and the resource it is about. */
export function groupFingerprint(path: string, resource: string): string {
  return createHash('sha256').update(`group\n${path}\n${resource}`).digest('hex').slice(0, 16)
}

/** A short hash of a rendered body, kept in the state to tell whether a comment must be edited. */
export function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 12)
}

/** Appends the fingerprint marker as the last line, unless the body already ends with one. */
export function withFingerprint(body: string, fp: string): string {
  return parseFingerprint(body) ? body : `${body.trimEnd()}\n\n${fingerprintMarker(fp)}`
}

/**
 * Whether a comment about to be posted is already on the pull request: its own fingerprint, or
 * one of the per-finding fingerprints an earlier version posted for the same findings.
 */
export function isAlreadyPosted(comment: { fingerprint: string; previousFingerprints?: readonly string[] }, posted: ReadonlySet<string>): boolean {
  return posted.has(comment.fingerprint) || (comment.previousFingerprints ?? []).some((fp) => posted.has(fp))
}
