/**
 * Settings and suppressions applied to findings, in one place, for the review pipeline and the
 * CLI's scan and audit: `paths-ignore`, rules turned off or re-rated (globally and per path),
 * inline suppressions (Preflight's own and other tools' forms), then the baseline. What is
 * suppressed moves to `suppressed` with `finding.suppressed = { by, reason, selfAdded }`; it never
 * counts toward fail-on and is never commented. Redaction does not depend on any of this.
 */
import picomatch from 'picomatch'
import type { Secrets } from '../redact.js'
import type { AnalysisResult, ChangeSet, Finding, RuleMeta, SourceFile } from '../types.js'
import { refIds, SEVERITY_RANK } from '../types.js'
import { ALL_RULES, ruleById } from '../rules/index.js'
import { costRules } from '../cost/meta.js'
import { closest, distance } from 'fastest-levenshtein'
import { addedLines } from '../changes/diff.js'
import { DEFAULT_SETTINGS, type RuleSetting, type Settings } from './types.js'
import { findDirectives, type Directive } from './directives.js'
import { fingerprintOf, linesByPath } from './baseline.js'

/** The info finding a suppression without a reason adds. */
export const NO_REASON_RULE: RuleMeta = {
  id: 'preflight/suppression-without-reason',
  kind: 'any',
  category: 'security',
  severity: 'info',
  title: 'Suppression without a reason',
  description: 'A suppression comment silences a finding without saying why, so a reviewer cannot judge whether it still holds.',
  remediation: 'Add the reason after ` -- ` (`# preflight:ignore <rule-id> -- <why>`), or the tool\'s own reason field.'
}

/** The info finding a Preflight suppression naming no rule adds (a typo silences nothing). */
export const UNKNOWN_RULE_RULE: RuleMeta = {
  id: 'preflight/suppression-unknown-rule',
  kind: 'any',
  category: 'security',
  severity: 'info',
  title: 'Suppression names no rule',
  description: 'A preflight:ignore comment names a rule id (or glob) that matches no Preflight rule, so it silences nothing.',
  remediation: 'Fix the rule id (the message suggests the closest one), or remove the comment.'
}

/** Rules this module reports, for SARIF and the rules catalogue. */
export const SETTINGS_RULES: RuleMeta[] = [NO_REASON_RULE, UNKNOWN_RULE_RULE]

export interface ApplyOptions {
  settings?: Settings
  /** File contents, for suppression comments and baseline fingerprints. */
  files: SourceFile[]
  /** Per path, the lines the pull request added: a suppression there is the PR's own. */
  addedLines?: Map<string, Set<number>>
  /** Fingerprints from `.github/preflight-baseline.json`. */
  baseline?: Set<string>
  /** Where secrets are, so a baseline fingerprint never holds one. */
  secrets?: Secrets
  ruleMeta?: (id: string) => RuleMeta | undefined
  /** Every rule id a suppression may name (default: all rules, cost rules and this module's). */
  knownRuleIds?: string[]
}

export interface Applied {
  findings: Finding[]
  suppressed: Finding[]
  /** For the reader: suppressions the PR added that could not silence a finding, counts. */
  messages: string[]
}

