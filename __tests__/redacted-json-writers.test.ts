/**
 * Every writer of redacted JSON text (`review --format json`, `scan --format sarif` and the
 * action's SARIF file, the result file of a two-stage review) serialises through `redactedJson`
 * without copying the value first: the bytes must be exactly those of
 * `JSON.stringify(redactDeep(value), null, 2)`, the copy they were written from before, on a real
 * review holding a secret plus findings shaped the way no rule makes them.
 */
import { describe, expect, it } from '@jest/globals'
import type { ChangedFile, Finding, ReviewResult } from '../src/types.js'
import { runReviewPipeline } from '../src/modes/pipeline.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { reviewJsonText } from '../src/cli/commands.js'
import { reviewJson } from '../src/render/report.js'
import { renderSarif, sarifText } from '../src/render/sarif.js'
import { resultFileOf, resultFileText } from '../src/modes/result-file.js'
import { redactDeep } from '../src/redact.js'
import { ALL_RULES } from '../src/rules/index.js'

const SECRET = 'Qz7' + 'vR2mXk9LpW4tYb8N'
const GITHUB_TOKEN = 'ghp_' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'

/** A finding no rule builds: the secret in a key, nested arrays, a Date (`toJSON`), an `undefined` field. */
function oddFinding(path: string, suppressed?: Finding['suppressed']): Finding {
  return {
    ruleId: 'terraform/literal-secret',
    category: 'security',
    severity: 'high',
    path,
    line: 3,
    endLine: 4,
    message: `uses ${SECRET} and ${GITHUB_TOKEN}`,
    remediation: undefined,
    alsoFlaggedBy: ['checkov', `tool ${SECRET}`],
    [`key ${SECRET}`]: [[`deep ${GITHUB_TOKEN}`, [SECRET, 1, null]], { inner: [`x ${SECRET}`] }],
    seen: new Date(0),
    ...(suppressed ? { suppressed } : {})
  } as unknown as Finding
}

async function reviewWithSecret(): Promise<ReviewResult> {
  const content = `resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  password = "${SECRET}"\n}\n`
  const file: ChangedFile = { path: 'db/main.tf', status: 'added', kind: 'terraform', patch: patchForNewFile(content), content }
  const personas = loadPersonaSet(readBundledPersonas(), []).personas
  const result = await runReviewPipeline({ title: `Rotate ${SECRET}`, body: '', labels: [], files: [file], notes: [] }, personas, { maxAgents: 1, forced: [] })
  result.findings.push(oddFinding(`db/${SECRET}/main.tf`))
  result.suppressed = [...(result.suppressed ?? []), oddFinding('db/main.tf', { by: 'baseline', reason: `rotated ${SECRET}` })]
  return result
}

describe('redacted JSON writers', () => {
  it('write the bytes of JSON.stringify(redactDeep(value), null, 2), with every secret value masked', async () => {
    const result = await reviewWithSecret()
    // The scan located the value, so it is masked wherever it is printed.
    expect(result.secrets.map((s) => s.value)).toContain(SECRET)
    const secrets = result.secrets
    const plan = `plan for ${SECRET}`
    const summary = `summary of ${GITHUB_TOKEN}`

    const review = reviewJsonText(result, plan, summary)
    expect(result.cost).toBeUndefined()
    expect(review).toBe(JSON.stringify(redactDeep({ ...reviewJson(result, plan, summary), suppressed: result.suppressed ?? [] }, secrets), null, 2))

    const findings = [...result.findings, ...(result.suppressed ?? [])]
    const options = { version: '0.0.0', rules: ALL_RULES }
    const sarif = sarifText(findings, options, secrets)
    expect(sarif).toBe(JSON.stringify(redactDeep(renderSarif(findings, options), secrets), null, 2))

    const pr = { number: 7, headSha: 'a'.repeat(40) }
    const resultFile = resultFileText(result, pr)
    expect(resultFile).toBe(JSON.stringify(redactDeep(resultFileOf(result, pr), secrets), null, 2))

    // Values are masked at any depth; the Date is written by its toJSON. Keys are written as they
    // are (as redactDeep leaves them), so the value test skips them.
    const values = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(values) : v !== null && typeof v === 'object' ? Object.values(v).flatMap(values) : []
    for (const text of [review, sarif, resultFile]) {
      for (const value of values(JSON.parse(text))) {
        expect(value).not.toContain(SECRET)
        expect(value).not.toContain(GITHUB_TOKEN)
      }
    }
    expect(review).toContain('"seen": "1970-01-01T00:00:00.000Z"')
    expect(review).toContain('"deep ghp_****"')
    expect(resultFile).toContain(`"path": "db/Qz7v****/main.tf"`)
  })
})
