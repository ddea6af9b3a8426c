/**
 * The shape a persona has once the loader has normalized it. The loader builds a candidate
 * object leniently and validates it here, so every persona that leaves the loader is well formed.
 */
import { z } from 'zod'
import { CATEGORIES, FILE_KINDS, TOPICS, type Persona } from '../types.js'

/** A persona name or alias after normalization: lower-case words joined by single dashes. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

const slug = z.string().max(100).regex(SLUG_PATTERN, 'must be lower-case letters, digits and single dashes')

export const CategorySchema = z.enum(CATEGORIES)

export const ChecklistItemSchema = z.object({
  id: slug,
  question: z.string().min(1).max(1000),
  categories: z.array(CategorySchema),
  topics: z.array(z.enum(TOPICS)).optional(),
  rules: z.array(z.string().min(1).max(200)).optional(),
  kinds: z.array(z.enum(FILE_KINDS)).optional()
})

export const PersonaTriggersSchema = z.object({
  keywords: z.array(z.string().min(1).max(100)),
  files: z.array(z.string().min(1).max(300))
})

export const PersonaSchema = z.object({
  name: slug,
  displayName: z.string().min(1).max(200),
  aliases: z.array(slug),
  description: z.string(),
  model: z.string().min(1).max(200).optional(),
  tools: z.array(z.string().min(1)),
  color: z.string().min(1).max(50).optional(),
  triggers: PersonaTriggersSchema,
  checklist: z
    .array(ChecklistItemSchema)
    .refine((items) => new Set(items.map((i) => i.id)).size === items.length, 'checklist ids must be unique'),
  body: z.string(),
  source: z.string().min(1),
  origin: z.enum(['bundled', 'repository']),
  replaces: z.string().optional()
})

// Compile-time guard: the schema and the shared Persona type must describe the same object.
type SchemaPersona = z.infer<typeof PersonaSchema>
const _schemaMatchesType: (p: SchemaPersona) => Persona = (p) => p
const _typeMatchesSchema: (p: Persona) => SchemaPersona = (p) => p
void _schemaMatchesType
void _typeMatchesSchema

/** Validates a normalized persona; returns the problems as one readable line when it is not. */
export function validatePersona(candidate: unknown): { ok: true; persona: Persona } | { ok: false; problem: string } {
  const result = PersonaSchema.safeParse(candidate)
  if (result.success) return { ok: true, persona: result.data }
  const problem = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'persona'}: ${issue.message}`)
    .join('; ')
  return { ok: false, problem }
}
