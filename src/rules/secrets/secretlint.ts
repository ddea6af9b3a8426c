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
  configPromise ??= import('@secretlint/secretlint-rule-preset-recommend').then(({ creator }) => {
    prefilterOn = presetIsAudited(creator as { rules?: { meta?: { id?: string } }[] })
    return { rules: [{ id: SECRETLINT_PRESET_ID, rule: creator }] }
  })
  return configPromise
}

/**
 * secretlint's profiler records a performance mark at every step of every file and its observer
 * searches all earlier marks for each new one: over thousands of files that is quadratic (minutes
 * for 10,000 files) and its memory only grows. Preflight never reads the profile, so marking is
 * turned off once, on the shared profiler instance @secretlint/core reports to.
 */
function silenceProfiler(profiler: unknown): void {
  const p = profiler as { mark?: unknown } | undefined
  if (p && typeof p.mark === 'function') p.mark = () => undefined
}

let profilerPromise: Promise<void> | undefined

function quietProfiler(): Promise<void> {
  profilerPromise ??= import('@secretlint/profiler').then((m) => silenceProfiler(m.secretLintProfiler)).catch(() => undefined)
  return profilerPromise
}

/** The preset version whose rules `RULE_ANCHORS` was read from; a test fails when it changes. */
export const SECRETLINT_AUDITED_PRESET_VERSION = '12.0.0'

/**
 * For each rule of the preset, what a file must hold for the rule to be able to report: a list of
 * alternatives, each a list of strings that must all be present, in the file lowercased. Read from
 * the rules' expressions in the audited version (each report follows a match of an expression
 * whose literal parts are these); `secretlint-prefilter.test.ts` checks a positive per rule. A
 * file none of whose rules can report skips secretlint, whose per-file set-up (registering 25
 * rules) costs more than the matching.
 */
const RULE_ANCHORS: Record<string, (folded: string, ext: string) => boolean> = {
  // `(?:AWS)?_?SECRET_?ACCESS_?KEY["']?\s*[:=]…` in any of three cases (the id rules are off by default).
  aws: (t) => t.includes('secretaccess') || t.includes('secret_access'),
  // A `.p12` file is decoded whatever it holds; a `.json` file is parsed for `private_key_id`,
  // which JSON can also spell with escapes.
  gcp: (t, ext) => ext === '.p12' || (ext === '.json' && (t.includes('private_key') || t.includes('\\'))),
  privatekey: (t) => t.includes('-----begin'),
  npm: (t) => t.includes('npm_') || t.includes('x-oauth-basic') || t.includes('_authtoken='),
  basicauth: (t) => t.includes('://') && t.includes('@'),
  slack: (t) => t.includes('xox') || t.includes('xapp') || t.includes('hooks.slack.com/services/'),
  sendgrid: (t) => t.includes('sg.'),
  shopify: (t) => t.includes('shppa_') || t.includes('shpca_') || t.includes('shpat_') || t.includes('shpss_'),
  github: (t) => t.includes('ghp_') || t.includes('gho_') || t.includes('ghu_') || t.includes('ghs_') || t.includes('ghr_') || t.includes('github_pat_'),
  gitlab: (t) => t.includes('glpat-'),
  grafana: (t) => t.includes('glc_') || t.includes('glsa_'),
  openai: (t) => t.includes('sk-'),
  anthropic: (t) => t.includes('sk-ant-api0'),
  groq: (t) => t.includes('gsk_'),
  huggingface: (t) => t.includes('hf_'),
  linear: (t) => t.includes('lin_api_'),
  notion: (t) => t.includes('ntn_'),
  '1password': (t) => t.includes('ops_'),
  // mongodb, mysql and postgres URIs are reported only with a `user:password@` part.
  'database-connection-string': (t) => t.includes('://') && t.includes('@') && (t.includes('mongodb') || t.includes('mysql') || t.includes('postgres')),
  'hashicorp-vault': (t) => t.includes('hvs.') || t.includes('hvb.') || t.includes('hvr.'),
  vercel: (t) => t.includes('vcp_') || t.includes('vci_') || t.includes('vca_') || t.includes('vcr_') || t.includes('vck_'),
  databricks: (t) => t.includes('dapi'),
  docker: (t) => t.includes('dckr_pat_'),
  figma: (t) => t.includes('figd_'),
  // Only silences other rules' reports.
  'filter-comments': () => false
}

/**
 * One case-insensitive pass that every file some rule above could report on matches: for each
 * rule, a term its check implies (`shp` for the four Shopify prefixes, `sk-` for OpenAI and
 * Anthropic, `://` for basic auth and connection strings, a backslash for escaped JSON keys).
 * Most files match none and skip the per-rule checks.
 */
