/**
 * The secretlint layer: the recommended preset run through @secretlint/core's library API.
 * The preset is loaded once, on first use, and its config reused for every file.
 */
import type { SecretLintCoreConfig } from '@secretlint/types'

export interface SecretlintHit {
  /** Short rule name: `aws`, `github`, `privatekey`, … */
  rule: string
  messageId: string
  /** Offsets of the matched text in the content. */
  start: number
  end: number
  line: number
  endLine: number
}

export const SECRETLINT_PRESET_ID = '@secretlint/secretlint-rule-preset-recommend'

/** `@secretlint/secretlint-rule-aws` → `aws`. */
export function secretlintShortName(ruleId: string): string {
  return ruleId.replace(/^@secretlint\/secretlint-rule-/, '').replace(/[^a-z0-9-]/gi, '-').toLowerCase()
}

let configPromise: Promise<SecretLintCoreConfig> | undefined

/** Loads the preset once; later calls share the same config object. */
function secretlintConfig(): Promise<SecretLintCoreConfig> {
  configPromise ??= import('@secretlint/secretlint-rule-preset-recommend').then(({ creator }) => ({
    rules: [{ id: SECRETLINT_PRESET_ID, rule: creator }]
  }))
  return configPromise
}

/**
 * secretlint's profiler records a performance mark at every step of every file and its observer
 * searches all earlier marks for each new one: over thousands of files that is quadratic (minutes
 * for 10,000 files) and its memory only grows. Preflight never reads the profile, so marking is
 * turned off once, on the shared profiler instance @secretlint/core reports to.
 */
function silenceProfiler(profiler: unknown): void {
  const p = profiler as { mark?: unknown } | undefined
  if (p && typeof p.mark === 'function') p.mark = () => undefined
}

let profilerPromise: Promise<void> | undefined

function quietProfiler(): Promise<void> {
  profilerPromise ??= import('@secretlint/profiler').then((m) => silenceProfiler(m.secretLintProfiler)).catch(() => undefined)
  return profilerPromise
}

let readyPromise: Promise<[typeof import('@secretlint/core'), SecretLintCoreConfig, void]> | undefined

/**
 * secretlint's core, its config and the quiet profiler, loaded once. Kept as one promise: a
 * dynamic `import()` per file goes through the module loader every time (about 50 ms over
 * 3,000 files).
 */
function secretlintReady(): Promise<[typeof import('@secretlint/core'), SecretLintCoreConfig, void]> {
  readyPromise ??= Promise.all([import('@secretlint/core'), secretlintConfig(), quietProfiler()])
  readyPromise.catch(() => {
    readyPromise = undefined
  })
  return readyPromise
}

export async function runSecretlint(path: string, content: string): Promise<SecretlintHit[]> {
  const [{ lintSource }, config] = await secretlintReady()
  const ext = /\.[^./]+$/.exec(path)?.[0] ?? ''
  const result = await lintSource({
    source: { content, filePath: path, ext, contentType: 'text' },
    // maskSecrets keeps the values out of secretlint's own messages; offsets locate them.
    options: { config, maskSecrets: true, noPhysicFilePath: true }
  })
  return result.messages.map((m) => ({
    rule: secretlintShortName(m.ruleId),
    messageId: m.messageId,
    start: m.range[0],
    end: m.range[1],
    line: m.loc.start.line,
    endLine: m.loc.end.line
  }))
}
