import { NetworkError, type ProviderError, RateLimitError } from '@argentum/core';
import type { SchedulerLike, Subscription } from 'rxjs';
import { errorFromBody, errorFromClose, PROVIDER } from '../elevenlabs-error';
import { parseServerMessage, type ServerMessage } from './elevenlabs-tts-api';
import type { ElevenLabsSpeechOptions } from './elevenlabs-tts-options';
import {
  type ConnectOptions,
  closeSocket,
  connectWebSocket,
  type SocketEvent,
  type WebSocketLike,
} from './websocket-connector';

/** One context's side of a {@link MultiContextConnection}. @internal */
export interface ContextClient {
  /** The context id (`ctx-1`, …). */
  readonly id: string;
  /** The context got a slot: send its settings message now. */
  onGranted(): void;
  /** A server message for this context. */
  onMessage(message: ServerMessage): void;
  /** The context failed (error body, socket drop, limit reached). */
  onError(error: ProviderError): void;
}

/** Options of {@link MultiContextConnection}. @internal */
export interface MultiContextConnectionOptions extends Omit<ConnectOptions, 'scheduler'> {
  scheduler: SchedulerLike;
  maxContexts: number;
  contextLimit: 'queue' | 'reject';
  idleTimeoutMs: number;
  keepAliveIntervalMs: number;
  alignment: ElevenLabsSpeechOptions['alignment'];
  /** Called once the socket is gone, with the queued clients that never started. */
  onClosed(queued: ContextClient[]): void;
}

interface ContextState {
  /** `undefined` once abandoned (unsubscribed): its messages are dropped. */
  client: ContextClient | undefined;
  /** Whether its settings message reached the wire (keepalives are allowed only after). */
  initialized: boolean;
  /** Whether `close_context` was sent: the slot is freed by the server's final message. */
  closeSent: boolean;
  /** Whether audio arrived for it (a `close_context` is safe from then on). */
  audioReceived: boolean;
  /** Input ended before any audio: `close_context` waits for the first audio. */
  closeAfterAudio: boolean;
  lastSentAt: number;
}

/**
 * One multi-stream-input socket shared by up to `maxContexts` contexts.
 *
 * - A context holds a slot from its grant until the server's final message for it (the server keeps
 *   a closed context until it has drained), so the limit is never exceeded on the wire: the next
 *   request waits in a queue (`contextLimit: 'queue'`) or fails at once with a `RateLimitError`
 *   (`'reject'`).
 * - Keepalives (`{"text":"","context_id"}`) go only to contexts whose settings message is on the
 *   wire: a keepalive before it would open the context without settings.
 * - The end of a context's input sends `close_context` only once the context has produced audio:
 *   a `close_context` that reaches the server before synthesis started cancels it (a final message
 *   with no audio). A context whose input ended and that stays silent for a keepalive interval is
 *   closed then instead of kept alive.
 * - Idle (no context, no queue) for `idleTimeoutMs` → `{"close_socket":true}`.
 * @internal
 */
export class MultiContextConnection {
  readonly #options: MultiContextConnectionOptions;
  readonly #contexts = new Map<string, ContextState>();
  readonly #queue: ContextClient[] = [];
  readonly #outbox: string[] = [];
  #socket: WebSocketLike | undefined;
  #cancelConnect: (() => void) | undefined;
  #idleTimer: Subscription | undefined;
  #keepAliveTimer: Subscription | undefined;
  #closed = false;
  #closeWhenIdle = false;
  #closing = false;

  constructor(options: MultiContextConnectionOptions) {
    this.#options = options;
  }

  /** Starts connecting (call once, after the first {@link request}). */
  start(): void {
    if (this.#closed || this.#socket || this.#cancelConnect) return;
    this.#cancelConnect = connectWebSocket(
      this.#options,
      (socket) => this.#onOpen(socket),
      (error) => this.#shutDown(error),
    );
  }

  /** Whether the connection can take new contexts. */
  get usable(): boolean {
    return !this.#closed && !this.#closing;
  }

