/**
 * The checklist topics: what each one means (one line, also in docs/design.md), how a question's
 * wording maps to topics when a persona file gives only the question, and which topics need a
 * measurement that no rule can make.
 */
import type { Topic } from '../types.js'
import { TOPICS } from '../types.js'

/** One line per topic: what a rule informing it looks at. */
export const TOPIC_MEANING: Record<Topic, string> = {
  'secret-storage': 'credentials live in a secret store, not as literals in code, images, templates or state',
  'secret-exposure': 'secrets do not leak to logs, environment variables, untrusted code or outputs',
  'least-privilege': 'identities, containers, tokens and RBAC get only the permissions they need',
  'network-exposure': 'what is reachable from the internet or the host network, and from where',
  encryption: 'data at rest and in transit is encrypted',
  'supply-chain': 'third-party code, actions, images and scripts come from a pinned, verifiable source',
  'workflow-injection': 'pull request text and untrusted code cannot run with the pipeline privileges',
  'pipeline-tests': 'the pipeline builds, tests and gates a deploy before it reaches users',
  'immutable-artifacts': 'images, packages and actions are versioned and never change under the same name',
  'health-checks': 'liveness, readiness and load-balancer checks tell the platform when an instance is bad',
  'rollout-strategy': 'a deploy replaces instances gradually and stops when the new ones are not healthy',
  'rollback-path': 'a previous version can be restored quickly (history kept, automatic rollback)',
  redundancy: 'no single replica, node or zone takes the service down',
  autoscaling: 'capacity follows load without someone stepping in',
  'resource-limits': 'CPU and memory requests and limits keep one workload from starving others',
  monitoring: 'metrics and traces show whether the change works',
  logging: 'logs are produced, shipped and retained for a known time',
  alerting: 'someone is paged when the change misbehaves',
  backups: 'stateful data is backed up and can be restored',
  'deletion-protection': 'stateful resources survive a delete or a replacing update',
  'cost-sizing': 'resources are sized to their real load',
  'cost-waste': 'nothing is paid for that is not used (idle capacity, unbounded retention, bloated images)',
  'latency-target': 'the latency objective holds (needs a measurement; rules can only point at risks)',
  'availability-target': 'the availability objective holds (needs a measurement; rules can only point at risks)'
}

/** Topics whose answer needs a measurement (load test, SLO dashboard): never decided by rules alone. */
export const MEASURED_TOPICS: ReadonlySet<Topic> = new Set<Topic>(['latency-target', 'availability-target'])

/** Short words for "checked: <label> on 3 containers". */
export const TOPIC_LABEL: Record<Topic, string> = {
  'secret-storage': 'secret literals',
  'secret-exposure': 'secret exposure',
  'least-privilege': 'privileges',
  'network-exposure': 'network exposure',
  encryption: 'encryption',
  'supply-chain': 'sources and pins',
  'workflow-injection': 'script injection',
  'pipeline-tests': 'deploy gates',
  'immutable-artifacts': 'version pins',
  'health-checks': 'health checks',
  'rollout-strategy': 'rollout settings',
  'rollback-path': 'rollback settings',
  redundancy: 'replicas and zones',
  autoscaling: 'scaling settings',
  'resource-limits': 'resource requests and limits',
  monitoring: 'monitoring settings',
  logging: 'log settings',
  alerting: 'alerts',
  backups: 'backup settings',
  'deletion-protection': 'deletion protection',
  'cost-sizing': 'sizing',
  'cost-waste': 'waste',
  'latency-target': 'latency risks',
  'availability-target': 'availability risks'
}

/**
 * Words in a question → topics. Small on purpose: each line is a family of words a reviewer
 * uses for one concern. Order does not matter; every matching line adds its topics.
 */
