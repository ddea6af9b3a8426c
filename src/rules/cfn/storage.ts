/** Data-bearing resources: deletion/replacement policies, S3 buckets, RDS, DynamoDB. */
import type { FolderTemplates } from './listeners.js'
import type { Finding, RuleMeta } from '../../types.js'
import { firstBad, valuesOf, withVia } from './values.js'
import { lineText, replaceScalarOnLine } from '../k8s/view.js'
import type { Report } from '../rule.js'
import { CFN } from './meta.js'
import { intrinsicOf, isLiteralFalse, isLiteralTrue, literal, type Resource, type Template } from './template.js'
import { referrersOf, refersTo } from './guarded.js'
import type { Node } from '../parse/yaml.js'

export interface CfnContext {
  path: string
  content: string
  template: Template
  /** Builds each finding; refuses rules the CloudFormation language does not declare. */
  report: Report
  /** The other templates of the file's folder, when the analysis has them (a scan; not a pull request's lone file). */
  folder?: FolderTemplates
}

const STATEFUL_TYPES = new Set([
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::EC2::Volume',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::ServerlessCache',
  'AWS::EFS::FileSystem',
  'AWS::DocDB::DBCluster',
  'AWS::Neptune::DBCluster',
  'AWS::Redshift::Cluster'
])

// AWS::S3::Bucket is not listed: CloudFormation cannot delete a bucket that still holds objects
// (the deletion fails and the bucket stays), so a missing policy does not lose its data.
const KEEPS_DATA = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot'])

/** An RDS instance that belongs to an Aurora cluster: its data and policies live on the cluster. */
function isClusterMember(ctx: CfnContext, r: Resource): boolean {
  const v = ctx.template.view
  if (r.type !== 'AWS::RDS::DBInstance') return false
  return v.get(r.properties, 'DBClusterIdentifier') !== undefined || /^aurora/i.test(literal(v, v.get(r.properties, 'Engine')) ?? '')
}

/** CloudFormation snapshots these by default when they are deleted (not when they are replaced). */
function snapshotsByDefault(ctx: CfnContext, r: Resource): boolean {
  return r.type === 'AWS::RDS::DBCluster' || (r.type === 'AWS::RDS::DBInstance' && ctx.template.view.get(r.properties, 'DBClusterIdentifier') === undefined)
}

/**
 * A Memcached cache keeps nothing worth retaining and cannot be snapshotted: a policy has nothing
 * to keep. Only when every value the template gives `Engine` is memcached (Redis, Valkey or an
 * engine chosen at deployment stay reported).
 */
function isMemcached(ctx: CfnContext, r: Resource): boolean {
  if (r.type !== 'AWS::ElastiCache::CacheCluster' && r.type !== 'AWS::ElastiCache::ServerlessCache') return false
  const engines = valuesOf(ctx.template, ctx.template.view.get(r.properties, 'Engine'))
  return engines.length > 0 && engines.every((e) => e.value.trim().toLowerCase() === 'memcached')
}

/** How long, in days, every value of a backup rule's `DeleteAfterDays` keeps a copy (Infinity: no expiry); undefined when one is 0 or not a number. */
function retentionDays(ctx: CfnContext, rule: Node | undefined): { days: number; how?: string } | undefined {
  const node = ctx.template.view.get(ctx.template.view.get(rule, 'Lifecycle'), 'DeleteAfterDays')
  if (node === undefined) return { days: Infinity }
  const values = valuesOf(ctx.template, node)
  if (values.length === 0 || !values.every((c) => /^\d+$/.test(c.value.trim()) && Number(c.value) > 0)) return undefined
  return { days: Math.min(...values.map((c) => Number(c.value))), ...(values[0]!.how ? { how: values[0]!.how } : {}) }
}

/**
 * Why a copy of the resource outlives its deletion, or undefined: an `AWS::Backup::BackupSelection`
 * of the template lists it under `Resources` (its ARN, `Ref` or `GetAtt`) for a plan of the
 * template with a rule keeping copies for some days (recovery points stay in the vault when the
 * resource is deleted), or an EFS file system's own `BackupPolicy` is `ENABLED` (AWS Backup's
 * default plan, 35 days). A selection or plan under a `Condition` does not count: the condition may
 * be off where it is deployed (a switch defaulting to no backup), and then nothing is copied.
 */
