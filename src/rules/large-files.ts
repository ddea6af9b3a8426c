/**
 * Large files, each under a time budget, analysed in worker threads while the main thread
 * analyses everything else. A regular expression that backtracks blocks the thread it runs on,
 * so a file that outlasts its budget can only be stopped by terminating its worker; a fresh one
 * takes over the rest of that file's folder and goes on.
 *
 * Why few workers that take folders one after another rather than one worker per file: a worker
 * spends 100-300 ms loading its modules and then runs cold code; a chart collection with forty
 * big CRDs and READMEs paid that forty times. One worker starts with the main thread; when the
 * main thread is done with its own files (`helpOut`), a second one joins for what is left, so a
 * tree of mostly large files does not wait on one thread while a core idles. Workers claim the
 * next folder through a counter they share, without asking the (busy) main thread.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import type { AnalysisResult, SourceFile } from '../types.js'
import type { RunInfo } from './language.js'

/**
 * The large files of one folder and the folder's other files, which come along as context
 * only: the worker builds the folder's context once for all of them (a folder of ten big CRDs
 * would otherwise parse all ten for each).
 */
export interface LargeFileJob {
  files: SourceFile[]
  context: SourceFile[]
}

/** What the main thread hands a large-file worker (see ./worker.ts). */
export interface LargeFilesData {
  large: true
  jobs: LargeFileJob[]
  /** Slot 0: the next job to claim, shared by every large-file worker of the analysis. */
  claim: Int32Array
  /** Files to finish before claiming: the rest of a job whose worker was stopped. */
  leftover?: { job: number; from: number }
  port: MessagePort
  /** What is known about the whole run (its sets and maps cross to the worker as copies). */
  run: RunInfo
}

/** What a worker says on its port, files named by job and place in the job: one started (its clock), or a file's result. */
export type LargeFileMessage = { started: [number, number]; at: number } | { done: [number, number]; result: AnalysisResult }

export interface LargeFilesRun {
  /** One result per file, in the order of the jobs and their files. */
  results: Promise<AnalysisResult[]>
  /** The caller's thread is free: a second worker joins if two or more folders are still unclaimed. */
  helpOut(): void
}

/**
 * Analyses the files of `jobs` in worker threads at `entry`. A file's budget runs from when a
 * worker starts it (building a folder's context counts for its first file); a file that outlasts
 * it, or that makes its worker fail, becomes a note. A worker that starts no file within
 * STARTUP_MS is stopped too.
 */
export function analyzeLargeFiles(entry: URL, jobs: LargeFileJob[], budgetMs: number, run: RunInfo = {}): LargeFilesRun {
  const offsets: number[] = []
  let total = 0
  for (const job of jobs) {
    offsets.push(total)
    total += job.files.length
  }
  const results: AnalysisResult[] = new Array(total)
  let done = 0
  const claim = new Int32Array(new SharedArrayBuffer(4))
  const note = (job: number, i: number, message: string): void => {
    if (results[offsets[job]! + i] !== undefined) return
    results[offsets[job]! + i] = { findings: [], notes: [{ path: jobs[job]!.files[i]!.path, reason: 'error', message }], secrets: [] }
    done++
  }
  const running = new Set<{ stop(): void }>()
  let finish: (value: AnalysisResult[]) => void = () => {}
  const finished = new Promise<AnalysisResult[]>((resolve) => (finish = resolve))
  /** Ends the run when every file has its result, or when no worker is left to give one. */
  const check = (): void => {
    if (done < total && running.size > 0) return
    for (const w of running) w.stop()
    // A job a lost worker had claimed but not started: its files say so rather than go missing.
    jobs.forEach((job, j) => job.files.forEach((file, i) => note(j, i, `${file.path}: analyzer stopped before reaching it, not analyzed`)))
    finish(results)
  }

  const startWorker = (leftover?: { job: number; from: number }): void => {
    const { port1, port2 } = new MessageChannel()
    const data: LargeFilesData = { large: true, jobs, claim, leftover, port: port2, run }
    const worker = new Worker(entry, { workerData: data, transferList: [port2] })
    let current: [number, number] | undefined
    let startedAt = Date.now()
    let timer: ReturnType<typeof setTimeout> | undefined
    const self = {
      stop(): void {
        clearTimeout(timer)
        port1.close()
        worker.removeAllListeners()
        void worker.terminate()
        running.delete(self)
      }
    }
    running.add(self)
    const take = (message: LargeFileMessage): void => {
      if ('started' in message) {
        current = message.started
        startedAt = message.at
      } else {
        const [job, i] = message.done
        if (results[offsets[job]! + i] === undefined) {
          results[offsets[job]! + i] = message.result
          done++
        }
        current = undefined
        startedAt = Date.now()
      }
    }
    /** After news from the worker, a timer or its exit: go on waiting, or end this worker's turn. */
    const settle = (failure?: string): void => {
      if (!running.has(self)) return
      // What the worker said but this thread has not read yet counts first: a busy main thread
      // must not cut short a file that has long finished.
      for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) take(m.message as LargeFileMessage)
      if (done === total) return check()
      if (failure === undefined) {
        // Between files (or before the first) the worker is loading or claiming: only a stuck one is stopped.
        const left = startedAt + (current ? budgetMs : Math.max(budgetMs, STARTUP_MS)) - Date.now()
        if (left > 0) {
          clearTimeout(timer)
          timer = setTimeout(() => settle(), left)
          return
        }
        failure = current ? `${jobs[current[0]]!.files[current[1]]!.path}: analysis stopped after the ${formatSeconds(budgetMs)} time budget, not analyzed` : 'did not start'
      }
      self.stop()
      if (current) {
        const [job, i] = current
        note(job, i, failure)
        // A fresh worker finishes the folder, then claims like the others.
        startWorker(i + 1 < jobs[job]!.files.length ? { job, from: i + 1 } : undefined)
      }
      check()
    }
    port1.on('message', (message: LargeFileMessage) => {
      if (!running.has(self)) return
      take(message)
      // Re-arms the budget for the file just started (or ends the run).
      settle()
    })
    worker.once('error', (e) => settle(current ? `${jobs[current[0]]!.files[current[1]]!.path}: analyzer failed: ${e?.message ?? String(e)}` : 'failed'))
    worker.once('exit', (code) => {
      // A worker that ran out of folders ends on its own; one that stops inside a file failed it.
      for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) take(m.message as LargeFileMessage)
      if (current) settle(`${jobs[current[0]]!.files[current[1]]!.path}: analyzer stopped (exit code ${code}), not analyzed`)
      else {
        self.stop()
        check()
      }
    })
    timer = setTimeout(() => settle(), Math.max(budgetMs, STARTUP_MS))
  }

  if (total === 0) return { results: Promise.resolve(results), helpOut: () => {} }
  startWorker()
  let helped = false
  return {
    results: finished,
    helpOut(): void {
      if (helped || running.size === 0 || jobs.length - Atomics.load(claim, 0) < 2) return
      helped = true
      startWorker()
    }
  }
}

/** How long a worker may take to load and claim a folder before it counts as stuck. */
const STARTUP_MS = 30_000

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`
}
