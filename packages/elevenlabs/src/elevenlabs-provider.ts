import { WebSocket as NodeWebSocket } from 'ws';
import { type ElevenLabsHttpSpeechOptions, ElevenLabsHttpTtsModel } from './tts/elevenlabs-http-tts-model';
import {
  type ElevenLabsMultiContextSpeechOptions,
  ElevenLabsMultiContextTtsModel,
} from './tts/elevenlabs-multi-context-tts-model';
import { ElevenLabsTtsModel } from './tts/elevenlabs-tts-model';
import {
  DEFAULT_ELEVENLABS_MODEL,
  type ElevenLabsWebSocketSpeechOptions,
} from './tts/elevenlabs-tts-options';
import type { ElevenLabsModelConfig } from './tts/resolve-speech-options';
import type { WebSocketConstructor } from './tts/websocket-connector';

/**
 * Settings of {@link createElevenLabs}. Every field is optional.
 *
 * @example
 * ```ts
 * const elevenlabs = createElevenLabs({
 *   apiKey: process.env.MY_ELEVENLABS_KEY,
 *   baseURL: 'https://api.eu.residency.elevenlabs.io',
 *   headers: { 'x-request-source': 'my-app' },
 * });
 * ```
 */
export interface ElevenLabsProviderSettings {
  /** The API key; when unset, `ELEVENLABS_API_KEY` is read at each call (never at import). */
  apiKey?: string;
  /**
   * HTTP base URL, without `/v1`; defaults to `https://api.elevenlabs.io`. A test server's
   * `httpBaseUrl` goes here.
   */
  baseURL?: string;
  /**
   * WebSocket base URL, without `/v1`; defaults to `baseURL` with `http` → `ws` (so
   * `wss://api.elevenlabs.io`). A test server's `wsBaseUrl` goes here.
   */
  webSocketBaseURL?: string;
  /** Extra headers sent with every request and WebSocket upgrade. */
  headers?: Record<string, string>;
  /** A `fetch` implementation for the HTTP model (defaults to the global one). */
  fetch?: typeof fetch;
  /** A WebSocket class (defaults to the `ws` package's); see {@link WebSocketConstructor}. */
  WebSocket?: WebSocketConstructor;
}

/**
 * An ElevenLabs provider: factories for its TTS models, sharing credentials and transports.
 * Calling the provider itself is the same as {@link ElevenLabsProvider.tts}.
 *
 * @example
 * ```ts
 * const elevenlabs = createElevenLabs();
 * const streaming = elevenlabs('eleven_flash_v2_5'); // stream-input WebSocket
 * const bargeIn = elevenlabs.multiContextTts('eleven_flash_v2_5'); // multi-context WebSocket
 * const fallback = elevenlabs.httpTts('eleven_flash_v2_5'); // HTTP with timestamps
 * ```
 */
export interface ElevenLabsProvider {
  /**
   * Same as {@link ElevenLabsProvider.tts}.
   * @param modelId - defaults to `eleven_flash_v2_5`.
   * @param options - voice, format, timeouts.
   */
  (modelId?: string, options?: ElevenLabsWebSocketSpeechOptions): ElevenLabsTtsModel;
  /**
   * A TTS model over the stream-input WebSocket: one socket per utterance.
   * @param modelId - defaults to `eleven_flash_v2_5`.
   * @param options - voice, format, timeouts.
   * @returns the model.
   * @throws `InvalidArgumentError` for invalid options.
   */
  tts(modelId?: string, options?: ElevenLabsWebSocketSpeechOptions): ElevenLabsTtsModel;
  /**
   * A TTS model over the multi-context WebSocket: one socket, a context per utterance.
   * @param modelId - defaults to `eleven_flash_v2_5`.
   * @param options - voice, format, timeouts, context limits.
   * @returns the model.
   * @throws `InvalidArgumentError` for invalid options.
   */
  multiContextTts(
    modelId?: string,
    options?: ElevenLabsMultiContextSpeechOptions,
  ): ElevenLabsMultiContextTtsModel;
  /**
   * A TTS model over HTTP streaming with timestamps, through the official SDK.
   * @param modelId - defaults to `eleven_flash_v2_5`.
   * @param options - voice, format, retries.
   * @returns the model.
   * @throws `InvalidArgumentError` for invalid options.
   */
  httpTts(modelId?: string, options?: ElevenLabsHttpSpeechOptions): ElevenLabsHttpTtsModel;
}

