/**
 * Repository targets in personas: `{slo.availability}` and friends render the repository's
 * numbers (per-path targets when a changed path matches), defaults say they are defaults;
 * `Settings.personas` enables, disables and re-models personas; a repository persona that
 * replaces a bundled one keeps what it does not set (aliases, triggers, checklist).
 */
import { existsSync } from 'node:fs'
import { findPersona, loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas, readPersonaDir } from '../src/agents/bundled.js'
import { applyPersonaSettings, applyTargets, renderTargets } from '../src/agents/targets.js'
import { routeAgents } from '../src/agents/route.js'
import { DEFAULT_SETTINGS, type Settings } from '../src/settings/types.js'

const settings = (patch: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...patch })

describe('targets rendered into questions', () => {
  it('states a built-in default as a default', () => {
    expect(renderTargets('availability ≥ {slo.availability}', DEFAULT_SETTINGS, [])).toBe('availability ≥ 99.9% (default; set `slo.availability` in the settings)')
    expect(renderTargets('p95 within {slo.latencyP95Ms}', DEFAULT_SETTINGS, [])).toBe('p95 within 1 s (default; set `slo.latencyP95Ms` in the settings)')
  })

  it("uses the repository's own numbers, and a per-path target when a changed path matches", () => {
    const s = settings({ slo: { availability: 99.5, latencyP95Ms: 300, paths: [{ name: 'checkout', files: ['services/checkout/**'], availability: 99.95 }] } })
    expect(renderTargets('{slo.availability} / {slo.latencyP95Ms}', s, ['docs/a.md'])).toBe('99.5% / 300 ms')
    expect(renderTargets('{slo.availability} / {slo.latencyP95Ms}', s, ['services/checkout/k8s.yaml'])).toBe('99.95% (target for checkout) / 300 ms (target for checkout)')
  })

  it('says when a cost threshold is not set', () => {
    expect(renderTargets('under {cost.warnIncreaseUsd}', DEFAULT_SETTINGS, [])).toBe("under the team's threshold (none set: `cost.warnIncreaseUsd`)")
    expect(renderTargets('under {cost.warnIncreaseUsd}', settings({ cost: { warnIncreaseUsd: 250 } }), [])).toBe('under $250')
  })

  it('every placeholder in the bundled personas renders', () => {
    const { personas } = loadPersonaSet(readBundledPersonas(), [])
    for (const p of personas) {
      const rendered = applyTargets(p, DEFAULT_SETTINGS, ['k8s/a.yaml'])
      const text = [rendered.body, rendered.description, ...rendered.checklist.map((i) => i.question)].join('\n')
      expect(text).not.toMatch(/\{(slo|cost)\.\w+\}/)
    }
    const sre = applyTargets(findPersona(personas, 'sre')!, settings({ slo: { availability: 99.99, paths: [] } }), [])
    expect(sre.checklist[0].question).toBe('Does the change keep availability at or above 99.99%?')
  })
})

describe('Settings.personas', () => {
  const { personas } = loadPersonaSet(readBundledPersonas(), [])
  const input = { files: [{ path: 'main.tf', kind: 'terraform' as const }], title: '', body: '', labels: [], addedText: '' }

  it('a disabled persona is not routed, by name or alias; a model per persona replaces its own', () => {
    const before = routeAgents(personas, input, { maxAgents: 9, forced: [] }).agents.map((a) => a.persona.name)
    expect(before).toContain('devops-sre-platform')
    const applied = applyPersonaSettings(personas, settings({ personas: { sre: { enabled: false }, architect: { model: 'haiku' }, nobody: { enabled: false } } }))
    const after = routeAgents(applied.personas, input, { maxAgents: 9, forced: [] }).agents.map((a) => a.persona.name)
    expect(after).not.toContain('devops-sre-platform')
    expect(findPersona(applied.personas, 'architect')!.model).toBe('haiku')
    expect(applied.warnings).toEqual(['settings: personas.nobody names no persona; ignored'])
  })
})

describe('a repository persona replacing a bundled one', () => {
  const bundled = readBundledPersonas()

  it('keeps the bundled aliases, triggers and checklist it does not set', () => {
    const own = { path: '.github/agents/sre.md', text: '---\nname: devops-sre-platform\ndescription: Our SRE.\n---\nYou review as our SRE.\n' }
    const { personas } = loadPersonaSet(bundled, [own])
    const sre = findPersona(personas, 'sre')!
    expect(sre.source).toBe('.github/agents/sre.md')
    expect(sre.aliases).toEqual(['sre', 'platform'])
    expect(sre.triggers.files).toContain('terraform')
    expect(sre.checklist.map((i) => i.id)).toContain('availability-slo')
  })

  it('uses what it sets', () => {
    const own = {
      path: '.github/agents/sre.md',
      text: '---\nname: devops-sre-platform\naliases: [oncall]\ntriggers:\n  keywords: [pager]\n  files: [compose]\nchecklist:\n  - Is the pager rota updated?\n---\nBody\n'
    }
    const { personas } = loadPersonaSet(bundled, [own])
    const sre = findPersona(personas, 'oncall')!
    expect(sre.aliases).toEqual(['oncall'])
    expect(sre.triggers).toEqual({ keywords: ['pager'], files: ['compose'] })
    expect(sre.checklist.map((i) => i.question)).toEqual(['Is the pager rota updated?'])
  })

  const seeds = '/work/shared/seeds'
  ;(existsSync(seeds) ? it : it.skip)('`/agent sre` keeps working with the seed files as repository personas', () => {
    const { personas } = loadPersonaSet(bundled, readPersonaDir(seeds, '/work/shared'))
    const sre = findPersona(personas, 'sre')!
    expect(sre.origin).toBe('repository')
    expect(sre.name).toBe('devops-sre-platform')
    // The seed has a checklist of its own in its body, so it keeps it.
    expect(sre.checklist[0].id).toBe('maintain-99-95-donor')
    expect(sre.triggers.files).toEqual(expect.arrayContaining(['terraform', 'kubernetes']))
    expect(findPersona(personas, 'architect')?.origin).toBe('repository')
  })
})
