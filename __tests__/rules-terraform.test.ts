import { readFileSync } from 'node:fs'
import { generateKeyPairSync } from 'node:crypto'
import { analyzeTerraform, instanceTypeAttributes, parseHcl, terraformRules } from '../src/rules/terraform/index.js'
import { analyzeFile } from '../src/rules/index.js'
import { CATEGORIES, SEVERITIES } from '../src/types.js'

const FIXTURES = new URL('./__fixtures__/rules/terraform/', import.meta.url)
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8')

const run = (content: string, path = 'main.tf') => analyzeTerraform({ path, kind: 'terraform', content })

/** 1-based line of the first line containing `marker`. */
function lineWith(content: string, marker: string): number {
  const i = content.split('\n').findIndex((l) => l.includes(marker))
  if (i < 0) throw new Error(`marker ${marker} not found`)
  return i + 1
}

interface Case {
  name: string
  rule: string
  bad: string
  /** Text on the expected line (defaults to the `# HERE` marker). */
  at?: string
  good: string
}

const CASES: Case[] = [
  {
    name: 'Secrets Manager secret nothing rotates',
    rule: 'tf/aws-secret-no-rotation',
    bad: `resource "aws_secretsmanager_secret" "db" { # HERE\n  name = "app/db"\n}\n`,
    good: `resource "aws_secretsmanager_secret" "db" {\n  name = "app/db"\n}\n\nresource "aws_secretsmanager_secret_rotation" "db" {\n  secret_id           = aws_secretsmanager_secret.db.id\n  rotation_lambda_arn = aws_lambda_function.rotate.arn\n}\n`
  },
  {
    name: 'AWS provider with literal keys',
    rule: 'tf/aws-provider-hardcoded-credentials',
    bad: `provider "aws" {\n  region     = "us-east-1"\n  access_key = "AKIAQX7VM2PLR9TBK4HZ" # HERE\n}\n`,
    good: `provider "aws" {\n  region     = "us-east-1"\n  access_key = var.access_key\n}\n`
  },
  {
    name: 'access key id in user_data heredoc',
    rule: 'tf/aws-hardcoded-access-key',
    bad: `resource "aws_instance" "a" {\n  ami = "ami-1"\n  user_data = <<EOF\n#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIAQX7VM2PLR9TBK4HZ\nEOF\n}\n`,
    at: 'AWS_ACCESS_KEY_ID',
    good: `resource "aws_instance" "a" {\n  ami = "ami-1"\n  user_data = file("boot.sh")\n}\n`
  },
  {
    name: 'literal database password',
    rule: 'tf/hardcoded-password',
    bad: `resource "aws_db_instance" "db" {\n  username = "admin"\n  password = "hunter22" # HERE\n}\n`,
    good: `resource "aws_db_instance" "db" {\n  username = "admin"\n  password = random_password.db.result\n}\n`
  },
  {
    name: 'literal master_password on an Aurora cluster',
    rule: 'tf/hardcoded-password',
    bad: `resource "aws_rds_cluster" "c" {\n  master_password = "s3cr3t-value" # HERE\n}\n`,
    good: `resource "aws_rds_cluster" "c" {\n  master_password = data.aws_secretsmanager_secret_version.db.secret_string\n}\n`
  },
  {
    name: 'private key in a heredoc',
    rule: 'tf/private-key-literal',
    // A whole key, generated for the run: a key cut short is only masked.
    bad: `resource "tls_cert" "c" {\n  key = <<EOF\n${generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString().trim()}\nEOF\n}\n`,
    at: 'BEGIN RSA',
    good: `resource "tls_cert" "c" {\n  key = file(var.key_path)\n}\n`
  },
  {
    name: 'security group open to SSH',
    rule: 'tf/aws-sg-open-ssh',
    bad: `resource "aws_security_group" "sg" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"] # HERE\n  }\n}\n`,
    good: `resource "aws_security_group" "sg" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n`
  },
  {
    name: 'security group rule open to RDP over IPv6',
    rule: 'tf/aws-sg-open-rdp',
    bad: `resource "aws_security_group_rule" "r" {\n  type             = "ingress"\n  from_port        = 3389\n  to_port          = 3389\n  protocol         = "tcp"\n  ipv6_cidr_blocks = ["::/0"] # HERE\n}\n`,
    good: `resource "aws_security_group_rule" "r" {\n  type             = "egress"\n  from_port        = 3389\n  to_port          = 3389\n  protocol         = "tcp"\n  ipv6_cidr_blocks = ["::/0"]\n}\n`
  },
  {
    name: 'VPC ingress rule open on all ports',
    rule: 'tf/aws-sg-open-all-ports',
    bad: `resource "aws_vpc_security_group_ingress_rule" "r" {\n  security_group_id = aws_security_group.sg.id\n  ip_protocol       = "-1"\n  cidr_ipv4         = "0.0.0.0/0" # HERE\n}\n`,
    good: `resource "aws_vpc_security_group_ingress_rule" "r" {\n  security_group_id = aws_security_group.sg.id\n  ip_protocol       = "-1"\n  cidr_ipv4         = "10.1.0.0/16"\n}\n`
  },
  {
    name: 'public RDS',
    rule: 'tf/aws-rds-public',
    bad: `resource "aws_db_instance" "db" {\n  publicly_accessible = true # HERE\n}\n`,
    good: `resource "aws_db_instance" "db" {\n  publicly_accessible = false\n}\n`
  },
  {
    name: 'public-read bucket ACL',
    rule: 'tf/aws-s3-public-acl',
    bad: `resource "aws_s3_bucket_acl" "a" {\n  bucket = aws_s3_bucket.b.id\n  acl    = "public-read" # HERE\n}\n`,
    good: `resource "aws_s3_bucket_acl" "a" {\n  bucket = aws_s3_bucket.b.id\n  acl    = "private"\n}\n`
  },
  {
    name: 'public access block with a false flag',
    rule: 'tf/aws-s3-public-access-block-disabled',
    bad: `resource "aws_s3_bucket_public_access_block" "p" {\n  block_public_acls   = true\n  block_public_policy = false # HERE\n}\n`,
    good: `resource "aws_s3_bucket_public_access_block" "p" {\n  block_public_acls   = true\n  block_public_policy = true\n}\n`
  },
  {
    name: 'public ECR repository policy',
    rule: 'tf/aws-public-resource-policy',
    bad: `resource "aws_ecr_repository_policy" "p" {\n  repository = "r"\n  policy = jsonencode({\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*" # HERE\n      Action    = ["ecr:BatchGetImage"]\n    }]\n  })\n}\n`,
    good: `resource "aws_ecr_repository_policy" "p" {\n  repository = "r"\n  policy = jsonencode({\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { AWS = "arn:aws:iam::123456789012:role/ci" }\n      Action    = ["ecr:BatchGetImage"]\n    }]\n  })\n}\n`
  },
  {
    name: 'admin IAM policy in heredoc JSON',
    rule: 'tf/aws-iam-wildcard-policy',
    bad: `resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}\nEOF\n}\n`,
    at: '"Action"',
    good: `resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "s3:GetObject",\n      "Resource": "*"\n    }\n  ]\n}\nEOF\n}\n`
  },
  {
    name: 'admin statement in an aws_iam_policy_document',
    rule: 'tf/aws-iam-wildcard-policy',
    bad: `data "aws_iam_policy_document" "d" {\n  statement {\n    actions   = ["*"] # HERE\n    resources = ["*"]\n  }\n}\n`,
    good: `data "aws_iam_policy_document" "d" {\n  statement {\n    actions   = ["*"]\n    resources = ["arn:aws:s3:::my-bucket/*"]\n  }\n}\n`
  },
  {
    name: 'role assumable by anyone',
    rule: 'tf/aws-iam-role-trust-all',
    bad: `resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({\n    Statement = [{\n      Effect    = "Allow"\n      Action    = "sts:AssumeRole"\n      Principal = {\n        AWS = "*" # HERE\n      }\n    }]\n  })\n}\n`,
    good: `resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({\n    Statement = [{\n      Effect    = "Allow"\n      Action    = "sts:AssumeRole"\n      Principal = {\n        Service = "ec2.amazonaws.com"\n      }\n    }]\n  })\n}\n`
  },
  {
    name: 'EC2 with a public IP',
    rule: 'tf/aws-ec2-public-ip',
    bad: `resource "aws_instance" "a" {\n  associate_public_ip_address = true # HERE\n}\n`,
    good: `resource "aws_instance" "a" {\n  associate_public_ip_address = false\n}\n`
  },
  {
    name: 'EC2 public IP left to the subnet',
    rule: 'tf/aws-ec2-public-ip-unset',
    bad: `resource "aws_instance" "a" { # HERE\n  ami = "ami-1"\n}\n`,
    good: `resource "aws_instance" "a" {\n  ami = "ami-1"\n  network_interface {\n    network_interface_id = aws_network_interface.n.id\n    device_index         = 0\n  }\n}\n`
  },
  {
    name: 'unencrypted EBS volume',
    rule: 'tf/aws-storage-unencrypted',
    bad: `resource "aws_ebs_volume" "v" {\n  size      = 10\n  encrypted = false # HERE\n}\n`,
    good: `resource "aws_ebs_volume" "v" {\n  size      = 10\n  encrypted = true\n}\n`
  },
  {
    name: 'RDS backups off',
    rule: 'tf/aws-rds-backup-disabled',
    bad: `resource "aws_db_instance" "db" {\n  backup_retention_period = 0 # HERE\n}\n`,
    good: `resource "aws_db_instance" "db" {\n  backup_retention_period = 7\n}\n`
  },
  {
    name: 'RDS backup retention unset',
    rule: 'tf/aws-rds-backup-retention-unset',
    bad: `resource "aws_db_instance" "db" { # HERE\n  engine = "postgres"\n}\n`,
    good: `resource "aws_db_instance" "db" {\n  engine              = "postgres"\n  replicate_source_db = aws_db_instance.primary.identifier\n}\n`
  },
  {
    name: 'Redis without snapshots',
    rule: 'tf/aws-elasticache-redis-no-snapshots',
    bad: `resource "aws_elasticache_cluster" "c" {\n  engine                   = "redis"\n  snapshot_retention_limit = 0 # HERE\n}\n`,
    good: `resource "aws_elasticache_cluster" "c" {\n  engine                   = "redis"\n  snapshot_retention_limit = 5\n}\n`
  },
  {
    name: 'DynamoDB without PITR',
    rule: 'tf/aws-dynamodb-no-pitr',
    bad: `resource "aws_dynamodb_table" "t" { # HERE\n  name     = "t"\n  hash_key = "id"\n}\n`,
    good: `resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n  point_in_time_recovery {\n    enabled = true\n  }\n}\n`
  },
  {
    name: 'RDS skip_final_snapshot',
    rule: 'tf/aws-rds-skip-final-snapshot',
    bad: `resource "aws_db_instance" "db" {\n  skip_final_snapshot = true # HERE\n}\n`,
    good: `resource "aws_db_instance" "db" {\n  skip_final_snapshot       = false\n  final_snapshot_identifier = "db-final"\n}\n`
  },
  {
    name: 'bucket without versioning',
    rule: 'tf/aws-s3-versioning-disabled',
    bad: `resource "aws_s3_bucket" "b" { # HERE\n  bucket = "b"\n}\n`,
    good: `resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n\nresource "aws_s3_bucket_versioning" "v" {\n  bucket = aws_s3_bucket.b.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n`
  },
  {
    name: 'versioning suspended in a separate resource',
    rule: 'tf/aws-s3-versioning-disabled',
    bad: `resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n\nresource "aws_s3_bucket_versioning" "v" {\n  bucket = aws_s3_bucket.b.id\n  versioning_configuration {\n    status = "Suspended" # HERE\n  }\n}\n`,
    good: `resource "aws_s3_bucket" "b" {\n  bucket = "b"\n  versioning {\n    enabled = true\n  }\n}\n`
  },
  {
    name: 'RDS deletion protection off',
    rule: 'tf/aws-rds-no-deletion-protection',
    bad: `resource "aws_rds_cluster" "c" {\n  deletion_protection = false # HERE\n}\n`,
    good: `resource "aws_rds_cluster" "c" {\n  deletion_protection = true\n}\n`
  },
  {
    name: 'ECS service without circuit breaker',
    rule: 'tf/aws-ecs-no-circuit-breaker',
    bad: `resource "aws_ecs_service" "s" { # HERE\n  name = "s"\n}\n`,
    good: `resource "aws_ecs_service" "s" {\n  name = "s"\n  deployment_circuit_breaker {\n    enable   = true\n    rollback = true\n  }\n}\n`
  },
  {
    name: 'target group without health check',
    rule: 'tf/aws-lb-target-group-no-health-check',
    bad: `resource "aws_lb_target_group" "tg" { # HERE\n  port = 80\n}\n`,
    good: `resource "aws_lb_target_group" "tg" {\n  port = 80\n  health_check {\n    path = "/healthz"\n  }\n}\n`
  },
  {
    name: 'fixed-size Auto Scaling group',
    rule: 'tf/aws-asg-fixed-size',
    bad: `resource "aws_autoscaling_group" "g" {\n  min_size = 2\n  max_size = 2 # HERE\n}\n`,
    good: `resource "aws_autoscaling_group" "g" {\n  min_size = 2\n  max_size = 6\n}\n`
  },
  {
    name: 'single-AZ RDS',
    rule: 'tf/aws-rds-single-az',
    bad: `resource "aws_db_instance" "db" {\n  multi_az = false # HERE\n}\n`,
    good: `resource "aws_db_instance" "db" {\n  multi_az = true\n}\n`
  },
  {
    name: 'memcached in a single AZ',
    rule: 'tf/aws-elasticache-single-az',
    bad: `resource "aws_elasticache_cluster" "c" {\n  engine          = "memcached"\n  num_cache_nodes = 3\n  az_mode         = "single-az" # HERE\n}\n`,
    good: `resource "aws_elasticache_cluster" "c" {\n  engine          = "memcached"\n  num_cache_nodes = 3\n  az_mode         = "cross-az"\n}\n`
  },
  {
    name: 'log group without retention',
    rule: 'tf/aws-log-group-no-retention',
    bad: `resource "aws_cloudwatch_log_group" "l" { # HERE\n  name = "l"\n}\n`,
    good: `resource "aws_cloudwatch_log_group" "l" {\n  name              = "l"\n  retention_in_days = 30\n}\n`
  },
  {
    name: 'EC2 detailed monitoring off',
    rule: 'tf/aws-ec2-detailed-monitoring-off',
    bad: `resource "aws_instance" "a" {\n  monitoring = false # HERE\n}\n`,
    good: `resource "aws_instance" "a" {\n  monitoring = true\n}\n`
  },
  {
    name: 'ALB access logs block without enabled',
    rule: 'tf/aws-lb-access-logs-disabled',
    bad: `resource "aws_lb" "lb" {\n  access_logs { # HERE\n    bucket = "logs"\n  }\n}\n`,
    good: `resource "aws_lb" "lb" {\n  access_logs {\n    bucket  = "logs"\n    enabled = true\n  }\n}\n`
  },
  {
    name: 'RDS Performance Insights off',
    rule: 'tf/aws-rds-performance-insights-off',
    bad: `resource "aws_db_instance" "db" {\n  instance_class               = "db.m6g.large"\n  performance_insights_enabled = false # HERE\n}\n`,
    good: `resource "aws_db_instance" "db" {\n  instance_class               = "db.m6g.large"\n  performance_insights_enabled = true\n}\n`
  },
  {
    name: 'RDS exports no logs',
    rule: 'tf/aws-rds-no-log-exports',
    bad: `resource "aws_db_instance" "db" {\n  enabled_cloudwatch_logs_exports = [] # HERE\n}\n`,
    good: `resource "aws_db_instance" "db" {\n  enabled_cloudwatch_logs_exports = ["postgresql"]\n}\n`
  },
  {
    name: 'EKS without control plane logs',
    rule: 'tf/aws-eks-control-plane-logs-off',
    bad: `resource "aws_eks_cluster" "k" { # HERE\n  name = "k"\n}\n`,
    good: `resource "aws_eks_cluster" "k" {\n  name                      = "k"\n  enabled_cluster_log_types = ["api", "audit"]\n}\n`
  },
  {
    name: 'Lambda tracing passthrough',
    rule: 'tf/aws-lambda-no-tracing',
    bad: `resource "aws_lambda_function" "f" {\n  tracing_config {\n    mode = "PassThrough" # HERE\n  }\n}\n`,
    good: `resource "aws_lambda_function" "f" {\n  tracing_config {\n    mode = "Active"\n  }\n}\n`
  },
  {
    name: 'VPC without flow log',
    rule: 'tf/aws-vpc-no-flow-logs',
    bad: `resource "aws_vpc" "main" { # HERE\n  cidr_block = "10.0.0.0/16"\n}\n`,
    good: `resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\nresource "aws_flow_log" "f" {\n  vpc_id       = aws_vpc.main.id\n  traffic_type = "ALL"\n}\n`
  },
  {
    name: 'ECS cluster without Container Insights',
    rule: 'tf/aws-ecs-container-insights-off',
    bad: `resource "aws_ecs_cluster" "c" {\n  setting {\n    name  = "containerInsights"\n    value = "disabled" # HERE\n  }\n}\n`,
    good: `resource "aws_ecs_cluster" "c" {\n  setting {\n    name  = "containerInsights"\n    value = "enabled"\n  }\n}\n`
  },
  {
    name: 'ECR mutable tags',
    rule: 'tf/aws-ecr-mutable-tags',
    bad: `resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE" # HERE\n}\n`,
    good: `resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "IMMUTABLE"\n}\n`
  },
  {
    name: 'gp2 volume',
    rule: 'tf/aws-ebs-gp2',
    bad: `resource "aws_instance" "a" {\n  root_block_device {\n    volume_type = "gp2" # HERE\n  }\n}\n`,
    good: `resource "aws_instance" "a" {\n  root_block_device {\n    volume_type = "gp3"\n  }\n}\n`
  },
  {
    name: 'very large instance',
    rule: 'tf/aws-oversized-instance',
    bad: `resource "aws_instance" "a" {\n  instance_type = "m5.16xlarge" # HERE\n}\n`,
    good: `resource "aws_instance" "a" {\n  instance_type = "m5.xlarge"\n}\n`
  },
  {
    name: 'Cloud SQL without backups',
    rule: 'tf/gcp-sql-backups-off',
    bad: `resource "google_sql_database_instance" "db" {\n  settings {\n    tier = "db-f1-micro"\n    backup_configuration {\n      enabled = false # HERE\n    }\n  }\n}\n`,
    good: `resource "google_sql_database_instance" "db" {\n  settings {\n    tier = "db-f1-micro"\n    backup_configuration {\n      enabled = true\n    }\n  }\n}\n`
  },
  {
    name: 'Cloud SQL open to the internet',
    rule: 'tf/gcp-sql-public-network',
    bad: `resource "google_sql_database_instance" "db" {\n  settings {\n    backup_configuration {\n      enabled = true\n    }\n    ip_configuration {\n      authorized_networks {\n        name  = "all"\n        value = "0.0.0.0/0" # HERE\n      }\n    }\n  }\n}\n`,
    good: `resource "google_sql_database_instance" "db" {\n  settings {\n    backup_configuration {\n      enabled = true\n    }\n    ip_configuration {\n      authorized_networks {\n        name  = "office"\n        value = "203.0.113.0/24"\n      }\n    }\n  }\n}\n`
  },
  {
    name: 'AWS placeholder is not a secret',
    rule: 'tf/hardcoded-password',
    bad: `resource "aws_lb_listener" "l" {\n  client_secret = "s3cr3t-value-7f2a" # HERE\n}\n`,
    good: `resource "aws_lb_listener" "l" {\n  client_secret = "client_secret"\n}\n`
  },
  {
    name: 'GCP firewall open on SSH',
    rule: 'tf/gcp-firewall-open-admin-port',
    bad: `resource "google_compute_firewall" "fw" {\n  network       = "default"\n  source_ranges = ["0.0.0.0/0"] # HERE\n  allow {\n    protocol = "tcp"\n    ports    = ["22"]\n  }\n}\n`,
    good: `resource "google_compute_firewall" "fw" {\n  network       = "default"\n  source_ranges = ["0.0.0.0/0"]\n  allow {\n    protocol = "tcp"\n    ports    = ["443"]\n  }\n}\n`
  },
  {
    name: 'Azure NSG rule open on RDP',
    rule: 'tf/azure-nsg-open-admin-port',
    bad: `resource "azurerm_network_security_rule" "r" {\n  direction                  = "Inbound"\n  access                     = "Allow"\n  protocol                   = "Tcp"\n  source_address_prefix      = "Internet" # HERE\n  destination_port_range     = "3389"\n}\n`,
    good: `resource "azurerm_network_security_rule" "r" {\n  direction                  = "Inbound"\n  access                     = "Allow"\n  protocol                   = "Tcp"\n  source_address_prefix      = "10.0.0.0/8"\n  destination_port_range     = "3389"\n}\n`
  },
  {
    name: 'Azure storage public blobs',
    rule: 'tf/azure-storage-public-blob',
    bad: `resource "azurerm_storage_account" "s" {\n  allow_nested_items_to_be_public = true # HERE\n}\n`,
    good: `resource "azurerm_storage_account" "s" {\n  allow_nested_items_to_be_public = false\n}\n`
  },
  {
    // Not in view: the source naming S3 says the module makes S3 buckets.
    name: 'Local S3 bucket module switching versioning off',
    rule: 'tf/aws-s3-versioning-disabled',
    bad: `module "bucket" {\n  source = "./modules/s3-bucket"\n  versioning_config = {\n    enabled = false # HERE\n  }\n}\n`,
    good: `module "bucket" {\n  source = "./modules/s3-bucket"\n  versioning_config = {\n    enabled = true\n  }\n}\n`
  },
  {
    name: 'Security group opens PostgreSQL to the internet',
    rule: 'tf/aws-sg-open-data-port',
    bad: `resource "aws_security_group" "db" {\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"] # HERE\n  }\n}\n`,
    good: `resource "aws_security_group" "db" {\n  ingress {\n    from_port       = 5432\n    to_port         = 5432\n    protocol        = "tcp"\n    security_groups = [aws_security_group.app.id]\n  }\n}\n`
  },
  {
    name: 'security-group module opens Redis through a named rule',
    rule: 'tf/aws-sg-open-data-port',
    bad: `module "cache_sg" {\n  source              = "terraform-aws-modules/security-group/aws"\n  ingress_cidr_blocks = ["0.0.0.0/0"] # HERE\n  ingress_rules       = ["redis-tcp"]\n}\n`,
    good: `module "cache_sg" {\n  source              = "terraform-aws-modules/security-group/aws"\n  ingress_cidr_blocks = ["0.0.0.0/0"]\n  ingress_rules       = ["https-443-tcp"]\n}\n`
  },
  {
    name: 'Security group opens an application port to the internet',
    rule: 'tf/aws-sg-open-port',
    bad: `resource "aws_vpc_security_group_ingress_rule" "app" {\n  ip_protocol = "tcp"\n  from_port   = 8080\n  to_port     = 8080\n  cidr_ipv4   = "0.0.0.0/0" # HERE\n}\n`,
    good: `resource "aws_vpc_security_group_ingress_rule" "app" {\n  ip_protocol = "tcp"\n  from_port   = 443\n  to_port     = 443\n  cidr_ipv4   = "0.0.0.0/0"\n}\n`
  },
  {
    name: 'IAM policy with a service wildcard on every resource',
    rule: 'tf/aws-iam-service-wildcard',
    bad: `resource "aws_iam_policy" "p" {\n  policy = jsonencode({\n    Statement = [{\n      Effect   = "Allow"\n      Action   = ["iot:*"] # HERE\n      Resource = "*"\n    }]\n  })\n}\n`,
    good: `resource "aws_iam_policy" "p" {\n  policy = jsonencode({\n    Statement = [{\n      Effect   = "Allow"\n      Action   = ["iot:Publish"]\n      Resource = "arn:aws:iot:eu-west-1:123456789012:topic/app/*"\n    }]\n  })\n}\n`
  },
  {
    name: 'Launch template allowing IMDSv1',
    rule: 'tf/aws-imdsv1-allowed',
    bad: `resource "aws_launch_template" "lt" {\n  image_id = "ami-1"\n  metadata_options {\n    http_endpoint = "enabled"\n    http_tokens   = "optional" # HERE\n  }\n}\n`,
    good: `resource "aws_launch_template" "lt" {\n  image_id = "ami-1"\n  metadata_options {\n    http_endpoint = "enabled"\n    http_tokens   = "required"\n  }\n}\n`
  },
  {
    name: 'Instance without metadata options',
    rule: 'tf/aws-imdsv1-allowed',
    bad: `resource "aws_instance" "web" { # HERE\n  ami = "ami-1"\n}\n`,
    good: `resource "aws_instance" "web" {\n  ami = "ami-1"\n  metadata_options {\n    http_tokens = "required"\n  }\n}\n`
  },
  {
    name: 'EKS cluster with a public endpoint open to all',
    rule: 'tf/aws-eks-public-endpoint',
    bad: `resource "aws_eks_cluster" "c" {\n  name = "c"\n  vpc_config {\n    subnet_ids             = ["subnet-1"]\n    endpoint_public_access = true # HERE\n  }\n}\n`,
    good: `resource "aws_eks_cluster" "c" {\n  name = "c"\n  vpc_config {\n    subnet_ids             = ["subnet-1"]\n    endpoint_public_access = true\n    public_access_cidrs    = ["203.0.113.0/24"]\n  }\n}\n`
  },
  {
    name: 'ALB without deletion protection',
    rule: 'tf/aws-lb-no-deletion-protection',
    bad: `resource "aws_lb" "web" {\n  name                       = "web"\n  enable_deletion_protection = false # HERE\n}\n`,
    good: `resource "aws_lb" "web" {\n  name                       = "web"\n  enable_deletion_protection = true\n}\n`
  },
  {
    name: 'GKE cluster with public nodes',
    rule: 'tf/gcp-gke-public-nodes',
    bad: `resource "google_container_cluster" "c" { # HERE\n  name = "c"\n  workload_identity_config {\n    workload_pool = "p.svc.id.goog"\n  }\n}\n`,
    good: `resource "google_container_cluster" "c" {\n  name = "c"\n  private_cluster_config {\n    enable_private_nodes = true\n  }\n}\n`
  },
  {
    name: 'GKE legacy ABAC',
    rule: 'tf/gcp-gke-legacy-abac',
    bad: `resource "google_container_cluster" "c" {\n  name               = "c"\n  enable_legacy_abac = true # HERE\n}\n`,
    good: `resource "google_container_cluster" "c" {\n  name               = "c"\n  enable_legacy_abac = false\n}\n`
  },
  {
    name: 'GKE without network policy enforcement',
    rule: 'tf/gcp-gke-no-network-policy',
    bad: `resource "google_container_cluster" "c" {\n  name = "c"\n  network_policy {\n    enabled = false # HERE\n  }\n}\n`,
    good: `resource "google_container_cluster" "c" {\n  name              = "c"\n  datapath_provider = "ADVANCED_DATAPATH"\n}\n`
  },
  {
    name: 'GKE without Workload Identity',
    rule: 'tf/gcp-gke-no-workload-identity',
    bad: `resource "google_container_cluster" "c" { # HERE\n  name = "c"\n}\n`,
    good: `resource "google_container_cluster" "c" {\n  name = "c"\n  workload_identity_config {\n    workload_pool = "p.svc.id.goog"\n  }\n}\n`
  },
  {
    name: 'GKE node pool without auto-repair',
    rule: 'tf/gcp-gke-node-auto-repair-upgrade-off',
    bad: `resource "google_container_node_pool" "np" {\n  cluster = "c"\n  management {\n    auto_repair  = false # HERE\n    auto_upgrade = true\n  }\n}\n`,
    good: `resource "google_container_node_pool" "np" {\n  cluster = "c"\n  management {\n    auto_repair  = true\n    auto_upgrade = true\n  }\n}\n`
  },
  {
    name: 'AKS with RBAC disabled',
    rule: 'tf/azure-aks-rbac-disabled',
    bad: `resource "azurerm_kubernetes_cluster" "k" {\n  name                              = "k"\n  role_based_access_control_enabled = false # HERE\n}\n`,
    good: `resource "azurerm_kubernetes_cluster" "k" {\n  name                              = "k"\n  role_based_access_control_enabled = true\n}\n`
  },
  {
    name: 'AKS API server open to all',
    rule: 'tf/azure-aks-api-open',
    bad: `resource "azurerm_kubernetes_cluster" "k" { # HERE\n  name = "k"\n}\n`,
    good: `resource "azurerm_kubernetes_cluster" "k" {\n  name = "k"\n  api_server_access_profile {\n    authorized_ip_ranges = ["203.0.113.0/24"]\n  }\n}\n`
  },
  {
    name: 'AKS without network policy',
    rule: 'tf/azure-aks-no-network-policy',
    bad: `resource "azurerm_kubernetes_cluster" "k" {\n  name = "k"\n  network_profile { # HERE\n    network_plugin = "kubenet"\n  }\n}\n`,
    good: `resource "azurerm_kubernetes_cluster" "k" {\n  name = "k"\n  network_profile {\n    network_plugin = "azure"\n    network_policy = "azure"\n  }\n}\n`
  },
  {
    name: 'AKS keeps local accounts',
    rule: 'tf/azure-aks-local-accounts',
    bad: `resource "azurerm_kubernetes_cluster" "k" {\n  name                   = "k"\n  local_account_disabled = false # HERE\n}\n`,
    good: `resource "azurerm_kubernetes_cluster" "k" {\n  name                   = "k"\n  local_account_disabled = true\n}\n`
  }
]

