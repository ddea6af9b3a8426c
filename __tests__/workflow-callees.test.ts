/**
 * Reusable workflows of this repository as their callers see them: which file a local `uses:`
 * names, when a change needs the other workflows as context, and a pull request whose changed
 * workflow calls an unchanged one that restricts its own token.
 */
import { describe, expect, it } from '@jest/globals'
import { calledPath, needsSiblingWorkflows } from '../src/rules/workflow/callees.js'
import { asContextFile, contextFolders } from '../src/changes/context.js'
import { runReviewPipeline } from '../src/modes/pipeline.js'
import { analyzeFiles } from '../src/rules/index.js'
import { patchForNewFile } from '../src/changes/diff.js'
import type { ChangedFile, ChangeSet } from '../src/types.js'

const CALLER = 'name: ci\non: push\njobs:\n  acceptance:\n    uses: ./.github/workflows/run-tests.yml\n'
const CALLED = 'name: run\non: workflow_call\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: make test\n'

describe('the workflow a local `uses:` names', () => {
  it('is in the folder of the caller, below whatever root the analysis was given', () => {
    expect(calledPath('.github/workflows/ci.yml', './.github/workflows/run.yml')).toBe('.github/workflows/run.yml')
    expect(calledPath('app/.github/workflows/ci.yml', './.github/workflows/run.yml')).toBe('app/.github/workflows/run.yml')
    expect(calledPath('ci/workflows/ci.yml', './.github/workflows/run.yml')).toBeUndefined()
  })

  it('is recognised however the call is spelled, as the rules read it', () => {
    const needs = (content: string | undefined, path = '.github/workflows/ci.yml') => needsSiblingWorkflows(path, content)
    expect(needs(CALLER)).toBe(true)
    expect(needs("jobs:\n  a:\n    uses: './.github/workflows/x.yaml'\n")).toBe(true)
    // GitHub's self-repository reference: this repository at the caller's commit.
    expect(needs('jobs:\n  a:\n    uses: $/.github/workflows/x.yml\n')).toBe(true)
    expect(calledPath('app/.github/workflows/ci.yml', '$/.github/workflows/run.yml')).toBe('app/.github/workflows/run.yml')
    // Spellings a text test of the source missed: a YAML escape, a quoted key, the value on the next line.
    expect(needs('on: push\njobs:\n  a:\n    uses: "\\x2e/.github/workflows/x.yml"\n')).toBe(true)
    expect(needs('on: push\njobs:\n  a:\n    "uses": ./.github/workflows/x.yml\n')).toBe(true)
    expect(needs('on: push\njobs:\n  a:\n    uses:\n      ./.github/workflows/x.yml\n')).toBe(true)
    expect(needs('jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/setup\n')).toBe(false)
    expect(needs('jobs:\n  a:\n    uses: octo/other/.github/workflows/x.yml@v1\n')).toBe(false)
    expect(needs(CALLER, 'action.yml')).toBe(false)
    expect(needs(undefined)).toBe(false)
    expect(needs('jobs: [unclosed\n')).toBe(false)
  })
})

describe('calls that fan out', () => {
  it('each called workflow is worked out once: forty levels of two jobs calling the next one', async () => {
    const depth = 40
    const at = (i: number): string => `.github/workflows/level-${i}.yml`
    const files = Array.from({ length: depth }, (_, i) => ({
      path: at(i),
      kind: 'workflow' as const,
      content:
        i === depth - 1
          ? CALLED
          : `name: level\non: ${i === 0 ? 'push' : 'workflow_call'}\njobs:\n  a:\n    uses: ./${at(i + 1)}\n  b:\n    uses: ./${at(i + 1)}\n`
    }))
    // Without the memo this is 2^39 visits and never returns.
    const result = await analyzeFiles(files, { threads: 1 })
    expect(result.findings.filter((f) => f.ruleId === 'workflow/missing-permissions')).toEqual([])
    const lax = [...files.slice(0, -1), { ...files[depth - 1], content: CALLED.replace('permissions:\n  contents: read\n', '') }]
    const reported = (await analyzeFiles(lax, { threads: 1 })).findings.filter((f) => f.ruleId === 'workflow/missing-permissions')
    expect(reported.map((f) => f.path).sort()).toEqual(files.map((f) => f.path).sort())
  })
})

