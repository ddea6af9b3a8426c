/**
 * Rules whose findings come from other tools' output rather than from reading a file: the
 * Terraform plan (what it replaces or destroys) and Infracost (cost over the repository's
 * limits). They sit in the same catalogue as every rule, so docs, SARIF and settings see them.
 */
import type { RuleMeta } from '../types.js'

export const IMPORT_RULES: RuleMeta[] = [
  {
    id: 'tfplan/replaces-stateful',
    kind: 'terraform',
    category: 'backup',
    severity: 'high',
    topics: ['backups', 'deletion-protection'],
    title: 'The plan replaces a resource that holds data',
    description:
      'The saved Terraform plan deletes and re-creates a database, bucket, volume, file system or key; the new one starts empty unless it is restored.',
    remediation:
      'Change the attribute in place if the provider allows it, or plan the migration: snapshot, `lifecycle { prevent_destroy = true }`, `create_before_destroy`, or a `moved`/import step.'
  },
  {
    id: 'tfplan/destroys-stateful',
    kind: 'terraform',
    category: 'backup',
    severity: 'high',
    topics: ['backups', 'deletion-protection'],
    title: 'The plan destroys a resource that holds data',
    description: 'The saved Terraform plan deletes a database, bucket, volume, file system or key without replacing it.',
    remediation: 'Confirm the data is no longer needed or backed up; if the resource was only renamed, add a `moved` block instead.'
  },
  {
    id: 'infracost/monthly-increase',
    kind: 'any',
    category: 'cost',
    severity: 'medium',
    topics: ['cost-sizing'],
    title: 'Monthly cost increase above the repository limit',
    description: 'Infracost estimates that this change raises the monthly cost by more than `cost.warn-increase-usd` or `cost.warn-increase-percent` allow.',
    remediation: 'Right-size what the change adds, or raise the limit in `.github/preflight.yml` if the increase is intended.'
  },
  {
    id: 'infracost/monthly-total',
    kind: 'any',
    category: 'cost',
    severity: 'medium',
    topics: ['cost-sizing'],
    title: 'Monthly cost above the repository limit',
    description: 'Infracost estimates a monthly total above `cost.warn-total-usd`.',
    remediation: 'Look at the largest resources in the cost table; raise the limit in `.github/preflight.yml` if the total is intended.'
  }
]
