/**
 * The one tool the model answers through: `submit_review`. Its input schema is the review
 * (comments, checklist verdicts, plan, summary, answer). The schema sent to the API is the same
 * for every persona, so the cached prompt prefix (tools come first) is shared between personas;
 * the persona-specific checks (every checklist item answered, no unknown item) happen here,
 * when the input is read back.
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

const commentSchema = z.object({
  path: z.string().min(1).max(500).describe('File path exactly as in the diff header'),
  line: z.number().int().min(1).describe('A commentable new-side line number of that file'),
  severity: z.enum(SEVERITIES),
  category: z.enum(CATEGORIES),
  body: line(4000).describe('What is wrong, why it matters, and the fix'),
  suggestion: z.string().max(4000).optional().describe('Replacement text for that single line, only when the fix is mechanical')
})

const verdictSchema = z.object({
  item: z.string().min(1).max(100).describe('Checklist item id'),
  status: z.enum(STATUSES),
  evidence: line(500).describe('One line: the finding, file:line or reasoning that decides the status')
})

const planSchema = z.object({
  context: z.array(line(1000)).max(20),
  assumptions: z.array(line(1000)).max(20),
  files: z.array(z.object({ path: z.string().min(1).max(500), changes: z.array(line(1000)).max(20) })).max(100),
  steps: z.array(z.object({ title: line(200), detail: line(2000), verify: line(1000) })).max(30),
  rollback: z.array(line(1000)).max(20),
  verification: z.array(line(1000)).max(20),
  risks: z.array(line(1000)).max(20),
  openQuestion: z.string().max(1000).optional().describe('At most one question for the author; never wait for its answer')
})

export const reviewInputSchema = z.object({
  comments: z.array(commentSchema).max(50).describe('Inline comments, only on commentable lines'),
  verdicts: z.array(verdictSchema).max(100).describe('One verdict for every checklist item'),
  plan: planSchema,
  summary: line(3000).describe('A short summary of the review'),
  answer: z.string().max(6000).optional().describe("The answer to the reviewer's question, when one was asked")
})

export type ReviewInput = z.infer<typeof reviewInputSchema>

/** JSON schema of the tool input (no `$schema` key: the API wants a bare object schema). */
export function reviewInputJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(reviewInputSchema) as Record<string, unknown>
  delete schema.$schema
  return schema
}

export interface ReviewToolDefinition {
  name: string
  description: string
  input_schema: { type: 'object'; [key: string]: unknown }
}

export function reviewTool(): ReviewToolDefinition {
  return {
    name: REVIEW_TOOL_NAME,
    description:
      'Submit the whole review in one call: inline comments on commentable lines, a verdict for every checklist item, ' +
      'the plan, a short summary and, when a question was asked, the answer. This is the only way to answer.',
    input_schema: reviewInputJsonSchema() as ReviewToolDefinition['input_schema']
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

/** Reads the tool input back: schema first, then the persona's checklist coverage. */
export function parseReviewInput(input: unknown, persona: Persona, planTitle: string): ParseResult {
  const parsed = reviewInputSchema.safeParse(input)
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`) }
  }
  const v = parsed.data
  const ids = persona.checklist.map((c) => c.id)
  const errors: string[] = []
  const seen = new Set<string>()
  for (const verdict of v.verdicts) {
    if (!ids.includes(verdict.item)) errors.push(`verdicts: "${clip(verdict.item)}" is not a checklist item id (expected one of: ${ids.join(', ')})`)
    else if (seen.has(verdict.item)) errors.push(`verdicts: item "${verdict.item}" is answered more than once`)
    seen.add(verdict.item)
  }
  const missing = ids.filter((id) => !seen.has(id))
  if (missing.length) errors.push(`verdicts: missing a verdict for ${missing.join(', ')}`)
  if (errors.length) return { ok: false, errors }

  const comments: ModelComment[] = v.comments.map((c) => ({
    path: c.path.replace(/^\.?\//, ''),
    line: c.line,
    severity: c.severity,
    category: c.category,
    body: c.body,
    ...(c.suggestion !== undefined ? { suggestion: c.suggestion } : {})
  }))
  const plan: PlanDocument = {
    title: planTitle,
    context: v.plan.context,
    assumptions: v.plan.assumptions,
    files: v.plan.files,
    steps: v.plan.steps,
    rollback: v.plan.rollback,
    verification: v.plan.verification,
    risks: v.plan.risks,
    ...(v.plan.openQuestion ? { openQuestion: v.plan.openQuestion } : {})
  }
  return {
    ok: true,
    value: {
      comments,
      verdicts: v.verdicts.map((x) => ({ item: x.item, status: x.status, evidence: x.evidence })),
      plan,
      summary: v.summary,
      ...(v.answer ? { answer: v.answer } : {})
    }
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s
}
