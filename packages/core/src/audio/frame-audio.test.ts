import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { AudioFormatError, InvalidArgumentError, UnsupportedSampleRateError } from '../errors/index';
import { AudioFramer, frameAudio } from './frame-audio';
import { samplesToPcm16Bytes } from './pcm16';

/** `count` samples 1, 2, 3, … as PCM16 LE bytes. */
function rampBytes(count: number): Uint8Array {
  return samplesToPcm16Bytes(Int16Array.from({ length: count }, (_, i) => i + 1)).slice();
}

describe('AudioFramer', () => {
  it('cuts 48 kHz bytes into 20 ms frames of 960 samples, carrying the remainder', () => {
    const framer = new AudioFramer({ sampleRate: 48000 });
    const bytes = rampBytes(2500);
    expect(framer.push(bytes.subarray(0, 1000))).toEqual([]);
    expect(framer.bufferedBytes).toBe(1000);
    const frames = framer.push(bytes.subarray(1000));
    expect(frames.map((frame) => frame.timestamp)).toEqual([0, 20]);
    expect(frames.map((frame) => frame.samples.length)).toEqual([960, 960]);
    expect(frames[0]?.samples[0]).toBe(1);
    expect(frames[1]?.samples[959]).toBe(1920);
    expect(framer.bufferedBytes).toBe(5000 - 2 * 1920);
  });

  it('reassembles samples split across chunks on an odd byte', () => {
    const framer = new AudioFramer({ sampleRate: 8000, frameDurationMs: 10 }); // 80 samples
    const bytes = rampBytes(80);
    bytes[2] = 0x34; // sample 1 = 0x1234, split between the two chunks
    bytes[3] = 0x12;
    expect(framer.push(bytes.subarray(0, 3))).toEqual([]);
    const [frame] = framer.push(bytes.subarray(3));
    expect(frame?.samples[1]).toBe(0x1234);
    expect(frame?.samples[79]).toBe(80);
  });

  it('emits one frame per byte boundary when fed a byte at a time', () => {
    const framer = new AudioFramer({ sampleRate: 16000 });
    const bytes = rampBytes(700);
    const frames = [];
    for (const byte of bytes) frames.push(...framer.push(new Uint8Array([byte])));
    expect(frames).toHaveLength(2);
    expect(Array.from(frames[1]?.samples.subarray(0, 3) ?? [])).toEqual([321, 322, 323]);
  });

  it('emits minutes of audio pushed at once as exact frames with exact timestamps', () => {
    const framer = new AudioFramer({ sampleRate: 22050, startTimestamp: 1000 }); // 441 samples
    const frames = framer.push(new Uint8Array(22050 * 2 * 120));
    expect(frames).toHaveLength(6000);
    expect(frames.every((frame) => frame.samples.length === 441)).toBe(true);
    expect(frames[5999]?.timestamp).toBe(1000 + 5999 * 20);
    expect(framer.flush()).toBeUndefined();
  });

  it('gives every frame its own memory, independent of the input chunk', () => {
    const framer = new AudioFramer({ sampleRate: 8000 });
    const chunk = rampBytes(320);
    const [first, second] = framer.push(chunk);
    chunk.fill(0);
    expect(first?.samples[0]).toBe(1);
    expect(second?.samples[0]).toBe(161);
    expect(first?.samples.buffer).not.toBe(second?.samples.buffer);
  });

  it('zero-pads the last partial frame by default, including an odd trailing byte', () => {
    const framer = new AudioFramer({ sampleRate: 8000 }); // 160 samples
    framer.push(rampBytes(200));
    const bytes = new Uint8Array([0x7f]);
    framer.push(bytes);
    const last = framer.flush();
    expect(last?.timestamp).toBe(20);
    expect(last?.samples.length).toBe(160);
    expect(Array.from(last?.samples.subarray(38, 42) ?? [])).toEqual([199, 200, 0x7f, 0]);
    expect(framer.flush()).toBeUndefined();
  });

  it('emits the last frame short with padLast: false, completing only the last stereo sample', () => {
    const framer = new AudioFramer({ sampleRate: 8000, channels: 2, padLast: false });
    framer.push(rampBytes(5)); // two stereo sample frames and a lone left sample
    const last = framer.flush();
    expect(Array.from(last?.samples ?? [])).toEqual([1, 2, 3, 4, 5, 0]);
    expect(last?.channels).toBe(2);
  });

  it('continues the timeline after a flush and restarts it on reset', () => {
    const framer = new AudioFramer({ sampleRate: 16000, startTimestamp: 500 });
    framer.push(new Uint8Array(100));
    expect(framer.flush()?.timestamp).toBe(500);
    expect(framer.push(new Uint8Array(640))[0]?.timestamp).toBe(520);
    framer.push(new Uint8Array(10));
    framer.reset(2000);
    expect(framer.bufferedBytes).toBe(0);
    expect(framer.nextTimestamp).toBe(2000);
    expect(framer.push(new Uint8Array(640))[0]?.timestamp).toBe(2000);
  });

  it('rejects formats it cannot frame, naming the problem', () => {
    expect(() => new AudioFramer({ sampleRate: 11025 })).toThrow(UnsupportedSampleRateError);
    expect(() => new AudioFramer({ sampleRate: 16000, channels: 6 })).toThrow(AudioFormatError);
    expect(() => new AudioFramer({ sampleRate: 22050, frameDurationMs: 10 })).toThrow(InvalidArgumentError);
    expect(() => new AudioFramer({ sampleRate: 16000, startTimestamp: Number.NaN })).toThrow(
      /startTimestamp/,
    );
    const framer = new AudioFramer({ sampleRate: 16000 });
    expect(() => framer.push(new Int16Array(4) as unknown as Uint8Array)).toThrow(/Uint8Array/);
  });
});