function backedUp(ctx: CfnContext, r: Resource): string | undefined {
  const v = ctx.template.view
  if (r.type === 'AWS::EFS::FileSystem') {
    const status = valuesOf(ctx.template, v.get(v.get(r.properties, 'BackupPolicy'), 'Status'))
    if (status.length > 0 && status.every((c) => c.value === 'ENABLED')) return '`BackupPolicy` is `ENABLED`: AWS Backup keeps daily copies for 35 days, and they remain after the file system is deleted'
  }
  const unconditional = (x: Resource): boolean => v.get(x.node, 'Condition') === undefined
  for (const selection of ctx.template.resources.filter((s) => s.type === 'AWS::Backup::BackupSelection' && unconditional(s))) {
    const chosen = v.get(selection.properties, 'BackupSelection')
    if (!v.items(v.get(chosen, 'Resources')).some((item) => refersTo(ctx, item, r.logicalId))) continue
    const planId = v.get(selection.properties, 'BackupPlanId')
    const plan = ctx.template.resources.find((p) => p.type === 'AWS::Backup::BackupPlan' && unconditional(p) && refersTo(ctx, planId, p.logicalId))
    if (!plan) continue
    const kept = v.items(v.get(v.get(plan.properties, 'BackupPlan'), 'BackupPlanRule')).map((rule) => retentionDays(ctx, rule)).find((k) => k !== undefined)
    if (!kept) continue
    const days = kept.days === Infinity ? 'with no expiry' : `for ${kept.days} days${kept.how ? ` (${kept.how})` : ''}`
    return `backup selection \`${selection.logicalId}\` puts it in plan \`${plan.logicalId}\`, which keeps copies ${days}: a backup copy remains after it is deleted`
  }
  return undefined
}

export function checkStatefulPolicies(ctx: CfnContext, r: Resource): Finding[] {
  if (!STATEFUL_TYPES.has(r.type) || isClusterMember(ctx, r) || isMemcached(ctx, r)) return []
  const v = ctx.template.view
  const policies = [
    { key: 'DeletionPolicy', meta: CFN.noDeletionPolicy, when: 'the stack or the resource is deleted', defaultKeeps: snapshotsByDefault(ctx, r) },
    { key: 'UpdateReplacePolicy', meta: CFN.noUpdateReplacePolicy, when: 'an update replaces it', defaultKeeps: false }
  ] as const
  // One finding per resource: both policies missing is one problem with one fix.
  const problems: { meta: RuleMeta; line: number; key: string; when: string; value?: string }[] = []
  for (const p of policies) {
    const node = v.get(r.node, p.key)
    if (node === undefined) {
      if (!p.defaultKeeps) problems.push({ meta: p.meta, line: r.line, key: p.key, when: p.when })
      continue
    }
    const value = literal(v, node)
    if (value !== undefined && !KEEPS_DATA.has(value)) problems.push({ meta: p.meta, line: v.keyLine(r.node, p.key), key: p.key, when: p.when, value })
  }
  const [first, second] = problems
  if (!first) return []
  // `Delete` written out under either policy is a choice someone made (a demo, data kept elsewhere); a table with
  // point-in-time recovery leaves a system backup behind when it is deleted: worth a look, not more.
  const chosenKey = ['DeletionPolicy', 'UpdateReplacePolicy'].find((key) => literal(v, v.get(r.node, key)) === 'Delete')
  const recoverable = r.type === 'AWS::DynamoDB::Table' && isLiteralTrue(v, v.get(v.get(r.properties, 'PointInTimeRecoverySpecification'), 'PointInTimeRecoveryEnabled'))
  const backup = chosenKey === undefined && !recoverable ? backedUp(ctx, r) : undefined
  const choice =
    chosenKey !== undefined
      ? ` (\`${chosenKey}: Delete\` is written out, so it reads as a choice: low)`
      : recoverable
        ? ' (point-in-time recovery keeps a system backup for 35 days after the table is deleted: low)'
        : backup
          ? ` (${backup}: low)`
          : ''
  const severity = choice ? ({ severity: 'low' } as const) : {}
  if (!second) {
    const what = first.value === undefined ? `has no ${first.key}` : `has ${first.key} ${first.value}`
    return [ctx.report(first.meta, first.line, `${r.type} \`${r.logicalId}\` ${what}: its data is deleted when ${first.when}${choice}`, severity)]
  }
  const what = first.value === undefined && second.value === undefined ? 'has neither DeletionPolicy nor UpdateReplacePolicy' : `keeps no data under DeletionPolicy or UpdateReplacePolicy`
  return [
    ctx.report(first.meta, first.value !== undefined ? first.line : second.value !== undefined ? second.line : r.line, `${r.type} \`${r.logicalId}\` ${what}: its data is deleted when the stack is deleted, when the resource is removed, or when an update replaces it${choice}`, {
      ...severity,
      remediation: 'Add `DeletionPolicy: Retain` and `UpdateReplacePolicy: Retain` (or `Snapshot` where the type supports it).'
    })
  ]
}

