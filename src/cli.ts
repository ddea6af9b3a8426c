#!/usr/bin/env node
/** The local entry point: `preflight scan|review|audit|baseline|agents|route`. */
import * as nodeModule from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'

// Node 22.1+ can keep the compiled bundle on disk between runs (tsc does the same): a repeated
// local scan skips compiling most of it again. Node 20 has no such call; NODE_DISABLE_COMPILE_CACHE
// turns it off. The cache lives in the user's own cache folder, not the shared temp folder, where
// another user of the machine could place entries first. It is enabled before the CLI's code is
// imported, so that code is what gets cached.
;(nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache?.(join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'preflight', 'compile-cache'))
const { main } = await import('./cli/main.js')

// A reader that stops early (`preflight scan | head`) closes the pipe: the rest of the output has
// nowhere to go, which is not an error of the scan, so later writes are dropped and the run ends
// as it would have. Any other failure of stdout stays an error.
let readerGone = false
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e
  readerGone = true
})
const code = await main(process.argv.slice(2), {
  stdout: (t) => void (readerGone || process.stdout.write(t)),
  stdoutBytes: (b) => void (readerGone || process.stdout.write(b)),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: process.stdout.isTTY === true
})
process.exitCode = code
