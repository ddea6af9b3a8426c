/**
 * Parallel analysis of large trees (scan, audit, big pull requests): files are grouped by folder
 * (a Terraform module, a manifest folder, a template) and the groups, largest first, are shared
 * between this thread and `threads - 1` worker threads that each ask for the next group when
 * they finish one. Per-file results come back in input order, so the merged output is the same
 * whoever analysed which group.
 *
 * Why the main thread works too, and why workers pull rather than being dealt shares: a worker
 * spends a few hundred milliseconds loading its modules before it can start, and on a busy
 * machine it may get little CPU at all. Pulling lets the thread that is free take the next
 * group, and when the queue is empty the main thread takes back the groups a worker still holds
 * (first answer wins), so the pool is never slower than the main thread alone by more than the
 * CPU the workers' start-up takes from it.
 */
import { availableParallelism, cpus, loadavg } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { AnalysisResult, SourceFile } from '../types.js'
import { deploymentUnits, kustomizationFileFolders, kustomizationsOf } from './k8s/folder.js'
import type { RunInfo } from './language.js'
import { folderOf, localFolder } from '../util/paths.js'

/**
 * Inputs smaller than this stay in one thread. A worker costs about 1 s of CPU before it pays:
 * loading its modules and the wasm grammar, then running cold code until its own isolate has
 * warmed up (a 3,000-file scan forced onto two threads took 1.3-1.5 s more CPU than on one),
 * about the main thread's own work on 1,000-2,000 small files. Two threads finish sooner than
 * one only when the whole scan costs more than that overhead, so below 2,500 files (or 8 MB)
 * a worker cannot shorten the scan even on an idle core.
 */
export const POOL_MIN_FILES = 2500
export const POOL_MIN_BYTES = 8 * 1024 * 1024

/** CPU time of every core (busy and idle, ms) and of this process (µs) when this module was loaded. */
const startedAt = { wall: performance.now(), cores: coreTimes(), own: process.cpuUsage() }

function coreTimes(): { busy: number; idle: number } {
  let busy = 0
  let idle = 0
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq
    idle += times.idle
  }
  return { busy, idle }
}

/** Shorter windows than this (ms) hold too few clock ticks to measure: the load average is used. */
const MIN_WINDOW_MS = 100

/**
 * How many cores other work kept busy while this process started and read its input (the cores'
 * busy share over that window, less this process's own CPU time), as a count of cores. The
 * one-minute load average would count what ran a minute ago, such as the previous scan of a
 * script that runs them one after another, and keep the pool off on a machine that is idle now.
 */
export function busyElsewhere(cores = availableParallelism()): number {
  const now = { wall: performance.now(), cores: coreTimes(), own: process.cpuUsage() }
  return otherLoad(startedAt, now, cores) ?? loadavg()[0]
}

interface CpuSample {
  wall: number
  cores: { busy: number; idle: number }
  own: { user: number; system: number }
}

/** The cores other work kept busy between two samples, or undefined when the window is too short to tell. */
export function otherLoad(from: CpuSample, to: CpuSample, cores: number): number | undefined {
  const wall = to.wall - from.wall
  const busy = to.cores.busy - from.cores.busy
  const total = busy + to.cores.idle - from.cores.idle
  if (wall < MIN_WINDOW_MS || total <= 0) return undefined
  const ownCores = (to.own.user - from.own.user + to.own.system - from.own.system) / 1000 / wall
  return Math.max(0, (busy / total) * cores - ownCores)
}

/**
 * Cores one analysing thread keeps busy: its own, plus V8's garbage collection and compiler
 * threads and the wasm tier-up beside it. Measured on a 2-core machine: a one-thread scan of
 * 10,000 files used 1.35 cores, two such scans at once took 1.46 times one alone, and a second
 * thread made the scan 3-5% slower.
 */
const CORES_PER_THREAD = 1.4

/**
 * How many threads (the main one included) a tree of these files deserves: 1 for small inputs,
 * else as many as the idle cores hold at CORES_PER_THREAD each. The idle cores are the cores less
 * those other work keeps busy (`busyElsewhere`): on a busy machine (a CI runner running other
 * jobs, a laptop compiling) a worker only takes CPU from the main thread and the scan gets slower.
 */
export function threadsFor(files: SourceFile[], requested?: number, machine = { cores: availableParallelism(), load: busyElsewhere() }): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested))
  let bytes = 0
  for (const f of files) bytes += f.content.length
  if (files.length <= POOL_MIN_FILES && bytes <= POOL_MIN_BYTES) return 1
  const threads = Math.floor((machine.cores - machine.load) / CORES_PER_THREAD)
  return Math.max(1, Math.min(machine.cores, threads))
}

/**
 * The context groups of `files` as lists of indexes (each in input order), largest first by
 * bytes (ties by folder name): the order they are handed out in, so the big ones start early.
 * A group is a folder (a Terraform module, a manifest folder), widened to every folder deployed
 * with it: a kustomization that includes another folder puts both in one group, so an overlay's
 * PodDisruptionBudget counts for its base's Deployment on any thread, as on one.
 */
