/** Secrets printed to the log, credentials written literally into the workflow, and all secrets handed to another repository. */
import type { Finding } from '../../types.js'
import { isMap, isScalar, scalarString, type YAMLMap } from '../parse/yaml.js'
import { envScopes, jobLabel, rawOf, lineAt, type CheckContext } from './context.js'
import { readsSecret } from './expressions.js'
import { RULES } from './meta.js'
import type { JobModel, StepModel } from './model.js'
import { whyNotLiteral } from '../secrets/keys.js'

/** Names of env variables in scope that are set from secrets. */
function secretEnvNames(ctx: CheckContext, job: JobModel, step: StepModel): Set<string> {
  const names = new Set<string>()
  for (const map of envScopes(ctx.wf, job, step)) {
    for (const p of map.items) {
      const key = scalarString(p.key)
      if (key && readsSecret(scalarString(p.value) ?? '')) names.add(key)
    }
  }
  return names
}

const ECHO = /(?:^|[\s;&|(`])(echo|printf)\s/g

/** True when an `echo`/`printf` on this line writes a secret to standard output. */
function echoesSecret(line: string, names: Set<string>): boolean {
  if (line.includes('::add-mask::')) return false
  for (const m of line.matchAll(ECHO)) {
    const rest = line.slice(m.index + m[0].length)
    // The command's own words end at the first pipe, redirection or command separator.
    const end = rest.search(/[|>;&]/)
    const words = end < 0 ? rest : rest.slice(0, end)
    if (end >= 0 && (rest[end] === '|' || rest[end] === '>')) continue
    if (readsSecret(words)) return true
    for (const v of words.matchAll(/\$\{?([A-Za-z_]\w*)/g)) if (names.has(v[1])) return true
  }
  return false
}

function checkEchoes(ctx: CheckContext): Finding[] {
  const out: Finding[] = []
  for (const job of ctx.wf.jobs) {
    for (const step of job.steps) {
      const raw = step.run ? rawOf(ctx, step.run) : undefined
      if (!raw) continue
      const names = secretEnvNames(ctx, job, step)
      let offset = raw.offset
      for (const l of raw.text.split('\n')) {
        if (echoesSecret(l, names)) {
          out.push(ctx.report(RULES.secretEchoed, lineAt(ctx, offset), `a \`run\` script in ${jobLabel(ctx, job)} prints a secret to the log.`))
        }
        offset += l.length + 1
      }
    }
  }
  return out
}

/** Key names that hold a credential (matched at the end of the name). */
const CREDENTIAL_KEY = /(pass(word|wd)?|pwd|secret|token|api[-_]?key|apikey|access[-_]?key|private[-_]?key|secret[-_]?key|auth[-_]?key|credentials?)$/i
/** Values shaped like a well-known credential, whatever the key. */
const CREDENTIAL_VALUE = /\b(AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36}\b|\bgithub_pat_\w{20,}|\bxox[baprs]-[\w-]{10,}|\bglpat-[\w-]{20}|\bsk_live_\w{16,}/
/** Literal values that are clearly not a credential. */
const NOT_A_CREDENTIAL = /^(true|false|yes|no|on|off|none|null|required|optional|auto|default|[*]+|x+)$/i

function isLiteralCredential(key: string, value: string): boolean {
  if (CREDENTIAL_VALUE.test(value)) return true
  if (!CREDENTIAL_KEY.test(key) || value.includes('${{')) return false
  const v = value.trim()
  if (v.length < 8 || NOT_A_CREDENTIAL.test(v) || /\s/.test(v)) return false
  // References to variables, files or paths, placeholders and code, not the credential itself.
  return !/^(\$|%|\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) && whyNotLiteral(v, key) === undefined
}

function checkMap(ctx: CheckContext, map: YAMLMap | undefined, where: string, out: Finding[]): void {
  if (!map) return
  for (const p of map.items) {
    const key = scalarString(p.key)
    if (!key || !isScalar(p.value) || typeof p.value.value !== 'string') continue
    if (isLiteralCredential(key, p.value.value)) {
      out.push(ctx.report(RULES.literalCredential, ctx.y.lineOf(p.key), `\`${key}\` in ${where} is set to a literal value instead of a secret reference.`))
    }
  }
}

function credentialsOf(node: unknown): YAMLMap | undefined {
  const creds = isMap(node) ? node.get('credentials', true) : undefined
  return isMap(creds) ? (creds as YAMLMap) : undefined
}

function checkLiterals(ctx: CheckContext): Finding[] {
  const out: Finding[] = []
  checkMap(ctx, ctx.wf.env, 'the workflow env', out)
  for (const job of ctx.wf.jobs) {
    checkMap(ctx, job.env, `the env of job \`${job.id}\``, out)
    const withMap = job.node.get('with', true)
    if (isMap(withMap)) checkMap(ctx, withMap as YAMLMap, `the inputs of job \`${job.id}\``, out)
    checkMap(ctx, credentialsOf(job.node.get('container', true)), `the container credentials of job \`${job.id}\``, out)
    const services = job.node.get('services', true)
    if (isMap(services)) {
      for (const s of services.items) checkMap(ctx, credentialsOf(s.value), `the credentials of service \`${scalarString(s.key)}\``, out)
    }
    for (const step of job.steps) {
      const label = step.name ? `step \`${step.name}\`` : `step #${step.index + 1} of ${jobLabel(ctx, job)}`
      checkMap(ctx, step.env, `the env of ${label}`, out)
      checkMap(ctx, step.with, `the inputs of ${label}`, out)
    }
  }
  return out
}

/** `secrets: inherit` on a call to a reusable workflow of another repository (and, when known, another owner). */
function checkInheritedSecrets(ctx: CheckContext): Finding[] {
  const out: Finding[] = []
  for (const job of ctx.wf.jobs) {
    const pair = job.uses ? job.node.items.find((p) => scalarString(p.key) === 'secrets') : undefined
    if (!job.uses || !pair || scalarString(pair.value) !== 'inherit' || /^\.\.?\//.test(job.uses)) continue
    const repo = job.uses.split('/').slice(0, 2).join('/')
    const owner = repo.split('/')[0].toLowerCase()
    if (ctx.owner !== undefined && owner === ctx.owner) continue
    // Without the run's repository (no GITHUB_REPOSITORY, no origin remote) the call may be to this very repository.
    const whose = ctx.owner !== undefined ? 'another repository' : 'which is another repository unless this workflow belongs to it'
    out.push(ctx.report(RULES.secretsInherit, ctx.y.lineOf(pair.value), `${jobLabel(ctx, job)} passes every secret of the repository to the reusable workflow of \`${repo}\`, ${whose}.`))
  }
  return out
}

export function checkSecrets(ctx: CheckContext): Finding[] {
  return [...checkEchoes(ctx), ...checkLiterals(ctx), ...checkInheritedSecrets(ctx)]
}
