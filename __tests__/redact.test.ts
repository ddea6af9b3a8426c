import fc from 'fast-check'
import { maskSecret, redact, redactDeep } from '../src/render/redact.js'
import { growthRatio } from './helpers/growth.js'

const AWS_KEY_ID = ['AKIA', 'QX7V', 'M2PL', 'R9TB', 'K4HZ'].join('')
const GITHUB_TOKEN = 'ghp_' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nVJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDu'
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`

describe('maskSecret', () => {
  it('keeps at most 4 characters and never more than a quarter', () => {
    expect(maskSecret(AWS_KEY_ID)).toBe('AKIA****')
    expect(maskSecret(GITHUB_TOKEN)).toBe('ghp_****')
    expect(maskSecret('abcdefghijkl')).toBe('abc****')
    expect(maskSecret('abcdefg')).toBe('a****')
    expect(maskSecret('abc')).toBe('****')
    expect(maskSecret('')).toBe('****')
  })
  it('masks the same secret the same way, whatever its length', () => {
    expect(maskSecret('s3cr3t-value-one')).toBe(maskSecret('s3cr3t-value-one'))
    expect(maskSecret('s3cr3t-value-one').length).toBe(maskSecret('s3cr3t-value-one-and-much-longer').length)
  })
})

describe('redact', () => {
  it('masks every occurrence of a known value, and its URL-encoded and JSON-escaped forms', () => {
    const secret = 'p@ss w/"quote"!x'
    const text = `a ${secret} b ${secret} c ${encodeURIComponent(secret)} d ${JSON.stringify({ s: secret })}`
    const out = redact(text, [secret])
    expect(out).not.toContain(secret)
    expect(out).not.toContain(encodeURIComponent(secret))
    expect(out).not.toContain(JSON.stringify(secret).slice(1, -1))
    expect(out.startsWith('a p@ss**** b p@ss**** c ')).toBe(true)
  })

  it('masks the longest known value first, overlapping ones as one', () => {
    const out = redact('key=longersecretvalue123', ['secretvalue', 'longersecretvalue123'])
    expect(out).toBe('key=long****')
  })

  it('masks short known values only as whole words', () => {
    expect(redact('user root logged in; rootfs untouched', ['root'])).toBe('user r**** logged in; rootfs untouched')
    expect(redact('pw abc here', ['abc'])).toBe('pw abc here')
  })

  it('masks credential shapes without being told about them', () => {
    const text = [
      `id ${AWS_KEY_ID} in text`,
      `token=${GITHUB_TOKEN}`,
      PEM,
      'url postgres://app:Tr0ub4dor3@db:5432/x and redis://:r3disPa55@cache:6379',
      'config password: "hunter2hunter" and api_key=zx81kk29qq77ab'
    ].join('\n')
    const out = redact(text)
    expect(out).toContain(`id AKIA**** in text`)
    expect(out).toContain('token=ghp_****')
    expect(out).toContain('-----BEGIN RSA PRIVATE KEY----- [redacted] -----END RSA PRIVATE KEY-----')
    expect(out).toContain('postgres://app:Tr****@db:5432/x')
    expect(out).toContain('redis://:r3****@cache')
    expect(out).toContain('password: "hun****"')
    expect(out).toContain('api_key=zx8****')
    for (const s of [AWS_KEY_ID, GITHUB_TOKEN, PEM_BODY.slice(0, 20), 'Tr0ub4dor3', 'r3disPa55', 'hunter2hunter', 'zx81kk29qq77ab']) expect(out).not.toContain(s)
  })

  it('masks a private key even when it is cut off or JSON-escaped', () => {
    expect(redact(`-----BEGIN PRIVATE KEY-----\n${PEM_BODY}`)).toBe('-----BEGIN PRIVATE KEY----- [redacted]')
    const escaped = JSON.stringify({ key: PEM })
    expect(redact(escaped)).toBe('{"key":"-----BEGIN RSA PRIVATE KEY----- [redacted] -----END RSA PRIVATE KEY-----"}')
  })

  it('leaves ordinary text alone', () => {
    const text = [
      'commit 3f786850e387550fdab836ed7e6dc881de23001b',
      'id 123e4567-e89b-12d3-a456-426614174000',
      '<!-- data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg== -->',
      'The password policy requires 14 characters; rotate the secret yearly.',
      'password: ${DB_PASSWORD} and token: {{ .Values.token }} and api_key = var.api_key',
      'see https://example.com:8443/path and git@github.com:org/repo.git',
      'password: <password>, secret: changeme',
      'Hard-coded password: literal value for `password`; the token: see the vault'
    ].join('\n')
    expect(redact(text)).toBe(text)
  })

  it('is idempotent on the examples above', () => {
    const text = `x ${AWS_KEY_ID} ${GITHUB_TOKEN}\n${PEM}\npostgres://a:Tr0ub4dor3@h password="hunter2hunter"`
    const once = redact(text, ['Tr0ub4dor3', 'hunter2hunter'])
    expect(redact(once, ['Tr0ub4dor3', 'hunter2hunter'])).toBe(once)
  })

  it('takes time proportional to the text on large texts', async () => {
    const ordinary = 'line with ordinary words, a sha 3f786850e387550fdab836ed7e6dc881de23001b and a url https://example.com/x\n'
    const chunk = ordinary.repeat(50) + `key ${AWS_KEY_ID} password: "hunter2hunter"\n`
    const text = chunk.repeat(500) // about 2.5 MB
    const secrets = Array.from({ length: 50 }, (_, i) => `known-secret-value-${i}-xyz`)
    const half = chunk.repeat(250)
    // Twice the text, about twice the time (absolute times are the bench's business).
    expect(await growthRatio(() => redact(half, secrets), () => redact(text, secrets), { rounds: 3 })).toBeLessThanOrEqual(3)
    expect(redact(text, secrets)).not.toContain(AWS_KEY_ID)
  })
})

