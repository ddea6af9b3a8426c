/**
 * Remembering a persona's model result between runs. The key hashes everything the prompt is
 * built from (persona text, pull request metadata and diff, file contents, findings, checklist,
 * question), the model asked for and the input budget: the same key means the same prompt, so a
 * re-run on an unchanged pull request reuses the answer instead of paying for it again. The
 * entries live in the sticky summary's hidden state, so they are kept small and capped.
 */
import { createHash } from 'node:crypto'
import type { Persona } from '../types.js'
import type { AgentReviewOutput, AgentReviewRequest } from './types.js'

/** What the pipeline asks before calling the model, and tells after a successful call. */
export interface ModelCache {
  get(request: AgentReviewRequest): AgentReviewOutput | undefined
  put(request: AgentReviewRequest, output: AgentReviewOutput): void
}

/** One remembered result: the key it was made under and the output. */
export interface ModelCacheEntry {
  k: string
  o: AgentReviewOutput
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex')

/** A persona's version: a hash of everything in it that reaches the prompt or the model choice. */
export function personaVersion(persona: Persona): string {
  const { name, displayName, description, model, checklist, body } = persona
  return sha(JSON.stringify([name, displayName, description, model ?? null, checklist, body])).slice(0, 16)
}

/**
 * The hash of a request's prompt inputs, the model and the input budget. Contents enter by
 * their own hash, so the key stays cheap to compute for a large pull request.
 */
export function modelCacheKey(request: AgentReviewRequest, model: string | undefined, maxInputTokens: number): string {
  const { change } = request
  const files = change.files.map((f) => [f.path, f.previousPath ?? null, f.status, f.kind, f.patch ?? null, f.content === undefined ? null : sha(f.content)])
  const findings = request.findings.map((f) => [f.ruleId, f.path, f.line, f.endLine ?? null, f.severity, f.message, f.remediation ?? null])
  const checklist = request.checklist.map((c) => [c.item, c.status, c.evidence])
  const parts = [
    'preflight-model-cache/1',
    personaVersion(request.persona),
    model ?? request.persona.model ?? null,
    maxInputTokens,
    [change.title, change.body, change.labels],
    files,
    change.notes.map((n) => [n.path, n.reason]),
    findings,
    checklist,
    request.question ?? null
  ]
  return sha(JSON.stringify(parts)).slice(0, 32)
}

/** Remembered results by persona name, as read back from the summary's state (anything malformed is dropped). */
export function readModelCacheEntries(value: unknown): Map<string, ModelCacheEntry> {
  const out = new Map<string, ModelCacheEntry>()
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    const e = entry as Partial<ModelCacheEntry> | null
    if (!e || typeof e.k !== 'string' || !isOutput(e.o)) continue
    out.set(name, { k: e.k, o: e.o })
  }
  return out
}

function isOutput(o: unknown): o is AgentReviewOutput {
  if (typeof o !== 'object' || o === null) return false
  const v = o as Record<string, unknown>
  return (
    Array.isArray(v.comments) &&
    Array.isArray(v.verdicts) &&
    typeof v.summary === 'string' &&
    Array.isArray(v.notes) &&
    typeof v.model === 'string' &&
    typeof v.usage === 'object' &&
    v.usage !== null
  )
}

export interface RunModelCache extends ModelCache {
  /** Results to remember for the next run (hits and new calls), by persona name. */
  entries(): Map<string, ModelCacheEntry>
  /** How many model calls were saved, and what they had cost when they were made. */
  hits: number
  reusedCostUsd: number
}

/**
 * The cache of one run: answers from `previous` when the key matches, and collects what this
 * run produced. `model` is the run's model override (`model` input), when there is one.
 */
export function createModelCache(previous: Map<string, ModelCacheEntry>, o: { model?: string; maxInputTokens: number }): RunModelCache {
  const next = new Map<string, ModelCacheEntry>()
  /** Personas asked about this run: their old entry is replaced or dropped, never carried. */
  const touched = new Set<string>()
  const cache: RunModelCache = {
    hits: 0,
    reusedCostUsd: 0,
    get(request) {
      const k = modelCacheKey(request, o.model, o.maxInputTokens)
      touched.add(request.persona.name)
      const hit = previous.get(request.persona.name)
      if (!hit || hit.k !== k) return undefined
      cache.hits++
      cache.reusedCostUsd += Number(hit.o.usage.costUsd) || 0
      next.set(request.persona.name, hit)
      return hit.o
    },
    put(request, output) {
      next.set(request.persona.name, { k: modelCacheKey(request, o.model, o.maxInputTokens), o: output })
    },
    // What this run produced, plus what it left untouched (a persona that did not run this time,
    // e.g. after an `/agent` run of another one), so the next run of those still finds them.
    entries: () => {
      const all = new Map(next)
      for (const [name, entry] of previous) if (!touched.has(name)) all.set(name, entry)
      return all
    }
  }
  return cache
}

/**
 * The entries that fit in `budgetChars` of JSON, smallest first (a large plan is the first to be
 * left out; that persona then pays for a model call on the next run).
 */
export function fitModelCache(entries: Map<string, ModelCacheEntry>, budgetChars: number): Record<string, ModelCacheEntry> {
  // Measured as the state marker writes it: `<` and `>` become six-character escapes.
  const measure = (text: string) => text.length + 5 * (text.match(/[<>]/g)?.length ?? 0)
  const sized = [...entries].map(([name, e]) => ({ name, e, size: measure(JSON.stringify(e)) + name.length + 6 })).sort((a, b) => a.size - b.size || a.name.localeCompare(b.name))
  const out: Record<string, ModelCacheEntry> = {}
  let used = 2
  for (const { name, e, size } of sized) {
    if (used + size > budgetChars) break
    out[name] = e
    used += size
  }
  return out
}
