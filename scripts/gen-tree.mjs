// Writes a deterministic, realistic infrastructure repository for benchmarks:
//   node scripts/gen-tree.mjs <seed> <files> <outdir>
// The same seed and size always give the same tree: Terraform, Kubernetes, compose, Dockerfiles,
// workflows, CloudFormation and plain files, spread over service folders.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Mulberry32: a small seeded generator, so the tree does not depend on Math.random. */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ENVS = ['prod', 'staging', 'dev', 'qa']
const SIZES = ['t3.micro', 't3.medium', 'm5.large', 'm5.xlarge', 'm6i.2xlarge', 'c5.4xlarge', 'r5.8xlarge', 'm5.12xlarge']
const DB = ['db.t3.medium', 'db.t4g.large', 'db.m5.large', 'db.r5.xlarge', 'db.r6g.2xlarge']

function terraform(r, i, env) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)]
  const parts = [`terraform {\n  required_version = ">= 1.5"\n}\n`]
  const n = 1 + Math.floor(r() * 6)
  for (let k = 0; k < n; k++) {
    const kind = Math.floor(r() * 7)
    const name = `${env}_${i}_${k}`
    if (kind === 0) parts.push(`resource "aws_instance" "${name}" {\n  ami           = "ami-0abc${i}"\n  instance_type = "${pick(SIZES)}"\n  tags = {\n    Environment = "${env}"\n  }\n  root_block_device {\n    volume_type = "${r() < 0.5 ? 'gp2' : 'gp3'}"\n    volume_size = ${8 * (1 + Math.floor(r() * 10))}\n  }\n}\n`)
    else if (kind === 1) parts.push(`resource "aws_db_instance" "${name}" {\n  identifier        = "orders-${env}-${i}"\n  engine            = "${r() < 0.5 ? 'postgres' : 'mysql'}"\n  instance_class    = "${pick(DB)}"\n  allocated_storage = ${20 * (1 + Math.floor(r() * 20))}\n  multi_az          = ${env === 'prod'}\n  password          = var.db_password\n}\n`)
    else if (kind === 2) parts.push(`resource "aws_s3_bucket" "${name}" {\n  bucket = "acme-${env}-${i}-${k}"\n}\n`)
    else if (kind === 3) parts.push(`resource "aws_cloudwatch_log_group" "${name}" {\n  name = "/${env}/svc-${i}"\n${r() < 0.5 ? '  retention_in_days = 30\n' : ''}}\n`)
    else if (kind === 4) parts.push(`resource "aws_nat_gateway" "${name}_a" {\n  subnet_id = "subnet-a${i}"\n}\n\nresource "aws_nat_gateway" "${name}_b" {\n  subnet_id = "subnet-b${i}"\n}\n`)
    else if (kind === 5) parts.push(`resource "aws_ebs_volume" "${name}" {\n  availability_zone = "us-east-1a"\n  size              = ${50 * (1 + Math.floor(r() * 20))}\n  type              = "${r() < 0.5 ? 'gp2' : 'gp3'}"\n}\n`)
    else parts.push(`resource "aws_security_group" "${name}" {\n  name = "sg-${name}"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["${r() < 0.3 ? '0.0.0.0/0' : '10.0.0.0/8'}"]\n  }\n}\n`)
  }
  return parts.join('\n')
}

