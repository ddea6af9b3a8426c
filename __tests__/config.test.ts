import { parseConfig, ConfigError, meetsFailOn, list } from '../src/config.js'

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const c = parseConfig(reader({ 'github-token': 't' }))
    expect(c).toMatchObject({
      mode: 'auto',
      agents: [],
      agentsDirs: ['.github/agents', '.claude/agents'],
      maxAgents: 2,
      failOn: 'none',
      planPath: '.claude/doc/pr-{number}-{agent}.md',
      maxInputTokens: 60000,
      botLogin: 'github-actions[bot]',
      reviewDrafts: false,
      reviewEvent: 'COMMENT',
      shardIndex: 0,
      shardTotal: 1
    })
    expect(c.anthropicApiKey).toBeUndefined()
    expect(c.maxCostUsd).toBeUndefined()
  })

  it('parses lists, numbers and booleans', () => {
    const c = parseConfig(
      reader({ agents: 'SRE, architect', 'paths-ignore': 'docs/**\nexamples/**', 'max-agents': '3', 'max-cost-usd': '0.25', 'review-drafts': 'true', 'fail-on': 'HIGH' })
    )
    expect(c.agents).toEqual(['sre', 'architect'])
    expect(c.pathsIgnore).toEqual(['docs/**', 'examples/**'])
    expect(c.maxAgents).toBe(3)
    expect(c.maxCostUsd).toBe(0.25)
    expect(c.reviewDrafts).toBe(true)
    expect(c.failOn).toBe('high')
  })

  it.each([
    ['mode', 'sometimes', /Input 'mode': expected one of auto, review/],
    ['fail-on', 'severe', /Input 'fail-on'/],
    ['max-agents', 'two', /Input 'max-agents': expected a whole number/],
    ['max-agents', '0', /Input 'max-agents': expected a number from 1/],
    ['max-cost-usd', '-1', /Input 'max-cost-usd'/],
    ['review-drafts', 'maybe', /Input 'review-drafts': expected true or false/],
    ['plan-path', '../outside.md', /Input 'plan-path': must be a path inside the workspace/],
    ['shard-index', '4', /Input 'shard-index': must be below shard-total/]
  ])('rejects a bad %s with a message naming the input', (input, value, message) => {
    expect(() => parseConfig(reader({ [input]: value }))).toThrow(ConfigError)
    expect(() => parseConfig(reader({ [input]: value }))).toThrow(message)
  })
})

describe('fail-on', () => {
  it('compares severities', () => {
    expect(meetsFailOn('critical', 'high')).toBe(true)
    expect(meetsFailOn('high', 'high')).toBe(true)
    expect(meetsFailOn('medium', 'high')).toBe(false)
    expect(meetsFailOn('critical', 'none')).toBe(false)
  })
  it('splits lists on commas and newlines', () => {
    expect(list(' a, ,b\nc ')).toEqual(['a', 'b', 'c'])
  })
})
