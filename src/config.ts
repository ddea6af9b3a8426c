/**
 * The action's inputs, read once into a typed, validated Config. A bad value fails with a
 * message naming the input; nothing downstream reads inputs or the environment again.
 */
import type { Severity } from './types.js'
import { SEVERITIES } from './types.js'
import type { SettingsInputs } from './settings/load.js'

export const MODES = ['auto', 'review', 'command', 'audit', 'audit-merge', 'post'] as const
export type Mode = (typeof MODES)[number]

export const FAIL_ON = ['none', 'critical', 'high', 'medium', 'low'] as const
export type FailOn = (typeof FAIL_ON)[number]

/** Where model calls go (see src/llm/providers.ts). */
export const MODEL_PROVIDERS = ['anthropic', 'bedrock', 'vertex'] as const
export type ModelProvider = (typeof MODEL_PROVIDERS)[number]

export interface Config {
  githubToken: string
  anthropicApiKey?: string
  mode: Mode
  /** Personas forced by name or alias; empty = route automatically. */
  agents: string[]
  /** Repository folders holding persona files, read from the base branch. */
  agentsDirs: string[]
  maxAgents: number
  failOn: FailOn
  /** Template with `{number}` and `{agent}`. */
  planPath: string
  model?: string
  maxCostUsd?: number
  maxInputTokens: number
  /** Inline comments per run; the rest are listed in the summary. */
  maxComments: number
  pathsIgnore: string[]
  /** Manifests rendered from the changed Helm charts by an earlier step. */
  helmRenderedDir?: string
  /** SARIF files (or globs) written by earlier steps, relative to the workspace. */
  importSarif: string[]
  /** `terraform show -json` of a saved plan, written by an earlier step. */
  terraformPlanJson?: string
  /** `infracost breakdown|diff --format json` output, written by an earlier step. */
  infracostJson?: string
  /** Findings below this are listed in the summary, not posted inline. */
  minInlineSeverity?: Severity
  /** Where model calls go; the SDK's own client for each. */
  modelProvider: ModelProvider
  /** Files never sent to a model. */
  modelPathsIgnore: string[]
  /**
   * Inputs the workflow actually set: only these win over the settings file (the others hold
   * built-in defaults, which the file may override).
   */
  given?: string[]
  botLogin: string
  reviewDrafts: boolean
  /** The review event: COMMENT unless asked otherwise. */
  reviewEvent: 'COMMENT' | 'REQUEST_CHANGES'
  sarifPath?: string
  /** Review: write the result here (workspace) instead of posting; post: read it from here. */
  resultPath?: string
  allowedUsers: string[]
  auditLabel: string
  auditCloseWhenClean: boolean
  auditArtifactsDir: string
  shardIndex: number
  shardTotal: number
}

export class ConfigError extends Error {
  constructor(
    readonly input: string,
    message: string
  ) {
    super(`Input '${input}': ${message}`)
    this.name = 'ConfigError'
  }
}

/** Reads one input as a trimmed string ('' when absent), like `core.getInput`. */
export type InputReader = (name: string) => string

/** The runner passes inputs as `INPUT_<NAME>` variables (spaces → `_`, upper case). */
export function inputsFromEnv(env: Record<string, string | undefined>): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

export const DEFAULTS = {
  agentsDirs: '.github/agents,.claude/agents',
  maxAgents: 2,
  planPath: '.claude/doc/pr-{number}-{agent}.md',
  maxInputTokens: 60000,
  maxComments: 30,
  botLogin: 'github-actions[bot]',
  auditLabel: 'preflight-audit',
  auditArtifactsDir: 'preflight-audit-shards'
} as const

