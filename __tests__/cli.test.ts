/**
 * The CLI as users run it: the committed bundle `dist/cli.js` in a child process.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const CLI = resolve('dist/cli.js')
const SEEDS = resolve('../shared/seeds')

function cli(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('preflight agents', () => {
  it('lists the five bundled personas with aliases, triggers and checklists', () => {
    const r = cli(['agents', '--format', 'json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { agents: { name: string; aliases: string[]; triggers: { keywords: string[] }; checklist: unknown[]; source: string }[] }
    expect(out.agents.map((a) => a.name).sort()).toEqual(['devops-engineer', 'devops-sre-platform', 'infra-architect', 'infrastructure-reliability-engineer', 'infrastructure-scale-surgeon'])
    const byAlias = (alias: string) => out.agents.find((a) => a.aliases.includes(alias))
    expect(byAlias('sre')?.name).toBe('devops-sre-platform')
    expect(byAlias('architect')?.name).toBe('infra-architect')
    expect(byAlias('scale')?.name).toBe('infrastructure-scale-surgeon')
    expect(byAlias('sre')?.checklist).toHaveLength(11)
    for (const a of out.agents) {
      expect(a.triggers.keywords.length).toBeGreaterThan(0)
      expect(a.source).toMatch(/^agents\/.+\.md$/)
    }
  })

  it('loads the five real-world seed files unchanged, each with its source and a usable slug', () => {
    const r = cli(['agents', '--agents-dir', SEEDS, '--format', 'json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { agents: { name: string; displayName: string; source: string; origin: string; replaces?: string; checklist: unknown[] }[]; warnings: string[] }
    const repo = out.agents.filter((a) => a.origin === 'repository')
    expect(repo).toHaveLength(5)
    for (const a of repo) {
      expect(a.source).toMatch(/\.md$/)
      expect(a.checklist.length).toBeGreaterThan(0)
    }
    const surgeon = repo.find((a) => a.displayName === 'Infrastructure "Scale Surgeon"')
    expect(surgeon?.name).toBe('infrastructure-scale-surgeon')
    // Same names as bundled ones: the repository file replaces the bundled persona, and says so.
    expect(repo.find((a) => a.name === 'devops-sre-platform')?.replaces).toBe('devops-sre-platform')
    expect(out.warnings.some((w) => /replaces the bundled/i.test(w) || /replac/i.test(w))).toBe(true)
    expect(out.warnings.some((w) => /YAML/i.test(w))).toBe(true)
  })
})

describe('preflight scan', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'preflight-scan-'))
    mkdirSync(join(dir, 'infra'))
    writeFileSync(join(dir, 'infra/sg.tf'), 'resource "aws_security_group" "ssh" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n')
    writeFileSync(join(dir, 'infra/broken.tf'), 'resource "aws_s3_bucket" "b" {\n  bucket = \n')
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:latest\nRUN apk add curl\n')
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0, 255]))
    writeFileSync(join(dir, 'infra/plan.tfvars'), Buffer.from([0, 1, 2, 3, 0, 255]))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('prints the JSON contract with findings, files and stats, and notes for bad files', () => {
    const r = cli(['scan', dir, '--format', 'json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string; path: string; line: number; category: string; severity: string }[]; files: { path: string; kind: string }[]; stats: { files: number; ms: number }; notes: { path: string; reason: string }[] }
    expect(out.files).toEqual(expect.arrayContaining([{ path: 'infra/sg.tf', kind: 'terraform' }, { path: 'Dockerfile', kind: 'dockerfile' }]))
    expect(out.stats.files).toBe(out.files.length)
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'tf/aws-sg-open-ssh', path: 'infra/sg.tf', category: 'security' }))
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'dockerfile/base-image-latest', path: 'Dockerfile', line: 1 }))
    expect(out.notes).toContainEqual(expect.objectContaining({ path: 'infra/broken.tf', reason: 'parse' }))
    // A binary file is noted where infrastructure could be, and only counted elsewhere.
    expect(out.notes).toContainEqual(expect.objectContaining({ path: 'infra/plan.tfvars', reason: 'binary' }))
    expect(out.notes).not.toContainEqual(expect.objectContaining({ path: 'blob.bin' }))
    expect(out.files).toContainEqual({ path: 'blob.bin', kind: 'other' })
    expect((out.stats as { binary?: number }).binary).toBe(1)
    expect(r.stderr).toContain('infra/broken.tf')
    expect(r.stderr).toContain('note: 1 binary file (images, archives, compiled code and the like) listed, not analyzed')
  })

  it('exits 1 when --fail-on is met and 0 when it is not', () => {
    expect(cli(['scan', dir, '--fail-on', 'high']).code).toBe(1)
    expect(cli(['scan', join(dir, 'Dockerfile'), '--fail-on', 'critical']).code).toBe(0)
  })

  it('prints SARIF 2.1.0', () => {
    const r = cli(['scan', dir, '--format', 'sarif'])
    const sarif = JSON.parse(r.stdout) as { version: string; runs: { results: unknown[] }[] }
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0].results.length).toBeGreaterThan(0)
  })

  it('exits 2 on bad usage, naming the problem', () => {
    const r = cli(['scan', dir, '--format', 'xml'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("--format must be one of json, markdown, sarif, got 'xml'")
    expect(cli(['frobnicate']).code).toBe(2)
    expect(cli(['scan', join(dir, 'missing')]).stderr).toMatch(/cannot read .*missing/)
  })
})

describe('preflight review on the bundled example', () => {
  it('produces findings, comments on commentable lines, a checklist and a plan — without leaking the secret', () => {
    const r = spawnSync(process.execPath, ['scripts/example.mjs', '--json'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as {
      verdict: string
      agents: { name: string; reason: string }[]
      findings: { ruleId: string; path: string; line: number }[]
      comments: { path: string; line: number; body: string }[]
      checklist: { agent: string; status: string }[]
      plan: string
      usage: { inputTokens: number; costUsd: number }
    }
    expect(out.verdict).toBe('fail')
    expect(out.agents.length).toBe(2)
    expect(out.agents[0].reason).toMatch(/changed: /)
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'tf/aws-sg-open-ssh', path: 'infra/main.tf' }))
    expect(out.comments.some((c) => c.path === '.github/workflows/deploy.yml' && c.body.includes('template-injection'))).toBe(true)
    expect(out.checklist.some((c) => c.status === 'fail')).toBe(true)
    expect(out.plan).toContain('## Rollback plan')
    expect(out.plan).toContain('## Steps')
    expect(out.usage).toEqual(expect.objectContaining({ inputTokens: 0, costUsd: 0 }))
    expect(r.stdout).not.toContain('Sup3rS3cretOrders!')
    expect(r.stdout).not.toContain('orders-db-pass-2024')
  })
})

describe('the bundle on its own', () => {
  it('runs from a folder with no node_modules anywhere above it (wasm and personas found beside dist/)', () => {
    const root = mkdtempSync(join(tmpdir(), 'preflight-standalone-'))
    try {
      cpSync('dist', join(root, 'dist'), { recursive: true })
      cpSync('agents', join(root, 'agents'), { recursive: true })
      cpSync('action.yml', join(root, 'action.yml'))
      writeFileSync(join(root, 'sg.tf'), 'resource "aws_security_group" "s" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n')
      const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'scan', join(root, 'sg.tf'), '--format', 'json'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH } })
      expect(r.status).toBe(0)
      const out = JSON.parse(r.stdout) as { findings: { ruleId: string }[]; notes: unknown[] }
      expect(out.notes).toEqual([])
      expect(out.findings.map((f) => f.ruleId)).toContain('tf/aws-sg-open-ssh')
      const agents = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'agents', '--format', 'json'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH } })
      expect((JSON.parse(agents.stdout) as { agents: unknown[] }).agents).toHaveLength(5)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})

describe('scan and the repository of the folder', () => {
  it("takes the origin remote's owner, so the owner's own actions are not third-party code", () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-owner-'))
    try {
      mkdirSync(join(dir, '.github', 'workflows'), { recursive: true })
      const wf = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: octo-org/setup-tool@v1\n      - uses: other-org/deploy@v2\n'
      writeFileSync(join(dir, '.github', 'workflows', 'ci.yml'), wf)
      const pins = (): string[] => {
        const r = cli(['scan', dir, '--format', 'json'])
        return (JSON.parse(r.stdout) as { findings: { ruleId: string; line: number }[] }).findings.filter((f) => f.ruleId.startsWith('workflow/unpinned')).map((f) => `${f.ruleId}@${f.line}`)
      }
      expect(pins()).toEqual(['workflow/unpinned-action@6', 'workflow/unpinned-action@7'])
      spawnSync('git', ['init', '-q'], { cwd: dir })
      spawnSync('git', ['remote', 'add', 'origin', 'https://github.com/octo-org/app.git'], { cwd: dir })
      expect(pins()).toEqual(['workflow/unpinned-same-owner@6', 'workflow/unpinned-action@7'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
