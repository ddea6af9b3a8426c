import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { join } from 'node:path'
import { analyzeCompose, composeRules } from '../src/rules/compose/index.js'
import { Dockerfiles } from '../src/rules/compose/images.js'
import { ParseError } from '../src/rules/parse/yaml.js'
import { CATEGORIES, SEVERITIES, type Finding } from '../src/types.js'

const fixture = (name: string): string => readFileSync(join('__tests__', '__fixtures__', 'rules', 'compose', name), 'utf8')

const analyze = (content: string): Finding[] => analyzeCompose({ path: 'docker-compose.yml', kind: 'compose', content }) as Finding[]

const hits = (findings: Finding[]): string[] => findings.map((f) => `${f.ruleId}@${f.line}`).sort()

/** A service with every "missing" setting present, so one test can add a single problem. */
const CLEAN_SERVICE = `    image: app:1.0.0
    restart: unless-stopped
    healthcheck:
      test: ["CMD", "true"]
    deploy:
      resources:
        limits:
          cpus: "1"
          memory: 128M
`
const withService = (extra: string): string => `services:\n  app:\n${CLEAN_SERVICE}${extra}`
/** Lines 1-11 are the clean service; `extra` starts at line 12. */
const EXTRA_LINE = 12

describe('compose rule catalogue', () => {
  it('uses prefixed kebab-case ids and the shared vocabulary', () => {
    const ids = composeRules.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of composeRules) {
      expect(r.id).toMatch(/^compose\/[a-z0-9]+(-[a-z0-9]+)*$/)
      expect(r.kind).toBe('compose')
      expect(CATEGORIES).toContain(r.category)
      expect(SEVERITIES).toContain(r.severity)
    }
  })
})

