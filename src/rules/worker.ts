/**
 * Worker-thread entry (bundled as dist/rules-worker.js). Two jobs, chosen by its workerData:
 * - `{ file }`: one large file under a time budget (`analyzeInWorker` in ./index.ts). A regular
 *   expression that backtracks blocks the thread it runs on, so the main thread can only stop it
 *   by terminating this worker.
 * - `{ pool: true }`: a member of the pool of ./pool.ts. It says it is ready once its modules are
 *   loaded, then answers each context group it is sent (whole folders, in input order) with one
 *   result per file, in the same order, until it is terminated.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { SourceFile } from '../types.js'
import { analyzeGroupFiles } from './index.js'
import type { PoolAnswer, PoolRequest } from './pool.js'

const data = workerData as ({ file: SourceFile; context?: SourceFile[] } | { pool: true }) & { repository?: string }
if ('file' in data) {
  // The file's folder comes as context-only files: the result is the file's own, first.
  parentPort?.postMessage((await analyzeGroupFiles([data.file, ...(data.context ?? [])], data.repository))[0])
} else {
  const port = parentPort
  // One group at a time, in the order they came. A group that throws ends this worker (an
  // unhandled rejection); the main thread then takes back what it held.
  let queue: Promise<void> = Promise.resolve()
  port?.on('message', (request: PoolRequest) => {
    queue = queue.then(async () => port.postMessage({ group: request.group, results: await analyzeGroupFiles(request.files, data.repository) } satisfies PoolAnswer))
  })
  port?.postMessage({ ready: true } satisfies PoolAnswer)
}
