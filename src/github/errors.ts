/**
 * What a failed GitHub call was, for logs and reports. Apart from ./client.ts so that code that
 * only describes errors (reading settings on a local scan) does not load Octokit and its HTTP stack.
 */

/** The HTTP status of an Octokit error, or undefined for anything else. */
export function errorStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const status = (error as { status: unknown }).status
    return typeof status === 'number' ? status : undefined
  }
  return undefined
}

/** A one-line description of a failed call for logs and reports. */
export function describeError(error: unknown): string {
  const status = errorStatus(error)
  const message = error instanceof Error ? error.message : String(error)
  return status === undefined ? message : `HTTP ${status}: ${message}`
}
