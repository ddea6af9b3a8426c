/**
 * Reads `.github/preflight.yml` (or `.preflight.yml`): YAML with line numbers, validated against
 * docs/preflight.schema.json, mapped onto the resolved `Settings` shape. Unknown keys warn with a
 * did-you-mean; a bad `fail-on`, `rules`, `overrides` or `paths-ignore` throws (falling back would
 * quietly lower the gate); any other bad value warns and falls back to its default.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { closest, distance } from 'fastest-levenshtein'
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document } from 'yaml'
import type { Severity } from '../types.js'
import { SETTINGS_SCHEMA } from './schema.js'
import { DEFAULT_SETTINGS, type PathOverride, type RuleSetting, type Settings, type SloSettings } from './types.js'

/** Where the settings file may live, first found wins. */
export { SETTINGS_PATHS } from './types.js'
import { SETTINGS_PATHS } from './types.js'

/** Keys whose bad value fails the run instead of falling back. */
const GATE_KEYS = new Set(['fail-on', 'rules', 'overrides', 'paths-ignore'])

export class SettingsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SettingsError'
  }
}

/** What the file itself set (absent keys stay absent, so inputs and defaults can fill them). */
export type FileSettings = Partial<Settings>

export interface ParsedSettings {
  path: string
  settings: FileSettings
  warnings: string[]
}

export interface ParseOptions {
  /** Known rule ids: a `rules` key that matches none gets a did-you-mean warning. */
  ruleIds?: readonly string[]
}

let compiled: ValidateFunction | undefined

/**
 * The schema's validator, compiled on first use: compiling costs more than a whole small scan
 * (about 0.1 s), and most runs have no settings file to validate.
 */
function settingsValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(SETTINGS_SCHEMA)
  return compiled
}

/** Parses and validates one settings file's text; throws SettingsError naming file and line. */
export function parseSettingsText(text: string, path: string, options: ParseOptions = {}): ParsedSettings {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line)
  if (doc.errors.length) {
    const e = doc.errors[0]!
    throw new SettingsError(`${path}:${lineAt(e.pos[0])}: not valid YAML (${e.message.split('\n')[0]})`)
  }
  const data: unknown = doc.toJS() ?? {}
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SettingsError(`${path}:1: expected a mapping of settings (key: value), got ${Array.isArray(data) ? 'a list' : typeof data}`)
  }
  const warnings: string[] = []
  const errors: string[] = []
  const fallback = new Set<string>()
  const where = (segments: (string | number)[], key?: string): string => `${path}:${lineOf(doc, segments, key, lineAt)}`

  const validate = settingsValidator()
  if (!validate(data)) {
    for (const err of dedupe(validate.errors ?? [])) {
      const segments = pointer(err.instancePath)
      const top = String(segments[0] ?? '')
      if (err.keyword === 'additionalProperties') {
        const unknown = String((err.params as { additionalProperty: string }).additionalProperty)
        const known = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {})
        const scope = segments.length ? ` in ${segments.join('.')}` : ''
        warnings.push(`${where(segments, unknown)}: unknown key '${unknown}'${scope}, ignored${didYouMean(unknown, known)}`)
        deleteAt(data, [...segments, unknown])
        continue
      }
      const message = `${where(segments)}: ${describe(err, segments)}`
      if (GATE_KEYS.has(top)) errors.push(message)
      else {
        warnings.push(`${message}; using the default`)
        fallback.add(top)
      }
    }
  }
  if (errors.length) throw new SettingsError(errors.join('\n'))

  const raw = data as Record<string, unknown>
  for (const key of fallback) delete raw[key]
  if (options.ruleIds) warnUnknownRules(raw, options.ruleIds, (segments, key) => where(segments, key), warnings)
  return { path, settings: mapSettings(raw), warnings }
}

/** Precedence: action input > settings file > built-in default; `paths-ignore` is the union. */
export interface SettingsInputs {
  failOn?: Settings['failOn']
  maxComments?: number
  minInlineSeverity?: Severity
  pathsIgnore?: string[]
}

