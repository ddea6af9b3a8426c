/**
 * Checks on a chart's `values.yaml`: what the chart installs when nobody overrides a value.
 * Used only when the templates were not rendered, so the verdict on the rendered objects is
 * never given twice.
 */
import type { Finding, RuleMeta } from '../../types.js'
import { reporterFor } from '../rule.js'
import { assertNoAliasBomb, isMap, isScalar, isSeq, parseYaml, type Node, type YamlFile } from '../parse/yaml.js'
import { HELM } from './meta.js'

interface Visit {
  path: string[]
  key: string
  keyNode: Node
  value: unknown
}

/** Every key/value pair of the document, depth first, with its key path. */
function* walk(node: unknown, path: string[] = []): Generator<Visit> {
  // A component switched off by default (`enabled: false`) installs nothing its values could harm.
  if (isMap(node) && scalar(node.get('enabled', true)) === 'false') return
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue
      const key = String(pair.key.value)
      yield { path, key, keyNode: pair.key as Node, value: pair.value }
      yield* walk(pair.value, [...path, key])
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) yield* walk(item, [...path, `[${i}]`])
  }
}

const scalar = (v: unknown): string | undefined => (isScalar(v) && v.value !== null && v.value !== undefined ? String(v.value) : undefined)
const isEmptyMap = (v: unknown): boolean => isMap(v) && v.items.length === 0
const inSecurityContext = (path: string[]): boolean => path.some((k) => /securitycontext$/i.test(k))
const dotted = (path: string[], key: string): string => [...path, key].join('.').replace(/\.\[/g, '[')

export function checkValues(path: string, content: string): Finding[] {
  const yaml: YamlFile = parseYaml(content)
  const out: Finding[] = []
  const report = reporterFor(Object.values(HELM), path, 'helm')
  const add = (meta: RuleMeta, v: Visit, message: string): void => {
    out.push(report(meta, yaml.lineOf(v.keyNode), message))
  }
  for (const doc of yaml.docs) {
    assertNoAliasBomb(yaml, doc)
    for (const v of walk(doc.contents)) {
      const at = `\`${dotted(v.path, v.key)}\``
      const value = scalar(v.value)
      if (v.key === 'tag' && value === 'latest') {
        add(HELM.valuesImageLatest, v, `chart default ${at} is \`latest\``)
      } else if (v.key === 'image' && value !== undefined && /:latest$/.test(value)) {
        add(HELM.valuesImageLatest, v, `chart default ${at} uses the \`latest\` tag`)
      } else if (v.key === 'privileged' && value === 'true' && inSecurityContext(v.path)) {
        add(HELM.valuesPrivileged, v, `chart default ${at} runs the containers privileged`)
      } else if (v.key === 'runAsUser' && value === '0' && inSecurityContext(v.path)) {
        add(HELM.valuesRunAsRoot, v, `chart default ${at} runs the containers as UID 0 (root)`)
      } else if (/securitycontext$/i.test(v.key) && isEmptyMap(v.value)) {
        add(HELM.valuesEmptySecurityContext, v, `hardening: chart default ${at} is empty, so pods run with the image user and runtime defaults`)
      } else if (v.key === 'resources' && isEmptyMap(v.value)) {
        add(HELM.valuesNoResources, v, `chart default ${at} is empty: no requests or limits unless the installer sets them`)
      } else if (/^(liveness|readiness)Probe$/.test(v.key) && (isEmptyMap(v.value) || scalar(isMap(v.value) ? v.value.get('enabled', true) : undefined) === 'false')) {
        add(HELM.valuesProbeDisabled, v, `chart default ${at} is ${isEmptyMap(v.value) ? 'empty' : 'disabled'}`)
      }
    }
  }
  return out
}
