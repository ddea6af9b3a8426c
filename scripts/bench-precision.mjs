// Precision on real infrastructure code: scans the real-world corpus (../shared/corpus/realworld,
// read in place, never copied) with the bundled CLI, matches every finding to the judgements in
// bench/precision/judgements.json (keyed by file sha256, rule id and line), and prints precision
// per severity band. Exits 1 when a finding judged false comes back, 2 on bad input.
//   npm run bench:precision [-- --corpus DIR] [--json FILE] [--unjudged]
//   npm run bench:precision -- --sample N --seed S   (prints a seeded sample of medium/low/info findings to judge)
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const args = process.argv.slice(2)
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const corpus = resolve(opt('--corpus', '../shared/corpus/realworld'))
const judgementsPath = resolve(opt('--judgements', 'bench/precision/judgements.json'))
const cli = resolve(opt('--cli', 'dist/cli.js'))

for (const [what, p] of [['corpus', join(corpus, 'MANIFEST.json')], ['bundled CLI (run npm run bundle)', cli]]) {
  if (!existsSync(p)) {
    console.error(`bench:precision: ${what} not found: ${p}`)
    process.exit(2)
  }
}

const manifest = JSON.parse(readFileSync(join(corpus, 'MANIFEST.json'), 'utf8'))
/** `folder/path` → { sha256, repo } for every corpus file. */
const files = new Map()
for (const repo of manifest) for (const [path, sha256] of Object.entries(repo.sha256)) files.set(`${repo.folder}/${path}`, { sha256, repo: repo.repo })

// One scan per repository, run as its owner runs it: GITHUB_REPOSITORY names the repository (the
// corpus folders are not git clones), so its own actions count as its own. Paths are relative to the
// repository, then prefixed with its corpus folder.
const started = performance.now()
const scan = { findings: [] }
for (const repo of manifest) {
  let out
  try {
    out = execFileSync(process.execPath, [cli, 'scan', join(corpus, repo.folder), '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GITHUB_REPOSITORY: repo.repo }
    })
  } catch (e) {
    // Exit code 1 only means --fail-on was met; the JSON is still on stdout.
    if (e.status !== 1 || !e.stdout) throw e
    out = e.stdout
  }
  for (const f of JSON.parse(out).findings) scan.findings.push({ ...f, path: `${repo.folder}/${f.path}` })
}
const scanMs = Math.round(performance.now() - started)

/**
 * Output is redacted: a literal secret value that also occurs in a path is masked there too
 * (`ku****`). Such paths are matched back to the corpus file they can only be.
 */
function corpusFile(path) {
  if (files.has(path)) return path
  if (!path.includes('****')) return undefined
  const pattern = new RegExp(`^${path.split('****').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`)
  const hits = [...files.keys()].filter((p) => pattern.test(p))
  return hits.length === 1 ? hits[0] : undefined
}

const judgementsFile = existsSync(judgementsPath) ? JSON.parse(readFileSync(judgementsPath, 'utf8')) : { judgements: [] }
const keyOf = (sha256, ruleId, line) => `${sha256}:${ruleId}:${line}`
const judged = new Map(judgementsFile.judgements.map((j) => [keyOf(j.sha256, j.ruleId, j.line), j]))

const band = (severity) => (severity === 'critical' || severity === 'high' ? 'critical+high' : severity)
const BANDS = ['critical+high', 'medium', 'low', 'info']
const stats = Object.fromEntries(BANDS.map((b) => [b, { findings: 0, judged: 0, true: 0, debatable: 0, false: 0, unjudged: 0 }]))
const falseBack = []
const unjudged = []
const unmatched = []
const seenKeys = new Set()
const rows = []
for (const f of scan.findings) {
  const path = corpusFile(f.path)
  if (!path) {
    unmatched.push(f)
    continue
  }
  const { sha256 } = files.get(path)
  const key = keyOf(sha256, f.ruleId, f.line)
  seenKeys.add(key)
  const s = stats[band(f.severity)]
  s.findings++
  const j = judged.get(key)
  rows.push({ key, path, finding: f, judgement: j })
  if (!j) {
    s.unjudged++
    unjudged.push({ path, f })
    continue
  }
  s.judged++
  s[j.verdict]++
  if (j.verdict === 'false') falseBack.push({ path, f, j })
}
const gone = judgementsFile.judgements.filter((j) => !seenKeys.has(keyOf(j.sha256, j.ruleId, j.line)))

