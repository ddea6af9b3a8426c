// Bundles the action (dist/index.js), the CLI (dist/cli.js) and the worker that analyses large
// files under a time budget (dist/rules-worker.js) into self-contained ESM files, with the
// tree-sitter wasm files the HCL parser loads at run time copied beside them.
import { build } from 'esbuild'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { commonjsBuilds } from './lib/commonjs-builds.mjs'

const require = createRequire(import.meta.url)
// `--outdir DIR` builds elsewhere (for experiments); the committed bundle lives in dist/.
const argIndex = process.argv.indexOf('--outdir')
const outdir = argIndex > 0 ? process.argv[argIndex + 1] : 'dist'
rmSync(outdir, { recursive: true, force: true })
mkdirSync(outdir, { recursive: true })

const banner = {
  js: "import { createRequire as __preflightCreateRequire } from 'node:module';\nconst require = __preflightCreateRequire(import.meta.url);"
}

await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts', 'rules-worker': 'src/rules/worker.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  legalComments: 'linked',
  charset: 'utf8',
  banner,
  plugins: [commonjsBuilds],
  logLevel: 'warning'
})

const wasm = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm')
]
for (const file of wasm) copyFileSync(file, `${outdir}/${file.split('/').pop()}`)
