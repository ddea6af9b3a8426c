/** AWS exposure rules: network reachability, public data, IAM breadth, encryption switched off. */
import type { RuleMeta } from '../../types.js'
import { blocksOf, numberValue, stringValue, type HclAttribute, type HclValue } from '../hcl.js'
import { attr, isFalse, isTrue, label, stringList, sub, type TfCheck, type TfContext } from './context.js'
import { documentStatements, isAnyone, statementsOf, type PolicyStatement } from './policy.js'

const meta = (m: Omit<RuleMeta, 'kind'>): RuleMeta => ({ kind: 'terraform', ...m })

const sgOpenSsh = meta({
  id: 'tf/aws-sg-open-ssh',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Security group opens SSH to the internet',
  description: 'An ingress rule allows port 22 from 0.0.0.0/0 or ::/0, exposing SSH to brute force and exploits.',
  remediation: 'Restrict the source to known CIDRs (a bastion, VPN or office range) or use SSM Session Manager instead of SSH.',
  refs: { checkov: 'CKV_AWS_24', kics: 'security_group_with_unrestricted_access_to_ssh' }
})
const sgOpenRdp = meta({
  id: 'tf/aws-sg-open-rdp',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Security group opens RDP to the internet',
  description: 'An ingress rule allows port 3389 from 0.0.0.0/0 or ::/0.',
  remediation: 'Restrict the source to known CIDRs or reach the hosts through a bastion or VPN.',
  refs: { checkov: 'CKV_AWS_25' }
})
const sgOpenAll = meta({
  id: 'tf/aws-sg-open-all-ports',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Security group opens all ports to the internet',
  description: 'An ingress rule allows every port (protocol -1 or 0-65535) from 0.0.0.0/0 or ::/0.',
  remediation: 'Open only the ports the service needs, from the narrowest source range.',
  refs: { checkov: 'CKV_AWS_277' }
})
const rdsPublic = meta({
  id: 'tf/aws-rds-public',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'RDS instance publicly accessible',
  description: '`publicly_accessible = true` gives the database a public endpoint.',
  remediation: 'Set `publicly_accessible = false` and reach the database from inside the VPC.',
  refs: { checkov: 'CKV_AWS_17', kics: 'rds_db_instance_publicly_accessible' }
})
const s3PublicAcl = meta({
  id: 'tf/aws-s3-public-acl',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'S3 bucket with a public canned ACL',
  description: 'A `public-read`, `public-read-write` or `authenticated-read` ACL lets anyone (or any AWS account) read or write the bucket.',
  remediation: 'Use `acl = "private"` (or no ACL with object ownership enforced) and serve public content through CloudFront.',
  refs: { checkov: 'CKV_AWS_20', kics: 's3_bucket_acl_allows_read_to_all_users' }
})
const s3PublicBlockOff = meta({
  id: 'tf/aws-s3-public-access-block-disabled',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'medium',
  title: 'S3 public access block switched off',
  description: 'A public access block sets one of its four protections to `false`, so public ACLs or policies can take effect.',
  remediation: 'Set `block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` to `true`.',
  refs: { checkov: 'CKV_AWS_53' }
})
const publicPolicy = meta({
  id: 'tf/aws-public-resource-policy',
  category: 'security',
  topics: ['network-exposure', 'least-privilege'],
  severity: 'high',
  title: 'Resource policy open to everyone',
  description: 'An ECR, S3, SQS or SNS resource policy allows principal `*` without a condition.',
  remediation: 'Name the accounts or roles that need access, or add a condition (source account, organization id).',
  refs: { checkov: 'CKV_AWS_32', kics: 'ecr_repository_is_publicly_accessible' }
})
const iamWildcard = meta({
  id: 'tf/aws-iam-wildcard-policy',
  category: 'security',
  topics: ['least-privilege'],
  severity: 'high',
  title: 'IAM policy allows every action on every resource',
  description: 'A statement allows `"*"` actions on `"*"` resources: full administrator rights.',
  remediation: 'List the actions and resource ARNs the principal needs (least privilege).',
  refs: { checkov: 'CKV_AWS_62' }
})
const trustAll = meta({
  id: 'tf/aws-iam-role-trust-all',
  category: 'security',
  topics: ['least-privilege'],
  severity: 'high',
  title: 'IAM role assumable by any principal',
  description: 'The trust policy allows `*`, or a whole account root, to assume the role without a condition.',
  remediation: 'Name the exact role, user or service that may assume the role, or add a condition such as `sts:ExternalId`.',
  refs: { kics: 'iam_role_allows_all_principals_to_assume' }
})
const ec2PublicIp = meta({
  id: 'tf/aws-ec2-public-ip',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'medium',
  title: 'EC2 instance gets a public IP',
  description: '`associate_public_ip_address = true` puts the instance directly on the internet.',
  remediation: 'Set `associate_public_ip_address = false` and expose the service through a load balancer.',
  refs: { checkov: 'CKV_AWS_88', kics: 'ec2_instance_has_public_ip' }
})
const ec2PublicIpUnset = meta({
  id: 'tf/aws-ec2-public-ip-unset',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'low',
  title: 'EC2 instance public IP left to the subnet default',
  description: 'Without `associate_public_ip_address` the instance gets a public IP whenever its subnet maps public IPs on launch.',
  remediation: 'Set `associate_public_ip_address = false` explicitly (or attach a network interface in a private subnet).',
  refs: { kics: 'ec2_instance_has_public_ip' }
})
const unencrypted = meta({
  id: 'tf/aws-storage-unencrypted',
  category: 'security',
  topics: ['encryption'],
  severity: 'high',
  title: 'Storage encryption switched off',
  description: 'Encryption at rest is explicitly disabled on a database, volume, file system or cache.',
  remediation: 'Set the encryption attribute to `true` (and a KMS key where required); changing it on an existing resource replaces it.',
  refs: { checkov: 'CKV_AWS_16' }
})

