/** Kubernetes rules that look across the manifests of a folder (PDB, HPA, NetworkPolicy, ServiceAccount). */
import { analyzeFiles, contextPathsForFile } from '../src/rules/index.js'
import { contextPathsFor } from '../src/rules/k8s/index.js'
import type { Finding, SourceFile } from '../src/types.js'

const manifest = (path: string, content: string, contextOnly?: boolean): SourceFile => ({ path, kind: 'kubernetes', content, ...(contextOnly ? { contextOnly } : {}) })

const deployment = (name: string, replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app: ${name}
      containers:
        - name: ${name}
          image: example.com/${name}:1.0.0
`
const pdb = (app: string): string => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${app}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: ${app}
`
const hpa = (name: string, min: number): string => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: ${min}
  maxReplicas: 10
`
const netpol = (app: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${app}
spec:
  podSelector:
    matchLabels:
      app: ${app}
  ingress: []
`
const ids = (findings: Finding[], rule: string): string[] => findings.filter((f) => f.ruleId === rule).map((f) => `${f.path}:${f.line}`).sort()

describe('manifest set of a folder', () => {
  it('counts a PodDisruptionBudget and a NetworkPolicy kept in sibling files, and only in the same folder', async () => {
    const { findings } = await analyzeFiles([
      manifest('k8s/web.yaml', deployment('web', 3)),
      manifest('k8s/pdb.yaml', pdb('web')),
      manifest('k8s/netpol.yaml', netpol('web')),
      manifest('other/web.yaml', deployment('web', 3))
    ])
    expect(ids(findings, 'k8s/no-pod-disruption-budget')).toEqual(['other/web.yaml:8'])
    expect(ids(findings, 'k8s/no-network-policy')).toEqual(['other/web.yaml:4'])
    expect(findings.find((f) => f.ruleId === 'k8s/no-pod-disruption-budget')?.message).toContain('in the manifests of its folder')
  })

  it('lets an autoscaler in another file own the replica count (minReplicas ≥ 2 counts as replicated)', async () => {
    const alone = await analyzeFiles([manifest('k8s/web.yaml', deployment('web', 1))])
    expect(ids(alone.findings, 'k8s/single-replica')).toEqual(['k8s/web.yaml:6'])
    const scaled = await analyzeFiles([manifest('k8s/web.yaml', deployment('web', 1)), manifest('k8s/hpa.yaml', hpa('web', 2))])
    expect(ids(scaled.findings, 'k8s/single-replica')).toEqual([])
    // Replicated through the autoscaler, so it now needs a budget.
    expect(ids(scaled.findings, 'k8s/no-pod-disruption-budget')).toEqual(['k8s/web.yaml:8'])
    const floorOfOne = await analyzeFiles([manifest('k8s/web.yaml', deployment('web', 3)), manifest('k8s/hpa.yaml', hpa('web', 1))])
    expect(ids(floorOfOne.findings, 'k8s/no-pod-disruption-budget')).toEqual([])
  })

  it('uses context-only siblings for lookups but never reports on them', async () => {
    const brokenSibling = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  hostPID: true\n  containers:\n    - name: sh\n      image: busybox\n'
    const result = await analyzeFiles([
      manifest('k8s/web.yaml', deployment('web', 3)),
      manifest('k8s/pdb.yaml', pdb('web'), true),
      manifest('k8s/debug.yaml', brokenSibling, true),
      manifest('k8s/bad.yaml', 'kind: [', true)
    ])
    expect(ids(result.findings, 'k8s/no-pod-disruption-budget')).toEqual([])
    expect(result.findings.filter((f) => f.path !== 'k8s/web.yaml')).toEqual([])
    expect(result.notes).toEqual([])
  })

  it('still reports an unparsable manifest of the set as a note, and the others normally', async () => {
    const result = await analyzeFiles([manifest('k8s/web.yaml', deployment('web', 3)), manifest('k8s/bad.yaml', 'kind: [')])
    expect(result.notes.map((n) => `${n.path}:${n.reason}`)).toEqual(['k8s/bad.yaml:parse'])
    expect(ids(result.findings, 'k8s/no-pod-disruption-budget')).toEqual(['k8s/web.yaml:8'])
  })
})

describe('kustomizations widen the set', () => {
  const other = (path: string, content: string): SourceFile => ({ path, kind: 'other', content })
  it('counts a budget an overlay adds for a base it includes, and only through a local include', async () => {
    const base = manifest('deploy/base/web.yaml', deployment('web', 3))
    const alone = await analyzeFiles([base, manifest('deploy/overlays/prod/pdb.yaml', pdb('web'))])
    expect(ids(alone.findings, 'k8s/no-pod-disruption-budget')).toEqual(['deploy/base/web.yaml:8'])
    const kustomization = other('deploy/overlays/prod/kustomization.yaml', 'resources:\n  - ../../base\n  - pdb.yaml\n  - https://github.com/acme/x//base\n')
    const together = await analyzeFiles([base, manifest('deploy/overlays/prod/pdb.yaml', pdb('web')), kustomization])
    expect(ids(together.findings, 'k8s/no-pod-disruption-budget')).toEqual([])
    // A base with no kustomization including it keeps its own folder as its set.
    const unrelated = other('deploy/overlays/prod/kustomization.yaml', 'resources:\n  - pdb.yaml\n')
    const apart = await analyzeFiles([base, manifest('deploy/overlays/prod/pdb.yaml', pdb('web')), unrelated])
    expect(ids(apart.findings, 'k8s/no-pod-disruption-budget')).toEqual(['deploy/base/web.yaml:8'])
    expect(apart.notes).toEqual([])
  })
  it('ignores a kustomization that does not parse', async () => {
    const result = await analyzeFiles([manifest('k/web.yaml', deployment('web', 3)), other('k/kustomization.yaml', 'resources: [\n')])
    expect(ids(result.findings, 'k8s/no-pod-disruption-budget')).toEqual(['k/web.yaml:8'])
  })
})

describe('kustomize JSON 6902 and inline patches', () => {
  const other = (path: string, content: string): SourceFile => ({ path, kind: 'other', content })
  /** A base Deployment without probes (3 replicas, a budget next to it). */
  const base = [manifest('app/base/web.yaml', deployment('web', 3)), manifest('app/base/pdb.yaml', pdb('web')), other('app/base/kustomization.yaml', 'resources:\n  - web.yaml\n  - pdb.yaml\n')]
  /** Operations whose value is a whole object with apiVersion and kind (a claim template). */
  const claimOps = '# adds a volume claim\n- op: add\n  path: /spec/volumeClaimTemplates/-\n  value:\n    apiVersion: v1\n    kind: PersistentVolumeClaim\n    metadata:\n      name: data\n'
  const probeOps = '- op: add\n  path: /spec/template/spec/containers/0/livenessProbe\n  value:\n    httpGet:\n      path: /healthz\n      port: 8080\n'
  /** JSON that kustomize's own parser would reject; its tell-tale keys make it look like a manifest. */
  const brokenJson = '[{"op": "add", "path": "/metadata/labels", "value": {"apiVersion": "v1", "kind": "Pod"}}] oops\n'
  const overlay = (kustomization: string, patches: Record<string, string>): SourceFile[] => [
    ...base,
    other('app/overlays/prod/kustomization.yaml', `resources:\n  - ../../base\n${kustomization}`),
    ...Object.entries(patches).map(([path, content]) => manifest(`app/overlays/prod/${path}`, content))
  ]

  it('never reads a listed JSON patch as a manifest, even one that does not parse', async () => {
    const listed = 'patchesJson6902:\n  - target: {group: apps, version: v1, kind: Deployment, name: web}\n    path: claim.yaml\npatches:\n  - target: {kind: Deployment, name: web}\n    path: broken.json\n'
    const result = await analyzeFiles(overlay(listed, { 'claim.yaml': claimOps, 'broken.json': brokenJson }))
    expect(result.notes).toEqual([])
    expect(result.findings.filter((f) => f.path.startsWith('app/overlays/'))).toEqual([])
    // Unlisted, the same broken file is still a note: the exemption is the kustomization's word.
    const unlisted = await analyzeFiles([manifest('k8s/web.yaml', deployment('web', 3)), manifest('k8s/broken.json', brokenJson)])
    expect(unlisted.notes.map((n) => `${n.path}:${n.reason}`)).toEqual(['k8s/broken.json:parse'])
  })

  it('recognises an operation list by its shape in a kustomize folder even when no kustomization lists it', async () => {
    const result = await analyzeFiles(overlay('', { 'broken.json': brokenJson, 'claim.yaml': claimOps }))
    expect(result.notes).toEqual([])
    expect(result.findings.filter((f) => f.path.startsWith('app/overlays/'))).toEqual([])
  })

  it('keeps a missing-setting finding on the base when a JSON patch or an inline patch adds the setting', async () => {
    const inline = 'patches:\n  - target:\n      kind: Deployment\n    patch: |-\n      - op: add\n        path: /spec/template/spec/containers/0/readinessProbe\n        value: {tcpSocket: {port: 8080}}\n'
    const listed = `${inline}patchesJson6902:\n  - target: {group: apps, version: v1, kind: Deployment, name: web}\n    path: probe.yaml\n`
    const { findings, notes } = await analyzeFiles(overlay(listed, { 'probe.yaml': probeOps }))
    expect(notes).toEqual([])
    expect(ids(findings, 'k8s/no-liveness-probe')).toEqual(['app/base/web.yaml:23'])
    expect(ids(findings, 'k8s/no-readiness-probe')).toEqual(['app/base/web.yaml:23'])
  })

  it('still treats a targeted patch file that holds an object as a partial object', async () => {
    const merge = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: example.com/web:1.0.1\n'
    const { findings } = await analyzeFiles(overlay('patches:\n  - target: {kind: Deployment, name: web}\n    path: image.yaml\n', { 'image.yaml': merge }))
    const onPatch = findings.filter((f) => f.path === 'app/overlays/prod/image.yaml').map((f) => f.ruleId)
    expect(onPatch).not.toContain('k8s/no-liveness-probe')
    expect(onPatch).not.toContain('k8s/no-memory-limits')
  })
})

describe('Services behind an Ingress of the set', () => {
  const service = (name: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  type: NodePort\n  selector:\n    app: ${name}\n  ports:\n    - port: 8080\n`
  const ingress = (backend: string): string =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${backend}\n                port:\n                  number: 8080\n`
  it('accepts a NodePort Service that an Ingress routes to, and still reports one nothing routes to', async () => {
    const { findings } = await analyzeFiles([manifest('k8s/svc.yaml', service('web')), manifest('k8s/other.yaml', service('admin')), manifest('k8s/ingress.yaml', ingress('web'))])
    expect(ids(findings, 'k8s/node-port-service')).toEqual(['k8s/other.yaml:6'])
  })
})

describe('Service selectors across the set', () => {
  const service = (selector: string, namespace?: string): string =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  selector:\n    app: ${selector}\n  ports:\n    - port: 80\n`
  it('reports a selector that matches no pod of the workloads in the folder, at the selector', async () => {
    const broken = await analyzeFiles([manifest('k8s/web.yaml', deployment('web', 3)), manifest('k8s/svc.yaml', service('wbe'))])
    expect(ids(broken.findings, 'k8s/service-selects-no-pods')).toEqual(['k8s/svc.yaml:6'])
    expect(broken.findings.find((f) => f.ruleId === 'k8s/service-selects-no-pods')?.message).toBe('Service `web` selects `app=wbe`, which no pod of the workloads in the manifests of its folder carries')
    const fine = await analyzeFiles([manifest('k8s/web.yaml', deployment('web', 3)), manifest('k8s/svc.yaml', service('web'))])
    expect(ids(fine.findings, 'k8s/service-selects-no-pods')).toEqual([])
  })
  it('asks for a readiness probe only where a Service of the set routes traffic', async () => {
    const svc = service('web')
    const withService = await analyzeFiles([manifest('k8s/web.yaml', deployment('web', 3)), manifest('k8s/worker.yaml', deployment('worker', 3)), manifest('k8s/svc.yaml', svc)])
    expect(ids(withService.findings, 'k8s/no-readiness-probe')).toEqual(['k8s/web.yaml:23'])
    // No Service at all: nothing is known about routing, so both are asked.
    const noService = await analyzeFiles([manifest('k8s/web.yaml', deployment('web', 3)), manifest('k8s/worker.yaml', deployment('worker', 3))])
    expect(ids(noService.findings, 'k8s/no-readiness-probe')).toEqual(['k8s/web.yaml:23', 'k8s/worker.yaml:23'])
  })
  it('says nothing when the folder holds no workload of the Service namespace', async () => {
    const alone = await analyzeFiles([manifest('k8s/svc.yaml', service('wbe'))])
    expect(ids(alone.findings, 'k8s/service-selects-no-pods')).toEqual([])
    const otherNamespace = await analyzeFiles([manifest('k8s/web.yaml', deployment('web', 3).replace('  name: web\n', '  name: web\n  namespace: a\n')), manifest('k8s/svc.yaml', service('wbe', 'b'))])
    expect(ids(otherNamespace.findings, 'k8s/service-selects-no-pods')).toEqual([])
  })
})

describe('an env value whose comment asks for the real one', () => {
  it('is a stand-in for every rule: no high finding on its line', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: registry.example.com/agent:1.2.3\n      env:\n        - name: ACCESS_KEY            #REQUIRED - replace with your access key\n          value: 7312e41q-5678-abcd-4a2b2c-33bcsd655\n'
    const r = await analyzeFiles([manifest('deploy/agent.yaml', pod)], { threads: 1 })
    expect(r.findings.filter((f) => f.line === 11 && (f.severity === 'high' || f.severity === 'critical'))).toEqual([])
    // Without the comment, the same value is reported.
    const plain = await analyzeFiles([manifest('deploy/agent.yaml', pod.replace('            #REQUIRED - replace with your access key', ''))], { threads: 1 })
    expect(plain.findings.filter((f) => f.line === 11 && f.severity === 'high').length).toBeGreaterThan(0)
  })
})

describe("a generator's data file", () => {
  const helperPod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: helper-pod\nspec:\n  containers:\n    - name: helper\n      image: registry.example.com/busybox:1.36\n      securityContext:\n        privileged: true\n'
  it('is a template a controller fills in: what it sets is reported, what it leaves out (the service account) is not', async () => {
    const kustomization = (files: string) => ({ path: 'deploy/kustomization.yaml', kind: 'other' as const, content: `configMapGenerator:\n  - name: helper-config\n    files:\n      - ${files}\n` })
    for (const entry of ['helperPod.yaml', 'helper.yaml=helperPod.yaml']) {
      const r = await analyzeFiles([manifest('deploy/helperPod.yaml', helperPod), kustomization(entry)], { threads: 1 })
      expect(ids(r.findings, 'k8s/privileged-container')).toEqual(['deploy/helperPod.yaml:10'])
      expect(ids(r.findings, 'k8s/service-account-token-automount')).toEqual([])
    }
    // Listed as a resource instead, the same Pod runs as written, with the default service account.
    const applied = await analyzeFiles([manifest('deploy/helperPod.yaml', helperPod), { path: 'deploy/kustomization.yaml', kind: 'other', content: 'resources:\n  - helperPod.yaml\n' }], { threads: 1 })
    expect(ids(applied.findings, 'k8s/service-account-token-automount')).toEqual(['deploy/helperPod.yaml:5'])
  })
})

describe('a strategic-merge patch by its shape', () => {
  // No selector, a sidecar with its own image and limits left to the base, the main container with no image.
  const sidecarPatch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller\nspec:\n  template:\n    spec:\n      containers:\n        - name: proxy\n          image: registry.example/proxy:0.4.0\n        - name: controller\n          args: [--v=2]\n'
  it('reports neither a missing setting nor a missing limit, for the rules or for cost', async () => {
    const { findings } = await analyzeFiles([manifest('config/default/proxy_patch.yaml', sidecarPatch)])
    expect(findings.map((f) => f.ruleId)).toEqual([])
  })
  it('with a selector it is a whole Deployment: its missing image and limits are reported', async () => {
    const whole = sidecarPatch.replace('spec:\n  template:', 'spec:\n  selector:\n    matchLabels:\n      app: controller\n  template:')
    const ruleIds = (await analyzeFiles([manifest('config/default/controller.yaml', whole)])).findings.map((f) => f.ruleId)
    expect(ruleIds).toEqual(expect.arrayContaining(['k8s/image-missing', 'k8s/no-memory-limits']))
  })
})

describe('contextPathsFor', () => {
  it('names the other manifests of the folder, not subfolders or other files', () => {
    const tree = ['k8s/web.yaml', 'k8s/pdb.yml', 'k8s/hpa.json', 'k8s/README.md', 'k8s/overlays/prod/patch.yaml', 'other/x.yaml', 'root.yaml']
    expect(contextPathsFor('k8s/web.yaml', tree)).toEqual(['k8s/pdb.yml', 'k8s/hpa.json'])
    expect(contextPathsFor('root.yaml', tree)).toEqual([])
  })
  it('is reached through the engine by file kind', () => {
    const tree = ['k8s/web.yaml', 'k8s/pdb.yaml', 'charts/a/Chart.yaml', 'charts/a/templates/d.yaml', 'main.tf']
    expect(contextPathsForFile({ path: 'k8s/web.yaml', kind: 'kubernetes' }, tree)).toEqual(['k8s/pdb.yaml'])
    expect(contextPathsForFile({ path: 'charts/a/templates/d.yaml', kind: 'helm' }, tree)).toEqual(['charts/a/Chart.yaml'])
    // A Terraform file is read with its module: the other files of its folder (as globs).
    expect(contextPathsForFile({ path: 'main.tf', kind: 'terraform' }, tree)).toContain('*.tf')
    expect(contextPathsForFile({ path: 'Dockerfile', kind: 'dockerfile' }, tree)).toEqual([])
  })
  it('without a tree, gives the globs of the folder manifests', () => {
    expect(contextPathsFor('k8s/web.yaml')).toEqual(['k8s/*.yaml', 'k8s/*.yml', 'k8s/*.json'])
    expect(contextPathsFor('web.yaml')).toEqual(['*.yaml', '*.yml', '*.json'])
  })
})
