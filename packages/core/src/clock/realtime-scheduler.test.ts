import { Subscription, take, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createRealtimeScheduler, isRealtimeScheduler, realtimeScheduler } from './realtime-scheduler';
import { createVirtualClock } from './virtual-clock';

/** Holds the thread for `ms` (the timer cannot fire meanwhile). */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

/** Node's active timers. */
const timeouts = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

/** Runs `body` with Node's uncaught exceptions collected in `errors` (instead of failing the run). */
async function collectingUncaught(body: (errors: unknown[]) => Promise<void>): Promise<void> {
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const errors: unknown[] = [];
  process.on('uncaughtException', (error) => errors.push(error));
  try {
    await body(errors);
  } finally {
    process.removeAllListeners('uncaughtException');
    for (const listener of saved) process.on('uncaughtException', listener);
  }
}

describe('realtimeScheduler', () => {
  it('is monotonic and drives RxJS timers', async () => {
    const start = realtimeScheduler.now();
    const ticks = await new Promise<number[]>((resolve) =>
      timer(0, 5, realtimeScheduler)
        .pipe(take(3), toArray())
        .subscribe((values) => resolve(values)),
    );
    expect(ticks).toEqual([0, 1, 2]);
    expect(realtimeScheduler.now()).toBeGreaterThanOrEqual(start);
  });

  it('cancels scheduled work on unsubscribe', async () => {
    let ran = false;
    const subscription = realtimeScheduler.schedule(() => {
      ran = true;
    }, 5);
    subscription.unsubscribe();
    await new Promise((resolve) => realtimeScheduler.schedule(resolve, 20));
    expect(ran).toBe(false);
  });

  it('runs work that reschedules itself with its state, and stops when it does not', async () => {
    const seen: number[] = [];
    await new Promise<void>((resolve) => {
      realtimeScheduler.schedule(
        function (count) {
          seen.push(count!);
          if (count! < 3) this.schedule(count! + 1, 1);
          else resolve();
        },
        1,
        1,
      );
    });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('is cancelled with the subscription it was added to', async () => {
    let ran = false;
    const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timers();
    const parent = new Subscription();
    const action = realtimeScheduler.schedule(() => (ran = true), 5);
    parent.add(action);
    expect(timers()).toBe(before + 1);
    parent.unsubscribe();
    expect(action.closed).toBe(true);
    expect(timers()).toBe(before); // the timer is cleared, not left to fire
    await new Promise((resolve) => realtimeScheduler.schedule(resolve, 20));
    expect(ran).toBe(false);
  });
});

describe('createRealtimeScheduler', () => {
  it('reports each run with how late it started and its delay, before the work', async () => {
    const runs: { lateMs: number; delayMs: number; workRan: boolean }[] = [];
    let workRan = false;
    const scheduler = createRealtimeScheduler({
      onRun: (lateMs, delayMs) => runs.push({ lateMs, delayMs, workRan }),
    });
    await new Promise<void>((resolve) => {
      scheduler.schedule(() => {
        workRan = true;
        resolve();
      }, 2);
      busy(30); // due at +2 ms; it can start no earlier than +30 ms
    });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.delayMs).toBe(2);
    expect(runs[0]!.lateMs).toBeGreaterThanOrEqual(27);
    expect(runs[0]!.workRan).toBe(false);
  });

  it('reports every run of an action that reschedules itself, and never a cancelled one', async () => {
    const delays: number[] = [];
    const scheduler = createRealtimeScheduler({ onRun: (_lateMs, delayMs) => delays.push(delayMs) });
    scheduler.schedule(() => delays.push(-1), 3).unsubscribe();
    await new Promise<void>((resolve) => {
      scheduler.schedule(
        function (count) {
          if (count! < 3) this.schedule(count! + 1, count! + 1);
          else resolve();
        },
        1,
        1,
      );
    });
    expect(delays).toEqual([1, 2, 3]);
  });

  it('behaves as realtimeScheduler without options', async () => {
    const scheduler = createRealtimeScheduler();
    const value = await new Promise<number>((resolve) =>
      scheduler.schedule((state) => resolve(state!), 1, 7),
    );
    expect(value).toBe(7);
    expect(scheduler.now()).toBeGreaterThan(0);
  });
});

describe('the realtime scheduler’s queue', () => {
  it('serves all pending actions with one timer, earliest first, equal delays in scheduling order', async () => {
    const scheduler = createRealtimeScheduler();
    const before = timeouts();
    const delays = [9, 3, 6, 3, 1, 12, 6, 1, 9, 3];
    const order: number[] = [];
    const done = new Promise<void>((resolve) => {
      for (const [index, delay] of delays.entries()) {
        scheduler.schedule(() => {
          order.push(index);
          if (order.length === delays.length) resolve();
        }, delay);
      }
    });
    expect(timeouts()).toBe(before + 1);
    await done;
    const expected = delays
      .map((delay, index) => ({ delay, index }))
      .sort((a, b) => a.delay - b.delay || a.index - b.index)
      .map(({ index }) => index);
    expect(order).toEqual(expected);
    expect(timeouts()).toBeLessThanOrEqual(before); // none left armed
  });

  it('disarms its timer when the last pending action is cancelled', () => {
    const scheduler = createRealtimeScheduler();
    const before = timeouts();
    const first = scheduler.schedule(() => undefined, 50);
    const second = scheduler.schedule(() => undefined, 80);
    first.unsubscribe();
    expect(timeouts()).toBe(before + 1);
    second.unsubscribe();
    expect(timeouts()).toBe(before);
  });

  it('re-arms for an action due before the one its timer waits for', async () => {
    const scheduler = createRealtimeScheduler();
    const start = performance.now();
    const late = scheduler.schedule(() => undefined, 5000);
    const elapsed = await new Promise<number>((resolve) =>
      scheduler.schedule(() => resolve(performance.now() - start), 2),
    );
    late.unsubscribe();
    expect(elapsed).toBeLessThan(1000);
  });

  it('moves a rescheduled pending action to its new due time', async () => {
    const scheduler = createRealtimeScheduler();
    const order: string[] = [];
    let moved: { schedule(state?: unknown, delay?: number): unknown; unsubscribe(): void } | undefined;
    await new Promise<void>((resolve) => {
      scheduler.schedule(() => {
        order.push('b');
        resolve();
      }, 20);
      moved = scheduler.schedule(() => order.push('a'), 1) as unknown as {
        schedule(state?: unknown, delay?: number): unknown;
        unsubscribe(): void;
      };
      moved.schedule(undefined, 40);
    });
    moved?.unsubscribe();
    expect(order).toEqual(['b']);
  });

  it('lets timers and I/O run while an action keeps rescheduling itself at once', async () => {
    const scheduler = createRealtimeScheduler();
    let spins = 0;
    const spinner = scheduler.schedule(function () {
      spins++;
      this.schedule(undefined, 0);
    });
    const [timerRan, ioRan] = await Promise.all([
      new Promise<boolean>((resolve) => scheduler.schedule(() => resolve(true), 5)),
      new Promise<boolean>((resolve) => setImmediate(() => resolve(true))),
    ]);
    spinner.unsubscribe();
    expect(timerRan && ioRan).toBe(true);
    expect(spins).toBeGreaterThan(1);
  });

  it('hands a throwing action’s error to Node and still runs the actions due with it', async () => {
    const scheduler = createRealtimeScheduler();
    await collectingUncaught(async (errors) => {
      const ran: string[] = [];
      await new Promise<void>((resolve) => {
        scheduler.schedule(() => {
          ran.push('first');
          throw new Error('boom');
        }, 2);
        scheduler.schedule(() => ran.push('second'), 2);
        scheduler.schedule(() => {
          ran.push('third');
          resolve();
        }, 3);
      });
      expect(ran).toEqual(['first', 'second', 'third']);
      expect(errors).toHaveLength(1);
      expect((errors[0] as Error).message).toBe('boom');
    });
  });
});

describe('RealtimeScheduler.runDue', () => {
  it('runs the actions already due, earliest first, and leaves the rest to the timer', async () => {
    const lateness: number[] = [];
    const scheduler = createRealtimeScheduler({ onRun: (lateMs) => lateness.push(lateMs) });
    const before = timeouts();
    const order: string[] = [];
    scheduler.schedule(() => order.push('second'), 3);
    scheduler.schedule(() => order.push('first'), 1);
    const later = new Promise<void>((resolve) =>
      scheduler.schedule(() => {
        order.push('later');
        resolve();
      }, 60),
    );
    expect(scheduler.runDue()).toBe(0); // nothing is due yet
    busy(10);
    expect(scheduler.runDue()).toBe(2);
    expect(order).toEqual(['first', 'second']);
    expect(lateness.every((lateMs) => lateMs >= 6)).toBe(true); // reported like a timer's runs
    expect(timeouts()).toBe(before + 1); // still armed, for the one not due
    await later;
    expect(order).toEqual(['first', 'second', 'later']);
    expect(timeouts()).toBeLessThanOrEqual(before);
  });

  it('disarms the timer when it ran the last pending action', () => {
    const scheduler = createRealtimeScheduler();
    const before = timeouts();
    let ran = 0;
    scheduler.schedule(() => ran++, 1);
    expect(timeouts()).toBe(before + 1);
    busy(5);
    expect(scheduler.runDue()).toBe(1);
    expect(ran).toBe(1);
    expect(timeouts()).toBe(before);
  });

  it('does nothing when called from within a scheduled action', async () => {
    const scheduler = createRealtimeScheduler();
    const inside = await new Promise<number>((resolve) => {
      scheduler.schedule(() => undefined, 1);
      scheduler.schedule(() => {
        busy(3);
        resolve(scheduler.runDue());
      }, 1);
    });
    expect(inside).toBe(0);
  });

  it('hands a throwing action’s error to Node, not to its caller, and the timer runs the rest', async () => {
    const scheduler = createRealtimeScheduler();
    await collectingUncaught(async (errors) => {
      const ran: string[] = [];
      const rest = new Promise<void>((resolve) => {
        scheduler.schedule(() => {
          ran.push('first');
          throw new Error('boom');
        }, 1);
        scheduler.schedule(() => {
          ran.push('second');
          resolve();
        }, 1);
      });
      busy(3);
      expect(() => scheduler.runDue()).not.toThrow();
      expect(ran).toEqual(['first']);
      await rest;
      expect(ran).toEqual(['first', 'second']);
      expect(errors).toHaveLength(1);
      expect((errors[0] as Error).message).toBe('boom');
    });
  });

  it('is what isRealtimeScheduler recognises; a virtual clock’s scheduler is not one', () => {
    expect(isRealtimeScheduler(realtimeScheduler)).toBe(true);
    expect(isRealtimeScheduler(createRealtimeScheduler())).toBe(true);
    expect(isRealtimeScheduler(createVirtualClock().scheduler)).toBe(false);
  });
});
