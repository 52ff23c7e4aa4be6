import { assertNumber } from '../../internal/validate';
import { SPECIFICATION_VERSION, type SpecificationVersion } from '../../provider/specification';
import type { VadModel } from '../../provider/vad-model';
import { type AudioFrame, assertSampleRate, type SampleRate } from '../audio-frame';

/** Options of {@link createEnergyVad}. Levels are RMS levels in dBFS (full scale = 32 768). */
export interface EnergyVadOptions {
  /**
   * The rate the model advertises as {@link VadModel.sampleRate}; defaults to 16 000. Energy does
   * not depend on the rate, so frames at any supported rate are scored alike.
   */
  sampleRate?: number;
  /** How far above the noise floor a frame's level must be to score 0.5, in dB; defaults to 10. */
  thresholdDb?: number;
  /**
   * Width of the logistic curve in dB; defaults to 2. A frame `thresholdDb ± softnessDb` above the
   * floor scores 0.73 / 0.27, `± 2 × softnessDb` scores 0.88 / 0.12.
   */
  softnessDb?: number;
  /**
   * The lowest level considered, in dBFS; defaults to -70. Quieter frames (and digital silence)
   * count as this level, and the noise floor never drops below it, so nothing quieter than
   * `minimumLevelDbfs + thresholdDb` (-60 dBFS by default) is ever likely speech.
   */
  minimumLevelDbfs?: number;
  /**
   * How fast the noise floor rises toward louder frames while the level fluctuates like speech, in
   * dB per second of audio; defaults to 1. Slow, so that a few seconds of speech barely lift it.
   */
  noiseFloorRiseDbPerSecond?: number;
  /**
   * How fast the noise floor rises toward louder frames while the level is steady (its mean
   * deviation over the last ~300 ms is below `stationaryDeviationDb`), in dB per second; defaults
   * to 8. A constant louder background — a fan switching on — stops scoring as speech once the
   * floor has climbed to within `thresholdDb` of it: with the defaults, about 1 s after a 10 dB
   * step and 4 s after a 30 dB step.
   */
  stationaryNoiseRiseDbPerSecond?: number;
  /**
   * Mean absolute deviation of the frame level around its ~300 ms average below which the sound
   * counts as steady, in dB; defaults to 1.5. White noise in 20 ms frames deviates by about
   * 0.3 dB; speech by several dB from syllable to syllable.
   */
  stationaryDeviationDb?: number;
  /** Time constant of the noise floor's fall toward quieter frames, in ms of audio; defaults to 40. */
  noiseFloorFallMs?: number;
  /**
   * The noise floor to start from, in dBFS. By default the first frame's level is taken as the
   * floor, which assumes the stream starts without speech (a stream that starts mid-utterance is
   * detected from its first pause on).
   */
  initialNoiseFloorDbfs?: number;
}

/** 20 × log10(32 768): converts a level relative to 1 LSB into dBFS. */
const FULL_SCALE_DB = 20 * Math.log10(32768);
/** Time constant of the level average and deviation used to tell steady sound from speech, in ms. */
const STATIONARITY_MS = 300;

/**
 * An energy-based voice-activity model: scores each frame by how far its RMS level stands above an
 * adaptive noise floor, through a logistic curve centred `thresholdDb` above the floor.
 *
 * The floor follows quieter frames quickly (time constant `noiseFloorFallMs`) and louder frames
 * slowly: at `noiseFloorRiseDbPerSecond` (1 dB/s) while the level fluctuates the way speech does,
 * faster (`stationaryNoiseRiseDbPerSecond`, 8 dB/s) while it is steady. So the floor settles on
 * the background between words, seconds of speech barely lift it, and a constant background — a
 * fan, line hum — stops counting as speech within a few seconds. Each frame is scored
 * against the floor as it was before the frame.
 *
 * Scoring a frame is one pass summing squares over the samples plus a logarithm and an
 * exponential. Stateful: use one instance per audio stream. Create it with {@link createEnergyVad}.
 *
 * @example
 * ```ts
 * import { EnergyVad } from '@argentum/core';
 *
 * const vad = new EnergyVad({ thresholdDb: 12 });
 * const probability = vad.score(frame);
 * console.log(vad.noiseFloorDbfs, vad.levelDbfs, probability);
 * ```
 */
