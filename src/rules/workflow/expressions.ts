/**
 * `${{ … }}` expressions: where they are in the source and which context paths they read.
 * Context paths are normalized to lower case (contexts are case-insensitive) with every index
 * (`[0]`, `[*]`, `.*`) written as `*`, e.g. `github.event.commits.*.message`.
 */

export interface ExpressionSpan {
  /** Offsets into the scanned text: start of `${{`, end after `}}`. */
  start: number
  end: number
  /** The text between the braces. */
  body: string
}

export function findExpressions(text: string): ExpressionSpan[] {
  // A scan, not a lazy regex: when no `}}` follows an opening, none follows a later one either,
  // so the search stops instead of rescanning the rest of the text from every `${{`.
  const out: ExpressionSpan[] = []
  let from = 0
  for (;;) {
    const start = text.indexOf('${{', from)
    if (start < 0) break
    const close = text.indexOf('}}', start + 3)
    if (close < 0) break
    out.push({ start, end: close + 2, body: text.slice(start + 3, close) })
    from = close + 2
  }
  return out
}

const LITERALS = new Set(['true', 'false', 'null', 'nan', 'infinity'])

export interface ContextRead {
  /** Normalized path, e.g. `github.event.commits.*.message`. */
  path: string
  /** The reference as written (spaces removed), for messages. */
  text: string
  /**
   * When the read is the only argument of `fromJSON(…)` and fields of the parsed value are read
   * (`fromJSON(steps.x.outputs.result)[0].number`): those fields, normalized (`.*.number`).
   */
  jsonField?: string
}

/** Functions whose result is a boolean, whatever text their arguments hold. */
const PREDICATES = new Set(['contains', 'startswith', 'endswith'])

/**
 * Operators that may directly follow a value that then cannot reach the result as text: a
 * comparison, and `&&`, whose left operand is the result only when it is falsy (empty, null, false).
 */
const COMPARED_AFTER = /\s*(==|!=|<|>|&&)/y

/** True when code[0, start) ends (before spaces) with `==`, `!=`, `<`, `<=`, `>`, `>=` or `!`. */
function comparedBefore(code: string, start: number): boolean {
  let i = start - 1
  while (i >= 0 && /\s/.test(code[i])) i--
  const c = code[i]
  if (c === '!' || c === '<' || c === '>') return true
  return c === '=' && i > 0 && '=!<>'.includes(code[i - 1])
}

/** The function name written just before code[i] (an identifier, spaces allowed), if any. */
function nameBefore(code: string, i: number): string | undefined {
  let end = i
  while (end > 0 && /\s/.test(code[end - 1])) end--
  let begin = end
  while (begin > 0 && /\w/.test(code[begin - 1])) begin--
  while (begin < end && !/[A-Za-z_]/.test(code[begin])) begin++
  return begin < end ? code.slice(begin, end) : undefined
}

/**
 * For each offset of `code`, the offset of the innermost `(` still open there (-1 when none):
 * one pass, so looking up the enclosing call of every value stays linear.
 */
function openParens(code: string): Int32Array {
  const open = new Int32Array(code.length + 1)
  const stack: number[] = []
  for (let i = 0; i <= code.length; i++) {
    open[i] = stack.length ? stack[stack.length - 1] : -1
    if (code[i] === '(') stack.push(i)
    else if (code[i] === ')') stack.pop()
  }
  return open
}

/**
 * True when the value read at code[start, end) cannot reach the expression's result: it is an
 * operand of a comparison or of `!`, the left operand of `&&`, or an argument of
 * contains/startsWith/endsWith.
 */
function onlyTested(code: string, start: number, end: number, open: Int32Array): boolean {
  COMPARED_AFTER.lastIndex = end
  if (COMPARED_AFTER.test(code) || comparedBefore(code, start)) return true
  const paren = open[start]
  if (paren < 0) return false
  const fn = nameBefore(code, paren)?.toLowerCase()
  return fn !== undefined && PREDICATES.has(fn)
}

/** A path's tail as the contexts read it: lower case, `['name']` as `.name`, any other index as `.*`. */
function normalizedTail(tail: string): string {
  return tail
    .replace(/\s+/g, '')
    .replace(/\['([^']*)'\]/g, '.$1')
    .replace(/\[[^\][]*\]/g, '.*')
    .toLowerCase()
}

/** The field accessors written after the `)` that closes a call: `)[0].number`. */
const FIELDS_AFTER_CALL = /\s*\)((?:\s*\.\s*(?:[A-Za-z_*][\w-]*)|\s*\[[^\][]*\])+)/y

/**
 * The fields read of `fromJSON(<read>)` when the read at code[start, end) is that call's only
 * argument and some are read, normalized (`.*.number`); undefined otherwise.
 */
function fieldsOfParsed(code: string, start: number, end: number, open: Int32Array): string | undefined {
  const paren = open[start]
  if (paren < 0 || code.slice(paren + 1, start).trim() !== '' || nameBefore(code, paren)?.toLowerCase() !== 'fromjson') return undefined
  FIELDS_AFTER_CALL.lastIndex = end
  const m = FIELDS_AFTER_CALL.exec(code)
  return m ? normalizedTail(m[1]) : undefined
}

