/**
 * How a chart's templates use one value of its `values.yaml`, read from the template text (no
 * render): an empty value (`readinessProbe: {}`, `securityContext: {}`) is only a gap when a
 * template renders it as is. A template that tests it (`if`/`with … else`) and renders defaults
 * of its own in the else branch, or that reads it through `default`/`coalesce`, fills it in.
 */

/** The chart's template texts (templates/, helpers, `files/` rendered by the chart or its control plane). */
export interface ChartTemplates {
  texts: string[]
  /**
   * Top-level keys of values.yaml that the chart moves up to `.Values` itself (it unsets the key
   * and sets `$.Values` to the merge of its content): `.Values.x` reads `<key>.x`.
   */
  hoisted: Set<string>
}

/**
 * - `fallback`: every use is guarded and the chart renders something else when the value is empty;
 * - `injected`: (probes) the value belongs to an `image: auto` container the control plane fills in;
 * - `unguarded`: a template renders the empty value as is;
 * - `unknown`: no template of the input reads it (its template is elsewhere, or reads it another way).
 */
export type TemplateUse = 'fallback' | 'injected' | 'unguarded' | 'unknown'

/** Builds the templates of a chart from its files (values files and Chart.yaml are not templates). */
export function chartTemplates(files: readonly { path: string; content: string }[]): ChartTemplates {
  const texts = files
    .filter((f) => !/(^|\/)(values[^/]*|Chart)\.ya?ml$/i.test(f.path) && f.content.includes('.Values'))
    .map((f) => f.content.replace(/\r\n?/g, '\n'))
  const hoisted = new Set<string>()
  const reroots = texts.some((t) => /\bset\s+\$\s+"Values"/.test(t))
  if (reroots) for (const t of texts) for (const m of t.matchAll(/\bunset\s+\$?\.Values\s+"([\w-]+)"/g)) hoisted.add(m[1]!)
  return { texts, hoisted }
}

interface Action {
  start: number
  end: number
  /** The action's words, trim markers and comments removed. */
  body: string
}

interface Block {
  opener: Action
  keyword: string
  elseAt?: Action
  endAt?: Action
}

const ACTION = /\{\{-?([\s\S]*?)-?\}\}/g

