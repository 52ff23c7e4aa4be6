import {
  type CallOptions,
  type ProviderError,
  realtimeScheduler,
  type SampleRate,
  SPECIFICATION_VERSION,
  type TtsCapabilities,
  type TtsEvent,
  type TtsModel,
  type TtsRequest,
} from '@argentum/core';
import type { Observable, Subscription } from 'rxjs';
import { errorFromBody, errorFromClose, PROVIDER } from '../elevenlabs-error';
import { initMessage, parseServerMessage, wireVoiceSettings } from './elevenlabs-tts-api';
import type { ElevenLabsWebSocketSpeechOptions, ParsedOutputFormat } from './elevenlabs-tts-options';
import {
  type ElevenLabsModelConfig,
  type ResolvedWebSocketOptions,
  requestSampleRate,
  requestVoice,
  resolveWebSocketOptions,
  validateSpeechOptions,
} from './resolve-speech-options';
import {
  completeUtterance,
  createUtteranceAssembler,
  requestWebSocketUrl,
  sendTextInput,
  withApiKey,
} from './speech-synthesis';
import {
  closeSocket,
  connectWebSocket,
  ReconnectBackoff,
  type SocketEvent,
  type WebSocketLike,
} from './websocket-connector';

/**
 * ElevenLabs text-to-speech over the stream-input WebSocket (`/v1/text-to-speech/{voice}/stream-input`):
 * one socket per utterance, text streamed in as it arrives, audio and aligned word/sentence marks
 * streamed out.
 *
 * Each `synthesize()` subscription:
 * 1. opens the socket (connect timeout; retryable failures retried with exponential backoff, and a
 *    backoff before the next utterance after a drop — never a reconnect mid-utterance);
 * 2. sends `{"text":" ", voice_settings, generation_config}`, then the text cut at sentence and
 *    clause boundaries (each piece ending with a space), the last piece with `flush: true`, then
 *    `{"text":""}`; while waiting for text it sends `{"text":" "}` keepalives before the
 *    inactivity timeout (timed on the call's scheduler);
 * 3. decodes the audio (`pcm_*`, `ulaw_8000`, `alaw_8000`) into exact frames (resampled to the
 *    request's `sampleRate` when it differs) and turns the per-chunk alignment into absolute `mark`
 *    events (`aligned: true`), emitted before the audio they describe;
 * 4. emits `end` on the server's final message and completes.
 *
 * Errors are typed `ProviderError`s: error bodies (`{message, error, code}`) and close codes
 * are mapped (1008 + `input_timeout_exceeded` → `TimeoutError`, auth → `AuthenticationError`,
 * any close other than 1000 → an error). Unsubscribing closes the socket and clears every timer.
 *
 * @example
 * ```ts
 * import { createElevenLabs } from '@argentum/elevenlabs';
 *
 * const tts = createElevenLabs().tts('eleven_flash_v2_5', { outputFormat: 'pcm_16000' });
 * tts.synthesize({ text: llmDeltas$, sampleRate: 16000 }).subscribe((event) => {
 *   if (event.type === 'mark') console.log(event.kind, event.text, event.offsetMs);
 *   if (event.type === 'audio') speaker.write(event.frame);
 * });
 * ```
 */
export class ElevenLabsTtsModel implements TtsModel {
  /** The provider specification version. */
  readonly specificationVersion = SPECIFICATION_VERSION;
  /** `elevenlabs`. */
  readonly provider = PROVIDER;
  /** The ElevenLabs model id, e.g. `eleven_flash_v2_5`. */
  readonly modelId: string;
  /** Streaming text in and audio out, aligned marks; one context per socket. */
  readonly capabilities: TtsCapabilities = {
    streamingInput: true,
    streamingOutput: true,
    alignedMarks: true,
    multiContextCancel: false,
  };
  /** The wire rate of the configured output format. */
  readonly sampleRate: SampleRate;

  readonly #options: ElevenLabsWebSocketSpeechOptions;
  readonly #resolved: ResolvedWebSocketOptions;
  readonly #format: ParsedOutputFormat;
  readonly #config: ElevenLabsModelConfig;
  readonly #backoff: ReconnectBackoff;

  /**
   * Use {@link ElevenLabsProvider.tts} rather than this constructor.
   * @param modelId - the ElevenLabs model id.
   * @param options - voice, format, timeouts.
   * @param config - credentials and transports from the provider.
   * @internal
   */
  constructor(modelId: string, options: ElevenLabsWebSocketSpeechOptions, config: ElevenLabsModelConfig) {
    this.modelId = modelId;
    this.#options = options;
    this.#format = validateSpeechOptions(options);
    this.#resolved = resolveWebSocketOptions(options);
    this.#config = config;
    this.#backoff = new ReconnectBackoff(this.#resolved.reconnectDelayMs);
    this.sampleRate = this.#format.sampleRate;
  }

