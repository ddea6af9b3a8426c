/**
 * Outputs of regex-match actions that can only hold word characters: `group1` of
 * `actions-ecosystem/action-regex-match` with `regex: '/kind (\w+)'` is a capture of `\w+`, so
 * whatever text the action was given, the output cannot close a quote, start a substitution or
 * end a command. Such an output carries no injection, though the text it was cut from does.
 */
import { scalarString } from '../parse/yaml.js'
import { actionRepo } from './context.js'
import type { StepModel } from './model.js'

/** Actions whose `match` output is the whole match and `groupN` capture group N of their `regex:` input. */
const REGEX_MATCH_ACTIONS = new Set(['actions-ecosystem/action-regex-match', 'kaisugi/action-regex-match'])

/** Characters that mean nothing to a shell, quoted or not (outside a class an unescaped `.` is any character). */
const WORD_CHAR = /[A-Za-z0-9_.\-/]/
const LITERAL_WORD_CHAR = /[A-Za-z0-9_\-/]/
/** Escapes of one word character, or zero-width ones (word boundaries). */
const WORD_ESCAPE = /[wdbB._\-/]/

/** Whether output `output` of `step` is a regex-match action's capture that only word characters can fill. */
export function regexOutputIsWord(step: StepModel, output: string): boolean {
  const repo = actionRepo(step.uses)
  if (!repo || !REGEX_MATCH_ACTIONS.has(repo)) return false
  const regex = scalarString(step.with?.get('regex', true))
  const flags = scalarString(step.with?.get('flags', true)) ?? ''
  // A pattern or flags from an expression may be anything.
  if (regex === undefined || regex.includes('${{') || flags.includes('${{')) return false
  const group = /^group(\d+)$/.exec(output)
  if (!group) return false
  const source = captureSource(regex, Number(group[1]))
  return source !== undefined && onlyWordCharacters(source)
}

/** The indexes of the parentheses of `regex` from `from` on that open or close a group: not escaped, not in a class. */
function* groupParens(regex: string, from = 0): Generator<number> {
  let inClass = false
  for (let i = from; i < regex.length; i++) {
    const c = regex[i]
    if (c === '\\') i++
    else if (inClass) inClass = c !== ']'
    else if (c === '[') inClass = true
    else if (c === '(' || c === ')') yield i
  }
}

/** The text of capture group `n` (1-based) of `regex`, without its parentheses, or undefined when there is none. */
function captureSource(regex: string, n: number): string | undefined {
  let count = 0
  for (const i of groupParens(regex)) {
    if (regex[i] !== '(') continue
    const rest = regex.slice(i + 1, i + 4)
    // `(?:`, lookarounds `(?=`, `(?!`, `(?<=`, `(?<!` capture nothing; `(?<name>` does.
    const capturing = !rest.startsWith('?') || (rest.startsWith('?<') && rest[2] !== '=' && rest[2] !== '!')
    if (capturing && ++count === n) {
      const end = closingParen(regex, i)
      if (end === undefined) return undefined
      const body = regex.slice(i + 1, end)
      return body.startsWith('?<') ? body.slice(body.indexOf('>') + 1) : body
    }
  }
  return undefined
}

/** The index of the `)` closing the group opened at `open`. */
function closingParen(regex: string, open: number): number | undefined {
  let depth = 0
  for (const i of groupParens(regex, open)) {
    depth += regex[i] === '(' ? 1 : -1
    if (depth === 0) return i
  }
  return undefined
}

/**
 * Whether a pattern can only match word characters: literal word characters, `\w`, `\d`, classes
 * of those (not negated), groups, alternation, anchors and quantifiers. `.`, `\s`, `\W`, `\S`,
 * `\D`, a negated class or any other character may match what a shell reads.
 */
function onlyWordCharacters(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    if (c === '\\') {
      if (!WORD_ESCAPE.test(source[++i] ?? '')) return false
    } else if (c === '[') {
      if (source[i + 1] === '^') return false
      const end = source.indexOf(']', i + 1)
      if (end < 0 || !classOfWords(source.slice(i + 1, end))) return false
      i = end
    } else if (c === '(') {
      // Groups count by their contents; a lookaround's text is not part of the match but is skipped alike.
      if (source[i + 1] === '?') {
        const rest = source.slice(i + 2)
        const marker = /^(?::|=|!|<=|<!|<[A-Za-z]\w*>)/.exec(rest)
        if (!marker) return false
        i += 1 + marker[0].length
      }
    } else if (c === '{') {
      const end = source.indexOf('}', i)
      if (end < 0 || !/^\{\d*(?:,\d*)?\}$/.test(source.slice(i, end + 1))) return false
      i = end
    } else if (!/[)|+*?^$]/.test(c) && !LITERAL_WORD_CHAR.test(c)) return false
  }
  return true
}

/** A character class body (`A-Za-z0-9_`, `\w.-`) holding word characters only. */
function classOfWords(body: string): boolean {
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (c === '\\') {
      if (!/[wd._\-/]/.test(body[++i] ?? '')) return false
      // An escaped character may open a range too (`[\--z]` runs through `;`, `<` and the backtick): refused.
      if (body[i + 1] === '-' && i + 2 < body.length) return false
    } else if (!WORD_CHAR.test(c)) return false
    else if (body[i + 1] === '-' && i + 2 < body.length) {
      // A range stays within one run of letters or digits: `0-z` would take in `;`, `\` and the backtick.
      const to = body[i + 2]!
      if (!sameRun(c, to)) return false
      i += 2
    }
  }
  return body.length > 0
}

function sameRun(from: string, to: string): boolean {
  return [/[0-9]/, /[a-z]/, /[A-Z]/].some((run) => run.test(from) && run.test(to)) && from <= to
}
