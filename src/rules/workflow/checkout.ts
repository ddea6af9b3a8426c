/**
 * "Pwn requests": a privileged trigger (base-repository secrets, write token) that checks out
 * and therefore usually builds the pull request head, and secrets handed to the steps after it.
 */
import type { Finding } from '../../types.js'
import { isMap, isScalar, scalarString, type Node, type YAMLMap } from '../parse/yaml.js'
import { actionRepo, expressionsUnder, getCaseless, jobTextSome, scalarText, type CheckContext } from './context.js'
import { contextPaths, findExpressions, isJobToken, JOB_TOKEN, readsSecretBeyondToken } from './expressions.js'
import { isForkGuarded, type ForkEvent } from './fork-guard.js'
import { RULES } from './meta.js'
import type { JobModel, StepModel } from './model.js'
import { firstStepRunningCode } from './runs-code.js'

/** Triggers that run with base-repository privileges while acting on a pull request. */
const PR_PRIVILEGED: readonly ForkEvent[] = ['pull_request_target', 'workflow_run', 'issue_comment']

const HEAD_CONTEXT =
  /^github\.(head_ref|event\.pull_request\.(head\.(sha|ref)|merge_commit_sha)|event\.workflow_run\.(head_sha|head_branch|head_commit\.id|pull_requests\.\*\.head\.(sha|ref))|event\.workflow_run\.head_repository\.full_name|event\.pull_request\.head\.repo\.full_name)$/

/**
 * Script lines that fetch or check out a pull request ref. `refs/pull/` alone is not enough: it
 * also appears in image tags, cache keys and log messages that never bring PR code in.
 */
const HEAD_IN_SCRIPT = /\bgh\s+pr\s+checkout\b|\bgit[ \t]+(fetch|pull|checkout|switch)\b(?:(?!\bgit[ \t])[^\n])*\bpull\/[^\n/]*\/(head|merge)\b/

