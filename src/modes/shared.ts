/**
 * The building blocks review mode and the `/agent` command share: personas read at the base
 * commit, the pipeline run with its plan files and delivery (one review, the sticky summary),
 * and the end of a run (annotations, job summary, SARIF, outputs, fail-on).
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFile } from 'node:fs/promises'
import type { Config } from '../config.js'
import { meetsFailOn } from '../config.js'
import type { RunContext } from './event.js'
import type { ActionIo } from './action-io.js'
import type { ChangeSet, Persona, PersonaLoadResult } from '../types.js'
import type { Settings } from '../settings/types.js'
import { countedFindings } from '../checklist/verdict.js'
import { describeError, type GitHubClient } from '../github/client.js'
import { loadPersonaFiles } from '../github/pull-request.js'
import { deliverReview, type DeliveryReport, type SummaryComment } from '../github/deliver.js'
import { summaryHeader } from '../render/markers.js'
import { loadPersonaSet } from '../agents/loader.js'
import { readBundledPersonas } from '../agents/bundled.js'
import { runReviewPipeline, type ReviewResult } from './pipeline.js'
import { MAX_SUMMARY_CHARS, renderJobSummary, renderSummary, type SummaryExtras } from '../render/summary.js'
import { renderPlan } from '../render/plan.js'
import { renderSarif } from '../render/sarif.js'
import { redact, redactDeep } from '../redact.js'
import { mdText } from '../render/escape.js'
import { ALL_RULES } from '../rules/index.js'
import { createAgentRunner } from '../llm/runner.js'
import { VERSION } from '../version.js'

/** The reader note added when no model could run. */
export const NO_KEY_MESSAGE = 'No Anthropic API key: deterministic review only.'

export interface Reviewed {
  review: ReviewResult
  summary: string
  planPaths: string[]
  readOnly: boolean
  deliveryErrors: string[]
  /** What delivery did, when it ran. */
  delivery?: DeliveryReport
}

/** Bundled personas plus the repository's own, read at `baseSha` (never the head); warnings logged. */
export async function loadBasePersonas(client: GitHubClient, config: Config, ctx: RunContext, baseSha: string, io: ActionIo): Promise<PersonaLoadResult> {
  const repoPersonas = await loadPersonaFiles(client, { owner: ctx.owner, repo: ctx.repo, ref: baseSha, dirs: config.agentsDirs, log: io })
  const personas = loadPersonaSet(readBundledPersonas(), repoPersonas)
  for (const w of personas.warnings) io.warning(`Preflight personas: ${w}`)
  return personas
}

export interface ReviewAndDeliverOptions {
  pullNumber: number
  change: ChangeSet
  headSha: string
  personas: Persona[]
  /** Personas named by the `agents` input or the command; empty routes automatically. */
  forced: string[]
  maxAgents: number
  /** A reviewer's question (untrusted), for the model. */
  question?: string
  changedSince?: Map<string, Set<number>>
  headline?: string
  /** Post even when no infrastructure changed (a summary exists that must be brought up to date). */
  deliverWhenSkipped: boolean
  /** The sticky summary as already looked up (`null`: none); undefined lets delivery look. */
  existingSummary?: SummaryComment | null
  /** Repository settings (min-inline-severity, …); built-in defaults when absent. */
  settings?: Settings
}

/** The summary's hidden state keeps at most this many inline comment fingerprints. */
const MAX_INLINE_STATE = 300

