/**
 * What the bundled CLI loads (`npm run bundle` first): each verb loads only the code it uses, so
 * `--version` answers without the rules, a local scan without Octokit or the model SDKs, and a
 * review without a model key without the SDKs. A module loader hook lists every file Node loads;
 * the test reads those files for strings only the heavy libraries contain.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

let dir: string
let register: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-startup-'))
  const hook = join(dir, 'hook.mjs')
  writeFileSync(hook, "export async function load(url, context, next) {\n  if (url.startsWith('file:')) process.stderr.write('LOADED ' + url + '\\n')\n  return next(url, context)\n}\n")
  register = join(dir, 'register.mjs')
  writeFileSync(register, `import { register } from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hook).href)})\n`)
  writeFileSync(join(dir, 'main.tf'), 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')
  writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20\nRUN npm ci\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** For each marker, the files the CLI loaded for these arguments that contain it. */
function loadedWith(args: string[], markers: string[]): Record<string, string[]> {
  const r = spawnSync(process.execPath, ['--import', register, resolve('dist/cli.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME }
  })
  const files = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => fileURLToPath(l.slice('LOADED '.length)))
  expect(files.length).toBeGreaterThan(0)
  const texts = files.map((f) => [basename(f), readFileSync(f, 'utf8')] as const)
  return Object.fromEntries(markers.map((m) => [m, texts.filter(([, text]) => text.includes(m)).map(([name]) => name)]))
}

// Strings each library carries in the bundle (minification keeps string literals).
const RULES = 'PREFLIGHT_THREADS'
const OCTOKIT = 'octokit-core.js'
const MODEL_SDK = 'anthropic-version'

describe('the CLI loads what a verb needs', () => {
  it('answers --version without the rules, Octokit or the model SDKs', () => {
    expect(loadedWith(['--version'], [RULES, OCTOKIT, MODEL_SDK])).toEqual({ [RULES]: [], [OCTOKIT]: [], [MODEL_SDK]: [] })
  })

  it('scans without Octokit or the model SDKs', () => {
    const loaded = loadedWith(['scan', dir, '--format', 'json'], [RULES, OCTOKIT, MODEL_SDK])
    expect(loaded[RULES]!.length).toBeGreaterThan(0)
    expect(loaded[OCTOKIT]).toEqual([])
    expect(loaded[MODEL_SDK]).toEqual([])
  })

  it('reviews without a model key without loading the model SDKs', () => {
    const repo = join(dir, 'repo')
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' })
    execFileSync('git', ['init', '-q', repo])
    writeFileSync(join(repo, 'Dockerfile'), 'FROM node:20\n')
    git('add', '.')
    git('commit', '-qm', 'base')
    writeFileSync(join(repo, 'Dockerfile'), 'FROM node:latest\n')
    git('commit', '-qam', 'head')
    const loaded = loadedWith(['review', '--repo', repo, '--base', 'HEAD~1', '--format', 'json'], [RULES, MODEL_SDK])
    expect(loaded[RULES]!.length).toBeGreaterThan(0)
    expect(loaded[MODEL_SDK]).toEqual([])
  })
})

describe('the compiled CLI is kept between runs where Node can', () => {
  // Node 24 in CI (PREFLIGHT_TEST_NODE), the test's own Node otherwise: Node 20 has no compile cache.
  const node = process.env.PREFLIGHT_TEST_NODE ?? process.execPath

  it("writes a compile cache in the user's cache folder when Node offers one, and nothing when it does not", () => {
    const tmp = mkdtempSync(join(tmpdir(), 'preflight-ccache-'))
    try {
      const offers = execFileSync(node, ['-p', "typeof require('node:module').enableCompileCache"], { encoding: 'utf8' }).trim() === 'function'
      const run = () =>
        spawnSync(node, [resolve('dist/cli.js'), 'scan', dir, '--format', 'json'], {
          cwd: dir,
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: join(tmp, 'home'), TMPDIR: join(tmp, 'tmp') }
        })
      const first = run()
      expect(first.status).toBe(0)
      expect(JSON.parse(first.stdout).findings.length).toBeGreaterThan(0)
      mkdirSync(join(tmp, 'tmp'))
      const cache = join(tmp, 'home', '.cache', 'preflight', 'compile-cache')
      const cached = existsSync(cache) ? readdirSync(cache, { recursive: true }).length : 0
      if (offers) expect(cached).toBeGreaterThan(0)
      else expect(cached).toBe(0)
      // Nothing in the shared temp folder.
      expect(readdirSync(join(tmp, 'tmp'))).toEqual([])
      // A second run reads the cache and reports the same findings.
      const second = run()
      expect(second.status).toBe(first.status)
      expect(JSON.parse(second.stdout).findings).toEqual(JSON.parse(first.stdout).findings)
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })
})
