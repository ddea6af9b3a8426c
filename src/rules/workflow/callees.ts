/**
 * Reusable workflows of this repository (`uses: ./.github/workflows/deploy.yml`) as the analysis
 * of their callers sees them: the workflow files of the same analysis (in a pull request, the
 * unchanged ones are read at head as context), parsed only when a caller asks, once per run.
 * GitHub lets a called workflow keep or lower the token its caller grants, never raise it, so
 * a called workflow that sets `permissions` decides its own token whatever the caller left out.
 */
import type { SourceFile } from '../../types.js'
import { parseYaml, scalarString, type Node, type Pair } from '../parse/yaml.js'
import { readWorkflow, type JobModel, type WorkflowModel } from './model.js'

/** Where reusable workflows live: GitHub reads them only directly in this folder. */
const WORKFLOWS_DIR = '.github/workflows/'
/** `./.github/workflows/x.yml`, or `$/.github/workflows/x.yml` (the self-repository reference, whose further leading slashes the runner drops): both at the caller's commit. */
const LOCAL_WORKFLOW = /^(?:\.|\$\/*)\/\.github\/workflows\/[^/]+\.ya?ml$/i

/** The workflow files of the analysis by path, and what was read of each called one. */
export interface WorkflowFiles {
  files: Map<string, SourceFile>
  /** Called path → its model (null: present but not a readable workflow). */
  parsed: Map<string, WorkflowModel | null>
  /** Called path → what it does with its caller's token, once worked out (calls may fan out). */
  tokens: Map<string, CalleeToken>
  /** Called path → the jobs of the analysis calling it, once some callee asked. */
  callers?: Map<string, LocalCall[]>
}

/** A job of a workflow of the analysis that calls a local reusable workflow. */
export interface LocalCall {
  /** Path of the calling workflow. */
  path: string
  workflow: WorkflowModel
  job: JobModel
  /**
   * `owner/name` (lower case) when the call names a repository (`owner/name/.github/workflows/x.yml@ref`)
   * rather than a path: a call of this workflow only when that repository is the one analysed.
   */
  named?: string
}

/** What the caller of a local reusable workflow can know about the token of its jobs. */
export type CalleeToken =
  /** The called workflow sets `permissions` (other than write-all) for every one of its jobs. */
  | 'restricted'
  /** Read, and some job of it gets whatever the caller grants. */
  | 'inherited'
  /** Not part of the analysis, or not readable as a workflow. */
  | 'unread'

/** Collects the files of `.github/workflows/` (context-only ones included); nothing is parsed yet. */
export function buildWorkflowFiles(files: readonly SourceFile[]): WorkflowFiles {
  const out: WorkflowFiles = { files: new Map(), parsed: new Map(), tokens: new Map() }
  for (const f of files) if (f.kind === 'workflow' && f.path.includes(WORKFLOWS_DIR)) out.files.set(f.path, f)
  return out
}

/** A reusable workflow called by repository name: `owner/name`, and its path in that repository. */
const NAMED_WORKFLOW = /^([\w.-]+\/[\w.-]+)\/(\.github\/workflows\/[^/@]+\.ya?ml)@[^/]+$/i

/** Whether a `uses:` names a reusable workflow of this repository. */
export function isLocalWorkflow(uses: string | undefined): uses is string {
  return !!uses && LOCAL_WORKFLOW.test(uses)
}

/** A workflow's model read from its text; undefined when it is not one readable workflow document. */
function workflowOf(content: string): WorkflowModel | undefined {
  try {
    const y = parseYaml(content.replace(/\r\n?/g, '\n'))
    return y.docs.length === 1 ? readWorkflow(y.docs[0].contents, y) : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether a changed workflow needs the other workflows of its folder as context: a job of it
 * calls one of them (what that one sets decides the job's token), or it is a reusable workflow
 * whose callers decide what it holds: the inputs it declares, or the token of a job of it that
 * sets no permissions. Read from the parsed workflow, as the rules read it, so no spelling of
 * the call (a quoted key, a YAML escape, the value on the next line) keeps the context away.
 */
export function needsSiblingWorkflows(path: string, content: string | undefined): boolean {
  if (!path.includes(WORKFLOWS_DIR) || !content) return false
  const workflow = workflowOf(content)
  if (!workflow || workflow.kind !== 'workflow') return false
  if (workflow.jobs.some((job) => isLocalWorkflow(job.uses))) return true
  if (!workflow.triggers.has('workflow_call')) return false
  return workflow.callInputs.size > 0 || (!restricts(workflow.permissions) && workflow.jobs.some((job) => !restricts(job.permissions)))
}

/**
 * The path, in the analysis, of the workflow a local `uses:` calls from `callerPath`: the
 * repository root is whatever precedes the caller's `.github/workflows/` (a scan may run from a
 * parent folder).
 */
export function calledPath(callerPath: string, uses: string): string | undefined {
  const at = callerPath.lastIndexOf(WORKFLOWS_DIR)
  if (at < 0 || (at > 0 && callerPath[at - 1] !== '/')) return undefined
  return callerPath.slice(0, at) + uses.replace(/^(?:\.|\$)\/+/, '')
}

function modelOf(files: WorkflowFiles, path: string): WorkflowModel | undefined {
  if (!files.parsed.has(path)) {
    const file = files.files.get(path)
    files.parsed.set(path, (file && workflowOf(file.content)) ?? null)
  }
  return files.parsed.get(path) ?? undefined
}

/** A `permissions:` that decides the token: any value but write-all, which leaves the caller's grant. */
export function restricts(permissions: Pair<Node, Node> | undefined): boolean {
  return !!permissions && scalarString(permissions.value) !== 'write-all'
}

/**
 * The token of the jobs of the workflow `uses:` calls from `callerPath`. A job of it that sets no
 * `permissions` (nor does its workflow) but itself calls a restricted local workflow counts as
 * restricted; a cycle of calls does not.
 */
export function calleeToken(files: WorkflowFiles | undefined, callerPath: string, uses: string, seen: Set<string> = new Set()): CalleeToken {
  const path = calledPath(callerPath, uses)
  const model = files && path !== undefined ? modelOf(files, path) : undefined
  if (!files || !model || model.kind !== 'workflow' || path === undefined) return 'unread'
  const known = files.tokens.get(path)
  if (known) return known
  // A cycle of calls is refused by GitHub; it decides nothing here.
  if (seen.has(path) || model.jobs.length === 0) return 'inherited'
  const inner = new Set([...seen, path])
  const everyJobRestricted = model.jobs.every((job) => {
    const own = job.permissions ?? model.permissions
    if (own) return restricts(own)
    return isLocalWorkflow(job.uses) && calleeToken(files, path, job.uses, inner) === 'restricted'
  })
  const token = everyJobRestricted ? 'restricted' : 'inherited'
  files.tokens.set(path, token)
  return token
}

/**
 * The jobs of the analysis calling the workflow at `path` (`uses: ./.github/workflows/…`, and,
 * when `repository` (`owner/name`, lower case) is given, `uses: owner/name/.github/workflows/…@ref`
 * naming it: the file at another ref, but called from here). Empty says no caller is in the
 * analysis: the workflow may be called from elsewhere, or its siblings were not read. Every
 * workflow of the analysis is parsed for it (once, at the first question): a test of the text
 * would miss a call spelled with a YAML escape, a quoted key or its path on the next line.
 */
export function localCallers(files: WorkflowFiles | undefined, path: string, repository?: string): LocalCall[] {
  if (!files) return []
  if (!files.callers) {
    const index = new Map<string, LocalCall[]>()
    for (const callerPath of files.files.keys()) {
      const workflow = modelOf(files, callerPath)
      if (!workflow || workflow.kind !== 'workflow') continue
      for (const job of workflow.jobs) {
        const named = job.uses ? NAMED_WORKFLOW.exec(job.uses) : null
        const called = isLocalWorkflow(job.uses) ? calledPath(callerPath, job.uses) : named ? calledPath(callerPath, `./${named[2]}`) : undefined
        if (called === undefined) continue
        const call: LocalCall = named ? { path: callerPath, workflow, job, named: named[1].toLowerCase() } : { path: callerPath, workflow, job }
        index.set(called, [...(index.get(called) ?? []), call])
      }
    }
    files.callers = index
  }
  // A call by repository name is a call of this file only when it names the repository analysed.
  return (files.callers.get(path) ?? []).filter((c) => c.named === undefined || (repository !== undefined && c.named === repository))
}

