import { describe, expect, it } from 'vitest';
import {
  ArgentumError,
  AudioFormatError,
  InvalidArgumentError,
  UnsupportedSampleRateError,
} from '../errors/index';
import { type SampleRate, SUPPORTED_SAMPLE_RATES } from './audio-frame';
import { type ResampleQuality, StreamingResampler } from './resampler';

const QUALITIES: readonly ResampleQuality[] = ['fast', 'high'];

/** `seconds` of a sine of `frequency` Hz and peak `amplitude` at `sampleRate`, rounded to PCM16. */
function tone(sampleRate: number, frequency: number, amplitude: number, seconds: number): Int16Array {
  const samples = new Int16Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
  }
  return samples;
}

/**
 * Amplitude and phase (radians, 0 = a sine starting at sample 0) of the `frequency` component of
 * `samples[start … start + length)`: a single-bin DFT (what a Goertzel filter computes). With a
 * whole number of periods in the window the other components of a tone contribute nothing.
 */
function measureTone(
  samples: Int16Array,
  sampleRate: number,
  frequency: number,
  start: number,
  length: number,
): { amplitude: number; phase: number } {
  let cosine = 0;
  let sine = 0;
  for (let i = start; i < start + length; i++) {
    const angle = (2 * Math.PI * frequency * i) / sampleRate;
    cosine += samples[i]! * Math.cos(angle);
    sine += samples[i]! * Math.sin(angle);
  }
  return { amplitude: (2 * Math.hypot(cosine, sine)) / length, phase: Math.atan2(cosine, sine) };
}

/** Root mean square of `samples[start … start + length)`. */
function rms(samples: Int16Array, start: number, length: number): number {
  let sum = 0;
  for (let i = start; i < start + length; i++) sum += samples[i]! ** 2;
  return Math.sqrt(sum / length);
}

/** Resamples a whole stream: everything `process` returns, then the `flush` tail. */
function resampleWhole(resampler: StreamingResampler, input: Int16Array): Int16Array {
  const body = resampler.process(input);
  const tail = resampler.flush();
  const output = new Int16Array(body.length + tail.length);
  output.set(body);
  output.set(tail, body.length);
  return output;
}

const decibels = (ratio: number): number => 20 * Math.log10(ratio);

describe('StreamingResampler anti-aliasing', () => {
  // A 10 kHz tone at 48 kHz is above the 8 kHz Nyquist frequency of 16 kHz: unfiltered it would
  // fold to 16 − 10 = 6 kHz. One second at −6 dBFS; the first and last 100 ms (filter start-up and
  // flush) are left out, leaving 12 800 output samples: 800 ms, a whole number of 6 kHz periods.
  for (const quality of QUALITIES) {
    it(`rejects a 10 kHz tone by at least 60 dB going 48 → 16 kHz ('${quality}')`, () => {
      const amplitude = 16000;
      const input = tone(48000, 10000, amplitude, 1);
      const output = resampleWhole(
        new StreamingResampler({ inputRate: 48000, outputRate: 16000, quality }),
        input,
      );
      expect(output).toHaveLength(16000);

      const alias = measureTone(output, 16000, 6000, 1600, 12800);
      const aliasDb = decibels(Math.max(alias.amplitude, 1e-9) / amplitude);
      expect(aliasDb).toBeLessThanOrEqual(-60);
      // Whatever came through at any frequency, not only at 6 kHz, is as far down.
      const leftoverDb = decibels(Math.max(rms(output, 1600, 12800), 1e-9) / (amplitude / Math.SQRT2));
      expect(leftoverDb).toBeLessThanOrEqual(-60);
    });
  }

  it('keeps a 7.9 kHz tone at 48 kHz from coming out of a 16 kHz conversion as a loud 8.1 kHz image', () => {
    // Just above the cutoff: the 'high' filter's stopband starts at fN, so 8.1 kHz (folding to
    // 7.9 kHz) is down by its full stopband rejection; measured over 1 s, the middle 800 ms.
    const input = tone(48000, 8100, 16000, 1);
    const output = resampleWhole(
      new StreamingResampler({ inputRate: 48000, outputRate: 16000, quality: 'high' }),
      input,
    );
    const alias = measureTone(output, 16000, 7900, 1600, 12800);
    expect(decibels(Math.max(alias.amplitude, 1e-9) / 16000)).toBeLessThanOrEqual(-60);
  });
});

