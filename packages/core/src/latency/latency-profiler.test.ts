import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/index';
import { FIRST_CHUNK_STAGE, LatencyProfiler } from './latency-profiler';
import type { LatencyProfilerStats } from './latency-stats';
import { SlidingWindowQuantile } from './sliding-window-quantile';

describe('LatencyProfiler', () => {
  it('summarizes each stage', () => {
    const profiler = new LatencyProfiler({ scheduler: createVirtualClock().scheduler });
    for (let latencyMs = 101; latencyMs <= 200; latencyMs++) profiler.record(FIRST_CHUNK_STAGE, latencyMs);
    profiler.record('stt-final', 80);
    const firstChunk = profiler.stageStats(FIRST_CHUNK_STAGE);
    expect(firstChunk.count).toBe(100);
    expect(firstChunk.min).toBe(101);
    expect(firstChunk.max).toBe(200);
    expect(firstChunk.mean).toBeCloseTo(150.5, 9);
    // Exact lower quantiles: p50 → rank 49 (150), p95 → rank 94 (195), p99 → rank 98 (199); ±0.5 %.
    expect(Math.abs(firstChunk.p50 - 150)).toBeLessThanOrEqual(0.75);
    expect(Math.abs(firstChunk.p95 - 195)).toBeLessThanOrEqual(0.975);
    expect(Math.abs(firstChunk.p99 - 199)).toBeLessThanOrEqual(0.995);
    expect(profiler.stages).toEqual([FIRST_CHUNK_STAGE, 'stt-final']);
    expect(Object.keys(profiler.stats().stages)).toEqual([FIRST_CHUNK_STAGE, 'stt-final']);
    expect(profiler.stats().stages['stt-final']).toEqual({
      count: 1,
      p50: 80,
      p95: 80,
      p99: 80,
      min: 80,
      max: 80,
      mean: 80,
    });
  });

  it('reports an unknown stage as empty', () => {
    const stats = new LatencyProfiler().stageStats('tts-first-byte');
    expect(stats.count).toBe(0);
    expect(stats.p95).toBeNaN();
  });

  it('tracks beat drift: signed and absolute means, p95, max and misses past the tolerance', () => {
    const profiler = new LatencyProfiler({ driftToleranceMs: 10 });
    expect(profiler.stats().drift).toMatchObject({ count: 0, missCount: 0, toleranceMs: 10 });
    expect(profiler.stats().drift.meanDriftMs).toBeNaN();
    profiler.recordDrift(1000, 1004); // +4
    profiler.recordDrift(2000, 1988); // −12: a miss
    profiler.recordDrift(3000, 3020); // +20: a miss
    profiler.recordDrift(4000, 4000); // 0
    const { drift } = profiler.stats();
    expect(drift.count).toBe(4);
    expect(drift.meanDriftMs).toBe(3);
    expect(drift.meanAbsoluteDriftMs).toBe(9);
    expect(drift.maxAbsoluteDriftMs).toBe(20);
    expect(drift.missCount).toBe(2);
    expect(Math.abs(drift.p95AbsoluteDriftMs - 12)).toBeLessThanOrEqual(0.06); // rank ⌊0.95·3⌋ = 2
  });

  it('uses the estimator factory for every stage', () => {
    const profiler = new LatencyProfiler({
      createEstimator: () => new SlidingWindowQuantile({ windowSize: 2 }),
    });
    for (const latencyMs of [500, 100, 200]) profiler.record(FIRST_CHUNK_STAGE, latencyMs);
    expect(profiler.stageStats(FIRST_CHUNK_STAGE)).toMatchObject({ count: 2, max: 200, min: 100 });
    expect(profiler.estimator(FIRST_CHUNK_STAGE).quantile(1)).toBe(200);
  });

  it('rejects bad stage names, latencies and options', () => {
    const profiler = new LatencyProfiler();
    expect(() => profiler.record('', 10)).toThrowError(/stage/);
    expect(() => profiler.record(FIRST_CHUNK_STAGE, -3)).toThrowError(InvalidArgumentError);
    expect(() => profiler.recordDrift(Number.NaN, 0)).toThrowError(/plannedMs/);
    expect(() => new LatencyProfiler({ throttleMs: -1 })).toThrowError(/throttleMs/);
    expect(profiler.stages).toEqual([]);
  });
});

describe('LatencyProfiler.stats$', () => {
  it('replays the current snapshot to each subscriber and emits after every change', () => {
    const clock = createVirtualClock();
    const profiler = new LatencyProfiler({ scheduler: clock.scheduler });
    profiler.record(FIRST_CHUNK_STAGE, 120);
    const seen: LatencyProfilerStats[] = [];
    profiler.stats$.subscribe((stats) => seen.push(stats));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.stages[FIRST_CHUNK_STAGE]!.count).toBe(1);
    clock.advanceBy(5);
    profiler.record(FIRST_CHUNK_STAGE, 140);
    profiler.recordDrift(100, 103);
    expect(
      seen.map((stats) => [stats.at, stats.stages[FIRST_CHUNK_STAGE]!.count, stats.drift.count]),
    ).toEqual([
      [0, 1, 0],
      [5, 2, 0],
      [5, 2, 1],
    ]);
  });

  it('throttles emissions on the scheduler and delivers the latest state at the end of the interval', () => {
    const clock = createVirtualClock();
    const profiler = new LatencyProfiler({ scheduler: clock.scheduler, throttleMs: 100 });
    const seen: Array<[number, number]> = [];
    profiler.stats$.subscribe((stats) => seen.push([stats.at, stats.stages[FIRST_CHUNK_STAGE]?.count ?? 0]));
    profiler.record(FIRST_CHUNK_STAGE, 1); // leading edge: emitted at once
    clock.advanceBy(10);
    profiler.record(FIRST_CHUNK_STAGE, 2);
    clock.advanceBy(10);
    profiler.record(FIRST_CHUNK_STAGE, 3);
    expect(seen).toEqual([
      [0, 0],
      [0, 1],
    ]);
    clock.advanceBy(80); // t = 100: the trailing emission with all three samples
    expect(seen).toEqual([
      [0, 0],
      [0, 1],
      [100, 3],
    ]);
    clock.advanceBy(500);
    expect(seen).toHaveLength(3); // nothing changed, nothing emitted
  });

  it('completes on dispose, cancels a pending emission and completes late subscribers at once', () => {
    const clock = createVirtualClock();
    const profiler = new LatencyProfiler({ scheduler: clock.scheduler, throttleMs: 50 });
    const events: string[] = [];
    profiler.stats$.subscribe({ next: () => events.push('next'), complete: () => events.push('complete') });
    profiler.record(FIRST_CHUNK_STAGE, 10);
    profiler.record(FIRST_CHUNK_STAGE, 20); // pending until t = 50
    profiler.dispose();
    clock.advanceBy(100);
    expect(events).toEqual(['next', 'next', 'complete']);
    const late: string[] = [];
    profiler.stats$.subscribe({
      next: (stats) => late.push(`next ${stats.stages[FIRST_CHUNK_STAGE]!.count}`),
      complete: () => late.push('complete'),
    });
    expect(late).toEqual(['next 2', 'complete']);
  });

  it('stops emitting to a subscriber that unsubscribed', () => {
    const profiler = new LatencyProfiler({ scheduler: createVirtualClock().scheduler });
    let count = 0;
    const subscription = profiler.stats$.subscribe(() => count++);
    subscription.unsubscribe();
    profiler.record(FIRST_CHUNK_STAGE, 5);
    expect(count).toBe(1);
  });
});
