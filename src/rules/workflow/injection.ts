/**
 * Template injection: `${{ … }}` is expanded into the script text before the shell (or the
 * github-script JavaScript) runs, so an expression over attacker-controlled data is code.
 * Expressions in `env:` or in other actions' `with:` are data and are only followed as sources.
 */
import type { Finding } from '../../types.js'
import { isMap, isScalar, scalarString, type Node, type YAMLMap } from '../parse/yaml.js'
import { actionRepo, envScopes, getCaseless, jobLabel, jobTextSome, onGithubHostedRunner, requestsOidc, runsOnlyOn, scalarExpressions, scalarsUnder, tokenIsReadOnly, type CheckContext, type PlacedExpression } from './context.js'
import { contextPaths, contextReads, envNameFor, findExpressions, inputName, isUntrustedEventPath, readsSecret, readsSecretBeyondToken, type ExpressionSpan } from './expressions.js'
import { RULES } from './meta.js'
import { isPrivileged, type InputDecl, type JobModel, type StepModel } from './model.js'
import { localCallers } from './callees.js'
import { regexOutputIsWord } from './regex-output.js'
import { escapeRegExp } from '../../util/regex.js'
import { once } from '../../util/once.js'

type Origin = 'event' | 'input'

export interface Taint {
  origin: Origin
  /** The context path as written in the script. */
  read: string
  /** The attacker-controlled source when `read` is derived from it (env, step, job output, or what a caller passes). */
  source?: string
  /** A free-text input of a reusable workflow no caller in the analysis shows the value of. */
  unknownCallers?: boolean
  /** The calling job that passes `source` for a reusable workflow's input. */
  passedBy?: string
  /** How that job sets the input: passes `source`, or leaves the input out so its default (reading `source`) applies. */
  by?: 'passed' | 'default'
  /** Passed by a caller running on a privileged trigger: the called workflow runs with its event and token. */
  privilegedCaller?: boolean
  /** The whole event of a manual run, whose only text from outside the members' work is its free-text inputs. */
  manualRun?: boolean
}

/** What taint tracking reads of a workflow: itself, where it is, and the workflows analysed with it. */
type TaintContext = Pick<CheckContext, 'path' | 'wf' | 'workflows'>

/** Input types whose values cannot carry shell syntax. */
const SAFE_INPUT_TYPES = new Set(['boolean', 'number', 'choice', 'environment'])

/** Actions whose outputs carry attacker-controlled text (branch names, file names, comment bodies). */
const TAINTED_OUTPUT_ACTIONS = new Set([
  'tj-actions/branch-names',
  'tj-actions/changed-files',
  'dorny/paths-filter',
  'peter-evans/find-comment',
  'xt0rted/pull-request-comment-branch'
])

export interface Scope {
  job?: JobModel
  step?: StepModel
}

const MAX_DEPTH = 4

/** How bad a taint is: attacker event data over a free-text input, and a privileged caller's over another's. */
const taintRank = (t: Taint): number => (t.origin === 'event' ? 2 : 0) + (t.privilegedCaller ? 1 : 0)

/** The worse of two taints; the first found when they rank the same. */
function worse(a: Taint | undefined, b: Taint | undefined): Taint | undefined {
  if (!a || !b) return a ?? b
  return taintRank(b) > taintRank(a) ? b : a
}

export function taintOfText(ctx: TaintContext, text: string, scope: Scope, depth: number): Taint | undefined {
  let best: Taint | undefined
  for (const e of findExpressions(text)) {
    for (const r of contextReads(e.body)) best = worse(best, classify(ctx, r.path, scope, depth, r.jsonField))
  }
  return best
}

/** Actions whose only attacker-shaped outputs are file lists (`all_changed_files`); flags and counts (`any_changed`, `src_count`) are not. */
const FILE_LIST_ACTIONS = new Set(['tj-actions/changed-files', 'dorny/paths-filter'])


/**
 * Whether a github-script step sets output `name` only to base64 text
 * (`core.setOutput('name', Buffer.from(x).toString('base64'))`): letters, digits, `+`, `/`, `=`
 * (`-`, `_` for base64url) cannot break out of a string, a script or a shell word.
 */
