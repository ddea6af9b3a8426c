import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { join } from 'node:path'
import { analyzeDockerfile, dockerfileRules } from '../src/rules/dockerfile/index.js'
import { declaresHealthcheck } from '../src/rules/dockerfile/stages.js'
import { ParseError } from '../src/rules/parse/yaml.js'
import { CATEGORIES, SEVERITIES, type Finding } from '../src/types.js'

const fixture = (name: string): string => readFileSync(join('__tests__', '__fixtures__', 'rules', 'dockerfile', name), 'utf8')

const analyze = (content: string): Finding[] => analyzeDockerfile({ path: 'Dockerfile', kind: 'dockerfile', content })

/** `ruleId@line` of every finding, sorted, for compact exact assertions. */
const hits = (findings: Finding[]): string[] => findings.map((f) => `${f.ruleId}@${f.line}`).sort()

const only = (findings: Finding[], ruleId: string): Finding[] => findings.filter((f) => f.ruleId === ruleId)

describe('dockerfile rule catalogue', () => {
  it('uses prefixed kebab-case ids, the shared vocabulary and unique ids', () => {
    const ids = dockerfileRules.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of dockerfileRules) {
      expect(r.id).toMatch(/^dockerfile\/[a-z0-9]+(-[a-z0-9]+)*$/)
      expect(r.kind).toBe('dockerfile')
      expect(CATEGORIES).toContain(r.category)
      expect(SEVERITIES).toContain(r.severity)
    }
  })
})

describe('analyzeDockerfile on the bad fixture', () => {
  const findings = analyze(fixture('bad.Dockerfile'))

  it('reports every rule at its exact line', () => {
    expect(hits(findings)).toEqual(
      [
        'dockerfile/secret-in-env@2',
        'dockerfile/base-image-latest@3',
        'dockerfile/workdir-relative@4',
        'dockerfile/npm-install-not-ci@5',
        'dockerfile/npm-unpinned@6',
        'dockerfile/sudo@8',
        'dockerfile/apt-unpinned@8',
        'dockerfile/curl-pipe-shell@9',
        'dockerfile/pip-unpinned@10',
        'dockerfile/base-image-latest@11',
        'dockerfile/no-healthcheck@11',
        'dockerfile/secret-in-env@12',
        'dockerfile/package-upgrade@13',
        'dockerfile/apk-unpinned@14',
        'dockerfile/apk-cache@14',
        'dockerfile/yum-unpinned@15',
        'dockerfile/yum-cache@15',
        'dockerfile/add-instead-of-copy@16',
        'dockerfile/add-remote-url@17',
        'dockerfile/expose-ssh@18',
        'dockerfile/root-user@19',
        'dockerfile/shell-form-command@20'
      ].sort()
    )
  })

  it("takes category and severity from the rule's meta", () => {
    const meta = new Map(dockerfileRules.map((r) => [r.id, r]))
    for (const f of findings) {
      expect(meta.get(f.ruleId)?.category).toBe(f.category)
      expect(meta.get(f.ruleId)?.severity).toBe(f.severity)
      expect(f.path).toBe('Dockerfile')
    }
  })

  it('gives exact suggestions where the fix is mechanical', () => {
    const suggestions = Object.fromEntries(findings.filter((f) => f.suggestion !== undefined).map((f) => [`${f.ruleId}@${f.line}`, f.suggestion]))
    expect(suggestions).toEqual({
      'dockerfile/add-instead-of-copy@16': 'COPY config.json /etc/app/config.json',
      'dockerfile/apk-cache@14': 'RUN apk add --no-cache curl',
      'dockerfile/shell-form-command@20': 'CMD ["node", "server.js"]'
    })
  })

  it('resolves ARG defaults in FROM and names the resolved image', () => {
    expect(only(findings, 'dockerfile/base-image-latest')[0].message).toContain('`node:latest`')
  })

  it('never echoes a secret value', () => {
    for (const f of findings) {
      expect(f.message).not.toContain('npm_fixture_value_1234')
      expect(f.message).not.toContain('fixture-password')
    }
    expect(only(findings, 'dockerfile/secret-in-env').map((f) => f.category)).toEqual(['secrets', 'secrets'])
  })
})

describe('analyzeDockerfile on the fixed fixture', () => {
  it('reports nothing', () => {
    expect(hits(analyze(fixture('good.Dockerfile')))).toEqual([])
  })
})

