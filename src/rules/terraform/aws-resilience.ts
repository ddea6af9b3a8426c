/** AWS resilience rules: backups, the ability to roll back, and availability (SLO). */
import { defineRule } from '../rule.js'
import { blocksOf, boolValue, isExpr, isObject, lineOfKey, numberValue, stringValue, type HclBlock, type HclValue } from '../parse/hcl.js'
import { attr, dynamicBlock, isFalse, isTrue, label, refersTo, sub, type TfCheck, type TfContext, type TfResource } from './context.js'
import { registryModuleFor } from './registry-modules.js'

const rdsBackupOff = defineRule('terraform', {
  id: 'tf/aws-rds-backup-disabled',
  category: 'backup',
  topics: ['backups'],
  severity: 'high',
  title: 'RDS automated backups disabled',
  description:
    '`backup_retention_period = 0` on a DB instance turns off automated backups and point-in-time restore. Read replicas are exempt: their data and backups are the source\'s. A cluster (`aws_rds_cluster`) cannot turn them off: it keeps at least one day.',
  remediation: 'Set `backup_retention_period` to at least 7 days.',
  refs: { checkov: 'CKV_AWS_133', kics: 'terraform/aws/rds_with_backup_disabled', tfsec: 'aws-rds-specify-backup-retention', trivy: 'AVD-AWS-0077' }
})
const rdsBackupUnset = defineRule('terraform', {
  id: 'tf/aws-rds-backup-retention-unset',
  category: 'backup',
  topics: ['backups'],
  severity: 'low',
  title: 'RDS backup retention not set',
  description: 'The instance does not say how long automated backups are kept, so it depends on defaults (as little as one day, or none when restored from some snapshots).',
  remediation: 'Set `backup_retention_period` explicitly (7 days or more for production data).',
  refs: { kics: 'terraform/aws/rds_with_backup_disabled', tfsec: 'aws-rds-specify-backup-retention', trivy: 'AVD-AWS-0077' }
})
const redisNoSnapshots = defineRule('terraform', {
  id: 'tf/aws-elasticache-redis-no-snapshots',
  category: 'backup',
  topics: ['backups'],
  severity: 'medium',
  title: 'ElastiCache Redis without automatic snapshots',
  description: '`snapshot_retention_limit` is 0 or missing, so no automatic backups of the cache are kept.',
  remediation: 'Set `snapshot_retention_limit` to the number of days of snapshots to keep (1 or more).',
  refs: { checkov: 'CKV_AWS_134', kics: 'terraform/aws/elasticache_redis_cluster_without_backup', tfsec: 'aws-elasticache-enable-backup-retention', trivy: 'AVD-AWS-0050' }
})
const dynamoNoPitr = defineRule('terraform', {
  id: 'tf/aws-dynamodb-no-pitr',
  category: 'backup',
  topics: ['backups'],
  severity: 'medium',
  title: 'DynamoDB table without point-in-time recovery',
  description: 'Without point-in-time recovery a bad write or delete cannot be rolled back to an earlier second.',
  remediation: 'Add `point_in_time_recovery { enabled = true }`.',
  refs: { checkov: 'CKV_AWS_28', kics: 'terraform/aws/dynamodb_table_point_in_time_recovery_disabled', tfsec: 'aws-dynamodb-enable-recovery', trivy: 'AVD-AWS-0024' }
})
const skipFinalSnapshot = defineRule('terraform', {
  id: 'tf/aws-rds-skip-final-snapshot',
  category: 'backup',
  topics: ['backups', 'deletion-protection'],
  severity: 'medium',
  title: 'RDS deleted without a final snapshot',
  description: '`skip_final_snapshot = true` means destroying or replacing the database keeps no snapshot.',
  remediation: 'Set `skip_final_snapshot = false` and give a `final_snapshot_identifier`.',
  refs: {}
})
const s3Versioning = defineRule('terraform', {
  id: 'tf/aws-s3-versioning-disabled',
  category: 'backup',
  topics: ['backups'],
  severity: 'medium',
  title: 'S3 bucket without versioning',
  description:
    'Without versioning an overwritten or deleted object cannot be recovered. A module input named for versioning set to false counts only for a module that makes S3 buckets: a local one read in the same run that declares them, or one not read whose source names no other cloud (Google, Azure…).',
  remediation: 'Enable versioning: an `aws_s3_bucket_versioning` resource with `status = "Enabled"` (or `versioning { enabled = true }` on older providers).',
  refs: { checkov: 'CKV_AWS_21', kics: 'terraform/aws/s3_bucket_without_versioning', tfsec: 'aws-s3-enable-versioning', trivy: 'AVD-AWS-0090' }
})
const rdsDeletionProtection = defineRule('terraform', {
  id: 'tf/aws-rds-no-deletion-protection',
  category: 'rollback',
  topics: ['deletion-protection'],
  severity: 'medium',
  title: 'RDS without deletion protection',
  description: 'Without deletion protection a mistaken destroy or replacement deletes the database.',
  remediation: 'Set `deletion_protection = true`.',
  refs: { checkov: 'CKV_AWS_293', tfsec: 'aws-rds-enable-deletion-protection', trivy: 'AVD-AWS-0177' }
})
const ecsCircuitBreaker = defineRule('terraform', {
  id: 'tf/aws-ecs-no-circuit-breaker',
  category: 'rollback',
  topics: ['rollback-path', 'rollout-strategy'],
  severity: 'medium',
  title: 'ECS service without deployment rollback',
  description: 'Without `deployment_circuit_breaker { enable = true, rollback = true }` a failing deployment keeps replacing tasks instead of rolling back.',
  remediation: 'Add `deployment_circuit_breaker { enable = true\n rollback = true }` to the service.',
  refs: {}
})
const tgHealthCheck = defineRule('terraform', {
  id: 'tf/aws-lb-target-group-no-health-check',
  category: 'slo',
  topics: ['health-checks'],
  severity: 'low',
  title: 'Target group without an explicit health check',
  description: 'The load balancer judges targets with default (or disabled) health checks, which rarely match the service\'s real health endpoint.',
  remediation: 'Add a `health_check` block with the service\'s health path, matcher and thresholds.',
  refs: {}
})
const asgFixed = defineRule('terraform', {
  id: 'tf/aws-asg-fixed-size',
  category: 'slo',
  topics: ['autoscaling'],
  severity: 'low',
  title: 'Auto Scaling group cannot scale',
  description: '`min_size` equals `max_size`, so the group cannot add capacity under load.',
  remediation: 'Raise `max_size` above `min_size` and attach a scaling policy.',
  refs: {}
})
const rdsSingleAz = defineRule('terraform', {
  id: 'tf/aws-rds-single-az',
  category: 'slo',
  topics: ['redundancy'],
  severity: 'low',
  title: 'RDS instance in a single availability zone',
  description: 'Without `multi_az = true` an AZ outage or maintenance failover takes the database down.',
  remediation: 'Set `multi_az = true` for production databases.',
  refs: { checkov: 'CKV_AWS_157' }
})
const cacheSingleAz = defineRule('terraform', {
  id: 'tf/aws-elasticache-single-az',
  category: 'slo',
  topics: ['redundancy'],
  severity: 'medium',
  title: 'ElastiCache nodes in a single availability zone',
  description: 'Cache nodes are not spread across availability zones (memcached `az_mode` not `cross-az`, or automatic failover off), so one AZ outage loses the cache.',
  remediation: 'Set `az_mode = "cross-az"` (memcached) or `automatic_failover_enabled = true` and `multi_az_enabled = true` (Redis replication group).',
  refs: { kics: 'terraform/aws/elasticache_nodes_not_created_across_multi_az' }
})

