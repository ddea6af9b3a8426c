/**
 * Rendered chart output back to the chart's files: the stream is split at each document's
 * `# Source: <chart>/templates/x.yaml` header, every template's documents are analysed as one
 * Kubernetes manifest set (the whole release is deployed together), and each finding is moved to
 * the template line that holds its key, or to the template file itself when no line does.
 */
import type { Finding, SourceFile } from '../../types.js'
import { analyzeKubernetes, buildManifestSets } from '../kubernetes.js'
import type { Chart } from './charts.js'
import { chartPath } from './charts.js'

export interface RenderedTemplate {
  /** Path after the chart name in the `# Source:` header: `templates/deployment.yaml`. */
  source: string
  content: string
}

/** Groups the documents of a rendered stream by the template they came from, in order. */
export function splitRendered(output: string): { chart: string; templates: RenderedTemplate[] }[] {
  const byChart = new Map<string, Map<string, string[]>>()
  for (const chunk of output.replace(/\r\n?/g, '\n').split(/^---[ \t]*$/m)) {
    const m = /^# Source: ([^/\n]+)\/(.+?)\s*$/m.exec(chunk)
    if (!m) continue
    const [, chart, source] = m
    const templates = byChart.get(chart) ?? new Map<string, string[]>()
    templates.set(source, [...(templates.get(source) ?? []), chunk.replace(/^\n/, '')])
    byChart.set(chart, templates)
  }
  return [...byChart].map(([chart, templates]) => ({
    chart,
    templates: [...templates].map(([source, docs]) => ({ source, content: docs.join('---\n') }))
  }))
}

const KEY = /^\s*(?:-\s+)?["']?([A-Za-z0-9_./-]+)["']?\s*:\s*(.*?)\s*$/

/** Lines of `text` whose key is `key` (1-based), with the text after the colon. */
function keyLines(text: string, key: string): { line: number; rest: string }[] {
  const out: { line: number; rest: string }[] = []
  text.split('\n').forEach((l, i) => {
    const m = KEY.exec(l)
    if (m && m[1] === key) out.push({ line: i + 1, rest: m[2] })
  })
  return out
}

interface Anchor {
  path: string
  line: number
  anchored: boolean
}

/**
 * The template line that most likely produced a rendered line: same key, the same literal value
 * when the template has it, else the one at the nearest relative position. Helpers (`_*.tpl`) of
 * the chart are searched when the template itself has no such key (pod specs often live there).
 */
export function anchorOf(template: SourceFile, helpers: SourceFile[], rendered: string, renderedLine: number): Anchor {
  const renderedLines = rendered.split('\n')
  const m = KEY.exec(renderedLines[renderedLine - 1] ?? '')
  if (m) {
    const [, key, value] = m
    const position = renderedLine / Math.max(1, renderedLines.length)
    for (const file of [template, ...helpers]) {
      let candidates = keyLines(file.content, key)
      if (candidates.length === 0) continue
      const literal = value.replace(/^["']|["']$/g, '')
      const sameValue = literal ? candidates.filter((c) => c.rest.replace(/^["']|["']$/g, '') === literal) : []
      if (sameValue.length) candidates = sameValue
      const total = Math.max(1, file.content.split('\n').length)
      const best = candidates.reduce((a, b) => (Math.abs(b.line / total - position) < Math.abs(a.line / total - position) ? b : a))
      return { path: file.path, line: best.line, anchored: true }
    }
  }
  return { path: template.path, line: 1, anchored: false }
}

/**
 * Analyses the rendered templates of one chart and maps findings to the chart's files. Findings
 * of templates that are not in the list (vendored subcharts) or that are plain manifests
 * (analysed directly already) are left out.
 */
export function analyzeRendered(chart: Chart, templates: RenderedTemplate[]): Finding[] {
  const byRel = new Map(chart.files.map((f) => [chartPath(chart, f.path), f]))
  const helpers = chart.files.filter((f) => /(^|\/)templates\/_[^/]*\.tpl$/.test(chartPath(chart, f.path)))
  // One virtual folder for the release: a PDB or NetworkPolicy from any template counts.
  const folder = `${chart.root ? `${chart.root}/` : ''}.preflight-rendered`
  const virtual = templates.map((t, i) => ({ template: t, file: { path: `${folder}/${i}.yaml`, kind: 'kubernetes' as const, content: t.content } }))
  const sets = buildManifestSets(virtual.map((v) => v.file), 'the rendered chart')
  const out: Finding[] = []
  const seen = new Set<string>()
  for (const { template, file } of virtual) {
    const original = byRel.get(template.source)
    if (!original || original.kind === 'kubernetes') continue
    let findings: Finding[]
    try {
      findings = analyzeKubernetes(file, sets)
    } catch {
      // Rendered output that does not parse is helm's problem, not the chart author's finding.
      continue
    }
    for (const f of findings) {
      const anchor = anchorOf(original, helpers, template.content, f.line)
      const key = `${f.ruleId}\u0000${anchor.path}\u0000${anchor.line}\u0000${f.message}`
      if (seen.has(key)) continue
      seen.add(key)
      const where = anchor.anchored ? '' : ` (line ${f.line} of its rendered output)`
      const mapped: Finding = { ...f, path: anchor.path, line: anchor.line, message: `${f.message}${where}`, via: 'chart rendered with its default values' }
      delete mapped.suggestion
      delete mapped.endLine
      out.push(mapped)
    }
  }
  return out
}
