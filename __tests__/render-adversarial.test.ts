/**
 * Hostile names through EVERY renderer (summary, inline comments, plan, scan report, command
 * replies, audit report, job summary): once rendered as GitHub would, no live mention or issue
 * reference, no HTML comment opened or closed by input, no tag from input, markers only where
 * Preflight put them, and the summary's hidden state still parses.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { AgentOutcome, ChecklistResult, Finding, Persona, ReviewResult } from '../src/types.js'
import type { ModelComment } from '../src/llm/types.js'
import type { PlanDocument } from '../src/render/plan-types.js'
import { planInlineComments } from '../src/render/inline.js'
import { renderJobSummary, renderSummary } from '../src/render/summary.js'
import { renderPlan } from '../src/render/plan.js'
import { renderScanMarkdown } from '../src/render/report.js'
import { renderAnswerReply, renderFailureReply, renderHelpReply, renderRefusalReply, renderUnknownReply } from '../src/render/command-reply.js'
import { renderAuditReport } from '../src/render/audit-report.js'
import { RULES_DOC_URL } from '../src/render/comment.js'
import { SUMMARY_MARKER, fingerprintMarker, hasSummaryMarker, parseFingerprint, parseStateMarker, stateMarker, summaryHeader, type SummaryState } from '../src/render/markers.js'
import { runReviewPipeline } from '../src/modes/pipeline.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import { hostile, hostileName } from './helpers/hostile.js'
import { codeBlocks, htmlComments, liveReferences, structureProblems, tagCounts, toHtml } from './helpers/markdown.js'

const BLOB = 'https://github.com/acme/infra/blob/' + 'a'.repeat(40)
const HELP = 'https://example.com/help'
/** Every element Preflight's own Markdown produces; anything else came from input. */
const ALLOWED_TAGS = new Set(['p', 'code', 'pre', 'a', 'strong', 'em', 'h1', 'h2', 'h3', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'sub', 'blockquote'])

