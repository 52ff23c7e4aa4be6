import { createVirtualClock, type TtsEvent } from '@argentum/core';
import { describe, expect, it } from 'vitest';
import { createToneTts } from './tone-tts';

function synthesize(options: Parameters<typeof createToneTts>[0], text: string): TtsEvent[] {
  const clock = createVirtualClock();
  const events: TtsEvent[] = [];
  createToneTts(options)
    .synthesize({ text }, { scheduler: clock.scheduler })
    .subscribe((event) => events.push(event));
  clock.advanceBy(1000);
  return events;
}

describe('createToneTts', () => {
  it('sends each word as a mark, then its tone in 20 ms frames, after the first-byte delay', () => {
    const events = synthesize({ msPerWord: 100, firstByteMs: 50 }, 'hello world');
    expect(events.map((event) => event.type)).toEqual([
      'mark',
      ...Array<string>(5).fill('audio'),
      'mark',
      ...Array<string>(5).fill('audio'),
      'end',
    ]);
    const audio = events.filter((event) => event.type === 'audio');
    expect(audio.map((event) => event.frame.samples.length)).toEqual(Array<number>(10).fill(320));
    expect(audio.map((event) => event.frame.timestamp)).toEqual(
      Array.from({ length: 10 }, (_, index) => index * 20),
    );
    expect(events.every((event) => event.at === 50)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'end', durationMs: 200 });
  });

  it('sends longer chunks with chunkMs, never across a word, with the same audio', () => {
    const fine = synthesize({ msPerWord: 200 }, 'one two three');
    const coarse = synthesize({ msPerWord: 200, chunkMs: 100 }, 'one two three');
    const samples = (events: TtsEvent[]) =>
      events.flatMap((event) => (event.type === 'audio' ? [...event.frame.samples] : []));
    const audio = coarse.filter((event) => event.type === 'audio');
    expect(audio.map((event) => event.frame.samples.length)).toEqual(Array<number>(6).fill(1600));
    expect(audio.map((event) => event.frame.timestamp)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(coarse.filter((event) => event.type === 'mark').map((event) => event.offsetMs)).toEqual([
      0, 200, 400,
    ]);
    expect(samples(coarse)).toEqual(samples(fine));
  });

  it('ends a word with a shorter chunk when the word is not a whole number of chunks', () => {
    const audio = synthesize({ msPerWord: 140, chunkMs: 100 }, 'hi').filter(
      (event) => event.type === 'audio',
    );
    expect(audio.map((event) => event.frame.samples.length)).toEqual([1600, 640]);
  });
});
