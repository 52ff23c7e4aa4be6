import { AudioFormatError } from '../errors/audio-errors';
import type { AudioFrame } from './audio-frame';

/** The level of a block of audio, in dB relative to digital full scale (32 768). */
export interface AudioLevel {
  /**
   * Root-mean-square level in dBFS: 0 for a full-scale square wave, −3.01 for a full-scale sine,
   * `-Infinity` for digital silence (and for an empty block).
   */
  rmsDbfs: number;
  /** Largest absolute sample in dBFS: 0 for a sample at −32 768, `-Infinity` for digital silence. */
  peakDbfs: number;
}

const FULL_SCALE = 32768;

/**
 * Measures the RMS and peak level of a frame or of raw samples, in dBFS. Stereo frames are measured
 * over both channels together.
 *
 * @param input - an {@link AudioFrame} or PCM16 samples.
 * @returns the RMS and peak levels; `-Infinity` for digital silence.
 * @throws {@link AudioFormatError} when `input` is neither a frame nor an `Int16Array`.
 * @example
 * ```ts
 * import { measureLevel } from '@argentum/core';
 *
 * const { rmsDbfs, peakDbfs } = measureLevel(frame);
 * if (peakDbfs > -1) console.warn(`clipping risk: peak ${peakDbfs.toFixed(1)} dBFS`);
 * meter.style.width = `${Math.max(0, 100 + rmsDbfs)}%`; // -100 dBFS → empty bar
 * ```
 */
export function measureLevel(input: AudioFrame | Int16Array): AudioLevel {
  const samples = input instanceof Int16Array ? input : input?.samples;
  if (!(samples instanceof Int16Array)) {
    throw new AudioFormatError('measureLevel expects an AudioFrame or PCM16 samples as an Int16Array.');
  }
  let sumOfSquares = 0;
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    sumOfSquares += sample * sample;
    const magnitude = sample < 0 ? -sample : sample;
    if (magnitude > peak) peak = magnitude;
  }
  if (peak === 0) return { rmsDbfs: Number.NEGATIVE_INFINITY, peakDbfs: Number.NEGATIVE_INFINITY };
  return {
    rmsDbfs: 10 * Math.log10(sumOfSquares / samples.length / (FULL_SCALE * FULL_SCALE)),
    peakDbfs: 20 * Math.log10(peak / FULL_SCALE),
  };
}
