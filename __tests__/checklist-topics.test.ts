/**
 * The checklist answers its question: a labelled table (question → the topics that are relevant
 * evidence for it, as a reviewer would judge) for every bundled item and every item of the five
 * seed files, checked against a pull request that trips rules of every family. A fail or warn
 * may cite only relevant rules; a pass says what it checked; a measurement item is never
 * decided by rules; an item no rule answers is `unknown`, never `pass` by silence.
 */
import { existsSync } from 'node:fs'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas, readPersonaDir } from '../src/agents/bundled.js'
import { evaluateChecklist, NEEDS_REVIEWER } from '../src/checklist/evaluate.js'
import { inferTopics } from '../src/checklist/topics.js'
import { scopeOf } from '../src/checklist/scope.js'
import { analyzeFiles, ALL_RULES, ruleById } from '../src/rules/index.js'
import type { Finding, Persona, SourceFile, Topic } from '../src/types.js'
import { TOPICS } from '../src/types.js'
import { COST } from '../src/cost/meta.js'

/** persona name → item id → topics whose findings are relevant evidence for the question. */
const LABELS: Record<string, Record<string, Topic[]>> = {
  'bundled:devops-sre-platform': {
    'availability-slo': ['availability-target', 'redundancy', 'health-checks'],
    'latency-p95': ['latency-target', 'autoscaling', 'resource-limits'],
    'immutable-deploy': ['immutable-artifacts', 'supply-chain'],
    'rollback-plan': ['rollback-path', 'rollout-strategy'],
    'monitors-and-alerts': ['monitoring', 'logging', 'alerting'],
    'cost-weighed': ['cost-sizing', 'cost-waste', 'resource-limits'],
    'decisions-documented': [],
    'secrets-managed': ['secret-storage', 'secret-exposure'],
    'least-privilege': ['least-privilege', 'network-exposure'],
    'backup-restore': ['backups', 'deletion-protection'],
    'failure-modes': ['redundancy', 'health-checks', 'rollout-strategy']
  },
  'bundled:devops-engineer': {
    'pipeline-passes': ['pipeline-tests', 'supply-chain', 'workflow-injection'],
    'health-checks': ['health-checks'],
    'monitoring-configured': ['monitoring', 'logging', 'alerting'],
    'rollback-tested': ['rollback-path', 'rollout-strategy'],
    'immutable-artifacts': ['immutable-artifacts', 'supply-chain'],
    'secrets-handled': ['secret-storage', 'secret-exposure'],
    'least-privilege': ['least-privilege', 'network-exposure']
  },
  'bundled:infra-architect': {
    'node-failure': ['redundancy', 'health-checks'],
    'traffic-growth': ['autoscaling', 'resource-limits'],
    'failed-deploy-recovery': ['rollback-path', 'rollout-strategy', 'health-checks'],
    'operator-diagnosis': ['monitoring', 'logging'],
    'largest-cost-driver': ['cost-sizing', 'cost-waste']
  },
  'bundled:infrastructure-scale-surgeon': {
    'scaling-thresholds': ['autoscaling'],
    'right-sizing': ['cost-sizing', 'resource-limits'],
    'spot-and-reserved': [],
    'off-hours-scaling': ['cost-waste'],
    'data-lifecycle': ['cost-waste', 'logging', 'backups'],
    'unused-resources': [],
    'cost-allocation-tags': [],
    'performance-budget': ['latency-target', 'availability-target'],
    'cost-increase': ['cost-sizing', 'cost-waste', 'resource-limits'],
    'caching-and-pooling': [],
    'backup-recovery': ['backups', 'deletion-protection'],
    'alert-severity': ['alerting']
  },
  'bundled:infrastructure-reliability-engineer': {
    'performance-bottlenecks': ['latency-target', 'resource-limits', 'autoscaling'],
    'uptime-redundancy': ['availability-target', 'redundancy', 'health-checks'],
    'spike-scaling': ['autoscaling', 'resource-limits'],
    'cost-estimate': ['cost-sizing', 'cost-waste'],
    'defense-in-depth': ['secret-storage', 'secret-exposure', 'least-privilege', 'network-exposure', 'encryption'],
    'disaster-recovery': ['backups', 'deletion-protection', 'redundancy'],
    operable: ['monitoring', 'logging', 'alerting']
  },
  'seed:devops-sre-platform': {
    'maintain-99-95-donor': ['availability-target', 'redundancy', 'health-checks'],
    'p95-donation-path-latency': ['latency-target', 'autoscaling', 'resource-limits'],
    'deployment-immutable': ['immutable-artifacts', 'rollout-strategy', 'supply-chain'],
    'rollback-plan': ['rollback-path', 'rollout-strategy'],
    'sufficient-monitors-alerts': ['monitoring', 'alerting', 'logging'],
    'cost-optimized': ['cost-sizing', 'cost-waste', 'resource-limits'],
    'documented-architecture-decisions': [],
    'secrets-managed-properly': ['secret-storage', 'secret-exposure'],
    'tested-backup-recovery-procedure': ['backups', 'deletion-protection', 'rollback-path'],
    'considered-failure-modes': ['redundancy', 'health-checks', 'rollout-strategy']
  },
  'seed:infra-architect': {
    'specific-node-dies-service': ['redundancy', 'health-checks', 'availability-target'],
    'system-automatically-handle-10x': ['autoscaling', 'resource-limits'],
    'deployment-fails-quickly-system': ['rollback-path', 'rollout-strategy', 'health-checks'],
    'dashboard-or-log-operator': ['monitoring', 'logging'],
    'single-largest-cost-driver': ['cost-sizing', 'cost-waste']
  },
  'seed:infrastructure-scale-surgeon': {
    'enable-gzip-brotli-compression': [],
    'implement-lazy-loading': [],
    'optimize-images-webp-sizing': [],
    'minimize-javascript-bundles': [],
    'use-cdn-for-static': [],
    'enable-browser-caching': [],
    'add-api-response-caching': [],
    'optimize-database-queries': [],
    'implement-connection-pooling': [],
    'use-read-replicas-for': ['redundancy', 'autoscaling'],
    'enable-query-result-caching': [],
    'profile-slow-endpoints': ['latency-target'],
    'add-appropriate-indexes': [],
    'optimize-table-schemas': [],
    'schedule-maintenance-windows': [],
    'monitor-slow-query-logs': ['monitoring', 'logging', 'latency-target'],
    'implement-partitioning': [],
    'regular-vacuum-analyze': []
  }
}
// The two seeds without a checklist of their own get the default checklist.
const DEFAULT_LABELS: Record<string, Topic[]> = {
  'secrets-out-of-code': ['secret-storage', 'secret-exposure'],
  'rollback-path': ['rollback-path', 'rollout-strategy'],
  'pinned-artifacts': ['immutable-artifacts', 'supply-chain'],
  'slo-impact': ['availability-target', 'latency-target', 'redundancy', 'health-checks'],
  observable: ['monitoring', 'logging', 'alerting'],
  'cost-impact': ['cost-sizing', 'cost-waste', 'resource-limits'],
  backups: ['backups', 'deletion-protection'],
  'least-privilege': ['least-privilege', 'network-exposure']
}
LABELS['seed:devops-engineer'] = DEFAULT_LABELS
LABELS['seed:infrastructure-reliability-engineer'] = DEFAULT_LABELS

