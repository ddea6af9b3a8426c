/** `uses:` references and container images that can change under the workflow. */
import type { Finding } from '../../types.js'
import { isMap, isScalar, scalarString, type Node } from '../parse/yaml.js'
import { actionRepo, dependentsOf, jobTextSome, scalarsUnder, tokenIsReadOnly, type CheckContext } from './context.js'
import { checksOutHead } from './checkout.js'
import { contextPaths, findExpressions, readsSecretBeyondToken } from './expressions.js'
import { stepPublishes, tokenWriteOf } from './deploy.js'
import { isPrivileged, usesOwnCode, type JobModel } from './model.js'
import { localCallers } from './callees.js'
import { RULES } from './meta.js'

/** A full commit SHA: the one ref nobody can move. */
export const FULL_SHA = /^[0-9a-f]{40}$/i
/** A release tag (`v4`, `v4.1.0`, `1.2.3-rc.1`), as opposed to a branch name. */
export const VERSION_TAG = /^v?\d+(\.\d+){0,3}([-+][\w.-]+)?$/
/** Owners of GitHub's own actions. */
export const FIRST_PARTY = new Set(['actions', 'github'])
/**
 * Reusable workflows that verify their own ref and refuse a commit SHA: the SLSA generators
 * must be called by a release tag for their provenance to verify, so a tag is the pinned form.
 */
const TAG_ONLY_WORKFLOWS = /^slsa-framework\/slsa-github-generator\/\.github\/workflows\//i

/**
 * Whether code running in this job can do harm beyond the job itself: the job uses a secret
 * anywhere (an action can read what other steps of its job leave on the runner), its token may
 * write (an explicit write grant, or no `permissions:` at all, which leaves the repository
 * default), or the workflow runs on a privileged trigger. `readsSecret` is asked once per job.
 */
function jobIsExposed(ctx: CheckContext, job: JobModel, readsSecret: () => boolean): boolean {
  if (isPrivileged(ctx.wf)) return true
  if (!tokenIsReadOnly(ctx.wf, job)) return true
  if (job.uses && scalarString(job.node.get('secrets', true)) === 'inherit') return true
  return readsSecret()
}

/**
 * Actions that hand a job's files on: an artifact a later job or a `workflow_run` workflow may
 * trust, or a GitHub Pages site. Caching actions are not among them: see `whyStaysInPullRequest`.
 */
const HANDING_ON_ACTIONS = new Set(['actions/upload-artifact', 'actions/upload-pages-artifact', 'actions/deploy-pages'])

/**
 * Whether the job's runner may be self-hosted (one may keep files for later jobs): a `self-hosted`
 * label, a runner group (`runs-on: { group: … }`, which may hold self-hosted runners), or a label
 * computed from anything but literal values of the job's own matrix.
 */
function maySelfHost(job: JobModel): boolean {
  if (isMap(job.runsOn) && job.runsOn.get('group', true) !== undefined) return true
  const labels = scalarsUnder(job.runsOn)
  const computed = labels.some((l) => l.includes('${{'))
  if (computed && labels.some((l) => findExpressions(l).some((e) => contextPaths(e.body).some((p) => !p.startsWith('matrix.'))))) return true
  const matrix = computed ? scalarsUnder(job.node.get('strategy', true)) : []
  if (matrix.some((v) => v.includes('${{'))) return true
  return [...labels, ...matrix].some((l) => /self-hosted/i.test(l))
}

/**
 * Why nothing a moved tag runs in this read-only job can leave its run, when so: the workflow runs
 * only on `pull_request`, the job runs its own steps (no reusable workflow, no local action whose
 * steps are not read here) on a runner that is not self-hosted (which may keep files for later
 * jobs), no step uploads an artifact, builds or deploys Pages, releases, publishes, deploys or
 * pushes, and no later job of the workflow that needs it holds a secret or a token that may write.
 * The token is already read-only (so no `id-token: write` either). A cache the job saves does not
 * count: GitHub scopes a cache saved by a `pull_request` run to the pull request's merge ref, which
 * only that pull request's own runs restore, never its base or default branch. `merge_group` is not
 * admitted: its result decides whether the commit lands on the base branch.
 */
