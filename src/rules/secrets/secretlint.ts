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

export async function runSecretlint(path: string, content: string): Promise<SecretlintHit[]> {
  const [{ lintSource }, config] = await Promise.all([import('@secretlint/core'), secretlintConfig()])
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
