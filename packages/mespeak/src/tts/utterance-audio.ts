/**
 * The audio side of one utterance: sentence audio in at the engine's 22 050 Hz, exact 20 ms frames
 * out at the requested rate, stamped from the utterance start (0, 20, 40 … ms). Frames run on across
 * sentence boundaries; the last one is zero-padded when the utterance ends.
 *
 * @internal
 * @module
 */
import {
  type AudioFrame,
  AudioFramer,
  type SampleRate,
  StreamingResampler,
  samplesToPcm16Bytes,
} from '@argentum/core';

/** mespeak always synthesizes 22 050 Hz mono 16-bit PCM. */
export const MESPEAK_SAMPLE_RATE = 22050;
/** Duration of each emitted frame. */
export const FRAME_DURATION_MS = 20;

/** Frames one utterance. @internal */
export class UtteranceAudio {
  readonly #framer: AudioFramer;
  readonly #resampler: StreamingResampler | undefined;
  #sourceSamples = 0;
  #frames = 0;

  /** @param sampleRate - the rate of the emitted frames. */
  constructor(sampleRate: SampleRate) {
    this.#framer = new AudioFramer({ sampleRate, frameDurationMs: FRAME_DURATION_MS });
    this.#resampler =
      sampleRate === MESPEAK_SAMPLE_RATE
        ? undefined
        : new StreamingResampler({ inputRate: MESPEAK_SAMPLE_RATE, outputRate: sampleRate, quality: 'high' });
  }

  /** Engine audio pushed so far, in ms: where the next sentence starts. */
  get sourceDurationMs(): number {
    return (this.#sourceSamples / MESPEAK_SAMPLE_RATE) * 1000;
  }

  /** Audio emitted so far in frames, in ms. */
  get emittedDurationMs(): number {
    return this.#frames * FRAME_DURATION_MS;
  }

  /** Adds one sentence's samples (22 050 Hz mono); returns the frames they complete. */
  push(samples: Int16Array): readonly AudioFrame[] {
    this.#sourceSamples += samples.length;
    const output = this.#resampler ? this.#resampler.process(samples) : samples;
    return this.#count(this.#framer.push(samplesToPcm16Bytes(output)));
  }

  /** Ends the utterance: the resampler's tail and the last, zero-padded frame. */
  finish(): readonly AudioFrame[] {
    const frames: AudioFrame[] = [];
    if (this.#resampler) frames.push(...this.#framer.push(samplesToPcm16Bytes(this.#resampler.flush())));
    const last = this.#framer.flush();
    if (last) frames.push(last);
    // Never end before the engine audio does (a resampler may hold back a few samples).
    while ((this.#frames + frames.length) * FRAME_DURATION_MS < this.sourceDurationMs - 1e-9) {
      frames.push(this.#silentFrame(this.#frames + frames.length));
    }
    return this.#count(frames);
  }

  #count(frames: readonly AudioFrame[]): readonly AudioFrame[] {
    this.#frames += frames.length;
    return frames;
  }

  #silentFrame(index: number): AudioFrame {
    return {
      samples: new Int16Array(this.#framer.samplesPerFrame),
      sampleRate: this.#framer.sampleRate,
      channels: 1,
      timestamp: index * FRAME_DURATION_MS,
    };
  }
}
