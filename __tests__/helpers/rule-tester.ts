/**
 * A rule tester in the style of ESLint's RuleTester: `valid` cases must give no finding of the
 * rule, `invalid` cases exactly the listed ones (line, and message/severity/suggestion when
 * given). Cases go through the public engine (`analyzeFiles`), so a rule is tested the way a
 * pull request meets it, whatever module it lives in. Which rules were exercised is recorded,
 * so one test can say which rules have no cases.
 */
import { analyzeFiles, ruleById } from '../../src/rules/index.js'
import { analyzeCost } from '../../src/cost/index.js'
import { costRules } from '../../src/cost/meta.js'
import { chartDirsOf, classifyFile } from '../../src/changes/classify.js'
import type { FileKind, Finding, RuleMeta, Severity, SourceFile } from '../../src/types.js'

/** One input: a single file (`code`, at `path` or the rule kind's default path) or several (`files`). */
export interface Case {
  name?: string
  path?: string
  code?: string
  /** Several files analysed together (a Terraform module, a manifest folder, a chart). */
  files?: Record<string, string>
  /** Paths of `files` read only as context (never reported on), as a pull request reads unchanged siblings. */
  contextOnly?: string[]
  /** `owner/name` of the repository the files belong to (rules that tell its own code from others'). */
  repository?: string
}

export interface ExpectedError {
  line: number
  message?: RegExp | string
  severity?: Severity
  /** The committable suggestion expected, or `null`: the finding must offer none. */
  suggestion?: string | null
  /** How a value the finding rests on was resolved (`variable default`, `parameter default`, …). */
  via?: string
  /** Path of the finding, when a case has several files (default: the case's first file). */
  path?: string
}

export interface InvalidCase extends Case {
  errors: ExpectedError[]
}

export interface RuleCases {
  valid: Case[]
  invalid: InvalidCase[]
}

/** Cases of one file kind, keyed by rule id. */
export type CaseTable = Record<string, RuleCases>

/** Where a single-file case lives when it names no path, by the rule's kind. */
const DEFAULT_PATH: Record<string, string> = {
  dockerfile: 'Dockerfile',
  compose: 'docker-compose.yml',
  workflow: '.github/workflows/ci.yml',
  kubernetes: 'k8s/app.yaml',
  helm: 'charts/app/values.yaml',
  cloudformation: 'cfn/stack.yaml',
  terraform: 'infra/main.tf',
  any: 'config/app.env'
}

/** The files of a case, with their kinds derived from path and content as the pipeline does. */
export function filesOf(c: Case, ruleKind: FileKind | 'any'): SourceFile[] {
  const entries: [string, string][] = c.files
    ? Object.entries(c.files)
    : [[c.path ?? DEFAULT_PATH[ruleKind] ?? 'file.txt', c.code ?? '']]
  if (entries.length === 0) throw new Error('a case needs `code` or `files`')
  // Like the pipeline, a folder with a Chart.yaml makes its files chart files.
  const chartDirs = chartDirsOf(entries.map(([p]) => p))
  return entries.map(([path, content]) => ({
    path,
    kind: classifyFile(path, content, { chartDirs }),
    content,
    ...(c.contextOnly?.includes(path) ? { contextOnly: true } : {})
  }))
}

const COST_RULES = new Map(costRules.map((r) => [r.id, r]))

/** A rule of the engine's registry, or a cost rule the cost analysis reports (until it joins the registry). */
export function testedRule(ruleId: string): RuleMeta | undefined {
  return ruleById(ruleId) ?? COST_RULES.get(ruleId)
}

/**
 * Findings of `ruleId` for a case, through the public engine (or the cost analysis for a cost
 * rule it does not run). A file that did not parse, or an analyzer that failed, throws: a case
 * must never pass only because its file was not analysed.
 */
export async function findingsFor(ruleId: string, c: Case): Promise<Finding[]> {
  const meta = testedRule(ruleId)
  if (!meta) throw new Error(`unknown rule id ${ruleId}`)
  const files = filesOf(c, meta.kind)
  // A valid case on a file the rule never reads would pass for the wrong reason.
  if (meta.kind !== 'any' && !files.some((f) => f.kind === meta.kind)) {
    throw new Error(`no file of the case is classified as ${meta.kind}: ${files.map((f) => `${f.path} (${f.kind})`).join(', ')}`)
  }
  const result = ruleById(ruleId) ? await analyzeFiles(files, { threads: 1, ...(c.repository ? { repository: c.repository } : {}) }) : await analyzeCost(files.filter((f) => !f.contextOnly))
  const broken = result.notes.filter((n) => n.reason === 'parse' || n.reason === 'error')
  if (broken.length > 0) throw new Error(`the case was not fully analysed:\n${broken.map((n) => `  ${n.message}`).join('\n')}`)
  return result.findings.filter((f) => f.ruleId === ruleId)
}

