/**
 * Frontmatter of persona files: split the `---` block off the Markdown body and read it as YAML.
 * Only YAML is ever read: a fence that names another language (`---js`, `---javascript`, …) is
 * refused outright, because other frontmatter tools evaluate such blocks as code.
 *
 * Real persona files are often not valid YAML (unquoted descriptions holding `: `, literal `\n`,
 * examples spread over many lines). When the strict parse fails, the keys are recovered line by
 * line: a known top-level key starts at column 0, and its value runs until the next known key.
 */
import { parseDocument } from 'yaml'

export type SplitResult =
  | { ok: true; frontmatter: string; body: string; /** 1-based line of the frontmatter's first line. */ firstLine: number }
  | { ok: false; reason: string }

const OPENING_FENCE = /^---[ \t]*(?![ \t])([A-Za-z0-9_+-]*)[ \t]*$/
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*$/
const CODE_LANGUAGES = new Set(['js', 'javascript', 'coffee', 'coffeescript', 'ts', 'typescript', 'node'])

export function splitFrontmatter(text: string): SplitResult {
  const lines = text.split(/\r\n|\r|\n/)
  let start = 0
  while (start < lines.length && lines[start].trim() === '') start++
  if (start >= lines.length) return { ok: false, reason: 'the file is empty' }
  const opening = OPENING_FENCE.exec(lines[start])
  if (!opening) return { ok: false, reason: 'no frontmatter (a persona file starts with a `---` line)' }
  const language = opening[1].toLowerCase()
  if (CODE_LANGUAGES.has(language)) {
    return { ok: false, reason: `\`---${opening[1]}\` frontmatter is refused: it would be executable code, and only YAML is read` }
  }
  if (language !== '' && language !== 'yaml' && language !== 'yml') {
    return { ok: false, reason: `\`---${opening[1]}\` frontmatter is not supported: only YAML is read` }
  }
  for (let end = start + 1; end < lines.length; end++) {
    if (CLOSING_FENCE.test(lines[end])) {
      return {
        ok: true,
        frontmatter: lines.slice(start + 1, end).join('\n'),
        body: lines.slice(end + 1).join('\n'),
        firstLine: start + 2
      }
    }
  }
  return { ok: false, reason: `the frontmatter opened at line ${start + 1} is never closed with \`---\`` }
}

export type StrictResult = { ok: true; data: Record<string, unknown>; warnings: string[] } | { ok: false; problem: string }

/** Alias expansion cap: frontmatter is small, so anything beyond this is a bomb, not a persona. */
const MAX_ALIAS_COUNT = 50

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parses a YAML mapping; never throws. `firstLine` shifts reported line numbers to the file's. */
export function parseStrict(yamlText: string, firstLine = 1): StrictResult {
  try {
    const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: false })
    const error = doc.errors[0]
    if (error) {
      const offset = Math.max(0, Math.min(error.pos[0], yamlText.length))
      const line = yamlText.slice(0, offset).split('\n').length + firstLine - 1
      return { ok: false, problem: `line ${line}: ${error.message.split('\n')[0]}` }
    }
    const data: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
    if (data === null || data === undefined) return { ok: true, data: {}, warnings: [] }
    if (!isRecord(data)) return { ok: false, problem: 'the frontmatter is not a mapping of keys to values' }
    const warnings = doc.warnings.map((w) => w.message.split('\n')[0])
    return { ok: true, data, warnings }
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message.split('\n')[0] : 'unreadable YAML' }
  }
}

/**
 * Keys that start a new top-level entry during line-based recovery. Anything else at column 0
 * (`user: "…"` inside an example, say) is treated as part of the previous value.
 */
const KNOWN_KEYS = new Set([
  'name',
  'description',
  'model',
  'tools',
  'color',
  'aliases',
  'triggers',
  'checklist',
  'disallowedtools',
  'permissionmode',
  'skills',
  'hooks',
  'mcpservers',
  'memory',
  'version',
  'author',
  'tags'
])

const KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*)|$)/

/** Line-based recovery of top-level keys from frontmatter that is not valid YAML. */
export function recoverKeys(yamlText: string): Record<string, unknown> {
  const lines = yamlText.split('\n')
  const chunks: { key: string; first: string; rest: string[] }[] = []
  for (const line of lines) {
    const match = KEY_LINE.exec(line)
    if (match && KNOWN_KEYS.has(match[1].toLowerCase())) {
      chunks.push({ key: match[1], first: (match[2] ?? '').trim(), rest: [] })
    } else if (chunks.length > 0) {
      chunks[chunks.length - 1].rest.push(line)
    }
  }
  const data: Record<string, unknown> = {}
  for (const chunk of chunks) {
    if (Object.hasOwn(data, chunk.key)) continue
    data[chunk.key] = recoverValue(chunk.key, chunk.first, chunk.rest)
  }
  return data
}

/** Tries the key's own lines as YAML first (a list or mapping survives), then falls back to text. */
function recoverValue(key: string, first: string, rest: string[]): unknown {
  const own = parseStrict(`${key}: ${first}\n${rest.join('\n')}`)
  if (own.ok && Object.hasOwn(own.data, key)) return own.data[key]
  if (/^[|>][+-]?[0-9]?$/.test(first)) return dedent(rest).join('\n').trim()
  const text = [first, ...rest.map((line) => line.trim())].join('\n').trim()
  return unquote(text)
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0)
  const cut = indents.length > 0 ? Math.min(...indents) : 0
  return lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)?.[0].length ?? 0)))
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(["\\])/g, '$1')
  }
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'")
  return text
}
