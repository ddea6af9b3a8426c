/** Path filters for the change set: `paths-ignore` globs. Pure; no file system access. */
import picomatch from 'picomatch'
import type { FileNote } from '../types.js'

export interface IgnoreResult<T> {
  files: T[]
  notes: FileNote[]
}

/**
 * Compiles `paths-ignore` patterns into one predicate. Patterns are picomatch globs matched
 * against the whole repository-relative path (`dot: true`, so `.github/**` works). A pattern
 * starting with `!` re-includes what an earlier pattern ignored; the last matching pattern wins.
 * Throws an Error naming the pattern when one cannot be compiled.
 */
export function ignoreMatcher(patterns: readonly string[]): (path: string) => boolean {
  const rules = patterns
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('#'))
    .map((p) => {
      const negated = p.startsWith('!')
      const glob = negated ? p.slice(1) : p
      try {
        return { negated, test: picomatch(glob, { dot: true }) }
      } catch (e) {
        throw new Error(`invalid paths-ignore pattern "${p}": ${(e as Error).message}`, { cause: e })
      }
    })
  return (path: string) => {
    const normalized = path.replace(/\\/g, '/').replace(/^\.\//, '')
    let ignored = false
    for (const rule of rules) if (rule.test(normalized)) ignored = !rule.negated
    return ignored
  }
}

/** Splits files into those kept and notes (reason `ignored`) for those a pattern ignores. */
export function filterIgnored<T extends { path: string }>(files: readonly T[], patterns: readonly string[]): IgnoreResult<T> {
  if (patterns.length === 0) return { files: [...files], notes: [] }
  const isIgnored = ignoreMatcher(patterns)
  const kept: T[] = []
  const notes: FileNote[] = []
  for (const file of files) {
    if (isIgnored(file.path)) notes.push({ path: file.path, reason: 'ignored', message: `${file.path}: matches paths-ignore, not reviewed` })
    else kept.push(file)
  }
  return { files: kept, notes }
}
