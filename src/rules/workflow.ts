/**
 * Rules for GitHub Actions workflows and composite actions: template injection, pwn requests,
 * unpinned actions, token permissions, secrets handling and deploy safety. Each finding points
 * at the exact line, including lines inside multi-line `run: |` blocks.
 */
import type { Finding, RuleMeta, SourceFile } from '../types.js'
import { parseYaml } from './yaml.js'
import type { CheckContext } from './workflow/context.js'
import { RULES } from './workflow/meta.js'
import { readWorkflow } from './workflow/model.js'
import { checkTemplateInjection } from './workflow/injection.js'
import { checkPinning } from './workflow/pinning.js'
import { checkUntrustedCheckout } from './workflow/checkout.js'
import { checkSecrets } from './workflow/secrets.js'
import { checkHardening } from './workflow/hardening.js'
import { checkDeploys } from './workflow/deploy.js'

export const workflowRules: RuleMeta[] = Object.values(RULES)

const CHECKS: ((ctx: CheckContext) => Finding[])[] = [
  checkTemplateInjection,
  checkUntrustedCheckout,
  checkPinning,
  checkSecrets,
  checkHardening,
  checkDeploys
]

/** Analyzes one workflow file; throws ParseError when it is not valid YAML or not shaped like a workflow. */
/** `repository` (`owner/name`) is the repository holding the file, when known. */
export function analyzeWorkflow(file: SourceFile, repository?: string): Finding[] {
  const owner = repository?.includes('/') ? repository.slice(0, repository.indexOf('/')).toLowerCase() : undefined
  const src = file.content.replace(/\r\n?/g, '\n')
  const y = parseYaml(src)
  const lines = src.split('\n')
  const findings: Finding[] = []
  for (const doc of y.docs) {
    const wf = readWorkflow(doc.contents, y)
    if (!wf) continue
    const ctx: CheckContext = { path: file.path, src, lines, y, wf, owner }
    for (const check of CHECKS) findings.push(...check(ctx))
  }
  return findings.sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId))
}
