import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { realtimeScheduler } from '@argentum/core';
import type { SchedulerLike } from 'rxjs';
import {
  chatCompletionEvents,
  chatCompletionObject,
  resolveCompletion,
  splitWords,
  sseEvent,
} from './chat-completion-chunks';
import { generateTestAudio } from './generate-test-audio';
import { parseMultipart } from './parse-multipart';
import { DISCONNECTED_BY_SCRIPT, playChunks } from './play-chunks';
import type {
  ChatScript,
  EndpointScript,
  HttpErrorScript,
  OpenAITestServerScript,
  RecordedRequest,
  ScriptedErrorBody,
  SpeechResponseScript,
  StreamFaults,
  TranscriptionResponseScript,
} from './test-server-script';

/**
 * Options of {@link createOpenAITestServer}.
 *
 * @example
 * ```ts
 * const server = await createOpenAITestServer({ apiKey: 'test-key', script: { chat: 'Hi!' } });
 * ```
 */
export interface OpenAITestServerOptions {
  /** What each endpoint answers; replace it later with `setScript`. Defaults answer every endpoint. */
  script?: OpenAITestServerScript;
  /** When set, requests without `Authorization: Bearer <apiKey>` get HTTP 401. */
  apiKey?: string;
  /** The clock of scripted delays; defaults to core's real-time scheduler. */
  scheduler?: SchedulerLike;
}

/**
 * A local server that speaks OpenAI's HTTP protocol (chat completions with SSE, speech as
 * chunked PCM, multipart transcriptions with JSON or SSE answers), for tests with no network.
 *
 * @example
 * ```ts
 * const server: OpenAITestServer = await createOpenAITestServer();
 * const openai = createOpenAI({ baseURL: server.baseURL, apiKey: 'test' });
 * // … exercise your app …
 * expect(await server.waitForOutcome(0)).toBe('completed');
 * await server.close();
 * ```
 */
