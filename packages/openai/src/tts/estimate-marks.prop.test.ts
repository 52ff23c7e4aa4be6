import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateMarks } from './estimate-marks';

// Parameters: 300 runs; texts of 1–40 words, each 1–12 characters from a small alphabet with
// sentence punctuation, joined by 1–3 spaces; durations 1 ms – 60 s.
const word = fc.stringMatching(/^[a-zA-Z,'"]{1,10}[.!?…]?$/);
const text = fc
  .array(fc.tuple(word, fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 40 })
  .map((parts) => parts.map(([w, spaces]) => w + ' '.repeat(spaces)).join(''));

describe('estimateMarks (property)', () => {
  it('covers every word once, in order, with non-decreasing offsets inside the duration', () => {
    fc.assert(
      fc.property(text, fc.double({ min: 1, max: 60_000, noNaN: true }), (input, durationMs) => {
        const marks = estimateMarks(input, durationMs);
        const words = marks.filter((mark) => mark.kind === 'word');
        expect(words.map((mark) => mark.text)).toEqual(input.split(/\s+/).filter((w) => w !== ''));
        for (let i = 1; i < marks.length; i++)
          expect(marks[i]!.offsetMs).toBeGreaterThanOrEqual(marks[i - 1]!.offsetMs);
        for (const mark of marks) {
          expect(mark.offsetMs).toBeGreaterThanOrEqual(0);
          expect(mark.durationMs).toBeGreaterThanOrEqual(0);
          expect(mark.offsetMs + mark.durationMs).toBeLessThanOrEqual(durationMs * (1 + 1e-12));
        }
        const sentences = marks.filter((mark) => mark.kind === 'sentence');
        expect(
          sentences
            .map((mark) => mark.text)
            .join(' ')
            .split(/\s+/),
        ).toEqual(words.map((mark) => mark.text));
      }),
      { numRuns: 300 },
    );
  });
});