const lbDeletionProtection = defineRule('terraform', {
  id: 'tf/aws-lb-no-deletion-protection',
  category: 'rollback',
  topics: ['deletion-protection'],
  severity: 'low',
  title: 'Load balancer without deletion protection',
  description: 'Without `enable_deletion_protection = true` a mistaken destroy or a replacement deletes the load balancer, its DNS name and listeners, cutting traffic until it is rebuilt and DNS follows.',
  remediation: 'Set `enable_deletion_protection = true` on production load balancers.',
  refs: { checkov: 'CKV_AWS_150', kics: 'terraform/aws/alb_deletion_protection_disabled' }
})

const replaceValue = (ctx: TfContext, line: number, to: string): string | undefined => {
  const text = ctx.lines[line - 1]
  return text && /=[^=]+$/.test(text) ? text.replace(/=.*/, `= ${to}`) : undefined
}

// ── RDS ──────────────────────────────────────────────────────────────────────────────────────

/** A read replica (or a cross-region Aurora replica): its data and backups are the source's. */
const isReplica = (b: HclBlock): boolean => attr(b, 'replicate_source_db') !== undefined || attr(b, 'replication_source_identifier') !== undefined

function checkRds(ctx: TfContext): void {
  for (const r of ctx.resources(['aws_db_instance', 'aws_rds_cluster'], { modules: true })) {
    const b = r.block
    const engine = stringValue(attr(b, 'engine')?.value) ?? ''
    // Aurora instances belong to a cluster, which owns backups and deletion protection.
    const clusterMember = r.type === 'aws_db_instance' && (engine.startsWith('aurora') || attr(b, 'cluster_identifier') !== undefined)
    const retention = attr(b, 'backup_retention_period')
    if (retention) {
      // A cluster keeps automated backups whatever it says: RDS takes 1-35 days there, and the
      // provider sends no retention for 0, so the cluster gets the one-day default.
      if (numberValue(retention.value) === 0 && !isReplica(b) && r.type !== 'aws_rds_cluster') ctx.report(rdsBackupOff, retention.line, `${label(r)} sets \`backup_retention_period = 0\`, turning off automated backups`)
    } else if (r.type === 'aws_db_instance' && !isReplica(b) && !clusterMember) {
      ctx.report(rdsBackupUnset, b.line, `${label(r)} does not set \`backup_retention_period\``, { missing: 'backup_retention_period' })
    }
    const skip = attr(b, 'skip_final_snapshot')
    if (skip && isTrue(skip)) ctx.report(skipFinalSnapshot, skip.line, `${label(r)} is destroyed without a final snapshot (\`skip_final_snapshot = true\`)`)
    if (!clusterMember) {
      const dp = attr(b, 'deletion_protection')
      if (dp && isFalse(dp)) ctx.report(rdsDeletionProtection, dp.line, `${label(r)} sets \`deletion_protection = false\``, { suggestion: replaceValue(ctx, dp.line, 'true') })
      else if (!dp) ctx.report(rdsDeletionProtection, b.line, `${label(r)} has no deletion protection`, { missing: 'deletion_protection' })
    }
    if (r.type === 'aws_db_instance' && !clusterMember && !isReplica(b)) {
      const multi = attr(b, 'multi_az')
      if (multi && isFalse(multi)) ctx.report(rdsSingleAz, multi.line, `${label(r)} runs in a single availability zone (\`multi_az = false\`)`)
      else if (!multi) ctx.report(rdsSingleAz, b.line, `${label(r)} does not set \`multi_az\`, so it runs in a single availability zone`, { missing: 'multi_az' })
    }
  }
}