const ANCHOR_TERMS = [
  'secret_?access', 'private_key', '\\\\', '-----begin', 'npm_', 'x-oauth-basic', '_authtoken=', ':\\/\\/', 'xox', 'xapp', 'hooks\\.slack\\.com',
  'sg\\.', 'shp', 'gh[pousr]_', 'github_pat_', 'glpat-', 'glc_', 'glsa_', 'sk-', 'gsk_', 'hf_', 'lin_api_', 'ntn_', 'ops_', 'hv[sbr]\\.',
  'vc[pciark]_', 'dapi', 'dckr_pat_', 'figd_'
]
const ANY_RULE_ANCHOR = new RegExp(ANCHOR_TERMS.join('|'), 'i')

/**
 * ANY_RULE_ANCHOR's terms but the backslash, to run case-sensitively on the lowercased text: a
 * superset of the case-insensitive test (which folds ASCII letters only, where lowercasing also
 * folds a few other letters to ASCII, the Kelvin sign to `k`). Where it matches, the exact test
 * confirms, so the outcome is the same; most files match neither, and one case-sensitive pass
 * over text lowercased anyway costs about half of the case-insensitive one. Built from the same
 * terms, so a term added for a rule is never missing here.
 */
const ANY_FOLDED_ANCHOR = new RegExp(ANCHOR_TERMS.filter((t) => t !== '\\\\').join('|'))

/** The preset's rules the prefilter knows, by short name. */
export const SECRETLINT_AUDITED_RULES: readonly string[] = Object.keys(RULE_ANCHORS)

/**
 * True when some rule of the preset could report on this file. Every check is on the content
 * lowercased: a superset of each rule's case-sensitive or ASCII case-insensitive literals.
 */
export function secretlintMayReport(content: string, ext: string): boolean {
  const folded = content.toLowerCase()
  const anchored = content.includes('\\') || (ANY_FOLDED_ANCHOR.test(folded) && ANY_RULE_ANCHOR.test(content))
  if (ext !== '.p12' && !anchored) return false
  for (const mayReport of Object.values(RULE_ANCHORS)) if (mayReport(folded, ext)) return true
  return false
}

/** True when the loaded preset has exactly the audited rules; otherwise secretlint runs on every file. */
function presetIsAudited(preset: { rules?: { meta?: { id?: string } }[] }): boolean {
  const ids = (preset.rules ?? []).map((r) => secretlintShortName(r.meta?.id ?? ''))
  const known = Object.keys(RULE_ANCHORS)
  return ids.length === known.length && ids.every((id) => known.includes(id))
}

let prefilterOn = false

type Ready = [typeof import('@secretlint/core'), SecretLintCoreConfig, void]

let readyPromise: Promise<Ready> | undefined
/** What `readyPromise` resolved to, once it has: from then on `secretlintSkips` can answer without waiting. */
let loaded: Ready | undefined

/**
 * secretlint's core, its config and the quiet profiler, loaded once. Kept as one promise: a
 * dynamic `import()` per file goes through the module loader every time (about 50 ms over
 * 3,000 files).
 */
function secretlintReady(): Promise<Ready> {
  readyPromise ??= Promise.all([import('@secretlint/core'), secretlintConfig(), quietProfiler()]).then((ready) => (loaded = ready))
  readyPromise.catch(() => {
    readyPromise = undefined
  })
  return readyPromise
}

const extensionOf = (path: string): string => /\.[^./]+$/.exec(path)?.[0] ?? ''

/**
 * Starts loading secretlint in the background (its modules are read from disk and compiled), so
 * the first file's scan does not wait for it. Safe to call any number of times; a failure is
 * reported by the first scan that needs secretlint.
 */
export function prepareSecretlint(): void {
  secretlintReady().catch(() => undefined)
}

/**
 * True when `runSecretlint` would certainly return no hit on this file without running the
 * preset: secretlint is loaded and its prefilter rules the file out. The caller may then skip
 * the call, and the promises it waits on (most files, after the first).
 */
export function secretlintSkips(path: string, content: string): boolean {
  return loaded !== undefined && prefilterOn && !secretlintMayReport(content, extensionOf(path))
}

export async function runSecretlint(path: string, content: string): Promise<SecretlintHit[]> {
  const [{ lintSource }, config] = await secretlintReady()
  const ext = extensionOf(path)
  if (prefilterOn && !secretlintMayReport(content, ext)) return []
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
