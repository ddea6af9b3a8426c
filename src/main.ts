/**
 * run(): inputs parsed once, the event decided, one mode run. Errors surface here and only
 * here; modes throw, they never exit.
 */
import * as core from '@actions/core'
import { parseConfig } from './config.js'
import { decideMode, readRunContext } from './modes/event.js'
import { coreIo } from './modes/action-io.js'

export async function run(): Promise<void> {
  try {
    const config = parseConfig((name) => core.getInput(name))
    if (config.githubToken) core.setSecret(config.githubToken)
    if (config.anthropicApiKey) core.setSecret(config.anthropicApiKey)
    const ctx = readRunContext(process.env)
    const decision = decideMode(ctx.eventName, ctx.payload, config.mode, config.reviewDrafts)
    switch (decision.run) {
      case 'skip':
        core.notice(`Preflight: ${decision.reason}`)
        core.setOutput('verdict', 'skipped')
        core.setOutput('findings', '0')
        core.setOutput('agents', '')
        core.setOutput('cost-usd', '0')
        return
      case 'review': {
        const { runReviewMode } = await import('./modes/review.js')
        await runReviewMode(config, ctx, decision.pullNumber, coreIo)
        return
      }
      case 'command': {
        const { runCommandMode } = await import('./modes/command.js')
        await runCommandMode(config, ctx, coreIo)
        return
      }
      case 'audit':
      case 'audit-merge': {
        const { runAuditMode } = await import('./modes/audit.js')
        await runAuditMode(config, ctx, coreIo, decision.run === 'audit-merge')
        return
      }
    }
  } catch (e) {
    const err = e as Error
    core.setFailed(`Preflight: ${err.message}`)
    if (err.stack) core.debug(err.stack)
  }
}
