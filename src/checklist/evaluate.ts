/**
 * Checklist evaluation: each item of a persona's checklist gets a status from the findings in
 * its categories on the changed files, with the evidence that decided it.
 *
 * The rule (also in docs/checklist.md):
 * - `n/a`     no changed file is of a kind that any rule of the item's categories looks at;
 * - `unknown` a concerned file could not be analyzed (parse error, too large, binary…) and no
 *             finding already decides the item; or the item has no category a rule can judge;
 * - `fail`    at least one critical or high finding in the item's categories;
 * - `warn`    at least one medium or low finding;
 * - `pass`    the concerned files were analyzed and only info findings (or none) were found.
 * A model verdict (when a model ran) may refine `pass`/`warn`/`unknown`, but never clears a
 * `fail` that rests on a deterministic finding: evidence beats opinion.
 */
import type { Category, ChecklistResult, ChecklistStatus, FileKind, FileNote, Finding, Persona, RuleMeta } from '../types.js'
import { SEVERITY_RANK } from '../types.js'

export interface ChecklistInput {
  persona: Persona
  /** Findings on the changed files (whole files, not only changed lines). */
  findings: Finding[]
  /** The changed files that were looked at, with their kinds. */
  files: { path: string; kind: FileKind }[]
  /** Notes on changed files that could not be analyzed. */
  notes: FileNote[]
  rules: RuleMeta[]
}

export interface ModelVerdict {
  item: string
  status: ChecklistStatus
  evidence: string
}

/** Which file kinds have at least one rule in each category. */
export function kindsByCategory(rules: RuleMeta[]): Map<Category, Set<FileKind | 'any'>> {
  const map = new Map<Category, Set<FileKind | 'any'>>()
  for (const r of rules) {
    const set = map.get(r.category) ?? new Set()
    set.add(r.kind)
    map.set(r.category, set)
  }
  return map
}

export function evaluateChecklist(input: ChecklistInput): ChecklistResult[] {
  const coverage = kindsByCategory(input.rules)
  const infraFiles = input.files.filter((f) => f.kind !== 'other')
  const unanalyzed = new Set(input.notes.filter((n) => n.reason === 'parse' || n.reason === 'too-large' || n.reason === 'binary' || n.reason === 'encoding' || n.reason === 'unavailable' || n.reason === 'error').map((n) => n.path))

  return input.persona.checklist.map((item) => {
    const concerned = infraFiles.filter((f) =>
      item.categories.some((c) => {
        const kinds = coverage.get(c)
        return kinds?.has(f.kind) || kinds?.has('any')
      })
    )
    const base = { agent: input.persona.name, item: item.id, question: item.question, categories: item.categories, source: 'rules' as const }
    if (item.categories.length === 0) {
      // Nothing a rule checks: only a reviewer (or the model) can answer it.
      return { ...base, status: (infraFiles.length ? 'unknown' : 'n/a') as ChecklistStatus, evidence: ['no rule decides this item; it needs a reviewer or the model'] }
    }
    if (concerned.length === 0) {
      return { ...base, status: 'n/a' as const, evidence: [describeNoFiles(item.categories)] }
    }
    const concernedPaths = new Set(concerned.map((f) => f.path))
    const hits = input.findings
      .filter((f) => concernedPaths.has(f.path) && item.categories.includes(f.category))
      .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.path.localeCompare(b.path) || a.line - b.line)
    const worst = hits.length ? SEVERITY_RANK[hits[0].severity] : -1
    const evidence = hits.slice(0, 8).map((f) => `${f.ruleId} at ${f.path}:${f.line} (${f.severity})`)
    if (hits.length > 8) evidence.push(`… and ${hits.length - 8} more`)
    const broken = concerned.filter((f) => unanalyzed.has(f.path)).map((f) => f.path)

    let status: ChecklistStatus
    if (worst >= SEVERITY_RANK.high) status = 'fail'
    else if (worst >= SEVERITY_RANK.low) status = 'warn'
    else if (broken.length) status = 'unknown'
    else status = 'pass'

    if (broken.length) evidence.push(`not analyzed: ${broken.slice(0, 3).join(', ')}${broken.length > 3 ? ` +${broken.length - 3} more` : ''}`)
    if (status === 'pass') {
      evidence.push(`no ${item.categories.join('/')} finding in ${concerned.length} changed file${concerned.length === 1 ? '' : 's'}`)
    }
    return { ...base, status, evidence }
  })
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

function describeNoFiles(categories: Category[]): string {
  return `no changed file of a kind checked for ${categories.join('/')}`
}

/** The overall verdict from the checklists: fail > warn/unknown > pass. */
export function verdictOf(results: ChecklistResult[]): 'pass' | 'warn' | 'fail' {
  if (results.some((r) => r.status === 'fail')) return 'fail'
  // An item no rule can judge stays `unknown` in the table but does not hold the verdict back.
  if (results.some((r) => r.status === 'warn' || (r.status === 'unknown' && r.categories.length > 0))) return 'warn'
  return 'pass'
}
