import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyzeWorkflow, workflowRules } from '../src/rules/workflow/index.js'
import { analyzeFile } from '../src/rules/index.js'
import { ParseError } from '../src/rules/parse/yaml.js'
import { envFileWrites } from '../src/rules/workflow/shell-writes.js'
import { growthRatio } from './helpers/growth.js'
import { CATEGORIES, SEVERITIES, type Finding } from '../src/types.js'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'rules', 'workflow')
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8')

const run = (content: string, path = '.github/workflows/ci.yml'): Finding[] => analyzeWorkflow({ path, kind: 'workflow', content })

/** `ruleId@line` for every `expect: <ruleId> [<ruleId>…]` marker (after `#` or `//`) in a fixture. */
function expected(content: string): string[] {
  const out: string[] = []
  content.split('\n').forEach((text, i) => {
    const m = /(?:#|\/\/) expect: (.*)$/.exec(text)
    if (m) for (const id of m[1].trim().split(/\s+/)) out.push(`${id}@${i + 1}`)
  })
  return out.sort()
}

const got = (findings: Finding[]): string[] => findings.map((f) => `${f.ruleId}@${f.line}`).sort()

describe('workflow rule catalogue', () => {
  it('uses unique workflow/ ids and only the shared vocabulary', () => {
    const ids = workflowRules.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of workflowRules) {
      expect(r.id).toMatch(/^workflow\/[a-z0-9-]+$/)
      expect(r.kind).toBe('workflow')
      expect(CATEGORIES).toContain(r.category)
      expect(SEVERITIES).toContain(r.severity)
    }
  })

  it('gives every finding the category and severity of its rule', () => {
    const byId = new Map(workflowRules.map((r) => [r.id, r]))
    for (const name of ['injection.yml', 'pwn-request.yml', 'pinning.yml', 'hardening.yml', 'secrets.yml', 'deploy.yml']) {
      for (const f of run(fixture(name))) {
        const meta = byId.get(f.ruleId)
        expect(meta).toBeDefined()
        expect([f.category, f.severity]).toEqual([meta?.category, meta?.severity])
      }
    }
  })
})

describe.each([
  ['injection.yml', 'injection-fixed.yml'],
  ['pwn-request.yml', 'pwn-request-fixed.yml'],
  ['pinning.yml', undefined],
  ['hardening.yml', 'hardening-fixed.yml'],
  ['secrets.yml', 'secrets-fixed.yml'],
  ['deploy.yml', 'deploy-fixed.yml'],
  ['composite-action.yml', undefined]
])('fixture %s', (bad, fixed) => {
  it('reports exactly the marked rule at each marked line', () => {
    expect(got(run(fixture(bad)))).toEqual(expected(fixture(bad)))
  })
  if (fixed) {
    it(`is quiet on ${fixed}`, () => {
      expect(got(run(fixture(fixed)))).toEqual([])
    })
  }
})

