/**
 * The one definition of what counts against a change, shared by the verdict, `fail-on`, the exit
 * code and the `findings` output (also written in docs/checklist.md):
 * every finding in the changed files counts, whichever personas ran; findings in files read only
 * for context, suppressed findings and `info` findings never count. The verdict is `fail` when a
 * counted finding is critical or high, `warn` when one is medium or low (or a checklist item that
 * rules could judge is `unknown` because a file could not be analysed), `pass` otherwise, and
 * `skipped` when no infrastructure file changed. Routing never changes it.
 */
import type { FileNote, Finding, Verdict } from '../types.js'
import { SEVERITY_RANK } from '../types.js'

/**
 * The findings that count. `changedPaths`, when given, limits them to the changed files (a
 * finding in a file read only for context does not count).
 */
export function countedFindings<F extends Finding>(findings: readonly F[], changedPaths?: ReadonlySet<string>): F[] {
  return findings.filter((f) => !f.suppressed && f.severity !== 'info' && (!changedPaths || changedPaths.has(f.path)))
}

export interface VerdictInput {
  findings: readonly Finding[]
  /** Paths of the changed files; findings elsewhere never count. */
  changedPaths?: ReadonlySet<string>
  /** Whether any infrastructure file changed; `skipped` otherwise. */
  infraChanged: boolean
  /**
   * Changed infrastructure files that could not be analysed (parse error, too large, …): the
   * checklist items about them are `unknown`, which is a `warn` whichever persona ran.
   */
  unanalysedPaths?: readonly string[]
}

export function decideVerdict(input: VerdictInput): Verdict {
  if (!input.infraChanged) return 'skipped'
  const counted = countedFindings(input.findings, input.changedPaths)
  const worst = Math.max(-1, ...counted.map((f) => SEVERITY_RANK[f.severity]))
  if (worst >= SEVERITY_RANK.high) return 'fail'
  if (worst >= SEVERITY_RANK.low) return 'warn'
  if (input.unanalysedPaths?.length) return 'warn'
  return 'pass'
}

/** A one-line reason for the verdict, for the summary's first line. */
export function verdictReason(input: VerdictInput): string {
  if (!input.infraChanged) return 'no infrastructure file changed'
  const counted = countedFindings(input.findings, input.changedPaths)
  const bySeverity = (s: Finding['severity']) => counted.filter((f) => f.severity === s).length
  const blocking = bySeverity('critical') + bySeverity('high')
  if (blocking) {
    const parts = [bySeverity('critical') ? `${bySeverity('critical')} critical` : '', bySeverity('high') ? `${bySeverity('high')} high` : ''].filter(Boolean)
    return `${parts.join(' and ')} finding${blocking === 1 ? '' : 's'} in the changed files`
  }
  const minor = bySeverity('medium') + bySeverity('low')
  if (minor) return `${minor} medium or low finding${minor === 1 ? '' : 's'} in the changed files, nothing critical or high`
  if (input.unanalysedPaths?.length) {
    const n = input.unanalysedPaths.length
    return `${n} changed file${n === 1 ? '' : 's'} could not be analysed, so part of the checklist is unknown`
  }
  return 'no finding above info in the changed files'
}

/** Note reasons that mean a file's content was not analysed (as opposed to deliberately ignored). */
const UNANALYSED: ReadonlySet<FileNote['reason']> = new Set(['parse', 'too-large', 'binary', 'encoding', 'unavailable', 'error'])

/** Changed infrastructure files that carry a note saying they could not be analysed. */
export function unanalysedInfraPaths(notes: readonly FileNote[], files: readonly { path: string; kind: string }[]): string[] {
  const infra = new Set(files.filter((f) => f.kind !== 'other').map((f) => f.path))
  return [...new Set(notes.filter((n) => UNANALYSED.has(n.reason) && infra.has(n.path)).map((n) => n.path))].sort()
}
