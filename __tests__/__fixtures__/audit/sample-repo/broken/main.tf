resource "aws_instance" "half" {
  instance_type = "m5.large"
