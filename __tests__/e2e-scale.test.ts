/**
 * End to end at scale: the bundled action reviews a 300-file pull request against the fake
 * GitHub with 60 ms of latency on every request. Asserts the API budget (request counts, not
 * time): at most 25 requests in all, context reads included, and at most 4 of them writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { FakeGitHub, type FakeFile } from './helpers/fake-github.js'
import { buildPublishedAction, runAction } from './helpers/run-action.js'
import { SUMMARY_MARKER } from '../src/render/markers.js'
import { patchForNewFile } from '../src/changes/diff.js'

const REPO = 'acme/infra'
const HEAD = 'e'.repeat(40)
const BASE = 'f'.repeat(40)

let root: string
let fake: FakeGitHub

beforeAll(async () => {
  root = buildPublishedAction('preflight-e2e-scale-')
  fake = await FakeGitHub.start()
}, 120_000)

afterAll(async () => {
  await fake?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

/** The diff that adds a whole file, as git writes it. */
const addedPatch = (text: string): string => patchForNewFile(text) ?? ''

/** 300 changed files: one service per folder, a Dockerfile, a manifest and a Terraform file each. */
function seed300(): string[] {
  const files: FakeFile[] = []
  const contents: Record<string, string> = {}
  for (let i = 0; i < 100; i++) {
    const dir = `services/svc${String(i).padStart(3, '0')}`
    const docker = `FROM node:latest\nRUN npm ci\nCMD ["node", "app${i}.js"]\n`
    const k8s = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: acme/svc${i}:latest\n`
    const tf = `resource "aws_s3_bucket" "b${i}" {\n  bucket = "acme-svc-${i}"\n}\n`
    for (const [name, text] of [['Dockerfile', docker], ['deploy.yaml', k8s], ['main.tf', tf]] as const) {
      files.push({ filename: `${dir}/${name}`, status: 'added', patch: addedPatch(text) })
      contents[`${dir}/${name}`] = text
    }
  }
  fake.addPull(REPO, { number: 300, title: 'Three hundred files', headSha: HEAD, baseSha: BASE, files })
  fake.setFiles(REPO, HEAD, contents)
  fake.setFiles(REPO, BASE, { 'README.md': '# infra\n', '.github/agents/team.md': '---\nname: team\ndescription: Team reviewer\n---\nOur rules.\n' })
  return files.map((f) => f.filename)
}

describe('a 300-file pull request with 60 ms per request', () => {
  it('is reviewed in at most 25 API requests, at most 4 of them writes, with one review and one summary', async () => {
    const changed = seed300()
    fake.latencyMs = 60
    const run = await runAction({
      event: 'pull_request',
      payload: {
        action: 'opened',
        number: 300,
        pull_request: { number: 300, draft: false, state: 'open', head: { sha: HEAD, ref: 'big', repo: { full_name: REPO } }, base: { sha: BASE, ref: 'main', repo: { full_name: REPO } } },
        repository: { full_name: REPO, default_branch: 'main' }
      },
      inputs: { 'github-token': 'ghs_fake' },
      env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: HEAD },
      distPath: join(root, 'dist', 'index.js')
    })
    fake.latencyMs = 0
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(['warn', 'fail']).toContain(run.outputs.verdict)
    expect(Number(run.outputs.findings)).toBeGreaterThan(100)

    const routes = fake.requests.map((r) => r.route)
    expect(routes).not.toContain('unknown')
    expect(fake.requests.length).toBeLessThanOrEqual(25)
    expect(fake.writes().length).toBeLessThanOrEqual(4)
    // Contents come through GraphQL only: no per-file REST read.
    expect(fake.count('repos.getContent')).toBe(0)
    expect(fake.count('pulls.listFiles')).toBe(3)
    // Every changed file was read: all 300 show up in the GraphQL variables; so do the folders of
    // the Terraform and Kubernetes files, listed for context (their unchanged siblings) in the same budget.
    const asked = new Set(
      fake.requests
        .filter((r) => r.route === 'graphql')
        .flatMap((r) => Object.values((r.body as { variables: Record<string, string> }).variables))
        .filter((v) => v.startsWith(`${HEAD}:`))
    )
    expect(changed.filter((f) => asked.has(`${HEAD}:${f}`))).toHaveLength(300)
    // The GraphQL rate-limit cost is recorded in the log.
    expect(run.stdout).toMatch(/Preflight: \d+ GraphQL read\(s\), rate-limit cost \d+, \d+ points left/)

    expect(fake.repo(REPO).reviews.get(300)).toHaveLength(1)
    expect((fake.repo(REPO).issueComments.get(300) ?? []).filter((c) => c.body.startsWith(SUMMARY_MARKER))).toHaveLength(1)
  }, 120_000)
})
