import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Finding, RuleMeta, SourceFile } from '../src/types.js'
import { importSarif, mergeImported, severityFromScore, toolSlug } from '../src/import/sarif.js'
import { importInfracost, costThresholdFindings } from '../src/import/infracost.js'
import { importTerraformPlan, isStateful } from '../src/import/tfplan.js'
import { formatMoney, parseDecimal } from '../src/import/decimal.js'
import { readImports, withImports } from '../src/import/index.js'
import { analyzeFiles, ALL_RULES } from '../src/rules/index.js'
import { readTree } from '../src/changes/tree.js'
import { removeScratchDirs, scratchDir } from './helpers/scratch.js'

afterAll(removeScratchDirs)

const SAMPLES = join(process.cwd(), '..', 'shared', 'samples')
const FIXTURES = join(process.cwd(), '__tests__', '__fixtures__', 'sarif')
const CHECKOV_INPUT = join(SAMPLES, 'checkov-input')
const KNOWN = new Set(['tf/bucket.tf', 'docker/Dockerfile', '.github/workflows/ci.yml', 'cfn/db.yaml'])

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')

async function checkovInputFindings(): Promise<{ findings: Finding[]; files: SourceFile[] }> {
  const tree = await readTree(CHECKOV_INPUT)
  const analysis = await analyzeFiles(tree.files)
  return { findings: analysis.findings, files: tree.files }
}

describe('SARIF import: checkov 3.3.13 (real output)', () => {
  const text = readFileSync(join(SAMPLES, 'checkov-3.3.13.sarif'), 'utf8')
  const imported = importSarif(text, 'checkov.sarif', { knownPaths: KNOWN })

  it('imports every result with the tool and rule id kept and its location', () => {
    const raw = JSON.parse(text) as { runs: { results: unknown[] }[] }
    expect(imported.findings).toHaveLength(raw.runs[0].results.length)
    expect(imported.notes).toEqual([])
    const sg = imported.findings.find((f) => f.ruleId === 'checkov/CKV_AWS_23')!
    expect(sg).toMatchObject({ path: 'tf/bucket.tf', line: 4, endLine: 12, source: 'checkov' })
    expect(imported.findings.every((f) => KNOWN.has(f.path))).toBe(true)
  })

  it('maps an error without a security severity to medium, never higher', () => {
    expect(new Set(imported.findings.map((f) => f.severity))).toEqual(new Set(['medium']))
  })

  it('never carries the snippet: no source text of the input in any message', () => {
    const sources = ['acme-logs', 'cidr_blocks', 'pip install flask', 'github.event.pull_request.title']
    for (const f of imported.findings) for (const s of sources) expect(JSON.stringify(f)).not.toContain(s)
  })

  it('merges a result into the Preflight finding whose refs name it at the same place, keeps the others', async () => {
    const { findings } = await checkovInputFindings()
    const merged = mergeImported(findings, imported.findings, ALL_RULES)
    const versioning = merged.find((f) => f.ruleId === 'tf/aws-s3-versioning-disabled')!
    expect(versioning.alsoFlaggedBy).toEqual(['checkov/CKV_AWS_21'])
    expect(merged.find((f) => f.ruleId === 'checkov/CKV_AWS_21')).toBeUndefined()
    // No Preflight rule names CKV_AWS_23 (security group description): it stays its own finding.
    expect(merged.filter((f) => f.ruleId === 'checkov/CKV_AWS_23')).toHaveLength(1)
    // Every imported result is accounted for exactly once: merged or kept.
    const mergedIds = merged.flatMap((f) => f.alsoFlaggedBy ?? [])
    const kept = merged.filter((f) => f.source === 'checkov').map((f) => f.ruleId)
    expect([...mergedIds, ...kept].sort()).toEqual(imported.findings.map((f) => f.ruleId).sort())
    expect(merged.some((f) => 'matchIds' in f)).toBe(false)
  })
})

