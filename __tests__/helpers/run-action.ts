/**
 * Runs the bundled action the way the Actions runner does: `node dist/index.js` with the event
 * payload in a file, inputs as `INPUT_*` variables, and output/summary files to read back.
 * Asynchronous on purpose: the fake GitHub server lives in the test's own process.
 */
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, mkdtempSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export interface RunActionOptions {
  /** `pull_request`, `issue_comment`, `schedule`, … */
  event: string
  payload: Record<string, unknown>
  /** Action inputs by their action.yml name (`github-token`, `fail-on`, …). */
  inputs?: Record<string, string>
  /** Extra environment (e.g. `GITHUB_API_URL: fake.url`, `GITHUB_REPOSITORY`). */
  env?: Record<string, string>
  /** Checked-out repository (kept afterwards, for assertions); a throw-away empty folder by default. */
  workspace?: string
  distPath?: string
  /** Kill the process after this long. Default 60 s. */
  timeoutMs?: number
}

export interface RunActionResult {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

/** Parses the GITHUB_OUTPUT file: `name<<DELIM\nvalue\nDELIM` blocks and plain `name=value` lines. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i])
      outputs[name] = value.join('\n')
      continue
    }
    const eq = lines[i].indexOf('=')
    if (eq > 0) outputs[lines[i].slice(0, eq)] = lines[i].slice(eq + 1)
  }
  return outputs
}

/** The runner's name for an input variable: upper case, spaces to `_`, dashes kept. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/** The parent's environment minus everything that could leak into the action under test. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(GITHUB_|ANTHROPIC_|INPUT_|RUNNER_|ACTIONS_|NODE_OPTIONS$|JEST_)/.test(k)) continue
    env[k] = v
  }
  return env
}

export async function runAction(options: RunActionOptions): Promise<RunActionResult> {
  const temp = await mkdtemp(join(tmpdir(), 'preflight-run-'))
  const workspace = options.workspace ?? (await mkdtemp(join(temp, 'ws-')))
  const eventPath = join(temp, 'event.json')
  const outputPath = join(temp, 'output.txt')
  const summaryPath = join(temp, 'summary.md')
  await Promise.all([writeFile(eventPath, JSON.stringify(options.payload)), writeFile(outputPath, ''), writeFile(summaryPath, '')])

  const env: Record<string, string> = {
    ...cleanEnv(),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.invalid',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_SHA: '0'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    RUNNER_TEMP: temp,
    ...Object.fromEntries(Object.entries(options.inputs ?? {}).map(([k, v]) => [inputVariable(k), v])),
    ...options.env
  }

  // PREFLIGHT_TEST_NODE runs the action on another Node (CI: the node24 of action.yml).
  const node = process.env.PREFLIGHT_TEST_NODE || process.execPath
  const child = spawn(node, [resolve(options.distPath ?? 'dist/index.js')], { env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)))
  clearTimeout(timer)

  const [outputText, summary] = await Promise.all([readFile(outputPath, 'utf8'), readFile(summaryPath, 'utf8')])
  await rm(temp, { recursive: true, force: true })
  return { code, stdout, stderr, outputs: parseOutputFile(outputText), summary }
}

/**
 * Builds the action the way it is published — `action.yml` and `agents/` beside a freshly bundled
 * `dist/` — into a new temp folder, and returns that folder (its `dist/index.js` is what
 * `runAction` runs). Remove it with `rmSync(root, { recursive: true, force: true })`.
 */
export function buildPublishedAction(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), prefix))
  cpSync('action.yml', join(root, 'action.yml'))
  cpSync('agents', join(root, 'agents'), { recursive: true })
  execFileSync(process.execPath, ['scripts/bundle.mjs', '--outdir', join(root, 'dist')], { stdio: 'pipe' })
  return root
}
