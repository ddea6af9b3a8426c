/**
 * What an `aws_security_group` guards, as far as its module shows: the resources that attach it,
 * and how far an ingress rule on it can reach. A rule open to the internet reaches only what
 * listens behind the group: nothing behind a Lambda function (it has no listener), only the VPC
 * and its peers behind a data store with no public endpoint, and only the store's own port.
 * The CloudFormation twin is `src/rules/cfn/guarded.ts`.
 */
import { boolValue, isExpr, isObject, numberValue, stringValue, type HclBlock, type HclValue } from '../parse/hcl.js'
import { attr, refersTo, type TfContext, type TfResource } from './context.js'
import { cacheEnginePort, proxyEnginePort, rdsEnginePort } from './ports.js'
import { namedForFunctions, reachOf, type GroupUse, type Reach } from '../security-group-reach.js'
import { lookupTable } from '../../util/lookup-table.js'

/** True when a value (anywhere inside) refers to the resource `type.name`. */
export function mentions(v: HclValue | undefined, type: string, name: string): boolean {
  if (isExpr(v)) return refersTo(v, type, name) || (v.args ?? []).some((a) => mentions(a, type, name))
  if (Array.isArray(v)) return v.some((x) => mentions(x, type, name))
  if (isObject(v)) return Object.values(v).some((x) => mentions(x, type, name))
  return false
}
export const blockMentions = (b: HclBlock, type: string, name: string): boolean =>
  Object.values(b.attributes).some((a) => mentions(a.value, type, name)) || b.blocks.some((c) => blockMentions(c, type, name))

/**
 * True when every mention of the group inside the block sits at `path` (nested block names, then
 * the attribute): `vpc_config.security_group_ids`. A `dynamic "vpc_config"` block's `content`
 * counts as the block itself.
 */
function mentionsOnlyAt(b: HclBlock, group: string, path: readonly string[]): boolean {
  const [head, ...rest] = path
  const at = rest.length === 0 ? head : undefined
  if (Object.entries(b.attributes).some(([key, a]) => key !== at && mentions(a.value, 'aws_security_group', group))) return false
  return b.blocks.every((c) => {
    if (rest.length > 0 && c.type === head) return mentionsOnlyAt(c, group, rest)
    if (rest.length > 0 && c.type === 'dynamic' && c.labels[0] === head) {
      return Object.values(c.attributes).every((a) => !mentions(a.value, 'aws_security_group', group)) && c.blocks.every((d) => (d.type === 'content' ? mentionsOnlyAt(d, group, rest) : !blockMentions(d, 'aws_security_group', group)))
    }
    return !blockMentions(c, 'aws_security_group', group)
  })
}

// ── Data stores ───────────────────────────────────────────────────────────────────────────────

/** `publicly_accessible` as written: true, false, unset (the provider's default, false), or unknown (an expression). */
function publicFlag(b: HclBlock): boolean | 'unset' | 'unknown' {
  const a = attr(b, 'publicly_accessible')
  if (!a) return 'unset'
  return boolValue(a.value) ?? 'unknown'
}

/** The port the store listens on: its `port` when written, else `fallback`; undefined when not a number. */
const portOr =
  (fallback: (b: HclBlock) => number | undefined) =>
  (b: HclBlock): number | undefined => {
    const port = attr(b, 'port')
    return port ? numberValue(port.value) : fallback(b)
  }
const byEngine =
  (key: string, defaultPort: (engine: string) => number | undefined, absent?: string) =>
  (b: HclBlock): number | undefined => {
    const engine = attr(b, key) ? stringValue(attr(b, key)!.value) : absent
    return engine === undefined ? undefined : defaultPort(engine)
  }

interface StoreKind {
  what: string
  /** The attribute listing the security groups the store is attached to. */
  groups: string
  /** `never`: the service gives it no public endpoint. `flag`: `publicly_accessible` decides (default false). */
  exposure: 'never' | 'flag'
  port: (b: HclBlock) => number | undefined
  /** The instance type whose `cluster_identifier` names a cluster of this kind. */
  members?: string
}

