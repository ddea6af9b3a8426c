/**
 * THE list of file kinds the engine analyses. Adding a kind is one folder under src/rules/ whose
 * `index.ts` exports a `Language`, plus one line here; the engine's analyzers, rule catalogue,
 * context reads, plan texts, cost passes and secret-scan dialects all derive from this list. (Telling which
 * kind a file is stays in src/changes/classify.ts: it works from names and content before any
 * rule runs.) Rules of no single kind (secrets, imports, cost) are listed in ./index.ts.
 */
import type { FileKind } from '../types.js'
import type { Language } from './language.js'
import { cloudformation } from './cfn/index.js'
import { compose } from './compose/index.js'
import { dockerfile } from './dockerfile/index.js'
import { helm } from './helm/index.js'
import { kubernetes } from './k8s/index.js'
import { terraform } from './terraform/index.js'
import { workflow } from './workflow/index.js'

export const LANGUAGES: readonly Language[] = [dockerfile, compose, workflow, kubernetes, helm, cloudformation, terraform]

const BY_KIND = new Map<FileKind, Language>(LANGUAGES.map((l) => [l.kind, l]))

export function languageOf(kind: FileKind): Language | undefined {
  return BY_KIND.get(kind)
}

/** The plan document's words for files no language covers. */
const OTHER_PLAN = { verify: 'the change behaves as intended in a non-production environment', rollback: 'Revert the commit.' }

export function planTextOf(kind: FileKind): { verify: string; rollback: string } {
  return languageOf(kind)?.plan ?? OTHER_PLAN
}
