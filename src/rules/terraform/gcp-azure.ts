/** The most common exposure and backup mistakes on Google Cloud and Azure. */
import { defineRule } from '../rule.js'
import { blocksOf, stringValue, type HclAttribute } from '../parse/hcl.js'
import { attr, dynamicBlock, isDynamic, isFalse, isTrue, label, referenceText, stringList, sub, type TfCheck, type TfContext } from './context.js'
import { nsgRuleReach } from './azure-nsg-reach.js'

const sqlBackups = defineRule('terraform', {
  id: 'tf/gcp-sql-backups-off',
  category: 'backup',
  topics: ['backups'],
  severity: 'medium',
  title: 'Cloud SQL instance without automated backups',
  description: 'The instance has no `backup_configuration { enabled = true }`, so there are no automated backups or point-in-time recovery.',
  remediation: 'Add `backup_configuration { enabled = true }` (and `point_in_time_recovery_enabled = true` for PostgreSQL) under `settings`.',
  refs: { checkov: 'CKV_GCP_14', tfsec: 'google-sql-enable-backup', trivy: 'AVD-GCP-0024' }
})
const sqlPublic = defineRule('terraform', {
  id: 'tf/gcp-sql-public-network',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Cloud SQL reachable from any address',
  description: 'An authorized network of `0.0.0.0/0` lets the whole internet reach the database\'s public IP.',
  remediation: 'Authorize only known ranges, or use private IP and the Cloud SQL Auth Proxy.',
  refs: { checkov: 'CKV_GCP_11', tfsec: 'google-sql-no-public-access', trivy: 'AVD-GCP-0017' }
})
const gcpFirewall = defineRule('terraform', {
  id: 'tf/gcp-firewall-open-admin-port',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Firewall opens SSH or RDP to the internet',
  description: 'An ingress firewall rule allows port 22 or 3389 (or all ports) from 0.0.0.0/0.',
  remediation: 'Restrict `source_ranges` to known ranges, or use IAP TCP forwarding (35.235.240.0/20).',
  refs: { checkov: ['CKV_GCP_2', 'CKV_GCP_3'], tfsec: 'google-compute-no-public-ingress', trivy: 'AVD-GCP-0027' }
})
const azureNsg = defineRule('terraform', {
  id: 'tf/azure-nsg-open-admin-port',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Network security rule opens SSH or RDP to the internet',
  description: 'An inbound allow rule admits port 22 or 3389 (or all ports) from `*`, `Internet` or 0.0.0.0/0. What the group guards, as the module shows it, lowers it: to low when every interface and subnet it is attached to is in view and none has a path from the internet to the port (no public IP, no load balancer rule or NAT rule forwarding to it); to medium when every machine behind it runs the system that does not listen there by default (RDP on Linux VMs, SSH on Windows VMs: xrdp or the OpenSSH server can still be installed). A group attached to nothing in view keeps it high, as does a group, subnet or interface exported by an `output`, handed to a module call or read by a data source, and any firewall NAT rule or other forwarder to private addresses in the module.',
  remediation: 'Restrict the source prefix to known ranges, or use Azure Bastion.',
  refs: { checkov: ['CKV_AZURE_10', 'CKV_AZURE_9'], tfsec: 'azure-network-no-public-ingress', trivy: 'AVD-AZU-0047' }
})
const azureBlobPublic = defineRule('terraform', {
  id: 'tf/azure-storage-public-blob',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Storage account allows public blob access',
  description: 'Containers in the account may be made readable anonymously.',
  remediation: 'Set `allow_nested_items_to_be_public = false` (`allow_blob_public_access = false` on older providers).',
  refs: { checkov: 'CKV_AZURE_59' }
})

