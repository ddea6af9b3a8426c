/** Rule-tester cases for the CloudFormation rules: minimal templates written for these tests. */
import type { CaseTable, InvalidCase } from '../../helpers/rule-tester.js'
import { lineOf } from './util.js'

const cfn = (resources: string, head = ''): string => `AWSTemplateFormatVersion: '2010-09-09'\n${head}Resources:\n${resources}`
/** An invalid case whose finding sits on the (nth) line containing `needle`. */
const at = (code: string, needle: string, extra: Partial<InvalidCase['errors'][number]> = {}, name?: string, nth = 1): InvalidCase => ({
  ...(name ? { name } : {}),
  code,
  errors: [{ line: lineOf(code, needle, nth), ...extra }]
})

const db = (props: string, policies = '    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Snapshot\n'): string =>
  cfn(`  Database:\n    Type: AWS::RDS::DBInstance\n${policies}    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t3.micro\n      MasterUsername: app\n      ManageMasterUserPassword: true\n${props}`)
const DB_OK = '      PubliclyAccessible: false\n      BackupRetentionPeriod: 7\n      StorageEncrypted: true\n      MultiAZ: true\n      DeletionProtection: true\n'
const dbWith = (from: string, to: string): string => db(DB_OK.replace(from, to))

const bucket = (props: string, policies = '    DeletionPolicy: Retain\n'): string => cfn(`  Assets:\n    Type: AWS::S3::Bucket\n${policies}    Properties:\n${props}`)
const BLOCK = '      PublicAccessBlockConfiguration:\n        BlockPublicAcls: true\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n        RestrictPublicBuckets: true\n'
const VERSIONED = '      VersioningConfiguration:\n        Status: Enabled\n'
const BUCKET_OK = BLOCK + VERSIONED
/** A CodePipeline keeping its artifacts in `Assets`, and the role it runs as, granted access to them. */
const PIPELINE = '  Pipeline:\n    Type: AWS::CodePipeline::Pipeline\n    Properties:\n      RoleArn: !GetAtt PipelineRole.Arn\n      ArtifactStore:\n        Type: S3\n        Location: !Ref Assets\n      Stages:\n        - Name: Source\n          Actions: []\n'
const ARTIFACT_GRANT = "  PipelineRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n      Policies:\n        - PolicyName: artifacts\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: ['s3:GetObject', 's3:PutObject']\n                Resource: !Sub '${Assets.Arn}/*'\n"

const sg = (ingress: string, head = ''): string =>
  cfn(`  Web:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      SecurityGroupIngress:\n${ingress}`, head)
const rule = (from: number | string, to: number | string, cidr = '0.0.0.0/0', proto = 'tcp'): string =>
  `        - IpProtocol: ${proto}\n          FromPort: ${from}\n          ToPort: ${to}\n          CidrIp: ${cidr}\n`

/**
 * A security group `Guard` open to the world by `ingress`, followed by the resources that use it
 * (`users`): what it guards decides how far the open rule reaches.
 */
const guarding = (users: string, ingress = rule(5432, 5432), head = ''): string =>
  cfn(`  Guard:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: guard\n      SecurityGroupIngress:\n${ingress}${users}`, head)
const ALL_PORTS = "        - IpProtocol: '-1'\n          CidrIp: 0.0.0.0/0\n"
/** A function in the VPC behind the given groups, with extra properties. */
const vpcFunction = (type = 'AWS::Lambda::Function', groups = '[!Ref Guard]', extra = ''): string =>
  `  Worker:\n    Type: ${type}\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      VpcConfig:\n        SubnetIds: [subnet-1]\n        SecurityGroupIds: ${groups}\n${extra}`
/** A load balancer of the given type behind `Guard`, and a listener of it on a protocol and port. */
const balancer = (type: string): string => `  Balancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Type: ${type}\n      Subnets: [subnet-1, subnet-2]\n      SecurityGroups: [!Ref Guard]\n`
const listener = (protocol: string, port: number): string =>
  `  ${protocol === 'HTTPS' ? 'Https' : protocol === 'HTTP' ? 'Http' : `Tcp${port}`}Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: !Ref Balancer\n      Protocol: ${protocol}\n      Port: ${port}\n      DefaultActions: []\n`
const GUARDED_SERVER = '  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-12345678\n      SecurityGroupIds: [!Ref Guard]\n'
const GUARDED_DOCDB = '  Docs:\n    Type: AWS::DocDB::DBCluster\n    Properties:\n      VpcSecurityGroupIds: [!GetAtt Guard.GroupId]\n'
/** An RDS instance behind `Guard`, with the given extra properties (`PubliclyAccessible`, `Port`). */
const guardedDb = (extra: string, engine = 'postgres'): string =>
  `  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: ${engine}\n      DBInstanceClass: db.t3.micro\n      VPCSecurityGroups: [!Ref Guard]\n${extra}`
/** An Aurora cluster behind `Guard` with one member instance (its `PubliclyAccessible` line given). */
const guardedAurora = (engine: string, member: string, clusterExtra = ''): string =>
  `  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: ${engine}\n      VpcSecurityGroupIds: [!Ref Guard]\n${clusterExtra}` +
  `  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n      Engine: ${engine}\n      DBInstanceClass: db.r6g.large\n${member}`
const guardedCache = (engine: string): string =>
  `  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: ${engine}\n      CacheNodeType: cache.t3.micro\n      NumCacheNodes: 1\n      VpcSecurityGroupIds: [!Ref Guard]\n`
const PRIVATE = '      PubliclyAccessible: false\n'
const NO_LISTENER = /a function has no listener, so the rule reaches nothing\)$/
const VPC_ONLY = /with no public endpoint: reachable only from inside the VPC and its peers\)$/

const policy = (statement: string): string =>
  cfn(`  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n${statement}`)
const stmt = (action: string, resource: string): string => `          - Effect: Allow\n            Action: ${action}\n            Resource: ${resource}\n`

/** An Allow-all statement in a policy resource of the given type, with extra properties after the document. */
const allowAll = (type: string, extra = ''): string =>
  `  Policy:\n    Type: ${type}\n    Properties:\n      PolicyName: everything\n      PolicyDocument:\n        Statement:\n${stmt("'*'", "'*'")}${extra}`
/**
 * A role only `service` (a principal's YAML) may assume, granting `actions` on every resource: inline,
 * or (with `attach`, the policy's `Roles`) in a standalone policy.
 */
const serviceRole = (service: string, actions: string, attach?: string): string => {
  const trust = `      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: sts:AssumeRole\n            Principal:\n                Service: ${service}\n`
  const document = `PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: ${actions}\n                Resource: '*'\n`
  if (attach === undefined) return cfn(`  Role:\n    Type: AWS::IAM::Role\n    Properties:\n${trust}      Policies:\n        - PolicyName: scaling\n          ${document}`)
  const standalone = `  Policy:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: scaling\n      ${document.replace(/\n {12}/g, '\n        ').replace(/\n {16}/g, '\n          ')}${attach}`
  return cfn(`  Role:\n    Type: AWS::IAM::Role\n    Properties:\n${trust}${standalone}`)
}
/** A role that takes the given property (a boundary, or managed policies). */
const role = (prop: string): string => `  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n${prop}`
/** CDK bootstrap's shape: the boundary is named so, and its role takes it by an ARN built from a parameter. */
const NAMED_BOUNDARY = allowAll('AWS::IAM::ManagedPolicy', "      ManagedPolicyName: !Sub 'cdk-${Qualifier}-permissions-boundary-${AWS::AccountId}'\n")

const table = (props: string, policies = '    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n'): string =>
  cfn(
    `  Table:\n    Type: AWS::DynamoDB::Table\n${policies}    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n${props}`
  )
/** An ElastiCache cluster of the given engine line, without deletion or update-replace policy. */
const cache = (engine: string, head = ''): string =>
  cfn(`  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      ${engine}\n      CacheNodeType: cache.t3.micro\n      NumCacheNodes: 1\n`, head)
/**
 * An EFS file system `Files` with neither policy, and an AWS Backup plan keeping copies for
 * `days` (a `DeleteAfterDays` line, '' for no lifecycle) whose selection lists `selected`.
 */
const backedUpFiles = (days: string, selected = "!Sub 'arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${Files}'"): string =>
  cfn(
    '  Files:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      Encrypted: true\n' +
      `  Plan:\n    Type: AWS::Backup::BackupPlan\n    Properties:\n      BackupPlan:\n        BackupPlanName: files\n        BackupPlanRule:\n        - RuleName: daily\n          TargetBackupVault: vault\n${days ? `          Lifecycle:\n            DeleteAfterDays: ${days}\n` : ''}` +
      `  Selection:\n    Type: AWS::Backup::BackupSelection\n    Properties:\n      BackupPlanId: !Ref Plan\n      BackupSelection:\n        SelectionName: files\n        IamRoleArn: arn:aws:iam::123456789012:role/backup\n        Resources:\n        - ${selected}\n`,
    'Parameters:\n  Retention:\n    Type: Number\n    Default: 30\n'
  )
