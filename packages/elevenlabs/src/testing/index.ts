/**
 * `@argentum/elevenlabs/testing`: a local server that speaks ElevenLabs' TTS protocols (the
 * stream-input and multi-context WebSockets, HTTP with timestamps) with scripted faults, for testing
 * apps with no network and no API key.
 *
 * @packageDocumentation
 */
export { createElevenLabsTestServer } from './elevenlabs-test-server';
export type {
  ElevenLabsTestServer,
  ElevenLabsTestServerConnection,
  ElevenLabsTestServerFaults,
  ElevenLabsTestServerMessage,
  ElevenLabsTestServerOptions,
  ElevenLabsTestServerRequest,
} from './test-server-types';
