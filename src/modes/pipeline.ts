/**
 * The review pipeline between the edges: change set → route → analyze → (agent run) →
 * checklist → comments and plans. Shared by the action's review and command modes and by
 * `preflight review`. It does no I/O of its own except through the optional agent runner.
 */
import type { ChangeSet, ChecklistResult, FileNote, Finding, Persona, ReviewComment, RoutedAgent, SecretLocation, SourceFile, Usage } from '../types.js'
import { SEVERITY_RANK, ZERO_USAGE } from '../types.js'
import { routeAgents, routeInputOf } from '../agents/route.js'
import { analyzeFiles, ALL_RULES, compareFindings } from '../rules/index.js'
import { scanPatchSecrets } from '../rules/secrets.js'
import { redactSource } from '../redact.js'
import { evaluateChecklist, mergeModelVerdicts, verdictOf } from '../checklist/evaluate.js'
import { addedLines, commentableLines } from '../changes/diff.js'
import type { AgentRunner, AgentReviewOutput, ModelComment } from '../llm/types.js'
import { isFailure } from '../llm/types.js'
import { addUsage } from '../llm/pricing.js'
import { commentForFinding, commentForModel } from '../render/comment.js'
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
  const routed = routeAgents(personas, routeInput, { maxAgents: options.maxAgents, forced: options.forced })
  const messages = [...routed.warnings]

  const sources: SourceFile[] = change.files
    .filter((f) => f.status !== 'removed' && f.content !== undefined)
    .map((f) => ({ path: f.path, kind: f.kind, content: f.content as string }))
  const analysis = await analyzeFiles(sources)
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
    let checklist = evaluateChecklist({ persona: agent.persona, findings: analysis.findings, files, notes, rules: ALL_RULES })
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
          secrets: analysis.secrets
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
          placeModelComments(out, commentable, added, analysis.findings, modelComments, unanchoredModel, sourceOf)
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

function placeModelComments(
  out: AgentReviewOutput,
  commentable: Map<string, Set<number>>,
  added: Map<string, Set<number>>,
  findings: Finding[],
  into: ReviewComment[],
  outside: ModelComment[],
  sourceOf: Map<ReviewComment, Finding | ModelComment>
): void {
  for (const c of out.comments) {
    if (!commentable.get(c.path)?.has(c.line) || !added.get(c.path)?.has(c.line)) {
      outside.push(c)
      continue
    }
    // A model comment on the line of a deterministic finding of the same category repeats it.
    if (findings.some((f) => f.path === c.path && f.line === c.line && f.category === c.category)) continue
    if (into.some((x) => x.path === c.path && x.line === c.line)) continue
    const comment = commentForModel(c, out.model)
    into.push(comment)
    sourceOf.set(comment, c)
  }
}

function mergePlans(rules: PlanDocument, model: PlanDocument): PlanDocument {
  const files = [...model.files]
  for (const f of rules.files) {
    const existing = files.find((x) => x.path === f.path)
    if (existing) existing.changes = [...new Set([...existing.changes, ...f.changes])]
    else files.push(f)
  }
  return {
    ...model,
    title: rules.title,
    files,
    steps: model.steps.length ? model.steps : rules.steps,
    rollback: model.rollback.length ? model.rollback : rules.rollback,
    verification: model.verification.length ? model.verification : rules.verification
  }
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

