import type { IncomingMessage, ServerResponse } from 'node:http';
import { bytesToBase64 } from '@argentum/core';
import type { Subscription } from 'rxjs';
import { flattenHeaders } from './flatten-headers';
import type { SocketSessionContext } from './test-server-socket';
import type { ElevenLabsTestServerRequest } from './test-server-types';
import { parseTestFormat, synthesizeSegment } from './tone-synthesizer';

const PATH = /^\/v1\/text-to-speech\/([^/]+)\/stream\/with-timestamps$/;

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * Answers `POST /v1/text-to-speech/{voice}/stream/with-timestamps` as PROTOCOLS.md §3 describes:
 * newline-delimited JSON chunks with base64 audio and seconds-based alignment (start and end,
 * counted from the start of the response's audio).
 * @internal
 */
export function handleHttpRequest(
  request: IncomingMessage,
  response: ServerResponse,
  context: SocketSessionContext,
  record: (entry: ElevenLabsTestServerRequest) => void,
): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const query = Object.fromEntries(url.searchParams);
  const header = request.headers['xi-api-key'];
  const apiKeyHeader = typeof header === 'string' ? header : undefined;
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
    } catch {
      body = {};
    }
    const entry: ElevenLabsTestServerRequest = {
      path: url.pathname,
      query,
      body,
      apiKeyHeader,
      headers: flattenHeaders(request.headers),
      status: 200,
    };
    record(entry);
    const answer = (status: number, payload: unknown, headers?: Record<string, string>): void => {
      entry.status = status;
      sendJson(response, status, payload, headers);
    };
    if (request.method !== 'POST' || !PATH.test(url.pathname)) {
      answer(404, {
        detail: { status: 'not_found', message: `No route for ${request.method} ${url.pathname}.` },
      });
      return;
    }
    if (context.apiKey !== undefined && apiKeyHeader !== context.apiKey) {
      answer(401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
      return;
    }
    const faults = context.faults();
    const injected = faults.httpErrors?.shift();
    if (injected) {
      const headers: Record<string, string> =
        injected.retryAfterSeconds === undefined ? {} : { 'retry-after': String(injected.retryAfterSeconds) };
      answer(
        injected.status,
        injected.body ?? {
          detail: { status: 'injected_error', message: `Injected HTTP ${injected.status}.` },
        },
        headers,
      );
      return;
    }
    const outputFormat = query.output_format ?? 'pcm_24000';
    const format = parseTestFormat(outputFormat);
    if (!format) {
      answer(400, {
        detail: { status: 'invalid_output_format', message: `Unsupported output_format ${outputFormat}.` },
      });
      return;
    }
    if (typeof body.text !== 'string' || body.text.length === 0) {
      answer(422, { detail: { status: 'invalid_request', message: 'text is required.' } });
      return;
    }
    const segments = synthesizeSegment(body.text, {
      outputFormat,
      msPerCharacter: context.msPerCharacter,
      charactersPerChunk: context.charactersPerChunk,
      toneHz: context.toneHz,
    });
    response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    let index = 0;
    let timer: Subscription | undefined;
    let closed = false;
    const stop = (): void => {
      if (closed) return;
      closed = true;
      timer?.unsubscribe();
      timer = undefined;
      response.destroy();
    };
    // A client that aborts half-closes its end: drop the response rather than keep writing.
    response.on('close', stop);
    request.socket.on('end', stop);
    request.socket.on('error', stop);
    /** Writes the next chunk; returns the delay before the one after, or `undefined` when done. */
    const writeChunk = (): number | undefined => {
      const segment = segments[index];
      if (!segment) {
        response.end();
        return undefined;
      }
      const seconds = (chars: string[]) => ({
        characters: chars,
        character_start_times_seconds: segment.absoluteStartsMs.map((ms) => ms / 1000),
        character_end_times_seconds: segment.absoluteStartsMs.map(
          (ms, i) => (ms + segment.durationsMs[i]!) / 1000,
        ),
      });
      const line = `${JSON.stringify({
        audio_base64: bytesToBase64(segment.audio),
        alignment: seconds(segment.chars),
        normalized_alignment: seconds(segment.chars.map((char) => char.toLowerCase())),
      })}\n`;
      index++;
      const current = context.faults();
      if (current.disconnectAfterChunks !== undefined && index >= current.disconnectAfterChunks) {
        // Let the chunk reach the client, then cut the connection.
        closed = true;
        response.write(line, () => response.socket?.destroy());
        return undefined;
      }
      response.write(line);
      if (current.malformedJsonAfterChunks !== undefined && index === current.malformedJsonAfterChunks) {
        response.write('{"audio_base64": "AAAA", "alignment": \n');
      }
      return current.chunkDelayMs ?? 0;
    };
    const run = (delayMs: number | undefined): void => {
      let delay = delayMs;
      while (delay === 0 && !closed) delay = writeChunk();
      if (delay !== undefined && !closed) {
        timer = context.scheduler.schedule(() => {
          timer = undefined;
          if (!closed) run(writeChunk());
        }, delay);
      }
    };
    run(faults.firstChunkDelayMs ?? 0);
  });
}
