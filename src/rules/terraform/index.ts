/**
 * Rules for Terraform / OpenTofu files (`.tf`, `.tf.json`, `.tfvars`). The file is parsed once
 * into the HCL model (src/rules/parse/hcl.ts); each check walks that model and reports findings at the
 * offending attribute, or at the resource header when something is missing.
 */
import type { Finding, RuleMeta, SourceFile } from '../../types.js'
import { prepareHclParser, type HclBlock, type HclFile } from '../parse/hcl.js'
import { costTerraform } from '../../cost/terraform.js'
import { defineLanguage } from '../language.js'
import { checkReporter, reporterFor, type Report } from '../rule.js'
import { awsOperationsChecks } from './aws-operations.js'
import { awsResilienceChecks } from './aws-resilience.js'
import { awsSecurityChecks } from './aws-security.js'
import { createContext, type TfCheck } from './context.js'
import { gcpAzureChecks } from './gcp-azure.js'
import { buildTerraformProjects, contextPathsFor, type TfProject, type TfProjects } from './project.js'
import { parseTerraformFile } from './parse-file.js'
import { secretChecks } from './secrets.js'
import { folderOf } from '../../util/paths.js'

export { parseHcl, type HclFile } from '../parse/hcl.js'
export { parseTerraformFile } from './parse-file.js'
export { buildTerraformProjects, contextPathsFor, type TfProjects } from './project.js'

export { instanceTypeAttributes, oversizedReason, type InstanceTypeRef } from './instances.js'

const CHECKS: TfCheck[] = [...secretChecks, ...awsSecurityChecks, ...awsResilienceChecks, ...awsOperationsChecks, ...gcpAzureChecks]
/** The checks, each with the rules it may report (as `kubernetesChecks`, `workflowChecks`, …). */
export const terraformChecks: readonly TfCheck[] = CHECKS

export const terraformRules: RuleMeta[] = CHECKS.flatMap((c) => c.rules)

/**
 * Analyses one file. With `projects` (built once per run from every Terraform file, see
 * `buildTerraformProjects`) the file is read in its module: values resolved, companions seen.
 */
/**
 * Findings in a context-only file of a module that rest on a value from a changed file of the
 * module (the change to `variables.tf` that opens `main.tf`'s security group). Never throws.
 */
export async function findingsFromChangedValues(file: SourceFile, projects: TfProjects, report?: Report): Promise<Finding[]> {
  if (file.kind !== 'terraform' || !file.contextOnly) return []
  try {
    return await analyzeTerraform(file, projects, report)
  } catch {
    return [] // a broken context file is the changed files' business only if they are broken themselves
  }
}

export async function analyzeTerraform(file: SourceFile, projects?: TfProjects, report: Report = reporterFor(terraformRules, file.path, 'terraform')): Promise<Finding[]> {
  const inProject = projects?.get(folderOf(file.path))
  const member = inProject?.files.get(file.path)
  // The project left out files it could not parse; parsing here again reports the error.
  const model = member ? member.model : await parseTerraformFile(file.path, file.content)
  const findings: Finding[] = []
  // A context-only file (unchanged in the pull request) is reported on only where a value set in a
  // changed file of its module (a variable default, a tfvars entry) makes it wrong.
  const onlyResolvedFrom = file.contextOnly && inProject ? (from: string): boolean => !inProject.contextOnly.has(from) : undefined
  // Each check reports only the rules it declares: those of the check running now.
  const checked = checkReporter(report, 'terraform')
  const ctx = createContext(
    { path: file.path, file: member?.resolved ?? model, written: model, content: file.content, project: inProject, resolutions: member?.resolutions, projects, onlyResolvedFrom, report: checked.report },
    findings
  )
  for (const check of CHECKS) {
    // Secrets are reported where they are written, never through a context-only file.
    if (onlyResolvedFrom && secretChecks.includes(check)) continue
    checked.run(check, ctx)
  }
  const kept = inProject && isOverrideFile(file.path) ? withoutMergedGaps(findings, model, file.path, inProject) : findings
  // Equal rule ids (most pairs on a line) skip the locale-aware comparison; it says 0 for them too.
  return kept.sort((a, b) => a.line - b.line || (a.ruleId === b.ruleId ? 0 : a.ruleId.localeCompare(b.ruleId)))
}

/** `override.tf`, `*_override.tf` (and their `.tf.json` forms): Terraform merges their blocks into the module's. */
function isOverrideFile(path: string): boolean {
  return /(?:^|\/|_)override\.tf(?:\.json)?$/.test(path)
}

/**
 * An override file's block is merged into the block of the same name in another file of the
 * module: what it leaves out is set there, so a finding on its header line (a missing setting)
 * is not this block's. Findings on what it writes stay.
 */
function withoutMergedGaps(findings: Finding[], model: HclFile, path: string, project: TfProject): Finding[] {
  const key = (b: HclBlock): string => `${b.type} ${b.labels.join(' ')}`
  const elsewhere = new Set<string>()
  for (const [other, member] of project.files) if (other !== path && !isOverrideFile(other)) for (const b of member.model.blocks) elsewhere.add(key(b))
  const mergedHeaders = new Set(model.blocks.filter((b) => elsewhere.has(key(b))).map((b) => b.line))
  return mergedHeaders.size === 0 ? findings : findings.filter((f) => !mergedHeaders.has(f.line))
}

export const terraform = defineLanguage<TfProjects>({
  kind: 'terraform',
  rules: terraformRules,
  prepare: prepareHclParser,
  checks: terraformChecks,
  analyze: (file, report, projects) => analyzeTerraform(file, projects, report),
  // A file is read in its module: variable defaults, locals, tfvars and companion resources.
  buildContext: buildTerraformProjects,
  analyzeContextOnly: (file, report, projects) => findingsFromChangedValues(file, projects, report),
  contextPaths: (path) => contextPathsFor(path),
  cost: (file, projects) => costTerraform(file.path, file.content, projects?.get(folderOf(file.path))?.files.get(file.path)?.model),
  plan: {
    verify: '`terraform plan` shows only the intended attribute changes (no replacement of stateful resources)',
    rollback: 'Revert the commit and run `terraform apply` again; check first that no stateful resource would be replaced or destroyed by the revert.'
  },
  secretsDialect: 'hcl'
})
