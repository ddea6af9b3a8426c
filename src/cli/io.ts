/** What a CLI command may touch: its output streams, the environment it was given, the clock. */
export interface CliIo {
  stdout: (text: string) => void
  /** Bytes to stdout, when the host can take them: a large output encoded once, not by the stream. */
  stdoutBytes?: (bytes: Uint8Array) => void
  stderr: (text: string) => void
  env: Record<string, string | undefined>
  cwd: string
  /** Whether stdout is a terminal: text output there, JSON when piped (unless --format says). */
  stdoutIsTTY?: boolean
}

/** Bad usage or input: one line on stderr, exit 2. The message names the fix. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export const EXIT = { ok: 0, failOn: 1, usage: 2 } as const
