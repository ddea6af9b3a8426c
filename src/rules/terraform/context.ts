/**
 * What every Terraform rule sees: the parsed file, its resources (including calls to well-known
 * registry modules viewed as the resource they wrap), and one helper to report findings so a
 * finding's category and severity always come from its rule's meta.
 */
import type { Finding, RuleMeta, Severity } from '../../types.js'
import type { Check, Report } from '../rule.js'
import { blocksOf, boolValue, isExpr, stringValue, type HclAttribute, type HclBlock, type HclFile, type HclValue } from '../parse/hcl.js'
import { describeResolution, type Resolution, type TfProject, type TfProjects } from './project.js'
import { majorOf, registryModuleFor, type RegistryModule } from './registry-modules.js'
import { setOwn } from '../../util/lookup-table.js'
import { escapeRegExp } from '../../util/regex.js'
import { folderOf, localFolder } from '../../util/paths.js'

/** One check: walks the file once and may report under any of its rules. */
export type TfCheck = Check<TfContext>

/** A resource (or a module call standing for one) as rules see it. */
export interface TfResource {
  type: string
  name: string
  block: HclBlock
  /** True for a `module` call viewed as the resource it wraps. */
  viaModule: boolean
  /** The file that declares it (another file of the module for `projectResources`). */
  path?: string
  /** For a registry module call: the input name of each renamed attribute, as this call wrote it. */
  inputNames?: Record<string, string>
}

export interface ReportOptions {
  endLine?: number
  suggestion?: string
  remediation?: string
  /** How the value the finding rests on was found, when the rule knows it better than the line does. */
  via?: string
  /** The attribute whose absence the finding is about (lets a registry module's own default decide). */
  missing?: string
  /** Lower than the rule's default, when the message says why (never raised above it). */
  severity?: Severity
}

export interface TfContext {
  path: string
  /** The file with values resolved from its module (what most rules read). */
  file: HclFile
  /** The file exactly as written (secret rules: a literal in another file is reported there). */
  written: HclFile
  /** The file's lines (LF-normalized), for suggestions that keep indentation. */
  lines: string[]
  /** The file's text as written: a check whose every finding needs a word looks for it here first. */
  content: string
  /** The module directory, when the file was analysed with its module. */
  projectDir?: string
  /** Resources of the given types; module calls are included only where `modules` allows it. */
  resources(types: string | string[], options?: { modules?: boolean }): TfResource[]
  /** The same over every file of the module (the directory): where companion resources live. `'*'` for every type. */
  projectResources(types: string | string[], options?: { modules?: boolean }): TfResource[]
  /** Every `module` call in the module's files, as written. */
  projectModules(): HclBlock[]
  /** Top-level blocks of a type (`output`, `data`, …) over every file of the module. */
  projectBlocks(type: string): HclBlock[]
  /**
   * The called module of a local `source` (`./modules/bucket`), read from `fromDir` (default: this
   * file's folder): its folder and every top-level block of its files, when that folder was read
   * in this run. `undefined` for a registry or remote source, or a folder not in view.
   */
  localModule(source: string | undefined, fromDir?: string): { dir: string; blocks: HclBlock[] } | undefined
  /**
   * A value derived from the whole module, built by `build` on the first ask and shared by the
   * contexts of the module's files (an index a rule would otherwise rebuild for every finding).
   */
  moduleMemo<T>(key: symbol, build: () => T): T
  /** True when the value written at `line` of the module file `path` was taken from a variable (directly or through locals): a caller or another tfvars may set it otherwise. */
  fromVariable(path: string | undefined, line: number): boolean
  /** `data` blocks of a type. */
  dataSources(type: string): TfResource[]
  /** Blocks of a top-level type (`provider`, `module`, …). */
  topBlocks(type: string): HclBlock[]
  report(meta: RuleMeta, line: number, message: string, options?: ReportOptions): void
}

/** A registry module call viewed as its resource, with what is known of the module's defaults. */
interface ModuleView {
  resource: TfResource
  module: RegistryModule
  major: number | undefined
}

/**
 * The name an attribute has where the user wrote it: the module input (`cluster_enabled_log_types`)
 * for a registry module call, the resource attribute otherwise. Messages quote this one.
 */
export function writtenName(r: TfResource, attribute: string): string {
  return r.inputNames?.[attribute] ?? attribute
}

