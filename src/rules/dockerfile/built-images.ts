/**
 * Images the analysed repository builds itself, by one-word name: a stage another Dockerfile names
 * (`FROM … AS argocd-base`, built with `docker build --target argocd-base -t argocd-base`) or a tag a
 * Makefile or shell script gives `docker build` (`-t test-tools`, `--tag=test-tools:latest`). A
 * Dockerfile `FROM` such a name uses a local build product, not a registry's moving `latest`.
 * Read once per run from every file of the list, so the answer is the same on any thread.
 */
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
  'sonarqube', 'kong', 'eclipse-mosquitto', 'odoo', 'drupal', 'joomla', 'composer', 'hello-world'
])

/** Where a locally built image comes from, for the finding's message: `stage of \`Dockerfile\``, `tagged by \`Makefile\``. */
export type BuiltImages = ReadonlyMap<string, string>

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

/** Names a script's `docker build` / `docker buildx build` / `podman build` commands tag (`-t name`, `--tag=name:tag`). */
function taggedNames(content: string): string[] {
  const names: string[] = []
  // A command continued over several lines with a trailing backslash is read as one.
  for (const line of content.replace(/\\\r?\n/g, ' ').split('\n')) {
    const words = line.trim().split(/\s+/).map((w) => w.replace(/^["']|["';]$/g, ''))
    const at = words.findIndex((w) => BUILDER_WORD.test(w))
    if (at < 0) continue
    const verb = words[at + 1] === 'buildx' ? at + 2 : at + 1
    if (words[verb] !== 'build') continue
    for (let i = verb + 1; i < words.length; i++) {
      const word = words[i]
      if (word === '&&' || word === ';' || word === '|') break
      const value = word === '-t' || word === '--tag' ? words[++i] : /^(?:-t|--tag)=/.test(word) ? word.slice(word.indexOf('=') + 1) : undefined
      const name = value === undefined ? undefined : oneWordName(value)
      if (name !== undefined) names.push(name)
    }
  }
  return names
}

/**
 * The one-word image names the files build (not well-known official images), each with where it
 * is built. Only files present in the list count: in a pull request that leaves them out, nothing
 * is known to be local.
 */
export function builtImages(files: readonly SourceFile[]): Map<string, string> {
  const found = new Map<string, string>()
  for (const f of files) {
    const names = f.kind === 'dockerfile' ? stageNames(f.content) : SCRIPT_NAME.test(f.path) ? taggedNames(f.content) : []
    const how = f.kind === 'dockerfile' ? `a stage of \`${f.path}\`` : `tagged by \`docker build\` in \`${f.path}\``
    for (const name of names) if (!WELL_KNOWN_OFFICIAL.has(name) && !found.has(name)) found.set(name, how)
  }
  return found
}

/** Where the repository builds `image` itself, when it is a one-word name of `built`; undefined otherwise. */
export function localBuildOf(image: string, built: BuiltImages | undefined): string | undefined {
  if (built === undefined || built.size === 0) return undefined
  const { registry, path } = imageRepository(image)
  if (registry !== undefined || path.includes('/')) return undefined
  return built.get(path)
}
