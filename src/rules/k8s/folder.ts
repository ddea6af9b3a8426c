/**
 * The manifest set a Kubernetes file belongs to: every manifest of the same folder (the unit a
 * `kubectl apply -f dir/` deploys together), widened by kustomizations: a folder whose
 * `kustomization.yaml` lists other folders or files as resources is deployed together with them.
 * Rules that ask "is there a PodDisruptionBudget / autoscaler / NetworkPolicy for this workload"
 * look across the whole set, so a budget kept in `pdb.yaml` next to `deployment.yaml`, or added
 * by an overlay, counts.
 */
import { posix } from 'node:path'
import type { SourceFile } from '../../types.js'
import { assertNoAliasBomb, parseYaml, type YamlFile } from '../parse/yaml.js'
import { objectsOf, podSpecOf, type K8sObject } from './objects.js'
import { docView } from './view.js'
import { indexStream, type StreamIndex } from './workloads.js'
import { enforceLevelOf, namespaceLabels, NO_POD_SECURITY, type EnforceLevel, type PodSecurityIndex } from './pod-security.js'
import { folderOf } from '../../util/paths.js'

/** The parsed objects of one manifest file, kept so the analyzer does not parse it twice. */
export interface ParsedManifest {
  objects: K8sObject[]
  /** The parsed stream, for passes that read it their own way (the cost pass). */
  yaml: YamlFile
}

export interface ManifestSets {
  /** Index of the objects of every manifest in a folder, by folder (`''` for the root). */
  byFolder: Map<string, StreamIndex>
  /** Parsed objects by file path (only files that parsed). */
  parsed: Map<string, ParsedManifest>
  /** Files a kustomization of the list names as a strategic-merge patch (`patches`, `patchesStrategicMerge`). */
  patches: Set<string>
  /**
   * Files a kustomization names as a JSON 6902 patch (`patchesJson6902`, or `patches` with a
   * `target`): lists of `{op, path, value}` operations, never read as manifests.
   */
  jsonPatches: Set<string>
  /**
   * Files a kustomization turns into ConfigMap or Secret data (`configMapGenerator`/`secretGenerator`
   * `files:`): a pod template a controller reads, never an object kustomize applies. Not indexed
   * as objects of their set; analysed as partial, like a patch.
   */
  generatorData: Set<string>
  /**
   * Manifests a kustomization of their own folder leaves out and no kustomization in view names
   * (in any field): that build does not deploy them. By path, the kustomization of their folder.
   */
  unlisted: Map<string, string>
  /** Files a kustomization names under `resources` or `bases`: built as objects, never read as patches by their shape alone. */
  asResources: Set<string>
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
  return { objects, yaml }
}

/**
 * Builds the folder index once for a whole file list. Files that do not parse are left out here;
 * the analyzer reports them as a note when it reaches them.
 */
