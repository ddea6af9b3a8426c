/**
 * Cost of a CloudFormation template, where the values are written as literals: instances,
 * volumes, databases, NAT gateways, load balancers, log groups and buckets. Values built by
 * intrinsic functions (`!Ref`, `!If`, …) are not guessed.
 */
import { literal, readTemplate, type Resource, type Template } from '../rules/cfn/template.js'
import type { Node } from '../rules/parse/yaml.js'
import { looksNonProduction, looksProduction } from './estimate.js'
import { checkBucket, checkCompute, checkDatabase, checkLoadBalancer, checkLogGroup, checkNatGateways, checkVolume, type Where } from './checks.js'
import { newSink, type CostSink } from './meta.js'

/** `template` is the one the rules already read (parsed once per file), else the content is read here. */
export function costCloudformation(path: string, content: string, template: Template | undefined = readTemplate(content)): CostSink {
  const sink = newSink()
  if (!template) return sink
  const v = template.view
  const nats: (Where & { count: number })[] = []
  let natNonProduction = looksNonProduction(path) && !looksProduction(path)
  // Inputs of the checks are written out field by field: object spreads cost more than the checks.
  for (const r of template.resources) {
    const w: Where = { path, line: r.line, resource: `${r.type} ${r.logicalId}` }
    const prop = (key: string): Node | undefined => v.get(r.properties, key)
    const lit = (key: string): string | undefined => literal(v, prop(key))
    const numOf = (key: string): number | undefined => toNumber(lit(key))
    switch (r.type) {
      case 'AWS::EC2::Instance': {
        const type = lit('InstanceType')
        if (type) checkCompute(sink, { path, line: r.line, resource: w.resource, type, typeLine: v.line(prop('InstanceType')), count: 1, name: namesOf(template, r).join(' '), cloud: 'aws' })
        for (const m of v.items(prop('BlockDeviceMappings'))) {
          const ebs = v.get(m, 'Ebs')
          const t = literal(v, v.get(ebs, 'VolumeType'))
          if (t) checkVolume(sink, { path, line: r.line, resource: `${w.resource} block device`, type: t, typeLine: v.line(v.get(ebs, 'VolumeType')), sizeGb: toNumber(literal(v, v.get(ebs, 'VolumeSize'))), iops: toNumber(literal(v, v.get(ebs, 'Iops'))), count: 1 })
        }
        break
      }
      case 'AWS::EC2::Volume': {
        const t = lit('VolumeType') ?? 'gp2'
        checkVolume(sink, { path, line: r.line, resource: w.resource, type: t, typeLine: prop('VolumeType') ? v.line(prop('VolumeType')) : r.line, sizeGb: numOf('Size'), iops: numOf('Iops'), throughput: numOf('Throughput'), count: 1 })
        break
      }
      case 'AWS::RDS::DBInstance': {
        const cls = lit('DBInstanceClass')
        if (!cls) break
        const names = namesOf(template, r)
        const nonProduction = !looksProduction(...names) && looksNonProduction(path, ...names)
        checkDatabase(sink, {
          path,
          line: r.line,
          resource: w.resource,
          cls,
          classLine: v.line(prop('DBInstanceClass')),
          engine: lit('Engine'),
          multiAz: lit('MultiAZ')?.toLowerCase() === 'true',
          storageGb: numOf('AllocatedStorage'),
          storageType: lit('StorageType'),
          count: 1,
          nonProduction,
          hasStopSchedule: names.some((n) => /schedule|auto.?stop|office.?hours/i.test(n.split('=')[0] ?? '')) || /StopDBInstance|instance[-_ ]?scheduler/i.test(content),
          name: names.join(' ')
        })
        break
      }
      case 'AWS::EC2::NatGateway':
        nats.push({ path, line: r.line, resource: w.resource, count: 1 })
        if (looksNonProduction(...namesOf(template, r))) natNonProduction = true
        break
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
        const t = lit('Type') ?? 'application'
        if (t === 'application' || t === 'network' || t === 'gateway') checkLoadBalancer(sink, { path, line: r.line, resource: w.resource, lbType: t })
        break
      }
      case 'AWS::ElasticLoadBalancing::LoadBalancer':
        checkLoadBalancer(sink, { path, line: r.line, resource: w.resource, lbType: 'classic' })
        break
      case 'AWS::Logs::LogGroup': {
        const retention = prop('RetentionInDays')
        if (!retention) checkLogGroup(sink, w, r.line, false)
        break
      }
      case 'AWS::S3::Bucket':
        if (!prop('LifecycleConfiguration')) checkBucket(sink, w)
        break
    }
  }
  checkNatGateways(sink, nats, natNonProduction)
  return sink
}

function toNumber(s: string | undefined): number | undefined {
  return s !== undefined && /^\d+(\.\d+)?$/.test(s) ? Number(s) : undefined
}

/** Logical id, literal name-like properties and tag values. */
function namesOf(t: Template, r: Resource): string[] {
  const v = t.view
  const out = [r.logicalId]
  for (const key of ['DBInstanceIdentifier', 'BucketName', 'LogGroupName', 'Name']) {
    const s = literal(v, v.get(r.properties, key))
    if (s) out.push(s)
  }
  for (const tag of v.items(v.get(r.properties, 'Tags'))) {
    const k = literal(v, v.get(tag, 'Key'))
    const val = literal(v, v.get(tag, 'Value'))
    if (k && val) out.push(`${k}=${val}`)
  }
  return out
}
