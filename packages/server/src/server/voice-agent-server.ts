import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  createRealtimeScheduler,
  InvalidArgumentError,
  type WorkerHandle,
  type WorkerRegistry,
} from '@argentum/core';
import { type Observable, type SchedulerLike, Subject } from 'rxjs';
import { WebSocketServer } from 'ws';
import { systemWallClock, type WallClock } from '../clock/wall-clock';
import { ServerMetrics } from '../metrics/server-metrics';
import { verifyConversationToken } from '../security/conversation-token';
import { isOriginAllowed } from '../security/origin-policy';
import { redactUrl } from '../security/redact';
import { type ConnectionSettings, ConversationConnection } from './conversation-connection';
import type { ServerAgent } from './server-agent';
import type { RejectionReason, ServerEvent, ServerLogger } from './server-events';

/**
 * How a server announces itself in a {@link VoiceAgentServerOptions.registry}.
 *
 * @example
 * ```ts
 * const worker: ServerWorkerOptions = {
 *   id: `voice-${hostname()}-8080`,
 *   address: 'wss://voice-1.example.com',
 *   capabilities: ['lang:en', 'tts:elevenlabs'],
 *   capacity: 200,
 *   heartbeatIntervalMs: 3000,
 * };
 * ```
 */
export interface ServerWorkerOptions {
  /** The worker id, unique in the registry. Default: `voice-<host>-<port>` of the bound address. */
  id?: string;
  /** How clients (or a dispatcher's redirect) reach this server. Default: the `ws://` URL `listen` returns. */
  address?: string;
  /** Capability tags a dispatcher can require, e.g. `lang:de`, `tts:elevenlabs`. Default: none. */
  capabilities?: readonly string[];
  /** The load (live conversations) at which the server is full. Default: `maxConnections`. */
  capacity?: number;
  /** Time between heartbeats, ms; must be under the registry's TTL (a third of it is a good choice). Default: the TTL ÷ 3. */
  heartbeatIntervalMs?: number;
  /** Other string fields to announce (region, version). */
  metadata?: Record<string, string>;
}

