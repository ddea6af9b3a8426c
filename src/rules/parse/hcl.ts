/**
 * HCL (Terraform / OpenTofu) with source positions, parsed by tree-sitter's Terraform grammar
 * (WebAssembly). The result is a small typed model: blocks with labels, attributes with values
 * as plain JS where the value is a literal, `{ expr }` where it is not. Lines are 1-based.
 *
 * `.tf.json` files are mapped into the same model (every key of a block body is an attribute;
 * `blocksOf` views object-valued attributes as nested blocks, so rules work on both).
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Language, Parser, type Node as TsNode, type TreeCursor } from 'web-tree-sitter'
import { isMap, isScalar, isSeq, parseYaml, ParseError, type Node as YamlNode } from './yaml.js'
import { lookupTable, setOwn } from '../../util/lookup-table.js'

/** A value that is not a literal: a reference, a function call, a template with interpolation, … */
export interface HclExpr {
  /** Source text of the expression. */
  expr: string
  /** For a function call: its name (`jsonencode`) and arguments, themselves parsed. */
  fn?: string
  args?: HclValue[]
  /** For a string or heredoc template with interpolation: its raw body, `${…}` kept. */
  template?: string
}
export type HclValue = string | number | boolean | null | HclValue[] | HclObject | HclExpr
export interface HclObject {
  [key: string]: HclValue
}

export interface HclAttribute {
  name: string
  line: number
  endLine: number
  value: HclValue
  /** Line where the value's content starts: for a heredoc, the first line of its body. */
  valueLine: number
}

export interface HclBlock {
  type: string
  labels: string[]
  line: number
  endLine: number
  attributes: Record<string, HclAttribute>
  blocks: HclBlock[]
}

export interface HclFile {
  blocks: HclBlock[]
  /** Top-level attributes (`.tfvars` files, or stray ones). */
  attributes: Record<string, HclAttribute>
}

// Lines of keys and elements inside object and list values, keyed by the JS container, so the
// model stays plain data while a rule can still point at `Action` inside a policy.
const keyLines = new WeakMap<object, Map<string | number, number>>()

function recordLine(container: object, key: string | number, line: number): void {
  let m = keyLines.get(container)
  if (!m) keyLines.set(container, (m = new Map()))
  m.set(key, line)
}

/** Gives a copy of a list or object the key lines of its original (for values rewritten in place). */
export function copyKeyLines(from: object, to: object): void {
  const m = keyLines.get(from)
  if (m) keyLines.set(to, new Map(m))
}

/** The 1-based line of a key in an object value (or an index in a list value), when known. */
export function lineOfKey(container: unknown, key: string | number): number | undefined {
  if (container === null || typeof container !== 'object') return undefined
  return keyLines.get(container)?.get(key)
}

// Expressions are marked on creation, so an HCL object that happens to have an `expr` key is
// never mistaken for one.
const expressions = new WeakSet<object>()

function makeExpr(e: HclExpr): HclExpr {
  expressions.add(e)
  return e
}

export function isExpr(v: unknown): v is HclExpr {
  return v !== null && typeof v === 'object' && expressions.has(v)
}

export function isObject(v: unknown): v is HclObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isExpr(v)
}

// ── tree-sitter setup (once per process) ─────────────────────────────────────────────────────

let languagePromise: Promise<Language> | undefined

/**
 * The bundle keeps the wasm files in dist/, while this code may sit in dist/ or in a chunk under
 * dist/chunks/; from the sources (tests) they come from node_modules.
 */
function locateWasm(fileName: string, packagePath: string): string {
  for (const candidate of [`./${fileName}`, `../${fileName}`]) {
    const url = new URL(candidate, import.meta.url)
    if (url.protocol !== 'file:') continue
    const path = fileURLToPath(url)
    if (existsSync(path)) return path
  }
  return createRequire(import.meta.url).resolve(packagePath)
}

