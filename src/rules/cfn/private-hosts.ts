/**
 * Whether a security group guards only hosts without a public address: network interfaces,
 * instances, launch templates and launch configurations placed in subnets the template shows
 * to be private, with no Elastic IP and no `AssociatePublicIpAddress` that may be true. Such a
 * rule open to the internet reaches only the VPC and its peers (and whatever routes into them),
 * not the internet itself. Nothing else in the template may point at such a host (a load
 * balancer's target group does route the internet to it), and for an IPv6 source the host may
 * get no IPv6 address (those are publicly routable).
 */
import type { Node } from '../parse/yaml.js'
import { isScalar, isSeq } from '../parse/yaml.js'
import { keyWords } from '../secrets/keys.js'
import { groupOf, referrersOf, refersTo, usersOf } from './guarded.js'
import type { CfnContext } from './storage.js'
import { intrinsicArgument, intrinsicOf, literal, type Resource } from './template.js'
import { valuesOf } from './values.js'

/** Expanded names past this many are not followed: the subnet is then not known to be private. */
const MAX_NAMES = 64
const MAX_DEPTH = 8

/**
 * The values a parameter may take, as the template limits them: its AllowedValues; undefined when
 * open. A `Default` limits nothing: whoever deploys may pass another subnet.
 */
function parameterValues(ctx: CfnContext, name: string): string[] | undefined {
  const v = ctx.template.view
  const param = ctx.template.parameters.get(name)
  if (!param) return undefined
  const allowed = v.items(v.get(param.node, 'AllowedValues')).map((n) => literal(v, n))
  return allowed.length > 0 && allowed.every((a) => a !== undefined) ? (allowed as string[]) : undefined
}

/**
 * Every name an export or parameter reference may spell: a literal, or an `Fn::Sub` string whose
 * `${Parameter}`s are expanded over the values the template allows (an open one stays `?`, which
 * names nothing). Undefined when the node is something else or expands too far.
 */
function spelledNames(ctx: CfnContext, node: Node | undefined): string[] | undefined {
  const v = ctx.template.view
  const text = literal(v, node)
  if (text !== undefined) return [text]
  if (intrinsicOf(v, node) !== 'Fn::Sub') return undefined
  const arg = intrinsicArgument(v, node)
  if (isSeq(v.deref(arg))) return undefined
  const sub = v.str(arg)
  if (sub === undefined) return undefined
  let names = ['']
  for (const part of sub.split(/(\$\{[^}${]*\})/)) {
    const name = /^\$\{([^}!${]*)\}$/.exec(part)?.[1]?.trim()
    const values = name === undefined ? [part] : (parameterValues(ctx, name) ?? ['?'])
    names = names.flatMap((n) => values.map((x) => n + x))
    if (names.length > MAX_NAMES) return undefined
  }
  return names
}

/** Every name calls its subnet private (`SubnetAPrivate`, `vpc-SubnetsPrivate`) and none calls it public. */
function namesOnlyPrivate(names: string[] | undefined): boolean {
  if (!names || names.length === 0) return false
  const split = names.map(keyWords)
  return split.every((w) => w.includes('private') && !w.includes('public'))
}

/**
 * Whether every subnet the node may name is private: a template `AWS::EC2::Subnet` that does not
 * map public addresses on launch (nor, when `ipv6`, assign IPv6 addresses on creation), or an
 * import or parameter whose every allowed name says private.
 * Lists, `Fn::Split`, `Fn::Select` and both branches of `Fn::If` are followed; anything else
 * (a subnet id, a missing subnet, which means the default VPC's public subnets) is not private.
 */
