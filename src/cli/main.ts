/**
 * `preflight scan|review|audit|baseline|agents|route`: the pipeline on a local directory or git
 * repo. Returns an exit code; only src/cli.ts turns it into the process's exit. Every misuse is
 * one line on stderr that names the fix, exit 2; never a stack trace (PREFLIGHT_DEBUG=1 adds it).
 */
import { parseArgs } from 'node:util'
import { existsSync, statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { closest, distance } from 'fastest-levenshtein'
import type { Finding, Persona, Severity } from '../types.js'
import { FAIL_ON, meetsFailOn, list, type FailOn } from '../config.js'
import { listFiles, readTree } from '../changes/tree.js'
import { loadLocalChangeSet, repositoryOfFolder } from '../changes/git.js'
import { analyzeFiles, ALL_RULES } from '../rules/index.js'
import { routeAgents, routeInputOf } from '../agents/route.js'
import { loadPersonaSet } from '../agents/loader.js'
import { readBundledPersonas } from '../agents/bundled.js'
import { runReviewPipeline } from '../modes/pipeline.js'
import { renderSummary } from '../render/summary.js'
import { countedFindings } from '../checklist/verdict.js'
import { renderPlan } from '../render/plan.js'
import { renderSarif } from '../render/sarif.js'
import { renderScanMarkdown, reviewJson } from '../render/report.js'
import { redact, redactDeep } from '../redact.js'
import { hasImports, NO_IMPORTS, readImports, withImports, type ImportContext, type Imports } from '../import/index.js'
import { formatMoney } from '../import/decimal.js'
import { renderCostSection } from '../render/cost.js'
import type { CostReport } from '../types.js'
import { runAudit } from '../modes/audit-local.js'
import { applySettings, describeSuppressed, SETTINGS_RULES } from '../settings/apply.js'
import { loadRepositorySettings, readFromDir, type RepositorySettings } from '../settings/repository.js'
import { applyPersonaSettings } from '../agents/targets.js'
import { BASELINE_PATH, buildBaseline } from '../settings/baseline.js'
import { SettingsError, type SettingsInputs } from '../settings/load.js'
import { loadLocalPersonas, readPersonasAtRef } from './personas.js'
import { explainGitProblem, folderAtRef } from './git-problems.js'
import { modelRunnerFor } from './model.js'
import { checkFlagsFor, FLAGS, helpText, PARSE_OPTIONS, VERBS, type Verb } from './options.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { VERSION } from '../version.js'

type Values = Partial<Record<keyof typeof FLAGS | 'help' | 'version', string | boolean>> & {
  [K in keyof typeof FLAGS as (typeof FLAGS)[K]['type'] extends 'string' ? K : never]?: string
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parse(argv)
    const v = values as Values
    if (v.version) {
      io.stdout(VERSION + '\n')
      return EXIT.ok
    }
    const [command, ...rest] = positionals
    if (!command || command === 'help') {
      io.stdout(helpText(VERSION) + '\n')
      return command || v.help ? EXIT.ok : EXIT.usage
    }
    if (!(VERBS as readonly string[]).includes(command)) {
      throw new UsageError(`unknown command '${command}'${suggest(command, VERBS)}; expected one of ${VERBS.join(', ')}`)
    }
    const verb = command as Verb
    if (v.help) {
      io.stdout(helpText(VERSION, verb) + '\n')
      return EXIT.ok
    }
    checkFlagsFor(verb, Object.keys(values).filter((k) => values[k] !== undefined))
    switch (verb) {
      case 'scan':
        return await scanCommand(rest, v, io)
      case 'review':
        return await reviewCommand(rest, v, io)
      case 'audit':
        return await auditCommand(rest, v, io)
      case 'baseline':
        return await baselineCommand(rest, v, io)
      case 'agents':
        return agentsCommand(rest, v, io)
      case 'route':
        return await routeCommand(rest, v, io)
    }
  } catch (e) {
    const err = e as Error
    const known = e instanceof UsageError || e instanceof SettingsError
    for (const line of (known ? err.message : (err.message ?? String(e)).split('\n')[0]!).split('\n')) io.stderr(`preflight: ${line}\n`)
    if (io.env.PREFLIGHT_DEBUG && err.stack) io.stderr(err.stack + '\n')
    return EXIT.usage
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: true })
  } catch (e) {
    const err = e as Error & { code?: string }
    const option = /'(-[^' ]+)/.exec(err.message)?.[1] ?? ''
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = option.replace(/^-+/, '').split('=')[0]
      throw new UsageError(`unknown option ${option}${suggest(name, Object.keys(PARSE_OPTIONS), '--')}; see preflight --help`)
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = /--([a-z-]+)/.exec(err.message)?.[1]
      const flag = name ? (FLAGS as Record<string, { type: string }>)[name] : undefined
      if (flag?.type === 'boolean') throw new UsageError(`--${name} takes no value`)
      throw new UsageError(`--${name ?? option} needs a value`)
    }
    if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`unexpected argument: ${err.message}`)
    throw new UsageError(err.message.split('\n')[0]!)
  }
}

function suggest(word: string, candidates: readonly string[], prefix = ''): string {
  if (!word || !candidates.length) return ''
  const best = closest(word, [...candidates])
  return distance(word, best) <= Math.max(2, Math.ceil(word.length / 3)) ? ` (did you mean ${prefix}${best}?)` : ''
}

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

