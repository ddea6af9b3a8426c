/**
 * Rules for Dockerfiles. The file is parsed with dockerfile-ast and cut into build stages; rules
 * about the shipped image (user, healthcheck, command form, caches, exposed ports) look at the
 * final stage and the stages it is built `FROM`, while supply-chain and secret rules look at
 * every stage.
 */
import { DockerfileParser } from 'dockerfile-ast'
import type { Finding, SourceFile } from '../../types.js'
import { defineLanguage } from '../language.js'
import { reporterFor, type Report } from '../rule.js'
import { R } from './meta.js'
import { ancestry, buildStages, preambleArgs, type Context } from './stages.js'
import { checkBaseImage, checkEveryStage, checkSecretsInProperties } from './instructions.js'
import { checkCaches, checkCommandForm, checkExposedPorts, checkHealthcheck, checkUser } from './image.js'

export const dockerfileRules = Object.values(R)

export function analyzeDockerfile(file: SourceFile, report: Report = reporterFor(dockerfileRules, file.path, 'dockerfile')): Finding[] {
  const dockerfile = DockerfileParser.parse(file.content)
  const stages = buildStages(dockerfile.getInstructions())
  const ctx: Context = { file, lines: file.content.split('\n'), report, findings: [] }
  const finalChain = ancestry(stages, stages.length - 1)

  for (const stage of stages) {
    checkBaseImage(ctx, stage)
    for (const ins of stage.body) checkEveryStage(ctx, ins)
  }
  for (const ins of preambleArgs(dockerfile.getInstructions())) checkSecretsInProperties(ctx, ins)

  const imageBody = finalChain.flatMap((i) => stages[i].body)
  checkUser(ctx, stages, finalChain)
  checkHealthcheck(ctx, stages[stages.length - 1], imageBody)
  checkCommandForm(ctx, imageBody)
  checkExposedPorts(ctx, imageBody)
  checkCaches(ctx, imageBody)
  return ctx.findings.sort(byLine)
}

function byLine(a: Finding, b: Finding): number {
  return a.line - b.line || a.ruleId.localeCompare(b.ruleId)
}

export const dockerfile = defineLanguage({
  kind: 'dockerfile',
  rules: dockerfileRules,
  analyze: (file, report) => analyzeDockerfile(file, report),
  plan: {
    verify: 'the image builds, starts, and its health check turns healthy',
    rollback: 'Redeploy the previous image by its digest; the new image stays in the registry for later.'
  },
  secretsDialect: 'dockerfile'
})
