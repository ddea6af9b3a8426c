/** Small helpers for writing rule-tester cases: edit a base file, find the line of a snippet. */

/** The 1-based line of the first (or `nth`, 1-based) line containing `needle`; throws when absent so a typo cannot pass. */
export function lineOf(code: string, needle: string, nth = 1): number {
  const lines = code.split('\n')
  let seen = 0
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes(needle) && ++seen === nth) return i + 1
  }
  throw new Error(`lineOf: ${JSON.stringify(needle)} not found (${nth})`)
}

/** `base` with each `[from, to]` replaced once; throws when `from` is absent so a stale edit cannot pass. */
export function edit(base: string, ...pairs: [string, string][]): string {
  let out = base
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`edit: ${JSON.stringify(from)} not found`)
    out = out.replace(from, to)
  }
  return out
}
