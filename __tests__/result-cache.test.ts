/**
 * The result cache of repeated scans (src/rules/result-cache.ts): a second run analyses only the
 * groups whose inputs changed and gives the same results; secrets are kept as positions only; a
 * cache file that this user's key did not sign is refused. Then the bundled CLI's `--cache`.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createHmac } from 'node:crypto'
import { jest } from '@jest/globals'
import { analyzeFiles } from '../src/rules/index.js'
import { openResultCache, type ResultCache } from '../src/rules/result-cache.js'
import type { AnalysisResult, SourceFile } from '../src/types.js'

const PASSWORD = 'Zq8rmT4vW2xK9pLs'

const FILES: SourceFile[] = [
  { path: 'db/main.tf', kind: 'terraform', content: `resource "aws_db_instance" "orders" {\n  engine   = "postgres"\n  password = "${PASSWORD}"\n}\n` },
  { path: 'db/bucket.tf', kind: 'terraform', content: 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n' },
  { path: 'k8s/web.yaml', kind: 'kubernetes', content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx:latest\n' },
  { path: 'app/Dockerfile', kind: 'dockerfile', content: 'FROM node:20\nCOPY . /app\nCMD ["node", "/app/server.js"]\n' }
]

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-cache-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const open = (): Promise<ResultCache> => openResultCache(join(dir, 'scan.cache'), join(dir, 'keys'))
const run = async (files: SourceFile[]): Promise<{ result: AnalysisResult; cache: ResultCache }> => {
  const cache = await open()
  const result = await analyzeFiles(files, { cache })
  await cache.save()
  return { result, cache }
}

describe('result cache', () => {
  it('analyses nothing again on an unchanged tree, with the same results', async () => {
    const fresh = await analyzeFiles(FILES)
    const first = await run(FILES)
    expect(first.cache.stats.hits).toBe(0)
    expect(first.result).toEqual(fresh)
    const written = statSync(join(dir, 'scan.cache')).mtimeMs
    await new Promise((r) => setTimeout(r, 20))
    const second = await run(FILES)
    // All of it read back: the file is not written again.
    expect(statSync(join(dir, 'scan.cache')).mtimeMs).toBe(written)
    expect(second.cache.stats.groups).toBe(3)
    expect(second.cache.stats.hits).toBe(3)
    expect(second.result).toEqual(fresh)
    expect(second.result.findings.map((f) => f.ruleId)).toContain('tf/hardcoded-password')
  }, 60_000)

  it('analyses again only the group of an edited file', async () => {
    await run(FILES)
    const edited = FILES.map((f) => (f.path === 'k8s/web.yaml' ? { ...f, content: f.content.replace('nginx:latest', 'nginx:1.27.3') } : f))
    const { result, cache } = await run(edited)
    expect(cache.stats.hits).toBe(2)
    expect(result).toEqual(await analyzeFiles(edited))
  }, 60_000)

  it('analyses everything again when a file is added (every listed path is an input)', async () => {
    await run(FILES)
    const added = [...FILES, { path: 'README.txt', kind: 'other' as const, content: 'notes\n' }]
    const { result, cache } = await run(added)
    expect(cache.stats.hits).toBe(0)
    expect(result).toEqual(await analyzeFiles(added))
  }, 60_000)

  it('keeps secrets as positions, never as values, and reads them back from the file', async () => {
    const fresh = await analyzeFiles(FILES)
    expect(fresh.secrets.map((s) => s.value)).toContain(PASSWORD)
    await run(FILES)
    const text = readFileSync(join(dir, 'scan.cache'), 'utf8')
    expect(text).toContain('tf/hardcoded-password')
    expect(text).not.toContain(PASSWORD)
    expect(text).not.toContain(PASSWORD.slice(4))
    const { result, cache } = await run(FILES)
    expect(cache.stats.hits).toBe(3)
    expect(result.secrets).toEqual(fresh.secrets)
    if (process.platform !== 'win32') expect(statSync(join(dir, 'scan.cache')).mode & 0o077).toBe(0)
  }, 60_000)

  it('does not keep a group whose text holds a secret only another group shows, nor that value', async () => {
    const files: SourceFile[] = [
      { path: 'config/.env', kind: 'other', content: `NOTIFY_TOKEN=${PASSWORD}\n` },
      {
        path: '.github/workflows/triage.yml',
        kind: 'workflow',
        content: `on: issues\npermissions:\n  issues: write\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./notify.sh ${PASSWORD} "\${{ github.event.issue.title }}"\n`
      }
    ]
    const fresh = await analyzeFiles(files)
    expect(fresh.secrets.filter((s) => s.path === 'config/.env').map((s) => s.value)).toEqual([PASSWORD])
    expect(JSON.stringify(fresh.findings.filter((f) => f.path.startsWith('.github/')))).toContain(PASSWORD)
    const first = await run(files)
    expect(first.cache.stats.unkept).toBe(1)
    expect(readFileSync(join(dir, 'scan.cache'), 'utf8')).not.toContain(PASSWORD)
    // Once the other group no longer holds the value, the output shows it as a fresh scan does.
    const changed = [{ ...files[0]!, content: 'NOTIFY_TOKEN=${NOTIFY_TOKEN}\n' }, files[1]!]
    const second = await run(changed)
    expect(second.result).toEqual(await analyzeFiles(changed))
  }, 60_000)

  it('drops a group read back whose text holds a value another file now shows as a secret', async () => {
    const workflow: SourceFile = {
      path: '.github/workflows/triage.yml',
      kind: 'workflow',
      content: `on: issues\npermissions:\n  issues: write\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./notify.sh ${PASSWORD} "\${{ github.event.issue.title }}"\n`
    }
    const before: SourceFile[] = [{ path: 'config/.env', kind: 'other', content: 'NOTIFY_TOKEN=${NOTIFY_TOKEN}\n' }, workflow]
    await run(before)
    expect(readFileSync(join(dir, 'scan.cache'), 'utf8')).toContain(PASSWORD)
    const after: SourceFile[] = [{ path: 'config/.env', kind: 'other', content: `NOTIFY_TOKEN=${PASSWORD}\n` }, workflow]
    const second = await run(after)
    expect(second.cache.stats.hits).toBe(1)
    expect(readFileSync(join(dir, 'scan.cache'), 'utf8')).not.toContain(PASSWORD)
    expect((await run(after)).result).toEqual(await analyzeFiles(after))
  }, 60_000)

  it('judges a token again once it has expired', async () => {
    const now = Date.now()
    const exp = Math.ceil(now / 1000) + 3600
    const jwt = ['{"alg":"HS256","typ":"JWT"}', `{"sub":"svc-orders","exp":${exp}}`].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.' + 'Tq7vR2mXk9LpW4sZbN8cYd3FhJ6gAe1uQo5iKt0yMwE'
    const files: SourceFile[] = [{ path: 'app/config.yaml', kind: 'other', content: `auth: ${jwt}\n` }]
    const before = await run(files)
    expect(before.result.findings.find((f) => f.ruleId === 'secrets/jwt')?.severity).toBe('high')
    const later = jest.spyOn(Date, 'now').mockReturnValue(exp * 1000 + 60_000)
    try {
      const after = await run(files)
      expect(after.cache.stats.hits).toBe(0)
      expect(after.result.findings.find((f) => f.ruleId === 'secrets/jwt')?.severity).toBe('low')
      expect(after.result).toEqual(await analyzeFiles(files))
    } finally {
      later.mockRestore()
    }
  }, 60_000)

  it('follows a kustomize patch kept in another folder', async () => {
    const deployment = (image: string, privileged: boolean) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n          securityContext:\n            privileged: ${privileged}\n`
    const files = (patched: boolean): SourceFile[] => [
      { path: 'overlay/deploy.yaml', kind: 'kubernetes', content: deployment('nginx:1.27.3', false) },
      { path: 'overlay/fixes/web-patch.yaml', kind: 'kubernetes', content: deployment('nginx:1.27.3', true) },
      { path: 'overlay/kustomization.yaml', kind: 'kubernetes', content: `resources:\n  - deploy.yaml\n${patched ? 'patches:\n  - path: fixes/web-patch.yaml\n' : ''}` }
    ]
    await run(files(true))
    const { result } = await run(files(false))
    expect(result).toEqual(await analyzeFiles(files(false)))
    await run(files(false))
    const back = await run(files(true))
    expect(back.result).toEqual(await analyzeFiles(files(true)))
  }, 60_000)

  it('does not keep a group whose secret is not the text at its position', async () => {
    const cache = await open()
    const files = FILES.slice(1, 2)
    const plan = cache.plan(files, {})
    expect(plan.missing).toEqual([0])
    const secret = { path: 'db/bucket.tf', line: 1, column: 0, value: 'not-in-the-file' }
    plan.complete([{ findings: [], notes: [], secrets: [secret] }])
    plan.keep([secret], false)
    expect(cache.stats.unkept).toBe(1)
    await cache.save()
    expect((await open()).plan(files, {}).missing).toEqual([0])
  })

  it('refuses a cache file it did not sign, and one edited after signing, and finds everything', async () => {
    await run(FILES)
    const path = join(dir, 'scan.cache')
    const text = readFileSync(path, 'utf8')
    const [head, ...rest] = text.split('\n')
    // Findings removed from every group, signature kept: the body no longer matches it.
    const emptied = rest.map((line) => line.replace(/"findings":\[[^\]]*?\]/g, '"findings":[]'))
    expect(emptied.join('\n')).not.toEqual(rest.join('\n'))
    writeFileSync(path, [head, ...emptied].join('\n'))
    const tampered = await run(FILES)
    expect(tampered.cache.problem).toMatch(/signature does not match/)
    expect(tampered.cache.stats.hits).toBe(0)
    expect(tampered.result.findings.map((f) => f.ruleId)).toContain('tf/hardcoded-password')

    // Signed, but with another key than the user's own (one made up, or another user's).
    const body = emptied.join('\n')
    writeFileSync(path, `preflight-result-cache 1 ${createHmac('sha256', Buffer.alloc(32, 7)).update(body).digest('hex')}\n${body}`)
    const planted = await run(FILES)
    expect(planted.cache.problem).toMatch(/signature does not match/)
    expect(planted.result).toEqual(await analyzeFiles(FILES))
  }, 60_000)

  it('ignores, without a note, the entries of another build', async () => {
    await run(FILES)
    const path = join(dir, 'scan.cache')
    const key = Buffer.from(readFileSync(join(dir, 'keys', 'key'), 'utf8'), 'hex')
    const [, tool, ...entries] = readFileSync(path, 'utf8').split('\n')
    const body = [`${tool!.replace(/^./, (c) => (c === '0' ? '1' : '0'))}`, ...entries].join('\n')
    writeFileSync(path, `preflight-result-cache 1 ${createHmac('sha256', key).update(body).digest('hex')}\n${body}`)
    const { cache } = await run(FILES)
    expect(cache.problem).toBeUndefined()
    expect(cache.stats.hits).toBe(0)
  }, 60_000)
})

describe('preflight scan --cache (bundled CLI)', () => {
  let threads = '1'
  const scan = (tree: string, home: string, ...flags: string[]) => {
    const r = spawnSync(process.execPath, [resolve('dist/cli.js'), 'scan', tree, '--format', 'json', ...flags], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(home, 'cache'), PREFLIGHT_THREADS: threads }
    })
    const out = JSON.parse(r.stdout) as { stats: { ms?: number; cache?: { groups: number; hits: number } }; notes: { message: string }[] }
    delete out.stats.ms
    const cache = out.stats.cache
    delete out.stats.cache
    return { out, cache, stderr: r.stderr }
  }

  it('gives the same output from its cache, which lives in the user cache folder', () => {
    const tree = join(dir, 'tree')
    for (const f of FILES) {
      mkdirSync(join(tree, f.path, '..'), { recursive: true })
      writeFileSync(join(tree, f.path), f.content)
    }
    const home = join(dir, 'home')
    const fresh = scan(tree, home)
    expect(fresh.cache).toBeUndefined()
    const cold = scan(tree, home, '--cache')
    const warm = scan(tree, home, '--cache')
    expect(cold.out).toEqual(fresh.out)
    expect(cold.cache).toEqual({ groups: 3, hits: 0 })
    expect(warm.out).toEqual(fresh.out)
    expect(warm.cache).toEqual({ groups: 3, hits: 3 })
    expect(warm.stderr).toBe('')
    // A planted file at --cache-location is refused with a note, and the scan is whole.
    const planted = join(dir, 'planted.cache')
    writeFileSync(planted, 'preflight-result-cache 1 00\nx\n')
    const refused = scan(tree, home, '--cache-location', planted)
    expect(refused.cache).toEqual({ groups: 3, hits: 0 })
    expect(refused.out.notes.map((n) => n.message)).toEqual([expect.stringMatching(/planted\.cache: the result cache was not written by this user/)])
    expect({ ...refused.out, notes: [] }).toEqual(fresh.out)
    expect(refused.stderr).toMatch(/planted\.cache: the result cache was not written by this user/)
    // A cache inside the scanned folder (which a pull request writes) is not used.
    const inside = scan(tree, home, '--cache-location', join(tree, '.cache', 'scan.cache'))
    expect(inside.cache).toBeUndefined()
    expect(inside.stderr).toMatch(/the result cache was not used: .*inside the scanned folder/)
    expect({ ...inside.out, notes: [] }).toEqual(fresh.out)
    // Nor a signing key inside it (XDG_CACHE_HOME under the workspace).
    const keyInside = spawnSync(process.execPath, [resolve('dist/cli.js'), 'scan', tree, '--format', 'json', '--cache-location', join(dir, 'elsewhere.cache')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(tree, '.cache') }
    })
    expect(keyInside.status).toBe(0)
    expect(keyInside.stderr).toMatch(/the result cache was not used: its key folder .* is inside the scanned folder/)
    // Only a regular file is read or replaced: a pipe neither stops the scan nor is replaced.
    const fifo = join(dir, 'fifo.cache')
    execFileSync('mkfifo', [fifo])
    const piped = spawnSync(process.execPath, [resolve('dist/cli.js'), 'scan', tree, '--format', 'json', '--cache-location', fifo], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(home, 'cache') }
    })
    expect(piped.status).toBe(0)
    expect(piped.stderr).toMatch(/the result cache was not used: .*fifo\.cache is not a regular file/)
    expect(statSync(fifo).isFIFO()).toBe(true)
    // Written again, with this user's key.
    expect(scan(tree, home, '--cache-location', planted)).toEqual({ ...fresh, cache: { groups: 3, hits: 3 } })
  }, 120_000)

  it('analyses an edited folder again, on a pool of threads, as a fresh scan would', () => {
    const tree = join(dir, 'generated')
    execFileSync(process.execPath, ['scripts/gen-tree.mjs', '11', '300', tree], { stdio: 'pipe' })
    const home = join(dir, 'home')
    threads = '3'
    try {
      const primed = scan(tree, home, '--cache')
      expect(primed.cache!.groups).toBeGreaterThan(20)
      // One Terraform file in each of three folders: three groups for the pool's threads.
      const byFolder = new Map<string, string>()
      for (const p of readdirSync(tree, { recursive: true }).map(String).filter((p) => p.endsWith('.tf')).sort()) if (!byFolder.has(dirname(p))) byFolder.set(dirname(p), p)
      const edits = [...byFolder.values()].slice(0, 3)
      const lengths = new Map<string, number>()
      for (const edit of edits) {
        const path = join(tree, edit)
        lengths.set(edit, readFileSync(path, 'utf8').split('\n').length)
        writeFileSync(path, readFileSync(path, 'utf8') + '\nresource "aws_s3_bucket" "added" {\n  bucket = "added"\n}\n')
      }
      const fresh = scan(tree, home)
      const warm = scan(tree, home, '--cache')
      expect(warm.cache).toEqual({ groups: primed.cache!.groups, hits: primed.cache!.groups - 3 })
      expect(warm.out).toEqual(fresh.out)
      // The added bucket is reported: those groups were analysed again.
      const findings = (warm.out as unknown as { findings: { path: string; line: number }[] }).findings
      for (const edit of edits) expect(findings.some((f) => f.path === edit && f.line > lengths.get(edit)!)).toBe(true)
    } finally {
      threads = '1'
    }
  }, 120_000)
})
