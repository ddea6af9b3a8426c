/**
 * Which command a flag belongs to, read from the text before it on its line: the first word of the
 * current pipeline segment, past what only wraps a command (`sudo`, `env X=1`, `docker exec
 * CONTAINER`, `kubectl exec … --`, a prompt, a YAML or JSON key, a Dockerfile instruction, a
 * Makefile recipe's `@`/`-`/`+`). The secret scan asks it to rule a flag out: in `find … -name
 * 'mysql' -printf …` the segment's command is `find`, whose `-printf` is no MySQL password.
 */

/** Characters that end a command outside quotes: `|`, `||`, `&&`, `&`, `;`, `$(`, `(`, a backtick. */
const COMMAND_END = new Set(['|', '&', ';', '(', '`'])
/** The text just before a quote that opens a script: `sh -c "`, an exec form's `"-c", "`. */
const SCRIPT_OPENER = /(?:^|[\s,[])"?-c"?[\s,]*$/

/**
 * Where the command that ends `before` starts: past the last `|`, `&&`, `;`, `(`, backtick…
 * outside quotes, or at the start of the script of `sh -c "…"` (also an exec form's `"-c", "…"`),
 * read as a line of its own. Quoted text is an argument: `mysql -e "CREATE DATABASE app;" -p…`
 * is one command.
 */
function segmentStart(before: string): number {
  let start = 0
  let quote: string | undefined
  let script: string | undefined
  for (let i = 0; i < before.length; i++) {
    const c = before[i]
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = undefined
      continue
    }
    if (c === '\\') i++
    else if (c === script) {
      script = undefined
      start = i + 1
    } else if (c === '"' || c === "'") {
      if (script === undefined && SCRIPT_OPENER.test(before.slice(Math.max(0, i - 12), i))) {
        script = c
        start = i + 1
      } else quote = c
    } else if (COMMAND_END.has(c)) start = i + 1
  }
  return start
}

/** Shell keywords and wrappers that run the word after them as the command (`if`, `time`, `exec`). */
const PASS_THROUGH = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time', 'nohup', 'exec', 'command', 'builtin', 'RUN', 'CMD', 'CMD-SHELL', 'ENTRYPOINT', 'HEALTHCHECK', '-', '='])
/** Options of `sudo`, `env` and `timeout` that take the next word as their value (`sudo -u mysql`). */
const WRAPPER_VALUE_OPTIONS = new Set(['-u', '-g', '-C', '-h', '-p', '-U', '-r', '-t', '-s', '-k'])
/** Options of `docker exec`/`docker run` (and podman's, compose's) that take the next word as their value. */
const CONTAINER_VALUE_OPTIONS = new Set([
  '-e', '-u', '-w', '-v', '-p', '-l', '-h', '-m', '-c', '--env', '--env-file', '--user', '--workdir', '--volume', '--publish', '--label', '--name',
  '--network', '--net', '--entrypoint', '--hostname', '--platform', '--pull', '--mount', '--memory', '--cpus', '--detach-keys', '--index', '--add-host', '--link', '--restart'
])
/** Options of `ssh` that take the next word as their value. */
const SSH_VALUE_OPTIONS = new Set(['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w', '-B'])
/** `find`'s actions that run a command on each file. */
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir'])
const CONTAINER_TOOLS = new Set(['docker', 'podman', 'nerdctl', 'docker-compose', 'podman-compose'])
const KUBE_TOOLS = new Set(['kubectl', 'oc'])

