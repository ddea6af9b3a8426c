/**
 * Which resource a finding belongs to when its rule did not say (the grouping key of inline
 * comments), per file kind, and that the key survives lines moving.
 */
import { describe, expect, it } from '@jest/globals'
import { planInlineComments, resourceKeyOf } from '../src/render/inline.js'
import { parseFingerprint } from '../src/render/markers.js'
import type { FileKind, Finding } from '../src/types.js'
import { growthRatio } from './helpers/growth.js'

const at = (line: number, extra: Partial<Finding> = {}): Finding => ({ ruleId: 'r', category: 'security', severity: 'high', path: 'f', line, message: 'm', ...extra })
const key = (kind: FileKind, content: string, line: number) => resourceKeyOf(at(line), { kind, content })

describe('resourceKeyOf', () => {
  it('uses the finding’s own resource first', () => {
    expect(resourceKeyOf(at(3, { resource: 'aws_s3_bucket.logs' }), { kind: 'terraform', content: 'x' })).toEqual({ key: 'resource:aws_s3_bucket.logs', label: 'aws_s3_bucket.logs' })
  })

  it('terraform: the enclosing top-level block', () => {
    const tf = 'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n  acl = "public-read"\n}\n\nresource "aws_db_instance" "db" {\n  password = "x"\n  nested {\n    y = 1\n  }\n}\n'
    expect(key('terraform', tf, 3).label).toBe('resource "aws_s3_bucket" "a"')
    expect(key('terraform', tf, 9).label).toBe('resource "aws_db_instance" "db"')
    expect(key('terraform', tf, 3).key).not.toBe(key('terraform', tf, 9).key)
    // Lines added above do not change the key.
    expect(key('terraform', `# header\n\n${tf}`, 5).key).toBe(key('terraform', tf, 3).key)
  })

  it('kubernetes: the container, else the document; documents of one file stay apart', () => {
    const doc = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: app\n          image: x\n          ports:\n            - containerPort: 80\n        - name: sidecar\n          image: y\n`
    const k8s = `${doc('one')}---\n${doc('two')}`
    expect(key('kubernetes', k8s, 11)).toMatchObject({ label: 'app' })
    expect(key('kubernetes', k8s, 13).key).toBe(key('kubernetes', k8s, 11).key) // a port belongs to its container
    expect(key('kubernetes', k8s, 15)).toMatchObject({ label: 'sidecar' })
    expect(key('kubernetes', k8s, 6)).toMatchObject({ label: 'Deployment/one' })
    expect(key('kubernetes', k8s, 22)).toMatchObject({ label: 'Deployment/two' })
    expect(key('kubernetes', k8s, 27).key).not.toBe(key('kubernetes', k8s, 11).key) // `app` of the second document
  })

  it('compose: the service; workflow: the step, else the job; CloudFormation: the resource', () => {
    const compose = 'services:\n  web:\n    image: nginx\n    privileged: true\n  db:\n    image: postgres\n'
    expect(key('compose', compose, 4)).toMatchObject({ label: 'web' })
    expect(key('compose', compose, 6)).toMatchObject({ label: 'db' })
    const wf = 'on: push\njobs:\n  build:\n    permissions: write-all\n    steps:\n      - uses: actions/checkout@v4\n      - name: Test\n        run: make test\n'
    expect(key('workflow', wf, 4)).toMatchObject({ label: 'build' })
    expect(key('workflow', wf, 8)).toMatchObject({ label: 'Test' })
    const cfn = 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - Key: a\n          Value: b\n  Queue:\n    Type: AWS::SQS::Queue\n'
    expect(key('cloudformation', cfn, 7)).toMatchObject({ label: 'Bucket' })
    expect(key('cloudformation', cfn, 9)).toMatchObject({ label: 'Queue' })
  })

  it('dockerfile: the build stage', () => {
    const df = 'FROM node:20 AS build\nRUN npm ci\nFROM nginx:1.27\nUSER root\n'
    expect(key('dockerfile', df, 2)).toMatchObject({ label: 'build' })
    expect(key('dockerfile', df, 4)).toMatchObject({ label: 'nginx:1.27' })
  })

  it('falls back to the line when nothing better is known', () => {
    expect(resourceKeyOf(at(7))).toEqual({ key: 'line:7' })
    expect(key('other', 'a\nb\n', 1)).toEqual({ key: 'line:1' })
  })
})

describe('comment bodies stay far below GitHub\'s limit', () => {
  it('whatever the length of the names and messages, the fingerprint stays the last line', () => {
    const huge = 'x`<!--'.repeat(40_000)
    const findings = Array.from({ length: 40 }, (_, i) => at(3 + (i % 3), { path: 'a.yaml', resource: 'r', ruleId: `r/${huge}`, message: huge, remediation: huge, suggestion: i === 0 ? huge : undefined }))
    const modelComments = [{ comment: { path: 'a.yaml', line: 3, severity: 'high' as const, category: 'slo' as const, body: huge }, model: huge }]
    const plan = planInlineComments({ findings, modelComments, commentable: new Map([['a.yaml', new Set([3, 4, 5])]]), added: new Map([['a.yaml', new Set([3, 4, 5])]]), files: new Map(), minSeverity: 'medium' })
    expect(plan.comments).toHaveLength(1)
    const body = plan.comments[0].body
    expect(body.length).toBeLessThan(55_000)
    expect(parseFingerprint(body)).toBe(plan.comments[0].fingerprint)
    expect(body).toMatch(/and \d+ more on this resource/)
  })
})

describe('grouping cost grows linearly', () => {
  /** A multi-document manifest with `n` documents, one finding per document. */
  function run(n: number): number {
    const doc = (i: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  type: LoadBalancer\n`
    const content = Array.from({ length: n }, (_, i) => doc(i)).join('---\n')
    const findings = Array.from({ length: n }, (_, i) => at(i * 7 + 6, { path: 'a.yaml' }))
    const lines = new Set(Array.from({ length: n * 7 }, (_, i) => i + 1))
    const started = performance.now()
    const plan = planInlineComments({ findings, modelComments: [], commentable: new Map([['a.yaml', lines]]), added: new Map([['a.yaml', lines]]), files: new Map([['a.yaml', { kind: 'kubernetes', content }]]), minSeverity: 'medium' })
    const ms = performance.now() - started
    expect(plan.comments).toHaveLength(n)
    return ms
  }
  it('twice the documents and findings take at most about twice the time', async () => {
    run(500) // warm-up
    // Interleaved best-of rounds, retried: a busy machine slows single runs, not the best of several.
    expect(await growthRatio(() => run(2_000), () => run(4_000), { rounds: 3 })).toBeLessThan(3)
  })
})
