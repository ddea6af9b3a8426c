/**
 * Key/value assignments as written in IaC and config files, found line by line so every value
 * keeps its exact line and offset: HCL `x = "…"`, YAML `x: …`, JSON `"x": "…"`, Dockerfile
 * ENV/ARG, `.env`/properties/shell `X=…`, Kubernetes `- name: X` / `value: …` pairs.
 * Only literal scalars are returned; deciding whether a value is a secret is the caller's job.
 */
import type { SourceFile } from '../../types.js'

export type Dialect = 'hcl' | 'yaml' | 'json' | 'dockerfile' | 'env' | 'text'

export interface Assignment {
  key: string
  /** The value as the program sees it (unquoted, unescaped). */
  value: string
  /** 1-based line of the value. */
  line: number
  /** Offsets of the value as written in the content (inside quotes). */
  start: number
  end: number
  /** True for HCL heredocs (`<<EOF … EOF`): the value spans several lines. */
  multiline?: boolean
  /**
   * True where the pair is program code rather than configuration, though the file is not source
   * code: inside a YAML block scalar whose key names a script (`manage-token.js: |`), or a quoted
   * key before a bare name and `,`/`;` (`"token": base64Token,`). An unquoted value there is an
   * expression of the program, not a string.
   */
  code?: true
}

/**
 * Source files of languages in which a bare word is a name of the program (a variable, a
 * constant), never a string. Shell is not one: `TOKEN=abc` assigns the string `abc`.
 */
export const SOURCE_CODE_FILE = /\.(?:py|pyi|js|mjs|cjs|jsx|ts|tsx|go|rb|java|kt|kts|cs|php|rs|scala|groovy|swift)$/i

/** Suffixes of template files whose name keeps the extension of what they render (`app.conf.j2`). */
const TEMPLATE_SUFFIX = /(?<=\.[a-z0-9]{1,10})\.(?:tpl|tmpl|gotmpl|j2|jinja2?|template|erb)$/

/**
 * How to read a file's assignments. `kindDialect` is what its file kind says (the language's
 * `secretsDialect`); HCL and Dockerfile kinds decide, a `.json` name beats a YAML kind.
 */
export function dialectOf(file: Pick<SourceFile, 'path' | 'kind'>, kindDialect?: Dialect): Dialect {
  // A template is read as what it renders to: `cloud-init.yaml.tpl` as YAML, `user-data.sh.j2` as shell.
  const name = file.path.slice(file.path.lastIndexOf('/') + 1).toLowerCase().replace(TEMPLATE_SUFFIX, '')
  if (kindDialect === 'hcl' || /\.(?:tf|hcl|tfvars)$/.test(name)) return 'hcl'
  if (kindDialect === 'dockerfile' || /^dockerfile|\.dockerfile$|^containerfile/.test(name)) return 'dockerfile'
  if (/\.json$/.test(name)) return 'json'
  if (/\.ya?ml$/.test(name) || kindDialect === 'yaml') return 'yaml'
  if (/^\.env|\.env$|\.properties$|\.ini$|\.cfg$|\.conf$|\.sh$|\.bash$/.test(name)) return 'env'
  return 'text'
}

/** Offsets of the start of each line. */
export function lineStarts(content: string): number[] {
  const starts = [0]
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) starts.push(i + 1)
  return starts
}

/** 1-based line of an offset (binary search over line starts). */
export function lineAt(starts: number[], offset: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid] <= offset) lo = mid
    else hi = mid - 1
  }
  return lo + 1
}

