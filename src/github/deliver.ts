/**
 * Delivery of a review on GitHub: new inline comments in as few reviews as possible, then one
 * sticky summary comment edited in place. Idempotent: comments already posted (by fingerprint)
 * are skipped, and an unchanged summary is not rewritten, so a re-run without changes writes
 * nothing; comments GitHub refused to anchor on this head are remembered and not offered again.
 * The two POSTs that create something (a review, the summary) are never retried blindly: after
 * a 5xx or a lost answer, delivery first looks for their effect (the comments' fingerprints, the
 * summary marker), because GitHub may have applied a write it then failed to confirm.
 * A token that cannot write (a fork's) switches the run to read-only at the first 403.
 */
import type { InlineUpdate, ReviewComment } from '../types.js'
import { describeError, errorStatus, isRateLimitError, type GitHubClient, type Logger } from './client.js'
import { NO_AUTO_RETRY, createOnce } from './write-once.js'
import { isAlreadyPosted, SUMMARY_MARKER, hasSummaryMarker, parseFingerprint, parseStateMarker, withFingerprint, type SummaryState } from '../render/markers.js'

/** GitHub accepts many more, but smaller reviews keep one bad anchor's retry cheap. */
export const MAX_COMMENTS_PER_REVIEW = 30
/** GitHub rejects comment bodies longer than 65,536 characters. */
const MAX_BODY_CHARS = 65_000

export type ReviewEvent = 'COMMENT' | 'REQUEST_CHANGES' | 'APPROVE'

export interface SummaryInput {
  /** Comments GitHub refused to anchor; the summary should list them. */
  failedComments: ReviewComment[]
  /** Fingerprints of comments GitHub refused (422) on this head, this run or an earlier one: keep them in the summary's state. */
  refusedFingerprints: string[]
  /** Comments skipped because an earlier run already posted them. */
  duplicateComments: number
  /** Comments posted by this run. */
  postedComments: number
}

export interface DeliverReviewOptions {
  owner: string
  repo: string
  number: number
  headSha: string
  comments: ReviewComment[]
  event: ReviewEvent
  /** Login that authors our comments (`github-actions[bot]` under GITHUB_TOKEN). */
  botLogin: string
  /** Called once after the review calls; the result is the summary body. */
  renderSummary: (r: SummaryInput) => string
  /** Known upfront that the token cannot write: make no write call at all. */
  readOnly?: boolean
  /** Body of each review; a short pointer to the summary by default. */
  reviewBody?: string
  /** The summary comment as the caller already looked it up (`null`: none exists); saves listing the comments again. */
  existingSummary?: SummaryComment | null
  /** Fingerprints GitHub refused on this same head in an earlier run: listed as failed, not offered again. */
  refusedBefore?: ReadonlySet<string>
  /** Posted comments whose group changed since (by fingerprint): edited in place, never posted again. */
  updates?: readonly InlineUpdate[]
  /** Posted comments whose problems are all gone: marked "fixed in <head>". */
  fixed?: readonly string[]
  /** Attempts of a create call after a 5xx whose effect is not found. Default 3. */
  writeAttempts?: number
  /** Unit of the wait between those attempts (1, 4, 9 … units). Default 1000 ms. */
  writeRetryBaseMs?: number
  log: Logger
}

export interface DeliveryReport {
  postedComments: number
  duplicateComments: number
  failedComments: ReviewComment[]
  /** Reviews created. */
  reviews: number
  summaryCommentId?: number
  summaryAction: 'created' | 'updated' | 'unchanged' | 'skipped'
  readOnly: boolean
  errors: string[]
  /** Create calls answered with an error although GitHub had applied them (found by their effect). */
  appliedDespiteError: number
  /** Posted comments edited in place (changed group, or marked fixed). */
  editedComments: number
  /** Review threads of fixed comments resolved through GraphQL. */
  resolvedThreads?: number
}

export interface SummaryComment {
  id: number
  body: string
  state?: SummaryState
}

