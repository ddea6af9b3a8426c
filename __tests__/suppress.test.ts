/**
 * Settings and suppressions applied to real findings on real (minimal) files of every kind:
 * each suppression form, block coverage, reasons, the PR's own suppressions, rules and overrides.
 */
import type { Finding, RuleMeta, SourceFile } from '../src/types.js'
import { analyzeFiles, ruleById } from '../src/rules/index.js'
import { classifyFile } from '../src/changes/classify.js'
import { applySettings, type ApplyOptions } from '../src/settings/apply.js'
import { resolveSettings } from '../src/settings/load.js'

function source(path: string, content: string): SourceFile {
  return { path, content, kind: classifyFile(path, content) }
}

async function run(files: SourceFile[], options: Partial<ApplyOptions> = {}) {
  const analysis = await analyzeFiles(files)
  const applied = applySettings(analysis.findings, { files, ...options })
  const ids = (list: Finding[]) => list.map((f) => `${f.path}:${f.line} ${f.ruleId}`)
  return { ...applied, all: analysis.findings, kept: ids(applied.findings), gone: ids(applied.suppressed) }
}

const SG = (above = '', trailing = '') =>
  `${above}resource "aws_security_group" "ssh" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]${trailing}\n  }\n}\n`

describe('Terraform', () => {
  it('a preflight:ignore above a resource covers the finding inside the block, with its reason', async () => {
    const r = await run([source('sg.tf', SG('# preflight:ignore tf/aws-sg-open-ssh -- bastion behind the VPN\n'))])
    expect(r.gone).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
    expect(r.suppressed[0]!.suppressed).toEqual({ by: 'preflight:ignore', reason: 'bastion behind the VPN', selfAdded: false })
    expect(r.kept).toEqual([])
  })

  it('a trailing // comment on the finding line works; one naming another rule does not', async () => {
    expect((await run([source('sg.tf', SG('', ' // preflight:ignore tf/aws-sg-open-ssh -- lab account'))])).gone).toEqual(['sg.tf:6 tf/aws-sg-open-ssh'])
    expect((await run([source('sg.tf', SG('# preflight:ignore tf/aws-sg-open-rdp -- other rule\n'))])).kept).toContain('sg.tf:7 tf/aws-sg-open-ssh')
  })

  it('a directive above one resource does not cover the next', async () => {
    const two = SG('# preflight:ignore tf/aws-sg-open-ssh -- first only\n') + SG().replace('"ssh"', '"ssh2"')
    const r = await run([source('sg.tf', two)])
    expect(r.gone).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
    expect(r.kept).toEqual(['sg.tf:15 tf/aws-sg-open-ssh'])
  })

  it('checkov:skip inside the resource, through the rule refs (CKV_AWS_24); a different CKV id does not', async () => {
    const inside = (id: string) => SG().replace('{\n  ingress', `{\n  #checkov:skip=${id}:SSH for the bastion\n  ingress`)
    const r = await run([source('sg.tf', inside('CKV_AWS_24'))])
    expect(r.gone).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
    expect(r.suppressed[0]!.suppressed).toEqual({ by: 'checkov:skip', reason: 'SSH for the bastion', selfAdded: false })
    expect((await run([source('sg.tf', inside('CKV_AWS_25'))])).kept).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
  })

  it('tfsec:ignore and trivy:ignore when the rule lists those ids', async () => {
    const base = ruleById('tf/aws-sg-open-ssh')!
    const withRefs = (id: string): RuleMeta | undefined => (id === base.id ? { ...base, refs: { ...base.refs, tfsec: 'aws-ec2-no-public-ingress-sgr', trivy: 'AVD-AWS-0107' } } : ruleById(id))
    const tfsec = await run([source('sg.tf', SG('#tfsec:ignore:aws-ec2-no-public-ingress-sgr\n'))], { ruleMeta: withRefs })
    expect(tfsec.gone).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
    expect(tfsec.suppressed[0]!.suppressed?.by).toBe('tfsec:ignore')
    const trivy = await run([source('sg.tf', SG('', ' #trivy:ignore:AVD-AWS-0107'))], { ruleMeta: withRefs })
    expect(trivy.gone).toEqual(['sg.tf:6 tf/aws-sg-open-ssh'])
    // Without the refs, the same comments mean nothing to Preflight.
    expect((await run([source('sg.tf', SG('#tfsec:ignore:aws-s3-enable-versioning\n'))])).gone).toEqual([])
  })

  it('several tfsec:ignore or trivy:ignore markers in one comment: a later one suppresses too', async () => {
    const base = ruleById('tf/aws-sg-open-ssh')!
    const withRefs = (id: string): RuleMeta | undefined => (id === base.id ? { ...base, refs: { ...base.refs, tfsec: 'aws-ec2-no-public-ingress-sgr', trivy: 'AVD-AWS-0107' } } : ruleById(id))
    const tfsec = await run([source('sg.tf', SG('#tfsec:ignore:aws-ec2-add-description-to-security-group tfsec:ignore:aws-ec2-no-public-ingress-sgr\n'))], { ruleMeta: withRefs })
    expect(tfsec.gone).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
    expect(tfsec.suppressed[0]!.suppressed?.by).toBe('tfsec:ignore')
    const trivy = await run([source('sg.tf', SG('', ' #trivy:ignore:AVD-AWS-0124 trivy:ignore:AVD-AWS-0107'))], { ruleMeta: withRefs })
    expect(trivy.gone).toEqual(['sg.tf:6 tf/aws-sg-open-ssh'])
    // Markers for other checks only, however many, still mean nothing to this rule.
    expect((await run([source('sg.tf', SG('#tfsec:ignore:aws-s3-enable-versioning tfsec:ignore:aws-s3-enable-bucket-logging\n'))], { ruleMeta: withRefs })).gone).toEqual([])
  })

  it('"//" in a .tf.json block', async () => {
    const json = '{\n  "resource": {\n    "aws_security_group": {\n      "ssh": {\n        "//": "preflight:ignore tf/aws-sg-open-ssh -- bastion",\n        "ingress": [{\n          "from_port": 22,\n          "to_port": 22,\n          "protocol": "tcp",\n          "cidr_blocks": ["0.0.0.0/0"]\n        }]\n      }\n    }\n  }\n}\n'
    const r = await run([source('main.tf.json', json)])
    expect(r.gone).toEqual(['main.tf.json:10 tf/aws-sg-open-ssh'])
  })

  it('preflight:ignore-file counts in the leading comments only', async () => {
    expect((await run([source('sg.tf', SG('# preflight:ignore-file tf/* -- sandbox account\n'))])).gone).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
    const late = SG() + '# preflight:ignore-file tf/* -- too late\n'
    expect((await run([source('sg.tf', late)])).gone).toEqual([])
  })
})

