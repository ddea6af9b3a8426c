/**
 * What a `run` script writes to the runner's environment files (`$GITHUB_ENV`, `$GITHUB_PATH`):
 * the shell variables each write expands, and whether that variable's newlines are gone by then.
 *
 * One pass over the script, shell-aware enough for the shapes workflows use: quoted text,
 * `$(…)`, `${…}` and heredoc bodies are not structure; `{ … } >> "$GITHUB_ENV"`, `done >> …`,
 * `( … ) >> …` and `fi >> …` redirect only their own block (matched with nesting); a heredoc
 * written to the file writes its body. Each block keeps its own deduplicated names, merged into
 * the enclosing block when it closes, so the work grows with the script, not with its square.
 */

export type EnvFile = 'ENV' | 'PATH'

/** One variable expanded into an environment file, at the statement that writes it. */
export interface EnvFileWrite {
  name: string
  file: EnvFile
  /** Offset (in the script) of the statement that writes the file. */
  offset: number
  /** Newlines cannot reach the file: removed, encoded, or the write uses a delimiter nobody can guess. */
  clean: boolean
}

/** A redirect or `tee` into an environment file; group 1 names it. */
const WRITES_ENV_FILE = /(?:>>?[ \t]*|\btee[ \t]+(?:-a[ \t]+|--append[ \t]+)?)"?\$\{?GITHUB_(ENV|PATH)\b/
const SHELL_VAR = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g
/**
 * A pipeline stage or expansion after which the text holds no newline: `${v//$'\n'/…}`, `tr -d '\n'`,
 * `tr '\n' …`, `base64 -w0`, `head -1` (the first line only), `jq -Rs` (a JSON string, newlines escaped).
 */
