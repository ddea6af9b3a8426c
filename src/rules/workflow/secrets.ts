/** Secrets printed to the log, credentials written literally into the workflow, and all secrets handed to another repository. */
import type { Finding } from '../../types.js'
import { isMap, isScalar, scalarString, type YAMLMap } from '../parse/yaml.js'
import { envScopes, jobLabel, scalarText, type CheckContext } from './context.js'
import { readsSecret } from './expressions.js'
import { RULES } from './meta.js'
import { usesOwnCode, type JobModel, type StepModel } from './model.js'
import { REPEATED_LOGIN, isWordsAndNumber, keyWords, repeatsLogin, whyNotLiteral } from '../secrets/keys.js'
import { invocationOf, splitShellCommands } from '../parse/shell-words.js'

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

/** Skips a `$( … )` starting at `i` (on the `$`); the index after its closing parenthesis. */
function skipSubstitution(line: string, i: number): number {
  let depth = 0
  for (let j = i + 1; j < line.length; j++) {
    if (line[j] === '(') depth++
    else if (line[j] === ')' && --depth === 0) return j + 1
  }
  return line.length
}

/** One simple command of a line: where its words end, what ends it, and whether its standard output goes to a file. */
interface Segment {
  end: number
  /** `|` when a pipe into the next command follows. */
  pipe: boolean
  /** Standard output redirected by `>`, `>>`, `1>` or `&>` to a file (or closed by `>&-`). */
  toFile: boolean
}

/**
 * The extent of the simple command whose words start at `from`: it ends at an unquoted `|`,
 * `;`, `&` or `)`. A redirection target is skipped whole, so the `&` of `>&1` or `2>&1` is
 * no separator; `>&2`, `2>` and `/dev/stdout` leave standard output in the log.
 */
function segmentAt(line: string, from: number): Segment {
  let quote: string | undefined
  let toFile = false
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
    else if (c === '|') return { end: i, pipe: line[i + 1] !== '|', toFile }
    else if (c === '&' && line[i + 1] !== '>') break
    else if (c === '>') {
      const fd = line[i - 1] === '&' ? '&' : /\d/.test(line[i - 1] ?? '') && /\s/.test(line[i - 2] ?? ' ') ? line[i - 1] : '1'
      const stdout = fd === '1' || fd === '&'
      let j = i + 1
      if (line[j] === '>' || line[j] === '|') j++
      if (line[j] === '&') {
        // A copy of another descriptor (`>&2`, `2>&1`): still the log; `>&-` closes it; `>&file` is bash for `&>file`.
        j++
        if (/\d/.test(line[j] ?? '')) while (/\d/.test(line[j] ?? '')) j++
        else if (stdout) toFile = true
      } else {
        while (line[j] === ' ' || line[j] === '\t') j++
        if (stdout && !/^(\/dev\/std(out|err)\b|\/dev\/tty\b)/.test(line.slice(j))) toFile = true
      }
      i = j - 1
    }
  }
  return { end: i, pipe: false, toFile }
}

/**
 * Commands that read a secret from standard input and do not print it back: registry and CLI
 * logins (`--password-stdin`, `--with-token`, `sudo -S`), key stores (`gpg`, `ssh-add`),
 * secret setters, files given as stdin (`--key-file=-`, `kubectl apply -f -`), password reads
 * (`cosign sign`, `openssl … -passin stdin`), and digests or counts of it.
 */
const QUIET_READERS = new Set(['gpg', 'gpg2', 'ssh-add', 'chpasswd', 'wc', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'shasum'])
const QUIET_READER_OPTIONS = new Set(['--password-stdin', '--with-token', '--stdin'])
/**
 * `cosign` commands that open or write a private key: without a terminal they read its password
 * from standard input (when COSIGN_PASSWORD is unset) and print nothing of it.
 */
const COSIGN_KEY_COMMANDS = new Set(['sign', 'sign-blob', 'attest', 'attest-blob', 'generate-key-pair', 'import-key-pair'])
/** `openssl` options naming where a pass phrase comes from; `stdin` and `fd:0` are standard input, read and not echoed (when its output goes to a file). */
const OPENSSL_PASS_OPTIONS = new Set(['-passin', '-passout', '-pass', '-kfile'])
/**
 * Whether `option` (`-out`) names a file that is not the log: its last use (the one openssl keeps)
 * is not `-`, standard output or error (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/2`…), the
 * terminal, or the job summary (`$GITHUB_STEP_SUMMARY`, which the run page shows).
 */