const SEEDS = '/work/shared/seeds'

// ── A pull request that trips rules of every family (our own minimal files) ─────────────────────

const FILES: SourceFile[] = [
  {
    path: 'k8s/api.yaml',
    kind: 'kubernetes',
    content: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: example/api:latest
          env:
            - name: DB_PASSWORD
              value: "s3cr3t-Pa55word-x9"
          securityContext:
            privileged: true
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: notes
data:
  note: "deploy with ghp_q7Lm2Xr9Tb4Kw8Vz1Np6Hs3Jd5Fg0Yc2Ea8R"
`
  },
  {
    path: 'Dockerfile',
    kind: 'dockerfile',
    content: 'FROM node:latest\nRUN curl -fsSL https://get.example.com/install.sh | sh\nRUN apt-get update && apt-get install -y curl\nCMD node server.js\n'
  },
  {
    path: 'docker-compose.yml',
    kind: 'compose',
    content: 'services:\n  web:\n    image: example/web:latest\n    privileged: true\n    ports:\n      - "8080:80"\n  db:\n    image: postgres:16.2\n'
  },
  {
    path: '.github/workflows/deploy.yml',
    kind: 'workflow',
    content: `name: deploy
on:
  pull_request_target:
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: someone/deploy-action@main
      - run: echo "\${{ github.event.pull_request.title }}"
      - run: ./deploy.sh production
`
  },
  {
    path: 'infra/main.tf',
    kind: 'terraform',
    content: `resource "aws_security_group" "ssh" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "db" {
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  password                = "hunter2-Very-Secret-99"
  backup_retention_period = 0
  skip_final_snapshot     = true
  publicly_accessible     = true
}

resource "aws_cloudwatch_log_group" "app" {
  name = "app"
}
`
  },
  {
    path: 'cfn/bucket.yaml',
    kind: 'cloudformation',
    content: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
`
  }
]