// ── Security groups ──────────────────────────────────────────────────────────────────────────

const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0'])

type Exposure = { all: true } | { all: false; from: number; to: number } | undefined

function exposure(protocol: HclValue | undefined, fromPort: HclValue | undefined, toPort: HclValue | undefined): Exposure {
  const p = protocol === undefined ? 'tcp' : String(protocol).toLowerCase()
  if (p === '-1' || p === 'all') return { all: true }
  if (!['tcp', 'udp', '6', '17'].includes(p)) return undefined
  const from = numberValue(fromPort)
  const to = numberValue(toPort) ?? from
  if (from === undefined || to === undefined) return undefined
  if ((from <= 0 || from === -1) && to >= 65535) return { all: true }
  return { all: false, from, to }
}

function reportIngress(ctx: TfContext, who: string, exp: Exposure, cidrAttr: HclAttribute, cidr: string): void {
  if (!exp) return
  if (exp.all) {
    ctx.report(sgOpenAll, cidrAttr.line, `${who} allows all ports from ${cidr}`)
    return
  }
  if (exp.from <= 22 && 22 <= exp.to) ctx.report(sgOpenSsh, cidrAttr.line, `${who} allows SSH (port 22) from ${cidr}`)
  if (exp.from <= 3389 && 3389 <= exp.to) ctx.report(sgOpenRdp, cidrAttr.line, `${who} allows RDP (port 3389) from ${cidr}`)
}

function openCidr(a: HclAttribute | undefined): string | undefined {
  return stringList(a?.value).find((c) => OPEN_CIDRS.has(c.trim()))
}

function checkSecurityGroups(ctx: TfContext): void {
  for (const sg of ctx.resources('aws_security_group', { modules: true })) {
    for (const rule of blocksOf(sg.block, 'ingress')) {
      const exp = exposure(attr(rule, 'protocol')?.value, attr(rule, 'from_port')?.value, attr(rule, 'to_port')?.value)
      for (const name of ['cidr_blocks', 'ipv6_cidr_blocks']) {
        const a = attr(rule, name)
        const cidr = openCidr(a)
        if (a && cidr) reportIngress(ctx, label(sg), exp, a, cidr)
      }
    }
  }
  for (const r of ctx.resources('aws_security_group_rule')) {
    if (stringValue(attr(r.block, 'type')?.value) !== 'ingress') continue
    const exp = exposure(attr(r.block, 'protocol')?.value, attr(r.block, 'from_port')?.value, attr(r.block, 'to_port')?.value)
    for (const name of ['cidr_blocks', 'ipv6_cidr_blocks']) {
      const a = attr(r.block, name)
      const cidr = openCidr(a)
      if (a && cidr) reportIngress(ctx, label(r), exp, a, cidr)
    }
  }
  for (const r of ctx.resources('aws_vpc_security_group_ingress_rule')) {
    const exp = exposure(attr(r.block, 'ip_protocol')?.value, attr(r.block, 'from_port')?.value, attr(r.block, 'to_port')?.value)
    for (const name of ['cidr_ipv4', 'cidr_ipv6']) {
      const a = attr(r.block, name)
      const cidr = openCidr(a)
      if (a && cidr) reportIngress(ctx, label(r), exp, a, cidr)
    }
  }
}