function writesToFile(args: readonly string[], option: string): boolean {
  const at = args.lastIndexOf(option)
  const target = at >= 0 ? args[at + 1] : undefined
  return target !== undefined && !/^(?:-|\/dev\/(?:stdout|stderr|fd\/[12]|tty)|\/proc\/self\/fd\/[12])$/.test(target) && !target.includes('GITHUB_STEP_SUMMARY')
}
/** Tools whose `-f -` reads a file (manifests, values) from standard input. */
const STDIN_FILE_TOOLS = new Set(['kubectl', 'oc', 'helm'])
const isStdin = (word: string | undefined): boolean => word !== undefined && /^(?:-|\/dev\/stdin|\/dev\/fd\/0|\/proc\/self\/fd\/0)$/.test(word)

function readsQuietly(command: string): boolean {
  const [first] = splitShellCommands(command)
  const run = first ? invocationOf(first.words) : undefined
  if (!run) return false
  const { program, args } = run
  // `--password-stdin`, `--with-token`, and any `--…-stdin` switch (`jf c add --access-token-stdin`).
  if (QUIET_READERS.has(program) || args.some((a) => QUIET_READER_OPTIONS.has(a) || (a.startsWith('--') && a.endsWith('-stdin')))) return true
  if (run.elevated && first.words.includes('-S')) return true
  if (program === 'cosign') {
    // An attestation's predicate read from standard input is what goes to the public transparency log.
    if (args.some((a, i) => (a === '--predicate' && isStdin(args[i + 1])) || (a.startsWith('--predicate=') && isStdin(a.slice('--predicate='.length))))) return false
    if (COSIGN_KEY_COMMANDS.has(args[0] ?? '')) return true
  }
  // Only with `-out` to a file: without it openssl prints what it made (`enc -d` the decrypted file) to the log.
  if (program === 'openssl' && args.some((a, i) => OPENSSL_PASS_OPTIONS.has(a) && (args[i + 1] === 'stdin' || args[i + 1] === 'fd:0')) && writesToFile(args, '-out')) return true
  // A long option given standard input as its file (`--key-file=-`, `--from-file=key=/dev/stdin`, `--passphrase-fd 0`).
  const stdinOption = args.some((a, i) => {
    if (!a.startsWith('--')) return false
    const eq = a.lastIndexOf('=')
    if (eq > 0) return isStdin(a.slice(eq + 1))
    return isStdin(args[i + 1]) || (a === '--passphrase-fd' && args[i + 1] === '0')
  })
  if (stdinOption) return true
  if (STDIN_FILE_TOOLS.has(program) && args.some((a, i) => a === '-f' && isStdin(args[i + 1]))) return true
  // `gh secret set NAME`, `wrangler secret put NAME`, `docker secret create NAME -`: a secret store.
  if (/^(gh|wrangler|docker|podman)$/.test(program) && args[0] === 'secret' && /^(set|put|create)$/.test(args[1] ?? '')) return true
  return program === 'grep' && args.some((a) => a === '--quiet' || a === '--silent' || (/^-[a-zA-Z]+$/.test(a) && a.includes('q')))
}

/** Options of `read` that take the next word as their value (delimiter, count, timeout, prompt, array, descriptor, text). */
const READ_OPTIONS_WITH_ARG = 'dnNtpaui'
const SHELL_NAME = /^[A-Za-z_]\w*$/
const PREFIX_ASSIGNMENT = /^[A-Za-z_]\w*=/

/**
 * The variables a loop condition `while [IFS=…] read [-r] VAR…` stores its input in (`REPLY`
 * when none is named), or undefined for any other command: `read` prints nothing, it only
 * assigns. What the loop body does with them is judged line by line, like any other line.
 */
function whileReadVariables(command: string): string[] | undefined {
  const commands = splitShellCommands(command)
  const words = commands.length === 1 ? commands[0].words : []
  if (words[0] !== 'while') return undefined
  let i = 1
  while (i < words.length && PREFIX_ASSIGNMENT.test(words[i])) i++
  if (words[i] !== 'read') return undefined
  const variables: string[] = []
  for (i++; i < words.length; i++) {
    const word = words[i]
    if (!/^-[A-Za-z]+$/.test(word)) variables.push(word)
    // Flags may be joined (`-rd ''`); only the last one may take the next word as its value.
    else if (READ_OPTIONS_WITH_ARG.includes(word[word.length - 1])) {
      if (word.endsWith('a')) variables.push(words[i + 1] ?? '')
      i++
    }
  }
  if (variables.length === 0) return ['REPLY']
  return variables.every((v) => SHELL_NAME.test(v)) ? variables : undefined
}

