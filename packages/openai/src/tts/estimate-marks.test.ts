import { describe, expect, it } from 'vitest';
import { estimateMarks } from './estimate-marks';

describe('estimateMarks', () => {
  it('spreads words over the duration in proportion to their character positions', () => {
    // "One two." spans 8 characters over 800 ms: 100 ms per character.
    expect(estimateMarks('  One two.  ', 800)).toEqual([
      { kind: 'sentence', text: 'One two.', offsetMs: 0, durationMs: 800 },
      { kind: 'word', text: 'One', offsetMs: 0, durationMs: 300 },
      { kind: 'word', text: 'two.', offsetMs: 400, durationMs: 400 },
    ]);
  });

  it('ends sentences at terminal punctuation, closing quotes included, and at the end of the text', () => {
    const marks = estimateMarks('He said "stop!" Then left… And then', 1000);
    expect(marks.filter((mark) => mark.kind === 'sentence').map((mark) => mark.text)).toEqual([
      'He said "stop!"',
      'Then left…',
      'And then',
    ]);
  });

  it('returns nothing for blank text or no audio', () => {
    expect(estimateMarks('   ', 1000)).toEqual([]);
    expect(estimateMarks('Hello.', 0)).toEqual([]);
  });
});
