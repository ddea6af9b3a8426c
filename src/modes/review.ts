/**
 * Review mode (`pull_request`): load the change through the API, run the pipeline, deliver one
 * review, one sticky summary, the plan documents, outputs and the job summary.
 */
import type { Config } from '../config.js'
import type { RunContext, PullRequestPayload } from './event.js'
import type { ActionIo } from './action-io.js'
import { createGitHubClient, type GitHubClient } from '../github/client.js'
import { loadContextFiles, loadPullRequestChange, loadChangedLinesSince } from '../github/pull-request.js'
import { graphqlSpend } from '../github/graphql-read.js'
import { findSummaryComment, type SummaryComment } from '../github/deliver.js'
import { parseStateMarker } from '../render/markers.js'
import { classifyFile } from '../changes/classify.js'
import { prepareAnalysis } from '../rules/index.js'
import { finishReview, loadBasePersonas, reviewAndDeliver, type Reviewed } from './shared.js'
import { isDependencyBot } from '../settings/run.js'

export async function runReviewMode(config: Config, ctx: RunContext, pullNumber: number, io: ActionIo): Promise<void> {
  const payload = ctx.payload as PullRequestPayload
  const client = createGitHubClient({ token: config.githubToken, baseUrl: ctx.apiUrl, graphqlUrl: ctx.graphqlUrl, log: io })
  const result = await reviewPullRequest(client, config, ctx, pullNumber, payload, io)
  await finishReview(config, ctx, pullNumber, result, io)
}

async function reviewPullRequest(
  client: GitHubClient,
  config: Config,
  ctx: RunContext,
  pullNumber: number,
  payload: PullRequestPayload,
  io: ActionIo
): Promise<Reviewed> {
  const { owner, repo } = ctx
  // Three independent reads at once: the change, the personas and settings at the base (the
  // event names the base commit), and the sticky summary whose state drives the incremental
  // review and which delivery edits in place.
  const eventBase = payload.pull_request?.base.sha
  const summaryLookup = findSummaryComment(client, { owner, repo, number: pullNumber, botLogin: config.botLogin }).then(
    (found) => ({ found, known: true }),
    // Delivery looks again and reports the failure.
    () => ({ found: undefined, known: false })
  )
  // The analysis's one-time set-up (secretlint, then each changed kind's parser) overlaps the reads.
  prepareAnalysis()
  const [change, earlyPersonas, summary] = await Promise.all([
    loadPullRequestChange(client, { owner, repo, number: pullNumber, pathsIgnore: config.pathsIgnore, classify: classifyFile, maxFiles: 3000, log: io }),
    eventBase ? loadBasePersonas(client, config, ctx, eventBase, io) : undefined,
    summaryLookup
  ])
  const baseSha = change.baseSha ?? eventBase ?? ''
  const headSha = change.headSha ?? payload.pull_request?.head.sha ?? ctx.sha
  prepareAnalysis(change.files.map((f) => f.kind))
  change.context = await loadContextFiles(client, change, { owner, repo, ref: headSha, classify: classifyFile, pathsIgnore: config.pathsIgnore, log: io })

  // The base can move between the event and the read (a retargeted pull request): the API's wins.
  const personas = earlyPersonas && eventBase === baseSha ? earlyPersonas : await loadBasePersonas(client, config, ctx, baseSha, io)
  const spent = graphqlSpend(client)
  if (spent.queries) io.info(`Preflight: ${spent.queries} GraphQL read(s), rate-limit cost ${spent.cost}${spent.remaining === undefined ? '' : `, ${spent.remaining} points left`}.`)

  const previous: SummaryComment | undefined = summary.found
  const summaryKnown = summary.known
  const state = previous ? parseStateMarker(previous.body ?? '') : undefined
  let changedSince: Map<string, Set<number>> | undefined
  let headline: string | undefined
  if (state?.lastReviewedSha && state.lastReviewedSha !== headSha && payload.action === 'synchronize') {
    changedSince = await loadChangedLinesSince(client, { owner, repo, base: state.lastReviewedSha, head: headSha })
    if (changedSince) headline = `Incremental review: inline comments cover the commits since ${state.lastReviewedSha.slice(0, 7)}; the checklist covers the whole pull request.`
  }

  return reviewAndDeliver(
    client,
    config,
    ctx,
    {
      pullNumber,
      change,
      headSha,
      personas: personas.personas,
      forced: config.agents,
      maxAgents: config.maxAgents,
      changedSince,
      headline,
      deliverWhenSkipped: previous !== undefined,
      existingSummary: summaryKnown ? (previous ?? null) : undefined,
      rulesOnly: isDependencyBot(payload.pull_request?.user?.login) ? payload.pull_request?.user?.login : undefined
    },
    io
  )
}
