/**
 * Which keys name a secret, and which values under them are literal secrets rather than
 * references, placeholders or ordinary settings.
 */
import { lookupTable } from '../../util/lookup-table.js'

/** What a secret-ish key holds; decides the rule that reports it. */
export type SecretKeyClass = 'password' | 'token' | 'api-key' | 'private-key' | 'connection-string' | 'secret' | 'weak'

/** Splits `MasterUserPassword`, `DB_PASS_BD`, `mock-proxy-password` into lower-case words. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/(?<![A-Z])([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

/** Words that make a key describe a secret (its name, length, path, …) rather than hold one. */
const NOT_A_VALUE = new Set([
  'name', 'names', 'id', 'ids', 'arn', 'arns', 'file', 'files', 'path', 'paths', 'dir', 'url', 'uri', 'urls', 'endpoint',
  'length', 'len', 'min', 'max', 'minimum', 'maximum', 'policy', 'policies', 'type', 'types', 'enabled', 'enable',
  'disabled', 'disable', 'required', 'require', 'requires', 'rotation', 'rotate', 'ttl', 'expiry', 'expiration',
  'expires', 'expire', 'version', 'ref', 'refs', 'reference', 'template', 'generate', 'generated', 'prefix', 'suffix',
  'format', 'header', 'field', 'count', 'size', 'description', 'desc', 'manager', 'store', 'location', 'mount', 'mode',
  'source', 'kind', 'label', 'labels', 'regex', 'pattern', 'hash', 'hashed', 'sha', 'checksum', 'placeholder', 'hint',
  'reset', 'use', 'show', 'allow', 'allowed', 'method', 'provider', 'variable', 'var', 'env', 'key', 'keys', 'mask',
  'secretsmanager', 'vault', 'kms', 'param', 'parameter', 'annotation', 'selector', 'namespace', 'version', 'stage',
  'encrypted', 'encryption', 'retention', 'recovery', 'window', 'complexity', 'strength', 'age', 'history', 'salt',
  // `existingSecret`, `configFromSecret`, `secretRef`: the key points at a secret kept elsewhere.
  'existing', 'from', 'lookup', 'annotations', 'mapping', 'schema',
  // `token_num_uses`, `access_token_lifetime`: a setting about the secret's use or life.
  'uses', 'num', 'lifetime', 'duration', 'timeout', 'interval', 'period',
  // `JWT_SECRET_CMD`: a command that prints the secret; `tsigSecretAlg`: the algorithm it is used with.
  'cmd', 'command', 'alg', 'algo', 'algorithm',
  // `token_scheme`: how a credential is presented (`Bearer`), not the credential.
  'scheme'
])

/**
 * Last words of a key that name a setting about a secret, whatever its value (`secretProvisioning`,
 * `tokenPurpose`, `AUTH_REALM`, a linter's `TokenIgnores` patterns); unlike SETTING_WORD's, whose
 * setting may still be given a random value.
 */
const SETTING_ABOUT_SECRET = new Set(['provisioning', 'purpose', 'realm', 'strategy', 'status', 'ignore', 'ignores'])

/** Last words of a key that make it a setting about a secret (`token-type`, `auth_scheme`, `key_kind`, `tls_mode`): a secret only when its value looks random. */
const SETTING_WORD = new Set(['type', 'kind', 'scheme', 'mode'])

/** A key that names a setting (a type, kind, scheme or mode), which holds a choice, not a secret. */
export function namesSetting(key: string): boolean {
  const words = keyWords(key)
  return SETTING_WORD.has(words[words.length - 1] ?? '')
}

/** HTTP authentication scheme names (`Bearer`, `Basic`): what kind of credential is sent, not one. */
const AUTH_SCHEME = /^(?:bearer|basic|digest|negotiate|ntlm|oauth2?|hoba|mutual|hmac|aws4-hmac-sha256|apikey|api-key)$/i


/** `<word> token` pairs that name an id, cursor or idempotency key rather than a credential. */
const NOT_A_SECRET_TOKEN = new Set(['service', 'creation', 'next', 'continuation', 'idempotency', 'pagination', 'page', 'request', 'action', 'sync', 'resume', 'cancellation', 'change', 'task'])
/** A shop's cart or checkout, named like a token in its payloads (`checkout_token`, `cartToken`); an UPPER_CASE setting so named may be a credential. */
const SHOP_ID_TOKEN = new Set(['cart', 'checkout'])

/**
 * `ServiceToken` (a custom resource's handler ARN), `NextToken`, `ClientRequestToken`,
 * `LifecycleActionToken`, EFS `creation_token`: ids, cursors and idempotency keys named like tokens;
 * a Step Functions `TaskToken` names the task a callback completes (the call needs the caller's own
 * IAM permission). `words`: the key's `keyWords`.
 */
export function namesIdToken(words: readonly string[]): boolean {
  if (words.length < 2 || words[words.length - 1] !== 'token') return false
  // etcd's `initial-cluster-token` seeds the cluster and member ids; it grants nothing.
  return NOT_A_SECRET_TOKEN.has(words[words.length - 2]) || words.slice(-3).join(' ') === 'initial cluster token'
}

/** Leading words of a name that steers a secret rather than holds one: `AllowUsersToChangePassword`, `RequireToken`. */
const STEERING_WORD = new Set(['allow', 'require', 'requires', 'enable', 'disable', 'use', 'reset', 'rotate', 'generate'])

/** A name that is a switch about a secret (`AllowUsersToChangePassword`), by its first word. */
export function namesSecretSwitch(words: readonly string[]): boolean {
  return STEERING_WORD.has(words[0] ?? '')
}

/** Leading words, beyond STEERING_WORD's, of a name for something done to a secret: `changePassword`, `forgotPassword`. */
const ACTION_WORD = new Set(['change', 'forgot', 'update', 'verify', 'confirm'])

/** Words of a key for an item a page or a cache stores (`storage-key`, `cacheKey`), not a credential. */
const STORED_ITEM_WORD = new Set(['storage', 'cache', 'setting', 'settings', 'preference', 'preferences'])
/** Words that make a stored item's key a credential's (`storage_account_key`, `cache_secret`). */
const STORED_CREDENTIAL_WORD = /secret|token|access|private|api|auth|credential|account|master|signing|encrypt|crypt|hmac|sas|client/

/**
 * `storageKey`, `columnStorageKey`, `cache-key`: the key, in code's camelCase or kebab-case, under
 * which a page keeps a stored item, ending in a stored item's word and `key`, naming no credential
 * besides. An environment's `STORAGE_KEY` or `storage_key` may be a store's access key.
 */
function namesStoredItem(key: string): boolean {
  if (!/^[a-z][a-zA-Z0-9]*$|^[a-z]+(?:-[a-z]+)+$/.test(key)) return false
  const words = keyWords(key)
  return words.length >= 2 && words.at(-1) === 'key' && STORED_ITEM_WORD.has(words.at(-2) ?? '') && !words.some((w) => STORED_CREDENTIAL_WORD.test(w)) && !namesPassword(key)
}

/** A key naming a password (`password`, `db_pwd`, `passphrase`, `PGPASSWORD`, `adminpassword`), by any of its words. */
function namesPassword(key: string): boolean {
  return keyWords(key).some((w) => /^(?:pw|pwd|pass)$|(?:password|passwd|passphrase)$/.test(w)) || classifyKey(key) === 'password'
}

/** A name for an action on a secret (a feature, a form, a route), by its first word, not for a secret itself. */
function namesSecretAction(words: readonly string[]): boolean {
  return words.length > 1 && (namesSecretSwitch(words) || ACTION_WORD.has(words[0]))
}

/** Compound words that end in a secret noun: `dbpassword`, `clientsecret`, `authtoken`. */
const SECRET_SUFFIXES: Array<[string, SecretKeyClass]> = [
  ['password', 'password'],
  ['passwd', 'password'],
  ['passphrase', 'password'],
  ['pwd', 'password'],
  ['secret', 'secret'],
  ['token', 'token'],
  ['apikey', 'api-key'],
  ['accesskey', 'api-key'],
  ['secretkey', 'secret'],
  ['privatekey', 'private-key'],
  ['credential', 'secret'],
  ['credentials', 'secret'],
  ['connectionstring', 'connection-string'],
  ['connstr', 'connection-string']
]

/** `<word> key` pairs that are secrets whatever the value looks like. */
const STRONG_KEY_PAIRS = lookupTable<SecretKeyClass>({
  api: 'api-key',
  access: 'api-key',
  secret: 'secret',
  private: 'private-key',
  account: 'api-key',
  storage: 'api-key',
  subscription: 'api-key',
  license: 'api-key',
  sas: 'token'
})
/** `<word> key` pairs that are secrets only when the value is random-looking. */
const WEAK_KEY_WORDS = new Set(['auth', 'signing', 'master', 'shared', 'client', 'app', 'service', 'admin', 'root', 'hmac', 'session', 'cookie', 'jwt', 'webhook'])

/**
 * Classifies a key name. `undefined` when it does not name a secret value
 * (`password_length`, `secret_name`, `access_key_id`, `token_url`, `key`).
 */
