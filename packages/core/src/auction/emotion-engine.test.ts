import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { EmotionEngine, type EmotionSnapshot, emotion } from './emotion-engine';

describe('EmotionEngine', () => {
  it('smooths events and text cues into arousal and valence', () => {
    const engine = new EmotionEngine();
    engine.observe({ type: 'interrupted', agentId: 'alice', at: 1000 });
    engine.observe({ type: 'utterance', agentId: 'alice', text: 'No, that is WRONG!', at: 1500 });
    const state = engine.stateOf('alice');
    expect(state.arousal).toBeCloseTo(0.7 * 0.18 + 0.3 * 0.45, 12);
    expect(state.valence).toBeCloseTo(0.7 * -0.15 + 0.3 * -0.4, 12);
    expect(engine.multiplierOf('alice')).toBeCloseTo(1 + 0.3 * (state.arousal - 0.1), 12);
    const prosody = engine.prosodyOf('alice');
    expect(prosody.rate).toBeCloseTo(1 + 0.15 * (state.arousal - 0.1), 12);
    expect(prosody.stability).toBeCloseTo(0.5 - 0.3 * (state.arousal - 0.1), 12);
  });

  it('leaves bids and prosody alone inside the deadband', () => {
    const engine = new EmotionEngine({ deadband: 0.2 });
    engine.observe({ type: 'supported', agentId: 'bob', at: 0 }); // arousal 0.06
    expect(engine.multiplierOf('bob')).toBe(1);
    expect(engine.prosodyOf('bob')).toEqual({ rate: 1, stability: 0.5 });
    expect(engine.stateOf('bob').valence).toBeGreaterThan(0);
    expect(engine.multiplierOf('stranger')).toBe(1);
  });

  it('caps how far emotion moves a bid', () => {
    const engine = new EmotionEngine({ smoothing: 1, bidGain: 10, maxBidShift: 0.1 });
    engine.observe({ type: 'utterance', agentId: 'a', text: 'NO! NO! WRONG!!!', at: 0 });
    expect(engine.multiplierOf('a')).toBe(1.1);
    engine.observe({
      type: 'utterance',
      agentId: 'a',
      text: 'maybe perhaps possibly probably, I think, sort of',
      at: 1,
    });
    expect(engine.multiplierOf('a')).toBe(0.9);
    expect(engine.prosodyOf('a').stability).toBeLessThanOrEqual(1);
  });

  it('rejects unknown events and bad options', () => {
    const engine = new EmotionEngine();
    expect(() => engine.observe({ type: 'bored', agentId: 'a', at: 0 } as never)).toThrow(
      InvalidArgumentError,
    );
    expect(() => engine.observe({ type: 'challenged', agentId: '', at: 0 })).toThrow(InvalidArgumentError);
    expect(() => new EmotionEngine({ maxBidShift: 2 })).toThrow(InvalidArgumentError);
  });

  it('has an operator face with prosody hints', () => {
    const out: EmotionSnapshot[] = [];
    from([
      { type: 'challenged', agentId: 'bob', at: 0 } as const,
      { type: 'challenged', agentId: 'bob', at: 5 } as const,
    ])
      .pipe(emotion())
      .subscribe((snapshot) => out.push(snapshot));
    expect(out.map((s) => s.at)).toEqual([0, 5]);
    expect(out[1]?.arousal).toBeGreaterThan(out[0]?.arousal as number);
    expect(out[1]?.prosody.rate).toBeGreaterThan(1);
  });
});
