/**
 * Which chart a file belongs to. A chart is the folder holding `Chart.yaml`; when that file is
 * not in the list (a PR that only touched a template), the folder above `templates/` is used.
 */
import type { SourceFile } from '../../types.js'
import { folderOf } from '../../util/paths.js'

export interface Chart {
  /** Repository path of the chart folder (`''` for the root). */
  root: string
  /** Every file of the list under the chart folder (nested charts excluded). */
  files: SourceFile[]
}

const under = (root: string, path: string): boolean => root === '' || path.startsWith(`${root}/`)
const rel = (root: string, path: string): string => (root === '' ? path : path.slice(root.length + 1))

/** Chart folders: those holding a Chart.yaml, plus the parents of `templates/` of Helm files. */
export function chartRootsOf(files: readonly SourceFile[]): string[] {
  const roots = new Set<string>()
  for (const f of files) if (/(^|\/)Chart\.ya?ml$/.test(f.path)) roots.add(folderOf(f.path))
  for (const f of files) {
    if (f.kind !== 'helm' || [...roots].some((r) => owns(r, f.path, roots))) continue
    const m = /^(.*?)(?:^|\/)templates\//.exec(f.path)
    if (m) roots.add(m[1].replace(/\/$/, ''))
  }
  return [...roots].sort()
}

/** Whether `root` is the innermost chart folder containing `path`. */
function owns(root: string, path: string, roots: Set<string>): boolean {
  if (!under(root, path)) return false
  return ![...roots].some((other) => other !== root && other.length > root.length && under(root, other) && under(other, path))
}

/** Groups the files of the list by their innermost chart. */
export function chartsOf(files: readonly SourceFile[]): Chart[] {
  const roots = chartRootsOf(files)
  const set = new Set(roots)
  return roots.map((root) => ({ root, files: files.filter((f) => owns(root, f.path, set)) }))
}

/** The chart-relative path of a file of the chart. */
export const chartPath = (chart: Chart, path: string): string => rel(chart.root, path)

/**
 * The files a Helm file's analysis needs besides itself: every file of its chart folder (the
 * render reads templates, helpers, values and Chart.yaml together). Given the repository tree,
 * the paths; without one, a glob for the folder above `templates/` (or of Chart.yaml/values).
 */
export function helmContextPathsFor(path: string, treePaths?: readonly string[]): string[] {
  if (!treePaths) {
    const m = /^(.*?)(?:^|\/)templates\//.exec(path)
    const root = m ? m[1].replace(/\/$/, '') : /(^|\/)(Chart|values[^/]*)\.ya?ml$/.test(path) ? folderOf(path) : undefined
    return root === undefined ? [] : [root ? `${root}/**` : '**']
  }
  const roots = chartRootsOf(treePaths.map((p) => ({ path: p, kind: /\/templates\/|(^|\/)(Chart|values)\.ya?ml$/.test(p) ? 'helm' : 'other', content: '' })))
  const set = new Set(roots)
  const root = roots.filter((r) => owns(r, path, set)).sort((a, b) => b.length - a.length)[0]
  if (root === undefined) return []
  return treePaths.filter((p) => p !== path && owns(root, p, set))
}
