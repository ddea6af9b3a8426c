/**
 * Exact decimal money arithmetic for imported cost figures: Infracost writes amounts as decimal
 * strings, and the summary must show its totals to the cent, so no binary floating point here.
 */

/** Fixed-point scale: 10^-12 of a unit is finer than any price Infracost writes per month. */
const SCALE_DIGITS = 12
const SCALE = 10n ** BigInt(SCALE_DIGITS)

/** A decimal string (`"1361.3075"`, `"-2.5"`, `"1e3"` is refused) as scaled integer units; undefined if it is not one. */
export function parseDecimal(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return parseDecimal(value.toFixed(SCALE_DIGITS))
  if (typeof value !== 'string') return undefined
  const m = /^\s*([+-]?)(\d{1,20})(?:\.(\d{0,40}))?\s*$/.exec(value)
  if (!m) return undefined
  const fraction = (m[3] ?? '').padEnd(SCALE_DIGITS + 1, '0')
  let units = BigInt(m[2]) * SCALE + BigInt(fraction.slice(0, SCALE_DIGITS))
  // Half-up on the first dropped digit keeps the scaled value within 10^-12 of the written one.
  if (Number(fraction[SCALE_DIGITS]) >= 5) units += 1n
  return m[1] === '-' ? -units : units
}

/** Rounds scaled units to whole cents, half away from zero (how people round money). */
export function toCents(units: bigint): bigint {
  const perCent = SCALE / 100n
  const negative = units < 0n
  const abs = negative ? -units : units
  const cents = (abs + perCent / 2n) / perCent
  return negative ? -cents : cents
}

/** `$1,361.31`; with `signed`, `+$12.00` / `-$3.50`. */
export function formatMoney(units: bigint, currency = 'USD', signed = false): string {
  const cents = toCents(units)
  const negative = cents < 0n
  const abs = negative ? -cents : cents
  const whole = groupThousands((abs / 100n).toString())
  const frac = (abs % 100n).toString().padStart(2, '0')
  const symbol = currency === 'USD' ? '$' : `${currency} `
  const sign = negative ? '-' : signed ? '+' : ''
  return `${sign}${symbol}${whole}.${frac}`
}

/** `1234567` → `1,234,567`: a loop over groups of three, where a lookahead expression would rescan the digits from every position. */
function groupThousands(digits: string): string {
  let out = digits.slice(0, digits.length % 3 || 3)
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`
  return out
}

/** Scaled units as a plain number of currency units (for thresholds and JSON). */
export function toNumber(units: bigint): number {
  return Number(toCents(units)) / 100
}