function privateSubnets(ctx: CfnContext, node: Node | undefined, ipv6: boolean, depth = 0): boolean {
  const v = ctx.template.view
  const n = v.deref(node)
  if (n === undefined || depth > MAX_DEPTH) return false
  if (isSeq(n)) {
    const items = v.items(n)
    return items.length > 0 && items.every((i) => privateSubnets(ctx, i, ipv6, depth + 1))
  }
  const fn = intrinsicOf(v, n)
  const arg = intrinsicArgument(v, n)
  switch (fn) {
    case 'Fn::If': {
      const [, whenTrue, whenFalse] = v.items(arg)
      return privateSubnets(ctx, whenTrue, ipv6, depth + 1) && privateSubnets(ctx, whenFalse, ipv6, depth + 1)
    }
    case 'Fn::Split':
    case 'Fn::Select':
      return privateSubnets(ctx, v.items(arg)[1], ipv6, depth + 1)
    case 'Fn::ImportValue':
      return namesOnlyPrivate(spelledNames(ctx, arg))
    case 'Ref': {
      const name = isScalar(v.deref(arg)) ? v.str(arg) : undefined
      if (name === undefined) return false
      const subnet = ctx.template.resources.find((r) => r.logicalId === name)
      if (subnet) {
        const props = subnet.properties
        return subnet.type === 'AWS::EC2::Subnet' && !mayBeTrue(ctx, v.get(props, 'MapPublicIpOnLaunch')) && !(ipv6 && mayBeTrue(ctx, v.get(props, 'AssignIpv6AddressOnCreation')))
      }
      return namesOnlyPrivate(parameterValues(ctx, name))
    }
    default:
      return false
  }
}

/** A boolean property that is, or may be (a value decided only at deployment), true. Absent: false. */
function mayBeTrue(ctx: CfnContext, node: Node | undefined): boolean {
  if (node === undefined) return false
  const values = valuesOf(ctx.template, node)
  return values.length === 0 || values.some((c) => c.value.trim().toLowerCase() === 'true')
}

/** Whether the node (an instance, interface or launch template interface) asks for IPv6 addresses: `Ipv6Addresses`, or an `Ipv6AddressCount` that may be above 0. */
function asksIpv6(ctx: CfnContext, node: Node | undefined): boolean {
  const v = ctx.template.view
  if (v.get(node, 'Ipv6Addresses') !== undefined) return true
  const count = v.get(node, 'Ipv6AddressCount')
  if (count === undefined) return false
  const values = valuesOf(ctx.template, count)
  return values.length === 0 || values.some((c) => c.value.trim() !== '0')
}

const ELASTIC_IPS = new Set(['AWS::EC2::EIP', 'AWS::EC2::EIPAssociation'])
/** An Elastic IP or its association in the template names the resource. */
const hasElasticIp = (ctx: CfnContext, r: Resource): boolean => referrersOf(ctx, r).some((e) => ELASTIC_IPS.has(e.type))

/**
 * What may point at a host without routing traffic to it: its Elastic IP (checked apart), the
 * instance an interface is attached to (checked as a host too), attachments of interfaces and volumes,
 * policies naming its ARN, alarms on its metrics, maintenance windows and backups of it, and DNS
 * records (a name resolves only to addresses the host has, and a public one is checked apart).
 */
const HOST_LINKS = new Set([
  ...ELASTIC_IPS,
  'AWS::EC2::Instance',
  'AWS::EC2::NetworkInterfaceAttachment',
  'AWS::EC2::VolumeAttachment',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::CloudWatch::Alarm',
  'AWS::Route53::RecordSet',
  'AWS::SSM::MaintenanceWindowTarget',
  'AWS::SSM::Association',
  'AWS::Backup::BackupSelection'
])
/** Something else names the host (a load balancer's target group, a custom resource): it may route the internet to it. */
const handedOn = (ctx: CfnContext, r: Resource): boolean => referrersOf(ctx, r).some((o) => !HOST_LINKS.has(o.type))

/** No `AssociatePublicIpAddress` among the node's network interfaces may be true. */
function noPublicAddressAsked(ctx: CfnContext, interfaces: Node | undefined): boolean {
  const v = ctx.template.view
  return v.items(interfaces).every((i) => !mayBeTrue(ctx, v.get(i, 'AssociatePublicIpAddress')))
}

/**
 * Every Auto Scaling group launching from `r` (at least one, and nothing else uses it) spreads over
 * private subnets only and registers with no load balancer (`TargetGroupARNs`, `LoadBalancerNames`).
 */
