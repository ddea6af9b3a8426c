/**
 * The Messages API client: @anthropic-ai/sdk with our timeout and retry policy. The SDK retries
 * 408/409/429/5xx (529 overloaded included) and connection errors with exponential backoff, and
 * honours `retry-after` / `retry-after-ms`; we only choose how many times and how long to wait.
 * The base URL is passed in (gateways, tests); the SDK is never left to pick credentials from
 * the environment on its own.
 */
import Anthropic from '@anthropic-ai/sdk'
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages'

export const DEFAULT_TIMEOUT_MS = 120_000
export const DEFAULT_MAX_RETRIES = 3
/** Counting tokens is an optimisation: it gets a short timeout and no retries. */
const COUNT_TIMEOUT_MS = 15_000

export interface ClientOptions {
  apiKey: string
  baseUrl?: string
  timeoutMs?: number
  maxRetries?: number
}

export type CreateParams = MessageCreateParamsNonStreaming
export type ApiMessage = Message

export interface MessagesClient {
  create(params: CreateParams): Promise<ApiMessage>
  /** Input tokens of a request as the API counts them; undefined when counting is unavailable. */
  countTokens(params: Pick<CreateParams, 'model' | 'system' | 'messages' | 'tools' | 'tool_choice'>): Promise<number | undefined>
}

export function createMessagesClient(options: ClientOptions): MessagesClient {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const sdk = new Anthropic({
    apiKey: options.apiKey,
    // An empty string would make the SDK fall back to the environment; keep it explicit.
    baseURL: options.baseUrl?.trim() ? options.baseUrl.trim() : 'https://api.anthropic.com',
    timeout,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES
  })
  // Once the count endpoint fails (a gateway without it), stop asking for this client.
  let countingWorks = true
  return {
    create: (params) => sdk.messages.create(params),
    async countTokens(params) {
      if (!countingWorks) return undefined
      try {
        const res = await sdk.messages.countTokens(params, { maxRetries: 0, timeout: Math.min(timeout, COUNT_TIMEOUT_MS) })
        return typeof res.input_tokens === 'number' ? res.input_tokens : undefined
      } catch {
        countingWorks = false
        return undefined
      }
    }
  }
}

/** A one-line description of an API failure, without request details. */
export function describeApiError(error: unknown): string {
  if (error instanceof Anthropic.APIConnectionTimeoutError) return 'the request timed out'
  if (error instanceof Anthropic.APIConnectionError) return `connection failed: ${firstLine(error.message)}`
  if (error instanceof Anthropic.APIError) {
    const status = error.status ?? 'error'
    const type = errorType(error.error)
    const detail = firstLine(errorMessage(error.error) ?? error.message)
    return `API ${status}${type ? ` ${type}` : ''}: ${detail}`
  }
  if (error instanceof Error) return firstLine(error.message)
  return String(error)
}

/** True for a 400 that names `tool_choice`: the model does not accept a forced tool. */
export function isToolChoiceRejection(error: unknown): boolean {
  return error instanceof Anthropic.APIError && error.status === 400 && /tool_choice|forced tool|tool use/i.test(errorMessage(error.error) ?? error.message)
}

function errorType(body: unknown): string | undefined {
  const inner = (body as { error?: { type?: unknown } } | undefined)?.error
  return typeof inner?.type === 'string' ? inner.type : undefined
}

function errorMessage(body: unknown): string | undefined {
  const inner = (body as { error?: { message?: unknown } } | undefined)?.error
  return typeof inner?.message === 'string' ? inner.message : undefined
}

function firstLine(s: string): string {
  const line = s.split('\n')[0].trim()
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}
