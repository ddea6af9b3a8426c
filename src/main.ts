/**
 * run(): inputs parsed once, the event decided, one mode run. Errors surface here and only
 * here; modes throw, they never exit.
 */
import { inputsFromEnv, parseConfig } from './config.js'
import { decideMode, readRunContext } from './modes/event.js'
import { reportSkip } from './modes/skip.js'

/**
 * The runner sends SIGTERM when a run is cancelled (a newer push, the concurrency group): stop at
 * once so no further write is made, and say so. A write already sent is whole (GitHub applies
 * each request completely or not at all), so the summary is the old one or the new one.
 */
function stopOnCancel(): void {
  process.once('SIGTERM', () => {
    process.stdout.write('::error::Preflight: cancelled (SIGTERM); no further changes were made to the pull request\n', () => {
      // Listener removed by once(): the signal's default action ends the process, non-zero.
      process.kill(process.pid, 'SIGTERM')
    })
  })
}

export async function run(): Promise<void> {
  stopOnCancel()
  try {
    const config = parseConfig(inputsFromEnv(process.env))
    const ctx = readRunContext(process.env)
    const decision = decideMode(ctx.eventName, ctx.payload, config.mode, config.reviewDrafts)
    if (decision.run === 'skip') {
      reportSkip(decision.reason, process.env, (t) => process.stdout.write(t))
      return
    }
    const core = await import('@actions/core')
    if (config.githubToken) core.setSecret(config.githubToken)
    if (config.anthropicApiKey) core.setSecret(config.anthropicApiKey)
    const { coreIo } = await import('./modes/action-io.js')
    switch (decision.run) {
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
      case 'post': {
        const { runPostMode } = await import('./modes/post.js')
        await runPostMode(config, ctx, coreIo)
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
    const core = await import('@actions/core')
    core.setFailed(`Preflight: ${err.message}`)
    if (err.stack) core.debug(err.stack)
  }
}