/**
 * Creates an ElevenLabs provider. Nothing happens at creation: the API key is read when a model
 * makes a call, and sockets open when a synthesis is subscribed.
 *
 * @param settings - API key, base URLs, headers, `fetch` and `WebSocket` implementations.
 * @returns the provider.
 * @example
 * ```ts
 * import { createElevenLabs } from '@argentum/elevenlabs';
 * import { createElevenLabsTestServer } from '@argentum/elevenlabs/testing';
 *
 * const server = await createElevenLabsTestServer();
 * const elevenlabs = createElevenLabs({
 *   apiKey: 'test',
 *   baseURL: server.httpBaseUrl,
 *   webSocketBaseURL: server.wsBaseUrl,
 * });
 * elevenlabs.tts().synthesize({ text: 'Hello.' }).subscribe(console.log);
 * ```
 */
export function createElevenLabs(settings: ElevenLabsProviderSettings = {}): ElevenLabsProvider {
  const baseUrl = (settings.baseURL ?? 'https://api.elevenlabs.io').replace(/\/+$/, '');
  const webSocketBaseUrl = (settings.webSocketBaseURL ?? baseUrl.replace(/^http/, 'ws')).replace(/\/+$/, '');
  const config: ElevenLabsModelConfig = {
    apiKey: () => settings.apiKey ?? readEnvironmentKey(),
    baseUrl,
    webSocketBaseUrl,
    headers: { ...settings.headers },
    fetch: settings.fetch,
    WebSocket: settings.WebSocket ?? (NodeWebSocket as unknown as WebSocketConstructor),
  };
  const tts = (modelId = DEFAULT_ELEVENLABS_MODEL, options: ElevenLabsWebSocketSpeechOptions = {}) =>
    new ElevenLabsTtsModel(modelId, options, config);
  const provider = (modelId?: string, options?: ElevenLabsWebSocketSpeechOptions) => tts(modelId, options);
  provider.tts = tts;
  provider.multiContextTts = (
    modelId = DEFAULT_ELEVENLABS_MODEL,
    options: ElevenLabsMultiContextSpeechOptions = {},
  ) => new ElevenLabsMultiContextTtsModel(modelId, options, config);
  provider.httpTts = (modelId = DEFAULT_ELEVENLABS_MODEL, options: ElevenLabsHttpSpeechOptions = {}) =>
    new ElevenLabsHttpTtsModel(modelId, options, config);
  return provider;
}

function readEnvironmentKey(): string | undefined {
  return typeof process === 'undefined' ? undefined : process.env.ELEVENLABS_API_KEY;
}

let defaultProvider: ElevenLabsProvider | undefined;
const getDefault = (): ElevenLabsProvider => {
  defaultProvider ??= createElevenLabs();
  return defaultProvider;
};

/**
 * The default provider: `createElevenLabs()` with the key from `ELEVENLABS_API_KEY`, created on
 * first use (importing this module does nothing).
 *
 * @example
 * ```ts
 * import { elevenlabs } from '@argentum/elevenlabs';
 * elevenlabs.tts().synthesize({ text: 'Hi!' }).subscribe(console.log);
 * ```
 */
export const elevenlabs: ElevenLabsProvider = /* @__PURE__ */ Object.assign(
  (modelId?: string, options?: ElevenLabsWebSocketSpeechOptions) => getDefault().tts(modelId, options),
  {
    tts: (modelId?: string, options?: ElevenLabsWebSocketSpeechOptions) => getDefault().tts(modelId, options),
    multiContextTts: (modelId?: string, options?: ElevenLabsMultiContextSpeechOptions) =>
      getDefault().multiContextTts(modelId, options),
    httpTts: (modelId?: string, options?: ElevenLabsHttpSpeechOptions) =>
      getDefault().httpTts(modelId, options),
  },
);