/** The properties every rendered output must have; `markers` are the HTML comments Preflight wrote. */
function assertSafe(markdown: string, markers: string[] = []): void {
  const html = toHtml(markdown)
  expect(htmlComments(html)).toEqual(markers)
  expect(liveReferences(html)).toEqual([])
  for (const [tag] of tagCounts(html)) expect(ALLOWED_TAGS).toContain(tag.replace(/^\//, ''))
  const tags = tagCounts(html)
  for (const t of ['details', 'summary', 'sub', 'table']) expect(tags.get(t) ?? 0).toBe(tags.get(`/${t}`) ?? 0)
  for (const m of html.matchAll(/<a href="([^"]*)"/g)) expect([BLOB, RULES_DOC_URL, HELP].some((base) => m[1].startsWith(base))).toBe(true)
  expect(structureProblems(markdown)).toEqual([])
}

interface Input {
  path: string
  other: string
  resource: string
  message: string
  remediation: string
  ruleId: string
  suggestion: string
  modelBody: string
  displayName: string
  question: string
  evidence: string
  note: string
  planText: string
  title: string
}

const input: fc.Arbitrary<Input> = fc.record({
  path: hostileName(),
  other: hostileName(),
  resource: hostileName(),
  message: hostile(),
  remediation: hostile(),
  ruleId: hostileName(4),
  suggestion: hostile(6).map((s) => s.replace(/\r/g, '')),
  modelBody: hostile(),
  displayName: hostileName(),
  question: hostile(),
  evidence: hostile(),
  note: hostile(),
  planText: hostile(),
  title: hostile()
})

function build(i: Input): { result: ReviewResult; persona: Persona; plan: PlanDocument; findings: Finding[] } {
  const findings: Finding[] = [
    { ruleId: i.ruleId, category: 'security', severity: 'critical', path: i.path, line: 3, message: i.message, remediation: i.remediation, resource: i.resource, suggestion: i.suggestion, helpUri: HELP },
    { ruleId: 'k8s/x', category: 'slo', severity: 'medium', path: i.path, line: 4, message: `${i.message} \`${i.resource}\``, resource: i.resource },
    { ruleId: i.ruleId, category: 'cost', severity: 'low', path: i.other, line: 40, message: i.message, monthlySavingUsd: 12, monthlyCostUsd: 30 },
    { ruleId: 'tf/y', category: 'backup', severity: 'high', path: i.other, line: 2, message: i.remediation, remediation: i.message }
  ]
  const model: ModelComment[] = [
    { path: i.path, line: 3, severity: 'high', category: 'security', body: i.modelBody, suggestion: i.suggestion },
    { path: i.path, line: 9, severity: 'high', category: 'slo', body: i.modelBody, suggestion: i.suggestion },
    { path: i.other, line: 99, severity: 'medium', category: 'slo', body: i.modelBody }
  ]
  const inline = planInlineComments({
    findings,
    modelComments: model.map((comment) => ({ comment, model: i.title })),
    commentable: new Map([[i.path, new Set([3, 4, 9])]]),
    added: new Map([[i.path, new Set([3, 4, 9])]]),
    files: new Map(),
    minSeverity: 'medium'
  })
  const persona: Persona = {
    name: 'p',
    displayName: i.displayName,
    aliases: ['q'],
    description: i.note,
    tools: [],
    triggers: { keywords: [i.title], files: [i.path] },
    checklist: [{ id: 'c', question: i.question, categories: ['security'] }],
    body: '',
    source: 'x.md',
    origin: 'repository'
  }
  const checklist: ChecklistResult[] = [
    { agent: 'p', item: 'c', question: i.question, categories: ['security'], status: 'fail', evidence: [i.evidence, `${i.ruleId} at ${i.path}:3 (critical)`], source: 'rules' },
    { agent: 'p', item: 'd', question: i.title, categories: [], status: 'unknown', evidence: [i.modelBody], source: 'model' }
  ]
  const plan: PlanDocument = {
    title: i.title,
    context: [i.planText],
    assumptions: [i.note],
    files: [{ path: i.path, changes: [i.planText] }],
    steps: [{ title: `Fix ${i.ruleId} in ${i.path}`, detail: i.planText, verify: i.note }, { title: i.title, detail: i.message, verify: i.remediation }],
    rollback: [i.planText],
    verification: [i.note],
    risks: [i.evidence],
    openQuestion: i.question
  }
  const outcome: AgentOutcome = { agent: { persona, score: 1, reason: i.note }, checklist, plan, modelSummary: i.modelBody, answer: i.question, model: i.title }
  const result: ReviewResult = {
    verdict: 'fail',
    verdictReason: `1 critical finding in ${i.path}`,
    agents: [outcome],
    findings,
    comments: inline.comments,
    unanchored: inline.unanchored,
    belowInline: inline.belowInline,
    unanchoredModel: inline.modelOutside,
    notes: [{ path: i.other, reason: 'parse', message: i.note }],
    messages: [i.note, i.modelBody],
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
    secrets: [],
    files: [{ path: i.path, kind: 'kubernetes' }, { path: i.other, kind: 'terraform' }],
    inlineUpdates: inline.updates,
    inlineFixed: inline.fixed,
    inlineState: inline.state,
    commentSources: inline.sources
  }
  return { result, persona, plan, findings }
}

describe('hostile names through every renderer', () => {
  it('summary, inline comments, plan, scan report, command replies, audit report and job summary stay inert', () => {
    fc.assert(
      fc.property(input, (i) => {
        const { result, persona, plan, findings } = build(i)
        const state: SummaryState = { lastReviewedSha: 'a'.repeat(40), note: i.title, inline: result.inlineState }

        // The sticky summary: exactly our two markers, first; the state parses back.
        const summary = `${summaryHeader(state)}\n${renderSummary(result, { blobUrl: BLOB, headline: i.title, failedComments: result.comments.slice(0, 1), postedComments: 1 })}`
        assertSafe(summary, [SUMMARY_MARKER, stateMarker(state)])
        expect(hasSummaryMarker(summary)).toBe(true)
        expect(parseStateMarker(summary)).toEqual(state)
        assertSafe(renderSummary(result))

        // Inline comments: one marker, the last line, ours; the suggestion commits exactly its text.
        expect(result.comments.length).toBeGreaterThan(0)
        for (const c of result.comments) {
          assertSafe(c.body, [fingerprintMarker(c.fingerprint)])
          expect(parseFingerprint(c.body)).toBe(c.fingerprint)
          for (const block of codeBlocks(toHtml(c.body)).filter((b) => b.lang === 'suggestion')) {
            const intended = i.suggestion.replace(/\n$/, '')
            expect(block.text).toBe(intended === '' ? '' : `${intended}\n`)
          }
        }
        expect(new Set(result.comments.map((c) => `${c.path}:${c.line}`)).size).toBe(result.comments.length)

        assertSafe(renderPlan(plan, result.agents[0].checklist))
        assertSafe(renderScanMarkdown(findings, [], result.notes))
        assertSafe(renderJobSummary(summary, result), [SUMMARY_MARKER, stateMarker(state)])

        const reply = renderAnswerReply({ name: i.displayName, question: i.question, outcome: result.agents[0], verdict: 'fail', messages: result.messages, planPath: i.path, inline: { posted: 1, duplicate: 0, failed: 1 }, deliveryProblems: [i.note], secrets: [] })
        assertSafe(reply)
        assertSafe(renderHelpReply([persona]))
        assertSafe(renderUnknownReply(i.title, [persona], { name: 'p', matched: 'q' }))
        assertSafe(renderFailureReply(i.displayName, i.note))
        assertSafe(renderRefusalReply(i.path))

        const audit = renderAuditReport(
          {
            findings,
            files: [],
            notes: result.notes,
            stats: { files: 2, findings: findings.length },
            estimate: { monthlyCostUsd: 30, monthlySavingUsd: 12, assumptions: [i.note], resources: [{ path: i.path, line: 3, resource: i.resource, monthlyCostUsd: 30, monthlySavingUsd: 12, basis: i.planText }] }
          },
          {
            title: 'Audit',
            blobUrl: BLOB,
            collapseAbove: 0,
            narratives: [{ persona: i.displayName, text: i.modelBody, source: 'model' }, { persona: i.displayName, text: `- ✅ **pass** — ${i.question}`, source: 'rules' }],
            changes: { added: findings, fixed: [{ ruleId: i.ruleId, path: i.path, message: i.message }], previousAt: i.title }
          }
        )
        assertSafe(audit)
      }),
      { numRuns: 40 }
    )
  })
})

describe('hostile names from a real manifest through the rules and the pipeline', () => {
  const personas = loadPersonaSet(readBundledPersonas(), []).personas
  it('container names and paths chosen by the PR cannot reshape the review', async () => {
    await fc.assert(
      fc.asyncProperty(hostileName(), hostileName(), async (name, dir) => {
        const content = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${JSON.stringify(name)}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: ${JSON.stringify(name)}\n          image: nginx:latest\n          securityContext:\n            privileged: true\n`
        const path = `${dir}/deploy.yaml`
        const r = await runReviewPipeline(
          { title: name, body: name, labels: [], number: 1, notes: [], files: [{ path, kind: 'kubernetes', status: 'added', content, patch: patchForNewFile(content) }] },
          personas,
          { maxAgents: 2, forced: [] }
        )
        expect(r.verdict).toBe('fail')
        const state: SummaryState = { lastReviewedSha: 'b'.repeat(40), inline: r.inlineState }
        const summary = `${summaryHeader(state)}\n${renderSummary(r, { blobUrl: BLOB })}`
        assertSafe(summary, [SUMMARY_MARKER, stateMarker(state)])
        expect(parseStateMarker(summary)).toEqual(state)
        for (const c of r.comments) {
          assertSafe(c.body, [fingerprintMarker(c.fingerprint)])
          expect(parseFingerprint(c.body)).toBe(c.fingerprint)
        }
        for (const a of r.agents) assertSafe(renderPlan(a.plan, a.checklist))
      }),
      { numRuns: 15 }
    )
  })
})
