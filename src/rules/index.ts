/**
 * The rule engine: runs each file's language (src/rules/registry.ts: its checks, then its cost
 * pass) plus the secret scan on every file. A file that cannot be analyzed becomes a note; it
 * never stops the others.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { analyzeLargeFiles, type LargeFileJob } from './large-files.js'
import type { AnalysisResult, FileKind, Finding, FileNote, RuleMeta, SecretLocation, SourceFile } from '../types.js'
import { SEVERITY_RANK } from '../types.js'
import { costRules, withoutRestated } from '../cost/meta.js'
import { IMPORT_RULES } from '../import/rules.js'
import { forSampleFile, forSamplePath, scanSecrets, secretRules } from './secrets.js'
import { API_EXAMPLE, GO_TEST_HELPER, TEST_MODULE, apiExampleLines, forTestPath, goTestHelperLines, isCiInput, isTestPath, testModuleLines } from './sample-paths.js'
import { analyzeCharts, lowerOffByDefault, type HelmOptions } from './helm/index.js'
import { ParseError } from './parse/yaml.js'
import { analyzeInPool, threadsFor } from './pool.js'
import type { ResultCache } from './result-cache.js'
import type { RunInfo } from './language.js'
import { LANGUAGES, languageOf } from './registry.js'
import { reporterFor } from './rule.js'
import { prepareSecretlint } from './secrets/secretlint.js'
import { withLoopHeld } from '../util/event-loop.js'
import { builtImages } from './dockerfile/built-images.js'
import { folderOf } from '../util/paths.js'
import { once } from '../util/once.js'

/**
 * What the engine learns from the whole file list before analysing any one file: each language's
 * context (`buildContext`: Terraform modules, Kubernetes manifest folders) by kind, and the run.
 */
export interface ProjectContext extends RunInfo {
  byKind: Partial<Record<FileKind, unknown>>
}

/**
 * Rules that belong to no single kind: the secret scan runs on every file, findings made from
 * other tools' output (a Terraform plan, Infracost) share the catalogue, and the cost rules are
 * reported by the languages whose files are priced (`Language.cost`).
 */
export const CROSS_KIND_RULES = { secrets: secretRules, import: IMPORT_RULES, cost: costRules } as const satisfies Record<string, readonly RuleMeta[]>

/** Every rule of the file kinds (registry order), then the cross-kind ones. */
export const ALL_RULES: RuleMeta[] = [...LANGUAGES.flatMap((l) => l.rules), ...Object.values(CROSS_KIND_RULES).flat()]

const RULES_BY_ID = new Map(ALL_RULES.map((r) => [r.id, r]))

export function ruleById(id: string): RuleMeta | undefined {
  return RULES_BY_ID.get(id)
}

/**
 * Files (given the repository tree) or globs (without one) whose content the analysis of a
 * changed file depends on: the other manifests of a Kubernetes folder, the whole chart of a
 * Helm file. PR mode reads them at head as `contextOnly` files.
 */
export function contextPathsForFile(file: { path: string; kind: FileKind }, treePaths?: readonly string[]): string[] {
  return languageOf(file.kind)?.contextPaths?.(file.path, treePaths) ?? []
}

/** Builds every language's context from the whole file list. */
export async function buildProjectContext(files: SourceFile[], run: RunInfo = {}): Promise<ProjectContext> {
  const project: ProjectContext = { byKind: {}, ...run }
  for (const language of LANGUAGES) if (language.buildContext) project.byKind[language.kind] = await language.buildContext(files)
  return project
}