/** A `ref:`/`repository:` value naming the PR head: a `refs/pull/N/…` ref or a head-context expression. */
function readsHead(text: string): boolean {
  if (/^\s*refs\/pull\//.test(text)) return true
  return findExpressions(text).some((e) => contextPaths(e.body).some((p) => HEAD_CONTEXT.test(p)))
}

/** A `git fetch` alone brings objects into `.git`, not files into the workspace. */
const FETCH_ONLY = /^\s*git[ \t]+fetch\b/
/** Commands that put fetched commits into the workspace (`git checkout FETCH_HEAD`, a merge, `reset --hard`). */
const MOVES_TREE = /\bgh\s+pr\s+checkout\b|\bgit[ \t]+(?:checkout|switch|merge|rebase|pull|cherry-pick|am|restore|worktree[ \t]+add)\b/
const movesTree = (text: string): boolean => text.split('\n').some((l) => MOVES_TREE.test(l) || (/\bgit[ \t]+reset\b/.test(l) && l.includes('--hard')))

/**
 * Line where this step brings the PR head into the workspace, or undefined. A script line that
 * only fetches the head counts when the rest of its script, or a later step (`laterMoves`), moves the workspace.
 */
function headCheckoutLine(ctx: CheckContext, step: StepModel, laterMoves: (step: StepModel) => boolean): number | undefined {
  if (actionRepo(step.uses) === 'actions/checkout' && step.with) {
    for (const key of ['ref', 'repository']) {
      const pair = step.with.items.find((p) => isScalar(p.key) && p.key.value === key)
      if (pair && readsHead(scalarString(pair.value) ?? '')) return ctx.y.lineOf(pair.key)
    }
  }
  // The script as the shell gets it: a YAML escape may spell the head's expression (`"\x24{{ github.head_ref }}"`).
  const script = step.run ? scalarText(ctx, step.run) : undefined
  if (script) {
    const lines = script.text.split('\n')
    let offset = 0
    for (const [i, l] of lines.entries()) {
      if (HEAD_IN_SCRIPT.test(l) || (/\bgit\s+(checkout|fetch|switch)\b/.test(l) && readsHead(l))) {
        if (!FETCH_ONLY.test(l) || movesTree(lines.slice(i).join('\n')) || laterMoves(step)) return script.place(offset).line
      }
      offset += l.length + 1
    }
  }
  return undefined
}

/**
 * Whether a step after a given one in its job moves the workspace (what makes a fetch there a
 * checkout). Every step's script is read once, on the first question: a job of many fetching
 * steps no longer reads the rest of the job for each of them.
 */
function laterMovesTree(ctx: CheckContext, job: JobModel): (step: StepModel) => boolean {
  let after: boolean[] | undefined
  return (step) => {
    if (!after) {
      const moves: boolean[] = new Array<boolean>(job.steps.length).fill(false)
      for (let i = job.steps.length - 2; i >= 0; i--) {
        const next = job.steps[i + 1]!
        moves[i] = moves[i + 1]! || (next.run ? movesTree(scalarText(ctx, next.run)?.text ?? '') : false)
      }
      after = moves
    }
    return after[job.steps.indexOf(step)] ?? false
  }
}

/** Whether some step of the job brings the pull request head into the workspace, whatever guards it. */
export function checksOutHead(ctx: CheckContext, job: JobModel): boolean {
  const laterMoves = laterMovesTree(ctx, job)
  return job.steps.some((s) => headCheckoutLine(ctx, s, laterMoves) !== undefined)
}

/**
 * First line inside a node where an expression (escaped ones too) reads `secrets.*`, or undefined.
 * With `tokenHeld` (the job's token already sits where the pull request's code reads it), a node
 * whose only secret is that token hands over nothing new: undefined. The line stays the first
 * secret read, the token's included, when another secret is beside it.
 */
function secretLine(ctx: CheckContext, node: Node | YAMLMap | undefined, tokenHeld = false): number | undefined {
  const reads = expressionsUnder(ctx, node)
    .map((e) => ({ line: e.line, secrets: contextPaths(e.body).filter((p) => p === 'secrets' || p.startsWith('secrets.')) }))
    .filter((r) => r.secrets.length > 0)
  if (tokenHeld && reads.every((r) => r.secrets.every((p) => JOB_TOKEN.has(p)))) return undefined
  return reads[0]?.line
}

/**
 * Whether a step is an `actions/checkout` that leaves the job's own token for its clone's git (in
 * the git config, or a file it includes), where any later code of the job reads it: no other
 * `token:` (that one would be kept instead), no `ssh-key:`, and `persist-credentials` left out or
 * `true` (the action keeps them only for a value that reads `true` in any case; an expression may
 * turn out anything, so it does not count).
 */
function keepsJobToken(step: StepModel): boolean {
  if (actionRepo(step.uses) !== 'actions/checkout') return false
  const input = (name: string): Node | undefined => getCaseless(step.with, name)
  const token = input('token')
  if (token !== undefined && !isJobToken(scalarString(token) ?? '')) return false
  if (input('ssh-key') !== undefined) return false
  const persist = input('persist-credentials')
  if (persist === undefined) return true
  const value = scalarString(persist)
  return value !== undefined && value.trim().toUpperCase() === 'TRUE'
}

/** Owners of GitHub's own actions, which do not run the files they are given. */
const FIRST_PARTY_OWNERS = new Set(['actions', 'github'])

/** Scopes a token may write without reaching code, releases or other workflows: comments, labels, reviews. */
const CONVERSATION_SCOPES = new Set(['pull-requests', 'issues', 'discussions'])

/**
 * Severity and reason for a head checkout after which no step runs code from it: what remains at
 * risk is what the job leaves within reach of the checkout (a secret, the persisted token).
 * Medium when the job reads no secret beyond its token and `permissions:` grant at most
 * conversation writes; high otherwise.
 */
function whyCheckoutLimited(ctx: CheckContext, job: JobModel): { severity: 'high' | 'medium'; why: string } {
  const noRun = 'but no step after the checkout runs code from it, as far as Preflight reads the steps (data tools, trusted copies and actions known to read files only)'
  const permissions = (job.permissions ?? ctx.wf.permissions)?.value
  const writes = isMap(permissions) ? permissions.items.filter((p) => scalarString(p.value) === 'write').map((p) => scalarString(p.key) ?? '') : []
  const limited = isMap(permissions) && writes.every((w) => CONVERSATION_SCOPES.has(w))
  if (limited && !jobTextSome(ctx, job, readsSecretBeyondToken)) {
    return { severity: 'medium', why: `${noRun}; what remains at risk is the job's token (no secret beside it), which writes ${writes.length ? 'only pull request or issue conversations' : 'nothing'}` }
  }
  return { severity: 'high', why: `${noRun}; what remains at risk is the job's secrets and token, left within reach of the checkout, should a step ever run code from it` }
}

/** How messages name the triggers a fork reaches a job through: "`workflow_run`", "`pull_request_target` or `issue_comment`". */
const triggerText = (triggers: readonly ForkEvent[]): string => triggers.map((t) => `\`${t}\``).join(' or ')

/**
 * Findings of one job that a fork's pull request reaches through `triggers` (the privileged
 * triggers of the workflow that the job's own `if:` does not keep forks out of), and whether the
 * job's token already lies within reach of the head checkout's code from its first step on.
 */
function checkJob(ctx: CheckContext, job: JobModel, triggers: readonly ForkEvent[]): { findings: Finding[]; tokenHeld: boolean } {
  const out: Finding[] = []
  const on = triggerText(triggers)
  // A step is guarded when its `if:` keeps forks out for every trigger that reaches the job.
  const guarded = (s: StepModel): boolean => isForkGuarded(s, triggers, { repository: ctx.repository })
  // A checkout step that is itself fork-guarded brings in only branches of this repository.
  const laterMoves = laterMovesTree(ctx, job)
  const headLine = (s: StepModel): number | undefined => (guarded(s) ? undefined : headCheckoutLine(ctx, s, laterMoves))
  const first = job.steps.findIndex((s) => headLine(s) !== undefined)
  if (first < 0) return { findings: out, tokenHeld: false }
  const headSteps = new Set(job.steps.filter((s) => headLine(s) !== undefined))
  // A checkout that keeps the job's token in its clone leaves it to any later code of the job, the
  // pull request's included: handing that token to a later step exposes nothing new. It counts when
  // it runs whenever the head is there: it has no `if:`, or it is the job's one head checkout.
  const keeps = job.steps.map((s) => keepsJobToken(s) && (s.node.get('if', true) === undefined || (headSteps.size === 1 && headSteps.has(s))))
  const tokenHeldBefore = (i: number): boolean => keeps.slice(0, i).some(Boolean)
  const running = firstStepRunningCode(ctx, job, first, headSteps)
  const lowered = running >= 0 ? undefined : whyCheckoutLimited(ctx, job)
  for (const step of headSteps) {
    const line = headLine(step) as number
    const message = `job \`${job.id}\` checks out the pull request head in a ${on} workflow, which runs with the base repository's secrets and write token`
    if (lowered) out.push(ctx.report(RULES.untrustedCheckout, line, `${message}; ${lowered.why}.`, { severity: lowered.severity }))
    else out.push(ctx.report(RULES.untrustedCheckout, line, `${message}.`))
  }
  const exposed: { line: number; what: string; beforeCode?: string }[] = []
  for (const [i, step] of job.steps.entries()) {
    if (i <= first) continue
    // A step guarded to heads of this repository does not run for a fork's pull request, so its secret stays.
    if (guarded(step)) continue
    const line = secretLine(ctx, step.node, tokenHeldBefore(i))
    if (line === undefined) continue
    // GitHub's own action, run before any step runs code of the checkout, keeps what it is handed
    // from that code; but a checkout leaves its token in the clone's git config for later steps.
    const repo = actionRepo(step.uses) ?? ''
    const persists = repo === 'actions/checkout' && scalarString(step.with?.get('persist-credentials', true)) !== 'false'
    const firstParty = !step.run && !persists && FIRST_PARTY_OWNERS.has(repo.split('/')[0])
    const beforeCode = firstParty && (running < 0 || i < running) ? (step.uses ?? '').split('@')[0] : undefined
    exposed.push({ line, what: `step ${step.name ? `\`${step.name}\`` : `#${step.index + 1}`}`, beforeCode })
  }
  // The job's env reaches every step after the head checkout.
  const tokenHeld = tokenHeldBefore(first + 1)
  const jobEnvLine = secretLine(ctx, job.env, tokenHeld)
  if (jobEnvLine !== undefined) exposed.push({ line: jobEnvLine, what: `the env of job \`${job.id}\`` })
  for (const e of exposed) {
    const message = `${e.what} passes a secret to job \`${job.id}\` after it checked out pull request code in a ${on} workflow`
    if (e.beforeCode === undefined) out.push(ctx.report(RULES.secretsUntrustedCode, e.line, `${message}.`))
    else {
      const why = `it hands it to GitHub's own action \`${e.beforeCode}\` before any step runs code from the checkout, so the pull request's code cannot read it at that point; the job's exposure is reported at the checkout${running >= 0 ? ' and at the later steps' : ''}`
      out.push(ctx.report(RULES.secretsUntrustedCode, e.line, `${message}; medium: ${why}.`, { severity: 'medium' }))
    }
  }
  return { findings: out, tokenHeld }
}

export function checkUntrustedCheckout(ctx: CheckContext): Finding[] {
  const privileged = PR_PRIVILEGED.filter((t) => ctx.wf.triggers.has(t))
  if (!privileged.length || ctx.wf.kind !== 'workflow') return []
  const out: Finding[] = []
  const exposedJobs: { id: string; open: ForkEvent[]; tokenHeld: boolean }[] = []
  for (const job of ctx.wf.jobs) {
    // Each privileged trigger is judged on its own: a guard that holds for one (`pull_request_target`)
    // may let another (`workflow_run`, `issue_comment`) through.
    const open = privileged.filter((t) => !isForkGuarded(job, [t], { repository: ctx.repository }))
    if (!open.length) continue
    const { findings, tokenHeld } = checkJob(ctx, job, open)
    if (findings.length) exposedJobs.push({ id: job.id, open, tokenHeld })
    out.push(...findings)
  }
  // Workflow-level env reaches every job: one finding naming the jobs that run PR code, but for
  // the jobs whose checkout already left them the token when that token is the env's only secret.
  const envLine = exposedJobs.length ? secretLine(ctx, ctx.wf.env) : undefined
  const tokenOnly = envLine !== undefined && secretLine(ctx, ctx.wf.env, true) === undefined
  const handedTo = exposedJobs.filter((j) => !(tokenOnly && j.tokenHeld))
  if (envLine !== undefined && handedTo.length) {
    const reached = new Set(handedTo.flatMap((j) => j.open))
    const jobs = handedTo.map((j) => `\`${j.id}\``).join(', ')
    out.push(ctx.report(RULES.secretsUntrustedCode, envLine, `the workflow env passes a secret to ${jobs}, which check out pull request code in a ${triggerText(privileged.filter((t) => reached.has(t)))} workflow.`))
  }
  return out
}
