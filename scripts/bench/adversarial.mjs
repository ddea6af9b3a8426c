// Adversarial inputs per rule family, for the growth tests (__tests__/growth.test.ts) and the
// bench: each case is a file of about `bytes` bytes built around one construct that made a
// regular expression or a loop of the engine backtrack or rescan (quadratic time or worse).
// Shared so the tests and the bench measure the same inputs.

/** Repeats `unit` until the text is about `bytes` long. */
const fill = (unit, bytes) => unit.repeat(Math.max(1, Math.ceil(bytes / unit.length)))

/**
 * `count` strings of `length` characters from `alphabet`, the same on every run: a small linear
 * congruential generator, seeded with `seed`, so the bench and the tests scan identical files.
 */
const randomish = (count, length, alphabet, seed) => {
  let state = seed >>> 0
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0)
  return Array.from({ length: count }, () => Array.from({ length }, () => alphabet[(next() >>> 8) % alphabet.length]).join(''))
}

/**
 * About `bytes` of AWS credential pairs, one access key id line and one secret access key line
 * each: every secret is a hit of secretlint's AWS rule, judged against the key ids around it.
 */
const awsCredentialPairs = (bytes) => {
  const pair = 'AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\nAWS_SECRET_ACCESS_KEY=' + 'x'.repeat(40) + '\n'
  const count = Math.max(1, Math.ceil(bytes / pair.length))
  const ids = randomish(count, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 7)
  const secrets = randomish(count, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+', 11)
  return ids.map((id, i) => `AWS_ACCESS_KEY_ID=AKIA${id}\nAWS_SECRET_ACCESS_KEY=${secrets[i]}\n`).join('')
}

/**
 * About `bytes` of one Azure network security group on a subnet: per unit, an interface in the
 * subnet (no public IP), a Linux VM on it and a standalone rule of the group opening SSH to the
 * internet. Rules and interfaces grow together.
 */
const nsgOverInterfaces = (bytes) => {
  const head =
    'resource "azurerm_network_security_group" "nsg" {\n  name = "nsg"\n}\nresource "azurerm_subnet" "app" {\n  name = "app"\n}\n' +
    'resource "azurerm_subnet_network_security_group_association" "app" {\n  subnet_id                 = azurerm_subnet.app.id\n  network_security_group_id = azurerm_network_security_group.nsg.id\n}\n'
  const unit = (i) =>
    `resource "azurerm_network_interface" "n${i}" {\n  ip_configuration {\n    name      = "internal"\n    subnet_id = azurerm_subnet.app.id\n  }\n}\n` +
    `resource "azurerm_linux_virtual_machine" "vm${i}" {\n  network_interface_ids = [azurerm_network_interface.n${i}.id]\n}\n` +
    `resource "azurerm_network_security_rule" "r${i}" {\n  network_security_group_name = azurerm_network_security_group.nsg.name\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_address_prefix       = "*"\n  destination_port_range      = "22"\n}\n`
  const count = Math.max(1, Math.ceil((bytes - head.length) / unit(0).length))
  return head + Array.from({ length: count }, (_, i) => unit(i)).join('')
}

const workflow = (run) => `on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${run}\n`
const manifest = (tail) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n${tail}`
const template = (tail) => `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n${tail}`

/**
 * family → case → (bytes) → { path, kind, content }. Kinds follow src/types.ts FILE_KINDS;
 * `secrets` uses plain files, which only the secret scan reads.
 */
export const ADVERSARIAL = {
  dockerfile: {
    'ENV long value': (n) => ({ path: 'Dockerfile', kind: 'dockerfile', content: `FROM alpine:3.19\nENV A=${fill('x', n)}\n` }),
    'ENV legacy value with spaces': (n) => ({ path: 'Dockerfile', kind: 'dockerfile', content: `FROM alpine:3.19\nENV A x${fill(' ', n)}y\n` }),
    'ARG words without =': (n) => ({ path: 'Dockerfile', kind: 'dockerfile', content: `FROM alpine:3.19\nARG ${fill('A', n)}-\n` }),
    'ENV unclosed quotes': (n) => ({ path: 'Dockerfile', kind: 'dockerfile', content: `FROM alpine:3.19\nENV ${fill('A="\\"\\', n)}\n` }),
    'RUN many sh words': (n) => ({ path: 'Dockerfile', kind: 'dockerfile', content: `FROM alpine:3.19\nRUN ${fill('$sh\t', n)}\n` }),
    'unclosed ${ defaults': (n) => ({ path: 'Dockerfile', kind: 'dockerfile', content: `ARG A\nFROM img:${fill('${A-', n)}\n` }),
    'heredoc marker': (n) => ({ path: 'Dockerfile', kind: 'dockerfile', content: `FROM alpine:3.19\nRUN <<A${fill('0', n)}\n` })
  },
  compose: {
    'key then spaces': (n) => ({ path: 'compose.yaml', kind: 'compose', content: `services:\n  web:\n    image: nginx\n    environment:\n      KEY${fill(' ', n)}x: 1\n` }),
    'unclosed ${ in ports': (n) => ({ path: 'compose.yaml', kind: 'compose', content: `services:\n  web:\n    image: nginx\n    ports:\n      - "${fill('${', n)}"\n` }),
    'many services': (n) => ({
      path: 'compose.yaml',
      kind: 'compose',
      content: `services:\n${fill('  s:\n    image: nginx:latest\n    privileged: true\n'.replace('s:', 'sX:'), n).split('sX').map((p, i) => (i ? `s${i}${p}` : p)).join('')}`
    }),
    // Every service merges one anchored block: each alias is followed many times by the checks.
    'services merging an anchor': (n) => ({
      path: 'compose.yaml',
      kind: 'compose',
      content: `x-defaults: &defaults\n  image: nginx:latest\n  restart: always\nservices:\n${fill('  sX:\n    <<: *defaults\n    privileged: true\n', n).split('sX').map((p, i) => (i ? `s${i}${p}` : p)).join('')}`
    })
  },
  workflow: {
    'expression a[a[': (n) => ({ path: '.github/workflows/ci.yml', kind: 'workflow', content: workflow(`echo "\${{ ${fill('a[', n)} }}"`) }),
    'expression a + a': (n) => ({ path: '.github/workflows/ci.yml', kind: 'workflow', content: workflow(`echo "\${{ ${fill('a + ', n)}a }}"`) }),
    'unclosed ${{': (n) => ({ path: '.github/workflows/ci.yml', kind: 'workflow', content: workflow(`echo "${fill('${{', n)}"`) }),
    'run: then spaces': (n) => ({ path: '.github/workflows/ci.yml', kind: 'workflow', content: workflow(`${fill(' ', n)}x`) }),
    'git fetch and mvn words': (n) => ({ path: '.github/workflows/ci.yml', kind: 'workflow', content: workflow(fill('git fetch mvn gradle curl ', n)) }),
    // Each step fetches the head; whether a later step moves the workspace is asked of every one.
    'many steps fetching the head': (n) => ({
      path: '.github/workflows/ci.yml',
      kind: 'workflow',
      content: `on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${fill('      - run: git fetch origin ${{ github.head_ref }}\n', n)}`
    })
  },
  kubernetes: {
    'key then spaces': (n) => ({ path: 'k8s/pod.yaml', kind: 'kubernetes', content: manifest(`      env:\n        - name: A\n          value${fill(' ', n)}x\n`) }),
    'many containers': (n) => ({
      path: 'k8s/pod.yaml',
      kind: 'kubernetes',
      content: manifest(fill('    - name: c\n      image: nginx:latest\n      securityContext:\n        privileged: true\n', n))
    }),
    'tab run in a flow': (n) => ({ path: 'k8s/pod.yaml', kind: 'kubernetes', content: manifest(`      args: [${fill('\t', n)}#]\n`) })
  },
  cloudformation: {
    'key then spaces': (n) => ({ path: 'template.yaml', kind: 'cloudformation', content: template(`      BucketName${fill(' ', n)}x: 1\n`) }),
    'JSON escaped quotes': (n) => ({
      path: 'template.json',
      kind: 'cloudformation',
      content: `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"${fill('\\\\\\"', n)}"}}}}\n`
    }),
    'many resources': (n) => ({
      path: 'template.yaml',
      kind: 'cloudformation',
      content: `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${fill('  BX:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n', n).split('BX').map((p, i) => (i ? `B${i}${p}` : p)).join('')}`
    })
  },
  terraform: {
    'long string': (n) => ({ path: 'main.tf', kind: 'terraform', content: `resource "aws_s3_bucket" "b" {\n  bucket = "${fill('x', n)}"\n}\n` }),
    'many = signs': (n) => ({ path: 'main.tf', kind: 'terraform', content: `resource "aws_db_instance" "d" {\n  backup_retention_period = ${fill('=\t', n)}\n}\n` }),
    'many resources': (n) => ({
      path: 'main.tf',
      kind: 'terraform',
      content: fill('resource "aws_security_group_rule" "rX" {\n  type = "ingress"\n  cidr_blocks = ["0.0.0.0/0"]\n}\n', n).split('rX').map((p, i) => (i ? `r${i}${p}` : p)).join('')
    }),
    // Every open rule asks what the group guards: each interface of the subnet and what names it.
    'NSG rules over a subnet of many interfaces': (n) => ({ path: 'main.tf', kind: 'terraform', content: nsgOverInterfaces(n) })
  },
  secrets: {
    'word then dash': (n) => ({ path: 'notes.txt', kind: 'other', content: `${fill('A', n)}-\n` }),
    'JSON escaped quotes': (n) => ({ path: 'config.json', kind: 'other', content: `{"a": "${fill('\\\\\\"', n)}"}\n` }),
    'key then spaces': (n) => ({ path: 'settings.yaml', kind: 'other', content: `password${fill(' ', n)}x\n` }),
    'tabs before a comment': (n) => ({ path: 'settings.yaml', kind: 'other', content: `password: a${fill('\t', n)}x #\n` }),
    'many assignments': (n) => ({ path: '.env', kind: 'other', content: fill('API_TOKEN=abcd1234efgh5678\n', n) }),
    // Each secret access key was judged by splitting the whole file again to read its neighbours.
    'many AWS key pairs': (n) => ({ path: 'deploy/credentials.env', kind: 'other', content: awsCredentialPairs(n) }),
    // Every password of a settings file asks whether the file is an API description: answered once per file.
    'many YAML passwords': (n) => ({
      path: 'deploy/values.yaml',
      kind: 'other',
      content: randomish(Math.max(1, Math.ceil(n / 40)), 16, 'abcdefghijklmnopqrstuvwxyz0123456789', 17).map((v, i) => `db_password_${i}: "Qz${v}Q9"\n`).join('')
    }),
    // Every password of a long list of siblings under an API description's `examples:` asks whether it is an example.
    'API description examples': (n) => ({
      path: 'api/openapi.yaml',
      kind: 'other',
      content: `openapi: 3.0.0\nexamples:\n${randomish(Math.max(1, Math.ceil(n / 36)), 16, 'abcdefghijklmnopqrstuvwxyz0123456789', 13).map((v, i) => `  u${i}_password: Qz${v}-R4p\n`).join('')}`
    })
  }
}
