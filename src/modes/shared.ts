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
import type { Settings } from '../settings/types.js'
import { countedFindings } from '../checklist/verdict.js'
import { hasImports, readImports } from '../import/index.js'
import { DEFAULT_SETTINGS } from '../settings/types.js'
import { describeError, type GitHubClient } from '../github/client.js'
import { loadPersonaFiles, readFileAt } from '../github/pull-request.js'
import { deliverReview, findSummaryComment, type DeliveryReport, type SummaryComment } from '../github/deliver.js'
import { parseStateMarker, summaryHeader, type SummaryState } from '../render/markers.js'
import { createModelCache, fitModelCache, readModelCacheEntries, type RunModelCache } from '../llm/cache-key.js'
import { loadPersonaSet } from '../agents/loader.js'
import { readBundledPersonas } from '../agents/bundled.js'
import { runReviewPipeline, type ReviewResult } from './pipeline.js'
import { resultFileText } from './result-file.js'
import { MAX_SUMMARY_CHARS, renderJobSummary, renderSummary, type SummaryExtras } from '../render/summary.js'
import { renderPlan } from '../render/plan.js'
import { sarifText } from '../render/sarif.js'
import { redact, redactDeep } from '../redact.js'
import { mdText } from '../render/escape.js'
import { ALL_RULES } from '../rules/index.js'
import { SETTINGS_RULES } from '../settings/apply.js'
import { createAgentRunner } from '../llm/runner.js'
import { createProviderClient } from '../llm/providers.js'
import { VERSION } from '../version.js'
import { loadRepositorySettings, readFromCommit, type ReadText } from '../settings/repository.js'
import { readBaseFiles } from '../github/graphql-read.js'
import { guardRunner, withoutIgnoredPaths } from '../settings/run.js'

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
  /** Model results reused from the previous run: calls saved and what they had cost then. */
  reused?: { calls: number; costUsd: number }
  /** The repository settings the run used (read at the base commit). */
  settings?: Settings
}

/** The summary comment's size budget (GitHub's limit is 65,536); the remembered model results take what the text leaves. */
const SUMMARY_BUDGET_CHARS = 60_000
/** Refused fingerprints kept at most (16 hex characters each). */
const MAX_REFUSED = 300

/** What the previous run remembered, from its summary's state. */
function previousState(summary: SummaryComment | null | undefined): SummaryState | undefined {
  if (!summary) return undefined
  return summary.state ?? parseStateMarker(summary.body)
}

/** Fingerprints GitHub refused on `headSha` in the previous run. */
function refusedOn(state: SummaryState | undefined, headSha: string): Set<string> | undefined {
  const refused = state?.refused as { sha?: unknown; fps?: unknown } | undefined
  if (!refused || refused.sha !== headSha || !Array.isArray(refused.fps)) return undefined
  return new Set(refused.fps.filter((f): f is string => typeof f === 'string' && /^[0-9a-f]{8,64}$/.test(f)))
}

/**
 * The settings and baseline files at the base commit, from the one GraphQL request the personas
 * also use; when that request failed, through REST, where a failure stops the run (carrying on
 * with defaults would quietly drop the repository's gate).
 */
async function baseFileReader(client: GitHubClient, config: Config, ctx: RunContext, baseSha: string, io: ActionIo): Promise<ReadText> {
  const base = await readBaseFiles(client, { owner: ctx.owner, repo: ctx.repo, ref: baseSha, personaDirs: config.agentsDirs, rest: readFileAt, log: io })
  if (base.failed) return readFromCommit(client, { owner: ctx.owner, repo: ctx.repo, ref: baseSha })
  return async (path) => (base.settings?.path === path ? base.settings.text : base.baseline?.path === path ? base.baseline.text : undefined)
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
  /** Light mode (a dependency bot's pull request, named here): rules only, no model, and nothing posted unless something is found. */
  rulesOnly?: string
}

/** The summary's hidden state keeps at most this many inline comment fingerprints. */
const MAX_INLINE_STATE = 300

