/**
 * Bad input: every broken file becomes a note that names it, and the files around it are still
 * analyzed. Covers malformed YAML/HCL/Dockerfile, huge, binary and non-UTF-8 files, CRLF, YAML
 * alias bombs, deeply nested JSON, a 3,000-file diff, renames without a patch, deletions and
 * persona files that collide.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, openSync, writeSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChangedFile, ChangeSet, SourceFile } from '../src/types.js'
import { analyzeFile, analyzeFiles } from '../src/rules/index.js'
import { readTree } from '../src/changes/tree.js'
import { classifyFile } from '../src/changes/classify.js'
import { parseGitDiff, patchForNewFile } from '../src/changes/diff.js'
import { runReviewPipeline } from '../src/modes/pipeline.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import { growthRatio } from './helpers/growth.js'

const DOCKERFILE = 'FROM node:latest\nRUN curl -fsSL http://get.example.com/i.sh | sh\nCMD ["node", "app.js"]\n'
const RDS_TF = 'resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  password = "hunter2hunter2X9"\n}\n'
const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  'spec:',
  '  containers:',
  '    - name: web',
  '      image: nginx:latest',
  ''
].join('\n')

const GOOD: SourceFile[] = [
  { path: 'Dockerfile', kind: 'dockerfile', content: DOCKERFILE },
  { path: 'db.tf', kind: 'terraform', content: RDS_TF },
  { path: 'k8s/pod.yaml', kind: 'kubernetes', content: POD }
]

const at = (findings: { path: string; line: number; ruleId: string }[], path: string) =>
  findings.filter((f) => f.path === path).map((f) => `${f.line} ${f.ruleId}`)

let goodOnly: Awaited<ReturnType<typeof analyzeFiles>>
beforeAll(async () => {
  goodOnly = await analyzeFiles(GOOD)
}, 60_000)

/** The findings on the good files are exactly those they have when analyzed alone. */
function expectGoodFilesIntact(findings: { path: string; line: number; ruleId: string }[]): void {
  for (const f of GOOD) expect(at(findings, f.path)).toEqual(at(goodOnly.findings, f.path))
}

