/**
 * Settings and baseline for a run, from wherever the run reads the repository: the base commit
 * through the API in a pull request (a change cannot loosen the gate that judges it), the
 * working tree locally. One function per source, both ending in the same resolved shape.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { GitHubClient } from '../github/client.js'
import { describeError, errorStatus } from '../github/errors.js'
import { ALL_RULES } from '../rules/index.js'
import { costRules } from '../cost/meta.js'
import { SETTINGS_RULES } from './apply.js'
import { parseBaseline, BASELINE_PATH } from './baseline.js'
import { parseSettingsText, resolveSettings, SETTINGS_PATHS, SettingsError, type SettingsInputs } from './load.js'
import type { Settings } from './types.js'

export interface RepositorySettings {
  settings: Settings
  /** Where the settings came from, when a file was found. */
  path?: string
  baseline?: Set<string>
  warnings: string[]
}

/** Reads one file's text, or undefined when there is no such file; throws on any other failure. */
export type ReadText = (path: string) => Promise<string | undefined>

/** Reads and resolves settings and baseline through `read` (one source, any transport). */
export async function loadRepositorySettings(read: ReadText, inputs: SettingsInputs): Promise<RepositorySettings> {
  const warnings: string[] = []
  let settings = resolveSettings(undefined, inputs)
  let path: string | undefined
  for (const candidate of SETTINGS_PATHS) {
    const text = await read(candidate)
    if (text === undefined) continue
    // Every id a finding can carry: the rules, the cost audit's, and this module's own.
    const ruleIds = [...new Set([...ALL_RULES, ...costRules, ...SETTINGS_RULES].map((r) => r.id))]
    const parsed = parseSettingsText(text, candidate, { ruleIds })
    settings = resolveSettings(parsed.settings, inputs)
    warnings.push(...parsed.warnings)
    path = candidate
    break
  }
  const baselineText = await read(BASELINE_PATH)
  const baseline = baselineText === undefined ? undefined : parseBaseline(baselineText)
  return { settings, path, baseline, warnings }
}

/** A working tree: missing files are absent, unreadable ones an error naming the file. */
export function readFromDir(root: string): ReadText {
  return async (path) => {
    try {
      return await readFile(join(root, path), 'utf8')
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined
      throw new SettingsError(`${path}: cannot be read (${(e as Error).message})`)
    }
  }
}

/**
 * A commit through the contents API. A 404 means no file; any other failure stops the run, since
 * carrying on with defaults would quietly drop the repository's gate.
 */
export function readFromCommit(client: GitHubClient, at: { owner: string; repo: string; ref: string }): ReadText {
  return async (path) => {
    try {
      const { data } = await client.rest.repos.getContent({ ...at, path, headers: { accept: 'application/vnd.github.raw+json' } })
      if (typeof data === 'string') return data
      if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8')
      const file = data as { type?: string; encoding?: string; content?: string }
      if (file.type === 'file' && file.encoding === 'base64' && typeof file.content === 'string') return Buffer.from(file.content, 'base64').toString('utf8')
      return undefined
    } catch (e) {
      if (errorStatus(e) === 404) return undefined
      throw new SettingsError(`${path}: could not be read at the base commit ${at.ref.slice(0, 12)} (${describeError(e)})`)
    }
  }
}
