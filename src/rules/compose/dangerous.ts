/** Checks on dangerous settings of any service: privileges, host mounts and namespaces, published ports, literal secrets, mutable images. */
import { isMap, isSeq, scalarString, type YAMLMap, type Node, type Pair } from '../parse/yaml.js'
import { HOST_KERNEL_CAPABILITIES, capabilityName, envSecretLiteral, imageBaseName, imageRepository, parseImageRef, mutableImageReason } from '../container-common.js'
import { isTrivialDigitRun, nameAsPassword } from '../secrets/keys.js'
import { R } from './meta.js'
import { isDevEnvPath, isSamplePath, isTestPath } from '../sample-paths.js'
import { emit, environmentOf, lineOf, pairIn, resolve, setting, value, type Context, type Service } from './services.js'

// ── Dangerous settings ──────────────────────────────────────────────────────────────────────

/** The line as written, when it holds exactly `key: value` and so can be rewritten mechanically. */
function simpleKeyLine(ctx: Context, pair: Pair<Node, Node>, key: string, value: RegExp): string | undefined {
  const line = lineOf(ctx, pair.key)
  if (line !== ctx.yaml.endLineOf(pair.value)) return undefined
  const text = ctx.lines[line - 1] ?? ''
  const m = new RegExp(`^(\\s*(?:-\\s+)?)${key}\\s*:\\s*${value.source}\\s*(#.*)?$`).exec(text)
  return m ? m[1] : undefined
}

/** Whether the service sets `privileged: true` (reported high on its own). */
function runsPrivileged(ctx: Context, s: Service): boolean {
  const p = setting(ctx, s, 'privileged')
  return p !== undefined && scalarString(value(ctx, p)) === 'true'
}

export function checkPrivileged(ctx: Context, s: Service): void {
  const p = setting(ctx, s, 'privileged')
  if (!p || !runsPrivileged(ctx, s)) return
  const indent = simpleKeyLine(ctx, p, 'privileged', /true/)
  emit(ctx, R.privileged, lineOf(ctx, p.key), `service \`${s.name}\` runs privileged`, { suggestion: indent === undefined ? undefined : `${indent}privileged: false` })
}

/** Sockets of container runtimes: whoever can write to one starts privileged containers on the host. */
const RUNTIME_SOCKET = /(?:^|\/)(docker|containerd|crio|podman)\.sock$/

/** The host path a volume entry binds (short or long syntax), if any. */
function volumeSource(ctx: Context, v: unknown): string | undefined {
  if (isMap(v)) return bindSource(ctx, v)
  const parts = scalarString(v)?.split(':')
  return parts !== undefined && parts.length >= 2 ? parts[0] : undefined
}

/** The directory a bind source names, slashes tidied (`/var/run/` → `/var/run`). */
const hostDir = (source: string): string => source.trim().replace(/\/+/g, '/').replace(/(.)\/$/, '$1')

/** Whether a bind source gives the container a runtime's socket: the socket itself, or the `/run` holding it. */
function bindsRuntimeSocket(source: string): boolean {
  const dir = hostDir(source)
  return RUNTIME_SOCKET.test(source.trim()) || dir === '/run' || dir === '/var/run'
}

/** Whether the service mounts a container runtime's socket (reported high on its own by `checkVolumes`). */
function holdsRuntimeSocket(ctx: Context, s: Service): boolean {
  const volumes = value(ctx, setting(ctx, s, 'volumes'))
  if (!isSeq(volumes)) return false
  return volumes.items.some((item) => {
    const source = volumeSource(ctx, resolve(ctx, item))
    return source !== undefined && bindsRuntimeSocket(source)
  })
}

/**
 * Why a service already holds the host whole, as another finding reports: it runs privileged, or it
 * holds a container runtime's socket (and so can start a privileged container on the host network).
 * A confinement it turns off or the host network it joins then adds no reach of its own.
 */
