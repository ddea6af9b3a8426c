/**
 * The scheduled cost audit (`schedule`, `workflow_dispatch`): audit the checked-out workspace,
 * or one shard of it (written as JSON for a later merge), or merge the shards; then keep one
 * audit issue up to date, and write the job summary and outputs.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Config } from '../config.js'
import { meetsFailOn, settingsInputsOf } from '../config.js'
import type { Finding } from '../types.js'
import type { RunContext } from './event.js'
import type { ActionIo } from './action-io.js'
import { createGitHubClient, describeError } from '../github/client.js'
import { compareAudits, deliverAuditIssue, findAuditIssue, parseAuditState, renderIssueBody, stateOf, type AuditIssue } from '../github/audit-issue.js'
import { auditShapeProblem, auditTree, mergeAuditShards, type AuditResult } from '../cost/audit.js'
import { auditNarratives, auditPersonas, type AuditNarrator } from '../cost/narrative.js'
import { isCleanAudit, renderAuditReport } from '../render/audit-report.js'
import { loadPersonaSet } from '../agents/loader.js'
import { readBundledPersonas, readPersonaDir } from '../agents/bundled.js'
import { createAgentRunner } from '../llm/runner.js'
import { isFailure, type AgentRunner } from '../llm/types.js'
import type { ChangeSet } from '../types.js'
import { loadRepositorySettings, readFromDir, type RepositorySettings } from '../settings/repository.js'
import { applySettingsToAudit } from '../settings/audit.js'

export const AUDIT_TITLE = 'Preflight cost audit'

export interface AuditModeOptions {
  /** The model seam: a persona narrative from the agent runner, when one exists. */
  narrator?: AuditNarrator
  /** The clock, for the state's timestamp. */
  now?: () => Date
}

export async function runAuditMode(config: Config, ctx: RunContext, io: ActionIo, merge: boolean, options: AuditModeOptions = {}): Promise<void> {
  // Model spend of this run (the personas' narratives), for the `cost-usd` output.
  const spent = { usd: 0 }
  if (!options.narrator && config.anthropicApiKey && !(config.shardTotal > 1 && !merge)) {
    const runner = createAgentRunner({ apiKey: config.anthropicApiKey, baseUrl: ctx.anthropicBaseUrl, model: config.model, maxInputTokens: config.maxInputTokens, log: io })
    if (runner) options = { ...options, narrator: narratorFromRunner(runner, (usd) => (spent.usd += usd)) }
  }
  // The audit runs on the default branch's checkout: its settings file and baseline apply.
  const repoSettings = merge ? undefined : await loadRepositorySettings(readFromDir(ctx.workspace), settingsInputsOf(config))
  for (const w of repoSettings?.warnings ?? []) io.warning(`Preflight settings: ${w}`)
  if (repoSettings) config = { ...config, pathsIgnore: repoSettings.settings.pathsIgnore, failOn: repoSettings.settings.failOn }
  if (config.shardTotal > 1 && !merge) {
    await writeShard(config, ctx, io, repoSettings)
    return
  }
  const result = merge ? await mergeShardFiles(config, ctx, io) : await settled(ctx.workspace, await auditTree(ctx.workspace, { pathsIgnore: config.pathsIgnore }), repoSettings)
  await deliver(config, ctx, io, result, options)
  io.setOutput('cost-usd', spent.usd.toFixed(4))
}

function settled(root: string, result: AuditResult, repoSettings: RepositorySettings | undefined): Promise<AuditResult> | AuditResult {
  return repoSettings ? applySettingsToAudit(root, result, repoSettings) : result
}

async function writeShard(config: Config, ctx: RunContext, io: ActionIo, repoSettings?: RepositorySettings): Promise<void> {
  const result = await settled(ctx.workspace, await auditTree(ctx.workspace, { pathsIgnore: config.pathsIgnore, shardIndex: config.shardIndex, shardTotal: config.shardTotal }), repoSettings)
  const path = `${config.auditArtifactsDir.replace(/(?<!\/)\/+$/, '')}/shard-${config.shardIndex}.json`
  await io.writeWorkspaceFile(ctx.workspace, path, JSON.stringify(result))
  io.info(`Preflight audit: shard ${config.shardIndex + 1} of ${config.shardTotal}: ${result.stats.files} files, ${result.findings.length} findings, written to ${path}`)
  await io.summary(`### Preflight cost audit — shard ${config.shardIndex + 1} of ${config.shardTotal}\n\n${result.stats.files} files, ${result.findings.length} findings, ${result.estimate.resources.length} priced resources. Merged and delivered by the \`audit-merge\` job.\n`).catch((e: Error) => io.warning(`Preflight: could not write the job summary: ${e.message}`))
  setOutputs(io, result, verdictOf(result.findings))
}

