/**
 * Static ReDoS check: every regular expression of `src/` (literals, constant `new RegExp(…)`, and
 * the shape of dynamic ones) goes through `recheck`, which proves a pattern linear or finds an
 * attack string that makes it backtrack super-linearly. A failure names file:line and the attack.
 * Dynamic patterns whose parts are regex sources (not escaped words) are also checked through the
 * builders that make them, over every value they are built from.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { check } from 'recheck'
import { regexSites, type RegexSite } from './helpers/regex-inventory.js'
import { TOKEN_PATTERNS, tokenRegex } from '../src/rules/secrets/patterns.js'
import { keywordPattern } from '../src/agents/recover.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Patterns already proven safe by this version of recheck: a proof depends only on the pattern,
 * so a re-run checks only what changed (a fresh checkout checks all, in a minute or two).
 */
const RECHECK_VERSION = (createRequire(import.meta.url)('recheck/package.json') as { version: string }).version
const CACHE_FILE = join(ROOT, 'node_modules', '.cache', 'preflight-redos', `recheck-${RECHECK_VERSION}-proofs.json`)
const provenSafe = new Set<string>(readCache())

function readCache(): string[] {
  try {
    const list: unknown = JSON.parse(readFileSync(CACHE_FILE, 'utf8'))
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

afterAll(() => {
  mkdirSync(dirname(CACHE_FILE), { recursive: true })
  writeFileSync(CACHE_FILE, JSON.stringify([...provenSafe].sort()))
})

/** `ok`, or why the pattern is not proven linear. */
async function verdict(source: string, flags: string): Promise<string> {
  const key = `/${source}/${flags}`
  if (provenSafe.has(key)) return 'ok'
  const why = await runCheck(source, flags)
  // Only a proof is cached: an attack that did not slow Node down this time is checked again
  // next time (a busy machine can hide a slowdown).
  if (why === PROVEN) provenSafe.add(key)
  return why === PROVEN || why === UNCONFIRMED ? 'ok' : why
}

const PROVEN = 'ok'
const UNCONFIRMED = 'attack not confirmed in Node'

async function runCheck(source: string, flags: string): Promise<string> {
  // A busy machine can time the checker out; a second, longer try separates slow from unsafe.
  for (const timeout of [10_000, 60_000]) {
    const d = await check(source, flags, { timeout, randomSeed: 1 })
    if (d.status === 'safe') return 'ok'
    if (d.status === 'vulnerable') {
      const confirmed = slowInNode(source, flags, d.attack)
      return confirmed ? `${d.complexity.type} backtracking, attack ${d.attack.pattern} (${confirmed})` : UNCONFIRMED
    }
    if (d.error.kind !== 'timeout') return `not checkable: ${d.error.kind}${'message' in d.error ? ` ${d.error.message}` : ''}`
  }
  return 'not proven linear within 60 s'
}

type Attack = Extract<Awaited<ReturnType<typeof check>>, { status: 'vulnerable' }>['attack']

/**
 * recheck's fuzzer runs patterns in its own matcher, which backtracks where V8's irregexp does
 * not always (a literal it can skip to, a lookahead it answers at once). An attack counts when
 * it also slows V8 down: doubling the pumped part of the string more than triples the time of a
 * global search. Returns the measured times when it does.
 */
function slowInNode(source: string, flags: string, attack: Attack): string | undefined {
  const pumped = attack.pumps.reduce((n, p) => n + p.pump.length, 0) || 1
  const build = (n: number): string => attack.pumps.map((p) => p.prefix + p.pump.repeat(n + p.bias)).join('') + attack.suffix
  const re = new RegExp(source, flags.includes('g') ? flags : `${flags}g`)
  // Best of five (fewer once a run is slow): the least disturbed run is the one that tells.
  const time = (text: string): number => {
    let best = Infinity
    for (let i = 0; i < 5 && (i === 0 || best < 200); i++) {
      const t0 = performance.now()
      text.replace(re, '')
      best = Math.min(best, performance.now() - t0)
    }
    return best
  }
  // Grow the string until the search takes measurable time (or is clearly fast at 160 KB).
  let n = Math.max(1, Math.floor(2_500 / pumped))
  let small = time(build(n))
  while (small < 10 && n * pumped < 80_000) {
    n *= 2
    small = time(build(n))
  }
  // Two rounds, small and large taking turns, so a burst of load on a shared machine cannot
  // fake (or hide) the growth: both rounds must show it.
  const rounds = [0, 1].map(() => {
    const s = Math.min(small, time(build(n)))
    const l = time(build(2 * n))
    small = s
    return { s, l, grows: l > 20 && l / Math.max(s, 1) > 3 }
  })
  const last = rounds[1]
  return rounds.every((r) => r.grows) ? `${last.s.toFixed(0)} ms → ${last.l.toFixed(0)} ms on doubling in Node` : undefined
}

/** Checks each distinct pattern once and lists every site of every unsafe one. */
async function unsafe(sites: RegexSite[]): Promise<string[]> {
  const bySource = new Map<string, RegexSite[]>()
  for (const s of sites) {
    const key = `/${s.source}/${s.flags}`
    bySource.set(key, [...(bySource.get(key) ?? []), s])
  }
  const queue = [...bySource]
  const out: string[] = []
  // Two checks at a time: the checker runs in its own process, and more only time each other out.
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, at] = next
      const why = await verdict(at[0].source, at[0].flags)
      if (why !== 'ok') out.push(`${at.map((s) => s.where).join(', ')}: ${key} — ${why}`)
    }
  }
  await Promise.all([worker(), worker()])
  return out.sort()
}

