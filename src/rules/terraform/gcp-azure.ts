/** The most common exposure and backup mistakes on Google Cloud and Azure. */
import type { RuleMeta } from '../../types.js'
import { blocksOf, stringValue, type HclAttribute } from '../hcl.js'
import { attr, isTrue, label, stringList, sub, type TfCheck, type TfContext } from './context.js'

const meta = (m: Omit<RuleMeta, 'kind'>): RuleMeta => ({ kind: 'terraform', ...m })

const sqlBackups = meta({
  id: 'tf/gcp-sql-backups-off',
  category: 'backup',
  topics: ['backups'],
  severity: 'medium',
  title: 'Cloud SQL instance without automated backups',
  description: 'The instance has no `backup_configuration { enabled = true }`, so there are no automated backups or point-in-time recovery.',
  remediation: 'Add `backup_configuration { enabled = true }` (and `point_in_time_recovery_enabled = true` for PostgreSQL) under `settings`.',
  refs: { checkov: 'CKV_GCP_14' }
})
const sqlPublic = meta({
  id: 'tf/gcp-sql-public-network',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Cloud SQL reachable from any address',
  description: 'An authorized network of `0.0.0.0/0` lets the whole internet reach the database\'s public IP.',
  remediation: 'Authorize only known ranges, or use private IP and the Cloud SQL Auth Proxy.',
  refs: { checkov: 'CKV_GCP_11' }
})
const gcpFirewall = meta({
  id: 'tf/gcp-firewall-open-admin-port',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Firewall opens SSH or RDP to the internet',
  description: 'An ingress firewall rule allows port 22 or 3389 (or all ports) from 0.0.0.0/0.',
  remediation: 'Restrict `source_ranges` to known ranges, or use IAP TCP forwarding (35.235.240.0/20).',
  refs: { checkov: 'CKV_GCP_2' }
})
const azureNsg = meta({
  id: 'tf/azure-nsg-open-admin-port',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Network security rule opens SSH or RDP to the internet',
  description: 'An inbound allow rule admits port 22 or 3389 (or all ports) from `*`, `Internet` or 0.0.0.0/0.',
  remediation: 'Restrict the source prefix to known ranges, or use Azure Bastion.',
  refs: { checkov: 'CKV_AZURE_10' }
})
const azureBlobPublic = meta({
  id: 'tf/azure-storage-public-blob',
  category: 'security',
  topics: ['network-exposure'],
  severity: 'high',
  title: 'Storage account allows public blob access',
  description: 'Containers in the account may be made readable anonymously.',
  remediation: 'Set `allow_nested_items_to_be_public = false` (`allow_blob_public_access = false` on older providers).',
  refs: {}
})

const ANYWHERE = new Set(['0.0.0.0/0', '::/0', '*', 'internet', 'any'])
const ADMIN_PORTS: [number, string][] = [
  [22, 'SSH'],
  [3389, 'RDP']
]

/** Which admin ports a list of port specs (`"22"`, `"1000-2000"`, `"*"`) covers; 'all' for every port. */
function coveredPorts(specs: string[] | undefined): 'all' | string[] {
  if (specs === undefined) return 'all'
  const hit: string[] = []
  for (const spec of specs) {
    const s = spec.trim()
    if (s === '*' || s === '0-65535') return 'all'
    const [lo, hi] = s.split('-').map((x) => Number(x))
    if (lo === undefined || Number.isNaN(lo)) continue
    for (const [port, name] of ADMIN_PORTS) if (lo <= port && port <= (hi ?? lo)) hit.push(`${name} (port ${port})`)
  }
  return hit
}

function describe(ports: 'all' | string[]): string | undefined {
  if (ports === 'all') return 'all ports'
  return ports.length ? ports.join(' and ') : undefined
}

function checkCloudSql(ctx: TfContext): void {
  for (const r of ctx.resources('google_sql_database_instance')) {
    const settings = sub(r.block, 'settings')
    if (!settings) continue
    if (!attr(r.block, 'master_instance_name')) {
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

function nsgRule(ctx: TfContext, who: string, rule: { attributes: Record<string, HclAttribute> }): void {
  const get = (n: string): string => (stringValue(rule.attributes[n]?.value) ?? '').toLowerCase()
  if (get('direction') !== 'inbound' || get('access') !== 'allow') return
  const protocol = get('protocol')
  if (protocol && !['tcp', '*'].includes(protocol)) return
  const single = rule.attributes.source_address_prefix
  const many = rule.attributes.source_address_prefixes
  const source = [single, many].find((a) => a && stringList(a.value).some((p) => ANYWHERE.has(p.toLowerCase())))
  if (!source) return
  const portSpecs = [...stringList(rule.attributes.destination_port_range?.value), ...stringList(rule.attributes.destination_port_ranges?.value)]
  const what = describe(coveredPorts(portSpecs))
  if (what) ctx.report(azureNsg, source.line, `${who} allows ${what} from the internet`)
}

function checkAzureNsg(ctx: TfContext): void {
  for (const r of ctx.resources('azurerm_network_security_rule')) nsgRule(ctx, label(r), r.block)
  for (const r of ctx.resources('azurerm_network_security_group')) {
    for (const rule of blocksOf(r.block, 'security_rule')) nsgRule(ctx, label(r), rule)
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

export const gcpAzureChecks: TfCheck[] = [
  { rules: [sqlBackups, sqlPublic], check: checkCloudSql },
  { rules: [gcpFirewall], check: checkGcpFirewall },
  { rules: [azureNsg], check: checkAzureNsg },
  { rules: [azureBlobPublic], check: checkAzureStorage }
]
