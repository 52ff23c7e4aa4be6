import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AudioFormatError, InvalidSampleError } from '../errors/index';
import { base64ToBytes, bytesToBase64 } from './base64';
import {
  float32ToInt16,
  frameToPcm16Bytes,
  int16ToFloat32,
  monoToStereo,
  pcm16BytesToFrame,
  pcm16BytesToSamples,
  stereoToMono,
} from './pcm16';

describe('PCM16 bytes', () => {
  it('reads little-endian samples without copying when aligned', () => {
    const bytes = new Uint8Array([0x01, 0x00, 0xff, 0xff, 0x00, 0x80]);
    const samples = pcm16BytesToSamples(bytes);
    expect([...samples]).toEqual([1, -1, -32768]);
    expect(samples.buffer).toBe(bytes.buffer);
  });

  it('copies when the view is misaligned', () => {
    const backing = new Uint8Array([9, 0x02, 0x00]);
    const samples = pcm16BytesToSamples(backing.subarray(1));
    expect([...samples]).toEqual([2]);
  });

  it('rejects odd byte lengths', () => {
    expect(() => pcm16BytesToSamples(new Uint8Array(3))).toThrowError(AudioFormatError);
    expect(() => pcm16BytesToSamples(new Uint8Array(3))).toThrowError(/odd length of 3 bytes/);
  });

  it('round-trips frames through bytes and base64', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 400 }), (values) => {
        const frame = pcm16BytesToFrame(
          frameToPcm16Bytes({
            samples: Int16Array.from(values),
            sampleRate: 16000,
            channels: 1,
            timestamp: 0,
          }),
          { sampleRate: 16000 },
        );
        const decoded = pcm16BytesToSamples(base64ToBytes(bytesToBase64(frameToPcm16Bytes(frame))));
        expect([...decoded]).toEqual(values);
      }),
    );
  });

  it('rejects malformed base64', () => {
    expect(() => base64ToBytes('ab$d')).toThrowError(AudioFormatError);
    expect(() => base64ToBytes('abcde')).toThrowError(AudioFormatError);
  });
});

describe('float conversions', () => {
  it('saturates instead of wrapping and round-trips int16 exactly', () => {
    expect([...float32ToInt16(new Float32Array([2, -2, 0.5]))]).toEqual([32767, -32768, 16384]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 })), (values) => {
        const samples = Int16Array.from(values);
        expect([...float32ToInt16(int16ToFloat32(samples))]).toEqual(values);
      }),
    );
  });

  it('names the first NaN or Infinity', () => {
    expect(() => float32ToInt16([0, 0.1, Number.NaN])).toThrowError(InvalidSampleError);
    try {
      float32ToInt16([0, Number.POSITIVE_INFINITY]);
    } catch (error) {
      expect(InvalidSampleError.isInstance(error) && error.index).toBe(1);
    }
  });
});

describe('channel conversions', () => {
  it('mono → stereo → mono is the identity', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 })), (values) => {
        const mono = {
          samples: Int16Array.from(values),
          sampleRate: 16000 as const,
          channels: 1 as const,
          timestamp: 5,
        };
        const back = stereoToMono(monoToStereo(mono));
        expect([...back.samples]).toEqual(values);
        expect(back.timestamp).toBe(5);
      }),
    );
  });
});
