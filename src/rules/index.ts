/**
 * The rule engine: runs the analyzer for each file's kind plus the secret scan on every file.
 * A file that cannot be analyzed becomes a note; it never stops the others.
 */
import type { AnalysisResult, FileKind, Finding, FileNote, RuleMeta, SourceFile } from '../types.js'
import { SEVERITY_RANK } from '../types.js'
import { analyzeDockerfile, dockerfileRules } from './dockerfile.js'
import { analyzeCompose, composeRules } from './compose.js'
import { analyzeWorkflow, workflowRules } from './workflow.js'
import { analyzeKubernetes, buildManifestSets, contextPathsFor as manifestContextPaths, kubernetesRules, type ManifestSets } from './kubernetes.js'
import { analyzeCloudformation, cloudformationRules } from './cloudformation.js'
import { analyzeTerraform, terraformRules } from './terraform.js'
import { scanSecrets, secretRules } from './secrets.js'
import { analyzeCharts, helmContextPathsFor, helmRules, type HelmOptions } from './helm/index.js'
import { ParseError } from './yaml.js'

/** What the engine learns from the whole file list before analysing any one file. */
export interface ProjectContext {
  manifests: ManifestSets
}

type Analyzer = (file: SourceFile, project?: ProjectContext) => Finding[] | Promise<Finding[]>

const ANALYZERS: Partial<Record<FileKind, Analyzer>> = {
  dockerfile: analyzeDockerfile,
  compose: analyzeCompose,
  workflow: analyzeWorkflow,
  kubernetes: (file, project) => analyzeKubernetes(file, project?.manifests),
  // Helm templates are Go templates, not YAML: charts are rendered as a whole (rules/helm).
  cloudformation: analyzeCloudformation,
  terraform: analyzeTerraform
}

export const ALL_RULES: RuleMeta[] = [
  ...dockerfileRules,
  ...composeRules,
  ...workflowRules,
  ...kubernetesRules,
  ...helmRules,
  ...cloudformationRules,
  ...terraformRules,
  ...secretRules
]

const RULES_BY_ID = new Map(ALL_RULES.map((r) => [r.id, r]))

export function ruleById(id: string): RuleMeta | undefined {
  return RULES_BY_ID.get(id)
}

/**
 * Files (given the repository tree) or globs (without one) whose content the analysis of a
 * changed file depends on: the other manifests of a Kubernetes folder, the whole chart of a
 * Helm file. PR mode reads them at head as `contextOnly` files.
 */
export function contextPathsForFile(file: { path: string; kind: FileKind }, treePaths?: readonly string[]): string[] {
  if (file.kind === 'kubernetes') return manifestContextPaths(file.path, treePaths)
  if (file.kind === 'helm') return helmContextPathsFor(file.path, treePaths)
  return []
}

/** Files above this size are not analyzed (a note says so). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024

/** Analyzes one file; never throws. `project` carries what other files of the list tell about it. */
export async function analyzeFile(file: SourceFile, project?: ProjectContext): Promise<AnalysisResult> {
  const notes: FileNote[] = []
  const findings: Finding[] = []
  const secretValues: string[] = []
  if (Buffer.byteLength(file.content, 'utf8') > MAX_FILE_BYTES) {
    notes.push({ path: file.path, reason: 'too-large', message: `${file.path}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, not analyzed` })
    return { findings, notes, secretValues }
  }
  if (file.content.includes('\u0000')) {
    notes.push({ path: file.path, reason: 'binary', message: `${file.path}: binary content, not analyzed` })
    return { findings, notes, secretValues }
  }
  const content = file.content.replace(/\r\n?/g, '\n')
  const normalized: SourceFile = { ...file, content }
  const analyzer = ANALYZERS[file.kind]
  if (analyzer) {
    try {
      findings.push(...(await analyzer(normalized, project)))
    } catch (e) {
      const reason = e instanceof ParseError || (e as Error)?.name === 'ParseError' ? 'parse' : 'error'
      const what = reason === 'parse' ? 'could not be parsed' : 'analyzer failed'
      notes.push({ path: file.path, reason, message: `${file.path}: ${what}: ${(e as Error)?.message ?? String(e)}` })
    }
  }
  try {
    const scan = await scanSecrets(normalized)
    findings.push(...scan.findings)
    secretValues.push(...scan.values)
    for (const w of scan.warnings ?? []) notes.push({ path: file.path, reason: 'error', message: w })
  } catch (e) {
    notes.push({ path: file.path, reason: 'error', message: `${file.path}: secret scan failed: ${(e as Error)?.message ?? String(e)}` })
  }
  return { findings: dedupeFindings(findings), notes, secretValues }
}

export interface AnalyzeOptions {
  /** Helm charts: rendering options and manifests rendered by an earlier step. */
  helm?: HelmOptions
}

/** Analyzes many files, in order; one broken file never stops the others. */
export async function analyzeFiles(files: SourceFile[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const out: AnalysisResult = { findings: [], notes: [], secretValues: [] }
  // Built once for the whole list: context-only files count here and nowhere else.
  const project: ProjectContext = { manifests: buildManifestSets(files) }
  for (const file of files) {
    if (file.contextOnly) continue
    const r = await analyzeFile(file, project)
    out.findings.push(...r.findings)
    out.notes.push(...r.notes)
    out.secretValues.push(...r.secretValues)
  }
  // Charts are rendered as a whole, once per analysis, never file by file.
  try {
    const charts = await analyzeCharts(files, options.helm)
    out.findings.push(...charts.findings)
    out.notes.push(...charts.notes)
  } catch (e) {
    out.notes.push({ path: '.', reason: 'error', message: `Helm charts were not analysed: ${(e as Error)?.message ?? String(e)}` })
  }
  out.findings.sort(compareFindings)
  out.secretValues = [...new Set(out.secretValues)]
  return out
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.path.localeCompare(b.path) ||
    a.line - b.line ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    a.ruleId.localeCompare(b.ruleId)
  )
}

/**
 * Drops exact repeats, and a generic `secrets/*` finding where a rule of the file's own kind
 * already reports a secret on the same line (the specific rule says more about the fix).
 */
function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>()
  const specificSecretLines = new Set(
    findings.filter((f) => f.category === 'secrets' && !f.ruleId.startsWith('secrets/')).map((f) => `${f.path}\u0000${f.line}`)
  )
  return findings.filter((f) => {
    const key = `${f.ruleId}\u0000${f.path}\u0000${f.line}`
    if (seen.has(key)) return false
    seen.add(key)
    return !(f.ruleId.startsWith('secrets/') && specificSecretLines.has(`${f.path}\u0000${f.line}`))
  })
}
