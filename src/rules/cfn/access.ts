/** Network exposure (security group ingress) and IAM policy breadth. */
import type { Finding, RuleMeta } from '../../types.js'
import type { FindingExtra } from '../rule.js'
import { describePorts, isOpenCidr, judgePorts } from '../terraform/ports.js'
import { certainValue, firstBad, resourceCondition, withVia, type CfnValue } from './values.js'
import type { Node } from '../parse/yaml.js'
import { isMap, isSeq } from '../parse/yaml.js'
import { CFN } from './meta.js'
import { groupOf, openIngressReach, refersTo, usersOf } from './guarded.js'
import { listenersOf, servesWeb, type Listener } from './listeners.js'
import { privateHostsOnly } from './private-hosts.js'
import { protocolName, vpnServerEvidence, vpnService } from './vpn.js'
import type { CfnContext } from './storage.js'
import { intrinsicArgument, intrinsicOf, literal, oneOrMany, type Resource } from './template.js'

const ADMIN_PORTS = [22, 3389]

/** The ingress rules of a resource: inline on a SecurityGroup, or a standalone ingress resource. */
function ingressRules(ctx: CfnContext, r: Resource): Node[] {
  const v = ctx.template.view
  if (r.type === 'AWS::EC2::SecurityGroup') return v.items(v.get(r.properties, 'SecurityGroupIngress')).filter((n) => isMap(n))
  if (r.type === 'AWS::EC2::SecurityGroupIngress' && isMap(r.properties)) return [r.properties]
  return []
}

const LOAD_BALANCERS = new Set(['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancing::LoadBalancer'])
/** Words of a name or description: `PublicALBSecurityGroup` → public, alb, security, group. */
const words = (text: string): string[] =>
  text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
const looksLikeLoadBalancer = (text: string): boolean => {
  const w = words(text)
  return w.some((x) => ['alb', 'elb', 'nlb', 'lb', 'loadbalancer', 'loadbalancers'].includes(x)) || w.join(' ').includes('load balancer')
}

/**
 * The load balancer a security group belongs to: the only resources attaching it are load
 * balancers, or (when nothing in the template attaches it) its name or description says so. Such
 * a group only exposes the listener ports, whatever its rules admit. `listeners`: those in view,
 * of the attaching load balancers, or (a group known by its name, handed to a load balancer of
 * another stack) every listener of the template and of the templates beside it.
 */
function loadBalancerGroup(ctx: CfnContext, r: Resource): { why: string; listeners: readonly Listener[] } | undefined {
  const v = ctx.template.view
  const group = groupOf(ctx, r)
  if (!group) return undefined
  const id = group.logicalId
  const users = usersOf(ctx, group)
  if (users.length) {
    if (!users.every((u) => LOAD_BALANCERS.has(u.type))) return undefined
    const listeners = listenersOf(ctx.template, ctx.path, (l, arn) => users.some((u) => (arn === undefined ? l === u : refersTo(ctx, arn, u.logicalId))))
    return { why: `the security group of load balancer \`${users[0]!.logicalId}\``, listeners }
  }
  const description = literal(v, v.get(group.properties, 'GroupDescription')) ?? ''
  if (!looksLikeLoadBalancer(id) && !looksLikeLoadBalancer(description)) return undefined
  return { why: 'by its name, a load balancer\'s security group', listeners: ctx.folder?.listenersInFolder(ctx.path) ?? listenersOf(ctx.template, ctx.path) }
}

/** Listeners a message names before counting the rest. */
const MAX_LISTENERS_NAMED = 3

/** Why a load balancer's wide rule is low: every listener in view serves only web traffic (named, with where it is). */
function webListenersOnly(ctx: CfnContext, listeners: readonly Listener[]): string | undefined {
  if (listeners.length === 0 || !listeners.every(servesWeb)) return undefined
  // A few named, the rest counted: a folder of many templates must not put all of them in every message.
  const named = listeners.slice(0, MAX_LISTENERS_NAMED).map((l) => `\`${l.id}\`${l.port !== undefined ? ` (${l.protocol ? `${l.protocol} ` : ''}${l.port})` : l.protocol ? ` (${l.protocol})` : ''}${l.path !== ctx.path ? ` in \`${l.path}\`` : ''}`)
  const more = listeners.length - named.length
  return `every listener in view is HTTP(S) or on port 80/443: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
}


/**
 * One end of a rule's port range: a number the template decides, or the parameter the deployer
 * sets it with when that parameter has no numeric default (`Default: ''` is no port, never 0).
 */
type PortEnd = { port: number; found: CfnValue } | { parameter: string }

