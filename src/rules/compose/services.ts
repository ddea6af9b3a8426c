/**
 * The compose file as the checks read it: each service through YAML merge keys and same-file
 * `extends`, and the context through which checks report.
 */
import type { Document } from 'yaml'
import type { Finding, RuleMeta, SourceFile } from '../../types.js'
import type { FindingExtra, Report } from '../rule.js'
import { isMap, isSeq, isScalar, scalarString, ParseError, type YamlFile, type YAMLMap, type Node, type Pair } from '../parse/yaml.js'

// ── Reading services ────────────────────────────────────────────────────────────────────────

export interface Service {
  name: string
  /** The key node of the service, where findings about missing settings point. */
  key: Node
  map: YAMLMap
  /**
   * Completed by another file, so what is missing here may be defined there: it extends a service
   * of another file (`extends.file`), or it is an overlay's service (`isOverlayService`).
   */
  extendsElsewhere: boolean
  /**
   * `setting` answers by key, kept for this analysis: the checks ask for the same keys again
   * (`image`, `build`, `deploy` each several times). Filled only once every service is known.
   */
  settings: Map<string, Pair<Node, Node> | undefined>
}

export interface Context {
  file: SourceFile
  yaml: YamlFile
  doc: Document.Parsed
  lines: string[]
  services: Map<string, Service>
  report: Report
  findings: Finding[]
  /** A Swarm stack or production file (`isSharedHostFile`), decided once per file. */
  sharedHost: boolean
  /** What says the file runs only on a developer's or CI machine (see `localEvidence` in ./dangerous.ts), once asked. */
  localEvidence?: { why?: string }
}

/** Limit for following merge keys and `extends` chains (cycles and alias bombs). */
const MAX_DEPTH = 10

export function emit(ctx: Context, meta: RuleMeta, line: number, message: string, extra: Pick<FindingExtra, 'severity' | 'suggestion'> = {}): void {
  ctx.findings.push(ctx.report(meta, line, message, extra))
}

export function resolve(ctx: Context, node: unknown): unknown {
  return ctx.yaml.deref(ctx.doc, node)
}

/** A key of a map, looking through `<<` merge keys (a map or a list of maps). */
export function pairIn(ctx: Context, map: unknown, key: string, depth = 0): Pair<Node, Node> | undefined {
  const m = resolve(ctx, map)
  if (!isMap(m) || depth > MAX_DEPTH) return undefined
  // One pass for the key itself, noting whether a merge key is there to look through at all.
  let merges = false
  for (const p of m.items) {
    if (!isScalar(p.key)) continue
    if (String(p.key.value) === key) return p as Pair<Node, Node>
    if (p.key.value === '<<') merges = true
  }
  if (!merges) return undefined
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
export function setting(ctx: Context, service: Service, key: string): Pair<Node, Node> | undefined {
  if (service.settings.has(key)) return service.settings.get(key)
  const found = settingAt(ctx, service, key, 0)
  service.settings.set(key, found)
  return found
}

function settingAt(ctx: Context, service: Service, key: string, depth: number): Pair<Node, Node> | undefined {
  const own = pairIn(ctx, service.map, key)
  if (own || depth > MAX_DEPTH) return own
  const base = extendedService(ctx, service)
  return base ? settingAt(ctx, base, key, depth + 1) : undefined
}

export function extendedService(ctx: Context, service: Service): Service | undefined {
  const ext = pairIn(ctx, service.map, 'extends')
  if (!ext) return undefined
  const value = resolve(ctx, ext.value)
  const name = scalarString(value) ?? scalarString(resolve(ctx, pairIn(ctx, value, 'service')?.value))
  if (!name || name === service.name) return undefined
  return ctx.services.get(name)
}

/** A nested setting (`deploy.resources.limits.memory`); each level may come from a merge. */
export function settingPath(ctx: Context, service: Service, path: string[]): Pair<Node, Node>[] {
  const found: Pair<Node, Node>[] = []
  let pair = setting(ctx, service, path[0])
  while (pair) {
    found.push(pair)
    if (found.length === path.length) break
    pair = pairIn(ctx, pair.value, path[found.length])
  }
  return found
}

export function value(ctx: Context, pair: Pair<Node, Node> | undefined): unknown {
  return pair ? resolve(ctx, pair.value) : undefined
}

/** A service's `environment` entries, map or list form, each with its line (`value` undefined when not a plain string). */
export function environmentOf(ctx: Context, s: Service): { name: string; value: string | undefined; line: number }[] {
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
  return entries
}

export function lineOf(ctx: Context, node: unknown): number {
  return ctx.yaml.lineOf(node)
}

export function collectServices(ctx: Context, root: YAMLMap): void {
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
    ctx.services.set(name, { name, key: p.key as Node, map, extendsElsewhere, settings: new Map() })
  }
  // Decided once every service is known: `image`/`build` may come through a same-file `extends`.
  for (const s of ctx.services.values()) if (isOverlayService(ctx, s)) s.extendsElsewhere = true
}

/** The file Compose reads by default: `docker-compose.yml`, `compose.yaml`, … */
export const isBaseFile = (path: string): boolean => /^(docker-)?compose\.ya?ml$/i.test(path.slice(path.lastIndexOf('/') + 1))

/**
 * A service of an overlay file (`docker-compose.dev.yml`, `compose.test.yaml`,
 * `docker-compose.ci.yml`, passed after the base with `-f`): it names neither an `image` nor a
 * `build`, which Compose refuses for a service that stands alone, so it only adds to the service
 * of the same name in the base. A service of the overlay with its own image or build is whole, and
 * so is every service of the base file itself.
 */
export function isOverlayService(ctx: Context, s: Service): boolean {
  if (isBaseFile(ctx.file.path) || isStackFile(ctx.file.path)) return false
  return setting(ctx, s, 'image') === undefined && setting(ctx, s, 'build') === undefined
}

/** `docker stack deploy` files: Swarm restarts every task by default (`restart_policy.condition: any`). */
export const isStackFile = (path: string): boolean => {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase()
  const stem = /\.ya?ml$/.test(name) ? name.replace(/\.ya?ml$/, '') : undefined
  return stem !== undefined && stem.split(/[-_.]/).includes('stack')
}

/**
 * An override file (`docker-compose.override.yml`, `compose.override.yaml`, `compose.dev.override.yml`):
 * Compose merges it onto the base file, so its services are partial and what they lack is the base's.
 */
export const isOverrideFile = (path: string): boolean => /(^|[-_.])override\.ya?ml$/i.test(path.slice(path.lastIndexOf('/') + 1))

/**
 * A file meant for shared hosts: a Swarm stack (by name or by Swarm-only `deploy` keys) or a
 * production file. No value is a local default there.
 */
export function isSharedHostFile(ctx: Context): boolean {
  const name = ctx.file.path.slice(ctx.file.path.lastIndexOf('/') + 1).toLowerCase()
  if (isStackFile(ctx.file.path) || /prod/.test(name)) return true
  for (const s of ctx.services.values()) {
    const deploy = value(ctx, setting(ctx, s, 'deploy'))
    if (isMap(deploy) && ['replicas', 'placement', 'update_config', 'rollback_config', 'mode'].some((k) => pairIn(ctx, deploy, k))) return true
  }
  return false
}
