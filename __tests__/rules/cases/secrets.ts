/**
 * Rule-tester cases for the secret rules (every file kind). Credential-shaped values are built at
 * run time from a seeded generator, so the repository holds no literal token and no scanner
 * flags it; each has the exact shape its rule looks for and is obviously not a live credential.
 */
import { generateKeyPairSync } from 'node:crypto'
import { crc32 } from 'node:zlib'
import type { CaseTable, InvalidCase } from '../../helpers/rule-tester.js'

/** A deterministic pseudo-random string over `alphabet` (LCG seeded by `seed`). */
function fake(length: number, seed: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string {
  let x = seed >>> 0
  let out = ''
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    out += alphabet[x % alphabet.length]
  }
  return out
}
/** A chart's Chart.yaml: its folder's files are chart files. */
const CHART_YAML = 'apiVersion: v2\nname: registry\nversion: 1.0.0\n'
const HEX = '0123456789abcdef'
/** A Chart.yaml declaring an object store subchart (`alias` when given), switched by `condition` when given. */
const chartWithStore = (condition?: string, alias?: string): string =>
  CHART_YAML + `dependencies:\n  - name: minio\n    version: 4.1.0\n    repository: https://charts.min.io/\n${alias ? `    alias: ${alias}\n` : ''}${condition ? `    condition: ${condition}\n` : ''}`
/** Values with a default root password under the subchart's key `key`, switched `enabled`, and one of the chart's own below. */
const storeValues = (enabled: string, key = 'minio'): string => `${key}:\n  enabled: ${enabled}\n  rootUser: admin-user\n  rootPassword: supersecret\nregistryAdminPassword: "Registry9876"\n`
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const j = (...parts: string[]): string => parts.join('')
const b64 = (s: string): string => Buffer.from(s).toString('base64')

const AWS_KEY_ID = j('AKIA', fake(16, 1, UPPER_NUM))

/** An access key id whose body encodes `account` (48 bits: the account above seven low bits), as AWS issues them. */
function keyIdFor(prefix: string, account: bigint, seed: number): string {
  const bits = (((account << 7n) | 0x2an) << 2n) | 1n
  let body = ''
  for (let i = 9; i >= 0; i--) body += UPPER_NUM[Number((bits >> BigInt(i * 5)) & 31n)]
  return j(prefix, body, fake(6, seed, UPPER_NUM))
}
const EMULATOR_KEY_ID = keyIdFor('ASIA', 0n, 93)
const DOC_ACCOUNT_KEY_ID = keyIdFor('AKIA', 123456789012n, 94)
const REAL_ACCOUNT_KEY_ID = keyIdFor('AKIA', 493817265034n, 95)
const AWS_SECRET = j(fake(20, 2), '/', fake(19, 3))
/**
 * The six characters GitHub ends a token with: CRC32 of its 30 random characters in base62
 * (digits, upper, lower), left-padded with zeros. Computed here apart from the scanner's code.
 */
