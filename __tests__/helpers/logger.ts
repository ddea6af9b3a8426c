/** A logger that records what library code says, for assertions. */
import type { Logger } from '../../src/github/client.js'

export interface RecordingLogger extends Logger {
  lines: { level: 'info' | 'warning' | 'error' | 'debug'; message: string }[]
  text(level?: 'info' | 'warning' | 'error' | 'debug'): string
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = []
  const at = (level: RecordingLogger['lines'][number]['level']) => (message: string) => void lines.push({ level, message })
  return {
    lines,
    info: at('info'),
    warning: at('warning'),
    error: at('error'),
    debug: at('debug'),
    text: (level) =>
      lines
        .filter((l) => !level || l.level === level)
        .map((l) => l.message)
        .join('\n')
  }
}
