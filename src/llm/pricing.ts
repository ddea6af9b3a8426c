/**
 * List prices in USD per million tokens, as published on Anthropic's pricing page
 * (platform.claude.com/docs/en/about-claude/pricing) in November 2026. Cache writes are the
 * 5-minute ones (1.25× input), which is what `cache_control: { type: 'ephemeral' }` buys.
 * Sonnet 5.5's cache-read price is the one effective from 2026-10-07.
 *
 * The figure is an estimate for `max-cost-usd` and the summary, not a bill: batch, long-context
 * and regional pricing are not modelled, except Haiku 5.5's two prompt-length bands.
 */
import type { Usage } from '../types.js'
import { familyOf } from './models.js'

export interface Price {
  input: number
  output: number
  cacheWrite: number
  cacheRead: number
}

interface PriceRow {
  /** Model id, or its prefix for date-suffixed variants. */
  id: string
  price: Price
  /** A second price for prompts (input + cache read + cache write) above this many tokens. */
  longPrompt?: { above: number; price: Price }
}

export const PRICES_AS_OF = '2026-11'

const ROWS: PriceRow[] = [
  { id: 'claude-opus-5-5', price: { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 } },
  { id: 'claude-sonnet-5-5', price: { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 } },
  {
    id: 'claude-haiku-5-5',
    price: { input: 0.1, output: 0.5, cacheWrite: 0.125, cacheRead: 0.01 },
    longPrompt: { above: 100_000, price: { input: 0.5, output: 2.5, cacheWrite: 0.625, cacheRead: 0.05 } }
  },
  { id: 'claude-fable-5-1', price: { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25 } },
  { id: 'claude-mythos-5-1', price: { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25 } },
  { id: 'claude-fable-5', price: { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1 } },
  { id: 'claude-mythos-5', price: { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1 } },
  { id: 'claude-opus-5', price: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 } },
  { id: 'claude-sonnet-5', price: { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 } },
  { id: 'claude-opus-4-8', price: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 } },
  { id: 'claude-opus-4-7', price: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 } },
  { id: 'claude-opus-4-6', price: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 } },
  { id: 'claude-opus-4-5', price: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 } },
  { id: 'claude-sonnet-4-6', price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } },
  { id: 'claude-sonnet-4-5', price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } },
  { id: 'claude-haiku-4-5', price: { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 } }
]

/** For ids not in the table (gateway names, newer models): the current price of the family. */
const FAMILY_FALLBACK: Record<string, string> = { opus: 'claude-opus-5-5', sonnet: 'claude-sonnet-5-5', haiku: 'claude-haiku-5-5', other: 'claude-opus-5-5' }

function rowFor(modelId: string): PriceRow {
  const exact = [...ROWS].sort((a, b) => b.id.length - a.id.length).find((r) => modelId === r.id || modelId.startsWith(`${r.id}-2`) || modelId.startsWith(`${r.id}@`))
  if (exact) return exact
  const byFamily = FAMILY_FALLBACK[familyOf(modelId)]
  return ROWS.find((r) => r.id === byFamily) as PriceRow
}

/** The price that applies to one request of this model with this many prompt tokens. */
export function priceFor(modelId: string, promptTokens = 0): Price {
  const row = rowFor(modelId)
  return row.longPrompt && promptTokens > row.longPrompt.above ? row.longPrompt.price : row.price
}

/** The API's usage object, as far as the cost needs it. */
export interface ApiUsage {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_creation_input_tokens?: number | null
  cache_read_input_tokens?: number | null
}

/** One response's usage as our `Usage`, priced for the model that produced it. */
export function usageOf(modelId: string, u: ApiUsage | undefined): Usage {
  const inputTokens = u?.input_tokens ?? 0
  const outputTokens = u?.output_tokens ?? 0
  const cacheWriteTokens = u?.cache_creation_input_tokens ?? 0
  const cacheReadTokens = u?.cache_read_input_tokens ?? 0
  const p = priceFor(modelId, inputTokens + cacheWriteTokens + cacheReadTokens)
  const cost = (inputTokens * p.input + outputTokens * p.output + cacheWriteTokens * p.cacheWrite + cacheReadTokens * p.cacheRead) / 1_000_000
  return { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, costUsd: Math.round(cost * 1e6) / 1e6 }
}

/** Sums two usages; the cost is kept to a millionth of a dollar so sums stay exact enough to compare. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: Math.round((a.costUsd + b.costUsd) * 1e6) / 1e6
  }
}