describe('Dockerfile', () => {
  const DOCKERFILE = 'FROM alpine:latest\nRUN apk add curl\nUSER app\n'

  it('# hadolint ignore=DL3018 covers the next instruction for the rule with that id only', async () => {
    const r = await run([source('Dockerfile', DOCKERFILE.replace('RUN', '# hadolint ignore=DL3018\nRUN'))])
    expect(r.gone).toEqual(['Dockerfile:3 dockerfile/apk-unpinned'])
    expect(r.kept).toContain('Dockerfile:3 dockerfile/apk-cache')
  })

  it('a continued RUN is one instruction', async () => {
    const r = await run([source('Dockerfile', 'FROM alpine:3.20\n# hadolint ignore=DL3018,DL3019\nRUN echo start && \\\n    apk add curl\nUSER app\n')])
    expect(r.gone.filter((x) => x.includes('apk'))).toHaveLength(r.all.filter((f) => f.ruleId.startsWith('dockerfile/apk')).length)
    expect(r.gone.length).toBeGreaterThan(0)
  })

  it('# hadolint global ignore= covers the file; preflight:ignore above FROM covers the stage', async () => {
    expect((await run([source('Dockerfile', '# hadolint global ignore=DL3007\n' + DOCKERFILE)])).gone).toEqual(['Dockerfile:2 dockerfile/base-image-latest'])
    const stages = '# preflight:ignore dockerfile/* -- build stage only\nFROM alpine:latest AS build\nRUN apk add curl\n\nFROM alpine:latest\nRUN apk add curl\nUSER app\n'
    const r = await run([source('Dockerfile', stages)])
    expect(r.gone.every((x) => /Dockerfile:[234] /.test(x))).toBe(true)
    expect(r.gone.length).toBeGreaterThan(1)
    expect(r.kept).toEqual(expect.arrayContaining(['Dockerfile:5 dockerfile/base-image-latest', 'Dockerfile:6 dockerfile/apk-unpinned']))
  })
})

