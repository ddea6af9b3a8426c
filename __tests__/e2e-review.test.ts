/**
 * End to end: the bundled action (`dist/index.js` as built by scripts/bundle.mjs) reviews a pull
 * request against the fake GitHub API, spawned exactly as the runner would spawn it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { FakeGitHub, type FakeFile } from './helpers/fake-github.js'
import { buildPublishedAction, runAction, type RunActionOptions } from './helpers/run-action.js'
import { SUMMARY_MARKER, parseStateMarker } from '../src/render/markers.js'

const REPO = 'acme/infra'
const HEAD = 'a'.repeat(40)
const BASE = 'b'.repeat(40)
const DOCKERFILE = 'FROM node:latest\nRUN curl -fsSL http://get.example.com/install.sh | sh\nCMD ["node", "app.js"]\n'
const DOCKERFILE_PATCH = `@@ -0,0 +1,3 @@\n${DOCKERFILE.trimEnd()
  .split('\n')
  .map((l) => `+${l}`)
  .join('\n')}`

let root: string
let fake: FakeGitHub

beforeAll(async () => {
  // Laid out like the published action: action.yml and agents/ beside dist/.
  root = buildPublishedAction('preflight-e2e-')
  fake = await FakeGitHub.start()
}, 120_000)

afterAll(async () => {
  await fake?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

beforeEach(() => {
  fake.repos.clear()
  fake.faults.length = 0
  fake.rejectedAnchors.clear()
  fake.readOnly = false
  fake.resetLog()
})

function seedPull(files: FakeFile[] = [{ filename: 'Dockerfile', status: 'added', patch: DOCKERFILE_PATCH }], headRepo = REPO) {
  fake.addPull(REPO, { number: 5, title: 'Add the web image', headSha: HEAD, baseSha: BASE, headRepo, files })
  fake.setFiles(REPO, HEAD, { Dockerfile: DOCKERFILE })
  fake.setFiles(REPO, BASE, { 'README.md': '# infra\n' })
}

function review(extra: Partial<RunActionOptions> = {}, headRepo = REPO) {
  const pr = {
    number: 5,
    draft: false,
    state: 'open',
    head: { sha: HEAD, ref: 'feature', repo: { full_name: headRepo } },
    base: { sha: BASE, ref: 'main', repo: { full_name: REPO } }
  }
  return runAction({
    event: 'pull_request',
    payload: { action: 'opened', number: 5, pull_request: pr, repository: { full_name: REPO, default_branch: 'main' } },
    inputs: { 'github-token': 'ghs_fake' },
    env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: HEAD },
    distPath: join(root, 'dist', 'index.js'),
    ...extra
  })
}

const state = () => fake.repo(REPO)
const summaryComments = () => (state().issueComments.get(5) ?? []).filter((c) => c.body.startsWith(SUMMARY_MARKER))

describe('review mode, bundled, against the fake GitHub API', () => {
  it('first run posts one review and one summary; re-runs post nothing new', async () => {
    seedPull()
    const first = await review()
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.outputs.verdict).toBe('fail')
    expect(Number(first.outputs.findings)).toBeGreaterThan(0)

    const reviews = state().reviews.get(5) ?? []
    expect(reviews).toHaveLength(1)
    expect(reviews[0].commit_id).toBe(HEAD)
    const inline = state().reviewComments.get(5) ?? []
    expect(inline.length).toBeGreaterThan(0)
    expect(inline.every((c) => c.path === 'Dockerfile' && c.line >= 1 && c.line <= 3)).toBe(true)
    // One comment for the image's stage, anchored on its first changed line, with every problem.
    expect(inline).toHaveLength(1)
    expect(inline[0].line).toBe(1)
    expect(inline[0].body).toMatch(/curl-pipe-shell/)
    expect(summaryComments()).toHaveLength(1)
    expect(parseStateMarker(summaryComments()[0].body)?.lastReviewedSha).toBe(HEAD)
    expect(first.summary).toContain('Preflight')
    // No call to GET /user (GITHUB_TOKEN cannot make it) and nothing unknown.
    expect(fake.requests.filter((r) => r.route === 'unknown' || r.route === 'users.getAuthenticated')).toEqual([])
    expect(fake.writes().map((w) => w.route)).toEqual(['pulls.createReview', 'issues.createComment'])

    // Second run: every comment is a duplicate and the summary is the same: zero writes.
    fake.resetLog()
    const second = await review()
    expect(second.code).toBe(0)
    expect(fake.writes()).toEqual([])
    expect(state().reviewComments.get(5)).toHaveLength(inline.length)
    expect(summaryComments()).toHaveLength(1)

    // Third run on an unchanged pull request: zero writes at all.
    fake.resetLog()
    const third = await review()
    expect(third.code).toBe(0)
    expect(fake.writes()).toEqual([])
  })

  it('reviews a 300-file pull request through three pages of files', async () => {
    const docs: FakeFile[] = Array.from({ length: 299 }, (_, i) => ({ filename: `docs/p${i}.md`, status: 'added', patch: '@@ -0,0 +1 @@\n+x' }))
    seedPull([...docs, { filename: 'Dockerfile', status: 'added', patch: DOCKERFILE_PATCH }])
    const run = await review()
    expect(run.code).toBe(0)
    expect(fake.count('pulls.listFiles')).toBe(3)
    // Only the file that may be infrastructure is read.
    expect(fake.count('repos.getContent')).toBe(0)
    expect([...new Set(fake.graphqlExpressions().filter((e) => e.startsWith(HEAD)))]).toEqual([`${HEAD}:Dockerfile`])
    expect(state().reviews.get(5)).toHaveLength(1)
    expect(run.outputs.verdict).toBe('fail')
  })

  it('survives a 502 twice on the pull request read', async () => {
    seedPull()
    fake.failTimes('pulls.get', 502, 2)
    const run = await review()
    expect(run.code).toBe(0)
    expect(fake.requests.filter((r) => r.route === 'pulls.get').map((r) => r.status)).toEqual([502, 502, 200])
    expect(state().reviews.get(5)).toHaveLength(1)
    expect(summaryComments()).toHaveLength(1)
  })

  it('with a read-only token (fork), stops at the first refused write and reports through annotations and the job summary', async () => {
    seedPull(undefined, 'someone/infra')
    fake.readOnly = true
    const run = await review({}, 'someone/infra')
    expect(run.code).toBe(0)
    expect(fake.writes().map((w) => [w.route, w.status])).toEqual([['pulls.createReview', 403]])
    expect(state().reviews.get(5) ?? []).toEqual([])
    expect(run.stdout).toMatch(/::error [^\n]*file=Dockerfile,line=2/)
    expect(run.stdout).toMatch(/read-only/)
    expect(run.summary).toContain('Preflight')
    expect(run.outputs.verdict).toBe('fail')
  })

  it('a comment GitHub cannot anchor does not lose the others and is listed in the summary', async () => {
    seedPull([
      { filename: 'Dockerfile', status: 'added', patch: DOCKERFILE_PATCH },
      { filename: 'worker/Dockerfile', status: 'added', patch: DOCKERFILE_PATCH }
    ])
    fake.setFiles(REPO, HEAD, { Dockerfile: DOCKERFILE, 'worker/Dockerfile': DOCKERFILE })
    fake.rejectCommentAt('Dockerfile', 1)
    const run = await review()
    expect(run.code).toBe(0)
    const inline = state().reviewComments.get(5) ?? []
    expect(inline.map((c) => c.path)).toEqual(['worker/Dockerfile'])
    expect(fake.count('pulls.createReview', 422)).toBeGreaterThanOrEqual(2)
    const summary = summaryComments()[0]?.body ?? ''
    expect(summary).toMatch(/could not be anchored/)
    expect(summary).toMatch(/Dockerfile[^\n]*2/)
  })
  it('on a push that adds a commit, comments only on lines changed since the last review', async () => {
    seedPull()
    expect((await review()).code).toBe(0)
    const firstInline = (state().reviewComments.get(5) ?? []).length

    // The author pushes: a second stage appended to the Dockerfile (a new comment of its own; the
    // first stage's comment is unchanged and not posted again).
    const HEAD2 = 'e'.repeat(40)
    const grown = DOCKERFILE + 'FROM debian:12 AS tools\nEXPOSE 22\n'
    const fullPatch = `@@ -0,0 +1,5 @@\n${grown.trimEnd().split('\n').map((l) => `+${l}`).join('\n')}`
    fake.addPull(REPO, { number: 5, title: 'Add the web image', headSha: HEAD2, baseSha: BASE, files: [{ filename: 'Dockerfile', status: 'added', patch: fullPatch }] })
    fake.setFiles(REPO, HEAD2, { Dockerfile: grown })
    fake.repo(REPO).compares.set(`${HEAD}...${HEAD2}`, [{ filename: 'Dockerfile', status: 'modified', patch: '@@ -3,0 +4,2 @@\n+FROM debian:12 AS tools\n+EXPOSE 22' }])
    fake.resetLog()
    const pr = { number: 5, draft: false, state: 'open', head: { sha: HEAD2, ref: 'feature', repo: { full_name: REPO } }, base: { sha: BASE, ref: 'main', repo: { full_name: REPO } } }
    const run = await review({ payload: { action: 'synchronize', number: 5, pull_request: pr, repository: { full_name: REPO } } })
    expect(run.code).toBe(0)
    expect(fake.count('repos.compareCommitsWithBasehead')).toBe(1)
    const inline = state().reviewComments.get(5) ?? []
    const added = inline.slice(firstInline)
    expect(added).toHaveLength(1)
    expect(added.every((c) => c.line === 4 || c.line === 5)).toBe(true)
    expect(added.some((c) => /expose-ssh/.test(c.body))).toBe(true)
    const summary = summaryComments()
    expect(summary).toHaveLength(1)
    expect(parseStateMarker(summary[0].body)?.lastReviewedSha).toBe(HEAD2)
    expect(summary[0].body).toContain('Incremental review')
  })

  it('on a push that adds a problem to a resource already commented, edits that comment in place', async () => {
    seedPull()
    expect((await review()).code).toBe(0)
    const before = state().reviewComments.get(5) ?? []
    expect(before.length).toBeGreaterThan(0)

    // Same stage, one more instruction: the stage's comment gains a problem, no new thread.
    const HEAD2 = 'f'.repeat(40)
    const grown = DOCKERFILE + 'EXPOSE 22\n'
    const fullPatch = `@@ -0,0 +1,${grown.trimEnd().split('\n').length} @@\n${grown.trimEnd().split('\n').map((l) => `+${l}`).join('\n')}`
    fake.addPull(REPO, { number: 5, title: 'Add the web image', headSha: HEAD2, baseSha: BASE, files: [{ filename: 'Dockerfile', status: 'added', patch: fullPatch }] })
    fake.setFiles(REPO, HEAD2, { Dockerfile: grown })
    const lines = DOCKERFILE.trimEnd().split('\n').length
    fake.repo(REPO).compares.set(`${HEAD}...${HEAD2}`, [{ filename: 'Dockerfile', status: 'modified', patch: `@@ -${lines},0 +${lines + 1},1 @@\n+EXPOSE 22` }])
    fake.resetLog()
    const pr = { number: 5, draft: false, state: 'open', head: { sha: HEAD2, ref: 'feature', repo: { full_name: REPO } }, base: { sha: BASE, ref: 'main', repo: { full_name: REPO } } }
    const run = await review({ payload: { action: 'synchronize', number: 5, pull_request: pr, repository: { full_name: REPO } } })
    expect(run.code).toBe(0)
    const after = state().reviewComments.get(5) ?? []
    expect(after).toHaveLength(before.length)
    expect(fake.count('pulls.createReview')).toBe(0)
    expect(fake.count('pulls.updateReviewComment')).toBe(1)
    expect(after.some((c) => /expose-ssh/.test(c.body))).toBe(true)
  })

  it('waits out a secondary rate limit with retry-after and still delivers once', async () => {
    seedPull()
    fake.secondaryRateLimit('pulls.createReview', 1, 1)
    const run = await review()
    expect(run.code).toBe(0)
    expect(fake.requests.filter((r) => r.route === 'pulls.createReview').map((r) => r.status)).toEqual([403, 200])
    expect(state().reviews.get(5)).toHaveLength(1)
    expect(summaryComments()).toHaveLength(1)
  })
})
