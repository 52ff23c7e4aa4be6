import { Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber, type NumberBounds } from '../internal/validate';
import type { DriftStats, LatencyProfilerStats, LatencyStageStats } from './latency-stats';
import { assertLatency, type QuantileEstimator, type QuantileReader } from './quantile-estimator';
import { QuantileSketch } from './quantile-sketch';

/**
 * The stage name for the time from asking a provider for audio (or text) to its first chunk — the
 * latency the guard band is computed from.
 *
 * @example
 * ```ts
 * profiler.record(FIRST_CHUNK_STAGE, 230);
 * ```
 */
export const FIRST_CHUNK_STAGE = 'first-chunk';

/**
 * Options of {@link LatencyProfiler}.
 *
 * @example
 * ```ts
 * const options: LatencyProfilerOptions = {
 *   scheduler: clock.scheduler,
 *   createEstimator: () => new SlidingWindowQuantile({ windowSize: 200 }),
 *   throttleMs: 1000,
 * };
 * ```
 */
export interface LatencyProfilerOptions {
  /** The clock that stamps snapshots and paces `stats$`; defaults to the real-time scheduler. */
  scheduler?: SchedulerLike;
  /**
   * Creates the estimator of each stage (and, with the name `beat-drift`, of the absolute beat
   * drift). Defaults to a fresh {@link QuantileSketch} with its default options (±0.5 %, bounded
   * memory); return a {@link SlidingWindowQuantile} to track only recent samples.
   */
  createEstimator?: (stage: string) => QuantileEstimator;
  /** A beat whose absolute drift exceeds this counts as a miss, ms ≥ 0. Defaults to 20 ms (one frame). */
  driftToleranceMs?: number;
  /**
   * The least time between two `stats$` emissions, ms ≥ 0. 0 (the default) emits after every
   * change; a positive value emits at once if the last emission is that old, otherwise once at the
   * end of the interval with the then-current snapshot.
   */
  throttleMs?: number;
}

const NON_NEGATIVE: NumberBounds = { min: 0 };
const DRIFT_ESTIMATOR_NAME = 'beat-drift';

/**
 * Records how long things take — the first chunk of each provider response and any other named
 * stage — and how far beats drift from their plan, and reports p50/p95/p99, min, max and mean per
 * stage, as a snapshot (`stats()`) and as a stream (`stats$`).
 *
 * Recording allocates nothing once a stage exists and nobody subscribes to `stats$` (with
 * subscribers, each emission allocates one snapshot). The profiler never reads the wall clock:
 * measure with {@link measureFirstEmission} or pass durations you measured on your scheduler.
 *
 * @example
 * ```ts
 * import { LatencyProfiler, FIRST_CHUNK_STAGE, createVirtualClock } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const profiler = new LatencyProfiler({ scheduler: clock.scheduler, throttleMs: 1000 });
 * profiler.stats$.subscribe((stats) => console.log(stats.at, stats.stages[FIRST_CHUNK_STAGE]?.p95));
 * profiler.record(FIRST_CHUNK_STAGE, 180);
 * profiler.recordDrift(1000, 1012); // a beat planned at 1000 ms played at 1012 ms
 * profiler.stats().drift.meanAbsoluteDriftMs; // 12
 * profiler.dispose(); // completes stats$
 * ```
 */
export class LatencyProfiler {
  /** The clock of this profiler; {@link measureFirstEmission} uses it by default. */
  readonly scheduler: SchedulerLike;
  /** The drift tolerance, ms. */
  readonly driftToleranceMs: number;
  /** The least time between two `stats$` emissions, ms. */
  readonly throttleMs: number;

