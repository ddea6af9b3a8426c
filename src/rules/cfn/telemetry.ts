/** Observability: log retention and Lambda tracing. */
import type { Finding } from '../../types.js'
import { CFN } from './meta.js'
import type { CfnContext } from './storage.js'
import { intrinsicOf, literal, type Resource } from './template.js'

export function checkLogGroup(ctx: CfnContext, r: Resource): Finding[] {
  if (r.type !== 'AWS::Logs::LogGroup') return []
  if (ctx.template.view.get(r.properties, 'RetentionInDays') !== undefined) return []
  return [ctx.report(CFN.logGroupNoRetention, r.line, `log group \`${r.logicalId}\` has no RetentionInDays: logs are kept forever`)]
}

export function checkTracing(ctx: CfnContext, r: Resource): Finding[] {
  const v = ctx.template.view
  if (r.type === 'AWS::Lambda::Function') {
    const config = v.get(r.properties, 'TracingConfig')
    const mode = v.get(config, 'Mode')
    if (literal(v, mode) === 'Active' || (mode !== undefined && intrinsicOf(v, mode) !== undefined)) return []
    const line = mode !== undefined ? v.keyLine(config, 'Mode') : r.line
    return [ctx.report(CFN.lambdaNoTracing, line, `Lambda function \`${r.logicalId}\` has no active X-Ray tracing`)]
  }
  if (r.type === 'AWS::Serverless::Function') {
    // SAM: the function's own `Tracing`, else the template's `Globals.Function.Tracing`.
    const own = v.get(r.properties, 'Tracing')
    const tracing = own ?? v.at(ctx.template.root, ['Globals', 'Function', 'Tracing'])
    if (literal(v, tracing) === 'Active' || (tracing !== undefined && intrinsicOf(v, tracing) !== undefined)) return []
    const line = own !== undefined ? v.keyLine(r.properties, 'Tracing') : r.line
    return [ctx.report(CFN.lambdaNoTracing, line, `function \`${r.logicalId}\` has no active X-Ray tracing`)]
  }
  return []
}