// ── Public data ──────────────────────────────────────────────────────────────────────────────

function checkRdsPublic(ctx: TfContext): void {
  for (const r of ctx.resources(['aws_db_instance', 'aws_rds_cluster_instance'], { modules: true })) {
    const a = attr(r.block, 'publicly_accessible')
    if (a && isTrue(a)) {
      ctx.report(rdsPublic, a.line, `${label(r)} is publicly accessible`, {
        suggestion: ctx.lines[a.line - 1]?.replace(/=\s*"?true"?/, '= false')
      })
    }
  }
}

const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read'])

function checkS3Public(ctx: TfContext): void {
  for (const r of ctx.resources(['aws_s3_bucket', 'aws_s3_bucket_acl'], { modules: true })) {
    const a = attr(r.block, 'acl')
    const acl = stringValue(a?.value)
    if (a && acl && PUBLIC_ACLS.has(acl)) ctx.report(s3PublicAcl, a.line, `${label(r)} uses the \`${acl}\` canned ACL`)
  }
  const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']
  for (const r of ctx.resources(['aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block', 'aws_s3_bucket'], { modules: true })) {
    if (r.type === 'aws_s3_bucket' && !r.viaModule) continue
    for (const f of flags) {
      const a = attr(r.block, f)
      if (a && isFalse(a)) ctx.report(s3PublicBlockOff, a.line, `${label(r)} sets \`${f} = false\``, { suggestion: ctx.lines[a.line - 1]?.replace(/=\s*"?false"?/, '= true') })
    }
  }
}

function checkPublicPolicies(ctx: TfContext): void {
  const types = ['aws_ecr_repository_policy', 'aws_s3_bucket_policy', 'aws_sqs_queue_policy', 'aws_sns_topic_policy', 'aws_ecrpublic_repository_policy']
  for (const r of ctx.resources(types)) {
    if (r.type === 'aws_ecrpublic_repository_policy') continue
    const a = attr(r.block, 'policy')
    if (!a) continue
    for (const s of statementsOf(a)) {
      if (s.effect === 'Allow' && !s.hasCondition && s.principals.some(isAnyone)) {
        ctx.report(publicPolicy, s.principalLine, `${label(r)} allows any principal without a condition`)
      }
    }
  }
}

// ── IAM ──────────────────────────────────────────────────────────────────────────────────────

const isAdmin = (s: PolicyStatement): boolean =>
  s.effect === 'Allow' && !s.notActions && s.actions.some((a) => a === '*' || a === '*:*') && s.resources.includes('*')

function checkIamWildcards(ctx: TfContext): void {
  const withPolicy = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy']
  for (const r of ctx.resources(withPolicy)) {
    const a = attr(r.block, 'policy')
    if (!a) continue
    for (const s of statementsOf(a).filter(isAdmin)) ctx.report(iamWildcard, s.actionLine, `${label(r)} allows \`*\` actions on \`*\` resources`)
  }
  for (const r of ctx.resources('aws_iam_role')) {
    for (const inline of blocksOf(r.block, 'inline_policy')) {
      const a = attr(inline, 'policy')
      if (!a) continue
      for (const s of statementsOf(a).filter(isAdmin)) ctx.report(iamWildcard, s.actionLine, `inline policy of ${label(r)} allows \`*\` actions on \`*\` resources`)
    }
  }
  for (const d of ctx.dataSources('aws_iam_policy_document')) {
    for (const s of documentStatements(d.block).filter(isAdmin)) {
      ctx.report(iamWildcard, s.actionLine, `policy document \`${d.name}\` allows \`*\` actions on \`*\` resources`)
    }
  }
}

const ACCOUNT_ROOT = /^AWS:(arn:aws[\w-]*:iam::(\d*:)?root|\d{12})$/

