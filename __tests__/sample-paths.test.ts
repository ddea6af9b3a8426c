/**
 * Findings in test and fixture trees: every rule's finding there is `info` (a manifest made to
 * fail a policy test is not what ships), while examples, documentation and a `test/` folder that
 * is an environment keep their severity. The secret scan's own handling of sample paths is in
 * secrets.test.ts.
 */
import { analyzeFiles } from '../src/rules/index.js'
import { isTestPath } from '../src/rules/sample-paths.js'

const PRIVILEGED_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: registry.example.com/agent:1.2.3\n      securityContext:\n        privileged: true\n'

async function privilegedSeverity(path: string): Promise<{ severity: string; message: string }> {
  const r = await analyzeFiles([{ path, kind: 'kubernetes', content: PRIVILEGED_POD }], { threads: 1 })
  const f = r.findings.find((x) => x.ruleId === 'k8s/privileged-container')
  if (!f) throw new Error(`no privileged-container finding for ${path}`)
  return f
}

describe('findings in test and fixture trees', () => {
  it.each(['pkg/webhook/testdata/pod.yaml', 'tests/manifests/pod.yaml', 'test/e2e/pod.yaml', 'hack/e2e/pod.yaml', 'charts/agent/test/fixtures/pod.yaml', 'src/__tests__/pod.yaml', 'charts/cluster/test/import/pod.yaml', 'testing/certmanager/pod.yaml'])(
    '%s: reported for information, saying why',
    async (path) => {
      const f = await privilegedSeverity(path)
      expect(f.severity).toBe('info')
      expect(f.message).toMatch(/test or fixture path/)
    }
  )

  it.each(['deploy/pod.yaml', 'examples/agent/pod.yaml', 'docs/pod.yaml', 'envs/test/pod.yaml', 'envs/testing/pod.yaml', 'overlays/test/pod.yaml', 'clusters/test/agent/pod.yaml', 'contest/pod.yaml', 'latest/pod.yaml'])(
    '%s: keeps its severity (what deploys, or what users copy)',
    async (path) => {
      expect((await privilegedSeverity(path)).severity).toBe('critical')
    }
  )

  it('a test folder inside an environment folder name is still a test tree further down', () => {
    expect(isTestPath('envs/test/modules/x/test/main.tf')).toBe(true)
    expect(isTestPath('envs/test/main.tf')).toBe(false)
  })
})