describe('template injection', () => {
  const issueWorkflow = (body: string): string => `on:
  issues:
    types: [opened]
permissions: {}
jobs:
  greet:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
${body}`

  it('points at the inner line of a multi-line run block, not the run key', () => {
    const content = issueWorkflow(`      - name: check
        run: |
          set -e
          if [ -n "\${{ github.event.issue.body }}" ]; then
            echo ok
          fi
          echo "\${{ github.event.issue.title }}"
`)
    const f = run(content).filter((x) => x.ruleId === 'workflow/template-injection-privileged')
    expect(f.map((x) => x.line)).toEqual([13, 16])
    expect(f[0].message).toContain('github.event.issue.body')
    expect(f[0].suggestion).toBeUndefined()
  })

  it('reports an expression in a folded block at its own line', () => {
    const content = issueWorkflow(`      - run: >
          echo start &&
          echo "\${{ github.event.issue.title }}"
`)
    expect(got(run(content))).toEqual(['workflow/template-injection-privileged@12'])
  })

  it('uses the high (not critical) rule when the trigger is not privileged', () => {
    const content = `on: pull_request
permissions: {}
jobs:
  t:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: echo "\${{ github.event.pull_request.title }}"
`
    const [f] = run(content)
    // A fork's pull request runs its own copy of the workflow: the title gains its author nothing
    // more, and this job holds no secret. Medium, saying why.
    expect([f.ruleId, f.severity, f.category, f.line]).toEqual(['workflow/template-injection', 'medium', 'security', 8])
    expect(f.message).toMatch(/runs only on pull_request/)
    // With a secret in the job (a same-repository pull request gets it), it stays high.
    const withSecret = content.replace('      - run: echo', '      - env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n        run: echo')
    const [g] = run(withSecret)
    expect([g.ruleId, g.severity]).toEqual(['workflow/template-injection', 'high'])
    // The job's own token (read-only for a fork's pull request) is no secret to steal.
    const [t] = run(content.replace('      - run: echo', '      - env:\n          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n        run: echo'))
    expect([t.ruleId, t.severity]).toEqual(['workflow/template-injection', 'medium'])
    // On push, a merged contributor's text reaches the base repository's run: medium only while
    // `permissions:` keeps its token read-only and no secret is read, saying what is left.
    const onPush = content.replace('on: pull_request', 'on: [push, pull_request]')
    const [h] = run(onPush)
    expect([h.ruleId, h.severity]).toEqual(['workflow/template-injection', 'medium'])
    expect(h.message).toMatch(/token read-only .*Actions cache/)
    for (const exposed of [onPush.replace('permissions: {}\n', ''), onPush.replace('permissions: {}', 'permissions:\n  contents: write'), onPush.replace('      - run: echo', '      - env:\n          GH_TOKEN: ${{ github.token }}\n        run: echo')]) {
      const x = run(exposed).find((f) => f.ruleId === 'workflow/template-injection')
      expect(x?.severity).toBe('high')
    }
  })

  it('suggests moving a single-line expression to env with the same indentation', () => {
    const content = issueWorkflow(`      - name: greet
        run: echo "Thanks \${{ github.event.issue.title }}!"
`)
    const [f] = run(content)
    expect(f.line).toBe(11)
    expect(f.endLine).toBeUndefined()
    expect(f.suggestion).toBe(['        env:', '          ISSUE_TITLE: ${{ github.event.issue.title }}', '        run: echo "Thanks ${ISSUE_TITLE}!"'].join('\n'))
  })

  it('makes no suggestion where the rewrite would change meaning', () => {
    const singleQuoted = issueWorkflow(`      - run: echo 'title \${{ github.event.issue.title }}'
`)
    const withEnv = issueWorkflow(`      - run: echo "\${{ github.event.issue.title }}"
        env:
          OTHER: x
`)
    const windows = issueWorkflow(`      - run: echo "\${{ github.event.issue.title }}"
`).replace('ubuntu-latest', 'windows-latest')
    for (const content of [singleQuoted, withEnv, windows]) {
      const [f] = run(content)
      expect(f.ruleId).toBe('workflow/template-injection-privileged')
      expect(f.suggestion).toBeUndefined()
    }
  })

  it('does not treat env or with values of other actions as injection', () => {
    const content = issueWorkflow(`      - uses: some-org/comment@0123456789abcdef0123456789abcdef01234567
        with:
          body: \${{ github.event.issue.body }}
      - run: echo "$TITLE"
        env:
          TITLE: \${{ github.event.issue.title }}
`)
    expect(got(run(content))).toEqual([])
  })
})

