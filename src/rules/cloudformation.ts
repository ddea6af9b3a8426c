/**
 * Rules for CloudFormation templates, YAML (short-form tags such as `!Ref`, `!Sub`, `!If`) or
 * JSON — both read by the same YAML parser, which keeps line positions. Values built by intrinsic
 * functions are unknown at review time and never reported as if they were literals.
 */
import type { Finding, RuleMeta, SourceFile } from '../types.js'
import { checkIamPolicies, checkIngress } from './cfn/access.js'
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
  checkTracing
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
