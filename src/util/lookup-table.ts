/**
 * Tables looked up by a name read from a pull request's files (a resource type, a `kind`, an
 * instance size). A plain object literal inherits `Object.prototype`, so a name such as
 * `constructor`, `toString` or `__proto__` would find an inherited member instead of nothing,
 * and `name in table` would say yes: the analyzer then fails on a function where it expected a
 * row. A lookup table has no prototype, so every name not written in it finds `undefined`.
 * Objects built from input keys meet the other side of it: `setOwn` writes such a key.
 */

/** A table any string may index: a name it does not hold finds `undefined`, never an inherited member. */
export type LookupTable<T> = Readonly<Record<string, T | undefined>>

/** A frozen table without a prototype holding exactly `entries` (in their order). */
export function lookupTable<T>(entries: Readonly<Record<string, T>>): LookupTable<T> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries))
}

/**
 * Sets `key` as an own property of an object built from input (parsed attributes, a map's
 * entries). A plain `target[key] = value` with the key `__proto__` would instead replace the
 * object's prototype: the entry would vanish from its keys and the value's own keys would show
 * through as the object's. Written as `JSON.parse` writes it.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
  else target[key] = value
}
