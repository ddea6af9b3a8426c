/**
 * The shared vocabulary of Preflight (see DESIGN.md). Every stage of the pipeline speaks these
 * types; the words are part of the JSON contract, so keep them exact.
 */
import type { PlanDocument } from './render/plan-types.js'
import type { ModelComment } from './llm/types.js'

export const CATEGORIES = [
  'secrets',
  'rollback',
  'immutability',
  'slo',
  'observability',
  'cost',
  'backup',
  'security'
] as const
export type Category = (typeof CATEGORIES)[number]

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

/** Higher is worse; used for sorting and for `fail-on`. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 }

export const STATUSES = ['pass', 'warn', 'fail', 'n/a', 'unknown'] as const
export type ChecklistStatus = (typeof STATUSES)[number]

export const FILE_KINDS = [
  'terraform',
  'cloudformation',
  'kubernetes',
  'helm',
  'compose',
  'dockerfile',
  'workflow',
  'other'
] as const
export type FileKind = (typeof FILE_KINDS)[number]

export type Verdict = 'pass' | 'warn' | 'fail' | 'skipped'

/** One piece of evidence: a rule that matched at a place in a file. */
export interface Finding {
  ruleId: string
  category: Category
  severity: Severity
  /** Relative to the repository (or scanned directory) root, with `/`. */
  path: string
  /** 1-based, on the new side of the file. */
  line: number
  endLine?: number
  message: string
  remediation?: string
  /** Replacement text for lines `line..endLine` (or `line`), when the fix is mechanical. */
  suggestion?: string
  /** Cost audit only. */
  monthlyCostUsd?: number
  monthlySavingUsd?: number
  /** Who found it: `preflight` (default when absent) or an imported tool (`checkov`, `trivy`, …). */
  source?: string
  /** Ids of imported results merged into this finding (`checkov/CKV_AWS_17`). */
  alsoFlaggedBy?: string[]
  /** How a value the finding rests on was resolved: `parameter default`, `variable default`, `module input`. */
  via?: string
  /** Checklist topics this finding informs (copied from its rule's meta). */
  topics?: Topic[]
  /** Set when a suppression silenced it; suppressed findings never count and are never commented. */
  suppressed?: { by: string; reason?: string; selfAdded?: boolean }
  /** The resource, container, job or step the finding belongs to (grouping key for inline comments). */
  resource?: string
  /** Link to documentation of the rule (imported results keep their tool's help link). */
  helpUri?: string
}

/**
 * What a checklist question is about. A rule declares the topics it informs; a checklist item
 * selects its evidence by topics (and rule ids, file kinds), never by a broad category alone.
 */
export const TOPICS = [
  'secret-storage',
  'secret-exposure',
  'least-privilege',
  'network-exposure',
  'encryption',
  'supply-chain',
  'workflow-injection',
  'pipeline-tests',
  'immutable-artifacts',
  'health-checks',
  'rollout-strategy',
  'rollback-path',
  'redundancy',
  'autoscaling',
  'resource-limits',
  'monitoring',
  'logging',
  'alerting',
  'backups',
  'deletion-protection',
  'cost-sizing',
  'cost-waste',
  'latency-target',
  'availability-target'
] as const
export type Topic = (typeof TOPICS)[number]

/**
 * Tools whose rule ids a Preflight rule may name as equivalent (for suppressions and SARIF import),
 * spelled as the SARIF import names them (`toolSlug`): cfn_nag writes `cfn_nag` as its driver name,
 * CloudFormation Guard `cfn-guard`, cfn-lint `cfn-lint`.
 */
export const REF_TOOLS = ['checkov', 'kics', 'tfsec', 'trivy', 'hadolint', 'zizmor', 'cfn_nag', 'cfn-guard', 'cfn-lint'] as const
export type RefTool = (typeof REF_TOOLS)[number]
/** Equivalent ids per tool; one id or several. */
export type RuleRefs = Partial<Record<RefTool, string | readonly string[]>>

/** Every id a rule lists for one tool, as an array. */
export function refIds(refs: RuleRefs | undefined, tool: RefTool): string[] {
  const v = refs?.[tool]
  if (v === undefined) return []
  return typeof v === 'string' ? [v] : [...v]
}

