/**
 * The change set of a local git repository, for the CLI.
 *
 * With a head ref: the diff `base...head` (what head adds since it forked from base, like a
 * pull request), contents read from the head commit. Without one: the merge base of base and
 * HEAD against the working tree, i.e. committed, staged and unstaged edits plus untracked files
 * that are not git-ignored; contents read from disk.
 *
 * Git runs through `execFile`/`spawn` with argument arrays (never a shell), with the user's
 * diff settings overridden where they would change the output's shape.
 */
import { execFile, spawn } from 'node:child_process'
import { lstat, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { ChangeSet, ChangedFile, FileNote, SourceFile } from '../types.js'
import { asContextFile, contextFilter, contextFolders, MAX_CONTEXT_FILES } from './context.js'
import { binaryNeedsNote, chartDirsOf, classifyFile } from './classify.js'
import { parseGitDiff, patchForNewFile, type FileDiff } from './diff.js'
import { filterIgnored } from './paths.js'
import { folderOf } from '../util/paths.js'

export interface LocalChangeSetOptions {
  /** Globs of paths to leave out (see `filterIgnored`). */
  pathsIgnore?: readonly string[]
  /** Contents above this size are not loaded; a `too-large` note says so. Default 2 MiB. */
  maxFileBytes?: number
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024

const MAX_BUFFER = 1024 * 1024 * 1024

/** `git diff` flags that pin the output format regardless of the user's git config. */
const DIFF_FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '-M', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/']

/** `-c` settings that keep paths readable (non-ASCII unquoted). */
const GIT_CONFIG = ['-c', 'core.quotepath=off']

export async function loadLocalChangeSet(
  repoDir: string,
  base: string,
  head?: string,
  options: LocalChangeSetOptions = {}
): Promise<ChangeSet> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  await assertDirectory(repoDir)
  const top = (await git(repoDir, ['rev-parse', '--show-toplevel'], 'not a git repository')).trim()
  const baseSha = await resolveCommit(top, base)
  const headSha = head === undefined ? undefined : await resolveCommit(top, head)
  const tip = headSha ?? (await resolveCommit(top, 'HEAD'))
  const mergeBase = (await git(top, ['merge-base', baseSha, tip], `no common ancestor of ${base} and ${head ?? 'HEAD'}`)).trim()

  let diffs: FileDiff[]
  if (headSha !== undefined) {
    diffs = parseGitDiff(await git(top, [...GIT_CONFIG, 'diff', ...DIFF_FLAGS, `${baseSha}...${headSha}`, '--'], 'git diff failed'))
  } else {
    diffs = parseGitDiff(await git(top, [...GIT_CONFIG, 'diff', ...DIFF_FLAGS, mergeBase, '--'], 'git diff failed'))
    diffs.push(...(await untrackedFiles(top, maxBytes)))
  }

  const ignored = filterIgnored(diffs, options.pathsIgnore ?? [])
  const notes: FileNote[] = [...ignored.notes]
  const allPaths = await listFiles(top, headSha)
  const chartDirs = chartDirsOf(allPaths)

  const newSide = headSha !== undefined ? commitReader(top, headSha, maxBytes) : diskReader(top, maxBytes)
  const oldSide = commitReader(top, mergeBase, maxBytes)
  const present = ignored.files.filter((d) => d.status !== 'removed' && !d.binary).map((d) => d.path)
  const removed = ignored.files.filter((d) => d.status === 'removed' && !d.binary).map((d) => d.path)
  const [newContents, oldContents] = await Promise.all([newSide(present), oldSide(removed)])

  const files: ChangedFile[] = []
  for (const diff of ignored.files) {
    const file: ChangedFile = { path: diff.path, status: diff.status, kind: 'other' }
    if (diff.previousPath !== undefined) file.previousPath = diff.previousPath
    if (diff.patch !== undefined) file.patch = diff.patch
    let sniff: string | undefined
    let unread: FileNote | undefined
    if (diff.binary) {
      if (diff.status !== 'removed') unread = note(diff.path, 'binary', 'binary file, not analyzed')
    } else if (diff.status === 'removed') {
      const old = oldContents.get(diff.path)
      sniff = old?.content
    } else {
      const read = newContents.get(diff.path)
      if (read?.content !== undefined) file.content = read.content
      else unread = read?.note ?? note(diff.path, 'unavailable', 'could not be read')
      sniff = read?.content
    }
    file.kind = classifyFile(diff.path, sniff, { chartDirs })
    // A changed picture or archive is binary by nature: worth a note only where infrastructure was expected.
    if (unread && (unread.reason !== 'binary' || binaryNeedsNote(diff.path, file.kind))) notes.push(unread)
    files.push(file)
  }

  const context = await contextFiles(files, allPaths, newSide, { chartDirs, pathsIgnore: options.pathsIgnore ?? [] })

  const message = await describe(top, base, headSha, mergeBase, tip)
  const changeSet: ChangeSet = { title: message.title, body: message.body, labels: [], baseSha, files, notes, context }
  if (headSha !== undefined) changeSet.headSha = headSha
  return changeSet
}

// ── Context ──────────────────────────────────────────────────────────────────────────────────

/**
 * The unchanged files of the folders of changed Terraform and Kubernetes files (and of workflows
 * calling a local reusable one), on the new side, as in pull request mode: read for context, never
 * reported on.
 */
async function contextFiles(
  files: ChangedFile[],
  allPaths: string[],
  read: Reader,
  o: { chartDirs: ReturnType<typeof chartDirsOf>; pathsIgnore: readonly string[] }
): Promise<SourceFile[]> {
  const folders = new Set(contextFolders(files))
  if (!folders.size) return []
  const wanted = contextFilter(files, o.pathsIgnore)
  const siblings = allPaths.filter((p) => folders.has(folderOf(p)) && wanted(p)).slice(0, MAX_CONTEXT_FILES)
  const reads = await read(siblings)
  return siblings.flatMap((path) => {
    const content = reads.get(path)?.content
    const file = content === undefined ? undefined : asContextFile(path, content, classifyFile(path, content, { chartDirs: o.chartDirs }))
    return file ? [file] : []
  })
}

// ── Reading contents ─────────────────────────────────────────────────────────────────────────

interface ReadResult {
  content?: string
  note?: FileNote
}

type Reader = (paths: string[]) => Promise<Map<string, ReadResult>>

function note(path: string, reason: FileNote['reason'], what: string): FileNote {
  return { path, reason, message: `${path}: ${what}` }
}

/**
 * Turns raw bytes into text, or a note when they are not text Preflight can analyze. A UTF-8
 * byte order mark is dropped so that analyzers see the first line as written.
 */
function decode(path: string, bytes: Buffer, maxBytes: number): ReadResult {
  if (bytes.length > maxBytes) return { note: note(path, 'too-large', `larger than ${formatBytes(maxBytes)}, not analyzed`) }
  if (bytes.includes(0)) return { note: note(path, 'binary', 'binary content, not analyzed') }
  try {
    return { content: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return { note: note(path, 'encoding', 'not valid UTF-8, not analyzed') }
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : `${n} bytes`
}

/** Reads files at a commit: sizes first (`--batch-check`), then only the blobs small enough. */
function commitReader(top: string, commit: string, maxBytes: number): Reader {
  return async (paths) => {
    const out = new Map<string, ReadResult>()
    const askable = paths.filter((p) => !p.includes('\n'))
    for (const p of paths) if (p.includes('\n')) out.set(p, { note: note(p, 'unavailable', 'path contains a line break, not read') })
    if (askable.length === 0) return out
    const checks = (await catFile(top, '--batch-check', askable.map((p) => `${commit}:${p}`))).toString('utf8').split('\n')
    const wanted: { path: string; oid: string }[] = []
    askable.forEach((path, i) => {
      const [oid, type, size] = (checks[i] ?? '').split(' ')
      if (!/^[0-9a-f]{40,64}$/.test(oid) || type !== 'blob') out.set(path, { note: note(path, 'unavailable', `not a file at ${commit.slice(0, 12)}`) })
      else if (Number(size) > maxBytes) out.set(path, { note: note(path, 'too-large', `larger than ${formatBytes(maxBytes)}, not analyzed`) })
      else wanted.push({ path, oid })
    })
    if (wanted.length === 0) return out
    const blobs = splitBatch(await catFile(top, '--batch', wanted.map((w) => w.oid)))
    wanted.forEach((w, i) => {
      const blob = blobs[i]
      out.set(w.path, blob ? decode(w.path, blob, maxBytes) : { note: note(w.path, 'unavailable', 'could not be read from git') })
    })
    return out
  }
}

/** `git cat-file --batch` output: `<oid> <type> <size>\n<bytes>\n` per object, or `<x> missing\n`. */
function splitBatch(buf: Buffer): (Buffer | undefined)[] {
  const out: (Buffer | undefined)[] = []
  let pos = 0
  while (pos < buf.length) {
    const eol = buf.indexOf(10, pos)
    if (eol < 0) break
    const header = buf.subarray(pos, eol).toString('utf8').split(' ')
    pos = eol + 1
    if (header.length !== 3) {
      out.push(undefined)
      continue
    }
    const size = Number(header[2])
    out.push(buf.subarray(pos, pos + size))
    pos += size + 1
  }
  return out
}

function catFile(top: string, mode: '--batch' | '--batch-check', specs: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', mode], { cwd: top, stdio: ['pipe', 'pipe', 'pipe'] })
    const chunks: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    child.on('error', (e) => reject(gitError(top, ['cat-file', mode], e, stderr)))
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(chunks))
      else reject(new Error(`git cat-file failed in ${top}: ${stderr.trim() || `exit code ${code}`}`))
    })
    // If git dies early the write fails with EPIPE; the 'close' handler reports the failure.
    child.stdin.on('error', () => undefined)
    child.stdin.end(specs.map((s) => `${s}\n`).join(''))
  })
}

