import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { realtimeScheduler } from '@argentum/core';
import type { Subscription } from 'rxjs';
import { WebSocketServer } from 'ws';
import { flattenHeaders } from './flatten-headers';
import { handleHttpRequest } from './test-server-http';
import { SocketSession, type SocketSessionContext } from './test-server-socket';
import type {
  ElevenLabsTestServer,
  ElevenLabsTestServerConnection,
  ElevenLabsTestServerFaults,
  ElevenLabsTestServerMessage,
  ElevenLabsTestServerOptions,
  ElevenLabsTestServerRequest,
} from './test-server-types';

const SOCKET_PATH = /^\/v1\/text-to-speech\/([^/]+)\/(stream-input|multi-stream-input)$/;

/**
 * Starts a local server on 127.0.0.1 (random port) that speaks ElevenLabs' TTS protocols as
 * documented: the stream-input WebSocket, the multi-context WebSocket (at most 5 contexts; more →
 * `max_active_conversations` and close 1008; a keepalive before a context's settings makes its
 * settings fail later) and HTTP streaming with timestamps (NDJSON) — so tests, the official SDK and
 * this package's provider run with no network and no API key.
 *
 * Speech is a deterministic buzz, `msPerCharacter` per character (silence for whitespace), so
 * alignment is exact: the audio of `n` characters lasts `n × msPerCharacter` ms. Without
 * `flush`, text is generated once the buffer reaches the `chunk_length_schedule` (default
 * `[120, 160, 250, 290]` characters); `{"text":""}` generates the rest, sends the final message and
 * closes with 1000. Faults (latency, drops, malformed JSON, error bodies, HTTP 429/500, refused
 * upgrades, input timeouts, second spellings) are injected with {@link ElevenLabsTestServerFaults}.
 *
 * @param options - required API key, timing of the synthesized audio, scheduler, initial faults.
 * @returns the running server; call `close()` when done.
 * @example
 * ```ts
 * import { createElevenLabs } from '@argentum/elevenlabs';
 * import { createElevenLabsTestServer } from '@argentum/elevenlabs/testing';
 *
 * const server = await createElevenLabsTestServer({ faults: { firstChunkDelayMs: 300 } });
 * const tts = createElevenLabs({
 *   apiKey: 'test',
 *   baseURL: server.httpBaseUrl,
 *   webSocketBaseURL: server.wsBaseUrl,
 * }).tts();
 * tts.synthesize({ text: 'Hello world.' }).subscribe({ complete: () => server.close() });
 * ```
 */
export async function createElevenLabsTestServer(
  options: ElevenLabsTestServerOptions = {},
): Promise<ElevenLabsTestServer> {
  let faults: ElevenLabsTestServerFaults = cloneFaults(options.faults ?? {});
  const connections: ElevenLabsTestServerConnection[] = [];
  const messages: ElevenLabsTestServerMessage[] = [];
  const requests: ElevenLabsTestServerRequest[] = [];
  const pendingUpgrades = new Set<Subscription>();
  const upgradeSockets = new Set<Duplex>();
  /** TCP connections serving plain HTTP (not upgraded to a WebSocket). */
  const httpSockets = new Set<Duplex>();
  let openConnections = 0;
  const context: SocketSessionContext = {
    scheduler: options.scheduler ?? realtimeScheduler,
    faults: () => faults,
    apiKey: options.apiKey,
    msPerCharacter: options.msPerCharacter ?? 60,
    charactersPerChunk: options.charactersPerChunk ?? 8,
    toneHz: options.toneHz ?? 220,
    log: (entry) => messages.push(entry),
  };

  // Idle connections (kept alive, or opened spare by fetch pools) are closed after 300 ms, so tests
  // can check that no sockets are left behind.
  const http = createServer(
    { connectionsCheckingInterval: 50, headersTimeout: 300, requestTimeout: 60_000, keepAliveTimeout: 300 },
    (request, response) => handleHttpRequest(request, response, context, (entry) => requests.push(entry)),
  );
  const sockets = new WebSocketServer({ noServer: true });

  const accept = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const match = SOCKET_PATH.exec(url.pathname);
    const refusal = faults.upgradeErrors?.shift();
    if (!match || refusal) {
      const status = refusal?.status ?? 404;
      socket.end(`HTTP/1.1 ${status} Refused\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      const header = request.headers['xi-api-key'];
      const info: ElevenLabsTestServerConnection = {
        id: connections.length + 1,
        endpoint: match[2] as ElevenLabsTestServerConnection['endpoint'],
        voiceId: decodeURIComponent(match[1]!),
        query: Object.fromEntries(url.searchParams),
        apiKeyHeader: typeof header === 'string' ? header : undefined,
        headers: flattenHeaders(request.headers),
        open: true,
        closeCode: undefined,
      };
      connections.push(info);
      openConnections++;
      webSocket.on('close', () => openConnections--);
      new SocketSession(webSocket, info, context);
    });
  };

  http.on('connection', (socket: Duplex) => {
    httpSockets.add(socket);
    socket.on('close', () => httpSockets.delete(socket));
  });
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    httpSockets.delete(socket);
    socket.on('error', () => {});
    upgradeSockets.add(socket);
    socket.on('close', () => upgradeSockets.delete(socket));
    const delayMs = faults.upgradeDelayMs ?? 0;
    if (delayMs <= 0) {
      accept(request, socket, head);
      return;
    }
    const timer = context.scheduler.schedule(() => {
      pendingUpgrades.delete(timer);
      if (!socket.destroyed) accept(request, socket, head);
    }, delayMs);
    pendingUpgrades.add(timer);
    socket.on('close', () => {
      timer.unsubscribe();
      pendingUpgrades.delete(timer);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    httpBaseUrl: url,
    wsBaseUrl: `ws://127.0.0.1:${port}`,
    port,
    get openConnections() {
      return openConnections;
    },
    get openHttpConnections() {
      return httpSockets.size;
    },
    get totalConnections() {
      return connections.length;
    },
    get httpRequests() {
      return requests.length;
    },
    connections,
    messages,
    requests,
    setFaults(next) {
      faults = cloneFaults(next);
    },
    close: async () => {
      for (const timer of pendingUpgrades) timer.unsubscribe();
      pendingUpgrades.clear();
      for (const client of sockets.clients) client.terminate();
      for (const socket of upgradeSockets) socket.destroy();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function cloneFaults(faults: ElevenLabsTestServerFaults): ElevenLabsTestServerFaults {
  return {
    ...faults,
    httpErrors: faults.httpErrors ? [...faults.httpErrors] : undefined,
    upgradeErrors: faults.upgradeErrors ? [...faults.upgradeErrors] : undefined,
  };
}
