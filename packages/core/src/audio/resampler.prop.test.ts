import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_SAMPLE_RATES } from './audio-frame';
import { StreamingResampler, type StreamingResamplerOptions } from './resampler';

const rate = fc.constantFrom(...SUPPORTED_SAMPLE_RATES);
const quality = fc.constantFrom('fast' as const, 'high' as const);
const channels = fc.constantFrom(1 as const, 2 as const);

/** Any two supported rates (equal ones 1 time in 6), either quality, mono or stereo. */
const format: fc.Arbitrary<Required<StreamingResamplerOptions>> = fc.record({
  inputRate: rate,
  outputRate: rate,
  quality,
  channels,
});

/** Sorted, distinct cut points inside `0 … frames`, from arbitrary naturals. */
function cutPoints(cuts: readonly number[], frames: number): number[] {
  return [...new Set(cuts.map((cut) => cut % (frames + 1)))].sort((a, b) => a - b);
}

/** Feeds `samples` cut at the given sample-frame positions, then flushes; returns all output. */
function runChunked(resampler: StreamingResampler, samples: Int16Array, cuts: readonly number[]): Int16Array {
  const width = resampler.channels;
  const parts: Int16Array[] = [];
  let previous = 0;
  for (const point of [...cutPoints(cuts, samples.length / width), samples.length / width]) {
    parts.push(resampler.process(samples.subarray(previous * width, point * width)));
    previous = point;
  }
  parts.push(resampler.flush());
  const output = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    output.set(part, offset);
    offset += part.length;
  }
  return output;
}

/** Interleaved samples for `channels`: an Int16Array of whole sample frames. */
function interleaved(values: Int16Array, width: 1 | 2): Int16Array {
  return values.subarray(0, values.length - (values.length % width));
}

// Parameters for every property below: numRuns 200 unless stated; streams of 0–4000 samples
// (0–2000 stereo sample frames); 0–30 random cut points (empty chunks included); every ordered
// pair of supported rates; both qualities; mono and stereo.
describe('StreamingResampler properties', () => {
  it('gives bit-identical output for any chunking of the input (no clicks at chunk boundaries)', () => {
    fc.assert(
      fc.property(
        format,
        fc.int16Array({ maxLength: 4000 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (options, values, cuts) => {
          const samples = interleaved(values, options.channels);
          const whole = runChunked(new StreamingResampler(options), samples, []);
          const chunked = runChunked(new StreamingResampler(options), samples, cuts);
          expect(chunked).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('outputs exactly ⌈n · outputRate / inputRate⌉ samples per channel over a whole stream', () => {
    // Longer streams here: 0–20 000 sample frames, made of zeros (the count does not depend on
    // the values), fed in 0–30 random chunks.
    fc.assert(
      fc.property(
        format,
        fc.nat({ max: 20000 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (options, frames, cuts) => {
          const output = runChunked(
            new StreamingResampler(options),
            new Int16Array(frames * options.channels),
            cuts,
          );
          const expected = Math.ceil((frames * options.outputRate) / options.inputRate);
          expect(output.length).toBe(expected * options.channels);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps stereo channels apart: each output channel is the mono resampling of its input channel', () => {
    fc.assert(
      fc.property(
        format,
        fc.int16Array({ maxLength: 2000 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 30 }),
        (options, mono, loudLeft, cuts) => {
          const stereo = new Int16Array(mono.length * 2);
          for (let i = 0; i < mono.length; i++) stereo[2 * i + (loudLeft ? 0 : 1)] = mono[i]!;
          const output = runChunked(new StreamingResampler({ ...options, channels: 2 }), stereo, cuts);
          const reference = runChunked(new StreamingResampler({ ...options, channels: 1 }), mono, []);
          const loud = output.filter((_, index) => index % 2 === (loudLeft ? 0 : 1));
          const quiet = output.filter((_, index) => index % 2 === (loudLeft ? 1 : 0));
          expect(quiet.every((sample) => sample === 0)).toBe(true);
          expect(loud).toEqual(reference);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('turns silence into silence', () => {
    fc.assert(
      fc.property(
        format,
        fc.nat({ max: 4000 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (options, frames, cuts) => {
          const output = runChunked(
            new StreamingResampler(options),
            new Int16Array(frames * options.channels),
            cuts,
          );
          expect(output.every((sample) => sample === 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('saturates instead of wrapping on full-scale random input', () => {
    // Full-scale input (half the samples at ±full scale, the rest anywhere, all even) makes the
    // filter overshoot the PCM16 range. The resampler is linear, so the output must equal twice
    // the output for the input halved (exact, no overshoot past the range), clamped to PCM16 —
    // within 2 LSB of rounding. A wrapped sample would be off by about 65 536.
    const evenFullScale = fc.oneof(
      fc.constantFrom(-32768, 32766),
      fc.integer({ min: -16384, max: 16383 }).map((half) => 2 * half),
    );
    fc.assert(
      fc.property(
        format,
        fc.array(evenFullScale, { maxLength: 4000 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (options, values, cuts) => {
          const samples = interleaved(Int16Array.from(values), options.channels);
          const halved = samples.map((sample) => sample / 2);
          const output = runChunked(new StreamingResampler(options), samples, cuts);
          const reference = runChunked(new StreamingResampler(options), halved, []);
          for (let i = 0; i < output.length; i++) {
            const expected = Math.min(32767, Math.max(-32768, 2 * reference[i]!));
            if (Math.abs(output[i]! - expected) > 2) {
              expect.fail(`sample ${i}: ${output[i]} where ${expected} ± 2 was expected`);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('behaves after reset() exactly like a fresh instance', () => {
    // A random prefix stream (0–4000 samples, random chunks, flushed or not) is abandoned by reset().
    fc.assert(
      fc.property(
        format,
        fc.int16Array({ maxLength: 4000 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        fc.int16Array({ maxLength: 4000 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (options, prefixValues, prefixCuts, flushPrefix, values, cuts) => {
          const used = new StreamingResampler(options);
          const prefix = interleaved(prefixValues, options.channels);
          if (flushPrefix) runChunked(used, prefix, prefixCuts);
          else used.process(prefix);
          used.reset();
          const samples = interleaved(values, options.channels);
          expect(runChunked(used, samples, cuts)).toEqual(
            runChunked(new StreamingResampler(options), samples, cuts),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
