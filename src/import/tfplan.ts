/**
 * Terraform plan import: the JSON of `terraform show -json <saved plan>`, made by an earlier step.
 * A static read of `.tf` files cannot know that a change of `engine_version` recreates a
 * database; the plan does. Replacing or destroying a resource that holds data becomes a high
 * finding on the resource's line, with the attributes the plan says force it.
 */
import type { FileNote, Finding, SourceFile } from '../types.js'
import { IMPORT_RULES } from './rules.js'
import { PLAN_VARIABLES_FILE } from '../rules/terraform/project.js'
import { lookupTable, setOwn } from '../util/lookup-table.js'
import { escapeRegExp } from '../util/regex.js'

/** Resource types whose replacement loses data (or, for keys, makes data unreadable). */
const STATEFUL = [
  /^aws_(db_instance|rds_cluster|rds_cluster_instance|dynamodb_table|s3_bucket|efs_file_system|ebs_volume|elasticache_(cluster|replication_group)|elasticsearch_domain|opensearch_domain|redshift_cluster|docdb_cluster|neptune_cluster|msk_cluster|kms_key|fsx_\w+|memorydb_cluster|timestreamwrite_table|qldb_ledger|backup_vault|secretsmanager_secret|ecr_repository|kinesis_stream|sqs_queue)$/,
  /^google_(sql_database_instance|sql_database|storage_bucket|compute_disk|redis_instance|spanner_(instance|database)|bigtable_(instance|table)|bigquery_(dataset|table)|filestore_instance|kms_crypto_key|alloydb_cluster|firestore_database|pubsub_topic)$/,
  /^azurerm_(\w+_server|\w+_database|mssql_\w+|storage_account|managed_disk|cosmosdb_account|redis_cache|key_vault|key_vault_key|\w+_flexible_server)$/,
  /^kubernetes_(persistent_volume|persistent_volume_claim)(_v1)?$/
]

export function isStateful(type: string): boolean {
  return STATEFUL.some((re) => re.test(type))
}

type Json = Record<string, unknown>
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A Memcached ElastiCache cluster keeps no data worth keeping and cannot be snapshotted. */
function keepsNoData(type: string, change: Json): boolean {
  return type === 'aws_elasticache_cluster' && isObj(change.before) && change.before.engine === 'memcached'
}

interface Located {
  path: string
  line: number
}


/** The `resource "type" "name"` (or `module "name"`) header in the repository's Terraform files. */
function locate(files: readonly SourceFile[], type: string, name: string, moduleAddress?: string): Located | undefined {
  const topModule = moduleAddress ? /^module\.([A-Za-z0-9_-]+)/.exec(moduleAddress)?.[1] : undefined
  const header = topModule
    ? new RegExp(`^[ \\t]*module[ \\t]+"${escapeRegExp(topModule)}"[ \\t]*\\{`, 'm')
    : new RegExp(`^[ \\t]*resource[ \\t]+"${escapeRegExp(type)}"[ \\t]+"${escapeRegExp(name)}"[ \\t]*\\{`, 'm')
  for (const f of files) {
    if (f.kind !== 'terraform') continue
    const m = header.exec(f.content)
    if (m) return { path: f.path, line: f.content.slice(0, m.index).split('\n').length }
  }
  return undefined
}

