/**
 * The sticky summary: short for a typical pull request, never over GitHub's limit, structurally
 * valid after truncation, hidden markers first, and byte-identical when nothing changed.
 */
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runReviewPipeline } from '../src/modes/pipeline.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import { loadLocalChangeSet } from '../src/changes/git.js'
import { patchForNewFile } from '../src/changes/diff.js'
import { renderJobSummary, renderSummary } from '../src/render/summary.js'
import { SUMMARY_MARKER, hasSummaryMarker, parseStateMarker, summaryHeader, type SummaryState } from '../src/render/markers.js'
import type { ChangeSet, ChangedFile, ReviewResult } from '../src/types.js'
import { structureProblems } from './helpers/markdown.js'

const personas = loadPersonaSet(readBundledPersonas(), []).personas
const BLOB = 'https://github.com/acme/infra/blob/' + 'a'.repeat(40)

/** The sticky comment as review mode posts it: markers first, then the rendered summary. */
function stickyComment(r: ReviewResult, maxChars?: number): { body: string; state: SummaryState } {
  const state: SummaryState = { lastReviewedSha: 'a'.repeat(40), version: '0.1.0', ...(Object.keys(r.inlineState).length ? { inline: r.inlineState } : {}) }
  const body = `${summaryHeader(state)}\n${renderSummary(r, { blobUrl: BLOB, postedComments: r.comments.length, duplicateComments: 0, maxChars })}`
  return { body, state }
}