describe('other rules at exact lines', () => {
  it('suggests continue-on-error: false on a deploy step', () => {
    const content = `on: push
permissions: {}
concurrency: deploy
jobs:
  ship:
    environment: prod
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: helm upgrade --install web ./chart --atomic
        continue-on-error: true
`
    const [f] = run(content)
    expect([f.ruleId, f.line, f.suggestion]).toEqual(['workflow/deploy-continue-on-error', 11, '        continue-on-error: false'])
  })

  it('flags a workflow-level write-all at its key', () => {
    const content = `on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: make
`
    expect(got(run(content))).toEqual(['workflow/permissions-write-all@2'])
  })

  it('never repeats a literal credential in the message', () => {
    const content = fixture('secrets.yml')
    for (const f of run(content)) {
      for (const literal of ['AKIAIOSFODNN7EXAMPLE', 's3cr3t-Passw0rd', 'hunter2hunter2', '0a1b2c3d4e5f6a7b8c9d']) {
        expect(f.message).not.toContain(literal)
        expect(f.suggestion ?? '').not.toContain(literal)
      }
    }
  })

  it('keeps lines when the file has CRLF line ends', () => {
    const content = fixture('pinning.yml').replace(/\n/g, '\r\n')
    expect(got(run(content))).toEqual(expected(fixture('pinning.yml')))
  })
})

describe('deploy detection', () => {
  const job = (id: string, run: string): string => `on: push
permissions: {}
concurrency: one
jobs:
  ${id}:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: ${run}
`
  it('recognizes deploy commands in steps and deploy words in job ids', () => {
    expect(got(run(job('ship', 'terraform apply -auto-approve')))).toEqual(['workflow/deploy-without-environment@5', 'workflow/deploy-without-verification@9'])
    expect(got(run(job('deploy_web', 'make')))).toEqual(['workflow/deploy-without-environment@5', 'workflow/deploy-without-verification@5'])
  })
  it('ignores the words inside longer words', () => {
    expect(got(run(job('prerelease-tests', 'make test')))).toEqual([])
    expect(got(run(job('redeployable-check', 'make test')))).toEqual([])
  })
})

