/**
 * Batched reads of repository files through GitHub's GraphQL API: many blobs per request
 * (`object(expression:)` aliases), folders listed as trees, the persona folders and the settings
 * file at the base commit in one request. Paths are attacker-controlled, so every expression is
 * a GraphQL variable and never part of the query text. What GraphQL cannot give (a truncated or
 * refused blob, an endpoint that fails) is read through REST, one file at a time.
 */
import type { FileNote } from '../types.js'
import type { PersonaSource } from '../agents/loader.js'
import { describeError, type GitHubClient, type Logger } from './client.js'

/** Contents above this size are not analyzed (also the REST reader's limit). */
export const MAX_BLOB_BYTES = 2 * 1024 * 1024
/** Aliases per query: GitHub's node limits and the query's own size stay comfortable. */
export const MAX_ALIASES = 100
/** Sum of blob sizes asked for in one query, so a response stays well under GitHub's limits. */
export const MAX_BATCH_BYTES = 3 * 1024 * 1024

/** GraphQL queries in flight at once (far below GitHub's limit on concurrent requests). */
const QUERY_CONCURRENCY = 4

/** Runs `fn` over `items` with at most `limit` at a time; results in input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

/** Where the settings file may live, first match wins. */
import { BASELINE_PATH, SETTINGS_PATHS } from '../settings/types.js'
export { SETTINGS_PATHS }

export interface RepoAt {
  owner: string
  repo: string
  /** A commit sha (or a branch name). */
  ref: string
}

export interface BlobRead {
  content?: string
  note?: FileNote
}

export interface BlobInfo {
  byteSize: number
  isBinary: boolean
}

/** One entry of a listed folder. */
export interface TreeEntry {
  name: string
  path: string
  type: 'blob' | 'tree' | 'commit'
  /** Blobs only. */
  byteSize?: number
  isBinary?: boolean
}

/** Reads one file through REST; supplied by the caller so this module does not import its own caller. */
export type RestReader = (client: GitHubClient, at: RepoAt & { path: string }) => Promise<BlobRead>

interface RawBlob {
  text?: string | null
  byteSize?: number
  isBinary?: boolean | null
  isTruncated?: boolean
}

interface RawTree {
  entries?: { name: string; path: string; type: string; object?: RawBlob | null }[]
}

type Raw = (RawBlob & RawTree) | null

/** GraphQL cost per client, summed over this run (for the log and the bench). */
const spend = new WeakMap<GitHubClient, { queries: number; cost: number; remaining?: number }>()

/** What this client's GraphQL queries cost so far (`rateLimit.cost` summed). */
export function graphqlSpend(client: GitHubClient): { queries: number; cost: number; remaining?: number } {
  return { ...(spend.get(client) ?? { queries: 0, cost: 0 }) }
}

function note(path: string, reason: FileNote['reason'], message: string): FileNote {
  return { path, reason, message }
}

const short = (ref: string) => ref.slice(0, 12)

const BLOB_FIELDS = 'byteSize isBinary isTruncated text'
const SIZE_FIELDS = 'byteSize isBinary'

/**
 * One query with `expressions` as variables `$e0…`; the selection is the same for each alias.
 * Returns the object per expression (null: nothing there) and the aliases GitHub refused.
 */
