/**
 * Turns a failure to read a local change into one line that names the fix: a folder that is not
 * a repository, an empty repository, a shallow clone (CI checkouts fetch one commit by default),
 * a ref that does not exist.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { UsageError } from './io.js'

const run = promisify(execFile)

async function git(repo: string, args: string[]): Promise<string | undefined> {
  try {
    return (await run('git', ['-C', repo, ...args], { encoding: 'utf8' })).stdout.trim()
  } catch {
    return undefined
  }
}

const SHALLOW_FIX = 'the clone is shallow: fetch the history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)'

export async function explainGitProblem(repo: string, error: Error, refs: { base: string; head?: string }): Promise<UsageError> {
  const message = error.message
  if (/repository directory not found/.test(message)) return new UsageError(`--repo ${repo}: no such folder`)
  if (/not a git repository/.test(message)) return new UsageError(`--repo ${repo} is not a git repository; pass the folder of a git clone`)
  if (/git is not installed/.test(message)) return new UsageError(message)
  if ((await git(repo, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])) === undefined) {
    return new UsageError(`the repository at ${repo} has no commits yet; commit the files first, then review a change against that commit`)
  }
  const shallow = (await git(repo, ['rev-parse', '--is-shallow-repository'])) === 'true'
  const unknown = /unknown git ref "([^"]*)"|invalid git ref "([^"]*)"/.exec(message)
  if (unknown) {
    const ref = unknown[1] ?? unknown[2] ?? ''
    if (shallow) return new UsageError(`unknown git ref '${ref}': ${SHALLOW_FIX}`)
    return new UsageError(`unknown git ref '${ref}' in ${repo}; give a branch, tag or commit that exists (git branch -a lists branches)`)
  }
  if (/no common ancestor|merge-base/.test(message)) {
    if (shallow) return new UsageError(`no common ancestor of ${refs.base} and ${refs.head ?? 'HEAD'}: ${SHALLOW_FIX}`)
    return new UsageError(`${refs.base} and ${refs.head ?? 'HEAD'} share no history; pick a --base the change branched from`)
  }
  return new UsageError(message.split('\n')[0]!)
}

/** Whether `dir` exists as a folder at `ref`. */
export async function folderAtRef(repo: string, ref: string, dir: string): Promise<boolean> {
  return (await git(repo, ['cat-file', '-t', `${ref}:${dir.replace(/^\.\/+|(?<!\/)\/+$/g, '')}`])) === 'tree'
}
