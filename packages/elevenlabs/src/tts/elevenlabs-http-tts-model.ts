import {
  type CallOptions,
  InvalidArgumentError,
  NetworkError,
  ProtocolError,
  ProviderError,
  RateLimitError,
  realtimeScheduler,
  type SampleRate,
  SPECIFICATION_VERSION,
  TimeoutError,
  type TtsCapabilities,
  type TtsEvent,
  type TtsModel,
  type TtsRequest,
} from '@argentum/core';
import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import { errorFromHttpStatus, PROVIDER } from '../elevenlabs-error';
import { type ChunkAlignment, wireVoiceSettings } from './elevenlabs-tts-api';
import type { ElevenLabsSpeechOptions, ParsedOutputFormat } from './elevenlabs-tts-options';
import {
  type ElevenLabsModelConfig,
  requestSampleRate,
  requestVoice,
  validateSpeechOptions,
} from './resolve-speech-options';
import { completeUtterance, createUtteranceAssembler, withApiKey } from './speech-synthesis';
import { textInputToObservable } from './text-input';

/**
 * Options of the HTTP model: the shared speech options plus request context and retries.
 *
 * @example
 * ```ts
 * const tts = elevenlabs.httpTts('eleven_multilingual_v2', { maxRetries: 3, firstChunkTimeoutMs: 8000 });
 * ```
 */
export interface ElevenLabsHttpSpeechOptions extends ElevenLabsSpeechOptions {
  /** Text spoken before this request, for continuity (`previous_text`). */
  previousText?: string;
  /** Text spoken after this request, for continuity (`next_text`). */
  nextText?: string;
  /**
   * Retries of retryable failures (429 — after its `retry-after` —, 5xx, network, timeouts) before
   * any audio was emitted, with exponential backoff on the call's scheduler; defaults to 2.
   */
  maxRetries?: number;
  /** First retry delay in ms when the server gave none, doubled per retry; defaults to 500. */
  retryDelayMs?: number;
  /** Time allowed from the request to its first chunk, in ms; defaults to 15 000. */
  firstChunkTimeoutMs?: number;
}

type SdkModule = typeof import('@elevenlabs/elevenlabs-js');
let sdkModule: Promise<SdkModule> | undefined;
/** Loads the official SDK on first use only: it takes a while to import. */
function loadSdk(): Promise<SdkModule> {
  sdkModule ??= import('@elevenlabs/elevenlabs-js');
  return sdkModule;
}

interface SecondsAlignment {
  characters?: string[];
  characterStartTimesSeconds?: number[];
  characterEndTimesSeconds?: number[];
}

/**
 * ElevenLabs text-to-speech over HTTP (`POST /v1/text-to-speech/{voice}/stream/with-timestamps`)
 * through the official `@elevenlabs/elevenlabs-js` SDK: a fallback for when WebSockets are not an
 * option. The text is collected whole (a stream of deltas is awaited to its end), then audio and
 * seconds-based character timestamps stream back and become frames and aligned `mark` events,
 * as with the WebSocket models.
 *
 * Timestamps are per character with a start and an end in seconds. Whether a chunk's times count
 * from the start of the response or of the chunk is detected per chunk (a chunk whose first start
 * is at or past the audio already received is taken as cumulative).
 *
 * Errors: the SDK's errors become typed errors (401/403 → `AuthenticationError`, 429 →
 * `RateLimitError` with `retryAfterMs`, 5xx → `ServerError`, malformed NDJSON → `ProtocolError`,
 * network failures → `NetworkError`). The SDK's own retries are off; this model retries on the
 * call's scheduler instead, only before the first audio. Unsubscribing aborts the request.
 *
 * @example
 * ```ts
 * const tts = createElevenLabs().httpTts('eleven_flash_v2_5');
 * tts.synthesize({ text: 'Hello from HTTP.' }).subscribe((event) => console.log(event.type));
 * ```
 */
export class ElevenLabsHttpTtsModel implements TtsModel {
  /** The provider specification version. */
  readonly specificationVersion = SPECIFICATION_VERSION;
  /** `elevenlabs`. */
  readonly provider = PROVIDER;
  /** The ElevenLabs model id. */
  readonly modelId: string;
  /** Streams audio out with aligned marks; text must be complete before the request. */
  readonly capabilities: TtsCapabilities = {
    streamingInput: false,
    streamingOutput: true,
    alignedMarks: true,
    multiContextCancel: false,
  };
  /** The wire rate of the configured output format. */
  readonly sampleRate: SampleRate;

  readonly #options: ElevenLabsHttpSpeechOptions;
  readonly #format: ParsedOutputFormat;
  readonly #config: ElevenLabsModelConfig;

