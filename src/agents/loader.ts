/**
 * Persona loading: bundled personas plus the repository's own, from Markdown files with YAML
 * frontmatter. Lenient with real-world files (invalid YAML still loads, with a warning); never
 * evaluates code; any text in gives a persona or an error out, never an exception.
 */
import { CATEGORIES, FILE_KINDS, type Category, type ChecklistItem, type FileKind, type Persona, type PersonaLoadResult } from '../types.js'
import { inferTopics, isTopic } from '../checklist/topics.js'
import { parseStrict, recoverKeys, splitFrontmatter } from './frontmatter.js'
import {
  DEFAULT_CHECKLIST,
  checklistFromBody,
  fileKindsFromText,
  inferCategories,
  itemId,
  itemsFromQuestions,
  keywordsFromBody,
  keywordsFromText,
  slugify,
  uniqueWords
} from './recover.js'
import { validatePersona } from './schema.js'

export interface PersonaSource {
  /** `agents/sre.md` for bundled ones; the repository path otherwise. */
  path: string
  text: string
  /** Set when the file could not be read; the loader reports it as this source's error. */
  readError?: string
}

export interface ParsedPersona {
  persona?: Persona
  warnings: string[]
  /** Set when the file could not become a persona at all. */
  error?: string
}

/** Persona files are prompts, not data dumps; anything larger is refused rather than read. */
export const MAX_PERSONA_BYTES = 512 * 1024

export function parsePersona(source: PersonaSource, origin: Persona['origin']): ParsedPersona {
  const path = typeof source?.path === 'string' && source.path.length > 0 ? source.path : '(unnamed persona file)'
  try {
    return parseChecked({ path, text: source.text, readError: source.readError }, origin)
  } catch (error) {
    // A safety net: the parser is written not to throw, but one bad file must never stop the rest.
    const detail = error instanceof Error ? error.message : String(error)
    return { warnings: [], error: `${path}: could not be read as a persona (${detail.split('\n')[0]})` }
  }
}

function parseChecked(source: PersonaSource, origin: Persona['origin']): ParsedPersona {
  const { path } = source
  const fail = (reason: string): ParsedPersona => ({ warnings: [], error: `${path}: ${reason}` })
  if (source.readError) return fail(`cannot be read (${source.readError})`)
  if (typeof source.text !== 'string') return fail('has no text')
  if (source.text.length > MAX_PERSONA_BYTES) return fail(`is too large (${source.text.length} characters; the limit is ${MAX_PERSONA_BYTES})`)
  const text = source.text.replace(/^\uFEFF/, '')
  if (text.includes('\u0000')) return fail('is a binary file, not Markdown')
  if (text.trim() === '') return fail('is empty')

  const split = splitFrontmatter(text)
  if (!split.ok) return fail(split.reason)

  const warnings: string[] = []
  const warn = (message: string): void => {
    warnings.push(`${path}: ${message}`)
  }
  const strict = parseStrict(split.frontmatter, split.firstLine)
  let data: Record<string, unknown>
  if (strict.ok) {
    data = strict.data
    for (const w of strict.warnings) warn(`frontmatter: ${w}`)
  } else {
    data = recoverKeys(split.frontmatter)
    const keys = Object.keys(data)
    warn(`frontmatter is not valid YAML (${strict.problem}); recovered ${keys.length > 0 ? keys.join(', ') : 'no keys'} line by line`)
  }

  const displayName = scalarText(lookup(data, 'name'))?.trim()
  if (!displayName) return fail('frontmatter has no `name`')
  const name = slugify(displayName).slice(0, 100).replace(/(?<!-)-+$/, '')
  if (!name) return fail(`name "${displayName.slice(0, 80)}" has no letters or digits to make a slug from`)

  const body = split.body.trim()
  if (body === '') warn('the body is empty, so the persona has no system prompt')

  const rawDescription = scalarText(lookup(data, 'description')) ?? ''
  const description = cleanDescription(rawDescription)
  if (description === '') warn('no `description`')

  const checklist = normalizeChecklist(lookup(data, 'checklist'), body, warn)
  const ownChecklist = !checklist.every((item, i) => item.id === DEFAULT_CHECKLIST[i]?.id) || checklist.length !== DEFAULT_CHECKLIST.length
  const candidate: Persona = {
    name,
    displayName: displayName.slice(0, 200),
    aliases: normalizeAliases(lookup(data, 'aliases'), name, warn),
    description,
    model: normalizeModel(lookup(data, 'model'), warn),
    tools: listOfText(lookup(data, 'tools')),
    color: scalarText(lookup(data, 'color'))?.trim().slice(0, 50) || undefined,
    triggers: normalizeTriggers(lookup(data, 'triggers'), body, rawDescription, warn),
    checklist,
    body,
    source: path,
    origin
  }
  const valid = validatePersona(candidate)
  if (!valid.ok) return { warnings, error: `${path}: not a valid persona (${valid.problem})` }
  EXPLICIT.set(valid.persona, {
    aliases: valid.persona.aliases.length > 0,
    triggers: hasOwnTriggers(lookup(data, 'triggers')),
    checklist: ownChecklist
  })
  return { persona: valid.persona, warnings }
}

