import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { analyzeKubernetes, kubernetesRules } from '../src/rules/k8s/index.js'
import { imageProblem } from '../src/rules/k8s/containers.js'
import { isRuntimeSocketPath } from '../src/rules/k8s/pod.js'
import { analyzeFile } from '../src/rules/index.js'
import { ParseError } from '../src/rules/parse/yaml.js'
import { CATEGORIES, SEVERITIES, type Finding } from '../src/types.js'
import { growthRatio } from './helpers/growth.js'

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/rules/kubernetes/${name}`, import.meta.url), 'utf8')
const analyze = (content: string, path = 'k8s/app.yaml'): Finding[] => analyzeKubernetes({ path, kind: 'kubernetes', content })
/** `ruleId@line` pairs, sorted, for exact comparisons. */
const pairs = (findings: Finding[]): string[] => findings.map((f) => `${f.ruleId}@${f.line}`).sort()
const linesOf = (findings: Finding[], ruleId: string): number[] => findings.filter((f) => f.ruleId === ruleId).map((f) => f.line).sort((a, b) => a - b)

describe('kubernetes rule catalogue', () => {
  it('has unique k8s/ ids with vocabulary categories and severities', () => {
    const ids = kubernetesRules.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of kubernetesRules) {
      expect(r.id).toMatch(/^k8s\/[a-z0-9-]+$/)
      expect(r.kind).toBe('kubernetes')
      expect(CATEGORIES).toContain(r.category)
      expect(SEVERITIES).toContain(r.severity)
    }
  })
  it('matches KICS categories for the corpus queries', () => {
    const byId = new Map(kubernetesRules.map((r) => [r.id, r]))
    expect(byId.get('k8s/no-cpu-limits')?.category).toBe('cost')
    expect(byId.get('k8s/no-memory-requests')?.category).toBe('cost')
    expect(byId.get('k8s/no-liveness-probe')?.category).toBe('slo')
    expect(byId.get('k8s/no-pod-disruption-budget')?.category).toBe('slo')
    expect(byId.get('k8s/image-latest')?.category).toBe('immutability')
    expect(byId.get('k8s/secret-in-env')?.category).toBe('secrets')
    expect(byId.get('k8s/secret-literal-env')?.severity).toBe('high')
    expect(byId.get('k8s/secret-in-env')?.severity).toBe('low')
  })
})

describe('insecure deployment (Helm-rendered)', () => {
  const findings = analyze(fixture('insecure-deployment.yaml'))

  it('reports each problem at its exact line', () => {
    const expected = [
      'k8s/single-replica@8',
      'k8s/no-revision-history@9',
      'k8s/recreate-strategy@11',
      'k8s/no-min-ready-seconds@7',
      'k8s/host-network@20',
      'k8s/host-pid@21',
      'k8s/host-ipc@22',
      'k8s/run-as-root@24',
      'k8s/image-latest@27',
      'k8s/image-latest@30',
      'k8s/privileged-container@32',
      'k8s/privilege-escalation-allowed@33',
      'k8s/dangerous-capability@35',
      'k8s/secret-literal-env@38',
      'k8s/secret-in-env@41',
      'k8s/secret-in-env@47',
      'k8s/image-missing@49',
      'k8s/container-runtime-socket-mount@53',
      'k8s/host-path-volume@56'
    ]
    for (const p of expected) expect(pairs(findings)).toContain(p)
  })

  it('exempts init containers from probes but not from resources', () => {
    expect(linesOf(findings, 'k8s/no-liveness-probe')).toEqual([29, 49])
    expect(linesOf(findings, 'k8s/no-readiness-probe')).toEqual([29, 49])
    expect(linesOf(findings, 'k8s/no-cpu-requests')).toEqual([26, 29, 49])
    expect(linesOf(findings, 'k8s/no-memory-limits')).toEqual([26, 29, 49])
  })

  it('names every container running as root in one finding at the pod-level runAsUser', () => {
    const root = findings.filter((f) => f.ruleId === 'k8s/run-as-root')
    expect(root).toHaveLength(1)
    expect(root[0].message).toBe('containers `migrate`, `web`, `sidecar` of Deployment `web` run as UID 0 (root)')
  })

  it('suggests the mechanical fix for privileged and privilege escalation, keeping indentation', () => {
    expect(findings.find((f) => f.ruleId === 'k8s/privileged-container')).toMatchObject({
      category: 'security',
      severity: 'critical',
      suggestion: '            privileged: false'
    })
    expect(findings.find((f) => f.ruleId === 'k8s/privilege-escalation-allowed')?.suggestion).toBe('            allowPrivilegeEscalation: false')
  })

  it('does not suggest replicas: 2 for a Recreate deployment', () => {
    expect(findings.find((f) => f.ruleId === 'k8s/single-replica')?.suggestion).toBeUndefined()
  })

  it('never echoes the literal secret and ignores non-secret env values', () => {
    const secret = findings.find((f) => f.ruleId === 'k8s/secret-literal-env')
    expect(secret?.message).toBe('container `web` sets `DB_PASSWORD` to a literal value')
    for (const f of findings) expect(JSON.stringify(f)).not.toContain('Lq8vZm2K-pw')
    expect(findings.filter((f) => f.ruleId === 'k8s/secret-literal-env')).toHaveLength(1)
  })

  it('keeps the category and severity of the rule meta', () => {
    const meta = new Map(kubernetesRules.map((r) => [r.id, r]))
    for (const f of findings) {
      expect(f.category).toBe(meta.get(f.ruleId)?.category)
      // The lowerings this fixture shows say so: a host namespace beside a privileged container, an init container's requests,
      // a capability added to a privileged container, escalation allowed beside SYS_ADMIN (which refuses `false`).
      const lowered = /is privileged, which gives it the node already/.test(f.message)
        ? 'medium'
        : /the pod reserves the larger of its init containers' requests|\(low: it is also privileged, which grants every capability|beside which the API server refuses `allowPrivilegeEscalation: false`/.test(f.message)
          ? 'low'
          : undefined
      expect(f.severity).toBe(lowered ?? meta.get(f.ruleId)?.severity)
      expect(f.path).toBe('k8s/app.yaml')
    }
  })
})

describe('fixed deployment', () => {
  it('stays quiet when every rule is satisfied (probes, resources, digest, security context, PDB, anti-affinity)', () => {
    expect(analyze(fixture('secure-deployment.yaml'))).toEqual([])
  })
})

describe('multi-document file with a PodDisruptionBudget', () => {
  const findings = analyze(fixture('multi-doc-pdb.yaml'))

  it('counts a PDB in the same stream whose selector matches the pod labels', () => {
    expect(linesOf(findings, 'k8s/no-pod-disruption-budget')).toEqual([44])
  })
  it('accepts topology spread constraints instead of anti-affinity', () => {
    expect(linesOf(findings, 'k8s/no-pod-anti-affinity')).toEqual([50])
  })
  it('lets an autoscaler own the replica count', () => {
    expect(findings.some((f) => f.ruleId === 'k8s/single-replica')).toBe(false)
  })
  it('flags the workload once the PDB selector no longer matches', () => {
    const broken = fixture('multi-doc-pdb.yaml').replace('      app: covered\n---', '      app: something-else\n---')
    expect(linesOf(analyze(broken), 'k8s/no-pod-disruption-budget')).toEqual([19, 44])
  })
})

describe('workload rules on small manifests', () => {
  const deployment = (spec: string, podSpec = '', replicas = 3): string =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      `  replicas: ${replicas}`,
      spec,
      '  selector:',
      '    matchLabels:',
      '      app: web',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: web',
      '    spec:',
      podSpec,
      '      containers:',
      '        - name: web',
      '          image: nginx:1.27'
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n'

  it('suggests replicas: 2 for a stateless single-replica deployment', () => {
    const f = analyze(deployment('', '', 1) + '          ports:\n            - containerPort: 80\n').find((x) => x.ruleId === 'k8s/single-replica')
    expect(f).toMatchObject({ line: 6, severity: 'medium', suggestion: '  replicas: 2', category: 'slo' })
  })

  it('points at the anti-affinity selector that does not select the pods', () => {
    const podSpec = [
      '      affinity:',
      '        podAntiAffinity:',
      '          requiredDuringSchedulingIgnoredDuringExecution:',
      '            - topologyKey: kubernetes.io/hostname',
      '              labelSelector:',
      '                matchLabels:',
      '                  app: other'
    ].join('\n')
    const findings = analyze(deployment('', podSpec))
    expect(linesOf(findings, 'k8s/no-pod-anti-affinity')).toEqual([20])
    const fixed = analyze(deployment('', podSpec.replace('app: other', 'app: web')))
    expect(linesOf(fixed, 'k8s/no-pod-anti-affinity')).toEqual([])
  })

  it('does not ask a single-replica workload for a PDB or anti-affinity', () => {
    const findings = analyze(deployment('', '', 1))
    expect(linesOf(findings, 'k8s/no-pod-disruption-budget')).toEqual([])
    expect(linesOf(findings, 'k8s/no-pod-anti-affinity')).toEqual([])
  })

  it('reports Recreate and a zero revision history, and nothing once fixed', () => {
    const bad = analyze(deployment('  revisionHistoryLimit: 0\n  strategy:\n    type: Recreate'))
    expect(linesOf(bad, 'k8s/no-revision-history')).toEqual([7])
    expect(linesOf(bad, 'k8s/recreate-strategy')).toEqual([9])
    const good = analyze(deployment('  revisionHistoryLimit: 5\n  minReadySeconds: 10\n  strategy:\n    type: RollingUpdate'))
    expect(good.filter((f) => f.category === 'rollback')).toEqual([])
  })
})

describe('pod identity (KICS containers_running_as_root semantics)', () => {
  const pod = (podSc: string, containerSc: string): string =>
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      podSc ? `  securityContext:\n${podSc}` : '',
      '  containers:',
      '    - name: app',
      '      image: app:1.0',
      containerSc ? `      securityContext:\n${containerSc}` : ''
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n'
  const identity = (content: string): string[] => pairs(analyze(content).filter((f) => f.ruleId.startsWith('k8s/run-as-')))

  it('flags a container with no user settings at its own line', () => {
    expect(identity(pod('', ''))).toEqual(['k8s/run-as-non-root-not-set@7'])
  })
  it('lets the container UID override a root pod UID', () => {
    expect(identity(pod('    runAsUser: 0\n    runAsNonRoot: false', '        runAsUser: 1000\n        runAsNonRoot: false'))).toEqual([])
  })
  it('flags a container UID of 0 at that line even when the pod is non-root', () => {
    expect(identity(pod('    runAsUser: 1000\n    runAsNonRoot: true', '        runAsUser: 0'))).toEqual(['k8s/run-as-root@13'])
  })
  it('points at an explicit runAsNonRoot: false', () => {
    expect(identity(pod('    runAsNonRoot: false', ''))).toEqual(['k8s/run-as-non-root-not-set@7'])
  })
  it('accepts runAsNonRoot: true from the pod', () => {
    expect(identity(pod('    runAsNonRoot: true', ''))).toEqual([])
  })
})

describe('host mounts', () => {
  const volumePod = (namespace: string, hostPath: string): string =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ${namespace}\nspec:\n  containers:\n    - name: c\n      image: c:1\n  volumes:\n    - name: v\n      hostPath:\n        path: ${hostPath}\n`

  it('exempts kube-system from the hostPath rule but never the runtime socket', () => {
    expect(linesOf(analyze(volumePod('kube-system', '/var/log')), 'k8s/host-path-volume')).toEqual([])
    expect(linesOf(analyze(volumePod('apps', '/var/log')), 'k8s/host-path-volume')).toEqual([13])
    expect(linesOf(analyze(volumePod('kube-system', '/var/run/docker.sock')), 'k8s/container-runtime-socket-mount')).toEqual([13])
  })

  it('flags hostPath PersistentVolumes', () => {
    const pv = 'kind: PersistentVolume\napiVersion: v1\nmetadata:\n  name: pv\nspec:\n  hostPath:\n    path: /\n'
    expect(pairs(analyze(pv))).toEqual(['k8s/host-path-volume@7'])
  })

  it('recognises runtime sockets', () => {
    expect(isRuntimeSocketPath('/run/containerd/containerd.sock')).toBe(true)
    expect(isRuntimeSocketPath('/var/run')).toBe(true)
    expect(isRuntimeSocketPath('/var/lib/docker/containers')).toBe(false)
  })
})

