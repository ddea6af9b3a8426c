/**
 * `withoutRestated` builds its lookup keys only for the rules it asks about. This property checks
 * it against the plain definition (keys for every finding) on generated finding lists that mix
 * superseded, superseding, restated and restating rules with others, over a few paths and lines.
 */
import fc from 'fast-check'
import type { Finding } from '../src/types.js'
import { SUPERSEDED_BY, withoutRestated } from '../src/cost/meta.js'

/** The restated pair `withoutRestated` knows besides SUPERSEDED_BY (a cost finding without figures, and the rule that always reports it too). */
const RESTATED_BY: Record<string, string> = { 'cost/k8s-no-limits': 'k8s/no-memory-limits' }

/** The plain definition: one key set over every cost finding, one line index over every finding. */
function reference(findings: Finding[]): Finding[] {
  const costAt = new Set(findings.filter((f) => f.category === 'cost').map((f) => `${f.ruleId}\u0000${f.path}\u0000${f.line}`))
  const lines = new Map<string, number[]>()
  for (const f of findings) lines.set(`${f.ruleId}\u0000${f.path}`, [...(lines.get(`${f.ruleId}\u0000${f.path}`) ?? []), f.line].sort((a, b) => a - b))
  return findings.filter((f) => {
    const by = SUPERSEDED_BY[f.ruleId]
    if (by && costAt.has(`${by}\u0000${f.path}\u0000${f.line}`)) return false
    const rule = RESTATED_BY[f.ruleId]
    if (!rule || f.monthlyCostUsd !== undefined || f.monthlySavingUsd !== undefined) return true
    const next = (lines.get(`${f.ruleId}\u0000${f.path}`) ?? []).find((l) => l > f.line) ?? Infinity
    const at = (lines.get(`${rule}\u0000${f.path}`) ?? []).find((l) => l >= f.line)
    return !(at !== undefined && at < next)
  })
}

const RULES = ['tf/aws-ebs-gp2', 'tf/aws-oversized-instance', 'cost/ebs-gp2', 'cost/oversized-instance', 'cost/k8s-no-limits', 'k8s/no-memory-limits', 'k8s/no-cpu-limits', 'cost/s3-no-lifecycle']

const FINDING = fc
  .record({
    ruleId: fc.constantFrom(...RULES),
    category: fc.constantFrom('cost', 'terraform', 'kubernetes'),
    path: fc.constantFrom('a.tf', 'k/b.yaml', 'c.yaml'),
    line: fc.integer({ min: 1, max: 12 }),
    cost: fc.option(fc.constantFrom(0, 12.5), { nil: undefined }),
    saving: fc.option(fc.constantFrom(0, 3), { nil: undefined })
  })
  .map(({ ruleId, category, path, line, cost, saving }): Finding => {
    const f = { ruleId, category, severity: 'low', path, line, message: `${ruleId} at ${line}`, remediation: '' } as Finding
    if (cost !== undefined) f.monthlyCostUsd = cost
    if (saving !== undefined) f.monthlySavingUsd = saving
    return f
  })

describe('withoutRestated', () => {
  test('drops exactly what the plain definition drops', () => {
    fc.assert(
      fc.property(fc.array(FINDING, { maxLength: 30 }), (findings) => {
        expect(withoutRestated(findings)).toEqual(reference(findings))
      }),
      { numRuns: 5000 }
    )
  })

  test('drops a superseded scan finding and a restated cost finding, keeps the rest', () => {
    const make = (ruleId: string, category: string, path: string, line: number): Finding => ({ ruleId, category, severity: 'low', path, line, message: '', remediation: '' }) as Finding
    const findings = [make('tf/aws-ebs-gp2', 'terraform', 'a.tf', 3), make('cost/ebs-gp2', 'cost', 'a.tf', 3), make('tf/aws-ebs-gp2', 'terraform', 'a.tf', 9), make('cost/k8s-no-limits', 'cost', 'k.yaml', 4), make('k8s/no-memory-limits', 'kubernetes', 'k.yaml', 6)]
    expect(withoutRestated(findings).map((f) => `${f.ruleId}@${f.line}`)).toEqual(['cost/ebs-gp2@3', 'tf/aws-ebs-gp2@9', 'k8s/no-memory-limits@6'])
  })
})
