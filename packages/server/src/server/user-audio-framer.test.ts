import { describe, expect, it } from 'vitest';
import { UserAudioFramer } from './user-audio-framer';

const ramp = (from: number, count: number) => Int16Array.from({ length: count }, (_, index) => from + index);

describe('UserAudioFramer', () => {
  it('cuts chunks into contiguous 20 ms frames and carries the remainder into the next chunk', () => {
    const framer = new UserAudioFramer(16000);
    // 30 ms, then 30 ms: one frame, then the 10 ms left over joined with the next chunk → two.
    const first = framer.push(ramp(0, 480), 1030);
    expect(first.map((frame) => [frame.samples[0], frame.samples.length, frame.timestamp])).toEqual([
      [0, 320, 1000],
    ]);
    const second = framer.push(ramp(480, 480), 1060);
    expect(second.map((frame) => [frame.samples[0], frame.samples.length, frame.timestamp])).toEqual([
      [320, 320, 1020],
      [640, 320, 1040],
    ]);
    expect(Array.from(second[1]!.samples)).toEqual(Array.from(ramp(640, 320)));
  });

  it('re-syncs to the arrival time after a gap', () => {
    const framer = new UserAudioFramer(16000);
    framer.push(ramp(0, 320), 1020);
    const late = framer.push(ramp(0, 320), 5020);
    expect(late[0]!.timestamp).toBe(5000);
  });
});
