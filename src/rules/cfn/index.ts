/**
 * Rules for CloudFormation templates, YAML (short-form tags such as `!Ref`, `!Sub`, `!If`) or
 * JSON — both read by the same YAML parser, which keeps line positions. Values the template itself
 * decides (parameter defaults, both branches of `Fn::If`, mappings) are resolved and a finding that
 * rests on one says so (`finding.via`); values only known at deployment are never reported.
 */
import type { Finding, SourceFile } from '../../types.js'
import { costCloudformation } from '../../cost/cloudformation.js'
import { defineLanguage } from '../language.js'
import { reporterFor, type Report } from '../rule.js'
import { checkIamPolicies, checkIngress } from './access.js'
import { checkEksEndpoint, checkImds, checkLoadBalancerDeletion } from './compute.js'
import { CFN } from './meta.js'
import { checkResourceSecrets, checkSecretParameters } from './secrets.js'
import { checkBucket, checkDatabase, checkDynamoTable, checkStatefulPolicies, type CfnContext } from './storage.js'
import { checkLogGroup, checkTracing } from './telemetry.js'
import { readTemplate, type Resource } from './template.js'

export const cloudformationRules = Object.values(CFN)

const RESOURCE_CHECKS: ((ctx: CfnContext, r: Resource) => Finding[])[] = [
  checkStatefulPolicies,
  checkBucket,
  checkDatabase,
  checkDynamoTable,
  checkIngress,
  checkIamPolicies,
  checkLogGroup,
  checkTracing,
  checkImds,
  checkEksEndpoint,
  checkLoadBalancerDeletion
]

/** Throws ParseError on invalid YAML/JSON or an alias bomb; a file without `Resources` yields nothing. */
export function analyzeCloudformation(file: SourceFile, report: Report = reporterFor(cloudformationRules, file.path, 'cloudformation')): Finding[] {
  const template = readTemplate(file.content)
  if (!template) return []
  const ctx: CfnContext = { path: file.path, content: file.content, template, report }
  const secretParameters = new Set<string>()
  const findings = template.resources.flatMap((r) => [...RESOURCE_CHECKS.flatMap((check) => check(ctx, r)), ...checkResourceSecrets(ctx, r, secretParameters)])
  return [...findings, ...checkSecretParameters(ctx, secretParameters)]
}

export const cloudformation = defineLanguage({
  kind: 'cloudformation',
  rules: cloudformationRules,
  analyze: (file, report) => analyzeCloudformation(file, report),
  cost: (file) => costCloudformation(file.path, file.content),
  plan: {
    verify: 'a change set shows only the intended property changes and no resource replacement',
    rollback: 'Revert the template and update the stack; stateful resources keep their `DeletionPolicy` so the revert cannot delete data.'
  },
  secretsDialect: 'yaml'
})
