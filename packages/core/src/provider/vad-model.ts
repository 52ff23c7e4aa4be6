import type { AudioFrame, SampleRate } from '../audio/audio-frame';
import type { SpecificationVersion } from './specification';

/**
 * A voice-activity model: scores how likely a window of audio holds speech. The decision logic
 * (thresholds with hysteresis, minimum speech and silence durations) is core's, in `detectSpeech`;
 * a model only scores. Core's `EnergyVad` is one; a neural model (Silero) is another.
 *
 * Models are stateful (recurrent nets keep state across windows): one instance per audio stream.
 *
 * @example
 * ```ts
 * const vad: VadModel = createEnergyVad();
 * const probability = vad.score(frame16k); // 0..1
 * ```
 */
export interface VadModel {
  /** The spec version the model implements. */
  readonly specificationVersion: SpecificationVersion;
  /** A name for logs and metrics, e.g. `energy` or `silero-v5`. */
  readonly name: string;
  /** The sample rate the model expects (frames at other rates must be resampled first). */
  readonly sampleRate: SampleRate;
  /**
   * Scores one frame of mono audio at {@link VadModel.sampleRate}.
   * @param frame - mono audio at the model's rate, any length.
   * @returns speech probability in 0..1.
   */
  score(frame: AudioFrame): number;
  /** Forgets all state, as for a new stream. */
  reset(): void;
}
