/** The catalogue of CloudFormation rules. Categories match the Terraform rules for the same risks. */
import { defineRules } from '../rule.js'

/** cfn_nag rules that a secret-bearing property (password, token, private key, client secret) is no literal. */
const CFN_NAG_PLAINTEXT_SECRETS = [
  'F23', 'F31', 'F34', 'F35', 'F36', 'F37', 'F41', 'F42', 'F44', 'F45', 'F46', 'F48', 'F50', 'F51', 'F52', 'F53', 'F54',
  'F55', 'F57', 'F58', 'F60', 'F61', 'F62', 'F63', 'F64', 'F65', 'F66', 'F67', 'F68', 'F69', 'F70', 'F71', 'F74', 'F75'
]

/** Guard registry rules, by the names their suppressions use, that a password or token is no literal. */
const GUARD_PLAINTEXT_SECRETS = [
  'RDS_MASTER_USER_PASSWORD_NO_PLAINTEXT_PASSWORD',
  'RDS_CLUSTER_MASTER_USER_PASSWORD_NO_PLAINTEXT_PASSWORD',
  'REDSHIFT_CLUSTER_MASTER_USER_PASSWORD_NO_PLAINTEXT_PASSWORD',
  'DMS_NO_PLAINTEXT_PASSWORD',
  'MICROSOFT_AD_NO_PLAINTEXT_PASSWORD',
  'IAM_USER_LOGIN_PROFILE_NO_PLAINTEXT_PASSWORD',
  'AMAZON_MQ_BROKER_USERS_NO_PLAINTEXT_PASSWORD',
  'KINESIS_FIREHOSE_REDSHIFT_DESTINATION_CONFIGURATION_NO_PLAINTEXT_PASSWORD',
  'KINESIS_FIREHOSE_SPLUNK_DESTINATION_CONFIGURATION_NO_PLAINTEXT_PASSWORD'
]