/**
 * Which fields a persona file set itself (rather than left to inference or defaults): a
 * repository persona replacing a bundled one inherits the fields it did not set.
 */
const EXPLICIT = new WeakMap<Persona, { aliases: boolean; triggers: boolean; checklist: boolean }>()

function hasOwnTriggers(value: unknown): boolean {
  if (Array.isArray(value) || typeof value === 'string') return listOfText(value).length > 0
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    return listOfText(lookup(record, 'keywords')).length > 0 || listOfText(lookup(record, 'files')).length > 0
  }
  return false
}

/**
 * A repository persona that replaces a bundled one keeps the bundled aliases and triggers, and
 * the bundled checklist when it has none of its own, unless it sets them (so `/agent sre` and
 * file routing keep working when a team drops in its own version of a persona).
 */
export function inheritFrom(bundled: Persona, own: Persona): Persona {
  const set = EXPLICIT.get(own) ?? { aliases: true, triggers: true, checklist: true }
  return {
    ...own,
    aliases: set.aliases ? own.aliases : [...new Set([...bundled.aliases, ...own.aliases])].filter((a) => a !== own.name),
    triggers: set.triggers ? own.triggers : { keywords: [...bundled.triggers.keywords], files: [...bundled.triggers.files] },
    checklist: set.checklist ? own.checklist : bundled.checklist.map((item) => ({ ...item })),
    replaces: bundled.name
  }
}

// ── Field normalization ───────────────────────────────────────────────────────────────────────

type Warn = (message: string) => void

/** Keys are matched case-insensitively: `Name:` and `name:` both count. */
function lookup(data: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(data, key)) return data[key]
  const found = Object.keys(data).find((k) => k.toLowerCase() === key)
  return found === undefined ? undefined : data[found]
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** A list given as a YAML sequence or as one comma-separated string. */
function listOfText(value: unknown): string[] {
  const parts = Array.isArray(value) ? value.map(scalarText).filter((v): v is string => v !== undefined) : (scalarText(value)?.split(',') ?? [])
  return uniqueWords(parts.map((p) => p.trim()).filter((p) => p.length > 0 && p.length <= 200))
}

/**
 * Literal `\n` becomes a newline, the `<example>` blocks meant for another tool's routing are
 * dropped, as is a dangling "Examples:" lead-in; hard-wrapped lines are joined, paragraphs kept.
 */
export function cleanDescription(raw: string): string {
  const text = raw
    .replace(/\\r\\n|\\n/g, '\n')
    .replace(/<example>[\s\S]*?(<\/example>|$)/gi, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/([^\n])\n(?=[^\n])/g, '$1 ')
    .trim()
  return text
    .replace(/(^|(?<=[.!?])[ \n]+(?![ \n]))[^.!?\n]{0,80}:$/, '')
    .trim()
    .slice(0, 2000)
}

function normalizeModel(value: unknown, warn: Warn): string | undefined {
  if (value === undefined || value === null) return undefined
  const model = scalarText(value)?.trim()
  if (model === undefined) {
    warn('`model` is not a string; the default model is used')
    return undefined
  }
  if (model === '' || model.toLowerCase() === 'inherit') return undefined
  return model.slice(0, 200)
}

function normalizeAliases(value: unknown, name: string, warn: Warn): string[] {
  const aliases: string[] = []
  for (const alias of listOfText(value)) {
    const slug = slugify(alias).slice(0, 100).replace(/(?<!-)-+$/, '')
    if (!slug) {
      warn(`alias "${alias.slice(0, 40)}" has no letters or digits; ignored`)
      continue
    }
    if (slug !== name && !aliases.includes(slug)) aliases.push(slug)
  }
  return aliases
}

const KINDS = new Set<string>(FILE_KINDS)

