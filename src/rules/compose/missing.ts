/** Checks on what a long-running service lacks: a health check, resource limits, a restart policy. */
import { isSeq, scalarString } from '../parse/yaml.js'
import { R } from './meta.js'
import { emit, environmentOf, lineOf, pairIn, resolve, setting, settingPath, value, type Context, type Service } from './services.js'

// ── Missing settings ────────────────────────────────────────────────────────────────────────

/** `imageHealthcheck`: whether the service's image is known to declare a HEALTHCHECK (built beside the file). */
export function checkHealthcheck(ctx: Context, s: Service, imageHealthcheck: () => boolean = () => false): void {
  const hc = setting(ctx, s, 'healthcheck')
  if (!hc) {
    if (imageHealthcheck()) return
    // The image may declare one (a HEALTHCHECK in its Dockerfile), which Compose uses: this file cannot tell.
    emit(ctx, R.noHealthcheck, lineOf(ctx, s.key), `service \`${s.name}\` sets no healthcheck (unless its image declares a HEALTHCHECK, which Compose then uses)`)
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

/** `-Xmx256m`: the JVM's maximum heap, as a size (no variable). */
const XMX = /(?:^|\s)(-Xmx\d+[kKmMgGtT]?)(?=\s|$)/

/** The environment entry that caps a JVM's heap (`ES_JAVA_OPTS=-Xms256m -Xmx256m`), with the flag. */
function jvmHeapCap(ctx: Context, s: Service): { name: string; flag: string } | undefined {
  for (const e of environmentOf(ctx, s)) {
    const flag = e.value === undefined ? undefined : XMX.exec(e.value)?.[1]
    if (flag) return { name: e.name, flag }
  }
  return undefined
}

/**
 * `oneShot`: why the service is a task that runs once and exits (another service waits on it to
 * complete, a test runner, a tool). It still may take the host's memory, but only while it runs,
 * so each finding is one step lower and says so.
 */
export function checkLimits(ctx: Context, s: Service, oneShot?: string): void {
  const limit = (key: string): boolean => settingPath(ctx, s, ['deploy', 'resources', 'limits', key]).length === 4
  const hasMemory = limit('memory') || setting(ctx, s, 'mem_limit') !== undefined
  const hasCpu = limit('cpus') || setting(ctx, s, 'cpus') !== undefined || setting(ctx, s, 'cpu_quota') !== undefined
  const why = oneShot ? ` (${oneShot}, so only while it runs)` : ''
  const heap = hasMemory || oneShot ? undefined : jvmHeapCap(ctx, s)
  if (heap) {
    // The heap is most of a JVM's memory; what stays unbounded (metaspace, threads, direct buffers) is smaller.
    emit(ctx, R.noMemoryLimit, limitsAnchor(ctx, s), `service \`${s.name}\` has no memory limit, though its JVM heap is capped (\`${heap.flag}\` in \`${heap.name}\`): low, as only the memory beyond the heap (metaspace, threads, direct buffers) is unbounded`, { severity: 'low' })
  } else if (!hasMemory) emit(ctx, R.noMemoryLimit, limitsAnchor(ctx, s), `service \`${s.name}\` has no memory limit${why}`, oneShot ? { severity: 'low' } : {})
  if (!hasCpu) emit(ctx, R.noCpuLimit, limitsAnchor(ctx, s), `service \`${s.name}\` has no CPU limit${why}`, oneShot ? { severity: 'info' } : {})
}

export function checkRestart(ctx: Context, s: Service): void {
  if (setting(ctx, s, 'restart') || settingPath(ctx, s, ['deploy', 'restart_policy']).length === 2) return
  emit(ctx, R.noRestartPolicy, lineOf(ctx, s.key), `service \`${s.name}\` has no restart policy`)
}
