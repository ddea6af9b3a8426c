// Writes docs/rules.md from the rule metadata; `--check` fails when the file is out of date.
import { build } from 'esbuild'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const dir = mkdtempSync(join(tmpdir(), 'preflight-rules-'))
const entry = join(dir, 'entry.ts')
writeFileSync(entry, `export { ALL_RULES } from ${JSON.stringify(join(process.cwd(), 'src/rules/index.ts'))}\nexport { renderRulesDoc } from ${JSON.stringify(join(process.cwd(), 'src/render/rules-doc.ts'))}\n`)
const outfile = join(dir, 'out.mjs')
await build({
  entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
})
const { ALL_RULES, renderRulesDoc } = await import(pathToFileURL(outfile).href)
rmSync(dir, { recursive: true, force: true })
const text = renderRulesDoc(ALL_RULES)
const target = 'docs/rules.md'
if (process.argv.includes('--check')) {
  let current = ''
  try { current = readFileSync(target, 'utf8') } catch { /* missing counts as stale */ }
  if (current !== text) {
    console.error(`${target} is out of date: run \`npm run docs:rules\` and commit it.`)
    process.exit(1)
  }
  console.log(`${target} is current (${ALL_RULES.length} rules).`)
} else {
  writeFileSync(target, text)
  console.log(`wrote ${target} (${ALL_RULES.length} rules)`)
}
