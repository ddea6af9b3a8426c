/** Every kind's rule-tester cases in one table, keyed by rule id. */
import type { CaseTable } from '../../helpers/rule-tester.js'
import { composeCases } from './compose.js'
import { dockerfileCases } from './dockerfile.js'

export const CASES_BY_KIND: Record<string, CaseTable> = {
  dockerfile: dockerfileCases,
  compose: composeCases
}

export const ALL_CASES: CaseTable = Object.assign({}, ...Object.values(CASES_BY_KIND))

/**
 * Cases that show a real rule bug, by rule id and case name: they run as `it.failing` until the
 * rule is fixed (then the test fails and the entry must go).
 */
export const KNOWN_RULE_BUGS: Record<string, string[]> = {}
