/**
 * Other tools' results in one review, end to end: the bundled action reads checkov's real SARIF,
 * a hand-written trivy SARIF, a Terraform plan and Infracost's JSON from the workspace (as earlier
 * steps of the job would leave them), and posts one review and one summary; the bundled CLI does
 * the same locally. Imported text is untrusted: escaped, redacted, never a live mention.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FakeGitHub, type FakeFile } from './helpers/fake-github.js'
import { buildPublishedAction, runAction } from './helpers/run-action.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { removeScratchDirs, scratchDir } from './helpers/scratch.js'

const REPO = 'acme/infra'
const HEAD = 'a'.repeat(40)
const BASE = 'b'.repeat(40)
const SAMPLES = join(process.cwd(), '..', 'shared', 'samples')
const INPUT = join(SAMPLES, 'checkov-input')
const FILES: Record<string, string> = {
  'tf/bucket.tf': readFileSync(join(INPUT, 'tf', 'bucket.tf'), 'utf8'),
  'docker/Dockerfile': readFileSync(join(INPUT, 'docker', 'Dockerfile'), 'utf8'),
  '.github/workflows/ci.yml': readFileSync(join(INPUT, '.github', 'workflows', 'ci.yml'), 'utf8')
}
/** The diff that adds a whole file, as git writes it. */
const patchOf = (text: string): string => patchForNewFile(text) ?? ''
const SECRET = 'Zq8vT2mN5xR7wK4pL9sD3fG6hJ1cB0eA'

const PLAN = {
  format_version: '1.2',
  resource_changes: [{ address: 'aws_s3_bucket.logs', mode: 'managed', type: 'aws_s3_bucket', name: 'logs', change: { actions: ['delete', 'create'], replace_paths: [['bucket']] } }]
}

let root: string
let fake: FakeGitHub

function workspace(): string {
  const ws = scratchDir('preflight-imports-ws-')
  mkdirSync(join(ws, 'scan'))
  copyFileSync(join(SAMPLES, 'checkov-3.3.13.sarif'), join(ws, 'scan', 'checkov.sarif'))
  // A hostile message: a mention, an HTML comment opener, a forged marker and a secret.
  const trivy = JSON.parse(readFileSync(join(process.cwd(), '__tests__', '__fixtures__', 'sarif', 'trivy.sarif'), 'utf8'))
  trivy.runs[0].results[1].message.text = `Message: open to @acme/admins <!-- preflight:fp deadbeefdeadbeef --> password="${SECRET}"`
  writeFileSync(join(ws, 'scan', 'trivy.sarif'), JSON.stringify(trivy))
  writeFileSync(join(ws, 'scan', 'plan.json'), JSON.stringify(PLAN))
  copyFileSync(join(SAMPLES, 'infracost-example-out.json'), join(ws, 'scan', 'infracost.json'))
  return ws
}

beforeAll(async () => {
  root = buildPublishedAction('preflight-imports-e2e-')
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
  fake.resetLog()
})

