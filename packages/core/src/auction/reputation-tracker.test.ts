import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { type ReputationSnapshot, ReputationTracker, reputation } from './reputation-tracker';

describe('ReputationTracker', () => {
  it('moves the score by an EMA of observations and maps it to a bounded multiplier', () => {
    const tracker = new ReputationTracker();
    expect(tracker.scoreOf('bob')).toBe(0.5);
    expect(tracker.multiplierOf('bob')).toBe(1);
    tracker.observe({ type: 'interjection-accepted', agentId: 'bob', at: 1200 });
    expect(tracker.scoreOf('bob')).toBeCloseTo(0.55, 12);
    tracker.observe({ type: 'evidence', agentId: 'bob', quality: 0.9, at: 4000 });
    expect(tracker.scoreOf('bob')).toBeCloseTo(0.585, 12);
    expect(tracker.multiplierOf('bob')).toBeCloseTo(1.0425, 12);
  });

  it('stays within 0..1 and within the multiplier bounds however long the streak', () => {
    const tracker = new ReputationTracker({ smoothing: 0.9, gain: 5 });
    for (let i = 0; i < 100; i++) tracker.observe({ type: 'interrupted', agentId: 'a', at: i });
    expect(tracker.scoreOf('a')).toBeGreaterThanOrEqual(0);
    expect(tracker.multiplierOf('a')).toBe(0.8);
    for (let i = 0; i < 100; i++)
      tracker.observe({ type: 'interjection-accepted', agentId: 'a', at: 100 + i });
    expect(tracker.scoreOf('a')).toBeLessThanOrEqual(1);
    expect(tracker.multiplierOf('a')).toBe(1.2);
  });

  it('lowers the score on interruptions and rejected interjections', () => {
    const tracker = new ReputationTracker();
    tracker.observe({ type: 'interrupted', agentId: 'a', at: 0 });
    tracker.observe({ type: 'interjection-rejected', agentId: 'b', at: 0 });
    expect(tracker.scoreOf('a')).toBeLessThan(0.5);
    expect(tracker.scoreOf('b')).toBeLessThan(0.5);
    expect(tracker.snapshot()).toMatchObject({ type: 'reputation', at: 0 });
  });

  it('rejects unknown events and bad qualities', () => {
    const tracker = new ReputationTracker();
    expect(() => tracker.observe({ type: 'applause', agentId: 'a', at: 0 } as never)).toThrow(
      InvalidArgumentError,
    );
    expect(() => tracker.observe({ type: 'evidence', agentId: 'a', quality: 2, at: 0 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new ReputationTracker({ minMultiplier: 1.5 })).toThrow(InvalidArgumentError);
  });

  it('has an operator face', () => {
    const out: ReputationSnapshot[] = [];
    from([{ type: 'evidence', agentId: 'alice', quality: 1, at: 0 } as const])
      .pipe(reputation())
      .subscribe((snapshot) => out.push(snapshot));
    expect(out[0]?.scores.alice).toBeCloseTo(0.55, 12);
  });
});
