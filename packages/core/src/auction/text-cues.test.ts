import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { analyzeTextCues } from './text-cues';

describe('analyzeTextCues', () => {
  it('reads exclamations and shouting as arousal, negative words as valence', () => {
    const cues = analyzeTextCues('That is simply WRONG!');
    expect(cues.arousal).toBeCloseTo(0.45, 12);
    expect(cues.valence).toBeCloseTo(-0.3, 12);
    expect(cues).toMatchObject({ exclamations: 1, shouted: 1, negatives: 1 });
  });

  it('reads hedges as subdued and flips negated sentiment', () => {
    const cues = analyzeTextCues('Maybe, I think, that is not bad.');
    expect(cues.hedges).toBe(2);
    expect(cues.arousal).toBeCloseTo(-0.4, 12);
    expect(cues.valence).toBeCloseTo(0.3, 12);
    expect(analyzeTextCues("I don't agree").valence).toBeCloseTo(-0.3, 12);
    expect(analyzeTextCues('No.').valence).toBeCloseTo(-0.1, 12);
    expect(analyzeTextCues("I'm not sure").hedges).toBe(1);
  });

  it('clamps to −1..1 and is neutral on plain text', () => {
    expect(analyzeTextCues('NO NO NO WRONG WRONG!!!!!! terrible awful nonsense').arousal).toBe(1);
    expect(analyzeTextCues('terrible awful nonsense absurd ridiculous').valence).toBe(-1);
    expect(analyzeTextCues('The meeting is at noon.')).toMatchObject({ arousal: 0, valence: 0 });
    expect(() => analyzeTextCues(42 as never)).toThrow(InvalidArgumentError);
  });
});
