/**
 * One decision for Kubernetes and Helm rules: does a privileged init container do nothing but set
 * fixed kernel parameters with `sysctl -w` (the Elasticsearch/OpenSearch `vm.max_map_count`
 * set-up)? It needs privilege for exactly that write of `/proc/sys` and exits before the app
 * starts, so its privileged finding is medium rather than critical. Only parameters named in an
 * allow-list of resource sizes and limits are accepted: any other (one that makes the kernel run a
 * program, like `kernel.core_pattern`, or lowers a protection of the host, like
 * `net.core.bpf_jit_harden` or `vm.unprivileged_userfaultfd`) keeps the finding critical. So does an
 * image nobody can tell is a plain base image (see `sysctlImageAccepted`).
 */
import { imageRepository, officialImageName, parseImageRef } from './container-common.js'

/** Shells a container command may run its script through (`sh -c "…"`). */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash'])

/**
 * Where a parameter lives, which decides what the message may say of it:
 * - `node`: one value for the whole node (`vm.*`, the `fs.*` tables, the `net.core` buffer limits
 *   and `tcp_mem`, which the kernel registers for the host's network namespace only); a pod's
 *   `securityContext.sysctls` cannot set it;
 * - `namespaced`: the kernel keeps one per network or IPC namespace, and Kubernetes lists its family
 *   among the namespaced ones (`kernel.shm*`, `kernel.msg*`, `kernel.sem`, `fs.mqueue.*`, `net.*`):
 *   the pod's `securityContext.sysctls` can set it for the pod alone;
 * - `unsure`: namespaced only in some kernels (`nf_conntrack_max` before 5.12.2), or not known for
 *   certain: the message claims nothing about where it could go.
 */
type ParameterScope = 'node' | 'namespaced' | 'unsure'

/**
 * The resource sizes and limits an init container is accepted to set: memory maps and writeback,
 * file, watch and async-I/O tables, process and IPC limits, socket queues, buffers, keepalive and
 * port ranges. Each only makes room or changes a timing; none switches a protection or a feature on
 * or off, or names a program or path. Anything not listed keeps the finding critical.
 */
const RESOURCE_PARAMETERS: ReadonlyMap<string, ParameterScope> = new Map<string, ParameterScope>([
  ...[
    'vm.max_map_count',
    'vm.swappiness',
    'vm.overcommit_memory',
    'vm.overcommit_ratio',
    'vm.dirty_ratio',
    'vm.dirty_background_ratio',
    'vm.dirty_bytes',
    'vm.dirty_background_bytes',
    'vm.dirty_expire_centisecs',
    'vm.dirty_writeback_centisecs',
    'vm.vfs_cache_pressure',
    'vm.min_free_kbytes',
    'vm.nr_hugepages',
    'fs.inotify.max_user_watches',
    'fs.inotify.max_user_instances',
    'fs.inotify.max_queued_events',
    'fs.file-max',
    'fs.nr_open',
    'fs.aio-max-nr',
    'kernel.pid_max',
    'kernel.threads-max',
    'net.core.rmem_max',
    'net.core.wmem_max',
    'net.core.rmem_default',
    'net.core.wmem_default',
    'net.core.netdev_max_backlog',
    'net.ipv4.tcp_mem'
  ].map((key) => [key, 'node'] as const),
  ...[
    'kernel.shmmax',
    'kernel.shmall',
    'kernel.shmmni',
    'kernel.msgmax',
    'kernel.msgmnb',
    'kernel.msgmni',
    'kernel.sem',
    'fs.mqueue.msg_max',
    'fs.mqueue.msgsize_max',
    'fs.mqueue.queues_max',
    'net.core.somaxconn',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.ip_local_reserved_ports',
    'net.ipv4.tcp_rmem',
    'net.ipv4.tcp_wmem',
    'net.ipv4.tcp_keepalive_time',
    'net.ipv4.tcp_keepalive_intvl',
    'net.ipv4.tcp_keepalive_probes',
    'net.ipv4.tcp_fin_timeout'
  ].map((key) => [key, 'namespaced'] as const),
  ...['net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_max_tw_buckets', 'net.core.optmem_max', 'net.netfilter.nf_conntrack_max', 'net.nf_conntrack_max'].map((key) => [key, 'unsure'] as const)
])

/** A parameter name as `sysctl` takes it (dots or slashes between parts). */
const PARAMETER_NAME = /^[a-z0-9_-]+(?:[./][a-z0-9_-]+)+$/
/** A value with nothing a shell or the kernel reads as more than a number or a word list. */
const PLAIN_VALUE = /^[\w.,: -]+$/

const baseName = (word: string): string => word.slice(word.lastIndexOf('/') + 1)

