/**
 * Rules for docker-compose files. Each service is read through YAML merge keys (`<<: *base`)
 * and same-file `extends`, so shared defaults count; a service that extends one from another
 * file, or that an override file (`docker-compose.override.yml`) adds to the base, is not judged
 * on what it lacks, since the missing piece may live there.
 */
import type { Finding, SourceFile } from '../../types.js'
import { defineLanguage } from '../language.js'
import { checkReporter, reporterFor, type Check, type Report } from '../rule.js'
import { parseYaml, isMap, isSeq, isScalar, scalarString, ParseError } from '../parse/yaml.js'
import { R } from './meta.js'
import { collectServices, isOverrideFile, isSharedHostFile, isStackFile, pairIn, resolve, setting, type Context, type Service } from './services.js'
import { checkHealthcheck, checkLimits, checkRestart } from './missing.js'
import { Dockerfiles, imageDeclaresHealthcheck } from './images.js'
import { imageBaseName } from '../container-common.js'
import { checkCapabilities, checkEnvironment, checkImage, checkNamespaces, checkPorts, checkPrivileged, checkSecurityOptions, checkVolumes } from './dangerous.js'

export const composeRules = Object.values(R)

/** What a check walks: one service of the file (the check's `ctx` reports). */
export interface ServiceInContext {
  ctx: Context
  s: Service
  /**
   * Whether what the service lacks is judged: not for a service extending one from another file,
   * nor for an override file's services, which are merged onto the base file's.
   */
  lacksJudged: boolean
  /** A service that runs once and exits (`oneShotOf`); only decided when `lacksJudged`. */
  oneShot: boolean
  /** Why it surely runs once, for the limits' message (undefined when a profile alone says so). */
  runsOnce: string | undefined
  /** Whether the service's image is certainly built by a Dockerfile beside the file that declares a HEALTHCHECK (read only when asked). */
  imageHealthcheck: () => boolean
}

/** The checks, each with the rules it may report (its context's `report` refuses any other), in the order they run on a service. */
export const composeChecks: Check<ServiceInContext>[] = [
  {
    rules: [R.noHealthcheck, R.healthcheckDisabled],
    run: (at) => {
      if (at.lacksJudged && !at.oneShot) checkHealthcheck(at.ctx, at.s, at.imageHealthcheck)
    }
  },
  {
    rules: [R.noMemoryLimit, R.noCpuLimit],
    run: (at) => {
      if (at.lacksJudged) checkLimits(at.ctx, at.s, at.runsOnce)
    }
  },
  {
    // A Swarm stack restarts its tasks by default.
    rules: [R.noRestartPolicy],
    run: (at) => {
      if (at.lacksJudged && !at.oneShot && !isStackFile(at.ctx.file.path)) checkRestart(at.ctx, at.s)
    }
  },
  { rules: [R.privileged], run: (at) => checkPrivileged(at.ctx, at.s) },
  { rules: [R.dockerSocket, R.hostSystemMount], run: (at) => checkVolumes(at.ctx, at.s) },
  { rules: [R.portAllInterfaces], run: (at) => checkPorts(at.ctx, at.s) },
  { rules: [R.secretInEnvironment, R.defaultCredential], run: (at) => checkEnvironment(at.ctx, at.s) },
  { rules: [R.networkModeHost, R.hostNamespace], run: (at) => checkNamespaces(at.ctx, at.s) },
  { rules: [R.dangerousCapability], run: (at) => checkCapabilities(at.ctx, at.s) },
  { rules: [R.securityProfileDisabled], run: (at) => checkSecurityOptions(at.ctx, at.s) },
  { rules: [R.imageLatest], run: (at) => checkImage(at.ctx, at.s) }
]

/**
 * `dockerfiles`: the Dockerfiles analysed with the file; `repository`: its `owner/name`. Together
 * they tell when a service's image is built here with a HEALTHCHECK.
 */
