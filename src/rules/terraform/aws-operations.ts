/** AWS operations rules: logs, metrics and traces (observability), tag immutability, cost. */
import { defineRule } from '../rule.js'
import { blocksOf, isExpr, isObject, numberValue, stringValue } from '../parse/hcl.js'
import { attr, dynamicBlock, isFalse, label, refersTo, sub, writtenName, type TfCheck, type TfContext, type TfResource } from './context.js'
import { instanceTypeAttributes, oversizedReason } from './instances.js'
import { majorOf, VPC_MODULE } from './registry-modules.js'

const logRetention = defineRule('terraform', {
  id: 'tf/aws-log-group-no-retention',
  category: 'observability',
  topics: ['logging', 'cost-waste'],
  severity: 'low',
  title: 'CloudWatch log group without retention',
  description: 'Without `retention_in_days` (or with 0) logs are kept forever: the retention policy is undefined and storage grows without bound.',
  remediation: 'Set `retention_in_days` to the period the logs are needed for (e.g. 30, 90 or 365).',
  refs: { checkov: 'CKV_AWS_66', kics: 'terraform/aws/cloudwatch_without_retention_period_specified' }
})
const ec2Monitoring = defineRule('terraform', {
  id: 'tf/aws-ec2-detailed-monitoring-off',
  category: 'observability',
  topics: ['monitoring'],
  severity: 'low',
  title: 'EC2 detailed monitoring off',
  description: 'Without `monitoring = true` CloudWatch metrics come at five-minute resolution, too coarse for alarms on short incidents.',
  remediation: 'Set `monitoring = true`.',
  refs: { checkov: 'CKV_AWS_126' }
})
const lbAccessLogs = defineRule('terraform', {
  id: 'tf/aws-lb-access-logs-disabled',
  category: 'observability',
  topics: ['logging'],
  severity: 'medium',
  title: 'Load balancer access logs disabled',
  description: 'Without access logs there is no record of requests for debugging errors or investigating incidents. A network load balancer writes access logs only for its TLS listeners, so one whose listeners in the module are all TCP or UDP is not reported. Nor is a block or module argument the caller sets (`dynamic "access_logs"`, `access_logs = var.alb.access_logs`).',
  remediation: 'Add an `access_logs` block with a bucket and `enabled = true`.',
  refs: { checkov: ['CKV_AWS_92', 'CKV_AWS_91'], kics: 'terraform/aws/elb_access_logging_disabled' }
})
const rdsInsights = defineRule('terraform', {
  id: 'tf/aws-rds-performance-insights-off',
  category: 'observability',
  topics: ['monitoring'],
  severity: 'low',
  title: 'RDS Performance Insights off',
  description: 'Without Performance Insights slow queries and load spikes are hard to diagnose.',
  remediation: 'Set `performance_insights_enabled = true`.',
  refs: { checkov: 'CKV_AWS_353', tfsec: 'aws-rds-enable-performance-insights', trivy: 'AVD-AWS-0133' }
})
const rdsLogs = defineRule('terraform', {
  id: 'tf/aws-rds-no-log-exports',
  category: 'observability',
  topics: ['logging'],
  severity: 'low',
  title: 'RDS logs not exported to CloudWatch',
  description: '`enabled_cloudwatch_logs_exports` is missing or empty, so database logs are not kept outside the instance.',
  remediation: 'Export the engine\'s logs, e.g. `enabled_cloudwatch_logs_exports = ["error", "slowquery"]` (MySQL) or `["postgresql"]`.',
  refs: { checkov: 'CKV_AWS_129' }
})
const eksLogs = defineRule('terraform', {
  id: 'tf/aws-eks-control-plane-logs-off',
  category: 'observability',
  topics: ['logging'],
  severity: 'medium',
  title: 'EKS control plane logging off',
  description: 'Without `enabled_cluster_log_types` API server, audit and authenticator logs are not sent to CloudWatch.',
  remediation: 'Set `enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]`.',
  refs: { checkov: 'CKV_AWS_37', kics: 'terraform/aws/eks_cluster_log_disabled', tfsec: 'aws-eks-enable-control-plane-logging', trivy: 'AVD-AWS-0038' }
})
const lambdaTracing = defineRule('terraform', {
  id: 'tf/aws-lambda-no-tracing',
  category: 'observability',
  topics: ['monitoring'],
  severity: 'low',
  title: 'Lambda function without X-Ray tracing',
  description: 'Without active tracing, requests through the function cannot be followed across services.',
  remediation: 'Add `tracing_config { mode = "Active" }`.',
  refs: { checkov: 'CKV_AWS_50', kics: 'terraform/aws/lambda_functions_without_x-ray_tracing', tfsec: 'aws-lambda-enable-tracing', trivy: 'AVD-AWS-0066' }
})
const vpcFlowLogs = defineRule('terraform', {
  id: 'tf/aws-vpc-no-flow-logs',
  category: 'observability',
  topics: ['logging'],
  severity: 'low',
  title: 'VPC without flow logs',
  description: 'No `aws_flow_log` in the VPC\'s module (the files of its directory) captures its traffic, which is needed to investigate connectivity problems and incidents.',
  remediation: 'Add an `aws_flow_log` with `vpc_id` pointing at the VPC.',
  refs: { checkov: 'CKV2_AWS_11', kics: 'terraform/aws/vpc_flowlogs_disabled', tfsec: 'aws-ec2-require-vpc-flow-logs-for-all-vpcs', trivy: 'AVD-AWS-0178' }
})
const ecsInsights = defineRule('terraform', {
  id: 'tf/aws-ecs-container-insights-off',
  category: 'observability',
  topics: ['monitoring'],
  severity: 'low',
  title: 'ECS cluster without Container Insights',
  description: 'Without Container Insights there are no per-task CPU, memory and restart metrics.',
  remediation: 'Add `setting { name = "containerInsights"\n value = "enabled" }` to the cluster.',
  refs: { checkov: 'CKV_AWS_65', tfsec: 'aws-ecs-enable-container-insight', trivy: 'AVD-AWS-0034' }
})
const ecrMutable = defineRule('terraform', {
  id: 'tf/aws-ecr-mutable-tags',
  category: 'immutability',
  topics: ['immutable-artifacts'],
  severity: 'medium',
  title: 'ECR repository with mutable tags',
  description: 'With mutable tags a pushed tag can be overwritten, so the same tag may deploy different images.',
  remediation: 'Set `image_tag_mutability = "IMMUTABLE"` and deploy by digest or unique tags.',
  refs: { checkov: 'CKV_AWS_51', kics: 'terraform/aws/ecr_image_tag_not_immutable', tfsec: 'aws-ecr-enforce-immutable-repository', trivy: 'AVD-AWS-0031' }
})
const gp2 = defineRule('terraform', {
  id: 'tf/aws-ebs-gp2',
  category: 'cost',
  topics: ['cost-sizing'],
  severity: 'low',
  title: 'gp2 volume where gp3 is cheaper',
  description: 'gp3 costs about 20% less per GB than gp2 and gives a 3,000 IOPS baseline regardless of size.',
  remediation: 'Change the volume type to `"gp3"` (an in-place modification for EBS volumes).',
  refs: {}
})
const oversized = defineRule('terraform', {
  id: 'tf/aws-oversized-instance',
  category: 'cost',
  topics: ['cost-sizing'],
  severity: 'info',
  title: 'Very large instance size',
  description: 'The instance size is among the largest (or a specialised GPU / memory family); it is worth confirming the workload needs it.',
  remediation: 'Check utilisation and pick the smallest size that meets the need; consider Savings Plans for steady large instances.',
  refs: {}
})

