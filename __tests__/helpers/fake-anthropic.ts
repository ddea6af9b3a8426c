/**
 * A small Messages API on 127.0.0.1 (random port) that @anthropic-ai/sdk talks to through its
 * base URL. Each `POST /v1/messages` takes the next scripted step (or the fallback); every
 * request body is recorded. Prompt caching is simulated from `cache_control` breakpoints: the
 * first request carrying a prefix writes it, later requests with the same prefix read it.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export type Step =
  | { kind: 'tool'; input: unknown; name?: string; stopReason?: string; outputTokens?: number; thinking?: boolean }
  | { kind: 'text'; text: string; stopReason?: 'end_turn' | 'refusal' | 'max_tokens' }
  | { kind: 'status'; status: number; type?: string; message?: string; headers?: Record<string, string> }
  | { kind: 'delay'; ms: number; then: Step }

export interface RecordedRequest {
  path: string
  headers: Record<string, string | string[] | undefined>
  body: Record<string, unknown>
  status: number
  /** The JSON answered (message, count or error). */
  response?: Record<string, unknown>
}

function parseBody(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text || '{}') as Record<string, unknown>
  } catch {
    return {}
  }
}

/** Tokens of a piece of JSON in the fake's own, deterministic unit. */
export function fakeTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value ?? '').length / 4)
}

export class FakeAnthropic {
  readonly requests: RecordedRequest[] = []
  readonly script: Step[] = []
  fallback: Step | ((body: Record<string, unknown>) => Step) = { kind: 'text', text: 'no script left', stopReason: 'end_turn' }
  /** count_tokens: a number, a function of the body, or an HTTP status to fail with. */
  countTokens: ((body: Record<string, unknown>) => number) | { status: number } = (body) => fakeTokens([body.tools, body.system, body.messages])
  /** Prefixes shorter than this (fake tokens) are not cached; 0 caches everything. */
  minCacheableTokens = 0
  private readonly cached = new Set<string>()
  private readonly sockets = new Set<Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()

  private constructor(
    private readonly server: Server,
    readonly url: string
  ) {
    server.on('connection', (s: Socket) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  static async start(): Promise<FakeAnthropic> {
    const holder: { fake?: FakeAnthropic } = {}
    const server = createServer((req, res) => void holder.fake?.handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (!address || typeof address === 'string') throw new Error('fake Anthropic API has no port')
    holder.fake = new FakeAnthropic(server, `http://127.0.0.1:${address.port}`)
    return holder.fake
  }

  reset(): void {
    this.requests.length = 0
    this.script.length = 0
    this.cached.clear()
    this.minCacheableTokens = 0
    this.fallback = { kind: 'text', text: 'no script left', stopReason: 'end_turn' }
    this.countTokens = (body) => fakeTokens([body.tools, body.system, body.messages])
  }

  /** Bodies of the `/v1/messages` calls (not count_tokens). */
  messageBodies(): Record<string, unknown>[] {
    return this.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body)
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t)
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = parseBody(Buffer.concat(chunks).toString('utf8'))
    const path = (req.url ?? '').split('?')[0]
    const record: RecordedRequest = { path, headers: req.headers, body, status: 200 }
    this.requests.push(record)

    if (path === '/v1/messages/count_tokens') {
      if (typeof this.countTokens !== 'function') return this.error(res, record, this.countTokens.status, 'not_found_error', 'count_tokens is not available')
      return this.json(res, record, 200, { input_tokens: this.countTokens(body) })
    }
    if (path !== '/v1/messages') return this.error(res, record, 404, 'not_found_error', `no route ${path}`)

    let step = this.script.shift() ?? (typeof this.fallback === 'function' ? this.fallback(body) : this.fallback)
    while (step.kind === 'delay') {
      const ms = step.ms
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t)
          resolve()
        }, ms)
        this.timers.add(t)
      })
      if (res.destroyed || req.destroyed) return
      step = step.then
    }
    if (step.kind === 'status') {
      return this.error(res, record, step.status, step.type ?? 'api_error', step.message ?? `status ${step.status}`, step.headers)
    }
    const usage = this.usageFor(body)
    const model = typeof body.model === 'string' ? body.model : 'claude-test'
    const id = `msg_${this.requests.length}`
    if (step.kind === 'text') {
      return this.json(res, record, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: step.text }],
        stop_reason: step.stopReason ?? 'end_turn',
        stop_sequence: null,
        usage: { ...usage, output_tokens: fakeTokens(step.text) }
      })
    }
    const content: unknown[] = []
    if (step.thinking) content.push({ type: 'thinking', thinking: '', signature: 'sig-1' })
    content.push({ type: 'tool_use', id: `toolu_${this.requests.length}`, name: step.name ?? 'submit_review', input: step.input })
    return this.json(res, record, 200, {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: step.stopReason ?? 'tool_use',
      stop_sequence: null,
      usage: { ...usage, output_tokens: step.outputTokens ?? fakeTokens(step.input) }
    })
  }

  /**
   * Cache accounting: the request is the sequence tools → system blocks → messages; each block
   * with `cache_control` is a breakpoint. The longest breakpoint prefix seen before is read; the
   * rest up to the last breakpoint is written; everything after it is plain input.
   */
  private usageFor(body: Record<string, unknown>): Record<string, number> {
    const seq: unknown[] = [...((body.tools as unknown[]) ?? []), ...((Array.isArray(body.system) ? body.system : [body.system ?? '']) as unknown[])]
    // Each content block of a message is its own unit, so a breakpoint may sit inside a message.
    for (const m of (body.messages as { role: string; content: unknown }[]) ?? []) {
      if (Array.isArray(m.content)) (m.content as unknown[]).forEach((block, i) => seq.push(i === 0 ? { role: m.role, ...(block as object) } : block))
      else seq.push(m)
    }
    const total = fakeTokens(seq)
    const breakpoints: number[] = []
    seq.forEach((block, i) => {
      if (block && typeof block === 'object' && 'cache_control' in block) breakpoints.push(i)
    })
    let read = 0
    let lastPrefix = 0
    for (const i of breakpoints) {
      const prefix = seq.slice(0, i + 1)
      const tokens = fakeTokens(prefix)
      // Like the API, a prefix shorter than the model's minimum is neither written nor read.
      if (tokens < this.minCacheableTokens) continue
      const key = `${String(body.model)}|${JSON.stringify(prefix)}`
      if (this.cached.has(key)) read = tokens
      this.cached.add(key)
      lastPrefix = tokens
    }
    return {
      input_tokens: Math.max(0, total - lastPrefix),
      cache_creation_input_tokens: Math.max(0, lastPrefix - read),
      cache_read_input_tokens: read
    }
  }

  private json(res: ServerResponse, record: RecordedRequest, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    record.status = status
    record.response = payload as Record<string, unknown>
    if (res.destroyed) return
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${this.requests.length}`, ...headers })
    res.end(JSON.stringify(payload))
  }

  private error(res: ServerResponse, record: RecordedRequest, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
    this.json(res, record, status, { type: 'error', error: { type, message } }, headers)
  }
}