function normalizeTriggers(value: unknown, body: string, description: string, warn: Warn): Persona['triggers'] {
  let keywords: string[] = []
  let files: string[] = []
  if (Array.isArray(value) || typeof value === 'string') {
    keywords = listOfText(value)
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    keywords = listOfText(lookup(record, 'keywords'))
    files = listOfText(lookup(record, 'files')).map((f) => (KINDS.has(f.toLowerCase()) ? f.toLowerCase() : f))
  } else if (value !== undefined && value !== null) {
    warn('`triggers` is neither a mapping nor a list; ignored')
  }
  keywords = keywords.filter((k) => k.length <= 100)
  if (keywords.length === 0) {
    keywords = keywordsFromBody(body)
    if (keywords.length === 0) keywords = keywordsFromText(description)
  }
  if (files.length === 0) files = fileKindsFromText(`${keywords.join(', ')}\n${description}`)
  return { keywords, files: uniqueWords(files) }
}

function normalizeChecklist(value: unknown, body: string, warn: Warn): ChecklistItem[] {
  if (value !== undefined && value !== null) {
    if (Array.isArray(value)) {
      const items = checklistFromFrontmatter(value, warn)
      if (items.length > 0) return items
      warn('`checklist` has no usable items; looking for one in the body')
    } else {
      warn('`checklist` is not a list; looking for one in the body')
    }
  }
  const questions = checklistFromBody(body)
  if (questions.length > 0) return itemsFromQuestions(questions)
  warn('no checklist found in the frontmatter or the body; the default checklist is used')
  return DEFAULT_CHECKLIST.map((item) => ({ ...item, categories: [...item.categories], ...(item.topics ? { topics: [...item.topics] } : {}) }))
}

const CATEGORY_SET = new Set<string>(CATEGORIES)

function checklistFromFrontmatter(entries: unknown[], warn: Warn): ChecklistItem[] {
  const taken = new Set<string>()
  const items: ChecklistItem[] = []
  entries.forEach((entry, index) => {
    const record = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : undefined
    const question = (record ? scalarText(lookup(record, 'question') ?? lookup(record, 'text') ?? lookup(record, 'item')) : scalarText(entry))
      ?.replace(/\s+/g, ' ')
      .trim()
      .slice(0, 1000)
    if (!question) {
      warn(`checklist item ${index + 1} has no question; skipped`)
      return
    }
    const wantedId = record ? slugify(scalarText(lookup(record, 'id')) ?? '').slice(0, 100).replace(/(?<!-)-+$/, '') : ''
    let id: string
    if (wantedId && !taken.has(wantedId)) {
      id = wantedId
      taken.add(id)
    } else {
      if (wantedId) warn(`checklist id "${wantedId}" is used twice; the second one is renamed`)
      id = itemId(wantedId || question, taken)
    }
    const given = record ? listOfText(lookup(record, 'categories') ?? lookup(record, 'category')).map((c) => c.toLowerCase()) : []
    const unknown = given.filter((c) => !CATEGORY_SET.has(c))
    if (unknown.length > 0) warn(`checklist item "${id}": unknown categor${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')} ignored`)
    const known = given.filter((c): c is Category => CATEGORY_SET.has(c))
    items.push({ id, question, categories: known.length > 0 ? known : inferCategories(question), ...selectors(record, id, question, warn) })
  })
  return items
}

/**
 * What evidence answers an item: `topics`, `rules` and `kinds` as written; an item that names
 * neither topics nor rules gets topics inferred from its question's words.
 */
