/**
 * Model names: the short names a persona may use (`opus`, `sonnet`, `haiku`) mapped to current
 * model ids, and what the runner needs to know about a model (context window, output limit,
 * whether it accepts a forced tool choice).
 *
 * The ids are the newest non-deprecated ones of each family in the `Model` union of
 * @anthropic-ai/sdk 1.12. The 5.5 models reject `tool_choice: { type: 'tool' }` with a 400
 * ("forced tool use is not supported"), so for them the runner asks for the tool in the prompt
 * and lets the model choose (`auto`).
 */
import { lookupTable } from '../util/lookup-table.js'

export type ModelFamily = 'opus' | 'sonnet' | 'haiku' | 'other'

export const MODEL_ALIASES: Record<Exclude<ModelFamily, 'other'>, string> = {
  opus: 'claude-opus-5-5',
  sonnet: 'claude-sonnet-5-5',
  haiku: 'claude-haiku-5-5'
}

export const DEFAULT_MODEL = MODEL_ALIASES.sonnet

/** The aliases by the name a persona or the `model` input gives. */
const ALIAS_IDS = lookupTable<string>(MODEL_ALIASES)

export interface ModelInfo {
  id: string
  family: ModelFamily
  /** Input plus output, in tokens. */
  contextWindow: number
  maxOutputTokens: number
  /** Whether `tool_choice: { type: 'tool', name }` is accepted. */
  forcedToolChoice: boolean
  /** A cache breakpoint closing a shorter prefix is ignored by the API (tokens). */
  minCacheableTokens: number
}

/** Opus and Haiku cache only longer prefixes than Sonnet; unknown families get the larger bound. */
function minCacheable(family: ModelFamily): number {
  return family === 'sonnet' ? 1024 : 4096
}

const DEFAULT_CONTEXT = 200_000
const DEFAULT_MAX_OUTPUT = 32_000

interface KnownModel {
  contextWindow: number
  maxOutputTokens: number
  forcedToolChoice: boolean
}

/** Exact ids (date-suffixed variants are matched by their prefix). */
const KNOWN: Record<string, KnownModel> = {
  'claude-opus-5-5': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: false },
  'claude-sonnet-5-5': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: false },
  'claude-haiku-5-5': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: false },
  'claude-fable-5-1': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: false },
  'claude-mythos-5-1': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: false },
  'claude-opus-5': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: true },
  'claude-sonnet-5': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: true },
  'claude-fable-5': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: true },
  'claude-mythos-5': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: true },
  'claude-opus-4-8': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: true },
  'claude-opus-4-7': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: true },
  'claude-opus-4-6': { contextWindow: 1_000_000, maxOutputTokens: 128_000, forcedToolChoice: true },
  'claude-sonnet-4-6': { contextWindow: 1_000_000, maxOutputTokens: 64_000, forcedToolChoice: true },
  'claude-opus-4-5': { contextWindow: 200_000, maxOutputTokens: 64_000, forcedToolChoice: true },
  'claude-sonnet-4-5': { contextWindow: 200_000, maxOutputTokens: 64_000, forcedToolChoice: true },
  'claude-haiku-4-5': { contextWindow: 200_000, maxOutputTokens: 64_000, forcedToolChoice: true }
}

export function familyOf(id: string): ModelFamily {
  const m = /(opus|sonnet|haiku)/i.exec(id)
  return m ? (m[1].toLowerCase() as ModelFamily) : 'other'
}

/**
 * What is known about a model id. Unknown ids get a 200k window and no forced tool choice:
 * `auto` works on every model, a forced choice does not.
 */
export function modelInfo(id: string): ModelInfo {
  const key = Object.keys(KNOWN)
    .sort((a, b) => b.length - a.length)
    .find((k) => id === k || id.startsWith(`${k}-2`) || id.startsWith(`${k}@`))
  const known = key ? KNOWN[key] : undefined
  return {
    id,
    family: familyOf(id),
    contextWindow: known?.contextWindow ?? DEFAULT_CONTEXT,
    maxOutputTokens: known?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT,
    forcedToolChoice: known?.forcedToolChoice ?? false,
    minCacheableTokens: minCacheable(familyOf(id))
  }
}

export interface ResolvedModel {
  id: string
  /** Set when the name given could not be used as it was. */
  note?: string
}

/** Full ids: `claude-…-<digit>…`, or a gateway/cloud form (`anthropic.claude-…`, `vendor/model`, `model@date`). */
function looksLikeFullId(name: string): boolean {
  return /^claude-[a-z]+-\d/i.test(name) || /^[\w.-][\w-]*[./:@][\w.:@/-]+$/.test(name)
}

/**
 * The model a persona runs on: the `model` input when set (it overrides every persona), else the
 * persona's own; `inherit` or nothing means the default (sonnet). Unknown short names fall back
 * to the sonnet id with a note.
 */
export function resolveModel(personaModel: string | undefined, override?: string): ResolvedModel {
  const given = (override?.trim() || personaModel?.trim() || '').replace(/^["']|["']$/g, '')
  if (given === '' || given.toLowerCase() === 'inherit' || given.toLowerCase() === 'default') return { id: DEFAULT_MODEL }
  const alias = given.toLowerCase()
  const aliased = ALIAS_IDS[alias]
  if (aliased !== undefined) return { id: aliased }
  if (looksLikeFullId(given)) return { id: given }
  const shown = given.length > 60 ? `${given.slice(0, 60)}…` : given
  return { id: DEFAULT_MODEL, note: `unknown model name "${shown}"; using ${DEFAULT_MODEL}` }
}
