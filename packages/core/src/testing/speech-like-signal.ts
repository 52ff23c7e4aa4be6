import { type AudioFrame, assertSampleRate, type SampleRate, samplesPerDuration } from '../audio/audio-frame';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';

/** Options of {@link generateSpeechLikeSignal}. Durations are drawn uniformly from their ranges. */
export interface SpeechLikeSignalOptions {
  /** Seed of the random generator: the same seed and options give the same samples. */
  seed: number;
  /** Sample rate in Hz; defaults to 16 000. */
  sampleRate?: number;
  /** How many utterances; defaults to 4. */
  utteranceCount?: number;
  /** Shortest utterance in ms, including attack and decay; defaults to 400. */
  minUtteranceMs?: number;
  /** Longest utterance in ms; defaults to 2500. */
  maxUtteranceMs?: number;
  /** Shortest gap before, between and after utterances in ms; defaults to 300. */
  minGapMs?: number;
  /** Longest gap in ms; defaults to 1200. */
  maxGapMs?: number;
  /** RMS level of each utterance in dBFS (each varies by up to ±3 dB around it); defaults to -20. */
  speechLevelDbfs?: number;
  /** RMS level of the white background noise under everything in dBFS; defaults to -65. */
  noiseLevelDbfs?: number;
}

/** Where one generated utterance lies in the signal. */
export interface SpeechLikeUtterance {
  /** True onset: the first sample of the attack, in ms from the start of the signal. */
  startMs: number;
  /** The end of the decay, in ms from the start of the signal. */
  endMs: number;
}

/** The result of {@link generateSpeechLikeSignal}: the samples and where the speech is. */
export interface SpeechLikeSignal {
  /** Mono PCM16 samples. */
  samples: Int16Array;
  /** Sample rate of `samples`. */
  sampleRate: SampleRate;
  /** Length of the signal in ms. */
  durationMs: number;
  /** The utterances in time order, separated by gaps of background noise only. */
  utterances: readonly SpeechLikeUtterance[];
  /**
   * Cuts the signal into frames (views of `samples`; the last partial frame is a zero-padded copy).
   * @param frameDurationMs - frame length in ms; defaults to 20.
   * @param startTimestamp - timestamp of the first frame in ms; defaults to 0.
   * @returns the frames in order, stamped `startTimestamp + index × frameDurationMs`.
   */
  frames(frameDurationMs?: number, startTimestamp?: number): AudioFrame[];
}

/** Rough formant frequencies (F1, F2, F3 in Hz) of five vowels. */
const VOWELS: readonly (readonly [number, number, number])[] = [
  [730, 1090, 2440],
  [270, 2290, 3010],
  [300, 870, 2240],
  [530, 1840, 2480],
  [570, 840, 2410],
];
const FORMANT_GAINS = [1, 0.5, 0.25] as const;
const FORMANT_BANDWIDTHS_HZ = [90, 110, 170] as const;
const MIN_PITCH_HZ = 90;
const MAX_PITCH_HZ = 250;

/** mulberry32: a small, fast, seedable PRNG with 32 bits of state. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates a seeded, speech-like test signal: utterances of random length separated by gaps of
 * random length, over white background noise. There is no speech in it — it is synthetic and
 * MIT-clean — but it has the features voice-activity detection keys on: voiced segments built
 * from a harmonic series on a pitch contour wandering between 90 and 250 Hz, shaped by moving
 * formant-like resonances, amplitude-modulated at a syllable rate of 3–6 Hz, with a 10–40 ms
 * attack and a 30–80 ms decay. The exact onsets and ends come back with the samples, so tests can
 * measure a detector's timing.
 *
 * @param options - seed, rate, utterance and gap lengths, speech and noise levels.
 * @returns the samples, where each utterance lies, and a helper to cut frames.
 * @throws `InvalidArgumentError` for non-integer seeds and counts, negative or inverted ranges;
 * `UnsupportedSampleRateError` for unsupported rates.
 * @example
 * ```ts
 * import { generateSpeechLikeSignal } from '@argentum/core/testing';
 *
 * const signal = generateSpeechLikeSignal({ seed: 7, utteranceCount: 3, noiseLevelDbfs: -45 });
 * signal.utterances; // [{ startMs: 912.4, endMs: 2210.1 }, …]
 * for (const frame of signal.frames(20)) detector.process(frame);
 * ```
 */
