/**
 * Parallel analysis of large trees (src/rules/pool.ts): how files are grouped, how groups are
 * shared between the main thread and workers (stand-in workers that answer, die or hang), and,
 * with the bundled CLI (`npm run bundle` first), that the output does not depend on the thread count.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { analyzeInPool, contextGroups, otherLoad, poolStats, threadsFor, POOL_MIN_BYTES, POOL_MIN_FILES } from '../src/rules/pool.js'
import type { AnalysisResult, SourceFile } from '../src/types.js'

const file = (path: string, bytes: number): SourceFile => ({ path, kind: 'other', content: 'x'.repeat(bytes) })

describe('context groups', () => {
  it('keeps each folder in one group, in input order, largest groups first', () => {
    const files = [
      file('a/main.tf', 500),
      file('b/one.yaml', 100),
      file('a/vars.tf', 500),
      file('c/x.yaml', 300),
      file('b/two.yaml', 100),
      file('root.yaml', 50),
      file('d/big.json', 900)
    ]
    // a (1000), d (900), c (300), b (200), root (50).
    expect(contextGroups(files)).toEqual([[0, 2], [6], [3], [1, 4], [5]])
  })

  it('puts a Terraform module and the local modules it calls into one group', () => {
    const files: SourceFile[] = [
      { path: 'envs/prod/main.tf', kind: 'terraform', content: 'module "assets" {\n  source = "../../modules/bucket"\n}\n' },
      { path: 'modules/bucket/main.tf', kind: 'terraform', content: 'resource "aws_s3_bucket" "this" {}\n' },
      { path: 'modules/network/main.tf', kind: 'terraform', content: 'resource "aws_vpc" "this" {}\n' },
      { path: 'envs/dev/main.tf', kind: 'terraform', content: 'module "registry" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n}\n' },
      { path: 'envs/json/main.tf.json', kind: 'terraform', content: '{"module": {"net": {"source": "../../modules/network"}}}\n' },
      { path: 'modules/logs/main.tf', kind: 'terraform', content: 'resource "aws_s3_bucket" "logs" {}\n' },
      // JSON may write `/` as `\/`.
      { path: 'envs/escaped/main.tf.json', kind: 'terraform', content: '{"module":{"logs":{"source":".\\/..\\/..\\/modules\\/logs"}}}\n' }
    ]
    const groups = contextGroups(files).map((g) => [...g].sort((x, y) => x - y))
    expect(groups).toContainEqual([5, 6])
    // A rule of the caller reads what the called module declares: on one thread, whoever runs it.
    expect(groups).toContainEqual([0, 1])
    // The JSON form calls its module too.
    expect(groups).toContainEqual([2, 4])
    expect(groups).toContainEqual([3])
  })

  it('puts a patch a kustomization names in another folder into its group', () => {
    const files: SourceFile[] = [
      { path: 'overlay/kustomization.yaml', kind: 'kubernetes', content: 'resources:\n  - deploy.yaml\npatches:\n  - path: fixes/web-patch.yaml\n' },
      { path: 'overlay/deploy.yaml', kind: 'kubernetes', content: 'kind: Deployment\n' },
      { path: 'overlay/fixes/web-patch.yaml', kind: 'kubernetes', content: 'kind: Deployment\n' },
      { path: 'other/fixes.yaml', kind: 'kubernetes', content: 'kind: ConfigMap\n' }
    ]
    expect(contextGroups(files).map((g) => [...g].sort((x, y) => x - y))).toEqual([[0, 1, 2], [3]])
  })

  it('joins a patch whose file name holds `=` as well as a generator\'s `key=path`', () => {
    const files: SourceFile[] = [
      { path: 'overlay/kustomization.yaml', kind: 'kubernetes', content: 'patches:\n  - path: fixes/replicas=3.yaml\nconfigMapGenerator:\n  - name: app\n    files:\n      - app.conf=../conf/app.conf\n' },
      { path: 'overlay/fixes/replicas=3.yaml', kind: 'kubernetes', content: 'kind: Deployment\n' },
      { path: 'conf/app.conf', kind: 'kubernetes', content: 'kind: ConfigMap\n' },
      { path: 'other/x.yaml', kind: 'kubernetes', content: 'kind: ConfigMap\n' }
    ]
    expect(contextGroups(files).map((g) => [...g].sort((x, y) => x - y))).toEqual([[0, 1, 2], [3]])
  })

  it('reads `key=path` with a `/` after the `=` as the path only', () => {
    // Read whole, `cfg=../../base/app.yaml` would normalise to `overlay/base/app.yaml`.
    const files: SourceFile[] = [
      { path: 'overlay/kustomization.yaml', kind: 'kubernetes', content: 'configMapGenerator:\n  - name: app\n    files:\n      - cfg=../../base/app.yaml\n' },
      { path: 'overlay/base/app.yaml', kind: 'kubernetes', content: 'kind: ConfigMap\n' }
    ]
    expect(contextGroups(files).map((g) => [...g].sort((x, y) => x - y))).toEqual([[0], [1]])
  })

  it('puts folders a kustomization deploys together into one group', () => {
    const files: SourceFile[] = [
      { path: 'base/deployment.yaml', kind: 'kubernetes', content: 'kind: Deployment\n' },
      { path: 'apps/other/service.yaml', kind: 'kubernetes', content: 'kind: Service\n' },
      { path: 'overlays/prod/kustomization.yaml', kind: 'kubernetes', content: 'resources:\n  - ../../base\n  - pdb.yaml\n' },
      { path: 'overlays/prod/pdb.yaml', kind: 'kubernetes', content: 'kind: PodDisruptionBudget\n' },
      { path: 'overlays/dev/kustomization.yaml', kind: 'kubernetes', content: 'resources:\n  - ../../base\n' }
    ]
    const groups = contextGroups(files).map((g) => [...g].sort((x, y) => x - y))
    // The base and both overlays that include it are one group; the unrelated folder is its own.
    expect(groups).toHaveLength(2)
    expect(groups).toContainEqual([0, 2, 3, 4])
    expect(groups).toContainEqual([1])
  })

  it('uses one thread for small inputs, and workers only on idle cores, about 1.4 cores per thread', () => {
    const idle = { cores: 4, load: 0.1 }
    const large = Array.from({ length: POOL_MIN_FILES + 1 }, (_, i) => file(`f${i}.tf`, 10))
    expect(threadsFor([file('a.tf', 10), file('b.tf', 10)], undefined, idle)).toBe(1)
    expect(threadsFor(large.slice(1), undefined, idle)).toBe(1)
    expect(threadsFor([file('big.json', POOL_MIN_BYTES + 1)], undefined, idle)).toBe(2)
    expect(threadsFor(large, undefined, idle)).toBe(2)
    // Two idle cores: one thread already keeps more than one busy (GC, compilers), so no worker.
    expect(threadsFor(large, undefined, { cores: 2, load: 0 })).toBe(1)
    // Busy machines: a worker would only take CPU from the main thread.
    expect(threadsFor(large, undefined, { cores: 4, load: 1.5 })).toBe(1)
    expect(threadsFor(large, undefined, { cores: 2, load: 7 })).toBe(1)
    expect(threadsFor(large, undefined, { cores: 8, load: 2.2 })).toBe(4)
    expect(threadsFor(large, undefined, { cores: 8, load: 0 })).toBe(5)
    // An explicit count (PREFLIGHT_THREADS) wins.
    expect(threadsFor([file('a.tf', 10)], 4, idle)).toBe(4)
  })

  it("counts the cores other work kept busy since start-up, not this process's own CPU time", () => {
    const at = (wall: number, busy: number, idle: number, ownMs: number) => ({ wall, cores: { busy, idle }, own: { user: ownMs * 1000, system: 0 } })
    const start = at(0, 10_000, 50_000, 0)
    // 2 cores over 400 ms: 800 ms of CPU, 400 busy. This process used 400 ms (its reading): nothing else ran.
    expect(otherLoad(start, at(400, 10_400, 50_400, 400), 2)).toBeCloseTo(0)
    // The same busy time with this process idle: one core busy elsewhere.
    expect(otherLoad(start, at(400, 10_400, 50_400, 0), 2)).toBeCloseTo(1)
    // Both cores busy, half of it this process: one core elsewhere (a previous run that ended does not count).
    expect(otherLoad(start, at(400, 10_800, 50_000, 400), 2)).toBeCloseTo(1)
    // Host cores listed beyond this machine's share scale to its cores: a quarter busy of 4 listed, 2 usable.
    expect(otherLoad(start, at(400, 10_400, 51_200, 0), 2)).toBeCloseTo(0.5)
    // Too short a window to measure: undefined (the load average is used).
    expect(otherLoad(start, at(50, 10_100, 50_000, 50), 2)).toBeUndefined()
  })
})

describe('the pool hands out groups', () => {
  // A stand-in worker speaking the pool's protocol: each result names the file and who made it.
  // `behaviour` decides what it does: answer, crash on its first group, or never answer.
  let dir: string
  const workerFor = (behaviour: 'answer' | 'crash' | 'silent'): URL => {
    const path = join(dir, `${behaviour}.mjs`)
    writeFileSync(
      path,
      `import { parentPort } from 'node:worker_threads'
parentPort.on('message', ({ group, files }) => {
  if (${JSON.stringify(behaviour)} === 'crash') process.exit(3)
  if (${JSON.stringify(behaviour)} === 'silent') return
  parentPort.postMessage({ group, results: files.map((f) => ({ findings: [], notes: [{ path: f.path, reason: 'error', message: 'worker' }], secrets: [] })) })
})
parentPort.postMessage({ ready: true })
`
    )
    return pathToFileURL(path)
  }
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'preflight-pool-unit-'))))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const files = Array.from({ length: 400 }, (_, i) => file(`svc${i % 100}/f${i}.yaml`, 10 + (i % 7)))
  /** The main thread's share. */
  const inThread = async (group: SourceFile[]): Promise<AnalysisResult[]> => {
    await new Promise((r) => setTimeout(r, 2))
    return group.map((f) => ({ findings: [], notes: [{ path: f.path, reason: 'error' as const, message: 'main' }], secrets: [] }))
  }
  const expectEveryFileOnce = (results: AnalysisResult[]) => expect(results.map((r) => r.notes[0]?.path)).toEqual(files.map((f) => f.path))

  it('shares the groups between the main thread and a worker, results in input order', async () => {
    // The main thread's first group waits for the worker's first answer, so both take part however slow the start.
    let first = true
    const waitingForWorker = async (group: SourceFile[]): Promise<AnalysisResult[]> => {
      if (first) {
        first = false
        for (let i = 0; i < 2000 && poolStats.byWorkers === 0; i++) await new Promise((r) => setTimeout(r, 10))
      }
      return inThread(group)
    }
    const results = await analyzeInPool(workerFor('answer'), files, 2, waitingForWorker)
    expectEveryFileOnce(results)
    expect(poolStats.byMain + poolStats.byWorkers).toBe(100)
    expect(poolStats.byWorkers).toBeGreaterThan(0)
    expect(poolStats.byMain).toBeGreaterThan(0)
    // A group is analysed by one side as a whole.
    for (let g = 0; g < 100; g++) expect(new Set(results.filter((_, i) => i % 100 === g).map((r) => r.notes[0]!.message)).size).toBe(1)
  }, 30_000)

  it('takes back the groups of a worker that dies', async () => {
    expectEveryFileOnce(await analyzeInPool(workerFor('crash'), files, 3, inThread))
  }, 30_000)

  it('does not wait for a worker that never answers', async () => {
    const results = await analyzeInPool(workerFor('silent'), files, 2, inThread)
    expectEveryFileOnce(results)
    expect(poolStats.byWorkers).toBe(0)
  }, 30_000)
})