/** Options of {@link createVoiceAgentServer}. */
export interface VoiceAgentServerOptions {
  /** The agents, by `agent_id`. */
  agents: Readonly<Record<string, ServerAgent>>;
  /**
   * Signed-URL auth. With a secret, a client needs a token from {@link mintConversationToken} /
   * {@link createSignedUrl} for its agent (as `conversation_signature` or the `bearer.` subprotocol),
   * unless the agent is `public`. Without one, every agent is public.
   */
  auth?: { secret: string };
  /** Browser origins allowed to connect (`'*'` for any). Default: any. */
  allowedOrigins?: readonly string[];
  /** Refuse clients that send no `Origin` header (non-browser clients). Default `false`. */
  requireOrigin?: boolean;
  /** The conversation path. Default `/v1/convai/conversation`. */
  path?: string;
  /** Largest accepted WebSocket message, in bytes. Default 1 MiB. */
  maxPayloadBytes?: number;
  /** Longest text field, in characters. Default 16 384. */
  maxTextLength?: number;
  /** Per-connection message rate: sustained per second and burst. Default 100/s, burst 200. */
  rateLimit?: { messagesPerSecond?: number; burst?: number };
  /** Invalid or rate-limited messages tolerated per connection before a 1008 close. Default 20. */
  maxBadMessages?: number;
  /** Close a connection after this long without any client message (code 1002). Default 60 000. */
  idleTimeoutMs?: number;
  /** Close a connection that sends no `conversation_initiation_client_data` within this long (1008). Default 5000. */
  initiationTimeoutMs?: number;
  /** How often to ping each client. Default 5000. */
  pingIntervalMs?: number;
  /**
   * An upgrade request header whose value becomes the conversation's correlation id (on its spans
   * and as `x-correlation-id` on every provider call), so a request id set by your gateway or load
   * balancer follows the conversation — for example `'x-correlation-id'` or `'x-request-id'`. Off
   * by default: any non-browser client can send such a header, so turn it on only behind a proxy
   * that sets or strips it. A value that is not 1–128 characters of letters, digits, `.`, `_`, `:`
   * or `-` (or a repeated header) is ignored; without one the conversation id (`conv_…`) is used.
   */
  correlationIdHeader?: string;
  /** The send-buffer limit per connection, in bytes (see the drop policy in the guide). Default 1 MiB. */
  maxBufferedBytes?: number;
  /** Close a client that stays over `maxBufferedBytes` this long (1008). Default 10 000. */
  slowClientTimeoutMs?: number;
  /** The most concurrent conversations. Default 10 000. */
  maxConnections?: number;
  /** Serve Prometheus metrics at this path (e.g. `/metrics`) of the HTTP server. Default: off. */
  metricsPath?: string;
  /** Other HTTP requests (e.g. a static page, a signed-URL endpoint); return `true` when handled. */
  httpHandler?: (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;
  /** Where log lines go. Default: nowhere. */
  logger?: ServerLogger;
  /**
   * The clock for pings, timeouts and sessions. Default: a real-time scheduler that also records how
   * late each delayed action starts in `argentum_timer_lateness_seconds`. Work that repeats (pings,
   * paced audio) reschedules its own action (`this.schedule(…)` in the work, as RxJS's schedulers
   * allow), so a wrapper's `schedule` sees only the first run of each. A real-time scheduler
   * (`createRealtimeScheduler` from `@argentum/core`) also runs the work that fell due while an
   * incoming message was handled right after it (`runDue`), instead of after the event loop's whole
   * turn of socket reads; with another `SchedulerLike`, timed work waits for its timers.
   */
  scheduler?: SchedulerLike;
  /** The wall clock for token expiry. Default: the system clock. */
  wallClock?: WallClock;
  /**
   * A worker registry (`InMemoryWorkerRegistry` or `RedisWorkerRegistry` from `@argentum/registry`)
   * to announce this server in: `listen` registers it with keep-alive heartbeats reporting the
   * live conversation count as its load, and `close` removes the registration before draining,
   * so a dispatcher stops sending it new conversations at once. Default: none.
   */
  registry?: WorkerRegistry;
  /** How the server announces itself in `registry` (id, address, capabilities, capacity, heartbeat). */
  worker?: ServerWorkerOptions;
}

/** Options of {@link VoiceAgentServer.close}. */
export interface CloseOptions {
  /** How long conversations may take to finish their current reply. Default 10 000. */
  drainTimeoutMs?: number;
}

/**
 * A running voice-agent server. Create it with {@link createVoiceAgentServer}.
 *
 * @example
 * ```ts
 * const server = createVoiceAgentServer({ agents: { support } });
 * const { url } = await server.listen(8080);
 * // …
 * await server.close({ drainTimeoutMs: 5000 });
 * ```
 */
export interface VoiceAgentServer {
  /** What the server reports (hot; completes after `close`). */
  readonly events: Observable<ServerEvent>;
  /** Prometheus metrics of this server. */
  readonly metrics: ServerMetrics;
  /** The number of open conversations. */
  readonly connectionCount: number;
  /** The Node HTTP server underneath (to attach to your own routing, TLS proxy, …). */
  readonly httpServer: Server;
  /** The id the server registered under in its `registry` (`undefined` before `listen`, or without a registry). */
  readonly workerId: string | undefined;
  /**
   * Starts listening and, with a `registry`, registers the server (the promise settles once it is
   * registered; a failed registration stops the listener and rejects).
   * @param port - the port (0 picks a free one). Default 0.
   * @param host - the interface. Default `127.0.0.1`.
   * @returns the bound address and the `ws://` origin to give clients.
   */
  listen(port?: number, host?: string): Promise<{ port: number; host: string; url: string }>;
  /**
   * Graceful shutdown: removes the server's registry entry (so no new conversations are dispatched
   * to it), stops accepting conversations (503), lets each finish its current reply (up to
   * `drainTimeoutMs`), closes them with 1001, then stops listening.
   * @param options - the drain timeout.
   */
  close(options?: CloseOptions): Promise<void>;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved <= 0) {
    throw new InvalidArgumentError(name, `expected a positive number, got ${String(value)}.`);
  }
  return resolved;
}

/** The longest delay a Node timer honours (≈ 24.8 days); longer ones fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** {@link positive}, for a duration a timer waits: at most {@link MAX_TIMER_MS}. */
function duration(name: string, value: number | undefined, fallback: number): number {
  const resolved = positive(name, value, fallback);
  if (resolved > MAX_TIMER_MS) {
    throw new InvalidArgumentError(
      name,
      `expected at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest timer Node honours), got ${resolved}.`,
    );
  }
  return resolved;
}

