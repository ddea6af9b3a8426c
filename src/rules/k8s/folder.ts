/**
 * The manifest set a Kubernetes file belongs to: every manifest of the same folder (the unit a
 * `kubectl apply -f dir/` or a kustomization deploys together). Rules that ask "is there a
 * PodDisruptionBudget / autoscaler / NetworkPolicy for this workload" look across the whole set,
 * so a budget kept in `pdb.yaml` next to `deployment.yaml` counts.
 */
import type { SourceFile } from '../../types.js'
import { assertNoAliasBomb, parseYaml } from '../yaml.js'
import { objectsOf, type K8sObject } from './objects.js'
import { docView } from './view.js'
import { indexStream, type StreamIndex } from './workloads.js'

/** The parsed objects of one manifest file, kept so the analyzer does not parse it twice. */
export interface ParsedManifest {
  objects: K8sObject[]
}

export interface ManifestSets {
  /** Index of the objects of every manifest in a folder, by folder (`''` for the root). */
  byFolder: Map<string, StreamIndex>
  /** Parsed objects by file path (only files that parsed). */
  parsed: Map<string, ParsedManifest>
}

export const folderOf = (path: string): string => {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

/** Reads the objects of one manifest; throws ParseError like the analyzer does. */
export function parseManifest(content: string): ParsedManifest {
  const yaml = parseYaml(content)
  const objects: K8sObject[] = []
  for (const doc of yaml.docs) {
    // An alias bomb becomes a ParseError before any walk.
    assertNoAliasBomb(yaml, doc)
    objects.push(...objectsOf(docView(yaml, doc), doc.contents ?? undefined))
  }
  return { objects }
}

/**
 * Builds the folder index once for a whole file list. Files that do not parse are left out here;
 * the analyzer reports them as a note when it reaches them.
 */
export function buildManifestSets(files: readonly SourceFile[], scope = 'the manifests of its folder'): ManifestSets {
  const parsed = new Map<string, ParsedManifest>()
  const objectsByFolder = new Map<string, K8sObject[]>()
  for (const file of files) {
    if (file.kind !== 'kubernetes') continue
    let manifest: ParsedManifest
    try {
      manifest = parseManifest(file.content.replace(/\r\n?/g, '\n'))
    } catch {
      continue
    }
    parsed.set(file.path, manifest)
    const folder = folderOf(file.path)
    objectsByFolder.set(folder, [...(objectsByFolder.get(folder) ?? []), ...manifest.objects])
  }
  const byFolder = new Map<string, StreamIndex>()
  for (const [folder, objects] of objectsByFolder) byFolder.set(folder, indexStream(objects, scope))
  return { byFolder, parsed }
}

const MANIFEST_NAME = /\.(ya?ml|json)$/i

/**
 * The files whose content a manifest's findings depend on besides its own: the other manifests
 * of its folder. Given the paths of the repository tree at head, it returns the ones to read
 * (in PR mode they are fetched as context-only files: analysed for context, never reported).
 */
export function contextPathsFor(path: string, treePaths: readonly string[]): string[] {
  const folder = folderOf(path)
  return treePaths.filter((p) => p !== path && folderOf(p) === folder && MANIFEST_NAME.test(p))
}
