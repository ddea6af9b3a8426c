/**
 * `money` (rounding to cents) has a fast path that skips the decimal rounding when it cannot
 * matter; these properties check it against the plain decimal formula on every kind of double,
 * the half-cent cases (1.005, 0.525, …) and their neighbours one and a few ulps away.
 */
import fc from 'fast-check'
import { money } from '../src/cost/estimate.js'

/** The formula `money` must agree with on every input. */
const decimalMoney = (usd: number): number => Math.round(Number((usd * 100).toPrecision(12))) / 100

/** The double `steps` ulps away from `x` (toward +∞ for positive steps). */
function ulpsAway(x: number, steps: number): number {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigInt64(0) + (x >= 0 ? BigInt(steps) : -BigInt(steps))
  view.setBigInt64(0, bits)
  return view.getFloat64(0)
}

/** `-0` shown as such (template strings print it as 0). */
const show = (x: number): string => (Object.is(x, -0) ? '-0' : String(x))

const same = (x: number): void => {
  const got = money(x)
  const want = decimalMoney(x)
  if (!Object.is(got, want)) throw new Error(`money(${show(x)}) = ${show(got)}, the decimal formula gives ${show(want)}`)
}

describe('money', () => {
  test('gives the same cents as the decimal formula for any double, -0, NaN and infinities included', () => {
    fc.assert(fc.property(fc.double(), (x) => same(x)), { numRuns: 200_000 })
    for (const x of [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, 2 ** 53, 1e15 + 0.5]) same(x)
  })

  test('agrees on amounts of everyday size, integers of cents and tenths of cents', () => {
    fc.assert(fc.property(fc.double({ min: -1e7, max: 1e7, noNaN: true }), (x) => same(x)), { numRuns: 200_000 })
    fc.assert(fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (k) => { same(k / 100); same(k / 1000) }), { numRuns: 100_000 })
  })

  test('agrees at every half cent up to $250 and a few ulps either side of it', () => {
    for (let k = -50_000; k <= 50_000; k++) {
      const half = (2 * k + 1) / 200
      same(half)
      for (const steps of [1, 2, 3, 50, 4096, 1 << 20]) {
        same(ulpsAway(half, steps))
        same(ulpsAway(half, -steps))
      }
    }
  })

  test('agrees on products like the ones the estimate makes (rate × hours × count)', () => {
    const rate = fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 1e7)
    fc.assert(fc.property(rate, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 730 }), (r, n, h) => { same(r * h * n); same(r * 730 * n - r * h) }), { numRuns: 200_000 })
  })

  test('still rounds the classic half-cent cases up', () => {
    expect(money(1.005)).toBe(1.01)
    expect(money(0.525)).toBe(0.53)
    expect(money(50 * (0.023 - 0.0125))).toBe(0.53)
    expect(money(-1.005)).toBe(-1)
    expect(Object.is(money(-0), 0)).toBe(true)
    expect(Object.is(money(-0.001), -0)).toBe(true)
  })
})