  /**
   * Use {@link ElevenLabsProvider.httpTts} rather than this constructor.
   * @param modelId - the ElevenLabs model id.
   * @param options - voice, format, retries.
   * @param config - credentials and transports from the provider.
   * @internal
   */
  constructor(modelId: string, options: ElevenLabsHttpSpeechOptions, config: ElevenLabsModelConfig) {
    this.modelId = modelId;
    this.#options = options;
    this.#format = validateSpeechOptions(options);
    this.#config = config;
    this.sampleRate = this.#format.sampleRate;
    for (const [name, value] of [
      ['maxRetries', options.maxRetries],
      ['retryDelayMs', options.retryDelayMs],
      ['firstChunkTimeoutMs', options.firstChunkTimeoutMs],
    ] as const) {
      if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
        throw new InvalidArgumentError(name, `expected a number ≥ 0, got ${String(value)}.`);
      }
    }
  }

  /**
   * Synthesizes one utterance with one HTTP request (plus retries).
   * @param request - text, voice, output rate, prosody, language.
   * @param options - the scheduler for timers and `at` stamps, and extra request headers.
   * @returns `mark` and `audio` events in playback order, then one `end`.
   * @throws `InvalidArgumentError` at call time for an unsupported `sampleRate` or empty voice.
   * @example
   * ```ts
   * const events = await lastValueFrom(tts.synthesize({ text: 'Hi.' }).pipe(toArray()));
   * ```
   */
  synthesize(request: TtsRequest, options: CallOptions = {}): Observable<TtsEvent> {
    const outputSampleRate = requestSampleRate(request, this.#format);
    const voice = requestVoice(request, this.#options);
    const scheduler = options.scheduler ?? realtimeScheduler;
    return withApiKey(this.#config, (subscriber, apiKey) => {
      const abort = new AbortController();
      let timer: Subscription | undefined;
      let emittedAny = false;
      const sleep = (ms: number): Promise<void> =>
        new Promise((resolve) => {
          timer = scheduler.schedule(() => resolve(), ms);
        });

      const run = async (text: string): Promise<void> => {
        if (text.trim().length === 0) {
          completeUtterance(subscriber, 0, scheduler.now());
          return;
        }
        const { ElevenLabsClient } = await loadSdk();
        if (abort.signal.aborted) return;
        const client = new ElevenLabsClient({
          apiKey,
          baseUrl: this.#config.baseUrl,
          headers: { ...this.#config.headers, ...options.headers },
          maxRetries: 0,
          ...(this.#config.fetch ? { fetch: this.#config.fetch } : {}),
        });
        const maxRetries = this.#options.maxRetries ?? 2;
        for (let attempt = 0; ; attempt++) {
          try {
            await this.#stream(client, text, voice, request, scheduler, abort, outputSampleRate, (event) => {
              emittedAny = true;
              subscriber.next(event);
            });
            return subscriber.complete();
          } catch (caught) {
            if (abort.signal.aborted && !TimeoutError.isInstance(caught)) return;
            const error = toProviderError(caught);
            // Once a mark or frame went out, a retry would repeat it: fail instead.
            if (!error.retryable || emittedAny || attempt >= maxRetries) throw error;
            const backoffMs = (this.#options.retryDelayMs ?? 500) * 2 ** attempt;
            const retryAfterMs = RateLimitError.isInstance(error) ? error.retryAfterMs : undefined;
            await sleep(retryAfterMs ?? backoffMs);
            if (abort.signal.aborted) return;
          }
        }
      };

      // The request needs the whole text: collect the deltas (unsubscribed on teardown).
      let text = '';
      const input = textInputToObservable(request.text).subscribe({
        next: (delta) => {
          text += delta;
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          run(text).catch((error: unknown) => {
            if (!subscriber.closed) subscriber.error(toProviderError(error));
          });
        },
      });
      return () => {
        input.unsubscribe();
        timer?.unsubscribe();
        abort.abort();
      };
    });
  }

  async #stream(
    client: ElevenLabsClient,
    text: string,
    voice: string,
    request: TtsRequest,
    scheduler: SchedulerLike,
    parentAbort: AbortController,
    outputSampleRate: SampleRate,
    emit: (event: TtsEvent) => void,
  ): Promise<void> {
    const attemptAbort = new AbortController();
    const forward = (): void => attemptAbort.abort();
    parentAbort.signal.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    const firstChunkTimeoutMs = this.#options.firstChunkTimeoutMs ?? 15_000;
    let timeout: Subscription | undefined = scheduler.schedule(() => {
      timedOut = true;
      attemptAbort.abort();
    }, firstChunkTimeoutMs);
    const assembler = createUtteranceAssembler(this.#options, this.#format, outputSampleRate, false);
    const prefer = this.#options.alignment ?? 'original';
    try {
      const voiceSettings = wireVoiceSettings(this.#options.voiceSettings, request.prosody);
      const stream = await client.textToSpeech.streamWithTimestamps(
        voice,
        {
          text,
          modelId: this.modelId,
          outputFormat: this.#options.outputFormat ?? 'pcm_24000',
          ...(voiceSettings ? { voiceSettings: sdkVoiceSettings(voiceSettings) } : {}),
          ...((request.language ?? this.#options.languageCode)
            ? { languageCode: request.language ?? this.#options.languageCode }
            : {}),
          ...(this.#options.previousText ? { previousText: this.#options.previousText } : {}),
          ...(this.#options.nextText ? { nextText: this.#options.nextText } : {}),
          ...(this.#options.seed !== undefined ? { seed: this.#options.seed } : {}),
          ...(this.#options.applyTextNormalization
            ? { applyTextNormalization: this.#options.applyTextNormalization }
            : {}),
          ...(this.#options.enableLogging !== undefined
            ? { enableLogging: this.#options.enableLogging }
            : {}),
        },
        { abortSignal: attemptAbort.signal, maxRetries: 0 },
      );
      for await (const chunk of stream) {
        timeout?.unsubscribe();
        timeout = undefined;
        const record = chunk as unknown as Record<string, unknown>;
        const audio = record.audioBase64 ?? record.audio_base64 ?? record.audio_base_64;
        const original = record.alignment as SecondsAlignment | undefined;
        const normalized = (record.normalizedAlignment ?? record.normalized_alignment) as
          | SecondsAlignment
          | undefined;
        const seconds = prefer === 'normalized' ? (normalized ?? original) : (original ?? normalized);
        const chunkStartMs = assembler.durationMs;
        assembler.pushChunk(
          typeof audio === 'string' && audio.length > 0 ? audio : undefined,
          secondsToChunkAlignment(seconds, chunkStartMs),
          scheduler.now(),
          emit,
        );
      }
      const durationMs = assembler.finish(scheduler.now(), emit);
      emit({ type: 'end', durationMs, at: scheduler.now() });
    } catch (error) {
      if (timedOut) {
        throw new TimeoutError({
          provider: PROVIDER,
          message: `no audio within ${firstChunkTimeoutMs} ms; raise firstChunkTimeoutMs or retry.`,
          cause: error,
        });
      }
      throw error;
    } finally {
      timeout?.unsubscribe();
      parentAbort.signal.removeEventListener('abort', forward);
    }
  }
}

function sdkVoiceSettings(wire: Record<string, number | boolean>): Record<string, number | boolean> {
  const names: Record<string, string> = {
    similarity_boost: 'similarityBoost',
    use_speaker_boost: 'useSpeakerBoost',
  };
  return Object.fromEntries(Object.entries(wire).map(([key, value]) => [names[key] ?? key, value]));
}

/**
 * Converts seconds-based start/end alignment into the WebSocket's chunk-relative ms start/duration.
 * Times at or past the audio already received are cumulative (from the start of the response) and
 * are shifted to the chunk; smaller ones are already chunk-relative.
 * @internal
 */
export function secondsToChunkAlignment(
  alignment: SecondsAlignment | undefined,
  chunkStartMs: number,
): ChunkAlignment | undefined {
  if (!alignment) return undefined;
  const record = alignment as Record<string, unknown>;
  const chars = (record.characters ?? record.chars) as unknown;
  const starts = (record.characterStartTimesSeconds ?? record.character_start_times_seconds) as unknown;
  const ends = (record.characterEndTimesSeconds ?? record.character_end_times_seconds) as unknown;
  if (!Array.isArray(chars) || !Array.isArray(starts) || !Array.isArray(ends)) return undefined;
  if (starts.length !== chars.length || ends.length !== chars.length || chars.length === 0) return undefined;
  const firstStartMs = Number(starts[0]) * 1000;
  const shiftMs = chunkStartMs > 0 && firstStartMs >= chunkStartMs - 1 ? chunkStartMs : 0;
  return {
    chars: chars.map(String),
    startsMs: starts.map((start) => Number(start) * 1000 - shiftMs),
    durationsMs: starts.map((start, i) => Math.max(0, Number(ends[i]) - Number(start)) * 1000),
  };
}

/** Maps anything the SDK or fetch throws to a typed provider error. */
function toProviderError(error: unknown): ProviderError {
  if (ProviderError.isInstance(error)) return error;
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const name = typeof record.name === 'string' ? record.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'ElevenLabsTimeoutError') {
    return new TimeoutError({
      provider: PROVIDER,
      message: `the request timed out: ${message}`,
      cause: error,
    });
  }
  if (typeof record.statusCode === 'number') {
    const raw = record.rawResponse as { headers?: { get(name: string): string | null } } | undefined;
    const status = record.statusCode;
    const mapped = errorFromHttpStatus(status, record.body, raw?.headers);
    return mapped;
  }
  if (error instanceof SyntaxError || /JSON/i.test(message)) {
    return new ProtocolError({
      provider: PROVIDER,
      message: `malformed NDJSON in the with-timestamps response: ${message}`,
      cause: error,
    });
  }
  if (name === 'ElevenLabsError' && /parse|expected|missing/i.test(message)) {
    return new ProtocolError({
      provider: PROVIDER,
      message: `unexpected response: ${message}`,
      cause: error,
    });
  }
  return new NetworkError({ provider: PROVIDER, message: `the request failed: ${message}`, cause: error });
}
