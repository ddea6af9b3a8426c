/**
 * Tables looked up by a name read from a pull request's files (a resource type, a `kind`, an
 * instance size). A plain object literal inherits `Object.prototype`, so a name such as
 * `constructor`, `toString` or `__proto__` would find an inherited member instead of nothing,
 * and `name in table` would say yes: the analyzer then fails on a function where it expected a
 * row. A lookup table has no prototype, so every name not written in it finds `undefined`.
 */

/** A table any string may index: a name it does not hold finds `undefined`, never an inherited member. */
export type LookupTable<T> = Readonly<Record<string, T | undefined>>

/** A frozen table without a prototype holding exactly `entries` (in their order). */
export function lookupTable<T>(entries: Readonly<Record<string, T>>): LookupTable<T> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries))
}
