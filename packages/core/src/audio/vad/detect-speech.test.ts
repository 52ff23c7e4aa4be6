import { from, lastValueFrom, map, Subject, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/index';
import { generateSpeechLikeSignal } from '../../testing/speech-like-signal';
import { frameAudio } from '../frame-audio';
import { samplesToPcm16Bytes } from '../pcm16';
import { detectSpeech } from './detect-speech';
import { createEnergyVad } from './energy-vad';
import type { VadEvent } from './vad-event';

describe('detectSpeech', () => {
  it('finds the utterances of a speech-like signal from bytes, with start/end pairs in order', async () => {
    const signal = generateSpeechLikeSignal({ seed: 42, utteranceCount: 3 });
    const bytes = samplesToPcm16Bytes(signal.samples);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) =>
      bytes.subarray(i * 4096, (i + 1) * 4096),
    );
    const events = await lastValueFrom(
      from(chunks).pipe(
        frameAudio({ sampleRate: 16000 }),
        detectSpeech(createEnergyVad(), { minSilenceMs: 200 }),
        toArray(),
      ),
    );
    expect(events.map((event) => event.type)).toEqual([
      'speech-start',
      'speech-end',
      'speech-start',
      'speech-end',
      'speech-start',
      'speech-end',
    ]);
    const starts = events.filter((event) => event.type === 'speech-start');
    starts.forEach((event, index) => {
      expect(Math.abs(event.at - signal.utterances[index]!.startMs)).toBeLessThanOrEqual(30);
    });
  });

  it('closes an open segment when the source completes', async () => {
    const signal = generateSpeechLikeSignal({ seed: 1, utteranceCount: 1 });
    const cut = signal.utterances[0]!.startMs + 300;
    const frames = signal.frames().filter((frame) => frame.timestamp < cut);
    const events = await lastValueFrom(from(frames).pipe(detectSpeech(createEnergyVad()), toArray()));
    expect(events.map((event) => event.type)).toEqual(['speech-start', 'speech-end']);
    expect(events[1]?.at).toBe(frames.at(-1)!.timestamp + 20);
  });

  it('is cold: each subscription resets the model and starts over', async () => {
    const signal = generateSpeechLikeSignal({ seed: 9, utteranceCount: 2 });
    const events$ = from(signal.frames()).pipe(detectSpeech(createEnergyVad(), { minSilenceMs: 200 }));
    const first = await lastValueFrom(events$.pipe(toArray()));
    const second = await lastValueFrom(events$.pipe(toArray()));
    expect(second).toEqual(first);
    expect(first).toHaveLength(4);
  });

  it('passes errors through, from the source and from the model', () => {
    const source = new Subject<number>();
    const seen: unknown[] = [];
    const failingModel = {
      ...createEnergyVad(),
      score: () => {
        throw new Error('model crashed');
      },
      reset: () => {},
    };
    source
      .pipe(
        map((timestamp) => ({
          samples: new Int16Array(320),
          sampleRate: 16000 as const,
          channels: 1 as const,
          timestamp,
        })),
        detectSpeech(failingModel),
      )
      .subscribe({
        next: (event: VadEvent) => seen.push(event),
        error: (error: Error) => seen.push(error.message),
      });
    source.next(0);
    expect(seen).toEqual(['model crashed']);

    const upstream = new Subject<never>();
    const errors: unknown[] = [];
    upstream
      .pipe(detectSpeech(createEnergyVad()))
      .subscribe({ error: (error: Error) => errors.push(error.message) });
    upstream.error(new Error('mic unplugged'));
    expect(errors).toEqual(['mic unplugged']);
  });

  it('validates options when the operator is created', () => {
    expect(() => detectSpeech(createEnergyVad(), { stopThreshold: 0.9 })).toThrow(InvalidArgumentError);
  });
});
