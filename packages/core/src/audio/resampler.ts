import { AudioFormatError } from '../errors/audio-errors';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertChannels, assertSampleRate, type SampleRate } from './audio-frame';
import { designResamplerFilter, type ResamplerFilter } from './resampler-filter';
import { decimateSymmetric, interpolatePolyphase } from './resampler-kernels';

/**
 * Filter quality of {@link StreamingResampler} and {@link resample}.
 *
 * - `'fast'`: a short filter for speech pipelines — flat to 0.58 of the lower Nyquist frequency,
 *   aliases rejected by at least 74 dB (only the filter's own roll-off region can alias).
 * - `'high'`: a filter about 3× longer — flat to 0.76 of the lower Nyquist frequency, at least
 *   87 dB rejection of everything that could alias.
 *
 * @example
 * ```ts
 * const quality: ResampleQuality = process.env.MUSIC ? 'high' : 'fast';
 * const resampler = new StreamingResampler({ inputRate: 44100, outputRate: 48000, quality });
 * ```
 */
export type ResampleQuality = 'fast' | 'high';

/**
 * Options of {@link StreamingResampler}.
 *
 * @example
 * ```ts
 * const options: StreamingResamplerOptions = { inputRate: 44100, outputRate: 16000, channels: 2 };
 * const resampler = new StreamingResampler(options);
 * ```
 */
export interface StreamingResamplerOptions {
  /** Rate of the samples passed to {@link StreamingResampler.process}, in Hz. */
  inputRate: SampleRate;
  /** Rate of the samples it returns, in Hz. */
  outputRate: SampleRate;
  /** 1 (mono, the default) or 2 (interleaved stereo, `L R L R …`). */
  channels?: 1 | 2;
  /**
   * `'fast'` (the default) or `'high'`; see {@link StreamingResampler} for the figures of each.
   */
  quality?: ResampleQuality;
}

const INITIAL_CAPACITY = 4096;

/**
 * Returns `quality` when it names a {@link ResampleQuality}.
 * @throws {@link InvalidArgumentError} otherwise.
 * @internal
 */
export function assertResampleQuality(quality: unknown): ResampleQuality {
  if (quality !== 'fast' && quality !== 'high') {
    throw new InvalidArgumentError('quality', `expected 'fast' or 'high', got ${String(quality)}.`);
  }
  return quality;
}

/**
 * A streaming sample-rate converter for PCM16 between any two of the
 * {@link SUPPORTED_SAMPLE_RATES}, mono or interleaved stereo.
 *
 * It is a polyphase FIR filter (a Kaiser-windowed sinc, designed on first use and cached per rate
 * pair and quality) that computes only the output samples it needs: one dot product per output
 * sample. It keeps the recent input as history, so a stream cut into chunks of any sizes produces
 * exactly the samples it would produce in one piece — no clicks at chunk boundaries.
 *
 * **Timing.** Output sample `k` is the signal at input time `k / outputRate`: the filter is linear
 * phase and its group delay is compensated, so resampled audio stays aligned with its source. The
 * price is a small look-ahead: an output sample is returned once the input
 * {@link StreamingResampler.latencyMs} later has arrived (0.42 ms for 48 → 16 kHz `'fast'`,
 * 1.23 ms for `'high'`). {@link StreamingResampler.flush} returns the samples still waiting for
 * that look-ahead, so over a whole stream of `n` input samples the output has exactly
 * `⌈n · outputRate / inputRate⌉` samples.
 *
 * **Quality.** Figures relative to `fN`, the lower of the two Nyquist frequencies (8 kHz for any
 * conversion to or from 16 kHz):
 * - `'fast'` (default): 41 taps per output sample at 48 → 16 kHz (14 when upsampling). Flat within
 *   ±0.1 dB to 0.58·fN, −3 dB at 0.77·fN; at least 74 dB rejection from 1.2·fN up, so aliases only
 *   land above 0.8·fN (a 10 kHz tone at 48 kHz comes out of a 16 kHz conversion ≈ 79 dB down).
 *   Made for speech pipelines: at 48 → 16 kHz mono it takes about 6 µs of CPU per 20 ms frame
 *   on a 2-vCPU server.
 * - `'high'`: 119 taps per output sample at 48 → 16 kHz (40 when upsampling). Flat within ±0.1 dB
 *   to 0.76·fN, −3 dB at 0.84·fN; at least 87 dB rejection from fN up, i.e. no aliasing above the
 *   16-bit noise floor. About 3× the cost of `'fast'`.
 *
 * Equal input and output rates pass samples through (copied).
 *
 * @example
 * ```ts
 * const resampler = new StreamingResampler({ inputRate: 48000, outputRate: 16000 });
 * for (const chunk of micChunks) sendToRecognizer(resampler.process(chunk)); // 960 in → 320 out
 * sendToRecognizer(resampler.flush()); // the last 0.42 ms, then the resampler starts afresh
 * ```
 */
