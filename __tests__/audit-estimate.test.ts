/**
 * The offline estimate on a sample repository with hand-checked figures, the JSON contract of
 * `preflight audit`, shards merging into the unsharded result, and files that cannot be read.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { auditTree, mergeAuditShards, shardOf, auditFingerprint, type AuditResult } from '../src/cost/audit.js'
import { main } from '../src/cli/main.js'
import { money, oneSizeDown, sumMoney } from '../src/cost/estimate.js'
import { EC2_HOURLY } from '../src/cost/prices.js'
import { costKubernetes } from '../src/cost/kubernetes.js'
import { costTerraform } from '../src/cost/terraform.js'

const SAMPLE = '__tests__/__fixtures__/audit/sample-repo'

/*
 * Hand-checked from src/cost/prices.ts (us-east-1, 730 h/month):
 *   infra/prod    aws_instance.web      2 × m5.large 0.096 × 730            = 140.16
 *                 aws_instance.batch    m5.8xlarge 1.536 × 730               = 1121.28  saving → m5.4xlarge (0.768 × 730 = 560.64) = 560.64
 *                 aws_ebs_volume.data   500 GB gp2 × 0.10                    = 50.00    saving 500 × (0.10 − 0.08) = 10.00
 *                 aws_lb.public         ALB 0.0225 × 730 = 16.425            = 16.43
 *                 aws_db_instance       db.r5.large postgres 0.25 × 2 (Multi-AZ) × 730 = 365.00 + 100 GB × 0.115 × 2 = 23.00 → 388.00
 *   infra/staging aws_db_instance       db.t3.medium mysql 0.068 × 730 = 49.64 + 20 GB × 0.115 = 2.30 → 51.94
 *                                       saving 0.068 × (730 − 50 × 730 / 168 = 217.26) = 34.866 → 34.87
 *                 aws_nat_gateway a, b  0.045 × 730 = 32.85 each             = 65.70    saving one of them = 32.85
 *                 log group             120 GB × 0.03 = 3.60                 saving 3.60 − 10 GB × 0.03 = 3.30
 *                 s3 bucket             100 GB × 0.023 = 2.30                saving 50 × (0.023 − 0.0125) = 0.525 → 0.53
 *   k8s/api.yaml  6 × (0.6 vCPU × 0.04048 + 1.125 GB × 0.004445) × 730 = 6 × 21.38 = 128.28
 *                 saving 21.38 × (6 − 2) × 0.5 = 42.76
 *   cfn           100 GB gp2 × 0.10 = 10.00, saving 2.00
 * Cost:   140.16 + 1121.28 + 50 + 16.43 + 388 + 51.94 + 65.70 + 3.60 + 2.30 + 128.28 + 10 = 1977.69
 * Saving: 560.64 + 10 + 34.87 + 32.85 + 3.30 + 0.53 + 42.76 + 2 = 686.95
 */
const TOTAL_COST = 1977.69
const TOTAL_SAVING = 686.95

let full: AuditResult
beforeAll(async () => {
  full = await auditTree(SAMPLE)
})

const withoutTiming = (r: AuditResult) => ({ ...r, stats: { ...r.stats, ms: 0 } })

