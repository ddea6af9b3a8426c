/**
 * Repository settings (`.github/preflight.yml` or `.preflight.yml`), resolved: every field has
 * its value after precedence (action input > settings file > built-in default). The loader fills
 * this; the rest of the pipeline only reads it.
 */
import type { Severity } from '../types.js'

/** A rule (id or glob) turned off or re-rated. */
export type RuleSetting = 'off' | Severity

export interface PathOverride {
  /** Globs of repository paths the override applies to (`examples/**`). */
  files: string[]
  rules: Record<string, RuleSetting>
}

export interface SloTarget {
  /** Availability in percent, e.g. 99.9. */
  availability?: number
  /** p95 latency budget in milliseconds. */
  latencyP95Ms?: number
  /** Error budget in percent of requests over the SLO window. */
  errorBudgetPercent?: number
}

export interface SloSettings extends SloTarget {
  /** Targets for a path or service; the first whose globs match a changed path applies. */
  paths: (SloTarget & { name?: string; files: string[] })[]
}

export interface CostSettings {
  warnTotalUsd?: number
  warnIncreaseUsd?: number
  warnIncreasePercent?: number
}

export interface PersonaSetting {
  enabled?: boolean
  model?: string
}

export interface Settings {
  rules: Record<string, RuleSetting>
  overrides: PathOverride[]
  pathsIgnore: string[]
  /** Findings below this are listed in the summary, not posted inline. */
  minInlineSeverity: Severity
  maxComments: number
  slo: SloSettings
  cost: CostSettings
  personas: Record<string, PersonaSetting>
  failOn: 'none' | 'critical' | 'high' | 'medium' | 'low'
  /** The highest severity a pull request may silence with a suppression comment it adds itself. */
  allowSelfSuppress: Severity
}

/** Built-in defaults, stated once. SLO numbers are defaults a repository is expected to set. */
export const DEFAULT_SETTINGS: Settings = {
  rules: {},
  overrides: [],
  pathsIgnore: [],
  minInlineSeverity: 'medium',
  maxComments: 30,
  slo: { availability: 99.9, latencyP95Ms: 1000, paths: [] },
  cost: {},
  personas: {},
  failOn: 'none',
  allowSelfSuppress: 'medium'
}

/** Where the settings file is looked for, first found wins (read at the base commit in PR mode). */
export const SETTINGS_PATHS = ['.github/preflight.yml', '.preflight.yml'] as const
/** The baseline of accepted findings (`preflight baseline`). */
export const BASELINE_PATH = '.github/preflight-baseline.json'
