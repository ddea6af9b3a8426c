/** AWS exposure rules: network reachability, public data, IAM breadth, encryption switched off. */
import type { RuleMeta } from '../../types.js'
import { defineRule } from '../rule.js'
import { blocksOf, isExpr, isObject, lineOfKey, numberValue, stringValue, type HclAttribute, type HclBlock, type HclValue } from '../parse/hcl.js'
import { describePorts, isOpenCidr, judgePorts } from './ports.js'
import { blockMentions, GROUP_RULE_TYPES, openIngressReach } from './guarded.js'
import { groupAdmits, groupNames, INGRESS_SHAPES, internetCidr } from './ingress-sources.js'
import { SG_MODULE_SERVICES, SG_MODULE_SOURCE, VPC_MODULE } from './registry-modules.js'
import { attr, dynamicBlock, isFalse, isTrue, label, referenceText, refersTo, stringList, sub, writtenName, type TfCheck, type TfContext, type TfResource } from './context.js'
import { documentStatements, isAnyone, statementsOf, type PolicyStatement } from './policy.js'
import { lookupTable } from '../../util/lookup-table.js'
import { once } from '../../util/once.js'

const sgOpenSsh = defineRule('terraform', {
  id: 'tf/aws-sg-open-ssh',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Security group opens SSH to the internet',
  description: 'An ingress rule allows port 22 from 0.0.0.0/0 or ::/0, exposing SSH to brute force and exploits.',
  remediation: 'Restrict the source to known CIDRs (a bastion, VPN or office range) or use SSM Session Manager instead of SSH.',
  refs: { checkov: 'CKV_AWS_24', kics: 'terraform/aws/security_group_with_unrestricted_access_to_ssh', tfsec: ['aws-ec2-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sg'], trivy: 'AVD-AWS-0107' }
})
const sgOpenRdp = defineRule('terraform', {
  id: 'tf/aws-sg-open-rdp',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Security group opens RDP to the internet',
  description: 'An ingress rule allows port 3389 from 0.0.0.0/0 or ::/0.',
  remediation: 'Restrict the source to known CIDRs or reach the hosts through a bastion or VPN.',
  refs: { checkov: 'CKV_AWS_25', tfsec: ['aws-ec2-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sg'], trivy: 'AVD-AWS-0107' }
})
const sgOpenAll = defineRule('terraform', {
  id: 'tf/aws-sg-open-all-ports',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Security group opens all ports to the internet',
  description: 'An ingress rule allows every port (protocol -1 or 0-65535) from 0.0.0.0/0 or ::/0. What the group guards, as the module shows it, lowers it: low when it is attached only to Lambda functions (`vpc_config`: no listener behind it), medium when only to data stores with no public endpoint (DocumentDB, Neptune, ElastiCache, MemoryDB, EFS, RDS proxies, RDS with `publicly_accessible` false or unset: reachable only from the VPC and its peers).',
  remediation: 'Open only the ports the service needs, from the narrowest source range.',
  refs: { checkov: 'CKV_AWS_277', tfsec: ['aws-ec2-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sg'], trivy: 'AVD-AWS-0107' }
})
const rdsPublic = defineRule('terraform', {
  id: 'tf/aws-rds-public',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'RDS instance publicly accessible',
  description: '`publicly_accessible = true` gives the database a public endpoint. Medium when every security group guarding it (`vpc_security_group_ids`, a cluster instance\'s from its cluster) is in the module and admits only private ranges (RFC 1918, RFC 6598, IPv6 unique local), the VPC\'s own range or other groups: nothing on the internet can connect, one layer of defence is gone. A group not in view or exported by an `output` (callers may add rules), none given (the default group), a prefix list, a variable (whatever its default: a caller or a tfvars may set another) or a source not known to be private keeps it high.',
  remediation: 'Set `publicly_accessible = false` and reach the database from inside the VPC.',
  refs: { checkov: 'CKV_AWS_17', kics: 'terraform/aws/rds_db_instance_publicly_accessible', tfsec: 'aws-rds-no-public-db-access', trivy: 'AVD-AWS-0082' }
})
const s3PublicAcl = defineRule('terraform', {
  id: 'tf/aws-s3-public-acl',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'S3 bucket with a public canned ACL',
  description: 'A `public-read`, `public-read-write` or `authenticated-read` ACL lets anyone (or any AWS account) read or write the bucket.',
  remediation: 'Use `acl = "private"` (or no ACL with object ownership enforced) and serve public content through CloudFront.',
  refs: { checkov: ['CKV_AWS_20', 'CKV_AWS_57'], kics: 'terraform/aws/s3_bucket_acl_allows_read_or_write_to_all_users', tfsec: 'aws-s3-no-public-access-with-acl', trivy: 'AVD-AWS-0092' }
})
const s3PublicBlockOff = defineRule('terraform', {
  id: 'tf/aws-s3-public-access-block-disabled',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'medium',
  title: 'S3 public access block switched off',
  description: 'A public access block sets one of its four protections to `false`, so public ACLs or policies can take effect.',
  remediation: 'Set `block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` to `true`.',
  refs: {
    checkov: ['CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'],
    tfsec: ['aws-s3-block-public-acls', 'aws-s3-block-public-policy', 'aws-s3-ignore-public-acls', 'aws-s3-no-public-buckets'],
    trivy: ['AVD-AWS-0086', 'AVD-AWS-0087', 'AVD-AWS-0091', 'AVD-AWS-0093']
  }
})
const publicPolicy = defineRule('terraform', {
  id: 'tf/aws-public-resource-policy',
  category: 'security',
  topics: ['network-exposure', 'least-privilege'],
  severity: 'high',
  title: 'Resource policy open to everyone',
  description: 'An ECR, S3, SQS or SNS resource policy allows principal `*` without a condition.',
  remediation: 'Name the accounts or roles that need access, or add a condition (source account, organization id).',
  refs: { checkov: 'CKV_AWS_32', kics: 'terraform/aws/ecr_repository_is_publicly_accessible', tfsec: 'aws-ecr-no-public-access', trivy: 'AVD-AWS-0032' }
})
const iamWildcard = defineRule('terraform', {
  id: 'tf/aws-iam-wildcard-policy',
  category: 'security',
  topics: ['least-privilege'],
  severity: 'high',
  title: 'IAM policy allows every action on every resource',
  description: 'A statement allows `"*"` actions on `"*"` resources: full administrator rights.',
  remediation: 'List the actions and resource ARNs the principal needs (least privilege).',
  refs: { checkov: ['CKV_AWS_62', 'CKV_AWS_1'], kics: 'terraform/aws/iam_policies_with_full_privileges', tfsec: 'aws-iam-no-policy-wildcards', trivy: 'AVD-AWS-0057' }
})
const trustAll = defineRule('terraform', {
  id: 'tf/aws-iam-role-trust-all',
  category: 'security',
  topics: ['least-privilege'],
  severity: 'high',
  title: 'IAM role assumable by any principal',
  description: 'The trust policy allows `*`, or a whole account root, to assume the role without a condition.',
  remediation: 'Name the exact role, user or service that may assume the role, or add a condition such as `sts:ExternalId`.',
  refs: { checkov: ['CKV_AWS_60', 'CKV_AWS_61'], kics: 'terraform/aws/iam_role_allows_all_principals_to_assume' }
})
const ec2PublicIp = defineRule('terraform', {
  id: 'tf/aws-ec2-public-ip',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'medium',
  title: 'EC2 instance gets a public IP',
  description: '`associate_public_ip_address = true` puts the instance directly on the internet.',
  remediation: 'Set `associate_public_ip_address = false` and expose the service through a load balancer.',
  refs: { checkov: 'CKV_AWS_88', kics: 'terraform/aws/ec2_instance_has_public_ip', tfsec: 'aws-ec2-no-public-ip', trivy: 'AVD-AWS-0009' }
})
const ec2PublicIpUnset = defineRule('terraform', {
  id: 'tf/aws-ec2-public-ip-unset',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'low',
  title: 'EC2 instance public IP left to the subnet default',
  description: 'Without `associate_public_ip_address` the instance gets a public IP whenever its subnet maps public IPs on launch. An instance in a subnet its module shows never does (a non-public subnet of a terraform-aws-modules/vpc call, an `aws_subnet` without `map_public_ip_on_launch = true`) is not reported.',
  remediation: 'Set `associate_public_ip_address = false` explicitly (or attach a network interface in a private subnet).',
  refs: { kics: 'terraform/aws/ec2_instance_has_public_ip' }
})
const unencrypted = defineRule('terraform', {
  id: 'tf/aws-storage-unencrypted',
  category: 'security',
  topics: ['encryption'],
  severity: 'high',
  title: 'Storage encryption switched off',
  description: 'Encryption at rest is explicitly disabled on a database, volume, file system or cache. EBS volumes are not reported when the module switches on `aws_ebs_encryption_by_default`, which encrypts them all.',
  remediation: 'Set the encryption attribute to `true` (and a KMS key where required); changing it on an existing resource replaces it.',
  refs: {
    checkov: ['CKV_AWS_16', 'CKV_AWS_3', 'CKV_AWS_42', 'CKV_AWS_29', 'CKV_AWS_64', 'CKV_AWS_8', 'CKV_AWS_74', 'CKV_AWS_44'],
    tfsec: ['aws-rds-encrypt-instance-storage-data', 'aws-ebs-enable-volume-encryption', 'aws-efs-enable-at-rest-encryption', 'aws-elasticache-enable-at-rest-encryption'],
    trivy: ['AVD-AWS-0080', 'AVD-AWS-0026', 'AVD-AWS-0037', 'AVD-AWS-0045']
  }
})

