import { InvalidArgumentError } from '@argentum/core';
import { getMespeakEngine } from './internal/mespeak-engine';
import { checkNumber, resolveEngineParameters, validateVoiceSettings } from './tts/engine-parameters';
import type { MespeakSpeechOptions } from './tts/mespeak-speech-options';
import { MespeakTtsModel } from './tts/mespeak-tts-model';
import { DEFAULT_MESPEAK_VOICE, MESPEAK_VOICES, type MespeakVoiceSettings } from './tts/mespeak-voices';

/**
 * Settings of {@link createMespeak}. All optional.
 *
 * @example
 * ```ts
 * import { createMespeak } from '@argentum/mespeak';
 *
 * const provider = createMespeak({
 *   voices: { gus: { engineVoice: 'en/en-wm', variant: 'm4', pitch: 30 } },
 *   defaultVoice: 'gus',
 *   maxSentencePauseMs: 150,
 * });
 * ```
 */
export interface MespeakProviderSettings {
  /** Extra voices, by name; a name that matches a built-in voice replaces it. */
  voices?: Record<string, MespeakVoiceSettings>;
  /** The voice models use when nothing else names one; defaults to {@link DEFAULT_MESPEAK_VOICE}. */
  defaultVoice?: string;
  /**
   * The longest piece of text synthesized at once, in characters (20–2000, default 200). Longer
   * sentences are cut at a clause mark or a space; shorter pieces mean earlier first audio and
   * finer cancellation.
   */
  maxSentenceChars?: number;
  /**
   * The longest silence kept after each sentence, in ms (0–2000, default 250). eSpeak ends every
   * sentence with about 300 ms of silence; trimming it tightens turn-taking.
   */
  maxSentencePauseMs?: number;
}

/**
 * Creates speech models that share one provider's voices and settings.
 *
 * @example
 * ```ts
 * import { createMespeak } from '@argentum/mespeak';
 *
 * const provider = createMespeak();
 * const [ada, bruno] = [provider.speech('ada'), provider.tts({ voice: 'bruno', prosody: { rate: 0.9 } })];
 * ```
 */
export interface MespeakProvider {
  /**
   * Creates a speech model.
   *
   * @param voiceOrOptions - a voice name, or options with the voice and default prosody.
   * @returns a {@link MespeakTtsModel}.
   * @throws `InvalidArgumentError` for an unknown voice or bad prosody.
   * @example
   * ```ts
   * const tts = createMespeak().speech('dara');
   * ```
   */
  speech(voiceOrOptions?: string | MespeakSpeechOptions): MespeakTtsModel;
  /**
   * Same as {@link MespeakProvider.speech}.
   *
   * @param voiceOrOptions - a voice name, or options with the voice and default prosody.
   * @returns a {@link MespeakTtsModel}.
   * @example
   * ```ts
   * const tts = createMespeak().tts('chen');
   * ```
   */
  tts(voiceOrOptions?: string | MespeakSpeechOptions): MespeakTtsModel;
  /** Every voice this provider knows, built-in and registered, by name. */
  readonly voices: Readonly<Record<string, MespeakVoiceSettings>>;
  /** The voice models use when nothing else names one. */
  readonly defaultVoice: string;
}

const DEFAULT_MAX_SENTENCE_CHARS = 200;
const DEFAULT_MAX_SENTENCE_PAUSE_MS = 250;

/**
 * Creates a mespeak provider: offline speech synthesis with several built-in voices
 * ({@link MESPEAK_VOICES}) plus any you register. Creating it does no work; the engine loads on the
 * first synthesis and is shared by every provider in the process.
 *
 * @param settings - extra voices, the default voice, sentence length and pause limits.
 * @returns the provider.
 * @throws `InvalidArgumentError` naming the bad setting.
 * @example
 * ```ts
 * import { createMespeak } from '@argentum/mespeak';
 *
 * const tts = createMespeak().speech('ada');
 * tts.synthesize({ text: 'Hello from an offline voice.' }).subscribe((event) => console.log(event.type));
 * ```
 */
export function createMespeak(settings: MespeakProviderSettings = {}): MespeakProvider {
  if (typeof settings !== 'object' || settings === null) {
    throw new InvalidArgumentError('settings', 'expected an object (or nothing).');
  }
  const voices: Record<string, MespeakVoiceSettings> = { ...MESPEAK_VOICES };
  for (const [name, voice] of Object.entries(settings.voices ?? {})) {
    if (name.trim().length === 0) throw new InvalidArgumentError('voices', 'voice names must not be empty.');
    validateVoiceSettings(name, voice);
    voices[name] = { ...voice };
  }
  Object.freeze(voices);
  const defaultVoice = settings.defaultVoice ?? DEFAULT_MESPEAK_VOICE;
  checkVoiceName('defaultVoice', defaultVoice, voices);
  const maxSentenceChars = checkNumber(
    'maxSentenceChars',
    settings.maxSentenceChars ?? DEFAULT_MAX_SENTENCE_CHARS,
    {
      min: 20,
      max: 2000,
      integer: true,
    },
  );
  const maxSentencePauseMs = checkNumber(
    'maxSentencePauseMs',
    settings.maxSentencePauseMs ?? DEFAULT_MAX_SENTENCE_PAUSE_MS,
    { min: 0, max: 2000 },
  );

  const speech = (voiceOrOptions: string | MespeakSpeechOptions = {}): MespeakTtsModel => {
    const options = typeof voiceOrOptions === 'string' ? { voice: voiceOrOptions } : voiceOrOptions;
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('voiceOrOptions', 'expected a voice name or { voice, prosody }.');
    }
    const voice = options.voice ?? defaultVoice;
    checkVoiceName('voice', voice, voices);
    // Surface bad default prosody now rather than at the first request.
    if (options.prosody !== undefined) resolveEngineParameters(voices[voice]!, options.prosody);
    return new MespeakTtsModel({
      voices,
      voice,
      prosody: options.prosody,
      maxSentenceChars,
      maxSentencePauseMs,
      engine: getMespeakEngine(),
    });
  };
  return { speech, tts: speech, voices, defaultVoice };
}

/**
 * A provider with the built-in voices and default settings.
 *
 * @example
 * ```ts
 * import { mespeak } from '@argentum/mespeak';
 *
 * mespeak.speech('chen').synthesize({ text: 'Ready when you are.' }).subscribe(console.log);
 * ```
 */
export const mespeak: MespeakProvider = /* @__PURE__ */ createMespeak();

function checkVoiceName(argument: string, name: unknown, voices: Record<string, MespeakVoiceSettings>): void {
  if (typeof name !== 'string' || !Object.hasOwn(voices, name)) {
    throw new InvalidArgumentError(
      argument,
      `unknown voice ${JSON.stringify(name)}: use one of ${Object.keys(voices).join(', ')}, or register it in settings.voices.`,
    );
  }
}