const PITR = '      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n'

const lambda = (props: string): string =>
  cfn(`  Handler:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/handler\n      Code:\n        S3Bucket: artifacts\n        S3Key: handler.zip\n${props}`)
const TRACING = '      TracingConfig:\n        Mode: Active\n'
/** A function given the passwords of a Kafka client's truststore and keystore. */
const kafkaEnv = lambda(TRACING + '      Environment:\n        Variables:\n          KAFKA_TRUSTSTORE_PASSWORD: trustPw-2291\n          KAFKA_KEYSTORE_PASSWORD: keyPw-7713x\n')

const eks = (props: string): string =>
  cfn(`  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      RoleArn: arn:aws:iam::123456789012:role/eks\n      ResourcesVpcConfig:\n        SubnetIds: [subnet-1, subnet-2]\n${props}`)

const instance = (props: string): string =>
  cfn(`  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-12345678\n      InstanceType: t3.micro\n${props}`)
const launchTemplate = (data: string): string =>
  cfn(`  Template:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        ImageId: ami-12345678\n${data}`)

/** An instance of the same stack launched from the `Template` resource (appended after it). */
const FROM_TEMPLATE = '  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      LaunchTemplate:\n        LaunchTemplateId: !Ref Template\n        Version: !GetAtt Template.LatestVersionNumber\n      InstanceType: t3.micro\n'
const FROM_PARAMETER = '      LaunchTemplate:\n        LaunchTemplateId: !Ref TemplateId\n        Version: "1"\n'

/** An instance whose AMI comes from an SSM-typed parameter defaulting to the given public parameter path. */
const fromSsmAmi = (path: string, props = '      KeyName: ops\n'): string =>
  instance(props)
    .replace('ImageId: ami-12345678', 'ImageId: !Ref AmiPath')
    .replace('Resources:\n', `Parameters:\n  AmiPath:\n    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>'\n    Default: ${path}\nResources:\n`)
const AL2023 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'
const AL2 = '/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2'

const lb = (attrs: string): string =>
  cfn(`  Balancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Type: application\n      Subnets: [subnet-1, subnet-2]\n${attrs}`)

const sshFromParam = sg(rule(22, 22, '!Ref AllowedCidr'), `Parameters:\n  AllowedCidr:\n    Type: String\n    Default: 0.0.0.0/0\n`)
const sshFromParamNarrow = sg(rule(22, 22, '!Ref AllowedCidr'), `Parameters:\n  AllowedCidr:\n    Type: String\n    Default: 10.0.0.0/8\n`)

/**
 * A standalone ingress rule for a port the deployer names in a parameter (`Default` given as
 * `def`, e.g. `''`); the rule exists only when the port is set (its own `Condition`) and is open
 * to the world unless a client group is named.
 */
const portFromParameter = (def: string, cidr = "!If [HasClientGroup, !Ref 'AWS::NoValue', '0.0.0.0/0']"): string =>
  cfn(
    `  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: app\n  ExtraPortIngress:\n    Type: AWS::EC2::SecurityGroupIngress\n    Condition: HasExtraPort\n    Properties:\n      GroupId: !Ref Group\n      IpProtocol: tcp\n      FromPort: !Ref ExtraPort\n      ToPort: !Ref ExtraPort\n      CidrIp: ${cidr}\n`,
    `Parameters:\n  ExtraPort:\n    Type: String\n${def}  ClientGroup:\n    Type: String\n    Default: ''\nConditions:\n  HasExtraPort: !Not [!Equals [!Ref ExtraPort, '']]\n  HasClientGroup: !Not [!Equals [!Ref ClientGroup, '']]\n`
  )
const UNKNOWN_PORT = /^`ExtraPortIngress` opens the port given by parameter `ExtraPort` to 0\.0\.0\.0\/0, a port chosen at deployment .*\(when condition `HasExtraPort` is true, when condition `HasClientGroup` is false\)$/

/**
 * SSH open to the world on `Guard`, whose only use is a network interface in the subnet a
 * `SubnetName` parameter (allowing `subnets`) names through an import, with `more` resources after it.
 */
const sshOnInterface = (subnets: string, more = ''): string =>
  guarding(
    `  Interface:\n    Type: AWS::EC2::NetworkInterface\n    Properties:\n      GroupSet: [!Ref Guard]\n      SubnetId: {'Fn::ImportValue': !Sub '\${ParentVPCStack}-\${SubnetName}'}\n${more}`,
    rule(22, 22),
    `Parameters:\n  ParentVPCStack:\n    Type: String\n  SubnetName:\n    Type: String\n    Default: SubnetAPrivate\n    AllowedValues: [${subnets}]\n`
  )
/** SSH open to the world on `Guard`, used by a launch template (extra `data`) whose Auto Scaling group spreads over template subnet `Inner`. */
const sshOnLaunchTemplate = (data: string, subnet = ''): string =>
  guarding(
    `  Template:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        SecurityGroupIds: [!Ref Guard]\n${data}` +
      `  Inner:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n${subnet}` +
      '  Fleet:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      MinSize: 1\n      MaxSize: 2\n      VPCZoneIdentifier: [!Ref Inner]\n      LaunchTemplate:\n        LaunchTemplateId: !Ref Template\n        Version: !GetAtt Template.LatestVersionNumber\n',
    rule(22, 22)
  )
/**
 * SSH open to the world (or `ingress`) on `Guard`, used by instance `Host` (extra `props`) in template
 * subnet `Inner` (extra `subnet` properties), with `more` resources after it.
 */
const sshOnInstance = (props = '', more = '', subnet = '', ingress = rule(22, 22)): string =>
  guarding(
    `  Host:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      SubnetId: !Ref Inner\n      SecurityGroupIds: [!Ref Guard]\n${props}` +
      `  Inner:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n${subnet}${more}`,
    ingress
  )
/** An internet-facing network load balancer forwarding TCP 22 to target group `Targets` (extra `targets` properties). */
const sshBalancer = (targets: string): string =>
  '  Nlb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Type: network\n      Scheme: internet-facing\n      Subnets: [subnet-1]\n' +
  `  Targets:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      Protocol: TCP\n      Port: 22\n      VpcId: vpc-1\n${targets}` +
  '  Forward:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: !Ref Nlb\n      Protocol: TCP\n      Port: 22\n      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]\n'
const SSH_V6 = '        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIpv6: ::/0\n'
/** An instance behind `Guard`, with nothing in its user data. */
const VPN_HOST = '  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      SecurityGroupIds: [!Ref Guard]\n'
const PRIVATE_HOSTS = /guards only `(Interface|Template|Host)`, hosts without a public address \(private subnets, no Elastic IP\): the port is reachable only from inside the VPC and its peers: medium\)$/

/** A policy switch named after a password, passed to a custom resource under the same name. */
const passwordSwitch = (param: string): string =>
  cfn(
    '  Policy:\n    Type: Custom::PasswordPolicy\n    Properties:\n      ServiceToken: policyHandlerArn\n      AllowUsersToChangePassword: !Ref AllowUsersToChangePassword\n',
    `Parameters:\n  AllowUsersToChangePassword:\n${param}`
  )

const literalPassword = db(DB_OK).replace('      ManageMasterUserPassword: true\n', '      MasterUserPassword: Zq8vLm2Kp9Xw4R\n')
const resolvedPassword = db(DB_OK).replace('      ManageMasterUserPassword: true\n', "      MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'\n")
const publicResolved = resolvedPassword.replace('PubliclyAccessible: false', 'PubliclyAccessible: true')
const publicIf = bucket(BUCKET_OK + '      AccessControl: !If [Open, PublicRead, Private]\n').replace('Resources:\n', 'Conditions:\n  Open: !Equals [!Ref AWS::Region, us-east-1]\nResources:\n')
const sshFromMap = (cidr: string): string =>
  sg(rule(22, 22, cidr), 'Parameters:\n  Env:\n    Type: String\n    AllowedValues: [prod, dev]\nMappings:\n  Net:\n    prod:\n      Admin: 10.0.0.0/8\n    dev:\n      Admin: 0.0.0.0/0\n')
const protectFromParam = (value: string): string =>
  db(DB_OK.replace('DeletionProtection: true', 'DeletionProtection: !Ref Protect')).replace("AWSTemplateFormatVersion: '2010-09-09'\n", `AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Protect:\n    Type: String\n    Default: '${value}'\n`)
