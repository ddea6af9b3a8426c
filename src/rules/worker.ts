/**
 * Worker-thread entry (bundled as dist/rules-worker.js). Two jobs, chosen by its workerData:
 * - `{ large: true, jobs, port }`: large files one after another, each under a time budget kept
 *   by the main thread (./large-files.ts). It says on its port when it starts a file and what the
 *   file gave; a file that outlasts its budget ends this worker.
 * - `{ pool: true }`: a member of the pool of ./pool.ts. It says it is ready once its modules are
 *   loaded, then answers each context group it is sent (whole folders, in input order) with one
 *   result per file, in the same order, until it is terminated.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { analyzeFile, analyzeGroupFiles, buildProjectContext } from './index.js'
import type { LargeFileMessage, LargeFilesData } from './large-files.js'
import type { PoolAnswer, PoolRequest } from './pool.js'

const data = workerData as LargeFilesData | { pool: true; repository?: string; listed?: readonly string[] }
// Built once per worker, not once per group.
const listed = data.listed ? new Set(data.listed) : undefined
if ('large' in data) {
  let k = 0
  for (const job of data.jobs) {
    data.port.postMessage({ started: k, at: Date.now() } satisfies LargeFileMessage)
    const context = job.context.map((f) => ({ ...f, contextOnly: true }))
    const project = await buildProjectContext([...job.files, ...context], data.repository, listed)
    for (const [i, file] of job.files.entries()) {
      if (i > 0) data.port.postMessage({ started: k, at: Date.now() } satisfies LargeFileMessage)
      data.port.postMessage({ done: k, result: await analyzeFile(file, project) } satisfies LargeFileMessage)
      k++
    }
  }
  data.port.close()
} else {
  const port = parentPort
  // One group at a time, in the order they came. A group that throws ends this worker (an
  // unhandled rejection); the main thread then takes back what it held.
  let queue: Promise<void> = Promise.resolve()
  port?.on('message', (request: PoolRequest) => {
    queue = queue.then(async () => port.postMessage({ group: request.group, results: await analyzeGroupFiles(request.files, data.repository, listed) } satisfies PoolAnswer))
  })
  port?.postMessage({ ready: true } satisfies PoolAnswer)
}