const TOPIC_WORDS: [RegExp, Topic[]][] = [
  [/\b(secret manager|secrets? (store|manager|vault)|vault|kms|sops|sealed[- ]secrets?|hard[- ]?coded|literal|plain ?text|out of (the )?(code|repo\w*))\b/i, ['secret-storage']],
  [/\b(secrets?|credentials?|passwords?|api[- ]keys?|tokens?)\b/i, ['secret-storage', 'secret-exposure']],
  [/\b(leak\w*|expos\w* secret\w*|logs? (of )?secrets?|rotat\w*)\b/i, ['secret-exposure']],
  [/\b(least[- ]privilege|privileg\w*|iam|rbac|permissions?|roles?|non-?root|root|capabilit\w*|identit\w*|access control)\b/i, ['least-privilege']],
  [/\b(network|firewall|security groups?|ingress|egress|public(ly)?|internet|exposure|exposed|ports?|cidr|waf|zero[- ]trust)\b/i, ['network-exposure']],
  [/\b(encrypt\w*|tls|ssl|at rest|in transit)\b/i, ['encryption']],
  [/\b(supply[- ]chain|third[- ]party|scan\w*|dependenc\w*|sbom|signed|provenance)\b/i, ['supply-chain']],
  [/\b(injection|untrusted|pull_request_target)\b/i, ['workflow-injection']],
  [/\b(pipelines?|ci\/cd|ci|quality gates?|gated?|test suites?|unit tests?|integration tests?)\b/i, ['pipeline-tests']],
  [/\b(immutab\w*|pinned|pins?|pinning|digests?|versioned|artifacts?|latest tags?)\b/i, ['immutable-artifacts']],
  [/\b(health[- ]?checks?|probes?|liveness|readiness)\b/i, ['health-checks']],
  [/\b(rollouts?|canary|blue[- ]green|progressive|gradual\w*|feature flags?|zero[- ]downtime|deploy\w* fails?|failed deploy\w*)\b/i, ['rollout-strategy']],
  [/\b(roll[- ]?backs?|roll(ed|ing)? back|revert\w*|recover\w*|undo)\b/i, ['rollback-path']],
  [/\b(redundan\w*|failure modes?|blast radius|failover|fail over|multi[- ]?(az|region|zone)|single points? of failure|spof|replicas?|high availability|node (dies|failure)|instance dies|dies)\b/i, ['redundancy']],
  [/\b(autoscal\w*|auto[- ]scal\w*|scal(e|es|ing) (out|up|down)|scaling|\d+x traffic|traffic spikes?|spikes?|capacity|absorb)\b/i, ['autoscaling']],
  [/\b(limits?|requests?|quotas?|cpu|memory|resource (limits|requests))\b/i, ['resource-limits']],
  [/\b(monitor\w*|metrics?|dashboards?|observab\w*|traces?|tracing|diagnos\w*|operable|operate)\b/i, ['monitoring']],
  [/\b(logs?|logging|logged|retention|audit trail)\b/i, ['logging']],
  [/\b(alerts?|alerting|alarms?|pag(e|ed|ing)|on-?call|runbooks?)\b/i, ['alerting']],
  [/\b(backups?|back(ed)? up|restores?|restoring|snapshots?|pitr|point[- ]in[- ]time|disaster recovery|rto|rpo)\b/i, ['backups']],
  [/\b(deletion protection|accidental (deletion|delete)|deleted|retain|data loss)\b/i, ['deletion-protection']],
  [/\b(right[- ]?siz\w*|oversized|over[- ]provision\w*|instance (types?|sizes?)|spot|reserved|committed)\b/i, ['cost-sizing']],
  [/(\$|\b(costs?|cost-\w+|spend\w*|budgets?|pricing|bill)\b)/i, ['cost-sizing', 'cost-waste']],
  [/\b(cheaper|unused|idle|waste|lifecycle|off[- ]hours|cost[- ]allocation)\b/i, ['cost-waste']],
  [/(\b(latency|p9[059]|p50|response times?|slow|bottlenecks?|cold starts?|performance)\b)/i, ['latency-target']],
  [/(\b(slos?|slas?|availability|available|uptime|error budgets?|nines)\b|\b99\.\d+\s*%)/i, ['availability-target']]
]

const TOPIC_SET = new Set<string>(TOPICS)

export function isTopic(value: string): value is Topic {
  return TOPIC_SET.has(value)
}

/**
 * Topics a question is about, inferred from its words, in vocabulary order. "Error budget" is
 * an availability word, not a cost word.
 */
export function inferTopics(question: string): Topic[] {
  const text = question.replace(/error budgets?/gi, 'SLO')
  const found = new Set<Topic>()
  for (const [pattern, topics] of TOPIC_WORDS) if (pattern.test(text)) for (const t of topics) found.add(t)
  return TOPICS.filter((t) => found.has(t))
}
