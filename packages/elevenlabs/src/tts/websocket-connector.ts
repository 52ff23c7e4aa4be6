import { NetworkError, type ProviderError, RateLimitError, TimeoutError } from '@argentum/core';
import type { SchedulerLike, Subscription } from 'rxjs';
import { errorFromClose, errorFromHttpStatus, PROVIDER } from '../elevenlabs-error';

/**
 * The part of a WebSocket this package uses: the `ws` package's `WebSocket` and the WHATWG
 * `WebSocket` (browsers, Node ≥ 22) both fit. Handlers are assigned, never called by this package.
 *
 * @example
 * ```ts
 * import { WebSocket } from 'ws';
 * const socket: WebSocketLike = new WebSocket('wss://example.com');
 * ```
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Called once the connection is open. */
  onopen: ((event: never) => void) | null;
  /** Called with each message; `event.data` is the text of a text frame. */
  onmessage: ((event: never) => void) | null;
  /** Called once the connection closed, with `event.code` and `event.reason`. */
  onclose: ((event: never) => void) | null;
  /** Called when the connection failed. */
  onerror: ((event: never) => void) | null;
  /**
   * Sends a text frame.
   * @param data - the text.
   */
  send(data: string): void;
  /**
   * Starts the closing handshake.
   * @param code - the close code.
   * @param reason - the close reason.
   */
  close(code?: number, reason?: string): void;
}

/**
 * A WebSocket class: called as `new WebSocket(url, protocols, { headers })`. The `ws` package's
 * class sends the headers (the API key goes in `xi-api-key`); a WHATWG `WebSocket` ignores the
 * third argument, so use it only with a server that needs no header.
 *
 * @example
 * ```ts
 * import { WebSocket } from 'ws';
 * const elevenlabs = createElevenLabs({ WebSocket });
 * ```
 */
export type WebSocketConstructor = new (
  url: string,
  protocols: string[],
  options: { headers: Record<string, string> },
) => WebSocketLike;

const OPEN = 1;
const noop = (): void => {};

/** What a socket's `onmessage` / `onclose` / `onerror` events carry. @internal */
export interface SocketEvent {
  data?: unknown;
  code?: number;
  reason?: string | { toString(): string };
  message?: string;
  error?: unknown;
}

/**
 * Removes this package's handlers from a socket, leaving no-ops so late events cannot throw.
 * @internal
 */
export function detachSocket(socket: WebSocketLike): void {
  socket.onopen = noop;
  socket.onmessage = noop;
  socket.onclose = noop;
  socket.onerror = noop;
}

/**
 * Closes a socket (normal closure) after detaching this package's handlers.
 * @internal
 */
export function closeSocket(socket: WebSocketLike, code = 1000): void {
  detachSocket(socket);
  if (socket.readyState < 2) {
    try {
      socket.close(code);
    } catch {
      // Closing a socket that never opened may throw in some implementations: it is gone anyway.
    }
  }
}

/**
 * Exponential backoff between connection attempts: 0 while healthy, then `initialDelayMs × 2ⁿ`
 * after n consecutive failures, capped at 8 × `initialDelayMs`.
 * @internal
 */
export class ReconnectBackoff {
  #failures = 0;
  constructor(private readonly initialDelayMs: number) {}
  /** Consecutive failures so far. */
  get failures(): number {
    return this.#failures;
  }
  /** The wait before the next attempt. */
  nextDelayMs(): number {
    if (this.#failures === 0) return 0;
    return this.initialDelayMs * 2 ** Math.min(3, this.#failures - 1);
  }
  recordFailure(): void {
    this.#failures++;
  }
  recordSuccess(): void {
    this.#failures = 0;
  }
}

/** Options of {@link connectWebSocket}. @internal */
export interface ConnectOptions {
  url: string;
  headers: Record<string, string>;
  WebSocket: WebSocketConstructor;
  scheduler: SchedulerLike;
  connectTimeoutMs: number;
  /** Attempts after the first for retryable failures. */
  maxReconnectAttempts: number;
  backoff: ReconnectBackoff;
}

/** Maps a failed connection attempt to a typed error. */
function connectError(event: SocketEvent | undefined, url: string): ProviderError {
  const text = event?.message ?? (event?.error instanceof Error ? event.error.message : '');
  const status = /Unexpected server response: (\d{3})/.exec(text);
  if (status) return errorFromHttpStatus(Number(status[1]), `the WebSocket upgrade was refused`);
  const host = new URL(url).host;
  return new NetworkError({
    provider: PROVIDER,
    message: `could not connect to ${host}${text ? `: ${text}` : ''}; check the network and the WebSocket base URL.`,
    cause: event?.error,
  });
}

/**
 * Opens a WebSocket with a connect timeout on the scheduler, retrying retryable failures
 * (network, 5xx, 429 — honouring its delay — and timeouts) with exponential backoff. Calls
 * `onOpen` with the open socket (its handlers are then the caller's) or `onFail` with a typed error.
 * @returns a function that cancels the attempt (closing any socket under way and clearing timers).
 * @internal
 */
export function connectWebSocket(
  options: ConnectOptions,
  onOpen: (socket: WebSocketLike) => void,
  onFail: (error: ProviderError) => void,
): () => void {
  const { scheduler } = options;
  let socket: WebSocketLike | undefined;
  let timer: Subscription | undefined;
  let attempt = 0;
  let done = false;

  const finish = (): void => {
    done = true;
    timer?.unsubscribe();
    timer = undefined;
  };

  const fail = (error: ProviderError): void => {
    if (socket) closeSocket(socket);
    socket = undefined;
    timer?.unsubscribe();
    timer = undefined;
    options.backoff.recordFailure();
    if (error.retryable && attempt < options.maxReconnectAttempts) {
      attempt++;
      const retryAfterMs = RateLimitError.isInstance(error) ? (error.retryAfterMs ?? 0) : 0;
      timer = scheduler.schedule(start, Math.max(retryAfterMs, options.backoff.nextDelayMs()));
      return;
    }
    finish();
    onFail(error);
  };

  function start(): void {
    timer = undefined;
    if (done) return;
    let created: WebSocketLike;
    try {
      created = new options.WebSocket(options.url, [], { headers: options.headers });
    } catch (cause) {
      fail(
        new NetworkError({
          provider: PROVIDER,
          message: `could not open a WebSocket to ${options.url}: ${String(cause)}`,
          cause,
        }),
      );
      return;
    }
    socket = created;
    let lastError: SocketEvent | undefined;
    created.onopen = () => {
      if (done || created.readyState !== OPEN) return;
      finish();
      detachSocket(created);
      socket = undefined;
      onOpen(created);
    };
    created.onerror = (event: SocketEvent) => {
      lastError = event;
    };
    created.onclose = (event: SocketEvent) => {
      if (done) return;
      const code = event.code ?? 1006;
      fail(
        code === 1006 || lastError
          ? connectError(lastError, options.url)
          : errorFromClose(code, String(event.reason ?? '')),
      );
    };
    timer = scheduler.schedule(() => {
      timer = undefined;
      fail(
        new TimeoutError({
          provider: PROVIDER,
          message: `the WebSocket did not open within ${options.connectTimeoutMs} ms; raise connectTimeoutMs or check the network.`,
        }),
      );
    }, options.connectTimeoutMs);
  }

  const initialDelayMs = options.backoff.nextDelayMs();
  if (initialDelayMs > 0) timer = scheduler.schedule(start, initialDelayMs);
  else start();
  return () => {
    if (done) return;
    finish();
    if (socket) closeSocket(socket);
    socket = undefined;
  };
}
