import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createElevenLabsTestServer } from './elevenlabs-test-server';
import type { ElevenLabsTestServer } from './test-server-types';

let server: ElevenLabsTestServer;
beforeEach(async () => {
  server = await createElevenLabsTestServer({ apiKey: 'key', msPerCharacter: 50, charactersPerChunk: 4 });
});
afterEach(async () => {
  await server.close();
});

/** Opens a raw socket and records what the server sends until it closes. */
async function talk(
  path: string,
  messages: object[],
  headers: Record<string, string> = { 'xi-api-key': 'key' },
) {
  const socket = new WebSocket(`${server.wsBaseUrl}${path}`, { headers });
  const received: Record<string, unknown>[] = [];
  socket.on('message', (data) => received.push(JSON.parse(data.toString())));
  await new Promise((resolve) => socket.on('open', resolve));
  for (const message of messages) socket.send(JSON.stringify(message));
  const code = await new Promise<number>((resolve) => socket.on('close', (closeCode) => resolve(closeCode)));
  return { received, code };
}

describe('createElevenLabsTestServer', () => {
  it('speaks the stream-input protocol: base64 PCM, per-chunk alignment, isFinal, close 1000', async () => {
    const { received, code } = await talk('/v1/text-to-speech/v1/stream-input?output_format=pcm_16000', [
      { text: ' ' },
      { text: 'Hi there ', flush: true },
      { text: '' },
    ]);
    expect(code).toBe(1000);
    const audio = received.filter((message) => typeof message.audio === 'string');
    expect(audio).toHaveLength(3); // 9 characters, 4 per chunk
    expect(audio[1]?.alignment).toEqual({
      chars: ['h', 'e', 'r', 'e'],
      charStartTimesMs: [0, 50, 100, 150],
      charDurationsMs: [50, 50, 50, 50],
    });
    expect(Buffer.from(audio[0]?.audio as string, 'base64').length).toBe(4 * 50 * 16 * 2);
    expect(received.at(-1)).toEqual({ isFinal: true });
  });

  it('accepts the key in the first message instead of the header', async () => {
    const { received, code } = await talk(
      '/v1/text-to-speech/v/stream-input',
      [{ text: ' ', xi_api_key: 'key' }, { text: 'Ok ' }, { text: '' }],
      {},
    );
    expect(code).toBe(1000);
    expect(received.at(-1)).toEqual({ isFinal: true });
  });

  it('closes 1008 with an error body for a wrong key', async () => {
    const { received, code } = await talk('/v1/text-to-speech/v/stream-input', [{ text: ' ' }], {
      'xi-api-key': 'x',
    });
    expect(code).toBe(1008);
    expect(received).toEqual([{ message: 'Invalid API key', error: 'invalid_api_key', code: 1008 }]);
  });

  it('produces μ-law at 8 kHz (one byte per sample)', async () => {
    const { received } = await talk('/v1/text-to-speech/v/stream-input?output_format=ulaw_8000', [
      { text: ' ' },
      { text: 'abcd ', flush: true },
      { text: '' },
    ]);
    expect(Buffer.from(received[0]?.audio as string, 'base64').length).toBe(4 * 50 * 8);
  });

  it('rejects a sixth context with max_active_conversations and 1008', async () => {
    const contexts = Array.from({ length: 6 }, (_, i) => ({ text: ' ', context_id: `c${i}` }));
    const { received, code } = await talk('/v1/text-to-speech/v/multi-stream-input', contexts);
    expect(code).toBe(1008);
    expect(received.at(-1)).toMatchObject({ error: 'max_active_conversations', code: 1008 });
  });

  it('rejects the settings of a context a keepalive opened first', async () => {
    const { received, code } = await talk('/v1/text-to-speech/v/multi-stream-input', [
      { text: '', context_id: 'late' },
      { text: ' ', voice_settings: { stability: 0.5 }, context_id: 'late' },
    ]);
    expect(code).toBe(1008);
    expect(received.at(-1)?.message).toContain('voice_settings field must be provided in the first message');
  });

  it('drains and finalizes a closed context with contextId', async () => {
    const { received } = await talk('/v1/text-to-speech/v/multi-stream-input', [
      { text: ' ', context_id: 'a' },
      { text: 'Yo ', context_id: 'a', flush: true },
      { context_id: 'a', close_context: true },
      { close_socket: true },
    ]);
    expect(received.map((message) => [message.contextId, Boolean(message.audio), message.isFinal])).toEqual([
      ['a', true, null],
      ['a', false, true],
    ]);
  });

  it('can play the early-close race: a close before any audio cancels the context', async () => {
    server.setFaults({ firstChunkDelayMs: 30, earlyCloseDropsAudio: true });
    const { received } = await talk('/v1/text-to-speech/v/multi-stream-input', [
      { text: ' ', context_id: 'a' },
      { text: 'Lost words ', context_id: 'a', flush: true },
      { context_id: 'a', close_context: true },
      { close_socket: true },
    ]);
    expect(received).toEqual([{ isFinal: true, contextId: 'a' }]);
  });

  it('closes an idle socket with input_timeout_exceeded (1008)', async () => {
    server.setFaults({ inputTimeoutMs: 30 });
    const { received, code } = await talk('/v1/text-to-speech/v/stream-input', [{ text: ' ' }]);
    expect(code).toBe(1008);
    expect(received.at(-1)).toMatchObject({ error: 'input_timeout_exceeded' });
  });

  it('serves HTTP with timestamps to the official SDK (NDJSON, seconds, start and end)', async () => {
    const client = new ElevenLabsClient({ apiKey: 'key', baseUrl: server.httpBaseUrl, maxRetries: 0 });
    const stream = await client.textToSpeech.streamWithTimestamps('v', {
      text: 'Hey you',
      outputFormat: 'pcm_8000',
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]?.alignment).toEqual({
      characters: ['y', 'o', 'u'],
      characterStartTimesSeconds: [0.2, 0.25, 0.3],
      characterEndTimesSeconds: [0.25, 0.3, expect.closeTo(0.35, 9)],
    });
    expect(server.requests[0]).toMatchObject({ body: { text: 'Hey you' }, status: 200 });
  });

  it('refuses upgrades and HTTP requests as scripted', async () => {
    server.setFaults({
      upgradeErrors: [{ status: 503 }],
      httpErrors: [{ status: 429, retryAfterSeconds: 7 }],
    });
    const refused = new WebSocket(`${server.wsBaseUrl}/v1/text-to-speech/v/stream-input`);
    const message = await new Promise<string>((resolve) =>
      refused.on('error', (error) => resolve(error.message)),
    );
    expect(message).toContain('503');
    const response = await fetch(`${server.httpBaseUrl}/v1/text-to-speech/v/stream/with-timestamps`, {
      method: 'POST',
      headers: { 'xi-api-key': 'key' },
      body: '{"text":"x"}',
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
  });
});
