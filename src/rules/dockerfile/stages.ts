/**
 * The Dockerfile model the checks share: instructions cut into build stages (with `ARG`
 * defaults substituted into `FROM`), instruction spans, the commands of a RUN, and the context
 * through which checks report.
 */
import { DockerfileParser, type Instruction, type From, type Arg, type Copy, type Run } from 'dockerfile-ast'
import type { Finding, RuleMeta, SourceFile } from '../../types.js'
import type { FindingExtra, Report } from '../rule.js'
import { ParseError } from '../parse/yaml.js'
import { splitShellCommands, invocationOf, type ShellCommand, type Invocation } from '../parse/shell-words.js'
import type { BuiltImages } from './built-images.js'

export interface Stage {
  index: number
  from: From
  alias?: string
  /** Instructions after the FROM, up to the next FROM. */
  body: Instruction[]
  /** The image reference after ARG substitution, or undefined when it cannot be resolved. */
  image?: string
  /** Index of the earlier stage this one is built from. */
  parent?: number
}

export interface Context {
  file: SourceFile
  lines: string[]
  report: Report
  findings: Finding[]
  /** Paths of every file of the analysed list (what the build context around the Dockerfile holds). */
  listed?: ReadonlySet<string>
  /** One-word image names the analysed files build themselves, with where (RunInfo.builtImages). */
  builtImages?: BuiltImages
  /** Every instruction of the file, in order. */
  instructions?: readonly Instruction[]
}

export function emit(ctx: Context, meta: RuleMeta, line: number, message: string, extra: Pick<FindingExtra, 'endLine' | 'suggestion' | 'severity'> = {}): void {
  ctx.findings.push(ctx.report(meta, line, message, extra))
}

/** A shell a command is handed to as one string (`["sh", "-c", "mkdir -p /out && cp …"]`), by path or name. */
export const SHELL_C = /^(?:\S*\/)?(?:ba|da|z|k|a)?sh$/

/**
 * Whether a USER value selects uid 0: the name `root`, or a number the runtime reads as 0
 * (it parses uids as signed decimal integers, so `000`, `+0` and `-0` are root as well). sudo's
 * `#0` (a uid) counts too.
 */
export function isRootUser(user: string): boolean {
  const name = user.split(':')[0].trim().replace(/^#/, '')
  return name === 'root' || /^[+-]?0+$/.test(name)
}

/** 1-based first and last line of an instruction. */
export function span(i: Instruction): { line: number; endLine: number } {
  const r = i.getRange()
  return { line: r.start.line + 1, endLine: r.end.line + 1 }
}

export function buildStages(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = []
  const globalArgs = new Map<string, string | null>()
  for (const ins of instructions) {
    const keyword = ins.getKeyword()
    if (keyword === 'FROM') {
      const from = ins as From
      const raw = from.getImage()
      if (!raw) throw new ParseError(`FROM without an image at line ${span(ins).line}`, span(ins).line)
      const alias = from.getBuildStage() ?? undefined
      const image = substituteArgs(raw, globalArgs)
      const parent = image === undefined ? undefined : stages.findIndex((s) => s.alias !== undefined && s.alias.toLowerCase() === image.toLowerCase())
      stages.push({ index: stages.length, from, alias, body: [], image, parent: parent === -1 ? undefined : parent })
    } else if (stages.length === 0) {
      if (keyword !== 'ARG') {
        throw new ParseError(`${keyword} at line ${span(ins).line} comes before the first FROM`, span(ins).line)
      }
      const prop = (ins as Arg).getProperty()
      if (prop) globalArgs.set(prop.getName(), prop.getValue())
    } else {
      stages[stages.length - 1].body.push(ins)
    }
  }
  if (stages.length === 0) throw new ParseError('no FROM instruction (empty or not a Dockerfile)')
  return stages
}

export function preambleArgs(instructions: Instruction[]): Instruction[] {
  const out: Instruction[] = []
  for (const ins of instructions) {
    if (ins.getKeyword() === 'FROM') break
    out.push(ins)
  }
  return out
}

/** Replaces `$NAME`, `${NAME}` and `${NAME:-default}` with ARG defaults; undefined when one is unknown. */
export function substituteArgs(raw: string, args: Map<string, string | null>): string | undefined {
  let unresolved = false
  const out = raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^{}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced: string, dflt: string | undefined, bare: string) => {
    const value = args.get(braced ?? bare)
    if (value !== null && value !== undefined && value !== '') return value
    if (dflt !== undefined) return dflt
    unresolved = true
    return ''
  })
  return unresolved || out.includes('$') ? undefined : out
}

/** The final stage and the stages it is built from, nearest first. */
export function ancestry(stages: Stage[], index: number): number[] {
  const chain: number[] = []
  let cur: number | undefined = index
  while (cur !== undefined && !chain.includes(cur)) {
    chain.push(cur)
    cur = stages[cur].parent
  }
  return chain
}

/** A `from=` key of a `RUN --mount` value (`type=bind,from=builder,target=/src`). */
const MOUNT_FROM = /(?:^|,)from=([^,]+)/

/**
 * The stages the final image is built from or takes files from: the final stage, the stages it is
 * built `FROM`, and those any of them copies (`COPY --from`) or mounts (`RUN --mount=from=`) from,
 * followed to the end. Undefined when a reference among them cannot be resolved (a build argument
 * with no default): it may name any stage.
 */
