import { from, lastValueFrom, map, of, Subject, take, throwError, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { AudioFormatError, InvalidArgumentError, UnsupportedSampleRateError } from '../errors/index';
import { collectInVirtualTime } from '../testing/collect-in-virtual-time';
import type { AudioFrame, SampleRate } from './audio-frame';
import { resample } from './resample';
import { type ResampleQuality, StreamingResampler } from './resampler';

/** A 20 ms frame of a 440 Hz tone at `sampleRate`, continuing from sample `offset`. */
function toneFrame(sampleRate: SampleRate, channels: 1 | 2, timestamp: number, offset = 0): AudioFrame {
  const length = (sampleRate * 20) / 1000;
  const samples = new Int16Array(length * channels);
  for (let i = 0; i < length; i++) {
    const value = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (offset + i)) / sampleRate));
    for (let channel = 0; channel < channels; channel++)
      samples[i * channels + channel] = channel === 0 ? value : -value;
  }
  return { samples, sampleRate, channels, timestamp };
}

/** `count` contiguous 20 ms tone frames starting at `startMs`. */
function toneFrames(sampleRate: SampleRate, channels: 1 | 2, count: number, startMs = 0): AudioFrame[] {
  return Array.from({ length: count }, (_, index) =>
    toneFrame(sampleRate, channels, startMs + index * 20, (index * sampleRate * 20) / 1000),
  );
}

function concat(parts: readonly Int16Array[]): Int16Array {
  const output = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    output.set(part, offset);
    offset += part.length;
  }
  return output;
}

/** The whole-stream output of a {@link StreamingResampler} for the frames' samples. */
function reference(
  frames: readonly AudioFrame[],
  to: SampleRate,
  quality: ResampleQuality = 'fast',
): Int16Array {
  const first = frames[0]!;
  const resampler = new StreamingResampler({
    inputRate: first.sampleRate,
    outputRate: to,
    channels: first.channels,
    quality,
  });
  return concat([...frames.map((frame) => resampler.process(frame.samples)), resampler.flush()]);
}

