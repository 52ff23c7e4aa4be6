import { type MonoTypeOperatorFunction, Observable, type SchedulerLike } from 'rxjs';
import type { LatencyProfiler } from './latency-profiler';

/**
 * Options of {@link measureFirstEmission}.
 *
 * @example
 * ```ts
 * source$.pipe(measureFirstEmission(profiler, 'stt-final', { scheduler: clock.scheduler }));
 * ```
 */
export interface MeasureFirstEmissionOptions {
  /** The clock to measure on; defaults to the profiler's scheduler. */
  scheduler?: SchedulerLike;
}

/**
 * Measures the time from subscribing to the source to its first value, records it in `profiler`
 * under `stage`, and passes every notification through unchanged.
 *
 * Each subscription is measured on its own (subscribe time → first `next`, on the scheduler's
 * clock), and the sample is recorded before the first value reaches downstream. A subscription that
 * completes, errors or is unsubscribed before its first value records nothing.
 *
 * @param profiler - where to record.
 * @param stage - the stage name, e.g. {@link FIRST_CHUNK_STAGE}.
 * @param options - the clock (defaults to `profiler.scheduler`).
 * @returns an operator that leaves the stream as it is.
 * @example
 * ```ts
 * import { timer, map } from 'rxjs';
 * import { LatencyProfiler, FIRST_CHUNK_STAGE, createVirtualClock, measureFirstEmission } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const profiler = new LatencyProfiler({ scheduler: clock.scheduler });
 * timer(180, clock.scheduler)
 *   .pipe(map(() => 'chunk'), measureFirstEmission(profiler, FIRST_CHUNK_STAGE))
 *   .subscribe();
 * clock.advanceBy(180);
 * profiler.stageStats(FIRST_CHUNK_STAGE).max; // 180
 * ```
 */
export function measureFirstEmission<T>(
  profiler: LatencyProfiler,
  stage: string,
  options: MeasureFirstEmissionOptions = {},
): MonoTypeOperatorFunction<T> {
  const scheduler = options.scheduler ?? profiler.scheduler;
  return (source) =>
    new Observable<T>((subscriber) => {
      const subscribedAt = scheduler.now();
      let measured = false;
      return source.subscribe({
        next: (value) => {
          if (!measured) {
            measured = true;
            profiler.record(stage, Math.max(0, scheduler.now() - subscribedAt));
          }
          subscriber.next(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
