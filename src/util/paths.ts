/** Repository paths as the analysis writes them: `/`-separated, relative, no leading `./`. */
import { posix } from 'node:path'

/** The folder holding a path: `''` for a file at the root. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

/** `folder` joined with a relative path, `.` and `..` resolved; undefined for an absolute path, a URL or one leaving the tree. */
export function joinPath(folder: string, relative: string): string | undefined {
  if (relative.startsWith('/') || relative.includes('://') || relative.includes('$')) return undefined
  const joined = posix.normalize(posix.join(folder || '.', relative)).replace(/\/$/, '')
  if (joined === '..' || joined.startsWith('../')) return undefined
  return joined === '.' ? '' : joined
}

/** The folder a local source (`./x`, `../x`, as Terraform's module `source`) names from `fromDir`; undefined for other sources or one leaving the tree. */
export function localFolder(fromDir: string, source: string): string | undefined {
  return /^\.\.?\//.test(source) ? joinPath(fromDir, source) : undefined
}
