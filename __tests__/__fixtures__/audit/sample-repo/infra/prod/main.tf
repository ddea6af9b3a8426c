# Production: two web servers, one very large batch host, a gp2 data volume, a load balancer
# and a Multi-AZ PostgreSQL database.
resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
}

resource "aws_instance" "batch" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.8xlarge"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 500
  type              = "gp2"
}

resource "aws_lb" "public" {
  name               = "public"
  load_balancer_type = "application"
}

resource "aws_db_instance" "orders" {
  identifier        = "orders-prod"
  engine            = "postgres"
  instance_class    = "db.r5.large"
  multi_az          = true
  allocated_storage = 100
  storage_type      = "gp3"
}
