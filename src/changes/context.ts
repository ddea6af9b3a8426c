/**
 * Which unchanged files a change is analysed with: the rest of the folder of each changed
 * Terraform file (its module) and Kubernetes manifest (its manifest set), and the other workflows
 * of a changed workflow that calls a reusable one of this repository (what that one sets decides
 * the caller's token) or is a reusable one reading inputs (what its callers pass decides them).
 * Pull request mode reads them through the API, local review from git; both ask here what to
 * read and keep.
 */
import type { ChangedFile, FileKind, SourceFile } from '../types.js'
import { needsSiblingWorkflows } from '../rules/workflow/callees.js'
import { ignoreMatcher } from './paths.js'
import { folderOf } from '../util/paths.js'

const CONTEXT_KINDS = new Set<FileKind>(['terraform', 'kubernetes', 'workflow'])
const CONTEXT_FILE = /\.(tf|tofu|tf\.json|tfvars|tfvars\.json|ya?ml|json)$/i
/** At most this many context files per change: a huge folder is read only in part (first by path). */
export const MAX_CONTEXT_FILES = 500

/** The folders whose unchanged files the changed files need. */
export function contextFolders(files: readonly ChangedFile[]): string[] {
  const needsFolder = (f: ChangedFile): boolean => (f.kind === 'workflow' ? needsSiblingWorkflows(f.path, f.content) : CONTEXT_KINDS.has(f.kind))
  return [...new Set(files.filter((f) => f.status !== 'removed' && needsFolder(f)).map((f) => folderOf(f.path)))].sort()
}

/** Whether an unchanged path of one of those folders is worth reading (not changed, not ignored, a likely kind). */
export function contextFilter(files: readonly ChangedFile[], pathsIgnore: readonly string[] = []): (path: string) => boolean {
  const changed = new Set(files.map((f) => f.path))
  const ignored = ignoreMatcher(pathsIgnore)
  return (path) => !changed.has(path) && CONTEXT_FILE.test(path) && !ignored(path)
}

/** A read file as context, when its kind is one that informs others; undefined otherwise. */
export function asContextFile(path: string, content: string | undefined, kind: FileKind): SourceFile | undefined {
  return content !== undefined && CONTEXT_KINDS.has(kind) ? { path, kind, content, contextOnly: true } : undefined
}
