import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { MAX_QUESTION_CHARS, editDistance, normalizeName, parseAgentCommand, suggestPersona } from '../src/agents/command.js'
import { isBotAuthor, readCommandTrigger } from '../src/modes/command.js'
import { loadPersonaSet } from '../src/agents/loader.js'
import { readBundledPersonas } from '../src/agents/bundled.js'
import type { IssueCommentPayload } from '../src/modes/event.js'

describe('parseAgentCommand', () => {
  it.each([
    ['/agent sre', { kind: 'run', name: 'sre' }],
    ['/agent SRE', { kind: 'run', name: 'sre' }],
    ['  /agent   architect   what happens if the primary database fails?  ', { kind: 'run', name: 'architect', question: 'what happens if the primary database fails?' }],
    ['/agent @sre, please', { kind: 'run', name: 'sre', question: 'please' }],
    ['/agent scale_surgeon', { kind: 'run', name: 'scale-surgeon' }],
    ['/agent', { kind: 'help' }],
    ['/agent   ', { kind: 'help' }],
    ['/agent help', { kind: 'help' }],
    ['/agent LIST me everything', { kind: 'help' }],
    ['/agent 🚀', { kind: 'invalid', token: '🚀' }],
    ['/agent `!`', { kind: 'invalid', token: '!' }]
  ])('%j', (body, expected) => {
    expect(parseAgentCommand(body)).toEqual(expected)
  })

  it('takes the question across the following lines, with CRLF line ends normalized', () => {
    expect(parseAgentCommand('Thanks!\r\n/agent architect what if\r\nthe region goes down?\r\n\r\nAnd the DB?')).toEqual({
      kind: 'run',
      name: 'architect',
      question: 'what if\nthe region goes down?\n\nAnd the DB?'
    })
  })

  it('the first command line wins; text before it is not part of the question', () => {
    expect(parseAgentCommand('see below\n/agent sre one\n/agent architect two')).toEqual({ kind: 'run', name: 'sre', question: 'one\n/agent architect two' })
  })

  it.each([
    ['no command here', undefined],
    ['please run /agent sre', undefined],
    ['> /agent sre', undefined],
    ['/agents sre', undefined],
    ['/agentsre', undefined],
    ['```\n/agent sre\n```', undefined],
    ['~~~md\n/agent sre\n~~~\n', undefined]
  ])('%j holds no command', (body, expected) => {
    expect(parseAgentCommand(body)).toBe(expected)
  })

  it('finds a command after a closed code fence', () => {
    expect(parseAgentCommand('```\n/agent devops\n```\n/agent sre')).toEqual({ kind: 'run', name: 'sre' })
  })

  it('non-string bodies are "no command"', () => {
    expect(parseAgentCommand(undefined)).toBeUndefined()
    expect(parseAgentCommand(null)).toBeUndefined()
    expect(parseAgentCommand(42)).toBeUndefined()
  })

  it('caps the question', () => {
    const cmd = parseAgentCommand(`/agent sre ${'x'.repeat(MAX_QUESTION_CHARS * 2)}`)
    expect(cmd).toMatchObject({ kind: 'run', name: 'sre' })
    expect(cmd?.kind === 'run' && cmd.question?.length).toBe(MAX_QUESTION_CHARS)
  })

  it('property: any string gives a command or nothing, never a throw; names are lower-case [a-z0-9-]', () => {
    const lines = fc.array(
      fc.oneof(fc.string(), fc.constantFrom('/agent', '/agent ', '```', '> /agent sre', '/agent help'), fc.string().map((s) => `/agent ${s}`)),
      { maxLength: 6 }
    )
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), lines.map((l) => l.join('\n'))), (body) => {
        const cmd = parseAgentCommand(body)
        if (cmd === undefined) return
        expect(['help', 'run', 'invalid']).toContain(cmd.kind)
        if (cmd.kind === 'run') {
          expect(cmd.name).toMatch(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/)
          expect(cmd.name.length).toBeLessThanOrEqual(64)
          if (cmd.question !== undefined) {
            expect(cmd.question.length).toBeGreaterThan(0)
            expect(cmd.question.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS)
          }
        }
        if (cmd.kind === 'invalid') expect(cmd.token).not.toContain('`')
      }),
      { numRuns: 2000 }
    )
  })

  it('normalizeName', () => {
    expect(normalizeName('@Infra_Architect!')).toBe('infra-architect')
    expect(normalizeName('---')).toBe('')
    expect(normalizeName('a'.repeat(63) + '-b')).toBe('a'.repeat(63))
  })
})

