/**
 * Redaction: the one path every output and every model request goes through so that no secret
 * leaves in clear. Two sources decide what is masked:
 * - credential *shapes* (provider tokens, private keys, URL passwords, `Authorization` headers,
 *   `curl -u`, `mysql -p`, `AccountKey=`, docker `auth`, `secret_key = value`), masked anywhere;
 * - the *locations* of the secrets the rules found: each value is masked at its own line when the
 *   source of its file is echoed (diff hunks, suggestions), and a strong value (long, varied, not
 *   a word) also everywhere else. A short or word-like value (`postgres`, `root`) is never masked
 *   outside its own line, so paths, rule ids and messages built from identifiers stay intact.
 *
 * A mask keeps a short prefix (`AKIA****`), the same secret always masks the same way, and
 * redacting twice changes nothing. The cost is proportional to the text printed: strong values
 * are looked up by a 4-character prefix, never searched one by one.
 */
import type { SecretLocation } from './types.js'
import { classifyKey, whyNotLiteral, looksRandom } from './rules/secrets/keys.js'
import {
  AUTH_HEADER_SOURCE,
  AZURE_KEY_SOURCE,
  CURL_USER_SOURCE,
  DOCKER_AUTH_SOURCE,
  FLAG_SOURCE,
  CURL_COMMAND,
  MASK,
  MYSQL_COMMAND,
  MYSQL_SOURCE,
  lineBefore,
  PRIVATE_KEY_SOURCE,
  anyCase,
  isDockerAuth,
  URL_PASSWORD_SOURCE,
  combinedTokenSource,
  TOKEN_PATTERNS,
  isUrlPasswordPlaceholder,
  looksMasked
} from './rules/secrets/patterns.js'
import { escapeRegExp } from './util/regex.js'

export type { SecretLocation } from './types.js'
export { MASK } from './rules/secrets/patterns.js'

/** Keeps at most 4 characters and never more than a quarter of the value, then `****`. */
export function maskSecret(value: string): string {
  const chars = Array.from(value)
  const keep = Math.min(4, Math.floor(chars.length / 4))
  return chars.slice(0, keep).join('') + MASK
}

// ── which values may be masked everywhere ────────────────────────────────────────────────────

/** Below this length a value is only masked at its own location. */
const STRONG_MIN_LENGTH = 10
/** Letters (and separators) with at most a short number at the end: a word, a name, a slug. */
const WORDLIKE = /^[A-Za-z]+(?:[-_. ][A-Za-z]+){0,8}[-_.]?[0-9]{0,4}[!.?]?$/

/** Long enough that a random-looking value cannot be an identifier someone would print. */
const RANDOM_MIN_LENGTH = 20

/**
 * True for a value safe to mask wherever it appears: no whitespace, and either not a word or slug
 * (`hunter2hunter`, `S3cr3t!pass`) or long and random (`AKIA…`, generated keys). `postgres`,
 * `root`, `gitea-postgres`, `password123` are not: they are only masked at their own line.
 */
export function isStrongSecret(value: string): boolean {
  if (value.length < STRONG_MIN_LENGTH || /\s/.test(value) || looksMasked(value)) return false
  if (value.length >= RANDOM_MIN_LENGTH && looksRandom(value)) return true
  if (WORDLIKE.test(value)) return false
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length >= 2
}

// ── strong values: one pass over the text, looked up by prefix ──────────────────────────────

/** Work done so far: characters scanned and candidate values compared (tests assert its growth). */
const work = { scanned: 0, compared: 0 }

export function redactionWork(): Readonly<typeof work> {
  return { ...work }
}

const PREFIX = 4

/** Every strong value in the forms it is echoed in (as is, URL-encoded, JSON-escaped). */
class StrongIndex {
  private readonly buckets = new Map<string, string[]>()
  /** The first two characters of the values, when both are ASCII: 1 at `first * 128 + second`. */
  private readonly asciiPairs = new Uint8Array(128 * 128)
  /** The same for a value starting with a non-ASCII character: `first * 65536 + second`. */
  private readonly otherPairs = new Set<number>()