describe('Kubernetes', () => {
  const DEPLOY = (above = '') =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n${above}        - name: web\n          image: nginx:latest\n          securityContext:\n            privileged: true\n        - name: sidecar\n          image: busybox:latest\n`

  it('a comment above a container covers that container, not the next', async () => {
    const r = await run([source('deploy.yaml', DEPLOY('        # preflight:ignore k8s/image-latest,k8s/privileged-container -- debugging pod, removed next sprint\n'))])
    expect(r.gone).toEqual(['deploy.yaml:12 k8s/image-latest', 'deploy.yaml:14 k8s/privileged-container'])
    expect(r.kept).toContain('deploy.yaml:16 k8s/image-latest')
  })

  it('a comment above a manifest covers that document of the stream, not the next', async () => {
    const stream = `# preflight:ignore k8s/image-latest -- debug build\n${DEPLOY()}---\n${DEPLOY()}`
    const r = await run([source('deploy.yaml', stream)])
    expect(r.gone).toEqual(['deploy.yaml:12 k8s/image-latest', 'deploy.yaml:16 k8s/image-latest'])
    expect(r.kept.filter((x) => x.endsWith('k8s/image-latest'))).toEqual(['deploy.yaml:28 k8s/image-latest', 'deploy.yaml:32 k8s/image-latest'])
  })

  it('kics-scan ignore-line covers the next line for rules with a KICS id', async () => {
    const file = DEPLOY().replace('          image: nginx:latest', '          # kics-scan ignore-line\n          image: nginx:latest')
    const r = await run([source('deploy.yaml', file)])
    expect(ruleById('k8s/image-latest')?.refs?.kics).toBeDefined()
    expect(r.gone).toEqual(['deploy.yaml:12 k8s/image-latest'])
    expect(r.kept).toContain('deploy.yaml:16 k8s/image-latest')
  })
})

describe('compose', () => {
  it('kics-scan ignore-block covers a service for the rules that have a KICS id', async () => {
    const r = await run([source('docker-compose.yml', 'services:\n  # kics-scan ignore-block\n  web:\n    image: nginx:1.25\n    privileged: true\n  db:\n    image: postgres:16\n    privileged: true\n')])
    expect(r.gone).toEqual(expect.arrayContaining(['docker-compose.yml:5 compose/privileged', 'docker-compose.yml:3 compose/no-memory-limit']))
    expect(r.kept).toEqual(expect.arrayContaining(['docker-compose.yml:3 compose/no-restart-policy', 'docker-compose.yml:8 compose/privileged']))
  })
})

describe('workflow', () => {
  const WF = 'on: pull_request_target\njobs:\n  # preflight:ignore workflow/job-without-timeout -- short job\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo "${{ github.event.pull_request.title }}" # zizmor: ignore[template-injection]\n'

  it('above a job covers the job; zizmor: ignore[...] on the line covers the rule with that zizmor id', async () => {
    const r = await run([source('.github/workflows/ci.yml', WF)])
    expect(r.gone).toEqual(['.github/workflows/ci.yml:4 workflow/job-without-timeout', '.github/workflows/ci.yml:8 workflow/template-injection-privileged'])
    expect(r.kept).toContain('.github/workflows/ci.yml:2 workflow/missing-permissions')
  })
})

