import type { MespeakEngineVoice, MespeakVariant } from './mespeak-engine-voices';

/**
 * How one voice sounds: an eSpeak voice (language and accent) shaped by a variant, pitch, speed and
 * loudness. Register your own through `createMespeak({ voices })`.
 *
 * @example
 * ```ts
 * import { createMespeak, type MespeakVoiceSettings } from '@argentum/mespeak';
 *
 * const narrator: MespeakVoiceSettings = { engineVoice: 'en/en-rp', variant: 'm6', pitch: 40, speed: 160 };
 * const tts = createMespeak({ voices: { narrator } }).speech('narrator');
 * ```
 */
export interface MespeakVoiceSettings {
  /** The eSpeak voice: language and accent, e.g. `en/en-us` or `en/en-sc`. */
  readonly engineVoice: MespeakEngineVoice;
  /** A built-in variant that changes the speaker (`m1`–`m7`, `f1`–`f5`, `klatt`…); none by default. */
  readonly variant?: MespeakVariant;
  /** eSpeak pitch, 0–99 (default 50): about −6 semitones at 0 and +8.7 at 99. */
  readonly pitch?: number;
  /** Speaking speed in words per minute, 80–450 (default 175). */
  readonly speed?: number;
  /** Loudness, 0–200 (default 100). */
  readonly amplitude?: number;
  /** Extra silence between words in ms, rounded to 10 ms (default 0). */
  readonly wordGapMs?: number;
  /** A short description for people choosing a voice. */
  readonly description?: string;
}

/**
 * The built-in voices, chosen to be easy to tell apart in a conversation: two low voices (`bruno`,
 * `chen`), two high ones (`ada`, `dara`) and two in between (`emil`, `fay`), each with its own
 * accent, variant, pitch and pace; neighbouring voices' median pitches are about 3 semitones
 * apart, and levels are matched to about −21 dBFS RMS. All use deterministic
 * variants, so the same text gives byte-identical audio every time.
 *
 * | name | engine voice | variant | pitch | speed (wpm) | median F0 (measured) |
 * |---|---|---|---|---|---|
 * | `ada` | `en/en-us` | `f4` | 56 | 172 | ≈ 188 Hz |
 * | `bruno` | `en/en-rp` | `m1` | 28 | 160 | ≈ 75 Hz |
 * | `chen` | `en/en-us` | `m3` | 40 | 180 | ≈ 95 Hz |
 * | `dara` | `en/en-sc` | `f5` | 62 | 168 | ≈ 230 Hz |
 * | `emil` | `en/en-n` | `klatt2` | 75 | 185 | ≈ 128 Hz |
 * | `fay` | `en/en` | `f1` | 40 | 178 | ≈ 159 Hz |
 *
 * @example
 * ```ts
 * import { MESPEAK_VOICES } from '@argentum/mespeak';
 *
 * for (const [name, voice] of Object.entries(MESPEAK_VOICES)) console.log(name, voice.description);
 * ```
 */
export const MESPEAK_VOICES: Readonly<Record<MespeakVoiceName, MespeakVoiceSettings>> = {
  ada: {
    engineVoice: 'en/en-us',
    variant: 'f4',
    pitch: 56,
    speed: 172,
    amplitude: 80,
    description: 'Higher voice, American English, warm and steady.',
  },
  bruno: {
    engineVoice: 'en/en-rp',
    variant: 'm1',
    pitch: 28,
    speed: 160,
    amplitude: 110,
    description: 'Low voice, British English (RP), slow and deliberate.',
  },
  chen: {
    engineVoice: 'en/en-us',
    variant: 'm3',
    pitch: 40,
    speed: 180,
    amplitude: 100,
    description: 'Low voice, American English, brisk.',
  },
  dara: {
    engineVoice: 'en/en-sc',
    variant: 'f5',
    pitch: 62,
    speed: 168,
    amplitude: 100,
    description: 'High voice, Scottish English, bright.',
  },
  emil: {
    engineVoice: 'en/en-n',
    variant: 'klatt2',
    pitch: 75,
    speed: 185,
    amplitude: 100,
    description: 'Middle voice, Northern English, Klatt synthesizer timbre, quick.',
  },
  fay: {
    engineVoice: 'en/en',
    variant: 'f1',
    pitch: 40,
    speed: 178,
    amplitude: 90,
    description: 'Middle-high voice, British English, slightly rough.',
  },
};

/**
 * The name of a built-in voice: `ada`, `bruno`, `chen`, `dara`, `emil` or `fay`.
 *
 * @example
 * ```ts
 * const voice: MespeakVoiceName = 'dara';
 * ```
 */
export type MespeakVoiceName = 'ada' | 'bruno' | 'chen' | 'dara' | 'emil' | 'fay';

/**
 * The voice a model uses when neither the model nor the request names one.
 *
 * @example
 * ```ts
 * import { DEFAULT_MESPEAK_VOICE, createMespeak } from '@argentum/mespeak';
 *
 * console.log(createMespeak().speech().voice === DEFAULT_MESPEAK_VOICE); // true
 * ```
 */
export const DEFAULT_MESPEAK_VOICE: MespeakVoiceName = 'ada';