export function analyzeCompose(file: SourceFile, report: Report = reporterFor(composeRules, file.path, 'compose'), dockerfiles?: Dockerfiles, repository?: string): Finding[] {
  const yaml = parseYaml(file.content)
  const doc = yaml.docs[0]
  const findings: Finding[] = []
  if (!doc || doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return findings
  if (!isMap(doc.contents)) throw new ParseError('the top level of a compose file must be a mapping', yaml.lineOf(doc.contents))
  const ctx: Context = { file, yaml, doc, lines: file.content.split('\n'), services: new Map(), report, findings, sharedHost: false }
  collectServices(ctx, doc.contents)
  ctx.sharedHost = isSharedHostFile(ctx)
  // The checks' context: its report accepts the rules of the check `checks` runs now.
  const checks = checkReporter(report, 'compose')
  const checked: Context = { ...ctx, report: checks.report }
  const awaited = awaitedToComplete(ctx)
  const dependedOn = dependedOnNames(ctx)
  for (const s of ctx.services.values()) {
    const lacksJudged = !s.extendsElsewhere && !isOverrideFile(file.path)
    const once = !lacksJudged ? undefined : awaited.has(s.name) ? { why: 'a one-shot task another service waits to complete' } : oneShotOf(ctx, s, dependedOn)
    const imageHealthcheck = (): boolean => imageDeclaresHealthcheck(ctx, s, dockerfiles, repository)
    const at = { ctx: checked, s, lacksJudged, oneShot: once !== undefined, runsOnce: once?.why, imageHealthcheck }
    for (const check of composeChecks) checks.run(check, at)
  }
  return findings.sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId))
}

/**
 * Test suites by name: `test`, `tests`, `e2e`, `frontend-tests`, `frontendTests`. A singular suffix
 * (`app-test`) names a test environment as often as a test run, so it is left out.
 */
const TEST_RUNNER_NAME = /^test$|(?:^|[-_.])(?:tests|e2e)$|[a-z0-9](?:Tests|E2[Ee])$/

/**
 * Whether a service runs once and exits, and why: the `sut` test runner of Docker Hub autotests,
 * test runners by name, and tools kept behind a profile (seeders, migrations, CLIs), when nothing
 * depends on them and they publish no port, and a tool's container told not to restart
 * (`toolRunOnce`). A healthcheck or restart policy would be wrong for them (`restart:
 * unless-stopped` would run a test suite over and over). `why` is undefined for a service kept
 * behind a profile only: a profile also holds long-running optional workers (a Kafka consumer of
 * a `feature-complete` profile), which need no restart policy of their own yet hold memory as
 * long as any service.
 */
function oneShotOf(ctx: Context, s: Service, dependedOn: ReadonlySet<string>): { why: string | undefined } | undefined {
  const tool = toolRunOnce(ctx, s, dependedOn)
  if (tool !== undefined) return { why: `a one-shot task: \`restart: "no"\` and the tool image \`${tool}\` running one command, which exits` }
  if (s.name === 'sut') return { why: 'a one-shot task, the test runner of Docker Hub\'s automated tests' }
  const testRunner = TEST_RUNNER_NAME.test(s.name)
  if (!(testRunner || setting(ctx, s, 'profiles')) || setting(ctx, s, 'ports') || dependedOn.has(s.name)) return undefined
  return { why: testRunner ? 'a one-shot task, a test runner nothing depends on' : undefined }
}

/** Services another service lists in its `depends_on`: each serves that one while it runs. One pass over the file. */
function dependedOnNames(ctx: Context): Set<string> {
  const names = new Set<string>()
  for (const other of ctx.services.values()) {
    const deps = resolve(ctx, setting(ctx, other, 'depends_on')?.value)
    if (isSeq(deps)) {
      for (const d of deps.items) {
        const name = scalarString(resolve(ctx, d))
        if (name !== undefined) names.add(name)
      }
    } else if (isMap(deps)) {
      // By lookup rather than by the map's own keys: a merge key (`<<: *deps`) may supply them.
      for (const name of ctx.services.keys()) if (pairIn(ctx, deps, name) !== undefined) names.add(name)
    }
  }
  return names
}

/**
 * Images of command-line tools (by last path part) that run a request and exit. Tools that can
 * also serve for good are left out (`socat`/`netcat` listening, `mc mirror --watch`, `kubectl
 * port-forward`), and so are shells and base images (`alpine`, `busybox`, `bash`), which run
 * anything; `alpine/curl` still matches by its last part.
 */
const TOOL_IMAGES = new Set(['curl', 'jq', 'wget', 'git', 'aws-cli', 'psql', 'mysql-client', 'httpie'])

