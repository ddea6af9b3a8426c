/**
 * Reads a pull request: metadata and changed files with their patches through REST, the head
 * content of the files that may be infrastructure and the persona files and settings at the base
 * commit through batched GraphQL reads, and the lines changed between two commits. Nothing is
 * checked out; nothing is written.
 */
import picomatch from 'picomatch'
import type { ChangeSet, ChangeStatus, ChangedFile, FileKind, FileNote, SourceFile } from '../types.js'
import type { PersonaSource } from '../agents/loader.js'
import { asContextFile, contextFilter, contextFolders, MAX_CONTEXT_FILES } from '../changes/context.js'
import { mayBeInfraByName } from '../changes/classify.js'
import { addedLines } from '../changes/diff.js'
import { describeError, errorStatus, type GitHubClient, type Logger } from './client.js'
import { mapLimited, readBaseFiles, readFilesAt, readFolderFilesAt } from './graphql-read.js'

/** GitHub lists at most this many files of a pull request. */
export const GITHUB_FILE_LIST_CAP = 3000
/** Files per page of the list (GitHub's largest). */
const PAGE_SIZE = 100
/** Pages of the file list asked for at once. */
const PAGE_CONCURRENCY = 4
/** Contents above this size are not analyzed. */
export const MAX_CONTENT_BYTES = 2 * 1024 * 1024
const RAW = 'application/vnd.github.raw+json'

export type Classify = (path: string, content?: string) => FileKind

export interface PullRequestRef {
  owner: string
  repo: string
  number: number
}

export interface LoadPullRequestOptions extends PullRequestRef {
  pathsIgnore?: readonly string[]
  classify: Classify
  /** Files beyond this many (in GitHub's order) are left out with one note. Default 3,000. */
  maxFiles?: number
  log?: Logger
}

/** The change set plus what only a pull request has. */
export interface PullRequestChange extends ChangeSet {
  number: number
  baseSha: string
  headSha: string
  baseRef: string
  headRef: string
  draft: boolean
  /** `owner/name` of the head repository; undefined when it was deleted. */
  headRepo?: string
  /** The head repository is not the base one. */
  isFork: boolean
  /** `changed_files` as GitHub reports it (may exceed what could be listed). */
  changedFiles: number
}

const PR_NOTE_PATH = '(pull request)'

function note(path: string, reason: FileNote['reason'], message: string): FileNote {
  return { path, reason, message }
}

