/**
 * Rules for docker-compose files. Each service is read through YAML merge keys (`<<: *base`)
 * and same-file `extends`, so shared defaults count; a service that extends one from another
 * file is not judged on what it lacks, since the missing piece may live there.
 */
import { isAlias, type Document } from 'yaml'
import type { Finding, RuleMeta, SourceFile } from '../types.js'
import { parseYaml, isMap, isSeq, isScalar, scalarString, ParseError, type YamlFile, type YAMLMap, type Node, type Pair } from './yaml.js'
import { parseImageRef, mutableImageReason, isSecretName, isLiteralSecretValue } from './container-common.js'
import { isUrlPasswordPlaceholder } from './secrets/patterns.js'

type RuleSpec = Omit<RuleMeta, 'kind'>

function rule(spec: RuleSpec): RuleMeta {
  return { kind: 'compose', ...spec }
}

const R = {
  noHealthcheck: rule({
    id: 'compose/no-healthcheck',
    category: 'slo',
    topics: ['health-checks'],
    severity: 'low',
    title: 'Service without healthcheck',
    description: 'Without a healthcheck, `depends_on: condition: service_healthy` cannot work and a hung container is never reported unhealthy.',
    remediation: 'Add `healthcheck:` with a `test` that probes the service, plus `interval`, `timeout` and `retries`.',
    refs: { kics: 'dockerCompose/healthcheck_not_set' }
  }),
  healthcheckDisabled: rule({
    id: 'compose/healthcheck-disabled',
    category: 'slo',
    topics: ['health-checks'],
    // Low, not info: a disabled check hides a dead container from restarts and dependants.
    severity: 'low',
    title: 'Healthcheck explicitly disabled',
    description: "`disable: true` or `test: [\"NONE\"]` turns off the image's own healthcheck; make sure something else watches the service.",
    remediation: 'Define a `healthcheck.test` for the service, or document why none is wanted.',
    refs: { kics: 'dockerCompose/healthcheck_not_set' }
  }),
  noMemoryLimit: rule({
    id: 'compose/no-memory-limit',
    category: 'cost',
    topics: ['resource-limits'],
    severity: 'medium',
    title: 'Service without memory limit',
    description: 'A container without a memory limit can take all of the host memory and starve its neighbours.',
    remediation: 'Set `deploy.resources.limits.memory` (or `mem_limit` in the v2 format).',
    refs: { kics: 'dockerCompose/memory_not_limited' }
  }),
  noCpuLimit: rule({
    id: 'compose/no-cpu-limit',
    category: 'cost',
    topics: ['resource-limits'],
    severity: 'low',
    title: 'Service without CPU limit',
    description: 'A container without a CPU limit can use every core of the host.',
    remediation: 'Set `deploy.resources.limits.cpus` (or `cpus` in the v2 format).',
    refs: { kics: 'dockerCompose/cpus_not_limited' }
  }),
  privileged: rule({
    id: 'compose/privileged',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Privileged container',
    description: 'A privileged container has every capability and access to host devices; escaping to the host is trivial.',
    remediation: 'Set `privileged: false` and grant only the capabilities needed with `cap_add`.',
    refs: { kics: 'dockerCompose/privileged_containers_enabled' }
  }),
  dockerSocket: rule({
    id: 'compose/docker-socket',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Docker socket mounted',
    description: 'Access to the Docker socket is root access to the host.',
    remediation: 'Remove the docker.sock mount; if the service must talk to Docker, put a filtering socket proxy in between.',
    refs: { kics: 'dockerCompose/docker_socket_mounted_in_container' }
  }),
  portAllInterfaces: rule({
    id: 'compose/port-all-interfaces',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'medium',
    title: 'Port published on all interfaces',
    description: 'A port without a host IP is published on every interface of the host (0.0.0.0), bypassing host firewalls such as ufw.',
    remediation: 'Bind to the interface that needs it, e.g. `"127.0.0.1:8080:80"` or `host_ip: 127.0.0.1` in the long syntax.',
    refs: { kics: 'dockerCompose/container_traffic_not_bound_to_host_interface' }
  }),
  secretInEnvironment: rule({
    id: 'compose/secret-in-environment',
    category: 'secrets',
    topics: ['secret-storage', 'secret-exposure'],
    severity: 'high',
    title: 'Secret literal in environment',
    description: 'A credential written into the compose file is readable by everyone with the repository and shows in `docker inspect`.',
    remediation: 'Use `${VAR}` interpolation from an untracked .env file, `env_file`, or compose `secrets:`.'
  }),
  defaultCredential: rule({
    id: 'compose/default-credential-in-environment',
    category: 'secrets',
    topics: ['secret-storage'],
    severity: 'medium',
    title: 'Demo or default credential in a local compose file',
    description:
      'A credential is set to a value anyone would guess (the image name, the user name, `root`, `example`, …) or to a word typed for a demo, in a compose file that is neither a Swarm stack nor a production file. That is the usual setup of a local development stack and not a leak; it becomes one when the file, or the habit, reaches a shared host.',
    remediation: 'Read it from an untracked .env file (`${POSTGRES_PASSWORD:?set it in .env}`) so no environment runs with the guessable value by accident.'
  }),
  noRestartPolicy: rule({
    id: 'compose/no-restart-policy',
    category: 'slo',
    topics: ['redundancy'],
    severity: 'low',
    title: 'Service without restart policy',
    description: 'Without `restart`, a crashed container stays down until someone starts it again.',
    remediation: 'Set `restart: unless-stopped` (or `deploy.restart_policy` for Swarm).'
  }),
  networkModeHost: rule({
    id: 'compose/network-mode-host',
    category: 'security',
    topics: ['network-exposure', 'least-privilege'],
    severity: 'medium',
    title: 'Host network mode',
    description: "`network_mode: host` shares the host's network stack: the container can bind any host port and reach services listening on localhost.",
    remediation: 'Use a bridge network and publish only the ports needed.',
    refs: { kics: 'dockerCompose/shared_host_network_namespace' }
  }),
  hostNamespace: rule({
    id: 'compose/host-namespace',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'Host PID or IPC namespace',
    description: '`pid: host` or `ipc: host` lets the container see and signal host processes or read host shared memory.',
    remediation: 'Remove `pid: host` / `ipc: host` unless the service is a host agent that truly needs them.',
    refs: { kics: 'dockerCompose/host_namespace_is_shared' }
  }),
  dangerousCapability: rule({
    id: 'compose/dangerous-capability',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Dangerous capability added',
    description: '`cap_add: ALL`, `SYS_ADMIN` or `SYS_MODULE` give the container near-root power over the host kernel.',
    remediation: 'Add only the narrow capabilities the service needs (e.g. `NET_BIND_SERVICE`).'
  }),
  imageLatest: rule({
    id: 'compose/image-latest',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'medium',
    title: 'Image uses :latest or no tag',
    description: 'An image without a tag, or tagged `latest`, can change between two `docker compose pull`s.',
    remediation: 'Pin the image to a version tag (and ideally a digest), e.g. `postgres:16.2`.'
  })
} as const

