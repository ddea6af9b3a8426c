/**
 * Helpers shared by the Dockerfile, docker-compose and Kubernetes rules: image references, the
 * judgement of an environment entry holding a secret literal and the capabilities that reach the host.
 */
import { classifyKey, whyNotLiteral } from './secrets/keys.js'
import { URL_PASSWORD_SOURCE, urlPasswordKind } from './secrets/patterns.js'
import { splitShellCommands, type Separator } from './parse/shell-words.js'

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

/** Where an image comes from and what it is called there, in lower case (see `imageRepository`). */
export interface ImageRepository {
  /** The registry host (`ghcr.io`, `registry:5000`), when the reference names one; Docker Hub otherwise. */
  registry?: string
  /** The repository path on it, without Docker Hub's `library/` (`node`, `ubi9/ubi`, `org/app`). */
  path: string
}

/**
 * An image reference's registry host and repository path, tag and digest left out:
 * `docker.io/library/node:20@sha256:…` → `docker.io` and `node`, `registry.access.redhat.com/ubi9/ubi:9.4`
 * → `registry.access.redhat.com` and `ubi9/ubi`. The one place that tells a registry from a path.
 */
export function imageRepository(ref: string): ImageRepository {
  const parts = parseImageRef(ref).name.toLowerCase().split('/')
  // Docker's own rule: a first part with a dot or a port, or `localhost`, is a registry host.
  const registry = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost') ? parts.shift() : undefined
  // Mirrors of the Docker Hub library: `library/python`, `docker/library/python` (public.ecr.aws).
  if (parts[0] === 'docker' && parts[1] === 'library') parts.splice(0, 2)
  else if (parts[0] === 'library') parts.shift()
  return { registry, path: parts.join('/') }
}

/** The image's own name, without registry, namespace, tag or digest: `docker.io/library/node:20@sha256:…` → `node`. */
export function imageBaseName(ref: string): string {
  const { path } = imageRepository(ref)
  return path.slice(path.lastIndexOf('/') + 1)
}

/** Docker Hub and the mirror that serves any of its repositories under the same path. */
const HUB_HOSTS: ReadonlySet<string | undefined> = new Set([undefined, 'docker.io', 'index.docker.io', 'registry-1.docker.io', 'mirror.gcr.io'])
/** Those, and the mirror that serves Docker Hub's official images under their bare names too (`public.ecr.aws/docker/library/busybox`). */
const HUB_REGISTRIES: ReadonlySet<string | undefined> = new Set([...HUB_HOSTS, 'public.ecr.aws'])

/**
 * The name of the Docker Hub official image a reference names (`postgres` for `postgres:15-alpine`,
 * `docker.io/library/postgres` or `mirror.gcr.io/postgres`), or undefined for any other repository
 * (`bitnami/postgresql`, `ghcr.io/org/postgres`).
 */
export function officialImageName(ref: string): string | undefined {
  const { registry, path } = imageRepository(ref)
  return HUB_REGISTRIES.has(registry) && path !== '' && !path.includes('/') ? path : undefined
}

/**
 * Docker Hub official server images that set no USER on purpose: started as root, their entrypoint
 * makes the data folder the server's own and re-runs itself through `gosu`/`su-exec` as the
 * image's unprivileged user, but only when the command it is given is the server (a first argument
 * the entrypoint recognises: the image's default command, or options it prefixes with the server).
 * Image name → that user and the first arguments that step down. Read from each image's
 * `docker-entrypoint.sh`; an image that runs as a non-root USER from the start is no step-down.
 */
const STEP_DOWN_SERVERS: ReadonlyMap<string, { user: string; steps: (first: string) => boolean }> = new Map([
  ['postgres', { user: 'postgres', steps: (first: string) => first === 'postgres' || first.startsWith('-') }],
  ['redis', { user: 'redis', steps: (first: string) => first === 'redis-server' || first.startsWith('-') || first.endsWith('.conf') }],
  ['mysql', { user: 'mysql', steps: (first: string) => first === 'mysqld' || first.startsWith('-') }],
  ['mariadb', { user: 'mysql', steps: (first: string) => first === 'mariadbd' || first === 'mysqld' || first.startsWith('-') }],
  ['mongo', { user: 'mongodb', steps: (first: string) => first.startsWith('mongo') || first.startsWith('-') }],
  ['rabbitmq', { user: 'rabbitmq', steps: (first: string) => first.startsWith('rabbitmq') }]
])