const PUBLIC_ACLS = new Set(['PublicRead', 'PublicReadWrite', 'AuthenticatedRead'])
const ACCESS_BLOCK_KEYS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const

export function checkBucket(ctx: CfnContext, r: Resource): Finding[] {
  if (r.type !== 'AWS::S3::Bucket') return []
  const v = ctx.template.view
  const props = r.properties
  const out: Finding[] = []

  const acl = firstBad(ctx.template, v.get(props, 'AccessControl'), (x) => PUBLIC_ACLS.has(x))
  if (acl) {
    const reach = acl.value === 'PublicReadWrite' ? 'anyone can list it and write objects into it' : acl.value === 'AuthenticatedRead' ? 'any AWS account can list every object key in it' : 'anyone can list every object key in it'
    out.push(withVia(ctx.report(CFN.s3PublicAcl, v.keyLine(props, 'AccessControl'), `bucket \`${r.logicalId}\` has the public canned ACL ${acl.value}, so ${reach}`), acl))
  }

  const block = v.get(props, 'PublicAccessBlockConfiguration')
  if (block === undefined) {
    out.push(ctx.report(CFN.s3NoPublicAccessBlock, r.line, `bucket \`${r.logicalId}\` has no PublicAccessBlockConfiguration`))
  } else if (intrinsicOf(v, block) === undefined) {
    for (const key of ACCESS_BLOCK_KEYS) {
      const node = v.get(block, key)
      if (node !== undefined && !isLiteralFalse(v, node)) continue
      const line = node !== undefined ? v.keyLine(block, key) : v.keyLine(props, 'PublicAccessBlockConfiguration')
      const why = node !== undefined ? 'is false' : 'is not set (defaults to false)'
      out.push(ctx.report(CFN.s3PublicAccessBlockDisabled, line, `bucket \`${r.logicalId}\`: ${key} ${why}`))
    }
  }

  const versioning = v.get(props, 'VersioningConfiguration')
  const status = v.get(versioning, 'Status')
  const store = versioning === undefined || literal(v, status) !== 'Enabled' ? artifactStoreOnly(ctx, r) : undefined
  const why = store ? ` (it only holds the artifacts of pipeline \`${store}\`, written under new keys on every run and rebuilt by running the pipeline again: low)` : ''
  const extra = store ? { severity: 'low' as const } : undefined
  if (versioning === undefined) {
    out.push(ctx.report(CFN.s3NoVersioning, r.line, `bucket \`${r.logicalId}\` has no versioning${why}`, extra))
  } else if (literal(v, status) !== undefined && literal(v, status) !== 'Enabled') {
    out.push(ctx.report(CFN.s3NoVersioning, v.keyLine(versioning, 'Status'), `bucket \`${r.logicalId}\` has versioning ${literal(v, status)}${why}`, extra))
  }
  return out
}

/**
 * The CodePipeline whose artifact store `bucket` is (`ArtifactStore.Location`, or one of
 * `ArtifactStores`), when nothing else of the template names the bucket but its bucket policy and
 * grants to the roles that run the pipeline (the pipeline's own role, its CodeBuild projects'
 * service roles), and no output hands it on: the bucket then holds only the pipeline's run
 * artifacts, which a new run writes again. A grant to any other role may put other data in it.
 */