// ── Observability ────────────────────────────────────────────────────────────────────────────

function checkLogGroups(ctx: TfContext): void {
  for (const r of ctx.resources('aws_cloudwatch_log_group')) {
    const a = attr(r.block, 'retention_in_days')
    if (!a) ctx.report(logRetention, r.block.line, `${label(r)} does not set \`retention_in_days\``)
    else if (numberValue(a.value) === 0) ctx.report(logRetention, a.line, `${label(r)} sets \`retention_in_days = 0\` (never expire)`)
  }
}

function checkEc2Monitoring(ctx: TfContext): void {
  for (const r of ctx.resources('aws_instance')) {
    const a = attr(r.block, 'monitoring')
    if (a && isFalse(a)) ctx.report(ec2Monitoring, a.line, `${label(r)} has detailed monitoring off`, { suggestion: ctx.lines[a.line - 1]?.replace(/=\s*"?false"?/, '= true') })
    else if (!a) ctx.report(ec2Monitoring, r.block.line, `${label(r)} does not enable detailed monitoring`)
  }
}

/** What the module shows of a network load balancer's listeners. */
interface NlbListeners {
  /** Some listener uses TLS (the only kind AWS writes NLB access logs for). */
  tls: boolean
  /** At least one listener is found and the protocol of every one is a literal. */
  known: boolean
  /** Some listener (or listener input) of it is in the module. */
  found: boolean
}

