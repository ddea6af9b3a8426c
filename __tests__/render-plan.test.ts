import { buildDeterministicPlan, renderPlan } from '../src/render/plan.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import type { ChangeSet, Finding } from '../src/types.js'

const sre = loadPersonaSet(readBundledPersonas(), []).personas.find((p) => p.aliases.includes('sre'))!
const change: ChangeSet = {
  title: 'Open the bastion',
  body: '',
  labels: [],
  number: 42,
  notes: [],
  files: [
    { path: 'infra/main.tf', kind: 'terraform', status: 'modified' },
    { path: 'k8s/web.yaml', kind: 'kubernetes', status: 'added' }
  ]
}
const f = (ruleId: string, path: string, line: number, severity: Finding['severity'], category: Finding['category'] = 'security'): Finding => ({
  ruleId,
  path,
  line,
  severity,
  category,
  message: `${ruleId} message`,
  remediation: `fix ${ruleId}`
})

describe('the deterministic plan', () => {
  const findings = [
    f('k8s/no-cpu-limits', 'k8s/web.yaml', 20, 'low', 'cost'),
    f('tf/aws-sg-open-ssh', 'infra/main.tf', 9, 'high'),
    f('k8s/privileged-container', 'k8s/web.yaml', 19, 'critical'),
    f('k8s/writable-root-filesystem', 'k8s/web.yaml', 18, 'low'),
    f('tf/aws-rds-no-deletion-protection', 'infra/main.tf', 30, 'medium', 'rollback')
  ]
  const plan = buildDeterministicPlan({ persona: sre, change, findings, checklist: [] })

  it('orders steps by severity and groups low findings of a file into one step', () => {
    expect(plan.steps.map((s) => s.title)).toEqual([
      'Fix k8s/privileged-container in k8s/web.yaml',
      'Fix tf/aws-sg-open-ssh in infra/main.tf',
      'Address tf/aws-rds-no-deletion-protection in infra/main.tf',
      'Harden k8s/web.yaml (2 low-severity findings)'
    ])
    expect(plan.steps[3].detail).toBe('`k8s/writable-root-filesystem` (line 18); `k8s/no-cpu-limits` (line 20)')
  })

  it('says how to verify each step and how to roll back each kind of change', () => {
    expect(plan.steps[0].verify).toContain('kubectl rollout status')
    expect(plan.steps[1].verify).toContain('terraform plan')
    expect(plan.rollback.join('\n')).toMatch(/terraform apply/)
    expect(plan.rollback.join('\n')).toMatch(/kubectl rollout undo/)
    expect(plan.title).toBe(`Plan for PR #42 — ${sre.displayName}`)
  })

  it('renders every section of the plan document', () => {
    const md = renderPlan(plan, [])
    for (const heading of ['## Context and assumptions', '## Files to change', '## Steps', '## Rollback plan', '## Verification', '## Checklist']) {
      expect(md).toContain(heading)
    }
    expect(md).toContain('1. **Fix k8s/privileged-container in k8s/web.yaml** — fix k8s/privileged-container (line 19)')
    expect(md).toContain('   - Verify: ')
  })
})