/** Reads files from the working tree; symbolic links and directories are not followed. */
function diskReader(top: string, maxBytes: number): Reader {
  return async (paths) => {
    const out = new Map<string, ReadResult>()
    for (const path of paths) out.set(path, await readFromDisk(top, path, maxBytes))
    return out
  }
}

async function readFromDisk(top: string, path: string, maxBytes: number): Promise<ReadResult> {
  const full = join(top, path)
  try {
    const info = await lstat(full)
    if (!info.isFile()) return { note: note(path, 'unavailable', 'not a regular file in the working tree') }
    if (info.size > maxBytes) return { note: note(path, 'too-large', `larger than ${formatBytes(maxBytes)}, not analyzed`) }
    return decode(path, await readFile(full), maxBytes)
  } catch (e) {
    return { note: note(path, 'unavailable', `could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`) }
  }
}

/** Untracked, not ignored files, as additions (git diff does not show them). */
async function untrackedFiles(top: string, maxBytes: number): Promise<FileDiff[]> {
  const listing = await git(top, [...GIT_CONFIG, 'ls-files', '--others', '--exclude-standard', '-z'], 'git ls-files failed')
  const out: FileDiff[] = []
  for (const path of listing.split('\0').filter(Boolean)) {
    const read = await readFromDisk(top, path, maxBytes)
    const binary = read.note?.reason === 'binary'
    const entry: FileDiff = { path, status: 'added', binary }
    const patch = read.content === undefined ? undefined : patchForNewFile(read.content)
    if (patch !== undefined) entry.patch = patch
    out.push(entry)
  }
  return out
}

