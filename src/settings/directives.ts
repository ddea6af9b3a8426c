/**
 * Suppression directives found in a file: Preflight's own comments
 * (`# preflight:ignore <ids> -- <reason>`, `# preflight:ignore-file <ids>`), `Metadata.preflight.ignore`
 * on JSON/YAML resources, and the forms other tools' users already have in their files (checkov,
 * tfsec, trivy, KICS, hadolint, zizmor; on CloudFormation resources cfn_nag, cfn-guard and cfn-lint,
 * whose template-wide `Metadata` also counts). Each directive knows the lines it covers; matching it
 * to a finding is apply.ts's job.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml'
import type { FileKind, RefTool, SourceFile } from '../types.js'
import { blockAt, commentStart, enclosingHclBlock, isCommentOrBlank, type LineRange } from './blocks.js'

export interface Directive {
  /** `preflight` ids are Preflight rule ids or globs; another tool's ids match through rule refs. */
  tool: 'preflight' | RefTool
  /** Ids in the tool's namespace; `*` matches every rule that has an id for that tool. */
  ids: string[]
  reason?: string
  /** Whether the form has a place for a reason (only then is a missing one flagged). */
  takesReason: boolean
  /**
   * How an id names a rule of its tool. Absent: it is the rule's id, or `*` for every rule with an
   * id for the tool (the forms Preflight reads for KICS). `exact`: it is the rule's id, and `*` is no
   * wildcard (the tool compares strings). `prefix`: it starts the rule's id, as cfn-lint reads its
   * template-wide `ignore_checks` (`W` is every warning, `W2` every W2xxx).
   */
  idMatch?: 'exact' | 'prefix'
  /** The form as written, for messages: `preflight:ignore`, `checkov:skip`, … */
  form: string
  /** Where the directive is written (1-based). */
  line: number
  /**
   * Every line that makes it a directive, when more than `line` does: a Metadata entry and each key
   * on the way down to it (`Metadata:`, `cfn_nag:`, `rules_to_suppress:`). A pull request adding
   * any of them (an `id:` under a `reason:` it kept, a list key it renamed) adds the directive.
   */
  written?: LineRange[]
  /** Lines it covers. */
  ranges: LineRange[]
}

const WHOLE_FILE: LineRange = [1, Number.MAX_SAFE_INTEGER]

interface CommentForm {
  form: string
  tool: Directive['tool']
  pattern: RegExp
  /** ids and reason from the match */
  read: (m: RegExpExecArray) => { ids: string[]; reason?: string }
  /** next: the next line or block; file: the file, written in its leading comments; anywhere: the file, written anywhere */
  scope: 'next' | 'file' | 'anywhere' | 'next-line' | 'enclosing'
  takesReason: boolean
  kinds?: FileKind[]
}

const splitIds = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean)

/** The ids of every marker `marker` (global, its id the first group) finds in a comment, as several in one comment are written. */
const idsOfEvery = (comment: string, marker: RegExp): string[] => [...comment.matchAll(marker)].map((m) => m[1]!)