const sgOpenDataPort = defineRule('terraform', {
  id: 'tf/aws-sg-open-data-port',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Security group opens a database, cache or control-plane port to the internet',
  description: 'An ingress rule allows a port of a data store, cache, search engine, queue or control plane (MySQL 3306, PostgreSQL 5432, Redis 6379, Elasticsearch 9200, Docker 2375, …) from 0.0.0.0/0 or ::/0. What the group guards, as the module shows it, lowers it: low when it is attached only to Lambda functions (`vpc_config`: no listener behind it), medium when only to data stores with no public endpoint (DocumentDB, Neptune, ElastiCache, MemoryDB, EFS, RDS proxies, RDS with `publicly_accessible` false or unset: reachable only from the VPC and its peers), and low when the stores it guards listen on other ports (their `port`, else the engine\'s default).',
  remediation: 'Allow the port only from the security groups of the clients (or a private CIDR); reach the service through the VPC, a VPN or a bastion.',
  refs: {
    kics: 'terraform/aws/sensitive_port_is_exposed_to_entire_network',
    tfsec: ['aws-ec2-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sg'],
    trivy: 'AVD-AWS-0107'
  }
})
const sgOpenPort = defineRule('terraform', {
  id: 'tf/aws-sg-open-port',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'medium',
  title: 'Security group opens a non-web port to the internet',
  description: 'An ingress rule allows a port other than 80/443 from 0.0.0.0/0 or ::/0; services other than public web endpoints rarely need the whole internet as a client.',
  remediation: 'Restrict the source to the CIDRs or security groups that need the port, or put the service behind a load balancer on 443.',
  refs: { tfsec: ['aws-ec2-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sg'], trivy: 'AVD-AWS-0107' }
})
const iamServiceWildcard = defineRule('terraform', {
  id: 'tf/aws-iam-service-wildcard',
  category: 'security',
  topics: ['least-privilege'],
  severity: 'medium',
  title: 'IAM policy allows every action of a service on every resource',
  description: 'A statement allows a service wildcard (`s3:*`, `iot:*`, `iam:*`) on `"*"`: every present and future action of the service, on every resource of the account.',
  remediation: 'List the actions the principal needs and scope `Resource` to the ARNs it works on.',
  refs: { checkov: ['CKV_AWS_355', 'CKV_AWS_290'], kics: 'terraform/aws/iam_policies_with_full_privileges', tfsec: 'aws-iam-no-policy-wildcards', trivy: 'AVD-AWS-0057' }
})
const secretNoRotation = defineRule('terraform', {
  id: 'tf/aws-secret-no-rotation',
  category: 'secrets',
  topics: ['secret-storage'],
  severity: 'low',
  title: 'Secrets Manager secret without rotation',
  description: 'Hardening: a secret that no `aws_secretsmanager_secret_rotation` of its module rotates keeps its value until someone changes it by hand, so a leaked copy stays valid. Secrets that cannot be rotated (a third-party key) can be suppressed with a reason.',
  remediation: 'Add an `aws_secretsmanager_secret_rotation` with a rotation function (AWS provides them for RDS, Redshift and DocumentDB credentials), e.g. `rotation_rules { automatically_after_days = 30 }`.',
  refs: { checkov: 'CKV2_AWS_57' }
})
const imdsV1 = defineRule('terraform', {
  id: 'tf/aws-imdsv1-allowed',
  category: 'security',
  topics: ['secret-exposure'],
  severity: 'medium',
  title: 'Instance metadata reachable without a token (IMDSv1)',
  description: 'Without `metadata_options { http_tokens = "required" }` the instance answers IMDSv1 requests, so a server-side request forgery in any app on it can read the instance role\'s credentials. Not reported where the AMI itself requires tokens (registered `ImdsSupport: v2.0`): an Amazon Linux 2023 or Bottlerocket AMI looked up in the module (an `aws_ssm_parameter` under `/aws/service/ami-amazon-linux-latest/al2023-ami-` or `/aws/service/bottlerocket/`, an `aws_ami` limited to Amazon\'s images (`owners`) whose `name` filter allows only `al2023-ami-*` or `bottlerocket-*`, or whose `name_regex` starts `^al2023-ami-` or `^bottlerocket-` and has no `|`), or a launch template naming no AMI whose only users are EKS node groups on those AMI types. An explicit `http_tokens = "optional"` is always reported.',
  remediation: 'Add `metadata_options { http_tokens = "required" }` (check that the agents on the instance use an SDK that supports IMDSv2).',
  refs: { checkov: 'CKV_AWS_79', tfsec: ['aws-ec2-enforce-http-token-imds', 'aws-ec2-enforce-launch-config-http-token-imds'], trivy: ['AVD-AWS-0028', 'AVD-AWS-0130'] }
})
const eksPublicEndpoint = defineRule('terraform', {
  id: 'tf/aws-eks-public-endpoint',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'medium',
  title: 'EKS API endpoint reachable from the whole internet',
  description: 'The cluster\'s Kubernetes API endpoint is public (the EKS default) and `public_access_cidrs` does not narrow it, so anyone can reach the API server and try credentials or exploits against it.',
  remediation: 'Set `endpoint_public_access = false` (with `endpoint_private_access = true`), or limit `public_access_cidrs` to the ranges that run kubectl and CI.',
  refs: {
    checkov: ['CKV_AWS_39', 'CKV_AWS_38'],
    kics: 'terraform/aws/eks_cluster_has_public_access',
    tfsec: ['aws-eks-no-public-cluster-access', 'aws-eks-no-public-cluster-access-to-cidr'],
    trivy: ['AVD-AWS-0040', 'AVD-AWS-0041']
  }
})

