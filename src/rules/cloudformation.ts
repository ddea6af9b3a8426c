/**
 * Rules for CloudFormation templates, YAML (short-form tags such as `!Ref`, `!Sub`, `!If`) or
 * JSON — both read by the same YAML parser, which keeps line positions. Values the template itself
 * decides (parameter defaults, both branches of `Fn::If`, mappings) are resolved and a finding that
 * rests on one says so (`finding.via`); values only known at deployment are never reported.
 */
import type { Finding, RuleMeta, SourceFile } from '../types.js'
import { checkIamPolicies, checkIngress } from './cfn/access.js'
import { checkEksEndpoint, checkImds, checkLoadBalancerDeletion } from './cfn/compute.js'
import { CFN } from './cfn/meta.js'
import { checkResourceSecrets, checkSecretParameters } from './cfn/secrets.js'
import { checkBucket, checkDatabase, checkDynamoTable, checkStatefulPolicies, type CfnContext } from './cfn/storage.js'
import { checkLogGroup, checkTracing } from './cfn/telemetry.js'
import { readTemplate, type Resource } from './cfn/template.js'

export const cloudformationRules: RuleMeta[] = Object.values(CFN)

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
export function analyzeCloudformation(file: SourceFile): Finding[] {
  const template = readTemplate(file.content)
  if (!template) return []
  const ctx: CfnContext = { path: file.path, content: file.content, template }
  const secretParameters = new Set<string>()
  const findings = template.resources.flatMap((r) => [...RESOURCE_CHECKS.flatMap((check) => check(ctx, r)), ...checkResourceSecrets(ctx, r, secretParameters)])
  return [...findings, ...checkSecretParameters(ctx, secretParameters)]
}