/** An HTTP header name (RFC 9110 token characters). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An adoptable correlation id: short, and safe in logs, span attributes and HTTP headers. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

/**
 * Creates a WebSocket server that speaks the ElevenLabs Agents (Conversational AI) protocol, so the
 * official clients (`@elevenlabs/client`, the React and mobile SDKs, the widget) talk to your own
 * agents unchanged: point them at it with `origin` or a signed URL. One `VoiceAgentSession`
 * per connection. Security at the upgrade: path, agent id, signed-URL token (HMAC, expiry, agent),
 * origin allowlist, connection cap; per connection: `maxPayload`, a message-rate limit, an idle
 * timeout, typed `error` events for bad messages and a 1008 close for repeated abuse. Tokens never
 * appear in events or logs.
 *
 * @param options - agents, security and limits.
 * @returns the server (not yet listening).
 * @throws `InvalidArgumentError` for bad options (no agents, a short secret, non-positive limits).
 * @example
 * ```ts
 * import { createEchoAgent } from '@argentum/core';
 * import { createVoiceAgentServer, defineAgent } from '@argentum/server';
 *
 * const server = createVoiceAgentServer({
 *   agents: { echo: defineAgent({ agents: createEchoAgent(), stt, tts }) },
 *   auth: { secret: process.env.ARGENTUM_SECRET! },
 *   allowedOrigins: ['https://app.example.com'],
 *   metricsPath: '/metrics',
 * });
 * const { url } = await server.listen(8080, '0.0.0.0');
 * ```
 */
