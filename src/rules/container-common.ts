/**
 * Helpers shared by the Dockerfile, docker-compose and Kubernetes rules: image references, the
 * "secret-looking variable with a literal value" heuristic and the capabilities that reach the host.
 */
import { whyNotLiteral } from './secrets/keys.js'
import { URL_PASSWORD_SOURCE } from './secrets/patterns.js'

export interface ImageRef {
  /** Repository, with registry and path (`ghcr.io/org/app`). */
  name: string
  tag?: string
  digest?: string
}

/** Splits `registry:5000/org/app:1.2@sha256:…` into name, tag and digest. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim()
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at !== -1) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  const colon = rest.lastIndexOf(':')
  // A colon before the last slash belongs to a registry port, not to a tag.
  if (colon > rest.lastIndexOf('/')) {
    return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest }
  }
  return { name: rest, digest }
}

/** `:latest`, or neither tag nor digest: the image behind the reference can change at any time. */
export function mutableImageReason(ref: ImageRef): 'latest' | 'untagged' | undefined {
  if (ref.digest) return undefined
  if (ref.tag === undefined || ref.tag === '') return 'untagged'
  if (ref.tag.toLowerCase() === 'latest') return 'latest'
  return undefined
}

const SECRET_NAME =
  /(PASSWORD|PASSWD|PASSPHRASE|(^|_)PASS$|(^|_)PWD$|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH_?KEY|CREDENTIALS?$|(^|_)KEY$)/i
/** Names that match the words above but hold a reference, a setting or public material. */
const NOT_SECRET_NAME =
  /(_FILE|_PATH|_DIR|_URL|_URI|_HOST|_PORT|_USER|_USERNAME|_NAME|_ID|_TTL|_EXPIRY|_EXPIRES|_EXPIRES_IN|_LIFETIME|_TIMEOUT|_LENGTH|_SIZE|_ENABLED|_TYPE|_ALGORITHM|_ALG|_HEADER|_FIELD|_POLICY|_LOCATION)$|PUBLIC|GPG|FINGERPRINT|^PWD$|^OLDPWD$/i

/** A variable name that suggests its value is a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name)
}

/**
 * A value written into the file itself: not empty, not a `$VAR`/`${VAR}` reference, not a file
 * path (the usual way to point at a mounted secret) and not a boolean switch.
 */
export function isLiteralSecretValue(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false
  const v = value.trim()
  if (v === '') return false
  if (v.includes('${') || /^\$[A-Za-z_]/.test(v)) return false
  if (v.startsWith('/') || v.startsWith('./') || v.startsWith('~/')) return false
  if (/^(true|false|yes|no|on|off|null|none)$/i.test(v)) return false
  return true
}

/**
 * A stand-in typed where a secret goes (`changeme`, `dummy`, `<password>`, `your-token-here`):
 * the same notion of placeholder as the secret scan's, so every rule skips the same values.
 */
export function isPlaceholderSecret(value: string, name: string): boolean {
  return whyNotLiteral(value, name) === 'placeholder'
}

/** A value that is a URL with a password (`mysql://root:pw@db/app`, `redis://:pw@cache`): the secret scan's own shape, anchored. */
const URL_WITH_PASSWORD = new RegExp(`^${URL_PASSWORD_SOURCE}`)

/** The password of an environment value that is a URL carrying one, decoded; undefined otherwise. */
export function passwordInUrl(value: string): string | undefined {
  const password = URL_WITH_PASSWORD.exec(value.trim())?.groups?.urlPass
  if (password === undefined) return undefined
  try {
    return decodeURIComponent(password)
  } catch {
    return password
  }
}

/**
 * Capabilities whose power is not confined to the container: what each lets it do to the host,
 * and whether that is a way out of the container (high) or only a disturbance of the host
 * (medium). Left out on purpose: NET_ADMIN and NET_RAW act in the pod's own network namespace
 * (mesh init containers need them), SYS_PTRACE reaches only processes the container can already see.
 */
export const HOST_KERNEL_CAPABILITIES: ReadonlyMap<string, { does: string; severity: 'high' | 'medium' }> = new Map([
  ['ALL', { does: 'every capability, nearly the same as privileged', severity: 'high' }],
  ['SYS_ADMIN', { does: 'mounts, namespaces and devices: close to root on the host', severity: 'high' }],
  ['SYS_MODULE', { does: 'loads modules into the host kernel', severity: 'high' }],
  ['SYS_RAWIO', { does: 'raw access to host devices and memory', severity: 'high' }],
  ['SYS_TIME', { does: 'sets the host clock, which no namespace isolates', severity: 'medium' }],
  ['DAC_READ_SEARCH', { does: 'reads any file and opens host files by handle, a known container escape', severity: 'high' }],
  ['BPF', { does: 'loads eBPF programs into the host kernel', severity: 'high' }]
])

/** `cap_add`/`capabilities.add` spelling to the kernel name: upper case, without `CAP_`. */
export function capabilityName(raw: string): string {
  return raw.trim().toUpperCase().replace(/^CAP_/, '')
}
