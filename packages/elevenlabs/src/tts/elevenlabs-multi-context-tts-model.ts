import {
  type CallOptions,
  InvalidArgumentError,
  type ProviderError,
  realtimeScheduler,
  type SampleRate,
  SPECIFICATION_VERSION,
  type TtsCapabilities,
  type TtsEvent,
  type TtsModel,
  type TtsRequest,
} from '@argentum/core';
import type { Observable, SchedulerLike } from 'rxjs';
import { PROVIDER } from '../elevenlabs-error';
import { initMessage, wireVoiceSettings } from './elevenlabs-tts-api';
import type { ElevenLabsWebSocketSpeechOptions, ParsedOutputFormat } from './elevenlabs-tts-options';
import { type ContextClient, MultiContextConnection } from './multi-context-connection';
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
import { ReconnectBackoff } from './websocket-connector';

/**
 * Options of the multi-context model: the WebSocket options plus how contexts share a socket.
 *
 * @example
 * ```ts
 * const tts = elevenlabs.multiContextTts('eleven_flash_v2_5', {
 *   maxConcurrentContexts: 3,
 *   contextLimit: 'reject',
 *   socketIdleTimeoutMs: 5000,
 * });
 * ```
 */
export interface ElevenLabsMultiContextSpeechOptions extends ElevenLabsWebSocketSpeechOptions {
  /** Contexts open at once on one socket, 1..5 (ElevenLabs' limit is 5); defaults to 5. */
  maxConcurrentContexts?: number;
  /**
   * What a `synthesize()` beyond the limit does: `queue` (default) waits until a context's final
   * message frees a slot; `reject` errors at once with a `RateLimitError` — before the server
   * would answer `max_active_conversations` and close the socket for everyone.
   */
  contextLimit?: 'queue' | 'reject';
  /**
   * How long a socket with no context stays open before `{"close_socket":true}`, in ms; 0 closes it
   * as soon as it is idle. Defaults to 10 000; must be shorter than the inactivity timeout.
   */
  socketIdleTimeoutMs?: number;
}

/**
 * ElevenLabs text-to-speech over the multi-context WebSocket (`/multi-stream-input`): one socket,
 * several utterances (contexts). Each `synthesize()` is a new context with a deterministic id
 * (`ctx-1`, `ctx-2`, … per model); unsubscribing sends `close_context` for it and keeps the socket
 * for the next utterance — barge-in without a reconnect (`capabilities.multiContextCancel`).
 *
 * - Up to `maxConcurrentContexts` (≤ 5) contexts per socket; a context keeps its slot until the
 *   server's final message for it, since the server counts closed contexts until they drained. The
 *   next one is queued or rejected (`contextLimit`).
 * - Keepalives (`{"text":"","context_id"}`) are sent only to contexts whose settings message was
 *   sent: a keepalive first would open the context without settings and the server would reject
 *   its settings later.
 * - At the end of the input the last piece goes out with `flush`, and `close_context` follows once
 *   the context has produced audio: a `close_context` that reaches the server before synthesis
 *   started makes it answer the final message with no audio at all.
 * - Sockets are shared by requests with the same voice, format, language and settings; an idle
 *   socket is closed with `close_socket` after `socketIdleTimeoutMs`, and by {@link close}.
 * - A socket that drops fails its active contexts with a typed error; queued and later utterances
 *   get a new socket, after an exponential backoff when drops repeat.
 *
 * Connection-level timers (connect timeout, idle close, keepalives) run on the scheduler of the
 * call that opened the socket; event `at` stamps use each call's scheduler.
 *
 * @example
 * ```ts
 * const tts = createElevenLabs().multiContextTts();
 * let speaking = tts.synthesize({ text: 'Let me tell you a long story…' }).subscribe(play);
 * // the user barges in:
 * speaking.unsubscribe(); // close_context; the socket stays open
 * speaking = tts.synthesize({ text: 'Sorry, go ahead.' }).subscribe(play);
 * ```
 */
