/**
 * Whether any step after a checkout of the pull request head may run code from it. Conservative:
 * only shell data/text tools and builtins, a few git and gh subcommands, package managers run
 * outside the checked-out tree, tools the job installed from a trusted copy, and actions known to
 * read files without executing them count as safe; anything else (a path, an interpreter, a build
 * tool, a local or unknown action, a script Preflight cannot follow) counts as running code.
 */
import { isMap, isScalar, scalarString, type YAMLMap } from '../parse/yaml.js'
import { splitShellCommands } from '../parse/shell-words.js'
import { actionRepo, type CheckContext } from './context.js'
import type { JobModel, StepModel } from './model.js'
import { lookupTable } from '../../util/lookup-table.js'

/** Commands that only read, write or move data, never load code from the files they touch (with the exceptions checked below). */
const DATA_TOOLS = new Set([
  'echo', 'printf', 'cat', 'grep', 'egrep', 'fgrep', 'sed', 'awk', 'gawk', 'mawk', 'sort', 'uniq', 'jq', 'yq', 'cut', 'tr',
  'head', 'tail', 'wc', 'ls', 'test', '[', '[[', 'true', 'false', ':', 'read', 'exit', 'return', 'export', 'local', 'declare',
  'readonly', 'typeset', 'set', 'shift', 'unset', 'cd', 'pwd', 'mkdir', 'touch', 'rm', 'cp', 'mv', 'ln', 'date', 'basename',
  'dirname', 'realpath', 'readlink', 'tee', 'diff', 'cmp', 'comm', 'paste', 'base64', 'sha256sum', 'sha1sum', 'md5sum',
  'shasum', 'sleep', 'curl', 'wget', 'find', 'gh', 'git', 'chmod', 'rev', 'tac', 'nl', 'column', 'envsubst', 'stat', 'du',
  'continue', 'break', 'let'
])
/** Options that make a data tool read its program from a file, which the checkout may have written. */
const PROGRAM_FROM_FILE = lookupTable<RegExp>({ sed: /^(-f|--file(=|$)|-[a-eg-zA-Z]*f)/, awk: /^(-f|--file(=|$))/, gawk: /^(-f|--file(=|$))/, mawk: /^-f/ })
/** `find` actions that run a command on the files found. */
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir'])
/** git subcommands that move, compare or publish commits without running code of the tree (hooks live in `.git/hooks`, which a checkout does not write). */
const GIT_SAFE = new Set([
  'add', 'commit', 'push', 'diff', 'log', 'show', 'status', 'config', 'fetch', 'checkout', 'switch', 'branch', 'tag', 'rev-parse',
  'rev-list', 'cherry', 'ls-files', 'ls-remote', 'merge-base', 'remote', 'init', 'reset', 'restore', 'stash', 'describe', 'shortlog', 'blame'
])
/**
 * git settings a step may write without making git run a command: identity and the like. Others
 * (`core.hooksPath`, `core.fsmonitor`, aliases, filters, diff drivers, credential helpers) can
 * point git at a program of the checkout.
 */
const GIT_SAFE_SETTING = /^(user|safe|advice|color|gc|fetch|pull|push|commit\.gpgsign|tag\.gpgsign)\b/i
/** gh subcommands that talk to the API only. */
const GH_SAFE = new Set(['api', 'pr', 'issue', 'label'])
/** Package managers: they read configuration and scripts from the directory they run in and its parents. */
const PACKAGE_MANAGERS = new Set(['npm', 'npx', 'yarn', 'pnpm'])
/** Shell words that open or close a compound command; what follows an opener is a command. */
const OPENERS = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '!', '{'])
const CLOSERS = new Set(['fi', 'done', 'esac', '}', ']]'])

/**
 * Actions that read or move files without executing them (`actions/setup-*` only installs a
 * toolchain; the steps that use it are judged on their own). Keys are `owner/repo[/path]`.
 */
