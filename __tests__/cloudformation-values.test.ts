/**
 * CloudFormation values the template decides: parameter defaults (the open-SSH pattern), both
 * branches of Fn::If, Fn::FindInMap rows and Fn::Sub; the deletion-policy claims; the rules for
 * open data ports, service wildcards, IMDSv1, EKS endpoints and load balancer deletion protection.
 */
import { readFileSync } from 'node:fs'
import { analyzeCloudformation } from '../src/rules/cfn/index.js'
import type { Finding } from '../src/types.js'

const analyze = (content: string): Finding[] => analyzeCloudformation({ path: 'stack.yaml', kind: 'cloudformation', content })
const of = (findings: Finding[], ruleId: string): Finding[] => findings.filter((f) => f.ruleId === ruleId)

const ingress = (cidr: string, port: number, head = ''): string =>
  `${head}Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: ${port}\n          ToPort: ${port}\n          CidrIp: ${cidr}\n`

describe('parameter defaults', () => {
  const params = (def: string): string => `Parameters:\n  SSHLocation:\n    Type: String\n    Default: ${def}\n`

  it('reports SSH open through !Ref to a parameter whose default is 0.0.0.0/0', () => {
    const [f] = of(analyze(ingress('!Ref SSHLocation', 22, params('0.0.0.0/0'))), 'cfn/sg-open-admin-port')
    expect(f).toMatchObject({ line: 14, via: 'parameter default' })
    expect(f!.message).toContain('parameter `SSHLocation` defaults to `0.0.0.0/0`')
  })

  it('reads the long form {"Ref": …} and stays quiet for a narrow default or no default', () => {
    expect(of(analyze(ingress('{"Ref": "SSHLocation"}', 22, params('0.0.0.0/0'))), 'cfn/sg-open-admin-port')).toHaveLength(1)
    expect(analyze(ingress('!Ref SSHLocation', 22, params('203.0.113.0/24')))).toEqual([])
    expect(analyze(ingress('!Ref SSHLocation', 22, 'Parameters:\n  SSHLocation:\n    Type: String\n'))).toEqual([])
  })

  it('resolves Fn::Sub built from parameter defaults', () => {
    const t = `Parameters:\n  Prefix:\n    Type: String\n    Default: 0.0.0.0\n${ingress('!Sub "${Prefix}/0"', 5432).slice(0)}`
    expect(of(analyze(t), 'cfn/sg-open-data-port')[0]).toMatchObject({ via: 'parameter default' })
  })
})

describe('mappings', () => {
  const withMap = (cidr: string): string =>
    `Mappings:\n  Net:\n    prod:\n      Admin: 10.0.0.0/8\n    dev:\n      Admin: 0.0.0.0/0\n${ingress(cidr, 22)}`

  it('reports when any row the key may select is open, naming the row', () => {
    const [f] = of(analyze(withMap('!FindInMap [Net, !Ref Env, Admin]')), 'cfn/sg-open-admin-port')
    expect(f).toMatchObject({ via: 'mapping' })
    expect(f!.message).toContain('under `dev`')
  })

  it('uses only the row a literal key selects', () => {
    expect(analyze(withMap('!FindInMap [Net, prod, Admin]'))).toEqual([])
    expect(of(analyze(withMap('!FindInMap [Net, dev, Admin]')), 'cfn/sg-open-admin-port')).toHaveLength(1)
  })
})

describe('open ports beyond SSH and RDP', () => {
  it('names the service of a data port (high) and reports other ports as medium', () => {
    const [db] = analyze(ingress('0.0.0.0/0', 6379))
    expect(db).toMatchObject({ ruleId: 'cfn/sg-open-data-port', severity: 'high', line: 10 })
    expect(db!.message).toContain('6379 (Redis)')
    const [app] = analyze(ingress('::/0', 8080).replace('CidrIp', 'CidrIpv6'))
    expect(app).toMatchObject({ ruleId: 'cfn/sg-open-port', severity: 'medium' })
    expect(analyze(ingress('0.0.0.0/0', 443))).toEqual([])
    expect(analyze(ingress('10.0.0.0/16', 5432))).toEqual([])
  })
})

describe('deletion policies', () => {
  it('does not claim a bucket loses its data on stack deletion', () => {
    const t = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: Enabled\n'
    expect(analyze(t).filter((f) => f.ruleId.startsWith('cfn/stateful-'))).toEqual([])
  })

  it('reports a table without either policy once', () => {
    const t = 'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n'
    const found = analyze(t).filter((f) => f.ruleId.startsWith('cfn/stateful-'))
    expect(found).toHaveLength(1)
    expect(found[0]!.message).toContain('neither DeletionPolicy nor UpdateReplacePolicy')
    const retained = t.replace('    Type: AWS::DynamoDB::Table\n', '    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n')
    expect(analyze(retained).map((f) => f.ruleId)).toEqual(['cfn/stateful-no-update-replace-policy'])
  })
})

