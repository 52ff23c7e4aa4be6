/** Options of {@link TextChunker}. @internal */
export interface TextChunkerOptions {
  /** A clause boundary (`,` `;` `:` dash) splits only once the piece is at least this long. */
  minClauseLength?: number;
  /** A piece longer than this with no boundary is split at its last space. */
  maxLength?: number;
}

/** Sentence-ending punctuation, possibly followed by closing quotes or brackets. */
const SENTENCE_END = /[.!?…。！？]["'”’»)\]]*$/u;
const CLAUSE_END = /[,;:—–]["'”’»)\]]*$/u;
const WHITESPACE = /\s/u;

/** A piece of text ready to send, and whether it completes a sentence. @internal */
export interface TextPiece {
  /** The text, ending with exactly one space. */
  text: string;
  /** Whether it ends a sentence (`.`, `!`, `?`, `…`). */
  sentenceEnd: boolean;
}

/**
 * Re-cuts a stream of text deltas (LLM tokens) into pieces that end at sentence or clause
 * boundaries, each ending with a single space as ElevenLabs asks. A boundary is punctuation
 * followed by whitespace, so `3.5` and `e.g.x` never split; a piece with no boundary is cut at a
 * space once it passes `maxLength`. Whitespace inside a piece is kept; leading whitespace of a piece
 * is dropped. Only whitespace between words changes: the words are exactly those of the input.
 * @internal
 */
export class TextChunker {
  readonly #minClauseLength: number;
  readonly #maxLength: number;
  #buffer = '';
  /** Index up to which the buffer has been scanned for boundaries. */
  #scanned = 0;

  constructor(options: TextChunkerOptions = {}) {
    this.#minClauseLength = options.minClauseLength ?? 40;
    this.#maxLength = options.maxLength ?? 250;
  }

  /** Adds a delta; returns the pieces it completes. */
  push(delta: string): TextPiece[] {
    if (delta.length === 0) return [];
    this.#buffer += delta;
    const pieces: TextPiece[] = [];
    const buffer = this.#buffer;
    let start = 0;
    // Skip leading whitespace of the next piece.
    while (start < buffer.length && WHITESPACE.test(buffer[start]!)) start++;
    for (let i = Math.max(this.#scanned, start + 1); i < buffer.length; i++) {
      if (!WHITESPACE.test(buffer[i]!) || WHITESPACE.test(buffer[i - 1]!)) continue;
      // buffer[i] is the first whitespace after a word: is the word's end a boundary?
      const candidate = buffer.slice(start, i);
      const sentenceEnd = SENTENCE_END.test(candidate);
      const clauseEnd =
        !sentenceEnd && CLAUSE_END.test(candidate) && candidate.length >= this.#minClauseLength;
      const tooLong = !sentenceEnd && !clauseEnd && i - start >= this.#maxLength;
      if (!sentenceEnd && !clauseEnd && !tooLong) continue;
      pieces.push({ text: `${candidate} `, sentenceEnd });
      start = i;
      while (start < buffer.length && WHITESPACE.test(buffer[start]!)) start++;
      i = start;
    }
    this.#buffer = buffer.slice(start);
    this.#scanned = this.#buffer.length;
    return pieces;
  }

  /** Ends the input; returns the last piece, if any text is left. */
  finish(): TextPiece[] {
    const rest = this.#buffer.trim();
    this.#buffer = '';
    this.#scanned = 0;
    return rest.length > 0 ? [{ text: `${rest} `, sentenceEnd: SENTENCE_END.test(rest) }] : [];
  }
}
