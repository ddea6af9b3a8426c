/**
 * `scan --format json|sarif` writes its output as bytes when the host takes them (the real CLI
 * does): the bytes must be exactly the UTF-8 of the text a host without `stdoutBytes` receives,
 * non-ASCII paths and messages included, and nothing may be written twice or lost around them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { main } from '../src/cli/main.js'
import { writeLine } from '../src/cli/commands.js'

let repo: string

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'preflight-bytes-'))
  // Non-ASCII in the path (one byte, two bytes and an astral character in UTF-16) lands in every finding.
  const dir = join(repo, 'caf\u00e9-\u2603-\u{1F680}')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'Dockerfile'), 'FROM ubuntu:latest\nUSER root\nRUN echo "d\u00e9j\u00e0 vu \u2026"\n')
})

afterAll(() => rmSync(repo, { recursive: true, force: true }))

/** The scan's stdout through a host with only `stdout`, and through one that also takes bytes. */
async function bothWays(format: string): Promise<{ text: string; bytes: Buffer; textCalls: number; byteCalls: number }> {
  let text = ''
  const plain = { stdout: (t: string) => void (text += t), stderr: () => undefined, env: {}, cwd: process.cwd() }
  await main(['scan', repo, '--format', format], plain)
  const chunks: Buffer[] = []
  let textCalls = 0
  let byteCalls = 0
  const withBytes = {
    stdout: (t: string) => {
      textCalls++
      chunks.push(Buffer.from(t))
    },
    stdoutBytes: (b: Uint8Array) => {
      byteCalls++
      chunks.push(Buffer.from(b))
    },
    stderr: () => undefined,
    env: {},
    cwd: process.cwd()
  }
  await main(['scan', repo, '--format', format], withBytes)
  return { text, bytes: Buffer.concat(chunks), textCalls, byteCalls }
}

const withoutMs = (json: string) => json.replace(/"ms": \d+/, '"ms": 0')

describe('scan output as bytes', () => {
  it.each(['json', 'sarif'])('%s: the bytes are the UTF-8 of the text, newline included', async (format) => {
    const { text, bytes, textCalls, byteCalls } = await bothWays(format)
    expect(textCalls).toBe(0)
    // Multi-byte characters overflow the first buffer (one byte per UTF-16 unit): the rest follows.
    expect(byteCalls).toBeGreaterThan(1)
    expect(text).toMatch(/caf\u00e9-\u2603-\u{1F680}\/Dockerfile/u)
    expect(bytes.at(-1)).toBe(0x0a)
    // Exactly the bytes Node writes for the text (no replacement characters, no extra bytes).
    expect(withoutMs(bytes.toString('utf8'))).toBe(withoutMs(text))
    expect(bytes.equals(Buffer.from(bytes.toString('utf8')))).toBe(true)
  })
})

describe('writeLine', () => {
  const bytesOf = (text: string) => {
    const chunks: Buffer[] = []
    writeLine({ stdout: () => { throw new Error('text written') }, stdoutBytes: (b) => void chunks.push(Buffer.from(b)), stderr: () => undefined, env: {}, cwd: '/' }, text)
    return Buffer.concat(chunks)
  }

  it('writes the UTF-8 of any text and a newline, as Node encodes it (lone surrogates included)', () => {
    for (const text of ['', 'a', '\u00e9', '\u{1F680}', 'ab\u{1F680}', '\ud800', 'x\udc00y', '\u2026'.repeat(5)]) expect(bytesOf(text)).toEqual(Buffer.from(text + '\n'))
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.string({ maxLength: 300 })), (text) => {
        expect(bytesOf(text)).toEqual(Buffer.from(text + '\n'))
      }),
      { numRuns: 2000 }
    )
  })
})