// ── Security groups ──────────────────────────────────────────────────────────────────────────

/** `udp` when the rule admits only UDP: SSH is TCP, so UDP 22 is not an SSH exposure. */
type Exposure = { all: true } | { all: false; from: number; to: number; udp?: boolean } | undefined

function exposure(protocol: HclValue | undefined, fromPort: HclValue | undefined, toPort: HclValue | undefined): Exposure {
  const p = protocol === undefined ? 'tcp' : String(protocol).toLowerCase()
  if (p === '-1' || p === 'all') return { all: true }
  if (!['tcp', 'udp', '6', '17'].includes(p)) return undefined
  const from = numberValue(fromPort)
  const to = numberValue(toPort) ?? from
  if (from === undefined || to === undefined) return undefined
  if ((from <= 0 || from === -1) && to >= 65535) return { all: true }
  return p === 'udp' || p === '17' ? { all: false, from, to, udp: true } : { all: false, from, to }
}

/**
 * Reports what an internet-open ingress rule exposes. `group` names the `aws_security_group` the
 * rule belongs to, when known: what it guards may lower a data-port or all-ports finding.
 */
function reportIngress(ctx: TfContext, who: string, exp: Exposure, cidrAttr: HclAttribute, cidr: string, lb?: string, group?: string): void {
  if (!exp) return
  const reached = (meta: RuleMeta, message: string, range?: { from: number; to: number }): void => {
    const reach = openIngressReach(ctx, group, range)
    ctx.report(meta, cidrAttr.line, reach ? `${message} (${reach.why})` : message, reach ? { severity: reach.severity } : undefined)
  }
  // A load balancer answers only on its listeners: a rule wider than them is sloppy, not an open service.
  if (lb) {
    const wide = exp.all || exp.from <= 22 && 22 <= exp.to || exp.from <= 3389 && 3389 <= exp.to || judgePorts(exp.from, exp.to) !== undefined
    const what = exp.all ? 'all ports' : exp.from === exp.to ? `port ${exp.from}` : `ports ${exp.from}-${exp.to}`
    if (wide) ctx.report(sgOpenPort, cidrAttr.line, `${who} allows ${what} from ${cidr} (${lb}: only its listener ports are reachable, but the rule admits far more than they need)`)
    return
  }
  if (exp.all) {
    reached(sgOpenAll, `${who} allows all ports from ${cidr}`)
    return
  }
  if (exp.from <= 22 && 22 <= exp.to && !exp.udp) ctx.report(sgOpenSsh, cidrAttr.line, `${who} allows SSH (port 22) from ${cidr}`)
  if (exp.from <= 3389 && 3389 <= exp.to) ctx.report(sgOpenRdp, cidrAttr.line, `${who} allows RDP (port 3389) from ${cidr}`)
  const verdict = judgePorts(exp.from, exp.to)
  if (verdict?.kind === 'data') reached(sgOpenDataPort, `${who} allows ${describePorts(verdict)} from ${cidr}`, { from: exp.from, to: exp.to })
  else if (verdict) ctx.report(sgOpenPort, cidrAttr.line, `${who} allows ${describePorts(verdict)} from ${cidr}`)
}

const LB_TYPES = new Set(['aws_lb', 'aws_alb', 'aws_elb'])
const words = (text: string): string[] =>
  text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
const looksLikeLoadBalancer = (text: string): boolean => {
  const w = words(text)
  return w.some((x) => ['alb', 'elb', 'nlb', 'lb', 'loadbalancer'].includes(x)) || w.join(' ').includes('load balancer')
}

/**
 * The load balancer a security group belongs to: the only things in the module attaching it are
 * load balancers (resources or the registry ALB/ELB modules), or, when nothing attaches it, its
 * name or description says so. Such a group exposes only the listener ports.
 */
