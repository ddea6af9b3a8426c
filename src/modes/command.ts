/**
 * The `/agent` comment command (`issue_comment` on a pull request): the named persona reviews
 * the pull request and answers in the conversation. The comment body is data only: it is parsed
 * here, quoted inert in the reply, and reaches the model inside the untrusted block.
 */
import type { Config } from '../config.js'
import type { IssueCommentPayload, RunContext } from './event.js'
import type { ActionIo } from './action-io.js'
import { createGitHubClient, describeError, type GitHubClient } from '../github/client.js'
import { loadPullRequestChange } from '../github/pull-request.js'
import { alreadyReplied, authorizeCommenter, postReply, react, type Reaction, type ReplyKey } from '../github/command.js'
import { classifyFile } from '../changes/classify.js'
import { findPersona } from '../agents/loader.js'
import { parseAgentCommand, suggestPersona, type AgentCommand } from '../agents/command.js'
import { renderAnswerReply, renderFailureReply, renderHelpReply, renderRefusalReply, renderUnknownReply, type AnswerReplyInput } from '../render/command-reply.js'
import { redact, type Secrets } from '../redact.js'
import { NO_KEY_MESSAGE, finishReview, loadBasePersonas, reviewAndDeliver, type Reviewed } from './shared.js'

export type CommandTrigger =
  | { ignore: string }
  | { command: AgentCommand; commentId: number; pullNumber: number; login: string; association?: string }

/** True for GitHub Apps and the login our own comments are posted as. */
export function isBotAuthor(user: { login?: string; type?: string } | undefined, botLogin: string): boolean {
  const login = (user?.login ?? '').toLowerCase()
  return user?.type === 'Bot' || login.endsWith('[bot]') || login === botLogin.toLowerCase()
}

/** What the event asks for, or why it is ignored. Pure: makes no call. */
export function readCommandTrigger(payload: IssueCommentPayload, botLogin: string): CommandTrigger {
  if (payload.action !== 'created') return { ignore: `the /agent command runs on new comments only (this one was ${payload.action ?? 'of no action'})` }
  const issue = payload.issue
  if (!issue || !issue.pull_request) return { ignore: 'the comment is not on a pull request' }
  const comment = payload.comment
  if (!comment || typeof comment.id !== 'number') return { ignore: 'the event carries no comment' }
  const user = comment.user ?? payload.sender
  if (isBotAuthor(user, botLogin)) return { ignore: `comments by bots are ignored (${user?.login ?? 'unknown'})` }
  const command = parseAgentCommand(comment.body)
  if (!command) return { ignore: 'the comment holds no /agent command' }
  return { command, commentId: comment.id, pullNumber: issue.number, login: user?.login ?? '', association: comment.author_association }
}

function setSkippedOutputs(io: ActionIo): void {
  io.setOutput('verdict', 'skipped')
  io.setOutput('findings', 0)
  io.setOutput('agents', '')
  io.setOutput('cost-usd', '0')
}

export async function runCommandMode(config: Config, ctx: RunContext, io: ActionIo): Promise<void> {
  const trigger = readCommandTrigger(ctx.payload as IssueCommentPayload, config.botLogin)
  if ('ignore' in trigger) {
    io.notice(`Preflight: ${trigger.ignore}; nothing to do.`)
    setSkippedOutputs(io)
    return
  }
  const client = createGitHubClient({ token: config.githubToken, baseUrl: ctx.apiUrl, graphqlUrl: ctx.graphqlUrl, log: io })
  const { owner, repo } = ctx
  const { command, pullNumber } = trigger
  const answerKey: ReplyKey = { kind: 'answer', commentId: trigger.commentId }
  const reply = (body: string, key: ReplyKey = answerKey) => postReply(client, { owner, repo, number: pullNumber, body, key, botLogin: config.botLogin, log: io })
  const reactWith = (content: Reaction) => react(client, { owner, repo, commentId: trigger.commentId, content, log: io })
  // Help and refusals go to each user once per pull request, so nobody can make the bot flood it.
  const answeredBefore = (kind: 'help' | 'refusal') =>
    alreadyReplied(client, { owner, repo, number: pullNumber, botLogin: config.botLogin, key: { kind, login: trigger.login }, log: io })

  if (command.kind === 'help') {
    if (await answeredBefore('help')) {
      io.notice(`Preflight: ${trigger.login || 'the commenter'} already got the persona list on this pull request; not posting it again.`)
      setSkippedOutputs(io)
      return
    }
    // Listing the personas spends no model, so anyone may ask.
    const { data: pr } = await client.rest.pulls.get({ owner, repo, pull_number: pullNumber })
    const personas = await loadBasePersonas(client, config, ctx, pr.base.sha, io)
    await reply(renderHelpReply(personas.personas), { kind: 'help', login: trigger.login })
    io.info(`Preflight: listed ${personas.personas.length} personas.`)
    setSkippedOutputs(io)
    return
  }

  const auth = await authorizeCommenter(client, { owner, repo, allowedUsers: config.allowedUsers, log: io }, { login: trigger.login, association: trigger.association })
  if (!auth.allowed) {
    io.notice(`Preflight: ${trigger.login || 'the commenter'} may not run /agent (no write permission).`)
    if (await answeredBefore('refusal')) io.notice('Preflight: this user was already told on this pull request; no second reply.')
    else await reply(renderRefusalReply(`${owner}/${repo}`), { kind: 'refusal', login: trigger.login })
    setSkippedOutputs(io)
    return
  }

  await reactWith('eyes')
  const name = command.kind === 'run' ? command.name : undefined
  let secrets: Secrets = []
  try {
    const outcome = await runPersona(client, config, ctx, trigger, command, io)
    secrets = outcome.secrets
    await reply(outcome.reply)
    if (outcome.reviewed) await finishReview(config, ctx, pullNumber, outcome.reviewed, io)
    else setSkippedOutputs(io)
    await reactWith(outcome.reviewed ? 'rocket' : 'confused')
  } catch (e) {
    const message = redact(describeError(e), secrets)
    io.error(`Preflight: /agent ${name ?? ''} failed: ${message}`)
    await reactWith('confused')
    await reply(renderFailureReply(name, message, secrets)).catch((r: unknown) => io.warning(`Preflight: could not post the failure reply: ${describeError(r)}`))
    setSkippedOutputs(io)
    io.setFailed(`Preflight: /agent ${name ?? ''} failed: ${message}`)
  }
}