const gkePrivateNodes = defineRule('terraform', {
  id: 'tf/gcp-gke-public-nodes',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'medium',
  title: 'GKE nodes have public IP addresses',
  description: 'Without `private_cluster_config { enable_private_nodes = true }` every node gets an external IP, so any port a workload or the kubelet opens can be reached from outside the VPC, subject only to firewall rules.',
  remediation: 'Add `private_cluster_config { enable_private_nodes = true }` (with Cloud NAT for egress); it requires a VPC-native cluster and replaces existing node pools.',
  refs: { checkov: 'CKV_GCP_25', tfsec: 'google-gke-enable-private-cluster', trivy: 'AVD-GCP-0059' }
})
const gkeLegacyAbac = defineRule('terraform', {
  id: 'tf/gcp-gke-legacy-abac',
  category: 'security',
  topics: ['least-privilege'],
  severity: 'high',
  title: 'GKE legacy ABAC enabled',
  description: '`enable_legacy_abac = true` grants broad static permissions outside Kubernetes RBAC, so RBAC policies no longer bound what service accounts and users can do.',
  remediation: 'Set `enable_legacy_abac = false` and grant access with RBAC roles.',
  refs: { checkov: 'CKV_GCP_7', tfsec: 'google-gke-no-legacy-authorization', trivy: 'AVD-GCP-0064' }
})
const gkeNetworkPolicy = defineRule('terraform', {
  id: 'tf/gcp-gke-no-network-policy',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'low',
  title: 'GKE cluster does not enforce network policies',
  description: 'Neither `network_policy { enabled = true }` nor Dataplane V2 (`datapath_provider = "ADVANCED_DATAPATH"`) is set, so NetworkPolicy objects have no effect and every pod can reach every other.',
  remediation: 'Use Dataplane V2 (`datapath_provider = "ADVANCED_DATAPATH"`) or add `network_policy { enabled = true }` with `addons_config { network_policy_config { disabled = false } }`.',
  refs: { checkov: 'CKV_GCP_12', tfsec: 'google-gke-enable-network-policy', trivy: 'AVD-GCP-0056' }
})
const gkeWorkloadIdentity = defineRule('terraform', {
  id: 'tf/gcp-gke-no-workload-identity',
  category: 'security',
  topics: ['secret-exposure', 'least-privilege'],
  severity: 'medium',
  title: 'GKE cluster without Workload Identity',
  description: 'Without `workload_identity_config`, pods reach Google APIs with the node\'s service account, so every workload on a node shares its permissions.',
  remediation: 'Add `workload_identity_config { workload_pool = "<project>.svc.id.goog" }` and bind Kubernetes service accounts to Google service accounts.',
  refs: { checkov: 'CKV_GCP_66', tfsec: 'google-gke-metadata-endpoints-disabled' }
})
const gkeNodeManagement = defineRule('terraform', {
  id: 'tf/gcp-gke-node-auto-repair-upgrade-off',
  category: 'slo',
  topics: ['redundancy'],
  severity: 'medium',
  title: 'GKE node pool without auto-repair or auto-upgrade',
  description: 'A node pool sets `auto_repair` or `auto_upgrade` to false: broken nodes stay in service, or nodes drift behind the control plane and miss security patches.',
  remediation: 'Set `management { auto_repair = true\n auto_upgrade = true }` on the node pool.',
  refs: { checkov: ['CKV_GCP_9', 'CKV_GCP_10'], tfsec: ['google-gke-enable-auto-repair', 'google-gke-enable-auto-upgrade'], trivy: ['AVD-GCP-0063', 'AVD-GCP-0058'] }
})
const aksRbac = defineRule('terraform', {
  id: 'tf/azure-aks-rbac-disabled',
  category: 'security',
  topics: ['least-privilege'],
  severity: 'high',
  title: 'AKS cluster with Kubernetes RBAC disabled',
  description: 'With RBAC off every authenticated user and service account has full control of the cluster.',
  remediation: 'Set `role_based_access_control_enabled = true` (the default); enabling it replaces the cluster.',
  refs: { checkov: 'CKV_AZURE_5', tfsec: 'azure-container-use-rbac-permissions', trivy: 'AVD-AZU-0042' }
})
const aksApiOpen = defineRule('terraform', {
  id: 'tf/azure-aks-api-open',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'medium',
  title: 'AKS API server reachable from every address',
  description: 'The cluster is not private and `api_server_access_profile { authorized_ip_ranges }` is not set, so the API server accepts connections from the whole internet.',
  remediation: 'Set `private_cluster_enabled = true`, or list the ranges that run kubectl and CI in `api_server_access_profile { authorized_ip_ranges = [...] }`.',
  refs: { checkov: ['CKV_AZURE_6', 'CKV_AZURE_115'], tfsec: 'azure-container-limit-authorized-ips', trivy: 'AVD-AZU-0041' }
})
const aksNetworkPolicy = defineRule('terraform', {
  id: 'tf/azure-aks-no-network-policy',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'low',
  title: 'AKS cluster without a network policy engine',
  description: 'Without `network_profile { network_policy = … }` NetworkPolicy objects have no effect and every pod can reach every other.',
  remediation: 'Set `network_profile { network_plugin = "azure"\n network_policy = "azure" }` (or `"calico"` / `"cilium"`); changing it replaces the cluster.',
  refs: { checkov: 'CKV_AZURE_7', tfsec: 'azure-container-configured-network-policy', trivy: 'AVD-AZU-0043' }
})
const aksLocalAccounts = defineRule('terraform', {
  id: 'tf/azure-aks-local-accounts',
  category: 'security',
  topics: ['least-privilege'],
  severity: 'medium',
  title: 'AKS local accounts enabled',
  description: 'Without `local_account_disabled = true` the cluster keeps a static admin kubeconfig that bypasses Entra ID, cannot be audited per user and is not revoked when people leave.',
  remediation: 'Set `local_account_disabled = true` together with Entra ID integration (`azure_active_directory_role_based_access_control`).',
  refs: { checkov: 'CKV_AZURE_141' }
})

