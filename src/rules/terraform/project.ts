/**
 * Terraform module context: a `.tf` file is read together with the other files of its directory
 * (one Terraform module). The project knows every variable default, `terraform.tfvars` /
 * `*.auto.tfvars` value and local, and gives each file a copy of its blocks in which `var.x` and
 * `local.x` are replaced by literals where they can be, remembering where each value came from,
 * so a finding that rests on one can say so (`finding.via`).
 */
import type { SourceFile } from '../../types.js'
import { copyKeyLines, isExpr, isObject, lineOfKey, type HclAttribute, type HclBlock, type HclFile, type HclValue } from '../parse/hcl.js'
import { parseTerraformFile } from './parse-file.js'
import { setOwn } from '../../util/lookup-table.js'
import { folderOf } from '../../util/paths.js'

/** How a value that a finding rests on was resolved (the words of `Finding.via`). */
export type Via = 'variable default' | 'tfvars' | 'terraform plan' | 'local value' | 'module input' | 'module default'

/**
 * The name of the variables file made from a saved plan (src/import/tfplan.ts): the values the
 * plan really used (command-line `-var`s, environment, every tfvars) win over every guess.
 */
export const PLAN_VARIABLES_FILE = 'terraform-plan.auto.tfvars.json'

export interface Resolution {
  via: Via
  /** The reference written in the file (`var.cidr`, `local.public`). */
  ref: string
  /** The file that holds the value (`variables.tf`, `terraform.tfvars`). */
  from: string
  value: HclValue
  /** The variable the value came from (through locals or not), when it did: a caller or another tfvars may give it another. */
  variable?: string
}

interface Declared {
  value: HclValue
  path: string
}

export interface TfProjectFile {
  path: string
  /** The file as written. */
  model: HclFile
  /** Its blocks with `var.*` / `local.*` replaced by literals where known. */
  resolved: HclFile
  /** Line → how the value on that line was resolved. */
  resolutions: Map<number, Resolution>
  /** Lines holding a value taken from a variable (kept apart: a later value on the same line may overwrite its resolution). */
  variableLines: Set<number>
}

export interface TfProject {
  dir: string
  files: Map<string, TfProjectFile>
  /** Files read only as context (not part of the change): values from them explain, never trigger, findings in other context files. */
  contextOnly: Set<string>
  variables: Map<string, Declared>
  tfvars: Map<string, Declared>
  /** Values from a saved plan's `variables`, when one was imported. */
  planVars: Map<string, Declared>
  locals: Map<string, Declared>
}

/** Directory → project, for every Terraform directory of a change or a scanned tree. */
export type TfProjects = Map<string, TfProject>

const baseOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1)

const MAX_CONTEXT_CHARS = 2 * 1024 * 1024
const MODULE_FILE = /\.(tf|tofu)(\.json)?$/i
/** Variable files Terraform loads on its own; other `.tfvars` (per environment) are chosen on the command line. */
const AUTO_TFVARS = /^(terraform\.tfvars|[^/]*\.auto\.tfvars)(\.json)?$/i

/**
 * The sibling paths (as patterns, `dir/*.tf`) whose content analysis of `path` needs: the other
 * files of its module and the variable files Terraform loads automatically. Empty for a path that
 * is not Terraform. The GitHub reader fetches them, marked `contextOnly`.
 */
export function contextPathsFor(path: string): string[] {
  const name = baseOf(path)
  if (!MODULE_FILE.test(name) && !/\.tfvars(\.json)?$/i.test(name)) return []
  const dir = folderOf(path)
  const at = (p: string): string => (dir ? `${dir}/${p}` : p)
  return ['*.tf', '*.tf.json', '*.tofu', 'terraform.tfvars', 'terraform.tfvars.json', '*.auto.tfvars', '*.auto.tfvars.json'].map(at)
}

