/**
 * The GitHub calls of the `/agent` command: who may run it, reactions on the command comment,
 * and replies in the pull request conversation. Reactions are a courtesy, so they never throw;
 * the permission check treats any error as "no permission".
 */
import { describeError, type GitHubClient, type Logger } from './client.js'

/** Associations that may be able to write; the permission API decides. */
export const TRUSTED_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR'] as const
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

export type Authorization =
  | { allowed: true; via: 'allowed-users' | 'permission' }
  | { allowed: false; reason: 'association' | 'permission' }

/**
 * `allowed-users` (lower-case logins) first; then a cheap look at the comment's association,
 * confirmed by the user's permission on the repository (write, maintain or admin).
 */
export async function authorizeCommenter(
  client: GitHubClient,
  at: RepoRef & { allowedUsers: readonly string[]; log: Logger },
  who: Commenter
): Promise<Authorization> {
  const login = who.login.toLowerCase()
  if (at.allowedUsers.includes(login)) return { allowed: true, via: 'allowed-users' }
  const association = (who.association ?? '').toUpperCase()
  if (!(TRUSTED_ASSOCIATIONS as readonly string[]).includes(association)) return { allowed: false, reason: 'association' }
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

/** Posts a comment in the pull request conversation; returns its id. Throws on failure. */
export async function postReply(client: GitHubClient, o: RepoRef & { number: number; body: string }): Promise<number> {
  const body = o.body.length <= MAX_REPLY_CHARS ? o.body : `${o.body.slice(0, MAX_REPLY_CHARS)}\n\n… (truncated)`
  const { data } = await client.rest.issues.createComment({ owner: o.owner, repo: o.repo, issue_number: o.number, body })
  return data.id
}
