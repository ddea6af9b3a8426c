/**
 * Settings that shape a run around the analysis: `paths-ignore` on the change set (ignored files
 * are neither analyzed nor sent to a model), `model-paths-ignore` and model failures at the
 * agent runner, and the light mode for dependency-bot pull requests. (The `personas` key is
 * applied with the targets, in src/agents/targets.ts.)
 */
import picomatch from 'picomatch'
import type { ChangeSet } from '../types.js'
import type { AgentRunner } from '../llm/types.js'
import { isFailure } from '../llm/types.js'

/** The change set without the files `paths-ignore` names; each left out with a note. */
export function withoutIgnoredPaths(change: ChangeSet, globs: string[]): ChangeSet {
  if (!globs.length) return change
  const ignored = picomatch(globs, { dot: true })
  const out = change.files.filter((f) => !ignored(f.path))
  if (out.length === change.files.length) return change
  const dropped = change.files.filter((f) => ignored(f.path))
  return {
    ...change,
    files: out,
    notes: [...change.notes, ...dropped.map((f) => ({ path: f.path, reason: 'ignored' as const, message: `${f.path}: matches paths-ignore, not reviewed` }))]
  }
}

/** Accounts that open dependency-update pull requests: reviewed by the rules only. */
const DEPENDENCY_BOTS = /^(dependabot(-preview)?|renovate(-bot)?|renovate-approve)(\[bot\])?$/i

export function isDependencyBot(login: string | undefined): boolean {
  return !!login && DEPENDENCY_BOTS.test(login)
}

export interface GuardOptions {
  /** Globs of files never sent to a model (their patches, contents and findings stay out). */
  modelPathsIgnore: string[]
  /** Called once per distinct failure, so a wrong key is reported once, not per persona. */
  onFailure: (persona: string, error: string) => void
}

/**
 * The agent runner as the settings allow it: files under `model-paths-ignore` are taken out of
 * the request (the rules still checked them), and a model failure is surfaced, not only noted.
 */
export function guardRunner(runner: AgentRunner, options: GuardOptions): AgentRunner {
  const hidden = options.modelPathsIgnore.length ? picomatch(options.modelPathsIgnore, { dot: true }) : undefined
  const reported = new Set<string>()
  return async (request) => {
    const hiddenPaths = hidden ? request.change.files.filter((f) => hidden(f.path)).map((f) => f.path) : []
    // Checklist evidence names files (`rule at path:line`): a hidden file's lines go too.
    const mentionsHidden = (text: string) => hiddenPaths.some((p) => text.includes(p))
    const sent = hiddenPaths.length
      ? {
          ...request,
          change: { ...request.change, files: request.change.files.filter((f) => !hidden!(f.path)) },
          findings: request.findings.filter((f) => !hidden!(f.path)),
          checklist: request.checklist.map((c) => ({ ...c, evidence: c.evidence.filter((e) => !mentionsHidden(e)) })),
          commentable: new Map([...request.commentable].filter(([path]) => !hidden!(path)))
        }
      : request
    const out = await runner(sent)
    if (isFailure(out) && !reported.has(out.error)) {
      reported.add(out.error)
      options.onFailure(request.persona.name, out.error)
    }
    return out
  }
}
