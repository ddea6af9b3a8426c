import { decideMode } from '../src/modes/event.js'

const pr = (action: string, extra: Record<string, unknown> = {}) => ({
  action,
  pull_request: { number: 7, draft: false, state: 'open', head: { sha: 'h' }, base: { sha: 'b' }, ...extra }
})

describe('decideMode', () => {
  it.each(['opened', 'synchronize', 'reopened', 'ready_for_review'])('reviews pull_request %s', (action) => {
    expect(decideMode('pull_request', pr(action), 'auto', false)).toEqual({ run: 'review', pullNumber: 7 })
  })
  it.each(['closed', 'labeled', 'edited', 'assigned'])('skips pull_request %s with a reason', (action) => {
    const d = decideMode('pull_request', pr(action), 'auto', false)
    expect(d.run).toBe('skip')
    expect(d.run === 'skip' && d.reason).toMatch(action)
  })
  it('skips drafts unless asked', () => {
    expect(decideMode('pull_request', pr('opened', { draft: true }), 'auto', false).run).toBe('skip')
    expect(decideMode('pull_request', pr('opened', { draft: true }), 'auto', true).run).toBe('review')
  })
  it('routes comments, schedules and dispatches', () => {
    expect(decideMode('issue_comment', {}, 'auto', false)).toEqual({ run: 'command' })
    expect(decideMode('schedule', {}, 'auto', false)).toEqual({ run: 'audit' })
    expect(decideMode('workflow_dispatch', {}, 'auto', false)).toEqual({ run: 'audit' })
    expect(decideMode('workflow_dispatch', {}, 'audit-merge', false)).toEqual({ run: 'audit-merge' })
  })
  it('says there is nothing to do for other events', () => {
    const d = decideMode('push', {}, 'auto', false)
    expect(d).toEqual({ run: 'skip', reason: expect.stringContaining('nothing to do for this event (push)') })
  })
  it('refuses review mode without a pull request in the payload', () => {
    expect(decideMode('push', {}, 'review', false).run).toBe('skip')
  })
})
