/**
 * What an Azure network security group guards, as far as its module shows: the network
 * interfaces and subnets it is attached to, whether the internet has a path to a port on them (a
 * public IP on the interface, a load balancer rule or NAT rule forwarding to the port), and which
 * operating system runs behind them. An inbound rule open to the internet on SSH or RDP reaches
 * nothing when no attachment has such a path (low), and likely nothing listening when every
 * machine behind the group runs the other system (medium). Any doubt (an attachment, pool or rule
 * not in view; the group, an interface or a subnet exported or read by a data source; a firewall
 * or other forwarder not followed) leaves the rule's severity.
 */
import type { Severity } from '../../types.js'
import { blocksOf, boolValue, isExpr, isObject, numberValue, stringValue, type HclBlock, type HclValue } from '../parse/hcl.js'
import { attr, dynamicBlock, sub, type TfContext, type TfResource } from './context.js'

/** A lowered severity and why, as a clause for the message. */
export interface NsgReach {
  severity: Severity
  why: string
}

/** A port a rule opens, or `any` for a rule on every port. */
type Target = number | 'any'

type Attachment = { kind: 'nic' | 'subnet'; name: string }

const NIC = 'azurerm_network_interface'
const SUBNET = 'azurerm_subnet'
const NSG = 'azurerm_network_security_group'
const POOL = 'azurerm_lb_backend_address_pool'
const NAT_RULE = 'azurerm_lb_nat_rule'
const MACHINE_TYPES = new Set(['azurerm_virtual_machine', 'azurerm_linux_virtual_machine', 'azurerm_windows_virtual_machine'])
/** Resources naming a subnet that put nothing in it (its group, route table or NAT gateway). */
const SUBNET_SETTINGS = new Set(['azurerm_subnet_network_security_group_association', 'azurerm_subnet_route_table_association', 'azurerm_subnet_nat_gateway_association'])

/** A reference `type.name` in an expression's text (not `data.type.name`, not a longer name). */
const RESOURCE_REF = /(?:^|[^\w.])([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)/g

/**
 * The names of the `type` resources a value refers to: each entry of a list (or the value itself)
 * must name at least one; undefined when one names none (a literal id, a variable, a data source).
 * `null` entries name nothing.
 */
function referencedNames(v: HclValue | undefined, type: string): string[] | undefined {
  const names: string[] = []
  for (const entry of Array.isArray(v) ? v : [v]) {
    if (entry === null || entry === undefined) continue
    if (!isExpr(entry)) return undefined
    const found = [...entry.expr.matchAll(RESOURCE_REF)].filter((m) => m[1] === type).map((m) => m[2]!)
    if (found.length === 0) return undefined
    names.push(...found)
  }
  return names
}

/** Not set: absent, `null` or an empty list. */
const unset = (v: HclValue | undefined): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0)

// ── Who names what ────────────────────────────────────────────────────────────────────────────

/**
 * What the reach of every open rule of a module rests on, built once per module on the first ask
 * (an NSG with hundreds of rules over a subnet of hundreds of interfaces asked every question of
 * every resource again for each rule), with the answers kept per group and port.
 */
interface ModuleIndex {
  /** `type.name` → the resources of the module naming it (anywhere but `depends_on`), other than itself. */
  users: Map<string, TfResource[]>
  /** `type.name` → the resource. */
  byName: Map<string, TfResource>
  /** `type.name` named by a module call, an `output` or a `data` source: used, or open to use, where this module does not show. */
  foreign: Set<string>
  /** The `name` of each `data "azurerm_subnet"` (undefined when not a literal): a subnet read so may hold other stacks' machines. */
  subnetsRead: (string | undefined)[]
  /** True when some resource may forward internet traffic to a private address by a path not followed here (a firewall DNAT rule, …). */
  forwarder: boolean
  attachments: Map<string, Attachment[] | undefined>
  unreached: Map<string, boolean>
  behind: Map<string, { os: Os; names: string[] } | undefined>
}

const INDEX = Symbol('azure-nsg-reach index')
const key = (type: string, name: string): string => `${type}.${name}`

