/**
 * The result cache of repeated local scans (`preflight scan --cache`): each context group's
 * per-file results (./pool.ts groups: a Terraform module with its local modules, a manifest
 * folder with the folders deployed with it or patched from it), kept under a key made of what the
 * group's analysis reads. A later scan analyses only the groups whose key changed.
 *
 * The key: a group's results are a function of its files (path, kind, content) and of the run's
 * `RunInfo` (every listed path, the images the tree builds, the repository), computed by this
 * exact code on this exact Node; the pool relies on the same property to give the same output on
 * any thread count, and its groups are what keeps it true. One input is the clock (a token's
 * expiry), so results say until when they hold (`AnalysisResult.validUntil`). An edit re-analyses
 * its own group; adding or removing a file anywhere, or a new build, re-analyses everything.
 *
 * What is kept on disk, and why nobody else can write it:
 * - Findings and notes redacted as the output would be; the secrets only as positions (line,
 *   column, length), read back from the file on a hit. A group is not kept when its secret is not
 *   the literal text at its position, or when its text holds a secret of another group (kept, it
 *   would either hold that value in clear or stop matching a fresh scan once that group changes).
 * - The file is signed (HMAC-SHA256) with a random key kept in the user's cache folder, never in
 *   the scanned tree: a cache file planted by a pull request, or edited, fails the check and is
 *   ignored with a note, so it cannot hide a finding.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { constants } from 'node:fs'
import { link, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AnalysisResult, FileNote, Finding, SecretLocation, SourceFile } from '../types.js'
import type { RunInfo } from './language.js'
import { contextGroups } from './pool.js'
import { redactedJson } from '../redact.js'
import { VERSION } from '../version.js'

/** First word of a cache file, with its format version. */
const MAGIC = 'preflight-result-cache 1'

/** The user's cache folder for Preflight's results (and the signing key). */
export function userResultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'preflight', 'results')
}

/** Where a scan of `root` keeps its cache by default: one file per scanned folder. */
export function defaultCacheFile(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(userResultCacheDir(env), `${createHash('sha256').update(root).digest('hex').slice(0, 24)}.cache`)
}

/** A group's results as kept: secrets as positions only, the rest redacted. */
interface StoredResult {
  findings: Finding[]
  notes: FileNote[]
  /** `[line, column, length]` of each secret, in its file (the result's own path unless a fourth item says). */
  secrets: [number, number, number, string?][]
  /** Until when the result holds (ms), when a token in the file expires. */
  validUntil?: number
}

/** A group's entry: its files' results. */
interface StoredGroup {
  results: StoredResult[]
}

/** Counts of the last lookup, for the output's `stats.cache` and tests. */
export interface CacheStats {
  groups: number
  hits: number
  /** Groups analysed whose results could not be kept (see the module comment). */
  unkept: number
}

export interface CachePlan {
  /** Indexes of the files to analyse (whole groups, input order). */
  missing: number[]
  /** Every file's result, in input order, from the fresh results of `missing` (in its order). */
  complete(fresh: AnalysisResult[]): AnalysisResult[]
  /**
   * Keeps the groups just analysed; `secrets` are all the run's (large files too), for redaction.
   * `othersAnalysed`: files outside the plan were analysed (large files), so the groups read back
   * are checked against the secrets again.
   */
  keep(secrets: readonly SecretLocation[], othersAnalysed: boolean): void
}

export interface ResultCache {
  /** Why the file on disk was not used (tampered, unreadable), when it was not; the caller makes it a note. */
  readonly problem?: string
  readonly stats: CacheStats
  /** Splits `files` into those whose results the cache holds for this run and those to analyse. */
  plan(files: SourceFile[], run: RunInfo): CachePlan
  /** Writes the groups of the last plan (and nothing older) back, signed; nothing when they are what was read. */
  save(): Promise<void>
}

/**
 * Opens the cache kept at `file` (a missing file is an empty cache). `keyDir` holds the signing
 * key (created on first use, readable by the user only).
 */