function portEnd(ctx: CfnContext, node: Node | undefined): PortEnd | undefined {
  const t = ctx.template
  const v = t.view
  const found = certainValue(t, node)
  if (found && /^-?\d+$/.test(found.value.trim())) return { port: Number(found.value), found }
  if (intrinsicOf(v, node) !== 'Ref') return undefined
  const name = v.str(intrinsicArgument(v, node))
  return name !== undefined && t.parameters.has(name) ? { parameter: name } : undefined
}

const endText = (end: PortEnd): string => ('port' in end ? String(end.port) : `parameter \`${end.parameter}\``)

/** "the port given by parameter `P`", or "the ports from 1024 to parameter `Last`" when the ends differ. */
function describeParameterPorts(from: PortEnd, to: PortEnd): string {
  if (!('port' in from) && !('port' in to) && from.parameter === to.parameter) return `the port given by parameter \`${from.parameter}\``
  return `the ports from ${endText(from)} to ${endText(to)}`
}

export function checkIngress(ctx: CfnContext, r: Resource): Finding[] {
  const t = ctx.template
  const v = t.view
  const out: Finding[] = []
  // The resource exists only when its own condition holds, and the findings say so.
  const condition = resourceCondition(t, r)
  for (const rule of ingressRules(ctx, r)) {
    // The source, resolved through parameter defaults, conditions and mappings.
    let sourceKey: string | undefined
    let source: CfnValue | undefined
    for (const key of ['CidrIp', 'CidrIpv6']) {
      source = firstBad(t, v.get(rule, key), isOpenCidr)
      if (source) {
        sourceKey = key
        break
      }
    }
    if (!sourceKey || !source) continue
    const line = v.keyLine(rule, sourceKey)
    const protocol = (certainValue(t, v.get(rule, 'IpProtocol'))?.value ?? '').toLowerCase()
    const fromEnd = portEnd(ctx, v.get(rule, 'FromPort'))
    const toEnd = v.get(rule, 'ToPort') === undefined ? fromEnd : portEnd(ctx, v.get(rule, 'ToPort'))
    const allProtocols = protocol === '-1' || protocol === 'all'
    const portProtocol = ['tcp', 'udp', '6', '17'].includes(protocol)
    const lb = loadBalancerGroup(ctx, r)
    const ports = [fromEnd, toEnd].map((end) => (end && 'port' in end ? end.found : undefined))
    const report = (meta: RuleMeta, message: string, extra?: FindingExtra): void => {
      // A load balancer answers only on its listeners: a rule wider than them is sloppy, not an open service.
      if (lb && meta !== CFN.sgOpenPort) {
        meta = CFN.sgOpenPort
        const web = webListenersOnly(ctx, lb.listeners)
        message += ` (${lb.why}: only its listener ports are reachable, but the rule admits far more than they need${web ? `; ${web}: low` : ''})`
        if (web) extra = { ...extra, severity: 'low' }
      }
      out.push(withVia(ctx.report(meta, line, message, extra), condition, source, ...ports))
    }
    /** A data-port or all-ports finding, lowered when what the group guards cannot be reached that far. */
    const reportReach = (meta: RuleMeta, message: string, range?: { from: number; to: number }): void => {
      const reach = lb ? undefined : openIngressReach(ctx, r, range)
      report(meta, reach ? `${message} (${reach.why})` : message, reach ? { severity: reach.severity } : undefined)
    }
    if (allProtocols) {
      reportReach(CFN.sgOpenAllPorts, `\`${r.logicalId}\` allows all ports from ${source.value}`)
      continue
    }
    if (!portProtocol || !fromEnd || !toEnd) continue
    if (!('port' in fromEnd) || !('port' in toEnd)) {
      // A port the deployer names: exposed to the world all the same, but which service it is
      // (a web port or a database) is only known at deployment, so it is not judged as either.
      report(CFN.sgOpenPort, `\`${r.logicalId}\` opens ${describeParameterPorts(fromEnd, toEnd)} to ${source.value}, a port chosen at deployment (no numeric default), so its service is not known`, { severity: 'low' })
      continue
    }
    const from = fromEnd.port
    const to = toEnd.port
    if (from === -1 || (from <= 0 && to >= 65535)) {
      reportReach(CFN.sgOpenAllPorts, `\`${r.logicalId}\` allows all ports from ${source.value}`)
      continue
    }
    const open = ADMIN_PORTS.filter((p) => from <= p && p <= to)
    if (open.length > 0) {
      const what = open.map((p) => (p === 22 ? 'SSH (22)' : 'RDP (3389)')).join(' and ')
      // Behind hosts with no public address the port is open to the VPC and its peers, not the internet.
      const inside = lb ? undefined : privateHostsOnly(ctx, r, sourceKey === 'CidrIpv6' || source.value.includes(':'))
      report(CFN.sgOpenAdminPort, `\`${r.logicalId}\` opens ${what} to ${source.value}${inside ? ` (${inside}: medium)` : ''}`, inside ? { severity: 'medium' } : undefined)
    }
    const verdict = judgePorts(from, to)
    if (verdict?.kind === 'data') reportReach(CFN.sgOpenDataPort, `\`${r.logicalId}\` opens ${describePorts(verdict)} to ${source.value}`, { from, to })
    else if (verdict) {
      // A VPN server's own endpoint must be open to wherever its clients roam: that is its purpose.
      const service = vpnService(protocol, from, to)
      const evidence = service ? vpnServerEvidence(ctx, r) : undefined
      const why = evidence ? ` (${service} over ${protocolName(protocol).toUpperCase()}, and ${evidence}: clients connect from anywhere, so the port is open by design: low)` : ''
      report(CFN.sgOpenPort, `\`${r.logicalId}\` opens ${describePorts(verdict)} to ${source.value}${why}`, evidence ? { severity: 'low' } : undefined)
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

/** The text of a name written literally or as an `Fn::Sub` string (its `${…}` left in place). */
function nameText(ctx: CfnContext, node: Node | undefined): string {
  const v = ctx.template.view
  if (intrinsicOf(v, node) !== 'Fn::Sub') return literal(v, node) ?? ''
  const arg = intrinsicArgument(v, node)
  return (isSeq(v.deref(arg)) ? v.str(v.items(arg)[0]) : v.str(arg)) ?? ''
}

/**
 * Whether a standalone policy's documents grant nothing to anyone, so an Allow-all in them is no
 * administrator access: an `AWS::IAM::Policy` attached to no role, user or group (CloudFormation
 * refuses it), or a managed policy attached to none that the template uses as a permissions
 * boundary (a boundary caps what a principal's other policies grant). A boundary is one a
 * `PermissionsBoundary` property refers to, or one named so (CDK bootstrap's
 * `cdk-…-permissions-boundary-…`, whose role takes it by an ARN built from a parameter).
 */
function grantsNothing(ctx: CfnContext, r: Resource): boolean {
  const v = ctx.template.view
  if (r.type !== 'AWS::IAM::Policy' && r.type !== 'AWS::IAM::ManagedPolicy') return false
  if (['Roles', 'Users', 'Groups'].some((k) => v.get(r.properties, k) !== undefined)) return false
  if (r.type === 'AWS::IAM::Policy') return true
  const others = ctx.template.resources.filter((o) => o !== r)
  if (others.some((o) => refersTo(ctx, v.get(o.properties, 'ManagedPolicyArns'), r.logicalId))) return false
  if (others.some((o) => refersTo(ctx, v.get(o.properties, 'PermissionsBoundary'), r.logicalId))) return true
  const squeezed = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '')
  return [r.logicalId, nameText(ctx, v.get(r.properties, 'ManagedPolicyName'))].some((name) => squeezed(name).includes('permissionsboundary'))
}

/**
 * Service principals that use a role only for their own housekeeping calls and run none of the
 * account's code or documents with it: scaling, load balancer registration, log and flow-log
 * delivery, recording, backups and snapshots. Any other service may hand the role to code (an
 * instance, a function, a task, an SSM automation's script, a Flink application): it is held by a
 * workload, not by the service alone.
 */
const HOUSEKEEPING_SERVICES = new Set(['application-autoscaling', 'autoscaling', 'elasticloadbalancing', 'ecs', 'spotfleet', 'delivery.logs', 'vpc-flow-logs', 'cloudtrail', 'config', 'backup', 'dlm'])

/**
 * Services whose every action names no resource type (so `Resource` can only be `*`): the message
 * channels the Systems Manager agent polls for commands and opens sessions over.
 */
const AGENT_CHANNELS = new Set(['ssmmessages', 'ec2messages'])

/** A service principal without its domain: `delivery.logs.amazonaws.com` → `delivery.logs`. */
const serviceOf = (principal: string): string => principal.toLowerCase().replace(/\.amazonaws\.com(?:\.cn)?$/, '')

/** The action prefix of a service principal: `application-autoscaling.amazonaws.com` → `application-autoscaling`. */
const actionPrefixOf = (principal: string): string => {
  const service = serviceOf(principal)
  return service.slice(service.lastIndexOf('.') + 1)
}

/**
 * The AWS service principals that alone can assume the roles a policy grants (an `AWS::IAM::Role`'s
 * inline policies, or a policy attached only to roles of the template): every Allow statement of
 * each role's trust policy names only `Service` principals, each a service that runs none of the
 * account's code (HOUSEKEEPING_SERVICES). Undefined when a user, an account, a federated identity or another
 * service may assume one, or when a role or principal cannot be read.
 */
function trustedServicesOnly(ctx: CfnContext, r: Resource): string[] | undefined {
  const v = ctx.template.view
  let roles: Resource[]
  if (r.type === 'AWS::IAM::Role') roles = [r]
  else if ((r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::ManagedPolicy') && ['Users', 'Groups'].every((k) => v.get(r.properties, k) === undefined)) {
    const refs = v.items(v.get(r.properties, 'Roles'))
    roles = ctx.template.resources.filter((o) => o.type === 'AWS::IAM::Role' && refs.some((ref) => intrinsicOf(v, ref) === 'Ref' && v.str(intrinsicArgument(v, ref)) === o.logicalId))
    if (refs.length === 0 || roles.length !== refs.length) return undefined
  } else return undefined
  let common: string[] | undefined
  for (const role of roles) {
    const trust = v.get(role.properties, 'AssumeRolePolicyDocument')
    const services: string[] = []
    for (const statement of oneOrMany(v, v.get(trust, 'Statement'))) {
      if (literal(v, v.get(statement, 'Effect')) !== 'Allow') continue
      const principal = v.get(statement, 'Principal')
      if (!isMap(v.deref(principal)) || v.entries(principal).some((e) => e.key !== 'Service')) return undefined
      for (const service of oneOrMany(v, v.get(principal, 'Service'))) {
        const name = nameText(ctx, service).replace('${AWS::URLSuffix}', 'amazonaws.com')
        if (!/^[a-z0-9.-]+\.amazonaws\.com(?:\.cn)?$/i.test(name) || !HOUSEKEEPING_SERVICES.has(serviceOf(name))) return undefined
        services.push(name)
      }
    }
    if (services.length === 0) return undefined
    common = common === undefined ? services : common.filter((s) => services.includes(s))
  }
  return common?.length ? common : undefined
}

export function checkIamPolicies(ctx: CfnContext, r: Resource): Finding[] {
  const v = ctx.template.view
  const out: Finding[] = []
  if (grantsNothing(ctx, r)) return out
  for (const doc of policyDocuments(ctx, r)) {
    for (const statement of oneOrMany(v, v.get(doc, 'Statement'))) {
      if (literal(v, v.get(statement, 'Effect')) !== 'Allow') continue
      const anyAction = oneOrMany(v, v.get(statement, 'Action')).some((a) => ['*', '*:*'].includes(literal(v, a) ?? ''))
      const anyResource = oneOrMany(v, v.get(statement, 'Resource')).some((a) => literal(v, a) === '*')
      if (anyAction && anyResource) {
        out.push(ctx.report(CFN.iamWildcard, v.keyLine(statement, 'Action'), `\`${r.logicalId}\` allows every action on every resource`))
        continue
      }
      if (!anyResource || v.get(statement, 'NotAction') !== undefined) continue
      const services = oneOrMany(v, v.get(statement, 'Action'))
        .map((a) => literal(v, a) ?? '')
        .filter((a) => /^[a-z0-9-]+:\*$/i.test(a))
      if (services.length) {
        const escalation = services.some((a) => /^(iam|sts|organizations):\*$/i.test(a)) ? ' (with IAM rights this lets the principal grant itself anything)' : ''
        const message = `\`${r.logicalId}\` allows ${services.map((a) => `\`${a}\``).join(', ')} on every resource${escalation}`
        // The Systems Manager agent's message channels: their actions name no resource type, so `*` is the only scope.
        if (services.every((a) => AGENT_CHANNELS.has(a.slice(0, a.indexOf(':')).toLowerCase()))) {
          out.push(ctx.report(CFN.iamServiceWildcard, v.keyLine(statement, 'Action'), `${message} (the Systems Manager agent's message channels: their actions support no resource-level scoping, and AWS's own \`AmazonSSMManagedInstanceCore\` grants them on \`*\`: low)`, { severity: 'low' }))
          continue
        }
        const trusted = escalation ? undefined : trustedServicesOnly(ctx, r)
        const own = trusted !== undefined && services.every((a) => trusted.some((t) => actionPrefixOf(t) === a.slice(0, a.indexOf(':')).toLowerCase()))
        if (own) {
          const who = trusted.map((t) => `\`${t}\``).join(', ')
          out.push(ctx.report(CFN.iamServiceWildcard, v.keyLine(statement, 'Action'), `${message} (only the AWS service ${who} can assume the role, and the wildcard covers that service's own actions: no user or workload holds it: low)`, { severity: 'low' }))
        } else out.push(ctx.report(CFN.iamServiceWildcard, v.keyLine(statement, 'Action'), message))
      }
    }
  }
  return out
}
