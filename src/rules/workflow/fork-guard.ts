/**
 * The fork guard: a job `if:` that lets the job run only for pull requests whose head is a
 * branch of this repository (`github.event.pull_request.head.repo.full_name == github.repository`,
 * or `head.repo.fork == false`). Fork pull requests then skip the job, so it never runs code
 * from outside the repository; only people who can push branches here reach it.
 */
import { scalarString } from '../parse/yaml.js'
import type { JobModel, StepModel } from './model.js'

const HEAD_REPO = {
  pull_request: 'github\\.event\\.pull_request\\.head\\.repo',
  workflow_run: 'github\\.event\\.workflow_run\\.head_repository'
}

/** Conditions that hold only when the head lives in this repository, for one event's context. */
function guardPatterns(head: string): RegExp[] {
  const fullName = `${head}\\.full_name`
  return [
    new RegExp(`^${fullName}\\s*==\\s*github\\.repository$`),
    new RegExp(`^github\\.repository\\s*==\\s*${fullName}$`),
    new RegExp(`^${head}\\.fork\\s*(==\\s*false|!=\\s*true)$`),
    new RegExp(`^!\\s*${head}\\.fork$`)
  ]
}

/** `(a == b)` → `a == b`: one pair of parentheses around a whole condition. */
function unwrap(condition: string): string {
  return condition.startsWith('(') && condition.endsWith(')') ? condition.slice(1, -1).trim() : condition
}

/**
 * Whether the job's (or step's) `if:` requires the head to be this repository's for `event`
 * (`pull_request` also covers `pull_request_target`). A condition with `||` is not read as a
 * guard: one alternative may let fork pull requests in.
 */
export function isForkGuarded(job: JobModel | StepModel, event: 'pull_request' | 'workflow_run'): boolean {
  const raw = scalarString(job.node.get('if', true))
  if (raw === undefined) return false
  const expr = raw.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim()
  if (expr.includes('||') || expr.includes('${{')) return false
  const patterns = guardPatterns(HEAD_REPO[event])
  return expr
    .split('&&')
    .map((c) => unwrap(c.trim()))
    .some((c) => patterns.some((p) => p.test(c)))
}
