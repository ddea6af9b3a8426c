/**
 * Secrets in any file. Two layers, run on every file whatever its kind:
 * - secretlint's recommended preset (provider tokens, private keys, connection strings);
 * - IaC-aware rules for what it misses: literal values under secret-named keys in HCL, YAML,
 *   JSON, Dockerfile ENV/ARG, .env and scripts; AWS key pairs; passwords in URLs; webhooks.
 * Findings never contain a secret; `values` lists them so every output can mask them.
 */
import type { Finding, RuleMeta, Severity, SourceFile } from '../types.js'
import { maskSecret } from '../render/redact.js'
import { dialectOf, extractAssignments, lineAt, lineStarts, type Assignment } from './secrets/assignments.js'
import { classifyKey, keyWords, looksRandom, whyNotLiteral, type SecretKeyClass } from './secrets/keys.js'
import {
  PRIVATE_KEY_SOURCE,
  PUTTY_KEY_SOURCE,
  TOKEN_PATTERNS,
  URL_PASSWORD_SOURCE,
  isDocumentationExample,
  isUrlPasswordPlaceholder,
  tokenRegex
} from './secrets/patterns.js'
import { runSecretlint, type SecretlintHit } from './secrets/secretlint.js'

const REMEDIATION =
  'Remove the literal from the file, rotate it (it is in the history now), and read it at deploy time from a secret store: a sensitive variable, AWS Secrets Manager or SSM, a Kubernetes Secret, a CI secret.'

function meta(slug: string, severity: Severity, title: string, description: string, refs?: RuleMeta['refs'], kind: RuleMeta['kind'] = 'any'): RuleMeta {
  return { id: `secrets/${slug}`, kind, category: 'secrets', severity, title, description, remediation: REMEDIATION, refs,
    topics: slug === 'k8s-secret-env-var' ? ['secret-exposure'] : ['secret-storage', 'secret-exposure'] }
}

const KICS_SECRETS = 'common/passwords_and_secrets'

/** Rules of the IaC layer, by what a secret-named key holds. */
const KEY_RULES: Record<SecretKeyClass, RuleMeta> = {
  password: meta('hardcoded-password', 'high', 'Hard-coded password', 'A password-named attribute, variable or environment entry holds a literal value.', { kics: KICS_SECRETS }),
  secret: meta('hardcoded-secret', 'high', 'Hard-coded secret', 'A secret-named key (secret, client secret, secret key, credentials) holds a literal value.', { kics: KICS_SECRETS }),
  token: meta('hardcoded-token', 'high', 'Hard-coded token', 'A token-named key holds a literal value.', { kics: KICS_SECRETS }),
  'api-key': meta('hardcoded-api-key', 'high', 'Hard-coded API or access key', 'An API-key or access-key attribute holds a literal value.', { kics: KICS_SECRETS }),
  'private-key': meta('hardcoded-private-key', 'high', 'Hard-coded private key value', 'A private-key attribute holds a literal value.', { kics: KICS_SECRETS }),
  'connection-string': meta('hardcoded-connection-string', 'high', 'Hard-coded connection string', 'A connection-string key holds a literal value, which usually embeds credentials.', { kics: KICS_SECRETS }),
  weak: meta('high-entropy-value', 'medium', 'Random-looking value under a key-named setting', 'A setting named like a key (signing key, master key, auth key) holds a long random-looking literal.', { checkov: 'CKV_SECRET_6' })
}

const TOKEN_RULES = new Map(
  TOKEN_PATTERNS.map((p) => {
    const severity: Severity = /webhook|jwt/.test(p.slug) ? 'high' : 'critical'
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
    return [p.slug, meta(p.slug, severity, `${p.label} in plain text`, `The file contains what has the exact shape of a ${p.label}.`, refs)]
  })
)

const AWS_SECRET_RULE = meta('aws-secret-access-key', 'critical', 'AWS secret access key in plain text', 'A 40-character AWS secret access key sits next to an access key id or under a secret-key name.', { checkov: 'CKV_AWS_41', kics: 'terraform/aws/hardcoded_aws_access_key' })
const USER_DATA_RULE = meta('aws-credentials-in-user-data', 'high', 'AWS credentials in instance user data', 'Instance user data holds a 40-character string shaped like an AWS secret access key; user data is readable by anyone who can describe the instance.', { checkov: 'CKV_AWS_46', kics: 'terraform/aws/hardcoded_aws_access_key' })
const PRIVATE_KEY_RULE = meta('private-key-block', 'critical', 'Private key in plain text', 'The file contains a PEM private key block.', { checkov: 'CKV_SECRET_13', kics: KICS_SECRETS })
const PUTTY_RULE = meta('putty-private-key', 'critical', 'PuTTY private key in plain text', 'The file contains a PuTTY key file, which carries the private key.', { kics: KICS_SECRETS })
const URL_PASSWORD_RULE = meta('url-password', 'high', 'Password in a URL', 'A URL carries a literal password in its user-info part (`scheme://user:password@host`).', { checkov: 'CKV_SECRET_4', kics: KICS_SECRETS })
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
      `secretlint's recommended preset (${name === 'secretlint' ? 'any rule' : `@secretlint/secretlint-rule-${name}`}) matched a credential.`,
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
  K8S_ENV_RULE
]

