/**
 * Rule-tester cases for the Terraform rules: minimal modules written for these tests. An
 * invalid case marks the line its finding must sit on with `# HERE`.
 */
import type { Case, CaseTable, ExpectedError, InvalidCase } from '../../helpers/rule-tester.js'
import { lineOf } from './util.js'
import { generateKeyPairSync } from 'node:crypto'

/** An invalid single-file case whose one finding sits on the `# HERE` line. */
/** An admin policy written as a heredoc in `locals`, used by a module call. */
const LOCALS_POLICY = 'locals {\n  admin_policy = <<EOT\n{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}\nEOT\n}\n\nmodule "permission_set" {\n  source        = "./modules/permission-set"\n  inline_policy = local.admin_policy\n}\n'
const here = (code: string, extra: Partial<ExpectedError> = {}, name?: string, path?: string): InvalidCase => ({
  ...(name ? { name } : {}),
  ...(path ? { path } : {}),
  code,
  errors: [{ line: lineOf(code, '# HERE'), ...extra }]
})
/** An invalid module case: the finding sits on the `# HERE` line of `files[first]`. */
const hereIn = (name: string, files: Record<string, string>, extra: Partial<ExpectedError> = {}, contextOnly?: string[]): InvalidCase => {
  const [path, code] = Object.entries(files).find(([, c]) => c.includes('# HERE')) ?? []
  if (!path || !code) throw new Error(`hereIn ${name}: no # HERE marker`)
  return { name, files, ...(contextOnly ? { contextOnly } : {}), errors: [{ path, line: lineOf(code, '# HERE'), ...extra }] }
}
const ok = (code: string, name?: string, path?: string): Case => ({ ...(name ? { name } : {}), ...(path ? { path } : {}), code })

/** A launch template naming no AMI (`marker` on its header line) and an EKS node group launched from it with these settings. */
const nodeGroupTemplate = (groupSettings: string, marker = ''): string =>
  `resource "aws_launch_template" "nodes" {${marker}\n  instance_type = "m5.large"\n}\n\nresource "aws_eks_node_group" "nodes" {\n  cluster_name  = "demo"\n  node_role_arn = "arn:aws:iam::123456789012:role/nodes"\n  subnet_ids    = ["subnet-1"]\n${groupSettings}  launch_template {\n    id      = aws_launch_template.nodes.id\n    version = aws_launch_template.nodes.latest_version\n  }\n}\n`

/** An AMI lookup (`lookup`, a `data` block) and an instance launching it (`ami`, with `marker` on its header line). */
const instanceOnLookup = (lookup: string, ami: string, marker = ''): string =>
  `${lookup}\n\nresource "aws_instance" "web" {${marker}\n  ami           = ${ami}\n  instance_type = "t3.nano"\n}\n`
const AL2023_PARAMETER = 'data "aws_ssm_parameter" "al2023" {\n  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"\n}\n'
const amiLookup = (values: string): string =>
  `data "aws_ami" "os" {\n  most_recent = true\n  owners      = ["amazon"]\n  filter {\n    name   = "name"\n    values = ${values}\n  }\n}\n`
/** An `aws_ami` lookup of Amazon's images by `name_regex` alone. */
const amiRegexLookup = (regex: string): string => `data "aws_ami" "os" {\n  most_recent = true\n  owners      = ["amazon"]\n  name_regex  = "${regex}"\n}\n`

/**
 * `aws_security_group.guard` open to the world on `port` (`-1`: every port), followed by the
 * resources that use it (`users`): what it guards decides how far the open rule reaches.
 */
const guarding = (users: string, port: number | string = 5432, name = 'guard'): string =>
  `resource "aws_security_group" "${name}" {\n  ingress {\n    from_port   = ${port === -1 ? 0 : port}\n    to_port     = ${port === -1 ? 0 : port}\n    protocol    = "${port === -1 ? '-1' : 'tcp'}"\n    cidr_blocks = ["0.0.0.0/0"] # HERE\n  }\n}\n\n${users}`
const guardedFunction = (extra = ''): string =>
  `resource "aws_lambda_function" "worker" {\n  function_name = "worker"\n  role          = "arn:aws:iam::123456789012:role/worker"\n  vpc_config {\n    subnet_ids         = ["subnet-1"]\n    security_group_ids = [aws_security_group.guard.id]\n  }\n${extra}}\n`
const GUARDED_INSTANCE = 'resource "aws_instance" "server" {\n  ami                    = "ami-12345678"\n  vpc_security_group_ids = [aws_security_group.guard.id]\n}\n'
const GUARDED_DOCDB = 'resource "aws_docdb_cluster" "docs" {\n  vpc_security_group_ids = [aws_security_group.guard.id]\n}\n'
const guardedDb = (extra = '', engine = '"postgres"'): string =>
  `resource "aws_db_instance" "db" {\n  engine                 = ${engine}\n  instance_class         = "db.t3.micro"\n  vpc_security_group_ids = [aws_security_group.guard.id]\n${extra}}\n`
const guardedAurora = (engine: string, member = ''): string =>
  `resource "aws_rds_cluster" "cluster" {\n  engine                 = "${engine}"\n  vpc_security_group_ids = [aws_security_group.guard.id]\n}\n\nresource "aws_rds_cluster_instance" "member" {\n  cluster_identifier = aws_rds_cluster.cluster.id\n  instance_class     = "db.r6g.large"\n${member}}\n`
const TF_NO_LISTENER = /a function has no listener, so the rule reaches nothing\)$/
const TF_VPC_ONLY = /with no public endpoint: reachable only from inside the VPC and its peers\)$/

const sg = (port: number | string, cidrs: string, marker = true): string =>
  `resource "aws_security_group" "admin" {\n  ingress {\n    from_port   = ${port}\n    to_port     = ${port}\n    protocol    = "tcp"\n    cidr_blocks = ${cidrs}${marker ? ' # HERE' : ''}\n  }\n}\n`
const SSH_FROM_VAR = sg(22, 'var.admin_cidrs')
const varDefault = (value: string): string => `variable "admin_cidrs" {\n  type    = list(string)\n  default = ${value}\n}\n`

const rdsModule = (inputs: string, version = '~> 6.0'): string =>
  `module "db" {\n  source  = "terraform-aws-modules/rds/aws"\n  version = "${version}"\n  engine  = "postgres"\n${inputs}}\n`
const rdsResource = (attrs: string): string => `resource "aws_db_instance" "db" {\n  engine         = "postgres"\n  instance_class = "db.t3.micro"\n${attrs}}\n`

/**
 * A public database (`publicly_accessible = true`, the `# HERE` line) guarded by `groups` (the
 * `vpc_security_group_ids` value), followed by the module's other resources (`rest`).
 */
const publicDb = (groups: string | undefined, rest: string): string =>
  `resource "aws_db_instance" "db" {\n  engine              = "mysql"\n  instance_class      = "db.t3.micro"\n${groups !== undefined ? `  vpc_security_group_ids = ${groups}\n` : ''}  publicly_accessible = true # HERE\n}\n\n${rest}`
const DB_GROUP = 'resource "aws_security_group" "db" {\n  vpc_id = aws_vpc.main.id\n}\n\n'
/** A standalone rule of `aws_security_group.db` (the group written with it): `type`, port 3306 and `source` (its source attributes). */
const dbGroupRule = (source: string, type = 'ingress'): string =>
  `resource "aws_security_group_rule" "db_${type}" {\n  type              = "${type}"\n  from_port         = 3306\n  to_port           = 3306\n  protocol          = "tcp"\n${source}  security_group_id = aws_security_group.db.id\n}\n\n`
const DB_EGRESS = dbGroupRule('  cidr_blocks       = ["0.0.0.0/0"]\n', 'egress')
/** The group of the database with one inline ingress from `source`. */
const dbGroupInline = (source: string, name = 'db'): string =>
  `resource "aws_security_group" "${name}" {\n  ingress {\n    from_port = 3306\n    to_port   = 3306\n    protocol  = "tcp"\n${source}  }\n}\n\n`
const RDS_GUARDED = /it has a public endpoint, but its security groups? .* admits? only private ranges, the VPC or other groups/

/**
 * An Azure network security group `nsg` with one inbound rule from the internet on `port` (the
 * `# HERE` line), then the module's other resources.
 */
const nsgOpen = (port: string, rest: string): string =>
  `resource "azurerm_network_security_group" "nsg" {\n  name = "nsg"\n  security_rule {\n    name                       = "admin"\n    priority                   = 100\n    direction                  = "Inbound"\n    access                     = "Allow"\n    protocol                   = "Tcp"\n    source_port_range          = "*"\n    destination_port_range     = "${port}"\n    source_address_prefix      = "*" # HERE\n    destination_address_prefix = "*"\n  }\n}\n\n${rest}`
/** A network interface `name` attached to the group, with extra `ip_configuration` settings. */
const nsgNic = (config = '', name = 'nic'): string =>
  `resource "azurerm_network_interface" "${name}" {\n  name = "${name}"\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = azurerm_subnet.internal.id\n    private_ip_address_allocation = "Dynamic"\n${config}  }\n}\n\nresource "azurerm_network_interface_security_group_association" "${name}" {\n  network_interface_id      = azurerm_network_interface.${name}.id\n  network_security_group_id = azurerm_network_security_group.nsg.id\n}\n\n`
const PUBLIC_IP = '    public_ip_address_id          = azurerm_public_ip.pip.id\n'
/** A virtual machine on `nic`: the azurerm_virtual_machine form with `os` (`linux` or `windows`) config, or a typed VM. */
const azureVm = (os: 'linux' | 'windows' | 'typed-linux' | 'typed-windows', name = 'vm', nic = 'nic'): string =>
  os.startsWith('typed')
    ? `resource "azurerm_${os.slice(6)}_virtual_machine" "${name}" {\n  name                  = "${name}"\n  size                  = "Standard_B2s"\n  network_interface_ids = [azurerm_network_interface.${nic}.id]\n}\n\n`
    : `resource "azurerm_virtual_machine" "${name}" {\n  name                  = "${name}"\n  vm_size               = "Standard_B2s"\n  network_interface_ids = ["\${azurerm_network_interface.${nic}.id}"]\n  os_profile_${os}_config {\n${os === 'linux' ? '    disable_password_authentication = true\n' : '    provision_vm_agent = true\n'}  }\n}\n\n`
/** A public load balancer with a backend pool, and a rule forwarding `frontend` to `backend` on it. */
const lbWithRule = (backend: number, frontend = backend, name = 'web'): string =>
  `resource "azurerm_lb" "lb" {\n  name = "lb"\n  frontend_ip_configuration {\n    name                 = "public"\n    public_ip_address_id = azurerm_public_ip.lb.id\n  }\n}\n\nresource "azurerm_lb_backend_address_pool" "pool" {\n  name            = "pool"\n  loadbalancer_id = azurerm_lb.lb.id\n}\n\nresource "azurerm_lb_rule" "${name}" {\n  loadbalancer_id                = azurerm_lb.lb.id\n  name                           = "${name}"\n  protocol                       = "Tcp"\n  frontend_port                  = ${frontend}\n  backend_port                   = ${backend}\n  frontend_ip_configuration_name = "public"\n  backend_address_pool_ids       = [azurerm_lb_backend_address_pool.pool.id]\n}\n\n`
const IN_POOL = '    load_balancer_backend_address_pools_ids = ["${azurerm_lb_backend_address_pool.pool.id}"]\n'
/** The group attached to subnet `internal`, whose one interface (no public IP) serves a Linux VM. */
const NSG_ON_SUBNET =
  'resource "azurerm_subnet" "internal" {\n  name = "internal"\n}\n\nresource "azurerm_subnet_network_security_group_association" "internal" {\n  subnet_id                 = azurerm_subnet.internal.id\n  network_security_group_id = azurerm_network_security_group.nsg.id\n}\n\n' +
  nsgNic().replace(/resource "azurerm_network_interface_security_group_association"[^]*$/, '') +
  azureVm('typed-linux')
/** An Azure Firewall rule collection forwarding the internet's port 22 to a private address (DNAT). */
const FIREWALL_DNAT =
  'resource "azurerm_firewall_nat_rule_collection" "dnat" {\n  name                = "dnat"\n  azure_firewall_name = "fw"\n  priority            = 100\n  action              = "Dnat"\n  rule {\n    name                  = "ssh"\n    source_addresses      = ["*"]\n    destination_ports     = ["22"]\n    destination_addresses = ["20.1.2.3"]\n    translated_port       = 22\n    translated_address    = "10.0.1.4"\n    protocols             = ["TCP"]\n  }\n}\n'
/** A firewall policy rule collection group holding `collection` (a `nat_rule_collection` or another kind). */
const policyGroup = (collection: string): string =>
  `resource "azurerm_firewall_policy_rule_collection_group" "rules" {\n  name               = "rules"\n  firewall_policy_id = azurerm_firewall_policy.fw.id\n  priority           = 100\n  ${collection} {\n    name     = "c"\n    priority = 100\n    action   = "${collection === 'nat_rule_collection' ? 'Dnat' : 'Allow'}"\n  }\n}\n`
