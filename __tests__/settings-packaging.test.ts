/** Packaging hygiene: engines, no unused production dependency, licence files that match the bundle. */
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string }; dependencies: Record<string, string>; license: string }

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : []
  })
}

describe('packaging', () => {
  it('declares Node >= 22, what the bundled content-type needs', () => {
    expect(pkg.engines.node).toBe('>=22')
    const contentType = JSON.parse(readFileSync('node_modules/content-type/package.json', 'utf8')) as { engines?: { node?: string } }
    const needs = Number(/(\d+)/.exec(contentType.engines?.node ?? '0')?.[1])
    expect(Number(/(\d+)/.exec(pkg.engines.node)?.[1])).toBeGreaterThanOrEqual(needs)
  })

  it('every production dependency is imported by the source', () => {
    const text = sources('src').map((f) => readFileSync(f, 'utf8')).join('\n')
    const unused = Object.keys(pkg.dependencies).filter((d) => !text.includes(`'${d}'`) && !text.includes(`'${d}/`))
    expect(unused).toEqual([])
  })

  it('ships an Apache-2.0 LICENSE and third-party notices that match the bundle', () => {
    expect(pkg.license).toBe('Apache-2.0')
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/Apache License\s+Version 2\.0/)
    const check = spawnSync(process.execPath, ['scripts/notices.mjs', '--check'], { encoding: 'utf8' })
    expect(check.stderr).toBe('')
    expect(check.status).toBe(0)
    const notices = readFileSync('THIRD_PARTY_NOTICES', 'utf8')
    for (const dep of ['yaml', 'ajv', '@anthropic-ai/sdk', 'picomatch']) expect(notices).toMatch(new RegExp(`^- ${dep.replace('/', '\\/')} `, 'm'))
  })
})
