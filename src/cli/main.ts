/**
 * `preflight scan|review|audit|baseline|agents|route`: the pipeline on a local directory or git
 * repo. Returns an exit code; only src/cli.ts turns it into the process's exit. Every misuse is
 * one line on stderr that names the fix, exit 2; never a stack trace (PREFLIGHT_DEBUG=1 adds it).
 *
 * This module parses the command line only; each verb's code (./commands.ts: the rules, the
 * review pipeline, the model clients) is loaded when that verb runs, so `--version`, `--help`
 * and a misuse answer without loading it.
 */
import { parseArgs } from 'node:util'
import { closest, distance } from 'fastest-levenshtein'
import { checkFlagsFor, FLAGS, helpText, PARSE_OPTIONS, VERBS, type Verb } from './options.js'
import { EXIT, UsageError, type CliIo } from './io.js'
import { VERSION } from '../version.js'

export type Values = Partial<Record<keyof typeof FLAGS | 'help' | 'version', string | boolean>> & {
  [K in keyof typeof FLAGS as (typeof FLAGS)[K]['type'] extends 'string' ? K : never]?: string
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parse(argv)
    const v = values as Values
    if (v.version) {
      io.stdout(VERSION + '\n')
      return EXIT.ok
    }
    const [command, ...rest] = positionals
    if (!command || command === 'help') {
      io.stdout(helpText(VERSION) + '\n')
      return command || v.help ? EXIT.ok : EXIT.usage
    }
    if (!(VERBS as readonly string[]).includes(command)) {
      throw new UsageError(`unknown command '${command}'${suggest(command, VERBS)}; expected one of ${VERBS.join(', ')}`)
    }
    const verb = command as Verb
    if (v.help) {
      io.stdout(helpText(VERSION, verb) + '\n')
      return EXIT.ok
    }
    checkFlagsFor(verb, Object.keys(values).filter((k) => values[k] !== undefined))
    const { scanCommand, reviewCommand, auditCommand, baselineCommand, agentsCommand, routeCommand } = await import('./commands.js')
    switch (verb) {
      case 'scan':
        return await scanCommand(rest, v, io)
      case 'review':
        return await reviewCommand(rest, v, io)
      case 'audit':
        return await auditCommand(rest, v, io)
      case 'baseline':
        return await baselineCommand(rest, v, io)
      case 'agents':
        return await agentsCommand(rest, v, io)
      case 'route':
        return await routeCommand(rest, v, io)
    }
  } catch (e) {
    const err = e as Error
    // By name: SettingsError's module (ajv, yaml) is loaded only by the verbs that read settings.
    const known = e instanceof UsageError || (e as Error)?.name === 'SettingsError'
    for (const line of (known ? err.message : (err.message ?? String(e)).split('\n')[0]!).split('\n')) io.stderr(`preflight: ${line}\n`)
    if (io.env.PREFLIGHT_DEBUG && err.stack) io.stderr(err.stack + '\n')
    return EXIT.usage
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: true })
  } catch (e) {
    const err = e as Error & { code?: string }
    const option = /'(-[^' ]+)/.exec(err.message)?.[1] ?? ''
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = option.replace(/^-+/, '').split('=')[0]
      throw new UsageError(`unknown option ${option}${suggest(name, Object.keys(PARSE_OPTIONS), '--')}; see preflight --help`)
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = /--([a-z-]+)/.exec(err.message)?.[1]
      const flag = name ? (FLAGS as Record<string, { type: string }>)[name] : undefined
      if (flag?.type === 'boolean') throw new UsageError(`--${name} takes no value`)
      throw new UsageError(`--${name ?? option} needs a value`)
    }
    if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`unexpected argument: ${err.message}`)
    throw new UsageError(err.message.split('\n')[0]!)
  }
}

export function suggest(word: string, candidates: readonly string[], prefix = ''): string {
  if (!word || !candidates.length) return ''
  const best = closest(word, [...candidates])
  return distance(word, best) <= Math.max(2, Math.ceil(word.length / 3)) ? ` (did you mean ${prefix}${best}?)` : ''
}