  /**
   * Snapshots of this profiler. **Hot**: a subscriber first receives the current snapshot at
   * once, then a new snapshot after each change (at most one per `throttleMs`). Completes when
   * {@link LatencyProfiler.dispose} is called (a subscriber arriving later gets the last snapshot
   * and completion). Never errors.
   *
   * @example
   * ```ts
   * profiler.stats$.subscribe(({ stages }) => console.log(stages['first-chunk']?.p95));
   * ```
   */
  readonly stats$: Observable<LatencyProfilerStats>;

  private readonly createEstimator: (stage: string) => QuantileEstimator;
  private readonly estimators = new Map<string, QuantileEstimator>();
  private readonly absoluteDrift: QuantileEstimator;
  private driftSumMs = 0;
  private driftMissCount = 0;
  private readonly subscribers = new Set<Subscriber<LatencyProfilerStats>>();
  private cached: LatencyProfilerStats | undefined;
  private pending: Subscription | undefined;
  private lastEmittedAt = Number.NEGATIVE_INFINITY;
  private disposed = false;

  /**
   * @param options - clock, estimator factory, drift tolerance and stream throttle.
   * @throws InvalidArgumentError when an option is out of range.
   */
  constructor(options: LatencyProfilerOptions = {}) {
    this.scheduler = options.scheduler ?? realtimeScheduler;
    this.createEstimator = options.createEstimator ?? (() => new QuantileSketch());
    this.driftToleranceMs = assertNumber('driftToleranceMs', options.driftToleranceMs ?? 20, NON_NEGATIVE);
    this.throttleMs = assertNumber('throttleMs', options.throttleMs ?? 0, NON_NEGATIVE);
    this.absoluteDrift = this.createEstimator(DRIFT_ESTIMATOR_NAME);
    this.stats$ = new Observable<LatencyProfilerStats>((subscriber) => {
      subscriber.next(this.stats());
      if (this.disposed) {
        subscriber.complete();
        return undefined;
      }
      this.subscribers.add(subscriber);
      return () => {
        this.subscribers.delete(subscriber);
      };
    });
  }

  /** The stage names recorded so far, in the order they first appeared. */
  get stages(): string[] {
    return [...this.estimators.keys()];
  }

  /**
   * Records one latency of `stage`. Allocation-free once the stage exists (and without `stats$`
   * subscribers).
   *
   * @param stage - a non-empty stage name, e.g. {@link FIRST_CHUNK_STAGE}, `llm-first-token`, `stt-final`.
   * @param latencyMs - the duration, a finite number ≥ 0.
   * @throws InvalidArgumentError for an empty stage name or a negative/non-finite latency.
   * @example
   * ```ts
   * profiler.record('llm-first-token', 310);
   * ```
   */
  record(stage: string, latencyMs: number): void {
    assertLatency('latencyMs', latencyMs);
    this.estimatorFor(stage).record(latencyMs);
    this.changed();
  }

  /**
   * Records one beat: when it was planned and when it actually played, both in scheduler ms.
   *
   * @param plannedMs - the planned time of the beat.
   * @param actualMs - when it actually happened.
   * @throws InvalidArgumentError when either time is not finite.
   * @example
   * ```ts
   * profiler.recordDrift(4000, 4031); // 31 ms late: a miss with the default 20 ms tolerance
   * ```
   */
  recordDrift(plannedMs: number, actualMs: number): void {
    assertNumber('plannedMs', plannedMs);
    assertNumber('actualMs', actualMs);
    const driftMs = actualMs - plannedMs;
    const absoluteDriftMs = driftMs < 0 ? -driftMs : driftMs;
    this.absoluteDrift.record(absoluteDriftMs);
    this.driftSumMs += driftMs;
    if (absoluteDriftMs > this.driftToleranceMs) this.driftMissCount += 1;
    this.changed();
  }

  /**
   * Read access to a stage's live estimator (created empty if the stage is new) — for a
   * {@link GuardBand} or allocation-free reads of any quantile.
   *
   * @param stage - the stage name.
   * @returns a view that always reflects the latest samples.
   * @example
   * ```ts
   * const firstChunk = profiler.estimator(FIRST_CHUNK_STAGE);
   * const p90 = firstChunk.quantile(0.9);
   * ```
   */
  estimator(stage: string): QuantileReader {
    return this.estimatorFor(stage);
  }

