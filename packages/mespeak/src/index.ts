/**
 * `@argentum/mespeak`: offline text-to-speech for Argentum with the mespeak (eSpeak) engine —
 * real speech with several distinct voices, no network, no API key.
 *
 * **License:** this package is GPL-3.0-or-later, because the mespeak engine it runs is GPL.
 * `@argentum/core` stays MIT; depending on this package puts your distribution under the GPL.
 *
 * @packageDocumentation
 */
export { MespeakError } from './mespeak-error';
export {
  createMespeak,
  type MespeakProvider,
  type MespeakProviderSettings,
  mespeak,
} from './mespeak-provider';
export {
  MESPEAK_ENGINE_VOICES,
  MESPEAK_VARIANTS,
  type MespeakEngineVoice,
  type MespeakVariant,
} from './tts/mespeak-engine-voices';
export type { MespeakSpeechOptions } from './tts/mespeak-speech-options';
export { MespeakTtsModel } from './tts/mespeak-tts-model';
export {
  DEFAULT_MESPEAK_VOICE,
  MESPEAK_VOICES,
  type MespeakVoiceName,
  type MespeakVoiceSettings,
} from './tts/mespeak-voices';
