/**
 * The agent runner: one persona reviews the change through the Messages API and answers with
 * the `submit_review` tool. Never throws: every failure (API errors after the SDK's retries,
 * a refusal, output that stays invalid or too long) comes back as an `AgentReviewFailure`, and
 * the pipeline keeps the deterministic review.
 */
import type { AgentReviewFailure, AgentReviewOutput, AgentReviewRequest, AgentRunner } from './types.js'
import type { Logger } from '../modes/action-io.js'
import type { Usage } from '../types.js'
import { ZERO_USAGE } from '../types.js'
import { MASK, redact, redactDeep, redactorOf, redactSource, type Secrets } from '../redact.js'
import { createMessagesClient, describeApiError, isToolChoiceRejection } from './client.js'
import type { ApiMessage, CreateParams, MessagesClient } from './client.js'
import { modelInfo, resolveModel } from './models.js'
import type { ModelInfo } from './models.js'
import { addUsage, usageOf } from './pricing.js'
import { estimateTokens, inputLimit, nearestPaths, packWholeFiles } from './budget.js'
import type { EvidenceFiles, PackedDiff } from './budget.js'
import { evidenceText, keepUsefulBreakpoints, personaBlock, repairMessage, systemBlocks, TOOL_REMINDER, userContent } from './prompt.js'
import type { UserBlock } from './prompt.js'
import { parseReviewInput, REVIEW_TOOL_NAME, reviewTool } from './review-tool.js'
import type { ParsedReview } from './review-tool.js'

export interface AgentRunnerOptions {
  /** The Anthropic API key; unused when `client` is given (Bedrock, Vertex). */
  apiKey: string
  /** A ready Messages client for another platform (see providers.ts). */
  client?: MessagesClient
  baseUrl?: string
  /** The `model` input: overrides every persona's model. */
  model?: string
  maxInputTokens: number
  log: Logger
  /** Per request; default 120 s. */
  timeoutMs?: number
  /** Retries of 408/409/429/5xx and connection errors, by the SDK with backoff; default 3. */
  maxRetries?: number
  /** max_tokens of the first attempt; doubled once (within the model's limit) when it runs out. Default 16000. */
  maxOutputTokens?: number
  /** Ask the API to count the prompt's tokens (default true); falls back to a local estimate. */
  countTokens?: boolean
}

const DEFAULT_MAX_OUTPUT_TOKENS = 16_000
/** Room kept for the budget note and the message framing around the diff. */
const NOTE_ALLOWANCE_TOKENS = 800
/** A review takes at most this many calls (retries for length, tool use and validation). */
const MAX_CALLS = 5

export function createAgentRunner(options: AgentRunnerOptions): AgentRunner | undefined {
  if (!options.client && !options.apiKey?.trim()) return undefined
  const client = options.client ?? createMessagesClient({ apiKey: options.apiKey.trim(), baseUrl: options.baseUrl, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries })
  return (request) => runReview(client, options, request)
}

export interface RunnerOptions {
  log: (message: string) => void
}

/** A runner when ANTHROPIC_API_KEY is set in the given environment; undefined otherwise. */
export function createAgentRunnerFromEnv(env: Record<string, string | undefined>, options: RunnerOptions): AgentRunner | undefined {
  const apiKey = env.ANTHROPIC_API_KEY?.trim()
  if (!apiKey) return undefined
  const say = options.log
  const log: Logger = { info: say, warning: (m) => say(`warning: ${m}`), error: (m) => say(`error: ${m}`), debug: () => undefined }
  return createAgentRunner({ apiKey, baseUrl: env.ANTHROPIC_BASE_URL?.trim() || undefined, maxInputTokens: 60_000, log })
}


interface Prompt {
  system: CreateParams['system']
  content: UserBlock[]
  tools: ReturnType<typeof reviewTool>[]
  packed: PackedDiff
  /** Changed files shown whole. */
  whole: string[]
  inputTokens: number
  counted: boolean
}

/**
 * Room kept for the persona block when sizing the shared evidence. A constant, not the persona's
 * own size, so the evidence (and with it the cached prefix) is the same for every persona.
 */
const PERSONA_ALLOWANCE_TOKENS = 6_000

/**
 * Builds the prompt within the input budget: the shared evidence (whole files where they fit,
 * else hunks, riskiest first), then the persona block; checked against the API's count.
 */
