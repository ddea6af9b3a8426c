/**
 * Settings and suppressions on a cost audit: the audit reads the tree itself, so the files with
 * findings are read back from disk for their suppression comments, and the report is rendered
 * again from what is left. Used by `preflight audit` and the action's audit mode.
 */
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { AuditResult } from '../cost/audit.js'
import { renderAuditReport } from '../render/audit-report.js'
import type { SourceFile } from '../types.js'
import { applySettings } from './apply.js'
import type { RepositorySettings } from './repository.js'

export async function applySettingsToAudit(root: string, result: AuditResult, repo: RepositorySettings): Promise<AuditResult & { suppressed?: AuditResult['findings'] }> {
  const single = !(await stat(root)).isDirectory()
  const files: SourceFile[] = []
  for (const path of new Set(result.findings.map((f) => f.path))) {
    const content = await readFile(single ? root : join(root, path), 'utf8').catch(() => undefined)
    const kind = result.files.find((f) => f.path === path)?.kind ?? 'other'
    if (content !== undefined) files.push({ path, kind, content })
  }
  const applied = applySettings(result.findings, { settings: repo.settings, baseline: repo.baseline, files })
  const body = { ...result, findings: applied.findings, stats: { ...result.stats, findings: applied.findings.length } }
  // `suppressed` appears only when something was suppressed, so the audit contract is unchanged otherwise.
  return { ...body, ...(applied.suppressed.length ? { suppressed: applied.suppressed } : {}), report: renderAuditReport(body) }
}
