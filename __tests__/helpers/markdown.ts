/**
 * Test helpers that look at rendered Markdown the way GitHub would: parsed by a CommonMark + GFM
 * parser (micromark) with raw HTML allowed, so a test checks what the reader would see (live
 * HTML comments, tags, mentions), not what the source text happens to contain.
 */
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

export function toHtml(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] })
}

/** The HTML with code spans and code blocks removed (mentions and references are inert there). */
function withoutCode(html: string): string {
  return html.replace(/<pre>[\s\S]*?<\/pre>/g, '').replace(/<code>[\s\S]*?<\/code>/g, '')
}

/** Text GitHub would turn into a mention or an issue reference: `@user`, `@org/team`, `#12`, `GH-12`. */
export function liveReferences(html: string): string[] {
  const text = decode(withoutCode(html).replace(/<[^>]*>/g, ' '))
  return [...text.matchAll(/(?:^|[^\w@])(@[A-Za-z0-9][\w-]*|#[0-9]+|GH-[0-9]+)/gi)].map((m) => m[1])
}

/** Every HTML comment in the rendered output (escaped text never produces one). */
export function htmlComments(html: string): string[] {
  return [...html.matchAll(/<!--[\s\S]*?(?:-->|$)/g)].map((m) => m[0])
}

/** Tag names of raw or generated HTML elements, opening and closing. */
export function tagCounts(html: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const m of withoutCode(html).matchAll(/<(\/?[A-Za-z][A-Za-z0-9-]*)/g)) counts.set(m[1].toLowerCase(), (counts.get(m[1].toLowerCase()) ?? 0) + 1)
  return counts
}

/** The code blocks of a document, text decoded, with their info string's first word. */
export function codeBlocks(html: string): { lang?: string; text: string }[] {
  return [...html.matchAll(/<pre><code(?: class="language-([^"]*)")?>([\s\S]*?)<\/code><\/pre>/g)].map((m) => ({ lang: m[1], text: decode(m[2]) }))
}

/** The text of the inline code spans of a document, decoded. */
export function codeSpans(html: string): string[] {
  const noBlocks = html.replace(/<pre>[\s\S]*?<\/pre>/g, '')
  return [...noBlocks.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => decode(m[1]))
}

/** The visible text of a fragment (tags removed, entities decoded). */
export function visibleText(html: string): string {
  return decode(html.replace(/<[^>]*>/g, ''))
}

export function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&')
}

/** Every `<details>` closed, every fence closed, every table row as wide as its header. */
export function structureProblems(markdown: string): string[] {
  const problems: string[] = []
  const lines = markdown.split('\n')
  let fence: string | undefined
  let depth = 0
  let tableCells: number | undefined
  for (const line of lines) {
    // A backtick fence's info string has no backtick (else the line is a code span, not a fence).
    const f = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/.exec(line)
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && line.trim() === f[1]) fence = undefined
      continue
    }
    if (f) {
      fence = f[1]
      continue
    }
    // Blocks are opened and closed at the start of a line (text inside code spans is not a tag).
    if (line.startsWith('<details>')) depth++
    if (line.trim() === '</details>') depth--
    if (depth < 0) problems.push('</details> without <details>')
    if (line.startsWith('|')) {
      // Cells: split on pipes that are not escaped.
      const cells = line.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length - 2
      if (tableCells === undefined) tableCells = cells
      else if (cells !== tableCells) problems.push(`table row with ${cells} cells instead of ${tableCells}: ${line.slice(0, 80)}`)
    } else tableCells = undefined
  }
  if (fence) problems.push('unclosed code fence')
  if (depth !== 0) problems.push(`${depth} unclosed <details>`)
  const html = toHtml(markdown)
  const tags = tagCounts(html)
  if ((tags.get('details') ?? 0) !== (tags.get('/details') ?? 0)) problems.push('unbalanced <details> in the rendered HTML')
  return problems
}
