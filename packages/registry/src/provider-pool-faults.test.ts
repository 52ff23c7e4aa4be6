// Fault tests of core's ProviderPool against the real provider packages and their local test
// servers. They live here rather than in core because core cannot depend on the provider
// packages (they depend on it); this package is the scale-out layer and may.
import {
  createPooledTtsModel,
  createVirtualClock,
  type PoolEvent,
  ProviderPool,
  realtimeScheduler,
  type TtsEvent,
  type TtsModel,
  type VirtualClock,
} from '@argentum/core';
import { createElevenLabs } from '@argentum/elevenlabs';
import { createElevenLabsTestServer, type ElevenLabsTestServer } from '@argentum/elevenlabs/testing';
import { createOpenAI } from '@argentum/openai';
import { createOpenAITestServer, type OpenAITestServer } from '@argentum/openai/testing';
import { firstValueFrom, timer } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let clock: VirtualClock;
let eleven: ElevenLabsTestServer;
let openaiServer: OpenAITestServer;

beforeEach(async () => {
  clock = createVirtualClock();
  eleven = await createElevenLabsTestServer({
    apiKey: 'test-key',
    scheduler: clock.scheduler,
    msPerCharacter: 20,
  });
  openaiServer = await createOpenAITestServer({ apiKey: 'test-key', scheduler: clock.scheduler });
});
afterEach(async () => {
  await Promise.all([eleven.close(), openaiServer.close()]);
});

/**
 * Waits (in real time, for real sockets) until `condition` holds, running due virtual actions
 * meanwhile and moving virtual time on by `virtualStepMs` per poll (for retry back-offs).
 */
