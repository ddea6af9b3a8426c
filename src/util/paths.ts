/** Repository paths as the analysis writes them: `/`-separated, relative, no leading `./`. */

/** The folder holding a path: `''` for a file at the root. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}
