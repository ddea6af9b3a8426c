/** withLoopHeld: holds one timer while the work runs, releases it however the work ends. */
import { withLoopHeld } from '../src/util/event-loop.js'

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

describe('withLoopHeld', () => {
  it('holds a timer while the work runs and returns its value', async () => {
    const before = timers()
    let during = -1
    const value = await withLoopHeld(async () => {
      await Promise.resolve()
      during = timers()
      return 42
    })
    expect(value).toBe(42)
    expect(during).toBe(before + 1)
    expect(timers()).toBe(before)
  })

  it('releases the timer when the work fails, and passes the failure on', async () => {
    const before = timers()
    await expect(
      withLoopHeld(async () => {
        throw new Error('broken file')
      })
    ).rejects.toThrow('broken file')
    expect(timers()).toBe(before)
  })

  it('lets a process whose work never settles end once the hold lapses', async () => {
    const { spawnSync } = await import('node:child_process')
    const { resolve } = await import('node:path')
    // The bundled helper is not built for tests: run the TypeScript source through the same esbuild the bundle uses.
    const { buildSync } = await import('esbuild')
    const out = buildSync({ entryPoints: [resolve('src/util/event-loop.ts')], bundle: true, write: false, format: 'esm', platform: 'node' }).outputFiles[0]!.text
    const script = `${out.replace(/export\s*\{[^}]*\};?\s*$/, '')}\nawait withLoopHeld(() => new Promise(() => {}), 200)\n`
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 })
    // Node ends a module whose top-level await can never settle with exit code 13.
    expect(run.signal).toBeNull()
    expect(run.status).toBe(13)
  })
})
