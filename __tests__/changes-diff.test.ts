import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, renameSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import {
  addedLines,
  commentableLines,
  newSideText,
  parseGitDiff,
  parsePatch,
  patchForNewFile,
  patchLines,
  unquoteC
} from '../src/changes/diff.js'

describe('parsePatch', () => {
  it('numbers added and context lines on the new side', () => {
    const patch = [
      '@@ -1,4 +1,5 @@ resource "aws_s3_bucket" "b" {',
      ' line1',
      '-old2',
      '+new2',
      '+new3',
      ' line3',
      ' line4',
      '@@ -10,3 +11,2 @@',
      ' ten',
      '-eleven',
      ' twelve'
    ].join('\n')
    const hunks = parsePatch(patch)
    expect(hunks).toEqual([
      { oldStart: 1, oldLines: 4, newStart: 1, newLines: 5, added: [2, 3], context: [1, 4, 5] },
      { oldStart: 10, oldLines: 3, newStart: 11, newLines: 2, added: [], context: [11, 12] }
    ])
    expect([...commentableLines(patch)].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 11, 12])
    expect([...addedLines(patch)]).toEqual([2, 3])
  })

  it('accepts headers without counts', () => {
    const hunks = parsePatch('@@ -1 +1 @@\n-a\n+b')
    expect(hunks).toEqual([{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, added: [1], context: [] }])
    expect(parsePatch('@@ -3 +3,2 @@\n x\n+y')[0]).toMatchObject({ added: [4], context: [3] })
  })

  it('ignores "no newline" markers and CRLF line ends', () => {
    const patch = '@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n\\ No newline at end of file\r\n+c\r\n\\ No newline at end of file\r\n'
    expect(parsePatch(patch)[0]).toMatchObject({ added: [2], context: [1] })
    expect(newSideText(patch)).toEqual(new Map([[1, 'a'], [2, 'c']]))
  })

  it('reads a new file and a deleted file', () => {
    expect(parsePatch('@@ -0,0 +1,3 @@\n+a\n+b\n+c')[0]).toMatchObject({ newStart: 1, added: [1, 2, 3], context: [] })
    const deleted = parsePatch('@@ -1,2 +0,0 @@\n-a\n-b')
    expect(deleted[0]).toMatchObject({ oldStart: 1, oldLines: 2, newLines: 0, added: [], context: [] })
    expect(commentableLines('@@ -1,2 +0,0 @@\n-a\n-b').size).toBe(0)
  })

  it('treats a bare empty line inside a hunk as an empty context line', () => {
    const patch = '@@ -1,3 +1,3 @@\n a\n\n-c\n+C'
    expect(parsePatch(patch)[0]).toMatchObject({ added: [3], context: [1, 2] })
  })

  it('stops a hunk when its counts are used up and skips trailing junk', () => {
    const patch = '@@ -1,1 +1,1 @@\n-a\n+b\n+not part of the hunk\nrandom text\n@@ -5,1 +5,1 @@\n x'
    const hunks = parsePatch(patch)
    expect(hunks.map((h) => h.added)).toEqual([[1], []])
    expect(hunks[1].context).toEqual([5])
  })

  it('never throws on garbage', () => {
    for (const junk of ['', 'hello', '@@', '@@ -a,b +c,d @@\n+x', '+x\n-y', '@@ -1,2 +1,2 @@', undefined as unknown as string, 42 as unknown as string]) {
      expect(() => parsePatch(junk)).not.toThrow()
    }
    expect(parsePatch('@@ -a,b +c,d @@\n+x')).toEqual([])
    expect(commentableLines(undefined).size).toBe(0)
  })

  it('gives line texts with both numbers', () => {
    const lines = patchLines('@@ -4,2 +4,2 @@\n keep\n-gone\n+came')
    expect(lines).toEqual([
      { type: 'context', text: 'keep', oldLine: 4, newLine: 4, hunk: 0 },
      { type: 'delete', text: 'gone', oldLine: 5, hunk: 0 },
      { type: 'add', text: 'came', newLine: 5, hunk: 0 }
    ])
  })
})

