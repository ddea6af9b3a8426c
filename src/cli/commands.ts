/**
 * The verbs of the `preflight` CLI (./main.ts parses the command line and loads this module when
 * a verb runs): scan, review, route, audit, baseline, agents. What only some verbs use (git, the
 * personas, the review pipeline, the model clients, the audit) is imported inside them, so a
 * scan does not load it.
 */
import { existsSync, realpathSync, statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { FileNote, Finding, Persona, ReviewResult, Severity } from '../types.js'
import { FAIL_ON, meetsFailOn, list, type FailOn } from '../config.js'
import { listFiles, readTree } from '../changes/tree.js'
import { analyzeFiles, ALL_RULES, prepareAnalysis } from '../rules/index.js'
import type { ResultCache } from '../rules/result-cache.js'
import { countedFindings } from '../checklist/verdict.js'
import { sarifText } from '../render/sarif.js'
import { renderScanMarkdown, reviewJson } from '../render/report.js'
import { redact, redactedJson } from '../redact.js'
import { hasImports, NO_IMPORTS, readImports, withImports, type ImportContext, type Imports } from '../import/index.js'
import { formatMoney } from '../import/decimal.js'
import { renderCostSection } from '../render/cost.js'
import type { CostReport } from '../types.js'
import { applySettings, describeSuppressed, SETTINGS_RULES } from '../settings/apply.js'
import { loadRepositorySettings, readFromDir, type RepositorySettings } from '../settings/repository.js'
import type { SettingsInputs } from '../settings/load.js'
import { suggest, type Values } from './main.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { VERSION } from '../version.js'

/** Text on a terminal, JSON when piped; --format always wins. */
export function format(v: Values, allowed: string[], text: string, io: Pick<CliIo, 'stdoutIsTTY'>): string {
  const f = v.format ?? (io.stdoutIsTTY ? text : 'json')
  if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, got '${f}'`)
  return f
}

export function failOnOf(v: Values): FailOn | undefined {
  if (v['fail-on'] === undefined) return undefined
  const f = v['fail-on'].toLowerCase()
  if (!(FAIL_ON as readonly string[]).includes(f)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, got '${f}'`)
  return f as FailOn
}

function settingsInputs(v: Values): SettingsInputs {
  const failOn = failOnOf(v)
  return { ...(failOn ? { failOn } : {}), pathsIgnore: list(v['paths-ignore'] ?? '') }
}

