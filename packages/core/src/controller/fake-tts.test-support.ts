import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { SampleRate } from '../audio/audio-frame';
import type { TtsEvent } from '../provider/tts-model';

/** A mark to send from {@link fakeTtsEvents}. */
export interface FakeMark {
  kind: 'word' | 'sentence';
  text: string;
  offsetMs: number;
  durationMs?: number;
}

/** Options of {@link fakeTtsEvents}. */
export interface FakeTtsOptions {
  samples: Int16Array;
  sampleRate: SampleRate;
  scheduler: SchedulerLike;
  /** Delay from subscription to the first audio chunk (marks go out with it); default 0. */
  firstChunkDelayMs?: number;
  /** Chunk length in ms; default 20. */
  chunkMs?: number;
  /** After the first chunk: 'burst' sends everything at once (default); 'realtime' one chunk per chunkMs. */
  pacing?: 'burst' | 'realtime';
  marks?: FakeMark[];
  /** Fail with this error after `failAfterChunks` chunks. */
  error?: unknown;
  failAfterChunks?: number;
  /** Counts live subscriptions, to prove cancellation. */
  counter?: { active: number; total: number };
}

/**
 * A TTS event stream with controllable timing, for tests: marks and audio chunks on the scheduler,
 * then `end`. Unsubscribing cancels its timers.
 */
export function fakeTtsEvents(options: FakeTtsOptions): Observable<TtsEvent> {
  const { samples, sampleRate, scheduler } = options;
  const chunk = Math.round(((options.chunkMs ?? 20) * sampleRate) / 1000);
  return new Observable<TtsEvent>((subscriber) => {
    const counter = options.counter;
    if (counter) {
      counter.active++;
      counter.total++;
    }
    let timer: Subscription | undefined;
    let sent = 0;
    let chunks = 0;
    const sendMarks = (): void => {
      for (const mark of options.marks ?? []) {
        subscriber.next({
          type: 'mark',
          kind: mark.kind,
          text: mark.text,
          offsetMs: mark.offsetMs,
          durationMs: mark.durationMs ?? 0,
          aligned: true,
          at: scheduler.now(),
        });
      }
    };
    const sendChunk = (): boolean => {
      if (options.error !== undefined && chunks >= (options.failAfterChunks ?? 0)) {
        subscriber.error(options.error);
        return false;
      }
      if (sent >= samples.length) {
        subscriber.next({
          type: 'end',
          durationMs: (samples.length * 1000) / sampleRate,
          at: scheduler.now(),
        });
        subscriber.complete();
        return false;
      }
      const end = Math.min(samples.length, sent + chunk);
      subscriber.next({
        type: 'audio',
        frame: {
          samples: samples.subarray(sent, end),
          sampleRate,
          channels: 1,
          timestamp: (sent * 1000) / sampleRate,
        },
        at: scheduler.now(),
      });
      sent = end;
      chunks++;
      return true;
    };
    const first = (): void => {
      sendMarks();
      if (options.pacing === 'realtime') {
        const step = (): void => {
          if (sendChunk()) timer = scheduler.schedule(step, options.chunkMs ?? 20);
        };
        step();
      } else {
        while (!subscriber.closed && sendChunk()) {
          // burst
        }
      }
    };
    const delay = options.firstChunkDelayMs ?? 0;
    if (delay > 0) timer = scheduler.schedule(first, delay);
    else first();
    return () => {
      timer?.unsubscribe();
      if (counter) counter.active--;
    };
  });
}

/** `length` samples of a constant value. */
export function constantSamples(length: number, value: number): Int16Array {
  return new Int16Array(length).fill(value);
}

/** Samples whose value identifies their index: 1, 2, 3, … (wrapping below 30000). */
export function indexedSamples(length: number): Int16Array {
  const samples = new Int16Array(length);
  for (let i = 0; i < length; i++) samples[i] = (i % 30000) + 1;
  return samples;
}

/** The number of actions pending on a virtual clock's scheduler. */
export function pendingActions(scheduler: SchedulerLike): number {
  return (scheduler as unknown as { actions: unknown[] }).actions.length;
}
