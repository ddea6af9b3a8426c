/**
 * What the rules examined in a changed file, counted cheaply so a `pass` can say what was
 * checked ("health checks on 3 containers"). Counts come from a quick scan of the text, not a
 * parse: they describe the scope, they never decide a status.
 */
import type { FileKind } from '../types.js'

export interface FileScope {
  /** What one unit is: `container`, `service`, `job`, `resource`, `stage`, `file`. */
  unit: string
  count: number
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0
}

/** Keys directly under a top-level YAML key (`services:`, `jobs:`), by their indentation. */
function childKeys(text: string, parent: string): number {
  const lines = text.split('\n')
  const start = lines.findIndex((l) => l.startsWith(`${parent}:`))
  if (start < 0) return 0
  let indent: number | undefined
  let n = 0
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue
    const lead = line.length - line.trimStart().length
    if (lead === 0) break
    indent ??= lead
    if (lead === indent && /^[ \t]*["']?[\w.-]+["']?[ \t]*:/.test(line)) n++
  }
  return n
}

/** Units of one file for the kind of rules that examine it. */
export function scopeOf(kind: FileKind, content: string | undefined): FileScope {
  if (content === undefined) return { unit: 'file', count: 1 }
  switch (kind) {
    case 'kubernetes':
      return { unit: 'container', count: Math.max(1, countMatches(content, /^[ \t]*(?:-[ \t]*)?image:[ \t]*\S/gm)) }
    case 'compose':
      return { unit: 'service', count: Math.max(1, childKeys(content, 'services')) }
    case 'workflow':
      return { unit: 'job', count: Math.max(1, childKeys(content, 'jobs')) }
    case 'dockerfile':
      return { unit: 'stage', count: Math.max(1, countMatches(content, /^[ \t]*FROM[ \t]/gim)) }
    case 'terraform':
      return { unit: 'resource', count: Math.max(1, countMatches(content, /^[ \t]*(?:resource|module)[ \t]+"/gm)) }
    case 'cloudformation':
      return { unit: 'resource', count: Math.max(1, countMatches(content, /^[ \t]*"?Type"?[ \t]*:[ \t]*["']?(?:AWS|Alexa|Custom)::/gm)) }
    default:
      return { unit: 'file', count: 1 }
  }
}

/** "3 containers, 1 service" from a list of scopes (units summed, in first-seen order). */
export function describeScopes(scopes: FileScope[]): string {
  const totals = new Map<string, number>()
  for (const s of scopes) totals.set(s.unit, (totals.get(s.unit) ?? 0) + s.count)
  return [...totals].map(([unit, n]) => `${n} ${unit}${n === 1 ? '' : 's'}`).join(', ')
}
