import { concat, EMPTY, map, NEVER, of, Subject, throwError, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { LatencyProfiler } from './latency-profiler';
import { measureFirstEmission } from './measure-first-emission';

describe('measureFirstEmission', () => {
  it('records subscribe → first value on the virtual clock and passes values through', () => {
    const clock = createVirtualClock();
    const profiler = new LatencyProfiler({ scheduler: clock.scheduler });
    clock.advanceBy(1000);
    const values: string[] = [];
    concat(timer(180, clock.scheduler).pipe(map(() => 'a')), timer(50, clock.scheduler).pipe(map(() => 'b')))
      .pipe(measureFirstEmission(profiler, 'tts-first-chunk'))
      .subscribe((value) => values.push(value));
    clock.advanceBy(500);
    expect(values).toEqual(['a', 'b']);
    expect(profiler.stageStats('tts-first-chunk')).toMatchObject({ count: 1, min: 180, max: 180 });
  });

  it('measures each subscription separately and records before the value reaches downstream', () => {
    const clock = createVirtualClock();
    const profiler = new LatencyProfiler({ scheduler: clock.scheduler });
    const source = timer(40, clock.scheduler).pipe(measureFirstEmission(profiler, 'llm-first-token'));
    const countsSeenDownstream: number[] = [];
    source.subscribe(() => countsSeenDownstream.push(profiler.stageStats('llm-first-token').count));
    clock.advanceBy(20);
    source.subscribe(() => countsSeenDownstream.push(profiler.stageStats('llm-first-token').count));
    clock.advanceBy(100);
    expect(countsSeenDownstream).toEqual([1, 2]);
    expect(profiler.stageStats('llm-first-token')).toMatchObject({ min: 40, max: 40 });
  });

  it('records zero for a synchronous first value', () => {
    const profiler = new LatencyProfiler({ scheduler: createVirtualClock().scheduler });
    of(1, 2).pipe(measureFirstEmission(profiler, 'cache')).subscribe();
    expect(profiler.stageStats('cache')).toMatchObject({ count: 1, max: 0 });
  });

  it('records nothing when no value arrives, and forwards errors and completion', () => {
    const clock = createVirtualClock();
    const profiler = new LatencyProfiler({ scheduler: clock.scheduler });
    const events: string[] = [];
    EMPTY.pipe(measureFirstEmission(profiler, 'x')).subscribe({ complete: () => events.push('complete') });
    throwError(() => new Error('boom'))
      .pipe(measureFirstEmission(profiler, 'x'))
      .subscribe({ error: (error: Error) => events.push(error.message) });
    NEVER.pipe(measureFirstEmission(profiler, 'x')).subscribe().unsubscribe();
    expect(events).toEqual(['complete', 'boom']);
    expect(profiler.stageStats('x').count).toBe(0);
  });

  it('unsubscribes from the source when unsubscribed', () => {
    const clock = createVirtualClock();
    const profiler = new LatencyProfiler({ scheduler: clock.scheduler });
    const source = new Subject<number>();
    const subscription = source.pipe(measureFirstEmission(profiler, 'x')).subscribe();
    expect(source.observed).toBe(true);
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
  });

  it('can measure on a scheduler other than the profiler’s', () => {
    const profilerClock = createVirtualClock();
    const sourceClock = createVirtualClock();
    const profiler = new LatencyProfiler({ scheduler: profilerClock.scheduler });
    timer(75, sourceClock.scheduler)
      .pipe(measureFirstEmission(profiler, 'x', { scheduler: sourceClock.scheduler }))
      .subscribe();
    sourceClock.advanceBy(75);
    expect(profiler.stageStats('x').max).toBe(75);
  });
});