function moduleView(block: HclBlock): ModuleView | undefined {
  const module = registryModuleFor(stringValue(block.attributes.source?.value))
  if (!module) return undefined
  const major = majorOf(stringValue(block.attributes.version?.value))
  const attributes: Record<string, HclAttribute> = {}
  // The inputs as this call wrote them (one attribute may have several input names across majors).
  const written: Record<string, string> = {}
  for (const [name, attr] of Object.entries(block.attributes)) {
    const renamed = module.rename?.[name] ?? name
    setOwn(attributes, renamed, { ...attr, name: renamed })
    if (renamed !== name) setOwn(written, renamed, name)
  }
  const known = major !== undefined ? module.defaults?.[major] : undefined
  for (const [name, value] of Object.entries(known?.safe ?? {})) {
    attributes[name] ??= { name, line: block.line, endLine: block.line, value, valueLine: block.line }
  }
  // An input the call leaves out is named by its first listed spelling; one it wrote, as written.
  const firstName: Record<string, string> = {}
  for (const [input, attribute] of Object.entries(module.rename ?? {})) if (attribute !== undefined) firstName[attribute] ??= input
  const resource: TfResource = { type: module.type, name: block.labels[0] ?? '', block: { ...block, attributes }, viaModule: true, inputNames: { ...firstName, ...written } }
  return { resource, module, major }
}

/** True when the module's default for an attribute differs between the majors it lists (or is safe in some). */
function versionDependent(module: RegistryModule, attribute: string): boolean {
  const seen = Object.values(module.defaults ?? {}).flatMap((d) => [
    ...(d.safe && attribute in d.safe ? [`safe:${JSON.stringify(d.safe[attribute])}`] : []),
    ...(d.risky && attribute in d.risky ? [`risky:${JSON.stringify(d.risky[attribute])}`] : [])
  ])
  return seen.length > 0 && (new Set(seen).size > 1 || seen[0]!.startsWith('safe:'))
}

/** The risky default every listed major shares, when it does. */
function uniformRiskyDefault(module: RegistryModule, attribute: string): HclValue | undefined {
  if (versionDependent(module, attribute)) return undefined
  for (const d of Object.values(module.defaults ?? {})) if (d.risky && attribute in d.risky) return d.risky[attribute]
  return undefined
}

/** The parts of a file a context is built from: its own model, or its module's resolved copy. */
export interface ContextSource {
  path: string
  /** The file's blocks, with values resolved from its module where known. */
  file: HclFile
  /** The file as written (defaults to `file`). */
  written?: HclFile
  content: string
  /** The file's module (directory), when the engine built one. */
  project?: TfProject
  resolutions?: Map<number, Resolution>
  /** Every module (folder) of the run, for the called modules of local `source`s. */
  projects?: TfProjects
  /** Keep only findings resting on a value resolved from a file this accepts (a context-only file, read for a changed variables file). */
  onlyResolvedFrom?: (path: string) => boolean
  /** Builds each finding; refuses rules the check does not declare. */
  report: Report
}

interface Collected {
  resources: TfResource[]
  modules: ModuleView[]
  data: TfResource[]
  calls: HclBlock[]
  /** Every top-level block, in file order. */
  blocks: HclBlock[]
  /** Values shared by the contexts of the module's files (`moduleMemo`). */
  memo: Map<symbol, unknown>
  /** Positions in `resources` of each resource type, built on the first lookup. */
  byType?: Map<string, number[]>
}

const collectedByProject = new WeakMap<TfProject, Collected>()

/** Positions in `from.resources` of each resource type. */
function indexByType(from: Collected): Map<string, number[]> {
  if (from.byType) return from.byType
  const index = new Map<string, number[]>()
  for (let i = 0; i < from.resources.length; i++) {
    const type = from.resources[i]!.type
    const list = index.get(type)
    if (list) list.push(i)
    else index.set(type, [i])
  }
  return (from.byType = index)
}

/**
 * The resources of the given types (`'*'`: all), in collection order, then module calls of those
 * types when `modules`, the whole sorted by line (a stable sort: ties keep that order). Every rule
 * asks, mostly for a type the file does not have, so the common cases build nothing on the way.
 */