function whyStaysInPullRequest(ctx: CheckContext, job: JobModel): string | undefined {
  if (ctx.wf.kind !== 'workflow' || ctx.wf.triggers.size !== 1 || !ctx.wf.triggers.has('pull_request')) return undefined
  if (job.uses || maySelfHost(job)) return undefined
  if (job.steps.some((s) => usesOwnCode(s.uses ?? '') || HANDING_ON_ACTIONS.has(actionRepo(s.uses) ?? '') || stepPublishes(s))) return undefined
  const later = dependentsOf(ctx.wf, job.id)
  if (later.some((j) => jobIsExposed(ctx, j, () => jobTextSome(ctx, j, readsSecretBeyondToken)))) return undefined
  return (
    'the workflow runs only on `pull_request` and the job hands nothing on (no artifact, Pages, release, publish, deploy or push step, no OIDC token, ' +
    'no later job with a secret or a write token, no self-hosted runner), so a moved tag can change only this pull request\'s check result and its own cache ' +
    "(GitHub scopes a pull request's caches to its merge ref), neither of which reaches the default branch"
  )
}

/**
 * Triggers whose runs get the repository's default token and nothing more privileged: started by
 * its members or its clock. A `merge_group` run is a push of the merge queue's branch, queued by
 * someone who may merge.
 */
const PLAIN_TRIGGERS = new Set(['push', 'pull_request', 'merge_group', 'workflow_dispatch', 'schedule'])
/**
 * Issue and discussion events: anyone may start them, but they run the default branch's workflow
 * with the repository's token, as a push does, so they give an action nothing a push would not.
 * `issue_comment` also fires on pull request comments, so it counts only in a job that checks out
 * no pull request code.
 */
const CONVERSATION_TRIGGERS = new Set(['issues', 'issue_comment', 'discussion', 'discussion_comment'])
/** Token scopes whose write reaches no code, release or workflow: code-scanning alerts, commit statuses, issues and discussions. */
const LIMITED_WRITES = new Set(['security-events', 'statuses', 'issues', 'discussions'])

/**
 * Whether a step of the job may bring pull request code in on a comment trigger: a head checkout
 * Preflight recognises, or a checkout whose `ref:`/`repository:` is an expression (comment-driven
 * workflows usually look the head up in an earlier step, which Preflight cannot follow).
 */
function mayCheckOutPullRequest(ctx: CheckContext, job: JobModel): boolean {
  if (checksOutHead(ctx, job)) return true
  return job.steps.some(
    (s) => actionRepo(s.uses) === 'actions/checkout' && !!s.with?.items.some((p) => ['ref', 'repository'].includes(scalarString(p.key) ?? '') && (scalarString(p.value) ?? '').includes('${{'))
  )
}

/**
 * Why an exposed job's token is still limited, when it is: the workflow runs only on `push`,
 * `pull_request`, `merge_group`, `workflow_dispatch` (only writers start a manual run), `schedule`, or issue and
 * discussion events (see CONVERSATION_TRIGGERS; a comment only in a job checking out no pull
 * request code), or also on `pull_request_target`, when the job checks out no pull request code
 * (a moved tag then gets the default token, as on a push); the job reads no secret but its own
 * token (handed to a step, it is the same token: `actions/checkout` leaves it in the clone's git
 * config for every later step anyway); and either no `permissions:` is set at any level (the
 * repository default: read-only for fork pull requests, and wherever the repository or
 * organization keeps GitHub's read-only default), or they write only code-scanning alerts
 * (`security-events: write`, as SARIF upload needs), commit statuses (`statuses: write`), issues
 * and discussions, or, on `pull_request_target` and conversation triggers, nothing (the latter
 * need a `permissions:` block: see below). A moved tag can then at worst post alerts, set a
 * commit status (which may pass a required status check, yet changes no code, release or
 * workflow) or post and edit issues and comments; a check-run write is not counted (`checks:`
 * also creates check suites and annotations others act on), nor a pull-request write (it can
 * approve pull requests).
 */
