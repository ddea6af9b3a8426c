/**
 * Who the ingress of an AWS security group admits. Each source of an ingress (an inline
 * `ingress {}` block, an `aws_security_group_rule` of type ingress, an
 * `aws_vpc_security_group_ingress_rule`) is judged once: the whole internet, provably private (a
 * private range, the VPC's own range, another group, the group itself), or neither (a public
 * range, a prefix list, a variable whatever its default, a value not known here). The open-port
 * rules report the first; a public database is less exposed when every source of every group
 * guarding it is the second.
 */
import { blocksOf, lineOfKey, stringValue, type HclAttribute, type HclBlock, type HclValue } from '../parse/hcl.js'
import { attr, dynamicBlock, referenceText, type TfContext } from './context.js'
import { blockMentions } from './guarded.js'
import { isOpenCidr } from './ports.js'
import { VPC_MODULE } from './registry-modules.js'

/** `internet`: 0.0.0.0/0 or ::/0. `private`: no address on the internet matches it. `unknown`: anything else. */
export type SourceVerdict = 'internet' | 'private' | 'unknown'

/** The attributes naming the sources of one shape of ingress. */
interface IngressShape {
  /** Lists (or single values) of CIDRs. */
  cidrs: readonly string[]
  /** Prefix lists: their entries are not in the module, so never provably private. */
  prefixLists: readonly string[]
  /** Other security groups (only their members' private addresses match). `self` adds the group's own members: never a wider source. */
  groups: readonly string[]
}

export const INGRESS_SHAPES = {
  /** `ingress {}` inside `aws_security_group`. */
  inline: { cidrs: ['cidr_blocks', 'ipv6_cidr_blocks'], prefixLists: ['prefix_list_ids'], groups: ['security_groups'] },
  /** `aws_security_group_rule`. */
  rule: { cidrs: ['cidr_blocks', 'ipv6_cidr_blocks'], prefixLists: ['prefix_list_ids'], groups: ['source_security_group_id'] },
  /** `aws_vpc_security_group_ingress_rule`. */
  vpcRule: { cidrs: ['cidr_ipv4', 'cidr_ipv6'], prefixLists: ['prefix_list_id'], groups: ['referenced_security_group_id'] }
} satisfies Record<string, IngressShape>

/** The first entry of a CIDR attribute that is the whole internet, as written (`0.0.0.0/0`). */
export function internetCidr(a: HclAttribute | undefined): string | undefined {
  const v = a?.value
  const entries = Array.isArray(v) ? v : [v]
  return entries.find((x): x is string => typeof x === 'string' && isOpenCidr(x))
}

// ── Private ranges ────────────────────────────────────────────────────────────────────────────

/** RFC 1918 and RFC 6598 (carrier-grade NAT): [network, prefix length]. */
const PRIVATE_V4: [number, number][] = [
  [ipv4('10.0.0.0')!, 8],
  [ipv4('172.16.0.0')!, 12],
  [ipv4('192.168.0.0')!, 16],
  [ipv4('100.64.0.0')!, 10]
]

function ipv4(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

/**
 * True when every address of the CIDR is private: inside an RFC 1918 or RFC 6598 range, or an
 * IPv6 unique local address (fc00::/7, RFC 4193), none of which is routed on the internet.
 */
export function isPrivateCidr(cidr: string): boolean {
  const [address = '', length, ...rest] = cidr.trim().split('/')
  if (rest.length > 0 || (length !== undefined && !/^\d{1,3}$/.test(length))) return false
  if (address.includes(':')) {
    const bits = length === undefined ? 128 : Number(length)
    return bits >= 7 && bits <= 128 && /^f[cd][0-9a-f]{2}:/i.test(address) && /^[0-9a-f:]+$/i.test(address)
  }
  const ip = ipv4(address)
  const bits = length === undefined ? 32 : Number(length)
  if (ip === undefined || bits > 32) return false
  return PRIVATE_V4.some(([network, prefix]) => bits >= prefix && Math.floor(ip / 2 ** (32 - prefix)) === Math.floor(network / 2 ** (32 - prefix)))
}

/** The VPC's own range, or a subnet's (its part of it): `aws_vpc.main.cidr_block`, `aws_subnet.private[*].cidr_block`, `data.aws_vpc.this.cidr_block`. */
const OWN_RANGE = /^(?:data\.)?aws_(?:vpc|subnet|vpc_ipv4_cidr_block_association)\.[A-Za-z_][\w-]*(?:\[[^\]]*\]|\.\*)?\.cidr_block$/
/** Outputs of the registry VPC module holding its ranges: `module.vpc.vpc_cidr_block`, `module.vpc.private_subnets_cidr_blocks`. */
const MODULE_RANGE = /^module\.([A-Za-z_][\w-]*)\.(?:vpc_cidr_block|[a-z]+_subnets_cidr_blocks)$/

