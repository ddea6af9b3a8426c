// Writes docs/rules.md from the rule metadata; `--check` fails when the file is out of date.
import { readFileSync, writeFileSync } from 'node:fs'
import { loadSrc } from './lib/load-src.mjs'

const { ALL_RULES, renderRulesDoc } = await loadSrc({ ALL_RULES: 'src/rules/index.ts', renderRulesDoc: 'src/render/rules-doc.ts' })
const text = renderRulesDoc(ALL_RULES)
const target = 'docs/rules.md'
if (process.argv.includes('--check')) {
  let current = ''
  try { current = readFileSync(target, 'utf8') } catch { /* a missing file is out of date */ }
  if (current !== text) {
    console.error(`${target} is out of date: run \`npm run docs:rules\` and commit it.`)
    process.exit(1)
  }
  console.log(`${target} is current (${ALL_RULES.length} rules).`)
} else {
  writeFileSync(target, text)
  console.log(`wrote ${target} (${ALL_RULES.length} rules)`)
}
