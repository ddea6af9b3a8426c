import { mergePlans, runReviewPipeline } from '../src/modes/pipeline.js'
import { planInlineComments } from '../src/render/inline.js'
import { fingerprint, parseFingerprint } from '../src/render/markers.js'
import { DEFAULT_SETTINGS } from '../src/settings/types.js'
import { SEVERITY_RANK } from '../src/types.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { renderSummary } from '../src/render/summary.js'
import { renderSarif } from '../src/render/sarif.js'
import { ALL_RULES } from '../src/rules/index.js'
import type { ChangeSet, ChangedFile, Finding, Persona } from '../src/types.js'
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
  it('groups the container problems in one comment, most severe first, with one combined suggestion', async () => {
    const r = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 2, forced: [] })
    expect(r.agents.length).toBeGreaterThan(0)
    const container = r.comments.find((c) => c.body.includes('k8s/privileged-container'))
    // Anchored on the container's first line (16); the suggestion spans 16..19 and keeps 16..18 as they are.
    expect(container).toMatchObject({ path: 'k8s/web.yaml', startLine: 16, line: 19, severity: 'critical' })
    expect(container!.body).toContain('```suggestion\n        - name: web\n          image: nginx:1.27.2\n          securityContext:\n            privileged: false\n```')
    expect(container!.body.split('\n')[0]).toContain('problems in `web`')
    const order = ['k8s/privileged-container', 'k8s/no-liveness-probe', 'k8s/no-cpu-limits'].map((id) => container!.body.indexOf(id))
    expect(order.every((x, i) => x > 0 && (i === 0 || x > order[i - 1]))).toBe(true)
    expect(parseFingerprint(container!.body)).toBe(container!.fingerprint)
    // The per-finding fingerprints of the previous version are recognised, so an upgrade does not re-post.
    const privileged = r.findings.find((f) => f.ruleId === 'k8s/privileged-container')!
    expect(container!.previousFingerprints).toContain(fingerprint(privileged.ruleId, privileged.path, privileged.message))
    expect(r.comments).toHaveLength(1)
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
    expect(r.comments[0].body).toContain('1 problem in `web`')
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
    const calm = DEPLOYMENT.replace('privileged: true', 'privileged: false')
    const files = () => [added('k8s/a.yaml', 'kubernetes', calm), added('k8s/b.yaml', 'kubernetes', DEPLOYMENT), added('k8s/c.yaml', 'kubernetes', calm)]
    const all = await runReviewPipeline(change(files()), personas, { maxAgents: 1, forced: [] })
    expect(all.comments).toHaveLength(3)
    const r = await runReviewPipeline(change(files()), personas, { maxAgents: 1, forced: [], maxComments: 1 })
    expect(r.comments).toHaveLength(1)
    expect(r.comments[0]).toMatchObject({ path: 'k8s/b.yaml', severity: 'critical' })
    const dropped = all.comments.filter((c) => c.path !== 'k8s/b.yaml').flatMap((c) => all.commentSources[c.fingerprint].findings)
    expect(r.unanchored.length).toBe(all.unanchored.length + dropped.length)
    expect(r.messages.join('\n')).toContain('2 more inline comments above the limit of 1 per run')
  })

  it('posts nothing inline below min-inline-severity; those findings go to the summary list', async () => {
    const settings = { ...DEFAULT_SETTINGS, minInlineSeverity: 'high' as const }
    const calm = DEPLOYMENT.replace('privileged: true', 'privileged: false')
    const r = await runReviewPipeline(change([added('k8s/a.yaml', 'kubernetes', calm), added('k8s/b.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 1, forced: [], settings })
    expect(r.comments.map((c) => c.path)).toEqual(['k8s/b.yaml'])
    for (const c of r.comments) {
      const worst = Math.max(...r.commentSources[c.fingerprint].findings.map((f) => SEVERITY_RANK[f.severity]))
      expect(worst).toBeGreaterThanOrEqual(SEVERITY_RANK.high)
    }
    expect(r.belowInline.some((f) => f.path === 'k8s/a.yaml' && f.severity === 'medium')).toBe(true)
    expect(renderSummary(r)).toContain('Not posted inline')
  })

  it('reports what changed since the previous run: comments to edit and comments now fixed', async () => {
    const first = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 1, forced: [] })
    const fp = first.comments[0].fingerprint
    expect(first.inlineState[fp]).toMatch(/^[0-9a-f]{12}$/)
    expect(first.inlineUpdates).toEqual([])
    // Same content again: nothing to edit, nothing fixed.
    const same = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 1, forced: [], previousState: { inline: first.inlineState } })
    expect(same.inlineUpdates).toEqual([])
    expect(same.inlineFixed).toEqual([])
    expect(same.inlineState).toEqual(first.inlineState)
    // The privileged flag fixed: the container's comment changes (edit in place, same identity).
    const fixedOne = DEPLOYMENT.replace('privileged: true', 'privileged: false')
    const second = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', fixedOne)]), personas, { maxAgents: 1, forced: [], previousState: { inline: first.inlineState } })
    expect(second.comments[0].fingerprint).toBe(fp)
    expect(second.inlineUpdates.map((u) => u.fingerprint)).toEqual([fp])
    expect(second.inlineUpdates[0].body).not.toContain('k8s/privileged-container')
    // The whole file gone from the findings: its comment is fixed.
    const third = await runReviewPipeline(change([added('README.md', 'other', 'x\n')]), personas, { maxAgents: 1, forced: [], previousState: { inline: first.inlineState } })
    expect(third.inlineFixed).toEqual([fp])
    expect(third.inlineState).toEqual({})
  })

  it('decides the verdict from every finding of the changed files, whichever persona runs', async () => {
    const key = ['AKIA', 'QX7V', 'M2PL', 'R9TB', 'K4HZ'].join('')
    const secret = ['wJ8rXUtnF', 'EMI/K7MDE', 'NG/bPxRfi', 'CYq2Lm9Zs', 'T3dN'].join('')
    const tf = `provider "aws" {\n  access_key = "${key}"\n  secret_key = "${secret}"\n}\n`
    const costOnly: Persona = { ...personas[0], name: 'cost-only', displayName: 'Cost only', aliases: [], triggers: { keywords: [], files: [] }, checklist: [{ id: 'cost', question: 'Is the cost weighed?', categories: ['cost'] }] }
    const r = await runReviewPipeline(change([added('main.tf', 'terraform', tf)], 'cost tweak'), [costOnly], { maxAgents: 1, forced: ['cost-only'] })
    expect(r.agents.map((a) => a.agent.persona.name)).toEqual(['cost-only'])
    expect(r.agents[0].checklist.every((c) => c.status !== 'fail')).toBe(true)
    expect(r.findings.filter((f) => f.category === 'secrets' && f.severity === 'critical').length).toBeGreaterThanOrEqual(2)
    expect(r.verdict).toBe('fail')
    expect(r.verdictReason).toMatch(/critical/)
  })

  it('never puts two bot threads on one line, model remarks included', async () => {
    const runner: AgentRunner = async () => ({
      model: 'm',
      comments: [
        { path: 'k8s/web.yaml', line: 19, severity: 'high', category: 'security', body: 'one' },
        { path: 'k8s/web.yaml', line: 19, severity: 'low', category: 'slo', body: 'two' },
        { path: 'k8s/web.yaml', line: 7, severity: 'high', category: 'slo', body: 'three' },
        { path: 'k8s/web.yaml', line: 7, severity: 'high', category: 'slo', body: 'four' }
      ],
      verdicts: [],
      summary: '',
      notes: [],
      usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 }
    })
    const r = await runReviewPipeline(change([added('k8s/web.yaml', 'kubernetes', DEPLOYMENT)]), personas, { maxAgents: 2, forced: ['sre', 'architect'], agentRunner: runner })
    const lines = r.comments.map((c) => `${c.path}:${c.line}`)
    expect(new Set(lines).size).toBe(lines.length)
    const at19 = r.comments.find((c) => c.line === 19)!
    expect(at19.body).toContain('one')
    expect(at19.body).toContain('two')
    const at7 = r.comments.find((c) => c.line === 7)!
    expect(at7.body).toContain('three')
    expect(at7.body).toContain('four')
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

  it('moves model comments outside the diff to the summary, merges one on a rule thread, never clears a rule failure', async () => {
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
    const modelComments = r.comments.filter((c) => c.body.includes('persona review'))
    expect(modelComments.map((c) => c.line)).toEqual([6, 19])
    expect(modelComments[0].body).toContain('@\u200dplatform-team')
    expect(modelComments[1].body).toContain('repeats the rule')
    expect(modelComments[1].body).toContain('k8s/privileged-container')
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

describe('planInlineComments', () => {
  const f = (line: number, endLine?: number, suggestion?: string, resource = 'r'): Finding => ({ ruleId: 'x/y', category: 'security', severity: 'high', path: 'a.yaml', line, endLine, message: `m${line}`, suggestion, resource })
  const plan = (findings: Finding[], commentable: number[], added: number[]) =>
    planInlineComments({ findings, modelComments: [], commentable: new Map([['a.yaml', new Set(commentable)]]), added: new Map([['a.yaml', new Set(added)]]), files: new Map(), minSeverity: 'medium' })
  it('drops the suggestion when its span is not fully commentable, but keeps the comment', () => {
    const { comments } = plan([f(3, 5, 'a\nb\nc')], [3, 4], [3])
    expect(comments).toHaveLength(1)
    expect(comments[0].line).toBe(3)
    expect(comments[0].startLine).toBeUndefined()
    expect(comments[0].body).not.toContain('```suggestion')
  })
  it('anchors a multi-line suggestion with start_line', () => {
    const { comments } = plan([f(3, 4, 'a\nb')], [3, 4], [4])
    expect(comments[0]).toMatchObject({ startLine: 3, line: 4 })
  })
  it('combines contiguous fixes into one suggestion and gives up on overlapping ones', () => {
    const contiguous = plan([f(3, 3, 'A'), f(4, 5, 'B\nC')], [3, 4, 5], [3, 4, 5])
    expect(contiguous.comments).toHaveLength(1)
    expect(contiguous.comments[0]).toMatchObject({ startLine: 3, line: 5 })
    expect(contiguous.comments[0].body).toContain('```suggestion\nA\nB\nC\n```')
    const overlapping = plan([f(3, 4, 'A\nB'), f(4, 4, 'C')], [3, 4], [3, 4])
    expect(overlapping.comments).toHaveLength(1)
    expect(overlapping.comments[0].body).not.toContain('```suggestion')
  })
  it('merges two resources that start on the same line into one thread', () => {
    const { comments } = plan([f(3, 3, undefined, 'a'), f(3, 3, undefined, 'b')], [3], [3])
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain('2 problems')
  })
})

describe('mergePlans', () => {
  it('keeps every rule step and adds the model steps after them, marked, without repeats', () => {
    const step = (title: string) => ({ title, detail: 'd', verify: 'v' })
    const rules = { title: 'Rules', context: ['c'], assumptions: [], files: [{ path: 'a.tf', changes: ['x'] }], steps: [step('Fix A'), step('Fix B')], rollback: ['revert'], verification: ['plan'], risks: [] }
    const model = { title: 'Model', context: ['c', 'm'], assumptions: [], files: [{ path: 'a.tf', changes: ['y'] }, { path: 'b.tf', changes: ['z'] }], steps: [step('fix a'), step('Add a canary')], rollback: ['revert', 'rollout undo'], verification: [], risks: ['r'], openQuestion: 'q?' }
    const merged = mergePlans(rules, model)
    expect(merged.steps.map((s) => s.title)).toEqual(['Fix A', 'Fix B', 'Add a canary (persona review, model)'])
    expect(merged.files).toEqual([{ path: 'a.tf', changes: ['x', 'y'] }, { path: 'b.tf', changes: ['z'] }])
    expect(merged.rollback).toEqual(['revert', 'rollout undo'])
    expect(merged.verification).toEqual(['plan'])
    expect(merged.title).toBe('Rules')
    expect(merged.openQuestion).toBe('q?')
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
