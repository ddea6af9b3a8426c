import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { findPersona, loadPersonaSet, parsePersona, type PersonaSource } from '../src/agents/loader.js'
import { cleanDescription } from '../src/agents/loader.js'
import { inferCategories } from '../src/agents/recover.js'

/** The real-world persona files live beside the project (../shared/seeds from the repo root). */
const SEEDS = join(process.cwd(), '..', 'shared', 'seeds')
const seed = (file: string): PersonaSource => ({ path: `.claude/agents/${file}`, text: readFileSync(join(SEEDS, file), 'utf8') })

const md = (path: string, text: string): PersonaSource => ({ path, text })

describe('seed persona files load unchanged', () => {
  const cases = [
    {
      file: 'devops-sre-platform.md',
      name: 'devops-sre-platform',
      displayName: 'devops-sre-platform',
      model: 'sonnet',
      tools: [] as string[],
      color: undefined,
      checklist: 10,
      invalidYaml: true
    },
    {
      file: 'infra-architect.md',
      name: 'infra-architect',
      displayName: 'infra-architect',
      model: 'opus',
      tools: [],
      color: 'purple',
      checklist: 5,
      invalidYaml: false
    },
    {
      file: 'devops-engineer.md',
      name: 'devops-engineer',
      displayName: 'devops-engineer',
      model: 'sonnet',
      tools: ['Read', 'Write', 'Edit', 'Bash', 'Grep', 'Glob', 'TodoWrite'],
      color: undefined,
      checklist: 8,
      invalidYaml: false
    },
    {
      file: 'infrastructure-reliability-engineer.md',
      name: 'infrastructure-reliability-engineer',
      displayName: 'infrastructure-reliability-engineer',
      model: 'opus',
      tools: [],
      color: undefined,
      checklist: 8,
      invalidYaml: true
    },
    {
      file: 'infrastructure-maintainer.md',
      name: 'infrastructure-scale-surgeon',
      displayName: 'Infrastructure "Scale Surgeon"',
      model: undefined,
      tools: ['Write', 'Read', 'MultiEdit', 'WebSearch', 'Grep', 'Bash'],
      color: 'purple',
      checklist: 18,
      invalidYaml: true
    }
  ]

  it.each(cases)('$file', (c) => {
    const result = parsePersona(seed(c.file), 'repository')
    expect(result.error).toBeUndefined()
    const p = result.persona!
    expect(p.name).toBe(c.name)
    expect(p.displayName).toBe(c.displayName)
    expect(p.model).toBe(c.model)
    expect(p.tools).toEqual(c.tools)
    expect(p.color).toBe(c.color)
    expect(p.origin).toBe('repository')
    expect(p.source).toBe(`.claude/agents/${c.file}`)
    expect(p.checklist).toHaveLength(c.checklist)
    expect(p.body.length).toBeGreaterThan(1000)
    // Descriptions lose literal "\n" and the <example> blocks meant for another tool's routing.
    expect(p.description).not.toContain('\\n')
    expect(p.description).not.toMatch(/<example>|<commentary>/)
    expect(p.description.length).toBeGreaterThan(40)
    const yamlWarning = result.warnings.some((w) => w.startsWith(`.claude/agents/${c.file}: frontmatter is not valid YAML`))
    expect(yamlWarning).toBe(c.invalidYaml)
  })

  it('recovers the SRE self-verification checklist with inferred categories', () => {
    const p = parsePersona(seed('devops-sre-platform.md'), 'repository').persona!
    expect(p.checklist.map((i) => i.categories)).toEqual([
      ['slo'],
      ['slo'],
      ['immutability'],
      ['rollback'],
      ['observability'],
      ['cost'],
      [],
      ['secrets'],
      ['backup'],
      ['slo']
    ])
    expect(p.checklist[0]).toEqual({ id: 'maintain-99-95-donor', question: 'Does this maintain the 99.95% donor flow SLO?', categories: ['slo'], topics: ['availability-target'] })
    expect(p.description).toBe(
      'Use this agent when you need to design, implement, or maintain production infrastructure, CI/CD pipelines, or site reliability practices.'
    )
  })

  it('recovers the architect definition of done and body keywords of the devops engineer', () => {
    const architect = parsePersona(seed('infra-architect.md'), 'repository').persona!
    expect(architect.checklist.map((i) => i.id)).toEqual([
      'specific-node-dies-service',
      'system-automatically-handle-10x',
      'deployment-fails-quickly-system',
      'dashboard-or-log-operator',
      'single-largest-cost-driver'
    ])
    expect(architect.checklist.map((i) => i.categories)).toEqual([['slo'], ['slo'], ['rollback'], ['observability'], ['cost']])
    const devops = parsePersona(seed('devops-engineer.md'), 'repository')
    expect(devops.persona!.triggers.keywords).toEqual(['deploy', 'infrastructure', 'pipeline', 'CI/CD', 'Docker', 'Kubernetes', 'cloud', 'container', 'monitoring', 'scaling'])
    expect(devops.persona!.triggers.files).toEqual(['kubernetes', 'helm', 'dockerfile', 'compose', 'workflow'])
    expect(devops.warnings).toEqual([
      '.claude/agents/devops-engineer.md: no checklist found in the frontmatter or the body; the default checklist is used'
    ])
  })

  it('gives the reliability seed cost triggers taken from its description', () => {
    const p = parsePersona(seed('infrastructure-reliability-engineer.md'), 'repository').persona!
    expect(p.triggers.keywords).toContain('cost')
    expect(p.checklist.some((i) => i.categories.includes('cost'))).toBe(true)
  })
})

