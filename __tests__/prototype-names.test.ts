/**
 * Names of `Object.prototype` members (`constructor`, `__proto__`, `toString`, …) in a pull
 * request's files are ordinary names: put wherever an analyzer or the cost pass looks input up
 * in a table (a resource type, a `kind`, an instance size, a `uses:` …), they must neither break
 * the analysis of the file (a note of reason `error`) nor hide a real finding beside them.
 */
import { analyzeFiles } from '../src/rules/index.js'
import { analyzeCost } from '../src/cost/index.js'
import { importSarif } from '../src/import/sarif.js'
import { parseHcl, parseTfJson } from '../src/rules/parse/hcl.js'
import { importTerraformPlan } from '../src/import/tfplan.js'
import { resolveModel, DEFAULT_MODEL } from '../src/llm/models.js'
import { classifyKey } from '../src/rules/secrets/keys.js'
import { CATEGORIES, type FileNote, type SourceFile } from '../src/types.js'

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype)

/**
 * One file per kind: `real` holds findings of its own; `hostile` is the same file with the name
 * put at every table key, beside the real part.
 */
interface Case {
  path: string
  kind: SourceFile['kind']
  real: string
  hostile: (n: string) => string
}

const REAL_TF = 'resource "aws_instance" "big" {\n  ami           = "ami-123"\n  instance_type = "m5.24xlarge"\n}\nresource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size = 500\n  type = "gp2"\n}\n'
const REAL_CFN = '  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: app\n'
const REAL_K8S = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: real\nspec:\n  containers:\n    - name: app\n      image: example.com/app:1.0\n      securityContext:\n        privileged: true\n'
const REAL_COMPOSE = '  real:\n    image: example.com/app:1.0\n    privileged: true\n'
const REAL_JOBS = '  real:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm test\n'
const REAL_DOCKERFILE = 'FROM ubuntu:latest\nUSER root\nRUN curl http://example.com/x.sh | sh\n'
const REAL_VALUES = 'image:\n  repository: example.com/app\n  tag: latest\nsecurityContext:\n  privileged: true\n'

