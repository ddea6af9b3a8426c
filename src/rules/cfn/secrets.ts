/**
 * Secrets in templates: literal values in secret-bearing properties (anywhere under a resource's
 * Properties, Lambda environment variables included) and secret parameters that are echoed or
 * carry a default. Dynamic references (`{{resolve:secretsmanager:…}}`) are the fix, not a finding.
 */
import type { Finding } from '../../types.js'
import type { Node } from '../parse/yaml.js'
import { isMap, isScalar, isSeq } from '../parse/yaml.js'
import { CFN } from './meta.js'
import type { CfnContext } from './storage.js'
import { isBooleanish, keyWords, namesIdToken, namesSecretSwitch, namesTrustStorePassword, whyNotLiteral } from '../secrets/keys.js'
import { intrinsicArgument, intrinsicOf, isLiteralTrue, literal, type Parameter, type Resource } from './template.js'

/** Property, variable or parameter names that end in a secret noun, compared without case, `_` or `-`. */
const SECRET_KEY = /(password|passwd|passphrase|authtoken|secretstring|secretaccesskey|clientsecret|apikey|privatekey|secretkey|accesstoken|apitoken|secret|token)$/

/**
 * A name that holds a secret: it ends in a secret noun (`VaultToken`, `SourceDBPassword` and
 * `KeyStorePassword` included), is no id named like a token (`ServiceToken`) and no switch about
 * a secret (`AllowUsersToChangePassword`), as the secret scan reads key names.
 */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key)
  return SECRET_KEY.test(key.replace(/[_-]/g, '').toLowerCase()) && !namesIdToken(words) && !namesSecretSwitch(words)
}

