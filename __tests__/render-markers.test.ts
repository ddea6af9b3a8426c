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
  stripMarkers,
  withFingerprint
} from '../src/render/markers.js'

describe('state marker', () => {
  it('round-trips JSON, with -->, < and > in strings that cannot close the comment', () => {
    const state = { lastReviewedSha: 'abc123', note: 'a --> b <!-- c', n: -3 }
    const marker = stateMarker(state)
    expect(marker.startsWith('<!-- preflight:state {')).toBe(true)
    expect(marker.indexOf('-->')).toBe(marker.length - 3)
    expect(parseStateMarker(`${SUMMARY_MARKER}\ntext\n${marker}\nmore`)).toEqual(state)
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

describe('stripMarkers', () => {
  it('removes our markers and any HTML comment from untrusted text', () => {
    const text = `title ${SUMMARY_MARKER} and <!-- preflight:fp deadbeefdeadbeef --> <!-- hi -->end`
    const out = stripMarkers(text)
    expect(out).toBe('title  and  end')
    expect(hasSummaryMarker(out)).toBe(false)
  })

  it('cannot be tricked by nesting or an unterminated comment', () => {
    expect(stripMarkers('<!<!-- x -->-- preflight:summary -->')).not.toContain('<!--')
    expect(hasSummaryMarker(stripMarkers('<!<!-- x -->-- preflight:summary -->'))).toBe(false)
    expect(stripMarkers('ok <!-- preflight:summary')).toBe('ok ')
  })

  it('never leaves a comment opener, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('<!--', '-->', '<!', '--', '>', 'x', ' preflight:summary ', '\n')), (parts) => {
        expect(stripMarkers(parts.join(''))).not.toContain('<!--')
      })
    )
  })
})