function loadLanguage(): Promise<Language> {
  languagePromise ??= (async () => {
    const runtime = locateWasm('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm')
    await Parser.init({ locateFile: () => runtime })
    const grammar = locateWasm('tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm')
    return Language.load(new Uint8Array(readFileSync(grammar)))
  })()
  languagePromise.catch(() => {
    languagePromise = undefined
  })
  return languagePromise
}

/** What the model builder needs of the grammar, looked up once: each node type id's name and whether it is named. */
interface Grammar {
  types: string[]
  named: boolean[]
}

interface SharedParser {
  parser: Parser
  grammar: Grammar
}

let parserPromise: Promise<SharedParser> | undefined

/**
 * One parser for the whole process: a parse runs to its end without awaiting, so no two parses
 * ever share it at once, and making a parser per file (and freeing it) cost more than the parse
 * of a small file.
 */
function sharedParser(): Promise<SharedParser> {
  if (!parserPromise) {
    parserPromise = loadLanguage().then((language) => {
      const parser = new Parser()
      parser.setLanguage(language)
      const types = language.types
      const named = Array.from(types, (_, id) => language.nodeTypeIsNamed(id))
      return { parser, grammar: { types, named } }
    })
    parserPromise.catch(() => {
      parserPromise = undefined
    })
  }
  return parserPromise
}

/**
 * Starts compiling the grammar's WebAssembly in the background (V8 compiles it on its own
 * threads), so the first Terraform file does not wait for it. A failure is reported by the first
 * parse that needs the parser.
 */
export function prepareHclParser(): void {
  sharedParser().catch(() => undefined)
}

// ── HCL native syntax ────────────────────────────────────────────────────────────────────────

/** Parses HCL source; throws ParseError (with the line of the first error) on invalid syntax. */
export async function parseHcl(content: string): Promise<HclFile> {
  const text = content.replace(/\r\n?/g, '\n')
  const { parser, grammar } = await sharedParser()
  const tree = parser.parse(text)
  try {
    if (!tree) throw new ParseError('HCL could not be parsed')
    const root = tree.rootNode
    if (root.hasError) {
      const bad = firstError(root)
      const line = bad ? bad.startPosition.row + 1 : 1
      const lastLine = text.split('\n').length
      const where = Math.min(line, lastLine)
      const what = bad?.isMissing ? `missing ${JSON.stringify(bad.type)}` : 'unexpected syntax'
      throw new ParseError(`invalid HCL at line ${where}: ${what}`, where)
    }
    const file: HclFile = { blocks: [], attributes: {} }
    const cursor = root.walk()
    try {
      const w: Walk = { cursor, text, grammar }
      for (let t = firstNamedChild(w); t !== undefined; t = nextNamedSibling(w)) {
        if (t === 'body') {
          readBody(w, file.attributes, file.blocks)
          break
        }
      }
    } finally {
      cursor.delete()
    }
    return file
  } finally {
    tree?.delete()
  }
}

function firstError(node: TsNode): TsNode | undefined {
  if (node.isError || node.isMissing) return node
  for (const child of node.children) {
    if (child && (child.hasError || child.isMissing || child.isError)) {
      const found = firstError(child)
      if (found) return found
    }
  }
  return undefined
}

/**
 * One model build. A single cursor moves over the tree: every node object or child list read
 * from the tree crosses into wasm and allocates, which cost more than the parse itself on big
 * trees. Each read function is entered with the cursor on its node and leaves it there.
 */
interface Walk {
  cursor: TreeCursor
  /** The parsed text: a node's text is its slice (indices are UTF-16 units, as in JS strings). */
  text: string
  grammar: Grammar
  /** The text's lines, split when a heredoc first needs them. */
  lines?: string[]
}

const textHere = (w: Walk): string => w.text.slice(w.cursor.startIndex, w.cursor.endIndex)
const lineHere = (w: Walk): number => w.cursor.startPosition.row + 1
const typeHere = (w: Walk): string => w.grammar.types[w.cursor.nodeTypeId] || 'ERROR'

