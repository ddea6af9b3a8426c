/**
 * Text read from input, made into part of a regular expression: one escaping for every caller.
 */

/**
 * `text` as a pattern that matches itself literally. Every character with a meaning in a pattern
 * is escaped, `/` and `-` too (identity escapes without the `u` flag, which no caller sets).
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
}
