/**
 * YAML with source positions, shared by the Kubernetes, compose, workflow, CloudFormation and
 * Helm analyzers. Alias expansion is capped (the `yaml` library's `maxAliasCount`) so an alias
 * bomb becomes a parse note instead of a memory blow-up.
 */
import { LineCounter, parseAllDocuments, isAlias as aliasTest, isMap as mapTest, isSeq as seqTest, isScalar as scalarTest, isPair as pairTest, type Document, type Node, type YAMLMap, type Pair, visit } from 'yaml'

/*
 * The library's node tests, bound once: the bundle reads each export of a CommonJS package (as
 * `yaml` is for Node) through a getter at every use, and these run on every key of every map.
 */
export const isMap: typeof mapTest = mapTest
export const isSeq: typeof seqTest = seqTest
export const isScalar: typeof scalarTest = scalarTest
export const isPair: typeof pairTest = pairTest
const isAlias: typeof aliasTest = aliasTest
export type { YAMLMap, Node, Pair }

export class ParseError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message)
    this.name = 'ParseError'
  }
}

export interface YamlFile {
  docs: Document.Parsed[]
  lineCounter: LineCounter
  /** 1-based line of a node's start (or of the file's first line when the node has no range). */
  lineOf(node: unknown): number
  /** 1-based line of a node's last character. */
  endLineOf(node: unknown): number
  /** False when the text has no anchor, so no document can hold an alias. */
  mayHaveAliases: boolean
  /**
   * Follows aliases from `node` to what they name (other nodes unchanged, undefined past a
   * bounded chain). The document's anchors are listed once: yaml's own `Alias.resolve` walks the
   * whole document on every call, which made files full of merge keys quadratic.
   */
  deref(doc: Document.Parsed, node: unknown): unknown
}

/** Longest alias chain followed (an alias naming an alias…). */
const MAX_ALIAS_CHAIN = 16

/** Parses every document of a YAML stream; throws ParseError on the first syntax error. */
export function parseYaml(content: string): YamlFile {
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(content, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' })
  const list = Array.isArray(docs) ? docs : [docs as unknown as Document.Parsed]
  for (const doc of list) {
    const err = doc.errors[0]
    if (err) {
      const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line
      throw new ParseError(`invalid YAML at line ${line}: ${err.message.split('\n')[0]}`, line)
    }
  }
  const lineOf = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | null)?.range
    return range ? lineCounter.linePos(range[0]).line : 1
  }
  const endLineOf = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | null)?.range
    return range ? lineCounter.linePos(Math.max(range[0], range[1] - 1)).line : 1
  }
  const aliasTargets = new Map<Document.Parsed, Map<unknown, unknown>>()
  const deref = (doc: Document.Parsed, node: unknown): unknown => {
    if (!isAlias(node)) return node
    let targets = aliasTargets.get(doc)
    if (!targets) aliasTargets.set(doc, (targets = targetsOf(doc)))
    let cur: unknown = node
    // Alias chains are short; the bound guards against a malformed self-reference.
    for (let i = 0; i < MAX_ALIAS_CHAIN && isAlias(cur); i++) cur = targets.get(cur)
    return isAlias(cur) ? undefined : cur
  }
  return { docs: list as Document.Parsed[], lineCounter, lineOf, endLineOf, mayHaveAliases: /&[^\s]/.test(content), deref }
}

/**
 * What each alias of a document names, from one walk in document order: the last node before it
 * that carries its anchor, as the YAML spec (and yaml's `Alias.resolve`) has it.
 */
function targetsOf(doc: Document.Parsed): Map<unknown, unknown> {
  const anchored = new Map<string, unknown>()
  const targets = new Map<unknown, unknown>()
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) targets.set(node, anchored.get(node.source))
      else if (node.anchor) anchored.set(node.anchor, node)
    }
  })
  return targets
}

/**
 * Throws ParseError when expanding the document's aliases would blow up. Without an anchor
 * (`&name`) in the text there can be no alias, so the common case costs one regex test instead
 * of a full conversion.
 */
export function assertNoAliasBomb(file: YamlFile, doc: Document.Parsed): void {
  if (!file.mayHaveAliases) return
  toPlain(doc)
}

/** Converts a document to plain JS, with the alias cap; throws ParseError on an alias bomb. */
export function toPlain(doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 })
  } catch (e) {
    throw new ParseError(`YAML could not be expanded: ${(e as Error).message}`)
  }
}

/** Value node at a key path (`['spec', 'template', 'spec']`), or undefined. Numbers index sequences. */
export function getIn(node: unknown, path: (string | number)[]): Node | undefined {
  let cur: unknown = node
  for (const key of path) {
    if (isMap(cur)) cur = cur.get(key, true)
    else if (isSeq(cur) && typeof key === 'number') cur = cur.get(key, true)
    else return undefined
  }
  return cur as Node | undefined
}

/** The pair (key + value) for a key in a map, to point at the key's line. */
export function pairOf(map: unknown, key: string): Pair<Node, Node> | undefined {
  if (!isMap(map)) return undefined
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair<Node, Node> | undefined
}

/** Scalar value as a string (numbers and booleans too), or undefined. */
export function scalarString(node: unknown): string | undefined {
  if (isScalar(node) && node.value !== null && node.value !== undefined) return String(node.value)
  return undefined
}
