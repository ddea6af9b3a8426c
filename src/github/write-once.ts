/**
 * Create calls (POSTs that add a review or a comment) sent at most once in effect: GitHub may
 * apply a write and still answer 502 or drop the connection, so Octokit's automatic retry is
 * turned off for them, and a retry only follows a look for the write's effect that finds none.
 */
import { describeError, errorStatus, type Logger } from './client.js'

/** Per-request option that turns Octokit's retry plugin off for one call. */
export const NO_AUTO_RETRY = { retries: 0 }

/** A 5xx or a lost connection: the write may or may not have been applied. */
function isUncertain(error: unknown): boolean {
  const status = errorStatus(error)
  return status === undefined || status >= 500
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Runs a create call (sent without Octokit's automatic retry) and, when the answer leaves it
 * unknown whether GitHub applied it, looks for its effect before trying again: a found effect
 * is the result; a failed look gives up rather than risk a duplicate.
 */
export async function createOnce<T>(
  attempt: () => Promise<T>,
  findEffect: () => Promise<T | undefined>,
  o: { attempts: number; baseMs: number; what: string; log: Logger; onApplied: () => void }
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt()
    } catch (e) {
      if (!isUncertain(e) || i >= o.attempts) throw e
      let found: T | undefined
      try {
        found = await findEffect()
      } catch {
        throw e
      }
      if (found !== undefined) {
        o.log.info(`Preflight: ${o.what} answered ${describeError(e)} but GitHub had applied it; not sending it again.`)
        o.onApplied()
        return found
      }
      o.log.info(`Preflight: ${o.what} failed (${describeError(e)}) and was not applied; trying again.`)
      await sleep(o.baseMs * i * i)
    }
  }
}