if (args.includes('--sample')) {
  printSample(Number(opt('--sample', '100')), Number(opt('--seed', '11')))
  process.exit(0)
}

const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '—')
console.log(`Real-world precision: ${scan.findings.length} findings on ${files.size} corpus files (${manifest.length} repositories), scan ${scanMs} ms\n`)
console.log('| Band | Findings | Judged | True | Debatable | False | Precision (true / judged) | Not false | Unjudged |')
console.log('|---|---|---|---|---|---|---|---|---|')
for (const b of BANDS) {
  const s = stats[b]
  console.log(`| ${b} | ${s.findings} | ${s.judged} | ${s.true} | ${s.debatable} | ${s.false} | ${pct(s.true, s.judged)} | ${pct(s.judged - s.false, s.judged)} | ${s.unjudged} |`)
}
// Per rule family (the prefix of the rule id), so each owner sees their share.
const families = new Map()
for (const r of rows) {
  const fam = r.finding.ruleId.split('/')[0]
  const s = families.get(fam) ?? { findings: 0, judged: 0, true: 0, debatable: 0, false: 0 }
  s.findings++
  if (r.judgement) {
    s.judged++
    s[r.judgement.verdict]++
  }
  families.set(fam, s)
}
console.log('\n| Rule family | Findings | Judged | True | Debatable | False |')
console.log('|---|---|---|---|---|---|')
for (const [fam, s] of [...families].sort()) console.log(`| ${fam} | ${s.findings} | ${s.judged} | ${s.true} | ${s.debatable} | ${s.false} |`)
const seconds = judgementsFile.judgements.filter((j) => j.second)
if (seconds.length) {
  const agree = seconds.filter((j) => j.second.verdict === j.verdict).length
  console.log(`\nSecond judgements: ${seconds.length}, agreeing with the first: ${agree} (${pct(agree, seconds.length)})`)
}
if (gone.length) console.log(`\n${gone.length} judged finding(s) no longer reported (rule fixed or line moved): ${gone.map((j) => `${j.file}:${j.line} ${j.ruleId} [${j.verdict}]`).slice(0, Number(process.env.PRECISION_GONE_LIST ?? 10)).join('; ')}${gone.length > 10 ? ' …' : ''}`)
if (unmatched.length) console.log(`\n${unmatched.length} finding(s) on paths outside the manifest: ${unmatched.slice(0, 5).map((f) => f.path).join(', ')}`)
if (args.includes('--unjudged')) for (const u of unjudged) console.log(`unjudged: ${u.f.severity} ${u.f.ruleId} ${u.path}:${u.f.line} ${u.f.message}`)

const jsonOut = opt('--json')
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ stats, scanMs, unjudged: unjudged.length, falseBack: falseBack.length, gone: gone.length }, null, 2) + '\n')

if (falseBack.length) {
  console.log(`\n${falseBack.length} finding(s) judged false came back:`)
  for (const { path, f, j } of falseBack) console.log(`  ${f.severity} ${f.ruleId} ${path}:${f.line} — ${j.reason}`)
  process.exit(1)
}

/** A seeded sample of the findings below high, with the lines around each, for judging. */
function printSample(n, seed) {
  let state = seed >>> 0
  // mulberry32: small, seedable, the same sample on every machine.
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pool = rows.filter((r) => band(r.finding.severity) !== 'critical+high').sort((a, b) => a.key.localeCompare(b.key))
  for (let i = pool.length - 1; i > 0; i--) {
    const k = Math.floor(random() * (i + 1))
    ;[pool[i], pool[k]] = [pool[k], pool[i]]
  }
  for (const r of pool.slice(0, n)) {
    const lines = readFileSync(join(corpus, r.path), 'utf8').split('\n')
    const f = r.finding
    console.log(`### ${r.judgement ? `[${r.judgement.verdict}] ` : ''}${f.severity} ${f.ruleId} ${r.path}:${f.line}\n${f.message}\nkey ${r.key}`)
    for (let l = Math.max(1, f.line - 2); l <= Math.min(lines.length, f.line + 2); l++) console.log(`${l === f.line ? '>' : ' '} ${String(l).padStart(4)}| ${lines[l - 1]}`)
  }
}