export function createVoiceAgentServer(options: VoiceAgentServerOptions): VoiceAgentServer {
  const agentIds = Object.keys(options.agents ?? {});
  if (agentIds.length === 0)
    throw new InvalidArgumentError('agents', 'expected at least one agent, keyed by agent_id.');
  if (options.auth !== undefined) verifyConversationToken('', { secret: options.auth.secret, agentId: '' });
  const metrics = new ServerMetrics();
  // The default scheduler also records how late each delayed action starts (`argentum_timer_lateness_seconds`).
  const scheduler =
    options.scheduler ??
    createRealtimeScheduler({
      onRun: (lateMs, delayMs) => {
        if (delayMs > 0) metrics.observeTimerLateness(lateMs);
      },
    });
  const wallClock = options.wallClock ?? systemWallClock;
  const path = options.path ?? '/v1/convai/conversation';
  const settings: ConnectionSettings = {
    scheduler,
    maxTextLength: positive('maxTextLength', options.maxTextLength, 16_384),
    maxAudioBase64Length: positive('maxPayloadBytes', options.maxPayloadBytes, 1 << 20),
    messagesPerSecond: positive('rateLimit.messagesPerSecond', options.rateLimit?.messagesPerSecond, 100),
    messageBurst: positive('rateLimit.burst', options.rateLimit?.burst, 200),
    maxBadMessages: positive('maxBadMessages', options.maxBadMessages, 20),
    idleTimeoutMs: duration('idleTimeoutMs', options.idleTimeoutMs, 60_000),
    initiationTimeoutMs: duration('initiationTimeoutMs', options.initiationTimeoutMs, 5000),
    pingIntervalMs: duration('pingIntervalMs', options.pingIntervalMs, 5000),
    maxBufferedBytes: positive('maxBufferedBytes', options.maxBufferedBytes, 1 << 20),
    slowClientTimeoutMs: duration('slowClientTimeoutMs', options.slowClientTimeoutMs, 10_000),
  };
  const maxConnections = positive('maxConnections', options.maxConnections, 10_000);
  const registry = options.registry;
  const worker = options.worker ?? {};
  const heartbeatIntervalMs =
    registry === undefined
      ? 0
      : duration('worker.heartbeatIntervalMs', worker.heartbeatIntervalMs, registry.ttlMs / 3);
  if (registry !== undefined && heartbeatIntervalMs >= registry.ttlMs) {
    throw new InvalidArgumentError(
      'worker.heartbeatIntervalMs',
      `expected less than the registry's TTL (${registry.ttlMs} ms), got ${heartbeatIntervalMs}; a third of the TTL leaves room for two missed heartbeats.`,
    );
  }
  const capacity = positive('worker.capacity', worker.capacity, maxConnections);
  let registration: WorkerHandle | undefined;
  const logger = options.logger;
  const subject = new Subject<ServerEvent>();
  const connections = new Set<ConversationConnection>();
  let closing = false;
  let conversations = 0;

  const report = (event: ServerEvent): void => {
    metrics.observe(event);
    if (logger !== undefined) log(logger, event);
    subject.next(event);
  };

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: settings.maxAudioBase64Length + 4096,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('convai') ? 'convai' : false),
  });

  const reject = (
    socket: Duplex,
    status: number,
    reason: RejectionReason,
    detail: string,
    url: string,
    origin?: string,
  ) => {
    report({
      type: 'connection-rejected',
      reason,
      detail,
      url: redactUrl(url),
      ...(origin === undefined ? {} : { origin }),
      at: scheduler.now(),
    });
    const body = `${detail}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const rawUrl = request.url ?? '/';
    const origin = typeof request.headers.origin === 'string' ? request.headers.origin : undefined;
    let url: URL;
    try {
      url = new URL(rawUrl, 'http://localhost');
    } catch {
      reject(socket, 404, 'not-found', 'malformed request URL', '/');
      return;
    }
    if (url.pathname !== path) {
      reject(socket, 404, 'not-found', `no conversation endpoint at ${url.pathname}`, rawUrl, origin);
      return;
    }
    if (closing) {
      reject(socket, 503, 'shutting-down', 'the server is shutting down', rawUrl, origin);
      return;
    }
    if (connections.size >= maxConnections) {
      reject(socket, 503, 'too-many-connections', 'the server is at its connection limit', rawUrl, origin);
      return;
    }
    if (!isOriginAllowed(origin, options.allowedOrigins, options.requireOrigin ?? false)) {
      reject(socket, 403, 'forbidden-origin', 'this origin may not connect', rawUrl, origin);
      return;
    }
    const agentId = url.searchParams.get('agent_id') ?? '';
    const agent = Object.hasOwn(options.agents, agentId) ? options.agents[agentId] : undefined;
    if (agent === undefined) {
      reject(socket, 404, 'unknown-agent', 'unknown agent_id', rawUrl, origin);
      return;
    }
    if (options.auth !== undefined && agent.public !== true) {
      const protocols = String(request.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((entry) => entry.trim());
      const bearer = protocols.find((entry) => entry.startsWith('bearer.'))?.slice('bearer.'.length);
      const token = url.searchParams.get('conversation_signature') ?? url.searchParams.get('token') ?? bearer;
      if (token === undefined || token === null || token === '') {
        reject(
          socket,
          401,
          'unauthorized',
          'a signed URL (conversation_signature) is required',
          rawUrl,
          origin,
        );
        return;
      }
      const verdict = verifyConversationToken(token, { secret: options.auth.secret, agentId, wallClock });
      if (!verdict.ok) {
        reject(socket, 401, 'unauthorized', `token refused: ${verdict.reason}`, rawUrl, origin);
        return;
      }
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      const conversationId = `conv_${(++conversations).toString(36)}${randomBytes(6).toString('hex')}`;
      const connection = new ConversationConnection({
        socket: webSocket,
        conversationId,
        correlationId: adoptedCorrelationId(request) ?? conversationId,
        agentId,
        agent,
        settings,
        report,
        watched: () => subject.observed,
        onClosed: (closed) => {
          connections.delete(closed);
          metrics.setActive(connections.size);
        },
      });
      connections.add(connection);
      metrics.setActive(connections.size);
    });
  };

  const correlationHeader = options.correlationIdHeader?.toLowerCase();
  if (correlationHeader !== undefined && !HEADER_NAME.test(correlationHeader)) {
    throw new InvalidArgumentError(
      'correlationIdHeader',
      `expected an HTTP header name such as 'x-correlation-id', got ${JSON.stringify(options.correlationIdHeader)}.`,
    );
  }
  /** The upgrade's correlation id, when adoption is on and the value is valid (a repeated header arrives joined by ", " and is refused). */
  const adoptedCorrelationId = (request: IncomingMessage): string | undefined => {
    if (correlationHeader === undefined) return undefined;
    const value = request.headers[correlationHeader];
    return typeof value === 'string' && CORRELATION_ID.test(value) ? value : undefined;
  };

  const onRequest = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (options.metricsPath !== undefined && pathname === options.metricsPath && request.method === 'GET') {
        const text = await metrics.registry.metrics();
        response.writeHead(200, { 'Content-Type': metrics.registry.contentType });
        response.end(text);
        return;
      }
      if (pathname === '/health') {
        response.writeHead(closing ? 503 : 200, { 'Content-Type': 'application/json' });
        response.end(
          JSON.stringify({ status: closing ? 'draining' : 'ok', conversations: connections.size }),
        );
        return;
      }
      if (options.httpHandler !== undefined && (await options.httpHandler(request, response))) return;
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found\n');
    } catch {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end('internal error\n');
    }
  };

  const httpServer = createServer((request, response) => {
    void onRequest(request, response);
  });
  httpServer.on('upgrade', onUpgrade);

  const register = async (url: string, host: string, port: number): Promise<void> => {
    if (registry === undefined || closing) return;
    const id = worker.id ?? `voice-${host}-${port}`;
    const address = worker.address ?? url;
    registration = await registry.register(
      {
        id,
        address,
        capabilities: worker.capabilities ?? [],
        load: connections.size,
        capacity,
        ...(worker.metadata === undefined ? {} : { metadata: worker.metadata }),
      },
      { keepAlive: { intervalMs: heartbeatIntervalMs, load: () => connections.size } },
    );
    report({ type: 'worker-registered', workerId: id, address, at: scheduler.now() });
    // `close()` ran while registering: leave at once.
    if (closing) await deregister();
  };

  const deregister = async (): Promise<void> => {
    const handle = registration;
    if (handle === undefined) return;
    registration = undefined;
    try {
      await handle.close();
      report({ type: 'worker-deregistered', workerId: handle.id, at: scheduler.now() });
    } catch (error) {
      report({
        type: 'worker-deregistered',
        workerId: handle.id,
        error: error instanceof Error ? error.message : String(error),
        at: scheduler.now(),
      });
    }
  };

  return {
    events: subject.asObservable(),
    metrics,
    httpServer,
    get connectionCount() {
      return connections.size;
    },
    get workerId() {
      return registration?.id;
    },
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          const url = `ws://${shownHost}:${address.port}`;
          report({ type: 'listening', url, at: scheduler.now() });
          register(url, address.address, address.port).then(
            () => resolve({ port: address.port, host: address.address, url }),
            (error: unknown) => {
              httpServer.close();
              reject(error);
            },
          );
        });
      });
    },
    async close(closeOptions = {}) {
      if (closing) return;
      closing = true;
      // Leave the registry first: dispatchers stop choosing this server before it drains.
      await deregister();
      report({ type: 'shutdown', phase: 'draining', at: scheduler.now() });
      const drainTimeoutMs = closeOptions.drainTimeoutMs ?? 10_000;
      await Promise.all([...connections].map((connection) => connection.drain(drainTimeoutMs)));
      sockets.close();
      await new Promise<void>((resolve) => {
        if (!httpServer.listening) {
          resolve();
          return;
        }
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      report({ type: 'shutdown', phase: 'closed', at: scheduler.now() });
      subject.complete();
    },
  };
}

