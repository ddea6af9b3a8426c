/**
 * The fork guard: an `if:` (of a job or of one step) that lets it run only for pull requests
 * whose head is a branch of this repository (`github.event.pull_request.head.repo.full_name ==
 * github.repository`, the head compared with the base repository by name, id or owner, …). Fork
 * pull requests then skip it, so it never runs code from outside the repository; only people
 * who can push branches here reach it.
 *
 * The condition is read as GitHub evaluates it, for a fork's event: each part is true, false or
 * unknown, and the whole is a guard when it is false for every event that brings fork pull
 * requests in. So `github.event_name == 'push' || <guard>` guards a workflow that a fork reaches
 * through `pull_request` only, and an `||` with an unknown alternative is no guard.
 *
 * The pull request's author compared with `dependabot[bot]` is a guard too: Dependabot's pull
 * requests are branches of this repository.
 *
 * `head.repo.fork` is no guard: when the fork has been deleted, `head.repo` is null, and both
 * `null == false` and `!null` are true in GitHub's expressions. A comparison of the head with
 * this repository stays false then (null equals no name, id or owner).
 */
import { scalarString } from '../parse/yaml.js'
import type { JobModel, StepModel } from './model.js'

/** Events that bring fork pull requests in, by the context their head repository is read from. */
export type ForkEvent = 'pull_request' | 'pull_request_target' | 'workflow_run' | 'issue_comment'

/** The run's repository (`owner/name`, lower case), when known: a literal naming it stands for this repository. */
export interface GuardContext {
  repository?: string
}

type Truth = boolean | undefined
type Value = { lit: string | number | boolean | null } | { path: string } | { unknown: true }
type Expr =
  | { op: 'or' | 'and'; left: Expr; right: Expr }
  | { op: 'not'; arg: Expr }
  | { op: 'cmp'; cmp: string; left: Expr; right: Expr }
  | { op: 'value'; value: Value }

// ── Reading the expression ───────────────────────────────────────────────────────────────────

const TOKEN = /\s*(?:(\|\||&&|==|!=|<=|>=|<|>|!|\(|\)|,)|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)\b|([A-Za-z_][\w-]*(?:(?:\.[\w-]+|\.\*|\[[^\]]*\]))*))/y

function tokenize(text: string): string[] | undefined {
  const out: string[] = []
  let at = 0
  // The text is trimmed, so every token (with the blanks before it) ends where the next begins.
  while (at < text.length) {
    TOKEN.lastIndex = at
    const m = TOKEN.exec(text)
    if (!m) return undefined
    // Strings are kept with their quote so they cannot be mistaken for operators or paths.
    out.push(m[1] ?? (m[2] !== undefined ? `'${m[2].replace(/''/g, "'")}` : (m[3] ?? m[4])))
    at = TOKEN.lastIndex
  }
  return out
}

/** A recursive-descent reader of GitHub's expression grammar (`||` < `&&` < comparison < `!`). */
function parse(tokens: string[]): Expr | undefined {
  let i = 0
  const peek = (): string | undefined => tokens[i]
  /** `next (token next)*`, folded to the left. */
  const chain = (token: string, op: 'or' | 'and', next: () => Expr) => (): Expr => {
    let left = next()
    while (peek() === token) {
      i++
      left = { op, left, right: next() }
    }
    return left
  }
  const and = chain('&&', 'and', () => cmp())
  const or = chain('||', 'or', and)
  const cmp = (): Expr => {
    let left = unary()
    while (['==', '!=', '<', '<=', '>', '>='].includes(peek() ?? '')) {
      const c = tokens[i++]
      left = { op: 'cmp', cmp: c, left, right: unary() }
    }
    return left
  }
  const unary = (): Expr => {
    if (peek() === '!') {
      i++
      return { op: 'not', arg: unary() }
    }
    return primary()
  }
  const primary = (): Expr => {
    const t = tokens[i++]
    if (t === undefined) throw new Error('unexpected end')
    if (t === '(') {
      const inner = or()
      if (tokens[i++] !== ')') throw new Error('missing )')
      return inner
    }
    if (t.startsWith("'")) return { op: 'value', value: { lit: t.slice(1) } }
    if (/^-?\d/.test(t)) return { op: 'value', value: { lit: Number(t) } }
    if (/^(true|false|null)$/.test(t)) return { op: 'value', value: { lit: t === 'null' ? null : t === 'true' } }
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() !== '(') return { op: 'value', value: { path: t.toLowerCase() } }
      // A function call (`success()`, `contains(…)`): its value is not known here.
      i++
      let depth = 1
      while (depth > 0) {
        const a = tokens[i++]
        if (a === undefined) throw new Error('missing )')
        if (a === '(') depth++
        else if (a === ')') depth--
      }
      return { op: 'value', value: { unknown: true } }
    }
    throw new Error(`unexpected ${t}`)
  }
  try {
    const expr = or()
    return i === tokens.length ? expr : undefined
  } catch {
    return undefined
  }
}

