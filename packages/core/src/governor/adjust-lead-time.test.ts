import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/index';
import { adjustLeadTime, type LeadTimeUpdate } from './adjust-lead-time';
import type { BeatOutcome } from './lead-time-controller';

describe('adjustLeadTime', () => {
  it('emits one stamped update per beat outcome, from a fresh controller per subscription', () => {
    const clock = createVirtualClock();
    clock.advanceBy(250);
    const outcomes$ = from<BeatOutcome[]>([
      { hit: true },
      { readyAtMs: 1020, deadlineMs: 1000 },
      { hit: true },
    ]);
    const lead$ = outcomes$.pipe(
      adjustLeadTime({
        scheduler: clock.scheduler,
        increase: 'additive',
        increaseMs: 19,
        initialLeadTimeMs: 400,
      }),
    );
    const first: LeadTimeUpdate[] = [];
    lead$.subscribe((update) => first.push(update));
    const second: LeadTimeUpdate[] = [];
    lead$.subscribe((update) => second.push(update));
    expect(first).toEqual(second);
    expect(first.map(({ type, at, beatIndex, hit }) => ({ type, at, beatIndex, hit }))).toEqual([
      { type: 'lead-time', at: 250, beatIndex: 0, hit: true },
      { type: 'lead-time', at: 250, beatIndex: 1, hit: false },
      { type: 'lead-time', at: 250, beatIndex: 2, hit: true },
    ]);
    expect(first[0]!.previousLeadTimeMs).toBe(400);
    expect(first[0]!.leadTimeMs).toBeCloseTo(399, 12);
    expect(first[1]!.leadTimeMs).toBeCloseTo(418, 12);
    expect(first[2]!.missRate).toBeCloseTo(1 / 3, 12);
  });

  it('errors the stream on a malformed outcome', () => {
    let failure: unknown;
    from([{ hit: 'yes' } as unknown as BeatOutcome])
      .pipe(adjustLeadTime())
      .subscribe({ error: (error: unknown) => (failure = error) });
    expect(InvalidArgumentError.isInstance(failure)).toBe(true);
  });
});
