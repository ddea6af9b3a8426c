/**
 * The model adds, never disappears: model comments on a rule's line join that thread, comments
 * outside the diff or over the inline limit are listed in the summary material, and the model's
 * plan steps are appended to the rules' plan, marked. With the fake Messages API, every model
 * comment reaches the pull request (inline or summary).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mergePlans, placeModelComments, MODEL_MARK } from '../src/llm/merge.js'
import { runReviewPipeline } from '../src/modes/pipeline.js'
import { createAgentRunner } from '../src/llm/runner.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { commentForFinding } from '../src/render/comment.js'
import { renderSummary } from '../src/render/summary.js'
import type { PlanDocument } from '../src/render/plan-types.js'
import type { ChangeSet, Finding, Persona, ReviewComment } from '../src/types.js'
import type { AgentReviewOutput, ModelComment } from '../src/llm/types.js'
import { FakeAnthropic } from './helpers/fake-anthropic.js'
import { recordingLogger } from './helpers/logger.js'

const plan = (steps: string[], extra: Partial<PlanDocument> = {}): PlanDocument => ({
  title: 'Plan',
  context: [],
  assumptions: [],
  files: [],
  steps: steps.map((title) => ({ title, detail: `do ${title}`, verify: `check ${title}` })),
  rollback: [],
  verification: [],
  risks: [],
  ...extra
})

describe('mergePlans', () => {
  it('keeps every rule step and appends the model steps, marked, without repeating a title', () => {
    const rules = plan(Array.from({ length: 20 }, (_, i) => `Rule step ${i + 1}`), { rollback: ['Revert the commit'], files: [{ path: 'a.tf', changes: ['set x'] }] })
    const model = plan(['Rule step 3', 'Stage the rollout behind a flag'], { rollback: ['revert the commit', 'Scale the old version back up'], files: [{ path: 'a.tf', changes: ['set y'] }, { path: 'b.tf', changes: ['add z'] }], openQuestion: 'Which zone?' })
    const merged = mergePlans(rules, model)
    expect(merged.steps).toHaveLength(21)
    expect(merged.steps.slice(0, 20)).toEqual(rules.steps)
    expect(merged.steps[20].title).toBe(`${MODEL_MARK} Stage the rollout behind a flag`)
    expect(merged.rollback).toEqual(['Revert the commit', `${MODEL_MARK} Scale the old version back up`])
    expect(merged.files).toEqual([
      { path: 'a.tf', changes: ['set x', `${MODEL_MARK} set y`] },
      { path: 'b.tf', changes: [`${MODEL_MARK} add z`] }
    ])
    expect(merged.openQuestion).toBe(`${MODEL_MARK} Which zone?`)
    expect(merged.title).toBe('Plan')
  })
})

describe('placeModelComments', () => {
  const finding: Finding = { ruleId: 'k8s/no-readiness-probe', category: 'slo', severity: 'medium', path: 'a.yaml', line: 5, message: 'no probe', suggestion: '          readinessProbe: {}' }
  const base = (): { rule: ReviewComment; into: ReviewComment[]; outside: ModelComment[] } => ({ rule: commentForFinding(finding, true), into: [], outside: [] })
  const lines = new Map([['a.yaml', new Set([4, 5, 6])]])
  const out = (comments: ModelComment[]): AgentReviewOutput => ({ comments, verdicts: [], summary: '', notes: [], usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 }, model: 'm1' })

  it('merges a comment on a rule line into that thread, before the hidden marker, escalating severity', () => {
    const { rule, into, outside } = base()
    placeModelComments({
      out: out([{ path: 'a.yaml', line: 5, severity: 'high', category: 'slo', confidence: 0.9, body: 'This also breaks the rollout: @team', suggestion: 'x' }]),
      persona: 'SRE',
      commentable: lines,
      added: lines,
      threads: [rule],
      into,
      outside,
      sourceOf: new Map()
    })
    expect(into).toHaveLength(0)
    expect(outside).toHaveLength(0)
    expect(rule.severity).toBe('high')
    expect(rule.body).toContain(`**${MODEL_MARK} high · slo** (SRE, m1) — This also breaks the rollout`)
    expect(rule.body).not.toContain('@team')
    // The rule's suggestion is kept; the model's second suggestion is not added to the same thread.
    expect(rule.body.match(/```suggestion/g)).toHaveLength(1)
    expect(rule.body).toMatch(/<!-- preflight:fp [0-9a-f]+ -->$/)
  })

  it('puts a fresh line in a thread of its own and a line outside the diff in the summary list', () => {
    const { rule, into, outside } = base()
    placeModelComments({
      out: out([
        { path: 'a.yaml', line: 6, severity: 'low', category: 'cost', confidence: 0.9, body: 'fresh' },
        { path: 'a.yaml', line: 60, severity: 'low', category: 'cost', confidence: 0.9, body: 'outside' },
        { path: 'a.yaml', line: 6, severity: 'medium', category: 'slo', confidence: 0.9, body: 'second on the same line' }
      ]),
      persona: 'SRE',
      commentable: lines,
      added: lines,
      threads: [rule],
      into,
      outside,
      sourceOf: new Map()
    })
    expect(into).toHaveLength(1)
    expect(into[0].body).toContain('fresh')
    expect(into[0].body).toContain('second on the same line')
    expect(into[0].severity).toBe('medium')
    expect(outside.map((c) => c.body)).toEqual(['outside'])
  })
})

// ── With the fake Messages API ──────────────────────────────────────────────────────────────

let fake: FakeAnthropic
beforeAll(async () => {
  fake = await FakeAnthropic.start()
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: example/web:latest
          securityContext:
            privileged: true
`

const persona = (name: string): Persona => ({
  name,
  displayName: name.toUpperCase(),
  aliases: [],
  description: `${name} reviewer`,
  tools: [],
  triggers: { keywords: [], files: ['kubernetes'] },
  checklist: [{ id: 'probes', question: 'Are there health checks?', categories: ['slo'], topics: ['health-checks'] }],
  body: `You are ${name}.`,
  source: `agents/${name}.md`,
  origin: 'bundled'
})

const change: ChangeSet = {
  title: 'Add web',
  body: '',
  labels: [],
  files: [{ path: 'k8s/web.yaml', kind: 'kubernetes', status: 'added', patch: patchForNewFile(DEPLOYMENT), content: DEPLOYMENT }],
  notes: []
}

const modelComments: ModelComment[] = [
  { path: 'k8s/web.yaml', line: 17, severity: 'critical', category: 'security', confidence: 0.9, body: 'Privileged plus latest: anyone who can push the tag owns the node.' },
  { path: 'k8s/web.yaml', line: 15, severity: 'medium', category: 'immutability', confidence: 0.9, body: 'Pin the image by digest so a rollback restores the same bytes.' },
  { path: 'k8s/web.yaml', line: 6, severity: 'medium', category: 'slo', confidence: 0.9, body: 'One replica means every deploy is an outage.' },
  { path: 'k8s/web.yaml', line: 3, severity: 'low', category: 'observability', confidence: 0.9, body: 'Add an app label the dashboards can group by.' },
  { path: 'k8s/service.yaml', line: 1, severity: 'medium', category: 'slo', confidence: 0.9, body: 'There is no Service in this change; who routes traffic here?' }
]

function reached(result: Awaited<ReturnType<typeof runReviewPipeline>>, c: ModelComment): boolean {
  return result.comments.some((x) => x.body.includes(c.body)) || result.unanchoredModel.some((x) => x.body === c.body)
}

describe('every model comment reaches the pull request', () => {
  const run = (maxComments?: number) =>
    runReviewPipeline(change, [persona('sre'), persona('architect')], {
      maxAgents: 2,
      forced: ['sre', 'architect'],
      maxComments,
      agentRunner: createAgentRunner({ apiKey: 'k', baseUrl: fake.url, maxInputTokens: 60_000, log: recordingLogger(), timeoutMs: 5_000, maxRetries: 0 })
    })
  const answer = (body: Record<string, unknown>) => {
    // The first persona sends the first three comments, the second the rest plus a repeat.
    const second = JSON.stringify(body).includes('You are architect.')
    const comments = second ? [...modelComments.slice(3), modelComments[0]] : modelComments.slice(0, 3)
    return { kind: 'tool' as const, input: { comments, verdicts: [{ item: 'probes', status: 'unknown', evidence: 'cannot tell' }], plan: { context: [], assumptions: [], files: [], steps: [{ title: 'Add a readiness probe', detail: 'd', verify: 'v' }], rollback: [], verification: [], risks: [] }, summary: 'The biggest risk is the privileged container.' } }
  }

  it.each([[undefined], [2]])('with an inline limit of %s: 100% inline or in the summary list, never a second thread on a line', async (limit) => {
    fake.fallback = answer
    const result = await run(limit)
    expect(fake.messageBodies()).toHaveLength(2)
    const missing = modelComments.filter((c) => !reached(result, c))
    expect(missing).toEqual([])
    // The model never opens a second thread on a line: not next to a rule's, not next to its own.
    const ruleLines = new Set(result.comments.filter((c) => !c.body.includes('Persona review')).map((c) => `${c.path}:${c.line}`))
    const modelLines = result.comments.filter((c) => c.body.includes('Persona review')).map((c) => `${c.path}:${c.line}`)
    expect(new Set(modelLines).size).toBe(modelLines.length)
    for (const l of modelLines) expect(ruleLines.has(l)).toBe(false)
    // What is not inline is in the sticky summary's text.
    const summary = renderSummary(result)
    for (const c of result.unanchoredModel) expect(summary).toContain(c.body.slice(0, 40))
    // The rules' plan is kept and the model's step is added, marked.
    const steps = result.agents[0].plan.steps.map((s) => s.title)
    expect(steps[steps.length - 1]).toBe(`${MODEL_MARK} Add a readiness probe`)
    expect(steps.length).toBeGreaterThan(1)
  })
})