async function localSettings(root: string, v: Values, io: CliIo): Promise<RepositorySettings> {
  const isDir = (() => {
    try {
      return statSync(root).isDirectory()
    } catch {
      return false
    }
  })()
  const loaded = isDir ? await loadRepositorySettings(readFromDir(root), settingsInputs(v)) : await loadRepositorySettings(async () => undefined, settingsInputs(v))
  for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`)
  return loaded
}

function exitFor(findings: Finding[], failOn: FailOn): number {
  return countedFindings(findings).some((f) => meetsFailOn(f.severity as Severity, failOn)) ? EXIT.failOn : EXIT.ok
}

function onePath(verb: string, args: string[], fallback?: string): string {
  if (args.length === 0 && fallback !== undefined) return fallback
  if (args.length !== 1) throw new UsageError(`${verb} takes one path${args.length ? `, got ${args.length}: ${args.join(' ')}` : ` (preflight ${verb} <path>)`}`)
  return args[0]!
}

function noPositionals(verb: string, args: string[]): void {
  if (args.length) throw new UsageError(`${verb} takes no path (got '${args[0]}'); use --repo DIR`)
}

// ── scan ───────────────────────────────────────────────────────────────────────────────────

export async function scanCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  const path = onePath('scan', args)
  const fmt = format(v, ['json', 'markdown', 'sarif'], 'markdown', io)
  const root = resolve(io.cwd, path)
  const { settings, baseline } = await localSettings(root, v, io)
  const started = performance.now()
  // secretlint's modules load while the tree is read.
  prepareAnalysis()
  let tree
  try {
    tree = await readTree(root, { pathsIgnore: settings.pathsIgnore })
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`)
  }
  const renderedDir = v['helm-rendered-dir'] ? resolve(io.cwd, v['helm-rendered-dir']) : undefined
  const imports = await importsFor(v, io, { knownPaths: new Set(tree.listed.map((f) => f.path)), files: tree.files, cost: settings.cost })
  // The plan's variable values, when given, are read as context: the rules see what the plan used.
  // The repository's own actions are not third-party code: only the workflow rules ask, so a tree
  // without workflows runs no `git`.
  const repository = tree.files.some((f) => f.kind === 'workflow') ? await (await import('../changes/git.js')).repositoryOfFolder(root, process.env) : undefined
  const cache = await resultCacheFor(v, root, io)
  const analysis = await analyzeFiles([...tree.files, ...imports.contextFiles], { helm: { renderedDir }, repository, cache: cache?.cache })
  const cacheNotes = await cache?.close()
  const applied = applySettings(withImports(analysis.findings, imports, ALL_RULES), { settings, baseline, files: tree.files, secrets: analysis.secrets })
  const ms = Math.round(performance.now() - started)
  const notes = [...tree.notes, ...analysis.notes, ...imports.notes, ...(cacheNotes ?? [])]
  const secrets = analysis.secrets
  for (const n of notes) io.stderr(`note: ${redact(n.message, secrets)}\n`)
  if (tree.binary) io.stderr(`note: ${binaryFiles(tree.binary)} (images, archives, compiled code and the like) listed, not analyzed\n`)
  if (fmt === 'json') {
    const out = { findings: applied.findings, suppressed: applied.suppressed, files: tree.listed, notes, stats: { files: tree.listed.length, ms, ...(tree.binary ? { binary: tree.binary } : {}), ...(cache?.cache ? { cache: { groups: cache.cache.stats.groups, hits: cache.cache.stats.hits } } : {}) }, ...(imports.cost ? { cost: costJson(imports.cost) } : {}) }
    writeLine(io, redactedJson(out, secrets, 2))
  } else if (fmt === 'sarif') {
    writeLine(io, sarifText([...applied.findings, ...applied.suppressed], { version: VERSION, rules: [...ALL_RULES, ...SETTINGS_RULES] }, secrets))
  } else {
    const tail = applied.suppressed.length ? `\n${describeSuppressed(applied.suppressed)}.\n` : ''
    const cost = imports.cost ? `\n${renderCostSection(imports.cost).join('\n')}\n` : ''
    const binary = tree.binary ? `\n${binaryFiles(tree.binary)} not analyzed (binary).\n` : ''
    io.stdout(redact(renderScanMarkdown(applied.findings, tree.listed, notes) + binary + tail + cost, secrets) + '\n')
  }
  return exitFor(applied.findings, settings.failOn)
}

const binaryFiles = (n: number) => `${n} binary file${n === 1 ? '' : 's'}`

/**
 * The result cache a scan asked for (`--cache`, `--cache-location`), and `close`, which saves it and
 * gives what went wrong as notes: a cache that cannot be used or written only costs time.
 */
async function resultCacheFor(v: Values, root: string, io: CliIo): Promise<{ cache?: ResultCache; close: () => Promise<FileNote[]> } | undefined> {
  if (!v.cache && v['cache-location'] === undefined) return undefined
  const note = (message: string): FileNote => ({ path: '.', reason: 'error', message })
  const unused = (why: string) => ({ close: async () => [note(`the result cache was not used: ${why}`)] })
  let cache: ResultCache
  let file: string
  try {
    const { defaultCacheFile, openResultCache, userResultCacheDir } = await import('../rules/result-cache.js')
    file = v['cache-location'] ? resolve(io.cwd, v['cache-location']) : defaultCacheFile(root, io.env)
    // The scanned files are the code under review: a cache among them could be swapped for a
    // link that sends the write elsewhere, and would itself be listed, changing every key.
    if (insideScanned(root, file)) return unused(`${file} is inside the scanned folder; choose a file outside it`)
    // Nor its signing key: a key the scanned code supplies would sign whatever it plants.
    const keyDir = userResultCacheDir(io.env)
    if (insideScanned(root, keyDir)) return unused(`its key folder ${keyDir} is inside the scanned folder; set XDG_CACHE_HOME outside it`)
    cache = await openResultCache(file, keyDir)
  } catch (e) {
    return unused((e as Error).message)
  }
  return {
    cache,
    close: async () => {
      const notes = cache.problem ? [note(cache.problem)] : []
      try {
        await cache.save()
      } catch (e) {
        notes.push(note(`${file}: the result cache could not be written (${(e as Error).message})`))
      }
      return notes
    }
  }
}

/** True when `path` lies in the scanned `root`, as written or through links. */
function insideScanned(root: string, path: string): boolean {
  // The system's realpath, not Node's own: on a case-insensitive disk (macOS, Windows) it also
  // gives each existing folder its stored case, so `./REPO/x` is seen under `./repo`.
  return within(root, path) || within(realpathSync.native(root), realFolderOf(path))
}