async function scanCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  const path = onePath('scan', args)
  const fmt = format(v, ['json', 'markdown', 'sarif'], 'markdown', io)
  const root = resolve(io.cwd, path)
  const { settings, baseline } = await localSettings(root, v, io)
  const started = performance.now()
  let tree
  try {
    tree = await readTree(root, { pathsIgnore: settings.pathsIgnore })
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`)
  }
  const renderedDir = v['helm-rendered-dir'] ? resolve(io.cwd, v['helm-rendered-dir']) : undefined
  const imports = await importsFor(v, io, { knownPaths: new Set(tree.listed.map((f) => f.path)), files: tree.files, cost: settings.cost })
  // The plan's variable values, when given, are read as context: the rules see what the plan used.
  const repository = await repositoryOfFolder(root, process.env)
  const analysis = await analyzeFiles([...tree.files, ...imports.contextFiles], { helm: { renderedDir }, repository })
  const applied = applySettings(withImports(analysis.findings, imports, ALL_RULES), { settings, baseline, files: tree.files, secrets: analysis.secrets })
  const ms = Math.round(performance.now() - started)
  const notes = [...tree.notes, ...analysis.notes, ...imports.notes]
  const secrets = analysis.secrets
  for (const n of notes) io.stderr(`note: ${redact(n.message, secrets)}\n`)
  if (fmt === 'json') {
    const out = { findings: applied.findings, suppressed: applied.suppressed, files: tree.listed, notes, stats: { files: tree.listed.length, ms }, ...(imports.cost ? { cost: costJson(imports.cost) } : {}) }
    io.stdout(JSON.stringify(redactDeep(out, secrets), null, 2) + '\n')
  } else if (fmt === 'sarif') {
    const sarif = renderSarif([...applied.findings, ...applied.suppressed], { version: VERSION, rules: [...ALL_RULES, ...SETTINGS_RULES] })
    io.stdout(JSON.stringify(redactDeep(sarif, secrets), null, 2) + '\n')
  } else {
    const tail = applied.suppressed.length ? `\n${describeSuppressed(applied.suppressed)}.\n` : ''
    const cost = imports.cost ? `\n${renderCostSection(imports.cost).join('\n')}\n` : ''
    io.stdout(redact(renderScanMarkdown(applied.findings, tree.listed, notes) + tail + cost, secrets) + '\n')
  }
  return exitFor(applied.findings, settings.failOn)
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
  return loadLocalChangeSet(repoDir, base, head, { pathsIgnore }).catch(async (e: Error) => {
    throw await explainGitProblem(repoDir, e, { base, head })
  })
}

/** Bundled personas plus the repository's, read at the base; a named folder must exist there. */
async function personasForRepo(repoDir: string, base: string, v: Values) {
  const given = v['agents-dir'] !== undefined
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

async function reviewCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  noPositionals('review', args)
  const fmt = format(v, ['json', 'markdown'], 'markdown', io)
  const { repo, base } = requireRepo(v)
  const repoDir = resolve(io.cwd, repo)
  const forced = list(v.agents ?? '').map((a) => a.toLowerCase())
  const maxAgents = maxAgentsOf(v)
  const runner = modelRunnerFor(v, io)
  const { settings, baseline } = await localSettings(repoDir, v, io)
  const change = await loadChange(repoDir, v, settings.pathsIgnore)
  const loaded = await personasForRepo(repoDir, base, v)
  for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`)
  checkForced(loaded.personas, forced)
  const known = new Set(change.files.map((f) => f.path))
  const imports = await importsFor(v, io, { knownPaths: known, files: change.files.flatMap((f) => (f.content === undefined ? [] : [{ path: f.path, kind: f.kind, content: f.content }])), cost: settings.cost })
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
    io.stdout(JSON.stringify(redactDeep({ ...reviewJson(result, plan, summary), suppressed: result.suppressed ?? [], ...(result.cost ? { cost: costJson(result.cost) } : {}) }, secrets), null, 2) + '\n')
  } else {
    io.stdout(redact(summary, secrets) + '\n')
  }
  return exitFor(result.findings, settings.failOn)
}

async function routeCommand(args: string[], v: Values, io: CliIo): Promise<number> {
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

async function auditCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  const path = onePath('audit', args)
  const root = resolve(io.cwd, path)
  const loaded = await localSettings(root, v, io)
  return runAudit([path], { ...v, format: format(v, ['json', 'markdown'], 'markdown', io) }, io, loaded)
}

async function baselineCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  noPositionals('baseline', args)
  const root = resolve(io.cwd, v.repo ?? '.')
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--repo ${v.repo ?? '.'}: no such folder`)
  const { settings } = await localSettings(root, v, io)
  const tree = await readTree(root, { pathsIgnore: settings.pathsIgnore })
  const analysis = await analyzeFiles(tree.files)
  // What settings and inline suppressions already silence needs no baseline entry.
  const applied = applySettings(analysis.findings, { settings, files: tree.files, secrets: analysis.secrets })
  const baseline = buildBaseline(applied.findings, tree.files, analysis.secrets)
  const out = v.out ? resolve(io.cwd, v.out) : join(root, BASELINE_PATH)
  await mkdir(dirname(out), { recursive: true })
  await writeFile(out, JSON.stringify(baseline, null, 2) + '\n')
  const shown = relative(io.cwd, out) || out
  io.stderr(`Wrote ${baseline.findings.length} finding fingerprint${baseline.findings.length === 1 ? '' : 's'} to ${shown}; commit it so reviews count only new findings.\n`)
  return EXIT.ok
}

// ── agents ─────────────────────────────────────────────────────────────────────────────────

function agentsCommand(args: string[], v: Values, io: CliIo): number {
  if (args.length) throw new UsageError(`agents takes no path (got '${args[0]}'); use --agents-dir DIR`)
  const fmt = format(v, ['json', 'text'], 'text', io)
  const dirs = v['agents-dir'] ? list(v['agents-dir']).map((d) => resolve(io.cwd, d)) : []
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UsageError(`--agents-dir ${relative(io.cwd, d) || d}: no such folder`)
  }
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