describe('the bundled example (npm run example)', () => {
  let repo: string
  let change: ChangeSet
  beforeAll(async () => {
    const sample = resolve('examples/sample')
    repo = mkdtempSync(join(tmpdir(), 'preflight-summary-'))
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe' })
    git('init', '-q', '-b', 'main')
    git('config', 'user.name', 'T')
    git('config', 'user.email', 't@example.invalid')
    git('config', 'commit.gpgsign', 'false')
    cpSync(join(sample, 'base'), repo, { recursive: true })
    git('add', '-A')
    git('commit', '-q', '-m', 'base')
    for (const dir of ['infra', 'k8s']) rmSync(join(repo, dir), { recursive: true, force: true })
    cpSync(join(sample, 'head'), repo, { recursive: true })
    git('add', '-A')
    git('commit', '-q', '-m', readFileSync(join(sample, 'PR.md'), 'utf8'))
    change = await loadLocalChangeSet(repo, 'HEAD~1', 'HEAD')
  })
  afterAll(() => rmSync(repo, { recursive: true, force: true }))

  it('stays under 12,000 characters with its hidden state, markers first', async () => {
    const r = await runReviewPipeline(change, personas, { maxAgents: 2, forced: [] })
    expect(r.findings.length).toBeGreaterThanOrEqual(20)
    const { body, state } = stickyComment(r)
    expect(body.length).toBeLessThanOrEqual(12_000)
    expect(body.split('\n')[0]).toBe(SUMMARY_MARKER)
    expect(parseStateMarker(body)).toEqual(state)
    expect(structureProblems(body)).toEqual([])
    // The parts a reader needs, each once.
    expect(body.match(/^### Fix first$/gm)).toHaveLength(1)
    expect(body.match(/^### Checklist$/gm)).toHaveLength(1)
    expect(body.match(/^### Plan$/gm)).toHaveLength(1)
    expect(body).toContain('the job summary and the plan file')
  })

  it('re-renders byte-identically for the same change, whatever the order of its files', async () => {
    const a = stickyComment(await runReviewPipeline(change, personas, { maxAgents: 2, forced: [] })).body
    const b = stickyComment(await runReviewPipeline(change, personas, { maxAgents: 2, forced: [] })).body
    expect(b).toBe(a)
    const reversed = { ...change, files: [...change.files].reverse() }
    const c = stickyComment(await runReviewPipeline(reversed, personas, { maxAgents: 2, forced: [] })).body
    expect(c).toBe(a)
  })

  it('the job summary carries each full plan once, the sticky comment only the first steps', async () => {
    const r = await runReviewPipeline(change, personas, { maxAgents: 2, forced: [] })
    const { body } = stickyComment(r)
    const job = renderJobSummary(body, r)
    expect(job.match(/^## Rollback plan$/gm)).toHaveLength(r.agents.length)
    expect(body).not.toMatch(/^## Rollback plan$/m)
    expect(structureProblems(job)).toEqual([])
  })
})

/** Files of every kind, each with many findings, to build a pull request far over any budget. */
function everyKind(copies: number): ChangedFile[] {
  const files: ChangedFile[] = []
  const add = (path: string, kind: ChangedFile['kind'], content: string) => files.push({ path, kind, status: 'added', content, patch: patchForNewFile(content) })
  for (let i = 0; i < copies; i++) {
    add(`k8s/app${i}.yaml`, 'kubernetes', `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\nspec:\n  replicas: 3\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n        - name: web${i}\n          image: nginx:latest\n          securityContext:\n            privileged: true\n        - name: side${i}\n          image: busybox\n`)
    add(`infra/net${i}.tf`, 'terraform', `resource "aws_security_group" "open${i}" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n\nresource "aws_db_instance" "db${i}" {\n  engine   = "postgres"\n  password = "hunter2hunter2"\n  publicly_accessible = true\n}\n\nresource "aws_s3_bucket" "b${i}" {\n  bucket = "b${i}"\n  acl    = "public-read"\n}\n`)
    add(`svc${i}/Dockerfile`, 'dockerfile', 'FROM node:latest\nUSER root\nRUN curl -fsSL http://get.example.com/i.sh | sh\nEXPOSE 22\nADD http://example.com/x.tgz /x\n')
    add(`.github/workflows/ci${i}.yml`, 'workflow', `on: pull_request_target\npermissions: write-all\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: echo "\${{ github.event.pull_request.title }}"\n`)
    add(`compose${i}/docker-compose.yml`, 'compose', `services:\n  web:\n    image: nginx:latest\n    privileged: true\n    network_mode: host\n    ports:\n      - "22:22"\n`)
    add(`cfn${i}/stack.yaml`, 'cloudformation', `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bucket${i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n  Sg${i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: open\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n`)
  }
  return files
}

describe('a pull request touching every kind with hundreds of findings', () => {
  it('never exceeds 60,000 characters, stays valid, and keeps its markers', async () => {
    const change: ChangeSet = { title: 'Everything at once', body: '', labels: [], number: 9, files: everyKind(25), notes: [] }
    const r = await runReviewPipeline(change, personas, { maxAgents: 5, forced: [] })
    expect(r.findings.length).toBeGreaterThan(300)
    const { body, state } = stickyComment(r)
    expect(body.length).toBeLessThanOrEqual(60_000)
    expect(structureProblems(body)).toEqual([])
    expect(hasSummaryMarker(body)).toBe(true)
    expect(parseStateMarker(body)).toEqual(state)
  })

  it('cuts whole sections when the budget is small, and says so', async () => {
    const change: ChangeSet = { title: 'Everything at once', body: '', labels: [], number: 9, files: everyKind(5), notes: [] }
    const r = await runReviewPipeline(change, personas, { maxAgents: 5, forced: [] })
    for (const max of [1_500, 3_000, 6_000]) {
      const { body, state } = stickyComment(r, max)
      expect(body.length - summaryHeader(state).length).toBeLessThanOrEqual(max + 1)
      expect(structureProblems(body)).toEqual([])
      expect(parseStateMarker(body)).toEqual(state)
      expect(body).toContain('Shortened to fit')
      expect(body).toMatch(/^## 🛫 Preflight — ❌ fail$/m)
    }
  })
})

describe('Fix first', () => {
  it('puts, within a severity, the findings on the changed lines before older ones elsewhere in the file', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'preflight-fixfirst-'))
    try {
      const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { stdio: 'pipe' })
      git('init', '-q', '-b', 'main')
      // Two Deployments that set no requests (medium, unchanged); the change moves the second one's image to `latest` (medium, on the diff).
      const deployment = (name: string, image: string) =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: ${name}\n          image: ${image}\n`
      const write = (image: string) => writeFileSync(join(repo, 'apps.yaml'), `${deployment('alpha', 'nginx:1.27')}---\n${deployment('beta', image)}`)
      write('nginx:1.27')
      git('add', '-A')
      git('commit', '-q', '-m', 'base')
      write('nginx:latest')
      git('commit', '-q', '-am', 'head')
      const change = await loadLocalChangeSet(repo, 'HEAD~1', 'HEAD')
      const r = await runReviewPipeline(change, personas, { maxAgents: 2, forced: [] })
      const mediums = r.findings.filter((f) => f.severity === 'medium')
      expect(mediums.some((f) => f.ruleId !== 'k8s/image-latest' && f.line < mediums.find((m) => m.ruleId === 'k8s/image-latest')!.line)).toBe(true)
      const fixFirst = renderSummary(r).split('### Fix first')[1]!.split('###')[0]!
      const first = fixFirst.split('\n').find((l) => l.startsWith('1. '))
      expect(first).toContain('k8s/image-latest')
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  })
})