describe('estimate of the sample repository', () => {
  test('totals match the hand-checked figures', () => {
    expect(full.estimate.monthlyCostUsd).toBe(TOTAL_COST)
    expect(full.estimate.monthlySavingUsd).toBe(TOTAL_SAVING)
    expect(full.estimate.resources).toHaveLength(12)
  })

  test('each cost finding has its rule, line and figures', () => {
    const cost = full.findings.filter((f) => f.ruleId.startsWith('cost/')).map((f) => [f.ruleId, f.path, f.line, f.monthlyCostUsd, f.monthlySavingUsd])
    expect(cost).toEqual([
      ['cost/ebs-gp2', 'cfn/volume.yaml', 8, 10, 2],
      ['cost/oversized-instance', 'infra/prod/main.tf', 11, 1121.28, 560.64],
      ['cost/ebs-gp2', 'infra/prod/main.tf', 17, 50, 10],
      ['cost/nonprod-db-always-on', 'infra/staging/main.tf', 3, 49.64, 34.87],
      ['cost/nat-gateway-per-az', 'infra/staging/main.tf', 10, 65.7, 32.85],
      ['cost/log-group-no-retention', 'infra/staging/main.tf', 18, 3.6, 3.3],
      ['cost/s3-no-lifecycle', 'infra/staging/main.tf', 22, 2.3, 0.53],
      ['cost/k8s-fixed-replicas', 'k8s/api.yaml', 6, 128.28, 42.76],
      ['cost/k8s-request-limit-gap', 'k8s/api.yaml', 16, undefined, undefined]
    ])
  })

  test('scan findings restated by a cost finding at the same place are dropped', () => {
    expect(full.findings.some((f) => f.ruleId === 'tf/aws-ebs-gp2' && f.path === 'infra/prod/main.tf' && f.line === 17)).toBe(false)
    expect(full.findings.some((f) => f.ruleId === 'tf/aws-oversized-instance' && f.line === 11)).toBe(false)
  })

  test('a container without limits is reported once, by the Kubernetes rule, not again as a figureless cost finding', () => {
    expect(full.findings.filter((f) => f.path === 'k8s/api.yaml' && f.line >= 25 && /no-memory-limits|k8s-no-limits/.test(f.ruleId)).map((f) => [f.ruleId, f.line])).toEqual([
      ['k8s/no-memory-limits', 27]
    ])
  })

  test('the production database is neither oversized nor flagged as always-on', () => {
    expect(full.findings.filter((f) => f.path === 'infra/prod/main.tf' && f.line >= 25 && f.ruleId.startsWith('cost/'))).toEqual([])
  })

  test('assumptions state the hours, region, snapshot and the assumed sizes', () => {
    const text = full.estimate.assumptions.join('\n')
    expect(text).toMatch(/730 hours a month/)
    expect(text).toMatch(/us-east-1, snapshot taken 2026-11/)
    expect(text).toMatch(/100 GB in S3 Standard/)
    expect(text).toMatch(/ingests 10 GB a month/)
    expect(text).toMatch(/never a bill/)
  })

  test('the report states totals, top savings and that it is not a bill', () => {
    expect(full.report).toContain('**Estimated monthly cost:** $1,977.69')
    expect(full.report).toContain('**possible saving:** $686.95/month')
    expect(full.report).toMatch(/never a bill/)
    const top = full.report.split('### Top savings')[1]!.split('<details>')[0]!.split('\n').filter((l) => l.startsWith('| $'))
    expect(top[0]).toContain('`cost/oversized-instance`')
    expect(top).toHaveLength(8)
  })
})

describe('files that cannot be read', () => {
  test('broken HCL and a binary file become notes; the other files are still audited', () => {
    expect(full.notes.map((n) => [n.path, n.reason])).toEqual([
      ['assets/blob.tf', 'binary'],
      ['broken/main.tf', 'parse']
    ])
    expect(full.notes.find((n) => n.path === 'broken/main.tf')!.message).toMatch(/broken\/main\.tf: could not be parsed: invalid HCL at line 3/)
    expect(full.findings.some((f) => f.path === 'broken/main.tf' || f.path === 'assets/blob.tf')).toBe(false)
  })

  test('a cost reader failing on one file notes that file only', async () => {
    await expect(costTerraform('x.tf', 'resource "a" {')).rejects.toThrow(/invalid HCL/)
    expect(() => costKubernetes('x.yaml', 'a: [')).toThrow(/invalid YAML/)
  })
})

describe('shards', () => {
  test('shardOf is stable and in range', () => {
    expect(shardOf('infra/prod/main.tf', 4)).toBe(shardOf('infra/prod/main.tf', 4))
    for (const p of full.files.map((f) => f.path)) expect(shardOf(p, 3)).toBeLessThan(3)
  })

  test.each([2, 3, 4])('%i shards merge into exactly the unsharded result', async (total) => {
    const shards = await Promise.all(Array.from({ length: total }, (_, i) => auditTree(SAMPLE, { shardIndex: i, shardTotal: total })))
    // Every file is in exactly one shard.
    expect(shards.flatMap((s) => s.files.map((f) => f.path)).sort((a, b) => a.localeCompare(b))).toEqual(full.files.map((f) => f.path))
    const merged = mergeAuditShards(JSON.parse(JSON.stringify(shards)) as AuditResult[])
    expect(withoutTiming(merged)).toEqual(withoutTiming(full))
  })
})