/** Adds to `into` every `type.name` a value refers to. */
function namesInValue(v: HclValue | undefined, into: Set<string>): void {
  if (isExpr(v)) {
    for (const m of v.expr.matchAll(RESOURCE_REF)) into.add(key(m[1]!, m[2]!))
    for (const a of v.args ?? []) namesInValue(a, into)
  } else if (Array.isArray(v)) {
    for (const x of v) namesInValue(x, into)
  } else if (isObject(v)) {
    for (const x of Object.values(v)) namesInValue(x, into)
  }
}

/** Adds to `into` every `type.name` the block names anywhere but in `depends_on` (an ordering, not a use). */
function namesIn(b: HclBlock, into: Set<string>): void {
  for (const a of Object.values(b.attributes)) if (a.name !== 'depends_on') namesInValue(a.value, into)
  for (const c of b.blocks) namesIn(c, into)
}

/** Firewall rules that translate a public address and port to a private one (DNAT). */
const NAT_COLLECTIONS = new Set(['azurerm_firewall_nat_rule_collection'])
const POLICY_GROUP = 'azurerm_firewall_policy_rule_collection_group'

/**
 * True when the resource may forward internet traffic to a private address this file does not
 * follow: a firewall NAT rule, a policy rule collection group with NAT rules, an application
 * gateway whose backends are addresses, a load balancer pool member by IP address, or an
 * interface forwarding IP traffic (a network virtual appliance).
 */
function forwardsUnfollowed(r: TfResource): boolean {
  if (NAT_COLLECTIONS.has(r.type)) return true
  if (r.type === POLICY_GROUP) return blocksOf(r.block, 'nat_rule_collection').length > 0 || dynamicBlock(r.block, 'nat_rule_collection')
  if (r.type === 'azurerm_application_gateway') {
    return dynamicBlock(r.block, 'backend_address_pool') || blocksOf(r.block, 'backend_address_pool').some((p) => !unset(attr(p, 'ip_addresses')?.value) || !unset(attr(p, 'fqdns')?.value))
  }
  if (r.type === 'azurerm_lb_backend_address_pool_address') return true
  if (r.type === NIC) {
    const forwarding = attr(r.block, 'ip_forwarding_enabled') ?? attr(r.block, 'enable_ip_forwarding')
    return forwarding !== undefined && boolValue(forwarding.value) !== false
  }
  return false
}

function moduleIndex(ctx: TfContext): ModuleIndex {
  return ctx.moduleMemo(INDEX, () => {
    const users = new Map<string, TfResource[]>()
    const byName = new Map<string, TfResource>()
    let forwarder = false
    for (const r of ctx.projectResources('*')) {
      const own = key(r.type, r.name)
      if (!byName.has(own)) byName.set(own, r)
      const named = new Set<string>()
      namesIn(r.block, named)
      named.delete(own)
      for (const k of named) {
        const list = users.get(k)
        if (list) list.push(r)
        else users.set(k, [r])
      }
      forwarder ||= forwardsUnfollowed(r)
    }
    const foreign = new Set<string>()
    for (const b of [...ctx.projectModules(), ...ctx.projectBlocks('output'), ...ctx.projectBlocks('data')]) namesIn(b, foreign)
    const subnetsRead = ctx
      .projectBlocks('data')
      .filter((d) => d.labels[0] === SUBNET)
      .map((d) => stringValue(attr(d, 'name')?.value))
    return { users, byName, foreign, subnetsRead, forwarder, attachments: new Map(), unreached: new Map(), behind: new Map() }
  })
}

/** The resources of the module naming `type.name`, other than itself; undefined when a module call, an output or a data source names it (its use is not all in view). */
function usersOf(ctx: TfContext, type: string, name: string): TfResource[] | undefined {
  const index = moduleIndex(ctx)
  const k = key(type, name)
  return index.foreign.has(k) ? undefined : (index.users.get(k) ?? [])
}

