/**
 * `preflight scan|review|audit|agents|route`: the pipeline on a local directory or git repo.
 * Returns an exit code; only src/cli.ts turns it into the process's exit.
 */
import { parseArgs } from 'node:util'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Finding, Severity } from '../types.js'
import { FAIL_ON, meetsFailOn, list, type FailOn } from '../config.js'
import { listFiles, readTree } from '../changes/tree.js'
import { loadLocalChangeSet } from '../changes/git.js'
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
import { createAgentRunnerFromEnv } from '../llm/runner.js'
import { runAudit } from '../modes/audit-local.js'
import { loadLocalPersonas, readPersonasAtRef } from './personas.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { VERSION } from '../version.js'

const HELP = `preflight ${VERSION} — reviews infrastructure changes with agent personas and a deterministic checklist

Usage:
  preflight scan <path> [--format json|markdown|sarif] [--fail-on SEVERITY] [--paths-ignore GLOBS]
                   [--helm-rendered-dir DIR]
  preflight review --repo DIR --base REF [--head REF] [--format json|markdown] [--plan-out FILE]
                   [--agents NAMES] [--max-agents N] [--agents-dir DIRS] [--fail-on SEVERITY]
                   [--helm-rendered-dir DIR]
  preflight audit <path> [--format json|markdown] [--shard-index I --shard-total N]
  preflight agents [--agents-dir DIR] [--format json|text]
  preflight route --repo DIR --base REF [--head REF] [--format json|text]

With ANTHROPIC_API_KEY set (and ANTHROPIC_BASE_URL where given), review runs the personas
through the model; otherwise everything is deterministic and offline.
Exit codes: 0 ran, 1 --fail-on severity met, 2 bad usage or input.`

const OPTIONS = {
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  'paths-ignore': { type: 'string' },
  'helm-rendered-dir': { type: 'string' },
  repo: { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  'plan-out': { type: 'string' },
  agents: { type: 'string' },
  'max-agents': { type: 'string' },
  'agents-dir': { type: 'string' },
  'shard-index': { type: 'string' },
  'shard-total': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' }
} as const

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string }

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
    const v = values as Values
    const [command, ...rest] = positionals
    if (v.version) {
      io.stdout(VERSION + '\n')
      return EXIT.ok
    }
    if (v.help || !command || command === 'help') {
      io.stdout(HELP + '\n')
      return command || v.help ? EXIT.ok : EXIT.usage
    }
    switch (command) {
      case 'scan':
        return await scanCommand(rest, v, io)
      case 'review':
        return await reviewCommand(v, io)
      case 'audit':
        return await runAudit(rest, v, io)
      case 'agents':
        return agentsCommand(v, io)
      case 'route':
        return await routeCommand(v, io)
      default:
        throw new UsageError(`unknown command '${command}' (expected scan, review, audit, agents or route)`)
    }
  } catch (e) {
    const err = e as Error & { code?: string }
    const usage = e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')
    io.stderr(`preflight: ${err.message}\n`)
    if (usage) io.stderr('Run `preflight --help` for usage.\n')
    return EXIT.usage
  }
}

export function format(v: Values, allowed: string[], fallback: string): string {
  const f = v.format ?? fallback
  if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, got '${f}'`)
  return f
}

export function failOnOf(v: Values): FailOn {
  const f = (v['fail-on'] ?? 'none').toLowerCase()
  if (!(FAIL_ON as readonly string[]).includes(f)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, got '${f}'`)
  return f as FailOn
}

/** The exit code counts the same findings as the verdict and fail-on (checklist/verdict.ts). */
function exitFor(findings: Finding[], failOn: FailOn): number {
  return countedFindings(findings).some((f) => meetsFailOn(f.severity as Severity, failOn)) ? EXIT.failOn : EXIT.ok
}

