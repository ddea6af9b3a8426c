/** The agent runner factory. (Filled in by the model work.) */
import type { AgentRunner } from './types.js'
import type { Logger } from '../modes/action-io.js'

export interface AgentRunnerOptions {
  apiKey: string
  baseUrl?: string
  /** The `model` input: overrides every persona's model. */
  model?: string
  maxInputTokens: number
  log: Logger
}

export function createAgentRunner(_options: AgentRunnerOptions): AgentRunner | undefined {
  return undefined
}

export interface RunnerOptions {
  log: (message: string) => void
}

/** A runner when ANTHROPIC_API_KEY is set in the given environment; undefined otherwise. */
export function createAgentRunnerFromEnv(_env: Record<string, string | undefined>, _options: RunnerOptions): AgentRunner | undefined {
  return undefined
}
