/**
 * The most used public registry modules (terraform-aws-modules/*) as rules see them: which
 * resource a module call stands for, which of its inputs are that resource's attributes under
 * another name, and the module's own defaults for the inputs that rules read, per MAJOR version
 * (the defaults change between majors: EKS made its endpoint private in v19, ALB turned deletion
 * protection on in v9). With an unknown version only inputs written in the call are checked.
 * Facts come from the modules' published variable definitions.
 */
import type { HclValue } from '../parse/hcl.js'
import { lookupTable, type LookupTable } from '../../util/lookup-table.js'

export interface RegistryModule {
  /** Short name used in messages (`terraform-aws-modules/rds/aws`). */
  name: string
  /** Matches the module's `source` (root module only, unless a submodule is meant). */
  source: RegExp
  /** The resource type the call stands for, so the resource's rules apply to its inputs. */
  type: string
  /** Module input → resource attribute, where the names differ. */
  rename?: LookupTable<string>
  /**
   * Per major version: the module's default for inputs that rules read (named as the resource
   * attribute, after `rename`). `safe` defaults stand in for a missing input (the rule is
   * satisfied); `risky` ones leave it missing so the rule reports it, saying it is the default.
   */
  defaults?: Record<number, { safe?: Record<string, HclValue>; risky?: Record<string, HclValue> }>
}

/** `terraform-aws-modules/NAME/aws`, also through the public registry host, without a `//submodule`. */
const root = (name: string): RegExp => new RegExp(`^(registry\\.terraform\\.io/|registry\\.opentofu\\.org/)?terraform-aws-modules/${name}/aws$`)

export const REGISTRY_MODULES: RegistryModule[] = [
  {
    name: 'terraform-aws-modules/rds/aws',
    source: root('rds'),
    type: 'aws_db_instance',
    defaults: Object.fromEntries(
      [3, 4, 5, 6, 7].map((v) => [v, { safe: { storage_encrypted: true, publicly_accessible: false, skip_final_snapshot: false }, risky: { deletion_protection: false, multi_az: false } }])
    )
  },
  {
    name: 'terraform-aws-modules/rds-aurora/aws',
    source: root('rds-aurora'),
    type: 'aws_rds_cluster',
    defaults: Object.fromEntries([7, 8, 9].map((v) => [v, { safe: { storage_encrypted: true } }]))
  },
  {
    name: 'terraform-aws-modules/eks/aws',
    source: root('eks'),
    type: 'aws_eks_cluster',
    // v17–v20 names, then v21's (which dropped the `cluster_` prefix).
    rename: lookupTable({
      cluster_enabled_log_types: 'enabled_cluster_log_types',
      cluster_endpoint_public_access: 'endpoint_public_access',
      cluster_endpoint_public_access_cidrs: 'public_access_cidrs',
      enabled_log_types: 'enabled_cluster_log_types',
      endpoint_public_access_cidrs: 'public_access_cidrs'
    }),
    defaults: {
      17: { risky: { endpoint_public_access: true } },
      18: { risky: { endpoint_public_access: true } },
      19: { safe: { endpoint_public_access: false } },
      20: { safe: { endpoint_public_access: false } },
      21: { safe: { endpoint_public_access: false } }
    }
  },
  {
    name: 'terraform-aws-modules/s3-bucket/aws',
    source: root('s3-bucket'),
    type: 'aws_s3_bucket',
    defaults: Object.fromEntries(
      [4, 5].map((v) => [v, { safe: { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } }])
    )
  },
  // Its inputs are not the resource's `ingress` blocks (see the security-group module check), but
  // calls written that way are still read as the resource.
  { name: 'terraform-aws-modules/security-group/aws', source: root('security-group'), type: 'aws_security_group' },
  {
    name: 'terraform-aws-modules/ec2-instance/aws',
    source: root('ec2-instance'),
    type: 'aws_instance',
    defaults: {
      // v5 made IMDSv2 the default (`http_tokens = "required"`); v3 and v4 passed no metadata options.
      3: { risky: { metadata_options: {} } },
      4: { risky: { metadata_options: {} } },
      5: { safe: { metadata_options: { http_endpoint: 'enabled', http_tokens: 'required' } } },
      6: { safe: { metadata_options: { http_endpoint: 'enabled', http_tokens: 'required' } } }
    }
  },
  {
    name: 'terraform-aws-modules/alb/aws',
    source: root('alb'),
    type: 'aws_lb',
    defaults: {
      // Before v9 the module's `enable_deletion_protection` defaulted to false.
      6: { risky: { enable_deletion_protection: false } },
      7: { risky: { enable_deletion_protection: false } },
      8: { risky: { enable_deletion_protection: false } },
      9: { safe: { enable_deletion_protection: true } },
      10: { safe: { enable_deletion_protection: true } }
    }
  },
  { name: 'terraform-aws-modules/elb/aws', source: root('elb'), type: 'aws_elb' },
  { name: 'terraform-aws-modules/ecr/aws', source: root('ecr'), type: 'aws_ecr_repository', rename: lookupTable({ repository_image_tag_mutability: 'image_tag_mutability' }) }
]