/** Static description of a rule, for the catalogue, SARIF and the checklist. */
export interface RuleMeta {
  id: string
  kind: FileKind | 'any'
  category: Category
  severity: Severity
  title: string
  /** What the rule checks and why it matters, one or two sentences. */
  description: string
  remediation: string
  /** Equivalent ids in other tools, where one exists. */
  refs?: RuleRefs
  /** Checklist topics this rule informs. */
  topics?: readonly Topic[]
}

/** A file as the analyzers see it. */
export interface SourceFile {
  path: string
  kind: FileKind
  content: string
  /** Read only as context for other files (siblings of a changed Terraform file or manifest): never reported on. */
  contextOnly?: boolean
}

/** Something said about one file that is not a finding: it did not parse, it was skipped, … */
export interface FileNote {
  path: string
  reason: 'parse' | 'too-large' | 'binary' | 'encoding' | 'ignored' | 'unavailable' | 'error'
  message: string
}

/**
 * Where the analysis saw a literal secret: the exact text on one line of one file. Redaction masks
 * that span wherever the file's source is echoed, and strong values everywhere. Never rendered.
 */
export interface SecretLocation {
  path: string
  /** 1-based line holding `value` (a multi-line secret gives one location per line). */
  line: number
  /** 0-based column of `value` in that line. */
  column: number
  value: string
}

export interface AnalysisResult {
  findings: Finding[]
  notes: FileNote[]
  /** Literal secrets seen in the files (before any suppression), so every output can mask them. */
  secrets: SecretLocation[]
  /** When these results stop holding (ms since the epoch): a token seen expires, and its finding with it. */
  validUntil?: number
}

// ── Personas ────────────────────────────────────────────────────────────────────────────────

export interface ChecklistItem {
  /** Short stable id, unique within the persona (e.g. `rollback-plan`). */
  id: string
  question: string
  categories: Category[]
  /** Topics whose rules' findings answer the item (given in the file, or inferred from the question). */
  topics?: Topic[]
  /** Rule ids (or `prefix/*`) that answer the item, in addition to those of its topics. */
  rules?: string[]
  /** Only files of these kinds count as evidence; all kinds when absent. */
  kinds?: FileKind[]
}

export interface PersonaTriggers {
  keywords: string[]
  /** File kinds (`terraform`, …) or globs (`**\/*.tf`). */
  files: string[]
}

export interface Persona {
  /** Slug: lower-case, `[a-z0-9-]`, unique. */
  name: string
  /** The name as written in the file, when it differs from the slug. */
  displayName: string
  aliases: string[]
  description: string
  /** `opus`, `sonnet`, `haiku`, a full model id, or undefined (inherit). */
  model?: string
  tools: string[]
  color?: string
  triggers: PersonaTriggers
  checklist: ChecklistItem[]
  /** The Markdown body: the persona's system prompt. */
  body: string
  /** Where it was read from: `agents/sre.md` for a bundled one, the repository path otherwise. */
  source: string
  origin: 'bundled' | 'repository'
  /** Set when a repository persona replaced a bundled one of the same name. */
  replaces?: string
}

export interface PersonaLoadResult {
  personas: Persona[]
  warnings: string[]
}

// ── Change set ──────────────────────────────────────────────────────────────────────────────

export type ChangeStatus = 'added' | 'modified' | 'removed' | 'renamed' | 'copied' | 'changed' | 'unchanged'

export interface ChangedFile {
  path: string
  previousPath?: string
  status: ChangeStatus
  kind: FileKind
  /** Unified diff hunks of this file (no `diff --git` header); absent for binary or huge files. */
  patch?: string
  /** Full content at head; absent for removed files or when it could not be read. */
  content?: string
}

export interface ChangeSet {
  title: string
  body: string
  labels: string[]
  number?: number
  baseSha?: string
  headSha?: string
  files: ChangedFile[]
  /** Files left out (ignored, too large, unreadable) and why. */
  notes: FileNote[]
  /** Unchanged files read for context (a changed file's module or manifest folder): analysed with it, never reported on. */
  context?: SourceFile[]
}

export interface RoutedAgent {
  persona: Persona
  score: number
  /** One human line: "workflow changed: .github/workflows/deploy.yml; keywords: deploy, rollback". */
  reason: string
}

