/**
 * Settings that shape a run before analysis: `paths-ignore` on the change set (so ignored files
 * are neither analyzed nor sent to a model) and the `personas` key (off, or a model per persona).
 */
import picomatch from 'picomatch'
import type { ChangeSet, Persona } from '../types.js'
import type { Settings } from './types.js'

/** The change set without the files `paths-ignore` names; each left out with a note. */
export function withoutIgnoredPaths(change: ChangeSet, globs: string[]): ChangeSet {
  if (!globs.length) return change
  const ignored = picomatch(globs, { dot: true })
  const out = change.files.filter((f) => !ignored(f.path))
  if (out.length === change.files.length) return change
  const dropped = change.files.filter((f) => ignored(f.path))
  return {
    ...change,
    files: out,
    notes: [...change.notes, ...dropped.map((f) => ({ path: f.path, reason: 'ignored' as const, message: `${f.path}: matches paths-ignore, not reviewed` }))]
  }
}

/**
 * Personas as the settings want them: a disabled one is never routed (naming it explicitly still
 * runs it), and a model set for a persona replaces the one in its file. Keys are names or aliases.
 */
export function applyPersonaSettings(personas: Persona[], settings: Settings, forced: string[] = []): Persona[] {
  const entries = Object.entries(settings.personas)
  if (!entries.length) return personas
  const named = new Set(forced.map((f) => f.toLowerCase()))
  const out: Persona[] = []
  for (const p of personas) {
    const keys = [p.name, ...p.aliases].map((k) => k.toLowerCase())
    const setting = entries.find(([key]) => keys.includes(key.toLowerCase()))?.[1]
    if (setting?.enabled === false && !keys.some((k) => named.has(k))) continue
    out.push(setting?.model ? { ...p, model: setting.model } : p)
  }
  return out
}
