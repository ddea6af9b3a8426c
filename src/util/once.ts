/**
 * Values read on first use: work a check may never need (a file's example lines, what a
 * security group guards) is done at the first call, and later calls get the same value.
 */

/** `read()` at the first call, then its value again. */
export function once<T>(read: () => T): () => T {
  let value: { of: T } | undefined
  return () => (value ??= { of: read() }).of
}