export class EnergyVad implements VadModel {
  /** The provider spec version: `v1`. */
  readonly specificationVersion: SpecificationVersion = SPECIFICATION_VERSION;
  /** `energy`. */
  readonly name = 'energy';
  /** The advertised rate (frames at any supported rate are accepted). */
  readonly sampleRate: SampleRate;

  readonly #thresholdDb: number;
  readonly #softnessDb: number;
  readonly #minimumLevelDbfs: number;
  readonly #riseDbPerMs: number;
  readonly #stationaryRiseDbPerMs: number;
  readonly #stationaryDeviationDb: number;
  readonly #fallMs: number;
  readonly #initialNoiseFloorDbfs: number | undefined;
  // NaN rather than `undefined` while unset: a field that only ever holds numbers keeps its double
  // in place, whereas one that may hold `undefined` gets a fresh heap number at every frame (in a
  // long-lived detector: a young object the collector copies and an old-to-new pointer it tracks).
  #noiseFloorDbfs = Number.NaN;
  #levelDbfs = Number.NaN;
  #averageLevelDbfs = 0;
  #deviationDb = 0;
  #cachedDurationMs = Number.NaN;
  #fallFraction = 0;
  #averageFraction = 0;

  /**
   * @param options - threshold, curve width and noise-floor tracking; see {@link EnergyVadOptions}.
   * @throws {@link InvalidArgumentError} for non-finite or out-of-range options;
   * {@link UnsupportedSampleRateError} for an unsupported `sampleRate`.
   */
  constructor(options: EnergyVadOptions = {}) {
    this.sampleRate = assertSampleRate(options.sampleRate ?? 16000);
    this.#thresholdDb = assertNumber('thresholdDb', options.thresholdDb ?? 10, { min: 0 });
    this.#softnessDb = assertNumber('softnessDb', options.softnessDb ?? 2, { above: 0 });
    this.#minimumLevelDbfs = assertNumber('minimumLevelDbfs', options.minimumLevelDbfs ?? -70, {
      min: -120,
      max: 0,
    });
    this.#riseDbPerMs =
      assertNumber('noiseFloorRiseDbPerSecond', options.noiseFloorRiseDbPerSecond ?? 1, { min: 0 }) / 1000;
    this.#stationaryRiseDbPerMs =
      assertNumber('stationaryNoiseRiseDbPerSecond', options.stationaryNoiseRiseDbPerSecond ?? 8, {
        min: 0,
      }) / 1000;
    this.#stationaryDeviationDb = assertNumber(
      'stationaryDeviationDb',
      options.stationaryDeviationDb ?? 1.5,
      {
        min: 0,
      },
    );
    this.#fallMs = assertNumber('noiseFloorFallMs', options.noiseFloorFallMs ?? 40, { min: 0 });
    this.#initialNoiseFloorDbfs =
      options.initialNoiseFloorDbfs === undefined
        ? undefined
        : assertNumber('initialNoiseFloorDbfs', options.initialNoiseFloorDbfs, { max: 0 });
  }

  /** The current noise floor in dBFS, or `undefined` before the first frame. */
  get noiseFloorDbfs(): number | undefined {
    return Number.isNaN(this.#noiseFloorDbfs) ? undefined : this.#noiseFloorDbfs;
  }

  /** The RMS level of the last scored frame in dBFS (clamped at `minimumLevelDbfs`), or `undefined`. */
  get levelDbfs(): number | undefined {
    return Number.isNaN(this.#levelDbfs) ? undefined : this.#levelDbfs;
  }

  /**
   * Scores one frame and updates the noise floor.
   *
   * @param frame - audio at any supported rate; stereo frames are measured over both channels.
   * An empty frame scores 0 and changes nothing.
   * @returns speech probability in 0..1.
   * @example
   * ```ts
   * if (vad.score(frame) > 0.5) console.log('voice at', frame.timestamp);
   * ```
   */
  score(frame: AudioFrame): number {
    const samples = frame.samples;
    const count = samples.length;
    if (count === 0) return 0;
    let sumOfSquares = 0;
    for (let i = 0; i < count; i++) {
      const sample = samples[i]!;
      sumOfSquares += sample * sample;
    }
    const minimum = this.#minimumLevelDbfs;
    let level = sumOfSquares === 0 ? minimum : 10 * Math.log10(sumOfSquares / count) - FULL_SCALE_DB;
    if (level < minimum) level = minimum;
    this.#levelDbfs = level;

    const durationMs = (count * 1000) / (frame.channels * frame.sampleRate);
    if (durationMs !== this.#cachedDurationMs) {
      this.#cachedDurationMs = durationMs;
      this.#fallFraction = this.#fallMs === 0 ? 1 : 1 - Math.exp(-durationMs / this.#fallMs);
      this.#averageFraction = 1 - Math.exp(-durationMs / STATIONARITY_MS);
    }
    let floor = this.#noiseFloorDbfs;
    if (Number.isNaN(floor)) {
      floor = Math.max(minimum, this.#initialNoiseFloorDbfs ?? level);
      this.#averageLevelDbfs = level;
      this.#deviationDb = 0;
    }
    const probability = 1 / (1 + Math.exp((floor + this.#thresholdDb - level) / this.#softnessDb));

    const deviation = level - this.#averageLevelDbfs;
    this.#averageLevelDbfs += deviation * this.#averageFraction;
    this.#deviationDb +=
      ((deviation < 0 ? -deviation : deviation) - this.#deviationDb) * this.#averageFraction;
    if (level < floor) {
      floor += (level - floor) * this.#fallFraction;
    } else {
      const rate =
        this.#deviationDb < this.#stationaryDeviationDb ? this.#stationaryRiseDbPerMs : this.#riseDbPerMs;
      const raised = floor + rate * durationMs;
      floor = raised < level ? raised : level;
    }
    this.#noiseFloorDbfs = floor;
    return probability;
  }

  /**
   * Forgets the noise floor, as for a new stream.
   * @example
   * ```ts
   * vad.reset(); // the next frame's level becomes the floor again
   * ```
   */
  reset(): void {
    this.#noiseFloorDbfs = Number.NaN;
    this.#levelDbfs = Number.NaN;
  }
}

/**
 * Creates an energy-based {@link VadModel}: no model file, no native code, a couple of
 * microseconds per 32 ms window. Scores how far each frame's RMS level stands above an adaptive
 * noise floor (see {@link EnergyVad}); pair it with {@link detectSpeech} or
 * {@link SpeechDetector} for speech-start / speech-end events.
 *
 * Good in quiet rooms and for tests; for noisy, music-heavy or far-field audio prefer a neural
 * model (Silero) behind the same {@link VadModel} interface.
 *
 * @param options - threshold, curve width and noise-floor tracking; see {@link EnergyVadOptions}.
 * @returns a new, stateful model: one per audio stream.
 * @throws {@link InvalidArgumentError} for invalid options.
 * @example
 * ```ts
 * import { createEnergyVad, detectSpeech } from '@argentum/core';
 *
 * const vad = createEnergyVad({ thresholdDb: 10 });
 * microphoneFrames$.pipe(detectSpeech(vad)).subscribe((event) => console.log(event.type, event.at));
 * ```
 */
export function createEnergyVad(options: EnergyVadOptions = {}): EnergyVad {
  return new EnergyVad(options);
}
