/**
 * The cost analysis of a set of files: each file whose language prices it (`Language.cost`:
 * Terraform, CloudFormation, Kubernetes) is priced and checked on its own (so any split of the files adds up to the same result). A file
 * that cannot be read becomes a note and never stops the others.
 */
import type { FileNote, Finding, SourceFile } from '../types.js'
import { compareFindings } from '../rules/index.js'
import { ParseError } from '../rules/parse/yaml.js'
import { assumptionTexts, compareCostLines, type AssumptionKey, type CostLine } from './estimate.js'
import { languageOf } from '../rules/registry.js'
import type { CostSink } from './meta.js'

export { costRules, COST } from './meta.js'
export type { CostLine, Estimate } from './estimate.js'

export interface CostAnalysis {
  findings: Finding[]
  lines: CostLine[]
  assumptions: string[]
  notes: FileNote[]
}


export async function analyzeCost(files: SourceFile[]): Promise<CostAnalysis> {
  const findings: Finding[] = []
  const lines: CostLine[] = []
  const notes: FileNote[] = []
  const used = new Set<AssumptionKey>()
  for (const file of files) {
    const reader = languageOf(file.kind)?.cost
    if (!reader || file.content.includes('\u0000')) continue
    try {
      const sink: CostSink = await reader({ ...file, content: file.content.replace(/\r\n?/g, '\n') }, undefined)
      findings.push(...sink.findings)
      lines.push(...sink.lines)
      for (const a of sink.assumptions) used.add(a)
    } catch (e) {
      const parse = e instanceof ParseError || (e as Error)?.name === 'ParseError'
      notes.push({ path: file.path, reason: parse ? 'parse' : 'error', message: `${file.path}: ${parse ? 'could not be parsed' : 'cost analysis failed'}: ${(e as Error)?.message ?? String(e)}` })
    }
  }
  return { findings: findings.sort(compareFindings), lines: lines.sort(compareCostLines), assumptions: assumptionTexts(used), notes }
}
