import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { analyzeFiles } from '../src/rules/index.js'
import { classifyFile } from '../src/changes/classify.js'
import type { SourceFile } from '../src/types.js'
import { removeScratchDirs, scratchDir } from './helpers/scratch.js'

afterAll(removeScratchDirs)

const ROOT = process.cwd()
const SCRIPT = join(ROOT, 'scripts', 'release-pin.mjs')

function workflowsIn(dir: string, prefix: string): SourceFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => {
      const path = `${prefix}/${f}`
      const content = readFileSync(join(dir, f), 'utf8')
      return { path, kind: classifyFile(path, content), content }
    })
}

describe("the project's own workflows pass its own rules", () => {
  it('release, dogfooding, CI: no finding at low or above', async () => {
    const files = workflowsIn(join(ROOT, '.github', 'workflows'), '.github/workflows')
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['.github/workflows/release.yml', '.github/workflows/preflight.yml']))
    expect(files.every((f) => f.kind === 'workflow')).toBe(true)
    const { findings, notes } = await analyzeFiles(files)
    expect(notes).toEqual([])
    expect(findings.filter((f) => f.severity !== 'info').map((f) => `${f.ruleId} ${f.path}:${f.line}`)).toEqual([])
  })

  it('dogfooding runs the action from the checkout under pull_request, never pull_request_target', () => {
    const wf = parse(readFileSync(join(ROOT, '.github', 'workflows', 'preflight.yml'), 'utf8'))
    expect(Object.keys(wf.on)).toEqual(['pull_request'])
    const steps = wf.jobs.review.steps as { uses?: string }[]
    expect(steps.some((s) => s.uses === './')).toBe(true)
    expect(steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true)
  })
})

describe('release pinning', () => {
  function copy(): string {
    const dir = scratchDir('preflight-release-')
    cpSync(join(ROOT, 'README.md'), join(dir, 'README.md'))
    cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true })
    cpSync(join(ROOT, 'src', 'version.ts'), join(dir, 'src', 'version.ts'))
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'))
    cpSync(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'))
    return dir
  }
  const SHA = 'c0ffee0123456789abcdef0123456789abcdef01'

  it('pins every example and the README to the tagged commit, which then passes unpinned-action', async () => {
    const dir = copy()
    const before = await analyzeFiles(workflowsIn(join(dir, 'examples', 'workflows'), 'examples/workflows'))
    const unpinned = (fs: { ruleId: string; message: string }[]) => fs.filter((f) => f.ruleId.startsWith('workflow/unpinned-action') && f.message.includes('preflight-dev/preflight'))
    expect(unpinned(before.findings).length).toBeGreaterThan(0)

    execFileSync(process.execPath, [SCRIPT, 'pin', 'preflight-dev/preflight', SHA, '1.4.0'], { env: { ...process.env, RELEASE_PIN_ROOT: dir } })
    const after = await analyzeFiles(workflowsIn(join(dir, 'examples', 'workflows'), 'examples/workflows'))
    expect(unpinned(after.findings)).toEqual([])
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    expect(readme).toContain(`uses: preflight-dev/preflight@${SHA} # v1.4.0`)
    expect(readme).not.toMatch(/uses: preflight-dev\/preflight@v\d/)
    // Other actions' lines are left alone.
    const audit = readFileSync(join(dir, 'examples', 'workflows', 'preflight-audit.yml'), 'utf8')
    expect(audit).toContain('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2')
  })

  it('sets the version in package.json, the lockfile and src/version.ts', () => {
    const dir = copy()
    execFileSync(process.execPath, [SCRIPT, 'version', '2.0.1'], { env: { ...process.env, RELEASE_PIN_ROOT: dir } })
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version).toBe('2.0.1')
    expect(JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages[''].version).toBe('2.0.1')
    expect(readFileSync(join(dir, 'src', 'version.ts'), 'utf8')).toContain("VERSION = '2.0.1'")
  })

  it.each([
    [['pin', 'not a repo', SHA, '1.0.0'], /OWNER\/REPO/],
    [['pin', 'o/r', 'abc', '1.0.0'], /40-character/],
    [['version', 'v1'], /X\.Y\.Z/]
  ])('refuses bad arguments with one line and exit 2: %j', (args, message) => {
    const r = spawnSync(process.execPath, [SCRIPT, ...args], { env: { ...process.env, RELEASE_PIN_ROOT: copy() }, encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(message)
  })
})

describe('marketplace metadata', () => {
  it('action.yml has a name, a short description, an author and valid branding', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
    expect(action.name).toBeTruthy()
    expect(action.description.length).toBeLessThanOrEqual(125)
    expect(action.author).toBeTruthy()
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.stringMatching(/^(white|black|yellow|blue|green|orange|red|purple|gray-dark)$/) })
    for (const [name, input] of Object.entries(action.inputs as Record<string, { description?: string }>)) expect(`${name}: ${input.description ?? ''}`).toMatch(/: \S/)
  })
})