// ── ElastiCache ──────────────────────────────────────────────────────────────────────────────

function checkElastiCache(ctx: TfContext): void {
  for (const r of ctx.resources('aws_elasticache_cluster')) {
    const b = r.block
    if (attr(b, 'replication_group_id')) continue // settings live on the replication group
    const engine = stringValue(attr(b, 'engine')?.value)
    if (engine === 'redis' || engine === 'valkey') {
      const limit = attr(b, 'snapshot_retention_limit')
      if (!limit) ctx.report(redisNoSnapshots, b.line, `${label(r)} keeps no automatic snapshots (\`snapshot_retention_limit\` not set)`)
      else if (numberValue(limit.value) === 0) ctx.report(redisNoSnapshots, limit.line, `${label(r)} sets \`snapshot_retention_limit = 0\``)
    }
    if (engine === 'memcached') {
      const nodes = numberValue(attr(b, 'num_cache_nodes')?.value)
      if (nodes === 1) continue
      const mode = attr(b, 'az_mode')
      if (!mode) ctx.report(cacheSingleAz, b.line, `${label(r)} does not set \`az_mode = "cross-az"\`; its nodes share one availability zone`)
      else if (stringValue(mode.value) === 'single-az') {
        ctx.report(cacheSingleAz, mode.line, `${label(r)} places all nodes in one availability zone`, { suggestion: ctx.lines[mode.line - 1]?.replace('"single-az"', '"cross-az"') })
      }
    }
  }
  for (const r of ctx.resources('aws_elasticache_replication_group')) {
    const b = r.block
    const limit = attr(b, 'snapshot_retention_limit')
    if (!limit) ctx.report(redisNoSnapshots, b.line, `${label(r)} keeps no automatic snapshots (\`snapshot_retention_limit\` not set)`)
    else if (numberValue(limit.value) === 0) ctx.report(redisNoSnapshots, limit.line, `${label(r)} sets \`snapshot_retention_limit = 0\``)
    for (const name of ['automatic_failover_enabled', 'multi_az_enabled']) {
      const a = attr(b, name)
      if (a && isFalse(a)) ctx.report(cacheSingleAz, a.line, `${label(r)} sets \`${name} = false\``)
    }
  }
}

