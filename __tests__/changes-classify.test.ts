import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chartDirsOf, classifyFile, INFRA_KINDS, isInfraKind, SNIFF_BYTES } from '../src/changes/classify.js'
import type { FileKind } from '../src/types.js'

const fixture = (name: string): string => readFileSync(join('__tests__', '__fixtures__', 'changes', name), 'utf8')

const WORKFLOW = `name: CI
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ github.sha }}"
`

const COMPOSE = `services:
  web:
    image: nginx:1.27
    ports: ["80:80"]
  worker:
    build: ./worker
`

const PLAIN_CONFIG = `# Application settings
server:
  port: 8080
  host: 0.0.0.0
logging:
  level: info
services:
  - billing
  - search
`

const CFN_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
`

const CFN_NO_VERSION = `Description: bucket only
Resources:
  Bucket:
    Type: 'AWS::S3::Bucket'
    Properties:
      BucketName: !Sub "\${AWS::StackName}-data"
`

const K8S_JSON = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } }, null, 2)

const cases: [string, string | undefined, FileKind][] = [
  // Terraform / OpenTofu
  ['infra/main.tf', undefined, 'terraform'],
  ['modules/vpc/variables.tf', 'variable "cidr" {}', 'terraform'],
  ['envs/prod.tfvars', undefined, 'terraform'],
  ['envs/prod.auto.tfvars', undefined, 'terraform'],
  ['stack/main.tf.json', '{"resource": {}}', 'terraform'],
  ['tofu/main.tofu', undefined, 'terraform'],
  ['.terraform.lock.hcl', undefined, 'other'],
  // Dockerfiles
  ['Dockerfile', 'FROM node:20\n', 'dockerfile'],
  ['docker/Dockerfile.prod', undefined, 'dockerfile'],
  ['services/api/Containerfile', undefined, 'dockerfile'],
  ['build/api.dockerfile', undefined, 'dockerfile'],
  ['build/Worker.Dockerfile', undefined, 'dockerfile'],
  ['dockerfile', undefined, 'dockerfile'],
  ['Dockerfile.dockerignore', undefined, 'other'],
  ['.dockerignore', undefined, 'other'],
  // Workflows
  ['.github/workflows/ci.yml', WORKFLOW, 'workflow'],
  ['.github/workflows/release.yaml', undefined, 'workflow'],
  ['workflow-templates/deploy.yml', WORKFLOW, 'workflow'],
  ['action.yml', 'name: x\nruns:\n  using: composite\n  steps: []\n', 'other'],
  ['.github/dependabot.yml', 'version: 2\nupdates: []\n', 'other'],
  // Compose
  ['compose.yaml', COMPOSE, 'compose'],
  ['docker-compose.yml', undefined, 'compose'],
  ['deploy/docker-compose.prod.yaml', undefined, 'compose'],
  ['compose.override.yml', undefined, 'compose'],
  ['stack/app.yml', COMPOSE, 'compose'],
  ['composer.yml', 'require: {}\n', 'other'],
  // Helm
  ['charts/web/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 0.1.0\n', 'helm'],
  ['charts/web/values.yaml', 'replicaCount: 1\n', 'helm'],
  ['charts/web/values-prod.yaml', 'replicaCount: 3\n', 'helm'],
  ['charts/web/templates/deployment.yaml', fixture('helm-deployment.yaml'), 'helm'],
  ['charts/web/templates/_helpers.tpl', '{{- define "web.name" -}}web{{- end }}', 'helm'],
  ['deploy/templates/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n', 'helm'],
  ['deploy/templates/plain.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: plain\n', 'kubernetes'],
  ['config/values.yaml', 'replicaCount: 1\n', 'other'],
  // Kubernetes
  ['k8s/deploy.yaml', fixture('k8s-two-docs.yaml'), 'kubernetes'],
  ['manifests/configmap.json', K8S_JSON, 'kubernetes'],
  ['kustomize/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n', 'kubernetes'],
  ['catalog-info.yaml', 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n', 'other'],
  ['k8s/pod.yml', '"apiVersion": v1\n"kind": Pod\n', 'kubernetes'],
  // CloudFormation
  ['cfn/stack.json', fixture('cfn-template.json'), 'cloudformation'],
  ['template.yaml', fixture('sam-template.yaml'), 'cloudformation'],
  ['cfn/queue.template', CFN_YAML, 'cloudformation'],
  ['cfn/bucket.yml', CFN_NO_VERSION, 'cloudformation'],
  ['serverless.yml', 'service: api\nprovider:\n  name: aws\nresources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n', 'other'],
  // Everything else
  ['config/app.yaml', PLAIN_CONFIG, 'other'],
  ['README.md', '# Title\napiVersion: v1\nkind: Pod\n', 'other'],
  ['package.json', '{"name": "x", "version": "1.0.0"}', 'other'],
  ['src/index.ts', 'export {}', 'other'],
  ['data/empty.yaml', '', 'other'],
  ['k8s/deploy.yaml', undefined, 'other']
]

describe('classifyFile', () => {
  it.each(cases.map(([path, content, kind]) => [path, kind, content] as const))('%s is %s', (path, kind, content) => {
    expect(classifyFile(path, content)).toBe(kind)
  })

  it('covers every file kind with at least one case', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40)
    expect(new Set(cases.map((c) => c[2]))).toEqual(new Set([...INFRA_KINDS, 'other']))
  })

  it('treats invalid YAML by its top-level keys', () => {
    const broken = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n  labels: {a: \n'
    expect(classifyFile('k8s/pod.yaml', broken)).toBe('kubernetes')
  })

  it('reads truncated JSON by its keys', () => {
    const truncated = '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Q": {"Type": "AWS::SQS::Queue"'
    expect(classifyFile('stack.json', truncated)).toBe('cloudformation')
  })

  it('only looks at the first 64 KB', () => {
    const filler = `# ${'x'.repeat(100)}\n`.repeat(Math.ceil(SNIFF_BYTES / 100))
    expect(classifyFile('late.yaml', `${filler}apiVersion: v1\nkind: Pod\n`)).toBe('other')
    expect(classifyFile('early.yaml', `apiVersion: v1\nkind: Pod\n${filler}`)).toBe('kubernetes')
  })

  it('handles CRLF, BOM and Windows separators', () => {
    expect(classifyFile('k8s\\svc.yaml', '\uFEFFapiVersion: v1\r\nkind: Service\r\n')).toBe('kubernetes')
    expect(classifyFile('.github\\workflows\\ci.yml')).toBe('workflow')
    expect(classifyFile('./infra/main.tf')).toBe('terraform')
  })

  it('reads a line as a line break and the carriage returns before it leave it, and any white space as indentation', () => {
    expect(classifyFile('a.yml', 'services:\r\r\n  web:\r\r\n    image: nginx\r\r\n')).toBe('compose')
    expect(classifyFile('a.yml', 'services:\r\n\r\n  web:\r\n    build: .\r')).toBe('compose')
    // A no-break space indents a line as a space does: the `Type` line is under `Resources`.
    expect(classifyFile('t.yaml', 'Resources:\n\u00a0\u00a0Bucket:\n\u00a0\u00a0\u00a0\u00a0Type: AWS::S3::Bucket\n')).toBe('cloudformation')
    expect(classifyFile('t.yaml', 'Resources:\n\u00a0\u00a0Bucket:\n\u00a0\u00a0\u00a0\u00a0Type: Custom::Thing\n')).toBe('other')
  })

  it('is not fooled by GitHub expressions in a templates folder', () => {
    const gha = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.ref }}\n'
    expect(classifyFile('ci/templates/build.yml', gha)).toBe('workflow')
  })

  it('uses known chart folders for values files and notes', () => {
    const chartDirs = chartDirsOf(['deploy/web/Chart.yaml', 'src/a.ts', 'Chart.yaml'])
    expect([...chartDirs].sort()).toEqual(['', 'deploy/web'])
    expect(classifyFile('deploy/web/values.yaml', 'replicaCount: 1\n', { chartDirs })).toBe('helm')
    expect(classifyFile('deploy/web/templates/NOTES.txt', 'Thanks', { chartDirs })).toBe('helm')
    expect(classifyFile('deploy/web/templates/gone.yaml', undefined, { chartDirs })).toBe('helm')
    expect(classifyFile('deploy/api/values.yaml', 'replicaCount: 1\n', { chartDirs })).toBe('other')
  })

  it("takes a .tpl file for a chart's only under a Chart.yaml, or by its Go template markers without a listing", () => {
    const userData = '#!/bin/bash\necho "${cluster_name}" > /etc/cluster\n%{ for k in keys ~}\necho ${k}\n%{ endfor ~}\n'
    // A Terraform module's templatefile input: no Go template markers.
    expect(classifyFile('modules/node/templates/user-data.sh.tpl', userData)).toBe('other')
    // By name alone (a pull request's file list, before its content is read) it may still be a chart's.
    expect(classifyFile('modules/node/templates/user-data.sh.tpl')).toBe('helm')
    expect(classifyFile('deploy/templates/_helpers.tpl', '{{- define "x" -}}x{{- end }}')).toBe('helm')
    // Helm renders a template of any name but `_…`: a plain manifest is read as the manifest it is.
    expect(classifyFile('charts/web/templates/debug.tpl', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  hostPID: true\n')).toBe('kubernetes')
    expect(classifyFile('charts/web/templates/_notes.tpl', '# kept for later\n')).toBe('other')
    // With the repository's listing: a Chart.yaml above templates/ decides, whatever the content.
    const chartDirs = chartDirsOf(['charts/web/Chart.yaml', 'infra/templates/consul.hcl.tpl'])
    expect(classifyFile('charts/web/templates/_helpers.tpl', '{{- define "web.name" -}}web{{- end }}', { chartDirs })).toBe('helm')
    expect(classifyFile('charts/web/templates/_empty.tpl', '', { chartDirs })).toBe('helm')
    expect(classifyFile('infra/templates/consul.hcl.tpl', 'datacenter = "{{ key "dc" }}"\n', { chartDirs })).toBe('other')
    expect(classifyFile('infra/templates/consul.hcl.tpl', undefined, { chartDirs })).toBe('other')
  })

  it('never throws on odd input', () => {
    const odd = ['', '\0\0\0', '{', '[', '---\n---\n', ': : :', '{{{{', 'a:\n\t- b', '"unterminated']
    for (const content of odd) for (const path of ['x.yaml', 'x.json', 'templates/x.yaml']) {
      expect(() => classifyFile(path, content)).not.toThrow()
    }
    expect(classifyFile(undefined as unknown as string)).toBe('other')
  })
})

