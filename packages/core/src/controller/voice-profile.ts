import { assertGainDb } from '../audio/gain-envelope';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';

/**
 * How a simulated voice paces its words, and what it sounds like. Used by {@link estimateBeats}
 * (and so by {@link SimAudioController} and the sentence beats of {@link StreamingAudioController}).
 *
 * Each word takes a slot of `1000 / wordsPerSecond` ms: the word itself, then `wordBreakMs` of
 * silence; after the last word of a sentence the break is `sentenceBreakMs` instead.
 *
 * @example
 * ```ts
 * const slow: VoiceProfile = { ...DEFAULT_VOICE_PROFILE, wordsPerSecond: 1.8 };
 * ```
 */
export interface VoiceProfile {
  /** Speaking rate inside a sentence, words per second (2.5 = 150 words per minute). */
  wordsPerSecond: number;
  /** Silence after a word inside a sentence, ms; less than the word slot `1000 / wordsPerSecond`. */
  wordBreakMs: number;
  /** Silence after the last word of a sentence, ms. */
  sentenceBreakMs: number;
  /** The frequency of the simulated voice's tone, Hz (the simulation plays a tone while a word lasts). */
  toneHz: number;
  /** The level of that tone, dB relative to full scale (`-Infinity` for silence). */
  toneGainDb: number;
}

/**
 * The voice profile used when none is configured: 2.5 words per second (150 words per minute, a
 * typical conversational rate), 60 ms between words, 350 ms between sentences, a quiet 180 Hz tone
 * at −24 dBFS.
 *
 * @example
 * ```ts
 * const brisk = { ...DEFAULT_VOICE_PROFILE, wordsPerSecond: 3.2 };
 * ```
 */
export const DEFAULT_VOICE_PROFILE: Readonly<VoiceProfile> = Object.freeze({
  wordsPerSecond: 2.5,
  wordBreakMs: 60,
  sentenceBreakMs: 350,
  toneHz: 180,
  toneGainDb: -24,
});

/**
 * Completes a partial profile with {@link DEFAULT_VOICE_PROFILE} and validates it.
 *
 * @param profile - the fields to override.
 * @param argument - the option name used in error messages.
 * @returns a complete, valid profile.
 * @throws {@link InvalidArgumentError} when a field is out of range.
 * @example
 * ```ts
 * const profile = resolveVoiceProfile({ wordsPerSecond: 3 });
 * ```
 */
export function resolveVoiceProfile(
  profile: Partial<VoiceProfile> = {},
  argument = 'voiceProfile',
): VoiceProfile {
  const resolved: VoiceProfile = { ...DEFAULT_VOICE_PROFILE, ...profile };
  assertNumber(`${argument}.wordsPerSecond`, resolved.wordsPerSecond, { above: 0, max: 20 });
  assertNumber(`${argument}.wordBreakMs`, resolved.wordBreakMs, { min: 0 });
  assertNumber(`${argument}.sentenceBreakMs`, resolved.sentenceBreakMs, { min: 0 });
  assertNumber(`${argument}.toneHz`, resolved.toneHz, { above: 0 });
  assertGainDb(`${argument}.toneGainDb`, resolved.toneGainDb, 0);
  if (resolved.wordBreakMs >= 1000 / resolved.wordsPerSecond) {
    throw new InvalidArgumentError(
      `${argument}.wordBreakMs`,
      `${resolved.wordBreakMs} ms leaves no time for the word itself at ${resolved.wordsPerSecond} words per second (a word slot is ${1000 / resolved.wordsPerSecond} ms): lower the break or the rate.`,
    );
  }
  return resolved;
}

/**
 * Voice profile options shared by the controllers.
 *
 * @example
 * ```ts
 * const voices: VoiceProfileOptions = { voiceProfile: { wordBreakMs: 80 }, voices: { bob: { toneHz: 120 } } };
 * ```
 */
export interface VoiceProfileOptions {
  /** Overrides of {@link DEFAULT_VOICE_PROFILE} for every voice. */
  voiceProfile?: Partial<VoiceProfile>;
  /**
   * Per-voice overrides, by voice name: a segment uses the entry of its `voice`, else of its
   * `speaker`, on top of `voiceProfile`.
   */
  voices?: Record<string, Partial<VoiceProfile>>;
}

/**
 * Resolves and validates every profile of {@link VoiceProfileOptions} up front, and returns a
 * lookup by voice name (falling back to the speaker, then the base profile).
 * @internal
 */
export function createVoiceLookup(
  options: VoiceProfileOptions,
): (voice: string | undefined, speaker: string) => VoiceProfile {
  const base = resolveVoiceProfile(options.voiceProfile, 'voiceProfile');
  const voices = new Map<string, VoiceProfile>();
  for (const [name, profile] of Object.entries(options.voices ?? {})) {
    voices.set(name, resolveVoiceProfile({ ...options.voiceProfile, ...profile }, `voices.${name}`));
  }
  return (voice, speaker) =>
    (voice === undefined ? undefined : voices.get(voice)) ?? voices.get(speaker) ?? base;
}
