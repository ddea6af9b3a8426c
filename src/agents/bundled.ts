/**
 * Reading persona files from disk: the bundled ones shipped in the project's `agents/` folder,
 * and any local folder (the CLI's `--agents-dir`). Files that cannot be read become sources with
 * a `readError`, which the loader reports; nothing here throws for one bad file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MAX_PERSONA_BYTES, type PersonaSource } from './loader.js'

/**
 * The first directory at or above `startDir` that holds an `agents/` folder next to an
 * `action.yml` or a `package.json`. Works from `src/agents/` (tests) and from `dist/` (bundle).
 */
export function findProjectRoot(startDir: string): string | undefined {
  let dir = resolve(startDir)
  for (;;) {
    const marker = existsSync(join(dir, 'action.yml')) || existsSync(join(dir, 'package.json'))
    if (marker && isDirectory(join(dir, 'agents'))) return dir
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** The bundled personas, with paths like `agents/devops-sre-platform.md`. */
export function readBundledPersonas(moduleUrl: string = import.meta.url): PersonaSource[] {
  const start = dirname(fileURLToPath(moduleUrl))
  const root = findProjectRoot(start)
  if (!root) throw new Error(`bundled personas not found: no agents/ folder beside an action.yml or package.json above ${start}`)
  return readPersonaDir(join(root, 'agents'), root)
}

/**
 * The `.md` files directly in `dir`, sorted by name. Paths are relative to `relativeTo` when
 * given (with `/`), else `dir` joined with the file name. A missing folder gives no sources.
 */
export function readPersonaDir(dir: string, relativeTo?: string): PersonaSource[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const sources: PersonaSource[] = []
  for (const name of names.filter((n) => n.toLowerCase().endsWith('.md')).sort()) {
    const full = join(dir, name)
    const path = (relativeTo === undefined ? full : relative(relativeTo, full)).split(sep).join('/')
    sources.push(readSource(full, path))
  }
  return sources
}

function readSource(full: string, path: string): PersonaSource {
  try {
    const stat = statSync(full)
    if (!stat.isFile()) return { path, text: '', readError: 'not a regular file' }
    if (stat.size > MAX_PERSONA_BYTES) return { path, text: '', readError: `too large (${stat.size} bytes; the limit is ${MAX_PERSONA_BYTES})` }
    return { path, text: readFileSync(full, 'utf8') }
  } catch (error) {
    const code = (error as { code?: string }).code
    return { path, text: '', readError: code ?? (error instanceof Error ? error.message : 'unreadable') }
  }
}
