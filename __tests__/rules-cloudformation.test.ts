import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { analyzeCloudformation, cloudformationRules } from '../src/rules/cfn/index.js'
import { isSecretKey } from '../src/rules/cfn/secrets.js'
import { analyzeFile } from '../src/rules/index.js'
import { ParseError } from '../src/rules/parse/yaml.js'
import { CATEGORIES, SEVERITIES, type Finding } from '../src/types.js'
import { growthRatio } from './helpers/growth.js'

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/rules/cloudformation/${name}`, import.meta.url), 'utf8')
const analyze = (content: string, path = 'infra/stack.yaml'): Finding[] => analyzeCloudformation({ path, kind: 'cloudformation', content })
const pairs = (findings: Finding[]): string[] => findings.map((f) => `${f.ruleId}@${f.line}`).sort()
const ids = (findings: Finding[]): string[] => [...new Set(findings.map((f) => f.ruleId))].sort()

describe('cloudformation rule catalogue', () => {
  it('has unique cfn/ ids with vocabulary categories and severities', () => {
    const all = cloudformationRules.map((r) => r.id)
    expect(new Set(all).size).toBe(all.length)
    for (const r of cloudformationRules) {
      expect(r.id).toMatch(/^cfn\/[a-z0-9-]+$/)
      expect(r.kind).toBe('cloudformation')
      expect(CATEGORIES).toContain(r.category)
      expect(SEVERITIES).toContain(r.severity)
    }
  })
  it('files log retention under observability, like the KICS Terraform query', () => {
    expect(cloudformationRules.find((r) => r.id === 'cfn/log-group-no-retention')?.category).toBe('observability')
  })
})

describe('insecure YAML template (short-form tags)', () => {
  const findings = analyze(fixture('insecure.yaml'))

  it('reports every problem at its exact line', () => {
    expect(pairs(findings)).toEqual(
      [
        // Parameter DBPassword: literal default, not NoEcho.
        'cfn/literal-secret@6',
        'cfn/secret-parameter-no-echo@4',
        // Database: explicit DeletionPolicy Delete and no UpdateReplacePolicy: one finding, at the policy.
        'cfn/stateful-no-deletion-policy@15',
        'cfn/rds-no-deletion-protection@13',
        'cfn/rds-publicly-accessible@22',
        'cfn/rds-backups-disabled@23',
        'cfn/rds-storage-not-encrypted@24',
        'cfn/rds-single-az@25',
        // LegacyDatabase: settings missing (DeletionPolicy defaults to Snapshot for RDS).
        'cfn/stateful-no-update-replace-policy@26',
        'cfn/rds-storage-not-encrypted@26',
        'cfn/rds-no-deletion-protection@26',
        'cfn/rds-single-az@26',
        'cfn/literal-secret@33',
        // Assets bucket (no deletion finding: CloudFormation cannot delete a bucket holding objects).
        'cfn/s3-no-public-access-block@34',
        'cfn/s3-no-versioning@34',
        'cfn/s3-public-access@37',
        // DynamoDB table: neither policy, one finding.
        'cfn/stateful-no-deletion-policy@39',
        'cfn/dynamodb-no-point-in-time-recovery@39',
        // Security groups: SSH open, all ports open over IPv6 (not SSH again), RDP inside a range.
        'cfn/sg-open-admin-port@57',
        'cfn/sg-open-all-ports@59',
        'cfn/sg-open-admin-port@71',
        'cfn/sg-open-port@71',
        // IAM: statement list and single-statement map with list values.
        'cfn/iam-wildcard-policy@79',
        'cfn/iam-wildcard-policy@113',
        'cfn/log-group-no-retention@81',
        'cfn/lambda-no-tracing@85',
        // Lambda environment variable with a literal token; LOG_LEVEL is not a secret.
        'cfn/literal-secret@97'
      ].sort()
    )
  })

  it('suggests PubliclyAccessible: false, keeping indentation', () => {
    expect(findings.find((f) => f.ruleId === 'cfn/rds-publicly-accessible')?.suggestion).toBe('      PubliclyAccessible: false')
  })

  it('never echoes literal secret values', () => {
    const text = JSON.stringify(findings)
    for (const value of ['hunter2-Qz7wVb', 'Pw-Lq8vZm2K-123', 'tok-Rz4mW9qXv2Ln']) expect(text).not.toContain(value)
  })

  it('keeps the category and severity of the rule meta', () => {
    const meta = new Map(cloudformationRules.map((r) => [r.id, r]))
    for (const f of findings) {
      expect(f.category).toBe(meta.get(f.ruleId)?.category)
      // The documented lowerings say so in the message: a policy of Delete written out is a choice; a table with point-in-time recovery leaves a backup.
      expect(f.severity).toBe(/(?:reads as a choice|after the table is deleted): low/.test(f.message) ? 'low' : meta.get(f.ruleId)?.severity)
    }
  })
})

describe('fixed template', () => {
  it('stays quiet: policies set, NoEcho parameter, dynamic references, Aurora member instance, restricted ingress', () => {
    expect(analyze(fixture('secure.yaml'))).toEqual([])
  })
})

describe('JSON template', () => {
  const findings = analyze(fixture('insecure.json'), 'infra/stack.json')

  it('reads long-form intrinsics and reports exact lines', () => {
    expect(pairs(findings)).toEqual(
      [
        'cfn/stateful-no-update-replace-policy@4',
        'cfn/rds-storage-not-encrypted@10',
        'cfn/sg-open-admin-port@19',
        'cfn/rds-publicly-accessible@29',
        'cfn/secret-parameter-no-echo@37'
      ].sort()
    )
  })

  it('keeps the trailing comma in the suggestion', () => {
    expect(findings.find((f) => f.ruleId === 'cfn/rds-publicly-accessible')?.suggestion).toBe('        "PubliclyAccessible": false,')
  })
})

describe('values that are not literals', () => {
  const db = (props: string): string =>
    [
      'Conditions:',
      '  IsProd: !Equals [prod, prod]',
      'Resources:',
      '  Db:',
      '    Type: AWS::RDS::DBInstance',
      '    DeletionPolicy: Snapshot',
      '    UpdateReplacePolicy: Snapshot',
      '    Properties:',
      '      StorageEncrypted: true',
      '      MultiAZ: true',
      '      DeletionProtection: true',
      props
    ].join('\n') + '\n'

  it('judges both branches of !If or Fn::If, naming the condition', () => {
    for (const form of ['!If [IsProd, false, true]', '{"Fn::If": [IsProd, false, true]}']) {
      const [f, ...rest] = analyze(db(`      PubliclyAccessible: ${form}`))
      expect(rest).toEqual([])
      expect(f).toMatchObject({ ruleId: 'cfn/rds-publicly-accessible', via: 'condition' })
      expect(f!.message).toContain('when condition `IsProd` is false')
    }
    expect(analyze(db('      PubliclyAccessible: !If [IsProd, false, false]'))).toEqual([])
  })

  it('accepts dynamic references and rejects a !Sub without substitutions', () => {
    expect(analyze(db("      MasterUserPassword: '{{resolve:secretsmanager:db:SecretString:pw}}'"))).toEqual([])
    expect(pairs(analyze(db("      MasterUserPassword: !Sub 'plain-text-value'")))).toEqual(['cfn/literal-secret@12'])
    expect(analyze(db("      MasterUserPassword: !Sub '{{resolve:secretsmanager:${Secret}:SecretString:pw}}'"))).toEqual([])
  })

  it('flags a Ref to a parameter without NoEcho, at the parameter', () => {
    const template = `Parameters:\n  Master:\n    Type: String\n${db('      MasterUserPassword: !Ref Master')}`
    expect(pairs(analyze(template))).toEqual(['cfn/secret-parameter-no-echo@2'])
    expect(analyze(template.replace('    Type: String\n', '    Type: String\n    NoEcho: true\n'))).toEqual([])
  })
})

describe('more resource shapes', () => {
  it('checks SAM functions against Globals tracing', () => {
    const sam = (globals: string): string =>
      `Transform: AWS::Serverless-2016-10-31\n${globals}Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n`
    expect(pairs(analyze(sam('')))).toEqual(['cfn/lambda-no-tracing@3'])
    expect(analyze(sam('Globals:\n  Function:\n    Tracing: Active\n'))).toEqual([])
  })

  it('flags public access block settings that are false or left out', () => {
    const bucket =
      'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      VersioningConfiguration:\n        Status: Suspended\n      PublicAccessBlockConfiguration:\n        BlockPublicAcls: false\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n'
    expect(pairs(analyze(bucket))).toEqual(['cfn/s3-no-versioning@8', 'cfn/s3-public-access-block-disabled@10', 'cfn/s3-public-access-block-disabled@9'].sort())
  })

  it('ignores ingress restricted to a CIDR or to web ports; a wide range is a medium finding', () => {
    const sg = (cidr: string, from: number, to: number): string =>
      `Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      IpProtocol: tcp\n      FromPort: ${from}\n      ToPort: ${to}\n      CidrIp: ${cidr}\n`
    expect(analyze(sg('10.0.0.0/8', 22, 22))).toEqual([])
    expect(analyze(sg('0.0.0.0/0', 443, 443))).toEqual([])
    expect(analyze(sg('0.0.0.0/0', 80, 80))).toEqual([])
    expect(pairs(analyze(sg('0.0.0.0/0', 80, 443)))).toEqual(['cfn/sg-open-port@8'])
    expect(pairs(analyze(sg('0.0.0.0/0', 0, 65535)))).toEqual(['cfn/sg-open-all-ports@8'])
  })

  it('ignores files without Resources', () => {
    expect(analyze('AWSTemplateFormatVersion: "2010-09-09"\nDescription: nothing\n')).toEqual([])
    expect(analyze('')).toEqual([])
  })
})

describe('secret-bearing keys', () => {
  it.each([
    ['MasterUserPassword', true],
    ['AuthToken', true],
    ['DB_PASSWORD', true],
    ['ClientSecret', true],
    ['SecretArn', false],
    ['PasswordLength', false],
    ['AuthTokenUpdateStrategy', false],
    ['ManageMasterUserPassword', true],
    ['AllowUsersToChangePassword', false],
    ['ServiceToken', false],
    ['ClientRequestToken', false]
  ])('%s → %s', (key, expected) => {
    expect(isSecretKey(key)).toBe(expected)
  })

  it('does not flag boolean settings with secret-like names', () => {
    const t = 'Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    UpdateReplacePolicy: Snapshot\n    Properties:\n      ManageMasterUserPassword: true\n      StorageEncrypted: true\n      DeletionProtection: true\n'
    expect(analyze(t)).toEqual([])
  })
})

describe('bad input', () => {
  it('throws ParseError on malformed YAML', () => {
    expect(() => analyze(fixture('malformed.yaml'))).toThrow(ParseError)
  })

  it('throws ParseError on malformed JSON', () => {
    expect(() => analyze('{"Resources": {"A": {"Type": "AWS::S3::Bucket",}', 'stack.json')).toThrow(ParseError)
  })

  it('turns an alias bomb into a ParseError, refusing before the expansion grows', async () => {
    const bomb = (levels: number): string => {
      const names = 'abcdefghijkl'
      const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
      for (let i = 1; i < levels; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`)
      return `Resources: {}\n${lines.join('\n')}\n`
    }
    const refused = (text: string) => () => expect(() => analyze(text)).toThrow(ParseError)
    // One more level is nine times the expansion; refused early, it costs about the same.
    expect(await growthRatio(refused(bomb(10)), refused(bomb(11)), { rounds: 7 })).toBeLessThanOrEqual(3)
  })

  it('becomes a parse note in the registry', async () => {
    const result = await analyzeFile({ path: 'infra/broken.yaml', kind: 'cloudformation', content: fixture('malformed.yaml') })
    expect(result.notes).toEqual([expect.objectContaining({ path: 'infra/broken.yaml', reason: 'parse' })])
  })
})