describe('cluster objects in a List', () => {
  const findings = analyze(fixture('cluster-objects.yaml'))

  it('reports RBAC wildcards, cluster-admin bindings and exposed Services at their lines', () => {
    const clusterRules = /^k8s\/(rbac|cluster-admin|load-balancer|node-port)/
    expect(pairs(findings.filter((f) => clusterRules.test(f.ruleId)))).toEqual(
      [
        // One finding per rule entry, at the entry.
        'k8s/rbac-wildcard@9',
        'k8s/rbac-wildcard@12',
        'k8s/cluster-admin-binding@23',
        'k8s/load-balancer-open@33',
        'k8s/node-port-service@57'
      ].sort()
    )
  })
  it('expects no probes from a CronJob', () => {
    expect(findings.some((f) => f.ruleId === 'k8s/no-liveness-probe')).toBe(false)
  })
})

describe('other pod templates', () => {
  it('checks containers of unknown kinds with a pod template (Knative)', () => {
    const ksvc = 'apiVersion: serving.knative.dev/v1\nkind: Configuration\nmetadata:\n  name: c\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app:1\n          resources:\n            limits:\n              memory: 64Mi\n'
    const findings = analyze(ksvc)
    expect(linesOf(findings, 'k8s/no-cpu-limits')).toEqual([12])
    expect(linesOf(findings, 'k8s/no-memory-requests')).toEqual([11])
  })
  it('ignores documents that are not objects', () => {
    expect(analyze('---\n# only a comment\n---\nfoo: bar\n---\n- a\n- b\n')).toEqual([])
  })
})

