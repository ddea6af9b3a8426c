import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { findProjectRoot, readBundledPersonas, readPersonaDir } from '../src/agents/bundled.js'
import { findPersona, loadPersonaSet } from '../src/agents/loader.js'
import { CATEGORIES } from '../src/types.js'

const FIXTURES = join(process.cwd(), '__tests__/__fixtures__/agents/local')

describe('bundled personas', () => {
  const sources = readBundledPersonas()
  const { personas, warnings } = loadPersonaSet(sources, [])

  it('reads the five files from agents/ with project-relative paths', () => {
    expect(sources.map((s) => s.path)).toEqual([
      'agents/devops-engineer.md',
      'agents/devops-sre-platform.md',
      'agents/infra-architect.md',
      'agents/infrastructure-maintainer.md',
      'agents/infrastructure-reliability-engineer.md'
    ])
  })

  it('load cleanly: valid YAML, no warnings', () => {
    expect(warnings).toEqual([])
    expect(personas).toHaveLength(5)
  })

  it.each([
    ['sre', 'devops-sre-platform', 'sonnet', 11],
    ['architect', 'infra-architect', 'opus', 5],
    ['devops', 'devops-engineer', 'sonnet', 7],
    ['reliability', 'infrastructure-reliability-engineer', 'opus', 7],
    ['scale', 'infrastructure-scale-surgeon', undefined, 12],
    ['maintainer', 'infrastructure-scale-surgeon', undefined, 12]
  ])('alias %s → %s', (alias, name, model, items) => {
    const p = findPersona(personas, alias)!
    expect(p.name).toBe(name)
    expect(p.model).toBe(model)
    expect(p.origin).toBe('bundled')
    expect(p.checklist).toHaveLength(items)
    expect(p.triggers.keywords.length).toBeGreaterThan(5)
    expect(p.triggers.files.length).toBeGreaterThan(2)
    expect(p.tools).toEqual(['Read', 'Grep', 'Glob'])
    expect(p.description).not.toContain('\n')
    const lines = p.body.split('\n').length
    expect(lines).toBeGreaterThanOrEqual(55)
    expect(lines).toBeLessThanOrEqual(125)
  })

  it('the Scale Surgeon keeps its display name', () => {
    expect(findPersona(personas, 'scale')!.displayName).toBe('Infrastructure "Scale Surgeon"')
  })

  it('SRE checklist asks for the repository targets, not a company\'s numbers', () => {
    const sre = findPersona(personas, 'sre')!
    expect(sre.checklist.map((i) => i.id)).toEqual([
      'availability-slo',
      'latency-p95',
      'immutable-deploy',
      'rollback-plan',
      'monitors-and-alerts',
      'cost-weighed',
      'decisions-documented',
      'secrets-managed',
      'least-privilege',
      'backup-restore',
      'failure-modes'
    ])
    expect(sre.checklist[0].question).toContain('{slo.availability}')
    expect(sre.checklist[1].question).toContain('{slo.latencyP95Ms}')
  })

  it('no bundled persona bakes in a domain or a number of its own', () => {
    for (const p of personas) {
      const text = [p.description, p.body, ...p.checklist.map((i) => i.question)].join('\n')
      expect(text).not.toMatch(/donor|donation|e-commerce|\b99\.\d+\s*%|p95 (<|under|below) \d/i)
    }
  })

  it('every bundled checklist item names its topics explicitly', () => {
    for (const p of personas) for (const item of p.checklist) expect(Array.isArray(item.topics)).toBe(true)
  })

  it('only the cost-minded personas (scale, reliability) trigger on cost for the audit', () => {
    const costPersonas = personas
      .filter((p) => p.triggers.keywords.includes('cost') && p.checklist.some((i) => i.categories.includes('cost')))
      .map((p) => p.name)
    expect(costPersonas).toEqual(['infrastructure-scale-surgeon', 'infrastructure-reliability-engineer'])
  })

  it('every checklist category is from the shared vocabulary and ids are unique', () => {
    for (const p of personas) {
      expect(new Set(p.checklist.map((i) => i.id)).size).toBe(p.checklist.length)
      for (const item of p.checklist) for (const c of item.categories) expect(CATEGORIES).toContain(c)
    }
  })
})

describe('findProjectRoot', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'persona-root-'))
    mkdirSync(join(dir, 'agents'))
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'action.yml'), 'name: x\n')
    writeFileSync(join(dir, 'agents', 'one.md'), '---\nname: one\n---\nBody\n')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('walks up from a bundle in dist/ to the folder holding action.yml and agents/', () => {
    expect(findProjectRoot(join(dir, 'dist'))).toBe(dir)
    const sources = readBundledPersonas(pathToFileURL(join(dir, 'dist', 'index.js')).href)
    expect(sources).toEqual([{ path: 'agents/one.md', text: '---\nname: one\n---\nBody\n' }])
  })

  it('throws a clear error when no agents/ folder is found', () => {
    expect(() => readBundledPersonas(pathToFileURL(join(tmpdir(), 'nowhere-xyz', 'index.js')).href)).toThrow(/bundled personas not found/)
  })
})

describe('readPersonaDir', () => {
  it('lists .md files sorted, relative to the given root, and flags what cannot be read', () => {
    const sources = readPersonaDir(FIXTURES, join(FIXTURES, '..'))
    expect(sources.map((s) => [s.path, s.readError])).toEqual([
      ['local/a-sre-override.md', undefined],
      ['local/b-broken.md', undefined],
      ['local/folder.md', 'not a regular file'],
      ['local/notes.md', undefined]
    ])
    const result = loadPersonaSet(readBundledPersonas(), sources)
    expect(result.personas.map((p) => `${p.name}:${p.origin}`)).toEqual([
      'devops-engineer:bundled',
      'devops-sre-platform:repository',
      'infra-architect:bundled',
      'infrastructure-scale-surgeon:bundled',
      'infrastructure-reliability-engineer:bundled',
      'cost-hawk:repository'
    ])
    expect(result.warnings).toEqual([
      expect.stringMatching(/^local\/b-broken\.md: frontmatter is not valid YAML \(line 3: /),
      'local/folder.md: cannot be read (not a regular file)',
      'local/notes.md: no frontmatter (a persona file starts with a `---` line)',
      'local/a-sre-override.md: replaces the bundled persona "devops-sre-platform" (agents/devops-sre-platform.md)'
    ])
    expect(findPersona(result.personas, 'sre')?.source).toBe('local/a-sre-override.md')
    expect(findPersona(result.personas, 'platform')).toBeUndefined()
  })

  it('returns nothing for a missing folder', () => {
    expect(readPersonaDir(join(FIXTURES, 'missing'))).toEqual([])
  })
})