function log(logger: ServerLogger, event: ServerEvent): void {
  switch (event.type) {
    case 'listening':
      logger.info('listening', { url: event.url });
      return;
    case 'connection-rejected':
      logger.warn('connection rejected', {
        reason: event.reason,
        detail: event.detail,
        url: event.url,
        origin: event.origin,
      });
      return;
    case 'conversation-start':
      logger.info('conversation started', {
        conversationId: event.conversationId,
        correlationId: event.correlationId,
        agentId: event.agentId,
      });
      return;
    case 'conversation-end':
      logger.info('conversation ended', {
        conversationId: event.conversationId,
        agentId: event.agentId,
        code: event.code,
        reason: event.reason,
      });
      return;
    case 'protocol-error':
      logger.warn('protocol error', {
        conversationId: event.conversationId,
        errorType: event.errorType,
        message: event.message,
      });
      return;
    case 'session-event':
      if (event.event.type === 'error') {
        const error = event.event.error;
        logger.error('session stage failed', {
          conversationId: event.conversationId,
          stage: event.event.stage,
          code: typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined,
        });
      }
      return;
    case 'shutdown':
      logger.info(`shutdown ${event.phase}`);
      return;
    case 'worker-registered':
      logger.info('registered in the worker registry', { workerId: event.workerId, address: event.address });
      return;
    case 'worker-deregistered':
      if (event.error === undefined) logger.info('left the worker registry', { workerId: event.workerId });
      else
        logger.error('could not leave the worker registry', { workerId: event.workerId, error: event.error });
      return;
    default:
      return;
  }
}
