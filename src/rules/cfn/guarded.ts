/**
 * What a security group guards, as far as the template shows: the resources that attach it, and
 * how far an ingress rule on it can reach. A rule open to the internet reaches only what listens
 * behind the group: nothing behind a Lambda function (it has no listener), only the VPC and its
 * peers behind a data store with no public endpoint, and only the store's own port.
 */
import type { Node } from '../parse/yaml.js'
import { isMap, isSeq } from '../parse/yaml.js'
import type { CfnContext } from './storage.js'
import { intrinsicArgument, intrinsicOf, literal, type Resource } from './template.js'
import { valuesOf } from './values.js'
import { cacheEnginePort, proxyEnginePort, rdsEnginePort } from '../terraform/ports.js'
import { namedForFunctions, reachOf, type GroupUse, type Reach } from '../security-group-reach.js'
import { lookupTable } from '../../util/lookup-table.js'

/**
 * The logical ids one node names itself (not its children): a `Ref`'s or `Fn::GetAtt`'s target, or
 * the `${Id}`/`${Id.Attr}` of an `Fn::Sub` string.
 */
function namedIds(ctx: CfnContext, n: Node): string[] {
  const v = ctx.template.view
  const fn = intrinsicOf(v, n)
  if (fn !== 'Ref' && fn !== 'Fn::GetAtt' && fn !== 'Fn::Sub') return []
  const arg = intrinsicArgument(v, n)
  const text = isSeq(v.deref(arg)) ? v.str(v.items(arg)[0]) : v.str(arg)
  if (text === undefined) return []
  if (fn !== 'Fn::Sub') return [text.split('.')[0]!]
  // A logical id holds no `$` or `{`: leaving them out of the name keeps the scan linear on `${${${…`.
  return [...text.matchAll(/\$\{([^}.${]*)[}.]/g)].map((m) => m[1]!)
}
/**
 * True when the node (anywhere inside) refers to a logical id: `!Ref X`, `{"Ref": X}`,
 * `!GetAtt X.GroupId`, or `${X}` / `${X.Arn}` in the string of an `Fn::Sub`.
 */
export function refersTo(ctx: CfnContext, node: Node | undefined, id: string, depth = 0): boolean {
  const v = ctx.template.view
  const n = v.deref(node)
  if (n === undefined || depth > 12) return false
  if (namedIds(ctx, n).includes(id)) return true
  if (isMap(n)) return v.entries(n).some((e) => refersTo(ctx, e.value, id, depth + 1))
  if (isSeq(n)) return v.items(n).some((i) => refersTo(ctx, i, id, depth + 1))
  return false
}

/**
 * True when every reference to `id` inside the node sits under `path` (both branches of an
 * `Fn::If` standing on the way are followed): the group is attached there and used nowhere else.
 */
function refersOnlyAt(ctx: CfnContext, node: Node | undefined, id: string, path: readonly string[]): boolean {
  const v = ctx.template.view
  const n = v.deref(node)
  if (path.length === 0) return true
  const fn = intrinsicOf(v, n)
  if (fn === 'Fn::If') {
    const [, whenTrue, whenFalse] = v.items(intrinsicArgument(v, n))
    return refersOnlyAt(ctx, whenTrue, id, path) && refersOnlyAt(ctx, whenFalse, id, path)
  }
  if (!isMap(n) || fn !== undefined) return !refersTo(ctx, n, id)
  return v.entries(n).every((e) => (e.key === path[0] ? refersOnlyAt(ctx, e.value, id, path.slice(1)) : !refersTo(ctx, e.value, id)))
}

/** Types that name a security group as a rule's source or target, not as an attachment. */
export const GROUP_RULES = new Set(['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'])

/** The security group an ingress rule belongs to: the group itself, or the one an ingress resource's `GroupId` names. */
export function groupOf(ctx: CfnContext, r: Resource): Resource | undefined {
  if (r.type === 'AWS::EC2::SecurityGroup') return r
  if (r.type !== 'AWS::EC2::SecurityGroupIngress') return undefined
  const target = ctx.template.view.get(r.properties, 'GroupId')
  return ctx.template.resources.find((g) => g.type === 'AWS::EC2::SecurityGroup' && refersTo(ctx, target, g.logicalId))
}

/** Adds every logical id the node refers to, as `refersTo` reads references, to `ids`. */
function collectReferences(ctx: CfnContext, node: Node | undefined, ids: Set<string>, depth = 0): void {
  const v = ctx.template.view
  const n = v.deref(node)
  if (n === undefined || depth > 12) return
  for (const id of namedIds(ctx, n)) ids.add(id)
  if (isMap(n)) for (const e of v.entries(n)) collectReferences(ctx, e.value, ids, depth + 1)
  else if (isSeq(n)) for (const i of v.items(n)) collectReferences(ctx, i, ids, depth + 1)
}