describe('INFRA_KINDS', () => {
  it('lists every kind but other', () => {
    expect([...INFRA_KINDS].sort()).toEqual(['cloudformation', 'compose', 'dockerfile', 'helm', 'kubernetes', 'terraform', 'workflow'])
    expect(isInfraKind('helm')).toBe(true)
    expect(isInfraKind('other')).toBe(false)
  })
})

describe('CloudFormation dynamic references are not Helm', () => {
  const template = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Db:',
    '    Type: AWS::RDS::DBInstance',
    '    Properties:',
    "      MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'",
    ''
  ].join('\n')

  it('classifies a template under templates/ that reads a secret with {{resolve:…}} as cloudformation', () => {
    expect(classifyFile('templates/database.yaml', template)).toBe('cloudformation')
    expect(classifyFile('infra/templates/db.json', JSON.stringify({ Resources: { P: { Type: 'AWS::SSM::Parameter', Properties: { Value: '{{resolve:ssm:/app/x}}' } } } }))).toBe('cloudformation')
  })

  it('still takes real Go template syntax, or a chart ancestor, for Helm', () => {
    expect(classifyFile('templates/database.yaml', `${template}      Name: {{ .Values.name }}\n`)).toBe('helm')
    expect(classifyFile('web/templates/database.yaml', template, { chartDirs: new Set(['web']) })).toBe('helm')
  })
})