export async function openResultCache(file: string, keyDir = userResultCacheDir()): Promise<ResultCache> {
  const key = await signingKey(keyDir)
  const tool = await codeIdentity()
  let entries = new Map<string, string>()
  let problem: string | undefined
  // Only a regular file is read or replaced: never a device (`/dev/null` as root), a pipe or a folder.
  const existing = await stat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined
    throw e
  })
  if (existing && !existing.isFile()) throw new NotRegularFile(file)
  const text = await readCacheFile(file).catch((e: Error) => {
    // Swapped for a pipe or a device since the check: not used, so not replaced either.
    if (e instanceof NotRegularFile) throw e
    problem = `${file}: the result cache could not be read (${e.message}); every file is analysed`
    return undefined
  })
  if (text !== undefined) {
    const loaded = readSigned(text, key, tool)
    if (typeof loaded === 'string') problem = `${file}: ${loaded}; every file is analysed and the cache written again`
    else entries = loaded
  }
  // Each group's line as it will be written: kept entries as read, new ones redacted once.
  const next = new Map<string, string>()
  const stats: CacheStats = { groups: 0, hits: 0, unkept: 0 }
  return {
    problem,
    stats,
    plan(files, run) {
      const runKey = runIdentity(tool, run)
      const groups = contextGroups(files).map((indexes) => ({ indexes, key: groupKey(runKey, indexes.map((i) => files[i]!)) }))
      const cached = new Map<number, AnalysisResult>()
      const missing: number[] = []
      next.clear()
      Object.assign(stats, { groups: groups.length, hits: 0, unkept: 0 })
      for (const g of groups) {
        const line = entries.get(g.key)
        const results = line === undefined ? undefined : restore(line, g.indexes.map((i) => files[i]!))
        if (results) {
          stats.hits++
          next.set(g.key, line!)
          g.indexes.forEach((i, k) => cached.set(i, results[k]!))
        } else missing.push(...g.indexes)
      }
      missing.sort((a, b) => a - b)
      let out: AnalysisResult[] = []
      return {
        missing,
        complete(fresh) {
          out = new Array(files.length)
          for (const [i, r] of cached) out[i] = r
          missing.forEach((i, k) => (out[i] = fresh[k]!))
          return out
        },
        keep(secrets, othersAnalysed) {
          // A group read back was checked against the secrets of the run that kept it; a file
          // analysed now (here, or a large one) may show a new one its text holds.
          const recheck = othersAnalysed || missing.length > 0
          for (const g of groups) {
            const kept = next.has(g.key)
            if (kept && !recheck) continue
            const line = store(g.indexes.map((i) => files[i]!), g.indexes.map((i) => out[i]!), secrets)
            if (kept) {
              if (line === undefined) next.delete(g.key)
            } else if (line !== undefined) next.set(g.key, line)
            else stats.unkept++
          }
        }
      }
    },
    async save() {
      // Every group read back, none dropped: the file already says all of it.
      if (problem === undefined && text !== undefined && next.size === entries.size && stats.hits === stats.groups) return
      let body = `${tool}\n`
      for (const [groupKey, line] of next) body += `${groupKey} ${line}\n`
      await mkdir(dirname(file), { recursive: true, mode: 0o700 })
      await writeWhole(file, `${MAGIC} ${sign(key, body)}\n${body}`)
    }
  }
}

class NotRegularFile extends Error {
  constructor(file: string) {
    super(`${file} is not a regular file`)
  }
}

/** The cache file's text; undefined when there is none. Only a regular file is read (not a device, a folder or a pipe). */
async function readCacheFile(file: string): Promise<string | undefined> {
  let handle
  try {
    // Non-blocking: a pipe put there since the check above must not stop the scan.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  try {
    if (!(await handle.stat()).isFile()) throw new NotRegularFile(file)
    return await handle.readFile('utf8')
  } finally {
    await handle.close()
  }
}

/** Writes `text` to `path` whole or not at all: beside it first (mode 0600), then renamed over it. */
async function writeWhole(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(temp, text, { mode: 0o600, flag: 'wx' })
    await rename(temp, path)
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw e
  }
}

/**
 * The entries of a signed cache text (group key to its results' JSON, parsed only on a hit), or
 * why it was refused. The text: the magic words and the signature of the rest; the build it
 * belongs to; then one line per group, its key and its results.
 */
function readSigned(text: string, key: Buffer, tool: string): Map<string, string> | string {
  const newline = text.indexOf('\n')
  const head = newline < 0 ? text : text.slice(0, newline)
  if (!head.startsWith(MAGIC + ' ')) return 'not a Preflight result cache'
  const body = text.slice(newline + 1)
  const given = Buffer.from(head.slice(MAGIC.length + 1), 'hex')
  const expected = Buffer.from(sign(key, body), 'hex')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the result cache was not written by this user (its signature does not match)'
  const entries = new Map<string, string>()
  const lines = body.split('\n')
  // Another build of Preflight: nothing in it applies.
  if (lines[0] !== tool) return entries
  for (const line of lines.slice(1)) {
    const space = line.indexOf(' ')
    if (space > 0) entries.set(line.slice(0, space), line.slice(space + 1))
  }
  return entries
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('hex')
}

/** The user's signing key, made on first use (32 random bytes, mode 0600). */
async function signingKey(dir: string): Promise<Buffer> {
  const path = join(dir, 'key')
  try {
    return await readKey(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  await mkdir(dir, { recursive: true, mode: 0o700 })
  // Written whole beside it, then linked into place: a second first run reads one complete key,
  // never an empty file, and the first link wins.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(temp, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' })
    await link(temp, path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e
    })
  } finally {
    await rm(temp, { force: true }).catch(() => undefined)
  }
  return readKey(path)
}