const STORES = lookupTable<StoreKind>({
  aws_docdb_cluster: { what: 'DocumentDB cluster', groups: 'vpc_security_group_ids', exposure: 'never', port: portOr(() => 27017) },
  aws_neptune_cluster: { what: 'Neptune cluster', groups: 'vpc_security_group_ids', exposure: 'never', port: portOr(() => 8182), members: 'aws_neptune_cluster_instance' },
  aws_elasticache_cluster: { what: 'ElastiCache cluster', groups: 'security_group_ids', exposure: 'never', port: portOr(byEngine('engine', cacheEnginePort)) },
  aws_elasticache_replication_group: { what: 'ElastiCache replication group', groups: 'security_group_ids', exposure: 'never', port: portOr(byEngine('engine', cacheEnginePort, 'redis')) },
  aws_memorydb_cluster: { what: 'MemoryDB cluster', groups: 'security_group_ids', exposure: 'never', port: portOr(() => 6379) },
  aws_efs_mount_target: { what: 'EFS mount target', groups: 'security_groups', exposure: 'never', port: () => 2049 },
  aws_db_proxy: { what: 'RDS proxy', groups: 'vpc_security_group_ids', exposure: 'never', port: byEngine('engine_family', proxyEnginePort) },
  aws_db_instance: { what: 'RDS instance', groups: 'vpc_security_group_ids', exposure: 'flag', port: portOr(byEngine('engine', rdsEnginePort)) },
  aws_rds_cluster: { what: 'RDS cluster', groups: 'vpc_security_group_ids', exposure: 'flag', port: portOr(byEngine('engine', rdsEnginePort)), members: 'aws_rds_cluster_instance' }
})

/**
 * Whether the store has no public endpoint: by its kind, or with `publicly_accessible` false or
 * unset (the provider's default) on it and every member instance. An Aurora cluster needs a member
 * in view (its instances carry the setting), a Multi-AZ DB cluster (`db_cluster_instance_class`)
 * or an explicit false does not.
 */
function isPrivate(ctx: TfContext, r: TfResource, kind: StoreKind): boolean {
  const members = kind.members ? ctx.projectResources(kind.members).filter((m) => mentions(attr(m.block, 'cluster_identifier')?.value, r.type, r.name)) : []
  const flags = [publicFlag(r.block), ...members.map((m) => publicFlag(m.block))]
  if (flags.some((f) => f === true || f === 'unknown')) return false
  if (kind.exposure === 'never' || !kind.members) return true
  return publicFlag(r.block) === false || members.length > 0 || attr(r.block, 'db_cluster_instance_class') !== undefined
}

// ── Uses of a group ───────────────────────────────────────────────────────────────────────────

function useOf(ctx: TfContext, group: string, u: TfResource): GroupUse {
  const name = `\`${u.type}.${u.name}\``
  if (u.type === 'aws_lambda_function' && mentionsOnlyAt(u.block, group, ['vpc_config', 'security_group_ids'])) return { kind: 'function', name }
  const store = STORES[u.type]
  if (store && mentionsOnlyAt(u.block, group, [store.groups])) {
    const port = store.port(u.block)
    return { kind: 'store', what: store.what, name, private: isPrivate(ctx, u, store), ports: port === undefined ? undefined : [port] }
  }
  return { kind: 'other' }
}

/** Types that name a security group as a rule's source or target, not as an attachment. */
export const GROUP_RULE_TYPES = new Set(['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'])

/**
 * The reach of an internet-open ingress rule on `aws_security_group.<groupName>` for ports
 * `from..to` (undefined: every port), or undefined when it reaches as far as its rule says (see
 * `reachOf`). A group handed to a module call keeps its severity; one nothing in the module
 * attaches counts as a function's when its name says so (`lambda_sg`).
 */
export function openIngressReach(ctx: TfContext, groupName: string | undefined, range?: { from: number; to: number }): Reach | undefined {
  if (groupName === undefined) return undefined
  const group = ctx.projectResources('aws_security_group').find((g) => g.name === groupName)
  if (!group) return undefined
  const users = ctx.projectResources('*').filter((u) => !GROUP_RULE_TYPES.has(u.type) && blockMentions(u.block, 'aws_security_group', groupName))
  const uses: GroupUse[] = users.map((u) => useOf(ctx, groupName, u))
  if (ctx.projectModules().some((m) => blockMentions(m, 'aws_security_group', groupName))) uses.push({ kind: 'other' })
  return reachOf(uses, range, namedForFunctions([groupName, stringValue(attr(group.block, 'name')?.value) ?? '']))
}