function holdsHostAlready(ctx: Context, s: Service): string | undefined {
  if (runsPrivileged(ctx, s)) return 'the service runs privileged, reported on its own, and so already lifts every confinement and reaches the host'
  if (holdsRuntimeSocket(ctx, s)) return "the service holds the container runtime's socket, reported on its own, through which it can start a privileged container on the host network"
  return undefined
}

export function checkVolumes(ctx: Context, s: Service): void {
  const volumes = value(ctx, setting(ctx, s, 'volumes'))
  if (!isSeq(volumes)) return
  for (const item of volumes.items) {
    const v = resolve(ctx, item)
    const parts = isMap(v) ? undefined : scalarString(v)?.split(':')
    const source = volumeSource(ctx, v)
    const socket = source === undefined ? undefined : RUNTIME_SOCKET.exec(source.trim())
    if (source && socket) {
      const what = socket[1] === 'docker' ? 'the Docker socket' : `the ${socket[1]} container runtime socket`
      emit(ctx, R.dockerSocket, lineOf(ctx, v), `service \`${s.name}\` mounts ${what} \`${source.trim()}\``)
      continue
    }
    const dir = source === undefined ? undefined : hostDir(source)
    if (dir === '/run' || dir === '/var/run') {
      // The runtime's socket lives there, and a read-only bind does not stop connecting to a socket.
      emit(ctx, R.dockerSocket, lineOf(ctx, v), `service \`${s.name}\` mounts the host's \`${dir}\`, which holds the Docker socket (\`${dir}/docker.sock\`); a read-only mount does not stop it connecting to the socket`)
      continue
    }
    const readOnly = isMap(v)
      ? scalarString(value(ctx, pairIn(ctx, v, 'read_only'))) === 'true'
      : (parts?.[2] ?? '').split(',').some((o) => o.trim() === 'ro' || o.trim() === 'readonly')
    if (source) checkHostSystemMount(ctx, s, source, readOnly, lineOf(ctx, v))
  }
}

/**
 * The host path of a long-syntax volume: a bind's `source` (a `volume` or `tmpfs` entry names no
 * host path). In the short syntax a single path is an anonymous volume at that container path.
 */
function bindSource(ctx: Context, v: YAMLMap): string | undefined {
  const type = scalarString(value(ctx, pairIn(ctx, v, 'type')))
  if (type !== undefined && type !== 'bind') return undefined
  return scalarString(value(ctx, pairIn(ctx, v, 'source')))
}

/** Host directories that hold secrets of the host or of its other containers: reported even read-only. */
const HOST_SECRET_DIRS = new Set(['/', '/etc', '/root', '/home', '/etc/ssh', '/etc/kubernetes', '/root/.ssh', '/var/lib/docker', '/var/lib/containerd', '/var/lib/kubelet'])
/** Host system directories that are only dangerous writable (read-only /proc, /sys and /dev are what metrics agents use). */
const HOST_SYSTEM_DIRS = new Set(['/boot', '/bin', '/sbin', '/lib', '/lib64', '/usr', '/dev', '/proc', '/sys', '/var', '/var/lib'])

function checkHostSystemMount(ctx: Context, s: Service, rawSource: string, readOnly: boolean, line: number): void {
  const source = rawSource.trim()
  // Named volumes, relative paths and values filled in from the environment are not host system paths.
  if (!source.startsWith('/') || source.includes('$')) return
  const dir = source.replace(/\/+/g, '/').replace(/(.)\/$/, '$1')
  const secrets = HOST_SECRET_DIRS.has(dir)
  if (!secrets && !(HOST_SYSTEM_DIRS.has(dir) && !readOnly)) return
  const where = dir === '/' ? 'the host root filesystem' : `the host's \`${dir}\``
  if (readOnly) {
    emit(ctx, R.hostSystemMount, line, `service \`${s.name}\` mounts ${where} read-only, so it can read host secrets (password hashes, keys, other containers' files)`, { severity: 'medium' })
  } else {
    emit(ctx, R.hostSystemMount, line, `service \`${s.name}\` mounts ${where} writable, so it can change the host itself`)
  }
}