  /**
   * Asks for a slot: granted now, queued, or rejected with a typed error.
   * @param client - the context.
   */
  request(client: ContextClient): void {
    this.#idleTimer?.unsubscribe();
    this.#idleTimer = undefined;
    if (this.#contexts.size < this.#options.maxContexts) {
      this.#grant(client);
    } else if (this.#options.contextLimit === 'queue') {
      this.#queue.push(client);
    } else {
      client.onError(
        new RateLimitError({
          provider: PROVIDER,
          message: `${this.#options.maxContexts} contexts are already active on this socket (ElevenLabs allows 5): end or unsubscribe one first, or use contextLimit: 'queue'.`,
        }),
      );
      this.#checkIdle();
    }
  }

  /**
   * Sends a message for a context (adds `context_id`); queued until the socket is open.
   * @param contextId - the context.
   * @param message - the message without `context_id`.
   * @param init - whether this is the context's settings message.
   */
  send(contextId: string, message: Record<string, unknown>, init = false): void {
    const state = this.#contexts.get(contextId);
    if (!state || state.closeSent) return;
    if (message.close_context === true) state.closeSent = true;
    if (init) state.initialized = true;
    state.lastSentAt = this.#options.scheduler.now();
    this.#write(JSON.stringify({ ...message, context_id: contextId }));
  }

  /**
   * The context's input is complete (its last piece was sent with `flush`): sends `close_context`
   * now if the context already produced audio, else on its first audio (or, if none comes, when
   * its keepalive would be due).
   * @param contextId - the context.
   */
  endInput(contextId: string): void {
    const state = this.#contexts.get(contextId);
    if (!state || state.closeSent) return;
    if (state.audioReceived) this.send(contextId, { close_context: true });
    else state.closeAfterAudio = true;
  }

