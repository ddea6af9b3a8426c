/**
 * How a chart's templates use one value of its `values.yaml`, read from the template text (no
 * render): an empty value (`readinessProbe: {}`, `securityContext: {}`) is only a gap when a
 * template renders it as is. A template that tests it (`if`/`with … else`) and renders defaults
 * of its own in the else branch, or that reads it through `default`/`coalesce`, fills it in.
 */
import { isBuiltInApi } from '../k8s/objects.js'
import { guardByDefault, lookup, switchedOffByDefault, variablesOf } from './template-conditions.js'
import { nodePluginPathNeed, type NodePluginNeed } from '../node-plugin.js'
import { escapeRegExp } from '../../util/regex.js'
import { fixedSysctlParameters, sysctlImageAccepted } from '../node-sysctl.js'
import { parseYaml, toPlain } from '../parse/yaml.js'

/** The chart's template texts (templates/, helpers, `files/` rendered by the chart or its control plane). */
export interface ChartTemplates {
  texts: string[]
  /** The other template texts: helpers that read only what they are handed (`.root.app`, `.app`). */
  handed: string[]
  /**
   * Top-level keys of values.yaml that the chart moves up to `.Values` itself (it unsets the key
   * and sets `$.Values` to the merge of its content): `.Values.x` reads `<key>.x`.
   */
  hoisted: Set<string>
  /** Each text's actions and blocks, parsed on first use. */
  parsed: Map<string, ParsedTemplate>
  /** Each text's `$name := …` definitions, read on first use. */
  variables: Map<string, Map<string, string | undefined>>
}

interface ParsedTemplate {
  actions: Action[]
  blocks: Block[]
}

/**
 * - `fallback`: every use is guarded and the chart renders something else when the value is empty;
 * - `injected`: (probes) the value belongs to an `image: auto` container the control plane fills in;
 * - `custom-resource`: every unguarded use writes it into a custom resource (an operator's
 *   `OpenTelemetryCollector`, `Cluster`), whose operator decides what an empty value means;
 * - `unguarded`: a template renders the empty value as is into a Kubernetes object;
 * - `unknown`: no template of the input reads it (its template is elsewhere, or reads it another way).
 */
export type TemplateUse = 'fallback' | 'injected' | 'custom-resource' | 'unguarded' | 'unknown'

