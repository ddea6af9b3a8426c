// The model side against the fake Messages API (__tests__/helpers/fake-anthropic.ts): two
// personas review a pull request built from the generated tree. Answers the input tokens of each
// persona call against the budget, the share of high-severity finding lines present in the
// prompt, the share of the system prompt read from cache on the second call, and the estimate.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { loadSrc } from '../lib/load-src.mjs'
import { listTree, spread } from './tree.mjs'

const MAX_INPUT_TOKENS = 60_000

const addedPatch = (text) => {
  const lines = text.replace(/\n$/, '').split('\n')
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`
}

export async function benchModel({ tree, files = 120 }) {
  const src = await loadSrc({
    FakeAnthropic: '__tests__/helpers/fake-anthropic.ts',
    createAgentRunner: 'src/llm/runner.ts',
    runReviewPipeline: 'src/modes/pipeline.ts',
    loadPersonaSet: 'src/agents/loader.ts',
    readBundledPersonas: 'src/agents/bundled.ts',
    classifyFile: 'src/changes/classify.ts'
  })
  const paths = spread(listTree(tree).filter((p) => !p.endsWith('.md')), files)
  const change = {
    title: 'Roll out the new services',
    body: 'Adds services, their images and infrastructure.',
    labels: [],
    notes: [],
    files: paths.map((p) => {
      const content = readFileSync(join(tree, p), 'utf8')
      return { path: p, status: 'added', kind: src.classifyFile(p, content), patch: addedPatch(content), content }
    })
  }
  const personas = src.loadPersonaSet(src.readBundledPersonas(pathToFileURL(resolve('src/agents/bundled.ts')).href), []).personas.slice(0, 2)
  const fake = await src.FakeAnthropic.start()
  // A valid answer for whichever persona is asking: one verdict per checklist item.
  fake.fallback = (body) => ({
    kind: 'tool',
    input: {
      comments: [],
      verdicts: (personas.find((p) => JSON.stringify(body.system).includes(JSON.stringify(p.body.slice(0, 120)).slice(1, -1))) ?? personas[0]).checklist.map((c) => ({
        item: c.id,
        status: 'pass',
        evidence: 'benchmark answer'
      })),
      plan: { context: ['bench'], assumptions: [], files: [], steps: [], rollback: ['Revert the commit'], verification: ['Re-run the review'], risks: [] },
      summary: 'Benchmark review.'
    }
  })
  const calls = []
  try {
    const inner = src.createAgentRunner({ apiKey: 'bench-key', baseUrl: fake.url, maxInputTokens: MAX_INPUT_TOKENS, log: { info() {}, warning() {}, notice() {}, error() {}, debug() {} } })
    const runner = async (request) => {
      const out = await inner(request)
      calls.push({ persona: request.persona.name, usage: out.usage, failed: 'error' in out ? out.error : undefined })
      return out
    }
    const review = await src.runReviewPipeline(change, personas, { maxAgents: 2, forced: personas.map((p) => p.name), agentRunner: runner })
    const bodies = fake.messageBodies()
    const high = review.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')
    const contents = new Map(change.files.map((f) => [f.path, f.content.split('\n')]))
    // A high-severity finding's hunk counts as included when its file's path and the exact text
    // of its line are both in the user message of every persona call.
    const included = (body, f) => {
      const text = JSON.stringify(body.messages)
      const line = contents.get(f.path)?.[f.line - 1] ?? ''
      return text.includes(f.path) && text.includes(JSON.stringify(line).slice(1, -1))
    }
    const perCall = bodies.map((b) => {
      const tokens = Math.ceil(JSON.stringify([b.tools, b.system, b.messages]).length / 4)
      return { tokens, highIncluded: high.filter((f) => included(b, f)).length }
    })
    const second = calls[1]?.usage
    const cacheShare = second && second.cacheReadTokens + second.cacheWriteTokens > 0 ? second.cacheReadTokens / (second.cacheReadTokens + second.cacheWriteTokens) : null
    const systemTokens = bodies[1] ? Math.ceil(JSON.stringify(bodies[1].system).length / 4) : null
    return {
      budget: MAX_INPUT_TOKENS,
      personas: personas.map((p) => p.name),
      files: change.files.length,
      highFindings: high.length,
      calls: perCall,
      usage: calls.map((c) => ({ persona: c.persona, ...c.usage, failed: c.failed })),
      secondCallCacheRead: second?.cacheReadTokens ?? null,
      secondCallCacheWrite: second?.cacheWriteTokens ?? null,
      secondCallCachedShare: cacheShare,
      secondCallSystemTokens: systemTokens,
      costUsd: review.usage.costUsd,
      messages: review.messages.slice(0, 5)
    }
  } finally {
    await fake.close()
  }
}