const resource = (ctx: TfContext, type: string, name: string): TfResource | undefined => moduleIndex(ctx).byName.get(key(type, name))

/** True when `b` names `type.name` only in its attribute `at`. */
function namesOnlyAt(b: HclBlock, type: string, name: string, at: string): boolean {
  const elsewhere = new Set<string>()
  for (const a of Object.values(b.attributes)) if (a.name !== at && a.name !== 'depends_on') namesInValue(a.value, elsewhere)
  for (const c of b.blocks) namesIn(c, elsewhere)
  return !elsewhere.has(key(type, name))
}

/**
 * The interfaces and subnets the group is attached to: association resources, or the older
 * `network_security_group_id` of an interface or subnet. Undefined when something else names
 * the group (a scale set, an inline subnet of a network, a module call) or nothing attaches it.
 */
function attachmentsOf(ctx: TfContext, nsg: string): Attachment[] | undefined {
  const users = usersOf(ctx, NSG, nsg)
  if (!users) return undefined
  const found: Attachment[] = []
  for (const u of users) {
    if (u.type === 'azurerm_network_security_rule' || u.type === 'azurerm_network_watcher_flow_log') continue
    const side =
      u.type === 'azurerm_network_interface_security_group_association' ? { kind: 'nic' as const, of: referencedNames(attr(u.block, 'network_interface_id')?.value, NIC) }
      : u.type === 'azurerm_subnet_network_security_group_association' ? { kind: 'subnet' as const, of: referencedNames(attr(u.block, 'subnet_id')?.value, SUBNET) }
      : (u.type === NIC || u.type === SUBNET) && namesOnlyAt(u.block, NSG, nsg, 'network_security_group_id') ? { kind: u.type === NIC ? ('nic' as const) : ('subnet' as const), of: [u.name] }
      : undefined
    if (!side?.of?.length) return undefined
    for (const name of side.of) found.push({ kind: side.kind, name })
  }
  return found.length > 0 ? found : undefined
}

// ── Paths from the internet ───────────────────────────────────────────────────────────────────

/** True when a load balancer or NAT rule may forward the internet to the port: its backend port (or, with floating IP, its frontend port) is it, 0 (HA ports) or not a number. */
function forwards(rule: HclBlock, target: Target): boolean {
  if (stringValue(attr(rule, 'protocol')?.value)?.toLowerCase() === 'udp') return false
  if (target === 'any') return true
  const floating = attr(rule, 'enable_floating_ip') ?? attr(rule, 'floating_ip_enabled')
  const ports = [attr(rule, 'backend_port'), ...(floating && boolValue(floating.value) !== false ? [attr(rule, 'frontend_port')] : [])]
  return ports.some((p) => {
    const n = numberValue(p?.value)
    return n === undefined || n === 0 || n === target
  })
}

/** Whether some rule of the module forwards to the port through the backend pool; true when the pool or a use of it is not in view. */
function poolForwards(ctx: TfContext, pool: string, target: Target): boolean {
  const users = resource(ctx, POOL, pool) ? usersOf(ctx, POOL, pool) : undefined
  if (!users) return true
  return users.some((u) => {
    if (u.type === 'azurerm_lb_rule' || u.type === NAT_RULE) return forwards(u.block, target)
    // Members of the pool, and outbound rules (they carry no inbound traffic).
    if (u.type === NIC || u.type === 'azurerm_network_interface_backend_address_pool_association' || u.type === 'azurerm_lb_outbound_rule') return false
    return true // a NAT pool, a scale set, a member by IP address: not followed
  })
}

function natRuleForwards(ctx: TfContext, rule: string, target: Target): boolean {
  const r = resource(ctx, NAT_RULE, rule)
  return !r || forwards(r.block, target)
}

