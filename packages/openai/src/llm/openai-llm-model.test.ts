import {
  AuthenticationError,
  BadRequestError,
  createVirtualClock,
  InvalidArgumentError,
  type LlmEvent,
  NetworkError,
  ProtocolError,
  RateLimitError,
  realtimeScheduler,
  ServerError,
  TimeoutError,
} from '@argentum/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeResources, collect, nextTurn, settleConnections } from '../internal/test-helpers.test-support';
import { createOpenAI } from '../openai-provider';
import { createOpenAITestServer, type OpenAITestServer } from '../testing/index';

let server: OpenAITestServer;

beforeEach(async () => {
  server = await createOpenAITestServer({ apiKey: 'test-key' });
});
afterEach(async () => {
  await server.close();
});

const provider = (settings: Parameters<typeof createOpenAI>[0] = {}) =>
  createOpenAI({ baseURL: server.baseURL, apiKey: 'test-key', retryBaseDelayMs: 1, ...settings });

const hello = { messages: [{ role: 'user' as const, content: 'Say hello.' }] };

function texts(events: LlmEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
}

describe('OpenAILlmModel', () => {
  it('streams text deltas, then end with the finish reason and usage', async () => {
    server.setScript({
      chat: { text: 'Hello there, friend.', usage: { promptTokens: 12, completionTokens: 5 } },
    });
    const llm = provider().languageModel('gpt-4o-mini');
    const { values, error } = await collect(llm.stream(hello));
    expect(error).toBeUndefined();
    expect(values.filter((event) => event.type === 'text-delta').length).toBe(3);
    expect(texts(values)).toBe('Hello there, friend.');
    expect(values.at(-1)).toMatchObject({
      type: 'end',
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 5 },
    });
    const body = server.requests[0]?.body;
    expect(body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Say hello.' }],
    });
  });

  it('sends the conversation, sampling settings and tools in the Chat Completions shape', async () => {
    const llm = provider().languageModel('gpt-4o', { topP: 0.5, parallelToolCalls: false });
    await collect(
      llm.stream({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather?', name: 'ada' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_9', name: 'weather', argumentsJson: '{}' }],
          },
          { role: 'tool', content: '{"sky":"clear"}', toolCallId: 'call_9' },
        ],
        temperature: 0.3,
        maxOutputTokens: 50,
        seed: 7,
        stop: ['\n'],
        tools: [{ name: 'weather', description: 'Current weather', parameters: { type: 'object' } }],
      }),
    );
    expect(server.requests[0]?.body).toMatchObject({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?', name: 'ada' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'weather', arguments: '{}' } }],
        },
        { role: 'tool', content: '{"sky":"clear"}', tool_call_id: 'call_9' },
      ],
      temperature: 0.3,
      max_completion_tokens: 50,
      seed: 7,
      stop: ['\n'],
      top_p: 0.5,
      parallel_tool_calls: false,
      tools: [
        {
          type: 'function',
          function: { name: 'weather', description: 'Current weather', parameters: { type: 'object' } },
        },
      ],
    });
  });

  it('assembles tool calls from streamed fragments and emits each once, complete', async () => {
    server.setScript({
      chat: {
        text: 'Checking.',
        toolCalls: [
          {
            id: 'call_a',
            name: 'weather',
            argumentsJson: '{"city":"Lisbon","unit":"celsius"}',
            fragments: 4,
          },
          { id: 'call_b', name: 'time', argumentsJson: '{"zone":"UTC"}', fragments: 2 },
        ],
      },
    });
    const { values } = await collect(provider().languageModel('gpt-4o-mini').stream(hello));
    expect(values.map((event) => event.type)).toEqual(['text-delta', 'tool-call', 'tool-call', 'end']);
    expect(values.filter((event) => event.type === 'tool-call')).toMatchObject([
      { id: 'call_a', name: 'weather', argumentsJson: '{"city":"Lisbon","unit":"celsius"}' },
      { id: 'call_b', name: 'time', argumentsJson: '{"zone":"UTC"}' },
    ]);
    expect(values.at(-1)).toMatchObject({ type: 'end', finishReason: 'tool-calls' });
  });

  it('maps the finish reason length', async () => {
    server.setScript({ chat: { text: 'Cut', finishReason: 'length' } });
    const { values } = await collect(provider().languageModel('gpt-4o-mini').stream(hello));
    expect(values.at(-1)).toMatchObject({ type: 'end', finishReason: 'length' });
  });

  it('stamps every event with the call scheduler’s clock', async () => {
    const scheduler = { now: () => 4242, schedule: realtimeScheduler.schedule };
    const { values } = await collect(provider().languageModel('gpt-4o-mini').stream(hello, { scheduler }));
    expect(values.length).toBeGreaterThan(1);
    expect(values.every((event) => event.at === 4242)).toBe(true);
  });

  it('reads OPENAI_API_KEY at call time and sends provider and per-call headers', async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      const openai = createOpenAI({ baseURL: server.baseURL, headers: { 'x-app': 'argentum-test' } });
      const llm = openai.languageModel('gpt-4o-mini');
      const missing = await collect(llm.stream(hello));
      expect(AuthenticationError.isInstance(missing.error)).toBe(true);
      expect(String((missing.error as Error).message)).toContain('OPENAI_API_KEY');
      expect(server.requests).toHaveLength(0);
      process.env.OPENAI_API_KEY = 'test-key';
      const { error } = await collect(llm.stream(hello, { headers: { 'x-call': 'one' } }));
      expect(error).toBeUndefined();
      expect(server.requests[0]?.headers).toMatchObject({
        authorization: 'Bearer test-key',
        'x-app': 'argentum-test',
        'x-call': 'one',
      });
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  it('rejects bad requests before sending anything', async () => {
    const llm = provider().languageModel('gpt-4o-mini');
    const empty = await collect(llm.stream({ messages: [] }));
    expect(InvalidArgumentError.isInstance(empty.error)).toBe(true);
    const orphan = await collect(llm.stream({ messages: [{ role: 'tool', content: '42' }] }));
    expect(InvalidArgumentError.isInstance(orphan.error)).toBe(true);
    expect((orphan.error as InvalidArgumentError).argument).toBe('messages[0].toolCallId');
    const hot = await collect(llm.stream({ ...hello, temperature: 3 }));
    expect(InvalidArgumentError.isInstance(hot.error)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('aborts the request on unsubscribe and leaves no socket, timer or handle behind', async () => {
    server.setScript({
      chat: { text: 'one two three four five six seven eight nine ten', faults: { chunkDelayMs: 40 } },
    });
    const llm = provider().languageModel('gpt-4o-mini');
    const before = activeResources();
    const received: LlmEvent[] = [];
    await new Promise<void>((resolve) => {
      const subscription = llm.stream(hello).subscribe((event) => {
        received.push(event);
        if (received.length === 2) {
          subscription.unsubscribe();
          resolve();
        }
      });
    });
    const leaked = await settleConnections(server, before);
    expect(received.map((event) => event.type)).toEqual(['text-delta', 'text-delta']);
    expect(server.requests[0]?.outcome).toBe('client-closed');
    expect(server.abortedResponses).toBe(1);
    expect(server.openConnections).toBe(0);
    expect(leaked).toEqual({});
  });

  describe('faults', () => {
    it('retries a 429 after retry-after-ms and succeeds', async () => {
      server.setScript({ chat: [{ type: 'http-error', status: 429, retryAfterMs: 20 }, 'Recovered.'] });
      const { values, error } = await collect(provider().languageModel('gpt-4o-mini').stream(hello));
      expect(error).toBeUndefined();
      expect(texts(values)).toBe('Recovered.');
      expect(server.requests).toHaveLength(2);
    });

    it('waits out retry-after (seconds) on the call scheduler before retrying', async () => {
      server.setScript({ chat: [{ type: 'http-error', status: 429, retryAfterSeconds: 2 }, 'Later.'] });
      const clock = createVirtualClock();
      const llm = provider().languageModel('gpt-4o-mini');
      const result = collect(llm.stream(hello, { scheduler: clock.scheduler }));
      await server.waitForRequests(1);
      // Let the 429 arrive and the retry timer be armed, while virtual time stands still.
      while (server.requests[0]?.outcome !== 'completed') await nextTurn();
      for (let i = 0; i < 20; i++) await nextTurn();
      clock.advanceBy(1999);
      for (let i = 0; i < 20; i++) await nextTurn();
      expect(server.requests).toHaveLength(1);
      clock.advanceBy(1);
      const { values, error } = await result;
      expect(error).toBeUndefined();
      expect(texts(values)).toBe('Later.');
      expect(server.requests).toHaveLength(2);
    });

    it('gives up on a 429 whose retry-after exceeds retryMaxDelayMs, with retryAfterMs set', async () => {
      server.setScript({ chat: { type: 'http-error', status: 429, retryAfterSeconds: 30 } });
      const { error } = await collect(
        provider({ retryMaxDelayMs: 5000 }).languageModel('gpt-4o-mini').stream(hello),
      );
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect((error as RateLimitError).retryAfterMs).toBe(30_000);
      expect((error as RateLimitError).status).toBe(429);
      expect(server.requests).toHaveLength(1);
    });

    it('does not retry an exhausted quota', async () => {
      server.setScript({
        chat: {
          type: 'http-error',
          status: 429,
          error: {
            message: 'You exceeded your current quota.',
            type: 'insufficient_quota',
            code: 'insufficient_quota',
          },
        },
      });
      const { error } = await collect(provider().languageModel('gpt-4o-mini').stream(hello));
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect((error as RateLimitError).retryable).toBe(false);
      expect(server.requests).toHaveLength(1);
    });

    it('retries a 500 a bounded number of times, then emits ServerError', async () => {
      server.setScript({ chat: { type: 'http-error', status: 500 } });
      const { error } = await collect(provider({ maxRetries: 2 }).languageModel('gpt-4o-mini').stream(hello));
      expect(ServerError.isInstance(error)).toBe(true);
      expect((error as ServerError).status).toBe(500);
      expect(server.requests).toHaveLength(3);
    });

    it('recovers from a 500 on retry', async () => {
      server.setScript({ chat: [{ type: 'http-error', status: 500 }, 'Fine now.'] });
      const { values } = await collect(provider().languageModel('gpt-4o-mini').stream(hello));
      expect(texts(values)).toBe('Fine now.');
    });

    it('maps 401 to AuthenticationError without retrying', async () => {
      const { error } = await collect(
        provider({ apiKey: 'wrong-key' }).languageModel('gpt-4o-mini').stream(hello),
      );
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect((error as Error).message).not.toContain('wrong-key');
      expect(server.requests).toHaveLength(1);
    });

    it('maps 400 to BadRequestError without retrying', async () => {
      server.setScript({
        chat: { type: 'http-error', status: 400, error: { message: 'Unknown model.', param: 'model' } },
      });
      const { error } = await collect(provider().languageModel('gpt-nope').stream(hello));
      expect(BadRequestError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('Unknown model.');
      expect(server.requests).toHaveLength(1);
    });

    it('reports a disconnect mid-stream as NetworkError after the deltas already received, without retrying', async () => {
      server.setScript({ chat: { text: 'one two three four five', faults: { disconnectAfterChunks: 3 } } });
      const { values, error } = await collect(provider().languageModel('gpt-4o-mini').stream(hello));
      expect(texts(values)).toBe('one two');
      expect(NetworkError.isInstance(error)).toBe(true);
      expect(server.requests).toHaveLength(1);
    });

    it('retries a disconnect that happens before anything was emitted', async () => {
      server.setScript({ chat: [{ text: 'lost', faults: { disconnectAfterChunks: 1 } }, 'Second try.'] });
      const { values, error } = await collect(provider().languageModel('gpt-4o-mini').stream(hello));
      expect(error).toBeUndefined();
      expect(texts(values)).toBe('Second try.');
      expect(server.requests.map((request) => request.outcome)).toEqual(['server-disconnected', 'completed']);
    });

    it('maps malformed JSON in the stream to ProtocolError', async () => {
      server.setScript({ chat: { text: 'a b c', faults: { malformedJsonAfterChunks: 2 } } });
      const { values, error } = await collect(provider().languageModel('gpt-4o-mini').stream(hello));
      expect(texts(values)).toBe('a');
      expect(ProtocolError.isInstance(error)).toBe(true);
    });

    it('maps an in-stream error payload to a typed error by its type', async () => {
      server.setScript({
        chat: [
          { text: 'a b c', faults: { errorAfterChunks: 2 } },
          {
            text: 'a b c',
            faults: {
              errorAfterChunks: 2,
              errorPayload: { message: 'Bad tool schema.', type: 'invalid_request_error' },
            },
          },
        ],
      });
      const llm = provider().languageModel('gpt-4o-mini');
      const first = await collect(llm.stream(hello));
      expect(ServerError.isInstance(first.error)).toBe(true);
      const second = await collect(llm.stream(hello));
      expect(BadRequestError.isInstance(second.error)).toBe(true);
      expect((second.error as Error).message).toContain('Bad tool schema.');
    });

    it('tolerates latency before the first chunk and between chunks within the timeout', async () => {
      server.setScript({
        chat: {
          text: 'slow but sure',
          faults: { responseDelayMs: 30, firstChunkDelayMs: 30, chunkDelayMs: 10 },
        },
      });
      const { values, error } = await collect(
        provider({ timeoutMs: 1000 }).languageModel('gpt-4o-mini').stream(hello),
      );
      expect(error).toBeUndefined();
      expect(texts(values)).toBe('slow but sure');
    });

    it('times out a first chunk that is too late, aborting each attempt', async () => {
      server.setScript({ chat: { text: 'never', faults: { firstChunkDelayMs: 5000 } } });
      const clock = createVirtualClock();
      const llm = provider({ timeoutMs: 1000, maxRetries: 1, retryBaseDelayMs: 100 }).languageModel(
        'gpt-4o-mini',
      );
      const result = collect(llm.stream(hello, { scheduler: clock.scheduler }));
      await server.waitForRequests(1);
      clock.advanceBy(1000); // first attempt times out
      clock.advanceBy(100); // backoff (≤ 100 ms with full jitter)
      await server.waitForRequests(2);
      clock.advanceBy(1000); // second attempt times out
      const { error } = await result;
      expect(TimeoutError.isInstance(error)).toBe(true);
      await settleConnections(server, activeResources());
      expect(server.requests.map((request) => request.outcome)).toEqual(['client-closed', 'client-closed']);
    });

    it('reports a stream that ends cleanly but early (no finish reason) as NetworkError', async () => {
      server.setScript({ chat: { text: 'a b c d', faults: { endAfterChunks: 3 } } });
      const { values, error } = await collect(provider().languageModel('gpt-4o-mini').stream(hello));
      expect(texts(values)).toBe('a b');
      expect(NetworkError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('no finish reason');
    });
  });
});
