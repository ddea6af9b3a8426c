/**
 * Rule-tester cases for the cost rules (Terraform, CloudFormation and Kubernetes readers):
 * minimal files written for these tests. Non-production is told by path or name (`dev`, `staging`).
 */
import type { CaseTable, ExpectedError, InvalidCase } from '../../helpers/rule-tester.js'
import { lineOf } from './util.js'

/** An invalid case whose one finding sits on the `# HERE` line. */
const here = (path: string, code: string, extra: Partial<ExpectedError> = {}, name?: string): InvalidCase => ({
  ...(name ? { name } : {}),
  path,
  code,
  errors: [{ line: lineOf(code, '# HERE'), ...extra }]
})

const deployment = (containerResources: string, replicas = 2, extra = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: ${replicas} # REPLICAS\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api # CONTAINER\n          image: registry.example.com/api:1.4.2\n${containerResources}${extra}`
const RES_OK = '          resources:\n            requests: { cpu: 250m, memory: 256Mi }\n            limits: { cpu: 500m, memory: 512Mi }\n'
const HPA = '---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: api\n  minReplicas: 2\n  maxReplicas: 10\n'

const rds = (extra = ''): string => `resource "aws_db_instance" "app" { # HERE\n  engine         = "postgres"\n  instance_class = "db.m6g.large"\n${extra}}\n`

export const costCases: CaseTable = {
  'cost/ebs-gp2': {
    valid: [{ path: 'infra/main.tf', code: 'resource "aws_ebs_volume" "data" {\n  size = 100\n  type = "gp3"\n}\n' }],
    invalid: [
      here('infra/main.tf', 'resource "aws_ebs_volume" "data" {\n  size = 100\n  type = "gp2" # HERE\n}\n', { message: /gp3 saves \$/ }),
      here('infra/lt.tf', 'resource "aws_launch_template" "lt" {\n  block_device_mappings {\n    device_name = "/dev/xvda"\n    ebs {\n      volume_type = "gp2" # HERE\n    }\n  }\n}\n', {}, 'launch template')
    ]
  },
  'cost/oversized-instance': {
    valid: [
      { path: 'infra/main.tf', code: 'resource "aws_instance" "web" {\n  ami           = "ami-12345678"\n  instance_type = "m5.large"\n}\n' },
      { name: 'GPU family for a workload named for it', path: 'infra/main.tf', code: 'resource "aws_instance" "ml_trainer" {\n  ami           = "ami-12345678"\n  instance_type = "g5.xlarge"\n}\n' }
    ],
    invalid: [
      here('infra/main.tf', 'resource "aws_instance" "web" {\n  ami           = "ami-12345678"\n  instance_type = "m5.24xlarge" # HERE\n}\n', { severity: 'medium', message: /One size down/ }),
      here('infra/main.tf', 'resource "aws_instance" "web" {\n  ami           = "ami-12345678"\n  instance_type = "g5.xlarge" # HERE\n}\n', { message: /GPU family/ }, 'GPU family with no GPU workload in the name')
    ]
  },
  'cost/nonprod-db-always-on': {
    valid: [
      { name: 'production', path: 'envs/prod/db.tf', code: rds() },
      { name: 'stop schedule tag', path: 'envs/dev/db.tf', code: rds('  tags = {\n    Schedule = "office-hours"\n  }\n') },
      { name: 'names that only contain dev or test inside a word', path: 'infra/db.tf', code: rds('  identifier = "devices-attestations"\n').replace('"app"', '"contests"') }
    ],
    invalid: [
      here('envs/dev/db.tf', rds(), { message: /non-production/ }),
      here('infra/db.tf', rds('  identifier = "orders-staging"\n'), {}, 'non-production by its identifier')
    ]
  },
  'cost/nat-gateway-per-az': {
    valid: [
      { name: 'one shared gateway', path: 'envs/staging/network.tf', code: 'resource "aws_nat_gateway" "nat" {\n  allocation_id = aws_eip.nat.id\n  subnet_id     = aws_subnet.public.id\n}\n' },
      { name: 'production keeps one per zone', path: 'envs/prod/network.tf', code: 'resource "aws_nat_gateway" "nat" {\n  count         = 3\n  allocation_id = aws_eip.nat[count.index].id\n  subnet_id     = aws_subnet.public[count.index].id\n}\n' }
    ],
    invalid: [here('envs/staging/network.tf', 'resource "aws_nat_gateway" "nat" { # HERE\n  count         = 3\n  allocation_id = aws_eip.nat[count.index].id\n  subnet_id     = aws_subnet.public[count.index].id\n}\n', { message: /3 NAT gateways/ })]
  },
  'cost/log-group-no-retention': {
    valid: [{ path: 'infra/logs.tf', code: 'resource "aws_cloudwatch_log_group" "app" {\n  name              = "/app"\n  retention_in_days = 30\n}\n' }],
    invalid: [
      here('infra/logs.tf', 'resource "aws_cloudwatch_log_group" "app" { # HERE\n  name = "/app"\n}\n', { message: /no retention period/ }),
      here('infra/logs.tf', 'resource "aws_cloudwatch_log_group" "app" {\n  name              = "/app"\n  retention_in_days = 0 # HERE\n}\n', { message: /retention to 0/ }, 'retention 0'),
      here('cfn/logs.yaml', "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Logs: # HERE\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: /app\n", {}, 'CloudFormation log group')
    ]
  },
  'cost/s3-no-lifecycle': {
    valid: [
      { name: 'lifecycle in a separate resource', path: 'infra/s3.tf', code: 'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}\n\nresource "aws_s3_bucket_lifecycle_configuration" "data" {\n  bucket = aws_s3_bucket.data.id\n  rule {\n    id     = "ia"\n    status = "Enabled"\n  }\n}\n' }
    ],
    invalid: [here('infra/s3.tf', 'resource "aws_s3_bucket" "data" { # HERE\n  bucket = "data"\n}\n', { message: /no lifecycle rule/ })]
  },
  'cost/k8s-request-limit-gap': {
    valid: [{ path: 'k8s/api.yaml', code: deployment(RES_OK) }],
    invalid: [
      { path: 'k8s/api.yaml', code: deployment('          resources:\n            requests: { cpu: 100m, memory: 256Mi }\n            limits: { cpu: "1", memory: 512Mi }\n'), errors: [{ line: 16, message: /CPU limit is 10× its request/ }] },
      { name: 'requests above limits', path: 'k8s/api.yaml', code: deployment('          resources:\n            requests: { cpu: 250m, memory: 1Gi }\n            limits: { cpu: 500m, memory: 512Mi }\n'), errors: [{ line: 16, message: /above its limit/ }] }
    ]
  },
  'cost/k8s-fixed-replicas': {
    valid: [
      { path: 'k8s/api.yaml', code: deployment(RES_OK, 2) },
      { name: 'scaled by an HPA', path: 'k8s/api.yaml', code: deployment(RES_OK, 6, HPA) },
      { name: 'a StatefulSet: its replicas are the members of a cluster', path: 'k8s/cache.yaml', code: deployment(RES_OK, 6).replace('kind: Deployment', 'kind: StatefulSet') },
      { name: 'a capacity placeholder running the pause image: its replicas are the capacity it holds', path: 'k8s/inflate.yaml', code: deployment(RES_OK, 6).replace('registry.example.com/api:1.4.2', 'public.ecr.aws/eks-distro/kubernetes/pause:3.10') }
    ],
    invalid: [
      { path: 'k8s/api.yaml', code: deployment(RES_OK, 6), errors: [{ line: 6, message: /6 fixed replicas/ }] },
      {
        name: 'a pause container beside an app container: the app follows load',
        path: 'k8s/api.yaml',
        code: deployment(RES_OK, 6, '        - name: holder\n          image: registry.k8s.io/pause:3.10\n'),
        errors: [{ line: 6, message: /6 fixed replicas/ }]
      }
    ]
  },
  'cost/nonprod-warm-capacity': {
    valid: [{ name: 'production', path: 'envs/prod/lambda.tf', code: 'resource "aws_lambda_provisioned_concurrency_config" "api" {\n  function_name                     = aws_lambda_function.api.function_name\n  qualifier                         = "live"\n  provisioned_concurrent_executions = 5\n}\n' }],
    invalid: [
      here('envs/dev/lambda.tf', 'resource "aws_lambda_provisioned_concurrency_config" "api" {\n  function_name                     = aws_lambda_function.api.function_name\n  qualifier                         = "live"\n  provisioned_concurrent_executions = 5 # HERE\n}\n', { message: /warm outside production/ }),
      here('envs/staging/run.tf', 'resource "google_cloud_run_v2_service" "api" {\n  name     = "api"\n  location = "europe-west1"\n  template {\n    scaling {\n      min_instance_count = 2 # HERE\n    }\n  }\n}\n', {}, 'Cloud Run minimum instances')
    ]
  }
}
