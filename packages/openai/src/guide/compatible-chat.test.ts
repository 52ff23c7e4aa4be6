import { NetworkError, ProtocolError, RateLimitError } from '@argentum/core';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createOpenAITestServer, type OpenAITestServer } from '../testing/index';
import { createCompatibleChat } from './compatible-chat';

let server: OpenAITestServer;
beforeEach(async () => {
  server = await createOpenAITestServer();
});
afterEach(() => server.close());

const ask = () =>
  createCompatibleChat({ baseURL: server.baseURL, apiKey: 'test' })
    .languageModel('any-model')
    .stream({ messages: [{ role: 'user', content: 'Hi' }] });

it('streams text deltas, then end', async () => {
  server.setScript({ chat: 'Hello there.' });
  const events = await lastValueFrom(ask().pipe(toArray()));
  expect(events.map((e) => (e.type === 'text-delta' ? e.text : e.type))).toEqual(['Hello', ' there.', 'end']);
  expect(events.at(-1)).toMatchObject({ finishReason: 'stop' });
});

it('maps faults to typed errors', async () => {
  server.setScript({
    chat: [
      { type: 'http-error', status: 429, retryAfterSeconds: 2 },
      { text: 'a b c', faults: { malformedJsonAfterChunks: 2 } },
      { text: 'a b c', faults: { disconnectAfterChunks: 2 } },
    ],
  });
  await expect(lastValueFrom(ask())).rejects.toSatisfy(
    (e) => RateLimitError.isInstance(e) && e.retryAfterMs === 2000,
  );
  await expect(lastValueFrom(ask())).rejects.toSatisfy(ProtocolError.isInstance);
  await expect(lastValueFrom(ask())).rejects.toSatisfy(NetworkError.isInstance);
});

it('aborts the request when the subscriber unsubscribes', async () => {
  server.setScript({ chat: { text: 'one two three four', faults: { chunkDelayMs: 50 } } });
  const subscription = ask().subscribe();
  await server.waitForRequests(1);
  subscription.unsubscribe();
  expect(await server.waitForOutcome(0)).toBe('client-closed');
});
