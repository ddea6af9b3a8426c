/**
 * The model adds, it never disappears: how a persona's comments and plan join the deterministic
 * review. A model comment on a line that already has a thread (a rule's, or another persona's)
 * is merged into that thread as a marked section; one outside the diff goes to the summary; the
 * model's plan steps are appended to the rules' plan, each marked as coming from the model.
 */
import type { Finding, ReviewComment, Severity } from '../types.js'
import { SEVERITY_RANK } from '../types.js'
import type { PlanDocument } from '../render/plan-types.js'
import { commentForModel, SEVERITY_ICON } from '../render/comment.js'
import { sanitizeModelText } from '../render/sanitize.js'
import type { AgentReviewOutput, ModelComment } from './types.js'

/** Marks a plan entry, a summary line or a merged section as the model's. */
export const MODEL_MARK = '[model]'

/** Model comments merged into each thread, so a thread that is not posted inline still shows them in the summary. */
const MERGED = new WeakMap<ReviewComment, ModelComment[]>()

/** The model comments folded into a thread (empty for none). */
export function mergedModelComments(comment: ReviewComment): ModelComment[] {
  return MERGED.get(comment) ?? []
}

const MARKER_LINE = /\n\n<!-- preflight:fp [^\n]*-->\s*$/

/** Inserts a section before the thread's hidden fingerprint marker (which stays last). */
function appendSection(body: string, section: string): string {
  const marker = MARKER_LINE.exec(body)
  if (!marker) return `${body}\n\n${section}`
  return `${body.slice(0, marker.index)}\n\n${section}${body.slice(marker.index)}`
}

function modelSection(c: ModelComment, who: string, withSuggestion: boolean): string {
  const lines = [`${SEVERITY_ICON[c.severity]} **${MODEL_MARK} ${c.severity} · ${c.category}** (${who}) — ${sanitizeModelText(c.body)}`]
  if (withSuggestion && c.suggestion !== undefined) lines.push('```suggestion\n' + sanitizeModelText(c.suggestion).replace(/\n$/, '') + '\n```')
  return lines.join('\n\n')
}

function worse(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b
}

export interface PlaceModelCommentsInput {
  out: AgentReviewOutput
  /** The persona's display name, shown on merged sections. */
  persona: string
  commentable: Map<string, Set<number>>
  added: Map<string, Set<number>>
  /** Threads already placed (rule comments first, then earlier personas' comments). */
  threads: ReviewComment[]
  /** New model threads are pushed here. */
  into: ReviewComment[]
  /** Model comments that cannot sit on a diff line (listed in the summary). */
  outside: ModelComment[]
  sourceOf: Map<ReviewComment, Finding | ModelComment>
}

/**
 * Places each model comment: outside the diff → summary; on a line with a thread → merged into
 * it (the thread's severity becomes the worse of both, a suggestion is added only when the
 * thread has none); otherwise a new thread of its own.
 */
export function placeModelComments(input: PlaceModelCommentsInput): void {
  const { out, commentable, added, into, outside, sourceOf } = input
  const who = `${input.persona}, ${out.model}`
  for (const c of out.comments) {
    if (!commentable.get(c.path)?.has(c.line) || !added.get(c.path)?.has(c.line)) {
      outside.push(c)
      continue
    }
    const thread = [...input.threads, ...into].find((t) => t.path === c.path && (t.line === c.line || (t.startLine !== undefined && t.startLine <= c.line && c.line <= t.line)))
    if (!thread) {
      const comment = commentForModel(c, who)
      into.push(comment)
      sourceOf.set(comment, c)
      continue
    }
    const text = sanitizeModelText(c.body)
    thread.body = thread.body.includes(text)
      ? appendSection(thread.body, `<sub>${MODEL_MARK} also raised by ${who}</sub>`)
      : appendSection(thread.body, modelSection(c, who, !thread.body.includes('```suggestion')))
    thread.severity = worse(thread.severity, c.severity)
    MERGED.set(thread, [...mergedModelComments(thread), c])
  }
}

function marked(text: string): string {
  return text.startsWith(MODEL_MARK) ? text : `${MODEL_MARK} ${text}`
}

function norm(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()
}

/** Appends the entries of `extra` that `base` does not already hold, marked as the model's. */
function addMarked(base: string[], extra: string[]): string[] {
  const seen = new Set(base.map(norm))
  const out = [...base]
  for (const e of extra) {
    const key = norm(e.replace(MODEL_MARK, ''))
    if (!key || seen.has(key)) continue
    seen.add(key)
    out.push(marked(e))
  }
  return out
}

/**
 * The rules' plan with the model's additions: its steps after the rules' steps (a step whose
 * title the rules already have is not repeated), its files' changes merged per file, its
 * context, risks, rollback and verification appended; every added entry is marked.
 */
export function mergePlans(rules: PlanDocument, model: PlanDocument): PlanDocument {
  const files = rules.files.map((f) => ({ path: f.path, changes: [...f.changes] }))
  for (const f of model.files) {
    const existing = files.find((x) => x.path === f.path)
    if (existing) existing.changes = addMarked(existing.changes, f.changes)
    else files.push({ path: f.path, changes: f.changes.map(marked) })
  }
  const titles = new Set(rules.steps.map((s) => norm(s.title)))
  const steps = [...rules.steps]
  for (const s of model.steps) {
    if (titles.has(norm(s.title))) continue
    titles.add(norm(s.title))
    steps.push({ ...s, title: marked(s.title) })
  }
  return {
    title: rules.title,
    context: addMarked(rules.context, model.context),
    assumptions: addMarked(rules.assumptions, model.assumptions),
    files,
    steps,
    rollback: addMarked(rules.rollback, model.rollback),
    verification: addMarked(rules.verification, model.verification),
    risks: addMarked(rules.risks, model.risks),
    ...(rules.openQuestion ? { openQuestion: rules.openQuestion } : model.openQuestion ? { openQuestion: marked(model.openQuestion) } : {})
  }
}
