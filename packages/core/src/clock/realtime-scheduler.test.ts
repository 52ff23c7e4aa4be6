import { Subscription, take, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { realtimeScheduler } from './realtime-scheduler';

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
