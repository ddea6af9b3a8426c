/**
 * The replies of the `/agent` command in the pull request conversation: the persona's answer,
 * the persona list, "did you mean", the refusal and the failure note. The reviewer's text, the
 * model's and the persona files' are escaped by render/escape.ts (no @mentions, no HTML, no
 * comment markers), and every reply is passed through the redactor.
 */
import type { AgentOutcome, Persona } from '../types.js'
import { checklistTable, renderPlan } from './plan.js'
import { cellCode, cellMessage, cellText, mdBlock, mdCode, mdText } from './escape.js'
import { redact, type Secrets } from '../redact.js'

const VERDICT_ICON = { pass: '✅', warn: '⚠️', fail: '❌', skipped: '⏭️' } as const
/** The quoted question is shortened beyond this; the model still receives all of it. */
const MAX_QUOTED_CHARS = 1500
const MAX_TRIGGERS_SHOWN = 6
const MAX_ERROR_CHARS = 400

/** The command as a Markdown quote: `> /agent sre` and the question's lines, escaped. */
export function quoteCommand(name: string, question?: string): string {
  const q = question ? question.trim() : ''
  const shown = q.length > MAX_QUOTED_CHARS ? `${q.slice(0, MAX_QUOTED_CHARS)} …` : q
  const text = shown ? `/agent ${name} ${shown}` : `/agent ${name}`
  return mdBlock(text)
    .split('\n')
    .map((l) => `> ${l}`.trimEnd())
    .join('\n')
}

function triggersOf(p: Persona): string {
  const files = p.triggers.files.slice(0, MAX_TRIGGERS_SHOWN)
  const keywords = p.triggers.keywords.slice(0, MAX_TRIGGERS_SHOWN)
  const more = (all: string[], shown: string[]) => (all.length > shown.length ? ` +${all.length - shown.length}` : '')
  const parts: string[] = []
  if (files.length) parts.push(`files: ${files.map((f) => `\`${f.replace(/`/g, '')}\``).join(', ')}${more(p.triggers.files, files)}`)
  if (keywords.length) parts.push(`keywords: ${keywords.join(', ')}${more(p.triggers.keywords, keywords)}`)
  return parts.join('; ') || 'only when named'
}

function firstSentence(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  const end = line.search(/[.!?](\s|$)/)
  return end > 0 && end < 200 ? line.slice(0, end + 1) : line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/** The persona table: name, aliases, one-line description, triggers. */
export function personaTable(personas: readonly Persona[]): string[] {
  if (personas.length === 0) return ['_No persona is available._']
  return [
    '| Persona | Aliases | What it reviews | Triggered by |',
    '|---|---|---|---|',
    ...personas.map(
      (p) =>
        `| ${cellCode(p.name)} | ${p.aliases.map((a) => cellCode(a)).join(', ') || '—'} | ${cellText(firstSentence(p.description))} | ${cellMessage(triggersOf(p))} |`
    )
  ]
}

const USAGE = 'Usage: `/agent <name-or-alias> [question]`, at the start of a line of a pull request comment, e.g. `/agent sre` or `/agent architect what happens if the primary database fails?`'

export function renderHelpReply(personas: readonly Persona[]): string {
  return ['### 🛫 Preflight personas', '', USAGE, '', ...personaTable(personas), ''].join('\n')
}

/** For a name that matches no persona: the closest one, when there is one, and the full list. */
export function renderUnknownReply(token: string, personas: readonly Persona[], suggestion?: { name: string; matched: string }): string {
  const out = [`### 🛫 Preflight: no persona called ${mdCode(token)}`, '']
  if (suggestion) {
    const via = suggestion.matched === suggestion.name ? '' : ` (${mdCode(suggestion.name)})`
    out.push(`Did you mean ${mdCode(suggestion.matched)}${via}? Run ${mdCode(`/agent ${suggestion.matched}`)}.`, '')
  }
  out.push(USAGE, '', ...personaTable(personas), '')
  return out.join('\n')
}

