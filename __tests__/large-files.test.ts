/**
 * The large-file worker's schedule (src/rules/large-files.ts), driven with a stand-in worker
 * script that speaks the same protocol: a file that never finishes becomes a note and the files
 * after it are analysed in a fresh worker; a result the worker sent while this thread was busy
 * is never cut short by the budget; a folder's files share one job.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { analyzeLargeFiles, type LargeFileJob } from '../src/rules/large-files.js'
import type { AnalysisResult, SourceFile } from '../src/types.js'

// Answers each file with a note naming it and how many files its job had; `hang` never returns.
// Having answered every file, it leaves a marker file, so a test can wait for the answers.
// `slow` keeps its worker busy for a second and a half; each answer names the worker's thread.
const standIn = (marker: string): string => `
import { writeFileSync } from 'node:fs'
import { threadId, workerData } from 'node:worker_threads'
const { jobs, claim, leftover, port } = workerData
const run = (j, from) => {
  const job = jobs[j]
  for (let i = from; i < job.files.length; i++) {
    const file = job.files[i]
    port.postMessage({ started: [j, i], at: Date.now() })
    if (file.path.includes('hang')) for (;;) {}
    if (file.path.includes('slow')) { const until = Date.now() + 1500; while (Date.now() < until) {} }
    const message = 'seen ' + file.path + ' with ' + job.files.length + ' in its job and ' + job.context.length + ' for context'
    port.postMessage({ done: [j, i], result: { findings: [], notes: [{ path: file.path, reason: 'error', message }], secrets: [], thread: threadId } })
  }
}
if (leftover) run(leftover.job, leftover.from)
for (let j = Atomics.add(claim, 0, 1); j < jobs.length; j = Atomics.add(claim, 0, 1)) run(j, 0)
writeFileSync(${JSON.stringify(marker)}, 'done')
port.close()
`

let dir: string
let entry: URL
let marker: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-large-'))
  marker = join(dir, 'answered')
  writeFileSync(join(dir, 'stand-in.mjs'), standIn(marker))
  entry = pathToFileURL(join(dir, 'stand-in.mjs'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const file = (path: string): SourceFile => ({ path, kind: 'kubernetes', content: 'kind: Pod\n' })
const messages = (results: { notes: { message: string }[] }[]) => results.map((r) => r.notes.map((n) => n.message))

describe('large files in one budgeted worker', () => {
  it('turns a file that never finishes into a note and analyses the files after it in a fresh worker', async () => {
    const jobs: LargeFileJob[] = [
      { files: [file('a/one.yaml'), file('a/hang.yaml'), file('a/two.yaml')], context: [file('a/small.yaml')] },
      { files: [file('b/three.yaml')], context: [] }
    ]
    // A budget long enough for a worker to start on a loaded machine: the first file's counts from then.
    const results = await analyzeLargeFiles(entry, jobs, 3000).results
    expect(messages(results)).toEqual([
      ['seen a/one.yaml with 3 in its job and 1 for context'],
      ['a/hang.yaml: analysis stopped after the 3 s time budget, not analyzed'],
      // The fresh worker takes over the rest of the folder's job, with its context.
      ['seen a/two.yaml with 3 in its job and 1 for context'],
      ['seen b/three.yaml with 1 in its job and 0 for context']
    ])
  })

  it('keeps results the worker sent while this thread was too busy to read them, even past the budget', async () => {
    const jobs: LargeFileJob[] = [{ files: [file('a/one.yaml'), file('a/two.yaml')], context: [] }]
    rmSync(marker, { force: true })
    const pending = analyzeLargeFiles(entry, jobs, 200).results
    // Block this thread until the worker has answered every file, then well past the budget: the
    // budget timer and the answers wait together for this thread.
    const cap = Date.now() + 60_000
    while (!existsSync(marker) && Date.now() < cap) {
      /* busy */
    }
    const until = Date.now() + 400
    while (Date.now() < until) {
      /* busy */
    }
    expect(messages(await pending)).toEqual([['seen a/one.yaml with 2 in its job and 0 for context'], ['seen a/two.yaml with 2 in its job and 0 for context']])
  })

  it('takes a second worker for the folders left once the calling thread helps out', async () => {
    const jobs: LargeFileJob[] = [
      { files: [file('a/slow.yaml')], context: [] },
      { files: [file('b/one.yaml')], context: [] },
      { files: [file('c/two.yaml')], context: [] }
    ]
    const run = analyzeLargeFiles(entry, jobs, 10_000)
    run.helpOut()
    const results = (await run.results) as (AnalysisResult & { thread: number })[]
    expect(messages(results)).toEqual([['seen a/slow.yaml with 1 in its job and 0 for context'], ['seen b/one.yaml with 1 in its job and 0 for context'], ['seen c/two.yaml with 1 in its job and 0 for context']])
    // While the first worker is busy with the slow folder, the second takes the others.
    expect(results[1]!.thread).not.toBe(results[0]!.thread)
    expect(results[2]!.thread).toBe(results[1]!.thread)
  })
})
