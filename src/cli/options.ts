/**
 * The CLI's verbs and flags in one table: what each flag means and which verbs take it. The
 * parser, the check that a flag suits its verb, and the help text all read this table.
 */
import { UsageError } from './io.js'

export const VERBS = ['scan', 'review', 'audit', 'baseline', 'agents', 'route'] as const
export type Verb = (typeof VERBS)[number]

interface Flag {
  type: 'string' | 'boolean'
  verbs: readonly Verb[]
  /** Placeholder for the value in the help. */
  value?: string
  help: string
  /** May be given more than once (the values are collected). */
  multiple?: boolean
}

const REVIEWING = ['review', 'route'] as const

export const FLAGS = {
  format: { type: 'string', verbs: ['scan', 'review', 'audit', 'agents', 'route'], value: 'FMT', help: 'json, or markdown/text (sarif for scan). Default: text on a terminal, JSON when piped' },
  'fail-on': { type: 'string', verbs: ['scan', 'review', 'audit'], value: 'SEVERITY', help: 'exit 1 when a finding (not suppressed) is this severe: critical, high, medium, low, none' },
  'paths-ignore': { type: 'string', verbs: ['scan', 'review', 'audit', 'baseline'], value: 'GLOBS', help: "comma-separated globs left out, added to the settings file's" },
  repo: { type: 'string', verbs: ['review', 'route', 'baseline'], value: 'DIR', help: 'the git repository (review, route) or folder (baseline); default: the current folder for baseline' },
  base: { type: 'string', verbs: REVIEWING, value: 'REF', help: 'the commit the change is compared with (personas are read there)' },
  head: { type: 'string', verbs: REVIEWING, value: 'REF', help: 'the commit under review; default: the working tree' },
  'plan-out': { type: 'string', verbs: ['review'], value: 'FILE', help: 'also write the plan document to FILE' },
  agents: { type: 'string', verbs: REVIEWING, value: 'NAMES', help: 'personas (names or aliases) to run regardless of triggers' },
  'max-agents': { type: 'string', verbs: REVIEWING, value: 'N', help: 'at most N personas (default 2)' },
  'agents-dir': { type: 'string', verbs: ['review', 'route', 'agents'], value: 'DIRS', help: 'folders holding persona files (review, route: read at --base)' },
  'no-model': { type: 'boolean', verbs: ['review'], help: 'never call a model, even with ANTHROPIC_API_KEY set' },
  model: { type: 'string', verbs: ['review'], value: 'MODEL', help: 'model for every persona: opus, sonnet, haiku or a full id' },
  'model-provider': { type: 'string', verbs: ['review'], value: 'NAME', help: 'anthropic (ANTHROPIC_API_KEY), bedrock (AWS credentials, AWS_REGION) or vertex (Google credentials, CLOUD_ML_REGION)' },
  'max-cost-usd': { type: 'string', verbs: ['review'], value: 'USD', help: 'no further model calls once the run has spent this much' },
  'helm-rendered-dir': { type: 'string', verbs: ['scan', 'review'], value: 'DIR', help: 'manifests rendered from the changed Helm charts by an earlier step (helm template)' },
  'import-sarif': { type: 'string', multiple: true, verbs: ['scan', 'review'], value: 'FILE', help: "another tool's SARIF (checkov, trivy, KICS, tfsec, hadolint, zizmor, cfn-lint, cfn-guard, cfn_nag, Semgrep); repeatable, globs allowed" },
  'terraform-plan': { type: 'string', verbs: ['scan', 'review'], value: 'FILE', help: '`terraform show -json` of a saved plan: replaced or destroyed stateful resources become findings' },
  infracost: { type: 'string', verbs: ['scan', 'review', 'audit'], value: 'FILE', help: '`infracost breakdown|diff --format json`: the monthly cost and its change' },
  cache: { type: 'boolean', verbs: ['scan'], help: "keep each folder's results in the user's cache folder and analyse only what changed since the last scan" },
  'cache-location': { type: 'string', verbs: ['scan'], value: 'FILE', help: 'the result cache file (implies --cache); default: one per scanned folder under ~/.cache/preflight/results' },
  'shard-index': { type: 'string', verbs: ['audit'], value: 'I', help: "this job's shard, 0-based" },
  'shard-total': { type: 'string', verbs: ['audit'], value: 'N', help: 'how many shards split the file set' },
  out: { type: 'string', verbs: ['baseline'], value: 'FILE', help: 'where the baseline goes (default .github/preflight-baseline.json in --repo)' }
} as const satisfies Record<string, Flag>

export type FlagName = keyof typeof FLAGS

/** Options for node:util parseArgs: every flag, plus --help and --version. */
export const PARSE_OPTIONS = {
  ...Object.fromEntries(Object.entries(FLAGS).map(([name, f]) => [name, { type: f.type, ...('multiple' in f && f.multiple ? { multiple: true } : {}) }])),
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' }
} as Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>

/** Refuses a flag the verb does not take, saying which verbs do. */
export function checkFlagsFor(verb: Verb, given: string[]): void {
  for (const name of given) {
    const flag = (FLAGS as Record<string, Flag>)[name]
    if (!flag || flag.verbs.includes(verb)) continue
    throw new UsageError(`--${name} is not an option of '${verb}' (only ${flag.verbs.join(', ')} take${flag.verbs.length === 1 ? 's' : ''} it); see preflight ${verb} --help`)
  }
}

const USAGE: Record<Verb, string> = {
  scan: 'preflight scan <path>                     rules on every file under a folder (or one file)',
  review: 'preflight review --repo DIR --base REF    the change base...head as a pull request review',
  audit: 'preflight audit <path>                    scan plus the cost audit',
  baseline: 'preflight baseline [--repo DIR]           record current findings so only new ones count',
  agents: 'preflight agents                          list the personas and where they came from',
  route: 'preflight route --repo DIR --base REF     which personas a change would get, and why'
}

export function helpText(version: string, verb?: Verb): string {
  const verbs = verb ? [verb] : [...VERBS]
  const flags = Object.entries(FLAGS).filter(([, f]) => verbs.some((v) => (f.verbs as readonly string[]).includes(v)))
  const width = Math.max(...flags.map(([n, f]) => `--${n}${'value' in f ? ` ${f.value}` : ''}`.length))
  const lines = [
    `preflight ${version} — reviews infrastructure changes with agent personas and a deterministic checklist`,
    '',
    'Usage:',
    ...verbs.map((v) => `  ${USAGE[v]}`),
    '',
    'Options (and the verbs that take them):',
    ...flags.map(([n, f]) => `  ${`--${n}${'value' in f ? ` ${f.value}` : ''}`.padEnd(width)}  ${f.help} [${f.verbs.join(', ')}]`),
    `  ${'--help, --version'.padEnd(width)}  this text; the version`,
    '',
    'Settings: .github/preflight.yml (or .preflight.yml) in the scanned folder or repository.',
    'With ANTHROPIC_API_KEY set (ANTHROPIC_BASE_URL where given) review runs the personas through the',
    'model unless --no-model; otherwise everything is deterministic and offline.',
    'Exit codes: 0 ran, 1 --fail-on (or the settings fail-on) met, 2 bad usage or input.'
  ]
  return lines.join('\n')
}