  constructor(values: Iterable<string>) {
    const needles = new Set<string>()
    for (const v of values) {
      needles.add(v)
      needles.add(encodeURIComponent(v))
      needles.add(JSON.stringify(v).slice(1, -1))
    }
    for (const n of needles) {
      const key = n.slice(0, PREFIX)
      const bucket = this.buckets.get(key) ?? []
      bucket.push(n)
      this.buckets.set(key, bucket)
      const [first, second] = [n.charCodeAt(0), n.charCodeAt(1)]
      if ((first | second) < 128) this.asciiPairs[first * 128 + second] = 1
      else this.otherPairs.add(first * 65536 + second)
    }
    // Longest first, so a value that contains another is masked whole.
    for (const bucket of this.buckets.values()) bucket.sort((a, b) => b.length - a.length)
  }

  get size(): number {
    return this.buckets.size
  }

  /**
   * The first index from `from` to `last` where two characters start some value, or -1. A tight
   * loop of its own: two character codes and a table per character, where a lookup of the
   * 4-character prefix per character cost most of a result's redaction.
   */
  private nextCandidate(text: string, from: number, last: number): number {
    for (let i = from; i <= last; i++) {
      const first = text.charCodeAt(i)
      const second = text.charCodeAt(i + 1)
      if ((first | second) < 128 ? this.asciiPairs[first * 128 + second] === 1 : this.otherPairs.has(first * 65536 + second)) return i
    }
    return -1
  }

  mask(text: string): string {
    if (this.buckets.size === 0) return text
    let out = ''
    let done = 0
    const last = text.length - PREFIX
    for (let i = this.nextCandidate(text, 0, last); i !== -1; i = this.nextCandidate(text, i + 1, last)) {
      const bucket = this.buckets.get(text.slice(i, i + PREFIX))
      if (!bucket) continue
      const hit = bucket.find((n) => (work.compared++, text.startsWith(n, i)))
      if (hit === undefined) continue
      out += text.slice(done, i) + maskSecret(hit)
      done = i + hit.length
      i = done - 1
    }
    return done === 0 ? text : out + text.slice(done)
  }
}

// ── credential shapes ────────────────────────────────────────────────────────────────────────

const SECRET_KEY_WORDS = ['password', 'passwd', 'pwd', 'pass', 'secret', 'token', 'api_key', 'api-key', 'apikey', 'access_key', 'accesskey', 'accountkey', 'account_key', 'private_key', 'privatekey', 'credential', 'connection_string', 'connectionstring']
const KEY_VALUE_SOURCE =
  `(?<kvKey>(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,60}(?:${SECRET_KEY_WORDS.map(anyCase).join('|')})[A-Za-z0-9_.-]{0,60})` +
  `(?<kvSep>["']?[ \\t]*[:=][ \\t]*)` +
  // An unquoted value must end its line or its list: `password: literal value for …` is prose.
  `(?:(?<kvQ>["'])(?<kvQVal>[^"'\\n]{1,400})\\k<kvQ>|(?<kvVal>[^\\s"'\`,;&<>(){}\\[\\]]{1,400})(?=[ \\t]*(?:[\\r\\n,;&)}\\]"'#]|$)))`
const PUTTY_PRIVATE_SOURCE = '(?<putty>Private-Lines:[ \\t]*\\d+(?:(?:\\s|\\\\[nr])+[A-Za-z0-9+/=]{8,})+)'

/** A `-` that starts a command-line flag: not after a word character or another `-` (as the flag shapes require). */
const FLAG_DASH = '(?<![\\w-])-'

