/**
 * The orders and lists the rule engine builds on its fast paths, checked against the plain
 * definitions they stand for: findings ordered by `compareFindings` as by locale comparisons of
 * path and rule id, a Terraform context's resources by type as a filter and a stable sort by line would give them,
 * and a module's resolved copy that leaves the written file alone.
 */
import fc from 'fast-check'
import { compareFindings } from '../src/rules/index.js'
import { createContext, type TfResource } from '../src/rules/terraform/context.js'
import { buildTerraformProjects } from '../src/rules/terraform/project.js'
import { parseHcl } from '../src/rules/parse/hcl.js'
import { isExpr } from '../src/rules/parse/hcl.js'
import { SEVERITY_RANK, type Finding, type Severity } from '../src/types.js'

// Paths a locale comparison orders unlike code units: case, punctuation, digits, accents, and two
// spellings of one letter (precomposed and combining) that it calls equal.
const PATHS = ['a/b.tf', 'A/b.tf', 'a-b/c.tf', 'a_b/c.tf', 'a/B.tf', 'a10/x.yaml', 'a9/x.yaml', 'é/x.tf', 'e\u0301/x.tf', 'z.tf', '.github/w.yml', 'Z.tf']
const RULES = ['k8s/no-cpu-limits', 'k8s/no-cpu-requests', 'tf/aws-s3-public-acl', 'secrets/generic', 'k8s/no-cpu-limits']
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info']

const finding = (path: string, line: number, ruleId: string, severity: Severity, n: number): Finding => ({
  ruleId,
  category: 'security',
  severity,
  path,
  line,
  message: `#${n}`,
  remediation: ''
})

describe('compareFindings', () => {
  /** The order by its definition: paths and rule ids by locale, lines, severities (most severe first). */
  const byDefinition = (a: Finding, b: Finding): number =>
    a.path.localeCompare(b.path) || a.line - b.line || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.ruleId.localeCompare(b.ruleId)

  it('orders as its definition, ties in their first order', () => {
    const arb = fc.array(fc.tuple(fc.constantFrom(...PATHS), fc.integer({ min: 1, max: 4 }), fc.constantFrom(...RULES), fc.constantFrom(...SEVERITIES)), { maxLength: 60 })
    fc.assert(
      fc.property(arb, (rows) => {
        const findings = rows.map(([path, line, rule, severity], n) => finding(path, line, rule, severity, n))
        const expected = [...findings].sort(byDefinition)
        // The same objects in the same places, not merely equal ones.
        ;[...findings].sort(compareFindings).forEach((f, i) => expect(f).toBe(expected[i]))
      }),
      { numRuns: 300 }
    )
  })
})

describe('Terraform context: resources by type', () => {
  const TYPES = ['aws_s3_bucket', 'aws_instance', 'aws_db_instance', 'aws_lb']

  /** What `resources` means: the file's resources of those types (`'*'`: all) and, with modules, the module calls standing for one, stable-sorted by line. */
  const reference = (all: TfResource[], modules: TfResource[], types: string | string[], withModules: boolean): TfResource[] => {
    const wanted = new Set(Array.isArray(types) ? types : [types])
    const found = all.filter((r) => wanted.has('*') || wanted.has(r.type))
    if (withModules) found.push(...modules.filter((m) => wanted.has(m.type)))
    return found.sort((a, b) => a.block.line - b.block.line)
  }

  it('gives what a filter and a stable sort by line give, whatever the question', async () => {
    // Resources of several types, two on one line (ties), and a registry module call for an S3 bucket.
    const text = [
      'resource "aws_instance" "a" {}',
      'resource "aws_s3_bucket" "b" {}',
      'resource "aws_lb" "c" {}',
      'module "bucket" {',
      '  source = "terraform-aws-modules/s3-bucket/aws"',
      '}',
      'resource "aws_db_instance" "d" {}',
      'resource "aws_s3_bucket" "e" {}',
      'resource "aws_instance" "f" {}'
    ].join('\n')
    const file = await parseHcl(text)
    // Two blocks on one line, after the others in the file: the sort must keep them in file order.
    file.blocks.push({ ...file.blocks[0]!, labels: ['aws_lb', 'tie1'], line: 2 }, { ...file.blocks[0]!, labels: ['aws_s3_bucket', 'tie2'], line: 2 })
    const ctx = createContext({ path: 'main.tf', file, content: text, report: () => ({}) as Finding }, [])
    const all = ctx.resources('*')
    expect(all.map((r) => r.name)).toEqual(['a', 'b', 'tie1', 'tie2', 'c', 'd', 'e', 'f'])
    const modules = ctx.resources(TYPES, { modules: true }).filter((r) => r.viaModule)
    expect(modules.map((r) => `${r.type}.${r.name}`)).toEqual(['aws_s3_bucket.bucket'])
    const question = fc.oneof(fc.constantFrom(...TYPES, '*', 'aws_missing'), fc.array(fc.constantFrom(...TYPES, '*', 'aws_missing'), { maxLength: 5 }))
    fc.assert(
      fc.property(question, fc.boolean(), (types, withModules) => {
        const got = ctx.resources(types, { modules: withModules })
        expect(got.map((r) => `${r.type}.${r.name}`)).toEqual(reference(all, modules, types, withModules).map((r) => `${r.type}.${r.name}`))
        // A fresh list each time: a rule may keep or change its own.
        expect(ctx.resources(types, { modules: withModules })).not.toBe(got)
      }),
      { numRuns: 200 }
    )
  })
})

describe('Terraform module: resolved copies', () => {
  it('resolves references in a copy and leaves the written blocks, and blocks with nothing to resolve, as they are', async () => {
    const files = [
      { path: 'm/variables.tf', kind: 'terraform' as const, content: 'variable "cidr" {\n  default = "0.0.0.0/0"\n}\n' },
      {
        path: 'm/main.tf',
        kind: 'terraform' as const,
        content: [
          'resource "aws_s3_bucket" "plain" {',
          '  bucket = "b"',
          '}',
          'resource "aws_security_group" "sg" {',
          '  name = "x"',
          '  ingress {',
          '    cidr_blocks = [var.cidr]',
          '  }',
          '}'
        ].join('\n')
      }
    ]
    const member = (await buildTerraformProjects(files)).get('m')!.files.get('m/main.tf')!
    const [plain, sg] = member.resolved.blocks
    expect(plain).toBe(member.model.blocks[0])
    expect(sg).not.toBe(member.model.blocks[1])
    expect(Object.keys(sg!.attributes)).toEqual(Object.keys(member.model.blocks[1]!.attributes))
    expect(sg!.blocks[0]!.attributes.cidr_blocks!.value).toEqual(['0.0.0.0/0'])
    // The written file keeps the reference.
    const written = member.model.blocks[1]!.blocks[0]!.attributes.cidr_blocks!.value as unknown[]
    expect(isExpr(written[0])).toBe(true)
    expect(member.resolutions.get(7)?.via).toBe('variable default')
  })
})
