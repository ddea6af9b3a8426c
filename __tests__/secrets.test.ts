import { createHash, generateKeyPairSync } from 'node:crypto'
import type { FileKind, Finding } from '../src/types.js'
import { forSamplePath, scanPatchSecrets, scanSecrets, secretRules, type SecretScan } from '../src/rules/secrets.js'
import { analyzeFile } from '../src/rules/index.js'
import { classifyKey, isDocumentationExample, isProductName, namesTrustStorePassword, whyNotLiteral } from '../src/rules/secrets/keys.js'
import { redact, redactPatch, redactSource } from '../src/redact.js'
import { couldBeWholeKey, failsGithubChecksum, githubTokenChecksum, keyBodyDigest, publishedTestKey, urlPasswordKind } from '../src/rules/secrets/patterns.js'
import { growthRatio } from './helpers/growth.js'

// Credential-shaped test values are assembled at run time so the repository holds no literal token.
const AWS_KEY_ID = ['AKIA', 'QX7V', 'M2PL', 'R9TB', 'K4HZ'].join('')
const AWS_SECRET = ['wJ8rXUtnF', 'EMI/K7MDE', 'NG/bPxRfi', 'CYq2Lm9Zs', 'T3dN'].join('')
// Its last six characters are the checksum of the 30 before them, as in every token GitHub issues.
const GITHUB_TOKEN = 'ghp_' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0' + '1XM6Ea'
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

  it.each(['key', 'access_key_id', 'password_length', 'secret_arn', 'secretKeyRef', 'token_url', 'KeyName', 'secrets', 'bypass', 'k8s/secret.yaml', 'secret.yaml', 'charts/app/templates/secret.json'])(
    '%s does not name a secret value',
    (key) => expect(classifyKey(key)).toBeUndefined()
  )

  it('says why a value is not a literal', () => {
    expect(whyNotLiteral('${X}', 'password')).toBe('reference')
    expect(whyNotLiteral('<your-token>', 'token')).toBe('placeholder')
    expect(whyNotLiteral('./certs/key.pem', 'private_key')).toBe('file path')
    expect(whyNotLiteral('hunter22', 'password')).toBeUndefined()
    // "example" as a word is a placeholder; inside a word it is not.
    expect(whyNotLiteral('my-example-pass', 'password')).toBe('placeholder')
    expect(whyNotLiteral('varexample', 'password')).toBeUndefined()
    expect(whyNotLiteral('PGPASSWORD', 'password')).toBe('code')
    expect(whyNotLiteral("r['NextToken']", 'token')).toBe('code')
    expect(whyNotLiteral('admin-password', 'passwordKey')).toBe('key name')
  })

  it('knows stand-ins for a token or a password', () => {
    // A vendor prefix and one character repeated; a real token is varied all the way through.
    expect(whyNotLiteral(['glpat', '-', 'X'.repeat(20)].join(''), 'token')).toBe('placeholder')
    expect(whyNotLiteral(['AKIA', '0'.repeat(16)].join(''), 'access_key')).toBe('placeholder')
    expect(whyNotLiteral(['glpat', '-', 'q7Zk2PxR9mT4vW8nB3cY'].join(''), 'token')).toBeUndefined()
    // AWS documentation examples are judged by where they are written (see the sample-path cases), not as placeholders.
    expect(isDocumentationExample(['wJ8rXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'].join(''))).toBe(true)
    // Consecutive digits, either way round; other digit strings are not runs.
    expect(whyNotLiteral('1234567890', 'password')).toBe('placeholder')
    expect(whyNotLiteral('987654', 'password')).toBe('placeholder')
    expect(whyNotLiteral('1234567809', 'password')).toBeUndefined()
    expect(whyNotLiteral('mock_secret_key', 'secret_key')).toBe('placeholder')
    // A remark naming another variable: read as a reference to it (before it would be read as prose).
    expect(whyNotLiteral('(from $GATEWAY_TOKEN)', 'TOKEN_NOTE')).toBe('reference')
    expect(whyNotLiteral('(from the gateway token)', 'TOKEN_NOTE')).toBe('prose')
    expect(whyNotLiteral('{% $states.context.Task.Token %}', 'TaskToken')).toBe('reference')
    expect(whyNotLiteral('pipes.CfnPipe.CredentialsProperty(', 'credentials')).toBe('code')
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

// ── shapes inside commands, headers, connection strings and manifests ─────────────────────

describe('credentials inside commands, headers and manifests', () => {
  const S = ['Zq7', 'x-R4p', '!wLm9'].join('')
  const cases: Array<[string, string, FileKind, string, number]> = [
    ['curl -u', `#!/bin/sh\ncurl -fsS -u deploy:${S} https://registry.internal/api\n`, 'other', 'secrets/command-line-password', 2],
    ['curl --user=', `RUN curl --user=deploy:${S} https://x.internal/a`, 'dockerfile', 'secrets/command-line-password', 1],
    ['mysql -p', `mysql -h db -uroot -p${S} -e 'select 1'\n`, 'other', 'secrets/command-line-password', 1],
    ['mysqldump -p quoted', `mysqldump -uroot -p'${S}' app > dump.sql\n`, 'other', 'secrets/command-line-password', 1],
    ['--password value', `docker login --username ci --password ${S} registry.internal\n`, 'other', 'secrets/command-line-password', 1],
    ['--db-password=value', `psql --db-password=${S} -c 'select 1'\n`, 'other', 'secrets/command-line-password', 1],
    ['Bearer header', `steps:\n  - run: curl -H "Authorization: Bearer ${S}" https://api.internal\n`, 'workflow', 'secrets/authorization-header', 2],
    ['Basic header', `headers:\n  authorization: Basic ${Buffer.from(`ci:${S}`).toString('base64')}\n`, 'other', 'secrets/authorization-header', 2],
    ['Azure AccountKey', `{"Storage": "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${Buffer.from(S.repeat(4)).toString('base64')};EndpointSuffix=core.windows.net"}\n`, 'other', 'secrets/azure-storage-key', 1],
    ['docker auth', `{\n  "auths": {\n    "registry.internal": {\n      "auth": "${Buffer.from(`ci:${S}`).toString('base64')}"\n    }\n  }\n}\n`, 'other', 'secrets/docker-config-auth', 4],
    ['Secret stringData', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  url: ${S}\n`, 'kubernetes', 'secrets/k8s-secret-data', 6],
    ['Secret data', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  pw: ${Buffer.from(S).toString('base64')}\n`, 'kubernetes', 'secrets/k8s-secret-data', 7],
    ['TF variable default', `variable "db_password" {\n  type    = string\n  default = "${S}"\n}\n`, 'terraform', 'secrets/hardcoded-password', 3],
    ['CFN NoEcho default', `Parameters:\n  AdminLogin:\n    Type: String\n    NoEcho: true\n    Default: ${S}\n`, 'cloudformation', 'secrets/hardcoded-secret', 5],
    ['CFN JSON default', `{\n  "Parameters": {\n    "DbPassword": {\n      "Type": "String",\n      "Default": "${S}"\n    }\n  }\n}\n`, 'cloudformation', 'secrets/hardcoded-password', 5]
  ]
  it.each(cases)('%s', async (_name, content, kind, rule, line) => {
    const path = kind === 'dockerfile' ? 'Dockerfile' : kind === 'workflow' ? '.github/workflows/ci.yml' : kind === 'terraform' ? 'main.tf' : 'deploy/file.yaml'
    const r = await scan(path, content, kind)
    expect(at(r.findings)).toContain(`${rule}@${line}`)
    // The location points at the secret as written on that line, and masking it there removes it.
    const loc = r.locations.find((l) => l.line === line)
    expect(loc).toBeDefined()
    const written = content.split('\n')[line - 1]
    expect(written.slice(loc!.column, loc!.column + loc!.value.length)).toBe(loc!.value)
    expectNoLeak(r)
  })

  it('references and placeholders in those shapes are not findings', async () => {
    const content = [
      'curl -u "$USER:$PASS" https://x.internal',
      'curl -H "Authorization: Bearer ${{ secrets.TOKEN }}" https://x.internal',
      'curl -H "Authorization: Bearer $TOKEN" https://x.internal',
      'mysql -uroot -p -e "select 1"',
      'mysql -uroot -p$MYSQL_ROOT_PASSWORD',
      'docker login --password-stdin',
      'docker login --password "$REGISTRY_PASSWORD"',
      'mkdir -p /var/lib/app',
      'docker buildx build --secret id=npmrc,src=$HOME/.npmrc .',
      'vault login --token-file /run/token',
      'ssh -p 2222 host'
    ].join('\n')
    const r = await scan('run.sh', content + '\n')
    expect(r.findings).toEqual([])
    const secret = `apiVersion: v1\nkind: Secret\nstringData:\n  password: {{ .Values.password }}\n  token: changeme\ndata:\n  password: ${Buffer.from('changeme').toString('base64')}\n`
    expect((await scan('chart/templates/secret.yaml', secret, 'helm')).findings).toEqual([])
  })
})

// ── precision on real code (issue 11): written from the patterns, not copied ──────────────

describe('precision: code, key names and addresses are not secrets', () => {
  const negatives: Array<[string, string, FileKind]> = [
    ['app/db.py', 'conn = connect(host=HOST, password=PGPASSWORD, dbname="app")', 'other'],
    ['app/db.py', 'password = pf.read()', 'other'],
    ['app/page.py', "token = r['NextToken']", 'other'],
    ['app/handler.js', 'const token = event.resultToken', 'other'],
    ['app/cfg.py', '    api_key=None,', 'other'],
    ['values.yaml', 'passwordKey: admin-password', 'helm'],
    ['values.yaml', 'existingSecret: mysql-credentials', 'helm'],
    ['values.yaml', 'configFromSecret: grafana-config', 'helm'],
    ['values.yaml', 'secretName: tls-cert', 'helm'],
    ['values.yaml', 'connectionString: db.internal:5432', 'helm'],
    ['app.env', 'REDIS_CONNECTION_STRING=cache:6379', 'other'],
    ['values.yaml', 'password: <your-password-here>', 'helm'],
    ['values.yaml', 'password: changeme123', 'helm'],
    ['values.yaml', 'token: xxxxxxxxxxxx', 'helm'],
    ['values.yaml', 'apiKey: your-api-key', 'helm'],
    ['values.yaml', 'adminPassword: example-password', 'helm']
  ]
  it.each(negatives)('%s: %s', async (path, content, kind) => {
    const r = await scan(path, content + '\n', kind)
    expect(r.findings).toEqual([])
  })

  it('a connection string that carries a password is still one', async () => {
    const r = await scan('app.env', 'DB_CONNECTION_STRING=Server=db;Database=app;User Id=app;Password=Qx7-lm2!pz;\n')
    expect(at(r.findings)).toEqual(['secrets/hardcoded-connection-string@1'])
  })

  it('generated code and lockfiles are not read', async () => {
    const token = `password="${['Zq7x', 'R4p!w', 'Lm9k'].join('')}"\n`
    for (const path of ['api/service_pb2.py', 'api/service_pb2_grpc.py', 'api/service.pb.go', 'package-lock.json', 'web/yarn.lock', 'pnpm-lock.yaml', 'go.sum', 'Cargo.lock', 'poetry.lock']) {
      expect((await scan(path, token)).findings).toEqual([])
    }
    expect((await scan('api/service.py', token)).findings).toHaveLength(1)
  })

  it('secretKeyRef inside a CRD schema is a property, not a Secret read', async () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'spec:',
      '  versions:',
      '    - schema:',
      '        openAPIV3Schema:',
      '          properties:',
      '            secretKeyRef:',
      '              description: A key of a Secret.',
      '              type: object'
    ].join('\n')
    expect((await scan('crds/thing.yaml', crd + '\n', 'kubernetes')).findings).toEqual([])
    const schemaOnly = 'properties:\n  secretKeyRef:\n    type: object\n    properties:\n      name: {type: string}\n'
    expect((await scan('k8s/schema.yaml', schemaOnly, 'kubernetes')).findings).toEqual([])
  })
})