/**
 * Every credential shape, each with the literal text every match of it contains (`needs`, as
 * expression sources) and whether every match holds a `:` or `=` (`separated`). The shapes are
 * matched by one expression; their needs make a pre-test: text holding no need of any shape
 * cannot match one, so the large expression is not run on it (most strings of a result, paths,
 * rule ids and messages, hold none). Why each need holds, shape by shape:
 * - a token: one of its pattern's `anchors` (the contract of `TokenPattern`, which the secret
 *   scan's pre-filter relies on as well);
 * - a private key starts `-----BEGIN `; a PuTTY key holds `Private-Lines:`; a URL password `://`;
 * - an `Authorization` header holds `authorization` in any case, a docker config `"auth"`;
 * - `-u`/`--user`, `-p…` and `--…password` all start with a dash not after `[\w-]` (`FLAG_DASH`);
 * - `AccountKey=`/`SharedAccessKey=` are literal;
 * - a secret key/value pair's key holds one of `SECRET_KEY_WORDS`, in any case (`anyCase`).
 * Separated: a header, key/value pair, docker `auth` and `curl -u` have `:` or `=` after the
 * key (`[:=]`, `:`), URL passwords, PuTTY and Azure keys in their literal part.
 * Keep a new shape's needs beside it: `__tests__/redact.test.ts` checks the pre-test against the
 * full expression on random text made of the shapes' pieces.
 */
const SHAPES: readonly { source: string; needs: readonly string[]; separated: boolean }[] = [
  { source: combinedTokenSource(), needs: TOKEN_PATTERNS.flatMap((p) => p.anchors).map(escapeRegExp), separated: false },
  { source: `(?<pk>${PRIVATE_KEY_SOURCE})`, needs: [escapeRegExp('-----BEGIN ')], separated: false },
  { source: PUTTY_PRIVATE_SOURCE, needs: [escapeRegExp('Private-Lines:')], separated: true },
  { source: URL_PASSWORD_SOURCE, needs: [escapeRegExp('://')], separated: true },
  { source: AUTH_HEADER_SOURCE, needs: [anyCase('authorization')], separated: true },
  { source: CURL_USER_SOURCE, needs: [FLAG_DASH], separated: true },
  { source: MYSQL_SOURCE, needs: [FLAG_DASH], separated: false },
  { source: FLAG_SOURCE, needs: [FLAG_DASH], separated: false },
  { source: DOCKER_AUTH_SOURCE, needs: [escapeRegExp('"auth"')], separated: true },
  { source: AZURE_KEY_SOURCE, needs: [escapeRegExp('AccountKey='), escapeRegExp('SharedAccessKey=')], separated: true },
  { source: KEY_VALUE_SOURCE, needs: SECRET_KEY_WORDS.map(anyCase), separated: true }
]

/** One pass finds every credential shape; the group that matched says how to mask it. */
const PATTERN_REGEX = new RegExp(SHAPES.map((s) => s.source).join('|'), 'g')

/** Where a need of some shape is, among the shapes with (`true`) or without a separator. */
const needsOf = (separated: boolean) => new RegExp([...new Set(SHAPES.filter((s) => s.separated === separated).flatMap((s) => s.needs))].join('|'))
const SEPARATED_NEEDS = needsOf(true)
const OTHER_NEEDS = needsOf(false)

/**
 * False when `text` cannot hold any credential shape. Two expressions rather than one: the
 * needs of separated shapes are looked for only in text with a `:` or `=` (a third of a
 * result's strings), and one alternation of every need ran slower than the two together.
 */
export function mayHoldCredentialShape(text: string): boolean {
  return ((text.includes(':') || text.includes('=')) && SEPARATED_NEEDS.test(text)) || OTHER_NEEDS.test(text)
}

/** True when the full expression of credential shapes matches somewhere in `text` (for tests of the pre-test). */
export function matchesCredentialShape(text: string): boolean {
  PATTERN_REGEX.lastIndex = 0
  const found = PATTERN_REGEX.test(text)
  PATTERN_REGEX.lastIndex = 0
  return found
}

const REDACTED = '[redacted]'

