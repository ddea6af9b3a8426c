/**
 * Findings in test and fixture trees: every rule's finding there is `info` (a manifest made to
 * fail a policy test is not what ships), while examples, documentation and a `test/` folder that
 * is an environment keep their severity. The secret scan's own handling of sample paths is in
 * secrets.test.ts.
 */
import { analyzeFiles } from '../src/rules/index.js'
import { asInformation, goTestHelperLines, isDevEnvPath, isSamplePath, isTestPath, testModuleLines } from '../src/rules/sample-paths.js'
import type { Finding } from '../src/types.js'

const PRIVILEGED_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: registry.example.com/agent:1.2.3\n      securityContext:\n        privileged: true\n'

async function privilegedSeverity(path: string): Promise<{ severity: string; message: string }> {
  const r = await analyzeFiles([{ path, kind: 'kubernetes', content: PRIVILEGED_POD }], { threads: 1 })
  const f = r.findings.find((x) => x.ruleId === 'k8s/privileged-container')
  if (!f) throw new Error(`no privileged-container finding for ${path}`)
  return f
}

describe('findings in test and fixture trees', () => {
  it.each(['charts/validating-admission-policies/templates/baseline/disallow-privileged/.chainsaw-test/pod-bad.yaml', 'policies/require-labels/.kyverno-test/resource.yaml', 'charts/blunderbuss/.fixtures/config_data.yaml', 'pkg/webhook/testdata/pod.yaml', 'tests/manifests/pod.yaml', 'test/e2e/pod.yaml', 'hack/e2e/pod.yaml', 'charts/agent/test/fixtures/pod.yaml', 'src/__tests__/pod.yaml', 'charts/cluster/test/import/pod.yaml', 'testing/certmanager/pod.yaml', 'acceptance/framework/cni/pod.yaml', 'hack/test-resources/pod.yaml', 'integration-tests/pod.yaml', 'internal/testresources/pod.yaml', 'agent/status/test-cert/pod.yaml', 'pkg/testcerts/pod.yaml', 'ca/test-pki/pod.yaml', 'proxy/test_tls/pod.yaml', 'signer/testkeys/pod.yaml', 'controller/proxy-injector/fake/data/pod.yaml', 'pkg/fakes/pod.yaml', 'internal/mock/pod.yaml', 'mocks/pod.yaml', 'web/app/__mocks__/pod.yaml', 'e2etest/bgptests/pod.yaml', 'test/integrationtests/pod.yaml', 'internal/suites/OIDC/pod.yaml', 'e2e/test-suites/pod.yaml', 'frontend/playwright/data/pod.yaml', 'web/cypress/support/pod.yaml', 'services/datastream/text-fixtures/pod.yaml', 'pkg/acc_fixtures/pod.yaml', 'tests-go/golden-fixture/pod.yaml', 'charts/nextcloud/test-values/pod.yaml', 'cdk_integration_tests/src/python/pod.yaml', 'services/api-e2e-tests/pod.yaml'])(
    '%s: reported for information, saying why',
    async (path) => {
      const f = await privilegedSeverity(path)
      expect(f.severity).toBe('info')
      expect(f.message).toMatch(/test or fixture path/)
    }
  )

  it.each(['deploy/chainsaw/pod.yaml', 'deploy/fixtures-app/pod.yaml', 'modules/ntp/.fixtures.yml', 'app/fixtures.json', 'examples/agent/pod.yaml', 'docs/pod.yaml', 'envs/test/pod.yaml', 'envs/testing/pod.yaml', 'environments/acceptance/pod.yaml', 'overlays/test/pod.yaml', 'clusters/test/agent/pod.yaml', 'contest/pod.yaml', 'latest/pod.yaml', 'test-env/pod.yaml', 'load-testing/pod.yaml', 'envs/dev/pod.yaml', 'developer/pod.yaml', 'deploy/pod_test.yaml', 'services/testkeys-service/pod.yaml', 'certs/pod.yaml', 'workspace/pod.yaml', 'fake-api/pod.yaml', 'mockserver/pod.yaml', 'hotel-suites/pod.yaml', 'playwright-runner/pod.yaml', 'cypress-dashboard/pod.yaml', 'fixtures-service/pod.yaml', 'k8s/playwright/pod.yaml', 'clusters/cypress/apps/pod.yaml', 'services/football-fixtures/deploy/pod.yaml', 'config/db-fixtures/pod.yaml', 'e2e/.auth/pod.yaml', 'playwright/.auth/pod.yaml'])(
    '%s: keeps its severity (what deploys, or what users copy)',
    async (path) => {
      expect((await privilegedSeverity(path)).severity).toBe('critical')
    }
  )

  it.each([
    ['pkg/helm/parser/testdata/values.yaml', 'info'],
    ['pkg/helm/parser/testdata/chart/values.yaml', 'info'],
    ['deploy/values.yaml', 'high'],
    ['deploy/chart/values.yaml', 'high'],
    // A deploy job may install a chart with a values file kept under .github/.
    ['.github/helm/values-production.yaml', 'high'],
    // A local development setup: at most medium, as its files' findings are.
    ['.devcontainer/chart/values.yaml', 'medium']
  ])("%s: a chart's defaults are lowered in a test tree as a file's findings are", async (path, severity) => {
    const files = [{ path, kind: 'helm' as const, content: 'securityContext:\n  runAsUser: 0\n' }]
    if (path.includes('/chart/')) files.push({ path: path.replace('values.yaml', 'Chart.yaml'), kind: 'helm', content: 'apiVersion: v2\nname: app\nversion: 1.0.0\n' })
    const r = await analyzeFiles(files, { threads: 1, helm: { render: { helm: '/nonexistent/helm' } } })
    expect(r.findings.filter((f) => f.ruleId === 'helm/values-run-as-root').map((f) => f.severity)).toEqual([severity])
  })

  it.each(['docker/devenv/pod.yaml', '.devcontainer/pod.yaml', 'hack/develop/pod.yaml', 'tools/dev/loki-s3/pod.yaml', 'tools/local-dev/pod.yaml', 'developer-workspace/gitpod/pod.yaml', 'tools/dev-workspace/pod.yaml', '.gitpod/pod.yaml', 'gitpod/pod.yaml', 'contrib/local-environment/pod.yaml', 'local_env/pod.yaml'])('%s: a local development setup is at most medium, saying why', async (path) => {
    const f = await privilegedSeverity(path)
    expect(f.severity).toBe('medium')
    expect(f.message).toMatch(/local development setup: medium/)
  })

  it('in a local development setup a literal password is medium, a provider key keeps its severity', async () => {
    const compose = 'services:\n  app:\n    image: registry.example.com/app:1.0\n    environment:\n      LDAP_BIND_PASSWORD: Qz8-Lm4vR2x\n'
    const devenv = await analyzeFiles([{ path: 'docker/devenv/compose.yaml', kind: 'compose', content: compose }], { threads: 1 })
    const deployed = await analyzeFiles([{ path: 'deploy/compose.yaml', kind: 'compose', content: compose }], { threads: 1 })
    const severities = (r: typeof devenv) => r.findings.filter((f) => f.category === 'secrets').map((f) => f.severity)
    expect(severities(deployed).some((s) => s === 'high' || s === 'critical')).toBe(true)
    expect(severities(devenv).length).toBeGreaterThan(0)
    expect(severities(devenv).every((s) => s !== 'high' && s !== 'critical')).toBe(true)
    const key = ['AKIA', 'QX7V', 'M2PL', 'R9TB', 'K4HZ'].join('')
    const withKey = await analyzeFiles([{ path: 'docker/devenv/env.sh', kind: 'other', content: `export AWS_ACCESS_KEY_ID=${key}\n` }], { threads: 1 })
    expect(withKey.findings.map((f) => [f.ruleId, f.severity])).toContainEqual(['secrets/aws-access-key-id', 'critical'])
  })

  it('a Gitpod workspace file (.gitpod.yml) is a local development setup; a pod under a folder that only contains the word is not', async () => {
    expect(isDevEnvPath('.gitpod.yml')).toBe(true)
    expect(isDevEnvPath('sub/.gitpod.Dockerfile')).toBe(true)
    expect(isDevEnvPath('gitpod.yml')).toBe(false)
    expect((await privilegedSeverity('mygitpod/pod.yaml')).severity).toBe('critical')
  })

  it('a folder that only starts like a local environment is none', async () => {
    expect(isDevEnvPath('localenvoy/pod.yaml')).toBe(false)
    expect(isDevEnvPath('src/local-environment.ts')).toBe(false)
    expect((await privilegedSeverity('local-environmental/pod.yaml')).severity).toBe('critical')
  })

  it('a throwaway VM root password in a developer workspace script is medium, saying why', async () => {
    const script = "sudo virt-customize -a disk.img --root-password password:Qz8-Lm4vR2x\n"
    const at = async (path: string) => (await analyzeFiles([{ path, kind: 'other', content: script }], { threads: 1 })).findings.find((f) => f.ruleId === 'secrets/command-line-password')
    expect((await at('developer-workspace/gitpod/prepare.sh'))?.severity).toBe('medium')
    expect((await at('developer-workspace/gitpod/prepare.sh'))?.message).toMatch(/local development setup: medium/)
    expect((await at('scripts/prepare.sh'))?.severity).toBe('high')
  })

  it("Go snapshot tests' expected output and a certification's test-run logs are test trees; names that only contain the words are not, nor a certification folder's keys", () => {
    expect(isTestPath('client/.snapshots/TestHandler-common-case=update.json')).toBe(true)
    expect(isTestPath('internal/certification/C.F.T.T.s/OP-claims-essential.txt')).toBe(true)
    expect(isTestPath('snapshots/volume.yaml')).toBe(false)
    expect(isTestPath('certifications-api/deployment.yaml')).toBe(false)
    // Only its text and logs: a `certification/` folder may keep a service's own TLS key or manifests.
    expect(isTestPath('api/certification/server.key')).toBe(false)
    expect(isSamplePath('api/certification/server.key')).toBe(false)
    expect(isTestPath('k8s/certification/deployment.yaml')).toBe(false)
    expect(isTestPath('tls/certificate.yaml')).toBe(false)
    // A test double's folder, as `mocks/` and `fakes/` are; not an environment so named.
    expect(isTestPath('cmd/stub/rsa.key')).toBe(true)
    expect(isSamplePath('oryx/configx/stubs/config.schema.json')).toBe(true)
    expect(isTestPath('envs/stub/main.tf')).toBe(false)
    expect(isTestPath('stubborn/main.tf')).toBe(false)
    expect(isTestPath('docker/dummy/webdav/Dockerfile')).toBe(true)
    expect(isTestPath('internal/entity/auth_session_fixtures.go')).toBe(true)
    expect(isTestPath('internal/entity/fixtures.go')).toBe(true)
    expect(isTestPath('internal/entity/fixtures_loader.py')).toBe(false)
    // A module of test doubles, `mock.ts` (a connector's mocked responses and keys); not an Angular
    // build's `environment.mock.ts`, which is configuration.
    expect(isTestPath('packages/connectors/connector-alipay-web/src/mock.ts')).toBe(true)
    expect(isTestPath('src/mocks.js')).toBe(true)
    expect(isTestPath('src/environments/environment.mock.ts')).toBe(false)
    expect(isTestPath('src/mockingbird.ts')).toBe(false)
    expect(isTestPath('src/mock-server.ts')).toBe(false)
    expect(isTestPath('dummyapp/main.tf')).toBe(false)
  })

  it('a test folder inside an environment folder name is still a test tree further down', () => {
    expect(isTestPath('envs/test/modules/x/test/main.tf')).toBe(true)
    expect(isTestPath('envs/test/main.tf')).toBe(false)
    // Environments named for a mock or fake backend deploy too.
    expect(isTestPath('k8s/overlays/mock/deployment.yaml')).toBe(false)
    expect(isTestPath('envs/fake/main.tf')).toBe(false)
  })

  it("CI's own inputs under .github (a kind cluster's manifests) are a test tree; its workflows and actions are not", async () => {
    expect(isTestPath('.github/configs/external-redis.yaml')).toBe(true)
    expect(isTestPath('.github/kind-config.yaml')).toBe(true)
    // The seed data of an app a CI run starts (zammad's auto_wizard.json).
    expect(isTestPath('.github/auto_wizard.json')).toBe(true)
    expect(isSamplePath('.github/auto_wizard.json')).toBe(true)
    expect(isSamplePath('.github/workflows/ci.yml')).toBe(false)
    // A browser test framework's saved login (Playwright's storageState) is a live session, even under a test tree.
    expect(isSamplePath('frontend/playwright/data/token.json')).toBe(true)
    expect(isSamplePath('playwright/.auth/user.json')).toBe(false)
    expect(isSamplePath('e2e/.auth/admin.json')).toBe(false)
    expect(isTestPath('tests/.auth/user.json')).toBe(false)
    // A browser test framework's settings name the environment it logs in to: not a test file.
    expect(isTestPath('cypress.config.ts')).toBe(false)
    expect(isSamplePath('web/playwright.config.mjs')).toBe(false)
    // Dependabot's and Renovate's registries carry real credentials.
    expect(isSamplePath('.github/dependabot.yml')).toBe(false)
    expect(isSamplePath('.github/renovate.json')).toBe(false)
    expect(isTestPath('.github/dependabot.yml')).toBe(false)
    expect(isTestPath('.github/workflows/ci.yml')).toBe(false)
    expect(isTestPath('.github/actions/setup/action.yml')).toBe(false)
    expect(isTestPath('deploy/github/redis.yaml')).toBe(false)
    expect(isTestPath('.github/docker/Dockerfile')).toBe(false)
    expect(isTestPath('.github/infra/main.tf')).toBe(false)
    expect((await privilegedSeverity('.github/configs/pod.yaml')).severity).toBe('info')
  })
})