export function classifyKey(key: string): SecretKeyClass | undefined {
  // A file path or file name used as a key (`k8s/secret.yaml` in a checksum list) names a file.
  if (key.includes('/') || /\.(?:ya?ml|json|tf|tfvars|hcl|txt|md|sh|py|js|ts)$/i.test(key)) return undefined
  const words = keyWords(key)
  if (words.length === 0) return undefined
  const last = words[words.length - 1]
  // `encryption_key` / `encryptionKey`: a symmetric key when random-looking (a KMS key id, ARN or
  // alias is sorted out by the caller, see `namesAKeyResource`).
  if (last === 'encryptionkey' || (last === 'key' && words[words.length - 2] === 'encryption')) return 'weak'
  // `key_id`, `secret_arn`, `password_file`: the key describes where the secret is.
  // A trailing number counts the word (`name2`, `DP_CREDENTIAL_LOGIN_META2`) and changes nothing.
  const bare = words.map((w) => w.replace(/(?<=[a-z])\d+$/, ''))
  if (bare.some((w, i) => NOT_A_VALUE.has(w) && !(w === 'key' && words.length > 1 && i === words.length - 1))) {
    // `api_key` ends in `key`: allowed; `key_name` or a bare `key`: not a value.
    return undefined
  }
  // `DP_CREDENTIAL_LOGIN_META2: component=dns-proxy`: metadata sent along with a login (a
  // `META_APP_SECRET` of Meta's API ends in its secret word and stays one).
  if (bare[bare.length - 1] === 'meta' || bare[bare.length - 1] === 'metadata') return undefined
  // `csisecret: "akvNew"`, `csiSecret`: a setting of the Secrets Store CSI driver, which says where a
  // cluster's secrets come from (a new or an existing key vault); a secret only when its value looks
  // random. Not `vsphere_csi_password` or `HCLOUD_CSI_TOKEN`: a CSI driver's own credentials.
  if (/^csisecrets?$/.test(bare[bare.length - 1]) || (/^secrets?$/.test(bare[bare.length - 1]) && bare[bare.length - 2] === 'csi')) return 'weak'
  // Ansible `update_password: on_create`: when to change a password, not one (an `update_token`
  // or `update_secret` of a dynamic-DNS client is a credential).
  if (words.length === 2 && words[0] === 'update' && words[1] === 'password') return undefined
  // `secretProvisioning: "integrator"`, `tokenPurpose`, `HTPASSWD_REALM`: the last word names a
  // setting about the secret (who makes it, what it is for, the realm a login prompt shows).
  if (SETTING_ABOUT_SECRET.has(bare[bare.length - 1])) return undefined
  // `tlsSecret`: the Secret a TLS certificate and its key are read from (a name; the pair never fits one scalar).
  if (last === 'secret' && words[words.length - 2] === 'tls') return undefined
  // `ServiceToken` (a custom resource's handler ARN), `NextToken`, `ClientRequestToken`,
  // `LifecycleActionToken`, EFS `creation_token`: ids, cursors and idempotency keys named like tokens.
  if (namesIdToken(words)) return undefined
  if (last === 'token' && SHOP_ID_TOKEN.has(words[words.length - 2]) && /[a-z]/.test(key)) return undefined
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i]
    if (w === 'pass' || w === 'pw') return 'password'
    if (w === 'key' && i > 0) {
      const before = words[i - 1]
      if (STRONG_KEY_PAIRS[before]) return STRONG_KEY_PAIRS[before]
      if (WEAK_KEY_WORDS.has(before)) return 'weak'
    }
    if (w === 'connection' && words[i + 1] === 'string') return 'connection-string'
    for (const [suffix, cls] of SECRET_SUFFIXES) if (w.endsWith(suffix)) return cls
  }
  return undefined
}

/** Words of a key that can hold a credential, wherever they sit in it. */
const CREDENTIAL_WORD = /pass|pwd|^pw$|secret|token|key|credential|cert|private|signature|salt|seed|dsn|conn|url|uri/
/** True when a word of the key can name a credential (`password`, `client_secret`, `tls.key`, `DATABASE_URL`). */
export function namesCredential(key: string): boolean {
  return keyWords(key).some((w) => CREDENTIAL_WORD.test(w))
}

/** Words that name who or where: `username`, `apiAddress`, `azurestorageaccountname`, `bucketnames`. */
const IDENTITY_WORD = /(?:user|username|login|names?|address|host|hostname|endpoint|port|region|email|buckets?)$/

/**
 * A key that holds an identity, an id or an address and nothing that can be a credential: a
 * Secret's `username`, `apiAddress` or `bucketnames` entry is not itself secret (its `password`
 * entry is), nor is an entry whose last word is an id or a name (`access_key_id`, `secret_name`).
 */
export function namesIdentityOrAddress(key: string): boolean {
  const words = keyWords(key)
  const last = words[words.length - 1] ?? ''
  if (last === 'id' || last === 'ids' || last === 'name' || last === 'names') return true
  return words.some((w) => IDENTITY_WORD.test(w)) && !words.some((w) => CREDENTIAL_WORD.test(w))
}

/**
 * `POSTGRES_DB`, `database`, `db_name`: a key naming the database a login opens. Its value is
 * no secret, and a password equal to it is a default anyone reading the file can guess.
 */
export function namesDatabase(key: string): boolean {
  const words = keyWords(key)
  const last = words[words.length - 1] ?? ''
  const named = last === 'db' || last === 'database' || last === 'dbname' || ((last === 'name' || last === 'names') && /^(?:db|database)$/.test(words[words.length - 2] ?? ''))
  // `roleWithChangedPassInDB`: a password kept in a database, named by where it lives.
  return named && !words.some((w) => CREDENTIAL_WORD.test(w))
}

/** `penpot`, `shop-devenv`, `app2024`: a name someone typed, not a generator's output. */
export function typedAsName(value: string): boolean {
  return !looksRandom(value) && isWordsAndNumber(value)
}

/**
 * The entry beside a password that holds the same typed word (`POSTGRES_USER: penpot` beside
 * `POSTGRES_PASSWORD: penpot`): a default login, guessed by whoever reads the user or database
 * name. A user name or access key first, then a database name: the login is what a reader is
 * told of first. A random value reused as a name is still a generated secret: none.
 */
export function loginBeside(key: string, value: string, entries: readonly { key: string; value: string }[]): string | undefined {
  const typed = value.trim()
  if (typed.length < 3 || !typedAsName(typed)) return undefined
  const same = entries.filter((e) => e.key !== key && e.value.trim() === typed)
  return (same.find((e) => namesIdentityOrAddress(e.key) || namesAccessKey(e.key)) ?? same.find((e) => namesDatabase(e.key)))?.key
}

/** `accessKey`, `access_key`, `MINIO_ACCESS_KEY`, `accesskey`: the key id half of an access key pair. */
export function namesAccessKey(key: string): boolean {
  const words = keyWords(key)
  const last = words[words.length - 1] ?? ''
  return last === 'accesskey' || (words.length >= 2 && words[words.length - 2] === 'access' && last === 'key')
}

/** `secretKey`, `secret_access_key`, `MINIO_SECRET_KEY`, `secretkey`: the secret half of an access key pair. */
export function namesSecretKey(key: string): boolean {
  const words = keyWords(key)
  const tail = words.slice(-3).join(' ')
  return tail.endsWith('secret key') || tail.endsWith('secret access key') || words[words.length - 1] === 'secretkey'
}

/**
 * The words before an access key's or secret key's own name (`S3` in `S3_ACCESS_KEY` and
 * `S3_SECRET_KEY`, none in `accesskey`): which store the key belongs to. Undefined for other keys.
 */
export function accessPairPrefix(key: string): string | undefined {
  const words = keyWords(key)
  const n = words.length
  const last = words[n - 1] ?? ''
  if (last === 'accesskey' || last === 'secretkey') return words.slice(0, -1).join(' ')
  if (last !== 'key') return undefined
  if (words[n - 2] === 'secret') return words.slice(0, -2).join(' ')
  if (words[n - 2] === 'access') return words.slice(0, words[n - 3] === 'secret' ? -3 : -2).join(' ')
  return undefined
}

/**
 * The store an access key id's name pairs it with (`s3` of `S3_ACCESS_KEY`, '' for `accesskey`),
 * or undefined when `key` names no access key id (a secret key's name, `S3_SECRET_ACCESS_KEY`, included).
 */
export function accessKeyIdStore(key: string): string | undefined {
  return namesAccessKey(key) && !namesSecretKey(key) ? accessPairPrefix(key) : undefined
}

/** Whether `key` names the secret key of `store`: the other half of its access key id's pair. */
export function namesSecretKeyOf(key: string, store: string): boolean {
  return namesSecretKey(key) && accessPairPrefix(key) === store
}

const BOOLEANISH = /^(?:true|false|yes|no|on|off|null|nil|none|undefined|~|enabled|disabled)$/i

/** `true`, `off`, `disabled`, `null`, …: a switch's value, never a secret. */
export function isBooleanish(value: string): boolean {
  return BOOLEANISH.test(value.trim())
}

