/**
 * Rules for CloudFormation templates, YAML (short-form tags such as `!Ref`, `!Sub`, `!If`) or
 * JSON — both read by the same YAML parser, which keeps line positions. Values the template itself
 * decides (parameter defaults, both branches of `Fn::If`, mappings) are resolved and a finding that
 * rests on one says so (`finding.via`). Values only known at deployment are not judged, with one
 * exception said in its message: a security group port given by a parameter without a numeric
 * default, open to the world, is reported as such (low).
 */
import type { Finding, SourceFile } from '../../types.js'
import { costCloudformation } from '../../cost/cloudformation.js'
import { defineLanguage } from '../language.js'
import { checkReporter, reporterFor, type Check, type Report } from '../rule.js'
import { checkIamPolicies, checkIngress } from './access.js'
import { checkEksEndpoint, checkImds, checkLoadBalancerDeletion } from './compute.js'
import { CFN } from './meta.js'
import { checkResourceSecrets, checkSecretParameters, checkSecretRotation } from './secrets.js'
import { checkBucket, checkDatabase, checkDynamoTable, checkStatefulPolicies, type CfnContext } from './storage.js'
import { checkLogGroup, checkTracing } from './telemetry.js'
import { readTemplate, type Resource, type Template } from './template.js'
import { FolderTemplates } from './listeners.js'

export const cloudformationRules = Object.values(CFN)

/** What a resource check walks: the template's context (with the check's `report`) and one resource. */
interface ResourceInContext {
  ctx: CfnContext
  r: Resource
}

const byResource = (check: (ctx: CfnContext, r: Resource) => Finding[]) => (at: ResourceInContext) => check(at.ctx, at.r)

/** The checks run on every resource, each with the rules it may report (its `report` refuses any other). */
export const cloudformationChecks: Check<ResourceInContext, Finding[]>[] = [
  { rules: [CFN.noDeletionPolicy, CFN.noUpdateReplacePolicy], run: byResource(checkStatefulPolicies) },
  { rules: [CFN.s3NoPublicAccessBlock, CFN.s3NoVersioning, CFN.s3PublicAccessBlockDisabled, CFN.s3PublicAcl], run: byResource(checkBucket) },
  { rules: [CFN.rdsNoBackups, CFN.rdsNoDeletionProtection, CFN.rdsNotEncrypted, CFN.rdsPublic, CFN.rdsSingleAz], run: byResource(checkDatabase) },
  { rules: [CFN.dynamoNoPitr], run: byResource(checkDynamoTable) },
  { rules: [CFN.sgOpenAdminPort, CFN.sgOpenAllPorts, CFN.sgOpenDataPort, CFN.sgOpenPort], run: byResource(checkIngress) },
  { rules: [CFN.iamServiceWildcard, CFN.iamWildcard], run: byResource(checkIamPolicies) },
  { rules: [CFN.logGroupNoRetention], run: byResource(checkLogGroup) },
  { rules: [CFN.lambdaNoTracing], run: byResource(checkTracing) },
  { rules: [CFN.imdsV1], run: byResource(checkImds) },
  { rules: [CFN.eksPublicEndpoint], run: byResource(checkEksEndpoint) },
  { rules: [CFN.lbDeletionProtection], run: byResource(checkLoadBalancerDeletion) }
]

/**
 * Checks of the whole template: literal secrets in resource properties, and in parameter
 * defaults that a resource reads (a value followed across resources and parameters).
 */
export const cloudformationTemplateChecks: Check<CfnContext, Finding[]>[] = [
  {
    rules: [CFN.literalSecret, CFN.secretParameterEchoed],
    run: (ctx) => {
      const secretParameters = new Set<string>()
      const inResources = ctx.template.resources.flatMap((r) => checkResourceSecrets(ctx, r, secretParameters))
      return [...inResources, ...checkSecretParameters(ctx, secretParameters)]
    }
  },
  { rules: [CFN.secretNoRotation], run: checkSecretRotation }
]

/** Throws ParseError on invalid YAML/JSON or an alias bomb; a file without `Resources` yields nothing. */
export function analyzeCloudformation(
  file: SourceFile,
  report: Report = reporterFor(cloudformationRules, file.path, 'cloudformation'),
  template: Template | undefined = readTemplate(file.content),
  folder?: FolderTemplates
): Finding[] {
  if (!template) return []
  // One context for every check: its report accepts the rules of the check `checks` runs now.
  const checks = checkReporter(report, 'cloudformation')
  const ctx: CfnContext = { path: file.path, content: file.content, template, report: checks.report, ...(folder ? { folder } : {}) }
  const findings = template.resources.flatMap((r) => cloudformationChecks.flatMap((check) => checks.run(check, { ctx, r })))
  return [...findings, ...cloudformationTemplateChecks.flatMap((check) => checks.run(check, ctx))]
}

export const cloudformation = defineLanguage<FolderTemplates, Template | undefined>({
  kind: 'cloudformation',
  rules: cloudformationRules,
  checks: [...cloudformationChecks, ...cloudformationTemplateChecks],
  // Read once: the rules and the cost pass walk the same template.
  parse: (file) => readTemplate(file.content),
  // The templates beside each file: a load balancer's listeners may sit in a sibling nested stack.
  buildContext: (files) => new FolderTemplates(files),
  analyze: (file, report, folder, _run, template) => analyzeCloudformation(file, report, template, folder),
  cost: (file, _context, template) => costCloudformation(file.path, file.content, template),
  plan: {
    verify: 'a change set shows only the intended property changes and no resource replacement',
    rollback: 'Revert the template and update the stack; stateful resources keep their `DeletionPolicy` so the revert cannot delete data.'
  },
  secretsDialect: 'yaml'
})