export function parseConfig(read: InputReader): Config {
  const str = (name: string): string => read(name).trim()
  const optional = (name: string): string | undefined => str(name) || undefined

  const githubToken = str('github-token')
  const mode = oneOf(str('mode') || 'auto', MODES, 'mode')
  const minInlineRaw = str('min-inline-severity')
  const minInlineSeverity = minInlineRaw ? oneOf(minInlineRaw, SEVERITIES, 'min-inline-severity') : undefined
  const modelProvider = oneOf(str('model-provider') || 'anthropic', MODEL_PROVIDERS, 'model-provider')
  const failOn = oneOf(str('fail-on') || 'none', FAIL_ON, 'fail-on')
  const reviewEvent = oneOf(str('review-event') || 'COMMENT', ['COMMENT', 'REQUEST_CHANGES'] as const, 'review-event')
  const maxAgents = integer(str('max-agents'), 'max-agents', DEFAULTS.maxAgents, 1, 10)
  const maxInputTokens = integer(str('max-input-tokens'), 'max-input-tokens', DEFAULTS.maxInputTokens, 2000, 1000000)
  const maxComments = integer(str('max-comments'), 'max-comments', DEFAULTS.maxComments, 0, 1000)
  const shardTotal = integer(str('shard-total'), 'shard-total', 1, 1, 256)
  const shardIndex = integer(str('shard-index'), 'shard-index', 0, 0, 255)
  if (shardIndex >= shardTotal) throw new ConfigError('shard-index', `must be below shard-total (${shardTotal}), got ${shardIndex}`)

  const maxCostRaw = str('max-cost-usd')
  let maxCostUsd: number | undefined
  if (maxCostRaw) {
    maxCostUsd = Number(maxCostRaw)
    if (!Number.isFinite(maxCostUsd) || maxCostUsd < 0) throw new ConfigError('max-cost-usd', `expected a non-negative number of US dollars, got '${maxCostRaw}'`)
  }

  const planPath = str('plan-path') || DEFAULTS.planPath
  if (planPath.split(/[\\/]/).includes('..') || planPath.startsWith('/')) {
    throw new ConfigError('plan-path', `must be a path inside the workspace, got '${planPath}'`)
  }

  const resultPath = str('result-path') || undefined
  if (resultPath && (resultPath.split(/[\\/]/).includes('..') || resultPath.startsWith('/'))) {
    throw new ConfigError('result-path', `must be a path inside the workspace, got '${resultPath}'`)
  }

  return {
    githubToken,
    anthropicApiKey: optional('anthropic-api-key'),
    mode,
    agents: list(str('agents')).map((a) => a.toLowerCase()),
    agentsDirs: list(str('agents-dir') || DEFAULTS.agentsDirs).map((d) => d.replace(/(?<!\/)\/+$/, '')),
    maxAgents,
    failOn,
    planPath,
    model: optional('model'),
    maxCostUsd,
    maxInputTokens,
    maxComments,
    pathsIgnore: list(str('paths-ignore')),
    helmRenderedDir: optional('helm-rendered-dir'),
    importSarif: list(str('import-sarif')),
    terraformPlanJson: optional('terraform-plan-json'),
    infracostJson: optional('infracost-json'),
    minInlineSeverity,
    modelProvider,
    modelPathsIgnore: list(str('model-paths-ignore')),
    given: ['fail-on', 'max-comments', 'min-inline-severity', 'paths-ignore'].filter((name) => str(name) !== ''),
    botLogin: str('bot-login') || DEFAULTS.botLogin,
    reviewDrafts: bool(str('review-drafts'), 'review-drafts', false),
    reviewEvent,
    sarifPath: optional('sarif-path'),
    resultPath,
    allowedUsers: list(str('allowed-users')).map((u) => u.toLowerCase()),
    auditLabel: str('audit-label') || DEFAULTS.auditLabel,
    auditCloseWhenClean: bool(str('audit-close-when-clean'), 'audit-close-when-clean', false),
    auditArtifactsDir: str('audit-artifacts-dir') || DEFAULTS.auditArtifactsDir,
    shardIndex,
    shardTotal
  }
}

/** The inputs that take part in settings precedence (input > settings file > default). */
export function settingsInputsOf(config: Config): SettingsInputs {
  // A Config built in code (not parsed from inputs) states every value on purpose.
  const given = new Set(config.given ?? ['fail-on', 'max-comments'])
  return {
    ...(given.has('fail-on') ? { failOn: config.failOn } : {}),
    ...(given.has('max-comments') ? { maxComments: config.maxComments } : {}),
    ...(config.minInlineSeverity ? { minInlineSeverity: config.minInlineSeverity } : {}),
    pathsIgnore: config.pathsIgnore
  }
}

/** Comma- or newline-separated list, trimmed, empties dropped. */
export function list(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

function oneOf<T extends string>(value: string, allowed: readonly T[], input: string): T {
  const hit = allowed.find((a) => a.toLowerCase() === value.toLowerCase())
  if (!hit) throw new ConfigError(input, `expected one of ${allowed.join(', ')}, got '${value}'`)
  return hit
}

function integer(value: string, input: string, fallback: number, min: number, max: number): number {
  if (!value) return fallback
  if (!/^\d+$/.test(value)) throw new ConfigError(input, `expected a whole number, got '${value}'`)
  const n = Number(value)
  if (n < min || n > max) throw new ConfigError(input, `expected a number from ${min} to ${max}, got ${n}`)
  return n
}

function bool(value: string, input: string, fallback: boolean): boolean {
  if (!value) return fallback
  if (/^(true|yes|1|on)$/i.test(value)) return true
  if (/^(false|no|0|off)$/i.test(value)) return false
  throw new ConfigError(input, `expected true or false, got '${value}'`)
}

/** Whether a finding of this severity meets the `fail-on` threshold. */
export function meetsFailOn(severity: Severity, failOn: FailOn): boolean {
  if (failOn === 'none') return false
  const order: Severity[] = ['info', 'low', 'medium', 'high', 'critical']
  return order.indexOf(severity) >= order.indexOf(failOn)
}