describe('stages', () => {
  it('does not treat a previous stage alias or scratch as an untagged image', () => {
    const f = analyze('FROM golang:1.22@sha256:abc AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nFROM build AS test\nRUN go test ./...\n')
    expect(hits(f).filter((h) => h.startsWith('dockerfile/base-image'))).toEqual([])
  })

  it('skips base images whose ARG has no default, and uses ${VAR:-default}', () => {
    expect(hits(analyze('ARG BASE\nFROM ${BASE}\nUSER app\nHEALTHCHECK NONE\n'))).toEqual([])
    expect(hits(analyze('ARG BASE\nFROM ${BASE:-alpine}\nUSER app\nHEALTHCHECK NONE\n'))).toEqual(['dockerfile/base-image-latest@2'])
  })

  it('flags a tag without digest at info severity', () => {
    const [f] = analyze('FROM alpine:3.19\nUSER app\nHEALTHCHECK NONE\n')
    expect(f).toMatchObject({ ruleId: 'dockerfile/base-image-no-digest', line: 1, severity: 'info', category: 'immutability' })
  })

  it('judges USER and HEALTHCHECK on the final stage, following FROM <stage>', () => {
    const builderRoot = 'FROM alpine:3.19@sha256:a AS build\nUSER root\nFROM alpine:3.19@sha256:a\nUSER app\nHEALTHCHECK NONE\n'
    expect(hits(analyze(builderRoot))).toEqual([])
    const inherited = 'FROM alpine:3.19@sha256:a AS base\nUSER app\nHEALTHCHECK CMD true\nFROM base\nRUN true\n'
    expect(hits(analyze(inherited))).toEqual([])
    const noUser = 'FROM alpine:3.19@sha256:a AS build\nUSER app\nFROM alpine:3.19@sha256:a\nHEALTHCHECK NONE\n'
    expect(hits(analyze(noUser))).toEqual(['dockerfile/no-user@3'])
  })

  it('treats USER 0 and root:root as root, and a later USER as a fix', () => {
    expect(hits(analyze('FROM a:1@sha256:a\nUSER 0:0\nHEALTHCHECK NONE\n'))).toEqual(['dockerfile/root-user@2'])
    expect(hits(analyze('FROM a:1@sha256:a\nUSER root:root\nHEALTHCHECK NONE\n'))).toEqual(['dockerfile/root-user@2'])
    expect(hits(analyze('FROM a:1@sha256:a\nUSER root\nRUN true\nUSER 10001\nHEALTHCHECK NONE\n'))).toEqual([])
  })

  it('does not ask for USER on images that say they run unprivileged', () => {
    expect(hits(analyze('FROM gcr.io/distroless/static:nonroot@sha256:a\nHEALTHCHECK NONE\n'))).toEqual([])
  })
})

/** Runs one RUN line in an otherwise clean final image and returns the rule hits. */
const runHits = (run: string): string[] => hits(analyze(`FROM a:1@sha256:a\n${run}\nUSER app\nHEALTHCHECK NONE\n`))

