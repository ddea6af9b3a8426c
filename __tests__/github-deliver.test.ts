import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '../src/github/client.js'
import { deliverReview, findSummaryComment, type DeliverReviewOptions, type SummaryInput } from '../src/github/deliver.js'
import { SUMMARY_MARKER, fingerprint, parseFingerprint, parseStateMarker, stateMarker } from '../src/render/markers.js'
import type { ReviewComment } from '../src/types.js'
import { FakeGitHub } from './helpers/fake-github.js'
import { recordingLogger } from './helpers/logger.js'

const REPO = 'acme/infra'
const HEAD = 'c'.repeat(40)
const BOT = 'github-actions[bot]'

let fake: FakeGitHub
beforeAll(async () => {
  fake = await FakeGitHub.start(BOT)
})
afterAll(() => fake.close())

/** A patch that adds lines 1..n of `main.tf`, so every line up to n can carry a comment. */
const addedPatch = (n: number) => `@@ -0,0 +1,${n} @@\n${Array.from({ length: n }, (_, i) => `+line ${i + 1}`).join('\n')}`

function comment(line: number, path = 'main.tf'): ReviewComment {
  const fp = fingerprint('TF_TEST', path, `line ${line}`)
  return { path, line, body: `Finding on line ${line}.`, fingerprint: fp, severity: 'medium' }
}
const comments = (n: number) => Array.from({ length: n }, (_, i) => comment(i + 1))

/** A renderer whose text depends only on the failures, as a stable summary should. */
const render = (r: SummaryInput) =>
  `${SUMMARY_MARKER}\n## Preflight\n${r.failedComments.map((c) => `- ${c.path}:${c.line}`).join('\n')}\n${stateMarker({ lastReviewedSha: HEAD })}`

beforeEach(() => {
  fake.repos.clear()
  fake.faults.length = 0
  fake.rejectedAnchors.clear()
  fake.resolvedThreads.clear()
  fake.readOnly = false
  fake.resetLog()
  fake.addPull(REPO, { number: 5, headSha: HEAD, files: [{ filename: 'main.tf', patch: addedPatch(60) }] })
})

const client = () => createGitHubClient({ token: 't', baseUrl: fake.url, log: recordingLogger(), writeSpacingMs: 0, retryBaseMs: 5 })
const deliver = (list: ReviewComment[], extra: Partial<DeliverReviewOptions> = {}) =>
  deliverReview(client(), {
    owner: 'acme',
    repo: 'infra',
    number: 5,
    headSha: HEAD,
    comments: list,
    event: 'COMMENT',
    botLogin: BOT,
    renderSummary: render,
    log: recordingLogger(),
    ...extra
  })

