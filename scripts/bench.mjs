// `npm run bench`: one run on this machine, written to docs/benchmarks.md and docs/benchmarks.json.
// Deterministic input (scripts/gen-tree.mjs with a fixed seed); medians of several runs; every
// ratio is measured in the same run. Not part of `npm test` or CI. Options:
//   --files N   size of the generated tree (default 10000)    --runs N   runs per median (default 3)
//   --quick     1,000 files and one run, to try the bench itself
//   --baseline REF   the commit whose dist/ the scan is compared with (default: the last commit of
//                    the previous landed round, a741b9b; `git merge-base HEAD main` when that is gone)
//   BENCH_NODE24=PATH  a Node 24 binary (default: node_modules/.bin/node after `npm i --no-save node@24`):
//                    the dist-against-dist rows also run on it, the runtime action.yml declares
import { execFileSync, execSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { timed, repeat, medianOf, median, machine, folderBytes, ratioOf, round } from './bench/util.mjs'
import { generateTree, addSecretOverlay, addLargeFiles, SEED } from './bench/tree.mjs'
import { benchPullRequest } from './bench/pr-e2e.mjs'
import { compareSecrets } from './bench/secrets.mjs'
import { renderReport } from './bench/report.mjs'

const args = process.argv.slice(2)
const opt = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback)
const quick = args.includes('--quick')
const BASELINE = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : 'a741b9b'
const FILES = opt('--files', quick ? 1000 : 10_000)
const RUNS = opt('--runs', quick ? 1 : 3)
const SECRETS_FILES = quick ? 500 : 2000
const node = process.execPath
/**
 * Node 24, the runtime action.yml declares, when one is at hand (`BENCH_NODE24`, or the one
 * `npm i --no-save node@24` puts in node_modules/.bin): the dist-against-dist rows run on it too.
 */
const node24 = (() => {
  const candidate = process.env.BENCH_NODE24 ?? resolve('node_modules/.bin/node')
  if (!existsSync(candidate)) return undefined
  try {
    const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim()
    return version.startsWith('v24.') && version !== process.version ? { bin: candidate, version } : undefined
  } catch {
    return undefined
  }
})()
const log = (m) => process.stderr.write(`bench: ${m}\n`)