function loadBalancerGroup(ctx: TfContext, groupName: string | undefined): string | undefined {
  if (groupName === undefined) return undefined
  const group = ctx.projectResources('aws_security_group').find((g) => g.name === groupName)
  if (!group) return undefined
  const users = ctx.projectResources('*').filter((u) => !GROUP_RULE_TYPES.has(u.type) && blockMentions(u.block, 'aws_security_group', groupName))
  const calls = ctx.projectModules().filter((m) => blockMentions(m, 'aws_security_group', groupName))
  const lbCall = (m: HclBlock): boolean => /^terraform-aws-modules\/(alb|elb)\/aws$/.test(stringValue(attr(m, 'source')?.value) ?? '')
  if (users.length || calls.length) {
    const ok = users.every((u) => LB_TYPES.has(u.type)) && calls.every(lbCall)
    const first = users[0] ? `\`${users[0].type}.${users[0].name}\`` : `module \`${calls[0]!.labels[0] ?? ''}\``
    return ok ? `the security group of load balancer ${first}` : undefined
  }
  const named = [groupName, stringValue(attr(group.block, 'name')?.value) ?? '', stringValue(attr(group.block, 'description')?.value) ?? '']
  return named.some(looksLikeLoadBalancer) ? "by its name, a load balancer's security group" : undefined
}

/** The `aws_security_group` a rule resource attaches to (`security_group_id = aws_security_group.x.id`). */
function targetGroup(b: HclBlock): string | undefined {
  const v = attr(b, 'security_group_id')?.value
  return isExpr(v) ? /(?:^|[^\w.])aws_security_group\.([\w-]+)/.exec(v.expr)?.[1] : undefined
}

function checkSecurityGroups(ctx: TfContext): void {
  for (const sg of ctx.resources('aws_security_group', { modules: true })) {
    // What a group guards is read only for an ingress open to the internet, which most groups do not have.
    const lb = once(() => (sg.viaModule ? undefined : loadBalancerGroup(ctx, sg.name)))
    for (const rule of blocksOf(sg.block, 'ingress')) {
      const exp = exposure(attr(rule, 'protocol')?.value, attr(rule, 'from_port')?.value, attr(rule, 'to_port')?.value)
      for (const name of INGRESS_SHAPES.inline.cidrs) {
        const a = attr(rule, name)
        const cidr = internetCidr(a)
        if (a && cidr) reportIngress(ctx, label(sg), exp, a, cidr, lb(), sg.viaModule ? undefined : sg.name)
      }
    }
  }
  for (const r of ctx.resources('aws_security_group_rule')) {
    if (stringValue(attr(r.block, 'type')?.value) !== 'ingress') continue
    const exp = exposure(attr(r.block, 'protocol')?.value, attr(r.block, 'from_port')?.value, attr(r.block, 'to_port')?.value)
    const group = targetGroup(r.block)
    const lb = once(() => loadBalancerGroup(ctx, group))
    for (const name of INGRESS_SHAPES.rule.cidrs) {
      const a = attr(r.block, name)
      const cidr = internetCidr(a)
      if (a && cidr) reportIngress(ctx, label(r), exp, a, cidr, lb(), group)
    }
  }
  for (const m of ctx.topBlocks('module')) checkSecurityGroupModule(ctx, m)
  for (const r of ctx.resources('aws_vpc_security_group_ingress_rule')) {
    const exp = exposure(attr(r.block, 'ip_protocol')?.value, attr(r.block, 'from_port')?.value, attr(r.block, 'to_port')?.value)
    const group = targetGroup(r.block)
    const lb = once(() => loadBalancerGroup(ctx, group))
    for (const name of INGRESS_SHAPES.vpcRule.cidrs) {
      const a = attr(r.block, name)
      const cidr = internetCidr(a)
      if (a && cidr) reportIngress(ctx, label(r), exp, a, cidr, lb(), group)
    }
  }
}

/** A named rule of the security-group module (`ssh-tcp`, `postgresql-tcp`, `all-all`) as an exposure. */
function namedRuleExposure(name: string): Exposure {
  if (/^all-(all|tcp|udp)$/.test(name)) return { all: true }
  const numbered = /-(\d+)-(tcp|udp)$/.exec(name)
  if (numbered) return { all: false, from: Number(numbered[1]), to: Number(numbered[1]) }
  const service = /^([a-z]+)/.exec(name)?.[1]
  const port = service !== undefined ? SG_MODULE_SERVICES[service] : undefined
  return port !== undefined ? { all: false, from: port, to: port } : undefined
}

/**
 * terraform-aws-modules/security-group: `ingress_cidr_blocks` with `ingress_rules` (named rules),
 * `ingress_with_cidr_blocks` (objects with ports and `cidr_blocks` as one comma-separated string),
 * and the per-service submodules (`//modules/ssh` opens 22 to `ingress_cidr_blocks`).
 */
function checkSecurityGroupModule(ctx: TfContext, m: HclBlock): void {
  const match = SG_MODULE_SOURCE.exec(stringValue(attr(m, 'source')?.value) ?? '')
  if (!match) return
  const who = `module \`${m.labels[0] ?? ''}\``
  for (const [cidrName, rulesName] of [['ingress_cidr_blocks', 'ingress_rules'], ['ingress_ipv6_cidr_blocks', 'ingress_rules']] as const) {
    const cidrs = attr(m, cidrName)
    const cidr = internetCidr(cidrs)
    if (!cidrs || !cidr) continue
    const named = stringList(attr(m, rulesName)?.value)
    // A per-service submodule always adds its own rule (`//modules/ssh` → `ssh-tcp`) to the named ones.
    const submodule = match[3]
    const auto = submodule !== undefined ? [`${submodule}-tcp`] : []
    for (const name of new Set([...named, ...auto])) reportIngress(ctx, who, namedRuleExposure(name), cidrs, cidr)
  }
  // `ingress_with_ipv6_cidr_blocks` items carry `ipv6_cidr_blocks`; either key is read in both lists.
  for (const listName of ['ingress_with_cidr_blocks', 'ingress_with_ipv6_cidr_blocks']) {
    const withCidrs = attr(m, listName)
    if (!withCidrs || !Array.isArray(withCidrs.value)) continue
    const items = withCidrs.value
    items.forEach((item, i) => {
      if (!isObject(item)) return
      for (const key of ['cidr_blocks', 'ipv6_cidr_blocks']) {
        const value = item[key]
        const blocks = typeof value === 'string' ? value.split(',').map((c) => c.trim()) : stringList(value)
        const cidr = blocks.find(isOpenCidr)
        if (!cidr) continue
        const exp = typeof item.rule === 'string' ? namedRuleExposure(item.rule) : exposure(item.protocol, item.from_port, item.to_port)
        const line = lineOfKey(item, key) ?? lineOfKey(items, i) ?? withCidrs.line
        reportIngress(ctx, who, exp, { ...withCidrs, line }, cidr)
      }
    })
  }
}