/**
 * The listeners of a network load balancer: `aws_lb_listener`s of the module attached to it, and
 * for an alb registry module call its listener inputs (`http_tcp_listeners` / `https_listeners`
 * lists up to v8, the `listeners` map from v9).
 */
function nlbListeners(ctx: TfContext, r: TfResource): NlbListeners {
  const protocols: (string | undefined)[] = []
  let opaque = false
  const [refType, refName] = r.viaModule ? ['module', r.name] : [r.type, r.name]
  for (const l of ctx.projectResources(['aws_lb_listener', 'aws_alb_listener'])) {
    if (refersTo(attr(l.block, 'load_balancer_arn')?.value, refType, refName)) protocols.push(stringValue(attr(l.block, 'protocol')?.value))
  }
  if (r.viaModule) {
    for (const input of ['http_tcp_listeners', 'https_listeners', 'listeners']) {
      const value = attr(r.block, input)?.value
      if (value === undefined || value === null) continue
      const items = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : undefined
      if (!items) {
        opaque = true
        continue
      }
      for (const item of items) {
        if (!isObject(item)) opaque = true
        // An `https_listeners` entry terminates TLS whatever protocol it leaves out.
        else protocols.push(stringValue(item.protocol) ?? (input === 'https_listeners' ? 'TLS' : undefined))
      }
    }
  }
  return {
    tls: protocols.some((p) => p?.toUpperCase() === 'TLS'),
    known: !opaque && protocols.length > 0 && protocols.every((p) => p !== undefined),
    found: opaque || protocols.length > 0
  }
}

