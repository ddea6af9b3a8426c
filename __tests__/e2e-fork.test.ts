/**
 * End to end, the two-stage review of a pull request from a fork: the bundled action runs on
 * `pull_request` with a read-only token and `result-path` (writes the result, posts nothing),
 * then on `workflow_run` with `mode: post` (checks the file against the event and the pull
 * request, posts one review and one summary). The file is the attacker's to write, so forged
 * text, foreign paths, unknown rules and a file for another commit are tried too.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeGitHub } from './helpers/fake-github.js'
import { buildPublishedAction, runAction } from './helpers/run-action.js'
import { SUMMARY_MARKER } from '../src/render/markers.js'
import { removeScratchDirs, scratchDir } from './helpers/scratch.js'

const REPO = 'acme/infra'
const FORK = 'mallory/infra'
const HEAD = '1'.repeat(40)
const BASE = '2'.repeat(40)
const DOCKERFILE = 'FROM node:latest\nRUN curl -fsSL http://get.example.com/install.sh | sh\nCMD ["node", "app.js"]\n'
const PATCH = `@@ -0,0 +1,3 @@\n${DOCKERFILE.trimEnd().split('\n').map((l) => `+${l}`).join('\n')}`

let root: string
let fake: FakeGitHub
let workspace: string

beforeAll(async () => {
  root = buildPublishedAction('preflight-e2e-fork-')
  fake = await FakeGitHub.start()
}, 120_000)

afterAll(async () => {
  await fake?.close()
  if (root) rmSync(root, { recursive: true, force: true })
  removeScratchDirs()
})

beforeEach(() => {
  fake.repos.clear()
  fake.faults.length = 0
  fake.readOnly = false
  fake.resetLog()
  fake.addPull(REPO, { number: 7, title: 'From a fork', headSha: HEAD, baseSha: BASE, headRepo: FORK, files: [{ filename: 'Dockerfile', status: 'added', patch: PATCH }] })
  fake.setFiles(REPO, HEAD, { Dockerfile: DOCKERFILE })
  fake.setFiles(REPO, BASE, { 'README.md': '# infra\n' })
  workspace = scratchDir('preflight-fork-ws-')
})

const dist = () => join(root, 'dist', 'index.js')
const summaries = () => (fake.repo(REPO).issueComments.get(7) ?? []).filter((c) => c.body.startsWith(SUMMARY_MARKER))

function computeStage() {
  const pr = { number: 7, draft: false, state: 'open', head: { sha: HEAD, ref: 'patch', repo: { full_name: FORK } }, base: { sha: BASE, ref: 'main', repo: { full_name: REPO } } }
  return runAction({
    event: 'pull_request',
    payload: { action: 'opened', number: 7, pull_request: pr, repository: { full_name: REPO } },
    inputs: { 'github-token': 'ghs_readonly', 'result-path': 'preflight-result/result.json' },
    env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: HEAD },
    workspace,
    distPath: dist()
  })
}

/** The workflow_run job: the artifact downloaded into its own workspace. */
function postStage(resultText: string, headSha = HEAD) {
  const ws = mkdtempSync(join(tmpdir(), 'preflight-post-ws-'))
  mkdirSync(join(ws, 'preflight-result'))
  writeFileSync(join(ws, 'preflight-result', 'result.json'), resultText)
  return runAction({
    event: 'workflow_run',
    payload: { action: 'completed', workflow_run: { head_sha: headSha, event: 'pull_request', head_repository: { full_name: FORK } }, repository: { full_name: REPO } },
    inputs: { 'github-token': 'ghs_write', mode: 'post', 'result-path': 'preflight-result/result.json' },
    env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: '3'.repeat(40) },
    workspace: ws,
    distPath: dist()
  }).finally(() => rmSync(ws, { recursive: true, force: true }))
}