describe('SARIF import: one sample per tool, written to its documented format', () => {
  it.each([
    ['trivy.sarif', 'trivy', 3],
    ['kics.sarif', 'kics', 2],
    ['tfsec.sarif', 'tfsec', 2],
    ['hadolint.sarif', 'hadolint', 3],
    ['zizmor.sarif', 'zizmor', 2],
    ['semgrep.sarif', 'semgrep', 1],
    ['cfn-lint.sarif', 'cfn-lint', 2],
    ['cfn-guard.sarif', 'cfn-guard', 2],
    ['cfn_nag.sarif', 'cfn_nag', 2]
  ])('%s: every result imported with its tool, resolved to a repository path', (file, tool, n) => {
    const r = importSarif(fixture(file), file, { knownPaths: KNOWN })
    expect(r.notes).toEqual([])
    expect(r.findings).toHaveLength(n)
    for (const f of r.findings) {
      expect(f.source).toBe(tool)
      expect(f.ruleId.startsWith(`${tool}/`)).toBe(true)
      expect(KNOWN.has(f.path)).toBe(true)
      expect(f.message).not.toMatch(/\n/)
    }
  })

  it('trivy: severity from security-severity, message from its Message: line, help link kept', () => {
    const r = importSarif(fixture('trivy.sarif'), 'trivy.sarif', { knownPaths: KNOWN })
    const sg = r.findings.find((f) => f.ruleId === 'trivy/AVD-AWS-0107')!
    expect(sg.severity).toBe('critical')
    expect(sg.message).toBe('Security group rule allows ingress from public internet.')
    expect(sg.helpUri).toBe('https://avd.aquasec.com/misconfig/avd-aws-0107')
    expect(r.findings.find((f) => f.ruleId === 'trivy/AVD-AWS-0090')).toMatchObject({ severity: 'medium', category: 'backup' })
  })

  it('kics: a workspace-absolute file URI becomes a repository path', () => {
    const r = importSarif(fixture('kics.sarif'), 'kics.sarif', { knownPaths: KNOWN })
    expect(r.findings.map((f) => f.path).sort()).toEqual(['docker/Dockerfile', 'tf/bucket.tf'])
  })

  it('hadolint: level decides severity without a score; ids map to categories', () => {
    const r = importSarif(fixture('hadolint.sarif'), 'hadolint.sarif')
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.category])).toEqual([
      ['hadolint/DL3013', 'low', 'immutability'],
      ['hadolint/DL3020', 'medium', 'security'],
      ['hadolint/DL3025', 'info', 'slo']
    ])
  })

  it('a scan root prefixes relative URIs when the scanner ran in a sub-folder', () => {
    const text = fixture('hadolint.sarif').replaceAll('docker/Dockerfile', 'Dockerfile')
    const r = importSarif(text, 'h.sarif', { scanRoot: 'docker', knownPaths: KNOWN })
    expect(new Set(r.findings.map((f) => f.path))).toEqual(new Set(['docker/Dockerfile']))
  })

  it('merging follows each tool id form: trivy AVD prefix, zizmor prefix, KICS query name', () => {
    const own: Finding[] = [
      { ruleId: 'x/versioning', category: 'backup', severity: 'medium', path: 'tf/bucket.tf', line: 1, message: 'm' },
      { ruleId: 'x/injection', category: 'security', severity: 'critical', path: '.github/workflows/ci.yml', line: 10, message: 'm' },
      { ruleId: 'x/user', category: 'security', severity: 'medium', path: 'docker/Dockerfile', line: 1, message: 'm' }
    ]
    const rules: RuleMeta[] = [
      { id: 'x/versioning', kind: 'terraform', category: 'backup', severity: 'medium', title: '', description: '', remediation: '', refs: { trivy: 'AVD-AWS-0090', tfsec: 'aws-s3-enable-versioning', kics: 'terraform/aws/s3_bucket_without_versioning' } },
      { id: 'x/injection', kind: 'workflow', category: 'security', severity: 'critical', title: '', description: '', remediation: '', refs: { zizmor: 'template-injection' } },
      { id: 'x/user', kind: 'dockerfile', category: 'security', severity: 'medium', title: '', description: '', remediation: '', refs: { kics: ['dockerfile/missing_user_instruction'] } }
    ]
    const imported = ['trivy.sarif', 'kics.sarif', 'tfsec.sarif', 'zizmor.sarif'].flatMap((f) => importSarif(fixture(f), f, { knownPaths: KNOWN }).findings)
    const merged = mergeImported(own, imported, rules)
    expect(merged.find((f) => f.ruleId === 'x/versioning')!.alsoFlaggedBy).toEqual([
      'kics/568a4d22-3517-44a6-a7ad-6a7eed88722c',
      'tfsec/aws-s3-enable-versioning',
      'trivy/AVD-AWS-0090'
    ])
    expect(merged.find((f) => f.ruleId === 'x/injection')!.alsoFlaggedBy).toEqual(['zizmor/template-injection'])
    expect(merged.find((f) => f.ruleId === 'x/user')!.alsoFlaggedBy).toEqual(['kics/fd54f200-402c-4333-a5a4-36ef6709af2f'])
    // A matching id at another place is not merged.
    const moved = own.map((f) => ({ ...f, line: f.line + 40 }))
    expect(mergeImported(moved, imported, rules).every((f) => f.alsoFlaggedBy === undefined)).toBe(true)
  })

  it('merges cfn-lint, cfn-guard and cfn_nag results into the CloudFormation findings whose refs name them', async () => {
    // The template the three samples were written against: a public, unencrypted MySQL instance.
    const template =
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n' +
      '      DBInstanceClass: db.t3.micro\n      AllocatedStorage: "20"\n      MasterUsername: admin\n      ManageMasterUserPassword: true\n' +
      '      PubliclyAccessible: true\n      StorageEncrypted: false\n      MultiAZ: true\n'
    const own = (await analyzeFiles([{ path: 'cfn/db.yaml', kind: 'cloudformation', content: template }])).findings
    const imported = ['cfn-lint.sarif', 'cfn-guard.sarif', 'cfn_nag.sarif'].flatMap((f) => importSarif(fixture(f), f, { knownPaths: KNOWN }).findings)
    const merged = mergeImported(own, imported, ALL_RULES)
    const also = (ruleId: string) => merged.find((f) => f.ruleId === ruleId)?.alsoFlaggedBy
    expect(also('cfn/stateful-no-update-replace-policy')).toEqual(['cfn-lint/I3011'])
    expect(also('cfn/rds-publicly-accessible')).toEqual(['cfn-guard/RDS_INSTANCE_PUBLIC_ACCESS_CHECK'])
    expect(also('cfn/rds-storage-not-encrypted')).toEqual(['cfn-guard/RDS_STORAGE_ENCRYPTED'])
    // cfn_nag names its rules CFN_NAG_F80 in SARIF; the rule's refs say F80.
    expect(also('cfn/rds-no-deletion-protection')).toEqual(['cfn_nag/CFN_NAG_F80'])
    // cfn_nag places every result on the resource's first line: F22 there is too far from the
    // PubliclyAccessible line to be the same place, and stays a finding of its own, as does an
    // id no rule names (I3013).
    expect(merged.filter((f) => f.source !== undefined).map((f) => f.ruleId).sort()).toEqual(['cfn-lint/I3013', 'cfn_nag/CFN_NAG_F22'])
  })

  it('bad input is one note naming the file; nothing else lost', () => {
    expect(importSarif('{not json', 'broken.sarif').notes[0]).toMatchObject({ path: 'broken.sarif', reason: 'parse' })
    expect(importSarif('{"version":"2.1.0"}', 'empty.sarif').notes[0].message).toContain('empty.sarif')
    const noLocation = JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'R1', message: { text: 'm' } }] }] })
    expect(importSarif(noLocation, 'x.sarif').notes[0].message).toMatch(/1 result without a location/)
  })

  it('a password in a snippet or a rule help never reaches a finding', () => {
    const doc = JSON.parse(readFileSync(join(SAMPLES, 'checkov-3.3.13.sarif'), 'utf8'))
    const secret = 'Sup3r-S3cret-Passw0rd-91xq'
    doc.runs[0].results[0].locations[0].physicalLocation.region.snippet.text = `password = "${secret}"\n`
    doc.runs[0].tool.driver.rules[0].help.text = `password = "${secret}"`
    const r = importSarif(JSON.stringify(doc), 'c.sarif', { knownPaths: KNOWN })
    expect(JSON.stringify(r)).not.toContain(secret)
  })

  it('results the tool itself suppressed are not imported', () => {
    const doc = JSON.parse(fixture('hadolint.sarif'))
    doc.runs[0].results[0].suppressions = [{ kind: 'inSource' }]
    expect(importSarif(JSON.stringify(doc), 'h.sarif').findings).toHaveLength(2)
  })

  it('tool names and scores map as GitHub does', () => {
    expect(['Checkov', 'Trivy', 'KICS', 'defsec', 'Hadolint', 'zizmor', 'Semgrep OSS', 'My Tool!', 'cfn-lint', 'cfn-guard', 'cfn_nag', 'cfn-nag'].map(toolSlug)).toEqual([
      'checkov', 'trivy', 'kics', 'tfsec', 'hadolint', 'zizmor', 'semgrep', 'my-tool', 'cfn-lint', 'cfn-guard', 'cfn_nag', 'cfn_nag'
    ])
    expect([9.5, 9, 7, 6.9, 4, 0.1, 0].map(severityFromScore)).toEqual(['critical', 'critical', 'high', 'medium', 'medium', 'low', 'info'])
  })
})

