/**
 * One catalogue over every rule (file kinds, secrets, cost, imports, settings): ids are unique and
 * carry their kind's prefix, every rule explains itself and says what it informs, `refs` name only
 * tools Preflight knows, and the generated docs list every rule. For every language, its checks
 * declare its rules between them, and a check that reports a rule it did not declare throws.
 */
import { readFileSync } from 'node:fs'
import { ALL_RULES, CROSS_KIND_RULES, contextPathsForFile } from '../src/rules/index.js'
import { LANGUAGES, languageOf, planTextOf } from '../src/rules/registry.js'
import { defineLanguage } from '../src/rules/language.js'
import { checkReporter, defineRules, reporterFor, UndeclaredRuleError } from '../src/rules/rule.js'
import { checkValues } from '../src/rules/helm/values.js'
import { SETTINGS_RULES } from '../src/settings/apply.js'
import { CATEGORIES, FILE_KINDS, REF_TOOLS, SEVERITIES, TOPICS, type FileKind, type Finding, type RuleMeta } from '../src/types.js'

const CATALOGUE: RuleMeta[] = [...ALL_RULES, ...SETTINGS_RULES]

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

  it('the generated docs list every rule of the file kinds, secrets, imports and cost', () => {
    const doc = readFileSync('docs/rules.md', 'utf8')
    expect(ALL_RULES.filter((r) => !doc.includes(`\`${r.id}\``)).map((r) => r.id)).toEqual([])
  })
})

describe('the registry', () => {
  /** Who declares each rule: a language by its kind, or a cross-kind family. */
  const owners = new Map<string, string[]>()
  const own = (rules: readonly RuleMeta[], owner: string): void => {
    for (const r of rules) owners.set(r.id, [...(owners.get(r.id) ?? []), owner])
  }
  for (const l of LANGUAGES) own(l.rules, l.kind)
  for (const [family, rules] of Object.entries(CROSS_KIND_RULES)) own(rules, family)
  own(SETTINGS_RULES, 'settings')

  it('every rule of the catalogue is declared by exactly one language or cross-kind family', () => {
    expect(CATALOGUE.filter((r) => owners.get(r.id)?.length !== 1).map((r) => `${r.id}: ${owners.get(r.id)?.join(', ') ?? 'nobody'}`)).toEqual([])
  })

  it("a language's rules are all of its kind (the secret scan's rules of a kind belong to the secrets family)", () => {
    for (const l of LANGUAGES) expect(l.rules.filter((r) => r.kind !== l.kind).map((r) => r.id)).toEqual([])
  })

  it('ALL_RULES is derived from the registry: the languages in order, then secrets, imports and cost', () => {
    expect(ALL_RULES).toEqual([...LANGUAGES.flatMap((l) => l.rules), ...CROSS_KIND_RULES.secrets, ...CROSS_KIND_RULES.import, ...CROSS_KIND_RULES.cost])
  })

  it.each(LANGUAGES.map((l) => [l.kind, l] as const))("%s: the checks split the language's rules between them, each rule declared by exactly one check", (kind, language) => {
    const checks = language.checks
    expect(checks.length).toBeGreaterThan(0)
    for (const check of checks) expect(check.rules.length).toBeGreaterThan(0)
    // By identity, as `report` compares them: a check holds the language's metas themselves.
    const declared = checks.flatMap((c) => c.rules)
    expect(declared.filter((r, i) => declared.indexOf(r) !== i).map((r) => r.id)).toEqual([])
    expect(declared.filter((r) => !language.rules.includes(r)).map((r) => `${r.id}: declared by a check, not by the language`)).toEqual([])
    expect(language.rules.filter((r) => !declared.includes(r)).map((r) => `${r.id}: declared by no check`)).toEqual([])
  })

  it('has one language per analysed file kind, each with plan texts', () => {
    expect(LANGUAGES.map((l) => l.kind).sort()).toEqual(FILE_KINDS.filter((k) => k !== 'other').sort())
    for (const kind of FILE_KINDS) {
      expect(languageOf(kind)?.kind).toBe(kind === 'other' ? undefined : kind)
      expect(planTextOf(kind).verify.length).toBeGreaterThan(10)
      expect(planTextOf(kind).rollback.length).toBeGreaterThan(10)
    }
    // Only the kinds that read siblings for context name context paths.
    expect(contextPathsForFile({ path: 'Dockerfile', kind: 'dockerfile' })).toEqual([])
    expect(contextPathsForFile({ path: 'infra/main.tf', kind: 'terraform' }).length).toBeGreaterThan(0)
  })
})

