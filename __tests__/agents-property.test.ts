import fc from 'fast-check'
import { loadPersonaSet, parsePersona, type ParsedPersona } from '../src/agents/loader.js'
import { routeAgents } from '../src/agents/route.js'
import { PersonaSchema } from '../src/agents/schema.js'

/** Exactly one outcome: a valid persona, or an error that names the file. */
function expectOneOutcome(result: ParsedPersona, path: string): void {
  if (result.persona) {
    expect(result.error).toBeUndefined()
    expect(PersonaSchema.safeParse(result.persona).success).toBe(true)
  } else {
    expect(typeof result.error).toBe('string')
    expect(result.error!.startsWith(`${path}: `)).toBe(true)
    // The loader's last-resort catch must never be what produced the error.
    expect(result.error).not.toMatch(/could not be read as a persona/)
  }
  for (const w of result.warnings) expect(w.startsWith(`${path}: `)).toBe(true)
}

const decode = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: false }).decode(bytes)

/** Lines that look like frontmatter, so the generator reaches the YAML and recovery paths. */
const frontmatterLine = fc.oneof(
  fc.constantFrom(
    'name: x',
    'name: Infrastructure "Scale Surgeon"',
    'name:',
    'description: a: b\\n\\n<example>',
    'description: |',
    'model: sonnet',
    'tools: Read, Grep',
    'aliases: [sre, SRE, "x y"]',
    'triggers:',
    '  keywords: [cost]',
    '  files: [terraform, "**/*.tf"]',
    'checklist:',
    '  - id: a',
    '    question: Is it pinned?',
    '    categories: [immutability, nope]',
    '  - just a string',
    'a: &a [1,2,3]',
    'b: [*a, *a, *a]',
    '!!js/function "function(){}"',
    '---',
    '- [ ] Is the rollback tested?',
    '## Self-verification checklist',
    '```'
  ),
  fc.string({ maxLength: 40 })
)
const personaLike = fc
  .tuple(fc.constantFrom('---', '---js', '---yaml', '--- ', ''), fc.array(frontmatterLine, { maxLength: 12 }), fc.array(frontmatterLine, { maxLength: 12 }))
  .map(([open, head, body]) => [open, ...head, '---', ...body].join('\n'))

describe('parsePersona never throws', () => {
  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expectOneOutcome(parsePersona({ path: 'agents/fuzz.md', text: decode(bytes) }, 'repository'), 'agents/fuzz.md')
      }),
      { numRuns: 500 }
    )
  })

  it('on arbitrary unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), (text) => {
        expectOneOutcome(parsePersona({ path: 'p.md', text }, 'bundled'), 'p.md')
      }),
      { numRuns: 300 }
    )
  })

  it('on persona-shaped text built from tricky lines', () => {
    fc.assert(
      fc.property(personaLike, (text) => {
        expectOneOutcome(parsePersona({ path: '.github/agents/f.md', text }, 'repository'), '.github/agents/f.md')
      }),
      { numRuns: 1000 }
    )
  })

  it('loading and routing a set of such files never throws and stays deterministic', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a.md', 'b.md', 'c.md', 'd.md'), personaLike), { maxLength: 5 }), (files) => {
        const sources = files.map(([path, text]) => ({ path: `.github/agents/${path}`, text }))
        const once = loadPersonaSet([], sources)
        const again = loadPersonaSet([], [...sources].reverse())
        const names = once.personas.map((p) => p.name)
        expect(new Set(names).size).toBe(names.length)
        const input = { files: [{ path: 'main.tf', kind: 'terraform' as const }], title: 'cost rollback', body: '', labels: [], addedText: '' }
        const route = routeAgents(once.personas, input, { maxAgents: 3, forced: [] })
        expect(route.agents.length).toBeLessThanOrEqual(3)
        // Files with distinct paths: the outcome depends on the path order only, not the input order.
        if (new Set(files.map(([p]) => p)).size === files.length) expect(again.personas).toEqual(once.personas)
      }),
      { numRuns: 300 }
    )
  })
})
