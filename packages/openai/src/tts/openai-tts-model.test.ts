import {
  type AudioFrame,
  createVirtualClock,
  InvalidArgumentError,
  NetworkError,
  ServerError,
  TimeoutError,
  type TtsEvent,
  type TtsMarkEvent,
  UnsupportedSampleRateError,
} from '@argentum/core';
import { from, tap } from 'rxjs';
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

const frames = (events: TtsEvent[]): AudioFrame[] =>
  events.flatMap((event) => (event.type === 'audio' ? [event.frame] : []));

function joined(list: AudioFrame[]): Int16Array {
  const out = new Int16Array(list.reduce((total, frame) => total + frame.samples.length, 0));
  let offset = 0;
  for (const frame of list) {
    out.set(frame.samples, offset);
    offset += frame.samples.length;
  }
  return out;
}

/** Amplitude of `frequency` in `samples` (single-bin DFT), normalised so a full-scale sine gives 1. */
function toneLevel(samples: Int16Array, sampleRate: number, frequency: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < samples.length; i++) {
    const angle = (2 * Math.PI * frequency * i) / sampleRate;
    re += samples[i]! * Math.cos(angle);
    im += samples[i]! * Math.sin(angle);
  }
  return (2 * Math.hypot(re, im)) / samples.length / 32767;
}