async function buildPrompt(
  client: MessagesClient,
  options: AgentRunnerOptions,
  request: AgentReviewRequest,
  info: ModelInfo,
  limit: number,
  toolChoice: CreateParams['tool_choice']
): Promise<Prompt> {
  // Diffs and whole files are the files' own source: each secret is masked at its line before anything is packed.
  const redactor = redactorOf(request.secrets)
  const masked = request.change.files.map((f) => ({
    ...f,
    patch: redactor.patch(f.path, f.patch),
    ...(f.content !== undefined ? { content: redactor.source(f.path, f.content) } : {})
  }))
  request = { ...request, change: { ...request.change, files: masked } }
  const system = systemBlocks(request.secrets)
  const tools = [reviewTool(request.checklistIds ?? request.persona.checklist.map((c) => c.id))]
  const changed = request.change.files.map((f) => f.path)
  const paths = request.repositoryPaths?.length ? nearestPaths(request.repositoryPaths, changed) : undefined
  const persona = personaBlock(request)
  const lines = { commentable: request.commentable, added: request.added ?? new Map<string, Set<number>>(), commented: request.commented ?? new Map<string, Set<number>>() }
  const fixedText = system.map((b) => b.text).join('\n') + JSON.stringify(tools) + evidenceText(request, { files: '', notes: [], paths })
  const fixed = estimateTokens(fixedText) + Math.max(PERSONA_ALLOWANCE_TOKENS, estimateTokens(persona)) + NOTE_ALLOWANCE_TOKENS
  let budget = Math.max(0, limit - fixed)
  const pack = (b: number): EvidenceFiles => packWholeFiles(request.change.files, request.findings, b, lines, estimateTokens)
  let files = pack(budget)
  const make = (f: EvidenceFiles): UserBlock[] => userContent(evidenceText(request, { files: f.text, notes: f.packed.note ? [f.packed.note] : [], paths }), persona)
  let content = make(files)
  let inputTokens = fixed + files.tokens
  let counted = false
  if (options.countTokens !== false) {
    for (let round = 0; round < 3; round++) {
      const count = await client.countTokens({ model: info.id, system, messages: [{ role: 'user', content }], tools, tool_choice: toolChoice })
      if (count === undefined) break
      counted = true
      inputTokens = count
      if (count <= limit || files.tokens === 0) break
      // The local estimate ran short: shrink the file budget by the excess, in estimate units.
      const scale = (fixed + files.tokens) / count
      budget = Math.max(0, Math.floor(files.tokens - (count - limit) * scale * 1.1))
      files = pack(budget)
      content = make(files)
    }
  }
  const placed = keepUsefulBreakpoints(tools, system, content, info.minCacheableTokens, estimateTokens)
  return { system: placed.system, content: placed.content, tools, packed: files.packed, whole: files.whole, inputTokens, counted }
}

type ContentParam = Exclude<CreateParams['messages'][number]['content'], string>

/**
 * The response's content as it is sent back in the next request (thinking blocks included, and
 * verbatim: the API checks their signature). Text and tool input are redacted like any request.
 */
function echo(message: ApiMessage, secrets: Secrets): ContentParam {
  return message.content.map((block) => (block.type === 'thinking' || block.type === 'redacted_thinking' ? block : redactDeep(block, secrets))) as unknown as ContentParam
}