const ANYWHERE = new Set(['0.0.0.0/0', '::/0', '*', 'internet', 'any'])
const ADMIN_PORTS: [number, string][] = [
  [22, 'SSH'],
  [3389, 'RDP']
]

/** Which admin ports a list of port specs (`"22"`, `"1000-2000"`, `"*"`) covers; 'all' for every port. */
function coveredPorts(specs: string[] | undefined): 'all' | number[] {
  if (specs === undefined) return 'all'
  const hit: number[] = []
  for (const spec of specs) {
    const s = spec.trim()
    if (s === '*' || s === '0-65535') return 'all'
    const [lo, hi] = s.split('-').map((x) => Number(x))
    if (lo === undefined || Number.isNaN(lo)) continue
    for (const [port] of ADMIN_PORTS) if (lo <= port && port <= (hi ?? lo)) hit.push(port)
  }
  return hit
}

function describe(ports: 'all' | number[]): string | undefined {
  if (ports === 'all') return 'all ports'
  return ports.length ? ports.map((p) => `${ADMIN_PORTS.find(([port]) => port === p)![1]} (port ${p})`).join(' and ') : undefined
}

function checkCloudSql(ctx: TfContext): void {
  for (const r of ctx.resources('google_sql_database_instance')) {
    const settings = sub(r.block, 'settings')
    if (!settings) continue
    // A replica has no backups of its own; `dynamic "backup_configuration"` is set by the module's caller.
    if (!attr(r.block, 'master_instance_name') && !(sub(settings, 'backup_configuration') === undefined && dynamicBlock(settings, 'backup_configuration'))) {
      const backup = sub(settings, 'backup_configuration')
      const enabled = backup ? attr(backup, 'enabled') : undefined
      if (!backup) ctx.report(sqlBackups, settings.line, `${label(r)} has no \`backup_configuration\``)
      else if (!enabled || !isTrue(enabled)) ctx.report(sqlBackups, enabled?.line ?? backup.line, `${label(r)} does not enable automated backups`)
    }
    const ip = sub(settings, 'ip_configuration')
    for (const net of ip ? blocksOf(ip, 'authorized_networks') : []) {
      const value = attr(net, 'value')
      if (value && ANYWHERE.has((stringValue(value.value) ?? '').toLowerCase())) ctx.report(sqlPublic, value.line, `${label(r)} authorizes connections from ${stringValue(value.value)}`)
    }
  }
}

