import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  InvalidSampleError,
  UnsupportedSampleRateError,
  WavFormatError,
} from '../../errors/index';
import { encodeWav } from './encode-wav';
import { readWav } from './read-wav';

interface Chunk {
  id: string;
  body: Uint8Array;
  /** Overrides the size field. */
  size?: number;
}

function tag(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

function u16(value: number): number[] {
  return [value & 0xff, (value >> 8) & 0xff];
}

function u32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

function fmtBody(options: {
  formatTag?: number;
  channels?: number;
  sampleRate?: number;
  blockAlign?: number;
  bits?: number;
  extra?: number[];
}): Uint8Array {
  const channels = options.channels ?? 1;
  const bits = options.bits ?? 16;
  const sampleRate = options.sampleRate ?? 16000;
  const blockAlign = options.blockAlign ?? (channels * bits) / 8;
  return Uint8Array.from([
    ...u16(options.formatTag ?? 1),
    ...u16(channels),
    ...u32(sampleRate),
    ...u32(sampleRate * blockAlign),
    ...u16(blockAlign),
    ...u16(bits),
    ...(options.extra ?? []),
  ]);
}

const GUID_TAIL = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

function extensible(subformat: number, bits: number, guidTail = GUID_TAIL): number[] {
  return [...u16(22), ...u16(bits), ...u32(0x4), ...u32(subformat), ...guidTail];
}

function pcm(values: number[]): Uint8Array {
  return Uint8Array.from(values.flatMap((v) => u16(v & 0xffff)));
}

function floats(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [i, v] of values.entries()) view.setFloat32(i * 4, v, true);
  return bytes;
}

function riff(
  chunks: Chunk[],
  options: { riffSize?: number; form?: string; magic?: string } = {},
): Uint8Array {
  const parts: number[] = [];
  for (const chunk of chunks) {
    parts.push(...tag(chunk.id), ...u32(chunk.size ?? chunk.body.length), ...chunk.body);
    if (chunk.body.length % 2 === 1) parts.push(0);
  }
  return Uint8Array.from([
    ...tag(options.magic ?? 'RIFF'),
    ...u32(options.riffSize ?? parts.length + 4),
    ...tag(options.form ?? 'WAVE'),
    ...parts,
  ]);
}

const fmt16 = (extra: Parameters<typeof fmtBody>[0] = {}): Chunk => ({ id: 'fmt ', body: fmtBody(extra) });
const data = (body: Uint8Array, size?: number): Chunk => ({ id: 'data', body, size });

