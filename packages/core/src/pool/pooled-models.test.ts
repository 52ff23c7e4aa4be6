import { lastValueFrom, Observable, Subject, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createAudioFrame } from '../audio/audio-frame';
import type { LlmEvent, LlmModel } from '../provider/llm-model';
import { ServerError } from '../provider/provider-errors';
import { SPECIFICATION_VERSION } from '../provider/specification';
import type { SttEvent, SttModel } from '../provider/stt-model';
import type { TtsEvent, TtsModel, TtsRequest } from '../provider/tts-model';
import { NoMatchingProviderError } from './pool-errors';
import { createPooledLlmModel } from './pooled-llm-model';
import { createPooledSttModel } from './pooled-stt-model';
import { createPooledTtsModel } from './pooled-tts-model';
import { ProviderPool } from './provider-pool';

interface Seen {
  id: string;
  text: string[];
  request: TtsRequest;
}

/** A TTS that reads all of its text, then fails, or answers with one 20 ms chunk and `end`. */
function recordingTts(id: string, behaviour: 'ok' | 'fail', seen: Seen[]): TtsModel {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: id,
    modelId: id,
    sampleRate: 24000,
    capabilities: {
      streamingInput: true,
      streamingOutput: true,
      alignedMarks: false,
      multiContextCancel: false,
    },
    synthesize(request) {
      return new Observable<TtsEvent>((subscriber) => {
        const pieces: string[] = [];
        const done = (): void => {
          seen.push({ id, text: pieces, request });
          if (behaviour === 'fail') {
            subscriber.error(new ServerError({ provider: id, message: 'down' }));
            return;
          }
          const sampleRate = request.sampleRate ?? 24000;
          const frame = createAudioFrame({
            samples: new Int16Array(sampleRate / 50),
            sampleRate,
            channels: 1,
            timestamp: 0,
          });
          subscriber.next({ type: 'audio', frame, at: 0 });
          subscriber.next({ type: 'end', durationMs: 20, at: 0 });
          subscriber.complete();
        };
        const text = request.text;
        if (typeof text === 'string') {
          pieces.push(text);
          done();
          return;
        }
        if (Array.isArray(text)) {
          pieces.push(...(text as string[]));
          done();
          return;
        }
        const subscription = (text as Observable<string>).subscribe({
          next: (piece) => pieces.push(piece),
          error: (error: unknown) => subscriber.error(error),
          complete: done,
        });
        return () => subscription.unsubscribe();
      });
    },
  };
}

describe('createPooledTtsModel', () => {
  it('gives a fallback the whole streamed text, subscribing to the text source once', async () => {
    const seen: Seen[] = [];
    const pool = new ProviderPool<TtsModel>({
      members: [
        { id: 'primary', create: () => recordingTts('primary', 'fail', seen) },
        { id: 'fallback', create: () => recordingTts('fallback', 'ok', seen) },
      ],
    });
    const tts = createPooledTtsModel(pool, { sampleRate: 16000 });
    let subscriptions = 0;
    const deltas = new Subject<string>();
    const text = new Observable<string>((subscriber) => {
      subscriptions += 1;
      return deltas.subscribe(subscriber);
    });
    const result = lastValueFrom(tts.synthesize({ text }).pipe(toArray()));
    deltas.next('Hello ');
    deltas.next('there.');
    deltas.complete();
    const events = await result;
    expect(seen.map((entry) => [entry.id, entry.text.join('')])).toEqual([
      ['primary', 'Hello there.'],
      ['fallback', 'Hello there.'],
    ]);
    expect(subscriptions).toBe(1);
    expect(events[0]).toMatchObject({ type: 'audio', frame: { sampleRate: 16000 } });
    expect(tts.sampleRate).toBe(16000);
  });

  it('passes an error of the text source straight through without blaming any provider', async () => {
    const seen: Seen[] = [];
    const pool = new ProviderPool<TtsModel>({
      members: [
        { id: 'primary', create: () => recordingTts('primary', 'ok', seen) },
        { id: 'fallback', create: () => recordingTts('fallback', 'ok', seen) },
      ],
    });
    const tts = createPooledTtsModel(pool, { sampleRate: 24000 });
    const upstream = new Error('the LLM failed');
    const text = new Subject<string>();
    const result = lastValueFrom(tts.synthesize({ text }));
    text.next('Partial');
    text.error(upstream);
    await expect(result).rejects.toBe(upstream);
    expect(pool.list().map((member) => member.failures)).toEqual([0, 0]);
  });

  it('adapts the request per member and routes by the request language', async () => {
    const seen: Seen[] = [];
    const pool = new ProviderPool<TtsModel>({
      members: [
        {
          id: 'english',
          create: () => recordingTts('english', 'ok', seen),
          capabilities: { languages: ['en'] },
        },
        {
          id: 'german',
          create: () => recordingTts('german', 'ok', seen),
          capabilities: { languages: ['de'] },
        },
      ],
    });
    const tts = createPooledTtsModel(pool, {
      sampleRate: 24000,
      adaptRequest: (request, provider) => ({ ...request, voice: provider === 'german' ? 'Hans' : 'Rachel' }),
    });
    await lastValueFrom(tts.synthesize({ text: 'Hallo.', language: 'de-DE' }));
    expect(seen[0]).toMatchObject({ id: 'german', request: { voice: 'Hans', language: 'de-DE' } });
    await expect(lastValueFrom(tts.synthesize({ text: 'Bonjour.', language: 'fr' }))).rejects.toSatisfy(
      NoMatchingProviderError.isInstance,
    );
  });
});

