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

/** Time of one analysis, in ms. */
async function timeOf(file: SourceFile): Promise<number> {
  const t0 = performance.now()
  await analyzeFile(file)
  return performance.now() - t0
}

/**
 * The fastest of several runs of each size, the two sizes taking turns so a change in the load
 * of a busy machine hits both alike: at least five rounds, more while they are quick.
 */
async function fastest(small: SourceFile, large: SourceFile): Promise<{ small: number; large: number }> {
  const best = { small: Infinity, large: Infinity }
  let total = 0
  for (let round = 0; round < 5 || (total < 400 && round < 20); round++) {
    const s = await timeOf(small)
    const l = await timeOf(large)
    best.small = Math.min(best.small, s)
    best.large = Math.min(best.large, l)
    total += s + l
  }
  return best
}

const KB = 1024
const families = Object.entries(ADVERSARIAL as Record<string, Record<string, Case>>)

describe.each(families)('%s on adversarial input', (_family, cases) => {
  it.each(Object.entries(cases))('%s: time(200 KB) <= 3 x time(100 KB)', async (_name, make) => {
    await analyzeFile(make(4 * KB)) // warm up the parsers (wasm load, JIT)
    // A floor of 10 ms: below it, growth is no threat and the ratio would be timer noise. More
    // attempts absorb a pause landing in one of them; a quadratic fails every one (ratio ~4).
    let ratio = Infinity
    for (let attempt = 0; attempt < 3 && ratio > 3; attempt++) {
      const t = await fastest(make(100 * KB), make(200 * KB))
      ratio = t.large / Math.max(t.small, 10)
    }
    expect(ratio).toBeLessThanOrEqual(3)
  })
})
