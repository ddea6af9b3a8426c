/** Token permissions, unsecure commands, self-hosted runners and job timeouts. */
import type { Finding } from '../../types.js'
import { isMap, isPair, isScalar, isSeq, scalarString, type Node, type Pair, type YAMLMap } from '../parse/yaml.js'
import { actionRepo, expressionsUnder, onGithubHostedRunner, scalarsUnder, type CheckContext } from './context.js'
import { contextPaths, findExpressions } from './expressions.js'
import { isForkGuarded, type ForkEvent } from './fork-guard.js'
import { calleeToken, isLocalWorkflow, localCallers, restricts } from './callees.js'
import { FIRST_PARTY, FULL_SHA, VERSION_TAG } from './pinning.js'
import type { JobModel } from './model.js'
import { RULES } from './meta.js'

function writeAll(ctx: CheckContext, pair: Pair<Node, Node> | undefined, where: string): Finding | undefined {
  if (!pair || scalarString(pair.value) !== 'write-all') return undefined
  return ctx.report(RULES.writeAll, ctx.y.lineOf(pair.key), `${where} grants \`permissions: write-all\` to the GITHUB_TOKEN.`)
}

/** A `with:` input or env variable by which an action may take a token (`token`, `github-token`, `GH_TOKEN`). */
const TOKEN_KEY = /token/i
/** An input by which an action takes the GitHub token it would otherwise default to `${{ github.token }}` (not `slack-token`, another service's). */
const GITHUB_TOKEN_INPUT = /^(?:token|(?:github|gh|repo)[-_]token|github[-_]pat)$/i
/** Words of an input's name by which an action runs commands it is given (`command`, `preCommands`, `script`, `args`): a `run:` step under another name. */
const COMMAND_WORDS: ReadonlySet<string> = new Set(['command', 'commands', 'cmd', 'script', 'scripts', 'run', 'exec', 'shell', 'args', 'arguments'])

/** Whether an input's name holds a command word, split on `-`, `_` and camelCase (`pre-commands`, `preCommands`, `run_script`; not `description` or `runner`). */
const isCommandInput = (key: string): boolean => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[-_\s]+/).some((word) => COMMAND_WORDS.has(word))

/**
 * Whether an expression (or an `if:` condition, written with or without `${{ }}`) may read the job's
 * default token: `github.token` or `secrets.GITHUB_TOKEN` (`secrets['GITHUB_TOKEN']` too), even only
 * compared; a computed index of either context; or either context whole (`toJSON(secrets)`).
 */
