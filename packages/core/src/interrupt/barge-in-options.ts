import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';

/**
 * Options of the barge-in rules ({@link BargeInPolicy}), also accepted by the voice session as
 * `bargeIn`. Every duration is in scheduler milliseconds.
 *
 * @example
 * ```ts
 * import { DEFAULT_BACKCHANNEL_WORDS, type BargeInPolicyOptions } from '@argentum/core';
 *
 * const bargeIn: BargeInPolicyOptions = {
 *   minSpeechDurationMs: 400,
 *   minWords: 2,
 *   falseInterruptionTimeoutMs: 1500,
 *   echoWarmupMs: 250,
 *   backchannelWords: DEFAULT_BACKCHANNEL_WORDS,
 * };
 * ```
 */
export interface BargeInPolicyOptions {
  /**
   * How much voiced user speech (pauses between words excluded) confirms an interruption, ms ≥ 0;
   * defaults to 500. With a backchannel list, duration alone is not enough: the transcript must
   * also hold a word that is not a backchannel.
   */
  minSpeechDurationMs?: number;
  /**
   * How many transcribed words that are not backchannels confirm an interruption at once, however
   * short the speech (an integer ≥ 0; 0 turns the rule off); defaults to 1.
   */
  minWords?: number;
  /**
   * After the user stops speaking without having confirmed an interruption, how long to wait for
   * a transcript before resuming the agent from where it was paused, ms > 0; defaults to 2000.
   */
  falseInterruptionTimeoutMs?: number;
  /**
   * Speech whose onset falls within this many ms after the agent's audio starts is ignored as
   * echo of the agent's own voice (the whole speech segment, until the user falls silent), ms ≥ 0;
   * defaults to 300. 0 turns the window off.
   */
  echoWarmupMs?: number;
  /**
   * Words that acknowledge rather than take the floor ("uh-huh", "yeah"): they never interrupt.
   * Matching ignores case, punctuation and hyphens. Empty by default (off); pass
   * {@link DEFAULT_BACKCHANNEL_WORDS} to turn it on. Needs an STT: see `minSpeechDurationMs`.
   */
  backchannelWords?: readonly string[];
}

/** The barge-in rule defaults. */
export interface BargeInDefaults {
  /** Voiced speech that confirms an interruption, ms. */
  readonly minSpeechDurationMs: number;
  /** Non-backchannel words that confirm an interruption. */
  readonly minWords: number;
  /** Wait for a transcript after the user stops, ms. */
  readonly falseInterruptionTimeoutMs: number;
  /** Echo window after the agent's audio starts, ms. */
  readonly echoWarmupMs: number;
}

/**
 * The defaults of {@link BargeInPolicyOptions}: 500 ms of voiced speech or one word confirms, a false
 * interruption resumes 2 s after the user stops, and speech in the first 300 ms of the agent's
 * audio counts as echo.
 *
 * @example
 * ```ts
 * import { BARGE_IN_DEFAULTS } from '@argentum/core';
 *
 * console.log(BARGE_IN_DEFAULTS.minSpeechDurationMs); // 500
 * ```
 */
export const BARGE_IN_DEFAULTS: BargeInDefaults = Object.freeze({
  minSpeechDurationMs: 500,
  minWords: 1,
  falseInterruptionTimeoutMs: 2000,
  echoWarmupMs: 300,
});

/** Validated barge-in options with the defaults applied. @internal */
export interface ResolvedBargeInOptions {
  minSpeechDurationMs: number;
  minWords: number;
  falseInterruptionTimeoutMs: number;
  echoWarmupMs: number;
  backchannelWords: readonly string[];
}

/**
 * Validates {@link BargeInPolicyOptions} and applies the defaults.
 * @internal
 */
export function resolveBargeInOptions(options: BargeInPolicyOptions = {}): ResolvedBargeInOptions {
  const words = options.backchannelWords ?? [];
  if (!Array.isArray(words) || words.some((word) => typeof word !== 'string')) {
    throw new InvalidArgumentError(
      'backchannelWords',
      'expected an array of strings such as ["uh-huh", "yeah"] (or DEFAULT_BACKCHANNEL_WORDS).',
    );
  }
  return {
    minSpeechDurationMs: assertNumber(
      'minSpeechDurationMs',
      options.minSpeechDurationMs ?? BARGE_IN_DEFAULTS.minSpeechDurationMs,
      { min: 0 },
    ),
    minWords: assertNumber('minWords', options.minWords ?? BARGE_IN_DEFAULTS.minWords, {
      min: 0,
      integer: true,
    }),
    falseInterruptionTimeoutMs: assertNumber(
      'falseInterruptionTimeoutMs',
      options.falseInterruptionTimeoutMs ?? BARGE_IN_DEFAULTS.falseInterruptionTimeoutMs,
      { above: 0 },
    ),
    echoWarmupMs: assertNumber('echoWarmupMs', options.echoWarmupMs ?? BARGE_IN_DEFAULTS.echoWarmupMs, {
      min: 0,
    }),
    backchannelWords: Object.freeze([...words]),
  };
}
