import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { cellCode, cellMessage, cellText, htmlText, mdBlock, mdCode, mdMessage, mdText, suggestionBlock } from '../src/render/escape.js'
import { hostile as hostileArb } from './helpers/hostile.js'
import { codeBlocks, codeSpans, htmlComments, liveReferences, tagCounts, toHtml, visibleText } from './helpers/markdown.js'

/** Control characters (other than tab and line breaks) are shown as a replacement mark. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

const hostile = hostileArb()

/** What must hold for any escaped fragment once rendered. */
function assertInert(markdown: string): void {
  const html = toHtml(markdown)
  expect(htmlComments(html)).toEqual([])
  expect(liveReferences(html)).toEqual([])
  const tags = tagCounts(html)
  for (const bad of ['script', 'img', 'details', 'summary', 'iframe', 'input', 'h1', 'blockquote', 'ul', 'ol', 'table', 'pre']) expect(tags.get(bad)).toBeUndefined()
}

describe('escapers are safe for any input', () => {
  it('prose, one line', () => {
    fc.assert(fc.property(hostile, (s) => {
      const out = mdText(s)
      expect(out).not.toMatch(/[\n\r\u2028\u2029]/)
      assertInert(`x ${out}`)
      assertInert(out)
      // Nothing was deleted: the reader sees the text (line breaks as spaces, zero-width joiners aside).
      const shown = visibleText(toHtml(out)).replace(/\u200d/g, '').trim()
      expect(shown).toBe(s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(CONTROL, '\ufffd').trim())
    }), { numRuns: 250 })
  })

  it('prose, several lines', () => {
    fc.assert(fc.property(hostile, (s) => assertInert(mdBlock(s))), { numRuns: 300 })
  })

  it('code span: readable exactly, one line, closes where it should', () => {
    fc.assert(fc.property(hostile, (s) => {
      const out = mdCode(s)
      assertInert(`see ${out} and after`)
      const one = s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(CONTROL, '\ufffd')
      const spans = codeSpans(toHtml(`see ${out} and after`))
      expect(spans).toHaveLength(1)
      if (one.trim() !== '') expect(spans[0]).toBe(one)
      expect(visibleText(toHtml(`see ${out} and after`)).trimEnd().endsWith(' and after')).toBe(true)
    }), { numRuns: 250 })
  })

  it('table cells: one cell each, whatever the text', () => {
    fc.assert(fc.property(hostile, hostile, hostile, (a, b, c) => {
      const md = `| A | B | C |\n|---|---|---|\n| ${cellText(a)} | ${cellCode(b)} | ${cellMessage(c)} |\n`
      const html = toHtml(md)
      assertInertTable(html)
      const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1])
      expect(cells).toHaveLength(3)
      const expected = b.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(CONTROL, '\ufffd')
      // The cell shows the text exactly (surrounding spaces aside: GFM trims cells).
      expect(visibleText(cells[1]).replace(/\u200d/g, '').trim()).toBe(expected.trim())
    }), { numRuns: 300 })
  })

  it('raw HTML text', () => {
    fc.assert(fc.property(hostile, (s) => {
      const md = `<details><summary>${htmlText(s)}</summary>\n\nbody\n\n</details>\n`
      const html = toHtml(md)
      expect(htmlComments(html)).toEqual([])
      expect(liveReferences(html)).toEqual([])
      expect(tagCounts(html).get('details')).toBe(1)
      expect(tagCounts(html).get('summary')).toBe(1)
      expect(tagCounts(html).get('script')).toBeUndefined()
    }), { numRuns: 300 })
  })

  it('finding messages: safe whatever the split on backticks', () => {
    fc.assert(fc.property(hostile, (s) => {
      assertInert(mdMessage(s))
      assertInert(`- 🛑 **critical** ${mdMessage(s)} (x)`.slice(2))
    }), { numRuns: 250 })
    expect(mdMessage('Container `web` runs privileged')).toBe('Container `web` runs privileged')
    expect(mdMessage('Image `a` uses `latest')).toBe('Image `a` uses &#96;latest')
  })

  it('suggestion blocks commit exactly the intended text', () => {
    const text = fc.array(fc.oneof(fc.constantFrom('```', '````', '~~~', '`', '\n', '    ', '<!--', '@x', 'a: b'), fc.string({ maxLength: 5 })), { maxLength: 10 }).map((p) => p.join(''))
    fc.assert(fc.property(text, (s) => {
      const content = s.replace(/\r/g, '')
      const md = `intro\n\n${suggestionBlock(content)}\n\nafter\n`
      const blocks = codeBlocks(toHtml(md))
      expect(blocks).toHaveLength(1)
      expect(blocks[0].lang).toBe('suggestion')
      const intended = content.replace(/\n$/, '')
      expect(blocks[0].text).toBe(intended === '' ? '' : `${intended}\n`)
      expect(visibleText(toHtml(md)).trim().endsWith('after')).toBe(true)
    }), { numRuns: 250 })
  })

  it('the known single-pass bypasses stay text', () => {
    for (const s of ['<!<a>--', '<scr<script>ipt>alert(1)</script>', '<!<!-- x -->-- preflight:summary -->']) {
      const html = toHtml(mdText(s))
      expect(htmlComments(html)).toEqual([])
      expect(tagCounts(html).get('script')).toBeUndefined()
      expect(visibleText(html).trim()).toBe(s)
    }
  })
})

function assertInertTable(html: string): void {
  expect(htmlComments(html)).toEqual([])
  expect(liveReferences(html)).toEqual([])
  const tags = tagCounts(html)
  for (const bad of ['script', 'img', 'details', 'summary', 'iframe', 'input']) expect(tags.get(bad)).toBeUndefined()
  expect(tags.get('table')).toBe(1)
  expect(tags.get('tr')).toBe(2)
}
