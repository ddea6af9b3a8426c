/**
 * The contract between the review pipeline and the agent runner: what a persona is given and
 * what it must give back. The pipeline works the same without a runner (deterministic path).
 */
import type { Category, ChangeSet, ChecklistResult, Finding, Persona, SecretLocation, Severity, Usage } from '../types.js'
import type { ModelVerdict } from '../checklist/evaluate.js'
import type { PlanDocument } from '../render/plan-types.js'

export interface AgentReviewRequest {
  persona: Persona
  change: ChangeSet
  /** Deterministic findings on the changed files. */
  findings: Finding[]
  /** The persona's checklist as the rules decided it. */
  checklist: ChecklistResult[]
  /** Per path, the new-side lines a comment may be anchored to. */
  commentable: Map<string, Set<number>>
  /** A reviewer's question from `/agent <name> <question>` (untrusted text). */
  question?: string
  /** Where the analysis found literal secrets: masked before anything is sent. */
  secrets: SecretLocation[]
  /** Per path, the new-side lines the change added (marked `+` in whole files). */
  added?: Map<string, Set<number>>
  /** Per path, the lines that already carry a rule comment (marked `!`). */
  commented?: Map<string, Set<number>>
  /** Paths of the repository at head, when known (a capped list, nearest folders first, is sent). */
  repositoryPaths?: string[]
  /**
   * Every checklist id of the personas in this run: the tool's enum, the same for each persona
   * so that the cached prefix (tools first) is shared. Defaults to this persona's ids.
   */
  checklistIds?: string[]
}

export interface ModelComment {
  path: string
  line: number
  severity: Severity
  category: Category
  body: string
  suggestion?: string
  /** How sure the model is, 0..1. */
  confidence?: number
}

export interface AgentReviewOutput {
  comments: ModelComment[]
  verdicts: ModelVerdict[]
  plan?: PlanDocument
  summary: string
  /** The answer to the reviewer's question, when one was asked. */
  answer?: string
  /** Things the reader must know: what did not fit the budget, fallbacks, stop reasons. */
  notes: string[]
  usage: Usage
  model: string
}

export interface AgentReviewFailure {
  error: string
  notes: string[]
  usage: Usage
}

export type AgentRunner = (request: AgentReviewRequest) => Promise<AgentReviewOutput | AgentReviewFailure>

export function isFailure(r: AgentReviewOutput | AgentReviewFailure): r is AgentReviewFailure {
  return 'error' in r
}
