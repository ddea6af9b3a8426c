# Staging: an always-on MySQL database, one NAT gateway per zone, logs kept forever and a
# bucket with no lifecycle rule.
resource "aws_db_instance" "orders" {
  identifier        = "orders-staging"
  engine            = "mysql"
  instance_class    = "db.t3.medium"
  allocated_storage = 20
}

resource "aws_nat_gateway" "a" {
  subnet_id = "subnet-aaaa"
}

resource "aws_nat_gateway" "b" {
  subnet_id = "subnet-bbbb"
}

resource "aws_cloudwatch_log_group" "app" {
  name = "/staging/app"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "staging-uploads"
}