/** Moves to the next named sibling and gives its type; undefined when there is none (the cursor is then on some later sibling). */
function nextNamedSibling(w: Walk): string | undefined {
  const { cursor, grammar } = w
  while (cursor.gotoNextSibling()) {
    const id = cursor.nodeTypeId
    if (grammar.named[id]) return grammar.types[id] || 'ERROR'
  }
  return undefined
}

/**
 * Moves to the first named child and gives its type; undefined (the cursor not moved) when there
 * is none. After a loop over named children that started, the caller goes back with gotoParent.
 */
function firstNamedChild(w: Walk): string | undefined {
  const { cursor, grammar } = w
  if (!cursor.gotoFirstChild()) return undefined
  const id = cursor.nodeTypeId
  if (grammar.named[id]) return grammar.types[id] || 'ERROR'
  const next = nextNamedSibling(w)
  if (next === undefined) cursor.gotoParent()
  return next
}

/** Goes back to the parent after a loop over named children, when the loop had moved down. */
function upFrom(w: Walk, started: boolean): void {
  if (started) w.cursor.gotoParent()
}

function readBody(w: Walk, attributes: Record<string, HclAttribute>, blocks: HclBlock[]): void {
  let t = firstNamedChild(w)
  const started = t !== undefined
  for (; t !== undefined; t = nextNamedSibling(w)) {
    if (t === 'attribute') {
      const attr = readAttribute(w)
      if (attr) setOwn(attributes, attr.name, attr)
    } else if (t === 'block') {
      blocks.push(readBlock(w))
    }
  }
  upFrom(w, started)
}

/**
 * The first `identifier` child's text and what `read` gives for the first child of type `part`
 * (an attribute's name and expression, a call's name and arguments). Once both are found, later
 * children change neither, so the walk stops there.
 */
function nameAnd<T>(w: Walk, part: string, read: (w: Walk) => T): { name?: string; value?: T } {
  let name: string | undefined
  let value: T | undefined
  let t = firstNamedChild(w)
  const started = t !== undefined
  for (; t !== undefined; t = nextNamedSibling(w)) {
    if (t === 'identifier') name ??= textHere(w)
    else if (t === part && value === undefined) {
      value = read(w)
      if (name !== undefined) break
    }
  }
  upFrom(w, started)
  return { name, value }
}

function readAttribute(w: Walk): HclAttribute | undefined {
  const line = lineHere(w)
  const endLine = w.cursor.endPosition.row + 1
  const { name, value: expr } = nameAnd(w, 'expression', readAttributeValue)
  if (!name || !expr) return undefined
  return { name, line, endLine, value: expr.value, valueLine: expr.valueLine }
}

/**
 * An attribute's expression: its value, and the line where the value's content starts (for an
 * expression that is only a heredoc, the heredoc's first body line). Reads the expression's
 * children once for both.
 */
function readAttributeValue(w: Walk): { value: HclValue; valueLine: number } {
  const { cursor, grammar } = w
  if (!cursor.gotoFirstChild()) return { value: makeExpr({ expr: textHere(w) }), valueLine: lineHere(w) }
  const id = cursor.nodeTypeId
  const only = !cursor.gotoNextSibling()
  const type = grammar.types[id] || 'ERROR'
  if (only && grammar.named[id] && type !== 'comment') {
    const heredoc: HeredocSeen = {}
    const value = type === 'template_expr' ? readTemplate(w, heredoc) : readExpression(w, type)
    cursor.gotoParent()
    return { value, valueLine: heredoc.row !== undefined ? heredoc.row + 2 : lineHere(w) }
  }
  cursor.gotoParent()
  // Only an expression whose one named child is a template can be a heredoc: its first child is
  // that template or an anonymous token.
  const heredocRow = !only && (!grammar.named[id] || type === 'template_expr') ? heredocRowIn(w) : undefined
  return { value: makeExpr({ expr: textHere(w) }), valueLine: heredocRow !== undefined ? heredocRow + 2 : lineHere(w) }
}

/** Where a template read for an attribute value met a heredoc: the heredoc's row. */
interface HeredocSeen {
  row?: number
}

