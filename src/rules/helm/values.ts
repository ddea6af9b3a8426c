/**
 * Checks on a chart's `values.yaml`: what the chart installs when nobody overrides a value.
 * Used only when the templates were not rendered, so the verdict on the rendered objects is
 * never given twice.
 */
import type { Finding } from '../../types.js'
import { checkReporter, reporterFor, type Check, type Report } from '../rule.js'
import { assertNoAliasBomb, isMap, isScalar, isSeq, parseYaml, toPlain, type Node, type YamlFile } from '../parse/yaml.js'
import { HELM } from './meta.js'
import { offByDefault, templateUseOf, writtenOnlyIntoHelmTests, writtenOnlyIntoHostDaemonSets, writtenOnlyIntoNodePlugins, writtenOnlyIntoSysctlInitContainers, type ChartTemplates } from './template-uses.js'
import { nodePluginClause } from '../node-plugin.js'
import { sysctlClause } from '../node-sysctl.js'
import { capabilityName } from '../container-common.js'

/** One key of the values file as the walk meets it. */
export interface Visit {
  path: string[]
  key: string
  keyNode: Node
  value: unknown
  /** The map holding the key (its siblings say how the chart reads it). */
  parent: unknown
  /** The map holding `parent` under a key, when there is one (`parent`'s siblings: a pod context's container context). */
  above?: unknown
}

/** Every key/value pair of the document, depth first, with its key path. */
function* walk(node: unknown, path: string[] = [], above?: unknown): Generator<Visit> {
  // A component switched off by default (`enabled: false`) installs nothing its values could harm.
  if (isMap(node) && scalar(node.get('enabled', true)) === 'false') return
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue
      const key = String(pair.key.value)
      yield { path, key, keyNode: pair.key as Node, value: pair.value, parent: node, above }
      yield* walk(pair.value, [...path, key], node)
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) yield* walk(item, [...path, `[${i}]`])
  }
}