// ── Public data ──────────────────────────────────────────────────────────────────────────────

/** `aws_rds_cluster.NAME.id` (or `.cluster_identifier`): the cluster a cluster instance belongs to. */
const CLUSTER_REF = /^aws_rds_cluster\.([A-Za-z_][\w-]*)\.(?:id|cluster_identifier)$/

/**
 * The security groups guarding a database, by name, when every one is an `aws_security_group`
 * of the module: the instance's `vpc_security_group_ids`, or for a cluster instance its
 * cluster's. Undefined when one is not visible here or none is given (the VPC's default group).
 */
function databaseGroups(ctx: TfContext, r: TfResource): string[] | undefined {
  if (r.type !== 'aws_rds_cluster_instance') return groupNames(attr(r.block, 'vpc_security_group_ids')?.value)
  const id = referenceText(attr(r.block, 'cluster_identifier')?.value)
  const name = id !== undefined ? CLUSTER_REF.exec(id)?.[1] : undefined
  const cluster = name !== undefined ? ctx.projectResources('aws_rds_cluster').find((c) => c.name === name) : undefined
  return cluster ? groupNames(attr(cluster.block, 'vpc_security_group_ids')?.value) : undefined
}

/**
 * A public endpoint is an exposure only as far as the security groups let clients in: when every
 * group guarding the database is in view and admits only private ranges, the VPC or other groups,
 * nothing on the internet can connect until a rule changes (medium); otherwise high.
 */
function checkRdsPublic(ctx: TfContext): void {
  for (const r of ctx.resources(['aws_db_instance', 'aws_rds_cluster_instance'], { modules: true })) {
    const a = attr(r.block, 'publicly_accessible')
    if (!a || !isTrue(a)) continue
    const suggestion = ctx.lines[a.line - 1]?.replace(/=\s*"?true"?/, '= false')
    const groups = databaseGroups(ctx, r)
    if (groups && groups.every((g) => groupAdmits(ctx, g) === 'private')) {
      const named = [...new Set(groups)].map((g) => `\`aws_security_group.${g}\``)
      const whose = named.length > 1 ? `its security groups ${named.join(', ')} admit` : `its security group ${named[0]} admits`
      ctx.report(rdsPublic, a.line, `${label(r)} is publicly accessible: it has a public endpoint, but ${whose} only private ranges, the VPC or other groups, so nothing on the internet can connect while the rules stay so`, { suggestion, severity: 'medium' })
    } else {
      ctx.report(rdsPublic, a.line, `${label(r)} is publicly accessible`, { suggestion })
    }
  }
}

const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read'])
/** What a canned ACL on the bucket itself grants (a website needs none of it: GetObject comes from a bucket policy). */
const CANNED_ACL_REACH = lookupTable<string>({
  'public-read': 'anyone can list every object key in the bucket',
  'public-read-write': 'anyone can list the bucket and write objects into it',
  'authenticated-read': 'any AWS account can list every object key in the bucket'
})

function checkS3Public(ctx: TfContext): void {
  for (const r of ctx.resources(['aws_s3_bucket', 'aws_s3_bucket_acl'], { modules: true })) {
    const a = attr(r.block, 'acl')
    const acl = stringValue(a?.value)
    if (a && acl && PUBLIC_ACLS.has(acl)) ctx.report(s3PublicAcl, a.line, `${label(r)} uses the \`${acl}\` canned ACL, so ${CANNED_ACL_REACH[acl]}`)
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

/** `s3:*`, `iot:*` (a whole service) on `*` resources, in an Allow statement that is not already full admin. */
const serviceWildcards = (s: PolicyStatement): string[] =>
  s.effect === 'Allow' && !s.notActions && s.resources.includes('*') && !isAdmin(s) ? s.actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a)) : []

function reportStatements(ctx: TfContext, statements: PolicyStatement[], who: string): void {
  for (const s of statements) {
    // A statement with a Principal belongs to a resource policy (a key or bucket policy), where
    // `Resource: "*"` means the resource itself, not every resource of the account.
    if (s.principals.length > 0) continue
    if (isAdmin(s)) {
      ctx.report(iamWildcard, s.actionLine, `${who} allows \`*\` actions on \`*\` resources`)
      continue
    }
    const wild = serviceWildcards(s)
    if (wild.length) {
      const escalation = wild.some((a) => /^(iam|sts|organizations):\*$/i.test(a)) ? ' (with IAM rights this lets the principal grant itself anything)' : ''
      ctx.report(iamServiceWildcard, s.actionLine, `${who} allows ${wild.map((a) => `\`${a}\``).join(', ')} on \`*\` resources${escalation}`)
    }
  }
}

function checkIamWildcards(ctx: TfContext): void {
  const withPolicy = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy']
  for (const r of ctx.resources(withPolicy)) {
    const a = attr(r.block, 'policy')
    if (a) reportStatements(ctx, statementsOf(a), label(r))
  }
  for (const r of ctx.resources('aws_iam_role')) {
    for (const inline of blocksOf(r.block, 'inline_policy')) {
      const a = attr(inline, 'policy')
      if (a) reportStatements(ctx, statementsOf(a), `inline policy of ${label(r)}`)
    }
  }
  for (const d of ctx.dataSources('aws_iam_policy_document')) reportStatements(ctx, documentStatements(d.block), `policy document \`${d.name}\``)
  // A policy written in `locals` (a heredoc or jsonencode) and handed to a module or resource elsewhere.
  for (const locals of ctx.topBlocks('locals')) {
    for (const a of Object.values(locals.attributes)) reportStatements(ctx, statementsOf(a), `the policy in \`local.${a.name}\``)
  }
}

// ── Secret rotation ──────────────────────────────────────────────────────────────────────────

/**
 * Secrets Manager secrets that no rotation resource of the module names. A rotation whose
 * `secret_id` is not a reference to a secret resource (a variable, a data source) may rotate any
 * of them, and a module call handed the secret may rotate it: then nothing is said.
 */
