import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { type AudioFrame, frameDurationMs } from '../audio/audio-frame';

/**
 * A simulated microphone: each frame is delivered when it has been captured — at its timestamp
 * plus its duration on `scheduler` (frames must be stamped on that clock). Unsubscribing clears
 * the pending timer.
 */
export function microphone(frames: readonly AudioFrame[], scheduler: SchedulerLike): Observable<AudioFrame> {
  return new Observable<AudioFrame>((subscriber) => {
    let index = 0;
    let timer: Subscription | undefined;
    const next = (): void => {
      timer = undefined;
      const now = scheduler.now();
      while (index < frames.length) {
        const frame = frames[index]!;
        const due = frame.timestamp + frameDurationMs(frame);
        if (due > now) {
          timer = scheduler.schedule(next, due - now);
          return;
        }
        index++;
        subscriber.next(frame);
      }
      subscriber.complete();
    };
    next();
    return () => timer?.unsubscribe();
  });
}