export interface SecretScan {
  findings: Finding[]
  /** The literal values found, so outputs can mask them. */
  values: string[]
  /** Parts of the scan that could not run on this file. */
  warnings?: string[]
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
}

export async function scanSecrets(file: SourceFile): Promise<SecretScan> {
  const content = file.content
  const starts = lineStarts(content)
  // A secretlint failure must not cost the file its other secret findings.
  let fromSecretlint: Candidate[] = []
  const warnings: string[] = []
  try {
    fromSecretlint = await secretlintCandidates(file.path, content)
  } catch (e) {
    warnings.push(`${file.path}: secretlint failed (${(e as Error)?.message ?? String(e)}); the other secret rules still ran`)
  }
  const candidates: Candidate[] = [
    ...fromSecretlint,
    ...patternCandidates(content, starts),
    ...assignmentCandidates(content, file, starts),
    ...(file.kind === 'kubernetes' || file.kind === 'helm' ? k8sEnvCandidates(content, starts) : [])
  ]
  const kept = dedupe(candidates)
  const findings = kept.map((c) => finding(c, file.path))
  // Every secret seen is masked, including ones whose finding merged into another.
  const values = [...new Set(candidates.map((c) => c.value).filter((v): v is string => typeof v === 'string' && v.length >= 4))]
  return warnings.length ? { findings, values, warnings } : { findings, values }
}

function finding(c: Candidate, path: string): Finding {
  const f: Finding = {
    ruleId: c.rule.id,
    category: c.rule.category,
    severity: c.rule.severity,
    path,
    line: c.line,
    message: c.message,
    remediation: c.rule.remediation
  }
  if (c.endLine !== undefined && c.endLine > c.line) f.endLine = c.endLine
  return f
}