/** Runs the pipeline, writes the plan files and delivers the review and the sticky summary. */
export async function reviewAndDeliver(client: GitHubClient, config: Config, ctx: RunContext, o: ReviewAndDeliverOptions, io: ActionIo): Promise<Reviewed> {
  const { owner, repo } = ctx
  const { pullNumber, headSha, headline } = o
  const runner = config.anthropicApiKey
    ? createAgentRunner({ apiKey: config.anthropicApiKey, baseUrl: ctx.anthropicBaseUrl, model: config.model, maxInputTokens: config.maxInputTokens, log: io })
    : undefined
  if (!runner) io.notice('Preflight: no anthropic-api-key, so the review is deterministic (rules only).')

  const review = await runReviewPipeline(o.change, o.personas, {
    maxAgents: o.maxAgents,
    forced: o.forced,
    changedSince: o.changedSince,
    agentRunner: runner,
    maxCostUsd: config.maxCostUsd,
    maxComments: config.maxComments,
    helmRenderedDir: config.helmRenderedDir,
    question: o.question,
    settings: o.settings,
    previousState: o.existingSummary?.state
  })
  if (!runner && review.agents.length) review.messages.unshift(NO_KEY_MESSAGE)
  const secrets = review.secrets

  const planPaths: string[] = []
  for (const a of review.agents) {
    const path = config.planPath.replaceAll('{number}', String(pullNumber)).replaceAll('{agent}', a.agent.persona.name)
    try {
      await io.writeWorkspaceFile(ctx.workspace, path, redact(renderPlan(a.plan, a.checklist), secrets))
      planPaths.push(path)
    } catch (e) {
      io.warning(`Preflight: could not write the plan to ${path}: ${(e as Error).message}`)
    }
  }

  const blobUrl = `${ctx.serverUrl}/${owner}/${repo}/blob/${headSha}`
  const inline = Object.fromEntries(Object.entries(review.inlineState).slice(0, MAX_INLINE_STATE))
  const state = { lastReviewedSha: headSha, version: VERSION, ...(Object.keys(inline).length ? { inline } : {}) }
  // The hidden markers come first (line 1 and 2), so no truncation can drop them.
  const header = summaryHeader(state)
  // The whole comment, hidden state included, stays under 60,000 characters (GitHub allows 65,536).
  const maxChars = Math.min(MAX_SUMMARY_CHARS, 60_000 - header.length - 200)
  const buildSummary = (extras: SummaryExtras): string => header + '\n' + redact(renderSummary(review, { ...extras, blobUrl, headline, maxChars }), secrets)

  const event = config.reviewEvent === 'REQUEST_CHANGES' && review.verdict === 'fail' ? 'REQUEST_CHANGES' : 'COMMENT'
  let readOnly = false
  let delivery: DeliveryReport | undefined
  const deliveryErrors: string[] = []
  let summary = buildSummary({})
  if (review.verdict === 'skipped' && !o.deliverWhenSkipped) {
    io.notice('Preflight: no infrastructure file changed; nothing to post.')
  } else {
    try {
      const report = await deliverReview(client, {
        owner,
        repo,
        number: pullNumber,
        headSha,
        comments: review.comments.map((c) => ({ ...c, body: redact(c.body, secrets) })),
        event,
        botLogin: config.botLogin,
        renderSummary: (r) => {
          summary = buildSummary({ failedComments: r.failedComments, postedComments: r.postedComments, duplicateComments: r.duplicateComments })
          return summary
        },
        existingSummary: o.existingSummary,
        log: io
      })
      delivery = report
      readOnly = report.readOnly
      deliveryErrors.push(...report.errors)
      if (readOnly) summary = buildSummary({ readOnly: true })
    } catch (e) {
      deliveryErrors.push(`delivering the review failed: ${describeError(e)}`)
    }
  }
  return { review, summary, planPaths, readOnly, deliveryErrors, delivery }
}

/** Annotations where comments could not go, the job summary, SARIF, outputs and fail-on. */
export async function finishReview(config: Config, ctx: RunContext, pullNumber: number, r: Reviewed, io: ActionIo): Promise<void> {
  const { review } = r
  const secrets = review.secrets

  // Annotations carry the result where comments cannot (read-only token) and in the checks UI.
  if (r.readOnly || r.deliveryErrors.length) {
    for (const f of review.findings.slice(0, 50)) {
      const level = f.severity === 'critical' || f.severity === 'high' ? 'error' : f.severity === 'info' ? 'notice' : 'warning'
      io.annotate(level, redact(`${f.message}${f.remediation ? ` Fix: ${f.remediation}` : ''}`, secrets), { file: f.path, startLine: f.line, endLine: f.endLine, title: `${f.ruleId} (${f.severity})` })
    }
  }
  if (r.readOnly) io.notice('Preflight: the token is read-only (a pull request from a fork?): results are in the annotations and the job summary.')
  for (const e of r.deliveryErrors) io.error(`Preflight: ${redact(e, secrets)}`)

  const summaryPath = join(process.env.RUNNER_TEMP || tmpdir(), `preflight-summary-${pullNumber}.md`)
  await writeFile(summaryPath, r.summary).catch(() => undefined)
  const full = redact(renderJobSummary(r.summary, review), secrets)
  const jobSummary = r.deliveryErrors.length ? `${full}\n\n**Delivery problems**\n\n${r.deliveryErrors.map((e) => `- ${redact(mdText(e), secrets)}`).join('\n')}\n` : full
  await io.summary(jobSummary).catch((e: Error) => io.warning(`Preflight: could not write the job summary: ${e.message}`))

  if (config.sarifPath) {
    const sarif = redactDeep(renderSarif(review.findings, { version: VERSION, rules: ALL_RULES }), secrets)
    await io.writeWorkspaceFile(ctx.workspace, config.sarifPath, JSON.stringify(sarif, null, 2))
  }

  io.setOutput('verdict', review.verdict)
  io.setOutput('agents', review.agents.map((a) => a.agent.persona.name).join(','))
  // One definition of what counts (checklist/verdict.ts) for the verdict, the output and fail-on.
  const counted = countedFindings(review.findings, new Set(review.files.map((f) => f.path)))
  io.setOutput('findings', counted.length)
  io.setOutput('plan-path', r.planPaths.join(','))
  io.setOutput('summary-path', summaryPath)
  io.setOutput('cost-usd', review.usage.costUsd.toFixed(4))
  io.info(`Preflight: verdict ${review.verdict}, ${counted.length} findings, ${review.comments.length} inline comment candidates, personas: ${review.agents.map((a) => a.agent.persona.name).join(', ') || 'none'}`)

  const failing = counted.filter((f) => meetsFailOn(f.severity, config.failOn))
  // A GitHub outage is reported (error annotations, job summary) but is not the change's fault,
  // so only fail-on decides the job's result.
  if (failing.length) io.setFailed(`Preflight: ${failing.length} finding(s) at or above fail-on '${config.failOn}'`)
}
