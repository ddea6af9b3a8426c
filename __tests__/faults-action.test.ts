/**
 * Faults around the bundled action that the other end-to-end tests do not cover: a pull request
 * over GitHub's 3,000-file list limit, a 500 on the summary write, writes GitHub applied before
 * answering 502, comments refused with 422 followed by a re-run, a re-run with a model (no
 * second model call), and SIGTERM in the middle of delivery against a slow GitHub (nothing
 * half-written, a prompt exit).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeGitHub, type FakeFile } from './helpers/fake-github.js'
import { FakeAnthropic } from './helpers/fake-anthropic.js'
import { findPersona, loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import { buildPublishedAction, runAction, inputVariable } from './helpers/run-action.js'
import { SUMMARY_MARKER } from '../src/render/markers.js'
import { patchForNewFile } from '../src/changes/diff.js'

const REPO = 'acme/infra'
const HEAD = 'c'.repeat(40)
const BASE = 'd'.repeat(40)
const DOCKERFILE = 'FROM node:latest\nRUN curl -fsSL http://get.example.com/install.sh | sh\nCMD ["node", "app.js"]\n'
/** The diff that adds a whole file, as git writes it. */
const patchOf = (text: string): string => patchForNewFile(text) ?? ''

let root: string
let fake: FakeGitHub
let model: FakeAnthropic

beforeAll(async () => {
  root = buildPublishedAction('preflight-faults-action-')
  fake = await FakeGitHub.start()
  model = await FakeAnthropic.start()
}, 120_000)

