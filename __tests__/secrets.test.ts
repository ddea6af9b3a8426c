import { generateKeyPairSync } from 'node:crypto'
import type { FileKind, Finding } from '../src/types.js'
import { scanSecrets, secretRules, type SecretScan } from '../src/rules/secrets.js'
import { classifyKey, whyNotLiteral } from '../src/rules/secrets/keys.js'
import { redact } from '../src/redact.js'

// Credential-shaped test values are assembled at run time so the repository holds no literal token.
const AWS_KEY_ID = ['AKIA', 'QX7V', 'M2PL', 'R9TB', 'K4HZ'].join('')
const AWS_SECRET = ['wJ8rXUtnF', 'EMI/K7MDE', 'NG/bPxRfi', 'CYq2Lm9Zs', 'T3dN'].join('')
const GITHUB_TOKEN = 'ghp_' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'
const PRIVATE_KEY = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' }
}).privateKey.trim()

async function scan(path: string, content: string, kind: FileKind = 'other') {
  return scanSecrets({ path, kind, content })
}

/** The distinct secret values a scan located, in order. */
function valuesOf(r: SecretScan): string[] {
  return [...new Set(r.locations.map((l) => l.value))]
}

function at(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId}@${f.line}`)
}

/** No message, remediation or suggestion may echo a secret value, and redaction leaves them as they are. */
function expectNoLeak(r: SecretScan) {
  const text = JSON.stringify(r.findings)
  for (const v of valuesOf(r)) expect(text).not.toContain(v)
  for (const f of r.findings) expect(redact(f.message, r.locations)).toBe(f.message)
}

describe('secretlint layer', () => {
  it('finds an AWS secret access key at its line, with only the value in `values`', async () => {
    const content = `#!/bin/sh\nexport AWS_SECRET_ACCESS_KEY=${AWS_SECRET}\necho done\n`
    const r = await scan('deploy.sh', content)
    expect(at(r.findings)).toContain('secrets/aws@2')
    expect(valuesOf(r)).toContain(AWS_SECRET)
    expect(valuesOf(r).some((v) => v.includes('AWS_SECRET_ACCESS_KEY'))).toBe(false)
    expectNoLeak(r)
  })

  it('finds a GitHub token', async () => {
    const r = await scan('ci.yml', `env:\n  GH: x\n  TOKEN_FOR_BOT: ${GITHUB_TOKEN}\n`)
    expect(at(r.findings)).toEqual(['secrets/github@3'])
    expect(r.findings[0].severity).toBe('critical')
    expect(valuesOf(r)).toEqual([GITHUB_TOKEN])
    expectNoLeak(r)
  })

  it('finds a private key block and spans it with endLine', async () => {
    const lines = PRIVATE_KEY.split('\n')
    const r = await scan('key.yaml', `a: 1\nkey: |\n${lines.map((l) => '  ' + l).join('\n')}\n`)
    expect(r.findings).toHaveLength(1)
    expect(r.findings[0]).toMatchObject({ ruleId: 'secrets/privatekey', line: 3, endLine: 2 + lines.length, category: 'secrets' })
    // One location per line of the block, each at its own line.
    expect(r.locations.map((l) => l.line)).toEqual(lines.map((_, i) => 3 + i))
    expect(r.locations[0].value).toBe('-----BEGIN PRIVATE KEY-----')
    expect(r.locations[0].column).toBe(2)
  })
})