const FORMS: CommentForm[] = [
  {
    form: 'preflight:ignore-file',
    tool: 'preflight',
    pattern: /preflight:ignore-file[ \t]+([^\s,]+(?:[ \t]*,[ \t]*[^\s,]+)*)[ \t]*(?:--[ \t]*(.*))?/,
    read: (m) => ({ ids: splitIds(m[1]!), reason: m[2]?.trim() || undefined }),
    scope: 'file',
    takesReason: true
  },
  {
    form: 'preflight:ignore',
    tool: 'preflight',
    pattern: /preflight:ignore[ \t]+([^\s,]+(?:[ \t]*,[ \t]*[^\s,]+)*)[ \t]*(?:--[ \t]*(.*))?/,
    read: (m) => ({ ids: splitIds(m[1]!), reason: m[2]?.trim() || undefined }),
    scope: 'next',
    takesReason: true
  },
  {
    // checkov:skip=CKV_AWS_20:The bucket is a public website
    form: 'checkov:skip',
    tool: 'checkov',
    pattern: /checkov:skip=([A-Za-z0-9_]+)(?::(.*))?/,
    read: (m) => ({ ids: [m[1]!], reason: m[2]?.trim() || undefined }),
    scope: 'enclosing',
    takesReason: true
  },
  {
    // tfsec and trivy read every marker of a comment: `#tfsec:ignore:aws-s3-enable-versioning tfsec:ignore:aws-s3-enable-bucket-logging`.
    form: 'tfsec:ignore',
    tool: 'tfsec',
    pattern: /tfsec:ignore:([a-z0-9-]+)/i,
    read: (m) => ({ ids: idsOfEvery(m.input, /tfsec:ignore:([a-z0-9-]+)/gi) }),
    scope: 'next',
    takesReason: false
  },
  {
    form: 'trivy:ignore',
    tool: 'trivy',
    pattern: /trivy:ignore:([A-Za-z0-9-]+)/,
    read: (m) => ({ ids: idsOfEvery(m.input, /trivy:ignore:([A-Za-z0-9-]+)/g) }),
    scope: 'next',
    takesReason: false
  },
  { form: 'kics-scan ignore-line', tool: 'kics', pattern: /kics-scan\s+ignore-line\b/, read: () => ({ ids: ['*'] }), scope: 'next-line', takesReason: false },
  { form: 'kics-scan ignore-block', tool: 'kics', pattern: /kics-scan\s+ignore-block\b/, read: () => ({ ids: ['*'] }), scope: 'next', takesReason: false },
  { form: 'kics-scan ignore', tool: 'kics', pattern: /kics-scan\s+ignore\s*$/, read: () => ({ ids: ['*'] }), scope: 'file', takesReason: false },
  {
    form: 'hadolint global ignore',
    tool: 'hadolint',
    pattern: /hadolint\s+global\s+ignore=([A-Z0-9,\s]+)/,
    read: (m) => ({ ids: splitIds(m[1]!) }),
    scope: 'anywhere',
    takesReason: false,
    kinds: ['dockerfile']
  },
  {
    form: 'hadolint ignore',
    tool: 'hadolint',
    pattern: /hadolint\s+ignore=([A-Z0-9,\s]+)/,
    read: (m) => ({ ids: splitIds(m[1]!) }),
    scope: 'next',
    takesReason: false,
    kinds: ['dockerfile']
  },
  {
    form: 'zizmor: ignore',
    tool: 'zizmor',
    pattern: /zizmor:\s*ignore\[([a-z0-9,\s-]+)\]/,
    read: (m) => ({ ids: splitIds(m[1]!) }),
    scope: 'next',
    takesReason: false,
    kinds: ['workflow']
  }
]

/** The comment part of a line (`#` everywhere, `//` too in HCL), or undefined. */
function commentOf(line: string, kind: FileKind): { text: string; trailing: boolean } | undefined {
  const at = commentStart(line, kind === 'terraform')
  if (at === undefined) return undefined
  const text = line.slice(at + (line[at] === '#' ? 1 : 2))
  return { text, trailing: line.slice(0, at).trim() !== '' }
}


/**
 * Words one of which every comment directive contains (`tfsec` in any case, as its form reads).
 * A comment is read as written, so a file holding none of them has no comment directive.
 */
const COMMENT_WORDS = ['preflight', 'checkov', 'trivy', 'kics-scan', 'hadolint', 'zizmor']
const TFSEC_WORD = /tfsec/i

function mayHoldCommentDirective(content: string): boolean {
  return COMMENT_WORDS.some((w) => content.includes(w)) || TFSEC_WORD.test(content)
}

/**
 * A metadata directive sits under a `preflight` or `checkov` key or in a `preflight:ignore` string;
 * in a CloudFormation template also under a `cfn_nag`, `guard` or `cfn-lint` key. YAML and JSON can
 * spell those words otherwise only with escapes in a double-quoted string: a numeric escape of one
 * of their characters (`"\u0070reflight"`, `"cfn\x2dlint"`: `-`, `_` and `a` to `z`), or a
 * backslash ending the line, which YAML drops with the line break (an explicit key `? "cfn_\` with
 * `nag"` on the next line). A file with none of the words and no such escape is not parsed. Other
 * backslashes (regular expressions in API models, Windows paths) do not make a file worth a YAML parse.
 */