/** `[["engine_version"], ["tags", "Name"]]` → `engine_version`, `tags.Name`. */
function forcedBy(change: Json): string[] {
  const paths = Array.isArray(change.replace_paths) ? change.replace_paths : []
  return paths
    .filter(Array.isArray)
    .map((p) => (p as unknown[]).map((step) => (typeof step === 'number' ? `[${step}]` : String(step))).join('.').replace(/\.\[/g, '['))
    .filter((p) => p.length > 0)
}

const REASONS = lookupTable<string>({
  replace_because_cannot_update: 'the provider cannot update it in place',
  replace_because_tainted: 'it is tainted',
  replace_by_request: 'it was asked for with -replace',
  replace_by_triggers: 'a replace_triggered_by reference changed',
  delete_because_no_resource_config: 'its configuration was removed',
  delete_because_no_module: 'its module was removed',
  delete_because_count_index: 'its count index no longer exists',
  delete_because_each_key: 'its for_each key no longer exists'
})

/**
 * Findings from a plan: replaced or destroyed stateful resources. `files` are the repository's
 * Terraform files (the change set's, plus context) used to anchor each finding on its block.
 */
export function importTerraformPlan(text: string, file: string, files: readonly SourceFile[]): { findings: Finding[]; notes: FileNote[] } {
  const notes: FileNote[] = []
  const findings: Finding[] = []
  let plan: unknown
  try {
    plan = JSON.parse(text)
  } catch (e) {
    return { findings, notes: [{ path: file, reason: 'parse', message: `${file}: not valid JSON, plan not imported (${(e as Error).message})` }] }
  }
  if (!isObj(plan) || !Array.isArray(plan.resource_changes)) {
    return { findings, notes: [{ path: file, reason: 'parse', message: `${file}: no \`resource_changes\` (is it \`terraform show -json\` of a saved plan?), plan not imported` }] }
  }
  let unanchored = 0
  for (const rc of plan.resource_changes) {
    if (!isObj(rc) || rc.mode === 'data' || !isObj(rc.change)) continue
    const type = typeof rc.type === 'string' ? rc.type : ''
    const name = typeof rc.name === 'string' ? rc.name : ''
    const address = typeof rc.address === 'string' ? rc.address : `${type}.${name}`
    const actions = Array.isArray(rc.change.actions) ? rc.change.actions.map(String) : []
    if (!actions.includes('delete') || !isStateful(type) || keepsNoData(type, rc.change)) continue
    const replaced = actions.includes('create')
    const ruleId = replaced ? 'tfplan/replaces-stateful' : 'tfplan/destroys-stateful'
    const meta = IMPORT_RULES.find((r) => r.id === ruleId)!
    const attrs = forcedBy(rc.change)
    const reason = typeof rc.action_reason === 'string' ? REASONS[rc.action_reason] : undefined
    const order = actions[0] === 'create' ? 'creates the new one before deleting the old' : 'deletes it, then creates a new one'
    const why = attrs.length
      ? ` \`${attrs.slice(0, 3).join('`, `')}\`${attrs.length > 3 ? ` and ${attrs.length - 3} more` : ''} force${attrs.length === 1 ? 's' : ''} it.`
      : reason
        ? ` Terraform's reason: ${reason}.`
        : ''
    const message = replaced
      ? `This plan recreates \`${address}\` (it ${order}):${why} The new resource starts without the old one's data.`
      : `This plan destroys \`${address}\`${reason ? ` (${reason})` : ''}, and its data with it.`
    const at = locate(files, type, name, typeof rc.module_address === 'string' ? rc.module_address : undefined)
    if (!at) unanchored++
    findings.push({
      ruleId,
      category: meta.category,
      severity: meta.severity,
      path: at?.path ?? file,
      line: at?.line ?? 1,
      message,
      remediation: meta.remediation,
      source: 'terraform-plan',
      resource: address
    })
  }
  if (unanchored) notes.push({ path: file, reason: 'unavailable', message: `${file}: ${unanchored} planned change${unanchored === 1 ? '' : 's'} could not be placed on a line of the changed Terraform files` })
  return { findings, notes }
}

/**
 * The plan's variable values as a variables file for the module's folder (the folder declaring
 * most of them), read as context: the rules then see the values the plan used instead of guessing
 * from defaults. Undefined when the plan has no variables or no folder declares them.
 */
export function planVariablesFile(text: string, files: readonly SourceFile[]): SourceFile | undefined {
  let plan: unknown
  try {
    plan = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isObj(plan) || !isObj(plan.variables)) return undefined
  const values: Record<string, unknown> = {}
  for (const [name, v] of Object.entries(plan.variables)) if (isObj(v) && 'value' in v && /^[A-Za-z_][\w-]*$/.test(name)) setOwn(values, name, v.value)
  const names = Object.keys(values)
  if (!names.length) return undefined
  const declared = new Map<string, number>()
  for (const f of files) {
    if (f.kind !== 'terraform') continue
    const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : ''
    const count = names.filter((n) => f.content.includes(`variable "${n}"`)).length
    if (count) declared.set(dir, (declared.get(dir) ?? 0) + count)
  }
  const best = [...declared].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]
  if (!best) return undefined
  const path = best[0] ? `${best[0]}/${PLAN_VARIABLES_FILE}` : PLAN_VARIABLES_FILE
  return { path, kind: 'terraform', content: JSON.stringify(values, null, 2) + '\n', contextOnly: true }
}