function judgeCidr(ctx: TfContext, v: HclValue): SourceVerdict {
  if (typeof v === 'string') return isOpenCidr(v) ? 'internet' : isPrivateCidr(v) ? 'private' : 'unknown'
  const ref = referenceText(v)
  if (ref === undefined) return 'unknown'
  if (OWN_RANGE.test(ref)) return 'private'
  const call = MODULE_RANGE.exec(ref)?.[1]
  if (call !== undefined && ctx.projectModules().some((m) => m.labels[0] === call && VPC_MODULE.source.test(stringValue(attr(m, 'source')?.value)?.trim() ?? ''))) return 'private'
  return 'unknown'
}

/** The worst of several verdicts: one internet source makes the ingress open, one unknown makes it unproven. */
function worst(verdicts: SourceVerdict[]): SourceVerdict {
  return verdicts.includes('internet') ? 'internet' : verdicts.includes('unknown') ? 'unknown' : 'private'
}

/**
 * Who one ingress admits, over all its sources; `private` when it names none (it admits nothing).
 * `path` is the module file the block is written in: a source filled in from a variable (its
 * default, a tfvars) is `unknown`, since a caller or another tfvars may set any range there.
 */
export function judgeIngress(ctx: TfContext, b: HclBlock, shape: IngressShape, path: string | undefined): SourceVerdict {
  const verdicts: SourceVerdict[] = []
  const judged = (v: HclValue, line: number): SourceVerdict => (ctx.fromVariable(path, line) ? 'unknown' : judgeCidr(ctx, v))
  for (const name of shape.cidrs) {
    const a = attr(b, name)
    const v = a?.value
    if (a === undefined || v === undefined || v === null) continue
    if (Array.isArray(v)) {
      if (ctx.fromVariable(path, a.line)) verdicts.push('unknown')
      v.forEach((item, i) => verdicts.push(judged(item, lineOfKey(v, i) ?? a.line)))
    } else {
      verdicts.push(judged(v, a.line))
    }
  }
  for (const name of shape.prefixLists) {
    const v = attr(b, name)?.value
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) verdicts.push('unknown')
  }
  // A group source matches only members of that group: private addresses inside the VPC and its peers.
  for (const name of shape.groups) if (attr(b, name)) verdicts.push('private')
  return worst(verdicts)
}

// ── Groups ────────────────────────────────────────────────────────────────────────────────────

/** `aws_security_group.NAME.id` (optionally indexed or splat), alone or as the one reference of a template. */
const GROUP_ID = /^aws_security_group\.([A-Za-z_][\w-]*)(?:\[[^\]]*\]|\.\*)?\.id$/

/**
 * The names of the `aws_security_group` resources a list of group ids names, when every entry is
 * such a reference; undefined when one is anything else (a variable, a data source, a module
 * output) or the list is empty (the VPC's default group then applies).
 */
export function groupNames(v: HclValue | undefined): string[] | undefined {
  const entries = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]
  const names: string[] = []
  for (const entry of entries) {
    const ref = referenceText(entry)
    const name = ref !== undefined ? GROUP_ID.exec(ref)?.[1] : undefined
    if (name === undefined) return undefined
    names.push(name)
  }
  return names.length > 0 ? names : undefined
}

/** The group a standalone rule belongs to, or undefined when its `security_group_id` is not a group of the module. */
function ruleTarget(b: HclBlock): string | undefined {
  const ref = referenceText(attr(b, 'security_group_id')?.value)
  return ref !== undefined ? GROUP_ID.exec(ref)?.[1] : undefined
}

/**
 * Who the `aws_security_group` NAME of the module admits, over its inline ingress and every
 * standalone ingress rule that may belong to it (one aimed at it, or at a group not known here).
 * `unknown` when the group is not in the module, builds ingress with `dynamic`, is handed to
 * a module call or exported by an `output` (the module's callers may add rules to it).
 */
export function groupAdmits(ctx: TfContext, name: string): SourceVerdict {
  const group = ctx.projectResources('aws_security_group').find((g) => g.name === name)
  if (!group || dynamicBlock(group.block, 'ingress')) return 'unknown'
  // Handed to a module call, or exported to the module's callers: either may add rules to it.
  if ([...ctx.projectModules(), ...ctx.projectBlocks('output')].some((m) => blockMentions(m, 'aws_security_group', name))) return 'unknown'
  const verdicts = blocksOf(group.block, 'ingress').map((b) => judgeIngress(ctx, b, INGRESS_SHAPES.inline, group.path))
  for (const r of ctx.projectResources(['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'])) {
    const target = ruleTarget(r.block)
    if (target !== undefined && target !== name) continue
    if (r.type === 'aws_security_group_rule') {
      const type = attr(r.block, 'type')?.value
      if (typeof type === 'string' && type !== 'ingress') continue
      verdicts.push(judgeIngress(ctx, r.block, INGRESS_SHAPES.rule, r.path))
    } else {
      verdicts.push(judgeIngress(ctx, r.block, INGRESS_SHAPES.vpcRule, r.path))
    }
  }
  return worst(verdicts)
}