// ── Checklist, comments, results ────────────────────────────────────────────────────────────

export interface ChecklistResult {
  agent: string
  item: string
  question: string
  categories: Category[]
  /** The topics the item was judged on. */
  topics?: Topic[]
  status: ChecklistStatus
  /** `ruleId at path:line` lines, or the model's one-line evidence. */
  evidence: string[]
  source: 'rules' | 'model'
}

export interface ReviewComment {
  path: string
  line: number
  startLine?: number
  body: string
  /** Hidden marker used to avoid posting the same comment twice. */
  fingerprint: string
  severity: Severity
  /**
   * Per-finding fingerprints an earlier version posted for what this comment now covers: when
   * one of them is on the pull request, this comment counts as already posted (see
   * `isAlreadyPosted` in render/markers.ts).
   */
  previousFingerprints?: string[]
}

export interface Usage {
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  costUsd: number
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 }

// ── The review result (produced by modes/pipeline.ts, rendered by render/) ───────────────────

/** What one persona contributed to a review. */
export interface AgentOutcome {
  agent: RoutedAgent
  checklist: ChecklistResult[]
  plan: PlanDocument
  /** The model's summary and answer, when a model ran. */
  modelSummary?: string
  answer?: string
  model?: string
}

/** An inline comment that an earlier run posted and whose body changed: edit it in place. */
export interface InlineUpdate {
  fingerprint: string
  body: string
}

export interface ReviewResult {
  verdict: Verdict
  /** One line saying why (`2 critical findings in the changed files`). */
  verdictReason: string
  agents: AgentOutcome[]
  /** All findings on the changed files, not suppressed. */
  findings: Finding[]
  /** Findings a suppression or the baseline silenced: counted, listed, never commented. */
  suppressed?: Finding[]
  /** Infracost's estimate, when one was imported. */
  cost?: CostReport
  /** Inline comments, one per (file, resource), on commentable lines only. */
  comments: ReviewComment[]
  /** Findings on changed files that cannot carry an inline comment (summary material). */
  unanchored: Finding[]
  /** Findings whose whole group is below `min-inline-severity`: listed in the summary only. */
  belowInline: Finding[]
  /** Model comments that pointed outside the diff (or below `min-inline-severity`). */
  unanchoredModel: ModelComment[]
  notes: FileNote[]
  /** Messages for the reader: routing warnings, model fallbacks, budget cuts. */
  messages: string[]
  usage: Usage
  secrets: SecretLocation[]
  files: { path: string; kind: FileKind }[]
  /** Inline comments posted by an earlier run whose content changed (for delivery to edit). */
  inlineUpdates: InlineUpdate[]
  /** Fingerprints of inline comments posted earlier whose problems are all gone. */
  inlineFixed: string[]
  /** Fingerprint → body hash of every inline comment group, to keep in the summary's state. */
  inlineState: Record<string, string>
  /** What each inline comment (by fingerprint) is made of, to list it if GitHub refuses it. */
  commentSources: Record<string, { findings: Finding[]; model: ModelComment[] }>
}

// ── Imported cost (Infracost) ─────────────────────────────────────────────────────────────────

/** Amounts are exact decimals in scaled units (src/import/decimal.ts), never floats. */
export interface InfracostLine {
  /** Resource address as Infracost names it (`aws_instance.web_app`). */
  name: string
  /** Infracost project (folder) it belongs to. */
  project: string
  /** Monthly cost after the change, in scaled units (see decimal.ts). */
  monthly: bigint
  /** Change of the monthly cost, when Infracost computed a diff. */
  diff?: bigint
}

export interface CostReport {
  /** The file it came from, for messages. */
  file: string
  currency: string
  /** `breakdown` or `diff`, as Infracost recorded it. */
  command: string
  monthly: bigint
  /** Monthly cost before the change; present when the JSON has a past breakdown. */
  pastMonthly?: bigint
  /** monthly − pastMonthly, as Infracost wrote it (or computed from the two). */
  diffMonthly?: bigint
  /** Projects (folders) Infracost priced. */
  projects: { name: string; path: string }[]
  /** Resources with the largest change (or cost, without a diff), largest first; at most 5. */
  top: InfracostLine[]
}
