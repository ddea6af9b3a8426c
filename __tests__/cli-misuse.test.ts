/**
 * The CLI as a new user meets it (the bundled dist/cli.js in a child process): every misuse is
 * one line on stderr that names the fix, a non-zero exit (2 for usage), and no stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { FakeAnthropic } from './helpers/fake-anthropic.js'
import { main } from '../src/cli/main.js'

const CLI = resolve('dist/cli.js')
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version

function cli(args: string[], env: Record<string, string> = {}, cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Exactly one line on stderr, no stack frame. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  return lines[0]!
}

let root: string
let repo: string
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe', encoding: 'utf8' })

function initRepo(dir: string): void {
  mkdirSync(dir, { recursive: true })
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'config', 'user.name', 'T')
  git(dir, 'config', 'user.email', 't@example.invalid')
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'preflight-misuse-'))
  repo = join(root, 'repo')
  initRepo(repo)
  writeFileSync(join(repo, 'README.md'), '# app\n')
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', 'init')
  writeFileSync(join(repo, 'Dockerfile'), 'FROM alpine:latest\nUSER app\n')
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', 'Add a Dockerfile')
})

afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('usage errors: exit 2, one line naming the fix', () => {
  it('an unknown persona lists the known ones', () => {
    const r = cli(['review', '--repo', repo, '--base', 'HEAD~1', '--agents', 'nosuch'])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/^preflight: no persona named 'nosuch'; known: .*devops-sre-platform \(.*sre/)
    const close = cli(['route', '--repo', repo, '--base', 'HEAD~1', '--agents', 'sree'])
    expect(oneLine(close.stderr)).toMatch(/did you mean sre\?/)
  })

  it('a missing --agents-dir', () => {
    const r = cli(['review', '--repo', repo, '--base', 'HEAD~1', '--agents-dir', 'no/such/dir'])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toBe('preflight: --agents-dir no/such/dir: no such folder at HEAD~1')
    const agents = cli(['agents', '--agents-dir', join(root, 'nope')])
    expect(agents.code).toBe(2)
    expect(oneLine(agents.stderr)).toMatch(/--agents-dir .*nope: no such folder/)
  })

  it('a flag the verb does not take names the verbs that do', () => {
    const r = cli(['scan', repo, '--plan-out', 'x.md'])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toBe("preflight: --plan-out is not an option of 'scan' (only review takes it); see preflight scan --help")
    expect(oneLine(cli(['agents', '--fail-on', 'high']).stderr)).toContain('only scan, review, audit take it')
  })

  it('an unknown option or command suggests the closest', () => {
    expect(oneLine(cli(['scan', repo, '--formt', 'json']).stderr)).toBe('preflight: unknown option --formt (did you mean --format?); see preflight --help')
    const r = cli(['sacn', repo])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/unknown command 'sacn' \(did you mean scan\?\)/)
  })

  it('a bad ref', () => {
    const r = cli(['review', '--repo', repo, '--base', 'nosuch'])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/^preflight: unknown git ref 'nosuch' in .*; give a branch, tag or commit that exists/)
  })

  it('an empty repository', () => {
    const empty = join(root, 'empty')
    initRepo(empty)
    const r = cli(['review', '--repo', empty, '--base', 'main'])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/has no commits yet; commit the files first/)
  })

  it('a shallow clone hints at fetch-depth: 0', () => {
    const shallow = join(root, 'shallow')
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo}`, shallow], { stdio: 'pipe' })
    const r = cli(['review', '--repo', shallow, '--base', 'HEAD~1'])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/the clone is shallow: .*fetch-depth: 0/)
  })

  it('not a git repository, a missing --base', () => {
    expect(oneLine(cli(['review', '--repo', root, '--base', 'main']).stderr)).toMatch(/is not a git repository/)
    const r = cli(['review', '--repo', repo])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/--base REF is required/)
  })

  it('--model without a key, --model with --no-model, a bad --max-cost-usd', () => {
    expect(oneLine(cli(['review', '--repo', repo, '--base', 'HEAD~1', '--model', 'opus']).stderr)).toMatch(/--model opus needs ANTHROPIC_API_KEY/)
    expect(oneLine(cli(['review', '--repo', repo, '--base', 'HEAD~1', '--model', 'opus', '--no-model']).stderr)).toMatch(/contradict/)
    const r = cli(['review', '--repo', repo, '--base', 'HEAD~1', '--max-cost-usd', 'lots'])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/--max-cost-usd must be a number/)
  })
})

describe('output and version', () => {
  it('--version prints the package version', () => {
    const r = cli(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(VERSION)
  })

  it('JSON when piped, text on a terminal, --format wins', async () => {
    expect(() => JSON.parse(cli(['scan', repo]).stdout) as unknown).not.toThrow()
    expect(cli(['scan', repo, '--format', 'markdown']).stdout).toMatch(/^# Preflight scan/)
    let out = ''
    const io = { stdout: (t: string) => (out += t), stderr: () => undefined, env: {}, cwd: process.cwd(), stdoutIsTTY: true }
    expect(await main(['scan', repo], io)).toBe(0)
    expect(out).toMatch(/^# Preflight scan/)
    out = ''
    expect(await main(['scan', repo, '--format', 'json'], io)).toBe(0)
    expect(() => JSON.parse(out) as unknown).not.toThrow()
  })

  it('a reader that stops early (`| head`) ends the scan quietly, with its own exit code', async () => {
    // Enough findings to fill the pipe's buffer many times over, so writes go on after the reader left.
    const big = mkdtempSync(join(tmpdir(), 'preflight-pipe-'))
    for (let i = 0; i < 150; i++) writeFileSync(join(big, `Dockerfile.svc${i}`), 'FROM ubuntu:latest\nUSER root\nRUN apt-get install -y curl\nADD . /app\n')
    try {
      const { code, stderr, first } = await new Promise<{ code: number | null; stderr: string; first: string }>((done) => {
        const child = spawn(process.execPath, [CLI, 'scan', big, '--format', 'json'], { env: { PATH: process.env.PATH, HOME: process.env.HOME } })
        let stderr = ''
        let first = ''
        child.stderr.on('data', (d) => (stderr += d))
        child.stdout.once('data', (d) => {
          first = String(d)
          child.stdout.destroy()
        })
        child.on('close', (code) => done({ code, stderr, first }))
      })
      expect(first).toMatch(/^\{/)
      expect(stderr).toBe('')
      expect(code).toBe(0)
    } finally {
      rmSync(big, { recursive: true, force: true })
    }
  })

  it('help lists which verbs take which flags', () => {
    const r = cli(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/--plan-out FILE +.*\[review\]/)
    expect(r.stdout).toMatch(/--no-model +.*\[review\]/)
    expect(r.stdout).toMatch(/preflight baseline/)
  })
})

describe('the model', () => {
  let model: FakeAnthropic
  beforeAll(async () => (model = await FakeAnthropic.start()))
  afterAll(async () => model?.close())

  function review(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [CLI, 'review', '--repo', repo, '--base', 'HEAD~1', '--agents', 'sre', '--format', 'json', ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d) => (stdout += d))
      child.stderr.on('data', (d) => (stderr += d))
      child.on('close', (code) => done({ code, stdout, stderr }))
    })
  }

  it('a rejected key is one line on stderr; the rules review still comes out', async () => {
    model.reset()
    model.countTokens = { status: 401 }
    model.fallback = { kind: 'status', status: 401, type: 'authentication_error', message: 'invalid x-api-key' }
    const r = await review([], { ANTHROPIC_API_KEY: 'sk-ant-wrong', ANTHROPIC_BASE_URL: model.url })
    expect(r.code).toBe(0)
    expect(oneLine(r.stderr)).toMatch(/^preflight: model error \(devops-sre-platform\): .*401/)
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0)
  })

  it('--no-model makes no call even with a key in the environment', async () => {
    model.reset()
    const r = await review(['--no-model'], { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: model.url })
    expect(r.code).toBe(0)
    expect(model.requests).toHaveLength(0)
    expect((JSON.parse(r.stdout) as { usage: { costUsd: number } }).usage.costUsd).toBe(0)
  })
})