/** `starts` and `lines`: the content's `lineStarts` and its lines (split on `\n`), when the caller has them already. */
export function extractAssignments(content: string, dialect: Dialect, starts: number[] = lineStarts(content), lines: readonly string[] = content.split('\n')): Assignment[] {
  switch (dialect) {
    case 'hcl':
      return hclAssignments(lines, starts)
    case 'json':
      return jsonAssignments(content, starts)
    case 'yaml': {
      const scriptLines = new Set<number>()
      const out = yamlAssignments(lines, starts, scriptLines)
      for (let i = 0; i < lines.length; i++) shellAssignment(lines[i], i, starts, true, out)
      // `const token=value;` at the start of a line of an embedded script reads as `X=…` too.
      if (scriptLines.size > 0) for (const a of out) if (scriptLines.has(a.line - 1)) a.code = true
      return out
    }
    case 'dockerfile':
      return dockerfileAssignments(lines, starts)
    case 'env': {
      const out: Assignment[] = []
      for (let i = 0; i < lines.length; i++) shellAssignment(lines[i], i, starts, false, out)
      return out
    }
    default: {
      const out: Assignment[] = []
      for (let i = 0; i < lines.length; i++) shellAssignment(lines[i], i, starts, true, out)
      for (const a of jsonAssignments(content, starts)) out.push(a)
      // In other text (source code, templates) a `key: "value"` pair counts when the quoted
      // value is the whole value: `throw Error("invalid credentials: 'type' is wrong")` holds none.
      for (const a of yamlAssignments(lines, starts)) if (/["']/.test(content[a.start - 1] ?? '') && QUOTED_VALUE_ENDS.test(restOfLine(content, a.end + 1))) out.push(a)
      return out
    }
  }
}

/** What may follow a quoted value that is a whole value: a separator, a closing bracket, a comment. */
const QUOTED_VALUE_ENDS = /^\s*(?:[,;})\]]|\/\/|#|$)/

function restOfLine(content: string, from: number): string {
  const end = content.indexOf('\n', from)
  return content.slice(from, end < 0 ? content.length : end)
}

// ── quoting ──────────────────────────────────────────────────────────────────────────────────

function unescapeDouble(raw: string): string {
  // Without a backslash there is nothing to unescape (JSON.parse returns it or throws).
  if (!raw.includes('\\')) return raw
  try {
    return JSON.parse(`"${raw}"`) as string
  } catch {
    return raw
  }
}

interface Scalar {
  value: string
  /** Offset of the value within the text it was read from. */
  offset: number
  length: number
}

/** A scalar at the start of `text`: "double", 'single' or plain (up to a ` #` comment). */
function readScalar(text: string, plainStop: RegExp): Scalar | undefined {
  if (text.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"/.exec(text)
    return m ? { value: unescapeDouble(m[1]), offset: 1, length: m[1].length } : undefined
  }
  if (text.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'/.exec(text)
    return m ? { value: m[1].replace(/''/g, "'"), offset: 1, length: m[1].length } : undefined
  }
  const stop = plainStop.exec(text)
  const raw = (stop ? text.slice(0, stop.index) : text).trimEnd()
  return raw ? { value: raw, offset: 0, length: raw.length } : undefined
}

// ── HCL ──────────────────────────────────────────────────────────────────────────────────────