describe('Infracost import', () => {
  const text = readFileSync(join(SAMPLES, 'infracost-example-out.json'), 'utf8')
  const raw = JSON.parse(text) as { totalMonthlyCost: string; projects: { diff: { totalMonthlyCost: string } }[] }

  it('totals equal the JSON to the cent', () => {
    const { report, notes } = importInfracost(text, 'infracost.json')
    expect(notes).toEqual([])
    const cents = (s: string) => {
      const [w, f = ''] = s.split('.')
      const n = BigInt(w) * 100n + BigInt((f + '000').slice(0, 2))
      return Number(f[2] ?? '0') >= 5 ? n + 1n : n
    }
    const expected = cents(raw.totalMonthlyCost)
    expect(formatMoney(report!.monthly)).toBe(`$${(expected / 100n).toLocaleString('en-US')}.${(expected % 100n).toString().padStart(2, '0')}`)
    expect(formatMoney(report!.diffMonthly!, 'USD', true)).toBe('+' + formatMoney(parseDecimal(raw.projects[0].diff.totalMonthlyCost)!))
    expect(report!.top.map((t) => t.name)).toEqual(['aws_instance.web_app', 'aws_lambda_function.hello_world', 'aws_instance.zero_cost_instance'])
  })

  it('decimal rounding is exact where floating point is not', () => {
    expect(formatMoney(parseDecimal('1.005')!)).toBe('$1.01')
    expect(formatMoney(parseDecimal('1361.3075')!)).toBe('$1,361.31')
    expect(formatMoney(parseDecimal('-2.345')!, 'USD', true)).toBe('-$2.35')
    expect(formatMoney(parseDecimal('0')!, 'EUR')).toBe('EUR 0.00')
    expect(parseDecimal('1e3')).toBeUndefined()
  })

  it('groups the whole part in threes at every length', () => {
    for (let digits = 1; digits <= 13; digits++) {
      const whole = BigInt('9'.repeat(digits))
      expect(formatMoney(parseDecimal(`${whole}.25`)!)).toBe(`$${whole.toLocaleString('en-US')}.25`)
    }
    expect(formatMoney(parseDecimal('1000000')!)).toBe('$1,000,000.00')
  })

  it('thresholds from the settings turn an increase into a medium cost finding', () => {
    const { report } = importInfracost(text, 'infracost.json')
    expect(costThresholdFindings(report!, {})).toEqual([])
    const over = costThresholdFindings(report!, { warnIncreaseUsd: 100, warnTotalUsd: 5000 })
    expect(over.map((f) => [f.ruleId, f.severity, f.category])).toEqual([['infracost/monthly-increase', 'medium', 'cost']])
    expect(over[0].message).toContain('+$1,361.31')
    expect(costThresholdFindings(report!, { warnIncreaseUsd: 5000 })).toEqual([])
    expect(costThresholdFindings(report!, { warnTotalUsd: 1000 }).map((f) => f.ruleId)).toEqual(['infracost/monthly-total'])
  })

  it('a currency that is not an ISO code never reaches the summary', () => {
    const doc = JSON.parse(text)
    doc.currency = 'EUR <!-- x --> @team'
    expect(importInfracost(JSON.stringify(doc), 'i.json').report!.currency).toBe('USD')
    doc.currency = 'EUR'
    expect(formatMoney(importInfracost(JSON.stringify(doc), 'i.json').report!.monthly, 'EUR')).toBe('EUR 1,361.31')
    expect(importInfracost(JSON.stringify(doc), 'i.json').report!.currency).toBe('EUR')
  })

  it('not Infracost JSON is a note naming the file', () => {
    expect(importInfracost('[]', 'x.json').notes[0].message).toContain('x.json')
    expect(importInfracost('{"projects":[]}', 'y.json').notes[0].message).toContain('no monthly total')
  })
})

