/** The committed bundle `dist/index.js`, started as the runner starts it, for events it ignores and bad inputs. */
import { describe, expect, it } from '@jest/globals'
import { runAction } from './helpers/run-action.js'

describe('dist/index.js', () => {
  it('exits 0 on a push with a clear notice and skipped outputs', async () => {
    const r = await runAction({ event: 'push', payload: { ref: 'refs/heads/main' }, inputs: {}, env: {} })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('::notice::Preflight: nothing to do for this event (push)')
    expect(r.outputs).toMatchObject({ verdict: 'skipped', findings: '0', agents: '', 'cost-usd': '0' })
  })

  it('fails with a message naming a bad input', async () => {
    const r = await runAction({ event: 'pull_request', payload: {}, inputs: { 'max-agents': 'lots' }, env: {} })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("::error::Preflight: Input 'max-agents': expected a whole number, got 'lots'")
  })

  it('skips a closed pull request without calling GitHub', async () => {
    const pr = { number: 3, state: 'closed', head: { sha: 'a' }, base: { sha: 'b' } }
    const r = await runAction({ event: 'pull_request', payload: { action: 'closed', pull_request: pr }, inputs: {}, env: { GITHUB_API_URL: 'http://127.0.0.1:9' } })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/nothing to do for pull_request 'closed'/)
  })
})
