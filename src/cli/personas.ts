/** Personas for local runs: bundled ones plus a folder given on the command line or the repo's own. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { PersonaLoadResult } from '../types.js'
import { loadPersonaSet, type PersonaSource } from '../agents/loader.js'
import { readBundledPersonas, readPersonaDir } from '../agents/bundled.js'

const run = promisify(execFile)

export function loadLocalPersonas(dirs: string[]): PersonaLoadResult {
  const repository = dirs.flatMap((d) => readPersonaDir(d))
  return loadPersonaSet(readBundledPersonas(), repository)
}

/**
 * The repository's persona folders as they are at `ref` (the base of a review), so a change
 * cannot rewrite the persona that judges it.
 */
export async function readPersonasAtRef(repo: string, ref: string, dirs: string[]): Promise<PersonaSource[]> {
  const out: PersonaSource[] = []
  for (const dir of dirs) {
    let listing: string
    try {
      listing = (await run('git', ['-C', repo, 'ls-tree', '-r', '--name-only', ref, '--', dir], { maxBuffer: 16 * 1024 * 1024 })).stdout
    } catch {
      continue
    }
    for (const path of listing.split('\n').filter((p) => p.endsWith('.md')).sort()) {
      try {
        const text = (await run('git', ['-C', repo, 'show', `${ref}:${path}`], { maxBuffer: 16 * 1024 * 1024 })).stdout
        out.push({ path, text })
      } catch (e) {
        out.push({ path, text: '' })
        void e
      }
    }
  }
  return out
}