describe('false claims found on real workflows', () => {
  const ids = (findings: Finding[], prefix: string): string[] => got(findings.filter((f) => f.ruleId.startsWith(prefix)))
  const steps = (body: string): string => `on: push
permissions: {}
concurrency: one
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
${body}`

  it('does not call a lint job a release job because an action name contains "release"', () => {
    const lint = steps(`      - uses: release-drafter/release-drafter@3f0f87098bd6b5c5b9a36d49c41d998ea58f9348
      - uses: goreleaser/goreleaser-action@9c156ee8a17a598857849441385a2041ef570552
        with:
          args: check
      - uses: docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83
        with:
          push: false
`)
    expect(ids(run(lint), 'workflow/deploy')).toEqual([])
    const release = steps(`      - uses: goreleaser/goreleaser-action@9c156ee8a17a598857849441385a2041ef570552
        with:
          args: release --clean
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
`)
    expect(ids(run(release), 'workflow/deploy')).toEqual(['workflow/deploy-without-environment@5'])
  })

  it('does not take refs/pull/ inside an image tag or a log line for a checkout of the PR head', () => {
    const wf = `on: pull_request_target
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@v4
        with:
          ref: refs/pull/\${{ github.event.number }}/merge
      - run: |
          docker pull ghcr.io/acme/app:refs/pull/\${{ github.event.number }}
          echo "built refs/pull/\${{ github.event.number }}"
`
    expect(ids(run(wf), 'workflow/untrusted-checkout')).toEqual(['workflow/untrusted-checkout@10'])
    const fetch = wf.replace(/ {6}- uses: actions\/checkout@v4\n.*\n.*\/merge\n/, '      - run: git fetch origin refs/pull/7/head && git checkout FETCH_HEAD\n')
    expect(ids(run(fetch), 'workflow/untrusted-checkout')).toEqual(['workflow/untrusted-checkout@8'])
  })

  it('does not call a job a release job for a word in the middle of its name, nor a kind e2e job a deploy', () => {
    const named = (id: string, name: string): string => steps('      - run: make\n').replace('  build:\n', `  ${id}:\n    name: ${name}\n`)
    expect(ids(run(named('setup-variables', 'Setup Release Variables')), 'workflow/deploy')).toEqual([])
    expect(ids(run(named('list_lts_releases', 'List active LTS releases')), 'workflow/deploy')).toEqual([])
    expect(ids(run(named('publish_main', 'Publish main branch artifacts')), 'workflow/deploy')).toEqual(['workflow/deploy-without-environment@5'])
    const e2e = steps('      - uses: helm/kind-action@ef37e7f390d99f746eb8b610417061a60e82a6cc\n      - run: kubectl apply -f config/\n').replace('  build:', '  cluster-test:')
    expect(ids(run(e2e), 'workflow/deploy')).toEqual([])
    expect(ids(run(e2e.replace(/uses: helm\/kind-action@\w+/, 'run: kind create cluster --wait 60s')), 'workflow/deploy')).toEqual([])
    expect(ids(run(e2e.replace(/ {6}- uses: helm\/kind-action@\w+\n/, '')), 'workflow/deploy')).toEqual(['workflow/deploy-without-environment@5', 'workflow/deploy-without-verification@9'])
  })

  it('calls a job that publishes a release a release job, whatever throwaway cluster or teardown it also has', () => {
    const push = '      - uses: docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83\n        with:\n          push: true\n          tags: ghcr.io/acme/app:1\n'
    const release = (extra: string): string[] => ids(run(steps(extra + push).replace('permissions: {}', 'permissions:\n  packages: write')), 'workflow/deploy')
    // The job `build` is on line 6; a release job is asked for an environment only.
    for (const extra of ['', '      - uses: helm/kind-action@ef37e7f390d99f746eb8b610417061a60e82a6cc\n', '      - run: terraform apply -auto-approve\n      - run: terraform destroy -auto-approve\n']) {
      expect(release(extra)).toEqual(['workflow/deploy-without-environment@6'])
    }
    // Without a token that may publish, the same job releases nothing.
    expect(ids(run(steps(push)), 'workflow/deploy')).toEqual([])
  })

  it('accepts deploy actions that wait for the rollout themselves', () => {
    const deploy = (body: string): string => steps(body).replace('  build:', '  deploy:').replace('concurrency: one\n', 'concurrency: one\n')
    const verified = (body: string): string[] => ids(run(deploy(body)), 'workflow/deploy-without-verification')
    expect(verified('      - uses: Azure/k8s-deploy@v5\n        with:\n          manifests: k8s/\n')).toEqual([])
    expect(verified('      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2\n        with:\n          service: web\n          wait-for-service-stability: true\n')).toEqual([])
    expect(verified('      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2\n        with:\n          service: web\n')).toEqual(['workflow/deploy-without-verification@9'])
    expect(verified('      - run: kubectl apply -f k8s/\n      - run: kubectl rollout status deployment/web --timeout=120s\n')).toEqual([])
    expect(verified('      - run: kubectl apply -f k8s/\n')).toEqual(['workflow/deploy-without-verification@9'])
    expect(verified('      - run: |\n          make deploy\n          until make all_nodes_running; do sleep 10; done\n')).toEqual([])
  })

  it('accepts SLSA generator workflows called by a release tag, the only form they verify', () => {
    const wf = `on: push
permissions: {}
jobs:
  provenance:
    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0
  other:
    uses: acme/workflows/.github/workflows/build.yml@v2.1.0
`
    // `permissions: {}` and no secret: the unpinned one is the read-only (medium) form.
    expect(ids(run(wf), 'workflow/unpinned')).toEqual(['workflow/unpinned-action-read-only@7'])
    expect(ids(run(wf.replace('@v2.1.0\n  other', '@main\n  other')), 'workflow/unpinned')).toEqual(['workflow/unpinned-action-read-only@5', 'workflow/unpinned-action-read-only@7'])
  })
})