/** Files above this size are not analyzed (a note says so). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024

/** Analyzes one file; never throws. `project` carries what other files of the list tell about it. */
export async function analyzeFile(file: SourceFile, project?: ProjectContext): Promise<AnalysisResult> {
  const notes: FileNote[] = []
  const findings: Finding[] = []
  const secrets: SecretLocation[] = []
  let validUntil: number | undefined
  // UTF-8 takes at most three bytes per UTF-16 unit: a short text needs no byte count.
  if (file.content.length * 3 > MAX_FILE_BYTES && Buffer.byteLength(file.content, 'utf8') > MAX_FILE_BYTES) {
    notes.push({ path: file.path, reason: 'too-large', message: `${file.path}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, not analyzed` })
    return { findings, notes, secrets }
  }
  if (file.content.includes('\u0000')) {
    notes.push({ path: file.path, reason: 'binary', message: `${file.path}: binary content, not analyzed` })
    return { findings, notes, secrets }
  }
  const normalized: SourceFile = file.content.includes('\r') ? { ...file, content: file.content.replace(/\r\n?/g, '\n') } : file
  const language = languageOf(file.kind)
  let parsed = true
  let model: unknown
  if (language?.analyze) {
    try {
      if (language.parse) model = language.parse(normalized)
      findings.push(...(await language.analyze(normalized, reporterFor(language.rules, file.path, language.kind), project?.byKind[file.kind], project ?? {}, model)))
    } catch (e) {
      const reason = e instanceof ParseError || (e as Error)?.name === 'ParseError' ? 'parse' : 'error'
      const what = reason === 'parse' ? 'could not be parsed' : 'analyzer failed'
      parsed = reason !== 'parse'
      notes.push({ path: file.path, reason, message: `${file.path}: ${what}: ${(e as Error)?.message ?? String(e)}` })
    }
  }
  // Cost findings carry their own figures and are never merged with a rule's finding on the same line.
  const costFindings: Finding[] = []
  if (language?.cost && parsed) {
    try {
      costFindings.push(...(await language.cost(normalized, project?.byKind[file.kind], model)).findings)
    } catch (e) {
      notes.push({ path: file.path, reason: 'error', message: `${file.path}: cost analysis failed: ${(e as Error)?.message ?? String(e)}` })
    }
  }
  try {
    const scan = await scanSecrets(normalized)
    findings.push(...scan.findings)
    secrets.push(...scan.locations)
    validUntil = scan.validUntil
    for (const w of scan.warnings ?? []) notes.push({ path: file.path, reason: 'error', message: w })
  } catch (e) {
    notes.push({ path: file.path, reason: 'error', message: `${file.path}: secret scan failed: ${(e as Error)?.message ?? String(e)}` })
  }
  // A file its kind's reading shows to be a test's input (a compose test stack), where its path does not.
  const testFile = language?.testFile?.(normalized)
  const inTestTree = isTestPath(file.path)
  // `dedupeFindings` returns a new list: the cost findings join it in place.
  const kept = dedupeFindings(findings)
  for (const f of costFindings) kept.push(f)
  // Where a file's content shows sample lines its path does not: an API description's examples,
  // a Rust source file's test modules (built only for its tests), a Go test helper. Each read once, at the first
  // secret finding that asks.
  const sampleLines = [
    { why: API_EXAMPLE, lines: once(() => apiExampleLines(normalized)) },
    { why: TEST_MODULE, lines: once(() => testModuleLines(normalized)) },
    { why: GO_TEST_HELPER, lines: once(() => goTestHelperLines(normalized)) }
  ]
  const lowered = (f: Finding): Finding => {
    const own = f.path === file.path
    if (own && testFile !== undefined) return forTestPath(forSampleFile(f, testFile), inTestTree, testFile)
    // A secret on such a line: as in a documentation or test path.
    if (own && f.category === 'secrets' && f.severity !== 'info') {
      for (const { why, lines } of sampleLines) if (lines()?.(f.line)) return forTestPath(forSampleFile(f, why), inTestTree)
    }
    return forTestPath(forSamplePath(f), own ? inTestTree : undefined)
  }
  return { findings: withoutRestated(kept).map(lowered), notes, secrets, ...(validUntil !== undefined ? { validUntil } : {}) }
}

/**
 * Starts the one-time set-up of an analysis in the background: loading secretlint (every file is
 * scanned for secrets) and compiling the parser of each kind given. A caller that first waits on
 * the network or the disk (a pull request's reads, a tree's walk) calls it early, so that set-up
 * overlaps the wait instead of following it. Never throws; a failure shows where it is needed.
 */
export function prepareAnalysis(kinds: Iterable<FileKind> = []): void {
  prepareSecretlint()
  const prepared = new Set<FileKind>()
  for (const kind of kinds) {
    if (prepared.has(kind)) continue
    prepared.add(kind)
    languageOf(kind)?.prepare?.()
  }
}

/**
 * Per-file results for files that hold whole context groups (folders: a Terraform module, a
 * manifest folder): the context is built from them once. A context-only file is reported on
 * only where a value from a changed file of its module makes it wrong.
 */
export async function analyzeGroupFiles(files: SourceFile[], run: RunInfo = {}): Promise<AnalysisResult[]> {
  // The parsers compile on V8's threads while this one builds the manifest context.
  prepareAnalysis(files.map((f) => f.kind))
  const project = await buildProjectContext(files, run)
  const out: AnalysisResult[] = []
  for (const file of files) {
    if (file.contextOnly) out.push({ findings: await contextOnlyFindings(file, project), notes: [], secrets: [] })
    else out.push(await analyzeFile(file, project))
  }
  return out
}