/** True when `path` is `folder` or lies under it. */
function within(folder: string, path: string): boolean {
  const rel = relative(folder, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** `file` with its nearest existing folder resolved through links. */
function realFolderOf(file: string): string {
  let folder = dirname(file)
  const rest: string[] = [basename(file)]
  while (!existsSync(folder) && dirname(folder) !== folder) {
    rest.unshift(basename(folder))
    folder = dirname(folder)
  }
  return join(realpathSync.native(folder), ...rest)
}

/**
 * `text` and a newline on stdout. As bytes where the host takes them: TextEncoder into a buffer
 * spares the pass a stream makes to size a string's UTF-8 before writing it, and the copy
 * `text + '\n'` would make of a result of many megabytes. Room for one byte per UTF-16 unit
 * first (results are almost all ASCII), then whatever did not fit at its worst case, 3 bytes
 * per unit: one buffer of the worst case for all of it cost more than the encoding saved.
 */
export function writeLine(io: CliIo, text: string): void {
  if (!io.stdoutBytes) return io.stdout(text + '\n')
  const encoder = new TextEncoder()
  let rest = text
  let room = text.length + 1
  for (;;) {
    const bytes = Buffer.allocUnsafeSlow(room)
    // `read` never ends inside a surrogate pair, so `rest` always starts on a whole character.
    const { read, written } = encoder.encodeInto(rest, bytes)
    if (read === rest.length && written < room) {
      bytes[written] = 0x0a
      return io.stdoutBytes(bytes.subarray(0, written + 1))
    }
    if (written) io.stdoutBytes(bytes.subarray(0, written))
    rest = rest.slice(read)
    room = rest.length * 3 + 1
  }
}

/** Other tools' output named on the command line (relative to the current folder). */
async function importsFor(v: Values, io: CliIo, ctx: Omit<ImportContext, 'root'>): Promise<Imports> {
  const raw = (v as Record<string, unknown>)['import-sarif']
  const inputs = {
    sarif: (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).flatMap((x) => list(String(x))),
    terraformPlan: v['terraform-plan'] || undefined,
    infracost: v.infracost || undefined
  }
  return hasImports(inputs) ? readImports(inputs, { ...ctx, root: io.cwd }) : NO_IMPORTS
}

/** Infracost's figures as JSON: decimal strings to the cent, never floats. */
function costJson(c: CostReport): object {
  const cents = (u: bigint) => formatMoney(u, 'USD').replace(/[$,]/g, '')
  return {
    currency: c.currency,
    monthlyCost: cents(c.monthly),
    ...(c.pastMonthly !== undefined ? { pastMonthlyCost: cents(c.pastMonthly) } : {}),
    ...(c.diffMonthly !== undefined ? { diffMonthlyCost: cents(c.diffMonthly) } : {}),
    top: c.top.map((t) => ({ name: t.name, monthlyCost: cents(t.monthly), ...(t.diff !== undefined ? { diffMonthlyCost: cents(t.diff) } : {}) }))
  }
}

/**
 * What `review --format json` writes (before its newline): the review as DESIGN.md shapes it,
 * redacted with the review's secrets while it is serialised, so a large result is not copied first.
 */
export function reviewJsonText(result: ReviewResult, plan: string, summary: string): string {
  const out = { ...reviewJson(result, plan, summary), suppressed: result.suppressed ?? [], ...(result.cost ? { cost: costJson(result.cost) } : {}) }
  return redactedJson(out, result.secrets, 2)
}

// ── review and route ───────────────────────────────────────────────────────────────────────

function requireRepo(v: Values): { repo: string; base: string; head?: string } {
  if (!v.repo || !v.base) throw new UsageError(`${!v.repo ? '--repo DIR' : '--base REF'} is required (preflight review --repo . --base origin/main)`)
  return { repo: v.repo, base: v.base, head: v.head }
}

function maxAgentsOf(v: Values): number {
  const raw = v['max-agents'] ?? '2'
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--max-agents must be a whole number ≥ 1, got '${raw}'`)
  return Number(raw)
}

async function loadChange(repoDir: string, v: Values, pathsIgnore: string[]) {
  const { base, head } = requireRepo(v)
  const [{ loadLocalChangeSet }, { explainGitProblem }] = await Promise.all([import('../changes/git.js'), import('./git-problems.js')])
  return loadLocalChangeSet(repoDir, base, head, { pathsIgnore }).catch(async (e: Error) => {
    throw await explainGitProblem(repoDir, e, { base, head })
  })
}

/** Bundled personas plus the repository's, read at the base; a named folder must exist there. */
async function personasForRepo(repoDir: string, base: string, v: Values) {
  const given = v['agents-dir'] !== undefined
  const [{ folderAtRef }, { readPersonasAtRef }, { loadPersonaSet }, { readBundledPersonas }] = await Promise.all([
    import('./git-problems.js'),
    import('./personas.js'),
    import('../agents/loader.js'),
    import('../agents/bundled.js')
  ])
  const dirs = list(v['agents-dir'] ?? '.github/agents,.claude/agents')
  if (given) {
    for (const d of dirs) {
      if (!(await folderAtRef(repoDir, base, d))) {
        const onDisk = existsSync(resolve(repoDir, d))
        throw new UsageError(`--agents-dir ${d}: no such folder at ${base}${onDisk ? ' (it exists in the working tree: personas are read from the base, so commit it there)' : ''}`)
      }
    }
  }
  const repository = await readPersonasAtRef(repoDir, base, dirs)
  return loadPersonaSet(readBundledPersonas(), repository)
}

/** A persona named on the command line that does not exist is a mistake, not an empty review. */
function checkForced(personas: Persona[], forced: string[]): void {
  const known = (n: string) => personas.some((p) => p.name === n || p.aliases.includes(n))
  const unknown = forced.filter((n) => !known(n.toLowerCase()))
  if (!unknown.length) return
  const names = personas.flatMap((p) => [p.name, ...p.aliases])
  throw new UsageError(
    `no persona named '${unknown[0]}'${suggest(unknown[0]!.toLowerCase(), names)}; known: ${personas.map((p) => (p.aliases.length ? `${p.name} (${p.aliases.join(', ')})` : p.name)).join(', ')}`
  )
}

export async function reviewCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  noPositionals('review', args)
  const fmt = format(v, ['json', 'markdown'], 'markdown', io)
  const { repo, base } = requireRepo(v)
  const repoDir = resolve(io.cwd, repo)
  const forced = list(v.agents ?? '').map((a) => a.toLowerCase())
  const maxAgents = maxAgentsOf(v)
  const [{ modelRunnerFor }, { runReviewPipeline }, { renderPlan }, { renderSummary }] = await Promise.all([
    import('./model.js'),
    import('../modes/pipeline.js'),
    import('../render/plan.js'),
    import('../render/summary.js')
  ])
  const runner = await modelRunnerFor(v, io)
  const { settings, baseline } = await localSettings(repoDir, v, io)
  const change = await loadChange(repoDir, v, settings.pathsIgnore)
  const loaded = await personasForRepo(repoDir, base, v)
  for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`)
  checkForced(loaded.personas, forced)
  const known = new Set(change.files.map((f) => f.path))
  const imports = await importsFor(v, io, { knownPaths: known, files: change.files.flatMap((f) => (f.content === undefined ? [] : [{ path: f.path, kind: f.kind, content: f.content }])), cost: settings.cost })
  const { repositoryOfFolder } = await import('../changes/git.js')
  const result = await runReviewPipeline(change, loaded.personas, {
    repository: await repositoryOfFolder(repoDir, process.env),
    imports,
    maxAgents,
    forced,
    agentRunner: runner?.run,
    maxCostUsd: runner?.maxCostUsd,
    maxComments: settings.maxComments,
    settings,
    baseline,
    helmRenderedDir: v['helm-rendered-dir'] ? resolve(io.cwd, v['helm-rendered-dir']) : undefined,
    // The model sees the repository's layout (nearest folders first); only worth listing when it runs.
    repositoryPaths: runner ? await listFiles(repoDir).catch(() => undefined) : undefined
  })
  const secrets = result.secrets
  const plan = result.agents.map((a) => renderPlan(a.plan, a.checklist)).join('\n---\n\n')
  const summary = renderSummary(result)
  if (v['plan-out']) {
    const out = resolve(io.cwd, v['plan-out'])
    await mkdir(dirname(out), { recursive: true })
    await writeFile(out, redact(plan, secrets))
  }
  if (fmt === 'json') {
    writeLine(io, reviewJsonText(result, plan, summary))
  } else {
    io.stdout(redact(summary, secrets) + '\n')
  }
  return exitFor(result.findings, settings.failOn)
}

export async function routeCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  noPositionals('route', args)
  const fmt = format(v, ['json', 'text'], 'text', io)
  const { repo, base } = requireRepo(v)
  const repoDir = resolve(io.cwd, repo)
  const forced = list(v.agents ?? '').map((a) => a.toLowerCase())
  const maxAgents = maxAgentsOf(v)
  const { settings } = await localSettings(repoDir, v, io)
  const change = await loadChange(repoDir, v, settings.pathsIgnore)
  const personas = await personasForRepo(repoDir, base, v)
  checkForced(personas.personas, forced)
  const [{ routeAgents, routeInputOf }, { applyPersonaSettings }] = await Promise.all([import('../agents/route.js'), import('../agents/targets.js')])
  const routed = routeAgents(applyPersonaSettings(personas.personas, settings, forced).personas, routeInputOf(change), { maxAgents, forced })
  const warnings = [...personas.warnings, ...routed.warnings]
  if (fmt === 'json') {
    io.stdout(JSON.stringify({ agents: routed.agents.map((a) => ({ name: a.persona.name, score: a.score, reason: a.reason })), files: change.files.map((f) => ({ path: f.path, kind: f.kind })), warnings }, null, 2) + '\n')
  } else {
    for (const w of warnings) io.stderr(`warning: ${w}\n`)
    if (routed.agents.length === 0) io.stdout('No persona would review this change.\n')
    for (const a of routed.agents) io.stdout(`${a.persona.name}: ${a.reason}\n`)
  }
  return EXIT.ok
}