describe('IaC layer: literal values under secret-named keys', () => {
  it('HCL attribute', async () => {
    const r = await scan('main.tf', 'resource "aws_db_instance" "db" {\n  username = "admin"\n  password = "Sup3rS3cret!"\n}\n', 'terraform')
    expect(at(r.findings)).toEqual(['secrets/hardcoded-password@3'])
    expect(r.findings[0].message).toBe('Hard-coded password: literal value for `password`.')
    expect(valuesOf(r)).toEqual(['Sup3rS3cret!'])
    expectNoLeak(r)
  })

  it('HCL heredoc script lines are shell assignments', async () => {
    const tf = 'resource "aws_instance" "x" {\n  user_data = <<EOF\n#!/bin/bash\nexport DB_PASSWORD=hunter2hunter\nEOF\n}\n'
    const r = await scan('main.tf', tf, 'terraform')
    expect(at(r.findings)).toEqual(['secrets/hardcoded-password@4'])
  })

  it('YAML key, CloudFormation property and nested `value:`', async () => {
    const yaml = [
      'Resources:',
      '  Db:',
      '    Type: AWS::RDS::DBCluster',
      '    Properties:',
      '      MasterUserPassword: Pa55word-2024',
      'properties:',
      '  proxy-password:',
      '    value: s3cr3t-proxy',
      '    encoded: false'
    ].join('\n')
    const r = await scan('template.yaml', yaml, 'cloudformation')
    expect(at(r.findings)).toEqual(['secrets/hardcoded-password@5', 'secrets/hardcoded-password@8'])
    expect(valuesOf(r).sort()).toEqual(['Pa55word-2024', 's3cr3t-proxy'])
  })

  it('Kubernetes env name/value pairs point at the value line', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: Pod',
      'spec:',
      '  containers:',
      '    - name: app',
      '      env:',
      '        - name: PORT',
      '          value: "8080"',
      '        - name: DB_PASS',
      '          value: "kq93-lz0p"',
      '        - name: API_TOKEN',
      '          valueFrom:',
      '            secretKeyRef: {name: s, key: t}'
    ].join('\n')
    const r = await scan('pod.yaml', yaml, 'kubernetes')
    expect(at(r.findings)).toEqual(['secrets/hardcoded-password@10'])
    expect(valuesOf(r)).toEqual(['kq93-lz0p'])
  })

  it('JSON, including minified JSON', async () => {
    const r = await scan('config.json', '{\n  "service": {\n    "client_secret": "9f8e7d6c5b4a"\n  }\n}\n')
    expect(at(r.findings)).toEqual(['secrets/hardcoded-secret@3'])
    const min = await scan('min.json', '{"a":"b","apiKey":"zx81-kk29-qq77","password":"letmein99"}')
    expect(at(min.findings).sort()).toEqual(['secrets/hardcoded-api-key@1', 'secrets/hardcoded-password@1'])
    expect(valuesOf(min).sort()).toEqual(['letmein99', 'zx81-kk29-qq77'])
    expectNoLeak(min)
  })

  it('Dockerfile ENV and ARG, both forms', async () => {
    const df = 'FROM alpine\nARG password=pass!1213Fs\nENV APP_SECRET="quoted value 1"\nENV API_TOKEN tok-legacy-form\nENV PATH=/usr/bin\n'
    const r = await scan('Dockerfile', df, 'dockerfile')
    expect(at(r.findings)).toEqual(['secrets/hardcoded-password@2', 'secrets/hardcoded-secret@3', 'secrets/hardcoded-token@4'])
    expect(valuesOf(r).sort()).toEqual(['pass!1213Fs', 'quoted value 1', 'tok-legacy-form'])
  })

  it('.env and compose environment lists', async () => {
    const env = await scan('.env', '# local\nDB_HOST=localhost\nDB_PASSWORD=hunter22\nSESSION_SECRET = "x8Kq!2mZ"\n')
    expect(at(env.findings)).toEqual(['secrets/hardcoded-password@3', 'secrets/hardcoded-secret@4'])
    const compose = await scan('docker-compose.yml', 'services:\n  db:\n    environment:\n      - POSTGRES_USER=postgres\n      - POSTGRES_PASSWORD=postgres\n', 'compose')
    expect(at(compose.findings)).toEqual(['secrets/hardcoded-password@5'])
    expect(valuesOf(compose)).toEqual(['postgres'])
  })

  it('AWS key pair, URL password and known token shapes', async () => {
    const content = [
      `aws_access_key_id = ${AWS_KEY_ID}`,
      `aws_secret_access_key = ${AWS_SECRET}`,
      'DATABASE_URL=postgres://app:Tr0ub4dor3@db.internal:5432/app',
      'cache: redis://:r3disPa55@cache:6379/0',
      'docs: AKIAIOSFODNN7EXAMPLE'
    ].join('\n')
    const r = await scan('creds.ini', content)
    const ids = at(r.findings)
    expect(ids).toContain('secrets/aws-access-key-id@1')
    expect(ids.some((id) => id.endsWith('@2') && /aws/.test(id))).toBe(true)
    expect(ids.some((id) => id.endsWith('@3'))).toBe(true)
    expect(ids).toContain('secrets/url-password@4')
    expect(ids.some((id) => id.endsWith('@5'))).toBe(false)
    expect(r.findings.find((f) => f.line === 1)?.message).toContain('`AKIA****`')
    for (const v of [AWS_KEY_ID, AWS_SECRET, 'Tr0ub4dor3', 'r3disPa55']) expect(valuesOf(r)).toContain(v)
    expectNoLeak(r)
  })

  it('user data holding a 40-character key-shaped string, but not a SHA-1', async () => {
    const tf = `resource "aws_instance" "a" {\n  user_data = "export K=${AWS_SECRET}"\n}\nresource "aws_instance" "b" {\n  user_data = "sha=0123456789abcdef0123456789abcdef01234567"\n}\n`
    const r = await scan('main.tf', tf, 'terraform')
    expect(at(r.findings)).toEqual(['secrets/aws-credentials-in-user-data@2'])
  })

  it('Kubernetes Secrets read through env, only in Kubernetes files', async () => {
    const yaml = 'spec:\n  containers:\n  - name: c\n    env:\n    - name: A\n      valueFrom:\n        secretKeyRef:\n          name: s\n          key: a\n    envFrom:\n    - secretRef:\n        name: s\n'
    expect(at((await scan('pod.yaml', yaml, 'kubernetes')).findings)).toEqual(['secrets/k8s-secret-env-var@7', 'secrets/k8s-secret-env-var@11'])
    expect((await scan('values.yaml', yaml, 'other')).findings).toEqual([])
  })
})