export function resolveSettings(file: FileSettings | undefined, inputs: SettingsInputs = {}): Settings {
  const f = file ?? {}
  const d = DEFAULT_SETTINGS
  return {
    rules: { ...(f.rules ?? d.rules) },
    overrides: f.overrides ?? d.overrides,
    pathsIgnore: [...new Set([...(inputs.pathsIgnore ?? []), ...(f.pathsIgnore ?? d.pathsIgnore)])],
    minInlineSeverity: inputs.minInlineSeverity ?? f.minInlineSeverity ?? d.minInlineSeverity,
    maxComments: inputs.maxComments ?? f.maxComments ?? d.maxComments,
    slo: { ...d.slo, ...(f.slo ?? {}), paths: f.slo?.paths ?? d.slo.paths },
    cost: { ...d.cost, ...(f.cost ?? {}) },
    personas: { ...d.personas, ...(f.personas ?? {}) },
    failOn: inputs.failOn ?? f.failOn ?? d.failOn,
    allowSelfSuppress: f.allowSelfSuppress ?? d.allowSelfSuppress
  }
}

/** The settings file in a working tree (the repository or scanned root), if there is one. */
export async function readLocalSettingsText(root: string): Promise<{ path: string; text: string } | undefined> {
  for (const path of SETTINGS_PATHS) {
    try {
      return { path, text: await readFile(join(root, path), 'utf8') }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') {
        throw new SettingsError(`${path}: cannot be read (${(e as Error).message})`)
      }
    }
  }
  return undefined
}

/** Reads, parses and resolves the local settings file in one step. */
export async function loadLocalSettings(root: string, inputs: SettingsInputs, options: ParseOptions = {}): Promise<{ settings: Settings; warnings: string[]; path?: string }> {
  const found = await readLocalSettingsText(root)
  if (!found) return { settings: resolveSettings(undefined, inputs), warnings: [] }
  const parsed = parseSettingsText(found.text, found.path, options)
  return { settings: resolveSettings(parsed.settings, inputs), warnings: parsed.warnings, path: found.path }
}

// ── Mapping the file's kebab-case keys onto Settings ───────────────────────────────────────

type Raw = Record<string, unknown>

function mapSettings(raw: Raw): FileSettings {
  const out: FileSettings = {}
  if (raw.rules) out.rules = raw.rules as Record<string, RuleSetting>
  if (raw.overrides) out.overrides = (raw.overrides as Raw[]).map((o): PathOverride => ({ files: o.files as string[], rules: o.rules as Record<string, RuleSetting> }))
  if (raw['paths-ignore']) out.pathsIgnore = raw['paths-ignore'] as string[]
  if (raw['min-inline-severity']) out.minInlineSeverity = raw['min-inline-severity'] as Severity
  if (raw['max-comments'] !== undefined) out.maxComments = raw['max-comments'] as number
  if (raw.slo) {
    const s = raw.slo as Raw
    const target = (t: Raw) => ({
      ...(t.availability !== undefined ? { availability: t.availability as number } : {}),
      ...(t['latency-p95-ms'] !== undefined ? { latencyP95Ms: t['latency-p95-ms'] as number } : {}),
      ...(t['error-budget-percent'] !== undefined ? { errorBudgetPercent: t['error-budget-percent'] as number } : {})
    })
    const slo: Partial<SloSettings> = target(s)
    if (s.paths) slo.paths = (s.paths as Raw[]).map((p) => ({ ...(p.name ? { name: p.name as string } : {}), files: p.files as string[], ...target(p) }))
    out.slo = slo as SloSettings
  }
  if (raw.cost) {
    const c = raw.cost as Raw
    out.cost = {
      ...(c['warn-total-usd'] !== undefined ? { warnTotalUsd: c['warn-total-usd'] as number } : {}),
      ...(c['warn-increase-usd'] !== undefined ? { warnIncreaseUsd: c['warn-increase-usd'] as number } : {}),
      ...(c['warn-increase-percent'] !== undefined ? { warnIncreasePercent: c['warn-increase-percent'] as number } : {})
    }
  }
  if (raw.personas) {
    out.personas = Object.fromEntries(Object.entries(raw.personas as Record<string, Raw>).map(([name, p]) => [name.toLowerCase(), { ...(p ?? {}) }]))
  }
  if (raw['fail-on']) out.failOn = raw['fail-on'] as Settings['failOn']
  if (raw['allow-self-suppress']) out.allowSelfSuppress = raw['allow-self-suppress'] as Severity
  return out
}

