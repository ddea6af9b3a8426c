/** Unified diffs: parsing, and which new-side lines can carry a review comment. */
import type { ChangeStatus } from '../types.js'

export interface Hunk {
  oldStart: number
  oldLines: number
  newStart: number
  newLines: number
  /** New-side line numbers of added lines. */
  added: number[]
  /** New-side line numbers of context lines. */
  context: number[]
}

export interface FileDiff {
  path: string
  previousPath?: string
  status: ChangeStatus
  /** The hunks of this file as text, starting at the first `@@`; absent for binary files. */
  patch?: string
  binary: boolean
}

export function parsePatch(_patch: string): Hunk[] {
  return []
}

/** Lines a review comment may be anchored to (added or context lines of a hunk, new side). */
export function commentableLines(patch: string | undefined): Set<number> {
  const out = new Set<number>()
  for (const h of parsePatch(patch ?? '')) for (const l of [...h.added, ...h.context]) out.add(l)
  return out
}

/** New-side line numbers that the change adds. */
export function addedLines(patch: string | undefined): Set<number> {
  const out = new Set<number>()
  for (const h of parsePatch(patch ?? '')) for (const l of h.added) out.add(l)
  return out
}

/** Splits the output of `git diff` into one entry per file. */
export function parseGitDiff(_text: string): FileDiff[] {
  return []
}
