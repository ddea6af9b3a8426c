/** What every workflow check receives, and small helpers over source text and YAML nodes. */
import { isMap, isPair, isScalar, isSeq, scalarString, type Node, type YAMLMap, type YamlFile } from '../parse/yaml.js'
import type { Report } from '../rule.js'
import type { WorkflowFiles } from './callees.js'
import { usesOwnCode, type JobModel, type StepModel, type WorkflowModel } from './model.js'
import { findExpressions, type ExpressionSpan } from './expressions.js'

export interface CheckContext {
  path: string
  /** File content with `\n` line ends. */
  src: string
  lines: string[]
  y: YamlFile
  wf: WorkflowModel
  /** Builds each finding; refuses rules the workflow language does not declare. */
  report: Report
  /** Owner of the repository holding the workflow (`octo-org`), when known: its own actions are not third-party code. */
  owner?: string
  /** `owner/name` of that repository in lower case, when known. */
  repository?: string
  /** The workflow files of the analysis, for what a local reusable workflow called here sets; absent when none were given. */
  workflows?: WorkflowFiles
}

/** The node's source text exactly as written, with the offset it starts at. */
export function rawOf(ctx: CheckContext, node: unknown): { text: string; offset: number } | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range
  if (!range) return undefined
  return { text: ctx.src.slice(range[0], range[1]), offset: range[0] }
}

/** First and last source line of a part of a scalar's text. */
export interface Placed {
  line: number
  endLine: number
}

/**
 * A scalar's text as a rule reads it, and the source lines of each part of it. Plain and block
 * scalars: the source slice (a part's offset gives its line). A quoted scalar: the text between
 * its quotes when that is its value; otherwise the decoded value, which is what GitHub hands to
 * the shell (see `decodedValue` for where its parts are placed).
 */
export interface ScalarText {
  text: string
  /** Source lines of text[start, end). */
  place(start: number, end?: number): Placed
}

/** `text` found at source offset `offset`: each part placed by its own offsets. */
function sourceSlice(ctx: CheckContext, text: string, offset: number): ScalarText {
  const place = (start: number, end = start + 1): Placed => ({ line: lineAt(ctx, offset + start), endLine: lineAt(ctx, offset + Math.max(start, end - 1)) })
  return { text, place }
}

/**
 * A quoted scalar's decoded value. Without a backslash escape (always so in single quotes) the
 * value is the source with line breaks folded and `''` made `'`: each of its characters is found
 * in order in the source, so each part keeps its own lines. With an escape, every part is placed on
 * the scalar's lines.
 */
function decodedValue(ctx: CheckContext, node: Node, value: string, inner: { text: string; offset: number }): ScalarText {
  const span: Placed = { line: ctx.y.lineOf(node), endLine: ctx.y.endLineOf(node) }
  if (value === '' || (isDoubleQuoted(node) && inner.text.includes('\\'))) return { text: value, place: () => span }
  // Aligned on the first placement only: most readers of a script want its text, not its lines.
  let at: number[] | undefined | null = null
  const place = (start: number, end = start + 1): Placed => {
    if (at === null) at = sourceOffsets(value, inner.text)
    if (!at) return span
    return {
      line: lineAt(ctx, inner.offset + at[Math.min(start, value.length - 1)]!),
      endLine: lineAt(ctx, inner.offset + at[Math.min(Math.max(start, end - 1), value.length - 1)]!)
    }
  }
  return { text: value, place }
}

/**
 * Where each character of a folded value sits in its source (`source` with extra blanks, line
 * breaks and doubled quotes), or undefined when the value is not the source with characters taken
 * out. Folding only drops or turns into a blank or line break what lies between two kept characters.
 */
function sourceOffsets(value: string, source: string): number[] | undefined {
  const at: number[] = new Array(value.length)
  let i = 0
  for (let j = 0; j < value.length; j++) {
    while (i < source.length && source[i] !== value[j]) {
      // Only blanks, line breaks and the second quote of `''` may be left out.
      const left = source[i]
      if (left !== ' ' && left !== '\t' && left !== '\n' && left !== '\r' && left !== "'") return undefined
      i++
    }
    if (i === source.length) return undefined
    at[j] = i++
  }
  return at
}

const isDoubleQuoted = (node: unknown): boolean => isScalar(node) && node.type === 'QUOTE_DOUBLE'