const NSG_NO_PATH = /\(it guards no internet path to port 22: network interface `azurerm_network_interface\.nic` has no public IP and no load balancer or NAT rule forwarding there, so only the virtual network reaches it\)$/

const policyJson = (action: string, resource: string): string =>
  `resource "aws_iam_policy" "p" {\n  policy = jsonencode({\n    Statement = [{\n      Effect   = "Allow"\n      Action   = ${action} # HERE\n      Resource = ${resource}\n    }]\n  })\n}\n`

const gke = (body: string): string => `resource "google_container_cluster" "c" {\n  name = "c"\n${body}}\n`
const aks = (body: string): string => `resource "azurerm_kubernetes_cluster" "k" {\n  name = "k"\n${body}}\n`
const GKE_OK =
  '  private_cluster_config {\n    enable_private_nodes = true\n  }\n  workload_identity_config {\n    workload_pool = "p.svc.id.goog"\n  }\n  network_policy {\n    enabled = true\n  }\n'
const AKS_OK =
  '  role_based_access_control_enabled = true\n  local_account_disabled = true\n  api_server_access_profile {\n    authorized_ip_ranges = ["203.0.113.0/24"]\n  }\n  network_profile {\n    network_plugin = "azure"\n    network_policy = "azure"\n  }\n'

// Credential-shaped values are assembled at run time so the repository holds no literal token.
const ACCESS_KEY_ID = ['AKIA', 'QX7V', 'M2PL', 'R9TB', 'K4HZ'].join('')
const SECRET_KEY = ['wJ8rXUtnF', 'EMI/K7MDE', 'NG/bPxRfi', 'CYq2Lm9Zs', 'T3dN'].join('')
const PEM = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ')
const PEM_END = ['-----END', 'RSA PRIVATE KEY-----'].join(' ')
/** Base64 filler of key width: shaped like key material, holding none. */
const PEM_BODY = Buffer.from('preflight rule tester, not key material. '.repeat(2)).toString('base64').slice(0, 64)
/** A real key's body, generated for the run (a whole key is what the rule reports), and the same key encrypted. */
const rsaKey = (cipher?: string): string =>
  generateKeyPairSync('rsa', { modulusLength: 1024 })
    .privateKey.export(cipher ? { type: 'pkcs8', format: 'pem', cipher, passphrase: 'rule tester' } : { type: 'pkcs1', format: 'pem' })
    .toString()
    .trim()
const KEY_BODY = rsaKey().split('\n').slice(1, -1)
const ENCRYPTED_KEY = rsaKey('aes-256-cbc')

const VPC = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'

/** A terraform-aws-modules/vpc call named `net` (its subnets feed the EC2 public-IP cases). */
const VPC_MODULE_CALL = 'module "net" {\n  source          = "terraform-aws-modules/vpc/aws"\n  version         = "~> 5.0"\n  cidr            = "10.1.0.0/16"\n  azs             = ["eu-west-1a"]\n  private_subnets = ["10.1.1.0/24"]\n  public_subnets  = ["10.1.101.0/24"]\n  intra_subnets   = ["10.1.51.0/24"]\n}\n'
/** An EC2 instance module call (`marker` on its header line) placed in `subnet`, saying nothing of public IPs. */
const ec2ModuleIn = (subnet: string, marker = ''): string =>
  `module "box" {${marker}\n  source        = "terraform-aws-modules/ec2-instance/aws"\n  version       = "~> 5.0"\n  instance_type = "t3.micro"\n  subnet_id     = ${subnet}\n}\n`
const instanceIn = (subnet: string, marker = ''): string => `resource "aws_instance" "box" {${marker}\n  ami       = "ami-12345678"\n  subnet_id = ${subnet}\n}\n`
const subnet = (attrs: string): string => `resource "aws_subnet" "app" {\n  vpc_id     = aws_vpc.main.id\n  cidr_block = "10.0.1.0/24"\n${attrs}}\n`

/** An NLB (resource) with one listener resource of a protocol, in two files of a module. */
const nlbResource = (marker = ''): string => `resource "aws_lb" "edge" {${marker}\n  name               = "edge"\n  internal           = true\n  load_balancer_type = "network"\n  subnets            = var.subnets\n}\n`
const nlbListener = (protocol: string): string =>
  `resource "aws_lb_listener" "front" {\n  load_balancer_arn = aws_lb.edge.arn\n  port              = 443\n  protocol          = ${protocol}\n  default_action {\n    type             = "forward"\n    target_group_arn = aws_lb_target_group.tg.arn\n  }\n}\n`
/** An alb registry module call making an NLB, with the given listener inputs. */
const nlbModule = (version: string, listeners: string, marker = ''): string =>
  `module "lb" {${marker}\n  source             = "terraform-aws-modules/alb/aws"\n  version            = "${version}"\n  name               = "lb"\n  load_balancer_type = "network"\n  internal           = true\n${listeners}}\n`
const FLOW_LOG = 'resource "aws_flow_log" "f" {\n  vpc_id       = aws_vpc.main.id\n  traffic_type = "ALL"\n}\n'
/** A call of the module at `source` with one input line. */
const callBucketModule = (source: string, input: string): string => `module "storage" {\n  source = "${source}"\n  ${input}\n}\n`
const VERSIONING_VAR = '\nvariable "bucket_versioning" {\n  type    = bool\n  default = false\n}\n'
const GCS_MODULE = 'variable "bucket_versioning" {\n  type = bool\n}\n\nresource "google_storage_bucket" "b" {\n  name     = "b"\n  location = "EU"\n  versioning {\n    enabled = var.bucket_versioning\n  }\n}\n'
const S3_MODULE = 'variable "versioning_enabled" {\n  type = bool\n}\n\nresource "aws_s3_bucket" "b" {\n  bucket = "b"\n  versioning {\n    enabled = var.versioning_enabled\n  }\n}\n'
const BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
const BUCKET_VERSIONING = 'resource "aws_s3_bucket_versioning" "v" {\n  bucket = aws_s3_bucket.logs.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n'

/** A block written as `dynamic "name"`: reusable modules set it from their inputs, so it is there. */
const dyn = (name: string, body: string): string => `  dynamic "${name}" {\n    for_each = var.${name} != null ? [var.${name}] : []\n    content {\n${body}    }\n  }\n`

/** A module whose setting comes from an input variable: the caller decides, so nothing is claimed. */
const fromInput = (resource: string, name: string, def?: string): Case => ({
  name: def === undefined ? `${name} from a variable without default` : `${name} from a variable defaulting to ${def}`,
  files: { 'mod/main.tf': resource, 'mod/variables.tf': `variable "${name}" {\n  type = bool\n${def === undefined ? '' : `  default = ${def}\n`}}\n` }
})

const TF_SECRET = 'resource "aws_secretsmanager_secret" "db" { # HERE\n  name = "app/db"\n}\n'
const tfRotation = (secretId: string): string => `\nresource "aws_secretsmanager_secret_rotation" "db" {\n  secret_id           = ${secretId}\n  rotation_lambda_arn = aws_lambda_function.rotate.arn\n  rotation_rules {\n    automatically_after_days = 30\n  }\n}\n`