const work = mkdtempSync(join(tmpdir(), 'preflight-bench-'))
const result = { machine: machine(), seed: SEED, files: FILES, runs: RUNS }
try {
  // The action as published: dist/ built from the current sources, action.yml and agents/ beside it.
  log('bundling into a temp folder')
  const root = join(work, 'action')
  mkdirSync(root)
  execFileSync(node, ['scripts/bundle.mjs', '--outdir', join(root, 'dist')], { stdio: 'pipe' })
  cpSync('action.yml', join(root, 'action.yml'))
  cpSync('agents', join(root, 'agents'), { recursive: true })
  const dist = join(root, 'dist')

  log(`generating ${FILES} files (seed ${SEED})`)
  const tree = generateTree(join(work, 'tree'), FILES)

  // 1. Scan vs parse floor, in fresh processes, plus the CLI end to end.
  log('scan vs parse floor')
  // Taking turns, so a change in machine load weighs on both alike.
  const floor = []
  const scan = []
  for (let i = 0; i < RUNS; i++) {
    floor.push(await inproc('floor', tree))
    scan.push(await inproc('scan', tree))
  }
  const cli = await repeat(RUNS, async () => {
    const r = await timed(node, [join(dist, 'cli.js'), 'scan', tree, '--format', 'json'])
    return { ms: r.ms, maxRssMb: r.maxRssMb, code: r.code, inner: JSON.parse(r.stdout).stats?.ms ?? null }
  })
  result.scan = {
    floorMs: medianOf(floor, 'ms'),
    scanMs: medianOf(scan, 'ms'),
    readMs: medianOf(scan, 'readMs'),
    floorRssMb: medianOf(floor, 'maxRssMb'),
    scanRssMb: medianOf(scan, 'maxRssMb'),
    findings: scan[0].findings,
    notes: scan[0].notes,
    cliWallMs: medianOf(cli, 'ms'),
    cliInnerMs: medianOf(cli, 'inner'),
    cliMaxRssMb: medianOf(cli, 'maxRssMb'),
    runsMs: { floor: floor.map((r) => round(r.ms)), scan: scan.map((r) => round(r.ms)), cli: cli.map((r) => round(r.ms)) }
  }
  result.scan.ratio = ratioOf(result.scan.scanMs, result.scan.floorMs)
  // The same two passes in one process, taking turns after JIT warm-up: best wall and best CPU of each.
  result.scan.steady = await inproc('ratio', tree, Math.max(3, RUNS))
  result.scan.filesPerSecond = (FILES / result.scan.cliWallMs) * 1000

  // 2. Secrets: Preflight vs the secretlint CLI on the same (smaller) tree with a credential overlay.
  log('secret scan vs secretlint')
  const secretsTree = generateTree(join(work, 'secrets-tree'), SECRETS_FILES)
  const overlay = addSecretOverlay(secretsTree)
  result.secrets = await compareSecrets({ tree: secretsTree, overlay, dist, runs: RUNS, work, fullTree: tree, fullTimeoutMs: quick ? 20_000 : 90_000 })

  // 3. The 300-file pull request end to end.
  log('300-file pull request against the fake GitHub API')
  const pr = await benchPullRequest({ tree, distDir: dist, count: 300, runs: RUNS })
  result.pullRequest = { ms: medianOf(pr, 'ms'), runsMs: pr.map((r) => round(r.ms)), ...pr[pr.length - 1] }

  // 4. Cold start with an ignored event, and the bundle's size.
  log('cold start')
  const eventPath = join(work, 'push.json')
  writeFileSync(eventPath, JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/infra' } }))
  const coldEnv = { PATH: process.env.PATH, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: eventPath, GITHUB_REPOSITORY: 'acme/infra', GITHUB_ACTIONS: 'true', 'INPUT_GITHUB-TOKEN': 'ghs_bench', GITHUB_WORKSPACE: work }
  const cold = await repeat(10, () => timed(node, [join(dist, 'index.js')], { env: coldEnv, cwd: work }))
  result.coldStart = { ms: medianOf(cold, 'ms'), runsMs: cold.map((r) => round(r.ms)), codes: [...new Set(cold.map((r) => r.code))], maxRssMb: medianOf(cold, 'maxRssMb') }
  const nodeOnly = await repeat(10, () => timed(node, ['-e', '0']))
  result.coldStart.nodeBaselineMs = medianOf(nodeOnly, 'ms')
  result.bundle = { bytes: folderBytes(dist), committedBytes: existsSync('dist') ? folderBytes('dist') : null }

  // 5. The model side, with the fake Messages API.
  log('model budget and caching with the fake Messages API')
  try {
    const { benchModel } = await import('./bench/model.mjs')
    result.model = await benchModel({ tree })
  } catch (e) {
    result.model = { error: String(e?.message ?? e).split('\n')[0] }
  }

  // 6. The labelled corpus.
  const corpus = resolve('../shared/corpus/kics')
  if (existsSync(corpus)) {
    log('corpus')
    const jsonOut = join(work, 'corpus.json')
    const r = await timed(node, ['scripts/bench-corpus.mjs', corpus, '--json', jsonOut])
    result.corpus = { table: r.stdout.split('\n\n| Query')[0].trim(), ms: r.ms, code: r.code, path: '../shared/corpus/kics' }
  } else {
    result.corpus = { missing: corpus }
  }

  // 7. The audit: whole tree in one process vs the slowest of four shards.
  log('audit, one shard and four')
  const audit = (index, total) => timed(node, [join(dist, 'cli.js'), 'audit', tree, '--format', 'json', '--shard-index', String(index), '--shard-total', String(total)])
  const whole = await repeat(RUNS, () => audit(0, 1))
  const shards = []
  for (let i = 0; i < 4; i++) shards.push(await repeat(RUNS, () => audit(i, 4)))
  const shardMs = shards.map((runs) => medianOf(runs, 'ms'))
  result.audit = {
    wholeMs: medianOf(whole, 'ms'),
    wholeRssMb: medianOf(whole, 'maxRssMb'),
    codes: [...new Set(whole.map((r) => r.code))],
    shardMs: shardMs.map((x) => round(x)),
    slowestShardMs: Math.max(...shardMs),
    slowestShardRssMb: Math.max(...shards.map((runs) => medianOf(runs, 'maxRssMb') ?? 0))
  }
  result.audit.speedup = ratioOf(result.audit.wholeMs, result.audit.slowestShardMs)

  // 8. At the limit (issue 15): the scan against the previously committed dist/, growth, reading,
  // and adversarial input per rule family (issue 14).
  log('scan vs the previously committed dist/, growth, reading, adversarial input')
  result.limit = await benchLimit({ dist, tree })

  result.totalMinutes = round(process.uptime() / 60, 1)
  mkdirSync('docs', { recursive: true })
  writeFileSync('docs/benchmarks.json', JSON.stringify(result, null, 2) + '\n')
  writeFileSync('docs/benchmarks.md', renderReport(result) + precisionSection(dist))
  log(`wrote docs/benchmarks.md and docs/benchmarks.json in ${result.totalMinutes} min`)
} finally {
  rmSync(work, { recursive: true, force: true })
}

/**
 * The dist/ committed at the baseline (the previous landed round's bundle), extracted with
 * `git archive` into the work folder; null when git or the ref is unavailable.
 */
function previousDist() {
  try {
    const git = (cmd) => execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    let base
    try {
      base = git(`git rev-parse --verify ${JSON.stringify(`${BASELINE}^{commit}`)}`)
    } catch {
      base = git('git merge-base HEAD main')
    }
    const out = join(work, 'previous')
    mkdirSync(out)
    execSync(`git archive ${base} dist | tar -x -C ${JSON.stringify(out)}`, { stdio: 'ignore' })
    return existsSync(join(out, 'dist', 'cli.js')) ? { dir: join(out, 'dist'), commit: base } : null
  } catch {
    return null
  }
}

async function benchLimit({ dist, tree }) {
  const cliScan = (distDir, dir) => repeat(RUNS, () => timed(node, [join(distDir, 'cli.js'), 'scan', dir, '--format', 'json']))
  const small = quick ? 1000 : 3000
  const smallTree = generateTree(join(work, `tree-${small}`), small)
  const doubleTree = generateTree(join(work, `tree-${2 * small}`), 2 * small)
  const out = { smallFiles: small }
  const previous = previousDist()
  /**
   * The two dists take turns on the same tree, so a change in machine load weighs on both alike;
   * in the same turns, this dist's `--cache` (primed once before): a scan with nothing changed
   * since the last, and one with a single file edited since the last (one group analysed).
   */
  const turns = async (dir, bin = node) => {
    const now = []
    const before = []
    const warm = []
    const edited = []
    const env = { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(work, 'cache-')) }
    const cached = [join(dist, 'cli.js'), 'scan', dir, '--format', 'json', '--cache']
    const edit = firstTerraformFile(dir)
    const original = readFileSync(edit, 'utf8')
    await timed(bin, cached, { env })
    for (let i = 0; i < RUNS; i++) {
      before.push(await timed(bin, [join(previous.dir, 'cli.js'), 'scan', dir, '--format', 'json']))
      now.push(await timed(bin, [join(dist, 'cli.js'), 'scan', dir, '--format', 'json']))
      warm.push(await timed(bin, cached, { env }))
      // Two contents in turn: each run finds the one file changed since the run before.
      writeFileSync(edit, i % 2 === 0 ? `${original}\n# edited for the bench\n` : original)
      edited.push(await timed(bin, cached, { env }))
    }
    writeFileSync(edit, original)
    return { now, before, warm, edited }
  }
  /** Both dists on `bin`, taking turns on the small and the large tree: medians and ratios. */
  const compare = async (bin) => {
    const r = {}
    for (const [name, dir] of [['Small', smallTree], ['Large', tree]]) {
      const runs = await turns(dir, bin)
      const key = name.toLowerCase()
      r[`${key}Ms`] = medianOf(runs.now, 'ms')
      r[`${key}CpuMs`] = medianOf(runs.now, 'cpuMs')
      r[`previous${name}Ms`] = medianOf(runs.before, 'ms')
      r[`previous${name}CpuMs`] = medianOf(runs.before, 'cpuMs')
      r[`${key}Speedup`] = ratioOf(r[`previous${name}Ms`], r[`${key}Ms`])
      r[`${key}CpuSpeedup`] = ratioOf(r[`previous${name}CpuMs`], r[`${key}CpuMs`])
      r[`${key}WarmMs`] = medianOf(runs.warm, 'ms')
      r[`${key}WarmSpeedup`] = ratioOf(r[`previous${name}Ms`], r[`${key}WarmMs`])
      r[`${key}EditedMs`] = medianOf(runs.edited, 'ms')
      r[`${key}EditedSpeedup`] = ratioOf(r[`previous${name}Ms`], r[`${key}EditedMs`])
    }
    return r
  }
  if (previous) {
    out.previousCommit = previous.commit
    Object.assign(out, await compare(node))
    if (node24) {
      // The same comparison on the action's runtime.
      log(`dist against dist on ${node24.version}`)
      out.node24 = { version: node24.version, ...(await compare(node24.bin)) }
    }
  } else {
    out.smallMs = medianOf(await cliScan(dist, smallTree), 'ms')
  }
  out.smallFilesPerSecond = (small / out.smallMs) * 1000
  out.doubleMs = medianOf(await cliScan(dist, doubleTree), 'ms')
  out.growth = ratioOf(out.doubleMs, out.smallMs)
  const read = await repeat(RUNS, () => inproc('read', smallTree))
  out.readTreeMs = medianOf(read, 'readTreeMs')
  out.syncReadMs = medianOf(read, 'syncMs')
  out.readRatio = ratioOf(out.readTreeMs, out.syncReadMs)
  const adversarial = await inproc('adversarial', '100')
  // Large files: 1,000 small files plus 24 CRD-like files of 300 KB in 4 folders, each large file
  // under its budget in the large-file worker. Against all files on the main thread (no budget), and
  // against the previous dist, which gave each large file a worker of its own.
  const largeTree = generateTree(join(work, 'tree-large'), 1000)
  addLargeFiles(largeTree, 24, 300 * 1024)
  const inThreadEnv = { ...process.env, PREFLIGHT_WORKER_MIN_BYTES: String(1024 ** 3) }
  const largeNow = []
  const largeInThread = []
  const largeBefore = []
  for (let i = 0; i < RUNS; i++) {
    largeNow.push(await timed(node, [join(dist, 'cli.js'), 'scan', largeTree, '--format', 'json']))
    largeInThread.push(await timed(node, [join(dist, 'cli.js'), 'scan', largeTree, '--format', 'json'], { env: inThreadEnv }))
    if (previous) largeBefore.push(await timed(node, [join(previous.dir, 'cli.js'), 'scan', largeTree, '--format', 'json']))
  }
  out.largeFiles = { count: 24, kb: 300, ms: medianOf(largeNow, 'ms'), inThreadMs: medianOf(largeInThread, 'ms'), previousMs: previous ? medianOf(largeBefore, 'ms') : null }
  out.adversarialKb = 100
  out.adversarial = adversarial.cases.map((c) => ({ ...c, ms: round(c.ms) }))
  out.adversarialWorst = adversarial.cases.reduce((a, b) => (b.ms > a.ms ? b : a))
  out.coldStartOverNodeMs = result.coldStart.ms - result.coldStart.nodeBaselineMs
  return out
}