// ── Evaluating it for a fork's pull request ──────────────────────────────────────────────────

/** Paths naming the head repository, by the event whose payload holds them. */
const HEAD = {
  pull_request: 'github.event.pull_request.head.repo',
  workflow_run: 'github.event.workflow_run.head_repository'
}
const THIS_REPO_NAME = ['github.repository', 'github.event.repository.full_name', 'github.event.pull_request.base.repo.full_name', 'github.event.workflow_run.repository.full_name']
const THIS_REPO_ID = ['github.repository_id', 'github.event.repository.id', 'github.event.pull_request.base.repo.id', 'github.event.workflow_run.repository.id']
const THIS_REPO_OWNER = ['github.repository_owner', 'github.event.repository.owner.login', 'github.event.pull_request.base.repo.owner.login', 'github.event.workflow_run.repository.owner.login']

type Known = { lit: string | number | boolean | null } | { side: string }

/** Pull request authors whose pull requests always come from branches of this repository. */
const FIRST_PARTY_BOTS = new Set(['dependabot[bot]'])

/** Which side of a head-versus-base comparison a head path is (`head-name`, `head-id`, `head-owner`), if any. */
function headSide(path: string, head: string): string | undefined {
  if (path === `${head}.full_name`) return 'head-name'
  if (path === `${head}.id`) return 'head-id'
  if (path === `${head}.owner.login`) return 'head-owner'
  return undefined
}

/** What a value is for a fork's event `event`: a literal, or a side of a head-versus-base comparison. */
function valueFor(v: Value, event: string): Known | undefined {
  if ('lit' in v) return v
  if (!('path' in v)) return undefined
  if (v.path === 'github.event_name') return { lit: event }
  if (THIS_REPO_NAME.includes(v.path)) return { side: 'base-name' }
  if (THIS_REPO_ID.includes(v.path)) return { side: 'base-id' }
  if (THIS_REPO_OWNER.includes(v.path)) return { side: 'base-owner' }
  for (const [payload, head] of Object.entries(HEAD)) {
    const side = headSide(v.path, head)
    if (!side) continue
    // The payload of another event has no such object: the path reads null (an issue comment carries no pull request).
    const own = payload === 'workflow_run' ? event === 'workflow_run' : event === 'pull_request' || event === 'pull_request_target'
    return own ? { side } : { lit: null }
  }
  if (v.path === 'github.event.pull_request.user.login') return event === 'pull_request' || event === 'pull_request_target' ? { side: 'author' } : { lit: null }
  // Anything else, `head.repo.fork` included (null when the fork was deleted), is not known here.
  return undefined
}

function truthy(v: Known | undefined): Truth {
  if (!v || !('lit' in v)) return undefined
  return v.lit !== null && v.lit !== false && v.lit !== 0 && v.lit !== ''
}