function pick(from: Collected, types: string | string[], modules: boolean | undefined): TfResource[] {
  const byType = indexByType(from)
  let found: TfResource[]
  if (typeof types === 'string' && types !== '*') {
    const positions = byType.get(types)
    found = positions ? positions.map((i) => from.resources[i]!) : []
  } else if (types === '*' || types.includes('*')) {
    found = from.resources.slice()
  } else {
    // Positions of several types (each counted once) merged back into collection order.
    const positions: number[] = []
    for (let k = 0; k < types.length; k++) {
      const list = types.indexOf(types[k]!) === k ? byType.get(types[k]!) : undefined
      if (list) for (const i of list) positions.push(i)
    }
    found = positions.sort((x, y) => x - y).map((i) => from.resources[i]!)
  }
  if (modules) {
    for (const m of from.modules) if (typeof types === 'string' ? m.resource.type === types : types.includes(m.resource.type)) found.push(m.resource)
  }
  return found.length > 1 ? found.sort((a, b) => a.block.line - b.block.line) : found
}

function collect(file: HclFile, path: string, into: Collected): void {
  for (const block of file.blocks) {
    into.blocks.push(block)
    if (block.type === 'resource' && block.labels.length >= 2) {
      into.resources.push({ type: block.labels[0]!, name: block.labels[1]!, block, viaModule: false, path })
    } else if (block.type === 'data' && block.labels.length >= 2) {
      into.data.push({ type: block.labels[0]!, name: block.labels[1]!, block, viaModule: false, path })
    } else if (block.type === 'module') {
      into.calls.push(block)
      const view = moduleView(block)
      if (view) into.modules.push({ ...view, resource: { ...view.resource, path } })
    }
  }
}

export function createContext(source: ContextSource, findings: Finding[]): TfContext {
  const { path, file, content } = source
  // Split on the first read: only rules that write a suggestion read the lines.
  let lines: string[] | undefined
  const own: Collected = { resources: [], modules: [], data: [], calls: [], blocks: [], memo: new Map() }
  collect(file, path, own)
  // Companion resources live anywhere in the module (another file of the same directory);
  // collected once per module and shared by the contexts of its files.
  const project = (): Collected => {
    if (!source.project) return own
    let everywhere = collectedByProject.get(source.project)
    if (!everywhere) {
      everywhere = { resources: [], modules: [], data: [], calls: [], blocks: [], memo: new Map() }
      for (const f of source.project.files.values()) collect(f.resolved, f.path, everywhere)
      collectedByProject.set(source.project, everywhere)
    }
    return everywhere
  }
  const headers = new Map(own.modules.map((m) => [m.resource.block.line, m]))
  const inputLines = new Map<number, ModuleView>()
  for (const m of own.modules) for (const a of Object.values(m.resource.block.attributes)) if (a.line !== m.resource.block.line) inputLines.set(a.line, m)
  return {
    path,
    file,
    written: source.written ?? file,
    get lines() {
      return (lines ??= content.replace(/\r\n?/g, '\n').split('\n'))
    },
    content,
    projectDir: source.project?.dir,
    resources: (types, options) => pick(own, types, options?.modules),
    projectResources: (types, options) => pick(project(), types, options?.modules),
    projectModules: () => project().calls,
    projectBlocks: (type) => project().blocks.filter((b) => b.type === type),
    localModule(moduleSource, fromDir = folderOf(path)) {
      const dir = moduleSource !== undefined ? localFolder(fromDir, moduleSource) : undefined
      const called = dir !== undefined ? source.projects?.get(dir) : undefined
      if (!called || dir === undefined) return undefined
      return { dir, blocks: [...called.files.values()].flatMap((f) => f.model.blocks) }
    },
    moduleMemo<T>(key: symbol, build: () => T): T {
      const memo = project().memo
      if (!memo.has(key)) memo.set(key, build())
      return memo.get(key) as T
    },
    // Without a module, nothing was resolved: every `var.*` is still an expression.
    fromVariable: (at, line) => source.project?.files.get(at ?? path)?.variableLines.has(line) ?? false,
    dataSources(type) {
      return own.data.filter((d) => d.type === type)
    },
    topBlocks(type) {
      return file.blocks.filter((b) => b.type === type)
    },
    report(meta, line, message, options) {
      let text = message
      let via: string | undefined = options?.via
      let suggestion = options?.suggestion
      const header = headers.get(line)
      const resolution = source.resolutions?.get(line)
      if (source.onlyResolvedFrom && !(resolution && source.onlyResolvedFrom(resolution.from))) return
      if (via) {
        // The rule said how the value was found.
      } else if (header) {
        // A finding at a module call's header is about an input the call leaves out: the
        // module's own default decides it. Where that default changed between majors, an
        // unknown version means saying nothing (explicit inputs only).
        const missing = options?.missing
        const known = header.major !== undefined ? header.module.defaults?.[header.major] : undefined
        if (missing !== undefined && versionDependent(header.module, missing) && !known) return
        const riskyDefault = missing !== undefined ? (known?.risky?.[missing] ?? uniformRiskyDefault(header.module, missing)) : undefined
        if (riskyDefault !== undefined) {
          via = 'module default'
          // The module's input name (`cluster_endpoint_public_access`), not the resource attribute's.
          const input = Object.entries(header.module.rename ?? {}).find(([, attribute]) => attribute === missing)?.[0] ?? missing
          text += ` (${header.module.name}${header.major !== undefined ? ` v${header.major}` : ''} defaults \`${input}\` to \`${JSON.stringify(riskyDefault)}\`)`
        }
      } else if (resolution) {
        via = resolution.via
        text += ` (${describeResolution(resolution)})`
        // The value is set elsewhere; a one-line edit here would not change it.
        suggestion = undefined
      } else if (inputLines.has(line)) {
        via = 'module input'
      }
      findings.push(source.report(meta, line, text, { endLine: options?.endLine, suggestion, remediation: options?.remediation, via: via || undefined, severity: options?.severity }))
    }
  }
}

