/**
 * Everything a mode may do on the runner besides GitHub API calls: log, annotate, set outputs,
 * write the job summary and files in the workspace. Backed by @actions/core; tests read the
 * results the runner would see (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY).
 */
import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve, relative, sep } from 'node:path'

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

export const coreIo: ActionIo = {
  info: (m) => core.info(m),
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
  writeWorkspaceFile: async (workspace, path, content) => {
    const abs = resolve(workspace, path)
    const rel = relative(resolve(workspace), abs)
    if (rel.startsWith('..') || rel.split(sep).includes('..')) throw new Error(`refusing to write outside the workspace: ${path}`)
    await mkdir(dirname(abs), { recursive: true })
    await writeFile(abs, content)
    return abs
  }
}
