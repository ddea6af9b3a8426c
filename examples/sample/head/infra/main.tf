terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets-prod"
}

resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/shop/api"
  retention_in_days = 30
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion access"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.r6g.8xlarge"
  allocated_storage       = 200
  storage_type            = "gp2"
  username                = "orders"
  password                = "Sup3rS3cretOrders!"
  publicly_accessible     = true
  backup_retention_period = 0
  skip_final_snapshot     = true
}
