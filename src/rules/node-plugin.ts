/**
 * One decision for Kubernetes and Helm rules: is a privileged or UID-0 container a node network
 * or storage plugin (a CNI agent or installer, a CSI node driver)? Such plugins need those rights
 * by design, so their privilege findings are medium rather than critical/high.
 */

/** Why a node plugin needs privilege or root. */
export type NodePluginNeed = 'cni' | 'volume' | 'bpf' | 'propagation'

/** The clause each need reads as, after "which needs it to". */
export const NODE_PLUGIN_NEEDS: Record<NodePluginNeed, string> = {
  cni: "write the host's CNI folders",
  volume: "write the kubelet's volume plugin folders (FlexVolume drivers, CSI node sockets)",
  bpf: 'mount the BPF filesystem',
  propagation: 'propagate mounts back to the host'
}

/** Host folders a CNI plugin writes its binaries, configuration and state to. */
const CNI_HOST_PATHS = ['/opt/cni/bin', '/etc/cni/net.d', '/var/lib/cni']
/**
 * The kubelet's storage plugin folders: FlexVolume drivers are executables installed under the
 * first; CSI node drivers put their socket under the second and register it in the third.
 */
const VOLUME_PLUGIN_HOST_PATHS = ['/usr/libexec/kubernetes/kubelet-plugins/volume/exec', '/var/lib/kubelet/plugins', '/var/lib/kubelet/plugins_registry']
const BPF_HOST_PATH = '/sys/fs/bpf'

/** One volume mount of a container: the host path behind it (if a hostPath volume) and its propagation. */
export interface PluginMount {
  hostPath?: string
  propagation?: string
}

/** The need a host path shows: a CNI folder, a kubelet volume plugin folder or the BPF filesystem (or a folder below them). */
export function nodePluginPathNeed(hostPath: string): NodePluginNeed | undefined {
  // Trailing slashes trimmed by hand: a `/+$` pattern backtracks on long runs of slashes.
  let end = hostPath.length
  while (end > 1 && hostPath[end - 1] === '/') end--
  const p = hostPath.slice(0, end)
  const under = (root: string) => p === root || p.startsWith(`${root}/`)
  if (CNI_HOST_PATHS.some(under)) return 'cni'
  if (VOLUME_PLUGIN_HOST_PATHS.some(under)) return 'volume'
  if (under(BPF_HOST_PATH)) return 'bpf'
  return undefined
}

/**
 * Why a container with these mounts is a node plugin, or undefined when it is not: a mount with
 * `Bidirectional` propagation (Kubernetes allows it only in privileged containers), a CNI folder,
 * a kubelet volume plugin folder or the BPF filesystem of the host.
 */
export function nodePluginNeed(mounts: readonly PluginMount[]): NodePluginNeed | undefined {
  if (mounts.some((m) => m.propagation === 'Bidirectional')) return 'propagation'
  const needs = mounts.map((m) => (m.hostPath === undefined ? undefined : nodePluginPathNeed(m.hostPath)))
  return needs.find((n) => n === 'cni') ?? needs.find((n) => n === 'volume') ?? needs.find((n) => n === 'bpf')
}

/** The message clause: "a CNI/CSI node plugin, which needs it to …". */
export function nodePluginClause(need: NodePluginNeed): string {
  return `a CNI/CSI node plugin, which needs it to ${NODE_PLUGIN_NEEDS[need]}`
}
