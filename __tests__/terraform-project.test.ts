/**
 * Terraform module context: values resolved from variable defaults, tfvars and locals; companion
 * resources seen in other files of the directory; context-only files never reported on; registry
 * module inputs and defaults by major version.
 */
import { analyzeFiles } from '../src/rules/index.js'
import { contextPathsFor } from '../src/rules/terraform/index.js'
import { majorOf } from '../src/rules/terraform/registry-modules.js'
import type { Finding, SourceFile } from '../src/types.js'

const tf = (path: string, content: string, contextOnly = false): SourceFile => ({ path, kind: 'terraform', content, ...(contextOnly ? { contextOnly } : {}) })
const only = (findings: Finding[], ruleId: string): Finding[] => findings.filter((f) => f.ruleId === ruleId)

const OPEN_SSH = `resource "aws_security_group" "admin" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.admin_cidrs
  }
}
`

describe('values resolved from the module', () => {
  it('reports an open port whose CIDR comes from a variable default, saying so', async () => {
    const { findings } = await analyzeFiles([tf('net/main.tf', OPEN_SSH), tf('net/variables.tf', 'variable "admin_cidrs" {\n  default = ["0.0.0.0/0"]\n}\n')])
    const [f] = only(findings, 'tf/aws-sg-open-ssh')
    expect(f).toMatchObject({ path: 'net/main.tf', line: 6, via: 'variable default' })
    expect(f!.message).toContain('`var.admin_cidrs`')
    expect(f!.message).toContain('variables.tf')
    expect(f!.suggestion).toBeUndefined()
  })

  it('lets terraform.tfvars override the default, and ignores per-environment tfvars', async () => {
    const vars = tf('net/variables.tf', 'variable "admin_cidrs" {\n  default = ["0.0.0.0/0"]\n}\n')
    const safe = await analyzeFiles([tf('net/main.tf', OPEN_SSH), vars, tf('net/terraform.tfvars', 'admin_cidrs = ["10.0.0.0/8"]\n')])
    expect(only(safe.findings, 'tf/aws-sg-open-ssh')).toHaveLength(0)
    const perEnv = await analyzeFiles([tf('net/main.tf', OPEN_SSH), vars, tf('net/prod.tfvars', 'admin_cidrs = ["10.0.0.0/8"]\n')])
    expect(only(perEnv.findings, 'tf/aws-sg-open-ssh')).toHaveLength(1)
    const opened = await analyzeFiles([tf('net/main.tf', OPEN_SSH), tf('net/variables.tf', 'variable "admin_cidrs" {}\n'), tf('net/x.auto.tfvars', 'admin_cidrs = ["0.0.0.0/0"]\n')])
    expect(only(opened.findings, 'tf/aws-sg-open-ssh')[0]).toMatchObject({ via: 'tfvars' })
  })

  it('follows a local to a variable, and stays quiet when a variable has no default', async () => {
    const main = 'resource "aws_db_instance" "db" {\n  publicly_accessible = local.public\n}\n'
    const withLocal = await analyzeFiles([tf('db/main.tf', main), tf('db/locals.tf', 'locals {\n  public = var.public\n}\nvariable "public" {\n  default = true\n}\n')])
    expect(only(withLocal.findings, 'tf/aws-rds-public')[0]).toMatchObject({ line: 2, via: 'local value' })
    const noDefault = await analyzeFiles([tf('db/main.tf', main), tf('db/locals.tf', 'locals {\n  public = var.public\n}\nvariable "public" {\n  type = bool\n}\n')])
    expect(only(noDefault.findings, 'tf/aws-rds-public')).toHaveLength(0)
  })

  it('does not resolve across directories', async () => {
    const { findings } = await analyzeFiles([tf('a/main.tf', OPEN_SSH), tf('b/variables.tf', 'variable "admin_cidrs" {\n  default = ["0.0.0.0/0"]\n}\n')])
    expect(only(findings, 'tf/aws-sg-open-ssh')).toHaveLength(0)
  })
})