/** Our sticky comment: carries the marker and is authored by the bot (a copy by anyone else is ignored). */
export async function findSummaryComment(
  client: GitHubClient,
  o: { owner: string; repo: string; number: number; botLogin: string }
): Promise<SummaryComment | undefined> {
  let found: SummaryComment | undefined
  await client.paginate(
    client.rest.issues.listComments,
    { owner: o.owner, repo: o.repo, issue_number: o.number, per_page: 100 },
    (response, done) => {
      const ours = response.data.find((c) => c.user?.login === o.botLogin && hasSummaryMarker(c.body))
      if (ours && !found) {
        found = { id: ours.id, body: ours.body ?? '', state: parseStateMarker(ours.body) }
        done()
      }
      return []
    }
  )
  return found
}

/** True for a 403 that means "this token may not write", as opposed to a rate limit. */
function isPermissionDenied(error: unknown): boolean {
  return errorStatus(error) === 403 && !isRateLimitError(error)
}

/** Fingerprints of the bot's review comments on the pull request. */
/** The bot's inline comments by fingerprint (read from its fixed place, the last line). */
async function postedComments(client: GitHubClient, o: { owner: string; repo: string; number: number; botLogin: string }): Promise<Map<string, { id: number; body: string }>> {
  const posted = new Map<string, { id: number; body: string }>()
  const existing = await client.paginate(client.rest.pulls.listReviewComments, { owner: o.owner, repo: o.repo, pull_number: o.number, per_page: 100 })
  for (const c of existing) {
    const fp = c.user?.login === o.botLogin ? parseFingerprint(c.body) : undefined
    if (fp && !posted.has(fp)) posted.set(fp, { id: c.id, body: c.body })
  }
  return posted
}

/** The line a comment whose problems are all gone starts with (checked so it is added once). */
const FIXED_PREFIX = '✅ **Fixed in '

function fixedBody(body: string, headSha: string): string {
  return body.startsWith(FIXED_PREFIX) ? body : `${FIXED_PREFIX}\`${headSha.slice(0, 7)}\`**: nothing of this is left in the pull request.\n\n${body}`
}

type ReviewCommentInput = { path: string; line: number; side: 'RIGHT'; start_line?: number; start_side?: 'RIGHT'; body: string }

function toReviewComment(c: ReviewComment): ReviewCommentInput {
  const out: ReviewCommentInput = { path: c.path, line: c.line, side: 'RIGHT', body: fitBody(withFingerprint(c.body, c.fingerprint)) }
  if (c.startLine !== undefined && c.startLine < c.line) {
    out.start_line = c.startLine
    out.start_side = 'RIGHT'
  }
  return out
}

function fitBody(body: string): string {
  return body.length <= MAX_BODY_CHARS ? body : `${body.slice(0, MAX_BODY_CHARS)}\n\n… (truncated)`
}

/** The summary body as posted: always starts with the marker, never exceeds GitHub's limit. */
function summaryBody(rendered: string): string {
  const body = rendered.startsWith(SUMMARY_MARKER) ? rendered : `${SUMMARY_MARKER}\n${rendered}`
  return fitBody(body)
}

const sameBody = (a: string, b: string) => a.replace(/\r\n/g, '\n').trimEnd() === b.replace(/\r\n/g, '\n').trimEnd()

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