/** Parses every Terraform file once and groups them by directory. Unparsable files are left out here (the per-file analysis reports them). */
export async function buildTerraformProjects(files: readonly SourceFile[]): Promise<TfProjects> {
  const projects: TfProjects = new Map()
  for (const file of files) {
    if (file.kind !== 'terraform') continue
    const name = baseOf(file.path)
    const isModuleFile = MODULE_FILE.test(name)
    const isAutoVars = AUTO_TFVARS.test(name)
    if (!isModuleFile && !isAutoVars) continue
    // Files the engine will not analyze (too large, binary) give no context either.
    if (file.content.length > MAX_CONTEXT_CHARS || file.content.includes('\u0000')) continue
    let model: HclFile
    try {
      model = await parseTerraformFile(file.path, file.content.replace(/\r\n?/g, '\n'))
    } catch {
      continue
    }
    const dir = folderOf(file.path)
    let project = projects.get(dir)
    if (!project) projects.set(dir, (project = { dir, files: new Map(), contextOnly: new Set(), variables: new Map(), tfvars: new Map(), planVars: new Map(), locals: new Map() }))
    if (file.contextOnly) project.contextOnly.add(file.path)
    if (isAutoVars) {
      const into = baseOf(file.path) === PLAN_VARIABLES_FILE ? project.planVars : project.tfvars
      for (const [k, a] of Object.entries(model.attributes)) into.set(k, { value: a.value, path: file.path })
      continue
    }
    for (const b of model.blocks) {
      if (b.type === 'variable' && b.labels[0] && b.attributes.default) project.variables.set(b.labels[0], { value: b.attributes.default.value, path: file.path })
      if (b.type === 'locals') for (const [k, a] of Object.entries(b.attributes)) project.locals.set(k, { value: a.value, path: file.path })
    }
    project.files.set(file.path, { path: file.path, model, resolved: model, resolutions: new Map(), variableLines: new Set() })
  }
  for (const project of projects.values()) {
    for (const f of project.files.values()) {
      const resolver = new Resolver(project)
      f.resolved = { blocks: f.model.blocks.map((b) => (b.type === 'variable' || b.type === 'locals' ? b : resolver.block(b))), attributes: f.model.attributes }
      f.resolutions = resolver.resolutions
      f.variableLines = resolver.variableLines
    }
  }
  return projects
}

const VAR_REF = /^var\.([A-Za-z_][\w-]*)$/
const LOCAL_REF = /^local\.([A-Za-z_][\w-]*)$/
/** `"${var.x}"`: a template that is nothing but one reference. */
const LONE_INTERPOLATION = /^\$\{\s*((?:var|local)\.[A-Za-z_][\w-]*)\s*\}$/

/** The reference an expression is, when it is exactly `var.x` or `local.x`. */
function referenceOf(v: HclValue): string | undefined {
  if (!isExpr(v)) return undefined
  const text = v.expr.trim()
  if (VAR_REF.test(text) || LOCAL_REF.test(text)) return text
  const lone = v.template !== undefined ? LONE_INTERPOLATION.exec(v.template.trim()) : null
  return lone?.[1]
}

/** Replaces references by literals in copies of blocks, recording each replacement by line. */
class Resolver {
  readonly resolutions = new Map<number, Resolution>()
  readonly variableLines = new Set<number>()
  constructor(private readonly project: TfProject) {}

  /** The block with references resolved: the block itself when nothing in it changes (no copy of the whole module). */
  block(b: HclBlock): HclBlock {
    let attributes: Record<string, HclAttribute> | undefined
    const written = Object.entries(b.attributes)
    for (let i = 0; i < written.length; i++) {
      const [name, a] = written[i]!
      const value = this.value(a.value, a.line)
      if (value !== a.value && attributes === undefined) {
        // The first change: the attributes before it, in their order, then the rest as they come.
        attributes = {}
        for (let k = 0; k < i; k++) setOwn(attributes, written[k]![0], written[k]![1])
      }
      if (attributes !== undefined) setOwn(attributes, name, value === a.value ? a : { ...a, value })
    }
    let blocks: HclBlock[] | undefined
    for (let i = 0; i < b.blocks.length; i++) {
      const c = this.block(b.blocks[i]!)
      if (c !== b.blocks[i] && blocks === undefined) blocks = b.blocks.slice(0, i)
      if (blocks !== undefined) blocks.push(c)
    }
    if (attributes === undefined && blocks === undefined) return b
    return { ...b, attributes: attributes ?? { ...b.attributes }, blocks: blocks ?? b.blocks.slice() }
  }