/**
 * The VPC module: not a resource view, but its flow log switch feeds the flow-log rule, and the
 * subnets of some outputs tell the EC2 public-IP rule where an instance lands. Only the module's
 * public subnets set `map_public_ip_on_launch`; the others (private, intra, database, …) never
 * map public IPs on launch, in every major.
 */
export const VPC_MODULE = {
  name: 'terraform-aws-modules/vpc/aws',
  source: root('vpc'),
  flowLogInputs: ['enable_flow_log', 'create_flow_log'],
  defaultsKnown: [3, 4, 5, 6],
  noPublicIpSubnetOutputs: ['private_subnets', 'intra_subnets', 'database_subnets', 'elasticache_subnets', 'redshift_subnets', 'outpost_subnets']
}

/**
 * The MAJOR version a `version` constraint pins: `"6.1.0"`, `"= 6.1.0"`, `"~> 6.0"`, `"~> 6.0.1"`,
 * `">= 6.0, < 7.0"`. Undefined when the constraint admits several majors (`">= 5.0"`, `"~> 6"`).
 */
export function majorOf(constraint: string | undefined): number | undefined {
  if (constraint === undefined) return undefined
  const c = constraint.trim()
  const exact = /^=?\s*v?(\d+)\.\d+(\.\d+)?([-+][\w.]+)?$/.exec(c)
  if (exact) return Number(exact[1])
  const pessimistic = /^~>\s*v?(\d+)\.\d+(\.\d+)?$/.exec(c)
  if (pessimistic) return Number(pessimistic[1])
  const range = /^>=?\s*v?(\d+)(\.\d+)*\s*,\s*<\s*v?(\d+)(\.0)*$/.exec(c)
  if (range && Number(range[3]) === Number(range[1]) + 1) return Number(range[1])
  return undefined
}

export function registryModuleFor(source: string | undefined): RegistryModule | undefined {
  if (source === undefined) return undefined
  return REGISTRY_MODULES.find((m) => m.source.test(source.trim()))
}

/** Ports of the security-group module's named rules (`ssh-tcp`, `postgresql-tcp`, …) and submodules (`//modules/ssh`). */
export const SG_MODULE_SERVICES = lookupTable<number>({
  ssh: 22,
  rdp: 3389,
  mysql: 3306,
  mssql: 1433,
  postgresql: 5432,
  oracle: 1521,
  redis: 6379,
  memcached: 11211,
  mongodb: 27017,
  cassandra: 9042,
  elasticsearch: 9200,
  kafka: 9092,
  zookeeper: 2181,
  rabbitmq: 5672,
  kubernetes: 6443,
  docker: 2375,
  winrm: 5985,
  telnet: 23,
  ftp: 21,
  smtp: 25,
  ldap: 389,
  nfs: 2049,
  http: 80,
  https: 443
})

/** `terraform-aws-modules/security-group/aws` or one of its per-service submodules (`//modules/ssh`). */
export const SG_MODULE_SOURCE = /^(registry\.terraform\.io\/)?terraform-aws-modules\/security-group\/aws(\/\/modules\/([\w-]+))?$/