function whyTokenLimited(ctx: CheckContext, job: JobModel, readsSecret: () => boolean): Limited | undefined {
  const prTarget = ctx.wf.triggers.has('pull_request_target')
  const onComment = ctx.wf.triggers.has('issue_comment')
  // A reusable workflow runs on the triggers of its callers: every one in the analysis must be plain.
  const callers = ctx.wf.triggers.has('workflow_call') ? plainCallers(ctx, ctx.path, new Set()) : undefined
  if (callers === null) return undefined
  const triggers = new Set([...ctx.wf.triggers].filter((t) => t !== 'workflow_call'))
  const allowed = (t: string): boolean => PLAIN_TRIGGERS.has(t) || CONVERSATION_TRIGGERS.has(t) || (prTarget && t === 'pull_request_target')
  if ((triggers.size === 0 && callers === undefined) || [...triggers].some((t) => !allowed(t))) return undefined
  if (job.uses && (prTarget || onComment || job.node.get('secrets', true) !== undefined)) return undefined
  if (prTarget && checksOutHead(ctx, job)) return undefined
  if (onComment && mayCheckOutPullRequest(ctx, job)) return undefined
  const permissions = (job.permissions ?? ctx.wf.permissions)?.value
  // Called, a workflow that sets no `permissions:` gets the token its calling jobs grant: each one's
  // own, else its workflow's, else (none anywhere) the repository default, as if the job were inline.
  // Its own triggers (besides workflow_call) give it the repository default as well.
  const grants = callers !== undefined && permissions === undefined ? callerGrants(ctx, ctx.path, new Set()) : undefined
  if (grants === null) return undefined
  const granted = grants?.filter((g): g is Node | null => g !== undefined) ?? []
  const conversation = [...triggers].some((t) => CONVERSATION_TRIGGERS.has(t))
  // Issue and comment bots exist to write (comment, label, close): with no `permissions:`, one that
  // works tells that the repository default grants write, unlike a push job that only reads.
  if (conversation && permissions === undefined) return undefined
  const plain = conversation
    ? "push, pull_request, the merge queue, a manual run, a schedule or issue and discussion events (which run the default branch's workflow, as a push does)"
    : 'push, pull_request, the merge queue, a manual run or a schedule'
  const noHead = onComment ? ', checks out no pull request code on its comment trigger' : ''
  const callerText = callers?.map((c) => `\`${c}\``).join(', ')
  const one = callers?.length === 1
  const runsOn =
    callers === undefined
      ? `the workflow runs only on ${plain}`
      : triggers.size
        ? `the workflow runs only on ${plain}, or called by ${callerText}, which ${one ? 'runs' : 'run'} only on those triggers and ${one ? 'passes' : 'pass'} it no secret`
        : `the workflow is called only by ${callerText}, which ${one ? 'runs' : 'run'} only on ${plain} and ${one ? 'passes' : 'pass'} it no secret`
  // Whether some run of the job gets the repository default token: nothing sets `permissions:` for it.
  const defaultToken = permissions === undefined && (grants === undefined || triggers.size > 0 || granted.length < grants.length)
  let why: string
  if (permissions === undefined && granted.length === 0) {
    why = prTarget
      ? 'the job holds no secret, sets no `permissions:` and checks out no pull request code, so on `pull_request_target` too its token is the repository default (read-only unless the repository grants write by default)'
      : grants !== undefined
        ? `the job holds no secret, ${runsOn}, and neither the workflow nor ${one ? "its calling job (nor that job's workflow)" : 'its calling jobs (nor their workflows)'} set \`permissions:\`, so its token is the repository default (read-only for fork pull requests, and everywhere unless the repository grants write by default)`
        : 'the job holds no secret and sets no `permissions:`, and the workflow runs only on push, pull_request, the merge queue, a manual run or a schedule, so its token is the repository default (read-only for fork pull requests, and everywhere unless the repository grants write by default)'
  } else {
    // The token is what `permissions:` grant: the job's or its workflow's, else every calling job's.
    const grantsRead = permissions !== undefined ? [permissions] : granted
    const writes = new Set<string>()
    for (const g of grantsRead) {
      const scopes = limitedWrites(g)
      if (scopes === undefined) return undefined
      for (const s of scopes) writes.add(s)
    }
    // A run on `pull_request_target` with nothing setting `permissions:`, beside callers granting a token: left high (rare, and the texts below would not hold).
    if (prTarget && permissions === undefined) return undefined
    const from = permissions !== undefined ? 'its token' : `the token ${one ? 'its caller grants' : 'its callers grant'}`
    // Some run gets the repository default (a caller or its own trigger setting no `permissions:`): judged as the inline job.
    const orDefault = defaultToken ? ' (where nothing sets `permissions:`, the repository default: read-only for fork pull requests, and everywhere unless the repository grants write by default)' : ''
    if (writes.size === 0 && prTarget) {
      why = 'the job holds no secret, its token is read-only, and it checks out no pull request code in its `pull_request_target` workflow'
    } else if (writes.size === 0) {
      why = `the job holds no secret${noHead}, ${runsOn}, and ${from} is read-only${orDefault}`
    } else {
      const talk = ['issues', 'discussions'].filter((s) => writes.has(s))
      const what = [
        writes.has('security-events') ? 'code-scanning alerts (`security-events: write`)' : undefined,
        writes.has('statuses') ? 'commit statuses (`statuses: write`: a moved tag could still set a commit status)' : undefined,
        talk.length ? `${talk.join(' and ')} (${talk.map((s) => `\`${s}: write\``).join(', ')}: a moved tag could post or edit ${talk.join(' and ')} and their comments)` : undefined
      ].filter((w) => w !== undefined).join(' and ')
      why = prTarget
        ? `the job holds no secret, checks out no pull request code in its \`pull_request_target\` workflow, and its token writes nothing but ${what}`
        : `the job holds no secret${noHead}, ${runsOn}, and ${from} writes nothing but ${what}${orDefault}`
    }
  }
  return readsSecret() ? undefined : { why, defaultToken }
}