export class ElevenLabsMultiContextTtsModel implements TtsModel {
  /** The provider specification version. */
  readonly specificationVersion = SPECIFICATION_VERSION;
  /** `elevenlabs`. */
  readonly provider = PROVIDER;
  /** The ElevenLabs model id. */
  readonly modelId: string;
  /** Streaming in and out, aligned marks, and cancelling one context while keeping the socket. */
  readonly capabilities: TtsCapabilities = {
    streamingInput: true,
    streamingOutput: true,
    alignedMarks: true,
    multiContextCancel: true,
  };
  /** The wire rate of the configured output format. */
  readonly sampleRate: SampleRate;

  readonly #options: ElevenLabsMultiContextSpeechOptions;
  readonly #resolved: ResolvedWebSocketOptions;
  readonly #format: ParsedOutputFormat;
  readonly #config: ElevenLabsModelConfig;
  readonly #backoff: ReconnectBackoff;
  readonly #maxContexts: number;
  readonly #idleTimeoutMs: number;
  readonly #connections = new Map<string, MultiContextConnection>();
  #nextContext = 1;

  /**
   * Use {@link ElevenLabsProvider.multiContextTts} rather than this constructor.
   * @param modelId - the ElevenLabs model id.
   * @param options - voice, format, timeouts, context limits.
   * @param config - credentials and transports from the provider.
   * @internal
   */
  constructor(modelId: string, options: ElevenLabsMultiContextSpeechOptions, config: ElevenLabsModelConfig) {
    this.modelId = modelId;
    this.#options = options;
    this.#format = validateSpeechOptions(options);
    this.#resolved = resolveWebSocketOptions(options);
    this.#config = config;
    this.#backoff = new ReconnectBackoff(this.#resolved.reconnectDelayMs);
    this.sampleRate = this.#format.sampleRate;
    const max = options.maxConcurrentContexts ?? 5;
    if (!Number.isInteger(max) || max < 1 || max > 5) {
      throw new InvalidArgumentError(
        'maxConcurrentContexts',
        `expected an integer in 1..5, got ${String(max)}.`,
      );
    }
    this.#maxContexts = max;
    const idle = options.socketIdleTimeoutMs ?? 10_000;
    if (!Number.isFinite(idle) || idle < 0 || idle >= this.#resolved.inactivityTimeoutSeconds * 1000) {
      throw new InvalidArgumentError(
        'socketIdleTimeoutMs',
        `expected 0 or more and less than the inactivity timeout (${this.#resolved.inactivityTimeoutSeconds * 1000} ms), got ${String(idle)}.`,
      );
    }
    this.#idleTimeoutMs = idle;
    if (
      options.contextLimit !== undefined &&
      options.contextLimit !== 'queue' &&
      options.contextLimit !== 'reject'
    ) {
      throw new InvalidArgumentError(
        'contextLimit',
        `expected "queue" or "reject", got ${String(options.contextLimit)}.`,
      );
    }
  }

