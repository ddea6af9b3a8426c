/** The plan document's structure, shared by the deterministic planner and the model's output. */

export interface PlanStep {
  title: string
  /** What to do, concretely (file, attribute, value). */
  detail: string
  /** How to confirm this step worked before moving on. */
  verify: string
}

export interface PlanDocument {
  title: string
  /** What the change is and what the plan takes as given. */
  context: string[]
  assumptions: string[]
  /** Each file to change and what to change in it. */
  files: { path: string; changes: string[] }[]
  /** Ordered: do them in this order. */
  steps: PlanStep[]
  /** How to undo the change if it misbehaves after it ships. */
  rollback: string[]
  /** How to verify the whole change once it is out. */
  verification: string[]
  risks: string[]
  /** At most one question for the author. */
  openQuestion?: string
}
