// Loads TypeScript modules of src/ into a plain Node script by bundling a tiny entry with
// esbuild into a temp folder (the same bundler the action ships with).
import { build } from 'esbuild'
import { mkdtempSync, writeFileSync, rmSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'
import { commonjsBuilds } from './commonjs-builds.mjs'

/** `exports`: { name: 'src/path.ts' } → the named exports of those modules. */
export async function loadSrc(exports) {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-src-'))
  const lines = Object.entries(exports).map(([name, file]) => `export { ${name} } from ${JSON.stringify(resolve(file))}`)
  const entry = join(dir, 'entry.ts')
  writeFileSync(entry, lines.join('\n') + '\n')
  const outfile = join(dir, 'out.mjs')
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning', plugins: [commonjsBuilds],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
  })
  const require = createRequire(import.meta.url)
  for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm']) {
    copyFileSync(require.resolve(wasm), join(dir, wasm.split('/').pop()))
  }
  const mod = await import(pathToFileURL(outfile).href)
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  return mod
}