/** Reads every `*.json` in the artifacts folder; a file that is not a shard is an error, not a skip. */
async function mergeShardFiles(config: Config, ctx: RunContext, io: ActionIo): Promise<AuditResult> {
  const dir = resolve(ctx.workspace, config.auditArtifactsDir)
  let names: string[]
  try {
    names = (await readdir(dir, { recursive: true })).filter((n) => n.endsWith('.json')).sort()
  } catch (e) {
    throw new Error(`audit-merge: cannot read the shard folder ${config.auditArtifactsDir}: ${(e as Error).message}`, { cause: e })
  }
  if (!names.length) throw new Error(`audit-merge: no shard JSON in ${config.auditArtifactsDir} (download the shard artifacts there first)`)
  const shards: AuditResult[] = []
  for (const name of names) {
    let value: unknown
    try {
      value = JSON.parse(await readFile(join(dir, name), 'utf8'))
    } catch (e) {
      throw new Error(`audit-merge: ${config.auditArtifactsDir}/${name} is not valid JSON: ${(e as Error).message}`, { cause: e })
    }
    const problem = auditShapeProblem(value)
    if (problem) throw new Error(`audit-merge: ${config.auditArtifactsDir}/${name} is not an audit shard: ${problem}`)
    shards.push(value as AuditResult)
  }
  const totals = new Set(shards.map((s) => s.stats.shard?.total ?? 1))
  const seen = new Set(shards.map((s) => s.stats.shard?.index ?? 0))
  const total = Math.max(...totals)
  if (totals.size > 1) io.warning(`Preflight audit: the shards disagree on their number (${[...totals].join(', ')})`)
  const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !seen.has(i))
  if (missing.length) io.warning(`Preflight audit: shard(s) ${missing.join(', ')} of ${total} are missing; the audit covers the others only.`)
  io.info(`Preflight audit: merging ${shards.length} shard(s)`)
  return mergeAuditShards(shards)
}

/**
 * The persona's narrative through the agent runner: the audit's costliest findings are its
 * evidence (no diff), and its short summary becomes the narrative. A failure falls back to the
 * rules' narrative.
 */
export function narratorFromRunner(runner: AgentRunner, onCost: (usd: number) => void = () => undefined): AuditNarrator {
  return async (persona, audit) => {
    const top = [...audit.findings].sort((a, b) => (b.monthlySavingUsd ?? 0) - (a.monthlySavingUsd ?? 0)).slice(0, 80)
    const e = audit.estimate
    const change: ChangeSet = {
      title: 'Weekly cost audit of the default branch (no diff: judge the findings)',
      body: `Estimated monthly cost $${e.monthlyCostUsd.toFixed(2)}; possible monthly saving $${e.monthlySavingUsd.toFixed(2)}. Assumptions: ${e.assumptions.join('; ')}`,
      labels: [],
      files: [],
      notes: []
    }
    const out = await runner({ persona, change, findings: top, checklist: [], commentable: new Map(), secrets: [] })
    onCost(out.usage.costUsd)
    if (isFailure(out)) throw new Error(out.error)
    return [out.summary, ...(out.plan?.steps ?? []).slice(0, 5).map((s, i) => `${i + 1}. ${s.title}: ${s.detail}`)].filter(Boolean).join('\n')
  }
}

function loadAuditPersonas(config: Config, ctx: RunContext, io: ActionIo) {
  const repository = config.agentsDirs.flatMap((d) => readPersonaDir(join(ctx.workspace, d), ctx.workspace))
  const set = loadPersonaSet(readBundledPersonas(), repository)
  for (const w of set.warnings) io.warning(`Preflight personas: ${w}`)
  const picked = auditPersonas(set.personas, config.agents)
  for (const u of picked.unknown) io.warning(`Preflight audit: no persona named '${u}'`)
  return picked.personas
}