function maskPrivateKey(block: string): string {
  const header = /^-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY( BLOCK)?-----/.exec(block)
  if (!header) return block
  const rest = block.slice(header[0].length)
  const endAt = rest.lastIndexOf('-----END ')
  const body = (endAt === -1 ? rest : rest.slice(0, endAt)).trim()
  if (body === '' || body === REDACTED) return block
  const label = `${header[1]}PRIVATE KEY${header[2] ?? ''}`
  return endAt === -1 ? `-----BEGIN ${label}----- ${REDACTED}` : `-----BEGIN ${label}----- ${REDACTED} ${rest.slice(endAt).trim()}`
}

function isSecretKeyValue(key: string, value: string): boolean {
  if (looksMasked(value)) return false
  const cls = classifyKey(key)
  if (!cls) return false
  if (whyNotLiteral(value, key) !== undefined) return false
  return cls !== 'weak' || looksRandom(value)
}

/** A value in a command or header that is a literal, not a variable, mask or placeholder. */
export function isLiteralCredential(raw: string): boolean {
  // Inside an escaped string (a script in a JSON or double-quoted YAML value) the command ends at `\n`.
  const value = raw.replace(/\\[nrt][^]*$/, '')
  if (value === '') return false
  // `--secret id=npm,src=.npmrc` (BuildKit) names where the secret is.
  if (/^(?:id|src|source|env|type|target)=/.test(value)) return false
  // `--must-change-password=false` (a switch named after the password, set to a boolean) is
  // sorted out by `whyNotLiteral` below, like every other non-literal.
  return !looksMasked(value) && !isUrlPasswordPlaceholder(value) && whyNotLiteral(value, 'password') === undefined
}

/** The token shapes alone, for the head of a match that is replaced whole (see `maskTokens`). */
const TOKEN_REGEX = new RegExp(combinedTokenSource(), 'g')

/**
 * Masks the tokens in the head of a head + value match (a flag's or key's name, a URL's user),
 * which the match replaces whole: a token run into it (`-ghp_…password=`) would otherwise stay,
 * and show up only on a second pass. Tokens only: the other shapes read on a head cut out of its
 * text would find a value in the head's own words (`Token token=`).
 */
function maskTokens(head: string): string {
  return head.replace(TOKEN_REGEX, (token) => maskSecret(token))
}

/** Masks the value group of a `head` + `value` match when the value is a literal credential, and the tokens in its head. */
function maskAfterHead(head: string | undefined, value: string | undefined, match: string, literal = isLiteralCredential): string {
  if (head === undefined || value === undefined || !literal(value)) return match
  return `${maskTokens(head)}${maskSecret(value)}${match.slice(head.length + value.length)}`
}

function maskMatch(match: string, groups: Record<string, string | undefined>, memo: Map<string, string>, before: () => string): string {
  if (groups.pk !== undefined) return maskPrivateKey(match)
  if (groups.putty !== undefined) return `Private-Lines: ${REDACTED}`
  if (groups.urlPass !== undefined) {
    const password = groups.urlPass
    return isUrlPasswordPlaceholder(password) || whyNotLiteral(password, 'password') === 'reference' ? match : `${maskTokens(groups.urlHead ?? '')}${maskSecret(password)}@`
  }
  if (groups.authVal !== undefined) return maskAfterHead(groups.authHead, groups.authVal, match)
  if (groups.curlPass !== undefined) return CURL_COMMAND.test(before()) ? maskAfterHead(groups.curlHead, groups.curlPass, match) : match
  if (groups.myPass !== undefined) return MYSQL_COMMAND.test(before()) ? maskAfterHead(groups.myHead, groups.myPass, match) : match
  if (groups.flagVal !== undefined) return maskAfterHead(groups.flagHead, groups.flagVal, match)
  if (groups.dockVal !== undefined) return maskAfterHead(groups.dockHead, groups.dockVal, match, isDockerAuth)
  if (groups.azVal !== undefined) return maskAfterHead(groups.azHead, groups.azVal, match)
  if (groups.kvKey !== undefined) {
    const key = groups.kvKey
    const value = groups.kvQVal ?? groups.kvVal ?? ''
    const verdict = memo.get(`${key}\u0000${value}`) ?? (isSecretKeyValue(key, value) ? 'y' : 'n')
    memo.set(`${key}\u0000${value}`, verdict)
    if (verdict === 'n') return match
    const quote = groups.kvQ ?? ''
    return `${maskTokens(key)}${groups.kvSep}${quote}${maskSecret(value)}${quote}`
  }
  // One of the token shapes.
  return maskSecret(match)
}