function wavError(bytes: Uint8Array): WavFormatError {
  try {
    readWav(bytes);
  } catch (error) {
    if (WavFormatError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('readWav accepted the file');
}

describe('readWav', () => {
  it('reads 16-bit PCM written by encodeWav', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
    const wav = readWav(encodeWav(samples, { sampleRate: 24000, channels: 2 }));
    expect(wav.format).toEqual({ sampleRate: 24000, channels: 2 });
    expect(wav.encoding).toBe('pcm16');
    expect([...wav.samples]).toEqual([...samples]);
    expect(wav.durationMs).toBe(0.125);
  });

  it('reads from a view at an odd byte offset', () => {
    const file = encodeWav(Int16Array.from([-3, 4]), { sampleRate: 8000, channels: 1 });
    const backing = new Uint8Array(file.length + 1);
    backing.set(file, 1);
    expect([...readWav(backing.subarray(1)).samples]).toEqual([-3, 4]);
  });

  it('does not share memory with the input bytes', () => {
    const bytes = encodeWav(Int16Array.from([5, 6]), { sampleRate: 16000, channels: 1 });
    const wav = readWav(bytes);
    bytes[44] = 99;
    expect(wav.samples[0]).toBe(5);
  });

  it('cuts frames, zero-padding the last one, with timestamps', () => {
    const samples = Int16Array.from({ length: 700 }, (_, i) => i);
    const wav = readWav(encodeWav(samples, { sampleRate: 16000, channels: 1 }));
    const frames = wav.frames(20, 500);
    expect(frames.map((f) => f.timestamp)).toEqual([500, 520, 540]);
    expect(frames.map((f) => f.samples.length)).toEqual([320, 320, 320]);
    expect(frames[2]!.samples[59]).toBe(699);
    expect(frames[2]!.samples[60]).toBe(0);
    expect(frames[0]).toMatchObject({ sampleRate: 16000, channels: 1 });
    expect(wav.frames()).toHaveLength(3);
    expect(() => readWav(encodeWav(samples, { sampleRate: 22050, channels: 1 })).frames(10)).toThrowError(
      InvalidArgumentError,
    );
  });

  it('reads IEEE float with saturation, and rejects NaN and Infinity', () => {
    const wav = readWav(
      riff([fmt16({ formatTag: 3, bits: 32, extra: u16(0) }), data(floats([0.5, -1, 1, 2, -0.25]))]),
    );
    expect(wav.encoding).toBe('float32');
    expect([...wav.samples]).toEqual([16384, -32768, 32767, 32767, -8192]);
    expect(() =>
      readWav(riff([fmt16({ formatTag: 3, bits: 32 }), data(floats([0, Number.NaN]))])),
    ).toThrowError(InvalidSampleError);
    expect(() => readWav(riff([fmt16({ formatTag: 3, bits: 32 }), data(floats([Infinity]))]))).toThrowError(
      /Float sample 0 is Infinity/,
    );
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with PCM and float subformats', () => {
    const pcmExt = riff([
      fmt16({ formatTag: 0xfffe, channels: 2, extra: extensible(1, 16) }),
      data(pcm([1, 2, 3, 4])),
    ]);
    expect([...readWav(pcmExt).samples]).toEqual([1, 2, 3, 4]);
    const floatExt = riff([
      fmt16({ formatTag: 0xfffe, bits: 32, extra: extensible(3, 32) }),
      data(floats([0.25])),
    ]);
    expect([...readWav(floatExt).samples]).toEqual([8192]);
  });

  it('skips unknown chunks, odd-sized ones with their pad byte', () => {
    const bytes = riff([
      { id: 'LIST', body: Uint8Array.from([1, 2, 3]) },
      fmt16(),
      { id: 'fact', body: Uint8Array.from(u32(2)) },
      { id: 'junk', body: new Uint8Array(5) },
      data(pcm([7, -7])),
      { id: 'id3 ', body: new Uint8Array(9) },
    ]);
    expect([...readWav(bytes).samples]).toEqual([7, -7]);
  });

  it('reads a 0xFFFFFFFF data size (unknown length, as streaming writers leave it) to the end of the file, in whole frames', () => {
    const body = Uint8Array.from([...pcm([1, 2, 3, 4]), 9]); // stereo: 2 frames + a stray byte
    const bytes = riff([fmt16({ channels: 2 }), data(body, 0xffffffff)], { riffSize: 0xffffffff });
    const wav = readWav(bytes);
    expect([...wav.samples]).toEqual([1, 2, 3, 4]);
  });
});

describe('readWav rejects malformed files', () => {
  const good = () => [fmt16(), data(pcm([1, 2]))];

  it('too short for a header', () => {
    expect(wavError(new Uint8Array(8)).message).toMatch(/Truncated WAV header: the input is 8 bytes/);
  });

  it('not RIFF, big-endian RIFX, RF64, not WAVE', () => {
    expect(wavError(riff(good(), { magic: 'OggS' })).message).toMatch(/starts with 'OggS', not 'RIFF'/);
    expect(wavError(riff(good(), { magic: 'RIFX' })).message).toMatch(/big-endian/);
    expect(wavError(riff(good(), { magic: 'RF64' })).message).toMatch(/RF64/);
    expect(wavError(riff(good(), { form: 'AVI ' })).message).toMatch(/form 'AVI ', not 'WAVE'/);
  });

  it('a RIFF size too small for the WAVE tag', () => {
    expect(wavError(riff(good(), { riffSize: 2 })).message).toMatch(/Wrong RIFF size 2/);
  });

  it('a truncated chunk header', () => {
    const bytes = riff([{ id: 'LIST', body: new Uint8Array(2) }]);
    expect(wavError(Uint8Array.from([...bytes, ...tag('fm')])).message).toMatch(
      /Truncated chunk header at byte 22: 2 bytes left/,
    );
  });

  it('no fmt chunk, or no data chunk', () => {
    expect(wavError(riff([{ id: 'LIST', body: new Uint8Array(4) }])).message).toMatch(/no 'fmt ' chunk/);
    expect(wavError(riff([fmt16()])).message).toMatch(/no 'data' chunk/);
  });

  it('a fmt chunk that is too small, or duplicated', () => {
    const small = { id: 'fmt ', body: fmtBody({}).subarray(0, 14) };
    expect(wavError(riff([small, data(pcm([1]))])).message).toMatch(/too small: 14 bytes, at least 16/);
    expect(wavError(riff([fmt16(), fmt16(), data(pcm([1]))])).message).toMatch(/second 'fmt ' chunk/);
  });

  it('data before fmt', () => {
    expect(wavError(riff([data(pcm([1])), fmt16()])).message).toMatch(/'data' chunk at byte 12 comes before/);
  });

  it('truncated data, saying how many bytes were expected and present', () => {
    const bytes = riff([fmt16(), data(pcm([1, 2, 3]), 600)]);
    expect(wavError(bytes).message).toMatch(/declares 600 bytes, but only 6 are present/);
  });

  it('a chunk that runs past the end of the file', () => {
    const bytes = riff([{ id: 'LIST', body: new Uint8Array(12), size: 5000 }, ...good()]);
    expect(wavError(bytes).message).toMatch(
      /'LIST' chunk at byte 12 declares 5000 bytes, but only \d+ remain/,
    );
  });

  it('a data size that is not a whole number of sample frames', () => {
    const bytes = riff([fmt16({ channels: 2 }), data(pcm([1, 2, 3]))]);
    expect(wavError(bytes).message).toMatch(
      /Wrong data chunk size 6: not a whole number of 4-byte sample frames/,
    );
  });

  it('unsupported format tags, named', () => {
    expect(wavError(riff([fmt16({ formatTag: 7, bits: 8 }), data(new Uint8Array(2))])).message).toMatch(
      /format tag 0x0007 \(μ-law\)/,
    );
    expect(wavError(riff([fmt16({ formatTag: 0x55 }), data(new Uint8Array(2))])).message).toMatch(
      /0x0055 \(MPEG Layer 3\)/,
    );
    expect(wavError(riff([fmt16({ formatTag: 0x1234 }), data(new Uint8Array(2))])).message).toMatch(
      /format tag 0x1234: readWav reads 16-bit PCM/,
    );
  });

  it('unsupported bit depths, named', () => {
    expect(wavError(riff([fmt16({ bits: 24 }), data(new Uint8Array(6))])).message).toMatch(/24-bit PCM/);
    expect(wavError(riff([fmt16({ bits: 8 }), data(new Uint8Array(2))])).message).toMatch(/8-bit PCM/);
    expect(wavError(riff([fmt16({ formatTag: 3, bits: 64 }), data(new Uint8Array(8))])).message).toMatch(
      /64-bit IEEE float/,
    );
  });

  it('unsupported extensible subformats', () => {
    const mulaw = fmt16({ formatTag: 0xfffe, bits: 8, extra: extensible(7, 8) });
    expect(wavError(riff([mulaw, data(new Uint8Array(2))])).message).toMatch(/μ-law/);
    const foreign = fmt16({ formatTag: 0xfffe, extra: extensible(1, 16, new Array(12).fill(1)) });
    expect(wavError(riff([foreign, data(new Uint8Array(2))])).message).toMatch(
      /GUID is not a WAVE format tag/,
    );
    const short = fmt16({ formatTag: 0xfffe, extra: u16(0) });
    expect(wavError(riff([short, data(new Uint8Array(2))])).message).toMatch(/EXTENSIBLE.*too small/);
  });

  it('channel counts other than mono and stereo', () => {
    expect(wavError(riff([fmt16({ channels: 6 }), data(new Uint8Array(12))])).message).toMatch(
      /channel count 6/,
    );
  });

  it('a block align that does not match the channels and bit depth', () => {
    expect(wavError(riff([fmt16({ channels: 2, blockAlign: 2 }), data(new Uint8Array(4))])).message).toMatch(
      /Block align mismatch: the 'fmt ' chunk says 2 bytes.*2 channel\(s\) of 16-bit samples take 4/,
    );
  });

  it('unsupported sample rates, with UnsupportedSampleRateError', () => {
    expect(() => readWav(riff([fmt16({ sampleRate: 11025 }), data(pcm([1]))]))).toThrowError(
      UnsupportedSampleRateError,
    );
  });
});