function checkGcpFirewall(ctx: TfContext): void {
  for (const r of ctx.resources('google_compute_firewall')) {
    const direction = stringValue(attr(r.block, 'direction')?.value) ?? 'INGRESS'
    const ranges = attr(r.block, 'source_ranges')
    if (direction.toUpperCase() !== 'INGRESS' || !ranges || !stringList(ranges.value).some((c) => ANYWHERE.has(c.toLowerCase()))) continue
    for (const allow of blocksOf(r.block, 'allow')) {
      const protocol = (stringValue(attr(allow, 'protocol')?.value) ?? '').toLowerCase()
      if (!['tcp', 'all', '6'].includes(protocol)) continue
      const portsAttr = attr(allow, 'ports')
      const what = describe(protocol === 'all' ? 'all' : coveredPorts(portsAttr ? stringList(portsAttr.value) : undefined))
      if (what) ctx.report(gcpFirewall, ranges.line, `${label(r)} allows ${what} from the internet`)
    }
  }
}

/** `nsg` names the `azurerm_network_security_group` the rule belongs to, when known: what it guards may lower the finding. */
function nsgRule(ctx: TfContext, who: string, rule: { attributes: Record<string, HclAttribute> }, nsg: string | undefined): void {
  const get = (n: string): string => (stringValue(rule.attributes[n]?.value) ?? '').toLowerCase()
  if (get('direction') !== 'inbound' || get('access') !== 'allow') return
  const protocol = get('protocol')
  if (protocol && !['tcp', '*'].includes(protocol)) return
  const single = rule.attributes.source_address_prefix
  const many = rule.attributes.source_address_prefixes
  const source = [single, many].find((a) => a && stringList(a.value).some((p) => ANYWHERE.has(p.toLowerCase())))
  if (!source) return
  const portSpecs = [...stringList(rule.attributes.destination_port_range?.value), ...stringList(rule.attributes.destination_port_ranges?.value)]
  const ports = coveredPorts(portSpecs)
  const what = describe(ports)
  if (!what) return
  const reach = nsgRuleReach(ctx, nsg, ports)
  ctx.report(azureNsg, source.line, `${who} allows ${what} from the internet${reach ? ` (${reach.why})` : ''}`, reach ? { severity: reach.severity } : undefined)
}

/** The group a standalone rule belongs to: `network_security_group_name = azurerm_network_security_group.NAME.name`. */
const NSG_NAME_REF = /^azurerm_network_security_group\.([A-Za-z_][\w-]*)\.name$/

function checkAzureNsg(ctx: TfContext): void {
  for (const r of ctx.resources('azurerm_network_security_rule')) {
    const ref = referenceText(attr(r.block, 'network_security_group_name')?.value)
    nsgRule(ctx, label(r), r.block, ref !== undefined ? NSG_NAME_REF.exec(ref)?.[1] : undefined)
  }
  for (const r of ctx.resources('azurerm_network_security_group')) {
    for (const rule of blocksOf(r.block, 'security_rule')) nsgRule(ctx, label(r), rule, r.name)
  }
}

function checkAzureStorage(ctx: TfContext): void {
  for (const r of ctx.resources('azurerm_storage_account')) {
    for (const name of ['allow_blob_public_access', 'allow_nested_items_to_be_public']) {
      const a = attr(r.block, name)
      if (a && isTrue(a)) ctx.report(azureBlobPublic, a.line, `${label(r)} sets \`${name} = true\``, { suggestion: ctx.lines[a.line - 1]?.replace(/=\s*"?true"?/, '= false') })
    }
  }
}

