import { ProviderError } from '@argentum/core';

const MESPEAK_ERROR_BRAND = 'MespeakError';
/** The cross-copy marker every Argentum error carries (see core's `ArgentumError`). */
const ERROR_MARKER = Symbol.for('@argentum/core/error');

/**
 * The local mespeak engine failed: the `mespeak` package could not be loaded, or synthesis produced
 * no usable audio. Not retryable as is; the message says what went wrong. Bad requests (an unknown
 * voice, an out-of-range rate) are `InvalidArgumentError`s instead.
 *
 * @example
 * ```ts
 * import { createMespeak, MespeakError } from '@argentum/mespeak';
 *
 * createMespeak().speech('ada').synthesize({ text: 'Hello.' }).subscribe({
 *   error: (error) => {
 *     if (MespeakError.isInstance(error)) console.error('offline TTS broke:', error.message);
 *   },
 * });
 * ```
 */
export class MespeakError extends ProviderError {
  /**
   * @param message - what failed and what to do about it.
   * @param options - the underlying error, if any.
   */
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('mespeak-engine', { provider: 'mespeak', message, retryable: false, cause: options.cause });
    this.brand(MESPEAK_ERROR_BRAND);
  }

  /**
   * Cross-copy-safe type check.
   *
   * @param error - any value.
   * @returns `true` for a {@link MespeakError}.
   * @example
   * ```ts
   * if (MespeakError.isInstance(error)) console.error(error.message);
   * ```
   */
  static override isInstance(error: unknown): error is MespeakError {
    if (!ProviderError.isInstance(error)) return false;
    const brands = (error as unknown as Record<symbol, unknown>)[ERROR_MARKER];
    return Array.isArray(brands) && brands.includes(MESPEAK_ERROR_BRAND);
  }
}
