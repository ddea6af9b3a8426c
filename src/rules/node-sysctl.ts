/**
 * One decision for Kubernetes and Helm rules: does a privileged init container do nothing but set
 * fixed kernel parameters with `sysctl -w` (the Elasticsearch/OpenSearch `vm.max_map_count`
 * set-up)? It needs privilege for exactly that write of `/proc/sys` and exits before the app
 * starts, so its privileged finding is medium rather than critical. Only parameters that tune
 * resources are accepted: one that makes the kernel run a program (`kernel.core_pattern`) or lowers
 * a protection of the host (`vm.mmap_min_addr`) keeps the finding critical.
 */

/** Shells a container command may run its script through (`sh -c "…"`). */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash'])

/** `fs.*` parameters that size node-wide tables: watches, open files, async I/O. */
const FS_PARAMETERS = new Set(['fs.file-max', 'fs.nr_open', 'fs.aio-max-nr'])
/** `kernel.*` parameters that size IPC (namespaced) or the node's process table. */
const KERNEL_IPC_PARAMETERS = new Set(['kernel.shmmax', 'kernel.shmall', 'kernel.shmmni', 'kernel.sem', 'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni'])
const KERNEL_NODE_PARAMETERS = new Set(['kernel.pid_max', 'kernel.threads-max'])

/** A parameter name as `sysctl` takes it (dots or slashes between parts). */
const PARAMETER_NAME = /^[a-z0-9_-]+(?:[./][a-z0-9_-]+)+$/
/** A value with nothing a shell or the kernel reads as more than a number or a word list. */
const PLAIN_VALUE = /^[\w.,: -]+$/

/** Whether a resource parameter the exception accepts (lower case, dotted). */
function tunesResources(key: string): boolean {
  if (key.startsWith('net.')) return true
  if (key.startsWith('vm.')) return key !== 'vm.mmap_min_addr'
  if (key.startsWith('fs.inotify.')) return true
  return FS_PARAMETERS.has(key) || KERNEL_IPC_PARAMETERS.has(key) || KERNEL_NODE_PARAMETERS.has(key)
}

/** Network and IPC parameters belong to the pod's namespaces: the pod's `securityContext.sysctls` sets them. */
function namespaced(key: string): boolean {
  return key.startsWith('net.') || KERNEL_IPC_PARAMETERS.has(key)
}

const baseName = (word: string): string => word.slice(word.lastIndexOf('/') + 1)

/** The parameters one `sysctl -w k=v …` invocation sets, or undefined when it is anything else. */
function sysctlStep(words: readonly string[]): string[] | undefined {
  if (words.length < 2 || baseName(words[0]!) !== 'sysctl') return undefined
  let write = false
  const keys: string[] = []
  for (const word of words.slice(1)) {
    if (/^-[eqw]+$/.test(word)) {
      write ||= word.includes('w')
      continue
    }
    if (word === '--write') {
      write = true
      continue
    }
    const eq = word.indexOf('=')
    if (eq <= 0) return undefined
    const key = word.slice(0, eq).toLowerCase()
    if (!PARAMETER_NAME.test(key) || !PLAIN_VALUE.test(word.slice(eq + 1))) return undefined
    const dotted = key.replace(/\//g, '.')
    if (!tunesResources(dotted)) return undefined
    keys.push(dotted)
  }
  return write && keys.length > 0 ? keys : undefined
}

/**
 * The commands of a `sh -c` script, as words, split at `;`, `&&` and newlines; undefined when the
 * script holds anything else a shell acts on: a pipe, a background job, `||`, a substitution
 * (`$`, backquotes), a redirection, a glob, a comment, a subshell or an escape.
 */
function scriptSteps(script: string): string[][] | undefined {
  const steps: string[][] = [[]]
  let word: string | undefined
  const endWord = (): void => {
    if (word !== undefined) steps[steps.length - 1]!.push(word)
    word = undefined
  }
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!
    if (ch === ' ' || ch === '\t') {
      endWord()
    } else if (ch === '\n' || ch === ';' || (ch === '&' && script[i + 1] === '&')) {
      if (ch === '&') i++
      endWord()
      steps.push([])
    } else if (ch === "'" || ch === '"') {
      const close = script.indexOf(ch, i + 1)
      if (close < 0) return undefined
      const quoted = script.slice(i + 1, close)
      // Inside double quotes a shell still expands `$`, backquotes and escapes.
      if (ch === '"' && /[$`\\]/.test(quoted)) return undefined
      word = (word ?? '') + quoted
      i = close
    } else if (/[\w.,:=/+-]/.test(ch)) {
      word = (word ?? '') + ch
    } else {
      return undefined
    }
  }
  endWord()
  return steps.filter((step) => step.length > 0)
}

/**
 * The kernel parameters a container command sets, when it does nothing else: `command` (with
 * `args` after it) is `sysctl -w key=value …`, or a shell given one script (`sh -c "…"`) made only
 * of such commands joined by `;`, `&&` or newlines. Undefined otherwise, and with no `command`
 * (the image's own entrypoint would run). Parameters in order of first use.
 */
export function fixedSysctlParameters(command: readonly string[], args: readonly string[]): string[] | undefined {
  if (command.length === 0) return undefined
  const words = [...command, ...args]
  const shell = SHELLS.has(baseName(words[0]!)) && /^-[eux]*c[eux]*$/.test(words[1] ?? '')
  if (shell && words.length !== 3) return undefined
  const steps = shell ? scriptSteps(words[2]!) : [words]
  if (!steps || steps.length === 0) return undefined
  const keys: string[] = []
  for (const step of steps) {
    const set = sysctlStep(step)
    if (!set) return undefined
    for (const key of set) if (!keys.includes(key)) keys.push(key)
  }
  return keys
}

/**
 * The message clause after "an init container that" / "it": what the container sets and why the
 * pod cannot do without it (node-wide parameters) or how it could (namespaced ones).
 */
export function sysctlClause(keys: readonly string[]): string {
  const named = keys.slice(0, 4).map((k) => `\`${k}\``).join(', ') + (keys.length > 4 ? ` and ${keys.length - 4} more` : '')
  const where = keys.some(namespaced)
    ? "; network and IPC parameters can go in the pod's `securityContext.sysctls` instead, without privilege"
    : ", node-wide parameters that the pod's `securityContext.sysctls` cannot set"
  return `only sets ${named} with a fixed \`sysctl -w\` and exits before the app starts${where}`
}