describe('StreamingResampler passband', () => {
  // A 1 kHz tone at −10 dBFS, 1 s, through all 30 ordered pairs of distinct supported rates in both
  // qualities; measured over 800 ms (a whole number of 1 kHz periods at every rate) after the first
  // 100 ms. Amplitude within ±0.5 dB and phase within 1° of the input: output sample k is the
  // signal at input time k / outputRate, with the filter's delay compensated.
  for (const quality of QUALITIES) {
    it(`passes a 1 kHz tone within ±0.5 dB, in phase, for every rate pair ('${quality}')`, () => {
      const amplitude = 10000;
      for (const inputRate of SUPPORTED_SAMPLE_RATES) {
        for (const outputRate of SUPPORTED_SAMPLE_RATES) {
          if (inputRate === outputRate) continue;
          const output = resampleWhole(
            new StreamingResampler({ inputRate, outputRate, quality }),
            tone(inputRate, 1000, amplitude, 1),
          );
          expect(output).toHaveLength(outputRate);
          const measured = measureTone(output, outputRate, 1000, outputRate / 10, (outputRate * 8) / 10);
          const gainDb = decibels(measured.amplitude / amplitude);
          expect(
            Math.abs(gainDb),
            `${inputRate} → ${outputRate} Hz: ${gainDb.toFixed(3)} dB`,
          ).toBeLessThanOrEqual(0.5);
          expect(Math.abs(measured.phase), `${inputRate} → ${outputRate} Hz phase`).toBeLessThan(
            Math.PI / 180,
          );
        }
      }
    });
  }

  it('carries a 3 kHz tone from 8 kHz to 48 kHz without images at 5 kHz', () => {
    // Upsampling images of 3 kHz at 8 kHz sit at 8 − 3 = 5 kHz (and 11, 13 kHz…).
    const input = tone(8000, 3000, 16000, 1);
    const output = resampleWhole(new StreamingResampler({ inputRate: 8000, outputRate: 48000 }), input);
    const image = measureTone(output, 48000, 5000, 4800, 38400);
    expect(decibels(Math.max(image.amplitude, 1e-9) / 16000)).toBeLessThanOrEqual(-60);
  });
});

