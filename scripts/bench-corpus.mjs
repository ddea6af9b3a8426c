// Detection against a labeled corpus: one folder per case with the file and gold.json
// ({ category, kind: positive|negative, file, lines }). Usage:
//   npm run bench:corpus -- ../shared/corpus/kics [--json out.json] [--only prefix] [--verbose]
// Recall: a positive counts when a finding of the gold category is in the gold file within ±5
// lines of a gold line; a gold line past the end of its file names no line, so such a label is
// matched by file and category alone. Negatives: share of cases with any finding of the case's category.
// Labels Preflight disputes (bench/corpus/disputed.json, each with its reason) are counted in the
// Recall column and left out of the "without disputed labels" one.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { loadSrc } from './lib/load-src.mjs'

const args = process.argv.slice(2)
const dir = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--json' && args[args.indexOf(a) - 1] !== '--only')
if (!dir || !existsSync(dir)) {
  console.error('usage: npm run bench:corpus -- <corpus dir> [--json FILE] [--only PREFIX] [--verbose]')
  process.exit(2)
}
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const only = opt('--only')
const verbose = args.includes('--verbose')

const { analyzeFiles, readTree, ALL_RULES } = await loadSrc({ analyzeFiles: 'src/rules/index.ts', readTree: 'src/changes/tree.ts', ALL_RULES: 'src/rules/index.ts' })
// Rules that name the KICS query they correspond to, for the "own rule" view of negatives.
const rulesByQuery = new Map()
for (const r of ALL_RULES) if (r.refs?.kics) for (const q of String(r.refs.kics).split(/[,\s]+/)) rulesByQuery.set(q, [...(rulesByQuery.get(q) ?? []), r.id])

const disputed = JSON.parse(readFileSync(new URL('../bench/corpus/disputed.json', import.meta.url), 'utf8')).cases

export const TOLERANCE = 5
const cases = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && (!only || d.name.startsWith(only))).map((d) => d.name).sort()
const perCategory = new Map()
const perQuery = new Map()
const misses = []
/** Disputed positives found all the same: the list is out of date for them. */
const foundDisputed = []
const started = performance.now()
for (const name of cases) {
  const caseDir = join(dir, name)
  const gold = JSON.parse(readFileSync(join(caseDir, 'gold.json'), 'utf8'))
  const tree = await readTree(caseDir, { pathsIgnore: ['gold.json'] })
  const { findings } = await analyzeFiles(tree.files)
  // Info findings never change a checklist item, so they do not count as a flag.
  const inFile = findings.filter((f) => f.path === gold.file && f.category === gold.category && f.severity !== 'info')
  const ownRules = new Set(rulesByQuery.get(gold.query) ?? [])
  const cat = perCategory.get(gold.category) ?? { positives: 0, found: 0, negatives: 0, flagged: 0, flaggedByOwnRule: 0, undisputedPositives: 0, undisputedFound: 0 }
  const q = perQuery.get(gold.query) ?? { category: gold.category, positives: 0, found: 0, negatives: 0, flagged: 0, flaggedByOwnRule: 0 }
  if (gold.kind === 'positive') {
    const fileLines = readFileSync(join(caseDir, gold.file), 'utf8').split('\n').length
    const lines = (gold.lines ?? []).filter((l) => l <= fileLines)
    const hit = lines.length === 0 ? inFile.length > 0 : lines.some((l) => inFile.some((f) => Math.abs(f.line - l) <= TOLERANCE))
    cat.positives++; q.positives++
    if (hit) { cat.found++; q.found++ } else misses.push({ name, want: lines, got: inFile.map((f) => `${f.ruleId}@${f.line}`), ...(disputed[name] ? { disputed: disputed[name] } : {}) })
    if (!disputed[name]) { cat.undisputedPositives++; if (hit) cat.undisputedFound++ }
    else if (hit) foundDisputed.push(name)
  } else {
    cat.negatives++; q.negatives++
    if (inFile.length) { cat.flagged++; q.flagged++; misses.push({ name, negative: true, got: inFile.map((f) => `${f.ruleId}@${f.line}`) }) }
    if (inFile.some((f) => ownRules.has(f.ruleId))) { cat.flaggedByOwnRule++; q.flaggedByOwnRule++ }
  }
  perCategory.set(gold.category, cat)
  perQuery.set(gold.query, q)
}
const ms = Math.round(performance.now() - started)
const ratio = (a, b) => (b ? a / b : null)
const fmt = (x) => (x === null ? '—' : x.toFixed(2))
const view = (c) => ({ ...c, recall: ratio(c.found, c.positives), recallUndisputed: c.undisputedPositives === undefined ? undefined : ratio(c.undisputedFound, c.undisputedPositives), negativesFlagged: ratio(c.flagged, c.negatives), negativesFlaggedByOwnRule: ratio(c.flaggedByOwnRule, c.negatives) })
const categories = [...perCategory].sort().map(([category, c]) => ({ category, ...view(c) }))
const queries = [...perQuery].sort().map(([query, c]) => ({ query, ...view(c) }))

const out = [
  `Corpus: ${cases.length} cases in ${ms} ms (±${TOLERANCE} lines; info findings not counted)`,
  '',
  '| Category | Positives | Recall | Recall without disputed labels | Negatives | Negatives with any finding of the category | … by the rule for that query |',
  '|---|---|---|---|---|---|---|'
]
for (const c of categories) {
  const undisputed = c.undisputedPositives === c.positives ? '—' : `${fmt(c.recallUndisputed)} (${c.undisputedFound}/${c.undisputedPositives})`
  out.push(`| ${c.category} | ${c.positives} | ${fmt(c.recall)} (${c.found}/${c.positives}) | ${undisputed} | ${c.negatives} | ${fmt(c.negativesFlagged)} | ${fmt(c.negativesFlaggedByOwnRule)} |`)
}
out.push('', '| Query | Category | Recall | Negatives flagged (any rule) | (own rule) |', '|---|---|---|---|---|')
for (const q of queries) out.push(`| ${q.query} | ${q.category} | ${fmt(q.recall)} (${q.found}/${q.positives}) | ${fmt(q.negativesFlagged)} (${q.flagged}/${q.negatives}) | ${fmt(q.negativesFlaggedByOwnRule)} (${q.flaggedByOwnRule}/${q.negatives}) |`)
const disputedHere = Object.entries(disputed).filter(([name]) => cases.includes(name))
if (disputedHere.length) {
  out.push('', 'Disputed labels (bench/corpus/disputed.json):', ...disputedHere.map(([name, why]) => `- ${name}: ${why}`))
}
if (foundDisputed.length) out.push('', `Disputed positives found all the same (update bench/corpus/disputed.json): ${foundDisputed.join(', ')}`)
console.log(out.join('\n'))
if (verbose) for (const m of misses) console.log(JSON.stringify(m))
const json = opt('--json')
if (json) writeFileSync(json, JSON.stringify({ cases: cases.length, ms, tolerance: TOLERANCE, categories, queries, misses }, null, 2))
