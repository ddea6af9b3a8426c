/**
 * Post mode (`mode: post`, on `workflow_run`): the second stage of the review of a pull request
 * from a fork. It reads the result file the `pull_request` job left as an artifact, treats it as
 * the untrusted input it is, and posts the review with this job's write token. Trusted anchors:
 * the `workflow_run` payload (which commit ran) and the pull request as the API shows it. The
 * file decides only which known rules are reported where; every word posted is Preflight's own.
 */
import { lstat, readFile } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import type { Config } from '../config.js'
import type { RunContext } from './event.js'
import type { ActionIo } from './action-io.js'
import type { Finding, RuleMeta } from '../types.js'
import { ZERO_USAGE } from '../types.js'
import { createGitHubClient, describeError } from '../github/client.js'
import { deliverReview } from '../github/deliver.js'
import { summaryHeader } from '../render/markers.js'
import { planInlineComments } from '../render/inline.js'
import { decideVerdict, verdictReason } from '../checklist/verdict.js'
import { renderSummary } from '../render/summary.js'
import { ALL_RULES } from '../rules/index.js'
import { classifyFile } from '../changes/classify.js'
import { addedLines, commentableLines } from '../changes/diff.js'
import type { ReviewResult } from './pipeline.js'
import { finishReview, type Reviewed } from './shared.js'
import { findingFromResult, parseResultFile } from './result-file.js'
import { VERSION } from '../version.js'

interface WorkflowRunPayload {
  workflow_run?: { head_sha?: string; event?: string; head_repository?: { full_name?: string } | null }
}

/** Reads the result file from the workspace: a regular file (no symbolic link), inside it. */
async function readResult(workspace: string, path: string): Promise<string> {
  const abs = resolve(workspace, path)
  const rel = relative(resolve(workspace), abs)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`input 'result-path': ${path} is outside the workspace`)
  const info = await lstat(abs).catch(() => undefined)
  if (!info) throw new Error(`input 'result-path': no result file at ${path} (was the artifact downloaded?)`)
  if (!info.isFile()) throw new Error(`input 'result-path': ${path} is not a regular file`)
  return readFile(abs, 'utf8')
}