describe('parsePersona on hand-made files', () => {
  it('loads broken YAML line by line, converting literal \\n and reading the body checklist', () => {
    const text = readFileSync(join(process.cwd(), '__tests__/__fixtures__/agents/local/b-broken.md'), 'utf8')
    const result = parsePersona(md('.github/agents/b-broken.md', text), 'repository')
    const p = result.persona!
    expect(p.name).toBe('cost-hawk')
    expect(p.description).toBe('Watches spend: flags anything that costs money\n\nUse it on every Terraform change.')
    expect(p.tools).toEqual(['Read', 'Grep'])
    expect(p.triggers).toEqual({ keywords: ['cost', 'budget', 'instance type'], files: ['terraform'] })
    expect(p.checklist).toEqual([
      { id: 'monthly-cost-new-resources', question: 'Is the monthly cost of new resources estimated in dollars?', categories: ['cost'], topics: ['cost-sizing', 'cost-waste'] },
      { id: 'new-buckets-lifecycle-rules', question: 'Do new buckets have lifecycle rules and a backup or snapshot policy?', categories: ['backup'], topics: ['backups', 'cost-waste'] },
      { id: 'credentials-read-from-vault', question: 'Are credentials read from the vault rather than written inline?', categories: ['secrets'], topics: ['secret-storage', 'secret-exposure'] }
    ])
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toMatch(/^\.github\/agents\/b-broken\.md: frontmatter is not valid YAML \(line 3: .*\); recovered name, description, model, tools line by line$/)
  })

  it('reports a missing name as an error naming the file', () => {
    const result = parsePersona(md('.claude/agents/anon.md', '---\ndescription: no name here\nmodel: sonnet\n---\nBody.\n'), 'repository')
    expect(result.persona).toBeUndefined()
    expect(result.error).toBe('.claude/agents/anon.md: frontmatter has no `name`')
  })

  it('refuses ---js frontmatter without evaluating it', () => {
    const g = globalThis as { __personaPwned?: boolean }
    delete g.__personaPwned
    const evil = '---js\n{ name: (globalThis.__personaPwned = true, "evil"), description: "x" }\n---\nBody\n'
    for (const text of [evil, evil.replace('---js', '---javascript'), evil.replace('---js', '--- js')]) {
      const result = parsePersona(md('.github/agents/evil.md', text), 'repository')
      expect(result.persona).toBeUndefined()
      expect(result.error).toMatch(/^\.github\/agents\/evil\.md: `---(js|javascript)` frontmatter is refused: it would be executable code/)
    }
    expect(g.__personaPwned).toBeUndefined()
  })

  it.each([
    ['empty', '', 'is empty'],
    ['whitespace', ' \n\n \t\n', 'is empty'],
    ['binary', 'PK\u0003\u0004\u0000\u0000garbage', 'is a binary file, not Markdown'],
    ['no frontmatter', '# Just a README\n\nNothing here.\n', 'no frontmatter (a persona file starts with a `---` line)'],
    ['unclosed', '---\nname: x\n', 'the frontmatter opened at line 1 is never closed with `---`'],
    ['toml', '---toml\nname = "x"\n---\n', '`---toml` frontmatter is not supported: only YAML is read'],
    ['punctuation name', '---\nname: "!!!"\n---\nbody\n', 'name "!!!" has no letters or digits to make a slug from']
  ])('hopeless file: %s', (_label, text, reason) => {
    const result = parsePersona(md('agents/x.md', text), 'bundled')
    expect(result.persona).toBeUndefined()
    expect(result.error).toBe(`agents/x.md: ${reason}`)
  })

  it('reports a read error carried by the source', () => {
    const result = parsePersona({ path: '.github/agents/locked.md', text: '', readError: 'EACCES' }, 'repository')
    expect(result.error).toBe('.github/agents/locked.md: cannot be read (EACCES)')
  })

  it('normalizes aliases, checklist entries and unknown categories', () => {
    const text = [
      '---',
      'name: My Reviewer',
      'description: Reviews things',
      'model: inherit',
      'aliases: [Rev, "My Reviewer", rev, "Big Boss"]',
      'triggers: [deploy, Deploy]',
      'checklist:',
      '  - Is the rollback plan written down?',
      '  - { id: Pin, question: "Are images pinned by digest?", categories: [immutability, vibes] }',
      '  - { id: pin, question: "Is the cost of the NAT gateway known?" }',
      '  - { id: empty }',
      '---',
      'Body',
      ''
    ].join('\n')
    const result = parsePersona(md('.github/agents/mine.md', text), 'repository')
    const p = result.persona!
    expect(p.name).toBe('my-reviewer')
    expect(p.displayName).toBe('My Reviewer')
    expect(p.model).toBeUndefined()
    expect(p.aliases).toEqual(['rev', 'big-boss'])
    expect(p.triggers.keywords).toEqual(['deploy'])
    expect(p.checklist).toEqual([
      { id: 'rollback-plan-written-down', question: 'Is the rollback plan written down?', categories: ['rollback'], topics: ['rollback-path'] },
      { id: 'pin', question: 'Are images pinned by digest?', categories: ['immutability'], topics: ['immutable-artifacts'] },
      { id: 'pin-2', question: 'Is the cost of the NAT gateway known?', categories: ['cost'], topics: ['cost-sizing', 'cost-waste'] }
    ])
    expect(result.warnings).toEqual([
      '.github/agents/mine.md: checklist item "pin": unknown category vibes ignored',
      '.github/agents/mine.md: checklist id "pin" is used twice; the second one is renamed',
      '.github/agents/mine.md: checklist item 4 has no question; skipped'
    ])
  })

  it('strips a UTF-8 BOM and accepts CRLF line endings', () => {
    const result = parsePersona(md('a.md', '\uFEFF---\r\nname: crlf\r\ndescription: Windows file\r\n---\r\nBody\r\n'), 'repository')
    expect(result.persona?.name).toBe('crlf')
    expect(result.persona?.description).toBe('Windows file')
  })
})

