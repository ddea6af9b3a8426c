// The 300-file pull request end to end: `node dist/index.js` (spawned as the runner does, by
// __tests__/helpers/run-action.ts) against the fake GitHub API on 127.0.0.1, no model, with
// `latencyMs` added to every answer (60 ms: a distant GitHub, the target's condition).
// Answers wall times and the API calls by endpoint.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSrc } from '../lib/load-src.mjs'
import { listTree, spread } from './tree.mjs'

const REPO = 'acme/infra'
const HEAD = 'a'.repeat(40)
const BASE = 'b'.repeat(40)

/** A new file's unified diff: every line added. */
const addedPatch = (text) => {
  const lines = text.replace(/\n$/, '').split('\n')
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`
}

/** `count` files spread evenly over the generated tree (path order) become one pull request. */
export async function benchPullRequest({ tree, distDir, count = 300, runs = 3, latencyMs = 60 }) {
  const { FakeGitHub, runAction } = await loadSrc({ FakeGitHub: '__tests__/helpers/fake-github.ts', runAction: '__tests__/helpers/run-action.ts' })
  const paths = spread(listTree(tree), count)
  const contents = Object.fromEntries(paths.map((p) => [p, readFileSync(join(tree, p), 'utf8')]))
  const fake = await FakeGitHub.start()
  fake.latencyMs = latencyMs
  const results = []
  try {
    for (let i = 0; i < runs; i++) {
      fake.repos.clear()
      fake.resetLog()
      fake.addPull(REPO, {
        number: 7,
        title: 'Roll out the new services',
        headSha: HEAD,
        baseSha: BASE,
        files: paths.map((p) => ({ filename: p, status: 'added', patch: addedPatch(contents[p]) }))
      })
      fake.setFiles(REPO, HEAD, contents)
      fake.setFiles(REPO, BASE, { 'README.md': '# infra\n' })
      const pr = { number: 7, draft: false, state: 'open', head: { sha: HEAD, ref: 'feature', repo: { full_name: REPO } }, base: { sha: BASE, ref: 'main', repo: { full_name: REPO } } }
      const started = performance.now()
      const run = await runAction({
        event: 'pull_request',
        payload: { action: 'opened', number: 7, pull_request: pr, repository: { full_name: REPO, default_branch: 'main' } },
        inputs: { 'github-token': 'ghs_bench' },
        env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: HEAD },
        distPath: join(distDir, 'index.js'),
        timeoutMs: 120_000
      })
      const ms = performance.now() - started
      const byEndpoint = {}
      for (const r of fake.requests) {
        const key = `${r.method} ${r.route}`
        byEndpoint[key] = (byEndpoint[key] ?? 0) + 1
      }
      const headReads = fake.requests.filter((r) => r.route === 'repos.getContent' && r.query.ref === HEAD).length
      results.push({
        ms,
        code: run.code,
        verdict: run.outputs.verdict,
        findings: Number(run.outputs.findings),
        calls: fake.requests.length,
        writes: fake.writes().length,
        headContentReads: headReads,
        graphqlQueries: fake.requests.filter((r) => r.route === 'graphql').length,
        latencyMs,
        byEndpoint,
        stderr: run.stderr.slice(0, 500)
      })
    }
  } finally {
    await fake.close()
  }
  return results
}
