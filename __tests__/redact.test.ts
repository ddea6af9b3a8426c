import fc from 'fast-check'
import { isStrongSecret, matchesCredentialShape, mayHoldCredentialShape, maskSecret, redact, redactDeep, redactedJson, redactionWork, redactPatch, redactSource } from '../src/redact.js'
import type { SecretLocation } from '../src/types.js'
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

/** Locations of `values` in a file `path`, all on `line`. */
const located = (path: string, line: number, ...values: string[]): SecretLocation[] => values.map((value) => ({ path, line, column: 0, value }))

describe('strong and weak values', () => {
  it.each(['hunter2hunter', 'S3cr3t!pass', 'p@ss/w"q"!x9', 'zx81kk29qq77ab', 'wJ8rXUtnFEMI/K7MDENG'])('%s is masked everywhere', (v) => expect(isStrongSecret(v)).toBe(true))
  it.each(['postgres', 'root', 'value', 'gitea-postgres', 'password123', 'mysecretpassword', 'admin', 'changeme', 'two words here'])('%s is only masked at its location', (v) =>
    expect(isStrongSecret(v)).toBe(false)
  )
})

describe('redact', () => {
  it('masks every occurrence of a strong value, and its URL-encoded and JSON-escaped forms', () => {
    const secret = 'p@ss/w"quote"!x9'
    const text = `a ${secret} b ${secret} c ${encodeURIComponent(secret)} d ${JSON.stringify({ s: secret })}`
    const out = redact(text, located('a.env', 1, secret))
    expect(out).not.toContain(secret)
    expect(out).not.toContain(encodeURIComponent(secret))
    expect(out).not.toContain(JSON.stringify(secret).slice(1, -1))
    expect(out.startsWith('a p@ss**** b p@ss**** c ')).toBe(true)
  })

  it('masks the longest strong value first, overlapping ones as one', () => {
    expect(redact('key: longer-S3cret-value-9 done', located('a.yml', 1, 'S3cret-value-9', 'longer-S3cret-value-9'))).toBe('key: long**** done')
  })

  it('never masks a short or word-like value outside its own line: paths, rule ids and messages stay intact', () => {
    const secrets = [...located('gitea-postgres/compose.yaml', 5, 'postgres'), ...located('k8s/pod.yaml', 3, 'root'), ...located('x.env', 1, 'value')]
    const text = 'gitea-postgres/compose.yaml:5 k8s/run-as-non-root-not-set: the value of `runAsNonRoot` is not set for user root'
    expect(redact(text, secrets)).toBe(text)
  })
})

describe('positional redaction of source text', () => {
  const secrets = [...located('gitea-postgres/compose.yaml', 5, 'postgres'), ...located('k8s/pod.yaml', 3, 'root')]

  it('masks a value at its own line of its own file, and nowhere else', () => {
    const source = ['services:', '  db:', '    image: postgres:16', '    environment:', '      DB_AUTH: postgres', '      POSTGRES_USER: postgres'].join('\n')
    const out = redactSource('gitea-postgres/compose.yaml', source, secrets, 1).split('\n')
    expect(out[2]).toBe('    image: postgres:16')
    expect(out[4]).toBe('      DB_AUTH: po****')
    expect(out[5]).toBe('      POSTGRES_USER: postgres')
    // Another file with the same word is left alone.
    expect(redactSource('other/compose.yaml', source, secrets, 1)).toBe(source)
  })

  it('follows new-side line numbers through a diff; deleted lines are masked by whole token', () => {
    const patch = ['@@ -1,3 +1,3 @@', ' apiVersion: v1', '-  password: root', '+  user: root', '+  runAsNonRoot: true', ' # rootfs is read-only'].join('\n')
    const out = redactPatch('k8s/pod.yaml', patch, [...secrets, ...located('k8s/pod.yaml', 2, 'root')])?.split('\n')
    expect(out).toEqual(['@@ -1,3 +1,3 @@', ' apiVersion: v1', '-  password: r****', '+  user: r****', '+  runAsNonRoot: true', ' # rootfs is read-only'])
  })

  it('without a line, masks the file\'s values as whole tokens only', () => {
    expect(redactSource('k8s/pod.yaml', 'user: root # rootfs', secrets)).toBe('user: r**** # rootfs')
  })
})

