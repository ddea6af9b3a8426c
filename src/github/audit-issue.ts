/**
 * The audit issue: one issue found by its label and a hidden marker, created once, then edited
 * in place; closed when the audit is clean and the input asks for it. The body keeps the last
 * audit's finding fingerprints as hidden JSON so the next run can say what is new and what was
 * fixed. All the GitHub calls of the audit live here.
 */
import type { Finding } from '../types.js'
import type { GitHubClient, Logger } from './client.js'
import { NO_AUTO_RETRY, createOnce } from './write-once.js'
import { auditFingerprint } from '../cost/audit.js'
import type { AuditChanges } from '../render/audit-report.js'

export const AUDIT_MARKER = '<!-- preflight:audit -->'
const STATE_RE = /<!-- preflight:audit-state (\{[^<>]*\}) -->/

/** GitHub refuses issue bodies above 65,536 characters. */
export const MAX_BODY_CHARS = 65536
/** The hidden state never takes more than this; beyond it only fingerprints are kept, then fewer. */
const MAX_STATE_CHARS = 24000

/** What one audit remembers for the next: when it ran and `[fingerprint, ruleId, path]` per finding. */
export interface AuditState {
  v: 1
  at: string
  items: [string, string, string][]
  /** Set when the list had to be cut to fit. */
  truncated?: boolean
}

export interface AuditIssue {
  number: number
  state: string
  body: string
  title: string
}

export function stateOf(findings: Finding[], at: string): AuditState {
  const seen = new Set<string>()
  const items: [string, string, string][] = []
  for (const f of findings) {
    const fp = auditFingerprint(f)
    if (seen.has(fp)) continue
    seen.add(fp)
    items.push([fp, f.ruleId, f.path])
  }
  return { v: 1, at, items }
}

/** `<!-- preflight:audit-state {...} -->`, with `<` and `>` escaped so `-->` cannot occur inside. */
export function auditStateMarker(state: AuditState): string {
  const encode = (s: AuditState): string => JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e')
  let json = encode(state)
  if (json.length > MAX_STATE_CHARS) {
    // Paths take the room: keep as many whole items as fit.
    const per = Math.ceil(json.length / Math.max(1, state.items.length))
    const keep = Math.max(0, Math.floor(MAX_STATE_CHARS / per) - 1)
    json = encode({ ...state, items: state.items.slice(0, keep), truncated: true })
  }
  return `<!-- preflight:audit-state ${json} -->`
}

export function parseAuditState(body: string | null | undefined): AuditState | undefined {
  const match = STATE_RE.exec(body ?? '')
  if (!match) return undefined
  try {
    const v = JSON.parse(match[1]!) as Partial<AuditState>
    if (v?.v !== 1 || !Array.isArray(v.items)) return undefined
    const items = v.items.filter((i): i is [string, string, string] => Array.isArray(i) && i.length === 3 && i.every((x) => typeof x === 'string'))
    return { v: 1, at: typeof v.at === 'string' ? v.at : '', items, ...(v.truncated ? { truncated: true } : {}) }
  } catch {
    return undefined
  }
}

/** What is new since the previous audit and what it had that is gone. No previous state: nothing to compare. */
export function compareAudits(findings: Finding[], previous: AuditState | undefined): AuditChanges | undefined {
  if (!previous) return undefined
  const before = new Set(previous.items.map((i) => i[0]))
  const now = new Map<string, Finding>()
  for (const f of findings) {
    const fp = auditFingerprint(f)
    if (!now.has(fp)) now.set(fp, f)
  }
  const added = [...now].filter(([fp]) => !before.has(fp)).map(([, f]) => f)
  // A cut-down previous list cannot tell "fixed" from "not remembered", so it claims nothing fixed.
  const fixed = previous.truncated ? [] : previous.items.filter(([fp]) => !now.has(fp)).map(([, ruleId, path]) => ({ ruleId, path, message: 'no longer found' }))
  return { added, fixed, previousAt: previous.at || undefined }
}

/** The issue body: marker, report (cut to fit), hidden state. */
export function renderIssueBody(report: string, state: AuditState): string {
  const marker = auditStateMarker(state)
  const room = MAX_BODY_CHARS - AUDIT_MARKER.length - marker.length - 200
  const text = report.length > room ? `${report.slice(0, room).replace(/\n[^\n]*$/, '')}\n\n_The report was cut to fit an issue; run \`preflight audit\` for all of it._\n` : report
  return `${AUDIT_MARKER}\n${text}\n${marker}\n`
}

/**
 * The audit issue: labelled, opened by the bot and starting with the marker (anyone can open an
 * issue with the label's name in its text and the marker in its body, and its hidden state
 * would steer the comparison); an open one first, then the oldest.
 */
export async function findAuditIssue(
  client: GitHubClient,
  where: { owner: string; repo: string; label: string; botLogin: string }
): Promise<AuditIssue | undefined> {
  const issues = await client.paginate(client.rest.issues.listForRepo, { owner: where.owner, repo: where.repo, labels: where.label, state: 'all', per_page: 100 })
  const bot = where.botLogin.toLowerCase()
  const ours = issues
    .filter((i) => !i.pull_request && (i.user?.login ?? '').toLowerCase() === bot && (i.body ?? '').startsWith(AUDIT_MARKER))
    .map((i) => ({ number: i.number, state: i.state, body: i.body ?? '', title: i.title }))
    .sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open') || a.number - b.number)
  return ours[0]
}

export type IssueAction = 'created' | 'updated' | 'reopened' | 'closed' | 'none'

export interface DeliverAuditOptions {
  owner: string
  repo: string
  label: string
  title: string
  body: string
  /** Nothing to report. */
  clean: boolean
  closeWhenClean: boolean
  /** The issue found before rendering (so the lookup is not repeated). */
  existing: AuditIssue | undefined
  /** The bot's login: after a 5xx on creating the issue, its issue is looked for before trying again. */
  botLogin?: string
  /** Unit of the wait between create attempts. Default 1000 ms. */
  retryBaseMs?: number
  log: Logger
}

export async function deliverAuditIssue(client: GitHubClient, o: DeliverAuditOptions): Promise<{ action: IssueAction; number?: number }> {
  const { owner, repo } = o
  if (o.clean && o.closeWhenClean) {
    if (!o.existing || o.existing.state === 'closed') {
      o.log.info('Preflight audit: nothing to report and no open audit issue; nothing to do.')
      return { action: 'none', number: o.existing?.number }
    }
    await client.rest.issues.update({ owner, repo, issue_number: o.existing.number, body: o.body, state: 'closed', state_reason: 'completed' })
    return { action: 'closed', number: o.existing.number }
  }
  if (o.existing) {
    const reopen = o.existing.state === 'closed' && !o.clean
    await client.rest.issues.update({ owner, repo, issue_number: o.existing.number, title: o.title, body: o.body, ...(reopen ? { state: 'open' as const } : {}) })
    return { action: reopen ? 'reopened' : 'updated', number: o.existing.number }
  }
  const create = async () => (await client.rest.issues.create({ owner, repo, title: o.title, body: o.body, labels: [o.label], request: NO_AUTO_RETRY })).data.number
  const botLogin = o.botLogin
  // Without the bot's login the effect cannot be told apart from someone else's issue: one attempt.
  const number = botLogin
    ? await createOnce(create, async () => (await findAuditIssue(client, { owner, repo, label: o.label, botLogin }))?.number, {
        attempts: 3,
        baseMs: o.retryBaseMs ?? 1000,
        what: 'creating the audit issue',
        log: o.log,
        onApplied: () => undefined
      })
    : await create()
  return { action: 'created', number }
}