/** The resources other than `r` whose properties refer to it (the template's index, built on first use: asking per pair is quadratic). */
export function referrersOf(ctx: CfnContext, r: Resource): Resource[] {
  const template = ctx.template
  if (!template.referrers) {
    const index = new Map<string, Resource[]>()
    for (const o of template.resources) {
      const ids = new Set<string>()
      collectReferences(ctx, o.properties, ids)
      for (const id of ids) {
        const list = index.get(id)
        if (list) list.push(o)
        else index.set(id, [o])
      }
    }
    template.referrers = index
  }
  return (template.referrers.get(r.logicalId) ?? []).filter((o) => o !== r)
}

/** The resources, other than security group rules, that refer to the group. */
export function usersOf(ctx: CfnContext, group: Resource): Resource[] {
  return referrersOf(ctx, group).filter((u) => !GROUP_RULES.has(u.type))
}

// ── Data stores ───────────────────────────────────────────────────────────────────────────────

/** The port every value of the node gives, or undefined when one is not a number the template decides. */
function portsOf(ctx: CfnContext, node: Node | undefined): number[] | undefined {
  const values = valuesOf(ctx.template, node)
  if (values.length === 0 || values.some((c) => !/^\d+$/.test(c.value.trim()))) return undefined
  return [...new Set(values.map((c) => Number(c.value)))]
}

/** The default ports of every engine the node may name, or undefined when one is unknown. */
function enginePorts(ctx: CfnContext, node: Node | undefined, defaultPort: (engine: string) => number | undefined, absent?: string): number[] | undefined {
  const engines = node === undefined && absent !== undefined ? [absent] : valuesOf(ctx.template, node).map((c) => c.value.trim().toLowerCase())
  const ports = engines.map(defaultPort)
  if (ports.length === 0 || ports.some((p) => p === undefined)) return undefined
  return [...new Set(ports as number[])]
}

/** The port a store listens on: its `Port` when written, else its engine's default. */
const portOr =
  (fallback: (ctx: CfnContext, r: Resource) => number[] | undefined) =>
  (ctx: CfnContext, r: Resource): number[] | undefined => {
    const port = ctx.template.view.get(r.properties, 'Port')
    return port !== undefined ? portsOf(ctx, port) : fallback(ctx, r)
  }
const fixedPort = (port: number) => (): number[] => [port]
const engineProperty = (key: string, defaultPort: (engine: string) => number | undefined, absent?: string) => (ctx: CfnContext, r: Resource) =>
  enginePorts(ctx, ctx.template.view.get(r.properties, key), defaultPort, absent)

interface StoreKind {
  what: string
  /** The property that lists the security groups the store is attached to. */
  groups: string
  /**
   * `never`: the service gives it no public endpoint. `flag`: public unless `PubliclyAccessible`
   * is false (on the resource, or on every instance of a cluster when the cluster has none).
   */
  exposure: 'never' | 'flag'
  /** The ports it listens on; undefined when the template does not decide them. */
  ports: (ctx: CfnContext, r: Resource) => number[] | undefined
  /** The instance type whose `DBClusterIdentifier` names a cluster of this kind. */
  members?: string
}

const STORES = lookupTable<StoreKind>({
  'AWS::DocDB::DBCluster': { what: 'DocumentDB cluster', groups: 'VpcSecurityGroupIds', exposure: 'never', ports: portOr(fixedPort(27017)) },
  'AWS::Neptune::DBCluster': { what: 'Neptune cluster', groups: 'VpcSecurityGroupIds', exposure: 'never', ports: portOr(fixedPort(8182)), members: 'AWS::Neptune::DBInstance' },
  'AWS::ElastiCache::CacheCluster': { what: 'ElastiCache cluster', groups: 'VpcSecurityGroupIds', exposure: 'never', ports: portOr(engineProperty('Engine', cacheEnginePort)) },
  'AWS::ElastiCache::ReplicationGroup': { what: 'ElastiCache replication group', groups: 'SecurityGroupIds', exposure: 'never', ports: portOr(engineProperty('Engine', cacheEnginePort, 'redis')) },
  'AWS::MemoryDB::Cluster': { what: 'MemoryDB cluster', groups: 'SecurityGroupIds', exposure: 'never', ports: portOr(fixedPort(6379)) },
  'AWS::EFS::MountTarget': { what: 'EFS mount target', groups: 'SecurityGroups', exposure: 'never', ports: fixedPort(2049) },
  'AWS::RDS::DBProxy': { what: 'RDS proxy', groups: 'VpcSecurityGroupIds', exposure: 'never', ports: engineProperty('EngineFamily', proxyEnginePort) },
  'AWS::RDS::DBInstance': { what: 'RDS instance', groups: 'VPCSecurityGroups', exposure: 'flag', ports: portOr(engineProperty('Engine', rdsEnginePort)) },
  'AWS::RDS::DBCluster': { what: 'RDS cluster', groups: 'VpcSecurityGroupIds', exposure: 'flag', ports: portOr(engineProperty('Engine', rdsEnginePort)), members: 'AWS::RDS::DBInstance' }
})

