/**
 * Growth per rule family on adversarial input: doubling the input must not much more than double
 * the time (a quadratic regular expression or loop would quadruple it). Ratios, not absolute
 * times: absolute times belong to the bench (`npm run bench`).
 */
import { analyzeFile } from '../src/rules/index.js'
import type { SourceFile } from '../src/types.js'
// @ts-expect-error plain ESM shared with the bench, no types
import { ADVERSARIAL } from '../scripts/bench/adversarial.mjs'

type Case = (bytes: number) => SourceFile

/**
 * The fastest of several runs, which cuts the noise of a busy machine: at least three, and more
 * while they are quick, so a millisecond of jitter cannot decide a ratio.
 */
async function minTime(file: SourceFile): Promise<number> {
  let best = Infinity
  let total = 0
  for (let i = 0; i < 3 || (total < 300 && i < 20); i++) {
    const t0 = performance.now()
    await analyzeFile(file)
    const ms = performance.now() - t0
    best = Math.min(best, ms)
    total += ms
  }
  return best
}

const KB = 1024
const families = Object.entries(ADVERSARIAL as Record<string, Record<string, Case>>)

describe.each(families)('%s on adversarial input', (_family, cases) => {
  it.each(Object.entries(cases))('%s: time(200 KB) <= 3 x time(100 KB)', async (_name, make) => {
    await analyzeFile(make(4 * KB)) // warm up the parsers (wasm load, JIT)
    // A floor of 10 ms: below it, growth is no threat and the ratio would be timer noise. A
    // second measurement absorbs a garbage collection landing in one run; a quadratic fails both.
    let ratio = Infinity
    for (let attempt = 0; attempt < 2 && ratio > 3; attempt++) {
      const small = await minTime(make(100 * KB))
      const large = await minTime(make(200 * KB))
      ratio = large / Math.max(small, 10)
    }
    expect(ratio).toBeLessThanOrEqual(3)
  })
})