function checkSecretRotation(ctx: TfContext): void {
  const secrets = ctx.resources('aws_secretsmanager_secret')
  if (secrets.length === 0) return
  const rotated = new Set<string>()
  for (const rotation of ctx.projectResources('aws_secretsmanager_secret_rotation')) {
    const id = attr(rotation.block, 'secret_id')?.value
    const name = isExpr(id) ? /(?:^|[^\w.])aws_secretsmanager_secret\.([\w-]+)/.exec(id.expr)?.[1] : undefined
    if (name === undefined) return
    rotated.add(name)
  }
  for (const secret of secrets) {
    if (rotated.has(secret.name)) continue
    // Older providers rotated inline.
    if (attr(secret.block, 'rotation_lambda_arn') || blocksOf(secret.block, 'rotation_rules').length > 0) continue
    if (ctx.projectModules().some((m) => Object.values(m.attributes).some((a) => refersTo(a.value, 'aws_secretsmanager_secret', secret.name)))) continue
    ctx.report(secretNoRotation, secret.block.line, `hardening: ${label(secret)} has no rotation (no \`aws_secretsmanager_secret_rotation\` for it ${ctx.projectDir !== undefined ? 'in its module' : 'in this file'}), so its value stays valid until changed by hand`)
  }
}

const ACCOUNT_ROOT = /^AWS:(arn:aws[\w-]*:iam::(\d*:)?root|\d{12})$/
/** `arn:aws:iam::*:root` (or any principal of `*` accounts): every AWS account. */
const ANY_ACCOUNT = /^AWS:arn:aws[\w-]*:iam::\*:/
const anyone = (p: string): boolean => isAnyone(p) || ANY_ACCOUNT.test(p)

/** `whom` is "any principal" or "any principal of an account (…)": the message around it differs for a role and a document. */
function reportTrust(ctx: TfContext, statements: PolicyStatement[], message: (whom: string) => string, onlyAssume: boolean): void {
  for (const s of statements) {
    if (s.effect !== 'Allow' || s.hasCondition) continue
    // A document no role of the module uses as its trust policy is one only when it names
    // `sts:AssumeRole*`: `*` to a principal is what bucket and key policies say too.
    if (onlyAssume && !s.actions.some((a) => /^sts:(AssumeRole\w*|\*)$/i.test(a))) continue
    if (s.principals.some(anyone)) ctx.report(trustAll, s.principalLine, message('any principal'))
    else if (s.principals.some((p) => ACCOUNT_ROOT.test(p))) ctx.report(trustAll, s.principalLine, message('any principal of an account (root principal, no condition)'))
  }
}

function checkTrustPolicies(ctx: TfContext): void {
  for (const r of ctx.resources('aws_iam_role')) {
    const a = attr(r.block, 'assume_role_policy')
    if (a) reportTrust(ctx, statementsOf(a), (whom) => `${label(r)} can be assumed by ${whom}`, false)
  }
  // `assume_role_policy = data.aws_iam_policy_document.trust.json`: reported in the document, where the principal is written.
  const trustDocuments = new Set<string>()
  for (const role of ctx.projectResources('aws_iam_role')) {
    const v = attr(role.block, 'assume_role_policy')?.value
    const name = isExpr(v) ? /(?:^|[^\w.])data\.aws_iam_policy_document\.([\w-]+)/.exec(v.expr)?.[1] : undefined
    if (name !== undefined) trustDocuments.add(name)
  }
  for (const d of ctx.dataSources('aws_iam_policy_document')) {
    reportTrust(ctx, documentStatements(d.block), (whom) => `trust policy document \`${d.name}\` lets ${whom} assume the roles that use it`, !trustDocuments.has(d.name))
  }
}

// ── EC2 ──────────────────────────────────────────────────────────────────────────────────────

/** `element(LIST, INDEX)`: the list argument, when the call is that simple. */
const ELEMENT_CALL = /^element\(([^(),]*),[^(),]*\)$/
/** `module.NAME.OUTPUT`, optionally indexed (`[0]`, `[count.index]`). */
const MODULE_OUTPUT_REF = /^module\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)(?:\[[^[\]]*\])?$/
/** `aws_subnet.NAME.id`, `aws_subnet.NAME[0].id`, `aws_subnet.NAME[*].id`, `aws_subnet.NAME.*.id`. */
const SUBNET_ID_REF = /^aws_subnet\.([A-Za-z_][\w-]*)(?:\[[^[\]]*\]|\.\*)?\.id(?:\[[^[\]]*\])?$/

/**
 * True when the instance's `subnet_id` is a subnet of its module known never to map public IPs
 * on launch: a non-public output of a terraform-aws-modules/vpc call, or an `aws_subnet` whose
 * `map_public_ip_on_launch` is false or unset (the AWS default). Anything else may assign one.
 */
function subnetNeverMapsPublicIp(ctx: TfContext, subnet: HclValue | undefined): boolean {
  if (!isExpr(subnet)) return false
  let text = subnet.expr.trim()
  const listArg = ELEMENT_CALL.exec(text)?.[1]
  if (listArg !== undefined) text = listArg.trim()
  const output = MODULE_OUTPUT_REF.exec(text)
  if (output) {
    const [, name, out] = output
    if (!VPC_MODULE.noPublicIpSubnetOutputs.includes(out!)) return false
    return ctx.projectModules().some((m) => m.labels[0] === name && VPC_MODULE.source.test(stringValue(attr(m, 'source')?.value)?.trim() ?? ''))
  }
  const subnetName = SUBNET_ID_REF.exec(text)?.[1]
  if (subnetName === undefined) return false
  const declared = ctx.projectResources('aws_subnet').filter((s) => s.name === subnetName)
  return declared.length === 1 && (attr(declared[0]!.block, 'map_public_ip_on_launch') === undefined || isFalse(attr(declared[0]!.block, 'map_public_ip_on_launch')))
}

