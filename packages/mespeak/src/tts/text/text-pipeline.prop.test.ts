import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SentenceSplitter } from './sentence-splitter';
import { TextCleaner } from './text-cleaner';

/** Cleans and splits the pieces in order, as the model does with streamed text. */
function sentencesOf(pieces: readonly string[], maxChars: number): string[] {
  const cleaner = new TextCleaner();
  const splitter = new SentenceSplitter(maxChars);
  const sentences: string[] = [];
  for (const piece of pieces) sentences.push(...splitter.push(cleaner.push(piece)));
  sentences.push(...splitter.push(cleaner.end()), ...splitter.end());
  return sentences;
}

/** Text built from the constructs the cleaner and splitter care about. */
const fragment = fc.constantFrom(
  'Hello',
  'world',
  'Dr.',
  'e.g.',
  '3.5',
  'J.',
  ' ',
  '  ',
  '\n',
  '.',
  '!',
  '?',
  '…',
  ',',
  '"',
  ')',
  '<',
  '>',
  '<break time="1s"/>',
  '<b>',
  '</b>',
  '`',
  '```',
  '&amp;',
  '&',
  ';',
  '#',
  '*',
  '👍',
  '🏽',
  'é',
  '-',
);
const text = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(''));

/** Cuts `value` at sorted positions (UTF-16 offsets, so surrogate pairs may be split). */
function cut(value: string, positions: number[]): string[] {
  const points = [...new Set(positions.map((p) => p % (value.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(value.slice(start, point));
    start = point;
  }
  pieces.push(value.slice(start));
  return pieces;
}

describe('cleaning and sentence splitting (property)', () => {
  // 500 runs; texts of up to 60 fragments (≈ 0–400 characters), cut at up to 20 random points,
  // sentence limit 20–200 characters.
  test('streamed pieces give exactly the sentences of the whole string', () => {
    fc.assert(
      fc.property(
        text,
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer({ min: 20, max: 200 }),
        (value, positions, maxChars) => {
          const whole = sentencesOf([value], maxChars);
          expect(sentencesOf(cut(value, positions), maxChars)).toEqual(whole);
          for (const sentence of whole) {
            expect(sentence.length).toBeGreaterThan(0);
            expect(sentence.length).toBeLessThanOrEqual(maxChars);
            expect(sentence).toBe(sentence.trim());
            expect(sentence).not.toMatch(/<\/?b>|```|[*#]|👍|\n|\s{2}/u);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