async function readKey(path: string): Promise<Buffer> {
  const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'hex')
  if (key.length < 32) throw new Error(`${path}: not a result-cache key (remove it to make a new one)`)
  return key
}

/**
 * What this build of Preflight is: its version, the Node it runs on, and a digest of its code:
 * the bundle's folder (this module sits in its `chunks/`), wasm grammars included, or the
 * sources' folder when run from them (tests).
 */
let identity: Promise<string> | undefined
function codeIdentity(): Promise<string> {
  identity ??= (async () => {
    const here = dirname(fileURLToPath(import.meta.url))
    const dir = ['chunks', 'rules'].includes(basename(here)) ? dirname(here) : here
    const hash = createHash('sha256').update(`${VERSION}\n${process.version}\n`)
    const code = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((d) => d.isFile() && CODE_FILE.test(d.name))
      .map((d) => join(d.parentPath, d.name))
      .sort()
    for (const path of code) hash.update(`${path.slice(dir.length)}\n`).update(await readFile(path))
    return hash.digest('hex')
  })()
  return identity
}

const CODE_FILE = /\.(?:[cm]?js|ts|wasm|json)$/

/** Everything of the run a group's analysis reads besides its own files. */
function runIdentity(tool: string, run: RunInfo): string {
  const hash = createHash('sha256').update(`${tool}\n${run.repository ?? ''}\n`)
  for (const path of [...(run.listed ?? [])].sort()) hash.update(`${path}\n`)
  hash.update('\u0000')
  for (const [name, image] of [...(run.builtImages ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) hash.update(`${name}\n${JSON.stringify(image)}\n`)
  return hash.digest('hex')
}

function groupKey(runKey: string, files: SourceFile[]): string {
  const hash = createHash('sha256').update(runKey)
  for (const f of files) hash.update(`\u0000${f.path}\u0000${f.kind}\u0000${f.contextOnly ? 1 : 0}\u0000${f.content.length}\u0000`).update(f.content)
  return hash.digest('hex').slice(0, 40)
}

/** A group's file lines by path, as the analysis saw them (line ends made `\n`), split on first use. */
function linesReader(files: SourceFile[]): (path: string) => string[] | undefined {
  const lines = new Map<string, string[]>()
  return (path) => {
    if (!lines.has(path)) {
      const file = files.find((f) => f.path === path)
      if (file) lines.set(path, (file.content.includes('\r') ? file.content.replace(/\r\n?/g, '\n') : file.content).split('\n'))
    }
    return lines.get(path)
  }
}

/**
 * A group's entry as kept, or undefined when it cannot be: a secret is not the literal text at its
 * position (it could not be read back without keeping the value), or the group's text holds a
 * secret only another group's files show (`all`, the run's secrets, masks more than its own).
 */
function store(files: SourceFile[], results: AnalysisResult[], all: readonly SecretLocation[]): string | undefined {
  const linesAt = linesReader(files)
  const own: SecretLocation[] = []
  const stored: StoredGroup = { results: [] }
  for (let k = 0; k < results.length; k++) {
    const r = results[k]!
    const positions: StoredResult['secrets'] = []
    for (const s of r.secrets) {
      if (s.value.length === 0 || linesAt(s.path)?.[s.line - 1]?.slice(s.column, s.column + s.value.length) !== s.value) return undefined
      positions.push(s.path === files[k]!.path ? [s.line, s.column, s.value.length] : [s.line, s.column, s.value.length, s.path])
      own.push(s)
    }
    stored.results.push({ findings: r.findings, notes: r.notes, secrets: positions, ...(r.validUntil !== undefined ? { validUntil: r.validUntil } : {}) })
  }
  // Redacted as the output is.
  const text = redactedJson(stored, own)
  return own.length === all.length || redactedJson(stored, all) === text ? text : undefined
}

/** A group's kept results with their secrets read back from the files, or undefined if they do not fit. */
function restore(line: string, files: SourceFile[]): AnalysisResult[] | undefined {
  let group: StoredGroup
  try {
    group = JSON.parse(line) as StoredGroup
  } catch {
    return undefined
  }
  const stored = group?.results
  if (!Array.isArray(stored) || stored.length !== files.length) return undefined
  const now = Date.now()
  const linesAt = linesReader(files)
  const out: AnalysisResult[] = []
  for (let k = 0; k < files.length; k++) {
    const s = stored[k]!
    // A token in the file has expired since: its finding is judged again.
    if (s.validUntil !== undefined && !(now < s.validUntil)) return undefined
    const secrets: SecretLocation[] = []
    for (const [line, column, length, other] of s.secrets) {
      const path = other ?? files[k]!.path
      const value = linesAt(path)?.[line - 1]?.slice(column, column + length)
      if (!value || value.length !== length) return undefined
      secrets.push({ path, line, column, value })
    }
    out.push({ findings: s.findings, notes: s.notes, secrets, ...(s.validUntil !== undefined ? { validUntil: s.validUntil } : {}) })
  }
  return out
}
