/** Credentials written into Terraform as literals. Messages never repeat the value. */
import { defineRule } from '../rule.js'
import { isExpr, isObject, lineOfKey, type HclAttribute, type HclBlock, type HclValue } from '../parse/hcl.js'
import type { TfCheck, TfContext } from './context.js'
import { WELL_KNOWN_DEFAULT, isDefaultPassword, isDocumentationExample, whyNotLiteral } from '../secrets/keys.js'
import { AWS_ACCESS_KEY_PREFIX, PRIVATE_KEY_SOURCE, PUTTY_KEY_SOURCE, isPlainPrivateKey } from '../secrets/patterns.js'
import { conditionalBranches } from '../secrets/assignments.js'

const providerCredentials = defineRule('terraform', {
  id: 'tf/aws-provider-hardcoded-credentials',
  category: 'secrets',
  topics: ['secret-storage', 'secret-exposure'],
  severity: 'critical',
  title: 'AWS provider with hard-coded credentials',
  description: 'The `aws` provider block sets `access_key` or `secret_key` to a literal; anyone who can read the repository can use the key.',
  remediation: 'Remove the keys from the provider block and use the default credential chain (environment, shared profile, or an assumed role via OIDC); rotate the exposed key.',
  refs: { checkov: 'CKV_AWS_41' }
})

const accessKeyLiteral = defineRule('terraform', {
  id: 'tf/aws-hardcoded-access-key',
  category: 'secrets',
  topics: ['secret-storage', 'secret-exposure'],
  severity: 'critical',
  title: 'AWS access key in a literal value',
  description: 'An AWS access key id, or a secret-access-key-shaped value in `user_data`, is written into the configuration (and ends up in state and instance metadata).',
  remediation: 'Remove the key, rotate it, and give the workload an IAM role (instance profile) instead of static keys.',
  refs: { checkov: 'CKV_AWS_46', kics: 'terraform/aws/hardcoded_aws_access_key', tfsec: 'aws-ec2-no-secrets-in-user-data', trivy: 'AVD-AWS-0029' }
})

const passwordLiteral = defineRule('terraform', {
  id: 'tf/hardcoded-password',
  category: 'secrets',
  topics: ['secret-storage', 'secret-exposure'],
  severity: 'high',
  title: 'Password or API secret as a literal',
  description: 'A password, token or API key attribute is set to a literal string, so the secret lives in the repository and in every plan.',
  remediation: 'Pass the value in through a sensitive variable, a secrets manager data source, or generate it with `random_password`; rotate the exposed value.',
  refs: { kics: 'common/passwords_and_secrets' }
})

const privateKeyLiteral = defineRule('terraform', {
  id: 'tf/private-key-literal',
  category: 'secrets',
  topics: ['secret-storage', 'secret-exposure'],
  severity: 'critical',
  title: 'Private key material in the configuration',
  description: 'A literal string contains a private key (PEM or PuTTY format).',
  remediation: 'Load the key from a secret store (or `file()` outside the repository) and rotate the exposed key.',
  refs: { checkov: 'CKV_SECRET_13', kics: 'common/passwords_and_secrets' }
})

/** Attribute names that hold a secret when given a literal. */
const SECRET_NAME = /^(password|passwd|master_password|admin_password|root_password|[a-z0-9_]*_password|client_secret|api_key|api_token|auth_token|access_token|secret_key|secret_access_key|access_key|private_key|token)$/i
/** Literal strings that are obviously not secrets: references quoted by mistake, masks, flags. */
const NOT_A_SECRET = /^(\s*|(var|local|data|module)\.[\w.[\]-]+|\*+|x+|true|false|\d+)$/i

/** An access key id (AKIA, ASIA, …); `AIDA…`/`AROA…` are unique ids of IAM users and roles, no credential. */
const AWS_KEY_ID = new RegExp(`\\b(?:${AWS_ACCESS_KEY_PREFIX})[A-Z0-9]{16}\\b`)
const AWS_KEY_ID_WHOLE = new RegExp(`^(?:${AWS_ACCESS_KEY_PREFIX})[A-Z0-9]{16}$`)
/** A 40-character secret access key: base64 alphabet, not part of a longer run. */
const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/
/** A PEM private key block (the secret scan's expression) or the first line of a PuTTY key file. */
const PRIVATE_KEY = new RegExp(`${PRIVATE_KEY_SOURCE}|${PUTTY_KEY_SOURCE}`, 'g')