/** An official image whose entrypoint steps down from root (see `officialStepDown`): the image and the user it runs the server as. */
export interface StepDown {
  image: string
  user: string
}

/**
 * Whether a container of `ref` started with the image's own entrypoint and these arguments
 * (`undefined`: none given, so the image's default command) ends up running its server as the
 * image's unprivileged user: a Docker Hub official server image of `STEP_DOWN_SERVERS` whose
 * entrypoint recognises the first argument as its server. The caller makes sure the entrypoint
 * is the image's own (a Kubernetes `command:`, a compose `entrypoint:` replace it).
 */
export function officialStepDown(ref: string, args: readonly string[] | undefined): StepDown | undefined {
  const image = officialImageName(ref)
  const server = image === undefined ? undefined : STEP_DOWN_SERVERS.get(image)
  if (image === undefined || server === undefined) return undefined
  const first = args?.[0]
  return first === undefined || server.steps(first) ? { image, user: server.user } : undefined
}


/**
 * Docker Hub images whose own Dockerfile ends on a non-root USER, with that user and the first
 * release that declares it. Grafana's images run as UID 472 since 5.1 (before, as root then
 * UID 104); `grafana-oss` and `grafana-enterprise` are built from the same Dockerfile. n8n's
 * (docker/images/n8n/Dockerfile in n8n-io/n8n) ends on `USER node` since 1.0, whose migration
 * notes say the process now runs as `node` (before, its entrypoint started as root and stepped
 * down through su-exec).
 */
const NON_ROOT_IMAGE_USERS: ReadonlyMap<string, { user: string; since: readonly [number, number] }> = new Map([
  ['grafana/grafana', { user: '472', since: [5, 1] }],
  ['grafana/grafana-oss', { user: '472', since: [5, 1] }],
  ['grafana/grafana-enterprise', { user: '472', since: [5, 1] }],
  ['n8nio/n8n', { user: 'node', since: [1, 0] }]
])

/**
 * Image families whose every image and release ends on a non-root USER, by registry and
 * repository path: Kubeflow's notebook servers (components/example-notebook-servers in
 * kubeflow/kubeflow) build on one base image ending on `USER $NB_UID` (1000, `jovyan`), which the
 * others keep. On Docker Hub they share the `kubeflownotebookswg` namespace with Kubeflow's web
 * apps and controllers, which run as root or another user: only the notebook servers' names count.
 */
const NON_ROOT_IMAGE_FAMILIES: readonly { hosts: ReadonlySet<string | undefined>; path: RegExp; user: string }[] = [
  { hosts: new Set(['ghcr.io']), path: /^kubeflow\/kubeflow\/notebook-servers\/[^/]+$/, user: '1000' },
  { hosts: HUB_HOSTS, path: /^kubeflownotebookswg\/(?:base|codeserver(?:-python)?|rstudio(?:-tidyverse)?|jupyter(?:-scipy|-(?:pytorch|tensorflow)(?:-cuda)?(?:-full)?)?)$/, user: '1000' }
]

/** An image known to declare a non-root USER (see `declaredNonRootUser`): its repository and that user. */
export interface ImageUser {
  image: string
  user: string
}

/**
 * The non-root user an image's Dockerfile declares: any image of a `NON_ROOT_IMAGE_FAMILIES` family,
 * or one of `NON_ROOT_IMAGE_USERS` whose tag names a release from the one that declared it on
 * (`7.1.0`, `10.4.2-ubuntu`), or `latest` or no tag (the newest). Undefined otherwise, and for a
 * digest alone of the latter (no release to read).
 */
