/**
 * Rules for Dockerfiles. The file is parsed with dockerfile-ast and cut into build stages; rules
 * about the shipped image (user, healthcheck, command form, caches, exposed ports) look at the
 * final stage and the stages it is built `FROM`, while supply-chain and secret rules look at
 * every stage.
 */
import { DockerfileParser, type Instruction, type Run } from 'dockerfile-ast'
import type { Finding, SourceFile } from '../../types.js'
import { defineLanguage, type RunInfo } from '../language.js'
import { checkReporter, reporterFor, type Check, type Report } from '../rule.js'
import { R } from './meta.js'
import { ancestry, buildStages, preambleArgs, readRun, stagesInImage, type Context, type RunShell, type Stage } from './stages.js'
import { checkAdd, checkBaseImage, checkRunPackages, checkRunRisks, checkSecretsInProperties, checkWorkdir } from './instructions.js'
import { checkCaches, checkCommandForm, checkExposedPorts, checkHealthcheck, checkUser, imageCommand, type ImageCommand } from './image.js'
import { once } from '../../util/once.js'

export const dockerfileRules = Object.values(R)

/** What a check walks: the stages, and what the shipped image is built from (the check's `ctx` reports). */
export interface DockerfileModel {
  ctx: Context
  stages: Stage[]
  /** Indexes of the final stage and of the stages it is built `FROM`. */
  finalChain: number[]
  /** The instructions of those stages: what the shipped image is made of. */
  imageBody: Instruction[]
  /** `ARG`s before the first `FROM`. */
  preamble: Instruction[]
  /** Every RUN of every stage, read as shell once. */
  runs: Map<Instruction, RunShell>
  /** The stages the final image is built or copies from (`stagesInImage`); undefined when a reference is unresolved. */
  inImage: Set<number> | undefined
  /** The final image's ENTRYPOINT and CMD, read at the first check that asks. */
  command: () => ImageCommand
}

/** Runs `check` on every instruction of every stage whose keyword is one of `keywords`. */
const everyStage =
  (keywords: readonly string[], check: (ctx: Context, ins: Instruction) => void) =>
  (m: DockerfileModel): void => {
    for (const stage of m.stages) for (const ins of stage.body) if (keywords.includes(ins.getKeyword())) check(m.ctx, ins)
  }

/** The checks, each with the rules it may report (its context's `report` refuses any other). */
export const dockerfileChecks: Check<DockerfileModel>[] = [
  { rules: [R.baseImageLatest, R.baseImageNoDigest], run: (m) => m.stages.forEach((stage) => checkBaseImage(m.ctx, stage)) },
  { rules: [R.sudo, R.curlPipeShell], run: (m) => m.runs.forEach((shell, run) => checkRunRisks(m.ctx, run as Run, shell)) },
  {
    rules: [R.aptUnpinned, R.apkUnpinned, R.yumUnpinned, R.zypperUnpinned, R.gemUnpinned, R.pipUnpinned, R.npmUnpinned, R.npmInstallNotCi, R.packageUpgrade],
    run: (m) => {
      for (const stage of m.stages) {
        // A stage the final image neither is built from nor copies from ships nothing (a `dev` target).
        const outside = m.inImage !== undefined && !m.inImage.has(stage.index) ? stage : undefined
        for (const ins of stage.body) if (ins.getKeyword() === 'RUN') checkRunPackages(m.ctx, ins as Run, m.runs.get(ins)!, outside)
      }
    }
  },
  { rules: [R.addRemoteUrl, R.addInsteadOfCopy], run: everyStage(['ADD'], checkAdd) },
  {
    // ENV and ARG of every stage, and the ARGs before the first FROM.
    rules: [R.secretInEnv],
    run: (m) => {
      everyStage(['ENV', 'ARG'], checkSecretsInProperties)(m)
      for (const ins of m.preamble) checkSecretsInProperties(m.ctx, ins)
    }
  },
  { rules: [R.workdirRelative], run: everyStage(['WORKDIR'], checkWorkdir) },
  { rules: [R.rootUser, R.noUser], run: (m) => checkUser(m.ctx, m.stages, m.finalChain, m.runs, m.command) },
  { rules: [R.noHealthcheck], run: (m) => checkHealthcheck(m.ctx, m.stages, m.finalChain, m.command) },
  { rules: [R.shellFormCommand, R.execFormNotJson], run: (m) => checkCommandForm(m.ctx, m.stages, m.finalChain) },
  { rules: [R.exposeSsh], run: (m) => checkExposedPorts(m.ctx, m.imageBody) },
  { rules: [R.aptCache, R.apkCache, R.pipCache, R.yumCache], run: (m) => checkCaches(m.ctx, m.imageBody, m.runs) }
]

export function analyzeDockerfile(file: SourceFile, report: Report = reporterFor(dockerfileRules, file.path, 'dockerfile'), run: RunInfo = {}): Finding[] {
  const dockerfile = DockerfileParser.parse(file.content)
  const instructions = dockerfile.getInstructions()
  const stages = buildStages(instructions)
  const lines = file.content.split('\n')
  const findings: Finding[] = []
  const finalChain = ancestry(stages, stages.length - 1)
  const runs = new Map(stages.flatMap((stage) => stage.body.filter((i) => i.getKeyword() === 'RUN')).map((run) => [run, readRun(run)] as const))
  const preamble = preambleArgs(instructions)
  const model = { stages, finalChain, imageBody: finalChain.flatMap((i) => stages[i].body), preamble, runs, inImage: stagesInImage(stages, preamble) }
  const checks = checkReporter(report, 'dockerfile')
  const ctx: Context = { file, lines, report: checks.report, findings, instructions, listed: run.listed, builtImages: run.builtImages }
  const checked = { ...model, ctx, command: once(() => imageCommand(ctx, stages, finalChain)) }
  for (const check of dockerfileChecks) checks.run(check, checked)
  return findings.sort(byLine)
}

function byLine(a: Finding, b: Finding): number {
  return a.line - b.line || a.ruleId.localeCompare(b.ruleId)
}

export const dockerfile = defineLanguage({
  kind: 'dockerfile',
  rules: dockerfileRules,
  checks: dockerfileChecks,
  analyze: (file, report, _context, run) => analyzeDockerfile(file, report, run),
  plan: {
    verify: 'the image builds, starts, and its health check turns healthy',
    rollback: 'Redeploy the previous image by its digest; the new image stays in the registry for later.'
  },
  secretsDialect: 'dockerfile'
})