function checkLoadBalancerLogs(ctx: TfContext): void {
  for (const r of ctx.resources(['aws_elb', 'aws_lb', 'aws_alb'], { modules: true })) {
    const type = stringValue(attr(r.block, 'load_balancer_type')?.value)
    if (type === 'gateway') continue
    // An NLB logs only TLS listeners: with none, access logs would record nothing.
    let caveat = ''
    if (r.type !== 'aws_elb' && type === 'network') {
      const listeners = nlbListeners(ctx, r)
      if (!listeners.tls && listeners.known) continue
      if (!listeners.tls) {
        caveat = listeners.found
          ? ' (a network load balancer logs only its TLS listeners, and this module does not show the protocol of all of its listeners)'
          : ' (a network load balancer logs only its TLS listeners, and none of its listeners is in this module)'
      }
    }
    const logs = sub(r.block, 'access_logs')
    // `dynamic "access_logs"` is set by the module's caller: not a missing block.
    if (!logs && dynamicBlock(r.block, 'access_logs')) continue
    // A module's `access_logs = var.alb.access_logs` argument: the caller's setting too (a written
    // object reaches here as the block above; a literal such as `null` or `false` leaves the logs off).
    const argument = logs ? undefined : attr(r.block, 'access_logs')
    if (argument && isExpr(argument.value)) continue
    if (!logs) {
      ctx.report(lbAccessLogs, r.block.line, `${label(r)} has no access logs${caveat}`, { missing: 'access_logs' })
      continue
    }
    const enabled = attr(logs, 'enabled')
    // Classic ELBs log once the block is present; ALBs/NLBs need `enabled = true`.
    const defaultOn = r.type === 'aws_elb'
    if (enabled && isFalse(enabled)) ctx.report(lbAccessLogs, enabled.line, `${label(r)} has access logs disabled${caveat}`, { suggestion: ctx.lines[enabled.line - 1]?.replace(/=\s*"?false"?/, '= true') })
    else if (!enabled && !defaultOn) ctx.report(lbAccessLogs, logs.line, `${label(r)} has an \`access_logs\` block without \`enabled = true\`${caveat}`)
  }
}

function checkRdsTelemetry(ctx: TfContext): void {
  for (const r of ctx.resources(['aws_db_instance', 'aws_rds_cluster'])) {
    const cls = stringValue(attr(r.block, 'instance_class')?.value) ?? ''
    const engine = stringValue(attr(r.block, 'engine')?.value) ?? ''
    const clusterMember = r.type === 'aws_db_instance' && (engine.startsWith('aurora') || attr(r.block, 'cluster_identifier') !== undefined)
    if (r.type === 'aws_db_instance' && !/^db\.t[234]g?\.(micro|small)$/.test(cls)) {
      const pi = attr(r.block, 'performance_insights_enabled')
      if (pi && isFalse(pi)) ctx.report(rdsInsights, pi.line, `${label(r)} has Performance Insights off`)
      else if (!pi) ctx.report(rdsInsights, r.block.line, `${label(r)} does not enable Performance Insights`)
    }
    if (clusterMember) continue
    const logs = attr(r.block, 'enabled_cloudwatch_logs_exports')
    if (!logs) ctx.report(rdsLogs, r.block.line, `${label(r)} exports no logs to CloudWatch`)
    else if (Array.isArray(logs.value) && logs.value.length === 0) ctx.report(rdsLogs, logs.line, `${label(r)} exports no logs to CloudWatch (empty list)`)
  }
}

function checkEksLogs(ctx: TfContext): void {
  for (const r of ctx.resources('aws_eks_cluster', { modules: true })) {
    const a = attr(r.block, 'enabled_cluster_log_types')
    // The registry module enables the main log types by default; only an explicit empty list is off.
    if (!a && !r.viaModule) ctx.report(eksLogs, r.block.line, `${label(r)} sends no control plane logs to CloudWatch`)
    else if (a && Array.isArray(a.value) && a.value.length === 0) ctx.report(eksLogs, a.line, `${label(r)} sets \`${writtenName(r, 'enabled_cluster_log_types')}\` to an empty list`)
  }
}

function checkLambdaTracing(ctx: TfContext): void {
  for (const r of ctx.resources('aws_lambda_function')) {
    const tc = sub(r.block, 'tracing_config')
    if (!tc && dynamicBlock(r.block, 'tracing_config')) continue
    const mode = tc ? attr(tc, 'mode') : undefined
    if (!tc) ctx.report(lambdaTracing, r.block.line, `${label(r)} has no X-Ray tracing`)
    else if (mode && stringValue(mode.value) !== undefined && stringValue(mode.value) !== 'Active') {
      ctx.report(lambdaTracing, mode.line, `${label(r)} traces in \`${stringValue(mode.value)}\` mode, not \`Active\``, { suggestion: ctx.lines[mode.line - 1]?.replace(`"${stringValue(mode.value)}"`, '"Active"') })
    } else if (!mode) ctx.report(lambdaTracing, tc.line, `${label(r)} has a \`tracing_config\` without \`mode = "Active"\``)
  }
}

