/**
 * File classification: one file kind per path, by name first and, for YAML/JSON, by content.
 *
 * Content sniffing is deliberately shallow: it reads at most the first 64 KB, looks only at
 * top-level keys (a line scan for YAML, which also copes with Go templates and broken files;
 * `JSON.parse` with a regex fallback for JSON) and never throws.
 */
import type { FileKind } from '../types.js'
import { FILE_KINDS } from '../types.js'

/** Every kind Preflight analyzes, i.e. all but `other`. */
export const INFRA_KINDS: readonly Exclude<FileKind, 'other'>[] = FILE_KINDS.filter(
  (k): k is Exclude<FileKind, 'other'> => k !== 'other'
)

export function isInfraKind(kind: FileKind): kind is Exclude<FileKind, 'other'> {
  return kind !== 'other'
}

/**
 * Names of files that are binary by their nature (images, fonts, audio and video, archives,
 * compiled code, documents) and never infrastructure: a scan lists them without reading them, and
 * neither a scan nor a local review gives each one a note. Keystores (`.p12`, `.jks`) are not here:
 * the secret scan reads them.
 */
const BINARY_FILE = /\.(?:png|jpe?g|gif|bmp|ico|icns|webp|avif|tiff?|psd|heic|woff2?|ttf|otf|eot|mp[34]|m4a|wav|ogg|flac|webm|mov|avi|mkv|zip|t?gz|tar|bz2|xz|zst|7z|rar|jar|war|ear|whl|class|pyc|o|a|so|dll|exe|dylib|wasm|pdf|docx?|xlsx?|pptx?)$/i

export function isBinaryFileName(path: string): boolean {
  return BINARY_FILE.test(path)
}

/** Paths whose content may decide that a file is infrastructure (so a pull request's is worth fetching). */
const MAYBE_INFRA = /\.(ya?ml|json|tf|tofu|tfvars|hcl|template|tpl)$|(^|\/)(dockerfile|containerfile)[^/]*$|\.(dockerfile|containerfile)$/i

export function mayBeInfraByName(path: string): boolean {
  return MAYBE_INFRA.test(path)
}

/** A binary file is worth a note only where infrastructure could have been, by kind or by name. */
export function binaryNeedsNote(path: string, kind: FileKind): boolean {
  return isInfraKind(kind) || mayBeInfraByName(path)
}

/** Only this much of a file is looked at when sniffing its content. */
export const SNIFF_BYTES = 64 * 1024

/** What the caller may know beyond one path, e.g. from the repository's file list. */
export interface ClassifyContext {
  /** Directories (`charts/web`, `''` for the root) that hold a `Chart.yaml`. */
  chartDirs?: ReadonlySet<string>
}

/** Directories holding a `Chart.yaml`, from a list of repository paths. */
export function chartDirsOf(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>()
  for (const p of paths) {
    const path = toPosix(p)
    if (CHART_FILE.test(basename(path))) dirs.add(dirname(path))
  }
  return dirs
}

export function classifyFile(path: string, content?: string, context: ClassifyContext = {}): FileKind {
  try {
    const text = content === undefined ? undefined : content.slice(0, SNIFF_BYTES)
    return byName(toPosix(path), text, context) ?? byContent(toPosix(path), text) ?? 'other'
  } catch {
    // Classification must never stop the pipeline; an unexpected input is simply not infra.
    return 'other'
  }
}

// ── By name ──────────────────────────────────────────────────────────────────────────────────

const TERRAFORM_FILE = /\.(tf|tofu|tfvars)(\.json)?$/i
const DOCKERFILE_FILE = /^(dockerfile|containerfile)$|^(dockerfile|containerfile)\.[^/]+$|^[^/]+\.(dockerfile|containerfile)$/i
/** `Dockerfile.dockerignore` and friends sit next to a Dockerfile but are not one. */
const NOT_A_DOCKERFILE = /\.(dockerignore|md|txt|orig|rej|bak)$/i
const WORKFLOW_FILE = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i
const COMPOSE_FILE = /^(docker-)?compose([.-][^/]*)?\.ya?ml$/i
const CHART_FILE = /^Chart\.ya?ml$/
const VALUES_FILE = /^values[^/]*\.ya?ml$/i

/** A chart values file by its name (`values.yaml`, `values-prod.yaml`); a chart's when a `Chart.yaml` sits beside it. */
export function isValuesFileName(path: string): boolean {
  return VALUES_FILE.test(basename(path))
}
/** Folder names that, by convention, hold Helm charts. */
const CHART_FOLDER = /^(charts?|helm|helm-charts?)$/i
const YAMLISH = /\.(ya?ml|json|template)$/i

function byName(path: string, content: string | undefined, context: ClassifyContext): FileKind | undefined {
  const name = basename(path)
  if (TERRAFORM_FILE.test(name)) return 'terraform'
  if (DOCKERFILE_FILE.test(name) && !NOT_A_DOCKERFILE.test(name)) return 'dockerfile'
  if (WORKFLOW_FILE.test(path)) return 'workflow'
  if (COMPOSE_FILE.test(name)) return 'compose'
  return helmByName(path, name, content, context)
}