export async function loadPullRequestChange(client: GitHubClient, options: LoadPullRequestOptions): Promise<PullRequestChange> {
  const { owner, repo, number, classify } = options
  const maxFiles = Math.min(options.maxFiles ?? GITHUB_FILE_LIST_CAP, GITHUB_FILE_LIST_CAP)
  // The pull request and the first page of its files at once; the other pages, whose number
  // `changed_files` tells, in parallel.
  const listPage = (page: number) => client.rest.pulls.listFiles({ owner, repo, pull_number: number, per_page: PAGE_SIZE, page })
  const [{ data: pr }, first] = await Promise.all([client.rest.pulls.get({ owner, repo, pull_number: number }), listPage(1)])
  const notes: FileNote[] = []
  const listed = [...first.data]
  const maxPages = Math.ceil(maxFiles / PAGE_SIZE)
  if (first.data.length === PAGE_SIZE) {
    const pages = Math.min(maxPages, Math.ceil(Math.min(pr.changed_files, maxFiles) / PAGE_SIZE))
    const more = await mapLimited(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => i + 2), PAGE_CONCURRENCY, async (page) => (await listPage(page)).data)
    for (const data of more) listed.push(...data)
  }
  const files = listed.slice(0, maxFiles)

  if (pr.changed_files > files.length) {
    const cap = pr.changed_files > GITHUB_FILE_LIST_CAP && maxFiles === GITHUB_FILE_LIST_CAP
    const n = (x: number) => x.toLocaleString('en-US')
    const limit = cap ? 'GitHub lists only the first 3,000' : `at most ${n(maxFiles)} are reviewed`
    notes.push(
      note(
        PR_NOTE_PATH,
        'too-large',
        `This pull request changes ${n(pr.changed_files)} files; ${limit}, so only the first ${n(files.length)} were reviewed.`
      )
    )
  }

  const isIgnored = ignoreTest(options.pathsIgnore ?? [])
  const changed: ChangedFile[] = []
  for (const f of files) {
    if (isIgnored(f.filename)) {
      notes.push(note(f.filename, 'ignored', `${f.filename}: matches paths-ignore, not reviewed`))
      continue
    }
    const file: ChangedFile = { path: f.filename, status: f.status as ChangeStatus, kind: classify(f.filename) }
    if (f.previous_filename) file.previousPath = f.previous_filename
    if (f.patch !== undefined && f.patch !== null) file.patch = f.patch
    changed.push(file)
  }

  const headSha = pr.head.sha
  const wanted = changed.filter((f) => f.status !== 'removed' && (f.kind !== 'other' || mayBeInfraByName(f.path)))
  const reads = await readFilesAt(client, { owner, repo, ref: headSha, paths: wanted.map((f) => f.path), rest: readFileAt, log: options.log })
  for (const file of wanted) {
    const read = reads.get(file.path) ?? {}
    if (read.note) {
      notes.push(read.note)
      if (read.note.reason === 'unavailable') options.log?.warning(read.note.message)
      continue
    }
    file.content = read.content
    file.kind = classify(file.path, read.content)
  }

  return {
    title: pr.title,
    body: pr.body ?? '',
    labels: pr.labels.map((l) => l.name ?? '').filter(Boolean),
    number,
    baseSha: pr.base.sha,
    headSha,
    baseRef: pr.base.ref,
    headRef: pr.head.ref,
    draft: pr.draft ?? false,
    headRepo: pr.head.repo?.full_name,
    isFork: pr.head.repo?.full_name !== pr.base.repo.full_name,
    changedFiles: pr.changed_files,
    files: changed,
    notes
  }
}

function ignoreTest(patterns: readonly string[]): (path: string) => boolean {
  const globs = patterns.map((p) => p.trim()).filter((p) => p !== '' && !p.startsWith('#'))
  if (globs.length === 0) return () => false
  return picomatch(globs, { dot: true })
}

interface ReadResult {
  content?: string
  note?: FileNote
}

/** One file's text at a ref through the contents API, or a note saying why there is none. */
export async function readFileAt(
  client: GitHubClient,
  at: { owner: string; repo: string; path: string; ref: string }
): Promise<ReadResult> {
  const { path } = at
  let data: unknown
  try {
    ;({ data } = await client.rest.repos.getContent({ ...at, headers: { accept: RAW } }))
  } catch (e) {
    return { note: note(path, 'unavailable', `${path}: could not be read at ${at.ref.slice(0, 12)} (${describeError(e)})`) }
  }
  const bytes = contentBytes(data)
  if (!bytes) return { note: note(path, 'unavailable', `${path}: not a file at ${at.ref.slice(0, 12)}`) }
  if (bytes.length > MAX_CONTENT_BYTES) return { note: note(path, 'too-large', `${path}: larger than 2 MiB, not analyzed`) }
  if (bytes.includes(0)) return { note: note(path, 'binary', `${path}: binary content, not analyzed`) }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return { content: text.startsWith('\uFEFF') ? text.slice(1) : text }
  } catch {
    return { note: note(path, 'encoding', `${path}: not valid UTF-8, not analyzed`) }
  }
}

/** The raw media type gives a string or bytes; the JSON one gives base64 (empty above 1 MB). */
function contentBytes(data: unknown): Buffer | undefined {
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (data instanceof ArrayBuffer) return Buffer.from(data)
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const file = data as { type?: string; encoding?: string; content?: string }
    if (file.type === 'file' && file.encoding === 'base64' && typeof file.content === 'string') return Buffer.from(file.content, 'base64')
  }
  return undefined
}

// ── Persona files ─────────────────────────────────────────────────────────────────────────────

export interface LoadPersonaFilesOptions {
  owner: string
  repo: string
  /** The base commit: personas are never read from the pull request's head. */
  ref: string
  dirs: readonly string[]
  log?: Logger
}

