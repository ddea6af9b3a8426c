/** SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`). */
import { mdCode, mdMessage } from './escape.js'
import type { Finding, RuleMeta, Severity } from '../types.js'
import { redactedJson, type Secrets } from '../redact.js'

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }
/** GitHub ranks security alerts by this number (0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' }

export interface SarifOptions {
  version: string
  rules: RuleMeta[]
  /** Prefix for artifact URIs (the scanned directory relative to the repository root). */
  uriBase?: string
}

export function renderSarif(findings: Finding[], options: SarifOptions): object {
  const used = [...new Set(findings.map((f) => f.ruleId))].sort()
  const meta = new Map(options.rules.map((r) => [r.id, r]))
  const ruleIndex = new Map(used.map((id, i) => [id, i]))
  const prefix = options.uriBase ? options.uriBase.replace(/(?<!\/)\/+$/, '') + '/' : ''
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Preflight',
            informationUri: 'https://github.com/preflight-dev/preflight',
            version: options.version,
            rules: used.map((id) => {
              const r = meta.get(id)
              const severity = r?.severity ?? findings.find((f) => f.ruleId === id)?.severity ?? 'medium'
              return {
                id,
                name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')),
                shortDescription: { text: r?.title ?? id },
                fullDescription: { text: r?.description ?? r?.title ?? id },
                help: { text: r?.remediation ?? '', markdown: r ? `**${mdMessage(r.title)}**\n\n${mdMessage(r.description)}\n\n**Fix:** ${mdMessage(r.remediation)}` : mdCode(id) },
                defaultConfiguration: { level: LEVEL[severity] },
                properties: { tags: [r?.category ?? 'security', r?.kind ?? 'any'], 'security-severity': SECURITY_SEVERITY[severity] }
              }
            })
          }
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: ruleIndex.get(f.ruleId),
          level: LEVEL[f.severity],
          message: { text: f.remediation ? `${f.message} Fix: ${f.remediation}` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: prefix + f.path },
                region: { startLine: f.line, ...(f.endLine && f.endLine > f.line ? { endLine: f.endLine } : {}) }
              }
            }
          ],
          properties: { category: f.category, severity: f.severity },
          // A suppressed finding stays visible to code scanning, marked as such (in the file or by the baseline).
          ...(f.suppressed ? { suppressions: [{ kind: f.suppressed.by === 'baseline' ? 'external' : 'inSource', ...(f.suppressed.reason ? { justification: f.suppressed.reason } : {}) }] } : {})
        }))
      }
    ]
  }
}

/** The SARIF file as written (`scan --format sarif`, the action's `sarif-path`): redacted while it is serialised. */
export function sarifText(findings: Finding[], options: SarifOptions, secrets: Secrets | undefined): string {
  return redactedJson(renderSarif(findings, options), secrets, 2)
}
