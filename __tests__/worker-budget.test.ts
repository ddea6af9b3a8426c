/**
 * Large files are analysed in a worker thread under a time budget (src/rules/worker.ts), run
 * through the bundled CLI (`npm run bundle` first): the worker finds exactly what the main
 * thread finds, and a file that outlasts its budget becomes a note while the others are analysed.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const CLI = resolve('dist/cli.js')

interface ScanOutput {
  findings: { ruleId: string; path: string; line: number }[]
  notes: { path: string; reason: string; message: string }[]
  stats: { files: number; ms?: number }
}

function scan(dir: string, env: Record<string, string> = {}): ScanOutput {
  const r = spawnSync(process.execPath, [CLI, 'scan', dir, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }
  })
  expect(r.stdout).not.toBe('')
  const out = JSON.parse(r.stdout) as ScanOutput
  delete out.stats.ms
  return out
}

/** A manifest of `count` privileged pods: many findings, a few hundred KB. */
function manyPods(count: number): string {
  const pod = (i: number) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n      securityContext:\n        privileged: true\n`
  return Array.from({ length: count }, (_, i) => pod(i)).join('---\n')
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-worker-'))
  mkdirSync(join(dir, 'k8s'))
  writeFileSync(join(dir, 'Dockerfile'), 'FROM node:latest\nRUN curl -fsSL https://example.com/install.sh | sh\n')
  writeFileSync(join(dir, 'main.tf'), 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n  acl    = "public-read"\n}\n')
  writeFileSync(join(dir, 'k8s', 'big.yaml'), manyPods(1800)) // about 300 KB: over the 256 KB threshold
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('analysis in a worker thread', () => {
  it('finds in a worker exactly what the main thread finds, Terraform (wasm) included', () => {
    const inThread = scan(dir, { PREFLIGHT_WORKER_MIN_BYTES: String(1024 * 1024 * 1024) })
    const allInWorkers = scan(dir, { PREFLIGHT_WORKER_MIN_BYTES: '0' })
    expect(inThread.findings.some((f) => f.path === 'main.tf')).toBe(true)
    expect(inThread.findings.filter((f) => f.path === 'k8s/big.yaml').length).toBeGreaterThan(1800)
    expect(inThread.notes).toEqual([])
    expect(allInWorkers).toEqual(inThread)
  })

  it('turns a file that outlasts its budget into a note naming the file and the budget; the others are analysed', () => {
    const normal = scan(dir)
    const budgeted = scan(dir, { PREFLIGHT_ANALYSIS_BUDGET_MS: '30' })
    expect(budgeted.notes).toEqual([{ path: 'k8s/big.yaml', reason: 'error', message: 'k8s/big.yaml: analysis stopped after the 30 ms time budget, not analyzed' }])
    expect(budgeted.findings.filter((f) => f.path === 'k8s/big.yaml')).toEqual([])
    // Files under the threshold never pay for a worker and keep their findings.
    expect(budgeted.findings).toEqual(normal.findings.filter((f) => f.path !== 'k8s/big.yaml'))
    expect(budgeted.findings.map((f) => f.path)).toEqual(expect.arrayContaining(['Dockerfile', 'main.tf']))
  })
})
