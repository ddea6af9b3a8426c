/**
 * The prompt measured with the fake Messages API: two bundled personas review one realistic
 * pull request one after another. The shared evidence (files, findings, metadata) is one cached
 * prefix, so on the second persona's call cache reads are at least half of all its input tokens,
 * and every cached prefix is above the model's minimum cacheable length. Set
 * PREFLIGHT_PRINT_FIGURES=1 to print the figures (docs: the report of the prompt change).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { runReviewPipeline } from '../src/modes/pipeline.js'
import { createAgentRunner } from '../src/llm/runner.js'
import { modelInfo } from '../src/llm/models.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import type { ChangeSet, ChangedFile } from '../src/types.js'
import { FakeAnthropic, fakeTokens } from './helpers/fake-anthropic.js'
import { recordingLogger } from './helpers/logger.js'

let fake: FakeAnthropic
beforeAll(async () => {
  fake = await FakeAnthropic.start()
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { app: ${name}, team: payments }
spec:
  replicas: 2
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: ${name}
          image: registry.example.com/${name}:2.4.1
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: UPSTREAM_URL
              value: http://inventory.internal:8080
          resources:
            requests: { cpu: 250m, memory: 256Mi }
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${name} }
  ports:
    - port: 80
      targetPort: 8080
`

const terraform = Array.from(
  { length: 6 },
  (_, i) => `resource "aws_sqs_queue" "jobs_${i}" {
  name                       = "jobs-${i}"
  visibility_timeout_seconds = 120
  message_retention_seconds  = 345600
  tags = {
    Service = "jobs"
    Owner   = "platform"
  }
}
`
).join('\n')

const workflow = `name: deploy
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab
      - run: make test
      - run: make deploy
`

const files: ChangedFile[] = [
  ...['checkout', 'cart', 'search'].map((n) => ({ path: `k8s/${n}.yaml`, kind: 'kubernetes' as const, status: 'added' as const, content: deployment(n), patch: patchForNewFile(deployment(n)) })),
  { path: 'infra/queues.tf', kind: 'terraform', status: 'added', content: terraform, patch: patchForNewFile(terraform) },
  { path: '.github/workflows/deploy.yml', kind: 'workflow', status: 'added', content: workflow, patch: patchForNewFile(workflow) }
]
const change: ChangeSet = { title: 'Split the shop into three services', body: 'Adds the checkout, cart and search deployments and their queues.', labels: ['infra'], files, notes: [] }

type ApiUsage = { input_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number; output_tokens: number }

describe('prompt caching across personas', () => {
  it('the second persona reads at least half of its input from the cache', async () => {
    const { personas } = loadPersonaSet(readBundledPersonas(), [])
    fake.minCacheableTokens = 1024
    fake.fallback = (body) => {
      const tool = (body.tools as { input_schema: { properties: { verdicts: { items: { properties: { item: { enum?: string[] } } } } } } }[])[0]
      void tool
      return { kind: 'tool', input: { comments: [], verdicts: [], plan: { context: [], assumptions: [], files: [], steps: [], rollback: [], verification: [], risks: [] }, summary: 'The biggest risk is none.' } }
    }
    const result = await runReviewPipeline(change, personas, {
      maxAgents: 2,
      // Two personas on the same model (the cache is per model).
      forced: ['sre', 'devops'],
      agentRunner: createAgentRunner({ apiKey: 'k', baseUrl: fake.url, maxInputTokens: 60_000, log: recordingLogger(), timeoutMs: 5_000, maxRetries: 0, countTokens: false })
    })
    const calls = fake.requests.filter((r) => r.path === '/v1/messages')
    const usage = calls.map((r) => r.response!.usage as ApiUsage)
    const inputOf = (u: ApiUsage) => u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens
    const figures = usage.map((u) => ({ ...u, total_input: inputOf(u), cache_read_share: +(u.cache_read_input_tokens / inputOf(u)).toFixed(3) }))
    if (process.env.PREFLIGHT_PRINT_FIGURES) console.log(JSON.stringify({ messages: result.messages, figures, promptChars: calls.map((c) => JSON.stringify(c.body).length) }, null, 2))
    expect(calls).toHaveLength(2)
    expect(usage[1].cache_read_input_tokens / inputOf(usage[1])).toBeGreaterThanOrEqual(0.5)

    // Every breakpoint closes a prefix above the model's minimum cacheable length.
    const min = modelInfo(String(calls[0].body.model)).minCacheableTokens
    for (const call of calls) {
      const body = call.body as { tools: unknown[]; system: unknown[]; messages: { role: string; content: unknown }[] }
      const seq: unknown[] = [...body.tools, ...body.system]
      for (const m of body.messages) if (Array.isArray(m.content)) (m.content as unknown[]).forEach((b, i) => seq.push(i === 0 ? { role: m.role, ...(b as object) } : b))
      seq.forEach((block, i) => {
        if (block && typeof block === 'object' && 'cache_control' in block) expect(fakeTokens(seq.slice(0, i + 1))).toBeGreaterThanOrEqual(min)
      })
    }
  })
})