export function declaredNonRootUser(ref: string): ImageUser | undefined {
  const { registry, path } = imageRepository(ref)
  const family = NON_ROOT_IMAGE_FAMILIES.find((f) => f.hosts.has(registry) && f.path.test(path))
  if (family) return { image: path, user: family.user }
  const known = HUB_HOSTS.has(registry) ? NON_ROOT_IMAGE_USERS.get(path) : undefined
  if (!known) return undefined
  const { tag, digest } = parseImageRef(ref)
  if (tag === undefined || tag === '') return digest ? undefined : { image: path, user: known.user }
  if (tag.toLowerCase() === 'latest') return { image: path, user: known.user }
  const release = /^v?(\d{1,4})\.(\d{1,4})(?:[.-]|$)/.exec(tag)
  if (!release) return undefined
  const [major, minor] = [Number(release[1]), Number(release[2])]
  const [sinceMajor, sinceMinor] = known.since
  return major > sinceMajor || (major === sinceMajor && minor >= sinceMinor) ? { image: path, user: known.user } : undefined
}

/**
 * Images of datastores that keep their data in one server process (`postgres`, `redis`, `mongo`…),
 * by the image's own name whatever its registry or namespace (`bitnami/postgresql`): a second
 * replica of one is a second, independent database, not a copy of the first.
 */
const SINGLE_INSTANCE_DATASTORES: ReadonlySet<string> = new Set(['postgres', 'postgresql', 'mysql', 'mariadb', 'redis', 'valkey', 'mongo', 'mongodb'])

/** Whether an image runs a single-instance datastore (see `SINGLE_INSTANCE_DATASTORES`). */
export function isSingleInstanceDatastore(ref: string): boolean {
  return SINGLE_INSTANCE_DATASTORES.has(imageBaseName(ref))
}

/**
 * Where each registry keeps the Kubernetes pause image (the pod sandbox's own image), as the
 * folders of its repository path: `registry.k8s.io/pause`, `gcr.io/google_containers/pause-amd64`
 * (GCR serves the project under its id `google-containers` and the older `google_containers` alike).
 */
const PAUSE_FOLDERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['registry.k8s.io', new Set([''])],
  ['k8s.gcr.io', new Set([''])],
  ['gcr.io', new Set(['google_containers', 'google-containers'])],
  ['public.ecr.aws', new Set(['eks-distro/kubernetes'])],
  ['mcr.microsoft.com', new Set(['oss/kubernetes'])]
])

/**
 * Whether an image reference names the Kubernetes pause image, read by registry and repository
 * path (any tag or digest). Its one process, `/pause`, waits for a signal as user 65535 and uses
 * next to no CPU or memory: run as a workload (a capacity placeholder such as the autoscaling demos'
 * `inflate`), it holds a pod's place and requests and does nothing else. The one place that decides it.
 */
export function isPauseImage(ref: string): boolean {
  const { registry, path } = imageRepository(ref)
  const slash = path.lastIndexOf('/')
  const folder = slash < 0 ? '' : path.slice(0, slash)
  const name = path.slice(slash + 1)
  return registry !== undefined && PAUSE_FOLDERS.get(registry)?.has(folder) === true && /^pause(?:-(?:amd64|arm64|arm|ppc64le|s390x))?$/.test(name)
}

/** A shell started to run one script: `sh -c`, `/bin/bash -c`, `ash -ec`. */
const SHELL = /^(?:\/usr)?(?:\/bin\/)?(?:ba|a|da)?sh$/
/** Seconds per `sleep` unit suffix. */
const SLEEP_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }
/** The shortest `sleep` read as idling for good: a container restarted after an hour or more of sleep does no work either. */
const LONG_SLEEP_SECONDS = 3600

/**
 * Whether a container's whole command (its `command:` words, then its `args:`) only idles, like the
 * pause image: `sleep infinity`, `sleep <N>` of an hour or more, or `tail -f /dev/null`, directly or
 * as the last step of a `sh -c` script whose other steps only print or note something (an image
 * pre-puller: `echo pulled && sleep infinity`; see ONE_SHOT_PROGRAMS, with redirections to files).
 * A script that runs any other program, a pipe, a background job
 * or a substitution is not idle, nor is a word that is no text. No `command:` runs the image's own
 * entrypoint: not idle whatever the `args:`. The one place that decides it.
 */