async function runReview(client: MessagesClient, options: AgentRunnerOptions, request: AgentReviewRequest): Promise<AgentReviewOutput | AgentReviewFailure> {
  const notes: string[] = []
  let usage: Usage = { ...ZERO_USAGE }
  const secrets = request.secrets
  const fail = (error: string): AgentReviewFailure => ({ error: redact(error, secrets), notes, usage })
  try {
    const resolved = resolveModel(request.persona.model, options.model)
    if (resolved.note) notes.push(resolved.note)
    const info = modelInfo(resolved.id)
    const firstMax = Math.min(options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS, info.maxOutputTokens)
    const largerMax = Math.min(firstMax * 2, info.maxOutputTokens)
    const limit = inputLimit(options.maxInputTokens, info.contextWindow, largerMax)
    let toolChoice: CreateParams['tool_choice'] = info.forcedToolChoice ? { type: 'tool', name: REVIEW_TOOL_NAME } : { type: 'auto' }

    const prompt = await buildPrompt(client, options, request, info, limit, toolChoice)
    if (prompt.packed.note) notes.push(prompt.packed.note)
    const shownHunks = prompt.packed.files.filter((f) => !prompt.whole.includes(f.path)).reduce((n, f) => n + f.hunks.length, 0)
    options.log.info(
      `${request.persona.name}: ${info.id}, ${prompt.counted ? '' : '~'}${prompt.inputTokens} input tokens (limit ${limit}), ${prompt.whole.length} whole file(s), ${shownHunks} more hunk(s)`
    )

    const messages: CreateParams['messages'] = [{ role: 'user', content: prompt.content }]
    let maxTokens = firstMax
    let raised = false
    let reminded = false
    let repaired = false
    for (let call = 0; call < MAX_CALLS; call++) {
      let res: ApiMessage
      try {
        res = await client.create({ model: info.id, max_tokens: maxTokens, system: prompt.system, messages, tools: prompt.tools, tool_choice: toolChoice })
      } catch (e) {
        if (toolChoice?.type === 'tool' && isToolChoiceRejection(e)) {
          notes.push(`${info.id} does not accept a forced tool choice; asked for ${REVIEW_TOOL_NAME} in the prompt instead`)
          toolChoice = { type: 'auto' }
          continue
        }
        return fail(describeApiError(e))
      }
      usage = addUsage(usage, usageOf(info.id, res.usage))

      if (res.stop_reason === 'max_tokens') {
        if (!raised && largerMax > maxTokens) {
          notes.push(`the answer ran past max_tokens ${maxTokens}; retried once with ${largerMax}`)
          maxTokens = largerMax
          raised = true
          continue
        }
        return fail(`the answer ran past max_tokens (${maxTokens}) and was cut off; not used`)
      }
      if (res.stop_reason === 'refusal') return fail('the model declined to review this change (stop_reason: refusal)')

      const calls = res.content.filter((b) => b.type === 'tool_use')
      const call0 = calls.find((b) => b.name === REVIEW_TOOL_NAME)
      if (!call0) {
        if (toolChoice?.type !== 'tool' && !reminded) {
          reminded = true
          messages.push({ role: 'assistant', content: echo(res, secrets) }, { role: 'user', content: TOOL_REMINDER })
          continue
        }
        return fail(`the model answered without calling ${REVIEW_TOOL_NAME} (stop_reason: ${res.stop_reason ?? 'none'})`)
      }

      const decided = new Set(request.checklist.filter((c) => c.status !== 'unknown').map((c) => c.item))
      const parsed = parseReviewInput(call0.input, request.persona, `${request.persona.displayName}: plan`, decided)
      if (parsed.ok) return success(parsed.value, notes, usage, info.id, secrets)
      if (repaired) return fail(`the review stayed invalid after one correction: ${parsed.errors.slice(0, 5).join('; ')}`)
      repaired = true
      notes.push(`the first ${REVIEW_TOOL_NAME} input was invalid (${parsed.errors.length} problem(s)); asked once for a correction`)
      messages.push(
        { role: 'assistant', content: echo(res, secrets) },
        {
          role: 'user',
          content: calls.map((c) =>
            c.id === call0.id
              ? { type: 'tool_result' as const, tool_use_id: c.id, is_error: true, content: repairMessage(parsed.errors) }
              : { type: 'tool_result' as const, tool_use_id: c.id, is_error: true, content: `Only one ${REVIEW_TOOL_NAME} call is read.` }
          )
        }
      )
    }
    return fail(`no valid review after ${MAX_CALLS} calls`)
  } catch (e) {
    return fail(describeApiError(e))
  }
}

function success(review: ParsedReview, notes: string[], usage: Usage, model: string, secrets: Secrets): AgentReviewOutput {
  // The model may echo a secret it saw before redaction reached it (or guessed); mask again.
  const clean = redactDeep(review, secrets)
  // A suggestion is committed verbatim: one that would carry a secret (or its mask) is dropped.
  const comments = clean.comments.map((c, i) => {
    const proposed = review.comments[i]?.suggestion
    // A mask the model copied from the redacted diff would be committed as the new value.
    if (proposed === undefined || (!proposed.includes(MASK) && redactSource(c.path, proposed, secrets, c.line) === proposed)) return c
    notes.push(`a suggestion for ${c.path}:${c.line} was dropped: it contained a secret`)
    const { suggestion: _dropped, ...rest } = c
    return rest
  })
  return {
    comments,
    verdicts: clean.verdicts,
    plan: clean.plan,
    summary: clean.summary,
    ...(clean.answer ? { answer: clean.answer } : {}),
    notes,
    usage,
    model
  }
}