function artifactStoreOnly(ctx: CfnContext, bucket: Resource): string | undefined {
  const v = ctx.template.view
  if (refersTo(ctx, v.get(ctx.template.root, 'Outputs'), bucket.logicalId)) return undefined
  const referrers = referrersOf(ctx, bucket)
  // Roles the pipeline or a build project runs as: what they are granted on the bucket serves the pipeline.
  const runners = ctx.template.resources.filter((r) => r.type === 'AWS::CodePipeline::Pipeline' || r.type === 'AWS::CodeBuild::Project')
  const runsPipeline = (role: Resource): boolean => runners.some((r) => refersTo(ctx, v.get(r.properties, r.type === 'AWS::CodeBuild::Project' ? 'ServiceRole' : 'RoleArn'), role.logicalId))
  const pipelineGrant = (o: Resource): boolean => {
    if (o.type === 'AWS::S3::BucketPolicy') return true
    if (o.type === 'AWS::IAM::Role') return runsPipeline(o)
    if (o.type !== 'AWS::IAM::Policy' && o.type !== 'AWS::IAM::ManagedPolicy') return false
    // A policy attached to those roles only (no user, group or other role).
    const roles = v.items(v.get(o.properties, 'Roles'))
    const others = ['Users', 'Groups'].some((key) => v.get(o.properties, key) !== undefined)
    return !others && roles.length > 0 && roles.every((n) => ctx.template.resources.some((r) => r.type === 'AWS::IAM::Role' && refersTo(ctx, n, r.logicalId) && runsPipeline(r)))
  }
  let pipeline: string | undefined
  for (const o of referrers) {
    if (pipelineGrant(o)) continue
    if (o.type !== 'AWS::CodePipeline::Pipeline' || pipeline !== undefined) return undefined
    const stores = [v.get(o.properties, 'ArtifactStore'), ...v.items(v.get(o.properties, 'ArtifactStores')).map((s) => v.get(s, 'ArtifactStore'))]
    // Named elsewhere in the pipeline too (a deploy action's bucket): it may hold more than artifacts.
    const elsewhere = v.entries(o.properties).some((e) => e.key !== 'ArtifactStore' && e.key !== 'ArtifactStores' && refersTo(ctx, e.value, bucket.logicalId))
    if (elsewhere || !stores.some((s) => refersTo(ctx, v.get(s, 'Location'), bucket.logicalId))) return undefined
    pipeline = o.logicalId
  }
  return pipeline
}

/**
 * Why a stack deletion or a replacing update keeps the resource's data, or undefined: both
 * `DeletionPolicy` and `UpdateReplacePolicy` are `Snapshot`, `Retain` or `RetainExceptOnCreate`,
 * written out or in every branch of an `Fn::If` (a parameter may be set to `Delete`).
 */
function keptOnDeleteAndReplace(ctx: CfnContext, r: Resource): string | undefined {
  const kept = ['DeletionPolicy', 'UpdateReplacePolicy'].map((key) => {
    const values = valuesOf(ctx.template, ctx.template.view.get(r.node, key))
    const fixed = values.length > 0 && values.every((c) => (c.via === undefined || c.via === 'condition') && KEEPS_DATA.has(c.value))
    return fixed ? `${key}: ${[...new Set(values.map((c) => c.value))].join(' or ')}` : undefined
  })
  if (kept.some((k) => k === undefined)) return undefined
  return `\`${kept.join('` and `')}\`: a deletion or replacement through CloudFormation keeps a final snapshot (or the database), and only a deletion outside CloudFormation can skip it`
}