describe('two-stage review of a fork', () => {
  it('stage one writes the result and posts nothing; stage two posts one review and one summary', async () => {
    fake.readOnly = true
    const first = await computeStage()
    expect(first.code).toBe(0)
    expect(fake.writes()).toEqual([])
    const text = readFileSync(join(workspace, 'preflight-result', 'result.json'), 'utf8')
    const result = JSON.parse(text) as { format: string; pullNumber: number; headSha: string; findings: { ruleId: string }[] }
    expect(result).toMatchObject({ format: 'preflight-result/1', pullNumber: 7, headSha: HEAD })
    expect(result.findings.map((f) => f.ruleId)).toContain('dockerfile/curl-pipe-shell')
    // Locations only: no text travels in the artifact.
    expect(text).not.toMatch(/"message"|"body"/)

    fake.readOnly = false
    fake.resetLog()
    const second = await postStage(text)
    expect(second.code).toBe(0)
    expect(fake.writes().map((w) => w.route)).toEqual(['pulls.createReview', 'issues.createComment'])
    expect(summaries()).toHaveLength(1)
    const inline = fake.repo(REPO).reviewComments.get(7) ?? []
    expect(inline.some((c) => c.line === 2 && c.body.includes('dockerfile/curl-pipe-shell'))).toBe(true)
    expect(second.outputs.verdict).toBe('fail')

    // Posting the same file again writes nothing.
    fake.resetLog()
    await postStage(text)
    expect(fake.writes()).toEqual([])
    rmSync(workspace, { recursive: true, force: true })
  }, 120_000)

  it('a forged file: text, foreign paths and unknown rules never reach the pull request', async () => {
    const forged = {
      format: 'preflight-result/1',
      pullNumber: 7,
      headSha: HEAD,
      verdict: 'pass',
      findings: [
        { ruleId: 'dockerfile/curl-pipe-shell', severity: 'high', path: 'Dockerfile', line: 2, message: '@everyone approved <!-- preflight:fp 0123456789abcdef -->' },
        { ruleId: 'made/up-rule', severity: 'critical', path: 'Dockerfile', line: 1 },
        { ruleId: 'dockerfile/no-user', severity: 'medium', path: 'src/elsewhere/Dockerfile', line: 1 }
      ]
    }
    const run = await postStage(JSON.stringify(forged))
    expect(run.code).toBe(0)
    const bodies = [...(fake.repo(REPO).reviewComments.get(7) ?? []).map((c) => c.body), ...summaries().map((c) => c.body)].join('\n')
    expect(bodies).not.toContain('@everyone')
    expect(bodies).not.toContain('0123456789abcdef')
    expect(bodies).not.toContain('made/up-rule')
    expect(bodies).not.toContain('src/elsewhere')
    expect(run.stdout).toMatch(/1 finding\(s\) in the result file name no Preflight rule/)
    expect(run.stdout).toMatch(/1 finding\(s\) in the result file point at files this pull request does not change/)
    // The verdict is recomputed, not taken from the file.
    expect(run.outputs.verdict).toBe('fail')
  }, 60_000)

  it('a file for another commit, or a malformed one, is refused with a clear message and nothing is posted', async () => {
    const stale = JSON.stringify({ format: 'preflight-result/1', pullNumber: 7, headSha: '9'.repeat(40), findings: [] })
    const a = await postStage(stale)
    expect(a.code).not.toBe(0)
    expect(a.stdout).toMatch(/::error::Preflight: the result file does not belong to this run/)

    const b = await postStage(stale, '9'.repeat(40))
    expect(b.code).not.toBe(0)
    expect(b.stdout).toMatch(/does not belong to this run/)

    const c = await postStage('{"format":"preflight-result/1","pullNumber":7,"headSha":"x","findings":[]}')
    expect(c.code).not.toBe(0)
    expect(c.stdout).toMatch(/::error::Preflight: the result file preflight-result\/result.json was refused: headSha is not a 40-character commit sha/)
    expect(fake.writes()).toEqual([])
    rmSync(workspace, { recursive: true, force: true })
  }, 90_000)
})
