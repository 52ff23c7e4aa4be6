/**
 * `@argentum/openai/testing`: a local server that speaks OpenAI's HTTP protocol, with scripted
 * content and fault injection, for testing apps with no network.
 *
 * @packageDocumentation
 */
export { type GenerateTestAudioOptions, generateTestAudio } from './generate-test-audio';
export {
  createOpenAITestServer,
  type OpenAITestServer,
  type OpenAITestServerOptions,
} from './openai-test-server';
export type {
  ChatCompletionScript,
  ChatScript,
  EndpointScript,
  HttpErrorScript,
  OpenAITestServerScript,
  RecordedRequest,
  ScriptedErrorBody,
  ScriptedToolCall,
  SpeechResponseScript,
  SpeechScript,
  StreamFaults,
  TranscriptionResponseScript,
  TranscriptionScript,
} from './test-server-script';
