/**
 * A word or sentence boundary estimated from text and audio duration.
 * @internal
 */
export interface EstimatedMark {
  /** Boundary kind. */
  kind: 'word' | 'sentence';
  /** The word or sentence text. */
  text: string;
  /** Estimated start, ms from the first sample. */
  offsetMs: number;
  /** Estimated length, ms. */
  durationMs: number;
}

/** A word that ends a sentence: terminal punctuation, then optional closing quotes or brackets. */
const SENTENCE_END = /[.!?…。！？]+["'”’)\]»]*$/u;

/**
 * Estimates word and sentence marks for text spoken over `durationMs` of audio: each word's
 * offset and length are proportional to its character position and length in the text (from
 * its first to its last non-space character). Sentences end at words ending in `.`, `!`, `?`,
 * `…` (or CJK 。！？), optionally followed by closing quotes or brackets. Marks come in playback
 * order, each sentence before its first word; offsets never decrease and every mark ends within
 * `durationMs`.
 * @internal
 */
export function estimateMarks(text: string, durationMs: number): EstimatedMark[] {
  const words = [...text.matchAll(/\S+/gu)].map((match) => ({
    text: match[0],
    start: match.index,
    end: match.index + match[0].length,
  }));
  const first = words[0];
  const last = words[words.length - 1];
  if (first === undefined || last === undefined || !(durationMs > 0)) return [];
  const span = last.end - first.start;
  const at = (position: number): number => (durationMs * (position - first.start)) / span;
  const marks: EstimatedMark[] = [];
  let sentenceStart = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (i === words.length - 1 || SENTENCE_END.test(word.text)) {
      const opening = words[sentenceStart]!;
      marks.push({
        kind: 'sentence',
        text: text.slice(opening.start, word.end),
        offsetMs: at(opening.start),
        durationMs: at(word.end) - at(opening.start),
      });
      for (let j = sentenceStart; j <= i; j++) {
        const member = words[j]!;
        marks.push({
          kind: 'word',
          text: member.text,
          offsetMs: at(member.start),
          durationMs: at(member.end) - at(member.start),
        });
      }
      sentenceStart = i + 1;
    }
  }
  return marks;
}
