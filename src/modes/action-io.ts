/**
 * Everything a mode may do on the runner besides GitHub API calls: log, annotate, set outputs,
 * write the job summary and files in the workspace. Backed by @actions/core; tests read the
 * results the runner would see (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY). Plain log lines cannot carry
 * a workflow command (`::stop-commands::`, a forged annotation) whatever file name they print, and
 * workspace writes never follow a symbolic link.
 */
import * as core from '@actions/core'
import { constants } from 'node:fs'
import { lstat, mkdir, open, realpath } from 'node:fs/promises'
import { isAbsolute, join, resolve, relative, sep } from 'node:path'

export interface Logger {
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  debug(message: string): void
}

export interface ActionIo extends Logger {
  notice(message: string): void
  annotate(level: 'error' | 'warning' | 'notice', message: string, where: { file: string; startLine: number; endLine?: number; title?: string }): void
  setOutput(name: string, value: string | number): void
  setFailed(message: string): void
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>
  /** Writes a file inside the workspace; refuses paths that leave it. Returns the absolute path. */
  writeWorkspaceFile(workspace: string, path: string, content: string): Promise<string>
}

/**
 * A plain log line as the runner will read it: `@actions/core` escapes annotation messages and
 * properties, but `info` is written raw, and the runner treats any line starting with `::` (or
 * the older `##[`) as a command. Such lines get a visible prefix, so no text in a message (a
 * file name with a newline and `::stop-commands::` in it) can start one.
 */
export function safeLogLine(message: string): string {
  return message
    .split(/\r\n|\r|\n/)
    .map((line) => (/^\s*(::|##\[)/.test(line) ? `» ${line}` : line))
    .join('\n')
}

/**
 * Writes `content` to `path` inside the workspace. Refuses a path that leaves the workspace
 * (absolute paths are accepted when they point inside it) and any symbolic link on the way:
 * a checked-out pull request could otherwise aim the plan file or the SARIF at any file the
 * runner can write. Folders are created one level at a time, each checked.
 */
export async function writeInsideWorkspace(workspace: string, path: string, content: string): Promise<string> {
  const lexicalRoot = resolve(workspace)
  const root = await realpath(lexicalRoot)
  const wanted = isAbsolute(path) ? path : resolve(lexicalRoot, path)
  let rel = relative(lexicalRoot, wanted)
  if (isAbsolute(path) && (rel.startsWith('..') || isAbsolute(rel))) rel = relative(root, wanted)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new Error(`refusing to write outside the workspace: ${path} (the workspace is ${lexicalRoot})`)
  }
  const parts = rel.split(sep)
  let dir = root
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part)
    const info = await lstat(dir).catch(() => undefined)
    if (!info) await mkdir(dir)
    else if (info.isSymbolicLink()) throw new Error(`refusing to write through a symbolic link: ${relative(root, dir)} (for ${path})`)
    else if (!info.isDirectory()) throw new Error(`cannot write ${path}: ${relative(root, dir)} is not a folder`)
  }
  const abs = join(dir, parts[parts.length - 1])
  let handle
  try {
    // O_NOFOLLOW: a symbolic link as the file itself fails instead of being followed.
    handle = await open(abs, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`refusing to write through a symbolic link: ${rel}`, { cause: e })
    throw e
  }
  try {
    await handle.writeFile(content)
  } finally {
    await handle.close()
  }
  return abs
}

export const coreIo: ActionIo = {
  info: (m) => core.info(safeLogLine(m)),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
  debug: (m) => core.debug(m),
  notice: (m) => core.notice(m),
  annotate: (level, message, where) => {
    const props = { file: where.file, startLine: where.startLine, endLine: where.endLine, title: where.title }
    if (level === 'error') core.error(message, props)
    else if (level === 'warning') core.warning(message, props)
    else core.notice(message, props)
  },
  setOutput: (name, value) => core.setOutput(name, String(value)),
  setFailed: (m) => core.setFailed(m),
  summary: async (markdown) => {
    if (!process.env.GITHUB_STEP_SUMMARY) return
    await core.summary.addRaw(markdown, true).write()
  },
  writeWorkspaceFile: writeInsideWorkspace
}