export interface OpenAITestServer {
  /** The server's origin, e.g. `http://127.0.0.1:53117`. */
  readonly url: string;
  /** The base URL to give the SDK or `createOpenAI({ baseURL })`: `url + '/v1'`. */
  readonly baseURL: string;
  /** Every request received so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** How many TCP connections were accepted so far. */
  readonly connectionCount: number;
  /** How many TCP connections are open now. */
  readonly openConnections: number;
  /** How many responses were cut short because the client closed the connection (aborted requests). */
  readonly abortedResponses: number;
  /**
   * Replaces the script for the requests that arrive from now on (lists start again from their
   * first entry).
   * @param script - the new script.
   */
  setScript(script: OpenAITestServerScript): void;
  /**
   * Resolves once `count` requests (all endpoints) have been received.
   * @param count - the number of requests to wait for.
   */
  waitForRequests(count: number): Promise<void>;
  /**
   * Closes the connections that carry no request right now: keep-alive connections the client
   * holds between requests, and the spare connection Node's `fetch` opens after an aborted
   * request. Call it before asserting that a test left no sockets behind.
   */
  closeIdleConnections(): void;
  /**
   * Resolves with how a request's response ended (`completed`, `client-closed` when the client
   * aborted it, `server-disconnected` by a scripted fault), once it has.
   * @param index - the request's position in {@link OpenAITestServer.requests}, from 0.
   */
  waitForOutcome(index: number): Promise<Exclude<RecordedRequest['outcome'], 'pending'>>;
  /** Resolves once no connection is open (at once if none is). */
  waitForConnectionsClosed(): Promise<void>;
  /** Destroys open connections, cancels scripted delays and stops listening. */
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

function pick<T>(
  script: EndpointScript<T> | undefined,
  request: RecordedRequest,
  position: number,
  fallback: T,
): T {
  if (script === undefined) return fallback;
  if (typeof script === 'function') return (script as (request: RecordedRequest) => T)(request);
  if (Array.isArray(script)) {
    const list = script as readonly T[];
    return list[Math.min(position, list.length - 1)] ?? fallback;
  }
  return script as T;
}

function isHttpError(script: unknown): script is HttpErrorScript {
  return (
    typeof script === 'object' && script !== null && (script as { type?: unknown }).type === 'http-error'
  );
}

function defaultErrorBody(status: number): ScriptedErrorBody {
  if (status === 401)
    return { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 429)
    return { message: 'Rate limit reached for requests.', type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500)
    return {
      message: 'The server had an error while processing your request.',
      type: 'server_error',
      code: null,
    };
  return { message: `Request failed with status ${status}.`, type: 'invalid_request_error', code: null };
}

function errorJson(error: ScriptedErrorBody): string {
  return JSON.stringify({ error: { type: 'invalid_request_error', param: null, code: null, ...error } });
}

/** SSE chunk list with the SSE-only faults (malformed JSON, error payload) applied. */
function withSseFaults(events: string[], faults: StreamFaults): string[] {
  if (faults.malformedJsonAfterChunks !== undefined) {
    return [...events.slice(0, faults.malformedJsonAfterChunks), 'data: {"id":"broken","choices":[{\n\n'];
  }
  if (faults.errorAfterChunks !== undefined) {
    const error = faults.errorPayload ?? defaultErrorBody(500);
    return [
      ...events.slice(0, faults.errorAfterChunks),
      sseEvent({ error: { param: null, code: null, ...error } }),
    ];
  }
  return events;
}

function lowerCaseHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Starts a local OpenAI-compatible test server on 127.0.0.1 at a random port. Point the official
 * SDK (or `createOpenAI({ baseURL: server.baseURL, apiKey: 'test' })`) at it: chat completions
 * stream as SSE `data:` lines ending with `data: [DONE]` and the end of the response; speech
 * streams raw 24 kHz PCM16 (a generated tone or sweep, or audio you supply) in chunks;
 * transcriptions accept the multipart upload and answer `{"text": …}`, or SSE
 * `transcript.text.delta` / `transcript.text.done` events with `stream=true`. Scripts inject
 * latency, mid-stream disconnects, HTTP errors (429 with `retry-after`, 500), malformed JSON
 * and in-stream error payloads. Every request is recorded, connections are counted.
 *
 * @param options - script, required API key, and the clock of scripted delays.
 * @returns the running server; `close()` it after the test.
 * @example
 * ```ts
 * import { createOpenAI } from '@argentum/openai';
 * import { createOpenAITestServer } from '@argentum/openai/testing';
 *
 * const server = await createOpenAITestServer({
 *   script: { chat: ['Hello there!', { type: 'http-error', status: 429, retryAfterSeconds: 1 }] },
 * });
 * const openai = createOpenAI({ baseURL: server.baseURL, apiKey: 'test-key' });
 * // … run your app against openai.languageModel('gpt-4o-mini') …
 * console.log(server.requests[0]?.body?.messages);
 * await server.close();
 * ```
 */
export async function createOpenAITestServer(
  options: OpenAITestServerOptions = {},
): Promise<OpenAITestServer> {
  const scheduler = options.scheduler ?? realtimeScheduler;
  let script: OpenAITestServerScript = options.script ?? {};
  const requests: RecordedRequest[] = [];
  const perEndpoint = { chat: 0, speech: 0, transcription: 0, unknown: 0 };
  /** Per-endpoint request counts when the current script was set: lists are answered from there. */
  let scriptStart = { ...perEndpoint };
  const position = (request: RecordedRequest): number => request.index - scriptStart[request.endpoint];
  const sockets = new Set<Socket>();
  const busy = new Set<Socket>();
  let connectionCount = 0;
  let abortedResponses = 0;
  let listeners: (() => void)[] = [];
  const notify = (): void => {
    const current = listeners;
    listeners = [];
    for (const listener of current) listener();
  };
  const waitFor = (condition: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (condition()) resolve();
        else listeners.push(check);
      };
      check();
    });

  const sendError = (response: ServerResponse, error: HttpErrorScript): void => {
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
    if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
    const body = errorJson(error.error ?? defaultErrorBody(error.status));
    playChunks(
      response,
      error.status,
      headers,
      [body],
      { responseDelayMs: error.responseDelayMs },
      scheduler,
    );
  };
  const badRequest = (response: ServerResponse, message: string, param: string | null = null): void =>
    sendError(response, {
      type: 'http-error',
      status: 400,
      error: { message, type: 'invalid_request_error', param },
    });

  const handleChat = (request: RecordedRequest, response: ServerResponse): void => {
    const body = request.body;
    if (body === undefined || !Array.isArray(body.messages) || typeof body.model !== 'string') {
      badRequest(response, 'A chat completion needs `model` and `messages`.', 'messages');
      return;
    }
    const answer = pick<ChatScript>(script.chat, request, position(request), {});
    if (isHttpError(answer)) {
      sendError(response, answer);
      return;
    }
    const completionScript = typeof answer === 'string' ? { text: answer } : answer;
    const completion = resolveCompletion(completionScript, request);
    const faults = completionScript.faults ?? {};
    if (body.stream !== true) {
      playChunks(
        response,
        200,
        JSON_HEADERS,
        [JSON.stringify(chatCompletionObject(completion))],
        faults,
        scheduler,
      );
      return;
    }
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const events = withSseFaults(chatCompletionEvents(completion, includeUsage), faults);
    playChunks(response, 200, SSE_HEADERS, events, faults, scheduler);
  };

  const handleSpeech = (request: RecordedRequest, response: ServerResponse): void => {
    const body = request.body;
    const input = body?.input;
    if (typeof input !== 'string' || input === '') {
      badRequest(response, '`input` must be a non-empty string.', 'input');
      return;
    }
    if (typeof body?.model !== 'string') {
      badRequest(response, '`model` is required.', 'model');
      return;
    }
    if (body.voice === undefined) {
      badRequest(response, '`voice` is required.', 'voice');
      return;
    }
    if (body.response_format !== 'pcm') {
      badRequest(response, 'This test server only produces `response_format: "pcm"`.', 'response_format');
      return;
    }
    const answer = pick<SpeechResponseScript>(script.speech, request, position(request), {});
    if (isHttpError(answer)) {
      sendError(response, answer);
      return;
    }
    const speed = typeof body.speed === 'number' && body.speed > 0 ? body.speed : 1;
    const audio =
      answer.audio ??
      generateTestAudio({
        durationMs: answer.durationMs ?? (input.length * 70) / speed,
        waveform: answer.waveform ?? 'tone',
      });
    const bytes = new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength);
    const chunkBytes = Math.max(1, Math.floor(answer.chunkBytes ?? 4096));
    const chunks: Uint8Array[] = [];
    for (let start = 0; start < bytes.length; start += chunkBytes)
      chunks.push(bytes.subarray(start, start + chunkBytes));
    playChunks(
      response,
      200,
      { 'content-type': 'application/octet-stream' },
      chunks,
      answer.faults ?? {},
      scheduler,
    );
  };

  const handleTranscription = (request: RecordedRequest, response: ServerResponse): void => {
    if (request.file === undefined) {
      badRequest(response, 'A transcription needs a `file` part.', 'file');
      return;
    }
    if (request.fields.model === undefined) {
      badRequest(response, '`model` is required.', 'model');
      return;
    }
    const answer = pick<TranscriptionResponseScript>(
      script.transcription,
      request,
      position(request),
      'This is a scripted transcript.',
    );
    if (isHttpError(answer)) {
      sendError(response, answer);
      return;
    }
    const transcription = typeof answer === 'string' ? { text: answer } : answer;
    const faults = transcription.faults ?? {};
    if (request.fields.stream !== 'true') {
      const json = JSON.stringify({ text: transcription.text });
      playChunks(response, 200, JSON_HEADERS, [json], { responseDelayMs: faults.responseDelayMs }, scheduler);
      return;
    }
    const deltas = transcription.deltas ?? splitWords(transcription.text);
    const events = [
      ...deltas.map((delta) => sseEvent({ type: 'transcript.text.delta', delta })),
      sseEvent({ type: 'transcript.text.done', text: transcription.text }),
    ];
    playChunks(response, 200, SSE_HEADERS, withSseFaults(events, faults), faults, scheduler);
  };

  const handle = (incoming: IncomingMessage, response: ServerResponse, raw: Buffer): void => {
    const path = (incoming.url ?? '/').split('?')[0] ?? '/';
    const endpoint: RecordedRequest['endpoint'] =
      path === '/v1/chat/completions'
        ? 'chat'
        : path === '/v1/audio/speech'
          ? 'speech'
          : path === '/v1/audio/transcriptions'
            ? 'transcription'
            : 'unknown';
    const headers = lowerCaseHeaders(incoming);
    const contentType = headers['content-type'] ?? '';
    let body: Record<string, unknown> | undefined;
    let fields: Record<string, string> = {};
    let file: RecordedRequest['file'];
    let malformed = false;
    if (contentType.startsWith('application/json')) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        malformed = true;
      }
    } else if (contentType.startsWith('multipart/form-data')) {
      const parsed = parseMultipart(raw, contentType);
      if (parsed === undefined) malformed = true;
      else {
        fields = parsed.fields;
        file = parsed.files.file;
      }
    }
    const request: RecordedRequest = {
      endpoint,
      index: perEndpoint[endpoint]++,
      method: incoming.method ?? 'GET',
      path,
      headers,
      body,
      fields,
      file,
      outcome: 'pending',
    };
    requests.push(request);
    notify();
    response.on('finish', () => {
      request.outcome = 'completed';
      notify();
    });
    response.on('close', () => {
      if (request.outcome !== 'pending') return;
      if ((response as unknown as Record<symbol, boolean>)[DISCONNECTED_BY_SCRIPT]) {
        request.outcome = 'server-disconnected';
      } else {
        request.outcome = 'client-closed';
        abortedResponses++;
      }
      notify();
    });
    if (options.apiKey !== undefined && headers.authorization !== `Bearer ${options.apiKey}`) {
      sendError(response, { type: 'http-error', status: 401 });
      return;
    }
    if (malformed) {
      badRequest(response, 'The request body could not be parsed.');
      return;
    }
    if (incoming.method !== 'POST' || endpoint === 'unknown') {
      sendError(response, {
        type: 'http-error',
        status: 404,
        error: { message: `Unknown route ${incoming.method} ${path}.`, type: 'invalid_request_error' },
      });
      return;
    }
    if (endpoint === 'chat') handleChat(request, response);
    else if (endpoint === 'speech') handleSpeech(request, response);
    else handleTranscription(request, response);
  };

  const server = createServer((incoming, response) => {
    const socket = incoming.socket;
    busy.add(socket);
    response.on('close', () => busy.delete(socket));
    const parts: Buffer[] = [];
    incoming.on('data', (part: Buffer) => parts.push(part));
    incoming.on('end', () => handle(incoming, response, Buffer.concat(parts)));
  });
  server.on('connection', (socket) => {
    connectionCount++;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      notify();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    get connectionCount() {
      return connectionCount;
    },
    get openConnections() {
      return sockets.size;
    },
    get abortedResponses() {
      return abortedResponses;
    },
    setScript: (next) => {
      script = next;
      scriptStart = { ...perEndpoint };
    },
    closeIdleConnections: () => {
      for (const socket of sockets) if (!busy.has(socket)) socket.destroy();
    },
    waitForRequests: (count) => waitFor(() => requests.length >= count),
    waitForOutcome: async (index) => {
      await waitFor(() => (requests[index]?.outcome ?? 'pending') !== 'pending');
      return requests[index]!.outcome as Exclude<RecordedRequest['outcome'], 'pending'>;
    },
    waitForConnectionsClosed: () => waitFor(() => sockets.size === 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