/** `|| [ -n "$VAR" ]` (or `[[ … ]]`, `test -n …`) after a loop's `read VAR`; group 1 is VAR. */
const LAST_LINE_TEST = /^\|\|[ \t]*(?:\[\[?|test)[ \t]+-n[ \t]+"?\$\{?([A-Za-z_]\w*)\}?"?(?:[ \t]+\]\]?)?[ \t]*/

/** What an `echo`/`printf` writes: its words, whether it reaches the job log, and where its pipeline ends. */
interface EchoCommand {
  words: string
  toLog: boolean
  end: number
  /** The variables of a `while read` loop the pipeline ends in, which get what the echo wrote. */
  readInto?: string[]
}

/**
 * The `echo`/`printf` whose words start at `from`. Written to a file, it stays out of the log;
 * piped, what reaches the log is what the pipeline's last command prints: everything (`base64
 * -d`, `rev`, `tee`), unless it reads its input without printing it (`docker login
 * --password-stdin`, `gpg --import`) or its own output goes to a file.
 */
function echoCommand(line: string, from: number): EchoCommand {
  const own = segmentAt(line, from)
  const words = line.slice(from, own.end)
  if (!own.pipe) return { words, toLog: !own.toFile, end: own.end }
  // Follow the pipe (`|` or `|&`) to the last command of the pipeline.
  let lastStart = own.end + 1
  let last: Segment
  for (;;) {
    if (line[lastStart] === '&') lastStart++
    last = segmentAt(line, lastStart)
    if (!last.pipe) break
    lastStart = last.end + 1
  }
  const lastCommand = line.slice(lastStart, last.end)
  // A `while read` condition ended by `;` or the line (its `do` follows): no other command shares its input.
  // `|| [ -n "$line" ]` after it keeps a last line without a newline; the test prints nothing.
  const lastLine = LAST_LINE_TEST.exec(line.slice(last.end))
  const conditionEnd = last.end + (lastLine?.[0].length ?? 0)
  const variables = line[conditionEnd] === ';' || conditionEnd === line.length ? whileReadVariables(lastCommand) : undefined
  const readInto = variables && (!lastLine || variables.includes(lastLine[1])) ? variables : undefined
  if (readInto) return { words, toLog: false, end: conditionEnd, readInto }
  return { words, toLog: !own.toFile && !last.toFile && !readsQuietly(lastCommand), end: last.end }
}

/**
 * Whether the command word starting at `start` writes into a substitution (`$( )`, `<( )`,
 * `>( )`, backquotes) rather than the log; `backquotes` counts the backquotes before `start`.
 */
function captured(line: string, start: number, backquotes: (to: number) => number): boolean {
  let j = start - 1
  while (j >= 0 && (line[j] === ' ' || line[j] === '\t')) j--
  if (line[j] === '`') return backquotes(j + 1) % 2 === 1
  return line[j] === '(' && j > 0 && '$<>'.includes(line[j - 1])
}

