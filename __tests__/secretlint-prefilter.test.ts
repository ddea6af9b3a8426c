// secretlint is skipped on a file that none of the preset's rules can report on (see
// RULE_ANCHORS in src/rules/secrets/secretlint.ts). These tests hold the skip to secretlint itself:
// a positive per rule that the unfiltered preset reports and the prefilter lets through, and
// random text made of those positives' pieces on which the filtered and unfiltered runs agree.
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { lintSource } from '@secretlint/core'
import { creator as preset } from '@secretlint/secretlint-rule-preset-recommend'
import {
  runSecretlint,
  secretlintMayReport,
  secretlintSkips,
  secretlintShortName,
  SECRETLINT_AUDITED_PRESET_VERSION,
  SECRETLINT_AUDITED_RULES,
  SECRETLINT_PRESET_ID
} from '../src/rules/secrets/secretlint.js'

/** Deterministic filler of `n` characters from `alphabet`. */
const fill = (n: number, alphabet = 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF') => Array.from({ length: n }, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join('')
const HEX = '0123456789abcdef'
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey.trim()
const onePassword = (() => {
  let n = 120
  while (`{"signInAddress":"${'x'.repeat(n)}"}`.length % 3 !== 1) n++
  return 'ops_' + Buffer.from(`{"signInAddress":"${'x'.repeat(n)}"}`).toString('base64')
})()

// Credential-shaped values are assembled at run time: the repository holds no literal token.
const POSITIVES: { rule: string; path: string; content: string }[] = [
  { rule: 'aws', path: 'aws.env', content: `AWS_SECRET_ACCESS_KEY = "${fill(40, 'wJ8rXUtnFEMI/K7MDENG+bPxRfiCYq2Lm9ZsT3dN')}"\n` },
  { rule: 'aws', path: 'aws.yaml', content: `aws_secret_access_key: ${fill(40, 'wJ8rXUtnFEMI/K7MDENG+bPxRfiCYq2Lm9ZsT3dN')}\n` },
  { rule: 'gcp', path: 'sa.json', content: JSON.stringify({ type: 'service_account', private_key_id: 'k1', private_key: rsa }) },
  // The same key file with its keys and PEM header spelled by JSON escapes: neither `private_key`
  // nor `-----BEGIN` is in the text, only in what JSON.parse makes of it.
  {
    rule: 'gcp',
    path: 'sa.json',
    content: JSON.stringify({ type: 'service_account', private_key_id: 'k1', private_key: rsa }).replace(/"private_key/g, '"\\u0070rivate_key').replace(/-----BEGIN/g, '\\u002d----BEGIN')
  },
  { rule: 'privatekey', path: 'key.pem', content: rsa + '\n' },
  { rule: 'npm', path: 'config.yaml', content: `token: npm_${fill(36)}\n` },
  { rule: 'npm', path: '.npmrc', content: `//registry.npmjs.org/:_authToken=${fill(24)}\n` },
  { rule: 'npm', path: 'package.json', content: `{"repository": "https://${fill(20)}:x-oauth-basic@github.com/o/r.git"}\n` },
  { rule: 'basicauth', path: 'ci.sh', content: 'curl https://deploy:Zq9vTl2mWx@artifacts.internal.net/file\n' },
  { rule: 'slack', path: 'a.yaml', content: `token: xoxb-123456789012-${fill(24)}\n` },
  { rule: 'slack', path: 'b.yaml', content: `url: https://hooks.slack.com/services/T${fill(8)}/B${fill(8)}/${fill(24)}\n` },
  { rule: 'sendgrid', path: 'a.env', content: `SENDGRID=SG.${fill(22)}.${fill(43)}\n` },
  { rule: 'shopify', path: 'a.env', content: `SHOP=shpat_${fill(32)}\n` },
  { rule: 'github', path: 'a.env', content: `GH=ghp_${fill(36)}\n` },
  { rule: 'github', path: 'b.env', content: `GH=github_pat_${fill(82)}\n` },
  { rule: 'gitlab', path: 'a.env', content: `GL=glpat-${fill(20)}\n` },
  { rule: 'grafana', path: 'a.env', content: `G=glc_${fill(40)}\n` },
  { rule: 'grafana', path: 'b.env', content: `G=glsa_${fill(32)}_${fill(8, HEX)}\n` },
  { rule: 'openai', path: 'a.env', content: `K=sk-proj-${fill(74)}T3BlbkFJ${fill(74)}\n` },
  { rule: 'openai', path: 'b.env', content: `K=sk-${fill(20)}T3BlbkFJ${fill(20)}\n` },
  { rule: 'anthropic', path: 'a.env', content: `K=sk-ant-api03-${fill(93)}AA\n` },
  { rule: 'groq', path: 'a.env', content: `K=gsk_${fill(52)}\n` },
  { rule: 'huggingface', path: 'a.env', content: `K=hf_${fill(34, 'abcdEFGHijklMNOPqrstUVWXyz')}\n` },
  { rule: 'linear', path: 'a.env', content: `K=lin_api_${fill(40)}\n` },
  { rule: 'notion', path: 'a.env', content: `K=ntn_${fill(11, '0123456789')}${fill(35)}\n` },
  { rule: '1password', path: 'a.env', content: `K=${onePassword}\n` },
  { rule: 'database-connection-string', path: 'a.env', content: 'DB=postgres://app:Zx9vQ2mLr@db.internal:5432/app\n' },
  { rule: 'database-connection-string', path: 'b.env', content: 'DB=mongodb+srv://app:Zx9vQ2mLr@cluster0.internal/app\n' },
  { rule: 'database-connection-string', path: 'c.env', content: 'DB=jdbc:MySQL://app:Zx9vQ2mLr@db.internal:3306/app\n' },
  { rule: 'hashicorp-vault', path: 'a.env', content: `V=hvs.${fill(95)}\n` },
  { rule: 'vercel', path: 'a.env', content: `V=vcp_${fill(24)}\n` },
  { rule: 'databricks', path: 'a.env', content: `D=dapi${fill(32, HEX)}\n` },
  { rule: 'docker', path: 'a.env', content: `D=dckr_pat_${fill(27)}\n` },
  { rule: 'figma', path: 'a.env', content: `F=figd_${fill(40)}\n` }
]

/** The preset as shipped, on every file: what the prefilter must never change. */
async function unfiltered(path: string, content: string) {
  const ext = /\.[^./]+$/.exec(path)?.[0] ?? ''
  const r = await lintSource({
    source: { content, filePath: path, ext, contentType: 'text' },
    options: { config: { rules: [{ id: SECRETLINT_PRESET_ID, rule: preset }] }, maskSecrets: true, noPhysicFilePath: true }
  })
  return r.messages.map((m) => ({ rule: secretlintShortName(m.ruleId), messageId: m.messageId, start: m.range[0], end: m.range[1], line: m.loc.start.line, endLine: m.loc.end.line }))
}

describe('secretlint prefilter', () => {
  it('was read from the installed preset: same version, same rules', () => {
    const pkg = JSON.parse(readFileSync('node_modules/@secretlint/secretlint-rule-preset-recommend/package.json', 'utf8')) as { version: string }
    expect(pkg.version).toBe(SECRETLINT_AUDITED_PRESET_VERSION)
    expect((preset.rules as { meta: { id: string } }[]).map((r) => secretlintShortName(r.meta.id)).sort()).toEqual([...SECRETLINT_AUDITED_RULES].sort())
  })

  it('every reporting rule has a positive here', () => {
    const reporting = SECRETLINT_AUDITED_RULES.filter((r) => r !== 'filter-comments')
    expect([...new Set(POSITIVES.map((p) => p.rule))].sort()).toEqual([...reporting].sort())
  })

  it.each(POSITIVES.map((p, i) => [`${p.rule} #${i}`, p] as const))('%s: reported by the preset, let through and reported the same', async (_, { rule, path, content }) => {
    const raw = await unfiltered(path, content)
    expect(raw.map((m) => m.rule)).toContain(rule)
    expect(secretlintMayReport(content, /\.[^./]+$/.exec(path)?.[0] ?? '')).toBe(true)
    expect(await runSecretlint(path, content)).toEqual(raw)
  })

  it('on random text made of the positives’ pieces, filtered and unfiltered runs agree', async () => {
    const pieces = POSITIVES.flatMap(({ content }) => {
      const c = content.trim()
      return [c, c.toUpperCase(), c.toLowerCase(), c.slice(0, 4), c.slice(0, 8), c.slice(2, 14), c.slice(-30), c.slice(Math.floor(c.length / 2))]
    })
    pieces.push(' ', '\n', '@', '://', '_', '.', '-', '"', '\\', 'x', 'sk-', 'sg.', 'ops_')
    const paths = ['a.txt', 'k.json', 'package.json', '.npmrc', 'x.p12', 'main.tf']
    let seed = 7
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
    let reported = 0
    let skipped = 0
    for (let i = 0; i < 1500; i++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pieces[Math.floor(next() * pieces.length)]).join(next() < 0.5 ? '' : '\n')
      const path = paths[Math.floor(next() * paths.length)]!
      const raw = await unfiltered(path, text)
      if (raw.length > 0) reported++
      if (!secretlintMayReport(text, /\.[^./]+$/.exec(path)?.[0] ?? '')) skipped++
      expect({ path, text, hits: await runSecretlint(path, text) }).toEqual({ path, text, hits: raw })
    }
    // Both sides of the filter were exercised.
    expect(reported).toBeGreaterThan(300)
    expect(skipped).toBeGreaterThan(100)
  })

  it('decides on case as the case-insensitive anchor does, also where lowercasing folds a letter beyond ASCII', () => {
    // `SK-` and `DAPI` are the anchors `sk-` and `dapi` in other case: let through.
    expect(secretlintMayReport('K=SK-abcdef\n', '.env')).toBe(true)
    expect(secretlintMayReport('TOKEN=DAPI1234\n', '.env')).toBe(true)
    // The Kelvin sign lowercases to `k` and a dotted capital I to `i` plus a dot, yet the anchor's
    // case-insensitive test matches neither: these stay skipped, as they were before the lowercased pass.
    expect(secretlintMayReport('K=s\u212A-abcdef\n', '.env')).toBe(false)
    expect(secretlintMayReport('TOKEN=dap\u0130 1234\n', '.env')).toBe(false)
    expect(secretlintMayReport('plain text without any anchor\n', '.env')).toBe(false)
  })

  it('lets a caller skip secretlint, once loaded, exactly on the files the prefilter rules out', async () => {
    await runSecretlint('warm.txt', 'nothing here\n')
    const plain = 'replicas: 3\nimage: nginx:1.27\n'
    expect(secretlintSkips('a.yaml', plain)).toBe(true)
    expect(await runSecretlint('a.yaml', plain)).toEqual([])
    for (const { path, content } of POSITIVES) {
      expect(secretlintSkips(path, content)).toBe(false)
      expect((await runSecretlint(path, content)).length).toBeGreaterThan(0)
    }
  })
})