/** For an expression that is only a heredoc: the row of the heredoc (its opening line). */
function heredocRowIn(w: Walk): number | undefined {
  const t = firstNamedChild(w)
  if (t === undefined) return undefined
  let row: number | undefined
  if (t === 'template_expr') {
    let u = firstNamedChild(w)
    const started = u !== undefined
    for (; u !== undefined; u = nextNamedSibling(w)) {
      if (u === 'heredoc_template') {
        row = w.cursor.startPosition.row
        break
      }
    }
    upFrom(w, started)
  }
  const only = nextNamedSibling(w) === undefined
  w.cursor.gotoParent()
  return only ? row : undefined
}

function readBlock(w: Walk): HclBlock {
  const block: HclBlock = { type: '', labels: [], line: lineHere(w), endLine: w.cursor.endPosition.row + 1, attributes: {}, blocks: [] }
  let seenType = false
  let t = firstNamedChild(w)
  const started = t !== undefined
  for (; t !== undefined; t = nextNamedSibling(w)) {
    if (t === 'identifier') {
      if (!seenType) {
        block.type = textHere(w)
        seenType = true
      } else block.labels.push(textHere(w))
    } else if (t === 'string_lit') {
      block.labels.push(stringLiteral(w))
    } else if (t === 'body') {
      readBody(w, block.attributes, block.blocks)
    }
  }
  upFrom(w, started)
  return block
}

/** The value of the node under the cursor, whose type is `type`. */
function readExpression(w: Walk, type: string): HclValue {
  const { cursor, grammar } = w
  switch (type) {
    case 'expression': {
      // One child, not a comment: the expression is that child.
      if (cursor.gotoFirstChild()) {
        const id = cursor.nodeTypeId
        const only = !cursor.gotoNextSibling()
        const onlyType = grammar.types[id] || 'ERROR'
        if (only && grammar.named[id] && onlyType !== 'comment') {
          const value = readExpression(w, onlyType)
          cursor.gotoParent()
          return value
        }
        cursor.gotoParent()
      }
      return makeExpr({ expr: textHere(w) })
    }
    case 'literal_value':
      return readLiteral(w)
    case 'collection_value': {
      const t = firstNamedChild(w)
      if (t === undefined) return makeExpr({ expr: textHere(w) })
      const value = readExpression(w, t)
      cursor.gotoParent()
      return value
    }
    case 'tuple':
      return readTuple(w)
    case 'object':
      return readObject(w)
    case 'template_expr':
      return readTemplate(w)
    case 'function_call':
      return readCall(w)
    case 'operation': {
      const negated = negatedNumber(w)
      return negated ?? makeExpr({ expr: textHere(w) })
    }
    default:
      return makeExpr({ expr: textHere(w) })
  }
}

/** For an operation that is a minus sign before a number literal: the negative number. */
function negatedNumber(w: Walk): number | undefined {
  const { cursor } = w
  const t = firstNamedChild(w)
  if (t === undefined) return undefined
  let out: number | undefined
  if (t === 'unary_operation' && cursor.gotoFirstChild()) {
    const minus = typeHere(w) === '-'
    cursor.gotoParent()
    if (minus) {
      const operand = firstNamedChild(w)
      if (operand !== undefined) {
        if (operand === 'literal_value') {
          const v = readLiteral(w)
          if (typeof v === 'number') out = -v
        }
        cursor.gotoParent()
      }
    }
  }
  cursor.gotoParent()
  return out
}

function readLiteral(w: Walk): HclValue {
  const t = firstNamedChild(w)
  if (t === undefined) return makeExpr({ expr: textHere(w) })
  let value: HclValue | undefined
  switch (t) {
    case 'numeric_lit':
      value = Number(textHere(w))
      break
    case 'bool_lit':
      value = textHere(w) === 'true'
      break
    case 'null_lit':
      value = null
      break
    case 'string_lit':
      value = stringLiteral(w)
      break
  }
  w.cursor.gotoParent()
  return value === undefined ? makeExpr({ expr: textHere(w) }) : value
}

