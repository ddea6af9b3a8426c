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
import { Language, Parser, type Node as TsNode } from 'web-tree-sitter'
import { isMap, isScalar, isSeq, parseYaml, ParseError, type Node as YamlNode } from './yaml.js'

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

let parserPromise: Promise<Parser> | undefined

/**
 * One parser for the whole process: a parse runs to its end without awaiting, so no two parses
 * ever share it at once, and making a parser per file (and freeing it) cost more than the parse
 * of a small file.
 */
function sharedParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = loadLanguage().then((language) => {
      const parser = new Parser()
      parser.setLanguage(language)
      return parser
    })
    parserPromise.catch(() => {
      parserPromise = undefined
    })
  }
  return parserPromise
}

// ── HCL native syntax ────────────────────────────────────────────────────────────────────────

/** Parses HCL source; throws ParseError (with the line of the first error) on invalid syntax. */
export async function parseHcl(content: string): Promise<HclFile> {
  const text = content.replace(/\r\n?/g, '\n')
  const parser = await sharedParser()
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
    const ctx: Ctx = { lines: text.split('\n') }
    const file: HclFile = { blocks: [], attributes: {} }
    const body = root.namedChildren.find((c) => c?.type === 'body')
    if (body) readBody(body, ctx, file.attributes, file.blocks)
    return file
  } finally {
    tree?.delete()
  }
}

