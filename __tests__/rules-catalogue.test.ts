/**
 * One catalogue over every rule (file kinds, secrets, cost, imports, settings): ids are unique and
 * carry their kind's prefix, every rule explains itself and says what it informs, `refs` name only
 * tools Preflight knows, and the generated docs list every rule.
 */
import { readFileSync } from 'node:fs'
import { ALL_RULES } from '../src/rules/index.js'
import { costRules } from '../src/cost/meta.js'
import { SETTINGS_RULES } from '../src/settings/apply.js'
import { CATEGORIES, REF_TOOLS, SEVERITIES, TOPICS, type RuleMeta } from '../src/types.js'

const CATALOGUE: RuleMeta[] = [...ALL_RULES, ...costRules.filter((c) => !ALL_RULES.some((r) => r.id === c.id)), ...SETTINGS_RULES]

/** The id prefix each kind's rules carry. */
const PREFIX: Record<string, string[]> = {
  terraform: ['tf/', 'tfplan/', 'cost/'],
  cloudformation: ['cfn/', 'cost/'],
  kubernetes: ['k8s/', 'cost/'],
  helm: ['helm/'],
  compose: ['compose/', 'cost/'],
  dockerfile: ['dockerfile/', 'cost/'],
  workflow: ['workflow/', 'cost/'],
  any: ['secrets/', 'infracost/', 'preflight/', 'cost/']
}

describe('the rule catalogue', () => {
  it('has unique ids', () => {
    const ids = CATALOGUE.map((r) => r.id)
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
    expect(ids.length).toBeGreaterThan(200)
  })

  it.each(CATALOGUE.map((r) => [r.id, r] as const))('%s: prefix, vocabulary, words and refs', (_id, r) => {
    // Secret rules form one family across kinds (`secrets/k8s-secret-data` is a Kubernetes rule).
    expect([...(PREFIX[r.kind] ?? []), 'secrets/'].some((p) => r.id.startsWith(p))).toBe(true)
    expect(CATEGORIES).toContain(r.category)
    expect(SEVERITIES).toContain(r.severity)
    for (const text of [r.title, r.description, r.remediation]) expect(text.trim().length).toBeGreaterThan(8)
    // Notes about suppressions themselves inform no checklist question.
    if (!r.id.startsWith('preflight/')) expect(r.topics?.length ?? 0).toBeGreaterThan(0)
    for (const t of r.topics ?? []) expect(TOPICS).toContain(t)
    for (const [tool, ids] of Object.entries(r.refs ?? {})) {
      expect(REF_TOOLS).toContain(tool)
      for (const id of typeof ids === 'string' ? [ids] : ids) expect(id).toMatch(/^\S{2,120}$/)
    }
  })

  it('the generated docs list every rule of the file kinds, secrets and imports', () => {
    const doc = readFileSync('docs/rules.md', 'utf8')
    expect(ALL_RULES.filter((r) => !doc.includes(`\`${r.id}\``)).map((r) => r.id)).toEqual([])
  })
})
