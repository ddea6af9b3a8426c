/** Go-template conditions read with a chart's default values: what is known false, what stays unknown. */
import { describeCondition, readCondition, truthOf, variablesOf } from '../src/rules/helm/template-conditions.js'

const defaults = { feature: { enabled: false, list: [], name: 'x' }, agent: { on: true }, empty: {} }
const truth = (condition: string, bodies: string[] = []): boolean | undefined => truthOf(readCondition(condition, variablesOf(bodies)), defaults)

describe('condition truth with the defaults', () => {
  it('reads value paths with Go-template truth (false, empty lists and maps, missing keys are false)', () => {
    expect(truth('.Values.feature.enabled')).toBe(false)
    expect(truth('$.Values.feature.list')).toBe(false)
    expect(truth('.Values.empty')).toBe(false)
    expect(truth('.Values.feature.missing')).toBe(false)
    expect(truth('.Values.feature.name')).toBe(true)
  })

  it('combines not, empty, and, or and parentheses', () => {
    expect(truth('not (empty .Values.feature.list)')).toBe(false)
    expect(truth('and .Values.agent.on .Values.feature.enabled')).toBe(false)
    expect(truth('or .Values.feature.enabled (not .Values.agent.on)')).toBe(false)
    expect(truth('or .Values.feature.enabled .Values.agent.on')).toBe(true)
  })

  it('follows variables set once from a path or a condition', () => {
    const bodies = ['$f := .Values.feature', '$on := or $f.enabled (not (empty $f.list))']
    expect(truth('$on', bodies)).toBe(false)
    expect(truth('$f.name', bodies)).toBe(true)
  })

  it('leaves unknown what it does not read: other functions, pipelines, reassigned variables, a missing map on the way', () => {
    expect(truth('eq .Values.feature.name "x"')).toBeUndefined()
    expect(truth('.Values.feature.enabled | default true')).toBeUndefined()
    expect(truth('$on', ['$on := .Values.feature.enabled', '$on = true'])).toBeUndefined()
    expect(truth('.Values.nothing.here')).toBeUndefined()
    expect(truth('.Release.Name')).toBeUndefined()
    // An unknown part decides nothing unless the rest does.
    expect(truth('and .Values.feature.enabled (eq 1 1)')).toBe(false)
    expect(truth('or .Values.feature.enabled (eq 1 1)')).toBeUndefined()
    // A pipeline inside a parenthesis is unknown on its own; the rest may still decide.
    expect(truth('and (.Values.feature.enabled) (eq (.Values.feature.kind | default "" | lower) "disk") (not .Values.agent.off)')).toBe(false)
    expect(truth('and .Values.agent.on (eq (.Values.feature.kind | default "" | lower) "disk")')).toBeUndefined()
    expect(truth('or .Values.agent.on (.Values.feature.kind | default "x")')).toBe(true)
  })

  it('says what must be set for the condition to hold', () => {
    expect(describeCondition(readCondition('or .Values.a.b (not (empty .Values.c))', new Map()))).toBe('`a.b` or `c` is set')
    expect(describeCondition(readCondition('and .Values.a .Values.b', new Map()))).toBe('`a` and `b` are set')
    expect(describeCondition(readCondition('not .Values.rootless', new Map()))).toBe('`rootless` is empty')
    expect(describeCondition(readCondition('eq .Values.a "x"', new Map()))).toBeUndefined()
  })
})

describe('variables', () => {
  it('keeps a name declared once by itself, and forgets one declared again or bound by range', () => {
    const vars = variablesOf(['$a := .Values.x', '$b := .Values.y', '$b := .Values.z', 'range $i, $c := .Values.list', '$c := .Values.w', '$d := 1', '$d = 2'])
    expect(vars.get('a')).toBe('.Values.x')
    expect(vars.has('b') && vars.get('b')).toBeUndefined()
    expect(vars.has('c') && vars.get('c')).toBeUndefined()
    expect(vars.has('d') && vars.get('d')).toBeUndefined()
  })
})
