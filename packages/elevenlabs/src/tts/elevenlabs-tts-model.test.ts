import {
  AuthenticationError,
  BadRequestError,
  createVirtualClock,
  frameDurationMs,
  NetworkError,
  ProtocolError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type TtsEvent,
} from '@argentum/core';
import { Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  activeHandles,
  audioSamples,
  collect,
  handlesBackTo,
  providerFor,
  sentenceMarks,
  settle,
  wordMarks,
} from '../test-support/test-support';
import { createElevenLabsTestServer } from '../testing/elevenlabs-test-server';
import type { ElevenLabsTestServer } from '../testing/test-server-types';

let server: ElevenLabsTestServer;
beforeEach(async () => {
  server = await createElevenLabsTestServer({ apiKey: 'test-key' });
});
afterEach(async () => {
  await server.close();
});

const sent = (connection = 1) =>
  server.messages.filter((entry) => entry.connection === connection).map((entry) => entry.message);

describe('ElevenLabsTtsModel (stream-input WebSocket)', () => {
  it('speaks a string: settings first, pieces ending with a space, flush, then the end message', async () => {
    const tts = providerFor(server).tts('eleven_flash_v2_5', {
      voice: 'voice-1',
      voiceSettings: { stability: 0.4, similarityBoost: 0.8, speed: 1.1 },
      chunkLengthSchedule: [50, 120],
    });
    const events = await collect(tts.synthesize({ text: 'Hello world. How are you?' }));
    expect(sent()).toEqual([
      {
        text: ' ',
        voice_settings: { stability: 0.4, similarity_boost: 0.8, speed: 1.1 },
        generation_config: { chunk_length_schedule: [50, 120] },
      },
      { text: 'Hello world. ' },
      { text: 'How are you? ', flush: true },
      { text: '' },
    ]);
    const connection = server.connections[0]!;
    expect(connection).toMatchObject({
      endpoint: 'stream-input',
      voiceId: 'voice-1',
      apiKeyHeader: 'test-key',
    });
    expect(connection.query).toMatchObject({ model_id: 'eleven_flash_v2_5', output_format: 'pcm_24000' });
    // 26 characters × 60 ms of audio, framed at 20 ms.
    const end = events.at(-1);
    expect(end).toMatchObject({ type: 'end', durationMs: 26 * 60 });
    expect(audioSamples(events)).toBe((26 * 60 * 24000) / 1000);
    expect(wordMarks(events).map((mark) => [mark.text, mark.offsetMs, mark.durationMs])).toEqual([
      ['Hello', 0, 300],
      ['world.', 360, 360],
      ['How', 780, 180],
      ['are', 1020, 180],
      ['you?', 1260, 240],
    ]);
    expect(sentenceMarks(events).map((mark) => [mark.text, mark.offsetMs, mark.durationMs])).toEqual([
      ['Hello world.', 0, 720],
      ['How are you?', 780, 720],
    ]);
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
    expect(connection.closeCode).toBe(1000);
  });

  it('streams LLM deltas: sends each sentence as soon as it is complete', async () => {
    const deltas = new Subject<string>();
    const tts = providerFor(server).tts(undefined, { flushAtSentenceEnd: true });
    const events: TtsEvent[] = [];
    const done = new Promise<void>((resolve, reject) =>
      tts
        .synthesize({ text: deltas })
        .subscribe({ next: (e) => events.push(e), error: reject, complete: resolve }),
    );
    await vi.waitFor(() => expect(sent().length).toBe(1));
    deltas.next('Fir');
    deltas.next('st one. Sec');
    await vi.waitFor(() => expect(sent()).toContainEqual({ text: 'First one. ', flush: true }));
    // The server generates the flushed sentence before the rest of the text exists.
    await vi.waitFor(() => expect(wordMarks(events).map((mark) => mark.text)).toEqual(['First', 'one.']));
    deltas.next('ond one');
    deltas.complete();
    await done;
    expect(sent().slice(-2)).toEqual([{ text: 'Second one ', flush: true }, { text: '' }]);
    expect(wordMarks(events).map((mark) => mark.text)).toEqual(['First', 'one.', 'Second', 'one']);
  });

  it('emits marks before the audio they describe, with absolute offsets across chunks', async () => {
    const events = await collect(
      providerFor(server).tts().synthesize({ text: 'Alignment spans several chunks.' }),
    );
    let lastAudioEnd = 0;
    for (const event of events) {
      if (event.type === 'audio') lastAudioEnd = event.frame.timestamp + frameDurationMs(event.frame);
      if (event.type === 'mark' && event.kind === 'word')
        expect(event.offsetMs).toBeGreaterThanOrEqual(lastAudioEnd);
    }
    const [alignment, spans] = wordMarks(events);
    expect(alignment).toMatchObject({ text: 'Alignment', offsetMs: 0, durationMs: 9 * 60, aligned: true });
    expect(spans).toMatchObject({ text: 'spans', offsetMs: 10 * 60 });
  });

  it.each([
    ['ulaw_8000', 8000],
    ['alaw_8000', 8000],
    ['pcm_16000', 16000],
    ['pcm_44100', 44100],
  ] as const)('decodes %s into 20 ms frames', async (outputFormat, rate) => {
    const tts = providerFor(server).tts(undefined, { outputFormat });
    expect(tts.sampleRate).toBe(rate);
    const events = await collect(tts.synthesize({ text: 'Telephone.' }));
    const frames = events.flatMap((event) => (event.type === 'audio' ? [event.frame] : []));
    expect(frames.every((frame) => frame.sampleRate === rate && frame.samples.length === rate / 50)).toBe(
      true,
    );
    expect(frames.map((frame) => frame.timestamp)).toEqual(frames.map((_, i) => i * 20));
    // The buzz survives the codec: the loudest sample is near the synthesized amplitude.
    const peak = Math.max(...frames.flatMap((frame) => Array.from(frame.samples, Math.abs)));
    expect(peak).toBeGreaterThan(8000);
    expect(server.connections[0]?.query.output_format).toBe(outputFormat);
  });

  it('resamples to the requested rate', async () => {
    const tts = providerFor(server).tts(undefined, { outputFormat: 'pcm_24000' });
    const events = await collect(tts.synthesize({ text: 'Resample me.', sampleRate: 16000 }));
    const frames = events.flatMap((event) => (event.type === 'audio' ? [event.frame] : []));
    expect(frames.every((frame) => frame.sampleRate === 16000 && frame.samples.length === 320)).toBe(true);
    // 'Resample me. ' (sent with its trailing space): 13 characters × 60 ms at the wire rate.
    expect(events.at(-1)).toMatchObject({ type: 'end', durationMs: 13 * 60 });
    // The resampler's tail is flushed, and nothing is lost or invented: 780 ms → 39 frames.
    expect(frames.length).toBe((13 * 60) / 20);
    // Word marks keep their wire-rate times (they are in ms, independent of the output rate).
    expect(wordMarks(events).map((mark) => [mark.text, mark.offsetMs])).toEqual([
      ['Resample', 0],
      ['me.', 9 * 60],
    ]);
  });

  it('uses normalized alignment when asked', async () => {
    const tts = providerFor(server).tts(undefined, { alignment: 'normalized' });
    const events = await collect(tts.synthesize({ text: 'Big NEWS.' }));
    expect(wordMarks(events).map((mark) => mark.text)).toEqual(['big', 'news.']);
  });

  it('accepts the second spellings (is_final, charsDurationsMs)', async () => {
    server.setFaults({ alternateSpellings: true });
    const events = await collect(providerFor(server).tts().synthesize({ text: 'Spelled twice.' }));
    expect(wordMarks(events).map((mark) => [mark.text, mark.durationMs])).toEqual([
      ['Spelled', 420],
      ['twice.', 360],
    ]);
    expect(events.at(-1)?.type).toBe('end');
  });

  it('sends keepalives before the inactivity timeout while waiting for text (scheduler-driven)', async () => {
    const clock = createVirtualClock();
    const deltas = new Subject<string>();
    const tts = providerFor(server).tts(undefined, {
      inactivityTimeoutSeconds: 10,
      keepAliveIntervalMs: 7000,
    });
    const events: TtsEvent[] = [];
    const done = new Promise<void>((resolve, reject) =>
      tts
        .synthesize({ text: deltas }, { scheduler: clock.scheduler })
        .subscribe({ next: (e) => events.push(e), error: reject, complete: resolve }),
    );
    await vi.waitFor(() => expect(sent().length).toBe(1));
    clock.advanceBy(6999);
    await settle();
    expect(sent().length).toBe(1);
    clock.advanceBy(1);
    await vi.waitFor(() => expect(sent()).toEqual([expect.objectContaining({ text: ' ' }), { text: ' ' }]));
    clock.advanceBy(7000);
    await vi.waitFor(() => expect(sent().length).toBe(3));
    deltas.next('Finally. ');
    deltas.complete();
    await done;
    expect(server.connections[0]?.query.inactivity_timeout).toBe('10');
    expect(sent().slice(-2)).toEqual([{ text: 'Finally. ' }, { text: '' }]);
    expect(events.at(-1)?.type).toBe('end');
  });

  it('reports the server closing an idle socket (input_timeout_exceeded, 1008) as a TimeoutError', async () => {
    server.setFaults({ inputTimeoutMs: 50 });
    const error = await collect(providerFor(server).tts().synthesize({ text: new Subject<string>() })).catch(
      (e) => e,
    );
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 1008, retryable: true });
    expect(error.message).toContain('input_timeout_exceeded');
  });

  it('maps a refused key (error body + 1008) to an AuthenticationError', async () => {
    const tts = providerFor(server, { apiKey: 'wrong' }).tts();
    const error = await collect(tts.synthesize({ text: 'Hi.' })).catch((e) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain('wrong');
  });

  it('errors with an AuthenticationError when no key is configured', async () => {
    vi.stubEnv('ELEVENLABS_API_KEY', '');
    const tts = providerFor(server, { apiKey: undefined }).tts();
    const error = await collect(tts.synthesize({ text: 'Hi.' })).catch((e) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error.message).toContain('ELEVENLABS_API_KEY');
    expect(server.totalConnections).toBe(0);
    vi.unstubAllEnvs();
  });

  it('maps error bodies to typed errors (max_active_conversations → RateLimitError, others → BadRequestError)', async () => {
    server.setFaults({
      errorAfterChunks: { afterChunks: 1, error: 'max_active_conversations', message: 'Too many' },
    });
    const limited = await collect(
      providerFor(server).tts().synthesize({ text: 'A longer sentence here.' }),
    ).catch((e) => e);
    expect(RateLimitError.isInstance(limited)).toBe(true);
    server.setFaults({ errorAfterChunks: { afterChunks: 0, error: 'invalid_request', message: 'Bad text' } });
    const bad = await collect(providerFor(server).tts().synthesize({ text: 'Hi.' })).catch((e) => e);
    expect(BadRequestError.isInstance(bad)).toBe(true);
    expect(bad.message).toContain('Bad text');
  });

  it('maps an error body with another close code (1011) to a ServerError', async () => {
    server.setFaults({
      errorAfterChunks: { afterChunks: 1, error: 'internal_error', message: 'Boom', closeCode: 1011 },
    });
    const error = await collect(
      providerFor(server).tts().synthesize({ text: 'Server trouble ahead.' }),
    ).catch((e) => e);
    expect(ServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 1011, retryable: true });
    expect(error.message).toContain('Boom');
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
  });

  it('fails with a NetworkError when the socket drops mid-stream, and does not reconnect mid-utterance', async () => {
    server.setFaults({ disconnectAfterChunks: 2 });
    const events: TtsEvent[] = [];
    const error = await new Promise((resolve) =>
      providerFor(server)
        .tts()
        .synthesize({ text: 'This sentence is long enough for several chunks.' })
        .subscribe({ next: (e) => events.push(e), error: resolve }),
    );
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(events.some((event) => event.type === 'audio')).toBe(true);
    await settle(20);
    expect(server.totalConnections).toBe(1);
  });

  it('fails with a ProtocolError on malformed JSON', async () => {
    server.setFaults({ malformedJsonAfterChunks: 1 });
    const error = await collect(providerFor(server).tts().synthesize({ text: 'Malformed soon.' })).catch(
      (e) => e,
    );
    expect(ProtocolError.isInstance(error)).toBe(true);
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
  });

  it('retries a refused upgrade with backoff, then connects', async () => {
    server.setFaults({ upgradeErrors: [{ status: 503 }, { status: 503 }] });
    const tts = providerFor(server).tts(undefined, { reconnectDelayMs: 5 });
    const events = await collect(tts.synthesize({ text: 'Third time lucky.' }));
    expect(events.at(-1)?.type).toBe('end');
    expect(server.totalConnections).toBe(1);
  });

  it('does not retry a refused upgrade that will not succeed (401)', async () => {
    server.setFaults({ upgradeErrors: [{ status: 401 }] });
    const error = await collect(providerFor(server).tts().synthesize({ text: 'No.' })).catch((e) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error.status).toBe(401);
  });

  it('times out a connection that does not open (connect timeout on the scheduler)', async () => {
    server.setFaults({ upgradeDelayMs: 60_000 });
    const clock = createVirtualClock();
    const tts = providerFor(server).tts(undefined, { connectTimeoutMs: 2000, maxReconnectAttempts: 0 });
    const failure = new Promise((resolve) =>
      tts.synthesize({ text: 'Slow.' }, { scheduler: clock.scheduler }).subscribe({ error: resolve }),
    );
    await settle();
    clock.advanceBy(2000);
    const error = await failure;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('2000 ms');
  });

  it('waits with backoff before the next utterance after a drop', async () => {
    const clock = createVirtualClock();
    const tts = providerFor(server).tts(undefined, { reconnectDelayMs: 400 });
    server.setFaults({ disconnectAfterChunks: 1 });
    await collect(tts.synthesize({ text: 'Dropped.' }, { scheduler: clock.scheduler })).catch(
      () => undefined,
    );
    server.setFaults({});
    const next = collect(tts.synthesize({ text: 'Again.' }, { scheduler: clock.scheduler }));
    await settle(20);
    expect(server.totalConnections).toBe(1);
    clock.advanceBy(400);
    expect((await next).at(-1)?.type).toBe('end');
    expect(server.totalConnections).toBe(2);
  });

  it('delivers late chunks (latency before the first chunk and per chunk)', async () => {
    server.setFaults({ firstChunkDelayMs: 30, chunkDelayMs: 5 });
    const events = await collect(providerFor(server).tts().synthesize({ text: 'Slow but sure.' }));
    expect(wordMarks(events).map((mark) => mark.text)).toEqual(['Slow', 'but', 'sure.']);
  });

  it('ends at once for empty text without opening a socket for long', async () => {
    const events = await collect(providerFor(server).tts().synthesize({ text: '   ' }));
    expect(events).toEqual([{ type: 'end', durationMs: 0, at: expect.any(Number) }]);
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
  });

  it('cancels while connecting: the upgrade is abandoned, no sockets or timers left', async () => {
    await settle();
    const before = activeHandles();
    server.setFaults({ upgradeDelayMs: 60_000 });
    const subscription = providerFor(server).tts().synthesize({ text: 'Never spoken.' }).subscribe();
    await vi.waitFor(() => expect(activeHandles().sockets).toBeGreaterThan(before.sockets));
    subscription.unsubscribe();
    const after = await handlesBackTo(before);
    expect(after.sockets).toBeLessThanOrEqual(before.sockets);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
    expect(server.totalConnections).toBe(0);
  });

  it('cancels on unsubscribe mid-stream: socket closed, no sockets or timers left', async () => {
    await settle();
    const before = activeHandles();
    server.setFaults({ chunkDelayMs: 20 });
    const events: TtsEvent[] = [];
    const subscription = providerFor(server)
      .tts()
      .synthesize({ text: 'A long utterance that we will interrupt halfway through.' })
      .subscribe((event) => events.push(event));
    await vi.waitFor(() => expect(events.some((event) => event.type === 'audio')).toBe(true));
    expect(activeHandles().sockets).toBeGreaterThan(before.sockets);
    subscription.unsubscribe();
    const count = events.length;
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
    expect(server.connections[0]?.closeCode).toBe(1000);
    await settle(20);
    expect(events.length).toBe(count);
    const after = await handlesBackTo(before);
    expect(after.sockets).toBeLessThanOrEqual(before.sockets);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
  });
});
