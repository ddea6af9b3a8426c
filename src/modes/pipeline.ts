/**
 * The review pipeline between the edges: change set → route → analyze → (agent run) →
 * checklist → comments and plans. Shared by the action's review and command modes and by
 * `preflight review`. It does no I/O of its own except through the optional agent runner.
 */
import type { AgentOutcome, ChangeSet, ChecklistResult, CostReport, Finding, Persona, ReviewResult, Severity, SourceFile, Usage } from '../types.js'
import { SEVERITY_RANK, ZERO_USAGE } from '../types.js'
import { routeAgents, routeInputOf } from '../agents/route.js'
import { applyPersonaSettings, applyTargets } from '../agents/targets.js'
import { analyzeFiles, ALL_RULES, compareFindings } from '../rules/index.js'
import { scanPatchSecrets } from '../rules/secrets.js'
import { redactSource } from '../redact.js'
import { evaluateChecklist, mergeModelVerdicts } from '../checklist/evaluate.js'
import { decideVerdict, unanalysedInfraPaths, verdictReason } from '../checklist/verdict.js'
import { addedLines, commentableLines } from '../changes/diff.js'
import type { AgentRunner, ModelComment } from '../llm/types.js'
import type { ModelCache } from '../llm/cache-key.js'
import { isFailure } from '../llm/types.js'
import { addUsage } from '../llm/pricing.js'
import { planInlineComments } from '../render/inline.js'
import { buildDeterministicPlan } from '../render/plan.js'
import type { PlanDocument } from '../render/plan-types.js'
import type { Settings } from '../settings/types.js'
import { DEFAULT_SETTINGS } from '../settings/types.js'
import type { SummaryState } from '../render/markers.js'

// The result types live in src/types.ts so render/ does not depend on modes/.
export type { AgentOutcome, ReviewResult } from '../types.js'
import { settleAnalysis } from '../settings/apply.js'
import { withImports, type Imports } from '../import/index.js'
import { formatMoney } from '../import/decimal.js'
import { anchorOf } from '../render/comment.js'

export interface ReviewOptions {
  /** `owner/name` of the reviewed repository, when known (its own actions are not third-party code). */
  repository?: string
  maxAgents: number
  /** Personas to run regardless of triggers. */
  forced: string[]
  /** Incremental review: per path, the lines changed since the last reviewed commit. */
  changedSince?: Map<string, Set<number>>
  agentRunner?: AgentRunner
  /** Model results of an earlier run with the same prompt: a hit replaces the model call. */
  modelCache?: ModelCache
  /** Stops further model calls once reached. */
  maxCostUsd?: number
  /** At most this many inline comments (most severe first); the rest go to the summary. */
  maxComments?: number
  question?: string
  /** Manifests rendered from the changed Helm charts by an earlier step. */
  helmRenderedDir?: string
  /** Repository settings (`min-inline-severity`, personas, targets, …); the built-in defaults when absent. */
  settings?: Settings
  /** Paths of the repository at head, when the caller can list them (the model sees the nearest 500). */
  repositoryPaths?: string[]
  /** The state the previous run left in the summary: which inline comments it posted. */
  previousState?: SummaryState
  /** Fingerprints from the baseline file. */
  baseline?: Set<string>
  /** Other tools' results (SARIF, Terraform plan, Infracost), read by the caller. */
  imports?: Imports
  /** The rule catalogue of the action's own repository (links in comments). */
  rulesDocUrl?: string
}