describe('environment-file writes of a script', () => {
  const names = (script: string): string[] => envFileWrites(script).map((w) => `${w.file} ${w.name}${w.clean ? ' clean' : ''}`)

  it('reads each block redirect in its own block, nested blocks included', () => {
    const script = 'echo "$A"\n{\n  echo "X=$B"\n  ( echo "$C" )\n} >> "$GITHUB_ENV"\nwhile read -r l; do\n  if true; then echo "$D"; fi\ndone >> $GITHUB_PATH\necho "$E"\n'
    expect(names(script)).toEqual(['ENV B', 'ENV C', 'PATH D'])
  })

  it('keeps quoted braces, substitutions and heredoc bodies out of the structure', () => {
    const script = 'echo "}" \'done\' "$(echo ")")"\ncat <<EOF\n}\ndone\nEOF\nconstructor; toString\n{\n  echo "$B"\n} >> "$GITHUB_ENV"\n'
    expect(names(script)).toEqual(['ENV B'])
  })

  it('reads any text without throwing, unbalanced quotes, groups and heredocs included', () => {
    const piece = fc.constantFrom('{', '}', '(', ')', 'do', 'done', 'if', 'fi', 'case', 'esac', '"', "'", '`', '$(', '${', '\\', '\n', ';', '|', '&&', ' ', '<<EOF', '<<<', 'EOF', '$BODY', '>> "$GITHUB_ENV"', '>> $GITHUB_PATH', '#')
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 40 }), (parts) => {
        // Whatever it reads, every write it reports names a variable the script holds.
        const script = parts.join('')
        for (const w of envFileWrites(script)) expect(script).toContain(w.name)
      })
    )
    // Quotes and substitutions nested 50,000 deep: read with a stack, not recursion.
    expect(envFileWrites('"$('.repeat(50000) + ' $B >> $GITHUB_ENV').map((w) => w.name)).toEqual(['B'])
    expect(envFileWrites('${"'.repeat(50000))).toEqual([])
  })

  it('grows linearly with the number of block redirects, nesting and substitutions', async () => {
    const shapes: ((n: number) => string)[] = [
      // The reviewer's shape: many small loops, each redirected on its own.
      (n) => Array.from({ length: n }, (_, i) => `for f in a; do echo "X_${i}=$TITLE $HOME $PWD"\ndone >> "$GITHUB_ENV"\n`).join(''),
      // Deep nesting closed at the end, each level redirected.
      (n) => '{\n'.repeat(n) + 'echo "$BODY"\n' + '} >> "$GITHUB_ENV"\n'.repeat(n),
      // Nested command substitutions on one line.
      (n) => `echo "X=${'$(echo '.repeat(n)}"$BODY"${')'.repeat(n)}" >> "$GITHUB_ENV"\n`,
      // Many variables on one write.
      (n) => `echo "${Array.from({ length: n }, (_, i) => `$V${i}`).join(' ')}" | tr -d '\\n' >> "$GITHUB_ENV"\n`
    ]
    for (const make of shapes) {
      const [small, large] = [make(2000), make(4000)]
      expect(envFileWrites(large).length).toBeGreaterThan(0)
      expect(await growthRatio(() => envFileWrites(small), () => envFileWrites(large))).toBeLessThanOrEqual(3)
    }
  })
})