describe('malformed files among good ones', () => {
  it('the good files have the findings this matrix relies on', () => {
    expect(at(goodOnly.findings, 'Dockerfile')).toContain('2 dockerfile/curl-pipe-shell')
    expect(at(goodOnly.findings, 'db.tf')).toContain('3 tf/hardcoded-password')
    expect(at(goodOnly.findings, 'k8s/pod.yaml').length).toBeGreaterThan(0)
    expect(goodOnly.notes).toEqual([])
  })

  it('malformed YAML, HCL and Dockerfile each give one parse note naming the file and line', async () => {
    const broken: SourceFile[] = [
      { path: 'k8s/broken.yaml', kind: 'kubernetes', content: 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n  spec: [' },
      { path: 'broken.tf', kind: 'terraform', content: 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n' },
      { path: 'broken/Dockerfile', kind: 'dockerfile', content: '\u0001\u0002 FROM\n\n@@@' },
      { path: '.github/workflows/ci.yml', kind: 'workflow', content: 'on: push\njobs:\n  a: [\n' },
      { path: 'compose.yaml', kind: 'compose', content: 'services:\n  web:\n    image: "x\n' },
      { path: 'cfn.yaml', kind: 'cloudformation', content: 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n   Properties: {\n' }
    ]
    const r = await analyzeFiles([GOOD[0], ...broken.slice(0, 3), GOOD[1], ...broken.slice(3), GOOD[2]])
    expect(r.notes.map((n) => [n.path, n.reason])).toEqual(broken.map((b) => [b.path, 'parse']))
    for (const n of r.notes) expect(n.message.startsWith(`${n.path}: could not be parsed: `)).toBe(true)
    expect(r.notes.find((n) => n.path === 'k8s/broken.yaml')?.message).toMatch(/invalid YAML at line 3/)
    expect(r.notes.find((n) => n.path === 'broken.tf')?.message).toMatch(/invalid HCL at line 3/)
    expect(r.notes.find((n) => n.path === 'broken/Dockerfile')?.message).toMatch(/line 1/)
    expectGoodFilesIntact(r.findings)
  }, 60_000)

  it('a secret in a file that does not parse is still found by the secret scan', async () => {
    const content = 'resource "aws_db_instance" "db" {\n  password = "hunter2hunter2X9"\n'
    const r = await analyzeFile({ path: 'half.tf', kind: 'terraform', content })
    expect(r.notes.map((n) => n.reason)).toEqual(['parse'])
    expect(r.findings.some((f) => f.category === 'secrets' && f.line === 2)).toBe(true)
    expect(r.secrets).toContainEqual({ path: 'half.tf', line: 2, column: 14, value: 'hunter2hunter2X9' })
  }, 30_000)
})

describe('resource exhaustion', () => {
  it('a YAML alias bomb is refused quickly where it would be expanded, and the others are analyzed', async () => {
    const levels = 'abcdefghi'.split('')
    const rows = [`a: &a [${Array(9).fill('"lol"').join(',')}]`]
    for (let i = 1; i < levels.length; i++) rows.push(`${levels[i]}: &${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(',')}]`)
    // Kubernetes and CloudFormation turn documents into plain values and must refuse; compose
    // and workflow rules walk the syntax tree, where an alias is one node and costs nothing.
    const expanding = new Set(['kubernetes', 'cloudformation'])
    for (const kind of ['kubernetes', 'compose', 'workflow', 'cloudformation'] as const) {
      const path = `bomb-${kind}.yaml`
      const r = await analyzeFiles([GOOD[0], { path, kind, content: rows.join('\n') + '\n' }, GOOD[2]])
      // Refused (or never expanded) before the expansion grows: one more level, nine times the
      // expansion, costs about the same.
      const deeper = [...rows, `j: &j [${Array(9).fill('*i').join(',')}]`]
      const analyze = (lines: string[]) => () => analyzeFiles([{ path, kind, content: lines.join('\n') + '\n' }])
      expect(await growthRatio(analyze(rows), analyze(deeper))).toBeLessThanOrEqual(3)
      if (expanding.has(kind)) {
        expect(r.notes.map((n) => [n.path, n.reason])).toEqual([[path, 'parse']])
        expect(r.notes[0].message).toBe(`${path}: could not be parsed: YAML could not be expanded: Excessive alias count indicates a resource exhaustion attack`)
      } else {
        expect(r.notes).toEqual([])
      }
      expect(at(r.findings, 'Dockerfile')).toEqual(at(goodOnly.findings, 'Dockerfile'))
      expect(at(r.findings, 'k8s/pod.yaml')).toEqual(at(goodOnly.findings, 'k8s/pod.yaml'))
    }
  }, 60_000)

  it('100,000 levels of [ in a CloudFormation-looking .json file give a parse note, not a crash', async () => {
    const open = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ' + '['.repeat(100_000)
    const closed = open + ']'.repeat(100_000) + '}'
    for (const [path, content] of [['deep-open.json', open], ['deep-closed.json', closed]]) {
      const r = await analyzeFiles([GOOD[0], { path, kind: 'cloudformation', content }, GOOD[1]])
      expect(r.notes.map((n) => [n.path, n.reason])).toEqual([[path, 'parse']])
      expect(r.notes[0].message.startsWith(`${path}: could not be parsed`)).toBe(true)
      expect(at(r.findings, 'Dockerfile')).toEqual(at(goodOnly.findings, 'Dockerfile'))
      expect(at(r.findings, 'db.tf')).toEqual(at(goodOnly.findings, 'db.tf'))
    }
  }, 60_000)

  it('deeply nested Terraform JSON is refused with a note too', async () => {
    const content = '{"resource": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'
    const r = await analyzeFiles([{ path: 'deep.tf.json', kind: 'terraform', content }, GOOD[1]])
    expect(r.notes.map((n) => n.path)).toEqual(['deep.tf.json'])
    expect(at(r.findings, 'db.tf')).toEqual(at(goodOnly.findings, 'db.tf'))
  }, 60_000)

  it('a 20 MB file handed in directly is not analyzed and says so', async () => {
    const content = '# filler\n'.repeat(2 * 1024 * 1024)
    const r = await analyzeFiles([{ path: 'big.tf', kind: 'terraform', content }, GOOD[0]])
    expect(r.notes).toEqual([{ path: 'big.tf', reason: 'too-large', message: 'big.tf: larger than 2 MiB, not analyzed' }])
    expect(at(r.findings, 'Dockerfile')).toEqual(at(goodOnly.findings, 'Dockerfile'))
  }, 60_000)
})

describe('reading a tree with hostile files', () => {
  let root: string
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'preflight-faults-'))
    mkdirSync(join(root, 'k8s'))
    writeFileSync(join(root, 'Dockerfile'), DOCKERFILE)
    writeFileSync(join(root, 'db.tf'), RDS_TF)
    writeFileSync(join(root, 'k8s', 'pod.yaml'), POD)
    // 20 MB, written in chunks so the test never holds it twice.
    const fd = openSync(join(root, 'huge.tf'), 'w')
    const chunk = Buffer.from(`#${'x'.repeat(62)}\n`.repeat(16 * 1024))
    for (let i = 0; i < 20; i++) writeSync(fd, chunk)
    closeSync(fd)
    writeFileSync(join(root, 'image.tf'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]))
    // Binary by nature: a picture (by its name, never read, even a text one) and a blob (by its content).
    writeFileSync(join(root, 'logo.png'), 'password = "not-read-at-all-Zq8vW2"\n')
    writeFileSync(join(root, 'blob.bin'), Buffer.from([0x00, 0x01, 0x02, 0xff]))
    // Latin-1 text: valid bytes, not valid UTF-8.
    writeFileSync(join(root, 'latin1.yaml'), Buffer.from('name: caf\xe9\npassword: s\xe9cr\xe9t\n', 'latin1'))
    writeFileSync(join(root, 'crlf.Dockerfile'), DOCKERFILE.replace(/\n/g, '\r\n'))
    writeFileSync(join(root, 'bom.tf'), '\ufeff' + RDS_TF)
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('lists every file, notes the huge, binary and non-UTF-8 ones, and reads the rest', async () => {
    const tree = await readTree(root)
    expect(tree.listed.map((f) => f.path)).toEqual(['Dockerfile', 'blob.bin', 'bom.tf', 'crlf.Dockerfile', 'db.tf', 'huge.tf', 'image.tf', 'k8s/pod.yaml', 'latin1.yaml', 'logo.png'])
    // Binary files where no infrastructure could be are counted, not noted one by one.
    expect(tree.binary).toBe(2)
    expect(tree.notes.map((n) => [n.path, n.reason])).toEqual([
      ['huge.tf', 'too-large'],
      ['image.tf', 'binary'],
      ['latin1.yaml', 'encoding']
    ])
    expect(tree.notes[0].message).toBe('huge.tf: 20.0 MiB is over the 2 MiB limit, not analyzed')
    expect(tree.notes[1].message).toBe('image.tf: binary content, not analyzed')
    expect(tree.notes[2].message).toBe('latin1.yaml: not valid UTF-8, not analyzed')
    expect(tree.files.map((f) => f.path)).toEqual(['Dockerfile', 'bom.tf', 'crlf.Dockerfile', 'db.tf', 'k8s/pod.yaml'])
    // A byte order mark is dropped, so the first line still parses.
    expect(tree.files.find((f) => f.path === 'bom.tf')?.content.startsWith('resource')).toBe(true)

    const r = await analyzeFiles(tree.files)
    expect(r.notes).toEqual([])
    expectGoodFilesIntact(r.findings)
    expect(at(r.findings, 'bom.tf')).toEqual(at(goodOnly.findings, 'db.tf'))
  }, 60_000)

  it('walks past installed dependencies: node_modules, and the packages of a pip install target (its own files stay)', async () => {
    const deps = mkdtempSync(join(tmpdir(), 'preflight-deps-'))
    try {
      for (const dir of ['node_modules/lib', 'layer/python/sdk/data', 'layer/python/sdk-1.2.3.dist-info', 'app']) mkdirSync(join(deps, dir), { recursive: true })
      writeFileSync(join(deps, 'node_modules/lib/index.yaml'), 'a: 1\n')
      writeFileSync(join(deps, 'layer/python/sdk/data/paginators.json'), '{"input_token": "NextToken"}\n')
      writeFileSync(join(deps, 'layer/python/sdk-1.2.3.dist-info/METADATA'), 'Name: sdk\n')
      writeFileSync(join(deps, 'layer/python/handler.py'), 'def handler(event, context):\n    return event\n')
      writeFileSync(join(deps, 'app/main.tf'), RDS_TF)
      const tree = await readTree(deps)
      expect(tree.listed.map((f) => f.path)).toEqual(['app/main.tf', 'layer/python/handler.py'])
    } finally {
      rmSync(deps, { recursive: true, force: true })
    }
  })

  it("classifies a chart's values file as the pull request path does, wherever the chart sits (a plain template stays a manifest in a scan)", async () => {
    const charts = mkdtempSync(join(tmpdir(), 'preflight-charts-'))
    try {
      for (const dir of ['deploy/registry', 'config']) mkdirSync(join(charts, dir), { recursive: true })
      for (const dir of ['', 'deploy/registry']) {
        writeFileSync(join(charts, dir, 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 1.0.0\n')
        writeFileSync(join(charts, dir, 'values.yaml'), 'replicaCount: 1\n')
      }
      writeFileSync(join(charts, 'config/values.yaml'), 'replicaCount: 1\n')
      // A template without Go template markers renders to itself: a scan reads it as the manifest it is.
      mkdirSync(join(charts, 'deploy/registry/templates'))
      writeFileSync(join(charts, 'deploy/registry/templates/service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: registry\nspec:\n  ports:\n    - port: 80\n')
      // A chart's partial, and a Terraform module's templatefile input beside no Chart.yaml, both `.tpl`.
      writeFileSync(join(charts, 'deploy/registry/templates/_helpers.tpl'), '{{- define "registry.name" -}}registry{{- end }}\n')
      mkdirSync(join(charts, 'infra/templates'), { recursive: true })
      writeFileSync(join(charts, 'infra/main.tf'), 'locals {\n  user_data = templatefile("${path.module}/templates/providers.tf.tpl", { project = "p" })\n}\n')
      writeFileSync(join(charts, 'infra/templates/providers.tf.tpl'), 'provider "google" {\n  project = "${project}"\n}\n')
      const tree = await readTree(charts)
      const kinds = Object.fromEntries(tree.listed.map((f) => [f.path, f.kind]))
      expect(kinds).toMatchObject({ 'values.yaml': 'helm', 'deploy/registry/values.yaml': 'helm', 'deploy/registry/templates/service.yaml': 'kubernetes' })
      expect(kinds).toMatchObject({ 'deploy/registry/templates/_helpers.tpl': 'helm', 'infra/main.tf': 'terraform', 'infra/templates/providers.tf.tpl': 'other' })
      expect(kinds['config/values.yaml']).not.toBe('helm')
      // No chart is made up for the module's templates folder.
      const r = await analyzeFiles(tree.files)
      expect(r.notes.filter((n) => n.message.includes('infra'))).toEqual([])
    } finally {
      rmSync(charts, { recursive: true, force: true })
    }
  })

  it('CRLF line ends give the same findings on the same lines as LF', async () => {
    const tree = await readTree(root)
    const crlf = tree.files.find((f) => f.path === 'crlf.Dockerfile')!
    expect(crlf.kind).toBe('dockerfile')
    expect(crlf.content).toContain('\r\n')
    const r = await analyzeFiles([crlf])
    expect(at(r.findings, 'crlf.Dockerfile')).toEqual(at(goodOnly.findings, 'Dockerfile'))
    // The text the suggestions are built from carries no stray carriage return.
    for (const f of r.findings) expect(`${f.message}${f.suggestion ?? ''}`).not.toContain('\r')
  }, 60_000)

  it('a binary file handed in directly as text is noted, not analyzed', async () => {
    const r = await analyzeFile({ path: 'blob.yaml', kind: 'kubernetes', content: 'apiVersion: v1\u0000\u0001' })
    expect(r.notes).toEqual([{ path: 'blob.yaml', reason: 'binary', message: 'blob.yaml: binary content, not analyzed' }])
    expect(r.findings).toEqual([])
  })
})

// ── Large and odd change sets ──────────────────────────────────────────────────────────────

const personas = () => loadPersonaSet(readBundledPersonas(), []).personas

function change(files: ChangedFile[]): ChangeSet {
  return { title: 'Infra change', body: '', labels: [], files, notes: [] }
}

function added(path: string, content: string): ChangedFile {
  return { path, status: 'added', kind: classifyFile(path, content), patch: patchForNewFile(content), content }
}

describe('a diff of 3,000 files', () => {
  it('parseGitDiff splits 3,000 file blocks in order, with the right paths and hunks, in linear time', async () => {
    const blocks: string[] = []
    for (let i = 0; i < 3000; i++) {
      const path = i % 3 === 0 ? `svc${i}/Dockerfile` : i % 3 === 1 ? `tf/m${i}.tf` : `docs/with space ${i}.md`
      blocks.push(`diff --git a/${path} b/${path}\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1,2 @@\n+line one ${i}\n+line two\n`)
    }
    const diffs = parseGitDiff(blocks.join(''))
    // Twice the files, about twice the time (absolute times are the bench's business).
    const half = blocks.slice(0, 1500).join('')
    const all = blocks.join('')
    expect(await growthRatio(() => parseGitDiff(half), () => parseGitDiff(all))).toBeLessThanOrEqual(3)
    expect(diffs).toHaveLength(3000)
    expect(diffs[0].path).toBe('svc0/Dockerfile')
    expect(diffs[2].path).toBe('docs/with space 2.md')
    expect(diffs[2997].path).toBe('svc2997/Dockerfile')
    expect(diffs[2999].path).toBe('docs/with space 2999.md')
    expect(diffs.every((d) => d.status === 'added' && d.patch?.startsWith('@@ -0,0 +1,2 @@'))).toBe(true)
  })

  it('the pipeline reviews a 3,000-file change set and anchors every finding of every Dockerfile', async () => {
    const files: ChangedFile[] = []
    for (let i = 0; i < 3000; i++) {
      if (i % 10 === 0) files.push(added(`svc${i}/Dockerfile`, DOCKERFILE))
      else files.push(added(`docs/page${i}.md`, `# Page ${i}\n`))
    }
    // No stopwatch: the bench measures the time of a large review; the test timeout bounds it.
    const r = await runReviewPipeline(change(files), personas(), { maxAgents: 2, forced: [] })
    const curl = r.comments.filter((c) => c.body.includes('curl-pipe-shell'))
    expect(curl).toHaveLength(300)
    expect(new Set(curl.map((c) => `${c.path}:${c.line}`)).size).toBe(300)
    // One comment per Dockerfile stage, anchored on its first changed line, carrying every finding.
    expect(curl.every((c) => c.line === 1)).toBe(true)
    for (const c of curl) expect(r.commentSources[c.fingerprint].findings.length).toBe(r.findings.filter((f) => f.path === c.path).length)
    expect(r.files).toHaveLength(3000)
    expect(r.verdict).toBe('fail')
  }, 120_000)
})

describe('renames and deletions', () => {
  it('a rename without a patch is analyzed but carries no inline comment; a deleted file is not analyzed', async () => {
    const files: ChangedFile[] = [
      { path: 'new/Dockerfile', previousPath: 'old/Dockerfile', status: 'renamed', kind: 'dockerfile', content: DOCKERFILE },
      { path: 'gone.tf', status: 'removed', kind: 'terraform', patch: '@@ -1,2 +0,0 @@\n-resource "x" "y" {\n-}' },
      added('db.tf', RDS_TF)
    ]
    const r = await runReviewPipeline(change(files), personas(), { maxAgents: 2, forced: [] })
    expect(r.files.map((f) => f.path)).toEqual(['new/Dockerfile', 'db.tf'])
    expect(r.findings.some((f) => f.path === 'gone.tf')).toBe(false)
    // The renamed file's findings are kept for the summary, never anchored to an absent diff.
    const renamed = r.findings.filter((f) => f.path === 'new/Dockerfile')
    expect(renamed.map((f) => `${f.line} ${f.ruleId}`)).toEqual(at(goodOnly.findings, 'Dockerfile'))
    expect(r.comments.some((c) => c.path === 'new/Dockerfile')).toBe(false)
    expect(r.unanchored.filter((f) => f.path === 'new/Dockerfile')).toHaveLength(renamed.length)
    expect(r.comments.some((c) => c.path === 'db.tf' && r.commentSources[c.fingerprint].findings.some((f) => f.line === 3))).toBe(true)
  }, 60_000)

  it('a change of only deletions routes nothing to analyze and does not fail', async () => {
    const r = await runReviewPipeline(
      change([{ path: 'Dockerfile', status: 'removed', kind: 'dockerfile', patch: '@@ -1 +0,0 @@\n-FROM node:latest' }]),
      personas(),
      { maxAgents: 2, forced: [] }
    )
    expect(r.findings).toEqual([])
    expect(r.comments).toEqual([])
    expect(r.verdict).not.toBe('fail')
  }, 60_000)
})

describe('personas that collide', () => {
  it('two repository personas of one name: the first in path order is kept whatever the input order, the other is named in a warning, and the review runs', async () => {
    const a = { path: '.github/agents/a.md', text: '---\nname: gatekeeper\ndescription: first\naliases: [gate]\ntriggers:\n  files: [dockerfile]\n---\nFirst.\n' }
    const b = { path: '.claude/agents/b.md', text: '---\nname: gatekeeper\ndescription: second\naliases: [gate]\ntriggers:\n  files: [dockerfile]\n---\nSecond.\n' }
    const set = loadPersonaSet(readBundledPersonas(), [a, b])
    const gate = set.personas.filter((p) => p.name === 'gatekeeper')
    expect(gate).toHaveLength(1)
    expect(gate[0].source).toBe('.claude/agents/b.md')
    expect(loadPersonaSet(readBundledPersonas(), [b, a]).personas.find((p) => p.name === 'gatekeeper')?.source).toBe('.claude/agents/b.md')
    expect(set.warnings.some((w) => w.includes('.claude/agents/b.md') && w.includes('.github/agents/a.md'))).toBe(true)
    const r = await runReviewPipeline(change([added('Dockerfile', DOCKERFILE)]), set.personas, { maxAgents: 5, forced: ['gate'] })
    expect(r.agents.filter((x) => x.agent.persona.name === 'gatekeeper')).toHaveLength(1)
    expect(r.comments.some((c) => c.path === 'Dockerfile' && r.commentSources[c.fingerprint].findings.some((f) => f.line === 2))).toBe(true)
  }, 60_000)
})