describe('Terraform plan import', () => {
  const files: SourceFile[] = [
    { path: 'infra/db.tf', kind: 'terraform', content: 'variable "x" {}\n\nresource "aws_db_instance" "orders" {\n  engine_version = "16.1"\n}\n' },
    { path: 'infra/net.tf', kind: 'terraform', content: 'module "cache" {\n  source = "./cache"\n}\n' }
  ]
  const plan = {
    format_version: '1.2',
    resource_changes: [
      { address: 'aws_db_instance.orders', mode: 'managed', type: 'aws_db_instance', name: 'orders', change: { actions: ['delete', 'create'], replace_paths: [['engine_version']] }, action_reason: 'replace_because_cannot_update' },
      { address: 'module.cache.aws_elasticache_cluster.main', module_address: 'module.cache', mode: 'managed', type: 'aws_elasticache_cluster', name: 'main', change: { actions: ['delete'] }, action_reason: 'delete_because_no_resource_config' },
      { address: 'aws_instance.web', mode: 'managed', type: 'aws_instance', name: 'web', change: { actions: ['delete', 'create'], replace_paths: [['ami']] } },
      { address: 'aws_s3_bucket.logs', mode: 'managed', type: 'aws_s3_bucket', name: 'logs', change: { actions: ['update'] } }
    ]
  }

  it('a replaced stateful resource is a high finding on its block naming the attribute that forces it', () => {
    const { findings, notes } = importTerraformPlan(JSON.stringify(plan), 'plan.json', files)
    expect(notes).toEqual([])
    expect(findings.map((f) => [f.ruleId, f.severity, f.path, f.line])).toEqual([
      ['tfplan/replaces-stateful', 'high', 'infra/db.tf', 3],
      ['tfplan/destroys-stateful', 'high', 'infra/net.tf', 1]
    ])
    expect(findings[0].message).toContain('recreates `aws_db_instance.orders`')
    expect(findings[0].message).toContain('`engine_version` forces it')
    expect(findings[1].message).toContain('its configuration was removed')
  })

  it('a resource not found in the files is kept on the plan file, with a note', () => {
    const { findings, notes } = importTerraformPlan(JSON.stringify(plan), 'plan.json', [])
    expect(findings.every((f) => f.path === 'plan.json')).toBe(true)
    expect(notes[0].message).toMatch(/2 planned changes could not be placed/)
  })

  it('stateless types and in-place updates are not findings; bad JSON is a note', () => {
    expect(isStateful('aws_instance')).toBe(false)
    expect(isStateful('google_sql_database_instance')).toBe(true)
    expect(importTerraformPlan('{}', 'p.json', files).notes[0].message).toContain('resource_changes')
  })

  it('a Memcached cluster holds no data to lose: its replacement is not a finding, a Redis one is', () => {
    const cache = (engine: string) => ({ address: 'aws_elasticache_cluster.sessions', mode: 'managed', type: 'aws_elasticache_cluster', name: 'sessions', change: { actions: ['delete', 'create'], before: { engine }, replace_paths: [['node_type']] } })
    const findingsFor = (engine: string) => importTerraformPlan(JSON.stringify({ format_version: '1.2', resource_changes: [cache(engine)] }), 'plan.json', files).findings.map((f) => f.ruleId)
    expect(findingsFor('memcached')).toEqual([])
    expect(findingsFor('redis')).toEqual(['tfplan/replaces-stateful'])
  })
})

