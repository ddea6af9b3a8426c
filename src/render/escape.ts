/**
 * The one place where untrusted text becomes Markdown or HTML. Everything that comes from a pull
 * request (paths, resource/job/step/container names, finding messages that embed them), from
 * imported SARIF, from persona files or from the model goes through one of these escapers,
 * chosen by the context it lands in. Each escaper is safe for ANY input on its own: it escapes
 * (never deletes patterns), so nothing can be reassembled from what is left, and it neutralises
 * @mentions, team mentions and issue references so hostile text cannot notify anyone.
 */

/** Zero-width joiner: breaks GitHub's mention/reference autolinking while the text reads the same. */
const ZWJ = '\u200d'

/** Control characters other than tab and newline render as nothing or break layouts. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g
/** Every kind of line break, including the Unicode separators some renderers honour. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g

/** One-line contexts: every line break becomes a space, control characters a replacement mark. */
function oneLine(s: string): string {
  return s.replace(LINE_BREAK, ' ').replace(CONTROL, '\ufffd')
}

/**
 * `@user`, `@org/team`, `#123`, `GH-123`, bare URLs: a zero-width joiner after the trigger
 * character means GitHub no longer links (or notifies) them. Applied to the raw text, before escaping, so it
 * never touches an entity the escaper writes (`&#96;`).
 */
function neutraliseReferences(s: string): string {
  return s
    // Every `@`: mentions, and e-mail addresses that would become links.
    .replace(/@/g, `@${ZWJ}`)
    // Bare URLs would become links (and an autolink swallows the escapes after it).
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/\b(www)\./gi, `$1${ZWJ}.`)
    .replace(/#(?=[0-9])/g, `#${ZWJ}`)
    .replace(/\b(GH)-(?=[0-9])/gi, `$1${ZWJ}-`)
}

/**
 * Markdown prose, one line: HTML specials as entities (so no tag or comment can open), Markdown
 * specials backslash-escaped, backticks as an entity (so no code span can open or swallow what
 * follows), and the line-start constructs (heading, list, quote) disarmed. Also safe in a GFM
 * table cell, since `|` and `\` are escaped.
 */
export function mdText(input: string): string {
  return escapeProse(input, true)
}

/**
 * The prose escaper. At the start of a line, leading whitespace (an indented code block) and
 * block markers (`#`, `-`, `1.`) are disarmed too; in the middle of a line they are harmless.
 */
function escapeProse(input: string, atLineStart: boolean): string {
  const s = neutraliseReferences(oneLine(input))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\*_[\]|~$]/g, (c) => `\\${c}`)
    .replace(/`/g, '&#96;')
  return atLineStart ? disarmLineStart(s.replace(/^\s+/, '')) : s
}

/** Markdown prose over several lines (model summaries, answers): each line escaped as `mdText`. */
export function mdBlock(input: string): string {
  return input
    .replace(/\r\n|\r|\u2028|\u2029/g, '\n')
    .split('\n')
    .map((line) => mdText(line.trimEnd()))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** A line that starts with `#`, `-`, `+`, `=` or `1.` would become a heading, list or rule. */
function disarmLineStart(s: string): string {
  return s.replace(/^(\s*)([#+=-])/, '$1\\$2').replace(/^(\s*\d{1,9})([.)])/, '$1\\$2')
}

/** The longest run of `ch` in `s`. */
function longestRun(s: string, ch: string): number {
  let best = 0
  let run = 0
  for (const c of s) {
    run = c === ch ? run + 1 : 0
    if (run > best) best = run
  }
  return best
}

/**
 * An inline code span. Entities are not decoded inside code, so the text stays exactly readable
 * (a path with `<` shows `<`); safety comes from the fence being longer than any backtick run
 * inside, so nothing in the content can close it. Mentions and HTML are inert in code.
 */
export function mdCode(input: string): string {
  const s = oneLine(input)
  if (s.length === 0) return '` `'
  const fence = '`'.repeat(longestRun(s, '`') + 1)
  // CommonMark strips one space on each side when both are present: pad so a leading or trailing
  // backtick cannot merge with the fence, and so content with its own outer spaces survives.
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '') ? ' ' : ''
  return `${fence}${pad}${s}${pad}${fence}`
}

/**
 * A code span inside a GFM table cell: the table is split on `|` before inline parsing, so `|`
 * needs escaping even in code. A backslash right before a `|` cannot be written exactly inside
 * code in a table, so such text falls back to escaped prose (still exact when rendered).
 */
export function cellCode(input: string): string {
  const s = oneLine(input)
  if (/\\\|/.test(s)) return mdText(s)
  return mdCode(s).replace(/\|/g, '\\|')
}

/** Prose in a GFM table cell (the prose escaper already escapes `|` and `\`). */
export function cellText(input: string): string {
  return mdText(input)
}

/**
 * A finding message: rules put names in backticks, but the whole message is untrusted, so it is
 * split on backticks and each part escaped on its own. Whatever the split (an attacker chooses
 * where backticks fall), every part is escaped for where it lands: text parts by the prose
 * escaper, code parts by the code escaper. An unmatched backtick stays text.
 */
export function mdMessage(input: string, inCell = false): string {
  const parts = oneLine(input).split('`')
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1
  let out = ''
  for (let i = 0; i < parts.length; i++) {
    const isCode = i % 2 === 1 && i < closed
    if (isCode) out += parts[i] === '' ? mdText('``') : inCell ? cellCode(parts[i]) : mdCode(parts[i])
    else if (i >= closed) out += escapeProse('`' + parts[i], i === 0)
    else out += parts[i] === '' ? '' : escapeProse(parts[i], i === 0)
  }
  return out
}

/** A finding message in a table cell. */
export function cellMessage(input: string): string {
  return mdMessage(input, true)
}

/**
 * Raw HTML text or attribute value (`<summary>…</summary>`, `<sub>`): entities for every HTML
 * special, one line, references neutralised (GitHub links mentions in HTML text too).
 */
export function htmlText(input: string): string {
  return neutraliseReferences(oneLine(input))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * A committable suggestion block. The content must be committed exactly as intended, so it is
 * never escaped: only the fence changes, longer than any backtick or tilde run in the content,
 * so no line of the content can close it.
 */
export function suggestionBlock(content: string): string {
  return fencedBlock(content.replace(/\n$/, ''), 'suggestion')
}

/** A fenced code block around exact text (suggestions, raw snippets). */
export function fencedBlock(content: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1, longestRun(content, '~') + 1))
  return content === '' ? `${fence}${info}\n${fence}` : `${fence}${info}\n${content}\n${fence}`
}

/**
 * A link to a line of a file at a commit: the label is the path as a code span, the path is
 * percent-encoded segment by segment so nothing in it can end the link destination early.
 */
export function fileLink(blobUrl: string, path: string, line?: number, label?: string, inCell = false): string {
  const encoded = path
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/')
  const shown = label ?? (line !== undefined ? `${path}:${line}` : path)
  return `[${(inCell ? cellCode : mdCode)(shown)}](${blobUrl}/${encoded}${line !== undefined ? `#L${line}` : ''})`
}

/** Shortens untrusted text to `max` characters (before escaping), marking the cut. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, Math.max(0, max - 1))}…` : s
}