const METADATA_WORDS = ['preflight', 'checkov']
const CFN_METADATA_WORDS = [...METADATA_WORDS, 'cfn_nag', 'guard', 'cfn-lint']
const WORD_ESCAPE = /\\(?:(?:x|u00|U000000)(?:2[dD]|5[fF]|6[1-9a-fA-F]|7[0-9aA])|\r?\n)/

function mayHoldMetadataDirective(file: SourceFile): boolean {
  const words = file.kind === 'cloudformation' ? CFN_METADATA_WORDS : METADATA_WORDS
  return words.some((w) => file.content.includes(w)) || (file.content.includes('\\') && WORD_ESCAPE.test(file.content))
}

/** Every suppression directive in one file. */
export function findDirectives(file: SourceFile): Directive[] {
  const out: Directive[] = []
  // A Helm template opens with `{{`: template code, not JSON (and not worth a failing YAML parse).
  const jsonLike = file.path.endsWith('.json') || /^\s*(?:\[|\{(?!\{))/.test(file.content)
  if (!jsonLike && mayHoldCommentDirective(file.content)) out.push(...commentDirectives(file, file.content.split(/\r?\n/)))
  if ((file.kind === 'cloudformation' || file.path.endsWith('.tf.json') || jsonLike) && mayHoldMetadataDirective(file)) out.push(...metadataDirectives(file))
  return out
}

function commentDirectives(file: SourceFile, lines: string[]): Directive[] {
  const out: Directive[] = []
  const firstContent = lines.findIndex((l) => !isCommentOrBlank(l) && !/^\s*---\s*$/.test(l)) + 1 || lines.length + 1
  lines.forEach((text, i) => {
    const line = i + 1
    const comment = commentOf(text, file.kind)
    if (!comment) return
    for (const form of FORMS) {
      if (form.kinds && !form.kinds.includes(file.kind)) continue
      const m = form.pattern.exec(comment.text.trim())
      if (!m) continue
      const { ids, reason } = form.read(m)
      const ranges = rangesFor(form.scope, file, lines, line, comment.trailing, firstContent)
      if (ranges) out.push({ tool: form.tool, ids, reason, takesReason: form.takesReason, form: form.form, line, ranges })
      break
    }
  })
  return out
}

function rangesFor(scope: CommentForm['scope'], file: SourceFile, lines: string[], line: number, trailing: boolean, firstContent: number): LineRange[] | undefined {
  if (scope === 'anywhere') return [WHOLE_FILE]
  // Whole-file forms count only in the file's leading comments, where a reader looks for them.
  if (scope === 'file') return line < firstContent ? [WHOLE_FILE] : undefined
  // A trailing comment covers its own line (and the block it opens); a comment line the next
  // line that is not a comment (several directives may stack above one block).
  let target = line
  if (!trailing) {
    target = line + 1
    while (target <= lines.length && isCommentOrBlank(lines[target - 1]!)) target++
    if (target > lines.length) return []
  }
  if (scope === 'next-line') return [[target, target]]
  const ranges: LineRange[] = [blockAt(file.kind, file.path, lines, target)]
  // checkov reads its skip comments anywhere inside the resource they silence.
  if (scope === 'enclosing' && file.kind === 'terraform') {
    const around = enclosingHclBlock(lines, line)
    if (around) ranges.push(around)
  }
  return ranges
}

/**
 * `Metadata: { preflight: { ignore: [...] }, checkov: { skip: [{ id, comment }] } }` on a resource
 * (CloudFormation JSON or YAML), and `"//": "preflight:ignore …"` in a Terraform JSON block:
 * the directive covers the object that holds it.
 */
function metadataDirectives(file: SourceFile): Directive[] {
  const lineCounter = new LineCounter()
  let docs
  try {
    docs = parseAllDocuments(file.content, { lineCounter, uniqueKeys: false })
  } catch {
    return []
  }
  if (!Array.isArray(docs)) return []
  const out: Directive[] = []
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line)
  // A resource's lines run from its key (`MyBucket:`) to the end of its value.
  const rangeOf = (node: Node, keyLine: number): LineRange => [Math.min(keyLine, lineOf(node.range?.[0])), lineOf(Math.max(0, (node.range?.[1] ?? 1) - 1))]

  const visit = (node: unknown, keyLine = Number.MAX_SAFE_INTEGER): void => {
    if (isSeq(node)) return node.items.forEach((n) => visit(n))
    if (!isMap(node)) return
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : ''
      if (key === 'Metadata' && isMap(pair.value)) {
        const meta = pair.value
        const written = (path: string[], entry: unknown): LineRange[] => writtenLines(pair as Pair, path, entry, lineOf)
        for (const entry of seqItems(meta.getIn(['preflight', 'ignore'], true))) {
          const { id, reason, at } = idAndReason(entry, 'reason')
          if (id) out.push({ tool: 'preflight', ids: splitIds(id), reason, takesReason: true, form: 'Metadata.preflight.ignore', line: lineOf(at), written: written(['preflight', 'ignore'], entry), ranges: [rangeOf(node, keyLine)] })
        }
        for (const entry of seqItems(meta.getIn(['checkov', 'skip'], true))) {
          const { id, reason, at } = idAndReason(entry, 'comment')
          if (id) out.push({ tool: 'checkov', ids: [id], reason, takesReason: true, form: 'Metadata.checkov.skip', line: lineOf(at), written: written(['checkov', 'skip'], entry), ranges: [rangeOf(node, keyLine)] })
        }
      } else if (key === '//' && isScalar(pair.value) && typeof pair.value.value === 'string') {
        const m = /preflight:ignore[ \t]+([^\s,]+(?:[ \t]*,[ \t]*[^\s,]+)*)[ \t]*(?:--[ \t]*(.*))?/.exec(pair.value.value.trim())
        if (m) out.push({ tool: 'preflight', ids: splitIds(m[1]!), reason: m[2]?.trim() || undefined, takesReason: true, form: '"//" preflight:ignore', line: lineOf(pair.value.range?.[0]), ranges: [rangeOf(node, keyLine)] })
      }
      visit(pair.value, isScalar(pair.key) ? lineOf(pair.key.range?.[0]) : undefined)
    }
  }
  for (const doc of docs) {
    visit(doc.contents)
    if (file.kind === 'cloudformation') out.push(...cloudFormationToolDirectives(doc.contents, lineOf, rangeOf))
  }
  return out
}

/**
 * The suppressions of cfn_nag, cfn-guard and cfn-lint, read where each tool reads them: on a
 * resource (a value of the template's `Resources`), and for cfn-lint also in the template's own
 * `Metadata`, which covers the file. Only the shapes the tools act on count (a list of ids; for
 * cfn_nag a list of `{ id, reason }`): a suppression the tool would not honour silences nothing here.
 */
function cloudFormationToolDirectives(root: unknown, lineOf: (offset: number | undefined) => number, rangeOf: (node: Node, keyLine: number) => LineRange): Directive[] {
  if (!isMap(root)) return []
  const out: Directive[] = []
  const idsAt = (meta: Pair, path: string[]): { id: string; at?: number; written: LineRange[] }[] =>
    isMap(meta.value) ? stringItems(meta.value.getIn(path, true)).map((item) => ({ ...item, written: writtenLines(meta, path, item.node, lineOf) })) : []
  for (const meta of pairsOf(root, 'Metadata')) {
    // cfn-lint reads its template-wide configuration here, and its ignore_checks by prefix.
    for (const { id, at, written } of idsAt(meta, ['cfn-lint', 'config', 'ignore_checks'])) {
      out.push({ tool: 'cfn-lint', ids: [id], takesReason: false, idMatch: 'prefix', form: 'Metadata.cfn-lint.config.ignore_checks', line: lineOf(at), written, ranges: [WHOLE_FILE] })
    }
  }
  for (const resources of valuesOf(root, 'Resources')) {
    if (!isMap(resources)) continue
    for (const pair of resources.items) {
      const resource = pair.value
      if (!isMap(resource)) continue
      const ranges = [rangeOf(resource, isScalar(pair.key) ? lineOf(pair.key.range?.[0]) : Number.MAX_SAFE_INTEGER)]
      for (const metaPair of pairsOf(resource, 'Metadata')) {
        const meta = metaPair.value
        if (!isMap(meta)) continue
        const nag = meta.getIn(['cfn_nag', 'rules_to_suppress'], true)
        for (const entry of isSeq(nag) ? nag.items : []) {
          // cfn_nag skips an entry without an id (and says so); the reason is what it prints.
          if (!isMap(entry)) continue
          const id = entry.get('id', true)
          if (!isScalar(id) || typeof id.value !== 'string') continue
          const reason = entry.get('reason')
          out.push({
            tool: 'cfn_nag',
            ids: [id.value],
            reason: typeof reason === 'string' || typeof reason === 'number' ? String(reason).trim() || undefined : undefined,
            takesReason: true,
            idMatch: 'exact',
            form: 'Metadata.cfn_nag.rules_to_suppress',
            line: lineOf(entry.range?.[0]),
            written: writtenLines(metaPair, ['cfn_nag', 'rules_to_suppress'], entry, lineOf),
            ranges
          })
        }
        for (const { id, at, written } of idsAt(metaPair, ['guard', 'SuppressedRules'])) {
          out.push({ tool: 'cfn-guard', ids: [id], takesReason: false, idMatch: 'exact', form: 'Metadata.guard.SuppressedRules', line: lineOf(at), written, ranges })
        }
        // On a resource cfn-lint compares each id whole with the rule's (no prefix).
        for (const { id, at, written } of idsAt(metaPair, ['cfn-lint', 'config', 'ignore_checks'])) {
          out.push({ tool: 'cfn-lint', ids: [id], takesReason: false, idMatch: 'exact', form: 'Metadata.cfn-lint.config.ignore_checks', line: lineOf(at), written, ranges })
        }
      }
    }
  }
  return out
}

/** A map's entries under one key (every one of them, should the key be repeated). */
function pairsOf(map: unknown, key: string): Pair[] {
  if (!isMap(map)) return []
  return (map.items as Pair[]).filter((pair) => isScalar(pair.key) && pair.key.value === key && pair.value)
}

/** The values of a map's entries under one key. */
function valuesOf(map: unknown, key: string): Node[] {
  return pairsOf(map, key).map((pair) => pair.value as Node)
}

/**
 * The lines that make `entry` a directive: its own, and the key of each map on the way from the
 * `Metadata` pair down to the list holding it.
 */
function writtenLines(metadata: Pair, path: readonly string[], entry: unknown, lineOf: (offset: number | undefined) => number): LineRange[] {
  const keyLine = (pair: Pair): LineRange => {
    const line = lineOf((pair.key as Node | null)?.range?.[0])
    return [line, line]
  }
  const out: LineRange[] = [keyLine(metadata)]
  let node: unknown = metadata.value
  for (const key of path) {
    const pair = pairsOf(node, key)[0]
    if (!pair) break
    out.push(keyLine(pair))
    node = pair.value
  }
  const range = (entry as Node | undefined)?.range
  if (range) out.push([lineOf(range[0]), lineOf(Math.max(range[0], range[1] - 1))])
  return out
}

/** The string items of a list, with where each is written; anything else is no list of ids. */
function stringItems(node: unknown): { id: string; at?: number; node: Node }[] {
  if (!isSeq(node)) return []
  return node.items.flatMap((item) => (isScalar(item) && typeof item.value === 'string' ? [{ id: item.value, at: item.range?.[0], node: item as Node }] : []))
}

function seqItems(node: unknown): unknown[] {
  if (isSeq(node)) return node.items
  if (isScalar(node)) return [node]
  return []
}

function idAndReason(entry: unknown, reasonKey: string): { id?: string; reason?: string; at?: number } {
  if (isScalar(entry)) return { id: String(entry.value), at: entry.range?.[0] }
  if (isMap(entry)) {
    const id = entry.get('id')
    const reason = entry.get(reasonKey) ?? entry.get('reason')
    return { id: id === undefined ? undefined : String(id), reason: reason === undefined || reason === null ? undefined : String(reason), at: entry.range?.[0] }
  }
  return {}
}