const scalar = (v: unknown): string | undefined => (isScalar(v) && v.value !== null && v.value !== undefined ? String(v.value) : undefined)
const isEmptyMap = (v: unknown): boolean => isMap(v) && v.items.length === 0
const inSecurityContext = (path: string[]): boolean => path.some((k) => /securitycontext$/i.test(k))
const dotted = (path: string[], key: string): string => [...path, key].join('.').replace(/\.\[/g, '[')

/**
 * Bitnami-style charts size their containers from a sibling `resourcesPreset` (`nano` … `2xlarge`)
 * when `resources` is empty: any preset but `none` gives the pods requests and limits.
 */
function presetSizesResources(parent: unknown): boolean {
  if (!isMap(parent)) return false
  const preset = scalar(parent.get('resourcesPreset', true))
  return preset !== undefined && preset.trim() !== '' && preset.trim().toLowerCase() !== 'none'
}

/** What a check sees of one key: the key, its value, and how messages name it (the check's `report` builds). */
export interface ValueInContext {
  v: Visit
  /** The key's dotted path, quoted: `` `image.tag` ``. */
  at: string
  /** The value when it is a scalar. */
  value: string | undefined
  report: Report
  line: number
  /** What the whole values file says about its security contexts (see `securityFacts`). */
  facts: SecurityFacts
  /** The chart's templates, when they are among the files read (they may fill an empty value in). */
  templates?: ChartTemplates
  /** The values document as plain data, when the templates are read: what their conditions see. */
  defaults?: unknown
}

/**
 * What the values' security contexts set anywhere: a Windows `windowsOptions` (the Linux settings
 * the empty-context rule asks for do not apply), or a non-root user (`runAsNonRoot: true` or a
 * non-zero `runAsUser`), which a pod-level context passes to every container of the pod.
 */
export interface SecurityFacts {
  windows: boolean
  nonRootUser: boolean
}

function securityFacts(root: unknown): SecurityFacts {
  const facts: SecurityFacts = { windows: false, nonRootUser: false }
  for (const v of walk(root)) {
    if (!inSecurityContext(v.path)) continue
    if (v.key === 'windowsOptions' && isMap(v.value) && v.value.items.length > 0) facts.windows = true
    if (v.key === 'runAsNonRoot' && scalar(v.value) === 'true') facts.nonRootUser = true
    if (v.key === 'runAsUser' && /^[1-9]\d*$/.test(scalar(v.value) ?? '')) facts.nonRootUser = true
  }
  return facts
}

/** The handlers a probe runs: a custom probe without one checks nothing. */
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc']

/**
 * Whether the block of a switched-off probe sets a custom one in its place (`customLivenessProbe`
 * with a handler, Bitnami's way), which the templates render instead. When the templates of this
 * chart are read and the probe is one of its own top-level keys, they must name the custom key;
 * a subchart's block (`zookeeper.customLivenessProbe`) is rendered by templates not read here.
 */
function customProbeInstead(v: Visit, templates: ChartTemplates | undefined): boolean {
  const key = `custom${v.key[0].toUpperCase()}${v.key.slice(1)}`
  const custom = isMap(v.parent) ? v.parent.get(key, true) : undefined
  if (!isMap(custom) || !PROBE_HANDLERS.some((h) => custom.has(h))) return false
  if (templates === undefined || v.path.length > 0) return true
  return [...templates.texts, ...templates.handed].some((text) => text.includes(key))
}

/**
 * The checks on each key of the values file, each with the rules it may report. A key matches
 * at most one of them (they test different key names).
 */
export const valuesChecks: Check<ValueInContext, Finding | undefined>[] = [
  {
    rules: [HELM.valuesImageLatest],
    run: ({ v, at, value, report, line, templates, defaults }) => {
      const latest = v.key === 'tag' && value === 'latest' ? `chart default ${at} is \`latest\`` : v.key === 'image' && value !== undefined && /:latest$/.test(value) ? `chart default ${at} uses the \`latest\` tag` : undefined
      if (!latest) return undefined
      const off = offByDefault([...v.path, v.key], templates, defaults)
      if (off) return report(HELM.valuesImageLatest, line, `${latest}, but the templates render it only under conditions false with the chart's defaults: low, as it applies only when ${off.join(', or when ')}`, { severity: 'low' })
      if (writtenOnlyIntoHelmTests([...v.path, v.key], templates)) {
        return report(HELM.valuesImageLatest, line, `${latest}, but the templates write it only into objects annotated \`helm.sh/hook: test\`: low, as the image runs only under \`helm test\`, never on an install or upgrade`, { severity: 'low' })
      }
      return report(HELM.valuesImageLatest, line, latest)
    }
  },
  {
    rules: [HELM.valuesPrivileged, HELM.valuesRunAsRoot, HELM.valuesEmptySecurityContext],
    run: ({ v, at, value, report, line, facts, templates, defaults }) => {
      if (v.key === 'privileged' && value === 'true' && inSecurityContext(v.path)) return privileged({ v, at, report, line, templates, defaults })
      if (v.key === 'runAsUser' && value === '0' && inSecurityContext(v.path)) return runAsRoot({ v, at, report, line, templates, defaults })
      const use = /securitycontext$/i.test(v.key) && isEmptyMap(v.value) && !facts.windows ? templateUseOf([...v.path, v.key], templates) : undefined
      // Written into a custom resource, the value is its operator's: some fill in restricted defaults (CloudNativePG), some pass it on.
      if (use === 'custom-resource') {
        return report(HELM.valuesEmptySecurityContext, line, `hardening: chart default ${at} is empty and the templates write it into a custom resource, whose operator decides what an empty value means (some apply restricted defaults, some pass it to the pods as is)`, { severity: 'low' })
      }
      if (use !== undefined && use !== 'fallback') {
        // The templates were not rendered: they may fill an empty value in with defaults of their own.
        // A pod-level context holds no capabilities or privilege-escalation setting: those are per container.
        // A sibling container context (`securityContext`, `containerSecurityContext`) that sets the seccomp profile covers it.
        const siblingSeccomp = isMap(v.parent) && v.parent.items.some((p) => isScalar(p.key) && /^(?:container)?securityContext$/i.test(String(p.key.value)) && isMap(p.value) && p.value.has('seccompProfile'))
        const podMissing = siblingSeccomp ? 'no fsGroup of its own (a container security context beside it sets the seccomp profile)' : 'no seccomp profile or fsGroup of its own'
        const missing = /podsecuritycontext$/i.test(v.key) ? podMissing : 'no capability drop, seccomp profile or privilege-escalation setting of their own'
        const why = facts.nonRootUser
          ? `so unless the templates fill it in, its pods or containers get ${missing} (another security context of these values sets a non-root user)`
          : 'so unless the templates fill it in, pods run with the image user and runtime defaults'
        return report(HELM.valuesEmptySecurityContext, line, `hardening: chart default ${at} is empty, ${why}`)
      }
      return undefined
    }
  },
  {
    rules: [HELM.valuesNoResources],
    run: ({ v, at, report, line }) =>
      v.key === 'resources' && isEmptyMap(v.value) && !presetSizesResources(v.parent) ? report(HELM.valuesNoResources, line, `chart default ${at} is empty: no requests or limits unless the installer sets them`) : undefined
  },
  {
    rules: [HELM.valuesProbeDisabled],
    run: ({ v, at, report, line, templates }) => {
      if (!/^(liveness|readiness)Probe$/.test(v.key)) return undefined
      // `customReadinessProbe: { exec: … }` beside it (Bitnami's charts): the templates render that one instead.
      if (customProbeInstead(v, templates)) return undefined
      // Readiness on takes a hung pod out of traffic; liveness off then only forgoes the restart.
      const readinessOn = v.key === 'livenessProbe' && isMap(v.parent) && probeEnabled(v.parent.get('readinessProbe', true))
      const withReadiness = (message: string): Finding =>
        readinessOn
          ? report(HELM.valuesProbeDisabled, line, `${message} (the readiness probe beside it is enabled, so a hung pod is taken out of traffic, only not restarted: low)`, { severity: 'low' })
          : report(HELM.valuesProbeDisabled, line, message)
      if (scalar(isMap(v.value) ? v.value.get('enabled', true) : undefined) === 'false') return withReadiness(`chart default ${at} is disabled`)
      if (!isEmptyMap(v.value)) return undefined
      const kind = v.key.replace(/Probe$/, '')
      const use = templateUseOf([...v.path, v.key], templates, { probe: true })
      // In a custom resource a probe field is the operator's (OpenTelemetryCollector's holds timings only).
      if (use === 'fallback' || use === 'injected' || use === 'custom-resource') return undefined
      return use === 'unguarded'
        ? withReadiness(`chart default ${at} is empty and the chart's templates render it without a fallback: the containers get no ${kind} probe`)
        : withReadiness(`chart default ${at} is empty: unless the templates fall back to a probe of their own, the containers get no ${kind} probe`)
    }
  }
]

/** A probe's values that switch it on: a map with settings of its own and no `enabled: false`. */
function probeEnabled(probe: unknown): boolean {
  return isMap(probe) && !isEmptyMap(probe) && scalar(probe.get('enabled', true)) !== 'false'
}

/**
 * A `privileged: true` default: critical, unless the templates render it only under conditions
 * false by default (low: no container runs privileged until they are set), or write it only into
 * node plugins or into init containers that only set kernel parameters with fixed `sysctl -w` (medium).
 */
function privileged({ v, at, report, line, templates, defaults }: Pick<ValueInContext, 'v' | 'at' | 'report' | 'line' | 'templates' | 'defaults'>): Finding {
  const off = offByDefault([...v.path, v.key], templates, defaults)
  if (off) {
    return report(HELM.valuesPrivileged, line, `chart default ${at} is privileged, but the templates render it only under conditions false with the chart's defaults: low, as it applies only when ${off.join(', or when ')}`, { severity: 'low' })
  }
  const need = writtenOnlyIntoNodePlugins([...v.path, v.key], templates)
  if (need) return report(HELM.valuesPrivileged, line, `chart default ${at} runs the containers privileged: medium, as the templates write it only into ${nodePluginClause(need)}`, { severity: 'medium' })
  const sysctls = writtenOnlyIntoSysctlInitContainers([...v.path, v.key], templates, defaults)
  if (sysctls) return report(HELM.valuesPrivileged, line, `chart default ${at} runs the containers privileged: medium, as the templates write it only into an init container that ${sysctlClause(sysctls.keys, sysctls.images)}`, { severity: 'medium' })
  return report(HELM.valuesPrivileged, line, `chart default ${at} runs the containers privileged`)
}

/**
 * A `runAsUser: 0` default: high, unless the templates render it only under conditions false by
 * default (low: nothing runs as root until they are set) or write it only into DaemonSets whose
 * pods mount host paths (medium: a node agent, for which root is how it reads the host's files),
 * or sit beside `privileged: true` in the same security context (medium: privileged is reported on its own),
 * or the containers drop every capability, add none and cannot escalate (medium: see `powersContext`).
 */
function runAsRoot({ v, at, report, line, templates, defaults }: Pick<ValueInContext, 'v' | 'at' | 'report' | 'line' | 'templates' | 'defaults'>): Finding {
  const path = [...v.path, v.key]
  const off = offByDefault(path, templates, defaults)
  if (off) {
    return report(HELM.valuesRunAsRoot, line, `chart default ${at} is UID 0, but the templates render it only under conditions false with the chart's defaults: low, as it applies only when ${off.join(', or when ')}`, { severity: 'low' })
  }
  const need = writtenOnlyIntoNodePlugins(path, templates)
  if (need) return report(HELM.valuesRunAsRoot, line, `chart default ${at} is UID 0: medium, as the templates write it only into ${nodePluginClause(need)}`, { severity: 'medium' })
  if (writtenOnlyIntoHostDaemonSets(path, templates)) {
    return report(HELM.valuesRunAsRoot, line, `chart default ${at} is UID 0: medium, as the templates write it only into DaemonSets whose pods mount host paths (a node agent, for which root is how it reads the host's files)`, { severity: 'medium' })
  }
  // A privileged container holds the node whatever its user (reported critical on its own): root adds little.
  if (isMap(v.parent) && scalar(v.parent.get('privileged', true)) === 'true') {
    return report(HELM.valuesRunAsRoot, line, `chart default ${at} is UID 0: the containers this security context applies to run as root (medium: it is also privileged, which gives the node already and is reported on its own)`, { severity: 'medium' })
  }
  // Root with no capabilities and no way to gain any holds little beyond the files it can reach.
  const powers = powersContext(v)
  if (powers && holdsNoPowers(powers.context)) {
    const whose = powers.sibling ? `the container security context \`${powers.sibling}\` beside it drops every capability, adds none and cannot escalate` : 'it drops every capability, adds none and cannot escalate'
    return report(HELM.valuesRunAsRoot, line, `chart default ${at} is UID 0: the containers this security context applies to run as root (medium: ${whose})`, { severity: 'medium' })
  }
  return report(HELM.valuesRunAsRoot, line, `chart default ${at} is UID 0: the containers this security context applies to run as root`)
}

/**
 * The security context that says which capabilities the root containers hold: the one setting
 * `runAsUser: 0` when it holds `capabilities`; for a pod-level context without them (capabilities
 * are per container), the container context beside it (`containerSecurityContext`, else `securityContext`).
 */
function powersContext(v: Visit): { context: unknown; sibling?: string } | undefined {
  if (!isMap(v.parent)) return undefined
  if (v.parent.has('capabilities')) return { context: v.parent }
  const holder = v.path[v.path.length - 1] ?? ''
  if (!/podsecuritycontext$/i.test(holder) || !isMap(v.above)) return undefined
  const siblings = v.above.items.filter((p) => isScalar(p.key) && isMap(p.value)).map((p) => ({ key: String((p.key as { value: unknown }).value), context: p.value }))
  const sibling = siblings.find((s) => /^containerSecurityContext$/i.test(s.key)) ?? siblings.find((s) => /^securityContext$/i.test(s.key))
  return sibling ? { context: sibling.context, sibling: dotted(v.path.slice(0, -1), sibling.key) } : undefined
}

/**
 * A security context that drops ALL capabilities, adds none back, sets `allowPrivilegeEscalation: false`
 * and is not privileged; one switched off (`enabled: false`, which Bitnami-style charts do not
 * render) holds nothing. The Kubernetes twin is `holdsNoPowers` in ../k8s/pod.ts: keep them in step.
 */
function holdsNoPowers(context: unknown): boolean {
  if (!isMap(context) || scalar(context.get('enabled', true)) === 'false') return false
  if (scalar(context.get('privileged', true)) === 'true' || scalar(context.get('allowPrivilegeEscalation', true)) !== 'false') return false
  const capabilities = context.get('capabilities', true)
  if (!isMap(capabilities)) return false
  const add = capabilities.get('add', true)
  // Anything under `add` but an empty list (a list, or a templated string) may give a capability back.
  if (add !== undefined && !(isSeq(add) && add.items.length === 0) && !(isScalar(add) && (scalar(add) ?? '').trim() === '')) return false
  const drop = capabilities.get('drop', true)
  return isSeq(drop) && drop.items.some((cap) => capabilityName(scalar(cap) ?? '') === 'ALL')
}

export function checkValues(path: string, content: string, report: Report = reporterFor(Object.values(HELM), path, 'helm'), templates?: ChartTemplates): Finding[] {
  const yaml: YamlFile = parseYaml(content)
  const out: Finding[] = []
  const checks = checkReporter(report, 'helm')
  for (const doc of yaml.docs) {
    assertNoAliasBomb(yaml, doc)
    const facts = securityFacts(doc.contents)
    const defaults = templates ? toPlain(doc) : undefined
    for (const v of walk(doc.contents)) {
      const at = `\`${dotted(v.path, v.key)}\``
      const value = scalar(v.value)
      const line = yaml.lineOf(v.keyNode)
      const visit = { v, at, value, report: checks.report, line, facts, templates, defaults }
      for (const check of valuesChecks) {
        const finding = checks.run(check, visit)
        if (finding) {
          out.push(finding)
          break
        }
      }
    }
  }
  return out
}
