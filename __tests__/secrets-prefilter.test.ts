// The secret scan skips an expression on a file that holds none of its literal anchors; these
// tests show the skip never loses a match: every alternative of every pattern carries an anchor,
// and in random text built from the patterns' own fragments no match ever lacks one.
import { TOKEN_PATTERNS, tokenRegex } from '../src/rules/secrets/patterns.js'
import { scanSecrets } from '../src/rules/secrets.js'

const body = (n: number, alphabet = 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6') => Array.from({ length: n }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('')
const upper = (n: number) => Array.from({ length: n }, (_, i) => 'QX7VM2PLR9TBK4HZ5WJ3'[i % 20]).join('')

// One example per alternative of each pattern, assembled at run time (no literal token in the repository).
const EXAMPLES: Record<string, string[]> = {
  'aws-access-key-id': ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3TX'].map((p) => p + upper(16)),
  'github-token': ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((p) => p + body(36)).concat(['github_pat_' + body(30)]),
  'gitlab-token': ['glpat-' + body(20)],
  'slack-token': ['a', 'b', 'p', 'o', 's', 'r'].map((c) => `xox${c}-${body(10, '4815162342')}-` + body(12)),
  // Each family with the ids Slack puts before the secret (a path without them is masked, not reported).
  'slack-webhook': [`services/T${upper(9)}/B${upper(10)}`, `workflows/T${upper(9)}/A${upper(10)}/${body(18, '4815162342')}`, `triggers/T${upper(10)}/${body(13, '31415926')}`].map(
    (path) => `https://hooks.slack.com/${path}/` + body(24)
  ),
  'teams-webhook': ['webhook', 'webhookb2'].map((w) => `https://contoso.webhook.office.com/${w}/` + body(44)),
  'stripe-key': ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'].map((p) => p + body(24)),
  'google-api-key': ['AIza' + body(35)],
  'google-oauth-secret': ['GOCSPX-' + body(28)],
  'google-oauth-access-token': ['ya29.' + body(40)],
  'mailchimp-key': ['-us1', '-us12'].map((s) => body(32, '0123456789abcdef') + s),
  'facebook-access-token': ['EAACEdEose0cBA' + body(24), 'EAAM' + body(120), 'EAAC' + body(120)],
  'amazon-mws-token': ['amzn.mws.' + [8, 4, 4, 4, 12].map((n) => body(n, '0123456789abcdef')).join('-')],
  'square-token': ['sq0atp-', 'sq0csp-'].map((p) => p + body(24)),
  'braintree-token': ['access_token$production$' + body(16, 'abc123xyz') + '$' + body(32, '0123456789abcdef')],
  'anthropic-key': ['sk-ant-' + body(24)],
  'openai-key': ['sk-proj-', 'sk-svcacct-', 'sk-admin-'].map((p) => p + body(24)),
  'npm-token': ['npm_' + body(36)],
  jwt: ['eyJ' + body(12) + '.eyJ' + body(12) + '.' + body(43)]
}

const holdsAny = (text: string, anchors: readonly string[]) => anchors.some((a) => text.includes(a))

describe('token anchors', () => {
  it.each(TOKEN_PATTERNS.map((p) => [p.slug, p] as const))('%s: every alternative matches and carries an anchor', (slug, pattern) => {
    const examples = EXAMPLES[slug]
    expect(examples?.length).toBeGreaterThan(0)
    for (const example of examples) {
      expect(tokenRegex(pattern, '').test(` ${example} `)).toBe(true)
      expect(holdsAny(example, pattern.anchors)).toBe(true)
    }
  })

  it('in random text made of the patterns’ fragments, no match lacks an anchor', () => {
    // Pieces of every example, cut at every length, so partial anchors and near-misses are common.
    const pieces = Object.values(EXAMPLES).flat().flatMap((e) => [e, e.slice(0, 3), e.slice(0, 5), e.slice(2, 9), e.slice(-12)])
    pieces.push(' ', '\n', '.', '-', '_', '$', '/', 'A', 'a', 'k', 'x', 'o')
    let seed = 42
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
    let matched = 0
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 8) }, () => pieces[Math.floor(next() * pieces.length)]).join('')
      for (const pattern of TOKEN_PATTERNS) {
        if (!tokenRegex(pattern, '').test(text)) continue
        matched++
        expect({ slug: pattern.slug, text, anchored: holdsAny(text, pattern.anchors) }).toEqual({ slug: pattern.slug, text, anchored: true })
      }
    }
    // The check above must have had matches to check.
    expect(matched).toBeGreaterThan(300)
  })

  it('the scan reports each example, alone in a file', async () => {
    for (const [slug, examples] of Object.entries(EXAMPLES)) {
      for (const example of examples) {
        const r = await scanSecrets({ path: 'notes.txt', kind: 'other', content: `value: ${example}\n` })
        expect(r.locations.map((l) => l.value)).toContain(example)
        if (slug !== 'aws-access-key-id') expect(r.findings.length).toBeGreaterThan(0)
      }
    }
  })
})