  /**
   * The context is done on the client side (ended or unsubscribed). An open context is closed
   * with `close_context` and keeps its slot until the server's final message; a context the server
   * never saw frees its slot at once; a queued one leaves the queue.
   * @param contextId - the context.
   */
  abandon(contextId: string): void {
    const queued = this.#queue.findIndex((client) => client.id === contextId);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#checkIdle();
      return;
    }
    const state = this.#contexts.get(contextId);
    if (!state) return;
    state.client = undefined;
    if (!state.initialized) {
      this.#free(contextId);
    } else if (!state.closeSent) {
      this.send(contextId, { close_context: true });
    }
  }

  /** Closes the socket now when idle, else once the last context is done. */
  close(): void {
    this.#closeWhenIdle = true;
    this.#checkIdle();
  }

  #grant(client: ContextClient): void {
    this.#contexts.set(client.id, {
      client,
      initialized: false,
      closeSent: false,
      audioReceived: false,
      closeAfterAudio: false,
      lastSentAt: this.#options.scheduler.now(),
    });
    client.onGranted();
    this.#armKeepAlive();
  }

  #free(contextId: string): void {
    this.#contexts.delete(contextId);
    const next = this.#queue.shift();
    if (next) this.#grant(next);
    else this.#checkIdle();
  }

  #write(text: string): void {
    if (this.#socket) this.#socket.send(text);
    else this.#outbox.push(text);
  }

  #onOpen(socket: WebSocketLike): void {
    this.#cancelConnect = undefined;
    this.#socket = socket;
    socket.onmessage = (event: SocketEvent) => this.#onMessage(event);
    socket.onclose = (event: SocketEvent) => {
      this.#socket = undefined;
      const code = event.code ?? 1006;
      if (code === 1000 && this.#closing) {
        this.#shutDown(undefined);
        return;
      }
      if (code !== 1000 && code !== 1008) this.#options.backoff.recordFailure();
      this.#shutDown(errorFromClose(code, String(event.reason ?? ''), this.#lastError));
    };
    socket.onerror = () => {};
    for (const text of this.#outbox.splice(0)) socket.send(text);
    // Idle time counts from when the messages reached the wire.
    const now = this.#options.scheduler.now();
    for (const state of this.#contexts.values()) state.lastSentAt = now;
    this.#armKeepAlive();
  }

  #lastError: ReturnType<typeof parseServerMessage>['error'];

  #onMessage(event: SocketEvent): void {
    let message: ServerMessage;
    try {
      message = parseServerMessage(event.data, this.#options.alignment);
    } catch (error) {
      this.#shutDown(error as ProviderError);
      return;
    }
    const state = message.contextId === undefined ? undefined : this.#contexts.get(message.contextId);
    if (message.error) {
      this.#lastError = message.error;
      const error = errorFromBody(message.error);
      if (state && message.contextId !== undefined) {
        state.client?.onError(error);
        this.#free(message.contextId);
      } else {
        this.#shutDown(error);
      }
      return;
    }
    if (!state || message.contextId === undefined) return;
    if (message.audio !== undefined && !state.audioReceived) {
      state.audioReceived = true;
      if (state.closeAfterAudio) this.send(message.contextId, { close_context: true });
    }
    const live = state.client !== undefined;
    try {
      state.client?.onMessage(message);
    } catch (error) {
      state.client?.onError(error as ProviderError);
      state.client = undefined;
      if (!state.closeSent) this.send(message.contextId, { close_context: true });
    }
    if (message.isFinal) {
      if (live) this.#options.backoff.recordSuccess();
      this.#free(message.contextId);
    }
  }

  #armKeepAlive(): void {
    if (this.#keepAliveTimer || !this.#socket || this.#contexts.size === 0) return;
    this.#keepAliveTimer = this.#options.scheduler.schedule(
      () => this.#keepAlive(),
      this.#nextKeepAliveDelay(),
    );
  }

  #nextKeepAliveDelay(): number {
    const now = this.#options.scheduler.now();
    let delay = this.#options.keepAliveIntervalMs;
    for (const state of this.#contexts.values()) {
      if (state.initialized && !state.closeSent) {
        delay = Math.min(delay, Math.max(0, state.lastSentAt + this.#options.keepAliveIntervalMs - now));
      }
    }
    return delay;
  }

  #keepAlive(): void {
    this.#keepAliveTimer = undefined;
    if (!this.#socket) return;
    const now = this.#options.scheduler.now();
    for (const [id, state] of this.#contexts) {
      // Never before the settings message: that would open the context without settings.
      if (!state.initialized || state.closeSent || state.client === undefined) continue;
      if (now - state.lastSentAt < this.#options.keepAliveIntervalMs) continue;
      // Input ended and still no audio (text with nothing to say): close rather than wait forever.
      this.send(id, state.closeAfterAudio ? { close_context: true } : { text: '' });
    }
    this.#armKeepAlive();
  }

  #checkIdle(): void {
    if (this.#contexts.size > 0 || this.#queue.length > 0 || this.#closed) return;
    this.#keepAliveTimer?.unsubscribe();
    this.#keepAliveTimer = undefined;
    if (this.#closeWhenIdle || this.#options.idleTimeoutMs === 0) {
      this.#closeNow();
      return;
    }
    this.#idleTimer?.unsubscribe();
    this.#idleTimer = this.#options.scheduler.schedule(() => {
      this.#idleTimer = undefined;
      if (this.#contexts.size === 0 && this.#queue.length === 0) this.#closeNow();
    }, this.#options.idleTimeoutMs);
  }

  #closeNow(): void {
    if (this.#socket) {
      this.#closing = true;
      this.#socket.send(JSON.stringify({ close_socket: true }));
      // The server closes with 1000 after close_socket; close our side too so no handle lingers.
      const socket = this.#socket;
      this.#shutDown(undefined);
      closeSocket(socket);
    } else {
      this.#shutDown(undefined);
    }
  }

  /** Tears everything down; `error` goes to every active context. */
  #shutDown(error: ProviderError | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelConnect?.();
    this.#cancelConnect = undefined;
    this.#idleTimer?.unsubscribe();
    this.#keepAliveTimer?.unsubscribe();
    if (this.#socket) closeSocket(this.#socket);
    this.#socket = undefined;
    this.#outbox.length = 0;
    const failure =
      error ??
      new NetworkError({
        provider: PROVIDER,
        message: 'the multi-context socket closed before the context ended.',
      });
    for (const state of this.#contexts.values()) state.client?.onError(failure);
    this.#contexts.clear();
    const queued = this.#queue.splice(0);
    if (error && !error.retryable) {
      for (const client of queued) client.onError(error);
      this.#options.onClosed([]);
    } else {
      this.#options.onClosed(queued);
    }
  }
}