  /**
   * Synthesizes one utterance. Cold: each subscription opens its own socket.
   * @param request - text (a string or a stream of deltas), voice, output rate, prosody, language.
   * @param options - the scheduler for timers and `at` stamps, and extra upgrade headers.
   * @returns `mark` and `audio` events in playback order, then one `end`.
   * @throws `InvalidArgumentError` at call time for an unsupported `sampleRate` or empty voice.
   * @example
   * ```ts
   * const events = await lastValueFrom(tts.synthesize({ text: 'Hello there.' }).pipe(toArray()));
   * ```
   */
  synthesize(request: TtsRequest, options: CallOptions = {}): Observable<TtsEvent> {
    const outputSampleRate = requestSampleRate(request, this.#format);
    const voice = requestVoice(request, this.#options);
    const scheduler = options.scheduler ?? realtimeScheduler;
    return withApiKey(this.#config, (subscriber, apiKey) => {
      const url = requestWebSocketUrl(
        this.#config,
        'stream-input',
        voice,
        this.modelId,
        this.#options,
        request,
      );
      const assembler = createUtteranceAssembler(this.#options, this.#format, outputSampleRate);
      const keepAliveIntervalMs = this.#resolved.keepAliveIntervalMs;
      const outbox: Record<string, unknown>[] = [];
      let socket: WebSocketLike | undefined;
      let keepAlive: Subscription | undefined;
      let lastSentAt = 0;
      let endSent = false;
      let finished = false;
      let errorBody: ReturnType<typeof parseServerMessage>['error'];

      const emit = (event: TtsEvent): void => subscriber.next(event);

      const fail = (error: ProviderError): void => {
        if (finished) return;
        finished = true;
        subscriber.error(error);
      };

      const send = (message: Record<string, unknown>): void => {
        if (!socket) {
          outbox.push(message);
          return;
        }
        socket.send(JSON.stringify(message));
        lastSentAt = scheduler.now();
      };

      const checkKeepAlive = (): void => {
        keepAlive = undefined;
        if (!socket || endSent || finished) return;
        const idleMs = scheduler.now() - lastSentAt;
        if (idleMs >= keepAliveIntervalMs) {
          send({ text: ' ' });
          keepAlive = scheduler.schedule(checkKeepAlive, keepAliveIntervalMs);
        } else {
          keepAlive = scheduler.schedule(checkKeepAlive, keepAliveIntervalMs - idleMs);
        }
      };

      const sendEnd = (): void => {
        endSent = true;
        keepAlive?.unsubscribe();
        keepAlive = undefined;
        send({ text: '' });
      };

      const finishUtterance = (): void => {
        if (finished) return;
        const durationMs = assembler.finish(scheduler.now(), emit);
        finished = true;
        this.#backoff.recordSuccess();
        completeUtterance(subscriber, durationMs, scheduler.now());
      };

      const onMessage = (event: SocketEvent): void => {
        if (finished) return;
        try {
          const message = parseServerMessage(event.data, this.#options.alignment);
          if (message.error) {
            errorBody = message.error;
            fail(errorFromBody(message.error));
            return;
          }
          if (message.audio !== undefined || message.alignment) {
            assembler.pushChunk(message.audio, message.alignment, scheduler.now(), emit);
          }
          if (message.isFinal) finishUtterance();
        } catch (error) {
          fail(error as ProviderError);
        }
      };

      const onClose = (event: SocketEvent): void => {
        socket = undefined;
        if (finished) return;
        const code = event.code ?? 1006;
        if (code === 1000 && endSent && errorBody === undefined) {
          // Some servers close right after the last audio without a final message.
          finishUtterance();
          return;
        }
        if (code !== 1000 && code !== 1008) this.#backoff.recordFailure();
        fail(errorFromClose(code, String(event.reason ?? ''), errorBody));
      };

      const onOpen = (opened: WebSocketLike): void => {
        socket = opened;
        opened.onmessage = onMessage;
        opened.onclose = onClose;
        opened.onerror = () => {};
        socket.send(
          JSON.stringify(
            initMessage(this.#options, wireVoiceSettings(this.#options.voiceSettings, request.prosody)),
          ),
        );
        lastSentAt = scheduler.now();
        for (const message of outbox.splice(0)) send(message);
        if (!endSent) keepAlive = scheduler.schedule(checkKeepAlive, keepAliveIntervalMs);
      };

      const cancelConnect = connectWebSocket(
        {
          url,
          headers: { 'xi-api-key': apiKey, ...this.#config.headers, ...options.headers },
          WebSocket: this.#config.WebSocket,
          scheduler,
          connectTimeoutMs: this.#resolved.connectTimeoutMs,
          maxReconnectAttempts: this.#resolved.maxReconnectAttempts,
          backoff: this.#backoff,
        },
        onOpen,
        fail,
      );

      const input = sendTextInput(request.text, this.#options, assembler, send, {
        error: (error) => {
          if (finished) return;
          finished = true;
          subscriber.error(error);
        },
        complete: (anyText) => {
          if (!anyText) {
            finished = true;
            completeUtterance(subscriber, 0, scheduler.now());
            return;
          }
          sendEnd();
        },
      });

      return () => {
        input.unsubscribe();
        cancelConnect();
        keepAlive?.unsubscribe();
        keepAlive = undefined;
        if (socket) closeSocket(socket);
        socket = undefined;
        outbox.length = 0;
      };
    });
  }
}