function checkEc2PublicIp(ctx: TfContext): void {
  for (const r of ctx.resources('aws_instance', { modules: true })) {
    const a = attr(r.block, 'associate_public_ip_address')
    if (a) {
      if (isTrue(a)) ctx.report(ec2PublicIp, a.line, `${label(r)} is given a public IP address`, { suggestion: ctx.lines[a.line - 1]?.replace(/=\s*"?true"?/, '= false') })
      continue
    }
    // An attached network interface (written out or `dynamic`) decides addressing itself.
    if (blocksOf(r.block, 'network_interface').length > 0 || dynamicBlock(r.block, 'network_interface')) continue
    if (subnetNeverMapsPublicIp(ctx, attr(r.block, 'subnet_id')?.value)) continue
    ctx.report(ec2PublicIpUnset, r.block.line, `${label(r)} does not set \`associate_public_ip_address\`; it gets a public IP if the subnet assigns one`, { missing: 'associate_public_ip_address' })
  }
  for (const r of ctx.resources('aws_launch_template')) {
    for (const ni of blocksOf(r.block, 'network_interfaces')) {
      const a = attr(ni, 'associate_public_ip_address')
      if (a && isTrue(a)) ctx.report(ec2PublicIp, a.line, `${label(r)} gives its instances a public IP address`)
    }
  }
}

// ── Instance metadata ──────────────────────────────────────────────────────────────────────

/**
 * EKS AMI types whose AMIs are registered `ImdsSupport: v2.0` (IMDSv1 off unless a launch
 * template turns it on): Amazon Linux 2023 and Bottlerocket.
 */
const IMDSV2_AMI_TYPE = /^(?:AL2023|BOTTLEROCKET)_/
/** The first Kubernetes minor for which EKS picks an Amazon Linux 2023 AMI when `ami_type` is unset. */
const AL2023_DEFAULT_MINOR = 30

/** Whether an EKS node group launches Amazon Linux 2023 or Bottlerocket AMIs, by its `ami_type` or EKS's default. */
function nodeGroupOnImdsV2Ami(group: TfResource): boolean {
  const amiType = attr(group.block, 'ami_type')
  if (amiType) return IMDSV2_AMI_TYPE.test(stringValue(amiType.value) ?? '')
  // Unset: EKS's default AMI is Amazon Linux 2023 from Kubernetes 1.30 on (Amazon Linux 2 before).
  const version = attr(group.block, 'version')
  const minor = /^1\.(\d+)$/.exec(stringValue(version?.value) ?? '')
  return !version || (minor !== null && Number(minor[1]) >= AL2023_DEFAULT_MINOR)
}

/**
 * Whether a launch template names no AMI and every user of it in the module is an EKS node group
 * on an AMI that requires tokens by default: EKS then supplies that AMI, so a template silent on
 * metadata options leaves IMDSv1 off. A module call taking the template is a user we cannot see into.
 */
function launchesOnlyImdsV2Amis(ctx: TfContext, template: TfResource): boolean {
  if (template.type !== 'aws_launch_template' || template.viaModule || attr(template.block, 'image_id')) return false
  if (ctx.projectModules().some((m) => blockMentions(m, template.type, template.name))) return false
  const users = ctx.projectResources('*').filter((u) => !(u.type === template.type && u.name === template.name) && blockMentions(u.block, template.type, template.name))
  return users.length > 0 && users.every((u) => u.type === 'aws_eks_node_group' && nodeGroupOnImdsV2Ami(u))
}

/**
 * SSM parameters AWS publishes the newest AMI of a family under, for the families whose AMIs are
 * registered `ImdsSupport: v2.0`: Amazon Linux 2023 and Bottlerocket.
 */
const IMDSV2_AMI_PARAMETER = /^\/aws\/service\/(?:ami-amazon-linux-latest\/al2023-ami-|bottlerocket\/)/
/** AMI names of those families, as an `aws_ami` lookup's `name` filter writes them. */
const IMDSV2_AMI_NAME = /^(?:al2023-ami-|bottlerocket-)/
/** `data.TYPE.NAME.ATTRIBUTE` (`[0]` allowed after the name) for the two lookups that give an AMI id. */
const AMI_LOOKUP_REF = /^data\.(aws_ssm_parameter|aws_ami)\.([A-Za-z_][\w-]*)(?:\[[^[\]]*\])?\.(value|insecure_value|id|image_id)$/
/** The attribute of each lookup that holds the AMI id. */
const AMI_LOOKUP_ATTRIBUTES: Record<string, readonly string[]> = { aws_ssm_parameter: ['value', 'insecure_value'], aws_ami: ['id', 'image_id'] }

/** Owners an `aws_ami` lookup must be limited to: Amazon's alias, and the account Amazon Linux 2023 is published from. */
const AMAZON_AMI_OWNERS = new Set(['amazon', '137112412989'])

/**
 * A `name_regex` that only matches names of those families: anchored at the start (the provider
 * searches anywhere in the name otherwise) on the family's prefix, with no alternative (`|`) that
 * could match elsewhere.
 */
const IMDSV2_AMI_NAME_REGEX = /^\^(?:al2023-ami-|bottlerocket-)[^|]*$/

/**
 * Whether an `aws_ami` lookup takes only Amazon's images (`owners`) and keeps only names of an
 * IMDSv2-only family, by its `name` filters (every name each allows) or by an anchored
 * `name_regex`: anyone can name their own AMI `al2023-ami-…`. The lookup's conditions all apply
 * together, so one that keeps to the family is enough.
 */
function amiLookupOnImdsV2Family(lookup: HclBlock): boolean {
  const owners = attr(lookup, 'owners')?.value
  if (!Array.isArray(owners) || owners.length === 0 || !owners.every((o) => typeof o === 'string' && AMAZON_AMI_OWNERS.has(o))) return false
  const nameRegex = attr(lookup, 'name_regex')?.value
  if (typeof nameRegex === 'string' && IMDSV2_AMI_NAME_REGEX.test(nameRegex)) return true
  const nameFilters = blocksOf(lookup, 'filter').filter((f) => stringValue(attr(f, 'name')?.value) === 'name')
  return (
    nameFilters.length > 0 &&
    nameFilters.every((f) => {
      const values = attr(f, 'values')?.value
      return Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string' && IMDSV2_AMI_NAME.test(v))
    })
  )
}

/**
 * Whether the AMI an instance, launch template or launch configuration launches is looked up in the
 * module as an Amazon Linux 2023 or Bottlerocket image (an SSM parameter under that family's path,
 * an `aws_ami` name filter): those AMIs require tokens unless metadata options say otherwise.
 */