  /** The value with references resolved; `line` is where it is written (for the record). */
  private value(v: HclValue, line: number): HclValue {
    const ref = referenceOf(v)
    if (ref) {
      const found = this.lookup(ref, 0)
      if (!found) return v
      this.resolutions.set(line, found)
      if (found.variable !== undefined) this.variableLines.add(line)
      return found.value
    }
    if (Array.isArray(v)) {
      let changed = false
      const out = v.map((item, i) => {
        const next = this.value(item, lineOfKey(v, i) ?? line)
        if (next !== item) changed = true
        return next
      })
      if (!changed) return v
      copyKeyLines(v, out)
      return out
    }
    if (isObject(v)) {
      let changed = false
      const out: Record<string, HclValue> = {}
      for (const [k, item] of Object.entries(v)) {
        const next = this.value(item, lineOfKey(v, k) ?? line)
        if (next !== item) changed = true
        setOwn(out, k, next)
      }
      if (!changed) return v
      copyKeyLines(v, out)
      return out
    }
    return v
  }

  private lookup(ref: string, depth: number): Resolution | undefined {
    if (depth > 8) return undefined
    const varName = VAR_REF.exec(ref)?.[1]
    if (varName !== undefined) {
      const fromPlan = this.project.planVars.get(varName)
      if (fromPlan) return settle({ via: 'terraform plan', ref, from: fromPlan.path, value: fromPlan.value, variable: varName })
      const fromVars = this.project.tfvars.get(varName)
      if (fromVars) return settle({ via: 'tfvars', ref, from: fromVars.path, value: fromVars.value, variable: varName })
      const declared = this.project.variables.get(varName)
      // `default = null` is "no value": rules must not read it as a setting.
      if (declared && declared.value !== null) return settle({ via: 'variable default', ref, from: declared.path, value: declared.value, variable: varName })
      return undefined
    }
    const localName = LOCAL_REF.exec(ref)?.[1]
    const local = localName !== undefined ? this.project.locals.get(localName) : undefined
    if (!local) return undefined
    const inner = referenceOf(local.value)
    if (inner) {
      const next = this.lookup(inner, depth + 1)
      return next ? { ...next, via: 'local value', ref, from: local.path } : undefined
    }
    return settle({ via: 'local value', ref, from: local.path, value: local.value })
  }
}

/** Only literal values count as resolved; a copy without line records, since those lines belong to another file. */
function settle(r: Resolution): Resolution | undefined {
  if (!isLiteral(r.value)) return undefined
  return { ...r, value: stripLines(r.value) }
}

function isLiteral(v: HclValue): boolean {
  if (isExpr(v)) return false
  if (Array.isArray(v)) return v.every(isLiteral)
  if (isObject(v)) return Object.values(v).every(isLiteral)
  return true
}

function stripLines(v: HclValue): HclValue {
  if (Array.isArray(v)) return v.map(stripLines)
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stripLines(x)]))
  return v
}

/** How a resolution reads in a finding message: "`var.cidr` is `"0.0.0.0/0"` by its variable default in variables.tf". */
export function describeResolution(r: Resolution): string {
  const shown = JSON.stringify(r.value)
  const value = shown.length > 60 ? `${shown.slice(0, 57)}…` : shown
  switch (r.via) {
    case 'tfvars':
      return `\`${r.ref}\` is \`${value}\` in ${baseOf(r.from)}`
    case 'terraform plan':
      return `\`${r.ref}\` is \`${value}\` in the Terraform plan`
    case 'variable default':
      return `\`${r.ref}\` is \`${value}\` by its default in ${baseOf(r.from)}`
    case 'local value':
      return `\`${r.ref}\` is \`${value}\` (local value in ${baseOf(r.from)})`
    default:
      return `\`${r.ref}\` is \`${value}\``
  }
}
