/**
 * Runs every rule's valid and invalid cases (./cases/<kind>.ts) through the public engine, one
 * `describe` per rule, then checks that every rule of the catalogue (the engine's rules and the
 * cost rules) has at least one case of each sort, apart from the few listed in UNCOVERED with the
 * reason.
 */
import { ALL_RULES } from '../../src/rules/index.js'
import { costRules } from '../../src/cost/meta.js'
import { RuleTester, findingsFor, mismatches } from '../helpers/rule-tester.js'
import { ALL_CASES, KNOWN_RULE_BUGS } from './cases/index.js'

/**
 * Rules a valid/invalid source file cannot show through the engine: their input is not a
 * repository file, or a cost rule restates them at the same place in every analysis. Their own
 * tests cover them.
 */
export const UNCOVERED: Record<string, string> = {
  'tf/aws-ebs-gp2': 'restated with its monthly figure by cost/ebs-gp2 at the same place in every analysis (SUPERSEDED_BY, src/cost/meta.ts); cost/ebs-gp2 has the cases',
  'tf/aws-oversized-instance': 'restated with its monthly figure by cost/oversized-instance at the same place in every analysis (SUPERSEDED_BY); cost/oversized-instance has the cases',
  'cost/k8s-no-limits': 'gives way to k8s/no-memory-limits in the same object in every analysis (RESTATED_BY, src/cost/meta.ts); only an audit estimate reports it (__tests__/audit-estimate.test.ts)',
  'tfplan/destroys-stateful': 'made from a saved `terraform show -json` plan, not a source file (__tests__/import.test.ts)',
  'tfplan/replaces-stateful': 'made from a saved `terraform show -json` plan, not a source file (__tests__/import.test.ts)',
  'infracost/monthly-increase': 'made from an Infracost JSON report (__tests__/import.test.ts, e2e-imports.test.ts)',
  'infracost/monthly-total': 'made from an Infracost JSON report (__tests__/import.test.ts, e2e-imports.test.ts)',
  'secrets/secretlint': 'fallback for a secretlint preset rule Preflight does not name yet; every rule of the installed preset has its own id'
}

/** Every rule findings can carry: the engine's registry and the cost rules (one list once they join it). */
const CATALOGUE = [...ALL_RULES, ...costRules.filter((c) => !ALL_RULES.some((r) => r.id === c.id))]

const tester = new RuleTester()
for (const [ruleId, cases] of Object.entries(ALL_CASES)) tester.run(ruleId, cases, { failing: KNOWN_RULE_BUGS[ruleId] })

describe('rule tester coverage', () => {
  it('every rule has a valid and an invalid case, or a reason in UNCOVERED', () => {
    const lacking = CATALOGUE.filter((r) => !(r.id in UNCOVERED))
      .filter((r) => {
        const seen = tester.coverage.get(r.id)
        return !seen || seen.valid === 0 || seen.invalid === 0
      })
      .map((r) => r.id)
    expect(lacking).toEqual([])
  })

  it('UNCOVERED names only rules that exist and have no cases', () => {
    const ids = new Set(CATALOGUE.map((r) => r.id))
    for (const id of Object.keys(UNCOVERED)) {
      expect(ids.has(id)).toBe(true)
      expect(tester.coverage.has(id)).toBe(false)
    }
  })

  it('every known rule bug names an existing case of its rule', () => {
    const stale = Object.entries(KNOWN_RULE_BUGS).flatMap(([id, names]) =>
      names.filter((n) => ![...(ALL_CASES[id]?.valid ?? []), ...(ALL_CASES[id]?.invalid ?? [])].some((c) => c.name === n)).map((n) => `${id}: ${n}`)
    )
    expect(stale).toEqual([])
  })

  it('cases name only rules of the catalogue', () => {
    const ids = new Set(CATALOGUE.map((r) => r.id))
    expect(Object.keys(ALL_CASES).filter((id) => !ids.has(id))).toEqual([])
  })
})

describe('the rule tester itself', () => {
  it('refuses an unknown rule id', () => {
    expect(() => new RuleTester().run('dockerfile/no-such-rule', { valid: [], invalid: [] })).toThrow(/unknown rule id/)
  })

  it('keeps only the findings of the rule under test', async () => {
    const findings = await findingsFor('dockerfile/expose-ssh', { code: 'FROM node\nEXPOSE 22\nCMD node x.js\n' })
    expect(findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['dockerfile/expose-ssh@2'])
  })

  it('refuses a case whose file could not be parsed, so a broken file never passes as valid', async () => {
    await expect(findingsFor('k8s/privileged-container', { code: 'apiVersion: v1\nkind: Pod\nspec: [unclosed\n' })).rejects.toThrow(/not fully analysed/)
  })

  it('refuses a case with no file of the rule\'s kind, so it cannot pass for the wrong reason', async () => {
    await expect(findingsFor('k8s/privileged-container', { path: 'notes/pod.txt', code: 'privileged: true\n' })).rejects.toThrow(/classified as kubernetes/)
  })

  it('derives each file kind from its path and content, as the pipeline does', async () => {
    const { filesOf } = await import('../helpers/rule-tester.js')
    const kinds = filesOf({ files: { 'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\n', 'charts/app/values.yaml': 'a: 1\n', 'main.tf': '', Dockerfile: 'FROM x\n' } }, 'any').map((f) => f.kind)
    expect(kinds).toEqual(['helm', 'helm', 'terraform', 'dockerfile'])
  })

  it('reports a wrong line, a missing or extra finding, and a message, severity or suggestion that differ', async () => {
    const findings = await findingsFor('dockerfile/expose-ssh', { code: 'FROM alpine:3.20\nEXPOSE 22\n' })
    expect(mismatches(findings, [{ line: 2 }], 'Dockerfile')).toEqual([])
    expect(mismatches(findings, [{ line: 3 }], 'Dockerfile')).toEqual(['no finding at Dockerfile:3'])
    expect(mismatches(findings, [{ line: 2 }, { line: 2 }], 'Dockerfile')[0]).toMatch(/expected 2 finding\(s\), got 1/)
    expect(mismatches(findings, [], 'Dockerfile')[0]).toMatch(/expected 0 finding\(s\), got 1/)
    expect(mismatches(findings, [{ line: 2, message: /no such words/ }], 'Dockerfile')[0]).toMatch(/message .* does not match/)
    expect(mismatches(findings, [{ line: 2, severity: 'critical' }], 'Dockerfile')[0]).toMatch(/severity medium, expected critical/)
    expect(mismatches(findings, [{ line: 2, suggestion: 'EXPOSE 8080' }], 'Dockerfile')[0]).toMatch(/suggestion/)
    expect(mismatches(findings, [{ line: 2, via: 'variable default' }], 'Dockerfile')[0]).toMatch(/via undefined, expected "variable default"/)
    expect(mismatches(findings, [{ line: 2, path: 'other/Dockerfile' }], 'Dockerfile')).toContain('no finding at other/Dockerfile:2')
  })
})