describe('compute and edge rules', () => {
  const findings = analyze(readFileSync(new URL('./__fixtures__/rules/cloudformation/compute.yaml', import.meta.url), 'utf8'))
  const at = (id: string): number[] => of(findings, id).map((f) => f.line)

  it('reports each at its line', () => {
    expect(at('cfn/imdsv1-allowed')).toEqual([8, 17])
    expect(at('cfn/eks-public-endpoint')).toEqual([24])
    expect(at('cfn/lb-no-deletion-protection')).toEqual([25])
    expect(at('cfn/sg-open-port')).toEqual([36])
    expect(of(findings, 'cfn/sg-open-port')[0]).toMatchObject({ via: 'parameter default' })
    expect(at('cfn/iam-service-wildcard')).toEqual([44])
    expect(at('cfn/sg-open-data-port')).toEqual([53])
  })

  it('is quiet once fixed', () => {
    const fixed = (props: string, type: string): Finding[] => analyze(`Resources:\n  R:\n    Type: ${type}\n    Properties:\n${props}`)
    expect(fixed('      MetadataOptions:\n        HttpTokens: required\n', 'AWS::EC2::Instance')).toEqual([])
    expect(fixed('      ResourcesVpcConfig:\n        EndpointPublicAccess: true\n        PublicAccessCidrs: [203.0.113.0/24]\n', 'AWS::EKS::Cluster')).toEqual([])
    expect(fixed("      LoadBalancerAttributes:\n        - Key: deletion_protection.enabled\n          Value: 'true'\n", 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toEqual([])
    expect(fixed("      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: 'iot:Publish'\n            Resource: '*'\n", 'AWS::IAM::ManagedPolicy')).toEqual([])
  })
})

describe('conditions and parameters on data resources', () => {
  it('reports a bucket made public in one branch of a condition', () => {
    const t = 'Conditions:\n  Open: !Equals [a, a]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: !If [Open, PublicRead, Private]\n'
    const [f] = of(analyze(t), 'cfn/s3-public-access')
    expect(f).toMatchObject({ line: 7, via: 'condition' })
    expect(f!.message).toContain('when condition `Open` is true')
  })

  it('reads deletion protection and Multi-AZ through parameter defaults', () => {
    const t = (def: string): string =>
      `Parameters:\n  Protect:\n    Type: String\n    Default: '${def}'\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Snapshot\n    Properties:\n      StorageEncrypted: true\n      DeletionProtection: !Ref Protect\n      MultiAZ: !Ref Protect\n`
    const off = analyze(t('false'))
    expect(of(off, 'cfn/rds-no-deletion-protection')[0]).toMatchObject({ line: 12, via: 'parameter default' })
    expect(of(off, 'cfn/rds-single-az')[0]).toMatchObject({ line: 13, via: 'parameter default' })
    expect(analyze(t('true'))).toEqual([])
  })
})

describe('security groups of load balancers', () => {
  const allPorts = (name: string, extra = ''): string =>
    `Resources:\n  ${name}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: group\n      SecurityGroupIngress:\n        - CidrIp: 0.0.0.0/0\n          IpProtocol: -1\n${extra}`

  it('reports all ports open on a group only a load balancer uses as medium, saying why', () => {
    const lb = '  Alb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      SecurityGroups: [!Ref WebGroup]\n'
    const [f, ...rest] = analyze(allPorts('WebGroup', lb)).filter((x) => x.ruleId.startsWith('cfn/sg-'))
    expect(rest).toEqual([])
    expect(f).toMatchObject({ ruleId: 'cfn/sg-open-port', severity: 'medium', line: 7 })
    expect(f!.message).toContain('load balancer `Alb`')
  })

  it('goes by the name when nothing in the template attaches the group', () => {
    expect(analyze(allPorts('PublicLoadBalancerSG')).map((f) => f.ruleId)).toEqual(['cfn/sg-open-port'])
    expect(analyze(allPorts('GlobalAppGroup')).map((f) => f.ruleId)).toEqual(['cfn/sg-open-all-ports'])
  })

  it('keeps the high finding when an instance uses the group too', () => {
    const users =
      '  Alb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      SecurityGroups: [!Ref LbGroup]\n  Host:\n    Type: AWS::EC2::Instance\n    Properties:\n      MetadataOptions:\n        HttpTokens: required\n      SecurityGroupIds: [!GetAtt LbGroup.GroupId]\n'
    expect(analyze(allPorts('LbGroup', users)).filter((f) => f.ruleId.startsWith('cfn/sg-')).map((f) => f.ruleId)).toEqual(['cfn/sg-open-all-ports'])
  })
})
