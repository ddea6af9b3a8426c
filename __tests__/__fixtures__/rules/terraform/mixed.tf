# A small stack with several problems, used by the Terraform rule tests.
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAQX7VM2PLR9TBK4HZ"
  secret_key = "wJ8rXUtnFEMI/K7MDENG/bPxRfiCYq2Lm9ZsT3dN"
}

resource "aws_instance" "web" {
  count                       = 3
  ami                         = "ami-123"
  associate_public_ip_address = true
  instance_type               = "m5.24xlarge"

  root_block_device {
    volume_type = "gp2"
    encrypted   = false
  }
}

resource "aws_db_instance" "db" {
  engine                  = "postgres"
  username                = "app"
  password                = "SuperSecret123"
  instance_class          = "db.r6g.large"
  backup_retention_period = 0
  publicly_accessible     = true
  skip_final_snapshot     = true
}