export function buildManifestSets(files: readonly SourceFile[], scope = 'the manifests of its folder', readPodSecurity = true): ManifestSets {
  const kustomizations = kustomizationsOf(files)
  const listed = kustomizations.map((k) => kustomizationPatches(k.file, k.doc))
  // A manifest under a `patches/` folder (kubeadm's patch directory, a kustomization's) is merged onto a base too.
  const patches = new Set([...listed.flatMap((l) => l.merge), ...files.filter((f) => f.kind === 'kubernetes' && /(?:^|\/)patches\//.test(f.path)).map((f) => f.path)])
  const jsonPatches = new Set(listed.flatMap((l) => l.json))
  const generatorData = new Set(kustomizations.flatMap((k) => generatorFiles(k.file, k.doc)))
  const kustomized = new Set(kustomizations.map((k) => folderOf(k.file.path)))
  const parsed = new Map<string, ParsedManifest>()
  const objectsByFolder = new Map<string, K8sObject[]>()
  // Every parsed object of a folder's files, patches included, as the rules meet them.
  const analysedByFolder = new Map<string, { objects: K8sObject[]; patch: boolean }[]>()
  // The namespace a folder's own kustomization gives every object it builds (`namespace: catalog`).
  const folderNamespace = new Map<string, string>()
  for (const { file, doc } of kustomizations) {
    if (typeof doc?.namespace === 'string' && doc.namespace !== '') folderNamespace.set(folderOf(file.path), doc.namespace)
  }
  for (const file of files) {
    if (file.kind !== 'kubernetes' || generatorData.has(file.path)) continue
    let manifest: ParsedManifest
    try {
      manifest = parseManifest(file.content.replace(/\r\n?/g, '\n'))
    } catch {
      // A JSON patch is kustomize's to validate: it holds no object and is no broken manifest.
      if (jsonPatches.has(file.path) || (kustomized.has(folderOf(file.path)) && opensOperationList(file.content))) {
        parsed.set(file.path, { objects: [], yaml: parseYaml('') })
      }
      continue
    }
    parsed.set(file.path, manifest)
    const analysed = analysedByFolder.get(folderOf(file.path)) ?? []
    analysed.push({ objects: manifest.objects, patch: patches.has(file.path) })
    analysedByFolder.set(folderOf(file.path), analysed)
    // A patch changes objects of its base and is no object of its own: its Deployment, without a
    // namespace, must not pass for pods of every namespace of the set.
    const folder = folderOf(file.path)
    const namespace = folderNamespace.get(folder)
    // Indexed in the namespace they are deployed to, so a Service of another namespace is not judged against them.
    const objects = patches.has(file.path) ? [] : namespace === undefined ? manifest.objects : manifest.objects.map((o) => ({ ...o, namespace }))
    // Added in place: a copy of the folder's list per file made big folders quadratic.
    const inFolder = objectsByFolder.get(folder)
    if (inFolder) for (const o of objects) inFolder.push(o)
    else objectsByFolder.set(folder, [...objects])
  }
  const units = deploymentUnits(files, kustomizations)
  // Images a kustomization pins, and image names it keeps a slot for, for every folder it deploys.
  const pinned = new Map<string, Set<string>>()
  const slots = new Map<string, Set<string>>()
  const spread = (into: Map<string, Set<string>>, kustomization: SourceFile, names: string[]): void => {
    if (!names.length) return
    for (const folder of units.get(folderOf(kustomization.path)) ?? [folderOf(kustomization.path)]) {
      const set = into.get(folder) ?? new Set<string>()
      for (const n of names) set.add(n)
      into.set(folder, set)
    }
  }
  for (const { file, doc } of kustomizations) {
    spread(pinned, file, pinnedImageNames(doc))
    spread(slots, file, imageSlotNames(doc))
  }
  const podSecurityOf = readPodSecurity
    ? podSecurityOfBuilds({ kustomizations, mergePatches: listed.map((l) => l.merge), parsed, objectsByFolder, folderNamespace, analysedByFolder })
    : () => NO_POD_SECURITY
  const byFolder = new Map<string, StreamIndex>()
  for (const folder of objectsByFolder.keys()) {
    const together = units.get(folder) ?? new Set([folder])
    const objects = [...together].flatMap((f) => objectsByFolder.get(f) ?? [])
    const index = indexStream(objects, together.size > 1 ? `${scope} or its kustomization` : scope)
    index.pinnedImages = pinned.get(folder) ?? index.pinnedImages
    index.imageSlots = slots.get(folder) ?? index.imageSlots
    index.kustomized = units.has(folder)
    // Read from the build of this folder alone: an overlay that includes it does not decide how it deploys on its own.
    index.podSecurity = podSecurityOf(folder)
    byFolder.set(folder, index)
  }
  return { byFolder, parsed, patches, jsonPatches, generatorData, unlisted: unlistedManifests(files, kustomizations), asResources: new Set(kustomizations.flatMap(({ file, doc }) => localManifests(file, [...listAt(doc, 'resources'), ...listAt(doc, 'bases')]))) }
}

/** Characters that make a kustomization entry a pattern rather than one path. */
const GLOB = /[*?[]/

/**
 * The manifests of kustomized folders that no kustomization in view names. Any string of any
 * kustomization counts as naming a file when it resolves to its path (`resources`, `components`,
 * patches, generators' `key=path`, `crds`, …), so only a file nothing points at is left out. A
 * folder whose kustomization does not parse, or includes a pattern, keeps all its files; a folder
 * with no kustomization in view is not judged (`kubectl apply -f dir/` deploys every file).
 */
function unlistedManifests(files: readonly SourceFile[], kustomizations: Kustomization[]): Map<string, string> {
  const named = new Set<string>()
  const judged = new Map<string, string>()
  const everything = new Set<string>()
  for (const { file, doc } of kustomizations) {
    const here = folderOf(file.path)
    if (doc === undefined) {
      everything.add(here)
      continue
    }
    if (!judged.has(here)) judged.set(here, file.path)
    const included = [...listAt(doc, 'resources'), ...listAt(doc, 'bases'), ...listAt(doc, 'components')]
    if (included.some((entry) => typeof entry === 'string' && GLOB.test(entry))) everything.add(here)
    for (const path of namedPaths(here, doc)) named.add(path)
  }
  const out = new Map<string, string>()
  for (const file of files) {
    const folder = folderOf(file.path)
    const kustomization = judged.get(folder)
    if (file.kind !== 'kubernetes' || kustomization === undefined || everything.has(folder) || KUSTOMIZATION.test(file.path) || named.has(file.path)) continue
    out.set(file.path, kustomization)
  }
  return out
}

/**
 * Every path a parsed kustomization may name (resources, patches, generator files, `key=path`),
 * from the repository root: each string value that could be one, read generously.
 */
function namedPaths(here: string, doc: Record<string, unknown>): string[] {
  const out: string[] = []
  for (const text of stringsOf(doc)) {
    // `key=path` of a generator, or a file whose own name holds `=` (then after the last `/`): both readings are tried.
    const eq = text.indexOf('=')
    const readings = eq < 0 ? [text] : eq > text.lastIndexOf('/') ? [text, text.slice(eq + 1)] : [text.slice(eq + 1)]
    for (const reading of readings) {
      const path = reading.trim()
      if (path === '' || path.includes('\n') || /:\/\//.test(path)) continue
      out.push(posix.normalize(posix.join(here || '.', path)).replace(/\/$/, ''))
    }
  }
  return out
}

/**
 * Each kustomization's folder with the folder of every listed file it names in another folder (a
 * patch kept under `fixes/`): what the folder's kustomization says decides how that file is read.
 */
export function kustomizationFileFolders(files: readonly SourceFile[], kustomizations: Kustomization[] = kustomizationsOf(files)): [string, string][] {
  const listed = new Set(files.map((f) => f.path))
  const out: [string, string][] = []
  for (const { file, doc } of kustomizations) {
    if (doc === undefined) continue
    const here = folderOf(file.path)
    for (const path of namedPaths(here, doc)) if (listed.has(path) && folderOf(path) !== here) out.push([here, folderOf(path)])
  }
  return out
}

/** Every string value of a parsed kustomization, however deep. */
function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value)
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into)
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, into)
  return into
}

/** What `podSecurityOfBuilds` reads, all made once by `buildManifestSets`. */
interface BuildInputs {
  kustomizations: Kustomization[]
  /** The strategic-merge patch files of each kustomization, in the same order. */
  mergePatches: string[][]
  parsed: Map<string, ParsedManifest>
  /** The objects a folder's own manifests deploy (patches left out). */
  objectsByFolder: Map<string, K8sObject[]>
  folderNamespace: Map<string, string>
  analysedByFolder: Map<string, { objects: K8sObject[]; patch: boolean }[]>
}

/** A Namespace's labels; undefined: a patch removing the label. */
type Labels = Map<string, string | undefined>

/**
 * The Pod Security index of each folder, as the build rooted at that folder deploys it: its own
 * manifests, the folders its kustomization includes (recursively), and its kustomization's
 * strategic-merge patches of Namespaces, which add or remove labels. Only downwards: an overlay
 * including a folder changes that overlay's build, not how the folder deploys by itself.
 */
function podSecurityOfBuilds(input: BuildInputs): (folder: string) => PodSecurityIndex {
  const includes = new Map<string, string[]>()
  const patchesOf = new Map<string, string[]>()
  const resourceFiles = new Map<string, string[]>()
  input.kustomizations.forEach(({ file, doc }, i) => {
    includes.set(folderOf(file.path), kustomizationFolders(file, doc))
    patchesOf.set(folderOf(file.path), input.mergePatches[i] ?? [])
    resourceFiles.set(folderOf(file.path), localManifests(file, [...listAt(doc, 'resources'), ...listAt(doc, 'bases')]))
  })
  // What a folder's own files add to its build: with a kustomization, only the files it lists
  // (a Namespace left beside it unlisted labels nothing); else every manifest of the folder.
  const ownObjects = (folder: string): K8sObject[] => {
    const listed = resourceFiles.get(folder)
    return listed ? listed.flatMap((path) => input.parsed.get(path)?.objects ?? []) : (input.objectsByFolder.get(folder) ?? [])
  }
  const namespaceMemo = new Map<string, Map<string, Labels>>()
  const namespacesOf = (folder: string, visiting: Set<string>): Map<string, Labels> => {
    const known = namespaceMemo.get(folder)
    if (known) return known
    const out = new Map<string, Labels>()
    if (visiting.has(folder)) return out
    visiting.add(folder)
    const merge = (name: string, labels: Labels): void => {
      const into = new Map(out.get(name))
      for (const [key, value] of labels) {
        if (value === undefined) into.delete(key)
        else into.set(key, value)
      }
      out.set(name, into)
    }
    for (const inner of includes.get(folder) ?? []) for (const [name, labels] of namespacesOf(inner, visiting)) merge(name, labels)
    for (const obj of ownObjects(folder)) if (obj.kind === 'Namespace') merge(obj.name, namespaceLabels(obj))
    // A patch of a Namespace the build does not show still labels it: kustomize fails the build otherwise.
    for (const path of patchesOf.get(folder) ?? []) for (const obj of input.parsed.get(path)?.objects ?? []) if (obj.kind === 'Namespace') merge(obj.name, namespaceLabels(obj))
    visiting.delete(folder)
    namespaceMemo.set(folder, out)
    return out
  }
  // The namespace of each workload a build deploys, by `Kind/name`; null when it is unknown or ambiguous.
  const workloadMemo = new Map<string, Map<string, string | null>>()
  const workloadsOf = (folder: string, visiting: Set<string>): Map<string, string | null> => {
    const known = workloadMemo.get(folder)
    if (known) return known
    const out = new Map<string, string | null>()
    if (visiting.has(folder)) return out
    visiting.add(folder)
    const add = (key: string, namespace: string | null): void => {
      out.set(key, out.has(key) && out.get(key) !== namespace ? null : namespace)
    }
    for (const inner of includes.get(folder) ?? []) for (const [key, namespace] of workloadsOf(inner, visiting)) add(key, namespace)
    for (const obj of ownObjects(folder)) if (podSpecOf(obj)) add(`${obj.kind}/${obj.name}`, obj.namespace ?? null)
    const override = input.folderNamespace.get(folder)
    if (override !== undefined) for (const key of out.keys()) out.set(key, override)
    visiting.delete(folder)
    workloadMemo.set(folder, out)
    return out
  }
  return (folder) => {
    const enforced = new Map<string, EnforceLevel>()
    for (const [name, labels] of namespacesOf(folder, new Set())) {
      const level = enforceLevelOf(new Map([...labels].filter((e): e is [string, string] => e[1] !== undefined)))
      if (level) enforced.set(name, level)
    }
    if (enforced.size === 0) return NO_POD_SECURITY
    const deployedTo = new Map<K8sObject, string>()
    const override = input.folderNamespace.get(folder)
    for (const { objects, patch } of input.analysedByFolder.get(folder) ?? []) {
      for (const obj of objects) {
        // A patch without a namespace changes the base object of the same kind and name, wherever that deploys.
        const namespace = override ?? (obj.namespace === undefined && patch ? workloadsOf(folder, new Set()).get(`${obj.kind}/${obj.name}`) ?? undefined : undefined)
        if (namespace !== undefined) deployedTo.set(obj, namespace)
      }
    }
    return { enforced, deployedTo }
  }
}

/** Local files a kustomization's generators read as data: `files: [helperPod.yaml]`, `files: [key=path]`. */
function generatorFiles(file: SourceFile, doc: Record<string, unknown> | undefined): string[] {
  const named = [...listAt(doc, 'configMapGenerator'), ...listAt(doc, 'secretGenerator')]
    .flatMap((g) => listAt(asRecord(g), 'files'))
    .map((f) => (typeof f === 'string' ? f.slice(f.indexOf('=') + 1).trim() : f))
  return localManifests(file, named)
}

/** The manifest files (YAML or JSON) a kustomization names, as paths from the repository root. */
function localManifests(kustomization: SourceFile, named: unknown[]): string[] {
  const here = folderOf(kustomization.path)
  return named
    .filter((p): p is string => typeof p === 'string' && MANIFEST_NAME.test(p) && !p.includes('\n'))
    .map((p) => posix.normalize(posix.join(here || '.', p)))
}

/** Whether the text opens (after blank and comment lines) with an `{op: …}` list item, in YAML or JSON: a JSON 6902 patch. */
function opensOperationList(text: string): boolean {
  const first = text
    .split(/\r?\n/, 200)
    .find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
  return first !== undefined && /^\s*(?:-\s+|\[\s*\{\s*)["']?op["']?\s*:/.test(first)
}

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/

/** A kustomization of the list and its top-level map (undefined when it does not parse). */
export interface Kustomization {
  file: SourceFile
  doc: Record<string, unknown> | undefined
}

/** Every kustomization of the list, each parsed once for all that is read from it. */
export function kustomizationsOf(files: readonly SourceFile[]): Kustomization[] {
  return files.filter((f) => KUSTOMIZATION.test(f.path)).map((file) => ({ file, doc: readKustomization(file) }))
}

/** A kustomization's top-level map, or undefined when it does not parse. */
function readKustomization(file: SourceFile): Record<string, unknown> | undefined {
  try {
    const doc = parseYaml(file.content.replace(/\r\n?/g, '\n')).docs[0]?.toJS({ maxAliasCount: 100 }) as unknown
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

const listAt = (doc: Record<string, unknown> | undefined, key: string): unknown[] => (Array.isArray(doc?.[key]) ? (doc[key] as unknown[]) : [])

const asRecord = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {})

/**
 * Paths of the local files a kustomization applies as patches. `merge`: `patches: [{ path }]`,
 * `patches: [file]` and `patchesStrategicMerge: [file]`, partial objects. `json`: `patchesJson6902: [{ path }]` and
 * `patches: [{ path, target }]`, whose file is usually a list of operations (kustomize tells the
 * two forms apart by content, so a targeted file is in both). Inline patches (`patch: |`, or YAML
 * text in the list) name no file and leave nothing to read.
 */
function kustomizationPatches(file: SourceFile, doc: Record<string, unknown> | undefined): { merge: string[]; json: string[] } {
  const local = (named: unknown[]): string[] => localManifests(file, named)
  const entries = listAt(doc, 'patches').map(asRecord)
  // A bare file name in `patches` is read as a strategic-merge patch, like `patchesStrategicMerge`.
  const bare = listAt(doc, 'patches').filter((p) => typeof p === 'string')
  return {
    merge: local([...entries.map((p) => p.path), ...bare, ...listAt(doc, 'patchesStrategicMerge')]),
    json: local([...entries.filter((p) => p.target !== undefined).map((p) => p.path), ...listAt(doc, 'patchesJson6902').map((p) => asRecord(p).path)])
  }
}

/** Names of the images a kustomization pins: `images:` entries with a `newTag` other than latest, or a `digest`. */
function pinnedImageNames(doc: Record<string, unknown> | undefined): string[] {
  return listAt(doc, 'images')
    .map(asRecord)
    .filter((e) => typeof e.name === 'string' && ((typeof e.newTag === 'string' && e.newTag !== '' && e.newTag !== 'latest') || typeof e.newTag === 'number' || typeof e.digest === 'string'))
    .map((e) => String(e.name))
}

/**
 * Names a kustomization's `images:` entries keep a slot for: entries that leave the name's
 * repository as it is (no `newName`, or the same name), as kubebuilder's `images: [{name:
 * controller, newName: controller, newTag: latest}]` does. The build fills them in with
 * `kustomize edit set image <name>=<image>`; an entry renaming the image to another repository
 * deploys that repository instead, and is no slot.
 */
/** The image name kubebuilder's scaffold writes (`controller:latest`), set at build time with `kustomize edit set image`. */
const KUBEBUILDER_IMAGE = 'controller'

function imageSlotNames(doc: Record<string, unknown> | undefined): string[] {
  return listAt(doc, 'images')
    .map(asRecord)
    // Only kubebuilder's scaffold name: any other bare word (`nginx`) is a Docker Hub image, deployed as written.
    .filter((e) => e.name === KUBEBUILDER_IMAGE && (e.newName === undefined || e.newName === e.name))
    .map((e) => String(e.name))
}

/** Local folders a kustomization names in `resources`/`bases` (files count by their folder); remote ones are skipped. */
function kustomizationFolders(file: SourceFile, doc: Record<string, unknown> | undefined): string[] {
  const resources = [...listAt(doc, 'resources'), ...listAt(doc, 'bases')]
  const here = folderOf(file.path)
  const out: string[] = []
  for (const r of resources) {
    if (typeof r !== 'string' || /:\/\/|^github\.com\/|^git@/.test(r)) continue
    const target = posix.normalize(posix.join(here || '.', r)).replace(/\/$/, '')
    if (target.startsWith('..')) continue
    out.push(MANIFEST_NAME.test(target) ? folderOf(target) : target === '.' ? '' : target)
  }
  return out
}

/**
 * For each folder, the folders deployed together with it: every kustomization that includes the
 * folder (directly or through other kustomizations) brings in all it includes. Lenient on purpose:
 * a base used by two overlays counts a budget that either overlay adds.
 */
export function deploymentUnits(files: readonly SourceFile[], kustomizations: Kustomization[] = kustomizationsOf(files)): Map<string, Set<string>> {
  const includes = new Map<string, string[]>()
  for (const { file, doc } of kustomizations) includes.set(folderOf(file.path), kustomizationFolders(file, doc))
  const closure = (root: string): Set<string> => {
    const seen = new Set<string>()
    const stack = [root]
    while (stack.length) {
      const folder = stack.pop() as string
      if (seen.has(folder)) continue
      seen.add(folder)
      stack.push(...(includes.get(folder) ?? []))
    }
    return seen
  }
  const units = new Map<string, Set<string>>()
  for (const k of includes.keys()) {
    const members = closure(k)
    for (const m of members) units.set(m, new Set([...(units.get(m) ?? [m]), ...members]))
  }
  return units
}

const MANIFEST_NAME = /\.(ya?ml|json)$/i

/**
 * The files whose content a manifest's findings depend on besides its own: the other manifests
 * of its folder (a kustomization there among them). Given the paths of the repository tree at
 * head, it returns the ones to read; without a tree, the globs that select them. In PR mode they
 * are fetched as context-only files: analysed for context, never reported.
 */
export function contextPathsFor(path: string, treePaths?: readonly string[]): string[] {
  const folder = folderOf(path)
  if (!treePaths) return ['*.yaml', '*.yml', '*.json'].map((g) => (folder ? `${folder}/${g}` : g))
  return treePaths.filter((p) => p !== path && folderOf(p) === folder && MANIFEST_NAME.test(p))
}