/** Whether the internet may reach the port on the interface: a public IP, a load balancer pool or NAT rule forwarding to it, or a use not followed here. */
function nicHasPath(ctx: TfContext, nic: string, target: Target): boolean {
  const r = resource(ctx, NIC, nic)
  const users = r ? usersOf(ctx, NIC, nic) : undefined
  if (!r || !users) return true
  const configs = blocksOf(r.block, 'ip_configuration')
  if (configs.length === 0 || dynamicBlock(r.block, 'ip_configuration')) return true
  const pools: string[] = []
  const natRules: string[] = []
  /** Adds the pools or NAT rules a value names; false when it names something else. */
  const collect = (v: HclValue | undefined, type: string, into: string[]): boolean => {
    const names = referencedNames(v, type)
    if (names) into.push(...names)
    return names !== undefined
  }
  for (const c of configs) {
    if (!unset(attr(c, 'public_ip_address_id')?.value)) return true
    if (!unset(attr(c, 'application_gateway_backend_address_pools_ids')?.value)) return true
    if (!collect(attr(c, 'load_balancer_backend_address_pools_ids')?.value, POOL, pools)) return true
    if (!collect(attr(c, 'load_balancer_inbound_nat_rules_ids')?.value, NAT_RULE, natRules)) return true
  }
  for (const u of users) {
    if (MACHINE_TYPES.has(u.type) || u.type === 'azurerm_network_interface_security_group_association') continue
    const link =
      u.type === 'azurerm_network_interface_backend_address_pool_association' ? { at: 'backend_address_pool_id', type: POOL, into: pools }
      : u.type === 'azurerm_network_interface_nat_rule_association' ? { at: 'nat_rule_id', type: NAT_RULE, into: natRules }
      : undefined
    // An application gateway pool, a pool member by IP address, anything else: not followed.
    if (!link || !attr(u.block, link.at) || !collect(attr(u.block, link.at)!.value, link.type, link.into)) return true
  }
  return pools.some((p) => poolForwards(ctx, p, target)) || natRules.some((n) => natRuleForwards(ctx, n, target))
}

/** The interfaces in the subnet, when they are all that is in it; undefined when anything else is (or may be: the subnet exported, handed to a module call or read by a data source). */
function subnetInterfaces(ctx: TfContext, subnet: string): string[] | undefined {
  const r = resource(ctx, SUBNET, subnet)
  const users = r ? usersOf(ctx, SUBNET, subnet) : undefined
  if (!r || !users) return undefined
  // A `data "azurerm_subnet"` of that name (or of a name not known here) reads it: other stacks may put machines in it so.
  const own = stringValue(attr(r.block, 'name')?.value)
  if (moduleIndex(ctx).subnetsRead.some((read) => read === undefined || own === undefined || read === own)) return undefined
  const nics: string[] = []
  for (const u of users) {
    if (SUBNET_SETTINGS.has(u.type)) continue
    if (u.type !== NIC) return undefined
    nics.push(u.name)
  }
  return nics.length > 0 ? nics : undefined
}

/** Whether the internet may reach the port through the attachment; true whenever the module forwards traffic by a way not followed here. */
function hasPath(ctx: TfContext, a: Attachment, target: Target): boolean {
  if (moduleIndex(ctx).forwarder) return true
  if (a.kind === 'nic') return nicHasPath(ctx, a.name, target)
  const nics = subnetInterfaces(ctx, a.name)
  return !nics || nics.some((n) => nicHasPath(ctx, n, target))
}

// ── What runs behind ──────────────────────────────────────────────────────────────────────────

type Os = 'Linux' | 'Windows'

function osOf(vm: TfResource): Os | undefined {
  if (vm.type === 'azurerm_linux_virtual_machine') return 'Linux'
  if (vm.type === 'azurerm_windows_virtual_machine') return 'Windows'
  if (dynamicBlock(vm.block, 'os_profile_linux_config') || dynamicBlock(vm.block, 'os_profile_windows_config')) return undefined
  const linux = sub(vm.block, 'os_profile_linux_config') !== undefined
  const windows = sub(vm.block, 'os_profile_windows_config') !== undefined
  return linux === windows ? undefined : linux ? 'Linux' : 'Windows'
}

