/**
 * The no-op path (an event Preflight does not handle). It speaks the runner's file-command
 * protocol directly instead of loading @actions/core, whose HTTP client is most of the start-up
 * time, so an ignored event finishes in well under the runner's notice.
 */
import { appendFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'

function escapeCommand(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

export function reportSkip(reason: string, env: Record<string, string | undefined>, write: (text: string) => void): void {
  write(`::notice::${escapeCommand(`Preflight: ${reason}`)}\n`)
  const outputs: Record<string, string> = { verdict: 'skipped', findings: '0', agents: '', 'cost-usd': '0' }
  if (env.GITHUB_OUTPUT) {
    const delimiter = `preflight_${randomUUID()}`
    appendFileSync(env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}<<${delimiter}\n${v}\n${delimiter}\n`).join(''))
  }
}
