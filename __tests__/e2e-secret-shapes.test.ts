/**
 * Secret-shape corpus, end to end: one pull request carries a secret in every shape the rules
 * detect; the bundled action reviews it with a (fake) model that echoes every secret it could
 * have seen back in comments, suggestions, summary and plan. No secret may reach a model request,
 * a review comment, the sticky summary, a log line, an output, the job summary, the plan file or
 * SARIF; the CLI's scan outputs are held to the same. Paths and rule ids must come out unchanged.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { generateKeyPairSync } from 'node:crypto'
import { FakeGitHub, type FakeFile } from './helpers/fake-github.js'
import { FakeAnthropic } from './helpers/fake-anthropic.js'
import { buildPublishedAction, runAction } from './helpers/run-action.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { removeScratchDirs, scratchDir } from './helpers/scratch.js'

const REPO = 'acme/infra'
const HEAD = 'c'.repeat(40)
const BASE = 'd'.repeat(40)

/** A distinct, strong secret per case, assembled at run time so the repository holds none. */
const strong = (i: number) => ['Qz', String(i).padStart(2, '0'), 'x-R4p!w', 'Lm9k', String.fromCharCode(65 + (i % 26))].join('')
const b64 = (s: string) => Buffer.from(s).toString('base64')
const AWS_KEY_ID = ['AKIA', 'QX7V', 'M2PL', 'R9TB', 'K4HZ'].join('')
const AWS_SECRET = ['wJ8rXUtnF', 'EMI/K7MDE', 'NG/bPxRfi', 'CYq2Lm9Zs', 'T3dN'].join('')
const GITHUB_TOKEN = 'ghp_' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'
const STRIPE_KEY = ['sk', 'live', 'Zq81kk29qq77abXY4mNp'].join('_')
const SLACK_TOKEN = ['xoxb', '2231', 'Zq81kk29qq77abXY4mNp'].join('-')
const PEM = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey.trim()
const PEM_LINE = PEM.split('\n')[3]

interface Case {
  path: string
  content: string
  /** What must never be echoed in clear. */
  secret: string
}