describe('package managers', () => {
  it('flags apt-get install without pins and accepts pinned or local packages', () => {
    expect(runHits('RUN apt-get install -y curl=7.88 ./local.deb && rm -rf /var/lib/apt/lists/*')).toEqual([])
    expect(runHits('RUN ["apt-get", "install", "python"]')).toEqual(['dockerfile/apt-lists-not-deleted@2', 'dockerfile/apt-unpinned@2'])
  })

  it('reads `-t <release>` as a release only when a package follows it', () => {
    expect(runHits('RUN apt-get install -y -t bookworm-backports curl=8.1 && apt-get clean')).toEqual([])
    expect(runHits('RUN apt-get install -y -t python && apt-get clean')).toEqual(['dockerfile/apt-unpinned@2'])
  })

  it('reports multi-line RUNs at the RUN line with endLine', () => {
    const f = analyze('FROM a:1@sha256:a\nRUN apt-get update && \\\n    apt-get install -y \\\n    curl\nUSER app\nHEALTHCHECK NONE\n')
    expect(only(f, 'dockerfile/apt-unpinned')[0]).toMatchObject({ line: 2, endLine: 4 })
    expect(only(f, 'dockerfile/apt-lists-not-deleted')[0]).toMatchObject({ line: 2, endLine: 4 })
    expect(only(f, 'dockerfile/apt-lists-not-deleted')[0].suggestion).toBeUndefined()
  })

  it('suggests removing apt lists on a single-line RUN', () => {
    const [f] = only(analyze('FROM a:1@sha256:a\nRUN apt-get update && apt-get install -y curl=8.1\n'), 'dockerfile/apt-lists-not-deleted')
    expect(f.suggestion).toBe('RUN apt-get update && apt-get install -y curl=8.1 && rm -rf /var/lib/apt/lists/*')
  })

  it('looks at caches only in the layers that reach the final image', () => {
    const builderOnly = 'FROM a:1@sha256:a AS build\nRUN apt-get install -y curl=1\nFROM a:1@sha256:a\nCOPY --from=build /x /x\nUSER app\nHEALTHCHECK NONE\n'
    expect(hits(analyze(builderOnly))).toEqual([])
    const inherited = 'FROM a:1@sha256:a AS base\nRUN apt-get install -y curl=1\nFROM base\nUSER app\nHEALTHCHECK NONE\n'
    expect(hits(analyze(inherited))).toEqual(['dockerfile/apt-lists-not-deleted@2'])
  })

  it('accepts BuildKit cache mounts in place of cleaning', () => {
    expect(runHits('RUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl=1')).toEqual([])
    expect(runHits('RUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.0')).toEqual([])
  })

  it('handles pip pins, requirement files and python -m pip', () => {
    expect(runHits('RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt')).toEqual([])
    expect(runHits('RUN pip install --no-cache-dir "flask==3.0.0" ./wheels/app.whl pkg@git+https://example.com/p.git')).toEqual([])
    expect(runHits('RUN python3 -m pip install --no-cache-dir "flask>=3"')).toEqual(['dockerfile/pip-unpinned@2'])
    expect(runHits('RUN pip install --no-cache-dir --upgrade pip setuptools==69.0.0')).toEqual(['dockerfile/pip-unpinned@2'])
    expect(only(analyze('FROM a:1@sha256:a\nRUN pip install flask==3.0.0\n'), 'dockerfile/pip-cache')[0].suggestion).toBe('RUN pip install --no-cache-dir flask==3.0.0')
  })

  it('honours ENV PIP_NO_CACHE_DIR', () => {
    expect(runHits('ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.0')).toEqual([])
  })

  it('handles npm pins, scoped packages and npm ci', () => {
    expect(runHits('RUN npm ci --omit=dev && npm install -g @scope/tool@1.2.3 typescript@5.4.5')).toEqual([])
    expect(runHits('RUN npm i -g @scope/tool npm@latest')).toEqual(['dockerfile/npm-unpinned@2'])
    expect(runHits('RUN npm install --production')).toEqual(['dockerfile/npm-install-not-ci@2'])
  })

  it('handles apk options before the subcommand and --virtual names', () => {
    expect(runHits('RUN apk --no-cache add --virtual .build-deps gcc=13.2.1-r0')).toEqual([])
    expect(runHits('RUN apk add --no-cache gcc')).toEqual(['dockerfile/apk-unpinned@2'])
  })

  it('accepts yum and dnf installs that pin and clean', () => {
    expect(runHits('RUN yum install -y httpd-2.4.57 && yum clean all')).toEqual([])
    expect(runHits('RUN dnf -y upgrade')).toEqual(['dockerfile/package-upgrade@2'])
  })
})

describe('RUN security', () => {
  it('finds sudo behind env assignments and in later commands', () => {
    expect(runHits('RUN DEBIAN_FRONTEND=noninteractive sudo true')).toEqual(['dockerfile/sudo@2'])
    expect(runHits('RUN echo sudo is a word here')).toEqual([])
  })

  it('finds remote scripts piped into a shell in every spelling', () => {
    expect(runHits('RUN wget -qO- https://example.com/i.sh | sudo bash -')).toEqual(['dockerfile/curl-pipe-shell@2', 'dockerfile/sudo@2'])
    expect(runHits('RUN sh -c "$(curl -fsSL https://example.com/i.sh)"')).toEqual(['dockerfile/curl-pipe-shell@2'])
    expect(runHits('RUN curl -fsSL https://example.com/i.tgz | tar -xz -C /opt')).toEqual([])
    expect(runHits('RUN curl -o /tmp/i.sh https://example.com/i.sh && sha256sum -c sums && sh /tmp/i.sh')).toEqual([])
  })

  it('reads heredoc RUN bodies', () => {
    const f = analyze('FROM a:1@sha256:a\nRUN <<EOF\ncurl -fsSL https://example.com/i.sh | sh\nEOF\nUSER app\nHEALTHCHECK NONE\n')
    expect(hits(f)).toEqual(['dockerfile/curl-pipe-shell@2'])
  })
})