describe('terraform rules: each fires at its line and is quiet once fixed', () => {
  test.each(CASES)('$name ($rule)', async ({ rule, bad, at, good }) => {
    const expected = lineWith(bad, at ?? '# HERE')
    const found = (await run(bad)).filter((f) => f.ruleId === rule)
    expect(found.map((f) => f.line)).toEqual([expected])
    const fixed = (await run(good)).filter((f) => f.ruleId === rule)
    expect(fixed).toEqual([])
  })

  test('every rule in the catalogue has a test case', () => {
    const tested = new Set(CASES.map((c) => c.rule))
    expect(terraformRules.map((r) => r.id).filter((id) => !tested.has(id))).toEqual([])
  })
})

describe('terraform rule metadata', () => {
  test('ids are unique, prefixed, and use the shared vocabulary', () => {
    const ids = terraformRules.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of terraformRules) {
      expect(r.id).toMatch(/^tf\/[a-z0-9]+(-[a-z0-9]+)*$/)
      expect(r.kind).toBe('terraform')
      expect(CATEGORIES).toContain(r.category)
      expect(SEVERITIES).toContain(r.severity)
    }
  })

  test('findings carry the category and severity of their rule', async () => {
    const findings = await run(fixture('mixed.tf'))
    expect(findings.length).toBeGreaterThan(5)
    for (const f of findings) {
      const r = terraformRules.find((m) => m.id === f.ruleId)!
      expect([f.category, f.severity]).toEqual([r.category, r.severity])
    }
  })
})

