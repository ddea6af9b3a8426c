/** Helm charts: rendering through a stub `helm`, mapping findings to templates, values checks without helm. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { analyzeFiles } from '../src/rules/index.js'
import { helmContextPathsFor, helmRules } from '../src/rules/helm/index.js'
import { anchorOf, splitRendered } from '../src/rules/helm/rendered.js'
import { checkValues } from '../src/rules/helm/values.js'
import { CATEGORIES, SEVERITIES, TOPICS, type Finding, type SourceFile } from '../src/types.js'
import { createStubHelm, type StubHelm } from './helpers/stub-helm.js'

const helm = (path: string, content: string, contextOnly?: boolean): SourceFile => ({ path, kind: 'helm', content, ...(contextOnly ? { contextOnly } : {}) })

const CHART_YAML = 'apiVersion: v2\nname: shop\nversion: 1.2.0\n'
const VALUES = `image:
  repository: example.com/shop
  tag: latest
securityContext: {}
resources: {}
`
// Line numbers of this template are asserted below.
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Values.name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
        - name: shop
          image: "example.com/shop:{{ .Values.image.tag }}"
          securityContext:
            privileged: {{ .Values.privileged }}
`
const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: shop
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: shop
`
const chart = (root: string, extra: SourceFile[] = []): SourceFile[] => [
  helm(`${root}/Chart.yaml`, CHART_YAML),
  helm(`${root}/values.yaml`, VALUES),
  helm(`${root}/templates/deployment.yaml`, DEPLOYMENT),
  ...extra
]
const at = (findings: Finding[], rule: string): string[] => findings.filter((f) => f.ruleId === rule).map((f) => `${f.path}:${f.line}`).sort()

describe('helm rule catalogue', () => {
  it('has helm/ ids with vocabulary categories and severities', () => {
    for (const r of helmRules) {
      expect(r.id).toMatch(/^helm\/[a-z0-9-]+$/)
      expect(r.kind).toBe('helm')
      expect(CATEGORIES).toContain(r.category)
      expect(SEVERITIES).toContain(r.severity)
      for (const t of r.topics ?? []) expect(TOPICS).toContain(t)
      expect(r.topics?.length).toBeGreaterThan(0)
    }
  })
})

describe('with helm on PATH (stub)', () => {
  let stub: StubHelm
  beforeEach(() => {
    stub = createStubHelm()
    stub.install('stub')
    stub.setValues({ name: 'shop', replicas: 3, 'image.tag': 'latest', privileged: true })
  })
  afterEach(() => stub.restore())

  it('renders the chart and reports Kubernetes findings at the template line holding the key', async () => {
    const { findings, notes } = await analyzeFiles(chart('charts/shop'))
    expect(notes).toEqual([])
    expect(at(findings, 'k8s/privileged-container')).toEqual(['charts/shop/templates/deployment.yaml:19'])
    expect(at(findings, 'k8s/image-latest')).toEqual(['charts/shop/templates/deployment.yaml:17'])
    const privileged = findings.find((f) => f.ruleId === 'k8s/privileged-container')
    expect(privileged?.via).toBe('chart rendered with its default values')
    expect(privileged?.suggestion).toBeUndefined()
    // Rendered findings replace the values checks: nothing reported on values.yaml.
    expect(findings.filter((f) => f.path.endsWith('values.yaml') && f.ruleId.startsWith('helm/'))).toEqual([])
  })

  it('runs helm template without hooks, tests, cluster or dependency build, on a copy of the chart', async () => {
    await analyzeFiles(chart('charts/shop'))
    const [call] = stub.calls()
    expect(call.args.slice(0, 2)).toEqual(['template', 'preflight'])
    expect(call.args).toEqual(expect.arrayContaining(['--no-hooks', '--skip-tests']))
    expect(call.args.join(' ')).not.toMatch(/dependency|--validate|--kube/)
    expect(call.args[2]).not.toContain('charts/shop')
    expect(call.files).toEqual(['Chart.yaml', 'templates/deployment.yaml', 'values.yaml'])
    // No token or credential of the caller reaches helm.
    expect(call.env).not.toContain('GITHUB_TOKEN')
    expect(call.env).toContain('HELM_CONFIG_HOME')
  })

  it('sees a PodDisruptionBudget from another template of the same release', async () => {
    const without = await analyzeFiles(chart('charts/shop'))
    expect(at(without.findings, 'k8s/no-pod-disruption-budget')).toEqual(['charts/shop/templates/deployment.yaml:8'])
    const withPdb = await analyzeFiles(chart('charts/shop', [helm('charts/shop/templates/pdb.yaml', PDB)]))
    expect(at(withPdb.findings, 'k8s/no-pod-disruption-budget')).toEqual([])
  })

  it('never reports on context-only templates', async () => {
    const files = chart('charts/shop').map((f) => (f.path.endsWith('deployment.yaml') ? { ...f, contextOnly: true } : f))
    const { findings } = await analyzeFiles(files)
    expect(findings.filter((f) => f.path.endsWith('deployment.yaml'))).toEqual([])
  })

  it('turns missing subcharts into a note and falls back to the values checks', async () => {
    stub.setMode('missing-deps')
    const { findings, notes } = await analyzeFiles(chart('charts/shop'))
    expect(notes).toHaveLength(1)
    expect(notes[0].message).toMatch(/chart `charts\/shop`: templates were not analysed \(subcharts are not vendored/)
    expect(at(findings, 'helm/values-image-latest')).toEqual(['charts/shop/values.yaml:3'])
  })

  it('stops a render that runs too long or prints too much, with a note', async () => {
    stub.setMode('sleep')
    const slow = await analyzeFiles(chart('charts/shop'), { helm: { render: { timeoutMs: 300 } } })
    expect(slow.notes.map((n) => n.message).join('\n')).toMatch(/did not finish within/)
    stub.setMode('huge')
    const huge = await analyzeFiles(chart('charts/shop'), { helm: { render: { maxOutputBytes: 1024 * 1024 } } })
    expect(huge.notes.map((n) => n.message).join('\n')).toMatch(/larger than 1 MiB/)
  })

  it('uses manifests rendered by an earlier step instead of running helm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rendered-'))
    try {
      const rendered = `---\n# Source: shop/templates/deployment.yaml\n${DEPLOYMENT.replace(/{{ \.Values\.name }}/, 'shop').replace('{{ .Values.replicas }}', '1').replace('{{ .Values.image.tag }}', '1.0.0').replace('{{ .Values.privileged }}', 'false')}`
      writeFileSync(join(dir, 'all.yaml'), rendered)
      stub.setMode('missing-deps')
      const { findings, notes } = await analyzeFiles(chart('charts/shop'), { helm: { renderedDir: dir } })
      expect(stub.calls()).toEqual([])
      expect(notes).toEqual([])
      expect(at(findings, 'k8s/single-replica')).toEqual(['charts/shop/templates/deployment.yaml:6'])
      expect(at(findings, 'k8s/privileged-container')).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('without helm on PATH', () => {
  let stub: StubHelm
  beforeEach(() => {
    stub = createStubHelm()
    stub.install('none')
  })
  afterEach(() => stub.restore())

  it('says once per chart that its templates were not analysed and checks values.yaml', async () => {
    const { findings, notes } = await analyzeFiles([...chart('charts/shop'), ...chart('deploy/helm/api')])
    expect(notes.map((n) => n.path)).toEqual(['charts/shop/Chart.yaml', 'deploy/helm/api/Chart.yaml'])
    for (const n of notes) expect(n.message).toMatch(/templates were not analysed \(no `helm` executable on PATH\)/)
    expect(at(findings, 'helm/values-image-latest')).toEqual(['charts/shop/values.yaml:3', 'deploy/helm/api/values.yaml:3'])
    expect(at(findings, 'helm/values-empty-security-context')).toEqual(['charts/shop/values.yaml:4', 'deploy/helm/api/values.yaml:4'])
    expect(at(findings, 'helm/values-no-resources')).toEqual(['charts/shop/values.yaml:5', 'deploy/helm/api/values.yaml:5'])
    expect(findings.filter((f) => f.ruleId.startsWith('k8s/'))).toEqual([])
  })

  it('needs the Chart.yaml to render; a lone template still gets its note', async () => {
    const { notes } = await analyzeFiles([helm('charts/shop/templates/deployment.yaml', DEPLOYMENT)])
    expect(notes).toHaveLength(1)
    expect(notes[0].message).toMatch(/chart `charts\/shop`: templates were not analysed \(its Chart.yaml is not among the files read\)/)
  })
})

describe('Helm files outside a chart of the list', () => {
  it('checks a values file changed on its own and notes other loose Helm files', async () => {
    const { findings, notes } = await analyzeFiles([helm('deploy/values-prod.yaml', 'image:\n  tag: latest\n'), helm('deploy/helpers.tpl', '{{- define "x" }}{{ end }}\n')])
    expect(at(findings, 'helm/values-image-latest')).toEqual(['deploy/values-prod.yaml:2'])
    expect(notes.map((n) => n.path)).toEqual(['deploy/helpers.tpl'])
  })
})

describe('values.yaml defaults', () => {
  it('reports insecure and empty defaults at their keys, labelling hardening', () => {
    const values = `controller:
  image: example.com/ctl:latest
  podSecurityContext:
    runAsUser: 0
  containerSecurityContext:
    privileged: true
  livenessProbe:
    enabled: false
  readinessProbe: {}
  resources:
    requests:
      cpu: 10m
featureFlags:
  privileged: true
`
    const findings = checkValues('values.yaml', values)
    expect(findings.map((f) => `${f.ruleId}@${f.line}`).sort()).toEqual(
      ['helm/values-image-latest@2', 'helm/values-run-as-root@4', 'helm/values-privileged@6', 'helm/values-probe-disabled@7', 'helm/values-probe-disabled@9'].sort()
    )
    expect(findings.find((f) => f.line === 4)?.message).toBe('chart default `controller.podSecurityContext.runAsUser` is UID 0: the containers this security context applies to run as root')
    expect(checkValues('values.yaml', 'securityContext: {}\n')[0].message).toMatch(/^hardening: /)
    // A component that is off by default installs nothing: its empty probes and resources do not matter.
    const off = 'sidecar:\n  enabled: false\n  livenessProbe: {}\n  resources: {}\nmain:\n  resources: {}\n'
    expect(checkValues('values.yaml', off).map((f) => `${f.ruleId}@${f.line}`)).toEqual(['helm/values-no-resources@6'])
  })
})

describe('mapping rendered output to templates', () => {
  it('splits a stream by its Source headers, per chart and template', () => {
    const stream = '---\n# Source: a/templates/x.yaml\nkind: A\n---\n# Source: a/templates/y.yaml\nkind: B\n---\n# Source: a/templates/x.yaml\nkind: C\n---\n# Source: b/templates/z.yaml\nkind: D\n'
    const charts = splitRendered(stream)
    expect(charts.map((c) => c.chart)).toEqual(['a', 'b'])
    expect(charts[0].templates.map((t) => t.source)).toEqual(['templates/x.yaml', 'templates/y.yaml'])
    expect(charts[0].templates[0].content).toContain('kind: A')
    expect(charts[0].templates[0].content).toContain('kind: C')
  })

  it('anchors in a helper when the template only includes it, else on the file', () => {
    const template = helm('c/templates/ds.yaml', 'kind: DaemonSet\nspec:\n  template:\n    {{- include "c.pod" . | nindent 4 }}\n')
    const helper = helm('c/templates/_pod.tpl', '{{- define "c.pod" -}}\nspec:\n  hostNetwork: {{ .Values.hostNetwork }}\n{{- end }}\n')
    const rendered = 'kind: DaemonSet\nspec:\n  template:\n    spec:\n      hostNetwork: true\n'
    expect(anchorOf(template, [helper], rendered, 5)).toEqual({ path: 'c/templates/_pod.tpl', line: 3, anchored: true })
    expect(anchorOf(template, [], rendered, 5)).toEqual({ path: 'c/templates/ds.yaml', line: 1, anchored: false })
  })

  it('prefers the line with the same value, then the one whose neighbours match, over an earlier same-named key', () => {
    const template = helm('c/templates/ds.yaml', 'kind: DaemonSet\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    {{- include "c.pod" . | nindent 4 }}\n')
    const helper = helm('c/templates/_pod.tpl', '{{- define "c.pod" -}}\nspec:\n  serviceAccountName: x\n  securityContext:\n    {{- toYaml .Values.pod | nindent 4 }}\n  containers:\n    - name: agent\n      ports:\n        - containerPort: 80\n      securityContext:\n        {{- toYaml .Values.container | nindent 8 }}\n{{- end }}\n')
    const rendered = 'kind: DaemonSet\nmetadata:\n  name: rel\nspec:\n  template:\n    spec:\n      serviceAccountName: x\n      securityContext:\n        {}\n      containers:\n        - name: agent\n          ports:\n            - containerPort: 80\n          securityContext:\n            {}\n'
    expect(anchorOf(template, [helper], rendered, 11)).toMatchObject({ path: 'c/templates/_pod.tpl', line: 7 })
    expect(anchorOf(template, [helper], rendered, 8)).toMatchObject({ path: 'c/templates/_pod.tpl', line: 4 })
    expect(anchorOf(template, [helper], rendered, 14)).toMatchObject({ path: 'c/templates/_pod.tpl', line: 10 })
  })

  it('anchors a key rendered through toYaml on the values.yaml default with the same value', () => {
    const template = helm('c/templates/ds.yaml', 'kind: DaemonSet\nspec:\n  template:\n    spec:\n      securityContext:\n        {{- toYaml .Values.podSecurityContext | nindent 8 }}\n')
    const values = helm('c/values.yaml', 'podSecurityContext:\n  runAsUser: 0 # reads host logs\ncontainerSecurityContext:\n  runAsUser: 1000\n')
    const rendered = 'kind: DaemonSet\nspec:\n  template:\n    spec:\n      securityContext:\n        runAsUser: 0\n'
    expect(anchorOf(template, [], rendered, 6, values)).toEqual({ path: 'c/values.yaml', line: 2, anchored: true })
    // A value the defaults do not hold is not pinned on a same-named key of values.yaml.
    expect(anchorOf(template, [], rendered.replace('runAsUser: 0', 'runAsUser: 5'), 6, values)).toEqual({ path: 'c/templates/ds.yaml', line: 1, anchored: false })
  })
})

describe('helmContextPathsFor', () => {
  it('names every file of the chart of a changed template, not of other or nested charts', () => {
    const tree = ['charts/shop/Chart.yaml', 'charts/shop/values.yaml', 'charts/shop/templates/a.yaml', 'charts/shop/templates/_h.tpl', 'charts/shop/charts/sub/Chart.yaml', 'charts/shop/charts/sub/templates/s.yaml', 'charts/other/Chart.yaml', 'README.md']
    expect(helmContextPathsFor('charts/shop/templates/a.yaml', tree)).toEqual(['charts/shop/Chart.yaml', 'charts/shop/values.yaml', 'charts/shop/templates/_h.tpl'])
    expect(helmContextPathsFor('README.md', tree)).toEqual([])
    expect(helmContextPathsFor('charts/shop/templates/a.yaml')).toEqual(['charts/shop/**'])
    expect(helmContextPathsFor('charts/shop/values.yaml')).toEqual(['charts/shop/**'])
    expect(helmContextPathsFor('README.md')).toEqual([])
  })
})