export const composeRules: RuleMeta[] = Object.values(R)

// ── Reading services ────────────────────────────────────────────────────────────────────────

interface Service {
  name: string
  /** The key node of the service, where findings about missing settings point. */
  key: Node
  map: YAMLMap
  /** Extends a service from another file: what is missing here may be defined there. */
  extendsElsewhere: boolean
}

interface Context {
  file: SourceFile
  yaml: YamlFile
  doc: Document.Parsed
  lines: string[]
  services: Map<string, Service>
  findings: Finding[]
}

/** Limit for following merge keys and `extends` chains (cycles and alias bombs). */
const MAX_DEPTH = 10

function emit(ctx: Context, meta: RuleMeta, line: number, message: string, suggestion?: string): void {
  const f: Finding = {
    ruleId: meta.id,
    category: meta.category,
    severity: meta.severity,
    path: ctx.file.path,
    line,
    message,
    remediation: meta.remediation
  }
  if (suggestion !== undefined) f.suggestion = suggestion
  ctx.findings.push(f)
}

function resolve(ctx: Context, node: unknown): unknown {
  let cur = node
  for (let i = 0; i < MAX_DEPTH && isAlias(cur); i++) cur = cur.resolve(ctx.doc)
  return cur
}

/** A key of a map, looking through `<<` merge keys (a map or a list of maps). */
function pairIn(ctx: Context, map: unknown, key: string, depth = 0): Pair<Node, Node> | undefined {
  const m = resolve(ctx, map)
  if (!isMap(m) || depth > MAX_DEPTH) return undefined
  const own = m.items.find((p) => isScalar(p.key) && String(p.key.value) === key)
  if (own) return own as Pair<Node, Node>
  for (const p of m.items) {
    if (!(isScalar(p.key) && p.key.value === '<<')) continue
    const source = resolve(ctx, p.value)
    const sources = isSeq(source) ? source.items : [source]
    for (const s of sources) {
      const found = pairIn(ctx, s, key, depth + 1)
      if (found) return found
    }
  }
  return undefined
}