describe('not secrets: references and placeholders', () => {
  const negatives: Array<[string, string, FileKind]> = [
    ['main.tf', 'password = var.db_password', 'terraform'],
    ['main.tf', 'password = "${var.db_password}"', 'terraform'],
    ['main.tf', 'api_key = "var.api_key"', 'terraform'],
    ['main.tf', 'private_key = file(var.private_key_path)', 'terraform'],
    ['main.tf', 'token_key = data.terraform_remote_state.r.outputs.token_key', 'terraform'],
    ['main.tf', 'password = ""', 'terraform'],
    ['main.tf', 'secret_data = "secret-data"', 'terraform'],
    ['main.tf', 'password_length = "16"', 'terraform'],
    ['main.tf', 'secret_name = "prod/db/master"', 'terraform'],
    ['main.tf', 'kms_key_id = "alias/aws/secretsmanager"', 'terraform'],
    ['t.yaml', 'MasterUserPassword: !Ref DBPassword', 'cloudformation'],
    ['t.yaml', "MasterUserPassword: '{{resolve:secretsmanager:MySecret:SecretString:password}}'", 'cloudformation'],
    ['t.yaml', 'HasPassword: !Not [!Equals [!Ref DBPassword, ""]]', 'cloudformation'],
    ['values.yaml', 'password: {{ .Values.db.password }}', 'helm'],
    ['wf.yml', 'token: ${{ secrets.GITHUB_TOKEN }}', 'workflow'],
    ['wf.yml', 'secrets: inherit', 'workflow'],
    ['a.yml', 'GIT_PRIVATE_KEY: $GIT_PRIVATE_KEY', 'other'],
    ['a.yml', "paypal_access_token: '{{ PAYPAL_ACCESS_TOKEN }}'", 'other'],
    ['a.yml', 'password: <password>', 'other'],
    ['a.yml', 'password: changeme', 'other'],
    ['a.yml', 'password: "********"', 'other'],
    ['a.yml', 'password: true', 'other'],
    ['a.yml', 'password: abc', 'other'],
    ['a.yml', 'client_secret: /etc/secrets/client.json', 'other'],
    ['a.yml', 'db_password: vault:secret/data/db#password', 'other'],
    ['a.yml', 'api_key: arn:aws:secretsmanager:us-east-1:123456789012:secret:x', 'other'],
    ['.env', 'DB_PASSWORD=${DB_PASSWORD}', 'other'],
    ['run.sh', 'client_secret=$(az keyvault secret show --name x --query value -o tsv)', 'other'],
    ['Dockerfile', 'ARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN', 'dockerfile'],
    ['c.json', '{"url": "https://user:${PASSWORD}@host/x", "password": null}', 'other'],
    ['a.yml', 'description: The user name and password provided by the team.', 'other']
  ]
  it.each(negatives)('%s: %s', async (path, content, kind) => {
    const r = await scan(path, content + '\n', kind)
    expect(r.findings).toEqual([])
    expect(valuesOf(r)).toEqual([])
  })
})

describe('key and value classification', () => {
  it.each([
    ['MasterUserPassword', 'password'],
    ['DB_PASS_BD', 'password'],
    ['Square_OAuth_Secret', 'secret'],
    ['paypal_access_token', 'token'],
    ['api_key', 'api-key'],
    ['PrivateKey', 'private-key'],
    ['connection_string', 'connection-string'],
    ['signing_key', 'weak']
  ])('%s names a %s', (key, cls) => expect(classifyKey(key)).toBe(cls))

  it.each(['key', 'access_key_id', 'password_length', 'secret_arn', 'secretKeyRef', 'token_url', 'KeyName', 'secrets', 'bypass'])(
    '%s does not name a secret value',
    (key) => expect(classifyKey(key)).toBeUndefined()
  )

  it('says why a value is not a literal', () => {
    expect(whyNotLiteral('${X}', 'password')).toBe('reference')
    expect(whyNotLiteral('<your-token>', 'token')).toBe('placeholder')
    expect(whyNotLiteral('./certs/key.pem', 'private_key')).toBe('file path')
    expect(whyNotLiteral('hunter22', 'password')).toBeUndefined()
  })
})

describe('rule catalogue', () => {
  it('every finding matches its RuleMeta', async () => {
    const content = `password: "Pa55w0rd!x"\n${GITHUB_TOKEN}\nAPI=${AWS_KEY_ID}\nu: https://a:Zq9kLm2x@h.io\n`
    const r = await scan('x.yaml', content, 'kubernetes')
    expect(r.findings.length).toBeGreaterThanOrEqual(4)
    const byId = new Map(secretRules.map((m) => [m.id, m]))
    for (const f of r.findings) {
      const m = byId.get(f.ruleId)
      expect(m).toBeDefined()
      expect([f.category, f.severity]).toEqual([m?.category, m?.severity])
    }
    expect(new Set(secretRules.map((m) => m.id)).size).toBe(secretRules.length)
    for (const m of secretRules) expect(m.id).toMatch(/^secrets\/[a-z0-9-]+$/)
  })
})
