/**
 * `@argentum/elevenlabs`: ElevenLabs text-to-speech for Argentum — the stream-input and
 * multi-context WebSockets with aligned word and sentence marks, and HTTP with timestamps through
 * the official SDK. `@argentum/elevenlabs/testing` ships a local server that speaks the same
 * protocols.
 *
 * @packageDocumentation
 */
export {
  createElevenLabs,
  type ElevenLabsProvider,
  type ElevenLabsProviderSettings,
  elevenlabs,
} from './elevenlabs-provider';
export { type ElevenLabsHttpSpeechOptions, ElevenLabsHttpTtsModel } from './tts/elevenlabs-http-tts-model';
export {
  type ElevenLabsMultiContextSpeechOptions,
  ElevenLabsMultiContextTtsModel,
} from './tts/elevenlabs-multi-context-tts-model';
export { ElevenLabsTtsModel } from './tts/elevenlabs-tts-model';
export {
  DEFAULT_ELEVENLABS_MODEL,
  DEFAULT_ELEVENLABS_VOICE,
  ELEVENLABS_OUTPUT_FORMATS,
  type ElevenLabsOutputFormat,
  type ElevenLabsSpeechOptions,
  type ElevenLabsVoiceSettings,
  type ElevenLabsWebSocketSpeechOptions,
} from './tts/elevenlabs-tts-options';
export type { WebSocketConstructor, WebSocketLike } from './tts/websocket-connector';
