import {
  AudioFormatError,
  createAudioFrame,
  createVirtualClock,
  InvalidArgumentError,
  NetworkError,
  ProtocolError,
  RateLimitError,
  ServerError,
  type SttEvent,
  silentFrame,
  TimeoutError,
} from '@argentum/core';
import { from } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeResources, collect, settleConnections } from '../internal/test-helpers.test-support';
import { createOpenAI } from '../openai-provider';
import { createOpenAITestServer, generateTestAudio, type OpenAITestServer } from '../testing/index';

let server: OpenAITestServer;

beforeEach(async () => {
  server = await createOpenAITestServer({ apiKey: 'test-key' });
});
afterEach(async () => {
  await server.close();
});

const provider = (settings: Parameters<typeof createOpenAI>[0] = {}) =>
  createOpenAI({ baseURL: server.baseURL, apiKey: 'test-key', retryBaseDelayMs: 1, ...settings });

/** A 16 kHz clip of `count` 20 ms frames holding a tone. */
function clip(count: number) {
  const samples = generateTestAudio({ durationMs: count * 20, sampleRate: 16_000 });
  return Array.from({ length: count }, (_, i) =>
    createAudioFrame({
      samples: samples.slice(i * 320, (i + 1) * 320),
      sampleRate: 16_000,
      channels: 1,
      timestamp: i * 20,
    }),
  );
}

const summary = (events: SttEvent[]) => events.map((event) => `${event.type}:${event.text}`);