describe('test, fixture and example paths, and documentation', () => {
  const password = `DB_PASSWORD=${['Zq7x', 'R4p!w', 'Lm9k'].join('')}\n`
  it.each(['ci/env.sh', 'test/env.sh', 'tests/env.sh', 'fixtures/env.sh', 'pkg/unittests/env.sh', 'examples/complete/env.sh', 'pkg/testdata/env.sh', 'docs/setup.md', 'sdk/data/sts/examples-1.yaml', 'chart/sample-values.yaml', 'config/samples/env.sh', '.ci/env.sh'])(
    '%s: a literal under a secret key is reported for information',
    async (path) => {
      const f = forSamplePath((await scan(path, password)).findings[0])
      expect(f).toMatchObject({ ruleId: 'secrets/hardcoded-password', severity: 'info' })
    }
  )

  it('a file named like example data only by a word inside its name is not a sample', async () => {
    const f = forSamplePath((await scan('config/counterexamples.yaml', password)).findings[0])
    expect(f).toMatchObject({ ruleId: 'secrets/hardcoded-password', severity: 'high' })
  })

  it('a real credential shape keeps its severity anywhere', async () => {
    for (const path of ['tests/env.sh', 'examples/a/main.tf', 'README.md']) {
      const r = await scan(path, `export GH=${GITHUB_TOKEN}\n`)
      expect(r.findings.map(forSamplePath).map((f) => f.severity)).toEqual(['critical'])
    }
  })

  it('an expired JSON Web Token is low, saying when it expired; one without expiry or not yet expired stays high', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const token = (claims: object) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'svc', ...claims })}.${'Zk1wQ3Rz'.repeat(6)}`
    const r = await scan('deploy/client.yaml', `old: ${token({ exp: 1500000000 })}\nlater: ${token({ exp: 7000000000 })}\nnone: ${token({})}\n`)
    expect(r.findings.map((f) => [f.ruleId, f.line, f.severity])).toEqual([
      ['secrets/jwt', 1, 'low'],
      ['secrets/jwt', 2, 'high'],
      ['secrets/jwt', 3, 'high']
    ])
    expect(r.findings[0].message).toMatch(/expired on 2017-07-14/)
    expectNoLeak(r)
    // The debugger page's sample (John Doe, issued 2018-01-18) is documentation wherever it is quoted.
    const sample = token({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })
    expect((await scan('web/src/login/component.ts', `const token = '${sample}'\n`)).findings).toEqual([])
    expect((await scan('web/src/login/component.ts', `const token = '${token({ name: 'John Doe', iat: 1716239022 })}'\n`)).findings).toHaveLength(1)
  })

  it('a private key or a JWT in a test or example tree is medium: they make their own; elsewhere it keeps its severity', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const jwt = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'svc', iss: 'local', role: 'reader' })}.${'Qk9xZ1Rh'.repeat(6)}`
    const key = `const key = \`\n${PRIVATE_KEY}\n\`\nconst token = "${jwt}"\n`
    const inTest = (await scan('pkg/tls/cert_test.go', key)).findings.map(forSamplePath)
    expect(inTest.map((f) => [f.ruleId, f.severity])).toEqual([
      ['secrets/privatekey', 'medium'],
      ['secrets/jwt', 'medium']
    ])
    expect(inTest[0].message).toMatch(/test tree/)
    // A key file named as a test's (`github_test.pem`) is a test fixture too.
    expect((await scan('generators/github/github_test.pem', `${PRIVATE_KEY}\n`)).findings.map(forSamplePath).map((f) => f.severity)).toEqual(['medium'])
    const inExample = (await scan('examples/mtls/client.go', key)).findings.map(forSamplePath)
    expect(inExample.map((f) => f.severity)).toEqual(['medium', 'medium'])
    expect(inExample[0].message).toMatch(/sample or documentation path/)
    for (const path of ['cmd/tls/cert.go', 'deploy/tls/key.go']) {
      const r = await scan(path, key)
      expect(r.findings.map(forSamplePath).map((f) => [f.ruleId, f.severity])).toEqual([
        ['secrets/privatekey', 'critical'],
        ['secrets/jwt', 'high']
      ])
    }
    // A provider's token cannot be made up by a test: it stays critical there.
    expect((await scan('pkg/tls/cert_test.go', `token := "${GITHUB_TOKEN}"\n`)).findings.map(forSamplePath).map((f) => f.severity)).toEqual(['critical'])
  })

  it('applies to every rule of the secrets category through analyzeFile', async () => {
    const tf = 'module "alb" {\n  source = "x"\n  client_secret = "Qx7-lm2!pz9"\n}\n'
    const inExample = await analyzeFile({ path: 'examples/complete/main.tf', kind: 'terraform', content: tf })
    const secrets = inExample.findings.filter((f) => f.category === 'secrets')
    expect(secrets.length).toBeGreaterThan(0)
    expect(secrets.every((f) => f.severity === 'info')).toBe(true)
    const inModule = await analyzeFile({ path: 'modules/alb/main.tf', kind: 'terraform', content: tf })
    expect(inModule.findings.filter((f) => f.category === 'secrets').every((f) => f.severity === 'high')).toBe(true)
  })

  it('a value repeating its key is a placeholder in the Terraform rule too', async () => {
    const tf = 'module "alb" {\n  source = "x"\n  client_id     = "client_id"\n  client_secret = "client_secret"\n}\n'
    expect((await analyzeFile({ path: 'modules/alb/main.tf', kind: 'terraform', content: tf })).findings.filter((f) => f.category === 'secrets')).toEqual([])
  })
})