/** A shell prompt in a transcript: `$`, `#`, `root@c97c472db02e:/#`. */
const PROMPT = /^(?:[\w.-]{1,64}@[\w.-]{1,64}(?::\S{0,100})?)?[$#>%]$/
/** A YAML or JSON key before a command (`command:`, `"test":`). */
const KEY = /^["']?[\w.-]{1,100}["']?:$/
/** `NAME=value`: an assignment before a command, or a variable holding a command string (`CMD="mysql …`). */
const ASSIGNMENT = /^[A-Za-z_]\w{0,100}=/

/** A word without the quotes, brackets and commas of an exec-form array or a quoted script around it. */
function bare(word: string): string {
  // Trimmed by index, not by a `[…]+$` expression, which backtracks on a long run of quotes.
  let start = 0
  let end = word.length
  while (start < end && '[("\','.includes(word[start])) start++
  while (end > start && '"\',]'.includes(word[end - 1])) end--
  return word.slice(start, end)
}

/** The index of the first word past a wrapper's options (`sudo -u mysql …`, `timeout -s 9 30 …` also skips the duration). */
function pastOptions(words: string[], i: number, valueOptions: ReadonlySet<string>): number {
  while (i < words.length && words[i].startsWith('-') && words[i] !== '--') {
    i += valueOptions.has(words[i]) ? 2 : 1
  }
  return i
}

/**
 * The command word (without its folder, `.exe` or a recipe's `@`/`-`/`+`) that text after `before`
 * belongs to, read at the start of `before`'s last segment; undefined when a wrapper hides it.
 */
export function segmentCommand(before: string): string | undefined {
  const start = segmentStart(before)
  const words = before.slice(start).trim().split(/\s+/)
  // A Makefile recipe's `@` (silent), `+` (always run) and, after the recipe's tab, `-` (errors ignored).
  const recipe = start === 0 && before.startsWith('\t')
  let i = 0
  while (i < words.length) {
    const word = i === 0 ? bare(words[0]).replace(recipe ? /^[@+-]+(?=\w)/ : /^[@+]+(?=\w)/, '') : bare(words[i])
    // An option where a command should be: the continued line of a command above, whose name is not in view.
    if (word.startsWith('-') && word.length > 1) return undefined
    if (word === '' || PASS_THROUGH.has(word) || PROMPT.test(words[i]) || KEY.test(words[i]) || words[i + 1] === '=') {
      i++
      continue
    }
    if (word === 'sudo' || word === 'env' || word === 'timeout') {
      i = pastOptions(words, i + 1, WRAPPER_VALUE_OPTIONS)
      // `timeout 30 mysql …`: the duration comes before the command.
      if (word === 'timeout' && /^\d/.test(words[i] ?? '')) i++
      continue
    }
    if (ASSIGNMENT.test(word)) {
      const value = words[i].slice(words[i].indexOf('=') + 1)
      const quote = value[0]
      // `CMD="mysql -uroot -p…`: an open quoted string holds a command; `X=1` or `X="a"` only sets a variable.
      if ((quote === '"' || quote === "'") && value.length > 1 && !value.slice(1).includes(quote)) {
        words[i] = value.slice(1)
        continue
      }
      i++
      continue
    }
    if (CONTAINER_TOOLS.has(word)) {
      // `docker exec [opts] CONTAINER cmd`, `docker compose run [opts] SERVICE cmd`, `docker container exec …`.
      let j = i + 1
      if (bare(words[j] ?? '') === 'compose' || bare(words[j] ?? '') === 'container') j++
      const sub = bare(words[j] ?? '')
      if (sub !== 'exec' && sub !== 'run') return undefined
      i = pastOptions(words, j + 1, CONTAINER_VALUE_OPTIONS) + 1
      continue
    }
    if (word === 'ssh') {
      // `ssh [opts] HOST cmd`: the remote command follows the host; a flag among ssh's own options is ssh's.
      i = pastOptions(words, i + 1, SSH_VALUE_OPTIONS) + 1
      continue
    }
    if (word === 'find') {
      // `find … -exec cmd … \;`: the command after `-exec` gets the flags that follow it.
      const exec = words.findIndex((w, j) => j > i && FIND_EXEC.has(bare(w)))
      if (exec < 0) return word
      i = exec + 1
      continue
    }
    if (KUBE_TOOLS.has(word)) {
      // `kubectl exec -it pod -c ctr -- cmd`, `kubectl run … -- cmd`: the command follows `--`.
      const dashes = words.indexOf('--', i + 1)
      if (dashes < 0) return undefined
      i = dashes + 1
      continue
    }
    return word.slice(word.lastIndexOf('/') + 1).replace(/\.exe$/i, '')
  }
  return undefined
}
