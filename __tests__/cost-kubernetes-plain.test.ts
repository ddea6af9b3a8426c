/**
 * The Kubernetes cost pass reads most documents from their YAML nodes in place instead of
 * converting them whole (`toPlain`). These properties check that every read gives what the
 * converted document gives, on generated streams with duplicate keys, quoted and numeric keys,
 * keys named like Object.prototype members, empty values and nested collections; and that
 * documents the in-place reading cannot mirror (aliases, merge keys, complex keys, deep nesting)
 * are still converted whole.
 */
import fc from 'fast-check'
import { FROM_NODES, FROM_PLAIN, plainOf, type PlainReader } from '../src/cost/kubernetes.js'
import { parseYaml, ParseError, toPlain } from '../src/rules/parse/yaml.js'

/** Keys the generator writes and the comparison asks for (plus one never written). */
const KEYS = ['kind', 'name', 'image', 'limits', 'cpu', 'memory', 'replicas', '1', 'true', 'null', 'toString', 'constructor', '__proto__', 'a b']
/** Asked for by name: the written keys and one never written, but no Object.prototype member (on the converted form `toString` would give the inherited function; the cost pass asks for none). */
const PROBES = [...KEYS.filter((k) => !(k in Object.prototype)), 'missing', '']

/** Scalar tokens as YAML text: plain, quoted, numeric, boolean, null and empty forms. */
const SCALAR = fc.constantFrom('web', '500m', '1', '0.5', '1e3', '0x1F', '0o17', '.inf', '-.inf', '.nan', 'true', 'False', '~', 'null', "''", '"2"', "'true'", '"x y"', '12345678901234567890', '-0', '+1', '1Gi', '!!str 3', '!!int "7"', '!custom tag')

/** A YAML key: plain, single- or double-quoted. */
const KEY = fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('plain', 'single', 'double')).map(([k, style]) => (style === 'double' || k.includes(' ') ? JSON.stringify(k) : style === 'single' ? `'${k}'` : k))

/** A flow-style YAML value: scalars, maps (duplicate keys allowed, empty values too) and sequences. */
const { value: VALUE } = fc.letrec<{ value: string; map: string; seq: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, SCALAR, tie('map'), tie('seq')),
  // A collection may carry an explicit tag (`!!map`, `!!seq`, a custom `!x`): such a document is converted whole.
  map: fc.tuple(fc.oneof({ weight: 18, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constant('!!map ') }, { weight: 1, arbitrary: fc.constant('!x ') }), fc.array(fc.tuple(KEY, fc.option(tie('value'), { nil: undefined })), { maxLength: 6 })).map(([tag, pairs]) => `${tag}{${pairs.map(([k, v]) => (v === undefined ? `${k}:` : `${k}: ${v}`)).join(', ')}}`),
  seq: fc.tuple(fc.oneof({ weight: 18, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constant('!!seq ') }, { weight: 1, arbitrary: fc.constant('!x ') }), fc.array(tie('value'), { maxLength: 4 })).map(([tag, items]) => `${tag}[${items.join(', ')}]`)
}))