/** A function told where its secret is (an ARN or name in its environment), never the secret itself. */
const secretRefParam = (name: string): string =>
  lambda(TRACING + `      Environment:\n        Variables:\n          DB_SECRET_ARN: !Ref ${name}\n`).replace("AWSTemplateFormatVersion: '2010-09-09'\n", `AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  ${name}:\n    Type: String\n`)
const paramPassword = (noEcho: boolean): string =>
  db(DB_OK).replace('      ManageMasterUserPassword: true\n', '      MasterUserPassword: !Ref DBPassword\n').replace("AWSTemplateFormatVersion: '2010-09-09'\n", `AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  DBPassword:\n    Type: String\n${noEcho ? '    NoEcho: true\n' : ''}`)

/** A function whose environment holds a Vault service token literal. */
const vaultEnv =
  "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      Role: arn:aws:iam::123456789012:role/fn\n      Code:\n        ZipFile: pass\n      Environment:\n        Variables:\n          VAULT_TOKEN: hvs.CAESIJ8kq2Xv7nLmPz4Rt9Wc\n"

/** A template with one String parameter named `name` and no NoEcho, used by an output. */
const standaloneSecretParam = (name: string): string =>
  `AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  ${name}:\n    Type: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n`

/** A SAM function; `Tracing: Active` may come from the template's Globals. */
const sam = (fnProps: string, globals = ''): string =>
  `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n${globals}Resources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n${fnProps}`
