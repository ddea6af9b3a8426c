/**
 * Images the analysed repository builds itself, by one-word name: a stage another Dockerfile names
 * (`FROM … AS argocd-base`, built with `docker build --target argocd-base -t argocd-base`) or a tag a
 * Makefile or shell script gives `docker build` (`-t test-tools`, `--tag=test-tools:latest`). A
 * Dockerfile `FROM` such a name uses a local build product, not a registry's moving `latest`.
 * Read once per run from every file of the list, so the answer is the same on any thread.
 */
import { posix } from 'node:path'
import type { SourceFile } from '../../types.js'
import { imageBaseName, imageRepository, parseImageRef } from '../container-common.js'

/**
 * Docker Hub official images a project commonly builds on. A one-word name among them is the
 * registry's image even when some Dockerfile of the repository names a stage after it
 * (`FROM docker.io/library/node:24 AS node`).
 */
const WELL_KNOWN_OFFICIAL = new Set([
  'alpine', 'busybox', 'debian', 'ubuntu', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux', 'photon', 'archlinux',
  'buildpack-deps', 'bash', 'gcc', 'docker', 'node', 'python', 'pypy', 'golang', 'rust', 'ruby', 'perl', 'php', 'openjdk', 'eclipse-temurin',
  'amazoncorretto', 'maven', 'gradle', 'clojure', 'elixir', 'erlang', 'haskell', 'julia', 'r-base', 'swift', 'dart', 'mono', 'nginx', 'httpd',
  'tomcat', 'caddy', 'haproxy', 'traefik', 'postgres', 'redis', 'mysql', 'mariadb', 'mongo', 'rabbitmq', 'memcached', 'elasticsearch', 'registry',
  'vault', 'consul', 'influxdb', 'telegraf', 'cassandra', 'couchdb', 'zookeeper', 'solr', 'neo4j', 'wordpress', 'ghost', 'nextcloud', 'jenkins',
  'sonarqube', 'kong', 'eclipse-mosquitto', 'odoo', 'drupal', 'joomla', 'composer', 'hello-world', 'varnish', 'nats', 'jetty', 'percona',
  'phpmyadmin', 'adminer', 'mediawiki', 'redmine', 'matomo', 'postfixadmin', 'groovy', 'kibana', 'logstash', 'flink',
  'storm', 'spark', 'couchbase', 'arangodb', 'orientdb', 'rethinkdb', 'mongo-express', 'yourls', 'xwiki', 'friendica', 'silverpeas'
])

/**
 * Where a locally built image comes from, for the finding's message (`a stage of \`Dockerfile\``,
 * `tagged by \`docker build\` in \`Makefile\``), and the Dockerfiles a tagging build builds under that
 * name (a Dockerfile `FROM` the name its own build gives is the registry's image or its last build).
 */
export interface BuiltImage {
  how: string
  dockerfiles: string[]
}
export type BuiltImages = ReadonlyMap<string, BuiltImage>

const SCRIPT_NAME = /(?:^|\/)(?:GNUmakefile|[Mm]akefile|[Jj]ustfile)$|\.(?:mk|sh|bash)$/
/** The command word of a container build: `docker`, `podman`, or a Makefile variable named after one. */
const BUILDER_WORD = /^(?:docker|podman|\$[({](?:docker|podman)[)}])$/i

/** A one-word image name (no registry, no namespace) as a tag or stage gives it, lower-case; undefined for anything else. */
function oneWordName(ref: string): string | undefined {
  const name = parseImageRef(ref).name
  if (name === '' || name.includes('$') || name.includes('/')) return undefined
  return name.toLowerCase()
}

/** Stage names of a Dockerfile whose stage is more than a renamed registry image (`FROM node:24 AS node` is not). */
function stageNames(content: string): string[] {
  const names: string[] = []
  for (const line of content.split('\n')) {
    const words = line.trim().split(/\s+/)
    if (words[0]?.toUpperCase() !== 'FROM') continue
    const rest = words.slice(1).filter((w) => !w.startsWith('--'))
    if (rest.length !== 3 || rest[1].toLowerCase() !== 'as') continue
    const alias = oneWordName(rest[2])
    if (alias !== undefined && !rest[0].includes('$') && imageBaseName(rest[0]) === alias) continue
    if (alias !== undefined) names.push(alias)
  }
  return names
}

/** Options of `docker build` that take the next word as their value. */
const BUILD_VALUE_OPTIONS = new Set([
  '-t', '--tag', '-f', '--file', '--build-arg', '--target', '--platform', '--label', '--network', '--secret', '--ssh', '--cache-from',
  '--cache-to', '-o', '--output', '--progress', '--iidfile', '--add-host', '--build-context', '--shm-size', '-m', '--memory', '--ulimit', '--builder'
])

