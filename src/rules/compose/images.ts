/**
 * What the Dockerfiles analysed with a compose file tell about its services' images: whether the
 * image a service runs is certainly built by one of them, and that one declares a HEALTHCHECK
 * (which Compose uses when the service sets none).
 */
import type { SourceFile } from '../../types.js'
import { imageRepository } from '../container-common.js'
import { declaresHealthcheck } from '../dockerfile/stages.js'
import { isMap, scalarString } from '../parse/yaml.js'
import { resolve, setting, value, pairIn, type Context, type Service } from './services.js'
import { folderOf, joinPath } from '../../util/paths.js'

/** The Dockerfiles of the analysed file list by path; each read for a HEALTHCHECK at most once. */
export class Dockerfiles {
  private readonly content = new Map<string, string>()
  private readonly healthcheck = new Map<string, boolean>()

  constructor(files: readonly SourceFile[]) {
    for (const f of files) if (f.kind === 'dockerfile') this.content.set(f.path, f.content)
  }

  /** Whether the Dockerfile at `path` is in the list and its image declares a HEALTHCHECK. */
  declaresHealthcheck(path: string): boolean {
    const known = this.healthcheck.get(path)
    if (known !== undefined) return known
    const content = this.content.get(path)
    const declares = content !== undefined && declaresHealthcheck(content)
    this.healthcheck.set(path, declares)
    return declares
  }
}


/** The Dockerfile a service's `build` names (`build: dir` or `build: {context, dockerfile}`), as a path of the tree. */
function builtFrom(ctx: Context, s: Service): string | undefined {
  const build = value(ctx, setting(ctx, s, 'build'))
  const context = isMap(build) ? scalarString(resolve(ctx, pairIn(ctx, build, 'context')?.value)) ?? '.' : scalarString(build)
  if (context === undefined) return undefined
  const dockerfile = isMap(build) ? scalarString(resolve(ctx, pairIn(ctx, build, 'dockerfile')?.value)) ?? 'Dockerfile' : 'Dockerfile'
  const dir = joinPath(folderOf(ctx.file.path), context)
  return dir === undefined ? undefined : joinPath(dir, dockerfile)
}

/** Registries where an image is named `owner/name` after its source repository: Docker Hub and GitHub's. */
const OWNER_REGISTRIES = new Set(['docker.io', 'index.docker.io', 'ghcr.io'])

/**
 * Whether the image is the repository's own by its name: `owner/name` on Docker Hub or on
 * GitHub's registry, any tag. Only then is the `Dockerfile` beside the compose file taken to build it.
 */
function isRepositoryImage(ref: string, repository: string): boolean {
  const { registry, path } = imageRepository(ref)
  return (registry === undefined || OWNER_REGISTRIES.has(registry)) && path === repository.toLowerCase()
}

/**
 * Whether the service's image certainly comes with a HEALTHCHECK: its `build` names a Dockerfile
 * beside the compose file that declares one, or (without `build`) its image is the repository's
 * own and the `Dockerfile` beside the compose file declares one. Only files of the compose file's
 * folder are looked at: they are always analysed together with it, however the work is spread.
 */
export function imageDeclaresHealthcheck(ctx: Context, s: Service, dockerfiles: Dockerfiles | undefined, repository: string | undefined): boolean {
  if (!dockerfiles) return false
  if (setting(ctx, s, 'build')) {
    const path = builtFrom(ctx, s)
    return path !== undefined && folderOf(path) === folderOf(ctx.file.path) && dockerfiles.declaresHealthcheck(path)
  }
  const ref = scalarString(value(ctx, setting(ctx, s, 'image')))
  if (ref === undefined || repository === undefined || !isRepositoryImage(ref, repository)) return false
  const folder = folderOf(ctx.file.path)
  return dockerfiles.declaresHealthcheck(folder ? `${folder}/Dockerfile` : 'Dockerfile')
}