/**
 * The value of a quoted string without interpolation, escapes resolved: its template literal.
 * The grammar skips blanks at either end of a string as whitespace between tokens, so the
 * literal is then shorter than the text between the quotes; only when both ends are visible
 * ASCII is it that text, which spares walking the string's three children.
 */
function stringLiteral(w: Walk): string {
  const text = textHere(w)
  const last = text.length - 2
  if (text.length >= 2 && text[0] === '"' && text[last + 1] === '"' && (last === 0 || (visibleAscii(text.charCodeAt(1)) && visibleAscii(text.charCodeAt(last))))) {
    return unescapeHcl(text.slice(1, -1))
  }
  let raw = ''
  let t = firstNamedChild(w)
  const started = t !== undefined
  for (; t !== undefined; t = nextNamedSibling(w)) if (t === 'template_literal') raw += textHere(w)
  upFrom(w, started)
  return unescapeHcl(raw)
}

const visibleAscii = (code: number): boolean => code > 0x20 && code < 0x7f

function unescapeHcl(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (m, esc: string | undefined) => {
    if (m === '$${') return '${'
    if (m === '%%{') return '%{'
    switch (esc?.[0]) {
      case 'n':
        return '\n'
      case 't':
        return '\t'
      case 'r':
        return '\r'
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(esc.slice(1), 16))
      default:
        return esc ?? m
    }
  })
}

function readTuple(w: Walk): HclValue[] {
  const out: HclValue[] = []
  let t = firstNamedChild(w)
  const started = t !== undefined
  for (; t !== undefined; t = nextNamedSibling(w)) {
    if (t !== 'expression') continue
    recordLine(out, out.length, lineHere(w))
    out.push(readExpression(w, t))
  }
  upFrom(w, started)
  return out
}

function readObject(w: Walk): HclObject {
  const out: HclObject = {}
  let t = firstNamedChild(w)
  const started = t !== undefined
  for (; t !== undefined; t = nextNamedSibling(w)) if (t === 'object_elem') readObjectElem(w, out)
  upFrom(w, started)
  return out
}

/** One `key = value` of an object: its first two expressions are the key and the value. */
function readObjectElem(w: Walk, out: HclObject): void {
  const line = lineHere(w)
  let key: string | undefined
  let value: HclValue | undefined
  let seenValue = false
  let t = firstNamedChild(w)
  const started = t !== undefined
  for (; t !== undefined; t = nextNamedSibling(w)) {
    if (t !== 'expression') continue
    if (key === undefined) key = objectKey(w)
    else {
      value = readExpression(w, t)
      seenValue = true
      break
    }
  }
  upFrom(w, started)
  if (key === undefined || !seenValue) return
  setOwn(out, key, value as HclValue)
  recordLine(out, key, line)
}

/** An object key: a bare name or a quoted string as its value, any other expression as its text. */
function objectKey(w: Walk): string {
  const { cursor, grammar } = w
  let key: string | undefined
  if (cursor.gotoFirstChild()) {
    const id = cursor.nodeTypeId
    if (!cursor.gotoNextSibling() && grammar.named[id]) {
      const type = grammar.types[id]
      if (type === 'variable_expr') key = textHere(w)
      else if (type === 'literal_value') {
        const t = firstNamedChild(w)
        if (t !== undefined) {
          if (t === 'string_lit') key = stringLiteral(w)
          cursor.gotoParent()
        }
      }
    }
    cursor.gotoParent()
  }
  return key ?? textHere(w)
}