async function scanCommand(args: string[], v: Values, io: CliIo): Promise<number> {
  if (args.length !== 1) throw new UsageError('scan takes one path')
  const fmt = format(v, ['json', 'markdown', 'sarif'], 'json')
  const failOn = failOnOf(v)
  const root = resolve(io.cwd, args[0])
  const started = performance.now()
  let tree
  try {
    tree = await readTree(root, { pathsIgnore: list(v['paths-ignore'] ?? '') })
  } catch (e) {
    throw new UsageError(`cannot read ${args[0]}: ${(e as Error).message}`)
  }
  const renderedDir = v['helm-rendered-dir'] ? resolve(io.cwd, v['helm-rendered-dir']) : undefined
  const analysis = await analyzeFiles(tree.files, { helm: { renderedDir } })
  const ms = Math.round(performance.now() - started)
  const notes = [...tree.notes, ...analysis.notes]
  for (const n of notes) io.stderr(`note: ${redact(n.message, analysis.secrets)}\n`)
  if (fmt === 'json') {
    const out = { findings: analysis.findings, files: tree.listed, notes, stats: { files: tree.listed.length, ms } }
    io.stdout(JSON.stringify(redactDeep(out, analysis.secrets), null, 2) + '\n')
  } else if (fmt === 'sarif') {
    io.stdout(JSON.stringify(redactDeep(renderSarif(analysis.findings, { version: VERSION, rules: ALL_RULES }), analysis.secrets), null, 2) + '\n')
  } else {
    io.stdout(redact(renderScanMarkdown(analysis.findings, tree.listed, notes), analysis.secrets) + '\n')
  }
  return exitFor(analysis.findings, failOn)
}

function requireRepo(v: Values): { repo: string; base: string; head?: string } {
  if (!v.repo || !v.base) throw new UsageError('--repo and --base are required')
  return { repo: v.repo, base: v.base, head: v.head }
}

function maxAgentsOf(v: Values): number {
  const raw = v['max-agents'] ?? '2'
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--max-agents must be a whole number ≥ 1, got '${raw}'`)
  return Number(raw)
}

async function personasForRepo(repo: string, base: string, v: Values) {
  const dirs = list(v['agents-dir'] ?? '.github/agents,.claude/agents')
  const repository = await readPersonasAtRef(repo, base, dirs)
  return loadPersonaSet(readBundledPersonas(), repository)
}

async function reviewCommand(v: Values, io: CliIo): Promise<number> {
  const fmt = format(v, ['json', 'markdown'], 'json')
  const failOn = failOnOf(v)
  const { repo, base, head } = requireRepo(v)
  const repoDir = resolve(io.cwd, repo)
  const change = await loadLocalChangeSet(repoDir, base, head).catch((e: Error) => {
    throw new UsageError(e.message)
  })
  const personas = await personasForRepo(repoDir, base, v)
  for (const w of personas.warnings) io.stderr(`warning: ${w}\n`)
  const runner = createAgentRunnerFromEnv(io.env, { log: (m) => io.stderr(m + '\n') })
  const result = await runReviewPipeline(change, personas.personas, {
    maxAgents: maxAgentsOf(v),
    forced: list(v.agents ?? ''),
    agentRunner: runner,
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
    io.stdout(JSON.stringify(redactDeep(reviewJson(result, plan, summary), secrets), null, 2) + '\n')
  } else {
    io.stdout(redact(summary, secrets) + '\n')
  }
  return exitFor(result.findings, failOn)
}

function agentsCommand(v: Values, io: CliIo): number {
  const fmt = format(v, ['json', 'text'], 'text')
  const dirs = v['agents-dir'] ? list(v['agents-dir']).map((d) => resolve(io.cwd, d)) : []
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
      io.stdout(`  ${a.description.split('\n')[0].slice(0, 160)}\n`)
      io.stdout(`  triggers: ${[...a.triggers.files, ...a.triggers.keywords].join(', ') || 'none'}\n`)
    }
  }
  return EXIT.ok
}

async function routeCommand(v: Values, io: CliIo): Promise<number> {
  const fmt = format(v, ['json', 'text'], 'text')
  const { repo, base, head } = requireRepo(v)
  const repoDir = resolve(io.cwd, repo)
  const change = await loadLocalChangeSet(repoDir, base, head).catch((e: Error) => {
    throw new UsageError(e.message)
  })
  const personas = await personasForRepo(repoDir, base, v)
  const routed = routeAgents(personas.personas, routeInputOf(change), { maxAgents: maxAgentsOf(v), forced: list(v.agents ?? '') })
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