function launchesImdsV2Ami(ctx: TfContext, r: TfResource): boolean {
  let text = referenceText(attr(r.block, r.type === 'aws_instance' ? 'ami' : 'image_id')?.value)
  if (text === undefined) return false
  // `nonsensitive(data.aws_ssm_parameter.al2023.value)`: the provider marks a parameter's value sensitive.
  const unwrapped = /^nonsensitive\((.*)\)$/s.exec(text)?.[1]
  if (unwrapped !== undefined) text = unwrapped.trim()
  const ref = AMI_LOOKUP_REF.exec(text)
  if (!ref) return false
  const [, type, name, attribute] = ref
  if (!AMI_LOOKUP_ATTRIBUTES[type!]!.includes(attribute!)) return false
  const lookups = ctx.projectBlocks('data').filter((d) => d.labels[0] === type && d.labels[1] === name)
  if (lookups.length === 0) return false
  return lookups.every((d) => (type === 'aws_ami' ? amiLookupOnImdsV2Family(d) : IMDSV2_AMI_PARAMETER.test(stringValue(attr(d, 'name')?.value) ?? '')))
}

function checkImds(ctx: TfContext): void {
  // An account-wide default in the module (`aws_ec2_instance_metadata_defaults`) decides for instances that say nothing.
  const accountDefault = ctx.projectResources('aws_ec2_instance_metadata_defaults').some((r) => stringValue(attr(r.block, 'http_tokens')?.value) === 'required')
  for (const r of ctx.resources(['aws_instance', 'aws_launch_template', 'aws_launch_configuration'], { modules: true })) {
    const options = sub(r.block, 'metadata_options')
    const tokens = options ? attr(options, 'http_tokens') : undefined
    const endpoint = options ? stringValue(attr(options, 'http_endpoint')?.value) : undefined
    if (endpoint === 'disabled' || (!options && dynamicBlock(r.block, 'metadata_options'))) continue
    const value = stringValue(tokens?.value)
    if (tokens && value === 'optional') {
      ctx.report(imdsV1, tokens.line, `${label(r)} sets \`http_tokens = "optional"\`: IMDSv1 answers without a token`, { suggestion: ctx.lines[tokens.line - 1]?.replace('"optional"', '"required"') })
    } else if (!tokens && !accountDefault && !launchesOnlyImdsV2Amis(ctx, r) && !launchesImdsV2Ami(ctx, r)) {
      ctx.report(imdsV1, options?.line ?? r.block.line, `${label(r)} does not set \`metadata_options { http_tokens = "required" }\`, so IMDSv1 stays enabled`, { missing: 'metadata_options' })
    }
  }
}

// ── EKS endpoint ───────────────────────────────────────────────────────────────────────────

function checkEksEndpoint(ctx: TfContext): void {
  for (const r of ctx.resources('aws_eks_cluster', { modules: true })) {
    // The resource nests the settings in `vpc_config`; the registry module takes them as inputs.
    const scope = r.viaModule ? r.block : sub(r.block, 'vpc_config')
    if (!scope && dynamicBlock(r.block, 'vpc_config')) continue
    const access = scope ? attr(scope, 'endpoint_public_access') : undefined
    const cidrs = scope ? attr(scope, 'public_access_cidrs') : undefined
    if (access && isFalse(access)) continue
    if (access && !isTrue(access)) continue // not a literal
    if (cidrs && !internetCidr(cidrs)) continue // narrowed to known ranges (or not a literal)
    if (access) ctx.report(eksPublicEndpoint, access.line, `${label(r)} exposes its Kubernetes API endpoint publicly${cidrs ? ` to ${internetCidr(cidrs)}` : ' to every address'}`)
    else ctx.report(eksPublicEndpoint, r.viaModule ? r.block.line : (scope?.line ?? r.block.line), `${label(r)} leaves its Kubernetes API endpoint public (\`${writtenName(r, 'endpoint_public_access')}\` defaults to true) and open to every address`, { missing: 'endpoint_public_access' })
  }
}

// ── Encryption ───────────────────────────────────────────────────────────────────────────────

const ENCRYPTION_FLAGS = lookupTable<string>({
  aws_db_instance: 'storage_encrypted',
  aws_rds_cluster: 'storage_encrypted',
  aws_ebs_volume: 'encrypted',
  aws_efs_file_system: 'encrypted',
  aws_redshift_cluster: 'encrypted',
  aws_elasticache_replication_group: 'at_rest_encryption_enabled',
  aws_docdb_cluster: 'storage_encrypted',
  aws_neptune_cluster: 'storage_encrypted'
})
const ENCRYPTED_TYPES = Object.keys(ENCRYPTION_FLAGS)

function checkEncryption(ctx: TfContext): void {
  const report = (a: HclAttribute | undefined, what: string): void => {
    if (a && isFalse(a)) ctx.report(unencrypted, a.line, `${what} disables encryption at rest (\`${a.name} = false\`)`, { suggestion: ctx.lines[a.line - 1]?.replace(/=\s*"?false"?/, '= true') })
  }
  // With EBS encryption by default on (any file of the module), every new EBS volume is
  // encrypted whatever its own flag says (`enabled` defaults to true).
  const ebsByDefault = ctx.projectResources('aws_ebs_encryption_by_default').some((r) => {
    const enabled = attr(r.block, 'enabled')
    return !enabled || isTrue(enabled)
  })
  for (const r of ctx.resources(ENCRYPTED_TYPES, { modules: true })) {
    if (ebsByDefault && r.type === 'aws_ebs_volume') continue
    report(attr(r.block, ENCRYPTION_FLAGS[r.type]!), label(r))
  }
  if (ebsByDefault) return // the rest are EBS volumes of instances and launch templates
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
  { rules: [sgOpenSsh, sgOpenRdp, sgOpenAll, sgOpenDataPort, sgOpenPort], run: checkSecurityGroups },
  { rules: [rdsPublic], run: checkRdsPublic },
  { rules: [s3PublicAcl, s3PublicBlockOff], run: checkS3Public },
  { rules: [publicPolicy], run: checkPublicPolicies },
  { rules: [iamWildcard, iamServiceWildcard], run: checkIamWildcards },
  { rules: [imdsV1], run: checkImds },
  { rules: [eksPublicEndpoint], run: checkEksEndpoint },
  { rules: [trustAll], run: checkTrustPolicies },
  { rules: [ec2PublicIp, ec2PublicIpUnset], run: checkEc2PublicIp },
  { rules: [unencrypted], run: checkEncryption },
  { rules: [secretNoRotation], run: checkSecretRotation }
]