export const terraformCases: CaseTable = {
  'tf/aws-secret-no-rotation': {
    valid: [
      ok(TF_SECRET + tfRotation('aws_secretsmanager_secret.db.id')),
      ok(TF_SECRET + tfRotation('var.secret_arn'), 'a rotation for a secret given by variable may rotate this one'),
      { name: 'the rotation in another file of the module', files: { 'secrets/main.tf': TF_SECRET, 'secrets/rotation.tf': tfRotation('aws_secretsmanager_secret.db.id') } }
    ],
    invalid: [here(TF_SECRET, { severity: 'low', message: /^hardening: / })]
  },
  'tf/aws-asg-fixed-size': {
    valid: [ok('resource "aws_autoscaling_group" "g" {\n  min_size = 2\n  max_size = 6\n}\n')],
    invalid: [here('resource "aws_autoscaling_group" "g" {\n  min_size = 2\n  max_size = 2 # HERE\n}\n')]
  },
  'tf/aws-dynamodb-no-pitr': {
    valid: [ok(`resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n${dyn('point_in_time_recovery', '      enabled = true\n')}}\n`, 'dynamic point_in_time_recovery block'), ok('resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n  point_in_time_recovery {\n    enabled = true\n  }\n}\n')],
    invalid: [here('resource "aws_dynamodb_table" "t" { # HERE\n  name     = "t"\n  hash_key = "id"\n}\n')]
  },
  'tf/aws-ec2-detailed-monitoring-off': {
    valid: [ok('resource "aws_instance" "a" {\n  monitoring = true\n}\n')],
    invalid: [here('resource "aws_instance" "a" {\n  monitoring = false # HERE\n}\n')]
  },
  'tf/aws-ec2-public-ip': {
    valid: [fromInput('resource "aws_instance" "a" {\n  associate_public_ip_address = var.public_ip\n}\n', 'public_ip', 'false'), ok('resource "aws_instance" "a" {\n  associate_public_ip_address = false\n}\n')],
    invalid: [here('resource "aws_instance" "a" {\n  associate_public_ip_address = true # HERE\n}\n', { severity: 'medium' })]
  },
  'tf/aws-ec2-public-ip-unset': {
    valid: [
      ok('resource "aws_instance" "a" {\n  ami                         = "ami-12345678"\n  associate_public_ip_address = false\n}\n'),
      ok('resource "aws_instance" "a" {\n  ami = "ami-12345678"\n  network_interface {\n    network_interface_id = aws_network_interface.n.id\n    device_index         = 0\n  }\n}\n', 'network interface attached'),
      ok(`resource "aws_instance" "a" {\n  ami = "ami-12345678"\n${dyn('network_interface', '      network_interface_id = network_interface.value.id\n      device_index         = network_interface.value.index\n')}}\n`, 'dynamic network_interface block'),
      { name: 'module instance in a private subnet of the vpc module', files: { 'app/ec2.tf': ec2ModuleIn('module.net.private_subnets[0]'), 'app/vpc.tf': VPC_MODULE_CALL } },
      { name: 'module instance in an intra subnet through element()', files: { 'app/main.tf': ec2ModuleIn('element(module.net.intra_subnets, 0)') + VPC_MODULE_CALL } },
      { name: 'instance in a database subnet of the vpc module', files: { 'app/main.tf': instanceIn('module.net.database_subnets[count.index]') + VPC_MODULE_CALL } },
      { name: 'instance in a subnet of the module without map_public_ip_on_launch', files: { 'app/main.tf': instanceIn('aws_subnet.app.id'), 'app/net.tf': VPC + subnet('') } },
      { name: 'instance in a subnet of the module with map_public_ip_on_launch = false', files: { 'app/main.tf': instanceIn('aws_subnet.app[0].id'), 'app/net.tf': VPC + subnet('  map_public_ip_on_launch = false\n') } }
    ],
    invalid: [
      here('resource "aws_instance" "a" { # HERE\n  ami = "ami-12345678"\n}\n'),
      hereIn('module instance in a public subnet of the vpc module', { 'app/ec2.tf': ec2ModuleIn('module.net.public_subnets[0]', ' # HERE'), 'app/vpc.tf': VPC_MODULE_CALL }),
      hereIn('private_subnets of a module that is not the registry vpc module', { 'app/ec2.tf': ec2ModuleIn('module.net.private_subnets[0]', ' # HERE'), 'app/vpc.tf': 'module "net" {\n  source = "./modules/network"\n}\n' }),
      hereIn('private_subnets of a vpc module that is not in the module', { 'app/ec2.tf': instanceIn('module.net.private_subnets[0]', ' # HERE') }),
      hereIn('subnet id from an input', { 'app/ec2.tf': instanceIn('var.subnet_id', ' # HERE') }),
      hereIn('subnet of the module mapping public IPs', { 'app/main.tf': instanceIn('aws_subnet.app.id', ' # HERE'), 'app/net.tf': VPC + subnet('  map_public_ip_on_launch = true\n') })
    ]
  },
  'tf/aws-ecr-mutable-tags': {
    valid: [
      ok('resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "IMMUTABLE"\n}\n'),
      ok('resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"\n}\n', 'immutable except named tags (latest, dev-*)')
    ],
    invalid: [
      here('resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE" # HERE\n}\n'),
      here('resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE_WITH_EXCLUSION" # HERE\n}\n', { message: /except those its exclusion filters name/ }, 'mutable except named tags')
    ]
  },
  'tf/aws-ecs-container-insights-off': {
    valid: [ok(`resource "aws_ecs_cluster" "c" {\n  name = "c"\n${dyn('setting', '      name  = "containerInsights"\n      value = "enabled"\n')}}\n`, 'dynamic setting block'), ok('resource "aws_ecs_cluster" "c" {\n  setting {\n    name  = "containerInsights"\n    value = "enabled"\n  }\n}\n')],
    invalid: [here('resource "aws_ecs_cluster" "c" {\n  setting {\n    name  = "containerInsights"\n    value = "disabled" # HERE\n  }\n}\n')]
  },
  'tf/aws-ecs-no-circuit-breaker': {
    valid: [ok(`resource "aws_ecs_service" "s" {\n  name = "s"\n${dyn('deployment_circuit_breaker', '      enable   = true\n      rollback = true\n')}}\n`, 'dynamic deployment_circuit_breaker block'), ok('resource "aws_ecs_service" "s" {\n  name = "s"\n  deployment_circuit_breaker {\n    enable   = true\n    rollback = true\n  }\n}\n')],
    invalid: [here('resource "aws_ecs_service" "s" { # HERE\n  name = "s"\n}\n')]
  },
  'tf/aws-eks-control-plane-logs-off': {
    valid: [ok('resource "aws_eks_cluster" "k" {\n  name                      = "k"\n  enabled_cluster_log_types = ["api", "audit"]\n}\n')],
    invalid: [
      here('resource "aws_eks_cluster" "k" { # HERE\n  name = "k"\n}\n'),
      here('module "eks" {\n  source            = "terraform-aws-modules/eks/aws"\n  version           = "~> 21.0"\n  enabled_log_types = [] # HERE\n}\n', { message: /`enabled_log_types`/ }, 'registry module v21 input enabled_log_types'),
      here(
        'module "eks" {\n  source                    = "terraform-aws-modules/eks/aws"\n  version                   = "~> 19.0"\n  cluster_enabled_log_types = [] # HERE\n}\n',
        { message: /sets `cluster_enabled_log_types` to an empty list/ },
        'registry module: the message names the input as written'
      )
    ]
  },
  'tf/aws-eks-public-endpoint': {
    valid: [
      ok('resource "aws_eks_cluster" "c" {\n  name = "c"\n  vpc_config {\n    subnet_ids              = ["subnet-1"]\n    endpoint_public_access  = false\n    endpoint_private_access = true\n  }\n}\n'),
      ok('module "eks" {\n  source  = "terraform-aws-modules/eks/aws"\n  version = "~> 20.0"\n}\n', 'registry module v20 defaults to a private endpoint'),
      ok('module "eks" {\n  source                       = "terraform-aws-modules/eks/aws"\n  version                      = "~> 21.0"\n  endpoint_public_access       = true\n  endpoint_public_access_cidrs = ["203.0.113.0/24"]\n}\n', 'registry module v21 names: the public endpoint is narrowed to one range')
    ],
    invalid: [
      here('resource "aws_eks_cluster" "c" {\n  name = "c"\n  vpc_config {\n    subnet_ids             = ["subnet-1"]\n    endpoint_public_access = true # HERE\n  }\n}\n'),
      here('module "eks" {\n  source                         = "terraform-aws-modules/eks/aws"\n  cluster_endpoint_public_access = true # HERE\n}\n', {}, 'registry module input endpoint_public_access'),
      here(
        'module "eks" { # HERE\n  source  = "terraform-aws-modules/eks/aws"\n  version = "~> 18.0"\n}\n',
        { message: /`cluster_endpoint_public_access` defaults to true.*v18 defaults `cluster_endpoint_public_access` to `true`/ },
        'registry module v18 default: the message names the module input'
      )
    ]
  },
  'tf/aws-elasticache-redis-no-snapshots': {
    valid: [ok('resource "aws_elasticache_cluster" "c" {\n  engine                   = "redis"\n  snapshot_retention_limit = 5\n}\n')],
    invalid: [here('resource "aws_elasticache_cluster" "c" {\n  engine                   = "redis"\n  snapshot_retention_limit = 0 # HERE\n}\n')]
  },
  'tf/aws-elasticache-single-az': {
    valid: [ok('resource "aws_elasticache_cluster" "c" {\n  engine          = "memcached"\n  num_cache_nodes = 3\n  az_mode         = "cross-az"\n}\n')],
    invalid: [here('resource "aws_elasticache_cluster" "c" {\n  engine          = "memcached"\n  num_cache_nodes = 3\n  az_mode         = "single-az" # HERE\n}\n')]
  },
  'tf/aws-hardcoded-access-key': {
    valid: [ok('resource "aws_instance" "a" {\n  ami       = "ami-12345678"\n  user_data = file("boot.sh")\n}\n')],
    invalid: [
      {
        code: `resource "aws_instance" "a" {\n  ami       = "ami-12345678"\n  user_data = <<EOF\n#!/bin/sh\nexport AWS_ACCESS_KEY_ID=${ACCESS_KEY_ID}\nEOF\n}\n`,
        errors: [{ line: 5, severity: 'critical' }]
      },
      {
        name: 'real credential shape in a test path keeps its severity',
        path: 'tests/fixtures/main.tf',
        code: `resource "aws_instance" "a" {\n  ami       = "ami-12345678"\n  user_data = <<EOF\nexport AWS_ACCESS_KEY_ID=${ACCESS_KEY_ID}\nEOF\n}\n`,
        errors: [{ line: 4, severity: 'critical' }]
      },
      {
        name: 'key id spelled with a YAML \\x escape in a .tf.json file (read by the YAML parser)',
        path: 'main.tf.json',
        code: `{\n  "resource": {\n    "aws_instance": {\n      "a": {\n        "tags": { "k": "\\x41${ACCESS_KEY_ID.slice(1)}" }\n      }\n    }\n  }\n}\n`,
        errors: [{ line: 5, severity: 'critical' }]
      },
      {
        name: 'key id spelled with a unicode escape (no key prefix in the text)',
        code: `resource "aws_instance" "a" {\n  ami  = "ami-12345678"\n  tags = {\n    Key = "\\u0041${ACCESS_KEY_ID.slice(1)}"\n  }\n}\n`,
        errors: [{ line: 4, severity: 'critical' }]
      }
    ]
  },
  'tf/aws-iam-role-trust-all': {
    valid: [
      ok(
        'data "aws_iam_policy_document" "trust" {\n  statement {\n    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "AWS"\n      identifiers = ["*"]\n    }\n    condition {\n      test     = "StringEquals"\n      variable = "sts:ExternalId"\n      values   = ["partner-7"]\n    }\n  }\n}\n',
        'policy document with an ExternalId condition'
      ),
      ok(
        'data "aws_iam_policy_document" "bucket" {\n  statement {\n    actions   = ["s3:GetObject"]\n    resources = ["arn:aws:s3:::site/*"]\n    principals {\n      type        = "AWS"\n      identifiers = ["*"]\n    }\n  }\n}\n',
        'a bucket policy document is not a trust policy'
      ),
      ok(
        'data "aws_iam_policy_document" "key" {\n  statement {\n    actions   = ["*"]\n    resources = ["*"]\n    principals {\n      type        = "AWS"\n      identifiers = ["arn:aws:iam::123456789012:root"]\n    }\n  }\n}\n',
        'a key policy granting * to the account root is not a trust policy when no role uses it'
      ),
      ok('resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({\n    Statement = [{\n      Effect    = "Allow"\n      Action    = "sts:AssumeRole"\n      Principal = { Service = "ec2.amazonaws.com" }\n    }]\n  })\n}\n')
    ],
    invalid: [
      here('resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({\n    Statement = [{\n      Effect    = "Allow"\n      Action    = "sts:AssumeRole"\n      Principal = {\n        AWS = "*" # HERE\n      }\n    }]\n  })\n}\n', { severity: 'high' }),
      here(
        'resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({\n    Statement = [{\n      Effect    = "Allow"\n      Action    = "sts:AssumeRole"\n      Principal = {\n        AWS = "arn:aws:iam::*:root" # HERE\n      }\n    }]\n  })\n}\n',
        { message: /any principal$/ },
        'root of every account (`*` account id)'
      ),
      here(
        'data "aws_iam_policy_document" "trust" {\n  statement {\n    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "AWS"\n      identifiers = ["*"] # HERE\n    }\n  }\n}\n\nresource "aws_iam_role" "r" {\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n',
        { message: /trust policy document `trust` lets any principal assume/ },
        'trust policy written as an aws_iam_policy_document'
      )
    ]
  },
  'tf/aws-iam-service-wildcard': {
    valid: [
      ok(policyJson('["iot:Publish"]', '"*"')),
      ok(policyJson('["s3:*"]', '"arn:aws:s3:::assets/*"'), 'service wildcard on one resource'),
      ok('data "aws_iam_policy_document" "key" {\n  statement {\n    actions   = ["kms:*"]\n    resources = ["*"]\n    principals {\n      type        = "AWS"\n      identifiers = ["arn:aws:iam::123456789012:root"]\n    }\n  }\n}\n', 'a key policy: Resource * is the key itself'),
      ok(policyJson('["s3:*"]', '"*"').replace('Effect   = "Allow"', 'Effect   = "Deny"').replace(' # HERE', ''), 'Deny statement'),
      ok('data "aws_iam_policy_document" "key" {\n  statement {\n    actions   = ["kms:*"]\n    resources = ["*"]\n    principals {\n      type        = "AWS"\n      identifiers = ["arn:aws:iam::${data.aws_caller_identity.this.account_id}:root", data.aws_caller_identity.this.arn]\n    }\n  }\n}\n', 'a key policy whose principals are computed')
    ],
    invalid: [here(policyJson('["iot:*"]', '"*"'), { severity: 'medium' }), here(policyJson('"s3:*"', '"*"'), {}, 's3:*')]
  },
  'tf/aws-iam-wildcard-policy': {
    valid: [
      ok('data "aws_iam_policy_document" "d" {\n  statement {\n    actions   = ["*"]\n    resources = ["arn:aws:s3:::assets/*"]\n  }\n}\n'),
      ok('data "aws_iam_policy_document" "d" {\n  statement {\n    effect    = "Deny"\n    actions   = ["*"]\n    resources = ["*"]\n  }\n}\n', 'Deny statement')
    ],
    invalid: [
      here('data "aws_iam_policy_document" "d" {\n  statement {\n    actions   = ["*"] # HERE\n    resources = ["*"]\n  }\n}\n', { severity: 'high' }),
      here(policyJson('"*"', '"*"'), {}, 'jsonencode policy'),
      { name: 'policy heredoc in locals handed to a module', code: LOCALS_POLICY, errors: [{ line: lineOf(LOCALS_POLICY, '"Action": "*"') }] }
    ]
  },
  'tf/aws-imdsv1-allowed': {
    valid: [ok(`resource "aws_launch_template" "lt" {\n  image_id = "ami-12345678"\n${dyn('metadata_options', '      http_tokens = "required"\n')}}\n`, 'dynamic metadata_options block'), ok('resource "aws_launch_template" "lt" {\n  image_id = "ami-12345678"\n  metadata_options {\n    http_tokens = "required"\n  }\n}\n'),
      ok(nodeGroupTemplate(''), "a template with no AMI for an EKS node group on EKS's default AMI (Amazon Linux 2023)"),
      ok(nodeGroupTemplate('  ami_type      = "BOTTLEROCKET_x86_64"\n'), 'a template with no AMI for a Bottlerocket node group'),
      {
        name: 'the node group in another file of the module, on Amazon Linux 2023',
        files: { 'eks/templates.tf': nodeGroupTemplate('').split('\n\n')[0]! + '\n', 'eks/groups.tf': nodeGroupTemplate('  ami_type      = "AL2023_x86_64_STANDARD"\n').split('\n\n')[1]! }
      },
      ok(instanceOnLookup(AL2023_PARAMETER, 'data.aws_ssm_parameter.al2023.value'), 'an instance on the Amazon Linux 2023 AMI its SSM parameter names'),
      ok(instanceOnLookup(AL2023_PARAMETER, 'nonsensitive(data.aws_ssm_parameter.al2023.value)'), 'the parameter read through nonsensitive()'),
      ok(instanceOnLookup(amiLookup('["al2023-ami-2023.*-x86_64"]'), 'data.aws_ami.os.id'), 'an instance on an aws_ami lookup filtered to Amazon Linux 2023 names'),
      ok(instanceOnLookup(amiRegexLookup('^al2023-ami-2023.*-x86_64'), 'data.aws_ami.os.id'), 'an aws_ami lookup whose name_regex is anchored on Amazon Linux 2023 names'),
      ok(instanceOnLookup(amiLookup('["amzn2-ami-hvm-*"]').replace('  most_recent', '  name_regex  = "^bottlerocket-aws-k8s-.*"\n  most_recent'), 'data.aws_ami.os.id'), 'an anchored Bottlerocket name_regex beside a wider name filter (both conditions apply)'),
      ok(
        'data "aws_ssm_parameter" "bottlerocket" {\n  name = "/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id"\n}\n\nresource "aws_launch_template" "lt" {\n  image_id = data.aws_ssm_parameter.bottlerocket.value\n}\n',
        'a launch template on the Bottlerocket AMI its SSM parameter names'
      ),
      {
        name: 'the parameter in another file of the module',
        files: { 'ec2/data.tf': AL2023_PARAMETER, 'ec2/main.tf': instanceOnLookup('', 'data.aws_ssm_parameter.al2023.value') }
      }
    ],
    invalid: [
      here('resource "aws_launch_template" "lt" {\n  image_id = "ami-12345678"\n  metadata_options {\n    http_tokens = "optional" # HERE\n  }\n}\n'),
      here('resource "aws_instance" "web" { # HERE\n  ami = "ami-12345678"\n}\n', {}, 'instance without metadata options'),
      here(nodeGroupTemplate('  ami_type      = "AL2_x86_64"\n', ' # HERE'), {}, 'a template for an Amazon Linux 2 node group'),
      here(nodeGroupTemplate('  version       = "1.29"\n', ' # HERE'), {}, 'a template for a node group on Kubernetes 1.29, whose default AMI is Amazon Linux 2'),
      here(nodeGroupTemplate('', ' # HERE').replace('  instance_type = "m5.large"\n', '  image_id      = "ami-12345678"\n'), {}, 'a template that names its own AMI'),
      here(instanceOnLookup(AL2023_PARAMETER.replace('al2023-ami-kernel-default', 'amzn2-ami-hvm'), 'data.aws_ssm_parameter.al2023.value', ' # HERE'), {}, 'an instance on the Amazon Linux 2 AMI (IMDSv1 on by default)'),
      here(instanceOnLookup(amiLookup('["al2023-ami-2023.*", "amzn2-ami-hvm-*"]'), 'data.aws_ami.os.id', ' # HERE'), {}, 'an aws_ami lookup whose name filter also allows Amazon Linux 2'),
      here(instanceOnLookup('', 'data.aws_ssm_parameter.al2023.value', ' # HERE'), {}, 'a parameter the module does not declare'),
      here(instanceOnLookup(amiRegexLookup('al2023-ami-2023.*'), 'data.aws_ami.os.id', ' # HERE'), {}, 'a name_regex not anchored (the provider searches anywhere in the name)'),
      here(instanceOnLookup(amiRegexLookup('^al2023-ami-.*|amzn2-ami-.*'), 'data.aws_ami.os.id', ' # HERE'), {}, 'an anchored name_regex with an alternative'),
      here(instanceOnLookup(amiRegexLookup('^al2023-ami-2023.*').replace('["amazon"]', '["self"]'), 'data.aws_ami.os.id', ' # HERE'), {}, 'an anchored name_regex on the account\'s own images'),
      here(instanceOnLookup(amiLookup('["al2023-ami-2023.*"]').replace('["amazon"]', '["self"]'), 'data.aws_ami.os.id', ' # HERE'), {}, 'an AMI of the account itself named like Amazon Linux 2023'),
      here(instanceOnLookup(amiLookup('["al2023-ami-2023.*"]').replace('  owners      = ["amazon"]\n', ''), 'data.aws_ami.os.id', ' # HERE'), {}, 'an aws_ami lookup of any owner named like Amazon Linux 2023'),
      here(
        instanceOnLookup(AL2023_PARAMETER, 'data.aws_ssm_parameter.al2023.value').replace('  instance_type = "t3.nano"\n', '  metadata_options {\n    http_tokens = "optional" # HERE\n  }\n'),
        {},
        'Amazon Linux 2023 with IMDSv1 switched back on'
      ),
      here(nodeGroupTemplate('', ' # HERE') + 'resource "aws_instance" "bastion" {\n  launch_template {\n    id = aws_launch_template.nodes.id\n  }\n  metadata_options {\n    http_tokens = "required"\n  }\n}\n', {}, 'a template an instance also launches from')
    ]
  },
  'tf/aws-lambda-no-tracing': {
    valid: [ok(`resource "aws_lambda_function" "f" {\n  function_name = "f"\n${dyn('tracing_config', '      mode = "Active"\n')}}\n`, 'dynamic tracing_config block'), ok('resource "aws_lambda_function" "f" {\n  function_name = "f"\n  tracing_config {\n    mode = "Active"\n  }\n}\n')],
    invalid: [here('resource "aws_lambda_function" "f" {\n  function_name = "f"\n  tracing_config {\n    mode = "PassThrough" # HERE\n  }\n}\n')]
  },
  'tf/aws-lb-access-logs-disabled': {
    valid: [
      ok(`resource "aws_lb" "lb" {\n  enable_deletion_protection = true\n${dyn('access_logs', '      bucket  = access_logs.value.bucket\n      enabled = true\n')}}\n`, 'dynamic access_logs block'),
      ok('resource "aws_lb" "lb" {\n  enable_deletion_protection = true\n  access_logs {\n    bucket  = "logs"\n    enabled = true\n  }\n}\n'),
      { name: 'NLB whose only listener is TCP (nothing to log)', files: { 'lb/main.tf': nlbResource(), 'lb/listeners.tf': nlbListener('"TCP"') } },
      {
        name: 'NLB with access logs switched off and only a TCP listener',
        files: { 'lb/main.tf': nlbResource().replace('}\n', '  access_logs {\n    bucket  = "logs"\n    enabled = false\n  }\n}\n'), 'lb/listeners.tf': nlbListener('"TCP"') }
      },
      { name: 'alb module v8 NLB with TCP listeners only', files: { 'lb/main.tf': nlbModule('~> 8.6', '  http_tcp_listeners = [{\n    port     = 443\n    protocol = "TCP"\n  }]\n') } },
      { name: 'alb module v9 NLB with a UDP listener only', files: { 'lb/main.tf': nlbModule('~> 9.0', '  listeners = {\n    dns = {\n      port     = 53\n      protocol = "UDP"\n    }\n  }\n') } },
      ok('module "alb" {\n  source  = "terraform-aws-modules/alb/aws"\n  version = "10.2.0"\n  name    = "web"\n  enable_deletion_protection = true\n  access_logs = var.alb.access_logs\n}\n', "the alb module's access_logs argument from the caller's input")
    ],
    invalid: [
      here('resource "aws_lb" "lb" {\n  enable_deletion_protection = true\n  access_logs { # HERE\n    bucket = "logs"\n  }\n}\n'),
      here('module "alb" {\n  source  = "terraform-aws-modules/alb/aws"\n  version = "10.2.0"\n  name    = "web"\n  enable_deletion_protection = true\n  access_logs = {\n    bucket  = "logs"\n    enabled = false # HERE\n  }\n}\n', {}, "the alb module's access_logs argument switched off"),
      here('module "alb" { # HERE\n  source  = "terraform-aws-modules/alb/aws"\n  version = "10.2.0"\n  name    = "web"\n  enable_deletion_protection = true\n}\n', {}, 'the alb module without access_logs'),
      here('module "alb" { # HERE\n  source  = "terraform-aws-modules/alb/aws"\n  version = "10.2.0"\n  name    = "web"\n  enable_deletion_protection = true\n  access_logs = null\n}\n', {}, "the alb module's access_logs argument written as null"),
      hereIn('NLB with a TLS listener', { 'lb/main.tf': nlbResource(' # HERE'), 'lb/listeners.tf': nlbListener('"TLS"') }),
      hereIn('NLB with no listener in the module', { 'lb/main.tf': nlbResource(' # HERE') }, { message: /none of its listeners is in this module/ }),
      hereIn('NLB listener protocol from an input', { 'lb/main.tf': nlbResource(' # HERE'), 'lb/listeners.tf': nlbListener('var.protocol') }, { message: /does not show the protocol/ }),
      hereIn('alb module v8 NLB with a TLS listener', { 'lb/main.tf': nlbModule('~> 8.6', '  https_listeners = [{\n    port            = 443\n    protocol        = "TLS"\n    certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/abc"\n  }]\n', ' # HERE') }),
      hereIn('alb module NLB with listeners from an input', { 'lb/main.tf': nlbModule('~> 9.0', '  listeners = var.listeners\n', ' # HERE') }, { message: /does not show the protocol/ }),
      hereIn('NLB with a TCP listener and a TLS one', { 'lb/main.tf': nlbResource(' # HERE'), 'lb/listeners.tf': nlbListener('"TCP"') + nlbListener('"TLS"').replace('"front"', '"secure"') }),
      hereIn('ALB with only an HTTP listener is still reported', { 'lb/main.tf': 'resource "aws_lb" "web" { # HERE\n  name               = "web"\n  load_balancer_type = "application"\n}\n', 'lb/listeners.tf': 'resource "aws_lb_listener" "http" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 80\n  protocol          = "HTTP"\n}\n' })
    ]
  },
  'tf/aws-lb-no-deletion-protection': {
    valid: [fromInput('resource "aws_lb" "web" {\n  name                       = "web"\n  enable_deletion_protection = var.deletion_protection\n}\n', 'deletion_protection'), fromInput('resource "aws_lb" "web" {\n  name                       = "web"\n  enable_deletion_protection = var.deletion_protection\n}\n', 'deletion_protection', 'true'), ok('resource "aws_lb" "web" {\n  name                       = "web"\n  enable_deletion_protection = true\n}\n'), ok('module "alb" {\n  source  = "terraform-aws-modules/alb/aws"\n  version = "~> 9.0"\n  name    = "web"\n}\n', 'registry module v9 defaults to deletion protection')],
    invalid: [
      here('resource "aws_lb" "web" {\n  name                       = "web"\n  enable_deletion_protection = false # HERE\n}\n'),
      { name: 'registry module v6 default (false before v9)', code: 'module "alb" {\n  source  = "terraform-aws-modules/alb/aws"\n  version = "~> 6.0"\n  name    = "web"\n}\n', errors: [{ line: 1, via: 'module default' }] }
    ]
  },
  'tf/aws-lb-target-group-no-health-check': {
    valid: [ok(`resource "aws_lb_target_group" "tg" {\n  port = 80\n${dyn('health_check', '      path = health_check.value.path\n')}}\n`, 'dynamic health_check block'), ok('resource "aws_lb_target_group" "tg" {\n  port = 80\n  health_check {\n    path = "/healthz"\n  }\n}\n')],
    invalid: [here('resource "aws_lb_target_group" "tg" { # HERE\n  port = 80\n}\n')]
  },
  'tf/aws-log-group-no-retention': {
    valid: [ok('resource "aws_cloudwatch_log_group" "l" {\n  name              = "l"\n  retention_in_days = 30\n}\n')],
    invalid: [here('resource "aws_cloudwatch_log_group" "l" { # HERE\n  name = "l"\n}\n')]
  },
  'tf/aws-provider-hardcoded-credentials': {
    valid: [
      ok('provider "aws" {\n  region = "eu-west-1"\n  access_key = var.access_key\n}\n'),
      ok('provider "aws" {\n  region                      = "eu-west-1"\n  skip_credentials_validation = true\n  access_key                  = "mock_access_key"\n  secret_key                  = "mock_secret_key"\n}\n', 'mock keys of a test provider')
    ],
    invalid: [
      here(`provider "aws" {\n  region     = "eu-west-1"\n  access_key = "${ACCESS_KEY_ID}" # HERE\n}\n`, { severity: 'critical' }),
      here(`provider "aws" {\n  region     = "eu-west-1"\n  secret_key = "${SECRET_KEY}" # HERE\n}\n`, {}, 'secret key')
    ]
  },
  'tf/aws-public-resource-policy': {
    valid: [
      ok('resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = jsonencode({\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*"\n      Action    = "s3:GetObject"\n      Resource  = "arn:aws:s3:::b/*"\n      Condition = { StringEquals = { "aws:SourceVpce" = "vpce-1a2b3c4d" } }\n    }]\n  })\n}\n', 'principal * limited by a condition'),
      ok('resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = jsonencode({\n    Statement = [{\n      Effect    = "Deny"\n      Principal = "*"\n      Action    = "s3:*"\n      Resource  = "arn:aws:s3:::b/*"\n      Condition = { Bool = { "aws:SecureTransport" = "false" } }\n    }]\n  })\n}\n', 'deny over plain HTTP'),ok('resource "aws_sqs_queue_policy" "p" {\n  queue_url = aws_sqs_queue.q.id\n  policy = jsonencode({\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { Service = "sns.amazonaws.com" }\n      Action    = "sqs:SendMessage"\n    }]\n  })\n}\n')],
    invalid: [here('resource "aws_sqs_queue_policy" "p" {\n  queue_url = aws_sqs_queue.q.id\n  policy = jsonencode({\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*" # HERE\n      Action    = "sqs:SendMessage"\n    }]\n  })\n}\n', { severity: 'high' })]
  },
  'tf/aws-rds-backup-disabled': {
    valid: [
      ok(rdsResource('  replicate_source_db     = aws_db_instance.primary.identifier\n  backup_retention_period = 0\n'), 'read replica'),
      ok(rdsResource('  backup_retention_period = 7\n')),
      ok('resource "aws_rds_cluster" "db" {\n  cluster_identifier      = "app"\n  engine                  = "aurora-postgresql"\n  backup_retention_period = 0\n}\n', 'a cluster keeps one day whatever it says')
    ],
    invalid: [
      here(rdsResource('  backup_retention_period = 0 # HERE\n'), { severity: 'high' }),
      here(rdsModule('  backup_retention_period = 0 # HERE\n'), {}, 'registry module input backup_retention_period')
    ]
  },
  'tf/aws-rds-backup-retention-unset': {
    valid: [ok(rdsResource('  backup_retention_period = 7\n')), ok(rdsResource('  replicate_source_db = aws_db_instance.primary.identifier\n'), 'read replica')],
    invalid: [here('resource "aws_db_instance" "db" { # HERE\n  engine = "postgres"\n}\n')]
  },
  'tf/aws-rds-no-deletion-protection': {
    valid: [fromInput(rdsResource('  deletion_protection = var.deletion_protection\n'), 'deletion_protection'), ok(rdsResource('  deletion_protection = true\n')), ok(rdsModule('  deletion_protection = true\n'), 'registry module with the input set')],
    invalid: [
      here(rdsResource('  deletion_protection = false # HERE\n')),
      { name: 'registry module default', code: rdsModule(''), errors: [{ line: 1, message: /v6/, via: 'module default' }] }
    ]
  },
  'tf/aws-rds-no-log-exports': {
    valid: [ok(rdsResource('  enabled_cloudwatch_logs_exports = ["postgresql"]\n'))],
    invalid: [here(rdsResource('  enabled_cloudwatch_logs_exports = [] # HERE\n'))]
  },
  'tf/aws-rds-performance-insights-off': {
    valid: [
      ok(rdsResource('  performance_insights_enabled = true\n').replace('db.t3.micro', 'db.m6g.large')),
      ok(rdsResource('  performance_insights_enabled = false\n'), 'micro class that cannot run Performance Insights')
    ],
    invalid: [here(rdsResource('  performance_insights_enabled = false # HERE\n').replace('db.t3.micro', 'db.m6g.large'))]
  },
  'tf/aws-rds-public': {
    valid: [
      ok(rdsResource('  publicly_accessible = false\n')),
      { name: 'local from a variable without default', files: { 'db/main.tf': rdsResource('  publicly_accessible = local.public\n'), 'db/locals.tf': 'locals {\n  public = var.public\n}\nvariable "public" {\n  type = bool\n}\n' } }
    ],
    invalid: [
      here(rdsResource('  publicly_accessible = true # HERE\n'), { severity: 'high' }),
      hereIn('locals resolved through a variable default', {
        'db/main.tf': rdsResource('  publicly_accessible = local.public # HERE\n'),
        'db/locals.tf': 'locals {\n  public = var.public\n}\nvariable "public" {\n  default = true\n}\n'
      }, { via: 'local value' }),
      here(rdsModule('  publicly_accessible = true # HERE\n'), { via: 'module input' }, 'registry module input publicly_accessible'),
      hereIn('registry module input from a variable default', { 'db/main.tf': rdsModule('  publicly_accessible = var.public # HERE\n'), 'db/variables.tf': 'variable "public" {\n  default = true\n}\n' }),
      // The security groups guarding the endpoint: medium when every one is in view and admits no internet source.
      here(publicDb('["${aws_security_group.db.id}"]', DB_GROUP + dbGroupRule('  cidr_blocks       = ["${aws_vpc.main.cidr_block}"]\n') + DB_EGRESS), { severity: 'medium', message: RDS_GUARDED }, 'only group admits the VPC range (a standalone rule; egress to anywhere)'),
      here(
        publicDb('[aws_security_group.db.id, aws_security_group.admin.id]', dbGroupInline('    cidr_blocks     = ["10.0.0.0/16", "100.64.0.0/10"]\n    security_groups = [aws_security_group.app.id]\n    self            = true\n') + dbGroupInline('    cidr_blocks = [aws_subnet.private[0].cidr_block, "fd00:ec2::/56"]\n', 'admin') + 'resource "aws_vpc_security_group_ingress_rule" "from_app" {\n  security_group_id            = aws_security_group.admin.id\n  ip_protocol                  = "tcp"\n  from_port                    = 3306\n  to_port                      = 3306\n  referenced_security_group_id = aws_security_group.app.id\n}\n'),
        { severity: 'medium', message: /its security groups `aws_security_group\.db`, `aws_security_group\.admin` admit only private ranges/ },
        'two groups admitting private ranges, a subnet of the VPC and other groups'
      ),
      here(
        'resource "aws_rds_cluster" "c" {\n  engine                 = "aurora-mysql"\n  vpc_security_group_ids = [aws_security_group.db.id]\n}\n\nresource "aws_rds_cluster_instance" "m" {\n  cluster_identifier  = aws_rds_cluster.c.id\n  instance_class      = "db.r6g.large"\n  publicly_accessible = true # HERE\n}\n\n' + dbGroupInline('    cidr_blocks = ["192.168.0.0/16"]\n'),
        { severity: 'medium', message: RDS_GUARDED },
        "cluster instance guarded by its cluster's private group"
      ),
      here(publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = ["0.0.0.0/0"]\n')), { severity: 'high', message: '`aws_db_instance.db` is publicly accessible' }, 'group admitting 0.0.0.0/0 stays high'),
      here(publicDb('[aws_security_group.db.id, aws_security_group.open.id]', dbGroupInline('    cidr_blocks = ["10.0.0.0/8"]\n') + dbGroupInline('    ipv6_cidr_blocks = ["::/0"]\n', 'open')), { severity: 'high' }, 'one of two groups admitting ::/0 stays high'),
      here(publicDb('[aws_security_group.db.id]', DB_GROUP + dbGroupRule('  cidr_blocks       = ["203.0.113.0/24"]\n')), { severity: 'high' }, 'group admitting a public range stays high'),
      here(publicDb('[aws_security_group.db.id]', DB_GROUP + dbGroupRule('  prefix_list_ids   = [aws_ec2_managed_prefix_list.office.id]\n')), { severity: 'high' }, 'group admitting a prefix list (entries not provably private) stays high'),
      hereIn('group admitting a variable without default stays high', { 'db/main.tf': publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = var.clients\n')), 'db/variables.tf': 'variable "clients" {\n  type = list(string)\n}\n' }, { severity: 'high' }),
      hereIn('group admitting a variable whose default is a public range stays high', { 'db/main.tf': publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = var.clients\n')), 'db/variables.tf': 'variable "clients" {\n  default = ["198.51.100.7/32"]\n}\n' }, { severity: 'high' }),
      // A variable is not proof of its default: a caller or a tfvars may set any range there.
      hereIn('group admitting a variable whose default is a private range stays high', { 'db/main.tf': publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = var.clients\n')), 'db/variables.tf': 'variable "clients" {\n  default = ["10.0.0.0/16"]\n}\n' }, { severity: 'high' }),
      hereIn('group admitting a private range from terraform.tfvars stays high', { 'db/main.tf': publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = var.clients\n')), 'db/variables.tf': 'variable "clients" {\n  type = list(string)\n}\n', 'db/terraform.tfvars': 'clients = ["10.0.0.0/16"]\n' }, { severity: 'high' }),
      hereIn('group admitting a list entry from a variable stays high', { 'db/main.tf': publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = [\n      "10.0.0.0/8",\n      var.extra,\n    ]\n')), 'db/variables.tf': 'variable "extra" {\n  default = "10.1.0.0/16"\n}\n' }, { severity: 'high' }),
      hereIn('group admitting a local taken from a variable stays high', { 'db/main.tf': publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = local.clients\n')), 'db/locals.tf': 'locals {\n  clients = var.clients\n}\nvariable "clients" {\n  default = ["10.0.0.0/16"]\n}\n' }, { severity: 'high' }),
      hereIn('group admitting a local of literal private ranges is judged', { 'db/main.tf': publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = local.clients\n')), 'db/locals.tf': 'locals {\n  clients = ["10.0.0.0/16"]\n}\n' }, { severity: 'medium', message: RDS_GUARDED }),
      here(publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = ["10.0.0.0/8"]\n') + 'output "db_security_group_id" {\n  value = aws_security_group.db.id\n}\n'), { severity: 'high' }, 'group exported to callers (who may add rules to it) stays high'),
      here(publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = ["10.0.0.0/8"]\n') + 'resource "aws_vpc_security_group_ingress_rule" "extra" {\n  security_group_id = var.group_id\n  ip_protocol       = "tcp"\n  from_port         = 3306\n  to_port           = 3306\n  cidr_ipv4         = "0.0.0.0/0"\n}\n'), { severity: 'high' }, 'an open rule on a group not known here may be on this one: stays high'),
      here(publicDb('var.security_group_ids', ''), { severity: 'high' }, 'groups from a variable (not in view) stay high'),
      here(publicDb('[data.aws_security_group.db.id]', ''), { severity: 'high' }, 'group from a data source stays high'),
      here(publicDb(undefined, ''), { severity: 'high' }, 'no group given (the default VPC group) stays high'),
      here(publicDb('[aws_security_group.db.id]', dbGroupInline('    cidr_blocks = ["10.0.0.0/8"]\n') + 'module "rules" {\n  source            = "./rules"\n  security_group_id = aws_security_group.db.id\n}\n'), { severity: 'high' }, 'group handed to a module call (which may add rules) stays high'),
      here(publicDb('[aws_security_group.db.id]', 'resource "aws_security_group" "db" {\n  dynamic "ingress" {\n    for_each = var.rules\n    content {\n      from_port   = ingress.value.port\n      to_port     = ingress.value.port\n      protocol    = "tcp"\n      cidr_blocks = ingress.value.cidrs\n    }\n  }\n}\n'), { severity: 'high' }, 'dynamic ingress stays high'),
      here(
        'resource "aws_rds_cluster" "c" {\n  engine = "aurora-mysql"\n}\n\nresource "aws_rds_cluster_instance" "m" {\n  cluster_identifier  = aws_rds_cluster.c.id\n  instance_class      = "db.r6g.large"\n  publicly_accessible = true # HERE\n}\n',
        { severity: 'high' },
        'cluster instance of a cluster with no group (the default group) stays high'
      )
    ]
  },
  'tf/aws-rds-single-az': {
    valid: [fromInput(rdsResource('  multi_az = var.multi_az\n'), 'multi_az'), ok(rdsResource('  multi_az = var.environment == "prod" ? true : false\n'), 'conditional on the environment'), ok(rdsResource('  multi_az = true\n'))],
    invalid: [
      here(rdsResource('  multi_az = false # HERE\n')),
      hereIn('multi_az from a variable defaulting to false', { 'mod/main.tf': rdsResource('  multi_az = var.multi_az # HERE\n'), 'mod/variables.tf': 'variable "multi_az" {\n  type    = bool\n  default = false\n}\n' }, { message: /variable/ })
    ]
  },
  'tf/aws-rds-skip-final-snapshot': {
    valid: [ok(rdsResource('  skip_final_snapshot       = false\n  final_snapshot_identifier = "db-final"\n'))],
    invalid: [here(rdsResource('  skip_final_snapshot = true # HERE\n'))]
  },
  'tf/aws-s3-public-access-block-disabled': {
    valid: [ok('resource "aws_s3_bucket_public_access_block" "p" {\n  bucket              = "b"\n  block_public_acls   = true\n  block_public_policy = true\n}\n')],
    invalid: [here('resource "aws_s3_bucket_public_access_block" "p" {\n  bucket              = "b"\n  block_public_acls   = true\n  block_public_policy = false # HERE\n}\n')]
  },
  'tf/aws-s3-public-acl': {
    valid: [ok('resource "aws_s3_bucket_acl" "a" {\n  bucket = aws_s3_bucket.b.id\n  acl    = "private"\n}\n')],
    invalid: [
      here('resource "aws_s3_bucket_acl" "a" {\n  bucket = aws_s3_bucket.b.id\n  acl    = "public-read" # HERE\n}\n', { severity: 'high' }),
      here('resource "aws_s3_bucket" "b" {\n  bucket = "b"\n  acl    = "public-read-write" # HERE\n}\n', {}, 'inline acl on the bucket'),
      here('resource "aws_s3_bucket" "site" {\n  bucket = "site"\n  acl    = "public-read" # HERE\n  website {\n    index_document = "index.html"\n  }\n}\n', { severity: 'high' }, 'a website bucket: the ACL lets anyone list every key, which a site never needs')
    ]
  },
  'tf/aws-s3-versioning-disabled': {
    valid: [ok(`resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n${dyn('versioning', '      enabled = true\n')}}\n`, 'dynamic versioning block'), 
      ok(BUCKET + '\n' + BUCKET_VERSIONING),
      { name: 'versioning in another file of the module', files: { 's3/bucket.tf': BUCKET, 's3/versioning.tf': BUCKET_VERSIONING } },
      { name: 'versioning in an unchanged sibling read as context', files: { 's3/bucket.tf': BUCKET, 's3/versioning.tf': BUCKET_VERSIONING }, contextOnly: ['s3/versioning.tf'] },
      { name: 'a versioning input of a local module making a GCS bucket is not S3 versioning', files: { 'main.tf': callBucketModule('./modules/gcs', 'bucket_versioning = false'), 'modules/gcs/main.tf': GCS_MODULE } },
      {
        name: 'a pass-through (through a wrapper module) to a module making a GCS bucket',
        files: { 'main.tf': callBucketModule('./modules/wrapper', 'bucket_versioning = var.bucket_versioning') + VERSIONING_VAR, 'modules/wrapper/main.tf': callBucketModule('../gcs', 'bucket_versioning = var.bucket_versioning') + VERSIONING_VAR, 'modules/gcs/main.tf': GCS_MODULE }
      },
      ok(callBucketModule('git::https://example.com/org/gcs-bucket.git', 'versioning = false'), 'a module not in view whose source names another cloud (GCS)'),
      ok(callBucketModule('terraform-google-modules/cloud-storage/google', 'versioning = false'), "a Google module from the registry")
    ],
    invalid: [
      here('resource "aws_s3_bucket" "logs" { # HERE\n  bucket = "logs"\n}\n'),
      hereIn('versioning in another directory does not count', { 's3/bucket.tf': 'resource "aws_s3_bucket" "logs" { # HERE\n  bucket = "logs"\n}\n', 'other/versioning.tf': BUCKET_VERSIONING }),
      here('resource "aws_s3_bucket_versioning" "v" {\n  bucket = "imported-bucket"\n  versioning_configuration {\n    status = "Disabled" # HERE\n  }\n}\n', { message: /sets versioning to `Disabled`/ }, 'versioning resource of a bucket declared elsewhere'),
      hereIn('a local module making an S3 bucket, its versioning input switched off', { 'main.tf': callBucketModule('./modules/bucket', 'versioning_enabled = false # HERE'), 'modules/bucket/main.tf': S3_MODULE }, { message: /switches bucket versioning off/ }),
      hereIn('an S3 bucket two local modules down', { 'main.tf': callBucketModule('./modules/wrapper', 'versioning_enabled = false # HERE'), 'modules/wrapper/main.tf': callBucketModule('../bucket', 'versioning_enabled = var.versioning_enabled'), 'modules/bucket/main.tf': S3_MODULE }),
      hereIn('a pass-through whose variable defaults to false: reported through the default', { 'main.tf': callBucketModule('./modules/bucket', 'versioning_enabled = var.bucket_versioning # HERE') + VERSIONING_VAR, 'modules/bucket/main.tf': S3_MODULE }, { message: /`var\.bucket_versioning` is `false` by its default/ }),
      here(callBucketModule('git::https://example.com/org/terraform-aws-s3-bucket.git', 'versioning = { enabled = false } # HERE'), {}, 'a module not in view whose source names S3'),
      here(callBucketModule('../../modules/aws-simple-bucket', 'versioning_config = { enabled = false } # HERE'), {}, 'a local module not in view, named for no other cloud (the KICS positive case)'),
      hereIn('suspended in another file of the module: reported there, at its own line', {
        's3/bucket.tf': BUCKET,
        's3/versioning.tf': BUCKET_VERSIONING.replace('status = "Enabled"', 'status = "Suspended" # HERE')
      })
    ]
  },
  'tf/aws-sg-open-all-ports': {
    valid: [ok('resource "aws_vpc_security_group_ingress_rule" "r" {\n  security_group_id = aws_security_group.sg.id\n  ip_protocol       = "-1"\n  cidr_ipv4         = "10.1.0.0/16"\n}\n')],
    invalid: [
      here('resource "aws_vpc_security_group_ingress_rule" "r" {\n  security_group_id = aws_security_group.sg.id\n  ip_protocol       = "-1"\n  cidr_ipv4         = "0.0.0.0/0" # HERE\n}\n', { severity: 'high' }),
      here(guarding(guardedFunction(), -1), { severity: 'low', message: /attached only to Lambda function `aws_lambda_function\.worker`: a function has no listener/ }, 'group attached only to a Lambda function: low'),
      here(guarding(GUARDED_DOCDB, -1), { severity: 'medium', message: TF_VPC_ONLY }, 'group attached only to a DocumentDB cluster: medium'),
      here(guarding(GUARDED_INSTANCE, -1), { severity: 'high' }, 'group attached to an instance stays high'),
      here(guarding(guardedFunction() + GUARDED_INSTANCE, -1), { severity: 'high' }, 'group attached to a function and an instance stays high')
    ]
  },
  'tf/aws-sg-open-data-port': {
    valid: [ok(sg(5432, '["10.0.0.0/16"]', false))],
    invalid: [
      here(sg(5432, '["0.0.0.0/0"]'), { severity: 'high', message: /PostgreSQL/ }),
      here(sg(9200, '["0.0.0.0/0"]'), {}, 'search engine port'),
      here('module "cache_sg" {\n  source              = "terraform-aws-modules/security-group/aws"\n  ingress_cidr_blocks = ["0.0.0.0/0"] # HERE\n  ingress_rules       = ["redis-tcp"]\n}\n', {}, 'registry security-group module named rule'),
      // Lambda functions: no listener behind the group.
      here(guarding(guardedFunction()), { severity: 'low', message: TF_NO_LISTENER }, 'group attached only to a Lambda function'),
      here(
        guarding(guardedFunction()
          .replace('  vpc_config {\n', '  dynamic "vpc_config" {\n    for_each = var.in_vpc ? [1] : []\n    content {\n')
          .replace('.id]\n  }\n', '.id]\n    }\n  }\n')),
        { severity: 'low', message: TF_NO_LISTENER },
        'group attached to a function through a dynamic vpc_config'
      ),
      here(
        'resource "aws_security_group" "guard" {}\n\nresource "aws_vpc_security_group_ingress_rule" "postgres" {\n  security_group_id = aws_security_group.guard.id\n  ip_protocol       = "tcp"\n  from_port         = 5432\n  to_port           = 5432\n  cidr_ipv4         = "0.0.0.0/0" # HERE\n}\n\n' + guardedFunction(),
        { severity: 'low', message: TF_NO_LISTENER },
        'standalone ingress rule on a group attached only to a function'
      ),
      here(guarding('', 5432, 'lambda_sg'), { severity: 'low', message: /by its name, a Lambda function's security group/ }, 'unattached group named for Lambda functions'),
      here(guarding('', 5432, 'lambda_to_rds'), { severity: 'high' }, 'unattached group whose name also names a database stays high'),
      here(guarding(guardedFunction() + GUARDED_INSTANCE), { severity: 'high' }, 'group attached to a function and an instance stays high'),
      here(guarding(guardedFunction('  environment {\n    variables = {\n      TASK_GROUP = aws_security_group.guard.id\n    }\n  }\n')), { severity: 'high' }, 'group a function also hands on stays high'),
      here(guarding('module "tasks" {\n  source         = "./tasks"\n  security_group = aws_security_group.guard.id\n}\n' + guardedFunction()), { severity: 'high' }, 'group also handed to a module call stays high'),
      // Data stores with no public endpoint.
      here(guarding(GUARDED_DOCDB, 27017), { severity: 'medium', message: TF_VPC_ONLY }, 'group attached only to a DocumentDB cluster'),
      here(guarding(GUARDED_DOCDB + guardedFunction(), 27017), { severity: 'medium', message: /DocumentDB cluster `aws_docdb_cluster\.docs` and Lambda functions \(no listener\), with no public endpoint/ }, 'group shared by a DocumentDB cluster and its client function'),
      here(guarding(guardedDb('  publicly_accessible    = false\n')), { severity: 'medium', message: TF_VPC_ONLY }, 'RDS instance with publicly_accessible = false'),
      here(guarding(guardedDb()), { severity: 'medium', message: TF_VPC_ONLY }, 'RDS instance with publicly_accessible unset (the provider default is false)'),
      here(guarding(guardedDb('  publicly_accessible    = true\n')), { severity: 'high' }, 'public RDS instance on its own port stays high'),
      here(guarding(guardedDb('  publicly_accessible    = var.public\n')), { severity: 'high' }, 'RDS instance of unknown exposure stays high'),
      here(guarding(GUARDED_DOCDB + GUARDED_INSTANCE, 27017), { severity: 'high' }, 'group shared by a DocumentDB cluster and an instance stays high'),
      here(guarding(guardedAurora('aurora-postgresql')), { severity: 'medium', message: /RDS cluster `aws_rds_cluster\.cluster`/ }, 'Aurora cluster whose members are private'),
      here(guarding(guardedAurora('aurora-postgresql', '  publicly_accessible = true\n')), { severity: 'high' }, 'Aurora cluster with a public member stays high'),
      // Ports the store behind the group does not listen on.
      here(
        guarding(guardedAurora('aurora-postgresql', '  publicly_accessible = true\n'), 3306),
        { severity: 'low', message: /the only data store it guards, RDS cluster `aws_rds_cluster\.cluster`, listens on 5432: nothing listens on the port opened\)$/ },
        'MySQL port on a group guarding a PostgreSQL cluster'
      ),
      here(guarding(guardedDb('  port                   = 5433\n')), { severity: 'low', message: /listens on 5433/ }, 'RDS instance on a written port other than the one opened'),
      here(guarding(guardedDb('  publicly_accessible    = true\n', 'var.engine'), 3306), { severity: 'high' }, 'public instance of an engine chosen by a variable: its port is not known, stays high')
    ]
  },
  'tf/aws-sg-open-port': {
    valid: [
      ok(sg(443, '["0.0.0.0/0"]', false), 'HTTPS open to the world'),
      ok(sg(8080, '["0.0.0.0/0"]', false).replace('ingress {', 'egress {'), 'egress rule')
    ],
    invalid: [here(sg(8080, '["0.0.0.0/0"]'), { severity: 'medium' })]
  },
  'tf/aws-sg-open-rdp': {
    valid: [ok(sg(3389, '["10.0.0.0/8"]', false))],
    invalid: [here('resource "aws_security_group_rule" "r" {\n  type             = "ingress"\n  from_port        = 3389\n  to_port          = 3389\n  protocol         = "tcp"\n  ipv6_cidr_blocks = ["::/0"] # HERE\n}\n', { severity: 'high' })]
  },
  'tf/aws-sg-open-ssh': {
    valid: [
      ok(sg(22, '["10.0.0.0/8"]', false)),
      { name: 'terraform.tfvars narrows the variable default', files: { 'net/main.tf': SSH_FROM_VAR, 'net/variables.tf': varDefault('["0.0.0.0/0"]'), 'net/terraform.tfvars': 'admin_cidrs = ["10.0.0.0/8"]\n' } },
      { name: 'variable default in another directory is not resolved', files: { 'a/main.tf': SSH_FROM_VAR, 'b/variables.tf': varDefault('["0.0.0.0/0"]') } },
      ok(sg(22, '["fd00::/8"]', false).replace('cidr_blocks', 'ipv6_cidr_blocks'), 'private IPv6 range'),
      ok(sg(22, '["0.0.0.0/0"]', false).replace('"tcp"', '"udp"'), 'UDP 22 is not SSH'),
      ok(
        'module "admin_sg" {\n  source = "terraform-aws-modules/security-group/aws"\n  ingress_with_ipv6_cidr_blocks = [\n    {\n      from_port        = 22\n      to_port          = 22\n      protocol         = "tcp"\n      ipv6_cidr_blocks = "2001:db8::/64"\n    }\n  ]\n}\n',
        'registry module, IPv6 rule from a documentation prefix'
      )
    ],
    invalid: [
      here(sg(22, '["10.0.0.0/8", "0.0.0.0/0"]'), { severity: 'high' }),
      here(sg(22, '["0:0:0:0:0:0:0:0/0"]').replace('cidr_blocks', 'ipv6_cidr_blocks'), {}, 'IPv6 all-zero address written out in full'),
      here(sg(22, '["0000:0000:0000:0000:0000:0000:0000:0000/0"]').replace('cidr_blocks', 'ipv6_cidr_blocks'), {}, 'IPv6 all-zero address with leading zeros'),
      here(
        'module "admin_sg" {\n  source = "terraform-aws-modules/security-group/aws"\n  ingress_with_ipv6_cidr_blocks = [\n    {\n      from_port        = 22\n      to_port          = 22\n      protocol         = "tcp"\n      ipv6_cidr_blocks = "::/0" # HERE\n    }\n  ]\n}\n',
        {},
        'registry module ingress_with_ipv6_cidr_blocks'
      ),
      here(
        'module "admin_sg" {\n  source = "terraform-aws-modules/security-group/aws"\n  ingress_with_cidr_blocks = [\n    {\n      from_port        = 22\n      to_port          = 22\n      protocol         = "tcp"\n      cidr_blocks      = "10.0.0.0/8"\n      ipv6_cidr_blocks = "::/0" # HERE\n    }\n  ]\n}\n',
        {},
        'registry module rule with an IPv6 list next to the IPv4 one'
      ),
      hereIn('Terraform var default', { 'net/main.tf': SSH_FROM_VAR, 'net/variables.tf': varDefault('["0.0.0.0/0"]') }, { message: /`var\.admin_cidrs`/, via: 'variable default' }),
      hereIn('variable default inside a list', { 'net/main.tf': sg(22, '[var.admin_cidr]'), 'net/variables.tf': 'variable "admin_cidr" {\n  default = "0.0.0.0/0"\n}\n' }),
      hereIn('per-environment tfvars is not auto-loaded', { 'net/main.tf': SSH_FROM_VAR, 'net/variables.tf': varDefault('["0.0.0.0/0"]'), 'net/prod.tfvars': 'admin_cidrs = ["10.0.0.0/8"]\n' }),
      hereIn('auto.tfvars opens it', { 'net/main.tf': SSH_FROM_VAR, 'net/variables.tf': 'variable "admin_cidrs" {}\n', 'net/admin.auto.tfvars': 'admin_cidrs = ["0.0.0.0/0"]\n' }, { via: 'tfvars' }),
      {
        name: 'a changed variable default reports the unchanged resource it opens',
        files: { 'net/main.tf': SSH_FROM_VAR, 'net/variables.tf': varDefault('["0.0.0.0/0"]') },
        contextOnly: ['net/main.tf'],
        errors: [{ path: 'net/main.tf', line: lineOf(SSH_FROM_VAR, '# HERE'), message: /variables\.tf/ }]
      }
    ]
  },
  'tf/aws-storage-unencrypted': {
    valid: [{ name: 'EBS encryption by default switched on in the module', files: { 'ebs/volume.tf': 'resource "aws_ebs_volume" "v" {\n  size      = 10\n  type      = "gp3"\n  encrypted = false\n}\n', 'ebs/account.tf': 'resource "aws_ebs_encryption_by_default" "on" {\n  enabled = true\n}\n' } }, fromInput('resource "aws_ebs_volume" "v" {\n  size      = 10\n  type      = "gp3"\n  encrypted = var.encrypted\n}\n', 'encrypted'), ok('resource "aws_ebs_volume" "v" {\n  size      = 10\n  type      = "gp3"\n  encrypted = true\n}\n'), ok(rdsModule('  storage_encrypted = true\n'), 'registry module input set')],
    invalid: [
      here('resource "aws_ebs_volume" "v" {\n  size      = 10\n  type      = "gp3"\n  encrypted = false # HERE\n}\n', { severity: 'high' }),
      here(rdsModule('  storage_encrypted = false # HERE\n'), {}, 'registry module input storage_encrypted'),
      {
        name: 'EBS encryption by default switched off in the module',
        files: { 'ebs/volume.tf': 'resource "aws_ebs_volume" "v" {\n  size      = 10\n  encrypted = false\n}\n', 'ebs/account.tf': 'resource "aws_ebs_encryption_by_default" "off" {\n  enabled = false\n}\n' },
        errors: [{ line: 3 }]
      },
      {
        name: 'EBS encryption by default does not cover a database',
        files: { 'db/main.tf': 'resource "aws_db_instance" "d" {\n  engine            = "postgres"\n  storage_encrypted = false\n}\n', 'db/account.tf': 'resource "aws_ebs_encryption_by_default" "on" {\n  enabled = true\n}\n' },
        errors: [{ line: 3 }]
      }
    ]
  },
  'tf/aws-vpc-no-flow-logs': {
    valid: [
      ok(VPC + '\n' + FLOW_LOG),
      { name: 'flow log in another file of the module', files: { 'net/vpc.tf': VPC, 'net/flow.tf': FLOW_LOG } },
      { name: 'unchanged sibling read as context is never reported on', files: { 'net/sg.tf': sg(443, '["0.0.0.0/0"]', false), 'net/vpc.tf': VPC }, contextOnly: ['net/vpc.tf'] },
      ok('module "vpc" {\n  source          = "terraform-aws-modules/vpc/aws"\n  version         = "~> 5.0"\n  enable_flow_log = true\n}\n', 'registry module with enable_flow_log')
    ],
    invalid: [
      here('resource "aws_vpc" "main" { # HERE\n  cidr_block = "10.0.0.0/16"\n}\n', { message: /in its module/ }),
      here('module "vpc" {\n  source          = "terraform-aws-modules/vpc/aws"\n  enable_flow_log = false # HERE\n}\n', {}, 'registry module input enable_flow_log')
    ]
  },
  'tf/azure-aks-api-open': {
    valid: [ok(aks(AKS_OK.replace('  api_server_access_profile {\n    authorized_ip_ranges = ["203.0.113.0/24"]\n  }\n', dyn('api_server_access_profile', '      authorized_ip_ranges = api_server_access_profile.value.ranges\n'))), 'dynamic api_server_access_profile block'), ok(aks(AKS_OK))],
    invalid: [here(aks(AKS_OK.replace('  api_server_access_profile {\n    authorized_ip_ranges = ["203.0.113.0/24"]\n  }\n', '')).replace('resource "azurerm_kubernetes_cluster" "k" {', 'resource "azurerm_kubernetes_cluster" "k" { # HERE'))]
  },
  'tf/azure-aks-local-accounts': {
    valid: [ok(aks(AKS_OK))],
    invalid: [here(aks(AKS_OK.replace('local_account_disabled = true', 'local_account_disabled = false # HERE')))]
  },
  'tf/azure-aks-no-network-policy': {
    valid: [ok(aks(AKS_OK.replace('  network_profile {\n    network_plugin = "azure"\n    network_policy = "azure"\n  }\n', dyn('network_profile', '      network_plugin = "azure"\n      network_policy = "azure"\n'))), 'dynamic network_profile block'), ok(aks(AKS_OK))],
    invalid: [here(aks(AKS_OK.replace('  network_profile {\n    network_plugin = "azure"\n    network_policy = "azure"\n', '  network_profile { # HERE\n    network_plugin = "kubenet"\n')))]
  },
  'tf/azure-aks-rbac-disabled': {
    valid: [ok(aks(AKS_OK))],
    invalid: [here(aks(AKS_OK.replace('role_based_access_control_enabled = true', 'role_based_access_control_enabled = false # HERE')), { severity: 'high' })]
  },
  'tf/azure-nsg-open-admin-port': {
    valid: [ok('resource "azurerm_network_security_rule" "r" {\n  direction              = "Inbound"\n  access                 = "Allow"\n  protocol               = "Tcp"\n  source_address_prefix  = "10.0.0.0/8"\n  destination_port_range = "3389"\n}\n')],
    invalid: [
      here('resource "azurerm_network_security_rule" "r" {\n  direction              = "Inbound"\n  access                 = "Allow"\n  protocol               = "Tcp"\n  source_address_prefix  = "Internet" # HERE\n  destination_port_range = "22"\n}\n', { severity: 'high' }),
      // What the group guards: low when nothing behind it can be reached on the port from the internet.
      here(nsgOpen('22', nsgNic(IN_POOL) + azureVm('linux') + lbWithRule(443)), { severity: 'low', message: NSG_NO_PATH }, 'interface without public IP whose load balancer forwards only 443'),
      here(
        'resource "azurerm_network_security_group" "nsg" {\n  name = "nsg"\n}\n\nresource "azurerm_network_security_rule" "ssh" {\n  network_security_group_name = azurerm_network_security_group.nsg.name\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_address_prefix       = "Internet" # HERE\n  destination_port_range      = "22"\n}\n\nresource "azurerm_subnet" "internal" {\n  name = "internal"\n}\n\nresource "azurerm_subnet_network_security_group_association" "internal" {\n  subnet_id                 = azurerm_subnet.internal.id\n  network_security_group_id = azurerm_network_security_group.nsg.id\n}\n\n' + nsgNic().replace(/resource "azurerm_network_interface_security_group_association"[^]*$/, '') + azureVm('typed-linux'),
        { severity: 'low', message: /it guards no internet path to port 22: subnet `azurerm_subnet\.internal` has no public IP/ },
        'standalone rule on a group attached to a subnet whose only interface has no public IP'
      ),
      // The other system's VMs do not listen there by default, but xrdp or Windows' OpenSSH server may be installed: medium, not low.
      here(nsgOpen('3389', nsgNic(PUBLIC_IP) + azureVm('linux')), { severity: 'medium', message: /everything behind the group is a Linux VM \(`azurerm_virtual_machine\.vm`\): nothing listens on RDP \(port 3389\) by default\)$/ }, 'RDP to a public Linux VM (nothing listens there by default)'),
      here(nsgOpen('22', nsgNic(PUBLIC_IP) + azureVm('windows')), { severity: 'medium', message: /is a Windows VM .*nothing listens on SSH \(port 22\) by default/ }, 'SSH to a public Windows VM'),
      here(nsgOpen('22', nsgNic(PUBLIC_IP) + azureVm('linux')), { severity: 'high', message: '`azurerm_network_security_group.nsg` allows SSH (port 22) from the internet' }, 'interface with a public IP stays high'),
      here(nsgOpen('3389', nsgNic(PUBLIC_IP) + azureVm('linux') + azureVm('typed-windows', 'win', 'nic2') + nsgNic(PUBLIC_IP, 'nic2')), { severity: 'high' }, 'RDP to Linux and Windows VMs stays high'),
      here(nsgOpen('22', nsgNic(IN_POOL) + azureVm('linux') + lbWithRule(22, 2222)), { severity: 'high' }, 'load balancer rule forwarding to 22 stays high'),
      here(nsgOpen('22', nsgNic(IN_POOL) + azureVm('linux') + lbWithRule(0, 0)), { severity: 'high' }, 'HA-ports load balancer rule stays high'),
      here(
        nsgOpen('22', nsgNic('    load_balancer_inbound_nat_rules_ids = ["${element(azurerm_lb_nat_rule.ssh.*.id, count.index)}"]\n') + azureVm('linux') + 'resource "azurerm_lb_nat_rule" "ssh" {\n  loadbalancer_id = azurerm_lb.lb.id\n  name            = "ssh"\n  protocol        = "Tcp"\n  frontend_port   = 2200\n  backend_port    = 22\n}\n'),
        { severity: 'high' },
        'load balancer NAT rule to 22 (the older interface attribute) stays high'
      ),
      here(
        nsgOpen('22', nsgNic() + azureVm('linux') + 'resource "azurerm_network_interface_nat_rule_association" "ssh" {\n  network_interface_id  = azurerm_network_interface.nic.id\n  ip_configuration_name = "internal"\n  nat_rule_id           = azurerm_lb_nat_rule.ssh.id\n}\n\nresource "azurerm_lb_nat_rule" "ssh" {\n  loadbalancer_id = azurerm_lb.lb.id\n  name            = "ssh"\n  protocol        = "Tcp"\n  frontend_port   = 2200\n  backend_port    = 22\n}\n'),
        { severity: 'high' },
        'load balancer NAT rule association to 22 stays high'
      ),
      here(nsgOpen('22', nsgNic('    load_balancer_backend_address_pools_ids = [var.pool_id]\n') + azureVm('linux')), { severity: 'high' }, 'pool not in view stays high'),
      here(nsgOpen('*', nsgNic(IN_POOL) + azureVm('linux') + lbWithRule(443)), { severity: 'high', message: /all ports from the internet$/ }, 'all ports behind a load balancer forwarding 443 stays high'),
      here(nsgOpen('22', ''), { severity: 'high' }, 'group attached to nothing in view stays high'),
      here(nsgOpen('22', nsgNic() + azureVm('linux') + 'module "dns" {\n  source = "./dns"\n  nic_id = azurerm_network_interface.nic.id\n}\n'), { severity: 'high' }, 'interface handed to a module call stays high'),
      // Forwarders not followed, and attachments the module's callers or other stacks can add to.
      here(nsgOpen('22', NSG_ON_SUBNET), { severity: 'low' }, 'group on a subnet whose one interface has no public IP (the baseline of the cases below)'),
      here(nsgOpen('22', NSG_ON_SUBNET + FIREWALL_DNAT), { severity: 'high' }, 'a firewall DNAT rule to a private address (not followed) stays high'),
      here(nsgOpen('22', NSG_ON_SUBNET + policyGroup('nat_rule_collection')), { severity: 'high' }, 'a firewall policy with a NAT rule collection stays high'),
      here(nsgOpen('22', NSG_ON_SUBNET + policyGroup('network_rule_collection')), { severity: 'low' }, 'a firewall policy with network rules only (no DNAT) is no path'),
      here(nsgOpen('22', NSG_ON_SUBNET + 'output "subnet_id" {\n  value = azurerm_subnet.internal.id\n}\n'), { severity: 'high' }, 'subnet exported to callers (who may put machines in it) stays high'),
      here(nsgOpen('22', NSG_ON_SUBNET + 'data "azurerm_subnet" "internal" {\n  name                 = "internal"\n  virtual_network_name = "vnet"\n}\n'), { severity: 'high' }, 'subnet read by a data source stays high'),
      here(nsgOpen('22', NSG_ON_SUBNET + 'data "azurerm_subnet" "other" {\n  name                 = "other"\n  virtual_network_name = "vnet"\n}\n'), { severity: 'low' }, 'a data source reading another subnet changes nothing'),
      here(nsgOpen('22', nsgNic() + azureVm('linux') + 'output "nsg_id" {\n  value = azurerm_network_security_group.nsg.id\n}\n'), { severity: 'high' }, 'group exported to callers (who may attach it elsewhere) stays high'),
      here(nsgOpen('22', nsgNic() + azureVm('linux') + 'output "nic_id" {\n  value = azurerm_network_interface.nic.id\n}\n'), { severity: 'high' }, 'interface exported to callers stays high'),
      here(nsgOpen('22', nsgNic() + azureVm('linux') + 'resource "azurerm_network_interface" "router" {\n  name                  = "router"\n  ip_forwarding_enabled = true\n}\n'), { severity: 'high' }, 'an interface forwarding IP traffic (an appliance) stays high'),
      here(nsgOpen('22', nsgNic() + 'resource "azurerm_lb_backend_address_pool_address" "nic" {\n  backend_address_pool_id = azurerm_lb_backend_address_pool.pool.id\n  ip_address              = azurerm_network_interface.nic.private_ip_address\n}\n'), { severity: 'high' }, 'interface in a pool by IP address stays high')
    ]
  },
  'tf/azure-storage-public-blob': {
    valid: [ok('resource "azurerm_storage_account" "s" {\n  allow_nested_items_to_be_public = false\n}\n')],
    invalid: [here('resource "azurerm_storage_account" "s" {\n  allow_nested_items_to_be_public = true # HERE\n}\n')]
  },
  'tf/gcp-firewall-open-admin-port': {
    valid: [ok('resource "google_compute_firewall" "fw" {\n  network       = "default"\n  source_ranges = ["0.0.0.0/0"]\n  allow {\n    protocol = "tcp"\n    ports    = ["443"]\n  }\n}\n')],
    invalid: [here('resource "google_compute_firewall" "fw" {\n  network       = "default"\n  source_ranges = ["0.0.0.0/0"] # HERE\n  allow {\n    protocol = "tcp"\n    ports    = ["22"]\n  }\n}\n', { severity: 'high' })]
  },
  'tf/gcp-gke-legacy-abac': {
    valid: [ok(gke(GKE_OK + '  enable_legacy_abac = false\n'))],
    invalid: [here(gke(GKE_OK + '  enable_legacy_abac = true # HERE\n'))]
  },
  'tf/gcp-gke-no-network-policy': {
    valid: [ok(gke(GKE_OK.replace('  network_policy {\n    enabled = true\n  }\n', dyn('network_policy', '      enabled = true\n'))), 'dynamic network_policy block'), ok(gke(GKE_OK)), ok(gke(GKE_OK.replace('  network_policy {\n    enabled = true\n  }\n', '  datapath_provider = "ADVANCED_DATAPATH"\n')), 'Dataplane V2')],
    invalid: [here(gke(GKE_OK.replace('enabled = true', 'enabled = false # HERE')))]
  },
  'tf/gcp-gke-no-workload-identity': {
    valid: [
      ok(gke(GKE_OK.replace('  workload_identity_config {\n    workload_pool = "p.svc.id.goog"\n  }\n', dyn('workload_identity_config', '      workload_pool = "p.svc.id.goog"\n'))), 'dynamic workload_identity_config block'),
      ok(gke(GKE_OK)),
      { name: 'an override file merged into the cluster of another file of the module', files: { 'gke/cluster.tf': gke(GKE_OK), 'gke/override.tf': 'resource "google_container_cluster" "c" {\n  min_master_version = "1.30"\n}\n' } }
    ],
    invalid: [
      here(gke(GKE_OK.replace('  workload_identity_config {\n    workload_pool = "p.svc.id.goog"\n  }\n', '')).replace('"c" {', '"c" { # HERE')),
      { name: 'an override file whose cluster no other file defines is the whole cluster', files: { 'gke/versions_override.tf': 'resource "google_container_cluster" "c" {\n  min_master_version = "1.30"\n}\n' }, errors: [{ path: 'gke/versions_override.tf', line: 1 }] }
    ]
  },
  'tf/gcp-gke-node-auto-repair-upgrade-off': {
    valid: [ok('resource "google_container_node_pool" "np" {\n  cluster = "c"\n  management {\n    auto_repair  = true\n    auto_upgrade = true\n  }\n}\n')],
    invalid: [
      here('resource "google_container_node_pool" "np" {\n  cluster = "c"\n  management {\n    auto_repair  = false # HERE\n    auto_upgrade = true\n  }\n}\n'),
      here(gke(GKE_OK + '  node_pool {\n    name = "default"\n    management {\n      auto_upgrade = false # HERE\n    }\n  }\n'), {}, 'inline node pool')
    ]
  },
  'tf/gcp-gke-public-nodes': {
    valid: [ok(gke(GKE_OK.replace('  private_cluster_config {\n    enable_private_nodes = true\n  }\n', dyn('private_cluster_config', '      enable_private_nodes = true\n'))), 'dynamic private_cluster_config block'), ok(gke(GKE_OK))],
    invalid: [here(gke(GKE_OK.replace('  private_cluster_config {\n    enable_private_nodes = true\n  }\n', '')).replace('"c" {', '"c" { # HERE'))]
  },
  'tf/gcp-sql-backups-off': {
    valid: [ok(`resource "google_sql_database_instance" "db" {\n  settings {\n    tier = "db-f1-micro"\n  ${dyn('backup_configuration', '      enabled = true\n').replace(/\n {2}/g, '\n    ')}  }\n}\n`, 'dynamic backup_configuration block'), ok('resource "google_sql_database_instance" "db" {\n  settings {\n    tier = "db-f1-micro"\n    backup_configuration {\n      enabled = true\n    }\n  }\n}\n')],
    invalid: [here('resource "google_sql_database_instance" "db" {\n  settings {\n    tier = "db-f1-micro"\n    backup_configuration {\n      enabled = false # HERE\n    }\n  }\n}\n')]
  },
  'tf/gcp-sql-public-network': {
    valid: [ok('resource "google_sql_database_instance" "db" {\n  settings {\n    ip_configuration {\n      authorized_networks {\n        name  = "office"\n        value = "203.0.113.0/24"\n      }\n    }\n  }\n}\n')],
    invalid: [here('resource "google_sql_database_instance" "db" {\n  settings {\n    ip_configuration {\n      authorized_networks {\n        name  = "all"\n        value = "0.0.0.0/0" # HERE\n      }\n    }\n  }\n}\n', { severity: 'high' })]
  },
  'tf/hardcoded-password': {
    valid: [
      ok(rdsResource('  password = random_password.db.result\n')),
      ok('resource "aws_lb_listener" "l" {\n  client_secret = "client_secret"\n}\n', 'placeholder equal to the key name'),
      ok(rdsResource('  password = data.aws_secretsmanager_secret_version.db.secret_string\n'), 'read from Secrets Manager'),
      ok(rdsResource('  password = null\n  manage_master_user_password = true\n'), 'null with a managed password'),
      ok(rdsResource('  password = ""\n'), 'empty string'),
      ok(rdsResource('  password = "changeme"\n'), 'placeholder'),
      ok(rdsResource('  password = "${var.db_password}"\n'), 'interpolated variable'),
      ok(rdsResource('  password = try(var.db_password, null)\n'), 'try() without a literal fallback'),
      ok(rdsResource('  password = lookup(var.secrets, "db_password", null)\n'), 'lookup() key name is not the fallback'),
      ok(rdsResource('  password = var.use_managed ? null : var.db_password\n'), 'conditional between references'),
      ok(rdsResource('  password = local.primary ? var.db_password : "null"\n'), 'conditional whose literal branch is the string "null"'),
      ok(rdsResource('  password = var.env == "prod" ? var.db_password : "${var.dev_password}"\n'), 'conditional whose other branch interpolates'),
      { name: 'variable without default', files: { 'db/main.tf': rdsResource('  password = var.db_password\n'), 'db/variables.tf': 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n' } }
    ],
    invalid: [
      here(rdsResource('  password = "Wq8-real-looking-pass" # HERE\n'), { severity: 'high' }),
      hereIn('literal in a variable default: reported where it is written', {
        'db/main.tf': rdsResource('  password = var.db_password\n'),
        'db/variables.tf': 'variable "db_password" {\n  default = "Wq8-real-looking-pass" # HERE\n}\n'
      }),
      here(rdsResource('  password = "Wq8-real-looking-pass" # HERE\n'), { severity: 'info', message: /test, example or documentation path/ }, 'test/fixture path is info', 'tests/fixtures/main.tf'),
      here('region      = "eu-west-1"\ndb_password = "Wq8-real-looking-pass" # HERE\n', {}, 'tfvars value', 'envs/prod.tfvars'),
      here(rdsResource('  password = try(var.db_password, "fallback_pass") # HERE\n'), { message: /falls back to a literal value/ }, 'literal fallback of try()'),
      here(rdsResource('  password = coalesce(var.db_password, "Wq8-real-looking-pass") # HERE\n'), {}, 'literal fallback of coalesce()'),
      here(rdsResource('  password = lookup(var.secrets, "db", "Wq8-real-looking-pass") # HERE\n'), {}, 'literal default of lookup()'),
      here('module "sql" {\n  user_password = "admin" # HERE\n}\n', { severity: 'medium', message: /well-known default/ }, 'a well-known default password is medium, as in every other family'),
      here(rdsResource('  password = "rootpassword" # HERE\n'), { severity: 'medium', message: /well-known default/ }, 'default words run together are medium'),
      hereIn('a well-known default as a variable default: medium', {
        'db/main.tf': rdsResource('  password = var.db_password\n'),
        'db/variables.tf': 'variable "db_password" {\n  default = "passw0rd" # HERE\n}\n'
      }, { severity: 'medium' }),
      here('db_password = "admin" # HERE\n', { severity: 'medium' }, 'tfvars well-known default', 'envs/dev.tfvars'),
      here(rdsResource('  password = try(var.db_password, "admin") # HERE\n'), { severity: 'medium', message: /falls back to a literal value.*well-known default/ }, 'a well-known fallback'),
      here('resource "datadog_thing" "t" {\n  api_key = "admin" # HERE\n}\n', { severity: 'high' }, 'a token or key is not a password: its severity stays'),
      here(rdsResource('  password = var.env == "prod" ? var.db_password : "Wq8-dev-only-pass" # HERE\n'), { message: /one branch of a conditional/ }, 'literal branch of a conditional'),
      here(rdsResource('  password = var.env == "prod" ? var.db_password : var.env == "dev" ? "Wq8-dev-only-pass" : var.other # HERE\n'), { message: /one branch of a conditional/ }, 'literal branch of a chained conditional'),
      here('resource "null_resource" "n" {\n  triggers = {\n    "p\\u0061ssword" = "Wq8-real-looking-pass" # HERE\n  }\n}\n', {}, 'a key named with a unicode escape (no secret word in the text)'),
      {
        name: 'an attribute name joined across a line break in a .tf.json file (no secret word in the text)',
        path: 'db.tf.json',
        code: '{\n  "resource": {\n    "aws_db_instance": {\n      "db": {\n        "pass\\\nword": "Wq8-real-looking-pass"\n      }\n    }\n  }\n}\n',
        errors: [{ line: 5 }]
      }
    ]
  },
  'tf/private-key-literal': {
    valid: [
      ok('resource "tls_cert" "c" {\n  key = file(var.key_path)\n}\n'),
      ok(`resource "tls_cert" "c" {\n  key = <<EOF\n${PEM}\n...\n${PEM_END}\nEOF\n}\n`, 'a key with its lines left out'),
      ok(`resource "tls_cert" "c" {\n  key = <<EOF\n${PEM}\n${PEM_BODY}\n${PEM_END}\nEOF\n}\n`, 'base64 filler, no key'),
      ok(`resource "tls_cert" "c" {\n  key = <<EOF\n${ENCRYPTED_KEY}\nEOF\n}\n`, 'a key encrypted with a passphrase')
    ],
    invalid: [
      { code: `resource "tls_cert" "c" {\n  key = <<EOF\n${PEM}\n${KEY_BODY.join('\n')}\n${PEM_END}\nEOF\n}\n`, errors: [{ line: 3, severity: 'critical' }] },
      {
        name: 'key after other text in a heredoc: reported on its own line',
        code: `resource "tls_cert" "c" {\n  key = <<EOF\nkey for the staging signer\n${PEM}\n${KEY_BODY.join('\n')}\n${PEM_END}\nEOF\n}\n`,
        errors: [{ line: 4, severity: 'critical' }]
      },
      {
        name: 'a heredoc inside a call: reported on the header line, where the secret scan reports the same key',
        code: `resource "tls_cert" "c" {\n  key = trimspace(<<EOT\nstaging signer\n${PEM}\n${KEY_BODY.join('\n')}\n${PEM_END}\nEOT\n  )\n}\n`,
        errors: [{ line: 4, severity: 'critical' }]
      },
      {
        name: 'a .tf.json key whose header folds a line break between PRIVATE and KEY (read by the YAML parser)',
        path: 'certs.tf.json',
        code: `{\n  "resource": { "tls_cert": { "c": { "key": "-----BEGIN RSA PRIVATE\n    KEY-----\\n${KEY_BODY.join('\\n')}\\n-----END RSA PRIVATE\n    KEY-----" } } }\n}\n`,
        errors: [{ line: 2, severity: 'critical' }]
      },
      {
        name: 'header spelled with a unicode escape (no key header in the text)',
        code: `resource "tls_cert" "c" {\n  key = "-----BEGIN RSA PRIVATE\\u0020KEY-----\\n${KEY_BODY.join('\\n')}\\n-----END RSA PRIVATE\\u0020KEY-----"\n}\n`,
        errors: [{ line: 2, severity: 'critical' }]
      }
    ]
  }
}