/** A path from the repository's root, `.` and `..` resolved (`./cache/../cache/Dockerfile` → `cache/Dockerfile`). */
const normalizedPath = (path: string): string => posix.normalize(path).replace(/^\.\/|^\/+/, '')

/**
 * Names a script's `docker build` / `docker buildx build` / `podman build` commands tag (`-t name`,
 * `--tag=name:tag`), each with the Dockerfiles the command may build: its `-f`, or any positional
 * word's `Dockerfile` (the context; an unknown option's value is read as one too, which only adds a
 * candidate), from the script's folder and from a `cd DIR` earlier on the line.
 */
function taggedNames(content: string, scriptPath: string): { name: string; dockerfiles: string[] }[] {
  const names: { name: string; dockerfiles: string[] }[] = []
  const folder = scriptPath.includes('/') ? scriptPath.slice(0, scriptPath.lastIndexOf('/')) : ''
  // A command continued over several lines with a trailing backslash is read as one.
  for (const line of content.replace(/\\\r?\n/g, ' ').split('\n')) {
    const raw = line.trim().split(/\s+/)
    const words = raw.map((w) => w.replace(/^["']|["';]$/g, ''))
    const at = words.findIndex((w) => BUILDER_WORD.test(w))
    if (at < 0) continue
    const verb = words[at + 1] === 'buildx' ? at + 2 : at + 1
    if (words[verb] !== 'build') continue
    // `cd cache && docker build -t name .`: the context is read from that folder too.
    const cd = words.slice(0, at).lastIndexOf('cd')
    const bases = cd >= 0 && words[cd + 1] !== undefined ? [folder, `${folder}/${words[cd + 1]}`] : [folder]
    const tags: string[] = []
    const built: string[] = []
    for (let i = verb + 1; i < words.length; i++) {
      const word = words[i]
      if (word === '&&' || word === '|' || word === '||' || word === '') break
      const eq = word.indexOf('=')
      const option = word.startsWith('-') ? (eq > 0 ? word.slice(0, eq) : word) : undefined
      const valueAt = option !== undefined && eq < 0 && BUILD_VALUE_OPTIONS.has(option) ? ++i : -1
      const value = option === undefined ? undefined : eq > 0 ? word.slice(eq + 1) : valueAt >= 0 ? words[valueAt] : undefined
      if (option === '-t' || option === '--tag') {
        const name = value === undefined ? undefined : oneWordName(value)
        if (name !== undefined) tags.push(name)
      } else if (option === '-f' || option === '--file') {
        if (value !== undefined) built.push(value)
      } else if (option === undefined) built.push(`${word}/Dockerfile`)
      // `cache;` ends the command (the mark is stripped from the word).
      if (raw[i].endsWith(';')) break
    }
    const dockerfiles = built
      .filter((b) => !b.includes('$') && b !== '-/Dockerfile' && b !== '-')
      .flatMap((b) => (b.startsWith('/') ? [normalizedPath(b)] : bases.map((base) => normalizedPath(`${base}/${b}`))))
    for (const name of tags) names.push({ name, dockerfiles })
  }
  return names
}

/**
 * The one-word image names the files build (not well-known official images), each with where it
 * is built. Only files present in the list count: in a pull request that leaves them out, nothing
 * is known to be local.
 */
export function builtImages(files: readonly SourceFile[]): Map<string, BuiltImage> {
  const found = new Map<string, BuiltImage>()
  const add = (name: string, how: string, dockerfiles: string[] = []): void => {
    if (WELL_KNOWN_OFFICIAL.has(name)) return
    let entry = found.get(name)
    if (!entry) found.set(name, (entry = { how, dockerfiles: [] }))
    for (const d of dockerfiles) entry.dockerfiles.push(d)
  }
  for (const f of files) {
    if (f.kind === 'dockerfile') for (const name of stageNames(f.content)) add(name, `a stage of \`${f.path}\``)
    else if (SCRIPT_NAME.test(f.path)) for (const t of taggedNames(f.content, f.path)) add(t.name, `tagged by \`docker build\` in \`${f.path}\``, t.dockerfiles)
  }
  return found
}

/**
 * Where the repository builds `image` itself, when it is a one-word name of `built` that the
 * Dockerfile at `path` does not build itself (`docker build -t varnish varnish/` with `FROM varnish`
 * there pulls Docker Hub's image); undefined otherwise.
 */
export function localBuildOf(image: string, built: BuiltImages | undefined, path: string): string | undefined {
  if (built === undefined || built.size === 0) return undefined
  const { registry, path: name } = imageRepository(image)
  if (registry !== undefined || name.includes('/')) return undefined
  const entry = built.get(name)
  return entry === undefined || entry.dockerfiles.includes(normalizedPath(path)) ? undefined : entry.how
}
