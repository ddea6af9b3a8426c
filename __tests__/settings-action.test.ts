/**
 * Settings in the action, end to end: the bundled action against the fake GitHub API reads
 * `.github/preflight.yml` and the baseline at the BASE commit, never the head; a bad settings
 * file fails the run naming file and line; a suppression the PR adds cannot silence a high
 * finding; a model failure is a warning annotation; dependency-bot pull requests get the light
 * mode; merge queue runs end green with a notice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { FakeGitHub, type FakeFile } from './helpers/fake-github.js'
import { FakeAnthropic } from './helpers/fake-anthropic.js'
import { buildPublishedAction, runAction, type RunActionOptions } from './helpers/run-action.js'
import { decideMode } from '../src/modes/event.js'
import { parseConfig } from '../src/config.js'
import { patchForNewFile } from '../src/changes/diff.js'

const REPO = 'acme/infra'
const HEAD = 'a'.repeat(40)
const BASE = 'b'.repeat(40)
const DOCKERFILE = 'FROM node:latest\nRUN curl -fsSL http://get.example.com/install.sh | sh\nCMD ["node", "app.js"]\n'
const CLEAN = 'FROM node:20.11.1-alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000\nUSER node\nHEALTHCHECK CMD wget -q -O- http://localhost:3000/health || exit 1\nCMD ["node", "app.js"]\n'
/** The diff that adds a whole file, as git writes it. */
const patchOf = (text: string): string => patchForNewFile(text) ?? ''

let root: string
let fake: FakeGitHub
let model: FakeAnthropic

beforeAll(async () => {
  root = buildPublishedAction('preflight-settings-e2e-')
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
  fake.resetLog()
  model.reset()
})

function seed(head: Record<string, string>, base: Record<string, string> = {}, user?: string) {
  const files: FakeFile[] = Object.entries(head).map(([filename, text]) => ({ filename, status: 'added', patch: patchOf(text) }))
  fake.addPull(REPO, { number: 5, title: 'Change', headSha: HEAD, baseSha: BASE, files, ...(user ? { user } : {}) })
  fake.setFiles(REPO, HEAD, head)
  fake.setFiles(REPO, BASE, { 'README.md': '# infra\n', ...base })
}

function review(extra: Partial<RunActionOptions> & { inputs?: Record<string, string>; user?: string } = {}) {
  const pr = { number: 5, draft: false, state: 'open', user: { login: extra.user ?? 'octocat' }, head: { sha: HEAD, ref: 'feature', repo: { full_name: REPO } }, base: { sha: BASE, ref: 'main', repo: { full_name: REPO } } }
  return runAction({
    event: 'pull_request',
    payload: { action: 'opened', number: 5, pull_request: pr, repository: { full_name: REPO, default_branch: 'main' } },
    distPath: join(root, 'dist', 'index.js'),
    ...extra,
    inputs: { 'github-token': 'ghs_fake', ...extra.inputs },
    env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: HEAD, ...extra.env }
  })
}

const inline = () => fake.repo(REPO).reviewComments.get(5) ?? []

describe('settings at the base commit', () => {
  it('turn rules off and set fail-on; the head copy of the file (which would turn every rule off) has no say', async () => {
    seed({ Dockerfile: DOCKERFILE, '.github/preflight.yml': 'fail-on: none\nrules:\n  "*": off\n' }, { '.github/preflight.yml': 'rules:\n  dockerfile/curl-pipe-shell: off\nfail-on: medium\n' })
    const r = await review()
    // Read at the base commit, in the GraphQL request that also lists the persona folders.
    const asked = fake.requests.filter((q) => q.route === 'graphql').flatMap((q) => Object.values((q.body as { variables: Record<string, string> }).variables))
    expect(asked).toContain(`${BASE}:.github/preflight.yml`)
    expect(inline().some((c) => /curl-pipe-shell/.test(c.body))).toBe(false)
    expect(inline().some((c) => /base-image-latest/.test(c.body))).toBe(true)
    expect(r.code).not.toBe(0)
    expect(r.stdout).toMatch(/::error::Preflight: \d+ finding\(s\) at or above fail-on 'medium'/)
  })

  it('the fail-on input wins over the file', async () => {
    seed({ Dockerfile: DOCKERFILE }, { '.github/preflight.yml': 'fail-on: medium\n' })
    expect((await review({ inputs: { 'fail-on': 'none' } })).code).toBe(0)
  })

  it('a bad gate value fails the run with file and line; an unknown key is a warning', async () => {
    seed({ Dockerfile: DOCKERFILE }, { '.github/preflight.yml': 'max-comments: 5\nrules:\n  dockerfile/curl-pipe-shell: of\n' })
    const bad = await review()
    expect(bad.code).not.toBe(0)
    expect(bad.stdout).toContain(`::error::Preflight: .github/preflight.yml:3: rules.dockerfile/curl-pipe-shell must be one of off, critical, high, medium, low, info, got "of"; did you mean 'off'?`)
    expect(fake.writes()).toEqual([])

    fake.repos.clear()
    seed({ Dockerfile: DOCKERFILE }, { '.preflight.yml': 'max-coments: 5\n' })
    const warned = await review()
    expect(warned.code).toBe(0)
    expect(warned.stdout).toContain(`::warning::Preflight settings: .preflight.yml:1: unknown key 'max-coments', ignored; did you mean 'max-comments'?`)
  })

  it('the baseline at the base suppresses what it lists and keeps it out of fail-on', async () => {
    const { buildBaseline } = await import('../src/settings/baseline.js')
    const { analyzeFiles } = await import('../src/rules/index.js')
    const files = [{ path: 'Dockerfile', kind: 'dockerfile' as const, content: DOCKERFILE }]
    const baseline = buildBaseline((await analyzeFiles(files)).findings, files)
    seed({ Dockerfile: DOCKERFILE }, { '.github/preflight-baseline.json': JSON.stringify(baseline) })
    const r = await review({ inputs: { 'fail-on': 'low', 'sarif-path': 'out.sarif' } })
    expect(r.code).toBe(0)
    expect(r.outputs.findings).toBe('0')
    expect(inline()).toEqual([])
  })
})