export function commandOnlyIdles(command: readonly (string | undefined)[], args: readonly (string | undefined)[]): boolean {
  if (command.length === 0) return false
  const words = [...command, ...args]
  if (words.some((w) => w === undefined)) return false
  const argv = (words as string[]).map((w) => w.trim())
  if (SHELL.test(argv[0]!) && /^-e?c$/.test(argv[1] ?? '') && argv.length === 3) return idleScript(argv[2]!)
  return idleStep(argv.join(' '))
}

/** Operators after which the next command runs on its own: no pipe, background job or subshell. */
const SEQUENCE: ReadonlySet<Separator> = new Set(['&&', ';', '\n', 'end'])

/**
 * Programs that print or note something and exit, starting nothing (`hostname >> /data/host.txt`,
 * `cat /data/host.txt`, a short `sleep`): a script of them before its idle step still idles.
 * `env`, `xargs`, `nohup` and the like run another program, so they are not among them.
 */
const ONE_SHOT_PROGRAMS = new Set(['echo', 'printf', 'hostname', 'date', 'cat', 'ls', 'true', 'id', 'whoami', 'pwd', 'touch', 'mkdir', 'sleep', 'uname'])
/** A redirection to or from a file (`>> /data/out.txt`, `2>&1`, `< in.txt`), with its target. */
const FILE_REDIRECT = /\d?(?:>>?|<)(?![(<])[ \t]*(&\d|[^\s;&|<>()`$]+)/g
/** Targets that reach the network or a device rather than a file. */
const NOT_A_FILE = /^\/dev\/(?!null$|stdout$|stderr$)/

/** A shell script of one-shot programs (see ONE_SHOT_PROGRAMS) and then one idle step (see `commandOnlyIdles`). */
function idleScript(script: string): boolean {
  // Redirections to files only (the split below drops them): `/dev/tcp/…`, a here-document or a
  // process substitution feeds or reaches something else.
  const left = script.replace(FILE_REDIRECT, (all, target: string) => (NOT_A_FILE.test(target) ? all : ' '))
  if (/[<>]/.test(left)) return false
  // A pipe, a background job, a subshell or a substitution runs something else.
  const commands = splitShellCommands(left).filter((c) => c.words.length > 0)
  if (commands.length === 0) return false
  if (commands.some((c) => !SEQUENCE.has(c.next) || c.substitutions !== undefined)) return false
  return commands.slice(0, -1).every((c) => ONE_SHOT_PROGRAMS.has(c.words[0]!)) && idleStep(commands[commands.length - 1]!.words.join(' '))
}

/** One command that only waits: `sleep infinity`, `sleep <N>` of an hour or more, `tail -f /dev/null` (`exec` before it allowed). */
function idleStep(step: string): boolean {
  const words = step.trim().split(/\s+/)
  if (words[0] === 'exec') words.shift()
  const program = (words[0] ?? '').replace(/^(?:\/usr)?\/bin\//, '')
  if (program === 'tail') return words.length === 3 && /^-[fF]$/.test(words[1]!) && words[2] === '/dev/null'
  if (program !== 'sleep' || words.length !== 2) return false
  if (/^inf(?:inity)?$/i.test(words[1]!)) return true
  const amount = /^(\d{1,12})([smhd]?)$/.exec(words[1]!)
  return amount !== null && Number(amount[1]) * SLEEP_UNITS[amount[2]!]! >= LONG_SLEEP_SECONDS
}

/** `:latest`, or neither tag nor digest: the image behind the reference can change at any time. */
export function mutableImageReason(ref: ImageRef): 'latest' | 'untagged' | undefined {
  if (ref.digest) return undefined
  if (ref.tag === undefined || ref.tag === '') return 'untagged'
  if (ref.tag.toLowerCase() === 'latest') return 'latest'
  return undefined
}

/**
 * Variable names that suggest a credential: the words of the Dockerfile and compose rules and of
 * the Kubernetes env rule, merged when the three were made one.
 */
const SECRET_NAME =
  /(PASSW(OR)?D|PASSPHRASE|(^|_)PASS$|(^|_)PWD$|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH_?KEY|CREDENTIAL|(^|_)KEY$)/i
/** Names that match the words above but hold a reference, a setting or public material. */
const NOT_SECRET_NAME =
  /(_FILE|_PATH|_DIR|_URL|_URI|_ENDPOINT|_HOST|_PORT|_USER|_USERNAME|_NAME|_ID|_REF|_VERSION|_TTL|_EXPIRY|_EXPIRATION|_EXPIRES|_EXPIRES_IN|_LIFETIME|_TIMEOUT|_SECONDS|_LENGTH|_SIZE|_COUNT|_MAX|_MIN|_ENABLED|_TYPE|_ALGORITHM|_ALG|_HEADER|_FIELD|_POLICY|_LOCATION)$|PUBLIC|(^|_)GPG_KEYS?$|FINGERPRINT|^PWD$|^OLDPWD$/i

/** A URL with a password (`mysql://root:pw@db/app`, `redis://:pw@cache`): the secret scan's own shape, anchored. */
const URL_WITH_PASSWORD = new RegExp(`^${URL_PASSWORD_SOURCE}`)

/** Whatever an environment value leaves to be filled in when the container starts or the file is rendered. */
const EXPANDED_LATER = /\$\(|\$\{|\{\{/

/** A secret literal found in an environment entry (see `envSecretLiteral`). */
export interface EnvSecretLiteral {
  /** The secret as written: the value itself, or the password of the URL the value is (decoded). */
  secret: string
  /** The value is a URL and `secret` its password: a credential whatever the variable's name. */
  inUrl: boolean
  /**
   * A stand-in typed where the secret goes (`changeme`, `example`, `INSERT_TOKEN`): no secret to
   * rotate, though a stack may ship with it (the compose rules report it as a guessable value).
   */
  standIn: boolean
}

/**
 * Whether an environment entry of a Dockerfile (`ENV`/`ARG`), compose file (`environment:`) or
 * Kubernetes container (`env[].value`) holds a secret written into the file, and which. Either the
 * value is a URL with a password, or the name names a credential (for the secret scan too,
 * `classifyKey`: `MAX_TOTAL_TOKENS` counts tokens) and the value is a literal by the secret scan's
 * notion (`whyNotLiteral`). Undefined for no value, an empty one, one expanded later (`${VAR}`,
 * `$(VAR)`, `{{ }}`), a `$VAR` reference, a path, a switch or a setting.
 */
export function envSecretLiteral(name: string, value: string | null | undefined): EnvSecretLiteral | undefined {
  if (value === null || value === undefined || value.trim() === '' || EXPANDED_LATER.test(value)) return undefined
  const url = URL_WITH_PASSWORD.exec(value.trim())?.groups
  if (url?.urlPass !== undefined) {
    // Judged as written, as the secret scan judges it (`50%25discount` decodes to a `%d` look-alike); the secret is what the server gets.
    const kind = urlPasswordKind(url.urlHead ?? '', url.urlPass)
    return kind === 'none' ? undefined : { secret: decodedUrlPart(url.urlPass), inUrl: true, standIn: kind === 'stand-in' }
  }
  if (!SECRET_NAME.test(name) || NOT_SECRET_NAME.test(name) || classifyKey(name) === undefined) return undefined
  // Used as the secret itself, an env value is no "key name" (`not-a-real-password` is one literal),
  // and a short or numeric value under a password's name (`sst`, `1234`) is a weak password, not a setting.
  // `***`: a value masked where it was copied from, too short for `whyNotLiteral` to call it a stand-in.
  if (/^[*•]+$/.test(value.trim())) return { secret: value, inUrl: false, standIn: true }
  const why = whyNotLiteral(value, name)
  const weakLiteral = why === 'key name' || why === 'too short' || why === 'number' || (why === 'placeholder' && /^\d+$/.test(value.trim()))
  if (why === 'placeholder' && !weakLiteral) return { secret: value, inUrl: false, standIn: true }
  if (why !== undefined && !weakLiteral) return undefined
  if (/^(true|false|yes|no|on|off|\d{1,3})$/i.test(value.trim())) return undefined
  return { secret: value, inUrl: false, standIn: false }
}

/** A URL's percent-encoded part, decoded; as written when it is not valid encoding. */
function decodedUrlPart(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
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
