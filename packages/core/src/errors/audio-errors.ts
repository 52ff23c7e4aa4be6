import { ArgentumError, type ArgentumErrorOptions, hasBrand } from './argentum-error';

/**
 * Audio data whose shape is wrong: an odd number of PCM16 bytes, a sample count that is not a
 * multiple of the channel count, an unsupported channel count, a frame of the wrong size.
 *
 * @example
 * ```ts
 * try {
 *   createAudioFrame({ samples: new Int16Array(3), sampleRate: 16000, channels: 2, timestamp: 0 });
 * } catch (error) {
 *   if (AudioFormatError.isInstance(error)) console.error(error.message);
 * }
 * ```
 */
export class AudioFormatError extends ArgentumError {
  /**
   * @param message - what was wrong with the audio.
   * @param options - optional `cause`.
   */
  constructor(message: string, options?: ArgentumErrorOptions) {
    super('audio-format', message, options);
    this.brand('AudioFormatError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link AudioFormatError}.
   * @example
   * ```ts
   * if (AudioFormatError.isInstance(error)) console.error(error.message);
   * ```
   */
  static override isInstance(error: unknown): error is AudioFormatError {
    return hasBrand(error, 'AudioFormatError');
  }
}

/**
 * A sample rate Argentum does not process (see {@link SUPPORTED_SAMPLE_RATES}).
 *
 * @example
 * ```ts
 * try {
 *   assertSampleRate(11025);
 * } catch (error) {
 *   if (UnsupportedSampleRateError.isInstance(error)) console.error(error.sampleRate);
 * }
 * ```
 */
export class UnsupportedSampleRateError extends ArgentumError {
  /** The rejected rate, in Hz. */
  readonly sampleRate: number;

  /**
   * @param sampleRate - the rejected rate in Hz.
   * @param supported - the rates that would have been accepted.
   */
  constructor(sampleRate: number, supported: readonly number[]) {
    super(
      'unsupported-sample-rate',
      `Unsupported sample rate ${sampleRate} Hz: use one of ${supported.join(', ')} Hz (resample first if needed).`,
    );
    this.sampleRate = sampleRate;
    this.brand('UnsupportedSampleRateError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link UnsupportedSampleRateError}.
   * @example
   * ```ts
   * if (UnsupportedSampleRateError.isInstance(error)) console.error(error.sampleRate);
   * ```
   */
  static override isInstance(error: unknown): error is UnsupportedSampleRateError {
    return hasBrand(error, 'UnsupportedSampleRateError');
  }
}

/**
 * A sample value that cannot be audio: NaN or ±Infinity in float input.
 *
 * @example
 * ```ts
 * try {
 *   float32ToInt16(new Float32Array([0, Number.NaN]));
 * } catch (error) {
 *   if (InvalidSampleError.isInstance(error)) console.error(error.index); // 1
 * }
 * ```
 */
export class InvalidSampleError extends ArgentumError {
  /** Index of the first offending sample. */
  readonly index: number;

  /**
   * @param index - the index of the first bad sample.
   * @param value - the bad value.
   */
  constructor(index: number, value: number) {
    super(
      'invalid-sample',
      `Float sample ${index} is ${value}: audio samples must be finite numbers (expected -1..1).`,
    );
    this.index = index;
    this.brand('InvalidSampleError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link InvalidSampleError}.
   * @example
   * ```ts
   * if (InvalidSampleError.isInstance(error)) console.error(error.index);
   * ```
   */
  static override isInstance(error: unknown): error is InvalidSampleError {
    return hasBrand(error, 'InvalidSampleError');
  }
}

/**
 * A WAV file that cannot be read: truncated, with wrong chunk sizes, or in an unsupported format.
 *
 * @example
 * ```ts
 * try {
 *   readWav(bytes);
 * } catch (error) {
 *   if (WavFormatError.isInstance(error)) console.error(`not a usable WAV: ${error.message}`);
 * }
 * ```
 */
export class WavFormatError extends ArgentumError {
  /**
   * @param message - what was wrong with the file.
   * @param options - optional `cause`.
   */
  constructor(message: string, options?: ArgentumErrorOptions) {
    super('wav-format', message, options);
    this.brand('WavFormatError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link WavFormatError}.
   * @example
   * ```ts
   * if (WavFormatError.isInstance(error)) console.error(error.message);
   * ```
   */
  static override isInstance(error: unknown): error is WavFormatError {
    return hasBrand(error, 'WavFormatError');
  }
}
