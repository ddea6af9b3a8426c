import { runReviewPipeline, anchorFindings } from '../src/modes/pipeline.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { renderSummary } from '../src/render/summary.js'
import { renderSarif } from '../src/render/sarif.js'
import { ALL_RULES } from '../src/rules/index.js'
import type { ChangeSet, ChangedFile, Finding } from '../src/types.js'
import type { AgentRunner } from '../src/llm/types.js'

const personas = loadPersonaSet(readBundledPersonas(), []).personas

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27.2
          securityContext:
            privileged: true
`

function change(files: ChangedFile[], title = 'Update web deployment'): ChangeSet {
  return { title, body: '', labels: [], number: 12, files, notes: [] }
}

function added(path: string, kind: ChangedFile['kind'], content: string): ChangedFile {
  return { path, kind, status: 'added', content, patch: patchForNewFile(content) }
}

describe('runReviewPipeline (deterministic)', () => {
  it('anchors a finding on an added line, with its suggestion, and fails the security item', async () => {
    const r = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 2, forced: [] })
    expect(r.agents.length).toBeGreaterThan(0)
    const privileged = r.comments.find((c) => c.body.includes('k8s/privileged-container'))
    expect(privileged).toMatchObject({ path: 'k8s/web.yaml', line: 19, severity: 'critical' })
    expect(privileged!.body).toContain('```suggestion\n            privileged: false\n```')
    expect(privileged!.body).toMatch(/<!-- preflight:fp [0-9a-f]+ -->/)
    const security = r.agents.flatMap((a) => a.checklist).filter((c) => c.topics?.includes('least-privilege'))
    expect(security.length).toBeGreaterThan(0)
    expect(security.every((c) => c.status === 'fail')).toBe(true)
    expect(security[0].evidence[0]).toContain('k8s/privileged-container at k8s/web.yaml:19 (critical)')
    expect(r.verdict).toBe('fail')
  })

  it('keeps findings on lines the change did not touch out of inline comments', async () => {
    const patch = '@@ -17,3 +17,3 @@\n           image: nginx:1.27.2\n           securityContext:\n-            privileged: false\n+            privileged: true\n'
    const file: ChangedFile = { path: 'k8s/web.yaml', kind: 'kubernetes', status: 'modified', content: DEPLOYMENT, patch }
    const r = await runReviewPipeline(change([file]), personas, { maxAgents: 1, forced: [] })
    expect(r.comments.map((c) => c.line)).toEqual([19])
    // e.g. the missing probes point at the container's line 16, outside the hunk
    expect(r.unanchored.length).toBeGreaterThan(0)
    expect(r.unanchored.every((f) => f.line !== 19)).toBe(true)
  })

  it('on an incremental run comments only on lines changed since the last review', async () => {
    const r = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, {
      maxAgents: 1,
      forced: [],
      changedSince: new Map([['k8s/web.yaml', new Set([17])]])
    })
    expect(r.comments).toEqual([])
    expect(r.unanchored.some((f) => f.ruleId === 'k8s/privileged-container')).toBe(true)
  })

  it('caps inline comments per run, most severe first, and lists the rest with the other findings', async () => {
    const all = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 1, forced: [] })
    expect(all.comments.length).toBeGreaterThan(2)
    const r = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 1, forced: [], maxComments: 1 })
    expect(r.comments).toHaveLength(1)
    expect(r.comments[0]).toMatchObject({ line: 19, severity: 'critical' })
    expect(r.unanchored.length).toBe(all.unanchored.length + all.comments.length - 1)
    expect(r.messages.join('\n')).toContain(`${all.comments.length - 1} more inline comments above the limit of 1 per run`)
  })

  it('skips a change with no infrastructure file', async () => {
    const r = await runReviewPipeline(change([added('src/app.ts', 'other', 'export const x = 1\n')]), personas, { maxAgents: 2, forced: [] })
    expect(r.verdict).toBe('skipped')
    expect(r.agents).toEqual([])
    expect(renderSummary(r)).toContain('No infrastructure file changed')
  })

  it('marks checklist items n/a when no changed file concerns them', async () => {
    const dockerfile = 'FROM node:20.11-alpine\nUSER node\nHEALTHCHECK CMD wget -q -O- localhost:3000/healthz\nCMD ["node", "server.js"]\n'
    const r = await runReviewPipeline(change([added('Dockerfile', 'dockerfile', dockerfile)]), personas, { maxAgents: 1, forced: ['sre'] })
    const backup = r.agents[0].checklist.find((c) => c.categories.length === 1 && c.categories[0] === 'backup')
    expect(backup?.status).toBe('n/a')
  })
})

describe('runReviewPipeline with an agent runner', () => {
  const usage = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.6 }

  it('moves model comments outside the diff to the summary and never clears a rule failure', async () => {
    const runner: AgentRunner = async (req) => ({
      model: 'test-model',
      comments: [
        { path: 'k8s/web.yaml', line: 500, severity: 'high', category: 'slo', body: 'outside the diff' },
        { path: 'k8s/web.yaml', line: 19, severity: 'critical', category: 'security', body: 'repeats the rule' },
        { path: 'k8s/web.yaml', line: 6, severity: 'medium', category: 'slo', body: 'three replicas in one zone @platform-team' }
      ],
      verdicts: req.checklist.map((c) => ({ item: c.item, status: 'pass' as const, evidence: 'looks fine to me' })),
      summary: 'model summary',
      notes: [],
      usage
    })
    const r = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 1, forced: ['sre'], agentRunner: runner })
    expect(r.unanchoredModel.map((c) => c.line)).toEqual([500])
    const modelComments = r.comments.filter((c) => c.body.includes('Persona review'))
    expect(modelComments.map((c) => c.line)).toEqual([6])
    expect(modelComments[0].body).toContain('@\u200bplatform-team')
    const security = r.agents[0].checklist.find((c) => c.categories.includes('security'))
    expect(security?.status).toBe('fail')
    expect(security?.evidence).toContain('model: looks fine to me')
    expect(r.usage.costUsd).toBe(0.6)
  })

  it('stops calling the model once max-cost-usd is reached and says so', async () => {
    let calls = 0
    const runner: AgentRunner = async () => {
      calls++
      return { model: 'm', comments: [], verdicts: [], summary: '', notes: [], usage }
    }
    const r = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, {
      maxAgents: 2,
      forced: ['sre', 'architect'],
      agentRunner: runner,
      maxCostUsd: 0.5
    })
    expect(calls).toBe(1)
    expect(r.agents).toHaveLength(2)
    expect(r.messages.join('\n')).toMatch(/cost limit of \$0\.50 was reached/)
  })

  it('keeps the deterministic review when the model fails', async () => {
    const runner: AgentRunner = async () => ({ error: 'API answered 529 after retries', notes: [], usage: { ...usage, costUsd: 0 } })
    const r = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 1, forced: ['sre'], agentRunner: runner })
    expect(r.messages.join('\n')).toContain('model review failed (API answered 529 after retries)')
    expect(r.verdict).toBe('fail')
  })
})

describe('anchorFindings', () => {
  const f = (line: number, endLine?: number, suggestion?: string): Finding => ({ ruleId: 'x/y', category: 'security', severity: 'high', path: 'a.yaml', line, endLine, message: 'm', suggestion })
  it('drops the suggestion when its span is not fully commentable, but keeps the comment', () => {
    const { comments } = anchorFindings([f(3, 5, 'a\nb\nc')], new Map([['a.yaml', new Set([3, 4])]]), new Map([['a.yaml', new Set([3])]]))
    expect(comments).toHaveLength(1)
    expect(comments[0].line).toBe(3)
    expect(comments[0].startLine).toBeUndefined()
    expect(comments[0].body).not.toContain('```suggestion')
  })
  it('anchors a multi-line suggestion with start_line', () => {
    const { comments } = anchorFindings([f(3, 4, 'a\nb')], new Map([['a.yaml', new Set([3, 4])]]), new Map([['a.yaml', new Set([4])]]))
    expect(comments[0]).toMatchObject({ startLine: 3, line: 4 })
  })
})

describe('SARIF', () => {
  it('emits 2.1.0 with rules and locations', async () => {
    const r = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 1, forced: [] })
    const sarif = renderSarif(r.findings, { version: '0.0.0', rules: ALL_RULES }) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] }
    expect(sarif.version).toBe('2.1.0')
    const run = sarif.runs[0]
    const result = run.results.find((x) => x.ruleId === 'k8s/privileged-container')!
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('k8s/privileged-container')
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'k8s/web.yaml' }, region: { startLine: 19 } })
  })
})