describe('did you mean', () => {
  const { personas } = loadPersonaSet(readBundledPersonas(), [])

  it.each([
    ['sr', 'sre', 'devops-sre-platform'],
    ['sree', 'sre', 'devops-sre-platform'],
    ['rse', 'sre', 'devops-sre-platform'],
    ['arch', 'architect', 'infra-architect'],
    ['architcet', 'architect', 'infra-architect'],
    ['devosp', 'devops', 'devops-engineer'],
    ['reliabilty', 'reliability', 'infrastructure-reliability-engineer'],
    ['scle', 'scale', 'infrastructure-scale-surgeon']
  ])('%s → %s', (typed, matched, persona) => {
    expect(suggestPersona(typed, personas)).toMatchObject({ matched, persona: { name: persona } })
  })

  it.each(['kubernetes', 'x', 'database-admin', ''])('%j has no close match', (typed) => {
    expect(suggestPersona(typed, personas)).toBeUndefined()
  })

  it('editDistance counts an adjacent swap as one edit and stops past the limit', () => {
    expect(editDistance('sre', 'sre')).toBe(0)
    expect(editDistance('sr', 'sre')).toBe(1)
    expect(editDistance('rse', 'sre')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('abcdefgh', 'zzzzzzzz', 2)).toBe(3)
  })
})

describe('readCommandTrigger', () => {
  const base = (over: Partial<IssueCommentPayload> = {}, comment: Partial<NonNullable<IssueCommentPayload['comment']>> = {}): IssueCommentPayload => ({
    action: 'created',
    issue: { number: 7, pull_request: { url: 'x' } },
    comment: { id: 99, body: '/agent sre why?', user: { login: 'Alice', type: 'User' }, author_association: 'OWNER', ...comment },
    ...over
  })
  const BOT = 'github-actions[bot]'

  it('a new PR comment with the command', () => {
    expect(readCommandTrigger(base(), BOT)).toEqual({
      command: { kind: 'run', name: 'sre', question: 'why?' },
      commentId: 99,
      pullNumber: 7,
      login: 'Alice',
      association: 'OWNER'
    })
  })

  it.each([
    ['edited', base({ action: 'edited' }), /new comments only/],
    ['deleted', base({ action: 'deleted' }), /new comments only/],
    ['plain issue', base({ issue: { number: 7 } }), /not on a pull request/],
    ['no command', base({}, { body: 'LGTM' }), /no \/agent command/],
    ['App', base({}, { user: { login: 'renovate', type: 'Bot' } }), /bots/],
    ['[bot] login', base({}, { user: { login: 'dependabot[bot]', type: 'User' } }), /bots/],
    ['our own login', base({}, { user: { login: 'Preflight-Bot', type: 'User' } }), /bots/]
  ])('%s is ignored', (_what, payload, why) => {
    const t = readCommandTrigger(payload, _what === 'our own login' ? 'preflight-bot' : BOT)
    expect('ignore' in t && t.ignore).toMatch(why)
  })

  it('isBotAuthor', () => {
    expect(isBotAuthor({ login: 'github-actions[bot]', type: 'Bot' }, BOT)).toBe(true)
    expect(isBotAuthor({ login: 'octocat', type: 'User' }, BOT)).toBe(false)
    expect(isBotAuthor(undefined, BOT)).toBe(false)
  })
})
