import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHubClient, errorStatus, isRateLimitError } from '../src/github/client.js'
import { FakeGitHub } from './helpers/fake-github.js'
import { recordingLogger } from './helpers/logger.js'

let fake: FakeGitHub
beforeAll(async () => {
  fake = await FakeGitHub.start()
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.resetLog()
  fake.faults.length = 0
  fake.readOnly = false
  fake.addRepo('acme/infra')
  fake.addPull('acme/infra', { number: 7, title: 'Bump image' })
})

const client = (log = recordingLogger()) =>
  createGitHubClient({ token: 't0k3n', baseUrl: fake.url, log, writeSpacingMs: 0, retryBaseMs: 10 })
const getPull = (c: ReturnType<typeof client>) => c.rest.pulls.get({ owner: 'acme', repo: 'infra', pull_number: 7 })

describe('createGitHubClient', () => {
  it('retries a 502 twice and then succeeds', async () => {
    fake.failTimes('pulls.get', 502, 2)
    const c = client()
    const res = await getPull(c)
    expect(res.data.title).toBe('Bump image')
    expect(fake.requests.map((r) => r.status)).toEqual([502, 502, 200])
    expect(c.requestCounts()).toEqual({ 'GET /repos/{owner}/{repo}/pulls/{pull_number}': 3 })
    expect(c.requestTotal()).toBe(3)
  })

  it('gives up on a 5xx after the configured retries', async () => {
    fake.failTimes('pulls.get', 503, 10)
    const c = createGitHubClient({ token: 't', baseUrl: fake.url, log: recordingLogger(), retries: 2, retryBaseMs: 1 })
    await expect(getPull(c)).rejects.toMatchObject({ status: 503 })
    expect(fake.count('pulls.get')).toBe(3)
  })

  it('waits out a secondary rate limit (retry-after: 1) and retries', async () => {
    fake.secondaryRateLimit('pulls.get', 1, 1)
    const log = recordingLogger()
    const started = Date.now()
    const res = await getPull(client(log))
    expect(res.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(fake.requests.map((r) => r.status)).toEqual([403, 200])
    expect(log.text('info')).toMatch(/Secondary rate limit .* retrying in 1s/)
  })

  it('retries a primary rate limit after the reset time', async () => {
    fake.primaryRateLimit('pulls.get', 1, 0)
    const res = await getPull(client())
    expect(res.status).toBe(200)
    expect(fake.requests.map((r) => r.status)).toEqual([403, 200])
  })

  it('stops retrying a rate limit after two retries', async () => {
    fake.secondaryRateLimit('pulls.get', 5, 1)
    const log = recordingLogger()
    const error = await getPull(client(log)).catch((e: unknown) => e)
    expect(errorStatus(error)).toBe(403)
    expect(isRateLimitError(error)).toBe(true)
    expect(fake.count('pulls.get')).toBe(3)
    expect(log.text('warning')).toMatch(/giving up after 2 retries/)
  })

  it('does not wait when GitHub asks for more than the cap', async () => {
    fake.secondaryRateLimit('pulls.get', 1, 3600)
    const log = recordingLogger()
    await expect(getPull(client(log))).rejects.toMatchObject({ status: 403 })
    expect(fake.count('pulls.get')).toBe(1)
    expect(log.text('warning')).toMatch(/wait 3600s, more than 60s/)
  })

  it.each([400, 401, 403, 404, 422])('never retries a %i', async (status) => {
    fake.failTimes('pulls.get', status, 1)
    const error = await getPull(client()).catch((e: unknown) => e)
    expect(errorStatus(error)).toBe(status)
    expect(isRateLimitError(error)).toBe(false)
    expect(fake.count('pulls.get')).toBe(1)
  })

  it('answers 404 for an unknown endpoint without retrying', async () => {
    const c = client()
    await expect(c.request('GET /repos/{owner}/{repo}/nothing-here', { owner: 'acme', repo: 'infra' })).rejects.toMatchObject({
      status: 404
    })
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0].route).toBe('unknown')
  })

  it('sends the token and the user agent', async () => {
    await getPull(client())
    expect(fake.requests[0].headers.authorization).toBe('token t0k3n')
    expect(String(fake.requests[0].headers['user-agent'])).toMatch(/^preflight/)
  })
})