/**
 * What the text of a file must hold for each check below to find anything: most files hold none
 * of it, and then no attribute is walked. A literal is the text between its quotes with escapes
 * decoded. In HCL only `\uNNNN` and `\UNNNNNNNN` can spell a letter the text does not show; a
 * `.tf.json` file is read by the YAML parser, where `\xNN` can too, and a backslash before a line
 * break joins two lines into one word. A file with any of these is always walked.
 */
const MAY_HOLD = {
  accessKey: new RegExp(`${AWS_ACCESS_KEY_PREFIX}|user_data`),
  // Every name SECRET_NAME accepts holds one of these.
  password: /passw|secret|api_key|access_key|private_key|token/i,
  // A `.tf.json` string may fold a line break, or escape the blank (`\ `), between the two words.
  privateKey: /PRIVATE(?:\s|\\ )+KEY|PuTTY-User-Key-File-/
}
const SPELLING_ESCAPE = /\\(?:[uUx]|\r?\n)/
const mayHold = (ctx: TfContext, words: RegExp): boolean => words.test(ctx.content) || SPELLING_ESCAPE.test(ctx.content)

/**
 * Every literal text in an attribute's value, whole, with the file line it starts on. `multiline`:
 * a heredoc, whose lines are the file's next lines (a quoted `\n` stays on its line).
 */
function eachText(attribute: HclAttribute, visit: (text: string, line: number, multiline: boolean) => void): void {
  const walk = (v: HclValue | undefined, line: number, multiline: boolean): void => {
    if (typeof v === 'string') {
      visit(v, line, multiline)
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, lineOfKey(v, i) ?? line, false))
    } else if (isExpr(v)) {
      if (v.template !== undefined) walk(v.template, line, multiline)
      v.args?.forEach((a) => walk(a, line, false))
    } else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, lineOfKey(v, k) ?? line, false)
    }
  }
  const heredoc = attribute.valueLine > attribute.line
  walk(attribute.value, heredoc ? attribute.valueLine : attribute.line, heredoc)
}

/** Every literal text in an attribute's value, line by line, with the file line of each. */
function eachTextLine(attribute: HclAttribute, visit: (text: string, line: number) => void): void {
  eachText(attribute, (v, line, multiline) => {
    // Most values are one line: visited as they are, with no split.
    if (!v.includes('\n')) visit(v, line)
    else v.split('\n').forEach((t, i) => visit(t, multiline ? line + i : line))
  })
}

/**
 * Where the first usable private key of a literal starts: a PuTTY key file, or a PEM block that is
 * a whole key in plain text by the secret scan's own test (`isPlainPrivateKey`). A block with lines
 * left out (`...`), a word repeated or a passphrase-encrypted key is only masked, as elsewhere.
 */
function usableKeyOffset(text: string): number | undefined {
  for (const m of text.matchAll(PRIVATE_KEY)) {
    if (m[0].startsWith('PuTTY') || isPlainPrivateKey(m[0])) return m.index
  }
  return undefined
}

/** All attributes of a block and its nested blocks. */
function eachAttribute(block: HclBlock, visit: (a: HclAttribute) => void): void {
  for (const a of Object.values(block.attributes)) visit(a)
  for (const b of block.blocks) eachAttribute(b, visit)
}

/** Secret-named keys inside object values (`config = { access_key = "…" }`). */
function eachSecretKey(v: HclValue, line: number, visit: (key: string, value: HclValue, line: number) => void): void {
  if (Array.isArray(v)) v.forEach((x, i) => eachSecretKey(x, lineOfKey(v, i) ?? line, visit))
  else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const at = lineOfKey(v, k) ?? line
      if (SECRET_NAME.test(k)) visit(k, x, at)
      eachSecretKey(x, at, visit)
    }
  }
}

const isAwsProviderKey = (block: HclBlock, a: HclAttribute): boolean =>
  block.type === 'provider' && block.labels[0] === 'aws' && (a.name === 'access_key' || a.name === 'secret_key')

/** Placeholders that stand where a secret will go: `changeme`, `<password>`, `your-token`, the key's own name. */
const PLACEHOLDER = /^(change[-_ ]?me|example|placeholder|dummy|redacted|replace[-_ ]?me|todo|<[^<>]*>|your[-_ ][\w-]*|\{\{[^{}]*\}\})$/i
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '')

