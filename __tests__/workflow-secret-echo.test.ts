/**
 * workflow/secret-echoed on long script lines: each `echo`/`printf` is read once, so the time
 * grows with the length of the line, not with its square (a line of 40,000 `echo ` words took
 * seconds when every match scanned to the end of the line).
 */
import { analyzeWorkflow } from '../src/rules/workflow/index.js'
import { growthRatio } from './helpers/growth.js'

/** A push workflow whose one step, given the secret S in its env, runs `line` (secret-free), then echoes S. */
const withRun = (line: string): string =>
  `name: ci\non: push\npermissions:\n  contents: read\njobs:\n  b:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - env:\n          S: \${{ secrets.S }}\n        run: |\n          ${line}\n          echo "$S"\n`

const echoed = (content: string): number =>
  analyzeWorkflow({ path: '.github/workflows/ci.yml', kind: 'workflow', content }).filter((f) => f.ruleId === 'workflow/secret-echoed').length

describe('secret-echoed on long lines', () => {
  const shapes: [string, (n: number) => string][] = [
    // The reviewer's shape: one echo whose words are echo after echo.
    ['echo words', (n) => withRun('echo '.repeat(n))],
    // Many commands in backquotes: whether each is captured is counted along the line once.
    ['backquoted echoes', (n) => withRun('x=`echo a`; '.repeat(n))],
    // Many commands each piped to the next.
    ['pipes', (n) => withRun('echo a | '.repeat(n) + 'cat')],
    // Many continued lines joined into one.
    ['continuations', (n) => withRun('echo a \\\n          '.repeat(n) + 'a')]
  ]

  it.each(shapes)('%s: still reported', (_, make) => {
    expect(echoed(make(50))).toBe(1)
  })

  it.each(shapes)('%s: grows linearly', async (_, make) => {
    const [small, large] = [make(5000), make(10000)]
    expect(await growthRatio(() => echoed(small), () => echoed(large))).toBeLessThanOrEqual(3)
  })
})