const UNCONFINED = /^(seccomp|apparmor)\s*[:=]\s*unconfined$|^label\s*[:=]\s*disable$/i

export function checkSecurityOptions(ctx: Context, s: Service): void {
  const options = value(ctx, setting(ctx, s, 'security_opt'))
  if (!isSeq(options)) return
  for (const item of options.items) {
    const option = scalarString(resolve(ctx, item))?.trim()
    if (!option || !UNCONFINED.test(option)) continue
    const already = holdsHostAlready(ctx, s)
    const message = `service \`${s.name}\` turns off a kernel confinement with \`${option}\``
    emit(ctx, R.securityProfileDisabled, lineOf(ctx, item), already ? `${message} (${already}: low.)` : message, already ? { severity: 'low' } : {})
  }
}

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]', ''])

/** The host IP of a short-syntax port, `undefined` when there is none, `null` when it cannot be known. */
function hostIpOf(spec: string): string | undefined | null {
  const masks: string[] = []
  const masked = spec.replace(/\$\{[^{}]*\}/g, (m) => {
    masks.push(m)
    return `\u0000${masks.length - 1}\u0000`
  })
  const withoutProto = masked.replace(/\/(tcp|udp|sctp)$/i, '')
  let ip: string | undefined
  if (withoutProto.startsWith('[')) ip = withoutProto.slice(1, withoutProto.indexOf(']'))
  else {
    const parts = withoutProto.split(':')
    if (parts.length >= 3) ip = parts.slice(0, -2).join(':')
  }
  if (ip?.includes('\u0000')) return null
  return ip
}

/** `${VAR:-default}` and `${VAR-default}` with a literal default: what compose writes when VAR is unset (or, for `:-`, empty). */
const VARIABLE_WITH_DEFAULT = /\$\{[A-Za-z_]\w*:?-([^${}]*)\}/g

/**
 * Whether a port spec's variables, at their defaults, bind it to one host address (loopback, a
 * private or any specific one, as a literal address is judged): `"${REDIS_PORT:-127.0.0.1:7654}:6379"`,
 * where one variable holds the address and the host port. Whoever sets the variable chooses
 * otherwise, as for an address read from a variable with no default, which is not reported either.
 */
function boundByDefault(spec: string): boolean {
  if (!spec.includes('${')) return false
  const expanded = spec.replace(VARIABLE_WITH_DEFAULT, (_m, fallback: string) => fallback)
  if (expanded === spec) return false
  const ip = hostIpOf(expanded)
  return typeof ip === 'string' && !ANY_ADDRESS.has(ip)
}

export function checkPorts(ctx: Context, s: Service): void {
  const ports = value(ctx, setting(ctx, s, 'ports'))
  if (!isSeq(ports)) return
  for (const item of ports.items) {
    const v = resolve(ctx, item)
    if (isMap(v)) checkLongPort(ctx, s, v)
    else {
      const spec = scalarString(v)
      if (spec === undefined) continue
      const ip = hostIpOf(spec.trim())
      if (ip === null || (ip !== undefined && !ANY_ADDRESS.has(ip))) continue
      if (boundByDefault(spec.trim())) continue
      const parts = spec.trim().replace(/\/(tcp|udp|sctp)$/i, '').split(':')
      const hostPort = parts.length >= 2 ? parts[parts.length - 2] : undefined
      const entry = hostPort === undefined ? undefined : publicEntryMessage(ctx, s, `\`${spec}\``, hostPort, parts[parts.length - 1])
      if (entry !== undefined) {
        emit(ctx, R.portAllInterfaces, lineOf(ctx, v), entry, { severity: 'low' })
        continue
      }
      emit(ctx, R.portAllInterfaces, lineOf(ctx, v), `service \`${s.name}\` publishes \`${spec}\` on all host interfaces`, { suggestion: shortPortSuggestion(ctx, v, spec.trim(), ip) })
    }
  }
}

