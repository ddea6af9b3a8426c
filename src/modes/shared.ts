/**
 * The building blocks review mode and the `/agent` command share: personas read at the base
 * commit, the pipeline run with its plan files and delivery (one review, the sticky summary),
 * and the end of a run (annotations, job summary, SARIF, outputs, fail-on).
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFile } from 'node:fs/promises'
import type { Config } from '../config.js'
import { meetsFailOn, settingsInputsOf } from '../config.js'
import type { RunContext } from './event.js'
import type { ActionIo } from './action-io.js'
import type { ChangeSet, Persona, PersonaLoadResult } from '../types.js'
import { describeError, type GitHubClient } from '../github/client.js'
import { loadPersonaFiles } from '../github/pull-request.js'
import { deliverReview, type DeliveryReport, type SummaryComment } from '../github/deliver.js'
import { stateMarker } from '../render/markers.js'
import { loadPersonaSet } from '../agents/loader.js'
import { readBundledPersonas } from '../agents/bundled.js'
import { runReviewPipeline, type ReviewResult } from './pipeline.js'
import { renderSummary, type SummaryExtras } from '../render/summary.js'
import { renderPlan } from '../render/plan.js'
import { renderSarif } from '../render/sarif.js'
import { redact, redactDeep } from '../render/redact.js'
import { ALL_RULES } from '../rules/index.js'
import { SETTINGS_RULES } from '../settings/apply.js'
import { createAgentRunner } from '../llm/runner.js'
import { createProviderClient } from '../llm/providers.js'
import { VERSION } from '../version.js'
import { loadRepositorySettings, readFromCommit } from '../settings/repository.js'
import { applyPersonaSettings, guardRunner, withoutIgnoredPaths } from '../settings/run.js'
import type { Settings } from '../settings/types.js'

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
  /** The repository settings the run used (read at the base commit). */
  settings?: Settings
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
  /** Light mode (a dependency bot's pull request, named here): rules only, no model, and nothing posted unless something is found. */
  rulesOnly?: string
}

/** Runs the pipeline, writes the plan files and delivers the review and the sticky summary. */
export async function reviewAndDeliver(client: GitHubClient, config: Config, ctx: RunContext, o: ReviewAndDeliverOptions, io: ActionIo): Promise<Reviewed> {
  const { owner, repo } = ctx
  const { pullNumber, headSha, headline } = o
  // Settings and baseline come from the base commit, like the personas.
  const repoSettings = o.change.baseSha
    ? await loadRepositorySettings(readFromCommit(client, { owner, repo, ref: o.change.baseSha }), settingsInputsOf(config))
    : undefined
  for (const w of repoSettings?.warnings ?? []) io.warning(`Preflight settings: ${w}`)
  const settings = repoSettings?.settings
  const change = settings ? withoutIgnoredPaths(o.change, settings.pathsIgnore) : o.change
  const personas = settings ? applyPersonaSettings(o.personas, settings, o.forced) : o.personas

  const provider = config.modelProvider ?? 'anthropic'
  const model =
    (config.anthropicApiKey || provider !== 'anthropic') && !o.rulesOnly
      ? createAgentRunner({
          apiKey: config.anthropicApiKey ?? '',
          client: provider === 'anthropic' ? undefined : createProviderClient(provider, process.env),
          baseUrl: ctx.anthropicBaseUrl,
          model: config.model,
          maxInputTokens: config.maxInputTokens,
          log: io
        })
      : undefined
  // A model failure (a wrong key, an unknown model) is a warning annotation, not only a line in the summary.
  const runner = model && guardRunner(model, { modelPathsIgnore: config.modelPathsIgnore ?? [], onFailure: (name, error) => io.warning(`Preflight: the model review by ${name} failed (${error}); the review stands on the rules`) })
  if (o.rulesOnly) io.notice(`Preflight: dependency update by ${o.rulesOnly}: rules only, no model; nothing is posted unless a rule finds something.`)
  else if (!runner) io.notice('Preflight: no anthropic-api-key, so the review is deterministic (rules only).')

  const review = await runReviewPipeline(change, personas, {
    maxAgents: o.maxAgents,
    forced: o.forced,
    changedSince: o.changedSince,
    agentRunner: runner,
    maxCostUsd: config.maxCostUsd,
    maxComments: settings?.maxComments ?? config.maxComments,
    question: o.question,
    settings,
    baseline: repoSettings?.baseline
  })
  if (!runner && review.agents.length) review.messages.unshift(o.rulesOnly ? `Dependency update by ${o.rulesOnly}: rules only, no model.` : NO_KEY_MESSAGE)
  const secrets = review.secretValues

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
  const buildSummary = (extras: SummaryExtras): string =>
    redact(renderSummary(review, { ...extras, blobUrl, headline }), secrets) + '\n' + stateMarker({ lastReviewedSha: headSha, version: VERSION })

  const event = config.reviewEvent === 'REQUEST_CHANGES' && review.verdict === 'fail' ? 'REQUEST_CHANGES' : 'COMMENT'
  let readOnly = false
  let delivery: DeliveryReport | undefined
  const deliveryErrors: string[] = []
  let summary = buildSummary({})
  if (review.verdict === 'skipped' && !o.deliverWhenSkipped) {
    io.notice('Preflight: no infrastructure file changed; nothing to post.')
  } else if (o.rulesOnly && review.findings.length === 0 && !o.deliverWhenSkipped) {
    io.notice(`Preflight: dependency update by ${o.rulesOnly}: no finding; nothing to post.`)
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
  return { review, summary, planPaths, readOnly, deliveryErrors, delivery, settings }
}

/** Annotations where comments could not go, the job summary, SARIF, outputs and fail-on. */
export async function finishReview(config: Config, ctx: RunContext, pullNumber: number, r: Reviewed, io: ActionIo): Promise<void> {
  const { review } = r
  const secrets = review.secretValues

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
  const jobSummary = r.deliveryErrors.length ? `${r.summary}\n\n**Delivery problems**\n\n${r.deliveryErrors.map((e) => `- ${redact(e, secrets)}`).join('\n')}\n` : r.summary
  await io.summary(jobSummary).catch((e: Error) => io.warning(`Preflight: could not write the job summary: ${e.message}`))

  if (config.sarifPath) {
    const sarif = redactDeep(renderSarif([...review.findings, ...(review.suppressed ?? [])], { version: VERSION, rules: [...ALL_RULES, ...SETTINGS_RULES] }), secrets)
    await io.writeWorkspaceFile(ctx.workspace, config.sarifPath, JSON.stringify(sarif, null, 2))
  }

  io.setOutput('verdict', review.verdict)
  io.setOutput('agents', review.agents.map((a) => a.agent.persona.name).join(','))
  io.setOutput('findings', review.findings.length)
  io.setOutput('plan-path', r.planPaths.join(','))
  io.setOutput('summary-path', summaryPath)
  io.setOutput('cost-usd', review.usage.costUsd.toFixed(4))
  io.info(`Preflight: verdict ${review.verdict}, ${review.findings.length} findings, ${review.comments.length} inline comment candidates, personas: ${review.agents.map((a) => a.agent.persona.name).join(', ') || 'none'}`)

  const failOn = r.settings?.failOn ?? config.failOn
  const failing = review.findings.filter((f) => meetsFailOn(f.severity, failOn))
  // A GitHub outage is reported (error annotations, job summary) but is not the change's fault,
  // so only fail-on decides the job's result.
  if (failing.length) io.setFailed(`Preflight: ${failing.length} finding(s) at or above fail-on '${failOn}'`)
}