/**
 * One left-to-right pass; an explicit exec loop is much faster than `replace` with a callback here.
 * The one shared expression is reused (its `lastIndex` reset): `new RegExp(PATTERN_REGEX)` per
 * call compiled the whole alternation again for every string, most of the cost of redacting a
 * large result. The loop never yields, so no other caller can see its `lastIndex`.
 */
function maskPatterns(text: string): string {
  const re = PATTERN_REGEX
  re.lastIndex = 0
  let out = ''
  let last = 0
  // Verdicts on key/value pairs already seen in this text.
  const memo = new Map<string, string>()
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const at = m.index
    const replacement = maskMatch(m[0], m.groups ?? {}, memo, () => lineBefore(text, at))
    if (replacement !== m[0]) {
      out += text.slice(last, m.index) + replacement
      last = m.index + m[0].length
    } else {
      // Not a credential after all (`mkdir -pX`, a placeholder): a shape inside it may still be one.
      re.lastIndex = m.index + 1
    }
  }
  return last === 0 ? text : out + text.slice(last)
}

// ── the redactor ─────────────────────────────────────────────────────────────────────────────

/** Masks every occurrence of the given values in one line, longest first. */
function maskInLine(line: string, values: readonly string[]): string {
  let out = line
  for (const v of values) if (out.includes(v)) out = out.split(v).join(maskSecret(v))
  return out
}

/** Word characters and the mask character: a value masked as a whole token must not touch one. */
function wordish(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_*]/.test(ch)
}

