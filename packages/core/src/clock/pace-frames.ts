import { Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { AudioFrame } from '../audio/audio-frame';
import { frameDurationMs } from '../audio/audio-frame';
import { realtimeScheduler } from './realtime-scheduler';

/** A frame released by {@link paceFrames}, with when it was due and how late it left. */
export interface PacedFrame {
  /** The frame, unchanged. */
  frame: AudioFrame;
  /** When the frame was due, in scheduler milliseconds. */
  dueAt: number;
  /** When it was actually emitted, in scheduler milliseconds. */
  emittedAt: number;
  /** `emittedAt - dueAt`, never negative: how late the frame left. */
  latenessMs: number;
}

/** Options of {@link paceFrames}. */
export interface PaceFramesOptions {
  /** The clock; defaults to {@link realtimeScheduler}. */
  scheduler?: SchedulerLike;
  /**
   * How far behind the schedule the pacer may fall before it re-anchors its timeline to `now()`
   * instead of bursting to catch up, in ms. Defaults to 200 ms.
   */
  maxCatchUpMs?: number;
}

/**
 * Releases audio frames at their playback due time: the first frame at once, each next one a frame
 * duration (typically 20 ms) after the previous one's due time — whatever the input's burstiness.
 *
 * Due times are absolute (`anchor + Σ durations`), not chained delays, so timer jitter never
 * accumulates into drift: a late wake-up is followed by a shorter wait. When the input runs dry the
 * timeline pauses and resumes from the next frame's arrival; a pacer that falls more than
 * `maxCatchUpMs` behind re-anchors rather than bursting. Completion and errors pass through after
 * the queued frames are released. Unsubscribing clears the pending timer.
 *
 * @param options - scheduler and catch-up limit.
 * @returns an operator from frames to {@link PacedFrame}s.
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { paceFrames, createVirtualClock, silentFrame } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const frames = Array.from({ length: 3 }, (_, i) => silentFrame({ sampleRate: 16000, channels: 1, timestamp: i * 20 }));
 * from(frames).pipe(paceFrames({ scheduler: clock.scheduler }))
 *   .subscribe(({ dueAt }) => console.log(dueAt)); // 0, 20, 40 as the clock advances
 * clock.advanceBy(40);
 * ```
 */
export function paceFrames(options: PaceFramesOptions = {}): OperatorFunction<AudioFrame, PacedFrame> {
  const scheduler = options.scheduler ?? realtimeScheduler;
  const maxCatchUpMs = options.maxCatchUpMs ?? 200;
  return (source) =>
    new Observable<PacedFrame>((subscriber) => {
      const queue: AudioFrame[] = [];
      let head = 0;
      let nextDueAt: number | undefined;
      let timer: Subscription | undefined;
      let completed = false;

      const release = (): void => {
        timer = undefined;
        while (head < queue.length) {
          const now = scheduler.now();
          const frame = queue[head]!;
          if (nextDueAt === undefined || now - nextDueAt > maxCatchUpMs) nextDueAt = now;
          if (nextDueAt > now) {
            timer = scheduler.schedule(release, nextDueAt - now);
            return;
          }
          head++;
          const dueAt = nextDueAt;
          nextDueAt = dueAt + frameDurationMs(frame);
          subscriber.next({ frame, dueAt, emittedAt: now, latenessMs: now - dueAt });
        }
        queue.length = 0;
        head = 0;
        // The input ran dry: the next frame that arrives after its due time starts a new timeline.
        if (nextDueAt !== undefined && scheduler.now() >= nextDueAt) nextDueAt = undefined;
        if (completed) subscriber.complete();
      };

      const subscription = source.subscribe({
        next: (frame) => {
          queue.push(frame);
          if (timer === undefined) release();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          completed = true;
          if (timer === undefined) release();
        },
      });
      return () => {
        subscription.unsubscribe();
        timer?.unsubscribe();
      };
    });
}