  /**
   * Statistics of one stage (all `NaN` but `count` if it has no samples).
   *
   * @param stage - the stage name.
   * @returns count, p50, p95, p99, min, max and mean in ms.
   * @example
   * ```ts
   * const { p95, count } = profiler.stageStats(FIRST_CHUNK_STAGE);
   * ```
   */
  stageStats(stage: string): LatencyStageStats {
    const estimator = this.estimators.get(stage);
    if (estimator === undefined) {
      return {
        count: 0,
        p50: Number.NaN,
        p95: Number.NaN,
        p99: Number.NaN,
        min: Number.NaN,
        max: Number.NaN,
        mean: Number.NaN,
      };
    }
    return summarize(estimator);
  }

  /**
   * A snapshot of every stage and of the beat drift, stamped with the scheduler's time. The same
   * object is returned until something changes.
   *
   * @returns the current {@link LatencyProfilerStats}.
   * @example
   * ```ts
   * const { stages, drift } = profiler.stats();
   * ```
   */
  stats(): LatencyProfilerStats {
    if (this.cached !== undefined) return this.cached;
    const stages = Object.fromEntries(
      [...this.estimators].map(([stage, estimator]) => [stage, summarize(estimator)] as const),
    );
    const drift: DriftStats = {
      count: this.absoluteDrift.count,
      meanDriftMs: this.absoluteDrift.count === 0 ? Number.NaN : this.driftSumMs / this.absoluteDrift.count,
      meanAbsoluteDriftMs: this.absoluteDrift.mean,
      p95AbsoluteDriftMs: this.absoluteDrift.quantile(0.95),
      maxAbsoluteDriftMs: this.absoluteDrift.max,
      missCount: this.driftMissCount,
      toleranceMs: this.driftToleranceMs,
    };
    this.cached = { at: this.scheduler.now(), stages, drift };
    return this.cached;
  }

  /**
   * Completes `stats$` for every subscriber and cancels a pending throttled emission. Recording
   * afterwards still updates `stats()` but emits nothing. Idempotent.
   *
   * @example
   * ```ts
   * profiler.dispose();
   * ```
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pending?.unsubscribe();
    this.pending = undefined;
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of subscribers) subscriber.complete();
  }

  private estimatorFor(stage: string): QuantileEstimator {
    let estimator = this.estimators.get(stage);
    if (estimator === undefined) {
      if (typeof stage !== 'string' || stage.length === 0) {
        throw new InvalidArgumentError(
          'stage',
          `expected a non-empty stage name, got ${JSON.stringify(stage)}.`,
        );
      }
      estimator = this.createEstimator(stage);
      this.estimators.set(stage, estimator);
    }
    return estimator;
  }

  private changed(): void {
    this.cached = undefined;
    if (this.subscribers.size === 0 || this.pending !== undefined) return;
    const waitMs = this.lastEmittedAt + this.throttleMs - this.scheduler.now();
    if (waitMs <= 0) {
      this.emit();
      return;
    }
    this.pending = this.scheduler.schedule(() => {
      this.pending = undefined;
      this.emit();
    }, waitMs);
  }

  private emit(): void {
    if (this.subscribers.size === 0) return;
    this.lastEmittedAt = this.scheduler.now();
    const snapshot = this.stats();
    for (const subscriber of this.subscribers) subscriber.next(snapshot);
  }
}

function summarize(estimator: QuantileReader): LatencyStageStats {
  return {
    count: estimator.count,
    p50: estimator.quantile(0.5),
    p95: estimator.quantile(0.95),
    p99: estimator.quantile(0.99),
    min: estimator.min,
    max: estimator.max,
    mean: estimator.mean,
  };
}
