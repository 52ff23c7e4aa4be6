import type { Observable, SchedulerLike } from 'rxjs';
import { createVirtualClock } from '../clock/virtual-clock';

/** One notification recorded by {@link collectInVirtualTime}. */
export type CollectedEvent<T> =
  | { kind: 'next'; value: T; at: number }
  | { kind: 'error'; error: unknown; at: number }
  | { kind: 'complete'; at: number };

/**
 * Runs a pipeline on a fresh virtual clock and records every notification with its virtual time.
 *
 * @param build - builds the pipeline from the virtual scheduler.
 * @param untilMs - stop after this much virtual time (default: run until no work is left).
 * @returns the notifications in order, each stamped with its virtual time in ms.
 * @example
 * ```ts
 * import { timer, map } from 'rxjs';
 * import { collectInVirtualTime } from '@argentum/core/testing';
 *
 * const events = collectInVirtualTime((scheduler) => timer(500, scheduler).pipe(map(() => 'ping')));
 * // [{ kind: 'next', value: 'ping', at: 500 }, { kind: 'complete', at: 500 }]
 * ```
 */
export function collectInVirtualTime<T>(
  build: (scheduler: SchedulerLike) => Observable<T>,
  untilMs?: number,
): CollectedEvent<T>[] {
  const clock = createVirtualClock();
  const events: CollectedEvent<T>[] = [];
  const subscription = build(clock.scheduler).subscribe({
    next: (value) => events.push({ kind: 'next', value, at: clock.now() }),
    error: (error: unknown) => events.push({ kind: 'error', error, at: clock.now() }),
    complete: () => events.push({ kind: 'complete', at: clock.now() }),
  });
  if (untilMs === undefined) clock.flush();
  else clock.advanceTo(untilMs);
  subscription.unsubscribe();
  return events;
}