describe('credential shapes', () => {
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

  it('masks command-line and header credentials, only after their command', () => {
    const text = [
      'curl -fsS -u deploy:Zq7x-R4p!w https://x.internal',
      'mysql -uroot -pZq7xR4pw -e "select 1"',
      'docker run -u root:root -p 8080:80 app',
      'mkdir -p/var/lib/app',
      `run -p"${GITHUB_TOKEN}"`,
      'curl -H "Authorization: Bearer Zq7x.R4p-w9" https://x.internal',
      'psql --db-password=Zq7x-R4p!w'
    ].join('\n')
    expect(redact(text).split('\n')).toEqual([
      `curl -fsS -u deploy:${maskSecret('Zq7x-R4p!w')} https://x.internal`,
      `mysql -uroot -p${maskSecret('Zq7xR4pw')} -e "select 1"`,
      'docker run -u root:root -p 8080:80 app',
      'mkdir -p/var/lib/app',
      'run -p"ghp_****"',
      `curl -H "Authorization: Bearer ${maskSecret('Zq7x.R4p-w9')}" https://x.internal`,
      `psql --db-password=${maskSecret('Zq7x-R4p!w')}`
    ])
  })

  it('masks a literal URL password in any scheme and wherever the URL stands, and leaves references and placeholders', () => {
    const cases: Array<[string, string]> = [
      ['https://user:Zq7xR4pw9k@git.example/x.git', `https://user:${maskSecret('Zq7xR4pw9k')}@git.example/x.git`],
      ['redis://:%24ecr3tZq7@cache', `redis://:${maskSecret('%24ecr3tZq7')}@cache`],
      ['http://a:b@c', `http://a:${maskSecret('b')}@c`],
      ['{"url":"postgres://app:Tr0ub4dor3@db"}', `{"url":"postgres://app:${maskSecret('Tr0ub4dor3')}@db"}`],
      ['see postgres://app:Tr0ub4dor3@db.', `see postgres://app:${maskSecret('Tr0ub4dor3')}@db.`],
      // Read at run time or written as a placeholder: nothing to mask, and masking would hide the fix.
      ['postgres://app:${DB_PASSWORD}@db:5432/x', 'postgres://app:${DB_PASSWORD}@db:5432/x'],
      ['mongodb://root:$(cat /run/pw)@m', 'mongodb://root:$(cat /run/pw)@m'],
      ['mysql://u:{{ .Values.pw }}@db', 'mysql://u:{{ .Values.pw }}@db'],
      ['amqp://guest:<password>@mq', 'amqp://guest:<password>@mq'],
      ['ftp://anonymous:@host', 'ftp://anonymous:@host']
    ]
    for (const [text, expected] of cases) {
      expect(redact(text)).toBe(expected)
      expect(redact(expected)).toBe(expected)
    }
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
    const known = located('a.env', 1, 'Tr0ub4dor3', 'hunter2hunter')
    const text = `x ${AWS_KEY_ID} ${GITHUB_TOKEN}\n${PEM}\npostgres://a:Tr0ub4dor3@h password="hunter2hunter"`
    const once = redact(text, known)
    expect(redact(once, known)).toBe(once)
  })

  it('takes time proportional to the text on large texts', async () => {
    const ordinary = 'line with ordinary words, a sha 3f786850e387550fdab836ed7e6dc881de23001b and a url https://example.com/x\n'
    const chunk = ordinary.repeat(50) + `key ${AWS_KEY_ID} password: "hunter2hunter"\n`
    const text = chunk.repeat(500) // about 2.5 MB
    const secrets = Array.from({ length: 50 }, (_, i) => located('a.env', i + 1, `known-secret-value-${i}-xyz`)).flat()
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
    const out = redactDeep(input, located('a.env', 1, 's3cr3t-value-one'))
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
const randomSecret = charsFrom(ALNUM + '-_.!@#$%^&/+=', 12, 64).filter(isStrongSecret)
/** Strong values: the ones masked wherever they appear (weak ones are masked at their line). */
const secretArb = fc.oneof(awsKeyId, ghToken, randomSecret).filter(isStrongSecret)
/** Text around the secret: anything, including unicode, quotes, newlines and mask characters. */
const noise = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom('', ' ', '\n', '"', '*', '****', '@', ':', 'password=', 'token: "', 'https://u:', '-----BEGIN PRIVATE KEY-----\n', '\n-----END PRIVATE KEY-----', '--token ', 'curl ', '-u ', '-p', 'Authorization: '))

/**
 * Nested arrays and objects whose strings hold `secret` among noise. With `odd`: also null,
 * undefined, booleans and Dates, own `__proto__` and prototype-named keys (as JSON.parse makes
 * them), null-prototype objects and arrays with holes.
 */
const nestedWith = (secret: string, odd = false): fc.Arbitrary<unknown> => {
  const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toJSON', '0', '10', 'message'))
  return fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.tuple(noise, noise).map(([a, b]) => `${a}${secret}${b}`),
      noise,
      fc.integer(),
      fc.array(tie('node'), { maxLength: 4 }),
      ...(odd
        ? [
            fc.constantFrom(null, undefined, true, new Date(0)),
            fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).map((entries) => {
              const o: Record<string, unknown> = JSON.parse('{"__proto__": 1}')
              if (entries.length % 2) delete o.__proto__
              for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
              return o
            }),
            fc.dictionary(key, tie('node'), { maxKeys: 3 }).map((d) => Object.assign(Object.create(null), d)),
            fc.array(tie('node'), { maxLength: 3 }).map((a) => {
              const holes = [...a]
              holes.length += 2
              return holes
            })
          ]
        : [fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 4 })])
    )
  })).node
}