afterAll(async () => {
  await fake?.close()
  await model?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

beforeEach(() => {
  fake.repos.clear()
  fake.faults.length = 0
  fake.readOnly = false
  fake.rejectedAnchors.clear()
  fake.resetLog()
  model.reset()
})

function seed(files: FakeFile[], changedFiles?: number) {
  fake.addPull(REPO, { number: 9, title: 'Big change', headSha: HEAD, baseSha: BASE, files, changedFiles })
  fake.setFiles(REPO, HEAD, { Dockerfile: DOCKERFILE })
  fake.setFiles(REPO, BASE, { 'README.md': '# infra\n' })
}

const payload = () => ({
  action: 'opened',
  number: 9,
  pull_request: { number: 9, draft: false, state: 'open', head: { sha: HEAD, ref: 'f', repo: { full_name: REPO } }, base: { sha: BASE, ref: 'main', repo: { full_name: REPO } } },
  repository: { full_name: REPO, default_branch: 'main' }
})

const review = (apiUrl = fake.url, withModel = false, inputs: Record<string, string> = {}) =>
  runAction({
    event: 'pull_request',
    payload: payload(),
    inputs: { 'github-token': 'ghs_fake', ...(withModel ? { 'anthropic-api-key': 'sk-ant-test', agents: 'devops-engineer', 'max-agents': '1' } : {}), ...inputs },
    env: { GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: REPO, GITHUB_SHA: HEAD, ...(withModel ? { ANTHROPIC_BASE_URL: model.url } : {}) },
    distPath: join(root, 'dist', 'index.js')
  })

const inlineComments = () => fake.repo(REPO).reviewComments.get(9) ?? []

const summaries = () => (fake.repo(REPO).issueComments.get(9) ?? []).filter((c) => c.body.startsWith(SUMMARY_MARKER))

describe('GitHub limits and errors, bundled action', () => {
  it('a pull request of 3,500 files: the first 3,000 are reviewed and the summary says the rest were not listed', async () => {
    const docs: FakeFile[] = Array.from({ length: 3499 }, (_, i) => ({ filename: `docs/p${String(i).padStart(4, '0')}.md`, status: 'added', patch: '@@ -0,0 +1 @@\n+x' }))
    seed([{ filename: 'Dockerfile', status: 'added', patch: patchOf(DOCKERFILE) }, ...docs], 3500)
    const run = await review()
    expect(run.code).toBe(0)
    expect(fake.count('pulls.listFiles')).toBe(30)
    expect(fake.count('repos.getContent')).toBe(0)
    expect([...new Set(fake.graphqlExpressions().filter((e) => e.startsWith(HEAD)))]).toEqual([`${HEAD}:Dockerfile`])
    expect(fake.repo(REPO).reviews.get(9)).toHaveLength(1)
    expect(summaries()).toHaveLength(1)
    expect(summaries()[0].body).toMatch(/3,000/)
    expect(run.outputs.verdict).toBe('fail')
  }, 120_000)

  it('a 500 on the summary write is retried and leaves exactly one summary', async () => {
    seed([{ filename: 'Dockerfile', status: 'added', patch: patchOf(DOCKERFILE) }])
    fake.failTimes('issues.createComment', 500, 1)
    const run = await review()
    expect(run.code).toBe(0)
    expect(fake.requests.filter((r) => r.route === 'issues.createComment').map((r) => r.status)).toEqual([500, 201])
    expect(summaries()).toHaveLength(1)
    expect(fake.repo(REPO).reviews.get(9)).toHaveLength(1)
  }, 60_000)

  it('applied then 502: a review and a summary GitHub applied before failing are not sent again', async () => {
    seed([{ filename: 'Dockerfile', status: 'added', patch: patchOf(DOCKERFILE) }])
    fake.applyThenFail('pulls.createReview', 502, 1)
    fake.applyThenFail('issues.createComment', 502, 1)
    const run = await review()
    expect(run.code).toBe(0)
    expect(fake.requests.filter((r) => r.route === 'pulls.createReview').map((r) => r.status)).toEqual([502])
    expect(fake.requests.filter((r) => r.route === 'issues.createComment').map((r) => r.status)).toEqual([502])
    expect(fake.repo(REPO).reviews.get(9)).toHaveLength(1)
    const fps = inlineComments().map((c) => c.body.match(/preflight:fp ([0-9a-f]+)/)?.[1])
    expect(fps.length).toBeGreaterThan(0)
    expect(new Set(fps).size).toBe(fps.length)
    expect(summaries()).toHaveLength(1)
    expect(run.stdout).not.toMatch(/::error::/)

    // And a re-run finds everything in place: zero writes.
    fake.resetLog()
    const again = await review()
    expect(again.code).toBe(0)
    expect(fake.writes()).toEqual([])
  }, 60_000)

  it('422 then re-run: a comment GitHub refused is listed in the summary and not offered again on the same head', async () => {
    seed([{ filename: 'Dockerfile', status: 'added', patch: patchOf(DOCKERFILE) }])
    // The Dockerfile's one stage is one comment, anchored on its first changed line.
    fake.rejectCommentAt('Dockerfile', 1)
    const first = await review()
    expect(first.code).toBe(0)
    expect(fake.requests.filter((r) => r.route === 'pulls.createReview' && r.status === 422).length).toBeGreaterThan(0)
    expect(inlineComments().some((c) => c.line === 1)).toBe(false)
    expect(summaries()).toHaveLength(1)
    const summaryBefore = summaries()[0].body
    expect(summaryBefore).toMatch(/could not be anchored/)

    fake.resetLog()
    const second = await review()
    expect(second.code).toBe(0)
    expect(fake.writes()).toEqual([])
    expect(summaries()[0].body).toBe(summaryBefore)
  }, 60_000)

  it('a re-run with a model: same prompt, same settings, so zero model calls and zero writes', async () => {
    seed([{ filename: 'Dockerfile', status: 'added', patch: patchOf(DOCKERFILE) }])
    const devops = findPersona(loadPersonaSet(readBundledPersonas(), []).personas, 'devops-engineer')!
    model.fallback = {
      kind: 'tool',
      input: {
        comments: [{ path: 'Dockerfile', line: 3, severity: 'low', category: 'observability', confidence: 0.9, body: 'Add a HEALTHCHECK so the orchestrator can tell a hung process.' }],
        verdicts: devops.checklist.map((c) => ({ item: c.id, status: 'warn', evidence: 'reviewed by the model' })),
        plan: { context: ['A web image'], assumptions: [], files: [], steps: [], rollback: ['Redeploy the previous digest'], verification: ['Health check'], risks: [] },
        summary: 'The image runs as root and is not pinned.'
      }
    }
    const first = await review(fake.url, true)
    expect(first.code).toBe(0)
    const calls = model.messageBodies().length
    expect(calls).toBeGreaterThan(0)
    expect(Number(first.outputs['cost-usd'])).toBeGreaterThan(0)
    expect(summaries()).toHaveLength(1)
    const summaryBefore = summaries()[0].body
    expect(summaryBefore).toContain('The image runs as root and is not pinned.')

    fake.resetLog()
    model.requests.length = 0
    const second = await review(fake.url, true)
    expect(second.code).toBe(0)
    expect(model.messageBodies()).toHaveLength(0)
    expect(fake.writes()).toEqual([])
    expect(summaries()[0].body).toBe(summaryBefore)
    expect(second.outputs['cost-usd']).toBe('0.0000')
    expect(second.stdout).toMatch(/reused from the previous run/)

    // A changed prompt (a new pull request title) pays again.
    fake.repo(REPO).pulls.get(9)!.title = 'Big change, renamed'
    model.requests.length = 0
    await review(fake.url, true)
    expect(model.messageBodies().length).toBeGreaterThan(0)
  }, 90_000)

  it('an absolute sarif-path outside the workspace does not fail the job after posting', async () => {
    seed([{ filename: 'Dockerfile', status: 'added', patch: patchOf(DOCKERFILE) }])
    const outside = join(tmpdir(), `preflight-outside-${process.pid}.sarif`)
    const run = await review(fake.url, false, { 'sarif-path': outside })
    expect(run.code).toBe(0)
    expect(existsSync(outside)).toBe(false)
    expect(run.stdout).toMatch(/::warning::Preflight: SARIF not written \(input 'sarif-path': refusing to write outside the workspace/)
    expect(summaries()).toHaveLength(1)
  }, 60_000)

  it('a file name carrying workflow commands reaches the log without starting one', async () => {
    const evil = 'svc\n::stop-commands::pwned\n::error file=x::forged/Dockerfile'
    fake.addPull(REPO, { number: 9, title: 'Evil names', headSha: HEAD, baseSha: BASE, files: [{ filename: evil, status: 'added', patch: patchOf(DOCKERFILE) }] })
    fake.setFiles(REPO, HEAD, { [evil]: DOCKERFILE })
    fake.rejectCommentAt(evil, 1)
    const run = await review()
    expect(run.code).toBe(0)
    expect(fake.count('pulls.createReview', 422)).toBeGreaterThan(0)
    expect(run.stdout).toContain('stop-commands')
    expect(run.stdout).not.toMatch(/^\s*::stop-commands::/m)
    expect(run.stdout).not.toMatch(/^\s*::error file=x::forged/m)
  }, 60_000)

  it('a persistent 500 on the pull request read fails the job with a message naming the failure', async () => {
    seed([{ filename: 'Dockerfile', status: 'added', patch: patchOf(DOCKERFILE) }])
    fake.failTimes('pulls.get', 500, 20)
    const run = await review()
    expect(run.code).not.toBe(0)
    expect(run.stdout).toMatch(/::error::Preflight: .*500/)
    expect(fake.writes()).toEqual([])
  }, 120_000)
})

/** A pass-through proxy to the fake that holds every write for `holdMs` before forwarding it. */
async function slowProxy(target: string, holdMs: number, onWrite: (method: string, path: string, body: string) => void): Promise<{ url: string; server: Server; forwarded: () => number }> {
  let forwarded = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const forward = () => {
        const up = httpRequest(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers)
          r.pipe(res)
        })
        up.on('error', () => res.destroy())
        up.end(body)
      }
      if (req.method !== 'GET') {
        onWrite(req.method ?? '', req.url ?? '', body.toString('utf8'))
        setTimeout(() => {
          forwarded++
          forward()
        }, holdMs)
      } else forward()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, forwarded: () => forwarded }
}

