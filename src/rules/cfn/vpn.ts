/**
 * VPN endpoints: the ports a VPN server must open to the whole internet to be of any use (IPsec,
 * OpenVPN, WireGuard, SoftEther), and whether a security group belongs to a VPN server as the
 * template says it (the group's name or description, the user data of the hosts it guards, or the
 * template's description calling it a VPN server when the group guards a host).
 */
import type { Node } from '../parse/yaml.js'
import { isMap, isScalar, isSeq } from '../parse/yaml.js'
import { groupOf, usersOf } from './guarded.js'
import type { CfnContext } from './storage.js'
import { literal, type Resource } from './template.js'

/** Protocol, port range and the service a VPN client reaches there. */
const VPN_PORTS: { protocols: string[]; from: number; to: number; service: string }[] = [
  { protocols: ['udp'], from: 500, to: 500, service: 'IPsec IKE' },
  { protocols: ['udp'], from: 4500, to: 4500, service: 'IPsec NAT traversal' },
  { protocols: ['udp', 'tcp'], from: 1194, to: 1194, service: 'OpenVPN' },
  { protocols: ['udp'], from: 51820, to: 51820, service: 'WireGuard' },
  { protocols: ['udp'], from: 40000, to: 44999, service: 'SoftEther UDP acceleration' },
  { protocols: ['tcp'], from: 992, to: 992, service: 'SoftEther' },
  { protocols: ['tcp'], from: 5555, to: 5555, service: 'SoftEther' }
]

/** An `IpProtocol` by name (`tcp`, `udp`), whether written so or as its IANA number. */
const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp' }
export const protocolName = (protocol: string): string => PROTOCOL_NUMBERS[protocol] ?? protocol.toLowerCase()

/** The VPN service listening on every port of `from..to` over the protocol, if one does. */
export function vpnService(protocol: string, from: number, to: number): string | undefined {
  const name = protocolName(protocol)
  return VPN_PORTS.find((p) => p.protocols.includes(name) && p.from <= from && to <= p.to)?.service
}

/** A VPN product or protocol named as a word. */
const NAMES_VPN = /\b(?:vpn|openvpn|softether|wireguard|strongswan|libreswan|ipsec)\b/i
/**
 * A VPN product or protocol named as a server: "SoftEther VPN server", "WireGuard endpoint". A
 * template merely mentioning a VPN ("reachable over the corporate VPN") is no VPN server.
 */
const CALLS_VPN_SERVER = /\b(?:vpn|openvpn|softether|wireguard|strongswan|libreswan|ipsec) (?:server|gateway|endpoint|concentrator|appliance|bastion|host|instance)s?\b/i

/** What may run a VPN server behind the group. */
const HOSTS = new Set(['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration', 'AWS::EC2::NetworkInterface'])

const MAX_DEPTH = 12

/** Every scalar written under the node (user data scripts, `Fn::Sub` strings, `Fn::Join` parts). */
function textsUnder(ctx: CfnContext, node: Node | undefined, depth = 0): string[] {
  const v = ctx.template.view
  const n = v.deref(node)
  if (n === undefined || depth > MAX_DEPTH) return []
  if (isScalar(n)) return [v.str(n) ?? '']
  if (isSeq(n)) return v.items(n).flatMap((i) => textsUnder(ctx, i, depth + 1))
  if (isMap(n)) return v.entries(n).flatMap((e) => textsUnder(ctx, e.value, depth + 1))
  return []
}

/** The user data of a host attaching the group: an instance's, or a launch template's. */
function userData(ctx: CfnContext, u: Resource): string[] {
  const v = ctx.template.view
  const data = u.type === 'AWS::EC2::LaunchTemplate' ? v.get(v.get(u.properties, 'LaunchTemplateData'), 'UserData') : v.get(u.properties, 'UserData')
  return textsUnder(ctx, data)
}

/**
 * Where the template calls the group's owner a VPN server, or undefined: the group's `GroupName`
 * or `GroupDescription`, the user data of a host it guards, or, when it guards a host, a template
 * `Description` calling the template a VPN server (the template may hold other groups: without a
 * host behind this one, the description says nothing of it).
 */
export function vpnServerEvidence(ctx: CfnContext, r: Resource): string | undefined {
  const v = ctx.template.view
  const group = groupOf(ctx, r)
  if (!group) return undefined
  for (const key of ['GroupName', 'GroupDescription']) {
    if (NAMES_VPN.test(literal(v, v.get(group.properties, key)) ?? '')) return `the group's \`${key}\` names a VPN server`
  }
  const hosts = usersOf(ctx, group).filter((u) => HOSTS.has(u.type))
  const host = hosts.find((u) => userData(ctx, u).some((text) => NAMES_VPN.test(text)))
  if (host) return `the user data of \`${host.logicalId}\`, which the group guards, sets up a VPN server`
  const described = hosts.length > 0 && CALLS_VPN_SERVER.test(literal(v, v.get(ctx.template.root, 'Description')) ?? '')
  return described ? `the template's description calls it a VPN server, and the group guards \`${hosts[0]!.logicalId}\`` : undefined
}