// ── audit and baseline ─────────────────────────────────────────────────────────────────────

export async function auditCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  const path = onePath('audit', args)
  const root = resolve(io.cwd, path)
  const loaded = await localSettings(root, v, io)
  const { runAudit } = await import('../modes/audit-local.js')
  return runAudit([path], { ...v, format: format(v, ['json', 'markdown'], 'markdown', io) }, io, loaded)
}

export async function baselineCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  noPositionals('baseline', args)
  const root = resolve(io.cwd, v.repo ?? '.')
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--repo ${v.repo ?? '.'}: no such folder`)
  const { settings } = await localSettings(root, v, io)
  prepareAnalysis()
  const tree = await readTree(root, { pathsIgnore: settings.pathsIgnore })
  const analysis = await analyzeFiles(tree.files)
  // What settings and inline suppressions already silence needs no baseline entry.
  const applied = applySettings(analysis.findings, { settings, files: tree.files, secrets: analysis.secrets })
  const { BASELINE_PATH, buildBaseline } = await import('../settings/baseline.js')
  const baseline = buildBaseline(applied.findings, tree.files, analysis.secrets)
  const out = v.out ? resolve(io.cwd, v.out) : join(root, BASELINE_PATH)
  await mkdir(dirname(out), { recursive: true })
  await writeFile(out, JSON.stringify(baseline, null, 2) + '\n')
  const shown = relative(io.cwd, out) || out
  io.stderr(`Wrote ${baseline.findings.length} finding fingerprint${baseline.findings.length === 1 ? '' : 's'} to ${shown}; commit it so reviews count only new findings.\n`)
  return EXIT.ok
}

// ── agents ─────────────────────────────────────────────────────────────────────────────────

export async function agentsCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  if (args.length) throw new UsageError(`agents takes no path (got '${args[0]}'); use --agents-dir DIR`)
  const fmt = format(v, ['json', 'text'], 'text', io)
  const dirs = v['agents-dir'] ? list(v['agents-dir']).map((d) => resolve(io.cwd, d)) : []
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UsageError(`--agents-dir ${relative(io.cwd, d) || d}: no such folder`)
  }
  const { loadLocalPersonas } = await import('./personas.js')
  const loaded = loadLocalPersonas(dirs)
  for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`)
  const agents = loaded.personas.map((p) => ({
    name: p.name,
    displayName: p.displayName,
    aliases: p.aliases,
    description: p.description,
    model: p.model ?? null,
    triggers: p.triggers,
    checklist: p.checklist,
    source: p.source,
    origin: p.origin,
    ...(p.replaces ? { replaces: p.replaces } : {})
  }))
  if (fmt === 'json') {
    io.stdout(JSON.stringify({ agents, warnings: loaded.warnings }, null, 2) + '\n')
  } else {
    for (const a of agents) {
      io.stdout(`${a.name}${a.aliases.length ? ` (${a.aliases.join(', ')})` : ''} — model ${a.model ?? 'inherit'}, ${a.checklist.length} checklist items, ${a.source}${a.replaces ? ` (replaces bundled ${a.replaces})` : ''}\n`)
      io.stdout(`  ${a.description.split('\n')[0]!.slice(0, 160)}\n`)
      io.stdout(`  triggers: ${[...a.triggers.files, ...a.triggers.keywords].join(', ') || 'none'}\n`)
    }
  }
  return EXIT.ok
}