/** Why the token is limited, and whether some run of the job holds the repository default token (which a step may show to write). */
interface Limited {
  why: string
  defaultToken: boolean
}

/**
 * The scopes a `permissions:` value writes when all of them are LIMITED_WRITES (an empty set: a
 * read-only token); undefined when it writes more, or in a form not understood (`write-all`, a
 * scope set to something but read, write or none).
 */
function limitedWrites(value: Node | null): Set<string> | undefined {
  const s = scalarString(value)
  if (s !== undefined) return s === 'write-all' ? undefined : new Set()
  if (!isMap(value)) return undefined
  const out = new Set<string>()
  for (const p of value.items) {
    const level = scalarString(p.value)
    if (level === 'read' || level === 'none') continue
    const scope = scalarString(p.key) ?? ''
    if (level !== 'write' || !LIMITED_WRITES.has(scope)) return undefined
    out.add(scope)
  }
  return out
}

/**
 * What each job of the analysis calling the reusable workflow at `path` grants it: the calling
 * job's `permissions:` value, else its workflow's, else, when that workflow is itself called, what
 * its own callers grant (and undefined when nothing sets one: the repository default, which a
 * caller's own triggers also give it). null on a cycle or when no caller is in view.
 */
function callerGrants(ctx: CheckContext, path: string, seen: Set<string>): (Node | null | undefined)[] | null {
  if (seen.has(path)) return null
  const calls = localCallers(ctx.workflows, path, ctx.repository)
  if (calls.length === 0) return null
  const out: (Node | null | undefined)[] = []
  for (const call of calls) {
    const own = (call.job.permissions ?? call.workflow.permissions)?.value
    if (own !== undefined || !call.workflow.triggers.has('workflow_call')) {
      out.push(own)
      continue
    }
    const outer = callerGrants(ctx, call.path, new Set([...seen, path]))
    if (outer === null) return null
    out.push(...outer)
    // Its own triggers besides workflow_call run it with the repository default.
    if (call.workflow.triggers.size > 1) out.push(undefined)
  }
  return out
}

