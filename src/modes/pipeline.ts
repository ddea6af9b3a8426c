/**
 * The review pipeline between the edges: change set → route → analyze → (agent run) →
 * checklist → comments and plans. Shared by the action's review and command modes and by
 * `preflight review`. It does no I/O of its own except through the optional agent runner.
 */
import type { ChangeSet, ChecklistResult, FileNote, Finding, Persona, ReviewComment, RoutedAgent, SecretLocation, SourceFile, Usage } from '../types.js'
import { SEVERITY_RANK, ZERO_USAGE } from '../types.js'
import { routeAgents, routeInputOf } from '../agents/route.js'
import { applyPersonaSettings, applyTargets } from '../agents/targets.js'
import { DEFAULT_SETTINGS, type Settings } from '../settings/types.js'
import { analyzeFiles, ALL_RULES, compareFindings } from '../rules/index.js'
import { scanPatchSecrets } from '../rules/secrets.js'
import { evaluateChecklist, mergeModelVerdicts, verdictOf } from '../checklist/evaluate.js'
import { addedLines, commentableLines } from '../changes/diff.js'
import type { AgentRunner, ModelComment } from '../llm/types.js'
import { isFailure } from '../llm/types.js'
import { addUsage } from '../llm/pricing.js'
import { commentForFinding } from '../render/comment.js'
import { mergedModelComments, mergePlans, placeModelComments } from '../llm/merge.js'
import { buildDeterministicPlan } from '../render/plan.js'
import type { PlanDocument } from '../render/plan-types.js'

export interface ReviewOptions {
  maxAgents: number
  /** Personas to run regardless of triggers. */
  forced: string[]
  /** Incremental review: per path, the lines changed since the last reviewed commit. */
  changedSince?: Map<string, Set<number>>
  agentRunner?: AgentRunner
  /** Stops further model calls once reached. */
  maxCostUsd?: number
  /** At most this many inline comments (most severe first); the rest go to the summary. */
  maxComments?: number
  question?: string
  /** Manifests rendered from the changed Helm charts by an earlier step. */
  helmRenderedDir?: string
  /** Repository settings: persona enable/model and the targets rendered into checklists. */
  settings?: Settings
  /** Paths of the repository at head, when the caller can list them (the model sees the nearest 500). */
  repositoryPaths?: string[]
}

export interface AgentOutcome {
  agent: RoutedAgent
  checklist: ChecklistResult[]
  plan: PlanDocument
  /** The model's summary and answer, when a model ran. */
  modelSummary?: string
  answer?: string
  model?: string
}

export interface ReviewResult {
  verdict: 'pass' | 'warn' | 'fail' | 'skipped'
  agents: AgentOutcome[]
  /** All findings on the changed files. */
  findings: Finding[]
  /** Inline comments, on commentable lines only. */
  comments: ReviewComment[]
  /** Findings on changed files that cannot carry an inline comment (summary material). */
  unanchored: Finding[]
  /** Model comments that pointed outside the diff. */
  unanchoredModel: ModelComment[]
  notes: FileNote[]
  /** Messages for the reader: routing warnings, model fallbacks, budget cuts. */
  messages: string[]
  usage: Usage
  secrets: SecretLocation[]
  files: { path: string; kind: SourceFile['kind'] }[]
}

