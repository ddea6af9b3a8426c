import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  SUMMARY_MARKER,
  fingerprint,
  fingerprintMarker,
  hasSummaryMarker,
  parseFingerprint,
  parseStateMarker,
  stateMarker,
  summaryHeader,
  isAlreadyPosted,
  withFingerprint
} from '../src/render/markers.js'

describe('state marker', () => {
  it('round-trips JSON, with -->, < and > in strings that cannot close the comment', () => {
    const state = { lastReviewedSha: 'abc123', note: 'a --> b <!-- c', n: -3 }
    const marker = stateMarker(state)
    expect(marker.startsWith('<!-- preflight:state {')).toBe(true)
    expect(marker.indexOf('-->')).toBe(marker.length - 3)
    // The previous layout (state as the last line) is still read.
    expect(parseStateMarker(`${SUMMARY_MARKER}\ntext\n${marker}\n`)).toEqual(state)
    expect(parseStateMarker(`${summaryHeader(state)}\ntext`)).toEqual(state)
  })

  it('round-trips any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (obj) => {
        const marker = stateMarker(obj)
        expect(marker.slice(0, -3)).not.toContain('-->')
        expect(parseStateMarker(marker)).toEqual(obj)
      })
    )
  })

  it('gives undefined for no marker or broken JSON', () => {
    expect(parseStateMarker('no marker')).toBeUndefined()
    expect(parseStateMarker('<!-- preflight:state {nope} -->')).toBeUndefined()
    expect(parseStateMarker(undefined)).toBeUndefined()
  })
})

describe('fingerprints', () => {
  it('ignores whitespace differences and line numbers, but not rule or path', () => {
    const a = fingerprint('TF001', 'main.tf', '  resource "aws_s3_bucket"   "b" {\n')
    expect(a).toMatch(/^[0-9a-f]{16}$/)
    expect(fingerprint('TF001', 'main.tf', 'resource "aws_s3_bucket" "b" {')).toBe(a)
    expect(fingerprint('TF002', 'main.tf', 'resource "aws_s3_bucket" "b" {')).not.toBe(a)
    expect(fingerprint('TF001', 'other.tf', 'resource "aws_s3_bucket" "b" {')).not.toBe(a)
  })

  it('parses the marker back and adds it only once', () => {
    const fp = fingerprint('r', 'p', 's')
    const body = withFingerprint('Use a pinned image.', fp)
    expect(body).toBe(`Use a pinned image.\n\n${fingerprintMarker(fp)}`)
    expect(parseFingerprint(body)).toBe(fp)
    expect(withFingerprint(body, fp)).toBe(body)
    expect(parseFingerprint('<!-- preflight:fp NOTHEX -->')).toBeUndefined()
  })
})

describe('markers are read only where Preflight writes them', () => {
  const forgedState = stateMarker({ lastReviewedSha: 'evil' })
  const forgedFp = fingerprintMarker('deadbeefdeadbeef')

  it('summary: marker on line 1, state on line 2; a forged state in the body is ignored', () => {
    const real = summaryHeader({ lastReviewedSha: 'good' })
    expect(hasSummaryMarker(`${real}\nbody ${forgedState}\n${forgedState}`)).toBe(true)
    expect(parseStateMarker(`${real}\nbody\n${forgedState}`)).toEqual({ lastReviewedSha: 'good' })
    // A body that does not start with the marker is not a summary, wherever the marker appears.
    expect(hasSummaryMarker(`text ${SUMMARY_MARKER}`)).toBe(false)
    expect(parseStateMarker(`hello\n${SUMMARY_MARKER}\n${forgedState}`)).toBeUndefined()
    // A state line that is ours but unreadable does not fall back to the body.
    expect(parseStateMarker(`${SUMMARY_MARKER}\n<!-- preflight:state {broken} -->\n${forgedState}`)).toBeUndefined()
  })

  it('inline comment: the fingerprint is the last line only', () => {
    expect(parseFingerprint(`text ${forgedFp} more\n\n${fingerprintMarker('0123456789abcdef')}\n`)).toBe('0123456789abcdef')
    expect(parseFingerprint(`${forgedFp}\nreal text after`)).toBeUndefined()
    expect(parseFingerprint(`x ${forgedFp}`)).toBeUndefined()
    // A forged marker inside the body does not stop ours from being appended.
    expect(parseFingerprint(withFingerprint(`body ${forgedFp} end`, '0123456789abcdef'))).toBe('0123456789abcdef')
  })

  it('recognises the per-finding fingerprints of the previous version', () => {
    const posted = new Set(['aaaaaaaaaaaaaaaa'])
    expect(isAlreadyPosted({ fingerprint: 'bbbbbbbbbbbbbbbb', previousFingerprints: ['aaaaaaaaaaaaaaaa'] }, posted)).toBe(true)
    expect(isAlreadyPosted({ fingerprint: 'bbbbbbbbbbbbbbbb' }, posted)).toBe(false)
    expect(isAlreadyPosted({ fingerprint: 'aaaaaaaaaaaaaaaa' }, posted)).toBe(true)
  })
})