/** True when a module call of the directory takes this VPC and looks like it sets up flow logs. */
function flowLogModuleFor(ctx: TfContext, vpc: string): boolean {
  return ctx.projectModules().some((m) => {
    const source = stringValue(attr(m, 'source')?.value) ?? ''
    const inputs = Object.values(m.attributes)
    const takesVpc = inputs.some((a) => refersTo(a.value, 'aws_vpc', vpc))
    return takesVpc && (/flow/i.test(source) || inputs.some((a) => /flow_log/i.test(a.name)))
  })
}

function checkVpcFlowLogs(ctx: TfContext): void {
  const flowLogs = ctx.projectResources('aws_flow_log')
  const where = ctx.projectDir !== undefined ? 'in its module' : 'in this file'
  // A flow log whose VPC we cannot resolve might cover any VPC here: stay quiet.
  const unresolved = flowLogs.some((f) => {
    const v = attr(f.block, 'vpc_id')?.value
    return typeof v === 'string' || (isExpr(v) && !/(^|[^\w.])aws_vpc\./.test(v.expr))
  })
  if (!unresolved) {
    for (const r of ctx.resources('aws_vpc')) {
      if (flowLogs.some((f) => refersTo(attr(f.block, 'vpc_id')?.value, 'aws_vpc', r.name)) || flowLogModuleFor(ctx, r.name)) continue
      ctx.report(vpcFlowLogs, r.block.line, `${label(r)} has no flow log ${where}`)
    }
  }
  // The registry VPC module creates its own flow log when asked to.
  for (const m of ctx.topBlocks('module')) {
    if (!VPC_MODULE.source.test(stringValue(attr(m, 'source')?.value) ?? '')) continue
    const switches = VPC_MODULE.flowLogInputs.map((n) => attr(m, n)).filter((a) => a !== undefined)
    const off = switches.find((a) => isFalse(a))
    if (off) {
      ctx.report(vpcFlowLogs, off.line, `module \`${m.labels[0] ?? ''}\` sets \`${off.name} = false\`: the VPC has no flow log`, { suggestion: ctx.lines[off.line - 1]?.replace(/=\s*"?false"?/, '= true') })
      continue
    }
    if (switches.length > 0) continue
    const major = majorOf(stringValue(attr(m, 'version')?.value))
    // Without a known version the module's default is unknown: check explicit inputs only.
    if (major === undefined || !VPC_MODULE.defaultsKnown.includes(major)) continue
    if (flowLogs.some((f) => /(^|[^\w.])module\./.test(String((attr(f.block, 'vpc_id')?.value as { expr?: string } | undefined)?.expr ?? '')))) continue
    ctx.report(vpcFlowLogs, m.line, `module \`${m.labels[0] ?? ''}\` does not set \`enable_flow_log = true\`, so the VPC has no flow log (${VPC_MODULE.name} v${major} default is \`false\`)`, {
      via: 'module default'
    })
  }
}

function checkEcsInsights(ctx: TfContext): void {
  for (const r of ctx.resources('aws_ecs_cluster')) {
    const setting = blocksOf(r.block, 'setting').find((s) => stringValue(attr(s, 'name')?.value) === 'containerInsights')
    const value = setting ? attr(setting, 'value') : undefined
    const v = stringValue(value?.value)
    // Settings built by `dynamic "setting"` come from the caller and may well include it.
    if (!setting && dynamicBlock(r.block, 'setting')) continue
    if (!setting) ctx.report(ecsInsights, r.block.line, `${label(r)} does not enable Container Insights`)
    else if (value && v !== undefined && v !== 'enabled' && v !== 'enhanced') ctx.report(ecsInsights, value.line, `${label(r)} has Container Insights \`${v}\``, { suggestion: ctx.lines[value.line - 1]?.replace(`"${v}"`, '"enabled"') })
  }
}