describe('SIGTERM in the middle of delivery', () => {
  it('exits promptly, and every write GitHub received is whole: the summary is the old one or a complete new one', async () => {
    seed([{ filename: 'Dockerfile', status: 'added', patch: patchOf(DOCKERFILE) }])
    const old = fake.addIssueComment(REPO, 9, `${SUMMARY_MARKER}\nold summary`)
    const writes: { method: string; path: string; body: string }[] = []
    let firstWrite: () => void = () => undefined
    const sawWrite = new Promise<void>((resolve) => (firstWrite = resolve))
    const proxy = await slowProxy(fake.url, 3000, (method, path, body) => {
      writes.push({ method, path, body })
      firstWrite()
    })
    const temp = mkdtempSync(join(tmpdir(), 'preflight-sigterm-'))
    try {
      const eventPath = join(temp, 'event.json')
      writeFileSync(eventPath, JSON.stringify(payload()))
      for (const f of ['out', 'summary']) writeFileSync(join(temp, f), '')
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: REPO,
        GITHUB_API_URL: proxy.url,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_SHA: HEAD,
        GITHUB_WORKSPACE: temp,
        GITHUB_OUTPUT: join(temp, 'out'),
        GITHUB_STEP_SUMMARY: join(temp, 'summary'),
        RUNNER_TEMP: temp,
        [inputVariable('github-token')]: 'ghs_fake'
      }
      const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], { env, cwd: temp, stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d))
      child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d))
      const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })))
      await sawWrite
      child.kill('SIGTERM')
      const { code, signal } = await closed
      // Prompt: the process is gone before the held write is even forwarded (event order, not a stopwatch).
      expect(proxy.forwarded()).toBe(0)
      // Ended by the signal, never as a green run.
      expect(code === 0 && signal === null).toBe(false)
      expect(signal).toBe('SIGTERM')
      // Let any forwarded write land before looking at what GitHub holds.
      await new Promise((r) => setTimeout(r, 3500))
      expect(writes.length).toBeGreaterThanOrEqual(1)
      for (const w of writes) {
        const body = JSON.parse(w.body) as { body?: string; comments?: { body: string }[] }
        if (w.path.endsWith('/reviews')) expect(body.comments?.every((c) => c.body.length > 0)).toBe(true)
        if (w.path.includes('/comments')) expect(body.body?.startsWith(SUMMARY_MARKER)).toBe(true)
      }
      const now = summaries()
      expect(now).toHaveLength(1)
      expect(now[0].id).toBe(old.id)
      expect(now[0].body === `${SUMMARY_MARKER}\nold summary` || (now[0].body.startsWith(SUMMARY_MARKER) && now[0].body.includes('Preflight'))).toBe(true)
      expect(output).toContain('::error::Preflight: cancelled (SIGTERM)')
      expect(output).not.toMatch(/TypeError|ReferenceError/)
    } finally {
      proxy.server.closeAllConnections()
      await new Promise<void>((r) => proxy.server.close(() => r()))
      rmSync(temp, { recursive: true, force: true })
    }
  }, 60_000)
})
