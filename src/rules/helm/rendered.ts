/**
 * Rendered chart output back to the chart's files: the stream is split at each document's
 * `# Source: <chart>/templates/x.yaml` header, every template's documents are analysed as one
 * Kubernetes manifest set (the whole release is deployed together), and each finding is moved to
 * the template line that holds its key, or to the template file itself when no line does.
 */
import { commentStart } from '../../settings/blocks.js'
import type { Finding, SourceFile } from '../../types.js'
import { analyzeKubernetes, buildManifestSets } from '../k8s/index.js'
import type { Chart } from './charts.js'
import { chartPath } from './charts.js'

export interface RenderedTemplate {
  /** Path after the chart name in the `# Source:` header: `templates/deployment.yaml`. */
  source: string
  content: string
}

/** The `# Source: <chart>/<template>` header of a rendered document (no regex: the line is PR text). */
function sourceOf(chunk: string): { chart: string; source: string } | undefined {
  for (const line of chunk.split('\n')) {
    if (!line.startsWith('# Source: ')) continue
    const rest = line.slice('# Source: '.length).trim()
    const slash = rest.indexOf('/')
    if (slash <= 0 || slash === rest.length - 1) return undefined
    return { chart: rest.slice(0, slash), source: rest.slice(slash + 1) }
  }
  return undefined
}

/** Groups the documents of a rendered stream by the template they came from, in order. */
export function splitRendered(output: string): { chart: string; templates: RenderedTemplate[] }[] {
  const byChart = new Map<string, Map<string, string[]>>()
  for (const chunk of output.replace(/\r\n?/g, '\n').split(/^---[ \t]*$/m)) {
    const m = sourceOf(chunk)
    if (!m) continue
    const { chart, source } = m
    const templates = byChart.get(chart) ?? new Map<string, string[]>()
    templates.set(source, [...(templates.get(source) ?? []), chunk.replace(/^\n/, '')])
    byChart.set(chart, templates)
  }
  return [...byChart].map(([chart, templates]) => ({
    chart,
    templates: [...templates].map(([source, docs]) => ({ source, content: docs.join('---\n') }))
  }))
}

/** `key: rest` of a trimmed line (also as a list item `- key: rest`); the key holds no space or colon. */
const KEY = /^(?:-[ \t]+)?["']?([A-Za-z0-9_./-]+)["']?[ \t]*:(.*)$/

/** The key of a YAML line and the text after its colon (trimmed), or undefined. */
function keyOf(line: string): [key: string, rest: string] | undefined {
  const m = KEY.exec(line.trim())
  return m ? [m[1], m[2].trim()] : undefined
}

/** Lines of `text` whose key is `key` (1-based), with the text after the colon. */
function keyLines(text: string, key: string): { line: number; rest: string }[] {
  const out: { line: number; rest: string }[] = []
  text.split('\n').forEach((l, i) => {
    const m = keyOf(l)
    if (m && m[0] === key) out.push({ line: i + 1, rest: m[1] })
  })
  return out
}

interface Anchor {
  path: string
  line: number
  anchored: boolean
}

/** Keys of the lines before `line`, nearest first, at most `n` distinct. */
function keysBefore(lines: string[], line: number, n: number, floor = 1): string[] {
  const out: string[] = []
  for (let i = line - 1; i >= floor && out.length < n; i--) {
    const m = keyOf(lines[i - 1] ?? '')
    if (m && !out.includes(m[0])) out.push(m[0])
  }
  return out
}

/** How alike two nearest-first key lists are: a key both share counts more the nearer it is on both sides. */
function closeness(a: string[], b: string[]): number {
  let score = 0
  a.forEach((k, i) => {
    const j = b.indexOf(k)
    if (j >= 0) score += 1 / (1 + i + j)
  })
  return score
}

const unquote = (v: string): string => {
  const at = commentStart(v, false)
  const code = at === undefined || at === 0 ? v : v.slice(0, at).trimEnd()
  return code.replace(/^["']|["']$/g, '')
}

/**
 * The chart line that most likely produced a rendered line. Candidates hold the same key, in the
 * template, then its helpers (`_*.tpl`, where pod specs often live), then `values.yaml` (only
 * with the same value: `toYaml` of a values block renders its keys verbatim, so `runAsUser: 0`
 * is anchored on the default). The best has the same literal value, then the keys just above it most
 * like those above the rendered line, then comes first in that order, then sits at the nearest
 * relative position. No candidate: the template file itself.
 */
export function anchorOf(template: SourceFile, helpers: SourceFile[], rendered: string, renderedLine: number, values?: SourceFile): Anchor {
  const renderedLines = rendered.split('\n')
  const m = keyOf(renderedLines[renderedLine - 1] ?? '')
  if (!m) return { path: template.path, line: 1, anchored: false }
  const [key, value] = m
  const literal = unquote(value)
  const context = keysBefore(renderedLines, renderedLine, 6)
  const position = renderedLine / Math.max(1, renderedLines.length)
  type Candidate = { path: string; line: number; same: boolean; score: number; order: number; distance: number }
  const candidates: Candidate[] = []
  const files = [template, ...helpers, ...(values ? [values] : [])]
  files.forEach((file, order) => {
    const lines = file.content.split('\n')
    for (const c of keyLines(file.content, key)) {
      const same = literal !== '' && unquote(c.rest) === literal
      if (file === values && !same) continue
      const before = keysBefore(lines, c.line, 12, Math.max(1, c.line - 20))
      const score = closeness(context, before)
      candidates.push({ path: file.path, line: c.line, same, score, order, distance: Math.abs(c.line / Math.max(1, lines.length) - position) })
    }
  })
  if (candidates.length === 0) return { path: template.path, line: 1, anchored: false }
  candidates.sort((a, b) => Number(b.same) - Number(a.same) || b.score - a.score || a.order - b.order || a.distance - b.distance)
  return { path: candidates[0].path, line: candidates[0].line, anchored: true }
}

/**
 * Analyses the rendered templates of one chart and maps findings to the chart's files. Findings
 * of templates that are not in the list (vendored subcharts) or that are plain manifests
 * (analysed directly already) are left out.
 */
export function analyzeRendered(chart: Chart, templates: RenderedTemplate[]): Finding[] {
  const byRel = new Map(chart.files.map((f) => [chartPath(chart, f.path), f]))
  const helpers = chart.files.filter((f) => /(^|\/)templates\/_[^/]*\.tpl$/.test(chartPath(chart, f.path)))
  const values = chart.files.find((f) => /^values\.ya?ml$/.test(chartPath(chart, f.path)))
  // One virtual folder for the release: a PDB or NetworkPolicy from any template counts.
  const folder = `${chart.root ? `${chart.root}/` : ''}.preflight-rendered`
  const virtual = templates.map((t, i) => ({ template: t, file: { path: `${folder}/${i}.yaml`, kind: 'kubernetes' as const, content: t.content } }))
  // Pod Security labels are not read: what they hold after rendering may come from values the release overrides.
  const sets = buildManifestSets(virtual.map((v) => v.file), 'the rendered chart', false)
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
      const anchor = anchorOf(original, helpers, template.content, f.line, values)
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
