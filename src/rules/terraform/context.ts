/**
 * What every Terraform rule sees: the parsed file, its resources (including calls to well-known
 * registry modules viewed as the resource they wrap), and one helper to report findings so a
 * finding's category and severity always come from its rule's meta.
 */
import type { Finding, RuleMeta } from '../../types.js'
import { blocksOf, boolValue, isExpr, stringValue, type HclAttribute, type HclBlock, type HclFile, type HclValue } from '../hcl.js'

/** One check: walks the file once and may report under any of its rules. */
export interface TfCheck {
  rules: RuleMeta[]
  check(ctx: TfContext): void
}

/** A resource (or a module call standing for one) as rules see it. */
export interface TfResource {
  type: string
  name: string
  block: HclBlock
  /** True for a `module` call viewed as the resource it wraps. */
  viaModule: boolean
}

export interface ReportOptions {
  endLine?: number
  suggestion?: string
  remediation?: string
}

export interface TfContext {
  path: string
  file: HclFile
  /** The file's lines (LF-normalized), for suggestions that keep indentation. */
  lines: string[]
  /** Resources of the given types; module calls are included only where `modules` allows it. */
  resources(types: string | string[], options?: { modules?: boolean }): TfResource[]
  /** `data` blocks of a type. */
  dataSources(type: string): TfResource[]
  /** Blocks of a top-level type (`provider`, `module`, …). */
  topBlocks(type: string): HclBlock[]
  report(meta: RuleMeta, line: number, message: string, options?: ReportOptions): void
}

/**
 * Registry modules whose inputs use the wrapped resource's attribute names, so the same checks
 * apply to them. `rename` maps a module input to the resource attribute it sets.
 */
const MODULE_RESOURCES: { source: RegExp; type: string; rename?: Record<string, string> }[] = [
  { source: /^terraform-aws-modules\/ec2-instance\/aws(\/\/|$)/, type: 'aws_instance' },
  { source: /^terraform-aws-modules\/rds\/aws(\/\/|$)/, type: 'aws_db_instance' },
  { source: /^terraform-aws-modules\/elb\/aws(\/\/|$)/, type: 'aws_elb' },
  { source: /^terraform-aws-modules\/s3-bucket\/aws(\/\/|$)/, type: 'aws_s3_bucket' },
  { source: /^terraform-aws-modules\/security-group\/aws(\/\/|$)/, type: 'aws_security_group' },
  { source: /^terraform-aws-modules\/ecr\/aws(\/\/|$)/, type: 'aws_ecr_repository', rename: { repository_image_tag_mutability: 'image_tag_mutability' } },
  { source: /^terraform-aws-modules\/eks\/aws(\/\/|$)/, type: 'aws_eks_cluster', rename: { cluster_enabled_log_types: 'enabled_cluster_log_types' } }
]

function moduleView(block: HclBlock): TfResource | undefined {
  const source = stringValue(block.attributes.source?.value)
  if (!source) return undefined
  const known = MODULE_RESOURCES.find((m) => m.source.test(source))
  if (!known) return undefined
  const attributes: Record<string, HclAttribute> = {}
  for (const [name, attr] of Object.entries(block.attributes)) {
    const renamed = known.rename?.[name] ?? name
    attributes[renamed] = { ...attr, name: renamed }
  }
  return { type: known.type, name: block.labels[0] ?? '', block: { ...block, attributes }, viaModule: true }
}

export function createContext(path: string, file: HclFile, content: string, findings: Finding[]): TfContext {
  const lines = content.replace(/\r\n?/g, '\n').split('\n')
  const resources: TfResource[] = []
  const modules: TfResource[] = []
  const data: TfResource[] = []
  for (const block of file.blocks) {
    if (block.type === 'resource' && block.labels.length >= 2) {
      resources.push({ type: block.labels[0]!, name: block.labels[1]!, block, viaModule: false })
    } else if (block.type === 'data' && block.labels.length >= 2) {
      data.push({ type: block.labels[0]!, name: block.labels[1]!, block, viaModule: false })
    } else if (block.type === 'module') {
      const view = moduleView(block)
      if (view) modules.push(view)
    }
  }
  return {
    path,
    file,
    lines,
    resources(types, options) {
      const wanted = new Set(Array.isArray(types) ? types : [types])
      const found = resources.filter((r) => wanted.has(r.type))
      if (options?.modules) found.push(...modules.filter((m) => wanted.has(m.type)))
      return found.sort((a, b) => a.block.line - b.block.line)
    },
    dataSources(type) {
      return data.filter((d) => d.type === type)
    },
    topBlocks(type) {
      return file.blocks.filter((b) => b.type === type)
    },
    report(meta, line, message, options) {
      const finding: Finding = { ruleId: meta.id, category: meta.category, severity: meta.severity, path, line, message, remediation: options?.remediation ?? meta.remediation }
      if (options?.endLine && options.endLine > line) finding.endLine = options.endLine
      if (options?.suggestion !== undefined) finding.suggestion = options.suggestion
      findings.push(finding)
    }
  }
}

// ── Small helpers shared by the rule files ───────────────────────────────────────────────────

export const attr = (block: HclBlock, name: string): HclAttribute | undefined => block.attributes[name]

/** The first nested block (or object attribute) of a name. */
export const sub = (block: HclBlock, name: string): HclBlock | undefined => blocksOf(block, name)[0]

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

/** True when an expression refers to `type.name` (as in `aws_s3_bucket.b.id`). */
export function refersTo(v: HclValue | undefined, type: string, name: string): boolean {
  if (!isExpr(v)) return false
  return new RegExp(`(^|[^\\w.])${type.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')}\\.${name.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')}(\\.|\\[|$|\\W)`).test(v.expr)
}

/** The source line with one literal replaced, keeping indentation; undefined when ambiguous. */
export function replaceOnLine(lines: string[], line: number, from: string, to: string): string | undefined {
  const text = lines[line - 1]
  if (text === undefined) return undefined
  if (text.split(from).length !== 2) return undefined
  return text.replace(from, to)
}