const isQuoted = (node: unknown): node is Node & { type: 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'; value: string } =>
  isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && typeof node.value === 'string'

/** The text of a node as a rule reads it (a script, say); any other node than a quoted scalar as written. */
export function scalarText(ctx: CheckContext, node: unknown): ScalarText | undefined {
  const raw = rawOf(ctx, node)
  if (!raw) return undefined
  if (!isQuoted(node)) return sourceSlice(ctx, raw.text, raw.offset)
  const inner = raw.text.slice(1, -1)
  return inner === node.value ? sourceSlice(ctx, inner, raw.offset + 1) : decodedValue(ctx, node, node.value, { text: inner, offset: raw.offset + 1 })
}

/** An expression of a scalar with the source lines it is on. */
export interface PlacedExpression extends ExpressionSpan, Placed {}

/** The expressions of one scalar, and the text their offsets index. */
export interface ScalarExpressions {
  /** The source slice the offsets index, or the decoded value when YAML escapes changed the expressions. */
  text: string
  decoded: boolean
  expressions: PlacedExpression[]
}

/** Expression bodies without their blanks, which YAML line folding may change and GitHub ignores outside strings. */
const sameExpressions = (a: ExpressionSpan[], b: ExpressionSpan[]): boolean =>
  a.length === b.length && a.every((e, i) => e.body.replace(/\s+/g, '') === b[i].body.replace(/\s+/g, ''))

/**
 * The `${{ }}` expressions of a node, as GitHub evaluates them: in the decoded value of a quoted
 * scalar, where a YAML escape may spell one the source does not show (`"\x24{{ … }}"`) or change
 * what one reads (`"${{ github.event.issue.\x74itle }}"`). When the source spells the same
 * expressions, they are read from it, each on its own lines; otherwise from the value, on the
 * scalar's lines. A single-quoted `'\x24{{ … }}'` is literal text there: no expression.
 */
export function scalarExpressions(ctx: CheckContext, node: unknown): ScalarExpressions {
  const raw = rawOf(ctx, node)
  if (!raw) return { text: '', decoded: false, expressions: [] }
  const written = findExpressions(raw.text)
  if (isQuoted(node)) {
    const evaluated = findExpressions(node.value)
    if (!sameExpressions(written, evaluated)) {
      const value = decodedValue(ctx, node, node.value, { text: raw.text.slice(1, -1), offset: raw.offset + 1 })
      return { text: node.value, decoded: true, expressions: evaluated.map((e) => ({ ...e, ...value.place(e.start, e.end) })) }
    }
  }
  const slice = sourceSlice(ctx, raw.text, raw.offset)
  return { text: raw.text, decoded: false, expressions: written.map((e) => ({ ...e, ...slice.place(e.start, e.end) })) }
}

/** The expressions of every scalar value under a node (keys and comments are not evaluated), in source order. */
export function expressionsUnder(ctx: CheckContext, node: unknown, out: PlacedExpression[] = []): PlacedExpression[] {
  if (isScalar(node)) out.push(...scalarExpressions(ctx, node).expressions)
  else if (isMap(node) || isSeq(node)) {
    for (const item of node.items) expressionsUnder(ctx, isPair(item) ? item.value : item, out)
  }
  return out
}

/** 1-based line of a source offset. */
export function lineAt(ctx: CheckContext, offset: number): number {
  return ctx.y.lineCounter.linePos(offset).line
}

/** Line of a map key, falling back to the map's own line. */
export function keyLine(ctx: CheckContext, map: YAMLMap | undefined, key: string): number | undefined {
  if (!map) return undefined
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key)
  return pair ? ctx.y.lineOf(pair.key) : undefined
}

/** Every scalar string under a node (values only, not keys). */
export function scalarsUnder(node: unknown, out: string[] = [], skip?: ReadonlySet<unknown>): string[] {
  if (skip?.has(node)) return out
  if (isScalar(node)) {
    const s = scalarString(node)
    if (s !== undefined) out.push(s)
  } else if (isMap(node) || isSeq(node)) {
    for (const item of node.items) scalarsUnder(isPair(item) ? item.value : item, out, skip)
  }
  return out
}

