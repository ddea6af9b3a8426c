/**
 * Helm charts in the analysed file list: each chart with a changed file is rendered (`helm
 * template`, or manifests an earlier step rendered into `helm-rendered-dir`) and judged by the
 * Kubernetes rules, findings mapped back to the templates. Without helm, or when rendering
 * fails, one note per chart says its templates were not analysed and the `values.yaml`
 * defaults are checked instead.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Finding, FileNote, RuleMeta, SourceFile } from '../../types.js'
import { defineLanguage } from '../language.js'
import { UndeclaredRuleError, type Check } from '../rule.js'
import { chartPath, chartsOf, helmContextPathsFor, type Chart } from './charts.js'
import { HELM } from './meta.js'
import { renderChart, type RenderOptions } from './render.js'
import { analyzeRendered, splitRendered, type RenderedTemplate } from './rendered.js'
import { checkValues, valuesChecks, type ValueInContext } from './values.js'
import { chartTemplates, helperOffByDefault, offByDefaultAt } from './template-uses.js'
import { parseYaml, toPlain } from '../parse/yaml.js'
import { lineStarts } from '../secrets/assignments.js'
import { CHART_DEFAULT, subchartDefault } from '../secrets/keys.js'
import { subchartsOffByDefault, type SubchartOff } from './subcharts.js'

export { helmContextPathsFor } from './charts.js'
export const helmRules: RuleMeta[] = Object.values(HELM)

/**
 * The checks of the Helm rules, each with the rules it may report: they read a chart's
 * `values.yaml` when its templates were not rendered. Rendered templates are judged by the
 * Kubernetes checks, under the Kubernetes rules.
 */
export const helmChecks: Check<ValueInContext, Finding | undefined>[] = valuesChecks

export interface HelmOptions {
  /** Folder of manifests rendered by an earlier step (`helm template … > dir/x.yaml` or `--output-dir`). */
  renderedDir?: string
  render?: RenderOptions
}

export interface HelmResult {
  findings: Finding[]
  notes: FileNote[]
}

/** The chart's name from its Chart.yaml (`name:`), else its folder name. */
function chartName(chart: Chart): string {
  const chartYaml = chart.files.find((f) => /^Chart\.ya?ml$/.test(chartPath(chart, f.path)))
  const m = chartYaml ? /^name:\s*["']?([^"'\s#]+)/m.exec(chartYaml.content) : null
  return m?.[1] ?? chart.root.split('/').pop() ?? ''
}

const labelOf = (chart: Chart): string => `chart \`${chart.root || '.'}\``

/** Reads every YAML file under the rendered-manifests folder into one stream. */
async function readRenderedDir(dir: string): Promise<string> {
  const parts: string[] = []
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name)
      if (e.isDirectory()) await walk(p)
      else if (/\.ya?ml$/i.test(e.name)) parts.push(await readFile(p, 'utf8'))
    }
  }
  await walk(dir)
  return parts.join('\n---\n')
}

export async function analyzeCharts(files: readonly SourceFile[], opts: HelmOptions = {}): Promise<HelmResult> {
  const all = chartsOf(files)
  const charts = all.filter((c) => c.files.some((f) => f.kind === 'helm' && !f.contextOnly))
  const out: HelmResult = { findings: [], notes: [] }
  out.findings.push(...orphanFindings(files, all, out.notes))
  if (charts.length === 0) return out

  let prerendered: Map<string, RenderedTemplate[]> | undefined
  if (opts.renderedDir) {
    try {
      prerendered = new Map(splitRendered(await readRenderedDir(opts.renderedDir)).map((c) => [c.chart, c.templates]))
    } catch (e) {
      out.notes.push({ path: opts.renderedDir, reason: 'unavailable', message: `helm-rendered-dir ${opts.renderedDir}: cannot be read: ${(e as Error).message}` })
    }
  }

  let helmMissing = false
  for (const chart of charts) {
    const name = chartName(chart)
    const given = prerendered?.get(name)
    if (given) {
      out.findings.push(...analyzeRendered(chart, given))
      continue
    }
    const hasChartYaml = chart.files.some((f) => /^Chart\.ya?ml$/.test(chartPath(chart, f.path)))
    let why: string
    if (!hasChartYaml) {
      why = 'its Chart.yaml is not among the files read'
    } else if (helmMissing) {
      why = 'no `helm` executable on PATH'
    } else {
      const result = await renderChart(
        chart.files.map((f) => ({ path: chartPath(chart, f.path), content: f.content })),
        opts.render
      )
      if (result.ok) {
        out.findings.push(...analyzeRendered(chart, splitRendered(result.output).find((c) => c.chart === name)?.templates ?? []))
        continue
      }
      if (result.reason === 'missing-helm') helmMissing = true
      why = result.message
    }
    const notePath = chart.files.find((f) => /^Chart\.ya?ml$/.test(chartPath(chart, f.path)))?.path ?? chart.root
    out.notes.push({
      path: notePath,
      reason: helmMissing ? 'unavailable' : 'error',
      message: `${labelOf(chart)}: templates were not analysed (${why}); only the defaults in values.yaml were checked`
    })
    out.findings.push(...valuesFindings(chart, out.notes))
  }
  const contextOnly = new Set(files.filter((f) => f.contextOnly).map((f) => f.path))
  return { findings: out.findings.filter((f) => !contextOnly.has(f.path)), notes: out.notes }
}