function mayReadDefaultToken(body: string): boolean {
  const flat = body.replace(/\s+/g, '').replace(/\['([\w-]*)'\]/g, '.$1').toLowerCase()
  if (/\bgithub(?:\.token\b|\[)|\bsecrets(?:\.github_token\b|\[)/.test(flat)) return true
  return contextPaths(body).some((p) => p === 'github' || p === 'secrets')
}

/** Whether a value is one expression reading only secrets other than GITHUB_TOKEN (`${{ secrets.BOT_PAT }}`). */
function isOtherSecret(value: string | undefined): boolean {
  const text = (value ?? '').trim()
  const spans = findExpressions(text)
  if (spans.length !== 1 || spans[0].start !== 0 || spans[0].end !== text.length) return false
  const paths = contextPaths(spans[0].body)
  return paths.length > 0 && paths.every((p) => /^secrets\.[\w-]+$/.test(p) && p !== 'secrets.github_token')
}

/** Whether a node holds a YAML alias (or merge key), whose content the checks below would not read. */
function holdsAlias(node: unknown): boolean {
  if (node === null || node === undefined || isScalar(node)) return false
  if (isMap(node) || isSeq(node)) return node.items.some((item) => (isPair(item) ? holdsAlias(item.key) || holdsAlias(item.value) : holdsAlias(item)))
  return true
}

/**
 * Whether a `uses:` names code that cannot change under the job, and that is not a checkout
 * (actions/checkout keeps the token in the clone's git config) nor github-script (a script, like
 * `run:`): GitHub's own action pinned by release tag or SHA, or any action pinned to a commit SHA.
 */
function fixedAction(uses: string): boolean {
  const repo = actionRepo(uses)
  const at = uses.lastIndexOf('@')
  if (!repo || at < 0 || uses.includes('${{') || repo.includes('checkout') || repo === 'actions/github-script') return false
  const ref = uses.slice(at + 1)
  return FULL_SHA.test(ref) || (FIRST_PARTY.has(repo.split('/')[0]) && VERSION_TAG.test(ref))
}

/**
 * Whether the job hands its default token to nothing that could misuse it, so `permissions` would
 * only tidy up: it runs on GitHub's hosted runners and calls no reusable workflow, container or
 * service; every step is an action (no `run:`) that `fixedAction` admits, given no commands to run
 * and given its GitHub token input, since actions (GitHub's own too) default theirs to
 * `${{ github.token }}`; no expression of the job or the workflow's `env:` (nor an `if:`) may read
 * the default token; and every token input or variable (step, job or workflow env) is set to
 * another secret. Anything not read as a plain map (an alias, `with:` or `env:` given as one
 * expression) keeps the job out.
 */
function handsTokenToNothing(ctx: CheckContext, job: JobModel): boolean {
  const node = job.node
  if (['uses', 'container', 'services'].some((k) => node.has(k))) return false
  // A self-hosted runner may keep code an earlier job left there, which can read this job's token
  // (a runner group's name is no hosted label, so a group counts as one).
  if (!onGithubHostedRunner(job)) return false
  const steps = node.get('steps', true)
  if (!isSeq(steps) || steps.items.length === 0 || steps.items.length !== job.steps.length) return false
  const workflowEnv = ctx.wf.root.get('env', true)
  if ([workflowEnv, node].some((n) => holdsAlias(n) || (n !== undefined && expressionsUnder(ctx, n).some((e) => mayReadDefaultToken(e.body))))) return false
  const conditions = [node, ...job.steps.map((s) => s.node)].map((m) => scalarString(m.get('if', true)))
  if (conditions.some((c) => c !== undefined && mayReadDefaultToken(c))) return false
  const envAndInputs = [workflowEnv, node.get('env', true), ...job.steps.flatMap((s) => [s.node.get('env', true), s.node.get('with', true)])]
  const maps: YAMLMap[] = []
  for (const m of envAndInputs) {
    if (m === undefined || m === null) continue
    if (!isMap(m)) return false
    maps.push(m)
  }
  for (const step of job.steps) {
    if (step.run !== undefined || !step.uses || !fixedAction(step.uses)) return false
    if (step.with?.items.some((p) => isCommandInput(scalarString(p.key) ?? ''))) return false
    // GitHub's own actions default their token input to the job's token too (`actions/stale`'s `repo-token`).
    if (!step.with?.items.some((p) => GITHUB_TOKEN_INPUT.test(scalarString(p.key) ?? ''))) return false
  }
  return maps.every((m) => m.items.every((p) => !TOKEN_KEY.test(scalarString(p.key) ?? '') || isOtherSecret(scalarString(p.value))))
}

/** Why the bare jobs' default token matters little, in a finding's words. */
const reachesNothing = (jobs: string): string =>
  ` Low: nothing in ${jobs} can receive the default token: no \`run:\` or github-script step, checkout, local action, reusable workflow, container or service, and GitHub's hosted runners only; ` +
  'no expression reads `github.token` or `secrets.GITHUB_TOKEN`; every action is GitHub\'s own (pinned by release tag or SHA) or pinned to a commit SHA, is given another secret as its GitHub token input, and is given no commands to run; ' +
  'and every token input or variable is set to another secret, so `permissions` would only tidy up.'

/**
 * Jobs whose token no `permissions:` decides, so it is the repository default. A job calling a
 * reusable workflow of this repository that sets its own for every job is not one: a called
 * workflow can keep or lower its caller's grant, never raise it. A called workflow that was not
 * read (another repository's, or one outside the analysis) may do the same, and the message says so.
 */
function checkPermissions(ctx: CheckContext): Finding[] {
  const out: (Finding | undefined)[] = [writeAll(ctx, ctx.wf.permissions, 'the workflow')]
  for (const job of ctx.wf.jobs) out.push(writeAll(ctx, job.permissions, `job \`${job.id}\``))
  if (!ctx.wf.permissions) {
    const bareJobs: JobModel[] = []
    const unread: string[] = []
    for (const job of ctx.wf.jobs) {
      if (job.permissions) continue
      if (job.uses && isLocalWorkflow(job.uses)) {
        const token = calleeToken(ctx.workflows, ctx.path, job.uses)
        if (token === 'restricted') continue
        if (token === 'unread') unread.push(`\`${job.id}\` (\`${job.uses}\`)`)
      } else if (job.uses && !job.uses.includes('${{')) {
        unread.push(`\`${job.id}\` (\`${job.uses}\`)`)
      }
      bareJobs.push(job)
    }
    // A workflow only ever called by others runs on its caller's token: the callers decide it.
    const calledOnly = ctx.wf.triggers.size === 1 && ctx.wf.triggers.has('workflow_call')
    const callers = calledOnly ? localCallers(ctx.workflows, ctx.path) : []
    const openCallers = callers.filter((c) => !restricts(c.job.permissions ?? c.workflow.permissions))
    // Every caller of the analysis setting its token leaves nothing to the repository default.
    const everyCallerSetsIt = callers.length > 0 && openCallers.length === 0
    const bare = bareJobs.map((job) => `\`${job.id}\``)
    const jobs = bare.length === 1 ? `job ${bare[0]}` : `jobs ${bare.join(', ')}`
    // Low when no bare job hands its token to anything: one that does keeps the finding medium.
    const lowered = (): { why: string; extra?: { severity: 'low' } } =>
      bareJobs.every((j) => handsTokenToNothing(ctx, j)) ? { why: reachesNothing(jobs), extra: { severity: 'low' } } : { why: '' }
    if (calledOnly && bare.length && !everyCallerSetsIt) {
      const through = openCallers.length
        ? `, and ${[...new Set(openCallers.map((c) => `\`${c.path}\``))].join(', ')} ${openCallers.length === 1 ? 'calls it with' : 'call it with'} the repository default (possibly read-write)`
        : ' (callers outside this analysis; one that sets no `permissions` passes the repository default, possibly read-write)'
      const low = lowered()
      out.push(ctx.report(RULES.missingPermissions, ctx.wf.jobsLine, `no \`permissions\` at workflow level nor for ${jobs} of this called workflow, so they get whatever token the caller grants${through}.${low.why}`, low.extra))
    } else if (!calledOnly && bare.length) {
      const callers = unread.length === 1 ? `job ${unread[0]} calls a reusable workflow that` : `jobs ${unread.join(', ')} call reusable workflows that`
      const caveat = unread.length ? `; ${callers} may lower it for ${unread.length === 1 ? 'its' : 'their'} own jobs, but ${unread.length === 1 ? 'was' : 'were'} not read` : ''
      const low = lowered()
      out.push(ctx.report(RULES.missingPermissions, ctx.wf.jobsLine, `no \`permissions\` at workflow level nor for ${jobs}, so the GITHUB_TOKEN gets the repository default (possibly read-write)${caveat}.${low.why}`, low.extra))
    }
  }
  return out.filter((f): f is Finding => !!f)
}

