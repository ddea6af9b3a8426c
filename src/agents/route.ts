/**
 * Routing: which personas review a change, and why. A persona scores on the changed files its
 * triggers name (file kinds or globs) and on its keywords in the title, body, labels and added
 * lines. File matches always outweigh keywords; ties go to the name, so the result is stable.
 */
import picomatch from 'picomatch'
import { FILE_KINDS, type ChangeSet, type FileKind, type Persona, type RoutedAgent } from '../types.js'
import { findPersona } from './loader.js'
import { keywordPattern } from './recover.js'

export interface RouteInput {
  files: { path: string; kind: FileKind }[]
  title: string
  body: string
  labels: string[]
  /** Added lines of the diff, joined; keywords are matched here too. */
  addedText: string
}

/** What routing looks at in a change set: the files still present, the PR text, the added lines. */
export function routeInputOf(change: ChangeSet): RouteInput {
  return {
    files: change.files.filter((f) => f.status !== 'removed').map((f) => ({ path: f.path, kind: f.kind })),
    title: change.title,
    body: change.body,
    labels: change.labels,
    addedText: change.files
      .map((f) => (f.patch ?? '').split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).join('\n'))
      .join('\n')
  }
}

export interface RouteOptions {
  maxAgents: number
  /** Names or aliases to use regardless of triggers (the `agents` input, `/agent x`). */
  forced: string[]
}

export interface RouteResult {
  agents: RoutedAgent[]
  warnings: string[]
}

/** One matched file is worth more than any number of keywords (keywords are capped below it). */
const FILE_WEIGHT = 10
const MAX_KEYWORD_SCORE = FILE_WEIGHT - 1
const PATHS_IN_REASON = 3
const KEYWORDS_IN_REASON = 5
/** Keyword search looks at this much added text; a huge diff says nothing more about intent. */
const MAX_SEARCH_TEXT = 1_000_000

const KINDS = new Set<string>(FILE_KINDS)

/**
 * Forced personas (by name or alias) are used as given, in order (still at most `maxAgents`),
 * and nothing else is scored.
 * Otherwise a change that touches no infrastructure file (every kind `other`) routes to nobody.
 */
export function routeAgents(personas: Persona[], input: RouteInput, options: RouteOptions): RouteResult {
  const warnings: string[] = []
  const forced = options.forced.map((f) => f.trim()).filter((f) => f.length > 0)
  const limit = Math.max(0, Math.floor(Number.isFinite(options.maxAgents) ? options.maxAgents : 0))
  if (forced.length > 0) {
    const agents = routeForced(personas, forced, warnings)
    if (agents.length > limit) warnings.push(`${agents.length} agents were requested but max-agents is ${limit}; using the first ${limit}`)
    return { agents: agents.slice(0, limit), warnings }
  }
  if (limit === 0 || !input.files.some((f) => f.kind !== 'other')) return { agents: [], warnings }

  const text = [input.title, input.body, input.labels.join('\n'), input.addedText.slice(0, MAX_SEARCH_TEXT)].join('\n')
  const scored: RoutedAgent[] = []
  for (const persona of personas) {
    const fileGroups = matchFiles(persona, input.files)
    const keywords = persona.triggers.keywords.filter((k) => keywordPattern(k).test(text))
    const matchedFiles = fileGroups.reduce((n, g) => n + g.paths.length, 0)
    const score = matchedFiles * FILE_WEIGHT + Math.min(keywords.length, MAX_KEYWORD_SCORE)
    if (score > 0) scored.push({ persona, score, reason: describe(fileGroups, keywords) })
  }
  scored.sort((a, b) => b.score - a.score || compareNames(a.persona.name, b.persona.name))
  return { agents: scored.slice(0, limit), warnings }
}

function routeForced(personas: Persona[], forced: string[], warnings: string[]): RoutedAgent[] {
  const agents: RoutedAgent[] = []
  for (const wanted of forced) {
    const persona = findPersona(personas, wanted)
    if (!persona) {
      const known = personas.map((p) => p.name).join(', ')
      warnings.push(`unknown agent "${wanted.slice(0, 60)}"${known ? `; known agents: ${known}` : ''}`)
      continue
    }
    if (agents.some((a) => a.persona === persona)) continue
    agents.push({ persona, score: 0, reason: `requested: ${wanted.slice(0, 60)}` })
  }
  return agents
}

interface FileGroup {
  /** The file kind or glob that matched. */
  trigger: string
  paths: string[]
}

/** Each changed file counts once, under the first trigger (in the persona's order) it matches. */
function matchFiles(persona: Persona, files: RouteInput['files']): FileGroup[] {
  const groups: FileGroup[] = persona.triggers.files.map((trigger) => ({ trigger, paths: [] }))
  const matchers = persona.triggers.files.map((trigger) => fileMatcher(trigger))
  for (const file of files) {
    const at = matchers.findIndex((m) => m(file))
    if (at >= 0) groups[at].paths.push(file.path)
  }
  return groups.filter((g) => g.paths.length > 0)
}

function fileMatcher(trigger: string): (file: { path: string; kind: FileKind }) => boolean {
  if (KINDS.has(trigger)) return (file) => file.kind === trigger && file.kind !== 'other'
  try {
    const isMatch = picomatch(trigger, { dot: true, basename: !trigger.includes('/') })
    return (file) => isMatch(file.path)
  } catch {
    return () => false
  }
}

function describe(groups: FileGroup[], keywords: string[]): string {
  const parts = groups.map((g) => {
    const what = KINDS.has(g.trigger) ? `${g.trigger} changed` : `${g.trigger} matched`
    return `${what}: ${listed(g.paths, PATHS_IN_REASON)}`
  })
  if (keywords.length > 0) parts.push(`keywords: ${listed(keywords.map((k) => k.toLowerCase()), KEYWORDS_IN_REASON)}`)
  return parts.join('; ')
}

function listed(items: string[], max: number): string {
  const shown = items.slice(0, max).join(', ')
  return items.length > max ? `${shown} +${items.length - max} more` : shown
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