/** Values that are settings rather than secrets (flags, counts) or references resolved at deploy time. */
function isSecretValue(value: string, key: string): boolean {
  const t = value.trim()
  if (t === '' || /^(true|false|\d{1,4})$/i.test(t)) return false
  return !/\{\{resolve:/.test(t) && whyNotLiteral(t, key) === undefined
}

/**
 * A truststore's password (`TrustStorePassword`) guards the integrity of public CA certificates,
 * no secret: its literal is low, saying so.
 */
function trustStoreNote(key: string): { note: string; extra: { severity?: 'low' } } {
  return namesTrustStorePassword(key)
    ? { note: ' (the password of a truststore, which holds public CA certificates: it guards their integrity, it keeps nothing secret; low)', extra: { severity: 'low' } }
    : { note: '', extra: {} }
}

/** Last words of a map's key whose entries are settings about a secret, named after it. */
const SETTINGS_ABOUT = new Set(['units', 'validity', 'lifetime', 'expiration', 'ttl'])

interface SecretSite {
  key: string
  keyLine: number
  value: Node | undefined
}

/** Every `secretish key: value` pair under a node, skipping tags. */
function secretSites(ctx: CfnContext, node: Node | undefined, depth = 0): SecretSite[] {
  const v = ctx.template.view
  if (depth > 20) return []
  if (isSeq(node)) return v.items(node).flatMap((item) => secretSites(ctx, item, depth + 1))
  if (!isMap(node) || intrinsicOf(v, node) !== undefined) return []
  return v.entries(node).flatMap((e) => {
    // `TokenValidityUnits: {AccessToken: hours}`: settings about tokens, keyed by the token's name.
    if (e.key === 'Tags' || SETTINGS_ABOUT.has(keyWords(e.key).at(-1) ?? '')) return []
    const isValue = intrinsicOf(v, e.value) !== undefined || (!isMap(e.value) && !isSeq(e.value))
    if (isSecretKey(e.key) && isValue) return [{ key: e.key, keyLine: v.line(e.keyNode), value: e.value }]
    return secretSites(ctx, e.value, depth + 1)
  })
}

/** The parameter a `Ref` points at, if the value is a Ref to a template parameter. */
function referencedParameter(ctx: CfnContext, value: Node | undefined): Parameter | undefined {
  const v = ctx.template.view
  if (intrinsicOf(v, value) !== 'Ref') return undefined
  const name = v.str(intrinsicArgument(v, value))
  return name ? ctx.template.parameters.get(name) : undefined
}

/** A `!Sub` whose text has no substitutions is a literal string in disguise. */
function literalSub(ctx: CfnContext, value: Node | undefined): string | undefined {
  const v = ctx.template.view
  if (intrinsicOf(v, value) !== 'Fn::Sub') return undefined
  const arg = v.str(intrinsicArgument(v, value))
  return arg !== undefined && !arg.includes('${') ? arg : undefined
}

export function checkResourceSecrets(ctx: CfnContext, r: Resource, secretParameters: Set<string>): Finding[] {
  const out: Finding[] = []
  for (const site of secretSites(ctx, r.properties)) {
    const text = literal(ctx.template.view, site.value) ?? literalSub(ctx, site.value)
    if (text !== undefined && isSecretValue(text, site.key)) {
      const { note, extra } = trustStoreNote(site.key)
      out.push(ctx.report(CFN.literalSecret, site.keyLine, `\`${r.logicalId}\` sets ${site.key} to a literal value${note}`, extra))
      continue
    }
    const param = referencedParameter(ctx, site.value)
    if (param) secretParameters.add(param.name)
  }
  return out
}

/**
 * A parameter that cannot hold a secret whatever its name or use: a number, or a switch whose
 * allowed values are all booleans (`AllowUsersToChangePassword: [true, false]`).
 */
function holdsNoSecret(ctx: CfnContext, param: Parameter): boolean {
  const v = ctx.template.view
  if (literal(v, v.get(param.node, 'Type')) === 'Number') return true
  const allowed = v.items(v.get(param.node, 'AllowedValues')).map((n) => literal(v, n))
  return allowed.length > 0 && allowed.every((a) => a !== undefined && isBooleanish(a))
}

/** `RafaySysApiKey`, `ClientId`, `AccessKeyId`: the words before the last one that names an identifier half. */
function identifierHalfPrefix(name: string): string | undefined {
  const words = keyWords(name)
  if (words.some((w) => /secret|pass|pwd|token/.test(w))) return undefined
  const last = words.length - 1
  if (!/^(?:key|id|keyid|accesskey|accesskeyid)$/.test(words[last] ?? '')) return undefined
  // `AccessKeyId`: `access key id` is one identifier, its prefix what comes before `access`.
  const cut = words[last] === 'id' && words[last - 1] === 'key' ? (words[last - 2] === 'access' ? last - 2 : last - 1) : words[last] === 'key' && words[last - 1] === 'access' ? last - 1 : last
  return words.slice(0, cut).join(' ')
}

/** `RafaySysApiSecret`, `SecretAccessKey`, `ClientPassword`: the words before the last one(s) that name a secret half. */
function secretHalfPrefix(name: string): string | undefined {
  const words = keyWords(name)
  const last = words.length - 1
  if (/^(?:secret|secretkey|secretaccesskey|password|passwd|passphrase)$/.test(words[last] ?? '')) return words.slice(0, last).join(' ')
  if (words[last] === 'key' && words[last - 1] === 'secret') return words.slice(0, last - 1).join(' ')
  if (words[last] === 'key' && words[last - 1] === 'access' && words[last - 2] === 'secret') return words.slice(0, last - 2).join(' ')
  return undefined
}

/**
 * `RafaySysApiKey` beside a NoEcho `RafaySysApiSecret`: the key or id half of a pair whose secret half
 * (same prefix) the author hid, so this half is most likely the public identifier: the NoEcho sibling's name.
 */
function noEchoSecretSibling(ctx: CfnContext, param: Parameter): string | undefined {
  const prefix = identifierHalfPrefix(param.name)
  if (prefix === undefined) return undefined
  const v = ctx.template.view
  for (const other of ctx.template.parameters.values()) {
    if (other !== param && secretHalfPrefix(other.name) === prefix && isLiteralTrue(v, v.get(other.node, 'NoEcho'))) return other.name
  }
  return undefined
}

/** Parameters named like secrets, plus those referenced from secret properties. */
export function checkSecretParameters(ctx: CfnContext, referenced: Set<string>): Finding[] {
  const v = ctx.template.view
  const out: Finding[] = []
  for (const param of ctx.template.parameters.values()) {
    if (!referenced.has(param.name) && !isSecretKey(param.name)) continue
    // SSM-typed parameters hold a parameter name, not the secret itself.
    if ((literal(v, v.get(param.node, 'Type')) ?? '').startsWith('AWS::SSM::')) continue
    if (holdsNoSecret(ctx, param)) continue
    const defaultValue = literal(v, v.get(param.node, 'Default'))
    if (defaultValue !== undefined && isSecretValue(defaultValue, param.name)) {
      const { note, extra } = trustStoreNote(param.name)
      out.push(ctx.report(CFN.literalSecret, v.keyLine(param.node, 'Default'), `parameter \`${param.name}\` has a literal default value${note}`, extra))
    }
    if (!isLiteralTrue(v, v.get(param.node, 'NoEcho'))) {
      const sibling = noEchoSecretSibling(ctx, param)
      if (sibling !== undefined) {
        const why = `most likely the identifier half of a pair whose secret half \`${sibling}\` is NoEcho, shown in clear as an access key id is`
        out.push(ctx.report(CFN.secretParameterEchoed, param.line, `parameter \`${param.name}\` may carry a secret but is not NoEcho (${why})`, { severity: 'low' }))
      } else out.push(ctx.report(CFN.secretParameterEchoed, param.line, `parameter \`${param.name}\` carries a secret but is not NoEcho`))
    }
  }
  return out
}

/**
 * Secrets Manager secrets that no rotation schedule of the template names, in one pass over the
 * template. A schedule names its secret by `Ref` to the secret, or to a SecretTargetAttachment
 * (whose `Ref` is the secret's ARN). A schedule whose `SecretId` is anything else (a parameter,
 * an import, another resource) may rotate any of them: then nothing is said.
 */
export function checkSecretRotation(ctx: CfnContext): Finding[] {
  const { resources, view: v } = ctx.template
  const secrets = resources.filter((r) => r.type === 'AWS::SecretsManager::Secret')
  if (secrets.length === 0) return []
  const byId = new Map(resources.map((r) => [r.logicalId, r]))
  const refTarget = (node: Node | undefined): Resource | undefined => {
    const arg = intrinsicOf(v, node) === 'Ref' ? v.deref(intrinsicArgument(v, node)) : undefined
    const id = isScalar(arg) ? v.str(arg) : undefined
    return id === undefined ? undefined : byId.get(id)
  }
  const rotated = new Set<string>()
  for (const schedule of resources) {
    if (schedule.type !== 'AWS::SecretsManager::RotationSchedule') continue
    let target = refTarget(v.get(schedule.properties, 'SecretId'))
    if (target?.type === 'AWS::SecretsManager::SecretTargetAttachment') target = refTarget(v.get(target.properties, 'SecretId'))
    if (target?.type !== 'AWS::SecretsManager::Secret') return []
    rotated.add(target.logicalId)
  }
  return secrets
    .filter((r) => !rotated.has(r.logicalId))
    .map((r) => ctx.report(CFN.secretNoRotation, r.line, `hardening: secret \`${r.logicalId}\` has no rotation schedule in this template, so its value stays valid until changed by hand`))
}
