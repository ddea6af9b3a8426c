/**
 * SARIF 2.1.0 import: results of checkov, trivy, KICS, tfsec, hadolint, zizmor, cfn-lint, cfn-guard,
 * cfn_nag, Semgrep (or any tool writing SARIF) become findings beside Preflight's own, so one review and one verdict cover
 * them all. Everything in a SARIF file is untrusted text: snippets are never read (checkov puts
 * the offending source, passwords included, there), messages are cut to one line, and the
 * renderers escape and redact it like any PR content.
 */
import { posix } from 'node:path'
import type { FileNote, Finding, RuleMeta, Severity } from '../types.js'
import { REF_TOOLS, refIds, type RefTool } from '../types.js'
import { categoryFor } from './categories.js'

/** Where the scanner ran and which repository paths exist, to resolve its artifact URIs. */
export interface SarifImportOptions {
  /** The tool's scan root relative to the repository root (`infra`), when it did not scan from the root. */
  scanRoot?: string
  /** Absolute workspace folders the tool may have written into URIs (`/github/workspace`, `$GITHUB_WORKSPACE`). */
  workspacePrefixes?: readonly string[]
  /** Repository paths known to exist; a candidate location that is one of them wins. */
  knownPaths?: ReadonlySet<string>
}

/** An imported result, with the ids it answers to in a rule's `refs` (dropped once merged). */
export interface ImportedFinding extends Finding {
  matchIds: string[]
}

export interface SarifImport {
  findings: ImportedFinding[]
  notes: FileNote[]
}

/** Messages longer than this are cut: a finding says one thing. */
const MAX_MESSAGE = 400
/** A file with more results than this is cut with a note, so one noisy tool cannot drown the review. */
const MAX_RESULTS = 5000

const DEFAULT_PREFIXES = ['/github/workspace', '/src', '/workdir', '/code', '/tf', '/project']

type Json = Record<string, unknown>

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

/** The tool's short name as Preflight writes it in rule ids (`checkov/CKV_AWS_17`). */
export function toolSlug(driverName: string): string {
  const n = driverName.trim().toLowerCase()
  if (n.startsWith('checkov')) return 'checkov'
  if (n.startsWith('trivy')) return 'trivy'
  if (n.startsWith('kics')) return 'kics'
  if (n === 'tfsec' || n === 'defsec') return 'tfsec'
  if (n.startsWith('hadolint')) return 'hadolint'
  if (n.startsWith('zizmor')) return 'zizmor'
  // The driver names cfn-lint, CloudFormation Guard and cfn_nag write (cfn_nag's gem is `cfn-nag`).
  if (n === 'cfn-lint' || n === 'cfnlint') return 'cfn-lint'
  if (n === 'cfn-guard' || n === 'cfn_guard') return 'cfn-guard'
  if (n === 'cfn_nag' || n === 'cfn-nag') return 'cfn_nag'
  if (n.startsWith('semgrep')) return 'semgrep'
  return n.replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|(?<!-)-+$/g, '') || 'sarif'
}

/** GitHub's mapping of `security-severity` (a CVSS-like score) to severities. */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'medium'
  if (score > 0) return 'low'
  return 'info'
}

function severityFromWord(word: string): Severity | undefined {
  const w = word.trim().toLowerCase()
  if (w === 'critical') return 'critical'
  if (w === 'high' || w === 'error') return 'high'
  if (w === 'medium' || w === 'moderate') return 'medium'
  if (w === 'low') return 'low'
  if (w === 'info' || w === 'informational' || w === 'note' || w === 'unknown') return 'info'
  return undefined
}

/**
 * `security-severity` of the result, then of the rule; then a severity word in the rule's
 * properties (`severity`, or a `CRITICAL`/`HIGH`/… tag as trivy writes); then the level, where an
 * `error` without a score is `medium` so an import does not flood the verdict.
 */
function severityOf(result: Json, rule: Json | undefined): Severity {
  for (const props of [result.properties, rule?.properties]) {
    if (!isObj(props)) continue
    const raw = props['security-severity']
    const score = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN
    if (Number.isFinite(score)) return severityFromScore(score)
  }
  for (const props of [result.properties, rule?.properties]) {
    if (!isObj(props)) continue
    const word = str(props.severity) ?? str(props['problem.severity'])
    const fromWord = word ? severityFromWord(word) : undefined
    if (fromWord && word?.toLowerCase() !== 'error') return fromWord
    for (const tag of arr(props.tags)) {
      if (typeof tag === 'string' && /^(CRITICAL|HIGH|MEDIUM|LOW)$/.test(tag)) return severityFromWord(tag) as Severity
    }
  }
  const level = str(result.level) ?? str(isObj(rule?.defaultConfiguration) ? rule.defaultConfiguration.level : undefined) ?? 'warning'
  if (level === 'error') return 'medium'
  if (level === 'warning') return 'low'
  return 'info'
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat
}

