/**
 * Incremental text hygiene for speech: drops markup the engine would read aloud and keeps words.
 *
 * - SSML/HTML/XML tags (`<speak>`, `<break time="1s"/>`, `</p>`, `<!-- … -->`) become a space; a
 *   `<` not followed by a letter, `/`, `!` or `?` ("3 < 5") is kept as text, and so is a would-be
 *   tag that has no `>` within {@link MAX_TAG_LENGTH} characters or before the end.
 * - Fenced code blocks (```` ``` ```` … ```` ``` ````, language tag included) are dropped whole:
 *   spoken code helps nobody. Inline backticks are removed, their content kept.
 * - Markdown emphasis and heading markers (`*`, `_`, `#`, `~`), which eSpeak would pronounce
 *   ("asterisk", "hash"), are removed, and so are emoji.
 * - Character entities (`&amp;`, `&lt;`, `&#8217;`, `&#x2014;`, `&nbsp;` …) are decoded.
 * - Line breaks stay `\n` (the sentence splitter treats them as boundaries); every other run of
 *   whitespace becomes a single space later, in the splitter.
 *
 * The output does not depend on how the input is cut into pieces: a piece that ends in the middle
 * of a construct (`<brea`, two backticks, `&am`) is held back until the next piece or
 * {@link TextCleaner.end} decides it. Whole-string and streamed input therefore give the same text.
 *
 * @internal
 * @module
 */

/** A `<` with no `>` within this many characters is text, not a tag. */
export const MAX_TAG_LENGTH = 400;
/** Longest entity we decode, `&` and `;` included (`&#x10FFFF;`). */
const MAX_ENTITY_LENGTH = 10;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
};

const DROPPED =
  /[*_#~]|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u{FE0F}|\u{200D}|\u{20E3}/u;
const TAG_START = /[A-Za-z/!?]/;
const ENTITY = /^&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});/;

/** Cleans text pieces as they arrive. @internal */
export class TextCleaner {
  #pending = '';
  #inFence = false;

  /**
   * Adds a piece of raw text.
   * @returns the cleaned text that is now decided (possibly empty).
   */
  push(piece: string): string {
    this.#pending += piece;
    return this.#drain(false);
  }

  /** Ends the input: decides whatever was held back. */
  end(): string {
    const out = this.#drain(true);
    this.#pending = '';
    this.#inFence = false;
    return out;
  }

  #drain(final: boolean): string {
    const text = this.#pending;
    let out = '';
    let i = 0;
    while (i < text.length) {
      if (this.#inFence) {
        const close = text.indexOf('```', i);
        if (close < 0) {
          // Keep a possible partial closing fence; drop the rest of the code.
          i = final ? text.length : Math.max(i, text.length - 2);
          break;
        }
        this.#inFence = false;
        i = close + 3;
        out += ' ';
        continue;
      }
      const char = text[i]!;
      if (char === '`') {
        if (!final && i + 3 > text.length && text.slice(i) === '`'.repeat(text.length - i)) break;
        if (text.startsWith('```', i)) {
          this.#inFence = true;
          i += 3;
          continue;
        }
        i++;
        continue;
      }
      if (char === '<') {
        if (i + 1 >= text.length && !final) break;
        const next = text[i + 1];
        if (next !== undefined && TAG_START.test(next)) {
          const close = text.indexOf('>', i + 1);
          if (close >= 0 && close - i <= MAX_TAG_LENGTH) {
            out += ' ';
            i = close + 1;
            continue;
          }
          if (close < 0 && !final && text.length - i <= MAX_TAG_LENGTH) break;
        }
        out += char;
        i++;
        continue;
      }
      if (char === '&') {
        const match = ENTITY.exec(text.slice(i, i + MAX_ENTITY_LENGTH + 1));
        if (match) {
          out += decodeEntity(match[1]!, match[0]);
          i += match[0].length;
          continue;
        }
        if (!final && text.length - i < MAX_ENTITY_LENGTH && /^&[#A-Za-z0-9]*$/.test(text.slice(i))) break;
        out += char;
        i++;
        continue;
      }
      const codePoint = text.codePointAt(i)!;
      // Half of a surrogate pair: wait for the other half, it may be an emoji to drop.
      if (codePoint >= 0xd800 && codePoint <= 0xdbff && i + 1 >= text.length && !final) break;
      const symbol = String.fromCodePoint(codePoint);
      i += symbol.length;
      if (symbol === '\r') continue;
      if (DROPPED.test(symbol)) continue;
      out += symbol === '\n' || !/\s/.test(symbol) ? symbol : ' ';
    }
    this.#pending = text.slice(i);
    return out;
  }
}

function decodeEntity(body: string, whole: string): string {
  if (body.startsWith('#')) {
    const code =
      body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    if (code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) {
      const decoded = String.fromCodePoint(code);
      return DROPPED.test(decoded) ? '' : decoded;
    }
    return ' ';
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
}