describe('inferCategories', () => {
  it.each([
    ['Is there a way to revert the release?', ['rollback']],
    ['Are credentials kept in Vault?', ['secrets']],
    ['Does the error budget survive, with p95 latency intact?', ['slo']],
    ['Are there dashboards and traces?', ['observability']],
    ['Does this stay under $200 a month?', ['cost']],
    ['Can we restore from the nightly snapshot?', ['backup']],
    ['Is the image pinned by digest?', ['immutability']],
    ['Is TLS enforced and IAM least privilege?', ['security']],
    ['Is the login catalog readable?', []]
  ])('%s', (text, expected) => {
    expect(inferCategories(text)).toEqual(expected)
  })
})

describe('cleanDescription', () => {
  it('keeps paragraphs, joins wrapped lines and drops example blocks and their lead-in', () => {
    expect(cleanDescription('First line\nwraps here. Examples:\\n\\n<example>user: hi</example>\\n<example>x')).toBe('First line wraps here.')
    expect(cleanDescription('One.\\n\\nTwo.')).toBe('One.\n\nTwo.')
  })
})

describe('loadPersonaSet', () => {
  /** The warnings about the set itself, without the per-file notes these minimal files produce. */
  const setWarnings = (warnings: string[]): string[] => warnings.filter((w) => !/no checklist found|no `description`/.test(w))
  const bundledSre = md(
    'agents/devops-sre-platform.md',
    '---\nname: devops-sre-platform\ndescription: bundled SRE\naliases: [sre, platform]\n---\nBundled body\n'
  )
  const bundledScale = md('agents/scale.md', '---\nname: scale-surgeon\ndescription: bundled scale\naliases: [scale, cost]\n---\nBody\n')

  it('lets a repository persona replace a bundled one of the same name', () => {
    const local = md('.github/agents/sre.md', '---\nname: DevOps SRE Platform\ndescription: ours\naliases: [oncall]\n---\nOurs\n')
    const result = loadPersonaSet([bundledSre, bundledScale], [local])
    expect(result.personas.map((p) => [p.name, p.origin, p.source, p.replaces])).toEqual([
      ['devops-sre-platform', 'repository', '.github/agents/sre.md', 'devops-sre-platform'],
      ['scale-surgeon', 'bundled', 'agents/scale.md', undefined]
    ])
    expect(setWarnings(result.warnings)).toEqual(['.github/agents/sre.md: replaces the bundled persona "devops-sre-platform" (agents/devops-sre-platform.md)'])
    expect(findPersona(result.personas, 'sre')).toBeUndefined()
    expect(findPersona(result.personas, 'ONCALL')?.source).toBe('.github/agents/sre.md')
  })

  it('picks the first file by path when two repository personas claim a name, and names both files', () => {
    const first = md('.claude/agents/a.md', '---\nname: reviewer\ndescription: first\n---\nA\n')
    const second = md('.github/agents/b.md', '---\nname: Reviewer\ndescription: second\n---\nB\n')
    const result = loadPersonaSet([], [second, first])
    expect(result.personas.map((p) => p.description)).toEqual(['first'])
    expect(setWarnings(result.warnings)).toEqual([
      '.github/agents/b.md: persona "reviewer" is already defined by .claude/agents/a.md; the first one (.claude/agents/a.md) is used and this one is ignored'
    ])
  })

  it('keeps a contested alias with the first repository persona', () => {
    const a = md('.github/agents/a.md', '---\nname: alpha\naliases: [Shared, own-a]\n---\nA\n')
    const b = md('.github/agents/b.md', '---\nname: beta\naliases: [shared, alpha-like]\n---\nB\n')
    const c = md('.github/agents/c.md', '---\nname: gamma\naliases: [beta]\n---\nC\n')
    const result = loadPersonaSet([], [c, b, a])
    expect(result.personas.map((p) => [p.name, p.aliases])).toEqual([
      ['alpha', ['shared', 'own-a']],
      ['beta', ['alpha-like']],
      ['gamma', []]
    ])
    expect(setWarnings(result.warnings)).toEqual([
      '.github/agents/b.md: alias "shared" is already claimed by .github/agents/a.md; it stays with .github/agents/a.md',
      '.github/agents/c.md: alias "beta" is already claimed by .github/agents/b.md; it stays with .github/agents/b.md'
    ])
  })

  it('gives a bundled alias to the repository persona that claims it, but never a bundled name', () => {
    const local = md('.github/agents/cost.md', '---\nname: cost\ndescription: our cost reviewer\naliases: [scale-surgeon, money]\n---\nBody\n')
    const result = loadPersonaSet([bundledScale], [local])
    expect(result.personas.map((p) => [p.name, p.aliases])).toEqual([
      ['scale-surgeon', ['scale']],
      ['cost', ['money']]
    ])
    expect(setWarnings(result.warnings)).toEqual([
      '.github/agents/cost.md: alias "cost" now refers to this persona instead of the bundled agents/scale.md',
      '.github/agents/cost.md: alias "scale-surgeon" is the name of a bundled persona; ignored'
    ])
    expect(findPersona(result.personas, 'cost')?.origin).toBe('repository')
  })

  it('turns broken files into warnings and keeps loading the rest', () => {
    const result = loadPersonaSet([bundledSre], [md('.github/agents/x.md', '\u0000\u0001'), md('.github/agents/y.md', 'no frontmatter')])
    expect(result.personas.map((p) => p.name)).toEqual(['devops-sre-platform'])
    expect(setWarnings(result.warnings)).toEqual([
      '.github/agents/x.md: is a binary file, not Markdown',
      '.github/agents/y.md: no frontmatter (a persona file starts with a `---` line)'
    ])
  })

  it('finds personas by name, alias and display name', () => {
    const { personas } = loadPersonaSet([md('agents/s.md', '---\nname: Infrastructure "Scale Surgeon"\naliases: [scale]\n---\nB\n')], [])
    expect(findPersona(personas, 'infrastructure-scale-surgeon')?.name).toBe('infrastructure-scale-surgeon')
    expect(findPersona(personas, ' Scale ')?.name).toBe('infrastructure-scale-surgeon')
    expect(findPersona(personas, 'infrastructure "scale surgeon"')?.name).toBe('infrastructure-scale-surgeon')
    expect(findPersona(personas, 'Infrastructure Scale Surgeon')?.name).toBe('infrastructure-scale-surgeon')
    expect(findPersona(personas, 'surgeon')).toBeUndefined()
  })
})
