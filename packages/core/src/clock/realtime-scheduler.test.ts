import { take, timer, toArray } from 'rxjs';
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
});
