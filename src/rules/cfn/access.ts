/** Network exposure (security group ingress) and IAM policy breadth. */
import type { Finding, RuleMeta } from '../../types.js'
import { describePorts, judgePorts } from '../terraform/ports.js'
import { certainValue, firstBad, withVia, type CfnValue } from './values.js'
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

const OPEN = (c: string): boolean => ANY_IPV4.has(c.trim()) || ANY_IPV6.has(c.trim())

export function checkIngress(ctx: CfnContext, r: Resource): Finding[] {
  const t = ctx.template
  const v = t.view
  const out: Finding[] = []
  for (const rule of ingressRules(ctx, r)) {
    // The source, resolved through parameter defaults, conditions and mappings.
    let sourceKey: string | undefined
    let source: CfnValue | undefined
    for (const key of ['CidrIp', 'CidrIpv6']) {
      source = firstBad(t, v.get(rule, key), OPEN)
      if (source) {
        sourceKey = key
        break
      }
    }
    if (!sourceKey || !source) continue
    const line = v.keyLine(rule, sourceKey)
    const protocol = (certainValue(t, v.get(rule, 'IpProtocol'))?.value ?? '').toLowerCase()
    const fromValue = certainValue(t, v.get(rule, 'FromPort'))
    const toValue = certainValue(t, v.get(rule, 'ToPort'))
    const from = Number(fromValue?.value ?? NaN)
    const to = toValue === undefined ? from : Number(toValue.value)
    const allProtocols = protocol === '-1' || protocol === 'all'
    const portProtocol = ['tcp', 'udp', '6', '17'].includes(protocol)
    const report = (meta: RuleMeta, message: string): void => {
      out.push(withVia(makeFinding(meta, ctx.path, line, message), source))
    }
    if (allProtocols || (portProtocol && (from === -1 || (from <= 0 && to >= 65535)))) {
      report(CFN.sgOpenAllPorts, `\`${r.logicalId}\` allows all ports from ${source.value}`)
      continue
    }
    if (!portProtocol || Number.isNaN(from) || Number.isNaN(to)) continue
    const open = ADMIN_PORTS.filter((p) => from <= p && p <= to)
    if (open.length > 0) {
      const what = open.map((p) => (p === 22 ? 'SSH (22)' : 'RDP (3389)')).join(' and ')
      report(CFN.sgOpenAdminPort, `\`${r.logicalId}\` opens ${what} to ${source.value}`)
    }
    const verdict = judgePorts(from, to)
    if (verdict?.kind === 'data') report(CFN.sgOpenDataPort, `\`${r.logicalId}\` opens ${describePorts(verdict)} to ${source.value}`)
    else if (verdict) report(CFN.sgOpenPort, `\`${r.logicalId}\` opens ${describePorts(verdict)} to ${source.value}`)
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
        continue
      }
      if (!anyResource || v.get(statement, 'NotAction') !== undefined) continue
      const services = oneOrMany(v, v.get(statement, 'Action'))
        .map((a) => literal(v, a) ?? '')
        .filter((a) => /^[a-z0-9-]+:\*$/i.test(a))
      if (services.length) {
        const escalation = services.some((a) => /^(iam|sts|organizations):\*$/i.test(a)) ? ' (with IAM rights this lets the principal grant itself anything)' : ''
        out.push(makeFinding(CFN.iamServiceWildcard, ctx.path, v.keyLine(statement, 'Action'), `\`${r.logicalId}\` allows ${services.map((a) => `\`${a}\``).join(', ')} on every resource${escalation}`))
      }
    }
  }
  return out
}