describe('scan on a pool of threads (bundled CLI)', () => {
  let tree: string
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'preflight-pool-'))
    execFileSync(process.execPath, ['scripts/gen-tree.mjs', '7', '260', tree], { stdio: 'pipe' })
  })
  afterAll(() => rmSync(tree, { recursive: true, force: true }))

  const scan = (threads: string): unknown => scanOf(tree, threads)
  const scanOf = (dir: string, threads: string): unknown => {
    const r = spawnSync(process.execPath, [resolve('dist/cli.js'), 'scan', dir, '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PREFLIGHT_THREADS: threads }
    })
    const out = JSON.parse(r.stdout) as { stats: { ms?: number }; findings: unknown[] }
    delete out.stats.ms
    return out
  }

  it('gives the same output on one thread and on three', () => {
    const single = scan('1') as { findings: unknown[] }
    expect(single.findings.length).toBeGreaterThan(100)
    expect(scan('3')).toEqual(single)
  }, 120_000)

  it('keeps a kustomization and the folders it includes on one thread', () => {
    // An overlay's PodDisruptionBudget covers its base's Deployment: no finding on any thread count.
    const kz = mkdtempSync(join(tmpdir(), 'preflight-pool-kz-'))
    try {
      mkdirSync(join(kz, 'base'))
      mkdirSync(join(kz, 'overlays', 'prod'), { recursive: true })
      writeFileSync(
        join(kz, 'base', 'deployment.yaml'),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n'
      )
      writeFileSync(join(kz, 'overlays', 'prod', 'kustomization.yaml'), 'resources:\n  - ../../base\n  - pdb.yaml\n')
      writeFileSync(
        join(kz, 'overlays', 'prod', 'pdb.yaml'),
        'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app: web\n'
      )
      const ruleIds = (threads: string) => (scanOf(kz, threads) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId)
      const single = ruleIds('1')
      expect(single.length).toBeGreaterThan(0)
      expect(single).not.toContain('k8s/no-pod-disruption-budget')
      expect(ruleIds('3')).toEqual(single)
    } finally {
      rmSync(kz, { recursive: true, force: true })
    }
  }, 60_000)

  it('tells every thread which images the tree builds itself', () => {
    // The Makefile that tags the image sits in another folder (another group) than the Dockerfiles built FROM it.
    const dir = mkdtempSync(join(tmpdir(), 'preflight-pool-built-'))
    try {
      writeFileSync(join(dir, 'Makefile'), 'tools:\n\tdocker build -t test-tools:latest test\n')
      for (const folder of ['a', 'b', 'c', 'd']) {
        mkdirSync(join(dir, folder))
        writeFileSync(join(dir, folder, 'Dockerfile'), `FROM test-tools:latest\nRUN echo ${folder}\n`)
      }
      const severities = (threads: string) =>
        (scanOf(dir, threads) as { findings: { ruleId: string; severity: string }[] }).findings.filter((f) => f.ruleId === 'dockerfile/base-image-latest').map((f) => f.severity)
      expect(severities('1')).toEqual(['info', 'info', 'info', 'info'])
      expect(severities('3')).toEqual(['info', 'info', 'info', 'info'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
