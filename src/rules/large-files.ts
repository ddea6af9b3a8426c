/**
 * Large files, each under a time budget, analysed one after another in one worker thread while
 * the main thread analyses everything else. A regular expression that backtracks blocks the
 * thread it runs on, so a file that outlasts its budget can only be stopped by terminating its
 * worker; the files after it go on in a fresh one.
 *
 * Why one worker for all of them rather than one each: a worker spends 100-300 ms loading its
 * modules and then runs cold code; a chart collection with forty big CRDs and READMEs paid that
 * forty times, one after another, while the main thread waited.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import type { AnalysisResult, SourceFile } from '../types.js'

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
  port: MessagePort
  repository?: string
  /** Paths of every file of the analysed list (see RunInfo.listed). */
  listed?: readonly string[]
}

/** What the worker says on its port: a file started (its clock), or a file's result. */
export type LargeFileMessage = { started: number; at: number } | { done: number; result: AnalysisResult }

/**
 * Analyses the files of `jobs` in order in a worker thread at `entry`; one result per file, in
 * the order of the jobs and their files. A file's budget runs from when the worker starts it
 * (the first file's from when the worker is created, so a worker that never starts is stopped
 * too; building a folder's context counts for its first file); a file that outlasts it, or that
 * makes its worker fail, becomes a note.
 */
export function analyzeLargeFiles(entry: URL, jobs: LargeFileJob[], budgetMs: number, repository?: string, listed?: readonly string[]): Promise<AnalysisResult[]> {
  const files = jobs.flatMap((job) => job.files.map((file) => ({ file, job })))
  const results: AnalysisResult[] = new Array(files.length)
  const failed = (k: number, message: string): AnalysisResult => ({ findings: [], notes: [{ path: files[k]!.file.path, reason: 'error', message }], secrets: [] })
  /** The jobs for the files from `from` on: what a fresh worker takes over. */
  const jobsFrom = (from: number): LargeFileJob[] => {
    const out: LargeFileJob[] = []
    for (const { file, job } of files.slice(from)) {
      const last = out.at(-1)
      if (last && last.context === job.context) last.files.push(file)
      else out.push({ files: [file], context: job.context })
    }
    return out
  }
  return new Promise((resolve) => {
    let next = 0
    const startWorker = (): void => {
      const from = next
      if (from >= files.length) return resolve(results)
      const { port1, port2 } = new MessageChannel()
      const data: LargeFilesData = { large: true, jobs: jobsFrom(from), port: port2, repository, listed }
      const worker = new Worker(entry, { workerData: data, transferList: [port2] })
      let startedAt = Date.now()
      let over = false
      let timer: ReturnType<typeof setTimeout> | undefined
      const stop = (): void => {
        over = true
        clearTimeout(timer)
        port1.close()
        worker.removeAllListeners()
        void worker.terminate()
      }
      const take = (message: LargeFileMessage): void => {
        if ('started' in message) startedAt = message.at
        else {
          results[from + message.done] = message.result
          next = from + message.done + 1
          startedAt = Date.now()
        }
      }
      /** Ends this worker's turn when it is done, or when its current file has failed: the rest go on in a new one. */
      const settle = (failure?: string): void => {
        if (over) return
        // What the worker said but this thread has not read yet counts first: a busy main thread
        // must not cut a file short that has long finished.
        for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) take(m.message as LargeFileMessage)
        if (next >= files.length) {
          stop()
          return resolve(results)
        }
        if (failure === undefined) {
          const left = startedAt + budgetMs - Date.now()
          if (left > 0) {
            timer = setTimeout(() => settle(), left)
            return
          }
          failure = `${files[next]!.file.path}: analysis stopped after the ${formatSeconds(budgetMs)} time budget, not analyzed`
        }
        stop()
        results[next] = failed(next, failure)
        next++
        startWorker()
      }
      port1.on('message', (message: LargeFileMessage) => {
        if (over) return
        take(message)
        if (next >= files.length) settle()
      })
      worker.once('error', (e) => settle(`${files[next]?.file.path}: analyzer failed: ${e?.message ?? String(e)}`))
      worker.once('exit', (code) => settle(`${files[next]?.file.path}: analyzer stopped (exit code ${code}), not analyzed`))
      timer = setTimeout(() => settle(), budgetMs)
    }
    startWorker()
  })
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`
}
