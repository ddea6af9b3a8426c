/**
 * Worker-thread entry (bundled as dist/rules-worker.js). Two jobs, chosen by its workerData:
 * - `{ file }`: one large file under a time budget (`analyzeInWorker` in ./index.ts). A regular
 *   expression that backtracks blocks the thread it runs on, so the main thread can only stop it
 *   by terminating this worker.
 * - `{ files }`: a share of a large tree (./pool.ts), whole context groups in input order; the
 *   answer is one result per file, in the same order, for a deterministic merge.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { SourceFile } from '../types.js'
import { analyzeGroupFiles } from './index.js'

const data = workerData as ({ file: SourceFile; context?: SourceFile[] } | { files: SourceFile[] }) & { repository?: string }
if ('file' in data) {
  // The file's folder comes as context-only files: the result is the file's own, first.
  parentPort?.postMessage((await analyzeGroupFiles([data.file, ...(data.context ?? [])], data.repository))[0])
} else {
  parentPort?.postMessage(await analyzeGroupFiles(data.files, data.repository))
}
