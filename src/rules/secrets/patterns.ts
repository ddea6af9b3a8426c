/**
 * High-confidence credential shapes: strings that are secrets wherever they appear, whatever key
 * they sit under. Shared by the scanner (to report them) and the redactor (to mask them).
 *
 * Every pattern refuses to start or end next to a word character or `*`, so a masked value
 * (`AKIA****`) never matches again and masking one token never exposes a neighbour.
 */
import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { keyWords, whyNotLiteral } from './keys.js'

export interface TokenPattern {
  /** Slug used in the rule id `secrets/<slug>`. */
  slug: string
  /** What the token is, for messages: "AWS access key id". */
  label: string
  /** Body of the expression, without boundaries; no capturing groups. */
  source: string
  /**
   * Literal strings one of which every match contains: a file holding none of them cannot match,
   * so the expression is not run on it (most files hold no token at all).
   */
  anchors: readonly string[]
}

/** A word character, or the mask character: a token never touches either. */
const EDGE_BEFORE = '(?<![A-Za-z0-9_*])'
const EDGE_AFTER = '(?![A-Za-z0-9_*])'

/** How an AWS access key id starts (A3T: keys of the earliest accounts). */
export const AWS_ACCESS_KEY_PREFIX = 'AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9]'

export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  // Access key ids only: long-term (AKIA), temporary (ASIA), and ABIA/ACCA. AIDA, AROA, AIPA, ANPA,
  // ANVA, ASCA, AGPA are unique ids of IAM users, roles, profiles, policies and groups: no credential.
  { slug: 'aws-access-key-id', label: 'AWS access key id', source: `(?:${AWS_ACCESS_KEY_PREFIX})[A-Z0-9]{16}`, anchors: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'] },
  { slug: 'github-token', label: 'GitHub token', source: '(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})', anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'] },
  { slug: 'gitlab-token', label: 'GitLab token', source: 'glpat-[A-Za-z0-9_-]{20,}', anchors: ['glpat-'] },
  { slug: 'slack-token', label: 'Slack token', source: 'xox[abposr]-[A-Za-z0-9-]{10,250}', anchors: ['xox'] },
  // Loose on purpose, so every such URL is masked; `isSlackWebhookShape` decides which is a credential.
  { slug: 'slack-webhook', label: 'Slack webhook URL', source: 'https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/]{20,}', anchors: ['https://hooks.slack.com/'] },
  {
    slug: 'teams-webhook',
    label: 'Microsoft Teams webhook URL',
    source: 'https://[A-Za-z0-9_-]+\\.webhook\\.office\\.com/webhook(?:b2)?/[A-Za-z0-9@/_-]{40,}',
    anchors: ['.webhook.office.com/webhook']
  },
  { slug: 'stripe-key', label: 'Stripe API key', source: '(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}', anchors: ['_live_', '_test_'] },
  { slug: 'google-api-key', label: 'Google API key', source: 'AIza[0-9A-Za-z_-]{35}', anchors: ['AIza'] },
  { slug: 'google-oauth-secret', label: 'Google OAuth client secret', source: 'GOCSPX-[A-Za-z0-9_-]{28}', anchors: ['GOCSPX-'] },
  // gcloud's short-lived OAuth access tokens (kubeconfigs, scripts): `ya29.` then the token body.
  { slug: 'google-oauth-access-token', label: 'Google OAuth access token', source: 'ya29\\.[0-9A-Za-z_-]{30,}', anchors: ['ya29.'] },
  { slug: 'square-token', label: 'Square token', source: 'sq0(?:atp|csp)-[0-9A-Za-z_-]{22,60}', anchors: ['sq0atp-', 'sq0csp-'] },
  { slug: 'braintree-token', label: 'PayPal Braintree access token', source: 'access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32}', anchors: ['access_token$production$'] },
  { slug: 'anthropic-key', label: 'Anthropic API key', source: 'sk-ant-[A-Za-z0-9_-]{20,}', anchors: ['sk-ant-'] },
  { slug: 'openai-key', label: 'OpenAI API key', source: 'sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}', anchors: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'] },
  // 32 hex digits and the data-centre suffix: the whole key, usable as is.
  { slug: 'mailchimp-key', label: 'Mailchimp API key', source: '[0-9a-f]{32}-us[0-9]{1,2}', anchors: ['-us'] },
  { slug: 'amazon-mws-token', label: 'Amazon MWS auth token', source: 'amzn\\.mws\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', anchors: ['amzn.mws.'] },
  // Graph API user tokens: the Explorer app's fixed prefix, or `EAA` + app marker and a long body.
  { slug: 'facebook-access-token', label: 'Facebook access token', source: '(?:EAACEdEose0cBA[0-9A-Za-z]{20,}|EAA[MC][0-9A-Za-z]{100,})', anchors: ['EAACEdEose0cBA', 'EAAM', 'EAAC'] },
  { slug: 'npm-token', label: 'npm token', source: 'npm_[A-Za-z0-9]{36}', anchors: ['npm_'] },
  // The shortest real signature (HS256) has 43 characters; a shorter third part signs nothing.
  { slug: 'jwt', label: 'JSON Web Token', source: '(?<!-)eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{43,}', anchors: ['eyJ'] }
]

/**
 * The paths Slack issues under `hooks.slack.com`, each opening with the workspace id (`T` and
 * upper-case letters and digits) and ending with the secret: an incoming webhook
 * (`services/T…/B…/<secret>`), a legacy Workflow Builder webhook (`workflows/T…/A…/<number>/<secret>`)
 * and a workflow's webhook trigger (`triggers/T…/<number>/<secret>`).
 */
const SLACK_WEBHOOK_PATHS = [
  /^services\/T[A-Z0-9]{6,15}\/B[A-Z0-9]{6,15}\/[A-Za-z0-9]{16,64}\/?$/,
  /^workflows\/T[A-Z0-9]{6,15}\/A[A-Z0-9]{6,15}\/\d{6,24}\/[A-Za-z0-9]{16,64}\/?$/,
  /^triggers\/T[A-Z0-9]{6,15}\/\d{6,24}\/[A-Za-z0-9]{16,64}\/?$/
]

/**
 * Whether a URL the `slack-webhook` pattern matched has the shape of one Slack issued: keyboard
 * mash (`services/asdasd/asdasd/asd`) or a path missing its ids holds no webhook.
 */
export function isSlackWebhookShape(url: string): boolean {
  const path = url.slice(url.indexOf('hooks.slack.com/') + 'hooks.slack.com/'.length)
  return SLACK_WEBHOOK_PATHS.some((shape) => shape.test(path))
}

/**
 * Whether a token the Slack patterns matched has the numeric id Slack puts in every token it
 * issues: a part of digits only between dashes (the workspace id of `xoxb-17653672481-…`, the
 * number of an app-level `xapp-1-A…-1234567890123-…`). `xoxb-test-token` and
 * `xoxb-token-from-slack` are stand-ins written for a test or a README.
 */
export function isSlackTokenShape(token: string): boolean {
  return /-\d+-/.test(token)
}

/** GitHub's token formats since 2021: a type prefix, 30 random base62 characters and a 6-character checksum. */
const GITHUB_CHECKSUMMED_TOKEN = /^gh[pousr]_[A-Za-z0-9]{36}$/
/** The base62 digits in the order GitHub's checksum uses (digits, then upper case, then lower case). */
const BASE62_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** The checksum GitHub ends such a token with: CRC32 of its 30 random characters, in base62, left-padded with `0` to 6. */
export function githubTokenChecksum(randomPart: string): string {
  let n = crc32(randomPart)
  let out = ''
  do {
    out = BASE62_DIGITS[n % 62] + out
    n = Math.floor(n / 62)
  } while (n > 0)
  return out.padStart(6, '0')
}

/**
 * A `ghp_`, `gho_`, `ghu_`, `ghs_` or `ghr_` token of the current format whose last six
 * characters are not the checksum of the rest: made up (GitHub's documentation example, a test
 * value typed by hand), since every token GitHub issues carries a matching one. Other lengths
 * (older or future formats) and `github_pat_` tokens are never judged here.
 */
export function failsGithubChecksum(token: string): boolean {
  if (!GITHUB_CHECKSUMMED_TOKEN.test(token)) return false
  return githubTokenChecksum(token.slice(4, 34)) !== token.slice(34)
}

/**
 * An encrypted private key: PEM with RFC 1421 `Proc-Type: 4,ENCRYPTED`, PKCS#8 `ENCRYPTED PRIVATE
 * KEY` or a tool's own encrypted label (`ENCRYPTED COSIGN PRIVATE KEY`, `ENCRYPTED SIGSTORE
 * PRIVATE KEY`), or an OpenSSH key whose cipher is not `none`. Useless without its passphrase, so
 * not a key in plain text (still masked).
 */
export function isEncryptedKey(block: string): boolean {
  if (/-----BEGIN ENCRYPTED (?:[A-Z0-9]+ )*PRIVATE KEY-----|Proc-Type:\s*4,\s*ENCRYPTED/.test(block)) return true
  return block.includes('OPENSSH PRIVATE KEY') && openSshCipher(block) !== 'none'
}

/** `openssh-key-v1` then a NUL: the magic every OpenSSH private key's binary form opens with. */
const OPENSSH_MAGIC = 'openssh-key-v1\0'

/**
 * The cipher an OpenSSH private key names after its magic (`none` for a plain key), or `none`
 * when the body cannot be read that far: only a cipher actually named makes the key encrypted.
 */
function openSshCipher(block: string): string {
  const body = bodyRuns(block).runs.join('')
  // Magic (15 bytes), the name's length (4) and up to 32 bytes of name: 68 base64 characters cover them.
  const head = Buffer.from(body.slice(0, 68), 'base64').toString('latin1')
  if (!head.startsWith(OPENSSH_MAGIC) || head.length < OPENSSH_MAGIC.length + 4) return 'none'
  const at = OPENSSH_MAGIC.length
  const length = ((head.charCodeAt(at) << 24) | (head.charCodeAt(at + 1) << 16) | (head.charCodeAt(at + 2) << 8) | head.charCodeAt(at + 3)) >>> 0
  const name = head.slice(at + 4, at + 4 + length)
  return length > 0 && length <= 32 && name.length === length && /^[\w@.-]+$/.test(name) ? name : 'none'
}

/**
 * `-----BEGIN … PRIVATE KEY-----` through its END line (or, when cut off, its base64 body). The
 * body never contains `-----`, which keeps the scan linear when headers repeat.
 */
export const PRIVATE_KEY_SOURCE =
  '-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:(?:(?!-----)[\\s\\S]){0,16384}-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?:(?:\\s|\\\\[nr])+[A-Za-z0-9+/=]{16,})*)'
/** PEM labels whose body is DER (an ASN.1 SEQUENCE, so its base64 starts with `M`). */
const DER_KEY_LABEL = /-----BEGIN (?:(?:RSA|EC|DSA|ENCRYPTED) )?PRIVATE KEY-----/
/** The smallest private key PEM holds: an Ed25519 PKCS#8 key is 48 bytes, 64 base64 characters. */
const MIN_KEY_BASE64 = 64

/** What code or a config wraps around a line of a key: quotes, concatenation, separators. */
const TRAILING_NOISE = new Set([' ', '\t', '\r', '"', "'", '`', ',', ';', '+', ')', '\\'])

/** Each body line's base64 text: comment marks, quotes, `\n` escapes and string concatenation left out. */
function bodyRuns(block: string): { runs: string[]; headers: boolean; elided: boolean } {
  const runs: string[] = []
  let headers = false
  let elided = false
  for (const raw of block.replace(/\\[nr]/g, '\n').split('\n')) {
    if (/-----(?:BEGIN|END) /.test(raw)) continue
    let end = raw.length
    // A `+` is concatenation only after a blank or a quote (`"…" +`); glued to the text it is base64.
    while (end > 0 && TRAILING_NOISE.has(raw[end - 1]) && !(raw[end - 1] === '+' && !/[\s"'`]/.test(raw[end - 2] ?? ''))) end--
    const line = raw.slice(0, end).replace(/^[\s#;*/"'`+-]+/, '')
    if (line === '') continue
    // `...`, `…` or `xxxx` where lines were left out: a key cut short for the reader.
    if (line.includes('...') || line.includes('\u2026') || (/^[xX\s.-]+$/.test(line) && /[xX]{3}/.test(line)) || /x{8}|X{8}/.test(line)) elided = true
    // RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, PGP `Version: …`).
    else if (/^[A-Za-z][\w-]{0,40}:\s/.test(line)) headers = true
    else runs.push(/[A-Za-z0-9+/]+={0,2}/.exec(line)?.[0] ?? '')
  }
  return { runs, headers, elided }
}

/** Base64 text without its trailing `=` padding (a loop: `/=+$/` backtracks on a long run of `=`). */
function withoutPadding(text: string): string {
  let end = text.length
  while (end > 0 && text[end - 1] === '=') end--
  return text.slice(0, end)
}

/** True when the text is one short unit repeated (`privatekeyprivatekey…`, `AAAA…`). */
function repeatsOneUnit(text: string): boolean {
  for (let unit = 1; unit <= 40 && unit * 2 < text.length; unit++) {
    let i = unit
    while (i < text.length && text[i] === text[i % unit]) i++
    if (i === text.length) return true
  }
  return false
}

/**
 * Base64 of a DER X.509 certificate's start: a SEQUENCE holding a SEQUENCE (the signed part) whose
 * first field is version 3 (`A0 03 02 01 02`) and then the serial number's INTEGER. No private key
 * starts so: a form's placeholder made by wrapping a certificate in a private key's labels.
 */
const CERTIFICATE_DER = /^MII[A-Za-z0-9+/]{3}CCA[A-Za-z0-9+/]{2}gAwIBAgI/

/**
 * Whether a matched PEM private key block could be a whole key: no line left out (`...`, `xxxx`),
 * enough base64 for the smallest key, not one word repeated, not a certificate's body, and (for
 * DER labels without headers) base64 of an ASN.1 SEQUENCE. A README's shortened example is no key.
 */
export function couldBeWholeKey(block: string): boolean {
  const { runs, headers, elided } = bodyRuns(block)
  if (elided) return false
  const text = runs.join('')
  if (text.length < MIN_KEY_BASE64 || repeatsOneUnit(withoutPadding(text)) || CERTIFICATE_DER.test(text)) return false
  if (!headers && DER_KEY_LABEL.test(block)) return text.startsWith('M')
  if (!headers && block.includes('OPENSSH PRIVATE KEY')) return text.startsWith('b3BlbnNzaC1rZXktdjE')
  return true
}

/**
 * Private keys a project publishes as test material, by `keyBodyDigest`: anyone
 * with that project's repository has them, so a copy leaks nothing and protects nothing.
 */
const PUBLISHED_TEST_KEYS = new Map([
  ['d4257a98d9cc5112fac0b2d91c07201bca0db0275297dea7ee202fe43c1f79ec', "Pebble's test key for `localhost` (letsencrypt/pebble, test/certs/localhost/key.pem)"],
  ['8f518a1333d44365a372f5da866198429070fb58cb8cecf238910c5b76c36c61', "Pebble's test CA key (letsencrypt/pebble, test/certs/pebble.minica.key.pem)"]
])

/**
 * The SHA-256 of a PEM block's body as `bodyRuns` reads it: the same for the key indented in a
 * ConfigMap, quoted with `\n` escapes or concatenated in code. PUBLISHED_TEST_KEYS is keyed by it.
 */
export function keyBodyDigest(block: string): string {
  return createHash('sha256').update(bodyRuns(block).runs.join('')).digest('hex')
}

/**
 * Which published test key a PEM private key block is (see PUBLISHED_TEST_KEYS, or `known` in
 * tests, which hold no such key); undefined for any other.
 */
export function publishedTestKey(block: string, known: ReadonlyMap<string, string> = PUBLISHED_TEST_KEYS): string | undefined {
  return known.get(keyBodyDigest(block))
}

/**
 * A PEM private key block that is a usable key in plain text: a whole key (see `couldBeWholeKey`)
 * and not encrypted with a passphrase. The one test of both the secretlint layer and the pattern
 * scan; any other block is only masked.
 */
export function isPlainPrivateKey(block: string): boolean {
  return couldBeWholeKey(block) && !isEncryptedKey(block)
}

/** PuTTY key files carry the private part in the same file. */
export const PUTTY_KEY_SOURCE = 'PuTTY-User-Key-File-[23]:'

/**
 * `scheme://user:password@host`.
 * The user part may be empty (`redis://:pass@host`). Named groups: `urlHead`, `urlPass`. A port
 * and a backslash before the `@` are no password: `http://INTERNAL:8888\@PUBLIC/` is the parser
 * confusion an SSRF check guards against, a host and port, not a login (Perl's `pass\@host` is one).
 */
export const URL_PASSWORD_SOURCE = '(?<urlHead>\\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\\s:@/"\'`<>]*:)(?<urlPass>[^\\s@/"\'`<>]+)(?<!:\\d{1,5}\\\\{1,4})@'

/**
 * `?password=…` / `&pwd=…` in a URL's query string (JDBC and driver URLs). Groups `qpHead`, `qpVal`;
 * a password only when `URL_BEFORE` holds (the match continues a URL).
 */
export const QUERY_PASSWORD_SOURCE = '(?<qpHead>[?&](?:[Pp]assword|PASSWORD|[Pp]asswd|[Pp]wd|PWD)=)(?<qpVal>[^&\\s"\'`#<>]{4,200})'
const URL_SCHEME = /[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\//
/**
 * The text before a match on its line ends inside a URL: its last token (after the last space,
 * quote or angle bracket) holds `scheme://`. A scan from the end, not a `…*$` expression, which
 * would backtrack on long lines.
 */
export const URL_BEFORE = {
  test(before: string): boolean {
    return URL_SCHEME.test(lastToken(before))
  }
}

/** The last token of a line's text (after its last space, quote or angle bracket), found by a scan from the end. */
export function lastToken(text: string): string {
  let i = text.length
  while (i > 0 && !/[\s"'`<>]/.test(text[i - 1])) i--
  return text.slice(i)
}

/** Builds `[Pp][Aa]…` so one alternative can ignore case while others keep theirs. */
export function anyCase(word: string): string {
  return word.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`)
}

// Credentials inside commands, headers and connection strings. Each is a `…Head` group (kept)
// followed by a value group (masked); the caller decides whether the value is a literal.

/** `Authorization: Bearer …` / `Basic …` (also `-H 'authorization: token …'`, and a scheme's named parameter: `Token token="…"`). Groups `authHead`, `authVal`. */
export const AUTH_HEADER_SOURCE = `(?<authHead>${anyCase('authorization')}["']?[ \\t]*[:=][ \\t]*["']?(?:${['bearer', 'basic', 'token', 'bot', 'apikey'].map(anyCase).join('|')})[ \\t]+(?:[A-Za-z_]{1,20}=\\\\?["']?)?)(?<authVal>[^\\s"'\`<>\\\\]{6,2000})`
/**
 * `-u user:password`, `--user=user:password`: a password when the command is `curl` (see
 * `CURL_COMMAND`; `docker run -u 1000:1000` is a user id). Groups `curlHead`, `curlPass`.
 */
export const CURL_USER_SOURCE = `(?<curlHead>(?<![\\w-])(?:-u|--user)(?:[ \\t]{1,10}|=)?["']?[^\\s:"'@]{1,100}:)(?<curlPass>[^\\s"'@]{1,200})`
/** `-pSECRET` (with a space, `-p` prompts instead): a password when the command is a MySQL client. Groups `myHead`, `myPass`. */
export const MYSQL_SOURCE = `(?<myHead>(?<![\\w-])-p["']?)(?<myPass>[^\\s"'\`;|&-][^\\s"'\`;|&]{0,199})`
/** The MySQL and MariaDB clients that take `-pSECRET`. */
const MYSQL_CLIENTS = ['mysql', 'mysqldump', 'mysqladmin', 'mysqlimport', 'mysqlcheck', 'mysqlshow', 'mysqlpump', 'mariadb', 'mariadb-dump']
/**
 * The commands those two flags belong to, looked for anywhere earlier on the same line (the
 * redactor masks on that). The scanner also rules out a `-p…` whose pipeline segment's command
 * has `-p` options of its own (`find … -printf`, see `segmentCommand`).
 */
export const CURL_COMMAND = /\bcurl\b/
export const MYSQL_COMMAND = new RegExp(`\\b(?:${MYSQL_CLIENTS.join('|')})\\b`)

/** Up to 300 characters before `index` on its line: where a flag's command is looked for. */
export function lineBefore(text: string, index: number): string {
  // Sliced first: a search back through a long line would make every call cost the whole line.
  const window = text.slice(Math.max(0, index - 300), index)
  return window.slice(window.lastIndexOf('\n') + 1)
}
/** `--password value`, `--db-password=value` on a command line. Groups `flagHead`, `flagVal`. */
export const FLAG_SOURCE = `(?<flagHead>(?<![\\w-])--(?:[a-z0-9]{1,20}-){0,3}(?:password|passwd|token|secret|api-key|apikey)(?:[ \\t]+|=)["']?)(?<flagVal>[^\\s"'\`;|&-][^\\s"'\`;|&]{0,400})`
/** docker config: `"auth": "<base64 of user:password>"`. Groups `dockHead`, `dockVal`. */
export const DOCKER_AUTH_SOURCE = `(?<dockHead>"auth"[ \\t]*:[ \\t]*")(?<dockVal>[A-Za-z0-9+/]{8,4000}={0,2})(?=")`
/** Azure connection strings: `AccountKey=…` (88 characters), `SharedAccessKey=…` (44): groups `azHead`, `azVal`; shorter values are stand-ins. */
export const AZURE_KEY_SOURCE = `(?<azHead>(?<![A-Za-z0-9])(?:AccountKey|SharedAccessKey)=)(?<azVal>[A-Za-z0-9+/]{40,400}={0,2})`

/**
 * `Password=…` / `Pwd=…` of an ADO.NET or ODBC connection string (`Server=db;User Id=app;Password=…`),
 * also when the string is assembled by a template function. Groups `cpHead`, `cpVal`; a password
 * only when `CONNECTION_STRING_CONTEXT` holds earlier on its line.
 */
export const CONN_PASSWORD_SOURCE = `(?<cpHead>(?<![A-Za-z0-9_])(?:${['password', 'pwd'].map(anyCase).join('|')})[ \\t]*=[ \\t]*)(?<cpVal>[^;'"\\s\`<>{}()\\[\\],]{4,200})`
/**
 * The other keys of a connection string, before its password on the same line. A value holds no
 * `=` (the next key's), so each try stops at the next key instead of scanning on.
 */
export const CONNECTION_STRING_CONTEXT = /\b(?:server|data source|host|user id|uid|user|username|database|initial catalog|dsn|driver)\s*=[^;=]{0,300};/i

/** True when a docker `auth` value is base64 of `user:password`. */
export function isDockerAuth(value: string): boolean {
  const decoded = Buffer.from(value, 'base64').toString('utf8')
  // user (1–200 printable, no space) ':' password (1–400 printable): a scan, not a bounded regex.
  if (!/^[\x20-\x7e]*$/.test(decoded)) return false
  for (let p = 1; p <= Math.min(200, decoded.length - 2); p++) {
    if (decoded[p - 1] === ' ') return false
    if (decoded[p] === ':' && decoded.length - p - 1 >= 1 && decoded.length - p - 1 <= 400) return true
  }
  return false
}

/** The fixed part of every mask. */
export const MASK = '****'

/** True for a value that is already a mask (`ghp_****`, `****`): never mask it again. */
export function looksMasked(value: string): boolean {
  return value.endsWith(MASK) && Array.from(value.slice(0, -MASK.length)).length <= 4
}

/** True when a URL's password part is a reference or placeholder rather than a literal. */
export function isUrlPasswordPlaceholder(password: string): boolean {
  return (
    looksMasked(password) ||
    /^\$/.test(password) ||
    // `%s`, `%d`, `%(name)s`: a format string; `%d0` is a percent-encoded byte.
    /\{\{|\$\{|%(?:s|\(|d(?![0-9A-Fa-f]))/.test(password) ||
    /^<.*>$/.test(password) ||
    /^(?:password|passwd|pass|pwd|secret|changeme|\*+|x+|\.+)$/i.test(password)
  )
}

/**
 * `redis://${REDIS_PASSWORD:-}@host`: the colon belongs to a shell expansion left open in the
 * user part, so the "password" is the expansion's default, a literal only when one is written.
 */
function isExpansionDefault(head: string, password: string): boolean {
  if (head.lastIndexOf('${') <= head.lastIndexOf('}')) return false
  const fallback = /^[-=?+]?([^}]*)\}/.exec(password)
  return fallback !== null && (fallback[1] === '' || whyNotLiteral(fallback[1], 'password') !== undefined)
}

/** The last word of a field that holds a credential: `AuthToken`, `ApiKey`, `SecretKey`, `AppPassword`. */
const CREDENTIAL_KIND = /^(?:password|passwd|pass|pwd|passphrase|secret|token|key|apikey|secretkey|accesskey|authtoken)$/
/** Words the name of a credential field is made of (`AuthToken`, `ApiKey`, `AppPassword`, `ClientSecret`). */
const FIELD_WORDS = new Set(['auth', 'api', 'access', 'app', 'application', 'client', 'account', 'user', 'service', 'private', 'master', 'admin', 'root', 'db', 'database', 'your', 'my', 'password', 'passwd', 'pass', 'pwd', 'passphrase', 'secret', 'token', 'key', 'apikey', 'secretkey', 'accesskey', 'authtoken'])
/** The last word of a field that names who logs in: `AccountSid`, `username`, `ClientId`, `UserKey`. */
const LOGIN_FIELD = /^(?:user|username|login|account|sid|id|name|email|client|key)$/

/**
 * `twilio://AccountSid:AuthToken@FromPhoneNo`, `sentry://PROJECT_ID:SENTRY_API_KEY@…`: a URL format that names its fields, not a login. The
 * password is letters only and names a kind of credential (its last word, `AuthToken`), and the
 * user part is a field name too (a CamelCase or snake_case name, or one ending in a login word).
 * Digits or any other mark keep the value literal: `Summer2024Token` or a random string is typed, not a field.
 */
function namesUrlFields(head: string, password: string): boolean {
  // `sentry://PROJECT_ID:SENTRY_API_KEY@SENTRY_HOST/`: a user and a password named as environment
  // variables are, the password's words (but a product's name first) a field's and its last a
  // credential's; no digit, which a typed upper-case password (`PROD_PASS_2024`) has.
  if (/^[A-Z]+(?:_[A-Z]+)+$/.test(password) && /^[A-Z]+(?:_[A-Z]+)*$/.test(head.slice(head.indexOf('://') + 3, -1))) {
    const words = password.toLowerCase().split('_')
    return CREDENTIAL_KIND.test(words[words.length - 1]) && words.slice(1).every((w) => FIELD_WORDS.has(w))
  }
  if (!/^[A-Za-z]{3,40}$/.test(password)) return false
  const passWords = keyWords(password)
  if (!CREDENTIAL_KIND.test(passWords[passWords.length - 1] ?? '')) return false
  // Every word a field name is made of: `TurquoiseElephantKey` or `MonkeyBusinessPass` is a typed password.
  if (!passWords.every((w) => FIELD_WORDS.has(w))) return false
  const user = head.slice(head.indexOf('://') + 3, -1)
  if (!/^[A-Za-z][A-Za-z_]{1,40}$/.test(user)) return false
  const userWords = keyWords(user)
  return userWords.length >= 2 || LOGIN_FIELD.test(userWords[0] ?? '')
}

/**
 * What the password of `scheme://user:password@host` holds: `literal`, a password written as
 * itself; `stand-in`, a placeholder typed where one goes (`example`, `yourpassword`), which a demo
 * may still ship with; `none`, no value at all: a mask, a reference (`${PASSWORD}`, `$PASS`), a
 * template mark or conventional word (`<password>`, `xxx`, `changeme`) or a shell expansion's
 * default. `head` is the text matched before it (`scheme://user:`).
 */
export function urlPasswordKind(head: string, password: string): 'literal' | 'stand-in' | 'none' {
  if (isUrlPasswordPlaceholder(password) || isExpansionDefault(head, password)) return 'none'
  if (namesUrlFields(head, password)) return 'stand-in'
  const why = whyNotLiteral(password, 'password')
  return why === 'reference' ? 'none' : why === 'placeholder' ? 'stand-in' : 'literal'
}

/** A URL password written as itself (see `urlPasswordKind`): the one test of the secretlint layer and the pattern scan. */
export function isLiteralUrlPassword(head: string, password: string): boolean {
  return urlPasswordKind(head, password) === 'literal'
}

export function tokenRegex(pattern: TokenPattern, flags = 'g'): RegExp {
  return new RegExp(`${EDGE_BEFORE}${pattern.source}${EDGE_AFTER}`, flags)
}

/** One expression matching any token; group `t<i>` tells which pattern matched. */
export function combinedTokenSource(): string {
  return TOKEN_PATTERNS.map((p, i) => `(?<t${i}>${EDGE_BEFORE}${p.source}${EDGE_AFTER})`).join('|')
}
