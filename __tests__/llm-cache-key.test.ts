/**
 * The model-result cache: the key changes with anything the prompt is built from (and with the
 * model and persona version) but not otherwise; only a matching key is a hit; malformed state is
 * dropped; what is kept fits the budget it is given.
 */
import { describe, expect, it } from '@jest/globals'
import { createModelCache, fitModelCache, modelCacheKey, readModelCacheEntries, type ModelCacheEntry } from '../src/llm/cache-key.js'
import type { AgentReviewOutput, AgentReviewRequest } from '../src/llm/types.js'
import type { Persona } from '../src/types.js'

const persona: Persona = {
  name: 'sre',
  displayName: 'SRE',
  aliases: [],
  description: 'Reliability',
  tools: [],
  triggers: { files: [], keywords: [] } as unknown as Persona['triggers'],
  checklist: [],
  body: 'You review reliability.',
  source: '.github/agents/sre.md',
  origin: 'repository'
}

function request(extra: Partial<AgentReviewRequest> = {}): AgentReviewRequest {
  return {
    persona,
    change: { title: 'Add web', body: '', labels: [], files: [{ path: 'Dockerfile', status: 'added', kind: 'dockerfile', patch: '@@ -0,0 +1 @@\n+FROM a', content: 'FROM a\n' }], notes: [] },
    findings: [],
    checklist: [],
    commentable: new Map(),
    secrets: [],
    ...extra
  }
}

const output = (summary: string, costUsd = 0.01): AgentReviewOutput => ({
  comments: [],
  verdicts: [],
  summary,
  notes: [],
  usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd } as AgentReviewOutput['usage'],
  model: 'claude-test'
})

describe('modelCacheKey', () => {
  it('is stable for the same inputs and changes with each thing the prompt is built from', () => {
    const base = modelCacheKey(request(), undefined, 60000)
    expect(modelCacheKey(request(), undefined, 60000)).toBe(base)
    const changed = [
      modelCacheKey(request({ change: { ...request().change, title: 'Add web!' } }), undefined, 60000),
      modelCacheKey(request({ change: { ...request().change, files: [{ ...request().change.files[0], content: 'FROM b\n' }] } }), undefined, 60000),
      modelCacheKey(request({ question: 'why?' }), undefined, 60000),
      modelCacheKey(request({ persona: { ...persona, body: 'You review cost.' } }), undefined, 60000),
      modelCacheKey(request(), 'opus', 60000),
      modelCacheKey(request(), undefined, 30000)
    ]
    expect(new Set([base, ...changed]).size).toBe(changed.length + 1)
  })
})

describe('createModelCache', () => {
  it('answers only a matching key, counts the saved cost and carries hits forward', () => {
    const first = createModelCache(new Map(), { maxInputTokens: 60000 })
    expect(first.get(request())).toBeUndefined()
    first.put(request(), output('first'))
    const stored = JSON.parse(JSON.stringify(Object.fromEntries(first.entries()))) as unknown

    const second = createModelCache(readModelCacheEntries(stored), { maxInputTokens: 60000 })
    expect(second.get(request())?.summary).toBe('first')
    expect(second.hits).toBe(1)
    expect(second.reusedCostUsd).toBeCloseTo(0.01)
    expect([...second.entries().keys()]).toEqual(['sre'])

    const third = createModelCache(readModelCacheEntries(stored), { maxInputTokens: 60000 })
    expect(third.get(request({ question: 'different' }))).toBeUndefined()
    expect(third.hits).toBe(0)
    // A miss replaces the entry only once a new result is put; an untouched persona's entry is carried.
    expect([...third.entries().keys()]).toEqual([])
    const fourth = createModelCache(readModelCacheEntries(stored), { maxInputTokens: 60000 })
    fourth.put(request({ persona: { ...persona, name: 'ops' } }), output('ops'))
    expect([...fourth.entries().keys()].sort()).toEqual(['ops', 'sre'])
  })

  it('drops malformed entries from the state', () => {
    const entries = readModelCacheEntries({ sre: { k: 'x', o: { summary: 1 } }, ops: 'nonsense', ok: { k: 'y', o: output('fine') } })
    expect([...entries.keys()]).toEqual(['ok'])
    expect(readModelCacheEntries([1, 2]).size).toBe(0)
  })
})

describe('fitModelCache', () => {
  it('keeps the smallest entries that fit the budget, counting escaped < and >', () => {
    const entries = new Map<string, ModelCacheEntry>([
      ['small', { k: 'a', o: output('s') }],
      ['big', { k: 'b', o: output('x'.repeat(5000)) }],
      ['angles', { k: 'c', o: output('<'.repeat(300)) }]
    ])
    const all = fitModelCache(entries, 100_000)
    expect(Object.keys(all).sort()).toEqual(['angles', 'big', 'small'])
    const some = fitModelCache(entries, 1500)
    expect(Object.keys(some)).toEqual(['small'])
    expect(JSON.stringify(some).length).toBeLessThanOrEqual(1500)
    expect(fitModelCache(entries, 10)).toEqual({})
  })
})
