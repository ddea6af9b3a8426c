/**
 * Worker-thread entry (bundled as dist/rules-worker.js). Two jobs, chosen by its workerData:
 * - `{ large: true, jobs, claim, port }`: folders of large files, claimed one after another through
 *   a counter shared with the other large-file workers, each file under a time budget kept by the
 *   main thread (./large-files.ts). It says on its port when it starts a file and what the file
 *   gave; a file that outlasts its budget ends this worker.
 * - `{ pool: true }`: a member of the pool of ./pool.ts. It says it is ready once its modules are
 *   loaded, then answers each context group it is sent (whole folders, in input order) with one
 *   result per file, in the same order, until it is terminated.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { analyzeFile, analyzeGroupFiles, buildProjectContext } from './index.js'
import type { LargeFileMessage, LargeFilesData } from './large-files.js'
import type { RunInfo } from './language.js'
import type { PoolAnswer, PoolRequest } from './pool.js'

const data = workerData as LargeFilesData | { pool: true; run: RunInfo }
if ('large' in data) {
  const port = data.port
  /** Files `from` on of job `j`, the folder's context built once for them. */
  const run = async (j: number, from: number): Promise<void> => {
    const job = data.jobs[j]!
    port.postMessage({ started: [j, from], at: Date.now() } satisfies LargeFileMessage)
    const context = job.context.map((f) => ({ ...f, contextOnly: true }))
    const project = await buildProjectContext([...job.files, ...context], data.run)
    for (let i = from; i < job.files.length; i++) {
      if (i > from) port.postMessage({ started: [j, i], at: Date.now() } satisfies LargeFileMessage)
      port.postMessage({ done: [j, i], result: await analyzeFile(job.files[i]!, project) } satisfies LargeFileMessage)
    }
  }
  if (data.leftover) await run(data.leftover.job, data.leftover.from)
  // The next folder no other large-file worker has taken.
  for (let j = Atomics.add(data.claim, 0, 1); j < data.jobs.length; j = Atomics.add(data.claim, 0, 1)) await run(j, 0)
  port.close()
} else {
  const port = parentPort
  // One group at a time, in the order they came. A group that throws ends this worker (an
  // unhandled rejection); the main thread then takes back what it held.
  let queue: Promise<void> = Promise.resolve()
  port?.on('message', (request: PoolRequest) => {
    queue = queue.then(async () => port.postMessage({ group: request.group, results: await analyzeGroupFiles(request.files, data.run) } satisfies PoolAnswer))
  })
  port?.postMessage({ ready: true } satisfies PoolAnswer)
}