export async function runReviewPipeline(change: ChangeSet, personas: Persona[], options: ReviewOptions): Promise<ReviewResult> {
  const routeInput = routeInputOf(change)
  const files = routeInput.files
  const settings = options.settings ?? DEFAULT_SETTINGS
  const enabled = applyPersonaSettings(personas, settings, options.forced)
  const routed = routeAgents(enabled.personas, routeInput, { maxAgents: options.maxAgents, forced: options.forced })
  for (const agent of routed.agents) agent.persona = applyTargets(agent.persona, settings, files.map((f) => f.path))
  const messages = [...enabled.warnings, ...routed.warnings]

  const sources: SourceFile[] = change.files
    .filter((f) => f.status !== 'removed' && f.content !== undefined)
    .map((f) => ({ path: f.path, kind: f.kind, content: f.content as string }))
  // Context (the rest of a changed file's module or folder, the plan's variable values) is analysed with the change, never reported on.
  const context = [...(change.context ?? []), ...(options.imports?.contextFiles ?? [])].map((f) => ({ ...f, contextOnly: true }))
  const analysis = await analyzeFiles([...sources, ...context], { helm: { renderedDir: options.helmRenderedDir }, repository: options.repository })
  // The diff shows what the file scan did not see (deleted lines, files not read): mask those
  // secrets too, and report the ones on the changed lines of files not read.
  for (const f of change.files.filter((x) => x.patch)) {
    const scan = await scanPatchSecrets(f, f.patch, f.content !== undefined || f.status === 'removed')
    analysis.findings.push(...scan.findings)
    analysis.secrets.push(...scan.locations)
  }
  analysis.findings.sort(compareFindings)
  // A rule's suggestion echoes its source line: one that would commit a secret is dropped.
  for (const f of analysis.findings) if (f.suggestion !== undefined && redactSource(f.path, f.suggestion, analysis.secrets, f.line) !== f.suggestion) delete f.suggestion
  // Other tools' results join before the settings, so suppressions and the changed-files rule apply to them alike.
  if (options.imports) {
    analysis.findings = withImports(analysis.findings, options.imports, ALL_RULES, new Set(change.files.map((f) => f.path))).sort(compareFindings)
    analysis.notes.push(...options.imports.notes)
  }
  if (options.rulesDocUrl) for (const f of analysis.findings) if (!f.source && !f.helpUri) f.helpUri = `${options.rulesDocUrl}#${anchorOf(f.ruleId)}`
  const settled = settleAnalysis(analysis, sources, change, options)
  messages.push(...settled.messages)
  analysis.findings = settled.findings
  const notes = [...change.notes, ...analysis.notes]

  const commentable = new Map<string, Set<number>>()
  const added = new Map<string, Set<number>>()
  for (const f of change.files) {
    commentable.set(f.path, commentableLines(f.patch))
    added.set(f.path, options.changedSince?.get(f.path) ?? (options.changedSince ? new Set() : addedLines(f.patch)))
  }

  let usage: Usage = { ...ZERO_USAGE }
  const modelComments: { comment: ModelComment; model: string }[] = []
  const outcomes: AgentOutcome[] = []

  for (const agent of routed.agents) {
    let checklist = withCostEvidence(evaluateChecklist({ persona: agent.persona, findings: analysis.findings, files: withContent(files, sources), notes, rules: ALL_RULES }), options.imports?.cost)
    let plan = buildDeterministicPlan({ persona: agent.persona, change, findings: analysis.findings, checklist })
    const outcome: AgentOutcome = { agent, checklist, plan }

    if (options.agentRunner) {
      if (options.maxCostUsd !== undefined && usage.costUsd >= options.maxCostUsd) {
        messages.push(`${agent.persona.name}: not run by the model, the cost limit of $${options.maxCostUsd.toFixed(2)} was reached; deterministic review only`)
      } else {
        const request = {
          persona: agent.persona,
          change,
          findings: analysis.findings,
          checklist,
          commentable,
          question: options.question,
          secrets: analysis.secrets,
          added,
          commented: ruleCommentLines(analysis.findings, commentable, added, settings.minInlineSeverity),
          repositoryPaths: options.repositoryPaths,
          checklistIds: [...new Set(routed.agents.flatMap((a) => a.persona.checklist.map((i) => i.id)))]
        }
        const cached = options.modelCache?.get(request)
        const out = cached ?? (await options.agentRunner(request))
        if (!cached && !isFailure(out)) options.modelCache?.put(request, out)
        usage = addUsage(usage, out.usage)
        messages.push(...out.notes.map((n) => `${agent.persona.name}: ${n}`))
        if (isFailure(out)) {
          messages.push(`${agent.persona.name}: model review failed (${out.error}); the deterministic review stands`)
        } else {
          checklist = mergeModelVerdicts(checklist, out.verdicts)
          if (out.plan) plan = mergePlans(plan, out.plan)
          outcome.checklist = checklist
          outcome.plan = plan
          outcome.modelSummary = out.summary
          outcome.answer = out.answer
          outcome.model = out.model
          modelComments.push(...out.comments.map((comment) => ({ comment, model: out.model })))
        }
      }
    }
    outcomes.push(outcome)
  }

  // One inline comment per (file, resource), most severe first up to the cap; what is left over,
  // or below `min-inline-severity`, is listed in the summary.
  const inline = planInlineComments({
    findings: analysis.findings,
    modelComments,
    commentable,
    added,
    files: new Map(change.files.map((f) => [f.path, { kind: f.kind, content: f.content }])),
    minSeverity: settings.minInlineSeverity,
    maxComments: options.maxComments ?? (options.settings ? settings.maxComments : undefined),
    previous: options.previousState?.inline
  })
  if (inline.overflow) {
    const limit = options.maxComments ?? settings.maxComments
    messages.push(`${inline.overflow} more inline comment${inline.overflow === 1 ? '' : 's'} above the limit of ${limit} per run are listed with the other findings instead`)
  }

  // The verdict rests on the findings of the changed files, never on which personas ran.
  const changedPaths = new Set(change.files.map((f) => f.path))
  const verdictInput = {
    findings: analysis.findings,
    changedPaths,
    infraChanged: files.some((f) => f.kind !== 'other'),
    unanalysedPaths: unanalysedInfraPaths(notes, files)
  }

  return {
    verdict: decideVerdict(verdictInput),
    verdictReason: verdictReason(verdictInput),
    agents: outcomes,
    findings: analysis.findings,
    suppressed: settled.suppressed,
    ...(options.imports?.cost ? { cost: options.imports.cost } : {}),
    comments: inline.comments,
    unanchored: inline.unanchored,
    belowInline: inline.belowInline,
    unanchoredModel: inline.modelOutside,
    notes,
    messages,
    usage,
    secrets: analysis.secrets,
    files,
    inlineUpdates: inline.updates,
    inlineFixed: inline.fixed,
    inlineState: inline.state,
    commentSources: inline.sources
  }
}