describe('CloudFormation', () => {
  it('YAML: Metadata.checkov.skip on the resource, with its comment as the reason', async () => {
    const yaml = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Site:\n    Type: AWS::S3::Bucket\n    Metadata:\n      checkov:\n        skip:\n          - id: CKV_AWS_20\n            comment: public website\n    Properties:\n      AccessControl: PublicRead\n'
    const r = await run([source('bucket.yaml', yaml)])
    expect(r.gone).toEqual(['bucket.yaml:11 cfn/s3-public-access'])
    expect(r.suppressed[0]!.suppressed).toEqual({ by: 'Metadata.checkov.skip', reason: 'public website', selfAdded: false })
  })

  it('YAML: a comment above the logical id covers the resource', async () => {
    const yaml = 'Resources:\n  # preflight:ignore cfn/s3-* -- static site\n  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n  Logs:\n    Type: AWS::S3::Bucket\n'
    const r = await run([source('bucket.yaml', yaml)])
    expect(r.gone.every((x) => /bucket.yaml:[3-6] cfn\/s3-/.test(x))).toBe(true)
    expect(r.kept.some((x) => x.startsWith('bucket.yaml:7 cfn/s3-'))).toBe(true)
  })

  it('JSON: Metadata.preflight.ignore with ids and {id, reason}; an id without reason adds an info finding', async () => {
    const json = '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Site": {\n      "Type": "AWS::S3::Bucket",\n      "Metadata": { "preflight": { "ignore": ["cfn/s3-no-versioning", { "id": "cfn/s3-public-access", "reason": "static site" }] } },\n      "Properties": {\n        "AccessControl": "PublicRead"\n      }\n    }\n  }\n}\n'
    const r = await run([source('bucket.json', json)])
    expect(r.gone).toEqual(['bucket.json:4 cfn/s3-no-versioning', 'bucket.json:8 cfn/s3-public-access'])
    expect(r.suppressed[1]!.suppressed?.reason).toBe('static site')
    expect(r.findings).toContainEqual(expect.objectContaining({ ruleId: 'preflight/suppression-without-reason', severity: 'info', path: 'bucket.json', line: 6 }))
  })
})

/** Two security groups opening SSH to the world; `meta` goes on the first one's Metadata. */
const TWO_GROUPS = (meta: string) =>
  'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' +
  ['Bastion', 'Jump']
    .map(
      (name, i) =>
        `  ${name}:\n    Type: AWS::EC2::SecurityGroup\n${i === 0 ? meta : ''}    Properties:\n      GroupDescription: ${name}\n      SecurityGroupIngress:\n` +
        '        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n'
    )
    .join('')

/** Two DynamoDB tables without DeletionPolicy or UpdateReplacePolicy; `meta` goes on the first. */
const TWO_TABLES = (meta: string, rootMeta = '') =>
  `AWSTemplateFormatVersion: "2010-09-09"\n${rootMeta}Resources:\n` +
  ['Orders', 'Carts']
    .map((name, i) => `  ${name}:\n    Type: AWS::DynamoDB::Table\n${i === 0 ? meta : ''}    Properties:\n      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n`)
    .join('')