describe('Secret entries that hold no credential', () => {
  it('are masked like every other Secret value but not reported', async () => {
    const content = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: oidc\nstringData:\n  audience: gateway-prod\n  username: backup-agent\n  clientSecret: Zq8vLm2Kp9Xw4RtY7b\n'
    const r = await scanSecrets({ path: 'k8s/oidc.yaml', kind: 'kubernetes', content })
    expect(r.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['secrets/k8s-secret-data@8'])
    expect(r.locations.map((l) => l.value)).toEqual(expect.arrayContaining(['gateway-prod', 'backup-agent', 'Zq8vLm2Kp9Xw4RtY7b']))
  })
})

describe('encrypted private keys and IAM entity ids', () => {
  it('an encrypted key is masked but not reported', async () => {
    const key = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'not used' },
      publicKeyEncoding: { type: 'spki', format: 'pem' }
    }).privateKey
    expect(key).toContain('Proc-Type: 4,ENCRYPTED')
    const r = await scanSecrets({ path: 'certs/enc.key', kind: 'other', content: key })
    expect(r.findings).toEqual([])
    expect(r.locations.length).toBeGreaterThan(0)
    expect(redact(key, r.locations)).not.toContain(key.split('\n')[4])
  })

  it('an IAM user id is no access key id; a temporary key id is', async () => {
    const body = 'QX7VM2PLR9TBK4HZ'
    const ids = await scanSecrets({ path: 'msg.json', kind: 'other', content: `{"SenderId": "AIDA${body}"}\n` })
    expect(ids.findings).toEqual([])
    const keys = await scanSecrets({ path: 'env.txt', kind: 'other', content: `key ASIA${body}\n` })
    expect(keys.findings.map((f) => f.severity)).toContain('critical')
  })
})