function checkGke(ctx: TfContext): void {
  for (const r of ctx.resources('google_container_cluster')) {
    const b = r.block
    const abac = attr(b, 'enable_legacy_abac')
    if (abac && isTrue(abac)) ctx.report(gkeLegacyAbac, abac.line, `${label(r)} enables legacy ABAC`, { suggestion: ctx.lines[abac.line - 1]?.replace(/=\s*"?true"?/, '= false') })
    // Autopilot manages nodes, network policy and Workload Identity itself.
    if (isTrue(attr(b, 'enable_autopilot'))) continue
    const priv = sub(b, 'private_cluster_config')
    const privateNodes = priv ? attr(priv, 'enable_private_nodes') : undefined
    if (privateNodes && isFalse(privateNodes)) ctx.report(gkePrivateNodes, privateNodes.line, `${label(r)} sets \`enable_private_nodes = false\`: nodes get public IPs`)
    else if (!privateNodes && !dynamicBlock(b, 'private_cluster_config')) ctx.report(gkePrivateNodes, priv?.line ?? b.line, `${label(r)} does not enable private nodes, so nodes get public IPs`)
    const dataplaneV2 = stringValue(attr(b, 'datapath_provider')?.value) === 'ADVANCED_DATAPATH'
    const np = sub(b, 'network_policy')
    const npEnabled = np ? attr(np, 'enabled') : undefined
    if (!dataplaneV2 && !dynamicBlock(b, 'network_policy') && (!npEnabled || isFalse(npEnabled))) {
      ctx.report(gkeNetworkPolicy, npEnabled?.line ?? np?.line ?? b.line, `${label(r)} does not enforce network policies`)
    }
    if (!sub(b, 'workload_identity_config') && !dynamicBlock(b, 'workload_identity_config')) ctx.report(gkeWorkloadIdentity, b.line, `${label(r)} has no \`workload_identity_config\`: pods use the node's service account`)
  }
  // Node pools: standalone, or inline `node_pool` blocks of a cluster.
  const pools = [
    ...ctx.resources('google_container_node_pool').map((r) => ({ who: label(r), block: r.block })),
    ...ctx.resources('google_container_cluster').flatMap((r) => blocksOf(r.block, 'node_pool').map((np) => ({ who: `a node pool of ${label(r)}`, block: np })))
  ]
  for (const { who, block } of pools) {
    const mgmt = sub(block, 'management')
    for (const name of ['auto_repair', 'auto_upgrade']) {
      const a = mgmt ? attr(mgmt, name) : undefined
      if (a && isFalse(a)) ctx.report(gkeNodeManagement, a.line, `${who} sets \`${name} = false\``, { suggestion: ctx.lines[a.line - 1]?.replace(/=\s*"?false"?/, '= true') })
    }
  }
}

function checkAks(ctx: TfContext): void {
  for (const r of ctx.resources('azurerm_kubernetes_cluster')) {
    const b = r.block
    const rbac = attr(b, 'role_based_access_control_enabled') ?? (sub(b, 'role_based_access_control') ? attr(sub(b, 'role_based_access_control')!, 'enabled') : undefined)
    if (rbac && isFalse(rbac)) ctx.report(aksRbac, rbac.line, `${label(r)} disables Kubernetes RBAC`, { suggestion: ctx.lines[rbac.line - 1]?.replace(/=\s*"?false"?/, '= true') })
    const isPrivate = isTrue(attr(b, 'private_cluster_enabled'))
    const profile = sub(b, 'api_server_access_profile')
    const ranges = (profile ? attr(profile, 'authorized_ip_ranges') : undefined) ?? attr(b, 'api_server_authorized_ip_ranges')
    const openRanges = ranges ? stringList(ranges.value).some((c) => ANYWHERE.has(c.toLowerCase())) : false
    if (!isPrivate && !isDynamic(attr(b, 'private_cluster_enabled')?.value) && !dynamicBlock(b, 'api_server_access_profile') && (!ranges || openRanges)) {
      ctx.report(aksApiOpen, ranges?.line ?? b.line, `${label(r)} is not private and ${ranges ? 'authorizes every address' : 'sets no authorized IP ranges'} for its API server`)
    }
    const net = sub(b, 'network_profile')
    if (!dynamicBlock(b, 'network_profile') && (!net || !attr(net, 'network_policy'))) ctx.report(aksNetworkPolicy, net?.line ?? b.line, `${label(r)} sets no \`network_policy\`, so NetworkPolicy objects are not enforced`)
    const local = attr(b, 'local_account_disabled')
    if (!local || isFalse(local)) ctx.report(aksLocalAccounts, local?.line ?? b.line, `${label(r)} keeps local accounts (a static admin kubeconfig) enabled`)
  }
}

export const gcpAzureChecks: TfCheck[] = [
  { rules: [gkePrivateNodes, gkeLegacyAbac, gkeNetworkPolicy, gkeWorkloadIdentity, gkeNodeManagement], run: checkGke },
  { rules: [aksRbac, aksApiOpen, aksNetworkPolicy, aksLocalAccounts], run: checkAks },
  { rules: [sqlBackups, sqlPublic], run: checkCloudSql },
  { rules: [gcpFirewall], run: checkGcpFirewall },
  { rules: [azureNsg], run: checkAzureNsg },
  { rules: [azureBlobPublic], run: checkAzureStorage }
]