  /**
   * Synthesizes one utterance in a new context. Cold: each subscription is one context; the socket
   * is shared.
   * @param request - text (a string or a stream of deltas), voice, output rate, prosody, language.
   * @param options - the scheduler for timers and `at` stamps, and extra upgrade headers.
   * @returns `mark` and `audio` events in playback order, then one `end`.
   * @throws `InvalidArgumentError` at call time for an unsupported `sampleRate` or empty voice.
   * @example
   * ```ts
   * const first = tts.synthesize({ text: 'One.' }).subscribe(play);
   * const second = tts.synthesize({ text: 'Two.' }).subscribe(play); // same socket, ctx-2
   * ```
   */
  synthesize(request: TtsRequest, options: CallOptions = {}): Observable<TtsEvent> {
    const outputSampleRate = requestSampleRate(request, this.#format);
    const voice = requestVoice(request, this.#options);
    const scheduler = options.scheduler ?? realtimeScheduler;
    const voiceSettings = wireVoiceSettings(this.#options.voiceSettings, request.prosody);
    return withApiKey(this.#config, (subscriber, apiKey) => {
      const url = requestWebSocketUrl(
        this.#config,
        'multi-stream-input',
        voice,
        this.modelId,
        this.#options,
        request,
      );
      const headers = { 'xi-api-key': apiKey, ...this.#config.headers, ...options.headers };
      const key = JSON.stringify([url, voiceSettings, headers]);
      const id = `ctx-${this.#nextContext++}`;
      const assembler = createUtteranceAssembler(this.#options, this.#format, outputSampleRate);
      const pending: Record<string, unknown>[] = [];
      let connection: MultiContextConnection | undefined;
      let granted = false;
      let inputEnded = false;
      let finished = false;
      const emit = (event: TtsEvent): void => subscriber.next(event);

      const send = (message: Record<string, unknown>): void => {
        if (granted && connection) connection.send(id, message);
        else pending.push(message);
      };

      const client: ContextClient = {
        id,
        onGranted: () => {
          granted = true;
          connection!.send(id, initMessage(this.#options, voiceSettings), true);
          for (const message of pending.splice(0)) connection!.send(id, message);
          if (inputEnded) connection!.endInput(id);
        },
        onMessage: (message) => {
          if (finished) return;
          if (message.audio !== undefined || message.alignment) {
            assembler.pushChunk(message.audio, message.alignment, scheduler.now(), emit);
          }
          if (message.isFinal) {
            const durationMs = assembler.finish(scheduler.now(), emit);
            finished = true;
            completeUtterance(subscriber, durationMs, scheduler.now());
          }
        },
        onError: (error: ProviderError) => {
          if (finished) return;
          finished = true;
          subscriber.error(error);
        },
      };

      const dispatch = (target: ContextClient): void => {
        const existing = this.#connections.get(key);
        const shared = existing?.usable ? existing : this.#openConnection(key, url, headers, scheduler);
        connection = shared;
        shared.request(target);
        shared.start();
      };
      // Queued contexts of a socket that dropped start over on a new socket.
      this.#redispatch.set(id, (target) => {
        granted = false;
        dispatch(target);
      });
      dispatch(client);

      const input = sendTextInput(request.text, this.#options, assembler, send, {
        error: (error) => {
          if (finished) return;
          finished = true;
          subscriber.error(error);
        },
        complete: (anyText) => {
          if (!anyText && !finished) {
            finished = true;
            completeUtterance(subscriber, 0, scheduler.now());
            return;
          }
          // End of input: close_context (once audio flows) makes the server finish and send the
          // final message; the last piece went out with flush, so nothing is left unspoken.
          inputEnded = true;
          if (granted && connection) connection.endInput(id);
        },
      });

      return () => {
        input.unsubscribe();
        this.#redispatch.delete(id);
        connection?.abandon(id);
      };
    });
  }

  /**
   * Closes idle sockets now (with `close_socket`) and the others as soon as their last context
   * ends. The model stays usable: a later `synthesize()` opens a new socket.
   * @example
   * ```ts
   * process.on('SIGTERM', () => tts.close());
   * ```
   */
  close(): void {
    for (const connection of [...this.#connections.values()]) connection.close();
  }

  readonly #redispatch = new Map<string, (client: ContextClient) => void>();

  #openConnection(
    key: string,
    url: string,
    headers: Record<string, string>,
    scheduler: SchedulerLike,
  ): MultiContextConnection {
    const connection: MultiContextConnection = new MultiContextConnection({
      url,
      headers,
      WebSocket: this.#config.WebSocket,
      scheduler,
      connectTimeoutMs: this.#resolved.connectTimeoutMs,
      maxReconnectAttempts: this.#resolved.maxReconnectAttempts,
      backoff: this.#backoff,
      maxContexts: this.#maxContexts,
      contextLimit: this.#options.contextLimit ?? 'queue',
      idleTimeoutMs: this.#idleTimeoutMs,
      keepAliveIntervalMs: this.#resolved.keepAliveIntervalMs,
      alignment: this.#options.alignment,
      onClosed: (queued) => {
        if (this.#connections.get(key) === connection) this.#connections.delete(key);
        for (const client of queued) this.#redispatch.get(client.id)?.(client);
      },
    });
    this.#connections.set(key, connection);
    return connection;
  }
}