function selectors(record: Record<string, unknown> | undefined, id: string, question: string, warn: Warn): Pick<ChecklistItem, 'topics' | 'rules' | 'kinds'> {
  const givenTopics = record ? listOfText(lookup(record, 'topics')).map((t) => t.toLowerCase()) : []
  const badTopics = givenTopics.filter((t) => !isTopic(t))
  if (badTopics.length > 0) warn(`checklist item "${id}": unknown topic${badTopics.length > 1 ? 's' : ''} ${badTopics.join(', ')} ignored (see the Topics section of docs/design.md)`)
  const topics = givenTopics.filter(isTopic)
  const rules = record ? listOfText(lookup(record, 'rules')).filter((r) => /^[a-z0-9][\w./*-]*$/i.test(r)) : []
  const givenKinds = record ? listOfText(lookup(record, 'kinds')).map((k) => k.toLowerCase()) : []
  const badKinds = givenKinds.filter((k) => !KINDS.has(k) || k === 'other')
  if (badKinds.length > 0) warn(`checklist item "${id}": unknown file kind${badKinds.length > 1 ? 's' : ''} ${badKinds.join(', ')} ignored`)
  const kinds = givenKinds.filter((k): k is FileKind => KINDS.has(k) && k !== 'other')
  return {
    // `topics: []` written on purpose means "no rule answers this"; an absent key means "infer".
    topics: (record && lookup(record, 'topics') !== undefined) || rules.length > 0 ? topics : inferTopics(question),
    ...(rules.length > 0 ? { rules } : {}),
    ...(kinds.length > 0 ? { kinds } : {})
  }
}

// ── The set: bundled plus repository ──────────────────────────────────────────────────────────

function byPath(a: PersonaSource, b: PersonaSource): number {
  const pa = String(a?.path ?? '')
  const pb = String(b?.path ?? '')
  return pa < pb ? -1 : pa > pb ? 1 : 0
}

function parseAll(sources: PersonaSource[], origin: Persona['origin'], warnings: string[]): Persona[] {
  const personas: Persona[] = []
  for (const source of [...sources].sort(byPath)) {
    const parsed = parsePersona(source, origin)
    warnings.push(...parsed.warnings)
    if (parsed.error) warnings.push(parsed.error)
    if (parsed.persona) personas.push(parsed.persona)
  }
  return personas
}

/**
 * Within one origin the first file in path order wins: a later persona with a taken name is
 * dropped, a later alias that is taken is removed from the later persona.
 */
function dedupe(personas: Persona[], warnings: string[]): Persona[] {
  const owner = new Map<string, Persona>()
  const kept: Persona[] = []
  for (const persona of personas) {
    const holder = owner.get(persona.name)
    if (holder) {
      warnings.push(`${persona.source}: persona "${persona.name}" is already defined by ${holder.source}; the first one (${holder.source}) is used and this one is ignored`)
      continue
    }
    const aliases: string[] = []
    for (const alias of persona.aliases) {
      const aliasHolder = owner.get(alias)
      if (aliasHolder) {
        warnings.push(`${persona.source}: alias "${alias}" is already claimed by ${aliasHolder.source}; it stays with ${aliasHolder.source}`)
      } else {
        aliases.push(alias)
      }
    }
    const accepted = { ...persona, aliases }
    const explicit = EXPLICIT.get(persona)
    if (explicit) EXPLICIT.set(accepted, explicit)
    for (const key of [accepted.name, ...accepted.aliases]) owner.set(key, accepted)
    kept.push(accepted)
  }
  return kept
}

/** Bundled first, then repository ones (which replace bundled ones of the same name). */
export function loadPersonaSet(bundled: PersonaSource[], repository: PersonaSource[]): PersonaLoadResult {
  const warnings: string[] = []
  try {
    let base = dedupe(parseAll(Array.isArray(bundled) ? bundled : [], 'bundled', warnings), warnings)
    const local = dedupe(parseAll(Array.isArray(repository) ? repository : [], 'repository', warnings), warnings)

    const additions: Persona[] = []
    for (const persona of local) {
      const index = base.findIndex((b) => b.name === persona.name)
      let own = persona
      if (index >= 0) {
        const replaced = base[index]
        warnings.push(`${persona.source}: replaces the bundled persona "${replaced.name}" (${replaced.source})`)
        own = inheritFrom(replaced, persona)
        base = base.map((b, i) => (i === index ? own : b))
      } else {
        additions.push(own)
      }
      // The repository's own configuration wins an alias over a bundled persona; a bundled
      // persona's name cannot be taken away, so such an alias is dropped from the local one.
      const keys = new Set([own.name, ...own.aliases])
      base = base.map((b) => {
        if (b === own || b.origin !== 'bundled') return b
        const lost = b.aliases.filter((a) => keys.has(a))
        if (lost.length === 0) return b
        warnings.push(`${own.source}: alias ${lost.map((a) => `"${a}"`).join(', ')} now refers to this persona instead of the bundled ${b.source}`)
        return { ...b, aliases: b.aliases.filter((a) => !keys.has(a)) }
      })
      const clash = own.aliases.filter((a) => base.some((b) => b.origin === 'bundled' && b.name === a))
      if (clash.length > 0) {
        warnings.push(`${own.source}: alias ${clash.map((a) => `"${a}"`).join(', ')} is the name of a bundled persona; ignored`)
        const cleaned = { ...own, aliases: own.aliases.filter((a) => !clash.includes(a)) }
        base = base.map((b) => (b === own ? cleaned : b))
        const at = additions.indexOf(own)
        if (at >= 0) additions[at] = cleaned
      }
    }
    return { personas: [...base, ...additions], warnings }
  } catch (error) {
    warnings.push(`personas could not be loaded: ${error instanceof Error ? error.message : String(error)}`)
    return { personas: [], warnings }
  }
}

/** Looks a persona up by name, alias or display name (case-insensitive). */
export function findPersona(personas: Persona[], nameOrAlias: string): Persona | undefined {
  const key = nameOrAlias.trim().toLowerCase()
  const slug = slugify(key)
  return (
    personas.find((p) => p.name === key || p.aliases.includes(key) || p.displayName.toLowerCase() === key) ??
    (slug ? personas.find((p) => p.name === slug || p.aliases.includes(slug)) : undefined)
  )
}
