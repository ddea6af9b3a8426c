/**
 * Growth per rule family on adversarial input: doubling the input must not much more than double
 * the time (a quadratic regular expression or loop would quadruple it). Ratios, not absolute
 * times: absolute times belong to the bench (`npm run bench`).
 */
import { analyzeFile } from '../src/rules/index.js'
import type { SourceFile } from '../src/types.js'
import { growthRatio } from './helpers/growth.js'
// @ts-expect-error plain ESM shared with the bench, no types
import { ADVERSARIAL } from '../scripts/bench/adversarial.mjs'

type Case = (bytes: number) => SourceFile

const KB = 1024
const families = Object.entries(ADVERSARIAL as Record<string, Record<string, Case>>)

describe.each(families)('%s on adversarial input', (_family, cases) => {
  it.each(Object.entries(cases))('%s: time(200 KB) <= 3 x time(100 KB)', async (_name, make) => {
    await analyzeFile(make(4 * KB)) // warm up the parsers (wasm load, JIT)
    const small = make(100 * KB)
    const large = make(200 * KB)
    const ratio = await growthRatio(() => analyzeFile(small), () => analyzeFile(large))
    expect(ratio).toBeLessThanOrEqual(3)
  })
})
