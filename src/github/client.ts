/**
 * The one Octokit the action uses: `@actions/github`'s client plus retry of transient failures,
 * rate-limit handling and a per-endpoint request count. Every value comes in as a parameter.
 */
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Octokit } from '@octokit/core'
import { errorStatus } from './errors.js'

// Re-exported: callers that only describe errors import ./errors.js and skip Octokit's modules.
export { describeError, errorStatus } from './errors.js'

/** What library code logs through; the action passes `@actions/core`, tests pass a recorder. */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  debug(message: string): void
}

export interface GitHubClientOptions {
  token: string
  /** `https://api.github.com`, a GHES `…/api/v3`, or a test server. */
  baseUrl: string
  /** The GraphQL endpoint (GITHUB_GRAPHQL_URL); `<baseUrl>/graphql` by default. */
  graphqlUrl?: string
  userAgent?: string
  /** Retries of 5xx and network failures (rate limits are counted separately). Default 3. */
  retries?: number
  /** Retries after a primary or secondary rate limit. Default 2. */
  rateLimitRetries?: number
  /** A rate limit asking for a longer wait than this fails instead of waiting. Default 60. */
  maxRateLimitWaitSeconds?: number
  /** Milliseconds between two write calls (GitHub asks for about one second). Default 1000. */
  writeSpacingMs?: number
  /** Unit of the 5xx back-off (1, 4, 9 … units). Default 1000 ms; tests make it small. */
  retryBaseMs?: number
  log: Logger
}

/** 4xx answers that no retry can turn into a success. 403 and 429 are left to the rate-limit handler. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451]

/** Counts every HTTP attempt (retries included) per `METHOD /route/{template}`. */
function requestCounter(octokit: Octokit) {
  const counts = new Map<string, number>()
  octokit.hook.before('request', (options) => {
    const key = `${options.method} ${String(options.url).replace(/^https?:\/\/[^/]+/, '')}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  })
  return {
    /** Attempts per endpoint so far, e.g. `{ 'GET /repos/{owner}/{repo}/pulls/{pull_number}': 1 }`. */
    requestCounts(): Record<string, number> {
      return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)))
    },
    /** Total HTTP attempts so far. */
    requestTotal(): number {
      let total = 0
      for (const n of counts.values()) total += n
      return total
    }
  }
}

/** Calls the job at once: the shape of a Bottleneck group (`key(id).schedule(opts?, fn, ...args)`). */
function runJob(args: unknown[]): { fn: (...a: unknown[]) => unknown; rest: unknown[] } {
  const fnIndex = typeof args[0] === 'function' ? 0 : 1
  return { fn: args[fnIndex] as (...a: unknown[]) => unknown, rest: args.slice(fnIndex + 1) }
}

const passThrough = {
  key: () => ({
    schedule: async (...args: unknown[]) => {
      const { fn, rest } = runJob(args)
      return fn(...rest)
    }
  })
}

/**
 * The throttling plugin's request group, replaced: writes run one at a time with a minimum gap
 * (GitHub asks for about a second between content-creating requests), everything else runs at
 * once. GraphQL queries are POSTs but reads, so they are not spaced (the plugin's own write
 * group would space them like writes, a second per batched read).
 */
function spacedWrites(minGapMs: number) {
  let tail: Promise<unknown> = Promise.resolve()
  let last = 0
  const schedule = (...args: unknown[]): Promise<unknown> => {
    const { fn, rest } = runJob(args)
    const options = rest[0] as { method?: string; url?: string } | undefined
    const method = String(options?.method ?? 'GET').toUpperCase()
    const pathname = new URL(String(options?.url ?? '/'), 'http://github.test').pathname
    if (method === 'GET' || method === 'HEAD' || pathname.endsWith('/graphql')) return Promise.resolve().then(() => fn(...rest))
    const run = async () => {
      const wait = last + minGapMs - Date.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      last = Date.now()
      return fn(...rest)
    }
    const result = tail.then(run, run)
    tail = result.catch(() => undefined)
    return result
  }
  return { key: () => ({ schedule }) }
}

type RequestCounter = ReturnType<typeof requestCounter>

/** Octokit with the REST methods, pagination, the request counter and where GraphQL goes. */
export type GitHubClient = ReturnType<typeof getOctokit> & RequestCounter & { graphqlUrl?: string }

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const { log } = options
  const rateLimitRetries = options.rateLimitRetries ?? 2
  const maxWait = options.maxRateLimitWaitSeconds ?? 60
  const spacing = options.writeSpacingMs ?? 1000

  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const what = `${kind} rate limit on ${request.method} ${request.url}`
      if (retryCount >= rateLimitRetries) {
        log.warning(`${what}: giving up after ${retryCount} retries`)
        return false
      }
      if (retryAfter > maxWait) {
        log.warning(`${what}: GitHub asks to wait ${retryAfter}s, more than ${maxWait}s; not retrying`)
        return false
      }
      log.info(`${what}: retrying in ${retryAfter}s`)
      return true
    }

  const throttle = {
    onRateLimit: onLimit('Primary'),
    onSecondaryRateLimit: onLimit('Secondary'),
    global: spacedWrites(spacing),
    write: passThrough,
    notifications: passThrough
  }

  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl.replace(/(?<!\/)\/+$/, ''),
      userAgent: options.userAgent ?? 'preflight',
      log: {
        debug: (m: string) => log.debug(m),
        info: (m: string) => log.debug(m),
        warn: (m: string) => log.warning(m),
        error: (m: string) => log.error(m)
      },
      retry: {
        retries: options.retries ?? 3,
        doNotRetry: DO_NOT_RETRY,
        retryAfterBaseValue: options.retryBaseMs ?? 1000
      },
      // The groups are structurally what the plugin calls (`key(id).schedule(...)`).
      throttle: throttle as unknown as NonNullable<Parameters<typeof getOctokit>[1]>['throttle']
    },
    // Registered first so that it sits inside the retry and throttling wrappers and sees each attempt.
    requestCounter,
    retry,
    throttling
  )
  // getOctokit's declared type does not carry what extra plugins add.
  return Object.assign(octokit, { graphqlUrl: options.graphqlUrl }) as GitHubClient
}

/** True for a 403/429 that is a rate limit (primary or secondary), not a missing permission. */
export function isRateLimitError(error: unknown): boolean {
  const status = errorStatus(error)
  if (status === 429) return true
  if (status !== 403) return false
  const e = error as { message?: string; response?: { headers?: Record<string, string | undefined> } }
  if (/rate limit/i.test(e.message ?? '')) return true
  return e.response?.headers?.['x-ratelimit-remaining'] === '0'
}