export async function deliverReview(client: GitHubClient, o: DeliverReviewOptions): Promise<DeliveryReport> {
  const { owner, repo, number, log } = o
  const report: DeliveryReport = {
    postedComments: 0,
    duplicateComments: 0,
    failedComments: [],
    reviews: 0,
    summaryAction: 'skipped',
    readOnly: o.readOnly === true,
    errors: [],
    appliedDespiteError: 0,
    editedComments: 0
  }
  const retry = { attempts: o.writeAttempts ?? 3, baseMs: o.writeRetryBaseMs ?? 1000, log, onApplied: () => report.appliedDespiteError++ }
  const refusedNow = new Set<string>()
  if (report.readOnly) {
    log.info('Preflight: read-only token, nothing is posted to the pull request.')
    return report
  }
  const goReadOnly = (what: string, e: unknown) => {
    report.readOnly = true
    log.warning(`Preflight: ${what} was refused (${describeError(e)}); the token is read-only, so no further writes.`)
  }

  // 1. Leave out what an earlier run (or this one) already posted (by this version's fingerprint
  //    or the per-finding ones of the version before, so an upgrade does not re-post).
  const fresh: ReviewComment[] = []
  let canPost = true
  let inline = new Map<string, { id: number; body: string }>()
  try {
    inline = await postedComments(client, o)
    const posted = new Set(inline.keys())
    for (const c of o.comments) {
      if (isAlreadyPosted(c, posted)) report.duplicateComments++
      else if (o.refusedBefore?.has(c.fingerprint)) {
        // GitHub refused this anchor on this head before; asking again would fail again.
        posted.add(c.fingerprint)
        refusedNow.add(c.fingerprint)
        report.failedComments.push(c)
      } else {
        posted.add(c.fingerprint)
        fresh.push(c)
      }
    }
  } catch (e) {
    // Without the list, posting could duplicate comments; the next run will post them.
    canPost = false
    report.errors.push(`listing existing review comments failed: ${describeError(e)}`)
  }

  // 1b. Comments an earlier run posted: a changed group is edited in place, a fixed one says so.
  //     Only when the body differs, so an unchanged pull request costs no write.
  const edits = new Map<number, string>()
  for (const u of o.updates ?? []) {
    const c = inline.get(u.fingerprint)
    const body = c && fitBody(withFingerprint(u.body, u.fingerprint))
    if (c && body && !sameBody(c.body, body)) edits.set(c.id, body)
  }
  for (const fp of o.fixed ?? []) {
    const c = inline.get(fp)
    if (c && !c.body.startsWith(FIXED_PREFIX)) edits.set(c.id, fitBody(fixedBody(c.body, o.headSha)))
  }
  for (const [id, body] of edits) {
    if (report.readOnly) break
    try {
      // A PATCH is idempotent: retrying it cannot duplicate anything.
      await client.rest.pulls.updateReviewComment({ owner, repo, comment_id: id, body })
      report.editedComments++
    } catch (e) {
      if (isPermissionDenied(e)) goReadOnly('editing a review comment', e)
      else report.errors.push(`editing a review comment failed: ${describeError(e)}`)
    }
  }
  // The REST API cannot resolve a thread; GraphQL can. A failure leaves it open, nothing else.
  const fixedIds = new Set((o.fixed ?? []).map((fp) => inline.get(fp)?.id).filter((id): id is number => id !== undefined))
  if (fixedIds.size && !report.readOnly) {
    try {
      report.resolvedThreads = await resolveThreads(client, { owner, repo, number }, fixedIds)
    } catch (e) {
      log.info(`Preflight: the threads of fixed comments stay open (${describeError(e)})`)
    }
  }

  // 2. New comments, in reviews of at most 30; a 422 batch is retried one comment at a time.
  const createReview = async (batch: ReviewComment[]) => {
    await createOnce<unknown>(
      () =>
        client.rest.pulls.createReview({
          owner,
          repo,
          pull_number: number,
          commit_id: o.headSha,
          event: o.event,
          body: o.reviewBody ?? `Preflight: ${batch.length} inline comment${batch.length === 1 ? '' : 's'}; the summary comment has the full review.`,
          comments: batch.map(toReviewComment),
          request: NO_AUTO_RETRY
        }),
      // A review is applied whole or not at all: its first comment tells which.
      async () => ((await postedComments(client, o)).has(batch[0].fingerprint) ? true : undefined),
      { ...retry, what: 'creating a review' }
    )
    report.reviews++
    report.postedComments += batch.length
  }
  for (const batch of canPost ? chunks(fresh, MAX_COMMENTS_PER_REVIEW) : []) {
    if (report.readOnly) break
    try {
      await createReview(batch)
      continue
    } catch (e) {
      if (isPermissionDenied(e)) {
        goReadOnly('creating a review', e)
        break
      }
      if (errorStatus(e) !== 422 || batch.length === 1) {
        report.failedComments.push(...batch)
        if (errorStatus(e) !== 422) report.errors.push(`creating a review failed: ${describeError(e)}`)
        else
          for (const c of batch) {
            refusedNow.add(c.fingerprint)
            log.info(`Preflight: ${c.path}:${c.line} cannot carry a comment; it goes into the summary.`)
          }
        continue
      }
      log.info(`Preflight: GitHub refused a review of ${batch.length} comments (${describeError(e)}); posting them one by one.`)
    }
    for (const comment of batch) {
      if (report.readOnly) break
      try {
        await createReview([comment])
      } catch (e) {
        if (isPermissionDenied(e)) goReadOnly('creating a review', e)
        else {
          report.failedComments.push(comment)
          if (errorStatus(e) !== 422) report.errors.push(`creating a review failed: ${describeError(e)}`)
          else refusedNow.add(comment.fingerprint)
          if (errorStatus(e) === 422) log.info(`Preflight: ${comment.path}:${comment.line} cannot carry a comment; it goes into the summary.`)
        }
      }
    }
  }
  if (report.readOnly) return report

  // 3. The sticky summary, built now so it can list what could not be anchored.
  let existing: SummaryComment | undefined = o.existingSummary ?? undefined
  if (o.existingSummary === undefined) {
    try {
      existing = await findSummaryComment(client, { owner, repo, number, botLogin: o.botLogin })
    } catch (e) {
      report.errors.push(`listing issue comments failed: ${describeError(e)}`)
      return report
    }
  }
  const body = summaryBody(
    o.renderSummary({
      failedComments: report.failedComments,
      refusedFingerprints: [...refusedNow].sort(),
      duplicateComments: report.duplicateComments,
      postedComments: report.postedComments
    })
  )
  try {
    if (existing && sameBody(existing.body, body)) {
      report.summaryAction = 'unchanged'
      report.summaryCommentId = existing.id
    } else if (existing) {
      await client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body })
      report.summaryAction = 'updated'
      report.summaryCommentId = existing.id
    } else {
      const id = await createOnce(
        async () => (await client.rest.issues.createComment({ owner, repo, issue_number: number, body, request: NO_AUTO_RETRY })).data.id,
        async () => (await findSummaryComment(client, { owner, repo, number, botLogin: o.botLogin }))?.id,
        { ...retry, what: 'creating the summary comment' }
      )
      report.summaryAction = 'created'
      report.summaryCommentId = id
    }
  } catch (e) {
    if (isPermissionDenied(e)) goReadOnly('writing the summary comment', e)
    else report.errors.push(`writing the summary comment failed: ${describeError(e)}`)
  }
  return report
}

