/**
 * What the engine knows about one file kind (a "language"): its rules, how one file is analysed,
 * what the whole file list tells about each file, which unchanged files a change needs as
 * context, how the plan document says to verify and roll back a change, how its files are
 * priced, and how the secret scan reads its assignments. Each kind's folder exports one
 * descriptor from its `index.ts`; the list of them is src/rules/registry.ts.
 */
import type { FileKind, Finding, RuleMeta, SourceFile } from '../types.js'
import type { CostSink } from '../cost/meta.js'
import type { Dialect } from './secrets/assignments.js'
import type { Report } from './rule.js'
import type { BuiltImages } from './dockerfile/built-images.js'

/** What is known about the whole run. */
export interface RunInfo {
  /** `owner/name` of the repository the files belong to, when known. */
  repository?: string
  /** Paths of every file of the analysed list (a scan's whole tree; a pull request's changed and context files). */
  listed?: ReadonlySet<string>
  /**
   * One-word image names the list's files build (a Dockerfile stage, a Makefile's `docker build -t`),
   * each with where (see dockerfile/built-images.ts): read from every file of the run at once.
   */
  builtImages?: BuiltImages
}

export interface Language<Context = unknown, Parsed = unknown> {
  kind: Exclude<FileKind, 'other'>
  /** Every rule the kind's checks may report: `report` refuses any other. */
  rules: readonly RuleMeta[]
  /**
   * The kind's checks, each with the rules it declares (and may alone report): together they
   * declare exactly `rules`, each rule in one check (the catalogue test holds every language to it).
   */
  checks: readonly { readonly rules: readonly RuleMeta[] }[]
  /**
   * The findings of one file, each built through `report`. Throws ParseError when the file cannot
   * be read (the engine makes it a note). Absent for kinds analysed as a whole (Helm charts).
   */
  analyze?(file: SourceFile, report: Report, context: Context | undefined, run: RunInfo, parsed?: Parsed): Finding[] | Promise<Finding[]>
  /**
   * Reads one file once for both `analyze` and `cost` (a CloudFormation template), so a file is
   * never parsed twice. Throws ParseError when the file cannot be read.
   */
  parse?(file: SourceFile): Parsed
  /**
   * Starts, in the background, the slow one-time set-up the kind's analysis needs (compiling a
   * parser), so the first file of the kind does not wait for it. Never throws.
   */
  prepare?(): void
  /** What the whole file list tells about each file (a Terraform module, a manifest folder), built once per run. */
  buildContext?(files: SourceFile[]): Context | Promise<Context>
  /** Findings in a context-only file that rest on a value from a changed file; never throws. */
  analyzeContextOnly?(file: SourceFile, report: Report, context: Context): Finding[] | Promise<Finding[]>
  /** Files (given the repository tree) or globs (without one) the analysis of a changed file depends on. */
  contextPaths?(path: string, treePaths?: readonly string[]): string[]
  /** The plan document's words for this kind: how to check a fix without running PR code, and how to undo the change. */
  plan: { verify: string; rollback: string }
  /**
   * Prices the file and reports its cost rules (`cost/*`, built through the cost rules' report):
   * a pull request gets them with their monthly figures, an audit also sums the priced resources.
   * The context, when given, lets it reuse what the analysis already parsed.
   */
  cost?(file: SourceFile, context: Context | undefined, parsed?: Parsed): CostSink | Promise<CostSink>
  /**
   * Why a file of this kind is a test's input though its path is no test tree (a compose test
   * stack: `docker-compose.test.yml`, a `sut` service), as a noun phrase for messages
   * (`a compose test stack (…)`); undefined when it is not one. Its findings are then `info`, as
   * in a test path (../rules/sample-paths.ts). Never throws.
   */
  testFile?(file: SourceFile): string | undefined
  /** How the secret scan reads key/value assignments in files of this kind (a file name can say more). */
  secretsDialect?: Extract<Dialect, 'hcl' | 'yaml' | 'dockerfile'>
}

/** Declares a language; the registry holds them without their context type. */
export function defineLanguage<Context, Parsed = unknown>(language: Language<Context, Parsed>): Language {
  return language as unknown as Language
}
