import { from, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { silentFrame } from '../audio/audio-frame';
import { paceFrames } from './pace-frames';
import { createVirtualClock } from './virtual-clock';

const frame = (i = 0) => silentFrame({ sampleRate: 16000, timestamp: i * 20 });

describe('paceFrames', () => {
  it('releases a burst at a 20 ms cadence', () => {
    const clock = createVirtualClock();
    const emitted: number[] = [];
    let done = false;
    from([frame(0), frame(1), frame(2), frame(3)])
      .pipe(paceFrames({ scheduler: clock.scheduler }))
      .subscribe({ next: (paced) => emitted.push(paced.emittedAt), complete: () => (done = true) });
    expect(emitted).toEqual([0]);
    clock.advanceBy(30);
    expect(emitted).toEqual([0, 20]);
    clock.flush();
    expect(emitted).toEqual([0, 20, 40, 60]);
    expect(done).toBe(true);
  });

  it('keeps absolute due times: a late frame does not shift the ones after it', () => {
    const clock = createVirtualClock();
    const input = new Subject<ReturnType<typeof frame>>();
    const paced: { dueAt: number; emittedAt: number; latenessMs: number }[] = [];
    input.pipe(paceFrames({ scheduler: clock.scheduler })).subscribe((p) => paced.push(p));
    input.next(frame(0));
    input.next(frame(1));
    clock.advanceBy(15);
    input.next(frame(2)); // queued behind frame 1
    clock.advanceBy(5);
    input.next(frame(3));
    clock.advanceBy(60);
    expect(paced.map((p) => p.dueAt)).toEqual([0, 20, 40, 60]);
    expect(paced.every((p) => p.latenessMs === 0)).toBe(true);
  });

  it('clears its timer on unsubscribe', () => {
    const clock = createVirtualClock();
    const emitted: number[] = [];
    const subscription = from([frame(0), frame(1), frame(2)])
      .pipe(paceFrames({ scheduler: clock.scheduler }))
      .subscribe((p) => emitted.push(p.emittedAt));
    subscription.unsubscribe();
    clock.flush();
    expect(emitted).toEqual([0]);
  });
});
