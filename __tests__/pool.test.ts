/**
 * Parallel analysis of large trees (src/rules/pool.ts): how files are dealt to threads, and, with
 * the bundled CLI (`npm run bundle` first), that the output does not depend on the thread count.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { shares, threadsFor, POOL_MIN_FILES } from '../src/rules/pool.js'
import type { SourceFile } from '../src/types.js'

const file = (path: string, bytes: number): SourceFile => ({ path, kind: 'other', content: 'x'.repeat(bytes) })

describe('dealing files to threads', () => {
  it('keeps each folder (context group) in one share, balances shares by bytes, and keeps input order', () => {
    const files = [
      file('a/main.tf', 500),
      file('b/one.yaml', 100),
      file('a/vars.tf', 500),
      file('c/x.yaml', 300),
      file('b/two.yaml', 100),
      file('root.yaml', 50),
      file('d/big.json', 900)
    ]
    const dealt = shares(files, 2)
    // Every file exactly once.
    expect(dealt.flat().sort((x, y) => x - y)).toEqual(files.map((_, i) => i))
    // A folder never spans two shares.
    const shareOf = new Map<string, number>()
    dealt.forEach((s, k) =>
      s.forEach((i) => {
        const folder = files[i].path.includes('/') ? files[i].path.split('/')[0] : ''
        expect(shareOf.get(folder) ?? k).toBe(k)
        shareOf.set(folder, k)
      })
    )
    // Largest group first to the lightest share: a (1000), d (900), c (300), b (200), root (50).
    const bytes = dealt.map((s) => s.reduce((n, i) => n + files[i].content.length, 0))
    expect(bytes.sort((x, y) => x - y)).toEqual([1200, 1250])
    for (const s of dealt) expect([...s].sort((x, y) => x - y)).toEqual(s)
    // Deterministic.
    expect(shares(files, 2)).toEqual(dealt)
  })

  it('uses one thread for small inputs and never more shares than groups', () => {
    expect(threadsFor([file('a.tf', 10), file('b.tf', 10)])).toBe(1)
    expect(threadsFor(Array.from({ length: POOL_MIN_FILES + 1 }, (_, i) => file(`f${i}.tf`, 10)))).toBeGreaterThanOrEqual(1)
    expect(threadsFor([file('a.tf', 10)], 4)).toBe(4)
    expect(shares([file('a/x.tf', 1), file('a/y.tf', 1)], 4)).toEqual([[0, 1]])
  })
})

describe('scan on a pool of threads (bundled CLI)', () => {
  let tree: string
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'preflight-pool-'))
    execFileSync(process.execPath, ['scripts/gen-tree.mjs', '7', '260', tree], { stdio: 'pipe' })
  })
  afterAll(() => rmSync(tree, { recursive: true, force: true }))

  const scan = (threads: string): unknown => {
    const r = spawnSync(process.execPath, [resolve('dist/cli.js'), 'scan', tree, '--format', 'json'], {
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
})