describe('report', () => {
  const R = defineRules('dockerfile', {
    mine: { id: 'dockerfile/test-mine', category: 'security', severity: 'high', title: 'Mine', description: 'Declared here.', remediation: 'Fix it.' },
    other: { id: 'dockerfile/test-other', category: 'security', severity: 'low', title: 'Other', description: 'Declared elsewhere.', remediation: 'Fix it.' }
  })

  it("builds a finding from the rule's meta", () => {
    const report = reporterFor([R.mine], 'Dockerfile', 'test')
    expect(report(R.mine, 3, 'bad', { endLine: 4, suggestion: 'USER app' })).toEqual({
      ruleId: 'dockerfile/test-mine',
      category: 'security',
      severity: 'high',
      path: 'Dockerfile',
      line: 3,
      endLine: 4,
      message: 'bad',
      remediation: 'Fix it.',
      suggestion: 'USER app'
    })
  })

  it("lowers a finding's severity when asked, never raises it above the rule's", () => {
    const report = reporterFor([R.mine, R.other], 'Dockerfile', 'test')
    expect(report(R.mine, 1, 'read-only, so less', { severity: 'medium' }).severity).toBe('medium')
    expect(report(R.other, 1, 'asks for more', { severity: 'critical' }).severity).toBe('low')
  })

  it('refuses a rule the module did not declare, and a copy of a declared one', () => {
    const report = reporterFor([R.mine], 'Dockerfile', 'test')
    expect(() => report(R.other, 1, 'x')).toThrow(UndeclaredRuleError)
    expect(() => report({ ...R.mine, severity: 'critical' }, 1, 'x')).toThrow(/dockerfile\/test-mine.*does not declare it/)
  })

  it('narrowed to one check, refuses the rules of the same language that the check did not declare', () => {
    const checks = checkReporter(reporterFor([R.mine, R.other], 'Dockerfile', 'test'), 'test')
    const mine = checks.run({ rules: [R.mine], run: () => checks.report(R.mine, 2, 'ok') }, undefined)
    expect(mine.ruleId).toBe('dockerfile/test-mine')
    expect(() => checks.run({ rules: [R.mine], run: () => checks.report(R.other, 2, 'x') }, undefined)).toThrow(
      /dockerfile\/test-other.*reported by test \(a check declaring `dockerfile\/test-mine`\)/
    )
  })

  it('narrowed in turn to each check it runs: the same report accepts the next check\'s rules, not the last one\'s', () => {
    const checks = checkReporter(reporterFor([R.mine, R.other], 'Dockerfile', 'test'), 'test')
    // Before any check runs, nothing is accepted.
    expect(() => checks.report(R.mine, 1, 'x')).toThrow(UndeclaredRuleError)
    const other = { rules: [R.other], run: (meta: RuleMeta) => checks.report(meta, 3, 'x') }
    checks.run({ rules: [R.mine], run: () => checks.report(R.mine, 1, 'ok') }, undefined)
    expect(checks.run(other, R.other).ruleId).toBe('dockerfile/test-other')
    expect(() => checks.run(other, R.mine)).toThrow(UndeclaredRuleError)
  })

  it("refuses a rule a real language's checks did not declare", () => {
    const report = reporterFor(languageOf('compose')?.rules ?? [], 'docker-compose.yml', 'compose')
    const dockerRule = languageOf('dockerfile')?.rules[0] as RuleMeta
    expect(() => report(dockerRule, 1, 'x')).toThrow(UndeclaredRuleError)
  })

  it('a language whose descriptor leaves out a rule its checks report fails on that rule', async () => {
    // The same analyzer and input: with every rule declared it reports, with one left out it throws.
    const compose = languageOf('compose')
    if (!compose?.analyze) throw new Error('compose has an analyzer')
    const liar = defineLanguage({ ...compose, rules: compose.rules.slice(1) })
    const content = 'services:\n  web:\n    image: nginx:1.25\n'
    const honest = await compose.analyze({ path: 'compose.yml', kind: 'compose', content }, reporterFor(compose.rules, 'compose.yml', 'compose'), undefined, {})
    expect(honest.some((f) => f.ruleId === compose.rules[0].id)).toBe(true)
    await expect(async () => liar.analyze?.({ path: 'compose.yml', kind: 'compose', content }, reporterFor(liar.rules, 'compose.yml', 'compose'), undefined, {})).rejects.toThrow(
      UndeclaredRuleError
    )
  })

  /** A small file per language on which its analyzer reports findings, and the checks it runs. */
  const SAMPLES: { kind: Exclude<FileKind, 'other'>; path: string; content: string }[] = [
    { kind: 'dockerfile', path: 'Dockerfile', content: 'FROM node:latest\nRUN sudo apt-get install -y curl\nCMD node app.js\n' },
    { kind: 'compose', path: 'compose.yml', content: 'services:\n  web:\n    image: nginx\n    privileged: true\n' },
    { kind: 'workflow', path: '.github/workflows/ci.yml', content: 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: some/action@v1\n' },
    {
      kind: 'kubernetes',
      path: 'k8s/app.yaml',
      content: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  hostNetwork: true\n  containers:\n    - name: app\n      image: app:latest\n'
    },
    { kind: 'helm', path: 'chart/values.yaml', content: 'image:\n  tag: latest\nresources: {}\n' },
    {
      kind: 'cloudformation',
      path: 'template.yaml',
      content: 'Resources:\n  Data:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      PubliclyAccessible: true\n'
    },
    {
      kind: 'terraform',
      path: 'main.tf',
      content: 'resource "aws_security_group_rule" "ssh" {\n  type        = "ingress"\n  from_port   = 22\n  to_port     = 22\n  protocol    = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}\n'
    }
  ]

  async function analyzeSample(sample: (typeof SAMPLES)[number]): Promise<Finding[]> {
    const language = languageOf(sample.kind)
    if (!language) throw new Error(`no language for ${sample.kind}`)
    const report = reporterFor(language.rules, sample.path, sample.kind)
    // Helm charts are analysed as a whole: their own checks read values.yaml.
    if (sample.kind === 'helm') return checkValues(sample.path, sample.content, report)
    if (!language.analyze) throw new Error(`${sample.kind} has an analyzer`)
    return language.analyze({ path: sample.path, kind: sample.kind, content: sample.content }, report, undefined, {})
  }

  it('every language has a sample here', () => {
    expect(SAMPLES.map((s) => s.kind).sort()).toEqual(LANGUAGES.map((l) => l.kind).sort())
  })

  it.each(SAMPLES.map((s) => [s.kind, s] as const))('%s: a check that reports a rule it did not declare throws, though the language declares it', async (_kind, sample) => {
    const honest = await analyzeSample(sample)
    const reported = honest.map((f) => f.ruleId)
    // Lie about each check that reports something: the same file, with that check's rule taken away from it.
    const liars = (languageOf(sample.kind)?.checks ?? []).filter((c) => c.rules.some((r) => reported.includes(r.id)))
    expect(liars.length).toBeGreaterThan(0)
    for (const check of liars) {
      const rule = check.rules.find((r) => reported.includes(r.id)) as RuleMeta
      const declared = check.rules
      const mutable = check as { rules: readonly RuleMeta[] }
      mutable.rules = declared.filter((r) => r !== rule)
      try {
        await expect(analyzeSample(sample)).rejects.toThrow(UndeclaredRuleError)
        await expect(analyzeSample(sample)).rejects.toThrow(new RegExp(`\`${rule.id}\`.*a check declaring`))
      } finally {
        mutable.rules = declared
      }
    }
    expect(await analyzeSample(sample)).toEqual(honest)
  })
})
