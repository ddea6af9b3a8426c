/**
 * Redaction: every secret is masked wherever it would be echoed (comments, summary, plan, logs,
 * JSON, the model's prompt). A mask keeps a short prefix so a reader can tell which secret it
 * was (`AKIA****`), and the same secret always masks the same way.
 *
 * `redact` is idempotent: masks end in `****`, no pattern matches next to or inside a mask, and
 * a value that already looks masked is left alone.
 */
import { classifyKey, whyNotLiteral, looksRandom } from '../rules/secrets/keys.js'
import {
  MASK,
  PRIVATE_KEY_SOURCE,
  URL_PASSWORD_SOURCE,
  combinedTokenSource,
  isUrlPasswordPlaceholder,
  looksMasked
} from '../rules/secrets/patterns.js'

/** Keeps at most 4 characters and never more than a quarter of the value, then `****`. */
export function maskSecret(value: string): string {
  const chars = Array.from(value)
  const keep = Math.min(4, Math.floor(chars.length / 4))
  return chars.slice(0, keep).join('') + MASK
}

/** Known values shorter than this are not masked: they would hide ordinary words. */
const MIN_KNOWN_LENGTH = 4
/** Known values shorter than this are masked only as whole words (`root`, not `rootfs`). */
const WHOLE_WORD_BELOW = 8

/** Known secrets in every form they are echoed in, longest first. */
interface PreparedSecrets {
  needles: string[]
}

function prepare(knownSecrets: readonly string[]): PreparedSecrets {
  const needles = new Set<string>()
  for (const secret of knownSecrets) {
    if (typeof secret !== 'string' || secret.length < MIN_KNOWN_LENGTH || looksMasked(secret)) continue
    needles.add(secret)
    needles.add(encodeURIComponent(secret))
    needles.add(JSON.stringify(secret).slice(1, -1))
  }
  return { needles: [...needles].filter((n) => n.length >= MIN_KNOWN_LENGTH).sort((a, b) => b.length - a.length) }
}

/** Word characters and the mask character: a short secret must not touch one to match. */
function wordish(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_*]/.test(ch)
}

/** Replaces every occurrence of a known secret; overlapping occurrences become one mask. */
function maskKnown(text: string, prepared: PreparedSecrets): string {
  const spans: Array<[number, number]> = []
  for (const needle of prepared.needles) {
    const wholeWord = needle.length < WHOLE_WORD_BELOW
    for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
      const end = i + needle.length
      if (wholeWord && ((wordish(needle[0]) && wordish(text[i - 1])) || (wordish(needle[needle.length - 1]) && wordish(text[end])))) continue
      spans.push([i, end])
    }
  }
  if (spans.length === 0) return text
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  let out = ''
  let cursor = 0
  let [start, end] = spans[0]
  const flush = () => {
    out += text.slice(cursor, start) + maskSecret(text.slice(start, end))
    cursor = end
  }
  for (const [s, e] of spans.slice(1)) {
    if (s < end) end = Math.max(end, e)
    else {
      flush()
      start = s
      end = e
    }
  }
  flush()
  return out + text.slice(cursor)
}

/** Builds `[Pp][Aa]…` so one alternative can ignore case while token shapes keep theirs. */
function anyCase(word: string): string {
  return word.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`)
}

const SECRET_KEY_WORDS = ['password', 'passwd', 'pwd', 'pass', 'secret', 'token', 'api_key', 'api-key', 'apikey', 'access_key', 'accesskey', 'private_key', 'privatekey', 'credential', 'connection_string', 'connectionstring']
const KEY_VALUE_SOURCE =
  `(?<kvKey>(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,60}(?:${SECRET_KEY_WORDS.map(anyCase).join('|')})[A-Za-z0-9_.-]{0,60})` +
  `(?<kvSep>["']?[ \\t]*[:=][ \\t]*)` +
  // An unquoted value must end its line or its list: `password: literal value for …` is prose.
  `(?:(?<kvQ>["'])(?<kvQVal>[^"'\\n]{1,400})\\k<kvQ>|(?<kvVal>[^\\s"'\`,;&<>(){}\\[\\]]{1,400})(?=[ \\t]*(?:[\\r\\n,;&)}\\]"'#]|$)))`
const PUTTY_PRIVATE_SOURCE = '(?<putty>Private-Lines:[ \\t]*\\d+(?:(?:\\s|\\\\[nr])+[A-Za-z0-9+/=]{8,})+)'

/** One pass finds every credential shape; the group that matched says how to mask it. */
const PATTERN_REGEX = new RegExp(
  [combinedTokenSource(), `(?<pk>${PRIVATE_KEY_SOURCE})`, PUTTY_PRIVATE_SOURCE, URL_PASSWORD_SOURCE, KEY_VALUE_SOURCE].join('|'),
  'g'
)

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

function maskMatch(match: string, groups: Record<string, string | undefined>, memo: Map<string, string>): string {
  if (groups.pk !== undefined) return maskPrivateKey(match)
  if (groups.putty !== undefined) return `Private-Lines: ${REDACTED}`
  if (groups.urlPass !== undefined) {
    const password = groups.urlPass
    return isUrlPasswordPlaceholder(password) || whyNotLiteral(password, 'password') === 'reference' ? match : `${groups.urlHead}${maskSecret(password)}@`
  }
  if (groups.kvKey !== undefined) {
    const key = groups.kvKey
    const value = groups.kvQVal ?? groups.kvVal ?? ''
    const verdict = memo.get(`${key}\u0000${value}`) ?? (isSecretKeyValue(key, value) ? 'y' : 'n')
    memo.set(`${key}\u0000${value}`, verdict)
    if (verdict === 'n') return match
    const quote = groups.kvQ ?? ''
    return `${key}${groups.kvSep}${quote}${maskSecret(value)}${quote}`
  }
  // One of the token shapes.
  return maskSecret(match)
}

/** One left-to-right pass; an explicit exec loop is much faster than `replace` with a callback here. */
function maskPatterns(text: string): string {
  const re = new RegExp(PATTERN_REGEX)
  let out = ''
  let last = 0
  // Verdicts on key/value pairs already seen in this text.
  const memo = new Map<string, string>()
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const replacement = maskMatch(m[0], m.groups ?? {}, memo)
    if (replacement !== m[0]) {
      out += text.slice(last, m.index) + replacement
      last = m.index + m[0].length
    }
    if (m[0].length === 0) re.lastIndex++
  }
  return last === 0 ? text : out + text.slice(last)
}

function redactPrepared(text: string, prepared: PreparedSecrets): string {
  if (text.length === 0) return text
  const known = prepared.needles.length > 0 ? maskKnown(text, prepared) : text
  return maskPatterns(known)
}

/** Masks known secret values (also URL-encoded and JSON-escaped) and anything shaped like a credential. */
export function redact(text: string, knownSecrets: readonly string[] = []): string {
  return redactPrepared(text, prepare(knownSecrets))
}

/** Redacts every string in a JSON-like value (arrays, plain objects); returns a copy. */
export function redactDeep<T>(value: T, knownSecrets: readonly string[] = []): T {
  const prepared = prepare(knownSecrets)
  const seen = new WeakMap<object, unknown>()
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactPrepared(v, prepared)
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
    for (const [k, item] of Object.entries(v)) out[k] = walk(item)
    return out
  }
  return walk(value) as T
}