interface Ctx {
  lines: string[]
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

const lineOf = (n: TsNode): number => n.startPosition.row + 1
const endLineOf = (n: TsNode): number => n.endPosition.row + 1

function readBody(body: TsNode, ctx: Ctx, attributes: Record<string, HclAttribute>, blocks: HclBlock[]): void {
  for (const child of body.namedChildren) {
    if (!child) continue
    if (child.type === 'attribute') {
      const attr = readAttribute(child, ctx)
      if (attr) attributes[attr.name] = attr
    } else if (child.type === 'block') {
      blocks.push(readBlock(child, ctx))
    }
  }
}

function readAttribute(node: TsNode, ctx: Ctx): HclAttribute | undefined {
  // Each `namedChildren` read crosses into the wasm parser and builds new node objects: read once.
  const named = node.namedChildren
  const name = named.find((c) => c?.type === 'identifier')?.text
  const expr = named.find((c) => c?.type === 'expression')
  if (!name || !expr) return undefined
  const heredoc = findHeredoc(expr)
  return {
    name,
    line: lineOf(node),
    endLine: endLineOf(node),
    value: readExpression(expr, ctx),
    valueLine: heredoc ? lineOf(heredoc) + 1 : lineOf(expr)
  }
}

function findHeredoc(expr: TsNode): TsNode | undefined {
  const named = expr.namedChildren
  const inner = named.length === 1 ? named[0] : undefined
  if (inner?.type === 'template_expr') return inner.namedChildren.find((c) => c?.type === 'heredoc_template') ?? undefined
  return undefined
}

function readBlock(node: TsNode, ctx: Ctx): HclBlock {
  const block: HclBlock = { type: '', labels: [], line: lineOf(node), endLine: endLineOf(node), attributes: {}, blocks: [] }
  let seenType = false
  for (const child of node.namedChildren) {
    if (!child) continue
    if (child.type === 'identifier') {
      if (!seenType) {
        block.type = child.text
        seenType = true
      } else block.labels.push(child.text)
    } else if (child.type === 'string_lit') {
      block.labels.push(stringLiteral(child))
    } else if (child.type === 'body') {
      readBody(child, ctx, block.attributes, block.blocks)
    }
  }
  return block
}

function readExpression(node: TsNode, ctx: Ctx): HclValue {
  switch (node.type) {
    case 'expression': {
      // One child, not a comment: the expression is that child (childCount avoids building the children).
      if (node.childCount === 1) {
        const only = node.namedChildren[0]
        if (only && only.type !== 'comment') return readExpression(only, ctx)
      }
      return makeExpr({ expr: node.text })
    }
    case 'literal_value':
      return readLiteral(node)
    case 'collection_value': {
      const inner = node.namedChildren[0]
      return inner ? readExpression(inner, ctx) : makeExpr({ expr: node.text })
    }
    case 'tuple':
      return readTuple(node, ctx)
    case 'object':
      return readObject(node, ctx)
    case 'template_expr':
      return readTemplate(node, ctx)
    case 'function_call':
      return readCall(node, ctx)
    case 'operation': {
      const un = node.namedChildren[0]
      if (un?.type === 'unary_operation' && un.children[0]?.type === '-') {
        const operand = un.namedChildren[0]
        if (operand?.type === 'literal_value') {
          const v = readLiteral(operand)
          if (typeof v === 'number') return -v
        }
      }
      return makeExpr({ expr: node.text })
    }
    default:
      return makeExpr({ expr: node.text })
  }
}

function readLiteral(node: TsNode): HclValue {
  const inner = node.namedChildren[0]
  if (!inner) return makeExpr({ expr: node.text })
  switch (inner.type) {
    case 'numeric_lit':
      return Number(inner.text)
    case 'bool_lit':
      return inner.text === 'true'
    case 'null_lit':
      return null
    case 'string_lit':
      return stringLiteral(inner)
    default:
      return makeExpr({ expr: node.text })
  }
}

/** The value of a quoted string without interpolation, escapes resolved. */
function stringLiteral(node: TsNode): string {
  const raw = node.namedChildren
    .filter((c): c is TsNode => c !== null && c.type === 'template_literal')
    .map((c) => c.text)
    .join('')
  return unescapeHcl(raw)
}

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

function readTuple(node: TsNode, ctx: Ctx): HclValue[] {
  const out: HclValue[] = []
  for (const child of node.namedChildren) {
    if (child?.type !== 'expression') continue
    recordLine(out, out.length, lineOf(child))
    out.push(readExpression(child, ctx))
  }
  return out
}

function readObject(node: TsNode, ctx: Ctx): HclObject {
  const out: HclObject = {}
  for (const elem of node.namedChildren) {
    if (elem?.type !== 'object_elem') continue
    const [keyNode, valueNode] = elem.namedChildren.filter((c): c is TsNode => c?.type === 'expression')
    if (!keyNode || !valueNode) continue
    const key = objectKey(keyNode)
    out[key] = readExpression(valueNode, ctx)
    recordLine(out, key, lineOf(elem))
  }
  return out
}

function objectKey(keyNode: TsNode): string {
  const named = keyNode.namedChildren
  if (named.length === 1 && keyNode.childCount === 1) {
    const only = named[0]!
    const type = only.type
    if (type === 'variable_expr') return only.text
    if (type === 'literal_value') {
      const lit = only.namedChildren[0]
      if (lit?.type === 'string_lit') return stringLiteral(lit)
    }
  }
  return keyNode.text
}

function readTemplate(node: TsNode, ctx: Ctx): HclValue {
  const inner = node.namedChildren[0]
  if (!inner) return makeExpr({ expr: node.text })
  const dynamic = inner.namedChildren.some((c) => c?.type === 'template_interpolation' || c?.type === 'template_directive')
  if (inner.type === 'heredoc_template') {
    const body = heredocBody(inner, ctx)
    return dynamic ? makeExpr({ expr: node.text, template: body }) : body
  }
  // A quoted template with interpolation.
  const raw = node.text.replace(/^"|"$/g, '')
  return dynamic ? makeExpr({ expr: node.text, template: raw }) : unescapeHcl(raw)
}

/** The text between a heredoc's opening and closing lines; `<<-` strips the common indentation. */
function heredocBody(node: TsNode, ctx: Ctx): string {
  const ids = node.namedChildren.filter((c): c is TsNode => c?.type === 'heredoc_identifier')
  const open = ids[0]
  const close = ids[ids.length - 1]
  if (!open || !close || open === close) return ''
  const lines = ctx.lines.slice(open.startPosition.row + 1, close.startPosition.row)
  const indented = node.namedChildren[0]?.text === '<<-' || node.children[0]?.text === '<<-'
  if (!indented) return lines.join('\n')
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length)
  const strip = indents.length ? Math.min(...indents) : 0
  return lines.map((l) => l.slice(Math.min(strip, /^[ \t]*/.exec(l)![0].length))).join('\n')
}

function readCall(node: TsNode, ctx: Ctx): HclExpr {
  const named = node.namedChildren
  const fn = named.find((c) => c?.type === 'identifier')?.text ?? ''
  const argsNode = named.find((c) => c?.type === 'function_arguments')
  const args = (argsNode?.namedChildren ?? []).filter((c): c is TsNode => c?.type === 'expression').map((c) => readExpression(c, ctx))
  return makeExpr({ expr: node.text, fn, args })
}

// ── Terraform JSON syntax (.tf.json) ─────────────────────────────────────────────────────────

/** Block types whose JSON form nests one object level per label. */
const JSON_LABEL_DEPTH: Record<string, number> = {
  resource: 2,
  data: 2,
  module: 1,
  provider: 1,
  variable: 1,
  output: 1,
  locals: 0,
  terraform: 0
}

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
      block.attributes[name] = { name, line, endLine: yaml.endLineOf(pair.value), value: toValue(pair.value), valueLine: yaml.lineOf(pair.value) }
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
      out[key] = yamlToValue(pair.value, lineOf, offset)
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
    block.attributes[key] = { name: key, line: keyLine, endLine: keyLine, value, valueLine: keyLine }
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