describe('frameAudio', () => {
  it('frames a byte stream and flushes the padded remainder on completion', async () => {
    const frames = await lastValueFrom(
      from([new Uint8Array(500), new Uint8Array(700)]).pipe(frameAudio({ sampleRate: 16000 }), toArray()),
    );
    expect(frames.map((frame) => [frame.timestamp, frame.samples.length])).toEqual([
      [0, 320],
      [20, 320],
    ]);
  });

  it('is cold: every subscription starts its own timeline', async () => {
    const framed = from([new Uint8Array(640)]).pipe(frameAudio({ sampleRate: 16000, startTimestamp: 40 }));
    const first = await lastValueFrom(framed.pipe(toArray()));
    const second = await lastValueFrom(framed.pipe(toArray()));
    expect(first[0]?.timestamp).toBe(40);
    expect(second[0]?.timestamp).toBe(40);
  });

  it('errors on a chunk that is not bytes, and passes source errors through unflushed', () => {
    const source = new Subject<Uint8Array>();
    const seen: string[] = [];
    source.pipe(frameAudio({ sampleRate: 8000 })).subscribe({
      next: () => seen.push('next'),
      error: (error: unknown) => seen.push(AudioFormatError.isInstance(error) ? 'format-error' : 'other'),
    });
    source.next(new Uint8Array(10));
    source.next('oops' as unknown as Uint8Array);
    expect(seen).toEqual(['format-error']);

    const failing = new Subject<Uint8Array>();
    const events: string[] = [];
    failing.pipe(frameAudio({ sampleRate: 8000 })).subscribe({
      next: () => events.push('next'),
      error: () => events.push('error'),
    });
    failing.next(new Uint8Array(10));
    failing.error(new Error('socket closed'));
    expect(events).toEqual(['error']);
  });

  it('validates options when the operator is created', () => {
    expect(() => frameAudio({ sampleRate: 16000, frameDurationMs: -20 })).toThrow(InvalidArgumentError);
  });
});