/** Context paths read by an expression body (function names and literals left out). */
export function contextPaths(body: string): string[] {
  return contextReads(body).map((r) => r.path)
}

/** Context reads of an expression body, normalized and as written. */
export function contextReads(body: string): ContextRead[] {
  // Single-quoted string literals are data, not context reads.
  const code = body.replace(/'(?:[^']|'')*'/g, (s) => (/^'[A-Za-z_][\w-]*'$/.test(s) ? s : "''"))
  const out: ContextRead[] = []
  const open = openParens(code)
  const ref = /(?<![\w.\]'-])([A-Za-z_][\w-]*)((?:\s*\.\s*(?:[A-Za-z_*][\w-]*|\*)|\s*\[[^\][]*\])*)(\s*\()?/g
  for (const m of code.matchAll(ref)) {
    if (m[3]) continue // function call: its arguments are matched on their own
    const head = m[1].toLowerCase()
    if (LITERALS.has(head) || onlyTested(code, m.index, m.index + m[0].length, open)) continue
    const written = m[1] + m[2].replace(/\s+/g, '')
    const jsonField = fieldsOfParsed(code, m.index, m.index + m[0].length, open)
    out.push({ path: head + normalizedTail(m[2]), text: written, ...(jsonField !== undefined ? { jsonField } : {}) })
  }
  return out
}

/**
 * Event fields a fork author, issue author or commenter can fill with arbitrary text. Label
 * names are not among them: only members with triage or write access create and apply labels.
 */
const UNTRUSTED_EVENT_FIELDS: RegExp[] = [
  /\.(title|body|message|email|page_name|default_branch|display_title|head_branch|description)$/,
  /\.head\.(ref|label)$/,
  /\.(author|committer|authors|pages\.\*)\.name$/,
  /^github\.event\.(workflow|workflow_run)\.path$/
]

/** Event objects that contain such fields, when read whole (e.g. `toJSON(github.event.issue)`). */
const UNTRUSTED_EVENT_OBJECT =
  /^github(\.event(\.(issue|pull_request|pull_request\.head|comment|review|review_comment|discussion|head_commit|head_commit\.author|commits|commits\.\*|pages|pages\.\*|workflow_run|workflow_run\.head_commit))?)?$/

/**
 * Parts of the event payload only repository members can write. `pusher` is the account that
 * pushed, which needs write access (a merged fork's commits keep their author, under `head_commit`
 * and `commits`, not here).
 */
const MEMBER_ONLY_EVENT = /^github\.event\.(repository|organization|enterprise|installation|sender|release|inputs|pusher)\./

/** True when the context path reads attacker-controllable event data. */
export function isUntrustedEventPath(path: string): boolean {
  if (path === 'github.head_ref') return true
  if (UNTRUSTED_EVENT_OBJECT.test(path)) return true
  if (!path.startsWith('github.event.') || MEMBER_ONLY_EVENT.test(path)) return false
  return UNTRUSTED_EVENT_FIELDS.some((re) => re.test(path))
}

/** The input name when the path reads a workflow/action input, else undefined. */
export function inputName(path: string): string | undefined {
  const m = /^(?:inputs|github\.event\.inputs)\.([\w-]+)$/.exec(path)
  return m ? m[1] : undefined
}

/** A shell variable name for a context path: `github.event.issue.title` → `ISSUE_TITLE`. */
export function envNameFor(path: string): string {
  const output = /^(?:steps|needs)\.([\w-]+)\.outputs\.([\w-]+)$/.exec(path)
  if (output) return `${output[1]}_${output[2]}`.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()
  const input = inputName(path)
  if (input) return `INPUT_${input}`.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()
  const parts = path.split('.').filter((p) => p !== '*' && p !== 'github' && p !== 'event')
  const tail = parts.slice(-2).join('_')
  const name = tail
    .replace(/^pull_request_/, 'PR_')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase()
  return /^[A-Z_]/.test(name) ? name : `V_${name}`
}

/**
 * Whether text reads a secret other than `secrets.GITHUB_TOKEN`: that token is the job's own,
 * whose rights `permissions:` decides.
 */
export function readsSecretBeyondToken(text: string): boolean {
  return findExpressions(text).some((e) => contextPaths(e.body).some((p) => p === 'secrets' || (p.startsWith('secrets.') && p !== 'secrets.github_token')))
}

/** Whether text holds a `${{ }}` expression that reads the `secrets` context (or, with `orToken`, the job token). */
export function readsSecret(text: string, orToken = false): boolean {
  return findExpressions(text).some((e) => contextPaths(e.body).some((p) => p === 'secrets' || p.startsWith('secrets.') || (orToken && p === 'github.token')))
}

/** The job token's context paths: `secrets.GITHUB_TOKEN` and `github.token` are one token. */
export const JOB_TOKEN = new Set(['secrets.github_token', 'github.token'])

/** Whether text is one expression reading the job's token and nothing else (`${{ github.token }}`), as GitHub decodes it. */
export function isJobToken(text: string): boolean {
  const value = text.trim()
  const spans = findExpressions(value)
  if (spans.length !== 1 || spans[0].start !== 0 || spans[0].end !== value.length) return false
  const paths = contextPaths(spans[0].body)
  return paths.length > 0 && paths.every((p) => JOB_TOKEN.has(p))
}
