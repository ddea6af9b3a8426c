/**
 * IAM policy documents in their three Terraform spellings — JSON text (often a heredoc),
 * `jsonencode({ … })`, and `data "aws_iam_policy_document"` — reduced to statements with lines.
 */
import { blocksOf, isExpr, isObject, lineOfKey, parseJsonWithLines, type HclAttribute, type HclBlock, type HclValue } from '../parse/hcl.js'
import { stringList } from './context.js'

export interface PolicyStatement {
  effect: 'Allow' | 'Deny'
  actions: string[]
  /** Set when the statement uses `NotAction` (an allow-list by exclusion). */
  notActions: boolean
  resources: string[]
  /** Principals as `TYPE:value` (`AWS:*`, `Service:ec2.amazonaws.com`), or `*` for `"Principal": "*"`. */
  principals: string[]
  hasCondition: boolean
  line: number
  actionLine: number
  resourceLine: number
  principalLine: number
}

/** Placeholder for template interpolations, so JSON with `${…}` inside strings still parses. */
const INTERPOLATION = /\$\{(?:[^{}]|\{[^{}]*\})*\}/g

/** The document held by a policy attribute (`policy`, `assume_role_policy`, …), when readable. */
export function policyValue(attribute: HclAttribute): HclValue | undefined {
  const v = attribute.value
  if (typeof v === 'string') return parseJsonWithLines(v, attribute.valueLine)
  if (isExpr(v)) {
    if (v.fn === 'jsonencode' && v.args?.[0] !== undefined && isObject(v.args[0])) return v.args[0]
    if (v.template !== undefined) return parseJsonWithLines(v.template.replace(INTERPOLATION, 'interpolated'), attribute.valueLine)
  }
  return undefined
}

function field(obj: Record<string, HclValue>, name: string): [HclValue | undefined, string | undefined] {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? [undefined, undefined] : [obj[key], key]
}

/** Statements of a policy attribute; empty when the document is not a literal. */
export function statementsOf(attribute: HclAttribute): PolicyStatement[] {
  const doc = policyValue(attribute)
  if (!isObject(doc)) return []
  const [raw, rawKey] = field(doc, 'Statement')
  const list = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : []
  const fallback = (rawKey && lineOfKey(doc, rawKey)) || attribute.line
  const out: PolicyStatement[] = []
  list.forEach((s, i) => {
    if (!isObject(s)) return
    const line = (Array.isArray(raw) ? lineOfKey(raw, i) : undefined) ?? fallback
    const at = (key: string | undefined): number => (key ? (lineOfKey(s, key) ?? line) : line)
    const [effect] = field(s, 'Effect')
    const [action, actionKey] = field(s, 'Action')
    const [notAction, notActionKey] = field(s, 'NotAction')
    const [resource, resourceKey] = field(s, 'Resource')
    const [principal, principalKey] = field(s, 'Principal')
    const [condition] = field(s, 'Condition')
    const principals: string[] = []
    let principalLine = at(principalKey)
    if (principal === '*') principals.push('*')
    else if (isObject(principal)) {
      for (const [type, ids] of Object.entries(principal)) {
        for (const id of stringList(ids)) {
          if (id === '*' && principalLine === at(principalKey)) principalLine = lineOfKey(principal, type) ?? principalLine
          principals.push(`${type}:${id}`)
        }
      }
      if (!principals.some((p) => p.endsWith(':*'))) {
        const first = Object.keys(principal)[0]
        if (first) principalLine = lineOfKey(principal, first) ?? principalLine
      }
    }
    out.push({
      effect: effect === 'Deny' ? 'Deny' : 'Allow',
      actions: stringList(action ?? notAction),
      notActions: action === undefined && notAction !== undefined,
      resources: stringList(resource),
      principals,
      hasCondition: condition !== undefined,
      line,
      actionLine: at(actionKey ?? notActionKey),
      resourceLine: at(resourceKey),
      principalLine
    })
  })
  return out
}

/** Statements of a `data "aws_iam_policy_document"` block. */
export function documentStatements(block: HclBlock): PolicyStatement[] {
  return blocksOf(block, 'statement').map((s) => {
    const actions = s.attributes.actions ?? s.attributes.not_actions
    const resources = s.attributes.resources
    const principals: string[] = []
    let principalLine = s.line
    for (const p of blocksOf(s, 'principals')) {
      const type = typeof p.attributes.type?.value === 'string' ? p.attributes.type.value : '?'
      const ids = p.attributes.identifiers
      for (const id of stringList(ids?.value)) principals.push(`${type}:${id}`)
      // Identifiers computed at plan time (`"arn:aws:iam::${local.account}:root"`, a data source's
      // ARN) still make the statement a resource policy's, naming someone other than anyone.
      const values = Array.isArray(ids?.value) ? ids.value : [ids?.value]
      if (ids && values.some((x) => typeof x !== 'string')) principals.push(`${type}:?`)
      principalLine = p.attributes.identifiers?.line ?? p.line
    }
    return {
      effect: s.attributes.effect?.value === 'Deny' ? 'Deny' : 'Allow',
      actions: stringList(actions?.value),
      notActions: !s.attributes.actions && !!s.attributes.not_actions,
      resources: stringList(resources?.value),
      principals,
      hasCondition: blocksOf(s, 'condition').length > 0,
      line: s.line,
      actionLine: actions?.line ?? s.line,
      resourceLine: resources?.line ?? s.line,
      principalLine
    }
  })
}

/** True for a principal that is anyone: `*`, `AWS:*`. */
export const isAnyone = (p: string): boolean => p === '*' || p === 'AWS:*' || p === '*:*'