describe('redactDeep', () => {
  it('redacts strings at any depth, keeps other values, and does not touch the input', () => {
    const input = {
      findings: [{ message: 'literal value', line: 3, ok: true, body: `uses ${GITHUB_TOKEN}` }],
      nested: { deeper: ['s3cr3t-value-one', null, 7] },
      when: new Date(0)
    }
    const out = redactDeep(input, ['s3cr3t-value-one'])
    expect(out).toEqual({
      findings: [{ message: 'literal value', line: 3, ok: true, body: 'uses ghp_****' }],
      nested: { deeper: ['s3cr****', null, 7] },
      when: new Date(0)
    })
    expect(input.findings[0].body).toContain(GITHUB_TOKEN)
  })
})

// ── properties ─────────────────────────────────────────────────────────────────────────────

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const charsFrom = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''))

const awsKeyId = charsFrom(UPPER_DIGITS, 16, 16).map((s) => 'AKIA' + s)
const ghToken = charsFrom(ALNUM, 36, 36).map((s) => 'ghp_' + s)
const randomSecret = charsFrom(ALNUM + '-_.!@#$%^&/+=', 12, 64)
const secretArb = fc.oneof(awsKeyId, ghToken, randomSecret)
/** Text around the secret: anything, including unicode, quotes, newlines and mask characters. */
const noise = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom('', ' ', '\n', '"', '*', '****', '@', ':', 'password=', 'token: "', 'https://u:', '-----BEGIN PRIVATE KEY-----\n', '\n-----END PRIVATE KEY-----'))

describe('properties', () => {
  it('a known secret embedded anywhere never survives redact', () => {
    fc.assert(
      fc.property(secretArb, fc.array(noise, { minLength: 1, maxLength: 5 }), fc.nat(), (secret, parts, at) => {
        const i = at % (parts.length + 1)
        const text = [...parts.slice(0, i), secret, ...parts.slice(i)].join('')
        expect(redact(text, [secret])).not.toContain(secret)
      }),
      { numRuns: 500 }
    )
  })

  it('redactDeep never leaves a known secret in nested objects', () => {
    const tree = (secret: string) =>
      fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          fc.tuple(noise, noise).map(([a, b]) => `${a}${secret}${b}`),
          noise,
          fc.integer(),
          fc.array(tie('node'), { maxLength: 4 }),
          fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 4 })
        )
      })).node
    fc.assert(
      fc.property(secretArb.chain((s) => fc.tuple(fc.constant(s), tree(s))), ([secret, value]) => {
        expect(JSON.stringify(redactDeep(value, [secret])) ?? '').not.toContain(JSON.stringify(secret).slice(1, -1))
      }),
      { numRuns: 300 }
    )
  })

  it('redact is idempotent', () => {
    fc.assert(
      fc.property(secretArb, fc.array(fc.oneof(noise, secretArb), { maxLength: 6 }), (secret, parts) => {
        const text = parts.join('') + secret + parts.reverse().join(' ')
        const once = redact(text, [secret])
        expect(redact(once, [secret])).toBe(once)
        expect(redact(once)).toBe(once)
      }),
      { numRuns: 500 }
    )
  })
})
