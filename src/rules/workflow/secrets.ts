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

/** What an `echo`/`printf` writes: its words, and whether its standard output reaches the job log. */
interface EchoCommand {
  words: string
  toLog: boolean
}

/** Skips a `$( … )` starting at `i` (on the `$`); the index after its closing parenthesis. */
function skipSubstitution(line: string, i: number): number {
  let depth = 0
  for (let j = i + 1; j < line.length; j++) {
    if (line[j] === '(') depth++
    else if (line[j] === ')' && --depth === 0) return j + 1
  }
  return line.length
}

/**
 * The extent of the command starting at `from` (after `echo `/`printf `): its words end at an
 * unquoted `|`, `;`, `&` or `)`. Its standard output is
 * redirected by `>`, `>>`, `1>` or `&>` to a file (`>&2` and `2>` leave it in the log) and taken
 * by a pipe into another command (`tee` still prints it).
 */
function echoCommand(line: string, from: number): EchoCommand {
  let quote: string | undefined
  let toLog = true
  let i = from
  for (; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = undefined
      continue
    }
    if (c === '\\') i++
    else if (c === "'" || c === '"') quote = c
    else if (c === '$' && line[i + 1] === '(') i = skipSubstitution(line, i) - 1
    else if (c === ')' || c === ';' || c === '\n') break
    else if (c === '|') {
      if (line[i + 1] !== '|' && !/^\s*tee\b/.test(line.slice(i + 1))) toLog = false
      break
    } else if (c === '&' && line[i + 1] !== '>') break
    else if (c === '>') {
      const fd = line[i - 1] === '&' ? '&' : /\d/.test(line[i - 1] ?? '') && /\s/.test(line[i - 2] ?? ' ') ? line[i - 1] : '1'
      let j = i + 1
      if (line[j] === '>' || line[j] === '|') j++
      while (line[j] === ' ' || line[j] === '\t') j++
      const target = /^(&\d|\/dev\/std(out|err)\b|\/dev\/tty\b)/.test(line.slice(j))
      if ((fd === '1' || fd === '&') && !target) toLog = false
      i = j - 1
    }
  }
  return { words: line.slice(from, i), toLog }
}

/** Whether the command word starting at `start` writes into a substitution (`$( )`, `<( )`, `>( )`, backquotes) rather than the log. */
function captured(line: string, start: number): boolean {
  let j = start - 1
  while (j >= 0 && (line[j] === ' ' || line[j] === '\t')) j--
  if (line[j] === '`') return line.slice(0, j + 1).split('`').length % 2 === 0
  return line[j] === '(' && j > 0 && '$<>'.includes(line[j - 1])
}

/** True when an `echo`/`printf` on this line writes a secret to the job log. */
function echoesSecret(line: string, names: Set<string>): boolean {
  if (line.includes('::add-mask::')) return false
  for (const m of line.matchAll(ECHO)) {
    // Written into a substitution: the enclosing command gets it, and is judged by its own words.
    if (captured(line, m.index + m[0].length - m[1].length - 1)) continue
    const command = echoCommand(line, m.index + m[0].length)
    if (!command.toLog) continue
    if (readsSecret(command.words)) return true
    for (const v of command.words.matchAll(/\$\{?([A-Za-z_]\w*)/g)) if (names.has(v[1])) return true
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