describe('resample operator', () => {
  it('resamples 48 kHz frames to 16 kHz, flushing the tail on completion so no sample is lost', async () => {
    const input = toneFrames(48000, 1, 5);
    const output = await lastValueFrom(from(input).pipe(resample({ to: 16000 }), toArray()));
    expect(output.every((frame) => frame.sampleRate === 16000 && frame.channels === 1)).toBe(true);
    const samples = concat(output.map((frame) => frame.samples));
    expect(samples).toHaveLength(1600); // ⌈5 · 960 · 16000 / 48000⌉
    expect(samples).toEqual(reference(input, 16000));
    // One output frame per input frame, then the tail held back by the filter's look-ahead.
    expect(output).toHaveLength(6);
    expect(output.slice(1, 5).map((frame) => frame.samples.length)).toEqual([320, 320, 320, 320]);
    expect(output[0]!.samples.length + output[5]!.samples.length).toBe(320);
  });

  it('stamps each output frame with the time of its first sample', async () => {
    // Contiguous input from 1000 ms: output frame k starts (samples before it) / 16 kHz later.
    const output = await lastValueFrom(
      from(toneFrames(48000, 1, 4, 1000)).pipe(resample({ to: 16000 }), toArray()),
    );
    let before = 0;
    for (const frame of output) {
      expect(frame.timestamp).toBeCloseTo(1000 + (before * 1000) / 16000, 9);
      before += frame.samples.length;
    }
    expect(output[0]!.timestamp).toBe(1000);
  });

  it('carries gaps in the input timestamps through', async () => {
    // Frames at 0, 20 and then 500 ms (the source paused): the third output frame is stamped from
    // its own input frame, minus the look-ahead offset, not from the sample count.
    const [first, second, third] = toneFrames(24000, 1, 3);
    const late = { ...third!, timestamp: 500 };
    const output = await lastValueFrom(of(first!, second!, late).pipe(resample({ to: 48000 }), toArray()));
    const offsetMs = output[1]!.timestamp - 20;
    expect(offsetMs).toBeLessThanOrEqual(0);
    expect(offsetMs).toBeGreaterThan(-1);
    expect(output[2]!.timestamp).toBeCloseTo(500 + offsetMs, 9);
  });

  it('passes frames already at the target rate through without copying', async () => {
    const frame = toneFrame(16000, 2, 40);
    const output = await lastValueFrom(of(frame).pipe(resample({ to: 16000 }), toArray()));
    expect(output).toHaveLength(1);
    expect(output[0]).toBe(frame);
  });

  it('keeps stereo stereo, with each channel resampled on its own', async () => {
    const input = toneFrames(44100, 2, 3);
    const output = await lastValueFrom(from(input).pipe(resample({ to: 16000, quality: 'high' }), toArray()));
    expect(output.every((frame) => frame.channels === 2)).toBe(true);
    const samples = concat(output.map((frame) => frame.samples));
    expect(samples).toHaveLength(2 * 960); // ⌈3 · 882 · 16000 / 44100⌉ = 960 per channel
    expect(samples).toEqual(reference(input, 16000, 'high'));
    // The right channel is the negated left one in the input, and so it stays (within rounding).
    for (let i = 0; i < samples.length; i += 2)
      expect(Math.abs(samples[i]! + samples[i + 1]!)).toBeLessThanOrEqual(1);
  });

  it('starts a new resampler when the rate changes mid-stream, flushing the old one first', async () => {
    const first = toneFrames(48000, 1, 2);
    const second = toneFrames(24000, 1, 2, 40);
    const passed = toneFrame(16000, 1, 80);
    const output = await lastValueFrom(
      from([...first, ...second, passed]).pipe(resample({ to: 16000 }), toArray()),
    );
    const sources = [first, second];
    let index = 0;
    for (const segment of sources) {
      const expected = reference(segment, 16000);
      const frames: AudioFrame[] = [];
      let length = 0;
      while (length < expected.length) {
        const frame = output[index++]!;
        frames.push(frame);
        length += frame.samples.length;
      }
      expect(concat(frames.map((frame) => frame.samples))).toEqual(expected);
      expect(frames[0]!.timestamp).toBe(segment[0]!.timestamp);
    }
    expect(output.slice(index)).toEqual([passed]);
  });

  it('starts a new resampler when the channel count changes mid-stream', async () => {
    const mono = toneFrames(48000, 1, 2);
    const stereo = toneFrames(48000, 2, 2, 40);
    const output = await lastValueFrom(from([...mono, ...stereo]).pipe(resample({ to: 8000 }), toArray()));
    const monoOut = output.filter((frame) => frame.channels === 1);
    const stereoOut = output.filter((frame) => frame.channels === 2);
    expect(output.indexOf(stereoOut[0]!)).toBe(monoOut.length); // all mono output comes first
    expect(concat(monoOut.map((frame) => frame.samples))).toEqual(reference(mono, 8000));
    expect(concat(stereoOut.map((frame) => frame.samples))).toEqual(reference(stereo, 8000));
  });

  it('emits the flushed tail at completion time under a virtual clock', () => {
    const frames = toneFrames(48000, 1, 3);
    const events = collectInVirtualTime((scheduler) =>
      timer(0, 20, scheduler).pipe(
        take(3),
        map((index) => frames[index]!),
        resample({ to: 16000 }),
      ),
    );
    expect(events.map((event) => [event.kind, event.at])).toEqual([
      ['next', 0],
      ['next', 20],
      ['next', 40],
      ['next', 40],
      ['complete', 40],
    ]);
    const total = events.reduce(
      (sum, event) => sum + (event.kind === 'next' ? event.value.samples.length : 0),
      0,
    );
    expect(total).toBe(960);
  });

  it('emits nothing for a frame too short to complete an output sample', async () => {
    const tiny: AudioFrame = { samples: new Int16Array(4), sampleRate: 48000, channels: 1, timestamp: 0 };
    const output = await lastValueFrom(of(tiny).pipe(resample({ to: 8000 }), toArray()));
    // 4 samples at 48 kHz are ⌈4 / 6⌉ = 1 sample at 8 kHz, which only the flush can produce.
    expect(output).toHaveLength(1);
    expect(output[0]!.samples).toHaveLength(1);
  });

  it('is cold: every subscription resamples from scratch', async () => {
    const source = from(toneFrames(22050, 1, 3)).pipe(resample({ to: 48000 }));
    const first = await lastValueFrom(source.pipe(toArray()));
    const second = await lastValueFrom(source.pipe(toArray()));
    expect(second).toEqual(first);
  });

  it('rejects an unsupported target rate or quality when called', () => {
    expect(() => resample({ to: 44000 as SampleRate })).toThrow(UnsupportedSampleRateError);
    expect(() => resample({ to: 16000, quality: 'best' as ResampleQuality })).toThrow(InvalidArgumentError);
  });

  it('errors with AudioFormatError on a frame whose samples do not fit its channel count', async () => {
    const bad: AudioFrame = { samples: new Int16Array(3), sampleRate: 48000, channels: 2, timestamp: 0 };
    await expect(lastValueFrom(of(bad).pipe(resample({ to: 16000 })))).rejects.toThrow(AudioFormatError);
  });

  it('errors with UnsupportedSampleRateError on a frame at an unsupported rate', async () => {
    const bad = {
      samples: new Int16Array(220),
      sampleRate: 11025,
      channels: 1,
      timestamp: 0,
    } as unknown as AudioFrame;
    await expect(lastValueFrom(of(bad).pipe(resample({ to: 16000 })))).rejects.toThrow(
      UnsupportedSampleRateError,
    );
  });

  it('passes a source error on without flushing', async () => {
    const received: AudioFrame[] = [];
    const failure = new Error('microphone unplugged');
    const source = from([toneFrame(48000, 1, 0), 'fail' as const]).pipe(
      map((item) => {
        if (item === 'fail') throw failure;
        return item;
      }),
    );
    await expect(
      lastValueFrom(
        source.pipe(
          resample({ to: 16000 }),
          map((frame) => received.push(frame)),
        ),
      ),
    ).rejects.toBe(failure);
    expect(received).toHaveLength(1); // the first frame's output, and no flushed tail
    await expect(lastValueFrom(throwError(() => failure).pipe(resample({ to: 16000 })))).rejects.toBe(
      failure,
    );
  });

  it('unsubscribes from the source when unsubscribed', () => {
    const source = new Subject<AudioFrame>();
    const received: AudioFrame[] = [];
    const subscription = source.pipe(resample({ to: 16000 })).subscribe((frame) => received.push(frame));
    source.next(toneFrame(48000, 1, 0));
    expect(source.observed).toBe(true);
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
    source.next(toneFrame(48000, 1, 20));
    source.complete();
    expect(received).toHaveLength(1);
  });
});
