/**
 * A stand-in `helm` executable for tests: a small node script written into a temporary folder
 * that the test puts first on PATH. It "renders" a chart by copying every `templates/*.yaml`
 * under a `# Source:` header and substituting `{{ .Values.a.b }}` from a flat JSON map, records
 * its arguments and the chart files it saw, and can fail like helm does.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type StubMode = 'ok' | 'missing-deps' | 'sleep' | 'huge'

const SCRIPT = String.raw`#!/usr/bin/env node
const fs = require('fs'), path = require('path')
const here = __dirname
const args = process.argv.slice(2)
const mode = fs.readFileSync(path.join(here, 'mode'), 'utf8').trim()
const chartDir = args[2]
const seen = []
const walk = (d, rel) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const r = rel ? rel + '/' + e.name : e.name; if (e.isDirectory()) walk(path.join(d, e.name), r); else seen.push(r) } }
if (chartDir && fs.existsSync(chartDir)) walk(chartDir, '')
fs.appendFileSync(path.join(here, 'calls.jsonl'), JSON.stringify({ args, files: seen.sort(), env: Object.keys(process.env).sort() }) + '\n')
if (mode === 'missing-deps') { process.stderr.write('Error: found in Chart.yaml, but missing in charts/ directory: common\n'); process.exit(1) }
if (mode === 'sleep') { setTimeout(() => {}, 60000); return }
if (mode === 'huge') { process.stdout.write('x'.repeat(4 * 1024 * 1024)); return }
const values = JSON.parse(fs.readFileSync(path.join(here, 'values.json'), 'utf8'))
const name = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'))[1]
let out = ''
for (const f of fs.readdirSync(path.join(chartDir, 'templates')).sort()) {
  if (!/\.ya?ml$/.test(f)) continue
  const text = fs.readFileSync(path.join(chartDir, 'templates', f), 'utf8').replace(/{{\s*\.Values\.([\w.]+)\s*}}/g, (_, k) => String(values[k]))
  out += '---\n# Source: ' + name + '/templates/' + f + '\n' + text
}
process.stdout.write(out)
`

export interface StubHelm {
  dir: string
  setMode(mode: StubMode): void
  setValues(values: Record<string, string | number | boolean>): void
  calls(): { args: string[]; files: string[]; env: string[] }[]
  /** Puts the stub first on PATH (or removes every helm from PATH with `none`). */
  install(which?: 'stub' | 'none'): void
  restore(): void
}

export function createStubHelm(): StubHelm {
  const dir = mkdtempSync(join(tmpdir(), 'stub-helm-'))
  const empty = mkdtempSync(join(tmpdir(), 'no-helm-'))
  writeFileSync(join(dir, 'helm'), SCRIPT)
  chmodSync(join(dir, 'helm'), 0o755)
  writeFileSync(join(dir, 'mode'), 'ok')
  writeFileSync(join(dir, 'values.json'), '{}')
  const originalPath = process.env.PATH
  const nodeDir = process.execPath.slice(0, process.execPath.lastIndexOf('/'))
  return {
    dir,
    setMode: (mode) => writeFileSync(join(dir, 'mode'), mode),
    setValues: (values) => writeFileSync(join(dir, 'values.json'), JSON.stringify(values)),
    calls: () => {
      try {
        return readFileSync(join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
      } catch {
        return []
      }
    },
    install: (which = 'stub') => {
      // `none`: an empty folder only, so no real helm on the machine can be found either.
      process.env.PATH = which === 'stub' ? `${dir}:${nodeDir}` : empty
    },
    restore: () => {
      process.env.PATH = originalPath
      rmSync(dir, { recursive: true, force: true })
      rmSync(empty, { recursive: true, force: true })
    }
  }
}
