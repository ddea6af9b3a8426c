/**
 * The one tool the model answers through: `submit_review`. Its input schema is the review
 * (at most five comments with a confidence, verdicts for the items the rules left unknown, plan
 * additions, a short summary, the answer). The schema sent to the API is the same for every
 * persona of a run (the checklist-id enum holds the ids of all of them), so the cached prompt
 * prefix (tools come first) is shared; the persona-specific checks happen when it is read back.
 *
 * There is deliberately no field to approve or request changes: the model cannot do either.
 */
import { z } from 'zod'
import { CATEGORIES, SEVERITIES, STATUSES } from '../types.js'
import type { Persona } from '../types.js'
import type { ModelVerdict } from '../checklist/evaluate.js'
import type { PlanDocument } from '../render/plan-types.js'
import type { ModelComment } from './types.js'

export const REVIEW_TOOL_NAME = 'submit_review'

const line = (max: number) => z.string().trim().min(1).max(max)

/** At most this many inline comments per persona: a busy reviewer reads five, not fifty. */
export const MAX_MODEL_COMMENTS = 5

const commentSchema = z.object({
  path: z.string().min(1).max(500).describe('File path exactly as in the file header'),
  line: z.number().int().min(1).describe('A commentable line number of that file'),
  severity: z.enum(SEVERITIES).describe('See the severity rubric'),
  category: z.enum(CATEGORIES),
  confidence: z.number().min(0).max(1).describe('How sure you are that this matters, 0..1; send only 0.7 or more'),
  body: line(2000).describe('What is wrong, why it matters, and the fix, in two or three sentences'),
  suggestion: z.string().max(4000).optional().describe('Replacement text for that single line, only when the fix is mechanical')
})

const verdictSchema = (ids: readonly string[]) =>
  z.object({
    item: (ids.length ? z.enum(ids as [string, ...string[]]) : z.string().min(1).max(100)).describe('Checklist item id (only items that need a verdict)'),
    status: z.enum(STATUSES),
    evidence: line(500).describe('One line: the file:line or reasoning that decides the status')
  })

const planSchema = z
  .object({
    steps: z.array(z.object({ title: line(200), detail: line(2000), verify: line(1000) })).max(10).optional(),
    files: z.array(z.object({ path: z.string().min(1).max(500), changes: z.array(line(1000)).max(10) })).max(30).optional(),
    rollback: z.array(line(1000)).max(10).optional(),
    verification: z.array(line(1000)).max(10).optional(),
    risks: z.array(line(1000)).max(10).optional(),
    context: z.array(line(1000)).max(10).optional(),
    assumptions: z.array(line(1000)).max(10).optional(),
    openQuestion: z.string().max(1000).optional().describe('At most one question for the author; never wait for its answer')
  })
  .describe("Only additions to the rules' plan: steps, rollback and risks the rules missed")

/** The tool input schema; checklist ids are an enum (the run's ids, the same for every persona). */
export function reviewInputSchemaFor(checklistIds: readonly string[]) {
  return z.object({
    comments: z.array(commentSchema).max(MAX_MODEL_COMMENTS).describe(`At most ${MAX_MODEL_COMMENTS} high-confidence inline comments, only on commentable lines`),
    verdicts: z.array(verdictSchema(checklistIds)).max(100).describe('Verdicts for the checklist items that need one'),
    plan: planSchema.optional(),
    summary: line(800).describe('2-3 sentences; the biggest risk of the change first'),
    answer: z.string().max(6000).optional().describe("The answer to the reviewer's question, when one was asked")
  })
}

export const reviewInputSchema = reviewInputSchemaFor([])

export type ReviewInput = z.infer<typeof reviewInputSchema>

/** JSON schema of the tool input (no `$schema` key: the API wants a bare object schema). */
export function reviewInputJsonSchema(checklistIds: readonly string[] = []): Record<string, unknown> {
  const schema = z.toJSONSchema(reviewInputSchemaFor(uniqueSorted(checklistIds))) as Record<string, unknown>
  delete schema.$schema
  return schema
}

export interface ReviewToolDefinition {
  name: string
  description: string
  input_schema: { type: 'object'; [key: string]: unknown }
}

function uniqueSorted(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort()
}

/** The tool; pass every checklist id of the run so that all personas send the same tool. */
export function reviewTool(checklistIds: readonly string[] = []): ReviewToolDefinition {
  return {
    name: REVIEW_TOOL_NAME,
    description:
      'Submit the whole review in one call: at most five high-confidence inline comments, verdicts for the checklist items that need one, ' +
      "additions to the rules' plan, a 2-3 sentence summary and, when a question was asked, the answer. This is the only way to answer.",
    input_schema: reviewInputJsonSchema(checklistIds) as ReviewToolDefinition['input_schema']
  }
}

export interface ParsedReview {
  comments: ModelComment[]
  verdicts: ModelVerdict[]
  plan: PlanDocument
  summary: string
  answer?: string
}

export type ParseResult = { ok: true; value: ParsedReview } | { ok: false; errors: string[] }

/**
 * Reads the tool input back: schema first, then the persona's own ids. Verdicts for items the
 * rules already decided (`decided`) are dropped: the model answers only what the rules could not.
 */
export function parseReviewInput(input: unknown, persona: Persona, planTitle: string, decided: ReadonlySet<string> = new Set()): ParseResult {
  const parsed = reviewInputSchema.safeParse(input)
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`) }
  }
  const v = parsed.data
  const ids = persona.checklist.map((c) => c.id)
  const errors: string[] = []
  const seen = new Set<string>()
  for (const verdict of v.verdicts) {
    if (!ids.includes(verdict.item)) errors.push(`verdicts: "${clip(verdict.item)}" is not a checklist item id of this persona (expected one of: ${ids.join(', ')})`)
    else if (seen.has(verdict.item)) errors.push(`verdicts: item "${verdict.item}" is answered more than once`)
    seen.add(verdict.item)
  }
  if (errors.length) return { ok: false, errors }

  const comments: ModelComment[] = v.comments.map((c) => ({
    path: c.path.replace(/^\.?\//, ''),
    line: c.line,
    severity: c.severity,
    category: c.category,
    body: c.body,
    confidence: c.confidence,
    ...(c.suggestion !== undefined ? { suggestion: c.suggestion } : {})
  }))
  const p = v.plan ?? {}
  const plan: PlanDocument = {
    title: planTitle,
    context: p.context ?? [],
    assumptions: p.assumptions ?? [],
    files: p.files ?? [],
    steps: p.steps ?? [],
    rollback: p.rollback ?? [],
    verification: p.verification ?? [],
    risks: p.risks ?? [],
    ...(p.openQuestion ? { openQuestion: p.openQuestion } : {})
  }
  return {
    ok: true,
    value: {
      comments,
      verdicts: v.verdicts.filter((x) => !decided.has(x.item)).map((x) => ({ item: x.item, status: x.status, evidence: x.evidence })),
      plan,
      summary: v.summary,
      ...(v.answer ? { answer: v.answer } : {})
    }
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s
}
