/**
 * What a persona file leaves unsaid, recovered from its prose: checklist items from a checklist /
 * self-verification / definition-of-done section of the body, trigger keywords from a
 * "Keywords:" line or the description, file kinds from the words used, and each checklist item's
 * categories from its wording. All pure text heuristics; nothing here can fail.
 */
import type { Category, ChecklistItem } from '../types.js'
import { inferTopics } from '../checklist/topics.js'
import { escapeRegExp } from '../util/regex.js'

/** Lower-case, runs of anything but `[a-z0-9]` become one dash, trimmed of dashes. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|(?<!-)-+$/g, '')
}

// ── Categories ────────────────────────────────────────────────────────────────────────────────

/** One pattern per category, tried on the item's wording. Order follows CATEGORIES. */
const CATEGORY_PATTERNS: [Category, RegExp][] = [
  ['secrets', /\b(secrets?|credentials?|vault|passwords?|api[- ]keys?|tokens?)\b/i],
  ['rollback', /\b(roll[- ]?backs?|roll(ed|ing)? back|revert(s|ed|ing)?|blue[- ]green|canary|(deploy\w*|rollouts?) fail\w*|failed (deploy\w*|rollouts?))\b/i],
  ['immutability', /\b(immutable|immutability|pinned|pin(s|ning)?|digests?)\b/i],
  ['slo', /(\b(slos?|slas?|latency|p9[059]|p50|uptime|error budgets?|availability|available|failover|failure modes?|redundan\w*|single points? of failure|spof|\d+x traffic|traffic spikes?|autoscal\w*|performance|response times?)\b|\b99\.\d+%)/i],
  ['observability', /\b(metrics?|logs?|logging|logged|alerts?|alerting|alarms?|traces?|tracing|dashboards?|monitor(s|ed|ing)?|observability)\b/i],
  ['cost', /(\$|\b(costs?|cost-\w+|budgets?|spend(ing)?|pricing|price|right-?siz\w*|spot|reserved instances?)\b)/i],
  ['backup', /\b(backups?|back up|restores?|restoring|snapshots?|pitr|point-in-time|disaster recovery)\b/i],
  ['security', /\b(security|secure|iam|least[- ]privilege|tls|ssl|encrypt\w*|firewalls?|waf|rbac|zero[- ]trust)\b/i]
]

/** Categories an item is about, inferred from its words ("error budget" is SLO, not cost). */
export function inferCategories(text: string): Category[] {
  const found: Category[] = []
  const withoutErrorBudget = text.replace(/error budgets?/gi, 'slo')
  for (const [category, pattern] of CATEGORY_PATTERNS) {
    const subject = category === 'cost' ? withoutErrorBudget : text
    if (pattern.test(subject)) found.push(category)
  }
  return found
}

// ── Checklist items from the body ─────────────────────────────────────────────────────────────