describe('secrets shown by a patch', () => {
  const b64 = Buffer.from(['Zq7x', 'R4p!w', 'Lm9k'].join('')).toString('base64')
  const removal = ['@@ -1,7 +0,0 @@', '-apiVersion: v1', '-kind: Secret', '-metadata:', '-  name: db', '-type: Opaque', '-data:', `-  pw: ${b64}`].join('\n')

  it('a deleted secret is located (for redaction) but is not a finding', async () => {
    const r = await scanPatchSecrets({ path: 'k8s/secret.yaml', kind: 'kubernetes' }, removal, true)
    expect(r.findings).toEqual([])
    expect(r.locations.map((l) => l.value)).toContain(b64)
    expect(redactPatch('k8s/secret.yaml', removal, r.locations)).not.toContain(b64)
  })

  it('the added lines of a file that was not read are findings at their new-side lines', async () => {
    const patch = ['@@ -3,2 +3,3 @@', ' DB_HOST=db', '+DB_PASSWORD=Qx7-lm2!pz9', ' DB_PORT=5432'].join('\n')
    const r = await scanPatchSecrets({ path: 'app/.env', kind: 'other' }, patch, false)
    expect(at(r.findings)).toEqual(['secrets/hardcoded-password@4'])
    expect(r.locations).toContainEqual({ path: 'app/.env', line: 4, column: 12, value: 'Qx7-lm2!pz9' })
  })
})

