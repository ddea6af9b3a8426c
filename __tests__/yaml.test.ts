import { parseYaml, getIn, toPlain, ParseError } from '../src/rules/parse/yaml.js'

describe('parseYaml', () => {
  it('keeps line numbers across documents', () => {
    const y = parseYaml('a: 1\n---\nkind: Pod\nspec:\n  x: 2\n')
    expect(y.docs).toHaveLength(2)
    expect(y.lineOf(getIn(y.docs[1].contents, ['spec', 'x']))).toBe(5)
  })
  it('reports syntax errors with a line', () => {
    expect(() => parseYaml('a: [1, 2\nb: 3\n')).toThrow(ParseError)
  })
  it('refuses alias bombs', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (let i = 0; i < 8; i++) bomb.push(`${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(9).fill('*' + 'abcdefghij'[i]).join(',')}]`)
    const y = parseYaml(bomb.join('\n'))
    expect(() => toPlain(y.docs[0])).toThrow(ParseError)
  })
})