function contextOnlyFindings(file: SourceFile, project: ProjectContext): Finding[] | Promise<Finding[]> {
  const language = languageOf(file.kind)
  if (!language?.analyzeContextOnly || project.byKind[file.kind] === undefined) return []
  return language.analyzeContextOnly(file, reporterFor(language.rules, file.path, language.kind), project.byKind[file.kind])
}

/** Files at least this large are analysed in a worker thread under a time budget. */
export const WORKER_MIN_BYTES = 256 * 1024

/** How long the analysis of one large file may take before it is stopped and becomes a note. */
export const ANALYSIS_BUDGET_MS = 20_000

export interface AnalyzeOptions {
  /** Files of at least this many bytes go to a terminable worker (default WORKER_MIN_BYTES). */
  workerMinBytes?: number
  /** Time budget per file analysed in a worker (default ANALYSIS_BUDGET_MS). */
  budgetMs?: number
  /** Worker threads for the other files (default: 1 for small inputs, one per core for large ones). */
  threads?: number
  /** Helm charts: rendering options and manifests rendered by an earlier step. */
  helm?: HelmOptions
  /** `owner/name` of the repository the files belong to, when known (its own actions are not third-party code). */
  repository?: string
  /** Results of earlier runs (./result-cache.ts): only the context groups it does not hold are analysed, and it is saved. */
  cache?: ResultCache
}

/**
 * Analyzes many files; one broken file never stops the others, and the result does not depend
 * on how the work was spread. Large files (on any input, even a three-file pull request) run in
 * a worker thread of their own, one after another, each stopped when its budget runs out
 * (./large-files.ts), while this thread analyses the rest; large trees are spread over a
 * pool of worker threads (./pool.ts). PREFLIGHT_WORKER_MIN_BYTES, PREFLIGHT_ANALYSIS_BUDGET_MS
 * and PREFLIGHT_THREADS override the defaults, so tests can drive the bundled CLI.
 */
