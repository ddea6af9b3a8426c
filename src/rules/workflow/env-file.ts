/**
 * Environment-file injection: a privileged job's script appends a shell variable holding
 * attacker-controlled multi-line text (a body, a commit message) to `$GITHUB_ENV`/`$GITHUB_PATH`. Unlike an expression in the script,
 * the value is data to the shell, but a newline in it writes a second line to the file, and
 * every later step of the job then runs with whatever variable (or PATH entry) that line sets.
 */
import type { Finding } from '../../types.js'
import { envScopes, getCaseless, jobLabel, lineAt, rawOf, type CheckContext } from './context.js'
import { taintOfText } from './injection.js'
import { RULES } from './meta.js'
import { isPrivileged, type JobModel, type StepModel } from './model.js'

/** `>> $GITHUB_ENV`, `>>"${GITHUB_PATH}"`, `| tee -a "$GITHUB_ENV"`. */
const WRITES_ENV_FILE = /(>>|\btee\s+(?:-a|--append)\s)\s*"?\$\{?GITHUB_(ENV|PATH)\b/
const SHELL_VAR = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g
/** Newlines removed, or a delimiter nobody can guess: the value cannot start a line of its own. */
const SANITIZED = /\/\/\$'\\n'|\btr\s+-d\s+["']?\\n|\btr\s+["']?\\n|<<\s*"?\$|urandom|openssl\s+rand|uuidgen/

/** Event fields whose text may span lines (`github.event.issue.body`, `github.event.head_commit.message`, `…commits[0].message`). */
const MULTILINE_EVENT_TEXT = /^github\.event\.[\w.[\]*-]*\.(body|message)$/i

/** Shell variables the script writes to the env file, with the line of the write. */
function variablesWritten(script: string): { name: string; index: number }[] {
  const lines = script.split('\n')
  const out: { name: string; index: number }[] = []
  let offset = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (WRITES_ENV_FILE.test(line)) {
      // `} >> "$GITHUB_ENV"` or `done >> …` redirects a whole block: what it echoes is above.
      const block = /^\s*(\}|done\b|\))/.test(line) ? lines.slice(0, i + 1) : [line]
      for (const text of block) {
        for (const m of text.matchAll(SHELL_VAR)) if (!/^GITHUB_(ENV|PATH)$/.test(m[1])) out.push({ name: m[1], index: offset })
      }
    }
    offset += line.length + 1
  }
  return out
}

function checkStep(ctx: CheckContext, job: JobModel, step: StepModel): Finding[] {
  const raw = rawOf(ctx, step.run)
  if (!raw || !/GITHUB_(ENV|PATH)/.test(raw.text) || SANITIZED.test(raw.text)) return []
  const out: Finding[] = []
  const reported = new Set<string>()
  for (const { name, index } of variablesWritten(raw.text)) {
    if (reported.has(name)) continue
    // Only variables the workflow itself sets through `env:`; the runner's own are not event text.
    if (!envScopes(ctx.wf, job, step).some((map) => getCaseless(map, name) !== undefined)) continue
    const taint = taintOfText(ctx, `\${{ env.${name.toLowerCase()} }}`, { job, step }, 0)
    if (!taint || taint.origin !== 'event') continue
    const source = taint.source ?? taint.read
    // Only text that can hold a newline: bodies and commit messages. Git refuses control
    // characters in branch names, and titles and logins are single lines.
    if (!MULTILINE_EVENT_TEXT.test(source)) continue
    reported.add(name)
    out.push(
      ctx.report(
        RULES.envFileInjection,
        lineAt(ctx, raw.offset + index),
        `\`run\` script of ${jobLabel(ctx, job)} writes \`$${name}\` (from \`${source}\`, attacker-controlled) to an environment file; a newline in it sets any variable for the later steps.`
      )
    )
  }
  return out
}

export function checkEnvFileInjection(ctx: CheckContext): Finding[] {
  if (!isPrivileged(ctx.wf)) return []
  return ctx.wf.jobs.flatMap((job) => job.steps.filter((s) => s.run).flatMap((step) => checkStep(ctx, job, step)))
}
