import {
  AuthenticationError,
  createVirtualClock,
  NetworkError,
  ProtocolError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type TtsEvent,
} from '@argentum/core';
import { from, Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  activeHandles,
  audioSamples,
  collect,
  handlesBackTo,
  providerFor,
  sentenceMarks,
  wordMarks,
} from '../test-support/test-support';
import { createElevenLabsTestServer } from '../testing/elevenlabs-test-server';
import type { ElevenLabsTestServer } from '../testing/test-server-types';
import { secondsToChunkAlignment } from './elevenlabs-http-tts-model';

let server: ElevenLabsTestServer;
beforeEach(async () => {
  server = await createElevenLabsTestServer({ apiKey: 'test-key' });
});
afterEach(async () => {
  await server.close();
});

describe('ElevenLabsHttpTtsModel (HTTP with timestamps through @elevenlabs/elevenlabs-js)', () => {
  it('streams audio and turns seconds-based timestamps into absolute marks', async () => {
    const tts = providerFor(server).httpTts('eleven_flash_v2_5', {
      voice: 'voice-9',
      outputFormat: 'pcm_16000',
      voiceSettings: { stability: 0.3, useSpeakerBoost: true },
      previousText: 'Before.',
    });
    const events = await collect(tts.synthesize({ text: from(['Over HTTP ', 'we go. Done.']) }));
    expect(server.requests[0]).toMatchObject({
      path: '/v1/text-to-speech/voice-9/stream/with-timestamps',
      query: { output_format: 'pcm_16000' },
      apiKeyHeader: 'test-key',
      body: {
        text: 'Over HTTP we go. Done.',
        model_id: 'eleven_flash_v2_5',
        voice_settings: { stability: 0.3, use_speaker_boost: true },
        previous_text: 'Before.',
      },
    });
    expect(wordMarks(events).map((mark) => [mark.text, mark.offsetMs, mark.durationMs])).toEqual([
      ['Over', 0, 240],
      ['HTTP', 300, 240],
      ['we', 600, 120],
      ['go.', 780, 180],
      ['Done.', 1020, 300],
    ]);
    expect(sentenceMarks(events).map((mark) => mark.text)).toEqual(['Over HTTP we go.', 'Done.']);
    expect(events.at(-1)).toMatchObject({ type: 'end', durationMs: 22 * 60 });
    expect(audioSamples(events)).toBe((22 * 60 * 16000) / 1000);
  });

  it('decodes μ-law', async () => {
    const events = await collect(
      providerFor(server)
        .httpTts(undefined, { outputFormat: 'ulaw_8000' })
        .synthesize({ text: 'Phone call.' }),
    );
    const frames = events.flatMap((event) => (event.type === 'audio' ? [event.frame] : []));
    expect(frames.every((frame) => frame.sampleRate === 8000 && frame.samples.length === 160)).toBe(true);
    expect(wordMarks(events).map((mark) => mark.text)).toEqual(['Phone', 'call.']);
  });

  it('maps 429 to a RateLimitError with retryAfterMs when retries are off', async () => {
    server.setFaults({ httpErrors: [{ status: 429, retryAfterSeconds: 3 }] });
    const tts = providerFor(server).httpTts(undefined, { maxRetries: 0 });
    const error = await collect(tts.synthesize({ text: 'Too fast.' })).catch((e) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3000, retryable: true });
    expect(server.httpRequests).toBe(1);
  });

  it('retries a 429 after its retry-after on the scheduler, then succeeds', async () => {
    const clock = createVirtualClock();
    server.setFaults({ httpErrors: [{ status: 429, retryAfterSeconds: 2 }] });
    const done = collect(
      providerFor(server).httpTts().synthesize({ text: 'Patience.' }, { scheduler: clock.scheduler }),
    );
    await vi.waitFor(() => expect(server.httpRequests).toBe(1));
    clock.advanceBy(1999);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.httpRequests).toBe(1);
    clock.advanceBy(1);
    const events = await done;
    expect(server.httpRequests).toBe(2);
    expect(wordMarks(events).map((mark) => mark.text)).toEqual(['Patience.']);
  });

  it('maps a 500 to a ServerError once retries are exhausted', async () => {
    server.setFaults({ httpErrors: [{ status: 500 }, { status: 500 }] });
    const tts = providerFor(server).httpTts(undefined, { maxRetries: 1, retryDelayMs: 1 });
    const error = await collect(tts.synthesize({ text: 'Broken.' })).catch((e) => e);
    expect(ServerError.isInstance(error)).toBe(true);
    expect(error.status).toBe(500);
    expect(server.httpRequests).toBe(2);
  });

  it('maps a refused key (401) to an AuthenticationError without retrying', async () => {
    const error = await collect(
      providerFor(server, { apiKey: 'nope' }).httpTts().synthesize({ text: 'Hi.' }),
    ).catch((e) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(server.httpRequests).toBe(1);
  });

  it('fails with a ProtocolError on a malformed NDJSON line', async () => {
    server.setFaults({ malformedJsonAfterChunks: 1 });
    const error = await collect(
      providerFor(server).httpTts().synthesize({ text: 'Malformed body here.' }),
    ).catch((e) => e);
    expect(ProtocolError.isInstance(error)).toBe(true);
  });

  it('fails with a NetworkError when the body is cut mid-stream (after audio: no retry)', async () => {
    server.setFaults({ disconnectAfterChunks: 1 });
    const events: TtsEvent[] = [];
    const error = await new Promise((resolve) =>
      providerFor(server)
        .httpTts()
        .synthesize({ text: 'Cut off in the middle of it.' })
        .subscribe({ next: (e) => events.push(e), error: resolve }),
    );
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(server.httpRequests).toBe(1);
  });

  it('aborts the request on unsubscribe and leaves no sockets or timers', async () => {
    const before = activeHandles();
    server.setFaults({ chunkDelayMs: 20 });
    const events: TtsEvent[] = [];
    const subscription = providerFor(server)
      .httpTts()
      .synthesize({ text: 'A long HTTP answer that we abandon early on.' })
      .subscribe((event) => events.push(event));
    await vi.waitFor(() => expect(events.some((event) => event.type === 'audio')).toBe(true));
    expect(server.openHttpConnections).toBe(1);
    subscription.unsubscribe();
    const count = events.length;
    // The server sees the request go away (its response is dropped, its timer cleared).
    await vi.waitFor(() => expect(server.openHttpConnections).toBe(0));
    const after = await handlesBackTo(before);
    expect(after.sockets).toBeLessThanOrEqual(before.sockets);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
    expect(events.length).toBe(count);
  });

  it('stops reading the text stream on unsubscribe before any request was made', async () => {
    const deltas = new Subject<string>();
    const subscription = providerFor(server).httpTts().synthesize({ text: deltas }).subscribe();
    deltas.next('Half a sentence');
    expect(deltas.observed).toBe(true);
    subscription.unsubscribe();
    expect(deltas.observed).toBe(false);
    deltas.complete();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.httpRequests).toBe(0);
  });

  it('times out a first chunk that is late (on the scheduler), retries, then succeeds', async () => {
    const clock = createVirtualClock();
    const slow = await createElevenLabsTestServer({
      scheduler: clock.scheduler,
      faults: { firstChunkDelayMs: 5000 },
    });
    try {
      const tts = providerFor(slow).httpTts(undefined, {
        firstChunkTimeoutMs: 1000,
        maxRetries: 1,
        retryDelayMs: 100,
      });
      const done = collect(tts.synthesize({ text: 'Late start.' }, { scheduler: clock.scheduler }));
      await vi.waitFor(() => expect(slow.httpRequests).toBe(1));
      slow.setFaults({});
      clock.advanceBy(1000); // the first attempt times out and is aborted
      await vi.waitFor(() => expect(slow.openHttpConnections).toBe(0));
      clock.advanceBy(100); // the backoff before the retry
      const events = await done;
      expect(slow.httpRequests).toBe(2);
      expect(wordMarks(events).map((mark) => mark.text)).toEqual(['Late', 'start.']);
    } finally {
      await slow.close();
    }
  });

  it('fails with a TimeoutError when the first chunk stays late and retries are off', async () => {
    const clock = createVirtualClock();
    const slow = await createElevenLabsTestServer({
      scheduler: clock.scheduler,
      faults: { firstChunkDelayMs: 5000 },
    });
    try {
      const tts = providerFor(slow).httpTts(undefined, { firstChunkTimeoutMs: 1000, maxRetries: 0 });
      const failure = collect(tts.synthesize({ text: 'Never.' }, { scheduler: clock.scheduler })).catch(
        (e) => e,
      );
      await vi.waitFor(() => expect(slow.httpRequests).toBe(1));
      clock.advanceBy(1000);
      const error = await failure;
      expect(TimeoutError.isInstance(error)).toBe(true);
      expect(error.message).toContain('1000 ms');
    } finally {
      await slow.close();
    }
  });
});

describe('secondsToChunkAlignment', () => {
  it('takes times past the audio received so far as cumulative, smaller ones as chunk-relative', () => {
    const seconds = {
      characters: ['a', 'b'],
      characterStartTimesSeconds: [1, 1.1],
      characterEndTimesSeconds: [1.1, 1.3],
    };
    expect(secondsToChunkAlignment(seconds, 1000)).toEqual({
      chars: ['a', 'b'],
      startsMs: [0, expect.closeTo(100, 6)],
      durationsMs: [expect.closeTo(100, 6), expect.closeTo(200, 6)],
    });
    const relative = { characters: ['c'], characterStartTimesSeconds: [0], characterEndTimesSeconds: [0.05] };
    expect(secondsToChunkAlignment(relative, 1000)?.startsMs).toEqual([0]);
  });
});
