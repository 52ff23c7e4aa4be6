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
import { type HeapItem, IndexedHeap } from './indexed-heap';

/**
 * How early (ms) a flush runs an action: Node's timers count whole milliseconds from the loop's
 * cached time, so a timer may fire up to this much before its exact due time; the actions due
 * within it run in the same flush rather than on another timer a millisecond later.
 */
const EARLY_MS = 1;
/** The longest delay one Node timer takes (a later action re-arms it when it fires). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Due time first, then the order of scheduling. */
function runsBefore(a: RealtimeAction<unknown>, b: RealtimeAction<unknown>): boolean {
  return a.dueAt === b.dueAt ? a.seq < b.seq : a.dueAt < b.dueAt;
}

/**
 * A scheduler's pending actions as one heap ordered by due time, served by a single Node timer armed
 * for the earliest. A conversation's timed work (audio ticks, provider delays, pings) is thousands
 * of actions a second in a busy server; a timer each would cost a `Timeout` and its arguments per
 * run, garbage that lives as long as the delay and that the collector has to copy.
 */
class TimerQueue {
  readonly #heap = new IndexedHeap<RealtimeAction<unknown>>([], runsBefore);
  readonly onRun: RealtimeSchedulerOptions['onRun'];
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The due time the timer is armed for (+∞ when it is not armed). */
  #armedFor = Number.POSITIVE_INFINITY;
  #flushing = false;

  constructor(onRun: RealtimeSchedulerOptions['onRun']) {
    this.onRun = onRun;
  }

  push(action: RealtimeAction<unknown>): void {
    action.seq = this.#seq++;
    this.#heap.push(action);
    if (!this.#flushing && action.dueAt < this.#armedFor) this.#arm();
  }

  remove(action: RealtimeAction<unknown>): void {
    this.#heap.remove(action);
    // A timer armed for others is left to fire (it re-arms); the last action gone disarms it.
    if (!this.#flushing && this.#heap.peek() === undefined) this.#disarm();
  }

  #arm(): void {
    this.#disarm();
    const first = this.#heap.peek();
    // An action due never (an infinite delay) keeps no timer: nothing would ever run.
    if (first === undefined || first.dueAt === Number.POSITIVE_INFINITY) return;
    this.#armedFor = first.dueAt;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, first.dueAt - performance.now()));
    this.#timer = setTimeout(this.#flush, delay);
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
  }

  /**
   * Runs every action due by now (or within {@link EARLY_MS}), earliest first, back to back. An
   * action scheduled during the flush runs in it when it is due by that same bound, so a tick due a
   * fraction of a millisecond later does not wait behind the event loop's I/O turn; work that keeps
   * rescheduling itself at once holds the thread for at most that bound. A throwing action's error
   * goes on to Node (an uncaught exception, as from any timer); the timer is armed again first, so
   * the others still run.
   */
  readonly #flush = (): void => {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    this.#flushing = true;
    try {
      this.#runUntil(performance.now() + EARLY_MS);
    } finally {
      this.#flushing = false;
      this.#arm();
    }
  };

  /**
   * {@link RealtimeScheduler.runDue}: runs the actions due by now from outside the timer. The timer
   * is armed for the earliest pending action or before it, so it is left as it is (it fires, finds
   * less to do, and re-arms), unless no action is left; an action's error goes to Node from a
   * microtask, never to the caller, and the actions due after it run from the timer.
   */
  runDue(): number {
    if (this.#flushing) return 0;
    const first = this.#heap.peek();
    if (first === undefined) return 0;
    const now = performance.now();
    if (first.dueAt > now) return 0;
    this.#flushing = true;
    let ran = 0;
    try {
      ran = this.#runUntil(now);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    } finally {
      this.#flushing = false;
      if (this.#heap.peek() === undefined) this.#disarm();
    }
    return ran;
  }

  /** Runs the actions due by `until`, earliest first; returns how many ran. */
  #runUntil(until: number): number {
    const heap = this.#heap;
    let ran = 0;
    for (let action = heap.peek(); action !== undefined && action.dueAt <= until; action = heap.peek()) {
      heap.pop();
      ran++;
      action.run();
    }
    return ran;
  }
}

class RealtimeAction<T> extends Subscription implements SchedulerAction<T>, HeapItem {
  heapIndex = -1;
  /** When the latest scheduled run is due (`performance.now()` time; NaN before the first), and its order among equals. */
  dueAt = Number.NaN;
  seq = 0;
  private delayMs = 0;
  private state: T | undefined;

