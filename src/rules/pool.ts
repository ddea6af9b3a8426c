/**
 * Parallel analysis of large trees (scan, audit, big pull requests): files are grouped by folder
 * (a Terraform module, a manifest folder, a template), the groups are dealt to one worker thread
 * per core by size (largest first, each to the least loaded worker), and the per-file results come
 * back in input order, so the merged output is the same as the single-thread path's.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { AnalysisResult, SourceFile } from '../types.js'

/** Inputs smaller than this stay in one thread: starting workers would cost more than they save. */
export const POOL_MIN_FILES = 200
export const POOL_MIN_BYTES = 2 * 1024 * 1024

/** How many threads a tree of these files deserves: 1 for small inputs, else one per core. */
export function threadsFor(files: SourceFile[], requested?: number): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested))
  let bytes = 0
  for (const f of files) bytes += f.content.length
  if (files.length <= POOL_MIN_FILES && bytes <= POOL_MIN_BYTES) return 1
  return Math.max(1, availableParallelism())
}

/** The context group of a file: its folder. */
function groupOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

/**
 * Indexes of `files` dealt into `threads` shares: whole groups, largest first, each to the share
 * with the fewest bytes so far (ties to the lower share), every share in input order.
 */
export function shares(files: SourceFile[], threads: number): number[][] {
  const groups = new Map<string, { bytes: number; indexes: number[] }>()
  files.forEach((f, i) => {
    const key = groupOf(f.path)
    const g = groups.get(key) ?? { bytes: 0, indexes: [] }
    g.bytes += f.content.length
    g.indexes.push(i)
    groups.set(key, g)
  })
  const ordered = [...groups.entries()].sort((a, b) => b[1].bytes - a[1].bytes || (a[0] < b[0] ? -1 : 1))
  const out = Array.from({ length: threads }, () => ({ bytes: 0, indexes: [] as number[] }))
  for (const [, g] of ordered) {
    const least = out.reduce((best, s) => (s.bytes < best.bytes ? s : best))
    least.bytes += g.bytes
    least.indexes.push(...g.indexes)
  }
  return out.map((s) => s.indexes.sort((a, b) => a - b)).filter((s) => s.length > 0)
}

/**
 * Analyzes `files` on `threads` worker threads; one result per file, in input order. A share
 * whose worker fails (cannot start, runs out of memory) is analysed by `inThread` instead.
 */
export async function analyzeInPool(
  entry: URL,
  files: SourceFile[],
  threads: number,
  inThread: (files: SourceFile[]) => Promise<AnalysisResult[]>,
  repository?: string
): Promise<AnalysisResult[]> {
  const results: AnalysisResult[] = new Array(files.length)
  const runShare = (share: number[]): Promise<boolean> =>
    new Promise((resolve) => {
      const worker = new Worker(entry, { workerData: { files: share.map((i) => files[i]), repository } })
      worker.once('message', (answer: AnalysisResult[]) => {
        answer.forEach((r, k) => (results[share[k]] = r))
        resolve(true)
        void worker.terminate()
      })
      worker.once('error', () => resolve(false))
      worker.once('exit', () => resolve(false))
    })
  await Promise.all(
    shares(files, threads).map(async (share) => {
      if (await runShare(share)) return
      const answer = await inThread(share.map((i) => files[i]))
      answer.forEach((r, k) => (results[share[k]] = r))
    })
  )
  return results
}