/** `==` as GitHub compares: strings case-insensitively; anything not known is unknown. */
function equal(a: Known | undefined, b: Known | undefined, guard: GuardContext): Truth {
  if (!a || !b) return undefined
  if ('side' in a && 'side' in b) {
    // A fork's head (or a deleted one, null) is never this repository; the same side compared with itself is equal.
    const pair = [a.side, b.side].sort().join(' ')
    if (pair === 'base-name head-name' || pair === 'base-id head-id' || pair === 'base-owner head-owner') return false
    return a.side === b.side ? true : undefined
  }
  if ('lit' in a && 'lit' in b) {
    const [x, y] = [a.lit, b.lit]
    if (typeof x === 'string' && typeof y === 'string') return x.toLowerCase() === y.toLowerCase()
    if (typeof x === typeof y) return x === y
    return undefined
  }
  const [side, lit] = 'side' in a ? [a.side, (b as { lit: unknown }).lit] : [(b as { side: string }).side, a.lit]
  // This repository always has a name, id and owner.
  if (lit === null && side.startsWith('base-')) return false
  // Dependabot opens its pull requests from branches of this repository, never from a fork, and
  // no one else can author as `dependabot[bot]` (`github.actor` is no such proof: whoever
  // re-runs or pushes to the pull request is the actor).
  if (side === 'author' && typeof lit === 'string' && FIRST_PARTY_BOTS.has(lit.toLowerCase())) return false
  // A literal naming this repository (or its owner) is this repository, which a fork's head never is.
  const repo = guard.repository?.toLowerCase()
  if (repo && typeof lit === 'string') {
    if (side === 'head-name' && lit.toLowerCase() === repo) return false
    if (side === 'head-owner' && lit.toLowerCase() === repo.split('/')[0]) return false
  }
  return undefined
}

function evaluate(e: Expr, event: string, guard: GuardContext): Truth {
  switch (e.op) {
    case 'or': {
      const [l, r] = [evaluate(e.left, event, guard), evaluate(e.right, event, guard)]
      return l === true || r === true ? true : l === false && r === false ? false : undefined
    }
    case 'and': {
      const [l, r] = [evaluate(e.left, event, guard), evaluate(e.right, event, guard)]
      return l === false || r === false ? false : l === true && r === true ? true : undefined
    }
    case 'not': {
      const v = evaluate(e.arg, event, guard)
      return v === undefined ? undefined : !v
    }
    case 'cmp': {
      if (e.cmp !== '==' && e.cmp !== '!=') return undefined
      if (e.left.op !== 'value' || e.right.op !== 'value') return undefined
      const eq = equal(valueFor(e.left.value, event), valueFor(e.right.value, event), guard)
      return eq === undefined ? undefined : e.cmp === '==' ? eq : !eq
    }
    case 'value':
      return truthy(valueFor(e.value, event))
  }
}

/**
 * Whether the job's (or step's) `if:` keeps fork pull requests out for every one of `events` (the
 * workflow's triggers through which a fork's pull request reaches it). An `issue_comment` event carries no head repository, so
 * only a condition that tells it apart (by `github.event_name`, or by reading pull request
 * fields an issue comment does not have) keeps it out.
 */
export function isForkGuarded(node: JobModel | StepModel, events: readonly ForkEvent[], guard: GuardContext = {}): boolean {
  const expr = events.length === 0 ? undefined : conditionOf(node)
  return !!expr && events.every((event) => evaluate(expr, event, guard) === false)
}

/** The parsed `if:` of a job or step; undefined when it has none or it cannot be read. */
function conditionOf(node: JobModel | StepModel): Expr | undefined {
  const raw = scalarString(node.node.get('if', true))
  if (raw === undefined) return undefined
  const text = raw.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim()
  // Text around a `${{ }}` makes the whole condition a non-empty string, which is always true.
  if (text.includes('${{')) return undefined
  const tokens = tokenize(text)
  return tokens?.length ? parse(tokens) : undefined
}

/**
 * Whether the job's (or step's) `if:` is false whenever the run's event is `event`, whatever else
 * holds (`if: github.event_name == 'workflow_dispatch'` rules out `pull_request`).
 */
export function skipsEvent(node: JobModel | StepModel, event: string): boolean {
  const expr = conditionOf(node)
  return !!expr && evaluate(expr, event, {}) === false
}
