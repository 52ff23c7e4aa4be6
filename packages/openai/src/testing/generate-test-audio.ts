import { assertSampleRate, type SampleRate } from '@argentum/core';
import { assertOptionalNumber } from '../internal/validate';

/**
 * Options of {@link generateTestAudio}.
 *
 * @example
 * ```ts
 * const options: GenerateTestAudioOptions = { durationMs: 500, sampleRate: 16000, waveform: 'sweep' };
 * ```
 */
export interface GenerateTestAudioOptions {
  /** Length in ms. */
  durationMs: number;
  /** Sample rate; default 24 000 (OpenAI's PCM rate). */
  sampleRate?: SampleRate;
  /** A 440 Hz tone (default) or a logarithmic 200→2000 Hz sweep. */
  waveform?: 'tone' | 'sweep';
  /** Peak amplitude in 0..1; default 0.25 (−12 dBFS). */
  amplitude?: number;
}

/**
 * Generates mono PCM16 test audio: a steady tone or a sweep, with 5 ms fades at both ends so it
 * does not click. The test server speaks with it; tests can compare against it.
 *
 * @param options - duration, rate, waveform and amplitude.
 * @returns the samples (`round(durationMs × sampleRate / 1000)` of them).
 * @example
 * ```ts
 * import { generateTestAudio } from '@argentum/openai/testing';
 *
 * const oneSecond = generateTestAudio({ durationMs: 1000 }); // 24 000 samples of 440 Hz
 * ```
 */
export function generateTestAudio(options: GenerateTestAudioOptions): Int16Array {
  const durationMs = assertOptionalNumber('durationMs', options.durationMs, { min: 0 }) ?? 0;
  const sampleRate = assertSampleRate(options.sampleRate ?? 24_000);
  const amplitude = assertOptionalNumber('amplitude', options.amplitude, { min: 0, max: 1 }) ?? 0.25;
  const length = Math.round((durationMs * sampleRate) / 1000);
  const samples = new Int16Array(length);
  const fadeLength = Math.max(1, Math.round(sampleRate * 0.005));
  const startHz = 200;
  const endHz = 2000;
  const seconds = length / sampleRate;
  let phase = 0;
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    const frequency =
      options.waveform === 'sweep' && seconds > 0 ? startHz * (endHz / startHz) ** (t / seconds) : 440;
    phase += (2 * Math.PI * frequency) / sampleRate;
    const fade = Math.min(1, i / fadeLength, (length - 1 - i) / fadeLength);
    samples[i] = Math.round(Math.sin(phase) * amplitude * Math.max(0, fade) * 32767);
  }
  return samples;
}