/** A service setting, through merge keys and same-file `extends`. */
function setting(ctx: Context, service: Service, key: string, depth = 0): Pair<Node, Node> | undefined {
  const own = pairIn(ctx, service.map, key)
  if (own || depth > MAX_DEPTH) return own
  const base = extendedService(ctx, service)
  return base ? setting(ctx, base, key, depth + 1) : undefined
}

function extendedService(ctx: Context, service: Service): Service | undefined {
  const ext = pairIn(ctx, service.map, 'extends')
  if (!ext) return undefined
  const value = resolve(ctx, ext.value)
  const name = scalarString(value) ?? scalarString(resolve(ctx, pairIn(ctx, value, 'service')?.value))
  if (!name || name === service.name) return undefined
  return ctx.services.get(name)
}

/** A nested setting (`deploy.resources.limits.memory`); each level may come from a merge. */
function settingPath(ctx: Context, service: Service, path: string[]): Pair<Node, Node>[] {
  const found: Pair<Node, Node>[] = []
  let pair = setting(ctx, service, path[0])
  while (pair) {
    found.push(pair)
    if (found.length === path.length) break
    pair = pairIn(ctx, pair.value, path[found.length])
  }
  return found
}

function value(ctx: Context, pair: Pair<Node, Node> | undefined): unknown {
  return pair ? resolve(ctx, pair.value) : undefined
}

function lineOf(ctx: Context, node: unknown): number {
  return ctx.yaml.lineOf(node)
}

function collectServices(ctx: Context, root: YAMLMap): void {
  const servicesPair = pairIn(ctx, root, 'services')
  let entries: Pair[]
  if (servicesPair) {
    const services = resolve(ctx, servicesPair.value)
    if (services === null || (isScalar(services) && services.value === null)) return
    if (!isMap(services)) throw new ParseError(`\`services\` must be a mapping of service names`, lineOf(ctx, servicesPair.key))
    entries = services.items
  } else {
    // The legacy v1 format has the services at the top level.
    entries = root.items.filter((p) => {
      const v = resolve(ctx, p.value)
      return isMap(v) && (pairIn(ctx, v, 'image') !== undefined || pairIn(ctx, v, 'build') !== undefined)
    })
  }
  for (const p of entries) {
    const name = scalarString(p.key)
    const map = resolve(ctx, p.value)
    if (!name || name === '<<' || !isMap(map)) continue
    const ext = resolve(ctx, pairIn(ctx, map, 'extends')?.value)
    const extendsElsewhere = isMap(ext) && pairIn(ctx, ext, 'file') !== undefined
    ctx.services.set(name, { name, key: p.key as Node, map, extendsElsewhere })
  }
}