export function checkDatabase(ctx: CfnContext, r: Resource): Finding[] {
  if (r.type !== 'AWS::RDS::DBInstance' && r.type !== 'AWS::RDS::DBCluster') return []
  const v = ctx.template.view
  const props = r.properties
  const member = isClusterMember(ctx, r)
  const out: Finding[] = []
  const at = (key: string): number => v.keyLine(props, key)

  const t = ctx.template
  const isTrueValue = (x: string): boolean => x.toLowerCase() === 'true'
  const publicValue = firstBad(t, v.get(props, 'PubliclyAccessible'), isTrueValue)
  if (publicValue) {
    const suggestion = replaceScalarOnLine(lineText(ctx.content, at('PubliclyAccessible')), 'PubliclyAccessible', /^true$/i, 'false')
    out.push(withVia(ctx.report(CFN.rdsPublic, at('PubliclyAccessible'), `database \`${r.logicalId}\` is publicly accessible`, { suggestion }), publicValue))
  }
  // A read replica's data and backups are its source's: backups of its own are optional.
  const replica = v.get(props, r.type === 'AWS::RDS::DBInstance' ? 'SourceDBInstanceIdentifier' : 'ReplicationSourceIdentifier') !== undefined
  const noBackups = replica ? undefined : firstBad(t, v.get(props, 'BackupRetentionPeriod'), (x) => x.trim() === '0')
  if (noBackups) {
    out.push(withVia(ctx.report(CFN.rdsNoBackups, at('BackupRetentionPeriod'), `database \`${r.logicalId}\` has automated backups switched off`), noBackups))
  }
  if (member) return out

  // Replicas and restores inherit encryption from their source; serverless v1 is always encrypted.
  const inheritsEncryption = ['SourceDBInstanceIdentifier', 'SourceDBClusterIdentifier', 'SnapshotIdentifier', 'DBSnapshotIdentifier', 'KmsKeyId'].some(
    (k) => v.get(props, k) !== undefined
  )
  const encrypted = v.get(props, 'StorageEncrypted')
  const unencrypted = firstBad(t, encrypted, (x) => x.toLowerCase() === 'false')
  if (unencrypted) {
    out.push(withVia(ctx.report(CFN.rdsNotEncrypted, at('StorageEncrypted'), `database \`${r.logicalId}\` has unencrypted storage`), unencrypted))
  } else if (encrypted === undefined && !inheritsEncryption && literal(v, v.get(props, 'EngineMode')) !== 'serverless') {
    out.push(ctx.report(CFN.rdsNotEncrypted, r.line, `database \`${r.logicalId}\` does not set StorageEncrypted (unencrypted by default)`))
  }

  const protection = v.get(props, 'DeletionProtection')
  const unprotected = firstBad(t, protection, (x) => x.toLowerCase() === 'false')
  if (protection === undefined || unprotected) {
    const line = protection === undefined ? r.line : at('DeletionProtection')
    // Deleting or replacing it through CloudFormation then leaves a final snapshot (or the database itself) behind.
    const kept = keptOnDeleteAndReplace(ctx, r)
    const message = `database \`${r.logicalId}\` has no deletion protection${kept ? ` (${kept}: low)` : ''}`
    out.push(withVia(ctx.report(CFN.rdsNoDeletionProtection, line, message, kept ? { severity: 'low' } : undefined), unprotected))
  }

  if (r.type === 'AWS::RDS::DBInstance') {
    const multiAz = v.get(props, 'MultiAZ')
    if (multiAz === undefined) {
      out.push(ctx.report(CFN.rdsSingleAz, r.line, `database \`${r.logicalId}\` runs in a single availability zone (MultiAZ not set)`))
    } else if (firstBad(t, multiAz, (x) => x.toLowerCase() === 'false')) {
      const single = firstBad(t, multiAz, (x) => x.toLowerCase() === 'false')
      out.push(withVia(ctx.report(CFN.rdsSingleAz, at('MultiAZ'), `database \`${r.logicalId}\` runs in a single availability zone`), single))
    }
  }
  return out
}

export function checkDynamoTable(ctx: CfnContext, r: Resource): Finding[] {
  if (r.type !== 'AWS::DynamoDB::Table') return []
  const v = ctx.template.view
  const spec = v.get(r.properties, 'PointInTimeRecoverySpecification')
  const enabled = v.get(spec, 'PointInTimeRecoveryEnabled')
  if (isLiteralTrue(v, enabled) || (enabled !== undefined && intrinsicOf(v, enabled) !== undefined)) return []
  const line = enabled !== undefined ? v.keyLine(spec, 'PointInTimeRecoveryEnabled') : r.line
  return [ctx.report(CFN.dynamoNoPitr, line, `DynamoDB table \`${r.logicalId}\` has no point-in-time recovery`)]
}
