/** The scheduled cost audit. (Filled in by the cost audit work.) */
import type { Config } from '../config.js'
import type { RunContext } from './event.js'
import type { ActionIo } from './action-io.js'

export async function runAuditMode(_config: Config, _ctx: RunContext, io: ActionIo, _merge: boolean): Promise<void> {
  io.notice('Preflight: the cost audit is not available yet')
  io.setOutput('verdict', 'skipped')
}
