import { describe, expect, it } from 'vitest';
import { AudioFormatError } from '../errors/index';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from './g711';

const ALL_SAMPLES = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
const ALL_CODES = Uint8Array.from({ length: 256 }, (_, i) => i);

/** Segment (0–7) of a μ-law code: bits 4–6 of the inverted code. */
const mulawSegment = (code: number): number => (~code >> 4) & 0x07;
/** Segment (0–7) of an A-law code: bits 4–6 after undoing the even-bit inversion. */
const alawSegment = (code: number): number => ((code ^ 0x55) >> 4) & 0x07;

describe('G.711 μ-law', () => {
  it('encodes known values (0 → 0xFF, sign in bit 7 inverted, clipping to the end codes)', () => {
    expect(Array.from(encodeMulaw(new Int16Array([0, -1, 1000, -1000, 32767, -32768])))).toEqual([
      0xff, 0x7f, 0xce, 0x4e, 0x80, 0x00,
    ]);
  });

  it('decodes known codes to the middle of their intervals', () => {
    expect(Array.from(decodeMulaw(new Uint8Array([0xff, 0x7f, 0x80, 0x00, 0xce, 0x4e])))).toEqual([
      0, 0, 32124, -32124, 988, -988,
    ]);
  });

  it('round-trips every int16 within half a step of its segment: 2^(e+2), 4 … 512', () => {
    const decoded = decodeMulaw(encodeMulaw(ALL_SAMPLES));
    const codes = encodeMulaw(ALL_SAMPLES);
    let worst = 0;
    for (let i = 0; i < ALL_SAMPLES.length; i++) {
      const input = ALL_SAMPLES[i]!;
      const error = Math.abs(decoded[i]! - input);
      if (Math.abs(input) > 32635) {
        // Clipped: decodes to the largest magnitude.
        expect(Math.abs(decoded[i]!)).toBe(32124);
        continue;
      }
      const bound = 2 ** (mulawSegment(codes[i]!) + 2);
      if (error > bound) expect({ input, error, bound }).toBeUndefined();
      worst = Math.max(worst, error);
    }
    expect(worst).toBe(512);
  });

  it('is monotonic: a larger input never gets a smaller decoded value', () => {
    const decoded = decodeMulaw(encodeMulaw(ALL_SAMPLES));
    for (let i = 1; i < decoded.length; i++) {
      if (decoded[i]! < decoded[i - 1]!) expect(i).toBe(-1);
    }
  });

  it('re-encodes every decoded code to itself, except negative zero 0x7F (which becomes 0xFF)', () => {
    const reencoded = encodeMulaw(decodeMulaw(ALL_CODES));
    for (let code = 0; code < 256; code++) {
      expect(reencoded[code]).toBe(code === 0x7f ? 0xff : code);
    }
  });
});

describe('G.711 A-law', () => {
  it('encodes known values (0 → 0xD5, -1 → 0x55, even bits inverted)', () => {
    expect(Array.from(encodeAlaw(new Int16Array([0, -1, 1000, -1000, 32767, -32768])))).toEqual([
      0xd5, 0x55, 0xfa, 0x7a, 0xaa, 0x2a,
    ]);
  });

  it('decodes known codes to the middle of their intervals', () => {
    expect(Array.from(decodeAlaw(new Uint8Array([0xd5, 0x55, 0xaa, 0x2a, 0xfa, 0x7a])))).toEqual([
      8, -8, 32256, -32256, 1008, -1008,
    ]);
  });

  it('round-trips every int16 within half a step: 8 in segments 0–1, 2^(s+2) above, at most 512', () => {
    const codes = encodeAlaw(ALL_SAMPLES);
    const decoded = decodeAlaw(codes);
    let worst = 0;
    for (let i = 0; i < ALL_SAMPLES.length; i++) {
      const error = Math.abs(decoded[i]! - ALL_SAMPLES[i]!);
      const segment = alawSegment(codes[i]!);
      const bound = segment === 0 ? 8 : 2 ** (segment + 2);
      if (error > bound) expect({ input: ALL_SAMPLES[i], error, bound }).toBeUndefined();
      worst = Math.max(worst, error);
    }
    expect(worst).toBe(512);
  });

  it('re-encodes every one of the 256 decoded codes to itself', () => {
    expect(encodeAlaw(decodeAlaw(ALL_CODES))).toEqual(ALL_CODES);
  });
});

describe('G.711 input checks', () => {
  it('rejects the wrong array types with a message saying what to pass', () => {
    expect(() => encodeMulaw(new Uint8Array(4) as unknown as Int16Array)).toThrow(AudioFormatError);
    expect(() => encodeAlaw([1, 2] as unknown as Int16Array)).toThrow(/Int16Array/);
    expect(() => decodeMulaw(new Int16Array(2) as unknown as Uint8Array)).toThrow(/Uint8Array/);
    expect(() => decodeAlaw('ab' as unknown as Uint8Array)).toThrow(AudioFormatError);
  });

  it('handles empty input', () => {
    expect(encodeMulaw(new Int16Array(0))).toHaveLength(0);
    expect(decodeAlaw(new Uint8Array(0))).toHaveLength(0);
  });
});
