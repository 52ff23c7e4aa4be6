import type { SchedulerLike } from 'rxjs';

/**
 * Faults the test server injects, to test how an app copes with a misbehaving vendor. They apply
 * to every connection or request made while set; change them with
 * {@link ElevenLabsTestServer.setFaults}.
 *
 * @example
 * ```ts
 * server.setFaults({ firstChunkDelayMs: 800, disconnectAfterChunks: 3 });
 * ```
 */
export interface ElevenLabsTestServerFaults {
  /** Delay before the first audio message of each socket, context or HTTP response, in ms. */
  firstChunkDelayMs?: number;
  /** Delay before each later audio message, in ms. */
  chunkDelayMs?: number;
  /** Drop the connection (no close frame: the client sees 1006, or a reset HTTP body) after this many audio messages. */
  disconnectAfterChunks?: number;
  /** Send a malformed JSON message (or NDJSON line) after this many audio messages. */
  malformedJsonAfterChunks?: number;
  /**
   * Send an error body `{message, error, code}` and close with `closeCode` (default 1008) after
   * `afterChunks` audio messages (0: right after the first client message).
   */
  errorAfterChunks?: { afterChunks: number; error: string; message: string; closeCode?: number };
  /**
   * Multi-context: a `close_context` that arrives before the context sent any audio cancels its
   * pending audio and is answered at once with the final message — the race ElevenLabs' server has
   * when a close overtakes the start of synthesis (the utterance is lost, with no error).
   */
  earlyCloseDropsAudio?: boolean;
  /** Use the second spellings: `is_final`, `context_id`, `charsDurationsMs`. */
  alternateSpellings?: boolean;
  /** Close idle sockets after this long without a client message (overrides `inactivity_timeout`), in ms. */
  inputTimeoutMs?: number;
  /** Fail the next HTTP requests, one entry per request, with this status (and `retry-after` in seconds). */
  httpErrors?: { status: number; retryAfterSeconds?: number; body?: unknown }[];
  /** Refuse the next WebSocket upgrades, one entry per upgrade, with this HTTP status. */
  upgradeErrors?: { status: number }[];
  /** Delay every WebSocket upgrade by this long, in ms (to trip connect timeouts). */
  upgradeDelayMs?: number;
}

/**
 * Options of {@link createElevenLabsTestServer}.
 *
 * @example
 * ```ts
 * const server = await createElevenLabsTestServer({ apiKey: 'secret', msPerCharacter: 40 });
 * ```
 */
export interface ElevenLabsTestServerOptions {
  /** The API key the server requires (header `xi-api-key` or first-message `xi_api_key`); any key when unset. */
  apiKey?: string;
  /** Audio duration of each character in ms; defaults to 60. */
  msPerCharacter?: number;
  /** Characters per audio message; defaults to 8. */
  charactersPerChunk?: number;
  /** Base frequency of the synthesized buzz in Hz; defaults to 220. */
  toneHz?: number;
  /** The clock for injected delays and inactivity timeouts; defaults to the real-time scheduler. */
  scheduler?: SchedulerLike;
  /** Faults injected from the start. */
  faults?: ElevenLabsTestServerFaults;
}

/**
 * A WebSocket connection the test server accepted.
 *
 * @example
 * ```ts
 * expect(server.connections[0]?.query.output_format).toBe('ulaw_8000');
 * ```
 */
export interface ElevenLabsTestServerConnection {
  /** 1, 2, … in order of arrival. */
  id: number;
  /** The endpoint. */
  endpoint: 'stream-input' | 'multi-stream-input';
  /** The voice id from the path. */
  voiceId: string;
  /** The query parameters. */
  query: Record<string, string>;
  /** The `xi-api-key` upgrade header, when sent. */
  apiKeyHeader: string | undefined;
  /** Every upgrade header (names in lower case; repeated headers joined with `, `). */
  headers: Record<string, string>;
  /** Whether the socket is still open. */
  open: boolean;
  /** The close code, once closed (1006 when dropped without a close frame). */
  closeCode: number | undefined;
}

/**
 * A client message the test server received, parsed when it was JSON.
 *
 * @example
 * ```ts
 * const closes = server.messages.filter((entry) => entry.message.close_context === true);
 * ```
 */
export interface ElevenLabsTestServerMessage {
  /** The connection's id. */
  connection: number;
  /** The parsed message (or `{ raw }` for a non-JSON frame). */
  message: Record<string, unknown>;
  /** Receipt time on the server's scheduler, in ms. */
  at: number;
}

/**
 * An HTTP request the test server received.
 *
 * @example
 * ```ts
 * expect(server.requests[0]?.body.text).toBe('Hello.');
 * ```
 */
export interface ElevenLabsTestServerRequest {
  /** The path. */
  path: string;
  /** The query parameters. */
  query: Record<string, string>;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** The `xi-api-key` header, when sent. */
  apiKeyHeader: string | undefined;
  /** Every request header (names in lower case; repeated headers joined with `, `). */
  headers: Record<string, string>;
  /** The status the server answered. */
  status: number;
}

/**
 * A running test server. Point a provider at it with
 * `createElevenLabs({ apiKey, baseURL: server.httpBaseUrl, webSocketBaseURL: server.wsBaseUrl })`.
 *
 * @example
 * ```ts
 * const server = await createElevenLabsTestServer();
 * try {
 *   // …run the app against server.httpBaseUrl / server.wsBaseUrl…
 *   expect(server.openConnections).toBe(0);
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export interface ElevenLabsTestServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** HTTP base URL (same as {@link ElevenLabsTestServer.url}) for `baseURL`. */
  readonly httpBaseUrl: string;
  /** `ws://127.0.0.1:<port>` for `webSocketBaseURL`. */
  readonly wsBaseUrl: string;
  /** The port. */
  readonly port: number;
  /** WebSocket connections open now. */
  readonly openConnections: number;
  /**
   * TCP connections open now for plain HTTP (not WebSocket upgrades): a request in flight, or an
   * idle keep-alive connection (closed by the server after 300 ms idle).
   */
  readonly openHttpConnections: number;
  /** WebSocket connections accepted since start. */
  readonly totalConnections: number;
  /** HTTP requests answered since start. */
  readonly httpRequests: number;
  /** Every WebSocket connection accepted, in order. */
  readonly connections: readonly ElevenLabsTestServerConnection[];
  /** Every client WebSocket message received, in order. */
  readonly messages: readonly ElevenLabsTestServerMessage[];
  /** Every HTTP request received, in order. */
  readonly requests: readonly ElevenLabsTestServerRequest[];
  /**
   * Replaces the injected faults (for connections and requests made from now on; delays apply at once).
   * @param faults - the new faults; `{}` clears them.
   */
  setFaults(faults: ElevenLabsTestServerFaults): void;
  /** Closes every connection and stops the server. */
  close(): Promise<void>;
}
