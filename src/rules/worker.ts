/**
 * Worker-thread entry for analysing one large file (see `analyzeInWorker` in ./index.ts): a
 * regular expression that backtracks blocks the thread it runs on, so large files are analysed
 * here, where the main thread can terminate the work when its time budget runs out.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { SourceFile } from '../types.js'
import { analyzeFile } from './index.js'

const { file } = workerData as { file: SourceFile }
parentPort?.postMessage(await analyzeFile(file))
