/**
 * Secrets in any file. Two layers, run on every file whatever its kind:
 * - secretlint's recommended preset (provider tokens, private keys, connection strings);
 * - IaC-aware rules for what it misses: literal values under secret-named keys in HCL, YAML,
 *   JSON, Dockerfile ENV/ARG, .env and scripts; AWS key pairs; passwords in URLs; webhooks.
 * Findings never contain a secret; `values` lists them so every output can mask them.
 */
import type { Finding, RuleMeta, SecretLocation, Severity, SourceFile } from '../types.js'
import { defineRule, reporterFor, type Report } from './rule.js'
import { languageOf } from './registry.js'
import { patchLines } from '../changes/diff.js'
import { isLiteralCredential, maskSecret } from '../redact.js'
import { SOURCE_CODE_FILE, callArguments, conditionalBranches, dialectOf, extractAssignments, lineAt, lineStarts, type Assignment, type Dialect } from './secrets/assignments.js'
import { asInformation, forDevEnvPath, isSamplePath, isTestPath } from './sample-paths.js'
import { CHART_DEFAULT, WELL_KNOWN_DEFAULT, asksToReplace, carriesCredential, classifyKey, isCutShort, isDocumentationExample, isFilledStandIn, isGuessableDefault, isProductName, isWellKnownPassword, REPEATED_LOGIN, repeatsLogin, isTypedLoginName, isWordsAndNumber, keyWords, loginBeside, looksRandom, accessKeyIdStore, namesAKeyResource, namesAccessKey, namesCredential, namesDatabase, namesIdentityOrAddress, namesSecretKey, namesSecretKeyOf, namesSetting, namesTrustStorePassword, productDefault, typedAsName, whyNotLiteral, type SecretKeyClass } from './secrets/keys.js'
import {
  AUTH_HEADER_SOURCE,
  AZURE_KEY_SOURCE,
  CONN_PASSWORD_SOURCE,
  CONNECTION_STRING_CONTEXT,
  CURL_COMMAND,
  CURL_USER_SOURCE,
  couldBeWholeKey,
  DOCKER_AUTH_SOURCE,
  failsGithubChecksum,
  FLAG_SOURCE,
  MYSQL_COMMAND,
  MYSQL_SOURCE,
  PRIVATE_KEY_SOURCE,
  lineBefore,
  PUTTY_KEY_SOURCE,
  QUERY_PASSWORD_SOURCE,
  URL_BEFORE,
  lastToken,
  isDockerAuth,
  TOKEN_PATTERNS,
  URL_PASSWORD_SOURCE,
  AWS_ACCESS_KEY_PREFIX,
  isLiteralUrlPassword,
  isPlainPrivateKey,
  isSlackTokenShape,
  isSlackWebhookShape,
  publishedTestKey,
  tokenRegex
} from './secrets/patterns.js'
import { segmentCommand } from './secrets/command-position.js'
import { runSecretlint, secretlintSkips, type SecretlintHit } from './secrets/secretlint.js'
import { escapeRegExp } from '../util/regex.js'
import { once } from '../util/once.js'

/** `ILLEGAL`, `Marker`, `nextPageMarker`, `ListWidgets.NextMarker`: words, not a random string. */
const WORDS_IDENTIFIER = /^(?:[A-Z]+|[a-z]+|[A-Za-z][a-z]+(?:[A-Z][a-z]+)*)(?:\.[A-Za-z][a-z]+(?:[A-Z][a-z]+)*)*$/

const REMEDIATION =
  'Remove the literal from the file, rotate it (it is in the history now), and read it at deploy time from a secret store: a sensitive variable, AWS Secrets Manager or SSM, a Kubernetes Secret, a CI secret.'

function meta(slug: string, severity: Severity, title: string, description: string, refs?: RuleMeta['refs'], kind: RuleMeta['kind'] = 'any'): RuleMeta {
  return defineRule(kind, { id: `secrets/${slug}`, category: 'secrets', severity, title, description, remediation: REMEDIATION, refs,
    topics: slug === 'k8s-secret-env-var' ? ['secret-exposure'] : ['secret-storage', 'secret-exposure'] })
}

const KICS_SECRETS = 'common/passwords_and_secrets'

/** The made-up-name reading of self-made keys and tokens (`heldUnderMadeUpName`), as rule descriptions say it. */
const MADE_UP_NAME_NOTE = ' Medium when declared under a name that says it is made up (`TEST_FAKE_RSA_KEY_0`, `dummyJwt`: fake, dummy, mock, example, sample, insecure).'

/** Slack tokens without the numeric id, as the token rule and secretlint's Slack rule read them. */
const SLACK_TOKEN_NOTE = ' A token without the numeric id Slack puts in every token (a part of digits only between dashes), such as `xoxb-test-token`, is a stand-in and not reported.'

/** Typed stand-ins (`countsUp`, `holdsFilledRun`), as every token rule and secretlint rule but the private key's read them. */
const TYPED_STAND_IN_NOTE = ' A value whose digits or letters count up (`12345678`, `aBcDeFgH`) or that repeats one character ten times is typed, not generated, and is not reported.'

/** What Preflight decides beyond a secretlint rule's match, said in its description. */
const SECRETLINT_NOTES: Record<string, string> = {
  privatekey: MADE_UP_NAME_NOTE,
  slack: `${SLACK_TOKEN_NOTE} So is a webhook URL without the workspace and channel ids and the secret part every webhook has (\`hooks.slack.com/services/T00/B00/xxx\`).`,
  basicauth: ' Medium for a password that repeats the URL\'s host, scheme or user name, and for a typed password (words and a number) when the URL\'s only host is the loopback address (`http://minio:minio123@127.0.0.1:9001`).'
}

/** Rules of the IaC layer, by what a secret-named key holds. */
const KEY_RULES: Record<SecretKeyClass, RuleMeta> = {
  password: meta('hardcoded-password', 'high', 'Hard-coded password', 'A password-named attribute, variable or environment entry holds a literal value. Medium for a well-known or default password (`admin`, `p@ssw0rd`, `abc123`, `rootsecretpassword`).', { kics: KICS_SECRETS }),
  secret: meta('hardcoded-secret', 'high', 'Hard-coded secret', 'A secret-named key (secret, client secret, secret key, credentials) holds a literal value. Medium for a `user:password` pair that repeats a typed user name under a login key (`DATABASE_CREDENTIALS: app:app`).', { kics: KICS_SECRETS }),
  token: meta('hardcoded-token', 'high', 'Hard-coded token', 'A token-named key holds a literal value.', { kics: KICS_SECRETS }),
  'api-key': meta('hardcoded-api-key', 'high', 'Hard-coded API or access key', 'An API-key or access-key attribute holds a literal value.', { kics: KICS_SECRETS }),
  'private-key': meta('hardcoded-private-key', 'high', 'Hard-coded private key value', 'A private-key attribute holds a literal value.', { kics: KICS_SECRETS }),
  'connection-string': meta('hardcoded-connection-string', 'high', 'Hard-coded connection string', 'A connection-string key holds a literal value, which usually embeds credentials. Medium for a `user:password` pair that repeats a typed user name under a login key, and in a workflow for a password of words and a number (most likely for a database the run starts).', { kics: KICS_SECRETS }),
  weak: meta('high-entropy-value', 'medium', 'Random-looking value under a key-named setting', 'A setting named like a key (signing key, master key, auth key) holds a long random-looking literal.', { checkov: 'CKV_SECRET_6' })
}

const TOKEN_RULES = new Map(
  TOKEN_PATTERNS.map((p) => {
    // Webhooks post only; JWTs, gcloud and Facebook access tokens expire: high. Long-lived keys: critical.
    const severity: Severity = /webhook|jwt|oauth-access|facebook/.test(p.slug) ? 'high' : 'critical'
    const refs: RuleMeta['refs'] =
      p.slug === 'aws-access-key-id'
        ? { checkov: 'CKV_SECRET_2', kics: 'terraform/aws/hardcoded_aws_access_key' }
        : p.slug === 'jwt'
          ? { checkov: 'CKV_SECRET_9', kics: KICS_SECRETS }
          : p.slug === 'slack-token'
            ? { checkov: 'CKV_SECRET_14', kics: KICS_SECRETS }
            : p.slug === 'stripe-key'
              ? { checkov: 'CKV_SECRET_17', kics: KICS_SECRETS }
              : { kics: KICS_SECRETS }
    return [p.slug, meta(p.slug, severity, `${p.label} in plain text`, `The file contains what has the exact shape of a ${p.label}.${p.slug === 'slack-token' ? SLACK_TOKEN_NOTE : p.slug === 'jwt' ? MADE_UP_NAME_NOTE : ''}${TYPED_STAND_IN_NOTE}`, refs)]
  })
)

const AWS_SECRET_RULE = meta('aws-secret-access-key', 'critical', 'AWS secret access key in plain text', 'A 40-character AWS secret access key sits next to an access key id or under a secret-key name.', { checkov: 'CKV_AWS_41', kics: 'terraform/aws/hardcoded_aws_access_key' })
const USER_DATA_RULE = meta('aws-credentials-in-user-data', 'high', 'AWS credentials in instance user data', 'Instance user data holds a 40-character string shaped like an AWS secret access key; user data is readable by anyone who can describe the instance.', { checkov: 'CKV_AWS_46', kics: 'terraform/aws/hardcoded_aws_access_key' })
const PRIVATE_KEY_RULE = meta('private-key-block', 'critical', 'Private key in plain text', `The file contains a PEM private key block. Medium for a key a project publishes as test material (the Pebble ACME test server's keys), known by the digest of its body, and in a test path (\`test-cert.pem\`, \`testkey.pem\` among them).${MADE_UP_NAME_NOTE}`, { checkov: 'CKV_SECRET_13', kics: KICS_SECRETS })
const PUTTY_RULE = meta('putty-private-key', 'critical', 'PuTTY private key in plain text', `The file contains a PuTTY key file, which carries the private key.${MADE_UP_NAME_NOTE}`, { kics: KICS_SECRETS })
const URL_PASSWORD_RULE = meta('url-password', 'high', 'Password in a URL', 'A URL carries a literal password in its user-info part (`scheme://user:password@host`) or in a `password=` query parameter (JDBC and driver URLs). Medium for a password that repeats the URL\'s host, scheme or user name, and for a typed password (words and a number) when the URL\'s only host is the loopback address (`localhost`, `127.0.0.1`, `[::1]`), as a test script\'s local server is; a generated one stays high, since a proxy or sidecar on the loopback address may forward it to a real database. Low for a Sentry DSN (`https://key:secret@sentry.io/123`), which clients embed on purpose.', { checkov: 'CKV_SECRET_4', kics: KICS_SECRETS })
const AUTH_HEADER_RULE = meta('authorization-header', 'high', 'Credential in an Authorization header', 'An HTTP `Authorization` header (`Bearer`, `Basic`, `token`, or a scheme\'s named parameter: `Token token="…"`) carries a literal credential. Medium for a placeholder word, perhaps with a number (`Bearer token123`).', { checkov: 'CKV_SECRET_4', kics: KICS_SECRETS })
const CLI_PASSWORD_RULE = meta('command-line-password', 'high', 'Password on a command line', 'A command passes a literal password (`curl -u user:pass`, `mysql -p…` where a MySQL client is the command the flag belongs to, `--password …`); it ends up in the history, the process list and CI logs. A usage line (the flag, a wide gap, its description), a value in brackets (`<password>`, `(Optional)`), a word after a flag a sentence names (`provide --id-token explicitly`) a string that ends at the flag with a variable joined to it (`"--client-secret="+secret`), and a flag naming what kind of Secret object it reads (`--server-tls-secret`, `--image-pull-secret`) set to an object name that says so too (`server-tls`, `ghcr-auth`) are not reported. Medium for a well-known or default password (`p@ssw0rd`, `rootpassword`).', { kics: KICS_SECRETS })
const AZURE_KEY_RULE = meta('azure-storage-key', 'critical', 'Azure storage or service bus key in plain text', 'A connection string carries an `AccountKey=` or `SharedAccessKey=` literal, which grants access to the whole account. Low for the key Microsoft publishes for the storage emulator\'s account `devstoreaccount1` (Azurite), which opens only a local emulator.', { kics: KICS_SECRETS })
const DOCKER_AUTH_RULE = meta('docker-config-auth', 'high', 'Registry credentials in a docker config', 'A docker config holds an `auth` entry: base64 of a registry user and password, readable by anyone.', { kics: KICS_SECRETS })
const K8S_SECRET_DATA_RULE = meta('k8s-secret-data', 'high', 'Secret values committed in a Kubernetes Secret', 'A `Secret` manifest carries literal `data`/`stringData` values; base64 is an encoding, not encryption.', { checkov: 'CKV_SECRET_6', kics: KICS_SECRETS }, 'kubernetes')
const K8S_ENV_RULE = meta('k8s-secret-env-var', 'low', 'Secret exposed as an environment variable', 'A container reads a Secret through an environment variable (`secretKeyRef`, `envFrom.secretRef`); environment variables leak into logs, crash dumps and child processes, files do not.', { checkov: 'CKV_K8S_35', kics: 'k8s/secrets_as_environment_variables' }, 'kubernetes')


/** The secretlint preset's rules, by short name; severity follows what a leak gives away. */
const SECRETLINT_RULE_NAMES = [
  '1password', 'anthropic', 'aws', 'basicauth', 'database-connection-string', 'databricks', 'docker', 'figma', 'gcp',
  'github', 'gitlab', 'grafana', 'groq', 'hashicorp-vault', 'huggingface', 'linear', 'notion', 'npm', 'openai',
  'privatekey', 'sendgrid', 'shopify', 'slack', 'vercel'
]
const SECRETLINT_RULES = new Map(
  [...SECRETLINT_RULE_NAMES, 'secretlint'].map((name) => [
    name,
    meta(
      name,
      name === 'basicauth' || name === 'database-connection-string' ? 'high' : 'critical',
      name === 'secretlint' ? 'Credential found by secretlint' : `Credential found by secretlint rule ${name}`,
      `secretlint's recommended preset (${name === 'secretlint' ? 'any rule' : `@secretlint/secretlint-rule-${name}`}) matched a credential.${SECRETLINT_NOTES[name] ?? ''}${name === 'privatekey' ? '' : TYPED_STAND_IN_NOTE}`,
      name === 'privatekey' ? { checkov: 'CKV_SECRET_13' } : name === 'basicauth' ? { checkov: 'CKV_SECRET_4' } : undefined
    )
  ])
)

export const secretRules: RuleMeta[] = [
  ...SECRETLINT_RULES.values(),
  ...Object.values(KEY_RULES),
  ...TOKEN_RULES.values(),
  AWS_SECRET_RULE,
  USER_DATA_RULE,
  PRIVATE_KEY_RULE,
  PUTTY_RULE,
  URL_PASSWORD_RULE,
  AUTH_HEADER_RULE,
  CLI_PASSWORD_RULE,
  AZURE_KEY_RULE,
  DOCKER_AUTH_RULE,
  K8S_SECRET_DATA_RULE,
  K8S_ENV_RULE
]

export interface SecretScan {
  findings: Finding[]
  /** Where each literal secret sits, so every output can mask it (suppressed or not). */
  locations: SecretLocation[]
  /** Parts of the scan that could not run on this file. */
  warnings?: string[]
  /** When a token seen here expires (ms since the epoch, the earliest): its finding changes then. */
  validUntil?: number
}

/** A secret seen somewhere, before deduplication. Lower `priority` wins an overlap. */
interface Candidate {
  rule: RuleMeta
  priority: number
  start: number
  end: number
  line: number
  endLine?: number
  message: string
  /** The literal to mask everywhere; absent when the finding is not about a value. */
  value?: string
  /** Masked like any other secret seen, but not reported (a Secret entry that holds no credential). */
  locateOnly?: true
  /** A severity other than the rule's, said in the message. */
  severity?: Severity
  /** When the token expires (a JWT's `exp`, ms), when that is still to come: the finding is judged again then. */
  expiresAt?: number
}

/** Generated code and lockfiles: hashes, tokens of a grammar and ids, never a secret someone wrote. */
const GENERATED_OR_LOCKFILE =
  /(?:^|\/)(?:[^/]*_pb2(?:_grpc)?\.pyi?|[^/]*\.pb(?:\.gw)?\.go|[^/]*\.pb\.(?:cc|h)|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.ya?ml|bun\.lockb?|go\.sum|Cargo\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|composer\.lock|Gemfile\.lock|mix\.lock|pubspec\.lock|packages\.lock\.json|flake\.lock|\.terraform\.lock\.hcl|gradle\.lockfile)$/

/** True for a file no secret rule reads. */
export function isGeneratedOrLockfile(path: string): boolean {
  return GENERATED_OR_LOCKFILE.test(path)
}

/** Rules whose match is a credential by its shape alone: reported at full severity anywhere. */
const CREDENTIAL_SHAPE_RULES = new Set([
  ...[...TOKEN_RULES.values()].map((r) => r.id),
  ...[AWS_SECRET_RULE, USER_DATA_RULE, PRIVATE_KEY_RULE, PUTTY_RULE, AZURE_KEY_RULE].map((r) => r.id),
  // secretlint's provider rules match exact shapes; its basic-auth and connection-string rules do not.
  ...[...SECRETLINT_RULES.values()].map((r) => r.id).filter((id) => !/(?:basicauth|database-connection-string|secretlint)$/.test(id)),
  // The Terraform rules that match an access key id or a PEM block.
  'tf/aws-hardcoded-access-key',
  'tf/private-key-literal'
])

/** Keys and tokens anyone can generate for a test: PEM and PuTTY private keys, JSON Web Tokens. */
const SELF_MADE_KEY_RULES = new Set([PRIVATE_KEY_RULE.id, PUTTY_RULE.id, 'secrets/privatekey', 'secrets/jwt', 'tf/private-key-literal'])

/**
 * A secret finding in a test, fixture or example tree or in documentation: sample values live
 * there on purpose, so unless the value has the exact shape of a real credential it is reported
 * as `info`, which does not count toward the verdict. A private key or JWT there is medium:
 * tests and samples make their own.
 */
export function forSamplePath(f: Finding): Finding {
  return forSample(f)
}

/**
 * `forSamplePath` for a finding of a file (or a part of one) that is a test's input or
 * documentation though its path does not say so (a compose test stack, an API description's
 * examples): `sampleFile` says why, as a noun phrase (see `forTestPath`), and the finding counts as
 * one in such a path.
 */
export function forSampleFile(f: Finding, sampleFile: string): Finding {
  return forSample(f, sampleFile)
}

