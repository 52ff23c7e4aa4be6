import { createVirtualClock } from '@argentum/core';
import OpenAI, { toFile } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAITestServer, type OpenAITestServer } from './index';

let server: OpenAITestServer;

beforeEach(async () => {
  server = await createOpenAITestServer();
});
afterEach(async () => {
  await server.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    body: JSON.stringify(body),
  });

describe('createOpenAITestServer', () => {
  it('listens on 127.0.0.1 at a random port and exposes the /v1 base URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.baseURL).toBe(`${server.url}/v1`);
  });

  it('streams chat completions as SSE data lines, then [DONE], then ends the response', async () => {
    server.setScript({ chat: { text: ['Hel', 'lo'], usage: { promptTokens: 3, completionTokens: 2 } } });
    const response = await post('/v1/chat/completions', {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text(); // resolves only because the server ends the response
    const events = text.split('\n\n').filter((event) => event !== '');
    expect(events.every((event) => event.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice(6)));
    expect(chunks[0]).toMatchObject({
      object: 'chat.completion.chunk',
      model: 'm',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    expect(chunks.slice(1, 3).map((chunk) => chunk.choices[0].delta.content)).toEqual(['Hel', 'lo']);
    expect(chunks[3].choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks[4]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
  });

  it('leaves the usage chunk out unless the request asks for it', async () => {
    const text = await (
      await post('/v1/chat/completions', { model: 'm', messages: [], stream: true })
    ).text();
    expect(text).not.toContain('"usage"');
  });

  it('answers non-streamed chat completions with a chat.completion object', async () => {
    server.setScript({ chat: 'Plain answer.' });
    const client = new OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Plain answer.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('picks scripts per request: lists in order (last repeats) and matcher functions', async () => {
    server.setScript({
      chat: (request) => {
        const messages = request.body?.messages as { content: string }[];
        return messages.at(-1)?.content === 'ping' ? 'pong' : `reply ${request.index}`;
      },
    });
    const client = new OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const ask = async (content: string) =>
      (await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content }] })).choices[0]
        ?.message.content;
    expect(await ask('ping')).toBe('pong');
    expect(await ask('other')).toBe('reply 1');
    server.setScript({ chat: ['first', 'second'] });
    expect([await ask('a'), await ask('b'), await ask('c')]).toEqual(['first', 'second', 'second']);
    expect(server.requests.map((request) => request.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('streams speech as chunked raw PCM of the scripted duration', async () => {
    server.setScript({ speech: { durationMs: 500, chunkBytes: 1000 } });
    const response = await post('/v1/audio/speech', {
      model: 'tts-1',
      voice: 'alloy',
      input: 'Hi',
      response_format: 'pcm',
    });
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.byteLength).toBe(24_000); // 500 ms × 24 kHz × 2 bytes
  });

  it('rejects speech requests that are not pcm, or lack input, with OpenAI-shaped 400s', async () => {
    const wrong = await post('/v1/audio/speech', {
      model: 'tts-1',
      voice: 'alloy',
      input: 'Hi',
      response_format: 'mp3',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({
      error: { type: 'invalid_request_error', param: 'response_format' },
    });
    const empty = await post('/v1/audio/speech', {
      model: 'tts-1',
      voice: 'alloy',
      input: '',
      response_format: 'pcm',
    });
    expect(empty.status).toBe(400);
  });

  it('parses multipart transcription uploads and answers JSON or SSE', async () => {
    server.setScript({ transcription: 'Heard you.' });
    const client = new OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const file = await toFile(new Uint8Array([1, 2, 3, 4]), 'clip.wav', { type: 'audio/wav' });
    const plain = await client.audio.transcriptions.create({ file, model: 'whisper-1' });
    expect(plain.text).toBe('Heard you.');
    expect(server.requests[0]?.file).toMatchObject({ filename: 'clip.wav', contentType: 'audio/wav' });
    expect([...server.requests[0]!.file!.bytes]).toEqual([1, 2, 3, 4]);
    const stream = await client.audio.transcriptions.create({
      file,
      model: 'gpt-4o-transcribe',
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['transcript.text.delta', 'transcript.text.delta', 'transcript.text.done']);
  });

  it('sends 429 with retry-after and retry-after-ms headers', async () => {
    server.setScript({ chat: { type: 'http-error', status: 429, retryAfterSeconds: 2, retryAfterMs: 1500 } });
    const response = await post('/v1/chat/completions', { model: 'm', messages: [] });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('retry-after-ms')).toBe('1500');
    expect(await response.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
  });

  it('enforces the API key when given one, and 404s unknown routes', async () => {
    const guarded = await createOpenAITestServer({ apiKey: 'secret' });
    try {
      const denied = await fetch(`${guarded.baseURL}/chat/completions`, { method: 'POST', body: '{}' });
      expect(denied.status).toBe(401);
      const unknown = await fetch(`${guarded.baseURL}/models`, {
        headers: { authorization: 'Bearer secret' },
      });
      expect(unknown.status).toBe(404);
      expect(guarded.requests.map((request) => request.endpoint)).toEqual(['chat', 'unknown']);
    } finally {
      await guarded.close();
    }
  });

  it('counts connections and records how each response ended', async () => {
    server.setScript({ chat: { text: 'a b c', faults: { disconnectAfterChunks: 1 } } });
    const response = await post('/v1/chat/completions', { model: 'm', messages: [], stream: true });
    await expect(response.text()).rejects.toThrow();
    await server.waitForConnectionsClosed();
    expect(server.connectionCount).toBeGreaterThanOrEqual(1);
    expect(server.requests[0]?.outcome).toBe('server-disconnected');
    expect(server.abortedResponses).toBe(0);
  });

  it('runs scripted delays on the given scheduler (virtual time)', async () => {
    const clock = createVirtualClock();
    const timed = await createOpenAITestServer({
      scheduler: clock.scheduler,
      script: { chat: { text: 'one two', faults: { responseDelayMs: 1000, chunkDelayMs: 500 } } },
    });
    try {
      const reading = fetch(`${timed.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [], stream: true }),
      }).then((response) => response.text());
      await timed.waitForRequests(1);
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(timed.requests[0]?.outcome).toBe('pending'); // no headers before virtual 1000 ms
      clock.advanceBy(1000); // headers and the role chunk; then 'one', ' two', the finish chunk, [DONE]
      for (let step = 0; step < 4; step++) {
        for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
        expect(timed.requests[0]?.outcome).toBe('pending');
        clock.advanceBy(500); // each further chunk waits 500 virtual ms
      }
      const text = await reading;
      expect(text).toContain('"content":"one"');
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect(timed.requests[0]?.outcome).toBe('completed');
    } finally {
      await timed.close();
    }
  });
});
