import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { runReviewPipeline } from '../src/modes/pipeline.js'
import { createAgentRunner } from '../src/llm/runner.js'
import { patchForNewFile } from '../src/changes/diff.js'
import type { ChangeSet, Persona } from '../src/types.js'
import { FakeAnthropic } from './helpers/fake-anthropic.js'
import { recordingLogger } from './helpers/logger.js'

let fake: FakeAnthropic
beforeAll(async () => {
  fake = await FakeAnthropic.start()
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

const persona = (name: string, body: string): Persona => ({
  name,
  displayName: name.toUpperCase(),
  aliases: [],
  description: `${name} reviewer`,
  tools: [],
  triggers: { keywords: [], files: ['dockerfile'] },
  checklist: [
    // No rule answers it (topics: []): the rules leave it unknown, the model decides it.
    { id: 'rollback-plan', question: 'Can it be rolled back?', categories: ['rollback'], topics: [] },
    { id: 'immutable-images', question: 'Are images pinned?', categories: ['immutability'] }
  ],
  body,
  source: `agents/${name}.md`,
  origin: 'bundled'
})

const dockerfile = 'FROM node:latest\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n'
const change: ChangeSet = {
  title: 'Containerize the app',
  body: 'First Dockerfile.',
  labels: [],
  files: [{ path: 'Dockerfile', kind: 'dockerfile', status: 'added', patch: patchForNewFile(dockerfile), content: dockerfile }],
  notes: []
}

const review = {
  comments: [
    { path: 'Dockerfile', line: 3, severity: 'medium', category: 'cost', confidence: 0.9, body: 'COPY . . sends the whole context; add a .dockerignore.' },
    { path: 'Dockerfile', line: 99, severity: 'medium', category: 'slo', confidence: 0.9, body: 'No HEALTHCHECK anywhere in the image.' },
    { path: 'k8s/deploy.yaml', line: 1, severity: 'medium', category: 'rollback', confidence: 0.9, body: 'The deployment manifest is not in this change.' }
  ],
  verdicts: [
    { item: 'rollback-plan', status: 'warn', evidence: 'no previous image tag is kept' },
    { item: 'immutable-images', status: 'pass', evidence: 'model thinks it is fine' }
  ],
  plan: { context: ['First container image'], assumptions: [], files: [], steps: [], rollback: [], verification: [], risks: [] },
  summary: 'Pin the base image and add a .dockerignore.'
}

const run = (maxCostUsd?: number) =>
  runReviewPipeline(change, [persona('sre', 'You are the SRE.'), persona('architect', 'You are the architect.')], {
    maxAgents: 3,
    forced: ['sre', 'architect'],
    maxCostUsd,
    agentRunner: createAgentRunner({ apiKey: 'k', baseUrl: fake.url, maxInputTokens: 60_000, log: recordingLogger(), timeoutMs: 5_000, maxRetries: 0 })
  })

type ApiUsage = { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number }

describe('runReviewPipeline with the model runner', () => {
  it('anchors model comments in the diff, sends the rest to unanchoredModel, and accumulates usage with cache reads', async () => {
    fake.fallback = { kind: 'tool', input: review }
    const result = await run()
    expect(result.agents.map((a) => a.model)).toEqual(['claude-sonnet-5-5', 'claude-sonnet-5-5'])

    // Outside the diff: both personas' comments on line 99 and on a file not in the change.
    expect(result.unanchoredModel.map((c) => `${c.path}:${c.line}`)).toEqual(['Dockerfile:99', 'k8s/deploy.yaml:1', 'Dockerfile:99', 'k8s/deploy.yaml:1'])
    // Inside the diff: one inline comment on line 3, not repeated by the second persona.
    const model = result.comments.filter((c) => c.body.includes('persona review (model `claude-sonnet-5-5`)'))
    expect(model.map((c) => `${c.path}:${c.line}`)).toEqual(['Dockerfile:3'])
    expect(result.comments.filter((c) => c.path === 'Dockerfile' && c.line === 3)).toHaveLength(1)

    // A verdict on an item the rules decided is not taken; the rules' evidence stands.
    const pinned = result.agents[0].checklist.find((c) => c.item === 'immutable-images')
    expect(pinned?.evidence).toEqual(['dockerfile/base-image-latest at Dockerfile:1 (medium)'])
    expect(result.agents[0].checklist.find((c) => c.item === 'rollback-plan')).toMatchObject({ status: 'warn', source: 'model' })
    expect(result.agents[0].modelSummary).toBe(review.summary)

    const calls = fake.requests.filter((r) => r.path === '/v1/messages').map((r) => r.response!.usage as ApiUsage)
    expect(calls).toHaveLength(2)
    // The second persona shares the tools and protocol prefix: it reads them from the cache.
    expect(calls[0].cache_read_input_tokens).toBe(0)
    expect(calls[0].cache_creation_input_tokens).toBeGreaterThan(0)
    expect(calls[1].cache_read_input_tokens).toBeGreaterThan(0)
    const sum = (k: keyof ApiUsage) => calls.reduce((n, u) => n + u[k], 0)
    expect(result.usage).toMatchObject({
      inputTokens: sum('input_tokens'),
      outputTokens: sum('output_tokens'),
      cacheWriteTokens: sum('cache_creation_input_tokens'),
      cacheReadTokens: sum('cache_read_input_tokens')
    })
    const expected = (sum('input_tokens') * 2 + sum('output_tokens') * 10 + sum('cache_creation_input_tokens') * 2.5 + sum('cache_read_input_tokens') * 0.1) / 1e6
    // Each call is rounded to a millionth of a dollar.
    expect(result.usage.costUsd).toBeCloseTo(expected, 5)
    expect(result.usage.costUsd).toBeGreaterThan(0)
  })

  it('stops calling the model once max-cost-usd is reached', async () => {
    fake.fallback = { kind: 'tool', input: review }
    const result = await run(0.000001)
    expect(fake.messageBodies()).toHaveLength(1)
    expect(result.messages).toContain('architect: not run by the model, the cost limit of $0.00 was reached; deterministic review only')
    expect(result.agents[1].model).toBeUndefined()
  })

  it('keeps the deterministic review when the model fails, and says so', async () => {
    fake.fallback = { kind: 'status', status: 529, type: 'overloaded_error', message: 'Overloaded' }
    const result = await run()
    expect(result.agents.every((a) => a.model === undefined)).toBe(true)
    expect(result.messages).toContain('sre: model review failed (API 529 overloaded_error: Overloaded); the deterministic review stands')
    expect(result.findings.length).toBeGreaterThan(0)
  })
})