const SAFE_ACTIONS = new Set([
  'actions/checkout', 'actions/upload-artifact', 'actions/download-artifact', 'actions/labeler', 'apache/skywalking-eyes/header',
  'apache/skywalking-eyes', 'amannn/action-semantic-pull-request', 'marocchino/sticky-pull-request-comment', 'peter-evans/create-or-update-comment'
])
const CACHE_ACTIONS = new Set(['actions/cache', 'actions/cache/restore', 'actions/cache/save'])

/** A workspace-relative directory ('' is the workspace itself), or undefined when not known. */
type Dir = string | undefined

/** A `path:`/`working-directory:`/`cd` target as a workspace-relative directory; undefined when it cannot be read. */
function relativeDir(value: string, from: Dir = ''): Dir {
  const written = value.trim()
  // A path under the workspace variable starts from the workspace, wherever the script stands.
  const underWorkspace = written.replace(/^(\$\{?GITHUB_WORKSPACE\}?|\$\{\{\s*github\.workspace\s*\}\})(\/|$)/, '')
  const base = underWorkspace === written ? from : ''
  if (base === undefined || /^[/~]|[$`*?]/.test(underWorkspace)) return undefined
  const parts = base ? base.split('/') : []
  for (const part of underWorkspace.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (!parts.length) return undefined
      parts.pop()
    } else parts.push(part)
  }
  return parts.join('/')
}

const within = (dir: string, tree: string): boolean => tree === '' || dir === tree || dir.startsWith(tree + '/')

/** What the steps after the head checkout are judged against. */
interface Scope {
  /** Directories holding the pull request's files. */
  prTrees: string[]
  /** Directories holding trusted checkouts, with the repository checked out there. */
  trusted: Map<string, string>
  /** Commands the job installed from the registry or a trusted checkout. */
  installed: Set<string>
  /** A step copied, moved or linked files, which may have put files of the checkout (an `.npmrc`) beside a trusted copy. */
  copied: boolean
}
/** Commands that put files somewhere else. */
const COPIERS = new Set(['cp', 'mv', 'ln', 'tee'])

const inPrTree = (scope: Scope, dir: Dir): boolean => dir === undefined || scope.prTrees.some((t) => within(dir, t))

function withValue(step: StepModel, key: string): string | undefined {
  const pair = step.with?.items.find((p) => isScalar(p.key) && p.key.value === key)
  return pair ? scalarString(pair.value) ?? '' : undefined
}

/** Names a global install of `packages` makes runnable: each package's name, and without a `-cli` suffix. */
function installedNames(packages: string[]): string[] {
  return packages.flatMap((p) => {
    // `@scope/name@1.2` → `name`: the version after the first `@` past the start, then the scope, go.
    const at = p.indexOf('@', 1)
    const unversioned = at < 0 ? p : p.slice(0, at)
    const name = unversioned.slice(unversioned.indexOf('/') + 1)
    return [name, name.replace(/-cli$/, '')]
  })
}

/**
 * Names a global install of a trusted checkout makes runnable: the repository name and its
 * leading hyphen-joined parts of two words or more (`readme-generator` for `readme-generator-for-helm`).
 */
function repositoryToolNames(repository: string): string[] {
  const parts = (repository.split('/').pop() ?? '').toLowerCase().split('-')
  const out: string[] = []
  for (let n = parts.length; n >= 2; n--) out.push(parts.slice(0, n).join('-'))
  if (parts.length === 1 && parts[0]) out.push(parts[0])
  return out
}

/** Whether one simple command may run code from the pull request; updates `cwd` and what the job installed. */
function commandRunsCode(words: string[], state: { cwd: Dir }, scope: Scope, functions: Set<string>): boolean {
  let w = words
  while (w.length && OPENERS.has(w[0])) w = w.slice(1)
  while (w.length && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(w[0])) w = w.slice(1)
  if (!w.length || CLOSERS.has(w[0])) return false
  const [program, ...args] = w
  if (program === 'for' || program === 'select' || program === 'case' || program === 'in') return false
  if (program === 'function') return false
  if (functions.has(program)) return false
  if (scope.installed.has(program)) return false
  if (program === 'cd') {
    state.cwd = args.length === 1 ? relativeDir(args[0], state.cwd) : undefined
    return false
  }
  if (COPIERS.has(program) && args.some((a) => !a.startsWith('-'))) scope.copied = true
  if (PACKAGE_MANAGERS.has(program)) {
    if (scope.copied || inPrTree(scope, state.cwd)) return true
    const positional = args.filter((a) => !a.startsWith('-'))
    if (program === 'npm' && ['install', 'i', 'add'].includes(positional[0]) && args.some((a) => a === '-g' || a === '--global')) {
      const packages = positional.slice(1)
      if (packages.length === 0 || packages.every((p) => p === '.')) {
        const repository = state.cwd !== undefined ? scope.trusted.get(state.cwd) : undefined
        if (repository) repositoryToolNames(repository).forEach((n) => scope.installed.add(n))
      } else installedNames(packages.filter((p) => /^(@[\w.-]+\/)?[\w.-]+(@[\w.^~<>=-]+)?$/.test(p))).forEach((n) => scope.installed.add(n))
    }
    return false
  }
  if (!DATA_TOOLS.has(program)) return true
  const fromFile = PROGRAM_FROM_FILE[program]
  if (fromFile && args.some((a) => fromFile.test(a))) return true
  if (program === 'find' && args.some((a) => FIND_EXEC.has(a))) return true
  if (program === 'git') {
    let i = 0
    while (args[i] === '-C' || args[i] === '-c') {
      if (args[i] === '-c' && !GIT_SAFE_SETTING.test(args[i + 1] ?? '')) return true
      i += 2
    }
    if (args[i] === 'config') {
      // The first word past the options is the setting; a listing names none.
      const setting = args.slice(i + 1).find((a) => !a.startsWith('-'))
      return setting !== undefined && !GIT_SAFE_SETTING.test(setting)
    }
    return !GIT_SAFE.has(args[i] ?? '')
  }
  if (program === 'gh') return !GH_SAFE.has(args[0] ?? '')
  return false
}

/** `$(…)`, backquoted and `<(…)`/`>(…)` bodies inside text, which run as commands of their own. */
function substitutions(text: string): { bodies: string[]; rest: string } {
  const bodies: string[] = []
  let rest = ''
  let i = 0
  let quoted = false
  while (i < text.length) {
    const c = text[i]
    if (c === "'" && !quoted) {
      const close = text.indexOf("'", i + 1)
      const end = close < 0 ? text.length : close + 1
      rest += text.slice(i, end)
      i = end
      continue
    }
    if (c === '"') quoted = !quoted
    if ((c === '$' || c === '<' || c === '>') && text[i + 1] === '(') {
      let depth = 0
      let j = i + 1
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++
        else if (text[j] === ')' && --depth === 0) break
      }
      const body = text.slice(i + 2, j)
      // `$((…))` is arithmetic, not a command.
      if (!(c === '$' && body.startsWith('('))) bodies.push(body)
      rest += 'SUBSTITUTION'
      i = j + 1
      continue
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1)
      const end = close < 0 ? text.length : close
      bodies.push(text.slice(i + 1, end))
      rest += 'SUBSTITUTION'
      i = end + 1
      continue
    }
    rest += c
    i++
  }
  return { bodies, rest }
}

/** Whether a shell script may run code from the pull request, starting in `cwd`. */
function scriptRunsCode(script: string, cwd: Dir, scope: Scope, depth = 0): boolean {
  if (depth > 4) return true
  const { bodies, rest } = substitutions(script)
  // A substitution is judged in the directory the step starts in, or in none known when the script changes directory.
  const bodyDir = /(^|[\s;&|(])(cd|pushd|popd)\b/.test(rest) ? undefined : cwd
  if (bodies.some((b) => scriptRunsCode(b, bodyDir, scope, depth + 1))) return true
  // Functions the script defines: their bodies are judged where they are written.
  const declared = new Set([...rest.matchAll(/(?:^|\n)[ \t]*(?:function[ \t]+([A-Za-z_][\w-]*)|([A-Za-z_][\w-]*)[ \t]*\([ \t]*\))/g)].map((m) => m[1] ?? m[2]))
  const state = { cwd }
  const saved: Dir[] = []
  let previousOpens = false
  let arrayNext = false
  for (const command of splitShellCommands(rest)) {
    // The elements of an array assignment (`names=(a b)`) are words, not a command.
    const isArray = arrayNext
    arrayNext = command.next === '(' && /=$/.test(command.words[command.words.length - 1] ?? '')
    if (isArray) {
      previousOpens = false
      continue
    }
    const isDefinition = command.words.length === 1 && declared.has(command.words[0]) && (command.next === ')' || command.next === '(')
    if (isDefinition) {
      previousOpens = false
      continue
    }
    if (previousOpens) saved.push(state.cwd)
    if (commandRunsCode(command.words, state, scope, declared)) return true
    if (command.next === ')') state.cwd = saved.length ? saved.pop() : undefined
    previousOpens = command.next === '(' && !arrayNext
  }
  return false
}

/** Whether a remote action may run code of the checkout. */
function actionRunsCode(step: StepModel, scope: Scope): boolean {
  const uses = step.uses ?? ''
  if (!actionRepo(uses)) return true
  const target = uses.split('@')[0].toLowerCase().replace(/\/$/, '')
  if (SAFE_ACTIONS.has(target)) return false
  if (/^actions\/setup-[\w-]+$/.test(target)) return !!step.with?.items.some((p) => /install|script|run/i.test(scalarString(p.key) ?? ''))
  if (CACHE_ACTIONS.has(target)) {
    // A cache saved from the checkout would hand its files to later trusted runs; a path named by an expression, ~ or an absolute path lies outside it.
    const paths = (withValue(step, 'path') ?? '').split('\n').map((p) => p.trim()).filter((p) => p && !p.startsWith('!'))
    return paths.some((p) => !/^(~|\/|\$\{\{)/.test(p) && inPrTree(scope, relativeDir(p)))
  }
  return true
}

/** The default `working-directory` of run steps under `defaults:` of a job or workflow, as written. */
function defaultWorkingDirectory(node: YAMLMap): string | undefined {
  const defaults = node.get('defaults', true)
  const run = isMap(defaults) ? defaults.get('run', true) : undefined
  return isMap(run) ? scalarString(run.get('working-directory', true)) : undefined
}

/**
 * Whether any step from `first` (the step that checks out the pull request head) on may run code
 * from the checkout; `headSteps` are the steps that bring the head in.
 */
export function runsCheckedOutCode(ctx: CheckContext, job: JobModel, first: number, headSteps: Set<StepModel>): boolean {
  return firstStepRunningCode(ctx, job, first, headSteps) >= 0
}

/**
 * Index in the job of the first step from `first` on that may run code from the checkout, or -1
 * when none does; `headSteps` are the steps that bring the head in.
 */
export function firstStepRunningCode(ctx: CheckContext, job: JobModel, first: number, headSteps: Set<StepModel>): number {
  const scope: Scope = { prTrees: [], trusted: new Map(), installed: new Set(), copied: false }
  for (const step of job.steps) {
    if (actionRepo(step.uses) !== 'actions/checkout') continue
    const path = relativeDir(withValue(step, 'path') ?? '')
    if (headSteps.has(step)) scope.prTrees.push(path ?? '')
    else if (path !== undefined) scope.trusted.set(path, withValue(step, 'repository') || ctx.repository || '')
  }
  for (const step of headSteps) if (step.run) scope.prTrees.push('')
  const jobDir = defaultWorkingDirectory(job.node) ?? defaultWorkingDirectory(ctx.wf.root)
  for (let i = first; i < job.steps.length; i++) {
    const step = job.steps[i]
    if (step.uses !== undefined) {
      if (headSteps.has(step) && !step.run) continue
      if (actionRunsCode(step, scope)) return i
      continue
    }
    if (!step.run) continue
    const shell = scalarString(step.node.get('shell', true))
    if (shell !== undefined && !/^(bash|sh)\b/.test(shell.trim())) return i
    const script = scalarString(step.run) ?? ''
    const dir = scalarString(step.node.get('working-directory', true)) ?? jobDir
    if (scriptRunsCode(script, dir === undefined ? '' : relativeDir(dir), scope)) return i
  }
  return -1
}