async function deliver(config: Config, ctx: RunContext, io: ActionIo, result: AuditResult, options: AuditModeOptions): Promise<void> {
  const { owner, repo } = ctx
  const errors: string[] = []
  const personas = loadAuditPersonas(config, ctx, io)
  if (!options.narrator) io.notice('Preflight audit: no model narrative (deterministic audit): the personas answer their cost checklists from the findings.')
  const narratives = await auditNarratives(personas, result, options.narrator, (m) => io.warning(`Preflight audit: ${m}`))

  const client = createGitHubClient({ token: config.githubToken, baseUrl: ctx.apiUrl, graphqlUrl: ctx.graphqlUrl, log: io })
  let existing: AuditIssue | undefined
  let lookupFailed = false
  try {
    existing = await findAuditIssue(client, { owner, repo, label: config.auditLabel, botLogin: config.botLogin })
  } catch (e) {
    lookupFailed = true
    errors.push(`finding the audit issue failed: ${describeError(e)}`)
  }
  const changes = compareAudits(result.findings, parseAuditState(existing?.body))
  const blobUrl = ctx.sha ? `${ctx.serverUrl}/${owner}/${repo}/blob/${ctx.sha}` : undefined
  const report = renderAuditReport(result, { narratives, changes, blobUrl })
  const clean = isCleanAudit(result)
  const at = (options.now?.() ?? new Date()).toISOString()
  let issueNumber: number | undefined

  // Without knowing whether the issue exists, creating one could duplicate it: report instead.
  if (!lookupFailed) {
    try {
      const done = await deliverAuditIssue(client, {
        owner,
        repo,
        label: config.auditLabel,
        title: AUDIT_TITLE,
        body: renderIssueBody(report, stateOf(result.findings, at)),
        clean,
        closeWhenClean: config.auditCloseWhenClean,
        existing,
        botLogin: config.botLogin,
        log: io
      })
      issueNumber = done.number
      io.info(`Preflight audit: issue ${done.action}${done.number ? ` (#${done.number})` : ''}`)
    } catch (e) {
      errors.push(`writing the audit issue failed: ${describeError(e)}`)
    }
  }

  for (const e of errors) io.error(`Preflight audit: ${e}`)
  const link = issueNumber ? `\n\nAudit issue: ${ctx.serverUrl}/${owner}/${repo}/issues/${issueNumber}\n` : ''
  const problems = errors.length ? `\n\n**Delivery problems**\n\n${errors.map((e) => `- ${e}`).join('\n')}\n` : ''
  await io.summary(report + link + problems).catch((e: Error) => io.warning(`Preflight: could not write the job summary: ${e.message}`))

  setOutputs(io, result, verdictOf(result.findings))
  io.setOutput('agents', personas.map((p) => p.name).join(','))
  if (issueNumber) io.setOutput('issue-number', issueNumber)
  io.info(`Preflight audit: ${result.findings.length} findings in ${result.stats.files} files; estimated $${result.estimate.monthlyCostUsd.toFixed(2)}/month, possible saving $${result.estimate.monthlySavingUsd.toFixed(2)}/month`)

  const failing = result.findings.filter((f) => meetsFailOn(f.severity, config.failOn))
  if (errors.length) io.setFailed(`Preflight audit: the audit ran but could not be delivered (${errors.length} problem(s)); see the job summary`)
  else if (failing.length) io.setFailed(`Preflight: ${failing.length} finding(s) at or above fail-on '${config.failOn}'`)
}

export function verdictOf(findings: Finding[]): 'pass' | 'warn' | 'fail' {
  if (findings.some((f) => f.severity === 'critical' || f.severity === 'high')) return 'fail'
  return findings.some((f) => f.severity !== 'info') ? 'warn' : 'pass'
}

function setOutputs(io: ActionIo, result: AuditResult, verdict: string): void {
  io.setOutput('verdict', verdict)
  io.setOutput('findings', result.findings.length)
  io.setOutput('monthly-saving-usd', result.estimate.monthlySavingUsd.toFixed(2))
  io.setOutput('monthly-cost-usd', result.estimate.monthlyCostUsd.toFixed(2))
  io.setOutput('cost-usd', '0.0000')
  io.setOutput('agents', '')
}