describe('terraform rule details', () => {
  test('suggestions are the fixed line with its indentation', async () => {
    const src = `resource "aws_ecr_repository" "r" {\n    image_tag_mutability = "MUTABLE"\n}\n`
    const [f] = (await run(src)).filter((x) => x.ruleId === 'tf/aws-ecr-mutable-tags')
    expect(f?.suggestion).toBe('    image_tag_mutability = "IMMUTABLE"')
    const gp2 = (await run(`resource "aws_ebs_volume" "v" {\n  type = "gp2"\n}\n`)).find((x) => x.ruleId === 'tf/aws-ebs-gp2')
    expect(gp2).toMatchObject({ line: 2, suggestion: '  type = "gp3"' })
  })

  test('messages never repeat a literal secret', async () => {
    const findings = await run(fixture('mixed.tf'))
    const secrets = findings.filter((f) => f.category === 'secrets')
    expect(secrets.map((f) => f.ruleId).sort()).toEqual(['tf/aws-provider-hardcoded-credentials', 'tf/aws-provider-hardcoded-credentials', 'tf/hardcoded-password'])
    for (const f of findings) expect(f.message).not.toMatch(/wJ8rXUtnFEMI|SuperSecret123/)
  })

  test('references and placeholders are not reported as secrets', async () => {
    const src = `provider "cloudflare" {\n  api_key = "var.api_key"\n}\nresource "x" "y" {\n  password = ""\n  token    = var.token\n  create_random_password = "true"\n}\n`
    expect((await run(src)).filter((f) => f.category === 'secrets')).toEqual([])
  })

  test('known registry modules are checked like the resource they wrap', async () => {
    const src = `module "db" {\n  source              = "terraform-aws-modules/rds/aws"\n  publicly_accessible = true\n}\n`
    expect((await run(src)).filter((f) => f.ruleId === 'tf/aws-rds-public').map((f) => f.line)).toEqual([3])
  })

  test('module inputs of unknown or defaulting modules raise nothing missing-based', async () => {
    const src = `module "ecr" {\n  source = "terraform-aws-modules/ecr/aws"\n  repository_name = "r"\n}\nmodule "eks" {\n  source = "terraform-aws-modules/eks/aws"\n}\nmodule "local" {\n  source = "./modules/db"\n  publicly_accessible = true\n  backup_retention_period = 0\n}\n`
    expect(await run(src)).toEqual([])
  })

  test('an all-ports rule is reported once, not also as SSH and RDP', async () => {
    const src = `resource "aws_security_group" "sg" {\n  ingress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`
    expect((await run(src)).filter((f) => f.category === 'security').map((f) => f.ruleId)).toEqual(['tf/aws-sg-open-all-ports'])
  })

  test('instanceTypeAttributes lists machine sizes for the cost audit', async () => {
    const file = await parseHcl(fixture('mixed.tf'))
    expect(instanceTypeAttributes(file).map((r) => [r.resourceType, r.name, r.attribute, r.value, r.line, r.count])).toEqual([
      ['aws_instance', 'web', 'instance_type', 'm5.24xlarge', 12, 3],
      ['aws_db_instance', 'db', 'instance_class', 'db.r6g.large', 24, undefined]
    ])
  })

  test('.tf.json files are analyzed with their own lines', async () => {
    const src = `{\n  "resource": {\n    "aws_db_instance": {\n      "db": {\n        "publicly_accessible": true\n      }\n    }\n  }\n}\n`
    const findings = await run(src, 'main.tf.json')
    expect(findings.find((f) => f.ruleId === 'tf/aws-rds-public')?.line).toBe(5)
  })

  test('.tfvars literals named like secrets are reported', async () => {
    const findings = await run('region = "eu-west-1"\ndb_password = "literal-one"\n', 'prod.tfvars')
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([['tf/hardcoded-password', 2]])
  })

  test('broken HCL becomes a parse note through the rule engine', async () => {
    const r = await analyzeFile({ path: 'bad.tf', kind: 'terraform', content: 'resource "a" "b" {\n  x = \n}\n' })
    expect(r.notes).toEqual([expect.objectContaining({ path: 'bad.tf', reason: 'parse' })])
    expect(r.notes[0]!.message).toMatch(/line \d+/)
  })

  test('CRLF files give the same lines', async () => {
    const src = fixture('mixed.tf')
    const lf = (await run(src)).map((f) => [f.ruleId, f.line])
    const crlf = (await run(src.replace(/\n/g, '\r\n'))).map((f) => [f.ruleId, f.line])
    expect(crlf).toEqual(lf)
  })

  it('reports a key in a heredoc nested in a call once, on its header line', async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString().trim()
    const src = `resource "tls_cert" "c" {\n  key = trimspace(<<EOT\nstaging signer\n${key}\nEOT\n  )\n}\n`
    const { findings } = await analyzeFile({ path: 'certs/main.tf', kind: 'terraform', content: src })
    const keys = findings.filter((f) => f.ruleId === 'tf/private-key-literal' || f.ruleId === 'secrets/privatekey')
    expect(keys.map((f) => [f.ruleId, f.line])).toEqual([['tf/private-key-literal', 4]])
  })
})