/** The standard web ports: a service published on one of them on the host is meant to be reached from the network. */
const WEB_PORTS = new Set(['80', '443'])

/**
 * Ports a kind of server is published on to be reached from the network, and the image names
 * that say a service is one: a mail server's SMTP, submission, IMAP and POP3 ports, a TURN
 * server's. The same port on another image (a database on 25?) says nothing.
 */
const PROTOCOL_ENTRIES = [
  { server: 'mail server', ports: new Set(['25', '465', '587', '143', '993', '110', '995']), image: /mail|postfix|dovecot|exim|haraka|stalwart|maddy|poste/i },
  { server: 'TURN server', ports: new Set(['3478', '5349']), image: /coturn|turn|stun|talk/i }
]

/**
 * What a port published on all interfaces says when it is an entry point meant to face the network, or
 * undefined. A mail or TURN port counts only when the container port is one of the server's too:
 * `"25:8025"` on a mail catcher publishes its web interface, not SMTP.
 */
function publicEntryMessage(ctx: Context, s: Service, what: string, hostPort: string, containerPort: string | undefined): string | undefined {
  const check = 'meant to be reached from the network (low); check that this is the service meant to face it'
  if (WEB_PORTS.has(hostPort)) return `service \`${s.name}\` publishes ${what} on all host interfaces, on the standard web port ${hostPort}: a web entry point, ${check}`
  const image = serviceImageName(ctx, s)
  const entry = image === undefined ? undefined : PROTOCOL_ENTRIES.find((e) => e.ports.has(hostPort) && e.ports.has(containerPort?.trim() ?? '') && e.image.test(image))
  if (entry === undefined) return undefined
  return `service \`${s.name}\` publishes ${what} on all host interfaces, on port ${hostPort} of a ${entry.server} (image \`${image}\`): ${check}`
}

