/** Token permissions, unsecure commands, self-hosted runners and job timeouts. */
import type { Finding } from '../../types.js'
import { isMap, isScalar, isSeq, scalarString, type Node, type Pair, type YAMLMap } from '../parse/yaml.js'
import { scalarsUnder, type CheckContext } from './context.js'
import { isForkGuarded, type ForkEvent } from './fork-guard.js'
import { calleeToken, isLocalWorkflow, localCallers, restricts } from './callees.js'
import { RULES } from './meta.js'

function writeAll(ctx: CheckContext, pair: Pair<Node, Node> | undefined, where: string): Finding | undefined {
  if (!pair || scalarString(pair.value) !== 'write-all') return undefined
  return ctx.report(RULES.writeAll, ctx.y.lineOf(pair.key), `${where} grants \`permissions: write-all\` to the GITHUB_TOKEN.`)
}

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
    const bare: string[] = []
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
      bare.push(`\`${job.id}\``)
    }
    // A workflow only ever called by others runs on its caller's token: the callers decide it.
    const calledOnly = ctx.wf.triggers.size === 1 && ctx.wf.triggers.has('workflow_call')
    const callers = calledOnly ? localCallers(ctx.workflows, ctx.path) : []
    const openCallers = callers.filter((c) => !restricts(c.job.permissions ?? c.workflow.permissions))
    // Every caller of the analysis setting its token leaves nothing to the repository default.
    const everyCallerSetsIt = callers.length > 0 && openCallers.length === 0
    if (calledOnly && bare.length && !everyCallerSetsIt) {
      const jobs = bare.length === 1 ? `job ${bare[0]}` : `jobs ${bare.join(', ')}`
      const through = openCallers.length
        ? `, and ${[...new Set(openCallers.map((c) => `\`${c.path}\``))].join(', ')} ${openCallers.length === 1 ? 'calls it with' : 'call it with'} the repository default (possibly read-write)`
        : ' (callers outside this analysis; one that sets no `permissions` passes the repository default, possibly read-write)'
      out.push(ctx.report(RULES.missingPermissions, ctx.wf.jobsLine, `no \`permissions\` at workflow level nor for ${jobs} of this called workflow, so they get whatever token the caller grants${through}.`))
    } else if (!calledOnly && bare.length) {
      const jobs = bare.length === 1 ? `job ${bare[0]}` : `jobs ${bare.join(', ')}`
      const callers = unread.length === 1 ? `job ${unread[0]} calls a reusable workflow that` : `jobs ${unread.join(', ')} call reusable workflows that`
      const caveat = unread.length ? `; ${callers} may lower it for ${unread.length === 1 ? 'its' : 'their'} own jobs, but ${unread.length === 1 ? 'was' : 'were'} not read` : ''
      out.push(ctx.report(RULES.missingPermissions, ctx.wf.jobsLine, `no \`permissions\` at workflow level nor for ${jobs}, so the GITHUB_TOKEN gets the repository default (possibly read-write)${caveat}.`))
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