describe('CloudFormation: the suppressions of cfn_nag, cfn-guard and cfn-lint', () => {
  it('cfn_nag rules_to_suppress on a resource covers it, with its reason, and not the next resource', async () => {
    const meta = '    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: W2\n            reason: bastion reached through the VPN only\n'
    const r = await run([source('sg.yaml', TWO_GROUPS(meta))])
    expect(r.gone).toEqual(['sg.yaml:16 cfn/sg-open-admin-port'])
    expect(r.kept).toEqual(['sg.yaml:25 cfn/sg-open-admin-port'])
    expect(r.suppressed[0]!.suppressed).toEqual({ by: 'Metadata.cfn_nag.rules_to_suppress', reason: 'bastion reached through the VPN only', selfAdded: false })
    // Another cfn_nag id (W9: a CIDR wider than /32) is not the world-open ingress.
    expect((await run([source('sg.yaml', TWO_GROUPS(meta.replace('W2', 'W9')))])).gone).toEqual([])
  })

  it('a cfn_nag suppression without a reason works and is flagged as missing one, as checkov\'s is', async () => {
    const r = await run([source('sg.yaml', TWO_GROUPS('    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: W2\n'))])
    expect(r.gone).toEqual(['sg.yaml:15 cfn/sg-open-admin-port'])
    expect(r.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'preflight/suppression-without-reason', path: 'sg.yaml', line: 8, message: 'Metadata.cfn_nag.rules_to_suppress W2 gives no reason.' })
    )
  })

  it('guard SuppressedRules on a resource covers it and not the next; it takes no reason', async () => {
    const r = await run([source('sg.yaml', TWO_GROUPS('    Metadata:\n      guard:\n        SuppressedRules:\n          - INCOMING_SSH_DISABLED\n'))])
    expect(r.gone).toEqual(['sg.yaml:15 cfn/sg-open-admin-port'])
    expect(r.kept).toEqual(['sg.yaml:24 cfn/sg-open-admin-port'])
    expect(r.suppressed[0]!.suppressed).toEqual({ by: 'Metadata.guard.SuppressedRules', selfAdded: false })
  })

  it('JSON: cfn_nag and guard forms in a resource\'s Metadata', async () => {
    const json = (meta: string) =>
      `{\n  "Resources": {\n    "Site": {\n      "Type": "AWS::S3::Bucket",\n      "Metadata": ${meta},\n      "Properties": {\n        "AccessControl": "PublicRead",\n        "VersioningConfiguration": { "Status": "Enabled" }\n      }\n    }\n  }\n}\n`
    const nag = await run([source('site.json', json('{ "cfn_nag": { "rules_to_suppress": [{ "id": "W31", "reason": "static website" }] } }'))])
    expect(nag.gone).toEqual(['site.json:7 cfn/s3-public-access'])
    const guard = await run([source('site.json', json('{ "guard": { "SuppressedRules": ["S3_BUCKET_PUBLIC_READ_ACL"] } }'))])
    expect(guard.gone).toEqual(['site.json:7 cfn/s3-public-access'])
  })

  it('cfn-lint ignore_checks on a resource covers it by the whole id; in the template\'s Metadata it covers the file, by prefix', async () => {
    const onResource = (id: string) => `    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks:\n            - ${id}\n`
    const exact = await run([source('tables.yaml', TWO_TABLES(onResource('I3011')))])
    expect(exact.gone).toEqual(['tables.yaml:3 cfn/stateful-no-deletion-policy'])
    expect(exact.kept).toEqual(['tables.yaml:13 cfn/stateful-no-deletion-policy'])
    // On a resource cfn-lint compares whole ids: `I3` silences nothing there.
    expect((await run([source('tables.yaml', TWO_TABLES(onResource('I3')))])).gone).toEqual([])
    // Template-wide, `I3` is every I3xxx rule, I3011 among them, on every resource.
    const root = 'Metadata:\n  cfn-lint:\n    config:\n      ignore_checks:\n        - I3\n'
    const wide = await run([source('tables.yaml', TWO_TABLES('', root))])
    expect(wide.gone).toEqual(['tables.yaml:8 cfn/stateful-no-deletion-policy', 'tables.yaml:13 cfn/stateful-no-deletion-policy'])
    expect(wide.suppressed[0]!.suppressed?.by).toBe('Metadata.cfn-lint.config.ignore_checks')
    // A prefix that starts none of the rule's cfn-lint ids (I3011, W3011) silences nothing.
    expect((await run([source('tables.yaml', TWO_TABLES('', root.replace('- I3', '- W2')))])).gone).toEqual([])
  })

  it('in the template\'s Metadata a cfn-lint ignore covers the file; guard and cfn_nag lists there (they read resources only) do not', async () => {
    const root = 'Metadata:\n  cfn-lint:\n    config:\n      ignore_checks: [I3011]\n  guard:\n    SuppressedRules: [DYNAMODB_PITR_ENABLED]\n  cfn_nag:\n    rules_to_suppress:\n      - id: W78\n        reason: lab tables\n'
    // Tables without point-in-time recovery: a policy finding (cfn-lint I3011) and a recovery one (guard, cfn_nag W78) each.
    const template = TWO_TABLES('', root).replace(/ {4}Properties:\n.*\n.*\n/g, '    Properties:\n      BillingMode: PAY_PER_REQUEST\n')
    const r = await run([source('tables.yaml', template)])
    expect(r.gone).toEqual(['tables.yaml:13 cfn/stateful-no-deletion-policy', 'tables.yaml:17 cfn/stateful-no-deletion-policy'])
    expect(r.kept).toEqual(['tables.yaml:13 cfn/dynamodb-no-point-in-time-recovery', 'tables.yaml:17 cfn/dynamodb-no-point-in-time-recovery'])
  })

  it('only the shapes the tools act on count: a `*` is no wildcard, an id outside a list is no suppression', async () => {
    const listed = '    Metadata:\n      guard:\n        SuppressedRules:\n          - INCOMING_SSH_DISABLED\n'
    expect((await run([source('sg.yaml', TWO_GROUPS(listed))])).gone).toEqual(['sg.yaml:15 cfn/sg-open-admin-port'])
    for (const meta of [
      listed.replace('INCOMING_SSH_DISABLED', '"*"'),
      '    Metadata:\n      guard:\n        SuppressedRules: INCOMING_SSH_DISABLED\n',
      '    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - W2\n'
    ]) {
      expect((await run([source('sg.yaml', TWO_GROUPS(meta))])).gone).toEqual([])
    }
  })
})

