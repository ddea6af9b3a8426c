/** Routing: which personas review a change, and why. (Filled in by the persona work.) */
import type { FileKind, Persona, RoutedAgent } from '../types.js'

export interface RouteInput {
  files: { path: string; kind: FileKind }[]
  title: string
  body: string
  labels: string[]
  /** Added lines of the diff, joined; keywords are matched here too. */
  addedText: string
}

export interface RouteOptions {
  maxAgents: number
  /** Names or aliases to use regardless of triggers (the `agents` input, `/agent x`). */
  forced: string[]
}

export interface RouteResult {
  agents: RoutedAgent[]
  warnings: string[]
}

export function routeAgents(_personas: Persona[], _input: RouteInput, _options: RouteOptions): RouteResult {
  return { agents: [], warnings: [] }
}
