/**
 * Text written by the model (or taken from the PR) is rendered as data: no @mentions that would
 * notify people, no HTML comments that could forge our hidden markers, no raw HTML blocks.
 */
export function sanitizeModelText(text: string): string {
  return text
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<\/?(script|iframe|details|summary|img|a)\b[^<>]*>?/gi, '')
    .replace(/(^|[^\w`])@([A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9_.-]+)?)/g, '$1@\u200b$2')
}

/** Escapes text for a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}