const CHECKLIST_TITLE = /check-?list|self[- ]?verification|definition of done|verification|before (you )?(approve|merge|deliver)/i
const ATX_HEADING = /^(#{1,6})[ \t]+(?![ \t])((?:.*[^ \t#\n])?)[ \t#]*$/
const BOLD_HEADING = /^[ \t]*(?:\*\*|__)(.+?)(?:\*\*|__)[ \t]*(?::[ \t]*)?$/
const FENCE = /^[ \t]*(```|~~~)/
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(.+)/
const MARK_ITEM = /^[ \t]*[✓✔☐□☑✅][ \t]*(.+)/u
const BOLD_LEVEL = 7
const MAX_RECOVERED_ITEMS = 30

function headingOf(line: string): { level: number; title: string } | undefined {
  const atx = ATX_HEADING.exec(line)
  if (atx) return { level: atx[1].length, title: atx[2] }
  const bold = BOLD_HEADING.exec(line)
  if (bold) return { level: BOLD_LEVEL, title: bold[1] }
  return undefined
}

function cleanItemText(text: string): string {
  return text
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|\s)[*_](\S)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * List items under the first checklist-like heading that has any. Headings inside code fences
 * do not count; items inside a fence under a real heading do (some files keep `□ item` lists in
 * a fence). A section ends at the next heading of the same or a higher level.
 */
export function checklistFromBody(body: string): string[] {
  const lines = body.split(/\r\n|\r|\n/)
  let inFence = false
  let section: { level: number } | undefined
  let items: string[] = []
  for (const line of lines) {
    if (FENCE.test(line)) {
      inFence = !inFence
      continue
    }
    const heading = inFence ? undefined : headingOf(line)
    if (heading) {
      if (section && heading.level <= section.level) {
        if (items.length > 0) return items.slice(0, MAX_RECOVERED_ITEMS)
        section = undefined
      }
      if (!section && CHECKLIST_TITLE.test(heading.title)) section = { level: heading.level }
      continue
    }
    if (!section) continue
    const item = LIST_ITEM.exec(line) ?? MARK_ITEM.exec(line)
    if (item) {
      const text = cleanItemText(item[1])
      if (text.length > 0) items.push(text)
    }
  }
  if (items.length > MAX_RECOVERED_ITEMS) items = items.slice(0, MAX_RECOVERED_ITEMS)
  return items
}

/** A short id from the first words of a question, unique within `taken` (which it extends). */
export function itemId(question: string, taken: Set<string>): string {
  const words = slugify(question).split('-').filter((w) => w.length > 0)
  const stop = new Set(['is', 'are', 'the', 'a', 'an', 'does', 'do', 'will', 'have', 'has', 'i', 'this', 'there', 'of', 'to', 'and', 'if', 'can', 'what', 'how', 'we', 'it'])
  const meaningful = words.filter((w) => !stop.has(w))
  const base = (meaningful.length > 0 ? meaningful : words).slice(0, 4).join('-').slice(0, 40).replace(/(?<!-)-+$/, '') || 'item'
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  taken.add(id)
  return id
}

export function itemsFromQuestions(questions: string[]): ChecklistItem[] {
  const taken = new Set<string>()
  return questions.map((question) => ({ id: itemId(question, taken), question, categories: inferCategories(question), topics: inferTopics(question) }))
}

/** Used when a persona states no checklist at all: one general question per category. */
export const DEFAULT_CHECKLIST: readonly ChecklistItem[] = [
  { id: 'secrets-out-of-code', question: 'Are secrets kept out of code, images and state, and read from a secret store?', topics: ['secret-storage', 'secret-exposure'], categories: ['secrets'] },
  { id: 'rollback-path', question: 'Can the change be rolled back quickly if it misbehaves?', topics: ['rollback-path', 'rollout-strategy'], categories: ['rollback'] },
  { id: 'pinned-artifacts', question: 'Are images, actions and modules pinned to immutable versions?', topics: ['immutable-artifacts', 'supply-chain'], categories: ['immutability'] },
  { id: 'slo-impact', question: 'Do availability and latency stay within their SLOs?', topics: ['availability-target', 'latency-target', 'redundancy', 'health-checks'], categories: ['slo'] },
  { id: 'observable', question: 'Will metrics, logs and alerts show whether the change works?', topics: ['monitoring', 'logging', 'alerting'], categories: ['observability'] },
  { id: 'cost-impact', question: 'Is the cost impact known and reasonable?', topics: ['cost-sizing', 'cost-waste'], categories: ['cost'] },
  { id: 'backups', question: 'Are stateful resources backed up, with a tested way to restore them?', topics: ['backups', 'deletion-protection'], categories: ['backup'] },
  { id: 'least-privilege', question: 'Do permissions and network exposure follow least privilege?', topics: ['least-privilege', 'network-exposure'], categories: ['security'] }
]

// ── Trigger keywords and file kinds ───────────────────────────────────────────────────────────

/** `**Keywords**: "deploy", "pipeline", …` anywhere in the body. */
export function keywordsFromBody(body: string): string[] {
  const line = /^[ \t>*_-]*(?:\*\*|__)?(?:trigger )?keywords(?:\*\*|__)?[ \t]*(?:\*\*|__)?:(?:\*\*|__)?[ \t]*(.+)$/im.exec(body)
  if (!line) return []
  return uniqueWords(
    line[1]
      .split(/[,;]/)
      .map((w) => w.replace(/["'`*_]/g, '').trim())
      .filter((w) => w.length > 0 && w.length <= 60)
  )
}

/** Infrastructure words worth routing on, looked for in a description. */
const DESCRIPTION_VOCABULARY = [
  'deploy',
  'deployment',
  'pipeline',
  'ci/cd',
  'infrastructure',
  'terraform',
  'cloudformation',
  'kubernetes',
  'helm',
  'docker',
  'container',
  'monitoring',
  'alerting',
  'observability',
  'scaling',
  'autoscaling',
  'cost',
  'budget',
  'slo',
  'latency',
  'uptime',
  'rollback',
  'secrets',
  'backup',
  'disaster recovery',
  'security',
  'performance',
  'incident',
  'cloud'
]

export function keywordsFromText(text: string): string[] {
  return DESCRIPTION_VOCABULARY.filter((word) => keywordPattern(word).test(text))
}

/** Words that say which file kinds a persona cares about. */
const KIND_HINTS: [RegExp, string[]][] = [
  [/\b(terraform|opentofu|infrastructure as code|iac)\b/i, ['terraform']],
  [/\bcloudformation\b/i, ['cloudformation']],
  [/\b(kubernetes|k8s|kubectl)\b/i, ['kubernetes', 'helm']],
  [/\bhelm\b/i, ['helm']],
  [/\b(docker|dockerfiles?|containers?|containeri[sz]ation)\b/i, ['dockerfile', 'compose']],
  [/\b(docker-compose|compose)\b/i, ['compose']],
  [/(\bci\/cd\b|\bpipelines?\b|\bgithub actions\b|\bworkflows?\b)/i, ['workflow']]
]

export function fileKindsFromText(text: string): string[] {
  const kinds = new Set<string>()
  for (const [pattern, hinted] of KIND_HINTS) if (pattern.test(text)) for (const k of hinted) kinds.add(k)
  return [...kinds]
}

/**
 * A keyword as a case-insensitive whole-word pattern that tolerates a few common endings
 * (`deploy` matches "deployment", `cost` matches "costs"). Spaces match any whitespace.
 */
export function keywordPattern(keyword: string): RegExp {
  const escaped = keyword
    .trim()
    .split(/\s+/)
    .map(escapeRegExp)
    .join('\\s+')
  return new RegExp(`(?<![A-Za-z0-9_])${escaped}(?:s|es|d|ed|ing|ment|ments)?(?![A-Za-z0-9_])`, 'i')
}

export function uniqueWords(words: string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const word of words) {
    const key = word.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    out.push(word)
  }
  return out
}
