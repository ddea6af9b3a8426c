/**
 * Renders a chart with `helm template`: the chart's files are written to a fresh temporary folder
 * (PR content never touches the working tree), then helm runs through `execFile` (no shell) with
 * a timeout and an output cap, without hooks, tests, cluster access or `dependency build`.
 * Chart content is untrusted: templates cannot run commands, and `lookup` sees no cluster.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface RenderOptions {
  /** Executable to run; `helm` from PATH by default. */
  helm?: string
  timeoutMs?: number
  maxOutputBytes?: number
}

export type RenderResult =
  | { ok: true; output: string }
  /** `missing-helm`: no executable; `missing-dependencies`: subcharts not vendored; `failed`: anything else. */
  | { ok: false; reason: 'missing-helm' | 'missing-dependencies' | 'failed'; message: string }

export const RENDER_TIMEOUT_MS = 30_000
export const RENDER_MAX_OUTPUT = 16 * 1024 * 1024

/** Chart-relative paths that could escape the temporary folder are refused. */
const SAFE_PATH = (p: string): boolean => p !== '' && !p.startsWith('/') && !p.split('/').some((s) => s === '..' || s === '')

export async function renderChart(files: { path: string; content: string }[], opts: RenderOptions = {}): Promise<RenderResult> {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-chart-'))
  try {
    const chartDir = join(dir, 'chart')
    for (const f of files) {
      if (!SAFE_PATH(f.path)) continue
      const target = join(chartDir, f.path)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, f.content)
    }
    const home = join(dir, 'home')
    await mkdir(home)
    // Helm's own config, cache and plugins point into the temporary folder: no repository
    // credentials, plugins or kube config of the runner are read.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_DATA_HOME: join(home, 'data'),
      HELM_PLUGINS: join(home, 'plugins'),
      KUBECONFIG: join(home, 'no-kubeconfig')
    }
    const args = ['template', 'preflight', chartDir, '--no-hooks', '--skip-tests', '--namespace', 'default']
    return await new Promise<RenderResult>((resolve) => {
      execFile(
        opts.helm ?? 'helm',
        args,
        { cwd: dir, env, timeout: opts.timeoutMs ?? RENDER_TIMEOUT_MS, maxBuffer: opts.maxOutputBytes ?? RENDER_MAX_OUTPUT, windowsHide: true, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (!err) return resolve({ ok: true, output: stdout })
          const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string }
          if (e.code === 'ENOENT') return resolve({ ok: false, reason: 'missing-helm', message: 'no `helm` executable on PATH' })
          const text = String(stderr || e.message).trim().split('\n').slice(-3).join(' ')
          if (/missing in charts\/ directory|found in Chart\.ya?ml, but missing|dependenc/i.test(text)) {
            return resolve({ ok: false, reason: 'missing-dependencies', message: `subcharts are not vendored (helm dependency build is not run): ${text.slice(0, 300)}` })
          }
          if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ ok: false, reason: 'failed', message: `rendered output larger than ${Math.round((opts.maxOutputBytes ?? RENDER_MAX_OUTPUT) / 1024 / 1024)} MiB` })
          if (e.killed || e.signal) return resolve({ ok: false, reason: 'failed', message: `helm template did not finish within ${Math.round((opts.timeoutMs ?? RENDER_TIMEOUT_MS) / 1000)} s` })
          resolve({ ok: false, reason: 'failed', message: `helm template failed: ${text.slice(0, 300)}` })
        }
      )
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