describe('reasons and the pull request\'s own suppressions', () => {
  it('a suppression without a reason works and adds one info finding at its line', async () => {
    const r = await run([source('sg.tf', SG('# preflight:ignore tf/aws-sg-open-ssh\n'))])
    expect(r.gone).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
    expect(r.findings).toEqual([expect.objectContaining({ ruleId: 'preflight/suppression-without-reason', severity: 'info', line: 1 })])
  })

  it('a suppression naming no rule adds an info finding with the closest id', async () => {
    const r = await run([source('sg.tf', SG('# preflight:ignore tf/aws-sg-open-shh -- bastion\n'))])
    expect(r.gone).toEqual([])
    expect(r.findings).toContainEqual(expect.objectContaining({ ruleId: 'preflight/suppression-unknown-rule', line: 1, message: "preflight:ignore names 'tf/aws-sg-open-shh', which matches no Preflight rule; did you mean tf/aws-sg-open-ssh?" }))
    expect((await run([source('sg.tf', SG('# preflight:ignore tf/* -- a glob that matches\n'))])).findings).toEqual([])
  })

  it('a suppression the PR adds silences up to allow-self-suppress and is marked selfAdded', async () => {
    const file = source('Dockerfile', 'FROM alpine:3.20\n# preflight:ignore dockerfile/apk-unpinned -- pinned by the base image\nRUN apk add curl\nUSER app\n')
    const r = await run([file], { addedLines: new Map([['Dockerfile', new Set([2])]]) })
    expect(r.suppressed.find((f) => f.ruleId === 'dockerfile/apk-unpinned')?.suppressed).toEqual({ by: 'preflight:ignore', reason: 'pinned by the base image', selfAdded: true })
    expect(r.messages).toEqual(['1 finding suppressed (1 by this pull request)', 'Suppressed by this pull request: dockerfile/apk-unpinned (low) at Dockerfile:3, reason `pinned by the base image`'])
  })

  it("the PR author's reason is listed as inline code, never as live Markdown", async () => {
    const file = source('Dockerfile', 'FROM alpine:3.20\n# preflight:ignore dockerfile/apk-unpinned -- see [this](https://evil.example) `x`\nRUN apk add curl\nUSER app\n')
    const r = await run([file], { addedLines: new Map([['Dockerfile', new Set([2])]]) })
    expect(r.messages[1]).toBe('Suppressed by this pull request: dockerfile/apk-unpinned (low) at Dockerfile:3, reason `see [this](https://evil.example) x`')
  })

  it('cannot silence a finding above allow-self-suppress; a standing one can', async () => {
    const file = source('sg.tf', SG('# preflight:ignore tf/aws-sg-open-ssh -- trust me\n'))
    const own = await run([file], { addedLines: new Map([['sg.tf', new Set([1])]]) })
    expect(own.kept).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
    expect(own.messages).toEqual(['sg.tf:1: the preflight:ignore this pull request adds cannot silence tf/aws-sg-open-ssh (high); allow-self-suppress is medium'])
    const allowed = await run([file], { addedLines: new Map([['sg.tf', new Set([1])]]), settings: resolveSettings({ allowSelfSuppress: 'high' }) })
    expect(allowed.gone).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
    expect((await run([file], { addedLines: new Map([['sg.tf', new Set([7])]]) })).gone).toEqual(['sg.tf:7 tf/aws-sg-open-ssh'])
  })

  it('a Metadata suppression is the PR\'s own when the PR adds any line that makes it one, not only its first', async () => {
    // The entry opens with a reason the base branch had; the PR writes only the `id:` under it.
    const meta = '    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - reason: legacy\n            id: W2\n'
    const file = source('sg.yaml', TWO_GROUPS(meta))
    const idLine = TWO_GROUPS(meta).split('\n').indexOf('            id: W2') + 1
    const own = await run([file], { addedLines: new Map([['sg.yaml', new Set([idLine])]]) })
    expect(own.gone).toEqual([])
    expect(own.messages[0]).toMatch(/the Metadata\.cfn_nag\.rules_to_suppress this pull request adds cannot silence cfn\/sg-open-admin-port \(high\)/)
    // A list key the PR renamed into the tool's own (`skip:` → `rules_to_suppress:`) is added too.
    const keyLine = TWO_GROUPS(meta).split('\n').indexOf('        rules_to_suppress:') + 1
    expect((await run([file], { addedLines: new Map([['sg.yaml', new Set([keyLine])]]) })).gone).toEqual([])
    // Lines of the resource outside the directive leave it standing, as on the base branch.
    const standing = (await run([file])).gone
    expect(standing).toHaveLength(1)
    expect((await run([file], { addedLines: new Map([['sg.yaml', new Set([idLine + 3])]]) })).gone).toEqual(standing)
  })

  it('suppressing a secret finding does not take the secret out of the values to redact', async () => {
    const key = 'AKIA' + 'QWERTYUIOPASDFGH'
    const tf = `# preflight:ignore-file * -- test fixture\nprovider "aws" {\n  access_key = "${key}"\n}\n`
    const files = [source('p.tf', tf)]
    const analysis = await analyzeFiles(files)
    const applied = applySettings(analysis.findings, { files })
    expect(applied.findings.filter((f) => f.ruleId !== 'preflight/suppression-without-reason')).toEqual([])
    expect(applied.suppressed.length).toBeGreaterThan(0)
    expect(analysis.secrets.map((s) => s.value)).toContain(key)
  })
})