async function waitFor(condition: () => boolean, timeoutMs = 5000, virtualStepMs = 0): Promise<void> {
  const start = realtimeScheduler.now();
  while (!condition()) {
    if (realtimeScheduler.now() - start > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`);
    clock.advanceBy(virtualStepMs);
    await firstValueFrom(timer(5, realtimeScheduler));
  }
}

interface Collected {
  events: TtsEvent[];
  done: boolean;
  error: unknown;
}

function speak(tts: TtsModel, text: string): Collected {
  const collected: Collected = { events: [], done: false, error: undefined };
  tts.synthesize({ text }, { scheduler: clock.scheduler }).subscribe({
    next: (event) => collected.events.push(event),
    error: (error: unknown) => {
      collected.error = error;
      collected.done = true;
    },
    complete: () => {
      collected.done = true;
    },
  });
  return collected;
}

function createPool(firstEventTimeoutMs: number) {
  const pool = new ProviderPool<TtsModel>({
    scheduler: clock.scheduler,
    firstEventTimeoutMs,
    circuitBreaker: { failureThreshold: 1, openDurationMs: 10_000 },
    members: [
      {
        id: 'elevenlabs',
        create: () =>
          createElevenLabs({
            apiKey: 'test-key',
            baseURL: eleven.httpBaseUrl,
            webSocketBaseURL: eleven.wsBaseUrl,
          }).tts('eleven_flash_v2_5'),
        capabilities: { features: ['aligned-marks'] },
      },
      {
        id: 'openai',
        create: () =>
          createOpenAI({ apiKey: 'test-key', baseURL: openaiServer.baseURL }).speech('gpt-4o-mini-tts'),
      },
    ],
  });
  const events: PoolEvent[] = [];
  pool.events$.subscribe((event) => events.push(event));
  const tts = createPooledTtsModel(pool, {
    sampleRate: 16000,
    adaptRequest: (request, provider) => ({ ...request, voice: provider === 'openai' ? 'alloy' : 'voice-1' }),
  });
  return { pool, events, tts };
}

const firstAudioAt = (collected: Collected): number | undefined =>
  collected.events.find((event) => event.type === 'audio')?.at;

describe('ProviderPool fault handling with the provider test servers', () => {
  it('primary TTS stalls → the fallback speaks within the budget; recovery → half-open probe → primary restored', async () => {
    const budgetMs = 1000;
    const { pool, events, tts } = createPool(800);
    eleven.setFaults({ firstChunkDelayMs: 60_000 });

    const first = speak(tts, 'Hello there, this is the fallback speaking.');
    await waitFor(() =>
      eleven.messages.some(
        (entry) => typeof entry.message.text === 'string' && entry.message.text.trim() !== '',
      ),
    );
    expect(firstAudioAt(first)).toBeUndefined();
    clock.advanceBy(800);
    await waitFor(() => first.done);
    expect(first.error).toBeUndefined();
    const audioAt = firstAudioAt(first);
    expect(audioAt).toBeDefined();
    expect(audioAt!).toBeLessThanOrEqual(budgetMs);
    expect(
      first.events
        .filter((event) => event.type === 'audio')
        .every((event) => event.frame.sampleRate === 16000),
    ).toBe(true);
    expect(first.events.at(-1)?.type).toBe('end');
    expect(openaiServer.requests[0]?.body).toMatchObject({
      voice: 'alloy',
      input: 'Hello there, this is the fallback speaking.',
    });
    expect(events.find((event) => event.type === 'attempt-failed')).toMatchObject({
      provider: 'elevenlabs',
      reason: 'timeout',
      at: 800,
    });
    expect(events.find((event) => event.type === 'request-served')).toMatchObject({
      provider: 'openai',
      attempts: 2,
    });
    expect(pool.list()[0]!.circuit).toBe('open');
    await waitFor(() => eleven.openConnections === 0); // the stalled socket was closed

    // While open, requests go straight to the fallback without touching the primary.
    const connectionsBefore = eleven.totalConnections;
    const second = speak(tts, 'Still the fallback.');
    await waitFor(() => second.done);
    expect(firstAudioAt(second)).toBe(800);
    expect(eleven.totalConnections).toBe(connectionsBefore);

    // The primary recovers; after openDurationMs the next request is its half-open probe.
    eleven.setFaults({});
    clock.advanceBy(10_000);
    expect(pool.list()[0]!.circuit).toBe('half-open');
    const probe = speak(tts, 'The primary is back.');
    await waitFor(() => probe.done, 10_000);
    expect(probe.error).toBeUndefined();
    expect(probe.events.some((event) => event.type === 'mark' && event.aligned)).toBe(true);
    expect(events.filter((event) => event.type === 'attempt-start').at(-1)).toMatchObject({
      provider: 'elevenlabs',
      probe: true,
    });
    expect(events.some((event) => event.type === 'circuit-closed' && event.provider === 'elevenlabs')).toBe(
      true,
    );
    expect(pool.list()[0]!.circuit).toBe('closed');

    const restored = speak(tts, 'And it stays.');
    await waitFor(() => restored.done, 10_000);
    expect(events.filter((event) => event.type === 'request-served').at(-1)).toMatchObject({
      provider: 'elevenlabs',
      attempts: 1,
    });
    pool.dispose();
  });

  it('a total outage (the primary closes with 1011, the fallback answers 500) fails with every provider named', async () => {
    const { pool, tts } = createPool(800);
    eleven.setFaults({
      errorAfterChunks: { afterChunks: 0, error: 'internal', message: 'boom', closeCode: 1011 },
    });
    openaiServer.setScript({ speech: { type: 'http-error', status: 500 } });
    const outcome = speak(tts, 'Nobody can say this.');
    await waitFor(() => outcome.done, 10_000, 50);
    const error = outcome.error as { code?: string; providersTried?: string[]; message: string };
    expect(error.code).toBe('pool-request-failed');
    expect(error.providersTried).toEqual(['elevenlabs', 'openai']);
    expect(error.message).toContain('elevenlabs');
    expect(error.message).toContain('openai');
    pool.dispose();
  });
});