function shortPortSuggestion(ctx: Context, node: unknown, spec: string, ip: string | undefined): string | undefined {
  const range = (node as { range?: [number, number, number] }).range
  if (!range) return undefined
  const start = ctx.yaml.lineCounter.linePos(range[0])
  const end = ctx.yaml.lineCounter.linePos(range[1])
  if (start.line !== end.line) return undefined
  const text = ctx.lines[start.line - 1] ?? ''
  const before = text.slice(0, start.col - 1)
  const after = text.slice(end.col - 1)
  // Only a list item alone on its line: `- "8080:80"`.
  if (!/^\s*-\s*$/.test(before) || !/^\s*(#.*)?$/.test(after)) return undefined
  let bound: string
  if (ip === undefined) {
    const parts = spec.replace(/\/(tcp|udp|sctp)$/i, '').split(':')
    bound = parts.length === 1 ? `127.0.0.1::${spec}` : `127.0.0.1:${spec}`
  } else if (spec.startsWith('[')) bound = `127.0.0.1${spec.slice(spec.indexOf(']') + 1)}`
  else bound = `127.0.0.1${spec.slice(ip.length)}`
  return `${before}"${bound}"`
}

function checkLongPort(ctx: Context, s: Service, port: YAMLMap): void {
  const hostIp = scalarString(value(ctx, pairIn(ctx, port, 'host_ip')))
  if (hostIp !== undefined && !ANY_ADDRESS.has(hostIp.trim())) return
  const published = pairIn(ctx, port, 'published')
  const publishedValue = scalarString(value(ctx, published))
  // `published: 127.0.0.1:8080` is not in the spec, but carries an address all the same.
  if (publishedValue !== undefined && /^\d+\.\d+\.\d+\.\d+/.test(publishedValue) && !publishedValue.startsWith('0.0.0.0')) return
  const target = scalarString(value(ctx, pairIn(ctx, port, 'target'))) ?? '?'
  const hostPort = publishedValue?.trim().replace(/^0\.0\.0\.0:/, '')
  const entry = hostPort === undefined ? undefined : publicEntryMessage(ctx, s, `container port ${target}`, hostPort, target)
  if (entry !== undefined) {
    emit(ctx, R.portAllInterfaces, lineOf(ctx, published!.key), entry, { severity: 'low' })
    return
  }
  let suggestion: string | undefined
  if (published && hostIp === undefined) {
    const line = lineOf(ctx, published.key)
    const text = ctx.lines[line - 1] ?? ''
    const indent = /^(\s*)(-\s+)?/.exec(text)
    if (line === ctx.yaml.endLineOf(published.value) && indent) {
      suggestion = `${text.trimEnd()}\n${indent[1]}${' '.repeat(indent[2]?.length ?? 0)}host_ip: 127.0.0.1`
    }
  }
  const line = published ? lineOf(ctx, published.key) : lineOf(ctx, port)
  emit(ctx, R.portAllInterfaces, line, `service \`${s.name}\` publishes container port ${target} on all host interfaces`, { suggestion })
}

/** Words of a compose file's name that say it is for development, tests or a demo (`docker-compose.dev.yml`, `compose-quickstart.yaml`). */
const LOCAL_NAME_WORDS = new Set(['dev', 'develop', 'development', 'local', 'test', 'tests', 'testing', 'ci', 'e2e', 'example', 'examples', 'sample', 'demo', 'quickstart', 'debug'])

/** A bind source that is the checkout itself or its source tree (`.`, `..`, `./src`): code mounted to be edited live. */
const SOURCE_BIND = /^\.{1,2}(?:\/(?:src|app|source|code)?)?\/?$/

/**
 * What says a compose file runs on a developer's or CI machine, or undefined when nothing does:
 * its path (a test, example or dev-environment tree) or a word of its name, a service built from
 * the checkout (`build:`), or the checkout bind-mounted into a service. Asked once per file.
 */
function localEvidence(ctx: Context): string | undefined {
  if (ctx.localEvidence) return ctx.localEvidence.why
  const path = ctx.file.path
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase()
  const word = name.replace(/\.ya?ml$/, '').split(/[-_.]/).find((w) => LOCAL_NAME_WORDS.has(w))
  let why: string | undefined
  if (word) why = `by the \`${word}\` in its name`
  else if (isSamplePath(path) || isTestPath(path) || isDevEnvPath(path)) why = 'by its path'
  for (const s of why === undefined ? ctx.services.values() : []) {
    if (setting(ctx, s, 'build') !== undefined) {
      why = `it builds \`${s.name}\` from the checkout`
      break
    }
    const volumes = value(ctx, setting(ctx, s, 'volumes'))
    const sources = isSeq(volumes) ? volumes.items.map((item) => volumeSource(ctx, resolve(ctx, item))?.trim()) : []
    const mounted = sources.find((source) => source !== undefined && SOURCE_BIND.test(source))
    if (mounted !== undefined) {
      why = `it mounts \`${mounted}\` of the checkout into \`${s.name}\``
      break
    }
  }
  ctx.localEvidence = { why }
  return why
}

export function checkEnvironment(ctx: Context, s: Service): void {
  const entries = environmentOf(ctx, s)
  // Built for the first literal secret only: most services set none.
  let guessable: Map<string, string> | undefined
  for (const e of entries) {
    // A URL with a password (`DATABASE_URL: mysql://root:pw@db/app`) holds a credential whatever its name.
    // A stand-in (`example`, `***`, `<your-secret>`) is reported too: the value a stack ships with,
    // guessable by anyone; a demo value in a local file, high on a shared host.
    const literal = envSecretLiteral(e.name, e.value)
    if (literal === undefined) continue
    const secret = literal.secret
    const standIn = literal.standIn ? 'a stand-in to be replaced' : undefined
    const why = ctx.sharedHost
      ? undefined
      : ((guessable ??= guessableValues(ctx, s, entries)).get(secret.trim().toLowerCase()) ??
        (isWordLike(secret.trim()) ? 'lower-case words, not a generated secret' : isTrivialDigitRun(secret) ? 'a trivial run of digits anyone would guess' : standIn))
    const what = literal.inUrl ? `puts a password in the URL of \`${e.name}\`:` : `sets \`${e.name}\` to`
    const repeatedName = ctx.sharedHost ? imageOrServiceName(ctx, s, secret.trim()) : undefined
    // `POSTGRES_USER: app` and `POSTGRES_PASSWORD: app` in a stack: a default login, guessed by whoever reads the user name.
    const login = ctx.sharedHost && !repeatedName ? loginWithValue(entries, secret.trim()) : undefined
    const emulator = why ? emulatedCloudOf(ctx, s, e.name) : undefined
    if (why && emulator) {
      // The emulator accepts any such key: the value guards no account, only what runs on the machine.
      emit(ctx, R.defaultCredential, e.line, `service \`${s.name}\` ${what} a demo value (${why}), but the service is ${emulator}, which holds only what it keeps on this machine: the value guards no account of the cloud (low)`, { severity: 'low' })
    } else if (why) {
      const local = localEvidence(ctx)
      const where = local
        ? `in a local compose file (${local})`
        : 'in a compose file that nothing marks as local (no dev, test or example name or path, no `build:`, no mounted checkout) nor as a Swarm stack or production file: deployed as it is, that value is the credential'
      emit(ctx, R.defaultCredential, e.line, `service \`${s.name}\` ${what} a demo value (${why}) ${where}`)
    } else if (repeatedName) {
      // `POSTGRES_PASSWORD: postgres` in a stack: still shipped, but a guess anyone would try first, not a secret someone chose.
      // Named after the service, the password would show in the message through the service's name: leave it out.
      const who = repeatedName === 'the service' ? 'this service' : `service \`${s.name}\``
      emit(ctx, R.secretInEnvironment, e.line, `${who} ${what} a literal value in \`environment\`, ${nameAsPassword(repeatedName)}`, { severity: 'medium' })
    } else if (login) {
      emit(ctx, R.secretInEnvironment, e.line, `service \`${s.name}\` ${what} a literal value in \`environment\`, the same as \`${login}\` beside it (a default login)`, { severity: 'medium' })
    } else {
      emit(ctx, R.secretInEnvironment, e.line, `service \`${s.name}\` ${what} a literal value in \`environment\``)
    }
  }
}

/** The clouds local emulators stand in for. */
type EmulatedCloud = 'aws' | 'azure' | 'google'

/**
 * Images of local cloud emulators that check no credential of the cloud they emulate, by
 * repository path (any registry, tag or digest), with words for a message and the cloud: they take
 * any access key (LocalStack, DynamoDB Local, Moto) or none at all (fake-gcs-server). Azurite
 * serves only the storage it keeps on the machine.
 */
const CLOUD_EMULATORS: ReadonlyMap<string, { what: string; cloud: EmulatedCloud }> = new Map([
  ['localstack/localstack', { what: 'LocalStack, a local AWS emulator', cloud: 'aws' }],
  ['localstack/localstack-pro', { what: 'LocalStack, a local AWS emulator', cloud: 'aws' }],
  ['amazon/dynamodb-local', { what: 'DynamoDB Local, a local emulator', cloud: 'aws' }],
  ['motoserver/moto', { what: 'Moto, a local AWS emulator', cloud: 'aws' }],
  ['azure-storage/azurite', { what: 'Azurite, a local Azure Storage emulator', cloud: 'azure' }],
  ['fsouza/fake-gcs-server', { what: 'fake-gcs-server, a local Cloud Storage emulator', cloud: 'google' }]
])
/** Google's Cloud SDK images (repository paths): an emulator only when the service runs `gcloud … emulators`, else a real CLI. */
const CLOUD_SDK_IMAGE = /^(?:google\.com\/cloudsdktool|google)\/(?:cloud-sdk|google-cloud-cli)$/
/**
 * Credential names of each emulated cloud (`AWS_SECRET_ACCESS_KEY`, `AZURE_STORAGE_KEY`,
 * `AZURITE_ACCOUNTS`, `GOOGLE_APPLICATION_CREDENTIALS`): an emulator checks only its own cloud's
 * keys, so another cloud's (`AZURE_CLIENT_SECRET` beside LocalStack) may be real. A key of the
 * emulator's own vendor (`LOCALSTACK_AUTH_TOKEN`) is none of them.
 */
const EMULATED_CLOUD_ENTRY: Readonly<Record<EmulatedCloud, RegExp>> = {
  aws: /^AWS_/i,
  azure: /^(?:AZURE|AZURITE_)/i,
  google: /^(?:GOOGLE|GCP|GCLOUD|CLOUDSDK)_/i
}

/**
 * The emulator a service runs, in words, when its image is one of CLOUD_EMULATORS, or a Cloud SDK
 * image whose command starts an emulator, and `name` is a credential of the cloud that one emulates.
 */
function emulatedCloudOf(ctx: Context, s: Service, name: string): string | undefined {
  const image = scalarString(value(ctx, setting(ctx, s, 'image')))?.trim()
  if (!image || image.includes('$')) return undefined
  const { path } = imageRepository(image)
  const known = CLOUD_EMULATORS.get(path)
  if (known) return EMULATED_CLOUD_ENTRY[known.cloud].test(name) ? known.what : undefined
  if (!CLOUD_SDK_IMAGE.test(path) || !EMULATED_CLOUD_ENTRY.google.test(name)) return undefined
  const command = value(ctx, setting(ctx, s, 'command'))
  const text = isSeq(command) ? command.items.map((i) => scalarString(i) ?? '').join(' ') : (scalarString(command) ?? '')
  return /\bemulators\b/.test(text) ? "a Cloud SDK emulator (its command runs `gcloud … emulators`)" : undefined
}

/** The user-name entry (`POSTGRES_USER`, `DB_USERNAME`) of a service's environment whose literal value is `value`. */
function loginWithValue(entries: { name: string; value: string | undefined }[], value: string): string | undefined {
  const wanted = value.toLowerCase()
  return entries.find((e) => USER_ENTRY.test(e.name) && e.value !== undefined && !e.value.includes('$') && e.value.trim().toLowerCase() === wanted)?.name
}

/**
 * A value a person typed for a demo (`mysecretpassword`, `whalehello`, `example_123`): lower-case
 * words with at most a few digits. Generated secrets mix cases, run long, or are hex/base64.
 */
function isWordLike(value: string): boolean {
  // One character class, then the shape checks: a nested `(?:[_-]?[a-z0-9]+)*` would backtrack exponentially.
  if (value.length > 24 || !/^[a-z][a-z0-9_-]*$/.test(value) || /[_-]{2}|[_-]$/.test(value)) return false
  const digits = value.replace(/[^0-9]/g, '').length
  return digits <= 4 && !/^[0-9a-f]{12,}$/.test(value)
}

/** The base name of a service's image (`postgres` of `docker.io/library/postgres:15`), when it names one. */
function serviceImageName(ctx: Context, s: Service): string | undefined {
  const image = scalarString(value(ctx, setting(ctx, s, 'image')))
  if (!image || image.includes('$')) return undefined
  return imageBaseName(image) || undefined
}

/** Which name a password repeats, the service's image's or the service's own (`postgres`), in words for a message (without the name). */
function imageOrServiceName(ctx: Context, s: Service, secret: string): string | undefined {
  const typed = secret.toLowerCase()
  // The name is the password: the message says which name, never the name itself.
  if (typed === serviceImageName(ctx, s)) return "the service's image"
  return typed === s.name.toLowerCase() ? 'the service' : undefined
}

/** Values anyone would try first, each with why: a placeholder word, the image's own name, a user name set beside it. */
const GUESSABLE = ['root', 'admin', 'guest', 'pass', 'example', 'password', 'secret', 'changeme', 'test', 'dev']

/** An environment entry naming a login: `POSTGRES_USER`, `DB_USERNAME`. */
const USER_ENTRY = /(?:^|_)USER(?:NAME)?$/i

function guessableValues(ctx: Context, s: Service, entries: { name: string; value: string | undefined }[]): Map<string, string> {
  const out = new Map(GUESSABLE.map((v) => [v, 'a placeholder word']))
  const base = serviceImageName(ctx, s)
  if (base) out.set(base, "the image's name")
  for (const e of entries) {
    if (USER_ENTRY.test(e.name) && e.value && !e.value.includes('$')) out.set(e.value.trim().toLowerCase(), `the same as \`${e.name}\``)
  }
  return out
}


export function checkNamespaces(ctx: Context, s: Service): void {
  const network = setting(ctx, s, 'network_mode')
  if (network && scalarString(value(ctx, network)) === 'host') {
    const already = holdsHostAlready(ctx, s)
    const message = `service \`${s.name}\` uses the host network`
    emit(ctx, R.networkModeHost, lineOf(ctx, network.key), already ? `${message} (${already}: low.)` : message, already ? { severity: 'low' } : {})
  }
  for (const key of ['pid', 'ipc']) {
    const p = setting(ctx, s, key)
    if (p && scalarString(value(ctx, p)) === 'host') {
      emit(ctx, R.hostNamespace, lineOf(ctx, p.key), `service \`${s.name}\` shares the host ${key.toUpperCase()} namespace`)
    }
  }
  const userns = setting(ctx, s, 'userns_mode')
  if (userns && scalarString(value(ctx, userns)) === 'host') {
    emit(ctx, R.hostNamespace, lineOf(ctx, userns.key), `service \`${s.name}\` opts out of user-namespace remapping (\`userns_mode: host\`), so root in the container is root on the host where the daemon remaps users`)
  }
}

export function checkCapabilities(ctx: Context, s: Service): void {
  const caps = value(ctx, setting(ctx, s, 'cap_add'))
  if (!isSeq(caps)) return
  const privileged = runsPrivileged(ctx, s)
  for (const item of caps.items) {
    const raw = scalarString(resolve(ctx, item))
    const cap = raw === undefined ? undefined : capabilityName(raw)
    const reach = cap === undefined ? undefined : HOST_KERNEL_CAPABILITIES.get(cap)
    if (!reach) continue
    const message = `service \`${s.name}\` adds capability \`${cap}\` (${reach.does})`
    // A privileged service holds every capability already: adding one changes nothing, and the privileged finding says so.
    if (privileged) emit(ctx, R.dangerousCapability, lineOf(ctx, item), `${message} (low: it is also privileged, which grants every capability and is reported on its own)`, { severity: 'low' })
    else emit(ctx, R.dangerousCapability, lineOf(ctx, item), message, { severity: reach.severity })
  }
}

export function checkImage(ctx: Context, s: Service): void {
  const image = setting(ctx, s, 'image')
  const ref = scalarString(value(ctx, image))
  // With `build`, `image` names the image being built, not one that is pulled.
  if (!image || !ref || ref.includes('$') || setting(ctx, s, 'build')) return
  const reason = mutableImageReason(parseImageRef(ref))
  if (reason) {
    const what = reason === 'latest' ? 'uses the moving `latest` tag' : 'has no tag, so it resolves to `latest`'
    emit(ctx, R.imageLatest, lineOf(ctx, image.value), `image \`${ref}\` of service \`${s.name}\` ${what}`)
  }
}