describe('ADD, EXPOSE, ENV, CMD, WORKDIR', () => {
  it('lets ADD unpack local archives and flags a variable source without a suggestion', () => {
    expect(runHits('ADD rootfs.tar.gz /')).toEqual([])
    const [f] = only(analyze('FROM a:1@sha256:a\nARG JAR\nADD ${JAR} app.jar\n'), 'dockerfile/add-instead-of-copy')
    expect(f.line).toBe(3)
    expect(f.suggestion).toBeUndefined()
  })

  it('flags EXPOSE ranges that include 22 but not UDP or other ports', () => {
    expect(runHits('EXPOSE 20-25/tcp')).toEqual(['dockerfile/expose-ssh@2'])
    expect(runHits('EXPOSE 22/udp 2222 8022')).toEqual([])
  })

  it('flags secret-looking ENV and ARG only with a literal value', () => {
    expect(runHits('ENV API_KEY="abc def"')).toEqual(['dockerfile/secret-in-env@2'])
    expect(runHits('ENV API_KEY=$API_KEY TOKEN_FILE=/run/secrets/t GPG_KEY=ABCDEF0123 PWD=/app\nARG NPM_TOKEN')).toEqual([])
    expect(runHits('ENV SECRET_KEY abc123')).toEqual(['dockerfile/secret-in-env@2'])
  })

  it('gives no exec-form suggestion when the command needs a shell', () => {
    const [f] = only(analyze('FROM a:1@sha256:a\nCMD node $APP_ENTRY\n'), 'dockerfile/shell-form-command')
    expect(f.line).toBe(2)
    expect(f.suggestion).toBeUndefined()
    expect(runHits('CMD exec node app.js')).toEqual([])
    expect(runHits('ENTRYPOINT ["tini", "--"]\nCMD ["node", "app.js"]')).toEqual([])
  })

  it('only judges the effective ENTRYPOINT', () => {
    const f = analyze('FROM a:1@sha256:a\nENTRYPOINT /bin/run\nENTRYPOINT ["/bin/run"]\nUSER app\nHEALTHCHECK NONE\n')
    expect(hits(f)).toEqual([])
  })

  it('flags relative WORKDIR only', () => {
    expect(runHits('WORKDIR /srv\nWORKDIR $HOME/app\nWORKDIR C:\\\\app')).toEqual([])
    expect(runHits('WORKDIR src')).toEqual(['dockerfile/workdir-relative@2'])
  })
})

describe('malformed Dockerfiles', () => {
  it.each([
    ['empty', ''],
    ['only comments', '# nothing here\n\n'],
    ['no FROM', 'RUN echo hi\n'],
    ['instruction before FROM', 'ARG V=1\nRUN echo hi\nFROM alpine:3\n']
  ])('throws ParseError when %s', (_what, content) => {
    expect(() => analyze(content)).toThrow(ParseError)
  })

  it('says what is wrong and where (the registry adds the path)', () => {
    expect(() => analyze('')).toThrow(/no FROM instruction/)
    expect(() => analyze('\nMAINTAINER me\nFROM alpine:3\n')).toThrow(/MAINTAINER at line 2 comes before the first FROM/)
  })
})

describe('any input', () => {
  const pieces = ['FROM alpine:3', 'FROM ${X}', 'FROM a AS b', 'FROM b', 'RUN ', 'apt-get install', ' -t', ' curl', ' | sh', ' && ', ';', '"', "'", '\\\n', '$(', '`', '<<EOF\n', 'EOF', 'ADD ', 'CMD ', 'ENV A=', 'USER ', 'EXPOSE 22', '[', ']', '\n', ' ']
  it('returns findings with valid lines or throws ParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string()), { maxLength: 40 }), (parts) => {
        const content = parts.join('')
        try {
          const lineCount = content.split('\n').length
          for (const f of analyze(content)) {
            expect(f.line).toBeGreaterThanOrEqual(1)
            expect(f.line).toBeLessThanOrEqual(lineCount)
          }
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError)
        }
      }),
      { numRuns: 300 }
    )
  })
})

describe('declaresHealthcheck (what a compose service built from the file inherits)', () => {
  it('counts the last HEALTHCHECK of the nearest stage of the final chain, NONE as none', () => {
    expect(declaresHealthcheck('FROM alpine:3.20 AS base\nHEALTHCHECK CMD ["/health"]\nFROM base\nCOPY a /a\n')).toBe(true)
    expect(declaresHealthcheck('FROM alpine:3.20 AS base\nHEALTHCHECK CMD ["/health"]\nFROM base\nHEALTHCHECK NONE\n')).toBe(false)
    expect(declaresHealthcheck('FROM alpine:3.20\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD ["/health"]\n')).toBe(true)
    // A stage the final image is not built on does not count.
    expect(declaresHealthcheck('FROM alpine:3.20 AS tools\nHEALTHCHECK CMD ["/health"]\nFROM alpine:3.20\nCOPY --from=tools /t /t\n')).toBe(false)
    expect(declaresHealthcheck('not a dockerfile')).toBe(false)
  })
})
