#!/usr/bin/env node
/**
 * Release helper, run by .github/workflows/release.yml in two steps (a commit cannot hold its
 * own hash, so the examples are pinned in a commit after the tagged one):
 *
 *   node scripts/release-pin.mjs version X.Y.Z      sets the version in package.json, the lockfile and src/version.ts
 *   node scripts/release-pin.mjs pin OWNER/REPO SHA X.Y.Z
 *                                                   points every `uses: <this action>@…` in README.md and
 *                                                   examples/workflows/*.yml at SHA, with `# vX.Y.Z` after it
 */
import { readFileSync, writeFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

// RELEASE_PIN_ROOT lets the tests run it on a copy of the files.
const root = process.env.RELEASE_PIN_ROOT || new URL('..', import.meta.url).pathname
const [command, ...args] = process.argv.slice(2)

const SEMVER = /^\d{1,4}\.\d{1,4}\.\d{1,4}$/
const REPO = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/

function fail(message) {
  console.error(`release-pin: ${message}`)
  process.exit(2)
}

function rewrite(path, edit) {
  const before = readFileSync(path, 'utf8')
  const after = edit(before)
  if (after !== before) writeFileSync(path, after)
  return after !== before
}

if (command === 'version') {
  const [version] = args
  if (!SEMVER.test(version ?? '')) fail(`expected a version X.Y.Z, got '${version ?? ''}'`)
  for (const file of ['package.json', 'package-lock.json']) {
    const path = join(root, file)
    const json = JSON.parse(readFileSync(path, 'utf8'))
    json.version = version
    if (json.packages?.['']) json.packages[''].version = version
    writeFileSync(path, JSON.stringify(json, null, 2) + '\n')
  }
  rewrite(join(root, 'src/version.ts'), (t) => t.replace(/export const VERSION = '[^']*'/, `export const VERSION = '${version}'`))
} else if (command === 'pin') {
  const [repo, sha, version] = args
  if (!REPO.test(repo ?? '')) fail(`expected OWNER/REPO, got '${repo ?? ''}'`)
  if (!/^[0-9a-f]{40}$/.test(sha ?? '')) fail(`expected a 40-character commit SHA, got '${sha ?? ''}'`)
  if (!SEMVER.test(version ?? '')) fail(`expected a version X.Y.Z, got '${version ?? ''}'`)
  const escaped = repo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  // `uses: owner/repo@anything` plus an optional trailing comment, keeping the indentation and any `- `.
  const usesLine = new RegExp(`^([ \\t]*(?:- )?uses:[ \\t]*)${escaped}@[^\\s#]+(?:[ \\t]*#[^\\n]*)?$`, 'gm')
  const files = ['README.md', ...readdirSync(join(root, 'examples/workflows')).filter((f) => f.endsWith('.yml')).map((f) => `examples/workflows/${f}`)]
  const changed = files.filter((f) => rewrite(join(root, f), (t) => t.replace(usesLine, `$1${repo}@${sha} # v${version}`)))
  console.log(changed.length ? `pinned ${repo}@${sha.slice(0, 12)} (v${version}) in ${changed.join(', ')}` : 'nothing to pin')
} else {
  fail('usage: release-pin.mjs version X.Y.Z | pin OWNER/REPO SHA X.Y.Z')
}