describe('rule coverage of the fixtures', () => {
  it('fires every CloudFormation rule at least once across the insecure fixtures', () => {
    const fired = new Set([...ids(analyze(fixture('insecure.yaml'))), ...ids(analyze(fixture('insecure.json')))])
    const bucket = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      PublicAccessBlockConfiguration:\n        BlockPublicAcls: false\n'
    for (const id of ids(analyze(bucket))) fired.add(id)
    for (const id of ids(analyze(fixture('compute.yaml')))) fired.add(id)
    for (const id of ids(analyze('Resources:\n  Key:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      GenerateSecretString: {}\n'))) fired.add(id)
    expect(cloudformationRules.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([])
  })
})

describe('robustness', () => {
  const lines = fixture('insecure.yaml').split('\n')
  it('either analyzes or throws ParseError on any cut of a real file', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(lines.length - 1), { maxLength: 8 }), fc.string({ maxLength: 20 }), (drop, noise) => {
        const content = lines.filter((_, i) => !drop.includes(i)).join('\n') + noise
        try {
          for (const f of analyze(content)) expect(f.line).toBeGreaterThanOrEqual(1)
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError)
        }
      }),
      { numRuns: 200 }
    )
  })
})

describe('a folder of many load balancer templates', () => {
  /** `n` templates in one folder, each with a group named for a load balancer open to all and a web listener. */
  const folder = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      path: `stacks/lb-${i}.yaml`,
      kind: 'cloudformation' as const,
      content: `Resources:\n  AlbSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: load balancer ${i}\n      SecurityGroupIngress:\n        - CidrIp: 0.0.0.0/0\n          IpProtocol: "-1"\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/lb-${i}/0123456789abcdef\n      Port: 443\n      Protocol: HTTPS\n`
    }))

  it('reads the folder once and names a few listeners per message: time(2N) <= 3 x time(N)', async () => {
    const { analyzeFiles } = await import('../src/rules/index.js')
    const small = folder(150)
    const large = folder(300)
    const { findings } = await analyzeFiles(small, { threads: 1 })
    const open = findings.filter((f) => f.ruleId === 'cfn/sg-open-port')
    expect(open).toHaveLength(150)
    for (const f of open) {
      expect(f.severity).toBe('low')
      expect(f.message).toMatch(/ and 147 more/)
    }
    expect(await growthRatio(() => analyzeFiles(small, { threads: 1 }), () => analyzeFiles(large, { threads: 1 }))).toBeLessThanOrEqual(3)
  })
})