export function applySettings(input: Finding[], o: ApplyOptions): Applied {
  const settings = o.settings ?? DEFAULT_SETTINGS
  const meta = o.ruleMeta ?? ((id: string) => ruleById(id) ?? SETTINGS_RULES.find((r) => r.id === id))
  const knownIds = o.knownRuleIds ?? [...ALL_RULES, ...costRules, ...SETTINGS_RULES].map((r) => r.id)
  const ignored = settings.pathsIgnore.length ? picomatch(settings.pathsIgnore, { dot: true }) : undefined
  const rated = rateRules(settings)

  // 1. paths-ignore and rules: what is off is not reported at all (as if the rule did not run).
  const findings: Finding[] = []
  for (const f of input) {
    if (ignored?.(f.path)) continue
    const setting = rated(f.ruleId, f.path)
    if (setting === 'off') continue
    findings.push(setting && setting !== f.severity ? { ...f, severity: setting } : f)
  }

  // 2. Inline suppressions, read from each file once.
  const byPath = new Map(o.files.map((f) => [f.path, f]))
  const directives = new Map<string, Directive[]>()
  const directivesOf = (path: string): Directive[] => {
    let list = directives.get(path)
    if (!list) {
      const file = byPath.get(path)
      list = file ? findDirectives(file) : []
      directives.set(path, list)
    }
    return list
  }
  for (const path of byPath.keys()) directivesOf(path)

  const kept: Finding[] = []
  const suppressed: Finding[] = []
  const messages: string[] = []
  const limit = settings.allowSelfSuppress
  // Files are split into lines only for baseline fingerprints, so only when there is a baseline.
  const lines = o.baseline?.size ? linesByPath(o.files) : undefined

  for (const f of findings) {
    const list = directivesOf(f.path)
    // Most files hold no directive: their findings are not filtered.
    const matching = list.length ? list.filter((d) => covers(d, f) && names(d, f, meta(f.ruleId))) : NO_DIRECTIVES
    const added = o.addedLines?.get(f.path)
    // Added when the pull request adds any line that makes it a directive (see `Directive.written`).
    const isSelf = (d: Directive): boolean => !!added && (d.written ?? [[d.line, d.line]]).some(([from, to]) => anyLineIn(added, from, to))
    // A suppression already on the base branch was reviewed before; prefer it over the PR's own.
    const standing = matching.find((d) => !isSelf(d))
    const own = matching.find(isSelf)
    if (standing) {
      suppressed.push({ ...f, suppressed: { by: standing.form, ...(standing.reason ? { reason: standing.reason } : {}), selfAdded: false } })
      continue
    }
    if (own) {
      if (SEVERITY_RANK[f.severity] <= SEVERITY_RANK[limit]) {
        suppressed.push({ ...f, suppressed: { by: own.form, ...(own.reason ? { reason: own.reason } : {}), selfAdded: true } })
        continue
      }
      messages.push(`${f.path}:${own.line}: the ${own.form} this pull request adds cannot silence ${f.ruleId} (${f.severity}); allow-self-suppress is ${limit}`)
    }
    // 3. The baseline: findings the repository had when it adopted Preflight.
    if (lines && o.baseline?.has(fingerprintOf(f, lines.get(f.path), o.secrets))) {
      suppressed.push({ ...f, suppressed: { by: 'baseline', reason: 'in .github/preflight-baseline.json' } })
      continue
    }
    kept.push(f)
  }

  // A suppression without a reason still works, and says it wants one; one naming no rule says so.
  const note = (rule: RuleMeta, path: string, line: number, message: string) => {
    if (ignored?.(path) || rated(rule.id, path) === 'off') return
    kept.push({ ruleId: rule.id, category: rule.category, severity: rule.severity, path, line, message, remediation: rule.remediation, source: 'preflight' })
  }
  for (const [path, list] of directives) {
    for (const d of list) {
      if (d.takesReason && !d.reason) note(NO_REASON_RULE, path, d.line, `${d.form} ${d.ids.join(', ')} gives no reason.`)
      if (d.tool !== 'preflight') continue
      for (const id of d.ids.filter((x) => !knownIds.some((k) => ruleGlob(x).test(k)))) {
        const best = closest(id, knownIds)
        const hint = distance(id, best) <= Math.max(2, Math.ceil(id.length / 3)) ? `; did you mean ${best}?` : ''
        note(UNKNOWN_RULE_RULE, path, d.line, `${d.form} names '${id}', which matches no Preflight rule${hint}`)
      }
    }
  }

  if (suppressed.length) messages.push(describeSuppressed(suppressed))
  // What the pull request silenced itself is listed one by one, for the reviewer to accept or not.
  const own = suppressed.filter((f) => f.suppressed?.selfAdded)
  for (const f of own.slice(0, MAX_LISTED)) {
    messages.push(`Suppressed by this pull request: ${f.ruleId} (${f.severity}) at ${f.path}:${f.line}, reason ${f.suppressed?.reason ? asCode(f.suppressed.reason) : 'none given'}`)
  }
  if (own.length > MAX_LISTED) messages.push(`… and ${own.length - MAX_LISTED} more suppressed by this pull request (all are in the JSON output and SARIF)`)
  return { findings: kept, suppressed, messages }
}

const NO_DIRECTIVES: readonly Directive[] = []

/** Suppressions by the pull request listed one by one in the summary; the rest are counted. */
const MAX_LISTED = 20