describe('suppressions the pull request adds', () => {
  it('cannot silence a finding above allow-self-suppress, and the summary says so', async () => {
    seed({ Dockerfile: DOCKERFILE.replace('RUN curl', '# preflight:ignore dockerfile/curl-pipe-shell -- trust me\nRUN curl') })
    const r = await review({ inputs: { 'fail-on': 'high' } })
    expect(r.code).not.toBe(0)
    expect(inline().some((c) => /curl-pipe-shell/.test(c.body))).toBe(true)
    const summary = (fake.repo(REPO).issueComments.get(5) ?? []).map((c) => c.body).join('\n')
    expect(summary).toMatch(/cannot silence dockerfile\/curl-pipe-shell \(\w+\); allow-self-suppress is medium/)
  })
})

describe('model failures, dependency bots, merge queues', () => {
  it('a rejected key is a warning annotation, once', async () => {
    seed({ Dockerfile: DOCKERFILE })
    model.countTokens = { status: 401 }
    model.fallback = { kind: 'status', status: 401, type: 'authentication_error', message: 'invalid x-api-key' }
    const r = await review({ inputs: { 'anthropic-api-key': 'sk-ant-wrong', 'max-agents': '2' }, env: { ANTHROPIC_BASE_URL: model.url } })
    expect(r.code).toBe(0)
    const warnings = r.stdout.split('\n').filter((l) => l.startsWith('::warning::Preflight: the model review by'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/401/)
  })

  it('model-paths-ignore keeps files out of the model request', async () => {
    seed({ Dockerfile: DOCKERFILE, 'secret/Dockerfile': DOCKERFILE.replace('node', 'python') })
    model.fallback = { kind: 'status', status: 400, type: 'invalid_request_error', message: 'stop here' }
    await review({ inputs: { 'anthropic-api-key': 'sk-ant-test', 'model-paths-ignore': 'secret/**' }, env: { ANTHROPIC_BASE_URL: model.url } })
    const sent = JSON.stringify(model.requests.map((q) => q.body))
    expect(model.requests.length).toBeGreaterThan(0)
    expect(sent).toContain('Dockerfile')
    expect(sent).not.toContain('secret/Dockerfile')
  })

  it('a Dependabot pull request: rules only, no model call, nothing posted when clean', async () => {
    seed({ Dockerfile: CLEAN }, {}, 'dependabot[bot]')
    const clean = await review({ user: 'dependabot[bot]', inputs: { 'anthropic-api-key': 'sk-ant-test' }, env: { ANTHROPIC_BASE_URL: model.url } })
    expect(clean.code).toBe(0)
    expect(model.requests).toHaveLength(0)
    expect(fake.writes()).toEqual([])
    expect(clean.stdout).toMatch(/::notice::Preflight: dependency update by dependabot\[bot\]/)

    fake.repos.clear()
    fake.resetLog()
    seed({ Dockerfile: DOCKERFILE }, {}, 'renovate[bot]')
    const found = await review({ user: 'renovate[bot]', inputs: { 'anthropic-api-key': 'sk-ant-test' }, env: { ANTHROPIC_BASE_URL: model.url } })
    expect(found.code).toBe(0)
    expect(model.requests).toHaveLength(0)
    expect(fake.writes().map((w) => w.route)).toContain('issues.createComment')
  })

  it('merge_group ends green with a notice', async () => {
    expect(decideMode('merge_group', { merge_group: { head_sha: HEAD } }, 'auto', false)).toEqual({ run: 'skip', reason: expect.stringMatching(/merge queue/) })
    const r = await runAction({ event: 'merge_group', payload: { merge_group: { head_sha: HEAD } }, inputs: { 'github-token': 'ghs_fake' }, env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO }, distPath: join(root, 'dist', 'index.js') })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/::notice::Preflight: merge queue run/)
    expect(r.outputs.verdict).toBe('skipped')
  })
})

describe('inputs that take part in settings precedence', () => {
  it('records which were given, so only those win over the file', () => {
    const given = parseConfig((n) => ({ 'fail-on': 'high', 'model-provider': 'bedrock' })[n] ?? '')
    expect(given.given).toEqual(['fail-on'])
    expect(given.modelProvider).toBe('bedrock')
    expect(() => parseConfig((n) => (n === 'model-provider' ? 'azure' : ''))).toThrow("Input 'model-provider': expected one of anthropic, bedrock, vertex, got 'azure'")
    expect(() => parseConfig((n) => (n === 'min-inline-severity' ? 'loud' : ''))).toThrow(/min-inline-severity/)
  })
})