/** A template's value; `heredoc`, when given, is told the row of its first heredoc part. */
function readTemplate(w: Walk, heredoc?: HeredocSeen): HclValue {
  const t = firstNamedChild(w)
  if (t === undefined) return makeExpr({ expr: textHere(w) })
  if (t === 'heredoc_template') {
    if (heredoc) heredoc.row = w.cursor.startPosition.row
    const { body, dynamic } = readHeredoc(w)
    w.cursor.gotoParent()
    return dynamic ? makeExpr({ expr: textHere(w), template: body }) : body
  }
  let dynamic = false
  let u = firstNamedChild(w)
  const started = u !== undefined
  for (; u !== undefined; u = nextNamedSibling(w)) {
    if (u === 'template_interpolation' || u === 'template_directive') {
      dynamic = true
      break
    }
  }
  upFrom(w, started)
  if (heredoc) {
    for (let v = nextNamedSibling(w); v !== undefined; v = nextNamedSibling(w)) {
      if (v === 'heredoc_template') {
        heredoc.row = w.cursor.startPosition.row
        break
      }
    }
  }
  w.cursor.gotoParent()
  // A quoted template with interpolation.
  const expr = textHere(w)
  const raw = expr.replace(/^"|"$/g, '')
  return dynamic ? makeExpr({ expr, template: raw }) : unescapeHcl(raw)
}

/**
 * A heredoc's body (the text between its opening and closing lines; `<<-` strips the common
 * indentation) and whether it has interpolation or directives.
 */
function readHeredoc(w: Walk): { body: string; dynamic: boolean } {
  const { cursor, grammar } = w
  let dynamic = false
  let firstText: string | undefined
  let firstNamedText: string | undefined
  let openRow = -1
  let closeRow = -1
  let ids = 0
  if (cursor.gotoFirstChild()) {
    do {
      const id = cursor.nodeTypeId
      const first = firstText === undefined
      if (first) firstText = textHere(w)
      if (!grammar.named[id]) continue
      firstNamedText ??= first ? firstText : textHere(w)
      const type = grammar.types[id]
      if (type === 'template_interpolation' || type === 'template_directive') dynamic = true
      else if (type === 'heredoc_identifier') {
        const row = cursor.startPosition.row
        if (ids++ === 0) openRow = row
        closeRow = row
      }
    } while (cursor.gotoNextSibling())
    cursor.gotoParent()
  }
  if (ids < 2) return { body: '', dynamic }
  const lines = (w.lines ??= w.text.split('\n')).slice(openRow + 1, closeRow)
  const indented = firstNamedText === '<<-' || firstText === '<<-'
  if (!indented) return { body: lines.join('\n'), dynamic }
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length)
  const strip = indents.length ? Math.min(...indents) : 0
  return { body: lines.map((l) => l.slice(Math.min(strip, /^[ \t]*/.exec(l)![0].length))).join('\n'), dynamic }
}

function readCall(w: Walk): HclExpr {
  const { name: fn, value: args } = nameAnd(w, 'function_arguments', readArguments)
  return makeExpr({ expr: textHere(w), fn: fn ?? '', args: args ?? [] })
}

function readArguments(w: Walk): HclValue[] {
  const out: HclValue[] = []
  let t = firstNamedChild(w)
  const started = t !== undefined
  for (; t !== undefined; t = nextNamedSibling(w)) if (t === 'expression') out.push(readExpression(w, t))
  upFrom(w, started)
  return out
}

// ── Terraform JSON syntax (.tf.json) ─────────────────────────────────────────────────────────

/** Block types whose JSON form nests one object level per label. */
const JSON_LABEL_DEPTH = lookupTable<number>({
  resource: 2,
  data: 2,
  module: 1,
  provider: 1,
  variable: 1,
  output: 1,
  locals: 0,
  terraform: 0
})

/** Parses a `.tf.json` file into the same model; throws ParseError on invalid JSON. */
export function parseTfJson(content: string): HclFile {
  const yaml = parseYaml(content.replace(/\r\n?/g, '\n'))
  const root = yaml.docs[0]?.contents
  const file: HclFile = { blocks: [], attributes: {} }
  if (!isMap(root)) return file
  const toValue = (node: unknown): HclValue => yamlToValue(node, yaml.lineOf, 0)
  const bodyOf = (block: HclBlock, node: YamlNode | null | undefined): void => {
    if (!isMap(node)) return
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      const line = yaml.lineOf(pair.key)
      setOwn(block.attributes, name, { name, line, endLine: yaml.endLineOf(pair.value), value: toValue(pair.value), valueLine: yaml.lineOf(pair.value) })
    }
  }
  for (const top of root.items) {
    const type = isScalar(top.key) ? String(top.key.value) : String(top.key)
    const depth = JSON_LABEL_DEPTH[type] ?? 0
    const visit = (node: unknown, labels: string[], line: number): void => {
      if (isSeq(node)) {
        for (const item of node.items) visit(item, labels, line)
        return
      }
      if (labels.length === depth) {
        const block: HclBlock = { type, labels, line, endLine: yaml.endLineOf(node), attributes: {}, blocks: [] }
        bodyOf(block, node as YamlNode)
        file.blocks.push(block)
        return
      }
      if (!isMap(node)) return
      for (const pair of node.items) {
        const label = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
        visit(pair.value, [...labels, label], yaml.lineOf(pair.key))
      }
    }
    visit(top.value, [], yaml.lineOf(top.key))
  }
  return file
}

