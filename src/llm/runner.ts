/** The agent runner factory. (Filled in by the model work.) */
import type { AgentRunner } from './types.js'

export interface RunnerOptions {
  log: (message: string) => void
}

/** A runner when ANTHROPIC_API_KEY is set in the given environment; undefined otherwise. */
export function createAgentRunnerFromEnv(_env: Record<string, string | undefined>, _options: RunnerOptions): AgentRunner | undefined {
  return undefined
}