const S = Array.from({ length: 40 }, (_, i) => strong(i))
const CASES: Case[] = [
  { path: 'tf/db/main.tf', content: `resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  password = "${S[0]}"\n}\n`, secret: S[0] },
  { path: 'tf/vars/variables.tf', content: `variable "db_password" {\n  type    = string\n  default = "${S[1]}"\n}\n`, secret: S[1] },
  { path: 'tf/env/prod.tfvars', content: `region      = "eu-west-1"\ndb_password = "${S[2]}"\n`, secret: S[2] },
  { path: 'tf/provider/main.tf', content: `provider "aws" {\n  region     = "eu-west-1"\n  access_key = "${AWS_KEY_ID}"\n  secret_key = "${AWS_SECRET}"\n}\n`, secret: AWS_SECRET },
  { path: 'tf/provider2/main.tf', content: `provider "aws" {\n  access_key = "${AWS_KEY_ID}"\n}\n`, secret: AWS_KEY_ID },
  { path: 'tf/user-data/main.tf', content: `resource "aws_instance" "a" {\n  ami = "ami-123"\n  user_data = <<EOF\n#!/bin/bash\nexport DB_PASSWORD=${S[3]}\nEOF\n}\n`, secret: S[3] },
  { path: 'cfn/noecho.yaml', content: `AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  AdminLogin:\n    Type: String\n    NoEcho: true\n    Default: ${S[4]}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n`, secret: S[4] },
  { path: 'cfn/param.yaml', content: `AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  DBPassword:\n    Type: String\n    Default: "${S[5]}"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n`, secret: S[5] },
  { path: 'cfn/param.json', content: `{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Parameters": {\n    "MasterPassword": {\n      "Type": "String",\n      "Default": "${S[6]}"\n    }\n  },\n  "Resources": {\n    "Topic": { "Type": "AWS::SNS::Topic" }\n  }\n}\n`, secret: S[6] },
  { path: 'cfn/rds.yaml', content: `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      MasterUsername: app\n      MasterUserPassword: ${S[7]}\n`, secret: S[7] },
  { path: 'compose/app/docker-compose.yml', content: `services:\n  db:\n    image: postgres:16.2\n    environment:\n      POSTGRES_PASSWORD: "${S[8]}"\n`, secret: S[8] },
  { path: 'compose/list/docker-compose.yml', content: `services:\n  db:\n    image: mysql:8.0.36\n    environment:\n      - MYSQL_PASSWORD=${S[9]}\n`, secret: S[9] },
  { path: 'docker/env/Dockerfile', content: `FROM node:20.11-alpine\nENV API_TOKEN=${S[10]}\nUSER node\n`, secret: S[10] },
  { path: 'docker/arg/Dockerfile', content: `FROM node:20.11-alpine\nARG password=${S[11]}\nUSER node\n`, secret: S[11] },
  { path: 'docker/curl/Dockerfile', content: `FROM alpine:3.19\nRUN curl -fsSL -u deploy:${S[12]} https://artifacts.internal/tool -o /tool\nUSER nobody\n`, secret: S[12] },
  { path: 'docker/mysql/Dockerfile', content: `FROM mysql:8.0.36\nRUN mysql -uroot -p${S[13]} -e "create database app"\nUSER mysql\n`, secret: S[13] },
  { path: '.github/workflows/env.yml', content: `name: env\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      API_KEY: ${S[14]}\n    steps:\n      - run: ./deploy.sh\n`, secret: S[14] },
  { path: '.github/workflows/bearer.yml', content: `name: bearer\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -H "Authorization: Bearer ${S[15]}" https://api.internal/deploy\n`, secret: S[15] },
  { path: '.github/workflows/basic.yml', content: `name: basic\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -H "Authorization: Basic ${b64(`ci:${S[16]}`)}" https://api.internal/deploy\n`, secret: b64(`ci:${S[16]}`) },
  { path: 'scripts/flags.sh', content: `#!/bin/sh\npsql "host=db user=app" --password=${S[17]} -c 'select 1'\n`, secret: S[17] },
  { path: 'scripts/login.sh', content: `#!/bin/sh\ndocker login --username ci --password ${S[18]} registry.internal\n`, secret: S[18] },
  { path: 'config/appsettings.json', content: `{\n  "Storage": "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${b64(S[19].repeat(3))};EndpointSuffix=core.windows.net"\n}\n`, secret: b64(S[19].repeat(3)) },
  { path: 'config/docker/config.json', content: `{\n  "auths": {\n    "registry.internal": {\n      "auth": "${b64(`ci:${S[20]}`)}"\n    }\n  }\n}\n`, secret: b64(`ci:${S[20]}`) },
  { path: 'k8s/secret-data.yaml', content: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  pw: ${b64(S[21])}\n`, secret: b64(S[21]) },
  { path: 'k8s/secret-string.yaml', content: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  token: ${S[22]}\n`, secret: S[22] },
  { path: 'k8s/deploy-env.yaml', content: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: app:1.2.3\n      env:\n        - name: DB_PASSWORD\n          value: "${S[23]}"\n`, secret: S[23] },
  { path: 'app/.env', content: `DB_HOST=localhost\nSESSION_SECRET=${S[24]}\n`, secret: S[24] },
  { path: 'app/url.env', content: `DATABASE_URL=postgres://app:${S[25]}@db.internal:5432/app\n`, secret: S[25] },
  { path: 'app/github.env', content: `BOT=${GITHUB_TOKEN}\n`, secret: GITHUB_TOKEN },
  { path: 'app/stripe.yaml', content: `billing:\n  key: ${STRIPE_KEY}\n`, secret: STRIPE_KEY },
  { path: 'app/slack.yaml', content: `notify:\n  via: ${SLACK_TOKEN}\n`, secret: SLACK_TOKEN },
  { path: 'app/key.yaml', content: `tls:\n  key: |\n${PEM.split('\n').map((l) => `    ${l}`).join('\n')}\n`, secret: PEM_LINE },
  { path: 'chart/values.yaml', content: `image:\n  tag: 1.2.3\nauth:\n  password: ${S[26]}\n`, secret: S[26] },
  { path: 'app/application.properties', content: `spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.password=${S[27]}\n`, secret: S[27] },
  { path: 'app/client.json', content: `{\n  "oauth": {\n    "client_secret": "${S[28]}"\n  }\n}\n`, secret: S[28] }
]

/** Short, word-like passwords: masked at their own line, never in paths or rule ids. */
const WEAK: Case[] = [
  { path: 'gitea-postgres/compose.yaml', content: 'services:\n  db:\n    image: postgres:16.2\n    environment:\n      POSTGRES_PASSWORD: postgres\n', secret: 'POSTGRES_PASSWORD: postgres' },
  {
    path: 'k8s/run-as-root/db.yaml',
    content: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n    - name: db\n      image: mysql:8.0.36\n      env:\n        - name: MYSQL_ROOT_PASSWORD\n          value: root\n',
    secret: 'value: root'
  }
]

const ALL = [...CASES, ...WEAK]
/** Title and body are untrusted text too; the shapes in them must be masked. */
const TITLE = `Rotate credentials (old token ${GITHUB_TOKEN})`
const BODY = `Old key: ${AWS_KEY_ID}\nUse \`curl -H "Authorization: Bearer ${S[30]}"\` to test, or mysql -uroot -p${S[31]}.\nPassword was ${S[0]}.`

let root: string
let github: FakeGitHub
let model: FakeAnthropic
let workspace: string

beforeAll(async () => {
  root = buildPublishedAction('preflight-secrets-e2e-')
  github = await FakeGitHub.start()
  model = await FakeAnthropic.start()
}, 120_000)

afterAll(async () => {
  await github?.close()
  model?.close()
  if (root) rmSync(root, { recursive: true, force: true })
  removeScratchDirs()
})

beforeEach(() => {
  workspace = scratchDir('preflight-secrets-ws-')
})

/** Every file under a folder, as text. */
function readAll(dir: string): string {
  let out = ''
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    out += statSync(p).isDirectory() ? readAll(p) : `\n${p}\n${readFileSync(p, 'utf8')}`
  }
  return out
}

