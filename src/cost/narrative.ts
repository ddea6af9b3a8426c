/**
 * The personas of the audit and what each says about it. Without a model, a persona's view is
 * its cost checklist answered from the findings; a model-written narrative can take its place
 * through `AuditNarrator` (the seam for the agent runner).
 */
import type { ChecklistResult, Persona } from '../types.js'
import { evaluateChecklist } from '../checklist/evaluate.js'
import { findPersona } from '../agents/loader.js'
import { ALL_RULES } from '../rules/index.js'
import type { AuditNarrative, AuditReportInput } from '../render/audit-report.js'
import { costRules } from './meta.js'

/** Writes one persona's narrative of an audit (e.g. through the model); undefined to fall back to the rules. */
export type AuditNarrator = (persona: Persona, audit: AuditReportInput) => Promise<string | undefined>

/** The named personas when `forced` names any, else those whose trigger keywords include `cost`. */
export function auditPersonas(personas: Persona[], forced: string[]): { personas: Persona[]; unknown: string[] } {
  if (forced.length) {
    const found = forced.map((name) => ({ name, persona: findPersona(personas, name) }))
    return { personas: found.flatMap((f) => (f.persona ? [f.persona] : [])), unknown: found.filter((f) => !f.persona).map((f) => f.name) }
  }
  return { personas: personas.filter((p) => p.triggers.keywords.some((k) => k.toLowerCase() === 'cost')), unknown: [] }
}

const ICON: Record<ChecklistResult['status'], string> = { pass: '✅', warn: '⚠️', fail: '❌', 'n/a': '➖', unknown: '❔' }

/** The persona's cost checklist answered from the findings, as Markdown. */
export function rulesNarrative(persona: Persona, audit: AuditReportInput): string {
  const items = persona.checklist.filter((i) => i.categories.includes('cost'))
  if (!items.length) return '_No cost item in this persona\u2019s checklist._'
  const results = evaluateChecklist({ persona: { ...persona, checklist: items }, findings: audit.findings, files: audit.files, notes: audit.notes, rules: [...ALL_RULES, ...costRules] })
  return results
    .map((r) => {
      const evidence = r.evidence.slice(0, 3).join('; ')
      const more = r.evidence.length > 3 ? ` (+${r.evidence.length - 3} more)` : ''
      return `- ${ICON[r.status]} **${r.status}** — ${r.question}${evidence ? ` Evidence: ${evidence}${more}.` : ''}`
    })
    .join('\n')
}

export async function auditNarratives(personas: Persona[], audit: AuditReportInput, narrator?: AuditNarrator, log?: (m: string) => void): Promise<AuditNarrative[]> {
  const out: AuditNarrative[] = []
  for (const p of personas) {
    let text: string | undefined
    if (narrator) {
      try {
        text = await narrator(p, audit)
      } catch (e) {
        log?.(`the model narrative of ${p.name} failed: ${(e as Error).message}; using the rules`)
      }
    }
    out.push(text ? { persona: p.displayName, text, source: 'model' } : { persona: p.displayName, text: rulesNarrative(p, audit), source: 'rules' })
  }
  return out
}