describe('companion resources in other files of the module', () => {
  const vpc = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'
  const bucket = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'

  it('sees a flow log declared in a sibling file', async () => {
    const alone = await analyzeFiles([tf('net/vpc.tf', vpc)])
    expect(only(alone.findings, 'tf/aws-vpc-no-flow-logs')).toHaveLength(1)
    const withSibling = await analyzeFiles([tf('net/vpc.tf', vpc), tf('net/flow.tf', 'resource "aws_flow_log" "f" {\n  vpc_id = aws_vpc.main.id\n}\n')])
    expect(only(withSibling.findings, 'tf/aws-vpc-no-flow-logs')).toHaveLength(0)
    const otherDir = await analyzeFiles([tf('net/vpc.tf', vpc), tf('other/flow.tf', 'resource "aws_flow_log" "f" {\n  vpc_id = aws_vpc.main.id\n}\n')])
    expect(only(otherDir.findings, 'tf/aws-vpc-no-flow-logs')[0]!.message).toContain('in its module')
  })

  it('sees bucket versioning declared in a sibling file, or handed to a module call', async () => {
    const sibling = await analyzeFiles([
      tf('s3/bucket.tf', bucket),
      tf('s3/versioning.tf', 'resource "aws_s3_bucket_versioning" "v" {\n  bucket = aws_s3_bucket.logs.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n')
    ])
    expect(only(sibling.findings, 'tf/aws-s3-versioning-disabled')).toHaveLength(0)
    const viaModule = await analyzeFiles([tf('s3/bucket.tf', bucket), tf('s3/backup.tf', 'module "backup" {\n  source = "./modules/backup"\n  bucket = aws_s3_bucket.logs.id\n}\n')])
    expect(only(viaModule.findings, 'tf/aws-s3-versioning-disabled')).toHaveLength(0)
  })

  it('never reports on context-only files, while they still give context', async () => {
    const { findings } = await analyzeFiles([
      tf('net/vpc.tf', vpc, true),
      tf('net/sg.tf', OPEN_SSH),
      tf('net/variables.tf', 'variable "admin_cidrs" {\n  default = ["0.0.0.0/0"]\n}\n', true)
    ])
    expect(findings.filter((f) => f.path !== 'net/sg.tf')).toHaveLength(0)
    expect(only(findings, 'tf/aws-sg-open-ssh')).toHaveLength(1)
  })
})

describe('a change to a variables file', () => {
  const vars = 'variable "admin_cidrs" {\n  default = ["0.0.0.0/0"]\n}\n'

  it('reports the unchanged file whose resource the changed default opens, saying where the value comes from', async () => {
    const { findings } = await analyzeFiles([tf('net/main.tf', OPEN_SSH, true), tf('net/variables.tf', vars)])
    const [f, ...rest] = findings
    expect(rest).toEqual([])
    expect(f).toMatchObject({ ruleId: 'tf/aws-sg-open-ssh', path: 'net/main.tf', line: 6, via: 'variable default' })
    expect(f!.message).toContain('variables.tf')
  })

  it('says nothing about context files when the value comes from another context file', async () => {
    const { findings } = await analyzeFiles([tf('net/main.tf', OPEN_SSH, true), tf('net/variables.tf', vars, true), tf('net/outputs.tf', 'output "x" {\n  value = 1\n}\n')])
    expect(findings).toEqual([])
  })
})

describe('contextPathsFor', () => {
  it('names the module files and auto-loaded variable files of the directory', () => {
    const paths = contextPathsFor('infra/net/main.tf')
    expect(paths).toEqual(expect.arrayContaining(['infra/net/*.tf', 'infra/net/terraform.tfvars', 'infra/net/*.auto.tfvars']))
    expect(contextPathsFor('main.tf')).toContain('*.tf')
    expect(contextPathsFor('k8s/deploy.yaml')).toEqual([])
  })
})