describe('cost with many secrets in one file', () => {
  it('twice the secrets cost about twice the time (deduplication is not quadratic)', async () => {
    const unit = 'P:\n  NoEcho: true\n  Default: Zq7x-R4p!w\n    secretKeyRef:\n'
    const small = unit.repeat(4000)
    const large = small + small
    const timeOf = async (text: string) => {
      const started = performance.now()
      await scan('pod.yaml', text, 'kubernetes')
      return performance.now() - started
    }
    await timeOf(large)
    // Interleaved and retried: a quadratic scan fails every attempt, a busy machine only some.
    let best = Infinity
    for (let attempt = 0; attempt < 3 && best >= 3; attempt++) {
      let [tSmall, tLarge] = [Infinity, Infinity]
      for (let i = 0; i < 4; i++) {
        tSmall = Math.min(tSmall, await timeOf(small))
        tLarge = Math.min(tLarge, await timeOf(large))
      }
      best = Math.min(best, tLarge / tSmall)
    }
    expect(best).toBeLessThan(3)
  }, 120_000)
})

describe('AWS secret access keys judged by the key ids around them, in a file of thousands', () => {
  // Distinct values per block, made from a hash so no literal key sits in the repository.
  const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const digest = (text: string) => createHash('sha256').update(text).digest()
  const secretOf = (i: number) => digest(`secret ${i}`).toString('base64').slice(0, 40)
  const keyIdOf = (i: number) => 'AKIA' + [...digest(`key id ${i}`).subarray(0, 16)].map((b) => BASE32[b % 32]).join('')
  const MADE_UP = 'AKIAWXYZ98765ABCD' // 17 characters: no key AWS issues
  /** One case per block: an issued id (`id`) or a made-up one, beside the key or at the edges of the five lines each way. */
  const CASES: Record<string, (id: string, secret: string) => string[]> = {
    'issued id beside': (id, secret) => [`AWS_ACCESS_KEY_ID=${id}`, `AWS_SECRET_ACCESS_KEY=${secret}`],
    'made-up id beside': (_id, secret) => [`AWS_ACCESS_KEY_ID=${MADE_UP}`, `AWS_SECRET_ACCESS_KEY=${secret}`],
    'no id around': (_id, secret) => [`AWS_SECRET_ACCESS_KEY=${secret}`],
    'made-up id five lines up': (_id, secret) => [`OLD_KEY_ID=${MADE_UP}`, '', '', '', '', `AWS_SECRET_ACCESS_KEY=${secret}`],
    'made-up id six lines up': (_id, secret) => [`OLD_KEY_ID=${MADE_UP}`, '', '', '', '', '', `AWS_SECRET_ACCESS_KEY=${secret}`],
    'made-up id five lines down': (_id, secret) => [`AWS_SECRET_ACCESS_KEY=${secret}`, '', '', '', '', `OLD_KEY_ID=${MADE_UP}`],
    'made-up id six lines down': (_id, secret) => [`AWS_SECRET_ACCESS_KEY=${secret}`, '', '', '', '', '', `OLD_KEY_ID=${MADE_UP}`],
    'issued id five lines up, made-up beside': (id, secret) => [`AWS_ACCESS_KEY_ID=${id}`, '', '', '', `OLD_KEY_ID=${MADE_UP}`, `AWS_SECRET_ACCESS_KEY=${secret}`]
  }
  const kinds = Object.keys(CASES)
  /** Lines per block: the longest case and more than five blank lines, so no block sees another's ids. */
  const BLOCK = 16
  const block = (i: number) => {
    const lines = CASES[kinds[i % kinds.length]](keyIdOf(i), secretOf(i))
    return [...lines, ...Array<string>(BLOCK - lines.length).fill('')].join('\n') + '\n'
  }
  const awsOnly = (r: SecretScan, shift = 0) =>
    r.findings.filter((f) => f.ruleId.startsWith('secrets/aws')).map((f) => `${f.ruleId}@${f.line + shift} ${f.severity}`).sort()

  it('each case alone: a made-up id within five lines and no issued one makes the key a stand-in, masked only', async () => {
    // Which rule reports the key (secretlint's `aws` or Preflight's own) is not what this is about.
    const alone = async (i: number) => awsOnly(await scan('deploy/credentials.env', block(i))).map((f) => f.replace(/^secrets\/aws(?:-secret-access-key)?@/, 'secret@')).sort()
    const secret = 'secret'
    const keyId = 'secrets/aws-access-key-id'
    expect(await alone(0)).toEqual([`${keyId}@1 critical`, `${secret}@2 critical`].sort())
    expect(await alone(1)).toEqual([])
    expect(await alone(2)).toEqual([`${secret}@1 critical`])
    expect(await alone(3)).toEqual([])
    expect(await alone(4)).toEqual([`${secret}@7 critical`])
    expect(await alone(5)).toEqual([])
    expect(await alone(6)).toEqual([`${secret}@1 critical`])
    // An issued id in reach outweighs a made-up one beside.
    expect(await alone(7)).toEqual([`${keyId}@1 critical`, `${secret}@6 critical`].sort())
  })

  it('2,000 secret keys in one file: the findings of each block alone, at its lines, and every key masked', async () => {
    const count = 2000
    const content = Array.from({ length: count }, (_, i) => block(i)).join('')
    const r = await scan('deploy/credentials.env', content)
    const expected: string[] = []
    for (let i = 0; i < count; i++) expected.push(...awsOnly(await scan('deploy/credentials.env', block(i)), i * BLOCK))
    expect(awsOnly(r)).toEqual(expected.sort())
    // Stand-ins included: every secret key is located, so redaction masks it.
    const located = new Set(valuesOf(r))
    expect(Array.from({ length: count }, (_, i) => secretOf(i)).filter((s) => !located.has(s))).toEqual([])
  }, 120_000)
})