describe('StreamingResampler streaming', () => {
  it('turns 20 ms frames at 48 kHz into 320-sample frames once the first frame has primed it', () => {
    const resampler = new StreamingResampler({ inputRate: 48000, outputRate: 16000 });
    const input = tone(48000, 440, 8000, 0.1);
    const lengths = [];
    for (let offset = 0; offset < input.length; offset += 960) {
      lengths.push(resampler.process(input.subarray(offset, offset + 960)).length);
    }
    const tail = resampler.flush().length;
    const held = 320 - lengths[0]!;
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(Math.ceil((resampler.latencyMs * 16000) / 1000) + 1);
    expect(lengths.slice(1)).toEqual([320, 320, 320, 320]);
    expect(tail).toBe(held);
  });

  it('reports the look-ahead it adds as latencyMs, and none for equal rates', () => {
    const fast = new StreamingResampler({ inputRate: 48000, outputRate: 16000 });
    const high = new StreamingResampler({ inputRate: 48000, outputRate: 16000, quality: 'high' });
    expect(fast.latencyMs).toBeGreaterThan(0);
    expect(fast.latencyMs).toBeLessThan(1);
    expect(high.latencyMs).toBeGreaterThan(fast.latencyMs);
    expect(high.latencyMs).toBeLessThan(2);
    expect(new StreamingResampler({ inputRate: 24000, outputRate: 24000 }).latencyMs).toBe(0);
  });

  it('passes samples through unchanged, in a new array, when the rates are equal', () => {
    const resampler = new StreamingResampler({ inputRate: 16000, outputRate: 16000, channels: 2 });
    const input = Int16Array.from([1, -2, 3, -4]);
    const output = resampler.process(input);
    expect(Array.from(output)).toEqual([1, -2, 3, -4]);
    input[0] = 99;
    expect(output[0]).toBe(1);
    expect(resampler.flush()).toHaveLength(0);
  });

  it('accepts empty chunks and a flush with nothing pending', () => {
    const resampler = new StreamingResampler({ inputRate: 22050, outputRate: 48000 });
    expect(resampler.process(new Int16Array(0))).toHaveLength(0);
    expect(resampler.flush()).toHaveLength(0);
  });

  it('starts a new stream after flush: the same input gives the same output again', () => {
    const resampler = new StreamingResampler({ inputRate: 44100, outputRate: 16000, channels: 2 });
    const input = tone(44100, 300, 9000, 0.1);
    const first = resampleWhole(resampler, input);
    const second = resampleWhole(resampler, input);
    expect(Array.from(second)).toEqual(Array.from(first));
  });

  it('clips a full-scale square wave at the PCM16 limits instead of wrapping around', () => {
    // The filter overshoots at each edge (Gibbs), beyond ±32767; a wrapped value would flip sign.
    const input = new Int16Array(4800);
    for (let i = 0; i < input.length; i++) input[i] = Math.floor(i / 60) % 2 === 0 ? 32767 : -32768;
    for (const [inputRate, outputRate] of [
      [48000, 16000],
      [16000, 48000],
      [44100, 24000],
    ] as const) {
      const output = resampleWhole(new StreamingResampler({ inputRate, outputRate, quality: 'high' }), input);
      expect(output.includes(32767), `${inputRate} → ${outputRate}: reaches the top`).toBe(true);
      expect(output.includes(-32768), `${inputRate} → ${outputRate}: reaches the bottom`).toBe(true);
      // Mid-plateau samples (away from edges and the stream's ends) stay at their plateau's sign.
      const scale = outputRate / inputRate;
      for (let plateau = 1; plateau < 79; plateau++) {
        const middle = Math.round((plateau * 60 + 30) * scale);
        const expected = plateau % 2 === 0 ? 1 : -1;
        expect(Math.sign(output[middle]!), `${inputRate} → ${outputRate} at ${middle}`).toBe(expected);
      }
    }
  });
});

describe('StreamingResampler validation', () => {
  it('rejects an unsupported rate with UnsupportedSampleRateError', () => {
    expect(() => new StreamingResampler({ inputRate: 11025 as SampleRate, outputRate: 16000 })).toThrow(
      UnsupportedSampleRateError,
    );
    expect(() => new StreamingResampler({ inputRate: 16000, outputRate: 96000 as SampleRate })).toThrow(
      /96000 Hz/,
    );
  });

  it('rejects 3 channels with AudioFormatError', () => {
    const create = () => new StreamingResampler({ inputRate: 48000, outputRate: 16000, channels: 3 as 1 });
    expect(create).toThrow(AudioFormatError);
  });

  it('rejects an unknown quality with InvalidArgumentError naming the option', () => {
    try {
      new StreamingResampler({ inputRate: 48000, outputRate: 16000, quality: 'ultra' as ResampleQuality });
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe('quality');
      expect((error as Error).message).toMatch(/'fast' or 'high'/);
    }
  });

  it('rejects an odd number of stereo samples, and keeps working afterwards', () => {
    const resampler = new StreamingResampler({ inputRate: 48000, outputRate: 24000, channels: 2 });
    expect(() => resampler.process(new Int16Array(3))).toThrow(AudioFormatError);
    expect(() => resampler.process(new Int16Array(3))).toThrow(/multiple of the channel count 2/);
    expect(resampleWhole(resampler, new Int16Array(960))).toHaveLength(480);
  });

  it('rejects samples that are not an Int16Array', () => {
    const resampler = new StreamingResampler({ inputRate: 48000, outputRate: 16000 });
    expect(() => resampler.process(new Float32Array(960) as unknown as Int16Array)).toThrow(AudioFormatError);
    let thrown: unknown;
    try {
      resampler.process([1, 2, 3] as unknown as Int16Array);
    } catch (error) {
      thrown = error;
    }
    expect(ArgentumError.isInstance(thrown)).toBe(true);
  });
});
