/**
 * Property: a secret in a changed file never survives rendering. A random credential under a
 * secret-like key goes through the review pipeline, and every output the CLI and the action
 * produce (summary, plan, review JSON, SARIF, the result file, inline comments, scan Markdown,
 * notes) is rendered through the same redaction they use, with the pipeline's secret values.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { ChangeSet, ChangedFile } from '../src/types.js'
import { runReviewPipeline } from '../src/modes/pipeline.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { renderSummary } from '../src/render/summary.js'
import { renderPlan } from '../src/render/plan.js'
import { sarifText } from '../src/render/sarif.js'
import { renderScanMarkdown } from '../src/render/report.js'
import { reviewJsonText } from '../src/cli/commands.js'
import { resultFileText } from '../src/modes/result-file.js'
import { redact } from '../src/redact.js'
import { ALL_RULES } from '../src/rules/index.js'

const personas = loadPersonaSet(readBundledPersonas(), []).personas

const chars = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''))

/** A credential-looking value: upper, lower and digits, so no scanner takes it for a placeholder. */
const secretArb = fc
  .tuple(chars('ABCDEFGHJKLMNPQRSTUVWXYZ', 2, 4), chars('abcdefghijkmnopqrstuvwxyz', 4, 12), chars('23456789', 2, 6), chars('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789', 6, 20))
  .map(([a, b, c, d]) => `${a}${c}${b}${d}`)

const keyArb = fc.constantFrom('password', 'db_password', 'api_key', 'secret_key', 'auth_token', 'client_secret')

type Carrier = (key: string, secret: string) => { path: string; content: string }
const CARRIERS: Carrier[] = [
  (key, secret) => ({ path: 'db/main.tf', content: `resource "aws_db_instance" "db" {\n  engine = "postgres"\n  ${key} = "${secret}"\n}\n` }),
  (key, secret) => ({ path: 'docker-compose.yml', content: `services:\n  app:\n    image: app:1.2.3\n    environment:\n      ${key.toUpperCase()}: "${secret}"\n` }),
  (key, secret) => ({ path: 'Dockerfile', content: `FROM node:20.11-alpine\nENV ${key.toUpperCase()}=${secret}\nUSER node\nCMD ["node", "server.js"]\n` }),
  (key, secret) => ({ path: '.github/workflows/deploy.yml', content: `name: deploy\non: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    env:\n      ${key.toUpperCase()}: ${secret}\n    steps:\n      - run: ./deploy.sh\n` })
]

function changeWith(file: { path: string; content: string }, secret: string): ChangeSet {
  const changed: ChangedFile = { path: file.path, status: 'added', kind: 'other', patch: patchForNewFile(file.content), content: file.content }
  changed.kind = file.path.endsWith('.tf') ? 'terraform' : file.path === 'Dockerfile' ? 'dockerfile' : file.path.startsWith('.github/') ? 'workflow' : 'compose'
  // The title and body echo the secret too: untrusted text must be masked like the files.
  return { title: `Rotate ${secret}`, body: `New value: ${secret}`, labels: [], files: [changed], notes: [] }
}

describe('a secret never survives rendering', () => {
  it('in the summary, plans, review JSON, SARIF, the result file, comments, scan Markdown and notes', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, keyArb, fc.nat(CARRIERS.length - 1), async (secret, key, which) => {
        const file = CARRIERS[which](key, secret)
        const result = await runReviewPipeline(changeWith(file, secret), personas, { maxAgents: 2, forced: [] })
        const secrets = result.secrets
        // The scan must have located the value, or nothing could mask it.
        expect(secrets.map((l) => l.value)).toContain(secret)
        const plan = result.agents.map((a) => renderPlan(a.plan, a.checklist)).join('\n---\n\n')
        const summary = renderSummary(result)
        const outputs = [
          redact(summary, secrets),
          redact(plan, secrets),
          reviewJsonText(result, plan, summary),
          sarifText(result.findings, { version: '0.0.0', rules: ALL_RULES }, secrets),
          resultFileText(result, { number: 1, headSha: 'a'.repeat(40) }),
          ...result.comments.map((c) => redact(c.body, secrets)),
          redact(renderScanMarkdown(result.findings, result.files, result.notes), secrets),
          ...result.notes.map((n) => redact(n.message, secrets)),
          ...result.messages.map((m) => redact(m, secrets))
        ]
        for (const text of outputs) expect(text).not.toContain(secret)
      }),
      { numRuns: 40, seed: 7 }
    )
  }, 120_000)
})

const PRIVILEGED = 'k8s/privileged-container'

describe('suggestions never commit a secret', () => {
  it("a rule's suggestion on a line that holds a secret is dropped; others are kept", async () => {
    const token = 'ghp_' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'
    const manifest = (comment: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: app:1.2.3\n      securityContext:\n        privileged: true${comment}\n`
    const run = async (content: string) => {
      const file: ChangedFile = { path: 'k8s/pod.yaml', status: 'added', kind: 'kubernetes', patch: patchForNewFile(content), content }
      const result = await runReviewPipeline({ title: 't', body: '', labels: [], files: [file], notes: [] }, personas, { maxAgents: 1, forced: [] })
      return result.findings.find((f) => f.ruleId === PRIVILEGED)
    }
    expect((await run(manifest('')))?.suggestion).toBe('        privileged: false')
    const leaky = await run(manifest(`  # ${token}`))
    expect(leaky).toBeDefined()
    expect(leaky?.suggestion).toBeUndefined()
  })
})
