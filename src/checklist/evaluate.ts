/**
 * Checklist evaluation: each item of a persona's checklist gets a status from the findings of
 * the rules that answer its question (selected by topics, rule ids and file kinds, never by a
 * broad category), with the evidence that decided it.
 *
 * The rule (also in docs/checklist.md):
 * - `n/a`     no changed file is of a kind that any of the item's rules examines;
 * - `unknown` no rule answers the item (it needs a reviewer or the model), the item needs a
 *             measurement (latency, availability targets), or a concerned file could not be
 *             analyzed and no finding already decides the item;
 * - `fail`    at least one critical or high finding of the item's rules;
 * - `warn`    at least one medium or low finding of the item's rules;
 * - `pass`    the concerned files were analyzed and the item's rules found nothing above info;
 *             the evidence says what was checked ("checked: health checks on 3 containers").
 * A model verdict (when a model ran) may refine `pass`/`warn`/`unknown`, but never clears a
 * `fail` that rests on a deterministic finding: evidence beats opinion.
 */
import type { ChecklistItem, ChecklistResult, ChecklistStatus, FileKind, FileNote, Finding, Persona, RuleMeta, Topic } from '../types.js'
import { SEVERITY_RANK, TOPICS } from '../types.js'
import { inferTopics, MEASURED_TOPICS, TOPIC_LABEL } from './topics.js'
import { describeScopes, scopeOf } from './scope.js'

export interface ChecklistInput {
  persona: Persona
  /** Findings on the changed files (whole files, not only changed lines). */
  findings: Finding[]
  /** The changed files that were looked at, with their kinds (and content, to count what was checked). */
  files: { path: string; kind: FileKind; content?: string }[]
  /** Notes on changed files that could not be analyzed. */
  notes: FileNote[]
  rules: RuleMeta[]
}

export interface ModelVerdict {
  item: string
  status: ChecklistStatus
  evidence: string
}

const UNANALYZED: ReadonlySet<FileNote['reason']> = new Set(['parse', 'too-large', 'binary', 'encoding', 'unavailable', 'error'])
const EVIDENCE_LIMIT = 8
export const NEEDS_REVIEWER = 'no rule answers this question; it needs a reviewer or the model'

/** The topics an item is judged on: its own, or those its question's words point to. */
export function itemTopics(item: ChecklistItem): Topic[] {
  return item.topics ?? inferTopics(item.question)
}

function idMatcher(pattern: string): (id: string) => boolean {
  const p = pattern.trim().toLowerCase()
  if (p.endsWith('/*') || p.endsWith('*')) {
    const prefix = p.replace(/(?<!\*)\*+$/, '')
    return (id) => id.toLowerCase().startsWith(prefix)
  }
  return (id) => id.toLowerCase() === p
}

/** The rules whose findings answer an item: by its rule ids, or by a topic they share. */
export function rulesForItem(item: ChecklistItem, rules: RuleMeta[]): RuleMeta[] {
  const topics = new Set(itemTopics(item).filter((t) => !MEASURED_TOPICS.has(t)))
  const ids = (item.rules ?? []).map(idMatcher)
  return rules.filter((r) => {
    if (item.kinds?.length && r.kind !== 'any' && !item.kinds.includes(r.kind)) return false
    return ids.some((m) => m(r.id)) || (r.topics ?? []).some((t) => topics.has(t))
  })
}

/** Which rules could fire on a file of this kind. */
function appliesTo(rule: RuleMeta, kind: FileKind): boolean {
  return rule.kind === kind || (rule.kind === 'any' && kind !== 'other')
}

function describeFinding(f: Finding): string {
  return `${f.ruleId} at ${f.path}:${f.line} (${f.severity})`
}

function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.path.localeCompare(b.path) || a.line - b.line || a.ruleId.localeCompare(b.ruleId)
}

function listEvidence(hits: Finding[]): string[] {
  const evidence = hits.slice(0, EVIDENCE_LIMIT).map(describeFinding)
  if (hits.length > EVIDENCE_LIMIT) evidence.push(`… and ${hits.length - EVIDENCE_LIMIT} more`)
  return evidence
}

export function evaluateChecklist(input: ChecklistInput): ChecklistResult[] {
  const infraFiles = input.files.filter((f) => f.kind !== 'other')
  const unanalyzed = new Set(input.notes.filter((n) => UNANALYZED.has(n.reason)).map((n) => n.path))
  return input.persona.checklist.map((item) => evaluateItem(input, item, infraFiles, unanalyzed))
}