describe('analyzeCompose on the bad fixture', () => {
  const findings = analyze(fixture('bad.yml'))

  it('reports every rule at its exact line', () => {
    expect(hits(findings)).toEqual(
      [
        'compose/no-healthcheck@2',
        'compose/no-memory-limit@2',
        'compose/no-cpu-limit@2',
        'compose/no-restart-policy@2',
        'compose/image-latest@3',
        'compose/privileged@4',
        'compose/network-mode-host@5',
        'compose/host-namespace@6',
        'compose/dangerous-capability@8',
        'compose/port-all-interfaces@11',
        'compose/port-all-interfaces@12',
        'compose/port-all-interfaces@13',
        'compose/port-all-interfaces@15',
        'compose/docker-socket@17',
        'compose/docker-socket@18',
        'compose/secret-in-environment@22',
        'compose/no-memory-limit@25',
        'compose/no-cpu-limit@25',
        'compose/no-restart-policy@25',
        'compose/image-latest@26',
        'compose/secret-in-environment@28',
        'compose/healthcheck-disabled@31'
      ].sort()
    )
  })

  it("takes category and severity from the rule's meta", () => {
    const meta = new Map(composeRules.map((r) => [r.id, r]))
    // `web` runs privileged (reported high on its own): its host network and added capabilities add no reach, so they are low.
    const lowered = new Set(['compose/network-mode-host@5'])
    for (const f of findings) {
      expect(meta.get(f.ruleId)?.category).toBe(f.category)
      // A capability added to the privileged service says so in its message.
      const capability = /\(low: it is also privileged, which grants every capability/.test(f.message)
      expect(lowered.has(`${f.ruleId}@${f.line}`) || capability ? 'low' : meta.get(f.ruleId)?.severity).toBe(f.severity)
    }
  })

  it('gives exact suggestions, keeping indentation', () => {
    const suggestions = Object.fromEntries(findings.filter((f) => f.suggestion !== undefined).map((f) => [`${f.ruleId}@${f.line}`, f.suggestion]))
    expect(suggestions).toEqual({
      'compose/privileged@4': '    privileged: false',
      'compose/port-all-interfaces@11': '      - "127.0.0.1:8080:80"',
      'compose/port-all-interfaces@12': '      - "127.0.0.1:8443:443"',
      'compose/port-all-interfaces@13': '      - "127.0.0.1::9000"',
      'compose/port-all-interfaces@15': '        published: 8081\n        host_ip: 127.0.0.1'
    })
  })

  it('never echoes a secret value', () => {
    const secrets = findings.filter((f) => f.ruleId === 'compose/secret-in-environment')
    expect(secrets.map((f) => f.category)).toEqual(['secrets', 'secrets'])
    for (const f of findings) {
      expect(f.message).not.toContain('fixture-Password')
      expect(f.message).not.toContain('fixture-Secret')
    }
  })
})

describe('analyzeCompose on the fixed fixture', () => {
  it('reports nothing, reading merge keys, same-file extends and skipping other-file extends', () => {
    expect(hits(analyze(fixture('good.yml')))).toEqual([])
  })
})

describe('single settings', () => {
  it('keeps a clean service quiet', () => {
    expect(hits(analyze(withService('')))).toEqual([])
  })

  it('flags `test: ["NONE"]` as a disabled healthcheck, not a missing one', () => {
    const content = 'services:\n  app:\n    image: app:1\n    restart: always\n    mem_limit: 1g\n    cpus: 1\n    healthcheck:\n      test: ["NONE"]\n'
    expect(hits(analyze(content))).toEqual(['compose/healthcheck-disabled@8'])
  })

  it('points a missing memory limit at the deepest deploy block present', () => {
    const content = 'services:\n  app:\n    image: app:1\n    restart: always\n    healthcheck: {test: [CMD, "true"]}\n    deploy:\n      resources:\n        reservations:\n          memory: 64M\n'
    expect(hits(analyze(content))).toEqual(['compose/no-cpu-limit@7', 'compose/no-memory-limit@7'])
  })

  it('accepts a Swarm restart_policy', () => {
    const content = 'services:\n  app:\n    image: app:1\n    healthcheck: {test: [CMD, "true"]}\n    deploy:\n      restart_policy:\n        condition: on-failure\n      resources:\n        limits: {cpus: "1", memory: 64M}\n'
    expect(hits(analyze(content))).toEqual([])
  })

  it('accepts ports bound to an address, in both syntaxes', () => {
    const extra = '    ports:\n      - "127.0.0.1:8080:80"\n      - "[::1]:8081:81/udp"\n      - "${BIND_IP}:8082:82"\n      - target: 83\n        host_ip: 10.0.0.5\n    expose:\n      - "9000"\n'
    expect(hits(analyze(withService(extra)))).toEqual([])
  })

  it('flags long-syntax ports without published port at the item', () => {
    const extra = '    ports:\n      - target: 80\n        protocol: tcp\n'
    const f = analyze(withService(extra))
    expect(hits(f)).toEqual([`compose/port-all-interfaces@${EXTRA_LINE + 1}`])
    expect(f[0].suggestion).toBeUndefined()
  })

  it('does not suggest for flow-style port lists', () => {
    const f = analyze(withService('    ports: ["8080:80", "9090:90"]\n'))
    expect(hits(f)).toEqual([`compose/port-all-interfaces@${EXTRA_LINE}`, `compose/port-all-interfaces@${EXTRA_LINE}`])
    expect(f.every((x) => x.suggestion === undefined)).toBe(true)
  })

  it('handles environment in list form, with and without values', () => {
    const extra = '    environment:\n      - DB_PASSWORD=${DB_PASSWORD}\n      - API_KEY\n      - JWT_SECRET=Literal-9x\n      - TOKEN_TTL=3600\n'
    expect(hits(analyze(withService(extra)))).toEqual([`compose/secret-in-environment@${EXTRA_LINE + 3}`])
  })

  it('flags cap_add ALL with the CAP_ prefix and ignores narrow capabilities', () => {
    const extra = '    cap_add: [NET_BIND_SERVICE, CAP_ALL]\n'
    expect(hits(analyze(withService(extra)))).toEqual([`compose/dangerous-capability@${EXTRA_LINE}`])
  })

  it('does not flag image tags on built images or interpolated references', () => {
    const content = 'services:\n  a:\n    build: .\n    image: mine\n  b:\n    image: ${REGISTRY}/b\n'
    expect(hits(analyze(content)).filter((h) => h.startsWith('compose/image-latest'))).toEqual([])
  })

  it('points a finding from a merged anchor at the anchor', () => {
    const content = 'x-priv: &priv\n  privileged: true\nservices:\n  app:\n    <<: [*priv]\n' + CLEAN_SERVICE
    const f = analyze(content)
    expect(hits(f)).toEqual(['compose/privileged@2'])
    expect(f[0].suggestion).toBe('  privileged: false')
  })

  it('reads the legacy v1 layout with services at the top level', () => {
    const content = 'web:\n  image: nginx:1.25\n  privileged: true\n'
    expect(hits(analyze(content))).toContain('compose/privileged@3')
  })
})

describe('services that need no healthcheck or restart policy', () => {
  const ids = (findings: Finding[]): string[] => hits(findings.filter((f) => f.ruleId === 'compose/no-healthcheck' || f.ruleId === 'compose/no-restart-policy'))
  it('exempts a one-shot seeder behind a profile and the sut test runner, but not a profiled service others depend on', () => {
    const content = `services:
  web:
    image: app:1.0.0
    depends_on: [cache]
  seed:
    image: seeder:1.0.0
    profiles: [seed]
  sut:
    build: ./tests
  cache:
    image: redis:7.2
    profiles: [full]
`
    expect(ids(analyze(content))).toEqual(['compose/no-healthcheck@2', 'compose/no-healthcheck@10', 'compose/no-restart-policy@2', 'compose/no-restart-policy@10'].sort())
  })
  it('does not ask a Swarm stack file for restart policies (Swarm restarts tasks by default)', () => {
    const content = 'services:\n  web:\n    image: app:1.0.0\n    deploy:\n      replicas: 2\n'
    const stack = analyzeCompose({ path: 'deploy/docker-stack.yml', kind: 'compose', content }) as Finding[]
    expect(stack.filter((f) => f.ruleId === 'compose/no-restart-policy')).toEqual([])
    expect(analyze(content).filter((f) => f.ruleId === 'compose/no-restart-policy')).toHaveLength(1)
  })
})

describe('the health check of an image built beside the file', () => {
  const HEALTHY = 'FROM alpine:3.20\nCOPY app /app\nHEALTHCHECK CMD ["/app", "health"]\nENTRYPOINT ["/app"]\n'
  const dockerfile = (path: string, content: string) => ({ path, kind: 'dockerfile' as const, content })
  const noHealthcheck = (path: string, content: string, dockerfiles: Dockerfiles, repository?: string): number[] =>
    (analyzeCompose({ path, kind: 'compose', content }, undefined, dockerfiles, repository) as Finding[]).filter((f) => f.ruleId === 'compose/no-healthcheck').map((f) => f.line)

  it('reads only the Dockerfiles of the compose file\'s folder, which every way of spreading the work analyses with it', () => {
    const files = new Dockerfiles([dockerfile('app/Dockerfile', HEALTHY), dockerfile('deploy/Dockerfile', HEALTHY)])
    // `../app` is in another folder: another thread may analyse it, so it is never looked at.
    expect(noHealthcheck('deploy/compose.yaml', 'services:\n  web:\n    build: ../app\n', files)).toEqual([2])
    expect(noHealthcheck('deploy/compose.yaml', 'services:\n  web:\n    build: .\n', files)).toEqual([])
    expect(noHealthcheck('deploy/compose.yaml', 'services:\n  web:\n    build:\n      context: ./\n', files)).toEqual([])
  })

  it("takes the repository's own image (Docker Hub or GHCR, any tag) to be built by the Dockerfile beside the file", () => {
    const files = new Dockerfiles([dockerfile('Dockerfile', HEALTHY)])
    const compose = (image: string): string => `services:\n  app:\n    image: ${image}\n`
    for (const image of ['acme/shop', 'acme/shop:2.1.0', 'docker.io/acme/shop', 'ghcr.io/acme/shop:edge']) expect(noHealthcheck('compose.yaml', compose(image), files, 'acme/shop')).toEqual([])
    for (const image of ['acme/shop-pro', 'registry.example.com/acme/shop', 'other/shop']) expect(noHealthcheck('compose.yaml', compose(image), files, 'acme/shop')).toEqual([2])
    // Without the repository's name the link is not certain.
    expect(noHealthcheck('compose.yaml', compose('acme/shop'), files)).toEqual([2])
  })

  it('takes a Dockerfile that forms no stage, or is not in the list, to declare nothing', () => {
    // A HEALTHCHECK with no FROM before it belongs to no image.
    const files = new Dockerfiles([dockerfile('Dockerfile', HEALTHY), dockerfile('bad/Dockerfile', 'HEALTHCHECK CMD ["/health"]\n')])
    expect(files.declaresHealthcheck('Dockerfile')).toBe(true)
    expect(files.declaresHealthcheck('bad/Dockerfile')).toBe(false)
    expect(files.declaresHealthcheck('missing/Dockerfile')).toBe(false)
  })
})

describe('settings through extends', () => {
  it('reads each service through its own chain, to a base written after it, asked again by later checks', () => {
    const content = [
      'services:',
      '  web:',
      '    extends: base',
      '    image: web:1',
      '  worker:',
      '    extends: web',
      '    image: worker:latest',
      '    privileged: true',
      '  base:',
      '    image: base:1',
      '    restart: always',
      '    healthcheck: {test: [CMD, "true"]}',
      '    mem_limit: 1g',
      '    cpus: 1',
      '  lone:',
      '    image: lone:1',
      ''
    ].join('\n')
    expect(hits(analyze(content))).toEqual([
      'compose/image-latest@7',
      'compose/no-cpu-limit@15',
      'compose/no-healthcheck@15',
      'compose/no-memory-limit@15',
      'compose/no-restart-policy@15',
      'compose/privileged@8'
    ])
  })
})

describe('robustness', () => {
  it('survives extends cycles and unknown bases', () => {
    const content = 'services:\n  a:\n    extends: b\n  b:\n    extends:\n      service: a\n  c:\n    extends: { service: missing }\n'
    expect(() => analyze(content)).not.toThrow()
  })

  it('returns nothing for an empty file or a file without services', () => {
    expect(analyze('')).toEqual([])
    expect(analyze('version: "3.8"\n')).toEqual([])
    expect(analyze('services:\n')).toEqual([])
  })

  it.each([
    ['invalid YAML', 'services:\n  web:\n    image: [unclosed\n'],
    ['a top-level list', '- web\n- db\n'],
    ['services as a list', 'services:\n  - web\n']
  ])('throws ParseError on %s', (_what, content) => {
    expect(() => analyze(content)).toThrow(ParseError)
  })
})

describe('any input', () => {
  const pieces = ['services:\n', '  web:\n', '    image: x\n', '    <<: *a\n', 'x: &a\n', '  privileged: true\n', '    ports:\n', '      - "80:80"\n', '      - target: 1\n', '    extends: web\n', '    environment:\n', '      - TOKEN=x\n', '      TOKEN: x\n', '- ', '{', '}', ': ', '\n']
  it('returns findings or throws ParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string()), { maxLength: 30 }), (parts) => {
        try {
          for (const f of analyze(parts.join(''))) expect(f.line).toBeGreaterThanOrEqual(1)
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError)
        }
      }),
      { numRuns: 300 }
    )
  })
})