/** A document whose root is a map, in flow style. */
const DOC = fc.array(fc.tuple(KEY, VALUE), { minLength: 1, maxLength: 8 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`)

/** Fails unless reader `a` on `x` gives what reader `b` gives on `y`, for every read, all the way down. */
function sameReads(a: PlainReader, x: unknown, b: PlainReader, y: unknown, where = '$'): void {
  const fail = (what: string, l: unknown, r: unknown): never => {
    throw new Error(`${where}: ${what} differs: ${String(l)} vs ${String(r)}`)
  }
  if (a.isMap(x) !== b.isMap(y)) fail('isMap', a.isMap(x), b.isMap(y))
  if (!Object.is(a.text(x), b.text(y))) fail('text', a.text(x), b.text(y))
  if (!Object.is(a.number(x), b.number(y))) fail('number', a.number(x), b.number(y))
  if (a.isEmptyMap(x) !== b.isEmptyMap(y)) fail('isEmptyMap', a.isEmptyMap(x), b.isEmptyMap(y))
  const ax = a.items(x)
  const by = b.items(y)
  if ((ax === undefined) !== (by === undefined) || (ax && by && ax.length !== by.length)) fail('items', ax?.length, by?.length)
  if (ax && by) ax.forEach((item, i) => sameReads(a, item, b, by[i], `${where}[${i}]`))
  if (a.isMap(x)) for (const key of PROBES) sameReads(a, a.field(x, key), b, b.field(y, key), `${where}.${key}`)
  if (!a.isMap(x) && !ax && !Object.is(x, y)) fail('value', x, y)
}

describe('reading Kubernetes documents in place', () => {
  test('gives what the converted document gives, read for read', () => {
    let inPlace = 0
    fc.assert(
      fc.property(fc.array(DOC, { minLength: 1, maxLength: 3 }), (docs) => {
        const yaml = parseYaml(docs.join('\n---\n') + '\n')
        for (const doc of yaml.docs) {
          const { read, root } = plainOf(doc)
          if (read === FROM_NODES) inPlace++
          sameReads(read, root, FROM_PLAIN, toPlain(doc))
        }
      }),
      { numRuns: 3000 }
    )
    // The generator writes no alias, merge key or complex key: only a tagged collection sends a document to the whole conversion.
    expect(inPlace).toBeGreaterThan(1500)
  })

  test('agrees on a block-style workload with duplicate keys, where the last one wins', () => {
    const text = ['kind: Deployment', 'kind: StatefulSet', 'spec:', '  replicas: 3', '  template:', '    spec:', '      containers:', '        - name: a', '          resources:', '            limits: {}', '            limits:', '              cpu: 2', '        -', '        - image', ''].join('\n')
    const doc = parseYaml(text).docs[0]!
    const { read, root } = plainOf(doc)
    expect(read).toBe(FROM_NODES)
    sameReads(read, root, FROM_PLAIN, toPlain(doc))
    expect(read.text(read.field(root, 'kind'))).toBe('StatefulSet')
  })

  test('converts whole what it cannot mirror: aliases, merge keys, YAML 1.1 values, complex keys, deep nesting', () => {
    const deep = `a: ${'['.repeat(120)}1${']'.repeat(120)}\n`
    for (const text of ['base: &b {cpu: 1}\nlimits: *b\n', '%YAML 1.1\n---\nbase: &b {cpu: 1}\nlimits: {<<: *b}\n', '%YAML 1.1\n---\nkind: Pod\nsince: 2001-12-14\n', '? [a, b]\n: 1\nkind: Pod\n', deep]) {
      const doc = parseYaml(text).docs[0]!
      const { read, root } = plainOf(doc)
      expect(read).toBe(FROM_PLAIN)
      expect(root).toEqual(toPlain(doc))
    }
  })

  test('converts whole a collection with an explicit tag: a !!set is a Set once converted, not a map of nulls', () => {
    const limitsAsSet = ['kind: Deployment', 'spec:', '  template:', '    spec:', '      containers:', '        - name: web', '          resources:', '            requests: {cpu: "1", memory: 1Gi}', '            limits: !!set {? cpu, ? memory}', ''].join('\n')
    for (const text of [limitsAsSet, 'kind: Pod\nspec: !!omap [a: 1, b: 2]\n', 'kind: Pod\nspec: !!pairs [a: 1, a: 2]\n', 'kind: Pod\nspec: !x {containers: []}\n']) {
      const doc = parseYaml(text).docs[0]!
      const { read, root } = plainOf(doc)
      expect(read).toBe(FROM_PLAIN)
      expect(root).toEqual(toPlain(doc))
    }
  })

  test('an alias bomb still fails as the whole conversion does', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 8; i++) rows.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`)
    const doc = parseYaml(rows.join('\n') + '\nkind: Pod\n').docs[0]!
    expect(() => plainOf(doc)).toThrow(ParseError)
  })
})
