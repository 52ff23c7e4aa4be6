import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';

const CODE_FENCE = /```[\s\S]*?(```|$)|~~~[\s\S]*?(~~~|$)/gu;
const INLINE_CODE = /`([^`]*)`/gu;
const SSML_OR_HTML = /<\/?[a-zA-Z][^<>]*>|<!--[\s\S]*?-->/gu;
const QUOTES = /["“”„«»‹›「」『』]|(?<![\p{L}\p{N}])['‘’]|['‘’](?![\p{L}\p{N}])/gu;
const MARKUP = /[*_#>|\\[\]{}`~]+/gu;
const SPACES = /\s+/gu;

/**
 * Makes a listener's interjection safe and short to speak: removes code fences and inline code
 * markers, SSML/HTML tags, quotation marks (apostrophes inside words stay) and markdown markup,
 * collapses whitespace, and caps the length — cutting at a word boundary when one is near and
 * ending with `…` — so a model's output can never inject speech markup or run on under the
 * speaker.
 *
 * @param text - the raw interjection.
 * @param maxCharacters - the hard cap, ellipsis included, an integer ≥ 4.
 * @returns the clean text (possibly empty).
 * @throws {@link InvalidArgumentError} for a non-string text or a bad cap.
 * @example
 * ```ts
 * sanitizeInterjectionText('<speak>"Exactly!"</speak>', 40); // 'Exactly!'
 * sanitizeInterjectionText('Hold on, that figure is from a study that was later retracted', 32);
 * // 'Hold on, that figure is from a…'
 * ```
 */
export function sanitizeInterjectionText(text: string, maxCharacters: number): string {
  if (typeof text !== 'string') {
    throw new InvalidArgumentError('text', `expected a string, got ${typeof text}.`);
  }
  assertNumber('maxCharacters', maxCharacters, { min: 4, integer: true });
  const clean = text
    .replace(CODE_FENCE, ' ')
    .replace(INLINE_CODE, '$1')
    .replace(SSML_OR_HTML, ' ')
    .replace(QUOTES, '')
    .replace(MARKUP, ' ')
    .replace(SPACES, ' ')
    .trim();
  const characters = Array.from(clean);
  if (characters.length <= maxCharacters) return clean;
  const kept = characters.slice(0, maxCharacters - 1).join('');
  const space = kept.lastIndexOf(' ');
  const cut = space >= Math.floor(maxCharacters / 2) ? kept.slice(0, space) : kept;
  return `${cut.replace(/[\s,;:.!?-]+$/u, '')}…`;
}
