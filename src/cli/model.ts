/**
 * The model for `preflight review`: on when ANTHROPIC_API_KEY is set, unless --no-model; --model
 * and --max-cost-usd tune it. A model error (a wrong key, an unknown model) is one line on stderr
 * — the review still completes from the rules, but the user must not be left thinking a model ran.
 * The model clients (and their SDKs) are loaded only when a model will run.
 */
import type { AgentRunner } from '../llm/types.js'
import { isFailure } from '../llm/types.js'
import { MODEL_PROVIDERS, type ModelProvider } from '../config.js'
import type { Logger } from '../modes/action-io.js'
import { UsageError, type CliIo } from './io.js'

export interface CliModel {
  run: AgentRunner
  maxCostUsd?: number
}

export async function modelRunnerFor(v: { 'no-model'?: boolean | string; model?: string; 'max-cost-usd'?: string; 'model-provider'?: string }, io: CliIo): Promise<CliModel | undefined> {
  const provider = (v['model-provider'] ?? 'anthropic').toLowerCase() as ModelProvider
  if (!(MODEL_PROVIDERS as readonly string[]).includes(provider)) throw new UsageError(`--model-provider must be one of ${MODEL_PROVIDERS.join(', ')}, got '${v['model-provider']}'`)
  let maxCostUsd: number | undefined
  if (v['max-cost-usd'] !== undefined) {
    maxCostUsd = Number(v['max-cost-usd'])
    if (v['max-cost-usd'].trim() === '' || !Number.isFinite(maxCostUsd) || maxCostUsd < 0) throw new UsageError(`--max-cost-usd must be a number of US dollars ≥ 0, got '${v['max-cost-usd']}'`)
  }
  if (v['no-model']) {
    if (v.model) throw new UsageError('--model and --no-model contradict each other; drop one')
    return undefined
  }
  const apiKey = io.env.ANTHROPIC_API_KEY?.trim() ?? ''
  if (!apiKey && provider === 'anthropic') {
    if (v.model) throw new UsageError(`--model ${v.model} needs ANTHROPIC_API_KEY in the environment (without it the review is rules only)`)
    return undefined
  }
  const say = (m: string) => io.stderr(m + '\n')
  // The runner's own progress lines are for the action log; here only failures reach the user.
  const log: Logger = { info: () => undefined, warning: () => undefined, error: () => undefined, debug: () => undefined }
  const [{ createAgentRunner }, { createProviderClient, ProviderError }] = await Promise.all([import('../llm/runner.js'), import('../llm/providers.js')])
  let client
  try {
    client = provider === 'anthropic' ? undefined : createProviderClient(provider, io.env)
  } catch (e) {
    if (e instanceof ProviderError) throw new UsageError(`--${e.message}`)
    throw e
  }
  const runner = createAgentRunner({ apiKey, client, baseUrl: io.env.ANTHROPIC_BASE_URL?.trim() || undefined, model: v.model, maxInputTokens: 60_000, log })
  if (!runner) return undefined
  const reported = new Set<string>()
  const run: AgentRunner = async (request) => {
    const out = await runner(request)
    if (isFailure(out) && !reported.has(out.error)) {
      reported.add(out.error)
      say(`preflight: model error (${request.persona.name}): ${out.error.split('\n')[0]}; the review fell back to the rules`)
    }
    return out
  }
  return { run, maxCostUsd }
}