// ── Messages ───────────────────────────────────────────────────────────────────────────────

function didYouMean(word: string, candidates: readonly string[]): string {
  if (!candidates.length) return ''
  const best = closest(word, [...candidates])
  // A suggestion further than about a third of the word away is noise, not help.
  return distance(word, best) <= Math.max(2, Math.ceil(word.length / 3)) ? `; did you mean '${best}'?` : ''
}

function describe(err: ErrorObject, segments: (string | number)[]): string {
  const name = segments.length ? segments.join('.') : 'the file'
  const got = err.data === undefined ? '' : `, got ${JSON.stringify(err.data)}`
  switch (err.keyword) {
    case 'enum': {
      const allowed = (err.params as { allowedValues: unknown[] }).allowedValues.map(String)
      return `${name} must be one of ${allowed.join(', ')}${got}${typeof err.data === 'string' ? didYouMean(err.data, allowed) : ''}`
    }
    case 'type':
      return `${name} must be ${article((err.params as { type: string }).type)}${got}`
    case 'required':
      return `${name} needs '${(err.params as { missingProperty: string }).missingProperty}'`
    default:
      return `${name} ${err.message ?? 'is not valid'}${got}`
  }
}

function article(type: string): string {
  return type === 'array' ? 'a list' : type === 'object' ? 'a mapping' : type === 'integer' ? 'a whole number' : `a ${type}`
}

/** One message per place: `$ref` and `allOf` can report the same bad value twice. */
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function warnUnknownRules(raw: Raw, ruleIds: readonly string[], where: (s: (string | number)[], key: string) => string, warnings: string[]): void {
  const check = (rules: unknown, segments: (string | number)[]) => {
    for (const id of Object.keys((rules as Raw | undefined) ?? {})) {
      if (/[*?[{]/.test(id) || ruleIds.includes(id)) continue
      warnings.push(`${where(segments, id)}: '${id}' names no Preflight rule${didYouMean(id, ruleIds)}`)
    }
  }
  check(raw.rules, ['rules'])
  ;((raw.overrides as Raw[] | undefined) ?? []).forEach((o, i) => check(o.rules, ['overrides', i, 'rules']))
}

// ── Locating values in the YAML document ───────────────────────────────────────────────────

function pointer(instancePath: string): (string | number)[] {
  if (!instancePath) return []
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

/** The line of the value at `segments`, or of the key `key` inside it. */
function lineOf(doc: Document, segments: (string | number)[], key: string | undefined, lineAt: (o: number | undefined) => number): number {
  const node = segments.length ? doc.getIn(segments, true) : doc.contents
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key)
    if (pair && isScalar(pair.key)) return lineAt(pair.key.range?.[0])
  }
  if (node && typeof node === 'object' && 'range' in node) return lineAt((node as { range?: [number, number, number] }).range?.[0])
  return 1
}

function deleteAt(data: unknown, segments: (string | number)[]): void {
  let cur = data as Record<string | number, unknown>
  for (const s of segments.slice(0, -1)) {
    cur = cur?.[s] as Record<string | number, unknown>
    if (typeof cur !== 'object' || cur === null) return
  }
  delete cur[segments[segments.length - 1]!]
}