describe('regular expressions of src/', () => {
  const sites = regexSites(ROOT)

  it('finds the expressions (literals, constant and built patterns)', () => {
    expect(sites.length).toBeGreaterThan(300)
    // A constant assembled from parts in another module is evaluated, not skipped.
    expect(sites.some((s) => s.where.startsWith('src/rules/secrets.ts') && s.source.includes('(?<urlPass>') && !s.dynamic)).toBe(true)
    expect(sites.some((s) => s.dynamic)).toBe(true)
  })

  it('has no pattern that backtracks super-linearly', async () => {
    expect(await unsafe(sites)).toEqual([])
  }, 600_000)
})

describe('patterns built at run time', () => {
  it('every secret token pattern, as the scanner builds it, is linear', async () => {
    const built = TOKEN_PATTERNS.map((p, i) => {
      const re = tokenRegex(p)
      return { where: `src/rules/secrets/patterns.ts TOKEN_PATTERNS[${i}]`, source: re.source, flags: re.flags, dynamic: true }
    })
    expect(await unsafe(built)).toEqual([])
  }, 600_000)

  it('checklist keyword patterns are linear, whatever words a persona uses', async () => {
    const words = ['deploy', 'rollback plan', 'a.b*c+ (d)?', 'cost   estimate', '[x]|y']
    const built = words.map((w) => {
      const re = keywordPattern(w)
      return { where: `keywordPattern(${JSON.stringify(w)})`, source: re.source, flags: re.flags, dynamic: true }
    })
    expect(await unsafe(built)).toEqual([])
  }, 600_000)
})

describe('the checker itself', () => {
  it('reports a known quadratic pattern with its attack string', async () => {
    // The confirmation in Node is timed: right after the whole inventory was checked the machine
    // can still be busy, so the known case gets three tries.
    let line: string | undefined
    for (let i = 0; i < 3 && line === undefined; i++) [line] = await unsafe([{ where: 'example.ts:1', source: '\\s+#.*$', flags: '', dynamic: false }])
    expect(line).toMatch(/^example\.ts:1: .*polynomial backtracking, attack /)
  }, 120_000)
})