// ── DynamoDB ─────────────────────────────────────────────────────────────────────────────────

function checkDynamo(ctx: TfContext): void {
  for (const r of ctx.resources('aws_dynamodb_table')) {
    const pitr = sub(r.block, 'point_in_time_recovery')
    if (!pitr && dynamicBlock(r.block, 'point_in_time_recovery')) continue
    const enabled = pitr ? attr(pitr, 'enabled') : undefined
    if (enabled && isTrue(enabled)) continue
    if (enabled && isFalse(enabled)) ctx.report(dynamoNoPitr, enabled.line, `${label(r)} has point-in-time recovery disabled`, { suggestion: replaceValue(ctx, enabled.line, 'true') })
    else if (!enabled || !pitr) ctx.report(dynamoNoPitr, pitr?.line ?? r.block.line, `${label(r)} has no point-in-time recovery`)
  }
}

// ── S3 versioning ────────────────────────────────────────────────────────────────────────────

/** The `aws_s3_bucket_versioning` resources of the module (any file of the directory) that point at a bucket. */
function versioningFor(ctx: TfContext, bucket: TfResource): TfResource[] | 'unknown' {
  const all = ctx.projectResources('aws_s3_bucket_versioning')
  const name = stringValue(attr(bucket.block, 'bucket')?.value)
  const mine = all.filter((v) => {
    const target = attr(v.block, 'bucket')?.value
    return refersTo(target, 'aws_s3_bucket', bucket.name) || (name !== undefined && target === name)
  })
  if (mine.length) return mine
  // A module call that takes the bucket (a versioning or backup wrapper) may configure it.
  if (ctx.projectModules().some((m) => Object.values(m.attributes).some((a) => refersTo(a.value, 'aws_s3_bucket', bucket.name)))) return 'unknown'
  // A versioning resource whose bucket we cannot resolve may well be this one: stay quiet.
  const unresolved = all.some((v) => {
    const target = attr(v.block, 'bucket')?.value
    return isExpr(target) && !/(^|[^\w.])aws_s3_bucket\.[\w-]+/.test(target.expr)
  })
  return unresolved ? 'unknown' : []
}

const VERSIONING_OFF = (v: HclValue | undefined): boolean => boolValue(v) === false || ['Suspended', 'Disabled'].includes(stringValue(v) ?? '')

/** S3 resources whose versioning a module input may switch off. */
const S3_BUCKET_TYPES = new Set(['aws_s3_bucket', 'aws_s3_bucket_versioning'])
/**
 * A source naming another cloud's storage or provider (`terraform-google-modules/…`, `…/gcs-bucket`,
 * `azurerm-storage`): a bucket module of that cloud, whose versioning input is no S3 versioning.
 */
const NAMES_OTHER_CLOUD = /google|gcp|gcs|azure|azurerm|oci|oracle|alicloud|aliyun|digitalocean|hcloud|linode|scaleway/i

/**
 * True when the module a call names makes S3 buckets: a local module read in this run when it (or
 * a module it calls in turn) declares one; any other unless its source names another cloud. A
 * `*versioning*` input of a module making a GCS bucket or anything else is not S3 versioning.
 */