describe('checksum lists keyed by file path', () => {
  it('a sha256 next to a file named secret.yaml is not a secret', async () => {
    const manifest = JSON.stringify({ sha256: { 'k8s/secret.yaml': '9f2c41d07be35a6e18c4f0b2d97a53e6c1f8b04a7d2e95c63b18f7e0a4d59c21' } }, null, 2)
    const r = await scanSecrets({ path: 'MANIFEST.json', kind: 'other', content: manifest })
    expect(r.findings).toEqual([])
  })
})

describe('Terraform literal fallbacks', () => {
  it('locates the literal fallback of try(), coalesce() and lookup() so every output masks it, and reports the line once', async () => {
    const fallback = ['Fb7', 'qLx9', '-Rm2w'].join('')
    const content = [
      'resource "aws_db_instance" "db" {',
      `  password = try(var.db_password, "${fallback}")`,
      '  username = lookup(var.users, "db_password", null)',
      '  api_token = coalesce(var.token, "null")',
      '}',
      ''
    ].join('\n')
    const r = await scan('infra/main.tf', content, 'terraform')
    expect(valuesOf(r)).toEqual([fallback])
    expect(redact(content, r.locations)).not.toContain(fallback)
    // lookup's second argument names a key, and the string "null" is no secret.
    expect(redact(content, r.locations)).toContain('"db_password"')
    const { findings } = await analyzeFile({ path: 'infra/main.tf', kind: 'terraform', content })
    expect(findings.filter((f) => f.category === 'secrets').map((f) => `${f.ruleId}@${f.line}`)).toEqual(['tf/hardcoded-password@2'])
  })
})

