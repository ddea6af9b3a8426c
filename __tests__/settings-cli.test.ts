/**
 * Settings, suppressions and the baseline through the bundled CLI: scan and audit read the
 * scanned folder's settings, review the repository's, and the baseline silences what was there.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const CLI = resolve('dist/cli.js')

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

interface Out {
  findings: { ruleId: string; path: string; severity: string }[]
  suppressed: { ruleId: string; path: string; suppressed: { by: string; reason?: string; selfAdded?: boolean } }[]
}

const SG = 'resource "aws_security_group" "ssh" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-settings-cli-'))
  mkdirSync(join(dir, '.github'))
  mkdirSync(join(dir, 'infra'))
  writeFileSync(join(dir, 'infra/sg.tf'), SG)
  writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:latest\nUSER app\n')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('scan with a settings file', () => {
  it('applies rules and fail-on from the file; --fail-on wins over it', () => {
    writeFileSync(join(dir, '.github/preflight.yml'), 'rules:\n  "dockerfile/*": off\nfail-on: high\n')
    const r = cli(['scan', dir, '--format', 'json'])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as Out
    expect(out.findings.some((f) => f.path === 'Dockerfile')).toBe(false)
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'tf/aws-sg-open-ssh' }))
    expect(cli(['scan', dir, '--fail-on', 'critical']).code).toBe(0)
  })

  it('an inline suppression moves the finding to suppressed, in JSON and in SARIF', () => {
    writeFileSync(join(dir, 'infra/sg.tf'), '# preflight:ignore tf/aws-sg-open-ssh -- bastion\n' + SG)
    writeFileSync(join(dir, '.preflight.yml'), 'fail-on: high\n')
    const r = cli(['scan', dir, '--format', 'json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as Out
    expect(out.suppressed).toEqual([expect.objectContaining({ ruleId: 'tf/aws-sg-open-ssh', suppressed: { by: 'preflight:ignore', reason: 'bastion', selfAdded: false } })])
    const sarif = JSON.parse(cli(['scan', dir, '--format', 'sarif']).stdout) as { runs: { results: { ruleId: string; suppressions?: { kind: string; justification?: string }[] }[] }[] }
    expect(sarif.runs[0]!.results.find((x) => x.ruleId === 'tf/aws-sg-open-ssh')?.suppressions).toEqual([{ kind: 'inSource', justification: 'bastion' }])
  })

  it('a bad gate value fails with file and line; an unknown key warns and the scan runs', () => {
    writeFileSync(join(dir, '.github/preflight.yml'), 'max-comments: 5\nfail-on: hihg\n')
    const bad = cli(['scan', dir])
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim()).toBe(`preflight: .github/preflight.yml:2: fail-on must be one of none, critical, high, medium, low, got "hihg"; did you mean 'high'?`)
    writeFileSync(join(dir, '.github/preflight.yml'), 'fail_on: high\n')
    const warned = cli(['scan', dir, '--format', 'json'])
    expect(warned.code).toBe(0)
    expect(warned.stderr).toContain(".github/preflight.yml:1: unknown key 'fail_on', ignored; did you mean 'fail-on'?")
  })

  it('audit honours the settings too', () => {
    writeFileSync(join(dir, '.github/preflight.yml'), 'rules:\n  tf/aws-sg-open-ssh: off\nfail-on: medium\n')
    writeFileSync(join(dir, 'Dockerfile'), '# preflight:ignore-file dockerfile/* -- example image\nFROM alpine:latest\nUSER app\n')
    const r = cli(['audit', dir, '--format', 'json'])
    const out = JSON.parse(r.stdout) as Out
    expect(out.findings.some((f) => f.ruleId === 'tf/aws-sg-open-ssh')).toBe(false)
    expect(out.suppressed.every((f) => f.path === 'Dockerfile')).toBe(true)
    expect(out.suppressed.length).toBeGreaterThan(0)
  })
})

describe('preflight baseline', () => {
  it('writes fingerprints; those findings are then suppressed by the baseline, and survive lines moving; new ones still fail', () => {
    const made = cli(['baseline', '--repo', dir])
    expect(made.code).toBe(0)
    expect(made.stderr).toMatch(/Wrote \d+ finding fingerprints to .*preflight-baseline.json/)
    const file = JSON.parse(readFileSync(join(dir, '.github/preflight-baseline.json'), 'utf8')) as { findings: { fingerprint: string; ruleId: string }[] }
    expect(file.findings.map((f) => f.ruleId)).toContain('tf/aws-sg-open-ssh')

    writeFileSync(join(dir, 'infra/sg.tf'), '# moved down by a comment\n\n' + SG)
    const after = cli(['scan', dir, '--format', 'json', '--fail-on', 'high'])
    expect(after.code).toBe(0)
    const out = JSON.parse(after.stdout) as Out
    expect(out.findings).toEqual([])
    expect(out.suppressed).toContainEqual(expect.objectContaining({ ruleId: 'tf/aws-sg-open-ssh', suppressed: expect.objectContaining({ by: 'baseline' }) }))

    writeFileSync(join(dir, 'infra/rdp.tf'), SG.replace(/22/g, '3389').replace('"ssh"', '"rdp"'))
    const fresh = cli(['scan', dir, '--format', 'json', '--fail-on', 'high'])
    expect(fresh.code).toBe(1)
    expect((JSON.parse(fresh.stdout) as Out).findings.map((f) => f.path)).toEqual(expect.arrayContaining(['infra/rdp.tf']))
  })

  it('--out writes elsewhere; a bad baseline file is one clear error', () => {
    expect(cli(['baseline', '--repo', dir, '--out', join(dir, 'b.json')]).code).toBe(0)
    expect(existsSync(join(dir, 'b.json'))).toBe(true)
    writeFileSync(join(dir, '.github/preflight-baseline.json'), '{ nope')
    const r = cli(['scan', dir])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^preflight: \.github\/preflight-baseline\.json: not valid JSON .*regenerate it with `preflight baseline`\n$/)
  })
})

describe('review: suppressions the change adds itself', () => {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' })

  it('cannot silence a high finding; can silence a low one, marked selfAdded', () => {
    git('init', '-q', '-b', 'main')
    git('config', 'user.name', 'T')
    git('config', 'user.email', 't@example.invalid')
    rmSync(join(dir, 'infra'), { recursive: true })
    rmSync(join(dir, 'Dockerfile'))
    writeFileSync(join(dir, 'README.md'), '# app\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'init')
    mkdirSync(join(dir, 'infra'))
    writeFileSync(join(dir, 'infra/sg.tf'), '# preflight:ignore tf/aws-sg-open-ssh -- trust me\n' + SG)
    writeFileSync(join(dir, 'Dockerfile'), '# preflight:ignore dockerfile/no-healthcheck -- a batch job\nFROM alpine:3.20\nUSER app\nCMD ["/app/batch"]\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'Open SSH')
    const r = cli(['review', '--repo', dir, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json', '--fail-on', 'high'])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as Out & { notes: string[] }
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'tf/aws-sg-open-ssh' }))
    expect(out.notes).toContain('infra/sg.tf:1: the preflight:ignore this pull request adds cannot silence tf/aws-sg-open-ssh (high); allow-self-suppress is medium')
    expect(out.suppressed).toContainEqual(expect.objectContaining({ ruleId: 'dockerfile/no-healthcheck', suppressed: { by: 'preflight:ignore', reason: 'a batch job', selfAdded: true } }))
  })
})
