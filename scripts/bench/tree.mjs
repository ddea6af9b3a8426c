// The benchmark's input: the tree from scripts/gen-tree.mjs (fixed seed), generated once per
// run into a temp folder, plus a small, fixed overlay of credential-shaped test values for the
// secret-scan comparison (the generator writes none).
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

export const SEED = 20240601

export function generateTree(outdir, files, seed = SEED) {
  execFileSync(process.execPath, ['scripts/gen-tree.mjs', String(seed), String(files), outdir], { stdio: 'pipe' })
  return outdir
}

/** Every file under `root`, relative with `/`, sorted. */
export function listTree(root) {
  const out = []
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name))
      else if (e.isFile()) out.push(relative(root, join(dir, e.name)).split(sep).join('/'))
    }
  }
  walk(root)
  return out.sort()
}

// Test values in documented credential shapes; none is a live credential. Assembled from parts
// so that this source file itself does not look like it holds secrets.
const part = (...xs) => xs.join('')
const OVERLAY = {
  'secrets-overlay/aws.env': `AWS_ACCESS_KEY_ID=${part('AKIA', 'Z7QW3RT5YU8IOP2A')}\nAWS_SECRET_ACCESS_KEY=${part('wJalrXUtnFEMI', '/K7MDENG/bPxRfiCY', 'BENCHKEY01')}\n`,
  'secrets-overlay/github.yaml': `token: ${part('ghp_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8')}\n`,
  'secrets-overlay/slack.tf': `variable "hook" {\n  default = "${part('https://hooks.slack.com/services/', 'T00000000/B00000000/', 'XXXXXXXXXXXXXXXXXXXXXXXX')}"\n}\n`,
  'secrets-overlay/db.yaml': `url: ${part('postgres://admin:', 'Sup3rS3cretPw', '@db.internal:5432/app')}\n`,
  'secrets-overlay/key.pem': `${part('-----BEGIN ', 'RSA PRIVATE KEY-----')}\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n${part('-----END ', 'RSA PRIVATE KEY-----')}\n`,
  'secrets-overlay/main.tf': `resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  password = "${part('hunter2', 'hunter2X9')}"\n}\n`,
  'secrets-overlay/deploy.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  api_key: ${part('sk_live_', '4eC39HqLyjWDarjtT1zdp7dc')}\n`
}

export function addSecretOverlay(root) {
  for (const [path, text] of Object.entries(OVERLAY)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return Object.keys(OVERLAY)
}

/** `count` paths spread evenly over the sorted list, so a sample mixes every kind of file. */
export function spread(paths, count) {
  if (paths.length <= count) return paths
  return Array.from({ length: count }, (_, i) => paths[Math.floor((i * paths.length) / count)])
}

/**
 * `count` CRD-like manifests of about `bytes` each (a long OpenAPI schema, as chart collections
 * ship), spread over `folders` folders of `root`: files over the 256 KB line, which are analysed
 * in the budgeted large-file worker.
 */
export function addLargeFiles(root, count, bytes, folders = 4) {
  const paths = []
  for (let i = 0; i < count; i++) {
    const lines = [`apiVersion: apiextensions.k8s.io/v1`, `kind: CustomResourceDefinition`, `metadata:`, `  name: widgets${i}.bench.example.com`, `spec:`, `  group: bench.example.com`, `  names:`, `    kind: Widget${i}`, `    plural: widgets${i}`, `  scope: Namespaced`, `  versions:`, `    - name: v1`, `      served: true`, `      storage: true`, `      schema:`, `        openAPIV3Schema:`, `          type: object`, `          properties:`]
    let size = lines.join('\n').length
    for (let k = 0; size < bytes; k++) {
      const field = [`            field${k}:`, `              type: object`, `              description: Settings of part ${k} of the widget, read by the controller on each reconcile.`, `              properties:`, `                enabled:`, `                  type: boolean`, `                replicas:`, `                  type: integer`, `                  minimum: 0`, `                name:`, `                  type: string`]
      lines.push(...field)
      size += field.join('\n').length + 1
    }
    const path = `large-${i % folders}/crd-${i}.yaml`
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), lines.join('\n') + '\n')
    paths.push(path)
  }
  return paths
}