describe('asInformation: a finding lowered to info no longer names the severity it had', () => {
  const finding = (message: string): Finding => ({ ruleId: 'k8s/host-network', category: 'security', severity: 'medium', path: 'test/pod.yaml', line: 3, message, remediation: '' })
  it.each([
    ['a secret someone chose (medium).', 'a secret someone chose.'],
    ['has no readiness probe (low: no container of the pod declares a port)', 'has no readiness probe (no container of the pod declares a port)'],
    ['shares the host network (medium: its container is privileged)', 'shares the host network (its container is privileged)'],
    ['grants `*` in verbs: medium, as it reaches no API object', 'grants `*` in verbs, as it reaches no API object'],
    ['database `Db` has no deletion protection (`DeletionPolicy: Snapshot` keeps a final snapshot: low)', 'database `Db` has no deletion protection (`DeletionPolicy: Snapshot` keeps a final snapshot)'],
    ['status subresources only (a status subresource serves get, update and patch: low.)', 'status subresources only (a status subresource serves get, update and patch.)'],
    // Words that only look like severities stay.
    ['a `high-availability` label (lowest tier)', 'a `high-availability` label (lowest tier)']
  ])('%s', (message, expected) => {
    const info = asInformation(finding(message), 'a test or fixture path')
    expect(info.severity).toBe('info')
    expect(info.message).toBe(`${expected} (In a test or fixture path: reported for information.)`)
  })
})