describe('OpenAITtsModel', () => {
  it('asks for pcm and sends model, voice, input, speed and instructions', async () => {
    const tts = provider().speech('gpt-4o-mini-tts', {
      voice: 'coral',
      instructions: 'Cheerful.',
      speed: 1.1,
    });
    await collect(tts.synthesize({ text: 'Hi there.', voice: 'nova', prosody: { rate: 1.5 } }));
    expect(server.requests[0]?.body).toEqual({
      model: 'gpt-4o-mini-tts',
      voice: 'nova',
      input: 'Hi there.',
      response_format: 'pcm',
      speed: 1.5,
      instructions: 'Cheerful.',
    });
    await collect(tts.synthesize({ text: 'Hi.' }));
    expect(server.requests[1]?.body).toMatchObject({ voice: 'coral', speed: 1.1 });
  });

  it('emits the server’s audio bit-exact as 20 ms frames at 24 kHz, timestamped from 0', async () => {
    const audio = generateTestAudio({ durationMs: 730, waveform: 'sweep' });
    server.setScript({ speech: { audio, chunkBytes: 1001 } });
    const { values, error } = await collect(provider().speech('tts-1').synthesize({ text: 'Sweep.' }));
    expect(error).toBeUndefined();
    const list = frames(values);
    expect(list).toHaveLength(37); // 730 ms → 36 full frames + one zero-padded
    expect(list.every((frame) => frame.sampleRate === 24_000 && frame.channels === 1)).toBe(true);
    expect(list.every((frame) => frame.samples.length === 480)).toBe(true);
    expect(list.map((frame) => frame.timestamp)).toEqual(list.map((_, i) => i * 20));
    const samples = joined(list);
    expect(samples.subarray(0, audio.length)).toEqual(audio);
    expect(samples.subarray(audio.length).every((sample) => sample === 0)).toBe(true);
    expect(values.at(-1)).toMatchObject({ type: 'end', durationMs: 730 });
  });

  it('streams audio as it arrives rather than after the whole response', async () => {
    server.setScript({ speech: { durationMs: 1000, chunkBytes: 9600, faults: { chunkDelayMs: 30 } } });
    const tts = provider().speech('tts-1');
    const outcomesAtFirstAudio: string[] = [];
    const { values } = await collect(
      tts.synthesize({ text: 'Streaming please.' }).pipe(
        tap((event) => {
          if (event.type === 'audio' && outcomesAtFirstAudio.length === 0) {
            outcomesAtFirstAudio.push(server.requests[0]?.outcome ?? 'none');
          }
        }),
      ),
    );
    expect(server.requests).toHaveLength(1);
    expect(frames(values)).toHaveLength(50);
    expect(outcomesAtFirstAudio).toEqual(['pending']);
    const audio = values.filter((event) => event.type === 'audio');
    // 5 chunks 30 ms apart: the first frames arrive well before the last ones.
    expect(audio.at(-1)!.at - audio[0]!.at).toBeGreaterThanOrEqual(90);
  });

  it('resamples to the requested rate, keeping duration and pitch', async () => {
    server.setScript({ speech: { durationMs: 1000, waveform: 'tone', chunkBytes: 777 } });
    for (const sampleRate of [16_000, 48_000] as const) {
      const { values, error } = await collect(
        provider().speech('tts-1').synthesize({ text: 'Tone.', sampleRate }),
      );
      expect(error).toBeUndefined();
      const list = frames(values);
      expect(
        list.every((frame) => frame.sampleRate === sampleRate && frame.samples.length === sampleRate / 50),
      ).toBe(true);
      expect(list).toHaveLength(50); // ⌈24 000 × rate / 24 000⌉ samples, exactly 1 s
      const steady = joined(list).subarray(sampleRate / 10, (sampleRate * 9) / 10);
      expect(toneLevel(steady, sampleRate, 440)).toBeGreaterThan(0.2); // the 0.25-amplitude tone survives
      expect(toneLevel(steady, sampleRate, 660)).toBeLessThan(0.02);
      expect(values.at(-1)).toMatchObject({ type: 'end', durationMs: 1000 });
    }
  });

  it('estimates sentence and word marks over the audio duration, after the audio and before end', async () => {
    server.setScript({ speech: { durationMs: 2000 } });
    const text = 'Hello there. How are you?';
    const { values } = await collect(provider().speech('tts-1').synthesize({ text }));
    const kinds = values.map((event) => event.type);
    const firstMark = kinds.indexOf('mark');
    expect(kinds.lastIndexOf('audio')).toBeLessThan(firstMark);
    expect(kinds.at(-1)).toBe('end');
    const marks = values.filter((event): event is TtsMarkEvent => event.type === 'mark');
    expect(marks.map((mark) => `${mark.kind}:${mark.text}`)).toEqual([
      'sentence:Hello there.',
      'word:Hello',
      'word:there.',
      'sentence:How are you?',
      'word:How',
      'word:are',
      'word:you?',
    ]);
    expect(marks.every((mark) => mark.aligned === false)).toBe(true);
    const span = text.length; // 25 characters over 2000 ms = 80 ms per character
    expect(marks[3]).toMatchObject({ offsetMs: (13 * 2000) / span, durationMs: (12 * 2000) / span });
    const last = marks.at(-1)!;
    expect(last.offsetMs + last.durationMs).toBeCloseTo(2000, 6);
  });

  it('joins streamed text (e.g. LLM deltas) before the request', async () => {
    const { error } = await collect(
      provider()
        .speech('tts-1')
        .synthesize({ text: from(['Hel', 'lo ', 'world.']) }),
    );
    expect(error).toBeUndefined();
    expect(server.requests[0]?.body?.input).toBe('Hello world.');
  });

  it('rejects empty text, unsupported rates and out-of-range speeds without a request', async () => {
    const tts = provider().speech('tts-1');
    expect(InvalidArgumentError.isInstance((await collect(tts.synthesize({ text: '  ' }))).error)).toBe(true);
    const rate = await collect(tts.synthesize({ text: 'x', sampleRate: 11_025 as 16_000 }));
    expect(UnsupportedSampleRateError.isInstance(rate.error)).toBe(true);
    const fast = await collect(tts.synthesize({ text: 'x', prosody: { rate: 9 } }));
    expect(InvalidArgumentError.isInstance(fast.error)).toBe(true);
    expect(() => provider().speech('tts-1', { speed: 0 })).toThrow(/speed/);
    expect(server.requests).toHaveLength(0);
  });

  it('aborts the request on unsubscribe and leaves no socket, timer or handle behind', async () => {
    server.setScript({ speech: { durationMs: 5000, chunkBytes: 4800, faults: { chunkDelayMs: 25 } } });
    const tts = provider().speech('tts-1');
    const before = activeResources();
    let audioEvents = 0;
    await new Promise<void>((resolve) => {
      const subscription = tts.synthesize({ text: 'A long utterance.' }).subscribe((event) => {
        if (event.type === 'audio' && ++audioEvents === 6) {
          subscription.unsubscribe();
          resolve();
        }
      });
    });
    const leaked = await settleConnections(server, before);
    expect(server.requests[0]?.outcome).toBe('client-closed');
    expect(server.openConnections).toBe(0);
    expect(leaked).toEqual({});
  });

  describe('faults', () => {
    it('reports a disconnect mid-stream as NetworkError after the audio received', async () => {
      server.setScript({
        speech: { durationMs: 1000, chunkBytes: 9600, faults: { disconnectAfterChunks: 2 } },
      });
      const { values, error } = await collect(provider().speech('tts-1').synthesize({ text: 'Cut off.' }));
      expect(frames(values)).toHaveLength(20); // 2 × 9600 bytes = 400 ms
      expect(values.some((event) => event.type === 'end')).toBe(false);
      expect(NetworkError.isInstance(error)).toBe(true);
      expect(server.requests).toHaveLength(1);
    });

    it('retries 429 (retry-after-ms) and 500 before any audio, then succeeds', async () => {
      server.setScript({
        speech: [
          { type: 'http-error', status: 429, retryAfterMs: 10 },
          { type: 'http-error', status: 503 },
          { durationMs: 100 },
        ],
      });
      const { values, error } = await collect(
        provider({ maxRetries: 2 }).speech('tts-1').synthesize({ text: 'Hi.' }),
      );
      expect(error).toBeUndefined();
      expect(frames(values)).toHaveLength(5);
      expect(server.requests).toHaveLength(3);
    });

    it('emits ServerError once retries are exhausted', async () => {
      server.setScript({ speech: { type: 'http-error', status: 500 } });
      const { error } = await collect(
        provider({ maxRetries: 1 }).speech('tts-1').synthesize({ text: 'Hi.' }),
      );
      expect(ServerError.isInstance(error)).toBe(true);
      expect(server.requests).toHaveLength(2);
    });

    it('times out when the first audio chunk is too late', async () => {
      server.setScript({ speech: { durationMs: 100, faults: { firstChunkDelayMs: 10_000 } } });
      const clock = createVirtualClock();
      const tts = provider({ timeoutMs: 2000, maxRetries: 0 }).speech('tts-1');
      const result = collect(tts.synthesize({ text: 'Late.' }, { scheduler: clock.scheduler }));
      await server.waitForRequests(1);
      clock.advanceBy(2000);
      const { error } = await result;
      expect(TimeoutError.isInstance(error)).toBe(true);
      await settleConnections(server, activeResources());
      expect(server.requests[0]?.outcome).toBe('client-closed');
    });
  });
});