/**
 * The model adds to the rules' plan, never replaces it: the rules' steps stay, the model's new
 * steps follow them marked as the model's, and lists are merged without repeats.
 */
export function mergePlans(rules: PlanDocument, model: PlanDocument): PlanDocument {
  const files = rules.files.map((f) => ({ ...f, changes: [...f.changes] }))
  for (const f of model.files) {
    const existing = files.find((x) => x.path === f.path)
    if (existing) existing.changes = [...new Set([...existing.changes, ...f.changes])]
    else files.push({ ...f, changes: [...f.changes] })
  }
  const known = new Set(rules.steps.map((s) => s.title.trim().toLowerCase()))
  const modelSteps = model.steps
    .filter((s) => !known.has(s.title.trim().toLowerCase()))
    .map((s) => ({ ...s, title: `${s.title} (persona review, model)` }))
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])]
  return {
    title: rules.title,
    context: union(rules.context, model.context),
    assumptions: union(rules.assumptions, model.assumptions),
    files,
    steps: [...rules.steps, ...modelSteps],
    rollback: union(rules.rollback, model.rollback),
    verification: union(rules.verification, model.verification),
    risks: union(rules.risks, model.risks),
    openQuestion: model.openQuestion ?? rules.openQuestion
  }
}

/** Per path, the changed lines a rule comment will sit on: the model is told not to repeat them. */
function ruleCommentLines(findings: Finding[], commentable: Map<string, Set<number>>, added: Map<string, Set<number>>, minSeverity: Severity): Map<string, Set<number>> {
  const map = new Map<string, Set<number>>()
  for (const f of findings) {
    if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[minSeverity]) continue
    if (!commentable.get(f.path)?.has(f.line) || !added.get(f.path)?.has(f.line)) continue
    const set = map.get(f.path) ?? new Set<number>()
    set.add(f.line)
    map.set(f.path, set)
  }
  return map
}

/** The changed files with their head content, so the checklist can say what it checked. */
function withContent(files: { path: string; kind: SourceFile['kind'] }[], sources: SourceFile[]): { path: string; kind: SourceFile['kind']; content?: string }[] {
  const content = new Map(sources.map((s) => [s.path, s.content]))
  return files.map((f) => ({ ...f, content: content.get(f.path) }))
}

/** The cost questions cite Infracost's estimate when one was imported (it answers them better than rules). */
function withCostEvidence(items: ChecklistResult[], cost: CostReport | undefined): ChecklistResult[] {
  if (!cost) return items
  const change = cost.diffMonthly !== undefined ? ` (${formatMoney(cost.diffMonthly, cost.currency, true)} from this change)` : ''
  const line = `Infracost: ${formatMoney(cost.monthly, cost.currency)} a month${change}`
  return items.map((i) => (i.topics?.includes('cost-sizing') ? { ...i, evidence: [line, ...i.evidence] } : i))
}