/**
 * The workflows of the analysis calling the reusable workflow at `path`, by path, when every
 * one of them runs only on plain triggers (or is itself called only so) and passes it no secret
 * (`secrets:` given, even `inherit`, counts as secrets); null when some caller does not, when no
 * caller is in view (whoever calls it from elsewhere decides), or when the calls form a cycle.
 */
function plainCallers(ctx: CheckContext, path: string, seen: Set<string>): string[] | null {
  if (seen.has(path)) return null
  const calls = localCallers(ctx.workflows, path, ctx.repository)
  if (calls.length === 0) return null
  const inner = new Set([...seen, path])
  const out = new Set<string>()
  for (const call of calls) {
    if (call.job.node.get('secrets', true) !== undefined) return null
    const own = [...call.workflow.triggers].filter((t) => t !== 'workflow_call')
    if (own.some((t) => !PLAIN_TRIGGERS.has(t))) return null
    if (call.workflow.triggers.has('workflow_call') && plainCallers(ctx, call.path, inner) === null) return null
    if (call.workflow.triggers.size === 0) return null
    out.add(call.path)
  }
  return [...out]
}

/**
 * Why the job's default token must write, when the job shows it: no `permissions:` is set (job or
 * workflow), and a step does what only a writing token can (see `tokenWriteOf`: lock threads, label,
 * push, comment, create a release). The job then works only where the repository default token
 * writes, so "read-only unless the repository grants write by default" does not hold for it.
 */
function whyDefaultTokenWrites(job: JobModel): string | undefined {
  for (const step of job.steps) {
    const write = tokenWriteOf(step)
    if (write) return `the job sets no \`permissions:\` and its step ${write} needs a token that writes, so the job works only where the repository default token writes, and a moved tag runs with that write token`
  }
  return undefined
}

function checkUses(ctx: CheckContext, uses: string | undefined, node: Node | undefined, job: JobModel, readsSecret: () => boolean, uploadNote: () => string): Finding | undefined {
  // This repository's own code (`./x`, `$/x`) comes with the commit that runs: nothing to pin.
  if (!uses || !node || usesOwnCode(uses) || uses.includes('${{')) return undefined
  const line = ctx.y.lineOf(node)
  if (uses.startsWith('docker://')) {
    if (uses.includes('@sha256:')) return undefined
    return ctx.report(RULES.unpinnedImage, line, `action image \`${uses}\` is not pinned by digest.`)
  }
  const at = uses.lastIndexOf('@')
  const target = at < 0 ? uses : uses.slice(0, at)
  const ref = at < 0 ? '' : uses.slice(at + 1)
  if (FULL_SHA.test(ref)) return undefined
  if (TAG_ONLY_WORKFLOWS.test(target) && VERSION_TAG.test(ref)) return undefined
  const owner = target.split('/')[0].toLowerCase()
  const what = target.includes('/.github/workflows/') ? 'reusable workflow' : 'action'
  const refText = ref ? `\`@${ref}\`` : 'no ref (the default branch)'
  if (FIRST_PARTY.has(owner)) {
    if (VERSION_TAG.test(ref)) return undefined
    return ctx.report(RULES.unpinnedFirstParty, line, `${what} \`${target}\` follows ${refText} instead of a release tag or commit SHA.`)
  }
  if (ctx.owner !== undefined && owner === ctx.owner) {
    return ctx.report(RULES.unpinnedSameOwner, line, `${what} \`${target}\` of this repository's own owner is referenced by ${refText}, not a full commit SHA.`)
  }
  if (!jobIsExposed(ctx, job, readsSecret)) {
    const readOnly = `${what} \`${target}\` from another repository is referenced by ${refText}, not a full commit SHA (in a job with a read-only token and no secrets${uploadNote()})`
    const contained = whyStaysInPullRequest(ctx, job)
    if (contained) return ctx.report(RULES.unpinnedActionReadOnly, line, `${readOnly}. Low: ${contained}.`, { severity: 'low' })
    return ctx.report(RULES.unpinnedActionReadOnly, line, `${readOnly}.`)
  }
  const message = `${what} \`${target}\` from another repository is referenced by ${refText}, not a full commit SHA`
  const limited = whyTokenLimited(ctx, job, readsSecret)
  const writes = limited?.defaultToken ? whyDefaultTokenWrites(job) : undefined
  if (writes) return ctx.report(RULES.unpinnedAction, line, `${message}. High, though the job holds no secret: ${writes}.`)
  if (limited) return ctx.report(RULES.unpinnedAction, line, `${message}. Medium: ${limited.why}${uploadNote()}.`, { severity: 'medium' })
  return ctx.report(RULES.unpinnedAction, line, `${message}.`)
}

