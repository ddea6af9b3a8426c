/**
 * The one rule shape. Every rule module declares its rules with `defineRules` (or `defineRule`
 * for a single one) and its checks build findings through a `Report` made by `reporterFor`: the
 * only place a rule's `Finding` is built, so category and severity come from the declared
 * meta (a finding may only be made less severe, saying why), and a module can never report
 * under an id it did not declare.
 */
import { SEVERITY_RANK, type Finding, type RuleMeta, type Severity } from '../types.js'

/** What a rule module writes for each rule; the kind comes from the module. */
export type RuleSpec = Omit<RuleMeta, 'kind'>

/** One rule of a kind (`'any'` for rules that apply to every file, such as secrets and cost). */
export function defineRule(kind: RuleMeta['kind'], spec: RuleSpec): RuleMeta {
  return { kind, ...spec }
}

/** The rules of a module by the short name its checks use (`RULES.rootUser`). */
export function defineRules<K extends string>(kind: RuleMeta['kind'], specs: Record<K, RuleSpec>): Readonly<Record<K, RuleMeta>> {
  const out = {} as Record<K, RuleMeta>
  for (const key of Object.keys(specs) as K[]) out[key] = defineRule(kind, specs[key])
  return out
}

/** What a check may add to a finding beyond its rule, line and message. */
export interface FindingExtra {
  /**
   * A finding of this rule that is less serious than the rule's default (a read-only mount, a
   * limit that stands in for a request): its message says why. Never raised above the default.
   */
  severity?: Severity
  endLine?: number
  suggestion?: string
  /** Overrides the rule's generic remediation with a more specific one. */
  remediation?: string
  /** How the value the finding rests on was found (a parameter default, a variable default, …). */
  via?: string
  monthlyCostUsd?: number
  monthlySavingUsd?: number
}

/**
 * Builds a finding of a declared rule. Prefer a `Report` from `reporterFor`: it also checks
 * that the rule belongs to the module that reports it.
 */
export function makeFinding(meta: RuleMeta, path: string, line: number, message: string, extra: FindingExtra = {}): Finding {
  const f: Finding = {
    ruleId: meta.id,
    category: meta.category,
    severity: extra.severity !== undefined && SEVERITY_RANK[extra.severity] < SEVERITY_RANK[meta.severity] ? extra.severity : meta.severity,
    path,
    line,
    message,
    remediation: extra.remediation ?? meta.remediation
  }
  if (extra.endLine !== undefined && extra.endLine > line) f.endLine = extra.endLine
  if (extra.suggestion !== undefined) f.suggestion = extra.suggestion
  if (extra.via !== undefined) f.via = extra.via
  if (extra.monthlyCostUsd !== undefined) f.monthlyCostUsd = extra.monthlyCostUsd
  if (extra.monthlySavingUsd !== undefined) f.monthlySavingUsd = extra.monthlySavingUsd
  return f
}

/**
 * The finding builder of one file's checks: `report(meta, line, message, extra?)`. It refuses
 * (throws `UndeclaredRuleError`) a rule the module did not declare; the engine turns that into a
 * note on the file, tests fail on it.
 */
export type Report = (meta: RuleMeta, line: number, message: string, extra?: FindingExtra) => Finding

/** A rule reported by a module that did not declare it: a bug in the module, never in the input. */
export class UndeclaredRuleError extends Error {
  constructor(
    readonly ruleId: string,
    readonly module: string
  ) {
    super(`rule \`${ruleId}\` is reported by ${module}, which does not declare it`)
    this.name = 'UndeclaredRuleError'
  }
}

/**
 * The report function for one file of a module (`module` names it in errors): accepts only the
 * declared metas themselves, since a copy could disagree with the catalogue.
 */
export function reporterFor(declared: readonly RuleMeta[], path: string, module: string): Report {
  // By identity: made once per file, so no index is built; a copied meta is refused too.
  return (meta, line, message, extra) => {
    if (!declared.includes(meta)) throw new UndeclaredRuleError(meta.id, module)
    return makeFinding(meta, path, line, message, extra)
  }
}

/**
 * One check of a language: the rules it may report and its walk over the context. The context
 * carries the `report` the check builds findings with, narrowed by a `CheckReporter` to these rules.
 */
export interface Check<Context, Result = void> {
  rules: readonly RuleMeta[]
  run(ctx: Context): Result
}

/**
 * One report for all the checks of a language on a file, narrowed to the rules of the check
 * running now: `run` switches the rules before each check, so no report is built per check (the
 * checks run for every resource, container or value of a file). A rule the running check did not
 * declare is refused with `UndeclaredRuleError`, even when the language declares it.
 */
export interface CheckReporter {
  /** The rules of the running check; none before the first `run`, so nothing is accepted then. */
  rules: readonly RuleMeta[]
  /** Builds through the file's report the findings of `rules`; refuses any other rule. */
  readonly report: Report
  /** Runs `check` with its own rules accepted. Checks report while they run, never after. */
  run<Context, Result>(check: Check<Context, Result>, ctx: Context): Result
}

/** A `CheckReporter` building through `report` (the file's); `module` names the language in errors. */
export function checkReporter(report: Report, module: string): CheckReporter {
  const narrowed: CheckReporter = {
    rules: [],
    report: (meta, line, message, extra) => {
      if (!narrowed.rules.includes(meta)) throw new UndeclaredRuleError(meta.id, `${module} (a check declaring ${narrowed.rules.map((r) => `\`${r.id}\``).join(', ')})`)
      return report(meta, line, message, extra)
    },
    run: (check, ctx) => {
      narrowed.rules = check.rules
      return check.run(ctx)
    }
  }
  return narrowed
}