export async function runReviewPipeline(change: ChangeSet, personas: Persona[], options: ReviewOptions): Promise<ReviewResult> {
  const routeInput = routeInputOf(change)
  const files = routeInput.files
  const settings = options.settings ?? DEFAULT_SETTINGS
  const enabled = applyPersonaSettings(personas, settings)
  const routed = routeAgents(enabled.personas, routeInput, { maxAgents: options.maxAgents, forced: options.forced })
  const changedPaths = files.map((f) => f.path)
  for (const agent of routed.agents) agent.persona = applyTargets(agent.persona, settings, changedPaths)
  const messages = [...enabled.warnings, ...routed.warnings]

  const sources: SourceFile[] = change.files
    .filter((f) => f.status !== 'removed' && f.content !== undefined)
    .map((f) => ({ path: f.path, kind: f.kind, content: f.content as string }))
  const analysis = await analyzeFiles(sources, { helm: { renderedDir: options.helmRenderedDir } })
  // Files not read still show their diff: their secrets are findings and are masked like the rest.
  for (const f of change.files.filter((x) => x.content === undefined && x.status !== 'removed' && x.patch)) {
    const scan = await scanPatchSecrets(f, f.patch)
    analysis.findings.push(...scan.findings)
    analysis.secrets.push(...scan.locations)
  }
  analysis.findings.sort(compareFindings)
  const notes = [...change.notes, ...analysis.notes]

  const commentable = new Map<string, Set<number>>()
  const added = new Map<string, Set<number>>()
  for (const f of change.files) {
    commentable.set(f.path, commentableLines(f.patch))
    added.set(f.path, options.changedSince?.get(f.path) ?? (options.changedSince ? new Set() : addedLines(f.patch)))
  }

  const anchored = anchorFindings(analysis.findings, commentable, added)
  const { comments, unanchored } = anchored
  /** What each inline comment was made from, to list it in the summary if it is not posted. */
  const sourceOf = new Map<ReviewComment, Finding | ModelComment>(anchored.sources)

  let usage: Usage = { ...ZERO_USAGE }
  const unanchoredModel: ModelComment[] = []
  const modelComments: ReviewComment[] = []
  const outcomes: AgentOutcome[] = []

  for (const agent of routed.agents) {
    let checklist = evaluateChecklist({ persona: agent.persona, findings: analysis.findings, files: withContent(files, sources), notes, rules: ALL_RULES })
    let plan = buildDeterministicPlan({ persona: agent.persona, change, findings: analysis.findings, checklist })
    const outcome: AgentOutcome = { agent, checklist, plan }

    if (options.agentRunner) {
      if (options.maxCostUsd !== undefined && usage.costUsd >= options.maxCostUsd) {
        messages.push(`${agent.persona.name}: not run by the model, the cost limit of $${options.maxCostUsd.toFixed(2)} was reached; deterministic review only`)
      } else {
        const out = await options.agentRunner({
          persona: agent.persona,
          change,
          findings: analysis.findings,
          checklist,
          commentable,
          question: options.question,
          secrets: analysis.secrets,
          added,
          commented: linesOf(comments),
          repositoryPaths: options.repositoryPaths,
          checklistIds: [...new Set(routed.agents.flatMap((a) => a.persona.checklist.map((i) => i.id)))]
        })
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
          placeModelComments({ out, persona: agent.persona.displayName, commentable, added, threads: comments, into: modelComments, outside: unanchoredModel, sourceOf })
        }
      }
    }
    outcomes.push(outcome)
  }

  // Inline comments are capped, most severe first, so a large pull request gets one or two
  // review calls instead of dozens; what is left over is listed in the summary.
  const ranked = [...comments, ...modelComments].sort(compareComments)
  const limit = options.maxComments ?? Number.POSITIVE_INFINITY
  const kept = ranked.slice(0, limit)
  const overflow = ranked.slice(kept.length)
  if (overflow.length) {
    for (const c of overflow) {
      const source = sourceOf.get(c)
      if (source && 'ruleId' in source) unanchored.push(source)
      else if (source) unanchoredModel.push(source)
      unanchoredModel.push(...mergedModelComments(c))
    }
    messages.push(`${overflow.length} more inline comment${overflow.length === 1 ? '' : 's'} above the limit of ${limit} per run are listed with the other findings instead`)
  }

  const allChecklist = outcomes.flatMap((o) => o.checklist)
  const infraChanged = files.some((f) => f.kind !== 'other')
  const verdict = outcomes.length === 0 ? (infraChanged ? verdictFromFindings(analysis.findings) : 'skipped') : verdictOf(allChecklist)

  return {
    verdict,
    agents: outcomes,
    findings: analysis.findings,
    comments: kept,
    unanchored,
    unanchoredModel,
    notes,
    messages,
    usage,
    secrets: analysis.secrets,
    files
  }
}

/**
 * A finding becomes an inline comment when its line was added by the change and is commentable;
 * a suggestion spanning several lines needs every line of the span commentable.
 */
export function anchorFindings(
  findings: Finding[],
  commentable: Map<string, Set<number>>,
  added: Map<string, Set<number>>
): { comments: ReviewComment[]; unanchored: Finding[]; sources: Map<ReviewComment, Finding> } {
  const comments: ReviewComment[] = []
  const unanchored: Finding[] = []
  const sources = new Map<ReviewComment, Finding>()
  for (const f of findings) {
    const lines = commentable.get(f.path)
    const fresh = added.get(f.path)
    const end = f.endLine ?? f.line
    let touched = false
    for (let l = f.line; l <= end && !touched; l++) touched = fresh?.has(l) ?? false
    if (!lines || !touched || !lines.has(f.line)) {
      unanchored.push(f)
      continue
    }
    let spanOk = true
    for (let l = f.line; l <= end; l++) if (!lines.has(l)) spanOk = false
    const comment = commentForFinding(f, spanOk)
    comments.push(comment)
    sources.set(comment, f)
  }
  return { comments, unanchored, sources }
}

/** Per path, the lines (and spans) that carry an inline comment. */
function linesOf(comments: ReviewComment[]): Map<string, Set<number>> {
  const map = new Map<string, Set<number>>()
  for (const c of comments) {
    const set = map.get(c.path) ?? new Set<number>()
    for (let l = c.startLine ?? c.line; l <= c.line; l++) set.add(l)
    map.set(c.path, set)
  }
  return map
}

/** The changed files with their head content, so the checklist can say what it checked. */
function withContent(files: { path: string; kind: SourceFile['kind'] }[], sources: SourceFile[]): { path: string; kind: SourceFile['kind']; content?: string }[] {
  const content = new Map(sources.map((s) => [s.path, s.content]))
  return files.map((f) => ({ ...f, content: content.get(f.path) }))
}

function compareComments(a: ReviewComment, b: ReviewComment): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.path.localeCompare(b.path) || a.line - b.line
}

function verdictFromFindings(findings: Finding[]): 'pass' | 'warn' | 'fail' {
  const worst = Math.max(-1, ...findings.map((f) => SEVERITY_RANK[f.severity]))
  if (worst >= SEVERITY_RANK.high) return 'fail'
  if (worst >= SEVERITY_RANK.low) return 'warn'
  return 'pass'
}

