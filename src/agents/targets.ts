/**
 * Repository targets rendered into personas: a persona file writes `{slo.availability}`,
 * `{slo.latencyP95Ms}`, `{slo.errorBudgetPercent}`, `{cost.warnIncreaseUsd}`,
 * `{cost.warnIncreasePercent}` or `{cost.warnTotalUsd}` in a checklist question or its body, and
 * the review shows the repository's own number (the first `slo.paths` entry whose globs match a
 * changed path, else the repository default), saying when a number is only the built-in default.
 * Also applies `Settings.personas` (enable/disable, model per persona).
 */
import picomatch from 'picomatch'
import type { Persona } from '../types.js'
import type { Settings, SloTarget } from '../settings/types.js'
import { DEFAULT_SETTINGS } from '../settings/types.js'

export const TARGET_KEYS = [
  'slo.availability',
  'slo.latencyP95Ms',
  'slo.errorBudgetPercent',
  'cost.warnTotalUsd',
  'cost.warnIncreaseUsd',
  'cost.warnIncreasePercent'
] as const
export type TargetKey = (typeof TARGET_KEYS)[number]

const PLACEHOLDER = /\{(slo\.(?:availability|latencyP95Ms|errorBudgetPercent)|cost\.(?:warnTotalUsd|warnIncreaseUsd|warnIncreasePercent))\}/g

/** The SLO target that applies to a change: the first path entry matching a changed path. */
export function sloFor(settings: Settings, changedPaths: string[]): { target: SloTarget; scope?: string } {
  for (const entry of settings.slo.paths ?? []) {
    const globs = entry.files.filter((g) => g.trim() !== '')
    if (globs.length === 0) continue
    let isMatch: (path: string) => boolean
    try {
      isMatch = picomatch(globs, { dot: true })
    } catch {
      continue
    }
    if (changedPaths.some((p) => isMatch(p))) {
      const { files, name, ...target } = entry
      return { target: { ...withoutPaths(settings.slo), ...dropUndefined(target) }, scope: name ?? files.join(', ') }
    }
  }
  return { target: withoutPaths(settings.slo) }
}

function withoutPaths(slo: Settings['slo']): SloTarget {
  return dropUndefined({ availability: slo.availability, latencyP95Ms: slo.latencyP95Ms, errorBudgetPercent: slo.errorBudgetPercent })
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

function unit(key: TargetKey, value: number): string {
  switch (key) {
    case 'slo.availability':
    case 'slo.errorBudgetPercent':
    case 'cost.warnIncreasePercent':
      return `${value}%`
    case 'slo.latencyP95Ms':
      return value >= 1000 && value % 100 === 0 ? `${value / 1000} s` : `${value} ms`
    default:
      return `$${value}`
  }
}

/** How one placeholder reads: the number, and where it comes from when that matters. */
export function renderTarget(key: TargetKey, settings: Settings, changedPaths: string[]): string {
  const [group, field] = key.split('.') as ['slo' | 'cost', string]
  if (group === 'slo') {
    const { target, scope } = sloFor(settings, changedPaths)
    const value = target[field as keyof SloTarget]
    if (value === undefined) return `the repository's target (none set: \`${key}\`)`
    if (scope) return `${unit(key, value)} (target for ${scope})`
    const builtIn = DEFAULT_SETTINGS.slo[field as keyof SloTarget]
    return builtIn === value ? `${unit(key, value)} (default; set \`${key}\` in the settings)` : unit(key, value)
  }
  const value = settings.cost[field as keyof Settings['cost']]
  return value === undefined ? `the team's threshold (none set: \`${key}\`)` : unit(key, value)
}

export function renderTargets(text: string, settings: Settings, changedPaths: string[]): string {
  return text.replace(PLACEHOLDER, (_, key: TargetKey) => renderTarget(key, settings, changedPaths))
}

/** The persona with its questions and body speaking the repository's numbers. */
export function applyTargets(persona: Persona, settings: Settings, changedPaths: string[]): Persona {
  return {
    ...persona,
    body: renderTargets(persona.body, settings, changedPaths),
    description: renderTargets(persona.description, settings, changedPaths),
    checklist: persona.checklist.map((item) => ({ ...item, question: renderTargets(item.question, settings, changedPaths) }))
  }
}

/**
 * `Settings.personas`: a persona set to `enabled: false` is left out (by its name or an alias)
 * unless the run names it (`agents` input, `/agent`); `model` replaces the persona's own model.
 * Unknown names come back as warnings.
 */
export function applyPersonaSettings(personas: Persona[], settings: Settings, forced: readonly string[] = []): { personas: Persona[]; warnings: string[] } {
  const named = new Set(forced.map((f) => f.toLowerCase()))
  const warnings: string[] = []
  const entries = Object.entries(settings.personas ?? {})
  for (const [key] of entries) {
    const k = key.toLowerCase()
    if (!personas.some((p) => p.name === k || p.aliases.includes(k))) warnings.push(`settings: personas.${key} names no persona; ignored`)
  }
  const out: Persona[] = []
  for (const persona of personas) {
    const setting = entries.find(([key]) => {
      const k = key.toLowerCase()
      return k === persona.name || persona.aliases.includes(k)
    })?.[1]
    if (setting?.enabled === false && !named.has(persona.name) && !persona.aliases.some((a) => named.has(a))) continue
    out.push(setting?.model ? { ...persona, model: setting.model } : persona)
  }
  return { personas: out, warnings }
}
