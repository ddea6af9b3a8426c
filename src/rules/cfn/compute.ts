/** Compute and edge resources: instance metadata (IMDSv1), EKS endpoint exposure, load balancer deletion protection. */
import type { Finding } from '../../types.js'
import { CFN } from './meta.js'
import type { CfnContext } from './storage.js'
import { intrinsicArgument, intrinsicOf, literal, oneOrMany, type Resource } from './template.js'
import { firstBad, valuesOf, withVia } from './values.js'
import { lookupTable } from '../../util/lookup-table.js'

/** Where each type keeps its metadata options. */
const METADATA_PATHS = lookupTable<string[]>({
  'AWS::EC2::Instance': ['MetadataOptions'],
  'AWS::EC2::LaunchTemplate': ['LaunchTemplateData', 'MetadataOptions'],
  'AWS::AutoScaling::LaunchConfiguration': ['MetadataOptions']
})

/** Where each type names its AMI. */
const IMAGE_PATHS = lookupTable<string[]>({
  'AWS::EC2::Instance': ['ImageId'],
  'AWS::EC2::LaunchTemplate': ['LaunchTemplateData', 'ImageId'],
  'AWS::AutoScaling::LaunchConfiguration': ['ImageId']
})

/** AWS's public SSM parameters for the latest Amazon Linux 2023 AMIs, which are registered `ImdsSupport: v2.0`. */
const AL2023_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-'

/**
 * Whether the AMI is an Amazon Linux 2023 one resolved from AWS's public SSM parameter: such an
 * AMI turns IMDSv1 off by default (`ImdsSupport: v2.0`), so an instance that says nothing about
 * tokens still requires them. Read from an SSM-typed parameter's default (what the template
 * deploys unless told otherwise) or from a `{{resolve:ssm:…}}` reference.
 */
function amiRequiresImdsV2(ctx: CfnContext, r: Resource): boolean {
  const t = ctx.template
  const v = t.view
  const image = v.at(r.properties, IMAGE_PATHS[r.type] ?? [])
  if (image === undefined) return false
  if (intrinsicOf(v, image) === 'Ref') {
    const param = t.parameters.get(v.str(intrinsicArgument(v, image)) ?? '')
    if (!param || !(v.str(v.get(param.node, 'Type')) ?? '').startsWith('AWS::SSM::Parameter::Value<')) return false
    return (v.str(v.get(param.node, 'Default')) ?? '').startsWith(AL2023_PARAMETER)
  }
  const values = valuesOf(t, image)
  return values.length > 0 && values.every((c) => c.value.startsWith(`{{resolve:ssm:${AL2023_PARAMETER}`))
}

export function checkImds(ctx: CfnContext, r: Resource): Finding[] {
  const path = METADATA_PATHS[r.type]
  if (!path) return []
  const t = ctx.template
  const v = t.view
  const parent = path.length > 1 ? v.at(r.properties, path.slice(0, -1)) : r.properties
  if (r.type === 'AWS::EC2::LaunchTemplate' && parent === undefined) return []
  const options = v.get(parent, path[path.length - 1]!)
  // An instance launched from a launch template takes its metadata options from it unless it sets
  // its own: a template of this stack is judged on its own resource, one from elsewhere is unknown.
  if (options === undefined && r.type === 'AWS::EC2::Instance' && v.get(r.properties, 'LaunchTemplate') !== undefined) return []
  if (options !== undefined && intrinsicOf(v, options) !== undefined) return []
  const endpoint = valuesOf(t, v.get(options, 'HttpEndpoint'))
  if (endpoint.length === 1 && endpoint[0]!.value === 'disabled') return []
  const tokens = v.get(options, 'HttpTokens')
  if (tokens === undefined) {
    if (amiRequiresImdsV2(ctx, r)) return []
    const line = options !== undefined ? v.keyLine(parent, path[path.length - 1]!) : r.line
    return [ctx.report(CFN.imdsV1, line, `${r.type} \`${r.logicalId}\` does not set \`HttpTokens: required\`, so IMDSv1 stays enabled`)]
  }
  const optional = firstBad(t, tokens, (x) => x === 'optional')
  if (!optional) return []
  return [withVia(ctx.report(CFN.imdsV1, v.keyLine(options, 'HttpTokens'), `${r.type} \`${r.logicalId}\` sets \`HttpTokens: optional\`: IMDSv1 answers without a token`), optional)]
}

const OPEN = new Set(['0.0.0.0/0', '::/0'])

export function checkEksEndpoint(ctx: CfnContext, r: Resource): Finding[] {
  if (r.type !== 'AWS::EKS::Cluster') return []
  const t = ctx.template
  const v = t.view
  const config = v.get(r.properties, 'ResourcesVpcConfig')
  if (config === undefined || intrinsicOf(v, config) !== undefined) return []
  const access = v.get(config, 'EndpointPublicAccess')
  const cidrs = v.get(config, 'PublicAccessCidrs')
  if (access !== undefined && !firstBad(t, access, (x) => x.toLowerCase() === 'true')) return []
  if (cidrs !== undefined && !oneOrMany(v, cidrs).some((c) => firstBad(t, c, (x) => OPEN.has(x.trim())))) return []
  const line = access !== undefined ? v.keyLine(config, 'EndpointPublicAccess') : v.keyLine(r.properties, 'ResourcesVpcConfig')
  const how = access === undefined ? 'leaves its API endpoint public (the default)' : 'exposes its API endpoint publicly'
  return [withVia(ctx.report(CFN.eksPublicEndpoint, line, `EKS cluster \`${r.logicalId}\` ${how} to every address`), access !== undefined ? firstBad(t, access, (x) => x.toLowerCase() === 'true') : undefined)]
}

export function checkLoadBalancerDeletion(ctx: CfnContext, r: Resource): Finding[] {
  if (r.type !== 'AWS::ElasticLoadBalancingV2::LoadBalancer') return []
  const t = ctx.template
  const v = t.view
  const attrs = v.get(r.properties, 'LoadBalancerAttributes')
  if (attrs !== undefined && intrinsicOf(v, attrs) !== undefined) return []
  const entry = v.items(attrs).find((a) => literal(v, v.get(a, 'Key')) === 'deletion_protection.enabled')
  if (!entry) return [ctx.report(CFN.lbDeletionProtection, r.line, `load balancer \`${r.logicalId}\` has no deletion protection`)]
  const off = firstBad(t, v.get(entry, 'Value'), (x) => x.toLowerCase() === 'false')
  if (!off) return []
  return [withVia(ctx.report(CFN.lbDeletionProtection, v.keyLine(entry, 'Value'), `load balancer \`${r.logicalId}\` sets \`deletion_protection.enabled\` to false`), off)]
}
