/**
 * A small POSIX-shell word splitter for Dockerfile RUN scripts. It is not a shell: it knows
 * quotes, escapes, line continuations, comments, command and variable substitutions (kept
 * inside the word) and the operators that separate commands, which is what the package-manager
 * rules need to tell `apt-get install foo && rm -rf …` apart.
 */

/** How one command is joined to the next one. */
export type Separator = '&&' | '||' | ';' | '|' | '&' | '\n' | '(' | ')' | 'end'

export interface ShellCommand {
  /** Words with quotes removed; redirections are dropped. */
  words: string[]
  /** The operator that follows this command. */
  next: Separator
  /**
   * The scripts of the command substitutions (`$( … )`, `` `…` ``) in its words, outside single
   * quotes: the shell runs them too. `$(( … ))` arithmetic is none. Absent when there are none.
   */
  substitutions?: string[]
}

const OPERATOR_START = new Set(['&', '|', ';', '\n', '(', ')'])

/** Splits a script into simple commands. Never throws; unterminated quotes end at the end of input. */
export function splitShellCommands(script: string): ShellCommand[] {
  const commands: ShellCommand[] = []
  let words: string[] = []
  let substitutions: string[] = []
  let word: string | null = null
  let dropNextWord = false
  let i = 0

  const endWord = (): void => {
    if (word === null) return
    if (dropNextWord) dropNextWord = false
    else words.push(word)
    word = null
  }
  const endCommand = (next: Separator): void => {
    endWord()
    if (words.length > 0) commands.push(substitutions.length ? { words, next, substitutions } : { words, next })
    else if (commands.length > 0 && next !== '\n') commands[commands.length - 1].next = next
    words = []
    substitutions = []
  }
  const substituted = (open: number, end: number): void => {
    if (script[open] === '(' && script[open + 1] !== '(') substitutions.push(script.slice(open + 1, end))
  }
  const append = (text: string): void => {
    word = (word ?? '') + text
  }

  while (i < script.length) {
    const c = script[i]
    if (c === '\\') {
      if (script[i + 1] === '\n') i += 2
      else {
        append(script[i + 1] ?? '')
        i += 2
      }
      continue
    }
    if (c === "'") {
      const close = script.indexOf("'", i + 1)
      const end = close === -1 ? script.length : close
      append(script.slice(i + 1, end))
      i = end + 1
      continue
    }
    if (c === '"') {
      i = readDoubleQuoted(script, i + 1, append, substituted)
      continue
    }
    if (c === '$' && (script[i + 1] === '(' || script[i + 1] === '{')) {
      const end = matchingClose(script, i + 1)
      substituted(i + 1, end)
      append(script.slice(i, end + 1))
      i = end + 1
      continue
    }
    if (c === '`') {
      const close = script.indexOf('`', i + 1)
      const end = close === -1 ? script.length - 1 : close
      if (close !== -1) substitutions.push(script.slice(i + 1, close))
      append(script.slice(i, end + 1))
      i = end + 1
      continue
    }
    if (c === '#' && word === null) {
      const nl = script.indexOf('\n', i)
      i = nl === -1 ? script.length : nl
      continue
    }
    if (c === ' ' || c === '\t') {
      endWord()
      i++
      continue
    }
    if (c === '>' || c === '<') {
      // A redirection: a leading file-descriptor number and the target are not arguments.
      if (word !== null && /^\d+$/.test(word)) word = null
      endWord()
      i++
      while (script[i] === '>' || script[i] === '<' || script[i] === '&' || script[i] === '|') i++
      dropNextWord = true
      continue
    }
    if (OPERATOR_START.has(c)) {
      const two = script.slice(i, i + 2)
      if (two === '&&' || two === '||') {
        endCommand(two)
        i += 2
      } else {
        endCommand(c as Separator)
        i++
      }
      continue
    }
    append(c)
    i++
  }
  endCommand('end')
  return commands
}

