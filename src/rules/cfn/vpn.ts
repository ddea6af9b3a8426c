/**
 * VPN endpoints: the ports a VPN server must open to the whole internet to be of any use (IPsec,
 * OpenVPN, WireGuard, SoftEther), and whether a security group belongs to a VPN server as the
 * template says it (its description, the group's name, the user data of the hosts it guards).
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

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp' }

/** The VPN service listening on every port of `from..to` over the protocol, if one does. */
export function vpnService(protocol: string, from: number, to: number): string | undefined {
  const name = PROTOCOL_NAMES[protocol] ?? protocol
  return VPN_PORTS.find((p) => p.protocols.includes(name) && p.from <= from && to <= p.to)?.service
}

/** A VPN product or protocol named as a word. */
const NAMES_VPN = /\b(?:vpn|openvpn|softether|wireguard|strongswan|libreswan|ipsec)\b/i

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
 * Where the template calls the group's owner a VPN server, or undefined: the template's
 * `Description`, the group's `GroupName` or `GroupDescription`, or the user data of a host it guards.
 */
export function vpnServerEvidence(ctx: CfnContext, r: Resource): string | undefined {
  const v = ctx.template.view
  const group = groupOf(ctx, r)
  if (!group) return undefined
  if (NAMES_VPN.test(literal(v, v.get(ctx.template.root, 'Description')) ?? '')) return "the template's description names a VPN server"
  for (const key of ['GroupName', 'GroupDescription']) {
    if (NAMES_VPN.test(literal(v, v.get(group.properties, key)) ?? '')) return `the group's \`${key}\` names a VPN server`
  }
  const host = usersOf(ctx, group).find((u) => userData(ctx, u).some((text) => NAMES_VPN.test(text)))
  return host ? `the user data of \`${host.logicalId}\`, which the group guards, sets up a VPN server` : undefined
}