function helmByName(path: string, name: string, content: string | undefined, context: ClassifyContext): FileKind | undefined {
  if (CHART_FILE.test(name)) return 'helm'
  const dir = dirname(path)
  const segments = dir === '' ? [] : dir.split('/')
  const inChartFolder = segments.some((s) => CHART_FOLDER.test(s))
  const knownChart = context.chartDirs
  if (VALUES_FILE.test(name) && (inChartFolder || knownChart?.has(dir))) return 'helm'

  const t = segments.lastIndexOf('templates')
  if (t < 0) return undefined
  const chartDir = segments.slice(0, t).join('/')
  const inKnownChart = knownChart?.has(chartDir) ?? false
  if (/\.tpl$/i.test(name)) {
    // Helm's partials (`_helpers.tpl`), but a Terraform module's `templatefile` inputs
    // (`templates/user-data.sh.tpl`) and consul-template files end in `.tpl` too. A listing that
    // shows no `Chart.yaml` above settles it; without one, Go template markers do.
    if (inKnownChart) return 'helm'
    if (knownChart !== undefined) return undefined
    if (content === undefined || hasGoTemplate(content)) return 'helm'
    // Helm renders a template of any name but `_…` as a manifest: a plain one is read as what it is.
    return name.startsWith('_') ? undefined : sniffYaml(content.replace(/^\uFEFF/, ''))
  }
  if (inKnownChart && name === 'NOTES.txt') return 'helm'
  if (!/\.(ya?ml|json)$/i.test(name)) return undefined
  // Under a chart (a `Chart.yaml` above `templates/`) every template is Helm's.
  if (inKnownChart) return 'helm'
  if (content === undefined) return inChartFolder ? 'helm' : undefined
  // Elsewhere a file without Go template markers is a plain manifest or template: left to
  // content sniffing so the Kubernetes or CloudFormation rules can read it.
  return hasGoTemplate(content) ? 'helm' : undefined
}

/**
 * `{{ … }}` as Helm writes it, but not GitHub's `${{ … }}` nor CloudFormation's dynamic
 * references (`{{resolve:secretsmanager:…}}`, `{{resolve:ssm:…}}`), which a template uses to read
 * secrets the right way and must not switch it off as a Helm chart.
 */
