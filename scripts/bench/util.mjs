// Small helpers shared by the benchmark parts: child processes timed with their peak memory,
// medians, the machine description and number formatting.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { cpus, totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'

const TIME = '/usr/bin/time'

/**
 * Runs a command and answers its wall time, exit code, output and peak resident memory (from
 * GNU time's maximum RSS, which covers the process itself; null where /usr/bin/time is missing).
 */
export async function timed(command, args, { env, cwd, input, timeoutMs } = {}) {
  const rssDir = mkdtempSync(join(tmpdir(), 'preflight-bench-rss-'))
  const rssFile = join(rssDir, 'rss')
  const withTime = existsSync(TIME)
  // User and system CPU seconds too: on a shared machine CPU time moves less with the load than wall time.
  const [cmd, argv] = withTime ? [TIME, ['-f', '%U %S %M', '-o', rssFile, command, ...args]] : [command, args]
  const started = performance.now()
  // Its own process group, so a timeout stops the command and not only /usr/bin/time.
  const child = spawn(cmd, argv, { env: env ?? process.env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
  let timedOut = false
  const timer = timeoutMs
    ? setTimeout(() => {
        timedOut = true
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {
          child.kill('SIGKILL')
        }
      }, timeoutMs)
    : undefined
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
  child.stdin.end(input ?? '')
  const code = await new Promise((done) => child.on('close', (c) => done(c)))
  const ms = performance.now() - started
  clearTimeout(timer)
  let maxRssMb = null
  let cpuMs = null
  if (withTime && existsSync(rssFile)) {
    const [user, system, kb] = readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number)
    if (Number.isFinite(kb)) maxRssMb = kb / 1024
    if (Number.isFinite(user) && Number.isFinite(system)) cpuMs = (user + system) * 1000
  }
  rmSync(rssDir, { recursive: true, force: true })
  return { ms, code, stdout, stderr, maxRssMb: timedOut ? null : maxRssMb, cpuMs: timedOut ? null : cpuMs, timedOut }
}

export function median(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b)
  if (xs.length === 0) return null
  const mid = Math.floor(xs.length / 2)
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2
}

/** Runs `once` n times in a row and answers every result, for medians of each field. */
export async function repeat(n, once) {
  const runs = []
  for (let i = 0; i < n; i++) runs.push(await once(i))
  return runs
}

export const medianOf = (runs, field) => median(runs.map((r) => r[field]))

export function machine() {
  const list = cpus()
  return {
    cores: list.length,
    cpu: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString()
  }
}

/** Total size of the files under a folder, in bytes. */
export function folderBytes(dir) {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size
  }
  return total
}

export const round = (x, digits = 0) => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits)
export const fmt = (x, digits = 0, unit = '') => (x === null || x === undefined ? '—' : `${round(x, digits).toLocaleString('en-US')}${unit}`)
export const ratioOf = (a, b) => (a === null || b === null || !b ? null : a / b)
