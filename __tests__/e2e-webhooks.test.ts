/**
 * Every published `pull_request` webhook example, run through the bundled action against the
 * fake GitHub API: each ends in the right decision (review or skip) and none crashes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { FakeGitHub } from './helpers/fake-github.js'
import { buildPublishedAction, runAction } from './helpers/run-action.js'

interface Example {
  action?: string
  number?: number
  pull_request?: { number: number; draft?: boolean; state?: string }
  repository: { full_name: string }
}

const require = createRequire(import.meta.url)
const index = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as { name: string; examples: Example[] }[]
const examples = index.find((e) => e.name === 'pull_request')!.examples

const REVIEWED = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review'])
const DOCKERFILE = 'FROM alpine:latest\n'

let root: string
let fake: FakeGitHub

beforeAll(async () => {
  root = buildPublishedAction('preflight-webhooks-')
  fake = await FakeGitHub.start()
}, 120_000)

afterAll(async () => {
  await fake?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

function expected(e: Example): 'review' | 'skip' {
  const pr = e.pull_request
  if (!pr || !e.action || !REVIEWED.has(e.action)) return 'skip'
  if (pr.state === 'closed' || pr.draft) return 'skip'
  return 'review'
}

describe('published pull_request webhook examples', () => {
  it('has the 29 examples', () => {
    expect(examples).toHaveLength(29)
    expect(examples.filter((e) => expected(e) === 'review').length).toBeGreaterThan(3)
  })

  it('each ends in the right decision without a crash', async () => {
    const results: { action?: string; want: string; code: number | null; verdict?: string; stderr: string; stdout: string; calls: number }[] = []
    // A few at a time: each run is a child process.
    for (let i = 0; i < examples.length; i += 4) {
      const batch = examples.slice(i, i + 4).map(async (e, j) => {
        const n = 1000 + i + j
        const repo = `hooks${i + j}/${e.repository.full_name.split('/')[1]}`
        const payload = { ...e, number: n, pull_request: e.pull_request ? { ...e.pull_request, number: n } : undefined }
        fake.addPull(repo, { number: n, title: 'example', headSha: 'c'.repeat(40), baseSha: 'd'.repeat(40), files: [{ filename: 'Dockerfile', status: 'added', patch: '@@ -0,0 +1 @@\n+FROM alpine:latest' }] })
        fake.setFiles(repo, 'c'.repeat(40), { Dockerfile: DOCKERFILE })
        const r = await runAction({
          event: 'pull_request',
          payload,
          inputs: { 'github-token': 'ghs_fake' },
          env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: repo },
          distPath: join(root, 'dist', 'index.js')
        })
        const calls = fake.requests.filter((q) => q.path.includes(`/repos/${repo}/`)).length
        results.push({ action: e.action, want: expected(e), code: r.code, verdict: r.outputs.verdict, stderr: r.stderr, stdout: r.stdout, calls })
      })
      await Promise.all(batch)
    }
    for (const r of results) {
      expect({ action: r.action, code: r.code, stderr: r.stderr }).toEqual({ action: r.action, code: 0, stderr: '' })
      if (r.want === 'skip') {
        expect({ action: r.action, verdict: r.verdict, calls: r.calls }).toEqual({ action: r.action, verdict: 'skipped', calls: 0 })
        expect(r.stdout).toMatch(/::notice::Preflight: (nothing to do|pull request #\d+ is (closed|a draft))/)
      } else {
        expect({ action: r.action, verdict: r.verdict }).toEqual({ action: r.action, verdict: 'warn' })
        expect(r.calls).toBeGreaterThan(0)
      }
    }
  }, 300_000)
})