/**
 * Helm files outside any chart folder of the list (a values file changed on its own, a values
 * override kept next to a deploy script): values files get the defaults checks, the rest a note.
 */
function orphanFindings(files: readonly SourceFile[], charts: Chart[], notes: FileNote[]): Finding[] {
  const owned = new Set(charts.flatMap((c) => c.files.map((f) => f.path)))
  const out: Finding[] = []
  for (const f of files) {
    if (f.kind !== 'helm' || f.contextOnly || owned.has(f.path)) continue
    if (/(^|\/)values[^/]*\.ya?ml$/i.test(f.path)) {
      try {
        out.push(...checkValues(f.path, f.content.replace(/\r\n?/g, '\n')))
      } catch (e) {
        if (e instanceof UndeclaredRuleError) throw e // a bug of the check, not a file that does not parse
        notes.push({ path: f.path, reason: 'parse', message: `${f.path}: could not be parsed: ${(e as Error).message}` })
      }
    } else {
      notes.push({ path: f.path, reason: 'unavailable', message: `${f.path}: Helm file outside a chart folder of this change, not analysed beyond the secret scan` })
    }
  }
  return out
}

function valuesFindings(chart: Chart, notes: FileNote[]): Finding[] {
  const values = chart.files.find((f) => /^values\.ya?ml$/.test(chartPath(chart, f.path)))
  if (!values || values.contextOnly) return []
  try {
    return checkValues(values.path, values.content.replace(/\r\n?/g, '\n'), undefined, chartTemplates(chart.files))
  } catch (e) {
    if (e instanceof UndeclaredRuleError) throw e // a bug of the check, not a file that does not parse
    notes.push({ path: values.path, reason: 'parse', message: `${values.path}: could not be parsed: ${(e as Error).message}` })
    return []
  }
}

/**
 * The secret scan's findings on chart templates, each lowered when the template renders its line
 * only under conditions false with the chart's `values.yaml` (a development-only Secret, the
 * `else` of `usePasswordFiles`): a default install holds none of it. A Secret read into an env
 * variable then does not happen by default: info. A literal is still committed and applies to
 * every install that sets the condition: one step lower (critical and high to medium, medium to
 * low), never below low. The message says what must be set, in place of a severity it gave.
 * Its findings on a chart's values.yaml that call a value the chart's default shared by every
 * install: low when the value sits under the key of a subchart a default install leaves out (see
 * ./subcharts.ts), the message saying which switch turns it on.
 */
const LOWERED: Record<Finding['severity'], Finding['severity']> = { critical: 'medium', high: 'medium', medium: 'low', low: 'low', info: 'info' }

