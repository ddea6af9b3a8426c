/**
 * Other tools' output, read once per run: SARIF files (a glob or several), a Terraform plan and an
 * Infracost JSON, made by earlier steps of the job (or given on the command line). Each file that
 * cannot be read or parsed becomes a note naming it; nothing else is lost.
 */
import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import { glob } from 'tinyglobby'
import type { FileNote, Finding, RuleMeta, SourceFile } from '../types.js'
import type { CostSettings } from '../settings/types.js'
import { importSarif, mergeImported, type ImportedFinding } from './sarif.js'
import { importInfracost, costThresholdFindings, type CostReport } from './infracost.js'
import { importTerraformPlan, planVariablesFile } from './tfplan.js'

export { IMPORT_RULES } from './rules.js'
export type { CostReport } from './infracost.js'

/** Files larger than this are not read: no scanner's result for one pull request needs more. */
const MAX_IMPORT_BYTES = 50 * 1024 * 1024

export interface ImportInputs {
  /** SARIF files or globs, relative to `root`. */
  sarif: readonly string[]
  terraformPlan?: string
  infracost?: string
}

export interface ImportContext {
  /** The workspace (action) or the current directory (CLI): relative inputs are read from here. */
  root: string
  /** Repository paths that exist (changed files and context), to resolve SARIF locations. */
  knownPaths: ReadonlySet<string>
  /** Terraform files to anchor plan findings on. */
  files: readonly SourceFile[]
  cost: CostSettings
}

export interface Imports {
  /** SARIF results, not merged yet (see `withImports`). */
  sarif: ImportedFinding[]
  /** Findings of the plan and of the cost thresholds. */
  findings: Finding[]
  cost?: CostReport
  notes: FileNote[]
  /** Files to analyse as context only (the plan's variable values). */
  contextFiles: SourceFile[]
}

export const NO_IMPORTS: Imports = { sarif: [], findings: [], notes: [], contextFiles: [] }

export function hasImports(inputs: ImportInputs): boolean {
  return inputs.sarif.length > 0 || inputs.terraformPlan !== undefined || inputs.infracost !== undefined
}

async function readInput(root: string, file: string, what: string): Promise<{ text?: string; note?: FileNote }> {
  const path = isAbsolute(file) ? file : join(root, file)
  const shown = isAbsolute(file) ? file : relative(root, path) || file
  try {
    const info = await stat(path)
    if (!info.isFile()) return { note: { path: shown, reason: 'unavailable', message: `${shown}: the ${what} is not a file` } }
    if (info.size > MAX_IMPORT_BYTES) return { note: { path: shown, reason: 'too-large', message: `${shown}: the ${what} is larger than 50 MiB, not read` } }
    return { text: await readFile(path, 'utf8') }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'does not exist (did the step that writes it run?)' : (e as Error).message
    return { note: { path: shown, reason: 'unavailable', message: `${shown}: the ${what} ${why}` } }
  }
}

/** SARIF inputs: each a file or a glob; a glob that matches nothing is a note, not an error. */
async function sarifFiles(root: string, patterns: readonly string[], notes: FileNote[]): Promise<string[]> {
  const files: string[] = []
  for (const pattern of patterns) {
    if (!/[*?[{]/.test(pattern)) {
      files.push(pattern)
      continue
    }
    const matched = (await glob(pattern, { cwd: root, onlyFiles: true, dot: true, expandDirectories: false })).sort()
    if (matched.length === 0) notes.push({ path: pattern, reason: 'unavailable', message: `${pattern}: no SARIF file matches` })
    files.push(...matched)
  }
  return [...new Set(files)]
}

export async function readImports(inputs: ImportInputs, ctx: ImportContext): Promise<Imports> {
  const out: Imports = { sarif: [], findings: [], notes: [], contextFiles: [] }
  for (const file of await sarifFiles(ctx.root, inputs.sarif, out.notes)) {
    const read = await readInput(ctx.root, file, 'SARIF file')
    if (read.note) out.notes.push(read.note)
    if (read.text === undefined) continue
    const r = importSarif(read.text, file, { knownPaths: ctx.knownPaths, workspacePrefixes: [ctx.root] })
    out.sarif.push(...r.findings)
    out.notes.push(...r.notes)
  }
  if (inputs.terraformPlan) {
    const read = await readInput(ctx.root, inputs.terraformPlan, 'Terraform plan')
    if (read.note) out.notes.push(read.note)
    if (read.text !== undefined) {
      const r = importTerraformPlan(read.text, inputs.terraformPlan, ctx.files)
      out.findings.push(...r.findings)
      out.notes.push(...r.notes)
      const vars = planVariablesFile(read.text, ctx.files)
      if (vars) out.contextFiles.push(vars)
    }
  }
  if (inputs.infracost) {
    const read = await readInput(ctx.root, inputs.infracost, 'Infracost JSON')
    if (read.note) out.notes.push(read.note)
    if (read.text !== undefined) {
      const r = importInfracost(read.text, inputs.infracost)
      out.notes.push(...r.notes)
      if (r.report) {
        out.cost = r.report
        out.findings.push(...costThresholdFindings(r.report, ctx.cost))
      }
    }
  }
  return out
}

/**
 * Preflight's findings with the imported ones: SARIF results merged where a rule's `refs` name
 * them at the same place, the rest added; `onlyPaths` (review mode) keeps SARIF results on the
 * changed files only, like Preflight's own.
 */
export function withImports(own: Finding[], imports: Imports, rules: readonly RuleMeta[], onlyPaths?: ReadonlySet<string>): Finding[] {
  const keep = (f: { path: string }) => !onlyPaths || onlyPaths.has(f.path)
  const merged = mergeImported(own, imports.sarif.filter(keep), rules)
  // The plan's and Infracost's findings are about this change's effect wherever they land.
  return [...merged, ...imports.findings]
}