function checkTrustPolicies(ctx: TfContext): void {
  for (const r of ctx.resources('aws_iam_role')) {
    const a = attr(r.block, 'assume_role_policy')
    if (!a) continue
    for (const s of statementsOf(a)) {
      if (s.effect !== 'Allow' || s.hasCondition) continue
      if (s.principals.some(isAnyone)) ctx.report(trustAll, s.principalLine, `${label(r)} can be assumed by any principal`)
      else if (s.principals.some((p) => ACCOUNT_ROOT.test(p))) ctx.report(trustAll, s.principalLine, `${label(r)} can be assumed by any principal of an account (root principal, no condition)`)
    }
  }
}

// ── EC2 ──────────────────────────────────────────────────────────────────────────────────────

function checkEc2PublicIp(ctx: TfContext): void {
  for (const r of ctx.resources('aws_instance', { modules: true })) {
    const a = attr(r.block, 'associate_public_ip_address')
    if (a) {
      if (isTrue(a)) ctx.report(ec2PublicIp, a.line, `${label(r)} is given a public IP address`, { suggestion: ctx.lines[a.line - 1]?.replace(/=\s*"?true"?/, '= false') })
      continue
    }
    // An attached network interface decides addressing itself.
    if (blocksOf(r.block, 'network_interface').length > 0) continue
    ctx.report(ec2PublicIpUnset, r.block.line, `${label(r)} does not set \`associate_public_ip_address\`; it gets a public IP if the subnet assigns one`)
  }
  for (const r of ctx.resources('aws_launch_template')) {
    for (const ni of blocksOf(r.block, 'network_interfaces')) {
      const a = attr(ni, 'associate_public_ip_address')
      if (a && isTrue(a)) ctx.report(ec2PublicIp, a.line, `${label(r)} gives its instances a public IP address`)
    }
  }
}

// ── Encryption ───────────────────────────────────────────────────────────────────────────────

const ENCRYPTION_FLAGS: Record<string, string> = {
  aws_db_instance: 'storage_encrypted',
  aws_rds_cluster: 'storage_encrypted',
  aws_ebs_volume: 'encrypted',
  aws_efs_file_system: 'encrypted',
  aws_redshift_cluster: 'encrypted',
  aws_elasticache_replication_group: 'at_rest_encryption_enabled',
  aws_docdb_cluster: 'storage_encrypted',
  aws_neptune_cluster: 'storage_encrypted'
}

function checkEncryption(ctx: TfContext): void {
  const report = (a: HclAttribute | undefined, what: string): void => {
    if (a && isFalse(a)) ctx.report(unencrypted, a.line, `${what} disables encryption at rest (\`${a.name} = false\`)`, { suggestion: ctx.lines[a.line - 1]?.replace(/=\s*"?false"?/, '= true') })
  }
  for (const r of ctx.resources(Object.keys(ENCRYPTION_FLAGS), { modules: true })) report(attr(r.block, ENCRYPTION_FLAGS[r.type]!), label(r))
  for (const r of ctx.resources(['aws_instance'], { modules: true })) {
    for (const dev of [...blocksOf(r.block, 'root_block_device'), ...blocksOf(r.block, 'ebs_block_device')]) report(attr(dev, 'encrypted'), `a volume of ${label(r)}`)
  }
  for (const r of ctx.resources(['aws_launch_template'])) {
    for (const m of blocksOf(r.block, 'block_device_mappings')) {
      const ebs = sub(m, 'ebs')
      if (ebs) report(attr(ebs, 'encrypted'), `a volume of ${label(r)}`)
    }
  }
}

export const awsSecurityChecks: TfCheck[] = [
  { rules: [sgOpenSsh, sgOpenRdp, sgOpenAll], check: checkSecurityGroups },
  { rules: [rdsPublic], check: checkRdsPublic },
  { rules: [s3PublicAcl, s3PublicBlockOff], check: checkS3Public },
  { rules: [publicPolicy], check: checkPublicPolicies },
  { rules: [iamWildcard], check: checkIamWildcards },
  { rules: [trustAll], check: checkTrustPolicies },
  { rules: [ec2PublicIp, ec2PublicIpUnset], check: checkEc2PublicIp },
  { rules: [unencrypted], check: checkEncryption }
]
