/** Network exposure (security group ingress) and IAM policy breadth. */
import type { Finding } from '../../types.js'
import type { Node } from '../yaml.js'
import { isMap } from '../yaml.js'
import { makeFinding } from '../k8s/finding.js'
import { CFN } from './meta.js'
import type { CfnContext } from './storage.js'
import { literal, oneOrMany, type Resource } from './template.js'

const ANY_IPV4 = new Set(['0.0.0.0/0'])
const ANY_IPV6 = new Set(['::/0', '::0/0', '0:0:0:0:0:0:0:0/0'])
const ADMIN_PORTS = [22, 3389]

/** The ingress rules of a resource: inline on a SecurityGroup, or a standalone ingress resource. */
function ingressRules(ctx: CfnContext, r: Resource): Node[] {
  const v = ctx.template.view
  if (r.type === 'AWS::EC2::SecurityGroup') return v.items(v.get(r.properties, 'SecurityGroupIngress')).filter((n) => isMap(n))
  if (r.type === 'AWS::EC2::SecurityGroupIngress' && isMap(r.properties)) return [r.properties]
  return []
}

export function checkIngress(ctx: CfnContext, r: Resource): Finding[] {
  const v = ctx.template.view
  const out: Finding[] = []
  for (const rule of ingressRules(ctx, r)) {
    const sourceKey = ANY_IPV4.has(literal(v, v.get(rule, 'CidrIp')) ?? '') ? 'CidrIp' : ANY_IPV6.has(literal(v, v.get(rule, 'CidrIpv6')) ?? '') ? 'CidrIpv6' : undefined
    if (!sourceKey) continue
    const source = literal(v, v.get(rule, sourceKey))
    const line = v.keyLine(rule, sourceKey)
    const protocol = (literal(v, v.get(rule, 'IpProtocol')) ?? '').toLowerCase()
    const from = Number(literal(v, v.get(rule, 'FromPort')) ?? NaN)
    const toRaw = literal(v, v.get(rule, 'ToPort'))
    const to = toRaw === undefined ? from : Number(toRaw)
    const allProtocols = protocol === '-1' || protocol === 'all'
    const portProtocol = ['tcp', 'udp', '6', '17'].includes(protocol)
    if (allProtocols || (portProtocol && (from === -1 || (from <= 0 && to >= 65535)))) {
      out.push(makeFinding(CFN.sgOpenAllPorts, ctx.path, line, `\`${r.logicalId}\` allows all ports from ${source}`))
      continue
    }
    if (!portProtocol || Number.isNaN(from) || Number.isNaN(to)) continue
    const open = ADMIN_PORTS.filter((p) => from <= p && p <= to)
    if (open.length > 0) {
      const what = open.map((p) => (p === 22 ? 'SSH (22)' : 'RDP (3389)')).join(' and ')
      out.push(makeFinding(CFN.sgOpenAdminPort, ctx.path, line, `\`${r.logicalId}\` opens ${what} to ${source}`))
    }
  }
  return out
}

/** Where policy documents sit, per resource type. */
function policyDocuments(ctx: CfnContext, r: Resource): Node[] {
  const v = ctx.template.view
  const props = r.properties
  switch (r.type) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
    case 'AWS::IAM::RolePolicy':
    case 'AWS::IAM::UserPolicy':
    case 'AWS::IAM::GroupPolicy': {
      const doc = v.get(props, 'PolicyDocument')
      return doc ? [doc] : []
    }
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      return v.items(v.get(props, 'Policies')).flatMap((p) => {
        const doc = v.get(p, 'PolicyDocument')
        return doc ? [doc] : []
      })
    default:
      return []
  }
}

export function checkIamPolicies(ctx: CfnContext, r: Resource): Finding[] {
  const v = ctx.template.view
  const out: Finding[] = []
  for (const doc of policyDocuments(ctx, r)) {
    for (const statement of oneOrMany(v, v.get(doc, 'Statement'))) {
      if (literal(v, v.get(statement, 'Effect')) !== 'Allow') continue
      const anyAction = oneOrMany(v, v.get(statement, 'Action')).some((a) => ['*', '*:*'].includes(literal(v, a) ?? ''))
      const anyResource = oneOrMany(v, v.get(statement, 'Resource')).some((a) => literal(v, a) === '*')
      if (anyAction && anyResource) {
        out.push(makeFinding(CFN.iamWildcard, ctx.path, v.keyLine(statement, 'Action'), `\`${r.logicalId}\` allows every action on every resource`))
      }
    }
  }
  return out
}
