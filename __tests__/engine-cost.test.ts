/**
 * Cost rules run in the same engine as every other rule: the analysis of a pull request's files
 * carries cost findings with their monthly figures, a scan finding that a cost finding restates
 * with figures gives way to it, and the audit's cost pass adds the estimate without repeating
 * findings.
 */
import { analyzeFile, analyzeFiles } from '../src/rules/index.js'
import { analyzeCost } from '../src/cost/index.js'
import { languageOf } from '../src/rules/registry.js'
import { reporterFor } from '../src/rules/rule.js'
import type { SourceFile } from '../src/types.js'

const gp2Volume: SourceFile = {
  path: 'infra/main.tf',
  kind: 'terraform',
  content: 'resource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 500\n  type              = "gp2"\n}\n'
}

const logGroup: SourceFile = {
  path: 'stack/logs.yaml',
  kind: 'cloudformation',
  content: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: app\n'
}

describe('cost rules in the engine', () => {
  it('a gp2 volume gets the cost finding with its figures, and the plain scan finding gives way to it', async () => {
    const { findings } = await analyzeFiles([gp2Volume])
    const cost = findings.find((f) => f.ruleId === 'cost/ebs-gp2')
    expect(cost).toMatchObject({ path: 'infra/main.tf', line: 4, category: 'cost' })
    expect(cost?.monthlyCostUsd).toBeGreaterThan(0)
    expect(cost?.monthlySavingUsd).toBeGreaterThan(0)
    expect(findings.map((f) => f.ruleId)).not.toContain('tf/aws-ebs-gp2')
  })

  it('the same volume in gp3 has no cost finding', async () => {
    const { findings } = await analyzeFiles([{ ...gp2Volume, content: gp2Volume.content.replace('gp2', 'gp3') }])
    expect(findings.filter((f) => f.category === 'cost')).toEqual([])
  })

  it('a CloudFormation log group without retention keeps its rule finding and gains the priced one', async () => {
    const { findings } = await analyzeFile(logGroup)
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['cfn/log-group-no-retention', 'cost/log-group-no-retention'])
    expect(findings.find((f) => f.ruleId === 'cost/log-group-no-retention')?.monthlySavingUsd).toBeGreaterThan(0)
  })

  it('the cost pass and the engine price through the same language descriptor', async () => {
    const sink = await languageOf('terraform')?.cost?.(gp2Volume, undefined)
    const viaCostPass = await analyzeCost([gp2Volume])
    const viaEngine = (await analyzeFile(gp2Volume)).findings.filter((f) => f.category === 'cost')
    expect(viaCostPass.findings).toEqual(sink?.findings)
    expect(viaEngine).toEqual(sink?.findings)
    expect(viaCostPass.lines.length).toBe(1)
  })

  it('a CloudFormation template is read once: the rules and the cost pass get the same parse', async () => {
    const language = languageOf('cloudformation')!
    const template = language.parse?.(logGroup)
    expect(template).toBeDefined()
    // Given the parse, neither pass reads the content again: an empty content changes nothing.
    const emptied = { ...logGroup, content: '' }
    const rules = await language.analyze?.(emptied, reporterFor(language.rules, logGroup.path, 'cloudformation'), undefined, {}, template)
    const cost = await language.cost?.(emptied, undefined, template)
    expect(rules?.map((f) => f.ruleId)).toEqual(['cfn/log-group-no-retention'])
    expect(cost?.findings.map((f) => f.ruleId)).toEqual(['cost/log-group-no-retention'])
  })

  it('an unparsable file gets one note, not a second one from the cost pass', async () => {
    const { notes, findings } = await analyzeFile({ path: 'bad/main.tf', kind: 'terraform', content: 'resource "aws_ebs_volume" "x" {\n  type = \n' })
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatchObject({ path: 'bad/main.tf', reason: 'parse' })
    expect(findings.filter((f) => f.category === 'cost')).toEqual([])
  })

  it('a container without limits is reported once, by the Kubernetes rule, though the cost pass alone names it too', async () => {
    const twoContainers: SourceFile = {
      path: 'k8s/web.yaml',
      kind: 'kubernetes',
      content: [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        'spec:',
        '  replicas: 2',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: app',
        '          image: example/app:1.2.3',
        '          resources:',
        '            requests:',
        '              cpu: 100m',
        '        - name: sidecar',
        '          image: example/sidecar:1.0.0',
        ''
      ].join('\n')
    }
    const alone = await analyzeCost([twoContainers])
    expect(alone.findings.filter((f) => f.ruleId === 'cost/k8s-no-limits').map((f) => f.line)).toEqual([10, 15])
    const { findings } = await analyzeFile(twoContainers)
    expect(findings.filter((f) => f.ruleId === 'k8s/no-memory-limits').map((f) => f.line)).toEqual([12, 15])
    expect(findings.filter((f) => f.ruleId === 'cost/k8s-no-limits')).toEqual([])
  })

  it('the pause image (a capacity placeholder) has no limits to set: no cost/k8s-no-limits for it, its requests still priced', async () => {
    const inflate = {
      path: 'k8s/inflate.yaml',
      kind: 'kubernetes' as const,
      content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: inflate\nspec:\n  replicas: 5\n  template:\n    spec:\n      containers:\n        - name: inflate\n          image: public.ecr.aws/eks-distro/kubernetes/pause:3.10\n          resources:\n            requests:\n              cpu: 1\n        - name: app\n          image: example/app:1.2.3\n'
    }
    const alone = await analyzeCost([inflate])
    expect(alone.findings.filter((f) => f.ruleId === 'cost/k8s-no-limits').map((f) => f.line)).toEqual([15])
    expect(alone.lines.some((c) => c.path === 'k8s/inflate.yaml' && c.monthlyCostUsd > 0)).toBe(true)
  })

  it('a container whose command only idles beside a working one (an image pre-puller) has no limits to set, like the pause image; one running a program, or idling alone (a shell to exec into), has', async () => {
    const prePull = (script: string) => ({
      path: 'k8s/pre-pull.yaml',
      kind: 'kubernetes' as const,
      content: `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: pre-pull\nspec:\n  template:\n    spec:\n      containers:\n        - name: pre-pull\n          image: example/share-manager:1.6.0\n          command: [sh, -c, "${script}"]\n        - name: manager\n          image: example/manager:1.6.0\n          resources:\n            limits:\n              memory: 1Gi\n`
    })
    const noLimits = async (script: string, alone = false) => {
      const file = prePull(script)
      const content = alone ? file.content.replace(/ {8}- name: manager\n.*$/s, '') : file.content
      return (await analyzeCost([{ ...file, content }])).findings.filter((f) => f.ruleId === 'cost/k8s-no-limits').map((f) => f.line)
    }
    expect(await noLimits('echo image pulled && sleep infinity')).toEqual([])
    expect(await noLimits('/app/agent && sleep infinity')).toEqual([9])
    expect(await noLimits('echo image pulled && sleep infinity', true)).toEqual([9])
  })

  it('a kustomize patch or an image-less fragment leaves its limits to the base: no cost/k8s-no-limits', async () => {
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: example/app:1.2.4\n'
    const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\npatches:\n  - image.yaml\n'
    const listed = await analyzeFiles([
      { path: 'overlays/prod/image.yaml', kind: 'kubernetes', content: patch },
      { path: 'overlays/prod/kustomization.yaml', kind: 'kubernetes', content: kustomization }
    ])
    expect(listed.findings.filter((f) => f.path === 'overlays/prod/image.yaml' && /limits/.test(f.ruleId))).toEqual([])
    const fragment = await analyzeFile({ path: 'k8s/web-patch.yaml', kind: 'kubernetes', content: patch.replace('          image: example/app:1.2.4\n', '          env:\n            - name: MODE\n              value: prod\n') })
    expect(fragment.findings.filter((f) => /limits/.test(f.ruleId))).toEqual([])
    // Alone, a selector-less Deployment of a name and an image is an image patch; built as a resource by a
    // kustomization whose labels fill the selector, it is a whole workload.
    const alone = await analyzeFile({ path: 'k8s/web.yaml', kind: 'kubernetes', content: patch })
    expect(alone.findings.filter((f) => /limits/.test(f.ruleId))).toEqual([])
    const whole = await analyzeFiles([
      { path: 'k8s/web.yaml', kind: 'kubernetes', content: patch },
      { path: 'k8s/kustomization.yaml', kind: 'kubernetes', content: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - web.yaml\nlabels:\n  - pairs:\n      app: web\n    includeSelectors: true\n' }
    ])
    expect(whole.findings.filter((f) => f.path === 'k8s/web.yaml' && /limits/.test(f.ruleId)).map((f) => f.ruleId)).toContain('k8s/no-memory-limits')
  })

  it('kinds without a price list get no cost pass', () => {
    expect(languageOf('dockerfile')?.cost).toBeUndefined()
    expect(languageOf('workflow')?.cost).toBeUndefined()
  })
})