describe('registry modules', () => {
  it('reads the major version of a constraint', () => {
    expect(majorOf('~> 6.0')).toBe(6)
    expect(majorOf('5.1.2')).toBe(5)
    expect(majorOf('>= 5.0, < 6.0')).toBe(5)
    expect(majorOf('>= 5.0')).toBeUndefined()
    expect(majorOf('~> 6')).toBeUndefined()
    expect(majorOf(undefined)).toBeUndefined()
  })

  const rds = (version: string | undefined, inputs = ''): string =>
    `module "db" {\n  source  = "terraform-aws-modules/rds/aws"\n${version ? `  version = "${version}"\n` : ''}  engine  = "postgres"\n${inputs}}\n`

  it('reports an explicit bad input of a registry module, marked as a module input', async () => {
    const { findings } = await analyzeFiles([tf('db/main.tf', rds(undefined, '  publicly_accessible = true\n  storage_encrypted = false\n'))])
    expect(only(findings, 'tf/aws-rds-public')[0]).toMatchObject({ line: 4, via: 'module input' })
    expect(only(findings, 'tf/aws-storage-unencrypted')).toHaveLength(1)
  })

  it('reports an input left at a risky module default, saying so', async () => {
    // deletion_protection defaults to false in every major of the rds module, so even without a version.
    const unknown = await analyzeFiles([tf('db/main.tf', rds(undefined))])
    expect(only(unknown.findings, 'tf/aws-rds-no-deletion-protection')[0]).toMatchObject({ via: 'module default' })
    const known = await analyzeFiles([tf('db/main.tf', rds('~> 6.0'))])
    const [f] = only(known.findings, 'tf/aws-rds-no-deletion-protection')
    expect(f).toMatchObject({ line: 1, via: 'module default' })
    expect(f!.message).toContain('v6')
    const protectedDb = await analyzeFiles([tf('db/main.tf', rds('~> 6.0', '  deletion_protection = true\n'))])
    expect(only(protectedDb.findings, 'tf/aws-rds-no-deletion-protection')).toHaveLength(0)
  })

  it('knows the EKS endpoint default changed in v19', async () => {
    const eks = (v: string): string => `module "eks" {\n  source  = "terraform-aws-modules/eks/aws"\n  version = "${v}"\n}\n`
    const v18 = await analyzeFiles([tf('k/main.tf', eks('~> 18.0'))])
    expect(only(v18.findings, 'tf/aws-eks-public-endpoint')[0]).toMatchObject({ via: 'module default' })
    // The default changed between majors: without a version only explicit inputs count.
    const noVersion = await analyzeFiles([tf('k/main.tf', 'module "eks" {\n  source = "terraform-aws-modules/eks/aws"\n}\n')])
    expect(only(noVersion.findings, 'tf/aws-eks-public-endpoint')).toHaveLength(0)
    const v20 = await analyzeFiles([tf('k/main.tf', eks('~> 20.0'))])
    expect(only(v20.findings, 'tf/aws-eks-public-endpoint')).toHaveLength(0)
    const explicit = await analyzeFiles([tf('k/main.tf', 'module "eks" {\n  source = "terraform-aws-modules/eks/aws"\n  cluster_endpoint_public_access = true\n}\n')])
    expect(only(explicit.findings, 'tf/aws-eks-public-endpoint')[0]).toMatchObject({ line: 3, via: 'module input' })
  })

  it('reports the VPC module without flow logs only when its default is known', async () => {
    const vpc = (extra: string): string => `module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n${extra}}\n`
    expect(only((await analyzeFiles([tf('n/main.tf', vpc('  version = "~> 5.0"\n'))])).findings, 'tf/aws-vpc-no-flow-logs')[0]).toMatchObject({ via: 'module default' })
    expect(only((await analyzeFiles([tf('n/main.tf', vpc(''))])).findings, 'tf/aws-vpc-no-flow-logs')).toHaveLength(0)
    expect(only((await analyzeFiles([tf('n/main.tf', vpc('  enable_flow_log = false\n'))])).findings, 'tf/aws-vpc-no-flow-logs')[0]).toMatchObject({ line: 3 })
    expect(only((await analyzeFiles([tf('n/main.tf', vpc('  version = "~> 5.0"\n  enable_flow_log = true\n'))])).findings, 'tf/aws-vpc-no-flow-logs')).toHaveLength(0)
  })

  it('reads the security-group module: rules with comma-separated CIDRs, and per-service submodules', async () => {
    const withCidrs = 'module "db_sg" {\n  source = "terraform-aws-modules/security-group/aws"\n  ingress_with_cidr_blocks = [\n    {\n      rule        = "postgresql-tcp"\n      cidr_blocks = "0.0.0.0/0,10.0.0.0/8"\n    },\n    {\n      from_port   = 8080\n      to_port     = 8080\n      protocol    = "tcp"\n      cidr_blocks = "10.0.0.0/8"\n    },\n  ]\n}\n'
    const found = (await analyzeFiles([tf('sg/main.tf', withCidrs)])).findings.filter((f) => f.ruleId.startsWith('tf/aws-sg-'))
    expect(found.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['tf/aws-sg-open-data-port@6'])
    expect(found[0]!.message).toContain('5432 (PostgreSQL)')
    const web = 'module "web_sg" {\n  source              = "terraform-aws-modules/security-group/aws//modules/http-80"\n  ingress_cidr_blocks = ["0.0.0.0/0"]\n  ingress_rules       = ["mysql-tcp"]\n}\n'
    const webFound = (await analyzeFiles([tf('sg/main.tf', web)])).findings.filter((f) => f.ruleId.startsWith('tf/aws-sg-'))
    expect(webFound.map((f) => f.ruleId)).toEqual(['tf/aws-sg-open-data-port'])
    const ssh = 'module "ssh_sg" {\n  source              = "terraform-aws-modules/security-group/aws//modules/ssh"\n  ingress_cidr_blocks = ["0.0.0.0/0"]\n}\n'
    expect((await analyzeFiles([tf('sg/main.tf', ssh)])).findings.map((f) => f.ruleId)).toContain('tf/aws-sg-open-ssh')
  })

  it('does not take a submodule for the root module (an S3 object is not a bucket)', async () => {
    const { findings } = await analyzeFiles([tf('s/main.tf', 'module "obj" {\n  source  = "terraform-aws-modules/s3-bucket/aws//modules/object"\n  version = "~> 4.0"\n  bucket  = "b"\n}\n')])
    expect(only(findings, 'tf/aws-s3-versioning-disabled')).toHaveLength(0)
  })
})