describe('image references', () => {
  it.each([
    ['nginx', 'untagged'],
    ['nginx:latest', 'latest'],
    ['registry.example.com:5000/team/app', 'untagged'],
    ['registry.example.com:5000/team/app:1.2', undefined],
    ['app@sha256:abcdef', undefined],
    ['${IMAGE}', undefined]
  ])('%s → %s', (ref, expected) => {
    expect(imageProblem(ref)).toBe(expected)
  })
})

describe('bad input', () => {
  it('throws ParseError on malformed YAML', () => {
    expect(() => analyze(fixture('malformed.yaml'))).toThrow(ParseError)
  })

  it('turns an alias bomb into a ParseError, refusing before the expansion grows', async () => {
    const bomb = (levels: number): string => {
      const names = 'abcdefghijkl'
      const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
      for (let i = 1; i < levels; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`)
      return `apiVersion: v1\nkind: ConfigMap\n${lines.join('\n')}\n`
    }
    const refused = (text: string) => () => expect(() => analyze(text)).toThrow(ParseError)
    // One more level is nine times the expansion; refused early, it costs about the same.
    expect(await growthRatio(refused(bomb(10)), refused(bomb(11)), { rounds: 7 })).toBeLessThanOrEqual(3)
  })

  it('becomes a parse note in the registry, not a crash', async () => {
    const result = await analyzeFile({ path: 'k8s/broken.yaml', kind: 'kubernetes', content: fixture('malformed.yaml') })
    expect(result.notes).toEqual([expect.objectContaining({ path: 'k8s/broken.yaml', reason: 'parse' })])
  })
})

describe('hardening rules: capabilities, seccomp, service-account token', () => {
  const findings = analyze(fixture('hardening.yaml'))
  const hardening = /^k8s\/(capabilities-not-dropped|net-raw-capability|no-seccomp-profile|service-account-token-automount)$/

  it('reports each missing setting once, at the place to fix it', () => {
    expect(pairs(findings.filter((f) => hardening.test(f.ruleId)))).toEqual(
      [
        // cart: nothing set; its default ServiceAccount (same file) switches the token off
        'k8s/capabilities-not-dropped@16',
        'k8s/no-seccomp-profile@14',
        // pinger: drops something but not ALL, adds NET_RAW, Unconfined; own service account
        'k8s/capabilities-not-dropped@41',
        'k8s/net-raw-capability@43',
        'k8s/no-seccomp-profile@36'
      ].sort()
    )
  })

  it('asks for automount off only when the default ServiceAccount of the set leaves it on', () => {
    const withoutAccount = fixture('hardening.yaml').replace('automountServiceAccountToken: false\n', '')
    expect(linesOf(analyze(withoutAccount), 'k8s/service-account-token-automount')).toEqual([14, 63])
    const podOptOut = withoutAccount.replace('    spec:\n      containers:\n        - name: api', '    spec:\n      automountServiceAccountToken: false\n      containers:\n        - name: api')
    expect(linesOf(analyze(podOptOut), 'k8s/service-account-token-automount')).toEqual([14])
  })

  it('labels the low-severity ones as hardening and says what is kept', () => {
    for (const f of findings.filter((x) => hardening.test(x.ruleId) && x.severity === 'low')) expect(f.message).toMatch(/^hardening: /)
    const kept = findings.filter((f) => f.ruleId === 'k8s/capabilities-not-dropped').map((f) => f.message)
    expect(kept[0]).toContain('NET_RAW among them under containerd and Docker')
    expect(kept[1]).toContain('NET_RAW among them under containerd and Docker')
    expect(findings.find((f) => f.ruleId === 'k8s/no-seccomp-profile' && f.line === 36)?.message).toContain('Unconfined')
  })

  it('is quiet once drop ALL and RuntimeDefault are set and automount is off', () => {
    const fixed = fixture('hardening.yaml')
      .replace('      containers:\n        - name: server', '      automountServiceAccountToken: false\n      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n      containers:\n        - name: server')
      .replace('          image: example.com/cart:0.9.1', '          image: example.com/cart:0.9.1\n          securityContext:\n            capabilities:\n              drop: [ALL]')
    const cart = analyze(fixed).filter((f) => hardening.test(f.ruleId) && f.message.includes('`cart`'))
    expect(cart).toEqual([])
  })

  it('accepts the legacy seccomp annotation and an explicitly dropped NET_RAW', () => {
    const annotated = fixture('hardening.yaml').replace('      labels:\n        app: cart', '      annotations:\n        seccomp.security.alpha.kubernetes.io/pod: runtime/default\n      labels:\n        app: cart')
    expect(analyze(annotated).filter((f) => f.ruleId === 'k8s/no-seccomp-profile' && f.message.includes('`cart`'))).toEqual([])
    const dropsNetRaw = fixture('hardening.yaml').replace('drop: [NET_ADMIN]', 'drop: [NET_ADMIN, NET_RAW]')
    const kept = analyze(dropsNetRaw).find((f) => f.ruleId === 'k8s/capabilities-not-dropped' && f.line === 41)
    expect(kept?.message).not.toContain('NET_RAW')
  })

  it('does not ask a privileged container to drop capabilities (the privileged finding says more)', () => {
    const findings = analyze(fixture('insecure-deployment.yaml'))
    const privilegedLine = findings.find((f) => f.ruleId === 'k8s/privileged-container')?.line
    expect(privilegedLine).toBeDefined()
    const web = findings.filter((f) => f.ruleId === 'k8s/capabilities-not-dropped' && f.message.includes('container `web`'))
    expect(web).toEqual([])
  })
})

describe('rule coverage of the fixtures', () => {
  it('fires every Kubernetes rule at least once across the fixtures', () => {
    const fired = new Set(
      ['insecure-deployment.yaml', 'multi-doc-pdb.yaml', 'cluster-objects.yaml', 'hardening.yaml'].flatMap((name) => analyze(fixture(name)).map((f) => f.ruleId))
    )
    expect(kubernetesRules.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([])
  })
})

describe('robustness', () => {
  const lines = fixture('insecure-deployment.yaml').split('\n')
  it('either analyzes or throws ParseError on any cut of a real file', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(lines.length - 1), { maxLength: 8 }), fc.string({ maxLength: 20 }), (drop, noise) => {
        const content = lines.filter((_, i) => !drop.includes(i)).join('\n') + noise
        try {
          for (const f of analyze(content)) expect(f.line).toBeGreaterThanOrEqual(1)
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError)
        }
      }),
      { numRuns: 200 }
    )
  })
})