/**
 * The tool image of a service that says it runs once: `restart: "no"`, a command-line tool's image
 * (`alpine/curl`) given a command or entrypoint, no published port, and no service depending on it,
 * which would want it kept running (ollama-init pulling a model).
 */
function toolRunOnce(ctx: Context, s: Service, dependedOn: ReadonlySet<string>): string | undefined {
  if (scalarString(resolve(ctx, setting(ctx, s, 'restart')?.value)) !== 'no' || setting(ctx, s, 'ports')) return undefined
  if (!setting(ctx, s, 'command') && !setting(ctx, s, 'entrypoint')) return undefined
  const image = scalarString(resolve(ctx, setting(ctx, s, 'image')?.value))
  if (image === undefined || image.includes('$') || !TOOL_IMAGES.has(imageBaseName(image))) return undefined
  return dependedOn.has(s.name) ? undefined : image
}

/**
 * Services another one waits for with `depends_on: {<name>: {condition: service_completed_successfully}}`:
 * init tasks (a `chown`, a migration) that must exit for the other to start. A restart policy
 * would start them again, and there is nothing to probe while they run. One pass over the file.
 */
function awaitedToComplete(ctx: Context): Set<string> {
  const awaited = new Set<string>()
  for (const other of ctx.services.values()) {
    const deps = resolve(ctx, setting(ctx, other, 'depends_on')?.value)
    if (!isMap(deps)) continue
    for (const dep of deps.items) {
      const name = scalarString(dep.key)
      if (name === undefined || name === other.name) continue
      if (scalarString(resolve(ctx, pairIn(ctx, dep.value, 'condition')?.value)) === 'service_completed_successfully') awaited.add(name)
    }
  }
  return awaited
}

/** File-name segments that mark a compose test stack (`docker-compose.test.yml`, `compose.ci.yaml`, `docker-compose-e2e.yml`). */
const TEST_STACK_SEGMENTS = new Set(['test', 'ci', 'e2e'])

/**
 * Why a compose file is a test stack, which starts a system to test it and is never deployed, as a
 * noun phrase: a `test`, `ci` or `e2e` segment of its file name (dot- or dash-separated), a
 * top-level `integration/` folder (or one under `test/`) above it, or a service named `sut`, the
 * container Docker Hub's automated tests run to decide whether the build passes. Undefined
 * otherwise, and for a file that does not parse (its note says so).
 */
export function composeTestStack(file: SourceFile): string | undefined {
  const name = file.path.slice(file.path.lastIndexOf('/') + 1).toLowerCase()
  const segment = name.replace(/\.ya?ml$/, '').split(/[.-]/).find((s) => TEST_STACK_SEGMENTS.has(s))
  if (segment !== undefined) return `a compose test stack, by the \`${segment}\` segment of its file name`
  // `integration/clusters/single-stateful/compose.yml`: a stack an integration test brings up, in
  // the repository's top-level `integration/` or one under `test/`. Elsewhere (`deploy/integration/`)
  // `integration` is as likely a stage that is deployed.
  if (/^(?:(?:[^/]+\/)*tests?\/)?integration\//.test(file.path)) {
    return 'a compose test stack, by the `integration` folder it sits in'
  }
  // Only a file that names the service is parsed again.
  if (!/^[ \t]*["']?sut["']?[ \t]*:/m.test(file.content)) return undefined
  try {
    const doc = parseYaml(file.content).docs[0]
    const services = doc && isMap(doc.contents) ? doc.contents.get('services', true) : undefined
    return isMap(services) && services.has('sut') ? "a compose test stack, whose `sut` service is the test runner of Docker Hub's automated tests" : undefined
  } catch {
    return undefined
  }
}

export const compose = defineLanguage({
  kind: 'compose',
  rules: composeRules,
  checks: composeChecks,
  buildContext: (files) => new Dockerfiles(files),
  analyze: (file, report, dockerfiles, run) => analyzeCompose(file, report, dockerfiles, run.repository),
  testFile: composeTestStack,
  plan: {
    verify: '`docker compose config` accepts the file and shows the intended values',
    rollback: 'Redeploy the previous image tag or digest with the previous compose file (`docker compose up -d`).'
  },
  secretsDialect: 'yaml'
})
