/**
 * Which of Preflight's eight categories an imported result belongs to: first a table of ids per
 * tool (where the id alone says it), then the words of the rule's name and description, then
 * `security`, which is what most scanner results are about.
 */
import type { Category } from '../types.js'
import { lookupTable, type LookupTable } from '../util/lookup-table.js'

/** Ids whose category the name alone would get wrong or could not tell. */
const BY_ID = lookupTable<LookupTable<Category>>({
  hadolint: lookupTable<Category>({
    DL3006: 'immutability', // untagged image
    DL3007: 'immutability', // `latest`
    DL3008: 'immutability', // apt packages unpinned
    DL3013: 'immutability', // pip unpinned
    DL3016: 'immutability', // npm unpinned
    DL3018: 'immutability', // apk unpinned
    DL3028: 'immutability', // gem unpinned
    DL3002: 'security', // last USER root
    DL3004: 'security', // sudo
    DL3020: 'security', // ADD instead of COPY
    DL3025: 'slo', // JSON form of CMD for signals
    DL3009: 'cost', // apt lists left in the image
    DL3015: 'cost', // recommended packages installed
    DL3042: 'cost' // pip cache kept
  }),
  zizmor: lookupTable<Category>({
    'unpinned-uses': 'immutability',
    'unpinned-images': 'immutability',
    'template-injection': 'security',
    'dangerous-triggers': 'security',
    'excessive-permissions': 'security',
    'artipacked': 'secrets',
    'secrets-inherit': 'secrets',
    'hardcoded-container-credentials': 'secrets',
    'cache-poisoning': 'security',
    'github-env': 'security',
    'self-hosted-runner': 'security',
    'known-vulnerable-actions': 'security',
    'insecure-commands': 'security',
    'overprovisioned-secrets': 'secrets',
    'unredacted-secrets': 'secrets'
  }),
  checkov: lookupTable<Category>({
    CKV_AWS_18: 'observability', // S3 access logging
    CKV_AWS_21: 'backup', // S3 versioning
    CKV_AWS_16: 'security', // RDS encryption
    CKV_AWS_17: 'security', // RDS public
    CKV_AWS_133: 'backup', // RDS backup retention
    CKV_AWS_157: 'slo', // RDS multi-AZ
    CKV_AWS_293: 'rollback', // RDS deletion protection
    CKV_AWS_150: 'rollback', // LB deletion protection
    CKV_AWS_126: 'observability', // EC2 detailed monitoring
    CKV_AWS_91: 'observability', // LB access logs
    CKV2_AWS_11: 'observability', // VPC flow logs
    CKV_K8S_8: 'slo', // liveness probe
    CKV_K8S_9: 'slo', // readiness probe
    CKV_K8S_10: 'cost',
    CKV_K8S_11: 'cost',
    CKV_K8S_12: 'cost',
    CKV_K8S_13: 'cost',
    CKV_K8S_14: 'immutability', // image tag fixed
    CKV_K8S_43: 'immutability', // image digest
    CKV_DOCKER_2: 'slo', // HEALTHCHECK
    CKV_DOCKER_7: 'immutability', // FROM latest
    CKV_GHA_7: 'security'
  })
})

/** Words in a rule's name or description and the category they point to, most specific first. */
const WORDS: [RegExp, Category][] = [
  [/\b(secret|password|passwd|credential|api[ _-]?key|access[ _-]?key|private[ _-]?key|token|hard-?coded)\b/i, 'secrets'],
  [/\b(backup|versioning|snapshot|point[- ]in[- ]time|retention period|replication|recovery)\b/i, 'backup'],
  [/\b(deletion protection|termination protection|prevent_destroy|deletion policy|rollback)\b/i, 'rollback'],
  [/\b(log(s|ging)?|monitor(ing)?|metrics?|trac(e|ing)|alarm|audit trail|flow logs?|insights)\b/i, 'observability'],
  [/\b(liveness|readiness|health ?check|replicas?|multi-?az|availability zones?|high availability|disruption budget)\b/i, 'slo'],
  [/\b(latest tag|image tag|digest|pinned|unpinned|pin |immutable|mutable tags?|version(ed)? tag)\b/i, 'immutability'],
  [/\b(cpu|memory) (limits?|requests?)\b|\bcost\b|\binstance type\b/i, 'cost']
]

export function categoryFor(tool: string, ruleId: string, words: string): Category {
  const table = BY_ID[tool]
  const direct = table?.[ruleId] ?? table?.[ruleId.replace(/^zizmor\//, '')]
  if (direct) return direct
  for (const [re, category] of WORDS) if (re.test(words)) return category
  return 'security'
}