/** trivy writes `Artifact: …\nType: …\nVulnerability X\nSeverity: …\nMessage: <the point>\nLink: …`. */
function messageOf(result: Json, rule: Json | undefined): string {
  const msg = isObj(result.message) ? (str(result.message.text) ?? str(result.message.markdown)) : undefined
  const trivyMessage = msg ? /(?:^|\n)Message: ([^\n]+)/.exec(msg)?.[1] : undefined
  const fromRule = str(isObj(rule?.shortDescription) ? rule.shortDescription.text : undefined) ?? str(rule?.name)
  return oneLine(trivyMessage ?? msg ?? fromRule ?? 'reported by an imported scanner')
}

function normalizeUri(uri: string): string {
  let u = uri
  if (/^file:/i.test(u)) {
    try {
      u = decodeURIComponent(new URL(u).pathname)
    } catch {
      u = u.replace(/^file:\/*/i, '/')
    }
  } else {
    try {
      u = decodeURIComponent(u)
    } catch {
      // keep it as written
    }
  }
  return u.replace(/\\/g, '/')
}

function clean(path: string): string {
  const p = posix.normalize(path).replace(/^\.\/+/, '')
  return p === '.' ? '' : p
}

/**
 * Repository path of an artifact: relative to the tool's scan root, then through `uriBaseId`,
 * then with a known workspace prefix removed. The first candidate that names a known path wins;
 * otherwise the first that stays inside the repository.
 */
function resolvePath(location: Json, baseIds: Json, options: SarifImportOptions): string | undefined {
  const artifact = isObj(location.artifactLocation) ? location.artifactLocation : undefined
  const raw = str(artifact?.uri)
  if (!raw) return undefined
  const uri = normalizeUri(raw)
  const candidates: string[] = []
  const baseId = str(artifact?.uriBaseId)
  if (!uri.startsWith('/')) {
    if (options.scanRoot) candidates.push(clean(posix.join(options.scanRoot, uri)))
    if (baseId && isObj(baseIds[baseId])) {
      const base = str((baseIds[baseId] as Json).uri)
      if (base) candidates.push(normalizeUri(base).replace(/(?<!\/)\/*$/, '/') + uri)
    }
    candidates.push(clean(uri))
  } else {
    candidates.push(uri)
  }
  const prefixes = [...(options.workspacePrefixes ?? []), ...DEFAULT_PREFIXES].map((p) => p.replace(/\\/g, '/').replace(/(?<!\/)\/+$/, ''))
  const relative: string[] = []
  for (const c of candidates) {
    if (!c.startsWith('/')) {
      relative.push(c)
      continue
    }
    for (const prefix of prefixes) {
      if (prefix && c.startsWith(prefix + '/')) {
        const rest = clean(c.slice(prefix.length + 1))
        relative.push(rest)
        if (options.scanRoot) relative.push(clean(posix.join(options.scanRoot, rest)))
      }
    }
  }
  const inside = relative.filter((p) => p !== '' && !p.startsWith('../') && p !== '..')
  return inside.find((p) => options.knownPaths?.has(p)) ?? inside[0]
}

function ruleTable(run: Json): { byId: Map<string, Json>; list: Json[] } {
  const driver = isObj(run.tool) && isObj(run.tool.driver) ? run.tool.driver : {}
  const list = arr(driver.rules).filter(isObj)
  for (const ext of arr(isObj(run.tool) ? run.tool.extensions : undefined)) if (isObj(ext)) list.push(...arr(ext.rules).filter(isObj))
  const byId = new Map<string, Json>()
  for (const r of list) {
    const id = str(r.id)
    if (id && !byId.has(id)) byId.set(id, r)
  }
  return { byId, list }
}

/** Parses one SARIF file's text; problems become notes naming the file. */
export function importSarif(text: string, file: string, options: SarifImportOptions = {}): SarifImport {
  const notes: FileNote[] = []
  const findings: ImportedFinding[] = []
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    return { findings, notes: [{ path: file, reason: 'parse', message: `${file}: not valid JSON, no result imported (${(e as Error).message})` }] }
  }
  if (!isObj(doc) || !Array.isArray(doc.runs)) {
    return { findings, notes: [{ path: file, reason: 'parse', message: `${file}: not a SARIF log (no \`runs\` array), no result imported` }] }
  }
  if (doc.version !== undefined && doc.version !== '2.1.0') {
    notes.push({ path: file, reason: 'parse', message: `${file}: SARIF version ${String(doc.version)} is not 2.1.0; read as 2.1.0` })
  }
  let unresolved = 0
  for (const run of doc.runs) {
    if (!isObj(run)) continue
    const driver = isObj(run.tool) && isObj(run.tool.driver) ? run.tool.driver : {}
    const tool = toolSlug(str(driver.name) ?? 'sarif')
    const rules = ruleTable(run)
    const baseIds = isObj(run.originalUriBaseIds) ? run.originalUriBaseIds : {}
    const results = arr(run.results)
    if (results.length > MAX_RESULTS) {
      notes.push({ path: file, reason: 'too-large', message: `${file}: ${results.length} results from ${tool}; the first ${MAX_RESULTS} were imported` })
    }
    for (const result of results.slice(0, MAX_RESULTS)) {
      if (!isObj(result)) continue
      if (arr(result.suppressions).some((s) => isObj(s) && (s.status === undefined || s.status === 'accepted'))) continue
      const index = typeof result.ruleIndex === 'number' ? result.ruleIndex : undefined
      const ruleId = str(result.ruleId) ?? (isObj(result.rule) ? str(result.rule.id) : undefined) ?? (index !== undefined ? str(rules.list[index]?.id) : undefined)
      if (!ruleId) continue
      const rule = rules.byId.get(ruleId) ?? (index !== undefined ? rules.list[index] : undefined)
      const location = arr(result.locations).find(isObj)
      const physical = location && isObj(location.physicalLocation) ? location.physicalLocation : undefined
      const path = physical ? resolvePath(physical, baseIds, options) : undefined
      if (!path) {
        unresolved++
        continue
      }
      const region = physical && isObj(physical.region) ? physical.region : {}
      const line = typeof region.startLine === 'number' && region.startLine >= 1 ? Math.floor(region.startLine) : 1
      const end = typeof region.endLine === 'number' ? Math.floor(region.endLine) : undefined
      const ruleName = str(rule?.name)
      const ruleText = [ruleName, str(isObj(rule?.shortDescription) ? rule.shortDescription.text : undefined), str(isObj(rule?.fullDescription) ? rule.fullDescription.text : undefined)]
        .filter(Boolean)
        .join(' ')
      // zizmor already prefixes its ids with its name; keep one prefix.
      const localId = ruleId.toLowerCase().startsWith(`${tool}/`) ? ruleId.slice(tool.length + 1) : ruleId
      const finding: ImportedFinding = {
        ruleId: `${tool}/${localId}`,
        category: categoryFor(tool, ruleId, `${ruleText} ${messageOf(result, rule)}`),
        severity: severityOf(result, rule),
        path,
        line,
        message: messageOf(result, rule),
        source: tool,
        matchIds: matchIdsOf(tool, ruleId, ruleName)
      }
      if (end !== undefined && end > line) finding.endLine = end
      const help = str(rule?.helpUri)
      if (help && /^https:\/\//.test(help)) finding.helpUri = help
      findings.push(finding)
    }
  }
  if (unresolved) notes.push({ path: file, reason: 'unavailable', message: `${file}: ${unresolved} result${unresolved === 1 ? '' : 's'} without a location in the repository, not imported` })
  return { findings, notes }
}

/** An id as compared across tools: lower case, without the tool's own prefixes. */
function normalizeRef(tool: RefTool, id: string): string {
  let v = id.trim().toLowerCase()
  if (tool === 'trivy') v = v.replace(/^avd-/, '')
  if (tool === 'zizmor') v = v.replace(/^zizmor\//, '')
  if (tool === 'kics') v = v.split('/').pop() ?? v
  // cfn_nag's SARIF names its rules `CFN_NAG_W2`; its suppressions and Preflight's refs say `W2`.
  if (tool === 'cfn_nag') v = v.replace(/^cfn_nag_/, '')
  return v
}

function snake(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|(?<!_)_+$/g, '')
}

/**
 * The ids a result answers to in a rule's `refs`. KICS ids its queries by UUID in SARIF while
 * `refs.kics` names the query (`k8s/liveness_probe_is_not_defined`), so its rule name counts too.
 */
function matchIdsOf(tool: string, ruleId: string, ruleName: string | undefined): string[] {
  if (!(REF_TOOLS as readonly string[]).includes(tool)) return []
  const ids = [normalizeRef(tool as RefTool, ruleId)]
  if (tool === 'kics' && ruleName) ids.push(snake(ruleName))
  return ids
}

/** The ranges overlap, or the lines are within two of each other (tools anchor on the block, Preflight on the attribute). */
function samePlace(a: Finding, b: Finding): boolean {
  if (a.path !== b.path) return false
  const aEnd = a.endLine ?? a.line
  const bEnd = b.endLine ?? b.line
  return a.line <= bEnd + 2 && b.line <= aEnd + 2
}

/**
 * Merges imported results into Preflight's findings: a result whose tool id is in a matching
 * rule's `refs` and whose place matches becomes "also flagged by" on that finding; every other
 * result stays its own finding.
 */
export function mergeImported(own: Finding[], imported: readonly ImportedFinding[], rules: readonly RuleMeta[]): Finding[] {
  const meta = new Map(rules.map((r) => [r.id, r]))
  const out = own.map((f) => ({ ...f }))
  const kept: Finding[] = []
  for (const { matchIds, ...f } of imported) {
    const tool = (REF_TOOLS as readonly string[]).includes(f.source ?? '') ? (f.source as RefTool) : undefined
    const target = tool
      ? out.find((o) => o.source === undefined && samePlace(o, f) && refIds(meta.get(o.ruleId)?.refs, tool).some((r) => matchIds.includes(normalizeRef(tool, r))))
      : undefined
    if (target) {
      const also = new Set(target.alsoFlaggedBy ?? [])
      also.add(f.ruleId)
      target.alsoFlaggedBy = [...also].sort()
    } else {
      kept.push(f)
    }
  }
  return [...out, ...kept]
}