function makesS3Buckets(ctx: TfContext, source: string | undefined, fromDir: string | undefined, depth = 0): boolean {
  if (source === undefined || depth > 4) return false
  const called = ctx.localModule(source, fromDir)
  // Not read in this run: an AWS rule's module input, unless the source names another cloud.
  if (!called) return !NAMES_OTHER_CLOUD.test(source)
  return called.blocks.some((b) =>
    b.type === 'resource' ? S3_BUCKET_TYPES.has(b.labels[0] ?? '') : b.type === 'module' && makesS3Buckets(ctx, stringValue(attr(b, 'source')?.value), called.dir, depth + 1)
  )
}

/**
 * Any other module call (a local or private bucket module) that explicitly switches versioning
 * off through an input named for it: `versioning_enabled = false`, `versioning = { enabled = false }`.
 */
function checkModuleVersioningInputs(ctx: TfContext): void {
  for (const m of ctx.topBlocks('module')) {
    const source = stringValue(attr(m, 'source')?.value)
    if (registryModuleFor(source)) continue // read as the bucket itself
    if (!makesS3Buckets(ctx, source, undefined)) continue
    for (const a of Object.values(m.attributes)) {
      if (!/versioning/i.test(a.name)) continue
      if (VERSIONING_OFF(a.value)) {
        ctx.report(s3Versioning, a.line, `module \`${m.labels[0] ?? ''}\` switches bucket versioning off (\`${a.name}\`)`)
        continue
      }
      if (!isObject(a.value)) continue
      for (const [key, value] of Object.entries(a.value)) {
        if (/^(enabled|status)$/i.test(key) && VERSIONING_OFF(value)) {
          ctx.report(s3Versioning, lineOfKey(a.value, key) ?? a.line, `module \`${m.labels[0] ?? ''}\` switches bucket versioning off (\`${a.name}.${key}\`)`)
        }
      }
    }
  }
}

function checkS3Versioning(ctx: TfContext): void {
  checkModuleVersioningInputs(ctx)
  /** `aws_s3_bucket_versioning` lines already reported through their bucket. */
  const reported = new Set<number>()
  for (const r of ctx.resources('aws_s3_bucket', { modules: true })) {
    const inline = blocksOf(r.block, 'versioning')[0]
    if (inline) {
      const enabled = attr(inline, 'enabled') ?? attr(inline, 'status')
      if (!enabled) ctx.report(s3Versioning, inline.line, `${label(r)} has a \`versioning\` block that does not enable versioning`)
      else if (isFalse(enabled) || ['Suspended', 'Disabled'].includes(stringValue(enabled.value) ?? '')) {
        ctx.report(s3Versioning, enabled.line, `${label(r)} has versioning disabled`)
      }
      continue
    }
    if (dynamicBlock(r.block, 'versioning')) continue
    if (r.viaModule) {
      ctx.report(s3Versioning, r.block.line, `${label(r)} does not enable versioning`, { missing: 'versioning' })
      continue
    }
    const external = versioningFor(ctx, r)
    if (external === 'unknown') continue
    if (!external.length) {
      ctx.report(s3Versioning, r.block.line, `${label(r)} has no versioning (no \`aws_s3_bucket_versioning\` for it ${ctx.projectDir !== undefined ? 'in its module' : 'in this file'})`)
      continue
    }
    for (const v of external) {
      // One in another file of the module is reported when that file is analysed (its lines are not this file's).
      if (v.path !== undefined && v.path !== ctx.path) continue
      const conf = sub(v.block, 'versioning_configuration')
      const status = conf ? attr(conf, 'status') : undefined
      const value = stringValue(status?.value)
      if (status && value !== undefined && value !== 'Enabled') {
        reported.add(status.line)
        ctx.report(s3Versioning, status.line, `${label(v)} sets versioning of \`${r.name}\` to \`${value}\``, { suggestion: ctx.lines[status.line - 1]?.replace(`"${value}"`, '"Enabled"') })
      }
    }
  }
  // A versioning resource whose bucket is not declared in the module (created elsewhere, or
  // imported) still says versioning is off.
  for (const v of ctx.resources('aws_s3_bucket_versioning')) {
    const conf = sub(v.block, 'versioning_configuration')
    const status = conf ? attr(conf, 'status') : undefined
    const value = stringValue(status?.value)
    if (status && (value === 'Suspended' || value === 'Disabled') && !reported.has(status.line)) {
      ctx.report(s3Versioning, status.line, `${label(v)} sets versioning to \`${value}\``, { suggestion: ctx.lines[status.line - 1]?.replace(`"${value}"`, '"Enabled"') })
    }
  }
}