function unsecure(ctx: CheckContext, map: unknown, where: string, out: Finding[]): void {
  if (!isMap(map)) return
  for (const p of (map as YAMLMap).items) {
    if (!isScalar(p.key) || String(p.key.value).toUpperCase() !== 'ACTIONS_ALLOW_UNSECURE_COMMANDS') continue
    if (/^(true|1|yes)$/i.test(scalarString(p.value) ?? '')) {
      out.push(ctx.report(RULES.unsecureCommands, ctx.y.lineOf(p.key), `${where} sets \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` to true.`))
    }
  }
}

function checkUnsecureCommands(ctx: CheckContext): Finding[] {
  const out: Finding[] = []
  unsecure(ctx, ctx.wf.env, 'the workflow env', out)
  for (const job of ctx.wf.jobs) {
    unsecure(ctx, job.env, `job \`${job.id}\``, out)
    const container = job.node.get('container', true)
    if (isMap(container)) unsecure(ctx, container.get('env', true), `the container of job \`${job.id}\``, out)
    for (const step of job.steps) unsecure(ctx, step.env, step.name ? `step \`${step.name}\`` : `a step of job \`${job.id}\``, out)
  }
  return out
}

function runnerLabels(node: Node | undefined): string[] {
  if (isMap(node)) return scalarsUnder(node.get('labels', true))
  if (isSeq(node) || isScalar(node)) return scalarsUnder(node)
  return []
}

function checkSelfHosted(ctx: CheckContext): Finding[] {
  const events = (['pull_request', 'pull_request_target'] as ForkEvent[]).filter((t) => ctx.wf.triggers.has(t))
  const trigger = events[0]
  if (!trigger) return []
  const out: Finding[] = []
  for (const job of ctx.wf.jobs) {
    if (!runnerLabels(job.runsOn).some((l) => l.toLowerCase() === 'self-hosted')) continue
    // Fork pull requests skip a job guarded to heads of this repository. A guard on its steps does
    // not count: the job still starts on the runner for a fork's pull request.
    if (isForkGuarded(job, events, { repository: ctx.repository })) continue
    const pair = job.node.items.find((p) => isScalar(p.key) && p.key.value === 'runs-on')
    out.push(ctx.report(RULES.selfHostedOnPr, ctx.y.lineOf(pair?.key ?? job.runsOn), `job \`${job.id}\` runs on a self-hosted runner for \`${trigger}\` events, which fork pull requests can trigger.`))
  }
  return out
}

function checkTimeouts(ctx: CheckContext): Finding[] {
  return ctx.wf.jobs
    .filter((j) => !j.uses && j.timeout === undefined)
    .map((j) => ctx.report(RULES.noTimeout, j.line, `job \`${j.id}\` has no \`timeout-minutes\`, so a hung step can run for 6 hours.`))
}

export function checkHardening(ctx: CheckContext): Finding[] {
  const out = checkUnsecureCommands(ctx)
  if (ctx.wf.kind !== 'workflow') return out
  return [...out, ...checkPermissions(ctx), ...checkSelfHosted(ctx), ...checkTimeouts(ctx)]
}
