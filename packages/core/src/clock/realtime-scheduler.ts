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
  /** Due time and delay of the pending run, when observed (numbers only: written on every schedule). */
  private dueAt = Number.NaN;
  private delayMs = 0;

  constructor(
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
    private readonly onRun: RealtimeSchedulerOptions['onRun'],
  ) {
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
    const delayMs = Math.max(0, delay);
    if (this.onRun !== undefined) {
      this.dueAt = performance.now() + delayMs;
      this.delayMs = delayMs;
    }
    this.handle = setTimeout(RealtimeAction.#fire, delayMs, this);
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
    if (this.onRun !== undefined) this.onRun(Math.max(0, performance.now() - this.dueAt), this.delayMs);
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

/** Options of {@link createRealtimeScheduler}. */
export interface RealtimeSchedulerOptions {
  /**
   * Called as each scheduled action starts, before its work, with how late it starts (ms, ≥ 0:
   * now − the time it was due) and the delay it was scheduled with (ms). Every run is reported,
   * including an action's reschedules. Use it to watch timing health — a histogram of lateness is
   * what a real-time server's timed work (paced audio, timeouts, pings) suffers from a busy event
   * loop or a garbage-collection pause. It runs on the hot path: keep it cheap and do not throw.
   */
  onRun?: (lateMs: number, delayMs: number) => void;
}

/**
 * A monotonic real-time RxJS scheduler like {@link realtimeScheduler}, optionally reporting how late
 * each action starts.
 *
 * @example
 * ```ts
 * import { createHistogram } from 'node:perf_hooks';
 * import { createRealtimeScheduler } from '@argentum/core';
 *
 * const lateness = createHistogram();
 * const scheduler = createRealtimeScheduler({
 *   onRun: (lateMs, delayMs) => {
 *     if (delayMs > 0) lateness.record(Math.max(1, Math.round(lateMs * 1000))); // µs
 *   },
 * });
 * // pass `scheduler` wherever an Argentum API takes one; read lateness.percentile(99) / 1000 (ms)
 * ```
 */
export function createRealtimeScheduler(options: RealtimeSchedulerOptions = {}): SchedulerLike {
  const onRun = options.onRun;
  return {
    now: () => performance.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      return new RealtimeAction<T>(work, onRun).schedule(state, delay);
    },
  };
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
export const realtimeScheduler: SchedulerLike = createRealtimeScheduler();