/** The parameters one `sysctl -w k=v …` invocation sets, or undefined when it is anything else. */
function sysctlStep(words: readonly string[]): string[] | undefined {
  if (words.length < 2 || baseName(words[0]!) !== 'sysctl') return undefined
  let write = false
  const keys: string[] = []
  for (const word of words.slice(1)) {
    if (/^-[eqw]+$/.test(word)) {
      write ||= word.includes('w')
      continue
    }
    if (word === '--write') {
      write = true
      continue
    }
    const eq = word.indexOf('=')
    if (eq <= 0) return undefined
    const key = word.slice(0, eq).toLowerCase()
    if (!PARAMETER_NAME.test(key) || !PLAIN_VALUE.test(word.slice(eq + 1))) return undefined
    const dotted = key.replace(/\//g, '.')
    if (!RESOURCE_PARAMETERS.has(dotted)) return undefined
    keys.push(dotted)
  }
  return write && keys.length > 0 ? keys : undefined
}

/**
 * The commands of a `sh -c` script, as words, split at `;`, `&&` and newlines; undefined when the
 * script holds anything else a shell acts on: a pipe, a background job, `||`, a substitution
 * (`$`, backquotes), a redirection, a glob, a comment, a subshell or an escape.
 */
function scriptSteps(script: string): string[][] | undefined {
  const steps: string[][] = [[]]
  let word: string | undefined
  const endWord = (): void => {
    if (word !== undefined) steps[steps.length - 1]!.push(word)
    word = undefined
  }
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!
    if (ch === ' ' || ch === '\t') {
      endWord()
    } else if (ch === '\n' || ch === ';' || (ch === '&' && script[i + 1] === '&')) {
      if (ch === '&') i++
      endWord()
      steps.push([])
    } else if (ch === "'" || ch === '"') {
      const close = script.indexOf(ch, i + 1)
      if (close < 0) return undefined
      const quoted = script.slice(i + 1, close)
      // Inside double quotes a shell still expands `$`, backquotes and escapes.
      if (ch === '"' && /[$`\\]/.test(quoted)) return undefined
      word = (word ?? '') + quoted
      i = close
    } else if (/[\w.,:=/+-]/.test(ch)) {
      word = (word ?? '') + ch
    } else {
      return undefined
    }
  }
  endWord()
  return steps.filter((step) => step.length > 0)
}

/**
 * The kernel parameters a container command sets, when it does nothing else: `command` (with
 * `args` after it) is `sysctl -w key=value …`, or a shell given one script (`sh -c "…"`) made only
 * of such commands joined by `;`, `&&` or newlines. Undefined otherwise, and with no `command`
 * (the image's own entrypoint would run). Parameters in order of first use.
 */
export function fixedSysctlParameters(command: readonly string[], args: readonly string[]): string[] | undefined {
  if (command.length === 0) return undefined
  const words = [...command, ...args]
  const shell = SHELLS.has(baseName(words[0]!)) && /^-[eux]*c[eux]*$/.test(words[1] ?? '')
  if (shell && words.length !== 3) return undefined
  const steps = shell ? scriptSteps(words[2]!) : [words]
  if (!steps || steps.length === 0) return undefined
  const keys: string[] = []
  for (const step of steps) {
    const set = sysctlStep(step)
    if (!set) return undefined
    for (const key of set) if (!keys.includes(key)) keys.push(key)
  }
  return keys
}

/** The characters an image reference is made of (registry, path, tag, digest). */
const IMAGE_REFERENCE = /^[\w][\w./:@-]*$/

/**
 * Base images published by the Kubernetes project or a Linux distribution, by registry and the
 * start of their repository path (`''`: the whole registry).
 */
const BASE_IMAGE_FOLDERS: ReadonlyMap<string, readonly string[]> = new Map([
  ['registry.k8s.io', ['']],
  ['k8s.gcr.io', ['']],
  ['registry.access.redhat.com', ['ubi']],
  ['registry.redhat.io', ['ubi']],
  ['public.ecr.aws', ['amazonlinux/']],
  ['mcr.microsoft.com', ['azurelinux/', 'cbl-mariner/']],
  ['registry.suse.com', ['bci/', 'suse/']]
])

/**
 * Whether the image whose `sysctl` a privileged init container runs is one the lowering may trust.
 * Privileged, its `sysctl` could do anything to the node, so what matters is who decides what that
 * binary is: with a digest, the content is fixed and reviewable; a Docker Hub official image
 * (`busybox`, `alpine`, `debian`, `ubuntu`…), the Kubernetes registry or a distribution's base
 * image comes from a publisher every cluster trusts already. Any other repository, pinned only by a
 * tag its owner can move, keeps the finding critical; so does an image the file does not spell out.
 */
export function sysctlImageAccepted(image: string | undefined): boolean {
  // Only the characters of an image reference: a template action, a variable or anything odd is no image to judge.
  if (image === undefined || !IMAGE_REFERENCE.test(image)) return false
  if (/^sha256:[0-9a-f]{64}$/i.test(parseImageRef(image).digest ?? '')) return true
  const { registry, path } = imageRepository(image)
  if (path === '' || path.split('/').some((part) => part === '')) return false
  if (officialImageName(image) !== undefined) return true
  return (BASE_IMAGE_FOLDERS.get(registry ?? '') ?? []).some((folder) => path.startsWith(folder))
}

/** A list of names as code spans, at most four: `` `a`, `b` and 3 more ``. */
function named(items: readonly string[]): string {
  return items.slice(0, 4).map((k) => `\`${k}\``).join(', ') + (items.length > 4 ? ` and ${items.length - 4} more` : '')
}

/**
 * The message clause after "an init container that" / "it": what the container sets, from which
 * image, and why the pod cannot do without it (node-wide parameters) or how it could (namespaced
 * ones). A parameter whose namespace depends on the kernel gets no claim either way.
 */
export function sysctlClause(keys: readonly string[], images: readonly string[]): string {
  const from = images.length === 1 ? `image ${named(images)}` : `images ${named(images)}`
  const namespaced = keys.filter((k) => RESOURCE_PARAMETERS.get(k) === 'namespaced')
  const where =
    namespaced.length > 0
      ? `; ${named(namespaced)} ${namespaced.length === 1 ? 'belongs' : 'belong'} to the pod's own network or IPC namespace, which its \`securityContext.sysctls\` can set without privilege (once the kubelet allows it with \`--allowed-unsafe-sysctls\` when Kubernetes does not count it safe)`
      : keys.every((k) => RESOURCE_PARAMETERS.get(k) === 'node')
        ? ", node-wide parameters that the pod's `securityContext.sysctls` cannot set"
        : ''
  return `only sets ${named(keys)} with a fixed \`sysctl -w\` from ${from} and exits before the app starts${where}`
}
