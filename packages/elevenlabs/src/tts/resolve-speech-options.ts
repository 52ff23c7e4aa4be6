import {
  AuthenticationError,
  assertSampleRate,
  InvalidArgumentError,
  type SampleRate,
  samplesPerDuration,
  type TtsRequest,
} from '@argentum/core';
import { PROVIDER } from '../elevenlabs-error';
import {
  DEFAULT_ELEVENLABS_VOICE,
  type ElevenLabsSpeechOptions,
  type ElevenLabsWebSocketSpeechOptions,
  type ParsedOutputFormat,
  parseOutputFormat,
} from './elevenlabs-tts-options';
import type { WebSocketConstructor } from './websocket-connector';

/**
 * What a model gets from its provider: lazily resolved credentials, base URLs and transports.
 * @internal
 */
export interface ElevenLabsModelConfig {
  /** Reads the API key at call time (settings, then `ELEVENLABS_API_KEY`). */
  apiKey: () => string | undefined;
  /** HTTP base URL without `/v1`. */
  baseUrl: string;
  /** WebSocket base URL without `/v1`. */
  webSocketBaseUrl: string;
  /** Extra headers from the provider settings. */
  headers: Record<string, string>;
  /** Fetch implementation for HTTP models. */
  fetch: typeof fetch | undefined;
  /** WebSocket class for WebSocket models. */
  WebSocket: WebSocketConstructor;
}

function checkRange(
  argument: string,
  value: number | undefined,
  min: number,
  max: number,
  integer = false,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidArgumentError(argument, `expected a number in ${min}..${max}, got ${String(value)}.`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new InvalidArgumentError(argument, `expected an integer, got ${value}.`);
  }
}

/**
 * Validates the options shared by every TTS model and returns the parsed output format.
 * @internal
 */
export function validateSpeechOptions(options: ElevenLabsSpeechOptions): ParsedOutputFormat {
  const format = parseOutputFormat(options.outputFormat ?? 'pcm_24000');
  const settings = options.voiceSettings ?? {};
  checkRange('voiceSettings.stability', settings.stability, 0, 1);
  checkRange('voiceSettings.similarityBoost', settings.similarityBoost, 0, 1);
  checkRange('voiceSettings.style', settings.style, 0, 1);
  checkRange('voiceSettings.speed', settings.speed, 0.7, 1.2);
  checkRange('seed', options.seed, 0, 4294967295, true);
  if (
    options.alignment !== undefined &&
    options.alignment !== 'original' &&
    options.alignment !== 'normalized'
  ) {
    throw new InvalidArgumentError(
      'alignment',
      `expected "original" or "normalized", got ${String(options.alignment)}.`,
    );
  }
  samplesPerDuration(format.sampleRate, options.frameDurationMs ?? 20);
  return format;
}

/** WebSocket options with every default filled in. @internal */
export interface ResolvedWebSocketOptions {
  inactivityTimeoutSeconds: number;
  keepAliveIntervalMs: number;
  connectTimeoutMs: number;
  maxReconnectAttempts: number;
  reconnectDelayMs: number;
}

/**
 * Validates the WebSocket options and fills in their defaults.
 * @internal
 */
export function resolveWebSocketOptions(options: ElevenLabsWebSocketSpeechOptions): ResolvedWebSocketOptions {
  checkRange('inactivityTimeoutSeconds', options.inactivityTimeoutSeconds, 1, 180, true);
  const inactivityTimeoutSeconds = options.inactivityTimeoutSeconds ?? 20;
  const keepAliveIntervalMs = options.keepAliveIntervalMs ?? inactivityTimeoutSeconds * 750;
  if (
    !Number.isFinite(keepAliveIntervalMs) ||
    keepAliveIntervalMs <= 0 ||
    keepAliveIntervalMs >= inactivityTimeoutSeconds * 1000
  ) {
    throw new InvalidArgumentError(
      'keepAliveIntervalMs',
      `expected more than 0 and less than the inactivity timeout (${inactivityTimeoutSeconds * 1000} ms), got ${keepAliveIntervalMs}.`,
    );
  }
  for (const length of options.chunkLengthSchedule ?? []) checkRange('chunkLengthSchedule', length, 50, 500);
  checkRange('connectTimeoutMs', options.connectTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  checkRange('maxReconnectAttempts', options.maxReconnectAttempts, 0, 100, true);
  checkRange('reconnectDelayMs', options.reconnectDelayMs, 0, 600_000);
  return {
    inactivityTimeoutSeconds,
    keepAliveIntervalMs,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    maxReconnectAttempts: options.maxReconnectAttempts ?? 2,
    reconnectDelayMs: options.reconnectDelayMs ?? 250,
  };
}

/**
 * The output rate of a request: its `sampleRate`, else the wire rate.
 * @internal
 */
export function requestSampleRate(request: TtsRequest, format: ParsedOutputFormat): SampleRate {
  return request.sampleRate === undefined ? format.sampleRate : assertSampleRate(request.sampleRate);
}

/**
 * The voice of a request: its `voice`, else the model's, else the default voice.
 * @internal
 */
export function requestVoice(request: TtsRequest, options: ElevenLabsSpeechOptions): string {
  const voice = request.voice ?? options.voice ?? DEFAULT_ELEVENLABS_VOICE;
  if (typeof voice !== 'string' || voice.length === 0) {
    throw new InvalidArgumentError('voice', 'expected a non-empty ElevenLabs voice id.');
  }
  return voice;
}

/**
 * Reads the API key at call time, or returns the error to emit when there is none.
 * @internal
 */
export function loadApiKey(config: ElevenLabsModelConfig): string | AuthenticationError {
  const apiKey = config.apiKey();
  if (apiKey) return apiKey;
  return new AuthenticationError({
    provider: PROVIDER,
    message:
      'no API key: pass apiKey to createElevenLabs() or set the ELEVENLABS_API_KEY environment variable.',
  });
}
