import type { ProsodyHints } from '@argentum/core';

/**
 * Options of a mespeak speech model, given to `provider.speech(options)`.
 *
 * @example
 * ```ts
 * import { createMespeak } from '@argentum/mespeak';
 *
 * const slowBruno = createMespeak().speech({ voice: 'bruno', prosody: { rate: 0.85 } });
 * ```
 */
export interface MespeakSpeechOptions {
  /** The voice name (built-in or registered with the provider); defaults to the provider's default voice. */
  voice?: string;
  /**
   * Prosody applied to every request of this model; a request's own `prosody` fields take
   * precedence field by field.
   */
  prosody?: ProsodyHints;
}