describe('passwords in URL query strings', () => {
  it('locates a JDBC query-string password so every output masks it, and leaves the rest of the URL readable', async () => {
    const password = ['Qx7', 'pLm2', 'vRt9'].join('')
    const content = `spring.datasource.url=jdbc:mysql://db:3306/app?user=root&password=${password}&useSSL=true\n`
    const r = await scan('config/application.properties', content)
    expect(at(r.findings)).toEqual(['secrets/url-password@1'])
    expect(valuesOf(r)).toEqual([password])
    const masked = redact(content, r.locations)
    expect(masked).not.toContain(password)
    expect(masked).toContain('jdbc:mysql://db:3306/app?user=root&password=')
    expect(masked).toContain('&useSSL=true')
  })
})

describe('Terraform conditionals', () => {
  it('locates a literal branch of a conditional, and not the strings of its condition', async () => {
    const literal = ['Dv4', '-pLq9', 'x'].join('')
    const content = `resource "aws_db_instance" "db" {\n  password = var.env == "prod" ? var.db_password : "${literal}" # dev only\n}\n`
    const r = await scan('infra/main.tf', content, 'terraform')
    expect(valuesOf(r)).toEqual([literal])
    const masked = redactSource('infra/main.tf', content, r.locations)
    expect(masked).not.toContain(literal)
    expect(masked).toContain('var.env == "prod"')
  })
})

describe('urlPasswordKind: what the password of a URL holds, for every path that judges one', () => {
  it.each([
    ['https://deploy:', 'Zq8vLm2Kp9Xw4R', 'literal'],
    ['https://deploy:', 'pass', 'none'],
    ['https://deploy:', '${PASSWORD}', 'none'],
    ['https://deploy:', '$PASSWORD', 'none'],
    ['https://deploy:', '<password>', 'none'],
    ['redis://${REDIS_USER:', '-}', 'none'],
    ['postgres://app:', 'example', 'stand-in'],
    ['mysql://root:', 'yourpassword', 'stand-in']
  ])('%s%s@ → %s', (head, password, kind) => {
    expect(urlPasswordKind(head, password)).toBe(kind)
  })
})