function evaluateItem(input: ChecklistInput, item: ChecklistItem, infraFiles: ChecklistInput['files'], unanalyzed: Set<string>): ChecklistResult {
  const topics = itemTopics(item)
  const base = { agent: input.persona.name, item: item.id, question: item.question, categories: item.categories, topics, source: 'rules' as const }
  const result = (status: ChecklistStatus, evidence: string[]): ChecklistResult => ({ ...base, status, evidence })
  if (infraFiles.length === 0) return result('n/a', ['no infrastructure file changed'])

  const rules = rulesForItem(item, input.rules)
  const measured = topics.filter((t) => MEASURED_TOPICS.has(t))
  const topicSet = new Set(topics)
  const ruleIds = new Set(rules.map((r) => r.id))
  const kindOk = (kind: FileKind): boolean => !item.kinds?.length || item.kinds.includes(kind)
  // Imported results (another tool's ids) count when they carry one of the item's topics.
  const relevant = (f: Finding): boolean => !f.suppressed && (ruleIds.has(f.ruleId) || (f.topics ?? []).some((t) => topicSet.has(t) && !MEASURED_TOPICS.has(t)))

  if (rules.length === 0) {
    if (measured.length) return result('unknown', [`needs a measurement (${measured.join(', ')}); rules cannot decide it`])
    return result('unknown', [NEEDS_REVIEWER])
  }
  const concerned = infraFiles.filter((f) => kindOk(f.kind) && rules.some((r) => appliesTo(r, f.kind)))
  if (concerned.length === 0) {
    const kinds = [...new Set(rules.map((r) => r.kind).filter((k) => k !== 'any'))].sort()
    return result('n/a', [`no changed file of a kind these rules examine${kinds.length ? ` (${kinds.join(', ')})` : ''}`])
  }
  const concernedPaths = new Set(concerned.map((f) => f.path))
  const hits = input.findings.filter((f) => concernedPaths.has(f.path) && relevant(f)).sort(bySeverity)
  const worst = hits.length ? SEVERITY_RANK[hits[0].severity] : -1
  const broken = concerned.filter((f) => unanalyzed.has(f.path)).map((f) => f.path)
  const brokenNote = broken.length ? [`not analyzed: ${broken.slice(0, 3).join(', ')}${broken.length > 3 ? ` +${broken.length - 3} more` : ''}`] : []

  if (measured.length) {
    // Rules can point at risks for a latency or availability target, never settle it.
    const related = hits.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.low)
    return result('unknown', [`needs a measurement (${measured.join(', ')}); rules cannot decide it`, ...listEvidence(related).map((e) => `related: ${e}`), ...brokenNote])
  }
  if (worst >= SEVERITY_RANK.high) return result('fail', [...listEvidence(hits), ...brokenNote])
  if (worst >= SEVERITY_RANK.low) return result('warn', [...listEvidence(hits.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.low)), ...brokenNote])
  if (broken.length) return result('unknown', brokenNote)
  return result('pass', [checkedLine(rules, topics, concerned)])
}

/** "checked: health checks, resource requests and limits on 3 containers, 1 service". */
function checkedLine(rules: RuleMeta[], topics: Topic[], files: ChecklistInput['files']): string {
  const ruleTopics = new Set(rules.flatMap((r) => r.topics ?? []))
  const shown = TOPICS.filter((t) => topics.includes(t) && ruleTopics.has(t))
  const what = shown.length ? shown.map((t) => TOPIC_LABEL[t]).join(', ') : `${rules.length} rule${rules.length === 1 ? '' : 's'}`
  const scopes = files.map((f) => {
    // Rules of the file's own kind look at its units; only secret-style rules ('any') read it whole.
    const own = rules.some((r) => r.kind === f.kind)
    return own ? scopeOf(f.kind, f.content) : { unit: 'file', count: 1 }
  })
  return `checked: ${what} on ${describeScopes(scopes)} (${rules.length} rule${rules.length === 1 ? '' : 's'}, nothing found)`
}

/** Merges the model's verdicts into the deterministic checklist (see the rule above). */
export function mergeModelVerdicts(results: ChecklistResult[], verdicts: ModelVerdict[]): ChecklistResult[] {
  const byItem = new Map(verdicts.map((v) => [v.item, v]))
  return results.map((r) => {
    const v = byItem.get(r.item)
    if (!v) return r
    if (r.status === 'fail') return { ...r, evidence: [...r.evidence, `model: ${v.evidence}`] }
    if (r.status === 'n/a' && v.status === 'pass') return r
    return { ...r, status: v.status, evidence: [`model: ${v.evidence}`, ...r.evidence], source: 'model' }
  })
}

/** The overall verdict from the checklists: fail > warn/unknown > pass. */
export function verdictOf(results: ChecklistResult[]): 'pass' | 'warn' | 'fail' {
  if (results.some((r) => r.status === 'fail')) return 'fail'
  // An item no rule can judge stays `unknown` in the table but does not hold the verdict back.
  if (results.some((r) => r.status === 'warn' || (r.status === 'unknown' && r.categories.length > 0))) return 'warn'
  return 'pass'
}