/** The actions of a template and the blocks they open, matched with their `else` and `end`. */
function parse(text: string): { actions: Action[]; blocks: Block[] } {
  const actions: Action[] = []
  for (const m of text.matchAll(ACTION)) {
    const body = m[1]!.trim()
    if (body.startsWith('/*')) continue
    actions.push({ start: m.index, end: m.index + m[0].length, body })
  }
  const blocks: Block[] = []
  const open: Block[] = []
  for (const a of actions) {
    const keyword = /^(if|with|range|define|block|else|end)\b/.exec(a.body)?.[1]
    if (keyword === 'end') {
      const b = open.pop()
      if (b) b.endAt = a
    } else if (keyword === 'else') {
      const b = open.at(-1)
      if (b && !b.elseAt) b.elseAt = a
    } else if (keyword) {
      const b: Block = { opener: a, keyword }
      open.push(b)
      blocks.push(b)
    }
  }
  return { actions, blocks }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** A use of `.Values.<path>` as a whole (not a deeper key of it). */
const useOf = (path: readonly string[]): RegExp => new RegExp(`\\$?\\.Values\\.${path.map(escape).join('\\.')}(?![\\w.])`, 'g')
/** Fallbacks that render nothing: an empty dict, list or string. */
const EMPTY_FALLBACK = /^\(?\s*(dict|list|nil|""|''|`\{\}`)\s*\)?$/

/** Whether the text between two offsets renders anything (text or actions). */
const hasContent = (text: string, from: number, to: number): boolean => text.slice(from, to).trim() !== ''

/**
 * How the templates use the value at `path` (keys from the root of values.yaml). `probe` asks
 * whether an unguarded use sits in a container whose image the control plane injects.
 */
export function templateUseOf(path: readonly string[], templates: ChartTemplates | undefined, options: { probe?: boolean } = {}): TemplateUse {
  if (!templates || path.length === 0 || path.some((k) => k.startsWith('[') || !/^[\w-]+$/.test(k))) return 'unknown'
  const effective = templates.hoisted.has(path[0]!) && path.length > 1 ? path.slice(1) : path
  const use = useOf(effective)
  let found = false
  let injected = false
  for (const text of templates.texts) {
    const { actions, blocks } = parse(text)
    // A template that reads a containing map whole (`toYaml .Values.app`, `include … .Values.app`)
    // may render the value with no guard this reading can see.
    for (let n = 1; n < effective.length; n++) {
      for (const m of text.matchAll(useOf(effective.slice(0, n)))) {
        const action = actions.find((a) => a.start <= m.index && m.index < a.end)
        if (action && !/\b(pick|omit|hasKey|dig|get)\s+\$?\.Values\./.test(action.body)) return 'unknown'
      }
    }
    for (const m of text.matchAll(use)) {
      const action = actions.find((a) => a.start <= m.index && m.index < a.end)
      if (!action) continue
      found = true
      const verdict = guardOf(text, action, m[0], blocks)
      if (verdict === 'guarded') continue
      if (options.probe && inInjectedContainer(text, m.index)) {
        injected = true
        continue
      }
      return 'unguarded'
    }
  }
  if (!found) return 'unknown'
  return injected ? 'injected' : 'fallback'
}

/** Whether one use, in `action`, is guarded (renders a fallback when empty, or nothing at all). */
function guardOf(text: string, action: Action, use: string, blocks: Block[]): 'guarded' | 'unguarded' {
  const ref = escape(use)
  const opened = blocks.find((b) => b.opener === action)
  if (opened && (opened.keyword === 'if' || opened.keyword === 'with')) {
    const cond = action.body.replace(/^(if|with)\s+/, '').replace(/^\(\s*(.*?)\s*\)$/, '$1').trim()
    const bodyEnd = opened.elseAt?.start ?? opened.endAt?.start ?? action.end
    if (cond === use) return opened.elseAt && opened.endAt && hasContent(text, opened.elseAt.end, opened.endAt.start) ? 'guarded' : 'unguarded'
    if (/^(not|empty)\s/.test(cond) && cond.replace(/^(not|empty)\s+/, '') === use) return hasContent(text, action.end, bodyEnd) ? 'guarded' : 'unguarded'
    return 'unguarded'
  }
  const viaDefault = new RegExp(`${ref}\\s*\\|\\s*default\\s+(\\([^)]*\\)|"[^"]*"|\\S+)`).exec(action.body) ?? new RegExp(`\\bdefault\\s+(\\([^)]*\\)|"[^"]*"|\\S+)\\s+${ref}(?![\\w.])`).exec(action.body)
  if (viaDefault && !EMPTY_FALLBACK.test(viaDefault[1]!)) return 'guarded'
  if (/\bcoalesce\b/.test(action.body)) return 'guarded'
  // Inside the body of a block that tests the same value: rendered only when it is set.
  const inTestedBlock = blocks.some(
    (b) =>
      (b.keyword === 'if' || b.keyword === 'with') &&
      b.opener.end <= action.start &&
      action.start < (b.elseAt?.start ?? b.endAt?.start ?? text.length) &&
      b.opener.body.replace(/^(if|with)\s+/, '').replace(/^\(\s*(.*?)\s*\)$/, '$1').trim() === use
  )
  return inTestedBlock ? 'guarded' : 'unguarded'
}

/**
 * Whether the use at `offset` belongs to a container declared with `image: auto`: Istio's
 * injector replaces such a container with its own, probes included.
 */
function inInjectedContainer(text: string, offset: number): boolean {
  const lines = text.slice(0, offset).split('\n')
  const indent = (line: string): number => line.length - line.trimStart().length
  const own = indent(lines.at(-1)!)
  for (let i = lines.length - 2; i >= 0; i--) {
    const line = lines[i]!
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('{{') || trimmed.startsWith('#')) continue
    if (indent(line) === own && /^image:\s*["']?auto["']?$/.test(trimmed)) return true
    // A line left of the use's keys ends its container's mapping.
    if (indent(line) < own) return false
  }
  return false
}