function load(): { key: string; persona: Persona }[] {
  const bundled = loadPersonaSet(readBundledPersonas(), []).personas.map((p) => ({ key: `bundled:${p.name}`, persona: p }))
  const seeds = loadPersonaSet([], readPersonaDir(SEEDS, '/work/shared')).personas.map((p) => ({ key: `seed:${p.name}`, persona: p }))
  return [...bundled, ...seeds]
}

const haveSeeds = existsSync(SEEDS)

describe('checklist: every answer cites relevant evidence', () => {
  let findings: Finding[] = []
  const all = load()

  beforeAll(async () => {
    findings = (await analyzeFiles(FILES)).findings
  })

  it('the pull request trips rules of every family', () => {
    const families = new Set(findings.map((f) => f.ruleId.split('/')[0]))
    for (const family of ['k8s', 'dockerfile', 'compose', 'workflow', 'tf', 'cfn', 'secrets']) expect(families).toContain(family)
  })

  it('the labelled table covers every bundled item (and every seed item when the seeds are present)', () => {
    const personas = all.filter((p) => haveSeeds || p.key.startsWith('bundled:'))
    expect(personas.length).toBe(haveSeeds ? 10 : 5)
    for (const { key, persona } of personas) {
      expect(LABELS[key]).toBeDefined()
      expect(Object.keys(LABELS[key]).sort()).toEqual(persona.checklist.map((i) => i.id).sort())
    }
  })

  it.each(all.map((p) => [p.key, p.persona] as const))('%s: fail/warn cite only relevant rules; pass says what it checked', (key, persona) => {
    const results = evaluateChecklist({ persona, findings, files: FILES, notes: [], rules: ALL_RULES })
    if (process.env.SHOW_CHECKLIST) for (const r of results) console.log(key, r.item, r.status, r.evidence.slice(0, 3).join(' | '))
    for (const r of results) {
      const label = new Set(LABELS[key][r.item])
      if (r.status === 'fail' || r.status === 'warn') {
        const cited = r.evidence.map((e) => /^([\w.-]+\/[\w.-]+) at /.exec(e)?.[1]).filter((id): id is string => id !== undefined)
        expect(cited.length).toBeGreaterThan(0)
        for (const id of cited) {
          const topics = ruleById(id)?.topics ?? []
          if (!topics.some((t) => label.has(t))) throw new Error(`${key} ${r.item} ("${r.question}") cites ${id} (${topics.join(', ')}), not relevant to ${[...label].join(', ') || 'nothing'}`)
        }
      }
      if (r.status === 'pass') expect(r.evidence[0]).toMatch(/^checked: .+ on \d+ /)
      if (label.size === 0) expect(r.status).toBe('unknown')
      const topics = r.topics ?? []
      if (topics.some((t) => t === 'latency-target' || t === 'availability-target')) expect(r.status).toBe('unknown')
    }
  })
})