interface PersonaRun {
  reply: string
  /** Absent when no persona ran (unknown name). */
  reviewed?: Reviewed
  secrets: Secrets
}

/** Loads the pull request and the personas at its base, then runs the named one (or explains why not). */
async function runPersona(
  client: GitHubClient,
  config: Config,
  ctx: RunContext,
  trigger: Extract<CommandTrigger, { command: AgentCommand }>,
  command: Exclude<AgentCommand, { kind: 'help' }>,
  io: ActionIo
): Promise<PersonaRun> {
  const { owner, repo } = ctx
  const pullNumber = trigger.pullNumber
  const change = await loadPullRequestChange(client, { owner, repo, number: pullNumber, pathsIgnore: config.pathsIgnore, classify: classifyFile, maxFiles: 3000, log: io })
  const personas = (await loadBasePersonas(client, config, ctx, change.baseSha, io)).personas

  const wanted = command.kind === 'run' ? command.name : command.token
  const persona = command.kind === 'run' ? findPersona(personas, command.name) : undefined
  if (!persona) {
    const hit = command.kind === 'run' ? suggestPersona(command.name, personas) : undefined
    io.notice(`Preflight: no persona called '${wanted}'${hit ? `; suggested ${hit.matched}` : ''}.`)
    return { reply: renderUnknownReply(wanted, personas, hit && { name: hit.persona.name, matched: hit.matched }), secrets: [] }
  }

  const question = command.kind === 'run' ? command.question : undefined
  const reviewed = await reviewAndDeliver(
    client,
    config,
    ctx,
    {
      pullNumber,
      change,
      headSha: change.headSha,
      personas,
      forced: [persona.name],
      maxAgents: 1,
      question,
      headline: `Last run on request: \`/agent ${persona.name}\`; the checklist below is that persona's.`,
      deliverWhenSkipped: true
    },
    io
  )
  const { review } = reviewed
  const outcome = review.agents[0]
  if (!outcome) throw new Error(`the persona ${persona.name} did not run (${review.messages.join('; ') || 'no reason given'})`)

  const input: AnswerReplyInput = {
    name: persona.name,
    question,
    outcome,
    verdict: review.verdict,
    modelUnused: modelUnused(config, outcome.model, review.messages),
    messages: review.messages.filter((m) => m !== NO_KEY_MESSAGE),
    planPath: reviewed.planPaths[0],
    inline: reviewed.delivery && !reviewed.delivery.readOnly
      ? { posted: reviewed.delivery.postedComments, duplicate: reviewed.delivery.duplicateComments, failed: reviewed.delivery.failedComments.length }
      : undefined,
    deliveryProblems: [...reviewed.deliveryErrors, ...(reviewed.readOnly ? ['the token is read-only: no inline comment or summary could be posted'] : [])],
    secrets: review.secrets
  }
  return { reply: renderAnswerReply(input), reviewed, secrets: review.secrets }
}

function modelUnused(config: Config, model: string | undefined, messages: string[]): AnswerReplyInput['modelUnused'] {
  if (model) return undefined
  if (!config.anthropicApiKey) return 'no-key'
  return messages.some((m) => /cost limit/.test(m)) ? 'budget' : 'failed'
}