/** Plain value of a parsed JSON/YAML node, recording key and element lines (shifted by `offset`). */
function yamlToValue(node: unknown, lineOf: (n: unknown) => number, offset: number): HclValue {
  if (isMap(node)) {
    const out: HclObject = {}
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      setOwn(out, key, yamlToValue(pair.value, lineOf, offset))
      recordLine(out, key, lineOf(pair.key) + offset)
    }
    return out
  }
  if (isSeq(node)) {
    const out: HclValue[] = []
    node.items.forEach((item, i) => {
      out.push(yamlToValue(item, lineOf, offset))
      recordLine(out, i, lineOf(item) + offset)
    })
    return out
  }
  if (isScalar(node)) {
    const v = node.value
    if (typeof v === 'string' && /\$\{/.test(v)) return makeExpr({ expr: v, template: v })
    return v === undefined ? null : (v as string | number | boolean | null)
  }
  return null
}

/**
 * Parses JSON text (a heredoc policy, say) whose first line is line `firstLine` of the file, so
 * `lineOfKey` answers with file lines. Returns undefined when the text is not valid JSON.
 */
export function parseJsonWithLines(text: string, firstLine: number): HclValue | undefined {
  try {
    JSON.parse(text)
  } catch {
    return undefined
  }
  try {
    const yaml = parseYaml(text)
    return yamlToValue(yaml.docs[0]?.contents, yaml.lineOf, firstLine - 1)
  } catch {
    return JSON.parse(text) as HclValue
  }
}

// ── Helpers for rules ────────────────────────────────────────────────────────────────────────

/**
 * Nested blocks named `name`, plus object-valued attributes of that name viewed as blocks
 * (`access_logs = { … }` in a module call, or any nested block in `.tf.json`).
 */
export function blocksOf(block: HclBlock, name: string): HclBlock[] {
  const out = block.blocks.filter((b) => b.type === name)
  const attr = block.attributes[name]
  if (attr) {
    const items = Array.isArray(attr.value) ? attr.value.map((v, i) => [v, lineOfKey(attr.value, i) ?? attr.line] as const) : [[attr.value, attr.line] as const]
    for (const [v, line] of items) if (isObject(v)) out.push(objectAsBlock(name, v, line, attr.endLine))
  }
  return out
}

function objectAsBlock(type: string, obj: HclObject, line: number, endLine: number): HclBlock {
  const block: HclBlock = { type, labels: [], line, endLine, attributes: {}, blocks: [] }
  for (const [key, value] of Object.entries(obj)) {
    const keyLine = lineOfKey(obj, key) ?? line
    setOwn(block.attributes, key, { name: key, line: keyLine, endLine: keyLine, value, valueLine: keyLine })
  }
  return block
}

/** A literal string value, or undefined (for expressions and other types). */
export function stringValue(v: HclValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** A literal boolean, accepting the strings `"true"`/`"false"` as Terraform does. */
export function boolValue(v: HclValue | undefined): boolean | undefined {
  if (typeof v === 'boolean') return v
  if (v === 'true') return true
  if (v === 'false') return false
  return undefined
}

/** A literal number, accepting numeric strings as Terraform does. */
export function numberValue(v: HclValue | undefined): number | undefined {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v)
  return undefined
}
