/**
 * The diff as the model reads it: each hunk with new-side line numbers in the margin, so the
 * model can cite the exact line a comment belongs to. Deleted lines have no new-side number.
 */
import { parsePatch, patchLines } from '../changes/diff.js'
import type { ChangedFile } from '../types.js'

export interface HunkView {
  /** 0-based position of the hunk in its file's patch. */
  index: number
  /** First and last new-side line the hunk shows (end < start for a pure deletion). */
  newStart: number
  newEnd: number
  /** New-side lines shown (added and context): the ones a comment may sit on. */
  lines: number[]
  /** Rendered text, one line per patch line, ending with a newline. */
  text: string
}

/** Hunks of a file's patch, rendered with line numbers. `[]` without a patch. */
export function hunkViews(patch: string | undefined): HunkView[] {
  if (!patch) return []
  const headers = parsePatch(patch)
  const body = patchLines(patch)
  return headers.map((h, index) => {
    const own = body.filter((l) => l.hunk === index)
    const width = String(Math.max(h.newStart + h.newLines, 1)).length
    const rows = own.map((l) => {
      const no = l.newLine === undefined ? ''.padStart(width) : String(l.newLine).padStart(width)
      const mark = l.type === 'add' ? '+' : l.type === 'delete' ? '-' : ' '
      return `${no} ${mark} ${l.text}`
    })
    const header = `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`
    const lines = own.filter((l) => l.newLine !== undefined).map((l) => l.newLine as number)
    return {
      index,
      newStart: h.newStart,
      newEnd: h.newStart + h.newLines - 1,
      lines,
      text: [header, ...rows].join('\n') + '\n'
    }
  })
}

/** The line that opens a file's section of the diff. */
export function fileHeader(file: Pick<ChangedFile, 'path' | 'kind' | 'status' | 'previousPath'>): string {
  const from = file.previousPath && file.previousPath !== file.path ? `, from ${file.previousPath}` : ''
  return `### ${file.path} (${file.kind}, ${file.status}${from})\n`
}

/** Compresses a set of line numbers into ranges: `3-7, 10, 12-13`. */
export function lineRanges(lines: Iterable<number>): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return parts.join(', ')
}
