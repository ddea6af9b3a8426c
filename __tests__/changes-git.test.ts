import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadLocalChangeSet, ownerNameOfRemote, repositoryOfFolder } from '../src/changes/git.js'
import { filterIgnored, ignoreMatcher } from '../src/changes/paths.js'
import { addedLines } from '../src/changes/diff.js'
import type { ChangeSet, ChangedFile } from '../src/types.js'

function run(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' })
}

function write(dir: string, path: string, content: string | Buffer): void {
  mkdirSync(join(dir, path, '..'), { recursive: true })
  writeFileSync(join(dir, path), content)
}

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n'
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: old\nspec:\n  ports:\n    - port: 80\n'
const VARIABLES = Array.from({ length: 12 }, (_, i) => `variable "v${i}" {}`).join('\n') + '\n'

/** A repository with a `base` tag on main and a `feature` branch with one commit on top. */
function makeRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-git-'))
  run(dir, 'init', '-q', '-b', 'main')
  run(dir, 'config', 'user.name', 'Test')
  run(dir, 'config', 'user.email', 'test@example.com')
  run(dir, 'config', 'commit.gpgsign', 'false')
  write(dir, 'infra/main.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "data"\n}\n')
  write(dir, 'k8s/old.yaml', SERVICE)
  write(dir, 'infra/vars.tf', VARIABLES)
  write(dir, 'config/app.yaml', 'server:\n  port: 8080\n')
  write(dir, 'charts/web/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 0.1.0\n')
  write(dir, 'docs/guide.md', '# Guide\n')
  run(dir, 'add', '-A')
  run(dir, 'commit', '-q', '-m', 'Initial layout')
  run(dir, 'branch', 'base')

  run(dir, 'checkout', '-q', '-b', 'feature')
  write(dir, 'infra/main.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "data"\n  force_destroy = true\n}\n')
  unlinkSync(join(dir, 'k8s/old.yaml'))
  unlinkSync(join(dir, 'infra/vars.tf'))
  write(dir, 'infra/variables.tf', VARIABLES.replace('"v3" {}', '"v3" { default = 3 }'))
  write(dir, 'Dockerfile', 'FROM node:20\nUSER node\n')
  write(dir, '.github/workflows/ci.yml', 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n')
  write(dir, 'deploy/stack.yaml', DEPLOYMENT)
  write(dir, 'charts/web/values.yaml', 'replicaCount: 2\n')
  write(dir, 'assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]))
  write(dir, 'docs/guide.md', '# Guide\n\nMore.\n')
  run(dir, 'add', '-A')
  run(dir, 'commit', '-q', '-m', 'Add deploy pipeline\n\nShips the web tier.\nRefs #12')

  // Main moves on after the branch point; base...head must not show this change.
  run(dir, 'checkout', '-q', 'base')
  write(dir, 'config/app.yaml', 'server:\n  port: 9090\n')
  run(dir, 'commit', '-q', '-am', 'Change port on base')
  run(dir, 'checkout', '-q', 'feature')
  return dir
}

function byPath(cs: ChangeSet): Map<string, ChangedFile> {
  return new Map(cs.files.map((f) => [f.path, f]))
}

describe('loadLocalChangeSet', () => {
  let dir: string
  beforeAll(() => {
    dir = makeRepo()
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('loads base...head with kinds, contents and the commit message', async () => {
    const cs = await loadLocalChangeSet(dir, 'base', 'feature')
    expect(cs.title).toBe('Add deploy pipeline')
    expect(cs.body).toBe('Ships the web tier.\nRefs #12')
    expect(cs.labels).toEqual([])
    expect(cs.headSha).toBe(run(dir, 'rev-parse', 'feature').trim())
    expect(cs.baseSha).toBe(run(dir, 'rev-parse', 'base').trim())

    const files = byPath(cs)
    expect([...files.keys()].sort()).toEqual([
      '.github/workflows/ci.yml',
      'Dockerfile',
      'assets/logo.png',
      'charts/web/values.yaml',
      'deploy/stack.yaml',
      'docs/guide.md',
      'infra/main.tf',
      'infra/variables.tf',
      'k8s/old.yaml'
    ])
    expect(files.get('infra/variables.tf')).toMatchObject({ status: 'renamed', previousPath: 'infra/vars.tf', kind: 'terraform' })
    expect([...addedLines(files.get('infra/variables.tf')!.patch)]).toEqual([4])
    expect(files.get('infra/main.tf')).toMatchObject({ status: 'modified', kind: 'terraform' })
    expect(files.get('infra/main.tf')!.content).toContain('force_destroy = true')
    expect([...addedLines(files.get('infra/main.tf')!.patch)]).toEqual([3])
    expect(files.get('deploy/stack.yaml')).toMatchObject({ status: 'added', kind: 'kubernetes', content: DEPLOYMENT })
    // Removed: no content, classified from the old content.
    expect(files.get('k8s/old.yaml')).toMatchObject({ status: 'removed', kind: 'kubernetes' })
    expect(files.get('k8s/old.yaml')!.content).toBeUndefined()
    expect(files.get('.github/workflows/ci.yml')!.kind).toBe('workflow')
    expect(files.get('Dockerfile')!.kind).toBe('dockerfile')
    expect(files.get('charts/web/values.yaml')!.kind).toBe('helm')
    expect(files.get('docs/guide.md')!.kind).toBe('other')
    expect(files.get('assets/logo.png')).toMatchObject({ kind: 'other', status: 'added' })
    expect(files.get('assets/logo.png')!.patch).toBeUndefined()
    // A picture is binary by nature: no note for it.
    expect(cs.notes).toEqual([])
    expect(files.has('config/app.yaml')).toBe(false)
  })

  it('applies paths-ignore and the size limit', async () => {
    const cs = await loadLocalChangeSet(dir, 'base', 'feature', { pathsIgnore: ['docs/**', '**/*.png'], maxFileBytes: 40 })
    const files = byPath(cs)
    expect(files.has('docs/guide.md')).toBe(false)
    expect(files.has('assets/logo.png')).toBe(false)
    expect(cs.notes.filter((n) => n.reason === 'ignored').map((n) => n.path).sort()).toEqual(['assets/logo.png', 'docs/guide.md'])
    // deploy/stack.yaml is larger than 40 bytes: kept for its patch, without content.
    expect(files.get('deploy/stack.yaml')!.content).toBeUndefined()
    expect(files.get('deploy/stack.yaml')!.patch).toBeDefined()
    expect(cs.notes).toContainEqual({ path: 'deploy/stack.yaml', reason: 'too-large', message: 'deploy/stack.yaml: larger than 40 bytes, not analyzed' })
    expect(files.get('Dockerfile')!.content).toBe('FROM node:20\nUSER node\n')
  })

  it('compares with the working tree when no head is given', async () => {
    write(dir, 'compose.yaml', 'services:\n  web:\n    image: nginx\n')
    write(dir, 'Dockerfile', 'FROM node:22\nUSER node\n')
    try {
      const cs = await loadLocalChangeSet(dir, 'base')
      const files = byPath(cs)
      expect(cs.headSha).toBeUndefined()
      expect(cs.title).toBe('Add deploy pipeline')
      expect(files.get('compose.yaml')).toMatchObject({ status: 'added', kind: 'compose', patch: '@@ -0,0 +1,3 @@\n+services:\n+  web:\n+    image: nginx' })
      expect(files.get('Dockerfile')!.content).toBe('FROM node:22\nUSER node\n')
      expect(files.get('infra/main.tf')!.kind).toBe('terraform')
      expect(files.has('config/app.yaml')).toBe(false)
    } finally {
      rmSync(join(dir, 'compose.yaml'))
      run(dir, 'checkout', '-q', '--', 'Dockerfile')
    }
  })

  it('is not thrown off by diff settings in the git config', async () => {
    const custom = ['diff.noprefix=true', 'diff.mnemonicPrefix=true', 'color.diff=always', 'color.ui=always', 'diff.relative=true', 'core.quotepath=on']
    for (const kv of custom) run(dir, 'config', ...kv.split('='))
    try {
      const cs = await loadLocalChangeSet(join(dir, 'infra'), 'base', 'feature')
      expect(byPath(cs).get('Dockerfile')).toMatchObject({ kind: 'dockerfile', patch: '@@ -0,0 +1,2 @@\n+FROM node:20\n+USER node' })
      expect(cs.files).toHaveLength(9)
    } finally {
      for (const kv of custom) run(dir, 'config', '--unset', kv.split('=')[0])
    }
  })

  it('titles an uncommitted change on an unchanged branch, and notes unreadable files', async () => {
    run(dir, 'checkout', '-q', '-b', 'fresh', 'base')
    write(dir, 'config/app.yaml', 'server:\n  port: 7070\n')
    execFileSync('ln', ['-s', 'app.yaml', join(dir, 'config/link.yaml')])
    try {
      const cs = await loadLocalChangeSet(dir, 'base')
      expect(cs.title).toBe('Working tree changes against base')
      expect(cs.body).toBe('')
      expect(cs.files.map((f) => f.path).sort()).toEqual(['config/app.yaml', 'config/link.yaml'])
      expect(cs.notes).toEqual([{ path: 'config/link.yaml', reason: 'unavailable', message: 'config/link.yaml: not a regular file in the working tree' }])
    } finally {
      rmSync(join(dir, 'config/link.yaml'))
      run(dir, 'checkout', '-q', '--', 'config/app.yaml')
      run(dir, 'checkout', '-q', 'feature')
    }
  })

  it('notes files that are not UTF-8, and binary files only where infrastructure could be; reads a BOM-prefixed file', async () => {
    run(dir, 'checkout', '-q', '-b', 'latin', 'feature')
    write(dir, 'config/latin1.yaml', Buffer.from('name: caf\xe9\n', 'latin1'))
    write(dir, 'infra/state.tf', Buffer.from([0x1f, 0x8b, 0, 0, 1, 2]))
    write(dir, 'assets/archive.bin', Buffer.from([0x1f, 0x8b, 0, 0, 1, 2]))
    write(dir, 'k8s/bom.yaml', '\uFEFFapiVersion: v1\nkind: Service\n')
    run(dir, 'add', '-A')
    run(dir, 'commit', '-q', '-m', 'Encodings')
    try {
      const cs = await loadLocalChangeSet(dir, 'feature', 'latin')
      expect(cs.notes).toEqual([
        { path: 'config/latin1.yaml', reason: 'encoding', message: 'config/latin1.yaml: not valid UTF-8, not analyzed' },
        { path: 'infra/state.tf', reason: 'binary', message: 'infra/state.tf: binary file, not analyzed' }
      ])
      expect(byPath(cs).get('assets/archive.bin')).toMatchObject({ kind: 'other', status: 'added' })
      expect(byPath(cs).get('config/latin1.yaml')!.content).toBeUndefined()
      expect(byPath(cs).get('k8s/bom.yaml')).toMatchObject({ kind: 'kubernetes', content: 'apiVersion: v1\nkind: Service\n' })
    } finally {
      run(dir, 'checkout', '-q', 'feature')
    }
  })

  it('names the repository and ref when git fails', async () => {
    await expect(loadLocalChangeSet(dir, 'no-such-branch', 'feature')).rejects.toThrow(`unknown git ref "no-such-branch" in ${run(dir, 'rev-parse', '--show-toplevel').trim()}`)
    await expect(loadLocalChangeSet(dir, '--output=/tmp/x', 'feature')).rejects.toThrow(/invalid git ref/)
    await expect(loadLocalChangeSet(join(dir, 'missing'), 'base')).rejects.toThrow(`repository directory not found: ${join(dir, 'missing')}`)
    const plain = mkdtempSync(join(tmpdir(), 'preflight-nogit-'))
    try {
      await expect(loadLocalChangeSet(plain, 'base')).rejects.toThrow(`not a git repository in ${plain}`)
    } finally {
      rmSync(plain, { recursive: true, force: true })
    }
  })
})

describe('filterIgnored', () => {
  const files = [{ path: 'docs/a.md' }, { path: '.github/workflows/ci.yml' }, { path: 'infra/main.tf' }, { path: 'docs/keep/b.md' }]

  it('moves matching files to notes', () => {
    const r = filterIgnored(files, ['docs/**', '.github/**', '!docs/keep/**'])
    expect(r.files.map((f) => f.path)).toEqual(['infra/main.tf', 'docs/keep/b.md'])
    expect(r.notes).toEqual([
      { path: 'docs/a.md', reason: 'ignored', message: 'docs/a.md: matches paths-ignore, not reviewed' },
      { path: '.github/workflows/ci.yml', reason: 'ignored', message: '.github/workflows/ci.yml: matches paths-ignore, not reviewed' }
    ])
  })

  it('keeps everything without patterns and skips blank or comment lines', () => {
    expect(filterIgnored(files, []).files).toHaveLength(4)
    expect(filterIgnored(files, ['', '# docs/**']).files).toHaveLength(4)
  })

  it('matches dot folders and the last matching pattern wins', () => {
    const ignored = ignoreMatcher(['**/*.md', '!docs/**', 'docs/a.md'])
    expect(ignored('.changeset/x.md')).toBe(true)
    expect(ignored('docs/b.md')).toBe(false)
    expect(ignored('docs/a.md')).toBe(true)
    expect(ignored('main.tf')).toBe(false)
  })
})

describe('context files of a local change', () => {
  it('reads the unchanged siblings of a changed manifest for context, as pull request mode does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-git-ctx-'))
    try {
      run(dir, 'init', '-q', '-b', 'main')
      run(dir, 'config', 'user.name', 'Test')
      run(dir, 'config', 'user.email', 'test@example.com')
      run(dir, 'config', 'commit.gpgsign', 'false')
      const pdb = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n'
      write(dir, 'k8s/pdb.yaml', pdb)
      write(dir, 'k8s/notes.txt', 'not a manifest\n')
      write(dir, 'other/unrelated.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n')
      run(dir, 'add', '-A')
      run(dir, 'commit', '-q', '-m', 'PDB first')
      run(dir, 'branch', 'base')
      const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.2\n'
      write(dir, 'k8s/deploy.yaml', deploy)
      run(dir, 'add', '-A')
      run(dir, 'commit', '-q', '-m', 'Deployment')
      const cs = await loadLocalChangeSet(dir, 'base', 'HEAD')
      expect(cs.files.map((f) => f.path)).toEqual(['k8s/deploy.yaml'])
      expect(cs.context?.map((f) => [f.path, f.kind, f.contextOnly])).toEqual([['k8s/pdb.yaml', 'kubernetes', true]])
      const { runReviewPipeline } = await import('../src/modes/pipeline.js')
      const result = await runReviewPipeline(cs, [], { maxAgents: 1, forced: [] })
      expect(result.findings.some((f) => f.ruleId === 'k8s/no-pod-disruption-budget')).toBe(false)
      expect(result.findings.every((f) => f.path === 'k8s/deploy.yaml')).toBe(true)
      // Without the context, the same Deployment would be told it has no budget.
      const alone = await runReviewPipeline({ ...cs, context: [] }, [], { maxAgents: 1, forced: [] })
      expect(alone.findings.some((f) => f.ruleId === 'k8s/no-pod-disruption-budget')).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('what a change reads for context', () => {
  it('the folders of changed Terraform and Kubernetes files; unchanged, not ignored, likely kinds only', async () => {
    const { contextFolders, contextFilter } = await import('../src/changes/context.js')
    const files: ChangedFile[] = [
      { path: 'infra/main.tf', status: 'modified', kind: 'terraform' },
      { path: 'k8s/web.yaml', status: 'added', kind: 'kubernetes' },
      { path: 'old/gone.tf', status: 'removed', kind: 'terraform' },
      { path: 'Dockerfile', status: 'added', kind: 'dockerfile' }
    ]
    expect(contextFolders(files)).toEqual(['infra', 'k8s'])
    const wanted = contextFilter(files, ['k8s/generated/**', 'infra/secret.auto.tfvars'])
    expect(['infra/variables.tf', 'k8s/pdb.yaml', 'infra/main.tf', 'infra/README.md', 'k8s/generated/x.yaml', 'infra/secret.auto.tfvars'].filter(wanted)).toEqual(['infra/variables.tf', 'k8s/pdb.yaml'])
  })
})

describe('the repository of a folder', () => {
  it.each([
    ['git@github.com:octo-org/app.git', 'octo-org/app'],
    ['https://github.com/octo-org/app', 'octo-org/app'],
    ['https://github.example.com/octo-org/app.git/', 'octo-org/app'],
    ['ssh://git@github.com/octo-org/app.git', 'octo-org/app'],
    ['/srv/git/app.git', undefined],
    ['https://gitlab.example.com/group/sub/app.git', undefined],
    ['', undefined]
  ])('reads %j as %j', (url, want) => {
    expect(ownerNameOfRemote(url)).toBe(want)
  })

  it('takes GITHUB_REPOSITORY first, then the origin remote, and never throws', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-remote-'))
    try {
      expect(await repositoryOfFolder(dir, {})).toBeUndefined()
      execFileSync('git', ['init', '-q'], { cwd: dir })
      expect(await repositoryOfFolder(dir, {})).toBeUndefined()
      execFileSync('git', ['remote', 'add', 'origin', 'git@github.com:octo-org/app.git'], { cwd: dir })
      expect(await repositoryOfFolder(dir, {})).toBe('octo-org/app')
      expect(await repositoryOfFolder(dir, { GITHUB_REPOSITORY: 'other/repo' })).toBe('other/repo')
      expect(await repositoryOfFolder(dir, { GITHUB_REPOSITORY: 'bad value' })).toBe('octo-org/app')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
