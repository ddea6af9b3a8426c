/**
 * Files seen in context on a pull request: the unchanged siblings of a changed manifest or
 * Terraform file are read at the head commit (batched) and inform the analysis without being
 * reported on. A Deployment whose PodDisruptionBudget sits unchanged in the same folder is not
 * told it has none; a bucket whose versioning sits in another file of the module is not either;
 * a workflow calling an unchanged reusable one that restricts its token is not told it has the default.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { FakeGitHub } from './helpers/fake-github.js'
import { buildPublishedAction, runAction } from './helpers/run-action.js'
import { patchForNewFile } from '../src/changes/diff.js'

const REPO = 'acme/infra'
const HEAD = 'a'.repeat(40)
const BASE = 'b'.repeat(40)
/** The diff that adds a whole file, as git writes it. */
const patchOf = (text: string): string => patchForNewFile(text) ?? ''

const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.2\n'
const PDB = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app: web\n'
const BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n'
const CALLER = 'name: ci\non: push\njobs:\n  acceptance:\n    uses: ./.github/workflows/run-tests.yml\n'
const CALLED = 'name: run\non: workflow_call\npermissions:\n  id-token: write\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: make test\n'
const VERSIONING = 'resource "aws_s3_bucket_versioning" "logs" {\n  bucket = aws_s3_bucket.logs.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n'

let root: string
let fake: FakeGitHub
beforeAll(async () => {
  root = buildPublishedAction('preflight-context-e2e-')
  fake = await FakeGitHub.start()
}, 120_000)
afterAll(async () => {
  await fake?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})
beforeEach(() => {
  fake.repos.clear()
  fake.resetLog()
})

async function review(head: Record<string, string>, changed: string[]) {
  fake.addPull(REPO, { number: 8, title: 'Change', headSha: HEAD, baseSha: BASE, files: changed.map((filename) => ({ filename, status: 'added', patch: patchOf(head[filename]) })) })
  fake.setFiles(REPO, HEAD, head)
  fake.setFiles(REPO, BASE, { 'README.md': '# infra\n' })
  const pr = { number: 8, draft: false, state: 'open', user: { login: 'octocat' }, head: { sha: HEAD, ref: 'f', repo: { full_name: REPO } }, base: { sha: BASE, ref: 'main', repo: { full_name: REPO } } }
  const run = await runAction({
    event: 'pull_request',
    payload: { action: 'opened', number: 8, pull_request: pr, repository: { full_name: REPO, default_branch: 'main' } },
    distPath: join(root, 'dist', 'index.js'),
    inputs: { 'github-token': 'ghs_fake', 'min-inline-severity': 'info' },
    env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: HEAD }
  })
  expect(run.code).toBe(0)
  const summary = (fake.repo(REPO).issueComments.get(8) ?? [])[0]?.body ?? ''
  const inline = (fake.repo(REPO).reviewComments.get(8) ?? []).map((c) => c.body).join('\n')
  return { text: `${summary}\n${inline}`, inline: fake.repo(REPO).reviewComments.get(8) ?? [] }
}

describe('unchanged siblings read for context', () => {
  it('a PodDisruptionBudget unchanged in the folder answers the changed Deployment', async () => {
    const alone = await review({ 'k8s/deploy.yaml': DEPLOY }, ['k8s/deploy.yaml'])
    expect(alone.text).toContain('k8s/no-pod-disruption-budget')
    fake.repos.clear()
    const withPdb = await review({ 'k8s/deploy.yaml': DEPLOY, 'k8s/pdb.yaml': PDB }, ['k8s/deploy.yaml'])
    expect(withPdb.text).not.toContain('k8s/no-pod-disruption-budget')
    // The context file is read, never reported on.
    expect(withPdb.inline.every((c) => c.path === 'k8s/deploy.yaml')).toBe(true)
    expect(fake.requests.some((r) => r.route === 'graphql' && Object.values((r.body as { variables: Record<string, string> }).variables).includes(`${HEAD}:k8s/pdb.yaml`))).toBe(true)
  }, 60_000)

  it('versioning in another file of the Terraform module answers the changed bucket', async () => {
    const alone = await review({ 'infra/bucket.tf': BUCKET }, ['infra/bucket.tf'])
    expect(alone.text).toContain('tf/aws-s3-versioning-disabled')
    fake.repos.clear()
    const withModule = await review({ 'infra/bucket.tf': BUCKET, 'infra/versioning.tf': VERSIONING }, ['infra/bucket.tf'])
    expect(withModule.text).not.toContain('tf/aws-s3-versioning-disabled')
  }, 60_000)

  it('an unchanged reusable workflow that sets its own permissions answers the changed workflow calling it', async () => {
    const alone = await review({ '.github/workflows/ci.yml': CALLER }, ['.github/workflows/ci.yml'])
    expect(alone.text).toContain('workflow/missing-permissions')
    expect(alone.text).toContain('but was not read')
    fake.repos.clear()
    const withCalled = await review({ '.github/workflows/ci.yml': CALLER, '.github/workflows/run-tests.yml': CALLED }, ['.github/workflows/ci.yml'])
    expect(withCalled.text).not.toContain('workflow/missing-permissions')
    expect(fake.requests.some((r) => r.route === 'graphql' && Object.values((r.body as { variables: Record<string, string> }).variables).includes(`${HEAD}:.github/workflows/run-tests.yml`))).toBe(true)
  }, 60_000)
})
