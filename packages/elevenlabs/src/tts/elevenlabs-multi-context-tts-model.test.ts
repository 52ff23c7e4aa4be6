import {
  createVirtualClock,
  NetworkError,
  ProtocolError,
  RateLimitError,
  TimeoutError,
  type TtsEvent,
} from '@argentum/core';
import { Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  activeHandles,
  collect,
  handlesBackTo,
  providerFor,
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

const sent = () => server.messages.map((entry) => entry.message);

/** Subscribes and records events; resolves `done` on completion or error. */
function start(
  events$: ReturnType<ReturnType<ReturnType<typeof providerFor>['multiContextTts']>['synthesize']>,
) {
  const events: TtsEvent[] = [];
  let error: unknown;
  let completed = false;
  const subscription = events$.subscribe({
    next: (event) => events.push(event),
    error: (e) => {
      error = e;
    },
    complete: () => {
      completed = true;
    },
  });
  return {
    events,
    subscription,
    get error() {
      return error;
    },
    get completed() {
      return completed;
    },
  };
}

describe('ElevenLabsMultiContextTtsModel (multi-stream-input WebSocket)', () => {
  it('runs several utterances as contexts ctx-1, ctx-2 on one socket', async () => {
    const tts = providerFor(server).multiContextTts('eleven_flash_v2_5', {
      voiceSettings: { stability: 0.5 },
      socketIdleTimeoutMs: 0,
    });
    expect(tts.capabilities.multiContextCancel).toBe(true);
    const [first, second] = await Promise.all([
      collect(tts.synthesize({ text: 'First voice.' })),
      collect(tts.synthesize({ text: 'Second voice.' })),
    ]);
    expect(wordMarks(first).map((mark) => mark.text)).toEqual(['First', 'voice.']);
    expect(wordMarks(second).map((mark) => mark.text)).toEqual(['Second', 'voice.']);
    expect(server.totalConnections).toBe(1);
    expect(server.connections[0]?.endpoint).toBe('multi-stream-input');
    expect(sent().filter((message) => message.context_id === 'ctx-1')).toEqual([
      { text: ' ', voice_settings: { stability: 0.5 }, context_id: 'ctx-1' },
      { text: 'First voice. ', flush: true, context_id: 'ctx-1' },
      { close_context: true, context_id: 'ctx-1' },
    ]);
    // Idle: the socket is closed with close_socket.
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
    expect(sent().at(-1)).toEqual({ close_socket: true });
  });

  it('barge-in: unsubscribing closes the context and keeps the socket for the next utterance', async () => {
    server.setFaults({ chunkDelayMs: 15 });
    const tts = providerFor(server).multiContextTts(undefined, { socketIdleTimeoutMs: 5000 });
    const long = start(tts.synthesize({ text: 'A long answer that keeps going and going for a while.' }));
    await vi.waitFor(() => expect(long.events.some((event) => event.type === 'audio')).toBe(true));
    long.subscription.unsubscribe();
    const heard = long.events.length;
    const reply = await collect(tts.synthesize({ text: 'Go ahead.' }));
    expect(sent()).toContainEqual({ close_context: true, context_id: 'ctx-1' });
    expect(wordMarks(reply).map((mark) => mark.text)).toEqual(['Go', 'ahead.']);
    expect(long.events.length).toBe(heard);
    expect(server.totalConnections).toBe(1);
    tts.close();
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
  });

  it('queues a sixth context until a slot is freed by the final message of a closed one', async () => {
    const tts = providerFor(server).multiContextTts(undefined, { socketIdleTimeoutMs: 0 });
    const inputs = Array.from({ length: 6 }, () => new Subject<string>());
    const runs = inputs.map((text) => start(tts.synthesize({ text })));
    await vi.waitFor(() => expect(sent().filter((message) => message.text === ' ').length).toBe(5));
    await settle(10);
    expect(sent().some((message) => message.context_id === 'ctx-6')).toBe(false);
    runs[0]!.subscription.unsubscribe();
    await vi.waitFor(() =>
      expect(sent()).toContainEqual(expect.objectContaining({ text: ' ', context_id: 'ctx-6' })),
    );
    for (const [index, input] of inputs.entries()) {
      if (index === 0) continue;
      input.next(`Context ${index + 1}.`);
      input.complete();
    }
    await vi.waitFor(() => expect(runs.slice(1).every((run) => run.completed)).toBe(true));
    expect(wordMarks(runs[5]!.events).map((mark) => mark.text)).toEqual(['Context', '6.']);
    expect(server.connections[0]?.closeCode).not.toBe(1008);
  });

  it('rejects a sixth context with a RateLimitError before the server would (contextLimit: reject)', async () => {
    const tts = providerFor(server).multiContextTts(undefined, {
      contextLimit: 'reject',
      socketIdleTimeoutMs: 0,
    });
    const runs = Array.from({ length: 5 }, () => start(tts.synthesize({ text: new Subject<string>() })));
    const error = await collect(tts.synthesize({ text: 'One too many.' })).catch((e) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.message).toContain('5 contexts');
    await vi.waitFor(() => expect(server.totalConnections).toBe(1));
    for (const run of runs) run.subscription.unsubscribe();
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
    expect(server.connections[0]?.closeCode).toBe(1000);
    expect(sent().some((message) => message.context_id === 'ctx-6')).toBe(false);
  });

  it('never sends a keepalive for a context before its settings message', async () => {
    const clock = createVirtualClock();
    const tts = providerFor(server).multiContextTts(undefined, {
      inactivityTimeoutSeconds: 10,
      keepAliveIntervalMs: 4000,
      socketIdleTimeoutMs: 0,
    });
    const input = new Subject<string>();
    const run = start(tts.synthesize({ text: input }, { scheduler: clock.scheduler }));
    // Before the socket opens, time passes: no keepalive can precede the settings message.
    clock.advanceBy(4000);
    await vi.waitFor(() => expect(sent().length).toBe(1));
    clock.advanceBy(4000);
    await vi.waitFor(() => expect(sent().length).toBe(2));
    expect(sent()).toEqual([
      { text: ' ', context_id: 'ctx-1' },
      { text: '', context_id: 'ctx-1' },
    ]);
    input.next('Still here.');
    input.complete();
    await vi.waitFor(() => expect(run.completed).toBe(true));
    expect(wordMarks(run.events).map((mark) => mark.text)).toEqual(['Still', 'here.']);
  });

  it('sends close_context only once the context produced audio (an early close would cancel synthesis)', async () => {
    server.setFaults({ firstChunkDelayMs: 40, earlyCloseDropsAudio: true });
    const tts = providerFor(server).multiContextTts(undefined, { socketIdleTimeoutMs: 0 });
    const events = await collect(tts.synthesize({ text: 'Short reply.' }));
    expect(wordMarks(events).map((mark) => mark.text)).toEqual(['Short', 'reply.']);
    expect(events.at(-1)).toMatchObject({ type: 'end', durationMs: 13 * 60 });
    const log = server.messages.map((entry) => entry.message);
    expect(log.filter((message) => message.context_id === 'ctx-1')).toEqual([
      { text: ' ', context_id: 'ctx-1' },
      { text: 'Short reply. ', flush: true, context_id: 'ctx-1' },
      { close_context: true, context_id: 'ctx-1' },
    ]);
    // The close went out after the first audio reached the client (40 ms after the flush).
    const [flush, close] = server.messages.slice(1, 3).map((entry) => entry.at);
    expect(close! - flush!).toBeGreaterThanOrEqual(35);
  });

  it('closes a context that stays silent after its input ended when its keepalive is due', async () => {
    const clock = createVirtualClock();
    server.setFaults({ firstChunkDelayMs: 60_000, earlyCloseDropsAudio: true });
    const tts = providerFor(server).multiContextTts(undefined, {
      inactivityTimeoutSeconds: 10,
      keepAliveIntervalMs: 5000,
      socketIdleTimeoutMs: 0,
    });
    const run = start(tts.synthesize({ text: 'Nothing comes back.' }, { scheduler: clock.scheduler }));
    await vi.waitFor(() => expect(sent().length).toBe(2));
    clock.advanceBy(5000);
    await vi.waitFor(() => expect(run.completed).toBe(true));
    expect(sent().slice(-2)).toEqual([{ close_context: true, context_id: 'ctx-1' }, { close_socket: true }]);
    expect(sent().some((message) => message.text === '')).toBe(false);
    expect(run.events).toEqual([{ type: 'end', durationMs: 0, at: 5000 }]);
  });

  it('accepts context_id and is_final spellings', async () => {
    server.setFaults({ alternateSpellings: true });
    const tts = providerFor(server).multiContextTts(undefined, { socketIdleTimeoutMs: 0 });
    const events = await collect(tts.synthesize({ text: 'Other spelling.' }));
    expect(wordMarks(events).map((mark) => mark.text)).toEqual(['Other', 'spelling.']);
    expect(events.at(-1)?.type).toBe('end');
  });

  it('fails active contexts when the socket drops; the next utterance reconnects after a backoff', async () => {
    const clock = createVirtualClock();
    const tts = providerFor(server).multiContextTts(undefined, {
      socketIdleTimeoutMs: 0,
      reconnectDelayMs: 300,
    });
    server.setFaults({ disconnectAfterChunks: 1 });
    const error = await collect(
      tts.synthesize({ text: 'Dropped mid way.' }, { scheduler: clock.scheduler }),
    ).catch((e) => e);
    expect(NetworkError.isInstance(error)).toBe(true);
    server.setFaults({});
    const next = collect(tts.synthesize({ text: 'Back again.' }, { scheduler: clock.scheduler }));
    await settle(20);
    expect(server.totalConnections).toBe(1);
    clock.advanceBy(300);
    expect(wordMarks(await next).map((mark) => mark.text)).toEqual(['Back', 'again.']);
    expect(server.totalConnections).toBe(2);
  });

  it('moves queued contexts to a new socket when the socket drops', async () => {
    const tts = providerFor(server).multiContextTts(undefined, {
      maxConcurrentContexts: 1,
      socketIdleTimeoutMs: 0,
      reconnectDelayMs: 50,
    });
    server.setFaults({ disconnectAfterChunks: 1 });
    const first = start(tts.synthesize({ text: 'This one is dropped.' }));
    const second = start(tts.synthesize({ text: 'This one waits.' }));
    await vi.waitFor(() => expect(first.error).toBeDefined());
    server.setFaults({});
    expect(NetworkError.isInstance(first.error)).toBe(true);
    await vi.waitFor(() => expect(second.completed).toBe(true));
    expect(wordMarks(second.events).map((mark) => mark.text)).toEqual(['This', 'one', 'waits.']);
    expect(server.totalConnections).toBe(2);
  });

  it('fails every active context with the typed error of an error body (then 1008), without reconnecting', async () => {
    server.setFaults({
      errorAfterChunks: { afterChunks: 1, error: 'quota_exceeded', message: 'Quota exceeded' },
    });
    const tts = providerFor(server).multiContextTts(undefined, { socketIdleTimeoutMs: 0 });
    const waiting = start(tts.synthesize({ text: new Subject<string>() }));
    const error = await collect(tts.synthesize({ text: 'This one gets a chunk first.' })).catch((e) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false, status: 1008 });
    expect(error.message).toContain('Quota exceeded');
    await vi.waitFor(() => expect(RateLimitError.isInstance(waiting.error)).toBe(true));
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
    await settle(10);
    expect(server.totalConnections).toBe(1);
  });

  it('fails the context with a ProtocolError on malformed JSON', async () => {
    server.setFaults({ malformedJsonAfterChunks: 1 });
    const tts = providerFor(server).multiContextTts(undefined, { socketIdleTimeoutMs: 0 });
    const error = await collect(tts.synthesize({ text: 'Garbled reply soon.' })).catch((e) => e);
    expect(ProtocolError.isInstance(error)).toBe(true);
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
  });

  it('reports the server closing an idle socket (input_timeout_exceeded) as a TimeoutError', async () => {
    server.setFaults({ inputTimeoutMs: 50 });
    const tts = providerFor(server).multiContextTts(undefined, { socketIdleTimeoutMs: 0 });
    const error = await collect(tts.synthesize({ text: new Subject<string>() })).catch((e) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.message).toContain('input_timeout_exceeded');
  });

  it('retries a refused upgrade, then runs the context', async () => {
    server.setFaults({ upgradeErrors: [{ status: 503 }] });
    const tts = providerFor(server).multiContextTts(undefined, {
      socketIdleTimeoutMs: 0,
      reconnectDelayMs: 5,
    });
    const events = await collect(tts.synthesize({ text: 'Second try.' }));
    expect(wordMarks(events).map((mark) => mark.text)).toEqual(['Second', 'try.']);
    expect(server.totalConnections).toBe(1);
  });

  it('times out a socket that does not open, failing its contexts', async () => {
    server.setFaults({ upgradeDelayMs: 60_000 });
    const clock = createVirtualClock();
    const tts = providerFor(server).multiContextTts(undefined, {
      connectTimeoutMs: 3000,
      maxReconnectAttempts: 0,
      socketIdleTimeoutMs: 0,
    });
    const failure = collect(tts.synthesize({ text: 'Never.' }, { scheduler: clock.scheduler })).catch(
      (e) => e,
    );
    await settle();
    clock.advanceBy(3000);
    expect(TimeoutError.isInstance(await failure)).toBe(true);
  });

  it('leaves no sockets or timers after unsubscribing mid-stream (idle close)', async () => {
    await settle();
    const before = activeHandles();
    server.setFaults({ chunkDelayMs: 10 });
    const tts = providerFor(server).multiContextTts(undefined, { socketIdleTimeoutMs: 0 });
    const run = start(tts.synthesize({ text: 'Interrupt this sentence somewhere in the middle please.' }));
    await vi.waitFor(() => expect(run.events.some((event) => event.type === 'audio')).toBe(true));
    run.subscription.unsubscribe();
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
    expect(sent()).toContainEqual({ close_context: true, context_id: 'ctx-1' });
    expect(sent().at(-1)).toEqual({ close_socket: true });
    const after = await handlesBackTo(before);
    expect(after.sockets).toBeLessThanOrEqual(before.sockets);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
  });
});
