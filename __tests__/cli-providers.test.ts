/**
 * Model providers through the bundled CLI: `--model-provider bedrock` signs a Bedrock
 * InvokeModel request with the job's AWS credentials, `vertex` calls Vertex AI's rawPredict with
 * a Google token — both against a local recorder standing in for the platform.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

interface Seen {
  method: string
  url: string
  authorization?: string
}

let repo: string
let server: Server
let url: string
const seen: Seen[] = []

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'preflight-providers-'))
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe' })
  git('init', '-q', '-b', 'main')
  git('config', 'user.name', 'T')
  git('config', 'user.email', 't@example.invalid')
  writeFileSync(join(repo, 'README.md'), '# app\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'init')
  writeFileSync(join(repo, 'Dockerfile'), 'FROM alpine:latest\nUSER app\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'image')
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization })
    req.resume()
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'recorded' } }))
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})

afterAll(async () => {
  await new Promise((done) => server.close(done))
  rmSync(repo, { recursive: true, force: true })
})

function review(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve('dist/cli.js'), 'review', '--repo', repo, '--base', 'HEAD~1', '--agents', 'sre', '--format', 'json', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }
    })
    let stderr = ''
    child.stdout.resume()
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => done({ code, stderr }))
  })
}

describe('--model-provider', () => {
  it('bedrock: a SigV4-signed InvokeModel call for the given model id, no Anthropic key needed', async () => {
    seen.length = 0
    const r = await review(['--model-provider', 'bedrock', '--model', 'anthropic.claude-sonnet-test-v1:0'], {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      ANTHROPIC_BEDROCK_BASE_URL: url
    })
    expect(r.code).toBe(0)
    expect(seen.some((s) => s.url.includes('count_tokens'))).toBe(false)
    const call = seen.find((s) => s.method === 'POST')
    expect(call?.url).toBe('/model/anthropic.claude-sonnet-test-v1:0/invoke')
    expect(call?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/bedrock\/aws4_request/)
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^preflight: model error \(devops-sre-platform\): .*400/)])
  })

  it('vertex: rawPredict in the project and region, with the Google token', async () => {
    seen.length = 0
    const r = await review(['--model-provider', 'vertex', '--model', 'claude-test@20250101'], {
      CLOUD_ML_REGION: 'us-east5',
      ANTHROPIC_VERTEX_PROJECT_ID: 'acme-ml',
      ANTHROPIC_VERTEX_ACCESS_TOKEN: 'ya29.test-token',
      ANTHROPIC_VERTEX_BASE_URL: url
    })
    expect(r.code).toBe(0)
    const call = seen.find((s) => s.method === 'POST' && s.url.includes('/models/claude-test'))
    expect(call?.url).toBe('/projects/acme-ml/locations/us-east5/publishers/anthropic/models/claude-test@20250101:rawPredict')
    expect(call?.authorization).toBe('Bearer ya29.test-token')
  })

  it('a missing region or an unknown provider is one usage line', async () => {
    const noRegion = await review(['--model-provider', 'bedrock'], {})
    expect(noRegion.code).toBe(2)
    expect(noRegion.stderr).toBe('preflight: --model-provider bedrock needs AWS_REGION (aws-actions/configure-aws-credentials sets it)\n')
    const unknown = await review(['--model-provider', 'azure'], {})
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe("preflight: --model-provider must be one of anthropic, bedrock, vertex, got 'azure'\n")
  })
})
