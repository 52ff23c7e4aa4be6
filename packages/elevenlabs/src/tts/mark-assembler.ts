/** A word or sentence found in the alignment, in absolute utterance time. @internal */
export interface AssembledMark {
  kind: 'word' | 'sentence';
  text: string;
  offsetMs: number;
  durationMs: number;
}

const WHITESPACE = /\s/u;
const SENTENCE_END = /[.!?…。！？]["'”’»)\]]*$/u;

interface OpenSpan {
  text: string;
  startMs: number;
  endMs: number;
}

/**
 * Turns character alignment into word and sentence marks, across chunk boundaries.
 *
 * Characters arrive with absolute start and end times (ms from the utterance's first sample). A
 * word is a run of non-whitespace characters; it is complete when whitespace follows or — when the
 * sent text is known (`hint`) — when the characters reach the end of a word of the sent text, so a
 * word at the end of a chunk completes without waiting for the next chunk. A sentence is a run of
 * words ending with `.`, `!`, `?` or `…` (or the end of the utterance).
 *
 * Times are made monotone: a word never starts before the previous one ended.
 * @internal
 */
export class MarkAssembler {
  #word: OpenSpan | undefined;
  #sentence: OpenSpan | undefined;
  #lastEndMs = 0;
  /** The text sent so far, for completing words early; `undefined` once it stops matching. */
  #hint: string | undefined = '';
  #hintIndex = 0;

  /** Appends sent text (pieces ending with whitespace) to the completion hint. */
  addSentText(text: string): void {
    if (this.#hint !== undefined) this.#hint += text;
  }

  /** Stops using the sent text as a hint (for normalized alignment, which differs from it). */
  disableHint(): void {
    this.#hint = undefined;
  }

  /** Start of the word still open (not known to be complete), in ms; `undefined` when none. */
  get pendingStartMs(): number | undefined {
    return this.#word?.startMs;
  }

  /**
   * Adds one aligned character.
   * @param char - the character (one UTF-16 unit or a whole grapheme).
   * @param startMs - absolute start in ms.
   * @param endMs - absolute end in ms (≥ start).
   * @param out - receives the marks this character completes.
   */
  push(char: string, startMs: number, endMs: number, out: AssembledMark[]): void {
    if (char.length === 0) return;
    if (WHITESPACE.test(char)) {
      if (this.#word) this.#completeWord(out);
      return;
    }
    if (this.#word) {
      this.#word.text += char;
      this.#word.endMs = Math.max(this.#word.endMs, endMs);
    } else {
      const start = Math.max(startMs, this.#lastEndMs);
      this.#word = { text: char, startMs: start, endMs: Math.max(start, endMs) };
    }
    if (this.#hint !== undefined) this.#matchHint(char, out);
  }

  /** Completes whatever is open (end of the utterance). */
  finish(out: AssembledMark[]): void {
    if (this.#word) this.#completeWord(out);
    if (this.#sentence) this.#completeSentence(out);
  }

  #matchHint(char: string, out: AssembledMark[]): void {
    const hint = this.#hint!;
    let index = this.#hintIndex;
    while (index < hint.length && WHITESPACE.test(hint[index]!)) index++;
    if (hint.startsWith(char, index)) {
      index += char.length;
      this.#hintIndex = index;
      if (index >= hint.length || WHITESPACE.test(hint[index]!)) this.#completeWord(out);
    } else if (index < hint.length) {
      // The spoken characters differ from the sent text: rely on whitespace from here on.
      this.#hint = undefined;
    }
    // index === hint.length without a match: the server is ahead of what we know was sent.
  }

  #completeWord(out: AssembledMark[]): void {
    const word = this.#word!;
    this.#word = undefined;
    this.#lastEndMs = word.endMs;
    out.push({
      kind: 'word',
      text: word.text,
      offsetMs: word.startMs,
      durationMs: word.endMs - word.startMs,
    });
    if (this.#sentence) {
      this.#sentence.text += ` ${word.text}`;
      this.#sentence.endMs = word.endMs;
    } else {
      this.#sentence = { ...word };
    }
    if (SENTENCE_END.test(word.text)) this.#completeSentence(out);
  }

  #completeSentence(out: AssembledMark[]): void {
    const sentence = this.#sentence!;
    this.#sentence = undefined;
    out.push({
      kind: 'sentence',
      text: sentence.text,
      offsetMs: sentence.startMs,
      durationMs: sentence.endMs - sentence.startMs,
    });
  }
}
