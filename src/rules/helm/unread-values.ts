/**
 * Values of a chart's values.yaml that no template of the chart reads: a secret literal there
 * (`db.password: katib` beside templates that read only `database.*`) sets no credential of any
 * install. Read from the templates' text (see `readByNoTemplate`), only when the chart's own
 * templates are in view and the key is not one a subchart reads (its dependency's key, `global`).
 */
import type { SourceFile } from '../../types.js'
import { isMap, isScalar, parseYaml, type Node } from '../parse/yaml.js'
import { chartPath, type Chart } from './charts.js'
import { dependenciesOf } from './subcharts.js'
import { readByNoTemplate, type ChartTemplates } from './template-uses.js'

/**
 * The key path of the values.yaml entry whose key sits on `line` (`['db', 'password']`), or
 * undefined when the line holds none, lies inside a list, or the file does not parse.
 */
export function valuesKeyPathAt(text: string, line: number): string[] | undefined {
  let yaml: ReturnType<typeof parseYaml>
  try {
    yaml = parseYaml(text)
  } catch {
    return undefined
  }
  let node: unknown = yaml.docs[0]?.contents
  const path: string[] = []
  while (isMap(node)) {
    // The entry whose lines hold `line`: its key's line up to its value's last line.
    const pair = node.items.find((p) => isScalar(p.key) && yaml.lineOf(p.key) <= line && line <= yaml.endLineOf(p.value ?? p.key))
    if (!pair || !isScalar(pair.key)) return undefined
    path.push(String(pair.key.value))
    if (yaml.lineOf(pair.key) === line) return path
    node = pair.value as Node | null
  }
  return undefined
}

/** Top-level keys of values.yaml that other charts read: subcharts' own keys, `global`, and `exports` (which a parent imports). */
function keysReadElsewhere(chart: Chart, files: readonly SourceFile[]): Set<string> | undefined {
  const keys = new Set(['global', 'exports'])
  for (const f of chart.files) {
    if (/^(Chart|requirements)\.ya?ml$/.test(chartPath(chart, f.path))) for (const dep of dependenciesOf(f.content)) keys.add(dep.key)
  }
  const prefix = chart.root === '' ? 'charts/' : `${chart.root}/charts/`
  for (const f of files) {
    if (!f.path.startsWith(prefix)) continue
    const name = f.path.slice(prefix.length).split('/')[0]!
    // A packed subchart's file name carries its version, and its key may differ: not known.
    if (name.endsWith('.tgz') && !f.path.slice(prefix.length).includes('/')) return undefined
    keys.add(name)
  }
  return keys
}

/**
 * The key path of the chart's values.yaml entry on `line` when no template of the chart reads it
 * (see `readByNoTemplate`), or undefined when one may, or when that is not known: the chart's
 * Chart.yaml or templates are not in view, a subchart may read the key, or a packed subchart hides its key.
 */
export function unreadValueAt(chart: Chart, files: readonly SourceFile[], valuesText: string, line: number, templates: ChartTemplates): string[] | undefined {
  const inView = chart.files.some((f) => /^Chart\.ya?ml$/.test(chartPath(chart, f.path))) && chart.files.some((f) => chartPath(chart, f.path).startsWith('templates/'))
  if (!inView) return undefined
  const path = valuesKeyPathAt(valuesText, line)
  if (!path) return undefined
  const elsewhere = keysReadElsewhere(chart, files)
  if (!elsewhere || elsewhere.has(path[0]!)) return undefined
  return readByNoTemplate(path, templates) ? path : undefined
}