const JSON_DB = JSON.stringify(
  { AWSTemplateFormatVersion: '2010-09-09', Resources: { Database: { Type: 'AWS::RDS::DBInstance', DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot', Properties: { Engine: 'postgres', DBInstanceClass: 'db.t3.micro', ManageMasterUserPassword: true, PubliclyAccessible: true, BackupRetentionPeriod: 7, StorageEncrypted: true, MultiAZ: true, DeletionProtection: true } } } },
  null,
  2
)

/** An Aurora cluster member: storage, backups, Multi-AZ and deletion protection belong to its cluster. */
const AURORA_MEMBER = cfn('  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: aurora-postgresql\n      DBClusterIdentifier: !Ref Cluster\n      DBInstanceClass: db.r6g.large\n      PubliclyAccessible: false\n')
/** A read replica: its data and backups are the source's. */
const REPLICA = db(DB_OK.replace('BackupRetentionPeriod: 7', 'BackupRetentionPeriod: 0') + '      SourceDBInstanceIdentifier: !Ref Primary\n')

const SECRET = "  DbSecret:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      GenerateSecretString:\n        SecretStringTemplate: '{\"username\":\"app\"}'\n        GenerateStringKey: password\n"
const rotation = (secretId: string): string => `  Rotation:\n    Type: AWS::SecretsManager::RotationSchedule\n    Properties:\n      SecretId: ${secretId}\n      RotationRules:\n        AutomaticallyAfterDays: 30\n`
const UNROTATED = cfn(SECRET)

export const cloudformationCases: CaseTable = {
  'cfn/secret-no-rotation': {
    valid: [
      { code: cfn(SECRET + rotation('!Ref DbSecret')) },
      { name: 'long-form Ref', code: cfn(SECRET + rotation('{ "Ref": "DbSecret" }')) },
      { name: 'a schedule whose secret is a parameter may rotate it', code: cfn(SECRET + rotation('!Ref SecretArn'), 'Parameters:\n  SecretArn:\n    Type: String\n') },
      {
        name: 'a schedule naming the secret through its target attachment',
        code: cfn(SECRET + '  Attachment:\n    Type: AWS::SecretsManager::SecretTargetAttachment\n    Properties:\n      SecretId: !Ref DbSecret\n      TargetId: !Ref Database\n      TargetType: AWS::RDS::DBInstance\n' + rotation('!Ref Attachment'))
      }
    ],
    invalid: [
      at(UNROTATED, 'DbSecret:', { severity: 'low', message: /^hardening: / }),
      at(cfn(SECRET + rotation('!Ref DbSecret') + SECRET.replace('DbSecret', 'ApiKey')), 'ApiKey:', {}, 'a schedule for another secret')
    ]
  },
  'cfn/dynamodb-no-point-in-time-recovery': {
    valid: [{ code: table(PITR) }],
    invalid: [at(table(''), 'Table:')]
  },
  'cfn/eks-public-endpoint': {
    valid: [{ code: eks('        EndpointPublicAccess: false\n        EndpointPrivateAccess: true\n') }],
    invalid: [at(eks(''), 'ResourcesVpcConfig'), at(eks('        EndpointPublicAccess: true\n'), 'EndpointPublicAccess', {}, 'explicitly public')]
  },
  'cfn/iam-service-wildcard': {
    valid: [{ code: policy(stmt("['s3:GetObject']", "'*'")) }, { name: 'service wildcard on a named resource', code: policy(stmt("'s3:*'", "'arn:aws:s3:::assets/*'")) }],
    invalid: [
      at(policy(stmt("'iot:*'", "'*'")), "iot:*", { severity: 'medium' }),
      at(policy(stmt("['ssmmessages:*', 'ec2messages:*']", "'*'")), 'ssmmessages:*', { severity: 'low', message: /allows `ssmmessages:\*`, `ec2messages:\*` on every resource \(the Systems Manager agent's message channels: .*: low\)$/ }, "the SSM agent's message channels, which take no resource: low"),
      at(policy(stmt("['ssmmessages:*', 'ssm:*']", "'*'")), 'ssmmessages:*', { severity: 'medium' }, 'a message channel beside ssm:*: medium'),
      at(serviceRole('[application-autoscaling.amazonaws.com]', "['application-autoscaling:*', 'cloudwatch:DescribeAlarms']"), 'application-autoscaling:*', { severity: 'low', message: /only the AWS service `application-autoscaling\.amazonaws\.com` can assume the role.*: low\)$/ }, "a role only the service can assume, on that service's own actions"),
      at(
        serviceRole("!Sub 'application-autoscaling.${AWS::URLSuffix}'", "'application-autoscaling:*'", '      Roles: [!Ref Role]\n'),
        'application-autoscaling:*',
        { severity: 'low' },
        'a standalone policy attached only to such a role (the principal an Fn::Sub of the URL suffix)'
      ),
      at(serviceRole('[application-autoscaling.amazonaws.com]', "['ecs:*']"), 'ecs:*', { severity: 'medium' }, "another service's wildcard stays medium"),
      at(serviceRole('lambda.amazonaws.com', "'lambda:*'"), 'lambda:*', { severity: 'medium' }, "a function's role: the function's code holds it"),
      at(serviceRole('ssm.amazonaws.com', "'ssm:*'"), 'ssm:*', { severity: 'medium' }, "an SSM automation's role: its documents run scripts and commands with it"),
      at(serviceRole('kinesisanalytics.amazonaws.com', "'kinesisanalytics:*'"), 'kinesisanalytics:*', { severity: 'medium' }, "a Flink application's role: the application's code holds it"),
      at(serviceRole('[application-autoscaling.amazonaws.com]', "'application-autoscaling:*'").replace('Service: [application-autoscaling.amazonaws.com]', 'Service: [application-autoscaling.amazonaws.com]\n                AWS: !Ref AWS::AccountId'), 'application-autoscaling:*', { severity: 'medium' }, 'the account may assume the role too')
    ]
  },
  'cfn/iam-wildcard-policy': {
    valid: [
      { code: policy(stmt("['s3:GetObject']", "'arn:aws:s3:::assets/*'")) },
      { name: 'Deny statement', code: policy(stmt("'*'", "'*'").replace('Effect: Allow', 'Effect: Deny')) },
      { name: 'an AWS::IAM::Policy attached to no role, user or group grants nothing', code: cfn(allowAll('AWS::IAM::Policy')) },
      { name: 'a managed policy used as a permissions boundary (Ref)', code: cfn(allowAll('AWS::IAM::ManagedPolicy') + role('      PermissionsBoundary: !Ref Policy\n')) },
      {
        name: 'a managed policy used as a permissions boundary (Fn::Sub, inside Fn::If)',
        code: cfn(allowAll('AWS::IAM::ManagedPolicy') + role("      PermissionsBoundary: !If [Bounded, !Sub '${Policy}', !Ref AWS::NoValue]\n"))
      },
      { name: "CDK bootstrap's boundary, named so", code: cfn(NAMED_BOUNDARY) }
    ],
    invalid: [
      at(policy(stmt("'*'", "'*'")), "Action: '*'", { severity: 'high' }),
      at(cfn(allowAll('AWS::IAM::Policy', '      Roles: [!Ref Role]\n') + role('')), "Action: '*'", {}, 'an AWS::IAM::Policy attached to a role'),
      at(cfn(NAMED_BOUNDARY + role('      ManagedPolicyArns: [!Ref Policy]\n')), "Action: '*'", {}, 'a boundary-named policy that a role also takes as a managed policy'),
      at(cfn(allowAll('AWS::IAM::ManagedPolicy', '      Groups: [ops]\n') + role('      PermissionsBoundary: !Ref Policy\n')), "Action: '*'", {}, 'a boundary also attached to a group')
    ]
  },
  'cfn/imdsv1-allowed': {
    valid: [
      { code: launchTemplate('        MetadataOptions:\n          HttpTokens: required\n') },
      { name: 'instance', code: instance('      MetadataOptions:\n        HttpTokens: required\n') },
      { name: 'instance launched from a launch template of the stack that requires tokens', code: launchTemplate('        MetadataOptions:\n          HttpTokens: required\n') + FROM_TEMPLATE },
      { name: 'instance launched from a launch template given as a parameter', code: instance(FROM_PARAMETER).replace('Resources:\n', 'Parameters:\n  TemplateId:\n    Type: String\nResources:\n') },
      { name: 'an Amazon Linux 2023 AMI from its public SSM parameter requires tokens by default', code: fromSsmAmi(AL2023) },
      { name: 'an Amazon Linux 2023 AMI resolved in a launch template', code: launchTemplate('        InstanceType: t3.micro\n').replace('ImageId: ami-12345678', `ImageId: '{{resolve:ssm:${AL2023}}}'`) }
    ],
    invalid: [
      at(launchTemplate('        MetadataOptions:\n          HttpTokens: optional\n'), 'HttpTokens'),
      at(instance('      MetadataOptions:\n        HttpTokens: optional\n'), 'HttpTokens', {}, 'instance'),
      at(instance('      KeyName: ops\n'), 'Server:', {}, 'instance without metadata options or launch template'),
      at(launchTemplate('        MetadataOptions:\n          HttpTokens: optional\n') + FROM_TEMPLATE, 'HttpTokens', {}, 'the launch template is reported, not the instance launched from it'),
      at(instance(FROM_PARAMETER + '      MetadataOptions:\n        HttpTokens: optional\n'), 'HttpTokens', {}, 'the instance overrides its launch template with optional tokens'),
      at(fromSsmAmi(AL2), 'Server:', {}, 'an Amazon Linux 2 AMI from its public SSM parameter still answers IMDSv1'),
      at(fromSsmAmi(AL2023, '      MetadataOptions:\n        HttpTokens: optional\n'), 'HttpTokens', {}, 'an Amazon Linux 2023 instance that turns tokens back to optional'),
      at(fromSsmAmi(AL2023).replace("'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>'", 'String'), 'Server:', {}, 'a String parameter holding the path is no SSM lookup')
    ]
  },
  'cfn/lambda-no-tracing': {
    valid: [
      { code: lambda(TRACING) },
      { name: 'SAM function with Tracing: Active', code: sam('      Tracing: Active\n') },
      { name: 'SAM function traced through Globals', code: sam('', 'Globals:\n  Function:\n    Tracing: Active\n') }
    ],
    invalid: [at(lambda(''), 'Handler:'), at(sam('      MemorySize: 256\n'), 'Api:', {}, 'SAM function without tracing')]
  },
  'cfn/lb-no-deletion-protection': {
    valid: [{ name: 'protection from a parameter default', code: lb('      LoadBalancerAttributes:\n        - Key: deletion_protection.enabled\n          Value: !Ref Protect\n').replace('Resources:\n', "Parameters:\n  Protect:\n    Type: String\n    Default: 'true'\nResources:\n") }, { code: lb('      LoadBalancerAttributes:\n        - Key: deletion_protection.enabled\n          Value: "true"\n') }],
    invalid: [at(lb(''), 'Balancer:')]
  },
  'cfn/literal-secret': {
    valid: [
      { name: 'dynamic reference to Secrets Manager', code: resolvedPassword },
      { name: 'CFN template under templates/ using resolve:secretsmanager', path: 'templates/database.yaml', code: resolvedPassword },
      { name: 'placeholder', code: literalPassword.replace('Zq8vLm2Kp9Xw4R', 'changeme') },
      {
        name: 'token validity units of a user pool client, keyed by the token they are about',
        code: 'Resources:\n  WebClient:\n    Type: AWS::Cognito::UserPoolClient\n    Properties:\n      UserPoolId: !Ref Pool\n      TokenValidityUnits:\n        AccessToken: hours\n        IdToken: hours\n        RefreshToken: days\n'
      },
      { name: 'dynamic reference built with !Sub', code: resolvedPassword.replace("'{{resolve:secretsmanager:prod/db:SecretString:password}}'", "!Sub '{{resolve:secretsmanager:${DbSecret}:SecretString:password}}'") },
      {
        name: 'custom resource ServiceToken is the handler ARN',
        code: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Lookup:\n    Type: Custom::SubnetLookup\n    Properties:\n      ServiceToken: lookupHandlerArn\n      ClientRequestToken: deploy-42-retry\n'
      }
    ],
    invalid: [
      {
        name: 'a Vault token in a function environment (a random part is no member name)',
        code: vaultEnv,
        errors: [{ line: lineOf(vaultEnv, 'VAULT_TOKEN') }]
      },
      at(literalPassword, 'MasterUserPassword', { severity: 'high' }),
      {
        name: 'a truststore password guards public CA certificates: low; a keystore password (it guards a private key) stays high',
        code: kafkaEnv,
        errors: [
          { line: lineOf(kafkaEnv, 'KAFKA_TRUSTSTORE_PASSWORD'), severity: 'low', message: /truststore, which holds public CA certificates/ },
          { line: lineOf(kafkaEnv, 'KAFKA_KEYSTORE_PASSWORD'), severity: 'high' }
        ]
      },
      at(
        cfn('  Bucket:\n    Type: AWS::S3::Bucket\n', 'Parameters:\n  ClientTrustStorePassword:\n    Type: String\n    NoEcho: true\n    Default: clientTrust42\n'),
        'Default: clientTrust42',
        { severity: 'low', message: /truststore/ },
        'a truststore password as a parameter default: low'
      ),
      at(lambda(TRACING + '      Environment:\n        Variables:\n          API_TOKEN: tok-8fj3k2l9d8s7a6q5\n          LOG_LEVEL: info\n'), 'API_TOKEN', {}, 'Lambda environment')
    ]
  },
  'cfn/log-group-no-retention': {
    valid: [{ name: 'retention from a parameter default', code: cfn('  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: !Ref Days\n', 'Parameters:\n  Days:\n    Type: Number\n    Default: 30\n') }, { code: cfn('  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 30\n') }],
    invalid: [at(cfn('  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: /app/logs\n'), 'Logs:')]
  },
  'cfn/rds-backups-disabled': {
    valid: [{ name: 'read replica', code: REPLICA }, { name: 'Aurora cluster member', code: AURORA_MEMBER }, { code: db(DB_OK) }],
    invalid: [at(dbWith('BackupRetentionPeriod: 7', 'BackupRetentionPeriod: 0'), 'BackupRetentionPeriod', { severity: 'high' })]
  },
  'cfn/rds-no-deletion-protection': {
    valid: [{ name: 'Aurora cluster member', code: AURORA_MEMBER }, { code: db(DB_OK) }, { name: 'CFN !Ref parameter default true', code: protectFromParam('true') }],
    invalid: [
      at(dbWith('      DeletionProtection: true\n', ''), 'Database:', { severity: 'low', message: /\(`DeletionPolicy: Snapshot` and `UpdateReplacePolicy: Snapshot`: a deletion or replacement through CloudFormation keeps a final snapshot .*: low\)$/ }, 'both policies keep a snapshot: low'),
      {
        // A test path lowers it again, to info: the message no longer calls it low.
        ...at(dbWith('      DeletionProtection: true\n', ''), 'Database:', { severity: 'info', message: /only a deletion outside CloudFormation can skip it\) \(In a test or fixture path: reported for information\.\)$/ }, 'both policies keep a snapshot, in a test path: info, not called low'),
        path: 'tests/fixtures/database.yaml'
      },
      at(db(DB_OK.replace('      DeletionProtection: true\n', ''), '    DeletionPolicy: Retain\n    UpdateReplacePolicy: !If [Keep, Snapshot, Retain]\n'), 'Database:', { severity: 'low' }, 'Retain, and Snapshot or Retain by condition: low'),
      at(db(DB_OK.replace('      DeletionProtection: true\n', ''), '    DeletionPolicy: Snapshot\n'), 'Database:', { severity: 'medium' }, 'no UpdateReplacePolicy: a replacing update deletes it, medium'),
      at(db(DB_OK.replace('      DeletionProtection: true\n', ''), '    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: !If [Keep, Snapshot, Delete]\n'), 'Database:', { severity: 'medium' }, 'a condition may choose Delete: medium'),
      { ...at(protectFromParam('false'), 'DeletionProtection', { via: 'parameter default' }), name: 'CFN !Ref parameter default false' }
    ]
  },
  'cfn/rds-publicly-accessible': {
    valid: [{ code: db(DB_OK) }],
    invalid: [
      at(dbWith('PubliclyAccessible: false', 'PubliclyAccessible: true'), 'PubliclyAccessible', { severity: 'high' }),
      { ...at(publicResolved, 'PubliclyAccessible'), name: 'CFN template under templates/ with resolve:secretsmanager is analysed', path: 'templates/database.yaml' },
      { name: 'JSON template', path: 'cfn/stack.json', code: JSON_DB, errors: [{ line: lineOf(JSON_DB, '"PubliclyAccessible"') }] }
    ]
  },
  'cfn/rds-single-az': {
    valid: [{ name: 'Aurora cluster member', code: AURORA_MEMBER }, { code: db(DB_OK) }],
    invalid: [at(dbWith('MultiAZ: true', 'MultiAZ: false'), 'MultiAZ')]
  },
  'cfn/rds-storage-not-encrypted': {
    valid: [{ name: 'Aurora cluster member', code: AURORA_MEMBER }, { code: db(DB_OK) }],
    invalid: [at(dbWith('StorageEncrypted: true', 'StorageEncrypted: false'), 'StorageEncrypted')]
  },
  'cfn/s3-no-public-access-block': {
    valid: [{ code: bucket(BUCKET_OK) }],
    invalid: [at(bucket(VERSIONED), 'Assets:')]
  },
  'cfn/s3-no-versioning': {
    valid: [{ code: bucket(BUCKET_OK) }],
    invalid: [
      at(bucket(BLOCK), 'Assets:'),
      at(bucket(BLOCK) + PIPELINE + ARTIFACT_GRANT, 'Assets:', { severity: 'low', message: /only holds the artifacts of pipeline `Pipeline`.*: low\)$/ }, "a pipeline's artifact store, named only by the pipeline and a grant: low"),
      at(bucket(BLOCK) + PIPELINE.replace('      ArtifactStore:\n        Type: S3\n        Location: !Ref Assets\n', '      ArtifactStores:\n        - Region: eu-west-1\n          ArtifactStore:\n            Type: S3\n            Location: !Ref Assets\n'), 'Assets:', { severity: 'low' }, 'one of a cross-region pipeline\'s artifact stores: low'),
      at(
        bucket(BLOCK) + PIPELINE + ARTIFACT_GRANT.replace(/PipelineRole/g, 'UploaderRole'),
        'Assets:',
        { severity: 'medium' },
        'another role is granted writes on it (a function uploading there): medium'
      ),
      at(bucket(BLOCK) + PIPELINE + ARTIFACT_GRANT + 'Outputs:\n  Uploads:\n    Value: !Ref Assets\n    Export:\n      Name: shared-uploads-bucket\n', 'Assets:', { severity: 'medium' }, 'an output hands the bucket on: medium'),
      at(bucket(BLOCK) + PIPELINE + '  Site:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n        Origins:\n          - DomainName: !GetAtt Assets.RegionalDomainName\n', 'Assets:', { severity: 'medium' }, 'a distribution serves the bucket too: medium'),
      at(
        bucket(BLOCK) + PIPELINE.replace('          Actions: []\n', '          Actions:\n            - Name: Publish\n              Configuration:\n                BucketName: !Ref Assets\n'),
        'Assets:',
        { severity: 'medium' },
        'a deploy action of the pipeline writes into it as well: medium'
      )
    ]
  },
  'cfn/s3-public-access': {
    valid: [{ code: bucket(BUCKET_OK) }],
    invalid: [
      at(bucket(BUCKET_OK + '      AccessControl: PublicRead\n'), 'AccessControl', { severity: 'high' }),
      {
        ...at(bucket(BUCKET_OK + '      AccessControl: PublicRead\n      WebsiteConfiguration:\n        IndexDocument: index.html\n'), 'AccessControl', { severity: 'high' }),
        name: 'a website bucket: the ACL lets anyone list every key, which a site never needs'
      },
      { ...at(publicIf, 'AccessControl', { message: /when condition `Open` is true/, via: 'condition' }), name: 'Fn::If: public in one branch of a condition' }
    ]
  },
  'cfn/s3-public-access-block-disabled': {
    valid: [{ code: bucket(BUCKET_OK) }],
    invalid: [at(bucket(BUCKET_OK.replace('BlockPublicPolicy: true', 'BlockPublicPolicy: false')), 'BlockPublicPolicy')]
  },
  'cfn/secret-parameter-no-echo': {
    valid: [
      { code: paramPassword(true) },
      { name: 'parameter holding the ARN of a secret', code: secretRefParam('DBPasswordSecretArn') },
      { name: 'parameter naming a secret', code: secretRefParam('DBSecretName') },
      { name: 'policy switch named after a password (allow…, boolean AllowedValues)', code: passwordSwitch('    Type: String\n    Default: true\n    AllowedValues: [true, false]\n') },
      { name: 'policy switch named after a password, no AllowedValues', code: passwordSwitch('    Type: String\n    Default: \'true\'\n') },
      { name: 'secret-named parameter that only switches (AllowedValues all boolean)', code: paramPassword(false).replace('    Type: String\n', "    Type: String\n    AllowedValues: ['yes', 'no']\n") },
      { name: 'Number parameter passed to a secret property', code: paramPassword(false).replace('    Type: String\n', '    Type: Number\n') }
    ],
    invalid: [
      at(paramPassword(false), 'DBPassword:'),
      ...['VaultToken', 'SourceDBPassword', 'KeyStorePassword', 'StagePassword'].map((name) => ({
        name: `a secret name holding a word the key classifier reads as a setting (${name})`,
        ...at(standaloneSecretParam(name), `${name}:`)
      })),
      {
        name: 'the key half of a pair whose secret half (same prefix) is NoEcho: low, saying why',
        ...at(
          "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  RafaySysApiKey:\n    Type: String\n  RafaySysApiSecret:\n    Type: String\n    NoEcho: true\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
          'RafaySysApiKey:',
          { severity: 'low', message: /identifier half of a pair whose secret half `RafaySysApiSecret` is NoEcho/ }
        )
      },
      {
        name: 'a key beside a secret that is not NoEcho, or of another prefix: both medium',
        code: "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  PartnerApiKey:\n    Type: String\n  PartnerApiSecret:\n    Type: String\n  BillingApiKey:\n    Type: String\n  OtherApiSecret:\n    Type: String\n    NoEcho: true\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        errors: [
          { line: 3, severity: 'medium' },
          { line: 5, severity: 'medium' },
          { line: 7, severity: 'medium' }
        ]
      },
      {
        name: 'secret parameter whose AllowedValues include a non-boolean',
        ...at(paramPassword(false).replace('    Type: String\n', "    Type: String\n    AllowedValues: ['true', 'hunter-two']\n"), 'DBPassword:')
      }
    ]
  },
  'cfn/sg-open-admin-port': {
    valid: [
      { code: sg(rule(22, 22, '10.0.0.0/8')) },
      { name: 'CFN !Ref parameter default narrow', code: sshFromParamNarrow },
      { name: 'CFN !Ref parameter without default', code: sshFromParamNarrow.replace('    Default: 10.0.0.0/8\n', '') },
      { name: 'Fn::FindInMap with a literal key selecting a narrow row', code: sshFromMap('!FindInMap [Net, prod, Admin]') },
      { name: "range from a parameter defaulting to '' up to 1024 is not read as 0-1024 (covering 22)", code: portFromParameter("    Default: ''\n").replace('ToPort: !Ref ExtraPort', 'ToPort: 1024') }
    ],
    invalid: [
      at(sg(rule(22, 22)), 'CidrIp: 0.0.0.0/0', { severity: 'high' }),
      { name: 'CFN !Ref parameter default 0.0.0.0/0', code: sshFromParam, errors: [{ line: lineOf(sshFromParam, 'CidrIp: !Ref AllowedCidr'), message: /parameter `AllowedCidr` defaults to `0\.0\.0\.0\/0`/, via: 'parameter default' }] },
      at(sg(rule(3389, 3389)), 'CidrIp: 0.0.0.0/0', { message: /RDP/ }, 'RDP'),
      { ...at(sshFromMap('!FindInMap [Net, !Ref Env, Admin]'), 'FindInMap', { message: /under `dev`/, via: 'mapping' }), name: 'Fn::FindInMap: any row the key may select' },
      at(
        portFromParameter("    Default: '22'\n"),
        'CidrIp:',
        { message: /^`ExtraPortIngress` opens SSH \(22\) to 0\.0\.0\.0\/0 \(when condition `HasExtraPort` is true, when condition `HasClientGroup` is false, parameter `ExtraPort` defaults to `22`\)$/, via: 'condition' },
        'resource Condition and a port from a parameter default, both named'
      ),
      at(portFromParameter("    Default: '22'\n", '0.0.0.0/0'), 'CidrIp:', { message: /^`ExtraPortIngress` opens SSH \(22\) to 0\.0\.0\.0\/0 \(when condition `HasExtraPort` is true, parameter `ExtraPort` defaults to `22`\)$/ }, 'resource Condition with a literal source'),
      at(sshOnInterface('SubnetAPrivate, SubnetBPrivate'), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: PRIVATE_HOSTS }, 'only a network interface in a subnet every allowed name calls private: medium'),
      at(sshOnLaunchTemplate(''), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: PRIVATE_HOSTS }, 'only a launch template whose group spreads over a template subnet not mapping public addresses: medium'),
      at(sshOnInterface('SubnetAPrivate, SubnetAPublic'), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'the subnet parameter also allows a public subnet: high'),
      at(sshOnInterface('SubnetAPrivate', "  Address:\n    Type: AWS::EC2::EIPAssociation\n    Properties:\n      AllocationId: eipalloc-1\n      NetworkInterfaceId: !Ref Interface\n"), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'an Elastic IP on the interface: high'),
      at(sshOnInterface('SubnetAPrivate') + "Outputs:\n  Group:\n    Value: !Ref Guard\n    Export:\n      Name: guard\n", 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'the group is exported: another stack may attach it to anything: high'),
      at(sshOnInterface('SubnetAPrivate', "  Other:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      SecurityGroupIds: [!Ref Guard]\n"), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'also on an instance with no subnet (the default VPC): high'),
      at(sshOnLaunchTemplate('        NetworkInterfaces:\n          - DeviceIndex: 0\n            AssociatePublicIpAddress: true\n'), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'a launch template asking for a public address: high'),
      at(sshOnLaunchTemplate('', '      MapPublicIpOnLaunch: true\n'), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'a subnet mapping public addresses on launch: high'),
      at(sshOnInstance(), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: PRIVATE_HOSTS }, 'an instance in a template subnet not mapping public addresses: medium'),
      at(
        sshOnInstance(
          '',
          "  HostAlarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Dimensions: [{Name: InstanceId, Value: !Ref Host}]\n" +
            "  HostPolicy:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: ec2:RebootInstances\n            Resource: !Sub 'arn:aws:ec2:us-east-1:1:instance/${Host}'\n" +
            "  HostName:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      Type: A\n      ResourceRecords: [!GetAtt Host.PrivateIp]\n" +
            "  HostPatching:\n    Type: AWS::SSM::MaintenanceWindowTarget\n    Properties:\n      ResourceType: INSTANCE\n      Targets: [{Key: InstanceIds, Values: [!Ref Host]}]\n      WindowId: mw-1\n" +
            "  HostBackup:\n    Type: AWS::Backup::BackupSelection\n    Properties:\n      BackupPlanId: plan-1\n      BackupSelection:\n        IamRoleArn: arn:aws:iam::1:role/b\n        SelectionName: host\n        Resources: [!Sub 'arn:aws:ec2:us-east-1:1:instance/${Host}']\n"
        ),
        'CidrIp: 0.0.0.0/0',
        { severity: 'medium', message: PRIVATE_HOSTS },
        'an alarm, a policy, a private DNS name, a maintenance window and a backup naming the instance route nothing to it: medium'
      ),

      at(sshOnInstance('', sshBalancer('      TargetType: instance\n      Targets: [{Id: !Ref Host}]\n')), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, "the instance is a target of an internet-facing load balancer's target group: high"),
      at(
        sshOnLaunchTemplate('').replace('      VPCZoneIdentifier: [!Ref Inner]\n', '      VPCZoneIdentifier: [!Ref Inner]\n      TargetGroupARNs: [!Ref Targets]\n') + sshBalancer('      TargetType: instance\n'),
        'CidrIp: 0.0.0.0/0',
        { severity: 'high' },
        'the Auto Scaling group registers its instances with a target group: high'
      ),
      at(sshOnLaunchTemplate('').replace('      VPCZoneIdentifier: [!Ref Inner]\n', '      VPCZoneIdentifier: [!Ref Inner]\n      LoadBalancerNames: [classic-lb]\n'), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'the Auto Scaling group registers with a classic load balancer: high'),
      at(sshOnInstance('', '', '      Ipv6CidrBlock: 2600:1f14::/64\n      AssignIpv6AddressOnCreation: true\n'), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: PRIVATE_HOSTS }, 'an IPv6 subnet does not widen an IPv4 rule: medium'),
      at(sshOnInstance('', '', '      Ipv6CidrBlock: 2600:1f14::/64\n      AssignIpv6AddressOnCreation: true\n', SSH_V6), 'CidrIpv6: ::/0', { severity: 'high' }, '::/0 on an instance whose subnet assigns IPv6 addresses: high'),
      at(sshOnInstance('      Ipv6AddressCount: 1\n', '', '', SSH_V6), 'CidrIpv6: ::/0', { severity: 'high' }, '::/0 on an instance asking for an IPv6 address: high'),
      at(sshOnInstance('', '', '', SSH_V6), 'CidrIpv6: ::/0', { severity: 'medium', message: /no Elastic IP, no IPv6 address\): .*: medium\)$/ }, '::/0 on an instance with no IPv6 address: medium'),
      at(
        sshOnInstance().replace('SubnetId: !Ref Inner', 'SubnetId: !Ref HostSubnet').replace('Resources:\n', "Parameters:\n  HostSubnet:\n    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Subnet::Id>'\n    Default: /network/private-subnet-a\nResources:\n"),
        'CidrIp: 0.0.0.0/0',
        { severity: 'high' },
        'a subnet parameter whose default only says private (a deployer may pass any subnet): high'
      )
    ]
  },
  'cfn/sg-open-all-ports': {
    valid: [{ code: sg(rule(443, 443)) }],
    invalid: [
      at(sg("        - IpProtocol: '-1'\n          CidrIpv6: ::/0\n"), 'CidrIpv6', { severity: 'high' }),
      at(guarding(vpcFunction(), ALL_PORTS), 'CidrIp: 0.0.0.0/0', { severity: 'low', message: /attached only to Lambda function `Worker`: a function has no listener/ }, 'group attached only to a Lambda function: low'),
      at(guarding(GUARDED_DOCDB, ALL_PORTS), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: VPC_ONLY }, 'group attached only to a DocumentDB cluster: medium'),
      at(
        guarding(['A', 'B'].map((zone) => `  Mount${zone}:\n    Type: AWS::EFS::MountTarget\n    Properties:\n      FileSystemId: fs-1\n      SubnetId: subnet-${zone}\n      SecurityGroups: [!Ref Guard]\n`).join('') + vpcFunction(), ALL_PORTS),
        'CidrIp: 0.0.0.0/0',
        { severity: 'medium', message: /attached only to EFS mount targets `MountA` and `MountB` and Lambda functions \(no listener\), with no public endpoint/ },
        'group shared by an EFS mount target and its function: medium'
      ),
      at(guarding(GUARDED_SERVER, ALL_PORTS), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'group attached to an instance stays high'),
      at(guarding(vpcFunction() + GUARDED_SERVER, ALL_PORTS), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'group attached to a function and an instance stays high')
    ]
  },
  'cfn/sg-open-data-port': {
    valid: [{ code: sg(rule(5432, 5432, '10.0.0.0/16')) }],
    invalid: [
      at(sg(rule(5432, 5432)), 'CidrIp: 0.0.0.0/0', { severity: 'high', message: /PostgreSQL/ }),
      at(sg(rule(6379, 6379)), 'CidrIp: 0.0.0.0/0', { message: /Redis/ }, 'redis'),
      // Lambda functions: no listener behind the group.
      at(guarding(vpcFunction()), 'CidrIp: 0.0.0.0/0', { severity: 'low', message: NO_LISTENER }, 'group attached only to a Lambda function'),
      at(guarding(vpcFunction('AWS::Serverless::Function')), 'CidrIp: 0.0.0.0/0', { severity: 'low', message: NO_LISTENER }, 'group attached only to a SAM function'),
      at(
        guarding(vpcFunction('AWS::Serverless::Function', "!If [InVpc, [!Ref Guard], [!Ref 'AWS::NoValue']]"), rule(5432, 5432), 'Conditions:\n  InVpc: !Equals [!Ref AWS::Region, eu-west-1]\n'),
        'CidrIp: 0.0.0.0/0',
        { severity: 'low', message: NO_LISTENER },
        'group attached to a function under a condition'
      ),
      at(
        guarding("  Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n", rule(5432, 5432), 'Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    VpcConfig:\n      SecurityGroupIds: [!Ref Guard]\n      SubnetIds: [subnet-1]\n'),
        'CidrIp: 0.0.0.0/0',
        { severity: 'low', message: /every function \(SAM `Globals`\)/ },
        'group attached to every function through SAM Globals'
      ),
      at(
        cfn("  Guard:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: guard\n  GuardIngress:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: !GetAtt Guard.GroupId\n      IpProtocol: tcp\n      FromPort: 5432\n      ToPort: 5432\n      CidrIp: 0.0.0.0/0\n" + vpcFunction()),
        'CidrIp: 0.0.0.0/0',
        { severity: 'low', message: NO_LISTENER },
        'standalone ingress on a group attached only to a function'
      ),
      at(guarding('').replace('  Guard:\n', '  lambdaSg:\n'), 'CidrIp: 0.0.0.0/0', { severity: 'low', message: /by its name, a Lambda function's security group/ }, 'unattached group named for Lambda functions'),
      at(guarding('').replace('  Guard:\n', '  lambdaToRdsSg:\n'), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'unattached group whose name also names a database stays high'),
      at(guarding(vpcFunction() + GUARDED_SERVER), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'group attached to a function and an instance stays high'),
      at(
        guarding(vpcFunction() + 'Outputs:\n  GuardId:\n    Value: !GetAtt Guard.GroupId\n    Export:\n      Name: shared-guard\n'),
        'CidrIp: 0.0.0.0/0',
        { severity: 'high' },
        'group exported for other stacks to attach stays high'
      ),
      at(guarding(vpcFunction() + 'Outputs:\n  GuardId:\n    Value: !GetAtt Guard.GroupId\n'), 'CidrIp: 0.0.0.0/0', { severity: 'low', message: NO_LISTENER }, 'an output that only shows the group id exports nothing'),
      at(
        guarding(vpcFunction('AWS::Lambda::Function', '[!Ref Guard]', '      Environment:\n        Variables:\n          TASK_GROUP: !Ref Guard\n')),
        'CidrIp: 0.0.0.0/0',
        { severity: 'high' },
        'group a function also hands on (to tasks it starts) stays high'
      ),
      // Data stores with no public endpoint: reachable from the VPC and its peers only.
      at(guarding(GUARDED_DOCDB, rule(27017, 27017)), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: VPC_ONLY }, 'group attached only to a DocumentDB cluster'),
      at(guarding(GUARDED_DOCDB + vpcFunction(), rule(27017, 27017)), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: VPC_ONLY }, 'group shared by a DocumentDB cluster and its client function'),
      at(guarding(guardedCache('redis'), rule(6379, 6379)), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: /ElastiCache cluster `Cache`, with no public endpoint/ }, 'group attached only to an ElastiCache cluster'),
      at(guarding(guardedDb(PRIVATE)), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: VPC_ONLY }, 'RDS instance with PubliclyAccessible false'),
      at(
        guarding(guardedDb('      PubliclyAccessible: !Ref Public\n'), rule(5432, 5432), "Parameters:\n  Public:\n    Type: String\n    Default: 'false'\n"),
        'CidrIp: 0.0.0.0/0',
        { severity: 'medium', message: VPC_ONLY },
        'RDS instance private through a parameter default'
      ),
      at(
        guarding(guardedDb('      PubliclyAccessible: !If [Open, true, false]\n'), rule(5432, 5432), 'Conditions:\n  Open: !Equals [!Ref AWS::Region, eu-west-1]\n'),
        'CidrIp: 0.0.0.0/0',
        { severity: 'high' },
        'RDS instance public under a condition stays high'
      ),
      at(guarding(guardedDb('')), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'RDS instance with PubliclyAccessible unset stays high'),
      at(guarding(guardedDb('      PubliclyAccessible: true\n')), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'public RDS instance on its own port stays high'),
      at(guarding(GUARDED_DOCDB + GUARDED_SERVER, rule(27017, 27017)), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'group shared by a DocumentDB cluster and an instance stays high'),
      at(guarding(guardedAurora('aurora-postgresql', PRIVATE), rule(5432, 5432)), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: /RDS cluster `Cluster`/ }, 'Aurora cluster whose every member is private'),
      at(guarding(guardedAurora('aurora-postgresql', ''), rule(5432, 5432)), 'CidrIp: 0.0.0.0/0', { severity: 'high' }, 'Aurora cluster with a member of unknown exposure stays high'),
      // Ports the store behind the group does not listen on.
      at(
        guarding(guardedAurora('aurora-postgresql', PRIVATE), rule(3306, 3306)),
        'CidrIp: 0.0.0.0/0',
        { severity: 'low', message: /the only data store it guards, RDS cluster `Cluster`, listens on 5432: nothing listens on the port opened\)$/ },
        'MySQL port on a group guarding a PostgreSQL cluster'
      ),
      at(guarding(guardedAurora('aurora-postgresql', ''), rule(3306, 3306)), 'CidrIp: 0.0.0.0/0', { severity: 'low', message: /listens on 5432/ }, 'port mismatch lowers a cluster of unknown exposure too'),
      at(guarding(guardedAurora('aurora-postgresql', PRIVATE, '      Port: 3306\n'), rule(3306, 3306)), 'CidrIp: 0.0.0.0/0', { severity: 'medium', message: VPC_ONLY }, "the store's written Port is the one it listens on"),
      at(guarding(guardedDb('      Port: 5433\n'), rule(5432, 5432)), 'CidrIp: 0.0.0.0/0', { severity: 'low', message: /listens on 5433/ }, 'RDS instance on a written port other than the one opened'),
      at(guarding(guardedCache('memcached'), rule(6379, 6379)), 'CidrIp: 0.0.0.0/0', { severity: 'low', message: /listens on 11211/ }, 'Redis port on a Memcached cluster'),
      at(
        guarding(guardedCache('memcached') + guardedCache('memcached').replace('  Cache:', '  Sessions:'), rule(6379, 6379)),
        'CidrIp: 0.0.0.0/0',
        { severity: 'low', message: /\(the data stores it guards listen on 11211: nothing listens on the port opened\)$/ },
        'Redis port on a group guarding two Memcached clusters'
      ),
      at(
        guarding(guardedDb('', '!Ref DbEngine'), rule(3306, 3306), 'Parameters:\n  DbEngine:\n    Type: String\n'),
        'CidrIp: 0.0.0.0/0',
        { severity: 'high' },
        'engine chosen at deployment: its port is not known, stays high'
      )
    ]
  },
  'cfn/sg-open-port': {
    valid: [
      { name: 'web ports open to the world', code: sg(rule(443, 443) + rule(80, 80)) },
      { name: 'egress rule', code: sg(rule(8080, 8080)).replace('SecurityGroupIngress', 'SecurityGroupEgress') },
      { name: 'port from a parameter, source narrow', code: portFromParameter("    Default: ''\n", '10.0.0.0/8') },
      { name: 'port from a parameter defaulting to a web port', code: portFromParameter("    Default: '443'\n") },
      { name: 'port from a parameter that is no template parameter (an import)', code: portFromParameter("    Default: ''\n").replace(/(From|To)Port: !Ref ExtraPort/g, "$1Port: !ImportValue shared-port") }
    ],
    invalid: [
      at(sg(rule(8080, 8080)), 'CidrIp: 0.0.0.0/0', { severity: 'medium' }),
      at(
        guarding(VPN_HOST, rule(500, 500, '0.0.0.0/0', 'udp'), "Description: 'A highly available SoftEther VPN server'\n"),
        'CidrIp: 0.0.0.0/0',
        { severity: 'low', message: /opens port 500 to 0\.0\.0\.0\/0 \(IPsec IKE over UDP, and the template's description calls it a VPN server, and the group guards `Server`: clients connect from anywhere, so the port is open by design: low\)$/ },
        'IPsec on a host of a template described as a VPN server: low'
      ),
      at(
        guarding(VPN_HOST, rule(1194, 1194, '0.0.0.0/0', 'udp'), "Description: 'VPC: highly available SoftEther VPN bastion host/instance'\n"),
        'CidrIp: 0.0.0.0/0',
        { severity: 'low', message: /OpenVPN over UDP, and the template's description calls it a VPN server/ },
        'a template described as a VPN bastion host, on its host: low'
      ),
      at(sg(rule(500, 500, '0.0.0.0/0', 'udp'), "Description: 'A highly available SoftEther VPN server'\n"), 'CidrIp: 0.0.0.0/0', { severity: 'medium' }, 'a VPN-server template, but the group guards no host: medium'),
      at(sg(rule(5555, 5555), 'Description: App stack (reachable over the corporate VPN)\n'), 'CidrIp: 0.0.0.0/0', { severity: 'medium' }, 'a template description that only mentions a VPN, on a group attached to nothing: medium'),
      at(guarding(VPN_HOST, rule(992, 992), 'Description: App stack (reachable over the corporate VPN)\n'), 'CidrIp: 0.0.0.0/0', { severity: 'medium' }, 'a template description that only mentions a VPN, on a host: medium'),
      at(sg(rule(40000, 44999, '0.0.0.0/0', 'udp')).replace('GroupDescription: web', 'GroupDescription: softether endpoint'), 'CidrIp: 0.0.0.0/0', { severity: 'low', message: /SoftEther UDP acceleration over UDP, and the group's `GroupDescription` names a VPN server/ }, "SoftEther's UDP range on a group described so: low"),
      at(
        guarding("  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      SecurityGroupIds: [!Ref Guard]\n      UserData:\n        Fn::Base64: !Sub |\n          #!/bin/bash\n          apt-get install -y wireguard-tools\n", rule(51820, 51820, '0.0.0.0/0', 'udp')),
        'CidrIp: 0.0.0.0/0',
        { severity: 'low', message: /WireGuard over UDP, and the user data of `Server`, which the group guards, sets up a VPN server/ },
        'WireGuard on an instance whose user data installs it: low'
      ),
      at(sg(rule(500, 500, '0.0.0.0/0', 'udp')), 'CidrIp: 0.0.0.0/0', { severity: 'medium' }, 'a VPN port on a group nothing calls a VPN server: medium'),
      at(sg(rule(8080, 8080), "Description: 'A VPN server'\n"), 'CidrIp: 0.0.0.0/0', { severity: 'medium' }, 'another port on a VPN server: medium'),
      at(sg(rule(500, 500), "Description: 'A VPN server'\n"), 'CidrIp: 0.0.0.0/0', { severity: 'medium' }, 'IPsec port 500 over TCP is no IKE endpoint: medium'),
      at(portFromParameter("    Default: ''\n"), 'CidrIp:', { severity: 'low', message: UNKNOWN_PORT }, "port from a parameter defaulting to '' (never port 0)"),
      at(portFromParameter(''), 'CidrIp:', { severity: 'low', message: UNKNOWN_PORT }, 'port from a parameter without a default'),
      at(portFromParameter("    Default: '8080'\n"), 'CidrIp:', { severity: 'medium', message: /opens port 8080 to 0\.0\.0\.0\/0 .*parameter `ExtraPort` defaults to `8080`/ }, 'port from a parameter default'),
      at(
        sg(rule('!Ref FirstPort', '!Ref LastPort'), 'Parameters:\n  FirstPort:\n    Type: Number\n  LastPort:\n    Type: Number\n'),
        'CidrIp: 0.0.0.0/0',
        { severity: 'low', message: /opens the ports from parameter `FirstPort` to parameter `LastPort` to 0\.0\.0\.0\/0/ },
        'port range from two parameters'
      ),
      at(
        guarding(balancer('application') + listener('HTTP', 80) + listener('HTTPS', 443), ALL_PORTS),
        'CidrIp: 0.0.0.0/0',
        { severity: 'low', message: /security group of load balancer `Balancer`: only its listener ports are reachable.*every listener in view is HTTP\(S\) or on port 80\/443: `HttpListener` \(HTTP 80\), `HttpsListener` \(HTTPS 443\): low\)$/ },
        "all ports on an ALB's group whose listeners are HTTP 80 and HTTPS 443"
      ),
      at(guarding(balancer('network') + listener('TCP', 80) + listener('TCP', 5432), ALL_PORTS), 'CidrIp: 0.0.0.0/0', { severity: 'medium' }, 'a network load balancer with a listener on 5432 keeps medium'),
      at(guarding(balancer('application'), ALL_PORTS), 'CidrIp: 0.0.0.0/0', { severity: 'medium' }, 'no listener in view keeps medium'),
      {
        name: 'a group named for a load balancer, whose listener sits in a nested stack beside it',
        files: {
          'infra/groups.yaml': cfn(`  LoadBalancerSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: in front of the services\n      SecurityGroupIngress:\n${ALL_PORTS}`),
          'infra/alb.yaml': cfn(balancer('application').replace('[!Ref Guard]', '[!Ref SecurityGroup]') + listener('HTTP', 80), 'Parameters:\n  SecurityGroup:\n    Type: AWS::EC2::SecurityGroup::Id\n')
        },
        errors: [{ line: 9, path: 'infra/groups.yaml', severity: 'low', message: /by its name, a load balancer's security group.*`HttpListener` \(HTTP 80\) in `infra\/alb\.yaml`: low\)$/ }]
      }
    ]
  },
  'cfn/stateful-no-deletion-policy': {
    valid: [{ name: 'Aurora cluster member', code: AURORA_MEMBER }, 
      { code: db(DB_OK) },
      { name: 'S3 bucket deletion policy (a non-empty bucket cannot be deleted)', code: bucket(BUCKET_OK, '') },
      { name: 'RDS instance is snapshotted on deletion by default', code: db(DB_OK, '    UpdateReplacePolicy: Snapshot\n') },
      { name: 'Memcached keeps no data and cannot be snapshotted', code: cache('Engine: memcached') },
      { name: 'Memcached through a parameter default', code: cache('Engine: !Ref CacheEngine', 'Parameters:\n  CacheEngine:\n    Type: String\n    Default: memcached\n') }
    ],
    invalid: [
      at(table('', ''), 'Table:', { severity: 'medium', message: /neither DeletionPolicy nor UpdateReplacePolicy/ }, 'neither policy: one finding'),
      at(table(PITR, ''), 'Table:', { severity: 'low', message: /point-in-time recovery keeps a system backup/ }, 'a table with point-in-time recovery leaves a backup when deleted: low'),
      at(cache('Engine: redis'), 'Cache:', {}, 'a Redis cache cluster holds data'),
      at(cache('Engine: !Ref CacheEngine', 'Parameters:\n  CacheEngine:\n    Type: String\n'), 'Cache:', {}, 'an engine chosen at deployment'),
      at(db(DB_OK, '    DeletionPolicy: Delete\n    UpdateReplacePolicy: Snapshot\n'), 'DeletionPolicy: Delete', { severity: 'low', message: /written out, so it reads as a choice/ }, 'explicit Delete: a choice, low'),
      at(table(PITR, '    DeletionPolicy: Delete\n'), 'DeletionPolicy: Delete', { severity: 'low' }, 'explicit Delete and no UpdateReplacePolicy: one finding, low'),
      at(table('', '    UpdateReplacePolicy: Delete\n'), 'UpdateReplacePolicy: Delete', { severity: 'low', message: /`UpdateReplacePolicy: Delete` is written out/ }, 'an explicit UpdateReplacePolicy: Delete is a choice too: low'),
      at(backedUpFiles('!Ref Retention'), 'Files:', { severity: 'low', message: /backup selection `Selection` puts it in plan `Plan`, which keeps copies for 30 days \(parameter `Retention` defaults to `30`\): a backup copy remains after it is deleted: low\)$/ }, 'an AWS Backup selection lists its ARN: low'),
      at(backedUpFiles('', '!GetAtt Files.Arn'), 'Files:', { severity: 'low', message: /keeps copies with no expiry/ }, 'selected by GetAtt, a plan without lifecycle: low'),
      at(backedUpFiles('0'), 'Files:', { severity: 'medium' }, 'a plan keeping nothing: medium'),
      at(
        backedUpFiles('7').replace('    Type: AWS::Backup::BackupSelection\n', '    Type: AWS::Backup::BackupSelection\n    Condition: Backup\n').replace('Resources:\n', "Conditions:\n  Backup: !Equals [!Ref AWS::Region, us-east-1]\nResources:\n"),
        'Files:',
        { severity: 'medium' },
        'a selection under a condition (it may be off): medium'
      ),
      at(
        backedUpFiles('7').replace('    Type: AWS::Backup::BackupPlan\n', '    Type: AWS::Backup::BackupPlan\n    Condition: Backup\n').replace('Resources:\n', "Conditions:\n  Backup: !Equals [!Ref AWS::Region, us-east-1]\nResources:\n"),
        'Files:',
        { severity: 'medium' },
        'a plan under a condition (it may be off): medium'
      ),
      at(backedUpFiles('7', "!Sub 'arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-other'"), 'Files:', { severity: 'medium' }, 'a selection of another file system: medium'),
      at(cfn('  Files:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      BackupPolicy:\n        Status: ENABLED\n'), 'Files:', { severity: 'low', message: /`BackupPolicy` is `ENABLED`/ }, "EFS's own automatic backups: low")
    ]
  },
  'cfn/stateful-no-update-replace-policy': {
    valid: [
      { code: db(DB_OK) },
      { name: 'reported once: no deletion policy either', code: table(PITR, '') },
      { name: 'S3 bucket', code: bucket(BUCKET_OK, '') }
    ],
    invalid: [at(db(DB_OK, '    DeletionPolicy: Snapshot\n'), 'Database:')]
  }
}