const CASES: Case[] = [
  {
    path: 'infra/main.tf',
    kind: 'terraform',
    real: REAL_TF,
    hostile: (n) => `${REAL_TF}
terraform {
  required_providers {
    ${n} = { source = "hashicorp/${n}", version = "1.0" }
  }
}
provider "${n}" {
  ${n} = "x"
}
resource "${n}" "a" {
  instance_type = "${n}"
  ${n} = "${n}"
  size = 3
}
data "${n}" "b" {}
module "m" {
  source  = "${n}"
  ${n}    = 1
}
module "sg" {
  source = "terraform-aws-modules/security-group/aws//modules/${n}"
  ingress_rules = ["${n}"]
  ingress_cidr_blocks = ["0.0.0.0/0"]
}
resource "aws_instance" "odd" {
  ami           = "${n}"
  instance_type = "${n}"
  metadata_options { http_tokens = "${n}" }
}
variable "${n}" { default = "m5.24xlarge" }
variable "sizes" { default = { ${n} = "m5.24xlarge" } }
locals {
  ${n} = "m5.24xlarge"
  obj  = { ${n} = { http_tokens = "optional" } }
}
resource "aws_instance" "refs" {
  for_each      = { ${n} = "x" }
  ami           = data.${n}.b.id
  instance_type = var.${n}
  user_data     = local.${n}
  key_name      = var.sizes["${n}"]
  subnet_id     = lookup(var.sizes, "${n}", "x")
  tags          = { Name = each.value.${n}, Other = module.m.${n}, Third = local.obj.${n}.http_tokens }
  metadata_options { http_tokens = local.obj.${n}.http_tokens }
}
resource "aws_db_instance" "db" {
  engine         = "${n}"
  instance_class = "${n}"
  storage_type   = "${n}"
  allocated_storage = 20
}
resource "aws_elasticache_cluster" "c" {
  engine    = "redis"
  node_type = "${n}"
  num_cache_nodes = 1
}
resource "aws_lb" "lb" { load_balancer_type = "${n}" }
resource "aws_ebs_volume" "v" {
  availability_zone = "eu-west-1a"
  size = 10
  type = "${n}"
}
resource "aws_s3_bucket" "s" { acl = "${n}" }
resource "aws_s3_bucket_acl" "s" { acl = "${n}" }
resource "google_compute_instance" "g" { machine_type = "${n}" }
resource "azurerm_linux_virtual_machine" "z" { size = "${n}" }
resource "kubernetes_pod" "p" {
  spec {
    container {
      name = "${n}"
      resources { limits = { ${n} = "1", memory = "1${n}" } }
    }
  }
}
`
  },
  {
    path: 'stack/template.yaml',
    kind: 'cloudformation',
    real: `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${REAL_CFN}`,
    hostile: (n) => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ${n}:
    Type: ${n}
    Default: ${n}
Mappings:
  ${n}:
    ${n}:
      ${n}: m5.24xlarge
Conditions:
  ${n}: !Equals [!Ref ${n}, "x"]
  Other: !Condition ${n}
Resources:
${REAL_CFN}  ${n}:
    Type: ${n}
    Properties:
      ${n}: ${n}
      Image: ${n}
  Plain:
    Type: ${n}
    Condition: ${n}
    DependsOn: ${n}
  Mapped:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: !FindInMap [${n}, ${n}, ${n}]
      ImageId: !Sub "\${${n}}"
      KeyName: !If [${n}, !Ref ${n}, !GetAtt ${n}.${n}]
      UserData: !Join ["", [!Ref "AWS::${n}", !ImportValue ${n}]]
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: ${n}
      ImageId: !Ref ${n}
      ${n}: x
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: ${n}
      Engine: ${n}
      StorageType: ${n}
      AllocatedStorage: "20"
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      CacheNodeType: ${n}
      Engine: redis
      NumCacheNodes: 1
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: ${n}
  Volume:
    Type: AWS::EC2::Volume
    Properties:
      VolumeType: ${n}
      Size: 10
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: ${n}
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref ${n}
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: ${n}
            Resource: !GetAtt ${n}.Arn
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: ${n}
      Environment:
        Variables:
          ${n}: x
Outputs:
  ${n}:
    Value: !GetAtt ${n}.${n}
`
  },
  {
    path: 'k8s/app.yaml',
    kind: 'kubernetes',
    real: REAL_K8S,
    hostile: (n) => `${REAL_K8S}---
apiVersion: v1
kind: ${n}
metadata:
  name: a
spec:
  template:
    spec:
      containers:
        - name: x
          image: x
---
apiVersion: ${n}
kind: Deployment
metadata:
  name: b
  annotations:
    ${n}: x
spec:
  replicas: 2
  template:
    spec:
      ${n}: x
      containers:
        - name: ${n}
          image: ${n}
          ${n}: x
          securityContext:
            ${n}: true
            capabilities:
              add: ["${n}"]
          resources:
            requests:
              ${n}: "1"
              cpu: 1${n}
              memory: 1${n}
            limits:
              ${n}: "1"
          env:
            - name: ${n}
              value: x
          ports:
            - containerPort: 80
              protocol: ${n}
---
apiVersion: v1
kind: Service
metadata:
  name: c
spec:
  type: ${n}
  ${n}: x
`
  },
  {
    path: 'compose.yaml',
    kind: 'compose',
    real: `services:\n${REAL_COMPOSE}`,
    hostile: (n) => `services:
${REAL_COMPOSE}  ${n}:
    image: ${n}
    ${n}: x
    network_mode: ${n}
    extends: ${n}
    depends_on: [${n}]
    networks: [${n}]
    command: echo \${${n}} \${${n}:-x}
    secrets: [${n}]
    profiles: [${n}]
    cap_add: ["${n}"]
    volumes:
      - ${n}:/data
    environment:
      ${n}: x
    deploy:
      resources:
        limits:
          ${n}: "1"
volumes:
  ${n}: {}
networks:
  ${n}: {}
`
  },
  {
    path: '.github/workflows/ci.yml',
    kind: 'workflow',
    real: `on: pull_request_target\njobs:\n${REAL_JOBS}`,
    hostile: (n) => `on:
  ${n}: {}
  pull_request_target: {}
env:
  ${n}: x
jobs:
${REAL_JOBS}  ${n}:
    runs-on: ${n}
    needs: [${n}]
    strategy:
      matrix:
        ${n}: [a, b]
    permissions:
      ${n}: write
    ${n}: x
    steps:
      - uses: ${n}
      - uses: ${n}/${n}@${n}
      - uses: actions/${n}@v1
        with:
          ${n}: x
      - uses: docker://${n}
      - run: ${n} -f x ${n}
        shell: ${n}
      - run: echo "\${{ inputs.${n} }} \${{ env.${n} }} \${{ matrix.${n} }} \${{ secrets.${n} }} \${{ needs.${n}.outputs.${n} }} \${{ steps.${n}.outputs.${n} }} \${{ github.event.${n} }} \${{ vars.${n} }}"
        env:
          X: \${{ github.${n} }}
        if: \${{ ${n}(github.event) }}
      - ${n}: x
  call:
    uses: ${n}/${n}/.github/workflows/${n}.yml@${n}
    with:
      ${n}: x
    secrets: inherit
`
  },
  {
    path: 'app/Dockerfile',
    kind: 'dockerfile',
    real: REAL_DOCKERFILE,
    // The real part last: its USER is the final stage's.
    hostile: (n) => `FROM ${n} AS ${n}
${n} x
ARG ${n}=1
ENV ${n}=x
RUN --${n}=x echo ${n}
RUN ${n} install -y x
COPY --${n}=x a b
COPY --from=${n} a b
USER \${${n}}
WORKDIR $${n}
EXPOSE ${n}
HEALTHCHECK --${n}=1 CMD ${n}
SHELL ["${n}", "-c"]
ONBUILD ${n} x
${REAL_DOCKERFILE}`
  },
  {
    path: 'chart/values.yaml',
    kind: 'helm',
    real: REAL_VALUES,
    hostile: (n) => `${REAL_VALUES}${n}:
  ${n}: x
  image:
    ${n}: x
    tag: ${n}
  securityContext:
    ${n}: true
resources:
  limits:
    ${n}: "1"
`
  }
]

const chartYaml: SourceFile = { path: 'chart/Chart.yaml', kind: 'helm', content: 'apiVersion: v2\nname: app\nversion: 1.0.0\n' }

function filesOf(c: Case, content: string): SourceFile[] {
  const file: SourceFile = { path: c.path, kind: c.kind, content }
  return c.kind === 'helm' ? [file, chartYaml] : [file]
}

const errors = (notes: FileNote[]): FileNote[] => notes.filter((n) => n.reason === 'error')

/** The rule ids found in a file (sorted, without repeats). */
const ruleIds = (findings: { ruleId: string; path: string }[], path: string): string[] => [...new Set(findings.filter((f) => f.path === path).map((f) => f.ruleId))].sort()

describe('names of Object.prototype members in input', () => {
  it('the list of names is the one the language gives (constructor, __proto__, toString, …)', () => {
    expect(PROTOTYPE_NAMES).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']))
  })

  describe.each(CASES.map((c) => [c.kind, c] as const))('%s', (_kind, c) => {
    let realIds: string[] = []
    beforeAll(async () => {
      const { findings, notes } = await analyzeFiles(filesOf(c, c.real))
      expect(errors(notes)).toEqual([])
      realIds = ruleIds(findings, c.path)
    })

    it('the real part alone has findings to look for', () => {
      expect(realIds.length).toBeGreaterThan(0)
    })

    it.each(PROTOTYPE_NAMES)('%s: no analyzer fails, and the real findings beside it are still reported', async (name) => {
      const files = filesOf(c, c.hostile(name))
      const { findings, notes } = await analyzeFiles(files)
      expect(errors(notes)).toEqual([])
      expect(ruleIds(findings, c.path)).toEqual(expect.arrayContaining(realIds))
      const cost = await analyzeCost(files)
      expect(errors(cost.notes)).toEqual([])
    })
  })

  describe.each(PROTOTYPE_NAMES)('%s outside the analyzers', (name) => {
    it('an imported SARIF result with that rule id gets one of the categories', () => {
      for (const tool of ['checkov', 'hadolint', 'zizmor', name]) {
        const sarif = { version: '2.1.0', runs: [{ tool: { driver: { name: tool } }, results: [{ ruleId: name, message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'main.tf' } } }] }] }] }
        const { findings } = importSarif(JSON.stringify(sarif), 'r.sarif')
        expect(findings).toHaveLength(1)
        expect(CATEGORIES).toContain(findings[0]!.category)
      }
    })

    it('a plan whose action reason is that name gives a plain message', () => {
      const plan = { resource_changes: [{ address: 'aws_db_instance.db', mode: 'managed', type: 'aws_db_instance', name: 'db', action_reason: name, change: { actions: ['delete'], before: {} } }] }
      const { findings } = importTerraformPlan(JSON.stringify(plan), 'plan.json', [])
      expect(findings).toHaveLength(1)
      expect(findings[0]!.message).toBe('This plan destroys `aws_db_instance.db`, and its data with it.')
    })

    it('a model named so is an unknown name, not an alias', () => {
      expect(resolveModel(undefined, name.toLowerCase())).toEqual({ id: DEFAULT_MODEL, note: expect.stringContaining('unknown model name') })
    })

    it('a key named `<name>_key` is not a secret key name', () => {
      expect(classifyKey(`${name}_key`)).toBeUndefined()
    })
  })

  describe('parsed Terraform keeps every name as an own key of its own object', () => {
    it.each(PROTOTYPE_NAMES)('%s as an attribute and as an object key', async (name) => {
      const hcl = await parseHcl(`resource "aws_s3_bucket" "b" {\n  ${name} = "v"\n  tags = { ${name} = { Owner = "x" }, Team = "t" }\n}\n`)
      const json = parseTfJson(JSON.stringify({ resource: { aws_s3_bucket: { b: { [name]: 'v', tags: { [name]: { Owner: 'x' }, Team: 't' } } } } }))
      for (const file of [hcl, json]) {
        const attributes = file.blocks[0]!.attributes
        expect(Object.keys(attributes).sort()).toEqual([name, 'tags'].sort())
        expect(attributes[name]?.value).toBe('v')
        const tags = attributes.tags?.value as Record<string, unknown>
        expect(Object.keys(tags).sort()).toEqual([name, 'Team'].sort())
        // Nothing of the name's value shows through as a key of its own.
        expect(tags.Owner).toBeUndefined()
      }
    })
  })
})