describe('preflight audit (CLI)', () => {
  const run = async (args: string[]) => {
    let out = ''
    let err = ''
    const code = await main(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {}, cwd: process.cwd() })
    return { code, out, err }
  }

  test('--format json follows the contract', async () => {
    const { code, out, err } = await run(['audit', SAMPLE, '--format', 'json'])
    expect(code).toBe(0)
    const json = JSON.parse(out)
    expect(Object.keys(json).sort()).toEqual(['estimate', 'files', 'findings', 'notes', 'report', 'stats'])
    expect(Object.keys(json.estimate).sort()).toEqual(['assumptions', 'monthlyCostUsd', 'monthlySavingUsd', 'resources'])
    expect(json.estimate.monthlyCostUsd).toBe(TOTAL_COST)
    expect(json.stats).toMatchObject({ files: 7, findings: json.findings.length })
    expect(json.files).toContainEqual({ path: 'infra/prod/main.tf', kind: 'terraform' })
    expect(json.findings[0]).toHaveProperty('ruleId')
    expect(err).toMatch(/note: broken\/main\.tf: could not be parsed/)
  })

  test('--format markdown prints the report; --fail-on decides the exit code', async () => {
    const md = await run(['audit', SAMPLE, '--format', 'markdown', '--fail-on', 'medium'])
    expect(md.out).toContain('## Preflight cost audit')
    expect(md.code).toBe(1)
  })

  test('shard options and paths-ignore', async () => {
    const s = await run(['audit', SAMPLE, '--shard-index', '1', '--shard-total', '2'])
    expect(JSON.parse(s.out).stats.shard).toEqual({ index: 1, total: 2 })
    const ignored = await run(['audit', SAMPLE, '--paths-ignore', 'infra/**,k8s/**'])
    expect(JSON.parse(ignored.out).estimate.monthlyCostUsd).toBe(10)
    expect((await run(['audit', SAMPLE, '--shard-index', '2', '--shard-total', '2'])).code).toBe(2)
    expect((await run(['audit', SAMPLE, '--format', 'sarif'])).code).toBe(2)
    expect((await run(['audit', 'no/such/dir'])).code).toBe(2)
  })
})

describe('pieces', () => {
  test('one size down follows the family ladder', () => {
    expect(oneSizeDown('m5.8xlarge', EC2_HOURLY)).toBe('m5.4xlarge')
    expect(oneSizeDown('c5.9xlarge', EC2_HOURLY)).toBe('c5.4xlarge')
    expect(oneSizeDown('t3.nano', EC2_HOURLY)).toBeUndefined()
  })

  test('money rounds half-cents up despite binary fractions and sums exactly', () => {
    expect(money(50 * (0.023 - 0.0125))).toBe(0.53)
    expect(sumMoney([0.1, 0.2])).toBe(0.3)
  })

  test('a fingerprint ignores line numbers and amounts, not the rule or path', () => {
    const f = { ruleId: 'cost/ebs-gp2', path: 'a.tf', message: 'x is gp2 ($50.00/month for 500 GB)' }
    expect(auditFingerprint(f)).toBe(auditFingerprint({ ...f, message: 'x is gp2 ($60.00/month for 600 GB)' }))
    expect(auditFingerprint(f)).not.toBe(auditFingerprint({ ...f, path: 'b.tf' }))
  })

  test('an HPA in the stream silences the fixed-replicas finding; non-production Lambda warm capacity is priced', async () => {
    const k8s = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 8\n  template:\n    spec:\n      containers:\n        - name: web\n          resources: {requests: {cpu: "1"}, limits: {cpu: "1", memory: 1Gi}}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n`
    expect(costKubernetes('k.yaml', k8s).findings.map((f) => f.ruleId)).toEqual([])
    const tf = `resource "aws_lambda_function" "f" {\n  function_name = "dev-worker"\n  memory_size   = 1024\n}\nresource "aws_lambda_provisioned_concurrency_config" "dev" {\n  function_name                     = aws_lambda_function.f.function_name\n  provisioned_concurrent_executions = 2\n}\n`
    const sink = await costTerraform('envs/dev/lambda.tf', tf)
    // 2 × 1 GB × 0.0000041667 × 730 × 3600 = 21.90
    expect(sink.findings.map((f) => [f.ruleId, f.line, f.monthlySavingUsd])).toEqual([['cost/nonprod-warm-capacity', 7, 21.9]])
  })
})

test('a temp copy with an extra binary file still gives the same cost', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-audit-'))
  try {
    cpSync(SAMPLE, dir, { recursive: true })
    writeFileSync(join(dir, 'infra/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))
    const r = await auditTree(dir)
    expect(r.estimate.monthlyCostUsd).toBe(TOTAL_COST)
    // Listed, and not among the files the audit could not read: a picture is binary by nature.
    expect(r.files).toContainEqual({ path: 'infra/logo.png', kind: 'other' })
    expect(r.notes.map((n) => n.path)).not.toContain('infra/logo.png')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
