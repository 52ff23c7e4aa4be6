/**
 * Finds where a synthesized sentence is voiced and where it pauses, from its samples alone.
 *
 * The audio is cut into 5 ms windows; a window is silent when its RMS level is below
 * {@link SILENCE_THRESHOLD_DBFS}. eSpeak writes true digital silence between phrases and a few
 * milliseconds before the first phoneme, so the threshold only has to reject echo tails.
 *
 * @internal
 * @module
 */

/** Windows quieter than this (RMS, dB re full scale) count as silence. */
export const SILENCE_THRESHOLD_DBFS = -50;
/** Analysis window length in ms. */
export const ACTIVITY_WINDOW_MS = 5;

/** A silent stretch inside the voiced span, in ms from the start of the samples. @internal */
export interface Pause {
  readonly startMs: number;
  readonly endMs: number;
}

/** Where a sentence's audio is voiced. @internal */
export interface SpeechActivity {
  /** Total length of the samples in ms. */
  readonly durationMs: number;
  /** Start of the first non-silent window, in ms (0 when everything is silent). */
  readonly voicedStartMs: number;
  /** End of the last non-silent window, in ms (`durationMs` when everything is silent). */
  readonly voicedEndMs: number;
  /** Silent stretches strictly inside the voiced span, in time order. */
  readonly pauses: readonly Pause[];
}

/**
 * Measures the voiced span and the internal pauses of mono PCM16 samples.
 * @internal
 */
export function analyseSpeechActivity(samples: Int16Array, sampleRate: number): SpeechActivity {
  const durationMs = (samples.length / sampleRate) * 1000;
  const window = Math.max(1, Math.round((sampleRate * ACTIVITY_WINDOW_MS) / 1000));
  const threshold = 32768 ** 2 * 10 ** (SILENCE_THRESHOLD_DBFS / 10);
  const count = Math.ceil(samples.length / window);
  const voiced = new Uint8Array(count);
  let first = -1;
  let last = -1;
  for (let w = 0; w < count; w++) {
    const start = w * window;
    const end = Math.min(samples.length, start + window);
    let energy = 0;
    for (let i = start; i < end; i++) {
      const value = samples[i]!;
      energy += value * value;
    }
    if (energy / (end - start) >= threshold) {
      voiced[w] = 1;
      if (first < 0) first = w;
      last = w;
    }
  }
  if (first < 0) return { durationMs, voicedStartMs: 0, voicedEndMs: durationMs, pauses: [] };
  const toMs = (windowIndex: number) => Math.min(durationMs, ((windowIndex * window) / sampleRate) * 1000);
  const pauses: Pause[] = [];
  let runStart = -1;
  for (let w = first; w <= last; w++) {
    if (voiced[w] === 0) {
      if (runStart < 0) runStart = w;
    } else if (runStart >= 0) {
      pauses.push({ startMs: toMs(runStart), endMs: toMs(w) });
      runStart = -1;
    }
  }
  return { durationMs, voicedStartMs: toMs(first), voicedEndMs: toMs(last + 1), pauses };
}
