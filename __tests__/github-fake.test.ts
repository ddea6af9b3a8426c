/** The fake GitHub API itself, for the endpoints other modes rely on (commands, audit). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '../src/github/client.js'
import { FakeGitHub, rightSideLines } from './helpers/fake-github.js'
import { parseOutputFile, inputVariable } from './helpers/run-action.js'
import { recordingLogger } from './helpers/logger.js'

let fake: FakeGitHub
beforeAll(async () => {
  fake = await FakeGitHub.start('preflight-bot[bot]')
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.repos.clear()
  fake.resetLog()
  fake.addRepo('acme/infra')
})

const gh = () => createGitHubClient({ token: 't', baseUrl: fake.url, log: recordingLogger(), writeSpacingMs: 0, retryBaseMs: 1 })
const at = { owner: 'acme', repo: 'infra' }

describe('fake GitHub', () => {
  it('keeps issues, filters them by labels and state, and updates them', async () => {
    const c = gh()
    const { data: created } = await c.rest.issues.create({ ...at, title: 'Cost audit', body: 'b', labels: ['preflight-audit', 'cost'] })
    await c.rest.issues.create({ ...at, title: 'Other', labels: ['cost'] })
    const list = await c.paginate(c.rest.issues.listForRepo, { ...at, labels: 'preflight-audit', state: 'open' })
    expect(list.map((i) => [i.number, i.title])).toEqual([[created.number, 'Cost audit']])
    await c.rest.issues.update({ ...at, issue_number: created.number, state: 'closed', body: 'clean' })
    expect(await c.paginate(c.rest.issues.listForRepo, { ...at, labels: 'preflight-audit' })).toEqual([])
    expect((await c.paginate(c.rest.issues.listForRepo, { ...at, labels: 'preflight-audit', state: 'all' }))[0]).toMatchObject({
      state: 'closed',
      body: 'clean'
    })
  })

  it('answers permissions, reactions and users; comments get the bot login', async () => {
    fake.repo('acme/infra').permissions.set('alice', 'write')
    const c = gh()
    expect((await c.rest.repos.getCollaboratorPermissionLevel({ ...at, username: 'alice' })).data.permission).toBe('write')
    expect((await c.rest.repos.getCollaboratorPermissionLevel({ ...at, username: 'bob' })).data.permission).toBe('none')
    const { data: comment } = await c.rest.issues.createComment({ ...at, issue_number: 3, body: 'hi' })
    expect(comment.user?.login).toBe('preflight-bot[bot]')
    await c.rest.reactions.createForIssueComment({ ...at, comment_id: comment.id, content: 'eyes' })
    expect(fake.repo('acme/infra').reactions).toEqual([{ commentId: comment.id, content: 'eyes', user: 'preflight-bot[bot]' }])
    expect((await c.rest.users.getByUsername({ username: 'dependabot[bot]' })).data.type).toBe('Bot')
    await expect(c.rest.users.getAuthenticated()).rejects.toMatchObject({ status: 403 })
  })

  it('pages issue comments with a Link header', async () => {
    for (let i = 0; i < 250; i++) fake.addIssueComment('acme/infra', 9, `c${i}`)
    const c = gh()
    const all = await c.paginate(c.rest.issues.listComments, { ...at, issue_number: 9, per_page: 100 })
    expect(all).toHaveLength(250)
    expect(fake.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3'])
  })

  it('computes commentable lines from a patch', () => {
    expect([...rightSideLines('@@ -1,3 +1,4 @@\n a\n-b\n+c\n+d\n e\n\\ No newline at end of file\n@@ -20 +21 @@\n-x\n+y')]).toEqual([1, 2, 3, 4, 21])
  })
})

describe('run-action helpers', () => {
  it('parses the GITHUB_OUTPUT heredoc format', () => {
    const text = 'verdict<<ghadelimiter_1\nfail\nghadelimiter_1\nplan<<ghadelimiter_2\nline 1\nline 2\nghadelimiter_2\nold=style\n'
    expect(parseOutputFile(text)).toEqual({ verdict: 'fail', plan: 'line 1\nline 2', old: 'style' })
  })

  it('names inputs as the runner does', () => {
    expect(inputVariable('github-token')).toBe('INPUT_GITHUB-TOKEN')
    expect(inputVariable('max cost')).toBe('INPUT_MAX_COST')
  })
})
