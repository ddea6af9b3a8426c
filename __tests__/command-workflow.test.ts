/** The example workflow users copy for the `/agent` command: gated, one run per PR at a time, least privilege. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { analyzeFiles } from '../src/rules/index.js'

const PATH = 'examples/workflows/preflight-command.yml'
const text = readFileSync(PATH, 'utf8')
const wf = parse(text) as {
  on: Record<string, { types?: string[] }>
  permissions: Record<string, string>
  concurrency: { group: string; 'cancel-in-progress': boolean }
  jobs: Record<string, { if?: string; permissions?: unknown; steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>
}

describe('examples/workflows/preflight-command.yml', () => {
  const [job] = Object.values(wf.jobs)

  it('runs only on new comments, and only for PR comments that start with /agent', () => {
    expect(Object.keys(wf.on)).toEqual(['issue_comment'])
    expect(wf.on.issue_comment.types).toEqual(['created'])
    expect(job.if).toBe("github.event.issue.pull_request && startsWith(github.event.comment.body, '/agent')")
  })

  it('one run per pull request at a time, queued rather than cancelled', () => {
    expect(wf.concurrency.group).toBe('preflight-command-${{ github.event.issue.number }}')
    expect(wf.concurrency['cancel-in-progress']).toBe(false)
  })

  it('asks for no more than reading contents and writing PR and issue comments', () => {
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', issues: 'write' })
    expect(job.permissions).toBeUndefined()
  })

  it('the comment never reaches a shell or an expression outside the gate', () => {
    expect(job.steps.every((s) => s.run === undefined)).toBe(true)
    expect(job.steps.map((s) => s.with?.mode)).toEqual(['command'])
    const expressions = [...text.matchAll(/\$\{\{([^}]*)\}\}/g)].map((m) => m[1].trim())
    expect(expressions.filter((e) => /github\.event\.comment/.test(e))).toEqual([])
    expect(text.match(/github\.event\.comment\.body/g)).toHaveLength(1)
  })

  it("Preflight's own workflow rules find nothing but the reminder to pin the action", async () => {
    const { findings, notes } = await analyzeFiles([{ path: '.github/workflows/preflight-command.yml', kind: 'workflow', content: text }])
    expect(notes).toEqual([])
    expect(findings.map((f) => f.ruleId)).toEqual(['workflow/unpinned-action'])
  })
})
