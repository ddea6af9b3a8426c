/**
 * Reading a directory tree (for `scan` and the cost audit): every file, classified, with its
 * content when it is text we can analyze. Problems become notes; nothing stops the walk.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep, basename } from 'node:path'
import picomatch from 'picomatch'
import type { FileKind, FileNote, SourceFile } from '../types.js'
import { classifyFile } from './classify.js'

/** Folders never worth walking into. */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform', '.venv', 'vendor', '__pycache__', '.idea', '.vscode'])

/** Files larger than this are listed with a note and never read into memory. */
export const MAX_READ_BYTES = 2 * 1024 * 1024

export interface TreeFile {
  path: string
  kind: FileKind
}

export interface TreeResult {
  files: SourceFile[]
  listed: TreeFile[]
  notes: FileNote[]
}

export interface TreeOptions {
  pathsIgnore?: string[]
  /** Only keep files this predicate accepts (after classification), e.g. a shard. */
  select?: (path: string) => boolean
}

/** Lists every regular file under `root` (or `root` itself when it is a file), sorted. */
export async function listFiles(root: string): Promise<string[]> {
  const info = await stat(root)
  if (info.isFile()) return [basename(root)]
  const out: string[] = []
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true })
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(join(dir, e.name))
      } else if (e.isFile()) {
        out.push(relative(root, join(dir, e.name)).split(sep).join('/'))
      }
    }
  }
  await walk(root)
  return out.sort()
}

/** Decodes bytes as UTF-8 text, or says why it cannot be analyzed. */
export function decodeText(path: string, bytes: Buffer): { text: string } | { note: FileNote } {
  const head = bytes.subarray(0, 8192)
  if (head.includes(0)) return { note: { path, reason: 'binary', message: `${path}: binary content, not analyzed` } }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text }
  } catch {
    return { note: { path, reason: 'encoding', message: `${path}: not valid UTF-8, not analyzed` } }
  }
}

export async function readTree(root: string, options: TreeOptions = {}): Promise<TreeResult> {
  const info = await stat(root)
  const base = info.isFile() ? join(root, '..') : root
  const ignore = options.pathsIgnore?.length ? picomatch(options.pathsIgnore, { dot: true }) : undefined
  const files: SourceFile[] = []
  const listed: TreeFile[] = []
  const notes: FileNote[] = []
  for (const path of await listFiles(root)) {
    if (ignore?.(path)) {
      notes.push({ path, reason: 'ignored', message: `${path}: matches paths-ignore` })
      continue
    }
    if (options.select && !options.select(path)) continue
    const abs = join(base, path)
    let size: number
    try {
      size = (await stat(abs)).size
    } catch (e) {
      notes.push({ path, reason: 'unavailable', message: `${path}: cannot be read: ${(e as Error).message}` })
      continue
    }
    if (size > MAX_READ_BYTES) {
      const kind = classifyFile(path)
      listed.push({ path, kind })
      notes.push({ path, reason: 'too-large', message: `${path}: ${(size / 1024 / 1024).toFixed(1)} MiB is over the ${MAX_READ_BYTES / 1024 / 1024} MiB limit, not analyzed` })
      continue
    }
    let bytes: Buffer
    try {
      bytes = await readFile(abs)
    } catch (e) {
      notes.push({ path, reason: 'unavailable', message: `${path}: cannot be read: ${(e as Error).message}` })
      continue
    }
    const decoded = decodeText(path, bytes)
    if ('note' in decoded) {
      listed.push({ path, kind: classifyFile(path) })
      notes.push(decoded.note)
      continue
    }
    const kind = classifyFile(path, decoded.text)
    listed.push({ path, kind })
    files.push({ path, kind, content: decoded.text })
  }
  return { files, listed, notes }
}
