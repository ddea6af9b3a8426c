/**
 * The value of a Go-template `if`/`with` condition under the chart's default values, read from
 * the template text (no render): enough to tell that a block renders nothing by default. Only
 * simple shapes are read (`.Values.a.b`, a `$var` set once from one, `not`, `empty`, `and`, `or`,
 * parentheses, literals); any other shape is unknown, which callers take as true.
 */

/** A condition's truth with the defaults: true, false, or undefined when it cannot be told. */
export type Truth = boolean | undefined

/** A condition read into a tree: a value path, a literal, or a call of `not`/`empty`/`and`/`or`. */
type Expr =
  | { kind: 'path'; path: string[] }
  | { kind: 'literal'; truth: boolean }
  | { kind: 'call'; name: 'not' | 'empty' | 'and' | 'or'; args: Expr[] }
  | { kind: 'unknown' }

const UNKNOWN: Expr = { kind: 'unknown' }
/** How deep `$var` definitions are followed (a variable set from another variable…). */
const MAX_VARIABLE_DEPTH = 4

/** The words and parentheses of an expression; quoted strings are one word. */
function tokens(s: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (c === ' ' || c === '\t' || c === '\n') i++
    else if (c === '(' || c === ')') out.push(s[i++]!)
    else if (c === '"' || c === '`') {
      const close = s.indexOf(c, i + 1)
      const end = close < 0 ? s.length : close + 1
      out.push(s.slice(i, end))
      i = end
    } else {
      let j = i
      while (j < s.length && !' \t\n()"`'.includes(s[j]!)) j++
      out.push(s.slice(i, j))
      i = j
    }
  }
  return out
}

/**
 * The `{{ $name := expression }}` definitions of a template. A name declared more than once, set
 * again (`$name = …`) or bound by `range`/`with` (`range $i, $name := …`) maps to undefined.
 */
export function variablesOf(actionBodies: readonly string[]): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>()
  for (const body of actionBodies) {
    const whole = /^\$(\w+)\s*:=/.exec(body)
    for (const m of body.matchAll(/\$(\w+)\s*:?=/g)) {
      const name = m[1]!
      const alone = whole !== null && m.index === 0 && !vars.has(name)
      vars.set(name, alone ? body.slice(whole[0].length).trim() : undefined)
    }
  }
  return vars
}

/**
 * Reads a condition into a tree, following `$var` and `$var.key` to their definitions: a
 * variable set from a value path stands for that path, one set from a condition for the condition.
 */
