import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { quoteCommand, renderAnswerReply, renderFailureReply, renderHelpReply, renderRefusalReply, renderUnknownReply, type AnswerReplyInput } from '../src/render/command-reply.js'
import { authorizeCommenter, hasWriteAccess, postReply, react } from '../src/github/command.js'
import { createGitHubClient } from '../src/github/client.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import { SUMMARY_MARKER } from '../src/render/markers.js'
import type { AgentOutcome } from '../src/modes/pipeline.js'
import { FakeGitHub } from './helpers/fake-github.js'
import { recordingLogger } from './helpers/logger.js'

const { personas } = loadPersonaSet(readBundledPersonas(), [])
const sre = personas.find((p) => p.name === 'devops-sre-platform')!

function outcome(extra: Partial<AgentOutcome> = {}): AgentOutcome {
  return {
    agent: { persona: sre, score: 100, reason: 'requested' },
    checklist: [{ agent: sre.name, item: 'no-secrets', question: 'No secret in the change?', categories: ['secrets'], status: 'fail', evidence: ['secret/literal at app.tf:3'], source: 'rules' }],
    plan: { title: 'Plan', context: ['ctx'], assumptions: [], files: [], steps: [], rollback: ['Revert'], verification: ['Check'], risks: [] },
    ...extra
  }
}
const answer = (extra: Partial<AnswerReplyInput> = {}) =>
  renderAnswerReply({ name: sre.name, outcome: outcome(), verdict: 'fail', messages: [], deliveryProblems: [], secrets: [], ...extra })

