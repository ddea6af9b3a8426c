/**
 * Persona loading: bundled personas plus the repository's own, from Markdown files with YAML
 * frontmatter. Lenient with real-world files (invalid YAML still loads, with a warning);
 * never evaluates code. (Filled in by the persona work.)
 */
import type { Persona, PersonaLoadResult } from '../types.js'

export interface PersonaSource {
  /** `agents/sre.md` for bundled ones; the repository path otherwise. */
  path: string
  text: string
}

export interface ParsedPersona {
  persona?: Persona
  warnings: string[]
  /** Set when the file could not become a persona at all. */
  error?: string
}

export function parsePersona(_source: PersonaSource, _origin: Persona['origin']): ParsedPersona {
  return { warnings: [], error: 'not implemented' }
}

/** Bundled first, then repository ones (which replace bundled ones of the same name). */
export function loadPersonaSet(_bundled: PersonaSource[], _repository: PersonaSource[]): PersonaLoadResult {
  return { personas: [], warnings: [] }
}

/** Looks a persona up by name, alias or display name (case-insensitive). */
export function findPersona(personas: Persona[], nameOrAlias: string): Persona | undefined {
  const key = nameOrAlias.trim().toLowerCase()
  return personas.find((p) => p.name === key || p.aliases.includes(key) || p.displayName.toLowerCase() === key)
}
