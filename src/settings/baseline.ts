/**
 * The baseline for first adoption: fingerprints of the findings a repository already has, in
 * `.github/preflight-baseline.json`. A fingerprint is the rule id, the path and the finding's
 * source line with whitespace collapsed — not the line number, so it survives lines moving.
 * The line text is redacted before hashing, so the file can never be used to test a guess at a
 * secret.
 */
import { createHash } from 'node:crypto'
import type { Finding, SourceFile } from '../types.js'
import { redactSource, type Secrets } from '../redact.js'
import { VERSION } from '../version.js'
import { SettingsError } from './load.js'

export { BASELINE_PATH } from './types.js'
import { BASELINE_PATH } from './types.js'

export interface BaselineEntry {
  fingerprint: string
  ruleId: string
  path: string
}

export interface BaselineFile {
  version: 1
  generatedBy: string
  findings: BaselineEntry[]
}

/** Fingerprints a finding against the text of the file it is in. */
export function fingerprintOf(finding: Finding, lines: string[] | undefined, secrets: Secrets = []): string {
  const text = redactSource(finding.path, lines?.[finding.line - 1] ?? '', secrets, finding.line).trim().replace(/\s+/g, ' ')
  return createHash('sha256').update(`${finding.ruleId}\n${finding.path}\n${text}`).digest('hex').slice(0, 24)
}

/** Per path, the file split into lines (for fingerprints and directives). */
export function linesByPath(files: SourceFile[]): Map<string, string[]> {
  return new Map(files.map((f) => [f.path, f.content.split(/\r?\n/)]))
}

export function buildBaseline(findings: Finding[], files: SourceFile[], secrets: Secrets = []): BaselineFile {
  const lines = linesByPath(files)
  const seen = new Set<string>()
  const entries: BaselineEntry[] = []
  for (const f of findings) {
    const fingerprint = fingerprintOf(f, lines.get(f.path), secrets)
    if (seen.has(fingerprint)) continue
    seen.add(fingerprint)
    entries.push({ fingerprint, ruleId: f.ruleId, path: f.path })
  }
  entries.sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint))
  return { version: 1, generatedBy: `preflight ${VERSION}`, findings: entries }
}

/** Parses a baseline file's text into its set of fingerprints; a bad file is one clear error. */
export function parseBaseline(text: string, path = BASELINE_PATH): Set<string> {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new SettingsError(`${path}: not valid JSON (${(e as Error).message}); regenerate it with \`preflight baseline\``)
  }
  const findings = (data as { findings?: unknown } | null)?.findings
  if (!Array.isArray(findings) || findings.some((f) => typeof (f as BaselineEntry | null)?.fingerprint !== 'string')) {
    throw new SettingsError(`${path}: expected { "findings": [{ "fingerprint": "…" }] }; regenerate it with \`preflight baseline\``)
  }
  return new Set((findings as BaselineEntry[]).map((f) => f.fingerprint))
}