function setsOnlyBase64(step: StepModel, name: string): boolean {
  if (!/^actions\/github-script@/i.test(step.uses ?? '')) return false
  const script = scalarString(step.with?.get('script', true))
  if (script === undefined) return false
  const call = new RegExp(`core\\.setOutput\\(\\s*(['"\`])${escapeRegExp(name)}\\1\\s*,([^\\n]*)`, 'gi')
  // An output named by a variable could be this one.
  if (/core\.setOutput\(\s*[^\s'"`]/.test(script)) return false
  const values = [...script.matchAll(call)].map((m) => m[2]!)
  return values.length > 0 && values.every((v) => /^\s*Buffer\.from\(.*\)\.toString\(\s*(['"])base64(url)?\1\s*\)\s*\)\s*;?\s*$/.test(v))
}

/** Fields GitHub's API always gives as numbers (an issue's or pull request's `number`, any object's `id`, a run's counters). */
const NUMERIC_API_FIELDS = new Set(['number', 'id', 'run_id', 'run_number', 'run_attempt', 'workflow_id', 'check_suite_id'])

/**
 * Writes into existing objects and arrays (`Object.assign`, `defineProperty`, `Reflect.set`, a
 * computed `x[k] =`, `push`/`unshift`/`splice`/`fill`/`copyWithin`), objects built from text or
 * pairs (`fromEntries`), and code loaded at run time (`require`, `import(`).
 */
const WRITES_INTO_OBJECTS = /\b(?:assign|defineProperty|defineProperties|fromEntries|setPrototypeOf|require)\s*\(|\bReflect\s*\.|\bimport\s*\(|\]\s*(?:[-+*/%&|^]|\?\?|&&|\|\|)?=(?!=)|\.\s*(?:push|unshift|splice|fill|copyWithin)\s*\(/

/** Calls on an API result that only pick or order what the API returned (no object is built). */
const PICKING_TAIL = /^(?:\s*(?:\??\.\s*(?:data|items|repository|search|nodes|edges|node)\b|\[\s*\d+\s*\]|\??\.\s*(?:filter|find|slice|sort|reverse)\s*\((?:[^(){}]|\((?:[^(){}])*\))*\)))*\s*(?:;\s*)?$/

/**
 * Whether every value the script returns is what a GitHub API call returned, at most filtered,
 * sliced or sorted (`return issues.filter((i) => i.title.includes(t))`, `issues` from `await
 * github.paginate(…)`): then no field of it was written by the script, whatever text it was given.
 * A value the script builds (`Object.fromEntries(…)`, `map`, a literal) may carry any field.
 */
function returnsApiResults(script: string): boolean {
  // Anything that writes into objects or arrays the API returned, or builds objects from text, may put any field there.
  if (WRITES_INTO_OBJECTS.test(script)) return false
  // A chain continued on the next line (`return issues` then `.filter(…)`) is read as one line.
  const joined = script.replace(/\n[ \t]*(?=\??\.)/g, '')
  const returns = [...joined.matchAll(/\breturn\b([^;\n]*)/g)].map((m) => m[1].trim())
  if (returns.length === 0) return false
  return returns.every((value) => {
    // `github.paginate(…)`, `await github.rest.x.y(…)`, `(await github.rest.x.y(…))`.
    const call = /^(?:await\s+)?github\.[\w.]+\((?:[^(){}]|\{[^{}]*\}|\((?:[^(){}])*\))*\)|^\(\s*await\s+github\.[\w.]+\((?:[^(){}]|\{[^{}]*\}|\((?:[^(){}])*\))*\)\s*\)/.exec(value)
    if (call) return PICKING_TAIL.test(value.slice(call[0].length))
    const name = /^[A-Za-z_$][\w$]*/.exec(value)?.[0]
    if (name === undefined || !PICKING_TAIL.test(value.slice(name.length))) return false
    // Declared once from an awaited API call, and never assigned again.
    const assigned = joined.match(new RegExp(`(?<![\\w$.])${escapeRegExp(name)}\\s*=(?!=)`, 'g')) ?? []
    return assigned.length === 1 && new RegExp(`\\b(?:const|let|var)\\s+${escapeRegExp(name)}\\s*=\\s*await\\s+github\\.`).test(joined)
  })
}

/**
 * Whether `fromJSON(steps.<step>.outputs.result)<jsonField>` is a number the API assigned, not text
 * the step was given: the step is github-script, whose `result` is its returned value serialized as
 * JSON (so nothing but the script decides its shape), and the field read is one the API gives as a
 * number. Whatever the step's env holds (an issue title used to filter API results, say) reaches
 * that field only if the script writes a property of that name itself (`{ number: title }`,
 * `o.number = title`), parses text into objects (`JSON.parse`, `eval`), returns `process.env` whole
 * or sets `result` on its own; any of those keeps the output tainted, as does `result-encoding:
 * string` (the output is then whatever text the script returns, which `fromJSON` parses).
 */
function readsApiNumber(step: StepModel, output: string, jsonField: string): boolean {
  const field = /\.([\w-]+)$/.exec(jsonField)?.[1]
  if (output !== 'result' || field === undefined || !NUMERIC_API_FIELDS.has(field)) return false
  if (!/^actions\/github-script@/i.test(step.uses ?? '')) return false
  const encoding = step.with?.get('result-encoding', true)
  if (encoding !== undefined && scalarString(encoding)?.trim().toLowerCase() !== 'json') return false
  const script = scalarString(step.with?.get('script', true))
  if (script === undefined) return false
  if (/\bJSON\.parse\b|\beval\b|\bFunction\b|setOutput\b|process\.env(?!\s*(?:\?\.|\.|\[))/.test(script)) return false
  if (!returnsApiResults(script)) return false
  // Reads of the field (`issue.number`, `issue.number >= 2`) leave it as the API gave it; an
  // assignment to it (`issue.number = …`, `+=`) or any other mention (a key, a string) may not.
  const fieldName = escapeRegExp(field)
  const reads = new RegExp(`\\??\\.\\s*${fieldName}(?![\\w$])(?!\\s*(?:[-+*/%&|^]|\\*\\*|<<|>>>?|&&|\\|\\||\\?\\?)?=(?!=))`, 'gi')
  return !new RegExp(`(?<![\\w$])${fieldName}(?![\\w$])`, 'i').test(script.replace(reads, ' '))
}

/**
 * `output`: the name read (`steps.x.outputs.<name>`), or undefined when the whole outputs object is;
 * `jsonField`: the fields read of `fromJSON(…)` of it, if any.
 */
function stepTaint(ctx: TaintContext, step: StepModel, job: JobModel, depth: number, output?: string, jsonField?: string): Taint | undefined {
  const repo = actionRepo(step.uses)
  if (repo && TAINTED_OUTPUT_ACTIONS.has(repo)) {
    if (FILE_LIST_ACTIONS.has(repo) && output !== undefined && !/files$/i.test(output)) return undefined
    return { origin: 'event', read: '', source: `outputs of ${repo}` }
  }
  if (output !== undefined && (setsOnlyBase64(step, output) || regexOutputIsWord(step, output))) return undefined
  if (output !== undefined && jsonField !== undefined && readsApiNumber(step, output, jsonField)) return undefined
  return taintOfText(ctx, scalarsUnder(step.node).join('\n'), { job, step }, depth + 1)
}

const freeText = (decl: InputDecl | undefined): boolean => !!decl && !(decl.type && SAFE_INPUT_TYPES.has(decl.type))

/** What the callers in the analysis pass for each workflow_call input (`path` + input → taint, or null for none); a cycle of calls sees its own entry as unknown. */
const passedByCallers = new WeakMap<NonNullable<TaintContext['workflows']>, Map<string, Taint | null>>()

/**
 * The taint of a free-text workflow_call input, from what the jobs of the analysis calling the
 * workflow pass for it (or, where a caller leaves it out, the input's declared default, which
 * reads that caller's `github` context): none when every caller passes a literal or data the rule
 * trusts (a choice input, a matrix value), the worst untrusted value otherwise. With no caller in
 * the analysis whoever calls the workflow decides, and the read stays reported as such.
 */
function callInputTaint(ctx: TaintContext, input: string, path: string): Taint | undefined {
  const unknown: Taint = { origin: 'input', read: path, unknownCallers: true }
  const callers = localCallers(ctx.workflows, ctx.path)
  if (!ctx.workflows || callers.length === 0) return unknown
  let memo = passedByCallers.get(ctx.workflows)
  if (!memo) passedByCallers.set(ctx.workflows, (memo = new Map()))
  const key = `${ctx.path}\n${input}`
  if (memo.has(key)) return memo.get(key) ?? undefined
  // Seen again before it is worked out: the calls form a cycle, which GitHub refuses to run.
  memo.set(key, unknown)
  const fallback = ctx.wf.callInputs.get(input)?.default
  let found: Taint | undefined
  for (const call of callers) {
    const withNode = call.job.node.get('with', true)
    // `with:` given as one expression: nothing says what it holds.
    if (withNode !== undefined && !isMap(withNode)) {
      found = worse(found, unknown)
      continue
    }
    const passed = isMap(withNode) ? scalarString(getCaseless(withNode as YAMLMap, input)) : undefined
    const value = passed ?? fallback
    const t = value === undefined ? undefined : taintOfText({ path: call.path, wf: call.workflow, workflows: ctx.workflows }, value, { job: call.job }, 0)
    if (!t) continue
    const privilegedCaller = isPrivileged(call.workflow) || t.privilegedCaller
    const by = passed === undefined ? 'default' : 'passed'
    found = worse(found, { origin: t.origin, read: path, source: t.source ?? t.read, passedBy: `job \`${call.job.id}\` of \`${call.path}\``, by, privilegedCaller })
  }
  memo.set(key, found ?? null)
  return found
}

/** Whether an input read carries free text, and from whom. */
function inputTaint(ctx: TaintContext, path: string, input: string): Taint | undefined {
  const { wf } = ctx
  const declared = wf.inputs.get(input)
  // An action's input: nothing says its type, and its callers may pass any.
  if (wf.kind !== 'workflow') return !declared || freeText(declared) ? { origin: 'input', read: path } : undefined
  // A workflow input declared under neither workflow_dispatch nor workflow_call: no run or caller
  // can set it (GitHub refuses undeclared inputs), so it is always empty.
  if (!declared) return undefined
  // Whoever runs the workflow by hand types it.
  if (freeText(wf.dispatchInputs.get(input))) return { origin: 'input', read: path }
  if (!freeText(wf.callInputs.get(input))) return undefined
  // `github.event.inputs` is the payload of the caller's event, not what it passes.
  return path.startsWith('inputs.') ? callInputTaint(ctx, input, path) : { origin: 'input', read: path }
}

/** The whole event, read at once (`toJSON(github.event)`, `toJSON(github)`): it holds whatever its trigger's payload holds. */
const WHOLE_EVENT = /^github(\.event)?$/

/**
 * Triggers whose payload holds no text from outside the repository's members: a release, a label,
 * a milestone, a branch protection rule and a manual run are their work (a manual run's inputs
 * aside), a schedule has no author, and `public` and `watch` carry only the repository and a login.
 */
const MEMBER_ONLY_TRIGGERS: ReadonlySet<string> = new Set(['release', 'workflow_dispatch', 'schedule', 'label', 'milestone', 'public', 'watch', 'branch_protection_rule'])

/**
 * Who may have written text in the whole event of a run of this workflow: 'event' when some
 * trigger's payload may hold text from outside the members (any trigger not known to be
 * member-only, a composite action's unknown workflow, a reusable workflow with no caller in the
 * analysis or a caller whose event may), 'input' when only the free-text inputs of a manual run (typed by whoever runs
 * it, and part of its payload) may, undefined when nobody but members wrote any of it. A reusable
 * workflow runs with its caller's event, so each caller of the analysis is asked in turn.
 */
function wholeEventOrigin(ctx: TaintContext, seen: ReadonlySet<string> = new Set()): Origin | undefined {
  const { wf } = ctx
  if (wf.kind !== 'workflow' || wf.triggers.size === 0) return 'event'
  let found: Origin | undefined
  for (const trigger of wf.triggers) {
    if (trigger === 'workflow_dispatch') {
      if ([...wf.dispatchInputs.values()].some(freeText)) found = 'input'
      continue
    }
    if (MEMBER_ONLY_TRIGGERS.has(trigger)) continue
    if (trigger !== 'workflow_call') return 'event'
    const callers = localCallers(ctx.workflows, ctx.path)
    // No caller in the analysis: whoever calls it decides. A cycle of calls is refused by GitHub; it clears nothing.
    if (callers.length === 0 || seen.has(ctx.path)) return 'event'
    const inner = new Set([...seen, ctx.path])
    for (const call of callers) {
      const origin = wholeEventOrigin({ path: call.path, wf: call.workflow, workflows: ctx.workflows }, inner)
      if (origin === 'event') return 'event'
      found ??= origin
    }
  }
  return found
}

/** A branch name that is one plain shell and JavaScript word: letters, digits, `.`, `_`, `/`, `-` (not leading). */
const PLAIN_BRANCH_NAME = /^[\w./][\w./-]*$/

/**
 * Whether a workflow_run event's `head_branch` is one of a few fixed names the workflow lists:
 * `on.workflow_run.branches` filters on the triggering run's branch (unlike pull_request's, which
 * filters on the base), so with only plain names there the run starts only when head_branch equals
 * one of them, whoever pushed it. A name with shell or JavaScript syntax in it keeps the read reported.
 * Under any other trigger of the workflow the field is empty.
 */
function headBranchIsFixed(wf: TaintContext['wf']): boolean {
  return wf.workflowRunBranches?.every((name) => PLAIN_BRANCH_NAME.test(name)) ?? false
}

/**
 * The events whose payload holds each object of `github.event` that untrusted text reaches (and
 * `github.head_ref`, a pull request's). In a run of any other event the object is absent and the
 * expression expands to nothing: `github.event.workflow_run.head_branch` in a workflow run on push.
 */
const EVENTS_WITH_OBJECT: Readonly<Record<string, readonly string[]>> = {
  workflow_run: ['workflow_run'],
  pull_request: ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'],
  issue: ['issues', 'issue_comment'],
  comment: ['issue_comment', 'pull_request_review_comment', 'commit_comment', 'discussion_comment'],
  review: ['pull_request_review'],
  discussion: ['discussion', 'discussion_comment'],
  head_commit: ['push'],
  commits: ['push'],
  pages: ['gollum'],
  merge_group: ['merge_group']
}

/**
 * Whether no event that starts the workflow carries the object the path reads. Not for a workflow
 * another calls (`workflow_call`: the event is the caller's), nor for a composite action.
 */
function absentFromEveryEvent(wf: TaintContext['wf'], path: string): boolean {
  if (wf.kind !== 'workflow' || wf.triggers.size === 0 || wf.triggers.has('workflow_call')) return false
  const object = path === 'github.head_ref' ? 'pull_request' : /^github\.event\.([\w-]+)/.exec(path)?.[1]
  const events = object !== undefined ? EVENTS_WITH_OBJECT[object] : undefined
  return events !== undefined && !events.some((event) => wf.triggers.has(event))
}

/**
 * Whether a context path read in the given scope carries attacker-controlled text; `jsonField`: the
 * fields read of `fromJSON(<path>)`, when the read is parsed so.
 */
function classify(ctx: TaintContext, path: string, scope: Scope, depth: number, jsonField?: string): Taint | undefined {
  if (depth > MAX_DEPTH) return undefined
  const input = inputName(path)
  if (input !== undefined) return inputTaint(ctx, path, input)
  if (WHOLE_EVENT.test(path)) {
    const origin = wholeEventOrigin(ctx)
    return origin ? { origin, read: path, ...(origin === 'input' ? { manualRun: true } : {}) } : undefined
  }
  if (path === 'github.event.workflow_run.head_branch' && headBranchIsFixed(ctx.wf)) return undefined
  if (isUntrustedEventPath(path)) return absentFromEveryEvent(ctx.wf, path) ? undefined : { origin: 'event', read: path }

  // Whoever passed the source (a caller, unknown callers) is still the one who set it.
  const derived = (t: Taint | undefined): Taint | undefined => (t ? { ...t, read: path, source: t.source ?? t.read } : undefined)

  const env = /^env\.([\w-]+)$/.exec(path)
  if (env) {
    for (const map of envScopes(ctx.wf, scope.job, scope.step)) {
      const v = getCaseless(map, env[1])
      if (v !== undefined) return derived(taintOfText(ctx, scalarString(v) ?? '', scope, depth + 1))
    }
    return undefined
  }
  const stepOut = /^steps\.([\w-]+)\.outputs(?:\.([\w-]+)|$)/.exec(path)
  if (stepOut && scope.job) {
    const producer = scope.job.steps.find((s) => s.id?.toLowerCase() === stepOut[1])
    return producer ? derived(stepTaint(ctx, producer, scope.job, depth, stepOut[2], jsonField)) : undefined
  }
  const jobOut = /^needs\.([\w-]+)\.outputs\.([\w-]+)$/.exec(path)
  if (jobOut) {
    const producer = ctx.wf.jobs.find((j) => j.id.toLowerCase() === jobOut[1])
    const value = producer ? scalarString(getCaseless(producer.outputs, jobOut[2])) : undefined
    return value ? derived(taintOfText(ctx, value, { job: producer }, depth + 1)) : undefined
  }
  return undefined
}

function describe(t: Taint): string {
  if (t.passedBy && t.source) {
    const source = t.source.startsWith('outputs of') ? t.source : `\`${t.source}\``
    if (t.by === 'default') return `\`${t.read}\` (its default ${source}, where ${t.passedBy} leaves it out)`
    return `\`${t.read}\` (${source}, passed by ${t.passedBy})`
  }
  if (t.unknownCallers) return `\`${t.read}\` (a free-text input set by callers outside this analysis)`
  if (t.manualRun) return `\`${t.read}\` (${t.source ? `derived from \`${t.source}\`, ` : ''}the event of a manual run, which holds its free-text inputs)`
  // A value derived from an input (a step output set from it) is named as derived, not as the input.
  if (t.source) return `\`${t.read}\` (derived from ${t.source.startsWith('outputs of') ? t.source : `\`${t.source}\``}${t.origin === 'input' ? ', a free-text input' : ''})`
  if (t.origin === 'input') return `\`${t.read}\` (a free-text input)`
  return `\`${t.read}\` (attacker-controlled)`
}

interface Hit {
  line: number
  endLine: number
  spans: ExpressionSpan[]
  taints: Taint[]
}

/** An expression that is one `toJSON(…)` call: it expands to a JSON literal. */
const TO_JSON_ONLY = /^\s*tojson\s*\([^()]*\)\s*$/i

/**
 * Whether offset `index` of a JavaScript text lies in code, not in a string, template literal or
 * comment. The expressions (`${{ … }}`) are blanked first: GitHub replaces them before the script runs.
 */
function inJsCode(text: string, spans: ExpressionSpan[], index: number): boolean {
  let js = text
  for (const e of spans) js = js.slice(0, e.start) + ' '.repeat(e.end - e.start) + js.slice(e.end)
  let quote: string | undefined
  for (let i = 0; i < index; i++) {
    const c = js[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === '/' && js[i + 1] === '/') {
      const end = js.indexOf('\n', i)
      if (end < 0 || end >= index) return false
      i = end
    } else if (c === '/' && js[i + 1] === '*') {
      const end = js.indexOf('*/', i + 2)
      if (end < 0 || end >= index) return false
      i = end + 1
    } else if (c === '"' || c === "'" || c === '`') quote = c
  }
  return quote === undefined
}

/**
 * Expressions of a github-script script that are data, not code: a `toJSON(…)` written where
 * JavaScript expects a value expands to a JSON literal, which is valid JavaScript whatever text it
 * holds. Only in a literal block or plain YAML scalar (no YAML quoting or folding between the source
 * and the script); inside a JavaScript string the quotes of the JSON close it, so it stays reported.
 */
function jsonLiteralSpans(node: Node, text: string): Set<number> {
  const out = new Set<number>()
  if (!isScalar(node) || (node.type !== 'BLOCK_LITERAL' && node.type !== 'PLAIN')) return out
  const spans = findExpressions(text)
  for (const e of spans) if (TO_JSON_ONLY.test(e.body) && inJsCode(text, spans, e.start)) out.add(e.start)
  return out
}

/** Tainted expressions in a script node, grouped by the source line they start on. */
function hitsIn(ctx: CheckContext, node: Node, scope: Scope, javascript = false): Hit[] {
  const found = scalarExpressions(ctx, node)
  // Every hit is inside an expression: most scripts hold none.
  if (!found.expressions.length) return []
  // A decoded value came out of YAML quoting, which `jsonLiteralSpans` does not read through.
  const data = javascript && !found.decoded ? jsonLiteralSpans(node, found.text) : new Set<number>()
  return hitsAmong(ctx, found.expressions, scope, data)
}

/** Tainted expressions among `expressions`, grouped by the source line each starts on; those starting at a `data` offset are left out. */
function hitsAmong(ctx: CheckContext, expressions: PlacedExpression[], scope: Scope, data: Set<number>): Hit[] {
  const byLine = new Map<number, Hit>()
  for (const e of expressions) {
    if (data.has(e.start)) continue
    const taints: Taint[] = []
    for (const r of contextReads(e.body)) {
      const t = classify(ctx, r.path, scope, 0, r.jsonField)
      if (t) taints.push({ ...t, read: r.text })
    }
    if (!taints.length) continue
    const hit = byLine.get(e.line) ?? { line: e.line, endLine: e.endLine, spans: [], taints: [] }
    hit.spans.push(e)
    hit.taints.push(...taints)
    hit.endLine = Math.max(hit.endLine, e.endLine)
    byLine.set(e.line, hit)
  }
  return [...byLine.values()]
}

function isPosixShell(ctx: CheckContext, job: JobModel, step: StepModel): boolean {
  const shell = scalarString(step.node.get('shell', true))
  if (shell !== undefined) return /^(bash|sh)\b/.test(shell)
  if (ctx.wf.root.get('defaults', true) !== undefined || job.node.get('defaults', true) !== undefined) return false
  const runsOn = scalarsUnder(job.runsOn).join(' ')
  return runsOn !== '' && !/windows|\$\{\{/i.test(runsOn)
}

/** Quote state of a shell line just before `index`: 'single', 'double' or 'none'. */
function quoteStateAt(text: string, index: number): 'single' | 'double' | 'none' {
  let state: 'single' | 'double' | 'none' = 'none'
  for (let i = 0; i < index; i++) {
    const c = text[i]
    if (state === 'none' && c === '\\') i++
    else if (state === 'double' && c === '\\') i++
    else if (c === "'" && state !== 'double') state = state === 'single' ? 'none' : 'single'
    else if (c === '"' && state !== 'single') state = state === 'double' ? 'none' : 'double'
  }
  return state
}

/** The name of the env variable an `env.NAME` read refers to, as declared, when it is in scope. */
function declaredEnvName(ctx: CheckContext, job: JobModel, step: StepModel, path: string): string | undefined {
  const m = /^env\.([\w-]+)$/.exec(path)
  if (!m) return undefined
  for (const map of envScopes(ctx.wf, job, step)) {
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value).toLowerCase() === m[1])
    if (pair) return /^[A-Za-z_]\w*$/.test(String((pair.key as { value: unknown }).value)) ? String((pair.key as { value: unknown }).value) : undefined
  }
  return undefined
}

/**
 * The fixed `run:` line (plus an `env:` entry when needed), for the simple case only: a one-line
 * plain `run:` on a POSIX shell, one bare context read, not inside single quotes. An `env.NAME`
 * read becomes `$NAME`; anything else moves to a new step `env:` (only when the step has none).
 */
function envSuggestion(ctx: CheckContext, job: JobModel, step: StepModel, hit: Hit): string | undefined {
  const run = step.run
  if (!run || !isScalar(run) || run.type !== 'PLAIN' || hit.spans.length !== 1 || hit.endLine !== hit.line) return undefined
  if (!isPosixShell(ctx, job, step)) return undefined
  const span = hit.spans[0]
  const paths = contextPaths(span.body)
  if (paths.length !== 1 || !/^\s*[A-Za-z_][\w.-]*\s*$/.test(span.body)) return undefined
  const lineText = ctx.lines[hit.line - 1]
  const m = /^(\s*)(- )?run:\s+(.*)/.exec(lineText)
  if (!m) return undefined
  const value = m[3]
  const exprText = `\${{${span.body}}}`
  const at = value.indexOf(exprText)
  // At the start, a quoted replacement would turn the plain YAML scalar into a quoted one.
  if (at <= 0) return undefined
  const quotes = quoteStateAt(value, at)
  if (quotes === 'single') return undefined
  const existing = declaredEnvName(ctx, job, step, paths[0])
  const name = existing ?? envNameFor(paths[0])
  if (!existing) {
    const taken = envScopes(ctx.wf, job, step).some((map) => getCaseless(map, name) !== undefined)
    if (taken || step.node.get('env', true) !== undefined || new RegExp(`\\$\\{?${name}\\b`).test(value)) return undefined
  }
  const replacement = quotes === 'double' ? `\${${name}}` : `"\${${name}}"`
  const runLine = `${m[1]}${m[2] ?? ''}run: ${value.slice(0, at)}${replacement}${value.slice(at + exprText.length)}`
  if (existing) return runLine
  const indent = m[1]
  const keyIndent = m[2] ? `${indent}  ` : indent
  return [`${indent}${m[2] ?? ''}env:`, `${keyIndent}  ${name}: \${{ ${span.body.trim()} }}`, `${keyIndent}run: ${runLine.slice(m[1].length + (m[2] ?? '').length + 'run: '.length)}`].join('\n')
}

/**
 * Why crafted text gains its author little here, when it does: the workflow runs only on
 * `pull_request`, where a fork's pull request runs the fork's own version of the workflow (with a
 * read-only token), and the job reads no secret but that token; or it runs only on push or
 * pull_request with a token `permissions:` makes read-only and no secret at all; or it runs only on
 * `release`, which only members who may publish a release start (its payload is theirs, so only text
 * its steps read elsewhere, from commits or files, gets here: medium, not gone). On `push` a merged
 * contributor's commit message or file name reaches the base repository's run, which could still
 * write the branch's Actions cache: medium, not gone.
 */
function whyLittleGained(ctx: CheckContext, job: JobModel): string | undefined {
  if (runsOnlyOn(ctx.wf, PULL_REQUEST_ONLY) && !jobTextSome(ctx, job, readsSecretBeyondToken)) {
    return 'the workflow runs only on pull_request, where whoever can set that text can already change the workflow itself, and the job reads no secret'
  }
  if (runsOnlyOn(ctx.wf, PUSH_OR_PULL_REQUEST) && tokenIsReadOnly(ctx.wf, job) && !jobTextSome(ctx, job, (text) => readsSecret(text, true))) {
    return "the workflow runs only on push or pull_request, `permissions:` makes the job's token read-only and the job reads no secret (the commands could still write the branch's Actions cache)"
  }
  if (runsOnlyOn(ctx.wf, RELEASE_ONLY)) {
    return 'the workflow runs only on release events, which only members who may publish a release start, and they can change the workflow itself (what its steps read from commits or files may still come from contributors)'
  }
  return undefined
}

/**
 * Why a manual run's input gains whoever types it nothing they lack, when it does: the workflow
 * runs only on `workflow_dispatch`, which only those with write access start; no workflow in view
 * starts it for someone else (`gh workflow run`, the dispatch API, a dispatch action), who could
 * pass on text they do not control; and every job of the run holds nothing but its own token on
 * GitHub's runners (no other secret, no OIDC token, no environment, no reusable workflow called, no
 * runner of one's own), so no later job takes in what this one leaves. Who may dispatch may also
 * push a branch with an edited copy of the workflow and dispatch that, with the same token. Low,
 * not gone: an app or token allowed to dispatch but not to push gains the workflow's token.
 */
function whyInputGainsLittle(ctx: CheckContext): string | undefined {
  if (ctx.wf.kind !== 'workflow' || !runsOnlyOn(ctx.wf, DISPATCH_ONLY)) return undefined
  const holdsMore = (job: JobModel): boolean => !onGithubHostedRunner(job) || job.environment !== undefined || requestsOidc(ctx.wf, job) || jobTextSome(ctx, job, readsSecretBeyondToken)
  if (ctx.wf.jobs.some(holdsMore)) return undefined
  if ([...(ctx.workflows?.files.values() ?? [])].some((f) => DISPATCHES_A_WORKFLOW.test(f.content))) return undefined
  return 'the workflow runs only on workflow_dispatch, which only those with write access start (no workflow in view starts it for others), and no job of the run holds more than its own token, which they can already use by dispatching an edited copy of the workflow from a branch'
}

/** A workflow starting another by hand: `gh workflow run`, the dispatch API (`createWorkflowDispatch`, `…/dispatches`), an action for it. */
const DISPATCHES_A_WORKFLOW = /\bgh[ \t]+workflow[ \t]+run\b|\bcreateWorkflowDispatch\b|\/dispatches\b|workflow-dispatch@/i

const DISPATCH_ONLY: ReadonlySet<string> = new Set(['workflow_dispatch'])
const RELEASE_ONLY: ReadonlySet<string> = new Set(['release'])
const PULL_REQUEST_ONLY: ReadonlySet<string> = new Set(['pull_request'])
const PUSH_OR_PULL_REQUEST: ReadonlySet<string> = new Set(['push', 'pull_request'])

export function checkTemplateInjection(ctx: CheckContext): Finding[] {
  const out: Finding[] = []
  const privilegedWorkflow = isPrivileged(ctx.wf)
  // Asked once per workflow, and only when an input's injection is found.
  const inputGainsLittle = once(() => whyInputGainsLittle(ctx))
  for (const job of ctx.wf.jobs) {
    // Asked once per job, and only when an injection is found in it.
    const littleGained = once(() => whyLittleGained(ctx, job))
    for (const step of job.steps) {
      const targets: { node: Node; what: string; javascript?: boolean }[] = []
      if (step.run) targets.push({ node: step.run, what: '`run` script' })
      if (/^actions\/github-script@/i.test(step.uses ?? '')) {
        const script = step.with?.get('script', true) as Node | undefined
        if (script) targets.push({ node: script, what: '`github-script` script', javascript: true })
      }
      for (const target of targets) {
        for (const hit of hitsIn(ctx, target.node, { job, step }, target.javascript)) {
          const fromEvent = hit.taints.some((t) => t.origin === 'event')
          const privileged = privilegedWorkflow || hit.taints.some((t) => t.origin === 'event' && t.privilegedCaller)
          const meta = !fromEvent ? RULES.injectionInput : privileged ? RULES.injectionPrivileged : RULES.injection
          const reads = [...new Map(hit.taints.map((t) => [t.read, t])).values()].map(describe).join(', ')
          const trigger = !fromEvent || !privileged ? '' : privilegedWorkflow ? ' in a privileged workflow' : ' called from a privileged workflow'
          const why = meta === RULES.injection ? littleGained() : undefined
          const whyLow = meta === RULES.injectionInput ? inputGainsLittle() : undefined
          const gainsNothing = why !== undefined
          const reach = gainsNothing ? ` Medium: ${why}.` : whyLow !== undefined ? ` Low: ${whyLow}.` : ''
          const message = `${target.what} of ${jobLabel(ctx, job)} expands ${reads} into code${trigger}; crafted text runs as commands.${reach}`
          const suggestion = target.what.startsWith('`run`') ? envSuggestion(ctx, job, step, hit) : undefined
          const severity = gainsNothing ? ('medium' as const) : whyLow !== undefined ? ('low' as const) : undefined
          out.push(ctx.report(meta, hit.line, message, { endLine: hit.endLine, suggestion, ...(severity ? { severity } : {}) }))
        }
      }
    }
  }
  return out
}