/** A compact, readable account of findings for failure messages. */
export function describeFindings(findings: Finding[]): string {
  if (findings.length === 0) return '(none)'
  return findings
    .map((f) => `  ${f.path}:${f.line} [${f.severity}] ${f.message}${f.via ? ` (via ${f.via})` : ''}${f.suggestion !== undefined ? ` ⟶ suggestion ${JSON.stringify(f.suggestion)}` : ''}`)
    .join('\n')
}

function caseTitle(kind: 'valid' | 'invalid', c: Case, i: number): string {
  return `${kind} #${i + 1}${c.name ? `: ${c.name}` : ''}`
}

/** Differences between the findings and what an invalid case expects; empty when they match. */
export function mismatches(findings: Finding[], errors: ExpectedError[], defaultPath: string): string[] {
  const problems: string[] = []
  if (findings.length !== errors.length) problems.push(`expected ${errors.length} finding(s), got ${findings.length}`)
  const left = [...findings]
  for (const e of errors) {
    const path = e.path ?? defaultPath
    const i = left.findIndex((f) => f.line === e.line && f.path === path)
    if (i < 0) {
      problems.push(`no finding at ${path}:${e.line}`)
      continue
    }
    const [f] = left.splice(i, 1)
    if (e.severity !== undefined && f.severity !== e.severity) problems.push(`${path}:${e.line}: severity ${f.severity}, expected ${e.severity}`)
    if (e.message !== undefined) {
      const ok = typeof e.message === 'string' ? f.message === e.message : e.message.test(f.message)
      if (!ok) problems.push(`${path}:${e.line}: message ${JSON.stringify(f.message)} does not match ${String(e.message)}`)
    }
    if (e.via !== undefined && f.via !== e.via) problems.push(`${path}:${e.line}: via ${JSON.stringify(f.via)}, expected ${JSON.stringify(e.via)}`)
    if (e.suggestion !== undefined && f.suggestion !== (e.suggestion ?? undefined)) {
      problems.push(`${path}:${e.line}: suggestion ${JSON.stringify(f.suggestion)}, expected ${JSON.stringify(e.suggestion)}`)
    }
  }
  return problems
}

export class RuleTester {
  /** Rule id → how many valid and invalid cases were registered. */
  readonly coverage = new Map<string, { valid: number; invalid: number }>()

  /** Declares one `describe` with one test per case. Throws at once for an unknown rule id. */
  run(ruleId: string, cases: RuleCases, options: { failing?: string[] } = {}): void {
    const meta = testedRule(ruleId)
    if (!meta) throw new Error(`RuleTester: unknown rule id ${ruleId}`)
    const seen = this.coverage.get(ruleId) ?? { valid: 0, invalid: 0 }
    seen.valid += cases.valid.length
    seen.invalid += cases.invalid.length
    this.coverage.set(ruleId, seen)
    // A case named in `failing` documents a known rule bug: it must fail until the rule is fixed.
    const testFor = (title: string, c: Case) => (c.name && options.failing?.includes(c.name) ? it.failing : it)
    describe(ruleId, () => {
      cases.valid.forEach((c, i) => {
        const title = caseTitle('valid', c, i)
        testFor(title, c)(title, async () => {
          const findings = await findingsFor(ruleId, c)
          if (findings.length > 0) throw new Error(`expected no ${ruleId} finding, got:\n${describeFindings(findings)}`)
        })
      })
      cases.invalid.forEach((c, i) => {
        const title = caseTitle('invalid', c, i)
        testFor(title, c)(title, async () => {
          if (c.errors.length === 0) throw new Error('an invalid case lists at least one error')
          const findings = await findingsFor(ruleId, c)
          const defaultPath = filesOf(c, meta.kind)[0].path
          const problems = mismatches(findings, c.errors, defaultPath)
          if (problems.length > 0) throw new Error(`${problems.join('\n')}\nfindings of ${ruleId}:\n${describeFindings(findings)}`)
        })
      })
    })
  }
}