export function analyzeCompose(file: SourceFile): Finding[] {
  const yaml = parseYaml(file.content)
  const doc = yaml.docs[0]
  const findings: Finding[] = []
  if (!doc || doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return findings
  if (!isMap(doc.contents)) throw new ParseError('the top level of a compose file must be a mapping', yaml.lineOf(doc.contents))
  const ctx: Context = { file, yaml, doc, lines: file.content.split('\n'), services: new Map(), findings }
  collectServices(ctx, doc.contents)
  for (const service of ctx.services.values()) checkService(ctx, service)
  return findings.sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId))
}

/** `docker stack deploy` files: Swarm restarts every task by default (`restart_policy.condition: any`). */
const isStackFile = (path: string): boolean => {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase()
  const stem = /\.ya?ml$/.test(name) ? name.replace(/\.ya?ml$/, '') : undefined
  return stem !== undefined && stem.split(/[-_.]/).includes('stack')
}

/**
 * Services that run once and exit: the `sut` test runner of Docker Hub autotests, and tools kept
 * behind a profile that nothing depends on and that publish no port (seeders, migrations, CLIs).
 * A healthcheck or restart policy would be wrong for them.
 */
function isOneShot(ctx: Context, s: Service): boolean {
  if (s.name === 'sut') return true
  if (!setting(ctx, s, 'profiles') || setting(ctx, s, 'ports')) return false
  return ![...ctx.services.values()].some((other) => {
    const deps = resolve(ctx, setting(ctx, other, 'depends_on')?.value)
    if (isSeq(deps)) return deps.items.some((d) => scalarString(resolve(ctx, d)) === s.name)
    return isMap(deps) && pairIn(ctx, deps, s.name) !== undefined
  })
}

function checkService(ctx: Context, s: Service): void {
  if (!s.extendsElsewhere) {
    const oneShot = isOneShot(ctx, s)
    if (!oneShot) checkHealthcheck(ctx, s)
    checkLimits(ctx, s)
    if (!oneShot && !isStackFile(ctx.file.path)) checkRestart(ctx, s)
  }
  checkPrivileged(ctx, s)
  checkVolumes(ctx, s)
  checkPorts(ctx, s)
  checkEnvironment(ctx, s)
  checkNamespaces(ctx, s)
  checkCapabilities(ctx, s)
  checkImage(ctx, s)
}

// ── Missing settings ────────────────────────────────────────────────────────────────────────

function checkHealthcheck(ctx: Context, s: Service): void {
  const hc = setting(ctx, s, 'healthcheck')
  if (!hc) {
    emit(ctx, R.noHealthcheck, lineOf(ctx, s.key), `service \`${s.name}\` has no healthcheck`)
    return
  }
  const disable = pairIn(ctx, hc.value, 'disable')
  if (disable && scalarString(value(ctx, disable)) === 'true') {
    emit(ctx, R.healthcheckDisabled, lineOf(ctx, disable.key), `service \`${s.name}\` disables its healthcheck`)
    return
  }
  const test = pairIn(ctx, hc.value, 'test')
  const testValue = value(ctx, test)
  const first = isSeq(testValue) ? scalarString(resolve(ctx, testValue.items[0])) : scalarString(testValue)
  if (test && first?.toUpperCase() === 'NONE') {
    emit(ctx, R.healthcheckDisabled, lineOf(ctx, test.key), `service \`${s.name}\` disables its healthcheck with \`NONE\``)
  }
}

/** The deepest of `deploy`, `deploy.resources`, `deploy.resources.limits` that exists, else the service key. */
function limitsAnchor(ctx: Context, s: Service): number {
  const found = settingPath(ctx, s, ['deploy', 'resources', 'limits'])
  return found.length ? lineOf(ctx, found[found.length - 1].key) : lineOf(ctx, s.key)
}

function checkLimits(ctx: Context, s: Service): void {
  const limit = (key: string): boolean => settingPath(ctx, s, ['deploy', 'resources', 'limits', key]).length === 4
  const hasMemory = limit('memory') || setting(ctx, s, 'mem_limit') !== undefined
  const hasCpu = limit('cpus') || setting(ctx, s, 'cpus') !== undefined || setting(ctx, s, 'cpu_quota') !== undefined
  if (!hasMemory) emit(ctx, R.noMemoryLimit, limitsAnchor(ctx, s), `service \`${s.name}\` has no memory limit`)
  if (!hasCpu) emit(ctx, R.noCpuLimit, limitsAnchor(ctx, s), `service \`${s.name}\` has no CPU limit`)
}