describe('guessable defaults in local compose files', () => {
  const db = (extra = '', password = 'postgres'): string =>
    `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: ${password}\n${extra}`
  const severityOf = (path: string, content: string): string[] =>
    (analyzeCompose({ path, kind: 'compose', content }) as Finding[])
      .filter((f) => f.category === 'secrets')
      .map((f) => `${f.ruleId}:${f.severity}@${f.line}`)

  it.each([
    ["the image's name", 'postgres'],
    ['the user name set beside it', 'app'],
    ['a placeholder word', 'example']
  ])('reports %s as a medium default credential, without echoing it', (_why, password) => {
    const findings = analyzeCompose({ path: 'docker-compose.yml', kind: 'compose', content: db('', password) }) as Finding[]
    expect(findings.filter((f) => f.category === 'secrets').map((f) => `${f.ruleId}:${f.severity}@${f.line}`)).toEqual([
      'compose/default-credential-in-environment:medium@6'
    ])
    expect(findings.find((f) => f.line === 6)?.message).not.toContain(`\`${password}\``)
  })

  it('keeps a value nobody would guess high', () => {
    expect(severityOf('docker-compose.yml', db('', 'fixture-Kq81-pass'))).toEqual(['compose/secret-in-environment:high@6'])
  })

  it.each([
    ['a Swarm stack by name', 'docker-stack.yml', ''],
    ['a production file by name', 'compose.prod.yaml', ''],
    ['Swarm-only deploy keys', 'docker-compose.yml', '  web:\n    image: web:1\n    deploy:\n      replicas: 2\n']
  ])('keeps a guessable value high in %s (shared hosts), but for the image default', (_what, path, extra) => {
    expect(severityOf(path, db(extra, 'example'))).toEqual(['compose/secret-in-environment:high@6'])
    // The image's own name is the first guess wherever the file runs: medium, saying so without echoing it (and without calling it the image's default).
    expect(severityOf(path, db(extra))).toEqual(['compose/secret-in-environment:medium@6'])
    const message = (analyzeCompose({ path, kind: 'compose', content: db(extra) }) as Finding[]).find((f) => f.line === 6)?.message
    expect(message).toMatch(/a guessable value: the name of the service's image, the first guess against it/)
    expect(message).not.toMatch(/default/)
    expect(message).not.toContain('`postgres`')
  })

  it('does not take deploy.resources (also used locally) for a stack', () => {
    expect(severityOf('docker-compose.yml', db('  web:\n    image: web:1\n    deploy:\n      resources:\n        limits:\n          memory: 64M\n'))).toEqual([
      'compose/default-credential-in-environment:medium@6'
    ])
  })
})

describe('demo values and URL passwords in local compose files', () => {
  const env = (path: string, lines: string): string[] =>
    (analyzeCompose({ path, kind: 'compose', content: `services:\n  app:\n    image: app:1\n    environment:\n${lines}` }) as Finding[])
      .filter((f) => f.category === 'secrets')
      .map((f) => `${f.ruleId}:${f.severity}@${f.line}`)

  it('takes lower-case demo words for a local setting, generated-looking values for secrets', () => {
    expect(env('compose.yaml', '      DB_PASSWORD: mysecretpassword\n      API_TOKEN: a9F3kQ7zL2mX8vB1\n      HMAC_SECRET: 3f9a0c2d7e1b4a6f\n')).toEqual([
      'compose/default-credential-in-environment:medium@5',
      'compose/secret-in-environment:high@6',
      'compose/secret-in-environment:high@7'
    ])
  })

  it('reads the password of a URL whatever the variable is called, and skips references and placeholders', () => {
    expect(
      env(
        'compose.yaml',
        '      DATABASE_URL: mysql://root:whalehello@db:3306/app\n      CACHE_URL: redis://:Zq8!rT4uW1pK@cache:6379\n      OTHER_URL: postgres://app:${DB_PASSWORD}@db/app\n      PLAIN_URL: https://db.internal:5432/app\n'
      )
    ).toEqual(['compose/default-credential-in-environment:medium@5', 'compose/secret-in-environment:high@6'])
  })

  it('keeps them high in a production file', () => {
    expect(env('docker-compose.prod.yml', '      DB_PASSWORD: mysecretpassword\n')).toEqual(['compose/secret-in-environment:high@5'])
  })

  it('lets the compose rule speak for a URL password instead of the generic secret scan', async () => {
    const { analyzeFile } = await import('../src/rules/index.js')
    const r = await analyzeFile({ path: 'compose.yaml', kind: 'compose', content: 'services:\n  app:\n    image: app:1\n    environment:\n      DATABASE_URL: mysql://root:whalehello@db:3306/app\n' })
    expect(r.findings.filter((f) => f.line === 5).map((f) => f.ruleId)).toEqual(['compose/default-credential-in-environment'])
  })
})
