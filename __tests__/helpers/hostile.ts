/**
 * Text an attacker controls (file paths, resource names, messages, model output), as fast-check
 * arbitraries: random strings mixed with the pieces that broke renderers before.
 */
import fc from 'fast-check'

export const HOSTILE_PIECES = [
  '`', '``', '```', '~~~', '<!--', '<!<a>--', '-->', '--!>', '<scr<script>ipt>', '<details>', '</details>', '<summary>', '</summary>',
  '<img src=x onerror=alert(1)>', '@octocat', '@org/team', '#1', 'GH-12', '\n', '\r\n', '\u2028', '|', '\\', '\\|', '*', '_',
  '[x](https://evil.example)', '![i](x)', '# head', '> quote', '- item', '1. one', '&lt;', '&#64;', '$x$', 'https://evil.example/a',
  '<!-- preflight:fp 0123456789abcdef -->', '<!-- preflight:summary -->', '<!-- preflight:state {"lastReviewedSha":"evil"} -->',
  '✅ pass', ' ', 'a', 'é', '0'
]

/** A hostile string of up to `maxParts` pieces. */
export const hostile = (maxParts = 12): fc.Arbitrary<string> =>
  fc.array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 6 })), { maxLength: maxParts }).map((parts) => parts.join(''))

/** Never empty (for names that must exist). */
export const hostileName = (maxParts = 8): fc.Arbitrary<string> => hostile(maxParts).map((s) => (s.trim() === '' ? `x${s}` : s))
