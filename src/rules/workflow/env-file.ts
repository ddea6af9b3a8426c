/**
 * Environment-file injection: a privileged job's script appends a shell variable holding
 * attacker-controlled multi-line text (a body, a commit message) to `$GITHUB_ENV`/`$GITHUB_PATH`. Unlike an expression in the script,
 * the value is data to the shell, but a newline in it writes a second line to the file, and
 * every later step of the job then runs with whatever variable (or PATH entry) that line sets.
 */
import type { Finding } from '../../types.js'
import { scalarString } from '../parse/yaml.js'
import { envScopes, getCaseless, jobLabel, scalarText, type CheckContext } from './context.js'
import { taintOfText } from './injection.js'
import { RULES } from './meta.js'
import { isPrivileged, type JobModel, type StepModel } from './model.js'
import { envFileWrites } from './shell-writes.js'

/** Event fields whose text may span lines (`github.event.issue.body`, `github.event.head_commit.message`, `…commits[0].message`). */
const MULTILINE_EVENT_TEXT = /^github\.event\.[\w.[\]*-]*\.(body|message)$/i
/** An env value that is one `toJSON(<field>)`: a JSON string, its newlines escaped as `\n`. */
const JSON_STRING_VALUE = /^\s*\$\{\{\s*tojson\s*\(\s*([\w.[\]*-]+)\s*\)\s*\}\}\s*$/i

/** The `env:` value (innermost scope first) that sets `name` for this step, as written. */
function envValue(ctx: CheckContext, job: JobModel, step: StepModel, name: string): string | undefined {
  for (const map of envScopes(ctx.wf, job, step)) {
    const node = getCaseless(map, name)
    if (node !== undefined) return scalarString(node) ?? ''
  }
  return undefined
}

function checkStep(ctx: CheckContext, job: JobModel, step: StepModel): Finding[] {
  // The script as the shell gets it, out of its YAML quotes and escapes.
  const script = scalarText(ctx, step.run)
  if (!script || !/GITHUB_(ENV|PATH)/.test(script.text)) return []
  const out: Finding[] = []
  for (const { name, file, offset, clean } of envFileWrites(script.text)) {
    // Without newlines the value is one `$GITHUB_ENV` entry; in `$GITHUB_PATH` one line still picks a directory.
    if (clean && file === 'ENV') continue
    // Only variables the workflow itself sets through `env:`; the runner's own are not event text.
    const value = envValue(ctx, job, step, name)
    if (value === undefined) continue
    const json = JSON_STRING_VALUE.exec(value)
    // `toJSON` of a text field is one line; of an object it is pretty-printed over many.
    if (json && file === 'ENV' && MULTILINE_EVENT_TEXT.test(json[1])) continue
    const taint = taintOfText(ctx, `\${{ env.${name.toLowerCase()} }}`, { job, step }, 0)
    if (!taint || taint.origin !== 'event') continue
    const source = taint.source ?? taint.read
    // Only text that can hold a newline: bodies and commit messages. Git refuses control
    // characters in branch names, and titles and logins are single lines.
    if (!MULTILINE_EVENT_TEXT.test(source)) continue
    const what = `\`run\` script of ${jobLabel(ctx, job)} writes \`$${name}\` (from \`${source}\`, attacker-controlled)`
    out.push(
      ctx.report(
        RULES.envFileInjection,
        script.place(offset).line,
        file === 'ENV'
          ? `${what} to \`$GITHUB_ENV\`; a newline in it starts a line of its own, which sets any variable for the later steps.`
          : `${what} to \`$GITHUB_PATH\`; each of its lines becomes a directory searched first for executables, so the text picks which programs the later steps run.`
      )
    )
  }
  return out
}

export function checkEnvFileInjection(ctx: CheckContext): Finding[] {
  if (!isPrivileged(ctx.wf)) return []
  return ctx.wf.jobs.flatMap((job) => job.steps.filter((s) => s.run).flatMap((step) => checkStep(ctx, job, step)))
}