/** Every value the template gives `PubliclyAccessible` is false (none when it is not written). */
function flaggedPrivate(ctx: CfnContext, r: Resource): boolean | undefined {
  const flag = ctx.template.view.get(r.properties, 'PubliclyAccessible')
  if (flag === undefined) return undefined
  const values = valuesOf(ctx.template, flag)
  return values.length > 0 && values.every((c) => c.value.trim().toLowerCase() === 'false')
}

/** Whether the store has no public endpoint: by its kind, or by `PubliclyAccessible: false` on it or on every member instance. */
function isPrivate(ctx: CfnContext, r: Resource, kind: StoreKind): boolean {
  const own = flaggedPrivate(ctx, r)
  const members = kind.members ? ctx.template.resources.filter((m) => m.type === kind.members && refersTo(ctx, ctx.template.view.get(m.properties, 'DBClusterIdentifier'), r.logicalId)) : []
  // A member that may be public makes the cluster public, whatever its kind.
  if (members.some((m) => flaggedPrivate(ctx, m) === false)) return false
  if (kind.exposure === 'never') return true
  if (own !== undefined) return own
  return members.length > 0 && members.every((m) => flaggedPrivate(ctx, m) === true)
}

// ── Uses of a group ───────────────────────────────────────────────────────────────────────────

const FUNCTIONS = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function'])
const FUNCTION_GROUPS = ['VpcConfig', 'SecurityGroupIds'] as const

function useOf(ctx: CfnContext, group: Resource, u: Resource): GroupUse {
  if (FUNCTIONS.has(u.type) && refersOnlyAt(ctx, u.properties, group.logicalId, FUNCTION_GROUPS)) return { kind: 'function', name: `\`${u.logicalId}\`` }
  const store = STORES[u.type]
  if (store && refersOnlyAt(ctx, u.properties, group.logicalId, [store.groups])) {
    return { kind: 'store', what: store.what, name: `\`${u.logicalId}\``, private: isPrivate(ctx, u, store), ports: store.ports(ctx, u) }
  }
  return { kind: 'other' }
}

/**
 * Every attachment the template shows, the SAM `Globals` of every function included. An output
 * exporting the group counts as a use of unknown kind: another stack may attach it to anything.
 */
function usesOf(ctx: CfnContext, group: Resource): GroupUse[] {
  const v = ctx.template.view
  const uses = usersOf(ctx, group).map((u) => useOf(ctx, group, u))
  const exported = v.entries(v.get(ctx.template.root, 'Outputs')).some((o) => v.get(o.value, 'Export') !== undefined && refersTo(ctx, v.get(o.value, 'Value'), group.logicalId))
  if (exported) uses.push({ kind: 'other' })
  const globals = v.get(ctx.template.root, 'Globals')
  if (refersTo(ctx, globals, group.logicalId)) {
    uses.push(refersOnlyAt(ctx, globals, group.logicalId, ['Function', ...FUNCTION_GROUPS]) ? { kind: 'function', what: '', name: 'every function (SAM `Globals`)' } : { kind: 'other' })
  }
  return uses
}

/**
 * The reach of an internet-open ingress rule of `r` for ports `from..to` (undefined: every port),
 * or undefined when it reaches as far as its rule says (see `reachOf`). A group nothing in the
 * template attaches counts as a function's when its logical id or `GroupName` says so (`lambdaSg`):
 * the template hands it to functions elsewhere.
 */
export function openIngressReach(ctx: CfnContext, r: Resource, range?: { from: number; to: number }): Reach | undefined {
  const group = groupOf(ctx, r)
  if (!group) return undefined
  const names = [group.logicalId, literal(ctx.template.view, ctx.template.view.get(group.properties, 'GroupName')) ?? '']
  return reachOf(usesOf(ctx, group), range, namedForFunctions(names))
}