describe('couldBeWholeKey: a PEM private key block that could be a whole key', () => {
  const pkcs8 = (type: 'rsa' | 'ed25519' | 'ec') =>
    generateKeyPairSync(type as 'rsa', { modulusLength: 1024, namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } } as never).privateKey.trim() as string
  const rsa = pkcs8('rsa')
  const lines = rsa.split('\n')

  it('accepts whole keys as written in files, JSON strings and code', () => {
    expect(couldBeWholeKey(rsa)).toBe(true)
    expect(couldBeWholeKey(pkcs8('ed25519'))).toBe(true)
    expect(couldBeWholeKey(pkcs8('ec'))).toBe(true)
    expect(couldBeWholeKey(rsa.replace(/\n/g, '\\n'))).toBe(true)
    expect(couldBeWholeKey(lines.map((l) => `\t"${l}\\n" +`).join('\n'))).toBe(true)
    expect(couldBeWholeKey(lines.map((l) => `# ${l}`).join('\n'))).toBe(true)
  })

  it('rejects shortened, made-up and mislabelled bodies', () => {
    expect(couldBeWholeKey([lines[0], lines[1], '...', lines[lines.length - 2], lines[lines.length - 1]].join('\n'))).toBe(false)
    expect(couldBeWholeKey([lines[0], lines[1], '\u2026', lines[lines.length - 1]].join('\n'))).toBe(false)
    expect(couldBeWholeKey([lines[0], ...Array(4).fill('keydatakeydatakeydatakeydata'), lines[lines.length - 1]].join('\n'))).toBe(false)
    expect(couldBeWholeKey([lines[0], lines[1], lines[lines.length - 1]].join('\n'))).toBe(true)
    // A base64 line may end in `+`: it is the key's text, not string concatenation.
    expect(couldBeWholeKey([lines[0], lines[1].slice(0, 63) + '+', lines[lines.length - 1]].join('\n'))).toBe(true)
    expect(couldBeWholeKey([lines[0], lines[1].slice(0, 40), lines[lines.length - 1]].join('\n'))).toBe(false)
    // A DER label whose body is no ASN.1 SEQUENCE; an OpenSSH label whose body is no OpenSSH key.
    expect(couldBeWholeKey([lines[0], ...lines.slice(1, -1).map((l) => 'Q' + l.slice(1)), lines[lines.length - 1]].join('\n'))).toBe(false)
    expect(couldBeWholeKey(['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines.slice(1, -1), '-----END OPENSSH PRIVATE KEY-----'].join('\n'))).toBe(false)
  })

  it('costs linear time on a long line of noise', async () => {
    const body = (n: number) => `-----BEGIN PRIVATE KEY-----\n${' '.repeat(n)}x\n${'M'.repeat(n)}\n-----END PRIVATE KEY-----`
    const small = body(16000)
    const large = body(32000)
    const twenty = (text: string) => () => {
      for (let i = 0; i < 20; i++) couldBeWholeKey(text)
    }
    twenty(small)()
    // Best of interleaved rounds (a busy machine slows some, a quadratic scan all): linear is 2.
    expect(await growthRatio(twenty(small), twenty(large), { floorMs: 2 })).toBeLessThanOrEqual(3)
  })
})

describe('template expressions inside a key block', () => {
  it('strips them in linear time, even when openings never close', async () => {
    const block = (n: number) => ({ path: 'k.pem', kind: 'other' as FileKind, content: `-----BEGIN RSA PRIVATE KEY-----\n${'{$($'.repeat(n)}\n-----END RSA PRIVATE KEY-----\n` })
    // Bodies under the 16 KB a key block may span, so the whole block is matched and stripped.
    await scanSecrets(block(500))
    const small = block(2_000)
    const large = block(4_000)
    const ratio = await growthRatio(() => scanSecrets(small), () => scanSecrets(large))
    expect(ratio).toBeLessThanOrEqual(3)
  })
})

describe('GitHub token checksum', () => {
  it('is CRC32 of the 30 random characters in base62, digits then upper then lower case, left-padded with zeros', () => {
    // CRC32('') is 0; CRC32 of 'a' is 0xe8b7be43 = 3904355907, which is 4GEHKN in that alphabet.
    expect(githubTokenChecksum('')).toBe('000000')
    expect(githubTokenChecksum('a')).toBe('4GEHKN')
    expect(failsGithubChecksum(GITHUB_TOKEN)).toBe(false)
  })

  it('judges only the current format: a changed character fails it, other lengths and fine-grained tokens are never judged', () => {
    const changed = GITHUB_TOKEN.slice(0, 10) + (GITHUB_TOKEN[10] === 'x' ? 'y' : 'x') + GITHUB_TOKEN.slice(11)
    expect(failsGithubChecksum(changed)).toBe(true)
    for (const prefix of ['gho_', 'ghu_', 'ghs_', 'ghr_']) expect(failsGithubChecksum(prefix + GITHUB_TOKEN.slice(4))).toBe(false)
    expect(failsGithubChecksum(GITHUB_TOKEN + 'x')).toBe(false)
    expect(failsGithubChecksum('github_pat_' + 'x'.repeat(82))).toBe(false)
  })
})

describe('defaults by name: truststore passwords and product names', () => {
  it('names a truststore password in any spelling, and never a keystore or key password', () => {
    for (const key of ['TrustStorePassword', 'truststore_password', 'ssl.truststore.password', 'TRUSTSTORE_PASS', 'javax.net.ssl.trustStorePassword', 'truststorepassword'])
      expect([key, namesTrustStorePassword(key)]).toEqual([key, true])
    for (const key of ['KeyStorePassword', 'keystore_password', 'ssl.key.password', 'truststore_location', 'trust_password', 'password'])
      expect([key, namesTrustStorePassword(key)]).toEqual([key, false])
  })

  it('takes a password for the product name when it is a folder of the path or the file stem, not a layout word', () => {
    expect(isProductName('Cassandra', 'databases/cassandra/image/files/settings.yaml')).toBe(true)
    expect(isProductName('grafana', 'monitoring/conf/grafana.ini')).toBe(true)
    expect(isProductName('cassandra', 'databases/scylla/files/scylla.yaml')).toBe(false)
    expect(isProductName('templates', 'charts/milvus/templates/job.yaml')).toBe(false)
    expect(isProductName('cassandra1', 'databases/cassandra/files/cassandra.yaml')).toBe(false)
  })
})

describe('published test keys', () => {
  // The repository holds no published key: a key made here stands in for one, registered by the
  // digest of its body as PUBLISHED_TEST_KEYS registers Pebble's.
  const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  const known = new Map([[keyBodyDigest(pem), 'the stand-in test key']])

  it('names a registered key wherever it stands: indented in a ConfigMap, quoted with \\n escapes', () => {
    expect(publishedTestKey(pem, known)).toBe('the stand-in test key')
    const indented = pem.trimEnd().split('\n').map((l) => `    ${l}`).join('\n')
    expect(publishedTestKey(indented, known)).toBe('the stand-in test key')
    expect(publishedTestKey(`"${pem.trimEnd().split('\n').join('\\n')}"`, known)).toBe('the stand-in test key')
  })

  it('names no other key, nor the registered key with one character changed', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    expect(publishedTestKey(other, known)).toBeUndefined()
    const lines = pem.split('\n')
    lines[3] = lines[3].slice(0, 10) + (lines[3][10] === 'A' ? 'B' : 'A') + lines[3].slice(11)
    expect(publishedTestKey(lines.join('\n'), known)).toBeUndefined()
    // The registered keys: none is a key made here.
    expect(publishedTestKey(pem)).toBeUndefined()
  })
})