describe('properties', () => {
  it('a known secret embedded anywhere never survives redact', () => {
    fc.assert(
      fc.property(secretArb, fc.array(noise, { minLength: 1, maxLength: 5 }), fc.nat(), (secret, parts, at) => {
        const i = at % (parts.length + 1)
        const text = [...parts.slice(0, i), secret, ...parts.slice(i)].join('')
        expect(redact(text, located('p.env', 1, secret))).not.toContain(secret)
      }),
      { numRuns: 500 }
    )
  })

  it('a known secret with non-ASCII characters never survives redact, in any of its echoed forms', () => {
    const letters = [...'aZ9-_é€ßЖ\u{1F511}✓', ...ALNUM]
    const wide = fc.array(fc.constantFrom(...letters), { minLength: 10, maxLength: 30 }).map((a) => a.join('')).filter(isStrongSecret)
    fc.assert(
      fc.property(wide, fc.array(noise, { minLength: 1, maxLength: 4 }), fc.nat(), (secret, parts, at) => {
        const i = at % (parts.length + 1)
        for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) {
          const text = [...parts.slice(0, i), form, ...parts.slice(i)].join('')
          expect(redact(text, located('p.env', 1, secret))).not.toContain(form)
        }
      }),
      { numRuns: 500 }
    )
  })

  it('redactDeep never leaves a known secret in nested objects', () => {
    fc.assert(
      fc.property(secretArb.chain((s) => fc.tuple(fc.constant(s), nestedWith(s))), ([secret, value]) => {
        expect(JSON.stringify(redactDeep(value, located('p.env', 1, secret))) ?? '').not.toContain(JSON.stringify(secret).slice(1, -1))
      }),
      { numRuns: 300 }
    )
  })

  it('redactedJson masks at any depth, in null-prototype objects too, and leaves the input as it was', () => {
    const dictionary = Object.assign(Object.create(null) as Record<string, unknown>, { token: `uses ${GITHUB_TOKEN}` })
    const input = { findings: [{ message: 'literal value', line: 3 }, { body: [`x ${AWS_KEY_ID}`] }], dictionary, when: new Date(0) }
    expect(JSON.parse(redactedJson(input, []))).toEqual({ findings: [{ message: 'literal value', line: 3 }, { body: ['x AKIA****'] }], dictionary: { token: 'uses ghp_****' }, when: '1970-01-01T00:00:00.000Z' })
    expect(input.findings[1]!.body![0]).toContain(AWS_KEY_ID)
  })

  it('redactedJson writes the JSON of redactDeep, and leaves the input as it was', () => {
    fc.assert(
      fc.property(secretArb.chain((s) => fc.tuple(fc.constant(s), nestedWith(s, true), nestedWith(s, true))), ([secret, value, other]) => {
        const secrets = located('p.env', 1, secret)
        // A part held twice (as findings share their rule's remediation object) writes twice.
        const whole = { value, again: value, other, list: [other, value] }
        // The text written, or the error thrown (a `__proto__` key holding a Date makes a copy a Date that is none).
        const outcome = (write: () => string) => {
          try {
            return write()
          } catch (e) {
            return `throws ${(e as Error).name}`
          }
        }
        const before = outcome(() => JSON.stringify(whole))
        expect(outcome(() => redactedJson(whole, secrets, 2))).toBe(outcome(() => JSON.stringify(redactDeep(whole, secrets), null, 2)))
        expect(outcome(() => redactedJson(whole, secrets))).toBe(outcome(() => JSON.stringify(redactDeep(whole, secrets))))
        expect(outcome(() => JSON.stringify(whole))).toBe(before)
        expect(outcome(() => redactedJson(whole, secrets))).not.toContain(JSON.stringify(secret).slice(1, -1))
      }),
      { numRuns: 400 }
    )
  })

  it('any value, however short or common, never survives the echo of its own line', () => {
    const anyValue = fc.string({ minLength: 1, maxLength: 30 }).filter((v) => v.trim() === v && v.length > 0 && !v.includes('\n') && !v.includes('*'))
    fc.assert(
      fc.property(anyValue, noise, noise, fc.integer({ min: 1, max: 50 }), (value, before, after, line) => {
        const text = `${before.replace(/\n/g, ' ')}${value}${after.replace(/\n/g, ' ')}`
        const out = redactSource('f.yaml', `above\n${text}\nbelow`, located('f.yaml', line, value), line - 1).split('\n')
        expect(out[1]).not.toContain(value)
      }),
      { numRuns: 500 }
    )
  })

  it('a token run into the name of a flag whose value is masked is masked in the same pass', () => {
    // Found by the property below: the flag's head was kept whole, so the token showed up only on a second pass.
    const token = 'ghp_' + 'A'.repeat(26) + '3' + 'A'.repeat(9)
    const text = `-${token}password=:*#-]AKIA9AGARA6A0A2AQAAI*#-]`
    const once = redact(text)
    expect(once).not.toContain(token)
    expect(redact(once)).toBe(once)
    const url = redact(`https://${token}:Xq7rT2vLp9Kd@example.com/repo.git`)
    expect(url).not.toContain(token)
    expect(url).not.toContain('Xq7rT2vLp9Kd')
    // Only tokens are masked in a head: a header's own words are no value of their own.
    expect(redact('Authorization: Token token="Zq8sLm3nP0vR7tYwK2"')).toBe('Authorization: Token token="Zq8s****"')
    expect(redact('curl -u token=Zq8sLm3nP0vR7tYw:hunter2xZ9 https://example.com')).toContain('-u token=Zq8sLm3nP0vR7tYw:')
  })

  it('a shape that a mask uncovers is masked in the same call', () => {
    // Found by the property below: after `ghp_****` the flag no longer follows a word character.
    const token = 'ghp_' + 'A'.repeat(30) + '7' + 'A'.repeat(5)
    const once = redact(`${token}--token Zq8sLm3nP0vR7tYw "x"`)
    expect(once).not.toContain('Zq8sLm3nP0vR7tYw')
    expect(redact(once)).toBe(once)
    // Markdown bold around a flag is still read as the flag.
    expect(redact('**--password Zq8sLm3nP0vR7tYw**')).not.toContain('Zq8sLm3nP0vR7tYw')
  })

  it('redact is idempotent', () => {
    fc.assert(
      fc.property(secretArb, fc.array(fc.oneof(noise, secretArb), { maxLength: 6 }), (secret, parts) => {
        const text = parts.join('') + secret + parts.reverse().join(' ')
        const once = redact(text, located('p.env', 1, secret))
        expect(redact(once, located('p.env', 1, secret))).toBe(once)
        expect(redact(once)).toBe(once)
      }),
      { numRuns: 500 }
    )
  })
})