/** Builds the templates of a chart from its files (values files and Chart.yaml are not templates). */
export function chartTemplates(files: readonly { path: string; content: string }[]): ChartTemplates {
  const templated = files.filter((f) => !/(^|\/)(values[^/]*|Chart)\.ya?ml$/i.test(f.path) && f.content.includes('{{')).map((f) => f.content.replace(/\r\n?/g, '\n'))
  const texts = templated.filter((t) => t.includes('.Values'))
  const handed = templated.filter((t) => !t.includes('.Values'))
  const hoisted = new Set<string>()
  const reroots = texts.some((t) => /\bset\s+\$\s+"Values"/.test(t))
  if (reroots) for (const t of texts) for (const m of t.matchAll(/\bunset\s+\$?\.Values\s+"([\w-]+)"/g)) hoisted.add(m[1]!)
  return { texts, handed, hoisted, parsed: new Map(), variables: new Map() }
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

/** The `{{ … }}` actions of a template, in order (a scan, not a regular expression: templates are large). */
function actionsOf(text: string): Action[] {
  const actions: Action[] = []
  for (let start = text.indexOf('{{'); start >= 0; start = text.indexOf('{{', start + 2)) {
    const close = text.indexOf('}}', start + 2)
    if (close < 0) break
    let body = text.slice(start + 2, close)
    if (body.startsWith('-')) body = body.slice(1)
    if (body.endsWith('-')) body = body.slice(0, -1)
    body = body.trim()
    if (!body.startsWith('/*')) actions.push({ start, end: close + 2, body })
    start = close
  }
  return actions
}

/** `( x )` without its parentheses. */
function unparen(s: string): string {
  const t = s.trim()
  return t.startsWith('(') && t.endsWith(')') ? t.slice(1, -1).trim() : t
}

/** The condition of an `if`/`with` action. */
const conditionOf = (body: string): string => unparen(body.replace(/^(if|with)\s+/, ''))

/** The actions of a template and the blocks they open, matched with their `else` and `end`. */
function parse(text: string): ParsedTemplate {
  const actions = actionsOf(text)
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

/** A use of `.Values.<path>` as a whole (not a deeper key of it). */
const useOf = (path: readonly string[]): RegExp => new RegExp(`\\$?\\.Values\\.${path.map(escapeRegExp).join('\\.')}(?![\\w.])`, 'g')
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
  let custom = false
  for (const text of templates.texts) {
    const { actions, blocks } = parsedOf(text, templates)
    // A template that reads a containing map whole (`toYaml .Values.app`, `include … .Values.app`)
    // may render the value with no guard this reading can see.
    for (let n = 1; n < effective.length; n++) {
      for (const m of text.matchAll(useOf(effective.slice(0, n)))) {
        const action = actions.find((a) => a.start <= m.index && m.index < a.end)
        if (action && !/\b(pick|omit|hasKey|dig|get)\s+\$?\.Values\./.test(action.body)) return whereverWritten(effective, templates)
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
      if (inCustomResource(text, m.index)) {
        custom = true
        continue
      }
      return 'unguarded'
    }
  }
  if (!found) return whereverWritten(effective, templates)
  return injected ? 'injected' : custom ? 'custom-resource' : 'fallback'
}

/** A template's actions and blocks, parsed once per chart. */
function parsedOf(text: string, templates: ChartTemplates): ParsedTemplate {
  let parsed = templates.parsed.get(text)
  if (!parsed) templates.parsed.set(text, (parsed = parse(text)))
  return parsed
}

/** One place a template reads a value or a map holding it (`toYaml .Values.a`, `$x := .Values.a.b`). */
export interface ValueUse {
  text: string
  at: number
  /** Only tested by an `if` or `else if`: nothing of it is rendered there. */
  testOnly: boolean
  /**
   * The `if`/`with` blocks around it inside its object or helper, innermost first; `negated` in
   * the block's `else` part.
   */
  guards: { condition: string; negated: boolean }[]
  /**
   * The conditions of the `if` blocks opened before the `kind:` line of its object (around the
   * whole object, see `partStart`), when the use is in their body: they count only as feature
   * switches (`switchedOffByDefault`).
   */
  switches: string[]
  /**
   * The named template (`define "x.initContainer"`) holding the use when its guards stop at the
   * helper: where the helper is included decides whether it renders.
   */
  helper?: string
}

/**
 * Every use of the value at `path` (keys from the root of values.yaml) or of a map holding it,
 * or undefined when the templates may reach it another way this reading does not follow: its
 * top key read off something else than `.Values` (`.root.app`, a helper given `.Values`), or by
 * name (`index .Values "app"`), or a chart that moves values up itself.
 */
export function usesOf(path: readonly string[], templates: ChartTemplates | undefined): ValueUse[] | undefined {
  if (!templates || templates.hoisted.size > 0 || path.length === 0 || path.some((k) => !/^[\w-]+$/.test(k))) return undefined
  const top = escapeRegExp(path[0]!)
  const anyRead = new RegExp(`\\.${top}((?:\\.[\\w-]+)*)(?![\\w-])`, 'g')
  // A read of the value, of a map holding it, or of a key inside it (not of a sibling: `.app.name`).
  const reaches = (chain: string): boolean => {
    const keys = chain.split('.').slice(1)
    return keys.every((k, i) => i >= path.length - 1 || k === path[i + 1])
  }
  const uses: ValueUse[] = []
  for (const text of [...templates.texts, ...templates.handed]) {
    const { actions, blocks } = parsedOf(text, templates)
    const actionAt = (at: number): Action | undefined => actions.find((a) => a.start <= at && at < a.end)
    for (const m of text.matchAll(anyRead)) {
      const action = actionAt(m.index)
      // A helper's name (`include "app.agent.init"`) is a string, not a read.
      if (action && !inString(text, action.start, m.index) && text.slice(Math.max(0, m.index - '.Values'.length), m.index) !== '.Values' && reaches(m[1]!)) return undefined
    }
    if (actions.some((a) => a.body.includes(`"${path[0]}"`) && /\b(index|get|dig|pluck|hasKey)\b/.test(a.body))) return undefined
    for (let n = 1; n <= path.length; n++) {
      for (const m of text.matchAll(useOf(path.slice(0, n)))) {
        const action = actionAt(m.index)
        if (!action) continue
        const opened = blocks.find((b) => b.opener === action)
        const testOnly = opened?.keyword === 'if' || /^else\s+if\b/.test(action.body)
        uses.push({ text, at: m.index, testOnly, ...guardsAt(text, action, blocks) })
      }
    }
  }
  return uses
}

/** The guards that count for an action (see `partStart`), innermost first, the switches around its object, and the helper they stop at. */
function guardsAt(text: string, action: Action, blocks: Block[]): Pick<ValueUse, 'guards' | 'switches' | 'helper'> {
  const { from, objectFrom, helper } = partStart(text, action.start, blocks)
  const guards = blocks
    // A block whose end was not found is not known to close where it should: no guard.
    .filter((b) => (b.keyword === 'if' || b.keyword === 'with') && b.endAt && from <= b.opener.start && b.opener.end <= action.start && action.start < b.endAt.start)
    .sort((a, b) => b.opener.start - a.opener.start)
    .map((b) => ({ condition: conditionOf(b.opener.body), negated: b.elseAt !== undefined && action.start >= b.elseAt.end }))
  // An `if` around the whole object (it may hold several documents), the use in its body, not its `else`.
  const switches =
    objectFrom === undefined
      ? []
      : blocks
          .filter((b) => b.keyword === 'if' && b.endAt && objectFrom <= b.opener.start && b.opener.start < from && b.opener.end <= action.start && action.start < (b.elseAt ?? b.endAt).start)
          .map((b) => conditionOf(b.opener.body))
  return { guards, switches, helper }
}

/**
 * Where the guards that count for a use at `at` may open: after the `kind:` line of its object,
 * else inside the helper (`define`) holding it, whose name is given then. A condition around a
 * whole object (`if .Values.apiKey`) often asks for an input every install gives, not for an
 * optional part: such conditions, opened from `objectFrom` (the start of the file or helper) up
 * to the `kind:` line, are read only as feature switches (see `ValueUse.switches`).
 */
function partStart(text: string, at: number, blocks: Block[]): { from: number; objectFrom?: number; helper?: string } {
  const docStart = Math.max(0, text.lastIndexOf('\n---', at))
  const helper = blocks.filter((b) => b.keyword === 'define' && b.opener.end <= at && (!b.endAt || at < b.endAt.start)).at(-1)
  // A `kind:` line counts only inside the helper holding the use (another helper's object is not its own).
  const objectFrom = Math.max(docStart, helper?.opener.end ?? 0)
  const kind = /^kind:/m.exec(text.slice(objectFrom, at))
  if (kind) return { from: objectFrom + kind.index, objectFrom: helper?.opener.end ?? 0 }
  if (!helper) return { from: Infinity }
  return { from: helper.opener.end, helper: /^define\s+"([^"]+)"/.exec(helper.opener.body)?.[1] }
}

/**
 * When the templates render the value only inside blocks whose conditions are false with the
 * chart's defaults (`defaults`: values.yaml as plain data): what must be set for each use to
 * render (one entry per distinct condition). Undefined when some use renders by default, or
 * may: a condition of a shape not read counts as true.
 */
export function offByDefault(path: readonly string[], templates: ChartTemplates | undefined, defaults: unknown): string[] | undefined {
  const writes = usesOf(path, templates)?.filter((u) => !u.testOnly)
  if (!templates || !writes || writes.length === 0) return undefined
  const when = new Set<string>()
  for (const use of writes) {
    const off = offWhen(use, templates, defaults, 0)
    if (!off) return undefined
    for (const w of off) when.add(w)
  }
  return [...when]
}

/** How many helpers deep `include` calls are followed up to a template that renders an object. */
const MAX_INCLUDE_DEPTH = 4
/** An `include`/`template`/`block` call of a named template given by a literal name (double-quoted or raw). */
const NAMED_CALL = /\b(?:include|template|block)\s+(?:"([^"]+)"|`([^`]+)`)/g
/** A call whose template name is computed (`include (printf "%s.init" $name) .`, `include .Values.name .`), so not known. */
const COMPUTED_CALL = /\b(?:include|template)\s+[($.]/

/**
 * What must be set for one use (or helper call) to render, or undefined when it renders by
 * default or may: its own guards first; inside a helper, every place the helper is included
 * must be off by default (a helper included nowhere, or maybe by a computed name, is not known to be).
 */
function offWhen(use: Pick<ValueUse, 'text' | 'guards' | 'switches' | 'helper'>, templates: ChartTemplates, defaults: unknown, depth: number): string[] | undefined {
  const vars = variablesFor(use.text, templates)
  const off = use.guards.map((g) => guardByDefault(g.condition, g.negated, vars, defaults)).find((g) => g.holds === false)
  if (off) return [off.when ?? 'its `if` condition holds']
  const switchedOff = use.switches.map((c) => switchedOffByDefault(c, vars, defaults)).find((w) => w !== undefined)
  if (switchedOff) return [switchedOff]
  if (use.helper === undefined || depth >= MAX_INCLUDE_DEPTH) return undefined
  const calls = callsOf(use.helper, templates)
  if (!calls || calls.length === 0) return undefined
  const when: string[] = []
  for (const call of calls) {
    const callOff = offWhen(call, templates, defaults, depth + 1)
    if (!callOff) return undefined
    when.push(...callOff)
  }
  return when
}

/**
 * Every `include`/`template` call of the helper `name`, with the guards around it; undefined
 * when some template computes the name of a template it includes (it may be this one). A
 * computed path of a chart file (`include (print $.Template.BasePath "/x.yaml")`, for a checksum) is no helper.
 */
function callsOf(name: string, templates: ChartTemplates): Pick<ValueUse, 'text' | 'guards' | 'switches' | 'helper'>[] | undefined {
  const calls: Pick<ValueUse, 'text' | 'guards' | 'switches' | 'helper'>[] = []
  for (const text of [...templates.texts, ...templates.handed]) {
    const { actions, blocks } = parsedOf(text, templates)
    for (const action of actions) {
      if (COMPUTED_CALL.test(action.body) && !action.body.includes('Template.BasePath')) return undefined
      for (const m of action.body.matchAll(NAMED_CALL)) if ((m[1] ?? m[2]) === name) calls.push({ text, ...guardsAt(text, action, blocks) })
    }
  }
  return calls
}

/**
 * For the templates of a chart, a reader of named templates: when every place a helper is
 * included (`include "loadtestconfig.tpl" .`) lies inside blocks that are off with the chart's
 * defaults, what must be set for it to render. Undefined when it is included nowhere, by a
 * computed name anywhere (it may be this one), or somewhere that renders by default or may; and
 * when `elsewhere` (every other file of the chart tree: other charts, which share helper names,
 * values a `tpl` renders, files under `files/`) names it at all.
 */
export function helperOffByDefault(texts: readonly string[], defaults: unknown, elsewhere: readonly string[] = []): (name: string) => string | undefined {
  const readers = new Map<string, (at: number) => string | undefined>()
  // Each template's actions read once, and only when some finding lies inside a helper.
  const actions = new Map<string, Action[]>()
  const actionsIn = (text: string): Action[] => {
    let list = actions.get(text)
    if (!list) actions.set(text, (list = parse(text).actions))
    return list
  }
  let computed: boolean | undefined
  const memo = new Map<string, string | undefined>()
  const offWhen = (name: string, depth: number): string | undefined => {
    computed ??= texts.some((text) => actionsIn(text).some((a) => COMPUTED_CALL.test(a.body) && !a.body.includes('Template.BasePath')))
    if (computed || depth > MAX_INCLUDE_DEPTH) return undefined
    if (memo.has(name)) return memo.get(name)
    // Named anywhere else (another chart of the tree, values for `tpl`, a file under `files/`): it may render there.
    if (elsewhere.some((text) => text.includes(`"${name}"`) || text.includes(`\`${name}\``))) return undefined
    memo.set(name, undefined) // a helper including itself renders nowhere new
    let when: string | undefined
    let sites = 0
    for (const text of texts) {
      for (const action of actionsIn(text)) {
        for (const m of action.body.matchAll(NAMED_CALL)) {
          if ((m[1] ?? m[2]) !== name) continue
          sites++
          let reader = readers.get(text)
          if (!reader) readers.set(text, (reader = offByDefaultAt(text, defaults, (inner) => offWhen(inner, depth + 1))))
          const off = reader(action.start)
          if (off === undefined) return undefined
          when ??= off
        }
      }
    }
    const result = sites > 0 ? when : undefined
    memo.set(name, result)
    return result
  }
  return (name) => offWhen(name, 0)
}

/** Whether `at` sits inside a double-quoted string of the action opening at `from`. */
function inString(text: string, from: number, at: number): boolean {
  let inside = false
  for (let i = from; i < at; i++) {
    if (text[i] === '\\' && inside) i++
    else if (text[i] === '"') inside = !inside
  }
  return inside
}

/** A template's `$name := …` definitions, read once per chart. */
function variablesFor(text: string, templates: ChartTemplates): Map<string, string | undefined> {
  let variables = templates.variables.get(text)
  if (!variables) templates.variables.set(text, (variables = variablesOf(parsedOf(text, templates).actions.map((a) => a.body))))
  return variables
}

/** A `helm.sh/hook` annotation line; its value (quotes and all) is read in code. */
const HOOK_ANNOTATION = /^[ \t]*["']?helm\.sh\/hook["']?[ \t]*:(.*)$/gm
/** The hooks `helm test` runs (`test-success` and `test-failure` are Helm 2's names). */
const TEST_HOOKS = new Set(['test', 'test-success', 'test-failure'])

/**
 * Whether the template document around `at` is a `helm test` object: it carries a `helm.sh/hook`
 * annotation listing only test hooks. Such objects are created by `helm test`, never by an install
 * or upgrade. An annotation with a template action in it, or with another hook beside, is not one.
 */
function inHelmTest(text: string, at: number): boolean {
  const hooks = [...documentAt(text, at).matchAll(HOOK_ANNOTATION)].map((m) => m[1]!.trim().replace(/^(["'])(.*)\1$/, '$2'))
  return hooks.length > 0 && hooks.every((h) => h.split(',').every((hook) => TEST_HOOKS.has(hook.trim())))
}

/**
 * Whether every template that writes the value (not only tests it) writes it into an object only
 * `helm test` creates (see `inHelmTest`). A write inside a helper whose object is decided by its
 * `include` is not known to be one.
 */
export function writtenOnlyIntoHelmTests(path: readonly string[], templates: ChartTemplates | undefined): boolean {
  const writes = usesOf(path, templates)?.filter((u) => !u.testOnly)
  if (!writes || writes.length === 0) return false
  return writes.every((u) => u.helper === undefined && inHelmTest(u.text, u.at))
}

/**
 * Whether every template that writes the value (not only tests it) puts it into a DaemonSet whose
 * pods mount host paths (`hostPath:` in the same document): a node agent reading the host.
 */
export function writtenOnlyIntoHostDaemonSets(path: readonly string[], templates: ChartTemplates | undefined): boolean {
  const writes = usesOf(path, templates)?.filter((u) => !u.testOnly)
  if (!writes || writes.length === 0) return false
  return writes.every((u) => {
    const doc = documentAt(u.text, u.at)
    return /^kind:[ \t]*["']?DaemonSet["']?[ \t]*$/m.test(doc) && /^[ \t]*(?:-[ \t]+)?hostPath:/m.test(doc)
  })
}

/**
 * Why every template that writes the value puts it into a CNI/CSI node plugin container (see
 * ../node-plugin.ts), or undefined. Templates are read, not rendered: the container is the list
 * item around the write (to the next line indented no deeper), and its mounts are read from its
 * text: `mountPropagation: Bidirectional`, or a `mountPath` naming a host CNI folder or the BPF
 * filesystem, literally (`/host/opt/cni/bin`) or through a helper or value (`hostCNIBinDir`,
 * `bpf.hostRoot`), or a kubelet volume plugin folder, literally (`/var/lib/kubelet/plugins`).
 */
export function writtenOnlyIntoNodePlugins(path: readonly string[], templates: ChartTemplates | undefined): NodePluginNeed | undefined {
  const writes = usesOf(path, templates)?.filter((u) => !u.testOnly)
  if (!writes || writes.length === 0) return undefined
  const needs = writes.map((u) => mountsNeed(containerAt(u.text, u.at)))
  return needs.every((n) => n !== undefined) ? needs[0] : undefined
}

/** The need the mounts written in one container's text show. */
function mountsNeed(container: string): NodePluginNeed | undefined {
  if (/^[ \t]*mountPropagation:[ \t]*["']?Bidirectional["']?[ \t]*$/m.test(container)) return 'propagation'
  const mountPaths = [...container.matchAll(/^[ \t]*(?:-[ \t]+)?mountPath:[ \t]*(.*)$/gm)].map((m) => m[1]!)
  const needOf = (p: string): NodePluginNeed | undefined => {
    const literal = /(?:\/opt\/cni\/bin|\/etc\/cni\/net\.d|\/var\/lib\/cni|\/sys\/fs\/bpf|\/usr\/libexec\/kubernetes\/kubelet-plugins\/volume\/exec|\/var\/lib\/kubelet\/plugins_registry|\/var\/lib\/kubelet\/plugins)\b/.exec(p)?.[0]
    if (literal) return nodePluginPathNeed(literal)
    if (/cni[-_]?(?:bin|net|conf)/i.test(p)) return 'cni'
    return /\bbpf\b/i.test(p) ? 'bpf' : undefined
  }
  const needs = mountPaths.map(needOf)
  return needs.find((n) => n === 'cni') ?? needs.find((n) => n === 'volume') ?? needs.find((n) => n === 'bpf')
}

/** Where the container around an offset sits in its template: its lines, and the indent of its `- name:` item. */
interface ContainerBounds {
  /** Every line of the template. */
  lines: string[]
  /** First line (the `- name:` item) and the line after the last. */
  start: number
  end: number
  itemIndent: number
}

/**
 * The container around `at`: from the closest list item (`- name:`) before it that is indented
 * less than the line of `at`, to the next line indented no deeper than that item.
 */
function containerBoundsAt(text: string, at: number): ContainerBounds | undefined {
  const lines = text.slice(0, at).split('\n')
  const own = indentOf(lines[lines.length - 1]!.replace(/\{\{-?/, ''))
  let start = -1
  let itemIndent = 0
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^([ \t]*)-[ \t]+name:/.exec(lines[i]!)
    if (m && m[1]!.length < own) {
      start = i
      itemIndent = m[1]!.length
      break
    }
  }
  if (start < 0) return undefined
  const all = text.split('\n')
  let end = start + 1
  while (end < all.length) {
    const line = all[end]!
    if (line.trim() !== '' && !actionsOnly(line) && indentOf(line) <= itemIndent) break
    end++
  }
  return { lines: all, start, end, itemIndent }
}

const indentOf = (line: string): number => line.length - line.trimStart().length
/** A line of template actions alone (`{{- end }}`) is no YAML: its indent says nothing. */
const actionsOnly = (line: string): boolean => /^\{\{.*\}\}$/.test(line.trim())

/** The text of the container around `at` (see `containerBoundsAt`), or '' when there is none. */
function containerAt(text: string, at: number): string {
  const bounds = containerBoundsAt(text, at)
  return bounds ? bounds.lines.slice(bounds.start, bounds.end).join('\n') : ''
}

/** What the init containers a value is written into set with fixed `sysctl -w`, and their images. */
export interface TemplateSysctls {
  keys: string[]
  images: string[]
}

/**
 * The kernel parameters set by every init container the value is written into, and their images,
 * when each runs only fixed `sysctl -w` commands from an image that judgement accepts and serves
 * nothing (see ../node-sysctl.ts); undefined otherwise. Templates are read, not rendered: the
 * container must sit in a literal `initContainers:` list of its template (not in a helper included
 * elsewhere), its `command`/`args` must be plain YAML with no template action in them (no ports,
 * no `restartPolicy`), and its image literal or made of `.Values` references the chart's
 * defaults (`defaults`) fill in.
 */
export function writtenOnlyIntoSysctlInitContainers(path: readonly string[], templates: ChartTemplates | undefined, defaults: unknown): TemplateSysctls | undefined {
  const writes = usesOf(path, templates)?.filter((u) => !u.testOnly)
  if (!templates || !writes || writes.length === 0) return undefined
  const found: TemplateSysctls = { keys: [], images: [] }
  for (const u of writes) {
    const bounds = containerBoundsAt(u.text, u.at)
    const set = bounds && inInitContainers(bounds) ? templateSysctls(bounds, templates, defaults) : undefined
    if (!set) return undefined
    for (const key of set.keys) if (!found.keys.includes(key)) found.keys.push(key)
    if (!found.images.includes(set.image)) found.images.push(set.image)
  }
  return found
}

/**
 * Whether the container's list is an `initContainers:` key: the first YAML line above the item
 * that is neither deeper nor a sibling item. The search stops at a helper's `define` or a
 * document's start (where a helper's container goes is decided by its `include`).
 */
function inInitContainers({ lines, start, itemIndent }: ContainerBounds): boolean {
  for (let i = start - 1; i >= 0; i--) {
    const line = lines[i]!
    const trimmed = line.trim()
    if (/\bdefine\b/.test(trimmed) && trimmed.startsWith('{{')) return false
    if (trimmed === '---' || /^kind:/.test(trimmed)) return false
    if (trimmed === '' || trimmed.startsWith('#') || actionsOnly(line)) continue
    const indent = indentOf(line)
    if (indent > itemIndent || (indent === itemIndent && trimmed.startsWith('-'))) continue
    return /^initContainers:[ \t]*$/.test(trimmed)
  }
  return false
}

/**
 * The parameters the container's literal `command`/`args` set with fixed `sysctl -w` commands, and
 * its image as the defaults render it, or undefined (also when that image is not one to accept).
 */
function templateSysctls({ lines, start, end }: ContainerBounds, templates: ChartTemplates, defaults: unknown): { keys: string[]; image: string } | undefined {
  // The item's own line read as its first key: `- name: x` → `  name: x`.
  const body = lines.slice(start, end).map((line, i) => (i === 0 ? line.replace(/-/, ' ') : line))
  const keyIndent = indentOf(body[0]!)
  const blockOf = (key: string): string[] | undefined => {
    const from = body.findIndex((line) => indentOf(line) === keyIndent && line.trim().startsWith(`${key}:`))
    if (from < 0) return undefined
    let to = from + 1
    while (to < body.length) {
      const line = body[to]!
      const deeper = line.trim() === '' || indentOf(line) > keyIndent || (indentOf(line) === keyIndent && line.trim().startsWith('- '))
      if (!deeper) break
      to++
    }
    return body.slice(from, to).map((line) => line.slice(keyIndent))
  }
  if (blockOf('ports') || blockOf('restartPolicy')) return undefined
  const image = renderedImage(blockOf('image'), templates, defaults)
  if (!sysctlImageAccepted(image)) return undefined
  const command = blockOf('command')
  const args = blockOf('args')
  if (!command) return undefined
  const block = [...command, ...(args ?? [])].join('\n')
  // A template action could put anything there.
  if (block.includes('{{')) return undefined
  let plain: unknown
  try {
    plain = toPlain(parseYaml(block).docs[0]!)
  } catch {
    return undefined
  }
  const words = (value: unknown): string[] | undefined => (Array.isArray(value) && value.every((w) => typeof w === 'string') ? (value as string[]) : undefined)
  const fields = plain as { command?: unknown; args?: unknown } | null
  const commandWords = words(fields?.command)
  const argWords = fields?.args === undefined ? [] : words(fields.args)
  const keys = commandWords && argWords ? fixedSysctlParameters(commandWords, argWords) : undefined
  return keys && image ? { keys, image } : undefined
}

/** A `{{ .Values.a.b }}` action alone, with or without trim marks. */
const VALUES_REFERENCE = /\{\{-?[ \t]*\.Values\.([\w.]+)[ \t]*-?\}\}/g

/**
 * An `image:` line (its block, see `templateSysctls`) as the chart's defaults render it: literal
 * text and `{{ .Values.a.b }}` actions whose default is a string or number. Undefined for any other
 * action (a helper, a `default`, `.Chart.AppVersion`), a value on more lines, or a chart that moves
 * a key up to `.Values` (there `.Values.a` may not read `a`).
 */
function renderedImage(block: string[] | undefined, templates: ChartTemplates, defaults: unknown): string | undefined {
  if (!block || block.slice(1).some((line) => line.trim() !== '') || templates.hoisted.size > 0) return undefined
  let text = block[0]!.replace(/^image:/, '').trim()
  if (/^(["']).*\1$/.test(text)) text = text.slice(1, -1)
  let unresolved = false
  const rendered = text.replace(VALUES_REFERENCE, (_action, dotted: string) => {
    const value = lookup(defaults, dotted.split('.'))?.value
    if (typeof value === 'string' || typeof value === 'number') return String(value)
    unresolved = true
    return ''
  })
  return unresolved || rendered.includes('{{') ? undefined : rendered
}

/** The template document around `at`: the text between the `---` lines before and after it. */
function documentAt(text: string, at: number): string {
  const before = text.lastIndexOf('\n---', at)
  const after = text.indexOf('\n---', at)
  return text.slice(before < 0 ? 0 : before, after < 0 ? text.length : after)
}

/**
 * For a value no template reads by its path (it goes through a variable, or its map is read
 * whole): `custom-resource` when the templates write its key only into custom resources, else `unknown`.
 */
function whereverWritten(path: readonly string[], templates: ChartTemplates): TemplateUse {
  return writtenOnlyIntoCustomResources(path[path.length - 1]!, templates) ? 'custom-resource' : 'unknown'
}

/**
 * Whether the templates write a key of this name (`livenessProbe:`) somewhere, and only into
 * custom resources: a value read through a variable (`$collector.livenessProbe`) then lands there too.
 */
function writtenOnlyIntoCustomResources(key: string, templates: ChartTemplates): boolean {
  const written = new RegExp(`^[ \\t]*${escapeRegExp(key)}:`, 'gm')
  let any = false
  for (const text of templates.texts) {
    for (const m of text.matchAll(written)) {
      if (!inCustomResource(text, m.index)) return false
      any = true
    }
  }
  return any
}

/**
 * Whether the template document around `at` (between `---` lines) is a custom resource: its
 * literal `apiVersion:` names an API group Kubernetes does not build in (`opentelemetry.io/v1beta1`,
 * `postgresql.cnpg.io/v1`). A templated or missing apiVersion is not known to be one.
 */
function inCustomResource(text: string, at: number): boolean {
  const doc = documentAt(text, at)
  const apiVersion = /^apiVersion:[ \t]*["']?([\w.-]+\/[\w.-]+)["']?[ \t]*$/m.exec(doc)?.[1]
  return apiVersion !== undefined && !isBuiltInApi(apiVersion)
}

/** Whether one use, in `action`, is guarded (renders a fallback when empty, or nothing at all). */
function guardOf(text: string, action: Action, use: string, blocks: Block[]): 'guarded' | 'unguarded' {
  const opened = blocks.find((b) => b.opener === action)
  if (opened && (opened.keyword === 'if' || opened.keyword === 'with')) {
    const cond = conditionOf(action.body)
    const bodyEnd = opened.elseAt?.start ?? opened.endAt?.start ?? action.end
    if (cond === use) return opened.elseAt && opened.endAt && hasContent(text, opened.elseAt.end, opened.endAt.start) ? 'guarded' : 'unguarded'
    if (/^(not|empty)\s/.test(cond) && cond.replace(/^(not|empty)\s+/, '') === use) return hasContent(text, action.end, bodyEnd) ? 'guarded' : 'unguarded'
    return 'unguarded'
  }
  const fallback = defaultFallback(action.body, use)
  if (fallback !== undefined && !EMPTY_FALLBACK.test(fallback)) return 'guarded'
  if (/\bcoalesce\b/.test(action.body)) return 'guarded'
  // Inside the body of a block that tests the same value: rendered only when it is set.
  const inTestedBlock = blocks.some(
    (b) =>
      (b.keyword === 'if' || b.keyword === 'with') &&
      b.opener.end <= action.start &&
      action.start < (b.elseAt?.start ?? b.endAt?.start ?? text.length) &&
      conditionOf(b.opener.body) === use
  )
  return inTestedBlock ? 'guarded' : 'unguarded'
}

/**
 * The fallback `default` gives the use in an action's words: `<use> | default X` or
 * `default X <use>` (X one word, a quoted string or a parenthesised call). Read by hand, not by
 * a regular expression, so a long action cannot make it backtrack.
 */
function defaultFallback(body: string, use: string): string | undefined {
  const at = body.indexOf(use)
  if (at < 0) return undefined
  const after = body.slice(at + use.length).trimStart()
  if (after.startsWith('|')) {
    const stage = after.slice(1).trimStart()
    if (stage.startsWith('default ')) return firstArgument(stage.slice('default '.length).trimStart())
  }
  const before = body.slice(0, at).trimEnd()
  let arg: string
  let rest: string
  if (before.endsWith(')')) {
    const open = openingParen(before)
    if (open < 0) return undefined
    arg = before.slice(open)
    rest = before.slice(0, open).trimEnd()
  } else {
    const space = Math.max(before.lastIndexOf(' '), before.lastIndexOf('\t'))
    arg = before.slice(space + 1)
    rest = before.slice(0, space + 1).trimEnd()
  }
  const word = rest.slice(-'default'.length)
  const edge = rest.length === word.length ? '' : rest[rest.length - word.length - 1]!
  return word === 'default' && !/[\w.$]/.test(edge) ? arg : undefined
}

/** The first argument at the start of `s`: a parenthesised group, a quoted string or one word. */
function firstArgument(s: string): string {
  if (s.startsWith('(')) {
    let depth = 0
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '(') depth++
      else if (s[i] === ')' && --depth === 0) return s.slice(0, i + 1)
    }
    return s
  }
  if (s.startsWith('"')) {
    const close = s.indexOf('"', 1)
    return close < 0 ? s : s.slice(0, close + 1)
  }
  const end = s.search(/[\s|)]/)
  return end < 0 ? s : s.slice(0, end)
}

/** Index of the `(` matching the `)` that ends `s`, or -1. */
function openingParen(s: string): number {
  let depth = 0
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] === ')') depth++
    else if (s[i] === '(' && --depth === 0) return i
  }
  return -1
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

/**
 * For a template and the chart's defaults, a reader of offsets: when the text at offset `at` lies inside `if`/`with` blocks of which one is false
 * with the chart's defaults (its `else` part: when the condition holds): what must be set for it to
 * render. Undefined when it renders by default or may: inside a named template unless `helperOff`
 * says every include of it is off by default, or under conditions of a shape not read. Unlike a value's uses
 * (`partStart`), a guard around a whole object counts: a Secret the defaults do not render is
 * not installed by default, whatever input the condition asks for.
 */
export function offByDefaultAt(text: string, defaults: unknown, helperOff?: (name: string) => string | undefined): (at: number) => string | undefined {
  // Read once per template: a chart's template often holds many findings.
  const { actions, blocks } = parse(text)
  const vars = variablesOf(actions.map((a) => a.body))
  return (at) => {
    const helper = blocks.filter((b) => b.keyword === 'define' && b.opener.end <= at && (!b.endAt || at < b.endAt.start)).at(-1)
    if (helper) {
      // Inside a named template: it renders where it is included, so off only when every include is.
      const name = /^define\s+"([^"]+)"/.exec(helper.opener.body)?.[1]
      return name !== undefined ? helperOff?.(name) : undefined
    }
    const around = blocks
      .filter((b) => (b.keyword === 'if' || b.keyword === 'with') && b.endAt && b.opener.end <= at && at < b.endAt.start)
      .sort((a, b) => b.opener.start - a.opener.start)
    for (const b of around) {
      const negated = b.elseAt !== undefined && at >= b.elseAt.end
      const guard = guardByDefault(conditionOf(b.opener.body), negated, vars, defaults)
      if (guard.holds === false) return guard.when ?? `its \`${b.keyword}\` condition ${negated ? 'does not hold' : 'holds'}`
    }
    return undefined
  }
}