function launchedPrivately(ctx: CfnContext, r: Resource, ipv6: boolean): boolean {
  const v = ctx.template.view
  const users = referrersOf(ctx, r)
  return (
    users.length > 0 &&
    users.every(
      (u) =>
        u.type === 'AWS::AutoScaling::AutoScalingGroup' &&
        privateSubnets(ctx, v.get(u.properties, 'VPCZoneIdentifier'), ipv6) &&
        v.get(u.properties, 'TargetGroupARNs') === undefined &&
        v.get(u.properties, 'LoadBalancerNames') === undefined
    )
  )
}

/** An instance with no Elastic IP that nothing else routes to. */
const unreferencedInstance = (ctx: CfnContext, r: Resource): boolean => !hasElasticIp(ctx, r) && !handedOn(ctx, r)

/** A network interface in a private subnet, with no Elastic IP on it or on an instance it is attached to, that nothing else routes to. */
function privateInterface(ctx: CfnContext, eni: Resource, ipv6: boolean): boolean {
  if (!privateSubnets(ctx, ctx.template.view.get(eni.properties, 'SubnetId'), ipv6) || (ipv6 && asksIpv6(ctx, eni.properties))) return false
  if (hasElasticIp(ctx, eni) || handedOn(ctx, eni)) return false
  return referrersOf(ctx, eni).every((u) => u.type !== 'AWS::EC2::Instance' || unreferencedInstance(ctx, u))
}

/** Whether one attachment of the group has no public address (no IPv6 one either when `ipv6`), by its type. */
function withoutPublicAddress(ctx: CfnContext, u: Resource, ipv6: boolean): boolean {
  const v = ctx.template.view
  const props = u.properties
  switch (u.type) {
    case 'AWS::EC2::NetworkInterface':
      return privateInterface(ctx, u, ipv6)
    case 'AWS::EC2::Instance': {
      if (!unreferencedInstance(ctx, u) || (ipv6 && asksIpv6(ctx, props))) return false
      const interfaces = v.items(v.get(props, 'NetworkInterfaces'))
      if (interfaces.length === 0) return privateSubnets(ctx, v.get(props, 'SubnetId'), ipv6)
      return interfaces.every((i) => {
        if (mayBeTrue(ctx, v.get(i, 'AssociatePublicIpAddress')) || (ipv6 && asksIpv6(ctx, i))) return false
        const attached = ctx.template.resources.find((e) => e.type === 'AWS::EC2::NetworkInterface' && refersTo(ctx, v.get(i, 'NetworkInterfaceId'), e.logicalId))
        return attached ? privateInterface(ctx, attached, ipv6) : privateSubnets(ctx, v.get(i, 'SubnetId'), ipv6)
      })
    }
    case 'AWS::EC2::LaunchTemplate': {
      const interfaces = v.get(v.get(props, 'LaunchTemplateData'), 'NetworkInterfaces')
      return noPublicAddressAsked(ctx, interfaces) && !(ipv6 && v.items(interfaces).some((i) => asksIpv6(ctx, i))) && launchedPrivately(ctx, u, ipv6)
    }
    case 'AWS::AutoScaling::LaunchConfiguration':
      return !mayBeTrue(ctx, v.get(props, 'AssociatePublicIpAddress')) && launchedPrivately(ctx, u, ipv6)
    default:
      return false
  }
}

/**
 * Why an internet-open rule of `r` reaches no public address, or undefined: its group is attached
 * in the template, every attachment is a host without a public address (nor an IPv6 one when the
 * rule's source is an IPv6 range), and no output or SAM `Globals` hands the group on (another stack
 * may attach it to anything).
 */
export function privateHostsOnly(ctx: CfnContext, r: Resource, ipv6: boolean): string | undefined {
  const group = groupOf(ctx, r)
  if (!group) return undefined
  const v = ctx.template.view
  const root = ctx.template.root
  if (refersTo(ctx, v.get(root, 'Outputs'), group.logicalId) || refersTo(ctx, v.get(root, 'Globals'), group.logicalId)) return undefined
  const users = usersOf(ctx, group)
  if (users.length === 0 || !users.every((u) => withoutPublicAddress(ctx, u, ipv6))) return undefined
  const names = users.map((u) => `\`${u.logicalId}\``)
  return `the group guards only ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`}, hosts without a public address (private subnets, no Elastic IP${ipv6 ? ', no IPv6 address' : ''}): the port is reachable only from inside the VPC and its peers`
}