export function lowerOffByDefault(findings: Finding[], files: readonly SourceFile[]): Finding[] {
  const onTemplates = (f: Finding): boolean => f.ruleId.startsWith('secrets/') && /(^|\/)templates\//.test(f.path)
  const onValues = (f: Finding): boolean => f.ruleId.startsWith('secrets/') && /(^|\/)values\.ya?ml$/.test(f.path) && f.message.includes(CHART_DEFAULT)
  if (!findings.some((f) => onTemplates(f) || onValues(f))) return findings
  const byPath = new Map(files.filter((f) => f.kind === 'helm').map((f) => [f.path, f]))
  const charts = chartsOf(files)
  // Each chart's subcharts off by default, read once.
  const offSubcharts = new Map<Chart, SubchartOff[]>()
  const subchartsOf = (chart: Chart): SubchartOff[] => {
    let off = offSubcharts.get(chart)
    if (!off) {
      const chartYaml = chart.files.find((f) => /^Chart\.ya?ml$/.test(chartPath(chart, f.path)))
      const values = chart.files.find((f) => /^values\.ya?ml$/.test(chartPath(chart, f.path)))
      offSubcharts.set(chart, (off = chartYaml && values ? subchartsOffByDefault(chartYaml.content.replace(/\r\n?/g, '\n'), values.content.replace(/\r\n?/g, '\n')) : []))
    }
    return off
  }
  const defaultsOf = new Map<Chart, unknown>()
  const chartDefaults = (chart: Chart): unknown => {
    if (!defaultsOf.has(chart)) {
      const values = chart.files.find((f) => /^values\.ya?ml$/.test(chartPath(chart, f.path)))
      let defaults: unknown
      try {
        const doc = values ? parseYaml(values.content.replace(/\r\n?/g, '\n')).docs[0] : undefined
        defaults = doc ? toPlain(doc) : undefined
      } catch {
        defaults = undefined // values.yaml that does not parse is a note of its own
      }
      defaultsOf.set(chart, defaults)
    }
    return defaultsOf.get(chart)
  }
  // Each template read once, however many findings it holds.
  const readers = new Map<SourceFile, { text: string; starts: number[]; offWhen: (at: number) => string | undefined }>()
  // Per chart, where its named templates are included: a helper's text renders only there.
  const helpersOf = new Map<Chart, (name: string) => string | undefined>()
  const readerOf = (file: SourceFile, chart: Chart, defaults: unknown) => {
    let reader = readers.get(file)
    if (!reader) {
      let helperOff = helpersOf.get(chart)
      if (!helperOff) {
        const own = new Set(chart.files.filter((f) => /(^|\/)templates\//.test(chartPath(chart, f.path))))
        const texts = [...own].map((f) => f.content.replace(/\r\n?/g, '\n'))
        const elsewhere = [...byPath.values()].filter((f) => !own.has(f)).map((f) => f.content)
        helpersOf.set(chart, (helperOff = helperOffByDefault(texts, defaults, elsewhere)))
      }
      const text = file.content.replace(/\r\n?/g, '\n')
      readers.set(file, (reader = { text, starts: lineStarts(text), offWhen: offByDefaultAt(text, defaults, helperOff) }))
    }
    return reader
  }
  /** A chart default of values.yaml under the key of a subchart a default install leaves out: low, saying so. */
  const underSubchartOff = (f: Finding): Finding => {
    const file = byPath.get(f.path)
    const chart = file ? charts.find((c) => c.files.includes(file)) : undefined
    if (!chart || !/^values\.ya?ml$/.test(chartPath(chart, f.path)) || f.severity === 'low' || f.severity === 'info') return f
    const sub = subchartsOf(chart).find((s) => s.from <= f.line && f.line <= s.to)
    return sub ? { ...f, severity: 'low', message: f.message.replace(CHART_DEFAULT, subchartDefault(sub.key, sub.switch)) } : f
  }
  return findings.map((f) => {
    if (onValues(f)) return underSubchartOff(f)
    const file = onTemplates(f) ? byPath.get(f.path) : undefined
    const chart = file ? charts.find((c) => c.files.includes(file)) : undefined
    const defaults = chart ? chartDefaults(chart) : undefined
    if (!file || !chart || defaults === undefined) return f
    const { text, starts, offWhen } = readerOf(file, chart, defaults)
    const lineStart = starts[f.line - 1]
    if (lineStart === undefined) return f
    const when = offWhen(lineStart + /^[ \t]*/.exec(text.slice(lineStart, lineStart + 200))![0].length)
    if (!when) return f
    const severity = f.ruleId === 'secrets/k8s-secret-env-var' ? 'info' : LOWERED[f.severity]
    const said = f.message.replace(/ \((?:critical|high|medium|low)\)(\.?)$/, '$1')
    return { ...f, severity, message: `${said} (${severity}: the template renders this only when ${when}, not with the chart's defaults)` }
  })

}

/**
 * Helm templates are Go templates, not YAML: there is no per-file analysis. Charts are rendered
 * as a whole, once per run (`analyzeCharts`, called by the engine with the Helm options).
 */
export const helm = defineLanguage({
  kind: 'helm',
  rules: helmRules,
  checks: helmChecks,
  contextPaths: helmContextPathsFor,
  plan: {
    verify: '`helm template` renders the intended fields; `helm diff upgrade` (or a dry run) shows nothing else',
    rollback: 'Run `helm rollback <release> <previous-revision>`; `helm history <release>` lists the revisions.'
  },
  secretsDialect: 'yaml'
})