describe('createPooledLlmModel', () => {
  const llm = (id: string, fail: boolean): LlmModel => ({
    specificationVersion: SPECIFICATION_VERSION,
    provider: id,
    modelId: id,
    capabilities: { streaming: true, tools: id === 'tools' },
    stream: () =>
      new Observable<LlmEvent>((subscriber) => {
        if (fail) {
          subscriber.error(new ServerError({ provider: id, message: 'down' }));
          return;
        }
        subscriber.next({ type: 'text-delta', text: id, at: 0 });
        subscriber.next({ type: 'end', finishReason: 'stop', at: 0 });
        subscriber.complete();
      }),
  });

  it('fails over and requires the tools feature for requests with tools', async () => {
    const pool = new ProviderPool<LlmModel>({
      members: [
        { id: 'broken', create: () => llm('broken', true), capabilities: { features: ['tools'] } },
        { id: 'plain', create: () => llm('plain', false) },
        { id: 'tools', create: () => llm('tools', false), capabilities: { features: ['tools'] } },
      ],
    });
    const model = createPooledLlmModel(pool);
    const plain = await lastValueFrom(
      model.stream({ messages: [{ role: 'user', content: 'Hi' }] }).pipe(toArray()),
    );
    expect(plain[0]).toMatchObject({ type: 'text-delta', text: 'plain' });
    const withTools = await lastValueFrom(
      model
        .stream({
          messages: [{ role: 'user', content: 'Hi' }],
          tools: [{ name: 'weather', description: 'd', parameters: {} }],
        })
        .pipe(toArray()),
    );
    expect(withTools[0]).toMatchObject({ type: 'text-delta', text: 'tools' });
  });
});

describe('createPooledSttModel', () => {
  it('replays live frames to a fallback from the start of the utterance', async () => {
    const heard: [string, number][] = [];
    const stt = (id: string, fail: boolean): SttModel => ({
      specificationVersion: SPECIFICATION_VERSION,
      provider: id,
      modelId: id,
      capabilities: { streaming: true, partials: false },
      transcribe: (request) =>
        new Observable<SttEvent>((subscriber) => {
          let frames = 0;
          const audio = request.audio as Observable<unknown>;
          return audio.subscribe({
            next: () => {
              frames += 1;
            },
            complete: () => {
              heard.push([id, frames]);
              if (fail) subscriber.error(new ServerError({ provider: id, message: 'down' }));
              else {
                subscriber.next({ type: 'transcript-final', text: `${frames} frames`, at: 0 });
                subscriber.complete();
              }
            },
          });
        }),
    });
    const pool = new ProviderPool<SttModel>({
      members: [
        { id: 'primary', create: () => stt('primary', true) },
        { id: 'fallback', create: () => stt('fallback', false) },
      ],
    });
    const frames = new Subject<ReturnType<typeof createAudioFrame>>();
    const result = lastValueFrom(createPooledSttModel(pool).transcribe({ audio: frames }));
    for (let i = 0; i < 3; i++) {
      frames.next(
        createAudioFrame({ samples: new Int16Array(320), sampleRate: 16000, channels: 1, timestamp: i * 20 }),
      );
    }
    frames.complete();
    expect(await result).toMatchObject({ type: 'transcript-final', text: '3 frames' });
    expect(heard).toEqual([
      ['primary', 3],
      ['fallback', 3],
    ]);
  });
});