/** Masks a value only where it stands as a whole token (`root`, not `rootfs`). */
function maskToken(text: string, value: string): string {
  let out = ''
  let last = 0
  for (let i = text.indexOf(value); i !== -1; i = text.indexOf(value, i + value.length)) {
    const end = i + value.length
    if ((wordish(value[0]) && wordish(text[i - 1])) || (wordish(value[value.length - 1]) && wordish(text[end]))) continue
    out += text.slice(last, i) + maskSecret(value)
    last = end
  }
  return last === 0 ? text : out + text.slice(last)
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/

/** Passes of `text` at most: each pass after the first follows a shape the one before uncovered. */
const MAX_PASSES = 8

/**
 * What is known about the secrets of one analysis, ready to mask text. Build it once per result
 * with `redactorOf`; every method costs time in proportion to the text it is given.
 */
export class Redactor {
  /** path → line → values on that line, longest first. */
  private readonly lines = new Map<string, Map<number, string[]>>()
  /** path → every value of that file, longest first (for deleted lines and unanchored echoes). */
  private readonly files = new Map<string, string[]>()
  private readonly strong: StrongIndex

  constructor(locations: readonly SecretLocation[] = []) {
    const strong = new Set<string>()
    const lines = new Map<string, Map<number, Set<string>>>()
    const files = new Map<string, Set<string>>()
    for (const loc of locations) {
      if (!loc || typeof loc.value !== 'string' || loc.value.length === 0 || looksMasked(loc.value)) continue
      const byLine = lines.get(loc.path) ?? new Map<number, Set<string>>()
      lines.set(loc.path, byLine)
      byLine.set(loc.line, (byLine.get(loc.line) ?? new Set()).add(loc.value))
      files.set(loc.path, (files.get(loc.path) ?? new Set()).add(loc.value))
      if (isStrongSecret(loc.value)) strong.add(loc.value)
    }
    const longestFirst = (values: Set<string>) => [...values].sort((a, b) => b.length - a.length)
    for (const [path, byLine] of lines) this.lines.set(path, new Map([...byLine].map(([line, values]) => [line, longestFirst(values)])))
    for (const [path, values] of files) this.files.set(path, longestFirst(values))
    this.strong = new StrongIndex(strong)
  }

  /** Any text that is not a file's source: messages, summaries, model output, logs, metadata. */
  text(text: string): string {
    if (typeof text !== 'string' || text.length === 0) return text
    work.scanned += text.length
    let masked = this.maskOnce(text)
    // Text without a credential (the common case) costs one pass.
    if (masked === text) return text
    // A mask can make a shape of what was around it: `ghp_…--token x` masks to `ghp_****--token x`,
    // and the `*` before `--token` is no word character, so the flag is only seen now. Masking
    // again until nothing changes makes redacting twice a no-op.
    for (let pass = 1; pass < MAX_PASSES; pass++) {
      const again = this.maskOnce(masked)
      if (again === masked) break
      masked = again
    }
    return masked
  }

  private maskOnce(text: string): string {
    const masked = this.strong.mask(text)
    return mayHoldCredentialShape(masked) ? maskPatterns(masked) : masked
  }

  /**
   * Source text of `path`. With `firstLine`, the text is that file's lines from `firstLine` on and
   * each secret is masked on its own line; without, the file's secrets are masked as whole tokens.
   */
  source(path: string, text: string, firstLine?: number): string {
    if (typeof text !== 'string' || text.length === 0) return text
    const byLine = this.lines.get(path)
    if (!byLine) return this.text(text)
    if (firstLine === undefined) {
      let out = text
      for (const v of this.files.get(path) ?? []) out = maskToken(out, v)
      return this.text(out)
    }
    const rows = text.split('\n')
    for (let i = 0; i < rows.length; i++) {
      const values = byLine.get(firstLine + i)
      if (values) rows[i] = maskInLine(rows[i], values)
    }
    return this.text(rows.join('\n'))
  }

  /** A unified diff of `path`: new-side lines by their line number, deleted lines by token. */
  patch(path: string, patch: string | undefined): string | undefined {
    if (typeof patch !== 'string' || patch.length === 0) return patch
    const byLine = this.lines.get(path)
    if (!byLine) return this.text(patch)
    const fileValues = this.files.get(path) ?? []
    let newLine = 0
    const rows = patch.split('\n').map((row) => {
      const header = HUNK_HEADER.exec(row)
      if (header) {
        newLine = Number(header[1])
        return row
      }
      const mark = row[0]
      if (mark === '-') return fileValues.reduce((acc, v) => maskToken(acc, v), row)
      if (mark === '+' || mark === ' ') {
        const values = byLine.get(newLine++)
        return values ? maskInLine(row, values) : row
      }
      return row
    })
    return this.text(rows.join('\n'))
  }

  /**
   * `text(v)`, remembered in `done` for one walk: results repeat most of their strings (rule ids,
   * severities, paths, titles), so each distinct string is redacted once and the cost follows the
   * distinct text printed.
   */
  private textOnce(v: string, done: Map<string, string>): string {
    let masked = done.get(v)
    if (masked === undefined) done.set(v, (masked = this.text(v)))
    return masked
  }

  /** Redacts every string in a JSON-like value (arrays, plain objects); returns a copy. */
  deep<T>(value: T): T {
    const seen = new WeakMap<object, unknown>()
    const done = new Map<string, string>()
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.textOnce(v, done)
      if (v === null || typeof v !== 'object') return v
      if (seen.has(v)) return seen.get(v)
      if (Array.isArray(v)) {
        const out: unknown[] = []
        seen.set(v, out)
        for (const item of v) out.push(walk(item))
        return out
      }
      const proto = Object.getPrototypeOf(v)
      if (proto !== Object.prototype && proto !== null) return v
      const out: Record<string, unknown> = {}
      seen.set(v, out)
      // `for…in` over own keys: no array of entries per object (a result holds tens of thousands).
      for (const k in v) if (Object.hasOwn(v, k)) out[k] = walk((v as Record<string, unknown>)[k])
      return out
    }
    return walk(value) as T
  }

  /**
   * Like `deep`, but an array or plain object in which nothing changed is the input itself, not
   * a copy: a result of 60,000 findings cost more to copy than to redact. Only for a value
   * serialised at once and dropped (`json`), as the result shares parts with the input. Its JSON
   * is the JSON of `deep(value)`: an own `__proto__` key, which `deep` cannot copy as a key, makes
   * its object copied the same way. Objects are not remembered (a map of every finding cost
   * more than the walk): a part the value holds twice is walked twice, to the same JSON, and a
   * cycle, which JSON cannot hold, ends in a RangeError instead of JSON.stringify's TypeError.
   */
  private shared(value: unknown): unknown {
    const done = new Map<string, string>()
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.textOnce(v, done)
      if (v === null || typeof v !== 'object') return v
      if (Array.isArray(v)) {
        let out: unknown[] | undefined
        for (let i = 0; i < v.length; i++) {
          const item: unknown = v[i]
          const masked = walk(item)
          if (masked === item) continue
          out ??= v.slice()
          out[i] = masked
        }
        return out ?? v
      }
      const proto = Object.getPrototypeOf(v)
      if (proto !== Object.prototype && proto !== null) return v
      const source = v as Record<string, unknown>
      let copy: Record<string, unknown> | undefined
      for (const k in source) {
        if (!Object.hasOwn(source, k)) continue
        const masked = walk(source[k])
        if (copy === undefined) {
          if (masked === source[k] && k !== '__proto__') continue
          // The first change: a copy made as `deep` makes it, with the keys before `k` unchanged.
          copy = {}
          for (const before in source) {
            if (before === k) break
            if (Object.hasOwn(source, before)) copy[before] = source[before]
          }
        }
        copy[k] = masked
      }
      return copy ?? v
    }
    return walk(value)
  }

  /** `JSON.stringify(this.deep(value), null, indent)`, without copying what redaction leaves alone. */
  json(value: unknown, indent?: number): string {
    return JSON.stringify(this.shared(value), null, indent)
  }
}