const HCL_ATTR = /(?:^|[\s{,(])("?)([A-Za-z_][\w-]*)\1\s*=\s*"((?:[^"\\]|\\.)*)"/g
const HCL_HEREDOC = /^\s*("?)([A-Za-z_][\w-]*)\1\s*=\s*<<-?\s*"?([A-Za-z_]\w*)"?\s*$/

function hclAssignments(lines: readonly string[], starts: number[]): Assignment[] {
  const out: Assignment[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    // Cheap tests first, sound as each expression needs its literal: `<<` for a heredoc, `=` for an attribute.
    const heredoc = line.includes('<<') ? HCL_HEREDOC.exec(line) : null
    if (heredoc) {
      const marker = heredoc[3]
      let j = i + 1
      while (j < lines.length && lines[j].trim() !== marker) j++
      if (j > i + 1) {
        const start = starts[i + 1]
        const end = starts[j - 1] + lines[j - 1].length
        out.push({ key: heredoc[2], value: lines.slice(i + 1, j).join('\n'), line: i + 2, start, end, multiline: true })
      }
      // A heredoc is usually a script: its `export X=…` lines are shell assignments.
      for (let k = i + 1; k < j; k++) shellAssignment(lines[k], k, starts, true, out)
      i = j
      continue
    }
    if (!line.includes('=') || /^\s*(?:#|\/\/)/.test(line)) continue
    HCL_ATTR.lastIndex = 0
    for (let m = HCL_ATTR.exec(line); m !== null; m = HCL_ATTR.exec(line)) {
      const raw = m[3]
      const start = starts[i] + (m.index ?? 0) + m[0].length - raw.length - 1
      out.push({ key: m[2], value: unescapeDouble(raw), line: i + 1, start, end: start + raw.length })
    }
  }
  return out
}

// ── JSON ─────────────────────────────────────────────────────────────────────────────────────

const JSON_PAIR = /(?<![^{,\s[])"((?:[^"\\\n]|\\.)*)"\s*:\s*"((?:[^"\\\n]|\\.)*)"/g

function jsonAssignments(content: string, starts: number[]): Assignment[] {
  const out: Assignment[] = []
  JSON_PAIR.lastIndex = 0
  for (let m = JSON_PAIR.exec(content); m !== null; m = JSON_PAIR.exec(content)) {
    // `isSelfHosted ? "Database:SelfHostPassword" : "Database:Password"`: the branches of a conditional in code, no pair.
    if (afterQuestionMark(content, m.index)) continue
    const raw = m[2]
    const start = (m.index ?? 0) + m[0].length - raw.length - 1
    out.push({ key: unescapeDouble(m[1]), value: unescapeDouble(raw), line: lineAt(starts, start), start, end: start + raw.length })
  }
  return out
}

/** Whether the last character before `index`, blanks aside (on the same line), is a `?`. */
function afterQuestionMark(content: string, index: number): boolean {
  let i = index - 1
  while (i >= 0 && (content[i] === ' ' || content[i] === '\t')) i--
  return content[i] === '?'
}

// ── shell, .env, properties ──────────────────────────────────────────────────────────────────

/**
 * `X=value`, `export X="value"`; `strict` (inside scripts) wants no space around `=`, while
 * .env and properties files allow `key = value` and `key: value`.
 */
const SHELL_STRICT = /^(\s*(?:-\s+)?["']?(?:export\s+|set\s+|setx\s+)?)([A-Za-z_][\w.-]*)=/
const SHELL_LOOSE = /^(\s*(?:export\s+)?)([A-Za-z_][\w.-]*)\s*[=:]\s*/
const SHELL_VALUE_STOP = /(?<!\s)\s+#|["']\s*$|(?<!\s)\s*$/

/** Adds the line's assignment, if it holds one, to `out` (pushed, not returned: most lines hold none). */
function shellAssignment(line: string, index: number, starts: number[], strict: boolean, out: Assignment[]): void {
  // Every assignment has an `=` (strict) or an `=` or `:` (loose) on its line.
  if (!line.includes('=') && (strict || !line.includes(':'))) return
  const m = (strict ? SHELL_STRICT : SHELL_LOOSE).exec(line)
  if (!m) return
  const rest = line.slice(m[0].length)
  // `name==1.2.0` (a pip pin) or `a == b` (a comparison) assigns nothing.
  if (rest.startsWith('=')) return
  const scalar = readScalar(rest, SHELL_VALUE_STOP)
  if (!scalar) return
  // `token_num_uses=10 \`: the backslash continues the command on the next line.
  let value = scalar.offset === 0 ? withoutContinuation(scalar.value) : scalar.value
  // `- "KEY=value"` in a YAML list: the closing quote belongs to the item, not the value.
  if (/^\s*-\s+["']/.test(m[1]) && /["']$/.test(value)) value = value.slice(0, -1)
  const start = starts[index] + m[0].length + scalar.offset
  out.push({ key: m[2], value, line: index + 1, start, end: start + value.length })
}

/** `10 \` → `10`: a trailing backslash after blanks continues the command; it is not part of the value. */
function withoutContinuation(value: string): string {
  if (!value.endsWith('\\')) return value
  const body = value.slice(0, -1)
  const trimmed = body.trimEnd()
  return trimmed.length < body.length ? trimmed : value
}

// ── Dockerfile ───────────────────────────────────────────────────────────────────────────────

const DOCKER_PAIR = /(?<![\w.-])([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s\\]+)/g

function dockerfileAssignments(lines: readonly string[], starts: number[]): Assignment[] {
  const out: Assignment[] = []
  let continuing = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const instr = /^(\s*(?:ENV|ARG)\s+)(.*)/i.exec(line)
    const body: string | undefined = instr ? instr[2] : continuing ? line : undefined
    const bodyOffset = instr ? instr[1].length : 0
    continuing = body !== undefined && /\\\s*$/.test(line)
    if (body === undefined) continue
    let found = false
    DOCKER_PAIR.lastIndex = 0
    for (let m = DOCKER_PAIR.exec(body); m !== null; m = DOCKER_PAIR.exec(body)) {
      found = true
      const quoted = /^["']/.test(m[2])
      const raw = quoted ? m[2].slice(1, -1) : m[2]
      const start = starts[i] + bodyOffset + (m.index ?? 0) + m[1].length + 1 + (quoted ? 1 : 0)
      out.push({ key: m[1], value: m[2].startsWith('"') ? unescapeDouble(raw) : raw, line: i + 1, start, end: start + raw.length })
    }
    // Legacy `ENV KEY value with spaces`.
    const legacy = instr && !found ? /^([A-Za-z_][\w.-]*)\s+(\S(?:.*\S)?)\s*$/.exec(body) : null
    if (legacy) {
      const start = starts[i] + bodyOffset + body.indexOf(legacy[2], legacy[1].length)
      out.push({ key: legacy[1], value: legacy[2], line: i + 1, start, end: start + legacy[2].length })
    }
  }
  return out
}

// ── YAML ─────────────────────────────────────────────────────────────────────────────────────

// A plain key holds no parenthesis, brace, semicolon or `=`: `const x = f({token: …})` is code.
const YAML_KEY = /^(\s*)(-\s+)?(?:"([^"]+)"|'([^']+)'|([^\s#"'{}[\],&*!|>%@`-](?:[^:#(){};=]*[^:#\s(){};=])?))\s*:(?=\s|$)\s*/

interface YamlLine {
  index: number
  /** Column of the key (after any `- `). */
  keyIndent: number
  dashIndent?: number
  key: string
  /** Text after `key:`, and its offset in the line. */
  rest: string
  restOffset: number
  /** The key was written in quotes (`"token":`). */
  quotedKey: boolean
}

function parseYamlLine(line: string, index: number): YamlLine | undefined {
  // YAML_KEY needs a `:`: most lines of a file without one (list items, block text) end here.
  if (!line.includes(':') || /^\s*(?:#|$)/.test(line)) return undefined
  const m = YAML_KEY.exec(line)
  if (!m) return undefined
  const key = (m[3] ?? m[4] ?? m[5] ?? '').trim()
  if (!key) return undefined
  return {
    index,
    keyIndent: m[1].length + (m[2]?.length ?? 0),
    dashIndent: m[2] ? m[1].length : undefined,
    key,
    rest: line.slice(m[0].length),
    restOffset: m[0].length,
    quotedKey: m[3] !== undefined || m[4] !== undefined
  }
}

function yamlScalar(y: YamlLine, starts: number[], hashOpensValue = false): { value: string; start: number; end: number } | undefined {
  // `key:  # deprecated`: YAML_KEY took the blanks after the colon, so a rest opening with `#` is a
  // comment (a `#` after whitespace always is), and the key's value, if any, is on the lines below.
  // Inside a block scalar holding a properties file (`spring.datasource.password: #Xk9…` in a
  // ConfigMap's `application.properties: |`) the `#` opens the value (`hashOpensValue`).
  if (!y.rest || /^[|>{[&*]/.test(y.rest) || (!hashOpensValue && y.rest.startsWith('#'))) return undefined
  const s = readScalar(y.rest, /(?<!\s)\s+#/)
  if (!s) return undefined
  const start = starts[y.index] + y.restOffset + s.offset
  return { value: s.value, start, end: start + s.length }
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)?.[0].length ?? 0
}

/** `|`, `>-`, `|2`, then at most a comment: the value is a block scalar on the lines below. */
const BLOCK_SCALAR_HEADER = /^[|>][-+0-9]{0,3}\s*(?:#.*)?$/

/**
 * Adds to `into` the indexes of the lines of each block scalar whose key names a source file
 * (`manage-es-token.js: |` in a ConfigMap): the lines deeper than the key, blank lines included,
 * up to the first line that is not.
 */
function markScriptBlocks(parsed: ReadonlyArray<YamlLine | undefined>, lines: readonly string[], into: Set<number>): void {
  for (const y of parsed) {
    if (!y || !SOURCE_CODE_FILE.test(y.key) || !BLOCK_SCALAR_HEADER.test(y.rest)) continue
    for (let j = y.index + 1; j < lines.length && (lines[j].trim() === '' || indentOf(lines[j]) > y.keyIndent); j++) into.add(j)
  }
}

/**
 * The lines inside block scalars (`key: |` and deeper lines): text a YAML parser never reads as
 * mappings. Each maps to the key of its outermost block (`application.properties`), which names
 * the format of the text.
 */
function blockScalarLines(parsed: ReadonlyArray<YamlLine | undefined>, lines: readonly string[]): Map<number, string> {
  const out = new Map<number, string>()
  for (const y of parsed) {
    if (!y || out.has(y.index) || !BLOCK_SCALAR_HEADER.test(y.rest)) continue
    for (let j = y.index + 1; j < lines.length && (lines[j].trim() === '' || indentOf(lines[j]) > y.keyIndent); j++) out.set(j, y.key)
  }
  return out
}

/**
 * Files whose comments open only at a line's start, so `key: #x` holds the value `#x`: Java
 * properties, and INI as Python's configparser and PHP read it by default. Not YAML, TOML or `.env`
 * (` #` opens a comment there), nor `.cfg` or `.conf`, whose many formats disagree.
 */
const HASH_VALUE_FILE = /\.(?:properties|ini)$/i

/** `base64Token,`: a bare name closing an entry, as code writes it after a quoted key. */
const BARE_NAME_ENTRY = /^[A-Za-z_$][\w$.]{0,200}[,;]$/

/**
 * `key: value` on every line, plus two shapes where the key and the value are on different
 * lines: Kubernetes-style `- name: DB_PASSWORD` / `value: …` items, and `db-password:` whose
 * child `value:` holds the literal. The lines of embedded scripts (see `markScriptBlocks`) are
 * added to `scriptLines` when given, and their pairs marked as code.
 */
function yamlAssignments(lines: readonly string[], starts: number[], scriptLines?: Set<number>): Assignment[] {
  const parsed = lines.map((l, i) => parseYamlLine(l, i))
  // Both two-line shapes end in a `value:` key: without one, only one-line pairs exist.
  const hasValueKey = parsed.some((y) => y?.key === 'value')
  const scripts = scriptLines ?? new Set<number>()
  markScriptBlocks(parsed, lines, scripts)
  const out: Assignment[] = []
  let blocks: Map<number, string> | undefined
  for (const y of parsed) {
    if (!y) continue
    // Inside a properties file's block a `#` after the colon is part of the value; in YAML's (`application.yml: |`) a comment.
    const scalar = yamlScalar(y, starts, y.rest.startsWith('#') && HASH_VALUE_FILE.test((blocks ??= blockScalarLines(parsed, lines)).get(y.index) ?? ''))
    // `"token": base64Token,` inside a block scalar is JavaScript or Python. On a YAML line itself (a
    // flow mapping's `"password": Sunshine2024,`) it is YAML, and the value the string `Sunshine2024`.
    const code = scripts.has(y.index) || (y.quotedKey && (blocks ??= blockScalarLines(parsed, lines)).has(y.index) && scalar !== undefined && scalar.start === starts[y.index] + y.restOffset && BARE_NAME_ENTRY.test(scalar.value))
    if (scalar) out.push({ key: y.key, line: y.index + 1, ...scalar, ...(code ? { code: true as const } : {}) })
    if (!hasValueKey) continue
    // The first `value:` child of this key or list item: lines indented deeper, until the block ends.
    const valueChildAt = (indent: number): YamlLine | undefined => {
      for (let j = y.index + 1; j < lines.length; j++) {
        if (/^\s*(?:#|$)/.test(lines[j])) continue
        const ind = indentOf(lines[j])
        if (ind < indent) break
        const child = parsed[j]
        if (child && child.keyIndent === indent && child.dashIndent === undefined && child.key === 'value') return child
      }
      return undefined
    }
    if (y.dashIndent !== undefined && y.key === 'name' && scalar) {
      const value = valueChildAt(y.keyIndent)
      const v = value && yamlScalar(value, starts)
      if (v) out.push({ key: scalar.value, line: value.index + 1, ...v })
    } else if (!y.rest || /^#/.test(y.rest)) {
      let j = y.index + 1
      while (j < lines.length && /^\s*(?:#|$)/.test(lines[j])) j++
      const next = parsed[j]
      if (next && next.keyIndent > y.keyIndent && next.dashIndent === undefined) {
        const value = valueChildAt(next.keyIndent)
        const v = value && yamlScalar(value, starts)
        if (v) out.push({ key: y.key, line: value.index + 1, ...v })
      }
    }
  }
  return out
}

// ── HCL conditionals ─────────────────────────────────────────────────────────────────────────

/**
 * The result branches of an HCL conditional (`cond ? a : b`, every leaf of a chain) with their offsets in `text`;
 * undefined when `text` is not one at top level. Quotes and brackets are skipped, so a `?` or `:`
 * inside a string or a nested call does not split.
 */
export function conditionalBranches(text: string, level = 0): Array<{ text: string; offset: number }> | undefined {
  const split = splitConditional(text)
  if (!split) return undefined
  // A chained conditional (`a ? x : b ? y : z`, HCL's switch): each branch that is one itself
  // gives its own branches. Capped, so a pathological chain costs a bounded number of passes.
  if (level >= 16) return split
  return split.flatMap((b) => conditionalBranches(b.text, level + 1)?.map((inner) => ({ text: inner.text, offset: b.offset + inner.offset })) ?? [b])
}

/** Indexes of the characters of an HCL expression outside strings and brackets, in order. */
function* topLevelIndexes(text: string): Generator<number> {
  let depth = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '\\') i++
      else if (ch === '"') quoted = false
    } else if (ch === '"') quoted = true
    else if ('([{'.includes(ch)) depth++
    else if (')]}'.includes(ch)) depth--
    else if (depth === 0) yield i
  }
}

/** Top-level arguments of a call's argument text, with their offsets (commas inside quotes or brackets do not split). */
export function callArguments(text: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = []
  let from = 0
  for (const i of topLevelIndexes(text)) {
    if (text[i] !== ',') continue
    out.push({ text: text.slice(from, i), offset: from })
    from = i + 1
  }
  out.push({ text: text.slice(from), offset: from })
  return out
}

/** The two branches of a top-level `?:` in an expression, or undefined. */
function splitConditional(text: string): Array<{ text: string; offset: number }> | undefined {
  let question = -1
  let nested = 0
  for (const i of topLevelIndexes(text)) {
    if (text[i] === '?') {
      if (question < 0) question = i
      else nested++
    } else if (text[i] === ':' && question >= 0) {
      // `a ? b ? c : d : e`: the first `:` closes the innermost `?`.
      if (nested > 0) {
        nested--
        continue
      }
      return [
        { text: text.slice(question + 1, i), offset: question + 1 },
        { text: text.slice(i + 1), offset: i + 1 }
      ]
    }
  }
  return undefined
}