function checkRestart(ctx: Context, s: Service): void {
  if (setting(ctx, s, 'restart') || settingPath(ctx, s, ['deploy', 'restart_policy']).length === 2) return
  emit(ctx, R.noRestartPolicy, lineOf(ctx, s.key), `service \`${s.name}\` has no restart policy`)
}

// ── Dangerous settings ──────────────────────────────────────────────────────────────────────

/** The line as written, when it holds exactly `key: value` and so can be rewritten mechanically. */
function simpleKeyLine(ctx: Context, pair: Pair<Node, Node>, key: string, value: RegExp): string | undefined {
  const line = lineOf(ctx, pair.key)
  if (line !== ctx.yaml.endLineOf(pair.value)) return undefined
  const text = ctx.lines[line - 1] ?? ''
  const m = new RegExp(`^(\\s*(?:-\\s+)?)${key}\\s*:\\s*${value.source}\\s*(#.*)?$`).exec(text)
  return m ? m[1] : undefined
}

function checkPrivileged(ctx: Context, s: Service): void {
  const p = setting(ctx, s, 'privileged')
  if (!p || scalarString(value(ctx, p)) !== 'true') return
  const indent = simpleKeyLine(ctx, p, 'privileged', /true/)
  emit(ctx, R.privileged, lineOf(ctx, p.key), `service \`${s.name}\` runs privileged`, indent === undefined ? undefined : `${indent}privileged: false`)
}

function checkVolumes(ctx: Context, s: Service): void {
  const volumes = value(ctx, setting(ctx, s, 'volumes'))
  if (!isSeq(volumes)) return
  for (const item of volumes.items) {
    const v = resolve(ctx, item)
    const source = isMap(v) ? scalarString(value(ctx, pairIn(ctx, v, 'source'))) : scalarString(v)?.split(':')[0]
    if (source && /(^|\/)docker\.sock$/.test(source.trim())) {
      emit(ctx, R.dockerSocket, lineOf(ctx, v), `service \`${s.name}\` mounts the Docker socket \`${source.trim()}\``)
    }
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

function checkPorts(ctx: Context, s: Service): void {
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
      emit(ctx, R.portAllInterfaces, lineOf(ctx, v), `service \`${s.name}\` publishes \`${spec}\` on all host interfaces`, shortPortSuggestion(ctx, v, spec.trim(), ip))
    }
  }
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
  emit(ctx, R.portAllInterfaces, line, `service \`${s.name}\` publishes container port ${target} on all host interfaces`, suggestion)
}

function checkEnvironment(ctx: Context, s: Service): void {
  const env = value(ctx, setting(ctx, s, 'environment'))
  const entries: { name: string; value: string | undefined; line: number }[] = []
  if (isMap(env)) {
    for (const p of env.items) {
      const name = scalarString(p.key)
      if (name) entries.push({ name, value: scalarString(resolve(ctx, p.value)), line: lineOf(ctx, p.key) })
    }
  } else if (isSeq(env)) {
    for (const item of env.items) {
      const entry = scalarString(resolve(ctx, item))
      const eq = entry?.indexOf('=') ?? -1
      if (!entry || eq <= 0) continue
      entries.push({ name: entry.slice(0, eq).trim(), value: entry.slice(eq + 1), line: lineOf(ctx, item) })
    }
  }
  const guessable = guessableValues(ctx, s, entries)
  for (const e of entries) {
    // A URL with a password (`DATABASE_URL: mysql://root:pw@db/app`) holds a credential whatever its name.
    const urlPassword = e.value === undefined ? undefined : passwordOfUrl(e.value)
    const secret = urlPassword ?? (isSecretName(e.name) ? e.value : undefined)
    if (secret === undefined || !isLiteralSecretValue(secret) || (urlPassword !== undefined && isUrlPasswordPlaceholder(urlPassword))) continue
    const why = isSharedHostFile(ctx) ? undefined : (guessable.get(secret.trim().toLowerCase()) ?? (isWordLike(secret.trim()) ? 'lower-case words, not a generated secret' : undefined))
    const what = urlPassword === undefined ? `sets \`${e.name}\` to` : `puts a password in the URL of \`${e.name}\`:`
    if (why) {
      emit(ctx, R.defaultCredential, e.line, `service \`${s.name}\` ${what} a demo value (${why}) in a local compose file`)
    } else {
      emit(ctx, R.secretInEnvironment, e.line, `service \`${s.name}\` ${what} a literal value in \`environment\``)
    }
  }
}

