import { readBundledPersonas } from '../src/agents/bundled.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { routeAgents, type RouteInput, type RouteOptions, routeInputOf } from '../src/agents/route.js'
import type { FileKind } from '../src/types.js'

const { personas } = loadPersonaSet(readBundledPersonas(), [])

function change(files: [string, FileKind][], extra: Partial<Omit<RouteInput, 'files'>> = {}): RouteInput {
  return { files: files.map(([path, kind]) => ({ path, kind })), title: '', body: '', labels: [], addedText: '', ...extra }
}
const opts = (o: Partial<RouteOptions> = {}): RouteOptions => ({ maxAgents: 3, forced: [], ...o })
const routed = (input: RouteInput, o?: Partial<RouteOptions>) => {
  const result = routeAgents(personas, input, opts(o))
  return { agents: result.agents.map((a) => [a.persona.name, a.score, a.reason]), warnings: result.warnings }
}

describe('routeAgents with the bundled personas', () => {
  it('1. a deploy workflow with rollback in the title goes to SRE first, then DevOps', () => {
    const input = change([['.github/workflows/deploy.yml', 'workflow']], { title: 'Deploy with rollback', addedText: 'run: ./deploy.sh' })
    expect(routed(input)).toEqual({
      agents: [
        ['devops-sre-platform', 12, 'workflow changed: .github/workflows/deploy.yml; keywords: deploy, rollback'],
        ['devops-engineer', 11, 'workflow changed: .github/workflows/deploy.yml; keywords: deploy']
      ],
      warnings: []
    })
  })

  it('2. a change with no infrastructure file routes to nobody, whatever its words', () => {
    const input = change([['README.md', 'other'], ['src/app.ts', 'other']], { title: 'Deploy cost rollback terraform', labels: ['infra'] })
    expect(routed(input)).toEqual({ agents: [], warnings: [] })
  })

  it('3. forced names and aliases bypass scoring, even without infrastructure files', () => {
    const input = change([['README.md', 'other']])
    expect(routed(input, { forced: ['sre', 'Infrastructure "Scale Surgeon"', 'devops-sre-platform'] })).toEqual({
      agents: [
        ['devops-sre-platform', 0, 'requested: sre'],
        ['infrastructure-scale-surgeon', 0, 'requested: Infrastructure "Scale Surgeon"']
      ],
      warnings: []
    })
  })

  it('4. an unknown forced name is a warning, the known ones still run', () => {
    const result = routeAgents(personas, change([['main.tf', 'terraform']]), opts({ forced: ['nobody', 'scale'] }))
    expect(result.agents.map((a) => a.persona.name)).toEqual(['infrastructure-scale-surgeon'])
    expect(result.warnings).toEqual([
      'unknown agent "nobody"; known agents: devops-engineer, devops-sre-platform, infra-architect, infrastructure-scale-surgeon, infrastructure-reliability-engineer'
    ])
  })

  it('5. max-agents cuts a four-way tie on Terraform, ties broken by name', () => {
    const input = change([['infra/main.tf', 'terraform']])
    expect(routed(input)).toEqual({
      agents: [
        ['devops-sre-platform', 10, 'terraform changed: infra/main.tf'],
        ['infra-architect', 10, 'terraform changed: infra/main.tf'],
        ['infrastructure-reliability-engineer', 10, 'terraform changed: infra/main.tf']
      ],
      warnings: []
    })
    expect(routed(input, { maxAgents: 5 }).agents.map((a) => a[0])).toEqual([
      'devops-sre-platform',
      'infra-architect',
      'infrastructure-reliability-engineer',
      'infrastructure-scale-surgeon'
    ])
  })

  it('6. cost words in the title and labels put the cost-minded personas first', () => {
    const input = change([['k8s/gpu-pool.yaml', 'kubernetes']], { title: 'Cut cost of GPU nodes', labels: ['Spot'] })
    expect(routed(input)).toEqual({
      agents: [
        ['infrastructure-reliability-engineer', 13, 'kubernetes changed: k8s/gpu-pool.yaml; keywords: cost, gpu, spot'],
        ['infrastructure-scale-surgeon', 12, 'kubernetes changed: k8s/gpu-pool.yaml; keywords: cost, spot'],
        ['devops-engineer', 10, 'kubernetes changed: k8s/gpu-pool.yaml']
      ],
      warnings: []
    })
  })

  it('7. lists at most three paths per reason, with "+N more"', () => {
    const files: [string, FileKind][] = ['a.tf', 'b.tf', 'c.tf', 'd.tf', 'e.tf'].map((p) => [`infra/${p}`, 'terraform'])
    const [first] = routeAgents(personas, change(files), opts({ maxAgents: 1 })).agents
    expect(first.persona.name).toBe('devops-sre-platform')
    expect(first.score).toBe(50)
    expect(first.reason).toBe('terraform changed: infra/a.tf, infra/b.tf, infra/c.tf +2 more')
  })

  it('8. file matches outweigh any number of keywords', () => {
    const text = 'architecture failover multi-az multi-region autoscaling load balancer vpc subnet network capacity blue-green'
    const input = change([['Dockerfile', 'dockerfile'], ['docker-compose.yml', 'compose']], { body: text })
    const agents = routed(input, { maxAgents: 5 }).agents
    expect(agents.map((a) => [a[0], a[1]])).toEqual([
      ['devops-engineer', 20],
      ['infrastructure-reliability-engineer', 12],
      ['infrastructure-scale-surgeon', 12],
      ['infra-architect', 9],
      ['devops-sre-platform', 1]
    ])
    expect(agents[0][2]).toBe('dockerfile changed: Dockerfile; compose changed: docker-compose.yml')
  })

  it('9. globs match files of any kind once the change holds an infrastructure file', () => {
    const input = change([['deploy/cloudbuild.yaml', 'other'], ['Dockerfile', 'dockerfile'], ['envs/prod.tfvars', 'other']])
    const agents = routeAgents(personas, input, opts({ maxAgents: 5 })).agents
    const reasons = Object.fromEntries(agents.map((a) => [a.persona.name, a.reason]))
    expect(reasons).toEqual({
      'infrastructure-reliability-engineer': 'dockerfile changed: Dockerfile; **/cloudbuild.y*ml matched: deploy/cloudbuild.yaml',
      'devops-engineer': 'dockerfile changed: Dockerfile',
      'infrastructure-scale-surgeon': '**/*.tfvars matched: envs/prod.tfvars'
    })
  })

  it('10. keywords match whole words case-insensitively, with common endings', () => {
    const input = change([['main.tf', 'terraform']], { title: 'Costume party', addedText: '+ # DEPLOYMENTS are scaled nightly\n+ redeploy' })
    const agents = Object.fromEntries(routeAgents(personas, input, opts({ maxAgents: 5 })).agents.map((a) => [a.persona.name, a.reason]))
    expect(agents['devops-sre-platform']).toBe('terraform changed: main.tf; keywords: deploy')
    expect(agents['infrastructure-scale-surgeon']).toBe('terraform changed: main.tf')
  })

  it('11. keywords alone route when the change touches infrastructure the persona does not watch', () => {
    const input = change([['.github/workflows/ci.yml', 'workflow']], { title: 'Raise the autoscaling budget', labels: ['cost'] })
    expect(routed(input, { maxAgents: 5 }).agents).toEqual([
      ['devops-engineer', 10, 'workflow changed: .github/workflows/ci.yml'],
      ['devops-sre-platform', 10, 'workflow changed: .github/workflows/ci.yml'],
      ['infrastructure-reliability-engineer', 3, 'keywords: cost, budget, autoscaling'],
      ['infrastructure-scale-surgeon', 3, 'keywords: cost, budget, autoscaling'],
      ['infra-architect', 1, 'keywords: autoscaling']
    ])
  })

  it('12. max-agents also caps forced agents, with a warning; zero routes to nobody', () => {
    const result = routeAgents(personas, change([['main.tf', 'terraform']]), opts({ maxAgents: 1, forced: ['sre', 'architect'] }))
    expect(result.agents.map((a) => a.persona.name)).toEqual(['devops-sre-platform'])
    expect(result.warnings).toEqual(['2 agents were requested but max-agents is 1; using the first 1'])
    expect(routed(change([['main.tf', 'terraform']]), { maxAgents: 0 }).agents).toEqual([])
  })

  it('13. the result does not depend on the order personas are given in', () => {
    const input = change([['charts/api/values.yaml', 'helm']], { title: 'failover and cost' })
    const forward = routeAgents(personas, input, opts()).agents.map((a) => a.persona.name)
    const backward = routeAgents([...personas].reverse(), input, opts()).agents.map((a) => a.persona.name)
    expect(backward).toEqual(forward)
    expect(forward).toEqual(['infrastructure-reliability-engineer', 'infra-architect', 'infrastructure-scale-surgeon'])
  })
})

describe('routeInputOf', () => {
  it('keeps files still present and the added lines of every patch, without diff headers', () => {
    const input = routeInputOf({
      title: 'Deploy',
      body: 'b',
      labels: ['infra'],
      notes: [],
      files: [
        { path: 'a.tf', kind: 'terraform', status: 'modified', patch: '@@ -1 +1,2 @@\n x\n+rollback plan\n-old' },
        { path: 'gone.yaml', kind: 'kubernetes', status: 'removed', patch: '@@ -1 +0,0 @@\n-kind: Pod' },
        { path: 'b.md', kind: 'other', status: 'added', patch: '+++ b/b.md\n+canary' }
      ]
    })
    expect(input.files).toEqual([{ path: 'a.tf', kind: 'terraform' }, { path: 'b.md', kind: 'other' }])
    expect(input.addedText.split('\n').filter(Boolean)).toEqual(['+rollback plan', '+canary'])
    expect(input).toMatchObject({ title: 'Deploy', body: 'b', labels: ['infra'] })
  })
})