/** A literal that is a real secret value: not empty, a reference, a flag, a placeholder or the key's own name. */
const isSecretLiteral = (v: HclValue | undefined, key?: string): boolean =>
  typeof v === 'string' &&
  !NOT_A_SECRET.test(v) &&
  !PLACEHOLDER.test(v.trim()) &&
  (key === undefined || squash(v) !== squash(key)) &&
  whyNotLiteral(v, key ?? 'secret') === undefined

const where = (block: HclBlock): string => {
  const [a, b] = block.labels
  if (block.type === 'resource' || block.type === 'data') return `\`${a}.${b}\``
  if (a !== undefined) return `${block.type} \`${a}\``
  return `\`${block.type}\``
}

function checkProviderCredentials(ctx: TfContext): void {
  for (const p of ctx.written.blocks.filter((b) => b.type === 'provider' && b.labels[0] === 'aws')) {
    for (const name of ['access_key', 'secret_key']) {
      const a = p.attributes[name]
      if (!a || typeof a.value !== 'string' || NOT_A_SECRET.test(a.value) || whyNotLiteral(a.value, name) !== undefined) continue
      // `access_key = "mock_access_key"` (tests with `skip_credentials_validation`): an access key has a key id's shape.
      if (name === 'access_key' && !AWS_KEY_ID_WHOLE.test(a.value.trim())) continue
      ctx.report(providerCredentials, a.line, `provider \`aws\` sets \`${name}\` to a literal value`)
    }
  }
}

function checkAccessKeys(ctx: TfContext): void {
  if (!mayHold(ctx, MAY_HOLD.accessKey)) return
  for (const block of ctx.written.blocks) {
    eachAttribute(block, (a) => {
      if (isAwsProviderKey(block, a)) return // reported by the provider rule
      // Lines reported for this attribute, made at the first one (most attributes have none).
      let seen: Set<number> | undefined
      eachTextLine(a, (text, line) => {
        // `AKIAIOSFODNN7EXAMPLE`: AWS's documentation example, published on purpose.
        const keyId = AWS_KEY_ID.test(text) && !isDocumentationExample(AWS_KEY_ID.exec(text)?.[0] ?? '')
        const secretShape = a.name === 'user_data' && AWS_SECRET_SHAPE.test(text)
        if ((keyId || secretShape) && !seen?.has(line)) {
          seen ??= new Set()
          seen.add(line)
          const what = keyId ? 'an AWS access key id' : 'a value shaped like an AWS secret access key'
          ctx.report(accessKeyLiteral, line, `\`${a.name}\` of ${where(block)} contains ${what}`)
        }
      })
    })
  }
}

/**
 * The literal fallback of `try(var.x, "…")`, `coalesce(var.x, "…")` or `lookup(map, "k", "…")`:
 * used as the secret whenever the reference is unset. `lookup`'s second argument is a key name.
 */
function literalFallback(v: HclValue | undefined, key: string): string | undefined {
  if (!isExpr(v)) return undefined
  // `cond ? var.x : "literal"`: a quoted branch without interpolation is a literal too.
  const branches = v.fn === undefined ? conditionalBranches(v.expr) : undefined
  const quoted = (branches ?? []).map((b) => /^\s*"((?:[^"\\$]|\\.|\$(?!\{))*)"\s*$/.exec(b.text)?.[1]).filter((b): b is string => b !== undefined)
  const candidates = v.fn === 'try' || v.fn === 'coalesce' ? (v.args ?? []) : v.fn === 'lookup' ? (v.args ?? []).slice(2) : quoted
  // A value used as the secret itself cannot be "a key name", so that verdict does not clear it.
  return candidates.find(
    (a): a is string => typeof a === 'string' && !NOT_A_SECRET.test(a) && !PLACEHOLDER.test(a.trim()) && squash(a) !== squash(key) && [undefined, 'key name'].includes(whyNotLiteral(a, key))
  )
}

/** How the fallback is written, for the message: `try(…)`, or a conditional. */
const fallbackForm = (v: HclValue | undefined): string => (isExpr(v) && v.fn ? `\`${v.fn}(…)\`` : 'one branch of a conditional')

