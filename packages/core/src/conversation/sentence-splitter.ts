/**
 * Cuts a stream of text deltas into complete sentences: a sentence ends at `.`, `!`, `?` or `…`
 * (optionally followed by closing quotes or brackets) followed by whitespace; the rest is held
 * until more text arrives or the stream ends.
 * @internal
 */
export class SentenceSplitter {
  private buffer = '';

  /** Adds a delta; returns the sentences it completed. */
  push(delta: string): string[] {
    this.buffer += delta;
    const sentences: string[] = [];
    const boundary = /[.!?…]+["'”’)\]]*\s+/gu;
    let start = 0;
    for (let match = boundary.exec(this.buffer); match !== null; match = boundary.exec(this.buffer)) {
      const end = match.index + match[0].length;
      const sentence = cleanSpokenText(this.buffer.slice(start, end));
      if (sentence.length > 0) sentences.push(sentence);
      start = end;
    }
    this.buffer = this.buffer.slice(start);
    return sentences;
  }

  /**
   * The stream broke off: returns what is held only if it is a whole sentence (it ends with
   * sentence punctuation); a fragment is dropped.
   */
  flushComplete(): string[] {
    const rest = cleanSpokenText(this.buffer);
    this.buffer = '';
    return /[.!?…]["'”’)\]]*$/u.test(rest) ? [rest] : [];
  }

  /** Ends the stream; returns the last, unterminated sentence if any. */
  flush(): string[] {
    const rest = cleanSpokenText(this.buffer);
    this.buffer = '';
    return rest.length > 0 ? [rest] : [];
  }
}

/**
 * Makes model text speakable: drops code fences, SSML/HTML tags and markdown markup, collapses
 * whitespace.
 * @internal
 */
export function cleanSpokenText(text: string): string {
  return text
    .replace(/```[\s\S]*?(```|$)/gu, ' ')
    .replace(/<\/?[a-zA-Z][^<>]*>/gu, ' ')
    .replace(/[*_#`|\\]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}
