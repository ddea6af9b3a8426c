/**
 * Rules for GitHub Actions workflows and composite actions: template injection, pwn requests,
 * unpinned actions, token permissions, secrets handling and deploy safety. Each finding points
 * at the exact line, including lines inside multi-line `run: |` blocks.
 */
import type { Finding, SourceFile } from '../../types.js'
import { defineLanguage } from '../language.js'
import { checkReporter, reporterFor, type Check, type Report } from '../rule.js'
import { parseYaml } from '../parse/yaml.js'
import type { CheckContext } from './context.js'
import { RULES } from './meta.js'
import { readWorkflow } from './model.js'
import { checkTemplateInjection } from './injection.js'
import { checkEnvFileInjection } from './env-file.js'
import { checkPinning } from './pinning.js'
import { checkUntrustedCheckout } from './checkout.js'
import { checkSecrets } from './secrets.js'
import { checkHardening } from './hardening.js'
import { checkDeploys } from './deploy.js'
import { buildWorkflowFiles, type WorkflowFiles } from './callees.js'

export const workflowRules = Object.values(RULES)

/** The checks, each with the rules it may report (the context's `report` refuses any other). */
export const workflowChecks: Check<CheckContext, Finding[]>[] = [
  { rules: [RULES.injectionPrivileged, RULES.injection, RULES.injectionInput], run: checkTemplateInjection },
  { rules: [RULES.envFileInjection], run: checkEnvFileInjection },
  { rules: [RULES.untrustedCheckout, RULES.secretsUntrustedCode], run: checkUntrustedCheckout },
  { rules: [RULES.unpinnedAction, RULES.unpinnedActionReadOnly, RULES.unpinnedSameOwner, RULES.unpinnedFirstParty, RULES.unpinnedImage], run: checkPinning },
  { rules: [RULES.secretEchoed, RULES.literalCredential, RULES.secretsInherit], run: checkSecrets },
  { rules: [RULES.writeAll, RULES.missingPermissions, RULES.unsecureCommands, RULES.selfHostedOnPr, RULES.noTimeout], run: checkHardening },
  { rules: [RULES.deployNoEnvironment, RULES.deployNoConcurrency, RULES.deployNoVerification, RULES.deployContinueOnError], run: checkDeploys }
]

/**
 * Analyzes one workflow file; throws ParseError when it is not valid YAML or not shaped like a
 * workflow. `repository` (`owner/name`) is the repository holding the file, when known;
 * `workflows`, the workflow files analysed with it (the reusable workflows it may call).
 */
export function analyzeWorkflow(
  file: SourceFile,
  repository?: string,
  report: Report = reporterFor(workflowRules, file.path, 'workflow'),
  workflows?: WorkflowFiles
): Finding[] {
  const owner = repository?.includes('/') ? repository.slice(0, repository.indexOf('/')).toLowerCase() : undefined
  const fullName = owner ? repository?.toLowerCase() : undefined
  const src = file.content.replace(/\r\n?/g, '\n')
  const y = parseYaml(src)
  const lines = src.split('\n')
  const findings: Finding[] = []
  const checks = checkReporter(report, 'workflow')
  const models = y.docs.map((doc) => readWorkflow(doc.contents, y))
  // The workflows calling this one or called by it read the same model instead of parsing again.
  if (workflows && !workflows.parsed.has(file.path)) workflows.parsed.set(file.path, y.docs.length === 1 ? (models[0] ?? null) : null)
  for (const wf of models) {
    if (!wf) continue
    const ctx = { path: file.path, src, lines, y, wf, owner, repository: fullName, workflows, report: checks.report }
    for (const check of workflowChecks) findings.push(...checks.run(check, ctx))
  }
  return findings.sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId))
}

export const workflow = defineLanguage<WorkflowFiles>({
  kind: 'workflow',
  rules: workflowRules,
  checks: workflowChecks,
  analyze: (file, report, workflows, run) => analyzeWorkflow(file, run.repository, report, workflows),
  buildContext: buildWorkflowFiles,
  plan: {
    verify: 'the workflow runs green on a branch and its log shows the intended behaviour',
    rollback: 'Revert the workflow commit; runs already started keep the old definition.'
  },
  secretsDialect: 'yaml'
})