function imageOf(node: unknown): Node | undefined {
  if (isScalar(node)) return node as Node
  if (isMap(node)) return node.get('image', true) as Node | undefined
  return undefined
}

function checkImage(ctx: CheckContext, node: Node | undefined, where: string): Finding | undefined {
  const image = scalarString(node)
  if (!image || !node || image.includes('@sha256:') || image.includes('${{')) return undefined
  return ctx.report(RULES.unpinnedImage, ctx.y.lineOf(node), `${where} image \`${image}\` is not pinned by digest.`)
}

/**
 * Actions handed a token that can only upload reports, by the input and env name that take it:
 * Codecov's upload token adds coverage reports and nothing else (Codecov long had public
 * repositories commit it). Handed to its own action it gives a moved tag nothing worth taking;
 * read anywhere else it counts as any secret.
 */
const UPLOAD_TOKEN_ACTIONS = new Map([['codecov/codecov-action', { input: 'token', env: 'CODECOV_TOKEN' }]])
/** A value that is one secret and nothing else. */
const ONE_SECRET = /^\$\{\{\s*secrets\.[A-Za-z_][\w-]*\s*\}\}$/
/** A secret named for Codecov (`secrets.CODECOV_TOKEN`): another secret handed to the action is still that secret. */
const NAMED_FOR_UPLOAD = /codecov/i

/**
 * The upload-only tokens the job hands to their own actions (the actions' names), when every
 * other secret it reads is its own token; undefined when it reads some other secret.
 */
function uploadTokensOnly(ctx: CheckContext, job: JobModel): string[] | undefined {
  const skip = new Set<unknown>()
  const actions = new Set<string>()
  for (const step of job.steps) {
    const repo = actionRepo(step.uses) ?? ''
    const upload = UPLOAD_TOKEN_ACTIONS.get(repo)
    if (!upload) continue
    for (const n of [step.with?.get(upload.input, true), step.env?.get(upload.env, true)]) {
      const value = scalarString(n)?.trim() ?? ''
      if (n === undefined || !ONE_SECRET.test(value) || !NAMED_FOR_UPLOAD.test(value)) continue
      skip.add(n)
      actions.add(repo)
    }
  }
  if (jobTextSome(ctx, job, readsSecretBeyondToken, skip)) return undefined
  return [...actions]
}

export function checkPinning(ctx: CheckContext): Finding[] {
  const out: (Finding | undefined)[] = []
  for (const job of ctx.wf.jobs) {
    // Whether the job reads a secret beyond its own token and upload-only tokens: asked once per job, only when a reference needs it.
    let uploads: string[] | undefined | null = null
    const uploadOnly = (): string[] | undefined => (uploads === null ? (uploads = uploadTokensOnly(ctx, job)) : uploads)
    const readsSecret = (): boolean => uploadOnly() === undefined
    const note = (): string => {
      const actions = uploadOnly()
      return actions?.length ? ` (it hands an upload token only to ${actions.map((a) => `\`${a}\``).join(', ')}, which can only add reports with it)` : ''
    }
    out.push(checkUses(ctx, job.uses, job.usesNode, job, readsSecret, note))
    for (const step of job.steps) out.push(checkUses(ctx, step.uses, step.usesNode, job, readsSecret, note))
    out.push(checkImage(ctx, imageOf(job.node.get('container', true)), `job \`${job.id}\` container`))
    const services = job.node.get('services', true)
    if (isMap(services)) {
      for (const p of services.items) out.push(checkImage(ctx, imageOf(p.value), `service \`${scalarString(p.key)}\``))
    }
  }
  return out.filter((f): f is Finding => !!f)
}