describe('checklist statuses', () => {
  const persona = (items: Persona['checklist']): Persona => ({
    name: 'p',
    displayName: 'P',
    aliases: [],
    description: '',
    tools: [],
    triggers: { keywords: [], files: [] },
    checklist: items,
    body: '',
    source: 'x.md',
    origin: 'repository'
  })
  const probes = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
${['a', 'b', 'c']
  .map(
    (n) => `        - name: ${n}
          image: example/${n}:1.2.3
          readinessProbe: { httpGet: { path: /ready, port: 8080 } }
          livenessProbe: { httpGet: { path: /live, port: 8080 } }`
  )
  .join('\n')}
`

  it('pass names what was checked: health checks on 3 containers', async () => {
    const files: SourceFile[] = [{ path: 'k8s/web.yaml', kind: 'kubernetes', content: probes }]
    const { findings } = await analyzeFiles(files)
    const [r] = evaluateChecklist({ persona: persona([{ id: 'probes', question: 'Do the services have health checks?', categories: [] }]), findings, files, notes: [], rules: ALL_RULES })
    expect(r.status).toBe('pass')
    expect(r.evidence[0]).toMatch(/^checked: health checks on 3 containers \(\d+ rules?, nothing found\)$/)
  })

  it('a question no rule answers is unknown on an infra change, n/a on a change with no infra file', () => {
    const item = { id: 'adr', question: 'Are the architecture decisions written down?', categories: [] }
    const files: SourceFile[] = [{ path: 'k8s/web.yaml', kind: 'kubernetes', content: probes }]
    expect(evaluateChecklist({ persona: persona([item]), findings: [], files, notes: [], rules: ALL_RULES })[0]).toMatchObject({ status: 'unknown', evidence: [NEEDS_REVIEWER] })
    expect(evaluateChecklist({ persona: persona([item]), findings: [], files: [{ path: 'README.md', kind: 'other' }], notes: [], rules: ALL_RULES })[0].status).toBe('n/a')
  })

  it('a latency question on a Terraform variable change is unknown, never pass', () => {
    const files: SourceFile[] = [{ path: 'variables.tf', kind: 'terraform', content: 'variable "region" {\n  type = string\n}\n' }]
    const [r] = evaluateChecklist({ persona: persona([{ id: 'p95', question: 'Will p95 latency stay below 8 s?', categories: ['slo'] }]), findings: [], files, notes: [], rules: ALL_RULES })
    expect(r.status).toBe('unknown')
    expect(r.evidence[0]).toContain('needs a measurement')
  })

  it('a pipeline question is n/a on a compose-only change', () => {
    const files: SourceFile[] = [{ path: 'compose.yaml', kind: 'compose', content: 'services:\n  a:\n    image: x:1\n' }]
    const [r] = evaluateChecklist({ persona: persona([{ id: 'ci', question: 'Does the pipeline build and test before deploy?', categories: [], topics: ['pipeline-tests'] }]), findings: [], files, notes: [], rules: ALL_RULES })
    expect(r.status).toBe('n/a')
  })

  it('a secrets-manager question cites secret rules, not template injection or privileged containers', async () => {
    const { findings } = await analyzeFiles(FILES)
    const [r] = evaluateChecklist({ persona: persona([{ id: 's', question: 'Are secrets held in a secret manager?', categories: ['secrets'] }]), findings, files: FILES, notes: [], rules: ALL_RULES })
    expect(r.status).toBe('fail')
    expect(r.evidence.join('\n')).not.toMatch(/template-injection|privileged/)
  })

  it('rule ids and kinds narrow the evidence', async () => {
    const { findings } = await analyzeFiles(FILES)
    const [r] = evaluateChecklist({
      persona: persona([{ id: 'pins', question: 'Are images pinned?', categories: [], topics: [], rules: ['k8s/image-*'], kinds: ['kubernetes'] }]),
      findings,
      files: FILES,
      notes: [],
      rules: ALL_RULES
    })
    expect(r.status).toBe('warn')
    expect(r.evidence.every((e) => e.startsWith('k8s/image-'))).toBe(true)
  })

  it('a file that did not parse makes a clean item unknown, not pass', () => {
    const files: SourceFile[] = [{ path: 'k8s/web.yaml', kind: 'kubernetes', content: 'a: [' }]
    const [r] = evaluateChecklist({
      persona: persona([{ id: 'probes', question: 'Health checks?', categories: [], topics: ['health-checks'] }]),
      findings: [],
      files,
      notes: [{ path: 'k8s/web.yaml', reason: 'parse', message: 'bad' }],
      rules: ALL_RULES
    })
    expect(r.status).toBe('unknown')
    expect(r.evidence[0]).toContain('not analyzed: k8s/web.yaml')
  })
})

describe('every rule declares its topics', () => {
  it('rules of every family, secrets and cost included, carry a topics list from the vocabulary', () => {
    const rules = [...ALL_RULES, ...Object.values(COST)]
    const missing = rules.filter((r) => !Array.isArray(r.topics)).map((r) => r.id)
    expect(missing).toEqual([])
    for (const r of rules) for (const t of r.topics ?? []) expect(TOPICS).toContain(t)
    // Only a handful of rules inform no topic at all.
    expect(rules.filter((r) => r.topics?.length === 0).length).toBeLessThanOrEqual(3)
  })
})

describe('topic inference and scope counting', () => {
  it.each([
    ['Are secrets held in a secret manager?', ['secret-storage', 'secret-exposure']],
    ['Does the pipeline build and test?', ['pipeline-tests']],
    ['Is there a rollback plan?', ['rollback-path']],
    ['Does this keep the error budget?', ['availability-target']],
    ['Have I documented the architecture decisions?', []]
  ])('%s → %j', (question, topics) => {
    expect(inferTopics(question)).toEqual(topics)
  })

  it('counts units per kind', () => {
    expect(scopeOf('compose', 'services:\n  a:\n    image: x\n  b:\n    image: y\nvolumes:\n  d: {}\n')).toEqual({ unit: 'service', count: 2 })
    expect(scopeOf('terraform', 'resource "a" "b" {}\nresource "c" "d" {}\nvariable "x" {}\n')).toEqual({ unit: 'resource', count: 2 })
    expect(scopeOf('workflow', 'on: push\njobs:\n  a:\n    runs-on: x\n  b:\n    runs-on: y\n')).toEqual({ unit: 'job', count: 2 })
  })
})
