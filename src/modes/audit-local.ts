/** `preflight audit`. (Filled in by the cost audit work.) */
import type { CliIo } from '../cli/io.js'

export async function runAudit(_args: string[], _values: Record<string, unknown>, io: CliIo): Promise<number> {
  io.stderr('preflight: audit is not implemented yet\n')
  return 2
}