async function queryObjects(
  client: GitHubClient,
  at: { owner: string; repo: string },
  expressions: readonly string[],
  selection: string,
  log?: Logger
): Promise<{ objects: Raw[]; refused: Set<number> }> {
  const declared = expressions.map((_, i) => `$e${i}: String!`).join(', ')
  const aliases = expressions.map((_, i) => `f${i}: object(expression: $e${i}) { ${selection} }`).join('\n    ')
  const query = `query($owner: String!, $name: String!, ${declared}) {\n  repository(owner: $owner, name: $name) {\n    ${aliases}\n  }\n  rateLimit { cost remaining }\n}`
  const variables: Record<string, string> = { owner: at.owner, name: at.repo }
  expressions.forEach((e, i) => (variables[`e${i}`] = e))

  type Data = { repository?: Record<string, Raw> | null; rateLimit?: { cost?: number; remaining?: number } | null }
  let data: Data | undefined
  const refused = new Set<number>()
  try {
    data = (await client.graphql({ query, ...variables, ...(client.graphqlUrl ? { url: client.graphqlUrl } : {}) })) as Data
  } catch (e) {
    // A response with errors may still carry the aliases that worked.
    const partial = e as { name?: string; data?: Data; errors?: { path?: (string | number)[] }[] }
    if (partial.name !== 'GraphqlResponseError' || !partial.data?.repository) throw e
    data = partial.data
    for (const err of partial.errors ?? []) {
      const alias = err.path?.find((p) => typeof p === 'string' && /^f\d+$/.test(p))
      if (typeof alias === 'string') refused.add(Number(alias.slice(1)))
    }
  }
  const s = spend.get(client) ?? { queries: 0, cost: 0 }
  s.queries++
  s.cost += data?.rateLimit?.cost ?? 0
  if (data?.rateLimit?.remaining !== undefined) s.remaining = data.rateLimit.remaining
  spend.set(client, s)
  log?.debug(`Preflight: GraphQL read of ${expressions.length} object(s): cost ${data?.rateLimit?.cost ?? '?'}, remaining ${data?.rateLimit?.remaining ?? '?'}`)
  const repository = data?.repository ?? {}
  return { objects: expressions.map((_, i) => repository[`f${i}`] ?? null), refused }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Batches of at most MAX_ALIASES paths whose summed size stays under MAX_BATCH_BYTES (a larger file goes alone). */
function sizeBatches(paths: readonly string[], sizes: Map<string, number>): string[][] {
  const batches: string[][] = []
  let current: string[] = []
  let bytes = 0
  for (const path of paths) {
    const size = sizes.get(path) ?? 0
    if (current.length && (current.length >= MAX_ALIASES || bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(path)
    bytes += size
  }
  if (current.length) batches.push(current)
  return batches
}

/** A blob's text as analysis wants it, or the note that says why there is none. */
function blobResult(path: string, blob: RawBlob): BlobRead | 'rest' {
  if ((blob.byteSize ?? 0) > MAX_BLOB_BYTES) return { note: note(path, 'too-large', `${path}: larger than 2 MiB, not analyzed`) }
  if (blob.isBinary) return { note: note(path, 'binary', `${path}: binary content, not analyzed`) }
  // GitHub leaves out the text of large blobs (or marks it truncated): REST has the whole file.
  if (typeof blob.text !== 'string' || blob.isTruncated) return 'rest'
  if (blob.text.includes('\u0000')) return { note: note(path, 'binary', `${path}: binary content, not analyzed`) }
  // GitHub decodes invalid UTF-8 into replacement characters; REST can tell the difference.
  if (blob.text.includes('\uFFFD')) return 'rest'
  return { content: blob.text.startsWith('\uFEFF') ? blob.text.slice(1) : blob.text }
}

export interface ReadFilesOptions extends RepoAt {
  paths: readonly string[]
  /** The REST reader for what GraphQL cannot give. */
  rest: RestReader
  /** Sizes already known (from a tree listing): skips the size query for those paths. */
  known?: Map<string, BlobInfo>
  log?: Logger
}

/**
 * The text of many files at one ref: one size query per 100 paths (so oversized and binary
 * files are never downloaded), then the text in size-aware batches. Every path gets an answer.
 */
export async function readFilesAt(client: GitHubClient, o: ReadFilesOptions): Promise<Map<string, BlobRead>> {
  const { ref } = o
  const out = new Map<string, BlobRead>()
  const paths = [...new Set(o.paths)]
  const viaRest: string[] = []
  const info = new Map<string, BlobInfo>(o.known ?? [])

  // 1. Sizes, for what is not known yet (batches in parallel, answers in order).
  const unknown = paths.filter((p) => !info.has(p))
  const sizeQueryBatches = chunk(unknown, MAX_ALIASES)
  const sizeAnswers = await mapLimited(sizeQueryBatches, QUERY_CONCURRENCY, (batch) =>
    queryObjects(client, o, batch.map((p) => `${ref}:${p}`), `... on Blob { ${SIZE_FIELDS} }`, o.log).catch((e: unknown) => {
      o.log?.debug(`Preflight: GraphQL size query failed (${describeError(e)}); reading ${batch.length} file(s) through REST`)
      return undefined
    })
  )
  sizeQueryBatches.forEach((batch, b) => {
    const result = sizeAnswers[b]
    if (!result) return void viaRest.push(...batch)
    batch.forEach((path, i) => {
      const obj = result.objects[i]
      if (result.refused.has(i)) viaRest.push(path)
      else if (!obj || typeof obj.byteSize !== 'number') out.set(path, { note: note(path, 'unavailable', `${path}: not a file at ${short(ref)}`) })
      else info.set(path, { byteSize: obj.byteSize, isBinary: obj.isBinary === true })
    })
  })

  // 2. Skip by size before reading; then the text of the rest.
  const wanted: string[] = []
  for (const path of paths) {
    const i = info.get(path)
    if (!i || out.has(path)) continue
    const decided = blobResult(path, { byteSize: i.byteSize, isBinary: i.isBinary, text: '' })
    if (decided !== 'rest' && decided.note) out.set(path, decided)
    else wanted.push(path)
  }
  const sizes = new Map([...info].map(([p, i]) => [p, i.byteSize]))
  const textBatches = sizeBatches(wanted, sizes)
  const textAnswers = await mapLimited(textBatches, QUERY_CONCURRENCY, (batch) =>
    queryObjects(client, o, batch.map((p) => `${ref}:${p}`), `... on Blob { ${BLOB_FIELDS} }`, o.log).catch((e: unknown) => {
      o.log?.debug(`Preflight: GraphQL read failed (${describeError(e)}); reading ${batch.length} file(s) through REST`)
      return undefined
    })
  )
  textBatches.forEach((batch, b) => {
    const result = textAnswers[b]
    if (!result) return void viaRest.push(...batch)
    batch.forEach((path, i) => {
      const obj = result.objects[i]
      if (result.refused.has(i) || !obj) return void viaRest.push(path)
      const read = blobResult(path, obj)
      if (read === 'rest') viaRest.push(path)
      else out.set(path, read)
    })
  })

  // 3. REST, one file at a time, for the rest.
  const fallback = await mapLimited(viaRest, QUERY_CONCURRENCY, (path) => o.rest(client, { owner: o.owner, repo: o.repo, ref, path }))
  viaRest.forEach((path, i) => out.set(path, fallback[i]))
  return out
}

export interface ListFoldersOptions extends RepoAt {
  folders: readonly string[]
  log?: Logger
}

/** The entries of each folder at `ref` (sizes included, no text); a folder that is not there maps to undefined. */
export async function listFoldersAt(client: GitHubClient, o: ListFoldersOptions): Promise<Map<string, TreeEntry[] | undefined>> {
  const out = new Map<string, TreeEntry[] | undefined>()
  const folders = [...new Set(o.folders.map(cleanFolder))]
  for (const batch of chunk(folders, MAX_ALIASES)) {
    const { objects } = await queryObjects(
      client,
      o,
      batch.map((f) => `${o.ref}:${f}`),
      `... on Tree { entries { name path type object { ... on Blob { ${SIZE_FIELDS} } } } }`,
      o.log
    )
    batch.forEach((folder, i) => out.set(folder, treeEntries(objects[i])))
  }
  return out
}

function cleanFolder(dir: string): string {
  return dir.replace(/^\.\/+/, '').replace(/(?<!\/)\/+$/, '')
}

function treeEntries(obj: Raw): TreeEntry[] | undefined {
  if (!obj || !Array.isArray(obj.entries)) return undefined
  return obj.entries.map((e) => {
    const entry: TreeEntry = { name: e.name, path: e.path, type: e.type === 'tree' ? 'tree' : e.type === 'commit' ? 'commit' : 'blob' }
    if (typeof e.object?.byteSize === 'number') {
      entry.byteSize = e.object.byteSize
      entry.isBinary = e.object.isBinary === true
    }
    return entry
  })
}

export interface ReadFolderFilesOptions extends ListFoldersOptions {
  /** Which files of the folders to read (by path); all blobs by default. */
  accept?: (path: string) => boolean
  rest: RestReader
}

/**
 * The files directly in each folder at `ref` (siblings of a changed Terraform module, a manifest
 * folder, a template): one listing query per 100 folders, then the batched read of the blobs.
 */
export async function readFolderFilesAt(client: GitHubClient, o: ReadFolderFilesOptions): Promise<Map<string, BlobRead>> {
  const listed = await listFoldersAt(client, o)
  const known = new Map<string, BlobInfo>()
  for (const entries of listed.values()) {
    for (const e of entries ?? []) {
      if (e.type !== 'blob' || e.byteSize === undefined || (o.accept && !o.accept(e.path))) continue
      known.set(e.path, { byteSize: e.byteSize, isBinary: e.isBinary === true })
    }
  }
  return readFilesAt(client, { ...o, paths: [...known.keys()], known })
}

// ── The base commit: persona folders and the settings file ─────────────────────────────────

export interface BaseFiles {
  /** `*.md` directly in each persona folder, sorted by path per folder. */
  personas: PersonaSource[]
  /** The settings file, when one exists at the base (first of SETTINGS_PATHS). */
  settings?: { path: string; text: string }
  /** The baseline file, when one exists at the base. */
  baseline?: { path: string; text: string }
  /** Persona folders that exist at the base. */
  foundDirs: string[]
  /** The request failed: nothing above can be trusted to be absent (read them another way). */
  failed?: boolean
}

export interface ReadBaseFilesOptions extends RepoAt {
  personaDirs: readonly string[]
  rest: RestReader
  log?: Logger
}

/** One request per run and base: later callers (personas, settings) share the first answer. */
const baseCache = new WeakMap<GitHubClient, Map<string, Promise<BaseFiles>>>()

/**
 * The persona folders (as trees with their blobs' text) and the settings file at the base commit,
 * in one GraphQL request; truncated blobs are read through REST. Memoized per client and base.
 */
export function readBaseFiles(client: GitHubClient, o: ReadBaseFilesOptions): Promise<BaseFiles> {
  const dirs = [...new Set(o.personaDirs.map(cleanFolder))].filter(Boolean)
  const key = JSON.stringify([o.owner, o.repo, o.ref, dirs])
  const cache = baseCache.get(client) ?? new Map<string, Promise<BaseFiles>>()
  baseCache.set(client, cache)
  let pending = cache.get(key)
  if (!pending) {
    pending = fetchBaseFiles(client, { ...o, personaDirs: dirs })
    cache.set(key, pending)
  }
  return pending
}

async function fetchBaseFiles(client: GitHubClient, o: ReadBaseFilesOptions): Promise<BaseFiles> {
  const { ref } = o
  const dirs = o.personaDirs
  const result: BaseFiles = { personas: [], foundDirs: [] }
  const files = [...SETTINGS_PATHS, BASELINE_PATH]
  const expressions = [...dirs.map((d) => `${ref}:${d}`), ...files.map((p) => `${ref}:${p}`)]
  const selection = `... on Tree { entries { name path type object { ... on Blob { ${BLOB_FIELDS} } } } } ... on Blob { ${BLOB_FIELDS} }`
  let answer: Awaited<ReturnType<typeof queryObjects>>
  try {
    answer = await queryObjects(client, o, expressions, selection, o.log)
  } catch (e) {
    o.log?.warning(`Preflight: could not read the persona folders and settings at ${short(ref)} (${describeError(e)})`)
    return { ...result, failed: true }
  }
  const { objects, refused } = answer

  for (const [i, dir] of dirs.entries()) {
    const tree = objects[i]
    if (refused.has(i)) o.log?.warning(`Preflight: GitHub refused to list ${dir} at ${short(ref)}`)
    if (!tree || !Array.isArray(tree.entries)) continue
    result.foundDirs.push(dir)
    const markdown = tree.entries.filter((e) => e.type === 'blob' && /\.md$/i.test(e.name)).sort((a, b) => a.path.localeCompare(b.path))
    for (const entry of markdown) {
      const read = blobResult(entry.path, entry.object ?? {})
      const final = read === 'rest' ? await o.rest(client, { owner: o.owner, repo: o.repo, ref, path: entry.path }) : read
      if (final.content !== undefined) result.personas.push({ path: entry.path, text: final.content })
      else o.log?.warning(`Preflight: persona ${final.note?.message ?? entry.path}`)
    }
  }

  for (const [j, path] of files.entries()) {
    const blob = objects[dirs.length + j]
    if (refused.has(dirs.length + j)) o.log?.warning(`Preflight: GitHub refused to read ${path} at ${short(ref)}`)
    if (!blob || typeof blob.byteSize !== 'number') continue
    const isBaseline = path === BASELINE_PATH
    if (!isBaseline && result.settings) continue
    const read = blobResult(path, blob)
    const final = read === 'rest' ? await o.rest(client, { owner: o.owner, repo: o.repo, ref, path }) : read
    if (final.content === undefined) {
      o.log?.warning(`Preflight: settings ${final.note?.message ?? path}`)
      continue
    }
    if (isBaseline) result.baseline = { path, text: final.content }
    else result.settings = { path, text: final.content }
  }
  return result
}