describe('reading the inputs', () => {
  async function withWorkspace() {
    const root = scratchDir('preflight-imports-')
    mkdirSync(join(root, 'scan'))
    copyFileSync(join(SAMPLES, 'checkov-3.3.13.sarif'), join(root, 'scan', 'checkov.sarif'))
    copyFileSync(join(FIXTURES, 'hadolint.sarif'), join(root, 'scan', 'hadolint.sarif'))
    copyFileSync(join(SAMPLES, 'infracost-example-out.json'), join(root, 'scan', 'infracost.json'))
    writeFileSync(join(root, 'scan', 'broken.sarif'), '{')
    return root
  }

  it('globs, reads and merges: one note per bad file, the rest imported', async () => {
    const root = await withWorkspace()
    const { findings, files } = await checkovInputFindings()
    const imports = await readImports(
      { sarif: ['scan/*.sarif', 'scan/missing.sarif'], infracost: 'scan/infracost.json', terraformPlan: 'scan/plan.json' },
      { root, knownPaths: KNOWN, files, cost: { warnIncreasePercent: 10 } }
    )
    expect(imports.notes.map((n) => n.path).sort()).toEqual(['scan/broken.sarif', 'scan/missing.sarif', 'scan/plan.json'])
    expect(imports.notes.find((n) => n.path === 'scan/plan.json')!.message).toMatch(/does not exist/)
    expect(imports.sarif.filter((f) => f.source === 'checkov')).toHaveLength(15)
    expect(imports.sarif.filter((f) => f.source === 'hadolint')).toHaveLength(3)
    expect(imports.cost).toBeDefined()
    expect(imports.findings.map((f) => f.ruleId)).toEqual(['infracost/monthly-increase'])

    // Review mode keeps imported results on the changed files only; the cost finding always stays.
    const all = withImports(findings, imports, ALL_RULES)
    const onlyDocker = withImports(findings, imports, ALL_RULES, new Set(['docker/Dockerfile']))
    expect(all.filter((f) => f.source === 'checkov').length).toBeGreaterThan(onlyDocker.filter((f) => f.source === 'checkov').length)
    expect(onlyDocker.filter((f) => f.source && f.source !== 'infracost').every((f) => f.path === 'docker/Dockerfile')).toBe(true)
    expect(onlyDocker.some((f) => f.ruleId === 'infracost/monthly-increase')).toBe(true)
  })
})

