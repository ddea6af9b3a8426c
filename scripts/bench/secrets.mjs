// Preflight's secret scan vs the secretlint CLI (recommended preset) over the same files:
// time, and the findings of each compared by file and line.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { timed, repeat, medianOf, ratioOf } from './util.mjs'

const SECRETLINT_BIN = resolve('node_modules/secretlint/bin/secretlint.js')
const key = (path, line) => `${path}:${line}`

/** Its report goes to a file: on a pipe the CLI exits before a large stdout is flushed. */
async function secretlintRun(tree, rcPath, timeoutMs) {
  const output = join(rcPath, '..', `secretlint-${Date.now()}.json`)
  const r = await timed(process.execPath, [SECRETLINT_BIN, '**/*', '--format', 'json', '--secretlintrc', rcPath, '--output', output], { cwd: tree, timeoutMs })
  return { ...r, stdout: existsSync(output) ? readFileSync(output, 'utf8') : '' }
}

/** secretlint's JSON: one entry per file with its messages; answers `path:line` keys. */
function secretlintHits(stdout, tree) {
  const hits = []
  for (const file of JSON.parse(stdout || '[]')) {
    for (const m of file.messages ?? []) hits.push({ path: relative(tree, file.filePath).split('\\').join('/'), line: m.loc?.start?.line ?? 0, rule: m.ruleId, messageId: m.messageId })
  }
  return hits
}

export async function compareSecrets({ tree, overlay, dist, runs, work, fullTree, fullTimeoutMs }) {
  const rcPath = join(work, 'secretlintrc.json')
  writeFileSync(rcPath, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }))

  const own = await repeat(runs, async () => {
    const r = await timed(process.execPath, ['scripts/bench/inproc.mjs', 'secrets', tree])
    return { ...JSON.parse(r.stdout.trim().split('\n').pop()), wallMs: r.ms }
  })
  const cli = await repeat(runs, async () => {
    const r = await timed(process.execPath, [join(dist, 'cli.js'), 'scan', tree, '--format', 'json'])
    return { ms: r.ms, out: JSON.parse(r.stdout) }
  })
  const theirs = await repeat(runs, () => secretlintRun(tree, rcPath))

  const ours = cli[0].out.findings.filter((f) => f.category === 'secrets')
  const ourKeys = new Set(ours.map((f) => key(f.path, f.line)))
  const hits = secretlintHits(theirs[0].stdout, tree)
  const missed = hits.filter((h) => !ourKeys.has(key(h.path, h.line)))
  const theirKeys = new Set(hits.map((h) => key(h.path, h.line)))
  const onlyOurs = ours.filter((f) => !theirKeys.has(key(f.path, f.line)))

  // The whole 10,000-file tree, with a time cap: secretlint's own profiler makes long runs slow.
  const full = fullTree ? await secretlintRun(fullTree, rcPath, fullTimeoutMs) : undefined

  const result = {
    files: cli[0].out.stats?.files ?? null,
    overlay,
    preflightSecretsMs: medianOf(own, 'ms'),
    preflightSecretsWallMs: medianOf(own, 'wallMs'),
    preflightScanWallMs: medianOf(cli, 'ms'),
    secretlintWallMs: medianOf(theirs, 'ms'),
    secretlintCodes: [...new Set(theirs.map((r) => r.code))],
    preflightFindings: ours.length,
    secretlintFindings: hits.length,
    missedBySecretlintComparison: missed,
    onlyPreflight: onlyOurs.map((f) => ({ path: f.path, line: f.line, ruleId: f.ruleId })),
    fullTree: full ? { timedOut: full.timedOut, ms: full.ms, capMs: fullTimeoutMs, code: full.code } : undefined
  }
  result.wallRatio = ratioOf(result.preflightScanWallMs, result.secretlintWallMs)
  result.secretsOnlyRatio = ratioOf(result.preflightSecretsWallMs, result.secretlintWallMs)
  return result
}