function hasGoTemplate(text: string): boolean {
  return /(^|[^$]){{-?\s*[^\s}]/m.test(text.replace(/{{resolve:[^{}]*}}/g, ''))
}

// ── By content ───────────────────────────────────────────────────────────────────────────────

function byContent(path: string, content: string | undefined): FileKind | undefined {
  if (content === undefined || !YAMLISH.test(basename(path))) return undefined
  const text = content.replace(/^\uFEFF/, '')
  if (/^\s*[{[]/.test(text)) {
    const json = sniffJson(text)
    if (json) return json
  }
  return sniffYaml(text)
}

function sniffJson(text: string): FileKind | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return sniffJsonByRegex(text)
  }
  const docs = Array.isArray(value) ? value : [value]
  for (const doc of docs) {
    if (!isRecord(doc)) continue
    if (isCloudFormationObject(doc)) return 'cloudformation'
  }
  for (const doc of docs) {
    if (isRecord(doc) && typeof doc.apiVersion === 'string' && typeof doc.kind === 'string' && !isNotKubernetes(doc.apiVersion)) {
      return 'kubernetes'
    }
  }
  return 'other'
}

/** Truncated or slightly broken JSON: look for the tell-tale keys. */
function sniffJsonByRegex(text: string): FileKind | undefined {
  if (/"AWSTemplateFormatVersion"\s*:/.test(text)) return 'cloudformation'
  if (/"Transform"\s*:\s*(\[\s*)?"AWS::Serverless/.test(text)) return 'cloudformation'
  if (/"Resources"\s*:/.test(text) && /"Type"\s*:\s*"(AWS|Alexa)::/.test(text)) return 'cloudformation'
  const api = /"apiVersion"\s*:\s*"([^"]*)"/.exec(text)
  if (api && /"kind"\s*:\s*"/.test(text) && !isNotKubernetes(api[1])) return 'kubernetes'
  return undefined
}

function isCloudFormationObject(doc: Record<string, unknown>): boolean {
  if ('AWSTemplateFormatVersion' in doc) return true
  if (isServerlessTransform(doc.Transform)) return true
  const resources = doc.Resources
  if (!isRecord(resources)) return false
  return Object.values(resources).some((r) => isRecord(r) && typeof r.Type === 'string' && /^(AWS|Alexa)::/.test(r.Type))
}

function isServerlessTransform(t: unknown): boolean {
  const list = Array.isArray(t) ? t : [t]
  return list.some((x) => typeof x === 'string' && x.startsWith('AWS::Serverless'))
}

/** One YAML document, reduced to its top-level keys and the text under each. */
interface Outline {
  keys: Map<string, { key: string; inline: string; block: string[] }>
}

function sniffYaml(text: string): FileKind {
  const docs = outlineYaml(text)
  if (docs.some(isCloudFormationOutline)) return 'cloudformation'
  if (docs.some((d) => d.keys.has('on') && d.keys.has('jobs'))) return 'workflow'
  if (docs.some(isComposeOutline)) return 'compose'
  if (docs.some(isKubernetesOutline)) return 'kubernetes'
  return 'other'
}

function isCloudFormationOutline(doc: Outline): boolean {
  if (doc.keys.has('AWSTemplateFormatVersion')) return true
  const transform = doc.keys.get('Transform')
  if (transform && /AWS::Serverless/.test([transform.inline, ...transform.block].join('\n'))) return true
  const resources = doc.keys.get('Resources')
  return !!resources && resources.block.some((l) => /^\s+Type\s*:\s*["']?(AWS|Alexa)::/.test(l))
}

function isComposeOutline(doc: Outline): boolean {
  const services = doc.keys.get('services')
  if (!services) return false
  if (/[{,]\s*["']?(image|build)["']?\s*:/.test(services.inline)) return true
  // Keys of each service sit one level below the service names.
  const indents = services.block.map(indentOf).filter((n) => n > 0)
  if (indents.length === 0) return false
  const nameIndent = Math.min(...indents)
  return services.block.some((l) => indentOf(l) > nameIndent && /^\s+["']?(image|build)["']?\s*:/.test(l))
}

function isKubernetesOutline(doc: Outline): boolean {
  const api = doc.keys.get('apiVersion')
  if (!api || !doc.keys.has('kind')) return false
  return !isNotKubernetes(unquote(api.inline.trim()))
}

/** `apiVersion` + `kind` is also used by tools that have nothing to do with a cluster. */
function isNotKubernetes(apiVersion: string): boolean {
  return /^backstage\.io\//.test(apiVersion)
}

/**
 * Splits a YAML stream into documents and collects each document's top-level keys. Works on
 * text that is not valid YAML (Helm templates, truncated files): anything at column 0 that
 * looks like `key:` is a key, indented lines belong to the key above.
 */
const TOP_LEVEL_KEY = /^("[^"]*"|'[^']*'|[A-Za-z_$][\w.$/-]*)\s*:(?:\s+(.*)|$)/

/**
 * The top-level keys whose indented lines a check reads (`isCloudFormationOutline`,
 * `isComposeOutline`); under any other key the lines are skipped unread, and its `block` stays empty.
 */
const KEYS_READ_WITH_BLOCK = new Set(['Transform', 'Resources', 'services'])

function outlineYaml(text: string): Outline[] {
  const docs: Outline[] = []
  let current: Outline = { keys: new Map() }
  let lastKey: { key: string; inline: string; block: string[] } | undefined
  // The lines of `split(/\r?\n/)` with one more trailing `\r` dropped: a split on a string is
  // several times faster than on an expression. Each break but the text's end takes its own `\r`.
  const raws = text.split('\n')
  for (let i = 0; i < raws.length; i++) {
    let line = raws[i]
    if (i < raws.length - 1 && line.endsWith('\r')) line = line.slice(0, -1)
    if (line.endsWith('\r')) line = line.slice(0, -1)
    const first = line.charCodeAt(0)
    // An indented line (first a blank: space or tab, or any other white space): kept only under a
    // key whose lines are read, and then only when neither blank nor a comment.
    if (first === 32 || first === 9 || /^\s/.test(line)) {
      if (lastKey && KEYS_READ_WITH_BLOCK.has(lastKey.key) && line.trim() !== '' && !/^\s*#/.test(line)) lastKey.block.push(line)
      continue
    }
    if (/^---(\s|$)/.test(line) || /^\.\.\.(\s|$)/.test(line)) {
      if (current.keys.size > 0) docs.push(current)
      current = { keys: new Map() }
      lastKey = undefined
      continue
    }
    if (line === '' || line.startsWith('#') || line.startsWith('%')) continue
    const m = TOP_LEVEL_KEY.exec(line)
    if (m) {
      const key = unquote(m[1])
      lastKey = { key, inline: m[2] ?? '', block: [] }
      current.keys.set(key, lastKey)
    } else {
      lastKey = undefined
    }
  }
  if (current.keys.size > 0) docs.push(current)
  return docs
}

// ── Small helpers ────────────────────────────────────────────────────────────────────────────

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function unquote(s: string): string {
  const t = s.replace(/(?<!\s)\s+#.*/, '').trim()
  return /^(["']).*\1$/.test(t) ? t.slice(1, -1) : t
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)![0].length
}

function toPosix(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '')
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/')
  return i < 0 ? '' : path.slice(0, i)
}
