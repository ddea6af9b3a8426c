/** The `/agent` comment command. (Filled in by the command work.) */
import type { Config } from '../config.js'
import type { RunContext } from './event.js'
import type { ActionIo } from './action-io.js'

export async function runCommandMode(_config: Config, _ctx: RunContext, io: ActionIo): Promise<void> {
  io.notice('Preflight: the /agent command is not available yet')
  io.setOutput('verdict', 'skipped')
}
