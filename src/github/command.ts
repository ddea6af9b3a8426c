/**
 * The GitHub calls of the `/agent` command: who may run it, reactions on the command comment,
 * and replies in the pull request conversation. Reactions are a courtesy, so they never throw;
 * the permission check treats any error as "no permission". Every reply starts with a hidden
 * marker saying what it answers, so a reply GitHub applied before failing is not posted twice,
 * and help and refusals go to each user at most once per pull request.
 */
import { describeError, type GitHubClient, type Logger } from './client.js'
import { NO_AUTO_RETRY, createOnce } from './write-once.js'

/** Roles that can push to the repository. */
const WRITE_ROLES = new Set(['write', 'maintain', 'admin'])

export type Reaction = 'eyes' | 'rocket' | 'confused'

export interface RepoRef {
  owner: string
  repo: string
}

export interface Commenter {
  login: string
  /** `author_association` of the comment (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, …). */
  association?: string
}

export type Authorization = { allowed: true; via: 'allowed-users' | 'permission' } | { allowed: false; reason: 'permission' }

/**
 * `allowed-users` (lower-case logins) first; then the user's permission on the repository
 * (write, maintain or admin). The comment's `author_association` is not a filter: a member whose
 * organisation membership is private shows up as CONTRIBUTOR or NONE.
 */
export async function authorizeCommenter(
  client: GitHubClient,
  at: RepoRef & { allowedUsers: readonly string[]; log: Logger },
  who: Commenter
): Promise<Authorization> {
  const login = who.login.toLowerCase()
  if (at.allowedUsers.includes(login)) return { allowed: true, via: 'allowed-users' }
  if (!login) return { allowed: false, reason: 'permission' }
  return (await hasWriteAccess(client, { owner: at.owner, repo: at.repo, username: who.login, log: at.log }))
    ? { allowed: true, via: 'permission' }
    : { allowed: false, reason: 'permission' }
}

/** True when the user can push; false on any API error (logged), so a failure never grants access. */
export async function hasWriteAccess(client: GitHubClient, o: RepoRef & { username: string; log: Logger }): Promise<boolean> {
  try {
    const { data } = await client.rest.repos.getCollaboratorPermissionLevel({ owner: o.owner, repo: o.repo, username: o.username })
    // `permission` folds maintain into write; `role_name` carries the finer role.
    const roles = [data.permission, (data as { role_name?: string }).role_name].map((r) => String(r ?? '').toLowerCase())
    return roles.some((r) => WRITE_ROLES.has(r))
  } catch (e) {
    o.log.warning(`Preflight: could not confirm ${o.username}'s permission on ${o.owner}/${o.repo} (${describeError(e)}); treating it as no write access.`)
    return false
  }
}

/** Reacts to the command comment; a failure is logged and reported as false. */
export async function react(client: GitHubClient, o: RepoRef & { commentId: number; content: Reaction; log: Logger }): Promise<boolean> {
  try {
    await client.rest.reactions.createForIssueComment({ owner: o.owner, repo: o.repo, comment_id: o.commentId, content: o.content })
    return true
  } catch (e) {
    o.log.warning(`Preflight: could not add the ${o.content} reaction: ${describeError(e)}`)
    return false
  }
}

/** GitHub rejects comment bodies longer than 65,536 characters. */
const MAX_REPLY_CHARS = 65_000

/** What a reply answers: a command comment (by id), or help / a refusal for a user (by login). */
export type ReplyKey = { kind: 'answer'; commentId: number } | { kind: 'help' | 'refusal'; login: string }

const LOGIN = /^[a-z0-9](?:[a-z0-9-]{0,38})(?:\[bot\])?$/

/** The hidden first line of a reply; undefined for a login GitHub would not issue (then no marker is trusted). */
export function replyMarker(key: ReplyKey): string | undefined {
  if (key.kind === 'answer') return `<!-- preflight:reply answer ${key.commentId} -->`
  const login = key.login.toLowerCase()
  return LOGIN.test(login) ? `<!-- preflight:reply ${key.kind} ${login} -->` : undefined
}

/** The bot's comment on the pull request that starts with `marker`, if any (one listing). */
async function findReply(client: GitHubClient, o: RepoRef & { number: number; botLogin: string; marker: string }): Promise<number | undefined> {
  let found: number | undefined
  await client.paginate(client.rest.issues.listComments, { owner: o.owner, repo: o.repo, issue_number: o.number, per_page: 100 }, (response, done) => {
    const hit = response.data.find((c) => c.user?.login === o.botLogin && (c.body ?? '').startsWith(o.marker))
    if (hit && found === undefined) {
      found = hit.id
      done()
    }
    return []
  })
  return found
}

/** True when the bot already answered this user with this kind of reply on the pull request. */
export async function alreadyReplied(
  client: GitHubClient,
  o: RepoRef & { number: number; botLogin: string; key: ReplyKey; log: Logger }
): Promise<boolean> {
  const marker = replyMarker(o.key)
  if (!marker) return false
  try {
    return (await findReply(client, { ...o, marker })) !== undefined
  } catch (e) {
    o.log.warning(`Preflight: could not look for earlier replies (${describeError(e)}); replying anyway.`)
    return false
  }
}

/**
 * Posts a comment in the pull request conversation, starting with the reply marker when there is
 * a key; returns its id. After a 5xx it looks for the marker before posting again. Throws on failure.
 */
export async function postReply(
  client: GitHubClient,
  o: RepoRef & { number: number; body: string; key?: ReplyKey; botLogin?: string; log?: Logger; retryBaseMs?: number }
): Promise<number> {
  const marker = o.key ? replyMarker(o.key) : undefined
  const text = marker ? `${marker}\n${o.body}` : o.body
  const body = text.length <= MAX_REPLY_CHARS ? text : `${text.slice(0, MAX_REPLY_CHARS)}\n\n… (truncated)`
  const post = async () => (await client.rest.issues.createComment({ owner: o.owner, repo: o.repo, issue_number: o.number, body, request: NO_AUTO_RETRY })).data.id
  if (!marker || !o.botLogin) {
    // Nothing to recognise it by: one attempt only, since a blind retry could post it twice.
    return post()
  }
  const botLogin = o.botLogin
  return createOnce(post, () => findReply(client, { owner: o.owner, repo: o.repo, number: o.number, botLogin, marker }), {
    attempts: 3,
    baseMs: o.retryBaseMs ?? 1000,
    what: 'posting the reply',
    log: o.log ?? { info: () => undefined, warning: () => undefined, error: () => undefined, debug: () => undefined },
    onApplied: () => undefined
  })
}