function forSample(f: Finding, sampleFile?: string): Finding {
  if (f.category !== 'secrets' || f.severity === 'info') return f
  // A sample path says so first; the file's own reason counts where the path says nothing.
  const why = isSamplePath(f.path) ? undefined : sampleFile
  // In a local development setup a literal or a self-made key serves a developer's machine; a provider's key keeps its severity.
  if (why === undefined && !isSamplePath(f.path)) return forDevEnvPath(f, CREDENTIAL_SHAPE_RULES.has(f.ruleId) && !SELF_MADE_KEY_RULES.has(f.ruleId))
  if (!CREDENTIAL_SHAPE_RULES.has(f.ruleId)) return asInformation(f, why ?? 'a test, example or documentation path')
  // Tests and samples generate their own keys and tokens (a TLS test's CA, a JWT a parser test
  // decodes, an example's mTLS client key); a provider's key (cloud, SaaS) cannot be made up that
  // way and keeps its severity.
  if (SELF_MADE_KEY_RULES.has(f.ruleId) && (f.severity === 'critical' || f.severity === 'high')) {
    const where = why ?? (isTestPath(f.path) ? 'a test tree' : 'a sample or documentation path')
    return { ...f, severity: 'medium', message: `${f.message} (In ${where}, where keys and tokens are made for the purpose: medium. Make sure nothing real uses it.)` }
  }
  return f
}

/**
 * `text` without its `{{ … }}`, `${ … }` and `$( … )` spans (bodies of at most 500 characters, as
 * a template or shell writes them), in one pass: a scan bounded per opening, not a regular
 * expression that could backtrack over many openings.
 */
function withoutTemplateExpressions(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const close = text.startsWith('{{', i) ? '}' : text.startsWith('${', i) ? '}' : text.startsWith('$(', i) ? ')' : undefined
    if (close !== undefined) {
      let j = i + 2
      const limit = Math.min(text.length, i + 2 + 501)
      while (j < limit && text[j] !== close) j++
      const closed = j < limit && (text[i] !== '{' || text[j + 1] === '}')
      if (closed) {
        i = text[i] === '{' ? j + 2 : j + 1
        continue
      }
    }
    out += text[i]
    i++
  }
  return out
}

export async function scanSecrets(file: SourceFile): Promise<SecretScan> {
  if (isGeneratedOrLockfile(file.path)) return { findings: [], locations: [] }
  const content = file.content
  const starts = lineStarts(content)
  // One split shared by every line-by-line reader below (each used to split the text again).
  const lines = content.split('\n')
  const dialect = dialectOf(file, languageOf(file.kind)?.secretsDialect)
  const besideMadeUpKeyIdOnly = madeUpKeyIdsReader(lines)
  // Only where sample values live: elsewhere a MinIO or Ceph key is as real a credential as AWS's.
  const foreignKeyIdNear = isSamplePath(file.path) ? foreignKeyIdReader(lines) : undefined
  // A secretlint failure must not cost the file its other secret findings.
  let fromSecretlint: Candidate[] = []
  const warnings: string[] = []
  try {
    // Ruled out by the prefilter (most files), secretlint's part is known to be empty without waiting for it.
    if (!secretlintSkips(file.path, content)) fromSecretlint = await secretlintCandidates(file, content, besideMadeUpKeyIdOnly, foreignKeyIdNear)
  } catch (e) {
    warnings.push(`${file.path}: secretlint failed (${(e as Error)?.message ?? String(e)}); the other secret rules still ran`)
  }
  const yamlish = dialect === 'yaml' || dialect === 'json'
  // Values of a Secret manifest are judged by its own rule (decoded first), not as plain keys.
  const secretData = dialect === 'yaml' ? k8sSecretDataCandidates(content, starts, lines) : undefined
  // In the readers' order, as before: dedupe's sort is stable (the first read wins a tie) and locations keep this order.
  const candidates: Candidate[] = fromSecretlint
  for (const c of patternCandidates(content, starts, file.path)) candidates.push(c)
  for (const c of shapeCandidates(content, starts, file.kind === 'workflow')) candidates.push(c)
  for (const c of assignmentCandidates(content, file, starts, lines, dialect, besideMadeUpKeyIdOnly, foreignKeyIdNear)) if (!secretData?.lines.has(c.line)) candidates.push(c)
  if (dialect === 'hcl') {
    for (const c of tfVariableDefaultCandidates(content, starts, lines)) candidates.push(c)
    for (const c of hclFallbackCandidates(content, starts, lines)) candidates.push(c)
  }
  if (yamlish) for (const c of parameterDefaultCandidates(content, starts, lines)) candidates.push(c)
  if (secretData) for (const c of secretData.candidates) candidates.push(c)
  if (file.kind === 'kubernetes' || file.kind === 'helm') for (const c of k8sEnvCandidates(content, starts, lines)) candidates.push(c)
  // Most files hold no candidate at all: nothing to dedupe, report or locate.
  if (candidates.length === 0) return warnings.length ? { findings: [], locations: [], warnings } : { findings: [], locations: [] }
  const kept = dedupe(candidates.filter((c) => !c.locateOnly)).map((c) => heldUnderMadeUpName(madeUpGithubToken(c), content))
  const report = reporterFor(secretRules, file.path, 'secrets')
  const findings = kept.map((c) => finding(c, report))
  // Every secret seen is masked, including ones whose finding merged into another.
  const seen = new Set<string>()
  const locations = candidates
    .flatMap((c) => locationsOf(c, file.path, content, starts))
    .filter((l) => {
      const key = `${l.line}:${l.column}:${l.value}`
      return seen.has(key) ? false : (seen.add(key), true)
    })
  let validUntil: number | undefined
  for (const c of candidates) if (c.expiresAt !== undefined && !(c.expiresAt >= (validUntil ?? Infinity))) validUntil = c.expiresAt
  return { findings, locations, ...(warnings.length ? { warnings } : {}), ...(validUntil !== undefined ? { validUntil } : {}) }
}

/**
 * A finding whose value is a GitHub token of the current format with a wrong checksum (GitHub's
 * documentation example, a value typed for a test): no token GitHub issued, so low, saying why.
 */
function madeUpGithubToken(c: Candidate): Candidate {
  if (c.value === undefined || !failsGithubChecksum(c.value.trim())) return c
  return { ...c, severity: 'low', message: `${c.message} Its checksum does not match, as that of every real GitHub token does: a made-up token (low).` }
}

/** Words of a name that say the key it holds was made up: `TEST_FAKE_RSA_KEY_0`, `dummyJwt`, `exampleKey`. */
const MADE_UP_WORDS = new Set(['fake', 'dummy', 'mock', 'example', 'sample', 'insecure'])

/**
 * A private key or token anyone can generate (a PEM block, a JWT) declared under a name that says
 * it is made up (`const TEST_FAKE_RSA_KEY_0: &str = "-----BEGIN…`): a test's or a seeder's key, as
 * in a test tree, so medium, saying why. A provider's key keeps its severity whatever it is called.
 * `test` alone does not count: it also names a test environment, whose keys are real.
 */
function heldUnderMadeUpName(c: Candidate, content: string): Candidate {
  const severity = c.severity ?? c.rule.severity
  if (!SELF_MADE_KEY_RULES.has(c.rule.id) || (severity !== 'critical' && severity !== 'high')) return c
  const name = declaredName(content, c.start)
  if (name === undefined || !keyWords(name).some((w) => MADE_UP_WORDS.has(w))) return c
  return { ...c, severity: 'medium', message: `${c.message} (Declared as ${quoteKey(name)}, a name that says it is made up: medium. Make sure nothing real uses it.)` }
}

