import { InvalidArgumentError, type SampleRate } from '@argentum/core';

/**
 * The ElevenLabs output formats this package decodes into frames: raw PCM16 at any supported rate,
 * and 8 kHz G.711 (μ-law, A-law) for telephony. Compressed formats (`mp3_*`, `opus_*`) are not
 * decoded and are rejected.
 */
export type ElevenLabsOutputFormat =
  | 'pcm_8000'
  | 'pcm_16000'
  | 'pcm_22050'
  | 'pcm_24000'
  | 'pcm_44100'
  | 'pcm_48000'
  | 'ulaw_8000'
  | 'alaw_8000';

/** Every {@link ElevenLabsOutputFormat}, in order. */
export const ELEVENLABS_OUTPUT_FORMATS: readonly ElevenLabsOutputFormat[] = [
  'pcm_8000',
  'pcm_16000',
  'pcm_22050',
  'pcm_24000',
  'pcm_44100',
  'pcm_48000',
  'ulaw_8000',
  'alaw_8000',
];

/** An output format split into its encoding and rate. @internal */
export interface ParsedOutputFormat {
  encoding: 'pcm' | 'ulaw' | 'alaw';
  sampleRate: SampleRate;
  /** Bytes per sample of the encoding. */
  bytesPerSample: 1 | 2;
}

/**
 * Validates an output format and splits it into encoding and rate.
 * @internal
 */
export function parseOutputFormat(format: string): ParsedOutputFormat {
  if (!(ELEVENLABS_OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidArgumentError(
      'outputFormat',
      `"${format}" is not decoded by @argentum/elevenlabs: use one of ${ELEVENLABS_OUTPUT_FORMATS.join(', ')} (compressed mp3/opus are not supported).`,
    );
  }
  const [encoding, rate] = format.split('_') as ['pcm' | 'ulaw' | 'alaw', string];
  return { encoding, sampleRate: Number(rate) as SampleRate, bytesPerSample: encoding === 'pcm' ? 2 : 1 };
}

/**
 * Voice settings sent with the first message of a stream (snake_case on the wire). Unset fields
 * keep the voice's stored settings.
 */
export interface ElevenLabsVoiceSettings {
  /** 0..1: lower is more expressive, higher more stable. */
  stability?: number;
  /** 0..1: how closely to match the original voice. */
  similarityBoost?: number;
  /** 0..1: style exaggeration (adds latency above 0). */
  style?: number;
  /** Boosts similarity to the original speaker (adds a little latency). */
  useSpeakerBoost?: boolean;
  /** Speaking rate, 0.7..1.2 (1 = normal). */
  speed?: number;
}

/**
 * Options shared by the ElevenLabs TTS models (WebSocket and HTTP). Every field is optional.
 *
 * @example
 * ```ts
 * const tts = elevenlabs.tts('eleven_flash_v2_5', {
 *   voice: 'JBFqnCBsd6RMkjVDRZzb',
 *   outputFormat: 'pcm_16000',
 *   voiceSettings: { stability: 0.4, speed: 1.1 },
 * });
 * ```
 */
export interface ElevenLabsSpeechOptions {
  /** Default voice id; a request's `voice` overrides it. Defaults to {@link DEFAULT_ELEVENLABS_VOICE}. */
  voice?: string;
  /** Wire format requested from ElevenLabs; defaults to `pcm_24000`. */
  outputFormat?: ElevenLabsOutputFormat;
  /** Voice settings; a request's `prosody` (`rate` → speed, `stability`) overrides fields. */
  voiceSettings?: ElevenLabsVoiceSettings;
  /** Language code (ISO 639-1) to enforce; a request's `language` overrides it. */
  languageCode?: string;
  /** Text normalization (numbers spelled out…): `auto` (default on the server), `on` or `off`. */
  applyTextNormalization?: 'auto' | 'on' | 'off';
  /** Seed for best-effort deterministic sampling, 0..4294967295. */
  seed?: number;
  /** `false` asks for zero-retention mode (enterprise accounts only). */
  enableLogging?: boolean;
  /**
   * Which alignment becomes marks: `original` (default) — the characters of the text you sent, so
   * mark texts match your LLM output; `normalized` — the text as spoken after normalization
   * ("3" → "three"). The other one is used when the preferred one is missing from a chunk.
   */
  alignment?: 'original' | 'normalized';
  /** Duration of emitted frames in ms; defaults to 20. */
  frameDurationMs?: number;
}

/**
 * Options of the WebSocket TTS models (stream-input and multi-context).
 *
 * @example
 * ```ts
 * const tts = elevenlabs.tts('eleven_flash_v2_5', {
 *   inactivityTimeoutSeconds: 60, // keepalives are sent before it runs out
 *   flushAtSentenceEnd: true, // lowest latency for LLM deltas
 *   connectTimeoutMs: 5000,
 * });
 * ```
 */
export interface ElevenLabsWebSocketSpeechOptions extends ElevenLabsSpeechOptions {
  /** `chunk_length_schedule`: characters buffered before each generation, each 50..500. */
  chunkLengthSchedule?: readonly number[];
  /** Server-side inactivity timeout in seconds, 1..180; defaults to 20. */
  inactivityTimeoutSeconds?: number;
  /**
   * Idle time after which a keepalive is sent, in ms; defaults to 75% of the inactivity timeout.
   * Must be shorter than the inactivity timeout.
   */
  keepAliveIntervalMs?: number;
  /** `auto_mode`: let the server pick chunking for lowest latency (ignores the schedule). */
  autoMode?: boolean;
  /** `sync_alignment`: deliver alignment with its audio chunk; defaults to `true`. */
  syncAlignment?: boolean;
  /** `enable_ssml_parsing`: parse SSML tags in the text. */
  enableSsmlParsing?: boolean;
  /**
   * Send `flush: true` with every completed sentence (generate it now) rather than only at the end
   * of the input. Lower latency for streamed LLM text; slightly less prosody context. Default `false`.
   */
  flushAtSentenceEnd?: boolean;
  /** Time allowed to open the socket, in ms; defaults to 10 000. */
  connectTimeoutMs?: number;
  /** Connection attempts after the first when connecting fails (retryable errors only); defaults to 2. */
  maxReconnectAttempts?: number;
  /** First reconnect delay in ms, doubled per consecutive failure up to 8× ; defaults to 250. */
  reconnectDelayMs?: number;
}

/** The voice used when neither the model options nor the request name one ("Rachel", premade). */
export const DEFAULT_ELEVENLABS_VOICE = '21m00Tcm4TlvDq8ikWAM';

/** The model used when none is named. */
export const DEFAULT_ELEVENLABS_MODEL = 'eleven_flash_v2_5';
