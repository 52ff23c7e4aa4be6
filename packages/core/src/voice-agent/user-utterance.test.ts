import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../audio/audio-frame';
import { UserUtterance } from './user-utterance';

function frame(length: number, first: number, timestamp: number): AudioFrame {
  return {
    samples: Int16Array.from({ length }, (_, index) => (first + index) % 32768),
    sampleRate: 16000,
    channels: 1,
    timestamp,
  };
}

describe('UserUtterance', () => {
  it('replays the pre-roll and every frame as it came to a late subscriber, then the live ones', () => {
    const preRoll = Int16Array.from({ length: 960 }, (_, index) => -index);
    const utterance = new UserUtterance(1000, 16000, preRoll, 940);
    // 150 frames of varying length (past the frame index's first growth), with a gap in time.
    const pushed: AudioFrame[] = [];
    let at = 1000;
    for (let index = 0; index < 150; index++) {
      const next = frame(160 + (index % 3) * 160, index * 7, at);
      pushed.push(next);
      utterance.push(next);
      at += index === 80 ? 500 : (next.samples.length * 1000) / 16000;
    }
    const received: AudioFrame[] = [];
    let completed = false;
    utterance.audio.subscribe({ next: (value) => received.push(value), complete: () => (completed = true) });
    const live = frame(320, 99, at);
    utterance.push(live);
    utterance.close();

    expect(completed).toBe(true);
    // Pre-roll: 960 samples as three 20 ms frames from 940 ms.
    expect(received.slice(0, 3).map((value) => [value.timestamp, value.samples.length])).toEqual([
      [940, 320],
      [960, 320],
      [980, 320],
    ]);
    expect([...received.slice(0, 3).flatMap((value) => [...value.samples])]).toEqual([...preRoll]);
    const replayed = received.slice(3);
    expect(replayed).toHaveLength(151);
    for (const [index, expected] of [...pushed, live].entries()) {
      expect(replayed[index]!.timestamp).toBe(expected.timestamp);
      expect([...replayed[index]!.samples]).toEqual([...expected.samples]);
    }
    expect(utterance.durationMs).toBe(
      (960 + pushed.reduce((sum, value) => sum + value.samples.length, 0) + 320) / 16,
    );
  });

  it('gives its audio back once transcribed and closed, refusing later subscribers', () => {
    const utterance = new UserUtterance(0, 16000, new Int16Array(0), 0);
    const early: AudioFrame[] = [];
    utterance.audio.subscribe((value) => early.push(value));
    utterance.push(frame(320, 1, 0));
    // Released before the end of speech: the audio stays until the utterance closes.
    utterance.releaseAudio();
    utterance.push(frame(320, 2, 20));
    const replayed: AudioFrame[] = [];
    utterance.audio.subscribe((value) => replayed.push(value));
    expect(replayed.map((value) => value.samples[0])).toEqual([1, 2]);
    utterance.close();
    expect(early.map((value) => value.samples[0])).toEqual([1, 2]);
    let error: unknown;
    utterance.audio.subscribe({ error: (value: unknown) => (error = value) });
    expect(error).toMatchObject({ code: 'audio-released' });
    expect(utterance.durationMs).toBe(40);
  });
});