/** A model that repeats every strong secret back: in comments, suggestions, summary and plan. */
function leakyReview() {
  const comments = CASES.slice(0, 12).map((c) => ({
    path: c.path,
    line: 1,
    severity: 'high',
    category: 'secrets',
    body: `The literal ${c.secret} is committed here.`,
    suggestion: `value = "${c.secret}"`
  }))
  return {
    comments,
    verdicts: [],
    plan: {
      context: [`Secrets seen: ${CASES.map((c) => c.secret).join(' ')}`],
      assumptions: [],
      files: [],
      steps: [],
      rollback: [],
      verification: [],
      risks: [`${S[0]} and ${GITHUB_TOKEN} leak`]
    },
    summary: `Rotate ${CASES.map((c) => c.secret).join(', ')}.`
  }
}

describe('secret-shape corpus, end to end', () => {
  it(`${ALL.length} shapes: no secret in any model request or output; paths and rule ids intact`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30)
    const files: FakeFile[] = ALL.map((c) => ({ filename: c.path, status: 'added', patch: patchForNewFile(c.content) }))
    github.addPull(REPO, { number: 9, title: TITLE, body: BODY, headSha: HEAD, baseSha: BASE, headRepo: REPO, files })
    github.setFiles(REPO, HEAD, Object.fromEntries(ALL.map((c) => [c.path, c.content])))
    github.setFiles(REPO, BASE, { 'README.md': '# infra\n' })
    model.fallback = { kind: 'tool', input: leakyReview() }

    const pr = { number: 9, draft: false, state: 'open', title: TITLE, body: BODY, head: { sha: HEAD, ref: 'f', repo: { full_name: REPO } }, base: { sha: BASE, ref: 'main', repo: { full_name: REPO } } }
    const run = await runAction({
      event: 'pull_request',
      payload: { action: 'opened', number: 9, pull_request: pr, repository: { full_name: REPO, default_branch: 'main' } },
      inputs: { 'github-token': 'ghs_fake', 'anthropic-api-key': 'sk-ant-test-key', 'sarif-path': 'out/preflight.sarif', 'max-agents': '3', 'fail-on': 'critical' },
      env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: HEAD, ANTHROPIC_BASE_URL: model.url },
      distPath: join(root, 'dist', 'index.js'),
      workspace,
      timeoutMs: 120_000
    })
    expect(run.code).not.toBeNull()

    const requests = JSON.stringify(model.requests.map((r) => r.body))
    expect(model.requests.some((r) => r.path.endsWith('/messages'))).toBe(true)
    const writes = JSON.stringify(github.writes().map((w) => w.body))
    const outputs: Record<string, string> = {
      'model requests': requests,
      'GitHub writes': writes,
      stdout: run.stdout,
      stderr: run.stderr,
      outputs: JSON.stringify(run.outputs),
      'job summary': run.summary,
      'workspace files (plan, SARIF)': readAll(workspace)
    }
    // The action did its work: a review, a summary, the plan and SARIF.
    expect(github.writes().map((w) => w.route)).toEqual(expect.arrayContaining(['pulls.createReview', 'issues.createComment']))
    expect(outputs['workspace files (plan, SARIF)']).toContain('"version": "2.1.0"')
    expect(run.outputs['plan-path']).toMatch(/pr-9-/)

    const leaks: string[] = []
    for (const c of ALL) for (const [where, text] of Object.entries(outputs)) if (text.includes(c.secret)) leaks.push(`${c.path} → ${where}`)
    for (const s of [S[30], S[31]]) for (const [where, text] of Object.entries(outputs)) if (text.includes(s)) leaks.push(`PR body → ${where}`)
    expect(leaks).toEqual([])

    // Every case was detected (one finding per file at least), so the masking above is earned.
    const sarif = JSON.parse(readFileSync(join(workspace, 'out/preflight.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> }
    const results = sarif.runs[0].results
    const flagged = new Set(results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri))
    expect(ALL.map((c) => c.path).filter((p) => !flagged.has(p))).toEqual([])
    // Paths and rule ids come out as they went in (the `gitea-po****` and `run-as-non-r****` regressions).
    expect(results.some((r) => r.ruleId === 'k8s/run-as-non-root-not-set' && r.locations[0].physicalLocation.artifactLocation.uri === 'k8s/run-as-root/db.yaml')).toBe(true)
    expect(writes).toContain('gitea-postgres/compose.yaml')
    expect(writes).toContain('k8s/run-as-non-root-not-set')
    expect(writes).not.toMatch(/gitea-po\*|non-r\*|run-as-r\*/)
    // The model saw the weak passwords' lines masked, and the rest of those files intact.
    expect(requests).toContain('POSTGRES_PASSWORD: po****')
    expect(requests).toContain('image: postgres:16.2')
    // A suggestion that would commit a secret is dropped, never committed masked.
    expect(writes).not.toMatch(/```suggestion(?:(?!```).)*\*\*\*\*/)
  }, 180_000)
})

describe('CLI scan outputs', () => {
  it('JSON, SARIF and Markdown never print a secret and keep paths intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-secrets-cli-'))
    try {
      for (const c of ALL) {
        mkdirSync(dirname(join(dir, c.path)), { recursive: true })
        writeFileSync(join(dir, c.path), c.content)
      }
      const cli = join(root, 'dist', 'cli.js')
      for (const format of ['json', 'sarif', 'markdown']) {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, 'scan', dir, '--format', format], { maxBuffer: 1 << 26 }).catch((e: { stdout: string; stderr: string }) => e)
        expect(stdout.length).toBeGreaterThan(100)
        for (const c of ALL) {
          expect(stdout).not.toContain(c.secret)
          expect(stderr).not.toContain(c.secret)
        }
        expect(stdout).toContain('gitea-postgres/compose.yaml')
        expect(stdout).toContain('k8s/run-as-non-root-not-set')
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
