/**
 * Where a Terraform file chooses machine sizes. Used by the oversized-instance rule and exported
 * for the cost audit, which prices each entry.
 */
import { blocksOf, lineOfKey, numberValue, stringValue, type HclBlock, type HclFile } from '../parse/hcl.js'
import { lookupTable } from '../../util/lookup-table.js'

export interface InstanceTypeRef {
  /** `aws_instance`, `aws_db_instance`, `google_compute_instance`, … (the wrapped type for a module call). */
  resourceType: string
  name: string
  /** Attribute path inside the resource, e.g. `instance_type` or `cluster_config.instance_type`. */
  attribute: string
  value: string
  line: number
  /** Literal `count` of the resource, when it has one (the audit multiplies by it). */
  count?: number
  viaModule: boolean
}

/** Resource type → attribute paths that name a machine size. */
const SIZE_ATTRIBUTES = lookupTable<string[]>({
  aws_instance: ['instance_type'],
  aws_launch_template: ['instance_type'],
  aws_launch_configuration: ['instance_type'],
  aws_spot_instance_request: ['instance_type'],
  aws_db_instance: ['instance_class'],
  aws_rds_cluster_instance: ['instance_class'],
  aws_elasticache_cluster: ['node_type'],
  aws_elasticache_replication_group: ['node_type'],
  aws_redshift_cluster: ['node_type'],
  aws_eks_node_group: ['instance_types'],
  aws_opensearch_domain: ['cluster_config.instance_type'],
  aws_elasticsearch_domain: ['cluster_config.instance_type'],
  aws_emr_cluster: ['master_instance_group.instance_type', 'core_instance_group.instance_type'],
  google_compute_instance: ['machine_type'],
  google_compute_instance_template: ['machine_type'],
  google_container_node_pool: ['node_config.machine_type'],
  google_sql_database_instance: ['settings.tier'],
  azurerm_linux_virtual_machine: ['size'],
  azurerm_windows_virtual_machine: ['size'],
  azurerm_virtual_machine: ['vm_size'],
  azurerm_linux_virtual_machine_scale_set: ['sku']
})

/** Registry modules that take the wrapped resource's size attribute as an input. */
const MODULE_SIZES: { source: RegExp; type: string; attribute: string }[] = [
  { source: /^terraform-aws-modules\/ec2-instance\/aws/, type: 'aws_instance', attribute: 'instance_type' },
  { source: /^terraform-aws-modules\/rds\/aws/, type: 'aws_db_instance', attribute: 'instance_class' }
]

function valuesAt(block: HclBlock, path: string): { value: string; line: number }[] {
  const parts = path.split('.')
  let scopes = [block]
  for (const part of parts.slice(0, -1)) scopes = scopes.flatMap((b) => blocksOf(b, part))
  const last = parts[parts.length - 1]!
  const out: { value: string; line: number }[] = []
  for (const scope of scopes) {
    const a = scope.attributes[last]
    if (!a) continue
    if (typeof a.value === 'string') out.push({ value: a.value, line: a.line })
    else if (Array.isArray(a.value)) {
      a.value.forEach((v, i) => {
        if (typeof v === 'string') out.push({ value: v, line: lineOfKey(a.value, i) ?? a.line })
      })
    }
  }
  return out
}

/** Every literal machine size chosen in the file, in file order. */
export function instanceTypeAttributes(file: HclFile): InstanceTypeRef[] {
  const refs: InstanceTypeRef[] = []
  for (const block of file.blocks) {
    const count = numberValue(block.attributes.count?.value)
    const withCount = (r: InstanceTypeRef): InstanceTypeRef => (count !== undefined ? { ...r, count } : r)
    if (block.type === 'resource' && block.labels.length >= 2) {
      const [type, name] = block.labels as [string, string]
      for (const path of SIZE_ATTRIBUTES[type] ?? []) {
        for (const { value, line } of valuesAt(block, path)) refs.push(withCount({ resourceType: type, name, attribute: path, value, line, viaModule: false }))
      }
    } else if (block.type === 'module') {
      const source = stringValue(block.attributes.source?.value) ?? ''
      const known = MODULE_SIZES.find((m) => m.source.test(source))
      const a = known ? block.attributes[known.attribute] : undefined
      if (known && a && typeof a.value === 'string') {
        refs.push(withCount({ resourceType: known.type, name: block.labels[0] ?? '', attribute: known.attribute, value: a.value, line: a.line, viaModule: true }))
      }
    }
  }
  return refs.sort((a, b) => a.line - b.line)
}

/** Why an AWS size is large enough to question, or undefined. */
export function oversizedReason(value: string): string | undefined {
  const m = /^(?:db\.|cache\.)?([a-z0-9-]+)\.(\d*)(xlarge|metal[\w-]*|large|medium|small|micro|nano)$/.exec(value)
  if (!m) return undefined
  const [, family, multiplier, size] = m as unknown as [string, string, string, string]
  if (/^(x1e?|x2[a-z0-9]*|u-\d+tb\d*)$/.test(family)) return `\`${family}\` is a memory-optimized family for very large in-memory workloads`
  if (/^p[2-5][a-z0-9]*$/.test(family)) return `\`${family}\` is a GPU family; confirm the workload uses GPUs`
  if (size.startsWith('metal')) return 'bare-metal sizes are billed as the whole host'
  if (size === 'xlarge' && Number(multiplier || '1') >= 8) return `${multiplier}xlarge is among the largest sizes of its family`
  return undefined
}
