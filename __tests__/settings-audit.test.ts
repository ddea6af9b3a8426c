/** The action's cost audit honours the repository's settings file and baseline in the checkout. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.js'
import { parseConfig } from '../src/config.js'
import type { ActionIo } from '../src/modes/action-io.js'
import { runAuditMode } from '../src/modes/audit.js'

const REPO = 'acme/infra'
let fake: FakeGitHub
let workspace: string

function io(): ActionIo & { warnings: string[]; failed: string[] } {
  const rec = {
    warnings: [] as string[],
    failed: [] as string[],
    info: () => undefined,
    debug: () => undefined,
    notice: () => undefined,
    warning: (m: string) => void rec.warnings.push(m),
    error: () => undefined,
    annotate: () => undefined,
    setOutput: () => undefined,
    setFailed: (m: string) => void rec.failed.push(m),
    summary: async () => undefined,
    writeWorkspaceFile: async () => ''
  }
  return rec
}

beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addRepo(REPO)
  workspace = mkdtempSync(join(tmpdir(), 'preflight-settings-audit-'))
  cpSync('__tests__/__fixtures__/audit/sample-repo', workspace, { recursive: true })
  mkdirSync(join(workspace, '.github'), { recursive: true })
})
afterEach(async () => {
  await fake.close()
  rmSync(workspace, { recursive: true, force: true })
})

const run = (recorder: ReturnType<typeof io>) =>
  runAuditMode(parseConfig((n) => ({ 'github-token': 't' })[n] ?? ''), { eventName: 'schedule', payload: {}, owner: 'acme', repo: 'infra', apiUrl: fake.url, serverUrl: 'https://github.com', workspace, sha: 'abc' }, recorder, false, {
    now: () => new Date('2026-11-01T00:00:00Z')
  })

test('rules turned off in .github/preflight.yml leave the audit issue; an unknown key is a warning', async () => {
  writeFileSync(join(workspace, '.github/preflight.yml'), 'rules:\n  cost/ebs-gp2: off\n  tf/aws-ebs-gp2: off\ncost:\n  warn-totl-usd: 5\n')
  const recorder = io()
  await run(recorder)
  expect(fake.repo(REPO).issues[0]!.body).not.toContain('cost/ebs-gp2')
  expect(fake.repo(REPO).issues[0]!.body).toContain('cost/')
  expect(recorder.warnings).toEqual([expect.stringMatching(/preflight\.yml:5: unknown key 'warn-totl-usd' in cost, ignored; did you mean 'warn-total-usd'\?/)])
})

test('fail-on from the settings file fails the audit job', async () => {
  writeFileSync(join(workspace, '.github/preflight.yml'), 'fail-on: low\n')
  const recorder = io()
  await run(recorder)
  expect(recorder.failed.length).toBe(1)
})

test('without the settings file the same audit lists the rule (the test above is not vacuous)', async () => {
  await run(io())
  expect(fake.repo(REPO).issues[0]!.body).toContain('cost/ebs-gp2')
})