/** Every path at a commit (or tracked + untracked in the working tree), to find chart folders. */
async function listFiles(top: string, commit: string | undefined): Promise<string[]> {
  const args = commit === undefined ? ['ls-files', '--cached', '--others', '--exclude-standard', '-z'] : ['ls-tree', '-r', '-z', '--name-only', commit]
  return (await git(top, [...GIT_CONFIG, ...args], 'could not list files')).split('\0').filter(Boolean)
}

// ── Refs and messages ────────────────────────────────────────────────────────────────────────

async function resolveCommit(top: string, ref: string): Promise<string> {
  if (ref === '' || ref.startsWith('-') || /[\0\n]/.test(ref)) throw new Error(`invalid git ref "${ref}" in ${top}`)
  try {
    return (await git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], 'rev-parse failed')).trim()
  } catch {
    throw new Error(`unknown git ref "${ref}" in ${top}: not a commit`)
  }
}

async function describe(top: string, base: string, headSha: string | undefined, mergeBase: string, tip: string): Promise<{ title: string; body: string }> {
  if (headSha === undefined && tip === mergeBase) return { title: `Working tree changes against ${base}`, body: '' }
  const text = await git(top, ['log', '-1', '--no-color', '--format=%s%x00%b', tip], 'git log failed')
  const sep = text.indexOf('\0')
  const title = (sep < 0 ? text : text.slice(0, sep)).trim()
  const body = sep < 0 ? '' : text.slice(sep + 1).trim()
  return { title, body }
}

// ── Running git ──────────────────────────────────────────────────────────────────────────────

async function assertDirectory(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return
  } catch {
    // reported below
  }
  throw new Error(`repository directory not found: ${dir}`)
}

/**
 * `owner/name` of the repository a folder belongs to: GITHUB_REPOSITORY when set (in a workflow),
 * else the GitHub path of its `origin` remote. Undefined when neither says; never throws.
 */
export async function repositoryOfFolder(dir: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const fromEnv = env.GITHUB_REPOSITORY?.trim()
  if (fromEnv && OWNER_NAME.test(fromEnv)) return fromEnv
  const url = await git(dir, ['config', '--get', 'remote.origin.url'], 'git config').catch(() => '')
  return ownerNameOfRemote(url.trim())
}

const OWNER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/

/** `git@github.com:o/r.git`, `https://github.example.com/o/r`, `ssh://git@host/o/r.git` → `o/r`. */
export function ownerNameOfRemote(url: string): string | undefined {
  const path = /^[\w.+-]+@[\w.-]+:(?!\/)(.+)$/.exec(url)?.[1] ?? /^(?:https?|ssh|git):\/\/[^/]+\/(.+)$/.exec(url)?.[1]
  const name = path?.replace(/\/$/, '').replace(/\.git$/, '')
  return name && OWNER_NAME.test(name) ? name : undefined
}

function git(cwd: string, args: string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: MAX_BUFFER, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(gitError(cwd, args, error, stderr, what))
      else resolve(stdout)
    })
  })
}

function gitError(cwd: string, args: string[], error: Error, stderr: string, what?: string): Error {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Error(`git is not installed or not on PATH (needed in ${cwd})`)
  const command = args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? 'git'
  const detail = stderr.trim() || error.message
  return new Error(`${what ?? `git ${command} failed`} in ${cwd}: ${detail}`)
}
