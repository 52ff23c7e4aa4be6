/**
 * The clock module. **Rule:** this folder is the only place in Argentum that reads the wall clock
 * (`performance.now()`) or arms a timer (`setTimeout`). Every other module takes a `SchedulerLike`
 * and asks it for `now()` and `schedule()`, so that any pipeline runs unchanged under RxJS virtual
 * time (see `createVirtualClock`) and replays identically from a seed. `Date.now()` is never
 * used: it jumps when the system clock is adjusted.
 *
 * @module
 */
import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';

class RealtimeAction<T> extends Subscription implements SchedulerAction<T> {
  private handle: ReturnType<typeof setTimeout> | number | undefined;
  private pending = false;
  private state: T | undefined;

  constructor(private readonly work: (this: SchedulerAction<T>, state?: T) => void) {
    super();
  }

  /** The timer's callback: the action comes as the timer's argument, so no closure is made per schedule. */
  static #fire(action: RealtimeAction<unknown>): void {
    action.run();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.clearTimer();
    this.pending = true;
    this.handle = setTimeout(RealtimeAction.#fire, Math.max(0, delay), this);
    return this;
  }

  override unsubscribe(): void {
    if (this.closed) return;
    this.clearTimer();
    super.unsubscribe();
  }

  private run(): void {
    this.handle = undefined;
    if (this.closed || !this.pending) return;
    this.pending = false;
    try {
      this.work(this.state);
    } catch (error) {
      this.unsubscribe();
      throw error;
    }
    // Work that did not reschedule itself is finished.
    if (!this.pending) this.unsubscribe();
  }

  private clearTimer(): void {
    if (this.handle !== undefined) {
      clearTimeout(this.handle);
      this.handle = undefined;
    }
    this.pending = false;
  }
}

/**
 * A monotonic real-time RxJS scheduler: `now()` is `performance.now()` (milliseconds since the
 * process started, never jumping backwards) and work runs on timers.
 *
 * RxJS's own `asyncScheduler` reads `Date.now()`, which jumps when the system clock changes; use
 * this one (the default of every Argentum API) for anything that measures latency.
 *
 * @example
 * ```ts
 * import { timer } from 'rxjs';
 * import { realtimeScheduler } from '@argentum/core';
 *
 * const t0 = realtimeScheduler.now();
 * timer(20, realtimeScheduler).subscribe(() => console.log(realtimeScheduler.now() - t0)); // ≈ 20
 * ```
 */
export const realtimeScheduler: SchedulerLike = {
  now: () => performance.now(),
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    return new RealtimeAction<T>(work).schedule(state, delay);
  },
};
