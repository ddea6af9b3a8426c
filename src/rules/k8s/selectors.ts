/** Kubernetes label selectors: reading them from YAML and matching them against a label set. */
import type { Node } from '../parse/yaml.js'
import { isMap } from '../parse/yaml.js'
import type { DocView } from './view.js'
import { labelsOf } from './objects.js'

export interface LabelSelector {
  matchLabels: Record<string, string>
  expressions: { key: string; operator: string; values: string[] }[]
}

/** Reads `{ matchLabels, matchExpressions }`; undefined when the node is not a map. */
export function readSelector(v: DocView, node: Node | undefined): LabelSelector | undefined {
  const n = v.deref(node)
  if (!isMap(n)) return undefined
  const expressions = v.items(v.get(n, 'matchExpressions')).map((e) => ({
    key: v.str(v.get(e, 'key')) ?? '',
    operator: v.str(v.get(e, 'operator')) ?? '',
    values: v.items(v.get(e, 'values')).map((x) => v.str(x) ?? '')
  }))
  return { matchLabels: labelsOf(v, v.get(n, 'matchLabels')), expressions }
}

/** Whether pods with `labels` are selected. An empty selector selects everything. */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, val] of Object.entries(sel.matchLabels)) if (labels[k] !== val) return false
  for (const e of sel.expressions) {
    const has = Object.hasOwn(labels, e.key)
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key])) return false
        break
      case 'NotIn':
        if (has && e.values.includes(labels[e.key])) return false
        break
      case 'Exists':
        if (!has) return false
        break
      case 'DoesNotExist':
        if (has) return false
        break
      default:
        return false
    }
  }
  return true
}
