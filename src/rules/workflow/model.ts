/**
 * A workflow (or composite action) read into the few structures the rules need, keeping the
 * YAML nodes so every rule can point at an exact line.
 */
import { ParseError, isMap, isScalar, isSeq, pairOf, scalarString, type Node, type Pair, type YAMLMap, type YamlFile } from '../parse/yaml.js'

/**
 * A `uses:` that names this repository's own code: a path in the workspace (`./x`, `../x`) or
 * GitHub's self-repository reference (`$/x`: this repository at the commit the workflow runs
 * from). Neither names another repository, so neither has a ref to pin.
 */
export function usesOwnCode(uses: string): boolean {
  return /^(?:\.\.?[/\\]|\$\/)/.test(uses)
}

export interface StepModel {
  node: YAMLMap
  index: number
  line: number
  id?: string
  name?: string
  uses?: string
  usesNode?: Node
  run?: Node
  with?: YAMLMap
  env?: YAMLMap
}

export interface JobModel {
  id: string
  /** Line of the job's key. */
  line: number
  node: YAMLMap
  name?: string
  steps: StepModel[]
  /** `uses:` of a job that calls a reusable workflow. */
  uses?: string
  usesNode?: Node
  needs: string[]
  env?: YAMLMap
  outputs?: YAMLMap
  permissions?: Pair<Node, Node>
  environment?: Node
  concurrency?: Node
  timeout?: Node
  runsOn?: Node
  continueOnError?: Pair<Node, Node>
}

export interface InputDecl {
  type?: string
  /** The declared `default:` as written (a workflow_call default may read the caller's `github` context). */
  default?: string
}

export interface WorkflowModel {
  kind: 'workflow' | 'composite'
  root: YAMLMap
  /** Event names from `on:`. */
  triggers: Set<string>
  env?: YAMLMap
  permissions?: Pair<Node, Node>
  concurrency?: Node
  /** Line of the `jobs:` key (or `runs:` for a composite action). */
  jobsLine: number
  /** Declared inputs of workflow_dispatch / workflow_call / a composite action. */
  inputs: Map<string, InputDecl>
  /** The inputs `workflow_dispatch` declares: whoever runs the workflow by hand sets them. */
  dispatchInputs: Map<string, InputDecl>
  /** The inputs `workflow_call` declares: the calling workflows set them. */
  callInputs: Map<string, InputDecl>
  /**
   * The branch names of `on.workflow_run.branches` when every entry is a plain name (no glob
   * pattern, no `!` exclusion) and `branches-ignore` is absent: a workflow_run event then starts
   * the workflow only when the triggering run's `head_branch` is one of them.
   */
  workflowRunBranches?: string[]
  jobs: JobModel[]
}

const mapOrUndefined = (n: unknown): YAMLMap | undefined => (isMap(n) ? (n as YAMLMap) : undefined)

/** The `on` pair; a YAML 1.1 document may have turned the key into boolean true. */
function onPair(root: YAMLMap): Pair<Node, Node> | undefined {
  return root.items.find((p) => isScalar(p.key) && (p.key.value === 'on' || p.key.value === true)) as Pair<Node, Node> | undefined
}

function readTriggers(on: unknown): Set<string> {
  const out = new Set<string>()
  if (isScalar(on)) {
    const s = scalarString(on)
    if (s) out.add(s)
  } else if (isSeq(on)) {
    for (const item of on.items) {
      const s = scalarString(item)
      if (s) out.add(s)
    }
  } else if (isMap(on)) {
    for (const p of on.items) {
      const s = scalarString(p.key)
      if (s) out.add(s)
    }
  }
  return out
}

/** Characters GitHub reads as glob syntax in a branch filter (`\\` escapes one of them). */
const BRANCH_GLOB = /[*?+[\]!\\]/

/** See `WorkflowModel.workflowRunBranches`. */
function readWorkflowRunBranches(on: unknown): string[] | undefined {
  const event = isMap(on) ? on.get('workflow_run', true) : undefined
  if (!isMap(event) || event.get('branches-ignore', true) !== undefined) return undefined
  const branches = event.get('branches', true)
  const names = isSeq(branches) ? branches.items.map(scalarString) : [scalarString(branches)]
  if (names.length === 0 || names.some((n) => n === undefined || n === '' || BRANCH_GLOB.test(n))) return undefined
  return names as string[]
}

function readInputs(into: Map<string, InputDecl>, inputs: unknown): void {
  if (!isMap(inputs)) return
  for (const p of inputs.items) {
    const name = scalarString(p.key)
    if (!name) continue
    const type = isMap(p.value) ? scalarString(p.value.get('type', true)) : undefined
    const fallback = isMap(p.value) ? scalarString(p.value.get('default', true)) : undefined
    into.set(name.toLowerCase(), { type: type?.toLowerCase(), default: fallback })
  }
}