// ── Small helpers shared by the rule files ───────────────────────────────────────────────────

export const attr = (block: HclBlock, name: string): HclAttribute | undefined => block.attributes[name]

/** The first nested block (or object attribute) of a name. */
export const sub = (block: HclBlock, name: string): HclBlock | undefined => blocksOf(block, name)[0]

/** True when the block builds nested `name` blocks with `dynamic "name"`: their content is unknown here. */
export const dynamicBlock = (block: HclBlock, name: string): boolean => block.blocks.some((b) => b.type === 'dynamic' && b.labels[0] === name)

/** `resource type "name"` as people write it in messages. */
export const label = (r: TfResource): string => (r.viaModule ? `module \`${r.name}\`` : `\`${r.type}.${r.name}\``)

/** True when the attribute is set to a literal `true` (or `"true"`). */
export const isTrue = (a: HclAttribute | undefined): boolean => boolValue(a?.value) === true
/** True when the attribute is set to a literal `false` (or `"false"`). */
export const isFalse = (a: HclAttribute | undefined): boolean => boolValue(a?.value) === false

/** True when the value is not a literal (a reference, a call, …): rules stay quiet about it. */
export const isDynamic = (v: HclValue | undefined): boolean => isExpr(v)

/** The strings of a literal list (or a single string), ignoring non-literal elements. */
export function stringList(v: HclValue | undefined): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string')
  return []
}

/** The text of an expression, or of the one reference a template is (`"${aws_vpc.main.cidr_block}"`). */
export function referenceText(v: HclValue | undefined): string | undefined {
  if (!isExpr(v)) return undefined
  if (v.template === undefined) return v.expr.trim()
  return /^\$\{\s*([\w.[\]*"-]+)\s*\}$/.exec(v.template.trim())?.[1]
}

/** An expression naming resource `type.name` (`aws_s3_bucket.logs.id`), not a longer name ending so. */
export function referenceTo(type: string, name: string): RegExp {
  return new RegExp(`(^|[^\\w.])${escapeRegExp(type)}\\.${escapeRegExp(name)}(\\.|\\[|$|\\W)`)
}

/** True when an expression refers to `type.name` (as in `aws_s3_bucket.b.id`). */
export function refersTo(v: HclValue | undefined, type: string, name: string): boolean {
  if (!isExpr(v)) return false
  // Every match contains `type.name` as written: most expressions do not, and skip the regex build.
  if (!v.expr.includes(`${type}.${name}`)) return false
  return referenceTo(type, name).test(v.expr)
}

/** The source line with one literal replaced, keeping indentation; undefined when ambiguous. */
export function replaceOnLine(lines: string[], line: number, from: string, to: string): string | undefined {
  const text = lines[line - 1]
  if (text === undefined) return undefined
  if (text.split(from).length !== 2) return undefined
  return text.replace(from, to)
}