describe('cost section', () => {
  it('shows the totals to the cent and escapes resource names', async () => {
    const { renderCostSection } = await import('../src/render/cost.js')
    const { report } = importInfracost(readFileSync(join(SAMPLES, 'infracost-example-out.json'), 'utf8'), 'i.json')
    const md = renderCostSection(report!).join('\n')
    expect(md).toContain('**Cost (Infracost):** $1,361.31 a month (+$1,361.31 from $0.00)')
    expect(md).toContain('| `aws_instance.web_app` | $742.64 | +$742.64 |')
    const hostile = { ...report!, top: [{ name: 'a`b|<!-- x -->\n@team', project: 'p', monthly: 1n, diff: 1n }] }
    const row = renderCostSection(hostile).at(-1)!
    expect(row).toMatch(/^\| ``a`b\\\|<!-- x --> @team`` \|/)
  })
})

describe('the values of a saved plan replace the static guesses', () => {
  it("a variable whose default is safe but whose planned value opens SSH is reported, saying it comes from the plan", async () => {
    const main = 'resource "aws_security_group" "bastion" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.ssh_cidr]\n  }\n}\n'
    const vars = 'variable "ssh_cidr" {\n  type    = string\n  default = "10.0.0.0/8"\n}\n'
    const files: SourceFile[] = [
      { path: 'infra/main.tf', kind: 'terraform', content: main },
      { path: 'infra/variables.tf', kind: 'terraform', content: vars }
    ]
    const plan = JSON.stringify({ format_version: '1.2', variables: { ssh_cidr: { value: '0.0.0.0/0' } }, resource_changes: [] })
    const without = await analyzeFiles(files)
    expect(without.findings.some((f) => f.ruleId === 'tf/aws-sg-open-ssh')).toBe(false)
    const { planVariablesFile } = await import('../src/import/tfplan.js')
    const context = planVariablesFile(plan, files)!
    expect(context).toMatchObject({ path: 'infra/terraform-plan.auto.tfvars.json', contextOnly: true })
    const withPlan = await analyzeFiles([...files, context])
    const ssh = withPlan.findings.find((f) => f.ruleId === 'tf/aws-sg-open-ssh')!
    expect(ssh).toMatchObject({ path: 'infra/main.tf', line: 6, via: 'terraform plan' })
    expect(ssh.message).toContain('in the Terraform plan')
    // The context file itself is never reported on.
    expect(withPlan.findings.every((f) => !f.path.endsWith('terraform-plan.auto.tfvars.json'))).toBe(true)
  })
})