function kubernetes(r, i, env) {
  const replicas = 1 + Math.floor(r() * 8)
  const limits = r() < 0.6 ? `            limits:\n              cpu: "${1 + Math.floor(r() * 4)}"\n              memory: 1Gi\n` : ''
  const doc = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-${i}\n  namespace: ${env}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels:\n      app: svc-${i}\n  template:\n    metadata:\n      labels:\n        app: svc-${i}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/svc-${i}:${r() < 0.2 ? 'latest' : '1.' + i}\n          resources:\n            requests:\n              cpu: ${100 * (1 + Math.floor(r() * 10))}m\n              memory: ${128 * (1 + Math.floor(r() * 8))}Mi\n${limits}          ports:\n            - containerPort: 8080\n`
  const svc = `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\nspec:\n  selector:\n    app: svc-${i}\n  ports:\n    - port: 80\n      targetPort: 8080\n`
  const hpa = r() < 0.3 ? `---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: svc-${i}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: svc-${i}\n  minReplicas: 2\n  maxReplicas: 10\n` : ''
  return doc + svc + hpa
}

const compose = (r, i) => `services:\n  app:\n    image: registry.example.com/app-${i}:1.${i}\n    ports:\n      - "${8000 + (i % 1000)}:8080"\n    environment:\n      LOG_LEVEL: info\n${r() < 0.3 ? '    privileged: true\n' : ''}  cache:\n    image: redis:7\n`
const dockerfile = (r, i) => `FROM node:20${r() < 0.5 ? '' : '-alpine'}\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\n${r() < 0.5 ? 'USER node\n' : ''}EXPOSE 8080\nCMD ["node", "server.js", "--port", "${8000 + (i % 100)}"]\n`
const workflow = (r, i) => `name: ci-${i}\non:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n      - run: npm ci && npm test\n${r() < 0.2 ? '      - run: echo "${{ github.event.pull_request.title }}"\n' : ''}`
const cloudformation = (r, i, env) => `AWSTemplateFormatVersion: "2010-09-09"\nDescription: stack ${i}\nResources:\n  Bucket${i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: acme-${env}-cfn-${i}\n  Volume${i}:\n    Type: AWS::EC2::Volume\n    Properties:\n      AvailabilityZone: us-east-1a\n      Size: ${10 * (1 + Math.floor(r() * 50))}\n      VolumeType: ${r() < 0.5 ? 'gp2' : 'gp3'}\n  Logs${i}:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: /${env}/cfn-${i}\n`
const plain = (r, i) => `# Service ${i}\n\n${'Notes about the service and how to run it locally. '.repeat(1 + Math.floor(r() * 20))}\n`

function generate(seed, size, out) {
  const r = rng(seed)
  const mix = [
    [0.3, 'terraform'],
    [0.2, 'kubernetes'],
    [0.07, 'compose'],
    [0.08, 'dockerfile'],
    [0.05, 'workflow'],
    [0.05, 'cloudformation'],
    [0.25, 'plain']
  ]
  for (let i = 0; i < size; i++) {
    const env = ENVS[Math.floor(r() * ENVS.length)]
    const service = `svc-${Math.floor(i / 20)}`
    let x = r()
    let kind = 'plain'
    for (const [p, k] of mix) {
      if (x < p) {
        kind = k
        break
      }
      x -= p
    }
    const [path, text] =
      kind === 'terraform' ? [`infra/${env}/${service}/main-${i}.tf`, terraform(r, i, env)]
      : kind === 'kubernetes' ? [`k8s/${env}/${service}/deploy-${i}.yaml`, kubernetes(r, i, env)]
      : kind === 'compose' ? [`services/${service}/${i}/docker-compose.yml`, compose(r, i)]
      : kind === 'dockerfile' ? [`services/${service}/${i}/Dockerfile`, dockerfile(r, i)]
      : kind === 'workflow' ? [`.github/workflows/ci-${i}.yml`, workflow(r, i)]
      : kind === 'cloudformation' ? [`cfn/${env}/stack-${i}.yaml`, cloudformation(r, i, env)]
      : [`docs/${service}/notes-${i}.md`, plain(r, i)]
    const abs = join(out, path)
    mkdirSync(dirname(abs), { recursive: true })
    writeFileSync(abs, text)
  }
}

const [seedArg, sizeArg, outdir] = process.argv.slice(2)
if (!seedArg || !sizeArg || !outdir) {
  console.error('usage: node scripts/gen-tree.mjs <seed> <files> <outdir>')
  process.exitCode = 2
} else {
  generate(Number(seedArg), Number(sizeArg), outdir)
}