/** Words a declaration may hold before its name: keywords and a type (`private static final String`), no list of names. */
const DECLARATION_WORDS = /^[\w<>[\] \t]*$/
/** What may follow a name and a colon as its type (`&str`, `string`, `Vec<u8>`): no value, statement or list. */
const TYPE_AFTER_COLON = /^[\w<>[\]&' \t]*$/
/** A YAML key opening a block scalar (`fake_key: |`), the line above a value that starts its own line. */
const BLOCK_KEY = /^[ \t]*(?:-[ \t]+)?["']?([\w.-]{1,80})["']?[ \t]*:[ \t]*[|>][-+]?[ \t]*$/

/**
 * The name a value starting at `start` is declared under: on its own line, read back from the
 * value over an opening quote, the separator (`=`, `:`, `:=`, `=>`) and a type after a colon
 * (`const TEST_FAKE_RSA_KEY_0: &str = "`, `FAKE_KEY = """`, `fakeKey := \``); for a value
 * opening its line, the YAML key above it. Undefined when anything else stands before the name
 * (a JSON line holding other values, a call).
 */
function declaredName(content: string, start: number): string | undefined {
  const lineStart = content.lastIndexOf('\n', start - 1) + 1
  const before = content.slice(Math.max(lineStart, start - 200), start)
  if (before.trim() !== '') return nameBeforeValue(before, false)
  if (lineStart === 0) return undefined
  // A value opening its line: a YAML block scalar's key above it, or a string opened there (`FAKE_KEY = """`, ``var fakeKey = ` ``).
  const above = content.slice(Math.max(content.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 201), lineStart - 1)
  return BLOCK_KEY.exec(above)?.[1] ?? nameBeforeValue(above, true)
}

/** The name `text` declares up to the value after it (see `declaredName`); `opened`: only when it ends with an opening quote. */
function nameBeforeValue(text: string, opened: boolean): string | undefined {
  // The opening quote (`"`, `'`, a backtick, Python's `"""`, Rust's `r#"`) and blanks.
  let before = text.trimEnd()
  const quote = ['"""', "'''", '"', "'", '`'].find((q) => before.endsWith(q))
  if (quote === undefined && opened) return undefined
  if (quote !== undefined) before = before.slice(0, -quote.length)
  if (quote === '"') before = before.replace(/r#*$/, '')
  before = before.trimEnd()
  const separator = [':=', '=>', '=', ':'].find((sep) => before.endsWith(sep))
  if (separator === undefined) return undefined
  before = before.slice(0, -separator.length).trimEnd()
  // A type after the name (`NAME: &str`, `name: string`): the name is before the colon.
  const colon = before.lastIndexOf(':')
  if (colon >= 0 && separator !== ':' && TYPE_AFTER_COLON.test(before.slice(colon + 1))) before = before.slice(0, colon).trimEnd()
  const name = /["']?([A-Za-z_][\w.-]{0,80})["']?$/.exec(before)
  if (!name) return undefined
  return DECLARATION_WORDS.test(before.slice(0, name.index)) ? name[1] : undefined
}

/** Text of the lines a patch shows, by their line number on one side; lines not shown read as empty. */
function sideText(patch: string | undefined, side: 'old' | 'new'): string {
  const lines = new Map<number, string>()
  for (const l of patchLines(patch)) {
    const at = side === 'new' ? l.newLine : l.oldLine
    if (at !== undefined) lines.set(at, l.text)
  }
  if (lines.size === 0) return ''
  return Array.from({ length: Math.max(...lines.keys()) }, (_, i) => lines.get(i + 1) ?? '').join('\n')
}

/**
 * Secrets a patch shows that the file scan did not see. The old side (deleted lines: a pull
 * request that removes a leaked key still shows it) is only located, for redaction. The new side
 * of a file that was not read (not an infrastructure file) also gives findings on its lines.
 */
export async function scanPatchSecrets(file: Pick<SourceFile, 'path' | 'kind'>, patch: string | undefined, read: boolean): Promise<SecretScan> {
  const old = sideText(patch, 'old')
  const locations = old ? (await scanSecrets({ ...file, content: old })).locations : []
  const fresh = read ? '' : sideText(patch, 'new')
  if (!fresh) return { findings: [], locations }
  const scan = await scanSecrets({ ...file, content: fresh })
  return { ...scan, findings: scan.findings.map(forSamplePath), locations: [...scan.locations, ...locations] }
}

/** The lines a candidate's value occupies, one location per line, as written in the file. */
function locationsOf(c: Candidate, path: string, content: string, starts: number[]): SecretLocation[] {
  if (c.value === undefined || c.end <= c.start) return []
  const raw = content.slice(c.start, c.end)
  // The span may be wider than the value (secretlint reports a whole URL): keep the value's part.
  const inner = raw === c.value ? -1 : raw.indexOf(c.value)
  const from = inner > 0 ? c.start + inner : c.start
  const text = inner >= 0 ? c.value : raw
  const out: SecretLocation[] = []
  let offset = from
  for (const piece of text.split('\n')) {
    const value = piece.trim()
    if (value.length > 0) {
      const at = offset + piece.indexOf(value)
      const line = lineAt(starts, at)
      out.push({ path, line, column: at - starts[line - 1], value })
    }
    offset += piece.length + 1
  }
  // The program reads the unescaped value (`\"` in JSON): mask that form too.
  if (inner < 0 && c.value !== raw && !c.value.includes('\n') && out.length > 0) out.push({ ...out[0], value: c.value })
  return out
}

function finding(c: Candidate, report: Report): Finding {
  return report(c.rule, c.line, c.message, { endLine: c.endLine, severity: c.severity })
}

/** Keeps one candidate per secret: a lower priority replaces any overlapping later one. */
function dedupe(candidates: Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => a.priority - b.priority || a.start - b.start)
  const kept: Candidate[] = []
  // Kept spans by each line they cover, and rule ids by line: checks cost the candidate's lines,
  // not the number kept so far.
  const spansOnLine = new Map<number, Candidate[]>()
  const rulesOnLine = new Map<number, Set<string>>()
  for (const c of sorted) {
    const last = c.endLine ?? c.line
    let overlaps = false
    for (let l = c.line; l <= last && !overlaps; l++) overlaps = (spansOnLine.get(l) ?? []).some((k) => c.start < k.end && k.start < c.end)
    if (overlaps || rulesOnLine.get(c.line)?.has(c.rule.id)) continue
    kept.push(c)
    for (let l = c.line; l <= last; l++) spansOnLine.set(l, [...(spansOnLine.get(l) ?? []), c])
    rulesOnLine.set(c.line, (rulesOnLine.get(c.line) ?? new Set()).add(c.rule.id))
  }
  return kept.sort((a, b) => a.line - b.line || a.start - b.start)
}

/** Key names come from the file: keep them short and free of Markdown breakers. */
function quoteKey(key: string): string {
  const clean = key.replace(/[`\r\n]/g, '').slice(0, 80)
  return `\`${clean}\``
}

// ── secretlint ───────────────────────────────────────────────────────────────────────────────

const URL_PASSWORD = new RegExp(URL_PASSWORD_SOURCE)
const AWS_KEY_ID_START = new RegExp(`^(?:${AWS_ACCESS_KEY_PREFIX})`)

/** What a finding says of a published test key (`which`: see `publishedTestKey`). */
function publishedKeyReason(which: string): string {
  return `${which}, published as test material, so it protects nothing: medium. Make sure nothing outside tests trusts it.`
}

/** `besideMadeUpKeyIdOnly`: the file's `madeUpKeyIdsReader`; `foreignKeyIdNear`: its `foreignKeyIdReader`, in a sample path only. */
async function secretlintCandidates(
  file: Pick<SourceFile, 'path' | 'kind'>,
  content: string,
  besideMadeUpKeyIdOnly: (line: number) => boolean,
  foreignKeyIdNear?: (line: number, secretName: string | undefined) => string | undefined
): Promise<Candidate[]> {
  const hits = await runSecretlint(file.path, content)
  return hits.map((h: SecretlintHit) => {
    const rule = SECRETLINT_RULES.get(h.rule) ?? (SECRETLINT_RULES.get('secretlint') as RuleMeta)
    const { start, end } = h.rule === 'aws' && h.messageId === 'AWSSecretAccessKey' ? valueAfterKey(content, h.start, h.end) : h
    const text = content.slice(start, end)
    // For a URL, the password is the secret; masking the whole URL would hide the host too.
    const url = URL_PASSWORD.exec(text)
    const value = url?.groups?.urlPass ?? text
    // The same tests as Preflight's own rules: a shortened, made-up or encrypted key, a placeholder
    // token and an IAM entity's unique id (`AIDA…`, which secretlint's AWS rule also matches) are only masked.
    const notAKey =
      (h.rule === 'privatekey' && !isPlainPrivateKey(text)) ||
      (h.rule !== 'privatekey' && (isDocumentationExample(value) || isFilledStandIn(value) || isWordedStandIn(value) || countsUp(value) || holdsFilledRun(value))) ||
      (h.rule === 'slack' && /^(?:xox|xapp)/.test(value) && !isSlackTokenShape(value)) ||
      // `hooks.slack.com/services/T00/B00/xxx`: ids and a secret part no Slack webhook has.
      (h.rule === 'slack' && value.includes('hooks.slack.com/') && !isSlackWebhookShape(value)) ||
      (h.rule === 'aws' && /^[A-Z0-9]{20}$/.test(value) && (!AWS_KEY_ID_START.test(value) || isSyntheticAccessKeyId(value))) ||
      (h.rule === 'aws' && h.messageId === 'AWSSecretAccessKey' && besideMadeUpKeyIdOnly(h.line)) ||
      // `postgres://<user>:<password>@<host>`, `mysql://app:password@db`: a documented shape, no password in it.
      /:<[^<>\s@]{1,60}>@/.test(text) ||
      (url !== null && !isLiteralUrlPassword(url.groups?.urlHead ?? '', value))
    const afterUrlPassword = url === null ? '' : content.slice(start + (url.index ?? 0) + url[0].length, start + (url.index ?? 0) + url[0].length + 300)
    const standIn = url === null ? undefined : isSentryDsn(url.groups?.urlHead ?? '', value, afterUrlPassword) ? SENTRY_DSN : isChartDefault(file, value) ? CHART_DEFAULT : urlPasswordStandIn(url.groups?.urlHead ?? '', value, afterUrlPassword, file.path)
    const published = h.rule === 'privatekey' && !notAKey ? publishedTestKey(text) : undefined
    const foreignKeyId = h.rule === 'aws' && h.messageId === 'AWSSecretAccessKey' && !notAKey ? foreignKeyIdNear?.(h.line, nameBefore(content, start)) : undefined
    return {
      rule,
      priority: 0,
      start,
      end,
      line: h.line,
      endLine: h.endLine,
      ...(standIn !== undefined
        ? { message: `secretlint rule \`${h.rule}\` found a credential (${h.messageId}) in plain text: ${standIn}.`, severity: standIn === SENTRY_DSN ? ('low' as const) : ('medium' as const) }
        : published !== undefined
          ? { message: `secretlint rule \`${h.rule}\` found a credential (${h.messageId}) in plain text: ${publishedKeyReason(published)}`, severity: 'medium' as const }
          : foreignKeyId !== undefined
            ? { message: `secretlint rule \`${h.rule}\` found a credential (${h.messageId}) in plain text. ${foreignPairReason(foreignKeyId)}`, severity: 'info' as const }
            : { message: `secretlint rule \`${h.rule}\` found a credential (${h.messageId}) in plain text.` }),
      value,
      ...(notAKey ? { locateOnly: true as const } : {})
    }
  })
}

/** `AWS_SECRET_ACCESS_KEY=`, `"aws_secret": "`: a key and its separator, up to the value. */
const KEY_PREFIX = /["']?[A-Za-z_][\w.-]*["']?[ \t]*[:=][ \t]*["']?/y

/**
 * secretlint reports `AWS_SECRET_ACCESS_KEY=…` with the secret's length but the key's start
 * offset; move the span past `KEY=` so the value (and only it) is what gets masked.
 */
function valueAfterKey(content: string, start: number, end: number): { start: number; end: number } {
  // Matched in place (sticky): nothing in it matches a newline, so it stays on the key's line
  // without a copy of that line per hit (a long line can hold thousands).
  KEY_PREFIX.lastIndex = start
  const prefix = KEY_PREFIX.exec(content)
  if (!prefix) return { start, end }
  return { start: start + prefix[0].length, end: start + prefix[0].length + (end - start) }
}

// ── shapes that are secrets anywhere ─────────────────────────────────────────────────────────

const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g

/**
 * A reCAPTCHA key (`6Le…AAAAA…`, 40 characters, the site key public by design): Google's keys start
 * `6L`, then six characters and five `A`s; a random 40-character value does so about once in 10^21.
 */
function isRecaptchaKey(s: string): boolean {
  return /^6L[A-Za-z0-9_-]{6}AAAAA/.test(s)
}

/** A SHA-1 or git commit id, which has the same length as an AWS secret key. */
function isHexDigest(s: string): boolean {
  return (/^[0-9a-f]{40}$/.test(s) && /[a-f]/.test(s)) || (/^[0-9A-F]{40}$/.test(s) && /[A-F]/.test(s))
}

/**
 * Each expression is compiled once and run only on a file that holds one of the literal strings
 * every match of it contains (`anchors`): most files hold none, and then a few `includes` calls
 * replace fifteen regex passes.
 */
/** One expression per list of anchors: a single pass over the text finds whether any is there. */
const anyOf = (anchors: readonly string[]) => new RegExp(anchors.map(escapeRegExp).join('|'))
/**
 * The same test for a short list, as string searches: `includes` finds a literal faster than an
 * expression of alternatives does, and a text holds one of the literals exactly when it holds a
 * match of their alternation.
 */
const includesAnyOf = (anchors: readonly string[]) => ({ test: (text: string) => anchors.some((a) => text.includes(a)) })
const COMPILED_TOKENS = TOKEN_PATTERNS.map((pattern) => ({ pattern, rule: TOKEN_RULES.get(pattern.slug) as RuleMeta, regex: tokenRegex(pattern), anchor: includesAnyOf(pattern.anchors) }))
const ANY_TOKEN_ANCHOR = anyOf(TOKEN_PATTERNS.flatMap((p) => p.anchors))
const PRIVATE_KEY = new RegExp(PRIVATE_KEY_SOURCE, 'g')
const PUTTY_KEY = new RegExp(PUTTY_KEY_SOURCE, 'g')
const URL_PASSWORD_ALL = new RegExp(URL_PASSWORD_SOURCE, 'g')

/** Every match of a global expression from the start, without cloning it as `matchAll` does. */
function* matchesOf(regex: RegExp, content: string): Generator<RegExpExecArray> {
  regex.lastIndex = 0
  for (let m = regex.exec(content); m !== null; m = regex.exec(content)) {
    if (m[0].length === 0) regex.lastIndex++
    yield m
  }
}

/**
 * `xoxb-1234567890-…`, `glpat-aBcDeFgHiJkLmNoPqRsTu`: a token whose digits or letters count up
 * (eight or more in a row, letters in any case), typed for an example or a test: a generated token
 * of 40 hexadecimal digits holds such a digit run about once in a hundred million, one of 40
 * letters and digits such a letter run about once in a billion.
 */
function countsUp(token: string): boolean {
  if (token.includes('12345678') || token.includes('23456789') || token.includes('34567890')) return true
  const lower = token.toLowerCase()
  let run = 1
  for (let i = 1; i < lower.length; i++) {
    const code = lower.charCodeAt(i)
    run = code >= 98 && code <= 122 && code === lower.charCodeAt(i - 1) + 1 ? run + 1 : 1
    if (run >= 8) return true
  }
  return false
}

/**
 * `GOCSPX-2k8gsR0000000000000000VNahJj`: one character ten or more times in a row, a token's body
 * filled in for an example; a generated token of 62 letters and digits holds such a run about
 * once in 10^16. Counted in one pass.
 */
function holdsFilledRun(token: string): boolean {
  let run = 1
  for (let i = 1; i < token.length; i++) {
    run = token[i] === token[i - 1] ? run + 1 : 1
    if (run >= 10) return true
  }
  return false
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Accounts no real key belongs to: the one emulators use, and those of documentation. */
const PLACEHOLDER_ACCOUNTS = new Set(['000000000000', '123456789012', '111111111111'])

/**
 * An access key id made up for an emulator or a test: the account encoded in it (bits 1-40 of
 * its base32 body, as AWS has issued them since 2019) is all zeros or a documentation account.
 * Such ids are what LocalStack and test doubles hand out; no key of AWS carries them.
 */
function isSyntheticAccessKeyId(id: string): boolean {
  let bits = 0n
  for (const ch of id.slice(4, 14)) {
    const v = BASE32.indexOf(ch)
    if (v < 0) return false
    bits = (bits << 5n) | BigInt(v)
  }
  // Ten characters are 50 bits; the account sits in the 48 bits after the first two, below one flag bit.
  const first48 = bits >> 2n
  const account = ((first48 & 0x7fffffffff80n) >> 7n).toString().padStart(12, '0')
  return PLACEHOLDER_ACCOUNTS.has(account)
}

/** `AKIAABCD12345EFGH`: words that start like an access key id, whole or not. */
const KEY_ID_WORD = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Za-z0-9]*/g

/** What a line says of access key ids (`keyIdsByLine`), beside 0 for none: only made-up ones, or one AWS could have issued. */
const MADE_UP_KEY_IDS = 1
const ISSUABLE_KEY_ID = 2

/**
 * For each line (by index in `lines`), the access key ids it names: an id is made up when it has
 * the wrong length (`AKIAABCD12345EFGH`, 17 characters) or was made for an emulator or the
 * documentation account. One pass over the file, so each secret key reads its neighbours from here.
 */
function keyIdsByLine(lines: readonly string[]): Uint8Array {
  const kinds = new Uint8Array(lines.length)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    // Every id starts with one of these (KEY_ID_WORD): most lines hold neither.
    if (!line.includes('AKIA') && !line.includes('ASIA')) continue
    for (const id of line.match(KEY_ID_WORD) ?? []) {
      if (/^[A-Z0-9]{20}$/.test(id) && !isSyntheticAccessKeyId(id)) {
        kinds[i] = ISSUABLE_KEY_ID
        break
      }
      kinds[i] = MADE_UP_KEY_IDS
    }
  }
  return kinds
}

/**
 * For a file's `lines`: whether a secret access key on a line (1-based) has access key ids in the
 * lines around (five each way), none of them one AWS could have issued. A pair is made up
 * together; no id nearby says nothing. The ids are read on the first call (most files never
 * make one), then every secret key of the file looks at its eleven lines only.
 */
function madeUpKeyIdsReader(lines: readonly string[]): (line: number) => boolean {
  let kinds: Uint8Array | undefined
  return (line) => {
    kinds ??= keyIdsByLine(lines)
    let named = false
    for (let i = Math.max(0, line - 6); i < Math.min(kinds.length, line + 5); i++) {
      if (kinds[i] === ISSUABLE_KEY_ID) return false
      if (kinds[i] === MADE_UP_KEY_IDS) named = true
    }
    return named
  }
}

/** `accessKeyID: "…"`, `AWS_ACCESS_KEY_ID=…`, `"access_key": "…"`: an access key id's name and a literal value (group 1). */
const PARTNER_KEY_ID = /access[_-]?key(?:[_-]?id)?["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9]{16,64})(?![A-Za-z0-9/+=])/gi

/** An access key id a line assigns, and its name's prefix (`MINIO_` of `MINIO_ACCESS_KEY`), normalized by `namePrefix`. */
interface PartnerKeyId {
  id: string
  prefix: string
}

/** A name's part before its key words, lower-cased without separators: `MINIO_` and `minio` compare equal. */
function namePrefix(before: string): string {
  // `secretS3.accessKeyID`: the last segment is the name; what precedes the dot is its object.
  return (before.split('.').pop() ?? '').toLowerCase().replace(/[_-]/g, '')
}

/** The access key ids a line assigns whose name says no `secret` (`secret_access_key` is the other half). */
function partnerKeyIds(line: string): PartnerKeyId[] {
  // Lines this long are data, not a pair someone wrote; and every name holds `ccess`.
  if (line.length > 1000 || !/ccess/i.test(line)) return []
  const out: PartnerKeyId[] = []
  for (const m of line.matchAll(PARTNER_KEY_ID)) {
    // The name's start: back over the word it is part of (`aws_secret_access_key`).
    let from = m.index
    while (from > 0 && /[\w.-]/.test(line[from - 1])) from--
    const before = line.slice(from, m.index)
    if (!/secret/i.test(before)) out.push({ id: m[1], prefix: namePrefix(before) })
  }
  return out
}

/** `MINIO_SECRET_KEY`, `accessSecretKey`, `AWS_SECRET_ACCESS_KEY`: a secret key's name; group 1 is its prefix. */
const SECRET_KEY_NAME = /^(.*?)(?:access[_-]?)?secret[_-]?(?:access[_-]?)?key$/i

/** The name assigned the value at `start` on its line (`export NAME=`, `"name": "`), if any. */
function nameBefore(content: string, start: number): string | undefined {
  const lineStart = content.lastIndexOf('\n', start - 1) + 1
  // Back over `"`, blanks, one `:` or `=`, blanks and a quote, then over the name (a walk, not a `$`-anchored search).
  let i = start
  const back = (re: RegExp, many: boolean): number => {
    let n = 0
    while (i > lineStart && re.test(content[i - 1]) && (many || n === 0)) {
      i--
      n++
    }
    return n
  }
  back(/["']/, false)
  back(/[ \t]/, true)
  if (back(/[:=]/, false) === 0) return undefined
  back(/[ \t]/, true)
  back(/["']/, false)
  const end = i
  back(/[\w.-]/, true)
  return i < end ? content.slice(i, end) : undefined
}

/**
 * For a file's `lines`: the access key id assigned in the lines around a secret access key named
 * `secretName` (five each way) when every such id lacks AWS's prefix (`AKIA`, `ASIA`, …), no
 * AWS-shaped id is near, and the id's name has the secret's prefix (`MINIO_ACCESS_KEY` beside
 * `MINIO_SECRET_KEY`, `accessKeyID` beside `accessSecretKey`): Ceph RGW and MinIO issue keys of the
 * same 40-character shape with such ids, so the pair is not provably AWS's. Undefined when the
 * secret's own name says `aws` (it is written for AWS, whatever stands beside it), when its name
 * is not a secret key's, or when no id with its prefix is written: a MinIO id beside
 * `AWS_SECRET_ACCESS_KEY` is another credential, not its partner.
 */
function foreignKeyIdReader(lines: readonly string[]): (line: number, secretName: string | undefined) => string | undefined {
  let ids: (PartnerKeyId[] | undefined)[] | undefined
  return (line, secretName) => {
    const name = secretName?.split('.').pop() ?? ''
    const secret = SECRET_KEY_NAME.exec(name)
    if (secret === null || /aws/i.test(name)) return undefined
    const prefix = namePrefix(secret[1])
    ids ??= lines.map((l) => (l.includes('AKIA') || l.includes('ASIA') ? [{ id: 'AKIA', prefix: '' }] : partnerKeyIds(l)))
    let foreign: string | undefined
    for (let i = Math.max(0, line - 6); i < Math.min(ids.length, line + 5); i++) {
      for (const id of ids[i] ?? []) {
        if (AWS_KEY_ID_START.test(id.id)) return undefined
        if (id.prefix === prefix) foreign ??= id.id
      }
    }
    return foreign
  }
}

/** Why an AWS-shaped secret key beside `keyId` in a sample or documentation path is reported for information. */
function foreignPairReason(keyId: string): string {
  return `Its access key id \`${maskSecret(keyId)}\` beside it, named with the same prefix, lacks AWS's prefix (AKIA, ASIA, …): a key of an S3-compatible store (Ceph RGW, MinIO issue the same shape), not provably AWS's. (In a test, example or documentation path: reported for information.)`
}

/** The claims of a JSON Web Token's payload, when it decodes to a JSON object. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** The day a JSON Web Token expired (its payload's `exp`, in seconds), when that day is past. */
function jwtExpiry(claims: Record<string, unknown> | undefined): string | undefined {
  const exp = claims?.exp
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp * 1000 >= Date.now()) return undefined
  return new Date(exp * 1000).toISOString().slice(0, 10)
}

/**
 * `github_pat_your_personal_access_token_here`: a vendor's prefix, then lower-case words where the
 * random part goes (three or more, joined by `_` or `-`): the shape announced in an example file.
 */
function isWordedStandIn(token: string): boolean {
  const body = token.replace(/^(?:github_pat_|[a-z]{2,8}[-_])/, '')
  return /^[a-z]{2,20}(?:[-_][a-z]{2,20}){2,9}$/.test(body)
}

/** The sample token of the JWT specification's best-known debugger page (`John Doe`, issued 2018-01-18), quoted by tutorials and tests. */
function isJwtDocumentationSample(claims: Record<string, unknown> | undefined): boolean {
  return claims?.name === 'John Doe' && claims.iat === 1516239022
}

function patternCandidates(content: string, starts: number[], path: string): Candidate[] {
  const out: Candidate[] = []
  const awsKeyLines: number[] = []
  const anyToken = ANY_TOKEN_ANCHOR.test(content)
  for (const { pattern, rule, regex, anchor } of anyToken ? COMPILED_TOKENS : []) {
    if (!anchor.test(content)) continue
    for (const m of matchesOf(regex, content)) {
      const token = m[0]
      // `AKIAIOSFODNN7EXAMPLE`, `glpat-XXXXXXXXXXXXXXXXXXXX`: the shape shown, no credential in it.
      if (isDocumentationExample(token) || isFilledStandIn(token) || isWordedStandIn(token) || countsUp(token) || holdsFilledRun(token)) continue
      if (pattern.slug === 'aws-access-key-id' && isSyntheticAccessKeyId(token)) continue
      const start = m.index ?? 0
      const line = lineAt(starts, start)
      if (pattern.slug === 'aws-access-key-id') awsKeyLines.push(line)
      // `hooks.slack.com/services/asdasd/asdasd/asd`: the host typed with a made-up path, no webhook
      // Slack issued; `xoxb-test-token`, no token (no id in it). Masked all the same.
      if ((pattern.slug === 'slack-webhook' && !isSlackWebhookShape(token)) || (pattern.slug === 'slack-token' && !isSlackTokenShape(token))) {
        out.push({ rule, priority: 1, start, end: start + token.length, line, message: '', value: token, locateOnly: true })
        continue
      }
      const shown = /webhook/.test(pattern.slug) ? '' : ` \`${maskSecret(token)}\``
      const claims = pattern.slug === 'jwt' ? jwtClaims(token) : undefined
      if (isJwtDocumentationSample(claims)) continue
      const expired = jwtExpiry(claims)
      if (expired) {
        out.push({ rule, priority: 1, start, end: start + token.length, line, message: `${pattern.label}${shown} in plain text; it expired on ${expired}, so a service that checks expiry refuses it: low.`, value: token, severity: 'low' })
        continue
      }
      const exp = claims?.exp
      // A token that never expires in practice (`exp` of 1e306) has nothing to wait for.
      const expiresAt = typeof exp === 'number' && Number.isFinite(exp * 1000) ? exp * 1000 : undefined
      out.push({ rule, priority: 1, start, end: start + token.length, line, message: `${pattern.label}${shown} in plain text.`, value: token, ...(expiresAt !== undefined ? { expiresAt } : {}) })
    }
  }
  for (const m of content.includes('-----BEGIN ') ? matchesOf(PRIVATE_KEY, content) : []) {
    const block = m[0]
    // A block without key material (`<private-key>`, `...` between the lines) documents the format.
    const material = withoutTemplateExpressions(block.replace(/-----(?:BEGIN|END)[^\n-]*-----/g, ''))
    if (!/[A-Za-z0-9+/=]{16,}/.test(material)) continue
    const start = m.index ?? 0
    // A key cut short for the reader (`...` between its lines), a word repeated or a key encrypted
    // with a passphrase is still masked.
    const whole = isPlainPrivateKey(block)
    const published = whole ? publishedTestKey(block) : undefined
    out.push({
      rule: PRIVATE_KEY_RULE,
      priority: 1,
      start,
      end: start + block.length,
      line: lineAt(starts, start),
      endLine: lineAt(starts, start + block.length - 1),
      message: published ? `Private key block in plain text: ${publishedKeyReason(published)}` : 'Private key block in plain text.',
      value: block,
      ...(whole ? {} : { locateOnly: true as const }),
      ...(published ? { severity: 'medium' as const } : {})
    })
  }
  for (const m of content.includes('PuTTY-User-Key-File-') ? matchesOf(PUTTY_KEY, content) : []) {
    const start = m.index ?? 0
    const end = content.indexOf('Private-MAC:', start)
    const stop = end === -1 ? start + m[0].length : content.indexOf('\n', end) === -1 ? content.length : content.indexOf('\n', end)
    out.push({ rule: PUTTY_RULE, priority: 1, start, end: stop, line: lineAt(starts, start), endLine: lineAt(starts, stop - 1), message: 'PuTTY private key file in plain text.', value: content.slice(start, stop) })
  }
  for (const m of content.includes('://') ? matchesOf(URL_PASSWORD_ALL, content) : []) {
    const head = m.groups?.urlHead ?? ''
    const password = m.groups?.urlPass ?? ''
    if (!isLiteralUrlPassword(head, password)) continue
    const start = (m.index ?? 0) + head.length
    // `docker://image:tag@digest`: an image reference, whose `name:tag@` reads as a user and a
    // password; only with a digest after `@` (`docker://user:password@registry` carries a login).
    if (/^(?:docker|oci|docker-archive|containers-storage):\/\//i.test(head) && /^(?:sha256:[0-9a-f]{64}|digest)\b/.test(content.slice(start + password.length + 1, start + password.length + 80))) continue
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*/.exec(head)?.[0] ?? 'URL'
    const after = content.slice(start + password.length + 1, start + password.length + 300)
    const standIn = isSentryDsn(head, password, after) ? SENTRY_DSN : urlPasswordStandIn(head, password, after, path)
    out.push({
      rule: URL_PASSWORD_RULE,
      priority: 1,
      start,
      end: start + password.length,
      line: lineAt(starts, start),
      message: standIn ? `\`${scheme}\` URL with a literal password, ${standIn}.` : `\`${scheme}\` URL with a literal password.`,
      value: password,
      ...(standIn ? { severity: standIn === SENTRY_DSN ? ('low' as const) : ('medium' as const) } : {})
    })
  }
  if (awsKeyLines.length > 0) {
    // The lines within five of an access key id, marked once (by 1-based line), not searched per shape.
    const nearKeyId = new Uint8Array(starts.length + 1)
    for (const l of awsKeyLines) nearKeyId.fill(1, Math.max(1, l - 5), Math.min(starts.length, l + 5) + 1)
    for (const m of content.matchAll(AWS_SECRET_SHAPE)) {
      const start = m.index ?? 0
      const line = lineAt(starts, start)
      if (nearKeyId[line] !== 1 || isHexDigest(m[0]) || isRecaptchaKey(m[0]) || !looksRandom(m[0]) || isDocumentationExample(m[0])) continue
      out.push({ rule: AWS_SECRET_RULE, priority: 1, start, end: start + 40, line, message: 'AWS secret access key next to an access key id.', value: m[0] })
    }
  }
  return out
}

/**
 * Why a URL's password is a stand-in or a default rather than a secret someone chose (medium):
 * it repeats the URL's own host name (`tcp://:redis@redis:6379`), scheme or user name, or names
 * the product whose files hold it. `head` is `scheme://user:`, `after` the text after the `@`.
 */
function urlPasswordStandIn(head: string, password: string, after: string, path: string): string | undefined {
  const typed = password.toLowerCase()
  const host = (/^[^\s:/?#@"'`<>]{1,253}/.exec(after)?.[0] ?? '').toLowerCase()
  const scheme = (/^[A-Za-z][A-Za-z0-9+.-]*/.exec(head)?.[0] ?? '').toLowerCase()
  const user = head.slice(head.indexOf('://') + 3, -1).toLowerCase()
  const same =
    host !== '' && (typed === host || typed === host.split('.')[0])
      ? 'its host name'
      : scheme.split('+').includes(typed)
        ? 'its scheme'
        : user !== '' && typed === user
          ? 'its user name'
          : user !== '' && typed.startsWith(user) && /^[-_.]?(?:password|passwd|pass|pwd)$/.test(typed.slice(user.length))
            ? 'its user name with a word for password after it'
            : undefined
  if (same) return `a password that repeats ${same}, a stand-in or default anyone can guess rather than a secret someone chose (medium)`
  if (isProductName(password, path)) return PRODUCT_DEFAULT
  // `http://minio:minio123@127.0.0.1:9001`: a typed password for a server on the machine the file
  // runs on, as a test script starts one beside it. A generated one stays high: a Cloud SQL proxy or
  // a pgbouncer sidecar listens on 127.0.0.1 and the password is the production database's.
  return LOOPBACK_HOST.test(after) && isWordsAndNumber(password) ? LOOPBACK_URL : undefined
}

/** The loopback address as a URL's only host: `localhost`, `127.x.x.x`, `[::1]`, then a port, path or the URL's end (not `,` and more hosts). */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::[^,\s/?#@"'`]{1,40})?(?![\w.,:-])/i
const LOOPBACK_URL = 'a typed password for a server on the loopback address (a local or test instance), which nothing off that host can reach (medium)'

// ── credentials inside commands, headers and connection strings ─────────────────────────────

interface Shape {
  source: string
  head: string
  value: string
  rule: RuleMeta
  message: string
  literal?: (value: string) => boolean
  /** The command the flag must follow on its line (or any test of the text before the match). */
  command?: { test(text: string): boolean }
  /** A test of the text after the value (and of the head before it): true when the match is prose (`--password must be given`), not a command. */
  prose?: (after: string, value: string, head: string, before: string, continued: boolean) => boolean
  /** What every match contains: one of these literals, or a match of this expression (see `COMPILED_TOKENS`). */
  anchors: readonly string[] | RegExp
}

/**
 * A sentence's word just before a flag (`provide --id-token …`, `requires --token …`): the flag is
 * named, not passed. Only words no command line uses as a program or subcommand (not `add`, `set`,
 * `use`, `pass`, `and`, `or`, `with`: `helm repo add --password …` passes one).
 */
const INSTRUCTING_WORD = /(?:^|[\s;:,.(])(?:provide|specify|supply|either|without|requires?|needs?|missing|unknown|invalid)[ \t]+$/i

/** What a Secret object a flag names holds (`--server-tls-secret`, `--image-pull-secret`, `--usage-report-secret`). */
const SECRET_OBJECT_FLAG_WORDS = new Set(['tls', 'cert', 'certs', 'certificate', 'ca', 'registry', 'docker', 'pull', 'image', 'license', 'report', 'kubeconfig'])
/** Words of a flag whose secret signs or authenticates by itself: its value is the secret, whatever its shape. */
const SIGNING_FLAG_WORDS = new Set(['client', 'webhook', 'shared', 'jwt', 'signing', 'session', 'app', 'api', 'cookie', 'hmac', 'encryption'])

/**
 * `--server-tls-secret=server-tls`: a flag ending in `-secret` whose words say what kind of Secret
 * object it names (TLS, registry, pull, license), set to a Kubernetes object name of two or more
 * parts: the name of a Secret, not its content.
 */
function namesSecretObjectFlag(head: string, value: string): boolean {
  const flag = /--([a-z0-9-]{1,60})-secret(?:[ \t]+|=)["']?$/.exec(head)?.[1]
  if (flag === undefined || value.length > 63 || !/^[a-z]+\d{0,2}(?:-[a-z]+\d{0,2}){1,4}$/.test(value)) return false
  const words = flag.split('-')
  // The object's own name says what it holds (`agent-tls`, `ghcr-auth`, `nplus-license`): a passphrase of words does not.
  return words.some((w) => SECRET_OBJECT_FLAG_WORDS.has(w)) && !words.some((w) => SIGNING_FLAG_WORDS.has(w)) && value.split('-').some((w) => SECRET_OBJECT_NAME_WORDS.has(w.replace(/\d{1,2}$/, '')))
}

/**
 * A `gcloud secrets …` command, whose `--secret` flag names a secret in Secret Manager: gcloud first
 * in its command (after a workflow's `run:`, a Dockerfile's `RUN`, `sudo`, quotes), not an argument.
 */
const GCLOUD_SECRETS = /^[ \t"'`]*(?:-[ \t]+)?(?:run:[ \t]*|RUN[ \t]+)?(?:sudo[ \t]+)?gcloud[ \t]+(?:(?:alpha|beta)[ \t]+)?secrets[ \t]/

/**
 * The command a flag belongs to in a line's text before it: after the last `;`, `&`, `|`, bracket,
 * backquote, comment (` #`) or escaped line break (`\n` in a quoted script), so
 * `$(gcloud secrets … --secret=x) tool --secret …` reads the second flag with `tool`.
 */
function lastCommand(before: string): string {
  let cut = 0
  for (const mark of [';', '&', '|', '(', ')', '`', ' #', '\t#', '\\n']) {
    const at = before.lastIndexOf(mark)
    if (at >= 0) cut = Math.max(cut, at + mark.length)
  }
  return before.slice(cut)
}

/** Words a Secret object's name ends or is made with (`server-tls`, `ghcr-auth`, `regcred`). */
const SECRET_OBJECT_NAME_WORDS = new Set(['tls', 'cert', 'certs', 'ca', 'registry', 'docker', 'pull', 'auth', 'license', 'secret', 'creds', 'credentials', 'regcred', 'kubeconfig'])

/** Words that name the flag itself or join a sentence about it: never the value a command passes. */
const FLAG_WORD = /^(?:flags?|options?|arguments?|args?|parameters?|params?|switch(?:es)?|settings?|values?|variables?|and|or|is|are|must|should|can|will|to|for|of|the|with|requires|required|needs|expects|cannot)[.,;:)]?$/

/** Whether the line starting at `lineStart` continues the one before it (which ends in `\`, blanks aside). */
function continuesLine(content: string, lineStart: number): boolean {
  let j = lineStart - 2
  while (j >= 0 && (content[j] === ' ' || content[j] === '\t' || content[j] === '\r')) j--
  return j >= 0 && content[lineStart - 1] === '\n' && content[j] === '\\'
}

/**
 * Whether a flag opens a usage text's line: nothing before it but indentation, or an open quote
 * (`echo "`, `>&2 echo "`, `fmt.Println("`), either perhaps followed by its short alias (`-p, `).
 */
function opensUsageLine(before: string): boolean {
  const text = before.trimEnd()
  const rest = (/(?:^|\s)-[A-Za-z],$/.test(text) ? text.slice(0, -3) : text).trimEnd()
  if (rest === '') return true
  const quote = rest[rest.length - 1]
  // An opening quote: the line holds an odd number of them so far.
  return (quote === '"' || quote === "'") && rest.split(quote).length % 2 === 0
}
/** A flag set off from what follows by two or more blanks (or a tab): a column of a usage text. */
const WIDE_GAP = /(?: {2}|\t)["']?$/
const CLOSING_BRACKET: Record<string, string> = { '(': ')', '<': '>', '[': ']' }

/** A value that opens a bracket closed in it or later on its line: `(Optional)`, `<password>`, `[TOKEN]`, `(optional, default: none)`. */
function inBrackets(value: string, after: string): boolean {
  const close = CLOSING_BRACKET[value[0]]
  return close !== undefined && (value.includes(close) || after.includes(close))
}

/**
 * Commands whose own options start with `-p` (`find -printf`, `-prune`, `-perm`; `mkdir -p`,
 * `cp -p`, `tar -p`, `ps -p`…): a `-p…` of theirs is no MySQL password, whatever the line names.
 */
const OWN_P_OPTIONS: ReadonlySet<string> = new Set(['find', 'mkdir', 'cp', 'mv', 'install', 'rsync', 'tar', 'ls', 'ps', 'pgrep', 'pkill', 'grep', 'egrep', 'fgrep', 'sed', 'chmod', 'chown', 'ln', 'touch', 'patch', 'diff', 'git'])

/**
 * Whether a `-p…` whose segment's command is `command` can be a MySQL client's: not when the flag
 * sits among a wrapper's own options (`docker run --name mysql -p3306:3306`, `ssh mysql@db -p2222`:
 * no command found) or belongs to a command with `-p` options of its own.
 */
const isMysqlFlag = (command: string | undefined): boolean => command !== undefined && !OWN_P_OPTIONS.has(command)

const SHAPES: Shape[] = [
  {
    source: AUTH_HEADER_SOURCE,
    head: 'authHead',
    value: 'authVal',
    rule: AUTH_HEADER_RULE,
    message: 'Literal credential in an `Authorization` header.',
    // `Bearer eyJhbG...2g` in an API's guide: a token cut short.
    literal: (value) => isLiteralCredential(value) && !isCutShort(value),
    // `…with an Authorization: Bearer header. The checker…`: after Bearer, one word ends a sentence
    // and more words follow (not another header's name, `X-Other:`). `errors.New("authorization:
    // token either expired or inexistent")`: an error message, a lower-case word and at least two
    // more, then the string and the call close.
    // `an Authorization: Bearer header on a … route`: the header named, `header` where the token would
    // go. `Bearer Pomerium-<JWT>`: a prefix, then a slot in angle brackets.
    prose: (after, value, head) =>
      /^headers?[.,;:]?$/i.test(value) ||
      // `via Authorization: Bearer (Claude Code's …)`: a remark in brackets, a word and then more.
      (/^\([A-Za-z][a-z]+$/.test(value) && /^\s/.test(after)) ||
      (/[-_.:]$/.test(value) && /^<[A-Za-z][^<>/\n]{0,40}>/.test(after)) ||
      (/\bbearer\s*$/i.test(head) && /^[a-z]{2,12}\.$/.test(value) && /^ [A-Za-z][\w-]*(?:\s|$)/.test(after)) ||
      (/^[a-z]{2,12}$/.test(value) && /^(?: [a-z]{2,20}){2,8}["'`]\)/.test(after)),
    anchors: /authorization/i
  },
  { source: CURL_USER_SOURCE, head: 'curlHead', value: 'curlPass', rule: CLI_PASSWORD_RULE, message: 'Literal password in `curl -u user:password`.', command: CURL_COMMAND, anchors: ['-u'] },
  {
    source: MYSQL_SOURCE,
    head: 'myHead',
    value: 'myPass',
    rule: CLI_PASSWORD_RULE,
    message: 'Literal password on a MySQL command line (`-p…`).',
    // A client named before the flag, unless the flag belongs to a command with `-p…` options of its own:
    // in `find … -name 'mysql' -printf …` mysql is an argument of `find`, whose `-printf` is no password.
    command: { test: (before) => MYSQL_COMMAND.test(before) && isMysqlFlag(segmentCommand(before)) },
    anchors: ['-p']
  },
  {
    source: FLAG_SOURCE,
    head: 'flagHead',
    value: 'flagVal',
    rule: CLI_PASSWORD_RULE,
    message: 'Literal credential passed as a command-line flag.',
    anchors: ['--'],
    // `--remote-write-password must both be provided`, `via the --identity-token flag`: a sentence
    // about the flag, not a value. `--password <pass>`, `--password (Optional)`: a placeholder or
    // a note in brackets. `--cifs-password          CIFS credentials password`: a usage line, the
    // flag opening its line (or a quoted text) and its description set off by a wide gap,
    // in words of any case; `login --password  Snowfalcon  host` passes a value, as does a flag
    // opening a line continued from a command above (`\` at the end of the line before).
    prose: (after, value, head, before, continued) =>
      (/^[a-z]{1,12}$/.test(value) && /^ [a-z]{1,20} [a-z]{1,20}/.test(after)) ||
      // `provide --id-token explicitly`, `use --password instead`: a sentence telling what to do, a word after the flag.
      (/^[a-z]{2,20}$/.test(value) && INSTRUCTING_WORD.test(before)) ||
      FLAG_WORD.test(value) ||
      inBrackets(value, after) ||
      (WIDE_GAP.test(head) && opensUsageLine(before) && !continued && /^[A-Za-z][a-z]{0,19}[.,:;]?$|^[A-Z]{1,12}s?[.,:;]?$/.test(value) && /^ {1,3}[A-Za-z(]/.test(after))
  },
  { source: DOCKER_AUTH_SOURCE, head: 'dockHead', value: 'dockVal', rule: DOCKER_AUTH_RULE, message: 'Docker config `auth` entry (base64 of a registry user and password).', literal: isDockerAuth, anchors: ['"auth"'] },
  { source: AZURE_KEY_SOURCE, head: 'azHead', value: 'azVal', rule: AZURE_KEY_RULE, message: 'Azure connection string with a literal account or shared access key.', anchors: ['AccountKey=', 'SharedAccessKey='] },
  { source: QUERY_PASSWORD_SOURCE, head: 'qpHead', value: 'qpVal', rule: URL_PASSWORD_RULE, message: 'Literal password in a URL query string (`password=…`).', command: URL_BEFORE, anchors: /[?&](?:password|passwd|pwd)=/i },
  {
    source: CONN_PASSWORD_SOURCE,
    head: 'cpHead',
    value: 'cpVal',
    rule: KEY_RULES['connection-string'],
    message: 'Connection settings with a literal `Password=` value (a connection string, or a command line that sets a password).',
    command: CONNECTION_STRING_CONTEXT,
    anchors: /(?:password|pwd)[ \t]*=/i
  }
]

const COMPILED_SHAPES = SHAPES.map((shape) => ({ shape, regex: new RegExp(shape.source, 'g'), anchor: Array.isArray(shape.anchors) ? includesAnyOf(shape.anchors) : (shape.anchors as RegExp) }))

/**
 * Whether the quote `head` ends with closes a string opened before the flag (`"--token="` in
 * `args = append(args, "--token="+t)`: an odd count of that quote before it) rather than opening the value (`--token "+x…"`).
 */
function closesString(head: string, before: string): boolean {
  const quote = head[head.length - 1]
  if (quote !== '"' && quote !== "'" && quote !== '`') return false
  let count = 0
  for (const ch of before) if (ch === quote) count++
  return count % 2 === 1
}

/** A later password option on the same command taking a variable (`--password=$X`, `-p"${X}"`). */
const OVERRIDING_PASSWORD = /(?:--password[= ]|\s-p)["']?\$/

/** The text after `offset` up to the end of its line (at most 500 characters). */
function restOfLine(content: string, offset: number): string {
  const end = content.indexOf('\n', offset)
  return content.slice(offset, Math.min(end < 0 ? content.length : end, offset + 500))
}

/**
 * `https://<key>:<secret>@sentry.io/189878`: a Sentry DSN, as Sentry issues it (a web URL, a public
 * key and a legacy secret of 32 hex digits each, Sentry's host, a project number as the path).
 * Clients embed it on purpose; its keys only let one send events to that project.
 */
function isSentryDsn(head: string, password: string, afterPassword: string): boolean {
  return /^https?:\/\/[0-9a-f]{32}:$/.test(head) && /^[0-9a-f]{32}$/.test(password) && /^(?:[a-z0-9-]{1,63}\.){0,3}sentry\.io\/\d{1,12}(?![\w/])/i.test(afterPassword)
}

/** Why a Sentry DSN's password is low. */
const SENTRY_DSN = 'a Sentry DSN, which clients embed on purpose: its keys only let one send events to the project (low)'

/** Hosts of video meeting services' invite links (`https://zoom.us/j/…?pwd=…`, a Zoom for LFX meeting page). */
const MEETING_HOST = /^(?:zoom\.us|zoom-[a-z]+(?:\.[a-z]+){1,4}|zoomgov\.com|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com|webex\.com|meet\.jit\.si|whereby\.com)$/i

/** Whether a URL's host is a video meeting service's, or a subdomain of one (`acme.zoom.us`). */
function isMeetingLink(url: string): boolean {
  const host = /^[a-z][a-z0-9+.-]{0,20}:\/\/([^/?#:@\s]{1,253})/i.exec(url)?.[1]
  if (host === undefined) return false
  const labels = host.toLowerCase().split('.')
  // The host itself and each parent domain with two or more labels.
  for (let i = 0; i + 1 < labels.length; i++) if (MEETING_HOST.test(labels.slice(i).join('.'))) return true
  return false
}

/** A placeholder word with a number before or after it at most: `token123`, `mytoken`, `123test`, `deadbeef12346`. */
const PLACEHOLDER_WORD_AND_NUMBER = /^(?:\d{1,6}[-_]?)?(?:my|your|some)?[-_]?(?:token|secret|key|apikey|bearer|test|example|abc|xyz|foo|deadbeef|cafebabe|feedface)[-_]?\d{0,6}$/i

/** The secrets of `content` by the shapes of their surroundings (flags, headers, URLs); `inWorkflow`: the file is a workflow. */
function shapeCandidates(content: string, starts: number[], inWorkflow: boolean): Candidate[] {
  const out: Candidate[] = []
  for (const { shape, regex, anchor } of COMPILED_SHAPES) {
    if (!anchor.test(content)) continue
    for (const m of matchesOf(regex, content)) {
      const head = m.groups?.[shape.head] ?? ''
      const value = m.groups?.[shape.value]
      if (value === undefined || !(shape.literal ?? isLiteralCredential)(value)) continue
      // `"--client-secret="+cfg.ClientSecret`, `"--password=".$pass`: the string ends at the flag and a variable is joined to it.
      if (/^(?:\+[\w$(]|\.\$)/.test(value) && closesString(head, lineBefore(content, m.index ?? 0))) continue
      if (shape.command && !shape.command.test(lineBefore(content, m.index ?? 0))) continue
      const start = (m.index ?? 0) + head.length
      if (shape.prose) {
        const before = lineBefore(content, m.index ?? 0)
        if (shape.prose(content.slice(start + value.length, start + value.length + 50), value, head, before, continuesLine(content, (m.index ?? 0) - before.length))) continue
      }
      // `mysql -uroot -proot --password=${MYSQL_ROOT_PASSWORD}`: the last password option wins, and it is a reference.
      if (shape.rule === CLI_PASSWORD_RULE && OVERRIDING_PASSWORD.test(restOfLine(content, start + value.length))) continue
      // A meeting link's passcode admits whoever holds the link, as every invitee does: it is shared on purpose.
      if (shape.rule === URL_PASSWORD_RULE && isMeetingLink(lastToken(lineBefore(content, m.index ?? 0)))) {
        out.push({ rule: shape.rule, priority: 1, start, end: start + value.length, line: lineAt(starts, start), message: 'Passcode in a meeting link: it admits whoever holds the link, as it does every invitee (low).', value, severity: 'low' })
        continue
      }
      // `"Authorization": "Bearer token123"` (`mytoken123`) in an API's example, `renovate --token 123test`
      // in a usage line: a word and a number typed where the token goes (`deadbeef12346`, a hex
      // placeholder word), or a guessable static token: worth a look, not a leaked one.
      // On a command line, only a token's or key's flag, in lower case: `--password Secret2024` is typed.
      if ((shape.rule === AUTH_HEADER_RULE || (shape.rule === CLI_PASSWORD_RULE && /\d/.test(value) && value === value.toLowerCase() && !/pass|pwd/i.test(head))) && PLACEHOLDER_WORD_AND_NUMBER.test(value)) {
        out.push({ rule: shape.rule, priority: 1, start, end: start + value.length, line: lineAt(starts, start), message: `${shape.message.replace(/\.$/, '')}: a placeholder word (perhaps with a number), typed for an example or a guessable default, not a generated token (medium).`, value, severity: 'medium' })
        continue
      }
      // `--agent-tls-secret=agent-tls`, `--image-pull-secret=ghcr-auth`: a controller told which Secret object to read.
      if (shape.rule === CLI_PASSWORD_RULE && namesSecretObjectFlag(head, value)) continue
      // `gcloud secrets versions access latest --secret=e2e-builder-sa-key`: the secret's id in Secret Manager.
      if (shape.rule === CLI_PASSWORD_RULE && /--secret(?:[ \t]+|=)["']?$/.test(head) && SECRET_MANAGER_ID.test(value.replace(/[)"'`]{1,3}$/, '')) && GCLOUD_SECRETS.test(lastCommand(lineBefore(content, m.index ?? 0)))) continue
      // `--password 'p@ssw0rd'` in a command's usage example: the first guess against anything, not a password someone keeps.
      if (shape.rule === CLI_PASSWORD_RULE && isGuessableDefault(value, /pass|pwd/i.test(head))) {
        out.push({ rule: shape.rule, priority: 1, start, end: start + value.length, line: lineAt(starts, start), message: `${shape.message.replace(/\.$/, '')}, ${WELL_KNOWN_DEFAULT}.`, value, severity: 'medium' })
        continue
      }
      // `curl --user connectAdmin:connectAdmin`: a password that repeats a typed user name, a default
      // login (`isTypedLoginName`, as `repeatsLogin` reads it: a random string doubled is no login).
      if (shape.value === 'curlPass' && /^(?:-u|--user)(?:[ \t]+|=)?["']?([^\s:"']+):$/.exec(head)?.[1]?.toLowerCase() === value.toLowerCase() && isTypedLoginName(value) && !looksRandom(value)) {
        out.push({ rule: shape.rule, priority: 1, start, end: start + value.length, line: lineAt(starts, start), message: `${shape.message.replace(/\.$/, '')}, ${REPEATED_LOGIN} (medium).`, value, severity: 'medium' })
        continue
      }
      // `mysql -ulldapuser -plldappass` in a workflow: a password of words typed for a service the run
      // starts, as under a password's key there (a token or key flag keeps its severity).
      if (shape.rule === CLI_PASSWORD_RULE && inWorkflow && (/pass|pwd/i.test(head) || shape.value === 'myPass' || shape.value === 'curlPass') && isWordsAndNumber(value)) {
        out.push({ rule: shape.rule, priority: 1, start, end: start + value.length, line: lineAt(starts, start), message: `${shape.message.replace(/\.$/, '')}: ${/\d/.test(value) ? 'words and a number' : 'words'}, not a generated secret: in a workflow most likely for a service the run starts (medium).`, value, severity: 'medium' })
        continue
      }
      // `aws cognito-idp admin-create-user --temporary-password …`: a password the user must change at first sign-in.
      if (shape.rule === CLI_PASSWORD_RULE && /--temporary-password/i.test(head)) {
        out.push({ rule: shape.rule, priority: 1, start, end: start + value.length, line: lineAt(starts, start), message: `Literal password passed as \`--temporary-password\`, ${TEMPORARY_PASSWORD}.`, value, severity: 'low' })
        continue
      }
      // The storage emulator's one account key, the same in every copy: it opens nothing but a local emulator.
      if (shape.rule === AZURE_KEY_RULE && value === AZURITE_ACCOUNT_KEY) {
        out.push({ rule: shape.rule, priority: 1, start, end: start + value.length, line: lineAt(starts, start), message: `${shape.message} It is ${AZURITE_KEY} (low).`, value, severity: 'low' })
        continue
      }
      out.push({ rule: shape.rule, priority: 1, start, end: start + value.length, line: lineAt(starts, start), message: shape.message, value })
    }
  }
  return out
}

/** The account key Microsoft publishes for the storage emulator (Azurite) and its account `devstoreaccount1`. */
const AZURITE_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
/** What AZURITE_ACCOUNT_KEY is, wherever it is found. */
const AZURITE_KEY = "the published key of the Azure Storage emulator's account `devstoreaccount1` (Azurite), which opens only a local emulator"

// ── values whose key is a level up: Terraform variable defaults, template parameter defaults ──

const TF_VARIABLE = /^\s*variable\s+"([^"\n]{1,200})"\s*\{/
const TF_DEFAULT = /^(\s*default\s*=\s*")((?:[^"\\\n]|\\.){1,1000})"/

/** `variable "db_password" { default = "…" }`: the literal belongs to a secret-named variable. */
function tfVariableDefaultCandidates(content: string, starts: number[], lines: readonly string[]): Candidate[] {
  const out: Candidate[] = []
  // Both expressions below need their word on some line.
  if (!content.includes('variable') || !content.includes('default')) return out
  let variable: string | undefined
  let depth = 0
  lines.forEach((line, i) => {
    const open = TF_VARIABLE.exec(line)
    if (open) {
      variable = namesAReference(variableDescription(lines, i)) ? undefined : open[1]
      depth = 0
    }
    if (variable !== undefined) {
      const m = depth === 1 || open ? TF_DEFAULT.exec(line) : null
      if (m) {
        const cls = classifyKey(variable)
        const value = m[2]
        // A connection string with no password, key or token in it (`Integrated Security=SSPI`) carries no secret.
        const carries = cls !== 'connection-string' || carriesCredential(value)
        if (cls && carries && whyNotLiteral(value, variable) === undefined && (cls !== 'weak' || (looksRandom(value) && !namesAKeyResource(value)))) {
          const start = starts[i] + m[1].length
          const rule = KEY_RULES[cls]
          const trustStore = namesTrustStorePassword(variable)
          out.push({ rule, priority: 2, start, end: start + value.length, line: i + 1, message: `${rule.title}: literal default for variable ${quoteKey(variable)}${trustStore ? `, ${TRUSTSTORE}` : ''}.`, value, ...(trustStore ? { severity: 'low' as const } : {}) })
        }
      }
      for (const ch of line) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0
      if (depth <= 0 && !open) variable = undefined
      else if (depth <= 0 && open && line.includes('}')) variable = undefined
    }
  })
  return out
}

const TF_DESCRIPTION = /^\s*description\s*=\s*"((?:[^"\\\n]|\\.){0,1000})"/

/** The `description` of the variable block opening on line `open`, looked for in its first lines. */
function variableDescription(lines: readonly string[], open: number): string {
  for (let j = open + 1; j < lines.length && j <= open + 30; j++) {
    if (/^\s*variable\s/.test(lines[j])) break
    const m = TF_DESCRIPTION.exec(lines[j])
    if (m) return m[1]
  }
  return ''
}

/**
 * A description saying the value is a secret's name, ARN, path or id (`Kube Secret Name for …`,
 * `ARN of the secret`): the default points at a secret kept elsewhere.
 */
function namesAReference(description: string): boolean {
  return /\b(?:secret|password|token|key|credentials?)s?[ -](?:name|arn|path|id|key name)s?\b|\b(?:name|arn|path|id) (?:of|to) (?:the |a |an )?(?:[\w-]+ )?(?:secret|password|token|key|credentials?)\b/i.test(description)
}

const HCL_FALLBACK_HEAD = /^(\s*([A-Za-z_][\w-]{0,200})\s*=\s*(try|coalesce|lookup)\()/

/**
 * The arguments of the call that ends the line: up to its last `)` that only blank space or a
 * comment follows. A scan from the end, not one expression (which retried every `)` with every tail).
 */
function callArgumentsText(rest: string): string | undefined {
  for (let close = rest.lastIndexOf(')'); close >= 1; close = rest.lastIndexOf(')', close - 1)) {
    let j = close + 1
    while (j < rest.length && /\s/.test(rest[j]!)) j++
    const ends = j === rest.length || rest[j] === '#' || rest.startsWith('//', j)
    if (ends && close <= 2000) return rest.slice(0, close)
  }
  return undefined
}

/**
 * `password = try(var.x, "…")`, `coalesce(var.x, "…")`, `lookup(map, "key", "…")`: the literal
 * is the secret whenever the reference is unset. Located here so every output masks it (the
 * Terraform rule reports the line).
 */
function hclFallbackCandidates(content: string, starts: number[], lines: readonly string[]): Candidate[] {
  const calls = /(?:try|coalesce|lookup)\(/.test(content)
  if (!calls && !content.includes('?')) return []
  const out: Candidate[] = []
  lines.forEach((line, i) => {
    if (line.includes('?')) out.push(...conditionalCandidates(line, i, starts))
    const m = calls ? HCL_FALLBACK_HEAD.exec(line) : null
    if (!m) return
    const [, head, key, fn] = m
    const args = callArgumentsText(line.slice(head.length))
    if (args === undefined) return
    const cls = classifyKey(key)
    if (!cls || cls === 'weak') return
    const all = callArguments(args)
    for (const arg of fn === 'lookup' ? all.slice(2) : all) {
      const literal = /^\s*"((?:[^"\\]|\\.){1,1000})"\s*$/.exec(arg.text)
      if (!literal) continue
      const value = literal[1]
      // Used as the secret itself, a value cannot be "a key name".
      if (![undefined, 'key name'].includes(whyNotLiteral(value, key))) continue
      const start = starts[i] + head.length + arg.offset + arg.text.indexOf('"') + 1
      const rule = KEY_RULES[cls]
      out.push({ rule, priority: 2, start, end: start + value.length, line: i + 1, message: `${rule.title}: literal fallback for ${quoteKey(key)}.`, value })
    }
  })
  return out
}

const HCL_ASSIGNMENT = /^(\s*([A-Za-z_][\w-]{0,200})\s*=\s*)(\S.{0,2000})$/
const QUOTED_BRANCH = /^\s*"((?:[^"\\$]|\\.|\$(?!\{)){1,1000})"\s*(?:(?:#|\/\/).*)?$/

/** `password = var.env == "prod" ? var.db_password : "…"`: a quoted branch is a literal secret. */
function conditionalCandidates(line: string, i: number, starts: number[]): Candidate[] {
  const m = HCL_ASSIGNMENT.exec(line)
  if (!m) return []
  const [, head, key, rest] = m
  const cls = classifyKey(key)
  if (!cls || cls === 'weak') return []
  const out: Candidate[] = []
  for (const branch of conditionalBranches(rest) ?? []) {
    const value = QUOTED_BRANCH.exec(branch.text)?.[1]
    if (value === undefined || ![undefined, 'key name'].includes(whyNotLiteral(value, key))) continue
    const start = starts[i] + head.length + branch.offset + branch.text.indexOf('"') + 1
    const rule = KEY_RULES[cls]
    out.push({ rule, priority: 2, start, end: start + value.length, line: i + 1, message: `${rule.title}: literal branch of a conditional for ${quoteKey(key)}.`, value })
  }
  return out
}

/** How far from its `Default` a parameter's name and `NoEcho` are looked for, in lines. */
const PARAMETER_SPAN = 40
const DEFAULT_LINE = /^(\s*)("?)Default\2\s*:\s*/
const KEY_LINE = /^([ \t]*)"?([A-Za-z0-9_.-]{1,200})"?[ \t]*:[ \t]*(?:\{[ \t]*)?$/

/**
 * CloudFormation `Parameters: { DbPassword: { NoEcho: true, Default: … } }` in YAML or JSON:
 * a `Default` whose parameter is named like a secret or declared `NoEcho`.
 */
function parameterDefaultCandidates(content: string, starts: number[], lines: readonly string[]): Candidate[] {
  if (!/\bDefault"?\s*:/.test(content)) return []
  const indent = (l: string) => /^\s*/.exec(l)?.[0].length ?? 0
  const out: Candidate[] = []
  lines.forEach((line, i) => {
    const d = DEFAULT_LINE.exec(line)
    if (!d) return
    const own = d[1].length
    // The parameter: the nearest line above with less indentation, holding only a key. A
    // parameter's properties are a handful of lines, so both walks are bounded.
    let p = i - 1
    while (p >= 0 && i - p <= PARAMETER_SPAN && (lines[p].trim() === '' || indent(lines[p]) >= own)) p--
    const parent = p >= 0 && i - p <= PARAMETER_SPAN ? KEY_LINE.exec(lines[p]) : null
    if (!parent) return
    // Its siblings: the lines between the parameter and the next line as shallow as it.
    let q = p + 1
    while (q < lines.length && q - p <= PARAMETER_SPAN && (lines[q].trim() === '' || indent(lines[q]) > indent(lines[p]))) q++
    const siblings = lines.slice(p + 1, q).filter((l) => indent(l) === own)
    const noEcho = siblings.some((l) => /^"?NoEcho"?[ \t]*:[ \t]*["']?true["']?[ \t]*,?$/i.test(l.trim()))
    const name = parent[2]
    const cls = classifyKey(name) ?? (noEcho ? 'secret' : undefined)
    if (!cls) return
    const rest = line.slice(d[0].length)
    const value = scalarDefault(rest)
    if (!value || whyNotLiteral(value, name) !== undefined || (cls === 'weak' && (!looksRandom(value) || namesAKeyResource(value)))) return
    const start = starts[i] + d[0].length + rest.indexOf(value)
    const rule = KEY_RULES[cls]
    const trustStore = namesTrustStorePassword(name)
    out.push({ rule, priority: 2, start, end: start + value.length, line: i + 1, message: `${rule.title}: literal default for parameter ${quoteKey(name)}${trustStore ? `, ${TRUSTSTORE}` : ''}.`, value, ...(trustStore ? { severity: 'low' as const } : {}) })
  })
  return out
}

/**
 * A parameter default as written: a quoted string, or plain text up to a comment or comma. The
 * plain form is cut by string search (one expression with a lazy run and trailing blanks was
 * quadratic on a long run of tabs).
 */
function scalarDefault(rest: string): string {
  const quoted = /^(["'])((?:(?!\1)[^\n]){1,1000})\1/.exec(rest)
  if (quoted) return (quoted[2] ?? '').trim()
  if (rest === '' || /^[\s#,"'{[]/.test(rest)) return ''
  const stop = rest.search(/[#,\n]/)
  const plain = (stop < 0 ? rest : rest.slice(0, stop)).trimEnd()
  return plain.length <= 1000 ? plain.trim() : ''
}

// ── Kubernetes Secret manifests ───────────────────────────────────────────────────────────────

const SECRET_KIND = /^kind:\s*["']?Secret["']?\s*(?:#.*)?$/m
const DATA_KEY = /^(data|stringData):\s*(?:#.*)?$/

/** A `data` value decoded from base64, or the value itself when it is not base64 text. */
function decodedText(value: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return value
  const decoded = Buffer.from(value, 'base64').toString('utf8')
  return /^[\x20-\x7e\s]*$/.test(decoded) ? decoded : value
}

/** A `data` value decodes to a placeholder (`cGFzc3dvcmQ=` is "password"): not a committed secret. */
function decodedPlaceholder(value: string, key: string): boolean {
  const decoded = decodedText(value)
  return decoded !== value && whyNotLiteral(decoded, key) !== undefined
}

interface SecretData {
  candidates: Candidate[]
  /** Every line (1-based) of the data sections' values, reported or not. */
  lines: Set<number>
}

/** Values under `data:`/`stringData:` of each `kind: Secret` document. */
function k8sSecretDataCandidates(content: string, starts: number[], lines: readonly string[]): SecretData {
  const out: SecretData = { candidates: [], lines: new Set() }
  if (!SECRET_KIND.test(content)) return out
  let docStart = 0
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !/^---/.test(lines[i])) continue
    const doc = lines.slice(docStart, i)
    if (doc.some((l) => SECRET_KIND.test(l))) secretDataOf(doc, docStart, starts, out)
    docStart = i + 1
  }
  return out
}

/** One-line entry of a Secret's `data`/`stringData`: its key and its text (decoded where base64 of text). */
interface SecretEntry {
  key: string
  plain: string
}

/**
 * The one-line entries of a Secret document's data sections, at each section's own indentation
 * (the lines of a block value are not entries): what an entry is compared with.
 */
function secretEntries(doc: readonly string[]): SecretEntry[] {
  const out: SecretEntry[] = []
  let encoded: boolean | undefined
  let indent: number | undefined
  for (const line of doc) {
    const section = DATA_KEY.exec(line)
    if (section) {
      encoded = section[1] === 'data'
      indent = undefined
      continue
    }
    if (encoded === undefined || line.trim() === '' || line.trim().startsWith('#')) continue
    if (!/^\s/.test(line)) {
      encoded = undefined
      continue
    }
    const kv = /^([ \t]+)([^\s:#][^:#]{0,200}):[ \t]*(.*)/.exec(line)
    if (!kv) continue
    indent ??= kv[1].length
    if (kv[1].length !== indent) continue
    const value = scalarValue(kv[3])
    if (value) out.push({ key: kv[2].trimEnd(), plain: encoded ? decodedText(value) : value })
  }
  return out
}

function secretDataOf(doc: string[], first: number, starts: number[], found: SecretData): void {
  const out = found.candidates
  // Read on first use: most Secrets hold no entry that needs its neighbours.
  let entries: SecretEntry[] | undefined
  const siblings = (): SecretEntry[] => (entries ??= secretEntries(doc))
  for (let i = 0; i < doc.length; i++) {
    const section = DATA_KEY.exec(doc[i])
    if (!section) continue
    const encoded = section[1] === 'data'
    for (let j = i + 1; j < doc.length; j++) {
      const line = doc[j]
      // Comments, and lines of Go-template code only (`{{- range … }}`, `{{- $cert := genSignedCert … }}`):
      // never an entry, wherever indented. `{{ .Release.Name }}.key: <literal>` still is one.
      const trimmed = line.trim()
      if (trimmed === '' || trimmed.startsWith('#') || (trimmed.startsWith('{{') && trimmed.endsWith('}}'))) continue
      if (!/^\s/.test(line)) break
      const kv = /^([ \t]+)([^\s:#][^:#]{0,200}):[ \t]*(.*)/.exec(line)
      if (!kv) continue
      const [, ind, rawKey, rest] = kv
      const key = rawKey.trimEnd()
      const lineIndex = first + j
      found.lines.add(lineIndex + 1)
      const identity = namesIdentityOrAddress(key)
      if (/^[|>]/.test(rest)) {
        // A block scalar: every deeper line is part of the value.
        let k = j + 1
        while (k < doc.length && (doc[k].trim() === '' || (/^\s*/.exec(doc[k])?.[0].length ?? 0) > ind.length)) k++
        const body = doc.slice(j + 1, k)
        for (let b = lineIndex + 1; b <= first + k; b++) found.lines.add(b)
        const text = body.join('\n')
        if (!identity && literalBlock(key, body) && !holdsOnlyPublicMaterial(key, text) && !holdsOnlySampleKeys(text)) {
          const start = starts[lineIndex + 1]
          const end = starts[first + k - 1] + doc[k - 1].length
          out.push({ rule: K8S_SECRET_DATA_RULE, priority: 1, start, end, line: lineIndex + 1, endLine: first + k, message: `Secret \`${section[1]}\` entry ${quoteKey(key)} holds a literal value.`, value: body.join('\n') })
        }
        j = k - 1
        continue
      }
      const value = scalarValue(rest)
      if (!value || (value.length < 4 && !encoded)) continue
      const plain = encoded ? decodedText(value) : value
      // `root_password: password` under `data`: plain text where base64 belongs (it decodes to
      // bytes no one typed), so the text as written is judged, as under `stringData`. A password
      // everyone tries first is reported (medium) even where a stand-in word would be passed over.
      const asWritten = !encoded || plain === value
      const wellKnownWord = namesCredential(key) && isWellKnownPassword(plain)
      if (whyNotLiteral(value, key) === 'reference' || (asWritten ? whyNotLiteral(value, key) !== undefined && !wellKnownWord : decodedPlaceholder(value, key))) continue
      // `accesskey: minio` beside `secretkey: …`: the access key id, the login half of the pair
      // (the secret key is reported on its own). An AWS access key id is reported by its own rule too.
      // Only the secret key of the same store pairs (`S3_ACCESS_KEY` with `S3_SECRET_KEY`, not
      // `AZURE_STORAGE_ACCESS_KEY`), and a random-looking id needs a literal partner: beside a
      // `${VAR}` it may be the secret itself; `S3_SECRET_ACCESS_KEY` is the secret half, never its own partner.
      // A long random value (an Azure account key) is a key whatever its name.
      const store = accessKeyIdStore(key)
      const randomId = looksRandom(plain)
      const accessKeyId =
        store !== undefined &&
        !AWS_KEY_ID_START.test(plain) &&
        !(randomId && plain.length >= 30) &&
        siblings().some((e) => namesSecretKeyOf(e.key, store) && (!randomId || whyNotLiteral(e.plain, e.key) === undefined))
      // An entry named like a setting (`audience`, `mode`) holds a secret only when its value looks
      // like one; a URL entry (`issuerUrl`) only when the URL carries a credential. Such entries,
      // and those that hold who or where, are still masked in everything Preflight prints.
      // A setting (`token-type: Bearer`) holds a secret only when its value looks random; a
      // certificate or public key (`server.crt`, `ca.pem` without a private key) is public.
      const credential =
        !identity &&
        !accessKeyId &&
        !holdsOnlyPublicMaterial(key, plain) &&
        // `url: git@github.com:org/repo.git` (an Argo CD repository Secret): an SSH address names no password.
        !(/(?:url|uri)$/i.test(key) && ((plain.includes('://') && !carriesCredential(plain)) || /^[\w.-]{1,64}@[\w.-]{1,253}:[\w./~-]{1,300}$/.test(plain))) &&
        (namesSetting(key) ? looksRandom(plain) : namesCredential(key) || /\.(?:key|pem|p12|pfx|jks|json)$/i.test(key) || looksRandom(plain))
      const start = starts[lineIndex] + line.indexOf(value, ind.length + key.length)
      // `minio123`, `admin`: a default anyone tries first, written into a Secret as anywhere else.
      const wellKnown = credential && isGuessableDefault(plain, classifyKey(key) === 'password')
      // `POSTGRES_PASSWORD` equal to `POSTGRES_USER` or `POSTGRES_DB` of the same Secret: a default login.
      const login = credential && !wellKnown ? loginBeside(key, plain, siblings().map((e) => ({ key: e.key, value: e.plain }))) : undefined
      const why = wellKnown ? WELL_KNOWN_DEFAULT : login ? `the same as ${quoteKey(login)} beside it (a default login)` : undefined
      const message = `Secret \`${section[1]}\` entry ${quoteKey(key)} holds a literal value${why ? `, ${why}` : ''}.`
      out.push({ rule: K8S_SECRET_DATA_RULE, priority: 1, start, end: start + value.length, line: lineIndex + 1, message, value, ...(credential ? {} : { locateOnly: true as const }), ...(why ? { severity: 'medium' as const } : {}) })
    }
  }
}

/**
 * A Secret entry that holds only public material: PEM certificates or public keys, or a
 * `.crt`/`.cer`/`.pem`/`.pub` entry with no private key in it.
 */
function holdsOnlyPublicMaterial(key: string, text: string): boolean {
  if (text.includes('PRIVATE KEY')) return false
  return text.includes('-----BEGIN ') || /\.(?:crt|cer|pem|pub)$/i.test(key)
}

/** An entry whose private keys are all shortened or made up (see `couldBeWholeKey`): a sample, not a key. */
function holdsOnlySampleKeys(text: string): boolean {
  if (!text.includes('PRIVATE KEY')) return false
  const blocks = [...matchesOf(PRIVATE_KEY, text)].map((m) => m[0])
  const rest = blocks.reduce((t, b) => t.replace(b, ''), text)
  return blocks.length > 0 && rest.trim() === '' && blocks.every((b) => !couldBeWholeKey(b))
}

/** A whole line naming where a secrets manager keeps a secret (1Password, Vault, AWS, Google, Azure). */
const SECRET_MANAGER_URI = /^(?:op:\/\/[^\s/]+\/[^\s/]+\/\S+|vault:[\w./-]+(?:#\w+)?|arn:aws[\w-]*:(?:secretsmanager|ssm):\S+|projects\/[^/\s]+\/secrets\/\S+|https:\/\/[\w-]+\.vault\.azure\.net\/secrets\/\S+)$/

/**
 * Whether a block value of a Secret is literal. An entry named like a credential (`password`,
 * `tls.key`), a private key, or one random-looking line is. A config file (`roles.yml`,
 * `pipeline.conf`), templated from chart values or not, is literal only where one of its own
 * `key=value`, `key: value` or `key => value` lines sets a credential-named key to a literal.
 */
function literalBlock(key: string, body: string[]): boolean {
  const filled = body.filter((l) => l.trim() !== '')
  if (filled.length === 0) return false
  // `token: |-` then `op://vault/item/field`: a reference a secrets manager's injector resolves.
  if (filled.every((l) => SECRET_MANAGER_URI.test(l.trim()))) return false
  const templated = filled.some((l) => /\{\{|\$\{/.test(l))
  if (!templated) {
    if (namesCredential(key) || /\.(?:key|p12|pfx|jks|keystore)$/i.test(key) || filled.some((l) => l.includes('PRIVATE KEY'))) return true
    if (filled.length === 1 && looksRandom(filled[0].trim())) return true
  }
  return filled.some((l) => {
    // `password=…`, `password: …`, `"password": "…"` (JSON), `password => "…"` (Logstash), `<password>…</password>` (XML).
    const kv = /^\s*["']?([A-Za-z_][\w.-]{0,100})["']?\s*(?:=>|[=:])\s*(\S.{0,500})$/.exec(l) ?? /^\s*<([A-Za-z_][\w.-]{0,100})>([^<]{1,500})<\/[\w.-]{1,100}>/.exec(l)
    if (kv === null || classifyKey(kv[1]) === undefined) return false
    const value = kv[2].trim().replace(/,$/, '').replace(/^(["'])(.*)\1$/, '$2')
    // A base64 value that decodes to a stand-in (`ZXhhbXBsZS1zZWNyZXQ=` is "example-secret") is one too.
    return !/\{\{|\$\{/.test(value) && whyNotLiteral(value, kv[1]) === undefined && !decodedPlaceholder(value, kv[1])
  })
}

// ── literal values under secret-named keys ───────────────────────────────────────────────────

const MAYBE_SECRET_KEY = /pass|pw|secret|token|key|credential|conn|user|phrase/i

function isUserData(key: string): boolean {
  const w = keyWords(key)
  return w.includes('user') && w.includes('data')
}

/** A name in words: snake, kebab or dotted lower case, camelCase (digits only last), or upper snake case (digits only as a whole part). */
const KEY_NAME = /^(?:[a-z]{2,}(?:[-_.](?:[a-z]{2,}|\d{1,4}))*|[a-z]{2,}(?:[A-Z][a-z]{2,})*\d{0,4}|[A-Z]{2,}(?:_(?:[A-Z]{2,}|\d{1,4}))+)$/
/** A Secret's key as an ExternalSecret names it: a name in words, or at least nothing random. */
const isKeyName = (v: string): boolean => /^[A-Za-z0-9._-]{1,253}$/.test(v) && (KEY_NAME.test(v) || !looksRandom(v))
/** External Secrets Operator objects, in a manifest or a script that builds one: their `secretKey` names a key of the Secret they write. */
const EXTERNAL_SECRETS_API = /^[ \t]*["']?apiVersion["']?:\s*["']?(?:[\w-]+\.)?external-secrets\.io\//m


/**
 * A JSX attribute's expression (`token={page?.createdAt?.getTime().toString()}`,
 * `clientSecret={result.data?.clientSecret || null}`): code from an identifier on, with no quote
 * or backtick, so no literal inside (`token={"sk_live_…"}` keeps its finding).
 */
const JSX_EXPRESSION = /^\{[A-Za-z_$][^{}"'`\n]{0,200}\}$/
/**
 * A JSX handler, an arrow function (`hideJWTToken={() => setToken('')}`): code as above, where an
 * empty string is no literal but any quoted text keeps the finding (`{() => login("hunter2x")}`).
 */
// The body's class takes the blanks after `=>` too: a `[ \t]*` there would try every split of them.
const JSX_ARROW = /^\{(?:async[ \t]+)?(?:\([^(){}"'`\n]{0,100}\)|[A-Za-z_$][\w$]{0,40})[ \t]*=>[^{}"'`\n]{1,200}\}$/
/** `setApiKey={(key) => {`: a JSX handler whose body opens a block that goes on over the next lines. */
const JSX_ARROW_BLOCK = /^\{(?:async[ \t]+)?(?:\([^(){}"'`\n]{0,100}\)|[A-Za-z_$][\w$]{0,40})[ \t]*=>[ \t]*\{$/
/** `value` without its empty strings (`|| ''`), which no literal is. */
const withoutEmptyStrings = (value: string): string => value.replace(/''|""/g, '')
const isJsxArrow = (value: string): boolean => JSX_ARROW.test(withoutEmptyStrings(value)) || JSX_ARROW_BLOCK.test(value)

/**
 * A keyword argument of a call or signature rather than a string: `token=hf_token)`,
 * `credentials=credentials, client_info=…`, `key=None, other=None):`, and in source code any
 * unquoted name (`auth_client_secret=auth_config`).
 */
function isKeywordArgument(value: string, content: string, a: Assignment, code: boolean): boolean {
  const unquoted = !/["']/.test(content[a.start - 1] ?? '')
  if (!unquoted) return false
  if (/^[A-Za-z_][\w.]*\)+[,:;]?$/.test(value) || /^[A-Za-z_][\w.]*,\s*[A-Za-z_]\w*=/.test(value)) return true
  // `api_key=str(PAGERDUTY_API_KEY), from_email=…`: in code, a call on a name, then the next keyword argument.
  if (code && /^[A-Za-z_][\w.]*\([A-Za-z_][\w.]{0,100}\),\s*[A-Za-z_]\w*=/.test(value)) return true
  // `SecretString=json.dumps({`: in code, a call whose arguments go on over the next lines.
  if (code && /^[A-Za-z_][\w.]{0,100}\([[{(]{0,3}$/.test(value)) return true
  // `apiKey={props.apiKey}`: a JSX attribute's expression, perhaps with an empty string as its fallback (`|| ''`).
  // `password=config['db_password'])`: code closing the call it is passed to.
  return code && (/^[A-Za-z_][\w.]*[,;)]?$/.test(value) || JSX_EXPRESSION.test(withoutEmptyStrings(value)) || isJsxArrow(value) || isCodeExpression(value) || (value.endsWith(')') && whyNotLiteral(withoutUnmatchedClose(value), a.key) === 'code'))
}

/** An operand of a boolean expression in code: a name, a call with short arguments, an empty string, a null. */
const CODE_OPERAND = /^(?:[A-Za-z_$][\w$.]{0,200}(?:\([^()\n]{0,100}\))?|""|''|None|null|nil|undefined)$/

/**
 * Code in the value of a keyword argument: a Python lambda (`token_generator=lambda x: …`) or
 * names and calls joined by boolean operators (`aws_secret_access_key or DEFAULT_KEY`,
 * `get_api_key() or ""`, `a || b`).
 */
function isCodeExpression(value: string): boolean {
  if (/^lambda\b[\w\s,*=]{0,100}:/.test(value)) return true
  let end = value.length
  while (end > 0 && ',;'.includes(value[end - 1]!)) end--
  // `(config.get("password") or None)`: the whole expression in brackets.
  let start = 0
  if (value[0] === '(' && value[end - 1] === ')') {
    start = 1
    end--
  }
  // Operands and operators alternate once the symbolic operators are spelled as words (split on
  // single blanks: a run of blanks gives empty tokens, dropped, so no pattern can backtrack).
  const tokens = value
    .slice(start, end)
    .split('||').join(' or ')
    .split('&&').join(' and ')
    .split('??').join(' or ')
    .split(/\s/)
    .filter((t) => t !== '')
  if (tokens.length < 3 || tokens.length % 2 === 0) return false
  // The last operand may close the call the argument is passed to: `f(key=a or b)`.
  const operand = (t: string, last: boolean): boolean => CODE_OPERAND.test(t) || (last && t.endsWith(')') && CODE_OPERAND.test(withoutUnmatchedClose(t)))
  return tokens.every((t, i) => (i % 2 === 1 ? t === 'or' || t === 'and' : operand(t, i === tokens.length - 1)))
}

/** `b())` → `b()`: closing brackets past those the text opens. */
function withoutUnmatchedClose(t: string): string {
  let depth = 0
  for (const ch of t) depth += ch === '(' ? 1 : ch === ')' ? -1 : 0
  let end = t.length
  while (depth < 0 && t[end - 1] === ')') {
    end--
    depth++
  }
  return t.slice(0, end)
}

/**
 * NGINX's `action: { pass: coffee }` (a VirtualServer route, and the controller's Go structs):
 * `pass` names the upstream a request goes to, a word, under an `action` a few lines up.
 */
function passesToUpstream(a: Assignment, value: string, lines: readonly string[]): boolean {
  if (!/^pass$/i.test(a.key) || !/^[A-Za-z][\w.-]{0,100}$/.test(value)) return false
  return lines.slice(Math.max(0, a.line - 4), a.line - 1).some((l) => /\baction\b/i.test(l))
}

/** A Kubernetes object name of two or more parts (DNS labels joined by `-` or `.`). */
const OBJECT_NAME = /^[a-z0-9]{1,63}(?:[-.][a-z0-9]{1,63}){1,8}$/
/** A comment saying the value is a Secret object's name (`defines the secret name that contains …`, `Secret name for …`). */
const SECRET_NAME_COMMENT = /\bsecret[ -]name\b/i
/** `clientRootSecret`: two or more words, the last `secret` (a bare `secret` is the value itself). */
const namesSecretByWords = (words: readonly string[]): boolean => words.length >= 2 && words[words.length - 1] === 'secret'

/** The comment (`#` or `//`) on the line directly above 1-based `line`, or ''. */
function commentAbove(lines: readonly string[], line: number): string {
  return /^\s*(?:#|\/\/)\s?(.*)$/.exec(lines[line - 2] ?? '')?.[1] ?? ''
}

/**
 * Keys a web page publishes by design, in every page it serves: Algolia DocSearch's `apiKey` (or
 * a key named for a documentation site's search) beside its `appId` and `indexName` (a search-only key), and the `token` of Cloudflare Web
 * Analytics' `data-cf-beacon` attribute (it names the site, it grants nothing).
 */
function isPublicByDesign(a: Assignment, lines: readonly string[]): boolean {
  if (a.key === 'token') return /\bdata-cf-beacon\b/.test(lines[a.line - 1] ?? '')
  // `apiKey`, or a search key by name (`docs_search_api_key` in a Hugo site's settings) beside its own
  // app id and index name: not an `ALGOLIA_API_KEY`, which may be the admin key that writes the index.
  if (a.key === 'apiKey') {
    const near = linesNear(lines, a.line).join('\n')
    return /\bappId\b/.test(near) && /\bindexName\b/.test(near)
  }
  const words = keyWords(a.key)
  if (!isDocSearchKeyName(words)) return false
  const near = linesNear(lines, a.line).map((l) => keyWords(/^[ \t]*["']?([\w.-]{1,80})["']?[ \t]*[:=]/.exec(l)?.[1] ?? '').join(' '))
  return near.some((k) => /^(?:(?:algolia|docsearch|docs search) )?app id$/.test(k)) && near.some((k) => /^(?:(?:algolia|docsearch|docs search) )?index name$/.test(k))
}

/**
 * `docs_search_api_key`, `docsearch_api_key`, `ALGOLIA_SEARCH_API_KEY`, and only these names: the
 * search-only key of a documentation site's search. Any other word (`AZURE_DOCS_SEARCH_API_KEY`,
 * `docsearch_crawler_api_key`, `algolia_search_private_api_key`) may name a key that writes.
 */
function isDocSearchKeyName(words: readonly string[]): boolean {
  return /^(?:docs search|docsearch|algolia search) api key$/.test(words.join(' '))
}

/** The `Password=` (or `Pwd=`) part of a `Key=Value;` connection string. */
const CONNECTION_PASSWORD = /(?:^|;)[ \t]*(?:password|pwd)[ \t]*=([^;]*)/i

/** A password, secret or key in a chart's values file that no generator made: the default every install gets unless it sets its own. */
function isChartDefault(file: Pick<SourceFile, 'path' | 'kind'>, password: string): boolean {
  return file.kind === 'helm' && /(?:^|\/)values\.ya?ml$/.test(file.path) && !looksRandom(password)
}

/**
 * Why a literal under a secret key is a default or stand-in rather than a chosen secret (reported
 * as medium, saying so): a password everyone tries first, a chart's non-random default password, secret or key,
 * a workflow's password made of words and a number (alone or in a connection string), a login key's
 * `user:password` that repeats a typed user name, or an AWS-named secret that cannot be an AWS key.
 */
function whyDefaultValue(cls: SecretKeyClass, value: string, keyWordList: string[], file: Pick<SourceFile, 'path' | 'kind'>): string | undefined {
  // `adminPassword: admin`, `secretKey: minio123` (MinIO's documented root password), `JWT_SECRET: admin`.
  if ((cls === 'password' || cls === 'secret' || cls === 'api-key' || cls === 'token') && isGuessableDefault(value, cls === 'password')) return WELL_KNOWN_DEFAULT
  // Only where the value is a login (`credentials`, `auth`): under a password's or token's key the whole value is the secret.
  if ((cls === 'secret' || cls === 'connection-string') && repeatsLogin(keyWordList, value)) return `${REPEATED_LOGIN} (medium)`
  // A secret key (`secret_key: sentry` in `sentry/config.yml`) that names the product is as much a default as a password.
  if ((cls === 'password' || cls === 'secret') && isProductName(value, file.path)) return PRODUCT_DEFAULT
  if (cls === 'password' && isChartDefault(file, value)) return CHART_DEFAULT
  // A secret or key default (`secretKey: supersecret`) is the same shared default. A provider-shaped
  // token there is reported critical by its own token rule, which outranks this one.
  if ((cls === 'secret' || cls === 'api-key') && isChartDefault(file, value)) return CHART_DEFAULT
  if (cls === 'connection-string') {
    const password = CONNECTION_PASSWORD.exec(value)?.[1]?.trim() ?? URL_PASSWORD.exec(value)?.groups?.urlPass
    if (password !== undefined && isChartDefault(file, password)) return CHART_DEFAULT
    if (password !== undefined && file.kind === 'workflow' && isWordsAndNumber(password)) {
      return `whose password is ${/\d/.test(password) ? 'words and a number' : 'words'}, not a generated secret: in a workflow most likely for a database the run starts (medium)`
    }
  }
  if (cls === 'password' && file.kind === 'workflow' && isWordsAndNumber(value)) {
    return 'words and a number, not a generated secret: in a workflow most likely for a service the run starts (medium)'
  }
  if (keyWordList.includes('aws') && keyWordList.includes('secret') && value.length !== 40) {
    return 'not shaped like an AWS secret access key (always 40 characters): the login of an S3-compatible store such as MinIO, or a stand-in (medium)'
  }
  return undefined
}

/** Why a password or secret that is the name of the product whose files hold it is medium. */
const PRODUCT_DEFAULT = productDefault('the product these files configure')

/** Why a temporary password (Cognito's `TemporaryPassword`, `--temporary-password`) is low. */
const TEMPORARY_PASSWORD = 'a temporary password, which the user must change at first sign-in (low)'

/** `TemporaryPassword`, `temporary_password`: the password a new user must replace when first signing in. */
function isTemporaryPassword(words: readonly string[]): boolean {
  return words.length === 2 && words[0] === 'temporary' && words[1] === 'password'
}

/** Why a truststore's password is low. */
const TRUSTSTORE = 'the password of a truststore, which holds public CA certificates: it guards their integrity, it keeps nothing secret (low)'

/** How many lines apart a key and a sibling that explains it (`…SecretName`, `appId`, the login) may sit. */
const SIBLING_SPAN = 8

/** The lines within SIBLING_SPAN of a 1-based line. */
function linesNear(lines: readonly string[], line: number): string[] {
  return lines.slice(Math.max(0, line - 1 - SIBLING_SPAN), line + SIBLING_SPAN)
}

/**
 * `clusterSecretKey: cluster` beside `clusterSecretName`, or `secretKey: license` beside
 * `secretName:`: the key to read inside the named Secret, a word, not the secret itself. A bare
 * `secretKey` without a `secretName` (MinIO's) is a secret.
 */
function namesKeyOfNamedSecret(a: Assignment, value: string, lines: readonly string[]): boolean {
  const m = /^(\w*secret[-_]?)(key)$/i.exec(a.key)
  if (!m || looksRandom(value) || !/^[\w.-]{1,100}$/.test(value)) return false
  const sibling = `${m[1]}${m[2] === 'Key' ? 'Name' : m[2] === 'KEY' ? 'NAME' : 'name'}`
  const near = linesNear(lines, a.line)
  if (!/^secret[-_]?$/i.test(m[1])) return near.some((l) => l.includes(sibling))
  // A bare `secretKey` pairs only with a `secretName` key of its own line (`existingSecretName` is
  // another pair), and names a key only in words (`license`, `tls.crt`): `warehouse2024` is a password.
  if (!/^[A-Za-z][A-Za-z._-]*$/.test(value)) return false
  const siblingKey = new RegExp(`^\\s*(?:-\\s+)?["']?${sibling.replace(/\W/g, '\\$&')}["']?\\s*[:=]`)
  return near.some((l) => siblingKey.test(l))
}

/** The key a line assigns (`key: …`, `- KEY=…`, `export KEY=…`, `"key": …`, `key = …`), if any. */
const LINE_KEY = /^\s*(?:-\s+)?["']?(?:export\s+)?([A-Za-z_][\w.-]{0,200})["']?\s*[:=]/

/**
 * Whether an access key's mapping also holds a secret key: the lines around it at its own
 * indentation, up to a line indented less (the parent) or a document break; in env-style files
 * (`.env`, scripts, Dockerfiles), whose blocks are not indented, up to a blank line.
 */
function pairsWithSecretKey(a: Assignment, lines: readonly string[], dialect: string): boolean {
  if (!namesAccessKey(a.key)) return false
  const at = a.line - 1
  const indentOf = (text: string): number => text.length - text.trimStart().length
  const own = indentOf(lines[at] ?? '')
  const blankEnds = dialect === 'env' || dialect === 'dockerfile' || dialect === 'text'
  const sibling = (i: number): boolean | undefined => {
    const text = lines[i]!
    if (text.trim() === '') return blankEnds ? undefined : false
    if (text.trimStart().startsWith('#')) return false
    if (/^(?:---|\.\.\.)\s*$/.test(text) || indentOf(text) < own) return undefined
    if (indentOf(text) > own) return false
    const key = LINE_KEY.exec(text)?.[1]
    return key !== undefined && namesSecretKey(key)
  }
  // Bounded: a mapping's keys sit close together; the pair is within a few dozen lines.
  for (const step of [-1, 1]) {
    for (let i = at + step; i >= 0 && i < lines.length && Math.abs(i - at) <= 40; i += step) {
      const found = sibling(i)
      if (found === undefined) break
      if (found) return true
    }
  }
  return false
}

/** True when line `line` (1-based) sits under `jobs: <job>: services:` of a workflow, read by indentation. */
function inServiceContainer(lines: readonly string[], line: number): boolean {
  const indentOf = (text: string): number => text.length - text.trimStart().length
  let indent = indentOf(lines[line - 1] ?? '')
  const ancestors: string[] = []
  for (let i = line - 2; i >= 0 && indent > 0; i--) {
    const text = lines[i]!
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue
    const own = indentOf(text)
    if (own >= indent) continue
    indent = own
    ancestors.push(text.trim().replace(/^-\s*/, '').split(':')[0]!.trim())
  }
  // Ancestors from the line up: …, `services`, <job id>, `jobs`.
  const at = ancestors.indexOf('services')
  return at >= 0 && ancestors[at + 2] === 'jobs'
}

/** The ISO 639-1 language codes (not `uat`, `dev`, `prd`, `app`, `db`), for files named after a language. */
const LANGUAGE_CODES = [
  'aa', 'ab', 'ae', 'af', 'ak', 'am', 'an', 'ar', 'as', 'av', 'ay', 'az', 'ba', 'be', 'bg', 'bh', 'bi', 'bm',
  'bn', 'bo', 'br', 'bs', 'ca', 'ce', 'ch', 'co', 'cr', 'cs', 'cu', 'cv', 'cy', 'da', 'de', 'dv', 'dz', 'ee',
  'el', 'en', 'eo', 'es', 'et', 'eu', 'fa', 'ff', 'fi', 'fj', 'fo', 'fr', 'fy', 'ga', 'gd', 'gl', 'gn', 'gu',
  'gv', 'ha', 'he', 'hi', 'ho', 'hr', 'ht', 'hu', 'hy', 'hz', 'ia', 'id', 'ie', 'ig', 'ii', 'ik', 'io', 'is',
  'it', 'iu', 'ja', 'jv', 'ka', 'kg', 'ki', 'kj', 'kk', 'kl', 'km', 'kn', 'ko', 'kr', 'ks', 'ku', 'kv', 'kw',
  'ky', 'la', 'lb', 'lg', 'li', 'ln', 'lo', 'lt', 'lu', 'lv', 'mg', 'mh', 'mi', 'mk', 'ml', 'mn', 'mr', 'ms',
  'mt', 'my', 'na', 'nb', 'nd', 'ne', 'ng', 'nl', 'nn', 'no', 'nr', 'nv', 'ny', 'oc', 'oj', 'om', 'or', 'os',
  'pa', 'pi', 'pl', 'ps', 'pt', 'qu', 'rm', 'rn', 'ro', 'ru', 'rw', 'sa', 'sc', 'sd', 'se', 'sg', 'si', 'sk',
  'sl', 'sm', 'sn', 'so', 'sq', 'sr', 'ss', 'st', 'su', 'sv', 'sw', 'ta', 'te', 'tg', 'th', 'ti', 'tk', 'tl',
  'tn', 'to', 'tr', 'ts', 'tt', 'tw', 'ty', 'ug', 'uk', 'ur', 'uz', 've', 'vi', 'vo', 'wa', 'wo', 'xh', 'yi',
  'yo', 'za', 'zh', 'zu'
].join('|')

/** A folder of translations, and a language's tag in a name (`de`, `pt-br`, `zh_Hant`). */
const TRANSLATION_FOLDER = '(?:i18n|l10n|locales?|langs?|translations?)'
const LANGUAGE_TAG = String.raw`(?:${LANGUAGE_CODES})(?:[-_](?:[A-Za-z]{2}|[A-Z][a-z]{3}))?`

/**
 * A user interface's translations (`i18n/lang/de-de-lang.json`, `locales/fr.yaml`,
 * `messages_es.properties`, `messages/en.json`, a file named for a language and region such as
 * `pt-BR.json` or umami's `intl/messages/fr-FR.json`, or code named for a language in such a
 * folder, `i18n/de.ts`; and see `isRailsLocale`): `PASSWORD: "Passwort"` is the label of a
 * field, in words. Named files count only with a language's code: `prd-US.yaml` is an
 * environment's settings, and a bare `ca.json` may be a certificate authority's.
 */
const TRANSLATIONS = new RegExp(
  String.raw`(?:^|\/)${TRANSLATION_FOLDER}\/(?:[^/]+\/)?[^/]+\.(?:json|ya?ml|properties|po|toml)$` +
    String.raw`|(?:^|\/)messages(?:_[a-z]{2}(?:_[A-Za-z]{2})?)?\.properties$` +
    String.raw`|(?:^|\/)messages\/(?:${LANGUAGE_CODES})(?:[-_][A-Z]{2})?\.(?:json|ya?ml)$` +
    String.raw`|(?:^|\/)(?:${LANGUAGE_CODES})[-_][A-Z]{2}\.(?:json|ya?ml|properties|po|toml)$` +
    String.raw`|(?:^|\/)${TRANSLATION_FOLDER}\/(?:[^/]+\/)?${LANGUAGE_TAG}\.[cm]?[jt]sx?$`
)
/** A Rails locale file deeper in `locales/` (`config/locales/views/mfa/en.yml`): see `isRailsLocale`. */
const RAILS_LOCALE_PATH = new RegExp(String.raw`(?:^|\/)locales\/(?:[^/]+\/){1,4}(${LANGUAGE_TAG})\.ya?ml$`)

/** A Rails locale file: under `locales/`, named for its language, whose first key (after comments and a `---`) is that language (`en:`). */
function isRailsLocale(file: Pick<SourceFile, 'path' | 'content'>): boolean {
  const tag = RAILS_LOCALE_PATH.exec(file.path)?.[1]
  if (tag === undefined) return false
  const first = /^(?:(?:---)?[ \t]*(?:#[^\r\n]*)?\r?\n)*["']?([\w-]{2,12})["']?:[ \t]*(?:#[^\r\n]*)?(?:\r?\n|$)/.exec(file.content.slice(0, 2000))
  return first?.[1] === tag
}
/**
 * Code kept in a language's folder of translations (`locales/pt-br/translation/errors.ts`, logto's
 * phrases): its values under a password's key are words (`'Hasło'`, `'Uložit heslo'`). Only such
 * values are passed over there, since `ts/` and `cs/` are also folders of code.
 */
const LANGUAGE_FOLDER = new RegExp(String.raw`(?:^|\/)${TRANSLATION_FOLDER}\/${LANGUAGE_TAG}\/(?:[^/]+\/)*[^/]+\.[cm]?[jt]sx?$`)
/**
 * Words of any script with their punctuation and blanks, no digit, and a blank or a letter beyond
 * ASCII (`Hasło`, `令牌已过期。`, `Uložit heslo`); or a capitalised word, perhaps joined to more by
 * hyphens, perhaps a label's colon after it (`Passwort`, `Palavra-passe`, `Senha:`).
 */
const WORDS_OF_ANY_SCRIPT = /^(?:(?=.*[\s\u3000]|.*\P{ASCII})[\p{L}\p{M}\p{P}\p{Zs}_]{1,300}|[A-Z][a-z]{1,30}(?:-[A-Za-z][a-z]{1,30}){0,3}:?)$/u

/**
 * The commands of an npm manifest's `scripts` (`"change-password": "node scripts/change-password.js"`),
 * by name: a script's name is no secret's. Not a command that sets anything (`PGPASSWORD=… psql`,
 * `--token=…`): the script's own finding is the only one such a command gets.
 */
function npmScripts(path: string, content: string): ReadonlyMap<string, string> {
  if (!/(?:^|\/)package\.json$/.test(path)) return new Map()
  try {
    const scripts: unknown = (JSON.parse(content) as { scripts?: unknown } | null)?.scripts
    if (scripts === null || typeof scripts !== 'object' || Array.isArray(scripts)) return new Map()
    return new Map(Object.entries(scripts).filter((e): e is [string, string] => typeof e[1] === 'string' && !e[1].includes('=')))
  } catch {
    return new Map()
  }
}

/**
 * A table of ISO 3166-2 subdivisions (`"PW-004": "Airai"`, Palau's): keys of that shape name
 * places, though `PW` reads as a password's abbreviation. Only in a file holding at least 20 such
 * keys, so one `DB-PW` setting is still read as a key, and only for a value that reads as a place's
 * name (a capital, then letters, spaces and the like: no digits).
 */
const SUBDIVISION_KEY = /^[A-Z]{2}-[A-Z0-9]{1,3}$/
/**
 * The same for a table of ISO 3166-1 countries by their two-letter code (`PW: "Palau"`), in JSON or
 * in source (`PW: "Palau",`, `PW: "🇵🇼 Palau",` after its flag), where each of the 20 lines counted
 * gives a place's name.
 */
const COUNTRY_KEY = /^(?:[A-Z]{2}|[a-z]{2})$/
const PLACE_NAME = /^(?:\p{Regional_Indicator}{2} )?\p{Lu}[\p{L} .'’()-]{0,60}$/u
/** The lines a table of each kind is counted by. */
const PLACE_TABLE_LINES = {
  subdivisions: /"[A-Z]{2}-[A-Z0-9]{1,3}"[ \t]*:/g,
  countries: /^[ \t]*["']?(?:[A-Z]{2}|[a-z]{2})["']?[ \t]*:[ \t]*["'](?:\p{Regional_Indicator}{2} )?\p{Lu}[\p{L} .'’()-]{0,60}["']/gmu
}
const isPlaceTable = (content: string, kind: keyof typeof PLACE_TABLE_LINES): boolean => (content.match(PLACE_TABLE_LINES[kind])?.length ?? 0) >= 20

/**
 * The key of the block mapping a YAML line sits in: the nearest line above with less indentation
 * that opens a key (`labels:`), or undefined at the top or past a line that is no such key.
 */
function parentKeyOf(lines: readonly string[], index: number): string | undefined {
  const indent = (l: string) => l.length - l.trimStart().length
  const own = indent(lines[index] ?? '')
  for (let i = index - 1; i >= 0 && index - i <= 200; i--) {
    const line = lines[i]
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue
    if (indent(line) >= own) continue
    return /^[ \t]*(?:-[ \t]+)?["']?([\w.-]{1,80})["']?[ \t]*:[ \t]*$/.exec(line)?.[1]
  }
  return undefined
}

/**
 * Terraform blocks whose `secret` argument is a Secret Manager secret's id, not its value (the value
 * is `secret_data`): Google's secret version resources and data sources, and where Cloud Run and
 * Cloud Functions read one (`secret_key_ref`, `secret_environment_variables`, `secret_volumes`). Not
 * a block named `secret` (Cloud Run's volume): other providers' `secret` blocks hold values.
 */
const SECRET_ID_BLOCK = /^(?:google_secret_manager_(?:regional_)?secret_version(?:_access)?|secret_key_ref|secret_environment_variables|secret_volumes)$/
/** A Secret Manager secret's id: letters, digits, `-` and `_`. */
const SECRET_MANAGER_ID = /^[A-Za-z0-9_-]{1,255}$/

/**
 * The type of the Terraform block the line at `index` sits in (`google_secret_manager_secret_version`
 * for `data "google_secret_manager_secret_version" "x" {`, `secret_key_ref` for a nested block), read
 * back over at most 200 lines by counting braces, or undefined.
 */
function hclBlockAbove(lines: readonly string[], index: number): string | undefined {
  let depth = 0
  for (let i = index - 1; i >= 0 && index - i <= 200; i--) {
    const line = lines[i]!
    for (let c = line.length - 1; c >= 0; c--) {
      if (line[c] === '}') depth++
      else if (line[c] === '{' && --depth < 0) return /^[ \t]*(?:(?:resource|data)[ \t]+"([\w-]{1,100})"|([\w-]{1,100}))[ \t]*(?:"[^"\n]{0,200}"[ \t]*)*\{/.exec(line)?.slice(1).find((t) => t !== undefined)
    }
  }
  return undefined
}

/** A Rails view or view helper: a template (`.erb`, `.haml`, `.slim`), or Ruby under `app/views`, `app/helpers` or `app/components`. */
function isRailsView(path: string): boolean {
  return /\.(?:erb|haml|slim)$/.test(path) || (path.endsWith('.rb') && /(?:^|\/)app\/(?:views|helpers|components)\//.test(path))
}

/**
 * Whether 1-based `line` sits in a view helper's `data: { … }` hash that opens on it or at most five
 * lines above it, still open there (no `}` after its `{` on the lines between).
 */
function inDataAttributes(lines: readonly string[], line: number): boolean {
  for (let i = line - 1; i >= 0 && line - 1 - i <= 5; i--) {
    const text = lines[i]!
    const open = /\bdata:[ \t]*\{/.exec(text)
    if (open) return i === line - 1 || !text.includes('}', open.index)
    if (text.includes('}')) return false
  }
  return false
}

/** A Bitnami SealedSecret manifest, and the shape of its sealed values (Base64 of a version byte 0x02 and more). */
const SEALED_SECRET = /^kind:[ \t]*["']?SealedSecret["']?[ \t]*$/m
const SEALED_VALUE = /^Ag[A-Za-z0-9+/]{100,}={0,2}$/

function assignmentCandidates(
  content: string,
  file: SourceFile,
  starts: number[],
  lines: readonly string[],
  dialect: Dialect,
  besideMadeUpKeyIdOnly: (line: number) => boolean,
  foreignKeyIdNear?: (line: number, secretName: string | undefined) => string | undefined
): Candidate[] {
  const out: Candidate[] = []
  // Credential shapes are still looked for in them (patternCandidates); key names mean nothing there.
  if (TRANSLATIONS.test(file.path) || isRailsLocale(file)) return out
  const code = SOURCE_CODE_FILE.test(file.path)
  // Every key below is text of the file as written (a decoded escape aside), and the loop keeps only
  // keys holding one of MAYBE_SECRET_KEY's words: a file with neither has nothing to extract.
  if (!MAYBE_SECRET_KEY.test(content) && !content.includes('\\')) return out
  const keyNames = EXTERNAL_SECRETS_API.test(content)
  // A SealedSecret's `encryptedData` is ciphertext only the cluster's controller opens: made to be committed.
  const sealed = SEALED_SECRET.test(content)
  const inLanguageFolder = LANGUAGE_FOLDER.test(file.path)
  // Read only once a key that may name a secret comes up: most files have none.
  const scripts = once(() => npmScripts(file.path, content))
  const placeTables = { subdivisions: once(() => isPlaceTable(content, 'subdivisions')), countries: once(() => isPlaceTable(content, 'countries')) }
  const assignments = extractAssignments(content, dialect, starts, lines)
  // Logins written beside their password (`DB_USERNAME=penpot`, `AWS_ACCESS_KEY_ID=app-dev`).
  let identities: Assignment[] | undefined
  for (const a of assignments) {
    // Cheap test first: most keys contain none of the words a secret-named key needs.
    if (!MAYBE_SECRET_KEY.test(a.key)) continue
    // Only a key's name (`restic_s3_bucket`, `github_app_installation_id`, `dbPassword`): a random value
    // under `secretKey` is a store's secret key (MinIO's, S3's) even there.
    if (keyNames && a.key === 'secretKey' && isKeyName(a.value.trim())) continue
    if (scripts().get(a.key) === a.value || (PLACE_NAME.test(a.value) && (SUBDIVISION_KEY.test(a.key) ? placeTables.subdivisions() : COUNTRY_KEY.test(a.key) && placeTables.countries()))) continue
    if (isUserData(a.key)) {
      out.push(...userDataCandidates(a, starts))
      continue
    }
    if (a.multiline) continue
    // `security token. For more details, check out: https://…`: a wrapped line of prose read as a key.
    if (/[.,;!?]\s|\s\S+\s\S+\s/.test(a.key)) continue
    const cls = classifyKey(a.key)
    if (!cls) continue
    const value = a.value.trim()
    if (whyNotLiteral(value, a.key) !== undefined) continue
    if (sealed && SEALED_VALUE.test(value)) continue
    // `labels:` then `configsecret: otelcollector` in a manifest or a chart's template: a Kubernetes
    // label, public by design (a selector matches on it), of a label's characters and nothing random.
    // Not compose's or Prometheus's `labels:`, where a plugin's key may be set.
    if ((file.kind === 'kubernetes' || file.kind === 'helm') && /^[A-Za-z0-9._-]{1,63}$/.test(value) && !looksRandom(value) && /^(?:labels|matchLabels)$/.test(parentKeyOf(lines, a.line - 1) ?? '')) continue
    if (inLanguageFolder && WORDS_OF_ANY_SCRIPT.test(value)) continue
    // `data: { password_visibility_target: "input" }` in a Rails view: the name of a Stimulus target.
    if (/_(?:target|outlet)$/.test(a.key) && isRailsView(file.path) && /^[a-z]+(?:[A-Z][a-z]+)*$/.test(value) && inDataAttributes(lines, a.line)) continue
    // `- name: ACCESS_KEY  #REQUIRED - replace with your access key`: the value below is a stand-in.
    if (asksToReplace(lines[a.line - 1] ?? '') || asksToReplace(lines[a.line - 2] ?? '')) continue
    // `secret: ZXhhbXBsZS1hcHAtc2VjcmV0` ("example-app-secret"): base64 of a placeholder.
    if (value.length >= 12 && value.length % 4 === 0 && decodedPlaceholder(value, a.key)) continue
    // AWS's documentation example keys: quoted in documentation and tests on purpose; written into
    // configuration they still show where a real key would go, and stay reported there.
    if (isDocumentationExample(value) && isSamplePath(file.path)) continue
    // The env of a workflow job's service container (`services: postgres: env: POSTGRES_PASSWORD`):
    // a database made for the job and thrown away with it, reachable from the job alone.
    if (file.kind === 'workflow' && inServiceContainer(lines, a.line)) continue
    // Code embedded in a YAML file (see `Assignment.code`): a bare name there is an expression;
    // a random-looking one may still be a secret written without quotes.
    if (isKeywordArgument(value, content, a, code || (a.code === true && !looksRandom(value.replace(/[,;]$/, ''))))) continue
    if (isPublicByDesign(a, lines)) continue
    if (passesToUpstream(a, value, lines)) continue
    if (namesKeyOfNamedSecret(a, value, lines)) continue
    // `# clientRootSecret defines the secret name that contains the root client certificate`: a key
    // ending in `Secret` (never a password's, token's or key's) under a comment saying its value
    // names a Secret object (a name of two or more parts). Masked all the same.
    if (cls === 'secret' && namesSecretByWords(keyWords(a.key)) && OBJECT_NAME.test(value) && !looksRandom(value) && SECRET_NAME_COMMENT.test(commentAbove(lines, a.line))) {
      const at = a.start + a.value.indexOf(value)
      out.push({ rule: KEY_RULES[cls], priority: 2, start: at, end: at + value.length, line: a.line, message: '', value, locateOnly: true })
      continue
    }
    // `accessKey: shop-logs` beside `secretKey: …` (MinIO, S3): the access key is the login half of the
    // pair, the secret key (reported on its own) the password. Masked still; an AWS key id keeps its finding.
    if (cls === 'api-key' && !AWS_KEY_ID_START.test(value) && pairsWithSecretKey(a, lines, dialect)) {
      out.push({ rule: KEY_RULES[cls], priority: 2, start: a.start + a.value.indexOf(value), end: a.start + a.value.indexOf(value) + value.length, line: a.line, message: '', value, locateOnly: true })
      continue
    }
    if (cls === 'weak' && (!looksRandom(value) || namesAKeyResource(value))) continue
    // Tokens and API keys are random strings: a plain word (`ILLEGAL`, a lexer's token name) is
    // none, nor are words run together or a dotted path of them (`Marker`, `List.NextMarker` in
    // an SDK's API model).
    if ((cls === 'token' || cls === 'api-key') && value.length <= 200 && WORDS_IDENTIFIER.test(value)) continue
    // `data "google_secret_manager_secret_version" "x" { secret = "iap-oauth-client-id" }`: the secret's id.
    if (file.kind === 'terraform' && a.key === 'secret' && SECRET_MANAGER_ID.test(value) && SECRET_ID_BLOCK.test(hclBlockAbove(lines, a.line - 1) ?? '')) continue
    if (cls === 'connection-string' && !carriesCredential(value)) continue
    // A URL without user info or a query carries no token (`token_endpoint`-like values, help links).
    if ((cls === 'token' || cls === 'api-key') && /^[a-z][a-z0-9+.-]{1,20}:\/\/[^\s@?#]+$/i.test(value)) continue
    const words = keyWords(a.key)
    const awsSecret = /^[A-Za-z0-9/+]{40}$/.test(value) && words.includes('secret') && (words.includes('aws') || words.includes('access'))
    const rule = awsSecret ? AWS_SECRET_RULE : KEY_RULES[cls]
    const offset = a.value.indexOf(value)
    // Beside a key id AWS could not have issued (`AKIAABCD12345EFGH`): a made-up pair, only masked.
    if (awsSecret && besideMadeUpKeyIdOnly(a.line)) {
      out.push({ rule, priority: 2, start: a.start + offset, end: a.start + offset + value.length, line: a.line, message: '', value, locateOnly: true })
      continue
    }
    // The same value as the login or database name beside it (`penpot`/`penpot`): a local setup's
    // default, guessable by anyone who reads the user name, not a secret someone chose. Still worth a look, not high.
    // User names first, then database names: the login is what a reader is told of first.
    identities ??= [...assignments.filter((b) => namesIdentityOrAddress(b.key)), ...assignments.filter((b) => namesDatabase(b.key) && !namesIdentityOrAddress(b.key))].filter((b) => b.value.length >= 3)
    // Only a word someone typed: a random value reused as the database name is still generated.
    const login = awsSecret || !typedAsName(value) ? undefined : identities.find((b) => b.key !== a.key && b.value.trim() === value && Math.abs(b.line - a.line) <= SIBLING_SPAN)
    const foreignKeyId = awsSecret ? foreignKeyIdNear?.(a.line, a.key) : undefined
    if (foreignKeyId !== undefined) {
      out.push({ rule, priority: 2, start: a.start + offset, end: a.start + offset + value.length, line: a.line, message: `${rule.title}: literal value for ${quoteKey(a.key)}. ${foreignPairReason(foreignKeyId)}`, value, severity: 'info' })
      continue
    }
    const trustStore = namesTrustStorePassword(a.key)
    const temporary = isTemporaryPassword(words)
    // `storage_account_key: Eby8vdM0…` in a test's settings: the emulator's key, under a key's name as in a connection string.
    const emulator = value === AZURITE_ACCOUNT_KEY
    const why = trustStore ? TRUSTSTORE : temporary ? TEMPORARY_PASSWORD : emulator ? AZURITE_KEY : login ? `the same as ${quoteKey(login.key)} beside it (a default login)` : awsSecret ? undefined : whyDefaultValue(cls, value, words, file)
    out.push({
      rule,
      priority: 2,
      start: a.start + offset,
      end: a.start + offset + value.length,
      line: a.line,
      message: why ? `${rule.title}: literal value for ${quoteKey(a.key)}, ${why}.` : `${rule.title}: literal value for ${quoteKey(a.key)}.`,
      value,
      // A report never raises a rule's severity: a rule already at medium or below keeps its own.
      ...(why ? { severity: trustStore || temporary || emulator ? ('low' as const) : ('medium' as const) } : {})
    })
  }
  return out
}

function userDataCandidates(a: Assignment, starts: number[]): Candidate[] {
  const out: Candidate[] = []
  for (const m of a.value.matchAll(AWS_SECRET_SHAPE)) {
    if (isHexDigest(m[0])) continue
    const start = a.start + (m.index ?? 0)
    out.push({ rule: USER_DATA_RULE, priority: 2, start, end: start + 40, line: lineAt(starts, start), message: `Instance user data (${quoteKey(a.key)}) holds a string shaped like an AWS secret access key.`, value: m[0] })
  }
  return out
}

// ── Kubernetes: secrets read through environment variables ───────────────────────────────────

/** A CRD's OpenAPI schema describes `secretKeyRef` as a property; it reads no Secret. */
function isSchema(lines: readonly string[], i: number): boolean {
  const indent = /^\s*/.exec(lines[i])?.[0].length ?? 0
  for (let j = i + 1; j < lines.length; j++) {
    if (lines[j].trim() === '') continue
    if ((/^\s*/.exec(lines[j])?.[0].length ?? 0) <= indent) return false
    return /^\s*(?:description|properties|type|required|x-kubernetes-[\w-]+):/.test(lines[j])
  }
  return false
}

function k8sEnvCandidates(content: string, starts: number[], lines: readonly string[]): Candidate[] {
  const out: Candidate[] = []
  // A candidate is a `secretKeyRef:` or `secretRef:` line.
  if (!content.includes('secretKeyRef:') && !content.includes('secretRef:')) return out
  let inEnvFrom = -1
  let crd = false
  lines.forEach((line, i) => {
    if (/^---/.test(line)) crd = false
    if (/^kind:\s*["']?CustomResourceDefinition/.test(line)) crd = true
    if (crd) return
    const indent = /^\s*/.exec(line)?.[0].length ?? 0
    if (/^\s*envFrom:\s*$/.test(line)) inEnvFrom = indent
    else if (inEnvFrom >= 0 && line.trim() && indent <= inEnvFrom && !/^\s*-/.test(line)) inEnvFrom = -1
    const keyRef = /^\s*secretKeyRef:\s*$/.test(line)
    const fromRef = inEnvFrom >= 0 && /^\s*(?:-\s+)?secretRef:\s*$/.test(line)
    if ((!keyRef && !fromRef) || isSchema(lines, i)) return
    const start = starts[i] + indent
    out.push({
      rule: K8S_ENV_RULE,
      priority: 3,
      start,
      end: start,
      line: i + 1,
      message: keyRef ? 'Environment variable read from a Secret (`secretKeyRef`); mount the Secret as a file instead.' : 'All keys of a Secret exposed as environment variables (`envFrom.secretRef`); mount the Secret as a file instead.'
    })
  })
  return out
}

/**
 * The value of a one-line YAML scalar (`"abc"`, `'abc'`, `abc # note`), without quotes or a
 * trailing comment; '' when it is not one. A scan, not a regex: the line is PR text.
 */
function scalarValue(rest: string): string {
  const text = rest.trim()
  const quote = text[0] === '"' || text[0] === "'" ? text[0] : ''
  if (quote) {
    const close = text.indexOf(quote, 1)
    if (close < 0) return ''
    const after = text.slice(close + 1).trim()
    return after === '' || after.startsWith('#') ? text.slice(1, close).trim() : ''
  }
  const hash = text.search(/[ \t]#/)
  const value = (hash < 0 ? text : text.slice(0, hash)).trim()
  return /["'#]/.test(value) ? '' : value.slice(0, 8000)
}