describe('rules, overrides and paths-ignore', () => {
  const files = [source('Dockerfile', 'FROM alpine:latest\nRUN apk add curl\nUSER app\n'), source('examples/Dockerfile', 'FROM alpine:latest\nUSER app\nCMD ["/app/server"]\n'), source('vendor/sg.tf', SG())]

  it('turns rules off, re-rates by id and by glob, the exact id winning over a glob', async () => {
    const settings = resolveSettings({ rules: { 'dockerfile/*': 'info', 'dockerfile/base-image-latest': 'critical', 'dockerfile/apk-cache': 'off' } })
    const r = await run(files, { settings })
    const sev = (id: string, path = 'Dockerfile') => r.findings.find((f) => f.ruleId === id && f.path === path)?.severity
    expect(sev('dockerfile/base-image-latest')).toBe('critical')
    expect(sev('dockerfile/apk-unpinned')).toBe('info')
    expect(sev('dockerfile/apk-cache')).toBeUndefined()
    expect(r.suppressed).toEqual([])
  })

  it('per-path overrides win over global rules, later over earlier; paths-ignore drops the path', async () => {
    const settings = resolveSettings({
      rules: { 'dockerfile/base-image-latest': 'high' },
      overrides: [
        { files: ['examples/**'], rules: { '*': 'low' } },
        { files: ['examples/**'], rules: { 'dockerfile/base-image-latest': 'off' } }
      ],
      pathsIgnore: ['vendor/**']
    })
    const r = await run(files, { settings })
    expect(r.findings.find((f) => f.path === 'Dockerfile' && f.ruleId === 'dockerfile/base-image-latest')?.severity).toBe('high')
    expect(r.findings.filter((f) => f.path === 'examples/Dockerfile').map((f) => [f.ruleId, f.severity])).toEqual([['dockerfile/no-healthcheck', 'low']])
    expect(r.findings.some((f) => f.path.startsWith('vendor/'))).toBe(false)
  })
})