describe("a Rust source file's test modules", () => {
  const source = [
    'pub fn connect() -> String {',
    '    let cfg = r#"{"access_token":"Zq8sLm3nP0vR7tYwK2"}"#;',
    '    cfg.to_string()',
    '}',
    '',
    '#[cfg(test)]',
    'mod tests {',
    '    use super::*;',
    '    #[test]',
    '    fn parses() {',
    '        let json = r#"{"access_token":"Xq7rT2vLp9Kd4","x":{}}"#;',
    '    }',
    '}',
    '',
    'pub fn after() {}'
  ].join('\n')

  it('covers the module from its attribute to its closing brace, and nothing else', () => {
    const inModule = testModuleLines({ path: 'src/server.rs', content: source })
    expect(inModule).toBeDefined()
    expect([1, 2, 5, 14, 15].map((l) => inModule!(l))).toEqual([false, false, false, false, false])
    expect([6, 7, 11, 13].map((l) => inModule!(l))).toEqual([true, true, true, true])
    expect(testModuleLines({ path: 'src/server.go', content: source })).toBeUndefined()
    expect(testModuleLines({ path: 'src/lib.rs', content: 'pub fn a() {}\n' })).toBeUndefined()
  })

  it("ends the module at its closing line, whatever braces its strings, characters and comments hold", () => {
    const lone = source.replace('    #[test]', "    // a lone `{` in a comment\n    #[test]\n    fn rejects() { assert!(parse(\"{\").is_err() && c != '{'); }")
    const inModule = testModuleLines({ path: 'src/server.rs', content: lone })!
    const lines = lone.split('\n')
    const closing = lines.findIndex((l, i) => i > 6 && l === '}') + 1
    expect(inModule(closing)).toBe(true)
    expect(inModule(closing + 2)).toBe(false)
    // With no closing line at the module's indentation, nothing is read as a test module.
    expect(testModuleLines({ path: 'src/server.rs', content: '#[cfg(test)]\nmod tests {\n    fn t() {}\n' })).toBeUndefined()
  })

  it("reports a literal token there for information, and the same shape in the module's code as before", async () => {
    const r = await analyzeFiles([{ path: 'src/server.rs', kind: 'other', content: source }], { threads: 1 })
    const at = (line: number) => r.findings.filter((f) => f.category === 'secrets' && f.line === line).map((f) => f.severity)
    expect(at(11)).toEqual(['info'])
    expect(at(2).length).toBeGreaterThan(0)
    expect(at(2)).not.toContain('info')
  })
})