  constructor(
    private readonly queue: TimerQueue,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    const queue = this.queue;
    if (this.heapIndex >= 0) queue.remove(this as RealtimeAction<unknown>);
    // NaN and negative delays run at once; an infinite one never runs (until rescheduled).
    const requested = Number(delay);
    const delayMs = requested > 0 ? requested : 0;
    this.delayMs = delayMs;
    this.dueAt = performance.now() + delayMs;
    queue.push(this as RealtimeAction<unknown>);
    return this;
  }

  override unsubscribe(): void {
    if (this.closed) return;
    if (this.heapIndex >= 0) this.queue.remove(this as RealtimeAction<unknown>);
    super.unsubscribe();
  }

  /** The queue's call when the action is due (it has already left the queue). */
  run(): void {
    if (this.closed) return;
    const onRun = this.queue.onRun;
    if (onRun !== undefined) onRun(Math.max(0, performance.now() - this.dueAt), this.delayMs);
    try {
      this.work(this.state);
    } catch (error) {
      this.unsubscribe();
      throw error;
    }
    // Work that did not reschedule itself is finished.
    if (this.heapIndex < 0) this.unsubscribe();
  }
}

/**
 * A real-time RxJS scheduler ({@link createRealtimeScheduler}, {@link realtimeScheduler}) whose due
 * work can also run at a checkpoint the application chooses.
 */
export interface RealtimeScheduler extends SchedulerLike {
  /**
   * Runs the actions already due, earliest first, now — instead of when the scheduler's timer
   * fires — and returns how many ran. Node runs timers only between its turns of I/O: a busy
   * server reads hundreds of sockets in one turn, and timed work (paced audio, timeouts) waits
   * behind all of them. Calling this between units of I/O work (the voice-agent server calls it
   * after each incoming message) bounds that wait by one unit. It costs one clock read when nothing
   * is due.
   *
   * Safe from any callback: called from within a scheduled action it does nothing; a throwing
   * action's error goes to Node as an uncaught exception (from a microtask, as a timer's would),
   * never to the caller, and the actions due after it run when the timer fires. Actions due within
   * the next millisecond wait for the timer (the timer's own flush runs them up to 1 ms early).
   *
   * @example
   * ```ts
   * import { createRealtimeScheduler } from '@argentum/core';
   *
   * const scheduler = createRealtimeScheduler();
   * socket.on('message', (data) => {
   *   handle(data);
   *   scheduler.runDue(); // paced output due meanwhile goes out now, not after the whole I/O turn
   * });
   * ```
   */
  runDue(): number;
}

/**
 * Whether `scheduler` is a {@link RealtimeScheduler} (has {@link RealtimeScheduler.runDue}).
 *
 * @example
 * ```ts
 * import { isRealtimeScheduler } from '@argentum/core';
 *
 * const checkpoint = isRealtimeScheduler(scheduler) ? () => scheduler.runDue() : () => 0;
 * ```
 */
export function isRealtimeScheduler(scheduler: SchedulerLike): scheduler is RealtimeScheduler {
  return typeof (scheduler as Partial<RealtimeScheduler>).runDue === 'function';
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
export function createRealtimeScheduler(options: RealtimeSchedulerOptions = {}): RealtimeScheduler {
  const queue = new TimerQueue(options.onRun);
  return {
    now: () => performance.now(),
    runDue: () => queue.runDue(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      return new RealtimeAction<T>(queue, work).schedule(state, delay);
    },
  };
}

/**
 * A monotonic real-time RxJS scheduler: `now()` is `performance.now()` (milliseconds since the
 * process started, never jumping backwards) and work runs on a timer: one Node timer, armed for
 * the earliest pending action, serves all of a scheduler's actions. Actions due together run back to
 * back (promise callbacks they queue run after the batch), possibly up to 1 ms before their due time
 * (Node's timers count whole milliseconds), and one scheduled while they run joins them when it is
 * due within that millisecond. {@link RealtimeScheduler.runDue} runs the due ones from the
 * application's own checkpoints too (between incoming messages, say).
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
export const realtimeScheduler: RealtimeScheduler = createRealtimeScheduler();
