/**
 * The audit against the fake GitHub API: the issue is created once, edited in place after, says
 * what is new and what was fixed, closes when clean on request; shards are written and merged.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.js'
import { parseConfig, type Config } from '../src/config.js'
import type { RunContext } from '../src/modes/event.js'
import type { ActionIo } from '../src/modes/action-io.js'
import { runAuditMode } from '../src/modes/audit.js'
import { AUDIT_MARKER, auditStateMarker, compareAudits, parseAuditState, stateOf } from '../src/github/audit-issue.js'

const SAMPLE = '__tests__/__fixtures__/audit/sample-repo'
const REPO = 'acme/infra'

interface RecordedIo extends ActionIo {
  outputs: Record<string, string>
  failed: string[]
  errors: string[]
  summaries: string[]
}

function recordingIo(): RecordedIo {
  const io: RecordedIo = {
    outputs: {},
    failed: [],
    errors: [],
    summaries: [],
    info: () => undefined,
    debug: () => undefined,
    notice: () => undefined,
    warning: () => undefined,
    error: (m) => void io.errors.push(m),
    annotate: () => undefined,
    setOutput: (name, value) => void (io.outputs[name] = String(value)),
    setFailed: (m) => void io.failed.push(m),
    summary: async (md) => void io.summaries.push(md),
    writeWorkspaceFile: async (workspace, path, content) => {
      const { mkdirSync } = await import('node:fs')
      const { dirname } = await import('node:path')
      const abs = join(workspace, path)
      mkdirSync(dirname(abs), { recursive: true })
      writeFileSync(abs, content)
      return abs
    }
  }
  return io
}

function config(inputs: Record<string, string> = {}): Config {
  return parseConfig((name) => ({ 'github-token': 'test-token', ...inputs })[name] ?? '')
}

let fake: FakeGitHub
let workspace: string
const ctx = (): RunContext => ({ eventName: 'schedule', payload: {}, owner: 'acme', repo: 'infra', apiUrl: fake.url, serverUrl: 'https://github.com', workspace, sha: 'abc123' })

beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addRepo(REPO)
  workspace = mkdtempSync(join(tmpdir(), 'preflight-audit-ws-'))
  cpSync(SAMPLE, workspace, { recursive: true })
})
afterEach(async () => {
  await fake.close()
  rmSync(workspace, { recursive: true, force: true })
})

const issues = () => fake.repo(REPO).issues

test('first run creates the labelled issue; the second edits it and reports new and fixed', async () => {
  const io1 = recordingIo()
  await runAuditMode(config(), ctx(), io1, false, { now: () => new Date('2026-11-01T00:00:00Z') })
  expect(io1.failed).toEqual([])
  expect(issues()).toHaveLength(1)
  const issue = issues()[0]!
  expect(issue.labels).toEqual(['preflight-audit'])
  expect(issue.body.startsWith(AUDIT_MARKER)).toBe(true)
  expect(issue.body).toContain('$1,977.69')
  expect(issue.body).not.toContain('Since the last audit')
  expect(parseAuditState(issue.body)!.at).toBe('2026-11-01T00:00:00.000Z')
  // The sample's worst findings are medium (an EBS volume without DeletionPolicy among them): warn.
  expect(io1.outputs).toMatchObject({ 'monthly-saving-usd': '686.95', 'monthly-cost-usd': '1977.69', verdict: 'warn', 'issue-number': String(issue.number) })
  expect(fake.count('issues.create')).toBe(1)

  // Fix the gp2 volume, add a log group without retention, and move lines around.
  const prod = join(workspace, 'infra/prod/main.tf')
  writeFileSync(prod, '\n\n' + readFileSync(prod, 'utf8').replace('type              = "gp2"', 'type              = "gp3"'))
  writeFileSync(join(workspace, 'infra/prod/logs.tf'), 'resource "aws_cloudwatch_log_group" "audit" {\n  name = "/prod/audit"\n}\n')

  const io2 = recordingIo()
  await runAuditMode(config(), ctx(), io2, false, { now: () => new Date('2026-11-08T00:00:00Z') })
  expect(io2.failed).toEqual([])
  expect(issues()).toHaveLength(1)
  expect(fake.count('issues.create')).toBe(1)
  expect(fake.count('issues.update')).toBe(1)
  const body = issues()[0]!.body
  const since = body.split('### Since the last audit (2026-11-01T00:00:00.000Z)')[1]!.split('###')[0]!
  const [added, fixed] = since.split('**Fixed')
  expect(added).toContain('`cost/log-group-no-retention` [`infra/prod/logs.tf:1`]')
  // The moved lines do not make the other prod findings "new".
  expect(added).not.toContain('cost/oversized-instance')
  expect(fixed).toContain('`cost/ebs-gp2` `infra/prod/main.tf`')
  expect(fixed).not.toContain('cfn/volume.yaml')
})

test('a clean audit closes the issue when asked, and does not create one', async () => {
  const clean = mkdtempSync(join(tmpdir(), 'preflight-audit-clean-'))
  writeFileSync(join(clean, 'README.md'), 'nothing here\n')
  fake.addIssue(REPO, { title: 'Preflight cost audit', body: `${AUDIT_MARKER}\nold`, labels: ['preflight-audit'] })
  fake.addIssue(REPO, { title: 'Unrelated', body: 'no marker', labels: ['preflight-audit'] })
  try {
    const io = recordingIo()
    await runAuditMode(config({ 'audit-close-when-clean': 'true' }), { ...ctx(), workspace: clean }, io, false)
    expect(io.failed).toEqual([])
    expect(issues().map((i) => [i.title, i.state])).toEqual([
      ['Preflight cost audit', 'closed'],
      ['Unrelated', 'open']
    ])
    expect(issues()[0]!.body).toContain('Nothing to report')
    expect(io.outputs.verdict).toBe('pass')

    const again = recordingIo()
    await runAuditMode(config({ 'audit-close-when-clean': 'true' }), { ...ctx(), workspace: clean }, again, false)
    expect(fake.count('issues.create')).toBe(0)
    expect(fake.count('issues.update')).toBe(1)
  } finally {
    rmSync(clean, { recursive: true, force: true })
  }
})

test('a GitHub failure is reported and fails the run', async () => {
  fake.failTimes('issues.create', 422, 1)
  const io = recordingIo()
  await runAuditMode(config(), ctx(), io, false)
  expect(io.errors.join('\n')).toMatch(/writing the audit issue failed: HTTP 422/)
  expect(io.failed[0]).toMatch(/could not be delivered/)
  expect(io.summaries[0]).toContain('**Delivery problems**')
})

test('shards write JSON without touching the issue; audit-merge delivers the merged result', async () => {
  for (const i of [0, 1, 2]) {
    const io = recordingIo()
    await runAuditMode(config({ 'shard-total': '3', 'shard-index': String(i) }), ctx(), io, false)
    expect(existsSync(join(workspace, `preflight-audit-shards/shard-${i}.json`))).toBe(true)
  }
  expect(fake.requests).toHaveLength(0)
  const io = recordingIo()
  await runAuditMode(config({ mode: 'audit-merge', 'shard-total': '3' }), ctx(), io, true)
  expect(io.failed).toEqual([])
  expect(io.outputs['monthly-saving-usd']).toBe('686.95')
  expect(issues()).toHaveLength(1)
  expect(issues()[0]!.body).toContain('$1,977.69')
})

test('audit-merge without shards fails with a clear message', async () => {
  await expect(runAuditMode(config({ mode: 'audit-merge' }), ctx(), recordingIo(), true)).rejects.toThrow(/cannot read the shard folder preflight-audit-shards/)
})

test('the hidden state cannot be closed early by a path with -->', () => {
  const state = stateOf([{ ruleId: 'cost/x', category: 'cost', severity: 'low', path: 'a-->b.tf', line: 1, message: 'm' }], '2026-11-01')
  const marker = auditStateMarker(state)
  expect(marker.indexOf('-->')).toBe(marker.length - 3)
  expect(parseAuditState(`x ${marker} y`)!.items[0]![2]).toBe('a-->b.tf')
  expect(compareAudits([], parseAuditState(marker))!.fixed).toEqual([{ ruleId: 'cost/x', path: 'a-->b.tf', message: 'no longer found' }])
})

test('with a model, each cost persona narrates the audit through the Messages API', async () => {
  const { FakeAnthropic } = await import('./helpers/fake-anthropic.js')
  const { loadPersonaSet } = await import('../src/agents/loader.js')
  const { readBundledPersonas } = await import('../src/agents/bundled.js')
  const personas = loadPersonaSet(readBundledPersonas(), []).personas
  const model = await FakeAnthropic.start()
  try {
    model.fallback = (body) => {
      // The persona sits in the user message, after the shared evidence.
      const system = JSON.stringify(body.messages)
      const persona = personas.find((p) => system.includes(p.body.trim().slice(0, 60)))!
      return {
        kind: 'tool',
        input: {
          comments: [],
          verdicts: persona.checklist.map((c) => ({ item: c.id, status: 'warn', evidence: 'see the findings' })),
          plan: { context: [], assumptions: [], files: [], steps: [{ title: 'Move volumes to gp3', detail: 'cheapest first', verify: 'plan shows only type changes' }], rollback: [], verification: [], risks: [] },
          summary: `Narrative by ${persona.name}: start with the gp2 volumes.`
        }
      }
    }
    const io = recordingIo()
    await runAuditMode(config({ 'anthropic-api-key': 'sk-ant-test' }), { ...ctx(), anthropicBaseUrl: model.url }, io, false)
    expect(io.failed).toEqual([])
    const body = issues()[0]!.body
    expect(body).toMatch(/Narrative by infrastructure-(scale-surgeon|reliability-engineer): start with the gp2 volumes\./)
    expect(body).toContain('1. Move volumes to gp3: cheapest first')
    expect(model.messageBodies().length).toBeGreaterThanOrEqual(2)
    expect(Number(io.outputs['cost-usd'])).toBeGreaterThan(0)
  } finally {
    await model.close()
  }
})