const THREADS_QUERY = `query($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $after) {
        nodes { id isResolved comments(first: 1) { nodes { databaseId } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`
const RESOLVE_MUTATION = `mutation($thread: ID!) { resolveReviewThread(input: { threadId: $thread }) { thread { id isResolved } } }`

interface ThreadsPage {
  repository?: { pullRequest?: { reviewThreads?: { nodes: { id: string; isResolved: boolean; comments: { nodes: { databaseId: number | null }[] } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } }
}

/** Resolves the open threads whose first comment is one of `commentIds`; returns how many. */
async function resolveThreads(client: GitHubClient, pr: { owner: string; repo: string; number: number }, commentIds: ReadonlySet<number>): Promise<number> {
  const url = client.graphqlUrl ? { url: client.graphqlUrl } : {}
  const open: string[] = []
  let after: string | null = null
  for (let page = 0; page < 10; page++) {
    const data = (await client.graphql({ query: THREADS_QUERY, owner: pr.owner, name: pr.repo, number: pr.number, after, ...url })) as ThreadsPage
    const threads = data.repository?.pullRequest?.reviewThreads
    for (const t of threads?.nodes ?? []) {
      const first = t.comments.nodes[0]?.databaseId
      if (!t.isResolved && first !== null && first !== undefined && commentIds.has(first)) open.push(t.id)
    }
    if (!threads?.pageInfo.hasNextPage) break
    after = threads.pageInfo.endCursor
  }
  for (const thread of open) await client.graphql({ query: RESOLVE_MUTATION, thread, ...url })
  return open.length
}