/** Reads a double-quoted string from `start` (after its quote); `substituted` gets the parenthesis of each `$(` and its match. */
function readDoubleQuoted(script: string, start: number, append: (t: string) => void, substituted: (open: number, end: number) => void): number {
  let i = start
  while (i < script.length && script[i] !== '"') {
    const c = script[i]
    if (c === '\\' && i + 1 < script.length) {
      const n = script[i + 1]
      if (n === '\n') {
        i += 2
        continue
      }
      append('"\\$`'.includes(n) ? n : c + n)
      i += 2
      continue
    }
    if (c === '$' && script[i + 1] === '(') {
      const end = matchingClose(script, i + 1)
      substituted(i + 1, end)
      append(script.slice(i, end + 1))
      i = end + 1
      continue
    }
    append(c)
    i++
  }
  // A quoted empty string is still a word.
  append('')
  return i + 1
}

/** Index of the bracket closing the one at `open` (`(` or `{`), or the last index. */
function matchingClose(script: string, open: number): number {
  const opener = script[open]
  const closer = opener === '(' ? ')' : '}'
  let depth = 0
  for (let i = open; i < script.length; i++) {
    if (script[i] === opener) depth++
    else if (script[i] === closer) {
      depth--
      if (depth === 0) return i
    }
  }
  return script.length - 1
}

/** Wrappers that run the command given after them. */
const WRAPPERS = new Set(['sudo', 'env', 'exec', 'time', 'nohup', 'command', 'nice', 'doas'])
/** Options of those wrappers that take a separate argument (`-n` only for nice: sudo's and doas's take none). */
const WRAPPER_OPTIONS_WITH_ARG = new Set(['-u', '-g', '-n', '-C', '-h', '-p', '-U', '-r', '-t'])

export interface Invocation {
  /** Base name of the program (`apt-get` for `/usr/bin/apt-get`). */
  program: string
  args: string[]
  /** The command went through sudo (or doas). */
  elevated: boolean
  /** The user sudo or doas was told to run it as (`-u discourse`, `--user=app`), when given, and which of the two. */
  runsAs?: { user: string; by: 'sudo' | 'doas' }
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/

/** The program a command runs, past `VAR=x` prefixes and wrappers like sudo and env. */
export function invocationOf(words: string[]): Invocation | undefined {
  let i = 0
  let elevated = false
  let runsAs: Invocation['runsAs']
  for (;;) {
    while (i < words.length && ASSIGNMENT.test(words[i])) i++
    if (i >= words.length) return undefined
    const name = basename(words[i])
    if (!WRAPPERS.has(name)) break
    const switchesUser = name === 'sudo' || name === 'doas'
    if (switchesUser) {
      elevated = true
      // A sudo inside another (`sudo -u app sudo …`) runs as root unless it names a user itself.
      runsAs = undefined
    }
    i++
    while (i < words.length && words[i].startsWith('-')) {
      const option = words[i]
      const named = switchesUser ? userOptionAt(words, i) : undefined
      if (named !== undefined) {
        runsAs = { user: named.user, by: name as 'sudo' | 'doas' }
        i += named.words
      } else i += WRAPPER_OPTIONS_WITH_ARG.has(option) && (option !== '-n' || name === 'nice') ? 2 : 1
    }
  }
  return { program: basename(words[i]), args: words.slice(i + 1), elevated, ...(runsAs !== undefined ? { runsAs } : {}) }
}

/**
 * The user one option of sudo, doas, runuser or chpst names (`-u app`, `-uapp`, `--user app`,
 * `--user=app`) and how many words the option takes; undefined for any other option.
 */
export function userOptionAt(words: readonly string[], i: number): { user: string; words: 1 | 2 } | undefined {
  const option = words[i] ?? ''
  if (option === '-u' || option === '--user') return { user: words[i + 1] ?? '', words: 2 }
  if (option.startsWith('--user=')) return { user: option.slice('--user='.length), words: 1 }
  if (/^-u[^-=]/.test(option)) return { user: option.slice(2), words: 1 }
  return undefined
}

function basename(word: string): string {
  const slash = word.lastIndexOf('/')
  return slash === -1 ? word : word.slice(slash + 1)
}

/**
 * Positional arguments of a command line, skipping options; `withArg` names the options that
 * consume the following word (an inline `--opt=value` consumes nothing).
 */
export function positionals(args: string[], withArg: ReadonlySet<string>): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--') {
      out.push(...args.slice(i + 1))
      break
    }
    if (a.startsWith('-') && a.length > 1) {
      if (withArg.has(a)) i++
      continue
    }
    out.push(a)
  }
  return out
}