// ── the pre-test that spares text without credential shapes the full expression ────────────

describe('credential-shape pre-test', () => {
  const b64 = 'QmFzZTY0Ym9keVRleHQxMjM0NTY3ODkwYWJjZGVm'
  // One example of every shape (tokens assembled at run time: no literal token in the repository).
  const examples = [
    `${AWS_KEY_ID}`,
    GITHUB_TOKEN,
    'github_pat_' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ',
    'glpat-' + 'aB3dE6gH9jK2mN5pQ8sT1',
    'xoxb-' + '1234567890-aB3dE6gH9j',
    'https://hooks.slack.com/services/' + 'T0000000/B0000000/aB3dE6gH9jK2mN5pQ8sT1',
    'sk_live_' + 'aB3dE6gH9jK2mN5pQ8sT',
    'AIza' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'.slice(0, 35),
    'ya29.' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3',
    '0123456789abcdef0123456789abcdef' + '-us12',
    'eyJ' + 'aB3dE6gH9jK2' + '.eyJ' + 'aB3dE6gH9jK2' + '.' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6aB3dE6gH',
    PEM,
    `-----BEGIN PRIVATE KEY-----\\n${b64}`,
    `Private-Lines: 2\n${b64}\n${b64}`,
    'postgres://app:Tr0ub4dor3@db:5432/x',
    'Authorization: Bearer Zq7x.R4p-w9',
    'curl -u deploy:Zq7x-R4p!w https://x',
    'mysql -pZq7xR4pw',
    'psql --db-password=Zq7x-R4p!w',
    `{"auth": "${Buffer.from('user:Zq7xR4pw').toString('base64')}"}`,
    `AccountKey=${b64}${b64}==`,
    'DB_PASSWORD: "hunter2hunter"',
    "Api-Key='zx81kk29qq77ab'"
  ]

  it('lets every example of every shape through, and the example is masked', () => {
    for (const example of examples) {
      expect({ example, through: mayHoldCredentialShape(example), matches: matchesCredentialShape(example) }).toEqual({ example, through: true, matches: true })
      expect(redact(`x ${example} y`)).not.toBe(`x ${example} y`)
    }
  })

  it('lets every example through wherever it stands, when it still matches there', () => {
    for (const example of examples) {
      for (const [before, after] of [['x', 'x'], ['_', ''], ['-', '-'], ['*', '*'], ['"', '"'], ['\n', '\n'], ['aa', ' bb']]) {
        const text = before + example + after
        expect({ text, through: mayHoldCredentialShape(text) || !matchesCredentialShape(text) }).toEqual({ text, through: true })
      }
    }
  })

  it('turns away ordinary paths, rule ids and messages', () => {
    for (const text of ['services/svc-12/k8s/deployment.yaml', 'k8s/run-as-root', 'Container `web` runs as root; set runAsNonRoot: true', 'aws_s3_bucket.logs has no encryption']) {
      expect(mayHoldCredentialShape(text)).toBe(false)
    }
  })

  it('never turns away text the full expression matches', () => {
    // Pieces of the examples, whole and cut anywhere, with separators, case changes and noise,
    // so near-misses, partial needs and shapes straddling pieces are all common.
    const pieces = [...examples, 'password', 'PassWd', 'SECRET', 'token', 'Api-Key', 'private_key', 'Credential', 'ConnectionString', 'authorization', 'Bearer ', 'basic ', '"auth"', 'SharedAccessKey=', '://', '@', ':', '=', ' ', '\t', '\n', '"', "'", '-', '--', '-u', '-p', '_', '.', '/', 'curl ', 'mysql ', '-----BEGIN ', 'PRIVATE KEY-----', 'Zq7xR4pw9K', b64, 'x', 'A', '*']
    const piece = fc.oneof(
      fc.constantFrom(...pieces),
      fc.tuple(fc.constantFrom(...pieces), fc.nat(), fc.nat()).map(([p, i, j]) => p.slice(Math.min(i, j) % (p.length + 1), Math.max(i, j) % (p.length + 1) || undefined)),
      fc.constantFrom(...pieces).map((p) => p.toUpperCase()),
      fc.string({ maxLength: 6 })
    )
    let matched = 0
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (parts) => {
        const text = parts.join('')
        const matches = matchesCredentialShape(text)
        if (matches) matched++
        // The pre-test may let through text that holds no shape, never the other way round.
        expect({ text, through: mayHoldCredentialShape(text) || !matches }).toEqual({ text, through: true })
      }),
      { numRuns: 4000 }
    )
    expect(matched).toBeGreaterThan(1000)
  })
})

