/**
 * Rules for docker-compose files. Each service is read through YAML merge keys (`<<: *base`)
 * and same-file `extends`, so shared defaults count; a service that extends one from another
 * file, or that an override file (`docker-compose.override.yml`) adds to the base, is not judged
 * on what it lacks, since the missing piece may live there.
 */
import type { Finding, SourceFile } from '../../types.js'
import { defineLanguage } from '../language.js'
import { reporterFor, type Report } from '../rule.js'
import { parseYaml, isMap, isSeq, isScalar, scalarString, ParseError } from '../parse/yaml.js'
import { R } from './meta.js'
import { collectServices, isOverrideFile, isSharedHostFile, isStackFile, pairIn, resolve, setting, type Context, type Service } from './services.js'
import { checkHealthcheck, checkLimits, checkRestart } from './missing.js'
import { checkCapabilities, checkEnvironment, checkImage, checkNamespaces, checkPorts, checkPrivileged, checkSecurityOptions, checkVolumes } from './dangerous.js'

export const composeRules = Object.values(R)

export function analyzeCompose(file: SourceFile, report: Report = reporterFor(composeRules, file.path, 'compose')): Finding[] {
  const yaml = parseYaml(file.content)
  const doc = yaml.docs[0]
  const findings: Finding[] = []
  if (!doc || doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return findings
  if (!isMap(doc.contents)) throw new ParseError('the top level of a compose file must be a mapping', yaml.lineOf(doc.contents))
  const ctx: Context = { file, yaml, doc, lines: file.content.split('\n'), services: new Map(), report, findings, sharedHost: false }
  collectServices(ctx, doc.contents)
  ctx.sharedHost = isSharedHostFile(ctx)
  for (const service of ctx.services.values()) checkService(ctx, service)
  return findings.sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId))
}

/**
 * Services that run once and exit: the `sut` test runner of Docker Hub autotests, and tools kept
 * behind a profile that nothing depends on and that publish no port (seeders, migrations, CLIs).
 * A healthcheck or restart policy would be wrong for them.
 */
function isOneShot(ctx: Context, s: Service): boolean {
  if (s.name === 'sut') return true
  if (!setting(ctx, s, 'profiles') || setting(ctx, s, 'ports')) return false
  return ![...ctx.services.values()].some((other) => {
    const deps = resolve(ctx, setting(ctx, other, 'depends_on')?.value)
    if (isSeq(deps)) return deps.items.some((d) => scalarString(resolve(ctx, d)) === s.name)
    return isMap(deps) && pairIn(ctx, deps, s.name) !== undefined
  })
}

function checkService(ctx: Context, s: Service): void {
  // An override file's services are merged onto the base file's: only what they set is judged.
  if (!s.extendsElsewhere && !isOverrideFile(ctx.file.path)) {
    const oneShot = isOneShot(ctx, s)
    if (!oneShot) checkHealthcheck(ctx, s)
    checkLimits(ctx, s)
    if (!oneShot && !isStackFile(ctx.file.path)) checkRestart(ctx, s)
  }
  checkPrivileged(ctx, s)
  checkVolumes(ctx, s)
  checkPorts(ctx, s)
  checkEnvironment(ctx, s)
  checkNamespaces(ctx, s)
  checkCapabilities(ctx, s)
  checkSecurityOptions(ctx, s)
  checkImage(ctx, s)
}

export const compose = defineLanguage({
  kind: 'compose',
  rules: composeRules,
  analyze: (file, report) => analyzeCompose(file, report),
  plan: {
    verify: '`docker compose config` accepts the file and shows the intended values',
    rollback: 'Redeploy the previous image tag or digest with the previous compose file (`docker compose up -d`).'
  },
  secretsDialect: 'yaml'
})