function githubChecksum(body: string): string {
  const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
  let n = BigInt(crc32(body))
  let out = ''
  for (let i = 0; i < 6; i++) {
    out = digits[Number(n % 62n)] + out
    n /= 62n
  }
  return out
}
const githubToken = (prefix: string, seed: number): string => j(prefix, '_', fake(30, seed), githubChecksum(fake(30, seed)))
const GITHUB_CLASSIC = githubToken('ghp', 4)
/** A token whose checksum is below 62^5, so its first checksum character is the padding `0`. */
const GITHUB_PADDED = githubToken('gho', 103)
/** The current format's shape with a checksum that does not match: typed by hand, as in GitHub's documentation. */
const GITHUB_MADE_UP = j('ghs', '_', fake(36, 4))
const GITHUB_LONG = j('ghs', '_', fake(40, 5))
const GITLAB = j('glpat', '-', fake(20, 7))
const SLACK = j('xoxb', '-', '2231', '-', fake(24, 8))
const SLACK_SHORT = j('xoxs', '-', '4815162342', '-', fake(24, 9))
const SLACK_HOOK = j('https://hooks.slack', '.com/services/T', fake(8, 10, UPPER_NUM), '/B', fake(8, 11, UPPER_NUM), '/', fake(24, 12))
/** A legacy Workflow Builder webhook: workspace id, app id, a number, the secret. */
const SLACK_WORKFLOW_HOOK = j('https://hooks.slack', '.com/workflows/T', fake(9, 13, UPPER_NUM), '/A', fake(10, 14, UPPER_NUM), '/', fake(18, 15, '0123456789'), '/', fake(24, 16))
/** A workflow's webhook trigger, as Slack documents it: workspace id, a number, the secret. */
const SLACK_TRIGGER_HOOK = j('https://hooks.slack', '.com/triggers/T', fake(10, 17, UPPER_NUM), '/', fake(13, 18, '0123456789'), '/', fake(32, 19, HEX))
const TEAMS_HOOK = j('https://acme', '.webhook.office', '.com/webhookb2/', fake(36, 14), '@', fake(36, 15), '/IncomingWebhook/', fake(32, 16))
const STRIPE = j('sk', '_live_', fake(24, 17))
const GOOGLE_API = j('AIza', fake(35, 18))
const GOOGLE_OAUTH = j('GOCSPX', '-', fake(28, 19))
const SQUARE = j('sq0atp', '-', fake(22, 20))
const BRAINTREE = j('access_token', '$production$', fake(16, 21, 'abcdefghijklmnopqrstuvwxyz0123456789'), '$', fake(32, 22, HEX))
const ANTHROPIC_SHORT = j('sk-ant', '-', fake(32, 23))
const ANTHROPIC_FULL = j('sk-ant', '-api03-', fake(93, 24), 'AA')
const OPENAI_SHORT = j('sk-proj', '-', fake(32, 25))
const OPENAI_FULL = j('sk-proj', '-', fake(58, 26), 'T3Blbk', 'FJ', fake(58, 27))
const NPM_TOKEN = j('npm', '_', fake(36, 28))
const JWT = j('eyJ', fake(20, 29), '.eyJ', fake(30, 30), '.', fake(43, 31))
/** A 1Password service-account token: base64 of a JSON object (so it starts `ey` and ends `fQ`). */
function onePasswordToken(): string {
  for (let pad = 0; pad < 3; pad++) {
    const body = b64(JSON.stringify({ signInAddress: 'example.1password.com', email: `${fake(12, 32)}@example.com`, secretKey: fake(40 + pad, 61) }))
    if (body.endsWith('fQ==')) return j('ops', '_', body)
  }
  throw new Error('no 1Password token shape')
}
const ONEPASSWORD = onePasswordToken()
const DATABRICKS = j('dapi', fake(32, 33, HEX))
const DOCKER_PAT = j('dckr', '_pat_', fake(27, 34))
const FIGMA = j('figd', '_', fake(40, 35))
const GRAFANA = j('glsa', '_', fake(32, 36), '_', fake(8, 37, HEX))
const GROQ = j('gsk', '_', fake(52, 38))
const VAULT = j('hvs', '.', fake(95, 39))
const HUGGINGFACE = j('hf', '_', fake(34, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'))
const LINEAR = j('lin', '_api_', fake(40, 41))
const NOTION = j('ntn', '_', fake(11, 42, '0123456789'), fake(35, 43))
const SENDGRID = j('SG', '.', fake(22, 44), '.', fake(43, 45))
const SHOPIFY = j('shpat', '_', fake(32, 46, HEX))
const VERCEL = j('vcp', '_', fake(40, 47))
const STRONG = j('Qz', fake(14, 48), '-R4p')
const GOOGLE_ACCESS = j('ya29', '.', fake(60, 71, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'))
const MAILCHIMP = j(fake(32, 72, HEX), '-us', '12')
const MWS = j('amzn', '.mws.', fake(8, 73, HEX), '-', fake(4, 74, HEX), '-', fake(4, 75, HEX), '-', fake(4, 76, HEX), '-', fake(12, 77, HEX))
const PEM = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' }
}).privateKey.trim()
const PEM_LINES = PEM.split('\n')
/** Private keys encrypted with a passphrase: PKCS#8 `ENCRYPTED PRIVATE KEY`, and PKCS#1 with `Proc-Type: 4,ENCRYPTED`. */
const encryptedKey = (type: 'pkcs8' | 'pkcs1'): string =>
  generateKeyPairSync('rsa', {
    modulusLength: 1024,
    privateKeyEncoding: { type, format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' },
    publicKeyEncoding: { type: 'spki', format: 'pem' }
  }).privateKey.trim()
const PEM_ENCRYPTED_PKCS8 = encryptedKey('pkcs8')
const PEM_ENCRYPTED_PKCS1 = encryptedKey('pkcs1')
/**
 * OpenSSH private keys in their own format: the magic, then the cipher's name (`none` for a plain key,
 * `aes256-ctr` when a passphrase protects it), then key material (random bytes stand in for it here).
 */
const openSshKey = (cipher: string, seed: number): string => {
  const name = Buffer.alloc(4 + cipher.length)
  name.writeUInt32BE(cipher.length)
  name.write(cipher, 4, 'latin1')
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0', 'latin1'), name, Buffer.from(fake(300, seed), 'latin1')]).toString('base64')
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.match(/.{1,70}/g)!.join('\n')}\n-----END OPENSSH PRIVATE KEY-----`
}
/** A signing tool's own encrypted key: a label naming the tool, and a JSON envelope (kdf, cipher, ciphertext) as its body. */
const COSIGN_ENCRYPTED = `-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n${Buffer.from(JSON.stringify({ kdf: { name: 'scrypt', salt: fake(44, 71) }, cipher: { name: 'nacl/secretbox', nonce: fake(32, 72) }, ciphertext: fake(160, 73) })).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ENCRYPTED COSIGN PRIVATE KEY-----`
/** An IAM user's unique id: the shape of a key id with an entity prefix, no credential. */
const IAM_USER_ID = j('AIDA', fake(16, 90, UPPER_NUM))
const AWS_TEMP_KEY_ID = j('ASIA', fake(16, 91, UPPER_NUM))
/** A secret access key's shape that says it is a documentation example (40 characters). */
/** An access key id of an S3-compatible store (Ceph RGW, MinIO): 20 characters, no AWS prefix. */
const STORE_KEY_ID = j('XE', fake(18, 95, UPPER_NUM))
const DOC_AWS_SECRET = j(fake(20, 93), '/', fake(8, 94), 'q', 'EXAMPLEKEY')

/** A one-line invalid case: `text` on line 2 of a plain config file. */
const line2 = (text: string, extra: Partial<InvalidCase['errors'][number]> = {}, name?: string, path = 'config/settings.txt'): InvalidCase => ({
  ...(name ? { name } : {}),
  path,
  code: `# service settings\n${text}\n`,
  errors: [{ line: 2, ...extra }]
})
/** A workflow whose one step runs `run` (line 8). */
const workflowRun = (run: string): string => `on: push\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${run}\n`
const quiet = (text: string, name?: string, path = 'config/settings.txt') => ({ ...(name ? { name } : {}), path, code: `# service settings\n${text}\n` })

const GCP_SA = `{\n  "type": "service_account",\n  "project_id": "demo-project",\n  "private_key_id": "${fake(40, 49, HEX)}",\n  "private_key": "${PEM.replace(/\n/g, '\\n')}",\n  "client_email": "ci@demo-project.iam.gserviceaccount.com",\n  "client_id": "${fake(21, 50, '0123456789')}"\n}\n`

/** A minimal chart, so templates beside it are analysed as Helm templates. */
const CHART = 'apiVersion: v2\nname: chart\nversion: 0.1.0\n'

export const secretsCases: CaseTable = {
  'secrets/1password': { valid: [quiet('token: ops_placeholder')], invalid: [line2(`token: ${ONEPASSWORD}`, { severity: 'critical' })] },
  'secrets/anthropic': { valid: [quiet('key: sk-ant-xxxx')], invalid: [line2(`key: ${ANTHROPIC_FULL}`)] },
  'secrets/anthropic-key': { valid: [quiet('key: sk-ant-')], invalid: [line2(`key: ${ANTHROPIC_SHORT}`)] },
  'secrets/aws': {
    valid: [
      quiet('AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'AWS documentation example key'),
      quiet(`export AWS_SECRET_ACCESS_KEY=${DOC_AWS_SECRET}`, 'a documentation secret that says EXAMPLE', 'scripts/env.sh'),
      quiet(`export APP_ACCESS_KEY_ID=AKIAWXYZ98765ABCD\nexport APP_SECRET_ACCESS_KEY=${AWS_SECRET}`, 'a secret beside a key id of the wrong length (17 characters): made up together', 'docs/cleanup.md')
    ],
    invalid: [
      line2(`aws_secret_access_key = "${AWS_SECRET}"`, { severity: 'critical' }),
      {
        name: "documentation's sample MinIO pair: the key id under the secret's prefix has no AWS prefix, so the pair is not provably AWS's (info)",
        path: 'Documentation/object-storage.md',
        code: `\`\`\`console\nexport MINIO_HOST=minio.storage.svc\nexport MINIO_ACCESS_KEY=${STORE_KEY_ID}\nexport MINIO_SECRET_ACCESS_KEY=${AWS_SECRET}\n\`\`\`\n`,
        errors: [{ line: 4, severity: 'info', message: /named with the same prefix, lacks AWS's prefix/ }]
      },
      {
        name: "a secret named for AWS beside a key id without AWS's prefix, in documentation: kept (the name says the key is AWS's; rook's object-storage.md)",
        path: 'Documentation/object-storage.md',
        code: `\`\`\`console\nexport AWS_HOST=rgw-my-store.rook-ceph.svc\nexport AWS_ACCESS_KEY_ID=${STORE_KEY_ID}\nexport AWS_SECRET_ACCESS_KEY=${AWS_SECRET}\n\`\`\`\n`,
        errors: [{ line: 4, severity: 'critical' }]
      },
      {
        name: 'an AWS secret beside a MinIO key id in documentation: not its partner, kept',
        path: 'docs/setup.md',
        code: `# Setup\n\`\`\`bash\nexport AWS_SECRET_ACCESS_KEY=${AWS_SECRET}\nexport MINIO_ACCESS_KEY=minioadminminioadmin\n\`\`\`\n`,
        errors: [{ line: 3, severity: 'critical' }]
      },
      {
        name: 'aws_secret_access_key beside a bare access_key in documentation: kept (the secret is named for AWS)',
        path: 'setup.md',
        code: `\`\`\`yaml\naccess_key: ${STORE_KEY_ID}\naws_secret_access_key: ${AWS_SECRET}\n\`\`\`\n`,
        errors: [{ line: 3, severity: 'critical' }]
      },
      {
        name: "a secret key beside a key id of another store's prefix in documentation: not a pair, kept",
        path: 'docs/setup.md',
        code: `\`\`\`bash\nexport MINIO_ACCESS_KEY=${STORE_KEY_ID}\nexport BACKUP_SECRET_ACCESS_KEY=${AWS_SECRET}\n\`\`\`\n`,
        errors: [{ line: 3, severity: 'critical' }]
      },
      {
        name: 'beside both a foreign key id and an AWS one, in documentation: kept (secretlint reports it)',
        path: 'docs/setup.md',
        code: `mirror_access_key_id: ${STORE_KEY_ID}\naws_access_key_id: ${AWS_KEY_ID}\naws_secret_access_key: ${AWS_SECRET}\n`,
        errors: [{ line: 3, severity: 'critical' }]
      },
      {
        name: 'the same pair outside a sample path keeps its severity: a real MinIO or Ceph key is a credential too',
        path: 'deploy/env.sh',
        code: `export AWS_ACCESS_KEY_ID=${STORE_KEY_ID}\nexport AWS_SECRET_ACCESS_KEY=${AWS_SECRET}\n`,
        errors: [{ line: 2, severity: 'critical' }]
      },
      {
        name: 'a secret beside a well-formed key id keeps its severity',
        path: 'deploy/env.sh',
        code: `export APP_ACCESS_KEY_ID=${AWS_KEY_ID}\nexport APP_SECRET_ACCESS_KEY=${AWS_SECRET}\n`,
        errors: [{ line: 2, severity: 'critical' }]
      }
    ]
  },
  'secrets/aws-access-key-id': {
    valid: [
      quiet('id: AKIA-not-a-key'),
      quiet('id: AKIAIOSFODNN7EXAMPLE', 'AWS documentation example key id'),
      quiet(`{\n  "attributes": {\n    "SenderId": "${IAM_USER_ID}"\n  }\n}`, 'an IAM user unique id (AIDA) is no access key', 'config/message.json'),
      quiet(`role_id: ${j('AROA', fake(16, 92, UPPER_NUM))}`, 'an IAM role unique id (AROA)', 'config/roles.yaml'),
      quiet(`client = connect(\n    aws_access_key_id="${EMULATOR_KEY_ID}",\n)`, 'an emulator id: its encoded account is all zeros', 'svc/test_connect.py'),
      quiet(`    Example:\n        "${DOC_ACCOUNT_KEY_ID}" => "123456789012"`, 'an id made for the documentation account', 'svc/accounts.py')
    ],
    invalid: [
      line2(`id: ${REAL_ACCOUNT_KEY_ID}`, { severity: 'critical' }, 'an id encoding any other account'),
      line2(`id: ${AWS_TEMP_KEY_ID}`, { severity: 'critical' }, 'a temporary (ASIA) access key id'),
      line2(`id: ${AWS_KEY_ID}`, { severity: 'critical' }),
      {
        name: "an access key entry of a Secret beside its secret key, holding an access key id's shape, stays reported",
        path: 'k8s/artifacts-secret.yaml',
        code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: artifacts\nstringData:\n  accesskey: ${AWS_KEY_ID}\n  secretkey: ${AWS_SECRET}\n`,
        errors: [{ line: 6, severity: 'critical' }]
      },
      line2(`id: ${AWS_KEY_ID}`, { severity: 'critical' }, 'real credential shape in a test path keeps its severity', 'tests/fixtures/settings.txt'),
      line2(`    id: ${AWS_KEY_ID}`, { severity: 'critical' }, 'real credential shape in Markdown keeps its severity', 'docs/setup.md'),
      {
        name: "a provider-shaped key as a chart's default in its values.yaml keeps its severity (not a chart-default word)",
        files: { 'deploy/registry/Chart.yaml': CHART_YAML, 'deploy/registry/values.yaml': `blobStore:\n  apiKey: ${AWS_KEY_ID}\n` },
        errors: [{ path: 'deploy/registry/values.yaml', line: 2, severity: 'critical' }]
      }
    ]
  },
  'secrets/aws-secret-access-key': {
    valid: [
      quiet('sha: 0123456789abcdef0123456789abcdef01234567', 'a SHA-1 is not a key'),
      quiet(`<a href="https://www.amazon.com/dp/B0061?SubscriptionId=${AWS_KEY_ID}&tag=x">knife</a>\n{"recaptcha":{"recaptchaSiteKey":"${j('6Le657YZ', 'AAAAA', fake(27, 96))}"}}`, 'a reCAPTCHA site key next to a key id', 'web/pages/recipe.html'),
      quiet(`aws_secret_key: ${DOC_AWS_SECRET}`, 'a documentation secret that says EXAMPLE, in documentation', 'docs/aws-setup.yaml'),
      quiet(`id ${EMULATOR_KEY_ID}\nkey ${AWS_SECRET}\n`, 'a secret next to an emulator id only (made up with it)', 'config/settings.txt'),
      quiet(`export APP_ACCESS_KEY_ID=AKIAWXYZ98765ABCD\nexport APP_SECRET_ACCESS_KEY=${AWS_SECRET}`, 'a secret under a secret-key name beside a key id of the wrong length: made up together', 'docs/cleanup.md')
    ],
    invalid: [
      line2(`id ${AWS_KEY_ID} key ${j('6L', fake(38, 97))}`, { severity: 'critical' }, 'a secret that starts 6L but has no run of A: no reCAPTCHA key'),
      line2(`aws_secret_key: ${DOC_AWS_SECRET}`, { severity: 'critical' }, 'the documentation secret written into configuration: where a real key would go', 'config/aws.yaml'),
      line2(`aws_secret_key: ${AWS_SECRET}`, { severity: 'critical' }, undefined, 'config/aws.yaml'),
      {
        name: "a bucket's access details in documentation, its key id without AWS's prefix (a Ceph RGW user): info",
        path: 'Documentation/cosi.md',
        code: `\`\`\`json\n{\n  "secretS3": {\n    "accessKeyID": "${STORE_KEY_ID}",\n    "accessSecretKey": "${AWS_SECRET}"\n  }\n}\n\`\`\`\n`,
        errors: [{ line: 5, severity: 'info', message: /S3-compatible store/ }]
      },
      {
        name: 'the same outside a sample path: critical',
        path: 'config/bucket.json',
        code: `{\n  "accessKeyID": "${STORE_KEY_ID}",\n  "accessSecretKey": "${AWS_SECRET}"\n}\n`,
        errors: [{ line: 3, severity: 'critical' }]
      },
      { name: 'next to an access key id', path: 'config/settings.txt', code: `id ${AWS_KEY_ID}\nkey ${AWS_SECRET}\n`, errors: [{ line: 2 }] }]
  },
  'secrets/aws-credentials-in-user-data': {
    valid: [{ path: 'infra/main.tf', code: 'resource "aws_instance" "b" {\n  user_data = "sha=0123456789abcdef0123456789abcdef01234567"\n}\n' }],
    invalid: [{ path: 'infra/main.tf', code: `resource "aws_instance" "a" {\n  user_data = "export K=${AWS_SECRET}"\n}\n`, errors: [{ line: 2, severity: 'high' }] }]
  },
  'secrets/authorization-header': {
    valid: [
      quiet("\t// same Moonshot key via Authorization: Bearer (Claude Code's", 'a remark in brackets after the scheme', 'management/catalog/catalog.go'),
      quiet('//\tAuthorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW\n//\tAuthorization: Bearer 23410913-abewfq.123483', "the OAuth RFCs' examples, quoted in a library's comments", 'fosite/introspection_request_handler.go'),
      quiet('        $cmd = "curl -H \\"Authorization: Bearer {$token}\\" {$endpoint}";', "a PHP variable interpolated into the header", 'app/Traits/HasMetrics.php'),
      quiet('  answer: Resend the JSON-RPC request with an Authorization: Bearer header. The checker then', 'the header named in a sentence', 'content/faq.yaml'),
      quiet('// PAT-authenticated routes (Authorization: Bearer tr_pat_\u2026)', "a token's prefix, then an ellipsis", 'apps/webapp/app/services/rbac.ts'),
      quiet("  --header 'Authorization: Bearer eyJhbG...2g'", 'a token cut short by an ellipsis in a guide', 'packages/core/src/routes/swagger/consts.ts'),
      quiet('\t\tMsg("request carried both a session cookie and an Authorization: Bearer header on a bearer_token_format:jwt route")', 'the header named in a log message', 'authorize/grpc.go'),
      quiet('// The Authorization: Bearer header must contain a valid token,', 'the header named in a comment', 'pkg/zero/connect/connect.proto'),
      quiet('// Authorization: Bearer Pomerium-<JWT>', 'a prefix, then a slot in angle brackets', 'internal/sessions/header/header.go'),
      quiet('          value={`claude mcp add --transport http app \\\\\n  --header "Authorization: Basic {your-base64-token}"`}', 'a slot in braces for the token', 'web/src/components/Settings.tsx'),
      quiet('curl -H "Authorization: Bearer $API_TOKEN" https://api.example.com', 'header from a variable'),
      quiet('  -H "Authorization: Token token=\\"${BUILDKITE_ANALYTICS_TOKEN}\\"" \\', "a scheme's named parameter set from a variable", '.buildkite/hooks/post-command'),
      quiet('\t\treturn false, errors.New("authorization: token either expired or inexistent")', 'an error message: a word and more words after it', 'internal/cache/middleware/key_auth.go'),
    ],
    invalid: [
      line2('    headers = {"Authorization": "Bearer (Xk9pQ2mLzR7tB4nWq8Vd)"}', {}, 'a token in brackets is still a token', 'client.py'),
      line2('<code>Authorization: Bearer q8Xv2LmP0zR7tYw3Kd9sNb4</code>', {}, 'a closing tag after the token is no slot', 'web/api.html'),
      line2('  -H "Authorization: Bearer letmein, X-Other: 1"', {}, 'a word before a comma and another header is a weak token, no sentence', 'scripts/call.sh'),
      line2('Authorization: Bearer letmein.', {}, 'a word and a full stop with nothing after it', 'notes/api.txt'),
      line2('Authorization: Bearer Xk9mQ2pLZ3ab...Q9wE7rT2yU8iO1pA5sD', {}, 'an ellipsis inside a long value cuts nothing short', 'notes/api.txt'),
      line2('  -H "Authorization: token letmein" -H "Accept: json"', {}, 'a word and then another header, not a sentence', 'scripts/call.sh'),
      line2('Authorization: token letmein now', {}, 'a word and only one more', 'notes/api.txt'),
      line2('# cron sends Authorization: token wolfhounds to the billing service', {}, 'a word and more words, but no string and call closing after them: a comment naming a real token', 'ops/cron.sh'),
      line2(`curl -H "Authorization: Bearer ${STRONG}" https://api.example.com`, { severity: 'high' }),
      line2(`curl -H "Authorization: Token token=\\"${STRONG}\\"" https://api.example.com`, { severity: 'high' }, "a literal in the scheme's named parameter"),
      line2(`  ->param('headers', [], new Assoc(), 'HTTP headers to send.', true, example: '{"Authorization":"Bearer token123","X-Custom-Header":"value"}')`, { severity: 'medium', message: /a placeholder word \(perhaps with a number\)/ }, "a word and a number in an API's example: medium", 'src/Screenshots/Get.php'),
      line2('Authorization: "Bearer secret2024"', { severity: 'medium' }, 'a guessable static token: medium, not dropped'),
      line2('    Authorization: Bearer deadbeef12346', { severity: 'medium', message: /a placeholder word/ }, "a hex placeholder word and a number in a docstring's example: medium", 'fastapi/security/http.py'),
      line2('// e.g.: Authorization: Bearer mytoken123', { severity: 'medium', message: /a placeholder word/ }, "`my` before a placeholder word and a number: medium", 'fosite/introspect.go'),
      line2('// e.g.: Authorization: Bearer mytoken9Kq8vLm3nP0vR7tY', { severity: 'high' }, 'a placeholder word before a random part is a token', 'fosite/introspect.go'),
      line2('    Authorization: Bearer deadbeef5c1f8e2a', { severity: 'high' }, 'a hex placeholder word with more hex after it is not a placeholder and a number', 'app/client.py')
    ]
  },
  'secrets/basicauth': {
    valid: [
      quiet('url: https://user:${PASSWORD}@example.com/x', 'password from a variable'),
      // The pattern scan's URL-password filter already skipped it; secretlint's reported it high.
      quiet('url: https://admin:pass@cache.example.com/x', 'the conventional word `pass` for a password')
    ],
    invalid: [
      line2(`url: https://deploy:${fake(16, 51)}@artifacts.example.com/x`, { severity: 'high' }),
      line2('url: https://deploy:deploy@artifacts.example.com/x', { severity: 'medium', message: /repeats its user name/ }, 'a password that repeats the user name: medium'),
      line2('\tsentryDSN = "https://56a9c9fa5c364ab28f34b14f35ea0f1b:3e8827f6f9f740738eb11138f7bebb68@o12.ingest.sentry.io/189878"', { severity: 'low', message: /a Sentry DSN, which clients embed on purpose/ }, "a Sentry DSN: low", 'cmd/tool/main.go'),
      line2(`url: https://deploy:${fake(16, 93)}@sentry.io.attacker.example/1`, { severity: 'high' }, 'a host that only starts like sentry.io stays high'),
      line2('\texport MC_HOST_minio="http://minio:minio123@127.0.0.1:${start_port}/"', { severity: 'medium', message: /loopback address/ }, 'a server on the loopback address, as a test script starts one: medium', 'buildscripts/verify-healing.sh'),
      line2('url: https://deploy:minio123@127.0.0.1.attacker.example/x', { severity: 'high' }, 'a host that only starts like the loopback address stays high')
    ]
  },
  'secrets/braintree-token': { valid: [quiet('token: access_token$sandbox$x')], invalid: [line2(`token: ${BRAINTREE}`)] },
  'secrets/command-line-password': {
    valid: [
      quiet('gcloud secrets versions access latest --secret=e2e-builder-sa-key --quiet --project=ci > "${KEY_PATH}"', "gcloud's `--secret` names a secret in Secret Manager", '.buildkite/run.sh'),
      quiet('set -e && gcloud secrets versions access 3 --secret=e2e-builder-sa-key --quiet > key.json', 'the same after another command on the line', 'scripts/rotate.sh'),
      quiet('export KEY=$(gcloud secrets versions access latest --secret=e2e-builder-sa-key)', 'the same in a command substitution', 'scripts/rotate.sh'),
      quiet('\texposeCmd.Flags().StringVar(&exposePassword, "with-password", "", "Protect the exposed service with a password (e.g. --with-password my-secret)")', "a stand-in in a flag's help, a remark's bracket after it", 'client/cmd/expose.go'),
quiet("    'CMD', 'mysqladmin', 'ping', '-h', 'localhost', '-u', 'root', \"-p{$this->database->mysql_root_password}\",", "a PHP property chain interpolated after -p", 'app/Actions/Database/StartMysql.php'), quiet('mysql -u root -p -e "select 1"', 'prompting -p'), quiet("kubectl exec -i db-0 -- bash -c 'mysql -uroot -pstarter --password=${MYSQL_ROOT_PASSWORD}'", 'a later password option taking a variable wins', 'scripts/setup.sh'), quiet('docker run -u 1000:1000 app', 'user id, not a password', 'scripts/run.sh'), quiet('./gitea admin user create --password "$PASS" --must-change-password=false', 'a switch named after the password, set to a boolean', 'scripts/admin.sh'), quiet('script: "./gitea admin user create --password $PASS --must-change-password=false\\n\\n# done"', 'the same switch inside an escaped script string', 'stack/admin.yaml'), quiet('\tlog.Println("ERROR: --remote-write-username and --remote-write-password must both be provided")', 'a sentence about the flag', 'cmd/bench/main.go'), quiet('// or a path to an identity token via the --identity-token flag', 'the flag named in a comment', 'internal/auth/auth.go'),
      quiet('\t\treturn "", errors.New("could not detect environment; provide --id-token explicitly")', 'a sentence telling which flag to give', 'wif/wif.go'),
      quiet('\t\targs = append(args, "--client-secret="+cfg.ClientSecret)', 'a string ending at the flag, a variable joined to it', 'cmd/boot/daemon.go'),
      quiet('$cmd = "tool --password=".$password;', 'the same in PHP', 'bin/run.php'),
      quiet('        - --server-tls-secret=server-tls\n        - --nginx-docker-secret=nginx-plus-registry-secret\n        - --usage-report-secret=nplus-license', "a controller's flags naming Secret objects", 'deploy/default/deploy.yaml'),
      quiet('  ./bin/flux bootstrap github --image-pull-secret=ghcr-auth --owner=fluxcd-testing', 'the pull Secret a bootstrap creates, by name', 'scripts/e2e.sh'),
      quiet('\t\treturn fmt.Errorf("--ssh-signing-password requires --ssh-signing-key-file")', 'a sentence saying what a flag requires', 'cmd/flux/bootstrap.go'),
      quiet(`find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d \\( -name 'mysql' -o -name 'mariadb' \\) -printf '%f\\n' | sed 's/x//'`, "find's -printf on a line naming mysql: mysql is find's argument, not the command", 'scripts/backup.sh'),
      quiet('find /etc/mysql -type f -print0 | xargs -0 chmod 600', "find's -print0 in a MySQL folder", 'scripts/perms.sh'),
      quiet('docker run --name mysql -p3306:3306 -e MYSQL_ROOT_PASSWORD=$PW -d mysql:8', "docker's own -p (a published port) on a line naming mysql", 'scripts/db.sh'),
      quiet('podman run --rm --name mysql-test -p3306:3306 mariadb:11', "podman's published port", 'scripts/db.sh'),
      quiet('ssh -i key mysql@db1 -p2222x uptime', "ssh's own -p (a port) to a host user named mysql", 'scripts/db.sh'),
      quiet("find /var/lib \\\n    -name 'mysql*' -printf '%p %s\\n'", "a continued find line: -name is an option, not a command", 'scripts/sizes.sh'),
      quiet('mysqldump -u root -p"$DB_ROOT_PASSWORD" app > app.sql', 'a password from a variable', 'scripts/dump.sh'),
      quiet('  echo "      --cifs-password          (Optional) CIFS credentials password"', 'a usage line: a note in brackets after the flag', 'scripts/restore.sh'),
      quiet('  echo "      --cifs-password          CIFS credentials password"', 'a usage line: the flag, a wide gap, then capitalised words', 'scripts/restore.sh'),
      quiet('Usage: backup --db-password <db-password-here> --api-token [api-token-Value9]', 'placeholders in angle and square brackets', 'scripts/backup.sh'),
      quiet('Usage: backup --db-password (required,Secret9) --api-token (optional, defaults to none)', 'notes in round brackets', 'scripts/backup.sh'),
      quiet('  --admin-token\tSigning token, Base64', 'a tab-separated usage column', 'scripts/usage.sh'),
      quiet('  -p, --cifs-password          CIFS credentials password', 'a usage line with the short alias first', 'scripts/usage.sh'),
      quiet('>&2 echo "      --cifs-password          CIFS credentials password"', 'a usage line echoed to stderr', 'scripts/usage.sh'),
      quiet('\tfmt.Println("      --cifs-password          CIFS credentials password")', 'a usage line in a Go string', 'cmd/restore/usage.go')],
    invalid: [
      line2('gcloud secrets versions access latest --secret=abc # was: mytool --secret=Sq8vN2pLx7RtZ4wY9mBcD3fG', { severity: 'high' }, "another tool's flag in a comment after a gcloud secrets command", 'scripts/deploy.sh'),
      line2('DSN=$(gcloud secrets versions access latest --secret hydra-dsn --project p) hydra create client --secret Zk29fjQmX81pLr4TyW7c', { severity: 'high' }, 'a flag of the command after a gcloud substitution', 'scripts/clients.sh'),
      line2('echo "gcloud secrets " hydra create client --secret Zk29fjQmX81pLr4TyW7e', { severity: 'high' }, 'gcloud named in an argument, not the command', 'scripts/clients.sh'),
      line2('gcloud secrets versions access latest --secret=db-pass > /tmp/db; ./bin/migrate --secret=Xq8vN2pLx7RtZ4wY9mBcD3fG', { severity: 'high' }, "another command's --secret after a gcloud secrets command on the same line", 'scripts/deploy.sh'),
      line2('deploy-tool push --secret=e2e-builder-sa-key', { severity: 'high' }, 'the same flag and value for another command: a literal', 'scripts/push.sh'),
      line2('run: deploy --with-password Kq8vLm3nP0vR7tYx)', {}, 'a random value before a bracket stays a password', 'scripts/run.sh'),
      line2('run: mysqldump -h db.prod.acme.io --password=Secret2024 shop', { severity: 'high' }, 'a typed password on a password flag stays high', 'scripts/backup.sh'),
      line2('run: renovate --token 123test', { severity: 'medium' }, 'a number and a placeholder word is medium', 'scripts/run.sh'),line2(`mysql -uroot -p${STRONG} -e "select 1"`, { severity: 'high' }, undefined, 'scripts/db.sh'), line2('./deploy --admin-password hunter9x now', { severity: 'high' }, 'a word value followed by one more word is still a value', 'scripts/deploy.sh'),
      line2('mysql -u app --password "+Xq9vLm2pR7wT" appdb', { severity: 'high' }, 'a quoted password that starts with + is a value, not a joined variable', 'scripts/db.sh'),
      line2('helm repo add --password letmeinplease myrepo https://charts.example.com', { severity: 'high' }, 'a subcommand before the flag is no sentence', 'scripts/repo.sh'),
      line2('mysqladmin -u root --password rootpassword status', { severity: 'medium', message: /a well-known default/ }, 'a default password on a command line: medium, as under a key', 'scripts/db.sh'),
      line2("authelia crypto hash validate --password 'p@ssw0rd' -- '$5$rounds=500000$x'", { severity: 'medium', message: /a well-known default anyone would try first/ }, "a usage example's well-known password: medium", 'internal/commands/const.go'),
      line2('./deploy --admin-password hunter then', { severity: 'high' }, 'a word after the flag with no sentence before it is a value', 'scripts/deploy.sh'),
      line2('    test: curl --user connectAdmin:connectAdmin --fail https://connect:8083/', { severity: 'medium', message: /user name and password that are the same/ }, 'a curl login whose password repeats the user: a default login, medium', 'oauth/docker-compose.yml'),
      line2('curl -u deployer:Deployer7-kQ2 https://repo.example.com/upload', { severity: 'high' }, 'a curl login with its own password stays high', 'scripts/upload.sh'),
      {
        name: "a workflow's command line with a random password stays high",
        path: '.github/workflows/e2e.yml',
        code: workflowRun('docker exec db mysql -uapp -pKq8vLm3nP0vR7tYx -e "select 1"'),
        errors: [{ line: 8, severity: 'high' }]
      },
      {
        name: "a workflow's token flag keeps its severity, whatever the value's shape",
        path: '.github/workflows/e2e.yml',
        code: workflowRun('./deploy --api-key QhXwTzKvLpMnBgRdYcFf'),
        errors: [{ line: 8, severity: 'high' }]
      },
      {
        name: "a workflow's command line with a password of words: for a service the run starts, medium",
        path: '.github/workflows/e2e.yml',
        code: workflowRun('docker exec db mysql -ulldapuser -plldappass -f lldap < dump.sql'),
        errors: [{ line: 8, severity: 'medium', message: /words, not a generated secret: in a workflow/ }]
      },
      line2('curl -u Zq8vLm2Xp9Rt4Kw7Hb3N:Zq8vLm2Xp9Rt4Kw7Hb3N https://api.example.com/x', { severity: 'high' }, 'a random string doubled is no default login', 'scripts/upload.sh'),
      line2('curl -u tok=abcd:abcd https://a.example.com/x', { severity: 'high' }, 'the user is all of `tok=abcd`, which the password does not repeat', 'scripts/upload.sh'),
      line2('oauth2-proxy --client-secret=abc-def-ghi', { severity: 'high' }, 'a client secret is its value, whatever its shape', 'scripts/proxy.sh'),
      line2('controller --server-tls-secret=Xk9mP2vLq8Rw7TzQ', { severity: 'high' }, 'a random value under a TLS Secret flag is no object name', 'scripts/run.sh'),
      ...['--tls-secret-token=ghx7k2-prod-a93kd0-zz81q', '--registry-secret=d4c2a9e1-7b3f-4e8a-9c1d-5f6e7a8b9c0d', '--license-secret=correct-horse-battery-staple', '--docker-secret=ab12cd-ef34gh'].map((flag) =>
        line2(`controller ${flag}`, { severity: 'high' as const }, `a token flag, a generated value or a passphrase is no Secret object's name (${flag})`, 'scripts/run.sh')
      ),
      line2('aws cognito-idp admin-create-user --user-pool-id "$POOL" --username tester --temporary-password "Start-Here-42!"', { severity: 'low', message: /temporary password, which the user must change at first sign-in \(low\)/ }, 'a temporary password (changed at first sign-in): low', 'scripts/users.sh'),
      ...[
        ['kubectl exec -it db-0 -- mysql -uroot -p', ' app', 'kubectl exec … -- mysql'],
        ['docker exec -i -e LANG=C.UTF-8 db mysqldump -u root -p', ' app > app.sql', 'docker exec [opts] CONTAINER mysqldump'],
        ['docker compose exec -T db sh -c "mysql -uroot -p', ' app"', 'a compose exec running sh -c "mysql …"'],
        ['gunzip < app.sql.gz | sudo -u mysql mysql -uroot -p', ' app', 'a pipeline into sudo mysql'],
        ['test: ["CMD", "mysqladmin", "ping", "-h", "localhost", "-p', '"]', 'an exec-form health check'],
        ['root@c97c472db02e:/# mysql -u root -p', ' mysql', 'a shell transcript after its prompt'],
        ['mysql -uroot -e "CREATE DATABASE app; GRANT ALL ON app.* TO \'app\'@\'%\';" -p', ' app', 'a quoted statement with `;` before -p is one argument'],
        ["mysql -e 'SELECT (1)' -uroot -p", '', 'a quoted `(` before -p is no subshell'],
        ['sh -c "echo start" && mysql -uroot -p', ' app', 'a command after a closed sh -c script'],
        ['\t@mysqldump -uroot -p', ' app > app.sql', "a Makefile recipe's silent `@`"],
        ['ssh db1 mysql -uroot -p', ' app', 'run on another host through ssh'],
        ['ls *.sql | xargs -n1 mysql -uroot -p', ' app', 'run by xargs'],
        ['nice -n 10 mysql -uroot -p', ' app', 'run by nice'],
        ['kubectl run c --rm -it --image=mysql:8 -- mysql -h db -p', '', 'a one-off kubectl run'],
        ['- run: "cd /app && mysql -uroot -p', '"', 'inside a quoted YAML command string'],
        ['mysql.exe -uroot -p', ' app', "Windows' mysql.exe"],
        ["find /backups -name '*.sql' -exec mysql -uroot -p", " app -e 'source {}' \\;", "run by find's -exec"],
        ['\t-mysql -uroot -p', ' app', "a Makefile recipe's `-` (errors ignored)"]
      ].map(([head, tail, name]) => line2(`${head}${STRONG}${tail}`, { severity: 'high' }, `a MySQL client before -p: ${name}`, 'scripts/db.sh')),
      line2('./restore --db-password S3cr3t-x9 --target /var/lib/app', { severity: 'high' }, 'a value after one blank is passed, whatever follows', 'scripts/restore.sh'),
      line2('docker login --username ci --password  Snowfalcon  registry.example.com', { severity: 'high' }, 'a word value after a wide gap, the flag not first on its line: passed', 'scripts/login.sh'),
      {
        name: 'the same flag opening a line continued from the command above: passed',
        path: 'scripts/login.sh',
        code: 'docker login --username ci \\\n  --password  Snowfalcon  registry.example.com\n',
        errors: [{ line: 2, severity: 'high' }]
      },
      line2('./restore --db-password   Wq8zTr4vLm \\', { severity: 'high' }, 'an aligned argument of a continued command line is passed', 'scripts/restore.sh'),
      line2('aws cognito-idp admin-set-user-password --user-pool-id "$POOL" --username tester --password "Start-Here-42!" --permanent', { severity: 'high' }, 'the permanent password set beside it stays high', 'scripts/users.sh')]
  },
  'secrets/database-connection-string': {
    valid: [
      quiet('db: postgres://db.internal:5432/app', 'no credentials'),
      quiet('uri: postgres://<username>:<password>@<endpoint>:5432/<database>', 'the shape of a URI with its parts in angle brackets'),
      quiet('uri: mysql://app:password@db.internal:3306/app', 'a URL whose password is the word password'),
      quiet('db: host:5432', 'host:port is not a connection string'),
      quiet('db: postgres://app:${DB_PASSWORD}@db.internal:5432/app', 'password from a variable'),
      quiet('db: postgres://app:%s@db.internal:5432/app', 'a format string filled in later')
    ],
    invalid: [
      line2('DATABASE_URL: "postgres://orders:Vq7tXr2mLp9sKw4z@127.0.0.1:5432/orders"', { severity: 'high' }, 'a generated password for the loopback address (a Cloud SQL proxy or a sidecar forwards it to the real database) stays high', 'deploy/configmap.yaml'),
      line2('  databaseUrl: postgres://orders:Hn3kP8wQz2Lr5Tv@localhost:5432/orders', { severity: 'high' }, 'a fifteen-character generated password for localhost stays high', 'deploy/values.yaml'),
      line2('url: mongodb://admin:minio123@localhost:27017,mongo-1.prod.internal:27017/app', { severity: 'high' }, 'a loopback host followed by other hosts stays high', 'config/app.yaml'),
      line2("        client = MongoClient('mongodb://off:off-wger@127.0.0.1', port=27017)", { severity: 'medium', message: /loopback address/ }, 'a typed password for the loopback address: medium', 'app/commands/import.py'),
      line2(`db: mongodb://app:${fake(16, 52)}@db.internal:27017/app`, { severity: 'high' }),
      line2(`db: postgres://svc:${fake(6, 53)}%d0${fake(10, 54)}@db.internal:5432/app`, { severity: 'high' }, 'a percent-encoded byte (`%d0`) is no format string'),
      line2('db: postgres://shop:shop@db.internal:5432/shop', { severity: 'medium', message: /repeats its user name/ }, 'a password that repeats the user name: medium'),
      line2('db: mongodb://app:mongodb@db.internal:27017/app', { severity: 'medium', message: /repeats its scheme/ }, 'a password that repeats the scheme: medium'),
      {
        name: "a chart's default URL password in its values.yaml: medium",
        files: { 'deploy/shop/Chart.yaml': CHART_YAML, 'deploy/shop/values.yaml': 'database:\n  url: postgres://shop:shop_password@shop-db/shop\n' },
        errors: [{ path: 'deploy/shop/values.yaml', line: 2, severity: 'medium', message: /a chart's default/ }]
      }
    ]
  },
  'secrets/databricks': { valid: [quiet('token: dapi-placeholder')], invalid: [line2(`token: ${DATABRICKS}`)] },
  'secrets/docker': { valid: [quiet('pat: dckr_pat_')], invalid: [line2(`pat: ${DOCKER_PAT}`)] },
  'secrets/docker-config-auth': {
    valid: [{ path: 'config/docker/config.json', code: '{\n  "auths": {\n    "registry.example.com": {}\n  },\n  "credsStore": "desktop"\n}\n' }],
    invalid: [{ path: 'config/docker/config.json', code: `{\n  "auths": {\n    "registry.example.com": {\n      "auth": "${b64(`ci:${STRONG}`)}"\n    }\n  }\n}\n`, errors: [{ line: 4, severity: 'high' }] }]
  },
  'secrets/figma': { valid: [quiet('token: figd_')], invalid: [line2(`token: ${FIGMA}`)] },
  'secrets/gcp': {
    valid: [{ path: 'config/sa.json', code: '{\n  "type": "service_account",\n  "project_id": "demo-project"\n}\n' }],
    invalid: [{ path: 'config/sa.json', code: GCP_SA, errors: [{ line: 1 }] }]
  },
  'secrets/github': {
    valid: [quiet('token: ghp_short'), quiet(`token: ${j('ghp', '_', 'x'.repeat(36))}`, 'a body of x')],
    invalid: [
      line2(`token: ${GITHUB_CLASSIC}`, { severity: 'critical' }),
      line2(`token: ${GITHUB_PADDED}`, { severity: 'critical' }, 'a checksum left-padded with a zero matches'),
      line2(`token: ${GITHUB_CLASSIC}`, { severity: 'critical' }, 'a matching checksum in a test keeps its severity', 'pkg/github/client_test.go'),
      {
        name: 'a checksum that does not match: a made-up token, low',
        path: 'pkg/github/client_test.go',
        code: `package github\n\nvar reply = []byte(\`{"token": "${GITHUB_MADE_UP}", "expires_at": "2030-01-01T00:00:00Z"}\`)\n`,
        errors: [{ line: 3, severity: 'low', message: /checksum does not match/ }]
      },
      line2(`    export GH_TOKEN=${j('ghp', '_', fake(36, 6))}`, { severity: 'low', message: /made-up token/ }, 'a made-up token anywhere, also in a script', 'scripts/release.sh')
    ]
  },
  'secrets/github-token': {
    valid: [quiet('token: github_pat_'), quiet('GITHUB_API_KEY=github_pat_your_personal_access_token_here', 'the prefix, then words where the random part goes', '.env.example')],
    invalid: [line2(`token: ${GITHUB_LONG}`)]
  },
  'secrets/gitlab': {
    valid: [
      quiet("        'glpat-aBcDeFgHiJkLmNoPqRsTu' => 'glpat- personal access token',", 'a body of letters counting up, in a test', 'tests/Unit/SanitizeLogsTest.php'),
      quiet('token: glpat-'),
      quiet(`access_token = "${j('glpat', '-', 'X'.repeat(24))}"`, 'a token prefix and a body of X', 'config/gitlab.tfvars'),
      quiet(`token: ${j('glpat', '-', '0'.repeat(20))}`, 'a body of zeros'),
      quiet(`      "token": "${j('glpat', '-', 'token_for_different_git_platform')}",`, "lower-case words where the random part goes, in a guide", 'docs/usage/getting-started/private-packages.md')
    ],
    invalid: [line2(`token: ${GITLAB}`)]
  },
  'secrets/gitlab-token': { valid: [quiet('token: glpat-short')], invalid: [line2(`token: ${j('glpat', '-', fake(150, 53))}`)] },
  'secrets/google-api-key': { valid: [quiet('key: AIza-short')], invalid: [line2(`key: ${GOOGLE_API}`)] },
  'secrets/google-oauth-secret': { valid: [quiet('secret: GOCSPX-'), quiet("        return 'GOCSPX-2k8gsR0000000000000000VNahJj';", 'an example whose body is filled with one character', 'src/Model/OAuth2Google.php')], invalid: [line2(`secret: ${GOOGLE_OAUTH}`)] },
  'secrets/google-oauth-access-token': {
    valid: [quiet('token: ya29.short'), { name: 'kubeconfig JSONPath to the token', path: 'config/kubeconfig.yaml', code: "users:\n- name: gke\n  user:\n    auth-provider:\n      config:\n        token-key: '{.credential.access_token}'\n" }],
    invalid: [line2(`access-token: ${GOOGLE_ACCESS}`, { severity: 'high' }, undefined, 'config/kubeconfig.yaml')]
  },
  'secrets/mailchimp-key': { valid: [quiet(`etag: ${fake(32, 70, HEX)}-use1`, 'hex digest followed by a word')], invalid: [line2(`ARG mc=${MAILCHIMP}`, { severity: 'critical' })] },
  'secrets/facebook-access-token': {
    valid: [quiet('token: EAACEdEose0cBA', 'prefix alone'), quiet(`id: EAAM${fake(40, 88)}`, 'short EAA string is not a token')],
    invalid: [line2(`FACEBOOK_TOKEN=${j('EAACEdEose0cBA', fake(30, 89))}`, { severity: 'high' }, undefined, 'config/app.env')]
  },
  'secrets/amazon-mws-token': { valid: [quiet('token: amzn.mws.')], invalid: [line2(`ARG mws=${MWS}`, { severity: 'critical' })] },
  'secrets/grafana': { valid: [quiet('token: glsa_')], invalid: [line2(`token: ${GRAFANA}`)] },
  'secrets/groq': { valid: [quiet('key: gsk_')], invalid: [line2(`key: ${GROQ}`)] },
  'secrets/hashicorp-vault': { valid: [quiet('token: hvs.short')], invalid: [line2(`token: ${VAULT}`)] },
  'secrets/huggingface': { valid: [quiet('token: hf_')], invalid: [line2(`token: ${HUGGINGFACE}`)] },
  'secrets/jwt': {
    valid: [quiet('token: eyJhbGciOi'), quiet(`auth: Bearer ${JWT.slice(0, JWT.lastIndexOf('.'))}.invalidsig`, 'signature too short to sign anything')],
    invalid: [line2(`token: ${JWT}`, { severity: 'high' })]
  },
  'secrets/linear': { valid: [quiet('key: lin_api_')], invalid: [line2(`key: ${LINEAR}`)] },
  'secrets/notion': { valid: [quiet('token: ntn_')], invalid: [line2(`token: ${NOTION}`)] },
  'secrets/npm': { valid: [quiet('//registry.npmjs.org/:_authToken=${NPM_TOKEN}', 'token from the environment', '.npmrc')], invalid: [line2(`//registry.npmjs.org/:_authToken=${fake(36, 54)}`, {}, undefined, '.npmrc')] },
  'secrets/npm-token': { valid: [quiet('token: npm_')], invalid: [line2(`token: ${NPM_TOKEN} # secretlint-disable-line`, {}, 'a secretlint-disable comment does not hide the shape')] },
  'secrets/openai': { valid: [quiet('key: sk-proj-')], invalid: [line2(`key: ${OPENAI_FULL}`)] },
  'secrets/openai-key': { valid: [quiet('key: sk-proj-short')], invalid: [line2(`key: ${OPENAI_SHORT}`)] },
  'secrets/private-key-block': {
    valid: [
      quiet('-----BEGIN PUBLIC KEY-----', 'public key'),
      quiet('//   "private-key": "-----BEGIN PRIVATE KEY-----\\n<private-key>\\n-----END PRIVATE KEY-----\\n",', 'the format documented, no key material', 'api/types.go'),
      { name: 'a key filled in from template values', path: 'config/signing.yaml', code: 'stringData:\n  signing.pem: |\n    -----BEGIN PRIVATE KEY-----\n    {{ .Values.signing.tokenSigningPrivateKey }}\n    -----END PRIVATE KEY-----\n' },
      {
        name: 'a documented key shortened with an ellipsis line',
        path: 'charts/web/README.md',
        code: `An example key for the TLS values:\n\n\`\`\`text\n${PEM_LINES[0]}\n${PEM_LINES[1]}\n...\n${PEM_LINES[PEM_LINES.length - 2]}\n${PEM_LINES[PEM_LINES.length - 1]}\n\`\`\`\n`
      },
      {
        name: 'a commented-out sample whose body is one word repeated',
        path: 'config/app.example.yml',
        code: `# signing:\n#   key: |\n#     -----BEGIN RSA PRIVATE KEY-----\n${'#     signingkeysigningkeysigningkey\n'.repeat(5)}#     -----END RSA PRIVATE KEY-----\n`
      },
      { name: 'a PKCS#8 key encrypted with a passphrase', path: 'certs/testdata/enc.key', code: `${PEM_ENCRYPTED_PKCS8}\n` },
      { name: 'a PKCS#1 key with a Proc-Type ENCRYPTED header', path: 'config/tls/enc.key', code: `${PEM_ENCRYPTED_PKCS1}\n` },
      { name: "a signing tool's encrypted key (its own label after ENCRYPTED)", path: '.github/workflows/cosign-test.key', code: `${COSIGN_ENCRYPTED}\n` },
      {
        name: 'a body of x characters standing for the key',
        path: 'config/tls.txt',
        code: `-----BEGIN PRIVATE KEY-----\n${'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n'.repeat(3)}-----END PRIVATE KEY-----\n`
      }
    ],
    invalid: [
      {
        name: 'a whole key written into a commented-out YAML sample is still a key',
        path: 'config/app.yml',
        code: `# key: |\n${PEM_LINES.map((l) => '#   ' + l).join('\n')}\n`,
        errors: [{ line: 2, severity: 'critical' }]
      },
      { name: 'key cut off (no END line)', path: 'config/key.yaml', code: `key: |\n${PEM.split('\n').slice(0, 4).map((l) => '  ' + l).join('\n')}\n`, errors: [{ line: 2, severity: 'critical' }] }
    ]
  },
  'secrets/privatekey': {
    valid: [
      quiet('-----BEGIN CERTIFICATE-----', 'certificate'),
      {
        name: 'a made-up body of one word repeated (secretlint matches it; it is no key)',
        path: 'config/app.yml',
        code: `key: |\n  -----BEGIN RSA PRIVATE KEY-----\n${'  signingkeysigningkeysigningkeysigningkey\n'.repeat(5)}  -----END RSA PRIVATE KEY-----\n`
      },
      {
        name: 'a real key header followed by x characters (secretlint reports it; Preflight does not)',
        path: 'config/app.yml',
        code: `key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEowIBAAKCAQEA${'x'.repeat(48)}\n${('  ' + 'x'.repeat(64) + '\n').repeat(3)}  -----END RSA PRIVATE KEY-----\n`
      },
      { name: 'an OpenSSH key whose cipher is not none (a passphrase protects it)', path: 'deploy/id_ed25519', code: `${openSshKey('aes256-ctr', 74)}\n` },
      {
        name: "a certificate's body between a private key's labels (a form's placeholder): no key",
        path: 'apps/web/components/certificates/handle-certificate.tsx',
        code: `const privateKeyDataHolder =\n\t"-----BEGIN PRIVATE KEY-----\\n${j('MIIFRDCCAyygAwIBAgIU', fake(1280, 76)).match(/.{1,64}/g)!.join('\\n')}\\n-----END PRIVATE KEY-----";\n`
      },
    ],
    invalid: [
      { path: 'config/key.pem', code: `${PEM}\n`, errors: [{ line: 1, severity: 'critical' }] },
      { name: 'an OpenSSH key with cipher none is in plain text', path: 'deploy/id_ed25519', code: `${openSshKey('none', 75)}\n`, errors: [{ line: 1, severity: 'critical' }] },

      ...['agent/status/test-cert/server.key', 'pkg/testcerts/server.key', 'security/test_certs/ca.key', 'signer/test-keys/a.key', 'internal/testkeys/b.key', 'proxy/test-tls/tls.key', 'ca/test-pki/root.key'].map((path) => ({
        name: `a key in a folder of test keys (${path.split('/').slice(-2, -1)[0]}): a test tree, medium`,
        path,
        code: `${PEM}\n`,
        errors: [{ line: 1, severity: 'medium' as const, message: /In a test tree, where keys and tokens are made for the purpose/ }]
      })),
      { name: 'a folder that only starts like one of test keys (testkeys-service) is not a test tree: critical', path: 'services/testkeys-service/tls.key', code: `${PEM}\n`, errors: [{ line: 1, severity: 'critical' }] },
      ...['credentials/test-cert-no-token.pem', 'tlsconfig/testkey.pem', 'certs/test_ca.key', 'certs/testcert-client.pem'].map((path) => ({
        name: `a key file named for tests (${path.split('/').pop()}): medium`,
        path,
        code: `${PEM}\n`,
        errors: [{ line: 1, severity: 'medium' as const, message: /In a test tree/ }]
      })),
      ...['certs/contest.pem', 'certs/latest.key', 'deploy/tls/test_api.example.com.key', 'certs/test-ingress.key'].map((path) => ({ name: `a name merely holding "test" (${path.split('/').pop()}): critical`, path, code: `${PEM}\n`, errors: [{ line: 1, severity: 'critical' as const }] })),
      {
        name: "an integration suite's resources: a test tree, medium",
        path: 'integration/resources/tls/local.key',
        code: `${PEM}\n`,
        errors: [{ line: 1, severity: 'medium', message: /In a test tree, where keys and tokens are made for the purpose/ }]
      },
      ...['demo-setups/relay/tls.key', 'demos/mtls/client.key'].map((path) => ({
        name: `a key in a demo folder (${path.split('/')[0]}): a sample path, medium`,
        path,
        code: `${PEM}\n`,
        errors: [{ line: 1, severity: 'medium' as const, message: /In a sample or documentation path, where keys and tokens are made for the purpose/ }]
      })),
      ...['data/assets/ssl-example/key.pem', 'deploy/example-certs/tls.key', 'nginx/tls_sample/server.key', 'ops/Samples-TLS/ca.key'].map((path) => ({
        name: `a key in a folder named for samples (${path.split('/').slice(-2, -1)[0]}): a sample path, medium`,
        path,
        code: `${PEM}\n`,
        errors: [{ line: 1, severity: 'medium' as const, message: /In a sample or documentation path, where keys and tokens are made for the purpose/ }]
      })),
      ...['certs/counterexamples/tls.key', 'services/resampler/tls.key', 'ssl/example.com/tls.key', 'services/sample-tracker/tls.key', 'deploy/example-corp/tls.key'].map((path) => ({
        name: `a folder holding the word inside a part, or beside a service's or customer's name (${path.split('/').slice(-2, -1)[0]}), is no sample folder: critical`,
        path,
        code: `${PEM}\n`,
        errors: [{ line: 1, severity: 'critical' as const }]
      })),
      { name: 'an `integrations/` folder (plural: connectors to other systems) is not a test tree: critical', path: 'integrations/resources/tls.key', code: `${PEM}\n`, errors: [{ line: 1, severity: 'critical' }] },
      { name: 'a `demo` stage of an overlay or environment is a deployment, not a sample: critical', path: 'overlays/demo/tls.key', code: `${PEM}\n`, errors: [{ line: 1, severity: 'critical' }] },
      ...[
        ['util/sdk/src/rsa_keys.rs', `const TEST_FAKE_RSA_KEY_0: &str = "${PEM}";\n`, 'TEST_FAKE_RSA_KEY_0'],
        ['seed/keys.py', `DUMMY_SIGNING_KEY = """${PEM}"""\n`, 'DUMMY_SIGNING_KEY'],
        ['src/Seeder/Keys.java', `  private static final String exampleKey = "${PEM.replace(/\n/g, '\\n')}";\n`, 'exampleKey'],
        ['config/seed.yaml', `mock_private_key: |\n${PEM_LINES.map((l) => '  ' + l).join('\n')}\n`, 'mock_private_key'],
        ['seed/keys2.py', `FAKE_SIGNING_KEY = """\n${PEM}\n"""\n`, 'FAKE_SIGNING_KEY'],
        ['seed/keys.go', `var fakeKey = \`\n${PEM}\n\`\n`, 'fakeKey']
      ].map(([path, code, name]) => ({
        name: `a key declared under a name that says it is made up (${name}): medium, naming it`,
        path,
        code,
        errors: [{ line: 1 + Number(path.endsWith('.yaml') || path.endsWith('2.py') || path.endsWith('.go')), severity: 'medium' as const, message: new RegExp(`Declared as \\x60${name}\\x60, a name that says it is made up`) }]
      })),
      ...[
        ['src/keys.rs', `const SIGNING_KEY: &str = "${PEM}";\n`, 'a name without a made-up word'],
        ['src/keys.rs', `const TEST_SIGNING_KEY: &str = "${PEM}";\n`, '`test` alone (a test environment has real keys)'],
        ['config/sa.json', `{"project_id": "fake-project", "private_key": "${PEM.replace(/\n/g, '\\n')}"}\n`, 'a made-up word in another value of the line'],
        ['src/keys.rs', `let key = load(FAKE_PATH, "${PEM}");\n`, 'a made-up word in a call before the value'],
        ['src/keys.go', `var realKey, sampleKey = "${PEM.replace(/\n/g, '\\n')}", "x"\n`, 'a made-up name later in a list of names'],
        ['src/keys.rs', `let fake: bool = false; let key = "${PEM}";\n`, 'a made-up name of an earlier statement on the line']
      ].map(([path, code, what]) => ({ name: `${what}: critical`, path, code, errors: [{ line: 1, severity: 'critical' as const }] }))
    ]
  },
  'secrets/putty-private-key': {
    valid: [quiet('format: PuTTY')],
    invalid: [{ path: 'config/id.ppk', code: `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ci\nPublic-Lines: 2\n${fake(64, 55)}\n${fake(20, 56)}\nPrivate-Lines: 1\n${fake(44, 57)}\n`, errors: [{ line: 1 }] }]
  },
  'secrets/sendgrid': { valid: [quiet('key: SG.short.value')], invalid: [line2(`key: ${SENDGRID}`)] },
  'secrets/shopify': { valid: [quiet('token: shpat_')], invalid: [line2(`token: ${SHOPIFY}`)] },
  'secrets/slack': { valid: [quiet('const SLACK_URL = "https://hooks.slack.com/services/T1/B1/XXX";', 'a webhook with ids and a secret part no Slack webhook has', 'packages/channels/src/webhook.ts'), quiet('token: xoxb-'), quiet('    private const string _slackToken = "xoxb-test-token";', "a test's stand-in: no numeric id in it", 'src/Api/SlackController.cs'), quiet('token: xoxb-test-token-1', 'digits only at the end, not between dashes'), quiet('| Slack | `{ "Token": "xoxb-token-from-slack" }` |', "a README's stand-in", 'docs/integrations.txt'), quiet(`| \`token\` | True | \`string\` | \`${j('xoxb', '-1234567890-1234567890123-', fake(24, 99, 'abcdefghijklmnopqrstuvwxyz0123456789'))}\` |`, 'a documentation table: its digits count up', 'notes/slack.txt')], invalid: [line2(`token: ${SLACK}`), line2(`url: ${SLACK_HOOK}`, {}, 'incoming webhook URL')] },
  'secrets/slack-token': { valid: [quiet('token: xoxs-'), quiet('token: xoxs-your-workspace-token-here', 'a stand-in with no numeric id'), quiet(`token: ${j('xoxs', '-1234567890-', fake(24, 100))}`, 'digits that count up: an example', 'notes/slack.txt')], invalid: [line2(`token: ${SLACK_SHORT}`)] },
  'secrets/slack-webhook': {
    valid: [
      quiet('url: https://hooks.slack.com/services/'),
      quiet(`url: ${j('https://hooks.slack', '.com/services/asdasdasd/asdasdas/asdasd')}`, 'keyboard mash where the ids and the secret go: no webhook Slack issued', 'deploy/Makefile'),
      quiet(`url: ${j('https://hooks.slack', '.com/workflows/', fake(24, 20))}`, 'a workflows path without the workspace and app ids')
    ],
    invalid: [
      line2(`url: ${SLACK_WORKFLOW_HOOK}`, { severity: 'high' }, 'a legacy Workflow Builder webhook'),
      line2(`url: ${SLACK_TRIGGER_HOOK}`, { severity: 'high' }, "a workflow's webhook trigger")
    ]
  },
  'secrets/square-token': { valid: [quiet('token: sq0atp-')], invalid: [line2(`token: ${SQUARE}`)] },
  'secrets/stripe-key': { valid: [quiet('key: sk_live_')], invalid: [line2(`key: ${STRIPE}`)] },
  'secrets/teams-webhook': { valid: [quiet('url: https://acme.webhook.office.com/webhookb2/')], invalid: [line2(`url: ${TEAMS_HOOK}`)] },
  'secrets/url-password': {
    valid: [
      quiet(' * - `docker://image:tag@digest`', "an image reference: its name, tag and digest", 'lib/modules/manager/github-actions/parse.ts'),
      quiet('        $url = "postgres://{$encodedUser}:{$encodedPass}@{$this->uuid}:5432/{$this->postgres_db}";', "PHP's interpolation of variables", 'app/Models/StandalonePostgresql.php'),
      quiet('  PLANETSCALE_DATABASE_URL: "http://root:unused@localhost:3900/planetscale"', 'a password saying it is not used', '.github/scripts/e2e.sh'),
      quiet('url: redis://:${REDIS_PASSWORD}@cache:6379', 'password from a variable'),
      quiet('url: https://user:<password>@example.com', 'placeholder'),
      quiet('    uri = f"postgresql+psycopg2://{config.DB_USER}:{config.DB_PASS}@{host}/app"', "a format string's fields", 'src/app/cli.py'),
      quiet("'description' => 'set a DSN such as `sentry://PROJECT_ID:SENTRY_API_KEY@SENTRY_HOST/` to enable the logger',", "a format naming its parts as environment variables", 'app/config/variables.php'),
      quiet('k8s_uri: https://myacct:mypass@localhost:4430', 'a my-placeholder password'),
      quiet('    # a backslash (e.g. http://INTERNAL:8888\\\\@PUBLIC/), which is the documented SSRF bypass', 'an @ right after a backslash: the SSRF parser trick, a host and port', 'app/validate_url.py'),
      quiet('<p>{{ $t("Example:", ["twilio://AccountSid:AuthToken@FromPhoneNo"]) }}</p>', 'a URL format whose parts are field names', 'src/components/notifications/Apprise.vue'),
      quiet('help: "smtp://username:AppPassword@mail.example.com"', 'the password part names its field', 'src/components/Smtp.vue'),
      quiet('repo: git@github.com:acme/infra.git', 'SSH remote, no password'),
      quiet('url: https://deploy@example.com/x', 'user without password'),
      quiet('url: jdbc:mysql://db:3306/app?user=app&password=${DB_PASSWORD}', 'query password from a variable'),
      quiet('url: https://example.com/login?pwd=<password>', 'query password placeholder'),
      { name: 'password from a shell expansion with an empty default', files: { 'chart/Chart.yaml': CHART, 'chart/templates/_probe.tpl': '{{- define "chart.probe" -}}\nwait_for "redis://${CACHE_PASSWORD:-}@${CACHE_HOST}:6379"\n{{- end }}\n' } },
      quiet('note: reset it with ?password=NewOne in the admin form', 'not inside a URL')
    ],
    invalid: [
      line2('AIRFLOW_CONN_DOCKER_DEFAULT=docker://deploybot:Kq7vR2mXz9LpT4wN@registry.acme-corp.io', {}, 'a docker URL carrying a login', 'airflow.env'),
      line2(' * - `ssh://image:Kq8vLm3nP0vR7tYx@registry.acme.io/v2`', {}, 'another scheme keeps its password', 'lib/parse.ts'),
      line2('export MC_HOST_verify_ipv6="http://minio:minio123@[::1]:9000/"', { severity: 'medium', message: /loopback address/ }, 'the IPv6 loopback address: medium', 'buildscripts/verify-build.sh'),
      line2('url: https://deploy:minio123@localhost-db.internal/x', { severity: 'high' }, 'a host whose name only starts with localhost stays high'),
      line2(`url: redis://:${fake(16, 58)}@cache:6379/0`, { severity: 'high' }),
      line2('my $url = "https://deploy:Hk3nB9wQz4Lp\\@registry.example.com/v2/";', { severity: 'high' }, "Perl's escaped @ after a password", 'scripts/fetch.pl'),
      line2('cache: tcp://:cache@cache:6379', { severity: 'medium', message: /a password that repeats its host name, a stand-in or default/ }, 'a password that repeats the host name: a stand-in, medium'),
      line2('cache: redis://:redis@cache.internal:6379', { severity: 'medium', message: /repeats its scheme/ }, 'a password that repeats the scheme'),
      line2('queue: amqp://worker:worker@mq.internal:5672/', { severity: 'medium', message: /repeats its user name/ }, 'a password that repeats the user name'),
      line2(`REDIS_URL=redis://default:${fake(20, 94)}@cache-1.prod.sentry.io:6379/0`, { severity: 'high' }, "another service on Sentry's hosts is no DSN", '.env.production'),
      line2(`DSN=https://x:sntryu_${fake(64, 95, '0123456789abcdef')}@sentry.io/1`, { severity: 'high' }, 'a user token in the password slot is no DSN secret', '.env.production'),
      line2('# dsn: tcp://clickhouse_operator:clickhouse_operator_password@my-release-clickhouse:9000/traces', { severity: 'medium', message: /repeats its user name with a word for password after it/ }, "the user name and `_password`: an operator's default, medium"),
      line2('queue: amqp://worker:worker_Kx9q2@mq.internal:5672/', { severity: 'high' }, 'the user name with something else after it stays high'),
      ...['redis://ADMIN:PROD_PASS_2024@cache.prod.internal:6379/0', 'oracle://SYSTEM:WELCOME_ONE@ora.prod:1521/ORCL', 'amqp://RABBIT:X9F2_KQ7P_M3ZD@mq.prod:5672/'].map((url) =>
        line2(`url: ${url}`, { severity: 'high' as const }, `an upper-case typed password is a password (${url.split('@')[0]})`)
      ),
      line2('cache: tcp://:Rd7s-x92kq@cache:6379', { severity: 'high' }, 'a chosen password beside a host name stays high'),
      line2('notify: twilio://AccountSid:Summer2024Token@FromPhoneNo', { severity: 'high' }, 'a typed password with digits beside a field-name user stays high'),
      line2('queue: amqp://deploy:MasterKey@mq.internal:5672/', { severity: 'high' }, 'a credential word beside a real user name is not a URL format: stays high'),
      line2('queue: amqp://app_user:TurquoiseElephantKey@mq.prod.internal:5672/', { severity: 'high' }, 'typed words ending in a credential word beside a snake_case user: a password, stays high'),
      line2('cache: redis://username:MonkeyBusinessPass@redis.prod.internal:6379', { severity: 'high' }, 'typed words ending in Pass beside a field-name user: stays high'),
      line2(`url: jdbc:mysql://db:3306/app?user=app&password=${fake(14, 90)}&ssl=true`, { severity: 'high', message: /query string/ }, 'password in a JDBC query string'),
      line2(`link="https://zoom-lfx.platform.example.org/meeting/912345678?password=${fake(14, 91)}"`, { severity: 'low', message: /meeting link/ }, "a meeting link's passcode: shared with every invitee, low"),
      line2(`join: https://acme.zoom.us/j/912345678?pwd=${fake(14, 92)}`, { severity: 'low' }, 'a Zoom invite link')
    ]
  },
  'secrets/vercel': { valid: [quiet('token: vcp_')], invalid: [line2(`token: ${VERCEL}`)] },
  'secrets/azure-storage-key': {
    valid: [
      quiet('conn: DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${STORAGE_KEY}', 'key from a variable'),
      quiet(`conn: DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${b64('storageaccountkey')}`, 'a stand-in far shorter than an account key (the base64 of a few words)')
    ],
    invalid: [
      line2(`conn: DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${b64(fake(48, 59))};EndpointSuffix=core.windows.net`),
      line2(
        'conn: DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;',
        { severity: 'low', message: /published key of the Azure Storage emulator/ },
        "the storage emulator's published key: low, saying why"
      )
    ]
  },
  'secrets/hardcoded-password': {
    valid: [
      quiet('          data: {\n            password_validator_target: "input",\n            password_visibility_target: "input",\n            action: "input->password-validator#validate"\n          } %>', "a Stimulus target's name in a Rails view's data attributes", 'app/views/registrations/new.html.erb'),
      { name: 'a table of countries by code, each name after its flag (PW is Palau)', path: 'app/helpers/languages_helper.rb', code: `COUNTRIES = {\n${['NL: "🇳🇱 Netherlands"', 'NZ: "🇳🇿 New Zealand"', 'NI: "🇳🇮 Nicaragua"', 'NE: "🇳🇪 Niger"', 'NG: "🇳🇬 Nigeria"', 'NO: "🇳🇴 Norway"', 'OM: "🇴🇲 Oman"', 'PK: "🇵🇰 Pakistan"', 'PW: "🇵🇼 Palau"', 'PA: "🇵🇦 Panama"', 'PG: "🇵🇬 Papua New Guinea"', 'PY: "🇵🇾 Paraguay"', 'PE: "🇵🇪 Peru"', 'PH: "🇵🇭 Philippines"', 'PL: "🇵🇱 Poland"', 'PT: "🇵🇹 Portugal"', 'QA: "🇶🇦 Qatar"', 'RO: "🇷🇴 Romania"', 'RU: "🇷🇺 Russia"', 'RW: "🇷🇼 Rwanda"'].map((l) => `    ${l},`).join('\n')}\n}\n` },
      quiet('    authentication:\n      username: cassandra\n      # This will be provided by puppet private\n      password: foobarbaz', 'metasyntactic words run together', 'modules/datastore/values.yaml'),
      quiet("        'PASSWORD': '%(password)s',", "Python's %-formatting of a settings template", 'scripts/setup-seafile-mysql.py'),
      quiet('  password: "secure password"', 'two words of prose, the second the key itself: a stand-in', 'assets/build/config/database.yml.postgresql'),
      quiet('            email: Optional[str] = None,\n            password: Optional[str] = None\n    ):', "a Python parameter (as a chart's template may hold): a type and its default", 'charts/airflow/sync_users.yaml'),
      quiet('db:\n    password: ENC[AES256_GCM,data:dkg8qVGUaex4,iv:4pjpKvN1M2SXpsEuwukGn0iVm+8w05AyOkHN6MnkWbA=,tag:AVSC3jS5eSN33HtrbJM53A==,type:str]', 'a value SOPS encrypted', 'lessons/secrets.enc.yaml'),
      quiet("        password: 'x-oauth-basic',", "what GitHub asks for as the password beside a token", 'app/lib/hooks/useGitHubConnection.ts'),
      quiet("  'Interaction.ForgotPassword.Submit': 'Submit forgot-password interaction',", "an event's label in the key's own words", 'packages/console/src/consts/logs.ts'),
      quiet('  password: "{env}WEBDAV_PASSWORD"', "a WebDAV server's reference to a variable", 'docker/webdav/config.yml'),
      quiet('  password_key = passdb/%u', "dovecot's dictionary path for the user's password", 'core/dovecot/conf/auth.conf'),
      quiet('PHOTOPRISM_ADMIN_PASSWORD=_admin_password_\nMARIADB_PASSWORD=insecure', 'a slot framed by underscores, and a value that says it is insecure', 'setup/docker/portainer/stack.env'),
      { name: 'a table of countries by lower-case code', path: 'internal/service/maps/countries.go', code: 'package maps\n\nvar CountryNames = map[string]string{\n\t"nf": "Norfolk Island",\n\t"mp": "Northern Mariana Islands",\n\t"no": "Norway",\n\t"om": "Oman",\n\t"pk": "Pakistan",\n\t"pw": "Palau",\n\t"ps": "Palestine",\n\t"pa": "Panama",\n\t"pg": "Papua New Guinea",\n\t"py": "Paraguay",\n\t"pe": "Peru",\n\t"ph": "Philippines",\n\t"pl": "Poland",\n\t"pt": "Portugal",\n\t"pr": "Puerto Rico",\n\t"qa": "Qatar",\n\t"ro": "Romania",\n\t"ru": "Russia",\n\t"rw": "Rwanda",\n\t"ws": "Samoa",\n\t"sm": "San Marino",\n}\n' },
      quiet('    "Password": ".login-password {}\\n.login-password-input{}",\n    "Confirm password": ".signup-confirm{}",', "a sign-in form's style rules, by the field they style", 'web/src/table/SigninTable.js'),
      quiet('    loginPassword: "Passwort eingeben",\n    newPassword: "nieuw wachtwoord",', "a user interface's translation, in code named for its language", 'frontend/elements/src/i18n/de.ts'),
      quiet("  save_password: 'Uložit heslo',\n  new_password: 'Nové heslo',\n  password: 'Heslo',\n  pw: 'Palavra-passe:',", "translations in code kept in a language's folder", 'packages/phrases-experience/src/locales/cs/action.ts'),
      quiet("    password: 'Hasło',", "translations nested under a language and region's folder", 'packages/phrases/src/locales/pl-pl/translation/admin-console/connectors.ts'),
      quiet("    csrf_token_mismatch: 'CSRF token 不匹配。',\n    forgot_password: '忘記密碼？',", 'translations with their own punctuation and a word in Latin letters', 'packages/phrases/src/locales/zh-tw/errors/session.ts'),
      { name: "an audit log's hashed values", path: 'monitoring/vault-audit.log', code: '{"time":"2020-04-30T14:27:10Z","request":{"data":{"password":"hmac-sha256:8e3700c2104473c403b1a41203d194075c793ac022de5a911e1b65a0588fcc0c"}}}\n' },
      quiet('            {\n                "username": username,\n                "password": "OIDC",\n            }', 'a marker for a user an identity provider signs in', 'app/core/security/providers/openid_provider.py'),
      quiet('  "emails.change_password": "Change Password",', "a button's label, in title case", 'src/i18n/labels.ts'),
      quiet('REGISTRY_AUTH_HTPASSWD_REALM="Registry Realm"', 'the realm a login prompt shows'),
      quiet('    translations: {\n      new_password: "New Password",\n      new_password_2: "Re-type Password",\n    },', "a form's labels, one to type the password again", 'gallery/src/pages/components/ha-form.ts'),
      quiet('      this._error = {\n        password_confirm: "password_no_match",\n      };\n    error: {\n      new_password_2: "not_match",\n    },', "a form's error codes for its password fields", 'src/panels/config/users/dialog-change-password.ts'),
      quiet('  "emails.forgot_password_email_change_password": "Change password",', "a button's label", 'apps/web/lib/translate.ts'),
      { name: 'a table of countries by their ISO 3166-1 code (Palau is PW)', path: 'apps/web/lib/countries.ts', code: 'export const COUNTRIES = {\n' + ['AD: "Andorra"', 'AE: "United Arab Emirates"', 'AF: "Afghanistan"', 'AG: "Antigua and Barbuda"', 'AL: "Albania"', 'AM: "Armenia"', 'AO: "Angola"', 'AR: "Argentina"', 'AT: "Austria"', 'AU: "Australia"', 'BE: "Belgium"', 'BR: "Brazil"', 'CA: "Canada"', 'CH: "Switzerland"', 'CL: "Chile"', 'CN: "China"', 'DE: "Germany"', 'DK: "Denmark"', 'ES: "Spain"', 'FR: "France"', 'PW: "Palau"'].map((e) => `  ${e},\n`).join('') + '}\n' },
      quiet('docs: |\n  - username: Langfuse Public Key\n  - password: Langfuse Secret Key', 'a label naming the credential, in documentation', 'fern/definition/api.yml'),
      quiet('    properties:\n      changePassword: ScimFeatureSupport\n      sort: ScimFeatureSupport', 'a key naming an action on the password, holding a type name', 'fern/definition/scim.yml'),
      quiet(`\treturn run("bash", "-c", fmt.Sprintf(\`curl -d '{"username": "'%s'", "password": "'%s'"}' https://hub.example.com/v2/users/login/\`, user, pass))`, 'a format string: the argument goes where `%s` is', 'cmd/scripts/docker.go'),
      quiet('const flags = {\n  pt: "🇵🇹",\n  pw: "🇵🇼",\n  py: "🇵🇾",\n};', "a flag emoji under its country's code", 'client/web/src/flags.tsx'),
      quiet('        var passwordKey = isSelfHosted ? "Database:SelfHostPassword" : "Database:Password";', "the branches of a conditional, not a key and its value", 'AppHost/BuilderExtensions.cs'),
      quiet('        pagerduty_config = PagerdutyConfiguration(\n            api_key=str(PAGERDUTY_API_KEY), from_email=PAGERDUTY_API_FROM_EMAIL\n        )', 'a call on a name, then the next keyword argument', 'src/migrations/x.py'),
      quiet('if [ "$POSTGRES_PASSWORD" ]; then\n  pass="PASSWORD \'$POSTGRES_PASSWORD\'"\nfi', 'a SQL fragment around another variable', 'docker/db/initdb.sh'),
      quiet('render(\n    template,\n    db_password=config[\'db_password\'])', 'a subscript closing the call', 'prepare/utils/db.py'),
      quiet('{\n  "PASSWORD": "Kennwort",\n  "CURRENT_PWD": "Aktuelles Kennwort"\n}', "a user interface's translations: field labels", 'src/portal/src/i18n/lang/de-de-lang.json'),
      quiet('routes:\n  - path: /tea\n    action:\n      pass: tea-upstream\n', "NGINX's action passing a route to an upstream", 'deploy/virtual-server.yaml'),
      quiet('func challenge() Route {\n\treturn Route{\n\t\tAction: &Action{\n\t\t\tPass: "challenge",\n\t\t},\n\t}\n}', "the same action in the controller's Go code", 'internal/k8s/routes.go'),
      quiet('conn = connect(\n    password=(self.configuration.get("password") or None),\n)', 'an expression in brackets', 'runners/druid.py'),
      quiet('outputs:\n  - name: replicas\n    type:\n      - list\n      - - object\n        - ca_certificate: string\n          password: string\n          root_password: string\n', 'type names in a module\'s metadata', 'modules/db/metadata.yaml'),
      quiet('password=PGPASSWORD', 'identifier as a value', 'config/db.env'),
      quiet('{\n  "listeners": {\n    "*:8080": { "pass": "routes/main" }\n  },\n  "routes": {\n    "main": [{ "action": { "pass": "applications/netbox" } }]\n  }\n}', 'a web server passing requests on to a route and an application', 'docker/unit.json'),
      quiet(
        'on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n        image: postgres:16\n        env:\n          POSTGRES_PASSWORD: ciphers\n    steps:\n      - run: make test\n',
        "a workflow job's service container: a database thrown away with the job",
        '.github/workflows/ci.yml'
      ),
      quiet('db_password=${DB_PASSWORD}', 'reference', 'config/db.env'),
      quiet('  password=None,', 'keyword argument None', 'scripts/app.py'),
      quiet('\treturn fmt.Errorf("invalid credentials: \'type\' field is %q", t)', 'a quoted word inside a message', 'pkg/auth/load.go'),
      quiet('nav:\n  - Reference:\n      - ExternalSecret: api/externalsecret.md', 'a page path in a site navigation', 'site/mkdocs.yml'),
      quiet('const pd = api({token: PAGERDUTY_TOKEN});', 'a call in a script', 'scripts/notify.js'),
      quiet('repo_secrets: |\n  OPENSHIFT_PASS=openshift-credentials:password', 'a secret store path (name:key)', 'build/pipeline.yaml'),
      quiet('secret_string = jsonencode({\n  username = "appuser",\n  password = "secretpassword"\n})', 'a value made of filler words', 'patterns/secrets/main.tf'),
      quiet('variable "rc_secret_key" {\n  description = "Key of the Secret holding the CLI configuration"\n  default     = "credentials"\n}', 'a value that only names a key', 'infra/variables.tf'),
      quiet('passwordKey: admin-password', 'key name that refers to a secret', 'config/values.yaml'),
      quiet('password: changeme', 'placeholder', 'config/values.yaml'),
      quiet('{\n  "entries": [{ "username": "qux", "password": "quux" }]\n}', 'a metasyntactic name (foo, bar, … quux)', 'hack/secrets.json'),
      quiet('{\n  "secretName": "invalid-htpasswd",\n  "htpasswdKey": "invalid-htpasswd"\n}', 'a value a test gives to be refused', 'hack/secrets.json'),
      quiet('login:\n  password: wrong-password\n', 'a wrong password for a negative test', 'config/values.yaml'),
      quiet('        <DocumentSigningLink\n          token={recipient?.token}\n        />', 'a JSX expression with an optional chain', 'apps/web/components/inbox-table.tsx'),
      quiet('/**\n * Supports both "Authorization: Bearer api_xxx" and "Authorization: api_xxx".\n */', 'a token written as its prefix and xxx', 'server/api/download.ts'),
      quiet("export const EVENTS = {\n  PASSWORD_UPDATE: 'Password updated',\n  TOKEN_EXPIRY: 'Token expired',\n};", 'a message about the credential, in words', 'packages/lib/constants/auth.ts'),
      quiet('{\n  "change-password": "Changer le mot de passe",\n  "password": "Mot de passe"\n}', 'a translation file named for its language and region', 'public/intl/messages/fr-FR.json'),
      quiet('{\n  "password": "Kennwort"\n}', 'a translation under messages/, named for its language', 'web/messages/de.json'),
      { name: "an npm script's name and command", path: 'package.json', code: '{\n  "name": "app",\n  "scripts": {\n    "change-password": "node scripts/change-password.js"\n  }\n}\n' },
      quiet('{\n' + Array.from({ length: 20 }, (_, i) => `  "PW-${100 + i}": "Koror",\n`).join('') + '  "PY-1": "Concepcion"\n}', 'a table of ISO 3166-2 subdivisions (Palau is PW)', 'public/iso-3166-2.json'),
      quiet('output:\n  es:\n    password: "1234567890"', 'a run of consecutive digits', 'config/values.yaml'),
      quiet('    broker = BrokerProps(\n        password= "".join(\n            [\n                "{{resolve:secretsmanager:",\n                secret_arn,\n            ]\n        ),', 'a join call assembling a dynamic reference', 'stacks/broker.py'),
      quiet('nsswitch.conf: |\n  passwd:   files systemd\n  group:    files', 'nsswitch sources for account lookups', 'k8s/node-config.yaml'),
      quiet('fetch: |\n  "run-fetch host=\\"$MAIL_HOST\\" \\\n  password=\\"$MAIL_PASSWORD\\" "', 'a variable between escaped quotes', 'chart/templates/mail.yaml'),
      quiet('main.py: |\n  def connect(db_password=None, db_user=None):\n      """\n      db_password: Required (no default)\n      """', 'keyword defaults and docstring prose in a script', 'chart/templates/app.yaml'),
      quiet('    update_password: on_create', 'Ansible option saying when to change a password', 'playbooks/db.yml'),
      quiet(`password: '*${fake(40, 78, '0123456789ABCDEF')}'`, 'MySQL native-password hash', 'config/users.yaml'),
      quiet(`password: '$2b$12$${fake(53, 79)}'`, 'bcrypt hash', 'config/users.yaml'),
      { name: 'lockfile', path: 'package-lock.json', code: `{\n  "password": "${STRONG}"\n}\n` },
      { name: 'generated code', path: 'api/service_pb2.py', code: `password = "${STRONG}"\n` },
      // A secret in an infrastructure file is reported once, by the rule of its kind.
      { name: 'reported once, by the workflow rule', path: '.github/workflows/ci.yml', code: `name: ci\non: push\npermissions:\n  contents: read\njobs:\n  b:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - run: make\n        env:\n          DB_PASSWORD: ${STRONG}\n` },
      { name: 'reported once, by the compose rule', path: 'docker-compose.yml', code: `services:\n  db:\n    image: postgres:16.2\n    environment:\n      POSTGRES_PASSWORD: ${STRONG}\n` },
      { name: 'reported once, by the Dockerfile rule', path: 'Dockerfile', code: `FROM alpine:3.20\nENV DB_PASSWORD=${STRONG}\n` },
      { name: 'reported once, by the Terraform rule', path: 'infra/main.tf', code: `resource "aws_db_instance" "db" {\n  password = "${STRONG}"\n}\n` },
      { name: 'generated gRPC Python stub', path: 'api/service_pb2_grpc.py', code: `password = "${STRONG}"\n` },
      { name: 'generated Go protobuf', path: 'api/service.pb.go', code: `\tPassword string = "${STRONG}"\n` },
      { name: 'password read from a file', path: 'scripts/db.py', code: 'with open(path) as pf:\n    password = pf.read()\n' },
      { name: 'placeholder in angle brackets', path: 'config/values.yaml', code: 'password: <your-password>\n' },
      { name: 'an htpasswd line: a user and the hash of the password', path: 'config/values.yaml', code: 'registry:\n  htpasswd: registry_user:$2y$10$Qk9xZ1RhQk9xZ1RhQk9xZ.1RhQk9xZ1RhQk9xZ1RhQk9xZ1RhQk9x\n' },
      { name: 'GitHub secret expression', path: 'config/values.yaml', code: 'password: ${{ secrets.DB_PASSWORD }}\n' },
      { name: 'Helm template expression', path: 'config/values.yaml', code: 'password: "{{ .Values.db.password }}"\n' },
      { name: 'CloudFormation SSM dynamic reference', path: 'config/values.yaml', code: "password: '{{resolve:ssm-secure:/app/db:1}}'\n" },
      { name: 'format placeholder', path: 'config/values.yaml', code: "password: '%s'\n" },
      { name: 'boolean', path: 'config/values.yaml', code: 'password: false\n' },
      { name: 'setting about passwords', path: 'config/values.yaml', code: 'password_min_length: 12\npassword_policy: strong\n' },
      {
        name: "the key's credential word run together with joining words, in a curl example of help text",
        path: 'src/components/notifications/Matrix.vue',
        code: `<code>curl -d '{"type": "m.login.password", "user": "botusername", "password": "passwordforuser"}' https://home.server/login</code>\n`
      },
      { name: 'a password for the bot, in words', path: 'config/values.yaml', code: 'bot:\n  adminPassword: passwordforthebot\n' },
      {
        name: "a YAML file inside a ConfigMap (application.yml: |): ' #' opens a comment there, so `password: #TODO` holds no value",
        path: 'k8s/app-config.yaml',
        code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  application.yml: |\n    spring:\n      datasource:\n        username: app\n        password: #TODO\n      redis:\n        password: #fromSecret\n'
      },
      {
        name: 'a block whose key names no file: read as YAML, the # a comment',
        path: 'k8s/app-config.yaml',
        code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  config: |\n    db:\n      password: #Xk9mP2vLq8Rw!\n'
      }
    ],
    invalid: [
      { name: 'a file named for a language deep in a locales folder, not a locale (its first key is no language): reported', path: 'charts/web/locales/a/b/en.yaml', code: 'database:\n  password: "Zr5tY8uIo1pAs3dF"\n', errors: [{ line: 2, severity: 'high' }] },
      { name: 'a key ending in _target in a data hash outside a Rails view: a password', path: 'src/api/replication.js', code: "axios.post(url, {\n  data: {\n    replica_password_target: 'sunshineRiver',\n  },\n})\n", errors: [{ line: 3, severity: 'high' }] },
      { name: 'a data hash closed on its own line does not cover the next lines', path: 'app/helpers/sync_helper.rb', code: "  button_to 'Sync', sync_path, data: { turbo: false }\n  MIRROR = {\n    mirror_password_target: \"bluebird\"\n  }\n", errors: [{ line: 3, severity: 'high' }] },
      line2('  password_target: "letmein"', { severity: 'high' }, 'a key ending in `_target` outside a data hash: a password', 'config/app.rb'),
      line2('db_password: MySnakeOilDb!2024', { severity: 'high' }, 'a chosen password with snake oil among its words is still a password', 'config/app.yaml'),
      line2('SMTP_PASSWORD=4729)', {}, 'digits before a stray bracket are typed, no stand-in', '.env'),
      line2('DB_PASSWORD_BILLING_SERVICE=Xk29!pLmQ7zR', {}, 'a password for a service', '.env'),
      line2('  password: "purple password"', {}, 'a word that is no stand-in\'s, then the key', 'config/values.yaml'),
      line2('MSSQL_PASSWORD="yourStrong(!)Password"', { severity: 'medium', message: /well-known/ }, "the SQL Server image's documented sample password: a well-known default", 'mssql/defaults.env'),
      line2('  password: "correct horse"', {}, 'two words, neither the key: a passphrase', 'config/app.yaml'),
      line2("password: Dict['admin', 'Sup3rS3cretPw']", {}, 'quoted words in brackets are no Python type', 'config/app.yaml'),
      line2('  password: "SuperSecret!",', {}, "one ASCII word and a mark in a language's folder: typed, not translated", 'app/locales/de/mailer.ts'),
      line2('  password: "Acm3Mail!2023",', {}, "a typed password in code under a language's folder", 'app/locales/pt-br/services/mailer.ts'),
      line2('JENKINS_ADMIN_PASSWORD="jenkins admin"', {}, 'the key\'s own words without a credential noun: a weak password', '.env'),
      line2("  'Interaction.ForgotPassword.Submit': 'Submit forgot-password horse',", {}, 'a word that is not the key\'s own makes a passphrase', 'src/config.ts'),
      line2('PHOTOPRISM_ADMIN_PASSWORD=_Kq8vLm3nP0_', {}, 'underscores around a mixed value: no slot', 'setup/.env'),
      line2('    password: "#Kq8vLm3{nP0}",', {}, 'a value with a brace that is no style rule', 'web/src/table/SigninTable.js'),
      line2('    password: ".Kq8{a:b}",', {}, 'a capital in the selector and a one-letter declaration: no style rule', 'web/src/table/SigninTable.js'),
      line2('DB_PASSWORD=`kq8vlm3np0vr7tyx`', {}, 'a password in backticks, which dotenv reads as quotes', 'deploy/.env'),
      line2('    dbPassword: "Xk9vQ2mLp7RtZ4wB",', {}, 'code in an i18n folder named like a code and a word, not a language and region', 'src/i18n/id_map.ts'),
      line2('    dbPassword: "Xk9vQ2mLp7RtZ4wB",', {}, 'code under a locales folder whose folder is no language', 'src/locales/loader/db.ts'),
      line2('    adminPassword: "Kq8-vLm3nP0vR7tY",', {}, 'code in a translations folder not named for a language', 'frontend/elements/src/i18n/helpers.ts'),
      line2('{"password":"hmac-sha256:8e37"}', {}, 'hmac- and too few hexadecimal digits is no hash', 'monitoring/audit.json'),
      line2('vsphere_csi_password: "Rk7pL2mQx9Wz4Tv8"', {}, "a CSI driver's own password", 'group_vars/all.yml'),
      line2('  passwd: Zq8vN3kLm2Rt7WxPq4', { severity: 'high' }, "a Terraform module's templatefile input, read as the YAML it renders to (no chart above it)", 'infra/templates/cloud-init.yaml.tpl'),
      line2('db_password: Zq8vN3kLm2Rt7WxPq4', { severity: 'high' }, 'a Jinja template of a YAML file, read as YAML', 'roles/app/templates/config.yml.j2'),
      line2('    error: {\n      new_password: "wrong_horse_battery",\n    },', { line: 3 }, 'snake-case words with no negated match: a passphrase', 'src/panels/config/users/dialog.ts'),
      line2('  "password": "not_match_2024",', {}, 'an error word beside a number is no error code', 'config/app.json'),
      line2('password: glass_half_empty', {}, 'a passphrase ending in a word errors use', 'config/app.yaml'),
      line2('DB_PASSWORD=perfect_match', {}, 'a match that is not negated: a passphrase'),
      line2('DB_PASSWORD=hi-mock-it', {}, "a password's key for a value with mock in it: a value someone chose"),
      line2('password: Ldap', {}, 'a provider word in another case is no marker', 'config/app.yaml'),
      line2('  PW: "Palau",', {}, 'a place name under a two-letter key, in a file with no table of countries', 'src/config.ts'),
      line2('CACHE_PASSWORD=my-redis.cache-pass.word', {}, "dotted words under a cache's password"),
      line2('password: abc_12345678', {}, "a short prefix and counting digits under a password's key", 'config/app.yaml'),
      line2('password: pass_', {}, "a word and an underscore under a password's key", 'config/app.yaml'),
      line2('PGPASSWORD=my-db.pass.word', {}, "dotted words under a password's key written as one word"),
      line2('DB_PASSWORD={$Zq8sLm3nP0vR7tYw}', {}, 'braces and a dollar around a random name are no PHP variable'),
      line2('database_password: os.environ/hunter2hunter2', {}, 'a lower-case name after os.environ/ is no variable', 'config/litellm.yaml'),
      line2('password: letmein!', {}, 'a word and an exclamation mark is a weak password, not prose', 'config/app.yaml'),
      line2('export DB_PASSWORD=letmein;', {}, "a shell's semicolon after a weak password", 'scripts/deploy.sh'),
      line2('password: test-Pa55word', {}, "a test marker under a password's key", 'config/app.yaml'),
      line2('password: admin_12345678', {}, 'a word then counting digits under a password key is a password someone chose', 'config/app.yaml'),
      line2('root_password: Root-123456789', {}, 'the same, capitalised', 'config/app.yaml'),
      line2('password: Master Key', {}, 'a capitalised phrase with one credential noun', 'config/app.yaml'),
      line2('password: Admin/Password', {}, 'a slash alone makes no label', 'config/app.yaml'),
      line2('change_password: HelloWorld', {}, 'two capitalised words under an action key: a password, no type name', 'config/app.yaml'),
      line2('password: Summer...2024', {}, 'dots inside a password', 'config/app.yaml'),
      line2('password: "sk-...ab12"', {}, 'an elided shape under a password key is still a password', 'config/app.yaml'),
      line2('password: "Passw0rd Key"', {}, 'a digit in a word: typed as a password, no label'),
      line2('password: "Zq8...x7Kp2mW9vR"', {}, 'dots inside a long value'),
      line2('change_password: "Xk9#mP2$vL"', {}, 'an action key holding a random value'),
      line2('password: invalidated-Xq7rT2', {}, 'a word starting like invalid, with a random tail: still reported', 'config/values.yaml'),
      line2('password: wrong-horse-battery', {}, 'a passphrase starting with such a word: still reported', 'config/values.yaml'),
      line2('password: xyzzy-h8Kq2LmZ9xPq4RtY7', {}, 'a metasyntactic name run into a generated tail: still reported', 'config/values.yaml'),
      line2('password: Waldo-1987', {}, 'a real word with a number: still reported', 'config/values.yaml'),
      line2('password: wrong-zebra-pass', {}, 'a passphrase of three words starting with wrong: still reported', 'config/values.yaml'),
      line2('password: WRONG-PASSWORD', {}, 'a refused-value phrase in capitals: still reported', 'config/values.yaml'),
      line2('password: abc1234x', {}, 'letters and digits beyond the weak run: still reported as it is', 'config/values.yaml'),
      line2('password: "Secret sauce"', {}, 'a passphrase starting with a credential word: still reported', 'config/values.yaml'),
      line2('SMTP_PASSWORD=Fluffy2019_xxx', {}, 'a chosen password ending in _xxx: still reported', 'deploy/.env'),
      line2('  password: Xq7rT2vLp9Kd', {}, 'an environment named with a region (app-US) is no translation', 'config/app-US.yaml'),
      line2('  password: Xq7rT2vLp9Kd', {}, 'messages/ named for an environment (prd) is no translation', 'config/messages/prd.yaml'),
      {
        name: 'an npm script that sets a password in its command: still reported',
        path: 'package.json',
        code: '{\n  "scripts": {\n    "db:pass": "PGPASSWORD=Xq7rT2vLp9Kd psql"\n  }\n}\n',
        errors: [{ line: 3 }]
      },
      {
        name: 'a random password under a subdivision-shaped key in a table of subdivisions: still reported',
        path: 'config/settings.json',
        code: '{\n  "DB-PW": "Xq7rT2vLp9Kd",\n' + Array.from({ length: 20 }, (_, i) => `  "US-A${i}": "Alabama",\n`).join('') + '  "US-Z": "Zed"\n}\n',
        errors: [{ line: 2 }]
      },
      line2('password: abc123', { severity: 'medium', message: /a well-known default/ }, 'three letters and three digits in a row: a well-known weak password, medium', 'config/values.yaml'),
      {
        name: 'one DB-PW setting, not a table of subdivisions: still reported',
        path: 'config/app.json',
        code: '{\n  "DB-PW": "Alabama"\n}\n',
        errors: [{ line: 2 }]
      },
      {
        name: 'a password in package.json outside its scripts: still reported',
        path: 'package.json',
        code: '{\n  "config": { "password": "Xq7rT2vLp9Kd" },\n  "scripts": { "start": "node index.js" }\n}\n',
        errors: [{ line: 2 }]
      },
      {
        name: 'a two-letter file name outside a translations folder (ca.json): still reported',
        path: 'pki/ca.json',
        code: '{\n  "password": "Xq7rT2vLp9Kd"\n}\n',
        errors: [{ line: 2 }]
      },
      line2('password: quuxQ7rT2vLp', {}, 'a placeholder word run into a random tail: still reported', 'config/values.yaml'),
      line2('_APP_DB_ROOT_PASS=rootsecretpassword', { severity: 'medium', message: /a well-known default anyone would try first/ }, 'the account and what it is, run together: a shipped default, medium', '.env'),
      line2('_APP_DB_ROOT_PASS=rootbeer42', { severity: 'high' }, 'a word of those beside others is a chosen password', '.env'),
      line2('DB_PASSWORD={Xk9mQ2pL7vR4nT8wZ3}', { severity: 'high' }, 'braces around a random value are no format field', '.env'),
      line2('ADMIN_PASSWORD=app:app', { severity: 'high' }, "under a password's key the whole value is the password", '.env'),
      {
        name: 'a password in a named template included only under a switch off by default: lowered, saying what must be set',
        files: {
          'charts/chat/Chart.yaml': 'apiVersion: v2\nname: chat\nversion: 1.0.0\n',
          'charts/chat/values.yaml': 'loadTest:\n  enabled: false\n',
          'charts/chat/templates/_loadtest.tpl': '{{- define "loadtest.tpl" -}}\n{\n    "AdminEmail": "admin@example.org",\n    "AdminPassword": "ltpass4242word"\n}\n{{- end }}\n',
          'charts/chat/templates/configmap.yaml': '{{- if .Values.loadTest.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lt\ndata:\n  config.json: |\n{{ include "loadtest.tpl" . | indent 4 }}\n{{- end }}\n'
        },
        errors: [{ path: 'charts/chat/templates/_loadtest.tpl', line: 4, severity: 'medium', message: /the template renders this only when `loadTest\.enabled` is set, not with the chart's defaults/ }]
      },
      {
        name: 'the same named template also included by default: high',
        files: {
          'charts/chat/Chart.yaml': 'apiVersion: v2\nname: chat\nversion: 1.0.0\n',
          'charts/chat/values.yaml': 'loadTest:\n  enabled: false\n',
          'charts/chat/templates/_loadtest.tpl': '{{- define "loadtest.tpl" -}}\n{\n    "AdminEmail": "admin@example.org",\n    "AdminPassword": "ltpass4242word"\n}\n{{- end }}\n',
          'charts/chat/templates/configmap.yaml': '{{- if .Values.loadTest.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lt\ndata:\n  config.json: |\n{{ include "loadtest.tpl" . | indent 4 }}\n{{- end }}\n',
          'charts/chat/templates/always.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lt2\ndata:\n  config.json: |\n{{ include "loadtest.tpl" . | indent 4 }}\n'
        },
        errors: [{ path: 'charts/chat/templates/_loadtest.tpl', line: 4, severity: 'high' }]
      },
      {
        name: 'the named template also included by a parent chart (helpers are shared across the tree): high',
        files: {
          'charts/chat/Chart.yaml': 'apiVersion: v2\nname: chat\nversion: 1.0.0\n',
          'charts/chat/values.yaml': 'loadTest:\n  enabled: false\n',
          'charts/chat/templates/_loadtest.tpl': '{{- define "loadtest.tpl" -}}\n{\n    "AdminEmail": "admin@example.org",\n    "AdminPassword": "ltpass4242word"\n}\n{{- end }}\n',
          'charts/chat/templates/configmap.yaml': '{{- if .Values.loadTest.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lt\ndata:\n  config.json: |\n{{ include "loadtest.tpl" . | indent 4 }}\n{{- end }}\n',
          'Chart.yaml': 'apiVersion: v2\nname: suite\nversion: 1.0.0\n',
          'values.yaml': 'replicas: 1\n',
          'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: suite\ndata:\n  lt.json: |\n{{ include `loadtest.tpl` . | indent 4 }}\n'
        },
        errors: [{ path: 'charts/chat/templates/_loadtest.tpl', line: 4, severity: 'high' }]
      },
      {
        name: 'the named template also named in values a tpl call renders: high',
        files: {
          'charts/chat/Chart.yaml': 'apiVersion: v2\nname: chat\nversion: 1.0.0\n',
          'charts/chat/values.yaml': 'loadTest:\n  enabled: false\nextraConfig: \'{{ include "loadtest.tpl" . }}\'\n',
          'charts/chat/templates/_loadtest.tpl': '{{- define "loadtest.tpl" -}}\n{\n    "AdminEmail": "admin@example.org",\n    "AdminPassword": "ltpass4242word"\n}\n{{- end }}\n',
          'charts/chat/templates/configmap.yaml': '{{- if .Values.loadTest.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lt\ndata:\n  config.json: |\n{{ include "loadtest.tpl" . | indent 4 }}\n{{- end }}\n',
          'charts/chat/templates/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  x: |\n{{ tpl .Values.extraConfig . | indent 4 }}\n'
        },
        errors: [{ path: 'charts/chat/templates/_loadtest.tpl', line: 4, severity: 'high' }]
      },
      { name: "two runs of one character under a password's key: a weak password, not a stand-in", path: 'config/values.yaml', code: 'db:\n  db_password: aaaa1111\n', errors: [{ line: 2 }] },
      { name: 'two runs of one character under a camelCase pw key', path: 'config/values.yaml', code: 'db:\n  dbPw: aaaa1111\n', errors: [{ line: 2 }] },
      { name: "a password under a comment about an existing Secret's name", path: 'charts/db/values.yaml', code: 'auth:\n  # -- Password for the admin user. Alternatively, set the name of an existing secret\n  password: prod-db-pass-2024\n', errors: [{ line: 3 }] },
      { name: 'a password under a comment about another key (a Secret name)', path: 'deploy/.env', code: '# DB_SECRET_NAME is the secret name used in k8s\nDB_PASSWORD=staging-pass-42\n', errors: [{ line: 2 }] },
      {
        name: "a properties file inside a ConfigMap: a value opening with # is the value, not a comment",
        path: 'k8s/app-config.yaml',
        code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  application.properties: |\n    spring.datasource.username: app\n    spring.datasource.password: #Xk9mP2vLq8Rw!\n',
        errors: [{ line: 8, severity: 'high' }]
      },
      {
        name: 'an INI file inside a ConfigMap: # opens a comment only at the line start, so after the colon it is the value',
        path: 'k8s/app-config.yaml',
        code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  settings.ini: |\n    [database]\n    user: app\n    password: #Xk9mP2vLq8Rw!\n',
        errors: [{ line: 9, severity: 'high' }]
      },
      {
        name: "the seed data of an app CI starts, under .github/: a test's input, info",
        path: '.github/auto_wizard.json',
        code: '{\n  "Users": [\n    {\n      "login": "admin@example.org",\n      "password": "Kestrel-Ridge-44"\n    }\n  ]\n}\n',
        errors: [{ line: 5, severity: 'info' }]
      },
      { name: 'the same file outside .github/ stays high', path: 'config/auto_wizard.json', code: '{\n  "Users": [\n    {\n      "login": "admin@example.org",\n      "password": "Kestrel-Ridge-44"\n    }\n  ]\n}\n', errors: [{ line: 5, severity: 'high' }] },
      { name: 'a typed password around the credential word stays high', path: 'config/values.yaml', code: 'db:\n  password: Summer2024password\n  adminPassword: bluepasswordforuser\n', errors: [{ line: 2, severity: 'high' }, { line: 3, severity: 'high' }] },
      { name: 'a quoted key before a bare word in a YAML flow mapping: YAML, the value a string', path: 'config/config.yaml', code: 'database: {\n  "host": db.internal,\n  "user": app,\n  "password": Sunshine2024,\n}\n', errors: [{ line: 4, severity: 'high' }] },
      {
        name: "a request example in an OpenAPI description: info, saying why",
        path: 'data/web/api/openapi.yaml',
        code: `openapi: 3.0.0\ninfo:\n  title: Mail API\n  version: 1.0.0\npaths:\n  /api/v1/add/admin:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              example:\n                password: ${STRONG}\n`,
        errors: [{ line: 13, severity: 'info', message: /an example of an API description \(OpenAPI\)/ }]
      },
      {
        name: 'the same in a Swagger description written as JSON: info',
        path: 'api/swagger.json',
        code: `{\n  "swagger": "2.0",\n  "definitions": {\n    "Login": {\n      "example": {\n        "password": "${STRONG}"\n      }\n    }\n  }\n}\n`,
        errors: [{ line: 6, severity: 'info', message: /API description/ }]
      },
      {
        name: "a sequence of examples written at its key's indentation: info",
        path: 'api/openapi.yml',
        code: `openapi: 3.0.0\nexamples:\n- user: admin\n  password: ${STRONG}\n`,
        errors: [{ line: 4, severity: 'info', message: /an example of an API description/ }]
      },
      {
        name: 'a key after an example block, back at its level: still high',
        path: 'api/openapi.yml',
        code: `openapi: 3.0.0\ncomponents:\n  examples:\n    login:\n      value: none\n  settings:\n    password: ${STRONG}\n`,
        errors: [{ line: 7, severity: 'high' }]
      },
      {
        name: "an API description's own settings are no example: still high",
        path: 'api/gateway.yaml',
        code: `swagger: "2.0"\nx-gateway-configuration:\n  properties:\n    proxy-password:\n      value: ${STRONG}\nexamples:\n  note: none\n`,
        errors: [{ line: 5, severity: 'high' }]
      },
      {
        name: 'a YAML file that only mentions openapi below its top level: still high',
        path: 'deploy/gateway.yaml',
        code: `gateway:\n  openapi: 3.0.0\n  password: ${STRONG}\n`,
        errors: [{ line: 3, severity: 'high' }]
      },
      { name: 'a password with a dollar sign before capitals inside it is still a literal', path: 'config/db.env', code: 'DB_PASSWORD=hunter2$ECRET\n', errors: [{ line: 1, severity: 'high' }] },
      { name: 'a password in a JSON file outside a translations folder', path: 'config/settings.json', code: '{\n  "PASSWORD": "Kennwort-77x"\n}\n', errors: [{ line: 2 }] },
      {
        name: 'a key named only through a JSON escape, in a file whose text holds no secret word (the word pre-test must not skip it)',
        path: 'config/settings.json',
        code: '{\n  "db_\\u0050ASSWORD": "Zq8vLm2Kp9Xw4RtY"\n}\n',
        errors: [{ line: 2, severity: 'high' }]
      },
      { name: 'a pass that is a password, with no action above it', path: 'config/ftp.yaml', code: 'ftp:\n  user: uploader\n  pass: Wq8-zr4Lm\n', errors: [{ line: 3 }] },
      { name: 'a random password reused as the database name: generated, not a default login (high)', path: 'docker/dev/defaults.env', code: 'POSTGRES_DB=Xk9mP2vLq8Rw\nPOSTGRES_PASSWORD=Xk9mP2vLq8Rw\n', errors: [{ line: 2, severity: 'high', message: /^(?!.*default login)/ }] },
      { name: 'a password equal to the user name beside it: a default login, medium', path: 'docker/dev/defaults.env', code: 'APP_DB_USERNAME=shopfront\nAPP_DB_PASSWORD=shopfront\n', errors: [{ line: 2, severity: 'medium', message: /the same as `APP_DB_USERNAME`/ }] },
      {
        name: "a password equal to the database name in a container's env block: a default login, medium",
        path: 'deploy/db.yaml',
        code: 'env:\n  - name: POSTGRES_DB\n    value: ledger\n  - name: POSTGRES_PASSWORD\n    value: ledger\n',
        errors: [{ line: 5, severity: 'medium', message: /the same as `POSTGRES_DB` beside it/ }]
      },
      {
        name: 'the user name is named before a database name holding the same value',
        path: 'deploy/db.yaml',
        code: 'env:\n  - name: POSTGRES_DB\n    value: ledger\n  - name: POSTGRES_USER\n    value: ledger\n  - name: POSTGRES_PASSWORD\n    value: ledger\n',
        errors: [{ line: 7, severity: 'medium', message: /the same as `POSTGRES_USER` beside it/ }]
      },
      {
        name: 'a password key ending in DB (where the password is kept) is no database name to compare with',
        path: 'internal/roles/runner.go',
        code: 'func fixture() {\n\troleWithChangedPassInDB := "Zq8vLm2Kp9Xw4R"\n\tother := map[string]string{\n\t\t"roleWithChangedPassInDB": "Zq8vLm2Kp9Xw4R",\n\t}\n}\n',
        errors: [{ line: 4, severity: 'high', message: /^Hard-coded password: literal value for `roleWithChangedPassInDB`\.$/ }]
      },
      { name: 'a well-known default password (admin): medium, saying why', path: 'deploy/monitoring/values.yaml', code: 'grafana:\n  adminPassword: admin\n', errors: [{ line: 2, severity: 'medium', message: /well-known default anyone would try first/ }] },
      { name: "MinIO's documented default password (minio123): medium", path: 'deploy/storage/app.env', code: 'MINIO_ROOT_PASSWORD=minio123\n', errors: [{ line: 1, severity: 'medium', message: /well-known default anyone would try first/ }] },
      { name: 'a temporary password (TemporaryPassword, changed at first sign-in): low', path: 'deploy/users/seed.json', code: '{\n  "Username": "tester",\n  "TemporaryPassword": "Start-Here-42!"\n}\n', errors: [{ line: 3, severity: 'low', message: /temporary password/ }] },
      {
        name: "a chart's default password in its values.yaml: medium, saying every install shares it",
        files: { 'deploy/registry/Chart.yaml': CHART_YAML, 'deploy/registry/values.yaml': 'registryAdminPassword: "Registry9876"\n' },
        errors: [{ path: 'deploy/registry/values.yaml', line: 1, severity: 'medium', message: /a chart's default, which every install that does not override it shares/ }]
      },
      {
        name: "a chart's default password under a subchart whose `condition:` is false by default: low, saying it applies only when the subchart is enabled",
        files: { 'deploy/registry/Chart.yaml': chartWithStore('minio.enabled'), 'deploy/registry/values.yaml': storeValues('false') },
        errors: [
          { path: 'deploy/registry/values.yaml', line: 4, severity: 'low', message: /a chart's default for its `minio` subchart, which the chart installs only when `minio\.enabled` is true \(false by default\): low, as it applies only to installs that enable that subchart/ },
          { path: 'deploy/registry/values.yaml', line: 5, severity: 'medium', message: /a chart's default, which every install that does not override it shares/ }
        ]
      },
      {
        name: 'the same subchart enabled by default: medium',
        files: { 'deploy/registry/Chart.yaml': chartWithStore('minio.enabled'), 'deploy/registry/values.yaml': storeValues('true') },
        errors: [
          { path: 'deploy/registry/values.yaml', line: 4, severity: 'medium', message: /a chart's default, which every install that does not override it shares/ },
          { path: 'deploy/registry/values.yaml', line: 5, severity: 'medium' }
        ]
      },
      {
        name: 'a subchart under its alias, off through the first condition path that holds a boolean: low',
        files: { 'deploy/registry/Chart.yaml': chartWithStore('store.missing,store.enabled', 'store'), 'deploy/registry/values.yaml': storeValues('false', 'store') },
        errors: [
          { path: 'deploy/registry/values.yaml', line: 4, severity: 'low', message: /its `store` subchart, which the chart installs only when `store\.enabled` is true/ },
          { path: 'deploy/registry/values.yaml', line: 5, severity: 'medium' }
        ]
      },
      {
        name: 'a subchart with no condition is always installed, whatever `enabled:` under its key says: medium',
        files: { 'deploy/registry/Chart.yaml': chartWithStore(), 'deploy/registry/values.yaml': storeValues('false') },
        errors: [
          { path: 'deploy/registry/values.yaml', line: 4, severity: 'medium' },
          { path: 'deploy/registry/values.yaml', line: 5, severity: 'medium' }
        ]
      },
      {
        name: 'a key of the values that names no dependency, switched off: medium (the chart may read it itself)',
        files: { 'deploy/registry/Chart.yaml': CHART_YAML, 'deploy/registry/values.yaml': storeValues('false') },
        errors: [
          { path: 'deploy/registry/values.yaml', line: 4, severity: 'medium' },
          { path: 'deploy/registry/values.yaml', line: 5, severity: 'medium' }
        ]
      },
      {
        name: "a random-looking password in a chart's values.yaml is someone's secret: high",
        files: { 'deploy/registry/Chart.yaml': CHART_YAML, 'deploy/registry/values.yaml': 'registryAdminPassword: "Qx7-lm2!pz9Rt4vW8sKd"\n' },
        errors: [{ path: 'deploy/registry/values.yaml', line: 1, severity: 'high' }]
      },
      {
        name: "a password that is the name of the product whose files hold it: its factory default, medium",
        path: 'databases/scylla/files/scylla.yaml',
        code: 'server_encryption:\n  keystore: conf/.keystore\n  keystore_password: scylla\n',
        errors: [{ line: 3, severity: 'medium', message: /the name of the product these files configure, its factory default/ }]
      },
      {
        name: 'the product name may be any folder of the path, in any case',
        path: 'stacks/vectordb/templates/bootstrap-job.yaml',
        code: "script: |\n  client.connect(\n      user='root',\n      password='VectorDB',\n  )\n",
        errors: [{ line: 4, severity: 'medium', message: /factory default/ }]
      },
      { name: 'a chosen keystore password beside the product name: high', path: 'databases/scylla/files/scylla.yaml', code: 'server_encryption:\n  keystore_password: Scy11a-Ks-2291\n', errors: [{ line: 2, severity: 'high' }] },
      { name: "a password equal to a layout folder's name (deploy) names no product: high", path: 'deploy/shop/app.env', code: 'SHOP_DB_PASSWORD=deploy\n', errors: [{ line: 1, severity: 'high' }] },
      {
        name: 'a truststore password guards public CA certificates: low; the keystore password beside it stays high',
        path: 'config/kafka/client.properties',
        code: 'ssl.truststore.location=/etc/kafka/truststore.jks\nssl.truststore.password=Tr7st-pw-2291\nssl.keystore.password=Ks9-pw-44zq\n',
        errors: [
          { line: 2, severity: 'low', message: /the password of a truststore, which holds public CA certificates/ },
          { line: 3, severity: 'high' }
        ]
      },
      {
        name: 'a truststore password as a CloudFormation parameter default: low',
        path: 'cfn/client.yaml',
        code: 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  BrokerTruststorePassword:\n    Type: String\n    NoEcho: true\n    Default: brokerTrust42\n',
        errors: [{ line: 6, severity: 'low', message: /truststore/ }]
      },
      { name: "a workflow's password made of words and a number: medium", path: '.github/workflows/ci.yml', code: 'on: push\nenv:\n  PGPASSWORD: Postgres123\n', errors: [{ line: 3, severity: 'medium', message: /words and a number/ }] },
      { name: 'the same password outside a workflow: high', path: 'deploy/db.env', code: 'PGPASSWORD=Postgres123\n', errors: [{ line: 1, severity: 'high' }] },
      { name: 'the same password in a values.yaml of no chart: high', path: 'deploy/registry/values.yaml', code: 'registryAdminPassword: "Registry9876"\n', errors: [{ line: 1, severity: 'high' }] },
      { name: 'a default word inside a longer password is a chosen password: high', path: 'deploy/monitoring/values.yaml', code: 'grafana:\n  adminPassword: admin-Wq8zr4\n', errors: [{ line: 2, severity: 'high' }] },
      line2(`db_password=${STRONG}`, { severity: 'high' }, undefined, 'config/db.env'),
      line2(`password: ${STRONG}`, { severity: 'high' }, 'a literal inside a config block', 'k8s/node-config.yaml'),
      line2(`  db_password="${STRONG}",`, { severity: 'high' }, 'a quoted keyword argument in Python', 'scripts/app.py'),
      line2(`db_password=${STRONG}`, { severity: 'info', message: /test, example or documentation path/ }, 'test/fixture path is info', 'tests/fixtures/db.env'),
      line2(`db_password=${STRONG}`, { severity: 'info' }, 'examples path is info', 'examples/app/db.env'),
      line2(`db_password=${STRONG}`, { severity: 'info' }, 'CI path is info', 'ci/db.env'),
      line2(`db_password=${STRONG}`, { severity: 'info' }, 'an archived folder is info', 'examples-old/_archived/iscsi/db.env'),
      line2(`db_password=${STRONG}`, { severity: 'info' }, 'unittests path is info', 'app/unittests/db.env'),
      line2(`db_password="${STRONG}"`, { severity: 'info' }, 'Go test file is info', 'pkg/db/conn_test.go'),
      line2(`db_password="${STRONG}"`, { severity: 'info' }, 'end-to-end test tree is info', 'e2e/suites/db/setup.sh'),
      line2(`db_password="${STRONG}"`, { severity: 'info' }, 'mock is info', 'pkg/auth/mocks/client.sh'),
      line2(`db_password: ${STRONG}`, { severity: 'info' }, 'documentation tree is info', 'docs/reference/static.yaml'),
      line2(`db_password: "${STRONG}"`, { severity: 'info' }, 'a test snapshot is info', 'pkg/sidecar/__snapshots__/render_test.snap'),
      line2(`db_password="${STRONG}"`, { severity: 'info' }, 'TypeScript spec file is info', 'src/db.spec.ts'),
      line2(`export DB_PASSWORD=${STRONG}`, { severity: 'info' }, 'Markdown is info', 'docs/setup.md'),
      line2(`DB_PASSWORD=${STRONG}`, { severity: 'info' }, 'example env file is info', 'config/.env.example'),
      line2(`DB_PASSWORD=${STRONG}`, { severity: 'info' }, 'env template is info', '.env.template'),
      line2(`DB_PASSWORD=${STRONG}`, { severity: 'info' }, 'sample file is info', 'deploy/app.env.sample'),
      line2(`DB_PASSWORD=${STRONG}`, { severity: 'high' }, 'a real env file stays high', 'deploy/production.env'),
      line2(`DB_PASSWORD=${STRONG}`, { severity: 'high' }, 'a template that is not an env file stays high', 'deploy/settings.template')
    ]
  },
  'secrets/hardcoded-secret': {
    valid: [
      quiet('---\nen:\n  mfa:\n    secret_title: Manual Entry Code', "a Rails view's translations, kept in a folder below `locales/` and named for its language", 'config/locales/views/mfa/en.yml'),
      quiet('data "google_secret_manager_secret_version" "iap_oauth_client_id" {\n  secret = "iap-oauth-client-id"\n}', "a Secret Manager secret's id, read by a data source", 'terraform/search.tf'),
      quiet('resource "google_cloud_run_v2_service" "app" {\n  template {\n    containers {\n      env {\n        name = "COOKIE_SECRET"\n        value_source {\n          secret_key_ref {\n            secret  = "cookie-session-signature"\n            version = "latest"\n          }\n        }\n      }\n    }\n  }\n}', 'the secret a Cloud Run container reads, by id', 'terraform/run.tf'),
      quiet('      "url": "https://play.min.io",\n      "accessKey": "Q3AM3UQ867SPQQA43P2F",\n      "secretKey": "zuf+tfteSlswRu7BJ86wekitnifILbZam1KYY3TG",', "the public MinIO playground's documented keys", 'workspace/mc/config.json'),
      quiet('        - Client Credentials Grant: `client_credentials`', "a grant's name in a code span, in an API's prose", 'internal/httpclient/api/openapi.yaml'),
      {
        name: "an identity server's export: how a password is hashed, no secret",
        path: 'keycloak/users-0.json',
        code: '{\n  "credentials": [ {\n    "type": "password",\n    "credentialData": "{\\"hashIterations\\":27500,\\"algorithm\\":\\"pbkdf2-sha256\\"}"\n  } ]\n}\n'
      },
      {
        name: "the same export's salted password hash, as a bcrypt hash",
        path: 'keycloak/users-0.json',
        code: '{\n  "credentials": [ {\n    "secretData": "{\\"value\\":\\"6rt5zuqHVHopvd0FTFE0CYadXTtzY0mDY2BrqnNQGS51\\",\\"salt\\":\\"LI0kqr09JB7J9wvr2Hxzzg==\\",\\"additionalParameters\\":{}}"\n  } ]\n}\n'
      },
      {
        name: "argon2's parameters, each a list of one short value",
        path: 'internal/keycloak/users-0.json',
        code: '{\n  "credentialData" : "{\\"hashIterations\\":5,\\"algorithm\\":\\"argon2\\",\\"additionalParameters\\":{\\"hashLength\\":[\\"32\\"],\\"memory\\":[\\"7168\\"],\\"type\\":[\\"id\\"],\\"version\\":[\\"1.3\\"],\\"parallelism\\":[\\"1\\"]}}"\n}\n'
      },
      quiet('    "config" : {\n      "credentials" : "webauthn-passwordless"\n    }', 'the kind of credential an authenticator asks for', 'internal/keycloak/realm.json'),
      quiet('apiVersion: v1\nkind: Service\nmetadata:\n  name: otel\n  labels:\n    configsecret: otelcollector\n    app: otel', 'a label, public by design', 'k8s/otel/service.yaml'),
      quiet('        "data": [\n            {\n                "remoteRef": {"key": "external", "property": "restic-s3-access-key"},\n                "secretKey": "restic_s3_access_key",\n            },\n        ],\n        "apiVersion": "external-secrets.io/v1beta1",', 'an ExternalSecret built as a dict in a script: secretKey names a key', 'scripts/backup'),
      quiet('apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nspec:\n  data:\n    - secretKey: github_app_installation_id\n      remoteRef:\n        key: actions-runner/ID\n    - secretKey: GITHUB_APP_PRIVATE_KEY\n      remoteRef:\n        key: actions-runner/KEY', "long key names in an ExternalSecret's data", 'kubernetes/apps/runners/externalsecret.yaml'),
      quiet('    - prefix: ghcr.io\n      credentials: ext:/scripts/auth.sh', "where Argo CD Image Updater reads a registry's credentials", 'envs/dev/eks/values/image-updater.yaml'),
      quiet('      credentials: pullsecret:argocd/ghcr-creds', 'a pull secret named as the source of the credentials', 'values/image-updater.yaml'),
      quiet('apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: app\nspec:\n  encryptedData:\n    secret: AgBpFCbZsHHX2GYvtssTTi80RrvfvHk7CD38GGgUuaWE6VqERrfdtPeM4nEnHM5/FPUmHfXRNYokmm/Q5kAwkWrfy40Zq6oZBzk0m7GqWe1VPZfevFjpEJy4P==', "a SealedSecret's ciphertext, made to be committed", 'k8s/04-sealedsecret.yaml'),
      {
        name: 'the same with nested settings, and when a client secret was made',
        path: 'oauth/realm-export.json',
        code: '{\n  "credentialData" : "{\\"hashIterations\\":27500,\\"algorithm\\":\\"pbkdf2-sha256\\",\\"additionalParameters\\":{}}",\n  "attributes" : {\n    "client.secret.creation.time" : "1704457045",\n    "client.secret.rotated.date" : "2024-06-01T10:00:00Z"\n  }\n}\n'
      },
      quiet("    secrets_manager.create_secret(\n        Name=SECRET_NAME,\n        SecretString=json.dumps({\n            'cert': certificate_pem,\n        })\n    )", 'a call whose arguments go on over the next lines, in code', 'python/iotcore/lambda/cert_handler.py'),
      quiet('  secretProvisioning: "integrator",', 'a setting saying who makes the secret', 'internal-packages/webhook-sources/src/registry/stripe.ts'),
      { name: 'a setting of the Secrets Store CSI driver', path: 'helper/src/configpresets/baselines.json', code: '{\n  "ingress": "traefik",\n  "csisecret": "akvNew",\n  "csiSecret": "akvExisting"\n}\n' },
      quiet('secret: pnpm-registry-mock-secret-key-32', "a mock registry's value that says so", 'crates/registry/config.yaml'),
      quiet('export ARM_CLIENT_SECRET="cccccccc-cccc-cccc-cccc-cccccccccccc"\nexport client_secret="cccccccc-cccc-cccc-cccc-cccccccccccc"', "a GUID's groups each filled with one letter", 'infra/dev/env.sh'),
      { name: "a GitHub label's node id under the category it marks", path: '.github/actions/triage/config.json', code: '{\n  "labels": {\n    "Kubernetes": "LA_kwDOCsUTCM75TTQv",\n    "Secret": "LA_kwDOCsUTCM75TTQL"\n  }\n}\n' },
      quiet('        clientSecret={result.data?.clientSecret || null}', 'a JSX expression with a fallback', 'apps/web/app/oauth/page-client.tsx'),
      quiet('  GITHUB_SECRET: "test-githubID",\n  MAGIC_LINK_SECRET: "test-magic-link-secret-32chars!!",', "a test set-up's own values", 'internal-packages/testcontainers/src/webapp.ts'),
      quiet('export const Created = {\n  secretKey: "sk-lf-1234567890abcdef",\n}', "a key's prefix, then digits and hexadecimal letters counting up", 'web/src/components/ApiKeyDialog.tsx'),
      quiet('      displaySecretKey: "sk-lf-...5678",', 'a key shown by its ends', 'web/src/features/api-keys/ApiKeyList.tsx'),
      quiet('  const providerMap: Record<string, string> = {\n    credentials: "Email/Password",\n  }', 'a label naming the credential', 'src/server/utils/formatAuthProvider.ts'),
      quiet('return Credential{\n\tAccessSecretType: TypeFile,\n\tAccessSecretData: "No Change",\n}', 'a sentinel saying the stored secret stays', 'pkg/adapter/gcr.go'),
      quiet('runner:\n  runnerIdentitySecret: "runner-identity"\n', 'a key naming the Secret object, holding its name', 'charts/runner/values.yaml'),
      quiet(`staticClients:\n  - id: web\n    name: Web\n    secret: ${b64('demo-app-secret')}\n`, 'base64 of a placeholder', 'manifests/dex/config.yaml'),
      quiet('env:\n  - name: DP_CREDENTIAL_LOGIN_META2\n    value: component=gateway\n', 'metadata sent along with a login', 'chart/templates/gateway.yaml'),
      {
        name: 'ExternalSecret: secretKey names a key of the Secret it writes',
        path: 'deploy/external-secret.yaml',
        code: 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: db\nspec:\n  data:\n    - secretKey: dbPassword\n      remoteRef:\n        key: prod/db\n'
      },
      quiet('configFromSecret: api-config', 'configFromSecret names a Secret', 'config/values.yaml'),
      quiet('        image_pull_secret:  # deprecated\n          description: Secret for the image pull\n          type: string\n        ldap_password_secret: # secret with the bind password\n          type: string\n', 'a key with a comment after it and its value (a schema) below', 'config/crd/bases/awx.yaml'),
      quiet('secret_name: db-credentials', 'name of a secret', 'config/values.yaml'),
      { name: 'lockfiles', path: 'yarn.lock', code: `"left-pad@^1.3.0":\n  secret "${STRONG}"\n` },
      { name: 'go.sum', path: 'go.sum', code: `example.com/mod v1.0.0 h1:${fake(43, 62)}=\n` },
      { name: 'Cargo.lock', path: 'Cargo.lock', code: `[[package]]\nname = "x"\nchecksum = "${fake(64, 63, HEX)}"\nclient_secret = "${STRONG}"\n` },
      quiet('existingSecret: api-credentials', 'existingSecret names a Secret', 'config/values.yaml'), quiet('client_secret: ${CLIENT_SECRET}', 'reference', 'config/values.yaml'),
      quiet('client = Client(\n    url=url,\n    auth_client_secret=auth_settings\n)', 'a keyword argument whose value is a variable', 'scripts/app.py'),
      quiet('    api = Client(\n        credentials=creds, user_agent=AGENT\n    )', 'keyword arguments passing variables', 'scripts/client.py'),
      quiet('tsigSecretAlg: hmac-sha512', 'the algorithm of a TSIG secret', 'chart/values.yaml'),
      quiet('ingress:\n  tlsSecret: shop.internal-tls', 'the name of a TLS Secret', 'chart/values.yaml'),
      quiet('agentSecretName: ""\nagentSecretKey: "agent"', 'the key to read in the named Secret', 'chart/values.yaml'),
      quiet('license:\n  # Secret holding the license\n  secretName: ""\n  # key inside it\n  secretKey: "license"', 'a bare secretKey beside a bare secretName', 'chart/values.yaml'),
      quiet('    source = pipes.SourceParams(\n        credentials=pipes.BrokerCredentialsProperty(\n            basic_auth=secret.arn\n        ),', 'a constructor call whose arguments follow', 'stacks/pipe.py'),
      { name: 'a command that prints the secret', files: { 'chart/Chart.yaml': CHART, 'chart/templates/_env.tpl': '{{- define "chart.env" -}}\n- name: APP__JWT_SECRET_CMD\n  value: "cat /run/secrets/jwt"\n{{- end }}\n' } },
      quiet('variable "app_secret" {\n  type        = string\n  description = "Kubernetes Secret name for the app"\n  default     = "webapp"\n}', 'a variable whose description says it holds a Secret name', 'infra/variables.tf'),
      quiet('tls:\n  certs:\n    # clientRootSecret defines the secret name that contains the root client certificate.\n    clientRootSecret: cockroachdb-root\n', 'the comment above says the value is a Secret name', 'charts/db/values.yaml'),
      quiet('  initContainers:\n    - name: init\n      imagePullSecret: IfNotPresent\n', "an image pull Secret's name, whatever its case", 'tools/templates/values.yaml'),
      quiet('const res = await client.post("/auth.info", undefined, {\n  credentials: "same-origin",\n});', "fetch()'s credentials mode", 'app/stores/AuthStore.ts'),
      quiet('hub:\n  config:\n    JupyterHub:\n      cookie_secret: bbbb2222\n', 'two runs of one repeated character each', 'dev-config.yaml'),
      quiet('services:\n  test:\n    api_secret: give-pytest-control\n', 'a slug of words saying it is for the tests', 'dev-config.yaml')],
    invalid: [
      { name: "an OpenAPI component schema's example, written as code: reported for information", path: 'src/lib/openapi/spec/public-signup-tokens-schema.ts', code: "export const publicSignupTokensSchema = {\n    $id: '#/components/schemas/publicSignupTokensSchema',\n    type: 'object',\n    properties: {\n        tokens: {\n            type: 'array',\n            example: [\n                {\n                    secret: 'a3c84b25409ea8ca1782ef17f94a42fc',\n                    name: 'Invite public viewers',\n                },\n            ],\n        },\n    },\n} as const;\n", errors: [{ line: 9, severity: 'info', message: /example of an API description/ }] },
      { name: 'the same schema outside its example: reported', path: 'src/lib/openapi/spec/settings-schema.ts', code: "export const settingsSchema = {\n    $id: '#/components/schemas/settingsSchema',\n    type: 'object',\n    default: {\n        secret: 'a3c84b25409ea8ca1782ef17f94a42fc',\n    },\n} as const;\n", errors: [{ line: 5, severity: 'high' }] },
      { name: "a nested `secret` block of another provider holds a value: reported", path: 'infra/main.tf', code: 'resource "azurerm_container_app" "app" {\n  secret {\n    name   = "webhook"\n    secret = "Zq8vN2pLx7RtZ4wY9mBcD3fGhJ5kL1nP"\n  }\n}\n', errors: [{ line: 4, severity: 'high' }] },
      { name: 'the same id under another resource: a literal secret', path: 'terraform/app.tf', code: 'resource "example_app" "a" {\n  secret = "cookie-session-signature"\n}\n', errors: [{ line: 2, severity: 'high' }] },
      { name: "a Secret Manager version's data beside its id: reported", path: 'terraform/secret.tf', code: 'resource "google_secret_manager_secret_version" "v" {\n  secret      = "cookie-session-signature"\n  secret_data = "Xk9mP2qL7wRt4vQz8aB3"\n}\n', errors: [{ line: 3, severity: 'high' }] },
      { name: "MinIO's documented default under its secret key: medium, saying why", path: 'minio.jsonnet', code: "local minio = (import 'minio.libsonnet')({\n  accessKey: 'minio',\n  secretKey: 'minio123',\n});\n", errors: [{ line: 3, severity: 'medium', message: /well-known default anyone would try first/ }] },
      line2('JWT_SECRET: defaultsecret', { severity: 'high' }, "a signing key of default words is not lowered as a password's default is", 'deploy/app.env'),
      line2('JWT_SECRET_SERVICE=q8Zr4Lm2Xk9vP0wT7yN3', {}, 'a service named in a secret\'s key: still a secret', '.env'),
      line2('  jwtsecret: "myVeryComplexJWTSecret"', {}, "a chart's default JWT secret deploys as it is unless changed", 'charts/stable/vikunja/values.yaml'),
      line2('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY1', { line: 6 }, 'no label holds a slash: not a label value', 'k8s/cm.yaml'),
      line2('  "apiVersion": "external-secrets.io/v1beta1",\n  "client": {"secretKey": "Xq9vLm3nP0vR7tYxW2zQ8kJ4"}', { line: 3 }, "a random value under secretKey beside an ExternalSecret: a store's key", 'gen/minio.json'),
      line2('metadata:\n  annotations:\n    app-secret: Kq8vLm3nP0vR7tYxW2', { line: 4 }, 'an annotation is no label', 'k8s/app.yaml'),
      line2('  cacheSecretKey: "purple-monkey-dishwasher",', {}, 'a stored item\'s key that also names a secret', 'src/config.ts'),
      line2('SECRET_KEY=Summer...2024', {}, 'an ellipsis inside what someone typed, under a secret key', '.env'),
      line2('secret: AgBpFCbZsHHX2GYvtssTTi80RrvfvHk7CD38GGgUuaWE6VqERrfdtPeM4nEnHM5/FPUmHfXRNYokmm/Q5kAwkWrfy40Zq6oZBzk0m7GqWe1VPZfevFjpEJy4P==', {}, 'the same shape outside a SealedSecret', 'k8s/secret.yaml'),
      line2('credentials: ext:Kq8vLm3nP0vR7tYx', {}, 'no path after ext:', 'values/image-updater.yaml'),
      line2('  "credentialData" : "{\\"algorithm\\":\\"argon2\\",\\"additionalParameters\\":{\\"seed\\":[\\"Kq8vLm3nP0vR7tY\\"]}}"', {}, 'a random value in a list beside the hash parameters', 'internal/keycloak/users-0.json'),
      {
        name: 'JSON object text that holds a value beside settings, with no hash parameter, is still a secret',
        path: 'config/app.yaml',
        code: `monitoring:\n  datadog_secret: '{"site":"datadoghq.eu","value":"3b727777f02dc32c91a936dda371c27c"}'\nwifi:\n  wifi_credentials: '{"ssid":"office","psk":"sunshine2024"}'\nsnmp:\n  snmp_secret: '{"version":"2c","community":"pr1vat3c0mm"}'\nmfa:\n  totp_secret: '{"issuer":"acme","algorithm":"SHA1","totp":"7ZC6PZ2LXXF4GKZX"}'\n`,
        errors: [{ line: 2 }, { line: 4 }, { line: 6 }, { line: 8 }]
      },
      {
        name: 'a key ending in a time word holding a random value, not a time, is still a secret',
        path: 'deploy/.env',
        code: 'REGISTRATION_SECRET_ONE_TIME=Zq8vLm2Xp9Rt4Kw7Hb3NcY6u\n',
        errors: [{ line: 1 }]
      },
      {
        name: 'JSON object text under a secret key holding a random value with no salt, or a member named for a credential, is still a secret',
        path: 'keycloak/users-0.json',
        code: '{\n  "credentials": [ {\n    "secretData": "{\\"value\\":\\"6rt5zuqHVHopvd0FTFE0CYadXTtzY0mDY2BrqnNQGS51\\"}",\n    "credentialData": "{\\"token\\":\\"v1\\"}",\n    "clientSecret": "{\\"value\\":\\"6rt5zuqHVHopvd0FTFE0CYadXTtzY0mDY2BrqnNQGS51\\",\\"salt\\":\\"LI0kqr09JB7J9wvr2Hxzzg==\\",\\"password\\":\\"Kq8-vLm3nP0vR7tY\\"}"\n  } ]\n}\n',
        errors: [{ line: 3 }, { line: 4 }, { line: 5 }]
      },
      line2('db_password_secret: sk-...ab12', {}, "an elided shape under a key naming a password among other words", 'config/app.yaml'),
      line2('secret: registry-mock-staging-key-32', {}, "a mock's value naming an environment: a value someone chose", 'config/app.yaml'),
      line2('secret: orders-mock-uat-key-91', {}, "a mock's value naming an acceptance environment", 'config/app.yaml'),
      line2('csvSecret: Zq8sLm3nP0vR7tYwK2xx', {}, 'a secret key without the CSI driver in its name (csv, not csi)', 'config/app.yaml'),
      line2('export ARM_CLIENT_SECRET="c4d1e2f3-9a8b-4c7d-8e6f-a1b2c3d4e5f6"', {}, 'a GUID whose groups are not each one character', 'infra/dev/env.sh'),
      line2('export ARM_CLIENT_SECRET="cccccccc-cccc-cccc-cccc-cccccccccccd"', {}, 'one character differs: a value someone chose', 'infra/dev/env.sh'),
      { name: "a node id's shape under a password's key", path: 'config/app.json', code: '{\n  "db_password_secret": "LA_kwDOCsUTCM75TTQL"\n}\n', errors: [{ line: 2 }] },
      line2('client_secret: PROD_kwQ8rT5vX0yB4nM1sL9cJ3hG7fD5aE2wR8tY6u', {}, "an app's own prefix before a random part that begins like a node id", 'config/app.yaml'),
      line2('client_secret: AB_kwq3Zr9vT1xP0mW8kLb2NcY4uHs6JdF7gA5e', {}, 'capitals, `_kw`, then bytes that are no MessagePack list of integers', 'config/app.yaml'),
      { name: 'a value after a type and `_` that is no MessagePack list', path: '.github/actions/triage/config.json', code: '{\n  "Secret": "LA_zq8sLm3nP0vR7tYwK2"\n}\n', errors: [{ line: 2 }] },
      line2('SECRET_KEY=correct-horse.battery-staple.moon', {}, 'dotted words under a key for no stored item'),
      line2('SESSION_SECRET=keyboardcat.', {}, 'a word and a full stop, with nothing after it'),
      line2('JWT_SECRET=test-jwt-secret-2024', {}, 'a test marker with a year: chosen for an environment'),
      line2('client_secret: stub-staging-secret-64chars!!', {}, "a test marker naming an environment", 'config/staging.yaml'),
      line2('  AZUREAD_CLIENT_SECRET: "Zq8sLm3nP0vR7tYwK2xx",', { severity: 'info' }, "a test runner's set-up file", 'apps/web/vitestSetup.ts'),
      line2('  secretKey: "sk-lf-Zq8sLm3nP0vR7tYw",', { severity: 'high' }, 'a Storybook story is no test: its site may be published', 'web/src/components/ApiKeyDialog.stories.tsx'),
      line2('SESSION_SECRET="Top Secret"', {}, 'one credential noun in a capitalised phrase is a weak secret, no label'),
      line2('  secret: "Super Secret",', {}, 'the same in a source file', 'src/config.ts'),
      line2('      displaySecretKey: "Zq8sLm3nP0vR7tYw",', { severity: 'info' }, 'a client-side test by its name', 'web/src/features/api-keys/ApiKeyList.clienttest.tsx'),
      line2('client_secret: "sk-lf-Zq8sLm3nP0vR7tYw"', {}, 'a test-like word in the file name alone is no test file', 'src/latest.ts'),
      line2('DATABASE_CREDENTIALS=dispatch:dispatch', { severity: 'medium', message: /a user name and password that are the same/ }, 'a user:password pair that repeats the user: medium', 'data/.env'),
      line2('DATABASE_CREDENTIALS=dispatch:Xk9mP2vLq8Rw', { severity: 'high' }, 'a chosen password after the user stays high', 'data/.env'),
      line2('credentials: Xk9mQ2pL7vR4nT8wZ3:Xk9mQ2pL7vR4nT8wZ3', { severity: 'high' }, 'a random value doubled is no default login', 'config/app.yaml'),
      { name: 'a client secret is the credential, whatever its shape', path: 'charts/app/values.yaml', code: 'oauth:\n  clientSecret: "q7-zk2px-r9mt4"\n', errors: [{ line: 2 }] },
      { name: 'credentials that are not a fetch mode', path: 'app/client.ts', code: 'const opts = {\n  credentials: "q7zk2px4r9mt4wv8",\n}', errors: [{ line: 2 }] },
      { name: 'three runs of repeated characters', path: 'dev-config.yaml', code: 'hub:\n  cookie_secret: aaaa1111bbbb\n', errors: [{ line: 2 }] },
      { name: 'a pull Secret key holding a random value with a symbol', path: 'chart/values.yaml', code: 'imagePullSecret: "q7zk2px4r9mt4wv8+/="\n', errors: [{ line: 1 }] },
      { name: 'a pull Secret key holding a random name-shaped value', path: 'chart/values.yaml', code: 'pull_secret: R7xk2PqL9mWt4vZ8nB3c\n', errors: [{ line: 1 }] },
      { name: 'a pull Secret key holding a short mixed-case password', path: 'chart/values.yaml', code: 'pullSecret: S3cr3tP4ss\n', errors: [{ line: 1 }] },
      { name: 'a pull Secret key holding base64 of a docker config', path: 'chart/values.yaml', code: 'imagePullSecret: eyJhdXRocyI6eyJxdWF5LmlvIjp7ImF1dGgiOiJkWE5sY2pwd1lYTnoifX19\n', errors: [{ line: 1 }] },
      { name: 'a slug naming pytest beside a year: a chosen password', path: 'config/values.yaml', code: 'db:\n  api_secret: pytest-admin-2024\n', errors: [{ line: 2 }] },
      { name: 'a slug naming a test environment: its secret may be real', path: 'config/values.yaml', code: 'db:\n  api_secret: test-prod-db-2024\n', errors: [{ line: 2 }] },
      { name: 'the dotenv file a framework loads for its tests: info', path: '.env.test', code: 'NODE_ENV=test\nGITHUB_CLIENT_SECRET=q7zk2px4r9mt4wv8\n', errors: [{ line: 2, severity: 'info' }] },
      { name: 'a Secret-name comment above a random value: the value is a secret all the same', path: 'charts/app/values.yaml', code: 'oauth:\n  # the secret name is below\n  clientSecret: "q7zk2px4r9mt4wv8"\n', errors: [{ line: 3 }] },
      { name: 'a name-shaped value under a comment that does not say it names a Secret', path: 'charts/db/values.yaml', code: 'tls:\n  # the root client credential\n  clientRootSecret: cockroachdb-root\n', errors: [{ line: 3 }] },
      { name: "a password under a comment about an existing Secret's name", path: 'charts/db/values.yaml', code: 'auth:\n  # -- Password for the admin user. Alternatively, set the name of an existing secret\n  secret: prod-db-pass-2024\n', errors: [{ line: 3 }] },
      { name: 'a Secret-name comment two lines above', path: 'charts/db/values.yaml', code: 'tls:\n  # the secret name that contains the client certificate\n  # (see the docs)\n  clientRootSecret: cockroachdb-root\n', errors: [{ line: 4 }] },
      { name: 'a comment naming a password key, not a Secret object', path: 'charts/db/values.yaml', code: 'auth:\n  # password key name: the value below\n  adminSecret: horse-battery\n', errors: [{ line: 3 }] },
      { name: 'a one-word value under a Secret-name comment', path: 'charts/db/values.yaml', code: 'tls:\n  # secret name of the client certificate\n  clientRootSecret: hunter2pass\n', errors: [{ line: 3 }] },
      { name: 'a Secret-name comment not directly above (a blank line between)', path: 'charts/db/values.yaml', code: 'tls:\n  # secret name of the client certificate\n\n  clientRootSecret: cockroachdb-root\n', errors: [{ line: 4 }] },
      {
        name: "a chart's default object store secret key in its values.yaml (a word): medium, saying every install shares it",
        files: { 'deploy/registry/Chart.yaml': CHART_YAML, 'deploy/registry/values.yaml': 'blobStore:\n  enabled: true\n  secretKey: bluewhale\n' },
        errors: [{ path: 'deploy/registry/values.yaml', line: 3, severity: 'medium', message: /a chart's default, which every install that does not override it shares/ }]
      },
      {
        name: "a random-looking secret key in a chart's values.yaml is someone's secret: high",
        files: { 'deploy/registry/Chart.yaml': CHART_YAML, 'deploy/registry/values.yaml': 'blobStore:\n  enabled: true\n  secretKey: "Qx7-lm2!pz9Rt4vW8sKd"\n' },
        errors: [{ path: 'deploy/registry/values.yaml', line: 3, severity: 'high' }]
      },
      { name: 'the same word secret key in a values.yaml of no chart: high', path: 'deploy/registry/values.yaml', code: 'blobStore:\n  enabled: true\n  secretKey: bluewhale\n', errors: [{ line: 3, severity: 'high' }] },
      line2(`client_secret: ${STRONG}`, {}, undefined, 'config/values.yaml'),
      line2(`  "secret": "${STRONG}",`, { severity: 'info' }, 'a SAM test event payload is info', 'fn/events/message.json'),
      { name: 'a bare secretKey is an object store secret, not a key of a named Secret', path: 'chart/values.yaml', code: 'store:\n  secretName: ""\n  secretKey: warehouse2024\n', errors: [{ line: 3 }] },
      { name: 'a random value beside a Secret name is still a secret', path: 'chart/values.yaml', code: `agentSecretName: ""\nagentSecretKey: "${STRONG}"\n`, errors: [{ line: 2 }] },
      { name: 'base64 of a real-looking secret is still one', path: 'manifests/dex/config.yaml', code: `staticClients:\n  - id: web\n    secret: ${b64('Zq7xR4p!wLm9kTs2')}\n`, errors: [{ line: 3 }] },
      { name: "Meta's app secret is a secret (its last word is not `meta`)", path: 'config/values.yaml', code: `META_APP_SECRET: "${STRONG}"\n`, errors: [{ line: 1 }] },
      { name: 'a variable without such a description keeps its finding', path: 'infra/variables.tf', code: `variable "app_secret" {\n  type        = string\n  description = "Secret for the app"\n  default     = "${STRONG}"\n}\n`, errors: [{ line: 4 }] },
      { name: 'a secret key that is the name of the product whose files hold it: its factory default, medium', path: 'glitchtip/config.sample.yml', code: 'uploads:\n  access_key: glitchtip\n  secret_key: glitchtip\n', errors: [{ line: 3, severity: 'medium', message: /the name of the product these files configure, its factory default/ }] },
      { name: 'a chosen secret key beside the product name stays high', path: 'glitchtip/config.sample.yml', code: 'uploads:\n  secret_key: Gl1tch-Upl0ad-88\n', errors: [{ line: 2, severity: 'high' }] }
    ]
  },
  'secrets/hardcoded-token': {
    valid: [
      quiet('variable "manifest_pr_bot_github_token" {\n  type      = string\n  sensitive = true\n  default   = "stagingonly"\n}', "a default naming the environment that holds the real value", 'env/variables.tf'),
      quiet("              token={connection?.token || ''}", 'a JSX expression with an empty fallback', 'app/components/GitHubRepositorySelector.tsx'),
      quiet("              tokenSeparators={[',', ' ']}", "a tag input's separators", 'frontend/src/container/OrganizationSettings/EmailTagInput.tsx'),
      quiet("  'ExchangeTokenBy.TokenExchange': 'Token exchange',", "an event's label in the key's own words", 'packages/console/src/consts/logs.ts'),
      quiet('    "access_token": "eyJhbG...2g", // Use this value', 'an example cut short by an ellipsis', 'packages/core/src/routes/swagger/consts.ts'),
      quiet("  apiTokenKey: 'HuggingFace_API_KEY',", "the name of the variable a key is read from", 'app/lib/modules/llm/providers/huggingface.ts'),
      quiet('  token: "telegram bot token"', 'words naming what goes there', 'docker/ddns/config/ddns.yml'),
      quiet('      tokenMask: "nnnn-nnnn-nnnn",', "an input field's mask for a token", 'frontend/src/page/connect.vue'),
      quiet('      token: "ARB-ETH",\n      label: "Arbitrum",', "a currency's ticker symbol beside a chain's settings", 'web/src/auth/Web3Auth.js'),
      { name: "an audit log's hashed token", path: 'monitoring/vault-audit.log', code: '{"auth":{"client_token":"hmac-sha256:bd6dd75911924ab82f9dcfa7adae6b821423f0f6b02a5f00343247bde2671d67"}}\n' },
      { name: "a JWT's header alone, base64 of its algorithm and type: no token", path: 'svc/oauth.json', code: '{\n  "access_token": "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9",\n  "expires_in": "30"\n}\n' },
      quiet('token_status: revoked-by-admin', "a setting about the token's state", 'config/app.yaml'),
      quiet('secret_strategy: rotate-weekly', 'a setting about how the secret is made', 'config/app.yaml'),
      quiet('[*.md]\nTokenIgnores = (\\*\\*\\{\\w*\\}\\*\\*)', "a prose linter's patterns of words to leave alone", '.vale.ini'),
      quiet('            "TUNNEL_TOKEN={$cloudflare_token}",', "a PHP variable interpolated into an assignment", 'app/Actions/Server/ConfigureCloudflared.php'),
      quiet('    body: {\n      token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",\n      team_id: "T024BE7LD",', "the verification token of Slack's Events API examples", 'src/handAuthored/slack.ts'),
      quiet('    checkout_token: "20585787a5a40274b6b34511d2f637e92",', "a shop checkout's id, named like a token", 'scripts/dev/simulate-webhook.ts'),
      quiet('      "token": "123456abcd",', 'digits counting up, then letters in order', 'src/handlers/sample.ts'),
      quiet('            token={page?.createdAt?.getTime().toString()}', 'a JSX expression with calls and optional chains', 'apps/status-page/src/app/layout.tsx'),
      quiet("        hideJWTToken={() => setToken('')}", 'a JSX handler, an arrow function clearing the token', 'ui/src/app/settings/project-details.tsx'),
      quiet('  token: "OAuth Bearer Token",', 'a label naming the credential', 'apps/web/lib/saml.ts'),
      quiet('  opaqueAccessToken: "fboa_",', "a token's prefix alone", 'apps/web/modules/auth/options.ts'),
      quiet('          UPSTASH_REDIS_REST_TOKEN: "e2e_srh_token"', "an end-to-end set-up's own value, in words", 'scripts/e2e-env.sh'),
      quiet('export const en = {\n  token: "Access token",\n}', 'a sentence-case label naming the credential', 'web/src/i18n/labels.ts'),
      quiet('kind: PrivateLoadZone\nspec:\n  token: acme-k6-token\n', 'a value naming what it stands for, with a digit', 'deploy/zone.yaml'),
      quiet("token = r['NextToken']", 'subscript read', 'scripts/list.py'),
      quiet("API_TOKEN='0123456789abcdef0123456789abcdef01234567'", 'the hexadecimal digits in order: a default anyone can see is one', 'docker/entrypoint.sh'),
      quiet("      securityToken:\n        description: 'The caller''s temporary\n          security token. For more details, see: https://help.acme-cloud.com/sts/100.htm'\n        type: string", 'a wrapped line of a CRD description', 'crds/bindings.yaml'),
      quiet('payload = {\n    "TaskToken": "{% $states.context.Task.Token %}",\n}', 'a Step Functions JSONata expression', 'stacks/flow.py'),
      quiet('  API_TOKEN_NOTE="(from \\$API_TOKEN)"', 'a note in brackets quoting a variable', 'scripts/deploy.sh'),
      quiet('{\n  "dependencies": {\n    "jsonwebtoken": ">=9.0.0",\n    "token-cache": "^2.1.x"\n  }\n}', 'dependency versions named like tokens', 'app/package.json'),
      quiet('{\n  "bin": {\n    "deploy-apikey-stack": "bin/deploy-apikey-stack.js"\n  }\n}', 'a script path under a name holding apikey', 'app/package.json'),
      quiet('# Payload:\n#   "authorizationToken": "ExampleAUTHtoken123123123",\n', 'a stand-in that says it is an example', 'lib/authorizer/app.py'),
      quiet('{\n  "ListWidgets": {\n    "input_token": "NextToken",\n    "output_token": "NextPageToken"\n  },\n  "ListGadgets": {\n    "input_token": "Marker",\n    "output_token": "GadgetList.NextMarker"\n  }\n}', 'an API model naming its paging fields', 'layer/python/sdk/data/paginators-1.json'),
      quiet('token = event.resultToken', 'attribute read', 'scripts/handler.py'),
      quiet(`{\n  "Input": {\n    "taskToken": "${fake(120, 98)}"\n  }\n}`, "a Step Functions task token names the task a callback completes", 'workflow/statemachine.asl.json'),
      quiet('token_ttl: 3600', 'duration setting', 'config/values.yaml'),
      quiet('token = get_token(session)', 'function call', 'scripts/auth.py'),
      quiet('ServiceToken: lookupHandlerArn', 'custom resource handler ARN', 'config/stack.yaml'),
      quiet('{\n  "LifecycleActionToken": "0b6c1f7e-5d2a-4c3b-9e8f-7a6b5c4d3e2f"\n}', 'lifecycle action id', 'config/hook.json'),
      quiet('"ClientRequestToken": "deploy-2024-retry-7"', 'idempotency key', 'config/request.json'),
      quiet('resource "aws_efs_file_system" "data" {\n  creation_token = "app-data-fs-01"\n}', 'EFS creation token (idempotency key)', 'infra/efs.tf'),
      quiet('vault write auth/approle/role/ci \\\n    token_num_uses=10 \\\n    token_ttl=20m', 'settings about a token, continued lines', 'scripts/vault.sh'),
      quiet("access_token_lifetime: '14400s'", 'a token lifetime', 'config/auth.yaml'),
      quiet('var names = [...]string{\n\ttokenIllegal: "ILLEGAL",\n\ttokenIdent:   "IDENT",\n}', 'a lexer naming its token kinds', 'pkg/lexer/token.go'),
      quiet('\t\tClientToken: "mock",', 'a mock value', 'pkg/auth/client.go'),
      quiet(`tiktoken==0.13.0 \\\n    --hash=sha256:${fake(64, 78, HEX)}`, 'a pip pin of a package whose name ends in token', 'requirements.txt'),
      quiet('pingdom:\n  apiToken: "YourPingdomApiToken"', 'a value asking for your own token', 'chart/values.yaml'),
      quiet('initialClusterToken: "etcd-cluster-prod"', 'etcd initial cluster token (an id seed)', 'chart/values.yaml'),
      quiet('script: |\n  fetch(repo_id=model_id,\n        token=access_token)', 'a keyword argument in a script block', 'chart/templates/job.yaml'),
      quiet('pages = paginate(\n    items,\n    token_generator=lambda item: page_token(item["Arn"]),\n)', 'a keyword argument holding a lambda', 'svc/provider.py'),
      quiet(`export function Footer() {\n  return <script defer src="/beacon.min.js" data-cf-beacon='{"token": "${fake(32, 96, HEX)}"}'></script>\n}`, "Cloudflare Web Analytics' beacon token, published in every page", 'website/src/Footer/index.js'),
      {
        name: 'a variable in JavaScript embedded in a ConfigMap under a script-named key',
        path: 'chart/templates/configmap-scripts.yaml',
        code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scripts\ndata:\n  manage-token.js: |\n    const secretData = JSON.stringify({\n      "data": {\n        "token": tokenBase64,\n      },\n      "auth": {\n        "apiToken": rawToken2\n      }\n    })\n'
      },
      quiet('script: |\n  const body = {\n    "token": base64Token,\n  }\n', 'a quoted key before a bare name and a comma: code, not YAML', 'deploy/job.yaml')
    ],
    invalid: [
      { name: 'random lower-case letters as a default under a token\'s name: reported', path: 'infra/main.tf', code: 'variable "slack_api_token" {\n  type    = string\n  default = "xqzvmkwprtlbnhsdgfjcyaoe"\n}\n', errors: [{ line: 3, severity: 'high' }] },
      { name: "a token variable's random default: still reported", path: 'env/variables.tf', code: 'variable "github_manifests_workflow_token" {\n  type      = string\n  default   = "Xk9mP2qL7wRt4vQz8aB3"\n}\n', errors: [{ line: 3, severity: 'high' }] },
      line2('API_TOKEN_DELIMITER=Xk29dL0qPw8xVn3Rt7YmQa5B', {}, 'a random value under a separator\'s key', '.env'),
      line2('API_TOKEN={"algorithm":"plain","values":["Acm3Tok3n99"]}', {}, 'a list at the top of the JSON holds values, not parameters', '.env'),
      line2('  access_token: "eyJhbGciOiJIUzI1NiJ9...x"', {}, 'an ellipsis after a long run is not an example cut short', 'src/config.ts'),
      line2('API_TOKEN=XKPQWZ-MNBVCR', {}, "an activation code's shape under a token's key that is not just `token`", 'deploy/.env'),
      line2('api_token: test_token_qwhdkfjeoqpwNvmzkdla', {}, 'a test marker before a long random part with a capital', 'config/app.yaml'),
      line2('        .with_body(json!({"ok": true, "token": "Zq8sLm3nP0vR7tYwK2xx"}).to_string())', { severity: 'info', message: /test/ }, "a Rust module's tests (`mod tests;`): for information", 'crates/network/src/auth/tests.rs'),
      {
        name: 'a Rust file named for tests that holds test functions (its parent declares it `#[cfg(test)] mod test_classic_login;`)',
        path: 'crates/auth/src/login/test_classic_login.rs',
        code: '#[tokio::test]\nasync fn login() {\n    let body = json!({"ok": true, "token": "Zq8sLm3nP0vR7tYwK2xx"});\n}\n',
        errors: [{ line: 3, severity: 'info', message: /test/ }]
      },
      ...['crates/auth/src/testsuite.rs', 'src/bin/test.rs', 'src/commands/test_connection.rs', 'src/health/smoke_test.rs'].map((path) => ({
        name: `a Rust file named like a test with no test function in it: ${path}`,
        path,
        code: 'fn connect() {\n    let body = json!({"ok": true, "token": "Zq8sLm3nP0vR7tYwK2xx"});\n}\n',
        errors: [{ line: 2, severity: 'high' as const }]
      })),
      {
        name: 'feature code named ab_test.rs with a test module inside: only the module is test code',
        path: 'src/experiments/ab_test.rs',
        code: 'fn connect() {\n    let body = json!({"ok": true, "token": "Zq8sLm3nP0vR7tYwK2xx"});\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn works() {}\n}\n',
        errors: [{ line: 2, severity: 'high' }]
      },
      line2('[auth]\nToken = Zq8sLm3nP0vR7tYwK2xx', { line: 3 }, 'a token key whose last word is no setting about it', 'config/app.ini'),
      line2("        apiToken={() => 'Zq8sLm3nP0vR7tYwK2xx'}", {}, 'a JSX arrow function returning a quoted literal', 'ui/src/app/settings/project-details.tsx'),
      line2('api_token: test_token_qwhdkfjeoqpwnvmzkdla', {}, 'a test marker before a long random part', 'config/app.yaml'),
      line2('CHECKOUT_TOKEN=Zq8sLm3nP0vR7tYwK2xx', {}, 'an UPPER_CASE setting named for a checkout may hold a credential'),
      { name: 'a file named for samples may hold captured payloads', path: 'data/webhook-samples.json', code: '[\n  { "token": "Zq8sLm3nP0vR7tYwK2xx" }\n]\n', errors: [{ line: 2 }] },
      line2('            token={"Zq8sLm3nP0vR7tYwK2xx"}', {}, 'a JSX expression holding a string literal', 'apps/web/src/app/layout.tsx'),
      line2('  api_token: "test-9fK2mQ7xLp3vR8tZ",', {}, 'a test marker before a random part', 'src/config.ts'),
      line2(`api_token: ${STRONG}`, {}, undefined, 'config/values.yaml'),
      { ...line2(`update_token: ${STRONG}`, {}, undefined, 'config/ddns.yaml'), name: 'a dynamic-DNS update token is a credential' },
      { ...line2(`clusterToken: ${STRONG}`, {}, undefined, 'chart/values.yaml'), name: 'a cluster join token is a credential' },
      { name: 'a token in JSON outside a beacon attribute', path: 'web/config.json', code: `{\n  "token": "${fake(32, 97, HEX)}"\n}\n`, errors: [{ line: 2 }] },
      {
        name: 'a quoted string in an embedded script is still a literal',
        path: 'chart/templates/configmap-scripts.yaml',
        code: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scripts\ndata:\n  notify.py: |\n    payload = {\n        "token": "${STRONG}",\n    }\n`,
        errors: [{ line: 8 }]
      },
      {
        name: 'a random-looking value without quotes in an embedded script is still reported',
        path: 'chart/templates/configmap-scripts.yaml',
        code: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scripts\ndata:\n  notify.js: |\n    const payload = {\n      "token": ${fake(22, 98)},\n    }\n`,
        errors: [{ line: 8 }]
      },
      {
        name: 'a bare word in an embedded shell script is a string',
        path: 'chart/templates/configmap-scripts.yaml',
        code: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scripts\ndata:\n  entrypoint.sh: |\n    API_TOKEN=${STRONG}\n    exec app\n`,
        errors: [{ line: 7 }]
      }
    ]
  },
  'secrets/hardcoded-api-key': {
    valid: [
      quiet('Parameters:\n  OpenAiApiKey:\n    Type: String\n    NoEcho: true\n    Default: prodonly', "a template parameter's default that is a word", 'cfn/app.yaml'),
      quiet("        apiKey={props.apiKeys[props.provider.name] || ''}\n        setApiKey={(key) => {", "a JSX attribute with an empty fallback, and a handler whose block goes on", 'app/components/chat/ChatBox.tsx'),
      quiet('    <x-pagination :items="$projects"\n        storage-key="coolify.page-size.projects" :options="[12, 24, 48, 96]" />', 'lower-case words in dotted parts: a stored setting\'s name', 'resources/views/livewire/project/index.blade.php'),
      quiet("} = useColorMode({\n  storageKey: 'woodpecker:theme',\n});", "a stored item's name with a colon between its words", 'web/src/compositions/useTheme.ts'),
      quiet("  const [dismissed, setDismissed] = useLocalStorage({\n    storageKey: 'alert-rules',", "lower-case words joined by hyphens: a stored item's name", 'frontend/src/container/ListAlertRules/index.tsx'),
      quiet('      <DataTable\n        columnStorageKey="triggered-alerts-grouped-columns"', "a table's stored columns, by name", 'frontend/src/container/TriggeredAlerts/index.tsx'),
      quiet('    <Banner\n      storageKey="no-auth-banner-v1"', 'words and a version last', 'frontend/src/components/NoAuthBanner/NoAuthBanner.tsx'),
      quiet('model_list:\n  - litellm_params:\n      api_key: os.environ/OPENAI_API_KEY', "LiteLLM's reference to a variable", 'config/litellm.yaml'),
      quiet('    ingestion_api_key: "pk-lf-1234567890",', "a key's prefix, then digits counting up", 'packages/shared/src/server/factory.ts'),
      quiet('<DownloadButton\n  query={props.query}\n  apiKey={props.apiKey}\n>', "a JSX attribute's expression", 'client/app/Dropdown.jsx'),
      quiet('export SHOP_MANAGEMENT_API_KEY=super-secret-management-api-key', 'a value naming what it stands for', 'backend/scripts/_env'),
      quiet("    output = render_template('settings.html',\n        api_key=datastore.data['settings']['application'].get('api_access_token'),\n        x=1)", 'a keyword argument given a call on subscripts', 'app/blueprint/settings.py'),
      quiet('Parameters:\n  LicenseKey:\n    Type: String\n    Default: 12345678-0987-1234-5678-123456789012\n', "a license key's default typed as counting digits", 'deploy/stack.yaml'),
      quiet('parameters:\n  VendorLicenseKey: ---overridden---\n  PartnerApiKey: REDACTED\n', 'values a test config marks as taken out', 'deploy/taskcat.yml'),
      quiet('api_key: ${API_KEY}', 'reference', 'config/values.yaml'),
      quiet(`{\n  "storageAccountAccessKey": "[listkeys(parameters('storageId'), '2019-06-01').keys[0].value]"\n}`, 'an ARM template expression', 'policies/vulnerability.json'),
      quiet('client = connect(\n    aws_secret_access_key=aws_secret_access_key or DEFAULT_SECRET_ACCESS_KEY,\n)', 'a keyword argument: a name or a constant', 'svc/connect.py'),
      quiet('report = dict(\n    api_key=lookup_api_key() or "",  # never None\n)', 'a keyword argument: a call or an empty string', 'svc/report.py'),
      quiet("const key = options.apiKey || process.env.API_KEY", 'two names joined by ||', 'web/client.ts'),
      quiet(`params:\n  docs_search: true\n  docs_search_index_name: projectcontour\n  docs_search_api_key: ${fake(32, 91, HEX)}\n  docs_search_app_id: IW9YQMJ8HH\n`, "a site's search key by name, beside its app id and index name", 'site/config.yaml'),
      quiet(`module.exports = {\n  themeConfig: {\n    algolia: {\n      appId: 'Q1W2E3R4T5',\n      apiKey: '${fake(32, 91, HEX)}',\n      indexName: 'docs',\n    },\n  },\n}`, "DocSearch's search-only key beside its app id and index", 'website/docusaurus.config.js'),
      quiet('objectStore:\n  enabled: true\n  accessKey: shop-logs\n  secretKey: Qv7-Lm2x-Pz9k\n', 'an access key beside its secret key: the login half of the pair', 'charts/logs/values.yaml'),
      quiet('storage:\n  secret_key: Qv7-Lm2x-Pz9k\n  bucket: logs\n  access_key: shop-logs\n', 'the secret key above the access key, in the same mapping', 'deploy/storage.yaml'),
      quiet('BLOB_ACCESS_KEY=shop-logs\nBLOB_SECRET_KEY=Qv7-Lm2x-Pz9k\n', 'an env-style pair in one block', 'deploy/store.env'),
      quiet('services:\n  app:\n    environment:\n      - MINIO_ACCESS_KEY=shop-logs\n      - MINIO_SECRET_KEY=Qv7-Lm2x-Pz9k\n', 'a compose list pair', 'deploy/compose.yaml')
    ],
    invalid: [
      { name: "a search key's name beside another product's app id and index name: reported", path: 'web/.env', code: `FIREBASE_APP_ID=1:1234:web:abcd\nALGOLIA_SEARCH_API_KEY=${fake(32, 91, HEX)}\nELASTIC_INDEX_NAME=products\n`, errors: [{ line: 2, severity: 'high' }] },
      { name: 'a search key named with another word (a crawler may write the index): reported', path: 'site/config.yaml', code: `params:\n  docs_search_index_name: docs\n  docsearch_crawler_api_key: ${fake(32, 91, HEX)}\n  docs_search_app_id: IW9YQMJ8HH\n`, errors: [{ line: 3, severity: 'high' }] },
      { name: "another product's search key beside an app id and an index name: reported", path: 'bot/.env', code: 'MicrosoftAppId=5b3c2f7e-1a2b-4c3d-9e8f-0a1b2c3d4e5f\nAZURE_SEARCH_INDEX_NAME=products\nAZURE_SEARCH_API_KEY=Xq8vN2pLx7RtZ4wY9mBcD3fGhJ5kL1nPq8vN2pLx7RtZAzSeB4kQ\n', errors: [{ line: 3, severity: 'high' }] },
      { name: 'an access key of words without the account:user colon (a passphrase some services take as the key): reported', path: 'config/production.yaml', code: 'relay:\n  url: https://relay.internal.acme.io\n  access_key: tangerine-walrus-orbit-lantern-pebble\n', errors: [{ line: 3, severity: 'high' }] },
      { name: "random letters as a variable's default under a key's name: reported", path: 'infra/main.tf', code: 'variable "datadog_api_key" {\n  type    = string\n  default = "QWZXKVMPRTLBNHSDGFJCYAOEUIWQRTPL"\n}\n', errors: [{ line: 3, severity: 'high' }] },
      { name: 'an Algolia key not named for search, beside the app id and index (it may be the admin key): reported', path: 'deploy/app.env', code: `ALGOLIA_APP_ID=IW9YQMJ8HH\nALGOLIA_API_KEY=${fake(32, 91, HEX)}\nALGOLIA_INDEX_NAME=docs\n`, errors: [{ line: 2, severity: 'high' }] },
      { name: "a template parameter's random default: still reported", path: 'cfn/app.yaml', code: 'Parameters:\n  OpenAiApiKey:\n    Type: String\n    Default: Xk9mP2qL7wRt4vQz8aB3\n', errors: [{ line: 4, severity: 'high' }] },
      { name: "the Azure Storage emulator's published account key under a key's name: low, saying so", path: 'integration/util/config-backend-azure.yaml', code: 'storage:\n  azure:\n    storage_account_name: devstoreaccount1\n    storage_account_key: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="\n', errors: [{ line: 4, severity: 'low', message: /Azure Storage emulator's account `devstoreaccount1` \(Azurite\)/ }] },
      line2('    labels:\n      traefik.http.middlewares.crowdsec.plugin.bouncer.crowdseclapikey: 40796d93c2958f9e58345514e67740e5', { line: 3 }, "a compose service's labels set a plugin's key", 'docker-compose.yml'),
      line2('STORAGE_KEY=correct-horse-battery-staple', {}, "an environment's storage key in words is a passphrase, not a stored item's name", '.env'),
      line2("        apiKey={'Kq8vLm3nP0vR7tYx' || ''}", {}, 'a quoted literal in a JSX expression is still a literal', 'app/components/chat/ChatBox.tsx'),
      line2('api_key: Zq8sLm3n.P0vR7tYw.x9Kp2mW', {}, 'dotted parts with capitals and digits', 'config/app.yaml'),
      line2('AZURE_STORAGE_ACCOUNT_KEY=correct-horse-battery-staple', {}, 'words under a key that also names an account: a weak secret, not a stored item', '.env'),
      line2('storageKey: "Kq8vLm3nP0vR7tYx9w2Z"', {}, 'a random value under a stored item\'s key', 'src/store.ts'),
      line2('    ingestion_api_key: "Zq8sLm3nP0vR7tYw",', { severity: 'info' }, 'a test helper folder', 'packages/shared/src/server/test-utils/tracing-factory.ts'),
      line2('api_key: "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}"', {}, 'a GUID in braces is no slot'),
      line2('api_key: "{a1b2c3d4e5f60718}"', {}, 'random characters in braces are no slot'),
      line2('ingestion_api_key: "sk-lf-1234567890abcdef9q8w"', {}, 'a counting run with more after it'),
      line2('api_key: "sk-lf-9f8e7d6c5b4a3921"', {}, 'a prefix and a random body'),
      line2('API_KEY=Xk9mQ2pL(Z3abcQ9), region=us', { severity: 'high' }, 'outside code, a call-like value before a comma is a value', '.env'),
      { name: 'words that do not name the key are a passphrase', path: 'backend/scripts/_env', code: 'export SHOP_MANAGEMENT_API_KEY=correct-horse-battery-staple\n', errors: [{ line: 1 }] },
      { name: 'a call on subscripts given a literal that could be the key', path: 'app/settings.py', code: "client = Client(\n    api_key=data['x'].get(Xk9mP2qL7wRt4vQz8),\n)\n", errors: [{ line: 2 }] },
      { name: 'a call on subscripts given a quoted random literal', path: 'app/settings.py', code: "client = Client(\n    api_key=data['x'].get('Xk9mP2qL7wRt4vQz8aB3'),\n)\n", errors: [{ line: 2 }] },
      { name: 'a secret key equal to its key id (a local object store login): medium', path: 'docker/dev/defaults.env', code: 'AWS_ACCESS_KEY_ID=shop-devenv\nAWS_SECRET_ACCESS_KEY=shop-devenv\n', errors: [{ line: 2, severity: 'medium' }] },
      {
        name: 'an AWS-named secret not shaped like an AWS key (a MinIO login): medium, saying why',
        path: 'scripts/store-credentials.sh',
        code: 'cat > /tmp/credential <<EOF\n[default]\naws_access_key_id=store\naws_secret_access_key=store-Wq8zr4Lm\nEOF\n',
        errors: [{ line: 4, severity: 'medium', message: /not shaped like an AWS secret access key/ }]
      },
      line2(`api_key: ${STRONG}`, {}, undefined, 'config/values.yaml'),
      {
        name: "a chart's default API key in its values.yaml (a word and a number): medium, saying every install shares it",
        files: { 'deploy/registry/Chart.yaml': CHART_YAML, 'deploy/registry/values.yaml': 'notifier:\n  apiKey: widget2024\n' },
        errors: [{ path: 'deploy/registry/values.yaml', line: 2, severity: 'medium', message: /a chart's default, which every install that does not override it shares/ }]
      },
      {
        name: "a random-looking API key in a chart's values.yaml: high",
        files: { 'deploy/registry/Chart.yaml': CHART_YAML, 'deploy/registry/values.yaml': `notifier:\n  apiKey: ${STRONG}\n` },
        errors: [{ path: 'deploy/registry/values.yaml', line: 2, severity: 'high' }]
      },
      { name: 'a literal api key passed as a keyword argument', path: 'svc/report.py', code: `report = dict(\n    api_key="${STRONG}",\n)\n`, errors: [{ line: 2 }] },
      { name: 'an access key without a secret key in its mapping stays reported', path: 'charts/logs/values.yaml', code: 'objectStore:\n  accessKey: shop-logs-Qv7Lm2\nother:\n  secretKey: Qv7-Lm2x-Pz9k\n', errors: [{ line: 2, severity: 'high' }] },
      { name: 'an env-style secret key in another block does not pair', path: 'deploy/store.env', code: 'BLOB_ACCESS_KEY=shop-logs-Qv7Lm2\n\nBLOB_SECRET_KEY=Qv7-Lm2x-Pz9k\n', errors: [{ line: 1, severity: 'high' }] },
            { name: 'an apiKey without the DocSearch siblings', path: 'web/config.js', code: `module.exports = {\n  payments: {\n    apiKey: '${fake(32, 92, HEX)}',\n  },\n}\n`, errors: [{ line: 3 }] }
    ]
  },
  'secrets/hardcoded-private-key': {
    valid: [
      quiet('private_key: ${PRIVATE_KEY}', 'reference', 'config/values.yaml'),
      quiet('repo_secrets: |\n  SIGNING_PRIVATE_KEY=ci-signing-key:private_key\n  SIGNING_PASSPHRASE=ci-signing-key:passphrase', 'names mapped to vault path and field', 'build/pipeline.yaml'),
      quiet('mail_crypt_global_private_key = </mail_crypt/ecprivkey.pem', "dovecot's `<` reads the value from the file named", 'data/conf/dovecot/dovecot.conf')
    ],
    invalid: [line2(`private_key: ${STRONG}`, {}, undefined, 'config/values.yaml')]
  },
  'secrets/hardcoded-connection-string': {
    valid: [
      quiet('connection_string: db.internal:5432', 'host:port', 'config/values.yaml'),
      quiet('connection_string: "Server=tcp:db.example.com,1433;Initial Catalog=app;Authentication=Active Directory Default"', 'no credential (managed identity)', 'config/values.yaml'),
      quiet('redis_connection_string: redis://cache:6379/0', 'URL without a password', 'config/values.yaml'),
      quiet("\"value\": \"[concat('Server=', variables('srv'), ';User Id=app;Password=', parameters('dbPassword'), ';')]\"", 'password from a parameter', 'infra/azuredeploy.json'),
      quiet('"Default": "Server=myServerAddress;Database=myDataBase;User Id=myUsername;Password=myPassword;"', 'documentation placeholder values', 'config/appsettings.json'),
      quiet('export PASSWORD=$DB_PASSWORD; ./migrate', 'shell line, not a connection string', 'scripts/run.sh'),
      quiet('variable "connection_string_value" {\n  type    = string\n  default = "Server=myserver;Integrated Security=SSPI"\n}', "a variable's default that signs in as the Windows user: no credential in it", 'quickstart/variables.tf')
    ],
    invalid: [
      line2(`connection_string: AuthType=ClientSecret;Url=https://org.crm.dynamics.com;ClientId=app;ClientSecret=${STRONG}`, {}, "a Dataverse connection string's ClientSecret= (a secret word run into another)", 'config/values.yaml'),
      line2(`connection_string: Server=db;Database=app;User Id=app;Password=${STRONG};`, {}, undefined, 'config/values.yaml'),
      { name: "a variable's default with a password in it", path: 'quickstart/variables.tf', code: `variable "connection_string_value" {\n  type    = string\n  default = "Server=myserver;User Id=app;Password=${STRONG}"\n}\n`, errors: [{ line: 3 }] },
      ...[
        `Endpoint=https://prod-hub.service.signalr.net;AccessKey=${b64(fake(32, 201))};Version=1.0;`,
        `app:${STRONG}@tcp(db.prod:3306)/app`,
        `jdbc:oracle:thin:appuser/${STRONG}@db.prod.internal:1521/ORCLPDB1`,
        `mongodb+srv://app:${fake(6, 202)}/${fake(8, 203)}@cluster0.prod.mongodb.net/prod`,
        `Server=prod;Database=app;User=sa;Pass=${STRONG};`
      ].map((value) => ({ name: `a variable's default carrying a credential: ${value.split(/[;:=]/)[0]}…`, path: 'infra/variables.tf', code: `variable "app_connection_string" {\n  type    = string\n  default = "${value}"\n}\n`, errors: [{ line: 3 }] })),
      {
        name: "a chart's default connection string in its values.yaml: medium",
        files: { 'deploy/shop/Chart.yaml': CHART_YAML, 'deploy/shop/values.yaml': 'env:\n  - name: DB_CONNECTION_STRING\n    value: Host=shop-db;Username=shop;Password=shop_password;Database=shop\n' },
        errors: [{ path: 'deploy/shop/values.yaml', line: 3, severity: 'medium', message: /a chart's default/ }]
      },
      {
        name: "a random password in a chart's connection string: high",
        files: { 'deploy/shop/Chart.yaml': CHART_YAML, 'deploy/shop/values.yaml': `env:\n  - name: DB_CONNECTION_STRING\n    value: Host=shop-db;Username=shop;Password=${STRONG};Database=shop\n` },
        errors: [{ path: 'deploy/shop/values.yaml', line: 3, severity: 'high' }]
      },
      line2(`"value": "[concat('Database=', variables('db'), ';User Id=', parameters('login'), ';Password=${STRONG}')]"`, { message: /literal `Password=`/ }, 'password inside a template-built connection string', 'infra/azuredeploy.json'),
      {
        name: "a workflow's connection string whose password is words and a number: medium, saying why",
        path: '.github/workflows/test-database.yml',
        code: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: dotnet test\n        env:\n          BW_TEST_DATABASES__0__CONNECTIONSTRING: "Host=localhost;Username=postgres;Password=SET_A_PASSWORD_HERE_123;Database=vault_dev"\n',
        errors: [{ line: 8, severity: 'medium', message: /whose password is words and a number/ }]
      },
      {
        name: "a workflow's connection string with a generated password: high",
        path: '.github/workflows/test-database.yml',
        code: `on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: dotnet test\n        env:\n          DB_CONNECTIONSTRING: "Host=db.internal;Username=app;Password=${STRONG};Database=app"\n`,
        errors: [{ line: 8, severity: 'high' }]
      }
    ]
  },
  'secrets/high-entropy-value': {
    valid: [
      quiet('signing_key: key-id-1', 'short name', 'config/values.yaml'),
      quiet('export SHOP_VORTEX_SHARED_KEY=super-secret-vortex-api-key', 'words naming what the value stands for (two of the key words, its last among them)', 'backend/scripts/_env'),
      quiet(`encryption_key: ${[8, 4, 4, 4, 12].map((n, i) => fake(n, 80 + i, HEX)).join('-')}`, 'KMS key id', 'config/values.yaml'),
      quiet('encryption_key: alias/app-data-2024', 'KMS alias', 'config/values.yaml'),
      quiet('encryption_key: projects/shop-prod/locations/europe-west1/keyRings/storage/cryptoKeys/orders-bucket', 'Cloud KMS key path', 'config/values.yaml'),
      quiet(`encryption_key: https://vault-7.vault.azure.net/keys/app/${fake(32, 85, HEX)}`, 'key vault key URL', 'config/values.yaml'),
      quiet('encryption_key_arn: arn:aws:kms:eu-west-1:123456789012:key/app', 'names where the key is', 'config/values.yaml')
    ],
    invalid: [
      line2('csiSecret: Zq8sLm3nP0vR7tYwK2xx', { severity: 'medium' }, "the CSI driver's setting holding a generated value", 'config/app.yaml'),
      line2(`signing_key: ${fake(40, 60)}`, { severity: 'medium' }, undefined, 'config/values.yaml'),
      line2(`encryption_key: ${fake(24, 86)}`, { severity: 'medium' }, 'literal symmetric encryption key', 'config/values.yaml'),
      line2(`encryptionKey: ${fake(32, 87, HEX)}`, {}, 'camelCase, hex', 'config/values.yaml')
    ]
  }
}