describe('OpenAISttModel', () => {
  it('uploads the clip as a WAV file and emits the final transcript (whisper-1, not streamed)', async () => {
    server.setScript({ transcription: 'Turn on the lights.' });
    const stt = provider().transcription('whisper-1');
    expect(stt.capabilities).toEqual({ streaming: false, partials: false });
    const frames = clip(25);
    const { values, error } = await collect(
      stt.transcribe({ audio: frames, language: 'en', prompt: 'lights' }),
    );
    expect(error).toBeUndefined();
    expect(values).toMatchObject([{ type: 'transcript-final', text: 'Turn on the lights.', language: 'en' }]);
    const request = server.requests[0]!;
    expect(request.fields).toMatchObject({
      model: 'whisper-1',
      language: 'en',
      prompt: 'lights',
      response_format: 'json',
    });
    expect(request.fields.stream).toBeUndefined();
    expect(request.file).toMatchObject({ filename: 'audio.wav', contentType: 'audio/wav' });
    const wav = Buffer.from(request.file!.bytes);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.readUInt32LE(24)).toBe(16_000); // sample rate
    expect(wav.readUInt16LE(22)).toBe(1); // channels
    const data = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.byteLength));
    expect(data).toEqual(new Int16Array(frames.flatMap((frame) => [...frame.samples])));
  });

  it('streams partials from transcript.text.delta and the final from transcript.text.done', async () => {
    server.setScript({ transcription: { text: 'What time is it?', deltas: ['What', ' time', ' is it?'] } });
    const stt = provider().transcription('gpt-4o-mini-transcribe');
    expect(stt.capabilities).toEqual({ streaming: false, partials: true });
    const { values, error } = await collect(stt.transcribe({ audio: clip(10) }));
    expect(error).toBeUndefined();
    expect(summary(values)).toEqual([
      'transcript-partial:What',
      'transcript-partial:What time',
      'transcript-partial:What time is it?',
      'transcript-final:What time is it?',
    ]);
    expect(server.requests[0]?.fields.stream).toBe('true');
  });

  it('collects an Observable of frames until it completes', async () => {
    const { values } = await collect(
      provider()
        .transcription('whisper-1', { temperature: 0.2 })
        .transcribe({ audio: from(clip(5)) }),
    );
    expect(values).toHaveLength(1);
    expect(server.requests[0]?.fields.temperature).toBe('0.2');
    expect(server.requests[0]?.file?.bytes.byteLength).toBe(44 + 5 * 640);
  });

  it('rejects empty clips and mixed formats without a request', async () => {
    const stt = provider().transcription('whisper-1');
    expect(InvalidArgumentError.isInstance((await collect(stt.transcribe({ audio: [] }))).error)).toBe(true);
    const mixed = [silentFrame({ sampleRate: 16_000 }), silentFrame({ sampleRate: 24_000 })];
    expect(AudioFormatError.isInstance((await collect(stt.transcribe({ audio: mixed }))).error)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('aborts a streamed transcription on unsubscribe and leaves nothing behind', async () => {
    server.setScript({ transcription: { text: 'a b c d e f g h', faults: { chunkDelayMs: 40 } } });
    const stt = provider().transcription('gpt-4o-transcribe');
    const before = activeResources();
    await new Promise<void>((resolve) => {
      const subscription = stt.transcribe({ audio: clip(5) }).subscribe(() => {
        subscription.unsubscribe();
        resolve();
      });
    });
    const leaked = await settleConnections(server, before);
    expect(server.requests[0]?.outcome).toBe('client-closed');
    expect(server.abortedResponses).toBe(1);
    expect(server.openConnections).toBe(0);
    expect(leaked).toEqual({});
  });

  describe('faults', () => {
    it('retries 429 and 500, then transcribes', async () => {
      server.setScript({
        transcription: [
          { type: 'http-error', status: 429, retryAfterMs: 5 },
          { type: 'http-error', status: 500 },
          'Third time lucky.',
        ],
      });
      const { values } = await collect(
        provider({ maxRetries: 2 })
          .transcription('whisper-1')
          .transcribe({ audio: clip(3) }),
      );
      expect(summary(values)).toEqual(['transcript-final:Third time lucky.']);
      expect(server.requests).toHaveLength(3);
      expect(server.requests[2]?.file?.bytes).toEqual(server.requests[0]?.file?.bytes);
    });

    it('surfaces RateLimitError when retries are disabled', async () => {
      server.setScript({ transcription: { type: 'http-error', status: 429, retryAfterSeconds: 1 } });
      const { error } = await collect(
        provider({ maxRetries: 0 })
          .transcription('whisper-1')
          .transcribe({ audio: clip(3) }),
      );
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect((error as RateLimitError).retryAfterMs).toBe(1000);
    });

    it('reports a disconnect after partials as NetworkError', async () => {
      server.setScript({ transcription: { text: 'one two three', faults: { disconnectAfterChunks: 2 } } });
      const { values, error } = await collect(
        provider()
          .transcription('gpt-4o-transcribe')
          .transcribe({ audio: clip(3) }),
      );
      expect(summary(values)).toEqual(['transcript-partial:one', 'transcript-partial:one two']);
      expect(NetworkError.isInstance(error)).toBe(true);
    });

    it('maps malformed JSON and error payloads in the stream', async () => {
      server.setScript({
        transcription: [
          { text: 'one two', faults: { malformedJsonAfterChunks: 1 } },
          { text: 'one two', faults: { errorAfterChunks: 1 } },
        ],
      });
      const stt = provider().transcription('gpt-4o-transcribe');
      expect(ProtocolError.isInstance((await collect(stt.transcribe({ audio: clip(2) }))).error)).toBe(true);
      expect(ServerError.isInstance((await collect(stt.transcribe({ audio: clip(2) }))).error)).toBe(true);
    });

    it('times out a server that does not answer, aborting the upload', async () => {
      server.setScript({ transcription: { text: 'late', faults: { responseDelayMs: 10_000 } } });
      const clock = createVirtualClock();
      const stt = provider({ timeoutMs: 3000, maxRetries: 0 }).transcription('whisper-1');
      const result = collect(stt.transcribe({ audio: clip(2) }, { scheduler: clock.scheduler }));
      await server.waitForRequests(1);
      clock.advanceBy(2999);
      expect(server.requests[0]?.outcome).toBe('pending');
      clock.advanceBy(1);
      const { values, error } = await result;
      expect(values).toEqual([]);
      expect(TimeoutError.isInstance(error)).toBe(true);
      expect(await server.waitForOutcome(0)).toBe('client-closed');
    });

    it('times out a stalled stream between two deltas', async () => {
      server.setScript({ transcription: { text: 'one two', faults: { chunkDelayMs: 10_000 } } });
      const clock = createVirtualClock();
      const stt = provider({ timeoutMs: 3000 }).transcription('gpt-4o-transcribe');
      const seen: SttEvent[] = [];
      let failure: unknown;
      const done = new Promise<void>((resolve) => {
        stt.transcribe({ audio: clip(2) }, { scheduler: clock.scheduler }).subscribe({
          next: (event) => seen.push(event),
          error: (error: unknown) => {
            failure = error;
            resolve();
          },
          complete: resolve,
        });
      });
      while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
      clock.advanceBy(3000);
      await done;
      expect(summary(seen)).toEqual(['transcript-partial:one']);
      expect(TimeoutError.isInstance(failure)).toBe(true);
      expect(server.requests).toHaveLength(1); // no retry once a partial was emitted
      expect(await server.waitForOutcome(0)).toBe('client-closed');
    });

    it('reports a stream that ends without transcript.text.done as incomplete', async () => {
      server.setScript({ transcription: { text: 'one two', faults: { endAfterChunks: 2 } } });
      const { values, error } = await collect(
        provider()
          .transcription('gpt-4o-transcribe')
          .transcribe({ audio: clip(2) }),
      );
      expect(values.map((event) => event.type)).toEqual(['transcript-partial', 'transcript-partial']);
      expect(NetworkError.isInstance(error)).toBe(true);
    });
  });
});
