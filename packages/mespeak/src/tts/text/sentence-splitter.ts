/**
 * Incremental sentence splitting of cleaned text (see `TextCleaner`).
 *
 * A sentence ends
 * - after a run of `.`, `!`, `?` or `…` (plus closing quotes or brackets) that is followed by
 *   whitespace or by the end of the input — unless the run is a single `.` after a known
 *   abbreviation (`Dr.`, `e.g.`, `vs.` …) or a single-letter initial (`J. Smith`);
 * - at a line break;
 * - otherwise at {@link SentenceSplitter.maxChars}: the sentence is cut at the last clause mark
 *   (`,` `;` `:` `–` `—`) before the limit, else at the last space, else at the limit.
 *
 * Sentences come out with whitespace collapsed and trimmed; pieces without a letter or digit are
 * dropped. Boundaries depend only on the text up to one character past them, and the splitter
 * waits for that character, so any cutting of the input into pieces yields the same sentences.
 *
 * @internal
 * @module
 */

const TERMINATORS = new Set(['.', '!', '?', '…']);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '}', '»']);
const CLAUSE_MARKS = new Set([',', ';', ':', '–', '—']);
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'mt',
  'vs',
  'no',
  'fig',
  'approx',
  'dept',
  'inc',
  'ltd',
  'co',
  'e.g',
  'i.e',
  'cf',
  'al',
]);
const SPOKEN = /[\p{L}\p{N}]/u;
const WHITESPACE = /\s/;

/** Splits a stream of text into sentences. @internal */
export class SentenceSplitter {
  /** The longest sentence passed to the engine, in characters. */
  readonly maxChars: number;
  #buffer = '';

  /** @param maxChars - the longest sentence, ≥ 20 characters. */
  constructor(maxChars: number) {
    this.maxChars = maxChars;
  }

  /** Adds cleaned text; returns the sentences it completes. */
  push(text: string): string[] {
    this.#buffer += text;
    return this.#drain(false);
  }

  /** Ends the input; returns the remaining sentences. */
  end(): string[] {
    const sentences = this.#drain(true);
    this.#buffer = '';
    return sentences;
  }

  #drain(final: boolean): string[] {
    const sentences: string[] = [];
    for (;;) {
      const cut = this.#findBoundary(final);
      if (cut < 0) break;
      const sentence = normalize(this.#buffer.slice(0, cut));
      this.#buffer = this.#buffer.slice(cut);
      if (SPOKEN.test(sentence)) sentences.push(sentence);
      if (this.#buffer.length === 0) break;
    }
    return sentences;
  }

  /** The index to cut the buffer at, or -1 when more input is needed to decide. */
  #findBoundary(final: boolean): number {
    const text = this.#buffer;
    const length = text.length;
    const limit = Math.min(length, this.maxChars);
    for (let i = 0; i < limit; i++) {
      const char = text[i]!;
      if (char === '\n') return i + 1;
      if (!TERMINATORS.has(char)) continue;
      let end = i;
      while (end < length && TERMINATORS.has(text[end]!)) end++;
      while (end < length && CLOSERS.has(text[end]!)) end++;
      if (end === length) return final ? length : -1;
      if (WHITESPACE.test(text[end]!) && !(end === i + 1 && char === '.' && isAbbreviation(text, i))) {
        return end;
      }
      i = end - 1;
    }
    if (length > this.maxChars) return cutLongSentence(text, this.maxChars);
    return final && length > 0 ? length : -1;
  }
}

/** Whether the word ending just before the `.` at `dot` is an abbreviation or an initial. */
function isAbbreviation(text: string, dot: number): boolean {
  let start = dot;
  while (start > 0 && /[\p{L}.]/u.test(text[start - 1]!)) start--;
  const word = text.slice(start, dot).toLowerCase();
  if (word.length === 0) return false;
  if (word.length === 1 && /\p{Lu}/u.test(text[start]!)) return true;
  return ABBREVIATIONS.has(word);
}

function cutLongSentence(text: string, maxChars: number): number {
  let lastClause = -1;
  let lastSpace = -1;
  for (let i = 1; i < maxChars; i++) {
    if (!WHITESPACE.test(text[i]!)) continue;
    lastSpace = i;
    if (CLAUSE_MARKS.has(text[i - 1]!)) lastClause = i;
  }
  if (lastClause > 0) return lastClause;
  if (lastSpace > 0) return lastSpace;
  return maxChars;
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
