/** The settings file: schema validation with file:line messages, did-you-mean, fallbacks and precedence. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { loadLocalSettings, parseSettingsText, resolveSettings, SettingsError } from '../src/settings/load.js'
import { DEFAULT_SETTINGS } from '../src/settings/types.js'
import { ALL_RULES } from '../src/rules/index.js'

const FILE = '.github/preflight.yml'

function errorOf(text: string): string {
  try {
    parseSettingsText(text, FILE)
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError)
    return (e as Error).message
  }
  throw new Error('expected a SettingsError')
}

describe('parseSettingsText', () => {
  it('maps every key of a full file onto the resolved shape', () => {
    const text = [
      'rules:',
      '  tf/aws-sg-open-ssh: off',
      "  'dockerfile/*': low",
      'overrides:',
      '  - files: ["examples/**"]',
      '    rules: { "k8s/*": off }',
      'paths-ignore: [vendor/**]',
      'min-inline-severity: high',
      'max-comments: 7',
      'slo:',
      '  availability: 99.95',
      '  latency-p95-ms: 300',
      '  error-budget-percent: 0.05',
      '  paths:',
      '    - name: checkout',
      '      files: [services/checkout/**]',
      '      availability: 99.99',
      'cost: { warn-total-usd: 500, warn-increase-usd: 50, warn-increase-percent: 10 }',
      'personas:',
      '  SRE: { enabled: false }',
      '  architect: { model: opus }',
      'fail-on: high',
      'allow-self-suppress: low'
    ].join('\n')
    const { settings, warnings } = parseSettingsText(text, FILE)
    expect(warnings).toEqual([])
    expect(resolveSettings(settings)).toEqual({
      rules: { 'tf/aws-sg-open-ssh': 'off', 'dockerfile/*': 'low' },
      overrides: [{ files: ['examples/**'], rules: { 'k8s/*': 'off' } }],
      pathsIgnore: ['vendor/**'],
      minInlineSeverity: 'high',
      maxComments: 7,
      slo: { availability: 99.95, latencyP95Ms: 300, errorBudgetPercent: 0.05, paths: [{ name: 'checkout', files: ['services/checkout/**'], availability: 99.99 }] },
      cost: { warnTotalUsd: 500, warnIncreaseUsd: 50, warnIncreasePercent: 10 },
      personas: { sre: { enabled: false }, architect: { model: 'opus' } },
      failOn: 'high',
      allowSelfSuppress: 'low'
    })
  })

  it('an empty file is the defaults', () => {
    expect(resolveSettings(parseSettingsText('# nothing yet\n', FILE).settings)).toEqual(DEFAULT_SETTINGS)
  })

  it('warns about an unknown key with a did-you-mean and the line, and ignores it', () => {
    const r = parseSettingsText('max-comments: 3\nfail_on: high\nslo:\n  latency-p95: 200\n', FILE)
    expect(r.warnings).toEqual([
      `${FILE}:2: unknown key 'fail_on', ignored; did you mean 'fail-on'?`,
      `${FILE}:4: unknown key 'latency-p95' in slo, ignored; did you mean 'latency-p95-ms'?`
    ])
    expect(r.settings.failOn).toBeUndefined()
    expect(r.settings.maxComments).toBe(3)
  })

  it('a far-off unknown key gets no suggestion', () => {
    expect(parseSettingsText('zzzzzzzzzz: 1\n', FILE).warnings).toEqual([`${FILE}:1: unknown key 'zzzzzzzzzz', ignored`])
  })

  it('a rule id that names no rule warns with the closest id', () => {
    const r = parseSettingsText('rules:\n  tf/aws-sg-open-sh: off\n  "tf/*": low\n', FILE, { ruleIds: ['tf/aws-sg-open-ssh', 'dockerfile/base-image-latest'] })
    expect(r.warnings).toEqual([`${FILE}:2: 'tf/aws-sg-open-sh' names no Preflight rule; did you mean 'tf/aws-sg-open-ssh'?`])
  })

  it('a bad fail-on fails with file, line and the allowed values', () => {
    expect(errorOf('max-comments: 3\nfail-on: hgh\n')).toBe(`${FILE}:2: fail-on must be one of none, critical, high, medium, low, got "hgh"; did you mean 'high'?`)
  })

  it('a bad rule setting fails with its line', () => {
    expect(errorOf('rules:\n  tf/a: on\n  tf/b: low\n')).toBe(`${FILE}:2: rules.tf/a must be one of off, critical, high, medium, low, info, got "on"; did you mean 'off'?`)
  })

  it('a bad paths-ignore or override fails', () => {
    expect(errorOf('paths-ignore: vendor/**\n')).toBe(`${FILE}:1: paths-ignore must be a list, got "vendor/**"`)
    expect(errorOf('overrides:\n  - rules: { tf/a: off }\n')).toBe(`${FILE}:2: overrides.0 needs 'files'`)
  })

  it('other bad values fall back to the default with a warning', () => {
    const r = parseSettingsText('max-comments: lots\nslo:\n  availability: 150\nfail-on: high\n', FILE)
    expect(r.warnings).toEqual([
      `${FILE}:1: max-comments must be a whole number, got "lots"; using the default`,
      `${FILE}:3: slo.availability must be <= 100, got 150; using the default`
    ])
    const s = resolveSettings(r.settings)
    expect(s.maxComments).toBe(DEFAULT_SETTINGS.maxComments)
    expect(s.slo).toEqual(DEFAULT_SETTINGS.slo)
    expect(s.failOn).toBe('high')
  })

  it('broken YAML and a non-mapping fail with the line', () => {
    expect(errorOf('fail-on: high\nrules: [\n')).toMatch(new RegExp(`^${FILE}:\\d+: not valid YAML`))
    expect(errorOf('- a\n- b\n')).toBe(`${FILE}:1: expected a mapping of settings (key: value), got a list`)
  })
})

describe('precedence', () => {
  it('action input > settings file > default; paths-ignore is the union', () => {
    const file = parseSettingsText('fail-on: high\nmax-comments: 5\nmin-inline-severity: low\npaths-ignore: [a/**]\n', FILE).settings
    const s = resolveSettings(file, { failOn: 'critical', pathsIgnore: ['b/**', 'a/**'] })
    expect(s.failOn).toBe('critical')
    expect(s.maxComments).toBe(5)
    expect(s.minInlineSeverity).toBe('low')
    expect(s.pathsIgnore).toEqual(['b/**', 'a/**'])
    expect(resolveSettings(undefined, {}).failOn).toBe('none')
  })

  it('action.yml declares no default for an input the settings file also holds', () => {
    const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }> }
    for (const key of ['fail-on', 'max-comments', 'paths-ignore', 'min-inline-severity']) {
      expect(action.inputs[key]).toBeDefined()
      expect(action.inputs[key]?.default).toBeUndefined()
    }
  })
})

describe('loadLocalSettings', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'preflight-settings-'))))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('prefers .github/preflight.yml over .preflight.yml, and defaults without either', async () => {
    expect((await loadLocalSettings(dir, {})).settings).toEqual(DEFAULT_SETTINGS)
    writeFileSync(join(dir, '.preflight.yml'), 'max-comments: 4\n')
    expect((await loadLocalSettings(dir, {})).settings.maxComments).toBe(4)
    mkdirSync(join(dir, '.github'))
    writeFileSync(join(dir, '.github/preflight.yml'), 'max-comments: 9\n')
    const r = await loadLocalSettings(dir, {})
    expect(r.path).toBe('.github/preflight.yml')
    expect(r.settings.maxComments).toBe(9)
  })
})

describe('the schema and the README', () => {
  const schema = JSON.parse(readFileSync('docs/preflight.schema.json', 'utf8')) as object

  it('gives every key a description', () => {
    const missing: string[] = []
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return
      const n = node as { properties?: Record<string, { description?: string }>; [k: string]: unknown }
      for (const [k, v] of Object.entries(n.properties ?? {})) if (!v.description) missing.push(`${at}.${k}`)
      for (const [k, v] of Object.entries(n)) if (typeof v === 'object') walk(v, `${at}.${k}`)
    }
    walk(schema, '$')
    expect(missing).toEqual([])
  })

  it("validates the README's example settings file", () => {
    const readme = readFileSync('README.md', 'utf8')
    const example = /## Settings[\s\S]*?```yaml\n# \.github\/preflight\.yml\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(example).toBeDefined()
    const ok = new Ajv({ strict: false }).validate(schema, parse(example!))
    expect(ok).toBe(true)
    expect(parseSettingsText(example!, FILE, { ruleIds: ALL_RULES.map((r) => r.id) }).warnings).toEqual([])
  })
})