/** Whether some scalar of the workflow's env or of the job (but those under `skip`) passes `test` (a secret read, say). */
export function jobTextSome(ctx: CheckContext, job: JobModel, test: (text: string) => boolean, skip?: ReadonlySet<unknown>): boolean {
  return [ctx.wf.env, job.node].some((n) => n !== undefined && scalarsUnder(n, [], skip).some(test))
}

/** Whether the workflow runs on some of these triggers and on no other. */
export function runsOnlyOn(wf: WorkflowModel, triggers: ReadonlySet<string>): boolean {
  return wf.triggers.size > 0 && [...wf.triggers].every((t) => triggers.has(t))
}

/**
 * Whether the job's token is read-only by a `permissions:` written in the workflow (the job's, else
 * the workflow's) that grants no write scope. None written leaves the repository default, which
 * may write; a value not understood counts as a write.
 */
export function tokenIsReadOnly(wf: WorkflowModel, job: JobModel): boolean {
  const value = (job.permissions ?? wf.permissions)?.value
  if (value === undefined) return false
  const s = scalarString(value)
  if (s !== undefined) return s !== 'write-all'
  return isMap(value) && !value.items.some((p) => scalarString(p.value) === 'write')
}

/** A label of GitHub's hosted runner images (`ubuntu-latest`, `windows-2022`, `macos-14`). */
const GITHUB_HOSTED_LABEL = /^(?:ubuntu|windows|macos)-[\w.-]+$/

/**
 * Whether the job runs its own steps on GitHub's hosted runners only: a runner of one's own (any
 * other label) may hold credentials of its own, or admit only some workflows.
 */
export function onGithubHostedRunner(job: JobModel): boolean {
  const labels = scalarsUnder(job.runsOn)
  return job.uses === undefined && labels.length > 0 && labels.every((l) => GITHUB_HOSTED_LABEL.test(l.trim()))
}

/** Whether the job's token (its own `permissions:`, else the workflow's) may request an OIDC token. */
export function requestsOidc(wf: WorkflowModel, job: JobModel): boolean {
  const value = (job.permissions ?? wf.permissions)?.value
  if (!isMap(value)) return scalarString(value) === 'write-all'
  return value.items.some((p) => scalarString(p.key) === 'id-token' && scalarString(p.value) === 'write')
}

/** Case-insensitive lookup of a key in a map; the value node. */
export function getCaseless(map: YAMLMap | undefined, key: string): Node | undefined {
  if (!map) return undefined
  const lower = key.toLowerCase()
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value).toLowerCase() === lower)
  return pair?.value as Node | undefined
}

/** `owner/repo` of a `uses:` reference in lower case (no path, no ref), or undefined. */
export function actionRepo(uses: string | undefined): string | undefined {
  if (!uses || usesOwnCode(uses) || uses.startsWith('docker://')) return undefined
  // The first two `/`-separated parts before any `@`, found by index (asked for every step by several checks).
  const at = uses.indexOf('@')
  const ref = at < 0 ? uses : uses.slice(0, at)
  const slash = ref.indexOf('/')
  if (slash <= 0) return undefined
  const next = ref.indexOf('/', slash + 1)
  const repo = next < 0 ? ref.slice(slash + 1) : ref.slice(slash + 1, next)
  return repo ? `${ref.slice(0, slash)}/${repo}`.toLowerCase() : undefined
}

/** The env maps that apply to a step, innermost first. */
export function envScopes(wf: WorkflowModel, job: JobModel | undefined, step: StepModel | undefined): YAMLMap[] {
  return [step?.env, job?.env, wf.env].filter((m): m is YAMLMap => !!m)
}

/** Job ids that (directly or transitively) need the given job. */
export function dependentsOf(wf: WorkflowModel, jobId: string): JobModel[] {
  const out: JobModel[] = []
  const seen = new Set([jobId])
  let frontier = [jobId]
  while (frontier.length) {
    const next: string[] = []
    for (const j of wf.jobs) {
      if (seen.has(j.id) || !j.needs.some((n) => frontier.includes(n))) continue
      seen.add(j.id)
      out.push(j)
      next.push(j.id)
    }
    frontier = next
  }
  return out
}

/** How messages name a job: "job `build`", or "the composite action". */
export function jobLabel(ctx: CheckContext, job: JobModel): string {
  return ctx.wf.kind === 'composite' ? 'the composite action' : `job \`${job.id}\``
}
