/**
 * Redaction: every secret is masked wherever it would be echoed (comments, summary, plan, logs,
 * JSON, the model's prompt). Keeps a short prefix so a reader can tell which secret it was.
 * (Filled in by the secrets work.)
 */
export function maskSecret(value: string): string {
  return value
}

/** Masks known secret values and anything that looks like a credential. */
export function redact(text: string, _knownSecrets: readonly string[] = []): string {
  return text
}
