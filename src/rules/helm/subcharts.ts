/**
 * Subcharts a chart's default install leaves out: a dependency of its Chart.yaml whose
 * `condition:` is false with the chart's `values.yaml`. A default written under such a
 * subchart's key of values.yaml (`minio.rootPassword`) applies only to installs that enable it.
 */
import { isMap, isScalar, parseYaml, toPlain } from '../parse/yaml.js'
import { lookup } from './template-conditions.js'

/** A dependency a default install leaves out: its key in values.yaml and the switch that turns it on. */
export interface SubchartOff {
  /** The top-level key of values.yaml holding its values: its `alias`, else its `name`. */
  key: string
  /** The value path that turns it on (`minio.enabled`). */
  switch: string
  /** The line range of its block in values.yaml (the key's line to the value's last line). */
  from: number
  to: number
}

/** A dependency of Chart.yaml as far as this reading needs it. */
interface Dependency {
  key: string
  condition?: string
}

/** The dependencies of a Chart.yaml, or [] when it has none or does not parse. */
function dependenciesOf(chartYaml: string): Dependency[] {
  let plain: unknown
  try {
    const doc = parseYaml(chartYaml).docs[0]
    plain = doc ? toPlain(doc) : undefined
  } catch {
    return []
  }
  const list = (plain as { dependencies?: unknown } | null)?.dependencies
  if (!Array.isArray(list)) return []
  const out: Dependency[] = []
  for (const d of list as unknown[]) {
    if (d === null || typeof d !== 'object') continue
    const { name, alias, condition } = d as Record<string, unknown>
    const key = typeof alias === 'string' && alias !== '' ? alias : typeof name === 'string' ? name : undefined
    if (key) out.push({ key, ...(typeof condition === 'string' ? { condition } : {}) })
  }
  return out
}

/**
 * The switch that leaves a dependency out by default, or undefined when a default install renders
 * it (or may). Helm reads a `condition` as comma-separated value paths and obeys the first that
 * holds a boolean. With no condition Helm always renders it (`<key>.enabled` then switches nothing
 * unless the subchart's own templates read it), and `tags` are not read: both count as on.
 */
function switchedOff(dep: Dependency, defaults: unknown): string | undefined {
  if (dep.condition === undefined) return undefined
  const paths = dep.condition.split(',').map((p) => p.trim()).filter((p) => p !== '')
  for (const path of paths) {
    const value = lookup(defaults, path.split('.'))?.value
    if (typeof value === 'boolean') return value ? undefined : path
  }
  return undefined
}

/**
 * The subcharts of a chart that a default install leaves out, with where their values sit in
 * `values` (the chart's values.yaml text); [] when either file does not parse.
 */
export function subchartsOffByDefault(chartYaml: string, values: string): SubchartOff[] {
  const deps = dependenciesOf(chartYaml)
  if (deps.length === 0) return []
  let yaml: ReturnType<typeof parseYaml>
  let defaults: unknown
  try {
    yaml = parseYaml(values)
    const doc = yaml.docs[0]
    if (!doc) return []
    defaults = toPlain(doc)
  } catch {
    return []
  }
  const root = yaml.docs[0]!.contents
  if (!isMap(root)) return []
  const out: SubchartOff[] = []
  for (const dep of deps) {
    const on = switchedOff(dep, defaults)
    if (on === undefined) continue
    const pair = root.items.find((p) => isScalar(p.key) && String(p.key.value) === dep.key)
    if (!pair || pair.value === null) continue
    out.push({ key: dep.key, switch: on, from: yaml.lineOf(pair.key), to: yaml.endLineOf(pair.value) })
  }
  return out
}
