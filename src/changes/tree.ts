/**
 * Reading a directory tree (for `scan` and the cost audit): every file, classified, with its
 * content when it is text we can analyze. Problems become notes; nothing stops the walk.
 *
 * Reads are synchronous on purpose: a scan has nothing else to do meanwhile, and one awaited
 * stat + read per file costs many times a plain read of thousands of small files. Each file is
 * listed once (readdir with types), opened once, sized once (fstat, before reading) and read once.
 */
import { isUtf8 } from 'node:buffer'
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import picomatch from 'picomatch'
import type { FileKind, FileNote, SourceFile } from '../types.js'
import { binaryNeedsNote, chartDirsOf, classifyFile, isBinaryFileName, isValuesFileName } from './classify.js'

/** Folders never worth walking into (installed dependencies, tool state). */
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
  /**
   * Files that are not infrastructure and binary (by name, not read; or by content): listed, not
   * analyzed, and counted here rather than noted one by one, as a picture in a repository is news
   * to no one.
   */
  binary: number
}

export interface TreeOptions {
  pathsIgnore?: string[]
  /** Only keep files this predicate accepts (after classification), e.g. a shard. */
  select?: (path: string) => boolean
}

/** Lists every regular file under `root` (or `root` itself when it is a file), sorted. */
export async function listFiles(root: string): Promise<string[]> {
  return listFilesSync(root)
}

function listFilesSync(root: string): string[] {
  if (statSync(root).isFile()) return [basename(root)]
  const out: string[] = []
  const walk = (dir: string, prefix: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true })
    // `pip install --target` output (a Lambda layer's `python/`, a vendored dependency folder):
    // its packages are other people's code; its own top-level files stay.
    const installTarget = entries.some((e) => e.isDirectory() && /\.(?:dist|egg)-info$/.test(e.name))
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !installTarget) walk(join(dir, e.name), `${prefix}${e.name}/`)
      } else if (e.isFile()) {
        out.push(prefix + e.name)
      }
    }
  }
  walk(root, '')
  return out.sort()
}

/** The bytes of a file, or its size when that is over `limit` (then nothing is read). */
function readBounded(abs: string, limit: number): { bytes: Buffer } | { size: number } {
  const fd = openSync(abs, 'r')
  try {
    const size = fstatSync(fd).size
    if (size > limit) return { size }
    const bytes = Buffer.allocUnsafe(size)
    let read = 0
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read)
      if (n === 0) break
      read += n
    }
    return { bytes: read === size ? bytes : bytes.subarray(0, read) }
  } finally {
    closeSync(fd)
  }
}

/** Decodes bytes as UTF-8 text, or says why it cannot be analyzed. */
export function decodeText(path: string, bytes: Buffer): { text: string } | { note: FileNote } {
  const head = bytes.subarray(0, 8192)
  if (head.includes(0)) return { note: { path, reason: 'binary', message: `${path}: binary content, not analyzed` } }
  // Validate, then decode: both native and fast, unlike a fatal TextDecoder per file.
  if (!isUtf8(bytes)) return { note: { path, reason: 'encoding', message: `${path}: not valid UTF-8, not analyzed` } }
  const text = bytes.toString('utf8')
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text }
}

export async function readTree(root: string, options: TreeOptions = {}): Promise<TreeResult> {
  const base = statSync(root).isFile() ? join(root, '..') : root
  const ignore = options.pathsIgnore?.length ? picomatch(options.pathsIgnore, { dot: true }) : undefined
  const files: SourceFile[] = []
  const listed: TreeFile[] = []
  const notes: FileNote[] = []
  let binary = 0
  const paths = listFilesSync(root)
  // As in a pull request, a folder with a Chart.yaml makes its values files chart files wherever
  // it sits, and a `.tpl` file is a chart's only under one. Unlike a pull request, a template here
  // keeps the kind its content gives it: one without Go template markers is read as the plain
  // manifest it renders to, which a scan without `helm` can still check.
  const chartDirs = chartDirsOf(paths)
  const contextOf = (path: string) => (isValuesFileName(path) || /\.tpl$/i.test(path) ? { chartDirs } : {})
  for (const path of paths) {
    if (ignore?.(path)) {
      notes.push({ path, reason: 'ignored', message: `${path}: matches paths-ignore` })
      continue
    }
    if (options.select && !options.select(path)) continue
    if (isBinaryFileName(path)) {
      listed.push({ path, kind: 'other' })
      binary++
      continue
    }
    let content: ReturnType<typeof readBounded>
    try {
      content = readBounded(join(base, path), MAX_READ_BYTES)
    } catch (e) {
      notes.push({ path, reason: 'unavailable', message: `${path}: cannot be read: ${(e as Error).message}` })
      continue
    }
    if ('size' in content) {
      listed.push({ path, kind: classifyFile(path, undefined, contextOf(path)) })
      notes.push({ path, reason: 'too-large', message: `${path}: ${(content.size / 1024 / 1024).toFixed(1)} MiB is over the ${MAX_READ_BYTES / 1024 / 1024} MiB limit, not analyzed` })
      continue
    }
    const decoded = decodeText(path, content.bytes)
    if ('note' in decoded) {
      const kind = classifyFile(path, undefined, contextOf(path))
      listed.push({ path, kind })
      if (decoded.note.reason === 'binary' && !binaryNeedsNote(path, kind)) binary++
      else notes.push(decoded.note)
      continue
    }
    const kind = classifyFile(path, decoded.text, contextOf(path))
    listed.push({ path, kind })
    files.push({ path, kind, content: decoded.text })
  }
  return { files, listed, notes, binary }
}
