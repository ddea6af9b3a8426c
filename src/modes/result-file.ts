/**
 * The review result as a file, for the two-stage review of pull requests from forks: the
 * `pull_request` job (no secrets, read-only token) writes it, an artifact carries it, and the
 * `workflow_run` job (write token) posts it. Whoever opened the pull request controls the first
 * job completely, so the file is untrusted input: it carries only which known rule fired where
 * (rule id, severity, path, lines), never text. The posting side takes every word it posts from
 * Preflight's own rule registry and checks each location against the pull request itself.
 */
import type { ReviewResult } from './pipeline.js'
import type { Finding, RuleMeta, Severity } from '../types.js'
import { redactedJson } from '../redact.js'

export const RESULT_FORMAT = 'preflight-result/1'
/** A result file larger than this is refused unread. */
export const MAX_RESULT_BYTES = 2 * 1024 * 1024
/** Findings kept from one file at most. */
export const MAX_RESULT_FINDINGS = 5000

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info']

export interface ResultFinding {
  ruleId: string
  severity: Severity
  path: string
  line: number
  endLine?: number
}

export interface ResultFile {
  format: typeof RESULT_FORMAT
  pullNumber: number
  headSha: string
  /** For the reader of the artifact only; the posting side recomputes it. */
  verdict?: string
  findings: ResultFinding[]
}

/** What the `pull_request` job writes: locations of findings by known rules, no text. */
export function resultFileOf(review: ReviewResult, pr: { number: number; headSha: string }): ResultFile {
  return {
    format: RESULT_FORMAT,
    pullNumber: pr.number,
    headSha: pr.headSha,
    verdict: review.verdict,
    findings: review.findings
      .filter((f) => !f.suppressed)
      .map((f) => ({ ruleId: f.ruleId, severity: f.severity, path: f.path, line: f.line, ...(f.endLine !== undefined ? { endLine: f.endLine } : {}) }))
  }
}

/** The file as the `pull_request` job writes it: a path may hold a secret's text, so it is redacted as it is serialised. */
export function resultFileText(review: ReviewResult, pr: { number: number; headSha: string }): string {
  return redactedJson(resultFileOf(review, pr), review.secrets, 2)
}

const isLine = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 10_000_000

/**
 * Parses and checks a result file. The shape must be exact (a wrong one is refused whole); a
 * finding with an unknown rule id is dropped and counted. Locations are checked later, against
 * the pull request.
 */
export function parseResultFile(text: string, rules: ReadonlyMap<string, RuleMeta>): { file: ResultFile; dropped: number } | { error: string } {
  if (Buffer.byteLength(text) > MAX_RESULT_BYTES) return { error: `larger than ${MAX_RESULT_BYTES} bytes` }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { error: 'not JSON' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'not a JSON object' }
  const v = value as Record<string, unknown>
  if (v.format !== RESULT_FORMAT) return { error: `format is not ${RESULT_FORMAT}` }
  if (!isLine(v.pullNumber)) return { error: 'pullNumber is not a pull request number' }
  if (typeof v.headSha !== 'string' || !/^[0-9a-f]{40}$/.test(v.headSha)) return { error: 'headSha is not a 40-character commit sha' }
  if (!Array.isArray(v.findings)) return { error: 'findings is not a list' }
  if (v.findings.length > MAX_RESULT_FINDINGS) return { error: `more than ${MAX_RESULT_FINDINGS} findings` }
  const findings: ResultFinding[] = []
  let dropped = 0
  for (const [i, raw] of v.findings.entries()) {
    if (typeof raw !== 'object' || raw === null) return { error: `findings[${i}] is not an object` }
    const f = raw as Record<string, unknown>
    if (typeof f.ruleId !== 'string' || typeof f.path !== 'string' || !isLine(f.line)) return { error: `findings[${i}] lacks ruleId, path or line` }
    if (!SEVERITIES.includes(f.severity as Severity)) return { error: `findings[${i}].severity is not a severity` }
    if (f.endLine !== undefined && (!isLine(f.endLine) || f.endLine < f.line)) return { error: `findings[${i}].endLine is not a line at or after line` }
    if (!rules.has(f.ruleId) || f.path.length > 4096) {
      dropped++
      continue
    }
    findings.push({ ruleId: f.ruleId, severity: f.severity as Severity, path: f.path, line: f.line, ...(f.endLine !== undefined ? { endLine: f.endLine as number } : {}) })
  }
  return { file: { format: RESULT_FORMAT, pullNumber: v.pullNumber, headSha: v.headSha, findings }, dropped }
}

/** A finding whose every word is Preflight's own: the rule's title and remediation, at the file's location. */
export function findingFromResult(f: ResultFinding, rule: RuleMeta): Finding {
  return {
    ruleId: rule.id,
    category: rule.category,
    severity: f.severity,
    path: f.path,
    line: f.line,
    ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    message: `${rule.title}.`.replace(/\.\.$/, '.'),
    remediation: rule.remediation,
    ...(rule.topics ? { topics: [...rule.topics] } : {})
  }
}