// ── ECS, load balancers, Auto Scaling ────────────────────────────────────────────────────────

function checkEcsService(ctx: TfContext): void {
  for (const r of ctx.resources('aws_ecs_service')) {
    const controller = stringValue(attr(sub(r.block, 'deployment_controller') ?? r.block, 'type')?.value)
    if (controller === 'CODE_DEPLOY' || controller === 'EXTERNAL') continue
    const cb = sub(r.block, 'deployment_circuit_breaker')
    if (!cb && dynamicBlock(r.block, 'deployment_circuit_breaker')) continue
    if (!cb) {
      ctx.report(ecsCircuitBreaker, r.block.line, `${label(r)} has no deployment circuit breaker, so failed deployments do not roll back`)
      continue
    }
    for (const name of ['enable', 'rollback']) {
      const a = attr(cb, name)
      if (a && isFalse(a)) ctx.report(ecsCircuitBreaker, a.line, `${label(r)} sets \`deployment_circuit_breaker.${name} = false\``, { suggestion: replaceValue(ctx, a.line, 'true') })
      else if (!a) ctx.report(ecsCircuitBreaker, cb.line, `${label(r)} does not set \`deployment_circuit_breaker.${name} = true\``)
    }
  }
}

function checkTargetGroups(ctx: TfContext): void {
  for (const r of ctx.resources(['aws_lb_target_group', 'aws_alb_target_group'])) {
    if (stringValue(attr(r.block, 'target_type')?.value) === 'lambda') continue
    const hc = sub(r.block, 'health_check')
    if (!hc && dynamicBlock(r.block, 'health_check')) continue
    if (!hc) ctx.report(tgHealthCheck, r.block.line, `${label(r)} has no \`health_check\` block`)
    else {
      const enabled = attr(hc, 'enabled')
      if (enabled && isFalse(enabled)) ctx.report(tgHealthCheck, enabled.line, `${label(r)} disables health checks`)
    }
  }
}

function checkLbDeletionProtection(ctx: TfContext): void {
  for (const r of ctx.resources(['aws_lb', 'aws_alb'], { modules: true })) {
    const a = attr(r.block, 'enable_deletion_protection')
    if (a && isFalse(a)) ctx.report(lbDeletionProtection, a.line, `${label(r)} sets \`enable_deletion_protection = false\``, { suggestion: replaceValue(ctx, a.line, 'true') })
    else if (!a) ctx.report(lbDeletionProtection, r.block.line, `${label(r)} has no deletion protection`, { missing: 'enable_deletion_protection' })
  }
}

function checkAutoscaling(ctx: TfContext): void {
  for (const r of ctx.resources('aws_autoscaling_group')) {
    const min = attr(r.block, 'min_size')
    const max = attr(r.block, 'max_size')
    const lo = numberValue(min?.value)
    const hi = numberValue(max?.value)
    if (max && lo !== undefined && hi !== undefined && lo === hi && hi > 0) ctx.report(asgFixed, max.line, `${label(r)} has \`min_size\` = \`max_size\` = ${hi}; it cannot scale`)
  }
}

export const awsResilienceChecks: TfCheck[] = [
  { rules: [rdsBackupOff, rdsBackupUnset, skipFinalSnapshot, rdsDeletionProtection, rdsSingleAz], run: checkRds },
  { rules: [redisNoSnapshots, cacheSingleAz], run: checkElastiCache },
  { rules: [dynamoNoPitr], run: checkDynamo },
  { rules: [s3Versioning], run: checkS3Versioning },
  { rules: [ecsCircuitBreaker], run: checkEcsService },
  { rules: [tgHealthCheck], run: checkTargetGroups },
  { rules: [lbDeletionProtection], run: checkLbDeletionProtection },
  { rules: [asgFixed], run: checkAutoscaling }
]
