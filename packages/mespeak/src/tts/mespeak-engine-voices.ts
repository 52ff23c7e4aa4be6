/**
 * The voice modules shipped inside the `mespeak` 2.0.2 package (`mespeak/voices/…json`), by eSpeak
 * voice id. English comes in six accents; the others are one voice per language.
 *
 * @example
 * ```ts
 * import { createMespeak, MESPEAK_ENGINE_VOICES } from '@argentum/mespeak';
 *
 * console.log(MESPEAK_ENGINE_VOICES.includes('en/en-sc')); // true
 * const tts = createMespeak({ voices: { moira: { engineVoice: 'en/en-sc', variant: 'f4' } } });
 * ```
 */
export const MESPEAK_ENGINE_VOICES = [
  'en/en',
  'en/en-us',
  'en/en-rp',
  'en/en-sc',
  'en/en-n',
  'en/en-wm',
  'ca',
  'cs',
  'de',
  'el',
  'eo',
  'es',
  'es-la',
  'fi',
  'fr',
  'hu',
  'it',
  'kn',
  'la',
  'lv',
  'nl',
  'pl',
  'pt',
  'pt-pt',
  'ro',
  'sk',
  'sv',
  'tr',
  'zh',
  'zh-yue',
] as const;

/**
 * An eSpeak voice id shipped with mespeak 2.0.2, e.g. `en/en-us`.
 *
 * @example
 * ```ts
 * const engineVoice: MespeakEngineVoice = 'en/en-rp';
 * ```
 */
export type MespeakEngineVoice = (typeof MESPEAK_ENGINE_VOICES)[number];

/**
 * The voice variants built into mespeak 2.0.2 (eSpeak's `+variant` files): `m1`–`m7` are male,
 * `f1`–`f5` female, `klatt`–`klatt3` use the Klatt formant synthesizer, plus `croak`, `whisper`
 * and `whisperf`.
 *
 * `f2`, `f3` and `whisperf` add breath noise from the engine's random generator, whose state
 * carries over from call to call: with them the same sentence is not byte-identical between calls.
 * Every other variant is deterministic, and the built-in voices use only those.
 *
 * @example
 * ```ts
 * import { MESPEAK_VARIANTS } from '@argentum/mespeak';
 *
 * console.log(MESPEAK_VARIANTS.filter((name) => name.startsWith('f'))); // ['f1', …, 'f5']
 * ```
 */
export const MESPEAK_VARIANTS = [
  'croak',
  'f1',
  'f2',
  'f3',
  'f4',
  'f5',
  'klatt',
  'klatt2',
  'klatt3',
  'm1',
  'm2',
  'm3',
  'm4',
  'm5',
  'm6',
  'm7',
  'whisper',
  'whisperf',
] as const;

/**
 * A voice variant built into mespeak 2.0.2, e.g. `m3` or `f4`.
 *
 * @example
 * ```ts
 * const variant: MespeakVariant = 'klatt2';
 * ```
 */
export type MespeakVariant = (typeof MESPEAK_VARIANTS)[number];