// ── cost ───────────────────────────────────────────────────────────────────────────────────

/** Best of several runs, in milliseconds: the least disturbed by the rest of the machine. */
function timeOf(run: () => void, repeats = 9): number {
  let best = Infinity
  for (let i = 0; i < repeats; i++) {
    const started = performance.now()
    run()
    best = Math.min(best, performance.now() - started)
  }
  return best
}

/** Work counted by the redactor while `run` runs. */
function workOf(run: () => void): { scanned: number; compared: number } {
  const before = redactionWork()
  run()
  const after = redactionWork()
  return { scanned: after.scanned - before.scanned, compared: after.compared - before.compared }
}

describe('redaction cost', () => {
  const ordinary = 'line with ordinary words, a sha 3f786850e387550fdab836ed7e6dc881de23001b and a url https://example.com/x\n'
  const chunk = ordinary.repeat(20) + `key ${AWS_KEY_ID} password: "hunter2hunter" and Kn0wn-s3cret-7-xyz\n`
  const locations = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `f${i}.env`, line: 1, column: 0, value: `Kn0wn-s3cret-${i}-xyz` }))

  it('grows with the printed text, not faster', () => {
    const secrets = locations(50)
    const small = chunk.repeat(300)
    const large = chunk.repeat(600)
    redact(large, secrets) // warm up
    // Interleaved, so a busy moment on the machine weighs on both sizes alike; a super-linear
    // redactor fails every attempt, a noisy machine only some.
    const ratio = () => {
      let [tSmall, tLarge] = [Infinity, Infinity]
      for (let i = 0; i < 9; i++) {
        tSmall = Math.min(tSmall, timeOf(() => redact(small, secrets), 1))
        tLarge = Math.min(tLarge, timeOf(() => redact(large, secrets), 1))
      }
      return tLarge / tSmall
    }
    let best = ratio()
    for (let attempt = 1; attempt < 3 && best >= 3; attempt++) best = Math.min(best, ratio())
    expect(best).toBeLessThan(3)
    const w = [workOf(() => redact(small, secrets)), workOf(() => redact(large, secrets))]
    expect(w[1].scanned).toBe(2 * w[0].scanned)
    expect(w[1].compared).toBeLessThanOrEqual(2 * w[0].compared)
  })

  it.each(['-u a:', 'mkdir -paaaaaaaaaaaaaaaaaaaa ', 'docker run -u 1000:1000 ', 'password="<your-password>" ', 'Authorization: Bearer '])(
    'adversarial input %p: twice the text costs about twice the time',
    (unit) => {
      const small = unit.repeat(Math.ceil(200_000 / unit.length))
      const large = small + small
      redact(large)
      const ratio = () => {
        let [tSmall, tLarge] = [Infinity, Infinity]
        for (let i = 0; i < 5; i++) {
          tSmall = Math.min(tSmall, timeOf(() => redact(small), 1))
          tLarge = Math.min(tLarge, timeOf(() => redact(large), 1))
        }
        return tLarge / tSmall
      }
      let best = ratio()
      for (let attempt = 1; attempt < 3 && best >= 3; attempt++) best = Math.min(best, ratio())
      expect(best).toBeLessThan(3)
    }
  )

  it('does not grow with the number of known values', () => {
    const text = chunk.repeat(150)
    const few = workOf(() => redact(text, locations(10)))
    const many = workOf(() => redact(text, locations(2000)))
    expect(many.scanned).toBe(few.scanned)
    // Only values sharing a 4-character prefix with the text are ever compared.
    expect(many.compared).toBeLessThan(few.compared * 250)
    const sameBucket = workOf(() => redact(text, locations(2000).map((l, i) => ({ ...l, value: `Zq${i}-unrelated-S3cret` }))))
    expect(sameBucket.compared).toBe(0)
  })

  it('redacting a result object twice as big costs twice the work, whatever the number of values', () => {
    const result = (n: number) => ({ findings: Array.from({ length: n }, (_, i) => ({ path: `svc${i}/main.tf`, message: `finding ${i}: ${ordinary}`, line: i })) })
    const small = workOf(() => redactDeep(result(1500), locations(200)))
    const large = workOf(() => redactDeep(result(3000), locations(200)))
    const largeManyValues = workOf(() => redactDeep(result(3000), locations(5000)))
    expect(large.scanned / small.scanned).toBeLessThan(2.05)
    expect(largeManyValues.scanned).toBe(large.scanned)
    expect(largeManyValues.compared).toBeLessThanOrEqual(large.compared + 3000)
  })

  it('redacts a string repeated across a result once, and masks every copy', () => {
    const message = `set by curl -u admin:${'Zq9xYvB7pLm2Kd'} ${ordinary}`
    const result = (n: number) => ({ findings: Array.from({ length: n }, (_, i) => ({ ruleId: 'k8s/privileged', message, line: i })) })
    const one = workOf(() => redactDeep(result(1)))
    const many = workOf(() => redactDeep(result(3000)))
    expect(many.scanned).toBe(one.scanned)
    const out = redactDeep(result(50))
    expect(out.findings.every((f) => f.message.includes('admin:Zq9****') && !f.message.includes('Zq9xYvB7pLm2Kd'))).toBe(true)
  })
})
