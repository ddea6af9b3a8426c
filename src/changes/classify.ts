/** File classification: one file kind per path, by name and, for YAML/JSON, by content. */
import type { FileKind } from '../types.js'

export function classifyFile(_path: string, _content?: string): FileKind {
  return 'other'
}
