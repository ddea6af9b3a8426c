/**
 * Finds every regular expression written in `src/**\/*.ts` with the TypeScript compiler API:
 * literals, and `new RegExp(…)` / `RegExp(…)` whose pattern can be worked out from the source.
 * Constant parts (string literals, templates, `+`, `const` identifiers across files, `[…].join()`,
 * `/re/.source`) are evaluated; any part that is only known at run time (a parameter, a call)
 * becomes the word PLACEHOLDER, so the shape around it is still checked. Such sites are flagged
 * `dynamic` so the test can check their real values through the builders that make them.
 */
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

export const PLACEHOLDER = 'name'

export interface RegexSite {
  /** `src/…/file.ts:line` */
  where: string
  source: string
  flags: string
  /** True when a part of the pattern was replaced by PLACEHOLDER. */
  dynamic: boolean
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
  )
}

/** Every regular expression of the TypeScript files under `root/srcDir`. */
export function regexSites(root: string, srcDir = 'src'): RegexSite[] {
  const files = tsFiles(join(root, srcDir))
  const program = ts.createProgram(files, { allowJs: false, noResolve: false, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext })
  const checker = program.getTypeChecker()
  const out: RegexSite[] = []

  /** The constant text of an expression, or undefined with `state.dynamic` set when unknown. */
  const evaluate = (node: ts.Expression, state: { dynamic: boolean }, depth = 0): string => {
    const unknown = (): string => {
      state.dynamic = true
      return PLACEHOLDER
    }
    if (depth > 20) return unknown()
    if (ts.isStringLiteralLike(node)) return node.text
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return evaluate(node.expression, state, depth + 1)
    if (ts.isTemplateExpression(node)) {
      return node.head.text + node.templateSpans.map((s) => evaluate(s.expression, state, depth + 1) + s.literal.text).join('')
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return evaluate(node.left, state, depth + 1) + evaluate(node.right, state, depth + 1)
    }
    if (ts.isRegularExpressionLiteral(node)) return splitLiteral(node.text).source
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'source') return evaluate(node.expression, state, depth + 1)
    if (ts.isNewExpression(node) && isRegExpCallee(node.expression) && node.arguments?.[0]) return evaluate(node.arguments[0], state, depth + 1)
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'join') {
      const target = resolve(node.expression.expression)
      const sep = node.arguments[0] ? evaluate(node.arguments[0], state, depth + 1) : ','
      if (target && ts.isArrayLiteralExpression(target) && target.elements.every((e) => !ts.isSpreadElement(e))) {
        return target.elements.map((e) => evaluate(e, state, depth + 1)).join(sep)
      }
      return unknown()
    }
    if (ts.isIdentifier(node)) {
      const init = resolve(node)
      return init ? evaluate(init, state, depth + 1) : unknown()
    }
    return unknown()
  }

  /** The initializer of a `const` an identifier names (following imports), if any. */
  const resolve = (node: ts.Expression): ts.Expression | undefined => {
    if (!ts.isIdentifier(node)) return node
    let symbol = checker.getSymbolAtLocation(node)
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
    const decl = symbol?.valueDeclaration
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined
    const list = decl.parent
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined
    return decl.initializer
  }

  for (const file of files) {
    const sf = program.getSourceFile(file)
    if (!sf) continue
    const rel = relative(root, file).split('\\').join('/')
    const add = (node: ts.Node, source: string, flags: string, dynamic: boolean): void => {
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf))
      out.push({ where: `${rel}:${line + 1}`, source, flags, dynamic })
    }
    const visit = (node: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(node)) {
        const { source, flags } = splitLiteral(node.text)
        add(node, source, flags, false)
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && isRegExpCallee(node.expression) && node.arguments?.[0]) {
        const [pattern, flagsArg] = node.arguments
        // `new RegExp(/literal/)` copies a literal that is already checked on its own.
        if (!ts.isRegularExpressionLiteral(pattern)) {
          const state = { dynamic: false }
          const source = evaluate(pattern, state)
          const flagState = { dynamic: false }
          const flags = flagsArg ? evaluate(flagsArg, flagState) : ''
          add(node, source, flagState.dynamic ? '' : flags, state.dynamic)
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(sf)
  }
  return out
}

function isRegExpCallee(node: ts.Expression): boolean {
  return ts.isIdentifier(node) && node.text === 'RegExp'
}

function splitLiteral(text: string): { source: string; flags: string } {
  const end = text.lastIndexOf('/')
  return { source: text.slice(1, end), flags: text.slice(end + 1) }
}