export const CFN = defineRules('cloudformation', {
  // ── Stateful resources ───────────────────────────────────────────────────────────────────
  noDeletionPolicy: {
    id: 'cfn/stateful-no-deletion-policy',
    category: 'backup',
    topics: ['deletion-protection', 'backups'],
    severity: 'medium',
    title: 'Stateful resource is deleted with its stack',
    description: 'Without `DeletionPolicy: Retain` (or `Snapshot`) deleting the stack, or removing the resource from the template, destroys the data with no copy. Medium: it takes a deletion or a replacing update to lose the data, and this pull request may do neither. (S3 buckets are not reported: CloudFormation cannot delete a bucket that still holds objects. Low when a `Delete` is written out under either policy (someone chose it), when a DynamoDB table has point-in-time recovery, which keeps a backup for 35 days after the table is deleted, or when an `AWS::Backup::BackupSelection` of the template lists the resource for a plan keeping copies for some days, or an EFS file system has `BackupPolicy: {Status: ENABLED}`: a backup copy remains after the deletion.)',
    remediation: 'Add `DeletionPolicy: Retain` (or `Snapshot` where the type supports it).',
    refs: { 'cfn-lint': ['I3011', 'W3011'] }
  },
  noUpdateReplacePolicy: {
    id: 'cfn/stateful-no-update-replace-policy',
    category: 'rollback',
    topics: ['deletion-protection', 'rollback-path'],
    severity: 'medium',
    title: 'Stateful resource is deleted when an update replaces it',
    description: 'When a property change forces replacement, the old resource is deleted unless `UpdateReplacePolicy` is `Retain` or `Snapshot`: the data is gone and rolling back cannot bring it back. Low on the grounds `cfn/stateful-no-deletion-policy` lists (a `Delete` written out, point-in-time recovery, an AWS Backup plan keeping copies).',
    remediation: 'Add `UpdateReplacePolicy: Retain` (or `Snapshot` where the type supports it).',
    refs: { 'cfn-lint': ['I3011', 'W3011'] }
  },

  // ── S3 ───────────────────────────────────────────────────────────────────────────────────
  s3PublicAcl: {
    id: 'cfn/s3-public-access',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'high',
    title: 'S3 bucket with a public canned ACL',
    description: '`AccessControl: PublicRead`, `PublicReadWrite` or `AuthenticatedRead` lets anyone (or any AWS account) list or change the objects.',
    remediation: 'Remove `AccessControl` (buckets are private by default); serve public content through CloudFront with origin access control.',
    refs: { checkov: ['CKV_AWS_20', 'CKV_AWS_57'], kics: 'cloudFormation/aws/s3_bucket_acl_allows_read_to_all_users', tfsec: 'aws-s3-no-public-access-with-acl', trivy: 'AVD-AWS-0092', cfn_nag: ['W31', 'F14'], 'cfn-guard': ['S3_BUCKET_PUBLIC_READ_ACL', 'S3_BUCKET_NO_PUBLIC_RW_ACL'] }
  },
  s3PublicAccessBlockDisabled: {
    id: 'cfn/s3-public-access-block-disabled',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'medium',
    title: 'S3 public access block switched off',
    description: 'A `PublicAccessBlockConfiguration` setting set to false allows public ACLs or bucket policies on the bucket.',
    remediation: 'Set `BlockPublicAcls`, `BlockPublicPolicy`, `IgnorePublicAcls` and `RestrictPublicBuckets` to true.',
    refs: { checkov: ['CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'], tfsec: ['aws-s3-block-public-acls', 'aws-s3-block-public-policy', 'aws-s3-ignore-public-acls', 'aws-s3-no-public-buckets'], trivy: ['AVD-AWS-0086', 'AVD-AWS-0087', 'AVD-AWS-0091', 'AVD-AWS-0093'],
      'cfn-guard': ['S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED', 'S3_BUCKET_PUBLIC_READ_PROHIBITED', 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED']
    }
  },
  s3NoPublicAccessBlock: {
    id: 'cfn/s3-no-public-access-block',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'low',
    title: 'S3 bucket without PublicAccessBlockConfiguration',
    description: 'Without an explicit public access block the bucket relies on account defaults, which a later change can loosen.',
    remediation: 'Add `PublicAccessBlockConfiguration` with all four settings true.',
    refs: { checkov: 'CKV_AWS_53', tfsec: 'aws-s3-specify-public-access-block', trivy: 'AVD-AWS-0094', 'cfn-guard': ['S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED', 'S3_BUCKET_PUBLIC_READ_PROHIBITED', 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED'] }
  },
  s3NoVersioning: {
    id: 'cfn/s3-no-versioning',
    category: 'backup',
    topics: ['backups'],
    severity: 'medium',
    title: 'S3 bucket without versioning',
    description:
      "Without versioning an overwrite or delete loses the previous object for good. Low when the bucket is only a CodePipeline's artifact store (named by the pipeline's `ArtifactStore` or `ArtifactStores`, and otherwise only by its bucket policy and by grants to the roles the pipeline and its build projects run as, with no output handing it on): every run writes its artifacts under new keys, and running the pipeline again rebuilds them.",
    remediation: 'Add `VersioningConfiguration: { Status: Enabled }` (with a lifecycle rule expiring old versions).',
    refs: { checkov: 'CKV_AWS_21', tfsec: 'aws-s3-enable-versioning', trivy: 'AVD-AWS-0090', 'cfn-guard': 'S3_BUCKET_VERSIONING_ENABLED' }
  },

  // ── Network and IAM ──────────────────────────────────────────────────────────────────────
  sgOpenAdminPort: {
    id: 'cfn/sg-open-admin-port',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'high',
    title: 'SSH or RDP open to the internet',
    description: 'Ingress from 0.0.0.0/0 or ::/0 to port 22 or 3389 exposes remote administration to the whole internet. Medium when every use of the group in the template is a host without a public address: network interfaces, instances, or launch templates and launch configurations of Auto Scaling groups, all in subnets known to be private (a template subnet that does not map public addresses on launch, or an import or parameter whose every allowed name says private), with no Elastic IP and no `AssociatePublicIpAddress` that may be true; the port is then reachable only from inside the VPC and its peers. High when the group is in an output, attached to nothing in view, or any attachment may have a public address.',
    remediation: 'Restrict the source to known CIDRs or a security group, or use SSM Session Manager instead of open SSH/RDP.',
    refs: {
      checkov: ['CKV_AWS_24', 'CKV_AWS_25'],
      tfsec: ['aws-ec2-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sg'], trivy: 'AVD-AWS-0107',
      cfn_nag: 'W2',
      'cfn-guard': ['INCOMING_SSH_DISABLED', 'RESTRICTED_INCOMING_TRAFFIC', 'EC2_SECURITY_GROUP_INGRESS_OPEN_TO_WORLD_RULE']
    }
  },
  sgOpenAllPorts: {
    id: 'cfn/sg-open-all-ports',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'high',
    title: 'All ports open to the internet',
    description: 'Ingress from 0.0.0.0/0 or ::/0 on every port (protocol -1 or 0-65535) exposes every listening service. What the group guards, as the template shows it, lowers it: low when it is attached only to Lambda functions (no listener behind it), medium when only to data stores with no public endpoint (DocumentDB, Neptune, ElastiCache, MemoryDB, EFS, RDS proxies, RDS with `PubliclyAccessible: false`: reachable only from the VPC and its peers).',
    remediation: 'Open only the ports the service needs, and only to the sources that need them.',
    refs: { checkov: 'CKV_AWS_277', tfsec: ['aws-ec2-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sg'], trivy: 'AVD-AWS-0107', cfn_nag: 'W2', 'cfn-guard': 'EC2_SECURITY_GROUP_INGRESS_OPEN_TO_WORLD_RULE' }
  },
  iamWildcard: {
    id: 'cfn/iam-wildcard-policy',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'IAM policy allows every action on every resource',
    description: 'A statement with `Action: "*"` and `Resource: "*"` is administrator access.',
    remediation: 'List the actions and resource ARNs the principal needs.',
    refs: {
      checkov: ['CKV_AWS_1', 'CKV_AWS_62'],
      kics: 'cloudFormation/aws/iam_policies_with_full_privileges',
      tfsec: 'aws-iam-no-policy-wildcards',
      trivy: 'AVD-AWS-0057',
      cfn_nag: ['F3', 'F4', 'F5'],
      'cfn-guard': ['IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS', 'IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS', 'IAM_MANAGEDPOLICY_NO_STATEMENTS_WITH_FULL_ACCESS', 'IAM_ROLE_NO_WILDCARD_ACTIONS_ON_PERMISSIONS']
    }
  },

  sgOpenDataPort: {
    id: 'cfn/sg-open-data-port',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'high',
    title: 'Database, cache or control-plane port open to the internet',
    description: 'Ingress from 0.0.0.0/0 or ::/0 to the port of a data store, cache, search engine, queue or control plane (MySQL 3306, PostgreSQL 5432, Redis 6379, Elasticsearch 9200, …). What the group guards, as the template shows it, lowers it: low when it is attached only to Lambda functions (no listener behind it), medium when only to data stores with no public endpoint (DocumentDB, Neptune, ElastiCache, MemoryDB, EFS, RDS proxies, RDS with `PubliclyAccessible: false`: reachable only from the VPC and its peers), and low when the stores it guards listen on other ports (their `Port`, else the engine\'s default).',
    remediation: 'Allow the port only from the clients\' security groups (`SourceSecurityGroupId`) or a private CIDR.',
    refs: { tfsec: ['aws-ec2-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sg'], trivy: 'AVD-AWS-0107', cfn_nag: 'W2', 'cfn-guard': ['RESTRICTED_INCOMING_TRAFFIC', 'EC2_SECURITY_GROUP_INGRESS_OPEN_TO_WORLD_RULE'] }
  },
  sgOpenPort: {
    id: 'cfn/sg-open-port',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'medium',
    title: 'Non-web port open to the internet',
    description: 'Ingress from 0.0.0.0/0 or ::/0 to a port other than 80/443; services other than public web endpoints rarely need the whole internet as a client. A port the deployer names in a parameter without a numeric default is reported as low: it is open to the world all the same, but which service it exposes is only known at deployment. A load balancer\'s group (attached only to load balancers, or, attached to nothing in its template, named or described as one) open on all ports or on a data port is reported here, not as an open service: only its listeners are reachable. Low when every listener in view serves web traffic (port 80 or 443, or an HTTP/HTTPS listener): the load balancers\' own, or for a group known by its name, every listener of its template and of the templates in the same folder (a nested stack); medium otherwise, or when no listener is in view. Low, too, for a VPN endpoint open to the world on a group the template shows to be a VPN server\'s (its `Description`, the group\'s name or description, or the user data of a host it guards names VPN, OpenVPN, SoftEther, WireGuard, strongSwan, Libreswan or IPsec): UDP 500 and 4500 (IPsec), 1194 (OpenVPN), UDP 51820 (WireGuard), UDP 40000-44999 and TCP 992 and 5555 (SoftEther); its clients connect from anywhere.',
    remediation: 'Restrict the source to the CIDRs or security groups that need the port, or put the service behind a load balancer on 443.',
    refs: { tfsec: ['aws-ec2-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sg'], trivy: 'AVD-AWS-0107', cfn_nag: 'W2', 'cfn-guard': 'EC2_SECURITY_GROUP_INGRESS_OPEN_TO_WORLD_RULE' }
  },
  iamServiceWildcard: {
    id: 'cfn/iam-service-wildcard',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'IAM policy allows every action of a service on every resource',
    description: 'A statement allows a service wildcard (`s3:*`, `iot:*`, `iam:*`) on `Resource: "*"`: every present and future action of the service on every resource of the account. Low when the policy belongs to roles (inline, or a policy attached only to template roles) whose trust policies admit nothing but AWS service principals that run none of the account\'s code with it (scaling, load balancer registration, log and flow-log delivery, CloudTrail, Config, Backup, DLM: never EC2, Lambda, ECS tasks, SSM automations or any other service that hands the role to code), and every wildcard is a trusted service\'s own (`application-autoscaling:*` for `application-autoscaling.amazonaws.com`): no user or workload holds it. Low, too, when every wildcard is a Systems Manager agent message channel (`ssmmessages:*`, `ec2messages:*`): their actions support no resource-level scoping, and AWS\'s own `AmazonSSMManagedInstanceCore` grants them on `*`.',
    remediation: 'List the actions the principal needs and scope `Resource` to the ARNs it works on.',
    refs: {
      checkov: ['CKV_AWS_355', 'CKV_AWS_290'],
      tfsec: 'aws-iam-no-policy-wildcards',
      trivy: 'AVD-AWS-0057',
      cfn_nag: ['F3', 'F4', 'F5'],
      'cfn-guard': ['IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS', 'IAM_MANAGEDPOLICY_NO_STATEMENTS_WITH_FULL_ACCESS', 'IAM_ROLE_NO_WILDCARD_ACTIONS_ON_PERMISSIONS']
    }
  },
  imdsV1: {
    id: 'cfn/imdsv1-allowed',
    category: 'security',
    topics: ['secret-exposure'],
    severity: 'medium',
    title: 'Instance metadata reachable without a token (IMDSv1)',
    description: 'Without `MetadataOptions: { HttpTokens: required }` instances answer IMDSv1 requests, so a server-side request forgery in any app on them can read the instance role\'s credentials.',
    remediation: 'Set `MetadataOptions: { HttpTokens: required }` on the instance, launch template data or launch configuration.',
    refs: { checkov: 'CKV_AWS_79', tfsec: ['aws-ec2-enforce-http-token-imds', 'aws-ec2-enforce-launch-config-http-token-imds'], trivy: ['AVD-AWS-0028', 'AVD-AWS-0130'] }
  },
  eksPublicEndpoint: {
    id: 'cfn/eks-public-endpoint',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'medium',
    title: 'EKS API endpoint reachable from the whole internet',
    description: 'The cluster\'s API endpoint is public (the default) and `PublicAccessCidrs` does not narrow it.',
    remediation: 'Set `EndpointPublicAccess: false` with `EndpointPrivateAccess: true`, or list the ranges that run kubectl and CI in `PublicAccessCidrs`.',
    refs: { checkov: ['CKV_AWS_39', 'CKV_AWS_38'], tfsec: ['aws-eks-no-public-cluster-access', 'aws-eks-no-public-cluster-access-to-cidr'], trivy: ['AVD-AWS-0040', 'AVD-AWS-0041'], 'cfn-guard': 'EKS_ENDPOINT_NO_PUBLIC_ACCESS' }
  },
  lbDeletionProtection: {
    id: 'cfn/lb-no-deletion-protection',
    category: 'rollback',
    topics: ['deletion-protection'],
    severity: 'low',
    title: 'Load balancer without deletion protection',
    description: 'Without the `deletion_protection.enabled` attribute set to true, a stack deletion or replacement deletes the load balancer, its DNS name and listeners, cutting traffic until it is rebuilt.',
    remediation: 'Add `LoadBalancerAttributes: [{ Key: deletion_protection.enabled, Value: "true" }]`.',
    refs: { checkov: 'CKV_AWS_150', 'cfn-guard': 'ELB_DELETION_PROTECTION_ENABLED' }
  },

  // ── RDS / DynamoDB ───────────────────────────────────────────────────────────────────────
  rdsPublic: {
    id: 'cfn/rds-publicly-accessible',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'high',
    title: 'Database publicly accessible',
    description: '`PubliclyAccessible: true` gives the database a public endpoint.',
    remediation: 'Set `PubliclyAccessible: false` and reach the database from inside the VPC.',
    refs: { checkov: 'CKV_AWS_17', tfsec: 'aws-rds-no-public-db-access', trivy: 'AVD-AWS-0082', cfn_nag: 'F22', 'cfn-guard': 'RDS_INSTANCE_PUBLIC_ACCESS_CHECK' }
  },
  rdsNoBackups: {
    id: 'cfn/rds-backups-disabled',
    category: 'backup',
    topics: ['backups'],
    severity: 'high',
    title: 'Automated backups disabled',
    description: '`BackupRetentionPeriod: 0` switches off automated backups and point-in-time restore. Read replicas are exempt: their data and backups are the source\'s.',
    remediation: 'Set `BackupRetentionPeriod` to 7 days or more.',
    refs: { checkov: 'CKV_AWS_133', tfsec: 'aws-rds-specify-backup-retention', trivy: 'AVD-AWS-0077', cfn_nag: 'W75', 'cfn-guard': 'DB_INSTANCE_BACKUP_ENABLED' }
  },
  rdsNotEncrypted: {
    id: 'cfn/rds-storage-not-encrypted',
    category: 'security',
    topics: ['encryption'],
    severity: 'medium',
    title: 'Database storage not encrypted',
    description: 'Unencrypted storage, snapshots and replicas; encryption cannot be switched on later without a restore.',
    remediation: 'Set `StorageEncrypted: true` (optionally with `KmsKeyId`).',
    refs: { checkov: 'CKV_AWS_16', tfsec: 'aws-rds-encrypt-instance-storage-data', trivy: 'AVD-AWS-0080', cfn_nag: ['F26', 'F27'], 'cfn-guard': 'RDS_STORAGE_ENCRYPTED' }
  },
  rdsSingleAz: {
    id: 'cfn/rds-single-az',
    category: 'slo',
    topics: ['redundancy'],
    severity: 'medium',
    title: 'Database in a single availability zone',
    description: 'Without `MultiAZ` an AZ outage or host failure takes the database down until it is restored.',
    remediation: 'Set `MultiAZ: true` for production databases.',
    refs: { checkov: 'CKV_AWS_157', 'cfn-guard': 'RDS_MULTI_AZ_SUPPORT' }
  },
  rdsNoDeletionProtection: {
    id: 'cfn/rds-no-deletion-protection',
    category: 'backup',
    topics: ['deletion-protection'],
    severity: 'medium',
    title: 'Database without deletion protection',
    description: 'Without `DeletionProtection` a stack update or a console click can delete the database. Low when both `DeletionPolicy` and `UpdateReplacePolicy` are `Snapshot` or `Retain` (written out, or in every branch of an `Fn::If`): every deletion or replacement through CloudFormation then keeps a final snapshot or the database.',
    remediation: 'Set `DeletionProtection: true`.',
    refs: { checkov: 'CKV_AWS_293', trivy: 'AVD-AWS-0177', cfn_nag: 'F80', 'cfn-guard': 'RDS_INSTANCE_DELETION_PROTECTION_ENABLED' }
  },
  dynamoNoPitr: {
    id: 'cfn/dynamodb-no-point-in-time-recovery',
    category: 'backup',
    topics: ['backups'],
    severity: 'medium',
    title: 'DynamoDB table without point-in-time recovery',
    description: 'Without point-in-time recovery a bad write or delete cannot be undone.',
    remediation: 'Add `PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }`.',
    refs: { checkov: 'CKV_AWS_28', tfsec: 'aws-dynamodb-enable-recovery', trivy: 'AVD-AWS-0024', cfn_nag: 'W78', 'cfn-guard': 'DYNAMODB_PITR_ENABLED' }
  },

  // ── Observability ────────────────────────────────────────────────────────────────────────
  logGroupNoRetention: {
    id: 'cfn/log-group-no-retention',
    category: 'observability',
    topics: ['logging', 'cost-waste'],
    severity: 'low',
    title: 'Log group without retention',
    description: 'Without `RetentionInDays` logs are kept forever: cost grows without bound and nobody decided how long evidence is needed.',
    remediation: 'Set `RetentionInDays` (e.g. 30, 90 or 365).',
    refs: { checkov: 'CKV_AWS_66', cfn_nag: 'W86', 'cfn-guard': 'CW_LOGGROUP_RETENTION_PERIOD_CHECK' }
  },
  lambdaNoTracing: {
    id: 'cfn/lambda-no-tracing',
    category: 'observability',
    topics: ['monitoring'],
    severity: 'low',
    title: 'Lambda function without active tracing',
    description: 'Without X-Ray tracing, slow or failing calls through the function cannot be followed end to end.',
    remediation: 'Set `TracingConfig: { Mode: Active }` (SAM: `Tracing: Active`).',
    refs: { checkov: 'CKV_AWS_50', tfsec: 'aws-lambda-enable-tracing', trivy: 'AVD-AWS-0066' }
  },

  // ── Secrets ──────────────────────────────────────────────────────────────────────────────
  literalSecret: {
    id: 'cfn/literal-secret',
    category: 'secrets',
    topics: ['secret-storage', 'secret-exposure'],
    severity: 'high',
    title: 'Secret written as a literal in the template',
    description: 'A password or key written into the template (or as a parameter default) is in the repository history and visible in the stack.',
    remediation: 'Use a dynamic reference (`{{resolve:secretsmanager:…}}`), `ManageMasterUserPassword`, or a `NoEcho` parameter without a default; rotate the exposed value.',
    refs: {
      kics: 'common/passwords_and_secrets',
      // cfn_nag's and Guard's "must not be a plaintext string" rules for the properties whose names
      // this rule reads as secrets (not cfn_nag's F24, a user name, nor its Pinpoint TokenKey ones).
      cfn_nag: CFN_NAG_PLAINTEXT_SECRETS,
      'cfn-guard': GUARD_PLAINTEXT_SECRETS,
      'cfn-lint': 'W2501'
    }
  },
  secretNoRotation: {
    id: 'cfn/secret-no-rotation',
    category: 'secrets',
    topics: ['secret-storage'],
    severity: 'low',
    title: 'Secrets Manager secret without rotation',
    description: 'Hardening: a secret no `AWS::SecretsManager::RotationSchedule` of the template rotates keeps its value until someone changes it by hand, so a leaked copy stays valid. Secrets that cannot be rotated (a third-party key) can be suppressed with a reason.',
    remediation: 'Add an `AWS::SecretsManager::RotationSchedule` for the secret (a hosted rotation Lambda for RDS, Redshift and DocumentDB credentials, or your own function), e.g. every 30 days.',
    refs: { checkov: 'CKV2_AWS_57', 'cfn-guard': 'SECRETSMANAGER_ROTATION_ENABLED_CHECK' }
  },
  secretParameterEchoed: {
    id: 'cfn/secret-parameter-no-echo',
    category: 'secrets',
    topics: ['secret-exposure'],
    severity: 'medium',
    title: 'Secret parameter without NoEcho',
    description: 'A parameter that carries a secret but lacks `NoEcho: true` is shown in clear in the console and in `describe-stacks`. Switches (every allowed value a boolean), `Number` parameters and names that steer a secret rather than hold one (`PasswordLength`, `AllowUsersToChangePassword`) are not reported.',
    remediation: 'Add `NoEcho: true` to the parameter, or read the secret with a `{{resolve:secretsmanager:…}}` dynamic reference.',
    // cfn-lint reports a parameter used as a password without NoEcho under its password rule.
    refs: { 'cfn-lint': 'W2501' }
  }
})