export async function runPostMode(config: Config, ctx: RunContext, io: ActionIo): Promise<void> {
  if (!config.resultPath) throw new Error("mode 'post' needs the input 'result-path' (the downloaded result file)")
  const run = (ctx.payload as WorkflowRunPayload).workflow_run
  const ranSha = run?.head_sha
  if (!ranSha || !/^[0-9a-f]{40}$/.test(ranSha)) throw new Error("mode 'post' runs on workflow_run: the event names no head commit to check the result against")

  const rules = new Map<string, RuleMeta>(ALL_RULES.map((r) => [r.id, r]))
  const parsed = parseResultFile(await readResult(ctx.workspace, config.resultPath), rules)
  if ('error' in parsed) throw new Error(`the result file ${config.resultPath} was refused: ${parsed.error}`)
  const { file } = parsed
  if (parsed.dropped) io.warning(`Preflight: ${parsed.dropped} finding(s) in the result file name no Preflight rule; left out.`)

  const { owner, repo } = ctx
  const client = createGitHubClient({ token: config.githubToken, baseUrl: ctx.apiUrl, graphqlUrl: ctx.graphqlUrl, log: io })
  const { data: pr } = await client.rest.pulls.get({ owner, repo, pull_number: file.pullNumber })
  // The file names the pull request; the event says which commit was reviewed. Both must agree
  // with GitHub, or the file was made for something else (or by someone else).
  if (pr.head.sha !== ranSha || file.headSha !== ranSha) {
    throw new Error(
      `the result file does not belong to this run: pull request #${file.pullNumber} is at ${pr.head.sha.slice(0, 12)}, the workflow run reviewed ${ranSha.slice(0, 12)}, the file says ${file.headSha.slice(0, 12)}; nothing posted`
    )
  }
  if (run?.head_repository?.full_name && pr.head.repo?.full_name && run.head_repository.full_name !== pr.head.repo.full_name) {
    throw new Error(`the workflow run came from ${run.head_repository.full_name}, pull request #${file.pullNumber} from ${pr.head.repo.full_name}; nothing posted`)
  }
  if (pr.state !== 'open') {
    io.notice(`Preflight: pull request #${file.pullNumber} is ${pr.state}; nothing posted.`)
    return
  }

  const listed = await client.paginate(client.rest.pulls.listFiles, { owner, repo, pull_number: file.pullNumber, per_page: 100 })
  const changed = new Map(listed.filter((f) => f.status !== 'removed').map((f) => [f.filename, f.patch ?? undefined]))
  const findings: Finding[] = []
  let outside = 0
  for (const f of file.findings) {
    if (!changed.has(f.path)) outside++
    else findings.push(findingFromResult(f, rules.get(f.ruleId) as RuleMeta))
  }
  if (outside) io.warning(`Preflight: ${outside} finding(s) in the result file point at files this pull request does not change; left out.`)

  const commentable = new Map<string, Set<number>>()
  const added = new Map<string, Set<number>>()
  for (const [path, patch] of changed) {
    commentable.set(path, commentableLines(patch))
    added.set(path, addedLines(patch))
  }
  // The same grouping, cap and verdict as a review in one stage; no file content here, so a
  // finding's resource is its line.
  const inline = planInlineComments({
    findings,
    modelComments: [],
    commentable,
    added,
    files: new Map(),
    minSeverity: config.minInlineSeverity ?? 'medium',
    maxComments: config.maxComments
  })
  const files = [...changed.keys()].map((path) => ({ path, kind: classifyFile(path) }))
  const verdictInput = { findings, changedPaths: new Set(changed.keys()), infraChanged: files.some((f) => f.kind !== 'other') }
  const review: ReviewResult = {
    verdict: decideVerdict(verdictInput),
    verdictReason: verdictReason(verdictInput),
    agents: [],
    findings,
    comments: inline.comments,
    unanchored: inline.unanchored,
    belowInline: inline.belowInline,
    unanchoredModel: [],
    notes: [],
    messages: ['Posted from the result of the pull request\u2019s own run (two-stage review of a fork): deterministic findings only, each checked against this pull request.'],
    usage: { ...ZERO_USAGE },
    secrets: [],
    files,
    inlineUpdates: inline.updates,
    inlineFixed: inline.fixed,
    inlineState: inline.state,
    commentSources: inline.sources
  }

  const blobUrl = `${ctx.serverUrl}/${owner}/${repo}/blob/${ranSha}`
  const header = summaryHeader({ lastReviewedSha: ranSha, version: VERSION })
  let summary = `${header}\n${renderSummary(review, { blobUrl })}`
  const deliveryErrors: string[] = []
  let readOnly = false
  let delivery: Reviewed['delivery']
  try {
    delivery = await deliverReview(client, {
      owner,
      repo,
      number: file.pullNumber,
      headSha: ranSha,
      comments: review.comments,
      event: config.reviewEvent === 'REQUEST_CHANGES' && review.verdict === 'fail' ? 'REQUEST_CHANGES' : 'COMMENT',
      botLogin: config.botLogin,
      renderSummary: (r) => {
        summary = `${header}\n${renderSummary(review, { blobUrl, failedComments: r.failedComments, postedComments: r.postedComments, duplicateComments: r.duplicateComments })}`
        return summary
      },
      log: io
    })
    readOnly = delivery.readOnly
    deliveryErrors.push(...delivery.errors)
  } catch (e) {
    deliveryErrors.push(`delivering the review failed: ${describeError(e)}`)
  }
  io.info(`Preflight: posted the result for pull request #${file.pullNumber} at ${ranSha.slice(0, 12)}: ${findings.length} finding(s), ${review.comments.length} inline comment candidate(s).`)
  await finishReview(config, ctx, file.pullNumber, { review, summary, planPaths: [], readOnly, deliveryErrors, delivery }, io)
}
