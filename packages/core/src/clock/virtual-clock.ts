import type { SchedulerLike } from 'rxjs';
import { assertNumber } from '../internal/validate';
import { HeapVirtualTimeScheduler } from './heap-virtual-time-scheduler';

/**
 * A virtual clock: an RxJS `VirtualTimeScheduler` plus methods to move time forward by hand.
 * Virtual milliseconds pass only when you advance them, so a ten-minute conversation runs in a
 * fraction of a second and replays identically. Actions run in RxJS's order (due time, then the
 * order they were scheduled in); the queue is a heap, so scheduling stays cheap with thousands of
 * timers pending.
 */
export interface VirtualClock {
  /** The scheduler to pass to any Argentum API. */
  readonly scheduler: SchedulerLike;
  /** The current virtual time in milliseconds. */
  now(): number;
  /**
   * Runs every action due within the next `ms` milliseconds and leaves the clock at `now() + ms`.
   * @param ms - how far to move, ≥ 0.
   */
  advanceBy(ms: number): void;
  /**
   * Runs every action due up to the absolute time `ms` and leaves the clock there.
   * @param ms - the target virtual time (not before `now()`).
   */
  advanceTo(ms: number): void;
  /** Runs every scheduled action, however far in the future, until none is left. */
  flush(): void;
}

/**
 * Creates a {@link VirtualClock} starting at virtual time 0.
 *
 * @returns a clock whose `scheduler` can be handed to every timed API.
 * @example
 * ```ts
 * import { timer } from 'rxjs';
 * import { createVirtualClock } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * timer(1000, clock.scheduler).subscribe(() => console.log('fired at', clock.now()));
 * clock.advanceBy(1000); // logs "fired at 1000" at once, without waiting
 * ```
 */
export function createVirtualClock(): VirtualClock {
  const scheduler = new HeapVirtualTimeScheduler(Number.POSITIVE_INFINITY);
  const advanceTo = (ms: number): void => {
    assertNumber('ms', ms, { min: scheduler.frame });
    scheduler.maxFrames = ms;
    scheduler.flush();
    scheduler.frame = ms;
    scheduler.maxFrames = Number.POSITIVE_INFINITY;
  };
  return {
    scheduler,
    now: () => scheduler.now(),
    advanceBy: (ms) => advanceTo(scheduler.frame + assertNumber('ms', ms, { min: 0 })),
    advanceTo,
    flush: () => {
      scheduler.maxFrames = Number.POSITIVE_INFINITY;
      scheduler.flush();
    },
  };
}
