import { Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import {
  type CreateLeadTimeControllerOptions,
  createLeadTimeController,
} from './create-lead-time-controller';
import type { BeatOutcome } from './lead-time-controller';

/**
 * The lead time after one beat, emitted by {@link adjustLeadTime}.
 *
 * @example
 * ```ts
 * const update: LeadTimeUpdate = { type: 'lead-time', at: 12_000, beatIndex: 41, hit: false, previousLeadTimeMs: 400, leadTimeMs: 420, missRate: 0.05 };
 * ```
 */
export interface LeadTimeUpdate {
  /** Always `lead-time`. */
  type: 'lead-time';
  /** When the outcome was processed, scheduler ms. */
  at: number;
  /** 0-based index of the beat in this subscription. */
  beatIndex: number;
  /** Whether the beat's audio was ready in time. */
  hit: boolean;
  /** The lead time before this beat, ms. */
  previousLeadTimeMs: number;
  /** The lead time after it, ms. */
  leadTimeMs: number;
  /** The windowed miss rate after it. */
  missRate: number;
}

/**
 * Options of {@link adjustLeadTime}: a controller strategy with its options, plus the clock.
 *
 * @example
 * ```ts
 * const options: AdjustLeadTimeOptions = { strategy: 'robbins-monro', targetMissRate: 0.05, scheduler: clock.scheduler };
 * ```
 */
export type AdjustLeadTimeOptions = CreateLeadTimeControllerOptions & {
  /** The clock that stamps `at`; defaults to the real-time scheduler. */
  scheduler?: SchedulerLike;
};

/**
 * Turns a stream of beat outcomes into lead-time updates, one per outcome. Each subscription runs a
 * fresh controller (see {@link createLeadTimeController}), so the stream is cold and replays
 * identically. Completes and errors with the source; an invalid outcome errors the stream with an
 * `InvalidArgumentError`.
 *
 * @param options - strategy, its options, and the scheduler that stamps `at`.
 * @returns an operator from {@link BeatOutcome} to {@link LeadTimeUpdate}.
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { adjustLeadTime } from '@argentum/core';
 *
 * from([{ hit: true }, { hit: false }, { readyAtMs: 990, deadlineMs: 1000 }])
 *   .pipe(adjustLeadTime({ strategy: 'aimd', increase: 'additive', increaseMs: 20, initialLeadTimeMs: 400 }))
 *   .subscribe(({ leadTimeMs }) => console.log(leadTimeMs.toFixed(1))); // 398.9, 418.9, 417.9
 * ```
 */
export function adjustLeadTime(
  options: AdjustLeadTimeOptions = {},
): OperatorFunction<BeatOutcome, LeadTimeUpdate> {
  const scheduler = options.scheduler ?? realtimeScheduler;
  return (source) =>
    new Observable<LeadTimeUpdate>((subscriber) => {
      const controller = createLeadTimeController(options);
      return source.subscribe({
        next: (outcome) => {
          const previousLeadTimeMs = controller.leadTimeMs;
          const missesBefore = controller.missCount;
          let leadTimeMs: number;
          try {
            leadTimeMs = controller.observe(outcome);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next({
            type: 'lead-time',
            at: scheduler.now(),
            beatIndex: controller.beatCount - 1,
            hit: controller.missCount === missesBefore,
            previousLeadTimeMs,
            leadTimeMs,
            missRate: controller.missRate,
          });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