/** The first Terraform file of a tree (path order): the file the cached runs edit. */
function firstTerraformFile(dir) {
  const found = readdirSync(dir, { recursive: true }).filter((p) => String(p).endsWith('.tf')).sort()[0]
  if (!found) throw new Error(`no Terraform file under ${dir}`)
  return join(dir, String(found))
}

async function inproc(mode, dir, ...rest) {
  const r = await timed(node, ['scripts/bench/inproc.mjs', mode, dir, ...rest.map(String)])
  if (r.code !== 0) throw new Error(`inproc ${mode} failed: ${r.stderr.slice(0, 400)}`)
  const out = JSON.parse(r.stdout.trim().split('\n').pop())
  return { ...out, wallMs: r.ms, maxRssMb: r.maxRssMb ?? out.maxRssMb }
}

export { median }

/**
 * Precision on real code (`npm run bench:precision` with this run's bundle): its tables as they
 * print, so the judged figures sit beside the speed ones.
 */
function precisionSection(distDir) {
  let out
  try {
    out = execFileSync(node, ['scripts/bench-precision.mjs', '--cli', join(distDir, 'cli.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    // Exit 1 means a finding judged false came back: the tables still print, and say so.
    out = e.stdout ?? ''
  }
  const tables = out.replace(/^> .*$/gm, '').trim()
  return tables ? `\n## Real-world precision (\`npm run bench:precision\`)\n\n${tables}\n` : ''
}
