import fc from 'fast-check';
import { from } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { createMespeak } from '../mespeak-provider';
import { firstDifference } from '../test-support/audio-analysis';
import { synthesizeNow } from '../test-support/synthesize-now';
import { MESPEAK_VOICES } from './mespeak-voices';

const provider = createMespeak();
const WORDS = [
  'we',
  'should',
  'consider',
  'the',
  'evidence',
  'costs',
  'are',
  'rising',
  'trust',
  'matters',
  'never',
  'quickly',
  'today',
  'and',
  'but',
  'nobody',
  'agrees',
  'forty',
  '2025',
  "don't",
  'interesting',
];

const sentence = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom('', '', '', ',', ';')), {
      minLength: 1,
      maxLength: 9,
    }),
    fc.constantFrom('.', '?', '!'),
  )
  .map(([words, end]) => {
    const text = words
      .map(([word, mark], index) => (index < words.length - 1 ? word + mark : word))
      .join(' ');
    return text.charAt(0).toUpperCase() + text.slice(1) + end;
  });

describe('MespeakTtsModel (property)', () => {
  // 20 runs (each synthesizes twice with the real engine); 1–3 sentences of 1–9 words from a fixed
  // vocabulary with random commas and semicolons; a random built-in voice and rate 0.8–1.5; the
  // streamed copy is cut at up to 8 random points.
  test('marks cover every word once, stay monotone and inside the audio; streaming changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(sentence, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...Object.keys(MESPEAK_VOICES)),
        fc.double({ min: 0.8, max: 1.5, noNaN: true }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (sentences, voice, rate, cuts) => {
          const text = sentences.join(' ');
          const model = provider.speech(voice);
          const result = synthesizeNow(model, { text, prosody: { rate } });
          const expectedWords = text.split(' ').map((token) => token.replace(/[,;.?!]+$/, ''));
          expect(result.words.map((mark) => mark.text)).toEqual(expectedWords);
          expect(result.sentences.map((mark) => mark.text)).toEqual(sentences);
          let previous = 0;
          for (const mark of result.marks) {
            expect(mark.offsetMs).toBeGreaterThanOrEqual(previous);
            expect(mark.offsetMs + mark.durationMs).toBeLessThanOrEqual(result.end.durationMs);
            previous = mark.offsetMs;
          }
          const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
          const pieces = [0, ...points].map((start, index) =>
            text.slice(start, [...points, text.length][index]),
          );
          const streamed = synthesizeNow(model, { text: from(pieces), prosody: { rate } });
          expect(firstDifference(streamed.samples, result.samples)).toBe(-1);
        },
      ),
      { numRuns: 20 },
    );
  }, 120_000);
});
