/** Every kind's rule-tester cases in one table, keyed by rule id. */
import type { CaseTable } from '../../helpers/rule-tester.js'
import { cloudformationCases } from './cloudformation.js'
import { composeCases } from './compose.js'
import { costCases } from './cost.js'
import { dockerfileCases } from './dockerfile.js'
import { helmCases } from './helm.js'
import { kubernetesCases } from './kubernetes.js'
import { secretsCases } from './secrets.js'
import { terraformCases } from './terraform.js'
import { workflowCases } from './workflow.js'

export const CASES_BY_KIND: Record<string, CaseTable> = {
  dockerfile: dockerfileCases,
  compose: composeCases,
  workflow: workflowCases,
  kubernetes: kubernetesCases,
  helm: helmCases,
  cloudformation: cloudformationCases,
  terraform: terraformCases,
  secrets: secretsCases,
  cost: costCases
}

export const ALL_CASES: CaseTable = Object.assign({}, ...Object.values(CASES_BY_KIND))

/**
 * Cases that show a real rule bug, by rule id and case name: they run as `it.failing` until the
 * rule is fixed (then the test fails and the entry must go).
 */
export const KNOWN_RULE_BUGS: Record<string, string[]> = {}