describe('fork guards read as GitHub evaluates them', () => {
  /** Whether a self-hosted job with this `if:` is kept from fork pull requests (so not reported). */
  const keepsForksOut = (condition: string, on = 'pull_request'): boolean => {
    const wf = `on: ${on}\npermissions: {}\njobs:\n  t:\n    if: ${JSON.stringify(condition)}\n    runs-on: self-hosted\n    timeout-minutes: 5\n    steps:\n      - run: make\n`
    return !run(wf).some((f) => f.ruleId === 'workflow/self-hosted-on-pull-request')
  }
  const HEAD = 'github.event.pull_request.head.repo'

  it.each([
    [`${HEAD}.full_name == github.repository`, 'pull_request'],
    [`GitHub.Repository == ${HEAD}.Full_Name`, 'pull_request'],
    [`\${{ ${HEAD}.full_name == github.event.repository.full_name }}`, 'pull_request'],
    [`${HEAD}.owner.login == github.repository_owner`, 'pull_request'],
    [`${HEAD}.id == github.event.pull_request.base.repo.id && (github.actor != 'renovate[bot]' || success())`, 'pull_request'],
    [`(github.event_name == 'push' || github.event_name == 'schedule') || ${HEAD}.full_name == github.repository`, '[push, schedule, pull_request]'],
    [`github.event_name != 'pull_request' || ${HEAD}.full_name == github.repository`, '[push, pull_request]'],
    [`github.event_name == 'pull_request' && ${HEAD}.full_name == github.repository`, '[pull_request, pull_request_target]']
  ])('%s keeps forks out (on: %s)', (condition, on) => {
    expect(keepsForksOut(condition, on)).toBe(true)
  })

  it.each([
    [`${HEAD}.full_name != github.repository`, 'pull_request'],
    [`${HEAD}.fork`, 'pull_request'],
    [`${HEAD}.fork == 'false'`, 'pull_request'],
    // The fork flag is null when the fork was deleted, and `!null`, `null == false`, `null != true` are true.
    [`!(${HEAD}.fork)`, 'pull_request'],
    [`${HEAD}.fork == false`, 'pull_request'],
    [`github.event_name == 'pull_request' && ${HEAD}.fork != true`, '[pull_request, pull_request_target]'],
    [`${HEAD}.owner.login != github.repository_owner`, 'pull_request'],
    [`${HEAD}.full_name == github.repository || always()`, 'pull_request'],
    [`github.event_name != 'pull_request' || ${HEAD}.fork == false`, '[pull_request, pull_request_target]'],
    [`\${{ ${HEAD}.fork == false }} && true`, 'pull_request'],
    [`${HEAD}.full_name == github.repository )`, 'pull_request'],
    ['(((((', 'pull_request'],
    ['', 'pull_request']
  ])('%s lets forks in (on: %s)', (condition, on) => {
    expect(keepsForksOut(condition, on)).toBe(false)
  })

  it('reads deeply nested or long conditions without throwing', () => {
    expect(keepsForksOut('('.repeat(20000) + `${HEAD}.full_name == github.repository` + ')'.repeat(20000))).toBe(false)
    expect(keepsForksOut(Array.from({ length: 2000 }, () => `${HEAD}.full_name == github.repository`).join(' && '))).toBe(true)
  })
})

describe('input that is not a usable workflow', () => {
  it('never throws anything but ParseError, whatever the text', () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom('on: push', 'jobs:', '  a:', '    steps:', '      - run: |', '        echo ${{ github.event.issue.title }}', '      - uses: x/y@v1', '    runs-on: [self-hosted', 'permissions: write-all', '- item', '  env: {A: 1}', '&a [*a]')
    )
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        try {
          const findings = run(lines.join('\n'))
          for (const f of findings) expect(f.line).toBeGreaterThanOrEqual(1)
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError)
        }
      }),
      { numRuns: 300 }
    )
  })

  it('throws ParseError for malformed YAML', () => {
    expect(() => run(fixture('malformed.yml'))).toThrow(ParseError)
  })

  it('throws ParseError when jobs is not a mapping or the top level is a list', () => {
    expect(() => run('on: push\njobs: [a, b]\n')).toThrow(ParseError)
    expect(() => run('- on: push\n')).toThrow(ParseError)
    expect(() => run('on: push\njobs:\n  a:\n    steps: run\n')).toThrow(/steps/)
  })

  it('returns nothing for an empty file or YAML without jobs', () => {
    expect(run('')).toEqual([])
    expect(run('version: 2\nupdates: []\n', '.github/dependabot.yml')).toEqual([])
  })

  it('becomes a parse note through the registry', async () => {
    const result = await analyzeFile({ path: '.github/workflows/broken.yml', kind: 'workflow', content: fixture('malformed.yml') })
    expect(result.notes).toEqual([expect.objectContaining({ path: '.github/workflows/broken.yml', reason: 'parse' })])
  })
})

