/**
 * The run's context, read once at the top from the runner's environment, and the decision of
 * what to do with the event. `decideMode` is pure.
 */
import { readFileSync } from 'node:fs'
import type { Mode } from '../config.js'

export interface PullRequestPayload {
  action?: string
  number?: number
  pull_request?: {
    number: number
    draft?: boolean
    state?: string
    /** The author: a dependency bot's pull request gets the light, rules-only review. */
    user?: { login?: string }
    head: { sha: string; ref?: string; repo?: { full_name?: string } | null }
    base: { sha: string; ref?: string; repo?: { full_name?: string } | null }
  }
  repository?: { full_name?: string; default_branch?: string }
}

export interface IssueCommentPayload {
  action?: string
  issue?: { number: number; pull_request?: unknown; state?: string }
  comment?: { id: number; body?: string; user?: { login?: string; type?: string }; author_association?: string }
  repository?: { full_name?: string }
  sender?: { login?: string; type?: string }
}

export interface RunContext {
  eventName: string
  payload: Record<string, unknown>
  owner: string
  repo: string
  apiUrl: string
  /** GITHUB_GRAPHQL_URL (GHES: `https://host/api/graphql`); `<apiUrl>/graphql` by default. */
  graphqlUrl?: string
  serverUrl: string
  workspace: string
  sha: string
  /** Where the job summary goes (GITHUB_STEP_SUMMARY); absent outside the runner. */
  stepSummaryPath?: string
  anthropicBaseUrl?: string
  /** `owner/name` of the action's own repository (GITHUB_ACTION_REPOSITORY), for rule links. */
  actionRepository?: string
  /** The ref the action runs at (GITHUB_ACTION_REF). */
  actionRef?: string
}

export function readRunContext(env: Record<string, string | undefined>): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  let payload: Record<string, unknown> = {}
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>
    } catch (e) {
      throw new Error(`cannot read the event payload at GITHUB_EVENT_PATH (${env.GITHUB_EVENT_PATH}): ${(e as Error).message}`, { cause: e })
    }
  }
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/(?<!\/)\/+$/, '')
  return {
    eventName,
    payload,
    owner,
    repo,
    apiUrl,
    graphqlUrl: env.GITHUB_GRAPHQL_URL || `${apiUrl}/graphql`,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    sha: env.GITHUB_SHA ?? '',
    stepSummaryPath: env.GITHUB_STEP_SUMMARY || undefined,
    anthropicBaseUrl: env.ANTHROPIC_BASE_URL || undefined,
    actionRepository: env.GITHUB_ACTION_REPOSITORY || undefined,
    actionRef: env.GITHUB_ACTION_REF || undefined
  }
}

export type Decision =
  | { run: 'review'; pullNumber: number }
  | { run: 'command' }
  | { run: 'audit' }
  | { run: 'audit-merge' }
  | { run: 'post' }
  | { run: 'skip'; reason: string }

const REVIEW_ACTIONS = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review'])

export function decideMode(eventName: string, payload: Record<string, unknown>, mode: Mode, reviewDrafts: boolean): Decision {
  const explicit = mode !== 'auto'
  const kind: Mode =
    mode !== 'auto'
      ? mode
      : eventName === 'pull_request' || eventName === 'pull_request_target'
        ? 'review'
        : eventName === 'issue_comment'
          ? 'command'
          : eventName === 'schedule' || eventName === 'workflow_dispatch'
            ? 'audit'
            : 'auto'

  // A merge queue run tests a group of pull requests that were each reviewed already.
  if (kind === 'auto' && eventName === 'merge_group') return { run: 'skip', reason: 'merge queue run: each pull request in the group was reviewed when it was opened; nothing to review here' }
  if (kind === 'audit') return { run: 'audit' }
  if (kind === 'audit-merge') return { run: 'audit-merge' }
  // Posting a fork's result is never chosen from the event alone: the workflow asks for it.
  if (kind === 'post') return { run: 'post' }
  if (kind === 'command') return { run: 'command' }
  if (kind === 'review') {
    const p = payload as PullRequestPayload
    const pr = p.pull_request
    if (!pr) return { run: 'skip', reason: `nothing to review: the ${eventName || 'unknown'} event carries no pull request` }
    if (!explicit && p.action && !REVIEW_ACTIONS.has(p.action)) {
      return { run: 'skip', reason: `nothing to do for pull_request '${p.action}' (reviews run on opened, synchronize, reopened, ready_for_review)` }
    }
    if (pr.state === 'closed') return { run: 'skip', reason: `pull request #${pr.number} is closed` }
    if (pr.draft && !reviewDrafts) return { run: 'skip', reason: `pull request #${pr.number} is a draft (set review-drafts: true to review drafts)` }
    return { run: 'review', pullNumber: pr.number }
  }
  return { run: 'skip', reason: `nothing to do for this event (${eventName || 'no event'}): Preflight runs on pull_request, issue_comment, schedule and workflow_dispatch` }
}