describe('command replies', () => {
  it('quotes the command inert: no mention, no hidden comment, every line quoted', () => {
    expect(quoteCommand('sre', 'hi @octocat\n<!-- preflight:summary -->done\nnext')).toBe('> /agent sre hi @\u200doctocat\n> &lt;!-- preflight:summary --&gt;done\n> next')
    expect(quoteCommand('sre')).toBe('> /agent sre')
    expect(quoteCommand('sre', '<!<!-- x -->-- y --> <script>z</script>')).toBe('> /agent sre &lt;!&lt;!-- x --&gt;-- y --&gt; &lt;script&gt;z&lt;/script&gt;')
  })

  it('without a model: says so, shows the checklist and the collapsed plan', () => {
    const body = answer({ modelUnused: 'no-key', question: 'is it safe?', planPath: '.claude/doc/pr-1-x.md', inline: { posted: 2, duplicate: 1, failed: 0 } })
    expect(body.startsWith('> /agent devops-sre-platform is it safe?\n\n### 🛫 ')).toBe(true)
    expect(body).toContain('The model was not used (no `anthropic-api-key`)')
    expect(body).toContain('The question needs the model')
    expect(body).toContain('| ❌ | No secret in the change? | secrets | fail | secret/literal at app.tf:3 |')
    expect(body).toContain('<details><summary>Plan</summary>')
    expect(body).toContain('2 new inline comments, 1 already posted; the summary comment is updated. Plan written to `.claude/doc/pr-1-x.md`.')
    expect(body).not.toContain(SUMMARY_MARKER)
  })

  it("with a model: the answer, sanitized, and the model's name; secrets masked", () => {
    const body = answer({ outcome: outcome({ answer: 'Ask @team; key AKIAIOSFODNN7EXAMPLE <!-- x -->', model: 'claude-x' }), secrets: [{ path: 'main.tf', line: 1, column: 0, value: 'AKIAIOSFODNN7EXAMPLE' }] })
    expect(body).toContain('**Answer**\n\nAsk @\u200dteam; key AKIA****')
    expect(body).not.toContain('AKIAIOSFODNN7EXAMPLE')
    expect(body).toContain('&lt;!-- x --&gt;')
    expect(body).toContain('Model: `claude-x`.')
    expect(body).not.toContain('The model was not used')
  })

  it('help, unknown, refusal and failure', () => {
    const help = renderHelpReply(personas)
    expect(help.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(5)
    expect(renderUnknownReply('sr', personas, { name: 'devops-sre-platform', matched: 'sre' })).toContain('Did you mean `sre` (`devops-sre-platform`)? Run `/agent sre`.')
    expect(renderUnknownReply('a`b', personas)).toContain('no persona called ``a`b``')
    expect(renderUnknownReply('zzz', personas)).not.toContain('Did you mean')
    expect(renderRefusalReply('acme/infra')).toContain('write access to `acme/infra`')
    const failure = renderFailureReply('sre', 'HTTP 500: boom with ghp_abcdefghijklmnopqrstuvwxyz0123456789\n    at x (y.js:1:1)')
    expect(failure).toContain('`/agent sre` could not finish: HTTP 500: boom')
    expect(failure).not.toContain('at x (')
    expect(failure).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789')
  })
})

describe('command GitHub calls', () => {
  let fake: FakeGitHub
  beforeAll(async () => {
    fake = await FakeGitHub.start()
  })
  afterAll(() => fake.close())
  beforeEach(() => {
    fake.repos.clear()
    fake.faults.length = 0
    fake.resetLog()
    fake.addRepo('acme/infra')
  })
  const client = () => createGitHubClient({ token: 't', baseUrl: fake.url, log: recordingLogger(), writeSpacingMs: 0, retryBaseMs: 1, retries: 0 })
  const at = { owner: 'acme', repo: 'infra', allowedUsers: ['carol'], log: recordingLogger() }

  it.each([
    ['admin', true],
    ['maintain', true],
    ['write', true],
    ['triage', false],
    ['read', false],
    ['none', false]
  ])('permission %s → write access %s', async (permission, expected) => {
    fake.repo('acme/infra').permissions.set('dana', permission)
    expect(await hasWriteAccess(client(), { owner: 'acme', repo: 'infra', username: 'dana', log: recordingLogger() })).toBe(expected)
  })

  it('authorizeCommenter: allowed-users first, then the permission API whatever the association; errors deny', async () => {
    fake.repo('acme/infra').permissions.set('dana', 'write')
    expect(await authorizeCommenter(client(), at, { login: 'Carol', association: 'NONE' })).toEqual({ allowed: true, via: 'allowed-users' })
    expect(fake.count('repos.getCollaboratorPermissionLevel')).toBe(0)
    // A private organisation member shows up as CONTRIBUTOR: the permission API decides.
    expect(await authorizeCommenter(client(), at, { login: 'dana', association: 'CONTRIBUTOR' })).toEqual({ allowed: true, via: 'permission' })
    expect(await authorizeCommenter(client(), at, { login: 'erin', association: 'NONE' })).toEqual({ allowed: false, reason: 'permission' })
    expect(await authorizeCommenter(client(), at, { login: 'dana', association: 'member' })).toEqual({ allowed: true, via: 'permission' })
    fake.failTimes('repos.getCollaboratorPermissionLevel', 404, 1)
    const log = recordingLogger()
    expect(await authorizeCommenter(client(), { ...at, log }, { login: 'dana', association: 'OWNER' })).toEqual({ allowed: false, reason: 'permission' })
    expect(log.text('warning')).toMatch(/treating it as no write access/)
  })

  it('react never throws; postReply truncates to what GitHub accepts', async () => {
    fake.failTimes('reactions.createForIssueComment', 403, 1)
    const log = recordingLogger()
    expect(await react(client(), { owner: 'acme', repo: 'infra', commentId: 1, content: 'eyes', log })).toBe(false)
    expect(log.text('warning')).toMatch(/could not add the eyes reaction/)
    expect(await react(client(), { owner: 'acme', repo: 'infra', commentId: 1, content: 'rocket', log })).toBe(true)
    expect(fake.repo('acme/infra').reactions).toEqual([{ commentId: 1, content: 'rocket', user: 'github-actions[bot]' }])
    const id = await postReply(client(), { owner: 'acme', repo: 'infra', number: 3, body: 'x'.repeat(70_000) })
    const posted = fake.repo('acme/infra').issueComments.get(3)!
    expect(posted[0].id).toBe(id)
    expect(posted[0].body.length).toBeLessThanOrEqual(65_536)
    expect(posted[0].body.endsWith('… (truncated)')).toBe(true)
  })
})