describe("the repository's own actions", () => {
  // Run on release too, so a third-party action with the default token stays high.
  const wf = `on: [push, release]
jobs:
  shared:
    uses: octo-org/ci/.github/workflows/build.yml@v1.4.0
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: octo-org/setup-tool@main
      - uses: other-org/deploy@v2
`
  const pins = (repository?: string): string[] =>
    analyzeWorkflow({ path: '.github/workflows/ci.yml', kind: 'workflow', content: wf }, repository)
      .filter((f) => f.ruleId.startsWith('workflow/unpinned'))
      .map((f) => `${f.ruleId}:${f.severity}@${f.line}`)

  it('are low hardening when the owner is known, third-party ones stay high', () => {
    expect(pins('Octo-Org/app')).toEqual(['workflow/unpinned-same-owner:low@4', 'workflow/unpinned-same-owner:low@8', 'workflow/unpinned-action:high@9'])
  })

  it('are third-party code when the owner is not known', () => {
    expect(pins()).toEqual(['workflow/unpinned-action:high@4', 'workflow/unpinned-action:high@8', 'workflow/unpinned-action:high@9'])
    expect(pins('not-a-repository')).toEqual(pins())
  })

  it('reach the engine through analyzeFiles({ repository })', async () => {
    const { analyzeFiles } = await import('../src/rules/index.js')
    const r = await analyzeFiles([{ path: '.github/workflows/ci.yml', kind: 'workflow', content: wf }], { repository: 'octo-org/app', threads: 1 })
    expect(r.findings.filter((f) => f.ruleId === 'workflow/unpinned-same-owner').map((f) => f.line)).toEqual([4, 8])
  })
})

describe('third-party actions by how much their job exposes', () => {
  const job = (permissions: string, steps: string, on = 'push'): string[] =>
    analyzeWorkflow({
      path: '.github/workflows/ci.yml',
      kind: 'workflow',
      content: `on: ${on}\n${permissions}jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: other-org/tool@v2\n${steps}`
    })
      .filter((f) => f.ruleId.startsWith('workflow/unpinned-action'))
      .map((f) => `${f.ruleId}:${f.severity}`)

  it('is medium in a read-only job that uses no secret', () => {
    expect(job('permissions:\n  contents: read\n', '')).toEqual(['workflow/unpinned-action-read-only:medium'])
    expect(job('permissions: read-all\n', '      - run: make\n')).toEqual(['workflow/unpinned-action-read-only:medium'])
  })

  it('is medium, saying why, with no permissions block, no secret and only push, pull_request or manual triggers', () => {
    expect(job('', '')).toEqual(['workflow/unpinned-action:medium'])
    expect(job('', '', '[push, pull_request]')).toEqual(['workflow/unpinned-action:medium'])
    expect(job('', '', '[push, workflow_dispatch]')).toEqual(['workflow/unpinned-action:medium'])
    expect(job('', '', '[push, schedule]')).toEqual(['workflow/unpinned-action:medium'])
    // On pull_request_target too when the job checks out no pull request code.
    expect(job('', '', 'pull_request_target')).toEqual(['workflow/unpinned-action:medium'])
    expect(job('permissions:\n  contents: read\n', '', 'pull_request_target')).toEqual(['workflow/unpinned-action:medium'])
    // Its own token handed to a step is the same repository default token.
    expect(job('', '      - run: make\n        env:\n          GH_TOKEN: ${{ github.token }}\n', 'pull_request')).toEqual(['workflow/unpinned-action:medium'])
  })

  it.each([
    ['no permissions block (the repository default may write) in a workflow also run on release', '', '', '[push, release]'],
    ['a write grant', 'permissions:\n  contents: write\n', '', 'push'],
    ['write-all', 'permissions: write-all\n', '', 'push'],
    ['a secret used by any step of the job', 'permissions:\n  contents: read\n', '      - run: deploy\n        env:\n          TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n', 'push'],
    // (issue and discussion events, like a push, no longer count: see the rule-tester cases.)
    ['a privileged trigger that is not pull_request_target', 'permissions:\n  contents: read\n', '', '[pull_request_target, workflow_run]'],
    ['pull_request_target in a job that checks out the head', 'permissions:\n  contents: read\n', '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n', 'pull_request_target']
  ])('is high with %s', (_what, permissions, steps, on) => {
    expect(job(permissions, steps, on)).toEqual(['workflow/unpinned-action:high'])
  })
})