describe('security groups of load balancers', () => {
  const group = (name: string): string =>
    `resource "aws_security_group" "${name}" {\n  ingress {\n    from_port   = 0\n    to_port     = 65535\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`
  const sgRules = (fs: Finding[]): Finding[] => fs.filter((f) => f.ruleId.startsWith('tf/aws-sg-'))

  it('reports wide rules on a group attached only to a load balancer (in another file) as medium', async () => {
    const { findings } = await analyzeFiles([tf('web/sg.tf', group('web')), tf('web/lb.tf', 'resource "aws_lb" "web" {\n  security_groups = [aws_security_group.web.id]\n}\n')])
    const [f, ...rest] = sgRules(findings)
    expect(rest).toEqual([])
    expect(f).toMatchObject({ ruleId: 'tf/aws-sg-open-port', severity: 'medium', line: 6 })
    expect(f!.message).toContain('`aws_lb.web`')
  })

  it('keeps the high finding when an instance uses the group, and reads names when nothing attaches it', async () => {
    const shared = await analyzeFiles([
      tf('web/sg.tf', group('web')),
      tf('web/lb.tf', 'resource "aws_lb" "web" {\n  security_groups = [aws_security_group.web.id]\n}\nresource "aws_instance" "app" {\n  vpc_security_group_ids = [aws_security_group.web.id]\n}\n')
    ])
    expect(sgRules(shared.findings).map((f) => f.ruleId)).toEqual(['tf/aws-sg-open-all-ports'])
    const byName = await analyzeFiles([tf('web/sg.tf', group('alb_public'))])
    expect(sgRules(byName.findings).map((f) => f.ruleId)).toEqual(['tf/aws-sg-open-port'])
  })
})

describe('secrets are reported where they are written', () => {
  it('reports a literal password in a variable default once, in the variables file, not at each use', async () => {
    const { findings } = await analyzeFiles([
      tf('db/main.tf', 'resource "aws_db_instance" "db" {\n  password = var.db_password\n}\n'),
      tf('db/variables.tf', 'variable "db_password" {\n  default = "Wq8-real-looking-pass"\n}\n')
    ])
    const secrets = only(findings, 'tf/hardcoded-password')
    expect(secrets.map((f) => `${f.path}:${f.line}`)).toEqual(['db/variables.tf:2'])
  })
})

describe('GKE inline node pools', () => {
  it('reports auto-repair switched off in a node_pool block of the cluster', async () => {
    const cluster = 'resource "google_container_cluster" "c" {\n  name = "c"\n  node_pool {\n    name = "default"\n    management {\n      auto_repair = false\n    }\n  }\n}\n'
    expect(only((await analyzeFiles([tf('gke/main.tf', cluster)])).findings, 'tf/gcp-gke-node-auto-repair-upgrade-off').map((f) => f.line)).toEqual([6])
  })
})