describe('deliverReview', () => {
  it('posts one review and creates the summary on the first run; a second run writes nothing', async () => {
    const first = await deliver(comments(3))
    expect(first).toMatchObject({ postedComments: 3, duplicateComments: 0, reviews: 1, summaryAction: 'created', readOnly: false, errors: [] })
    expect(first.failedComments).toEqual([])
    const state = fake.repo(REPO)
    expect(state.reviews.get(5)).toHaveLength(1)
    expect(state.reviews.get(5)?.[0]).toMatchObject({ state: 'COMMENTED', commit_id: HEAD, comments: 3 })
    const posted = state.reviewComments.get(5) ?? []
    expect(posted.map((c) => [c.path, c.line, c.side])).toEqual([
      ['main.tf', 1, 'RIGHT'],
      ['main.tf', 2, 'RIGHT'],
      ['main.tf', 3, 'RIGHT']
    ])
    // The fingerprint marker was added to each body.
    expect(posted.map((c) => parseFingerprint(c.body))).toEqual(comments(3).map((c) => c.fingerprint))
    const summary = state.issueComments.get(5) ?? []
    expect(summary).toHaveLength(1)
    expect(summary[0].body.startsWith(SUMMARY_MARKER)).toBe(true)
    expect(first.summaryCommentId).toBe(summary[0].id)
    expect(fake.writes().map((w) => w.route)).toEqual(['pulls.createReview', 'issues.createComment'])

    fake.resetLog()
    const second = await deliver(comments(3))
    expect(second).toMatchObject({ postedComments: 0, duplicateComments: 3, reviews: 0, summaryAction: 'unchanged', summaryCommentId: summary[0].id })
    expect(fake.writes()).toEqual([])
    expect(fake.requests.map((r) => r.route)).toEqual(['pulls.listReviewComments', 'issues.listComments'])
  })

  it('posts only the new comments and updates the summary when it changed', async () => {
    await deliver(comments(2))
    fake.resetLog()
    const report = await deliver(comments(4), { renderSummary: (r) => `${render(r)}\nsecond run` })
    expect(report).toMatchObject({ postedComments: 2, duplicateComments: 2, reviews: 1, summaryAction: 'updated' })
    expect((fake.requests.find((r) => r.route === 'pulls.createReview')?.body as { comments: { line: number }[] }).comments.map((c) => c.line)).toEqual([3, 4])
    expect(fake.repo(REPO).issueComments.get(5)).toHaveLength(1)
    expect(fake.repo(REPO).issueComments.get(5)?.[0].body).toMatch(/second run$/)
  })

  it('splits 45 comments into reviews of 30 and 15', async () => {
    const report = await deliver(comments(45))
    expect(report).toMatchObject({ postedComments: 45, reviews: 2 })
    const sizes = fake.requests.filter((r) => r.route === 'pulls.createReview').map((r) => (r.body as { comments: unknown[] }).comments.length)
    expect(sizes).toEqual([30, 15])
  })

  it('retries a review refused with 422 one comment at a time, and reports the one that failed', async () => {
    fake.rejectCommentAt('main.tf', 2)
    let seen: SummaryInput | undefined
    const report = await deliver(comments(3), {
      renderSummary: (r) => {
        seen = r
        return render(r)
      }
    })
    expect(report.postedComments).toBe(2)
    expect(report.failedComments.map((c) => c.line)).toEqual([2])
    expect(report.errors).toEqual([])
    expect(seen?.failedComments.map((c) => c.line)).toEqual([2])
    expect(fake.repo(REPO).reviewComments.get(5)?.map((c) => c.line)).toEqual([1, 3])
    expect(fake.repo(REPO).issueComments.get(5)?.[0].body).toContain('- main.tf:2')
    // One refused batch, then three single-comment reviews (one of them refused too).
    expect(fake.requests.filter((r) => r.route === 'pulls.createReview').map((r) => r.status)).toEqual([422, 200, 422, 200])
  })

  it('sends a multi-line comment with start_line and refuses a line outside the diff', async () => {
    fake.addPull(REPO, { number: 5, headSha: HEAD, files: [{ filename: 'main.tf', patch: '@@ -1,3 +1,4 @@\n a\n+b\n c\n+d' }] })
    const multi = { ...comment(4), startLine: 2 }
    const outside = comment(9)
    const report = await deliver([multi, outside])
    expect(report.failedComments).toEqual([outside])
    const sent = fake.requests.filter((r) => r.route === 'pulls.createReview' && r.status === 200)
    expect((sent[0].body as { comments: unknown[] }).comments[0]).toMatchObject({ path: 'main.tf', line: 4, side: 'RIGHT', start_line: 2, start_side: 'RIGHT' })
  })

  it('switches to read-only at the first 403 and makes no further write', async () => {
    fake.readOnly = true
    const report = await deliver(comments(45))
    expect(report).toMatchObject({ readOnly: true, postedComments: 0, reviews: 0, summaryAction: 'skipped', errors: [] })
    expect(fake.writes().map((w) => [w.route, w.status])).toEqual([['pulls.createReview', 403]])
  })

  it('makes no call at all when told upfront that the token is read-only', async () => {
    const report = await deliver(comments(3), { readOnly: true })
    expect(report).toMatchObject({ readOnly: true, summaryAction: 'skipped' })
    expect(fake.requests).toEqual([])
  })

  it('treats a rate-limit 403 as a pause, not as read-only', async () => {
    fake.secondaryRateLimit('pulls.createReview', 1, 1)
    const report = await deliver(comments(2))
    expect(report).toMatchObject({ readOnly: false, postedComments: 2, summaryAction: 'created' })
    expect(fake.requests.filter((r) => r.route === 'pulls.createReview').map((r) => r.status)).toEqual([403, 200])
  })

  it('finds the summary by marker and bot login, never editing a look-alike by someone else', async () => {
    const human = { login: 'mallory', type: 'User' as const }
    const forged = fake.addIssueComment(REPO, 5, `${SUMMARY_MARKER}\nforged ${stateMarker({ lastReviewedSha: 'evil' })}`, human)
    fake.addIssueComment(REPO, 5, 'unrelated bot comment')
    const ours = fake.addIssueComment(REPO, 5, `${SUMMARY_MARKER}\nold`)
    expect(await findSummaryComment(client(), { owner: 'acme', repo: 'infra', number: 5, botLogin: BOT })).toEqual({
      id: ours.id,
      body: `${SUMMARY_MARKER}\nold`,
      state: undefined
    })

    const report = await deliver([])
    expect(report).toMatchObject({ summaryAction: 'updated', summaryCommentId: ours.id })
    expect(forged.body).toMatch(/forged/)
    expect(fake.writes().map((w) => [w.route, w.path])).toEqual([['issues.updateComment', `/repos/acme/infra/issues/comments/${ours.id}`]])
    expect(parseStateMarker(fake.repo(REPO).issueComments.get(5)?.[2].body)).toEqual({ lastReviewedSha: HEAD })
  })

  it('ignores fingerprints in review comments by other users', async () => {
    const c = comment(1)
    fake.addReviewComment(REPO, 5, { path: 'main.tf', line: 1, body: `hi <!-- preflight:fp ${c.fingerprint} -->`, user: { login: 'mallory', type: 'User' } })
    const report = await deliver([c])
    expect(report).toMatchObject({ postedComments: 1, duplicateComments: 0 })
  })

  it('puts the marker first even when the renderer forgot it', async () => {
    await deliver([], { renderSummary: () => 'plain summary' })
    expect(fake.repo(REPO).issueComments.get(5)?.[0].body).toBe(`${SUMMARY_MARKER}\nplain summary`)
  })

  it('records an error, not a crash, when the summary cannot be written', async () => {
    fake.failTimes('issues.createComment', 500, 10)
    const report = await deliverReview(
      createGitHubClient({ token: 't', baseUrl: fake.url, log: recordingLogger(), writeSpacingMs: 0, retryBaseMs: 1, retries: 1 }),
      { owner: 'acme', repo: 'infra', number: 5, headSha: HEAD, comments: [], event: 'COMMENT', botLogin: BOT, renderSummary: render, writeRetryBaseMs: 1, log: recordingLogger() }
    )
    expect(report.summaryAction).toBe('skipped')
    expect(report.errors).toEqual([expect.stringMatching(/^writing the summary comment failed: HTTP 500/)])
  })

  it('a review applied by GitHub but answered with 502 is not sent again: one review, no duplicate comments', async () => {
    fake.applyThenFail('pulls.createReview', 502, 1)
    const report = await deliver(comments(3), { writeRetryBaseMs: 1 })
    expect(report).toMatchObject({ postedComments: 3, reviews: 1, appliedDespiteError: 1, errors: [] })
    expect(fake.repo(REPO).reviews.get(5)).toHaveLength(1)
    expect(fake.repo(REPO).reviewComments.get(5)).toHaveLength(3)
    // Octokit's retry did not resend it: one POST, then a look at the comments.
    expect(fake.requests.filter((r) => r.route === 'pulls.createReview').map((r) => r.status)).toEqual([502])
  })

  it('a review answered 502 and not applied is sent again after looking', async () => {
    fake.failTimes('pulls.createReview', 502, 1)
    const report = await deliver(comments(2), { writeRetryBaseMs: 1 })
    expect(report).toMatchObject({ postedComments: 2, reviews: 1, appliedDespiteError: 0, errors: [] })
    expect(fake.requests.filter((r) => r.route === 'pulls.createReview').map((r) => r.status)).toEqual([502, 200])
    expect(fake.repo(REPO).reviewComments.get(5)).toHaveLength(2)
  })

  it('a summary applied by GitHub but answered with 502 is not created twice', async () => {
    fake.applyThenFail('issues.createComment', 502, 1)
    const report = await deliver(comments(1), { writeRetryBaseMs: 1 })
    expect(report).toMatchObject({ summaryAction: 'created', appliedDespiteError: 1, errors: [] })
    const summaries = (fake.repo(REPO).issueComments.get(5) ?? []).filter((c) => c.body.startsWith(SUMMARY_MARKER))
    expect(summaries).toHaveLength(1)
    expect(report.summaryCommentId).toBe(summaries[0].id)
    expect(fake.requests.filter((r) => r.route === 'issues.createComment').map((r) => r.status)).toEqual([502])
  })

  it('gives up without a second POST when the effect cannot be checked', async () => {
    fake.applyThenFail('issues.createComment', 502, 1)
    fake.failTimes('issues.listComments', 500, 10)
    const report = await deliverReview(
      createGitHubClient({ token: 't', baseUrl: fake.url, log: recordingLogger(), writeSpacingMs: 0, retryBaseMs: 1, retries: 0 }),
      { owner: 'acme', repo: 'infra', number: 5, headSha: HEAD, comments: [], event: 'COMMENT', botLogin: BOT, renderSummary: render, existingSummary: null, writeRetryBaseMs: 1, log: recordingLogger() }
    )
    expect(report.errors).toEqual([expect.stringMatching(/summary comment failed: HTTP 502/)])
    expect(fake.count('issues.createComment')).toBe(1)
  })

  it('reports refused fingerprints, and does not offer them again on the same head', async () => {
    fake.rejectCommentAt('main.tf', 2)
    let seen: SummaryInput | undefined
    const capture = (r: SummaryInput) => {
      seen = r
      return render(r)
    }
    await deliver(comments(3), { renderSummary: capture })
    expect(seen?.refusedFingerprints).toEqual([comment(2).fingerprint])

    fake.resetLog()
    const again = await deliver(comments(3), { renderSummary: capture, refusedBefore: new Set([comment(2).fingerprint]) })
    expect(again).toMatchObject({ postedComments: 0, duplicateComments: 2, summaryAction: 'unchanged' })
    expect(again.failedComments.map((c) => c.line)).toEqual([2])
    expect(seen?.refusedFingerprints).toEqual([comment(2).fingerprint])
    expect(fake.writes()).toEqual([])
  })
})