describe('a reusable workflow expanding a free-text input', () => {
  const IMAGE = 'name: image\non:\n  workflow_call:\n    inputs:\n      name:\n        type: string\npermissions:\n  contents: read\njobs:\n  build:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: make NAME=${{ inputs.name }}\n'
  const callsImage = (passed: string): string => `name: images\non: push\npermissions:\n  contents: read\njobs:\n  image:\n    uses: ./.github/workflows/image.yml\n    with:\n      name: ${passed}\n`
  const injections = async (context: ChangeSet['context']) => {
    const change: ChangeSet = {
      title: 'Build images',
      body: '',
      labels: [],
      files: [{ path: '.github/workflows/image.yml', status: 'added', kind: 'workflow', content: IMAGE, patch: patchForNewFile(IMAGE) }],
      notes: [],
      context
    }
    return (await runReviewPipeline(change, [], { maxAgents: 1, forced: [] })).findings.filter((f) => f.ruleId.startsWith('workflow/template-injection'))
  }

  it('changed alone in a pull request, is cleared by its unchanged callers passing literals', async () => {
    expect(await injections([{ path: '.github/workflows/images.yml', kind: 'workflow', content: callsImage('cfssl'), contextOnly: true }])).toEqual([])
    const [unknown, ...rest] = await injections([])
    expect(rest).toEqual([])
    expect(unknown.message).toMatch(/`inputs\.name` \(a free-text input set by callers outside this analysis\)/)
  })

  it('asks each caller once: forty levels of reusable workflows each called by two jobs passing the input on', async () => {
    const depth = 40
    const at = (i: number): string => `.github/workflows/level-${i}.yml`
    const level = (i: number): string =>
      i === depth - 1
        ? IMAGE
        : `name: level\non:\n  ${i === 0 ? 'push' : 'workflow_call:\n    inputs:\n      name:\n        type: string'}\npermissions:\n  contents: read\njobs:\n` +
          ['a', 'b'].map((id) => `  ${id}:\n    uses: ./${at(i + 1)}\n    with:\n      name: ${i === 0 ? 'web' : '${{ inputs.name }}'}\n`).join('')
    const files = Array.from({ length: depth }, (_, i) => ({ path: at(i), kind: 'workflow' as const, content: level(i) }))
    const injectionsOf = async (fs: typeof files) => (await analyzeFiles(fs, { threads: 1 })).findings.filter((f) => f.ruleId.startsWith('workflow/template-injection'))
    // Without the memo this is 2^39 visits and never returns.
    expect(await injectionsOf(files)).toEqual([])
    const typed = [{ ...files[0], content: files[0].content.replace(/name: web/g, 'name: ${{ github.event.head_commit.message }}') }, ...files.slice(1)]
    expect((await injectionsOf(typed)).map((f) => `${f.path}:${f.line}`)).toEqual([`${at(depth - 1)}:14`])
  })
})

describe('what a changed workflow reads for context', () => {
  const changed = (path: string, content: string): ChangedFile => ({ path, status: 'modified', kind: 'workflow', content })

  it('the other workflows, only when it calls one of this repository or its callers decide what it holds', () => {
    expect(contextFolders([changed('.github/workflows/ci.yml', CALLER)])).toEqual(['.github/workflows'])
    // Reusable, its token set for every job and no inputs: nothing its callers do changes its findings.
    expect(contextFolders([changed('.github/workflows/lint.yml', CALLED)])).toEqual([])
    expect(contextFolders([changed('.github/workflows/lint.yml', CALLED.replace('workflow_call', 'push'))])).toEqual([])
    const withInputs = CALLED.replace('on: workflow_call', 'on:\n  workflow_call:\n    inputs:\n      suite:\n        type: string')
    expect(contextFolders([changed('.github/workflows/run-tests.yml', withInputs)])).toEqual(['.github/workflows'])
    // An escape in the trigger's name is still the trigger.
    expect(contextFolders([changed('.github/workflows/run-tests.yml', withInputs.replace('workflow_call:', '"workflow\\x5fcall":'))])).toEqual(['.github/workflows'])
    // Its token left to its callers: whether they set one decides the missing-permissions finding.
    expect(contextFolders([changed('.github/workflows/run-tests.yml', CALLED.replace('permissions:\n  contents: read\n', ''))])).toEqual(['.github/workflows'])
    expect(contextFolders([{ ...changed('.github/workflows/ci.yml', CALLER), status: 'removed' }])).toEqual([])
    expect(asContextFile('.github/workflows/run-tests.yml', CALLED, 'workflow')).toEqual({ path: '.github/workflows/run-tests.yml', kind: 'workflow', content: CALLED, contextOnly: true })
  })
})

describe('a pull request changing the caller only', () => {
  const change = (context: ChangeSet['context']): ChangeSet => ({
    title: 'Call the tests',
    body: '',
    labels: [],
    files: [{ path: '.github/workflows/ci.yml', status: 'added', kind: 'workflow', content: CALLER, patch: patchForNewFile(CALLER) }],
    notes: [],
    context
  })
  const missing = async (context: ChangeSet['context']) =>
    (await runReviewPipeline(change(context), [], { maxAgents: 1, forced: [] })).findings.filter((f) => f.ruleId === 'workflow/missing-permissions')

  it('is not told its token is the repository default when the unchanged called workflow restricts it', async () => {
    expect(await missing([{ path: '.github/workflows/run-tests.yml', kind: 'workflow', content: CALLED, contextOnly: true }])).toEqual([])
  })

  it('without that context, is told the called workflow was not read', async () => {
    const [finding, ...rest] = await missing([])
    expect(rest).toEqual([])
    expect(finding.path).toBe('.github/workflows/ci.yml')
    expect(finding.message).toMatch(/calls a reusable workflow that may lower it for its own jobs, but was not read\.$/)
  })

  it('the context file itself is never reported on', async () => {
    const lax = CALLED.replace('permissions:\n  contents: read\n', '')
    const result = await runReviewPipeline(change([{ path: '.github/workflows/run-tests.yml', kind: 'workflow', content: lax, contextOnly: true }]), [], { maxAgents: 1, forced: [] })
    expect(result.findings.filter((f) => f.ruleId === 'workflow/missing-permissions').map((f) => f.path)).toEqual(['.github/workflows/ci.yml'])
    expect(result.findings.every((f) => f.path === '.github/workflows/ci.yml')).toBe(true)
  })
})