export function stagesInImage(stages: Stage[], preamble: readonly Instruction[]): Set<number> | undefined {
  const globalArgs = new Map<string, string | null>()
  for (const ins of preamble) {
    const prop = ins.getKeyword() === 'ARG' ? (ins as Arg).getProperty() : null
    if (prop) globalArgs.set(prop.getName(), prop.getValue())
  }
  /** The stage a `--from` value names; `external` for an image; undefined when unknown. */
  const stageNamed = (raw: string, before: number): number | 'external' | undefined => {
    const name = raw.includes('$') ? substituteArgs(raw, globalArgs) : raw
    if (name === undefined) return undefined
    if (/^\d+$/.test(name)) return Number(name) < before ? Number(name) : 'external'
    const found = stages.findIndex((s) => s.index < before && s.alias !== undefined && s.alias.toLowerCase() === name.toLowerCase())
    return found === -1 ? 'external' : found
  }
  const reached = new Set<number>()
  const pending = [stages.length - 1]
  while (pending.length > 0) {
    const index = pending.pop()!
    if (reached.has(index)) continue
    reached.add(index)
    const stage = stages[index]
    if (stage.image === undefined) return undefined
    if (stage.parent !== undefined) pending.push(stage.parent)
    for (const ins of stage.body) {
      const keyword = ins.getKeyword()
      const sources: string[] = []
      if (keyword === 'COPY') {
        const from = copyFrom(ins as Copy)
        if (from !== undefined) sources.push(from)
      } else if (keyword === 'RUN') {
        for (const flag of (ins as Run).getFlags()) {
          const from = flag.getName() === 'mount' ? MOUNT_FROM.exec(flag.getValue() ?? '')?.[1] : undefined
          if (from !== undefined) sources.push(from)
        }
      }
      for (const source of sources) {
        const named = stageNamed(source, index)
        if (named === undefined) return undefined
        if (named !== 'external') pending.push(named)
      }
    }
  }
  return reached
}

/**
 * The `--from` of a COPY (a stage or an image), read from its flags: dockerfile-ast's
 * `getFromFlag()` answers null once the COPY has another flag (`--chown`).
 */
export function copyFrom(copy: Copy): string | undefined {
  return copy.getFlags().find((flag) => flag.getName() === 'from')?.getValue() ?? undefined
}

/** How a message names a stage: by its alias, or by the index `--from` would use. */
export function stageName(stage: Stage): string {
  return stage.alias !== undefined ? `stage \`${stage.alias}\`` : `stage ${stage.index} (unnamed)`
}

export function parseJsonArray(content: string): string[] | undefined {
  if (!content.startsWith('[')) return undefined
  try {
    const v: unknown = JSON.parse(content)
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]
  } catch {
    // Not valid JSON: Docker runs it in shell form.
  }
  return undefined
}

/** The commands of a RUN (`arguments`: its `getArgumentsContent()`), from the shell form, the exec form or a heredoc. */
export function runCommands(arguments_: string): ShellCommand[] {
  const content = arguments_.trim()
  const json = parseJsonArray(content)
  if (json) {
    if (json.length >= 3 && SHELL_C.test(json[0]) && json[1] === '-c') return splitShellCommands(json[2])
    return json.length > 0 ? [{ words: json, next: 'end' }] : []
  }
  const heredoc = /^<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])["']?[^\n]*\n([\s\S]*)$/.exec(content)
  if (heredoc) {
    const body = heredoc[2].split('\n')
    const end = body.findIndex((l) => l.trim() === heredoc[1])
    return splitShellCommands((end === -1 ? body : body.slice(0, end)).join('\n'))
  }
  return splitShellCommands(content)
}

export function invocations(commands: ShellCommand[]): Invocation[] {
  return commands.map((c) => invocationOf(c.words)).filter((x): x is Invocation => x !== undefined)
}

/** A RUN read as shell once: its commands and the programs they invoke, shared by every check. */
export interface RunShell {
  /**
   * Its arguments as written (`getArgumentsContent()`, '' for none), read once: dockerfile-ast
   * parses the instruction's text again at every call.
   */
  content: string
  commands: ShellCommand[]
  calls: Invocation[]
}

export function readRun(run: Instruction): RunShell {
  const content = run.getArgumentsContent() ?? ''
  const commands = runCommands(content)
  return { content, commands, calls: invocations(commands) }
}

/**
 * Whether the image a Dockerfile builds (its final stage and the stages it is built `FROM`)
 * declares a HEALTHCHECK other than `HEALTHCHECK NONE`; the nearest stage's last one counts. False
 * for a file that cannot be read as a Dockerfile, or whose health check comes, if at all, from an
 * outside base image.
 */
export function declaresHealthcheck(content: string): boolean {
  let stages: Stage[]
  try {
    stages = buildStages(DockerfileParser.parse(content).getInstructions())
  } catch {
    return false
  }
  for (const index of ancestry(stages, stages.length - 1)) {
    const checks = stages[index].body.filter((i) => i.getKeyword() === 'HEALTHCHECK')
    const last = checks[checks.length - 1]
    if (last) return (last.getArgumentsContent() ?? '').trim().split(/\s+/)[0].toUpperCase() !== 'NONE'
  }
  return false
}
