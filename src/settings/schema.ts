/** The settings file's JSON Schema (docs/preflight.schema.json, which editors also use), bundled. */
import schema from '../../docs/preflight.schema.json' with { type: 'json' }

export const SETTINGS_SCHEMA: Record<string, unknown> = schema
