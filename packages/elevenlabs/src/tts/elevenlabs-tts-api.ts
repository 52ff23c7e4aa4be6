import { type ProsodyHints, ProtocolError } from '@argentum/core';
import { type ElevenLabsErrorBody, PROVIDER, readErrorBody } from '../elevenlabs-error';
import type {
  ElevenLabsSpeechOptions,
  ElevenLabsVoiceSettings,
  ElevenLabsWebSocketSpeechOptions,
} from './elevenlabs-tts-options';

/**
 * Character alignment of one audio chunk in the WebSocket's shape: times in ms relative to the
 * chunk's first sample, each character with a start and a duration.
 * @internal
 */
export interface ChunkAlignment {
  chars: string[];
  startsMs: number[];
  durationsMs: number[];
}

/** A server message of the TTS WebSockets, with both spellings folded into one. @internal */
export interface ServerMessage {
  /** Base64 audio, when the message carries audio. */
  audio?: string;
  /** `isFinal` / `is_final`. */
  isFinal: boolean;
  /** Alignment (original or normalized, per the preference). */
  alignment?: ChunkAlignment;
  /** `contextId` / `context_id` (multi-context only). */
  contextId?: string;
  /** An error the server reported. */
  error?: ElevenLabsErrorBody;
}

/** Voice settings in ElevenLabs' wire spelling. @internal */
export type WireVoiceSettings = Record<string, number | boolean>;

/**
 * Merges the model's voice settings with a request's prosody hints (rate → speed clamped to
 * 0.7..1.2, stability clamped to 0..1) and spells them for the wire.
 * @internal
 */
export function wireVoiceSettings(
  settings: ElevenLabsVoiceSettings | undefined,
  prosody: ProsodyHints | undefined,
): WireVoiceSettings | undefined {
  const merged: ElevenLabsVoiceSettings = { ...settings };
  if (prosody?.rate !== undefined && Number.isFinite(prosody.rate)) {
    merged.speed = Math.min(1.2, Math.max(0.7, prosody.rate));
  }
  if (prosody?.stability !== undefined && Number.isFinite(prosody.stability)) {
    merged.stability = Math.min(1, Math.max(0, prosody.stability));
  }
  const wire: WireVoiceSettings = {};
  if (merged.stability !== undefined) wire.stability = merged.stability;
  if (merged.similarityBoost !== undefined) wire.similarity_boost = merged.similarityBoost;
  if (merged.style !== undefined) wire.style = merged.style;
  if (merged.useSpeakerBoost !== undefined) wire.use_speaker_boost = merged.useSpeakerBoost;
  if (merged.speed !== undefined) wire.speed = merged.speed;
  return Object.keys(wire).length > 0 ? wire : undefined;
}

/**
 * The first (settings) message of a stream or context: text `" "`, voice settings and generation
 * config.
 * @internal
 */
export function initMessage(
  options: ElevenLabsWebSocketSpeechOptions,
  voiceSettings: WireVoiceSettings | undefined,
): Record<string, unknown> {
  const message: Record<string, unknown> = { text: ' ' };
  if (voiceSettings) message.voice_settings = voiceSettings;
  if (options.chunkLengthSchedule) {
    message.generation_config = { chunk_length_schedule: [...options.chunkLengthSchedule] };
  }
  return message;
}

/**
 * Builds a stream-input or multi-stream-input URL with its query.
 * @internal
 */
export function webSocketUrl(
  baseUrl: string,
  path: 'stream-input' | 'multi-stream-input',
  voice: string,
  modelId: string,
  options: ElevenLabsWebSocketSpeechOptions & { outputFormat: string },
  languageCode: string | undefined,
): string {
  const url = new URL(
    `${baseUrl.replace(/\/+$/, '')}/v1/text-to-speech/${encodeURIComponent(voice)}/${path}`,
  );
  const query = url.searchParams;
  query.set('model_id', modelId);
  query.set('output_format', options.outputFormat);
  if (languageCode) query.set('language_code', languageCode);
  if (options.inactivityTimeoutSeconds !== undefined) {
    query.set('inactivity_timeout', String(options.inactivityTimeoutSeconds));
  }
  query.set('sync_alignment', String(options.syncAlignment ?? true));
  if (options.autoMode !== undefined) query.set('auto_mode', String(options.autoMode));
  if (options.applyTextNormalization) query.set('apply_text_normalization', options.applyTextNormalization);
  if (options.enableSsmlParsing !== undefined)
    query.set('enable_ssml_parsing', String(options.enableSsmlParsing));
  if (options.enableLogging !== undefined) query.set('enable_logging', String(options.enableLogging));
  if (options.seed !== undefined) query.set('seed', String(options.seed));
  return url.toString();
}

function numberArray(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'number') ? value : undefined;
}

/**
 * Reads a WebSocket alignment object, accepting `charDurationsMs` and `charsDurationsMs` (and the
 * snake_case spellings). Returns `undefined` for null or malformed alignment.
 * @internal
 */
export function readAlignment(value: unknown): ChunkAlignment | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const chars = record.chars ?? record.characters;
  const startsMs = numberArray(record.charStartTimesMs ?? record.char_start_times_ms);
  const durationsMs = numberArray(
    record.charDurationsMs ??
      record.charsDurationsMs ??
      record.char_durations_ms ??
      record.chars_durations_ms,
  );
  if (!Array.isArray(chars) || !chars.every((char) => typeof char === 'string')) return undefined;
  if (!startsMs || !durationsMs) return undefined;
  if (startsMs.length !== chars.length || durationsMs.length !== chars.length) return undefined;
  return { chars, startsMs, durationsMs };
}

/**
 * Parses one text frame from the TTS WebSockets. Malformed JSON or a non-object is a
 * `ProtocolError`.
 * @internal
 */
export function parseServerMessage(
  data: unknown,
  preference: ElevenLabsSpeechOptions['alignment'],
): ServerMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof data === 'string' ? data : String(data));
  } catch (cause) {
    throw new ProtocolError({
      provider: PROVIDER,
      message: `malformed JSON from the TTS WebSocket (${String(data).slice(0, 40)}…).`,
      cause,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProtocolError({
      provider: PROVIDER,
      message: 'a TTS WebSocket message was not a JSON object.',
    });
  }
  const record = parsed as Record<string, unknown>;
  const audio = typeof record.audio === 'string' && record.audio.length > 0 ? record.audio : undefined;
  const original = readAlignment(record.alignment);
  const normalized = readAlignment(record.normalizedAlignment ?? record.normalized_alignment);
  const contextValue = record.contextId ?? record.context_id;
  const message: ServerMessage = {
    isFinal: (record.isFinal ?? record.is_final) === true,
    alignment: preference === 'normalized' ? (normalized ?? original) : (original ?? normalized),
  };
  if (audio !== undefined) message.audio = audio;
  if (typeof contextValue === 'string') message.contextId = contextValue;
  if (audio === undefined && !message.isFinal) {
    const error = readErrorBody(record);
    if (error) message.error = error;
  }
  return message;
}
