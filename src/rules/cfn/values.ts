/**
 * CloudFormation values resolved where the template itself decides them: `Ref` to a parameter
 * with a `Default`, both branches of `Fn::If`, `Fn::FindInMap` over `Mappings` (every row when
 * the key is not a literal), and `Fn::Sub` built from literals and parameter defaults. Each
 * candidate value says how it was found, so a finding resting on one can say so (`finding.via`).
 */
import type { Finding } from '../../types.js'
import type { Node } from '../parse/yaml.js'
import { isMap, isScalar, isSeq } from '../parse/yaml.js'
import { intrinsicArgument, intrinsicOf, type Resource, type Template } from './template.js'

export interface CfnValue {
  value: string
  /** Unset for a literal written in place. */
  via?: 'parameter default' | 'mapping' | 'condition'
  /** How the value was found, for the message: "parameter `SSHLocation` defaults to it". */
  how?: string
}

/** More candidates than this (a mapping with many rows) are cut: rules need to know one is bad. */
const MAX_CANDIDATES = 64

/** Every value the node can take that the template decides; empty when it depends on the deployment. */
export function valuesOf(t: Template, node: Node | undefined, depth = 0): CfnValue[] {
  const v = t.view
  const n = v.deref(node)
  if (n === undefined || depth > 6) return []
  const fn = intrinsicOf(v, n)
  if (fn === undefined) {
    if (!isScalar(n)) return []
    const s = v.str(n)
    return s === undefined ? [] : [{ value: s }]
  }
  const arg = intrinsicArgument(v, n)
  switch (fn) {
    case 'Ref': {
      const name = scalarText(t, arg)
      if (name === undefined) return []
      const param = t.parameters.get(name)
      const def = param ? v.get(param.node, 'Default') : undefined
      const value = def !== undefined && isScalar(v.deref(def)) ? v.str(def) : undefined
      return value === undefined ? [] : [{ value, via: 'parameter default', how: `parameter \`${name}\` defaults to \`${value}\`` }]
    }
    case 'Fn::If': {
      const [cond, whenTrue, whenFalse] = v.items(arg)
      const name = scalarText(t, cond)
      if (name === undefined) return []
      const branch = (node: Node | undefined, side: string): CfnValue[] =>
        valuesOf(t, node, depth + 1).map((c) => ({ value: c.value, via: c.via ?? 'condition', how: `when condition \`${name}\` is ${side}${c.how ? `, ${c.how}` : ''}` }))
      return [...branch(whenTrue, 'true'), ...branch(whenFalse, 'false')].slice(0, MAX_CANDIDATES)
    }
    case 'Fn::FindInMap': {
      const [mapNode, topNode, secondNode] = v.items(arg)
      const mapName = scalarText(t, mapNode)
      const second = scalarText(t, secondNode)
      const mapping = mapName !== undefined ? v.at(t.root, ['Mappings', mapName]) : undefined
      if (!isMap(mapping) || second === undefined) return []
      const top = literalKey(t, topNode)
      const rows = v.entries(mapping).filter((e) => top === undefined || e.key === top)
      const out: CfnValue[] = []
      for (const row of rows) {
        const cell = v.deref(v.get(row.value, second))
        if (isScalar(cell) && v.str(cell) !== undefined) out.push({ value: v.str(cell)!, via: 'mapping', how: `mapping \`${mapName}\` has \`${v.str(cell)}\` under \`${row.key}\`` })
        else if (isSeq(cell)) for (const item of v.items(cell)) if (isScalar(item) && v.str(item) !== undefined) out.push({ value: v.str(item)!, via: 'mapping', how: `mapping \`${mapName}\` lists \`${v.str(item)}\` under \`${row.key}\`` })
      }
      return out.slice(0, MAX_CANDIDATES)
    }
    case 'Fn::Sub': {
      const text = isSeq(v.deref(arg)) ? scalarText(t, v.items(arg)[0]) : scalarText(t, arg)
      if (text === undefined) return []
      let via: CfnValue['via']
      const hows: string[] = []
      let unknown = false
      const value = text.replace(/\$\{([^}!${]+)\}/g, (_m, name: string) => {
        const param = t.parameters.get(name.trim())
        const def = param ? v.str(v.get(param.node, 'Default')) : undefined
        if (def === undefined) {
          unknown = true
          return ''
        }
        via = 'parameter default'
        hows.push(`parameter \`${name.trim()}\` defaults to \`${def}\``)
        return def
      })
      if (unknown) return []
      return [{ value, ...(via ? { via, how: hows.join(', ') } : {}) }]
    }
    default:
      return []
  }
}

/** The first candidate that `bad` accepts, if any. */
export function firstBad(t: Template, node: Node | undefined, bad: (value: string) => boolean): CfnValue | undefined {
  return valuesOf(t, node).find((c) => bad(c.value))
}

/** The single value the node certainly has (a literal, or a parameter default), else undefined. */
export function certainValue(t: Template, node: Node | undefined): CfnValue | undefined {
  const all = valuesOf(t, node)
  return all.length === 1 && all[0]!.via !== 'condition' && all[0]!.via !== 'mapping' ? all[0] : undefined
}

/**
 * Adds to a finding how the values it rests on were found, and under which conditions it holds
 * (`resourceCondition`). Only a resolved value sets `via` and drops the suggestion: the fix is then
 * in the parameter, mapping or condition, not on this line.
 */
export function withVia(f: Finding, ...found: (CfnValue | undefined)[]): Finding {
  const hows = [...new Set(found.map((c) => c?.how ?? c?.via).filter((h): h is string => h !== undefined))]
  if (hows.length === 0) return f
  f.message += ` (${hows.join(', ')})`
  const via = found.find((c) => c?.via)?.via
  if (via) {
    f.via = via
    delete f.suggestion
  }
  return f
}

/**
 * The resource's own `Condition`, worded like a condition a value rests on ("when condition `X`
 * is true"): the finding holds only in stacks where the resource exists. No `via`: the value on
 * the finding's line is still the one to fix.
 */
export function resourceCondition(t: Template, r: Resource): CfnValue | undefined {
  const name = scalarText(t, t.view.get(r.node, 'Condition'))
  return name === undefined ? undefined : { value: name, how: `when condition \`${name}\` is true` }
}

function scalarText(t: Template, node: Node | undefined): string | undefined {
  const n = t.view.deref(node)
  return isScalar(n) ? t.view.str(n) : undefined
}

/** A FindInMap key written as a literal; undefined when it is `!Ref AWS::Region` or any other function. */
function literalKey(t: Template, node: Node | undefined): string | undefined {
  return intrinsicOf(t.view, node) === undefined ? scalarText(t, node) : undefined
}