export function analyzeFiles(files: SourceFile[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  return withLoopHeld(() => analyzeFileList(files, options))
}

async function analyzeFileList(files: SourceFile[], options: AnalyzeOptions): Promise<AnalysisResult> {
  const workerMinBytes = options.workerMinBytes ?? envNumber('PREFLIGHT_WORKER_MIN_BYTES') ?? WORKER_MIN_BYTES
  const budgetMs = options.budgetMs ?? envNumber('PREFLIGHT_ANALYSIS_BUDGET_MS') ?? ANALYSIS_BUDGET_MS
  const worker = workerEntry()
  // Decided once per file. A binary file or one over the size limit is only a note: no worker needed.
  const large = files.map((file) => {
    if (worker === undefined || file.content.length * 3 < workerMinBytes) return false
    const bytes = Buffer.byteLength(file.content, 'utf8')
    return bytes >= workerMinBytes && bytes <= MAX_FILE_BYTES && !file.content.includes('\u0000')
  })
  const results: AnalysisResult[] = new Array(files.length)
  const rest = files.map((_, i) => i).filter((i) => !large[i])
  const restFiles = rest.map((i) => files[i])
  // Every path of the list, so a file's rules can see what sits around it (a Dockerfile's lockfile),
  // and the images the list's files build, which a Dockerfile in another folder may start FROM.
  const run: RunInfo = { repository: options.repository, listed: new Set(files.map((f) => f.path)), builtImages: builtImages(files) }
  // What an earlier run already analysed with the same inputs is not analysed again.
  const plan = options.cache?.plan(restFiles, run)
  const todo = plan ? plan.missing.map((i) => restFiles[i]) : restFiles
  const threads = threadsFor(todo, options.threads ?? envNumber('PREFLIGHT_THREADS'))
  // Large files in a budgeted worker of their own, at the same time as the rest on this thread.
  // Their folder comes along as context, so the worker sees what this thread would.
  const { jobs: largeFileJobs, order: largeIndexes } = largeJobs(files, large)
  const largeResults = worker !== undefined && largeIndexes.length > 0 ? analyzeLargeFiles(worker, largeFileJobs, budgetMs, run) : undefined
  const pooled = worker !== undefined && threads > 1 ? analyzeInPool(worker, todo, threads, (share) => analyzeGroupFiles(share, run), run) : undefined
  const fresh = pooled ? await pooled : todo.length > 0 ? await analyzeGroupFiles(todo, run) : []
  const restResults = plan ? plan.complete(fresh) : fresh
  restResults.forEach((r, k) => (results[rest[k]] = r))
  if (largeResults) {
    // This thread is free now: the large files left may take a second worker.
    largeResults.helpOut()
    ;(await largeResults.results).forEach((r, k) => (results[largeIndexes[k]] = r))
  }
  const out: AnalysisResult = { findings: [], notes: [], secrets: [] }
  for (const r of results) {
    out.findings.push(...r.findings)
    out.notes.push(...r.notes)
    out.secrets.push(...r.secrets)
  }
  // Kept once every secret of the run is known, before anything below changes a finding.
  plan?.keep(out.secrets, largeIndexes.length > 0)
  out.findings = lowerOffByDefault(out.findings, files)
  // Charts are rendered as a whole, once per analysis, never file by file.
  try {
    const charts = await analyzeCharts(files, options.helm)
    // A chart kept as a test's input (`testdata/`, `tests/`) is lowered as a file there would be, and
    // one in a local development setup is at most medium. Not a values file under `.github/`: a
    // deploy job may install a chart with it (`helm upgrade -f .github/values-production.yaml`).
    for (const f of charts.findings) out.findings.push(forTestPath(f, isTestPath(f.path) && !isCiInput(f.path)))
    out.notes.push(...charts.notes)
  } catch (e) {
    out.notes.push({ path: '.', reason: 'error', message: `Helm charts were not analysed: ${(e as Error)?.message ?? String(e)}` })
  }
  out.findings.sort(compareFindings)
  return out
}

/**
 * One job per folder holding large files (folders in order of their first large file), with the
 * folder's other files as context, and the indexes of the large files in the jobs' order.
 */
function largeJobs(files: SourceFile[], large: boolean[]): { jobs: LargeFileJob[]; order: number[] } {
  const byFolder = new Map<string, { job: LargeFileJob; indexes: number[] }>()
  files.forEach((f, i) => {
    if (!large[i]) return
    const folder = folderOf(f.path)
    const entry = byFolder.get(folder) ?? { job: { files: [], context: [] }, indexes: [] }
    entry.job.files.push(f)
    entry.indexes.push(i)
    byFolder.set(folder, entry)
  })
  // Each folder's other files, in one pass over the list.
  files.forEach((f, i) => {
    if (!large[i]) byFolder.get(folderOf(f.path))?.job.context.push(f)
  })
  const entries = [...byFolder.values()]
  return { jobs: entries.map((e) => e.job), order: entries.flatMap((e) => e.indexes) }
}

function envNumber(name: string): number | undefined {
  const raw = process.env[name]
  if (raw === undefined || raw.trim() === '') return undefined
  const n = Number(raw)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

/**
 * The bundled worker entry (dist/rules-worker.js), from this code in dist/ or in a chunk under
 * dist/chunks/. Run from the TypeScript sources (tests) there is none: files are analysed in
 * this thread, without a budget.
 */
function workerEntry(): URL | undefined {
  for (const candidate of ['./rules-worker.js', '../rules-worker.js']) {
    const url = new URL(candidate, import.meta.url)
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url
  }
  return undefined
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    // Equal paths (most pairs a sort compares) skip the locale-aware comparison; it says 0 for them too.
    (a.path === b.path ? 0 : a.path.localeCompare(b.path)) ||
    a.line - b.line ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (a.ruleId === b.ruleId ? 0 : a.ruleId.localeCompare(b.ruleId))
  )
}

/**
 * Drops exact repeats, and a generic `secrets/*` finding where a rule of the file's own kind
 * already reports a secret on the same line (the specific rule says more about the fix).
 */
function dedupeFindings(findings: Finding[]): Finding[] {
  // The first finding of each rule, path and line, found among the few findings of its line: a
  // number key, no string built per finding.
  const firstByLine = new Map<number, Finding[]>()
  const kept: Finding[] = []
  let generic = false
  for (const f of findings) {
    const onLine = firstByLine.get(f.line)
    if (onLine?.some((g) => g.ruleId === f.ruleId && g.path === f.path)) continue
    if (onLine) onLine.push(f)
    else firstByLine.set(f.line, [f])
    kept.push(f)
    if (f.ruleId.startsWith('secrets/')) generic = true
  }
  if (!generic) return kept
  const specificSecretLines = new Set(
    findings.filter((f) => f.category === 'secrets' && !f.ruleId.startsWith('secrets/')).map((f) => `${f.path}\u0000${f.line}`)
  )
  return kept.filter((f) => !(f.ruleId.startsWith('secrets/') && specificSecretLines.has(`${f.path}\u0000${f.line}`)))
}