/** Interpolations, expressions and pointers to a secret store: the secret lives elsewhere. */
function isReference(v: string): boolean {
  return (
    // `{% $states.input.x %}`: a Step Functions JSONata expression (or a Jinja tag), evaluated later.
    /\$\{|\{\{|\{%|\$\(|\(\(|%\{|#\{|@Microsoft\.KeyVault\(/.test(v) ||
    /^\$[A-Za-z_]/.test(v) ||
    // `PASSWORD '$POSTGRES_PASSWORD'` in a shell script: a fragment around another variable.
    /(?:^|[^A-Za-z0-9])\$[A-Z_][A-Z0-9_]{2,}\b/.test(v) ||
    // kubectl JSONPath (`token-key: '{.credential.access_token}'` in a kubeconfig): where to read it.
    /^\{\.[\w.[\]'"-]*\}$/.test(v) ||
    // A format string's field (`f"…:{config.DB_PASSWORD}@…"`, `"{0}"`) or a JSX expression
    // (`{recipient?.token}`): filled in by the code. Only a name made of words
    // (`config._QUOTED_DATABASE_PASSWORD`, `db_pass`), not braces around random text.
    /^\{(?:_?[A-Za-z][A-Za-z0-9]*(?:(?:[._]+|\?\.)[A-Za-z][A-Za-z0-9]*)+|[a-z]+|\d{1,2})\}$/.test(v) ||
    // PHP's interpolation of a variable, a property chain or an index (`{$this->database->password}`),
    // perhaps with the close of the string it stands in (`"TUNNEL_TOKEN={$token}",`).
    // The variable's name starts lower-case (`{$Zq8sLm3n}` is no PHP code's name).
    /^\{\$[a-z_]\w*(?:->[A-Za-z_]\w*|\[[^\]\n]{1,40}\])*\}(?:["'],?)?$/.test(v) ||
    // Python's %-formatting of a mapping (`'PASSWORD': '%(password)s'` in a settings template).
    /^%\([A-Za-z_][\w.]{0,60}\)[sdr]$/.test(v) ||
    // LiteLLM's settings read a variable as `os.environ/OPENAI_API_KEY`.
    /^os\.environ\/[A-Z_][A-Z0-9_]*$/.test(v) ||
    // A WebDAV server's settings read a variable as `{env}WEBDAV_PASSWORD`.
    /^\{env\}[A-Z_][A-Z0-9_]*$/.test(v) ||
    /^!/.test(v) ||
    /^(?:var|local|data|module|each|self|count|path|terraform)\.[A-Za-z_]/.test(v) ||
    /^(?:arn:|vault:|secretsmanager:|ssm:|sm:\/\/|op:\/\/|azurekeyvault|keyvault:|gcp-secret|projects\/[^/]+\/secrets\/|aws_secretsmanager|env:|secret:|file:|sops:)/i.test(v) ||
    /^(?:file|lookup|data|random_password|base64decode|sensitive)\(/.test(v) ||
    // An ARM template expression: `[listKeys(parameters('account'), '2019-06-01').keys[0].value]`.
    (v.endsWith(']') && /^\[[A-Za-z]\w*\(/.test(v))
  )
}

/**
 * Whole values that stand in for a secret: the fill-me words, the common metasyntactic names (`foo` …
 * `qux`, alone or run together: `foobarbaz`; `fooooo`), and a word saying which environment holds the
 * real value (`prodonly`, `staging-only`).
 */
const PLACEHOLDER_WORDS =
  /^(?:change[-_ ]?me|change[-_ ]?it|change[-_ ]?this|replace[-_ ]?me|replace[-_ ].*|set[-_ ]?me|to[-_ ]?be[-_ ]?(?:set|replaced)|your[-_ ].*|your(?:password|secret|token|key|apikey)\w*|(?:insert|enter)[-_ ].*|my[-_]?(?:password|passwd|pass|pwd|secret|token|apikey)|placeholder|redacted|masked|hidden|dummy|example|sample|fake|mock|test|testing|todo|tbd|fixme|not[-_ ]?set|unset|unused|empty|default|none|secret|secrets|password|passwd|token|apikey|api[-_]key|credentials?|null|value(?:[-_]?\d{1,3})?|no[-_ ]?change|unchanged|insecure|(?:foo|bar|baz|qux|foobar)(?:[-_][a-z0-9]+)?|(?:foo|bar|baz|qux){2,3}|fo{3,40}|(?:prod|production|staging|stage|dev|development|test|qa|uat|preprod|sandbox)[-_]?only)$/i

/**
 * Whole lower-case values a test file uses as stand-ins, matched exactly (no suffix, no capitals: a
 * word run into a chosen or generated tail is a password): the rarer metasyntactic names, a
 * token's prefix then `xxx` (`api_xxx`, `sk_live_xxx`), and a value given to be refused that says
 * so (`invalid-htpasswd`, `wrong-password`).
 */
const TEST_STAND_INS = /^(?:quux|quuz|corge|grault|garply|plugh|xyzzy|[a-z]{2,10}(?:[-_][a-z]{2,10})?[-_]xxx|(?:invalid|wrong|incorrect)[-_](?:password|passwd|htpasswd|secret|token|key|credentials?))$/

/** Placeholders written inside a longer value: `changeme123`, `my-example-pass`, `xxxx-xxxx`. */
const PLACEHOLDER_INSIDE = /change[-_]?me|placeholder|(?:^|[^a-z])(?:example|fake)(?:[^a-z]|$)|dummy|xxxx|replace[-_]?with|insert[-_]?your|your[-_]?(?:own[-_]?)?(?:password|secret|token|key|api)|<[^<>\n]{1,80}>|(?:\.\.\.|\u2026)[)\]}"'.,;]{0,3}$|^(?:\.\.\.|\u2026)/i

/**
 * `ci-release-not-a-real-secret`, `dev_insecure_key`, `do-not-use-token`, `give-pytest-control`: a
 * slug of short words one of which says the value is no secret or is for a test suite or a mock
 * (`pytest`, `mock`; a bare `test` often names an environment, whose database is real). Only a slug of short words: Django's generated
 * `django-insecure-` keys carry a long random tail (and symbols) and stay literal.
 */
const SAYS_FAKE = /(?:^|[-_.])(?:not[-_.]?(?:a[-_.]?)?(?:real|secret)|insecure|do[-_.]?not[-_.]?use|dummy)(?:[-_.]|$)/
/** Words that name what uses a value (a test suite, a mock server) rather than saying it is fake. */
const NAMES_ITS_USER = /(?:^|[-_.])(?:pytest|mock)(?:[-_.]|$)/
/** An environment's name as a part of a value: a value beside one was chosen for that environment. */
const ENVIRONMENT_NAME = /^(?:prod|prd|production|preprod|stage|staging|stg|live|uat|qa|sandbox)$/i
function saysNotSecret(v: string, key: string): boolean {
  // Every part a lower-case word or a short number: `Xk9mP2vLq8Rw-insecure` is a generated value with a word stuck on.
  if (!/^[A-Za-z0-9]{1,12}(?:[-_.][A-Za-z0-9]{1,12}){1,9}$/.test(v)) return false
  const parts = v.split(/[-_.]/)
  if (!parts.every((part) => /^(?:[a-z]+|\d{1,4})$/.test(part))) return false
  if (SAYS_FAKE.test(v)) return true
  if (!NAMES_ITS_USER.test(v)) return false
  // `pytest` or `mock` (`pnpm-registry-mock-secret-key-32`) names what uses the value, not that it
  // is fake: a year or an environment's name beside it makes it a chosen password, as does a
  // password's key for a mock (`DB_PASSWORD=hi-mock-it`).
  if (parts.includes('mock') && namesPassword(key)) return false
  return !parts.some((part) => /^\d{4}$/.test(part) || ENVIRONMENT_NAME.test(part))
}

/** `YourPingdomApiToken`, `yourAccessKey`: a value that asks for the reader's own one (case matters). */
const YOUR_CAMEL = /^[Yy]our[A-Z][A-Za-z]*$/

/** Words a value may be made of and still say nothing: `secretpassword`, `my-test-token`, `passwordhere`. */
const FILLER_WORDS = ['password', 'passwd', 'secret', 'token', 'value', 'sample', 'example', 'test', 'dummy', 'fake', 'mock', 'your', 'here', 'pass', 'key', 'my']

/** True when the value is nothing but filler words (at least two), whatever the separators. */
function onlyPlaceholderWords(v: string): boolean {
  const letters = v.toLowerCase().replace(/[^a-z]/g, '')
  return letters.length === v.replace(/[-_. ]/g, '').length && wordsRunTogether(letters, FILLER_WORDS) >= 2
}

/**
 * How many of `words` `text` is made of, run together and read greedily from its start (the first
 * listed word that fits wins), or 0 when some part is none of them.
 */
function wordsRunTogether(text: string, words: readonly string[]): number {
  let rest = text
  let count = 0
  while (rest.length > 0) {
    const word = words.find((w) => rest.startsWith(w))
    if (!word) return 0
    rest = rest.slice(word.length)
    count++
  }
  return count
}

/**
 * Code rather than a value: an environment variable's name (`PGPASSWORD`, `DB_PASSWORD`), a call
 * (`pf.read()`, `cfg['app'].get('token')`), a subscript (`r['NextToken']`) or a member access (`event.resultToken`; a random
 * part with digits, as in a Vault token `hvs.CAES…`, is no member name).
 */
function isCode(v: string): boolean {
  return (
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v) ||
    (/^[A-Z0-9]*$/.test(v) && /^[A-Z]*?(?:PASS|TOKEN|SECRET|KEY|PWD)/.test(v)) ||
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\(.{0,200}\)[,;]?$/.test(v) ||
    // `pipes.CfnPipe.CredentialsProperty(` or `"".join(`: a call whose arguments follow on the next lines.
    /^(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*|""\.\w+|''\.\w+)\($/.test(v) ||
    (/\]$/.test(v) && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[(?:'[^'\n\]]{0,100}'|"[^"\n\]]{0,100}"|[A-Za-z_$][\w$]*|\d{1,6})\])+$/.test(v)) ||
    // `datastore.data['settings'].get('api_access_token')`: a call at the end of subscripts and member
    // reads, given quoted words or lower-case names none of which looks random (could be the secret).
    (/\)[,;]?$/.test(v) &&
      /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[(?:'[^'\n\]]{0,100}'|"[^"\n\]]{0,100}"|[A-Za-z_$][\w$]*|\d{1,6})\])+\((?:(?:'[\w .:/-]{0,100}'|"[\w .:/-]{0,100}"|[a-z_][a-z0-9_]{0,60})(?:, ?(?:'[\w .:/-]{0,100}'|"[\w .:/-]{0,100}"|[a-z_][a-z0-9_]{0,60})){0,5})?\)[,;]?$/.test(v) &&
      !callArgumentsLookRandom(v)) ||
    (/^[a-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+[,;]?$/.test(v) && !v.split('.').some((part) => /\d/.test(part) && looksRandom(part)))
  )
}

/** Whether an argument of a call's last parentheses looks random or mixes capitals and digits (`.get('Xk9mP2qL7w')`). */
function callArgumentsLookRandom(v: string): boolean {
  const inside = v.slice(v.lastIndexOf('(') + 1, v.lastIndexOf(')'))
  return inside.split(',').some((a) => {
    const word = a.trim().replace(/^["']|["']$/g, '')
    return looksRandom(word) || word.split(/[ .:/-]/).some((part) => /[A-Z]/.test(part) && /\d/.test(part)) || (/\d/.test(word) && /[a-z]/.test(word) && !/[-_ .:/]/.test(word) && word.length >= 10)
  })
}

/** Words before `secret` that make it a credential (`clientSecret`), not the name of a Secret object (`runnerIdentitySecret`). */
const CREDENTIAL_QUALIFIER = new Set(['client', 'shared', 'app', 'api', 'jwt', 'session', 'cookie', 'webhook', 'signing', 'master', 'admin', 'root', 'oauth', 'hmac', 'consumer', 'auth', 'encryption', 'private', 'aws', 'access', 'bot', 'user'])

/** `imagePullSecret`, `pull_secrets`: a key naming the Secret a pod pulls its images with. */
function namesPullSecret(key: string): boolean {
  const words = keyWords(key)
  const last = words[words.length - 1]
  return words.length >= 2 && words[words.length - 2] === 'pull' && (last === 'secret' || last === 'secrets')
}

/**
 * `aaaa1111`, `dddd4444`: two runs of one repeated character each, at least three long, what a
 * test fixture writes when any distinct value will do.
 */
function twoFilledRuns(v: string): boolean {
  let runs = 1
  let length = 1
  for (let i = 1; i < v.length; i++) {
    if (v[i] === v[i - 1]) length++
    else {
      if (length < 3 || ++runs > 2) return false
      length = 1
    }
  }
  return runs === 2 && length >= 3
}

/** `runnerIdentitySecret`, `certSecret`: a key that names the Secret object something is read from. */
function namesSecretObject(key: string): boolean {
  const words = keyWords(key)
  return words.length >= 2 && words[words.length - 1] === 'secret' && !CREDENTIAL_QUALIFIER.has(words[words.length - 2]!)
}

/** A value that names another secret's key (`passwordKey: admin-password`, `openshift-credentials:password`) rather than holding one. */
function namesAKey(v: string): boolean {
  return (
    /^(?:[a-z]+[-_.:/]){1,3}(?:password|passwd|secret|token|key|credentials?)$/.test(v) ||
    // `apiTokenKey: 'HuggingFace_API_KEY'`: the name of the variable the key is read from, a product's name first.
    /^[A-Z][A-Za-z0-9]{1,30}(?:_[A-Z0-9]{1,20}){0,3}_(?:API_KEY|API_TOKEN|TOKEN|SECRET|ACCESS_KEY|PASSWORD)$/.test(v) ||
    // `signing-key/ci:private_key`: a secret store's path and the field to read from it.
    /^[a-z0-9][a-z0-9_./-]{0,200}:[a-z_]{0,40}(?:password|passwd|passphrase|secret|token|key|credentials?)$/.test(v)
  )
}

/**
 * A vendor's token prefix followed by a made-up upper-case word (`nvapi-NVKEY`, `sk-APIKEY`):
 * the shape of a real token announced, its random part missing.
 */
function isPrefixedStandIn(v: string): boolean {
  const word = /^[a-z][a-z0-9]{1,7}[-_]([A-Z]{2,20})$/.exec(v)?.[1]
  return word !== undefined && /KEY|TOKEN|SECRET|PASS|PWD|API/.test(word)
}

/**
 * A vendor's token prefix followed by one character repeated (`glpat-XXXXXXXXXXXXXXXXXXXX`,
 * `AKIA0000000000000000`, `ghp_xxxx…`, `sk-****…`): the shape announced, the body filled in.
 */
export function isFilledStandIn(v: string): boolean {
  const fill = v[v.length - 1]
  if (fill !== 'X' && fill !== 'x' && fill !== '0' && fill !== '*') return false
  // The run of the fill character at the end, counted from the end (no backtracking on a long run).
  let start = v.length - 1
  while (start > 0 && v[start - 1] === fill) start--
  const prefix = v.slice(0, start)
  return v.length - start >= 8 && prefix.length <= 24 && /^[A-Za-z0-9_.$-]*$/.test(prefix)
}

/** AWS's documentation examples (`AKIAIOSFODNN7EXAMPLE`, a secret ending `EXAMPLEKEY`): published on purpose. */
export function isDocumentationExample(v: string): boolean {
  return v.includes('EXAMPLE')
}

/** Consecutive digits, ascending or descending, at least four (`1234`, `0123456789`, `987654`). */
function isDigitRun(v: string): boolean {
  if (!/^\d{4,}$/.test(v)) return false
  const step = (Number(v[1]) - Number(v[0]) + 10) % 10
  if (step !== 1 && step !== 9) return false
  for (let i = 1; i < v.length; i++) if ((Number(v[i]) - Number(v[i - 1]) + 10) % 10 !== step) return false
  return true
}

/**
 * `pk-lf-1234567890`, `sk-lf-1234567890abcdef`: a vendor's short token prefix, then eight or more digits counting up
 * (and the first hexadecimal letters in order): the shape of a key announced, its body typed.
 * Not under a password's key: `admin_12345678` is a password someone chose.
 */
function isPrefixedCountingRun(v: string): boolean {
  // Without a prefix, the letters must follow: `123456abcd` (digits alone are `isDigitRun`'s).
  const m = /^(?:[a-z]{1,4}[-_]){1,3}(\d{8,})([A-Fa-f]*)$/.exec(v) ?? /^(\d{6,})([A-Fa-f]{2,6})$/.exec(v)
  return m !== null && isDigitRun(m[1]) && 'abcdef'.startsWith(m[2].toLowerCase())
}

/** A credential's noun, and the words a label pairs with one (`Email/Password`, `Secret Key`, `Access token`). */
const CREDENTIAL_NOUN = /^(?:password|passphrase|passkey|key|token|secret|credentials?|pin)$/
const LOGIN_NOUN = /^(?:email|user|username|login|account|api|access|public|private|client|secret|key|token|password|bearer|oauth|auth|refresh)$/
/** `Change password`, `Reset your API key`, `New token`: a button's or a field's label, a verb or adjective then a credential. */
const ACTION_LABEL = /^(?:Change|Reset|Forgot|Enter|Re-?enter|Re-?type|Repeat|Verify|Confirm|Update|New|Current|Old|Show|Hide|Copy|Generate|Regenerate|Create|Revoke|Rotate)(?: your)? (?:[Pp]assword|[Pp]assphrase|[Tt]oken|[Ss]ecret|[Kk]ey|[Aa]pi [Kk]ey|API [Kk]ey|[Aa]ccess [Tt]oken)s?\??$/

/**
 * `Email/Password`, `Langfuse Secret Key`, `Access token`: a label of two or three words (the
 * first capitalised), two of them words of a login, one a credential's noun. One such noun alone
 * (`Top Secret`, `Master Key`) is a weak secret someone chose.
 */
function isCredentialLabel(v: string): boolean {
  if (ACTION_LABEL.test(v)) return true
  if (!/^[A-Z][A-Za-z]{1,12}(?:[ /](?:[A-Za-z][a-z]+|[A-Z][A-Za-z]{1,12})){1,2}$/.test(v)) return false
  const words = v.toLowerCase().split(/[ /]/)
  return words.some((w) => CREDENTIAL_NOUN.test(w)) && words.filter((w) => LOGIN_NOUN.test(w)).length >= 2
}

/** Name-service sources (`passwd: files sss`, `passwd: compat` in nsswitch.conf): where account data comes from. */
const NSSWITCH_SOURCES = /^(?:(?:compat|files|db|nis|nisplus|sss|systemd|ldap|winbind|hesiod|cache|altfiles|extrausers|oslogin|google|usrfiles|mymachines|myhostname|resolve|dns)(?:\s+\[[^\]\n]{1,80}\])?\s*)+$/

/** A test marker, then words of which one is the key's own or a secret's noun; no random part, not under a password's key. */
function isTestSetUpValue(v: string, key: string): boolean {
  if (!/^(?:test|e2e|mock|stub)[-_][A-Za-z0-9]+(?:[-_][A-Za-z0-9]+){0,8}!{0,3}$/.test(v) || namesPassword(key)) return false
  // Each part a word (`magic`, `githubID`) or a number with its unit (`32chars`): no random part.
  const body = v.replace(/!{1,3}$/, '')
  const parts = body.split(/[-_]/)
  // At most 12 letters a part (`qwhdkfjeoqpwnvmzkdla` is random), no year (`test-jwt-secret-2024`
  // was chosen for a real environment), and no environment's name.
  if (!parts.slice(1).every((p) => /^[A-Za-z][a-z]{1,11}(?:[A-Z][a-z]{1,11}|ID)?$|^\d{1,3}[a-z]{0,6}$/.test(p) && p.replace(/ID$/, '').length <= 12)) return false
  if (parts.some((p) => ENVIRONMENT_NAME.test(p))) return false
  const words = keyWords(body)
  const own = keyWords(key)
  return words.slice(1).some((w) => own.includes(w) || SECRET_NOUNS.has(w))
}

/** Nouns by which a value says it stands for a secret. */
const SECRET_NOUNS = new Set(['secret', 'password', 'passwd', 'token'])

/**
 * `super-secret-management-api-key` under `MANAGEMENT_API_KEY`, `super-secret-nexus-api-key` under
 * `NEXUS_SHARED_KEY`: lower-case words that name what the value stands for (a secret noun, and two
 * of the key's words, its last among them), a stand-in written for a development setup, never a
 * generated secret.
 */
function describesItself(v: string, key: string): boolean {
  // `password: "secure password"`: a stand-in's word, then the key itself.
  if (/^(?:secure|strong|super|my|your|some|default|dummy|test|sample|example|random|new|good) [a-z]{2,20}$/.test(v) && keyWords(key).length === 1 && v.endsWith(` ${keyWords(key)[0]}`) && SECRET_NOUNS.has(keyWords(key)[0])) return true
  if (!/^[a-z][a-z0-9]*(?:[-_. ][a-z][a-z0-9]*){2,9}$/.test(v)) return false
  const words = v.split(/[-_. ]/)
  const keyWordList = keyWords(key)
  const last = keyWordList[keyWordList.length - 1]
  if (last === undefined || !words.includes(last) || !words.some((w) => SECRET_NOUNS.has(w))) return false
  return keyWordList.length === 1 || keyWordList.slice(0, -1).some((w) => words.includes(w))
}

/**
 * `eyJhbG...2g`, `sk-ab12...`: a token's first few characters, an ellipsis and a few more, an
 * example cut short. The start must read as a token's (a known prefix, or letters and digits
 * mixed): `Summer...2024` and `letmein...42` are what someone typed.
 */
export function isCutShort(v: string): boolean {
  const m = /^([A-Za-z0-9_-]{1,12})(?:\.\.\.|\u2026)[A-Za-z0-9_-]{1,12}$/.exec(v)
  return m !== null && (/^(?:eyJ|sk-|pk-|gh[pousr]_|github_pat_|xox[abpr]-|glpat-|AKIA)/.test(m[1]) || /[A-Za-z][0-9]|[0-9][A-Za-z]/.test(m[1]))
}

/** Two to eight words (the first may be capitalised), each one of the key's own, one a credential's noun: the key's label. */
function labelsItsKey(v: string, key: string): boolean {
  if (!/^[A-Za-z][a-z]{1,20}(?:[- ][a-z]{2,20}){1,7}$/.test(v) || !v.includes(' ')) return false
  const own = new Set(keyWords(key))
  const words = v.toLowerCase().split(/[- ]/)
  return words.every((w) => own.has(w)) && words.some((w) => CREDENTIAL_NOUN.test(w))
}

/** Words that only join a stand-in's credential word to what it is for: `password for user`, `token here`. */
const JOINING_WORDS = ['for', 'the', 'of', 'to', 'this', 'user', 'bot', 'here', 'goes', 'your', 'my']

/**
 * `passwordforuser` under `password`, `tokenforthebot` under `token`: the key's own credential word
 * run together with joining words (JOINING_WORDS), as help text writes a stand-in. Only lower-case
 * letters: a digit, a capital or any word outside the list (`Summer2024password`, `bluepassword`)
 * is what someone typed as a password and stays literal.
 */
function credentialWordWithFiller(v: string, key: string): boolean {
  if (!/^[a-z]{6,40}$/.test(v)) return false
  const keyList = keyWords(key)
  const noun = keyList[keyList.length - 1] ?? ''
  if (!/^(?:password|passwd|pass|pwd|passphrase|secret|token)$/.test(noun)) return false
  // Every way of reading `v` as JOINING_WORDS around exactly one `noun`, at least one joining word.
  const reads = (rest: string, nounSeen: boolean, joined: number): boolean => {
    if (rest === '') return nounSeen && joined > 0
    if (!nounSeen && rest.startsWith(noun) && reads(rest.slice(noun.length), true, joined)) return true
    return JOINING_WORDS.some((w) => rest.startsWith(w) && reads(rest.slice(w.length), nounSeen, joined + 1))
  }
  return reads(v, false, 0)
}

const REPLACE_ME = /\b(?:replace|fill in|change (?:it|this|me)|your own|insert your|put your)\b/i

/** A line whose comment asks for the real value (`#REQUIRED - replace with your access key`): the value beside it is a stand-in. */
export function asksToReplace(line: string): boolean {
  const comment = line.indexOf(' #')
  return comment >= 0 && REPLACE_ME.test(line.slice(comment))
}

/** Sample secrets quoted by well-known documentation pages, copied into tests and tutorials (Kubernetes' Secret pages; the verification token of Slack's Events API examples). */
const DOCUMENTED_SAMPLE_VALUES = new Set([
  '1f2d1e2e67df',
  'Jhj5dZrVaK7ZwHHjRyZWjbDl',
  // The OAuth RFCs' examples (6749, 6750, 7009, 7662), which libraries quote in their comments.
  'gX1fBat3bV',
  'czZCaGRSa3F0MzpnWDFmQmF0M2JW',
  '2YotnFZFEjr1zCsicMWpAA',
  'tGzv3JOkF0XG5Qx2TlKWIA',
  'SplxlOBeZQQYbYS6WxSbIA',
  'mF_9.B5f-4.1JqM',
  '23410913-abewfq.123483',
  '45ghiukldjahdnhzdauz',
  // The public MinIO playground's keys (play.min.io), which its client ships configured.
  'Q3AM3UQ867SPQQA43P2F',
  'zuf+tfteSlswRu7BJ86wekitnifILbZam1KYY3TG'
])

/** Why a value under a secret-ish key is not a literal secret, or undefined when it is one. */
export function whyNotLiteral(value: string, key: string): string | undefined {
  // `password=\"$VAR\"` inside a double-quoted shell string: the escaped quotes are not the value.
  const v = value.trim().replace(/,$/, '').replace(/^\\(["'])(.*)\\\1$/, '$2')
  if (v.length < 4) return 'too short'
  const words = keyWords(key)
  const lastWord = words.at(-1) ?? ''
  if (BOOLEANISH.test(v)) return 'boolean'
  // `password: string` in a module's metadata or a schema: the value's type, not the value.
  if (/^(?:string|number|bool|boolean|object|list|map|set|tuple|any|integer|int|float|double|bytes)$/i.test(v)) return 'type name'
  // `password: Optional[str] = None` (a Python parameter, here in a chart's template): a type and its default.
  if (/^(?:Optional|List|Dict|Union|Tuple|Set|Sequence|Mapping|Literal|Annotated|list|dict|tuple|set)\[[\w[\], .|]{1,80}\](?:[ \t]*=[ \t]*(?:None|""|''|\.\.\.|\[\]|\{\}))?$/.test(v) || /^(?:str|bytes|SecretStr|SecretBytes|Any)[ \t]*=[ \t]*(?:None|""|''|\.\.\.)$/.test(v)) return 'type name'
  if (AUTH_SCHEME.test(v)) return 'auth scheme'
  // `"password": "LDAP"` for a user an identity provider signs in: a marker saying where the login is checked.
  if (/^(?:LDAP|OIDC|SAML|SSO|OAUTH2?|KERBEROS|EXTERNAL)$/.test(v)) return 'identity provider'
  if (/^(?:milli|micro|nano)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)$/i.test(v)) return 'unit'
  // `"Secret": "LA_kwDOCsUTCM75TTQL"`: a GitHub object's node id, such as the label a triage action
  // applies for the category `Secret`.
  if (isGithubNodeId(v) && !namesPassword(key)) return 'GitHub node id'
  if (/^-?\d{1,5}(?:\.\d+)?$/.test(v) || /^\d{1,7}(?:ms|s|m|h|d)$/.test(v)) return 'number'
  // `"jsonwebtoken": ">=9.0.0"` in package.json: a dependency's version range.
  if (/^(?:[\^~]|[<>]=?|==?)?\s{0,3}v?\d{1,6}(?:\.(?:\d{1,6}|x|\*)){1,3}(?:-[\w.]{1,40})?$/.test(v)) return 'version'
  if (isReference(v)) return 'reference'
  // MySQL native-password hashes (`*` and 40 hex digits) and crypt(3)/bcrypt/argon2 hashes.
  if (/^\*[0-9A-Fa-f]{40}$/.test(v) || /^\$(?:2[abxy]?|5|6|y|argon2(?:id|i|d))\$[^\s]{20,}$/.test(v)) return 'hash'
  // An htpasswd line (`user:$2y$10$…`): a user name and the hash of the password.
  if (/^[^:\s$]{1,64}:\$(?:2[abxy]?|apr1|5|6|y)\$[^\s]{20,}$/.test(v)) return 'hash'
  // `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`: a value SOPS encrypted, safe to commit.
  if (/^ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:[a-z]+\]$/.test(v)) return 'encrypted'
  // `credentials: ext:/scripts/auth.sh`, `pullsecret:argocd/regcred`: where Argo CD Image Updater reads a registry's credentials.
  if (lastWord === 'credentials' && /^(?:pullsecret:[\w.-]+\/[\w.-]+|secret:[\w.-]+\/[\w.-]+#[\w.-]+|env:[A-Za-z_][A-Za-z0-9_]*|ext:\/[\w./-]+)$/.test(v)) return 'reference'
  // `hmac-sha256:bd6dd759…`: how Vault's audit log writes every secret value, hashed with the log's own key.
  if (/^hmac-sha(?:1|224|256|384|512):[0-9a-f]{32,128}$/.test(v)) return 'hash'
  // `password: 'x-oauth-basic'`: what GitHub asks for as the password when the token is sent as the user name.
  if (v === 'x-oauth-basic') return 'protocol constant'
  if (/^<[^>]*>$|^\[[^\]]*\]$|^%[A-Za-z_]+%$|^__[A-Z0-9_]+__$/.test(v)) return 'placeholder'
  // `_admin_password_`: lower-case words framed by underscores, a slot a set-up guide asks to fill.
  if (/^_[a-z]+(?:_[a-z]+)*_$/.test(v)) return 'placeholder'
  // `{your-base64-token}`, `{password}`: lower-case words in braces, a slot to fill (a GUID in braces is not words).
  if (/^\{[a-z]{2,}[0-9]{0,3}(?:[-_ ][a-z]{2,}[0-9]{0,3}){0,7}\}$/.test(v)) return 'placeholder'
  // `sk-lf-...5678`: a key shown by its ends (a token's prefix, then the last characters), as a
  // settings page lists keys. Not under a password's key, where `sk-...ab12` is what someone typed.
  if (/^(?:[A-Za-z0-9]{1,8}[-_]){0,3}(?:\.{3}|\u2026)[A-Za-z0-9]{2,6}$/.test(v) && !namesPassword(key)) return 'elided'
  // `pw: "🇵🇼"` (Palau's flag under its country code): pictures, typed by no one as a password.
  if (/^[\p{Extended_Pictographic}\p{Regional_Indicator}\u{FE0F}\u{200D}]+$/u.test(v)) return 'emoji'
  // `"password": "'%s'"` in a format string (a shell's quotes around it): the argument goes there.
  if (/^(["']?)%[-+# 0]{0,3}\d{0,3}(?:\.\d{1,3})?[sdvqxf]\1$/.test(v)) return 'placeholder'
  if (/^(.)\1+$/.test(v) || v.includes('***')) return 'placeholder'
  // `cccccccc-cccc-cccc-cccc-cccccccccccc`: a GUID's groups each filled with one character.
  if (/^[0-9A-Za-z]{8}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{12}$/.test(v) && v.split('-').every((group) => /^(.)\1+$/.test(group))) return 'placeholder'
  if (isFilledStandIn(v)) return 'placeholder'
  // Values that documentation made famous: Kubernetes' Secret pages use `1f2d1e2e67df` for `admin`, Slack's Events API examples `Jhj5dZrVaK7ZwHHjRyZWjbDl`, OAuth's RFCs `gX1fBat3bV`.
  if (DOCUMENTED_SAMPLE_VALUES.has(v)) return 'placeholder'
  // `123456`, `1234567890`: a run of consecutive digits is what people type when any value will do.
  if (isDigitRun(v)) return 'placeholder'
  // `12345678-0987-1234-5678-123456789012`: a UUID's groups typed as counting runs.
  if (/^\d{4,}(?:-\d{4,}){1,7}$/.test(v) && v.split('-').every(isDigitRun)) return 'placeholder'
  // `0123456789abcdef0123…`: the hexadecimal digits in order, repeated to a token's length.
  if (v.length >= 16 && '0123456789abcdef'.repeat(Math.ceil(v.length / 16) + 1).includes(v.toLowerCase())) return 'placeholder'
  if (PLACEHOLDER_WORDS.test(v) || TEST_STAND_INS.test(v) || PLACEHOLDER_INSIDE.test(v) || YOUR_CAMEL.test(v) || onlyPlaceholderWords(v)) return 'placeholder'
  // `(e.g. --with-password my-secret)`: a closing bracket with no opening one ends a remark around a
  // stand-in. Only for stand-in words: `4729)` or `RDS_MASTER)` is still what someone typed.
  if (/^[^()]+\)$/.test(v) && (PLACEHOLDER_WORDS.test(v.slice(0, -1)) || onlyPlaceholderWords(v.slice(0, -1)))) return 'placeholder'
  if (isPrefixedStandIn(v) || saysNotSecret(v, key) || (isPrefixedCountingRun(v) && !namesPassword(key))) return 'placeholder'
  // `test-githubID`, `e2e_srh_token`, `test-magic-link-secret-32chars!!`: a value a test set-up
  // names as its own: words after the marker, one of them the key's or a secret's noun (a random
  // part keeps it a secret; `test-prod-db-2024` names an environment; never a password's).
  if (isTestSetUpValue(v, key)) return 'placeholder'
  // `password_confirm: "password_no_match"`, `new_password_2: "not_match"`: a form's error code for a
  // confirmation field. Only a negated match: `perfect_match`, `glass_half_empty` are passphrases.
  if (/^(?:[a-z]{2,12}_){0,3}(?:no|not|do_not|does_not|dont|mis)_?match(?:es|ed)?$/.test(v)) return 'error code'
  // `opaqueAccessToken: "fboa_"`: a token's prefix alone, which the code puts before a generated part.
  if (/^[a-z]{2,8}[-_]$/.test(v) && !namesPassword(key)) return 'prefix'
  // Not under a password's key: `aaaa1111` is also a weak password someone chose.
  if (twoFilledRuns(v) && !namesPassword(key)) return 'placeholder'
  // `credentials: "same-origin"`: how fetch() sends cookies, one of three words.
  if (/^credentials$/i.test(key) && /^(?:omit|same-origin|include)$/.test(v)) return 'fetch option'
  // `---overridden---`, `***REDACTED***`, `<<hidden>>`: a word framed by marks, or a word saying the value was taken out.
  if (/^[-_*=#.~<>[\]]{2,10}[A-Za-z][A-Za-z ]{1,30}[-_*=#.~<>[\]]{2,10}$/.test(v) || /^(?:redacted|overridden|omitted|hidden|masked|removed|withheld|sanitized)$/i.test(v)) return 'placeholder'
  // `ExampleAUTHtoken123`, `sampleKey42`: a stand-in that says so in its first word.
  if (/^(?:[Ee]xample|[Ss]ample|[Dd]ummy|[Ff]ake|[Mm]ock)[A-Z0-9_-]/.test(v)) return 'placeholder'
  if (/^passwd$/i.test(key) && NSSWITCH_SOURCES.test(v)) return 'name-service sources'
  if (isCode(v)) return 'code'
  if (namesAKey(v)) return 'key name'
  // `imagePullSecret: regcred`: the name of the Secret a pod pulls its images with, lower case as
  // Kubernetes names are (or a pull policy set there by mistake); a random or base64 value, such as
  // a pasted dockerconfigjson, is the credential itself.
  if (namesPullSecret(key) && (/^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/.test(v) || /^(?:IfNotPresent|Always|Never)$/.test(v)) && !looksRandom(v)) return 'reference'
  // `runnerIdentitySecret: runner-identity`: a key naming a Kubernetes Secret, holding an object name.
  if (namesSecretObject(key) && /^[a-z0-9]{1,63}(?:[-.][a-z0-9]{1,63}){1,8}$/.test(v)) return 'reference'
  // `changePassword: ScimFeatureSupport` in an API model: a key naming what is done to a secret, holding a type's name.
  if (namesSecretAction(words) && /^(?:[A-Z][a-z]+){3,}$/.test(v)) return 'type name'
  // `credentials: "Email/Password"`, `password: Langfuse Secret Key`: a capitalised label naming a credential.
  if (isCredentialLabel(v)) return 'label'
  // `tokenSeparators={[',', ' ']}` (a tag input's): under a separator's key, punctuation and blanks only.
  if (/^(?:separators?|delimiters?)$/.test(lastWord) && /^[^A-Za-z0-9]{1,30}$/.test(v)) return 'separator'
  // `REGISTRY_AUTH_TOKEN_ISSUER=gitlab-issuer`, `…_TOKEN_SERVICE=container_registry`: the names a
  // registry's tokens are signed for; not `DB_PASSWORD_BILLING_SERVICE`, nor a random value.
  if (words.at(-2) === 'token' && /^(?:issuer|service)$/.test(lastWord) && !looksRandom(v)) return 'name'
  // `"credentials" : "webauthn-passwordless"` in an authenticator's config (Keycloak): the kind of credential asked for.
  if (/^(?:webauthn(?:-passwordless)?|passkeys?|kerberos|x509|otp|totp|hotp)$/.test(v) && /^credentials?$/.test(lastWord)) return 'type name'
  // `storage-key="coolify.page-size.projects"`, `storageKey: 'alert-rules'`, `no-auth-banner-v1`,
  // `storageKey: 'woodpecker:theme'`: under a key for a stored item or a setting, two or more
  // lower-case words joined by `.`, `-`, `_` or `:` (a version last at most) name it: no digit, no
  // capital, nothing random. Not under a key that also names a credential
  // (`AZURE_STORAGE_ACCOUNT_KEY`, `settings_secret_key`), where words are a weak secret.
  if (/^[a-z]+(?:[-_.:][a-z]+)+(?:[-_.:]v\d{1,3})?$/.test(v) && namesStoredItem(key)) return 'name'
  // `input_token: NextToken` in an API model: the value is the name of a field, in words.
  if (/^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*(?:Token|Key|Secret|Password|Credentials?)$/.test(v) && /[a-z][A-Z]/.test(v)) return 'field name'
  const jsonKind = jsonObjectKind(v)
  if (jsonKind !== undefined) return jsonKind
  // `"Password": ".login-password {}\n.login-password-input{}"`: a sign-in form's style rules, by the field they style.
  if (isStyleRules(v)) return 'style rules'
  // ``Client Credentials Grant: `client_credentials` `` in an API's prose: a name in a code span.
  // Words only: dotenv reads backticks as quotes, and `\`kq8vlm3np0\`` there is a password.
  if (/^`[a-z]{2,30}(?:[_.-][a-z]{2,30}){0,5}`$/.test(v)) return 'code span'
  // `token: "ARB-ETH"` beside a chain's `rpcUrl`: a currency's ticker symbol, in capitals, under a
  // key that is only `token` (`API_TOKEN: XKPQWZ-MNBVCR` is an activation code's shape).
  if (/^[A-Z]{2,5}(?:-[A-Z]{2,5})?$/.test(v) && key === 'token') return 'ticker symbol'
  // `client.secret.creation.time: "1704457045"` (an identity server's export): a key ending in a
  // time word, holding a Unix time or an ISO 8601 date, says when the secret was made.
  if (/^(?:time|timestamp|date|datetime)$/.test(lastWord) && (/^\d{10}(?:\d{3})?$/.test(v) || /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(v))) return 'timestamp'
  // `secret_data = "secret-data"`: the value only repeats the key.
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')
  if (squash(v) === squash(key)) return 'placeholder'
  if (describesItself(v, key)) return 'placeholder'
  // `'Interaction.ForgotPassword.Submit': 'Submit forgot-password interaction'`, `'…TokenExchange': 'Token
  // exchange'` (a log's event names): words, only the key's own, are the key's label.
  if (labelsItsKey(v, key)) return 'label'
  // Not under a password's or a secret's key, where anything may have been typed.
  if (isCutShort(v) && !namesPassword(key) && classifyKey(key) !== 'secret') return 'placeholder'
  if (credentialWordWithFiller(v, key)) return 'placeholder'
  // `routes/main`, `applications/netbox`: a path of lower-case words names something (a route, a file).
  if (/^[a-z][a-z_-]{0,60}(?:\/[a-z][a-z0-9_.-]{0,60}){1,8}$/.test(v)) return 'file path'
  // `password_key = passdb/%u`: dovecot's dictionary path, ending in the user's name (`%u`, `%{user}`).
  if (/^[a-z][a-z_-]{0,60}(?:\/[a-z][a-z0-9_.-]{0,60}){0,7}\/(?:%[a-z]|%\{[a-z_.]{1,30}\})$/.test(v)) return 'file path'
  // `</etc/dovecot/key.pem`: dovecot reads a setting's value from the file named after `<`.
  if (/^<?(?:\.{0,2}\/|~\/|[A-Za-z]:\\)\S*$/.test(v) || /^[\w./-]+\.(?:pem|key|crt|cer|p12|pfx|jks|der|pub|json|txt|asc|gpg|md|html?|ya?ml|conf|cfg|ini|properties|env|[cm]?js|ts|py|sh|rb|go|java)$/i.test(v)) return 'file path'
  if (v.split(/\s+/).length >= 4) return 'prose'
  // `PASSWORD_UPDATE: 'Password updated'`, `'Token expired'`: a message saying what happened to the credential.
  if (/^(?:Password|Passkey|Passphrase|Token|Secret|Api key|API key)s? (?:was |has been |is )?(?:updated|changed|expired|required|invalid|incorrect|reset|revoked|rotated|created|deleted|removed|saved|missing|copied|verified|confirmed|generated|regenerated|sent|accepted|rejected|disabled|enabled)[.!]?$/.test(v)) return 'prose'
  // `(from $GATEWAY_TOKEN)`: a remark in brackets, words and spaces, never a secret's characters.
  if (/^\([^()\n]*\)$/.test(v) && /\s/.test(v)) return 'prose'
  // `Required (no default)` in a docstring: words and a remark in brackets.
  if (/^[A-Za-z][\w-]*(?: [\w-]+)* \([a-z]+(?: [a-z]+)+\)\.?$/.test(v)) return 'prose'
  return undefined
}

/** One CSS rule per line, lower-case selectors, empty or with declarations (`.signup-password{}`, `#login .field { color: red }`); a line break may be written `\n`. */
function isStyleRules(v: string): boolean {
  if (!v.includes('{') || v.length > 2000) return false
  return v.split(/\\n|\n/).every((rule) => /^[.#][a-z][a-z0-9_-]*(?:[ \t]+[.#]?[a-z][a-z0-9_-]*){0,5}[ \t]*\{(?:[ \t]*|[ \t]*[a-z-]{3,}[ \t]*:[^{}]*)\}$/.test(rule.trim()) || rule.trim() === '')
}

/** Members that say how a value is hashed or signed (`algorithm`, `hashIterations`; a JWT header's `alg` and `typ`). */
const HASH_PARAMETER = /^(?:alg|algorithm|hashAlgorithm|typ|hashIterations|iterations|rounds|cost|digest|keyLength|kdf)$/
/** Members that hold whatever value is kept (`value`, `pin`, `psk`), whatever their siblings say. */
const VALUE_HOLDER = /^(?:value|v|data|pin|psk|community|t?otp|code|phrase|passcode)$/i

/**
 * What JSON object text under a secret's key holds, when it is not the secret itself (an identity
 * server's user export writes both): `settings`, how a value is hashed or signed and nothing else
 * (`credentialData: "{\"hashIterations\":27500,\"algorithm\":\"pbkdf2-sha256\"}"`, a Base64 JWT
 * header alone): at least one HASH_PARAMETER, names in one case under those, numbers, flags or
 * nested settings under any member that names no credential and holds no value; `hash`, a salted
 * hash in Base64 (`secretData: "{\"value\":\"…\",\"salt\":\"…\"}"`), as a bcrypt hash is.
 */
function jsonObjectKind(v: string): 'settings' | 'hash' | undefined {
  if (!v.startsWith('{') || !v.endsWith('}') || v.length > 2000) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(v.includes('\\"') ? v.replace(/\\(["\\])/g, '$1') : v)
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined
  // A member that may hold a login (`auth` in a docker config: base64 of `user:password`) is none.
  const settingName = (k: string): boolean => classifyKey(k) === undefined && !namesCredential(k) && !/^auths?$/i.test(k) && !VALUE_HOLDER.test(k)
  const setting = (k: string, x: unknown, depth: number): boolean =>
    HASH_PARAMETER.test(k) && typeof x === 'string'
      ? /^(?:[a-z0-9._-]{1,40}|[A-Z0-9._-]{1,40})$/.test(x) && !looksRandom(x)
      : settingName(k) &&
        (x === null ||
          typeof x === 'number' ||
          typeof x === 'boolean' ||
          // `"additionalParameters": {}`: nested settings, read the same way.
          (depth < 3 && typeof x === 'object' && !Array.isArray(x) && Object.entries(x).every(([k2, y]) => setting(k2, y, depth + 1))) ||
          // Keycloak's argon2 parameters, `"hashLength": ["32"]`, `"version": ["1.3"]`: a few short words or numbers, in a list.
          (depth >= 1 && Array.isArray(x) && x.length <= 4 && x.every((y) => typeof y === 'string' && /^[a-z0-9._-]{1,12}$/i.test(y) && !looksRandom(y))))
  const members = Object.entries(parsed)
  if (members.some(([k]) => HASH_PARAMETER.test(k)) && members.every(([k, x]) => setting(k, x, 0))) return 'settings'
  // The hash in `value` (or `hash`) beside its `salt`, both whole Base64; any other member a setting.
  const base64 = (x: unknown): boolean => typeof x === 'string' && x.length % 4 === 0 && /^[A-Za-z0-9+/]{16,}={0,2}$/.test(x)
  const salted = members.some(([k, x]) => k === 'salt' && base64(x)) && members.some(([k, x]) => (k === 'value' || k === 'hash') && base64(x))
  return salted && members.every(([k, x]) => ['value', 'hash', 'salt'].includes(k) || setting(k, x, 1)) ? 'hash' : undefined
}

/**
 * A GitHub object's node id (`LA_kwDOCsUTCM75TTQL`): a type of capitals, `_`, then the base64url of
 * a MessagePack list of two or three unsigned integers, which must use up every byte. A token an
 * app mints as `PROD_kw…` decodes to no such list.
 */
function isGithubNodeId(v: string): boolean {
  const m = /^[A-Z]{1,6}_(k[gw][A-Za-z0-9_-]{8,60})$/.exec(v)
  if (!m) return false
  const bytes = Buffer.from(m[1], 'base64url')
  // Every character is read: a trailing one that decodes to no whole byte is dropped by Buffer.
  if (bytes.toString('base64url') !== m[1]) return false
  // 0x92, 0x93: a list of two or three; each item a positive fixint or a uint8/16/32/64.
  const items = bytes[0] - 0x90
  if (items !== 2 && items !== 3) return false
  let at = 1
  for (let n = 0; n < items; n++) {
    const tag = bytes[at]
    if (tag === undefined) return false
    const width = tag <= 0x7f ? 0 : tag === 0xcc ? 1 : tag === 0xcd ? 2 : tag === 0xce ? 4 : tag === 0xcf ? 8 : -1
    if (width < 0) return false
    at += 1 + width
  }
  return at === bytes.length
}

/** A setting of a connection string that holds its secret (`Password=`, `AccessKey=` of Azure SignalR, `Application Key=` of Kusto). */
const CONNECTION_SECRET_SETTING = /(?:password|pwd|(?<![A-Za-z])pass|accountkey|accesskey|sharedaccesskey|secretaccesskey|appkey|application key|sharedaccesssignature|secret|token)\s*=/i
/**
 * A password in a URL's user info: after `://` and a user, up to the `@` before the host. It may
 * hold a `/` (`mongodb+srv://app:Xk9/pQ2@cluster0…`) when what follows the `@` is a host name and
 * what precedes the first `/` is not a port (`https://registry:5000/v2/app@sha256:…`).
 */
const URL_PASSWORD = /:\/\/[^/\s:@]*:(?:[^@\s/]{1,400}|(?!\d+\/)[^@\s]{1,400}(?=@[A-Za-z0-9.-]+(?::\d+)?(?:[/?,]|$)))@/
/** Go's MySQL driver (`app:pass@tcp(db:3306)/app`) and Oracle's thin driver (`jdbc:oracle:thin:app/pass@db:1521/ORCL`). */
const DRIVER_LOGIN = /^[^:@\s/]{1,64}:[^@\s]{1,400}@(?:tcp|unix|udp)\(|(?:^|thin:(?:@\/\/)?)[A-Za-z0-9_$#]{1,64}\/[^@\s/]{1,400}@[A-Za-z0-9.-]/

/**
 * A connection string is a secret only when it carries one: `Password=…`, `AccountKey=…`, a URL
 * password or a driver's `user:password@`. `db.internal:5432` or `Server=db;Database=app` is an address.
 */
export function carriesCredential(connection: string): boolean {
  return CONNECTION_SECRET_SETTING.test(connection) || URL_PASSWORD.test(connection) || DRIVER_LOGIN.test(connection)
}

/**
 * Values that name a key kept in a key service rather than being one: a KMS key id (UUID, or
 * `mrk-` multi-Region id), an alias, a key vault URL.
 */
export function namesAKeyResource(value: string): boolean {
  return (
    /^(?:mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ||
    /^mrk-[0-9a-f]{32}$/.test(value) ||
    /^alias\//.test(value) ||
    // A Cloud KMS key path and an Azure Key Vault key's resource id.
    /^projects\/[^/\s]+\/locations\/[^/\s]+\/keyRings\/[^/\s]+\/cryptoKeys\//.test(value) ||
    /\/providers\/Microsoft\.KeyVault\/vaults\/[^/\s]+\/keys\//i.test(value) ||
    /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
  )
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>()
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let h = 0
  for (const n of counts.values()) {
    const p = n / s.length
    h -= p * Math.log2(p)
  }
  return h
}

/**
 * Words and a number, as a person types a throwaway password (`Harbor12345`, `tempString`,
 * `minio123`): no generator's output, where letters and digits mix throughout.
 */
export function isWordsAndNumber(v: string): boolean {
  return v.length <= 32 && /^[A-Za-z]+(?:[-_.][A-Za-z]+)*[-_]?\d*$/.test(v)
}

/** Long, varied and mixed: how a generated key looks (and a word or a slug does not). */
export function looksRandom(s: string): boolean {
  if (s.length < 16 || /\s/.test(s)) return false
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(s)).length
  return classes >= 2 && entropy(s) >= 3.5
}

/**
 * Folder and file names that say how a repository is laid out (`charts`, `templates`, `files`,
 * `deploy`, `values`), for which environment, or in which tool: never the product its files configure.
 */
const LAYOUT_NAMES = new Set([
  'src', 'lib', 'pkg', 'cmd', 'internal', 'bin', 'build', 'dist', 'tools', 'hack', 'docs', 'doc', 'ci', 'github', 'workflows',
  'config', 'configs', 'conf', 'etc', 'settings', 'deploy', 'deploys', 'deployment', 'deployments', 'k8s', 'kube', 'kubernetes',
  'helm', 'chart', 'charts', 'templates', 'template', 'values', 'files', 'image', 'images', 'docker', 'compose', 'app', 'apps',
  'base', 'bases', 'overlay', 'overlays', 'env', 'envs', 'environment', 'environments', 'prod', 'production', 'staging', 'stage',
  'dev', 'development', 'local', 'test', 'tests', 'testing', 'example', 'examples', 'sample', 'samples', 'demo', 'scripts',
  'script', 'infra', 'infrastructure', 'terraform', 'modules', 'module', 'manifests', 'secrets', 'secret', 'data', 'default',
  'defaults', 'main', 'server', 'client', 'service', 'services', 'api', 'web', 'common', 'shared'
])

/**
 * Why a chart's non-random default password, secret or key in its values.yaml is medium. The Helm
 * pass that reads the chart's Chart.yaml finds it by this text (see `subchartDefault`).
 */
export const CHART_DEFAULT = "a chart's default, which every install that does not override it shares (medium: leave it empty so each install must set its own, or generate one)"

/**
 * What replaces CHART_DEFAULT for a default under the values of a subchart a default install
 * leaves out (`key`, turned on by the value path `on`): low.
 */
export function subchartDefault(key: string, on: string): string {
  return `a chart's default for its \`${key}\` subchart, which the chart installs only when \`${on}\` is true (false by default): low, as it applies only to installs that enable that subchart (then leave it empty so each must set its own, or generate one)`
}

/**
 * Why a password that is a product's name is medium: `what` says which name (`the product these
 * files configure`). The secret scan's wording; see `nameAsPassword` for a compose service.
 */
export function productDefault(what: string): string {
  return `the name of ${what}, its factory default and the first guess against it, not a secret someone chose (medium)`
}

/**
 * Why a compose password that repeats the name of its service's image or of the service is medium:
 * `what` says which (`the service's image`). Not called the image's default: many images (the
 * official `postgres` among them) ship with none and refuse to start without one.
 */
export function nameAsPassword(what: string): string {
  return `a guessable value: the name of ${what}, the first guess against it, not a secret someone chose (medium)`
}

/**
 * A password that is the name of the product whose files hold it: a folder of its path or the
 * file's own name (`password: cassandra` in `cassandra/files/cassandra.yaml`, `Milvus` in
 * `bitnami/milvus/templates/…`), compared without case. That is the product's factory default,
 * the first guess against it, not a secret someone chose.
 */
export function isProductName(value: string, path: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_-]{2,40}$/.test(value)) return false
  const name = value.toLowerCase()
  if (LAYOUT_NAMES.has(name)) return false
  const parts = path.toLowerCase().split('/')
  const stem = (parts.pop() ?? '').replace(/\.[^.]*$/, '')
  return stem === name || parts.includes(name)
}

/**
 * `TrustStorePassword`, `truststore_password`, `ssl.truststore.password`: the password of a
 * truststore, which holds only public CA certificates; the password guards their integrity, no
 * secret. A keystore's password (it guards a private key) is not one.
 */
export function namesTrustStorePassword(key: string): boolean {
  const words = keyWords(key)
  const last = words[words.length - 1] ?? ''
  if (!/^(?:pass|password|passwd|pwd|passphrase|pw|truststorepass|truststorepassword)$/.test(last)) return false
  return words.some((w, i) => w.startsWith('truststore') || (w === 'trust' && words[i + 1] === 'store'))
}

/**
 * Passwords every scanner of default credentials tries first (`adminPassword: admin`, MinIO's
 * documented `minio123`, the SQL Server image's `yourStrong(!)Password`, NATS's `T0pS3cr3t`): a weak
 * default left in a chart or a lab setup, not a secret someone chose and leaked.
 */
const WELL_KNOWN_PASSWORDS = new Set(['admin', 'administrator', 'root', 'toor', 'guest', 'demo', 'user', 'pass', 'password', 'p@ssw0rd', 'passw0rd', 'minio123', 'yourstrong(!)password', 't0ps3cr3t'])

/** Words a default password is made of when it names only the account and what it is (`rootpassword`, `adminsecret`). */
const DEFAULT_PASSWORD_WORDS = ['root', 'admin', 'user', 'default', 'secret', 'password', 'pass', 'db']

/** A word of a key that holds a whole login, `user:password` (`DATABASE_CREDENTIALS`, `BASIC_AUTH`, `registry_creds`). */
const LOGIN_WORD = /^(?:credentials?|creds|auth|login|basic)$/

/**
 * `DATABASE_CREDENTIALS: dispatch:dispatch`: under a key that holds a whole login (see
 * `LOGIN_WORD`; `words` are the key's, from `keyWords`), a `user:password` pair whose password
 * repeats the user name, a typed name (letters, maybe a short number): a default login. A random
 * half doubled is no login.
 */
export function repeatsLogin(words: readonly string[], value: string): boolean {
  if (!words.some((w) => LOGIN_WORD.test(w))) return false
  const [user, password, ...rest] = value.trim().split(':')
  return rest.length === 0 && user === password && isTypedLoginName(user!)
}

/** A user name someone typed (letters, maybe a short number: `connectAdmin`, `app2`), not a random string. */
export function isTypedLoginName(name: string): boolean {
  return /^[A-Za-z][A-Za-z_-]{1,30}\d{0,4}$/.test(name)
}

/** Why a repeated `user:password` pair is medium (the severity said by the caller). */
export const REPEATED_LOGIN = 'a user name and password that are the same, a default login anyone can guess'

/** Three letters and three digits, each in a row (`abc123`, `def456`): the first value a test or a careless setup reaches for. */
const RUN_OF_LETTERS_AND_DIGITS = /^(?:abc|def|ghi|xyz)(?:123|456|789)$/

/** Whether a password is one of WELL_KNOWN_PASSWORDS (alone or with a count from 1: `admin123`) or a `RUN_OF_LETTERS_AND_DIGITS` (case and surrounding blanks ignored). */
export function isWellKnownPassword(value: string): boolean {
  const v = value.trim().toLowerCase()
  if (WELL_KNOWN_PASSWORDS.has(v) || RUN_OF_LETTERS_AND_DIGITS.test(v)) return true
  // `password1234`, `admin123`: one of them with a count from 1 after it.
  const counted = /^(.{4,30}?)(1\d{0,7})$/.exec(v)
  return counted !== null && '123456789'.startsWith(counted[2]!) && WELL_KNOWN_PASSWORDS.has(counted[1]!)
}

/**
 * `isWellKnownPassword`, or two or more of DEFAULT_PASSWORD_WORDS run together or joined by `-`,
 * `_` or `.` (`rootsecretpassword`, `admin_password`): what a setup ships as its default password.
 * For a password only: a signing key of such words (`JWT_SECRET: defaultsecret`) lets anyone forge tokens.
 */
export function isDefaultPassword(value: string): boolean {
  if (isWellKnownPassword(value)) return true
  const letters = value.trim().toLowerCase().replace(/[-_.]/g, '')
  return /^[a-z]{6,40}$/.test(letters) && wordsRunTogether(letters, DEFAULT_PASSWORD_WORDS) >= 2
}

/**
 * A default anyone would try first under a credential's name: for a password `isDefaultPassword`
 * (words naming the account count too), for any other credential `isWellKnownPassword` only, since a
 * signing key of default words (`defaultsecret`) lets anyone forge tokens.
 */
export function isGuessableDefault(value: string, forPassword: boolean): boolean {
  return forPassword ? isDefaultPassword(value) : isWellKnownPassword(value)
}

/**
 * `123456`, `000000`, `87654321`: one digit repeated, or a run of digits each one up (or down) from
 * the one before (`…7890` counts as going on). The first values anyone tries, as guessable as
 * WELL_KNOWN_PASSWORDS: a dummy replaced at run time or a weak default, never a generated secret.
 * Any other digit string (`493817`) may be a PIN someone chose and stays as it was.
 */
export function isTrivialDigitRun(value: string): boolean {
  const v = value.trim()
  return /^\d{4,20}$/.test(v) && (isDigitRun(v) || /^(\d)\1+$/.test(v))
}

/** Why a value that `isTrivialDigitRun` accepts is medium. */
export const TRIVIAL_DIGITS = 'a trivial run of digits anyone would guess, not a generated secret'

/** Why a password from WELL_KNOWN_PASSWORDS is medium. */
export const WELL_KNOWN_DEFAULT = 'a well-known default anyone would try first, not a secret someone chose (medium)'