export function readCondition(text: string, vars: Map<string, string | undefined>, depth = 0): Expr {
  const toks = tokens(text)
  let at = 0
  const command = (): Expr => {
    const args: Expr[] = []
    const words: string[] = []
    // A pipeline (`x | default y | lower`) is not read: unknown, but only its own command, so
    // `and .Values.on (eq (.Values.x | default "") "y")` is still false when `.Values.on` is.
    let piped = false
    while (at < toks.length && toks[at] !== ')') {
      const t = toks[at++]!
      if (t === '|') {
        piped = true
      } else if (t === '(') {
        args.push(command())
        at++ // the closing parenthesis
        words.push('')
      } else {
        words.push(t)
        args.push(operand(t))
      }
    }
    if (piped) return UNKNOWN
    const head = words[0]
    if (head === 'not' || head === 'empty') return args.length === 2 ? { kind: 'call', name: head, args: args.slice(1) } : UNKNOWN
    if (head === 'and' || head === 'or') return args.length >= 3 ? { kind: 'call', name: head, args: args.slice(1) } : UNKNOWN
    return args.length === 1 ? args[0]! : UNKNOWN
  }
  const operand = (word: string): Expr => {
    if (word === 'true' || word === 'false') return { kind: 'literal', truth: word === 'true' }
    if (word === 'nil') return { kind: 'literal', truth: false }
    if (/^-?\d+(\.\d+)?$/.test(word)) return { kind: 'literal', truth: Number(word) !== 0 }
    if (/^["`]/.test(word)) return { kind: 'literal', truth: word.length > 2 }
    const values = /^\$?\.Values((?:\.[\w-]+)+)$/.exec(word)
    if (values) return { kind: 'path', path: values[1]!.slice(1).split('.') }
    const variable = /^\$(\w+)((?:\.[\w-]+)*)$/.exec(word)
    if (!variable || depth >= MAX_VARIABLE_DEPTH) return UNKNOWN
    const defined = vars.get(variable[1]!)
    if (defined === undefined) return UNKNOWN
    const target = readCondition(unparen(defined), vars, depth + 1)
    const rest = variable[2] ? variable[2].slice(1).split('.') : []
    if (rest.length === 0) return target
    return target.kind === 'path' ? { kind: 'path', path: [...target.path, ...rest] } : UNKNOWN
  }
  const expr = command()
  return at === toks.length ? expr : UNKNOWN
}

const unparen = (s: string): string => {
  const t = s.trim()
  return t.startsWith('(') && t.endsWith(')') ? t.slice(1, -1).trim() : t
}

/** Go-template truth of a plain value: nil, false, 0, "" and empty maps and lists are false. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false
  if (Array.isArray(value)) return value.length > 0
  if (typeof value === 'object') return Object.keys(value).length > 0
  return value !== false && value !== 0 && value !== ''
}

/**
 * A path's value in the defaults: a missing last key is nil; a missing or scalar map on the
 * way is unknown (Helm fails on `.Values.a.b` when `a` is not a map, so the chart must set it).
 */
export function lookup(defaults: unknown, path: readonly string[]): { value: unknown } | undefined {
  let cur: unknown = defaults
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined
    cur = (cur as Record<string, unknown>)[key]
  }
  return { value: cur }
}

/** The condition's truth with these default values (plain data of values.yaml). */
export function truthOf(expr: Expr, defaults: unknown): Truth {
  switch (expr.kind) {
    case 'literal':
      return expr.truth
    case 'path': {
      const found = lookup(defaults, expr.path)
      return found ? truthy(found.value) : undefined
    }
    case 'call': {
      const truths = expr.args.map((a) => truthOf(a, defaults))
      if (expr.name === 'not' || expr.name === 'empty') return truths[0] === undefined ? undefined : !truths[0]
      if (expr.name === 'and') return truths.includes(false) ? false : truths.includes(undefined) ? undefined : true
      return truths.includes(true) ? true : truths.includes(undefined) ? undefined : false
    }
    default:
      return undefined
  }
}

/**
 * Whether an `if`/`with` guard lets its body render with the defaults (`negated` for the
 * `else` part), and when false, what must be set for it to render.
 */
export function guardByDefault(condition: string, negated: boolean, vars: Map<string, string | undefined>, defaults: unknown): { holds: Truth; when?: string } {
  const read = readCondition(condition, vars)
  const expr: Expr = negated ? { kind: 'call', name: 'not', args: [read] } : read
  const holds = truthOf(expr, defaults)
  return holds === false ? { holds, when: describeCondition(expr) } : { holds }
}

/**
 * A feature switch false with the defaults, for an `if` around a whole object (where a condition
 * may as well ask for an input every install gives, `if .Values.apiKey`): a value path whose
 * default is the boolean `false`, alone or among the operands of an `and`. What must be set for
 * the object to render, or undefined for any other condition.
 */
export function switchedOffByDefault(condition: string, vars: Map<string, string | undefined>, defaults: unknown): string | undefined {
  const read = readCondition(condition, vars)
  const isOffSwitch = (e: Expr): boolean => e.kind === 'path' && lookup(defaults, e.path)?.value === false
  const switches = read.kind === 'call' && read.name === 'and' ? read.args.filter(isOffSwitch) : [read].filter(isOffSwitch)
  if (switches.length === 0) return undefined
  return describeCondition(read) ?? describeCondition(switches.length === 1 ? switches[0]! : { kind: 'call', name: 'and', args: switches })
}

/** The value path a condition asks to be set: `x`, `not (empty x)`, `not (not x)`. */
function setPath(expr: Expr): string[] | undefined {
  if (expr.kind === 'path') return expr.path
  const [inner] = expr.kind === 'call' && (expr.name === 'not' || expr.name === 'empty') ? expr.args : []
  return inner?.kind === 'call' && (inner.name === 'not' || inner.name === 'empty') && inner.args[0]?.kind === 'path' ? inner.args[0].path : undefined
}

/**
 * What must be set for the condition to hold, in words: `` `a.b` is set ``, `` `a`, `b` or `c`
 * is set ``, `` `c` is empty ``. Undefined for shapes with no short reading.
 */
export function describeCondition(expr: Expr): string | undefined {
  const name = (path: string[]): string => `\`${path.join('.')}\``
  const set = setPath(expr)
  if (set) return `${name(set)} is set`
  if (expr.kind !== 'call') return undefined
  const [first] = expr.args
  if (expr.name === 'not' || expr.name === 'empty') return first?.kind === 'path' ? `${name(first.path)} is empty` : undefined
  const joiner = expr.name === 'or' ? ' or ' : ' and '
  const paths = expr.args.map(setPath)
  if (paths.every((p) => p !== undefined)) {
    const names = paths.map((p) => name(p!))
    return `${names.slice(0, -1).join(', ')}${joiner}${names.at(-1)} ${expr.name === 'and' ? 'are' : 'is'} set`
  }
  const parts = expr.args.map(describeCondition)
  return parts.includes(undefined) ? undefined : parts.join(joiner)
}
