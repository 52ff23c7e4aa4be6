/**
 * `@argentum/server/testing`: offline models for testing voice-agent servers and apps with no
 * network — a tone-burst TTS and a scripted STT.
 *
 * @packageDocumentation
 */
export { createScriptedStt, type ScriptedSttOptions } from './scripted-stt';
export { createToneTts, type ToneTtsOptions } from './tone-tts';
