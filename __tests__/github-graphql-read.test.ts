/**
 * The batched GraphQL reads against the fake GitHub: paths only ever travel as variables,
 * batches respect the alias and size limits, oversized and binary blobs are never downloaded,
 * truncated or refused blobs and a failing endpoint fall back to REST, and the persona folders
 * and the settings file at the base share one request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '../src/github/client.js'
import { graphqlSpend, MAX_ALIASES, readFilesAt } from '../src/github/graphql-read.js'
import { loadPersonaFiles, readFileAt, readSettingsText, readSiblingFiles } from '../src/github/pull-request.js'
import { readRunContext } from '../src/modes/event.js'
import { FakeGitHub } from './helpers/fake-github.js'
import { recordingLogger } from './helpers/logger.js'

const REPO = 'acme/infra'
const REF = 'a'.repeat(40)
const at = { owner: 'acme', repo: 'infra', ref: REF }

let fake: FakeGitHub
beforeAll(async () => {
  fake = await FakeGitHub.start()
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.repos.clear()
  fake.faults.length = 0
  fake.truncatedBlobs.clear()
  fake.refusedBlobs.clear()
  fake.resetLog()
})

const client = (extra: { graphqlUrl?: string } = {}) =>
  createGitHubClient({ token: 't', baseUrl: fake.url, log: recordingLogger(), writeSpacingMs: 0, retryBaseMs: 1, retries: 1, ...extra })

const graphqlBodies = () => fake.requests.filter((r) => r.route === 'graphql').map((r) => r.body as { query: string; variables: Record<string, string> })
const read = (paths: string[], c = client()) => readFilesAt(c, { ...at, paths, rest: readFileAt, log: recordingLogger() })

describe('readFilesAt', () => {
  it('passes hostile paths as variables only and reads them back exactly', async () => {
    const hostile = ['a") { x }\n#.tf', 'dir/$e0 {}.yaml', "q'\"`${x}`.json", 'ok.tf']
    fake.setFiles(REPO, REF, Object.fromEntries(hostile.map((p, i) => [p, `v = ${i}\n`])))
    const out = await read(hostile)
    expect(hostile.map((p) => out.get(p)?.content)).toEqual(['v = 0\n', 'v = 1\n', 'v = 2\n', 'v = 3\n'])
    for (const { query, variables } of graphqlBodies()) {
      for (const p of hostile) expect(query).not.toContain(p)
      expect(query).not.toContain('"')
      expect(Object.values(variables)).toEqual(expect.arrayContaining(hostile.map((p) => `${REF}:${p}`)))
    }
    expect(fake.count('repos.getContent')).toBe(0)
  })

  it('splits 250 paths into queries of at most 100 aliases: 3 size queries and 3 text queries', async () => {
    const files = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`m/f${i}.tf`, `x = ${i}\n`]))
    fake.setFiles(REPO, REF, files)
    const out = await read(Object.keys(files))
    expect([...out.values()].filter((r) => r.content !== undefined)).toHaveLength(250)
    const count = (b: { variables: Record<string, string> }) => Object.keys(b.variables).filter((k) => /^e\d+$/.test(k)).length
    // Batches of one phase go out in parallel, so their order is free; all sizes come before any text.
    const phases = graphqlBodies().map((b) => (/\btext\b/.test(b.query) ? 'text' : 'size'))
    expect(phases).toEqual(['size', 'size', 'size', 'text', 'text', 'text'])
    const counts = graphqlBodies().map(count)
    expect([...counts.slice(0, 3)].sort((a, b) => a - b)).toEqual([50, 100, 100])
    expect([...counts.slice(3)].sort((a, b) => a - b)).toEqual([50, 100, 100])
    expect(Math.max(...counts)).toBeLessThanOrEqual(MAX_ALIASES)
  })

  it('asks for text in batches whose summed size stays under the limit', async () => {
    // Four 1.2 MB files: a text batch holds at most two of them (3 MB limit).
    const big = 'x'.repeat(1_200_000)
    fake.setFiles(REPO, REF, { 'a.json': big, 'b.json': big, 'c.json': big, 'd.json': big })
    const out = await read(['a.json', 'b.json', 'c.json', 'd.json'])
    expect([...out.values()].every((r) => r.content?.length === big.length)).toBe(true)
    const textQueries = graphqlBodies().filter((b) => /\btext\b/.test(b.query))
    expect(textQueries.map((b) => Object.keys(b.variables).filter((k) => /^e\d+$/.test(k)).length)).toEqual([2, 2])
  })

  it('never downloads a blob above 2 MiB or a binary one: notes from the size query alone', async () => {
    fake.setFiles(REPO, REF, { 'huge.json': 'y'.repeat(2 * 1024 * 1024 + 1), 'bin.yaml': 'a\u0000b', 'ok.tf': 'a = 1\n' })
    const out = await read(['huge.json', 'bin.yaml', 'ok.tf', 'missing.tf'])
    expect(out.get('huge.json')?.note?.reason).toBe('too-large')
    expect(out.get('bin.yaml')?.note?.reason).toBe('binary')
    expect(out.get('missing.tf')?.note?.reason).toBe('unavailable')
    expect(out.get('ok.tf')?.content).toBe('a = 1\n')
    const textQuery = graphqlBodies().find((b) => /\btext\b/.test(b.query))
    expect(Object.values(textQuery?.variables ?? {})).toEqual(['acme', 'infra', `${REF}:ok.tf`])
  })

  it('reads truncated and refused blobs through REST, and only those', async () => {
    fake.setFiles(REPO, REF, { 'long.tf': 'long = 1\n', 'refused.yaml': 'r: 1\n', 'fine.tf': 'f = 1\n' })
    fake.truncatedBlobs.add('long.tf')
    fake.refusedBlobs.add('refused.yaml')
    const out = await read(['long.tf', 'refused.yaml', 'fine.tf'])
    expect(out.get('long.tf')?.content).toBe('long = 1\n')
    expect(out.get('refused.yaml')?.content).toBe('r: 1\n')
    expect(out.get('fine.tf')?.content).toBe('f = 1\n')
    expect(fake.requests.filter((r) => r.route === 'repos.getContent').map((r) => r.path).sort()).toEqual([
      '/repos/acme/infra/contents/long.tf',
      '/repos/acme/infra/contents/refused.yaml'
    ])
  })

  it('falls back to REST for every file when the GraphQL endpoint keeps failing', async () => {
    fake.setFiles(REPO, REF, { 'a.tf': 'a = 1\n', 'b.tf': 'b = 1\n' })
    fake.failTimes('graphql', 502, 10)
    const out = await read(['a.tf', 'b.tf'])
    expect(out.get('a.tf')?.content).toBe('a = 1\n')
    expect(out.get('b.tf')?.content).toBe('b = 1\n')
    expect(fake.count('repos.getContent', 200)).toBe(2)
  })

  it('records the rate-limit cost of its queries', async () => {
    fake.setFiles(REPO, REF, { 'a.tf': 'a = 1\n' })
    const c = client()
    await read(['a.tf'], c)
    expect(graphqlSpend(c)).toMatchObject({ queries: 2, cost: 2 })
    expect(graphqlSpend(c).remaining).toBeLessThan(5000)
  })

  it('sends queries to the GraphQL URL it was given (GHES: /api/graphql)', async () => {
    fake.setFiles(REPO, REF, { 'a.tf': 'a = 1\n' })
    const out = await read(['a.tf'], client({ graphqlUrl: `${fake.url}/api/graphql` }))
    expect(out.get('a.tf')?.content).toBe('a = 1\n')
    expect(fake.requests.filter((r) => r.route === 'graphql').map((r) => r.path)).toEqual(['/api/graphql', '/api/graphql'])
  })
})

describe('base files: personas and settings in one request', () => {
  it('reads persona folders and the settings file at the base with one GraphQL request', async () => {
    fake.setFiles(REPO, REF, {
      '.github/agents/b.md': 'B',
      '.github/agents/a.md': 'A',
      '.github/agents/skip.txt': 'no',
      '.github/preflight.yml': 'fail-on: high\n',
      '.preflight.yml': 'ignored: true\n'
    })
    const c = client()
    const dirs = ['.github/agents', '.claude/agents']
    const personas = await loadPersonaFiles(c, { ...at, dirs })
    const settings = await readSettingsText(c, { ...at, personaDirs: dirs })
    expect(personas).toEqual([
      { path: '.github/agents/a.md', text: 'A' },
      { path: '.github/agents/b.md', text: 'B' }
    ])
    expect(settings).toEqual({ path: '.github/preflight.yml', text: 'fail-on: high\n' })
    expect(fake.requests.map((r) => r.route)).toEqual(['graphql'])
  })

  it('falls back to .preflight.yml, and answers undefined when neither exists', async () => {
    fake.setFiles(REPO, REF, { '.preflight.yml': 'max-agents: 1\n' })
    expect(await readSettingsText(client(), at)).toEqual({ path: '.preflight.yml', text: 'max-agents: 1\n' })
    fake.repos.clear()
    fake.setFiles(REPO, REF, { 'main.tf': '' })
    expect(await readSettingsText(client(), at)).toBeUndefined()
  })

  it('reads a truncated persona through REST', async () => {
    fake.setFiles(REPO, REF, { '.github/agents/long.md': 'LONG' })
    fake.truncatedBlobs.add('.github/agents/long.md')
    expect(await loadPersonaFiles(client(), { ...at, dirs: ['.github/agents'] })).toEqual([{ path: '.github/agents/long.md', text: 'LONG' }])
    expect(fake.count('repos.getContent')).toBe(1)
  })
})

describe('readSiblingFiles', () => {
  it('lists folders and reads the accepted files: one listing query and one text query', async () => {
    fake.setFiles(REPO, REF, { 'mod/main.tf': 'm', 'mod/vars.tf': 'v', 'mod/README.md': 'r', 'mod/sub/x.tf': 'x', 'k8s/a.yaml': 'a: 1' })
    const out = await readSiblingFiles(client(), { ...at, folders: ['mod', 'k8s/'], accept: (p) => /\.(tf|ya?ml)$/.test(p) })
    expect(Object.fromEntries([...out].map(([p, r]) => [p, r.content]))).toEqual({ 'mod/main.tf': 'm', 'mod/vars.tf': 'v', 'k8s/a.yaml': 'a: 1' })
    expect(fake.count('graphql')).toBe(2)
  })
})

describe('the GraphQL endpoint from the runner', () => {
  it('is GITHUB_GRAPHQL_URL when set (GHES), else <api>/graphql', () => {
    expect(readRunContext({ GITHUB_API_URL: 'https://ghe.example.com/api/v3', GITHUB_GRAPHQL_URL: 'https://ghe.example.com/api/graphql' }).graphqlUrl).toBe(
      'https://ghe.example.com/api/graphql'
    )
    expect(readRunContext({ GITHUB_API_URL: 'https://api.github.com/' }).graphqlUrl).toBe('https://api.github.com/graphql')
    expect(readRunContext({}).graphqlUrl).toBe('https://api.github.com/graphql')
  })
})