/** The author's reason as inline code: shown as written, never rendered as Markdown. */
function asCode(text: string): string {
  const flat = text.replace(/[`\s]+/g, ' ').trim()
  return `\`${flat.length > 200 ? flat.slice(0, 199) + '…' : flat}\``
}

/**
 * The pipeline's one call: the analysis with settings and suppressions applied, the suppressed
 * findings beside it, and the PR's added lines taken from the change set's patches.
 */
export function settleAnalysis(
  analysis: AnalysisResult,
  sources: SourceFile[],
  change: ChangeSet,
  options: { settings?: Settings; baseline?: Set<string> }
): AnalysisResult & { suppressed: Finding[]; messages: string[] } {
  const added = new Map(change.files.map((f) => [f.path, addedLines(f.patch)]))
  const applied = applySettings(analysis.findings, { settings: options.settings, baseline: options.baseline, files: sources, addedLines: added, secrets: analysis.secrets })
  return { ...analysis, findings: applied.findings, suppressed: applied.suppressed, messages: applied.messages }
}

export function describeSuppressed(suppressed: Finding[]): string {
  const self = suppressed.filter((f) => f.suppressed?.selfAdded).length
  const baseline = suppressed.filter((f) => f.suppressed?.by === 'baseline').length
  const parts = [self ? `${self} by this pull request` : '', baseline ? `${baseline} by the baseline` : ''].filter(Boolean)
  return `${suppressed.length} finding${suppressed.length === 1 ? '' : 's'} suppressed${parts.length ? ` (${parts.join(', ')})` : ''}`
}

// ── Matching ───────────────────────────────────────────────────────────────────────────────

function covers(d: Directive, f: Finding): boolean {
  return d.ranges.some(([start, end]) => f.line >= start && f.line <= end)
}

function names(d: Directive, f: Finding, rule: RuleMeta | undefined): boolean {
  if (d.tool === 'preflight') return d.ids.some((id) => ruleGlob(id).test(f.ruleId))
  const ids = refIds(rule?.refs, d.tool).map((x) => x.toLowerCase())
  if (!ids.length) return false
  const written = d.ids.map((id) => id.toLowerCase())
  // cfn-lint's template-wide ignore_checks names rules by the start of their id (`W2` is W2xxx).
  if (d.idMatch === 'prefix') return written.some((id) => ids.some((ref) => ref.startsWith(id)))
  return written.some((id) => (id === '*' && d.idMatch !== 'exact') || ids.includes(id))
}

const globCache = new Map<string, RegExp>()

/** A rule id pattern: `*` matches any run of characters (across `/`), `?` one. */
export function ruleGlob(pattern: string): RegExp {
  let re = globCache.get(pattern)
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*+/g, '.*').replace(/\?/g, '.')
    re = new RegExp(`^${body}$`, 'i')
    globCache.set(pattern, re)
  }
  return re
}

/**
 * The setting for a rule on a path: the most specific matching key of `rules` (an exact id over
 * a glob, a longer glob over a shorter one), then each matching override in order, later winning.
 */
function rateRules(settings: Settings): (ruleId: string, path: string) => RuleSetting | undefined {
  const pick = (rules: Record<string, RuleSetting>, ruleId: string): RuleSetting | undefined => {
    if (rules[ruleId] !== undefined) return rules[ruleId]
    let best: { key: string; value: RuleSetting } | undefined
    for (const [key, value] of Object.entries(rules)) {
      if (ruleGlob(key).test(ruleId) && (!best || key.replace(/\*/g, '').length > best.key.replace(/\*/g, '').length)) best = { key, value }
    }
    return best?.value
  }
  const overrides = settings.overrides.map((o) => ({ match: picomatch(o.files, { dot: true }), rules: o.rules }))
  // The global setting depends on the rule alone: looked up once per rule, not once per finding.
  const global = new Map<string, RuleSetting | undefined>()
  return (ruleId, path) => {
    let setting = global.get(ruleId)
    if (setting === undefined && !global.has(ruleId)) global.set(ruleId, (setting = pick(settings.rules, ruleId)))
    for (const o of overrides) {
      if (!o.match(path)) continue
      const s = pick(o.rules, ruleId)
      if (s !== undefined) setting = s
    }
    return setting
  }
}

/** Whether a set of line numbers holds one in `from`..`to` (an entry is a few lines, the set may be large). */
function anyLineIn(lines: ReadonlySet<number>, from: number, to: number): boolean {
  for (let line = from; line <= to; line++) if (lines.has(line)) return true
  return false
}