describe('comments an earlier run posted', () => {
  const writes = () => fake.requests.filter((r) => r.method !== 'GET')

  it('a changed group is edited in place, not posted again; an unchanged one costs no write', async () => {
    const [a, b] = comments(2)
    await deliver([a, b])
    const before = fake.repo(REPO).reviewComments.get(5) ?? []
    fake.resetLog()
    await deliver([a, { ...b, body: 'Finding on line 2, and a second problem in the same resource.' }], {
      updates: [{ fingerprint: b.fingerprint, body: 'Finding on line 2, and a second problem in the same resource.' }]
    })
    const after = fake.repo(REPO).reviewComments.get(5) ?? []
    expect(after).toHaveLength(before.length)
    expect(after.find((c) => parseFingerprint(c.body) === b.fingerprint)!.body).toContain('a second problem in the same resource')
    expect(writes().filter((r) => r.route === 'pulls.updateReviewComment')).toHaveLength(1)
    expect(writes().filter((r) => r.route === 'pulls.createReview')).toEqual([])
    // The same update again: the body already says it, so nothing is written.
    fake.resetLog()
    await deliver([a, b], { updates: [{ fingerprint: b.fingerprint, body: 'Finding on line 2, and a second problem in the same resource.' }] })
    expect(writes().filter((r) => r.route === 'pulls.updateReviewComment')).toEqual([])
  })

  it('a group whose problems are all gone is marked fixed in the head commit, once', async () => {
    const [a, b] = comments(2)
    await deliver([a, b])
    fake.resetLog()
    const r = await deliver([a], { fixed: [b.fingerprint] })
    expect(r.editedComments).toBe(1)
    const fixed = (fake.repo(REPO).reviewComments.get(5) ?? []).find((c) => parseFingerprint(c.body) === b.fingerprint)!
    expect(fixed.body.startsWith(`✅ **Fixed in \`${HEAD.slice(0, 7)}\`**`)).toBe(true)
    // The fingerprint stays on its last line, so later runs still recognise the comment.
    expect(parseFingerprint(fixed.body)).toBe(b.fingerprint)
    // Its thread is resolved through GraphQL (the REST API cannot), and only its own.
    expect(r.resolvedThreads).toBe(1)
    expect([...fake.resolvedThreads]).toEqual([`T_${fixed.id}`])
    fake.resetLog()
    const again = await deliver([a], { fixed: [b.fingerprint] })
    expect(again.editedComments).toBe(0)
    expect(again.resolvedThreads ?? 0).toBe(0)
    expect(fake.writes()).toEqual([])
  })

  it('a grouped comment is not posted where the previous version left its per-finding comment', async () => {
    const [old] = comments(1)
    await deliver([old])
    fake.resetLog()
    const grouped: ReviewComment = { ...old, body: 'One comment for the whole resource.', fingerprint: fingerprint('group', 'main.tf', 'r'), previousFingerprints: [old.fingerprint] }
    const r = await deliver([grouped])
    expect(r).toMatchObject({ postedComments: 0, duplicateComments: 1 })
    expect(writes().filter((w) => w.route === 'pulls.createReview')).toEqual([])
  })
})
