// The bundles of src/ take the CommonJS (UMD) builds of the packages dockerfile-ast require()s:
// their ES module builds, bundled for a require(), are read through getters at every use.
import { build } from 'esbuild'
// @ts-expect-error: a plain ES module of the build scripts, without types
import { commonjsBuilds } from '../scripts/lib/commonjs-builds.mjs'

async function bundledInputs(plugins: unknown[]): Promise<string[]> {
  const result = await build({
    stdin: { contents: "import { DockerfileParser } from 'dockerfile-ast'\nexport const parse = DockerfileParser.parse\n", resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: plugins as never[]
  })
  return Object.keys(result.metafile.inputs).filter((p) => p.includes('vscode-languageserver'))
}

describe('bundling dockerfile-ast', () => {
  it('takes the UMD builds of the vscode-languageserver packages with the plugin, their ES module builds without it', async () => {
    const withPlugin = await bundledInputs([commonjsBuilds])
    expect(withPlugin.length).toBe(2)
    expect(withPlugin.every((p) => p.includes('/lib/umd/'))).toBe(true)
    const without = await bundledInputs([])
    expect(without.length).toBe(2)
    expect(without.every((p) => p.includes('/lib/esm/'))).toBe(true)
  })
})
