// An esbuild plugin for the bundles of src/: dockerfile-ast require()s the vscode-languageserver
// packages, whose `exports` maps send a bundler to their ES module builds. Bundled for a require(),
// an ES module is reached through two getters at every use of an export (`Range.create`,
// `Position.create` in the parser's inner loop), which made parsing a Dockerfile about three times
// slower. Their UMD builds, which Node itself loads for a require(), are the same code as CommonJS.
import { createRequire } from 'node:module'
import { join } from 'node:path'

const PACKAGES = /^vscode-languageserver-(?:types|textdocument)$/

export const commonjsBuilds = {
  name: 'commonjs-builds',
  setup(build) {
    build.onResolve({ filter: PACKAGES }, (args) => {
      if (args.kind !== 'require-call') return undefined
      // Resolved as Node resolves the require() from the importing file (the `default` condition: the UMD build).
      return { path: createRequire(join(args.resolveDir, 'index.js')).resolve(args.path) }
    })
  }
}
