/** `preflight audit <path>`: every rule plus the cost audit on a local tree, as JSON or Markdown. */
import { readImports } from '../import/index.js'
import { toNumber } from '../import/decimal.js'
import { renderCostSection } from '../render/cost.js'
import type { AuditResult } from '../cost/audit.js'
import { resolve } from 'node:path'
import { FAIL_ON, list, meetsFailOn, type FailOn } from '../config.js'
import { EXIT, UsageError, type CliIo } from '../cli/io.js'
import { auditTree } from '../cost/audit.js'
import { applySettingsToAudit } from '../settings/audit.js'
import type { RepositorySettings } from '../settings/repository.js'

function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}

function wholeNumber(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got '${raw}'`)
  return Number(raw)
}

export async function runAudit(args: string[], values: Record<string, unknown>, io: CliIo, settings?: RepositorySettings): Promise<number> {
  try {
    return await audit(args, values, io, settings)
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    io.stderr(`preflight: ${e.message}\n`)
    return EXIT.usage
  }
}

async function audit(args: string[], values: Record<string, unknown>, io: CliIo, repoSettings?: RepositorySettings): Promise<number> {
  if (args.length !== 1) throw new UsageError('audit takes one path')
  const format = stringOption(values, 'format') ?? 'json'
  if (format !== 'json' && format !== 'markdown') throw new UsageError(`--format must be one of json, markdown, got '${format}'`)
  const failOn = (stringOption(values, 'fail-on') ?? 'none').toLowerCase()
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, got '${failOn}'`)
  const shardTotal = wholeNumber(stringOption(values, 'shard-total'), 'shard-total', 1)
  const shardIndex = wholeNumber(stringOption(values, 'shard-index'), 'shard-index', 0)
  if (shardTotal < 1) throw new UsageError('--shard-total must be at least 1')
  if (shardIndex >= shardTotal) throw new UsageError(`--shard-index must be below --shard-total (${shardTotal}), got ${shardIndex}`)

  const root = resolve(io.cwd, args[0]!)
  const pathsIgnore = repoSettings?.settings.pathsIgnore ?? list(stringOption(values, 'paths-ignore') ?? '')
  const audited = await auditTree(root, { pathsIgnore, shardIndex, shardTotal }).catch((e: Error) => {
    throw new UsageError(`cannot audit ${args[0]}: ${e.message}`)
  })
  const settled = repoSettings ? await applySettingsToAudit(root, audited, repoSettings) : audited
  const result = await withInfracost(settled, stringOption(values, 'infracost'), io)
  for (const n of result.notes) if (n.reason !== 'ignored') io.stderr(`note: ${n.message}\n`)
  io.stdout(format === 'json' ? JSON.stringify(result, null, 2) + '\n' : result.report)
  const gate = stringOption(values, 'fail-on') === undefined && repoSettings ? repoSettings.settings.failOn : (failOn as FailOn)
  return result.findings.some((f) => meetsFailOn(f.severity, gate)) ? EXIT.failOn : EXIT.ok
}

/**
 * With `--infracost`, the audit's monthly total is Infracost's (priced from the real plan) and
 * its report shows Infracost's table; savings still come from Preflight's own rules and prices.
 */
async function withInfracost(result: AuditResult, file: string | undefined, io: CliIo): Promise<AuditResult> {
  if (!file) return result
  const imports = await readImports({ sarif: [], infracost: file }, { root: io.cwd, knownPaths: new Set(), files: [], cost: {} })
  for (const n of imports.notes) io.stderr(`note: ${n.message}\n`)
  const cost = imports.cost
  if (!cost) return result
  const estimate = {
    ...result.estimate,
    monthlyCostUsd: toNumber(cost.monthly),
    assumptions: [`Monthly cost from Infracost (${file}); savings from Preflight's price table.`, ...result.estimate.assumptions]
  }
  return { ...result, estimate, report: `${result.report.trimEnd()}\n\n${renderCostSection(cost).join('\n')}\n` }
}
