import { blocksOf, isExpr, lineOfKey, parseHcl, parseJsonWithLines, parseTfJson, type HclBlock, type HclExpr } from '../src/rules/parse/hcl.js'
import { ParseError } from '../src/rules/parse/yaml.js'

const SAMPLE = `# leading comment
resource "aws_s3_bucket" "logs" {
  bucket = "my-logs"
  count  = 2
  ratio  = -1.5
  force  = true
  nada   = null
  ref    = var.name
  mixed  = "prefix-\${var.env}"
  escaped = "a\\"b\\n$\${literal}"
  list   = ["a", 1, false]
  tags = {
    Name  = "logs"
    "env" = "prod"
  }

  versioning {
    enabled = true
  }
}

data "aws_iam_policy_document" "d" {
  statement {
    actions = ["s3:*"]
  }
}
`

describe('parseHcl', () => {
  test('reads blocks with labels, lines and literal attribute values', async () => {
    const file = await parseHcl(SAMPLE)
    expect(file.blocks.map((b) => [b.type, b.labels, b.line, b.endLine])).toEqual([
      ['resource', ['aws_s3_bucket', 'logs'], 2, 20],
      ['data', ['aws_iam_policy_document', 'd'], 22, 26]
    ])
    const bucket = file.blocks[0]!
    const a = bucket.attributes
    expect(a.bucket).toMatchObject({ name: 'bucket', line: 3, endLine: 3, value: 'my-logs' })
    expect(a.count?.value).toBe(2)
    expect(a.ratio?.value).toBe(-1.5)
    expect(a.force?.value).toBe(true)
    expect(a.nada?.value).toBeNull()
    expect(a.escaped?.value).toBe('a"b\n${literal}')
    expect(a.list?.value).toEqual(['a', 1, false])
    expect(a.tags?.value).toEqual({ Name: 'logs', env: 'prod' })
    expect(lineOfKey(a.tags?.value, 'env')).toBe(14)
    expect(bucket.blocks).toHaveLength(1)
    expect(bucket.blocks[0]).toMatchObject({ type: 'versioning', line: 17, endLine: 19 })
    expect(bucket.blocks[0]!.attributes.enabled?.value).toBe(true)
  })

  test('keeps references and templates as expressions with their source text', async () => {
    const file = await parseHcl(SAMPLE)
    const a = file.blocks[0]!.attributes
    expect(isExpr(a.ref?.value)).toBe(true)
    expect((a.ref?.value as HclExpr).expr).toBe('var.name')
    expect(isExpr(a.mixed?.value)).toBe(true)
    expect((a.mixed?.value as HclExpr).template).toBe('prefix-${var.env}')
    // An object that merely has an `expr` key is still an object.
    const obj = await parseHcl('x = { expr = "y" }\n')
    expect(isExpr(obj.attributes.x?.value)).toBe(false)
  })

  test('parses function calls with their arguments (jsonencode objects keep key lines)', async () => {
    const file = await parseHcl(`p = jsonencode({
  Statement = [{
    Action   = "*"
    Resource = "*"
  }]
})
`)
    const v = file.attributes.p!.value as HclExpr
    expect(v.fn).toBe('jsonencode')
    const doc = v.args![0] as Record<string, unknown>
    const stmt = (doc.Statement as Record<string, unknown>[])[0]!
    expect(stmt).toEqual({ Action: '*', Resource: '*' })
    expect(lineOfKey(stmt, 'Resource')).toBe(4)
  })

  test('reads heredocs as strings, with the line where the body starts', async () => {
    const file = await parseHcl(`resource "x" "y" {
  policy = <<EOF
{
  "a": 1
}
EOF
  indented = <<-EOT
    one
      two
    EOT
}
`)
    const a = file.blocks[0]!.attributes
    expect(a.policy).toMatchObject({ line: 2, endLine: 6, valueLine: 3, value: '{\n  "a": 1\n}' })
    expect(a.indented?.value).toBe('one\n  two')
    const json = parseJsonWithLines(a.policy!.value as string, a.policy!.valueLine)
    expect(lineOfKey(json, 'a')).toBe(4)
  })

  test('reads quoted strings whose ends are escapes, quotes or non-ASCII, and labels, keys and arguments alike', async () => {
    const file = await parseHcl(`resource "a b" "\u00e9t\u00e9" {
  newline = "\\n"
  quote   = "say \\"hi\\""
  accent  = "\u00e9t\u00e9"
  code    = "\\u00e9"
  empty   = ""
  inner   = "a  b"
  keys    = { "x y" = "\u00e9", plain = "\\t" }
  call    = lower("A\\"")
}
`)
    const block = file.blocks[0]!
    expect(block.labels).toEqual(['a b', '\u00e9t\u00e9'])
    const a = block.attributes
    expect(a.newline?.value).toBe('\n')
    expect(a.quote?.value).toBe('say "hi"')
    expect(a.accent?.value).toBe('\u00e9t\u00e9')
    expect(a.code?.value).toBe('\u00e9')
    expect(a.empty?.value).toBe('')
    expect(a.inner?.value).toBe('a  b')
    expect(a.keys?.value).toEqual({ 'x y': '\u00e9', plain: '\t' })
    expect(lineOfKey(a.keys?.value, 'plain')).toBe(8)
    expect(a.call?.value).toMatchObject({ fn: 'lower', args: ['A"'] })
  })

  test('keeps a heredoc with interpolation as a template, with the line where its body starts', async () => {
    const file = await parseHcl('user_data = <<-EOT\n    #!/bin/sh\n    echo ${var.name}\n  EOT\nn = -3\n')
    const a = file.attributes
    expect(isExpr(a.user_data?.value)).toBe(true)
    expect((a.user_data?.value as HclExpr).template).toBe('#!/bin/sh\necho ${var.name}')
    expect(a.user_data).toMatchObject({ line: 1, endLine: 4, valueLine: 2 })
    expect(a.n?.value).toBe(-3)
  })

  test('reads .tfvars files as top-level attributes', async () => {
    const file = await parseHcl('region = "eu-west-1"\ninstances = 3\n')
    expect(file.blocks).toEqual([])
    expect(file.attributes.region).toMatchObject({ line: 1, value: 'eu-west-1' })
    expect(file.attributes.instances).toMatchObject({ line: 2, value: 3 })
  })

  test('throws ParseError with the line of the first syntax error', async () => {
    const broken = 'resource "a" "b" {\n  x = 1\n  y = = 2\n}\n'
    await expect(parseHcl(broken)).rejects.toBeInstanceOf(ParseError)
    await expect(parseHcl(broken)).rejects.toMatchObject({ line: 3 })
    await expect(parseHcl('resource "a" "b" {\n  x = 1\n')).rejects.toMatchObject({ name: 'ParseError' })
  })

  test('gives the same lines for CRLF input', async () => {
    const file = await parseHcl(SAMPLE.replace(/\n/g, '\r\n'))
    expect(file.blocks[0]!.attributes.tags?.line).toBe(12)
    expect(file.blocks[0]!.blocks[0]!.line).toBe(17)
    expect(file.blocks[1]!.line).toBe(22)
  })

  test('parses a 5,000-line file with correct lines', async () => {
    const chunk = (i: number): string => `resource "aws_instance" "i${i}" {\n  ami           = "ami-${i}"\n  instance_type = "t3.micro"\n  monitoring    = true\n}\n`
    const content = Array.from({ length: 1000 }, (_, i) => chunk(i)).join('')
    expect(content.split('\n').length).toBe(5001)
    const file = await parseHcl(content)
    expect(file.blocks).toHaveLength(1000)
    const last = file.blocks[999]!
    expect(last.labels).toEqual(['aws_instance', 'i999'])
    expect(last.line).toBe(4996)
    expect(last.attributes.monitoring?.line).toBe(4999)
  })
})

describe('parseTfJson', () => {
  test('maps resources, modules and locals into blocks with key lines', () => {
    const file = parseTfJson(`{
  "resource": {
    "aws_s3_bucket": {
      "b": {
        "bucket": "x",
        "versioning": { "enabled": true }
      }
    }
  },
  "module": { "m": { "source": "./mod" } }
}`)
    const bucket = file.blocks.find((b) => b.type === 'resource') as HclBlock
    expect(bucket).toMatchObject({ labels: ['aws_s3_bucket', 'b'], line: 4 })
    expect(bucket.attributes.bucket).toMatchObject({ line: 5, value: 'x' })
    const versioning = blocksOf(bucket, 'versioning')
    expect(versioning).toHaveLength(1)
    expect(versioning[0]!.attributes.enabled).toMatchObject({ line: 6, value: true })
    expect(file.blocks.find((b) => b.type === 'module')).toMatchObject({ labels: ['m'], line: 10 })
  })

  test('throws ParseError on invalid JSON', () => {
    expect(() => parseTfJson('{\n  "resource": [\n')).toThrow(ParseError)
  })
})