/** Whether the words of an `echo`/`printf` hold a secret: an expression reading one, or a variable named in `names`. */
function holdsSecret(words: string, names: ReadonlySet<string>): boolean {
  if (readsSecret(words)) return true
  for (const v of words.matchAll(/\$\{?([A-Za-z_]\w*)/g)) if (names.has(v[1])) return true
  return false
}

/**
 * True when an `echo`/`printf` on this (logical) line writes a secret to the job log. A secret
 * piped into a `while read` loop adds the loop's variables to `names`: the lines after it (the
 * loop body) print a secret when they print those.
 */
function echoesSecret(line: string, names: Set<string>): boolean {
  if (line.includes('::add-mask::')) return false
  // Backquotes before a position, counted once along the line (the matches come in order).
  let counted = 0
  let count = 0
  const backquotes = (to: number): number => {
    for (; counted < to; counted++) if (line[counted] === '`') count++
    return count
  }
  let covered = 0
  for (const m of line.matchAll(ECHO)) {
    const word = m.index + m[0].length - m[1].length - 1
    // An `echo` among the words of the previous command (`echo echo`, `| xargs echo`) was judged with it.
    if (word < covered) continue
    // Written into a substitution: the enclosing command gets it, and is judged by its own words.
    if (captured(line, word, backquotes)) continue
    const command = echoCommand(line, m.index + m[0].length)
    covered = command.end
    if (command.readInto && holdsSecret(command.words, names)) for (const v of command.readInto) names.add(v)
    if (command.toLog && holdsSecret(command.words, names)) return true
  }
  return false
}

/**
 * The logical lines of a script with the offset each starts at, comments left out: a line
 * ending in an unquoted `\` goes on with the next one (the pair is removed, as the shell does).
 * A `\` in single quotes or a comment is text.
 */
function logicalLines(script: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = []
  let quote: string | undefined
  let text = ''
  let offset = 0
  let from = 0
  for (let i = 0; i < script.length; i++) {
    const c = script[i]
    if (c === '\n') {
      out.push({ text: text + script.slice(from, i), offset })
      text = ''
      offset = from = i + 1
    } else if (quote === "'") {
      if (c === "'") quote = undefined
    } else if (c === '\\') {
      if (script[i + 1] === '\n') {
        text += script.slice(from, i)
        from = i + 2
      }
      i++
    } else if (c === '"') quote = quote ? undefined : '"'
    else if (!quote && c === "'") quote = "'"
    else if (!quote && c === '#' && (i === 0 || /[\s;&|(]/.test(script[i - 1]))) {
      // A comment runs to the end of the line, quotes and backslashes included, and prints nothing.
      text += script.slice(from, i)
      while (i + 1 < script.length && script[i + 1] !== '\n') i++
      from = i + 1
    }
  }
  out.push({ text: text + script.slice(from), offset })
  return out
}

function checkEchoes(ctx: CheckContext): Finding[] {
  const out: Finding[] = []
  for (const job of ctx.wf.jobs) {
    for (const step of job.steps) {
      // The script as the shell gets it, out of its YAML quotes (and escapes: `"echo \x24{{ secrets.KEY }}"`).
      const script = step.run ? scalarText(ctx, step.run) : undefined
      if (!script) continue
      const names = secretEnvNames(ctx, job, step)
      for (const l of logicalLines(script.text)) {
        if (echoesSecret(l.text, names)) {
          out.push(ctx.report(RULES.secretEchoed, script.place(l.offset).line, `a \`run\` script in ${jobLabel(ctx, job)} prints a secret to the log.`))
        }
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

/**
 * A step that starts a server for the run: a compose stack, a container, a system service, or an
 * action that sets up a database (`docker compose … up`, `docker run`, `systemctl start`, `setup-postgres`).
 */
const STARTS_SERVICE_RUN = /\bdocker\s+(?:container\s+)?run\b|\b(?:systemctl|service)\s+(?:start\s+\S|\S+\s+start\b)|\b(?:redis-server|mysqld|mongod)\b/
/** A command and, later on its line, the verb that makes it start something (tested apart: no backtracking across the line). */
const STARTS_SERVICE_VERB: ReadonlyArray<[RegExp, RegExp]> = [
  [/\bdocker(?:-compose|\s+compose)\b/, /\sup\b/],
  [/\bpg_ctl(?:cluster)?\b/, /\bstart\b/]
]

function startsServiceIn(script: string): boolean {
  if (STARTS_SERVICE_RUN.test(script)) return true
  return script.split('\n').some((line) => STARTS_SERVICE_VERB.some(([command, verb]) => command.test(line) && verb.test(line)))
}
const STARTS_SERVICE_USES = /(?:setup|start)-(?:postgres|postgresql|mysql|mariadb|redis|mongodb|rabbitmq|elasticsearch)|(?:postgres|postgresql|mysql|mariadb|redis|mongodb|rabbitmq|elasticsearch|opensearch)-(?:github-)?action/i

/** The job has `services:` or a step that starts a server (see STARTS_SERVICE_RUN). */
function jobStartsService(ctx: CheckContext, job: CheckContext['wf']['jobs'][number]): boolean {
  const services = job.node.get('services', true)
  if (isMap(services) && services.items.length > 0) return true
  return job.steps.some((step) => (step.uses !== undefined && STARTS_SERVICE_USES.test(step.uses)) || (step.run !== undefined && startsServiceIn(scalarText(ctx, step.run)?.text ?? '')))
}

/** Variables frameworks read to pick their settings (`NODE_ENV`, `RAILS_ENV`, …), and the values naming the test ones. */
const ENVIRONMENT_NAME_KEY = /^(?:NODE_ENV|RAILS_ENV|RACK_ENV|APP_ENV|FLASK_ENV|MIX_ENV|DJANGO_ENV|GO_ENV|ASPNETCORE_ENVIRONMENT)$/
const TEST_ENVIRONMENT = /^(?:test|testing)$/i

/** The framework environment an env map sets (`NODE_ENV: production`), one other than test first, and whether it is a test one. */
function environmentSetIn(map: YAMLMap | undefined): { written: string; test: boolean } | undefined {
  let test: { written: string; test: boolean } | undefined
  for (const p of map?.items ?? []) {
    const key = scalarString(p.key)
    const value = scalarString(p.value)
    if (key === undefined || value === undefined || !ENVIRONMENT_NAME_KEY.test(key)) continue
    const written = `${key}: ${value}`
    if (!TEST_ENVIRONMENT.test(value.trim())) return { written, test: false }
    test ??= { written, test: true }
  }
  return test
}

/** The framework environment in force (the nearest env map setting one), when it is a test one. */
function testEnvironmentOf(...nearestFirst: (YAMLMap | undefined)[]): string | undefined {
  for (const map of nearestFirst) {
    const set = environmentSetIn(map)
    if (set !== undefined) return set.test ? set.written : undefined
  }
  return undefined
}

/**
 * Words of an application's own secret (`SECRET_KEY`, `SECRET_KEY_BASE`, `JWT_SECRET`,
 * `SESSION_SECRET`): a key made only of them names no outside service, whose credential a test
 * run would hold all the same (`APP_SECRET` is often a Facebook or Shopify app's, `MASTER_KEY`
 * decrypts a Rails app's real credentials: neither word is here).
 */
const APP_SECRET_WORDS = new Set(['secret', 'key', 'base', 'jwt', 'session', 'cookie', 'utils', 'signing', 'encryption', 'hmac', 'csrf'])

function namesAppSecret(key: string): boolean {
  const words = key.toLowerCase().split(/[^a-z]+/).filter((w) => w !== '')
  return words.length > 0 && words.every((w) => APP_SECRET_WORDS.has(w)) && words.some((w) => w === 'secret' || w === 'key')
}

/**
 * What a map's literals are judged with: values of the job's own service containers
 * (`throwaway`), whether the job starts a server, and the test environment the env in force sets
 * (`NODE_ENV: test`), whose literals configure the application under test.
 */
interface MapSetting {
  throwaway?: ReadonlySet<string>
  startsService?: boolean
  testEnvironment?: string
}

function checkMap(ctx: CheckContext, map: YAMLMap | undefined, where: string, out: Finding[], setting: MapSetting = {}): void {
  if (!map) return
  const { throwaway, startsService = false, testEnvironment } = setting
  for (const p of map.items) {
    const key = scalarString(p.key)
    if (!key || !isScalar(p.value) || typeof p.value.value !== 'string') continue
    if (throwaway?.has(p.value.value)) continue
    if (isLiteralCredential(key, p.value.value)) {
      const message = `\`${key}\` in ${where} is set to a literal value instead of a secret reference`
      // Words and a number are what a run gives a database or server it starts for itself; a generated secret mixes throughout.
      const v = p.value.value.trim()
      if (testEnvironment !== undefined && namesAppSecret(key) && !CREDENTIAL_VALUE.test(v)) {
        // Only an application's own secret: an outside service's credential (`NPM_TOKEN`, an AWS key) is as real in a test run.
        // Medium, not low: a real service's credential may still sit among the test settings.
        out.push(ctx.report(RULES.literalCredential, ctx.y.lineOf(p.key), `${message} (the env sets \`${testEnvironment}\`: most likely a value for the application under test; medium).`, { severity: 'medium' }))
      } else if (repeatsLogin(keyWords(key), v)) {
        out.push(ctx.report(RULES.literalCredential, ctx.y.lineOf(p.key), `${message} (${REPEATED_LOGIN}; medium).`, { severity: 'medium' }))
      } else if (!CREDENTIAL_VALUE.test(v) && isWordsAndNumber(v)) {
        // The shape as it is (`isWordsAndNumber` takes no digit too), and a started service only when the job has one.
        const shape = /\d/.test(v) ? 'words and a number' : 'words'
        const service = startsService ? ': most likely for a service this run starts' : ''
        out.push(ctx.report(RULES.literalCredential, ctx.y.lineOf(p.key), `${message} (${shape}, not a generated secret${service}; medium).`, { severity: 'medium' }))
      } else out.push(ctx.report(RULES.literalCredential, ctx.y.lineOf(p.key), `${message}.`))
    }
  }
}

/** String values of the `env:` of every service container of a job's `services:`. */
function serviceEnvValues(services: unknown): Set<string> {
  const values = new Set<string>()
  if (!isMap(services)) return values
  for (const s of services.items) {
    const env = isMap(s.value) ? s.value.get('env', true) : undefined
    if (!isMap(env)) continue
    for (const p of env.items) if (isScalar(p.value) && typeof p.value.value === 'string' && p.value.value !== '') values.add(p.value.value)
  }
  return values
}

function credentialsOf(node: unknown): YAMLMap | undefined {
  const creds = isMap(node) ? node.get('credentials', true) : undefined
  return isMap(creds) ? (creds as YAMLMap) : undefined
}

function checkLiterals(ctx: CheckContext): Finding[] {
  const out: Finding[] = []
  const starts = new Map(ctx.wf.jobs.map((job) => [job, jobStartsService(ctx, job)]))
  // A literal of the workflow's or a job's env reaches every step under it: lowered only when none of them runs another environment.
  const stepEnvs = (job: CheckContext['wf']['jobs'][number]): (YAMLMap | undefined)[] => job.steps.map((step) => step.env)
  const setsOtherEnvironment = (maps: (YAMLMap | undefined)[]): boolean => maps.some((map) => environmentSetIn(map)?.test === false)
  const workflowTest = setsOtherEnvironment(ctx.wf.jobs.flatMap((job) => [job.env, ...stepEnvs(job)])) ? undefined : testEnvironmentOf(ctx.wf.env)
  checkMap(ctx, ctx.wf.env, 'the workflow env', out, { startsService: [...starts.values()].some(Boolean), testEnvironment: workflowTest })
  for (const job of ctx.wf.jobs) {
    const services = job.node.get('services', true)
    // The values a service container of the job is started with (`POSTGRES_PASSWORD: app_test`): a
    // database made for the job and thrown away with it; the steps that connect to it repeat them.
    const throwaway = serviceEnvValues(services)
    const startsService = starts.get(job) ?? false
    const jobTest = setsOtherEnvironment(stepEnvs(job)) ? undefined : testEnvironmentOf(job.env, ctx.wf.env)
    checkMap(ctx, job.env, `the env of job \`${job.id}\``, out, { throwaway, startsService, testEnvironment: jobTest })
    const withMap = job.node.get('with', true)
    if (isMap(withMap)) checkMap(ctx, withMap as YAMLMap, `the inputs of job \`${job.id}\``, out, { throwaway, startsService })
    checkMap(ctx, credentialsOf(job.node.get('container', true)), `the container credentials of job \`${job.id}\``, out)
    if (isMap(services)) {
      for (const s of services.items) checkMap(ctx, credentialsOf(s.value), `the credentials of service \`${scalarString(s.key)}\``, out)
    }
    for (const step of job.steps) {
      const label = step.name ? `step \`${step.name}\`` : `step #${step.index + 1} of ${jobLabel(ctx, job)}`
      checkMap(ctx, step.env, `the env of ${label}`, out, { throwaway, startsService, testEnvironment: testEnvironmentOf(step.env, job.env, ctx.wf.env) })
      checkMap(ctx, step.with, `the inputs of ${label}`, out, { throwaway, startsService })
    }
  }
  return out
}

/** `secrets: inherit` on a call to a reusable workflow of another repository (and, when known, another owner). */
function checkInheritedSecrets(ctx: CheckContext): Finding[] {
  const out: Finding[] = []
  for (const job of ctx.wf.jobs) {
    const pair = job.uses ? job.node.items.find((p) => scalarString(p.key) === 'secrets') : undefined
    if (!job.uses || !pair || scalarString(pair.value) !== 'inherit' || usesOwnCode(job.uses)) continue
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