describe('the action with imports', () => {
  it('one review and one summary hold the scanners, the plan and the cost; imported text stays inert', async () => {
    const files: FakeFile[] = Object.entries(FILES).map(([filename, text]) => ({ filename, status: 'added', patch: patchOf(text) }))
    fake.addPull(REPO, { number: 3, title: 'Infra', headSha: HEAD, baseSha: BASE, files })
    fake.setFiles(REPO, HEAD, FILES)
    fake.setFiles(REPO, BASE, { 'README.md': '# infra\n' })
    const ws = workspace()
    const pr = { number: 3, draft: false, state: 'open', user: { login: 'octocat' }, head: { sha: HEAD, ref: 'f', repo: { full_name: REPO } }, base: { sha: BASE, ref: 'main', repo: { full_name: REPO } } }
    const run = await runAction({
      event: 'pull_request',
      payload: { action: 'opened', number: 3, pull_request: pr, repository: { full_name: REPO, default_branch: 'main' } },
      distPath: join(root, 'dist', 'index.js'),
      workspace: ws,
      inputs: { 'github-token': 'ghs_fake', 'import-sarif': 'scan/*.sarif', 'terraform-plan-json': 'scan/plan.json', 'infracost-json': 'scan/infracost.json', 'sarif-path': 'out.sarif' },
      env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: HEAD, GITHUB_ACTION_REPOSITORY: 'acme/preflight-fork', GITHUB_ACTION_REF: 'v1' }
    })
    expect(run.code).toBe(0)
    const summaries = fake.repo(REPO).issueComments.get(3) ?? []
    expect(summaries).toHaveLength(1)
    const summary = summaries[0].body
    // Infracost's total to the cent, and its change.
    expect(summary).toContain('**Cost (Infracost):** $1,361.31 a month (+$1,361.31 from $0.00)')
    // The plan's replacement is a high finding, and the verdict counts it.
    expect(summary).toMatch(/recreates `aws_s3_bucket\.logs`/)
    expect(run.outputs.verdict).toBe('fail')
    // Imported text: no live mention, no HTML comment, no forged marker, no secret.
    const everything = [summary, ...(fake.repo(REPO).reviewComments.get(3) ?? []).map((c) => c.body), run.stdout, readFileSync(join(ws, 'out.sarif'), 'utf8')].join('\n')
    expect(everything).not.toContain(SECRET)
    expect(everything).not.toMatch(/(^|[^\u200b\u200d\w])@acme\/admins/)
    expect(summary.match(/<!-- preflight:fp/g)?.length ?? 0).toBe(0)
    // Rule links point at the repository the action runs from.
    const bodies = (fake.repo(REPO).reviewComments.get(3) ?? []).map((c) => c.body).join('\n')
    expect(bodies + summary).toContain('https://github.com/acme/preflight-fork/blob/v1/docs/rules.md#')
    // One review, inline comments only on changed lines, each carrying the merged tool ids where they matched.
    expect(fake.repo(REPO).reviews.get(3)).toHaveLength(1)
    const sarif = JSON.parse(readFileSync(join(ws, 'out.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] }
    expect(sarif.runs[0].results.some((r) => r.ruleId.startsWith('checkov/'))).toBe(true)
    expect(sarif.runs[0].results.some((r) => r.ruleId === 'tfplan/replaces-stateful')).toBe(true)
  }, 90_000)
})

describe('the CLI with imports', () => {
  it('scan --import-sarif (repeatable) --terraform-plan --infracost: merged, kept, priced', () => {
    const ws = workspace()
    const dir = join(ws, 'tree')
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(join(dir, path, '..'), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    const out = execFileSync(
      process.execPath,
      [join(root, 'dist', 'cli.js'), 'scan', 'tree', '--format', 'json', '--import-sarif', 'scan/checkov.sarif', '--import-sarif', 'scan/trivy.sarif', '--terraform-plan', 'scan/plan.json', '--infracost', 'scan/infracost.json'],
      { cwd: ws, encoding: 'utf8' }
    )
    const json = JSON.parse(out) as { findings: { ruleId: string; alsoFlaggedBy?: string[]; source?: string }[]; cost: { monthlyCost: string; diffMonthlyCost: string } }
    expect(json.cost).toMatchObject({ monthlyCost: '1361.31', diffMonthlyCost: '1361.31' })
    expect(json.findings.find((f) => f.ruleId === 'tf/aws-s3-versioning-disabled')?.alsoFlaggedBy).toEqual(expect.arrayContaining(['checkov/CKV_AWS_21']))
    expect(json.findings.some((f) => f.ruleId === 'checkov/CKV_AWS_23' && f.source === 'checkov')).toBe(true)
    expect(json.findings.some((f) => f.ruleId === 'tfplan/replaces-stateful')).toBe(true)
    expect(out).not.toContain(SECRET)
  }, 60_000)

  it('a missing import file is one note naming it; the scan still runs', () => {
    const ws = workspace()
    mkdirSync(join(ws, 'tree'))
    writeFileSync(join(ws, 'tree', 'main.tf'), FILES['tf/bucket.tf'])
    const r = execFileSync(process.execPath, [join(root, 'dist', 'cli.js'), 'scan', 'tree', '--format', 'json', '--import-sarif', 'scan/nope.sarif'], { cwd: ws, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    expect(JSON.parse(r).notes.some((n: { path: string; message: string }) => n.path === 'scan/nope.sarif' && /does not exist/.test(n.message))).toBe(true)
  }, 60_000)
})