/** Runs the pipeline, writes the plan files and delivers the review and the sticky summary. */
export async function reviewAndDeliver(client: GitHubClient, config: Config, ctx: RunContext, o: ReviewAndDeliverOptions, io: ActionIo): Promise<Reviewed> {
  const { owner, repo } = ctx
  const { pullNumber, headSha, headline } = o
  // Settings and baseline come from the base commit, like the personas.
  const repoSettings = o.change.baseSha ? await loadRepositorySettings(await baseFileReader(client, config, ctx, o.change.baseSha, io), settingsInputsOf(config)) : undefined
  for (const w of repoSettings?.warnings ?? []) io.warning(`Preflight settings: ${w}`)
  const settings = repoSettings?.settings
  const change = settings ? withoutIgnoredPaths(o.change, settings.pathsIgnore) : o.change

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

  // The summary is looked up once, before the pipeline: its state holds what the last run
  // remembered (model results, refused comments), and delivery edits it in place.
  let existingSummary = o.existingSummary
  if (existingSummary === undefined) {
    try {
      existingSummary = (await findSummaryComment(client, { owner, repo, number: pullNumber, botLogin: config.botLogin })) ?? null
    } catch {
      // Delivery looks again and reports the failure.
    }
  }
  const before = previousState(existingSummary)
  const modelCache: RunModelCache | undefined = runner
    ? createModelCache(readModelCacheEntries(before?.models), { model: config.model, maxInputTokens: config.maxInputTokens })
    : undefined

  // Other tools' output from earlier steps of the job (SARIF, a Terraform plan, Infracost).
  const importInputs = { sarif: config.importSarif ?? [], terraformPlan: config.terraformPlanJson, infracost: config.infracostJson }
  const imports = hasImports(importInputs)
    ? await readImports(importInputs, {
        root: ctx.workspace,
        knownPaths: new Set(change.files.map((f) => f.path)),
        files: change.files.flatMap((f) => (f.content === undefined ? [] : [{ path: f.path, kind: f.kind, content: f.content }])),
        cost: settings?.cost ?? DEFAULT_SETTINGS.cost
      })
    : undefined
  for (const n of imports?.notes ?? []) io.warning(`Preflight: ${n.message}`)
  // Rule links point at the catalogue of the repository the action runs from.
  const rulesDocUrl = ctx.actionRepository ? `${ctx.serverUrl}/${ctx.actionRepository}/blob/${ctx.actionRef || 'main'}/docs/rules.md` : undefined

  const review = await runReviewPipeline(change, o.personas, {
    repository: ctx.owner && ctx.repo ? `${ctx.owner}/${ctx.repo}` : undefined,
    imports,
    rulesDocUrl,
    maxAgents: o.maxAgents,
    forced: o.forced,
    changedSince: o.changedSince,
    agentRunner: runner,
    modelCache,
    maxCostUsd: config.maxCostUsd,
    maxComments: settings?.maxComments ?? config.maxComments,
    helmRenderedDir: config.helmRenderedDir,
    question: o.question,
    settings,
    baseline: repoSettings?.baseline,
    previousState: before
  })
  if (!runner && review.agents.length) review.messages.unshift(o.rulesOnly ? `Dependency update by ${o.rulesOnly}: rules only, no model.` : NO_KEY_MESSAGE)
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

  if (modelCache?.hits) io.info(`Preflight: ${modelCache.hits} persona review(s) reused from the previous run (same prompt, model and persona); no model call made for them.`)

  const blobUrl = `${ctx.serverUrl}/${owner}/${repo}/blob/${headSha}`
  let refused: string[] = [...(refusedOn(before, headSha) ?? [])].sort()
  const inline = Object.fromEntries(Object.entries(review.inlineState).slice(0, MAX_INLINE_STATE))
  const buildSummary = (extras: SummaryExtras): string => {
    const state: SummaryState = { lastReviewedSha: headSha, version: VERSION, ...(Object.keys(inline).length ? { inline } : {}) }
    if (refused.length) state.refused = { sha: headSha, fps: refused.slice(0, MAX_REFUSED) }
    if (modelCache) {
      // Remembered model results take at most a third of the comment, so the review itself always fits.
      const models = fitModelCache(redactDeep(modelCache.entries(), secrets), Math.floor(SUMMARY_BUDGET_CHARS / 3) - summaryHeader(state).length)
      if (Object.keys(models).length) state.models = models
    }
    // The hidden markers come first (lines 1 and 2), so no truncation can drop them; the whole
    // comment, hidden state included, stays under 60,000 characters (GitHub allows 65,536).
    const header = summaryHeader(state)
    const maxChars = Math.min(MAX_SUMMARY_CHARS, SUMMARY_BUDGET_CHARS - header.length - 200)
    return header + '\n' + redact(renderSummary(review, { ...extras, blobUrl, headline, maxChars }), secrets)
  }

  const event = config.reviewEvent === 'REQUEST_CHANGES' && review.verdict === 'fail' ? 'REQUEST_CHANGES' : 'COMMENT'
  let readOnly = false
  let delivery: DeliveryReport | undefined
  const deliveryErrors: string[] = []
  let summary = buildSummary({})
  if (config.resultPath) {
    // Two-stage review of a fork: this job only computes; a workflow_run job posts the file.
    await io.writeWorkspaceFile(ctx.workspace, config.resultPath, resultFileText(review, { number: pullNumber, headSha }))
    io.notice(`Preflight: the review was written to ${config.resultPath} for a later post step; nothing is posted by this job.`)
  } else if (review.verdict === 'skipped' && !o.deliverWhenSkipped) {
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
          refused = r.refusedFingerprints
          summary = buildSummary({ failedComments: r.failedComments, postedComments: r.postedComments, duplicateComments: r.duplicateComments })
          return summary
        },
        existingSummary,
        refusedBefore: refusedOn(before, headSha),
        updates: review.inlineUpdates.map((u) => ({ ...u, body: redact(u.body, secrets) })),
        fixed: review.inlineFixed,
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
  const reused = modelCache?.hits ? { calls: modelCache.hits, costUsd: modelCache.reusedCostUsd } : undefined
  return { review, summary, planPaths, readOnly, deliveryErrors, delivery, reused, settings }
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
    const sarif = sarifText([...review.findings, ...(review.suppressed ?? [])], { version: VERSION, rules: [...ALL_RULES, ...SETTINGS_RULES] }, secrets)
    // The review is posted by now: a bad path costs the SARIF file, not the job.
    await io
      .writeWorkspaceFile(ctx.workspace, config.sarifPath, sarif)
      .catch((e: Error) => io.warning(`Preflight: SARIF not written (input 'sarif-path': ${e.message}); use a path inside the workspace.`))
  }

  io.setOutput('verdict', review.verdict)
  io.setOutput('agents', review.agents.map((a) => a.agent.persona.name).join(','))
  // One definition of what counts (checklist/verdict.ts) for the verdict, the output and fail-on.
  const counted = countedFindings(review.findings, new Set(review.files.map((f) => f.path)))
  io.setOutput('findings', counted.length)
  io.setOutput('plan-path', r.planPaths.join(','))
  io.setOutput('summary-path', summaryPath)
  // What this run spent: results reused from the previous run were paid for then.
  io.setOutput('cost-usd', Math.max(0, review.usage.costUsd - (r.reused?.costUsd ?? 0)).toFixed(4))
  io.info(`Preflight: verdict ${review.verdict}, ${counted.length} findings, ${review.comments.length} inline comment candidates, personas: ${review.agents.map((a) => a.agent.persona.name).join(', ') || 'none'}`)

  const failOn = r.settings?.failOn ?? config.failOn
  const failing = counted.filter((f) => meetsFailOn(f.severity, failOn))
  // A GitHub outage is reported (error annotations, job summary) but is not the change's fault,
  // so only fail-on decides the job's result.
  if (failing.length) io.setFailed(`Preflight: ${failing.length} finding(s) at or above fail-on '${failOn}'`)
}