describe('patchForNewFile', () => {
  it('builds an all-added patch', () => {
    expect(patchForNewFile('a\nb\n')).toBe('@@ -0,0 +1,2 @@\n+a\n+b')
    expect(patchForNewFile('only')).toBe('@@ -0,0 +1 @@\n+only\n\\ No newline at end of file')
    expect(patchForNewFile('')).toBeUndefined()
    expect([...addedLines(patchForNewFile('x\n\ny\n'))]).toEqual([1, 2, 3])
  })
})

describe('unquoteC', () => {
  it('decodes octal UTF-8 bytes and escapes', () => {
    expect(unquoteC('"caf\\303\\251 \\"x\\".txt"')).toBe('café "x".txt')
    expect(unquoteC('"tab\\there"')).toBe('tab\there')
    expect(unquoteC('"unterminated')).toBeUndefined()
  })
})

// ── parseGitDiff on real git output ──────────────────────────────────────────────────────────

function run(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' })
}

function makeRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-diff-'))
  run(dir, 'init', '-q', '-b', 'main')
  run(dir, 'config', 'user.name', 'Test')
  run(dir, 'config', 'user.email', 'test@example.com')
  run(dir, 'config', 'commit.gpgsign', 'false')
  return dir
}

describe('parseGitDiff', () => {
  let dir: string
  let diff: string

  beforeAll(() => {
    dir = makeRepo()
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`)
    writeFileSync(join(dir, 'main.tf'), lines.join('\n') + '\n')
    writeFileSync(join(dir, 'gone.yaml'), 'a: 1\nb: 2\n')
    writeFileSync(join(dir, 'old name.txt'), Array.from({ length: 20 }, (_, i) => `keep ${i}`).join('\n') + '\n')
    writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]))
    writeFileSync(join(dir, 'script.sh'), 'echo hi\n')
    run(dir, 'add', '-A')
    run(dir, 'commit', '-q', '-m', 'base')
    run(dir, 'tag', 'base')

    const changed = [...lines]
    changed[1] = 'line 2 changed'
    changed.splice(20, 0, 'inserted a', 'inserted b')
    writeFileSync(join(dir, 'main.tf'), changed.join('\n') + '\n')
    unlinkSync(join(dir, 'gone.yaml'))
    renameSync(join(dir, 'old name.txt'), join(dir, 'new name.txt'))
    writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9]))
    mkdirSync(join(dir, 'k8s'))
    writeFileSync(join(dir, 'k8s', 'café svc.yaml'), 'apiVersion: v1\nkind: Service')
    execFileSync('chmod', ['+x', join(dir, 'script.sh')])
    run(dir, 'add', '-A')
    run(dir, 'commit', '-q', '-m', 'head')
    diff = run(dir, 'diff', '--no-color', '--no-ext-diff', '-M', '--src-prefix=a/', '--dst-prefix=b/', 'base...HEAD')
  })

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds every file with its status', () => {
    const files = parseGitDiff(diff)
    const summary = files.map((f) => [f.path, f.status, f.previousPath ?? null, f.binary]).sort()
    expect(summary).toEqual(
      [
        ['gone.yaml', 'removed', null, false],
        ['k8s/café svc.yaml', 'added', null, false],
        ['logo.png', 'modified', null, true],
        ['main.tf', 'modified', null, false],
        ['new name.txt', 'renamed', 'old name.txt', false],
        ['script.sh', 'changed', null, false]
      ].sort()
    )
  })

  it('keeps hunks only, in the form GitHub gives them', () => {
    const files = new Map(parseGitDiff(diff).map((f) => [f.path, f]))
    const tf = files.get('main.tf')!
    expect(tf.patch!.startsWith('@@ -1,')).toBe(true)
    expect(tf.patch!.endsWith('\n')).toBe(false)
    expect([...addedLines(tf.patch)].sort((a, b) => a - b)).toEqual([2, 21, 22])
    expect(newSideText(tf.patch).get(21)).toBe('inserted a')
    expect(files.get('logo.png')!.patch).toBeUndefined()
    expect(files.get('new name.txt')!.patch).toBeUndefined()
    const added = files.get('k8s/café svc.yaml')!
    expect(added.patch).toBe('@@ -0,0 +1,2 @@\n+apiVersion: v1\n+kind: Service\n\\ No newline at end of file')
    expect(parsePatch(files.get('gone.yaml')!.patch!)[0]).toMatchObject({ oldLines: 2, newLines: 0 })
  })

  it('reads C-quoted paths (default core.quotePath)', () => {
    const quoted = run(dir, '-c', 'core.quotepath=on', 'diff', '--no-color', '--src-prefix=a/', '--dst-prefix=b/', 'base...HEAD', '--', 'k8s')
    expect(quoted).toContain('"b/k8s/caf\\303\\251 svc.yaml"')
    expect(parseGitDiff(quoted).map((f) => f.path)).toEqual(['k8s/café svc.yaml'])
  })

  it('handles hand-written edge cases', () => {
    const text = [
      'diff --git a/a b/a b b/a b/a b',
      'new file mode 100644',
      'index 0000000..e69de29',
      'diff --git "a/x\\"q" "b/x\\"q"',
      'index 1..2 100644',
      '--- "a/x\\"q"',
      '+++ "b/x\\"q"',
      '@@ -1 +1 @@',
      '-1',
      '+2',
      'diff --git a/c.txt b/d.txt',
      'similarity index 90%',
      'copy from c.txt',
      'copy to d.txt',
      '--- a/c.txt',
      '+++ b/d.txt',
      '@@ -1,1 +1,1 @@',
      '-x',
      '+y',
      ''
    ].join('\n')
    expect(parseGitDiff(text)).toEqual([
      { path: 'a b/a b', status: 'added', binary: false },
      { path: 'x"q', status: 'modified', binary: false, patch: '@@ -1 +1 @@\n-1\n+2' },
      { path: 'd.txt', previousPath: 'c.txt', status: 'copied', binary: false, patch: '@@ -1,1 +1,1 @@\n-x\n+y' }
    ])
  })

  it('never throws on garbage', () => {
    for (const junk of ['', 'diff --git', 'diff --git \n@@', 'nonsense\n+++ b/x', undefined as unknown as string]) {
      expect(() => parseGitDiff(junk)).not.toThrow()
    }
    expect(parseGitDiff('no diff here')).toEqual([])
  })
})

// ── Properties ───────────────────────────────────────────────────────────────────────────────

type Op = { type: 'keep' | 'delete' | 'add'; text: string }

/** A line-level edit script from random old/new line arrays (an LCS alignment). */
function editScript(oldLines: string[], newLines: string[]): Op[] {
  const n = oldLines.length
  const m = newLines.length
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = oldLines[i] === newLines[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  const ops: Op[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && oldLines[i] === newLines[j]) {
      ops.push({ type: 'keep', text: oldLines[i++] })
      j++
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) ops.push({ type: 'add', text: newLines[j++] })
    else ops.push({ type: 'delete', text: oldLines[i++] })
  }
  return ops
}

interface Generated {
  patch: string
  /** New-side numbers of the inserted lines. */
  insertions: number[]
  /** Per hunk: new-side [start, end] inclusive (end < start when the new side is empty). */
  ranges: [number, number][]
}

/** A unified patch (hunks only) with `context` lines around changes, like `git diff -U<context>`. */
function buildPatch(oldLines: string[], newLines: string[], context: number): Generated {
  const ops = editScript(oldLines, newLines)
  const oldNo: number[] = []
  const newNo: number[] = []
  let o = 1
  let nn = 1
  for (const op of ops) {
    oldNo.push(o)
    newNo.push(nn)
    if (op.type !== 'add') o++
    if (op.type !== 'delete') nn++
  }
  const changed = ops.map((op, k) => (op.type !== 'keep' ? k : -1)).filter((k) => k >= 0)
  const groups: [number, number][] = []
  for (const k of changed) {
    const from = Math.max(0, k - context)
    const to = Math.min(ops.length - 1, k + context)
    const last = groups[groups.length - 1]
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to)
    else groups.push([from, to])
  }
  const out: string[] = []
  const insertions: number[] = []
  const ranges: [number, number][] = []
  for (const [from, to] of groups) {
    const slice = ops.slice(from, to + 1)
    const oldCount = slice.filter((op) => op.type !== 'add').length
    const newCount = slice.filter((op) => op.type !== 'delete').length
    const oldStart = oldCount === 0 ? oldNo[from] - 1 : oldNo[from]
    const newStart = newCount === 0 ? newNo[from] - 1 : newNo[from]
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`)
    ranges.push([newNo[from], newNo[from] + newCount - 1])
    slice.forEach((op, k) => {
      out.push(`${op.type === 'keep' ? ' ' : op.type === 'add' ? '+' : '-'}${op.text}`)
      if (op.type === 'add') insertions.push(newNo[from + k])
    })
  }
  return { patch: out.join('\n'), insertions, ranges }
}

const lineArb = fc.constantFrom('a', 'b', 'c', 'd', '', ' x', '-y', '+z', '@@ w', '\\ v')
const filesArb = fc.record({
  oldLines: fc.array(lineArb, { maxLength: 40 }),
  newLines: fc.array(lineArb, { maxLength: 40 }),
  context: fc.integer({ min: 0, max: 4 })
})

describe('parsePatch properties', () => {
  it('commentable lines lie inside a hunk, added lines are exactly the insertions', () => {
    fc.assert(
      fc.property(filesArb, ({ oldLines, newLines, context }) => {
        const { patch, insertions, ranges } = buildPatch(oldLines, newLines, context)
        for (const line of commentableLines(patch)) {
          expect(ranges.some(([a, b]) => line >= a && line <= b)).toBe(true)
          expect(line).toBeGreaterThanOrEqual(1)
          expect(line).toBeLessThanOrEqual(newLines.length)
        }
        expect([...addedLines(patch)].sort((a, b) => a - b)).toEqual(insertions)
        expect(parsePatch(patch)).toHaveLength(ranges.length)
      }),
      { numRuns: 300 }
    )
  })

  it('the new-side text a patch covers matches the new file (round trip)', () => {
    fc.assert(
      fc.property(filesArb, ({ oldLines, newLines, context }) => {
        const { patch, ranges } = buildPatch(oldLines, newLines, context)
        const text = newSideText(patch)
        for (const [a, b] of ranges) for (let line = a; line <= b; line++) expect(text.get(line)).toBe(newLines[line - 1])
        expect(text.size).toBe(ranges.reduce((sum, [a, b]) => sum + Math.max(0, b - a + 1), 0))
        // With enough context the whole file is one hunk and the patch reproduces it entirely.
        const whole = buildPatch(oldLines, newLines, 100)
        if (whole.ranges.length === 1) {
          const all = newSideText(whole.patch)
          expect(Array.from({ length: newLines.length }, (_, k) => all.get(k + 1))).toEqual(newLines)
        }
      }),
      { numRuns: 300 }
    )
  })

  it('survives CRLF line ends and "no newline" markers', () => {
    fc.assert(
      fc.property(filesArb, ({ oldLines, newLines, context }) => {
        const { patch } = buildPatch(oldLines, newLines, context)
        const noisy = patch
          .split('\n')
          .flatMap((l) => (l.startsWith('@@') ? [l] : [l, '\\ No newline at end of file']))
          .join('\r\n')
        expect(parsePatch(noisy)).toEqual(parsePatch(patch))
      }),
      { numRuns: 100 }
    )
  })
})