/** Keeps one candidate per secret: a lower priority replaces any overlapping later one. */
function dedupe(candidates: Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => a.priority - b.priority || a.start - b.start)
  const kept: Candidate[] = []
  for (const c of sorted) {
    const overlaps = kept.some((k) => c.start < k.end && k.start < c.end)
    const sameLine = kept.some((k) => k.line === c.line && k.rule.id === c.rule.id)
    if (!overlaps && !sameLine) kept.push(c)
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

async function secretlintCandidates(path: string, content: string): Promise<Candidate[]> {
  const hits = await runSecretlint(path, content)
  return hits.map((h: SecretlintHit) => {
    const rule = SECRETLINT_RULES.get(h.rule) ?? (SECRETLINT_RULES.get('secretlint') as RuleMeta)
    const { start, end } = h.rule === 'aws' && h.messageId === 'AWSSecretAccessKey' ? valueAfterKey(content, h.start, h.end) : h
    const text = content.slice(start, end)
    // For a URL, the password is the secret; masking the whole URL would hide the host too.
    const url = URL_PASSWORD.exec(text)
    const value = url?.groups?.urlPass ?? text
    return {
      rule,
      priority: 0,
      start,
      end,
      line: h.line,
      endLine: h.endLine,
      message: `secretlint rule \`${h.rule}\` found a credential (${h.messageId}) in plain text.`,
      value
    }
  })
}

/**
 * secretlint reports `AWS_SECRET_ACCESS_KEY=…` with the secret's length but the key's start
 * offset; move the span past `KEY=` so the value (and only it) is what gets masked.
 */
function valueAfterKey(content: string, start: number, end: number): { start: number; end: number } {
  const lineEnd = content.indexOf('\n', start)
  const rest = content.slice(start, lineEnd === -1 ? content.length : lineEnd)
  const prefix = /^["']?[A-Za-z_][\w.-]*["']?[ \t]*[:=][ \t]*["']?/.exec(rest)
  if (!prefix) return { start, end }
  return { start: start + prefix[0].length, end: start + prefix[0].length + (end - start) }
}

// ── shapes that are secrets anywhere ─────────────────────────────────────────────────────────

const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g

/** A SHA-1 or git commit id, which has the same length as an AWS secret key. */
function isHexDigest(s: string): boolean {
  return (/^[0-9a-f]{40}$/.test(s) && /[a-f]/.test(s)) || (/^[0-9A-F]{40}$/.test(s) && /[A-F]/.test(s))
}

function patternCandidates(content: string, starts: number[]): Candidate[] {
  const out: Candidate[] = []
  const awsKeyLines: number[] = []
  for (const pattern of TOKEN_PATTERNS) {
    const rule = TOKEN_RULES.get(pattern.slug) as RuleMeta
    for (const m of content.matchAll(tokenRegex(pattern))) {
      const token = m[0]
      if (pattern.slug === 'aws-access-key-id' && isDocumentationExample(token)) continue
      const start = m.index ?? 0
      const line = lineAt(starts, start)
      if (pattern.slug === 'aws-access-key-id') awsKeyLines.push(line)
      const shown = /webhook/.test(pattern.slug) ? '' : ` \`${maskSecret(token)}\``
      out.push({ rule, priority: 1, start, end: start + token.length, line, message: `${pattern.label}${shown} in plain text.`, value: token })
    }
  }
  for (const m of content.matchAll(new RegExp(PRIVATE_KEY_SOURCE, 'g'))) {
    const block = m[0]
    if (!/-----END /.test(block) && !/[A-Za-z0-9+/=]{16,}/.test(block.replace(/-----BEGIN[^\n]*-----/, ''))) continue
    const start = m.index ?? 0
    out.push({ rule: PRIVATE_KEY_RULE, priority: 1, start, end: start + block.length, line: lineAt(starts, start), endLine: lineAt(starts, start + block.length - 1), message: 'Private key block in plain text.', value: block })
  }
  for (const m of content.matchAll(new RegExp(PUTTY_KEY_SOURCE, 'g'))) {
    const start = m.index ?? 0
    const end = content.indexOf('Private-MAC:', start)
    const stop = end === -1 ? start + m[0].length : content.indexOf('\n', end) === -1 ? content.length : content.indexOf('\n', end)
    out.push({ rule: PUTTY_RULE, priority: 1, start, end: stop, line: lineAt(starts, start), endLine: lineAt(starts, stop - 1), message: 'PuTTY private key file in plain text.', value: content.slice(start, stop) })
  }
  for (const m of content.matchAll(new RegExp(URL_PASSWORD_SOURCE, 'g'))) {
    const head = m.groups?.urlHead ?? ''
    const password = m.groups?.urlPass ?? ''
    if (isUrlPasswordPlaceholder(password) || whyNotLiteral(password, 'password') === 'reference') continue
    const start = (m.index ?? 0) + head.length
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*/.exec(head)?.[0] ?? 'URL'
    out.push({ rule: URL_PASSWORD_RULE, priority: 1, start, end: start + password.length, line: lineAt(starts, start), message: `\`${scheme}\` URL with a literal password.`, value: password })
  }
  if (awsKeyLines.length > 0) {
    for (const m of content.matchAll(AWS_SECRET_SHAPE)) {
      const start = m.index ?? 0
      const line = lineAt(starts, start)
      if (!awsKeyLines.some((l) => Math.abs(l - line) <= 5) || isHexDigest(m[0]) || !looksRandom(m[0])) continue
      out.push({ rule: AWS_SECRET_RULE, priority: 1, start, end: start + 40, line, message: 'AWS secret access key next to an access key id.', value: m[0] })
    }
  }
  return out
}

// ── literal values under secret-named keys ───────────────────────────────────────────────────

const MAYBE_SECRET_KEY = /pass|pw|secret|token|key|credential|conn|user|phrase/i

function isUserData(key: string): boolean {
  const w = keyWords(key)
  return w.includes('user') && w.includes('data')
}

function assignmentCandidates(content: string, file: SourceFile, starts: number[]): Candidate[] {
  const out: Candidate[] = []
  for (const a of extractAssignments(content, dialectOf(file))) {
    // Cheap test first: most keys contain none of the words a secret-named key needs.
    if (!MAYBE_SECRET_KEY.test(a.key)) continue
    if (isUserData(a.key)) {
      out.push(...userDataCandidates(a, starts))
      continue
    }
    if (a.multiline) continue
    const cls = classifyKey(a.key)
    if (!cls) continue
    const value = a.value.trim()
    if (whyNotLiteral(value, a.key) !== undefined) continue
    if (cls === 'weak' && !looksRandom(value)) continue
    const words = keyWords(a.key)
    const awsSecret = /^[A-Za-z0-9/+]{40}$/.test(value) && words.includes('secret') && (words.includes('aws') || words.includes('access'))
    const rule = awsSecret ? AWS_SECRET_RULE : KEY_RULES[cls]
    const offset = a.value.indexOf(value)
    out.push({
      rule,
      priority: 2,
      start: a.start + offset,
      end: a.start + offset + value.length,
      line: a.line,
      message: `${rule.title}: literal value for ${quoteKey(a.key)}.`,
      value
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

function k8sEnvCandidates(content: string, starts: number[]): Candidate[] {
  const out: Candidate[] = []
  const lines = content.split('\n')
  let inEnvFrom = -1
  lines.forEach((line, i) => {
    const indent = /^\s*/.exec(line)?.[0].length ?? 0
    if (/^\s*envFrom:\s*$/.test(line)) inEnvFrom = indent
    else if (inEnvFrom >= 0 && line.trim() && indent <= inEnvFrom && !/^\s*-/.test(line)) inEnvFrom = -1
    const keyRef = /^\s*secretKeyRef:\s*$/.test(line)
    const fromRef = inEnvFrom >= 0 && /^\s*(?:-\s+)?secretRef:\s*$/.test(line)
    if (!keyRef && !fromRef) return
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