export class StreamingResampler {
  /** Input rate in Hz. */
  readonly inputRate: SampleRate;
  /** Output rate in Hz. */
  readonly outputRate: SampleRate;
  /** Channel count of both input and output. */
  readonly channels: 1 | 2;
  /** The filter quality in use. */
  readonly quality: ResampleQuality;
  /**
   * How long, in milliseconds of input audio, an output sample waits for the input after it before
   * it can be computed: half the filter length, the only delay this resampler adds (0 for equal
   * rates).
   */
  readonly latencyMs: number;

  readonly #filter: ResamplerFilter | undefined;
  #histories: Float32Array[];
  /** Valid samples per channel in the histories. */
  #length = 0;
  /** History index of the base input sample of the next output. */
  #position = 0;
  /** Phase (0 … phases − 1) of the next output. */
  #phase = 0;
  /** Input samples per channel received since the start of the stream. */
  #inputFrames = 0;
  /** Output samples per channel returned since the start of the stream. */
  #outputFrames = 0;

  /**
   * @param options - rates, channel count and quality.
   * @throws {@link UnsupportedSampleRateError} for a rate outside {@link SUPPORTED_SAMPLE_RATES};
   * {@link AudioFormatError} for a channel count other than 1 or 2; {@link InvalidArgumentError}
   * for an unknown quality.
   * @example
   * ```ts
   * const toSpeaker = new StreamingResampler({ inputRate: 24000, outputRate: 48000, channels: 1, quality: 'high' });
   * ```
   */
  constructor(options: StreamingResamplerOptions) {
    this.inputRate = assertSampleRate(options.inputRate);
    this.outputRate = assertSampleRate(options.outputRate);
    this.channels = assertChannels(options.channels ?? 1);
    this.quality = assertResampleQuality(options.quality ?? 'fast');
    this.#filter =
      this.inputRate === this.outputRate
        ? undefined
        : designResamplerFilter(this.inputRate, this.outputRate, this.quality);
    this.latencyMs = this.#filter === undefined ? 0 : (this.#filter.lookahead / this.inputRate) * 1000;
    const capacity = INITIAL_CAPACITY + (this.#filter === undefined ? 0 : this.#filter.reach);
    this.#histories = Array.from({ length: this.channels }, () => new Float32Array(capacity));
    this.reset();
  }

  /**
   * Resamples the next chunk of the stream.
   *
   * @param samples - interleaved PCM16 at {@link StreamingResampler.inputRate}, any length that is
   * a multiple of the channel count (including 0).
   * @returns a new array with every output sample whose input (plus look-ahead) has now arrived;
   * over a stream this is `outputRate / inputRate` times the input, give or take one sample per call.
   * @throws {@link AudioFormatError} when `samples` is not an `Int16Array` or its length is not a
   * multiple of the channel count.
   * @example
   * ```ts
   * const resampler = new StreamingResampler({ inputRate: 44100, outputRate: 16000, channels: 2 });
   * const out = resampler.process(stereoChunk); // interleaved stereo at 16 kHz
   * ```
   */
  process(samples: Int16Array): Int16Array {
    if (!(samples instanceof Int16Array)) {
      throw new AudioFormatError('StreamingResampler.process expects an Int16Array of PCM16 samples.');
    }
    const channels = this.channels;
    if (samples.length % channels !== 0) {
      throw new AudioFormatError(
        `Sample count ${samples.length} is not a multiple of the channel count ${channels}: pass whole interleaved sample frames.`,
      );
    }
    const frames = samples.length / channels;
    this.#inputFrames += frames;
    const filter = this.#filter;
    if (filter === undefined) {
      this.#outputFrames += frames;
      return samples.slice();
    }
    this.#ensureCapacity(this.#length + frames);
    const start = this.#length;
    if (channels === 1) {
      this.#histories[0]!.set(samples, start);
    } else {
      const left = this.#histories[0]!;
      const right = this.#histories[1]!;
      for (let i = 0, j = 0; i < frames; i++, j += 2) {
        left[start + i] = samples[j]!;
        right[start + i] = samples[j + 1]!;
      }
    }
    this.#length += frames;
    return this.#render(filter, this.#available(filter));
  }

  /**
   * Ends the stream: returns the output samples still waiting for look-ahead (computed as if
   * silence followed), then resets the resampler so it can take a new stream.
   *
   * @returns the last interleaved output samples. After it, the stream's total output is
   * `⌈n · outputRate / inputRate⌉` samples per channel for `n` input samples per channel.
   * @example
   * ```ts
   * const tail = resampler.flush();
   * if (tail.length > 0) writer.write(tail);
   * ```
   */
  flush(): Int16Array {
    const filter = this.#filter;
    if (filter === undefined) {
      this.reset();
      return new Int16Array(0);
    }
    const total = Math.floor((this.#inputFrames * filter.phases + filter.step - 1) / filter.step);
    const remaining = total - this.#outputFrames;
    this.#ensureCapacity(this.#length + filter.lookahead);
    for (const history of this.#histories) history.fill(0, this.#length, this.#length + filter.lookahead);
    this.#length += filter.lookahead;
    const tail = this.#render(filter, Math.max(0, Math.min(remaining, this.#available(filter))));
    this.reset();
    return tail;
  }

  /**
   * Forgets the stream so far (its history and sample counts) without returning anything: the
   * next {@link StreamingResampler.process} starts a new stream, as if the resampler were new.
   *
   * @example
   * ```ts
   * session.on('barge-in', () => resampler.reset()); // drop the half-processed old audio
   * ```
   */
  reset(): void {
    const reach = this.#filter === undefined ? 0 : this.#filter.reach;
    for (const history of this.#histories) history.fill(0, 0, reach);
    this.#length = reach;
    this.#position = reach;
    this.#phase = 0;
    this.#inputFrames = 0;
    this.#outputFrames = 0;
  }

  /** The number of outputs whose input, look-ahead included, is in the history. */
  #available(filter: ResamplerFilter): number {
    const lastBase = this.#length - 1 - filter.lookahead - this.#position;
    if (lastBase < 0) return 0;
    return Math.floor(((lastBase + 1) * filter.phases - this.#phase + filter.step - 1) / filter.step);
  }

  /** Computes `count` outputs per channel from the history, then drops history no longer needed. */
  #render(filter: ResamplerFilter, count: number): Int16Array {
    const channels = this.channels;
    const output = new Int16Array(count * channels);
    if (count === 0) return output;
    for (let channel = 0; channel < channels; channel++) {
      const history = this.#histories[channel]!;
      if (filter.isSymmetric) {
        decimateSymmetric(
          history,
          this.#position,
          filter.step,
          filter.symmetric,
          filter.symmetricHalfLength,
          output,
          channel,
          channels,
          count,
        );
      } else {
        interpolatePolyphase(
          history,
          this.#position - filter.reach,
          this.#phase,
          filter.phases,
          filter.step,
          filter.coefficients,
          filter.tapsPerPhase,
          output,
          channel,
          channels,
          count,
        );
      }
    }
    const advanced = this.#phase + count * filter.step;
    const whole = Math.floor(advanced / filter.phases);
    this.#position += whole;
    this.#phase = advanced - whole * filter.phases;
    this.#outputFrames += count;

    const drop = Math.min(this.#position - filter.reach, this.#length);
    if (drop > 0) {
      for (const history of this.#histories) history.copyWithin(0, drop, this.#length);
      this.#length -= drop;
      this.#position -= drop;
    }
    return output;
  }

  /** Grows every channel's history to hold at least `length` samples. */
  #ensureCapacity(length: number): void {
    const current = this.#histories[0]!.length;
    if (length <= current) return;
    let capacity = current;
    while (capacity < length) capacity *= 2;
    this.#histories = this.#histories.map((history) => {
      const grown = new Float32Array(capacity);
      grown.set(history.subarray(0, this.#length));
      return grown;
    });
  }
}