export function contextGroups(files: SourceFile[]): number[][] {
  // Folders joined by a kustomization share one representative (union-find).
  const parent = new Map<string, string>()
  const find = (folder: string): string => {
    let root = folder
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!
    parent.set(folder, root)
    return root
  }
  const join = (folder: string, other: string): void => {
    const [a, b] = [find(folder), find(other)].sort()
    if (a !== b) parent.set(b!, a!)
  }
  const kustomizations = kustomizationsOf(files)
  for (const [folder, together] of deploymentUnits(files, kustomizations)) for (const other of together) join(folder, other)
  // A file a kustomization elsewhere names (a patch under `fixes/`) is read as that names it.
  for (const [folder, named] of kustomizationFileFolders(files, kustomizations)) join(folder, named)
  // A Terraform module and the local modules it calls: a rule may read what the called one declares.
  for (const [folder, called] of localModuleCalls(files)) join(folder, called)
  const groups = new Map<string, { bytes: number; indexes: number[] }>()
  files.forEach((f, i) => {
    const key = find(folderOf(f.path))
    const g = groups.get(key) ?? { bytes: 0, indexes: [] }
    g.bytes += f.content.length
    g.indexes.push(i)
    groups.set(key, g)
  })
  return [...groups.entries()].sort((a, b) => b[1].bytes - a[1].bytes || (a[0] < b[0] ? -1 : 1)).map(([, g]) => g.indexes)
}

/** `source = "./modules/x"` (or `"../x"`) in a Terraform file, or `"source": "./modules/x"` in its JSON form (where `/` may be written `\/`). */
const LOCAL_MODULE_SOURCE = /(?:\bsource\s*=|"source"\s*:)\s*"(\.\.?\\?\/[^"\n]*)"/g

/** Each Terraform folder with a local module folder it calls, read from the text (no parse): the pairs must share a thread. */
function localModuleCalls(files: readonly SourceFile[]): [string, string][] {
  const out: [string, string][] = []
  for (const f of files) {
    if (f.kind !== 'terraform' || !f.content.includes('source')) continue
    const folder = folderOf(f.path)
    for (const m of f.content.matchAll(LOCAL_MODULE_SOURCE)) {
      const called = localFolder(folder, m[1]!.replaceAll('\\/', '/'))
      if (called !== undefined && called !== folder) out.push([folder, called])
    }
  }
  return out
}

/**
 * Groups a worker holds at once, so it never idles between messages: this thread hands out more
 * only between its own groups, and most groups are small (a folder of two files), so a worker
 * holding two often finished both before its answers were read (a 10,000-file scan left it idle
 * for a quarter of its time).
 */
const IN_FLIGHT = 8

/** What the main thread and a pool worker say to each other (see ./worker.ts). */
export type PoolRequest = { group: number; files: SourceFile[] }
export type PoolAnswer = { ready: true } | { group: number; results: AnalysisResult[] }

/** Counts of who analysed what in the last pool run (tests check that the workers took part). */
export const poolStats = { byMain: 0, byWorkers: 0 }

/**
 * Analyzes `files` on this thread plus `threads - 1` worker threads; one result per file, in
 * input order. A worker that fails (cannot start, runs out of memory) gives its groups back.
 */
export async function analyzeInPool(
  entry: URL,
  files: SourceFile[],
  threads: number,
  inThread: (files: SourceFile[]) => Promise<AnalysisResult[]>,
  run: RunInfo = {}
): Promise<AnalysisResult[]> {
  const groups = contextGroups(files)
  const results: AnalysisResult[] = new Array(files.length)
  const done: boolean[] = new Array(groups.length).fill(false)
  let remaining = groups.length
  let nextGroup = 0
  poolStats.byMain = 0
  poolStats.byWorkers = 0
  let wake: (() => void) | undefined
  const settle = (group: number, answer: AnalysisResult[], byWorker: boolean): void => {
    if (done[group]) return
    done[group] = true
    remaining--
    if (byWorker) poolStats.byWorkers++
    else poolStats.byMain++
    groups[group].forEach((fileIndex, k) => (results[fileIndex] = answer[k]))
    wake?.()
  }

  const helpers: { worker: Worker; holding: Set<number> }[] = []
  const feed = (helper: { worker: Worker; holding: Set<number> }): void => {
    while (helper.holding.size < IN_FLIGHT && nextGroup < groups.length) {
      const group = nextGroup++
      helper.holding.add(group)
      helper.worker.postMessage({ group, files: groups[group].map((i) => files[i]) } satisfies PoolRequest)
    }
  }
  for (let t = 1; t < threads && t < groups.length; t++) {
    const helper = { worker: new Worker(entry, { workerData: { pool: true, run } }), holding: new Set<number>() }
    helpers.push(helper)
    helper.worker.on('message', (answer: PoolAnswer) => {
      if ('group' in answer) {
        helper.holding.delete(answer.group)
        settle(answer.group, answer.results, true)
      }
      feed(helper)
    })
    const lost = (): void => {
      // Its groups go back to whoever is free; the main thread takes them at the latest.
      helper.holding.clear()
      const at = helpers.indexOf(helper)
      if (at >= 0) helpers.splice(at, 1)
      wake?.()
    }
    helper.worker.once('error', lost)
    helper.worker.once('exit', lost)
  }

  try {
    while (remaining > 0) {
      let group: number | undefined
      if (nextGroup < groups.length) group = nextGroup++
      else {
        // Queue empty: take back a group a worker still holds (the one it has not started yet
        // first), or one a lost worker left, rather than wait.
        const held = helpers.flatMap((h) => [...h.holding].reverse())
        group = held.find((g) => !done[g]) ?? done.findIndex((d, g) => !d && !helpers.some((h) => h.holding.has(g)))
        if (group === -1) group = undefined
      }
      if (group !== undefined && !done[group]) {
        const answer = await inThread(groups[group].map((i) => files[i]))
        settle(group, answer, false)
        // Let the workers' messages in between groups (they wait for their next one).
        await new Promise<void>((resolve) => setImmediate(resolve))
      } else if (remaining > 0) {
        await new Promise<void>((resolve) => (wake = resolve))
        wake = undefined
      }
    }
  } finally {
    for (const h of [...helpers]) {
      h.worker.removeAllListeners()
      void h.worker.terminate()
    }
  }
  return results
}