/** The password of `scheme://user:password@host…`, decoded; undefined when there is none. */
function passwordOfUrl(value: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]{0,30}:\/\/[^:@/\s]{0,200}:([^@/\s]{1,200})@[^\s]/i.exec(value.trim())
  if (!m) return undefined
  try {
    return decodeURIComponent(m[1])
  } catch {
    return m[1]
  }
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

/** Values anyone would try first, each with why: a placeholder word, the image's own name, a user name set beside it. */
const GUESSABLE = ['root', 'admin', 'guest', 'pass', 'example', 'password', 'secret', 'changeme', 'test', 'dev']

function guessableValues(ctx: Context, s: Service, entries: { name: string; value: string | undefined }[]): Map<string, string> {
  const out = new Map(GUESSABLE.map((v) => [v, 'a placeholder word']))
  const image = scalarString(value(ctx, setting(ctx, s, 'image')))
  if (image && !image.includes('$')) {
    const repo = parseImageRef(image).name
    const base = repo.slice(repo.lastIndexOf('/') + 1).toLowerCase()
    if (base) out.set(base, "the image's name")
  }
  for (const e of entries) {
    if (/(?:^|_)USER(?:NAME)?$/i.test(e.name) && e.value && !e.value.includes('$')) out.set(e.value.trim().toLowerCase(), `the same as \`${e.name}\``)
  }
  return out
}

/**
 * A file meant for shared hosts: a Swarm stack (by name or by Swarm-only `deploy` keys) or a
 * production file. No value is a local default there.
 */
function isSharedHostFile(ctx: Context): boolean {
  const name = ctx.file.path.slice(ctx.file.path.lastIndexOf('/') + 1).toLowerCase()
  if (isStackFile(ctx.file.path) || /prod/.test(name)) return true
  for (const s of ctx.services.values()) {
    const deploy = value(ctx, setting(ctx, s, 'deploy'))
    if (isMap(deploy) && ['replicas', 'placement', 'update_config', 'rollback_config', 'mode'].some((k) => pairIn(ctx, deploy, k))) return true
  }
  return false
}

function checkNamespaces(ctx: Context, s: Service): void {
  const network = setting(ctx, s, 'network_mode')
  if (network && scalarString(value(ctx, network)) === 'host') {
    emit(ctx, R.networkModeHost, lineOf(ctx, network.key), `service \`${s.name}\` uses the host network`)
  }
  for (const key of ['pid', 'ipc']) {
    const p = setting(ctx, s, key)
    if (p && scalarString(value(ctx, p)) === 'host') {
      emit(ctx, R.hostNamespace, lineOf(ctx, p.key), `service \`${s.name}\` shares the host ${key.toUpperCase()} namespace`)
    }
  }
}

const DANGEROUS_CAPS = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE'])

function checkCapabilities(ctx: Context, s: Service): void {
  const caps = value(ctx, setting(ctx, s, 'cap_add'))
  if (!isSeq(caps)) return
  for (const item of caps.items) {
    const cap = scalarString(resolve(ctx, item))?.toUpperCase().replace(/^CAP_/, '')
    if (cap && DANGEROUS_CAPS.has(cap)) emit(ctx, R.dangerousCapability, lineOf(ctx, item), `service \`${s.name}\` adds capability \`${cap}\``)
  }
}

function checkImage(ctx: Context, s: Service): void {
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
