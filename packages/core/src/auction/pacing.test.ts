import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { type PacingSnapshot, pacing, type SpeakingEvent } from './pacing';

const turn = (agentId: string, at: number, durationMs = 1000): SpeakingEvent => ({
  type: 'turn-end',
  agentId,
  durationMs,
  at,
});

describe('pacing()', () => {
  it('turns speaking events into multipliers, fresh per subscription', () => {
    const events = from([turn('alice', 1000), turn('alice', 2000), turn('bob', 3000)]);
    const run = () => {
      const out: PacingSnapshot[] = [];
      events.pipe(pacing({ agents: ['alice', 'bob'] })).subscribe((snapshot) => out.push(snapshot));
      return out;
    };
    const first = run();
    expect(first.map((s) => s.agentId)).toEqual(['alice', 'alice', 'bob']);
    expect(first[1]?.multipliers.alice).toBeLessThan(1);
    expect(first[1]?.multipliers.bob).toBeGreaterThan(1);
    expect(first[2]).toMatchObject({ type: 'pacing', at: 3000, targets: { alice: 0.5, bob: 0.5 } });
    expect(first[2]?.shares.alice).toBeCloseTo(2 / 3, 12);
    expect(run()).toEqual(first);
  });

  it('fails fast on bad options and errors the stream on unknown agents', () => {
    expect(() => pacing({ agents: ['a'], gain: -1 })).toThrow(InvalidArgumentError);
    let failure: unknown;
    from([turn('zed', 0)])
      .pipe(pacing({ agents: ['a'] }))
      .subscribe({ error: (error) => (failure = error) });
    expect(String(failure)).toContain('zed');
  });
});
