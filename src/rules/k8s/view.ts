/**
 * A small read-only view over one parsed YAML document: lookups that follow aliases, scalar
 * accessors and line numbers. The Kubernetes and CloudFormation analyzers both walk documents
 * through it, so neither needs to care about alias nodes or node classes.
 */
import type { Document } from 'yaml'
import { isMap, isScalar, isSeq, type Node, type Pair, type YamlFile } from '../parse/yaml.js'

export interface DocView {
  /** The value node at `key` of a map (aliases resolved), or undefined. */
  get(node: unknown, key: string): Node | undefined
  /** The value node at a key path. */
  at(node: unknown, path: string[]): Node | undefined
  /** The key/value pair for `key`, to point at the key's line. */
  pair(node: unknown, key: string): Pair<Node, Node> | undefined
  /** The items of a sequence (aliases resolved); [] for anything else. */
  items(node: unknown): Node[]
  /** Key/value pairs of a map, keys as strings (aliases in values resolved). */
  entries(node: unknown): { key: string; keyNode: Node; value: Node | undefined }[]
  /** Resolves an alias node to its target; other nodes unchanged. */
  deref(node: unknown): Node | undefined
  /** Scalar as a string (numbers and booleans too), or undefined. */
  str(node: unknown): string | undefined
  /** 1-based line of a node's first character. */
  line(node: unknown): number
  /** 1-based line of a node's last character. */
  endLine(node: unknown): number
  /** 1-based line of the key of `key` in a map, else of the map itself. */
  keyLine(node: unknown, key: string): number
}

export function docView(file: YamlFile, doc: Document.Parsed): DocView {
  const deref = (node: unknown): Node | undefined => (file.deref(doc, node) ?? undefined) as Node | undefined
  const pair = (node: unknown, key: string): Pair<Node, Node> | undefined => {
    const map = deref(node)
    if (!isMap(map)) return undefined
    // A plain loop (no closure per lookup): every rule reads the documents through here.
    const pairs = map.items as Pair<Node, Node>[]
    for (let i = 0; i < pairs.length; i++) {
      const k = pairs[i]!.key
      if (isScalar(k) && String(k.value) === key) return pairs[i]
    }
    return undefined
  }
  const get = (node: unknown, key: string): Node | undefined => {
    const p = pair(node, key)
    return p ? deref(p.value) : undefined
  }
  const at = (node: unknown, path: string[]): Node | undefined => {
    let cur: Node | undefined = deref(node)
    for (const key of path) {
      cur = get(cur, key)
      if (cur === undefined) return undefined
    }
    return cur
  }
  const items = (node: unknown): Node[] => {
    const seq = deref(node)
    if (!isSeq(seq)) return []
    const out: Node[] = []
    for (const item of seq.items) {
      const node = deref(item)
      if (node !== undefined && node !== null) out.push(node)
    }
    return out
  }
  const entries = (node: unknown) => {
    const map = deref(node)
    if (!isMap(map)) return []
    const out: { key: string; keyNode: Node; value: Node | undefined }[] = []
    for (const p of map.items) if (isScalar(p.key)) out.push({ key: String(p.key.value), keyNode: p.key as Node, value: deref(p.value) })
    return out
  }
  const str = (node: unknown): string | undefined => {
    const n = deref(node)
    if (isScalar(n) && n.value !== null && n.value !== undefined) return String(n.value)
    return undefined
  }
  const line = (node: unknown): number => file.lineOf(node)
  const endLine = (node: unknown): number => file.endLineOf(node)
  const keyLine = (node: unknown, key: string): number => {
    const p = pair(node, key)
    return p ? file.lineOf(p.key) : file.lineOf(deref(node))
  }
  return { get, at, pair, items, entries, deref, str, line, endLine, keyLine }
}

/** The text of a 1-based line of `content` (without the newline), or ''. */
export function lineText(content: string, line: number): string {
  let start = 0
  for (let i = 1; i < line; i++) {
    const next = content.indexOf('\n', start)
    if (next < 0) return ''
    start = next + 1
  }
  const end = content.indexOf('\n', start)
  return content.slice(start, end < 0 ? undefined : end)
}

/**
 * The line `key: <old>` rewritten as `key: <replacement>`, keeping indentation, a leading `- `,
 * a JSON trailing comma and any trailing comment; undefined when the line is not that simple.
 */
export function replaceScalarOnLine(text: string, key: string, oldValues: RegExp, replacement: string): string | undefined {
  const m = /^([ \t]*(?:-[ \t]+)?)(["']?)([^"':#\s](?:[^"':#]*[^"':#\s])?)\2([ \t]*:[ \t]*)([^\s,#]+?)([ \t]*(?:,[ \t]*)?(?:#.*)?)$/.exec(text)
  if (!m || m[3] !== key) return undefined
  const bare = m[5].replace(/^(["'])(.*)\1$/, '$2')
  if (!oldValues.test(bare)) return undefined
  return `${m[1]}${m[2]}${m[3]}${m[2]}${m[4]}${replacement}${m[6]}`
}
