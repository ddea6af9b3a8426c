#!/usr/bin/env node
/** The local entry point: `preflight scan|review|audit|baseline|agents|route`. */
import { main } from './cli/main.js'

const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stdoutBytes: (b) => process.stdout.write(b),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: process.stdout.isTTY === true
})
process.exitCode = code
