/**
 * A CloudFormation template (YAML with short-form tags, or JSON) as resources with positions,
 * plus helpers that tell literal values from intrinsic functions (`!Ref`, `{"Fn::Sub": …}`).
 * Short-form tags need no registration: the YAML parser keeps unknown tags on the node (with a
 * warning, not an error), which is exactly what is read here.
 */
import type { Node } from '../parse/yaml.js'
import { assertNoAliasBomb, isMap, isScalar, isSeq, parseYaml } from '../parse/yaml.js'
import { docView, type DocView } from '../k8s/view.js'

export interface Resource {
  logicalId: string
  type: string
  node: Node
  /** Line of the logical id: the place to report something missing. */
  line: number
  properties: Node | undefined
}

export interface Parameter {
  name: string
  node: Node
  line: number
}

export interface Template {
  view: DocView
  root: Node
  resources: Resource[]
  parameters: Map<string, Parameter>
  /** Each logical id to the resources whose properties refer to it: built by `referrersOf` on first use. */
  referrers?: Map<string, Resource[]>
}

/** Parses a template; undefined when the file has no `Resources` map (not a template after all). */
export function readTemplate(content: string): Template | undefined {
  const yaml = parseYaml(content)
  const doc = yaml.docs.find((d) => isMap(d.contents))
  if (!doc) return undefined
  assertNoAliasBomb(yaml, doc) // alias bombs become a ParseError here
  const view = docView(yaml, doc)
  const root = doc.contents as Node
  const resourcesNode = view.get(root, 'Resources')
  if (!isMap(resourcesNode)) return undefined
  const resources: Resource[] = view.entries(resourcesNode).flatMap((e) => {
    const type = view.str(view.get(e.value, 'Type'))
    if (!type || !isMap(e.value)) return []
    return [{ logicalId: e.key, type, node: e.value, line: view.line(e.keyNode), properties: view.get(e.value, 'Properties') }]
  })
  const parameters = new Map<string, Parameter>()
  for (const e of view.entries(view.get(root, 'Parameters'))) {
    if (e.value !== undefined) parameters.set(e.key, { name: e.key, node: e.value, line: view.line(e.keyNode) })
  }
  return { view, root, resources, parameters }
}

/** `Ref`, `Fn::Sub`, … when the node is an intrinsic function (short tag or long form), else undefined. */
export function intrinsicOf(v: DocView, node: Node | undefined): string | undefined {
  const n = v.deref(node)
  const tag = (n as { tag?: string } | undefined)?.tag
  if (tag && tag.startsWith('!')) {
    const name = tag.slice(1)
    return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`
  }
  if (isMap(n) && n.items.length === 1) {
    const key = v.entries(n)[0]?.key
    if (key === 'Ref' || key === 'Condition' || key?.startsWith('Fn::')) return key
  }
  return undefined
}

/** The argument of an intrinsic (`!Ref X` → X node; `{"Ref": "X"}` → X node). */
export function intrinsicArgument(v: DocView, node: Node | undefined): Node | undefined {
  const n = v.deref(node)
  if ((n as { tag?: string } | undefined)?.tag?.startsWith('!')) return n
  const entry = v.entries(n)[0]
  return entry?.value
}

/** A plain scalar written in the template (not an intrinsic), as a string; undefined otherwise. */
export function literal(v: DocView, node: Node | undefined): string | undefined {
  const n = v.deref(node)
  if (!isScalar(n) || intrinsicOf(v, n) !== undefined) return undefined
  return v.str(n)
}

export const isLiteralTrue = (v: DocView, node: Node | undefined): boolean => literal(v, node)?.toLowerCase() === 'true'
export const isLiteralFalse = (v: DocView, node: Node | undefined): boolean => literal(v, node)?.toLowerCase() === 'false'

/** Items of a list, or the node itself when a single value stands where a list may be. */
export function oneOrMany(v: DocView, node: Node | undefined): Node[] {
  const n = v.deref(node)
  if (n === undefined) return []
  return isSeq(n) ? v.items(n) : [n]
}
