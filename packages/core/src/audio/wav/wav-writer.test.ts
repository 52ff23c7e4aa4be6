import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudioFormatError, InvalidArgumentError, UnsupportedSampleRateError } from '../../errors/index';
import { createAudioFrame } from '../audio-frame';
import { encodeWav } from './encode-wav';
import { readWav } from './read-wav';
import { MemoryWavSink, type WavSink, WavWriter } from './wav-writer';

const FORMAT = { sampleRate: 16000, channels: 2 } as const;

describe('encodeWav', () => {
  it('writes the canonical 44-byte PCM16 header', () => {
    const bytes = encodeWav(Int16Array.from([1, -2, 3, -4]), FORMAT);
    const view = new DataView(bytes.buffer);
    const text = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
    expect(bytes.length).toBe(52);
    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(44);
    expect(view.getUint32(16, true)).toBe(16);
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(24, true)).toBe(16000);
    expect(view.getUint32(28, true)).toBe(64000);
    expect(view.getUint16(32, true)).toBe(4);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(8);
    expect(view.getInt16(46, true)).toBe(-2);
  });

  it('rejects unusable formats and samples that do not fill every channel', () => {
    expect(() => encodeWav(new Int16Array(3), FORMAT)).toThrowError(AudioFormatError);
    expect(() => encodeWav(new Int16Array(2), { sampleRate: 11025 as 16000, channels: 1 })).toThrowError(
      UnsupportedSampleRateError,
    );
  });
});

describe('WavWriter', () => {
  it('streams frames and samples into the same bytes encodeWav writes', async () => {
    const sink = new MemoryWavSink();
    const writer = new WavWriter(sink, FORMAT);
    const first = createAudioFrame({
      samples: Int16Array.from([1, 2, 3, 4]),
      sampleRate: 16000,
      channels: 2,
    });
    const reused = Int16Array.from([5, 6]);
    const pending = [writer.write(first), writer.write(reused)];
    reused.fill(0); // copied at call time
    await Promise.all(pending);
    expect(writer.dataBytes).toBe(12);
    expect(writer.durationMs).toBeCloseTo(3 / 16, 12);
    await writer.end();
    expect(sink.bytes()).toEqual(encodeWav(Int16Array.from([1, 2, 3, 4, 5, 6]), FORMAT));
  });

  it('leaves a readable file before end(), with unknown-length sizes', async () => {
    const sink = new MemoryWavSink();
    const writer = new WavWriter(sink, FORMAT);
    await writer.write(Int16Array.from([9, 8, 7, 6]));
    const partial = sink.bytes();
    expect(new DataView(partial.buffer).getUint32(40, true)).toBe(0xffffffff);
    expect([...readWav(partial).samples]).toEqual([9, 8, 7, 6]);
    await writer.end();
  });

  it('rejects frames in another format, and writes after end()', async () => {
    const writer = new WavWriter(new MemoryWavSink(), FORMAT);
    const mono = createAudioFrame({ samples: new Int16Array(2), sampleRate: 16000, channels: 1 });
    await expect(writer.write(mono)).rejects.toThrowError(AudioFormatError);
    await expect(writer.write(new Int16Array(3))).rejects.toThrowError(
      /not a multiple of the channel count 2/,
    );
    const ending = writer.end();
    expect(writer.end()).toBe(ending);
    await ending;
    await expect(writer.write(new Int16Array(2))).rejects.toThrowError(InvalidArgumentError);
  });

  it('sticks to the first sink failure and still closes the sink', async () => {
    let closed = 0;
    let calls = 0;
    const failure = new Error('disk full');
    const sink: WavSink = {
      write: () => {
        calls++;
        if (calls === 2) throw failure;
      },
      close: () => {
        closed++;
      },
    };
    const writer = new WavWriter(sink, FORMAT);
    await expect(writer.write(new Int16Array(2))).rejects.toBe(failure);
    await expect(writer.write(new Int16Array(2))).rejects.toBe(failure);
    await expect(writer.end()).rejects.toBe(failure);
    expect(calls).toBe(2);
    expect(closed).toBe(1);
  });

  it('writes a file through WavWriter.open', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'argentum-wav-'));
    try {
      const path = join(directory, 'out.wav');
      const writer = await WavWriter.open(path, { sampleRate: 48000, channels: 1 });
      const samples = Int16Array.from({ length: 4800 }, (_, i) => Math.round(10000 * Math.sin(i / 10)));
      for (let i = 0; i < samples.length; i += 960) await writer.write(samples.subarray(i, i + 960));
      await writer.end();
      const bytes = new Uint8Array(await readFile(path));
      expect(bytes).toEqual(encodeWav(samples, { sampleRate: 48000, channels: 1 }));
      expect(readWav(bytes).durationMs).toBe(100);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