const NEWLINE_FREE = /\/\/\$'\\n'|\btr\s+-d\s+["']?(?:\\r)?\\n|\btr\s+["']\\n|\bbase64\s+(?:-w\s*0|--wrap[= ]0)\b|\bhead\s+-(?:n\s*)?1\b|\bjq\s+-[a-zA-Z]+/g
/** A heredoc-style entry (`NAME<<$DELIM`) whose delimiter is a variable: the value cannot end it early. */
const VARIABLE_DELIMITER = /(?:^|[^<])<<-?\s*["']?\$\{?([A-Za-z_]\w*)/
/** A heredoc operator (not the `<<<` here-string) and its delimiter word, in blanked text. */
const HEREDOC = /(?:^|[^<])<<(-?)[ \t]*([^\s<>;&|()]+)/g
const HAS_HEREDOC = /(?:^|[^<])<<(?!<)/
const ASSIGNMENT = /^\s*(?:(?:export|local|declare|readonly)\s+(?:-\w+\s+)*)?([A-Za-z_]\w*)=/
const SEPARATOR = /\n|;;?|&&|\|\||&(?![>&])/g

const OPENERS = new Map([['{', '}'], ['do', 'done'], ['if', 'fi'], ['case', 'esac']])
const CLOSERS = new Set(['}', 'done', 'fi', 'esac'])
/** Words after which the next word is still in command position. */
const PREFIX_WORDS = new Set(['then', 'else', 'elif', 'while', 'until', '!', 'time'])

/**
 * Index just after the quoted text or substitution starting at `i` (`'…'`, `"…"`, `` `…` ``,
 * `$(…)`, `${…}`), with what nests inside it; the end of the text if it never closes. A stack,
 * not recursion, so no nesting depth overflows.
 */
function constructEnd(src: string, i: number): number {
  /** What closes each construct still open, innermost last. */
  const closers: string[] = []
  /** Opens the construct at `k` and returns the index after its opener (after the whole of a `'…'` or `` `…` ``). */
  const open = (k: number): number => {
    const c = src[k]
    if (c === "'" || c === '`') {
      const end = src.indexOf(c, k + 1)
      return end < 0 ? src.length : end + 1
    }
    if (c === '"') {
      closers.push('"')
      return k + 1
    }
    closers.push(src[k + 1] === '(' ? ')' : '}')
    return k + 2
  }
  const substitution = (k: number): boolean => src[k] === '$' && (src[k + 1] === '(' || src[k + 1] === '{')
  let j = open(i)
  while (closers.length && j < src.length) {
    const top = closers[closers.length - 1]
    const c = src[j]
    if (c === '\\') j += 2
    else if (c === top) {
      closers.pop()
      j++
    } else if (c === '`' || substitution(j) || (top !== '"' && c === '"') || (top === ')' && c === "'")) j = open(j)
    else {
      // A plain parenthesis or brace nests inside a substitution of the same kind.
      if ((top === ')' && c === '(') || (top === '}' && c === '{')) closers.push(top)
      j++
    }
  }
  return Math.min(j, src.length)
}

/**
 * The script with everything that is not shell structure replaced by `x` (same length, newlines
 * inside heredoc bodies kept): quoted text, substitutions, escapes, comments. Heredoc bodies are
 * returned as ranges.
 */
function blankScript(src: string): { text: string; heredocs: { start: number; end: number; expands: boolean; opener: number }[] } {
  const out = src.split('')
  const heredocs: { start: number; end: number; expands: boolean; opener: number }[] = []
  const fill = (from: number, to: number): void => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = 'x'
  }
  let lineStart = 0
  let i = 0
  while (i < src.length) {
    const c = src[i]
    if (c === '\n') {
      // Heredoc operators seen on the line just ended: their bodies follow, up to the delimiter line.
      const line = out.slice(lineStart, i).join('')
      const pending: { word: string; expands: boolean; strip: boolean; opener: number }[] = []
      for (const m of line.matchAll(HEREDOC)) {
        const at = lineStart + (m.index ?? 0) + m[0].indexOf('<<') + 2 + m[1].length
        const word = src.slice(at, lineStart + (m.index ?? 0) + m[0].length).trim()
        pending.push({ word: word.replace(/["']/g, ''), expands: !/["'\\]/.test(word), strip: m[1] === '-', opener: lineStart })
      }
      i++
      for (const doc of pending) {
        const start = i
        while (i < src.length) {
          const end = src.indexOf('\n', i)
          const stop = end < 0 ? src.length : end
          const text = src.slice(i, stop)
          i = Math.min(stop + 1, src.length)
          if ((doc.strip ? text.replace(/^\t+/, '') : text) === doc.word) break
        }
        heredocs.push({ start, end: i, expands: doc.expands, opener: doc.opener })
        // The body (and its delimiter line) is data: blank it, and its line ends, into one piece.
        for (let k = start; k < i; k++) out[k] = 'x'
        if (i > start && src[i - 1] === '\n') out[i - 1] = '\n'
      }
      lineStart = i
      continue
    }
    let next: number
    if (c === '\\') next = i + 2
    else if (c === "'" || c === '"' || c === '`' || (c === '$' && (src[i + 1] === '(' || src[i + 1] === '{'))) next = constructEnd(src, i)
    else if (c === '#' && (i === 0 || /\s/.test(src[i - 1]))) {
      const end = src.indexOf('\n', i)
      next = end < 0 ? src.length : end
    } else {
      i++
      continue
    }
    // A line end escaped by `\` joins the lines: keep it out of the structure too.
    fill(i, next)
    if (c === '\\' && src[i + 1] === '\n') out[i + 1] = ' '
    i = next
  }
  return { text: out.join(''), heredocs }
}

/**
 * The variables `text` expands, each with whether every one of its expansions passes through
 * something that removes newlines (`cleaned` variables are clean already). One pass over the text.
 */
function expansions(text: string, cleaned: ReadonlySet<string>): Map<string, boolean> {
  const cleaners = cleanersIn(text)
  const names = new Map<string, boolean>()
  for (const m of text.matchAll(SHELL_VAR)) {
    const name = m[1]
    if (name === 'GITHUB_ENV' || name === 'GITHUB_PATH') continue
    const at = m.index ?? 0
    const clean =
      cleaned.has(name) ||
      cleaners.some((c) => {
        // `${name//$'\n'/…}` cleans that expansion itself.
        if (c.text.startsWith('//')) return c.at === at + 2 + name.length && text[at + 1] === '{'
        // A later pipeline stage, or `jq -Rs … <<< "$name"`.
        if (c.at > at) return text.slice(at, c.at).includes('|')
        return text.slice(c.at, at).includes('<<<')
      })
    names.set(name, (names.get(name) ?? true) && clean)
  }
  return names
}

/** Where `text` removes or escapes newlines (`jq` only with both `-R` and `-s` in its first flags). */
function cleanersIn(text: string): { at: number; text: string }[] {
  const flags = (jq: string): string => jq.slice(jq.indexOf('-'))
  return [...text.matchAll(NEWLINE_FREE)]
    .filter((m) => !m[0].startsWith('jq') || (flags(m[0]).includes('R') && flags(m[0]).includes('s')))
    .map((m) => ({ at: m.index ?? 0, text: m[0] }))
}

interface Block {
  closer: string
  names: Map<string, boolean>
  delimited: boolean
}

/** Merge `names` (variable → clean) into `into`: a variable is clean only if every expansion is. */
function merge(into: Map<string, boolean>, names: Map<string, boolean>): void {
  for (const [name, clean] of names) into.set(name, (into.get(name) ?? true) && clean)
}

/** Every variable the script writes to `$GITHUB_ENV` or `$GITHUB_PATH`, once per file and variable (the first write). */
export function envFileWrites(script: string): EnvFileWrite[] {
  const { text, heredocs } = blankScript(script)
  const out: EnvFileWrite[] = []
  const seen = new Set<string>()
  const stack: Block[] = []
  /** Variables reassigned to a value without newlines, from here on. */
  const cleaned = new Set<string>()
  /** Per file: the delimiter variable of an open `NAME<<$DELIM` entry written line by line. */
  const openDelimiter: Partial<Record<EnvFile, string>> = {}
  /** Heredoc bodies by the offset of the line that opened them: the write they feed, or the block around them. */
  const bodyTarget = new Map<number, { write?: { file: EnvFile; offset: number; allClean: boolean }; block?: Block }>()
  let heredocAt = 0
  const emit = (file: EnvFile, names: Map<string, boolean>, offset: number, allClean: boolean): void => {
    for (const [name, clean] of names) {
      const key = `${file} ${name}`
      if (seen.has(key)) continue
      seen.add(key)
      out.push({ name, file, offset, clean: clean || allClean })
    }
  }

  let start = 0
  for (const sep of [...text.matchAll(SEPARATOR), { index: text.length, 0: '' }]) {
    const end = sep.index ?? text.length
    const stmt = text.slice(start, end)
    const raw = script.slice(start, end)
    const offset = start
    start = end + sep[0].length

    // A heredoc body: its names go where the opening statement sends them.
    while (heredocAt < heredocs.length && heredocs[heredocAt].end <= offset) heredocAt++
    const doc = heredocs[heredocAt]
    if (doc && offset >= doc.start && end <= doc.end) {
      const target = bodyTarget.get(doc.opener)
      if (!doc.expands || !target) continue
      const names = expansions(raw, cleaned)
      if (target.write) emit(target.write.file, names, target.write.offset, target.write.allClean)
      if (target.block) merge(target.block.names, names)
      continue
    }

    // Leading keywords: blocks that open and close here.
    const words = stmt.trim().split(/\s+/)
    const closed: Block[] = []
    let w = 0
    for (; w < words.length; w++) {
      const word = words[w]
      if (CLOSERS.has(word)) {
        if (stack.length && stack[stack.length - 1].closer === word) closed.push(stack.pop() as Block)
      } else if (OPENERS.has(word)) stack.push({ closer: OPENERS.get(word) as string, names: new Map(), delimited: false })
      else if (/^\(+$/.test(word) || (/^\(/.test(word) && !/\)$/.test(word))) {
        for (const ch of word) if (ch === '(') stack.push({ closer: ')', names: new Map(), delimited: false })
        if (!/^\(+$/.test(word)) break
      } else if (!PREFIX_WORDS.has(word) && !/^[\w-]+\(\)$/.test(word)) break
    }
    // `)` ending a subshell (not a case pattern: those close nothing open with `(`).
    for (const word of words.slice(w)) {
      for (let k = word.length - 1; k >= 0 && word[k] === ')'; k--) {
        if (stack.length && stack[stack.length - 1].closer === ')') closed.push(stack.pop() as Block)
      }
    }

    const own = expansions(raw, cleaned)
    const assigned = ASSIGNMENT.exec(stmt)
    if (assigned && w === 0) {
      // `BODY="${BODY//$'\n'/ }"` cleans the variable for the writes after it; any other value does not.
      const value = raw.slice(raw.indexOf('=') + 1)
      if (cleanersIn(value).length) cleaned.add(assigned[1])
      else cleaned.delete(assigned[1])
    }
    const delimiter = VARIABLE_DELIMITER.exec(raw)
    // Quoted file names are blanked in `stmt`: read the redirect in the text as written.
    const write = WRITES_ENV_FILE.exec(raw)

    // What this statement carries: its own names and those of the blocks it closes (a block redirect).
    const carried = new Map<string, boolean>()
    let delimited = !!delimiter
    for (const b of closed) {
      merge(carried, b.names)
      delimited ||= b.delimited
    }
    merge(carried, own)
    const parent = stack[stack.length - 1]
    let written: { file: EnvFile; offset: number; allClean: boolean } | undefined
    if (write) {
      const file = write[1] as EnvFile
      const open = openDelimiter[file]
      // Line-by-line entries: `echo "NAME<<$EOF"`, the value, `echo "$EOF"`, each appended on its own.
      if (open && own.has(open)) delete openDelimiter[file]
      else if (delimiter && !closed.length) openDelimiter[file] = delimiter[1]
      written = { file, offset, allClean: delimited || open !== undefined }
      emit(file, carried, offset, written.allClean)
    }
    // A heredoc's body (on the lines below) is written where this statement writes, or joins the block around it.
    if (HAS_HEREDOC.test(stmt)) bodyTarget.set(lineStartOf(script, offset), { write: written, block: parent })

    if (parent) {
      merge(parent.names, carried)
      parent.delimited ||= delimited
    }
  }
  return out
}

/** Offset of the start of the line holding `offset`. */
function lineStartOf(script: string, offset: number): number {
  return script.lastIndexOf('\n', offset - 1) + 1
}
