import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_SAMPLE_RATES } from './audio-frame';
import { AudioFramer } from './frame-audio';
import { samplesToPcm16Bytes } from './pcm16';

// Parameters: numRuns 300; byte streams of 0–6000 bytes (odd lengths included), cut at 0–40 random
// split points (odd offsets and empty chunks included), every supported rate, mono or stereo,
// 10/20/30 ms frames where whole, padLast true or false.
describe('AudioFramer conserves every sample', () => {
  it('concatenated frames = the input bytes, then zero padding only, for any chunking', () => {
    const setup = fc
      .record({
        sampleRate: fc.constantFrom(...SUPPORTED_SAMPLE_RATES),
        channels: fc.constantFrom(1 as const, 2 as const),
        frameDurationMs: fc.constantFrom(10, 20, 30),
        padLast: fc.boolean(),
        startTimestamp: fc.integer({ min: -1000, max: 1_000_000 }),
        bytes: fc.uint8Array({ minLength: 0, maxLength: 6000 }),
        cuts: fc.array(fc.nat(), { maxLength: 40 }),
      })
      .filter(({ sampleRate, frameDurationMs }) => Number.isInteger((sampleRate * frameDurationMs) / 1000));
    fc.assert(
      fc.property(
        setup,
        ({ sampleRate, channels, frameDurationMs, padLast, startTimestamp, bytes, cuts }) => {
          const framer = new AudioFramer({ sampleRate, channels, frameDurationMs, padLast, startTimestamp });
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const frames = [];
          let previous = 0;
          for (const point of [...points, bytes.length]) {
            frames.push(...framer.push(bytes.subarray(previous, point)));
            previous = point;
          }
          const last = framer.flush();
          if (last) frames.push(last);

          const frameSamples = framer.samplesPerFrame * channels;
          frames.forEach((frame, index) => {
            expect(frame.timestamp).toBe(startTimestamp + index * frameDurationMs);
            expect(frame.sampleRate).toBe(sampleRate);
            expect(frame.channels).toBe(channels);
            const isLast = index === frames.length - 1;
            if (!isLast || padLast) expect(frame.samples.length).toBe(frameSamples);
            else expect(frame.samples.length % channels).toBe(0);
          });

          const output = new Uint8Array(frames.reduce((sum, frame) => sum + frame.samples.byteLength, 0));
          let offset = 0;
          for (const frame of frames) {
            output.set(samplesToPcm16Bytes(frame.samples), offset);
            offset += frame.samples.byteLength;
          }
          expect(output.length).toBeGreaterThanOrEqual(bytes.length);
          expect(output.subarray(0, bytes.length)).toEqual(bytes);
          expect(output.subarray(bytes.length).every((byte) => byte === 0)).toBe(true);
          // Padding never reaches a whole extra frame (or sample frame, unpadded).
          const padUnit = padLast ? frameSamples * 2 : channels * 2;
          expect(output.length - bytes.length).toBeLessThan(padUnit);
        },
      ),
      { numRuns: 300 },
    );
  });
});