/** The virtual machines behind the attachments, when every interface belongs to one; undefined otherwise. */
function machinesBehind(ctx: TfContext, attachments: Attachment[]): TfResource[] | undefined {
  const machines: TfResource[] = []
  for (const a of attachments) {
    const nics = a.kind === 'nic' ? [a.name] : subnetInterfaces(ctx, a.name)
    if (!nics) return undefined
    for (const nic of nics) {
      const vms = (usersOf(ctx, NIC, nic) ?? []).filter((u) => MACHINE_TYPES.has(u.type))
      if (vms.length === 0) return undefined
      machines.push(...vms)
    }
  }
  return machines
}

/** The one operating system of every machine behind the group, with the machines' names; undefined when mixed or unknown. */
function osBehind(ctx: TfContext, attachments: Attachment[]): { os: Os; names: string[] } | undefined {
  const machines = machinesBehind(ctx, attachments)
  const systems = new Set(machines?.map(osOf))
  const os = systems.size === 1 ? [...systems][0] : undefined
  return machines && os ? { os, names: [...new Set(machines.map((m) => `\`${m.type}.${m.name}\``))] } : undefined
}

// ── The verdict ───────────────────────────────────────────────────────────────────────────────

const SERVICE: Record<number, string> = { 22: 'SSH', 3389: 'RDP' }
/** The system whose machines do not listen on the port. */
const SILENT_ON: Record<number, Os> = { 22: 'Windows', 3389: 'Linux' }

const listed = (items: string[]): string => (items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`)

/**
 * A lower severity when every port the rule opens (`all`: every port) is out of the internet's
 * reach through the group `nsg`: low when no attachment has a path to it; medium when a path
 * remains but every machine behind the group runs the system that does not listen there by
 * default (RDP on Linux, SSH on Windows: xrdp and Windows' OpenSSH server can still be installed).
 * Undefined keeps the rule's severity: the group unknown, not attached, or attached to anything
 * not followed here. Answers are kept per group and port: a group may carry hundreds of rules.
 */
export function nsgRuleReach(ctx: TfContext, nsg: string | undefined, ports: 'all' | number[]): NsgReach | undefined {
  if (nsg === undefined) return undefined
  const index = moduleIndex(ctx)
  if (!index.attachments.has(nsg)) index.attachments.set(nsg, attachmentsOf(ctx, nsg))
  const attachments = index.attachments.get(nsg)
  if (!attachments) return undefined
  const targets: Target[] = ports === 'all' ? ['any'] : ports
  const isUnreached = (t: Target): boolean => {
    const k = `${nsg}:${t}`
    if (!index.unreached.has(k)) index.unreached.set(k, attachments.every((a) => !hasPath(ctx, a, t)))
    return index.unreached.get(k)!
  }
  const unreached = targets.filter(isUnreached)
  if (ports !== 'all' && unreached.length < targets.length && !index.behind.has(nsg)) index.behind.set(nsg, osBehind(ctx, attachments))
  const behind = ports === 'all' ? undefined : index.behind.get(nsg)
  const silent = targets.filter((t) => !unreached.includes(t) && typeof t === 'number' && behind?.os === SILENT_ON[t])
  if (unreached.length + silent.length < targets.length) return undefined
  const where = listed(attachments.map((a) => `${a.kind === 'nic' ? 'network interface' : 'subnet'} \`${a.kind === 'nic' ? NIC : SUBNET}.${a.name}\``))
  const portName = (t: Target): string => (t === 'any' ? 'any port' : `port ${t}`)
  const why: string[] = []
  if (unreached.length > 0) why.push(`it guards no internet path to ${unreached.map(portName).join(' or ')}: ${where} ${attachments.length > 1 ? 'have' : 'has'} no public IP and no load balancer or NAT rule forwarding there, so only the virtual network reaches it`)
  if (silent.length > 0 && behind) why.push(`everything behind the group is a ${behind.os} VM (${listed(behind.names)}): nothing listens on ${silent.map((t) => `${SERVICE[t as number]} (${portName(t)})`).join(' or ')} by default`)
  return { severity: silent.length > 0 ? 'medium' : 'low', why: why.join('; ') }
}
