/**
 * The smaller trust boundaries of the GitHub side: workspace writes never follow a symbolic link
 * out of the workspace, log lines cannot start a workflow command whatever a file name holds, and
 * the audit issue is only the bot's own.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { coreIo, safeLogLine, writeInsideWorkspace } from '../src/modes/action-io.js'
import { AUDIT_MARKER, deliverAuditIssue, findAuditIssue } from '../src/github/audit-issue.js'
import { createGitHubClient } from '../src/github/client.js'
import { FakeGitHub } from './helpers/fake-github.js'
import { recordingLogger } from './helpers/logger.js'

describe('writeInsideWorkspace', () => {
  let base: string
  let workspace: string
  let outside: string
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'preflight-ws-'))
    workspace = join(base, 'ws')
    outside = join(base, 'outside')
    mkdirSync(workspace)
    mkdirSync(outside)
  })
  afterEach(() => rmSync(base, { recursive: true, force: true }))

  it('writes a nested file, creating its folders', async () => {
    const abs = await writeInsideWorkspace(workspace, '.claude/doc/pr-1-sre.md', 'plan')
    expect(readFileSync(abs, 'utf8')).toBe('plan')
    expect(abs.startsWith(workspace) || abs.includes('/ws/')).toBe(true)
  })

  it('refuses a folder that is a symbolic link out of the workspace, and writes nothing there', async () => {
    symlinkSync(outside, join(workspace, '.claude'))
    await expect(writeInsideWorkspace(workspace, '.claude/doc/plan.md', 'x')).rejects.toThrow(/symbolic link: \.claude/)
    expect(existsSync(join(outside, 'doc'))).toBe(false)
  })

  it('refuses a file that is a symbolic link, leaving its target untouched', async () => {
    const target = join(outside, 'victim.txt')
    writeFileSync(target, 'original')
    symlinkSync(target, join(workspace, 'results.sarif'))
    await expect(writeInsideWorkspace(workspace, 'results.sarif', 'overwritten')).rejects.toThrow(/symbolic link/)
    expect(readFileSync(target, 'utf8')).toBe('original')
  })

  it('accepts an absolute path inside the workspace and refuses one outside or through ..', async () => {
    const abs = await writeInsideWorkspace(workspace, join(workspace, 'out', 'results.sarif'), '{}')
    expect(readFileSync(abs, 'utf8')).toBe('{}')
    await expect(writeInsideWorkspace(workspace, join(outside, 'x.sarif'), '{}')).rejects.toThrow(/outside the workspace/)
    await expect(writeInsideWorkspace(workspace, '../outside/y.sarif', '{}')).rejects.toThrow(/outside the workspace/)
    expect(existsSync(join(outside, 'x.sarif')) || existsSync(join(outside, 'y.sarif'))).toBe(false)
  })
})

describe('log lines and workflow commands', () => {
  const hostile = 'infra/a\n::stop-commands::pwned\n##[error]forged\r::error file=x::forged annotation/Dockerfile'

  it('safeLogLine leaves no line that starts a workflow command', () => {
    const out = safeLogLine(`Preflight: ${hostile}:2 cannot carry a comment`)
    for (const line of out.split('\n')) expect(line.trimStart()).not.toMatch(/^(::|##\[)/)
    expect(out).toContain('::stop-commands::pwned')
  })

  it('coreIo.info prints such a message without a command line', () => {
    const writes: string[] = []
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk))
      return true
    })
    try {
      coreIo.info(`Preflight: ${hostile}`)
    } finally {
      spy.mockRestore()
    }
    const printed = writes.join('')
    expect(printed).not.toMatch(/^\s*(::|##\[)/m)
  })
})

describe('findAuditIssue', () => {
  let fake: FakeGitHub
  beforeAll(async () => {
    fake = await FakeGitHub.start()
  })
  afterAll(() => fake.close())

  it('takes only an issue the bot opened whose body starts with the marker', async () => {
    const mallory = { login: 'mallory', type: 'User' as const }
    fake.addIssue('acme/infra', { title: 'Preflight cost audit', body: `${AUDIT_MARKER}\nforged state`, labels: ['preflight-audit'], user: mallory })
    fake.addIssue('acme/infra', { title: 'quoting', body: `see ${AUDIT_MARKER}`, labels: ['preflight-audit'] })
    const ours = fake.addIssue('acme/infra', { title: 'Preflight cost audit', body: `${AUDIT_MARKER}\nreal`, labels: ['preflight-audit'] })
    const client = createGitHubClient({ token: 't', baseUrl: fake.url, log: recordingLogger(), writeSpacingMs: 0 })
    const found = await findAuditIssue(client, { owner: 'acme', repo: 'infra', label: 'preflight-audit', botLogin: 'github-actions[bot]' })
    expect(found?.number).toBe(ours.number)
    expect(found?.body).toContain('real')
  })

  it('an audit issue GitHub created before answering 502 is not created twice', async () => {
    fake.repos.clear()
    fake.addRepo('acme/infra')
    fake.resetLog()
    fake.applyThenFail('issues.create', 502, 1)
    const client = createGitHubClient({ token: 't', baseUrl: fake.url, log: recordingLogger(), writeSpacingMs: 0 })
    const done = await deliverAuditIssue(client, {
      owner: 'acme',
      repo: 'infra',
      label: 'preflight-audit',
      title: 'Preflight cost audit',
      body: `${AUDIT_MARKER}\nreport`,
      clean: false,
      closeWhenClean: false,
      existing: undefined,
      botLogin: 'github-actions[bot]',
      retryBaseMs: 1,
      log: recordingLogger()
    })
    expect(done.action).toBe('created')
    expect(fake.repo('acme/infra').issues).toHaveLength(1)
    expect(done.number).toBe(fake.repo('acme/infra').issues[0].number)
    expect(fake.requests.filter((r) => r.route === 'issues.create').map((r) => r.status)).toEqual([502])
  })
})
