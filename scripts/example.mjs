// Runs `preflight review` on the bundled example: builds a throwaway git repository from
// examples/sample/base (first commit) and examples/sample/head (second commit), then reviews
// base...head with the committed CLI bundle. No key, no network.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
const sample = join(root, 'examples/sample')
const repo = mkdtempSync(join(tmpdir(), 'preflight-example-'))
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe' })
try {
  git('init', '-q', '-b', 'main')
  git('config', 'user.name', 'Example'); git('config', 'user.email', 'example@example.invalid'); git('config', 'commit.gpgsign', 'false')
  cpSync(join(sample, 'base'), repo, { recursive: true })
  git('add', '-A'); git('commit', '-q', '-m', 'Shop infrastructure'); git('tag', 'base')
  rmSync(join(repo, 'infra'), { recursive: true }); rmSync(join(repo, 'k8s'), { recursive: true }); rmSync(join(repo, '.github'), { recursive: true })
  cpSync(join(sample, 'head'), repo, { recursive: true })
  const message = readFileSync(join(sample, 'PR.md'), 'utf8')
  git('add', '-A'); git('commit', '-q', '-m', message); git('tag', 'head')
  const format = process.argv.includes('--json') ? 'json' : 'markdown'
  const planOut = join(repo, 'plan.md')
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'review', '--repo', repo, '--base', 'base', '--head', 'head', '--format', format, '--plan-out', planOut], { stdio: 'inherit', env: { ...process.env, ANTHROPIC_API_KEY: '' } })
  process.exitCode = r.status ?? 1
} finally {
  rmSync(repo, { recursive: true, force: true })
}