// ── Immutability ─────────────────────────────────────────────────────────────────────────────

function checkEcrTags(ctx: TfContext): void {
  for (const r of ctx.resources('aws_ecr_repository', { modules: true })) {
    const a = attr(r.block, 'image_tag_mutability')
    if (a && stringValue(a.value) === 'MUTABLE') {
      ctx.report(ecrMutable, a.line, `${label(r)} allows tags to be overwritten (\`MUTABLE\`)`, { suggestion: ctx.lines[a.line - 1]?.replace('"MUTABLE"', '"IMMUTABLE"') })
    } else if (a && stringValue(a.value) === 'MUTABLE_WITH_EXCLUSION') {
      ctx.report(ecrMutable, a.line, `${label(r)} allows tags to be overwritten except those its exclusion filters name (\`MUTABLE_WITH_EXCLUSION\`)`)
    } else if (!a && !r.viaModule) {
      // The registry module defaults to IMMUTABLE; the resource defaults to MUTABLE.
      ctx.report(ecrMutable, r.block.line, `${label(r)} does not set \`image_tag_mutability\`, so tags are mutable`)
    }
  }
}

// ── Cost ─────────────────────────────────────────────────────────────────────────────────────

function checkGp2(ctx: TfContext): void {
  const flag = (a: ReturnType<typeof attr>, what: string): void => {
    if (a && stringValue(a.value) === 'gp2') ctx.report(gp2, a.line, `${what} uses gp2 storage; gp3 is cheaper`, { suggestion: ctx.lines[a.line - 1]?.split('"gp2"').length === 2 ? ctx.lines[a.line - 1]!.replace('"gp2"', '"gp3"') : undefined })
  }
  for (const r of ctx.resources('aws_ebs_volume')) flag(attr(r.block, 'type'), label(r))
  for (const r of ctx.resources(['aws_db_instance'], { modules: true })) flag(attr(r.block, 'storage_type'), label(r))
  for (const r of ctx.resources(['aws_instance'], { modules: true })) {
    for (const dev of [...blocksOf(r.block, 'root_block_device'), ...blocksOf(r.block, 'ebs_block_device')]) flag(attr(dev, 'volume_type'), `a volume of ${label(r)}`)
  }
  for (const r of ctx.resources(['aws_launch_template'])) {
    for (const m of blocksOf(r.block, 'block_device_mappings')) {
      const ebs = sub(m, 'ebs')
      if (ebs) flag(attr(ebs, 'volume_type'), `a volume of ${label(r)}`)
    }
  }
}

function checkOversized(ctx: TfContext): void {
  for (const ref of instanceTypeAttributes(ctx.file)) {
    if (!ref.resourceType.startsWith('aws_')) continue
    const why = oversizedReason(ref.value)
    if (why) ctx.report(oversized, ref.line, `\`${ref.resourceType}.${ref.name}\` uses \`${ref.value}\`: ${why}`)
  }
}

export const awsOperationsChecks: TfCheck[] = [
  { rules: [logRetention], run: checkLogGroups },
  { rules: [ec2Monitoring], run: checkEc2Monitoring },
  { rules: [lbAccessLogs], run: checkLoadBalancerLogs },
  { rules: [rdsInsights, rdsLogs], run: checkRdsTelemetry },
  { rules: [eksLogs], run: checkEksLogs },
  { rules: [lambdaTracing], run: checkLambdaTracing },
  { rules: [vpcFlowLogs], run: checkVpcFlowLogs },
  { rules: [ecsInsights], run: checkEcsInsights },
  { rules: [ecrMutable], run: checkEcrTags },
  { rules: [gp2], run: checkGp2 },
  { rules: [oversized], run: checkOversized }
]