describe('a Go file that imports testing (a shared test suite or test helper)', () => {
  const suite = (imports: string, pkg = 'conformance') =>
    `// Package ${pkg} holds the tests every storage runs.\npackage ${pkg}\n\n${imports}\n\nfunc client() storage.Client {\n\treturn storage.Client{\n\t\tID:     "c1",\n\t\tSecret: "Kq8-vLm3nP0vR7tY",\n\t}\n}\n\nfunc RunTests(t *testing.T, s storage.Storage) {}\n`
  const block = 'import (\n\t"reflect"\n\t"testing"\n\n\t"github.com/example/storage"\n)'

  it('is read whole as a test when `testing` is imported, alone or in a block, maybe named', () => {
    expect(goTestHelperLines({ path: 'storage/conformance/conformance.go', content: suite(block) })?.(8)).toBe(true)
    expect(goTestHelperLines({ path: 'storage/conformance/conformance.go', content: suite('import "testing"') })?.(7)).toBe(true)
    expect(goTestHelperLines({ path: 'storage/conformance/conformance.go', content: suite('import (\n\tt "testing" // suites\n)') })?.(7)).toBe(true)
  })

  it('is no test in a program, without a test type, or when the import is only in a comment or in later code', () => {
    expect(goTestHelperLines({ path: 'cmd/app/main.go', content: suite(block, 'main') })).toBeUndefined()
    expect(goTestHelperLines({ path: 'storage/client.go', content: suite(block).replace('t *testing.T', 'ok bool') })).toBeUndefined()
    expect(goTestHelperLines({ path: 'storage/client.go', content: suite('import (\n\t"reflect"\n\t/* "testing" */\n)') })).toBeUndefined()
    expect(goTestHelperLines({ path: 'gen/gen.go', content: suite('import (\n\t"reflect"\n)') + 'const tmpl = `\nimport "testing"\n`\n' })).toBeUndefined()
  })

  it('is no test when `testing` is only mentioned, or imported by another path', () => {
    expect(goTestHelperLines({ path: 'storage/memory.go', content: suite('import (\n\t"github.com/example/testing"\n)\n\n// see "testing" in the docs') })).toBeUndefined()
    expect(goTestHelperLines({ path: 'storage/memory.go', content: suite('import (\n\t"reflect"\n)\n\nconst doc = `\n"testing"\n`') })).toBeUndefined()
    expect(goTestHelperLines({ path: 'storage/conformance.py', content: 'import "testing"\n' })).toBeUndefined()
  })

  it('reports a literal secret there for information, and the same code without the import as before', async () => {
    const severity = async (content: string) =>
      (await analyzeFiles([{ path: 'storage/conformance/conformance.go', kind: 'other', content }], { threads: 1 })).findings.filter((f) => f.category === 'secrets').map((f) => f.severity)
    expect(await severity(suite(block))).toEqual(['info'])
    const production = await severity(suite('import (\n\t"reflect"\n)'))
    expect(production.length).toBeGreaterThan(0)
    expect(production).not.toContain('info')
  })
})