/** For someone who may not spend the model: short, polite, and without a mention. */
export function renderRefusalReply(repoFullName: string): string {
  return [
    '### 🛫 Preflight',
    '',
    `Thanks for asking! \`/agent\` runs a paid model review, so only people with write access to ${mdCode(repoFullName)} (and users listed in the workflow's \`allowed-users\`) can start it. A maintainer can run it for you.`,
    ''
  ].join('\n')
}

/** What failed, in one line: no stack trace, secrets masked. */
export function renderFailureReply(name: string | undefined, message: string, secrets: Secrets = []): string {
  const what = name ? mdCode(`/agent ${name}`) : '`/agent`'
  const line = (message.split('\n')[0] ?? '').trim()
  const short = line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS)}…` : line
  return redact(
    ['### 🛫 Preflight: the command failed', '', `${what} could not finish: ${short ? mdText(short) : 'unknown error'}.`, '', 'The workflow run\'s log has the details.', ''].join('\n'),
    secrets
  )
}

export interface AnswerReplyInput {
  name: string
  question?: string
  outcome: AgentOutcome
  verdict: keyof typeof VERDICT_ICON
  /** Why no model answered, when none did: no API key, or the model call failed. */
  modelUnused?: 'no-key' | 'failed' | 'budget'
  /** Reader notes from the pipeline (routing, budget, model fallbacks). */
  messages: string[]
  planPath?: string
  inline?: { posted: number; duplicate: number; failed: number }
  deliveryProblems: string[]
  secrets: Secrets
}

const UNUSED_NOTE = {
  'no-key': 'The model was not used (no `anthropic-api-key`): this answer is the persona\'s deterministic checklist and plan.',
  failed: 'The model review failed, so this answer is the persona\'s deterministic checklist and plan (see the notes).',
  budget: 'The model was not used (the cost limit was reached): this answer is the persona\'s deterministic checklist and plan.'
} as const

/** The persona's answer: the quoted command, the answer (when a model ran), the checklist and the plan. */
export function renderAnswerReply(r: AnswerReplyInput): string {
  const persona = r.outcome.agent.persona
  const out: string[] = [quoteCommand(r.name, r.question), '']
  out.push(`### 🛫 ${mdText(persona.displayName)} (${mdCode(persona.name)}) — ${VERDICT_ICON[r.verdict]} ${r.verdict}`, '')
  if (r.modelUnused) out.push(`> ${UNUSED_NOTE[r.modelUnused]}`, '')
  if (r.outcome.answer) out.push('**Answer**', '', mdBlock(r.outcome.answer), '')
  else if (r.question && r.modelUnused) out.push('_The question needs the model to be answered; the checklist below is what the rules can tell._', '')
  if (r.outcome.modelSummary) out.push(mdBlock(r.outcome.modelSummary), '')
  out.push('**Checklist**', '', ...checklistTable(r.outcome.checklist), '')
  out.push('<details><summary>Plan</summary>', '', renderPlan(r.outcome.plan, r.outcome.checklist), '</details>', '')
  const notes = r.messages.map((m) => mdText(m))
  if (notes.length) out.push('**Notes**', '', ...notes.map((m) => `- ${m}`), '')
  const footer: string[] = []
  if (r.inline) {
    const parts = [`${r.inline.posted} new inline comment${r.inline.posted === 1 ? '' : 's'}`]
    if (r.inline.duplicate) parts.push(`${r.inline.duplicate} already posted`)
    if (r.inline.failed) parts.push(`${r.inline.failed} not anchorable (listed in the summary)`)
    footer.push(`${parts.join(', ')}; the summary comment is updated.`)
  }
  if (r.planPath) footer.push(`Plan written to ${mdCode(r.planPath)}.`)
  if (r.outcome.model) footer.push(`Model: ${mdCode(r.outcome.model)}.`)
  // `<sub>` inside a paragraph is inline HTML: its content is still Markdown, escaped as such.
  if (footer.length) out.push(`<sub>${footer.join(' ')}</sub>`, '')
  if (r.deliveryProblems.length) out.push('**Delivery problems**', '', ...r.deliveryProblems.map((p) => `- ${mdText(p.split('\n')[0])}`), '')
  return redact(out.join('\n'), r.secrets)
}