/**
 * `user_password = "admin"`: a password anyone tries first is medium, as in every other family
 * (named by the key, or by the variable a default belongs to). Other secrets keep the rule's severity.
 */
const wellKnownDefault = (name: string, value: string): boolean => /passw/i.test(name) && isDefaultPassword(value)
const withDefault = (message: string, wellKnown: boolean): string => (wellKnown ? `${message}, ${WELL_KNOWN_DEFAULT}` : message)

function checkPasswords(ctx: TfContext): void {
  if (!mayHold(ctx, MAY_HOLD.password)) return
  const say = (line: number, message: string, name: string, value: string): void => {
    const wellKnown = wellKnownDefault(name, value)
    ctx.report(passwordLiteral, line, withDefault(message, wellKnown), wellKnown ? { severity: 'medium' } : undefined)
  }
  const report = (line: number, name: string, block: HclBlock, value: string, secretName = name): void =>
    say(line, `${where(block)} sets \`${name}\` to a literal value`, secretName, value)
  const inspect = (block: HclBlock): void => {
    eachAttribute(block, (a) => {
      const secretNamed = SECRET_NAME.test(a.name)
      const fallback = secretNamed && !isSecretLiteral(a.value, a.name) ? literalFallback(a.value, a.name) : undefined
      if (secretNamed && typeof a.value === 'string' && isSecretLiteral(a.value, a.name) && !isAwsProviderKey(block, a)) report(a.line, a.name, block, a.value)
      else if (fallback !== undefined) say(a.line, `${where(block)} falls back to a literal value for \`${a.name}\` (${fallbackForm(a.value)})`, a.name, fallback)
      eachSecretKey(a.value, a.line, (key, value, line) => {
        if (typeof value === 'string' && isSecretLiteral(value, key)) report(line, key, block, value)
      })
    })
  }
  for (const block of ctx.written.blocks) {
    if (block.type === 'variable') {
      const d = block.attributes.default
      const name = block.labels[0] ?? ''
      if (d && typeof d.value === 'string' && SECRET_NAME.test(name) && isSecretLiteral(d.value, name)) report(d.line, 'default', block, d.value, name)
      continue
    }
    inspect(block)
  }
  // `.tfvars`: top-level `db_password = "…"`.
  for (const a of Object.values(ctx.written.attributes)) {
    if (SECRET_NAME.test(a.name) && typeof a.value === 'string' && isSecretLiteral(a.value, a.name)) say(a.line, `\`${a.name}\` is set to a literal value`, a.name, a.value)
  }
}

/**
 * The file line of a key found at `at` in a literal starting on `line`: counted in a heredoc; in
 * a heredoc nested in a call, list or object (whose own lines the model does not keep), the first
 * line of the attribute that shows the key's header as written, so the secret scan's finding on
 * that line is the same finding; else the literal's line.
 */
function keyLineOf(ctx: TfContext, a: HclAttribute, text: string, at: number, line: number, multiline: boolean): number {
  if (multiline) return line + (text.slice(0, at).match(/\n/g)?.length ?? 0)
  const eol = text.indexOf('\n', at)
  const header = text.slice(at, eol === -1 ? undefined : eol).trim()
  for (let i = line - 1; i < Math.min(a.endLine, ctx.lines.length); i++) if (ctx.lines[i]!.includes(header)) return i + 1
  return line
}

function checkPrivateKeys(ctx: TfContext): void {
  if (!mayHold(ctx, MAY_HOLD.privateKey)) return
  const visitBlock = (block: HclBlock): void =>
    eachAttribute(block, (a) => {
      let done = false
      eachText(a, (text, line, multiline) => {
        const at = done ? undefined : usableKeyOffset(text)
        if (at === undefined) return
        done = true
        ctx.report(privateKeyLiteral, keyLineOf(ctx, a, text, at, line, multiline), `\`${a.name}\` of ${where(block)} contains private key material`)
      })
    })
  for (const block of ctx.written.blocks) visitBlock(block)
}

export const secretChecks: TfCheck[] = [
  { rules: [providerCredentials], run: checkProviderCredentials },
  { rules: [accessKeyLiteral], run: checkAccessKeys },
  { rules: [passwordLiteral], run: checkPasswords },
  { rules: [privateKeyLiteral], run: checkPrivateKeys }
]
