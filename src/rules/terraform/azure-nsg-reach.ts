/**
 * What an Azure network security group guards, as far as its module shows: the network
 * interfaces and subnets it is attached to, whether the internet has a path to a port on them (a
 * public IP on the interface, a load balancer rule or NAT rule forwarding to the port), and which
 * operating system runs behind them. An inbound rule open to the internet on SSH or RDP reaches
 * nothing when no attachment has such a path, or when every machine behind the group runs the
 * other system. Any doubt (an attachment, pool or rule not in view) leaves the rule's severity.
 */
import type { Severity } from '../../types.js'
import { blocksOf, boolValue, isExpr, numberValue, stringValue, type HclBlock, type HclValue } from '../parse/hcl.js'
import { attr, dynamicBlock, sub, type TfContext, type TfResource } from './context.js'
import { mentions } from './guarded.js'

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

/** True when the block names `type.name` anywhere but in `depends_on` (an ordering, not a use). */
function uses(b: HclBlock, type: string, name: string): boolean {
  return Object.values(b.attributes).some((a) => a.name !== 'depends_on' && mentions(a.value, type, name)) || b.blocks.some((c) => uses(c, type, name))
}

/** The resources of the module naming `type.name`, other than itself; undefined when a module call names it (its use is not in view). */
function usersOf(ctx: TfContext, type: string, name: string): TfResource[] | undefined {
  if (ctx.projectModules().some((m) => uses(m, type, name))) return undefined
  return ctx.projectResources('*').filter((u) => !(u.type === type && u.name === name) && uses(u.block, type, name))
}

const resource = (ctx: TfContext, type: string, name: string): TfResource | undefined => ctx.projectResources(type).find((r) => r.name === name)

/** True when `b` names `type.name` only in its attribute `at`. */
function namesOnlyAt(b: HclBlock, type: string, name: string, at: string): boolean {
  return Object.values(b.attributes).every((a) => a.name === at || a.name === 'depends_on' || !mentions(a.value, type, name)) && b.blocks.every((c) => !uses(c, type, name))
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

/** The interfaces in the subnet, when they are all that is in it; undefined when anything else is (or may be). */
function subnetInterfaces(ctx: TfContext, subnet: string): string[] | undefined {
  const users = resource(ctx, SUBNET, subnet) ? usersOf(ctx, SUBNET, subnet) : undefined
  if (!users) return undefined
  const nics: string[] = []
  for (const u of users) {
    if (SUBNET_SETTINGS.has(u.type)) continue
    if (u.type !== NIC) return undefined
    nics.push(u.name)
  }
  return nics.length > 0 ? nics : undefined
}

function hasPath(ctx: TfContext, a: Attachment, target: Target): boolean {
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
 * Low when every port the rule opens (`all`: every port) is unreachable from the internet through
 * the group `nsg`: no attachment has a path to it, or every machine behind the group runs the
 * system that does not listen there (RDP on Linux, SSH on Windows). Undefined keeps the rule's
 * severity: the group unknown, not attached, or attached to anything not followed here.
 */
export function nsgRuleReach(ctx: TfContext, nsg: string | undefined, ports: 'all' | number[]): NsgReach | undefined {
  if (nsg === undefined) return undefined
  const attachments = attachmentsOf(ctx, nsg)
  if (!attachments) return undefined
  const targets: Target[] = ports === 'all' ? ['any'] : ports
  const unreached = targets.filter((t) => attachments.every((a) => !hasPath(ctx, a, t)))
  const behind = ports === 'all' ? undefined : osBehind(ctx, attachments)
  const silent = targets.filter((t) => !unreached.includes(t) && typeof t === 'number' && behind?.os === SILENT_ON[t])
  if (unreached.length + silent.length < targets.length) return undefined
  const where = listed(attachments.map((a) => `${a.kind === 'nic' ? 'network interface' : 'subnet'} \`${a.kind === 'nic' ? NIC : SUBNET}.${a.name}\``))
  const portName = (t: Target): string => (t === 'any' ? 'any port' : `port ${t}`)
  const why: string[] = []
  if (unreached.length > 0) why.push(`it guards no internet path to ${unreached.map(portName).join(' or ')}: ${where} ${attachments.length > 1 ? 'have' : 'has'} no public IP and no load balancer or NAT rule forwarding there, so only the virtual network reaches it`)
  if (silent.length > 0 && behind) why.push(`everything behind the group is a ${behind.os} VM (${listed(behind.names)}): nothing listens on ${silent.map((t) => `${SERVICE[t as number]} (${portName(t)})`).join(' or ')}`)
  return { severity: 'low', why: why.join('; ') }
}
