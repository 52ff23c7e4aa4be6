import { from, NEVER, Observable, Subject, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { AudioFormatError, InvalidArgumentError } from '../errors/index';
import { type AudioFrame, createAudioFrame } from './audio-frame';
import { mixTracks } from './mix-tracks';

const FORMAT = { sampleRate: 16000, channels: 1 } as const;

function frame(values: number[] | number, length = 320): AudioFrame {
  const samples = typeof values === 'number' ? new Int16Array(length).fill(values) : Int16Array.from(values);
  return createAudioFrame({ samples, sampleRate: 16000, channels: 1 });
}

function collect(source: Observable<AudioFrame>) {
  const frames: AudioFrame[] = [];
  const state = { completed: false, error: undefined as unknown };
  const subscription = source.subscribe({
    next: (f) => frames.push(f),
    error: (error: unknown) => {
      state.error = error;
    },
    complete: () => {
      state.completed = true;
    },
  });
  return { frames, state, subscription };
}

describe("mixTracks with 'input' pacing", () => {
  it('sums finite inputs sample-exactly and zero-pads the last frame', () => {
    const a = [frame(100, 200), frame(100, 300)]; // 500 samples
    const b = [frame(-30, 320), frame(-30, 320)]; // 640 samples
    const { frames, state } = collect(
      mixTracks({ tracks: { a: from(a), b: from(b) }, format: FORMAT, startTimestamp: 1000 }),
    );
    expect(state.completed).toBe(true);
    expect(frames.map((f) => f.timestamp)).toEqual([1000, 1020]);
    const out = frames.flatMap((f) => [...f.samples]);
    expect(out.slice(0, 500).every((s) => s === 70)).toBe(true);
    expect(out.slice(500, 640).every((s) => s === -30)).toBe(true);
  });

  it('waits for every live track, but not for completed ones', () => {
    const a = new Subject<AudioFrame>();
    const b = new Subject<AudioFrame>();
    const { frames, state } = collect(mixTracks({ tracks: { a, b }, format: FORMAT }));
    a.next(frame(1, 640));
    expect(frames).toHaveLength(0); // b has nothing yet
    b.next(frame(2, 320));
    expect(frames.map((f) => f.samples[0])).toEqual([3]);
    b.complete();
    expect(frames.map((f) => f.samples[0])).toEqual([3, 1]);
    a.next(frame(5, 100));
    expect(frames).toHaveLength(2);
    a.complete();
    expect(frames.map((f) => f.samples[0])).toEqual([3, 1, 5]);
    expect(frames[2]!.samples[100]).toBe(0);
    expect(state.completed).toBe(true);
  });

  it('applies starting gains and completes at once with no tracks', () => {
    const { frames } = collect(
      mixTracks({ tracks: { voice: from([frame(1000)]) }, format: FORMAT, gainsDb: { voice: -6 } }),
    );
    expect(frames[0]!.samples[0]).toBe(Math.round(1000 * 10 ** (-6 / 20)));
    const empty = collect(mixTracks({ tracks: {}, format: FORMAT }));
    expect(empty.frames).toHaveLength(0);
    expect(empty.state.completed).toBe(true);
  });

  it('errors on a frame in another format and on an input error', () => {
    const wrong = createAudioFrame({ samples: new Int16Array(480), sampleRate: 24000, channels: 1 });
    const mismatch = collect(mixTracks({ tracks: { a: from([wrong]) }, format: FORMAT }));
    expect(AudioFormatError.isInstance(mismatch.state.error)).toBe(true);
    const failure = new Error('tts dropped');
    const failed = collect(mixTracks({ tracks: { a: NEVER, b: throwError(() => failure) }, format: FORMAT }));
    expect(failed.state.error).toBe(failure);
  });

  it('validates its options at call time', () => {
    expect(() => mixTracks({ tracks: { a: NEVER }, format: FORMAT, gainsDb: { b: -3 } })).toThrowError(
      InvalidArgumentError,
    );
    expect(() =>
      mixTracks({ tracks: { a: NEVER }, format: { sampleRate: 16000, channels: 3 as 1 } }),
    ).toThrowError(AudioFormatError);
  });
});

describe("mixTracks with 'clock' pacing", () => {
  it('renders a frame per tick, silence where input is missing, and completes once drained', () => {
    const clock = createVirtualClock();
    const voice = new Subject<AudioFrame>();
    const { frames, state } = collect(
      mixTracks({ tracks: { voice }, format: FORMAT, scheduler: clock.scheduler }),
    );
    expect(frames.map((f) => f.timestamp)).toEqual([0]);
    voice.next(frame(7, 480));
    clock.advanceBy(20);
    clock.advanceBy(20);
    expect(frames.map((f) => f.timestamp)).toEqual([0, 20, 40]);
    expect(frames.map((f) => f.samples[0])).toEqual([0, 7, 7]);
    expect(frames[2]!.samples[159]).toBe(7);
    expect(frames[2]!.samples[160]).toBe(0);
    voice.complete();
    clock.advanceBy(100);
    expect(state.completed).toBe(true);
    expect(frames).toHaveLength(3);
  });

  it('stops the clock and unsubscribes the inputs on unsubscribe', () => {
    const clock = createVirtualClock();
    let unsubscribed = false;
    const input = new Observable<AudioFrame>(() => () => {
      unsubscribed = true;
    });
    const { frames, subscription } = collect(
      mixTracks({ tracks: { input }, format: FORMAT, pacing: 'clock', scheduler: clock.scheduler }),
    );
    clock.advanceBy(40);
    expect(frames).toHaveLength(3);
    subscription.unsubscribe();
    expect(unsubscribed).toBe(true);
    clock.advanceBy(200);
    expect(frames).toHaveLength(3);
  });
});