export function generateSpeechLikeSignal(options: SpeechLikeSignalOptions): SpeechLikeSignal {
  const seed = assertNumber('seed', options.seed, { integer: true });
  const sampleRate = assertSampleRate(options.sampleRate ?? 16000);
  const utteranceCount = assertNumber('utteranceCount', options.utteranceCount ?? 4, {
    integer: true,
    min: 0,
  });
  const minUtteranceMs = assertNumber('minUtteranceMs', options.minUtteranceMs ?? 400, { min: 150 });
  const maxUtteranceMs = assertNumber('maxUtteranceMs', options.maxUtteranceMs ?? 2500, {
    min: minUtteranceMs,
  });
  const minGapMs = assertNumber('minGapMs', options.minGapMs ?? 300, { min: 0 });
  const maxGapMs = assertNumber('maxGapMs', options.maxGapMs ?? 1200, { min: minGapMs });
  const speechLevelDbfs = assertNumber('speechLevelDbfs', options.speechLevelDbfs ?? -20, { max: -3 });
  const noiseLevelDbfs = assertNumber('noiseLevelDbfs', options.noiseLevelDbfs ?? -65, { max: 0 });
  if (utteranceCount > 1000) {
    throw new InvalidArgumentError('utteranceCount', `expected at most 1000, got ${utteranceCount}.`);
  }
  const random = createRandom(seed);
  const between = (low: number, high: number): number => low + (high - low) * random();
  const toSamples = (ms: number): number => Math.round((ms * sampleRate) / 1000);

  const layout: { start: number; length: number }[] = [];
  let cursor = toSamples(between(minGapMs, maxGapMs));
  for (let i = 0; i < utteranceCount; i++) {
    const length = toSamples(between(minUtteranceMs, maxUtteranceMs));
    layout.push({ start: cursor, length });
    cursor += length + toSamples(between(minGapMs, maxGapMs));
  }
  const total = cursor;

  const signal = new Float64Array(total);
  for (const { start, length } of layout) {
    const voice = synthesizeUtterance(length, sampleRate, random);
    const gain = (32768 * 10 ** ((speechLevelDbfs + between(-3, 3)) / 20)) / rms(voice);
    for (let i = 0; i < length; i++) signal[start + i] = voice[i]! * gain;
  }
  const noiseRms = 32768 * 10 ** (noiseLevelDbfs / 20);
  const samples = new Int16Array(total);
  for (let i = 0; i < total; i++) {
    const value = Math.round(signal[i]! + noiseRms * gaussian(random));
    samples[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
  }

  const utterances = layout.map(({ start, length }) => ({
    startMs: (start * 1000) / sampleRate,
    endMs: ((start + length) * 1000) / sampleRate,
  }));
  return {
    samples,
    sampleRate,
    durationMs: (total * 1000) / sampleRate,
    utterances,
    frames: (frameDurationMs = 20, startTimestamp = 0) =>
      cutFrames(samples, sampleRate, frameDurationMs, startTimestamp),
  };
}

/** A standard normal draw (Box–Muller). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function rms(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum / Math.max(1, values.length)) || 1;
}

/** One voiced utterance of `length` samples at unit-ish scale (normalised by the caller). */
function synthesizeUtterance(length: number, sampleRate: number, random: () => number): Float64Array {
  const between = (low: number, high: number): number => low + (high - low) * random();
  const out = new Float64Array(length);
  const attack = Math.round((between(10, 40) * sampleRate) / 1000);
  const decay = Math.round((between(30, 80) * sampleRate) / 1000);
  const startPitch = between(110, 230);
  const endPitch = startPitch * between(0.7, 1.05);
  const wobbleHz = between(1.5, 3);
  const wobbleDepth = between(5, 20);
  const wobblePhase = between(0, 2 * Math.PI);
  const syllableHz = between(3, 6);
  const depth = between(0.4, 0.7);
  const syllables = Math.ceil((length / sampleRate) * syllableHz) + 2;
  const vowels = Array.from({ length: syllables }, () => VOWELS[Math.floor(random() * VOWELS.length)]!);
  const maxFrequency = Math.min(4000, 0.45 * sampleRate);
  const block = Math.max(1, Math.round(sampleRate / 200)); // 5 ms: pitch and formants move slowly
  const amplitudes = new Float64Array(Math.ceil(maxFrequency / MIN_PITCH_HZ) + 1);

  let phase = 0;
  let harmonics = 0;
  let pitch = startPitch;
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    if (i % block === 0) {
      const progress = i / length;
      pitch =
        startPitch +
        (endPitch - startPitch) * progress +
        wobbleDepth * Math.sin(2 * Math.PI * wobbleHz * t + wobblePhase);
      pitch = Math.min(MAX_PITCH_HZ, Math.max(MIN_PITCH_HZ, pitch));
      const position = t * syllableHz;
      const index = Math.floor(position);
      const from = vowels[index]!;
      const to = vowels[index + 1]!;
      const blend = position - index;
      harmonics = Math.floor(maxFrequency / pitch);
      for (let h = 1; h <= harmonics; h++) {
        const frequency = h * pitch;
        let gain = 0.02;
        for (let f = 0; f < 3; f++) {
          const formant = from[f]! + (to[f]! - from[f]!) * blend;
          const detuning = (frequency - formant) / (FORMANT_BANDWIDTHS_HZ[f]! / 2);
          gain += FORMANT_GAINS[f]! / Math.sqrt(1 + detuning * detuning);
        }
        amplitudes[h] = gain / (1 + frequency / 400); // glottal spectral tilt
      }
    }
    phase += (2 * Math.PI * pitch) / sampleRate;
    if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
    // sin(hφ) by the Chebyshev recurrence: sin((h+1)φ) = 2cos φ·sin(hφ) − sin((h−1)φ).
    const twoCos = 2 * Math.cos(phase);
    let previous = 0;
    let current = Math.sin(phase);
    let value = 0;
    for (let h = 1; h <= harmonics; h++) {
      value += amplitudes[h]! * current;
      const next = twoCos * current - previous;
      previous = current;
      current = next;
    }
    const syllable = 1 - depth * (0.5 - 0.5 * Math.cos(2 * Math.PI * syllableHz * t));
    let ramp = 1;
    if (i < attack) ramp = 0.5 - 0.5 * Math.cos((Math.PI * i) / attack);
    else if (i >= length - decay) ramp = 0.5 - 0.5 * Math.cos((Math.PI * (length - i)) / decay);
    out[i] = (value + 0.03 * gaussian(random)) * syllable * ramp;
  }
  return out;
}

function cutFrames(
  samples: Int16Array,
  sampleRate: SampleRate,
  frameDurationMs: number,
  startTimestamp: number,
): AudioFrame[] {
  const frameSamples = samplesPerDuration(sampleRate, frameDurationMs);
  assertNumber('startTimestamp', startTimestamp);
  const frames: AudioFrame[] = [];
  for (let offset = 0, index = 0; offset < samples.length; offset += frameSamples, index++) {
    let frameSamplesView = samples.subarray(offset, offset + frameSamples);
    if (frameSamplesView.length < frameSamples) {
      const padded = new Int16Array(frameSamples);
      padded.set(frameSamplesView);
      frameSamplesView = padded;
    }
    frames.push({
      samples: frameSamplesView,
      sampleRate,
      channels: 1,
      timestamp: startTimestamp + index * frameDurationMs,
    });
  }
  return frames;
}
