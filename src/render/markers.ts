/**
 * Hidden HTML-comment markers that let a run find what an earlier run posted: the sticky
 * summary, the review state kept in it, and one fingerprint per inline comment. Text from the
 * pull request is passed through `stripMarkers` before it is echoed, so nobody can forge them.
 */
import { createHash } from 'node:crypto'

export const SUMMARY_MARKER = '<!-- preflight:summary -->'

/** What a run remembers for the next one, carried in the summary comment. */
export interface SummaryState {
  /** Head commit the last complete review looked at (for incremental review on `synchronize`). */
  lastReviewedSha?: string
  [key: string]: unknown
}

const STATE_RE = /<!-- preflight:state (\{[^<>]*\}) -->/
const FINGERPRINT_RE = /<!-- preflight:fp ([0-9a-f]{8,64}) -->/

export function hasSummaryMarker(body: string | null | undefined): boolean {
  return (body ?? '').includes(SUMMARY_MARKER)
}

/**
 * `<!-- preflight:state {...} -->`. `<` and `>` only occur inside JSON strings, so escaping them
 * as `\u003c`/`\u003e` keeps the JSON valid and makes `-->` impossible inside the comment.
 */
export function stateMarker(state: SummaryState): string {
  const json = JSON.stringify(state).replace(/</g, '\\u003c').replace(/>/g, '\\u003e')
  return `<!-- preflight:state ${json} -->`
}

export function parseStateMarker(body: string | null | undefined): SummaryState | undefined {
  const match = STATE_RE.exec(body ?? '')
  if (!match) return undefined
  try {
    const value: unknown = JSON.parse(match[1])
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as SummaryState) : undefined
  } catch {
    return undefined
  }
}

export function fingerprintMarker(fp: string): string {
  return `<!-- preflight:fp ${fp} -->`
}

export function parseFingerprint(body: string | null | undefined): string | undefined {
  return FINGERPRINT_RE.exec(body ?? '')?.[1]
}

/**
 * A short stable id for a comment: rule, path and the whitespace-normalized snippet it points
 * at. The line number is left out so the comment is still recognised after lines move.
 */
export function fingerprint(ruleId: string, path: string, snippet: string): string {
  const normalized = snippet.replace(/\s+/g, ' ').trim()
  return createHash('sha256').update(`${ruleId}\n${path}\n${normalized}`).digest('hex').slice(0, 16)
}

/** Appends the fingerprint marker to a comment body unless one is already there. */
export function withFingerprint(body: string, fp: string): string {
  return parseFingerprint(body) ? body : `${body.trimEnd()}\n\n${fingerprintMarker(fp)}`
}

/**
 * Removes every HTML comment (ours included) from untrusted text. Runs until nothing changes so
 * that nesting (`<!<!-- -->-- x -->`) cannot reassemble one, and drops an unterminated `<!--`
 * with all that follows it.
 */
export function stripMarkers(text: string): string {
  let out = text
  for (;;) {
    const next = out.replace(/<!--[\s\S]*?(?:--!?>|$)/g, '')
    if (next === out) return out
    out = next
  }
}