/** The secrets of an analysis, or a redactor already built from them. */
export type Secrets = Redactor | readonly SecretLocation[]

const EMPTY = new Redactor()
const built = new WeakMap<readonly SecretLocation[], Redactor>()

/** The redactor for a set of locations, built once per array. */
export function redactorOf(secrets: Secrets | undefined): Redactor {
  if (!secrets) return EMPTY
  if (secrets instanceof Redactor) return secrets
  if (secrets.length === 0) return EMPTY
  let r = built.get(secrets)
  if (!r) {
    r = new Redactor(secrets)
    built.set(secrets, r)
  }
  return r
}

/** Masks credential shapes and the strong secret values in any text. */
export function redact(text: string, secrets?: Secrets): string {
  return redactorOf(secrets).text(text)
}

/** `redact` on every string of a JSON-like value; returns a copy. */
export function redactDeep<T>(value: T, secrets?: Secrets): T {
  return redactorOf(secrets).deep(value)
}

/** The JSON text of `redactDeep(value, secrets)` (`indent` as `JSON.stringify`'s), for output written at once. */
export function redactedJson(value: unknown, secrets?: Secrets, indent?: number): string {
  return redactorOf(secrets).json(value, indent)
}

/** Masks a file's source text (its own secrets at their lines, plus everything `redact` masks). */
export function redactSource(path: string, text: string, secrets?: Secrets, firstLine?: number): string {
  return redactorOf(secrets).source(path, text, firstLine)
}

/** Masks a file's unified diff, line by line. */
export function redactPatch(path: string, patch: string | undefined, secrets?: Secrets): string | undefined {
  return redactorOf(secrets).patch(path, patch)
}