function readSteps(steps: unknown, y: YamlFile, where: string): StepModel[] {
  if (steps === undefined || steps === null) return []
  if (!isSeq(steps)) throw new ParseError(`${where}: \`steps\` must be a list`, y.lineOf(steps))
  const out: StepModel[] = []
  steps.items.forEach((item, index) => {
    if (!isMap(item)) return
    const usesNode = item.get('uses', true) as Node | undefined
    out.push({
      node: item,
      index,
      line: y.lineOf(item),
      id: scalarString(item.get('id', true)),
      name: scalarString(item.get('name', true)),
      uses: scalarString(usesNode)?.trim(),
      usesNode,
      run: item.get('run', true) as Node | undefined,
      with: mapOrUndefined(item.get('with', true)),
      env: mapOrUndefined(item.get('env', true))
    })
  })
  return out
}

function readNeeds(n: unknown): string[] {
  if (isSeq(n)) return n.items.map(scalarString).filter((s): s is string => !!s)
  const s = scalarString(n)
  return s ? [s] : []
}

function readJob(id: string, keyNode: unknown, node: YAMLMap, y: YamlFile): JobModel {
  const usesNode = node.get('uses', true) as Node | undefined
  return {
    id,
    line: y.lineOf(keyNode),
    node,
    name: scalarString(node.get('name', true)),
    steps: readSteps(node.get('steps', true), y, `job \`${id}\``),
    uses: scalarString(usesNode)?.trim(),
    usesNode,
    needs: readNeeds(node.get('needs', true)),
    env: mapOrUndefined(node.get('env', true)),
    outputs: mapOrUndefined(node.get('outputs', true)),
    permissions: pairOf(node, 'permissions'),
    environment: node.get('environment', true) as Node | undefined,
    concurrency: node.get('concurrency', true) as Node | undefined,
    timeout: node.get('timeout-minutes', true) as Node | undefined,
    runsOn: node.get('runs-on', true) as Node | undefined,
    continueOnError: pairOf(node, 'continue-on-error')
  }
}

/**
 * Reads one YAML document as a workflow or composite action; undefined when it is neither
 * (an empty document, or some other YAML that was classified as a workflow).
 */
export function readWorkflow(contents: unknown, y: YamlFile): WorkflowModel | undefined {
  if (contents === null || contents === undefined) return undefined
  if (isScalar(contents) && (contents.value === null || contents.value === '')) return undefined
  if (!isMap(contents)) throw new ParseError('a workflow must be a mapping at the top level', y.lineOf(contents))
  const root = contents as YAMLMap
  const inputs = new Map<string, InputDecl>()

  const runs = root.get('runs', true)
  if (isMap(runs) && scalarString(runs.get('using', true)) === 'composite') {
    readInputs(inputs, root.get('inputs', true))
    const job: JobModel = {
      id: '(composite action)',
      line: y.lineOf(pairOf(root, 'runs')?.key),
      node: runs as YAMLMap,
      steps: readSteps(runs.get('steps', true), y, 'composite action'),
      needs: []
    }
    return { kind: 'composite', root, triggers: new Set(), jobsLine: job.line, inputs, dispatchInputs: new Map(), callInputs: new Map(), jobs: [job] }
  }

  const jobsPair = pairOf(root, 'jobs')
  if (!jobsPair) return undefined
  if (!isMap(jobsPair.value)) throw new ParseError('`jobs` must be a mapping of job ids to jobs', y.lineOf(jobsPair.key))
  const on = onPair(root)?.value
  const dispatchInputs = new Map<string, InputDecl>()
  const callInputs = new Map<string, InputDecl>()
  if (isMap(on)) {
    readInputs(dispatchInputs, (on.get('workflow_dispatch', true) as YAMLMap | undefined)?.get?.('inputs', true))
    readInputs(callInputs, (on.get('workflow_call', true) as YAMLMap | undefined)?.get?.('inputs', true))
  }
  for (const declared of [dispatchInputs, callInputs]) for (const [name, decl] of declared) inputs.set(name, decl)
  const jobs: JobModel[] = []
  for (const p of (jobsPair.value as YAMLMap).items) {
    const id = scalarString(p.key)
    if (!id) continue
    if (!isMap(p.value)) throw new ParseError(`job \`${id}\` must be a mapping`, y.lineOf(p.key))
    jobs.push(readJob(id, p.key, p.value as YAMLMap, y))
  }
  return {
    kind: 'workflow',
    root,
    triggers: readTriggers(on),
    env: mapOrUndefined(root.get('env', true)),
    permissions: pairOf(root, 'permissions'),
    concurrency: root.get('concurrency', true) as Node | undefined,
    jobsLine: y.lineOf(jobsPair.key),
    inputs,
    dispatchInputs,
    callInputs,
    workflowRunBranches: readWorkflowRunBranches(on),
    jobs
  }
}

/** Events whose jobs get secrets and a write token while acting on outsiders' content. */
export const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run', 'issues', 'issue_comment', 'discussion', 'discussion_comment']

export function isPrivileged(wf: WorkflowModel): boolean {
  return PRIVILEGED_TRIGGERS.some((t) => wf.triggers.has(t))
}