/**
 * `*.md` files directly in each folder at `ref`, from one GraphQL request shared with the
 * settings file (see readBaseFiles). A folder that does not exist is skipped.
 */
export async function loadPersonaFiles(client: GitHubClient, options: LoadPersonaFilesOptions): Promise<PersonaSource[]> {
  const base = await readBaseFiles(client, { owner: options.owner, repo: options.repo, ref: options.ref, personaDirs: options.dirs, rest: readFileAt, log: options.log })
  return base.personas
}

/**
 * The repository settings file's text at the base commit (`.github/preflight.yml`, else
 * `.preflight.yml`), or undefined when there is none. Shares its request with the personas
 * when called with the same folders.
 */
export async function readSettingsText(
  client: GitHubClient,
  options: { owner: string; repo: string; ref: string; personaDirs?: readonly string[]; log?: Logger }
): Promise<{ path: string; text: string } | undefined> {
  const base = await readBaseFiles(client, { owner: options.owner, repo: options.repo, ref: options.ref, personaDirs: options.personaDirs ?? [], rest: readFileAt, log: options.log })
  return base.settings
}

/** Sibling files of changed ones (a module's other `.tf` files, a manifest folder), read at `ref` in batches. */
export async function readSiblingFiles(
  client: GitHubClient,
  options: { owner: string; repo: string; ref: string; folders: readonly string[]; accept?: (path: string) => boolean; log?: Logger }
): Promise<Map<string, ReadResult>> {
  return readFolderFilesAt(client, { ...options, rest: readFileAt })
}

// ── Incremental review ────────────────────────────────────────────────────────────────────────

/** GitHub's compare lists at most this many files; a larger comparison is treated as "review all". */
const COMPARE_FILE_CAP = 300

/**
 * New-side lines added between two commits, per path. Undefined means "review everything":
 * the old commit is gone (force push), the comparison failed, or it was too large to list.
 */
export async function loadChangedLinesSince(
  client: GitHubClient,
  options: { owner: string; repo: string; base: string; head: string; log?: Logger }
): Promise<Map<string, Set<number>> | undefined> {
  const { owner, repo, base, head } = options
  let files
  try {
    ;({
      data: { files }
    } = await client.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}` }))
  } catch (e) {
    const why = errorStatus(e) === 404 ? 'the previously reviewed commit no longer exists' : describeError(e)
    options.log?.info(`Preflight: reviewing the whole pull request: ${why}`)
    return undefined
  }
  if (!files || files.length >= COMPARE_FILE_CAP) return undefined
  const lines = new Map<string, Set<number>>()
  for (const f of files) if (f.status !== 'removed') lines.set(f.filename, addedLines(f.patch))
  return lines
}

/**
 * The unchanged files of the folders of changed Terraform and Kubernetes files, and of changed
 * workflows that call a local reusable one (src/changes/context.ts), at the head commit, in batched
 * GraphQL reads: the module's variables and companions, the manifest set's PodDisruptionBudget or
 * NetworkPolicy, the called workflow. A failure costs the context, not the review.
 */
export async function loadContextFiles(
  client: GitHubClient,
  change: { files: ChangedFile[] },
  o: { owner: string; repo: string; ref: string; classify: Classify; pathsIgnore?: readonly string[]; log?: Logger }
): Promise<SourceFile[]> {
  const folders = contextFolders(change.files)
  if (!folders.length) return []
  try {
    const reads = await readSiblingFiles(client, { owner: o.owner, repo: o.repo, ref: o.ref, folders, accept: contextFilter(change.files, o.pathsIgnore), log: o.log })
    const out: SourceFile[] = []
    for (const [path, read] of [...reads].sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, MAX_CONTEXT_FILES)) {
      const file = read.content === undefined ? undefined : asContextFile(path, read.content, o.classify(path, read.content))
      if (file) out.push(file)
    }
    return out
  } catch (e) {
    o.log?.warning(`Preflight: the unchanged files beside the changed ones could not be read (${describeError(e)}); each file is analysed on its own`)
    return []
  }
}
